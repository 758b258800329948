//! The admission gate and honest input and output, end to end through the `strata` binary:
//! no command exits 0 on data that `validate` rejects, `--skip-invalid` says what it left
//! out, duplicates, impossible numbers, dates and datums are refused by name, formats are
//! decided by parsing, and writes fail loudly.

use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::{Duration, Instant};

use assert_cmd::Command;
use serde_json::Value;

fn run(args: &[&str]) -> (i32, String, String) {
    let out = Command::cargo_bin("strata")
        .expect("binary")
        .args(args)
        .timeout(Duration::from_secs(120))
        .output()
        .expect("runs");
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(!stderr.contains("panicked"), "{args:?}: {stderr}");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr,
    )
}

const HEAD: &str = r#"{"type":"FeatureCollection","crs":{"type":"name","properties":{"name":"urn:ogc:def:crs:EPSG::4548"}},"height_datum":"EPSG:5737","features":["#;

/// A square footprint of side `d` at (`x`, `y`) metres from E 474300, N 4418900.
fn square(x: f64, y: f64, d: f64) -> String {
    let (e, n) = (474_300.0 + x, 4_418_900.0 + y);
    format!(
        "[[[{e},{n}],[{},{n}],[{},{}],[{e},{}],[{e},{n}]]]",
        e + d,
        e + d,
        n + d,
        n + d
    )
}

fn code(seq: u32) -> String {
    format!("110112003005GX{seq:05}W00000000")
}

fn unit(id: &str, seq: u32, zb: f64, zt: f64, geometry: &str) -> String {
    format!(
        r#"{{"type":"Feature","id":"{id}","properties":{{"unit_code":"{}","z_bottom":{zb},"z_top":{zt}}},"geometry":{{"type":"Polygon","coordinates":{geometry}}}}}"#,
        code(seq)
    )
}

fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, text).unwrap();
    p
}

fn collection(features: &[String]) -> String {
    format!("{HEAD}{}]}}", features.join(","))
}

/// Two good units that overlap, and one with reversed elevations.
fn district_with_one_invalid(dir: &Path) -> PathBuf {
    write(
        dir,
        "d.geojson",
        &collection(&[
            unit("A", 1, -10.0, -5.0, &square(0.0, 0.0, 10.0)),
            unit("B", 2, -8.0, -3.0, &square(5.0, 5.0, 10.0)),
            unit("R", 3, -5.0, -10.0, &square(40.0, 0.0, 10.0)),
        ]),
    )
}

#[test]
fn no_command_exits_0_on_data_that_validate_rejects() {
    let dir = tempfile::tempdir().unwrap();
    let p = district_with_one_invalid(dir.path());
    let f = p.to_str().unwrap();
    let (c, _, stderr) = run(&["validate", f]);
    assert_eq!(c, 1, "{stderr}");
    for args in [
        vec!["info", f],
        vec!["check", f],
        vec!["sixto", f, "--unit", &code(1)],
        vec![
            "query",
            f,
            "--volume",
            "box:474300,4418900,-20,474310,4418910,0",
        ],
    ] {
        let (c, stdout, stderr) = run(&args);
        assert_eq!(c, 1, "{args:?}: {stdout}{stderr}");
        assert!(
            stderr.contains("805")
                && stderr.contains("feature 2 (\"R\")")
                && stderr.contains("refused"),
            "{args:?}: {stderr}"
        );
        assert!(
            stdout.is_empty(),
            "{args:?}: nothing is reported on refused input: {stdout}"
        );
    }
    // As JSON, the refusal is a document on standard output.
    let (c, stdout, _) = run(&["check", "--json", f]);
    assert_eq!(c, 1);
    let v: Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(v["admitted"], false);
    assert_eq!(v["report"]["results"][0]["unit_code"], code(3).as_str());
}

