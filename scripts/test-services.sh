#!/usr/bin/env bash
# Starts (or stops) the PostgreSQL and RabbitMQ servers the test suite needs, on loopback, in a state folder.
#   scripts/test-services.sh start STATE_DIR   -> writes STATE_DIR/env with the variables the tests read
#   scripts/test-services.sh stop  STATE_DIR
# Installs the Debian packages postgresql and rabbitmq-server when they are absent and we run as root.
set -euo pipefail

cmd=${1:?usage: test-services.sh start|stop STATE_DIR}
state=${2:?usage: test-services.sh start|stop STATE_DIR}
pg_port=${SONGJIANG_TEST_PG_PORT:-55432}
amqp_port=${SONGJIANG_TEST_AMQP_PORT:-56720}
# Stop the servers this state folder started, whatever the caller's environment says now.
if [ "$cmd" = stop ] && [ -f "$state/ports" ]; then
  # shellcheck disable=SC1091
  . "$state/ports"
fi
# Not 35672-35682: RabbitMQ CLI tools take those for their own Erlang distribution.
rabbit_node="songjiang-test-${amqp_port}@localhost"
rabbit_bin=/usr/lib/rabbitmq/bin

log() { echo "[test-services] $*" >&2; }

pg_bindir() {
  local d
  d=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
  [ -n "$d" ] && [ -x "$d/initdb" ] && echo "$d"
}

apt_install() {
  if [ "$(id -u)" != 0 ]; then
    log "missing $* and not root: install the Debian packages '$*' first"; exit 1
  fi
  log "installing $*"
  export DEBIAN_FRONTEND=noninteractive
  # Keep the packages' own system services from starting: we run private instances.
  local policy=/usr/sbin/policy-rc.d created=0
  if [ ! -e "$policy" ]; then printf '#!/bin/sh\nexit 101\n' > "$policy"; chmod +x "$policy"; created=1; fi
  (apt-get install -y --no-install-recommends "$@" >/dev/null 2>&1 || { apt-get update >/dev/null 2>&1 && apt-get install -y --no-install-recommends "$@" >/dev/null; })
  local rc=$?
  [ "$created" = 1 ] && rm -f "$policy"
  return $rc
}

# PostgreSQL refuses to run as root: run it as an unprivileged account.
pg_user() {
  if [ "$(id -u)" = 0 ]; then
    id postgres >/dev/null 2>&1 || useradd --system --no-create-home --shell /usr/sbin/nologin postgres
    echo postgres
  else
    id -un
  fi
}

as_pg() {
  local user; user=$(pg_user)
  if [ "$(id -u)" = 0 ]; then runuser -u "$user" -- "$@"; else "$@"; fi
}

start_postgres() {
  local bindir; bindir=$(pg_bindir || true)
  if [ -z "$bindir" ]; then apt_install postgresql; bindir=$(pg_bindir); fi
  local data="$state/pg/data" sock="$state/pg/sock"
  mkdir -p "$data" "$sock"
  [ "$(id -u)" = 0 ] && chown -R "$(pg_user)" "$state/pg"
  # A folder used before keeps its cluster: start it again rather than fail to initialise over it.
  if [ ! -f "$data/PG_VERSION" ] && ! as_pg "$bindir/initdb" -D "$data" -U postgres --auth=trust --encoding=UTF8 --locale=C.UTF-8 >"$state/pg/initdb.log" 2>&1; then
    log "initdb failed; see $state/pg/initdb.log"; tail -n 20 "$state/pg/initdb.log" >&2 || true; exit 1
  fi
  if ! as_pg "$bindir/pg_ctl" -D "$data" -l "$state/pg/server.log" -w -t 60 \
    -o "-p $pg_port -k $sock -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=400" \
    start >/dev/null; then
    log "PostgreSQL did not start; see $state/pg/server.log"; tail -n 20 "$state/pg/server.log" >&2 || true; exit 1
  fi
  echo "$bindir" > "$state/pg/bindir"
  log "PostgreSQL on 127.0.0.1:$pg_port"
}

