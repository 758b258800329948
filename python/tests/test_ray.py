"""The batch check through Ray on a local two-node cluster (two raylets on loopback) gives
`check_all`'s conflicts, each once."""

import pyarrow.parquet as pq
import pytest
import ray
from ray.cluster_utils import Cluster

import strata
from district import X0, Y0, as_geoparquet, district, units_without_kind
from strata.ray import check_parquet
from test_strata import OVERLAPS, rows


@pytest.fixture(scope="module")
def cluster():
    c = Cluster(
        initialize_head=True,
        head_node_args={"num_cpus": 1, "include_dashboard": False},
    )
    c.add_node(num_cpus=1)
    ray.init(address=c.address)
    assert len([n for n in ray.nodes() if n["Alive"]]) == 2
    yield c
    ray.shutdown()
    c.shutdown()


@pytest.mark.parametrize("size,origin,buckets", [(20.0, (X0, Y0), 3), (37.3, (X0 + 1.1, Y0 - 2.9), 1)])
def test_ray_gives_check_alls_conflicts_once(cluster, tmp_path, size, origin, buckets):
    t, _ = district(blocks=6, overlaps=OVERLAPS)
    path = str(tmp_path / "district.parquet")
    pq.write_table(t, path, row_group_size=97)
    got = check_parquet(path, size, origin, buckets=buckets)
    got = sorted(tuple(r.values()) for r in got.to_pylist())
    assert len(got) == len(set(got)), "a conflict reported twice"
    assert got == rows(strata.check_all(t))


def test_a_table_without_kind_is_all_units(cluster, tmp_path):
    path = str(tmp_path / "units.parquet")
    units = units_without_kind(path, overlaps=OVERLAPS[:2])
    got = sorted(tuple(r.values()) for r in check_parquet(path, 20.0, (X0, Y0)).to_pylist())
    assert got == rows(strata.check_all(units))


def test_geoparquet_naming_its_crs_in_the_file_metadata_only(cluster, tmp_path):
    t, _ = district(blocks=4, overlaps=OVERLAPS)
    path = str(tmp_path / "other-tool.parquet")
    pq.write_table(as_geoparquet(t), path, row_group_size=97)
    got = sorted(tuple(r.values()) for r in check_parquet(path, 20.0, (X0, Y0)).to_pylist())
    assert got == rows(strata.check_all(t))
