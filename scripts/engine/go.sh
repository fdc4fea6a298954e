# shellcheck shell=bash
# Exactly one Go for every tool this project builds from the Go module proxy (the engine toolchain,
# promtool): sourced by scripts/engine/build.sh and scripts/alerts/build-promtool.sh, which define
# `say` and `fail` before calling it.
#
#   use_pinned_go <go version> <cache folder>
#
# A Go >= 1.21 on the PATH switches to the version itself (GOTOOLCHAIN, fetched from the Go module
# proxy). Without Go, or with an older one, the toolchain module is fetched from the proxy by curl
# into <cache folder>/go-<version> once, and put first on the PATH.
use_pinned_go() {
  local version="$1" cache="$2" minor
  minor="$(go env GOVERSION 2>/dev/null | sed -n 's/^go1\.\([0-9]*\).*/\1/p' || true)"
  if [ -n "$minor" ] && [ "$minor" -ge 21 ]; then
    export GOTOOLCHAIN="go$version"
    return 0
  fi
  local dir="$cache/go-$version" proxy="${GOPROXY:-https://proxy.golang.org}" arch module
  arch="$(uname -m | sed 's/x86_64/amd64/; s/aarch64/arm64/')"
  module="golang.org/toolchain@v0.0.1-go$version.linux-$arch"
  if [ ! -x "$dir/$module/bin/go" ]; then
    command -v curl >/dev/null || fail "neither Go >= 1.21 nor curl is on the PATH: install Go (https://go.dev/dl/)"
    say "fetching Go $version from ${proxy%%,*}"
    mkdir -p "$dir"
    curl -fsSL "${proxy%%,*}/golang.org/toolchain/@v/v0.0.1-go$version.linux-$arch.zip" -o "$dir/go.zip" ||
      fail "could not fetch Go $version from the Go module proxy"
    (cd "$dir" && unzip -q go.zip && rm go.zip && chmod +x "$module"/bin/* "$module"/pkg/tool/*/*)
  fi
  export PATH="$dir/$module/bin:$PATH" GOROOT="$dir/$module" GOTOOLCHAIN=local
}
