#!/usr/bin/env bash
# Strata vs PostgreSQL/PostGIS on the same conflict-check job.
#
#   tools/postgis/compare.sh DISTRICT.csv [--strata-cmd "COMMAND"] [options]
#
# DISTRICT.csv is what `strata generate --units N --seed S --out DISTRICT.csv` writes (or
# tools/postgis/standin_district.py until then): unit_code,kind,parent_plot,z_bottom,z_top,wkt.
#
# The script installs PostgreSQL 15 + PostGIS 3 from Debian if they are missing, starts a
# throwaway cluster in a temporary directory (127.0.0.1 only, no Unix socket, password
# authentication, a free port from 54329 up), loads the CSV, builds a 3D GiST index, runs
#   overlap:     self-join of unit parts of different units through the 3D index, pairs whose
#                interiors overlap, volume = area(fa ∩ fb) × z-overlap;
#   containment: per unit part, volume outside its parent plot;
# then stops the server and deletes the directory (also on failure or Ctrl-C), and prints the
# timings, the results and, with --strata-cmd, Strata's time and the ratio PostGIS ÷ Strata.
#
# Options:
#   --strata-cmd CMD    command to time (run with bash -c in the current directory, before the
#                       server starts); {csv} is replaced by the CSV path and {stem} by the path
#                       without .csv, e.g. --strata-cmd "target/release/strata check {stem}.fgb --json".
#                       Exit status 0 or 1 (1 = findings) counts as success.
#   --strata-out FILE   keep Strata's standard output there (default: discarded)
#   --port N            first port to try (default 54329)
#   --repeat N          run each check step N times, report the fastest (default 1)
#   --workers N         max_parallel_workers_per_gather (default 2; the machine has 2 cores)
#   --expect FILE.json  compare the results with expected answers (standin_district.py
#                       --expected writes them); a mismatch fails the run
#   --results DIR       write overlap_pairs.csv and outside_parts.csv there
#   --explain           print the query plans of the two check steps
#   --sql               print the SQL that is run
#   -h, --help
#
# Exit status: 0 on success, non-zero on any failure. Output is plain text.

set -Eeuo pipefail

PG_VERSION=15
PG_BIN=/usr/lib/postgresql/$PG_VERSION/bin
POSTGIS_CONTROL=/usr/share/postgresql/$PG_VERSION/extension/postgis.control

die() { echo "compare.sh: error: $*" >&2; exit 1; }
note() { echo "# $*"; }
usage() { sed -n '2,/^# Exit status/p' "$0" | sed 's/^# \{0,1\}//'; }

CSV=""
STRATA_CMD=""
STRATA_OUT=""
PORT0=54329
REPEAT=1
WORKERS=2
EXPECT=""
RESULTS=""
EXPLAIN=0
SHOW_SQL=0
while [ $# -gt 0 ]; do
  case "$1" in
    --strata-cmd) [ $# -ge 2 ] || die "--strata-cmd needs a value"; STRATA_CMD=$2; shift 2 ;;
    --strata-out) [ $# -ge 2 ] || die "--strata-out needs a value"; STRATA_OUT=$2; shift 2 ;;
    --port) [ $# -ge 2 ] || die "--port needs a value"; PORT0=$2; shift 2 ;;
    --repeat) [ $# -ge 2 ] || die "--repeat needs a value"; REPEAT=$2; shift 2 ;;
    --workers) [ $# -ge 2 ] || die "--workers needs a value"; WORKERS=$2; shift 2 ;;
    --expect) [ $# -ge 2 ] || die "--expect needs a value"; EXPECT=$2; shift 2 ;;
    --results) [ $# -ge 2 ] || die "--results needs a value"; RESULTS=$2; shift 2 ;;
    --explain) EXPLAIN=1; shift ;;
    --sql) SHOW_SQL=1; shift ;;
    -h|--help) usage; exit 0 ;;
    --) shift; [ $# -gt 0 ] && { CSV=$1; shift; } ;;
    -*) die "unknown option $1 (see --help)" ;;
    *) [ -z "$CSV" ] || die "only one CSV file, got '$CSV' and '$1'"; CSV=$1; shift ;;
  esac
