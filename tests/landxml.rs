//! LandXML 1.2 import: volumes against hand-worked figures (a box by its faces and by its
//! limits, a wedge-shaped ramp), the surveying order of coordinates, 2D parcels as plots, and
//! bad files refused with the file, parcel and point named.

use std::path::{Path, PathBuf};

use geo::{Area, BoundingRect};
use serde_json::{Value, json};
use strata::geometry::algorithm::SolidVolume;
use strata::geometry::{Part, Polyhedron};
use strata::io::ImportError;
use strata::io::landxml::{LandXmlFile, is_landxml, parse_landxml, read_landxml};
use strata::io::profile::RawPart;
use strata::validate::{Code, Tolerances, validate_polyhedron, validate_prism};

fn data(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data/landxml")
        .join(name)
}

fn read(name: &str) -> Result<(LandXmlFile, Vec<RawPart>), ImportError> {
    let mut parts = Vec::new();
    let file = read_landxml(&data(name), &mut |p| parts.push(p))?;
    Ok((file, parts))
}

fn read_text(text: &str) -> Result<(LandXmlFile, Vec<RawPart>), ImportError> {
    let mut parts = Vec::new();
    let file = parse_landxml(Path::new("inline.xml"), text.as_bytes(), &mut |p| {
        parts.push(p)
    })?;
    Ok((file, parts))
}

fn error(name: &str) -> String {
    match read(name) {
        Ok(_) => panic!("{name} was read"),
        Err(e) => e.to_string(),
    }
}

fn text_error(text: &str) -> String {
    match read_text(text) {
        Ok(_) => panic!("the file was read"),
        Err(e) => e.to_string(),
    }
}

fn polyhedron(p: &RawPart) -> &Polyhedron {
    match p.parts.as_slice() {
        [Part::Polyhedron(ph)] => ph,
        other => panic!("{}: expected one polyhedron, found {other:?}", p.feature),
    }
}

/// The findings of Strata's own validation for a part.
fn validate(p: &Part) -> Vec<Code> {
    let tol = Tolerances::default();
    let findings = match p {
        Part::Prism(x) => validate_prism(x, &tol),
        Part::Polyhedron(x) => validate_polyhedron(x, &tol),
    };
    findings.iter().map(|f| f.code).collect()
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() < 1e-6
}

/// A file around `points` and `parcels`, in metres, EPSG:4548.
fn landxml(points: &str, parcels: &str) -> String {
    format!(
        r#"<?xml version="1.0" encoding="UTF-8"?>
<LandXML xmlns="http://www.landxml.org/schema/LandXML-1.2" version="1.2">
  <Units><Metric linearUnit="meter"/></Units>
  <CoordinateSystem epsgCode="4548"/>
  <CgPoints>{points}</CgPoints>
  <Parcels>{parcels}</Parcels>
</LandXML>"#
    )
}

const SQUARE_POINTS: &str = r#"
    <CgPoint name="1">4419000 474300</CgPoint>
    <CgPoint name="2">4419000 474310</CgPoint>
    <CgPoint name="3">4419010 474310</CgPoint>
    <CgPoint name="4">4419010 474300</CgPoint>"#;

const SQUARE_LINES: &str = r#"
      <CoordGeom>
        <Line><Start pntRef="1"/><End pntRef="2"/></Line>
        <Line><Start pntRef="2"/><End pntRef="3"/></Line>
        <Line><Start pntRef="3"/><End pntRef="4"/></Line>
        <Line><Start pntRef="4"/><End pntRef="1"/></Line>
      </CoordGeom>"#;

