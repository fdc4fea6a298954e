#!/usr/bin/env bash
# Builds the engine toolchain of `npm run test:engine` from the Go module proxy, once per version,
# into a cache folder outside the repository:
#
#   <cache>/pulumi-<v>/bin/pulumi                        Pulumi CLI
#   <cache>/pulumi-kubernetes-<v>/bin/pulumi-resource-kubernetes
#   <cache>/kubernetes-<v>/bin/{kube-apiserver,kube-controller-manager,kube-scheduler,kubectl}
#   <cache>/etcd-<v>/bin/etcd
#   <cache>/kwok-<v>/bin/kwok, <cache>/kwok-<v>/stages/*.yaml
#   <cache>/gateway-api-<v>/crds/*.yaml                  Gateway API standard-channel CRDs (no build)
#
# Usage: bash scripts/engine/build.sh [pulumi|provider|control-plane|gateway-api|all]...   (default: all)
#        bash scripts/engine/build.sh --print-dirs     the bin folders (and the CRD folder), one per
#                                                      line; builds nothing
#
# Versions come from scripts/engine/versions.env, the Gateway API's from the program's own
# GATEWAY_API_VERSION (components/ingress/versions.ts), so the CRDs are the ones it installs. A
# folder is complete once its `.complete` file exists; a build writes to a temporary folder and
# renames it, so an interrupted build is redone, never half-used. Downloaded modules stay in Go's module cache (about 3 GB). The compiler's build
# cache grows to about 10 GB for these tools, so it is a private one under the cache folder,
# removed once the tools are built (ENGINE_KEEP_GOCACHE=1 keeps it, to rebuild faster after a bump).
#
# Settings: PLATFORM_ENGINE_CACHE (default ${XDG_CACHE_HOME:-$HOME/.cache}/k8s-platform-engine),
# ENGINE_BUILD_JOBS (parallel compiles, default 2). Needs the Go module proxy, and Go >= 1.21 or
# curl: the builds use exactly GO_VERSION of versions.env, fetched from the proxy when needed.
# Cold, on two cores: about 18 minutes for all (measured with other work running), 4 GB of memory
# at most (linking kube-apiserver).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
# shellcheck source=versions.env
source "$here/versions.env"

cache="${PLATFORM_ENGINE_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/k8s-platform-engine}"
say() { echo "engine-build: $*" >&2; }
fail() { say "$*"; exit 2; }

