#!/usr/bin/env bash
# The docker-compose topology with a real network between its parts: PostgreSQL, two silos and two API hosts, each
# in a network namespace of its own, joined by veth pairs to one Linux bridge that lives in a namespace of its own.
# A further veth joins the caller's namespace to the bridge, so tests reach the API hosts and the silos' HTTP ports.
# Addresses come only from 198.18.N.0/24 (RFC 2544's benchmarking range) on that bridge, no namespace has a default
# route, so nothing leaves the machine. Faults are nftables rules inside the host namespaces that drop packets
# silently, as a cut cable or a misbehaving switch would. Needs root, iproute2 and nftables.
#
#   deploy/netns-cluster.sh up | down | status
#   deploy/netns-cluster.sh start-silo N | kill-silo N | stop-silo N | start-api N | kill-api N
#   deploy/netns-cluster.sh cut A B            (no packet between hosts A and B, either way)
#   deploy/netns-cluster.sh cut-oneway A B     (packets from A to B are lost; B to A still arrive)
#   deploy/netns-cluster.sh isolate HOST...    (the hosts named reach each other and the caller, nothing else)
#   deploy/netns-cluster.sh heal               (every rule gone)
#   deploy/netns-cluster.sh cleanup-stale      (removes the namespaces of earlier runs whose state folder is gone)
# Hosts: pg silo1 silo2 api1 api2. `up` starts PostgreSQL and migrates; silos and API hosts are started by verb, so a
# caller decides placement (start silo1 alone, create users, then start silo2).
#
# Settings (environment): SESSIONS_NETNS_DIR (state folder, required), SESSIONS_BUILD_CONFIGURATION (Release),
# any Sessions__* / Cluster__* variable is passed on to silos and API hosts.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
state=${SESSIONS_NETNS_DIR:?SESSIONS_NETNS_DIR is required}
configuration=${SESSIONS_BUILD_CONFIGURATION:-Release}
silo_dll="$root/Silo/bin/$configuration/net10.0/Sessions.Silo.dll"
api_dll="$root/Api/bin/$configuration/net10.0/Sessions.Api.dll"
prefix=sxp
hosts=(pg silo1 silo2 api1 api2)
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

# Per-run names and subnet, chosen by `up` and kept in the state folder.
load_settings() {
  # shellcheck disable=SC1091
  [ -f "$state/settings" ] && . "$state/settings"
  return 0
}

ns() { echo "$prefix-$suffix-$1"; }

address() {
  case $1 in
    pg) echo "$subnet.1" ;; silo1) echo "$subnet.11" ;; silo2) echo "$subnet.12" ;;
    api1) echo "$subnet.21" ;; api2) echo "$subnet.22" ;; caller) echo "$subnet.100" ;;
    *) echo "unknown host $1" >&2; exit 2 ;;
  esac
}

in_ns() { local host=$1; shift; ip netns exec "$(ns "$host")" "$@"; }

pg_bin() {
  if command -v pg_config >/dev/null 2>&1 && [ -x "$(pg_config --bindir)/pg_ctl" ]; then pg_config --bindir; return; fi
  local dir; dir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
  [ -n "$dir" ] || { echo "PostgreSQL server binaries not found (apt-get install postgresql)" >&2; exit 1; }
  echo "$dir"
}

cluster_environment() {
  export Cluster__Provider=Postgres
  export ConnectionStrings__Sessions="Host=$(address pg);Port=5432;Username=postgres;Database=sessions;Timeout=5;Command Timeout=10"
  export Sessions__Issuer="${Sessions__Issuer:-http://$(address api1):8080}"
}

record() { echo "$1 $2" >> "$state/processes"; }
pid_of() { awk -v name="$1" '$1 == name { pid = $2 } END { print pid }' "$state/processes" 2>/dev/null; }

network_up() {
  # A subnet no route of the caller's namespace uses yet (siblings may run the same suite).
  local n
  for _ in $(seq 1 50); do
    n=$((RANDOM % 250 + 1))
    ip route show | grep -q "^198\.18\.$n\." || break
  done
  suffix=$(head -c 3 /dev/urandom | od -An -tx1 | tr -d ' \n')
  subnet="198.18.$n"
  printf 'suffix=%s\nsubnet=%s\n' "$suffix" "$subnet" > "$state/settings"

  local bridge; bridge=$(ns bridge)
  ip netns add "$bridge"
  ip -n "$bridge" link add br0 type bridge
  ip -n "$bridge" link set br0 up
  ip -n "$bridge" link set lo up
  local host
  for host in "${hosts[@]}"; do
    ip netns add "$(ns "$host")"
    ip -n "$bridge" link add "v-$host" type veth peer name eth0 netns "$(ns "$host")"
    ip -n "$bridge" link set "v-$host" master br0 up
    in_ns "$host" ip link set lo up
    in_ns "$host" ip addr add "$(address "$host")/24" dev eth0
    in_ns "$host" ip link set eth0 up
    # Empty drop sets: a fault fills them, heal empties them. Filtering both ways on both ends keeps each rule local.
    in_ns "$host" nft -f - <<EOF
table inet partition {
  set to { type ipv4_addr; }
  set from { type ipv4_addr; }
  chain output { type filter hook output priority 0; policy accept; ip daddr @to drop; }
  chain input { type filter hook input priority 0; policy accept; ip saddr @from drop; }
}
EOF
  done
  # The caller's own link onto the bridge: its end has a name unique to this run.
  ip link add "$prefix$suffix" type veth peer name v-caller netns "$bridge"
  ip -n "$bridge" link set v-caller master br0 up
  ip addr add "$(address caller)/24" dev "$prefix$suffix"
  ip link set "$prefix$suffix" up
}