#[test]
fn a_box_given_by_six_faces_has_the_volume_length_times_width_times_height() {
    let (file, parts) = read("box_faces.xml").unwrap();
    assert_eq!(file.crs, Some(4548));
    assert_eq!(file.height_datum.as_deref(), Some("EPSG:5737"));
    assert!(file.plots.is_empty());
    assert_eq!(parts.len(), 1, "the face parcels are not units");
    let p = &parts[0];
    assert_eq!(p.feature.to_string(), "Parcel \"GX-1\"");
    assert_eq!(p.file, data("box_faces.xml"));
    assert_eq!(p.code_text.as_deref(), Some("110112003005GX00001W00000000"));
    assert!(p.findings.is_empty(), "{:?}", p.findings);
    let ph = polyhedron(p);
    assert_eq!(ph.vertices.len(), 8);
    assert_eq!(ph.shells.len(), 1);
    assert_eq!(ph.face_count(), 6);
    // 30 m east, 12 m north, 3.5 m to 11.5 m.
    let expected = 30.0 * 12.0 * 8.0;
    assert!(close(ph.volume_m3(), expected), "{}", ph.volume_m3());
    assert!(close(ph.shell_signed_volume(&ph.shells[0]), expected));
    assert_eq!(validate(&p.parts[0]), vec![], "a valid solid");
    let b = ph.aabb();
    assert!(close(b.min.x, 474_300.0) && close(b.max.x, 474_330.0));
    assert!(close(b.min.y, 4_419_000.0) && close(b.max.y, 4_419_012.0));
    assert!(close(b.min.z, 3.5) && close(b.max.z, 11.5));
    // Model fields and extras.
    let pr = &p.properties;
    assert_eq!(pr["unit_code"], json!("110112003005GX00001W00000000"));
    assert_eq!(pr["stratum"], json!("under"));
    assert_eq!(pr["term_years"], json!(40));
    assert_eq!(
        pr["name"],
        json!("GX-1"),
        "the parcel name when no name is given"
    );
    assert_eq!(pr["note"], json!("Underground commercial, B1"), "desc");
    assert_eq!(pr["class"], json!("Lot"));
    assert_eq!(pr["floor_area_m2"], json!(360.0));
    assert_eq!(
        pr["sixto"],
        json!({"up": "up to elevation 11.50 m", "down": "down to elevation 3.50 m"})
    );
    assert_eq!(
        pr["sixto_units"],
        json!({"up": ["110112003005GB00001W00000000"], "down": []})
    );
    let e = file.extent.unwrap();
    assert_eq!(e.min, [474_300.0, 4_419_000.0]);
    assert_eq!(e.max, [474_330.0, 4_419_012.0]);
}

#[test]
fn the_same_box_as_footprint_and_limits_has_the_same_volume() {
    let (file, parts) = read("box_limits.xml").unwrap();
    assert_eq!(file.crs, Some(4548), "epsgCode=\"EPSG:4548\"");
    assert_eq!(file.height_datum.as_deref(), Some("EPSG:5737"));
    assert_eq!(parts.len(), 1);
    let p = &parts[0];
    assert!(p.findings.is_empty(), "{:?}", p.findings);
    let [Part::Prism(prism)] = p.parts.as_slice() else {
        panic!("expected one prism: {:?}", p.parts)
    };
    assert_eq!((prism.z_bottom, prism.z_top), (3.5, 11.5));
    assert!(close(prism.footprint_area(), 30.0 * 12.0));
    assert!(close(p.parts[0].volume_m3(), 30.0 * 12.0 * 8.0));
    let (_, faces) = read("box_faces.xml").unwrap();
    assert!(close(
        p.parts[0].volume_m3(),
        polyhedron(&faces[0]).volume_m3()
    ));
    assert_eq!(p.properties["z_bottom"], json!(3.5));
    assert_eq!(p.properties["z_top"], json!(11.5));
    assert!(!p.properties.contains_key("lowerLimit"));
    assert!(!p.properties.contains_key("upperLimit"));
}

#[test]
fn a_ramp_given_by_inward_faces_is_read_as_written_and_validation_reports_it() {
    let (_, parts) = read("ramp_faces.xml").unwrap();
    assert_eq!(parts.len(), 1);
    let ph = polyhedron(&parts[0]);
    // Coordinates and the alias E2 are the same points as the named ones.
    assert_eq!(ph.vertices.len(), 6);
    assert_eq!(ph.face_count(), 5);
    // A wedge 20 m long, 4 m high at its east end, 6 m wide: half of 20 x 4 x 6.
    let expected = 0.5 * 20.0 * 4.0 * 6.0;
    assert!(close(ph.volume_m3(), expected), "{}", ph.volume_m3());
    // The reader reads: the faces keep the direction the file gives them (inward), and
    // validation says so (405); nothing is turned silently.
    assert!(
        close(ph.shell_signed_volume(&ph.shells[0]), -expected),
        "the shell points inward, as written"
    );
    assert_eq!(parts[0].properties["use"], json!("vehicle ramp"));
    assert_eq!(
        validate(&parts[0].parts[0]),
        vec![Code::WrongOrientationShell]
    );
}

