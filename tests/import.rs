//! Import of survey files: the bundled projects against their hand-worked volumes, the same
//! unit in GeoJSON and CityJSON, every cadastral code, and bad input refused with the file,
//! feature and field named.

use std::path::{Path, PathBuf};

use strata::geometry::algorithm::SolidVolume;
use strata::io::{ImportError, ImportOptions, read_dataset};
use strata::model::{Dataset, Stratum};
use strata::validate::{Tolerances, validate_dataset};

fn data(p: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("data").join(p)
}

fn read(paths: &[PathBuf]) -> Result<Dataset, ImportError> {
    read_dataset(paths, &ImportOptions::default())
}

fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, text).unwrap();
    p
}

fn volume(ds: &Dataset, code: &str) -> f64 {
    ds.unit(code)
        .unwrap_or_else(|| panic!("no unit {code}"))
        .volume
        .volume_m3()
}

#[test]
fn wengcheng_volumes_match_the_hand_worked_figures() {
    let ds = read(&[data("wengcheng/wengcheng.geojson")]).unwrap();
    for (code, v) in [
        ("110112003005GB00001W00000000", 29_200.0 * 17.5),
        ("110112003005GX00001W00000000", 70.0 * 60.0 * 6.0),
        (
            "110112003005GX00002W00000000",
            60.0 * 60.0 * 6.0 + 130.0 * 30.0 * 9.0,
        ),
        ("110112003005GX00003W00000000", 130.0 * 30.0 * 9.0),
    ] {
        assert!(
            (volume(&ds, code) - v).abs() < 1e-3,
            "{code}: {} vs {v}",
            volume(&ds, code)
        );
    }
    let gx: Vec<_> = ds
        .units
        .iter()
        .filter(|u| u.stratum == Some(Stratum::Under))
        .collect();
    assert_eq!(gx.len(), 3, "three pre-coded underground parcels");
    assert!(
        gx.iter()
            .all(|u| u.code.as_ref().unwrap().parcel_feature() == "GX")
    );
    assert_eq!(
        ds.unit("110112003005GX00002W00000000")
            .unwrap()
            .volume
            .parts
            .len(),
        2
    );
    assert_eq!(ds.frame.crs.map(|c| c.epsg), Some(4548));
    assert_eq!(
        ds.frame
            .height_datum
            .as_ref()
            .map(ToString::to_string)
            .as_deref(),
        Some("EPSG:5737")
    );
    let r = validate_dataset(&ds, &Tolerances::default());
    assert!(r.all_valid(), "{:#?}", r.results);
}

#[test]
fn dazhongsi_volumes_match_the_hand_worked_figures() {
    let ds = read(&[
        data("dazhongsi/dazhongsi.geojson"),
        data("dazhongsi/east-passage.city.json"),
    ])
    .unwrap();
    // The east passage: a sloped parallelepiped, 80 m × 8 m cross-section 4 m high.
    assert!((volume(&ds, "110108012004GX00002W00000000") - 80.0 * 8.0 * 4.0).abs() < 1e-3);
    let park = ds.unit("110108012004GX00001W00000000").unwrap();
    assert_eq!(park.sum_attribute("parking_spaces"), Some(510.0));
    assert_eq!(park.sum_attribute("floor_area_m2"), Some(19_800.0));
    let above: f64 = [
        "110108012004GB00002F00010001",
        "110108012004GB00002F00020001",
    ]
    .iter()
    .map(|c| ds.unit(c).unwrap().sum_attribute("floor_area_m2").unwrap())
    .sum();
    assert_eq!(above, 1_100.0);
    let r = validate_dataset(&ds, &Tolerances::default());
    assert!(r.all_valid(), "{:#?}", r.results);
}

