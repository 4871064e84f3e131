#!/usr/bin/env bash
# Real-server check of the Registry capability: the config lakeforge renders and its health check,
# run against a real CNCF Distribution registry built from its Go module at the version of the
# pinned image (registry:3.1.1 = github.com/distribution/distribution/v3 v3.1.1).
#   - the registry accepts the rendered config.yml and the htpasswd line format;
#   - the container health check command passes on a healthy server (401 on /v2/ to anonymous);
#   - the generated credentials log in; a wrong password does not; an upload lands in storage.
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$repo"
fail() { echo "registry check: FAIL: $*" >&2; exit 1; }
version=v3.1.1
cache=${LAKEFORGE_TOOLCHAIN_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/lakeforge/toolchain}
bin=$cache/registry-$version/registry
if [ ! -x "$bin" ]; then
  echo "registry check: building distribution $version from the Go module proxy" >&2
  GOBIN=$(dirname "$bin") GOMODCACHE=$cache/go/mod GOCACHE=$cache/go/build GOTOOLCHAIN=local CGO_ENABLED=0 GOFLAGS="-trimpath -modcacherw" \
    go install "github.com/distribution/distribution/v3/cmd/registry@$version"
fi
npm run --silent build

work=$(mktemp -d)
trap 'kill ${server:-} 2>/dev/null || true; rm -rf "$work"' EXIT
port=$(node -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')
password=$(head -c 24 /dev/urandom | base64 | tr -dc 'A-Za-z0-9')
# The component's line format, `<user>:<bcrypt hash>\n` (random.RandomPassword's bcryptHash in a stack).
# bcrypt through libcrypt (Python's crypt module, up to 3.12), else Apache's htpasswd.
if python3 -W ignore -c 'import crypt' 2>/dev/null; then
  python3 -W ignore -c 'import crypt, sys; print(f"lakeforge:{crypt.crypt(sys.argv[1], crypt.mksalt(crypt.METHOD_BLOWFISH))}")' "$password" >"$work/htpasswd"
else
  command -v htpasswd >/dev/null || fail "needs python3 <= 3.12 (crypt) or htpasswd (apache2-utils) to make a bcrypt hash"
  htpasswd -nbB lakeforge "$password" | head -1 >"$work/htpasswd"
fi

# The rendered config, with only the in-container paths and the listen address moved for this host.
node -e 'process.stdout.write(require("./bin/components/registry").renderRegistryConfig())' |
  sed -e "s#/var/lib/registry#$work/data#" -e "s#/etc/distribution/htpasswd#$work/htpasswd#" -e "s#addr: :5000#addr: 127.0.0.1:$port#" >"$work/config.yml"
OTEL_TRACES_EXPORTER=none "$bin" serve "$work/config.yml" >"$work/registry.log" 2>&1 &
server=$!
for _ in $(seq 100); do curl -s -o /dev/null "http://127.0.0.1:$port/" && break; sleep 0.1; done

# The exact health check command the component gives the container, pointed at this port.
health=$(node -e 'const r=require("./bin/components/registry"); console.log(JSON.stringify(r.registrySpec("registry","i",{memoryMb:256,cpus:1},"","",{},true).healthCheck.command))')
mapfile -t cmd < <(node -e 'for (const a of JSON.parse(process.argv[1])) console.log(a.replace("127.0.0.1:5000", "127.0.0.1:" + process.argv[2]))' "$health" "$port")
"${cmd[@]}" || { cat "$work/registry.log"; fail "the health check command fails on a healthy registry"; }

code() { curl -s -o /dev/null -w '%{http_code}' "$@"; }
[ "$(code "http://127.0.0.1:$port/v2/")" = 401 ] || fail "anonymous /v2/ is not refused"
[ "$(code -u "lakeforge:wrong" "http://127.0.0.1:$port/v2/")" = 401 ] || fail "a wrong password is accepted"
[ "$(code -u "lakeforge:$password" "http://127.0.0.1:$port/v2/")" = 200 ] || fail "the generated credentials do not log in"
[ "$(code -u "lakeforge:$password" -X POST "http://127.0.0.1:$port/v2/lakeforge/check/blobs/uploads/")" = 202 ] || fail "an upload cannot start"
[ -d "$work/data/docker/registry/v2/repositories/lakeforge/check" ] || fail "the upload did not reach the storage directory"
kill "$server" && wait "$server" 2>/dev/null || true
echo "registry check: OK (rendered config, health check, htpasswd auth and storage on a real registry $version)"