#[test]
fn faces_oriented_inconsistently_are_left_as_they_are() {
    // The box with its top face reversed: validation reports it, the reader does not fix it.
    let text = std::fs::read_to_string(data("box_faces.xml")).unwrap();
    let flipped = text.replace(
        r#"<Line><Start pntRef="T1"/><End pntRef="T2"/></Line>
            <Line><Start pntRef="T2"/><End pntRef="T3"/></Line>
            <Line><Start pntRef="T3"/><End pntRef="T4"/></Line>
            <Line><Start pntRef="T4"/><End pntRef="T1"/></Line>"#,
        r#"<Line><Start pntRef="T1"/><End pntRef="T4"/></Line>
            <Line><Start pntRef="T4"/><End pntRef="T3"/></Line>
            <Line><Start pntRef="T3"/><End pntRef="T2"/></Line>
            <Line><Start pntRef="T2"/><End pntRef="T1"/></Line>"#,
    );
    assert_ne!(text, flipped);
    let (_, parts) = read_text(&flipped).unwrap();
    let ph = polyhedron(&parts[0]);
    let top = &ph.shells[0].faces[1].rings[0];
    let z: Vec<f64> = top.iter().map(|&i| ph.vertices[i].z).collect();
    assert_eq!(z, vec![11.5; 4]);
    assert!(
        validate(&parts[0].parts[0]).contains(&Code::PolygonWrongOrientation),
        "{:?}",
        validate(&parts[0].parts[0])
    );
    // Its normal points down (into the box), as written.
    assert!(ph.face_normal(&ph.shells[0].faces[1]).z < 0.0);
    // The bottom face keeps its outward (downward) normal too: nothing was reversed.
    assert!(ph.face_normal(&ph.shells[0].faces[0]).z < 0.0);
}

#[test]
fn northing_easting_order_gives_x_easting_and_y_northing() {
    let (file, parts) = read("plot.xml").unwrap();
    assert!(parts.is_empty());
    let plot = &file.plots[0];
    let r = plot.footprint.bounding_rect().unwrap();
    // The plot is 100 m east-west and 60 m north-south.
    assert_eq!((r.min().x, r.max().x), (474_300.0, 474_400.0));
    assert_eq!((r.min().y, r.max().y), (4_419_000.0, 4_419_060.0));
    let e = file.extent.unwrap();
    assert_eq!(
        e.min,
        [474_300.0, 4_419_000.0],
        "the unused point is not in the extent"
    );
    assert_eq!(e.max, [474_400.0, 4_419_060.0]);
}

#[test]
fn a_2d_parcel_is_read_as_a_plot() {
    let (file, parts) = read("plot.xml").unwrap();
    assert!(parts.is_empty());
    assert_eq!(file.crs, Some(4548));
    assert_eq!(file.height_datum, None);
    assert_eq!(file.plots.len(), 1);
    let plot = &file.plots[0];
    assert_eq!(plot.id, "P1");
    assert_eq!(plot.name.as_deref(), Some("Example plot"), "desc");
    assert_eq!(plot.land_use.as_deref(), Some("G1 park green space"));
    assert_eq!(plot.ground_elevation, Some(20.0));
    assert!(plot.green_space);
    assert!(close(plot.footprint.unsigned_area(), 100.0 * 60.0));
    assert_eq!(plot.file, data("plot.xml"));
}

#[test]
fn a_parcel_missing_a_face_is_read_and_validation_reports_the_open_shell() {
    let (_, parts) = read("missing_face.xml").unwrap();
    assert_eq!(parts[0].feature.to_string(), "Parcel \"GX-1\"");
    // The west face is missing: the shell is open (302), a finding of validation.
    assert_eq!(validate(&parts[0].parts[0]), vec![Code::ShellNotClosed]);
}

#[test]
fn a_dangling_face_reference_is_refused() {
    let e = error("dangling_face_ref.xml");
    assert!(e.contains("dangling_face_ref.xml"), "{e}");
    assert!(e.contains("Parcel \"GX-1\""), "{e}");
    assert!(e.contains("\"GX-1-wset\" names no parcel"), "{e}");
}

#[test]
fn units_other_than_metres_are_refused() {
    let e = error("feet.xml");
    assert!(e.contains("feet.xml"), "{e}");
    assert!(e.contains("USSurveyFoot") && e.contains("metres"), "{e}");
    let mm =
        landxml(SQUARE_POINTS, "").replace("linearUnit=\"meter\"", "linearUnit=\"millimeter\"");
    let e = text_error(&mm);
    assert!(e.contains("millimeter") && e.contains("metres"), "{e}");
    let none =
        landxml(SQUARE_POINTS, "").replace("<Units><Metric linearUnit=\"meter\"/></Units>", "");
    assert!(text_error(&none).contains("Units"));
}

#[test]
fn a_truncated_file_is_refused_naming_the_file_and_the_line() {
    let e = error("truncated.xml");
    assert!(e.contains("truncated.xml"), "{e}");
    assert!(e.contains("line 53"), "{e}");
    // A syntax error in the middle of a file is reported where it is.
    let bad = landxml(SQUARE_POINTS, "<Parcel name=\"x\"></Parcle>");
    let e = text_error(&bad);
    assert!(e.contains("inline.xml") && e.contains("line 10"), "{e}");
}

