//! The CityJSON export against the CityJSON validator (cjval, with the Strata Extension
//! schema kept in the repository) and read back by Strata to the same volumes.

mod support;

use std::path::PathBuf;

use strata::admit::{AdmitOptions, admit};
use strata::export::cityjson::{EXTENSION_SCHEMA, cityjson};
use strata::geometry::algorithm::{BoundingBox3, SolidVolume};
use strata::register::act::ActBody;
use strata::register::geometry::{PartData, VolumeData};
use strata::register::record::{Kind, Record};
use strata::register::{Settings, SqliteRegister, View};
use support::register::*;

/// GX00001 (a box, from the support scenario) and GX00002, a stepped unit of two prisms.
fn register(dir: &std::path::Path) -> SqliteRegister {
    // No CRS: the support scenario's coordinates (0–100 m) are local.
    let mut reg = SqliteRegister::create(&dir.join("r.gpkg"), Settings::default()).unwrap();
    registered(&mut reg);
    let stepped = VolumeData {
        parts: vec![
            PartData::Prism {
                footprint: vec![vec![[60.0, 0.0], [90.0, 0.0], [90.0, 40.0], [60.0, 40.0]]],
                bottom: 5.0,
                top: 12.5,
            },
            PartData::Prism {
                footprint: vec![vec![[60.0, 40.0], [90.0, 40.0], [90.0, 60.0], [60.0, 60.0]]],
                bottom: 8.0,
                top: 12.5,
            },
        ],
    };
    rec(
        &mut reg,
        vec![
            act(
                "S2",
                ActBody::Supply {
                    unit: code(2),
                    terms: listing(0.0, 15.0),
                },
            ),
            act(
                "F2",
                ActBody::FirstRegistration {
                    unit: code(2),
                    surveyed: surveyed(stepped),
                    supply: None,
                },
            ),
        ],
    )
    .unwrap();
    reg
}

#[test]
fn the_export_validates_with_cjval_and_reads_back_to_the_same_volumes() {
    let dir = tempfile::tempdir().unwrap();
    let reg = register(dir.path());
    let doc = cityjson(&reg, None, "strata_cadastre.ext.json").unwrap();
    let text = serde_json::to_string(&doc).unwrap();

    let mut val = cjval::CJValidator::from_str(&text);
    val.add_one_extension_from_str(EXTENSION_SCHEMA)
        .expect("the Extension schema is a valid CityJSON Extension");
    for (criterion, summary) in val.validate() {
        assert!(
            !summary.has_errors() || summary.is_warning(),
            "cjval {criterion}: {:?}",
            summary.get_errors()
        );
    }
    assert!(val.is_valid());
    // The validator does check the Extension: a parcel of four dimensions is refused.
    let bad = text.replacen(
        "\"parcelDimension\":\"3D\"",
        "\"parcelDimension\":\"4D\"",
        1,
    );
    assert_ne!(bad, text);
    let mut val = cjval::CJValidator::from_str(&bad);
    val.add_one_extension_from_str(EXTENSION_SCHEMA).unwrap();
    assert!(
        val.validate()
            .values()
            .any(|s| s.has_errors() && !s.is_warning())
    );

    let o = &doc["CityObjects"][code(2)];
    assert_eq!(o["type"], "+Parcel");
    assert_eq!(o["geometry"][0]["type"], "MultiSolid", "two parts");
    assert_eq!(o["attributes"]["lowerElevation"], 5.0);
    assert_eq!(o["attributes"]["upperElevation"], 12.5);
    assert_eq!(o["attributes"]["rights"][0]["nature"], "listing");
    assert_eq!(
        o["attributes"]["rights"][0]["holders"][0]["name"],
        "测试建设开发有限公司"
    );
    assert_eq!(o["attributes"]["rights"][0]["termEnd"], "2063-12-31");

    let path: PathBuf = dir.path().join("export.city.json");
    std::fs::write(&path, &text).unwrap();
    let back = admit(&[path], &AdmitOptions::default()).unwrap().dataset;
    assert_eq!(back.units.len(), 2);
    for u in &back.units {
        let Some(Record::Unit(r)) = reg.live(Kind::Unit, &u.key).unwrap() else {
            panic!("{} is not in the register", u.key);
        };
        let registered = r.volume.unwrap().to_volume();
        let (a, b) = (u.volume.volume_m3(), registered.volume_m3());
        assert!(
            (a - b).abs() < 1e-6 * b,
            "{}: {a} m³ read back, {b} m³ registered",
            u.key
        );
        let (x, y) = (u.volume.bbox(), registered.bbox());
        assert!((x.min - y.min).norm() < 1e-9 && (x.max - y.max).norm() < 1e-9);
    }
}

#[test]
fn the_extension_schema_names_the_extension() {
    let ext: serde_json::Value = serde_json::from_str(EXTENSION_SCHEMA).unwrap();
    assert_eq!(ext["name"], strata::export::cityjson::EXTENSION);
    assert_eq!(ext["versionCityJSON"], "2.0");
    assert!(ext["extraCityObjects"]["+Parcel"].is_object());
}

/// Both reference projects' registers, exported by the command, validate and read back.
#[test]
fn the_demo_registers_export_to_valid_cityjson() {
    let dir = tempfile::tempdir().unwrap();
    let strata = || assert_cmd::Command::cargo_bin("strata").unwrap();
    let data = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("data");
    strata()
        .args(["demo", "--data"])
        .arg(&data)
        .arg("--out")
        .arg(dir.path())
        .assert()
        .success();
    for (register, units) in [("register-tongzhou.gpkg", 4), ("register-haidian.gpkg", 2)] {
        let out = dir.path().join(format!("{register}.city.json"));
        strata()
            .args(["register", "export"])
            .arg(dir.path().join(register))
            .arg("--out")
            .arg(&out)
            .assert()
            .success();
        let text = std::fs::read_to_string(&out).unwrap();
        let mut val = cjval::CJValidator::from_str(&text);
        val.add_one_extension_from_str(EXTENSION_SCHEMA).unwrap();
        for (criterion, s) in val.validate() {
            assert!(
                !s.has_errors() || s.is_warning(),
                "{register} {criterion}: {:?}",
                s.get_errors()
            );
        }
        let back = admit(&[out], &AdmitOptions::default()).unwrap().dataset;
        assert_eq!(back.units.len(), units, "{register}");
        assert_eq!(back.frame.crs.map(|c| c.epsg), Some(4548));
    }
}
