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
    assert_eq!(t.down.limit, Some(2.5));
    assert!(t.down.neighbours.is_empty());
    assert_eq!(t.up.limit, None);
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
