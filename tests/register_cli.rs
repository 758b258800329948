//! `strata register` from the command line: a whole survey in one batch, refused whole when
//! one unit is refused; pages, history, queries and verify as text and JSON; bad act files
//! named.

use std::path::Path;

use assert_cmd::Command;

fn strata() -> Command {
    Command::cargo_bin("strata").unwrap()
}

fn data(rel: &str) -> String {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("data")
        .join(rel)
        .display()
        .to_string()
}

fn json(out: &[u8]) -> serde_json::Value {
    serde_json::from_slice(out).unwrap()
}

#[test]
fn a_survey_is_registered_whole_or_not_at_all() {
    let dir = tempfile::tempdir().unwrap();
    let reg = dir.path().join("haidian.gpkg");
    let r = reg.to_str().unwrap();
    strata()
        .args(["register", "init", r, "--crs", "EPSG:4548"])
        .assert()
        .success();
    // The east passage leaves the park's column: the batch is refused whole.
    let out = strata()
        .args(["register", "import", r])
        .args([
            data("dazhongsi/dazhongsi.geojson"),
            data("dazhongsi/east-passage.city.json"),
        ])
        .args(["--officer", "登簿人", "--json"])
        .assert()
        .code(1)
        .get_output()
        .stdout
        .clone();
    let v = json(&out);
    assert_eq!(v["refused"]["refusal"]["reason"], "outside_column");
    assert_eq!(v["refused"]["unit"], "110108012004GX00002W00000000");
    assert_eq!(v["refused"]["refusal"]["conflicts"][0]["volume_m3"], 960.0);
    let out = strata()
        .args(["register", "verify", r, "--json"])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    assert_eq!(
        json(&out)["acts"],
        0,
        "nothing of the refused batch is recorded"
    );
    // Without the passage it is registered.
    strata()
        .args([
            "register",
            "import",
            r,
            &data("dazhongsi/dazhongsi.geojson"),
        ])
        .args(["--officer", "登簿人"])
        .assert()
        .success();
    let out = strata()
        .args([
            "register",
            "show",
            r,
            "110108012004GX00001W00000000",
            "--json",
        ])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let page = json(&out);
    assert_eq!(page["unit"]["status"], "registered");
    assert_eq!(page["unit"]["measures"]["volume_m3"], 113850.0);
    assert_eq!(
        page["rights"][0]["right"]["certificate"],
        "京(2026)海淀区不动产权第0000005号"
    );
    let out = strata()
        .args([
            "register",
            "query",
            r,
            "--volume",
            "box:443800,4425700,40,443820,4425720,45",
        ])
        .args(["--json"])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let hits = json(&out);
    assert!(
        hits.as_array()
            .unwrap()
            .iter()
            .any(|h| h["unit"] == "110108012004GX00001W00000000"),
        "{hits}"
    );
    let out = strata()
        .args(["register", "verify", r, "--json"])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let v = json(&out);
    assert_eq!(v["acts"], 7);
    assert_eq!(v["live_units"], 5);
}

#[test]
fn an_act_file_with_an_unknown_field_is_named_and_nothing_recorded() {
    let dir = tempfile::tempdir().unwrap();
    let reg = dir.path().join("r.gpkg");
    let r = reg.to_str().unwrap();
    strata().args(["register", "init", r]).assert().success();
    let acts = dir.path().join("acts.json");
    std::fs::write(
        &acts,
        r#"[{"number": "1", "reason": "r", "officer": "o", "sources": [{"id": "s", "kind": "planning"}],
            "body": {"act": "pre_code", "prefix": "110112003005GX", "count": 1, "plott": "P"}}]"#,
    )
    .unwrap();
    let err = strata()
        .args(["register", "act", r, "--file", acts.to_str().unwrap()])
        .assert()
        .code(2)
        .get_output()
        .stderr
        .clone();
    let msg = String::from_utf8_lossy(&err);
    assert!(msg.contains("acts.json") && msg.contains("act 1"), "{msg}");
    let out = strata()
        .args(["register", "verify", r, "--json"])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    assert_eq!(json(&out)["acts"], 0);
}

#[test]
fn a_file_that_is_not_a_register_is_an_error_naming_it() {
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("notes.gpkg");
    std::fs::write(&f, "not a database at all, just some text bytes here").unwrap();
    let err = strata()
        .args(["register", "verify", f.to_str().unwrap()])
        .assert()
        .code(2)
        .get_output()
        .stderr
        .clone();
    let msg = String::from_utf8_lossy(&err);
    assert!(
        msg.contains("notes.gpkg") && msg.contains("not a Strata register"),
        "{msg}"
    );
}

