//! Structure-aware fuzzing that runs with the tests (bounded: a fixed number of cases per
//! parser): valid survey files of every format are cut, corrupted and spliced at random, and
//! every parser, and the validation of what it reads, must answer with a value or an error,
//! never a panic. The libFuzzer targets in `fuzz/` explore further (see the README).

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use proptest::prelude::*;
use strata::io::ImportError;
use strata::io::flatgeobuf::read_flatgeobuf;
use strata::io::geojson::{Streamed, read_geojson_stream};
use strata::io::mapping::FieldMapping;
use strata::io::{ImportOptions, read_dataset};
use strata::validate::{Tolerances, validate_dataset};

fn seed(p: &str) -> Vec<u8> {
    std::fs::read(Path::new(env!("CARGO_MANIFEST_DIR")).join(p)).unwrap()
}

/// A mutation of a seed: cut it, flip bytes, or repeat a piece of it.
fn mutate(seed: Vec<u8>) -> impl Strategy<Value = Vec<u8>> {
    let n = seed.len().max(1);
    (
        0usize..3,
        0..n,
        0..n,
        any::<u8>(),
        prop::collection::vec((0..n, any::<u8>()), 0..8),
    )
        .prop_map(move |(kind, a, b, byte, flips)| {
            let mut v = seed.clone();
            match kind {
                0 => v.truncate(a),
                1 => {
                    for (i, x) in &flips {
                        if *i < v.len() {
                            v[*i] = *x;
                        }
                    }
                    if a < v.len() {
                        v[a] = byte;
                    }
                }
                _ => {
                    let (lo, hi) = (a.min(b), a.max(b));
                    let piece: Vec<u8> = v[lo..hi.min(lo + 256)].to_vec();
                    let at = b.min(v.len());
                    v.splice(at..at, piece);
                }
            }
            v
        })
}

fn import(bytes: &[u8], name: &str) {
    let dir = tempfile::tempdir().unwrap();
    let p: PathBuf = dir.path().join(name);
    std::fs::write(&p, bytes).unwrap();
    if let Ok(ds) = read_dataset(&[p], &ImportOptions::default()) {
        let _ = validate_dataset(&ds, &Tolerances::default());
        let _ = strata::checks::check(&ds, &strata::checks::CheckOptions::default());
    }
}

/// The GeoJSON reader cuts a document into features without parsing it: serde_json, parsing
/// the whole document, is the independent judge of its JSON. A document serde_json refuses is
/// never read; one it reads never gets a JSON syntax error; and the reader's syntax errors are
/// on serde_json's line.
fn geojson_syntax_agrees_with_serde_json(bytes: &[u8]) -> Result<(), TestCaseError> {
    let whole = serde_json::from_slice::<serde_json::Value>(bytes);
    let streamed = read_geojson_stream(
        Path::new("f.geojson"),
        bytes,
        &FieldMapping::default(),
        &mut |_| {},
    );
    // What the reader refuses that serde_json lets through: limits and duplicate members.
    let bounds = |m: &str| {
        ["given twice", "positions", "recursion limit"]
            .iter()
            .any(|b| m.contains(b))
    };
    match (whole, streamed) {
        // CityJSON is read whole by another parser, which serde_json's judgement then binds.
        (_, Ok(Streamed::Other(_))) => {}
        (Err(e), Ok(_)) => prop_assert!(false, "serde_json refuses ({e}), the reader reads it"),
        (Ok(_), Err(ImportError::Json { message, .. })) => {
            prop_assert!(
                bounds(&message),
                "serde_json reads it, the reader says: {message}"
            )
        }
        (Err(e), Err(ImportError::Json { line, message, .. })) if !bounds(&message) => {
            prop_assert_eq!(line, e.line(), "serde_json: {}; the reader: {}", e, message)
        }
        _ => {}
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn geojson_framing_agrees_with_serde_json(bytes in mutate(seed("data/wengcheng/wengcheng.geojson"))) {
        geojson_syntax_agrees_with_serde_json(&bytes)?;
    }

    #[test]
    fn geojson_never_panics(bytes in mutate(seed("data/wengcheng/wengcheng.geojson"))) {
        import(&bytes, "f.geojson");
    }

    #[test]
    fn cityjson_never_panics(bytes in mutate(seed("data/dazhongsi/east-passage.city.json"))) {
        import(&bytes, "f.city.json");
    }

    #[test]
    fn landxml_never_panics(bytes in mutate(seed("tests/data/landxml/example.xml"))) {
        import(&bytes, "f.xml");
    }

    #[test]
    fn unit_codes_never_panic(s in "\\\\PC{0,40}") {
        let letters = strata::model::unit_code::LetterSets::default();
        let _ = strata::model::unit_code::UnitCode::parse_with(&s, &letters);
        let _ = strata::model::unit_code::check_all(&s, &letters);
    }
}

/// A district of 20 units written by `strata generate` as FlatGeobuf (plots and units,
/// indexed), and its number of features.
fn fgb_seed() -> &'static (Vec<u8>, usize) {
    static SEED: OnceLock<(Vec<u8>, usize)> = OnceLock::new();
    SEED.get_or_init(|| {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("d.fgb");
        let d = strata::generate::district(&strata::generate::DistrictOptions {
            units: 20,
            seed: 1,
            conflict_every: 3,
        });
        d.write(&p).unwrap();
        (std::fs::read(&p).unwrap(), d.units.len() + d.plots.len())
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, failure_persistence: None, ..ProptestConfig::default() })]

    /// Cut, flipped or spliced, a FlatGeobuf file never panics, and never reads as a smaller
    /// (or larger) district: a file that reads has the seed's length and all its features.
    #[test]
    fn flatgeobuf_never_panics(bytes in mutate(fgb_seed().0.clone())) {
        let (seed, features) = fgb_seed();
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("f.fgb");
        std::fs::write(&p, &bytes).unwrap();
        let mut parts = 0usize;
        let read = read_flatgeobuf(&p, &FieldMapping::default(), &mut |_| parts += 1);
        if let Ok(file) = read {
            prop_assert_eq!(bytes.len(), seed.len(), "a file of another length read");
            prop_assert_eq!(parts + file.plots.len(), *features);
        }
        import(&bytes, "f.fgb");
    }
}

