#!/usr/bin/env bash
# Runs every test with the services the tests need: PostgreSQL 15 with PostGIS 3 (installed
# from Debian when missing) in a throwaway cluster on a free loopback port, which the register's
# tests reach through STRATA_TEST_POSTGRES; the CJK font the documents embed and the PDF tools
# their tests read them with (fonts-noto-cjk, poppler-utils), Node.js with the glTF validator
# and three.js for the glTF export (tools/gltf), Chromium and Playwright for the 3D page's test
# in a real browser (tests/browser) (all installed when missing); then
# `cargo test` with the arguments given; then the Python package (python/), built with maturin
# into a virtual environment under target/ and tested with pytest (the batch check on a local
# Spark cluster of two worker processes and on a local Ray cluster of two nodes among them: Java
# from openjdk-17-jre-headless, installed when missing), its type stubs checked against it with
# mypy's stubtest; then the cluster is stopped and removed (also on failure or
# Ctrl-C).
#
#   bash tools/test.sh [cargo test arguments…]
set -Eeuo pipefail
cd "$(dirname "$0")/.."

PG_VERSION=15
PG_BIN=/usr/lib/postgresql/$PG_VERSION/bin
POSTGIS_CONTROL=/usr/share/postgresql/$PG_VERSION/extension/postgis.control

die() { echo "tools/test.sh: error: $*" >&2; exit 1; }
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else die "need root to run: $*"; fi; }
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

CJK_FONT=/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc
if [ ! -f "$CJK_FONT" ] || ! command -v pdftotext >/dev/null || ! command -v pdftoppm >/dev/null; then
  echo "== installing the CJK font and the PDF tools (fonts-noto-cjk poppler-utils)"
  export DEBIAN_FRONTEND=noninteractive
  log=$(mktemp)
  as_root apt-get update -qq >"$log" 2>&1 || true
  as_root apt-get install -y -qq --no-install-recommends \
    fonts-noto-cjk poppler-utils >>"$log" 2>&1 || { tail -20 "$log" >&2; die "apt-get install failed"; }
  rm -f "$log"
fi
[ -f "$CJK_FONT" ] && command -v pdftotext >/dev/null || die "fonts-noto-cjk / poppler-utils not found"

# Node.js, for the glTF export's test: the Khronos glTF validator and three.js read the file
# (tools/gltf, pinned by its package-lock.json).
if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
  echo "== installing Node.js (nodejs npm)"
  export DEBIAN_FRONTEND=noninteractive
  log=$(mktemp)
  as_root apt-get update -qq >"$log" 2>&1 || true
  as_root apt-get install -y -qq --no-install-recommends nodejs npm >>"$log" 2>&1 || { tail -20 "$log" >&2; die "apt-get install failed"; }
  rm -f "$log"
fi
if [ ! -d tools/gltf/node_modules/three ] || [ ! -d tools/gltf/node_modules/gltf-validator ]; then
  echo "== npm ci (tools/gltf: gltf-validator, three)"
  (cd tools/gltf && npm ci --no-audit --no-fund --silent) || die "npm ci in tools/gltf failed"
fi

# The 3D page's test (tests/browser.rs) drives the distribution's headless Chromium with
# Playwright's library (tests/browser, pinned by its package-lock.json; it downloads no browser).
if [ ! -x /usr/bin/chromium ]; then
  echo "== installing Chromium (chromium)"
  export DEBIAN_FRONTEND=noninteractive
  log=$(mktemp)
  as_root apt-get update -qq >"$log" 2>&1 || true
  as_root apt-get install -y -qq --no-install-recommends chromium >>"$log" 2>&1 || { tail -20 "$log" >&2; die "apt-get install failed"; }
  rm -f "$log"
fi
[ -x /usr/bin/chromium ] || die "Chromium (/usr/bin/chromium) not found"
if [ ! -d tests/browser/node_modules/playwright-core ]; then
  echo "== npm ci (tests/browser: playwright-core)"
  (cd tests/browser && npm ci --no-audit --no-fund --silent) || die "npm ci in tests/browser failed"
fi

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
URLS=()
for c in "${CLUSTERS[@]}"; do
  start_cluster "$c"
  URLS+=("postgresql://postgres@127.0.0.1:$PORT/strata_test")
done
export STRATA_TEST_POSTGRES="${URLS[0]}"
export STRATA_TEST_SHARDS="${URLS[1]} ${URLS[2]}"
echo "== PostgreSQL $PG_VERSION + PostGIS on 127.0.0.1 for the tests: ${URLS[*]}"
cargo test "$@"

# The register's PostgreSQL tests again, each register a county of a register sharded over the
# three servers (written and read through the coordinator).
STRATA_TEST_LAYOUT=sharded cargo test "$@" --test register_postgres --test register_rules

if [ "${STRATA_TEST_PYTHON:-1}" = 0 ]; then
  echo "== the Python package's tests skipped (STRATA_TEST_PYTHON=0)"
  exit 0
fi

# Java for the Spark test's cluster (PySpark from PyPI brings Spark's jars, not a JVM).
if ! command -v java >/dev/null; then
  echo "== installing Java (openjdk-17-jre-headless)"
  export DEBIAN_FRONTEND=noninteractive
  log=$(mktemp)
  as_root apt-get update -qq >"$log" 2>&1 || true
  as_root apt-get install -y -qq --no-install-recommends openjdk-17-jre-headless >>"$log" 2>&1 || { tail -20 "$log" >&2; die "apt-get install failed"; }
  rm -f "$log"
fi
command -v java >/dev/null || die "Java (openjdk-17-jre-headless) not found"

# The Python package: its build tools and test tools pinned in python/requirements-test.txt.
echo "== the Python package (python/): maturin, pytest, stubtest"
VENV=$PWD/target/python-venv
[ -x "$VENV/bin/python" ] || python3 -m venv "$VENV" || die "python3 -m venv failed (Python 3.9 or later with venv is needed)"
PIP=("$VENV/bin/python" -m pip --disable-pip-version-check -q)
"${PIP[@]}" install -r python/requirements-test.txt || die "pip install of the Python test tools failed"
PATH="$VENV/bin:$PATH" "${PIP[@]}" install --no-build-isolation --force-reinstall --no-deps ./python \
  || die "building the Python package failed"
"$VENV/bin/pytest" -q python/tests
"$VENV/bin/python" -m mypy.stubtest strata --mypy-config-file python/pyproject.toml