done
[ -n "$CSV" ] || { usage >&2; exit 2; }
[ -f "$CSV" ] && [ -r "$CSV" ] || die "cannot read $CSV"
[[ $PORT0 =~ ^[0-9]+$ ]] && [ "$PORT0" -ge 1024 ] && [ "$PORT0" -le 65000 ] || die "bad --port $PORT0"
[[ $REPEAT =~ ^[1-9][0-9]*$ ]] || die "bad --repeat $REPEAT"
[[ $WORKERS =~ ^[0-9]+$ ]] || die "bad --workers $WORKERS"
[ -z "$EXPECT" ] || [ -r "$EXPECT" ] || die "cannot read $EXPECT"
IFS= read -r header < "$CSV" || die "$CSV is empty"
header=${header%$'\r'}
[ "$header" = "unit_code,kind,parent_plot,z_bottom,z_top,wkt" ] \
  || die "$CSV: header is '$header', expected 'unit_code,kind,parent_plot,z_bottom,z_top,wkt'"
CSV_ABS=$(cd "$(dirname "$CSV")" && pwd)/$(basename "$CSV")

now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", b - a }'; }

# ---------------------------------------------------------------------------------------------
# 1. Install what is missing
# ---------------------------------------------------------------------------------------------
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else die "need root to run: $*"; fi; }
online_clusters() { command -v pg_lsclusters >/dev/null && pg_lsclusters -h 2>/dev/null | awk '$4 == "online" { print $1 "/" $2 }' || true; }

if [ ! -x "$PG_BIN/initdb" ] || [ ! -f "$POSTGIS_CONTROL" ] || ! command -v psql >/dev/null; then
  before=$(online_clusters)
  export DEBIAN_FRONTEND=noninteractive
  pkgs=()  # only what is missing: an installed server is not upgraded behind the user's back
  [ -x "$PG_BIN/initdb" ] || pkgs+=("postgresql-$PG_VERSION")
  [ -f "$POSTGIS_CONTROL" ] || pkgs+=("postgresql-$PG_VERSION-postgis-3")
  command -v psql >/dev/null || pkgs+=("postgresql-client-$PG_VERSION")
  note "installing ${pkgs[*]} (apt-get)"
  if ! as_root apt-get install -y -q --no-install-recommends "${pkgs[@]}" >/tmp/compare-apt.$$.log 2>&1; then
    as_root apt-get update -q >>/tmp/compare-apt.$$.log 2>&1 || true
    as_root apt-get install -y -q --no-install-recommends "${pkgs[@]}" >>/tmp/compare-apt.$$.log 2>&1 \
      || { tail -20 /tmp/compare-apt.$$.log >&2; rm -f /tmp/compare-apt.$$.log; die "apt-get install failed"; }
  fi
  rm -f /tmp/compare-apt.$$.log
  # Debian's package creates and may start a 'main' cluster: stop any it started.
  for c in $(online_clusters); do
    if ! grep -qx "$c" <<<"$before"; then
      note "stopping cluster $c started by the package install"
      as_root pg_ctlcluster "${c%/*}" "${c#*/}" stop || die "could not stop cluster $c"
    fi
  done
fi
[ -x "$PG_BIN/initdb" ] && [ -f "$POSTGIS_CONTROL" ] || die "PostgreSQL $PG_VERSION / PostGIS not found after install"
command -v psql >/dev/null || die "psql not found"

