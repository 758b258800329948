"""The Python package against independent truth: analytic volumes of hand-built districts,
the one-process check for the tiled one, and the errors' words."""

import math
import pickle
import pathlib
import threading
import time

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
import pytest

import strata
from district import X0, Y0, code, district, table

DATA = pathlib.Path(__file__).resolve().parents[2] / "data"


def pairs(conflicts):
    """The overlaps of a conflicts table: {(a, b): shared volume}."""
    rows = conflicts.filter(pc.equal(conflicts["kind"], "overlap")).to_pylist()
    return {(r["a"], r["b"]): r["volume_m3"] for r in rows}


def rows(conflicts):
    return sorted(tuple(r.values()) for r in conflicts.to_pylist())


def test_an_overlap_has_its_analytic_volume():
    # [0,10]x[0,10]x[0,5] and [8,14]x[7,12]x[3,9] share 2 x 3 x 2 = 12 m3 between 3 and 5 m.
    t = table([
        (code(110105, 1), None, X0, Y0, X0 + 10, Y0 + 10, 0.0, 5.0),
        (code(110105, 2), None, X0 + 8, Y0 + 7, X0 + 14, Y0 + 12, 3.0, 9.0),
    ])
    (c,) = strata.check_all(t).to_pylist()
    assert (c["kind"], c["a"], c["b"]) == ("overlap", code(110105, 1), code(110105, 2))
    assert (c["volume_m3"], c["z_min"], c["z_max"], c["footprint_area_m2"]) == (12.0, 3.0, 5.0, 6.0)


def test_reading_a_survey_file_gives_the_profile_as_a_table():
    t = strata.read(DATA / "wengcheng" / "wengcheng.geojson")
    assert t.column_names[:3] == ["geometry", "kind", "unit_code"]
    meta = t.schema.field("geometry").metadata
    assert meta[b"ARROW:extension:name"] == b"geoarrow.wkb"
    assert b"EPSG:4548" in meta[b"ARROW:extension:metadata"]
    kinds = t["kind"].to_pylist()
    assert kinds.count("plot") == 1 and kinds.count("unit") == 5
    # A stepped unit is one row per part, with the same code.
    codes = t["unit_code"].to_pylist()
    assert codes.count("110112003005GX00002W00000000") == 2
    # CityJSON solids read too, as PolyhedralSurface Z.
    both = strata.read([DATA / "dazhongsi" / "dazhongsi.geojson",
                        DATA / "dazhongsi" / "east-passage.city.json"])
    assert both.num_rows > t.num_rows


def test_a_table_and_its_parquet_file_check_as_the_file_does():
    t = strata.read(DATA / "dazhongsi" / "dazhongsi.geojson")
    direct = strata.check_all(t)
    back = strata.check_all(pq.read_table(pa.BufferReader(_parquet(t))))
    assert rows(direct) == rows(back)
    findings = strata.validate(t)
    assert set(findings.column_names) >= {"object", "code", "name", "message", "feature", "field"}


def _parquet(t):
    sink = pa.BufferOutputStream()
    pq.write_table(t, sink)
    return sink.getvalue()


# Overlaps across plot and county edges (the county changes at x = X0 + 120), one whose
# shared boxes start exactly on the 20 m grid's edges, and one at the district's corner.
OVERLAPS = [
    (X0 + 35, Y0 + 35, 10, 10),
    (X0 + 115, Y0 + 50, 10, 10),
    (X0 + 40, Y0 + 40, 10, 10),
    (X0 + 200, Y0 + 219.5, 3, 0.5),
    (X0 + 0, Y0 + 0, 1, 1),
]

GRIDS = [
    strata.Grid(20.0, origin=(X0, Y0)),
    strata.Grid(37.3, origin=(X0 + 1.1, Y0 - 2.9)),
    strata.Grid(1e6),
]


@pytest.mark.parametrize("grid", GRIDS, ids=repr)
def test_tiles_report_every_conflict_exactly_once(grid):
    t, expected = district(blocks=6, overlaps=OVERLAPS)
    whole = strata.check_all(t)
    assert pairs(whole) == pytest.approx(expected)
    tiled = strata.assign_tiles(t, grid)
    assert tiled.column_names[-2:] == ["tile_i", "tile_j"]
    found = []
    keys = tiled.group_by(["tile_i", "tile_j"]).aggregate([]).to_pylist()
    assert len(keys) > 1 or grid.size == 1e6
    for k in keys:
        mask = pc.and_(pc.equal(tiled["tile_i"], k["tile_i"]), pc.equal(tiled["tile_j"], k["tile_j"]))
        found += strata.check_tile(tiled.filter(mask), (k["tile_i"], k["tile_j"]), grid).to_pylist()
    found = sorted(tuple(r.values()) for r in found)
    assert len(found) == len(set(found)), "a conflict reported twice"
    assert found == rows(whole)


def test_a_tiling_in_parts_takes_the_whole_districts_halo():
    t, _ = district(blocks=2, overlaps=[(X0 + 10, Y0 + 10, 30, 30)])
    h = strata.halo(t)
    assert h == pytest.approx(30.001)
    with pytest.raises(strata.StrataError, match="less than these units need"):
        strata.assign_tiles(t, strata.Grid(20.0), halo=h - 1)
    assert strata.assign_tiles(t, strata.Grid(20.0), halo=h + 5).num_rows > 0


def test_grid():
    g = strata.Grid(500.0, origin=(440_000.0, 4_410_000.0))
    assert g.tile_of(440_500.0, 4_410_499.9) == (1, 0)
    assert (g.size, g.origin) == (500.0, (440_000.0, 4_410_000.0))
    with pytest.raises(strata.StrataError):
        strata.Grid(0.0)
    # A grid travels to a cluster's workers.
    back = pickle.loads(pickle.dumps(g))
    assert (back.size, back.origin) == (g.size, g.origin)


def test_errors_name_the_file_the_feature_and_the_field():
    with pytest.raises(strata.StrataError) as e:
        strata.read("no-such-survey.geojson")
    assert e.value.file == "no-such-survey.geojson" and e.value.feature is None
    t = table([(code(110105, 1), None, X0, Y0, X0 + 10, Y0 + 10, 0.0, math.nan)])
    with pytest.raises(strata.StrataError) as e:
        strata.check_all(t, name="survey.parquet")
    assert "survey.parquet" in str(e.value) and "NaN is not a finite number" in str(e.value)
    assert (e.value.file, e.value.feature, e.value.field) == (
        "survey.parquet", "feature 0", "properties.z_top")
    with pytest.raises(strata.StrataError, match="no geometry column"):
        strata.check_all(pa.table({"unit_code": [code(110105, 1)]}))
    with pytest.raises(strata.StrataError, match="not an EPSG reference"):
        strata.read(DATA / "wengcheng" / "wengcheng.geojson", crs="Beijing 1954")
    with pytest.raises(strata.StrataError, match="tolerance"):
        strata.check_all(t, tolerance=-1.0)


def test_the_lock_is_released_while_rust_works():
    t, _ = district(blocks=40, overlaps=OVERLAPS)
    ticks = []
    stop = threading.Event()

    def count():
        while not stop.is_set():
            ticks.append(time.perf_counter())

    worker = threading.Thread(target=count)
    worker.start()
    try:
        time.sleep(0.05)
        start = time.perf_counter()
        strata.check_all(t)
        end = time.perf_counter()
    finally:
        stop.set()
        worker.join()
    during = [x for x in ticks if start < x < end]
    # With the lock held the counting thread would not run at all during the call.
    assert end - start > 0.02
    assert len(during) > 100, f"{len(during)} ticks in {end - start:.3f} s"