stop_postgres() {
  [ -f "$state/pg/bindir" ] || return 0
  as_pg "$(cat "$state/pg/bindir")/pg_ctl" -D "$state/pg/data" -m fast -w stop >/dev/null 2>&1 || true
}

rabbit_env() {
  export RABBITMQ_NODENAME="$rabbit_node"
  export RABBITMQ_DIST_PORT=$((amqp_port + 10))
  export RABBITMQ_MNESIA_BASE="$state/rabbitmq/mnesia"
  export RABBITMQ_LOG_BASE="$state/rabbitmq/log"
  export RABBITMQ_ENABLED_PLUGINS_FILE="$state/rabbitmq/enabled_plugins"
  export RABBITMQ_CONFIG_FILE="$state/rabbitmq/rabbitmq"
  export RABBITMQ_ADVANCED_CONFIG_FILE="$state/rabbitmq/advanced.config"
  export RABBITMQ_PID_FILE="$state/rabbitmq/pid"
}

start_rabbitmq() {
  [ -x "$rabbit_bin/rabbitmq-server" ] || apt_install rabbitmq-server
  rabbit_env
  mkdir -p "$RABBITMQ_MNESIA_BASE" "$RABBITMQ_LOG_BASE"
  echo '[].' > "$RABBITMQ_ENABLED_PLUGINS_FILE"
  printf 'loopback_users = none\nlisteners.tcp.1 = 127.0.0.1:%s\n' "$amqp_port" > "$RABBITMQ_CONFIG_FILE.conf"
  echo '[].' > "$RABBITMQ_ADVANCED_CONFIG_FILE"
  (cd "$state/rabbitmq" && exec nohup "$rabbit_bin/rabbitmq-server" >"$state/rabbitmq/server.out" 2>&1) &
  echo $! > "$state/rabbitmq/launcher.pid"
  local tries=0
  # await_startup gives up at once while the node is not yet reachable, so poll until it answers.
  until "$rabbit_bin/rabbitmqctl" -n "$rabbit_node" await_startup --timeout 60 >/dev/null 2>&1; do
    tries=$((tries + 1))
    if [ "$tries" -ge 60 ] || ! kill -0 "$(cat "$state/rabbitmq/launcher.pid")" 2>/dev/null; then
      log "RabbitMQ did not start; see $state/rabbitmq"; tail -n 30 "$state/rabbitmq/server.out" >&2 || true; exit 1
    fi
    sleep 1
  done
  log "RabbitMQ on 127.0.0.1:$amqp_port (node $rabbit_node)"
}

stop_rabbitmq() {
  [ -f "$state/rabbitmq/launcher.pid" ] || return 0
  rabbit_env
  timeout 60 "$rabbit_bin/rabbitmqctl" -n "$rabbit_node" stop >/dev/null 2>&1 || kill "$(cat "$state/rabbitmq/launcher.pid")" 2>/dev/null || true
}

case "$cmd" in
  start)
    mkdir -p "$state"
    printf 'pg_port=%s\namqp_port=%s\n' "$pg_port" "$amqp_port" > "$state/ports"
    start_postgres
    start_rabbitmq
    cat > "$state/env" <<ENV
export SONGJIANG_TEST_POSTGRES='Host=127.0.0.1;Port=$pg_port;Username=postgres;Password=postgres;Pooling=true;Maximum Pool Size=50'
export SONGJIANG_TEST_RABBITMQ='amqp://guest:guest@127.0.0.1:$amqp_port/'
export SONGJIANG_TEST_RABBITMQ_NODE='$rabbit_node'
export SONGJIANG_TEST_RABBITMQCTL='$rabbit_bin/rabbitmqctl'
ENV
    ;;
  stop)
    stop_rabbitmq
    stop_postgres
    ;;
  *) echo "usage: test-services.sh start|stop STATE_DIR" >&2; exit 2 ;;
esac