#[test]
fn skip_invalid_goes_on_and_says_what_it_left_out() {
    let dir = tempfile::tempdir().unwrap();
    let p = district_with_one_invalid(dir.path());
    let f = p.to_str().unwrap();
    let (c, stdout, stderr) = run(&["check", "--json", "--skip-invalid", f]);
    assert_eq!(c, 1, "the two good units overlap: {stderr}");
    assert!(
        stderr.contains("left out 1 invalid unit(s) of 3"),
        "{stderr}"
    );
    let v: Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(v["units"], 2);
    assert_eq!(v["left_out"]["units"][0], code(3).as_str());
    assert_eq!(v["conflicts"][0]["kind"], "overlap");
    let (c, _, stderr) = run(&["sixto", f, "--skip-invalid", "--unit", &code(3)]);
    assert_eq!(c, 2);
    assert!(stderr.contains("left out as invalid"), "{stderr}");
}

#[test]
fn bow_ties_and_empty_shells_are_refused_everywhere() {
    let dir = tempfile::tempdir().unwrap();
    let (e, n) = (474_300.0, 4_418_900.0);
    let bow = format!(
        "[[[{e},{n}],[{},{}],[{},{n}],[{e},{}],[{e},{n}]]]",
        e + 10.0,
        n + 10.0,
        e + 10.0,
        n + 10.0
    );
    let p = write(
        dir.path(),
        "bow.geojson",
        &collection(&[unit("X", 1, -10.0, -5.0, &bow)]),
    );
    let (c, _, stderr) = run(&["info", p.to_str().unwrap()]);
    assert_eq!(c, 1);
    assert!(stderr.contains("104"), "{stderr}");
    let city = r#"{"type":"CityJSON","version":"2.0","metadata":{"referenceSystem":"https://www.opengis.net/def/crs/EPSG/0/4548"},
      "CityObjects":{"u":{"type":"GenericCityObject","attributes":{"unit_code":"110112003005GX00001W00000000","height_datum":"EPSG:5737"},
      "geometry":[{"type":"Solid","lod":"2","boundaries":[[]]}]}},"vertices":[]}"#;
    let p = write(dir.path(), "empty.city.json", city);
    let (c, _, stderr) = run(&["check", p.to_str().unwrap()]);
    assert_eq!(c, 1, "{stderr}");
    assert!(stderr.contains("902"), "{stderr}");
}

#[test]
fn the_same_file_twice_and_the_same_part_twice() {
    let dir = tempfile::tempdir().unwrap();
    let text = collection(&[unit("A", 1, -10.0, -5.0, &square(0.0, 0.0, 10.0))]);
    let a = write(dir.path(), "a.geojson", &text);
    let b = write(dir.path(), "b.geojson", &text);
    let (c, _, stderr) = run(&["check", a.to_str().unwrap(), a.to_str().unwrap()]);
    assert_eq!(c, 2);
    assert!(stderr.contains("given twice"), "{stderr}");
    // The same content in another file: the unit has the same part twice (502).
    let (c, _, stderr) = run(&["info", a.to_str().unwrap(), b.to_str().unwrap()]);
    assert_eq!(c, 1);
    assert!(stderr.contains("502"), "{stderr}");
}

