//! The conflict engine on the bundled projects against their hand-worked six-direction tables
//! (data/README.md), the passage leaving its plot, and every conflict kind on small cases.

use std::path::{Path, PathBuf};

use strata::checks::{CheckOptions, ConflictKind, check};
use strata::io::{ImportOptions, read_dataset};
use strata::model::{Dataset, Direction};

fn data(p: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("data").join(p)
}

fn wengcheng() -> Dataset {
    read_dataset(
        &[data("wengcheng/wengcheng.geojson")],
        &ImportOptions::default(),
    )
    .unwrap()
}

fn dazhongsi() -> Dataset {
    read_dataset(
        &[
            data("dazhongsi/dazhongsi.geojson"),
            data("dazhongsi/east-passage.city.json"),
        ],
        &ImportOptions::default(),
    )
    .unwrap()
}

/// The neighbours of `unit` in `dir` as (code suffix, area), e.g. ("GX00002", 360.0).
fn neighbours(
    ds: &Dataset,
    checked: &strata::checks::Checked,
    unit: &str,
    dir: Direction,
) -> Vec<(String, f64)> {
    let i = ds
        .units
        .iter()
        .position(|u| u.key.ends_with(unit) || u.key.contains(&format!("{unit}W")))
        .unwrap();
    let t = checked.sixto(ds, i);
    t.get(dir)
        .neighbours
        .iter()
        .map(|n| {
            (
                n.unit[12..19].to_string(),
                (n.shared_area_m2 * 1000.0).round() / 1000.0,
            )
        })
        .collect()
}

fn n(code: &str, area: f64) -> (String, f64) {
    (code.to_string(), area)
}

#[test]
fn wengcheng_six_direction_table_matches_the_hand_worked_one() {
    let ds = wengcheng();
    let c = check(&ds, &CheckOptions::default());
    assert!(c.report.conflicts.is_empty(), "{:#?}", c.report.conflicts);
    use Direction::*;
    assert_eq!(
        neighbours(&ds, &c, "GB00001", Down),
        vec![n("GX00001", 4200.0), n("GX00002", 3600.0)]
    );
    assert_eq!(neighbours(&ds, &c, "GB00001", Up), vec![]);
    assert_eq!(
        neighbours(&ds, &c, "GX00001", Up),
        vec![n("GB00001", 4200.0)]
    );
    assert_eq!(
        neighbours(&ds, &c, "GX00001", Down),
        vec![n("GX00002", 2100.0), n("GX00003", 2100.0)]
    );
    assert_eq!(
        neighbours(&ds, &c, "GX00001", East),
        vec![n("GX00002", 360.0)]
    );
    assert_eq!(
        neighbours(&ds, &c, "GX00002", Up),
        vec![n("GB00001", 3600.0), n("GX00001", 2100.0)]
    );
    assert_eq!(
        neighbours(&ds, &c, "GX00002", Down),
        vec![n("GX00003", 1800.0)]
    );
    assert_eq!(
        neighbours(&ds, &c, "GX00002", West),
        vec![n("GX00001", 360.0)]
    );
    assert_eq!(
        neighbours(&ds, &c, "GX00002", South),
        vec![n("GX00003", 1170.0)]
    );
    assert_eq!(
        neighbours(&ds, &c, "GX00003", Up),
        vec![n("GX00001", 2100.0), n("GX00002", 1800.0)]
    );
    assert_eq!(
        neighbours(&ds, &c, "GX00003", North),
        vec![n("GX00002", 1170.0)]
    );
    // Open limits: the station's floor at 2.5 m and nothing below it.
    let i = ds
        .units
        .iter()
        .position(|u| u.key.contains("GX00003"))
        .unwrap();
    let t = c.sixto(&ds, i);
    assert_eq!(t.get(Direction::Down).limit, Some(2.5));
    assert!(t.get(Direction::Down).neighbours.is_empty());
    assert_eq!(t.get(Direction::Up).limit, None);
    assert_eq!(c.report.pairs.overlapping, 0);
}

