#!/usr/bin/env bash
# The docker-compose topology as plain processes on 127.0.0.1: a throwaway PostgreSQL, the schema applied,
# two silos and two API hosts. Everything it starts is recorded in the state folder, so `down` stops exactly that.
#
#   deploy/local-cluster.sh up | down | status
#   deploy/local-cluster.sh kill-silo N | stop-silo N | start-silo N     (kill -9, graceful stop, start again)
#   deploy/local-cluster.sh stop-api N | start-api N
#   deploy/local-cluster.sh stop-postgres | start-postgres
#   deploy/local-cluster.sh silo VERB ...      (an operator verb against this cluster, e.g. silo revoke-user --username alice)
#
# Settings (environment): SESSIONS_CLUSTER_DIR (/tmp/sessions-local-cluster), SESSIONS_PG_PORT (55432),
# SESSIONS_API_PORTS ("5081 5082"), SESSIONS_SILO_PORT_BASE (11120), SESSIONS_GATEWAY_PORT_BASE (30010),
# SESSIONS_SILO_HTTP_PORT_BASE (5090), SESSIONS_BUILD_CONFIGURATION (Release), SESSIONS_SKIP_BUILD=1 to use an existing build. Any Sessions__* / Cluster__* variable is passed on,
# e.g. Sessions__BootstrapAdmin__Username and Sessions__BootstrapAdmin__Password for a first admin.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
state=${SESSIONS_CLUSTER_DIR:-/tmp/sessions-local-cluster}
pg_port=${SESSIONS_PG_PORT:-55432}
read -r -a api_ports <<< "${SESSIONS_API_PORTS:-5081 5082}"
silo_port_base=${SESSIONS_SILO_PORT_BASE:-11120}
gateway_port_base=${SESSIONS_GATEWAY_PORT_BASE:-30010}
silo_http_port_base=${SESSIONS_SILO_HTTP_PORT_BASE:-5090}
configuration=${SESSIONS_BUILD_CONFIGURATION:-Release}
silo_count=2
pgdata="$state/pgdata"
silo_dll="$root/Silo/bin/$configuration/net10.0/Sessions.Silo.dll"
api_dll="$root/Api/bin/$configuration/net10.0/Sessions.Api.dll"

export Cluster__Provider=Postgres
export ConnectionStrings__Sessions="Host=127.0.0.1;Port=$pg_port;Username=postgres;Database=sessions;Timeout=5;Command Timeout=10"
export Sessions__Issuer="${Sessions__Issuer:-http://127.0.0.1:${api_ports[0]}}"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

pg_bin() {
  if command -v pg_config >/dev/null 2>&1 && [ -x "$(pg_config --bindir)/pg_ctl" ]; then pg_config --bindir; return; fi
  local dir; dir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
  [ -n "$dir" ] || { echo "PostgreSQL server binaries not found (apt-get install postgresql)" >&2; exit 1; }
  echo "$dir"
}

as_postgres() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

start_postgres() {
  as_postgres "$(pg_bin)/pg_ctl" -D "$pgdata" -l "$state/logs/postgres.log" -w -t 60 \
    -o "-p $pg_port -c listen_addresses=127.0.0.1 -c unix_socket_directories=$state -c fsync=off -c max_connections=200" start >/dev/null
}

stop_postgres() {
  as_postgres "$(pg_bin)/pg_ctl" -D "$pgdata" -m fast -w stop >/dev/null 2>&1 || true
}

record() { echo "$1 $2" >> "$state/processes"; }

pid_of() { awk -v name="$1" '$1 == name { pid = $2 } END { print pid }' "$state/processes" 2>/dev/null; }

start_silo() {
  local n=$1
  Sessions__ServeApi=false Cluster__SiloPort=$((silo_port_base + n)) Cluster__GatewayPort=$((gateway_port_base + n)) \
    Cluster__AdvertisedIP=127.0.0.1 urls="http://127.0.0.1:$((silo_http_port_base + n))" \
    nohup dotnet "$silo_dll" >> "$state/logs/silo$n.log" 2>&1 &
  record "silo$n" $!
}

start_api() {
  local n=$1
  local port=${api_ports[$((n - 1))]}
  urls="http://127.0.0.1:$port" nohup dotnet "$api_dll" >> "$state/logs/api$n.log" 2>&1 &
  record "api$n" $!
}

stop_process() {
  local name=$1 signal=$2 pid; pid=$(pid_of "$name")
  [ -n "$pid" ] || return 0
  kill "-$signal" "$pid" 2>/dev/null || true
  for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || return 0; sleep 0.2; done
  kill -KILL "$pid" 2>/dev/null || true
}

wait_for() {
  local url=$1 deadline=$((SECONDS + ${2:-120}))
  until curl -fsS -o /dev/null "$url" 2>/dev/null; do
    [ $SECONDS -lt $deadline ] || { echo "timed out waiting for $url (logs in $state/logs)" >&2; return 1; }
    sleep 0.5
  done
}

up() {
  [ ! -f "$state/processes" ] || { echo "already up (state in $state); run '$0 down' first" >&2; exit 1; }
  mkdir -p "$state/logs"
  if [ "${SESSIONS_SKIP_BUILD:-0}" != 1 ]; then
    dotnet build "$root/Silo/Silo.csproj" -c "$configuration" -nologo -v q >/dev/null
    dotnet build "$root/Api/Api.csproj" -c "$configuration" -nologo -v q >/dev/null
  fi
  mkdir -p "$pgdata"
  [ "$(id -u)" != 0 ] || chown -R postgres "$state"
  as_postgres "$(pg_bin)/initdb" -D "$pgdata" -U postgres --auth=trust -E UTF8 >/dev/null
  : > "$state/processes"
  start_postgres
  "$(pg_bin)/createdb" -h 127.0.0.1 -p "$pg_port" -U postgres sessions
  dotnet "$silo_dll" migrate
  for n in $(seq 1 $silo_count); do start_silo "$n"; done
  for n in 1 2; do start_api "$n"; done
  for port in "${api_ports[@]}"; do wait_for "http://127.0.0.1:$port/.well-known/jwks.json" 180; done
  echo "PostgreSQL: $ConnectionStrings__Sessions"
  for port in "${api_ports[@]}"; do echo "API: http://127.0.0.1:$port"; done
}

down() {
  [ -d "$state" ] || return 0
  for name in $(awk '{ print $1 }' "$state/processes" 2>/dev/null | sort -u); do stop_process "$name" TERM; done
  [ ! -d "$pgdata" ] || stop_postgres
  rm -rf "$state"
}

case "${1:-}" in
  up) up ;;
  down) down ;;
  status) cat "$state/processes" 2>/dev/null || echo "not up" ;;
  kill-silo) stop_process "silo${2:?silo number}" KILL ;;
  stop-silo) stop_process "silo${2:?silo number}" TERM ;;
  start-silo) start_silo "${2:?silo number}" ;;
  stop-api) stop_process "api${2:?api number}" TERM ;;
  start-api) start_api "${2:?api number}" ;;
  stop-postgres) stop_postgres ;;
  start-postgres) start_postgres ;;
  silo) shift; exec dotnet "$silo_dll" "$@" ;;
  *) echo "usage: $0 up|down|status|kill-silo N|stop-silo N|start-silo N|stop-api N|start-api N|stop-postgres|start-postgres|silo VERB..." >&2; exit 2 ;;
esac