network_down() {
  [ -n "${suffix:-}" ] || return 0
  ip link del "$prefix$suffix" 2>/dev/null || true
  local host
  for host in "${hosts[@]}" bridge; do ip netns del "$(ns "$host")" 2>/dev/null || true; done
}

start_postgres() {
  in_ns pg runuser -u postgres -- "$(pg_bin)/pg_ctl" -D "$state/pgdata" -l "$state/logs/postgres.log" -w -t 60 \
    -o "-p 5432 -c listen_addresses=$(address pg) -c unix_socket_directories=$state -c fsync=off -c max_connections=200" start >/dev/null
}

start_silo() {
  local n=$1 host="silo$1"
  cluster_environment
  Sessions__ServeApi=false Cluster__SiloPort=11111 Cluster__GatewayPort=30000 Cluster__AdvertisedIP="$(address "$host")" \
    urls="http://$(address "$host"):8080" nohup ip netns exec "$(ns "$host")" dotnet "$silo_dll" >> "$state/logs/$host.log" 2>&1 &
  record "$host" $!
}

start_api() {
  local host="api$1"
  cluster_environment
  urls="http://$(address "$host"):8080" nohup ip netns exec "$(ns "$host")" dotnet "$api_dll" >> "$state/logs/$host.log" 2>&1 &
  record "$host" $!
}

stop_process() {
  local name=$1 signal=$2 pid; pid=$(pid_of "$name")
  [ -n "$pid" ] || return 0
  # `ip netns exec` execs the command, so the recorded pid is the dotnet process itself.
  kill "-$signal" "$pid" 2>/dev/null || true
  for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || return 0; sleep 0.2; done
  kill -KILL "$pid" 2>/dev/null || true
}

# Drops every packet from host A to host B, at A's output and at B's input.
drop_oneway() {
  local a=$1 b=$2
  in_ns "$a" nft add element inet partition to "{ $(address "$b") }"
  in_ns "$b" nft add element inet partition from "{ $(address "$a") }"
}

heal() {
  local host
  for host in "${hosts[@]}"; do
    in_ns "$host" nft flush set inet partition to
    in_ns "$host" nft flush set inet partition from
  done
}

isolate() {
  local inside=" $* " host other
  for host in "$@"; do
    for other in "${hosts[@]}"; do
      [[ "$inside" == *" $other "* ]] && continue
      drop_oneway "$host" "$other"
      drop_oneway "$other" "$host"
    done
  done
}

up() {
  [ ! -f "$state/processes" ] || { echo "already up (state in $state); run '$0 down' first" >&2; exit 1; }
  [ "$(id -u)" = 0 ] || { echo "network namespaces need root" >&2; exit 1; }
  command -v nft >/dev/null || { echo "nftables is not installed (apt-get install nftables)" >&2; exit 1; }
  mkdir -p "$state/logs"
  : > "$state/processes"
  network_up
  mkdir -p "$state/pgdata"
  chown -R postgres "$state"
  runuser -u postgres -- "$(pg_bin)/initdb" -D "$state/pgdata" -U postgres --auth=trust -E UTF8 >/dev/null
  echo "host all all $subnet.0/24 trust" >> "$state/pgdata/pg_hba.conf"
  start_postgres
  in_ns pg "$(pg_bin)/createdb" -h "$(address pg)" -p 5432 -U postgres sessions
  cluster_environment
  in_ns silo1 dotnet "$silo_dll" migrate >> "$state/logs/migrate.log" 2>&1
  echo "subnet=$subnet suffix=$suffix"
}

down() {
  [ -d "$state" ] || return 0
  local name
  for name in $(awk '{ print $1 }' "$state/processes" 2>/dev/null | sort -u); do stop_process "$name" KILL; done
  [ ! -d "$state/pgdata" ] || in_ns pg runuser -u postgres -- "$(pg_bin)/pg_ctl" -D "$state/pgdata" -m immediate -w stop >/dev/null 2>&1 || true
  network_down
  rm -rf "$state/pgdata"
}

# Namespaces of runs that died without `down`: their processes die with them, so only the names need removing.
cleanup_stale() {
  local name run live_suffix=""
  [ -f "$state/settings" ] && live_suffix=$suffix
  for name in $(ip netns list | awk '{ print $1 }' | grep "^$prefix-" || true); do
    run=$(echo "$name" | cut -d- -f2)
    [ "$run" = "$live_suffix" ] && continue
    # Another run still alive (a sibling's) keeps a postgres or dotnet process in its namespaces.
    [ -n "$(ip netns pids "$name" 2>/dev/null)" ] && continue
    ip netns del "$name" 2>/dev/null || true
    ip link del "$prefix$run" 2>/dev/null || true
  done
}

load_settings
case "${1:-}" in
  up) up ;;
  down) down ;;
  status) cat "$state/processes" "$state/settings" 2>/dev/null || echo "not up" ;;
  start-silo) start_silo "${2:?silo number}" ;;
  kill-silo) stop_process "silo${2:?silo number}" KILL ;;
  stop-silo) stop_process "silo${2:?silo number}" TERM ;;
  start-api) start_api "${2:?api number}" ;;
  kill-api) stop_process "api${2:?api number}" KILL ;;
  cut) drop_oneway "${2:?host}" "${3:?host}"; drop_oneway "$3" "$2" ;;
  cut-oneway) drop_oneway "${2:?host}" "${3:?host}" ;;
  isolate) shift; isolate "$@" ;;
  heal) heal ;;
  cleanup-stale) cleanup_stale ;;
  *) echo "usage: $0 up|down|status|start-silo N|kill-silo N|stop-silo N|start-api N|kill-api N|cut A B|cut-oneway A B|isolate HOST...|heal|cleanup-stale" >&2; exit 2 ;;
esac
