# shellcheck shell=bash
# A throwaway PostgreSQL for the app's tests (app/api/test), from Debian's packages.
#
#   source .ci/postgres.sh        # what .ci/run does; exports TEST_DATABASE_URL
#   bash .ci/postgres.sh          # same, for a local try; prints the URL (also in $dir/url)
#   bash .ci/postgres.sh stop     # stops the cluster and deletes its directory
#
# Installs the `postgresql` package when no server binaries are found (needs root), then starts one
# cluster of its own in a temporary directory, listening on 127.0.0.1 at a free port, with a role
# `app_test` (password auth, CREATEDB: the tests create a database per suite) owning a database
# `app_test`. Idempotent: a cluster this script started and that still runs is reused as it is.
# As root the server runs as the `postgres` user; otherwise as the calling user.
# Settings: APP_TEST_PG_DIR (default ${TMPDIR:-/tmp}/app-test-postgres), APP_TEST_PG_PORT (first
# port tried, default 55432).

__app_pg_say() { echo "postgres.sh: $*" >&2; }

# Runs a command as the server's owner, from a directory that user can enter. `run` is the caller's.
__app_pg_as() { (cd / && "${run[@]}" "$@"); }

# Every step checks its own result: errexit does not apply inside a function called from a
# condition, and the caller's shell options are not ours to change.
__app_pg_main() {
  local dir="${APP_TEST_PG_DIR:-${TMPDIR:-/tmp}/app-test-postgres}"
  local first_port="${APP_TEST_PG_PORT:-55432}"
  local bindir run=()

  bindir="$(find /usr/lib/postgresql -mindepth 2 -maxdepth 2 -name bin -type d 2>/dev/null | sort -V | tail -n 1)"
  if [ -z "$bindir" ] || [ ! -x "$bindir/initdb" ]; then
    if [ "$(id -u)" != 0 ]; then
      __app_pg_say "PostgreSQL is not installed and installing it needs root (apt-get install postgresql)"
      return 1
    fi
    __app_pg_say "installing PostgreSQL from Debian (apt-get update && apt-get install postgresql)"
    apt-get update -qq || return 1
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends postgresql >/dev/null ||
      return 1
    bindir="$(find /usr/lib/postgresql -mindepth 2 -maxdepth 2 -name bin -type d | sort -V | tail -n 1)"
    if [ -z "$bindir" ] || [ ! -x "$bindir/initdb" ]; then
      __app_pg_say "no initdb under /usr/lib/postgresql after installing"
      return 1
    fi
  fi
  __app_pg_say "using $("$bindir/postgres" --version) from $bindir"

  if [ "$(id -u)" = 0 ]; then
    run=(runuser -u postgres --)
  fi

  if [ "${1:-}" = stop ]; then
    if [ -f "$dir/data/PG_VERSION" ]; then
      __app_pg_as "$bindir/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null 2>&1
    fi
    rm -rf "$dir"
    __app_pg_say "stopped and removed $dir"
    return 0
  fi

  if [ -f "$dir/url" ] && __app_pg_as "$bindir/pg_ctl" -D "$dir/data" status >/dev/null 2>&1; then
    __app_pg_say "reusing the running cluster in $dir"
  else
    __app_pg_say "creating a cluster in $dir"
    if [ -f "$dir/data/PG_VERSION" ]; then
      __app_pg_as "$bindir/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null 2>&1
    fi
    { rm -rf "$dir" && mkdir -p "$dir" && chmod 700 "$dir"; } || return 1
    if [ "$(id -u)" = 0 ]; then chown postgres:postgres "$dir" || return 1; fi

    local port="$first_port"
    # A port is taken when something accepts a connection on it.
    while (: <"/dev/tcp/127.0.0.1/$port") 2>/dev/null; do
      port=$((port + 1))
      if [ "$port" -ge $((first_port + 100)) ]; then
        __app_pg_say "no free port in $first_port..$port"
        return 1
      fi
    done

    local password
    password="$(od -An -tx1 -N16 /dev/urandom | tr -d ' \n')"
    [ -n "$password" ] || return 1

    __app_pg_say "initdb, then start on 127.0.0.1:$port"
    if ! __app_pg_as "$bindir/initdb" -D "$dir/data" -U postgres -E UTF8 --locale=C \
      --auth-local=trust --auth-host=scram-sha-256 --no-sync >"$dir/initdb.log" 2>&1; then
      __app_pg_say "initdb failed; see $dir/initdb.log"
      return 1
    fi
    # Durability is pointless for a test database; speed is not.
    printf '%s\n' "listen_addresses = '127.0.0.1'" "port = $port" "unix_socket_directories = '$dir'" \
      "fsync = off" "synchronous_commit = off" "full_page_writes = off" |
      __app_pg_as tee -a "$dir/data/postgresql.conf" >/dev/null || return 1
    if ! __app_pg_as "$bindir/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 start >/dev/null; then
      __app_pg_say "the server did not start; see $dir/server.log"
      return 1
    fi
    __app_pg_say "creating role and database app_test"
    printf '%s\n' \
      "SELECT format('CREATE ROLE app_test LOGIN CREATEDB PASSWORD %L', :'password')" \
      "  WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'app_test') \\gexec" \
      "SELECT 'CREATE DATABASE app_test OWNER app_test'" \
      "  WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = 'app_test') \\gexec" |
      __app_pg_as "$bindir/psql" -h "$dir" -p "$port" -U postgres -d postgres -qAt -v ON_ERROR_STOP=1 \
        -v password="$password" >/dev/null || return 1
    (umask 077 && echo "postgresql://app_test:$password@127.0.0.1:$port/app_test" >"$dir/url") || return 1
  fi

  TEST_DATABASE_URL="$(cat "$dir/url")" || return 1
  export TEST_DATABASE_URL
  # Over TCP with the password, exactly as the tests connect.
  if ! "$bindir/psql" "$TEST_DATABASE_URL" -qAt -c "SELECT 1" >/dev/null; then
    __app_pg_say "the cluster in $dir does not accept TEST_DATABASE_URL; see $dir/server.log"
    return 1
  fi
  __app_pg_say "ready: TEST_DATABASE_URL=$(echo "$TEST_DATABASE_URL" | sed -E 's#(//[^:/]+:)[^@]+@#\1***@#')"
}

if [ "${BASH_SOURCE[0]}" = "$0" ]; then
  # Run as a script: strict mode here, and the URL on stdout for the caller to pick up.
  set -euo pipefail
  __app_pg_main "$@"
  if [ "${1:-}" != stop ]; then echo "$TEST_DATABASE_URL"; fi
else
  # Sourced: the caller's shell options stay as they are; a failure fails the `source` line.
  __app_pg_main || return 1
fi
unset -f __app_pg_main __app_pg_as __app_pg_say
