# shellcheck shell=bash
# A throwaway S3-compatible server for the backup/restore test (test/database/backupRestore.spec.ts):
# moto's S3 service (PyPI, every package pinned in .ci/s3-requirements.txt) on 127.0.0.1.
#
#   source .ci/s3.sh        # what .ci/run does; exports TEST_S3_ENDPOINT, TEST_S3_REGION,
#                           # TEST_S3_ACCESS_KEY_ID and TEST_S3_SECRET_ACCESS_KEY
#   bash .ci/s3.sh          # same, for a local try; prints the endpoint
#   bash .ci/s3.sh stop     # stops the server and deletes its directory
#
# The server's virtualenv is built once per requirements file, in
# ${XDG_CACHE_HOME:-~/.cache}/k8s-platform-s3/moto-<sha256 of the file, 12 hex> (about 15 s and
# 140 MB on two cores; python3 with venv, installed from Debian as root when missing), then reused.
# Idempotent: a server this script started and that still answers is reused as it is. It keeps its
# buckets in memory: the test creates a bucket of its own per run. Settings: APP_TEST_S3_DIR
# (default ${TMPDIR:-/tmp}/app-test-s3), APP_TEST_S3_PORT (first port tried, default 59000).

__app_s3_say() { echo "s3.sh: $*" >&2; }

# True once the server at $1 answers HTTP (moto's own API root).
__app_s3_up() { "$2/bin/python" -c 'import sys, urllib.request; urllib.request.urlopen(sys.argv[1] + "/moto-api/", timeout=2)' "$1" 2>/dev/null; }

# Every step checks its own result: errexit does not apply inside a function called from a
# condition, and the caller's shell options are not ours to change.
__app_s3_main() {
  local dir="${APP_TEST_S3_DIR:-${TMPDIR:-/tmp}/app-test-s3}"
  local first_port="${APP_TEST_S3_PORT:-59000}"
  local root requirements key venv
  root="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)" || return 1
  requirements="$root/s3-requirements.txt"

  if [ "${1:-}" = stop ]; then
    if [ -f "$dir/pid" ]; then kill "$(cat "$dir/pid")" 2>/dev/null; fi
    rm -rf "$dir"
    __app_s3_say "stopped and removed $dir"
    return 0
  fi

  key="$(sha256sum "$requirements" | cut -c1-12)" || return 1
  venv="${XDG_CACHE_HOME:-$HOME/.cache}/k8s-platform-s3/moto-$key"
  if [ ! -f "$venv/.complete" ]; then
    if ! python3 -c 'import venv, ensurepip' 2>/dev/null; then
      if [ "$(id -u)" != 0 ]; then
        __app_s3_say "python3 with venv is missing and installing it needs root (apt-get install python3-venv)"
        return 1
      fi
      __app_s3_say "installing python3-venv from Debian"
      { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
        python3 python3-venv >/dev/null; } || return 1
    fi
    __app_s3_say "building the server's virtualenv in $venv (from PyPI, pinned in .ci/s3-requirements.txt)"
    local started=$SECONDS
    # A virtualenv cannot be moved (it records its path): built in place, and marked complete last.
    { rm -rf "$venv" && mkdir -p "$(dirname "$venv")" && python3 -m venv "$venv"; } || return 1
    if ! "$venv/bin/pip" install -q --disable-pip-version-check --no-input -r "$requirements"; then
      __app_s3_say "pip install failed"
      return 1
    fi
    touch "$venv/.complete" || return 1
    __app_s3_say "built in $((SECONDS - started)) s"
  fi

  if [ -f "$dir/endpoint" ] && __app_s3_up "$(cat "$dir/endpoint")" "$venv"; then
    __app_s3_say "reusing the running server in $dir"
  else
    if [ -f "$dir/pid" ]; then kill "$(cat "$dir/pid")" 2>/dev/null; fi
    { rm -rf "$dir" && mkdir -p "$dir" && chmod 700 "$dir"; } || return 1
    local port="$first_port"
    # A port is taken when something accepts a connection on it.
    while (: <"/dev/tcp/127.0.0.1/$port") 2>/dev/null; do
      port=$((port + 1))
      if [ "$port" -ge $((first_port + 100)) ]; then
        __app_s3_say "no free port in $first_port..$port"
        return 1
      fi
    done
    __app_s3_say "starting moto's S3 server on 127.0.0.1:$port"
    nohup "$venv/bin/moto_server" -H 127.0.0.1 -p "$port" >"$dir/server.log" 2>&1 </dev/null &
    echo $! >"$dir/pid" || return 1
    local tries=0
    until __app_s3_up "http://127.0.0.1:$port" "$venv"; do
      tries=$((tries + 1))
      if [ "$tries" -ge 100 ]; then
        __app_s3_say "the server did not answer within 20 s; see $dir/server.log"
        return 1
      fi
      sleep 0.2
    done
    echo "http://127.0.0.1:$port" >"$dir/endpoint" || return 1
  fi

  TEST_S3_ENDPOINT="$(cat "$dir/endpoint")" || return 1
  # moto accepts any key pair; the test signs its requests all the same.
  export TEST_S3_ENDPOINT TEST_S3_REGION=us-east-1 TEST_S3_ACCESS_KEY_ID=test-access-key \
    TEST_S3_SECRET_ACCESS_KEY=test-secret-key
  __app_s3_say "ready: TEST_S3_ENDPOINT=$TEST_S3_ENDPOINT"
}

if [ "${BASH_SOURCE[0]}" = "$0" ]; then
  # Run as a script: strict mode here, and the endpoint on stdout for the caller to pick up.
  set -euo pipefail
  __app_s3_main "$@"
  if [ "${1:-}" != stop ]; then echo "$TEST_S3_ENDPOINT"; fi
else
  # Sourced: the caller's shell options stay as they are; a failure fails the `source` line.
  __app_s3_main || return 1
fi
unset -f __app_s3_main __app_s3_up __app_s3_say
