//! The GeoJSON reader against hand-made files: its words for bad coordinates, members given
//! twice and syntax errors, where it places them, and what a pick passes over.

use std::path::Path;

use super::*;
use crate::io::mapping::FieldMapping;
use crate::io::sieve::Pick;

/// Reads `text` with `pick`; the error's words, or the unit features' ids and findings.
fn read_picked(text: &str, pick: &mut dyn FnMut(u64, u64) -> Pick) -> Result<Vec<String>, String> {
    let mut parts = Vec::new();
    let read = read_geojson_picked(
        Path::new("t.geojson"),
        text.as_bytes(),
        &FieldMapping::default(),
        pick,
        &mut |p| parts.push(p),
    );
    match read {
        Ok(Streamed::Profile(_)) => Ok(parts
            .iter()
            .map(|p| {
                let found: Vec<String> = p.findings.iter().map(|f| f.to_string()).collect();
                format!("{} {}", p.feature, found.join("; "))
                    .trim()
                    .to_string()
            })
            .collect()),
        Ok(Streamed::Other(d)) => Err(format!("{d:?}")),
        Err(e) => Err(e.to_string()),
    }
}

fn read(text: &str) -> Result<Vec<String>, String> {
    read_picked(text, &mut |_, _| Pick::Read)
}

/// A collection of unit features with these geometries (`id` 0, 1, …).
fn collection(geometries: &[&str]) -> String {
    let features: Vec<String> = geometries
        .iter()
        .enumerate()
        .map(|(i, g)| {
            format!(
                r#"{{"type": "Feature", "id": "{i}", "properties": {{"unit_code": "U{i}", "z_bottom": 0, "z_top": 3}}, "geometry": {g}}}"#
            )
        })
        .collect();
    format!(
        "{{\"type\": \"FeatureCollection\",\n\"features\": [\n{}\n]}}",
        features.join(",\n")
    )
}

