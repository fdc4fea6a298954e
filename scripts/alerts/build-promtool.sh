#!/usr/bin/env bash
# Builds promtool (github.com/prometheus/prometheus/cmd/promtool) from the Go module proxy, once per
# version, into a cache folder outside the repository, and prints the binary's path:
#
#   <cache>/promtool-<version>/bin/promtool
#
# Usage: bash scripts/alerts/build-promtool.sh [--print-path]   (--print-path: build nothing; prints
#        the path the binary has once built, whether it exists or not)
#
# Versions: PROMETHEUS_MODULE_VERSION from scripts/alerts/versions.env, and the project's one pinned Go
# (GO_VERSION of scripts/engine/versions.env): a Go >= 1.21 on the PATH switches to it itself; without
# one, its toolchain is fetched from the Go module proxy with curl into the engine cache, where
# scripts/engine/build.sh keeps it too. The compiler's build cache is a private one, removed after the
# build. A folder counts once its `.complete` file exists (an interrupted build is redone).
#
# Settings: PLATFORM_TOOLS_CACHE (default ${XDG_CACHE_HOME:-$HOME/.cache}/k8s-platform-tools),
# PLATFORM_ENGINE_CACHE (where the fetched Go is kept), BUILD_JOBS (parallel compiles, default 2).
# Exit codes: 0 built or cached, 2 the build failed or Go cannot be had (the reason is printed).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
# shellcheck source=versions.env
source "$here/versions.env"
GO_VERSION="$(sed -n 's/^GO_VERSION=//p' "$here/../engine/versions.env")"

# 0.314.0 is Prometheus 3.14.0: the module's minor is the release's major and minor, two digits each.
IFS=. read -r _ module_minor module_patch <<<"$PROMETHEUS_MODULE_VERSION"
PROMETHEUS_VERSION="$((10#$module_minor / 100)).$((10#$module_minor % 100)).$module_patch"
module_version="v$PROMETHEUS_MODULE_VERSION"

cache="${PLATFORM_TOOLS_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/k8s-platform-tools}"
final="$cache/promtool-$PROMETHEUS_VERSION"
say() { echo "promtool-build: $*" >&2; }
fail() { say "$*"; exit 2; }

if [ "${1:-}" = "--print-path" ]; then
  echo "$final/bin/promtool"
  exit 0
fi
if [ -f "$final/.complete" ]; then
  echo "$final/bin/promtool"
  exit 0
fi

mkdir -p "$cache"
exec 9>"$cache/.lock"
if command -v flock >/dev/null; then flock 9; fi
if [ -f "$final/.complete" ]; then
  echo "$final/bin/promtool"
  exit 0
fi

# Exactly GO_VERSION, kept where scripts/engine/build.sh keeps it.
# shellcheck source=../engine/go.sh
source "$here/../engine/go.sh"
use_pinned_go "$GO_VERSION" "${PLATFORM_ENGINE_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/k8s-platform-engine}"
export GOFLAGS="-mod=mod -trimpath -buildvcs=false -p=${BUILD_JOBS:-2}" CGO_ENABLED=0
export GOCACHE="$cache/go-build-promtool"

started=$(date +%s)
say "building promtool $PROMETHEUS_VERSION with $(go version) (minutes when Go's caches are cold)"
rm -rf "$final.tmp"
mkdir -p "$final.tmp/bin" "$final.tmp/src"
build() {
  cd "$final.tmp/src"
  printf 'module platform.local/tools/promtool\n\ngo 1.24\n' >go.mod
  # `go install pkg@version` refuses a module with replace directives (prometheus has one): a wrapper
  # module requires it and repeats its non-local replaces.
  local gomod
  gomod="$(go mod download -json "github.com/prometheus/prometheus@$module_version" |
    sed -n 's/^[[:space:]]*"GoMod": "\(.*\)",$/\1/p')"
  [ -n "$gomod" ] || { say "the Go module proxy does not serve github.com/prometheus/prometheus@$module_version"; return 1; }
  { grep -E '^replace [^ ]+ => [^.]' "$gomod" || true; } | while read -r _ from _ to version; do
    go mod edit -replace="$from=$to@$version"
  done
  go get "github.com/prometheus/prometheus/cmd/promtool@$module_version"
  go build -o "$final.tmp/bin/promtool" -ldflags "-s -w \
    -X github.com/prometheus/common/version.Version=$PROMETHEUS_VERSION" \
    github.com/prometheus/prometheus/cmd/promtool
}
if ! (build); then
  rm -rf "$final.tmp" "$GOCACHE"
  fail "promtool $PROMETHEUS_VERSION: the build failed (the reason is above)"
fi
rm -rf "$final.tmp/src" "$GOCACHE"
"$final.tmp/bin/promtool" --version >/dev/null || fail "the built promtool does not run"
date -u +%FT%TZ >"$final.tmp/.complete"
rm -rf "$final"
mv "$final.tmp" "$final"
say "promtool $PROMETHEUS_VERSION: built in $(($(date +%s) - started)) s"
echo "$final/bin/promtool"
