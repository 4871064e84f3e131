#!/usr/bin/env bash
# Runs a pulumi command for a lakeforge stack with the user's own Pulumi CLI, e.g.
#   npm run preview -- --stack dev     (scripts/pulumi.sh preview --stack dev)
#   npm run up -- --stack dev          (scripts/pulumi.sh up --stack dev)
#   npm run destroy -- --stack dev [--delete-data]
#   npm run outputs -- --stack dev     (scripts/pulumi.sh stack output --json --show-secrets --stack dev)
# Needs: a `pulumi` CLI on PATH at least as new as the @pulumi/pulumi SDK (any newer 3.x works),
# Node.js, and for docker-target stacks a running Docker Engine on this machine. Plugins are
# installed the way Pulumi installs them (on first use, into $PULUMI_HOME).
# Backend: PULUMI_BACKEND_URL, else the backend `pulumi login` chose, else a local file backend in
# $LAKEFORGE_HOME (default ${XDG_STATE_HOME:-~/.local/state}/lakeforge), outside the repository so
# `git clean -fdx` or a fresh clone never takes the state and its passphrase with it.
# Passphrase (self-managed backends): PULUMI_CONFIG_PASSPHRASE(_FILE), else $LAKEFORGE_HOME/passphrase.
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$repo"
die() { echo "lakeforge: error: $*" >&2; exit 1; }
say() { echo "lakeforge: $*" >&2; }

[ $# -ge 1 ] || die "usage: $0 <preview|up|destroy|refresh|...> --stack <name> [pulumi flags]"
cmd=$1 && shift
stack="" delete_data=0 args=()
while [ $# -gt 0 ]; do
  case $1 in
    --stack | -s) stack=${2:-} && args+=("$1" "$stack") && shift ;;
    --stack=*) stack=${1#--stack=} && args+=("$1") ;;
    --delete-data) delete_data=1 ;;
    *) args+=("$1") ;;
  esac
  shift
done
stacks=$(ls Pulumi.*.yaml 2>/dev/null | sed 's/^Pulumi\.\(.*\)\.yaml$/\1/' | tr '\n' ' ')
[ -n "$stack" ] || die "--stack <name> is required (stacks: $stacks)"
[ -f "Pulumi.$stack.yaml" ] || die "no Pulumi.$stack.yaml in $repo (stacks: $stacks)"
[ "$delete_data" = 0 ] || [ "$cmd" = destroy ] || die "--delete-data only goes with destroy"

# ---- the Pulumi CLI: the user's own, at least the SDK's version --------------------------------
[ -d node_modules/@pulumi/pulumi ] || npm ci --ignore-scripts --no-audit --no-fund
sdk=$(node -p 'require("@pulumi/pulumi/package.json").version')
command -v pulumi >/dev/null ||
  die "the pulumi CLI is not on PATH; install Pulumi >= $sdk (https://www.pulumi.com/docs/iac/download-install/; air-gapped machines: npm run toolchain)"
cli=$(PULUMI_SKIP_UPDATE_CHECK=true pulumi version 2>/dev/null | sed 's/^v//')
[ "$(printf '%s\n%s\n' "$sdk" "$cli" | sort -V | head -1)" = "$sdk" ] ||
  die "pulumi $cli is older than the @pulumi/pulumi SDK ($sdk) this program uses; upgrade the CLI to >= $sdk"

# ---- backend and passphrase ---------------------------------------------------------------------
home=${LAKEFORGE_HOME:-${XDG_STATE_HOME:-$HOME/.local/state}/lakeforge}
local_backend=0
if [ -z "${PULUMI_BACKEND_URL:-}" ] && ! PULUMI_SKIP_UPDATE_CHECK=true pulumi whoami --non-interactive >/dev/null 2>&1; then
  export PULUMI_BACKEND_URL=file://$home/state
  local_backend=1
  mkdir -p "$home/state" && chmod 700 "$home"
fi
if [ -z "${PULUMI_CONFIG_PASSPHRASE+set}" ] && [ -z "${PULUMI_CONFIG_PASSPHRASE_FILE:-}" ]; then
  if [ ! -f "$home/passphrase" ]; then
    mkdir -p "$home" && (umask 077 && head -c 32 /dev/urandom | base64 >"$home/passphrase")
    say "generated $home/passphrase: it decrypts every secret of stacks in $home/state"
  fi
  export PULUMI_CONFIG_PASSPHRASE_FILE=$home/passphrase