#[test]
fn dazhongsi_six_directions_and_the_passage_leaving_its_plot() {
    let ds = dazhongsi();
    let c = check(&ds, &CheckOptions::default());
    use Direction::*;
    assert_eq!(
        neighbours(&ds, &c, "GB00001", Down),
        vec![n("GX00001", 9900.0)]
    );
    assert_eq!(
        neighbours(&ds, &c, "GB00001", East),
        vec![n("GB00002", 792.0)]
    );
    assert_eq!(
        neighbours(&ds, &c, "GB00001", West),
        vec![n("GB00002", 792.0)]
    );
    assert_eq!(
        neighbours(&ds, &c, "GB00001", North),
        vec![n("GB00002", 1188.0)]
    );
    assert_eq!(
        neighbours(&ds, &c, "GB00001", South),
        vec![n("GB00002", 1188.0)]
    );
    assert_eq!(
        neighbours(&ds, &c, "GX00001", East),
        vec![n("GX00002", 32.0)]
    );
    assert_eq!(
        neighbours(&ds, &c, "GX00002", West),
        vec![n("GX00001", 32.0)]
    );
    assert_eq!(neighbours(&ds, &c, "GX00002", Up), vec![]);
    // Buildings sit inside their land: no neighbour, no conflict.
    for b in ["GB00002F00010001", "GB00002F00020001"] {
        for d in Direction::ALL {
            assert!(neighbours(&ds, &c, b, d).is_empty(), "{b} {d:?}");
        }
    }
    let outside: Vec<_> = c
        .report
        .conflicts
        .iter()
        .filter(|x| x.kind == ConflictKind::OutsideParent)
        .collect();
    assert_eq!(outside.len(), 1, "{:#?}", c.report.conflicts);
    assert_eq!(outside[0].a, "110108012004GX00002W00000000");
    assert!(
        (outside[0].volume_m3 - 960.0).abs() < 1e-6,
        "{}",
        outside[0].volume_m3
    );
    assert_eq!(c.report.conflicts.len(), 1, "{:#?}", c.report.conflicts);
}

use strata::generate::{DistrictOptions, district};

/// The generator injects conflicts with known volumes; the check must find exactly those, with
/// those volumes, and nothing else.
#[test]
fn generated_district_conflicts_are_found_exactly() {
    for seed in [1, 2, 3] {
        let d = district(&DistrictOptions {
            units: 3_000,
            seed,
            conflict_every: 7,
        });
        let ds = d.to_dataset();
        let c = check(&ds, &CheckOptions::default());
        let mut got: Vec<(String, String, Option<String>, f64)> = c
            .report
            .conflicts
            .iter()
            .map(|x| {
                let kind = serde_json::to_value(x.kind)
                    .unwrap()
                    .as_str()
                    .unwrap()
                    .to_string();
                (kind, x.a.clone(), x.b.clone(), x.volume_m3)
            })
            .collect();
        let mut want: Vec<(String, String, Option<String>, f64)> = d
            .injected
            .iter()
            .map(|x| (x.kind.to_string(), x.a.clone(), x.b.clone(), x.volume_m3))
            .collect();
        got.sort_by(|a, b| a.partial_cmp(b).unwrap());
        want.sort_by(|a, b| a.partial_cmp(b).unwrap());
        assert_eq!(
            got.len(),
            want.len(),
            "seed {seed}: {got:#?}\nvs\n{want:#?}"
        );
        for (g, w) in got.iter().zip(&want) {
            assert_eq!((&g.0, &g.1, &g.2), (&w.0, &w.1, &w.2), "seed {seed}");
            assert!((g.3 - w.3).abs() < 1e-6, "seed {seed}: {g:?} vs {w:?}");
        }
        assert!(
            want.len() >= 4 * 10,
            "seed {seed}: only {} injected",
            want.len()
        );
    }
}

