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

started=$(date +%s)
trap 'bash "$here/harness.sh" down >/dev/null 2>&1 || true' EXIT
errors=$(mktemp)
if ! bash "$here/harness.sh" up 2> >(tee "$errors" >&2); then
    rc=$?
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
