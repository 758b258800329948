"""The batch check on Apache Spark: Parquet units in, conflicts out, one tile per task.

The job reads the units (a Parquet file or folder of the survey profile, as `strata.read`
writes it with `pyarrow.parquet.write_table`) on the workers, and then:

1. gathers each unit's parts in one partition (by `unit_code`) and measures the halo of the
   whole district (the largest unit's plan extent plus the snap distance);
2. copies each unit into every tile whose halo its box meets (`strata.assign_tiles` in
   `mapInArrow`), and the plots to the tiles of the units that name them (a join);
3. checks each tile (`groupBy(tile).applyInArrow` calling `strata.check_tile`), which keeps the
   conflicts the tile owns: over all tiles, each conflict exactly once.

The answer is `strata.check_all`'s, as a Spark DataFrame of the same columns.

    from pyspark.sql import SparkSession
    from strata.spark import check_parquet
    spark = SparkSession.builder.master("spark://host:7077").getOrCreate()
    conflicts = check_parquet(spark, "district.parquet", tile_size=2000.0)
    conflicts.write.parquet("conflicts.parquet")
"""

from __future__ import annotations

import json
from typing import Any, Iterator, Optional, Tuple

import pyarrow as pa
import pyarrow.parquet as pq

from . import _strata

TILE = ["tile_i", "tile_j"]

CONFLICTS = (
    "kind string not null, severity string not null, a string not null, b string, "
    "volume_m3 double not null, z_min double, z_max double, footprint_area_m2 double, "
    "min_thickness_m double, message string not null"
)
"""The Spark schema of the conflicts (that of `strata.check_all`)."""


def table_crs(path: str) -> Optional[str]:
    """The CRS a Parquet file of the survey profile names for its geometry (read from the
    footer only), for the workers: Spark carries neither Arrow field metadata nor the file's
    key-value metadata. Read from the GeoArrow extension metadata of the `geometry` column,
    or else from GeoParquet's `geo` metadata (a string, or PROJJSON with an `id`)."""
    try:
        schema = pq.read_schema(path)
    except (OSError, pa.ArrowInvalid):
        import glob
        import os

        files = sorted(glob.glob(os.path.join(path, "*.parquet")))
        if not files:
            return None
        schema = pq.read_schema(files[0])
    if "geometry" in schema.names:
        meta = schema.field("geometry").metadata or {}
        ext = meta.get(b"ARROW:extension:metadata")
        crs = json.loads(ext).get("crs") if ext else None
        if isinstance(crs, str):
            return crs
    geo = (schema.metadata or {}).get(b"geo")
    if not geo:
        return None
    g = json.loads(geo)
    column = g.get("columns", {}).get(g.get("primary_column", "geometry"), {})
    crs = column.get("crs")
    if isinstance(crs, str):
        return crs
    ident = crs.get("id") if isinstance(crs, dict) else None
    if isinstance(ident, dict) and "authority" in ident and "code" in ident:
        return f"{ident['authority']}:{ident['code']}"
    return None


def _conform(t: pa.Table, schema: pa.Schema) -> pa.Table:
    """`t` with exactly the columns of `schema`, by name: missing ones null, types cast."""
    columns = []
    for f in schema:
        if f.name in t.column_names:
            columns.append(t[f.name].cast(f.type))
        else:
            columns.append(pa.nulls(t.num_rows, f.type))
    return pa.Table.from_arrays(columns, schema=schema)


def check_parquet(
    spark: Any,
    path: str,
    tile_size: float,
    origin: Tuple[float, float] = (0.0, 0.0),
    *,
    tolerance: float = 0.05,
    crs: Optional[str] = None,
) -> Any:
    """The conflicts of the units in Parquet at `path`, checked tile by tile on the cluster
    behind `spark`; `crs` for a file that names none."""
    from pyspark.sql import functions as F
    from pyspark.sql.types import LongType, StructField, StructType

    crs = crs or table_crs(path)
    grid = _strata.Grid(tile_size, origin)
    df = spark.read.parquet(path)
    # `kind` is "unit" when absent, as in a file of the survey profile.
    plot = (F.col("kind") == "plot") if "kind" in df.columns else F.lit(False)
    units = df.filter(~F.coalesce(plot, F.lit(False))).repartition("unit_code")
    plots = df.filter(F.coalesce(plot, F.lit(False)))

    def halos(batches: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
        got = list(batches)
        h = _strata.halo(pa.Table.from_batches(got), crs=crs, name=path) if got else 0.0
        yield pa.record_batch({"halo": [h]})

    halo = units.mapInArrow(halos, "halo double").agg(F.max("halo")).first()[0] or 0.0

    tiled_spark = StructType(list(df.schema.fields) + [StructField(n, LongType(), False) for n in TILE])
    tiled_arrow = pa.schema([pa.field(f.name, _arrow_type(f.dataType)) for f in tiled_spark])

    def assign(batches: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
        got = list(batches)
        if not got:
            return
        t = pa.Table.from_batches(got)
        tiled = _strata.assign_tiles(t, grid, halo=halo, crs=crs, name=path)
        yield from _conform(tiled, tiled_arrow).to_batches()

    tiled = units.mapInArrow(assign, tiled_spark)
    wanted = tiled.select(*TILE, F.col("parent_plot").alias("plot_id")).where(F.col("plot_id").isNotNull()).distinct()
    everything = tiled.unionByName(plots.join(wanted, "plot_id"))

    def check(key: Tuple[int, int], t: pa.Table) -> pa.Table:
        i, j = key
        return _strata.check_tile(t, (i, j), grid, tolerance=tolerance, crs=crs, name=path)

    return everything.groupBy(*TILE).applyInArrow(check, CONFLICTS)


def _arrow_type(t: Any) -> pa.DataType:
    """The Arrow type Spark hands a column of Spark type `t` to Python as."""
    from pyspark.sql.pandas.types import to_arrow_type

    return to_arrow_type(t)
