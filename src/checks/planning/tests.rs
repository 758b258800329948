use geo::{MultiPolygon, Polygon, Rect};

use super::*;
use crate::diagnostics::FeatureRef;
use crate::geometry::{Part, Prism, Volume};

fn rect(x0: f64, y0: f64, x1: f64, y1: f64) -> Polygon<f64> {
    Rect::new((x0, y0), (x1, y1)).to_polygon()
}

fn unit(key: &str, s: Stratum, r: Polygon<f64>, z0: f64, z1: f64) -> Unit {
    // Buildings (fixture F) on the surface, land-use rights (W) elsewhere.
    let (kind, fixture) = match s {
        Stratum::Under => ("GX", "W00000000"),
        Stratum::Surface => ("GB", "F00010001"),
        Stratum::Above => ("GS", "W00000000"),
    };
    let n = key.bytes().map(u32::from).sum::<u32>() % 100_000;
    let code = format!("110105001050{kind}{n:05}{fixture}");
    Unit {
        code: Some(code.parse().unwrap()),
        key: key.into(),
        stratum: Some(s),
        volume: Volume::new(vec![Part::Prism(Prism::new(r, z0, z1))]),
        ..Unit::default()
    }
}

/// A 100 m × 100 m green plot, ground at 40 m; two underground layers stacked under the
/// same 20 × 50 lawn (counted once), a third 10 × 20 one beside them; a kiosk and a pavilion.
fn district() -> Dataset {
    let plot = Plot {
        id: "G1".into(),
        name: None,
        land_use: None,
        ground_elevation: Some(40.0),
        green_space: true,
        footprint: MultiPolygon::new(vec![rect(0.0, 0.0, 100.0, 100.0)]),
        file: "t".into(),
        feature: FeatureRef::feature(0, None),
    };
    Dataset {
        plots: vec![plot],
        units: vec![
            unit("B1", Stratum::Under, rect(0.0, 0.0, 20.0, 50.0), 32.0, 38.5),
            unit("B2", Stratum::Under, rect(0.0, 0.0, 20.0, 50.0), 25.0, 32.0),
            unit(
                "B3",
                Stratum::Under,
                rect(50.0, 50.0, 60.0, 70.0),
                30.0,
                37.0,
            ),
            unit(
                "K",
                Stratum::Surface,
                rect(80.0, 80.0, 90.0, 90.0),
                40.0,
                43.5,
            ),
            unit(
                "P",
                Stratum::Surface,
                rect(60.0, 0.0, 80.0, 20.0),
                40.0,
                46.0,
            ),
            // The green space's own land-use right on the surface: not a facility.
            Unit {
                code: Some("110105001050GB00001W00000000".parse().unwrap()),
                ..unit(
                    "L",
                    Stratum::Surface,
                    rect(0.0, 0.0, 100.0, 100.0),
                    40.0,
                    40.5,
                )
            },
        ],
        ..Dataset::default()
    }
}

fn rules() -> Rules {
    Rules::parse(
        r#"
[green_underground]
max_share = 0.30
min_soil_m = 2.0
[[tree_protection]]
name = "古槐"
x = 30.0
y = 90.0
radius_m = 5.0
[[tree_protection]]
name = "古柏"
x = 60.0
y = 75.0
radius_m = 6.0
[green_facilities]
max_share = 0.08
exempt_area_m2 = 300.0
exempt_height_m = 4.0
"#,
    )
    .unwrap()
}

fn find<'a>(f: &'a [RuleFinding], rule: &str, unit: Option<&str>) -> &'a RuleFinding {
    f.iter()
        .find(|x| x.rule == rule && x.unit.as_deref() == unit)
        .unwrap_or_else(|| panic!("no {rule} {unit:?} in {f:#?}"))
}

#[test]
fn figures_by_hand() {
    let f = evaluate(&district(), &rules());
    // (20 × 50 + 10 × 20) / 100² = 1,200 / 10,000: the stacked layers count once.
    let s = find(&f, "green_underground.max_share", None);
    assert!((s.figure - 0.12).abs() < 1e-12 && s.passed, "{s:?}");
    // Soil: 40 − 38.5 = 1.5 m (too thin), 40 − 32 = 8 m, 40 − 37 = 3 m.
    let b1 = find(&f, "green_underground.min_soil_m", Some("B1"));
    assert!((b1.figure - 1.5).abs() < 1e-12 && !b1.passed);
    assert!(find(&f, "green_underground.min_soil_m", Some("B2")).passed);
    assert!(find(&f, "green_underground.min_soil_m", Some("B3")).passed);
    // Facilities: (10 × 10 + 20 × 20) / 10,000 = 5 %; the kiosk is exempt (100 m², 3.5 m),
    // the pavilion is not (400 m², 6 m).
    let fs = find(&f, "green_facilities.max_share", None);
    assert!((fs.figure - 0.05).abs() < 1e-12 && fs.passed);
    assert!(find(&f, "green_facilities.exempt_area_m2", Some("K")).passed);
    let p = find(&f, "green_facilities.exempt_area_m2", Some("P"));
    assert!(!p.passed && !p.binding);
    // The first tree's zone is free; B3's corner (60, 70) lies 5 m inside the second's.
    assert!(find(&f, "tree_protection", None).passed);
    let t = find(&f, "tree_protection", Some("B3"));
    assert!(!t.passed && t.figure > 0.0, "{t:?}");
}

#[test]
fn over_the_limit_and_bad_files() {
    let mut ds = district();
    ds.units.push(unit(
        "B4",
        Stratum::Under,
        rect(0.0, 60.0, 100.0, 100.0),
        30.0,
        37.0,
    ));
    let f = evaluate(&ds, &rules());
    // (1,000 + 200 + 4,000 − the 10 × 10 where B3 and B4 overlap) / 10,000 = 51 %.
    let s = find(&f, "green_underground.max_share", None);
    assert!((s.figure - 0.51).abs() < 1e-12 && !s.passed, "{s:?}");
    assert!(s.message.contains("51.0 %"), "{}", s.message);
    let bad = Rules::parse("[green_underground]\nmax_share = 30\nmin_soil_m = 2").unwrap_err();
    assert!(bad.contains("green_underground.max_share"), "{bad}");
    assert!(Rules::parse("[green]\nx = 1").is_err());
}
