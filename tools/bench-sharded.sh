#!/usr/bin/env bash
# Measures the register sharded by county against a register on one server (benches/sharded.rs):
# starts three PostgreSQL servers on loopback as the tests do (tools/pg-servers.sh: the first is
# the coordinator and the one server, the others the two county servers), runs the bench with
# criterion, then stops and removes the servers.
#
#   bash tools/bench-sharded.sh [criterion arguments…]
set -Eeuo pipefail
cd "$(dirname "$0")/.."

die() { echo "tools/bench-sharded.sh: error: $*" >&2; exit 1; }
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else die "need root to run: $*"; fi; }

source tools/pg-servers.sh
export STRATA_BENCH_POSTGRES="${PG_URLS[0]}"
export STRATA_BENCH_SHARDS="${PG_URLS[1]} ${PG_URLS[2]}"
echo "== PostgreSQL $PG_VERSION + PostGIS on 127.0.0.1: ${PG_URLS[*]}"
cargo bench --bench sharded -- "$@"
