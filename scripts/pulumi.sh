#!/usr/bin/env bash
# Runs a pulumi command for a lakeforge stack with the pinned toolchain, e.g.
#   npm run preview -- --stack dev     (scripts/pulumi.sh preview --stack dev)
#   npm run up -- --stack dev          (scripts/pulumi.sh up --stack dev)
#   npm run destroy -- --stack dev     (scripts/pulumi.sh destroy --stack dev)
#   npm run outputs -- --stack dev     (scripts/pulumi.sh stack output --json --show-secrets --stack dev)
# It installs npm dependencies if missing, builds the toolchain (scripts/toolchain.sh) and the program
# (npm run build), uses a local file backend (file://<repo>/.pulumi-state unless PULUMI_BACKEND_URL is set),
# creates the stack on first use, starts a Docker Engine for docker-target stacks, and for preview
# runs the policy pack in policies/ with policies/config/<stack>.json (mandatory violations fail).
# Passphrase: PULUMI_CONFIG_PASSPHRASE, else PULUMI_CONFIG_PASSPHRASE_FILE, else a generated
# <repo>/.pulumi-passphrase (mode 600, git-ignored; keep it: it decrypts the stack's secrets).
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$repo"
die() { echo "pulumi.sh: error: $*" >&2; exit 1; }

[ $# -ge 1 ] || die "usage: $0 <preview|up|destroy|refresh|...> --stack <name> [pulumi flags]"
cmd=$1 && shift
stack=""
args=("$@")
for ((i = 0; i < ${#args[@]}; i++)); do
  case ${args[i]} in
    --stack | -s) stack=${args[i + 1]:-} ;;
    --stack=*) stack=${args[i]#--stack=} ;;
  esac
done
[ -n "$stack" ] || die "--stack <name> is required (stacks: $(ls Pulumi.*.yaml 2>/dev/null | sed 's/^Pulumi\.\(.*\)\.yaml$/\1/' | tr '\n' ' '))"
[ -f "Pulumi.$stack.yaml" ] || die "no Pulumi.$stack.yaml in $repo"

[ -d node_modules ] || npm ci --ignore-scripts
deploys=0 && case $cmd in preview | up | destroy | refresh) deploys=1 ;; esac
engine_only=() && [ "$deploys" = 1 ] || engine_only=(--engine-only) # reading outputs needs no provider plugin
toolchain_env=$(scripts/toolchain.sh --env "${engine_only[@]}") # not inside eval "$(...)": its failure must stop us
eval "$toolchain_env"
npm run --silent build

export PULUMI_BACKEND_URL=${PULUMI_BACKEND_URL:-file://$repo/.pulumi-state}
case $PULUMI_BACKEND_URL in file://*) mkdir -p "${PULUMI_BACKEND_URL#file://}" ;; esac
if [ -z "${PULUMI_CONFIG_PASSPHRASE+set}" ] && [ -z "${PULUMI_CONFIG_PASSPHRASE_FILE:-}" ]; then
  if [ ! -f .pulumi-passphrase ]; then
    (umask 077 && head -c 32 /dev/urandom | base64 >.pulumi-passphrase)
    echo "pulumi.sh: generated $repo/.pulumi-passphrase; keep it, it decrypts this clone's stack secrets" >&2
  fi
  export PULUMI_CONFIG_PASSPHRASE_FILE=$repo/.pulumi-passphrase
fi

# The passphrase provider stores a salt in the stack config file. Committed Pulumi.<stack>.yaml files carry
# none (each clone has its own passphrase), so the salt lives in a local copy of the config, passed with
# --config-file; a salt committed in Pulumi.<stack>.yaml (team-shared passphrase) is used as is.
config=Pulumi.$stack.yaml
if ! grep -q '^encryptionsalt:' "$config"; then
  local_config=.pulumi-state/config/Pulumi.$stack.yaml
  mkdir -p "$(dirname "$local_config")"
  salt=$(grep '^encryptionsalt:' "$local_config" 2>/dev/null || true)
fi
if ! pulumi stack select "$stack" --non-interactive >/dev/null 2>&1; then
  cp "$config" "$config.orig"
  created=0 && pulumi stack select --create "$stack" --non-interactive || created=$?
  # Stack creation writes the salt into the committed file: take it into the local copy, restore the file.
  [ -z "${local_config:-}" ] || salt=$(grep '^encryptionsalt:' "$config" || true)
  mv "$config.orig" "$config"
  [ "$created" = 0 ] || die "could not create stack $stack in $PULUMI_BACKEND_URL"
fi
flags=()
if [ -n "${local_config:-}" ]; then
  { cat "$config"; echo; [ -z "$salt" ] || echo "$salt"; } >"$local_config"
  # Commands that read config take the local copy; others (stack output, stack export) read the
  # salt from the stack's state and need only the passphrase.
  [ "$deploys" = 0 ] || flags+=(--config-file "$local_config")
fi

# The docker target needs a Docker Engine (started in the background if none answers).
target=$(sed -nE 's/^[[:space:]]+lakeforge:target:[[:space:]]*"?([a-z]+)"?.*/\1/p' "$config")
[ "$target" != docker ] || [ "$deploys" = 0 ] || scripts/dockerd.sh start

# Preview and up run the policy pack; a mandatory violation makes pulumi exit non-zero.
if [ "$cmd" = preview ] || [ "$cmd" = up ]; then
  [ -f policies/PulumiPolicy.yaml ] || die "policies/PulumiPolicy.yaml is missing: $cmd always runs the policy pack"
  [ -f "policies/config/$stack.json" ] || die "policies/config/$stack.json is missing (policy configuration for stack $stack)"
  flags+=(--policy-pack policies --policy-pack-config "policies/config/$stack.json")
fi
exec pulumi "$cmd" "${flags[@]}" "$@"
