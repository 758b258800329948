//! Bounded cost on single hostile features: one unit with a huge footprint or with very many
//! parts, huge meshes, and slivers far thinner than survey accuracy.

use std::time::Instant;

use strata::checks::{CheckOptions, ConflictKind, check};
use strata::io::{ImportOptions, read_dataset};

/// The peak resident memory of this process so far, in bytes (Linux only).
fn peak_memory() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb * 1024)
}

#[test]
fn a_sliver_of_a_sixth_of_a_micrometre_is_checked_fast_in_little_memory() {
    // Two neighbours along a 100 m wall that the survey put 0.16 µm into each other.
    let dir = tempfile::tempdir().unwrap();
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
    let path = dir.path().join("sliver.geojson");
    std::fs::write(
        &path,
        format!(
            r#"{{"type":"FeatureCollection","crs":{{"type":"name","properties":{{"name":"urn:ogc:def:crs:EPSG::4548"}}}},"height_datum":"EPSG:5737","features":[{}]}}"#,
            feats.join(",")
        ),
    )
    .unwrap();
    let ds = read_dataset(&[path], &ImportOptions::default()).unwrap();
    let before = peak_memory();
    let t = Instant::now();
    let report = check(&ds, &CheckOptions::default()).report;
    assert!(t.elapsed().as_secs_f64() < 10.0, "{:?}", t.elapsed());
    if let (Some(a), Some(b)) = (before, peak_memory()) {
        assert!(b.saturating_sub(a) < 500 << 20, "{} MB more", (b - a) >> 20);
    }
    for c in &report.conflicts {
        if c.b.is_some() {
            assert_eq!(c.kind, ConflictKind::Sliver, "{c:?}");
            assert!(c.min_thickness_m.unwrap_or(0.0) < 1e-3, "{c:?}");
        }
    }
}

#[test]
fn a_unit_of_80000_disjoint_parts_validates_in_seconds() {
    use strata::generate::solids::many_parts;
    use strata::validate::{Tolerances, validate_volume};
    let v = many_parts(474_000.0, 4_418_000.0, 1.0, 80_000);
    let t = Instant::now();
    let findings = validate_volume(&v, &Tolerances::default());
    let secs = t.elapsed().as_secs_f64();
    // Disjoint pieces: one warning that the volume is in several pieces (503), nothing else.
    assert_eq!(findings.len(), 1, "{findings:?}");
    assert_eq!(findings[0].code.number(), 503);
    assert!(secs < 30.0, "{secs} s");
}

#[test]
fn a_prism_on_a_footprint_of_120000_vertices_validates_in_seconds() {
    use strata::generate::solids::comb_footprint;
    use strata::geometry::Prism;
    use strata::validate::{Tolerances, validate_prism};
    let fp = comb_footprint(474_412.345, 4_418_207.891, 0.05, 30.0, 30_000);
    assert_eq!(fp.exterior().0.len(), 120_001);
    let p = Prism::new(fp, -10.0, -2.0);
    let t = Instant::now();
    let findings = validate_prism(&p, &Tolerances::default());
    let secs = t.elapsed().as_secs_f64();
    eprintln!("validate_prism 120k: {secs:.2} s");
    assert!(findings.is_empty(), "{findings:?}");
    assert!(secs < 30.0, "{secs} s");
}

#[test]
fn a_prism_on_a_star_of_120000_points_with_long_spokes_validates_in_seconds() {
    // Spokes 95 m long whose boxes overlap thousands of others: box candidates are quadratic.
    use strata::generate::solids::star_footprint;
    use strata::geometry::Prism;
    use strata::validate::{Tolerances, validate_prism};
    let fp = star_footprint(474_412.345, 4_418_207.891, 100.0, 5.0, 120_000);
    let p = Prism::new(fp, -10.0, -2.0);
    let t = Instant::now();
    let findings = validate_prism(&p, &Tolerances::default());
    let secs = t.elapsed().as_secs_f64();
    eprintln!("validate_prism star 120k: {secs:.2} s");
    assert!(findings.is_empty(), "{findings:?}");
    assert!(secs < 20.0, "{secs} s");
}

#[test]
fn two_finely_tessellated_spheres_share_their_volume_in_well_under_a_second() {
    use strata::generate::solids::uv_sphere;
    use strata::geometry::algorithm::{intersection_volume, intersection_volume_by_scan};
    use strata::geometry::{Point3, TriMesh, Vector3};
    let o = Point3::new(474_412.345, 4_418_207.891, 30.0);
    let d = Vector3::new(8.0, 3.0, 1.0);
    let sphere = |c: Point3, n: usize| TriMesh::new(&uv_sphere(c, 10.0, n, n)).unwrap();
    // 20,000 triangles each: the index's answer is the lens between two balls of radius 10 m
    // whose centres are 8.6 m apart, less what the inscribed facets cut off.
    let (a, b) = (sphere(o, 100), sphere(o + d, 100));
    let t = Instant::now();
    let v = intersection_volume(&a, &b);
    let secs = t.elapsed().as_secs_f64();
    eprintln!("intersection_volume two 20k spheres: {secs:.3} s, {v} m³");
    let dist = d.norm();
    let lens = std::f64::consts::PI / 12.0 * (4.0 * 10.0 + dist) * (2.0 * 10.0 - dist).powi(2);
    assert!(v < lens && v > 0.99 * lens, "{v} {lens}");
    assert!(secs < 5.0, "{secs} s");
    // 5,000 triangles each: the same as cutting every face's plane through the whole solid.
    let (a, b) = (sphere(o, 50), sphere(o + d, 50));
    let (fast, slow) = (
        intersection_volume(&a, &b),
        intersection_volume_by_scan(&a, &b),
    );
    assert!((fast - slow).abs() <= 1e-9 * slow, "{fast} {slow}");
}

#[test]
fn a_comb_of_120000_vertices_and_the_neighbour_in_its_gaps_are_measured_in_seconds() {
    use strata::generate::solids::{comb_footprint, comb_gaps};
    use strata::geometry::prepared::PreparedFootprint;
    let (x0, y0) = (474_412.345, 4_418_207.891);
    let comb = PreparedFootprint::new(&comb_footprint(x0, y0, 0.05, 30.0, 30_000));
    let gaps = PreparedFootprint::new(&comb_gaps(x0, y0, 0.05, 30.0, 30_000));
    let t = Instant::now();
    assert_eq!(comb.intersection_area(&gaps), 0.0);
    let shared = comb.shared_edges(&gaps, 0.001);
    let secs = t.elapsed().as_secs_f64();
    eprintln!("intersection_area and shared_edges, 120k comb and gaps: {secs:.2} s");
    // The top of every tooth, and both sides and the bottom of every gap.
    assert_eq!(shared.len(), 30_000 + 3 * 29_999);
    let length: f64 = shared.iter().map(|s| s.1).sum();
    let want = 30_000.0 * 0.05 + 29_999.0 * (2.0 * 30.0 + 0.05);
    assert!((length - want).abs() < 1e-3, "{length} {want}");
    assert!(secs < 20.0, "{secs} s");
}
