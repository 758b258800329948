#!/usr/bin/env bash
# Load on `strata serve` over loopback, on a register of UNITS generated units (default
# 1,000,000; STRATA_LOAD_REGISTER=FILE.gpkg reuses a register; it receives the test's
# mortgages). Prints the figures the README gives:
#   1. saturation: wrk, 100 connections sending tunnel queries back to back (requests/s and
#      latency; on 2 cores the latency is the queue: 100 / throughput);
#   2. open loop: 100 clients each sending a tunnel query every 1/RATE s, at rising rates
#      (tools/load/open_loop.py; latency from the moment a request was due);
#   3. mixed: the open loop with an officer recording mortgages meanwhile; afterwards the
#      journal holds every act answered 200 (none lost), and, after a SIGTERM, `strata
#      register verify` passes.
#
#   bash tools/load/run.sh [UNITS]
set -euo pipefail
cd "$(dirname "$0")/../.."
units=${1:-1000000}
seconds=${STRATA_LOAD_SECONDS:-30}

if ! command -v wrk >/dev/null; then
  echo "== installing wrk"
  sudo=""; [ "$(id -u)" -ne 0 ] && sudo="sudo"
  $sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq wrk >/dev/null
fi
cargo build --release --quiet
bin=$PWD/target/release/strata
work=$(mktemp -d "${TMPDIR:-/tmp}/strata-load.XXXXXX")
server=""
cleanup() { [ -n "$server" ] && kill "$server" 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT

register=${STRATA_LOAD_REGISTER:-}
if [ -z "$register" ]; then
  register=$work/r.gpkg
  echo "== a register of $units units"
  "$bin" generate --units "$units" --conflict-every 0 --out "$work/d.fgb" >/dev/null
  "$bin" register init "$register" --crs EPSG:4548 >/dev/null
  /usr/bin/time -f "import: %e s, %M KB" "$bin" register import "$register" "$work/d.fgb" --officer 登簿员 >/dev/null
fi

python3 - "$work/users.json" <<'PY'
import hashlib, json, sys
users = [("planner-load", "planner", "planner-load-token"), ("officer-load", "officer", "officer-load-token")]
json.dump({"users": [{"name": n, "role": r, "token_sha256": hashlib.sha256(t.encode()).hexdigest()}
                     for n, r, t in users]}, open(sys.argv[1], "w"))
PY
"$bin" serve --register "$register" --addr 127.0.0.1:0 --users "$work/users.json" >"$work/serve.out" 2>"$work/serve.err" &
server=$!
for _ in $(seq 100); do grep -q serving "$work/serve.out" 2>/dev/null && break; sleep 0.1; done
port=$(grep -o '127.0.0.1:[0-9]*' "$work/serve.out" | head -1 | cut -d: -f2)
[ -n "$port" ] || { cat "$work/serve.err"; exit 1; }
api=http://127.0.0.1:$port/api
get() { curl -sf -H "Authorization: Bearer planner-load-token" "$api/$1"; }
extent=$(get register | python3 -c 'import json,sys; print(",".join(str(v) for v in json.load(sys.stdin)["extent"]))')
seq_of() { get register | python3 -c 'import json,sys; print(json.load(sys.stdin)["head"]["seq"])'; }
IFS=, read -r x0 y0 _ _ _ _ <<<"$extent"
get "units?bbox=$x0,$y0,$(python3 -c "print($x0+2000)"),$(python3 -c "print($y0+2000)")&limit=1000" |
  python3 -c 'import json,sys; print("\n".join(u["code"] for u in json.load(sys.stdin)["units"]))' >"$work/codes"
echo "== register $register: extent $extent, $(wc -l <"$work/codes") units to mortgage"

echo "== 1. saturation: wrk, 2 threads, 100 connections, ${seconds} s"
STRATA_TOKEN=planner-load-token STRATA_EXTENT=$extent \
  wrk -t2 -c100 -d"${seconds}s" --latency -s tools/load/tunnel.lua "$api/query" |
  grep -E "Requests/sec|50%|90%|99%|Non-2xx|Socket errors" || true

echo "== 2. open loop: 100 clients"
for rate in 1 2 4 6; do
  python3 tools/load/open_loop.py --port "$port" --token planner-load-token --extent "$extent" \
    --clients 100 --rate "$rate" --seconds "$seconds"
done

echo "== 3. mixed: 100 clients at 2 queries/s each, an officer recording 300 mortgages"
before=$(seq_of)
prefix="LOAD$(date +%s)"
out=$(python3 tools/load/open_loop.py --port "$port" --token planner-load-token --extent "$extent" \
  --clients 100 --rate 2 --seconds "$seconds" --officer-token officer-load-token \
  --write-units "$work/codes" --writes 300 --prefix "$prefix")
echo "$out"
ok=$(python3 -c 'import json,sys; print(json.loads(sys.argv[1])["writes_ok"])' "$out")
after=$(seq_of)
echo "journal: $before -> $after ($((after - before)) acts recorded, $ok answered 200)"
[ $((after - before)) -eq "$ok" ] || { echo "acts lost or invented"; exit 1; }
kill -TERM "$server"; wait "$server" || true; server=""
/usr/bin/time -f "verify: %e s, %M KB" "$bin" register verify "$register" | tail -2