fi

deploys=0 && case $cmd in preview | up | destroy | refresh) deploys=1 ;; esac
[ "$deploys" = 0 ] || npm run --silent build

# The passphrase provider keeps a salt in the stack config. Committed Pulumi.<stack>.yaml files carry
# none (each user has their own passphrase), so the salt lives in a local copy of the config in
# $LAKEFORGE_HOME, passed with --config-file; a salt committed in the file (a shared passphrase) is used as is.
config=Pulumi.$stack.yaml
flags=()
if ! grep -q '^encryptionsalt:' "$config"; then
  local_config=$home/config/Pulumi.$stack.yaml
  mkdir -p "$(dirname "$local_config")"
  salt=$(grep '^encryptionsalt:' "$local_config" 2>/dev/null || true)
fi
if ! pulumi stack select "$stack" --non-interactive >/dev/null 2>&1; then
  cp "$config" "$home/.Pulumi.$stack.yaml.orig"
  created=0 && pulumi stack init "$stack" --non-interactive >&2 || created=$?
  # Stack creation writes the salt into the committed file: take it into the local copy, restore the file.
  [ -z "${local_config:-}" ] || salt=$(grep '^encryptionsalt:' "$config" || true)
  mv "$home/.Pulumi.$stack.yaml.orig" "$config"
  [ "$created" = 0 ] || die "could not create stack $stack in ${PULUMI_BACKEND_URL:-your Pulumi backend}"
fi
if [ -n "${local_config:-}" ]; then
  { cat "$config"; echo; [ -z "$salt" ] || echo "$salt"; } >"$local_config"
  [ "$deploys" = 0 ] || flags+=(--config-file "$local_config")
fi

# ---- the target -----------------------------------------------------------------------------------
target=$(sed -nE 's/^[[:space:]]+lakeforge:target:[[:space:]]*"?([a-z]+)"?.*/\1/p' "$config")
if [ "$target" = docker ] && [ "$deploys" = 1 ]; then
  case ${DOCKER_HOST:-unix://} in
    unix://* | npipe://* | tcp://127.0.0.1* | tcp://localhost*) ;;
    *) die "DOCKER_HOST=$DOCKER_HOST is not on this machine; lakeforge's bootstrap connects to ports published on this machine, so use a local Docker Engine" ;;
  esac
  docker info >/dev/null 2>&1 ||
    die "no Docker Engine answers (docker info failed): start Docker Desktop, colima or the docker service, then run this again"
fi

# Preview and up run the policy pack; a mandatory violation makes pulumi exit non-zero.
if [ "$cmd" = preview ] || [ "$cmd" = up ]; then
  [ -f "policies/config/$stack.json" ] || die "policies/config/$stack.json is missing (policy configuration for stack $stack)"
  flags+=(--policy-pack policies --policy-pack-config "policies/config/$stack.json")
fi

status=0 && pulumi "$cmd" "${flags[@]}" "${args[@]}" || status=$?
[ "$status" = 0 ] || exit "$status"

if [ "$cmd" = up ] && [ "$local_backend" = 1 ] && [ ! -f "$home/.backup-notice" ]; then
  say "BACK UP $home (state/ and passphrase) now: they hold the only copy of the secrets server's unseal keys"
  say "and root token, and every generated credential. Losing either makes the stack's secrets unrecoverable."
  touch "$home/.backup-notice"
fi
if [ "$cmd" = destroy ] && [ "$target" = docker ]; then
  network=$(node -e 'const y=require("yaml");const c=y.parse(require("fs").readFileSync(process.argv[1],"utf8")).config??{};
    console.log((c["lakeforge:docker"]??{}).network??"lakeforge")' "$config")
  volumes=$(docker volume ls -q --filter "label=dev.lakeforge.network=$network")
  if [ "$delete_data" = 1 ]; then
    [ -z "$volumes" ] || docker volume rm $volumes >/dev/null
    say "deleted the data volumes: $(echo ${volumes:-none})"
  elif [ -n "$volumes" ]; then
    say "kept the data volumes (as docker compose down does): $(echo $volumes)"
    say "they need this stack's credentials, which destroy removed; delete them before the next up: npm run destroy -- --stack $stack --delete-data"
  fi
fi
