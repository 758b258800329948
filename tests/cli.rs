//! End-to-end: the real `strata` binary on the bundled data and on bad input, in a temp dir.

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use serde_json::Value;

fn strata() -> Command {
    Command::cargo_bin("strata").expect("binary")
}

fn data(p: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("data").join(p)
}

fn run(args: &[&str]) -> (i32, String, String) {
    let out = strata().args(args).output().expect("runs");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn demo_runs_on_the_bundled_data_and_writes_reports() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let (code, stdout, stderr) = run(&[
        "demo",
        "--data",
        data("").to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{stdout}{stderr}");
    for needle in [
        "Wengcheng",
        "Dazhongsi",
        "110112003005GX00003W00000000",
        "validation: 4 units, 4 valid",
        "validation: 6 units, 6 valid",
        "510 parking spaces",
        "110112003005GX00004W00000000",
        "EPSG:4548",
    ] {
        assert!(stdout.contains(needle), "missing {needle:?} in\n{stdout}");
    }
    let v: Value = serde_json::from_str(
        &std::fs::read_to_string(out.join("wengcheng-validate.json")).unwrap(),
    )
    .unwrap();
    assert_eq!(v["units"], 4);
}

#[test]
fn validate_json_follows_the_documented_shape() {
    let (code, stdout, _) = run(&[
        "validate",
        "--json",
        data("wengcheng/wengcheng.geojson").to_str().unwrap(),
    ]);
    assert_eq!(code, 0);
    let v: Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(v["units"], 4);
    let r = &v["results"][0];
    assert!(
        r["id"].is_string()
            && r["unit_code"].is_string()
            && r["valid"].is_boolean()
            && r["errors"].is_array()
    );
}

#[test]
fn validate_reports_findings_with_codes_and_locations_and_exits_1() {
    let dir = tempfile::tempdir().unwrap();
    // A unit code with a bad parcel feature letter, and a missing z_top.
    let text = r#"{"type":"FeatureCollection","crs":{"type":"name","properties":{"name":"urn:ogc:def:crs:EPSG::4548"}},"height_datum":"EPSG:5737","features":[
      {"type":"Feature","id":"B1","properties":{"unit_code":"110112003005GQ00001W00000000","z_bottom":11.5},
       "geometry":{"type":"Polygon","coordinates":[[[474300,4418960],[474340,4418960],[474340,4418990],[474300,4418960]]]}}]}"#;
    let p = dir.path().join("bad.geojson");
    std::fs::write(&p, text).unwrap();
    let (code, stdout, _) = run(&["validate", "--json", p.to_str().unwrap()]);
    assert_eq!(code, 1, "{stdout}");
    let v: Value = serde_json::from_str(&stdout).unwrap();
    let errs = v["results"][0]["errors"].as_array().unwrap();
    let codes: Vec<u64> = errs.iter().map(|e| e["code"].as_u64().unwrap()).collect();
    assert!(codes.contains(&802) && codes.contains(&804), "{codes:?}");
    let z = errs.iter().find(|e| e["code"] == 804).unwrap();
    assert_eq!(z["field"], "properties.z_top");
    assert_eq!(z["feature"], "feature 0 (\"B1\")");
    assert!(z["file"].as_str().unwrap().ends_with("bad.geojson"));
    let c = errs.iter().find(|e| e["code"] == 802).unwrap();
    assert!(
        c["message"]
            .as_str()
            .unwrap()
            .contains("parcel feature code"),
        "{c}"
    );
}

#[test]
fn unreadable_input_exits_2_naming_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("truncated.geojson");
    std::fs::write(
        &p,
        r#"{"type":"FeatureCollection","features":[{"type":"Feature""#,
    )
    .unwrap();
    for cmd in ["validate", "info"] {
        let (code, _, stderr) = run(&[cmd, p.to_str().unwrap()]);
        assert_eq!(code, 2, "{cmd}: {stderr}");
        assert!(
            stderr.contains("truncated.geojson") && stderr.contains("line 1"),
            "{stderr}"
        );
    }
    let (code, _, stderr) = run(&[
        "validate",
        dir.path().join("missing.geojson").to_str().unwrap(),
    ]);
    assert_eq!(code, 2);
    assert!(stderr.contains("missing.geojson"), "{stderr}");
}

