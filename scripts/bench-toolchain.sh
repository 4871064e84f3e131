#!/usr/bin/env bash
# Measures the toolchain and real previews:
#   cold  build time and disk use of the toolchain built from nothing (only with --cold: a fresh
#         LAKEFORGE_TOOLCHAIN_DIR, so Go module and build caches start empty too);
#   warm  `scripts/toolchain.sh` with nothing to do (median of --runs);
#   preview wall time of `scripts/pulumi.sh preview --stack <s>` per stack (median of --runs).
# Usage: scripts/bench-toolchain.sh [--cold] [--runs N] [stack ...]
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
runs=5 cold=0 stacks=()
while [ $# -gt 0 ]; do
  case $1 in
    --cold) cold=1 ;;
    --runs) runs=$2 && shift ;;
    *) stacks+=("$1") ;;
  esac
  shift
done
logdir=$(mktemp -d /tmp/lakeforge-bench.XXXXXX)
now() { date +%s.%N; }
secs() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.1f", b - a}'; }
median() { sort -n | awk '{v[NR] = $1} END {print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2}'; }
report() { printf '%-34s %s\n' "$1" "$2"; }

if [ "$cold" = 1 ]; then
  export LAKEFORGE_TOOLCHAIN_DIR=$logdir/toolchain
  unset PULUMI_HOME
  t0=$(now)
  status=ok && "$repo/scripts/toolchain.sh" >"$logdir/cold.log" 2>&1 || status="failed, see $logdir/cold.log"
  report "cold toolchain build" "$(secs "$t0" "$(now)") s ($status)"
  report "  disk use (all, incl. Go caches)" "$(du -sh "$LAKEFORGE_TOOLCHAIN_DIR" | cut -f1)"
  report "  disk use (binaries + plugins)" "$(du -shc "$LAKEFORGE_TOOLCHAIN_DIR"/pulumi-v* "$LAKEFORGE_TOOLCHAIN_DIR/home" | tail -1 | cut -f1)"
fi

times=()
for _ in $(seq "$runs"); do
  t0=$(now)
  status=ok && "$repo/scripts/toolchain.sh" >>"$logdir/warm.log" 2>&1 || status="exit $?"
  times+=("$(secs "$t0" "$(now)")")
done
report "warm toolchain (median of $runs)" "$(printf '%s\n' "${times[@]}" | median) s ($status; all: ${times[*]})"

for stack in "${stacks[@]}"; do
  times=()
  for _ in $(seq "$runs"); do
    t0=$(now)
    status=ok && "$repo/scripts/pulumi.sh" preview --stack "$stack" >>"$logdir/preview-$stack.log" 2>&1 ||
      status="exit $?, see $logdir/preview-$stack.log"
    times+=("$(secs "$t0" "$(now)")")
  done
  report "preview $stack (median of $runs)" "$(printf '%s\n' "${times[@]}" | median) s ($status; all: ${times[*]})"
done
echo "logs: $logdir"
