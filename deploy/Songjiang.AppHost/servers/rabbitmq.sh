#!/usr/bin/env bash
# RabbitMQ for the app host, in the foreground on 127.0.0.1:$AMQP_PORT with its files in $1. Installs the Debian
# package when it is missing and we run as root.
set -euo pipefail
state=${1:?usage: rabbitmq.sh STATE_DIR}
port=${AMQP_PORT:?AMQP_PORT is set by the app host}
bin=/usr/lib/rabbitmq/bin

if [ ! -x "$bin/rabbitmq-server" ]; then
  [ "$(id -u)" = 0 ] || { echo "install the Debian package rabbitmq-server first" >&2; exit 1; }
  export DEBIAN_FRONTEND=noninteractive
  # Keep the package's own system service from starting: this is a private instance.
  policy=/usr/sbin/policy-rc.d
  [ -e "$policy" ] || { printf '#!/bin/sh\nexit 101\n' > "$policy"; chmod +x "$policy"; trap 'rm -f "$policy"' EXIT; }
  apt-get install -y --no-install-recommends rabbitmq-server >/dev/null 2>&1 || { apt-get update >/dev/null && apt-get install -y --no-install-recommends rabbitmq-server >/dev/null; }
fi

mkdir -p "$state/mnesia" "$state/log"
# The node's name names its data folder under mnesia/, so it must outlive a restart on another port: it is derived from
# the state folder (unique per run of the app host on this machine), never from the port.
export RABBITMQ_NODENAME="songjiang-apphost-$(printf '%s' "$state" | cksum | cut -d ' ' -f 1)@localhost"
# The node's Erlang distribution port: any free one (the orchestrator hands out neighbouring ports to others).
free_port() {
  local candidate
  for _ in $(seq 1 50); do
    candidate=$((20000 + RANDOM % 10000))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$candidate") 2>/dev/null; then echo "$candidate"; return 0; fi
  done
  return 1
}
export RABBITMQ_DIST_PORT=$(free_port)
export RABBITMQ_MNESIA_BASE="$state/mnesia"
export RABBITMQ_LOG_BASE="$state/log"
export RABBITMQ_ENABLED_PLUGINS_FILE="$state/enabled_plugins"
export RABBITMQ_CONFIG_FILE="$state/rabbitmq"
export RABBITMQ_ADVANCED_CONFIG_FILE="$state/advanced.config"
echo '[].' > "$RABBITMQ_ENABLED_PLUGINS_FILE"
echo '[].' > "$RABBITMQ_ADVANCED_CONFIG_FILE"
printf 'loopback_users = none\nlisteners.tcp.1 = 127.0.0.1:%s\n' "$port" > "$state/rabbitmq.conf"
cd "$state"
exec "$bin/rabbitmq-server"