#[test]
fn duplicate_members_ids_and_plot_ids_are_refused_by_name() {
    let dir = tempfile::tempdir().unwrap();
    let dup_prop = format!(
        r#"{HEAD}{{"type":"Feature","properties":{{"unit_code":"{}","z_bottom":-10,"z_top":-5,"z_top":-1}},"geometry":{{"type":"Polygon","coordinates":{}}}}}]}}"#,
        code(1),
        square(0.0, 0.0, 10.0)
    );
    let p = write(dir.path(), "dup.geojson", &dup_prop);
    let (c, _, stderr) = run(&["info", p.to_str().unwrap()]);
    assert_eq!(c, 2);
    assert!(
        stderr.contains("`z_top` is given twice in `properties`")
            && stderr.contains("in feature 0"),
        "{stderr}"
    );
    let p = write(
        dir.path(),
        "dupfeatures.geojson",
        &format!(r#"{HEAD}],"features":[]}}"#),
    );
    let (c, _, stderr) = run(&["info", p.to_str().unwrap()]);
    assert_eq!(c, 2);
    assert!(stderr.contains("`features` is given twice"), "{stderr}");
    let city = r#"{"type":"CityJSON","version":"2.0","CityObjects":{"b":{"type":"Building"},"b":{"type":"Building"}},"vertices":[]}"#;
    let p = write(dir.path(), "dupids.city.json", city);
    let (c, _, stderr) = run(&["validate", p.to_str().unwrap()]);
    assert_eq!(c, 2);
    assert!(
        stderr.contains("CityObject id `b` is used twice"),
        "{stderr}"
    );
    let plot = |id: &str, x: f64| {
        format!(
            r#"{{"type":"Feature","properties":{{"kind":"plot","plot_id":"{id}","ground_elevation":20}},"geometry":{{"type":"Polygon","coordinates":{}}}}}"#,
            square(x, 0.0, 50.0)
        )
    };
    let p = write(
        dir.path(),
        "plots.geojson",
        &collection(&[plot("P1", 0.0), plot("P1", 100.0)]),
    );
    let (c, _, stderr) = run(&["check", p.to_str().unwrap()]);
    assert_eq!(c, 1);
    assert!(
        stderr.contains("817") && stderr.contains("plot id \"P1\""),
        "{stderr}"
    );
}

#[test]
fn impossible_numbers_dates_and_datums_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let p = write(
        dir.path(),
        "far.geojson",
        &collection(&[unit("A", 1, -10.0, 1e308, &square(0.0, 0.0, 10.0))]),
    );
    let (c, _, stderr) = run(&["check", p.to_str().unwrap()]);
    assert_eq!(c, 1);
    assert!(
        stderr.contains("818") && stderr.contains("1e308"),
        "{stderr}"
    );
    assert!(stderr.len() < 4000, "numbers print compactly: {stderr}");
    let dated = format!(
        r#"{HEAD}{{"type":"Feature","properties":{{"unit_code":"{}","z_bottom":-10,"z_top":-5,"term_start":"2023-02-30"}},"geometry":{{"type":"Polygon","coordinates":{}}}}}]}}"#,
        code(1),
        square(0.0, 0.0, 10.0)
    );
    let p = write(dir.path(), "date.geojson", &dated);
    let (c, _, stderr) = run(&["info", p.to_str().unwrap()]);
    assert_eq!(c, 1);
    assert!(
        stderr.contains("807") && stderr.contains("2023-02-30"),
        "{stderr}"
    );
    for (datum, needle) in [
        ("banana", "\"banana\" is not a height datum"),
        ("EPSG:4548", "horizontal CRS"),
    ] {
        let text = collection(&[unit("A", 1, -10.0, -5.0, &square(0.0, 0.0, 10.0))])
            .replace("EPSG:5737", datum);
        let p = write(dir.path(), "datum.geojson", &text);
        let (c, _, stderr) = run(&["check", p.to_str().unwrap()]);
        assert_eq!(c, 1, "{datum}");
        assert!(
            stderr.contains("819") && stderr.contains(needle),
            "{stderr}"
        );
    }
}

#[test]
fn proposals_pass_the_same_gate() {
    let dir = tempfile::tempdir().unwrap();
    let p = write(
        dir.path(),
        "d.geojson",
        &collection(&[unit("A", 1, -10.0, -5.0, &square(0.0, 0.0, 10.0))]),
    );
    let f = p.to_str().unwrap();
    for (spec, needle) in [
        (
            "box:474300,4418900,NaN,474310,4418910,0",
            "not a finite number",
        ),
        (
            "box:474300,4418900,-20,474310,4418910,inf",
            "not a finite number",
        ),
        (
            "box:474300,4418900,-20,474310,4418910",
            "expected 6 numbers",
        ),
        (
            "prism:-20,0:474300 4418900,474310 4418910,474310 4418900,474300 4418910",
            "104",
        ),
        ("box:474300,4418900,-20,474310,4418910,1e308", "818"),
    ] {
        let (c, _, stderr) = run(&["query", f, "--volume", spec]);
        assert_eq!(c, 2, "{spec}: {stderr}");
        assert!(stderr.contains(needle), "{spec}: {stderr}");
    }
    // A proposal in another height datum does not fit the dataset.
    let other = write(
        dir.path(),
        "tunnel.geojson",
        &collection(&[format!(
            r#"{{"type":"Feature","properties":{{"z_bottom":-9,"z_top":-6}},"geometry":{{"type":"Polygon","coordinates":{}}}}}"#,
            square(2.0, 2.0, 4.0)
        )])
        .replace("EPSG:5737", "EPSG:5736"),
    );
    let (c, _, stderr) = run(&["query", f, "--volume", other.to_str().unwrap()]);
    assert_eq!(c, 2);
    assert!(
        stderr.contains("820") && stderr.contains("height datum"),
        "{stderr}"
    );
    let (c, stdout, stderr) = run(&[
        "query",
        f,
        "--json",
        "--volume",
        "box:474302,4418902,-9,474306,4418906,-6",
    ]);
    assert_eq!(c, 0, "{stderr}");
    let v: Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(v["intersects"][0]["overlap_volume_m3"], 48.0);
    let (c, _, stderr) = run(&[
        "query",
        f,
        "--volume",
        "box:0,0,0,1,1,1",
        "--clearance",
        "1e9",
    ]);
    assert_eq!(c, 2);
    assert!(stderr.contains("--clearance"), "{stderr}");
}

