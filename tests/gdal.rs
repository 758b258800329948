//! Survey files through GDAL: the same units written to every format (by `ogr2ogr` or written
//! here from the geometry) must give the same volumes and the same `check` report; a
//! GeoPackage written by Strata must open in `ogrinfo` as described; reprojection and height
//! offsets must land where independent arithmetic says. Needs the `gdal` feature and the GDAL
//! command-line tools (`apt-get install -y libgdal-dev gdal-bin`).
#![cfg(feature = "gdal")]

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::{Value, json};
use strata::checks::{CheckOptions, check};
use strata::generate::{DistrictOptions, district};
use strata::geometry::algorithm::{BoundingBox3, Footprint, SolidVolume, ToPolyhedra};
use strata::io::mapping::FieldMapping;
use strata::io::transform::{HeightOffset, HorizontalTarget};
use strata::io::{ImportError, ImportOptions, read_dataset};
use strata::model::Dataset;

/// Runs a GDAL tool and returns its standard output.
fn gdal_tool(name: &str, args: &[&str]) -> String {
    let out = Command::new(name).args(args).output().unwrap_or_else(|e| {
        panic!("{name} not found ({e}): install the GDAL tools with `apt-get install -y gdal-bin`")
    });
    assert!(
        out.status.success(),
        "{name} {args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

fn options() -> ImportOptions {
    ImportOptions {
        crs: Some(4548),
        height_datum: Some("EPSG:5737".into()),
        ..ImportOptions::default()
    }
}

fn read(files: &[PathBuf], opts: &ImportOptions) -> Dataset {
    let ds = read_dataset(files, opts).unwrap_or_else(|e| panic!("{files:?}: {e}"));
    let errors: Vec<String> = ds
        .findings
        .iter()
        .filter(|f| f.is_error())
        .map(ToString::to_string)
        .collect();
    assert!(errors.is_empty(), "{files:?}: {errors:#?}");
    ds
}

/// Unit code → the codes of its import findings (the generated district injects some, such as
/// an underground unit reaching above the ground).
fn findings(ds: &Dataset) -> BTreeMap<String, Vec<u16>> {
    ds.units
        .iter()
        .map(|u| {
            (
                u.key.clone(),
                u.findings.iter().map(|f| f.code.number()).collect(),
            )
        })
        .collect()
}

/// Unit code → (volume m³, [zmin, zmax], parent plot).
fn units(ds: &Dataset) -> BTreeMap<String, (f64, [f64; 2], Option<String>)> {
    ds.units
        .iter()
        .map(|u| {
            let b = u.volume.bbox();
            (
                u.key.clone(),
                (
                    u.volume.volume_m3(),
                    [b.min.z, b.max.z],
                    u.parent_plot.clone(),
                ),
            )
        })
        .collect()
}

/// (kind, a, b, volume m³) of every conflict, sorted.
fn conflicts(ds: &Dataset) -> Vec<(String, String, Option<String>, f64)> {
    let mut v: Vec<_> = check(ds, &CheckOptions::default())
        .report
        .conflicts
        .into_iter()
        .map(|c| {
            let kind = serde_json::to_value(c.kind).unwrap();
            (kind.as_str().unwrap().to_string(), c.a, c.b, c.volume_m3)
        })
        .collect();
    v.sort_by(|x, y| (&x.0, &x.1, &x.2).cmp(&(&y.0, &y.1, &y.2)));
    v
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-6 * a.abs().max(b.abs()).max(1.0)
}

fn assert_same(label: &str, reference: &Dataset, other: &Dataset) {
    let (r, o) = (units(reference), units(other));
    assert_eq!(
        r.keys().collect::<Vec<_>>(),
        o.keys().collect::<Vec<_>>(),
        "{label}: unit codes"
    );
    for (k, (v, z, p)) in &r {
        let (v2, z2, p2) = &o[k];
        assert!(close(*v, *v2), "{label}: {k}: volume {v} vs {v2}");
        assert!(
            close(z[0], z2[0]) && close(z[1], z2[1]),
            "{label}: {k}: z {z:?} vs {z2:?}"
        );
        assert_eq!(p, p2, "{label}: {k}: parent plot");
    }
    assert_eq!(reference.plots.len(), other.plots.len(), "{label}: plots");
    assert_eq!(findings(reference), findings(other), "{label}: findings");
    let (cr, co) = (conflicts(reference), conflicts(other));
    assert!(
        !cr.is_empty(),
        "the district must carry conflicts to compare"
    );
    assert_eq!(cr.len(), co.len(), "{label}: {cr:#?} vs {co:#?}");
    for (a, b) in cr.iter().zip(&co) {
        assert_eq!((&a.0, &a.1, &a.2), (&b.0, &b.1, &b.2), "{label}");
        assert!(close(a.3, b.3), "{label}: {a:?} vs {b:?}");
    }
}

/// A generated district with injected conflicts, as the GeoJSON profile.
struct District {
    dir: tempfile::TempDir,
    geojson: PathBuf,
    plots: PathBuf,
}

fn district_files() -> District {
    let dir = tempfile::tempdir().unwrap();
    let d = district(&DistrictOptions {
        units: 120,
        seed: 11,
        conflict_every: 4,
    });
    let geojson = dir.path().join("district.geojson");
    d.write_geojson(&geojson).unwrap();
    // The plots alone, for formats that carry only units (DXF, CityJSON).
    let plots = dir.path().join("plots.geojson");
    let mut v: Value = serde_json::from_slice(&std::fs::read(&geojson).unwrap()).unwrap();
    v["features"]
        .as_array_mut()
        .unwrap()
        .retain(|f| f["properties"]["kind"] == "plot");
    std::fs::write(&plots, v.to_string()).unwrap();
    District {
        dir,
        geojson,
        plots,
    }
}

#[test]
fn the_same_units_from_every_format_give_the_same_volumes_and_conflicts() {
    let d = district_files();
    let reference = read(std::slice::from_ref(&d.geojson), &options());
    assert_eq!(reference.units.len(), 120);
    let out = |name: &str| d.dir.path().join(name);

    // GeoPackage, FlatGeobuf (GDAL's writer, Strata's own reader) and GML by ogr2ogr.
    for (driver, name) in [
        ("GPKG", "district.gpkg"),
        ("FlatGeobuf", "district.fgb"),
        ("GML", "district.gml"),
    ] {
        gdal_tool("ogr2ogr", &["-f", driver, s(&out(name)), s(&d.geojson)]);
        let ds = read(&[out(name)], &options());
        assert_same(driver, &reference, &ds);
    }

    // Shapefile: field names are cut to ten characters; a mapping restores them.
    gdal_tool(
        "ogr2ogr",
        &[
            "-f",
            "ESRI Shapefile",
            s(&out("district.shp")),
            s(&d.geojson),
        ],
    );
    let without = read_dataset(&[out("district.shp")], &options()).unwrap();
    assert!(without.units.iter().all(|u| u.parent_plot.is_none()));
    let mut shp = options();
    shp.mapping =
        FieldMapping::from_pairs("parent_plot=parent_plo, ground_elevation=ground_ele").unwrap();
    assert_same("Shapefile", &reference, &read(&[out("district.shp")], &shp));

    // CityJSON: each unit as a Solid, with the plots from GeoJSON.
    std::fs::write(out("district.city.json"), cityjson(&reference)).unwrap();
    let city = read(&[out("district.city.json"), d.plots.clone()], &options());
    assert_same("CityJSON", &reference, &city);

    // DXF, as CAD delivers it: closed polylines on a layer named by the unit code, with the
    // elevations and other fields in a mapping file.
    let (dxf, values) = dxf_polylines(&reference);
    std::fs::write(out("footprints.dxf"), dxf).unwrap();
    std::fs::write(out("mapping.json"), values.to_string()).unwrap();
    let mut cad = options();
    cad.mapping = FieldMapping::from_file(&out("mapping.json")).unwrap();
    let ds = read(&[out("footprints.dxf"), d.plots.clone()], &cad);
    assert_same("DXF polylines", &reference, &ds);

    // DXF 3D faces: every unit a closed polyhedron; the parent plots from the same mapping
    // file (its elevations are not needed, and not used, for solids).
    std::fs::write(out("solids.dxf"), dxf_faces(&reference)).unwrap();
    let ds = read(&[out("solids.dxf"), d.plots.clone()], &cad);
    assert_same("DXF 3D faces", &reference, &ds);
}

/// The dataset as CityJSON 2.0 (no `transform`: coordinates as they are).
fn cityjson(ds: &Dataset) -> String {
    let mut vertices: Vec<[f64; 3]> = Vec::new();
    let mut objects = serde_json::Map::new();
    for u in &ds.units {
        let mut solids = Vec::new();
        for p in u.volume.to_polyhedra() {
            let base = vertices.len();
            vertices.extend(p.vertices.iter().map(|v| [v.x, v.y, v.z]));
            let shells: Vec<Value> = p
                .shells
                .iter()
                .map(|sh| {
                    json!(
                        sh.faces
                            .iter()
                            .map(|f| f
                                .rings
                                .iter()
                                .map(|r| r.iter().map(|i| i + base).collect::<Vec<_>>())
                                .collect::<Vec<_>>())
                            .collect::<Vec<_>>()
                    )
                })
                .collect();
            solids.push(shells);
        }
        assert_eq!(solids.len(), 1, "one part per generated unit");
        objects.insert(
            u.key.clone(),
            json!({
                "type": "GenericCityObject",
                "attributes": {"unit_code": u.key, "parent_plot": u.parent_plot},
                "geometry": [{"type": "Solid", "lod": "1", "boundaries": solids[0]}]
            }),
        );
    }
    json!({
        "type": "CityJSON",
        "version": "2.0",
        "metadata": {"referenceSystem": "https://www.opengis.net/def/crs/EPSG/0/4548"},
        "CityObjects": objects,
        "vertices": vertices
    })
    .to_string()
}

fn dxf_entities(body: &str) -> String {
    format!("0\nSECTION\n2\nENTITIES\n{body}0\nENDSEC\n0\nEOF\n")
}

/// Closed LWPOLYLINEs, one per unit on the unit code's layer, and the mapping file that gives
/// their elevations and parent plots.
fn dxf_polylines(ds: &Dataset) -> (String, Value) {
    let mut body = String::new();
    let mut values = serde_json::Map::new();
    for u in &ds.units {
        let fp = u.volume.footprint();
        let ring = &fp.0[0].exterior().0;
        let n = ring.len() - 1;
        write!(body, "0\nLWPOLYLINE\n8\n{}\n90\n{n}\n70\n1\n", u.key).unwrap();
        for c in &ring[..n] {
            write!(body, "10\n{}\n20\n{}\n", c.x, c.y).unwrap();
        }
        let b = u.volume.bbox();
        values.insert(
            u.key.clone(),
            json!({"z_bottom": b.min.z, "z_top": b.max.z, "parent_plot": u.parent_plot}),
        );
    }
    (dxf_entities(&body), json!({"values": values}))
}

/// 3DFACEs (triangles and quadrilaterals), every unit's faces on its layer.
fn dxf_faces(ds: &Dataset) -> String {
    let mut body = String::new();
    for u in &ds.units {
        for p in u.volume.to_polyhedra() {
            for f in p.shells.iter().flat_map(|sh| &sh.faces) {
                assert_eq!(f.rings.len(), 1, "generated faces have no holes");
                let r = &f.rings[0];
                // A fan of triangles, or the quadrilateral itself (generated faces are convex).
                let pieces: Vec<Vec<usize>> = if r.len() <= 4 {
                    vec![r.clone()]
                } else {
                    (1..r.len() - 1)
                        .map(|i| vec![r[0], r[i], r[i + 1]])
                        .collect()
                };
                for piece in pieces {
                    write!(body, "0\n3DFACE\n8\n{}\n", u.key).unwrap();
                    for k in 0..4 {
                        let v = p.vertices[piece[k.min(piece.len() - 1)]];
                        write!(body, "1{k}\n{}\n2{k}\n{}\n3{k}\n{}\n", v.x, v.y, v.z).unwrap();
                    }
                }
            }
        }
    }
    dxf_entities(&body)
}

#[test]
fn an_open_polyline_in_a_dxf_is_refused_with_its_layer_and_feature() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("open.dxf");
    let body = "0\nLWPOLYLINE\n8\n110112003005GX00009W00000000\n90\n4\n70\n0\n\
                10\n474281.0\n20\n4418993.0\n10\n474351.0\n20\n4418993.0\n\
                10\n474351.0\n20\n4419053.0\n10\n474281.0\n20\n4418996.0\n";
    std::fs::write(&path, dxf_entities(body)).unwrap();
    let e = read_dataset(std::slice::from_ref(&path), &options()).unwrap_err();
    let ImportError::Field {
        path: p,
        feature,
        field,
        message,
    } = &e
    else {
        panic!("{e}")
    };
    assert_eq!(p, &path);
    assert!(
        feature
            .to_string()
            .starts_with("layer \"entities\" feature"),
        "{feature}"
    );
    assert_eq!(field, "geometry");
    assert!(
        message.contains("the polyline is open (its ends are 3.000 m apart)"),
        "{message}"
    );
    // With an entity handle (group code 5), the error names the entity as CAD shows it.
    let with_handle = dir.path().join("open-with-handle.dxf");
    std::fs::write(
        &with_handle,
        dxf_entities(&body.replacen("LWPOLYLINE\n", "LWPOLYLINE\n5\n2A7\n", 1)),
    )
    .unwrap();
    let e = read_dataset(std::slice::from_ref(&with_handle), &options()).unwrap_err();
    assert!(
        e.to_string()
            .contains("entity 2A7 on layer \"110112003005GX00009W00000000\": field `geometry`"),
        "{e}"
    );
}

#[test]
fn a_geopackage_written_by_strata_opens_in_ogrinfo_as_described() {
    let d = district_files();
    let ds = read(std::slice::from_ref(&d.geojson), &options());
    let out = d.dir.path().join("export.gpkg");
    strata::export::gpkg::write_gpkg(&ds, &out).unwrap();

    let listing = gdal_tool("ogrinfo", &["-ro", "-q", s(&out)]);
    let layers: Vec<&str> = listing
        .lines()
        .filter_map(|l| l.split_once(": ").map(|(_, r)| r))
        .map(|r| r.split(" (").next().unwrap())
        .collect();
    let strata_present = |s: strata::model::Stratum| ds.units.iter().any(|u| u.stratum == Some(s));
    use strata::model::Stratum::*;
    let mut expected: Vec<&str> = [
        ("units_surface", Surface),
        ("units_above", Above),
        ("units_under", Under),
    ]
    .into_iter()
    .filter(|(_, s)| strata_present(*s))
    .map(|(n, _)| n)
    .collect();
    expected.extend(["units_3d", "plots"]);
    assert_eq!(layers, expected, "{listing}");

    let mut footprints = 0;
    for layer in &expected {
        let info = gdal_tool("ogrinfo", &["-ro", "-so", s(&out), layer]);
        let count: usize = info
            .lines()
            .find_map(|l| l.strip_prefix("Feature Count: "))
            .unwrap()
            .parse()
            .unwrap();
        assert!(info.contains("ID[\"EPSG\",4548]"), "{layer}: {info}");
        match *layer {
            "units_3d" => {
                assert_eq!(count, ds.units.len());
                assert!(info.contains("Geometry: 3D Multi Polygon"), "{info}");
            }
            "plots" => {
                assert_eq!(count, ds.plots.len());
                assert!(info.contains("plot_id: String"), "{info}");
            }
            _ => {
                footprints += count;
                for field in [
                    "unit_code: String",
                    "z_bottom: Real",
                    "z_top: Real",
                    "volume_m3: Real",
                    "height_datum: String",
                ] {
                    assert!(info.contains(field), "{layer} lacks {field}: {info}");
                }
            }
        }
    }
    assert_eq!(footprints, ds.units.len());

    // Attribute values, against the dataset: the first underground unit.
    let u = ds.units.iter().find(|u| u.stratum == Some(Under)).unwrap();
    let sql = format!("SELECT * FROM units_under WHERE unit_code = '{}'", u.key);
    let feature = gdal_tool("ogrinfo", &["-ro", "-q", s(&out), "-sql", &sql]);
    let field = |name: &str| -> f64 {
        let line = feature
            .lines()
            .find(|l| l.trim_start().starts_with(&format!("{name} (Real) = ")))
            .unwrap_or_else(|| panic!("{name}: {feature}"));
        line.rsplit(" = ").next().unwrap().parse().unwrap()
    };
    assert!(close(field("volume_m3"), u.volume.volume_m3()));
    assert!(close(field("z_bottom"), u.volume.bbox().min.z));
    assert!(
        feature.contains("height_datum (String) = EPSG:5737"),
        "{feature}"
    );
}

#[test]
fn longitude_latitude_is_reprojected_into_its_gauss_kruger_zone() {
    // A 40 m × 30 m underground unit written in WGS 84 degrees (RFC 7946 GeoJSON, no `crs`),
    // its corners computed from a square in EPSG:4548 by `gdaltransform`.
    let dir = tempfile::tempdir().unwrap();
    let corners = [
        (474_300.0, 4_419_000.0),
        (474_340.0, 4_419_000.0),
        (474_340.0, 4_419_030.0),
        (474_300.0, 4_419_030.0),
    ];
    let input: String = corners.iter().map(|(x, y)| format!("{x} {y}\n")).collect();
    let path_in = dir.path().join("corners.txt");
    std::fs::write(&path_in, &input).unwrap();
    let lonlat = Command::new("gdaltransform")
        .args(["-s_srs", "EPSG:4548", "-t_srs", "EPSG:4326", "-output_xy"])
        .stdin(std::fs::File::open(&path_in).unwrap())
        .output()
        .expect("gdaltransform (gdal-bin)");
    let mut ring: Vec<Value> = String::from_utf8(lonlat.stdout)
        .unwrap()
        .lines()
        .map(|l| {
            let v: Vec<f64> = l.split_whitespace().map(|t| t.parse().unwrap()).collect();
            json!([v[0], v[1]])
        })
        .collect();
    assert_eq!(ring.len(), 4);
    ring.push(ring[0].clone());
    let file = dir.path().join("lonlat.geojson");
    std::fs::write(
        &file,
        json!({"type": "FeatureCollection", "features": [{"type": "Feature",
            "properties": {"unit_code": "110112003005GX00001W00000000", "z_bottom": 11.5, "z_top": 17.5, "height_datum": "EPSG:5737"},
            "geometry": {"type": "Polygon", "coordinates": [ring]}}]})
        .to_string(),
    )
    .unwrap();

    // Without a reprojection, degrees are refused.
    let e = read_dataset(std::slice::from_ref(&file), &ImportOptions::default()).unwrap_err();
    assert!(e.to_string().contains("no CRS"), "{e}");

    for target in [HorizontalTarget::Auto, HorizontalTarget::Epsg(4548)] {
        let opts = ImportOptions {
            reproject: Some(target),
            ..ImportOptions::default()
        };
        let ds = read(std::slice::from_ref(&file), &opts);
        assert_eq!(ds.frame.crs.map(|c| c.epsg), Some(4548), "{target:?}");
        let u = &ds.units[0];
        // 40 × 30 × 6 m; the round trip through degrees keeps the corners to a millimetre.
        assert!(
            (u.volume.volume_m3() - 7200.0).abs() < 1.0,
            "{}",
            u.volume.volume_m3()
        );
        let b = u.volume.bbox();
        assert!(
            (b.min.x - 474_300.0).abs() < 0.001 && (b.max.y - 4_419_030.0).abs() < 0.001,
            "{b:?}"
        );
        assert_eq!(
            (b.min.z, b.max.z),
            (11.5, 17.5),
            "heights are never reprojected"
        );
    }

    // Into another CGCS2000 zone (CM 114E): a different but equally valid frame.
    let ds = read(
        std::slice::from_ref(&file),
        &ImportOptions {
            reproject: Some(HorizontalTarget::Epsg(4547)),
            ..ImportOptions::default()
        },
    );
    assert_eq!(ds.frame.crs.map(|c| c.epsg), Some(4547));
    // Scale differs 3° off the central meridian (k ≈ 1 + (Δx/R)²/2 ≈ 1.0006): area grows ≈ 0.12 %.
    let v = ds.units[0].volume.volume_m3();
    assert!(v > 7200.0 * 1.0008 && v < 7200.0 * 1.0016, "{v}");
}

#[test]
fn mixed_height_datums_are_joined_only_by_an_explicit_offset() {
    let dir = tempfile::tempdir().unwrap();
    let write = |name: &str, datum: &str, code: &str, x: f64| {
        let p = dir.path().join(name);
        std::fs::write(
            &p,
            json!({"type": "FeatureCollection",
                "crs": {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::4548"}},
                "height_datum": datum,
                "features": [{"type": "Feature",
                    "properties": {"unit_code": code, "z_bottom": 10.0, "z_top": 14.0},
                    "geometry": {"type": "Polygon", "coordinates": [[[x, 4419000.0], [x + 10.0, 4419000.0], [x + 10.0, 4419010.0], [x, 4419010.0], [x, 4419000.0]]]}}]})
            .to_string(),
        )
        .unwrap();
        p
    };
    let a = write(
        "a.geojson",
        "EPSG:5737",
        "110112003005GX00001W00000000",
        474_300.0,
    );
    let b = write(
        "b.geojson",
        "EPSG:5736",
        "110112003005GX00002W00000000",
        474_320.0,
    );
    let ds = read_dataset(&[a.clone(), b.clone()], &ImportOptions::default()).unwrap();
    assert!(
        ds.findings
            .iter()
            .any(|f| f.code == strata::validate::Code::HeightDatumConflict),
        "{:?}",
        ds.findings
    );
    let opts = ImportOptions {
        height_datum: Some("EPSG:5737".into()),
        height_offsets: vec![HeightOffset::parse("EPSG:5736=-0.029").unwrap()],
        ..ImportOptions::default()
    };
    let ds = read(&[a, b], &opts);
    assert_eq!(
        ds.frame.height_datum,
        Some(strata::model::HeightDatum::Epsg(5737))
    );
    let z = |code: &str| {
        let u = ds.units.iter().find(|u| u.key.ends_with(code)).unwrap();
        let b = u.volume.bbox();
        (b.min.z, b.max.z)
    };
    assert_eq!(z("GX00001W00000000"), (10.0, 14.0));
    let (lo, hi) = z("GX00002W00000000");
    assert!(
        (lo - 9.971).abs() < 1e-12 && (hi - 13.971).abs() < 1e-12,
        "{lo} {hi}"
    );
}

/// The LADM tables of the demo's Wengcheng register, as GDAL reads them: nine layers, the
/// spatial units as 3D multipolygons in the register's CRS, the relationships the 六至
/// table gives (the surface layer over the two underground ones).
#[test]
fn the_ladm_tables_open_in_ogrinfo() {
    let dir = tempfile::tempdir().unwrap();
    let strata = || assert_cmd::Command::cargo_bin("strata").unwrap();
    let data = Path::new(env!("CARGO_MANIFEST_DIR")).join("data");
    strata()
        .args(["demo", "--data"])
        .arg(&data)
        .arg("--out")
        .arg(dir.path())
        .assert()
        .success();
    let out = dir.path().join("ladm.gpkg");
    strata()
        .args(["register", "export"])
        .arg(dir.path().join("register-tongzhou.gpkg"))
        .arg("--out")
        .arg(&out)
        .assert()
        .success();
    let s = |p: &Path| p.to_str().unwrap().to_string();
    let listing = gdal_tool("ogrinfo", &["-ro", "-q", &s(&out)]);
    assert!(
        listing.contains("la_spatialunit (3D Multi Polygon)"),
        "{listing}"
    );
    assert_eq!(
        listing.lines().filter(|l| l.contains(": la_")).count(),
        9,
        "{listing}"
    );
    let info = gdal_tool("ogrinfo", &["-ro", "-so", &s(&out), "la_spatialunit"]);
    assert!(
        info.contains("Feature Count: 4") && info.contains("CGCS2000"),
        "{info}"
    );
    let sql = "SELECT su2, shared_area_m2 FROM la_requiredrelationshipspatialunit \
               WHERE su1 = '110112003005GB00001W00000000' AND relationship = 'above' ORDER BY su2";
    let rel = gdal_tool("ogrinfo", &["-ro", "-q", &s(&out), "-sql", sql]);
    assert!(rel.contains("shared_area_m2 (Real) = 4200"), "{rel}");
    assert!(rel.contains("shared_area_m2 (Real) = 3600"), "{rel}");
}