/// The register file opens in GDAL as a GeoPackage with its layers.
#[cfg(feature = "gdal")]
#[test]
fn gdal_reads_the_register_as_a_geopackage() {
    use gdal::Dataset;
    use gdal::vector::LayerAccess;
    let dir = tempfile::tempdir().unwrap();
    let reg = dir.path().join("tongzhou.gpkg");
    let r = reg.to_str().unwrap();
    strata()
        .args(["register", "init", r, "--crs", "EPSG:4548"])
        .assert()
        .success();
    strata()
        .args([
            "register",
            "import",
            r,
            &data("dazhongsi/dazhongsi.geojson"),
        ])
        .args(["--officer", "登簿人"])
        .assert()
        .success();
    let ds = Dataset::open(&reg).unwrap();
    let mut under = ds.layer_by_name("register_units_under").unwrap();
    assert_eq!(under.feature_count(), 1);
    let srs = under.spatial_ref().unwrap();
    assert_eq!(srs.auth_code().unwrap(), 4548);
    let f = under.features().next().unwrap();
    let i = f.field_index("unit_code").unwrap();
    assert_eq!(
        f.field_as_string(i).unwrap().as_deref(),
        Some("110108012004GX00001W00000000")
    );
    let mut faces = ds.layer_by_name("register_unit_faces").unwrap();
    assert_eq!(faces.feature_count(), 5);
    let g = faces.features().next().unwrap();
    assert_eq!(
        g.geometry().unwrap().geometry_type(),
        gdal::vector::OGRwkbGeometryType::wkbMultiPolygon25D
    );
    let surface = ds.layer_by_name("register_units_surface").unwrap();
    assert_eq!(surface.feature_count(), 4);
}

#[test]
fn one_act_from_flags() {
    let dir = tempfile::tempdir().unwrap();
    let reg = dir.path().join("r.gpkg");
    let r = reg.to_str().unwrap();
    strata().args(["register", "init", r]).assert().success();
    strata()
        .args([
            "register",
            "import",
            r,
            &data("dazhongsi/dazhongsi.geojson"),
        ])
        .args(["--officer", "登簿人"])
        .assert()
        .success();
    let unit = "110108012004GX00001W00000000";
    let flags = |number: &str| {
        vec![
            "register".to_string(),
            "act".into(),
            r.into(),
            "--number".into(),
            number.into(),
            "--officer".into(),
            "登簿人".into(),
            "--reason".into(),
            "抵押".into(),
            "--source".into(),
            format!("抵字-{number}=application"),
            "--party".into(),
            "91110000MA0BANK000=company:某银行".into(),
        ]
    };
    let mut m = flags("F1");
    m.extend(
        [
            "mortgage",
            "--unit",
            unit,
            "--mortgagee",
            "91110000MA0BANK000",
            "--amount",
            "5e7",
        ]
        .map(String::from),
    );
    strata().args(&m).assert().success();
    // The seized-or-not rules apply as for a file of acts: a second court seizes, then a
    // transfer is refused with its reason.
    let mut s = flags("F2");
    s[8] = "法院查封".into();
    s[10] = "(2026)京0108执保1号=court_order".into();
    s.extend(
        [
            "seizure",
            "--unit",
            unit,
            "--court",
            "北京市海淀区人民法院",
            "--document",
            "(2026)京0108执保1号",
            "--start",
            "2026-01-01",
            "--end",
            "2099-12-31",
        ]
        .map(String::from),
    );
    strata().args(&s).assert().success();
    let mut t = flags("F3");
    t.push("--json".into());
    t.extend(["transfer", "--unit", unit, "--holder", "91110000MA0BANK000"].map(String::from));
    let out = strata()
        .args(&t)
        .assert()
        .code(1)
        .get_output()
        .stdout
        .clone();
    assert_eq!(json(&out)["refused"]["refusal"]["reason"], "seized");
    let out = strata()
        .args(["register", "show", r, unit, "--json"])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let page = json(&out);
    assert_eq!(page["mortgages"].as_array().unwrap().len(), 1);
    assert_eq!(page["seizures"][0]["standing"], "in_force");
}