dir_pulumi="$cache/pulumi-$PULUMI_VERSION"
dir_provider="$cache/pulumi-kubernetes-$PULUMI_KUBERNETES_VERSION"
dir_kubernetes="$cache/kubernetes-$KUBERNETES_VERSION"
dir_etcd="$cache/etcd-$ETCD_VERSION"
dir_kwok="$cache/kwok-$KWOK_VERSION"
# The one place the program pins the Gateway API (a line `export const GATEWAY_API_VERSION = "v1.5.1";`).
versions_ts="$here/../../components/ingress/versions.ts"
GATEWAY_API_VERSION="$(sed -n 's/^export const GATEWAY_API_VERSION = "\(v[^"]*\)";.*$/\1/p' "$versions_ts" 2>/dev/null | head -n 1)"
[ -n "$GATEWAY_API_VERSION" ] || fail "no 'export const GATEWAY_API_VERSION = \"v…\";' line in $versions_ts"
dir_gateway_api="$cache/gateway-api-$GATEWAY_API_VERSION"

if [ "${1:-}" = "--print-dirs" ]; then
  printf '%s/bin\n' "$dir_pulumi" "$dir_provider" "$dir_kubernetes" "$dir_etcd" "$dir_kwok"
  printf '%s/crds\n' "$dir_gateway_api"
  exit 0
fi

export GOFLAGS="-mod=mod -trimpath -buildvcs=false -p=${ENGINE_BUILD_JOBS:-2}"
export CGO_ENABLED=0 GOCACHE="$cache/go-build"
mkdir -p "$cache"

# One build at a time per cache folder: a second caller waits instead of building twice (where
# util-linux's flock exists; elsewhere, don't run two builds at once).
exec 9>"$cache/.lock"
if command -v flock >/dev/null; then flock 9; fi

# Go itself, the first time something must be built: exactly GO_VERSION, for reproducible builds.
# A Go >= 1.21 on the PATH switches to it (GOTOOLCHAIN, fetched from the Go module proxy); without
# Go, or with an older one, its toolchain module is fetched from the proxy by curl.
# shellcheck source=go.sh
source "$here/go.sh"
go_ready=""
use_go() {
  [ -z "$go_ready" ] || return 0
  use_pinned_go "$GO_VERSION" "$cache"
  say "using $(go version)"
  go_ready=1
}

# build_into <final dir> <label> <function>: runs the function with $out set to a fresh temporary
# folder, then moves it into place. Skips when the final folder is complete.
build_into() {
  local final="$1" label="$2" fn="$3" started
  if [ -f "$final/.complete" ]; then
    say "$label: cached in $final"
    return 0
  fi
  started=$(date +%s)
  say "$label: building (this takes minutes when Go's caches are cold)"
  use_go
  rm -rf "$final.tmp"
  mkdir -p "$final.tmp/bin" "$final.tmp/src"
  if ! (out="$final.tmp" && cd "$out/src" && "$fn"); then
    rm -rf "$final.tmp"
    fail "$label: the build failed (the reason is above)"
  fi
  rm -rf "$final.tmp/src"
  # A library package "builds" into an archive: make sure every output is a program.
  for binary in "$final.tmp"/bin/*; do
    [ -x "$binary" ] || fail "$label: $binary is not an executable"
  done
  date -u +%FT%TZ >"$final.tmp/.complete"
  rm -rf "$final"
  mv "$final.tmp" "$final"
  say "$label: built in $(($(date +%s) - started)) s"
}

# module_field <module@version> <GoMod|Dir>: that field of `go mod download -json` (downloading
# the module); fails with the proxy's own reason (e.g. "not found") when it cannot.
module_field() {
  local json value
  json="$(go mod download -json "$1" 2>&1)" || true
  value="$(printf '%s\n' "$json" | sed -n "s/^[[:space:]]*\"$2\": \"\\(.*\\)\",\$/\\1/p")"
  if [ -z "$value" ]; then
    fail "the Go module proxy does not serve $1: $(printf '%s\n' "$json" | sed -n 's/^[[:space:]]*"Error": "\(.*\)"$/\1/p' | head -n 1)"
  fi
  printf '%s\n' "$value"
}

# The Pulumi CLI. `go install` refuses pkg/v3 (its go.mod has replace directives), so a wrapper
# module requires pkg and sdk at the same version and repeats pkg's non-local replaces.
build_pulumi() {
  local src="$out/src" gomod
  cd "$src"
  printf 'module platform.local/engine/pulumi\n\ngo 1.24\n' >go.mod
  gomod="$(module_field "github.com/pulumi/pulumi/pkg/v3@v$PULUMI_VERSION" GoMod)"
  # Single-line replaces whose target is not a local path (`=> ./` or `=> ../`).
  { grep -E '^replace [^ ]+ => [^.]' "$gomod" || true; } | while read -r _ from _ to version; do
    go mod edit -replace="$from=$to@$version"
  done
  go get "github.com/pulumi/pulumi/pkg/v3/cmd/pulumi@v$PULUMI_VERSION" \
    "github.com/pulumi/pulumi/sdk/v3@v$PULUMI_VERSION"
  go build -o "$out/bin/pulumi" \
    -ldflags "-s -w -X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=v$PULUMI_VERSION" \
    github.com/pulumi/pulumi/pkg/v3/cmd/pulumi
}

# The Kubernetes provider, from a writable copy of its module: its go.mod points the SDK at `../sdk`
# (replaced by the published sdk/v4 release), and `go generate` embeds the schema with its version.
build_provider() {
  local src="$out/src/provider" moddir
  moddir="$(module_field "github.com/pulumi/pulumi-kubernetes/provider/v4@$PULUMI_KUBERNETES_MODULE_VERSION" Dir)"
  cp -r "$moddir" "$src"
  chmod -R u+w "$src"
  cd "$src"
  go mod edit -dropreplace=github.com/pulumi/pulumi-kubernetes/sdk/v4 \
    -require="github.com/pulumi/pulumi-kubernetes/sdk/v4@v$PULUMI_KUBERNETES_VERSION"
  (cd cmd/pulumi-resource-kubernetes && VERSION="$PULUMI_KUBERNETES_VERSION" go generate ./...)
  go build -o "$out/bin/pulumi-resource-kubernetes" \
    -ldflags "-s -w -X github.com/pulumi/pulumi-kubernetes/provider/v4/pkg/version.Version=$PULUMI_KUBERNETES_VERSION" \
    ./cmd/pulumi-resource-kubernetes
}

# kube-apiserver, kube-controller-manager, kube-scheduler and kubectl. k8s.io/kubernetes replaces
# its staging modules (k8s.io/api, apimachinery, client-go, ...) with ./staging/src/...; the wrapper
# replaces each with its published v0 release instead.
build_kubernetes() {
  local src="$out/src" gomod staging_version="v0.${KUBERNETES_VERSION#1.}" version_pkg
  cd "$src"
  printf 'module platform.local/engine/kubernetes\n\ngo 1.24\n' >go.mod
  gomod="$(module_field "k8s.io/kubernetes@v$KUBERNETES_VERSION" GoMod)"
  grep -E '=> \./staging/src/' "$gomod" | awk '{print $1}' | while read -r module; do
    go mod edit -replace="$module=$module@$staging_version"
  done
  go get "k8s.io/kubernetes@v$KUBERNETES_VERSION"
  version_pkg=k8s.io/component-base/version
  go build -o "$out/bin/" -ldflags "-s -w \
    -X $version_pkg.gitVersion=v$KUBERNETES_VERSION -X $version_pkg.gitTreeState=clean \
    -X $version_pkg.gitMajor=${KUBERNETES_VERSION%%.*} -X $version_pkg.gitMinor=$(echo "$KUBERNETES_VERSION" | cut -d. -f2) \
    -X k8s.io/client-go/pkg/version.gitVersion=v$KUBERNETES_VERSION" \
    k8s.io/kubernetes/cmd/kube-apiserver k8s.io/kubernetes/cmd/kube-controller-manager \
    k8s.io/kubernetes/cmd/kube-scheduler k8s.io/kubernetes/cmd/kubectl
}

# etcd: the server module's main package, from a wrapper (its replace directives point at ../api
# etc. and apply only when it is the main module; as a dependency its published requirements count).
build_etcd() {
  printf 'module platform.local/engine/etcd\n\ngo 1.24\n' >go.mod
  go get "go.etcd.io/etcd/server/v3@v$ETCD_VERSION"
  go build -o "$out/bin/etcd" -ldflags "-s -w" go.etcd.io/etcd/server/v3
}

# kwok installs as it is; its Stage definitions (what fake nodes and pods do) ship in the module.
build_kwok() {
  local moddir stage
  GOBIN="$out/bin" GOFLAGS="${GOFLAGS/-mod=mod /}" go install -ldflags "-s -w" \
    "sigs.k8s.io/kwok/cmd/kwok@v$KWOK_VERSION" "sigs.k8s.io/kwok/cmd/kwokctl@v$KWOK_VERSION"
  moddir="$(cd "$out/src" && printf 'module platform.local/engine/kwok\n\ngo 1.24\n' >go.mod &&
    module_field "sigs.k8s.io/kwok@v$KWOK_VERSION" Dir)"
  mkdir -p "$out/stages"
  for stage in node-initialize node-heartbeat-with-lease pod-ready pod-complete pod-delete; do
    find "$moddir/kustomize/stage" -name "$stage.yaml" -exec cp {} "$out/stages/" \;
    [ -f "$out/stages/$stage.yaml" ] || fail "kwok $KWOK_VERSION has no stage $stage under kustomize/stage"
  done
  chmod -R u+w "$out/stages"
}

# The Gateway API's standard-channel CRDs: files of the module sigs.k8s.io/gateway-api (its
# config/crd/standard, which the release's standard-install.yaml is built from), no build. Cheap
# when cold: one 5 MB module zip, and any Go on the PATH fetches it (GOTOOLCHAIN=local: no switch to
# GO_VERSION, which would download a toolchain for a download); without Go, use_go fetches GO_VERSION.
fetch_gateway_api() {
  local final="$dir_gateway_api" label="gateway-api $GATEWAY_API_VERSION CRDs" started moddir crd
  if [ -f "$final/.complete" ]; then
    say "$label: cached in $final"
    return 0
  fi
  started=$(date +%s)
  local toolchain=local
  if [ -z "$(go env GOVERSION 2>/dev/null)" ]; then use_go && toolchain="$GOTOOLCHAIN"; fi
  rm -rf "$final.tmp"
  mkdir -p "$final.tmp/crds"
  moddir="$(cd "$final.tmp" && GOTOOLCHAIN="$toolchain" module_field "sigs.k8s.io/gateway-api@$GATEWAY_API_VERSION" Dir)"
  for crd in "$moddir"/config/crd/standard/*.yaml; do
    [ -f "$crd" ] || fail "sigs.k8s.io/gateway-api@$GATEWAY_API_VERSION has no config/crd/standard/*.yaml"
    cp "$crd" "$final.tmp/crds/"
  done
  chmod -R u+w "$final.tmp"
  printf 'sigs.k8s.io/gateway-api@%s config/crd/standard\n' "$GATEWAY_API_VERSION" >"$final.tmp/SOURCE"
  date -u +%FT%TZ >"$final.tmp/.complete"
  rm -rf "$final"
  mv "$final.tmp" "$final"
  say "$label: fetched in $(($(date +%s) - started)) s ($(ls "$final/crds" | wc -l) files)"
}

targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(all)
[ "${targets[*]}" != all ] || targets=(pulumi provider control-plane gateway-api)
for target in "${targets[@]}"; do
  case "$target" in
  pulumi) build_into "$dir_pulumi" "pulumi $PULUMI_VERSION" build_pulumi ;;
  provider) build_into "$dir_provider" "pulumi-resource-kubernetes $PULUMI_KUBERNETES_VERSION" build_provider ;;
  control-plane)
    build_into "$dir_etcd" "etcd $ETCD_VERSION" build_etcd
    build_into "$dir_kwok" "kwok $KWOK_VERSION" build_kwok
    build_into "$dir_kubernetes" "kubernetes $KUBERNETES_VERSION" build_kubernetes
    ;;
  gateway-api) fetch_gateway_api ;;
  *) fail "unknown target '$target' (expected pulumi, provider, control-plane, gateway-api or all)" ;;
  esac
done
[ "${ENGINE_KEEP_GOCACHE:-}" = 1 ] || rm -rf "$GOCACHE"