/// The same district with every unit a closed polyhedron (as CityJSON or CAD solids deliver
/// it) must give the same conflicts: stacked solids that only touch leave rounding noise in
/// the exact polyhedral overlap, never a conflict.
#[test]
fn polyhedral_units_give_the_same_conflicts_as_prisms() {
    use strata::geometry::Part;
    use strata::geometry::algorithm::ToPolyhedra;
    let d = district(&DistrictOptions {
        units: 400,
        seed: 11,
        conflict_every: 4,
    });
    let prisms = d.to_dataset();
    let mut solids = prisms.clone();
    for u in &mut solids.units {
        let polys = u.volume.to_polyhedra();
        u.volume = strata::geometry::Volume::new(polys.into_iter().map(Part::Polyhedron).collect());
    }
    let summary = |ds: &Dataset| -> Vec<(String, String, Option<String>, f64)> {
        let mut v: Vec<_> = check(ds, &CheckOptions::default())
            .report
            .conflicts
            .into_iter()
            .map(|c| {
                let kind = serde_json::to_value(c.kind).unwrap();
                (kind.as_str().unwrap().to_string(), c.a, c.b, c.volume_m3)
            })
            .collect();
        v.sort_by(|a, b| a.partial_cmp(b).unwrap());
        v
    };
    let (p, s) = (summary(&prisms), summary(&solids));
    assert!(p.len() >= 10, "{p:#?}");
    assert_eq!(p.len(), s.len(), "{p:#?}\nvs\n{s:#?}");
    for (a, b) in p.iter().zip(&s) {
        assert_eq!((&a.0, &a.1, &a.2), (&b.0, &b.1, &b.2));
        assert!((a.3 - b.3).abs() < 1e-6 * a.3.max(1.0), "{a:?} vs {b:?}");
    }
}

#[test]
fn one_thread_and_two_threads_give_the_same_report() {
    let ds = district(&DistrictOptions {
        units: 4_000,
        seed: 11,
        conflict_every: 5,
    })
    .to_dataset();
    let one = check(
        &ds,
        &CheckOptions {
            threads: Some(1),
            ..CheckOptions::default()
        },
    );
    let two = check(
        &ds,
        &CheckOptions {
            threads: Some(2),
            ..CheckOptions::default()
        },
    );
    assert_eq!(one.report.conflicts, two.report.conflicts);
    assert_eq!(one.report.pairs, two.report.pairs);
    assert_eq!(one.contacts.len(), two.contacts.len());
    for i in (0..ds.units.len()).step_by(97) {
        assert_eq!(one.sixto(&ds, i), two.sixto(&ds, i));
    }
}

#[test]
fn stacked_layers_touch_and_are_never_conflicts() {
    let ds = district(&DistrictOptions {
        units: 2_000,
        seed: 5,
        conflict_every: 0,
    })
    .to_dataset();
    let c = check(&ds, &CheckOptions::default());
    assert!(
        c.report.conflicts.is_empty(),
        "{:#?}",
        &c.report.conflicts[..c.report.conflicts.len().min(5)]
    );
    assert_eq!(c.report.pairs.overlapping, 0);
    assert!(c.report.pairs.touching > 1_000);
    // Every underground layer has a neighbour above (the surface layer or the layer above it).
    for (i, u) in ds.units.iter().enumerate() {
        if u.stratum == Some(strata::model::Stratum::Under) {
            assert!(
                !c.sixto(&ds, i).get(Direction::Up).neighbours.is_empty(),
                "{}",
                u.key
            );
        }
    }
}

#[test]
fn sixto_of_one_unit_equals_the_full_check() {
    let ds = district(&DistrictOptions {
        units: 1_500,
        seed: 4,
        conflict_every: 9,
    })
    .to_dataset();
    let c = check(&ds, &CheckOptions::default());
    for i in (0..ds.units.len()).step_by(37) {
        assert_eq!(
            strata::checks::sixto_of(&ds, i, &CheckOptions::default()),
            c.sixto(&ds, i)
        );
    }
}

