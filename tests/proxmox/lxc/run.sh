#!/usr/bin/env bash
# The in-container tier: harness up, the vitest files (*.lxc.ts) inside the harness's network
# namespace, harness down (also on failure). A machine that cannot run LXC gets one loud line and
# exit 0, like the other tiers in .ci/run; a failing test fails the run.
set -euo pipefail
cd "$(dirname "$0")/../../.."
here=tests/proxmox/lxc
netns="${LF_PVE_LXC_NETNS:-lf-pve-lxc}"
export LF_PVE_LXC_NETNS="$netns"

not_run() {
    echo "== PROXMOX LXC TIER NOT RUN: $*"
    exit 0
}
[ "$(id -u)" = 0 ] || not_run "needs root (LXC containers and a network namespace)"
command -v ip >/dev/null || not_run "no ip command (iproute2)"

# One run at a time on a machine: the namespace, the port and the state directory are shared.
state="${LF_PVE_LXC_STATE:-/var/tmp/lakeforge-pve-lxc}"
mkdir -p "$state"
exec 9>"$state/run.lock"
flock -w 900 9 || not_run "another run of this tier held $state/run.lock for 15 minutes"

started=$(date +%s)
trap 'bash "$here/harness.sh" down >/dev/null 2>&1 9>&- || true' EXIT
errors=$(mktemp)
rc=0
# The harness gets no copy of the lock (9>&-), so the sshd it starts cannot hold it after this run.
# The harness's stderr goes to the terminal and to $errors (the reason); pipefail keeps its exit code.
{ bash "$here/harness.sh" up 2>&1 1>&3 3>&- 9>&- | tee "$errors" >&2; } 3>&1 || rc=$?
if [ "$rc" != 0 ]; then
    reason=$(grep -v '^\[pve-lxc\]' "$errors" | tail -1)
    rm -f "$errors"
    [ "$rc" = 3 ] && not_run "${reason:-lxc-start cannot run a container here}"
    echo "== PROXMOX LXC TIER FAILED: the harness did not come up" >&2
    exit "$rc"
fi
rm -f "$errors"
up=$(($(date +%s) - started))
ip netns exec "$netns" npx vitest run --config "$here/vitest.config.mts"
echo "== proxmox LXC tier: harness up in ${up} s, whole tier in $(($(date +%s) - started)) s"