fn polygon(coordinates: &str) -> String {
    format!(r#"{{"type": "Polygon", "coordinates": {coordinates}}}"#)
}

const SQUARE: &str = "[[[0, 0], [1, 0], [1, 1], [0, 0]]]";

#[test]
fn coordinates_that_are_not_positions_are_named_with_their_field() {
    let cases = [
        (
            polygon(r#"[[[0, 0], [1, "a"], [1, 1], [0, 0]]]"#),
            r#"field `geometry.coordinates[0][1]`: y is not a number: "a""#,
        ),
        (
            polygon(r#"[[[0, 0], [[1], 2], [0, 0]]]"#),
            "field `geometry.coordinates[0][1]`: x is not a number: [1]",
        ),
        (
            polygon("[[[0, 0], [1], [1, 1], [0, 0]]]"),
            "field `geometry.coordinates[0][1]`: a position needs x and y",
        ),
        (
            polygon("[[5]]"),
            "field `geometry.coordinates[0][0]`: a position must be an array [x, y]",
        ),
        (
            polygon("[[[0, 0], [1, 0], [1, 1], [0, 0]], 7]"),
            "field `geometry.coordinates[1]`: a ring must be an array of positions",
        ),
        (
            polygon("5"),
            "field `geometry.coordinates`: a polygon must be an array of rings",
        ),
        (
            format!(r#"{{"type": "MultiPolygon", "coordinates": [{SQUARE}, 7]}}"#),
            "field `geometry.coordinates[1]`: a polygon must be an array of rings",
        ),
        (
            r#"{"type": "MultiPolygon", "coordinates": {}}"#.into(),
            "field `geometry.coordinates`: a MultiPolygon needs an array of polygons",
        ),
        (
            r#"{"type": "Polygon"}"#.into(),
            "field `geometry.coordinates`: missing",
        ),
        (
            r#"{"coordinates": []}"#.into(),
            "field `geometry.type`: missing",
        ),
        ("[1, 2]".into(), "field `geometry.type`: missing"),
    ];
    for (geometry, words) in cases {
        let text = collection(&[&polygon(SQUARE), &geometry]);
        let e = read(&text).expect_err(&geometry);
        assert!(e.contains(words), "{geometry}: {e}");
        assert!(e.contains("feature 1 (\"1\")"), "{e}");
    }
}

#[test]
fn geometries_without_a_footprint_are_findings() {
    let open = polygon("[[[0, 0], [1, 0], [1, 1], [0, 1]]]");
    let point = r#"{"type": "Point", "coordinates": [1, 2]}"#;
    let empty = polygon("[]");
    let multi = format!(r#"{{"type": "MultiPolygon", "coordinates": [[], {SQUARE}]}}"#);
    let got = read(&collection(&[&open, point, &empty, "null", &multi])).unwrap();
    assert!(
        got[0].contains("geometry.coordinates[0]") && got[0].contains("RFC 7946"),
        "{}",
        got[0]
    );
    assert!(
        got[1].contains("a Point cannot hold a footprint"),
        "{}",
        got[1]
    );
    assert!(got[2].contains("the geometry is empty"), "{}", got[2]);
    assert!(got[3].contains("the feature has no geometry"), "{}", got[3]);
    assert_eq!(
        got[4], "feature 4 (\"4\")",
        "an empty polygon of a MultiPolygon is left out"
    );
}

#[test]
fn members_given_twice_are_named_with_their_object() {
    let cases = [
        (
            r#"{"type": "Polygon", "type": "Polygon", "coordinates": []}"#.to_string(),
            "the member `type` is given twice in `geometry` (in feature 1)",
        ),
        (
            polygon(r#"[[[0, 0], {"a": 1, "a": 2}]]"#),
            "the member `a` is given twice in `geometry.coordinates` (in feature 1)",
        ),
    ];
    for (geometry, words) in cases {
        let e = read(&collection(&[&polygon(SQUARE), &geometry])).unwrap_err();
        assert!(e.contains(words), "{e}");
    }
    let twice = r#"{"type": "FeatureCollection", "features": [
        {"type": "Feature", "id": 1, "id": 2, "geometry": null}]}"#;
    assert!(
        read(twice)
            .unwrap_err()
            .contains("the member `id` is given twice (in feature 0)")
    );
    let nested = r#"{"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"x": {"b": 1, "b": 1}}, "geometry": null}]}"#;
    let e = read(nested).unwrap_err();
    assert!(e.contains("`b` is given twice in `properties.x`"), "{e}");
    let top = r#"{"type": "FeatureCollection", "features": [], "features": []}"#;
    assert!(
        read(top)
            .unwrap_err()
            .contains("the member `features` is given twice")
    );
}

#[test]
fn syntax_errors_between_features_are_placed_in_the_file() {
    let square = polygon(SQUARE);
    let text = collection(&[&square, &square, &square]);
    // A missing comma between features 1 and 2, on line 4.
    let broken = text.replacen(
        "},\n{\"type\": \"Feature\", \"id\": \"2\"",
        "}\n{\"type\": \"Feature\", \"id\": \"2\"",
        1,
    );
    let e = read(&broken).unwrap_err();
    assert!(
        e.contains("line 5, column 1") && e.contains("expected `,` or `]` (in feature 2)"),
        "{e}"
    );
    let trailing = text.replace("\n]}", ",\n]}");
    let e = read(&trailing).unwrap_err();
    assert!(e.contains("trailing comma (in feature 3)"), "{e}");
    let cut = &text[..text.len() - 40];
    let e = read(cut).unwrap_err();
    assert!(
        e.contains("EOF while parsing") && e.contains("(in feature 2)"),
        "{e}"
    );
    // Inside a feature, serde_json's own words, at the place in the file.
    let bad = text.replacen("\"id\": \"1\"", "\"id\": \"1\" 5", 1);
    let e = read(&bad).unwrap_err();
    assert!(
        e.contains("line 4, column 31") && e.contains("in feature 1"),
        "{e}"
    );
    let after = format!("{text} x");
    assert!(read(&after).unwrap_err().contains("trailing characters"));
    let wrong = r#"{"type": "FeatureCollection", "features": {}}"#;
    assert!(
        read(wrong)
            .unwrap_err()
            .contains("invalid type: map, expected an array of features")
    );
}

#[test]
fn features_a_pick_jumps_over_are_not_parsed() {
    let square = polygon(SQUARE);
    // Feature 1 is not even a feature: passed over, it is not read.
    let text = collection(&[&square, &square, &square, &square]).replacen(
        "\"type\": \"Feature\", \"id\": \"1\"",
        "\"type\": \"Nothing\", \"id\": \"1\"",
        1,
    );
    let mut offsets = Vec::new();
    assert!(
        read_picked(&text, &mut |_, at| {
            offsets.push(at);
            Pick::Read
        })
        .unwrap_err()
        .contains("must be \"Feature\"")
    );
    assert_eq!(text.as_bytes()[offsets[1] as usize], b'{');
    let (to, at) = (3, offsets_of(&text)[3]);
    let mut jump = |i: u64, _| match i {
        1 => Pick::Jump {
            index: to,
            offset: at,
        },
        _ => Pick::Read,
    };
    let got = read_picked(&text, &mut jump).unwrap();
    assert_eq!(got, ["feature 0 (\"0\")", "feature 3 (\"3\")"]);
    let mut back = |i: u64, _| match i {
        2 => Pick::Jump {
            index: 1,
            offset: 0,
        },
        _ => Pick::Jump {
            index: 2,
            offset: offsets_of(&text)[2],
        },
    };
    assert!(
        read_picked(&text, &mut back)
            .unwrap_err()
            .contains("does not go forwards")
    );
    let mut moved = |i: u64, _| match i {
        0 => Pick::Jump {
            index: 2,
            offset: at,
        },
        _ => Pick::Read,
    };
    assert!(
        read_picked(&text, &mut moved)
            .unwrap_err()
            .contains("the file changed")
    );
}

/// Where each feature of `text` starts, as the reader says.
fn offsets_of(text: &str) -> Vec<u64> {
    let mut offsets = Vec::new();
    let _ = read_picked(text, &mut |_, at| {
        offsets.push(at);
        Pick::Read
    });
    offsets
}