#[test]
fn a_missing_limit_is_the_finding_elevation_missing() {
    let (_, parts) = read("missing_limit.xml").unwrap();
    assert_eq!(parts.len(), 1);
    let p = &parts[0];
    assert!(p.parts.is_empty(), "no prism without both limits");
    assert_eq!(p.findings.len(), 1, "{:?}", p.findings);
    let f = &p.findings[0];
    assert_eq!(f.code, Code::ElevationMissing);
    assert_eq!(
        f.location
            .feature
            .as_ref()
            .map(ToString::to_string)
            .as_deref(),
        Some("Parcel \"GX-9\"")
    );
    assert!(f.location.field.as_deref().unwrap().contains("upperLimit"));
    assert!(f.message.contains("upperLimit"));
}

#[test]
fn limits_are_read_from_attributes_and_a_bad_limit_is_a_finding() {
    let parcel = format!(
        r#"<Parcel name="U1" parcelFormat="Volumetric" lowerLimit="-8.5" upperLimit="-0.5">{SQUARE_LINES}
      <Feature><Property label="unit_code" value="110112003005GX00001W00000000"/></Feature>
    </Parcel>
    <Parcel name="U2" parcelFormat="Volumetric" lowerLimit="-8.5" upperLimit="top">{SQUARE_LINES}</Parcel>"#
    );
    let (_, parts) = read_text(&landxml(SQUARE_POINTS, &parcel)).unwrap();
    assert!(close(parts[0].parts[0].volume_m3(), 10.0 * 10.0 * 8.0));
    assert!(parts[0].findings.is_empty());
    let codes: Vec<Code> = parts[1].findings.iter().map(|f| f.code).collect();
    assert_eq!(codes, vec![Code::UnitCodeMissing, Code::ElevationMissing]);
    assert!(parts[1].findings[1].message.contains("\"top\""));
    assert_eq!(parts[1].code_text, None);
}

#[test]
fn the_documented_example_reads_with_the_documented_figures() {
    let doc = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/formats/landxml.md"),
    )
    .unwrap();
    let example = std::fs::read_to_string(data("example.xml")).unwrap();
    assert!(
        doc.contains(&example),
        "docs/formats/landxml.md must hold tests/data/landxml/example.xml verbatim"
    );
    let (file, parts) = read("example.xml").unwrap();
    assert_eq!(file.crs, Some(4548));
    assert_eq!(file.plots.len(), 1);
    assert!(close(file.plots[0].footprint.unsigned_area(), 6000.0));
    assert_eq!(parts.len(), 2);
    assert!(parts.iter().all(|p| p.findings.is_empty()));
    for p in &parts {
        assert_eq!(validate(&p.parts[0]), vec![], "{}", p.feature);
    }
    assert!(close(parts[0].parts[0].volume_m3(), 40.0 * 30.0 * 5.0));
    assert!(close(parts[1].parts[0].volume_m3(), 0.5 * 20.0 * 5.0 * 6.0));
    assert_eq!(parts[0].properties["level"], json!("B1"));
    assert_eq!(parts[0].properties["name"], json!("Underground commercial"));
    assert_eq!(parts[0].properties["sixto"].as_object().unwrap().len(), 6);
    assert_eq!(
        parts[0].properties["sixto_units"],
        json!({"east": ["110112003005GX00102W00000000"], "up": []})
    );
    assert_eq!(parts[0].properties["term_start"], json!("2024-07-01"));
    assert_eq!(
        parts[0].properties["survey_result_code"],
        json!("DCJG-110112-2024-0101")
    );
    assert_eq!(parts[1].properties["note"], json!("Vehicle ramp"));
}

#[test]
fn sniffing_finds_landxml_by_its_root_element() {
    for name in ["example.xml", "box_faces.xml", "feet.xml", "truncated.xml"] {
        let bytes = std::fs::read(data(name)).unwrap();
        assert!(is_landxml(&bytes[..bytes.len().min(1024)]), "{name}");
    }
    assert!(!is_landxml(
        br#"{"type": "FeatureCollection", "features": []}"#
    ));
    assert!(!is_landxml(b"<?xml version=\"1.0\"?>\n<CityModel/>"));
    let e = text_error("<?xml version=\"1.0\"?>\n<CityModel/>");
    assert!(e.contains("not LandXML"), "{e}");
}

