#!/usr/bin/env python3
"""Writes src/model/frame/vertical.rs: the vertical CRSs of the EPSG dataset (code and name),
read from PROJ's database (proj.db, installed with libproj / GDAL), so that Strata knows a
height datum when it sees one without linking PROJ.

    python3 tools/epsg_vertical.py [/usr/share/proj/proj.db]
"""
import sqlite3
import sys
from pathlib import Path

db = sys.argv[1] if len(sys.argv) > 1 else "/usr/share/proj/proj.db"
con = sqlite3.connect(db)
version = dict(con.execute("select key, value from metadata").fetchall()).get("EPSG.VERSION", "?")
rows = con.execute(
    "select cast(code as integer), name from vertical_crs "
    "where auth_name = 'EPSG' and deprecated = 0 order by cast(code as integer)"
).fetchall()
out = Path(__file__).resolve().parent.parent / "src/model/frame/vertical.rs"
with out.open("w", encoding="utf-8") as f:
    f.write(f"//! The vertical CRSs of the EPSG dataset ({version}, {len(rows)} codes), written by\n")
    f.write("//! `tools/epsg_vertical.py` from PROJ's database. Do not edit by hand.\n\n")
    f.write("/// (EPSG code, name), ascending by code.\n")
    f.write("pub(super) const VERTICAL_CRS: &[(u32, &str)] = &[\n")
    for code, name in rows:
        name = name.replace("\\", "\\\\").replace('"', '\\"')
        f.write(f'    ({code}, "{name}"),\n')
    f.write("];\n")
print(f"wrote {out}: {len(rows)} vertical CRSs (EPSG {version})")
