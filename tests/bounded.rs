//! The check in bounded memory against the admission and check of the whole district: the
//! same conflicts in the same order, the same refusal naming the same invalid units, the same
//! units and plots left out, whatever the memory limit and the tiles.

use std::path::{Path, PathBuf};

use serde_json::{Value, json};
use strata::admit::{AdmitOptions, Refusal, admit};
use strata::checks::bounded::{BoundedError, Bounds, check_bounded};
use strata::checks::{CheckOptions, check};
use strata::generate::{DistrictOptions, district};

/// A generated district written as GeoJSON, as a JSON value to change before it is written.
fn generated(units: usize, seed: u64) -> Value {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("d.geojson");
    district(&DistrictOptions {
        units,
        seed,
        conflict_every: 5,
    })
    .write(&path)
    .unwrap();
    serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap()
}

fn write(dir: &Path, name: &str, v: &Value) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, serde_json::to_vec(v).unwrap()).unwrap();
    p
}

fn features(v: &mut Value) -> &mut Vec<Value> {
    v["features"].as_array_mut().unwrap()
}

fn is_unit(f: &Value) -> bool {
    f["properties"]["kind"] != "plot"
}

/// A memory limit, the tiles chosen from it.
fn limit(memory_limit: u64) -> Bounds {
    Bounds {
        memory_limit,
        tile_size: None,
        tile_origin: None,
    }
}

/// Limits from a few units a batch (many batches, tiles cut from the limit) to the whole
/// district in one batch, and given tile sizes.
fn cuts() -> Vec<Bounds> {
    let mut v: Vec<Bounds> = [1_000_000u64, 1_800_000, 1 << 30]
        .into_iter()
        .map(limit)
        .collect();
    for (size, origin) in [(90.0, None), (237.3, Some([440_013.7, 4_409_958.7]))] {
        v.push(Bounds {
            memory_limit: 1_800_000,
            tile_size: Some(size),
            tile_origin: origin,
        });
    }
    v
}

/// What the whole district gave.
#[derive(Debug, Default)]
struct Whole {
    /// The most batches a cut took.
    batches: usize,
    /// Units left out (admitted) or named invalid (refused).
    invalid: usize,
    refused: bool,
}

/// Checks `paths` whole and in every cut: the same answer each time.
fn same_as_whole(paths: &[PathBuf], skip_invalid: bool, what: &str) -> Whole {
    let adm = AdmitOptions {
        skip_invalid,
        ..AdmitOptions::default()
    };
    let opts = CheckOptions::default();
    let mut seen = Whole::default();
    match admit(paths, &adm) {
        Ok(whole) => {
            seen.invalid = whole.left_out.units.len();
            let expected = check(&whole.dataset, &opts).report;
            assert!(!expected.conflicts.is_empty(), "{what}: nothing to find");
            for b in cuts() {
                let got = check_bounded(paths, &adm, &opts, &b)
                    .unwrap_or_else(|e| panic!("{what}, {b:?}: {e}"));
                assert_eq!(got.report.conflicts, expected.conflicts, "{what}, {b:?}");
                assert_eq!(got.report.units, expected.units, "{what}, {b:?}");
                assert_eq!(got.left_out, whole.left_out, "{what}, {b:?}");
                assert_eq!(got.units_read, whole.units_read, "{what}, {b:?}");
                assert_eq!(got.warnings, whole.warnings, "{what}, {b:?}");
                seen.batches = seen.batches.max(got.batching.batches);
            }
        }
        Err(Refusal::Invalid(expected)) => {
            seen.refused = true;
            seen.invalid = expected.results.len();
            for b in cuts() {
                match check_bounded(paths, &adm, &opts, &b) {
                    Err(BoundedError::Refused(Refusal::Invalid(got))) => {
                        assert_eq!(
                            serde_json::to_value(&got).unwrap(),
                            serde_json::to_value(&expected).unwrap(),
                            "{what}, {b:?}"
                        );
                    }
                    other => panic!("{what}, {b:?}: refused whole, here {other:?}"),
                }
            }
        }
        Err(e) => panic!("{what}: {e}"),
    }
    seen
}

#[test]
fn a_generated_district_in_batches_gives_the_whole_check() {
    let dir = tempfile::tempdir().unwrap();
    for seed in [1, 2] {
        let p = write(dir.path(), "d.geojson", &generated(2_000, seed));
        let w = same_as_whole(&[p], false, &format!("seed {seed}"));
        assert!(!w.refused && w.invalid == 0, "{w:?}");
        assert!(
            w.batches >= 4,
            "the smallest limit cuts the district: {w:?}"
        );
    }
}

#[test]
fn a_flatgeobuf_district_in_batches_gives_the_whole_check() {
    // FlatGeobuf features of other batches are passed over unread: what the first read
    // noted of each feature must pick exactly the batch's units and plots.
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("d.fgb");
    district(&DistrictOptions {
        units: 2_000,
        seed: 7,
        conflict_every: 5,
    })
    .write(&p)
    .unwrap();
    let w = same_as_whole(&[p], false, "FlatGeobuf");
    assert!(!w.refused && w.batches >= 4, "{w:?}");
}