#[test]
fn bad_points_are_refused_naming_the_point_and_the_parcel() {
    let parcel = format!(r#"<Parcel name="P9">{SQUARE_LINES}</Parcel>"#);
    let dup = format!("{SQUARE_POINTS}<CgPoint name=\"3\">1 2</CgPoint>");
    let e = text_error(&landxml(&dup, &parcel));
    assert!(
        e.contains("CgPoint \"3\"") && e.contains("used twice"),
        "{e}"
    );
    for (bad, what) in [
        ("NaN 474310", "northing"),
        ("4419000 inf", "easting"),
        ("4419000 x", "easting"),
    ] {
        let pts = SQUARE_POINTS.replace("4419000 474310", bad);
        let e = text_error(&landxml(&pts, &parcel));
        assert!(
            e.contains("Parcel \"P9\"") && e.contains("CgPoint \"2\""),
            "{e}"
        );
        assert!(e.contains(what), "{e}");
    }
    let pts = SQUARE_POINTS.replace("name=\"4\"", "name=\"four\"");
    let e = text_error(&landxml(&pts, &parcel));
    assert!(
        e.contains("Parcel \"P9\"") && e.contains("\"4\" is not in <CgPoints>"),
        "{e}"
    );
}

#[test]
fn arcs_open_rings_and_unknown_formats_are_refused_naming_the_parcel() {
    let arc = r#"<Parcel name="ARC"><CoordGeom>
        <Line><Start pntRef="1"/><End pntRef="2"/></Line>
        <Curve rot="ccw" radius="5"><Start pntRef="2"/><Center pntRef="3"/><End pntRef="4"/></Curve>
      </CoordGeom></Parcel>"#;
    let e = text_error(&landxml(SQUARE_POINTS, arc));
    assert!(e.contains("Parcel \"ARC\"") && e.contains("Curve"), "{e}");
    let open = r#"<Parcel name="OPEN"><CoordGeom>
        <Line><Start pntRef="1"/><End pntRef="2"/></Line>
        <Line><Start pntRef="2"/><End pntRef="3"/></Line>
      </CoordGeom></Parcel>"#;
    let e = text_error(&landxml(SQUARE_POINTS, open));
    assert!(
        e.contains("Parcel \"OPEN\"") && e.contains("do not close"),
        "{e}"
    );
    let fmt = format!(r#"<Parcel name="S" parcelFormat="Stratum">{SQUARE_LINES}</Parcel>"#);
    let e = text_error(&landxml(SQUARE_POINTS, &fmt));
    assert!(e.contains("Parcel \"S\"") && e.contains("Stratum"), "{e}");
    let flat = format!(r#"<Parcel name="F" upperLimit="3">{SQUARE_LINES}</Parcel>"#);
    let e = text_error(&landxml(SQUARE_POINTS, &flat));
    assert!(e.contains("Volumetric"), "{e}");
    let flat_face = r#"<Parcel name="V" parcelFormat="Volumetric"><Parcels>
        <Parcel name="f" class="Face"><CoordGeom>
          <Line><Start pntRef="1"/><End pntRef="2"/></Line>
          <Line><Start pntRef="2"/><End pntRef="3"/></Line>
          <Line><Start pntRef="3"/><End pntRef="1"/></Line>
        </CoordGeom></Parcel></Parcels></Parcel>"#;
    let e = text_error(&landxml(SQUARE_POINTS, flat_face));
    assert!(
        e.contains("Parcel \"V\"") && e.contains("no elevation"),
        "{e}"
    );
}

#[test]
fn oversized_files_are_refused_before_they_are_read() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("huge.xml");
    let f = std::fs::File::create(&p).unwrap();
    f.set_len(513 * 1024 * 1024).unwrap();
    let e = read_landxml(&p, &mut |_| {}).unwrap_err().to_string();
    assert!(e.contains("huge.xml") && e.contains("512 MiB"), "{e}");
}

#[test]
fn no_input_makes_the_reader_panic() {
    // Every prefix (in steps) and many one-byte corruptions of the example: an error or a
    // result, never a panic.
    let bytes = std::fs::read(data("example.xml")).unwrap();
    for cut in (0..bytes.len()).step_by(37) {
        let _ = parse_landxml(Path::new("cut.xml"), &bytes[..cut], &mut |_| {});
    }
    for i in (0..bytes.len()).step_by(13) {
        for b in [b'<', b'"', b'0', b'x', 0xFF, b' '] {
            let mut m = bytes.clone();
            m[i] = b;
            let _ = parse_landxml(Path::new("mutated.xml"), &m, &mut |_| {});
        }
    }
    // Property values of every kind keep their type rules.
    let (_, parts) = read("box_faces.xml").unwrap();
    assert!(matches!(parts[0].properties["holder"], Value::String(_)));
}