#[test]
fn formats_are_decided_by_parsing() {
    let dir = tempfile::tempdir().unwrap();
    // A CityJSON file with sorted keys: `type` comes after a megabyte of CityObjects.
    let mut objects = Vec::new();
    let mut vertices = Vec::new();
    for i in 0..4000 {
        let x = (i % 60) as i64 * 20_000;
        let y = (i / 60) as i64 * 20_000;
        let base = vertices.len();
        for (dx, dy, z) in [
            (0, 0, 0),
            (10_000, 0, 0),
            (10_000, 10_000, 0),
            (0, 10_000, 0),
            (0, 0, 5_000),
            (10_000, 0, 5_000),
            (10_000, 10_000, 5_000),
            (0, 10_000, 5_000),
        ] {
            vertices.push(format!("[{},{},{}]", x + dx, y + dy, z));
        }
        let f = |a: usize, b: usize, c: usize, d: usize| {
            format!("[[{},{},{},{}]]", base + a, base + b, base + c, base + d)
        };
        objects.push(format!(
            r#""o{i:05}":{{"attributes":{{"description":"a building block of the sorted-key test, padded to make the file large"}},"geometry":[{{"boundaries":[[{},{},{},{},{},{}]],"lod":"1","type":"Solid"}}],"type":"Building"}}"#,
            f(0, 3, 2, 1), f(4, 5, 6, 7), f(0, 1, 5, 4), f(1, 2, 6, 5), f(2, 3, 7, 6), f(3, 0, 4, 7)
        ));
    }
    let text = format!(
        r#"{{"CityObjects":{{{}}},"metadata":{{"referenceSystem":"https://www.opengis.net/def/crs/EPSG/0/7415"}},"transform":{{"scale":[0.001,0.001,0.001],"translate":[85000,446000,0]}},"type":"CityJSON","version":"2.0","vertices":[{}]}}"#,
        objects.join(","),
        vertices.join(",")
    );
    assert!(text.find("\"type\":\"CityJSON\"").unwrap() > 1 << 20);
    let p = write(dir.path(), "sorted.json", &text);
    let (c, stdout, stderr) = run(&["validate", "--json", p.to_str().unwrap()]);
    assert_eq!(c, 0, "{stderr}");
    let v: Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(v["units"], 4000);
    // A UTF-8 byte-order mark is skipped; UTF-16 is named.
    let good = collection(&[unit("A", 1, -10.0, -5.0, &square(0.0, 0.0, 10.0))]);
    let p = write(dir.path(), "bom.geojson", &format!("\u{feff}{good}"));
    let (c, _, stderr) = run(&["info", p.to_str().unwrap()]);
    assert_eq!(c, 0, "{stderr}");
    let utf16: Vec<u8> = std::iter::once(0xFEFFu16)
        .chain(good.encode_utf16())
        .flat_map(u16::to_le_bytes)
        .collect();
    let p = dir.path().join("utf16.geojson");
    std::fs::write(&p, utf16).unwrap();
    let (c, _, stderr) = run(&["info", p.to_str().unwrap()]);
    assert_eq!(c, 2);
    assert!(stderr.contains("UTF-16"), "{stderr}");
    // CityJSON details.
    for (text, needle) in [
        (
            r#"{"type":"CityJSON","version":"2.0","transform":{"scale":[0.001,0.001],"translate":[0,0,0]},"CityObjects":{},"vertices":[]}"#,
            "transform.scale",
        ),
        (
            r#"{"type":"CityJSON","version":"3.0","CityObjects":{},"vertices":[]}"#,
            "not a version Strata reads",
        ),
        (
            r#"{"type":"CityJSON","version":"2.0","CityObjects":{"a":{"type":"Building","geometry":[{"type":"Solid","lod":"high","boundaries":[]}]}},"vertices":[]}"#,
            "level of detail",
        ),
    ] {
        let p = write(dir.path(), "detail.city.json", text);
        let (c, _, stderr) = run(&["validate", p.to_str().unwrap()]);
        assert_eq!(c, 2, "{needle}");
        assert!(stderr.contains(needle), "{stderr}");
    }
}

