#!/usr/bin/env bash
# Real-engine check (no mocks) of the Secrets bootstrap: the pinned pulumi CLI runs lakeforge's
# VaultInit/VaultUnseal dynamic resources (serialized into the engine's nodejs dynamic provider)
# against a stand-in of the Vault HTTP API (tests/support/fake-secrets-server.mjs; a real Vault
# cannot be built here: no vault/sdk version on this machine's Go proxy matches v1.15.6's tree):
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
server=""
trap 'kill $server 2>/dev/null; rm -rf "$work"' EXIT
port=$(node -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')
address=http://127.0.0.1:$port
start_server() { node tests/support/fake-secrets-server.mjs "$port" >/dev/null & server=$!; }
restart_server() { curl -fsS -X POST "$address/__restart" >/dev/null; }
start_server
for _ in $(seq 100); do curl -s -o /dev/null "$address/v1/sys/seal-status" && break; sleep 0.1; done
status() { curl -fsS "$address/v1/sys/seal-status"; }

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
status | grep -q '"initialized":true' || fail "server not initialized"
status | grep -q '"sealed":false' || fail "server not unsealed"
[ "$(pulumi stack output rootToken)" = "[secret]" ] || fail "root token output is not secret"
pulumi stack output keys --show-secrets --json >"$work/keys.json"
[ "$(node -p 'JSON.parse(require("fs").readFileSync(process.argv[1], "utf8")).length' "$work/keys.json")" = 3 ] || fail "three unseal keys expected in outputs"
root=$(pulumi stack output rootToken --show-secrets)
pulumi stack export >"$work/export.json"
! grep -qF "$root" "$work/export.json" || fail "the root token is in plaintext in the state"
for key in $(node -p 'JSON.parse(require("fs").readFileSync(process.argv[1], "utf8")).join(" ")' "$work/keys.json"); do
  ! grep -qF "$key" "$work/export.json" || fail "an unseal key is in plaintext in the state"
done

pulumi preview --expect-no-changes --non-interactive >/dev/null || fail "an unsealed server should show no change"
restart_server
for _ in $(seq 100); do status >/dev/null 2>&1 && break; sleep 0.1; done
status | grep -q '"initialized":true' || fail "the server lost its data over a restart"
status | grep -q '"sealed":true' || fail "a restarted server should come back sealed"
if pulumi preview --expect-no-changes --non-interactive >"$work/preview" 2>&1; then fail "a sealed server should show the unseal in preview"; fi
grep -q "vault-unseal" "$work/preview" || fail "preview does not name the unseal"
pulumi up --yes --skip-preview --non-interactive >/dev/null || fail "up after the restart failed"
status | grep -q '"sealed":false' || fail "up did not unseal the restarted server"
pulumi destroy --yes --skip-preview --non-interactive >/dev/null || fail "destroy failed"
echo "vault bootstrap check: OK against the Vault HTTP API stand-in (init once, keys secret in state, data kept and unsealed again after a restart)"
