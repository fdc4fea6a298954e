#!/usr/bin/env bash
# Sets up and runs `pulumi up` for one stack (default: dev), checking every prerequisite first and
# naming all that are missing at once.
#
# Usage: npm run up [-- <stack> [--local-state]]
#
# State: dev and existing-cluster stacks keep theirs in the project (.pulumi/, git-ignored) with
# passphrase-encrypted secrets. DigitalOcean stacks must use the backend the team and CI share
# (Pulumi Cloud after `pulumi login`, or a DigitalOcean Spaces bucket: PULUMI_BACKEND_URL=s3://…,
# see the README): a copy of staging's state on one laptop would be a second, diverging staging.
# --local-state allows a file backend for them anyway (a throwaway account, say).
set -euo pipefail
cd "$(dirname "$0")/.."

stack=dev
local_state=false
for arg in "$@"; do
  case "$arg" in
  --local-state) local_state=true ;;
  -*) echo "up: unknown option $arg (usage: npm run up [-- <stack> [--local-state]])" >&2; exit 2 ;;
  *) stack="$arg" ;;
  esac
done

missing=()
need() { missing+=("$*"); }
command -v pulumi >/dev/null || need "the Pulumi CLI: https://www.pulumi.com/docs/install/"
node_major=$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)
[ "$node_major" -ge 22 ] || need "Node 22 or newer (found $(node --version 2>/dev/null || echo none)); see .nvmrc"
[ -f "policies/config/$stack.json" ] ||
  need "a policy config policies/config/$stack.json (copy the one of a stack like it, e.g. existing.json)"
provider=""
if [ -f "Pulumi.$stack.yaml" ]; then
  provider="$(sed -n 's/^ *platform:clusterProvider: *["'"'"']\{0,1\}\([a-z]*\).*/\1/p' "Pulumi.$stack.yaml")"
else
  need "a stack file Pulumi.$stack.yaml"
fi
docker_needed() {
  command -v docker >/dev/null || { need "Docker, $1"; return; }
  docker info >/dev/null 2>&1 || need "a running Docker engine, $1"
}
case "$provider" in
k0s) docker_needed "for the local cluster" ;;
doks)
  command -v doctl >/dev/null || need "doctl, for DigitalOcean stacks (the kubeconfig authenticates through it)"
  [ -n "${DIGITALOCEAN_TOKEN:-}" ] || need "DIGITALOCEAN_TOKEN, a DigitalOcean API token"
  # The provider creates the backup buckets (Spaces) through the S3 API, with a Spaces key of its own.
  if { [ -z "${SPACES_ACCESS_KEY_ID:-}" ] || [ -z "${SPACES_SECRET_ACCESS_KEY:-}" ]; } &&
    ! grep -q "digitalocean:spacesAccessId:" "Pulumi.$stack.yaml"; then
    need "SPACES_ACCESS_KEY_ID and SPACES_SECRET_ACCESS_KEY, a Spaces access key with full access (the provider creates the backup buckets with it; or the secrets digitalocean:spacesAccessId and digitalocean:spacesSecretKey)"
  fi
  docker_needed "to build and push the app's images"
  # The backend in use: PULUMI_BACKEND_URL, else what `pulumi login` chose (`pulumi login --local`
  # is a file backend too).
  backend="${PULUMI_BACKEND_URL:-$({ pulumi whoami --json 2>/dev/null || true; } | sed -n 's/.*"url": *"\([^"]*\)".*/\1/p')}"
  if ! $local_state && { [ -z "$backend" ] || [[ "$backend" == file://* ]]; }; then
    need "the team's state backend, not one on this machine (${backend:-none}): \`pulumi login\` to Pulumi Cloud, as CI uses, or the S3-compatible backend the team shares (see the README); --local-state keeps it here anyway"
  fi
  ;;
existing)
  # Images are built and pushed only when the stack names a registry (not with appImages by digest).
  if grep -Eq "platform:registryServer: *[\"']?[^ \"']" "Pulumi.$stack.yaml"; then
    docker_needed "to build and push the app's images (platform:registryServer)"
  fi
  ;;
"") [ ! -f "Pulumi.$stack.yaml" ] || need "platform:clusterProvider in Pulumi.$stack.yaml (k0s, doks or existing)" ;;
*) need "a known platform:clusterProvider in Pulumi.$stack.yaml (k0s, doks or existing), not $provider" ;;
esac
if [ ${#missing[@]} -gt 0 ]; then
  echo "up: cannot run \`pulumi up\` for stack $stack; missing:" >&2
  printf '  - %s\n' "${missing[@]}" >&2
  exit 2
fi

[ -d node_modules ] || npm ci --no-audit --no-fund

if [ "$provider" = doks ]; then
  export DIGITALOCEAN_ACCESS_TOKEN="${DIGITALOCEAN_ACCESS_TOKEN:-$DIGITALOCEAN_TOKEN}"
fi
if [ "$provider" != doks ] || $local_state; then
  # State and the generated passphrase stay in the project (both git-ignored), not in ~/.pulumi.
  mkdir -p .pulumi
  export PULUMI_BACKEND_URL="${PULUMI_BACKEND_URL:-file://$PWD/.pulumi}"
fi
if [[ "${PULUMI_BACKEND_URL:-}" == file://* ]] && [ -z "${PULUMI_CONFIG_PASSPHRASE:-}" ] &&
  [ -z "${PULUMI_CONFIG_PASSPHRASE_FILE:-}" ]; then
  passphrase=.pulumi/passphrase
  if [ ! -f "$passphrase" ]; then
    (umask 077 && head -c 32 /dev/urandom | base64 >"$passphrase")
    echo "up: generated a passphrase for stack secrets in $passphrase (back it up)"
  fi
  export PULUMI_CONFIG_PASSPHRASE_FILE="$PWD/$passphrase"
fi

# The offline plan checks the configuration and runs the policy pack in seconds; when it stops
# the run, its report says why.
if ! report="$(npm run -s plan -- --stack "$stack" 2>&1)"; then
  printf '%s\n' "$report" >&2
  echo "up: the offline plan of stack $stack found the problems above; nothing was changed" >&2
  exit 1
fi

pulumi stack select --create "$stack"
args=(up --stack "$stack" --policy-pack policies --policy-pack-config "policies/config/$stack.json")
# A laptop cluster is disposable; other stacks show the preview and ask first.
if [ "$provider" = k0s ]; then args+=(--yes); fi
pulumi "${args[@]}"