#[test]
fn a_failed_write_is_an_error_and_a_closed_pipe_keeps_the_status() {
    let dir = tempfile::tempdir().unwrap();
    let p = district_with_one_invalid(dir.path());
    let f = p.to_str().unwrap();
    if Path::new("/dev/full").exists() {
        let out = std::process::Command::new(assert_cmd::cargo::cargo_bin("strata"))
            .args(["validate", f])
            .stdout(std::fs::File::create("/dev/full").unwrap())
            .stderr(Stdio::piped())
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2));
        assert!(String::from_utf8_lossy(&out.stderr).contains("cannot write to standard output"));
    }
    // The reader goes away at once: the report is dropped, the status stays 1 (invalid).
    let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("strata"))
        .args(["validate", f])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    assert_eq!(child.wait().unwrap().code(), Some(1));
}

#[test]
fn tolerances_beyond_survey_accuracy_must_be_asked_for() {
    let dir = tempfile::tempdir().unwrap();
    let p = district_with_one_invalid(dir.path());
    let f = p.to_str().unwrap();
    let (c, _, stderr) = run(&["validate", "--snap-tol", "2", f]);
    assert_eq!(c, 2);
    assert!(
        stderr.contains("--snap-tol 2 is beyond") && stderr.contains("--coarse-tolerances"),
        "{stderr}"
    );
    let (c, _, stderr) = run(&["validate", "--snap-tol", "2", "--coarse-tolerances", f]);
    assert_eq!(c, 1, "{stderr}");
    let (c, _, stderr) = run(&["validate", "--planarity-tol", "-1", f]);
    assert_eq!(c, 2, "{stderr}");
    // A sliver tolerance of a metre would turn real overlaps into warnings.
    let (c, _, stderr) = run(&["check", "--tolerance", "1", "--skip-invalid", f]);
    assert_eq!(c, 2);
    assert!(stderr.contains("--tolerance 1 is beyond"), "{stderr}");
    let (c, _, stderr) = run(&[
        "check",
        "--tolerance",
        "1",
        "--coarse-tolerances",
        "--skip-invalid",
        f,
    ]);
    // Accepted when asked for: the 3 m thick overlap of A and B is still an error.
    assert_eq!(c, 1, "{stderr}");
}

#[test]
fn threads_are_capped_at_the_machine() {
    let dir = tempfile::tempdir().unwrap();
    let p = write(
        dir.path(),
        "d.geojson",
        &collection(&[unit("A", 1, -10.0, -5.0, &square(0.0, 0.0, 10.0))]),
    );
    let (c, _, stderr) = run(&["check", "--threads", "100000", p.to_str().unwrap()]);
    assert_eq!(c, 0, "{stderr}");
    assert!(stderr.contains("--threads 100000"), "{stderr}");
}

#[test]
fn identical_units_are_one_conflict_in_bounded_time() {
    let dir = tempfile::tempdir().unwrap();
    let n = 3000u32;
    let features: Vec<String> = (1..=n)
        .map(|i| unit(&format!("u{i}"), i, -10.0, -5.0, &square(0.0, 0.0, 10.0)))
        .collect();
    let p = write(dir.path(), "copies.geojson", &collection(&features));
    let t = Instant::now();
    let (c, stdout, stderr) = run(&["check", "--json", p.to_str().unwrap()]);
    assert_eq!(c, 1, "{stderr}");
    assert!(t.elapsed() < Duration::from_secs(60), "{:?}", t.elapsed());
    let v: Value = serde_json::from_str(&stdout).unwrap();
    let conflicts = v["conflicts"].as_array().unwrap();
    assert_eq!(conflicts.len(), 1, "{conflicts:?}");
    assert_eq!(conflicts[0]["kind"], "duplicate");
    assert!(
        conflicts[0]["message"]
            .as_str()
            .unwrap()
            .starts_with("3000 units")
    );
}

