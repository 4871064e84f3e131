#!/usr/bin/env bash
# The proxmox API contract tier: the real Pulumi engine and the proxmox runtime against fakepve
# (PyPI, AGPL-3.0: installed into its own venv and run as a separate process, never vendored) and a
# fake node SSH, then the shipped homelab stack's preview with its policy pack (homelab.mjs). Needs
# fakepve[crypto]==0.5.0 in $FAKEPVE_VENV (default ~/.cache/lakeforge/fakepve-venv).
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)
cd "$repo"
venv=${FAKEPVE_VENV:-${XDG_CACHE_HOME:-$HOME/.cache}/lakeforge/fakepve-venv}
"$venv/bin/python" -c 'import fakepve, cryptography' 2>/dev/null || { echo "fakepve is not installed in $venv" >&2; exit 2; }
# The homelab preview needs the provider plugins of the user's own Pulumi home, which the toolchain's replaces.
export LAKEFORGE_PLUGIN_HOME=${PULUMI_HOME:-$HOME/.pulumi}
toolchain_env=$(scripts/toolchain.sh --engine-only --env)
eval "$toolchain_env"
export PULUMI_SKIP_UPDATE_CHECK=true PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION=true
npm run --silent build
# `run.sh homelab` runs the homelab preview alone.
FAKEPVE_PYTHON="$venv/bin/python" node tests/proxmox/fakepve/steps.mjs "$@"