#[test]
fn info_json_lists_units_with_volume_and_bbox() {
    let (code, stdout, stderr) = run(&[
        "info",
        "--json",
        data("dazhongsi/dazhongsi.geojson").to_str().unwrap(),
        data("dazhongsi/east-passage.city.json").to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{stderr}");
    let v: Value = serde_json::from_str(&stdout).unwrap();
    let units = v["units"].as_array().unwrap();
    let passage = units
        .iter()
        .find(|u| u["unit_code"] == "110108012004GX00002W00000000")
        .unwrap();
    assert_eq!(passage["stratum"], "under");
    assert!((passage["volume_m3"].as_f64().unwrap() - 2560.0).abs() < 1e-6);
    assert_eq!(passage["bbox"].as_array().unwrap().len(), 6);
    assert_eq!(v["crs"], "EPSG:4548");
    assert_eq!(v["height_datum"], "EPSG:5737");
}

#[test]
fn info_refuses_units_it_cannot_build() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("nozt.geojson");
    std::fs::write(&p, r#"{"type":"FeatureCollection","crs":{"type":"name","properties":{"name":"urn:ogc:def:crs:EPSG::4548"}},"features":[
      {"type":"Feature","properties":{"unit_code":"110112003005GX00001W00000000","z_bottom":11.5},
       "geometry":{"type":"Polygon","coordinates":[[[474300,4418960],[474340,4418960],[474340,4418990],[474300,4418960]]]}}]}"#).unwrap();
    let (code, _, stderr) = run(&["info", p.to_str().unwrap()]);
    assert_eq!(code, 2);
    assert!(
        stderr.contains("nozt.geojson") && stderr.contains("feature 0") && stderr.contains("z_top"),
        "{stderr}"
    );
}

#[test]
fn code_parse_and_next() {
    let (code, stdout, _) = run(&["code", "parse", "110112003005GX00001W00000000"]);
    assert_eq!(code, 0);
    assert!(
        stdout.contains("under") && stdout.contains("地下"),
        "{stdout}"
    );
    let (code, stdout, _) = run(&["code", "parse", "110112003005GX00001W0000001"]);
    assert_eq!(code, 1);
    assert!(stdout.contains("28 characters"), "{stdout}");
    let (code, stdout, _) = run(&["code", "parse", "--json", "110112000005GX00001W00000000"]);
    assert_eq!(code, 1);
    let v: Value = serde_json::from_str(&stdout).unwrap();
    assert!(
        v["errors"][0]
            .as_str()
            .unwrap()
            .contains("cadastral district"),
        "{v}"
    );
    let (code, stdout, stderr) = run(&[
        "code",
        "next",
        "--prefix",
        "110112003005GX",
        "--count",
        "2",
        data("wengcheng/wengcheng.geojson").to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(
        stdout.lines().collect::<Vec<_>>(),
        [
            "110112003005GX00004W00000000",
            "110112003005GX00005W00000000"
        ]
    );
}

#[test]
fn ordinary_cityjson_is_validated_with_a_finding_for_the_missing_code() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("bim.city.json");
    // One cube with its top face reversed (307), no unit code.
    std::fs::write(&p, r#"{"type":"CityJSON","version":"2.0","transform":{"scale":[1,1,1],"translate":[0,0,0]},
      "CityObjects":{"b":{"type":"Building","geometry":[{"type":"Solid","lod":"2","boundaries":[[[[0,3,2,1]],[[7,6,5,4]],[[0,1,5,4]],[[1,2,6,5]],[[2,3,7,6]],[[3,0,4,7]]]]}]}},
      "vertices":[[0,0,0],[1,0,0],[1,1,0],[0,1,0],[0,0,1],[1,0,1],[1,1,1],[0,1,1]]}"#).unwrap();
    let (code, stdout, _) = run(&["validate", "--json", p.to_str().unwrap()]);
    assert_eq!(code, 1);
    let v: Value = serde_json::from_str(&stdout).unwrap();
    let r = &v["results"][0];
    assert_eq!(r["id"], "b");
    assert!(r["unit_code"].is_null());
    assert_eq!(r["errors"][0]["code"], 307);
    assert_eq!(r["errors"][0]["face"], 1);
    assert_eq!(r["warnings"][0]["code"], 814);
}