#[test]
fn the_smallest_limit_keeps_batches_small() {
    let dir = tempfile::tempdir().unwrap();
    let p = write(dir.path(), "d.geojson", &generated(3_000, 3));
    let adm = AdmitOptions::default();
    let limit = limit(2_000_000);
    let got = check_bounded(&[p], &adm, &CheckOptions::default(), &limit).unwrap();
    let b = got.batching;
    assert!(b.batches > 1 && b.reads == b.batches + 1, "{b:?}");
    // The budget: what the limit holds, less the first read, at the planned bytes a unit;
    // a batch is planned for two thirds of it.
    let budget = (2_000_000 - 3_000 * strata::checks::bounded::BYTES_PER_UNIT_FIRST_READ)
        / strata::checks::bounded::BYTES_PER_UNIT;
    assert!(
        (b.largest_batch as u64) <= budget,
        "{} units in a batch, the budget is {budget}",
        b.largest_batch
    );
}

#[test]
fn invalid_units_are_refused_or_left_out_alike() {
    let dir = tempfile::tempdir().unwrap();
    let mut v = generated(2_000, 4);
    let units: Vec<usize> = features(&mut v)
        .iter()
        .enumerate()
        .filter(|(_, f)| is_unit(f))
        .map(|(k, _)| k)
        .collect();
    let fs = features(&mut v);
    // Upside down (an error with a box), no top (an error without a box: no tile holds
    // it), and a bow-tie footprint.
    let (a, b, c) = (units[17], units[900], units[1_500]);
    let z = fs[a]["properties"]["z_top"].clone();
    fs[a]["properties"]["z_top"] = fs[a]["properties"]["z_bottom"].clone();
    fs[a]["properties"]["z_bottom"] = z;
    fs[b]["properties"].as_object_mut().unwrap().remove("z_top");
    let ring = fs[c]["geometry"]["coordinates"][0].as_array_mut().unwrap();
    ring.swap(1, 2);
    // A plot no feature draws: the unit is told of the district's plots, not its batch's.
    fs[units[1_999]]["properties"]["parent_plot"] = json!("NO-SUCH-PLOT");
    let p = write(dir.path(), "bad.geojson", &v);
    let w = same_as_whole(std::slice::from_ref(&p), false, "refused");
    assert!(w.refused && w.invalid == 4, "{w:?}");
    let w = same_as_whole(&[p], true, "left out");
    assert!(!w.refused && w.invalid == 4, "{w:?}");
}

#[test]
fn an_invalid_plot_leaves_out_its_units_alike() {
    let dir = tempfile::tempdir().unwrap();
    let mut v = generated(2_000, 5);
    let fs = features(&mut v);
    let plot = fs.iter_mut().find(|f| !is_unit(f)).unwrap();
    let ring = plot["geometry"]["coordinates"][0].as_array_mut().unwrap();
    ring.swap(1, 2);
    let p = write(dir.path(), "badplot.geojson", &v);
    let w = same_as_whole(std::slice::from_ref(&p), false, "refused plot");
    assert!(w.refused && w.invalid == 0, "{w:?}");
    let w = same_as_whole(&[p], true, "left-out plot");
    assert!(
        !w.refused && w.invalid > 0,
        "the plot's units are left out: {w:?}"
    );
}

#[test]
fn a_unit_in_parts_far_apart_and_a_second_file_give_the_whole_check() {
    let dir = tempfile::tempdir().unwrap();
    let mut v = generated(1_000, 6);
    let fs = features(&mut v);
    let units: Vec<usize> = (0..fs.len()).filter(|&k| is_unit(&fs[k])).collect();
    // A second part of unit 10, drawn where unit 700 is (hundreds of metres away): the
    // unit's box spans much of the district, and its halo many tiles.
    let mut part = fs[units[700]].clone();
    part["properties"]["unit_code"] = fs[units[10]]["properties"]["unit_code"].clone();
    part["id"] = json!("far-part");
    // The second half of the units in another file.
    let second: Vec<Value> = fs.drain(units[500]..).collect();
    let mut w = v.clone();
    w["features"] = Value::Array(second);
    features(&mut w).push(part);
    let p1 = write(dir.path(), "a.geojson", &v);
    let p2 = write(dir.path(), "b.geojson", &w);
    let w = same_as_whole(&[p1, p2], true, "far part, two files");
    assert!(w.batches > 1, "{w:?}");
}

#[test]
fn a_limit_below_the_first_read_is_refused_by_its_numbers() {
    let dir = tempfile::tempdir().unwrap();
    let p = write(dir.path(), "d.geojson", &generated(2_000, 8));
    let e = check_bounded(
        &[p],
        &AdmitOptions::default(),
        &CheckOptions::default(),
        &limit(100_000),
    )
    .unwrap_err()
    .to_string();
    assert!(
        e.contains("100000 bytes") && e.contains("2000 units"),
        "{e}"
    );
}

#[test]
fn a_cityjson_file_is_refused_by_name() {
    let adm = AdmitOptions::default();
    let p = PathBuf::from("data/dazhongsi/east-passage.city.json");
    let e = check_bounded(&[p], &adm, &CheckOptions::default(), &limit(1 << 30))
        .unwrap_err()
        .to_string();
    assert!(
        e.contains("east-passage.city.json") && e.contains("CityJSON"),
        "{e}"
    );
}
