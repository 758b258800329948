//! One hostile feature at a time: a prism on a 120,000-vertex footprint (a comb, and a star
//! whose long spokes defeat box-based candidates), a unit of 80,000 parts, point location in a
//! 20,000-triangle mesh (index against the scan it replaces), the volume two finely
//! tessellated spheres share (index against cutting every face's plane through the whole
//! other solid), the area and the shared edges of a 120,000-vertex comb and the neighbour
//! filling its gaps, and a 0.16 µm sliver between two neighbours.

use criterion::{Criterion, criterion_group, criterion_main};
use strata::generate::solids::{comb_footprint, comb_gaps, many_parts, star_footprint, uv_sphere};
use strata::geometry::algorithm::{intersection_volume, intersection_volume_by_scan};
use strata::geometry::prepared::PreparedFootprint;
use strata::geometry::{Point3, Prism, TriMesh, Vector3};
use strata::validate::{Tolerances, validate_prism, validate_volume};

fn footprint_120k(c: &mut Criterion) {
    let fp = comb_footprint(474_412.345, 4_418_207.891, 0.05, 30.0, 30_000);
    let p = Prism::new(fp, -10.0, -2.0);
    let tol = Tolerances::default();
    let mut g = c.benchmark_group("large_feature");
    g.sample_size(10);
    g.bench_function("validate_prism_120k_vertices", |b| {
        b.iter(|| validate_prism(&p, &tol).len())
    });
    let star = Prism::new(
        star_footprint(474_412.345, 4_418_207.891, 100.0, 20.0, 120_000),
        -10.0,
        -2.0,
    );
    g.bench_function("validate_prism_120k_star_long_spokes", |b| {
        b.iter(|| validate_prism(&star, &tol).len())
    });
    let v = many_parts(474_000.0, 4_418_000.0, 1.0, 80_000);
    g.bench_function("validate_unit_80k_parts", |b| {
        b.iter(|| validate_volume(&v, &tol).len())
    });
    g.finish();
}

/// 10,000 points spread over the box of a 20,000-triangle sphere, deterministic.
fn points(m: &TriMesh) -> Vec<Point3> {
    let b = m.aabb();
    let mut x: u64 = 11;
    let mut next = move || {
        x = x
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (x >> 11) as f64 / (1u64 << 53) as f64
    };
    (0..10_000)
        .map(|_| b.min + (b.max - b.min).component_mul(&Vector3::new(next(), next(), next())))
        .collect()
}

fn locate_20k(c: &mut Criterion) {
    let o = Point3::new(474_412.345, 4_418_207.891, 30.0);
    let m = TriMesh::new(&uv_sphere(o, 20.0, 100, 100)).expect("a sphere triangulates");
    let pts = points(&m);
    m.index();
    let mut g = c.benchmark_group("locate_10k_points_20k_triangles");
    g.sample_size(10);
    g.bench_function("indexed", |b| {
        b.iter(|| pts.iter().filter(|p| m.locate(p) as u8 == 0).count())
    });
    g.bench_function("brute_force_scan", |b| {
        b.iter(|| {
            pts.iter()
                .filter(|p| m.locate_by_scan(p) as u8 == 0)
                .count()
        })
    });
    g.finish();
}

fn spheres(c: &mut Criterion) {
    let o = Point3::new(474_412.345, 4_418_207.891, 30.0);
    let a = TriMesh::new(&uv_sphere(o, 10.0, 100, 100)).expect("a sphere triangulates");
    let b = TriMesh::new(&uv_sphere(o + Vector3::new(8.0, 3.0, 1.0), 10.0, 100, 100))
        .expect("a sphere triangulates");
    let mut g = c.benchmark_group("large_feature");
    g.sample_size(10);
    g.bench_function("intersection_volume_two_20k_spheres", |bch| {
        bch.iter(|| intersection_volume(&a, &b))
    });
    g.bench_function("intersection_volume_two_20k_spheres_by_scan", |bch| {
        bch.iter(|| intersection_volume_by_scan(&a, &b))
    });
    g.finish();
}

fn footprints_120k(c: &mut Criterion) {
    let (x0, y0) = (474_412.345, 4_418_207.891);
    let comb = PreparedFootprint::new(&comb_footprint(x0, y0, 0.05, 30.0, 30_000));
    let gaps = PreparedFootprint::new(&comb_gaps(x0, y0, 0.05, 30.0, 30_000));
    let mut g = c.benchmark_group("large_feature");
    g.sample_size(10);
    g.bench_function("intersection_area_120k_comb_and_gaps", |b| {
        b.iter(|| comb.intersection_area(&gaps))
    });
    g.bench_function("shared_edges_120k_comb_and_gaps", |b| {
        b.iter(|| comb.shared_edges(&gaps, 0.001).len())
    });
    g.finish();
}

fn sliver(c: &mut Criterion) {
    use strata::checks::{CheckOptions, check};
    use strata::io::{ImportOptions, read_dataset};
    let dir = std::env::temp_dir().join(format!("strata-sliver-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("a temporary folder");
    let (e, n) = (474_300.0, 4_418_900.0);
    let sq = |x0: f64, y0: f64, x1: f64, y1: f64| {
        format!("[[[{x0},{y0}],[{x1},{y0}],[{x1},{y1}],[{x0},{y1}],[{x0},{y0}]]]")
    };
    let f = |code: &str, g: String| {
        format!(
            r#"{{"type":"Feature","properties":{{"unit_code":"{code}","z_bottom":-10.0,"z_top":-5.0}},"geometry":{{"type":"Polygon","coordinates":{g}}}}}"#
        )
    };
    let x = e + 20.0;
    let feats = [
        f("110112003005GX00001W00000000", sq(e, n, x, n + 100.0)),
        f(
            "110112003005GX00002W00000000",
            sq(x - 0.16e-6, n, x + 20.0, n + 100.0),
        ),
    ];
    let path = dir.join("sliver.geojson");
    std::fs::write(
        &path,
        format!(
            r#"{{"type":"FeatureCollection","crs":{{"type":"name","properties":{{"name":"urn:ogc:def:crs:EPSG::4548"}}}},"height_datum":"EPSG:5737","features":[{}]}}"#,
            feats.join(",")
        ),
    )
    .expect("the sliver file");
    let ds = read_dataset(&[path], &ImportOptions::default()).expect("the sliver file reads");
    let mut g = c.benchmark_group("large_feature");
    g.sample_size(10);
    g.bench_function("check_sliver_0_16_micrometre", |b| {
        b.iter(|| check(&ds, &CheckOptions::default()).report.conflicts.len())
    });
    g.finish();
    let _ = std::fs::remove_dir_all(&dir);
}

criterion_group!(
    benches,
    footprint_120k,
    locate_20k,
    spheres,
    footprints_120k,
    sliver
);
criterion_main!(benches);
