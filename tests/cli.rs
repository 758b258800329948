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
        "下至 down  GX00001 (4200 m²), GX00002 (3600 m²)",
        "meets 110112003005GX00003W00000000",
        "960.000 m³ of 110108012004GX00002W00000000 lie outside the column of plot dazhongsi-sports-park",
    ] {
        assert!(stdout.contains(needle), "missing {needle:?} in\n{stdout}");
    }
    let v: Value = serde_json::from_str(
        &std::fs::read_to_string(out.join("wengcheng-validate.json")).unwrap(),
    )
    .unwrap();
    assert_eq!(v["units"], 4);
    for needle in [
        "== documents: maps, register pages, certificates ==",
        "(record, PDF, register): valid, current",
        "verify its QR code",
    ] {
        assert!(stdout.contains(needle), "missing {needle:?} in\n{stdout}");
    }
    golden_maps(&out.join("documents"));
}

/// The 三维宗地图 of one Wengcheng and one Dazhongsi layer, as the demo draws them, against
/// the reviewed sheets in `tests/golden/` (rendered and looked at before they were kept).
/// `STRATA_BLESS=1 cargo test --test cli demo` writes them anew after a reviewed change.
fn golden_maps(documents: &Path) {
    let golden = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/golden");
    for unit in [
        "110112003005GX00002W00000000",
        "110108012004GX00001W00000000",
    ] {
        let name = format!("{unit}.map.svg");
        let got = std::fs::read_to_string(documents.join(&name)).unwrap();
        if std::env::var_os("STRATA_BLESS").is_some() {
            std::fs::create_dir_all(&golden).unwrap();
            std::fs::write(golden.join(&name), &got).unwrap();
            continue;
        }
        let want = std::fs::read_to_string(golden.join(&name)).unwrap();
        if got != want {
            let line = got.lines().zip(want.lines()).position(|(a, b)| a != b);
            panic!(
                "{name} differs from tests/golden/{name} (first at line {}); if the change is \
                 meant, look at the new sheet and bless it: STRATA_BLESS=1 cargo test --test cli demo",
                line.map_or(0, |l| l + 1)
            );
        }
        for file in [".map.pdf", ".page.pdf", ".page.json"] {
            assert!(
                documents.join(format!("{unit}{file}")).is_file(),
                "{unit}{file}"
            );
        }
    }
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
    assert_eq!(code, 1, "invalid input is refused with its findings");
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

#[test]
fn building_parts_that_overlap_are_601_unless_within_the_overlap_tolerance() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("building.city.json");
    // Two 1 m cubes as the BuildingParts of one Building, the second 1 cm into the first.
    let cube = |base: usize| {
        let f = |v: [usize; 4]| {
            format!(
                "[[{},{},{},{}]]",
                v[0] + base,
                v[1] + base,
                v[2] + base,
                v[3] + base
            )
        };
        format!(
            "[[{},{},{},{},{},{}]]",
            f([0, 3, 2, 1]),
            f([4, 5, 6, 7]),
            f([0, 1, 5, 4]),
            f([1, 2, 6, 5]),
            f([2, 3, 7, 6]),
            f([3, 0, 4, 7])
        )
    };
    // Vertices in millimetres (the transform's scale).
    let mut vertices = Vec::new();
    for x0 in [0, 990] {
        for z in [0, 1000] {
            for (x, y) in [(0, 0), (1000, 0), (1000, 1000), (0, 1000)] {
                vertices.push(format!("[{},{y},{z}]", x + x0));
            }
        }
    }
    let text = format!(
        r#"{{"type":"CityJSON","version":"2.0","transform":{{"scale":[0.001,0.001,0.001],"translate":[0,0,0]}},
        "CityObjects":{{
          "b":{{"type":"Building","children":["p1","p2"]}},
          "p1":{{"type":"BuildingPart","parents":["b"],"geometry":[{{"type":"Solid","lod":"2","boundaries":{}}}]}},
          "p2":{{"type":"BuildingPart","parents":["b"],"geometry":[{{"type":"Solid","lod":"2","boundaries":{}}}]}}}},
        "vertices":[{}]}}"#,
        cube(0),
        cube(8),
        vertices.join(",")
    );
    std::fs::write(&p, text).unwrap();
    let (code, stdout, stderr) = run(&["validate", "--json", p.to_str().unwrap()]);
    assert_eq!(code, 1, "{stderr}");
    let v: Value = serde_json::from_str(&stdout).unwrap();
    // One result for the building, its parts' findings inside, as val3dity reports.
    let results = v["results"].as_array().unwrap();
    assert_eq!(results.len(), 1, "{stdout}");
    let b = &results[0];
    assert_eq!(b["id"], "b");
    assert_eq!(b["children"], serde_json::json!(["p1", "p2"]));
    assert_eq!(b["errors"][0]["code"], 601);
    assert_eq!(b["errors"][0]["feature"], "CityObject \"p2\"");
    assert!(
        b["errors"][0]["message"]
            .as_str()
            .unwrap()
            .contains("\"p1\" and \"p2\"")
    );
    let (code, _, stderr) = run(&["validate", "--overlap-tol", "0.005", p.to_str().unwrap()]);
    assert_eq!(code, 0, "{stderr}");
}

