"""Survey tables built by hand, with their conflicts known in advance (analytic volumes)."""

import struct

import pyarrow as pa

X0, Y0 = 441_000.0, 4_410_000.0
"""The district's corner: CGCS2000 / 3-degree Gauss-Kruger CM 117E (EPSG:4548) metres."""


def polygon_wkb(x0, y0, x1, y1):
    """A rectangle as a little-endian WKB Polygon, counter-clockwise and closed."""
    ring = [(x0, y0), (x1, y0), (x1, y1), (x0, y1), (x0, y0)]
    out = struct.pack("<BII", 1, 3, 1) + struct.pack("<I", len(ring))
    for x, y in ring:
        out += struct.pack("<dd", x, y)
    return out


def code(county, seq, stratum="GB"):
    """A unit code: county (110105, 110106, ...), street and village 001, the parcel's
    feature letters, the parcel number and the whole-parcel fixture code."""
    return f"{county}001001{stratum}{seq:05d}W00000000"


def table(units, plots=()):
    """A table of the survey profile from boxes: units as (code, plot, x0, y0, x1, y1, z0,
    z1), plots as (id, x0, y0, x1, y1, ground)."""
    rows = []
    for pid, x0, y0, x1, y1, ground in plots:
        rows.append(dict(geometry=polygon_wkb(x0, y0, x1, y1), kind="plot", plot_id=pid,
                         ground_elevation=ground))
    for c, plot, x0, y0, x1, y1, z0, z1 in units:
        rows.append(dict(geometry=polygon_wkb(x0, y0, x1, y1), kind="unit", unit_code=c,
                         parent_plot=plot, z_bottom=z0, z_top=z1))
    schema = pa.schema([
        pa.field("geometry", pa.binary(), metadata={
            "ARROW:extension:name": "geoarrow.wkb",
            "ARROW:extension:metadata": '{"crs": "EPSG:4548"}'}),
        ("kind", pa.string()), ("unit_code", pa.string()), ("plot_id", pa.string()),
        ("parent_plot", pa.string()), ("z_bottom", pa.float64()), ("z_top", pa.float64()),
        ("ground_elevation", pa.float64()),
    ])
    return pa.Table.from_pylist(rows, schema=schema)


def district(blocks=6, overlaps=()):
    """`blocks` x `blocks` plots of 40 m, each with four 20 m units on the surface (0 to 6 m)
    that touch but do not overlap, and a layer above them (6 to 12 m). `overlaps` adds, for
    each (x, y, dx, dy), a unit whose box is [x, x + dx] x [y, y + dy] between 3 and 9 m:
    it overlaps the units it meets in both layers, and the other such units it meets. Returns the table and the set of
    expected pairs with their shared volumes."""
    units, plots, boxes = [], [], []
    seq = 0
    for bi in range(blocks):
        for bj in range(blocks):
            px, py = X0 + 40 * bi, Y0 + 40 * bj
            county = 110105 if bi < blocks // 2 else 110106
            pid = f"P{bi}-{bj}"
            plots.append((pid, px, py, px + 40, py + 40, 0.0))
            for ui in range(2):
                for uj in range(2):
                    for z0, z1, letters in ((0.0, 6.0, "GB"), (6.0, 12.0, "GS")):
                        seq += 1
                        b = (px + 20 * ui, py + 20 * uj, px + 20 * ui + 20, py + 20 * uj + 20)
                        units.append((code(county, seq, letters), pid, *b, z0, z1))
                        boxes.append((units[-1][0], b, z0, z1))
    expected = {}
    for x, y, dx, dy in overlaps:
        seq += 1
        bi = int((x - X0) // 40)
        bj = int((y - Y0) // 40)
        county = 110105 if bi < blocks // 2 else 110106
        c = code(county, seq, "GB")
        units.append((c, f"P{bi}-{bj}", x, y, x + dx, y + dy, 3.0, 9.0))
        for other, (ox0, oy0, ox1, oy1), z0, z1 in boxes:
            w = min(x + dx, ox1) - max(x, ox0)
            h = min(y + dy, oy1) - max(y, oy0)
            t = min(9.0, z1) - max(3.0, z0)
            if w > 0 and h > 0 and t > 0:
                expected[tuple(sorted((c, other)))] = w * h * t
        boxes.append((c, (x, y, x + dx, y + dy), 3.0, 9.0))
    return table(units, plots), expected


def units_without_kind(path, blocks=3, overlaps=()):
    """A district's units alone, without the `kind` column (every row a unit, as in a file of
    the survey profile), written to Parquet at `path` in small row groups; returns the table."""
    import pyarrow.compute as pc
    import pyarrow.parquet as pq

    t, _ = district(blocks=blocks, overlaps=overlaps)
    units = t.filter(pc.equal(t["kind"], "unit")).drop_columns(["kind"])
    pq.write_table(units, path, row_group_size=50)
    return units


def as_geoparquet(t):
    """`t` as another tool writes GeoParquet: WKB without GeoArrow field metadata, the CRS
    only in the file's `geo` metadata, as PROJJSON with an `id`."""
    import json

    import pyarrow as pa

    ext = json.loads(t.schema.field("geometry").metadata[b"ARROW:extension:metadata"])
    authority, code = ext["crs"].split(":")
    geo = {
        "version": "1.1.0",
        "primary_column": "geometry",
        "columns": {
            "geometry": {
                "encoding": "WKB",
                "geometry_types": [],
                "crs": {"id": {"authority": authority, "code": int(code)}},
            }
        },
    }
    fields = [pa.field(f.name, f.type) for f in t.schema]
    return pa.Table.from_arrays(t.columns, schema=pa.schema(fields, metadata={b"geo": json.dumps(geo).encode()}))
