#!/usr/bin/env bash
# Runs every test with the services the tests need: PostgreSQL 15 with PostGIS 3 (installed
# from Debian when missing) in three throwaway clusters on free loopback ports
# (tools/pg-servers.sh), which the register's tests reach through STRATA_TEST_POSTGRES (the
# first) and STRATA_TEST_SHARDS (the other two, county servers of the register sharded by
# county, the first its coordinator); the CJK font the documents embed and the PDF tools
# their tests read them with (fonts-noto-cjk, poppler-utils), Node.js with the glTF validator
# and three.js for the glTF export (tools/gltf), Chromium and Playwright for the 3D page's test
# in a real browser (tests/browser) (all installed when missing); then
# `cargo test` with the arguments given; then the Python package (python/), built with maturin
# into a virtual environment under target/ and tested with pytest (the batch check on a local
# Spark cluster of two worker processes and on a local Ray cluster of two nodes among them: Java
# from openjdk-17-jre-headless, installed when missing), its type stubs checked against it with
# mypy's stubtest (skipped with STRATA_TEST_PYTHON=0); then the clusters are stopped and
# removed (also on failure or Ctrl-C).
#
#   bash tools/test.sh [cargo test arguments…]
set -Eeuo pipefail
cd "$(dirname "$0")/.."

die() { echo "tools/test.sh: error: $*" >&2; exit 1; }
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else die "need root to run: $*"; fi; }

# PostgreSQL servers for the register's tests: the first for the register, all three for the
# register sharded by county (the first its coordinator).
source tools/pg-servers.sh

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

export STRATA_TEST_POSTGRES="${PG_URLS[0]}"
export STRATA_TEST_SHARDS="${PG_URLS[1]} ${PG_URLS[2]}"
echo "== PostgreSQL $PG_VERSION + PostGIS on 127.0.0.1 for the tests: ${PG_URLS[*]}"
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
