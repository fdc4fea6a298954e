#!/usr/bin/env bash
# Sets up and runs `pulumi up` for one stack (default: dev) with a state backend inside the project
# (.pulumi/) and passphrase-encrypted secrets, checking the prerequisites first.
# Usage: npm run up [-- <stack>]
set -euo pipefail
cd "$(dirname "$0")/.."
stack="${1:-dev}"

fail() { echo "up: $*" >&2; exit 2; }
command -v pulumi >/dev/null || fail "the Pulumi CLI is required: https://www.pulumi.com/docs/install/"
node_major=$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)
[ "$node_major" -ge 22 ] || fail "Node 22 or newer is required (found $(node --version 2>/dev/null || echo none)); see .nvmrc"
[ -f "Pulumi.$stack.yaml" ] || fail "no stack file Pulumi.$stack.yaml"
[ -f "policies/config/$stack.json" ] ||
  fail "no policy config policies/config/$stack.json (copy the one of a stack like it, e.g. existing.json)"
provider="$(sed -n 's/^ *platform:clusterProvider: *["'"'"']\{0,1\}\([a-z]*\).*/\1/p' "Pulumi.$stack.yaml")"
case "$provider" in
k0s)
  command -v docker >/dev/null || fail "Docker is required for the local cluster"
  docker info >/dev/null 2>&1 || fail "the Docker engine is not running"
  ;;
doks)
  command -v doctl >/dev/null || fail "doctl is required for DigitalOcean stacks (the kubeconfig authenticates through it)"
  [ -n "${DIGITALOCEAN_TOKEN:-}" ] || fail "DIGITALOCEAN_TOKEN must be set for DigitalOcean stacks"
  export DIGITALOCEAN_ACCESS_TOKEN="${DIGITALOCEAN_ACCESS_TOKEN:-$DIGITALOCEAN_TOKEN}"
  ;;
existing)
  # Images are built and pushed only when the stack names a registry (not with appImages by digest).
  if grep -Eq "platform:registryServer: *[\"']?[^ \"']" "Pulumi.$stack.yaml"; then
    command -v docker >/dev/null || fail "Docker is required to build and push the app's images (platform:registryServer)"
    docker info >/dev/null 2>&1 || fail "the Docker engine is not running"
  fi
  ;;
*) fail "Pulumi.$stack.yaml sets no platform:clusterProvider (k0s, doks or existing)" ;;
esac

[ -d node_modules ] || npm ci --no-audit --no-fund

# State and the generated passphrase stay in the project (both git-ignored), not in ~/.pulumi.
mkdir -p .pulumi
export PULUMI_BACKEND_URL="${PULUMI_BACKEND_URL:-file://$PWD/.pulumi}"
if [ -z "${PULUMI_CONFIG_PASSPHRASE:-}" ] && [ -z "${PULUMI_CONFIG_PASSPHRASE_FILE:-}" ]; then
  passphrase=.pulumi/passphrase
  if [ ! -f "$passphrase" ]; then
    (umask 077 && head -c 32 /dev/urandom | base64 >"$passphrase")
    echo "up: generated a passphrase for stack secrets in $passphrase (back it up)"
  fi
  export PULUMI_CONFIG_PASSPHRASE_FILE="$PWD/$passphrase"
fi

# The offline plan validates the stack's configuration in a second, with every problem listed.
npm run -s plan -- --stack "$stack" >/dev/null

pulumi stack select --create "$stack"
args=(up --stack "$stack" --policy-pack policies --policy-pack-config "policies/config/$stack.json")
# A laptop cluster is disposable; cloud stacks show the preview and ask first.
if grep -q 'clusterProvider: *k0s' "Pulumi.$stack.yaml"; then args+=(--yes); fi
pulumi "${args[@]}"