# ---------------------------------------------------------------------------------------------
# 2. Strata (before the server starts, so nothing else runs meanwhile)
# ---------------------------------------------------------------------------------------------
STRATA_S=""
STRATA_RSS=""
if [ -n "$STRATA_CMD" ]; then
  cmd=${STRATA_CMD//\{csv\}/$CSV}
  cmd=${cmd//\{stem\}/${CSV%.csv}}
  note "strata: $cmd"
  sout=${STRATA_OUT:-/dev/null}
  serr=$(mktemp "${TMPDIR:-/tmp}/compare-strata-err.XXXXXX")
  t0=$(now)
  set +e
  if [ -x /usr/bin/time ]; then
    tfile=$(mktemp "${TMPDIR:-/tmp}/compare-strata-time.XXXXXX")
    /usr/bin/time -f '%M' -o "$tfile" bash -c "$cmd" >"$sout" 2>"$serr"
    rc=$?
    STRATA_RSS=$(tail -1 "$tfile" 2>/dev/null || true)
    rm -f "$tfile"
  else
    bash -c "$cmd" >"$sout" 2>"$serr"
    rc=$?
  fi
  set -e
  t1=$(now)
  STRATA_S=$(elapsed "$t0" "$t1")
  if [ "$rc" -ne 0 ] && [ "$rc" -ne 1 ]; then
    tail -20 "$serr" >&2; rm -f "$serr"
    die "strata command exited with status $rc"
  fi
  rm -f "$serr"
  note "strata: exit $rc, ${STRATA_S} s${STRATA_RSS:+, max RSS $((STRATA_RSS / 1024)) MiB}"
fi

# ---------------------------------------------------------------------------------------------
# 3. Throwaway cluster: temp dir, 127.0.0.1 only, no Unix socket, password auth; trap cleans up
# ---------------------------------------------------------------------------------------------
TMPD=""
PGDATA_DIR=""
SERVER_STARTED=0
if [ "$(id -u)" = 0 ]; then
  id postgres >/dev/null 2>&1 || die "user postgres does not exist (it comes with the postgresql package)"
  as_pg() { runuser -u postgres -- "$@"; }
else
  as_pg() { "$@"; }
fi

cleanup() {
  local rc=$?
  set +e
  trap - EXIT INT TERM
  if [ "$SERVER_STARTED" = 1 ] && [ -n "$PGDATA_DIR" ]; then
    if ! as_pg "$PG_BIN/pg_ctl" -D "$PGDATA_DIR" -m fast -w -t 60 stop >/dev/null 2>&1; then
      pid=$(head -1 "$PGDATA_DIR/postmaster.pid" 2>/dev/null)
      [ -n "$pid" ] && kill -9 "$pid" 2>/dev/null
      sleep 1
    fi
  fi
  [ -n "$TMPD" ] && rm -rf "$TMPD"
  [ "$rc" -ne 0 ] && echo "compare.sh: failed (exit $rc); server stopped, temporary files removed" >&2
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

port_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
PORT=""
for ((p = PORT0; p < PORT0 + 100; p++)); do
  if port_free "$p"; then PORT=$p; break; fi
done
[ -n "$PORT" ] || die "no free port in $PORT0..$((PORT0 + 99))"

TMPD=$(mktemp -d "${TMPDIR:-/tmp}/strata-postgis.XXXXXX")
chmod 700 "$TMPD"
[ "$(id -u)" = 0 ] && chown postgres: "$TMPD"
PGDATA_DIR=$TMPD/data
PASSWORD=$(od -An -tx1 -N16 /dev/urandom | tr -d ' \n')
(umask 077; printf '%s\n' "$PASSWORD" > "$TMPD/pw")
[ "$(id -u)" = 0 ] && chown postgres: "$TMPD/pw"

as_pg "$PG_BIN/initdb" -D "$PGDATA_DIR" -U postgres --pwfile="$TMPD/pw" -A scram-sha-256 \
  -E UTF8 --locale=C.UTF-8 --no-sync >"$TMPD/initdb.log" 2>&1 \
  || { cat "$TMPD/initdb.log" >&2; die "initdb failed"; }
rm -f "$TMPD/pw"
as_pg tee "$PGDATA_DIR/pg_hba.conf" >/dev/null <<'EOF'
# throwaway benchmark cluster: TCP from 127.0.0.1 only, password
host  all  postgres  127.0.0.1/32  scram-sha-256
EOF
# Tuned for a throwaway bulk job on 2 cores / 24 GiB: no durability, generous memory.
as_pg tee -a "$PGDATA_DIR/postgresql.conf" >/dev/null <<EOF

# --- compare.sh ---
listen_addresses = '127.0.0.1'
port = $PORT
unix_socket_directories = ''
max_connections = 10
shared_buffers = 2GB
work_mem = 256MB
maintenance_work_mem = 1GB
effective_cache_size = 8GB
max_parallel_workers_per_gather = $WORKERS
max_parallel_maintenance_workers = $WORKERS
fsync = off
synchronous_commit = off
full_page_writes = off
wal_level = minimal
max_wal_senders = 0
max_wal_size = 8GB
checkpoint_timeout = 30min
jit = off
logging_collector = off
EOF
as_pg "$PG_BIN/pg_ctl" -D "$PGDATA_DIR" -l "$TMPD/server.log" -w -t 60 start >/dev/null \
  || { cat "$TMPD/server.log" >&2; die "server did not start"; }
SERVER_STARTED=1

(umask 077; printf '127.0.0.1:%s:*:postgres:%s\n' "$PORT" "$PASSWORD" > "$TMPD/pgpass")
[ "$(id -u)" = 0 ] && chown root: "$TMPD/pgpass"
export PGPASSFILE=$TMPD/pgpass PGHOST=127.0.0.1 PGPORT=$PORT PGUSER=postgres PGCONNECT_TIMEOUT=10
unset PGSERVICE PGSERVICEFILE PGOPTIONS PGSSLMODE PGDATABASE PGPASSWORD
PSQL=(psql -X -q -v ON_ERROR_STOP=1 -d strata_bench)

psql -X -q -v ON_ERROR_STOP=1 -d postgres -c "create database strata_bench" \
  || die "create database failed"
"${PSQL[@]}" -c "create extension postgis" || die "create extension postgis failed"
note "PostgreSQL $("${PSQL[@]}" -Atc "show server_version"), 127.0.0.1:$PORT, data in $PGDATA_DIR"

# ---------------------------------------------------------------------------------------------
# 4. SQL
# ---------------------------------------------------------------------------------------------
SQL_LOAD=$(cat <<'EOF'
create unlogged table district_raw (
  unit_code text, kind text, parent_plot text,
  z_bottom double precision, z_top double precision, wkt text);
\copy district_raw from pstdin with (format csv, header true)
EOF
)

SQL_BUILD=$(cat <<'EOF'
do $$
declare n bigint;
begin
  select count(*) into n from district_raw where kind is null or kind not in ('unit', 'plot');
  if n > 0 then raise exception '% rows with a kind other than unit or plot', n; end if;
  select count(*) into n from district_raw
   where kind = 'unit' and (unit_code is null or z_bottom is null or z_top is null or not z_top > z_bottom);
  if n > 0 then raise exception '% unit rows without a code or with missing or reversed z', n; end if;
  select count(*) into n from district_raw where wkt is null or parent_plot is null;
  if n > 0 then raise exception '% rows without wkt or parent_plot', n; end if;
end $$;

-- one row per prism part; vol = the part's 3D extent as a solid box (POLYHEDRALSURFACE Z)
create unlogged table unit_part as
select (row_number() over ())::int as part_id, unit_code, parent_plot, z_bottom, z_top,
       ST_XMin(f) as bx0, ST_YMin(f) as by0, ST_XMax(f) as bx1, ST_YMax(f) as by1,
       f as footprint,
       ST_SetSRID(ST_3DMakeBox(ST_MakePoint(ST_XMin(f), ST_YMin(f), z_bottom),
                               ST_MakePoint(ST_XMax(f), ST_YMax(f), z_top))::geometry, 4548) as vol
  from (select unit_code, parent_plot, z_bottom, z_top, ST_GeomFromText(wkt, 4548) as f
          from district_raw where kind = 'unit' offset 0) s;

create unlogged table plot as
select parent_plot as plot_id,
       case when count(*) = 1 then (array_agg(g))[1] else ST_Union(g) end as footprint
  from (select parent_plot, ST_GeomFromText(wkt, 4548) as g from district_raw where kind = 'plot') s
 group by parent_plot;
EOF
)

SQL_INDEX=$(cat <<'EOF'
create index unit_part_vol_3d on unit_part using gist (vol gist_geometry_ops_nd);
create index unit_part_footprint_2d on unit_part using gist (footprint);
create index plot_footprint_2d on plot using gist (footprint);
create unique index plot_id on plot (plot_id);
analyze unit_part;
analyze plot;
EOF
)

# Pairs of parts of different units whose interiors overlap. &&& uses the 3D GiST index (its
# boxes are float4, so it is a prefilter); the float8 z and bbox tests drop pairs that only
# touch (shared faces) before any GEOS call; ST_3DIntersects is the exact 3D test on the solid
# boxes; area > 0 drops footprints that only share edges.
SQL_OVERLAP=$(cat <<'EOF'
create unlogged table overlap_pair as
select a_part, b_part, a_unit, b_unit, area_m2, dz_m, area_m2 * dz_m as volume_m3
  from (select a.part_id as a_part, b.part_id as b_part, a.unit_code as a_unit, b.unit_code as b_unit,
               least(a.z_top, b.z_top) - greatest(a.z_bottom, b.z_bottom) as dz_m,
               ST_Area(ST_Intersection(a.footprint, b.footprint)) as area_m2
          from unit_part a
          join unit_part b on a.vol &&& b.vol and a.part_id < b.part_id
         where a.unit_code <> b.unit_code
           -- a building (fixture F/L/Q) inside its own land right (same 19-character parcel
           -- prefix, fixture part W) is containment, not a conflict, as in Strata
           and not (left(a.unit_code, 19) = left(b.unit_code, 19)
                    and (substr(a.unit_code, 20, 1) = 'W') <> (substr(b.unit_code, 20, 1) = 'W'))
           and least(a.z_top, b.z_top) > greatest(a.z_bottom, b.z_bottom)
           and least(a.bx1, b.bx1) > greatest(a.bx0, b.bx0)
           and least(a.by1, b.by1) > greatest(a.by0, b.by0)
           and ST_3DIntersects(a.vol, b.vol)
        offset 0) c
 where area_m2 > 0;
EOF
)

# Volume of each part outside its parent plot (a part whose plot is missing is wholly outside).
SQL_CONTAIN=$(cat <<'EOF'
create unlogged table outside_part as
select part_id, unit_code, parent_plot, plot_missing, volume_outside_m3
  from (select u.part_id, u.unit_code, u.parent_plot, p.plot_id is null as plot_missing,
               (ST_Area(u.footprint)
                - coalesce(ST_Area(ST_Intersection(u.footprint, p.footprint)), 0))
               * (u.z_top - u.z_bottom) as volume_outside_m3
          from unit_part u
          left join plot p on p.plot_id = u.parent_plot
        offset 0) s
 where volume_outside_m3 > 0;
EOF
)

if [ "$SHOW_SQL" = 1 ]; then
  for s in SQL_LOAD SQL_BUILD SQL_INDEX SQL_OVERLAP SQL_CONTAIN; do
    echo "-- ${s#SQL_}"; printf '%s\n\n' "${!s}"
  done
fi

# run_step NAME SQL: runs SQL in one psql session, prints and records the seconds
declare -A T
run_step() {
  local name=$1 sql=$2 t0 t1
  t0=$(now)
  "${PSQL[@]}" -f - <<<"$sql" >/dev/null || die "step '$name' failed"
  t1=$(now)
  T[$name]=$(elapsed "$t0" "$t1")
  printf '# %-12s %9s s\n' "$name" "${T[$name]}"
}
# \copy ... from pstdin reads psql's standard input, so the load step gets the CSV as stdin and
# the SQL as a file.
run_load() {
  local t0 t1 f=$TMPD/load.sql
  printf '%s\n' "$SQL_LOAD" > "$f"
  [ "$(id -u)" = 0 ] && chmod 644 "$f"
  t0=$(now)
  "${PSQL[@]}" -f "$f" <"$CSV_ABS" >/dev/null || die "step 'load' failed"
  t1=$(now)
  T[load]=$(elapsed "$t0" "$t1")
  printf '# %-12s %9s s\n' load "${T[load]}"
}
# run_check NAME TABLE SQL: REPEAT times (dropping the result table between runs), fastest kept
run_check() {
  local name=$1 table=$2 sql=$3 best="" i
  for ((i = 1; i <= REPEAT; i++)); do
    [ "$i" -gt 1 ] && "${PSQL[@]}" -c "drop table $table" >/dev/null
    run_step "$name" "$sql"
    if [ -z "$best" ] || awk -v a="${T[$name]}" -v b="$best" 'BEGIN { exit !(a < b) }'; then best=${T[$name]}; fi
  done
  T[$name]=$best
}

# ---------------------------------------------------------------------------------------------
# 5. Run
# ---------------------------------------------------------------------------------------------
note "CSV $CSV_ABS ($(du -h "$CSV_ABS" | cut -f1))"
run_load
run_step build "$SQL_BUILD"
IFS='|' read -r n_rows n_units n_parts n_plots < <("${PSQL[@]}" -At -F'|' -c "
  select (select count(*) from district_raw), (select count(distinct unit_code) from unit_part),
         (select count(*) from unit_part), (select count(*) from plot)")
note "rows $n_rows: units $n_units, unit parts $n_parts, plots $n_plots"
run_step index "$SQL_INDEX"

if [ "$EXPLAIN" = 1 ]; then
  for s in SQL_OVERLAP SQL_CONTAIN; do
    echo "-- plan: ${s#SQL_}"
    q=${!s}
    q=${q#create unlogged table * as}
    "${PSQL[@]}" -c "explain $q" | sed 's/^/   /'
  done
fi
run_check overlap overlap_pair "$SQL_OVERLAP"
run_check containment outside_part "$SQL_CONTAIN"

IFS='|' read -r ov_pairs ov_units ov_vol < <("${PSQL[@]}" -At -F'|' -c "
  select count(*), count(distinct (least(a_unit, b_unit), greatest(a_unit, b_unit))),
         coalesce(round(sum(volume_m3)::numeric, 3), 0) from overlap_pair")
IFS='|' read -r out_parts out_missing out_vol < <("${PSQL[@]}" -At -F'|' -c "
  select count(*), count(*) filter (where plot_missing),
         coalesce(round(sum(volume_outside_m3)::numeric, 3), 0) from outside_part")
[ -n "$ov_pairs" ] && [ -n "$out_parts" ] || die "could not read the results"

if [ -n "$RESULTS" ]; then
  mkdir -p "$RESULTS"
  "${PSQL[@]}" -c "\copy (select a_unit, b_unit, a_part, b_part, round(area_m2::numeric, 6) as area_m2, dz_m, round(volume_m3::numeric, 6) as volume_m3 from overlap_pair order by a_unit, b_unit, a_part, b_part) to pstdout with (format csv, header true)" > "$RESULTS/overlap_pairs.csv"
  "${PSQL[@]}" -c "\copy (select unit_code, parent_plot, part_id, plot_missing, round(volume_outside_m3::numeric, 6) as volume_outside_m3 from outside_part order by unit_code, part_id) to pstdout with (format csv, header true)" > "$RESULTS/outside_parts.csv"
  note "results written to $RESULTS/overlap_pairs.csv and $RESULTS/outside_parts.csv"
fi
PG_VER=$("${PSQL[@]}" -Atc "select 'PostgreSQL ' || current_setting('server_version') || ', PostGIS ' || postgis_lib_version() || ', GEOS ' || postgis_geos_version()")

# stop the server and delete its directory before printing
as_pg "$PG_BIN/pg_ctl" -D "$PGDATA_DIR" -m fast -w -t 60 stop >/dev/null || die "server did not stop"
SERVER_STARTED=0
rm -rf "$TMPD"; TMPD=""

# ---------------------------------------------------------------------------------------------
# 6. Report
# ---------------------------------------------------------------------------------------------
sum() { awk 'BEGIN { s = 0; for (i = 1; i < ARGC; i++) s += ARGV[i]; printf "%.3f", s }' "$@"; }
T[check]=$(sum "${T[overlap]}" "${T[containment]}")
T[total]=$(sum "${T[load]}" "${T[build]}" "${T[index]}" "${T[check]}")

echo
best=""; [ "$REPEAT" -gt 1 ] && best="; check steps: best of $REPEAT"
echo "$PG_VER; $(nproc) cores; max_parallel_workers_per_gather=$WORKERS$best"
echo "district: $n_units units, $n_parts unit parts, $n_plots plots ($(basename "$CSV"))"
echo "overlap:     $ov_pairs part pairs, $ov_units unit pairs, volume $ov_vol m3"
echo "containment: $out_parts parts outside their plot ($out_missing with no such plot), volume outside $out_vol m3"
echo
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "-" }'; }
row() { printf '%-34s %12s %12s %10s\n' "$@"; }
row step "PostGIS s" "Strata s" ratio
row "load (\\copy CSV)" "${T[load]}" - -
row "build (WKT -> geometry, 3D box)" "${T[build]}" - -
row "index (3D + 2D GiST, analyze)" "${T[index]}" - -
row "overlap (3D self-join)" "${T[overlap]}" - -
row "containment (outside plot)" "${T[containment]}" - -
# Strata's own stage timings, when its JSON report was kept.
S_PARSE=""; S_CHECK=""
if [ -n "${STRATA_OUT:-}" ] && [ -s "$STRATA_OUT" ]; then
  read -r S_PARSE S_CHECK < <(python3 -c '
import json, sys
t = json.load(open(sys.argv[1])).get("timings_ms", {})
print("%.3f %.3f" % (t.get("parse", 0) / 1e3, t.get("total", 0) / 1e3))' "$STRATA_OUT" 2>/dev/null) || true
fi
if [ -n "$S_CHECK" ]; then
  row "parse (Strata) / load+build (PostGIS)" "$(sum "${T[load]}" "${T[build]}")" "$S_PARSE" "$(ratio "$(sum "${T[load]}" "${T[build]}")" "$S_PARSE")"
  row "check (Strata: index..six-direction)" "$(sum "${T[index]}" "${T[check]}")" "$S_CHECK" "$(ratio "$(sum "${T[index]}" "${T[check]}")" "$S_CHECK")"
else
  row "check (overlap + containment)" "${T[check]}" - -
fi
if [ -n "$STRATA_S" ]; then
  row "end to end" "${T[total]}" "$STRATA_S" "$(ratio "${T[total]}" "$STRATA_S")"
else
  row "end to end" "${T[total]}" - -
fi

if [ -n "$EXPECT" ]; then
  python3 - "$EXPECT" "$ov_pairs" "$ov_units" "$ov_vol" "$out_parts" "$out_vol" <<'EOF' || exit 1
import json, sys
exp = json.load(open(sys.argv[1]))
got = dict(zip(["overlap_part_pairs", "overlap_unit_pairs", "overlap_volume_m3", "outside_parts",
                "outside_volume_m3"], map(float, sys.argv[2:])))
bad = [k for k, v in got.items() if abs(v - float(exp[k])) > 1e-6 * max(1.0, abs(float(exp[k])))]
for k in got:
    print(f"expect {k}: {exp[k]} {'MISMATCH, got ' + str(got[k]) if k in bad else 'ok'}")
sys.exit(1 if bad else 0)
EOF
fi
