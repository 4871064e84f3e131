#!/usr/bin/env bash
# Builds, from Go module sources, the pinned Pulumi toolchain lakeforge runs with, into a cache
# outside the repository (nothing is downloaded from get.pulumi.com or GitHub releases):
#   - the pulumi CLI at the version of @pulumi/pulumi (pins: toolchain/go.mod + go.sum),
#     with lakeforge's nodejs language host and shims next to it (a compatible `pulumi` on PATH is used instead);
#   - a resource plugin for every provider package in node_modules (pins: toolchain/providers.json),
#     installed as $PULUMI_HOME/plugins/resource-<name>-v<version>/pulumi-resource-<name>.
#
# Usage: scripts/toolchain.sh                build what is missing
#        scripts/toolchain.sh --env          same, then print `export ...` lines for the shell (used by scripts/pulumi.sh)
#        scripts/toolchain.sh --engine-only  only the CLI, language host and shims (no provider plugins)
# Env:   LAKEFORGE_TOOLCHAIN_DIR  cache root (default ${XDG_CACHE_HOME:-$HOME/.cache}/lakeforge/toolchain)
#        PULUMI_HOME              plugin home (default <cache root>/home, so ~/.pulumi is left alone)
set -euo pipefail

print_env=0 engine_only=0
for arg in "$@"; do
  case $arg in
    --env) print_env=1 ;;
    --engine-only) engine_only=1 ;;
    *) echo "toolchain: error: unknown argument $arg (expected --env and/or --engine-only)" >&2; exit 2 ;;
  esac
done

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cache=${LAKEFORGE_TOOLCHAIN_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/lakeforge/toolchain}
export PULUMI_HOME=${PULUMI_HOME:-$cache/home}
logs=$cache/logs
say() { echo "toolchain: $*" >&2; }
die() { echo "toolchain: error: $*" >&2; exit 1; }

[ -f "$repo/node_modules/@pulumi/pulumi/package.json" ] ||
  die "node_modules is not installed in $repo (run: npm ci --ignore-scripts)"
version=$(node -p 'require(process.argv[1]).version' "$repo/node_modules/@pulumi/pulumi/package.json")
grep -qE "^\s+github.com/pulumi/pulumi/pkg/v3 v$version( |\$)" "$repo/toolchain/go.mod" ||
  die "@pulumi/pulumi is $version but toolchain/go.mod pins another github.com/pulumi/pulumi/pkg/v3; update toolchain/go.mod (see its header)"
mkdir -p "$logs" "$PULUMI_HOME/plugins"
# One build at a time per cache (parallel CI steps, two terminals); flock is util-linux, absent on macOS.
if command -v flock >/dev/null; then exec 9>"$cache/.lock" && flock 9; fi

# Go is needed only when something must be built; checked lazily.
need_go() {
  command -v go >/dev/null || die "Go is not installed; it is needed to build $1 (Go >= $(awk '/^go /{print $2}' "$repo/toolchain/go.mod"))"
  local want have
  want=$(awk '/^go /{print $2}' "$repo/toolchain/go.mod")
  have=$(go env GOVERSION | sed 's/^go//')
  [ "$(printf '%s\n%s\n' "$want" "$have" | sort -V | head -1)" = "$want" ] ||
    die "Go $have is too old to build $1 (need >= $want)"
  # Own module/build caches under the toolchain cache; no toolchain downloads; writable module cache so rm -rf works.
  export GOMODCACHE=${LAKEFORGE_GOMODCACHE:-$cache/go/mod} GOCACHE=${LAKEFORGE_GOCACHE:-$cache/go/build}
  export GOTOOLCHAIN=local CGO_ENABLED=0 GOFLAGS="-mod=readonly -trimpath -buildvcs=false -modcacherw"
}

# Classifies a failed go command from its log so the message names what went wrong.
go_failure() { # piece log
  if grep -qE 'reading https?://|Forbidden|not available|dial tcp|no such host|verifying .*: checksum mismatch|missing go.sum entry' "$2"; then
    die "fetching Go modules for $1 failed: $(grep -m1 -E 'reading https?://|Forbidden|dial tcp|no such host|checksum mismatch|missing go.sum entry' "$2" | cut -c1-300) (log: $2)"
  fi
  die "building $1 failed (log: $2)"
}

