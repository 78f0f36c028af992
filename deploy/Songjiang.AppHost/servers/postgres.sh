#!/usr/bin/env bash
# PostgreSQL for the app host, in the foreground on 127.0.0.1:$PG_PORT with its files in $1. Installs the Debian
# package when it is missing and we run as root; runs the server as the unprivileged "postgres" account when root.
set -euo pipefail
state=${1:?usage: postgres.sh STATE_DIR}
port=${PG_PORT:?PG_PORT is set by the app host}

bindir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
if [ -z "$bindir" ] || [ ! -x "$bindir/initdb" ]; then
  [ "$(id -u)" = 0 ] || { echo "install the Debian package postgresql first" >&2; exit 1; }
  export DEBIAN_FRONTEND=noninteractive
  apt-get install -y --no-install-recommends postgresql >/dev/null 2>&1 || { apt-get update >/dev/null && apt-get install -y --no-install-recommends postgresql >/dev/null; }
  bindir=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
fi

run=()
if [ "$(id -u)" = 0 ]; then
  id postgres >/dev/null 2>&1 || useradd --system --no-create-home --shell /usr/sbin/nologin postgres
  run=(setpriv --reuid=postgres --regid=postgres --init-groups)
fi

mkdir -p "$state/data" "$state/sock"
if [ "$(id -u)" = 0 ]; then
  chown -R postgres "$state"
  "${run[@]}" test -w "$state/data" || { echo "the postgres account cannot reach $state: make its parent folders readable" >&2; exit 1; }
fi
if [ ! -f "$state/data/PG_VERSION" ]; then
  "${run[@]}" "$bindir/initdb" -D "$state/data" -U postgres --auth=trust --encoding=UTF8 --locale=C.UTF-8 >/dev/null
fi
exec "${run[@]}" "$bindir/postgres" -D "$state/data" -p "$port" -k "$state/sock" -c listen_addresses=127.0.0.1 -c max_connections=300
