"""The price of distribution on one machine: the batch check of a survey file on a local Spark
cluster (two worker processes, one core each) and on a local Ray cluster (two nodes of one
core each) against `strata.check_all` in this process, on the same units, with the same
answer asserted.

    target/python-venv/bin/python tools/distributed/bench.py DISTRICT.fgb|UNITS.parquet [--tile-size 2000]

(`strata generate --units 1000000 --out DISTRICT.fgb` makes a district; `bash tools/test.sh`
makes the environment.) A district too large for `check_all` in one process's memory (10M
units) is compared with the command line's bounded check instead:

    /usr/bin/time strata check DISTRICT.fgb --memory-limit 6G --json > one.json
    python tools/distributed/csv_to_parquet.py …  # DISTRICT.fgb as UNITS.parquet, streamed
    python tools/distributed/bench.py UNITS.parquet --reference one.json --reference-seconds S

The conflicts are compared as (kind, a, b, shared volume to 1 mm³).
"""

import argparse
import os
import sys
import tempfile
import time

import pyarrow.parquet as pq

import strata
from strata.spark import check_parquet


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("survey")
    ap.add_argument("--tile-size", type=float, default=2000.0)
    ap.add_argument("--executor-memory", type=int, default=4096, help="MB per worker")
    ap.add_argument("--reference", help="`strata check --json` of the same file, instead of check_all")
    ap.add_argument("--reference-seconds", type=float, help="the wall time of that check")
    a = ap.parse_args()
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")
    from pyspark.sql import SparkSession

    if a.survey.endswith(".parquet"):
        # Parquet of the survey profile already (tools/distributed/csv_to_parquet.py).
        path = a.survey
    else:
        t0 = time.perf_counter()
        units = strata.read(a.survey)
        print(f"read {a.survey}: {units.num_rows} rows in {time.perf_counter() - t0:.1f} s")
        path = os.path.join(tempfile.mkdtemp(), "units.parquet")
        pq.write_table(units, path, row_group_size=65536)
        del units
    path_for_ray = path
    if True:
        if a.reference:
            one = reference(a.reference)
            one_s = a.reference_seconds
            print(f"one process (strata check --memory-limit): {len(one)} conflicts in {one_s:.1f} s")
        else:
            t0 = time.perf_counter()
            one = pairs(strata.check_all(pq.read_table(path)))
            one_s = time.perf_counter() - t0
            print(f"one process (Parquet read + check_all): {len(one)} conflicts in {one_s:.1f} s")
        spark = (
            SparkSession.builder.master(f"local-cluster[2,1,{a.executor_memory}]")
            .config("spark.driver.host", "127.0.0.1")
            .config("spark.driver.bindAddress", "127.0.0.1")
            .config("spark.ui.enabled", "false")
            .config("spark.ui.showConsoleProgress", "false")
            .config("spark.sql.shuffle.partitions", "64")
            .config("spark.executor.memory", f"{a.executor_memory}m")
            .getOrCreate()
        )
        spark.range(1).count()  # the cluster up before the clock starts
        t0 = time.perf_counter()
        got = check_parquet(spark, path, a.tile_size).toArrow()
        spark_s = time.perf_counter() - t0
        spark.stop()
    same = pairs(got) == one
    print(f"Spark, 2 workers, {a.tile_size:g} m tiles: {got.num_rows} conflicts in {spark_s:.1f} s "
          f"({spark_s / one_s:.1f}x the one process); same conflicts: {same}")
    if not same:
        sys.exit(1)
    ray_s = on_ray(path_for_ray, a.tile_size, one)
    print(f"Ray, 2 nodes, {a.tile_size:g} m tiles: {ray_s:.1f} s ({ray_s / one_s:.1f}x the one process); same conflicts: True")


def key(kind, a, b, volume):
    return (kind, a, b, round(volume * 1e9) if volume is not None else None)


def pairs(table):
    """A conflicts table as a sorted list of (kind, a, b, volume in mm³)."""
    cols = table.to_pydict()
    return sorted(key(*r) for r in zip(cols["kind"], cols["a"], cols["b"], cols["volume_m3"]))


def reference(path):
    import json

    with open(path) as f:
        report = json.load(f)
    return sorted(key(c["kind"], c["a"], c["b"], c.get("volume_m3")) for c in report["conflicts"])


def on_ray(path, tile_size, one):
    import ray
    from ray.cluster_utils import Cluster

    from strata.ray import check_parquet as on

    c = Cluster(initialize_head=True, head_node_args={"num_cpus": 1, "include_dashboard": False})
    c.add_node(num_cpus=1)
    ray.init(address=c.address)
    try:
        t0 = time.perf_counter()
        got = on(path, tile_size)
        s = time.perf_counter() - t0
    finally:
        ray.shutdown()
        c.shutdown()
    if pairs(got) != one:
        sys.exit("Ray's conflicts differ from the one process's")
    return s


if __name__ == "__main__":
    main()