#[test]
fn check_json_reports_the_passage_with_timings_and_exit_1() {
    let (code, stdout, stderr) = run(&[
        "check",
        "--json",
        data("dazhongsi/dazhongsi.geojson").to_str().unwrap(),
        data("dazhongsi/east-passage.city.json").to_str().unwrap(),
    ]);
    assert_eq!(code, 1, "{stderr}");
    let v: Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(v["units"], 6);
    let c = &v["conflicts"][0];
    assert_eq!(c["kind"], "outside_parent");
    assert_eq!(c["a"], "110108012004GX00002W00000000");
    assert!((c["volume_m3"].as_f64().unwrap() - 960.0).abs() < 1e-6);
    // The elevations of the part outside the plot (x 210-240 of the sloped passage: floor
    // 42.625 m at the boundary, ceiling 47 m at the east end; data/README.md), not of the
    // whole passage (regression: they were 42-47).
    let z: Vec<f64> = c["z_range"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x.as_f64().unwrap())
        .collect();
    assert!(
        (z[0] - 42.625).abs() < 1e-9 && (z[1] - 47.0).abs() < 1e-9,
        "{z:?}"
    );
    for k in [
        "parse",
        "index",
        "pairs",
        "exact",
        "containment",
        "sixto",
        "total",
    ] {
        assert!(v["timings_ms"][k].is_number(), "{k}");
    }
    let (code, _, _) = run(&[
        "check",
        data("wengcheng/wengcheng.geojson").to_str().unwrap(),
        "--threads",
        "1",
    ]);
    assert_eq!(code, 0);
}

