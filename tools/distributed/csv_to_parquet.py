"""A generated district as GeoParquet of the survey profile, streamed in blocks: a district too
large for one process's memory (10M units) becomes the Parquet the Spark job and the Ray
adapter read, without `strata.read` holding it whole.

    strata generate --units 10000000 --out D.fgb
    ogr2ogr -f CSV D.csv D.fgb -lco GEOMETRY=AS_WKT
    target/python-venv/bin/python tools/distributed/csv_to_parquet.py D.csv D.parquet

Every column of the survey file is kept; the generator's rectangles
(`POLYGON ((x0 y0,x1 y0,x1 y1,x0 y1,x0 y0))`) become WKB polygons, in the generator's CRS
(EPSG:4548).
"""

import json
import sys

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pcsv
import pyarrow.parquet as pq

ROW_GROUP = 65536
WKB_POLYGON_5 = 1 + 4 + 4 + 4 + 5 * 16


def wkb_rectangles(wkt: pa.Array) -> pa.Array:
    """Rectangles' WKT as little-endian WKB polygons (one ring of five points)."""
    inner = pc.replace_substring_regex(wkt, r"^POLYGON ?\(\(|\)\)$", "")
    coords = pc.split_pattern_regex(inner, r"[ ,]")
    flat = pc.cast(pc.list_flatten(coords), pa.float64()).to_numpy()
    n = len(wkt)
    xy = flat.reshape(n, 10)
    out = np.zeros((n, WKB_POLYGON_5), dtype=np.uint8)
    out[:, 0] = 1
    out[:, 1:5] = np.frombuffer(np.uint32(3).tobytes(), dtype=np.uint8)
    out[:, 5:9] = np.frombuffer(np.uint32(1).tobytes(), dtype=np.uint8)
    out[:, 9:13] = np.frombuffer(np.uint32(5).tobytes(), dtype=np.uint8)
    out[:, 13:] = xy.astype("<f8").view(np.uint8).reshape(n, 80)
    fixed = pa.FixedSizeBinaryArray.from_buffers(
        pa.binary(WKB_POLYGON_5), n, [None, pa.py_buffer(out.tobytes())]
    )
    return fixed.cast(pa.binary())


def main():
    src, dst = sys.argv[1], sys.argv[2]
    geo = {
        "version": "1.1.0",
        "primary_column": "geometry",
        "columns": {
            "geometry": {
                "encoding": "WKB",
                "geometry_types": ["Polygon"],
                "crs": {"id": {"authority": "EPSG", "code": 4548}},
            }
        },
    }
    numbers = {c: pa.float64() for c in ("z_bottom", "z_top", "ground_elevation")}
    reader = pcsv.open_csv(
        src,
        read_options=pcsv.ReadOptions(block_size=64 << 20),
        convert_options=pcsv.ConvertOptions(
            column_types={**numbers, "WKT": pa.string()}, strings_can_be_null=True
        ),
    )
    names = [n for n in reader.schema.names if n != "WKT"]
    schema = pa.schema(
        [(n, numbers.get(n, pa.string())) for n in names] + [("geometry", pa.binary())],
        metadata={b"geo": json.dumps(geo).encode()},
    )
    rows = 0
    with pq.ParquetWriter(dst, schema) as w:
        for batch in reader:
            columns = [batch.column(n).cast(schema.field(n).type) for n in names]
            columns.append(wkb_rectangles(batch.column("WKT")))
            w.write_table(pa.table(columns, schema=schema), row_group_size=ROW_GROUP)
            rows += len(batch)
    print(f"{dst}: {rows} rows")


if __name__ == "__main__":
    main()