/// An L-shaped footprint with a hole: 30×10 + 10×20 = 500 m², minus a 2×3 hole = 494 m²,
/// from -8.5 m to -0.5 m: 3,952 m³. Written once as a GeoJSON prism and once as a CityJSON
/// solid (with the hole as a through-shaft: the hole's walls are faces of the outer shell).
#[test]
fn geojson_and_cityjson_of_the_same_unit_have_the_same_volume() {
    let dir = tempfile::tempdir().unwrap();
    let (e, n) = (474_300.0, 4_418_960.0);
    let ext = [
        (0.0, 0.0),
        (30.0, 0.0),
        (30.0, 10.0),
        (10.0, 10.0),
        (10.0, 30.0),
        (0.0, 30.0),
    ];
    let hole = [(2.0, 2.0), (2.0, 5.0), (4.0, 5.0), (4.0, 2.0)];
    let ring = |pts: &[(f64, f64)]| {
        let mut v: Vec<String> = pts
            .iter()
            .map(|(x, y)| format!("[{:.3},{:.3}]", e + x, n + y))
            .collect();
        v.push(v[0].clone());
        format!("[{}]", v.join(","))
    };
    let gj = format!(
        r#"{{"type":"FeatureCollection","crs":{{"type":"name","properties":{{"name":"urn:ogc:def:crs:EPSG::4548"}}}},"height_datum":"EPSG:5737",
        "features":[{{"type":"Feature","id":"L","properties":{{"unit_code":"110112003005GX00007W00000000","z_bottom":-8.5,"z_top":-0.5}},
        "geometry":{{"type":"Polygon","coordinates":[{},{}]}}}}]}}"#,
        ring(&ext),
        ring(&hole)
    );
    // CityJSON: vertices of both rings at both levels, integers in millimetres.
    let mut verts = Vec::new();
    for &(x, y) in ext.iter().chain(hole.iter()) {
        for z in [-8.5, -0.5] {
            verts.push(format!(
                "[{},{},{}]",
                (x * 1000.0) as i64,
                (y * 1000.0) as i64,
                (z * 1000.0) as i64
            ));
        }
    }
    let b = |i: usize| 2 * i; // bottom index of ring point i (ext 0..6, hole 6..10)
    let t = |i: usize| 2 * i + 1;
    let mut faces: Vec<String> = Vec::new();
    // Bottom (normal down): exterior clockwise seen from above, hole counter-clockwise.
    faces.push(format!(
        "[[{}],[{}]]",
        (0..6)
            .rev()
            .map(|i| b(i).to_string())
            .collect::<Vec<_>>()
            .join(","),
        (6..10)
            .rev()
            .map(|i| b(i).to_string())
            .collect::<Vec<_>>()
            .join(",")
    ));
    faces.push(format!(
        "[[{}],[{}]]",
        (0..6)
            .map(|i| t(i).to_string())
            .collect::<Vec<_>>()
            .join(","),
        (6..10)
            .map(|i| t(i).to_string())
            .collect::<Vec<_>>()
            .join(",")
    ));
    for (lo, n) in [(0usize, 6usize), (6, 4)] {
        for k in 0..n {
            let (i, j) = (lo + k, lo + (k + 1) % n);
            faces.push(format!("[[{},{},{},{}]]", b(i), b(j), t(j), t(i)));
        }
    }
    let cj = format!(
        r#"{{"type":"CityJSON","version":"2.0","transform":{{"scale":[0.001,0.001,0.001],"translate":[{e},{n},0.0]}},
        "metadata":{{"referenceSystem":"https://www.opengis.net/def/crs/EPSG/0/4548"}},
        "CityObjects":{{"L":{{"type":"GenericCityObject","attributes":{{"unit_code":"110112003005GX00008W00000000","height_datum":"EPSG:5737"}},
        "geometry":[{{"type":"Solid","lod":"2","boundaries":[[{}]]}}]}}}},"vertices":[{}]}}"#,
        faces.join(","),
        verts.join(",")
    );
    let g = read(&[write(dir.path(), "l.geojson", &gj)]).unwrap();
    let c = read(&[write(dir.path(), "l.city.json", &cj)]).unwrap();
    let vg = g.units[0].volume.volume_m3();
    let vc = c.units[0].volume.volume_m3();
    assert!((vg - 494.0 * 8.0).abs() < 1e-6, "{vg}");
    assert!((vc - vg).abs() < 1e-6, "{vc} vs {vg}");
    assert!(validate_dataset(&c, &Tolerances::default()).all_valid());
    assert!(validate_dataset(&g, &Tolerances::default()).all_valid());
}

const HEAD: &str = r#"{"type":"FeatureCollection","crs":{"type":"name","properties":{"name":"urn:ogc:def:crs:EPSG::4548"}},"height_datum":"EPSG:5737","features":["#;

fn unit_feature(id: &str, props: &str) -> String {
    format!(
        r#"{{"type":"Feature","id":"{id}","properties":{{{props}}},"geometry":{{"type":"Polygon","coordinates":[[[474300,4418960],[474340,4418960],[474340,4418990],[474300,4418990],[474300,4418960]]]}}}}"#
    )
}

/// The codes (with their fields) the dataset's validation reports.
fn findings_of(text: &str) -> Vec<(u16, Option<String>, Option<String>)> {
    let dir = tempfile::tempdir().unwrap();
    let ds = read(&[write(dir.path(), "t.geojson", text)]).unwrap();
    let r = validate_dataset(&ds, &Tolerances::default());
    r.results
        .iter()
        .flat_map(|x| x.errors.iter().chain(&x.warnings))
        .chain(&r.dataset)
        .map(|f| {
            (
                f.code.number(),
                f.location.feature.as_ref().map(ToString::to_string),
                f.location.field.clone(),
            )
        })
        .collect()
}

