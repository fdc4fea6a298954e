#!/usr/bin/env bash
# Builds the engine toolchain of `npm run test:engine` from the Go module proxy, once per version,
# into a cache folder outside the repository:
#
#   <cache>/pulumi-<v>/bin/pulumi                        Pulumi CLI
#   <cache>/pulumi-kubernetes-<v>/bin/pulumi-resource-kubernetes
#   <cache>/kubernetes-<v>/bin/{kube-apiserver,kube-controller-manager,kube-scheduler,kubectl}
#   <cache>/etcd-<v>/bin/etcd
#   <cache>/kwok-<v>/bin/kwok, <cache>/kwok-<v>/stages/*.yaml
#
# Usage: bash scripts/engine/build.sh [pulumi|provider|control-plane|all]...   (default: all)
#        bash scripts/engine/build.sh --print-dirs     the bin folders, one per line; builds nothing
#
# Versions come from scripts/engine/versions.env. A folder is complete once its `.complete` file
# exists; a build writes to a temporary folder and renames it, so an interrupted build is redone,
# never half-used. Downloaded modules stay in Go's module cache (about 3 GB). The compiler's build
# cache grows to about 10 GB for these tools, so it is a private one under the cache folder,
# removed once the tools are built (ENGINE_KEEP_GOCACHE=1 keeps it, to rebuild faster after a bump).
#
# Settings: PLATFORM_ENGINE_CACHE (default ${XDG_CACHE_HOME:-$HOME/.cache}/k8s-platform-engine),
# ENGINE_BUILD_JOBS (parallel compiles, default 2). Needs Go >= 1.24 and the Go module proxy.
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

if [ "${1:-}" = "--print-dirs" ]; then
  printf '%s/bin\n' "$dir_pulumi" "$dir_provider" "$dir_kubernetes" "$dir_etcd" "$dir_kwok"
  exit 0
fi

command -v go >/dev/null || fail "Go is required to build the engine toolchain (https://go.dev/dl/, >= 1.24)"
# Never download another Go toolchain: the proxy may not serve it, and the machine's Go builds all.
export GOTOOLCHAIN=local GOFLAGS="-mod=mod -trimpath -buildvcs=false -p=${ENGINE_BUILD_JOBS:-2}"
export CGO_ENABLED=0 GOCACHE="$cache/go-build"
mkdir -p "$cache"

# One build at a time per cache folder: a second caller waits instead of building twice.
exec 9>"$cache/.lock"
flock 9

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
  rm -rf "$final.tmp"
  mkdir -p "$final.tmp/bin" "$final.tmp/src"
  (out="$final.tmp" && cd "$out/src" && "$fn")
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

# Path of a module's go.mod in the module cache (downloading it).
module_gomod() {
  go mod download -json "$1" | sed -n 's/^[[:space:]]*"GoMod": "\(.*\)",$/\1/p'
}
module_dir() {
  go mod download -json "$1" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p'
}

# The Pulumi CLI. `go install` refuses pkg/v3 (its go.mod has replace directives), so a wrapper
# module requires pkg and sdk at the same version and repeats pkg's non-local replaces.
build_pulumi() {
  local src="$out/src" gomod
  cd "$src"
  printf 'module platform.local/engine/pulumi\n\ngo 1.24\n' >go.mod
  gomod="$(module_gomod "github.com/pulumi/pulumi/pkg/v3@v$PULUMI_VERSION")"
  [ -n "$gomod" ] || fail "the Go module proxy does not serve github.com/pulumi/pulumi/pkg/v3@v$PULUMI_VERSION"
  # Single-line replaces whose target is not a local path (`=> ./` or `=> ../`).
  grep -E '^replace [^ ]+ => [^.]' "$gomod" | while read -r _ from _ to version; do
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
  moddir="$(module_dir "github.com/pulumi/pulumi-kubernetes/provider/v4@$PULUMI_KUBERNETES_MODULE_VERSION")"
  [ -n "$moddir" ] || fail "the Go module proxy does not serve the provider module $PULUMI_KUBERNETES_MODULE_VERSION"
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
  gomod="$(module_gomod "k8s.io/kubernetes@v$KUBERNETES_VERSION")"
  [ -n "$gomod" ] || fail "the Go module proxy does not serve k8s.io/kubernetes@v$KUBERNETES_VERSION"
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
    module_dir "sigs.k8s.io/kwok@v$KWOK_VERSION")"
  mkdir -p "$out/stages"
  for stage in node-initialize node-heartbeat-with-lease pod-ready pod-complete pod-delete; do
    find "$moddir/kustomize/stage" -name "$stage.yaml" -exec cp {} "$out/stages/" \;
    [ -f "$out/stages/$stage.yaml" ] || fail "kwok $KWOK_VERSION has no stage $stage under kustomize/stage"
  done
  chmod -R u+w "$out/stages"
}

targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(all)
[ "${targets[*]}" != all ] || targets=(pulumi provider control-plane)
for target in "${targets[@]}"; do
  case "$target" in
  pulumi) build_into "$dir_pulumi" "pulumi $PULUMI_VERSION" build_pulumi ;;
  provider) build_into "$dir_provider" "pulumi-resource-kubernetes $PULUMI_KUBERNETES_VERSION" build_provider ;;
  control-plane)
    build_into "$dir_etcd" "etcd $ETCD_VERSION" build_etcd
    build_into "$dir_kwok" "kwok $KWOK_VERSION" build_kwok
    build_into "$dir_kubernetes" "kubernetes $KUBERNETES_VERSION" build_kubernetes
    ;;
  *) fail "unknown target '$target' (expected pulumi, provider, control-plane or all)" ;;
  esac
done
[ "${ENGINE_KEEP_GOCACHE:-}" = 1 ] || rm -rf "$GOCACHE"
