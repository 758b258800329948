#!/usr/bin/env bash
# Installs PostgreSQL 15 with PostGIS 3 when missing (apt-get), then starts three throwaway
# clusters on free loopback ports (trust authentication from 127.0.0.1 only, each with database
# strata_test and PostGIS), and stops and removes them when the sourcing script exits (also on
# failure or Ctrl-C). Sourced by tools/test.sh and tools/bench-sharded.sh; sets PG_URLS (the
# coordinator first, then the two county servers) and needs die and as_root.

PG_VERSION=15
PG_BIN=/usr/lib/postgresql/$PG_VERSION/bin
POSTGIS_CONTROL=/usr/share/postgresql/$PG_VERSION/extension/postgis.control

online_clusters() { command -v pg_lsclusters >/dev/null && pg_lsclusters -h 2>/dev/null | awk '$4 == "online" { print $1 "/" $2 }' || true; }

if [ ! -x "$PG_BIN/initdb" ] || [ ! -f "$POSTGIS_CONTROL" ]; then
  before=$(online_clusters)
  echo "== installing PostgreSQL $PG_VERSION and PostGIS (apt-get)"
  export DEBIAN_FRONTEND=noninteractive
  log=$(mktemp)
  as_root apt-get update -qq >"$log" 2>&1 || true
  as_root apt-get install -y -qq --no-install-recommends "postgresql-$PG_VERSION" \
    "postgresql-$PG_VERSION-postgis-3" >>"$log" 2>&1 || { tail -20 "$log" >&2; die "apt-get install failed"; }
  rm -f "$log"
  # The package may start a 'main' cluster: stop what it started.
  for c in $(online_clusters); do
    grep -qx "$c" <<<"$before" || as_root pg_ctlcluster "${c%/*}" "${c#*/}" stop || true
  done
fi
[ -x "$PG_BIN/initdb" ] && [ -f "$POSTGIS_CONTROL" ] || die "PostgreSQL $PG_VERSION / PostGIS not found"

if [ "$(id -u)" = 0 ]; then
  id postgres >/dev/null 2>&1 || die "user postgres does not exist (it comes with the postgresql package)"
  as_pg() { runuser -u postgres -- "$@"; }
else
  as_pg() { "$@"; }
fi

TMPD=$(mktemp -d "${TMPDIR:-/tmp}/strata-test-pg.XXXXXX")
chmod 700 "$TMPD"
[ "$(id -u)" = 0 ] && chown postgres: "$TMPD"
# Three servers: the register's tests use the first; the sharded register's tests use it as
# the coordinator and the other two as county servers.
CLUSTERS=(coordinator county1 county2)
STARTED=()
cleanup() {
  local rc=$?
  set +e
  trap - EXIT INT TERM
  for c in "${STARTED[@]}"; do
    as_pg "$PG_BIN/pg_ctl" -D "$TMPD/$c" -m fast -w -t 60 stop >/dev/null 2>&1 || {
      pid=$(head -1 "$TMPD/$c/postmaster.pid" 2>/dev/null); [ -n "$pid" ] && kill -9 "$pid"; }
  done
  rm -rf "$TMPD"
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

port_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
NEXT_PORT=54340
# Starts a throwaway cluster $1 on the next free loopback port, with database strata_test and
# PostGIS; sets PORT.
start_cluster() {
  local name=$1 dir=$TMPD/$1
  PORT=""
  for ((p = NEXT_PORT; p < 54440; p++)); do
    if port_free "$p"; then PORT=$p; break; fi
  done
  [ -n "$PORT" ] || die "no free port in $NEXT_PORT..54439"
  NEXT_PORT=$((PORT + 1))
  as_pg "$PG_BIN/initdb" -D "$dir" -U postgres -A trust -E UTF8 --locale=C.UTF-8 --no-sync \
    >"$TMPD/$name-initdb.log" 2>&1 || { cat "$TMPD/$name-initdb.log" >&2; die "initdb failed"; }
  as_pg tee "$dir/pg_hba.conf" >/dev/null <<'HBA'
# throwaway test cluster: TCP from 127.0.0.1 only
host  all  postgres  127.0.0.1/32  trust
HBA
  as_pg tee -a "$dir/postgresql.conf" >/dev/null <<CONF
listen_addresses = '127.0.0.1'
port = $PORT
unix_socket_directories = ''
max_connections = 100
fsync = off
synchronous_commit = off
full_page_writes = off
shared_buffers = 64MB
CONF
  as_pg "$PG_BIN/pg_ctl" -D "$dir" -l "$TMPD/$name.log" -w -t 60 start >/dev/null \
    || { cat "$TMPD/$name.log" >&2; die "the PostgreSQL server $name did not start"; }
  STARTED+=("$name")
  "$PG_BIN/psql" -h 127.0.0.1 -p "$PORT" -U postgres -q -c "CREATE DATABASE strata_test" postgres \
    || die "cannot create the test database on $name"
  "$PG_BIN/psql" -h 127.0.0.1 -p "$PORT" -U postgres -q -c "CREATE EXTENSION postgis" strata_test \
    || die "cannot create the PostGIS extension on $name"
}
PG_URLS=()
for c in "${CLUSTERS[@]}"; do
  start_cluster "$c"
  PG_URLS+=("postgresql://postgres@127.0.0.1:$PORT/strata_test")
done