/// A small CAD delivery: a closed footprint polyline and a cube of 3D faces, each on the layer
/// of its unit code.
#[cfg(feature = "gdal")]
const DXF_SEED: &str = "0\nSECTION\n2\nENTITIES\n\
0\nLWPOLYLINE\n8\n110112003005GX00001W00000000\n90\n4\n70\n1\n\
10\n474281.0\n20\n4418993.0\n10\n474351.0\n20\n4418993.0\n10\n474351.0\n20\n4419053.0\n10\n474281.0\n20\n4419053.0\n\
0\n3DFACE\n8\n110112003005GX00002W00000000\n10\n474400\n20\n4419000\n30\n0\n11\n474400\n21\n4419001\n31\n0\n12\n474401\n22\n4419001\n32\n0\n13\n474401\n23\n4419000\n33\n0\n\
0\n3DFACE\n8\n110112003005GX00002W00000000\n10\n474400\n20\n4419000\n30\n1\n11\n474401\n21\n4419000\n31\n1\n12\n474401\n22\n4419001\n32\n1\n13\n474400\n23\n4419001\n33\n1\n\
0\n3DFACE\n8\n110112003005GX00002W00000000\n10\n474400\n20\n4419000\n30\n0\n11\n474401\n21\n4419000\n31\n0\n12\n474401\n22\n4419000\n32\n1\n13\n474400\n23\n4419000\n33\n1\n\
0\n3DFACE\n8\n110112003005GX00002W00000000\n10\n474400\n20\n4419001\n30\n0\n11\n474400\n21\n4419001\n31\n1\n12\n474401\n22\n4419001\n32\n1\n13\n474401\n23\n4419001\n33\n0\n\
0\n3DFACE\n8\n110112003005GX00002W00000000\n10\n474400\n20\n4419000\n30\n0\n11\n474400\n21\n4419000\n31\n1\n12\n474400\n22\n4419001\n32\n1\n13\n474400\n23\n4419001\n33\n0\n\
0\n3DFACE\n8\n110112003005GX00002W00000000\n10\n474401\n20\n4419000\n30\n0\n11\n474401\n21\n4419001\n31\n0\n12\n474401\n22\n4419001\n32\n1\n13\n474401\n23\n4419000\n33\n1\n\
0\nENDSEC\n0\nEOF\n";

#[cfg(feature = "gdal")]
proptest! {
    #![proptest_config(ProptestConfig { cases: 100, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn dxf_never_panics(bytes in mutate(DXF_SEED.as_bytes().to_vec())) {
        import(&bytes, "f.dxf");
    }
}

#[cfg(feature = "gdal")]
#[test]
fn the_dxf_seed_reads_as_two_units() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("seed.dxf");
    std::fs::write(&p, DXF_SEED).unwrap();
    let mut opts = ImportOptions {
        crs: Some(4548),
        ..ImportOptions::default()
    };
    opts.mapping.values.insert(
        "110112003005GX00001W00000000".into(),
        serde_json::json!({"z_bottom": 11.5, "z_top": 17.5})
            .as_object()
            .unwrap()
            .clone(),
    );
    let ds = read_dataset(&[p], &opts).unwrap();
    use strata::geometry::algorithm::SolidVolume;
    let volumes: Vec<f64> = ds.units.iter().map(|u| u.volume.volume_m3()).collect();
    assert_eq!(volumes, vec![70.0 * 60.0 * 6.0, 1.0]);
}

/// Every input a fuzz target crashed on is kept under `tests/fuzz-regressions/<target>/` and
/// replayed here the way the target runs it.
#[test]
fn inputs_that_once_crashed_a_fuzz_target_no_longer_do() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fuzz-regressions");
    let mut replayed = 0;
    for target in std::fs::read_dir(&root).unwrap() {
        let target = target.unwrap().path();
        let name = target.file_name().unwrap().to_str().unwrap().to_string();
        for input in std::fs::read_dir(&target).unwrap() {
            let bytes = std::fs::read(input.unwrap().path()).unwrap();
            match name.as_str() {
                "cityjson" => {
                    let v: serde_json::Value = serde_json::from_slice(&bytes).unwrap();
                    let f = strata::io::cityjson::parse_cityjson(Path::new("x.city.json"), &v)
                        .expect("the crash input parses");
                    for p in f
                        .objects
                        .iter()
                        .flat_map(|o| &o.geometries)
                        .filter_map(|g| g.primitive.as_ref().ok())
                    {
                        let _ = strata::validate::validate_primitive(p, &Tolerances::default());
                    }
                    import(&bytes, "f.city.json");
                }
                "geojson" => import(&bytes, "f.geojson"),
                other => panic!("no replay for fuzz target {other}"),
            }
            replayed += 1;
        }
    }
    assert!(replayed >= 1);
}
