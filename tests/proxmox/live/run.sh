#!/usr/bin/env bash
# The proxmox live tier: the contract tier's small stack on a real PVE 9.1+ node. Runs only when the
# node is described in the environment, and then creates two containers (busybox by default, pulled
# by the node), changes them, replaces one and destroys them; the data volume it leaves is named at
# the end. Required:
#   LAKEFORGE_PVE_ENDPOINT  https://<node>:8006        LAKEFORGE_PVE_NODE     node name
#   LAKEFORGE_PVE_TOKEN     user@realm!id=secret      LAKEFORGE_PVE_CA_FILE  the node's CA (unset: insecure)
#   LAKEFORGE_PVE_SSH_KEY_FILE, LAKEFORGE_PVE_SSH_HOSTKEY (SHA256:...), LAKEFORGE_PVE_SSH_USER (root)
#   LAKEFORGE_PVE_STORAGE_VOLUMES (zfspool/dir/btrfs), LAKEFORGE_PVE_CIDR, LAKEFORGE_PVE_GATEWAY
#   LAKEFORGE_PVE_VMIDS "<db>,<web>,<volume owner>"  LAKEFORGE_PVE_ADDRESSES "<db>,<web>" (free ones)
# Optional: LAKEFORGE_PVE_SSH_HOST (endpoint's host), _SSH_PORT (22), LAKEFORGE_PVE_STORAGE_ROOTFS, _STORAGE_TEMPLATES, _BRIDGE, _TRANSPORT (pull), _IMAGE, _IMAGE2.
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)
cd "$repo"
missing=()
for v in LAKEFORGE_PVE_ENDPOINT LAKEFORGE_PVE_NODE LAKEFORGE_PVE_TOKEN LAKEFORGE_PVE_SSH_KEY_FILE LAKEFORGE_PVE_SSH_HOSTKEY \
    LAKEFORGE_PVE_STORAGE_VOLUMES LAKEFORGE_PVE_CIDR LAKEFORGE_PVE_GATEWAY LAKEFORGE_PVE_VMIDS LAKEFORGE_PVE_ADDRESSES; do
    [ -n "${!v:-}" ] || missing+=("$v")
done
if [ ${#missing[@]} -gt 0 ]; then
    echo "== PROXMOX LIVE TIER NOT RUN: no real Proxmox VE node configured (unset: ${missing[*]})"
    exit 0
fi
toolchain_env=$(scripts/toolchain.sh --engine-only --env)
eval "$toolchain_env"
export PULUMI_SKIP_UPDATE_CHECK=true PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION=true
npm run --silent build
node tests/proxmox/live/live.mjs