#[test]
fn every_conflict_kind_on_small_cases() {
    use std::io::Write;
    let dir = tempfile::tempdir().unwrap();
    let head = r#"{"type":"FeatureCollection","crs":{"type":"name","properties":{"name":"urn:ogc:def:crs:EPSG::4548"}},"height_datum":"EPSG:5737","ground_elevation":20.0,"features":["#;
    let sq = |x0: f64, y0: f64, x1: f64, y1: f64| {
        format!("[[[{x0},{y0}],[{x1},{y0}],[{x1},{y1}],[{x0},{y1}],[{x0},{y0}]]]")
    };
    let (e, n) = (474_300.0, 4_418_900.0);
    let f = |code: &str, zb: f64, zt: f64, g: String, extra: &str| {
        format!(
            r#"{{"type":"Feature","properties":{{"unit_code":"{code}","z_bottom":{zb},"z_top":{zt},"parent_plot":"P"{extra}}},"geometry":{{"type":"Polygon","coordinates":{g}}}}}"#
        )
    };
    let plot = format!(
        r#"{{"type":"Feature","properties":{{"kind":"plot","plot_id":"P","ground_elevation":20.0}},"geometry":{{"type":"Polygon","coordinates":{}}}}}"#,
        sq(e, n, e + 100.0, n + 100.0)
    );
    let feats = [
        plot,
        // Two underground units overlapping by 10 × 10 × 2 m.
        f(
            "110112003005GX00001W00000000",
            5.0,
            10.0,
            sq(e, n, e + 20.0, n + 20.0),
            "",
        ),
        f(
            "110112003005GX00002W00000000",
            8.0,
            12.0,
            sq(e + 10.0, n + 10.0, e + 30.0, n + 30.0),
            "",
        ),
        // A sliver: 1 cm.
        f(
            "110112003005GX00003W00000000",
            0.0,
            5.01,
            sq(e + 50.0, n, e + 60.0, n + 10.0),
            "",
        ),
        f(
            "110112003005GX00004W00000000",
            5.0,
            9.0,
            sq(e + 50.0, n, e + 60.0, n + 10.0),
            "",
        ),
        // Leaving the plot by 5 m to the east.
        f(
            "110112003005GX00005W00000000",
            -10.0,
            -5.0,
            sq(e + 90.0, n + 40.0, e + 105.0, n + 50.0),
            "",
        ),
        // Underground but 1 m above the ground (20 m).
        f(
            "110112003005GX00006W00000000",
            15.0,
            21.0,
            sq(e + 70.0, n + 70.0, e + 80.0, n + 80.0),
            "",
        ),
        // A building whose land unit is missing, and one poking out of its land.
        f(
            "110112003005GB00007F00010001",
            20.0,
            24.0,
            sq(e + 40.0, n + 60.0, e + 45.0, n + 65.0),
            "",
        ),
        f(
            "110112003005GB00008W00000000",
            18.0,
            30.0,
            sq(e + 20.0, n + 80.0, e + 30.0, n + 90.0),
            "",
        ),
        f(
            "110112003005GB00008F00010001",
            20.0,
            32.0,
            sq(e + 22.0, n + 82.0, e + 28.0, n + 88.0),
            "",
        ),
        // A declared neighbour that is not there.
        f(
            "110112003005GX00009W00000000",
            -20.0,
            -15.0,
            sq(e, n + 60.0, e + 10.0, n + 70.0),
            r#","sixto_units":{"up":["110112003005GX00001W00000000"],"down":[],"east":[],"west":[],"south":[],"north":[]}"#,
        ),
    ];
    let path = dir.path().join("c.geojson");
    let mut file = std::fs::File::create(&path).unwrap();
    write!(file, "{head}{}]}}", feats.join(",")).unwrap();
    let ds = read_dataset(&[path], &ImportOptions::default()).unwrap();
    let c = check(&ds, &CheckOptions::default());
    let find = |k: ConflictKind| {
        c.report
            .conflicts
            .iter()
            .filter(|x| x.kind == k)
            .collect::<Vec<_>>()
    };
    let o = find(ConflictKind::Overlap);
    assert_eq!(o.len(), 1);
    assert!((o[0].volume_m3 - 200.0).abs() < 1e-9 && o[0].z_range == Some([8.0, 10.0]));
    assert_eq!(
        (o[0].a.as_str(), o[0].b.as_deref()),
        (
            "110112003005GX00001W00000000",
            Some("110112003005GX00002W00000000")
        )
    );
    let s = find(ConflictKind::Sliver);
    assert_eq!(s.len(), 1);
    assert!(
        (s[0].volume_m3 - 1.0).abs() < 1e-6 && (s[0].min_thickness_m.unwrap() - 0.01).abs() < 1e-6
    );
    let out = find(ConflictKind::OutsideParent);
    assert_eq!(out.len(), 1);
    assert!(
        (out[0].volume_m3 - 5.0 * 10.0 * 5.0).abs() < 1e-9,
        "{:?}",
        out[0]
    );
    let st = find(ConflictKind::Stratum);
    assert_eq!(st.len(), 1);
    assert!((st[0].volume_m3 - 100.0).abs() < 1e-9);
    assert_eq!(find(ConflictKind::FixtureWithoutLand).len(), 1);
    let fx = find(ConflictKind::FixtureOutsideLand);
    assert_eq!(fx.len(), 1);
    assert!((fx[0].volume_m3 - 36.0 * 2.0).abs() < 1e-9);
    let m = find(ConflictKind::SixtoMismatch);
    assert_eq!(m.len(), 1);
    assert!(m[0].message.contains("declared but not found"));
}