fn has(f: &[(u16, Option<String>, Option<String>)], code: u16, field: &str) -> bool {
    f.iter()
        .any(|(c, _, fl)| *c == code && fl.as_deref() == Some(field))
}

#[test]
fn cadastral_codes() {
    let code = r#""unit_code":"110112003005GX00001W00000000""#;
    let z = r#""z_bottom":11.5,"z_top":17.5"#;
    let f = findings_of(&format!("{HEAD}{}]}}", unit_feature("a", z)));
    assert!(has(&f, 801, "properties.unit_code"), "{f:?}");
    let f = findings_of(&format!(
        "{HEAD}{}]}}",
        unit_feature(
            "a",
            &format!(r#""unit_code":"110112003005GX00000W00000000",{z}"#)
        )
    ));
    assert!(has(&f, 802, "properties.unit_code"), "{f:?}");
    let f = findings_of(&format!(
        "{HEAD}{}]}}",
        unit_feature("a", &format!(r#"{code},{z},"stratum":"surface""#))
    ));
    assert!(has(&f, 803, "properties.stratum"), "{f:?}");
    let f = findings_of(&format!(
        "{HEAD}{}]}}",
        unit_feature("a", &format!(r#"{code},"z_bottom":11.5"#))
    ));
    assert!(has(&f, 804, "properties.z_top"), "{f:?}");
    assert!(
        f.iter()
            .any(|(c, feat, _)| *c == 804 && feat.as_deref() == Some("feature 0 (\"a\")"))
    );
    let f = findings_of(&format!(
        "{HEAD}{}]}}",
        unit_feature("a", &format!(r#"{code},"z_bottom":17.5,"z_top":11.5"#))
    ));
    assert!(f.iter().any(|(c, _, _)| *c == 805), "{f:?}");
    let f = findings_of(&format!(
        "{HEAD}{},{}]}}",
        unit_feature("a", &format!(r#"{code},{z},"holder":"甲""#)),
        unit_feature(
            "b",
            &format!(r#"{code},"z_bottom":17.5,"z_top":20.0,"holder":"乙""#)
        )
    ));
    assert!(has(&f, 806, "properties.holder"), "{f:?}");
    let f = findings_of(&format!(
        "{HEAD}{}]}}",
        unit_feature("a", &format!(r#"{code},{z},"supply_method":"gift""#))
    ));
    assert!(has(&f, 807, "properties.supply_method"), "{f:?}");
    let no_datum = HEAD.replace(r#""height_datum":"EPSG:5737","#, "");
    let f = findings_of(&format!(
        "{no_datum}{}]}}",
        unit_feature("a", &format!("{code},{z}"))
    ));
    assert!(f.iter().any(|(c, _, _)| *c == 809), "{f:?}");
    let f = findings_of(&format!(
        "{HEAD}{}]}}",
        unit_feature("a", &format!(r#"{code},{z},"height_datum":"EPSG:5736""#))
    ));
    assert!(f.iter().any(|(c, _, _)| *c == 810), "{f:?}");
    let plot = r#"{"type":"Feature","properties":{"kind":"plot","plot_id":"P1"},"geometry":{"type":"Polygon","coordinates":[[[474200,4418900],[474500,4418900],[474500,4419100],[474200,4418900]]]}}"#;
    let f = findings_of(&format!(
        "{HEAD}{plot},{}]}}",
        unit_feature("a", &format!(r#"{code},{z},"parent_plot":"P9""#))
    ));
    assert!(has(&f, 811, "properties.parent_plot"), "{f:?}");
    let point = format!(
        r#"{{"type":"Feature","properties":{{{code},{z}}},"geometry":{{"type":"Point","coordinates":[474300,4418960]}}}}"#
    );
    let f = findings_of(&format!("{HEAD}{point}]}}"));
    assert!(has(&f, 812, "geometry.type"), "{f:?}");
    let empty = format!(
        r#"{{"type":"Feature","properties":{{{code},{z}}},"geometry":{{"type":"Polygon","coordinates":[]}}}}"#
    );
    let f = findings_of(&format!("{HEAD}{empty}]}}"));
    assert!(has(&f, 902, "geometry.coordinates"), "{f:?}");
}

#[test]
fn cityjson_without_codes_is_validated_as_geometry_with_findings() {
    let dir = tempfile::tempdir().unwrap();
    let cj = r#"{"type":"CityJSON","version":"2.0","transform":{"scale":[1,1,1],"translate":[0,0,0]},
      "CityObjects":{"b":{"type":"Building","geometry":[
        {"type":"MultiSurface","lod":"1","boundaries":[[[0,3,2,1]]]},
        {"type":"Solid","lod":"2","boundaries":[[[[0,3,2,1]],[[4,5,6,7]],[[0,1,5,4]],[[1,2,6,5]],[[2,3,7,6]],[[3,0,4,7]]]]}]}},
      "vertices":[[0,0,0],[1,0,0],[1,1,0],[0,1,0],[0,0,1],[1,0,1],[1,1,1],[0,1,1]]}"#;
    let ds = read(&[write(dir.path(), "b.city.json", cj)]).unwrap();
    assert!(ds.units.is_empty());
    let r = validate_dataset(&ds, &Tolerances::default());
    assert_eq!(r.units, 1);
    assert!(r.results[0].valid);
    assert!(r.results[0].warnings.iter().any(|f| f.code.number() == 814));
    assert!(r.dataset.iter().any(|f| f.code.number() == 808));
}

fn import_error(text: &str, name: &str) -> String {
    let dir = tempfile::tempdir().unwrap();
    let p = write(dir.path(), name, text);
    let e = read(&[p]).expect_err("must be refused");
    e.to_string()
}

#[test]
fn bad_input_is_refused_naming_file_feature_and_field() {
    let code = r#""unit_code":"110112003005GX00001W00000000","z_bottom":1,"z_top":2"#;
    let e = import_error(
        r#"{"type":"FeatureCollection","features":[{"type":"Feat"#,
        "broken.geojson",
    );
    assert!(e.contains("broken.geojson") && e.contains("line 1"), "{e}");
    let e = import_error("\u{feff}\u{0}", "nul.geojson");
    assert!(e.contains("nul.geojson"), "{e}");
    let lonlat = format!(
        r#"{HEAD}{{"type":"Feature","properties":{{{code}}},"geometry":{{"type":"Polygon","coordinates":[[[116.70,39.90],[116.71,39.90],[116.71,39.91],[116.70,39.90]]]}}}}]}}"#
    );
    let e = import_error(&lonlat, "lonlat.geojson");
    assert!(
        e.contains("lonlat.geojson") && e.contains("longitude/latitude"),
        "{e}"
    );
    let wgs = HEAD.replace("EPSG::4548", "EPSG::4326");
    let e = import_error(&format!("{wgs}]}}"), "wgs.geojson");
    assert!(e.contains("geographic"), "{e}");
    let nocrs = r#"{"type":"FeatureCollection","features":[]}"#;
    let e = import_error(nocrs, "nocrs.geojson");
    assert!(e.contains("no CRS"), "{e}");
    let badcoord = format!(
        r#"{HEAD}{{"type":"Feature","id":"x","properties":{{{code}}},"geometry":{{"type":"Polygon","coordinates":[[[474300,"n"],[474340,4418960],[474340,4418990],[474300,4418960]]]}}}}]}}"#
    );
    let e = import_error(&badcoord, "coord.geojson");
    assert!(
        e.contains("coord.geojson")
            && e.contains("feature 0 (\"x\")")
            && e.contains("geometry.coordinates[0][0]"),
        "{e}"
    );
    let deep = format!(
        r#"{{"type":"FeatureCollection","features":[{{"type":"Feature","properties":{{"a":{}{}}}}}]}}"#,
        "[".repeat(200),
        "]".repeat(200)
    );
    let e = import_error(&deep, "deep.json");
    assert!(e.contains("deep.json") && e.contains("recursion"), "{e}");
}

#[test]
fn files_in_different_crss_do_not_mix() {
    let dir = tempfile::tempdir().unwrap();
    let a = write(dir.path(), "a.geojson", &format!("{HEAD}]}}"));
    let b = write(
        dir.path(),
        "b.geojson",
        &format!("{}]}}", HEAD.replace("4548", "4547")),
    );
    let e = read(&[a, b]).unwrap_err().to_string();
    assert!(e.contains("EPSG:4547") && e.contains("EPSG:4548"), "{e}");
}

/// Memory on million-unit districts is mostly per-unit overhead: a unit's parts are held in
/// vectors of exactly their length (a first push would reserve four), in stepped units too.
#[test]
fn units_hold_their_parts_without_spare_capacity() {
    let ds = read(&[data("wengcheng/wengcheng.geojson")]).unwrap();
    assert!(
        ds.units.iter().any(|u| u.parts.len() > 1),
        "a stepped unit is covered"
    );
    for u in &ds.units {
        assert_eq!(u.parts.capacity(), u.parts.len(), "{}", u.key);
        assert_eq!(u.volume.parts.capacity(), u.volume.parts.len(), "{}", u.key);
    }
}