# ---- pulumi CLI + language host + shims ---------------------------------------------------------
bin=$cache/pulumi-v$version/bin
onpath=$(command -v pulumi || true)
if [ -n "$onpath" ] && [ "$onpath" != "$bin/pulumi" ] && [ "$(PULUMI_SKIP_UPDATE_CHECK=true "$onpath" version 2>/dev/null)" = "v$version" ]; then
  bin=$(dirname "$onpath")
  say "using pulumi v$version from PATH ($onpath)"
else
  # Rebuild when any pin or source of the CLI build changes.
  stamp=$(cd "$repo/toolchain" && cat go.mod go.sum $(find cmd shims -type f | sort) | sha256sum | cut -c1-16)
  if [ "$(cat "$bin/.stamp" 2>/dev/null)" != "$stamp" ]; then
    need_go "the pulumi CLI"
    log=$logs/pulumi-v$version.log
    say "building pulumi v$version + pulumi-language-nodejs (cold: 6-10 min on 2 cores; log: $log)"
    tmp=$bin.tmp && rm -rf "$tmp" && mkdir -p "$tmp"
    (cd "$repo/toolchain" && go mod download) >"$log" 2>&1 || go_failure "the pulumi CLI (toolchain/go.mod)" "$log"
    (cd "$repo/toolchain" && go build -o "$tmp/" \
      -ldflags "-s -w -X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=v$version" \
      github.com/pulumi/pulumi/pkg/v3/cmd/pulumi ./cmd/pulumi-language-nodejs) >>"$log" 2>&1 ||
      go_failure "the pulumi CLI / language host" "$log"
    cp "$repo"/toolchain/shims/* "$tmp/"
    echo "$stamp" >"$tmp/.stamp"
    rm -rf "$bin" && mv "$tmp" "$bin"
    say "installed pulumi v$version in $bin"
  fi
fi

# ---- provider plugins ---------------------------------------------------------------------------
problems=()
build_provider() { # name version module moduleVersion moduleSum versionVar upModule upVersion upSum
  local name=$1 ver=$2 mod=$3 modver=$4 modsum=$5 verpkg=$6 upmod=$7 upver=$8 upsum=$9
  local dest=$PULUMI_HOME/plugins/resource-$name-v$ver log=$logs/provider-$name-v$ver.log
  local work=$cache/work/$name-v$ver
  need_go "provider $name v$ver"
  say "building provider $name v$ver from $mod@$modver (log: $log)"
  rm -rf "$work" && mkdir -p "$work"
  fetch() { # module version pinnedSum dest-dir
    local json dir sum
    # The provider modules are not in any go.sum; their hash is pinned in toolchain/providers.json instead of the sumdb.
    json=$(cd "$work" && GONOSUMDB=$1 GOFLAGS=-modcacherw go mod download -json "$1@$2" 2>>"$log") || {
      echo "$json" >>"$log"
      build_problem=("provider $name v$ver: fetching Go module $1@$2 failed: $(node -p 'JSON.parse(process.argv[1]).Error' "$json" 2>/dev/null | cut -c1-300) (log: $log)")
      return 1
    }
    dir=$(node -p 'JSON.parse(process.argv[1]).Dir' "$json")
    sum=$(node -p 'JSON.parse(process.argv[1]).Sum' "$json")
    if [ -z "$3" ]; then
      say "warning: $1@$2 has hash $sum; pin it in toolchain/providers.json"
    elif [ "$sum" != "$3" ]; then
      build_problem=("provider $name v$ver: $1@$2 hash $sum does not match the pinned $3")
      return 1
    fi
    cp -r "$dir" "$4" && chmod -R u+w "$4"
  }
  fetch "$mod" "$modver" "$modsum" "$work/provider" || return 0
  # Providers that `replace ... => ../upstream` get the Terraform provider module there.
  if [ -n "$upmod" ]; then fetch "$upmod" "$upver" "$upsum" "$work/upstream" || return 0; fi
  # Bridged providers go:embed <x>-embed.json generated from the committed <x>.json, schema version set.
  node -e '
    const fs = require("fs"), path = require("path"), [dir, ver] = process.argv.slice(1);
    for (const f of fs.readdirSync(dir).filter((f) => f.endsWith(".json") && !f.endsWith("-embed.json"))) {
      const j = JSON.parse(fs.readFileSync(path.join(dir, f), "utf8"));
      if (f === "schema.json") j.version = ver;
      fs.writeFileSync(path.join(dir, f.replace(/\.json$/, "-embed.json")), JSON.stringify(j));
    }' "$work/provider/cmd/pulumi-resource-$name" "$ver"
  if ! (cd "$work/provider" && go build -o "$work/out/" -ldflags "-s -w -X $verpkg=$ver" "./cmd/pulumi-resource-$name") >>"$log" 2>&1; then
    build_problem=("provider $name v$ver: go build failed (log: $log)")
    return 0
  fi
  # Install atomically; a leftover .partial/.lock from an interrupted `pulumi plugin install` would hide it.
  rm -rf "$dest" "$dest.partial" "$dest.lock" "$dest.tmp"
  mv "$work/out" "$dest.tmp" && mv "$dest.tmp" "$dest"
  rm -rf "$work"
  say "installed plugin $dest"
}

# A provider that cannot be built here falls back to its official release (pinned version, checksum
# verified by `pulumi plugin install`), unless LAKEFORGE_TOOLCHAIN_OFFLINE=1 (air-gapped machines, CI).
install_release() { # name version
  [ "${LAKEFORGE_TOOLCHAIN_OFFLINE:-0}" != 1 ] || return 1
  say "downloading the released plugin $1 v$2 instead (set LAKEFORGE_TOOLCHAIN_OFFLINE=1 to skip)"
  "$bin/pulumi" plugin install resource "$1" "$2" --exact >>"$logs/provider-$1-v$2.log" 2>&1
}

[ "$engine_only" = 1 ] || while IFS='|' read -r name ver mod modver modsum verpkg upmod upver upsum problem; do
  [ -x "$PULUMI_HOME/plugins/resource-$name-v$ver/pulumi-resource-$name" ] && continue
  build_problem=("provider $name v$ver: ${problem:-not built}")
  [ -n "$problem" ] || build_provider "$name" "$ver" "$mod" "$modver" "$modsum" "$verpkg" "$upmod" "$upver" "$upsum"
  [ -x "$PULUMI_HOME/plugins/resource-$name-v$ver/pulumi-resource-$name" ] && continue
  if install_release "$name" "$ver"; then
    say "installed plugin $name v$ver from its release"
  elif [ "${LAKEFORGE_TOOLCHAIN_OFFLINE:-0}" = 1 ]; then
    problems+=("${build_problem[0]}")
  else
    problems+=("${build_problem[0]}; downloading its release failed too (log: $logs/provider-$name-v$ver.log)")
  fi
done < <(node "$repo/scripts/toolchain-providers.mjs" "$repo")

if [ ${#problems[@]} -gt 0 ]; then
  say "pulumi v$version is ready in $bin, but these resource plugins are missing:"
  printf '  - %s\n' "${problems[@]}" >&2
  exit 1
fi

if [ "$print_env" = 1 ]; then
  # Plugins only from $PULUMI_HOME (never downloaded, never picked up from PATH); the language host and
  # shims are found next to the pulumi binary.
  printf 'export PATH=%q\n' "$bin:$PATH"
  printf 'export PULUMI_HOME=%q\n' "$PULUMI_HOME"
  echo 'export PULUMI_SKIP_UPDATE_CHECK=true PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION=true PULUMI_IGNORE_AMBIENT_PLUGINS=true'
elif [ "$engine_only" = 1 ]; then
  say "ready: pulumi v$version in $bin (engine only; provider plugins not checked)"
else
  say "ready: pulumi v$version in $bin, plugins in $PULUMI_HOME/plugins"
fi