#[test]
fn sixto_json_has_six_directions_with_neighbours_and_limits() {
    let (code, stdout, stderr) = run(&[
        "sixto",
        "--json",
        "--unit",
        "110112003005GX00001W00000000",
        data("wengcheng/wengcheng.geojson").to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{stderr}");
    let v: Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(v["unit"], "110112003005GX00001W00000000");
    assert_eq!(
        v["east"]["neighbours"][0]["unit"],
        "110112003005GX00002W00000000"
    );
    assert_eq!(v["east"]["neighbours"][0]["shared_area_m2"], 360.0);
    assert!(v["east"]["limit"].is_null());
    assert_eq!(v["west"]["neighbours"].as_array().unwrap().len(), 0);
    assert!((v["west"]["limit"].as_f64().unwrap() - 474_281.356).abs() < 1e-6);
    let (code, stdout, _) = run(&[
        "sixto",
        "--unit",
        "110112003005GX00003W00000000",
        data("wengcheng/wengcheng.geojson").to_str().unwrap(),
    ]);
    assert_eq!(code, 0);
    assert!(
        stdout.contains("下至 down") && stdout.contains("H = 2.500"),
        "{stdout}"
    );
    let (code, _, stderr) = run(&[
        "sixto",
        "--unit",
        "110112003005GX00099W00000000",
        data("wengcheng/wengcheng.geojson").to_str().unwrap(),
    ]);
    assert_eq!(code, 2);
    assert!(stderr.contains("not in the dataset"));
}

#[test]
fn query_a_planned_tunnel_with_clearance() {
    let (code, stdout, stderr) = run(&[
        "query",
        "--json",
        "--volume",
        "box:474191.356,4419003.912,3,474501.356,4419013.912,9",
        "--clearance",
        "5",
        data("wengcheng/wengcheng.geojson").to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{stderr}");
    let v: Value = serde_json::from_str(&stdout).unwrap();
    let hits = v["intersects"].as_array().unwrap();
    assert_eq!(hits.len(), 1);
    assert_eq!(hits[0]["unit"], "110112003005GX00003W00000000");
    assert!((hits[0]["overlap_volume_m3"].as_f64().unwrap() - 130.0 * 10.0 * 6.0).abs() < 1e-6);
    assert_eq!(hits[0]["depth_range_m"], serde_json::json!([11.0, 17.0]));
    let near: Vec<&str> = v["within_clearance"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["unit"].as_str().unwrap())
        .collect();
    assert_eq!(
        near,
        [
            "110112003005GX00001W00000000",
            "110112003005GX00002W00000000"
        ]
    );
    assert!((v["within_clearance"][0]["distance_m"].as_f64().unwrap() - 2.5).abs() < 1e-9);
    // The same tunnel as a prism.
    let (code, stdout, _) = run(&[
        "query",
        "--json",
        "--volume",
        "prism:3,9:474191.356 4419003.912,474501.356 4419003.912,474501.356 4419013.912,474191.356 4419013.912",
        data("wengcheng/wengcheng.geojson").to_str().unwrap(),
    ]);
    assert_eq!(code, 0);
    let w: Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(
        w["intersects"][0]["overlap_volume_m3"],
        hits[0]["overlap_volume_m3"]
    );
    let (code, _, stderr) = run(&[
        "query",
        "--volume",
        "box:1,2,3",
        data("wengcheng/wengcheng.geojson").to_str().unwrap(),
    ]);
    assert_eq!(code, 2);
    assert!(stderr.contains("box"), "{stderr}");
}

#[test]
fn a_memory_limit_must_be_a_size() {
    for bad in ["", "lots", "6X", "1.5.5G", "0"] {
        let (code, _, stderr) = run(&[
            "check",
            "--memory-limit",
            bad,
            "data/wengcheng/wengcheng.geojson",
        ]);
        assert_eq!(code, 2, "{bad}: {stderr}");
        assert!(stderr.contains("--memory-limit"), "{bad}: {stderr}");
    }
    // A CityJSON file is read whole, and says so.
    let (code, _, stderr) = run(&[
        "check",
        "--memory-limit",
        "1G",
        "data/dazhongsi/east-passage.city.json",
    ]);
    assert_ne!(code, 0);
    assert!(
        stderr.contains("CityJSON") && stderr.contains("east-passage"),
        "{stderr}"
    );
    let (code, _, stderr) = run(&[
        "check",
        "--tile-origin",
        "1,2",
        "data/wengcheng/wengcheng.geojson",
    ]);
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("--tile-origin"), "{stderr}");
}

#[test]
fn generate_then_check_finds_the_injected_conflicts_in_every_format() {
    let dir = tempfile::tempdir().unwrap();
    let truth = dir.path().join("truth.json");
    for ext in ["geojson", "fgb"] {
        let out = dir.path().join(format!("d.{ext}"));
        let (code, _, stderr) = run(&[
            "generate",
            "--units",
            "1500",
            "--seed",
            "4",
            "--conflict-every",
            "9",
            "--out",
            out.to_str().unwrap(),
            "--truth",
            truth.to_str().unwrap(),
        ]);
        assert_eq!(code, 0, "{stderr}");
        let (code, stdout, stderr) = run(&["check", "--json", out.to_str().unwrap()]);
        assert_eq!(code, 1, "{stderr}");
        let v: Value = serde_json::from_str(&stdout).unwrap();
        // In tiles of 75 m (from a corner off the units' grid): the same conflicts.
        let (code, tiled, stderr) = run(&[
            "check",
            "--json",
            "--tile-size",
            "75",
            "--tile-origin",
            "440003.5,4410011.25",
            out.to_str().unwrap(),
        ]);
        assert_eq!(code, 1, "{stderr}");
        let tiled: Value = serde_json::from_str(&tiled).unwrap();
        assert_eq!(tiled["conflicts"], v["conflicts"], "{ext} in tiles");
        assert!(
            tiled["tiling"]["tiles"].as_u64().unwrap() > 1,
            "{}",
            tiled["tiling"]
        );
        assert!(tiled.get("pairs").is_none(), "no pair counts across tiles");
        // In bounded memory: a limit that holds a few hundred units at a time.
        let (code, bounded, stderr) = run(&[
            "check",
            "--json",
            "--memory-limit",
            "1.2M",
            out.to_str().unwrap(),
        ]);
        assert_eq!(code, 1, "{stderr}");
        let bounded: Value = serde_json::from_str(&bounded).unwrap();
        assert_eq!(
            bounded["conflicts"], v["conflicts"],
            "{ext} in bounded memory"
        );
        let b = &bounded["tiling"];
        assert!(b["batches"].as_u64().unwrap() > 1, "{b}");
        assert_eq!(b["reads"], b["batches"].as_u64().unwrap() + 1, "{b}");
        let (code, text, stderr) = run(&["check", "--memory-limit", "1.2M", out.to_str().unwrap()]);
        assert_eq!(code, 1, "{stderr}");
        assert!(
            text.contains("batch(es)") && text.contains("reads of the files"),
            "{text}"
        );
        let t: Value = serde_json::from_str(&std::fs::read_to_string(&truth).unwrap()).unwrap();
        let mut got: Vec<(String, String, f64)> = v["conflicts"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| {
                (
                    c["kind"].as_str().unwrap().to_string(),
                    c["a"].as_str().unwrap().to_string(),
                    c["volume_m3"].as_f64().unwrap(),
                )
            })
            .collect();
        let mut want: Vec<(String, String, f64)> = t["injected"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| {
                (
                    c["kind"].as_str().unwrap().to_string(),
                    c["a"].as_str().unwrap().to_string(),
                    c["volume_m3"].as_f64().unwrap(),
                )
            })
            .collect();
        got.sort_by(|a, b| a.partial_cmp(b).unwrap());
        want.sort_by(|a, b| a.partial_cmp(b).unwrap());
        assert_eq!(got.len(), want.len(), "{ext}");
        for (g, w) in got.iter().zip(&want) {
            assert_eq!((&g.0, &g.1), (&w.0, &w.1));
            assert!((g.2 - w.2).abs() < 1e-6);
        }
    }
    let csv = dir.path().join("d.csv");
    let (code, _, _) = run(&["generate", "--units", "100", "--out", csv.to_str().unwrap()]);
    assert_eq!(code, 0);
    let text = std::fs::read_to_string(&csv).unwrap();
    assert!(text.starts_with("unit_code,kind,parent_plot,z_bottom,z_top,wkt\n"));
    assert_eq!(text.lines().filter(|l| l.contains(",unit,")).count(), 100);
}

#[test]
fn every_report_names_its_frame() {
    let w = data("wengcheng/wengcheng.geojson");
    let w = w.to_str().unwrap();
    for args in [
        vec!["check", w, "--json"],
        vec!["validate", w, "--json"],
        vec![
            "query",
            w,
            "--volume",
            "box:474300,4419000,5,474310,4419010,8",
            "--json",
        ],
    ] {
        let (_, stdout, stderr) = run(&args);
        let v: Value =
            serde_json::from_str(&stdout).unwrap_or_else(|e| panic!("{args:?}: {e}: {stderr}"));
        assert_eq!(v["frame"]["crs"], "EPSG:4548", "{args:?}");
        assert_eq!(v["frame"]["height_datum"], "EPSG:5737", "{args:?}");
        assert_eq!(v["frame"]["units"], "metres", "{args:?}");
        let (_, text, _) = run(&args[..args.len() - 1]);
        assert!(
            text.contains("frame: EPSG:4548, heights in EPSG:5737"),
            "{args:?}: {text}"
        );
    }
}

#[test]
fn transformation_flags_are_checked_before_reading() {
    let w = data("wengcheng/wengcheng.geojson");
    let w = w.to_str().unwrap();
    let (code, _, stderr) = run(&["info", w, "--height-offset", "EPSG:5736=-0.029"]);
    assert_eq!(code, 2);
    assert!(
        stderr.contains("--height-offset needs --height-datum"),
        "{stderr}"
    );
    let (code, _, stderr) = run(&["info", w, "--reproject", "Beijing"]);
    assert_eq!(code, 2);
    assert!(
        stderr.contains("--reproject Beijing: expected `auto` or an EPSG code"),
        "{stderr}"
    );
    let (code, _, stderr) = run(&["info", w, "--map", "unit_code"]);
    assert_eq!(code, 2);
    assert!(
        stderr.contains("--map `unit_code`: expected name=field"),
        "{stderr}"
    );
}

#[test]
fn export_writes_a_geopackage_or_says_what_it_needs() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("wengcheng.gpkg");
    let w = data("wengcheng/wengcheng.geojson");
    let (code, stdout, stderr) = run(&[
        "export",
        w.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ]);
    if cfg!(feature = "gdal") {
        assert_eq!(code, 0, "{stderr}");
        assert!(
            stdout.contains("4 units (surface 1, above 0, under 3, other 0)"),
            "{stdout}"
        );
        assert!(stdout.contains("frame: EPSG:4548"), "{stdout}");
        assert!(out.exists());
    } else {
        assert_eq!(code, 2);
        assert!(stderr.contains("--features gdal"), "{stderr}");
        assert!(!out.exists());
    }
    let (code, _, stderr) = run(&["export", w.to_str().unwrap(), "--out", "x.shp"]);
    assert_eq!(code, 2);
    assert!(
        stderr.contains("Strata exports GeoPackage (.gpkg)"),
        "{stderr}"
    );
}

/// The planning rules on the two reference projects, with the toolbox's figures, and a
/// stricter district's file that Wengcheng breaks.
#[test]
fn planning_rules_on_the_reference_projects() {
    let rules = data("rules/beijing-toolbox.toml");
    let run = |project: &str, rules: &std::path::Path| {
        let out = strata()
            .args(["rules", "--json", "--rules"])
            .arg(rules)
            .arg(data(&format!("{project}/{project}.geojson")))
            .output()
            .unwrap();
        let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        (out.status.code(), v)
    };
    let figure = |v: &serde_json::Value, rule: &str| {
        v.as_array()
            .unwrap()
            .iter()
            .find(|f| f["rule"] == rule && f["unit"].is_null())
            .map(|f| f["figure"].as_f64().unwrap())
            .unwrap_or_else(|| panic!("no {rule} in {v}"))
    };
    // Wengcheng: 7,800 m² under 29,200 m² of green space.
    let (code, v) = run("wengcheng", &rules);
    assert_eq!(code, Some(0), "{v}");
    assert!((figure(&v, "green_underground.max_share") - 7800.0 / 29200.0).abs() < 1e-9);
    // Dazhongsi: 9,900 m² under 37,600 m²; the two 500 and 600 m² buildings on it, 1,100 m².
    let (code, v) = run("dazhongsi", &rules);
    assert_eq!(code, Some(0), "{v}");
    assert!((figure(&v, "green_underground.max_share") - 9900.0 / 37600.0).abs() < 1e-9);
    assert!((figure(&v, "green_facilities.max_share") - 1100.0 / 37600.0).abs() < 1e-9);
    // A district allowing 25 %: Wengcheng's 26.7 % breaks it (exit 1).
    let dir = tempfile::tempdir().unwrap();
    let strict = dir.path().join("strict.toml");
    std::fs::write(
        &strict,
        "[green_underground]\nmax_share = 0.25\nmin_soil_m = 3.0\n",
    )
    .unwrap();
    let (code, v) = run("wengcheng", &strict);
    assert_eq!(code, Some(1), "{v}");
    let broken: Vec<&str> = v
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["passed"] == false)
        .map(|f| f["rule"].as_str().unwrap())
        .collect();
    // The share, and the two layers with 2.5 m of soil.
    assert_eq!(
        broken,
        [
            "green_underground.max_share",
            "green_underground.min_soil_m",
            "green_underground.min_soil_m"
        ]
    );
    // A bad rules file names the field.
    std::fs::write(
        &strict,
        "[green_underground]\nmax_share = 1.5\nmin_soil_m = 2\n",
    )
    .unwrap();
    let out = strata()
        .args(["rules", "--rules"])
        .arg(&strict)
        .arg(data("wengcheng/wengcheng.geojson"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("green_underground.max_share"));
}
