#!/usr/bin/env bash
# Renders the README's pictures from the demo's documents: one 三维宗地图 (Wengcheng's
# underground public-facilities layer) and its certificate page, into docs/ (poppler-utils).
#
#   bash tools/docs-images.sh
set -euo pipefail
cd "$(dirname "$0")/.."
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
cargo run --release --quiet -- demo --out "$out" >/dev/null
unit=110112003005GX00002W00000000
pdftoppm -r 72 -png -singlefile "$out/documents/$unit.map.pdf" docs/map
pdftoppm -r 72 -png -singlefile -f 1 -l 1 "$out/documents/$unit.cert.pdf" docs/certificate
ls -l docs/map.png docs/certificate.png