/// The thickness that tells a sliver from an overlap is the diameter of the largest ball in
/// the shared volume. For polyhedra the mean thickness 2V/S is exact for slabs but a third of
/// it for a cube: a compact 0.12 m overlap of solids must be an overlap, as it is for prisms,
/// and a 3 cm slab a sliver in both forms.
#[test]
fn compact_overlaps_of_solids_are_overlaps_and_thin_slabs_slivers() {
    use strata::geometry::Part;
    use strata::geometry::algorithm::ToPolyhedra;
    let dir = tempfile::tempdir().unwrap();
    let (e, n) = (474_300.0, 4_418_900.0);
    let sq = |x0: f64, y0: f64, x1: f64, y1: f64| {
        format!("[[[{x0},{y0}],[{x1},{y0}],[{x1},{y1}],[{x0},{y1}],[{x0},{y0}]]]")
    };
    let f = |code: &str, zb: f64, zt: f64, g: String| {
        format!(
            r#"{{"type":"Feature","properties":{{"unit_code":"{code}","z_bottom":{zb},"z_top":{zt}}},"geometry":{{"type":"Polygon","coordinates":{g}}}}}"#
        )
    };
    let feats = [
        // Corner to corner: a 0.12 m cube shared (2V/S = 0.04 m).
        f(
            "110112003005GX00001W00000000",
            0.0,
            5.0,
            sq(e, n, e + 5.0, n + 5.0),
        ),
        f(
            "110112003005GX00002W00000000",
            4.88,
            9.0,
            sq(e + 4.88, n + 4.88, e + 9.0, n + 9.0),
        ),
        // A 3 cm slab over 10 m × 10 m.
        f(
            "110112003005GX00003W00000000",
            0.0,
            5.03,
            sq(e + 20.0, n, e + 30.0, n + 10.0),
        ),
        f(
            "110112003005GX00004W00000000",
            5.0,
            9.0,
            sq(e + 20.0, n, e + 30.0, n + 10.0),
        ),
    ];
    let path = dir.path().join("pairs.geojson");
    std::fs::write(
        &path,
        format!(
            r#"{{"type":"FeatureCollection","crs":{{"type":"name","properties":{{"name":"urn:ogc:def:crs:EPSG::4548"}}}},"height_datum":"EPSG:5737","features":[{}]}}"#,
            feats.join(",")
        ),
    )
    .unwrap();
    let prisms = read_dataset(&[path], &ImportOptions::default()).unwrap();
    let mut solids = prisms.clone();
    for u in &mut solids.units {
        let polys = u.volume.to_polyhedra();
        u.volume = strata::geometry::Volume::new(polys.into_iter().map(Part::Polyhedron).collect());
    }
    for ds in [&prisms, &solids] {
        let report = check(ds, &CheckOptions::default()).report;
        let find = |a: &str| {
            report
                .conflicts
                .iter()
                .find(|c| c.a.ends_with(a) && c.b.is_some())
                .unwrap_or_else(|| panic!("{a}: {:#?}", report.conflicts))
        };
        let cube = find("GX00001W00000000");
        assert_eq!(cube.kind, ConflictKind::Overlap, "{cube:?}");
        assert!((cube.volume_m3 - 0.12f64.powi(3)).abs() < 1e-9, "{cube:?}");
        assert!(cube.min_thickness_m.unwrap() > 0.1, "{cube:?}");
        let slab = find("GX00003W00000000");
        assert_eq!(slab.kind, ConflictKind::Sliver, "{slab:?}");
        assert!(
            (slab.min_thickness_m.unwrap() - 0.03).abs() < 1e-3,
            "{slab:?}"
        );
    }
}