#[test]
fn text_reports_summarize_and_json_stays_complete() {
    let dir = tempfile::tempdir().unwrap();
    let features: Vec<String> = (1..=300)
        .map(|i| {
            unit(
                &format!("r{i}"),
                i,
                -5.0,
                -10.0,
                &square(i as f64 * 20.0, 0.0, 10.0),
            )
        })
        .collect();
    let p = write(dir.path(), "bad.geojson", &collection(&features));
    let (c, stdout, _) = run(&["validate", p.to_str().unwrap()]);
    assert_eq!(c, 1);
    assert!(
        stdout.contains("more finding(s)") && stdout.lines().count() < 260,
        "{}",
        stdout.lines().count()
    );
    let (_, stdout, _) = run(&["validate", "--json", p.to_str().unwrap()]);
    let v: Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(v["results"].as_array().unwrap().len(), 300);
    // A megabyte of unit code is echoed clipped.
    let long = "X".repeat(1 << 20);
    let text =
        collection(&[unit("A", 1, -10.0, -5.0, &square(0.0, 0.0, 10.0))]).replace(&code(1), &long);
    let p = write(dir.path(), "long.geojson", &text);
    let (c, _, stderr) = run(&["info", p.to_str().unwrap()]);
    assert_eq!(c, 1);
    assert!(
        stderr.len() < 20_000 && stderr.contains("characters)"),
        "{}",
        stderr.len()
    );
}

#[test]
fn code_next_never_reissues_a_number_from_its_ledger() {
    let dir = tempfile::tempdir().unwrap();
    let ledger = dir.path().join("ledger.txt");
    // Number 7 was issued and later cancelled: it is in the ledger, in no survey file.
    std::fs::write(&ledger, format!("# issued codes\n{}\n", code(7))).unwrap();
    let p = write(
        dir.path(),
        "d.geojson",
        &collection(&[unit("A", 3, -10.0, -5.0, &square(0.0, 0.0, 10.0))]),
    );
    let (c, stdout, stderr) = run(&[
        "code",
        "next",
        "--prefix",
        "110112003005GX",
        "--count",
        "2",
        "--ledger",
        ledger.to_str().unwrap(),
        "--map",
        "unit_code=unit_code",
        p.to_str().unwrap(),
    ]);
    assert_eq!(c, 0, "{stderr}");
    assert_eq!(stdout.lines().collect::<Vec<_>>(), vec![code(8), code(9)]);
    let kept = std::fs::read_to_string(&ledger).unwrap();
    assert!(kept.contains(&code(7)) && kept.contains(&code(8)) && kept.contains(&code(9)));
    let (_, stdout, _) = run(&[
        "code",
        "next",
        "--prefix",
        "110112003005GX",
        "--ledger",
        ledger.to_str().unwrap(),
    ]);
    assert_eq!(stdout.trim(), code(10));
}

#[test]
fn open_rings_and_absurd_generator_sizes_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let (e, n) = (474_300.0, 4_418_900.0);
    let open = format!(
        "[[[{e},{n}],[{},{n}],[{},{}],[{e},{}]]]",
        e + 10.0,
        e + 10.0,
        n + 10.0,
        n + 10.0
    );
    let p = write(
        dir.path(),
        "open.geojson",
        &collection(&[unit("O", 1, -10.0, -5.0, &open)]),
    );
    let (c, _, stderr) = run(&["info", p.to_str().unwrap()]);
    assert_eq!(c, 1);
    assert!(
        stderr.contains("103") && stderr.contains("geometry.coordinates[0]"),
        "{stderr}"
    );
    let out = dir.path().join("huge.fgb");
    let t = Instant::now();
    let (c, _, stderr) = run(&[
        "generate",
        "--units",
        "1000000000000",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(c, 2);
    assert!(
        stderr.contains("at most") && t.elapsed() < Duration::from_secs(5),
        "{stderr}"
    );
    assert!(!out.exists());
}
