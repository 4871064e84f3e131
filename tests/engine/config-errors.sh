#!/usr/bin/env bash
# Real-engine check (no mocks): the pinned pulumi CLI, lakeforge's language host, the compiled
# program and the policy pack refuse an invalid stack config before any resource is registered,
# with one message per problem naming the full key. Runs in a throwaway copy of the project with
# its own file backend, so the repository's stacks and state are untouched.
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$repo"
fail() { echo "engine check: FAIL: $*" >&2; exit 1; }

toolchain_env=$(scripts/toolchain.sh --engine-only --env)
eval "$toolchain_env"
npm run --silent build

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/project" "$work/state"
cp -r Pulumi.yaml package.json bin "$work/project/"
mkdir -p "$work/project/policies" && cp -r policies/PulumiPolicy.yaml policies/package.json policies/bin policies/config "$work/project/policies/"
ln -s "$repo/node_modules" "$work/project/node_modules"
# Two mistakes a user makes: a misspelled engine and a network name Docker would refuse.
sed -e 's/engine: seaweedfs/engine: seaweedfz/' -e 's/network: lakeforge-dev/network: Lakeforge_Dev/' Pulumi.dev.yaml >"$work/project/Pulumi.engine-check.yaml"

export PULUMI_BACKEND_URL=file://$work/state PULUMI_CONFIG_PASSPHRASE=engine-check
cd "$work/project"
pulumi stack init engine-check --non-interactive >/dev/null
status=0
pulumi preview --stack engine-check --non-interactive --policy-pack policies --policy-pack-config policies/config/dev.json >"$work/out" 2>&1 || status=$?
cat "$work/out"

[ "$status" != 0 ] || fail "preview of an invalid config exited 0"
grep -qF 'lakeforge:components.objectStore.engine: expected one of "seaweedfs", "minio", "garage", found "seaweedfz"' "$work/out" || fail "no message for objectStore.engine"
grep -qF "lakeforge:docker.network: expected a DNS label (lowercase letters, digits and '-', at most 63 characters), found \"Lakeforge_Dev\"" "$work/out" || fail "no message for docker.network"
grep -qF 'invalid lakeforge config (2 problems)' "$work/out" || fail "problems were not counted"
! grep -qE 'docker:index|postgresql:index|minio:index|vault:index|random:index|lakeforge:S3Bucket' "$work/out" || fail "a resource was registered before config validation failed"
echo "engine check: OK (invalid config refused by the real engine before any resource)"
