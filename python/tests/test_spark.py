"""The batch check on a local Spark cluster (a master and two worker processes on loopback)
gives `check_all`'s conflicts, each once."""

import os
import sys

import pyarrow.parquet as pq
import pytest
from pyspark.sql import SparkSession

import strata
from district import X0, Y0, as_geoparquet, district, units_without_kind
from strata.spark import check_parquet
from test_strata import OVERLAPS, rows


@pytest.fixture(scope="module")
def spark():
    # The workers run this interpreter, and everything listens on loopback only.
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")
    s = (
        SparkSession.builder.master("local-cluster[2,1,1024]")
        .appName("strata-test")
        .config("spark.driver.host", "127.0.0.1")
        .config("spark.driver.bindAddress", "127.0.0.1")
        .config("spark.sql.shuffle.partitions", "6")
        .config("spark.ui.enabled", "false")
        .getOrCreate()
    )
    yield s
    s.stop()


@pytest.mark.parametrize("size,origin", [(20.0, (X0, Y0)), (37.3, (X0 + 1.1, Y0 - 2.9))])
def test_spark_gives_check_alls_conflicts_once(spark, tmp_path, size, origin):
    t, expected = district(blocks=6, overlaps=OVERLAPS)
    path = str(tmp_path / "district.parquet")
    pq.write_table(t, path, row_group_size=97)
    got = check_parquet(spark, path, size, origin).toArrow()
    got = sorted(tuple(r.values()) for r in got.to_pylist())
    assert len(got) == len(set(got)), "a conflict reported twice"
    assert got == rows(strata.check_all(t))


def test_a_table_without_kind_is_all_units(spark, tmp_path):
    path = str(tmp_path / "units.parquet")
    units = units_without_kind(path, overlaps=OVERLAPS[:2])
    got = sorted(tuple(r.values()) for r in check_parquet(spark, path, 20.0, (X0, Y0)).toArrow().to_pylist())
    assert got == rows(strata.check_all(units))


def test_geoparquet_naming_its_crs_in_the_file_metadata_only(spark, tmp_path):
    t, _ = district(blocks=4, overlaps=OVERLAPS)
    path = str(tmp_path / "other-tool.parquet")
    pq.write_table(as_geoparquet(t), path, row_group_size=97)
    got = sorted(tuple(r.values()) for r in check_parquet(spark, path, 20.0, (X0, Y0)).toArrow().to_pylist())
    assert got == rows(strata.check_all(t))
