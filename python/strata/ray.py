"""The batch check on Ray: Parquet units in, conflicts out, with plain Ray tasks.

1. One task per Parquet row group reads its rows itself and splits the units among `buckets`
   by `unit_code` (so that every part of a unit meets the others), and keeps the plots apart.
2. One task per bucket measures its units' halo; the driver takes the largest (the district's).
3. One task per bucket runs `assign_tiles` with the district's halo and every plot (handed
   from task to task through Ray's object store; the driver holds none), and splits the rows
   among `buckets` by tile.
4. One task per tile bucket gathers its tiles' rows and runs `check_tile` on each tile (a plot
   that reached a tile from two buckets is kept once).

The answer is `strata.check_all`'s, as a pyarrow Table with the same columns.

    import ray
    from strata.ray import check_parquet
    ray.init(address="auto")
    conflicts = check_parquet("district.parquet", tile_size=2000.0)
"""

from __future__ import annotations

import zlib
from typing import Any, List, Optional, Tuple

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from . import _strata
from .spark import TILE, table_crs


def _pieces(path: str) -> List[Tuple[str, int]]:
    """The (file, row group) pieces of a Parquet file or folder, from the footers only."""
    import glob
    import os

    files = sorted(glob.glob(os.path.join(path, "*.parquet"))) if os.path.isdir(path) else [path]
    return [(f, g) for f in files for g in range(pq.ParquetFile(f).num_row_groups)]


def _split(t: pa.Table, column: List[str], n: int) -> List[pa.Table]:
    """`t`'s rows in `n` parts by a stable hash of the values in `column`."""
    keys = zip(*(t[c].to_pylist() for c in column))
    part = pa.array([zlib.crc32(repr(k).encode()) % n for k in keys], pa.int64())
    return [t.filter(pc.equal(part, k)) for k in range(n)]


def _plots(t: pa.Table) -> pa.Array:
    """Which rows are plots (`kind` is "unit" when absent, as in a file of the survey profile)."""
    if "kind" not in t.column_names:
        return pa.array([False] * t.num_rows)
    return pc.fill_null(pc.equal(t["kind"], "plot"), False)


def _first_of_each(t: pa.Table, column: str) -> pa.Table:
    """`t` without rows repeating an earlier row's `column`."""
    seen = set()
    keep = []
    for k, v in enumerate(t[column].to_pylist()):
        if v not in seen:
            seen.add(v)
            keep.append(k)
    return t.take(pa.array(keep, pa.int64()))


def check_parquet(
    path: str,
    tile_size: float,
    origin: Tuple[float, float] = (0.0, 0.0),
    *,
    tolerance: float = 0.05,
    crs: Optional[str] = None,
    buckets: int = 4,
) -> pa.Table:
    """The conflicts of the units in Parquet at `path`, checked tile by tile on the Ray cluster
    this process is connected to; `crs` for a file that names none."""
    import ray

    crs = crs or table_crs(path)
    grid = _strata.Grid(tile_size, origin)

    @ray.remote(num_returns=buckets + 1)
    def read(file: str, group: int) -> Any:
        t = pq.ParquetFile(file).read_row_group(group)
        plot = _plots(t)
        return (*_split(t.filter(pc.invert(plot)), ["unit_code"], buckets), t.filter(plot))

    @ray.remote
    def halo(*parts: pa.Table) -> float:
        t = pa.concat_tables(parts, promote_options="permissive")
        return _strata.halo(t, crs=crs, name=path) if t.num_rows else 0.0

    @ray.remote(num_returns=buckets)
    def assign(h: float, units: int, *parts: pa.Table) -> Any:
        # The bucket's units, then every plot (each unit's copies take the plot they name).
        t = pa.concat_tables(parts, promote_options="permissive")
        tiled = _strata.assign_tiles(t, grid, halo=h, crs=crs, name=path)
        out = _split(tiled, TILE, buckets)
        return out if buckets > 1 else out[0]

    @ray.remote
    def check(*parts: pa.Table) -> pa.Table:
        t = pa.concat_tables(parts, promote_options="permissive")
        results = []
        for k in t.group_by(TILE).aggregate([]).to_pylist():
            mine = t.filter(pc.and_(pc.equal(t["tile_i"], k["tile_i"]), pc.equal(t["tile_j"], k["tile_j"])))
            plot = _plots(mine)
            rows = pa.concat_tables([mine.filter(pc.invert(plot)), _first_of_each(mine.filter(plot), "plot_id")])
            tile = (k["tile_i"], k["tile_j"])
            results.append(_strata.check_tile(rows, tile, grid, tolerance=tolerance, crs=crs, name=path))
        return pa.concat_tables(results) if results else None

    # With several returns a task gives a list of references (typed as one by Ray).
    pieces: List[Any] = [read.remote(f, g) for f, g in _pieces(path)]
    by_unit = [[p[b] for p in pieces] for b in range(buckets)]
    plots = [p[buckets] for p in pieces]
    h = max(ray.get([halo.remote(*parts) for parts in by_unit]))
    tiled: List[Any] = [assign.remote(h, len(parts), *parts, *plots) for parts in by_unit]
    if buckets == 1:
        tiled = [[t] for t in tiled]
    found = ray.get([check.remote(*[t[b] for t in tiled]) for b in range(buckets)])
    return pa.concat_tables([f for f in found if f is not None] or [CONFLICTS.empty_table()])


CONFLICTS = pa.schema(
    [
        pa.field("kind", pa.string(), False),
        pa.field("severity", pa.string(), False),
        pa.field("a", pa.string(), False),
        pa.field("b", pa.string()),
        pa.field("volume_m3", pa.float64(), False),
        pa.field("z_min", pa.float64()),
        pa.field("z_max", pa.float64()),
        pa.field("footprint_area_m2", pa.float64()),
        pa.field("min_thickness_m", pa.float64()),
        pa.field("message", pa.string(), False),
    ]
)
"""The columns of the conflicts (those of `strata.check_all`)."""
