#!/usr/bin/env bash
# Real-engine check (no mocks) of the Secrets bootstrap: the pinned pulumi CLI runs lakeforge's
# VaultInit/VaultUnseal dynamic resources (serialized into the engine's nodejs dynamic provider)
# against a stand-in of the Vault HTTP API (tests/support/fake-secrets-server.mjs):
#   up initializes and unseals; keys and root token are secret outputs, encrypted in state;
#   a second preview shows no change; after a "restart" (server sealed) preview shows the unseal
#   and up performs it.
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$repo"
fail() { echo "vault bootstrap check: FAIL: $*" >&2; exit 1; }

toolchain_env=$(scripts/toolchain.sh --engine-only --env)
eval "$toolchain_env"
npm run --silent build

work=$(mktemp -d)
node tests/support/fake-secrets-server.mjs >"$work/port" &
server=$!
trap 'kill $server 2>/dev/null; rm -rf "$work"' EXIT
for _ in $(seq 50); do [ -s "$work/port" ] && break; sleep 0.1; done
address=http://127.0.0.1:$(cat "$work/port")
state() { curl -fsS -X POST "$address/__state"; }

mkdir -p "$work/project" "$work/state"
ln -s "$repo/node_modules" "$work/project/node_modules"
echo '{ "name": "vault-bootstrap-check", "private": true }' >"$work/project/package.json"
cat >"$work/project/Pulumi.yaml" <<YAML
name: vault-bootstrap-check
runtime:
  name: nodejs
  options:
    typescript: false
main: index.js
YAML
cat >"$work/project/index.js" <<JS
const pulumi = require("@pulumi/pulumi");
const { VaultInit, VaultUnseal } = require("$repo/bin/components/secrets/bootstrap.js");
const address = new pulumi.Config().require("address");
const init = new VaultInit("vault-init", { address, keyShares: 3, keyThreshold: 2 });
new VaultUnseal("vault-unseal", { address, keys: init.keys }, { dependsOn: [init] });
module.exports = { keys: init.keys, rootToken: init.rootToken };
JS

export PULUMI_BACKEND_URL=file://$work/state PULUMI_CONFIG_PASSPHRASE=vault-bootstrap-check
cd "$work/project"
pulumi stack init check --non-interactive >/dev/null
pulumi config set address "$address" >/dev/null

pulumi up --yes --skip-preview --non-interactive || fail "first up failed"
state | grep -q '"initialized":true' || fail "server not initialized"
state | grep -q '"sealed":false' || fail "server not unsealed"
[ "$(pulumi stack output rootToken)" = "[secret]" ] || fail "root token output is not secret"
[ "$(pulumi stack output keys --show-secrets --json | tr -d ' \n')" = '["key-0","key-1","key-2"]' ] || fail "unseal keys not in outputs"
pulumi stack export >"$work/export.json"
! grep -qE 'hvs\.fake-root-token|"key-[0-9]"' "$work/export.json" || fail "a key or the root token is in plaintext in the state"

pulumi preview --expect-no-changes --non-interactive >/dev/null || fail "an unsealed server should show no change"
curl -fsS -X POST "$address/__restart" >/dev/null
if pulumi preview --expect-no-changes --non-interactive >"$work/preview" 2>&1; then fail "a sealed server should show the unseal in preview"; fi
grep -q "vault-unseal" "$work/preview" || fail "preview does not name the unseal"
pulumi up --yes --skip-preview --non-interactive >/dev/null || fail "up after the restart failed"
state | grep -q '"sealed":false' || fail "up did not unseal the restarted server"
pulumi destroy --yes --skip-preview --non-interactive >/dev/null || fail "destroy failed"
echo "vault bootstrap check: OK (init once, keys secret in state, unseal again after a restart)"
