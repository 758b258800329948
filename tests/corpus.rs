//! Bad input never gets in: every file of `tests/corpus/` is refused by `strata info` with
//! exit code 2 and a message naming the file and, where a feature is at fault, the feature and
//! the field; no command panics on any of them, and a polygon of ten million vertices is
//! refused in bounded time and memory.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use assert_cmd::Command;

fn corpus(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/corpus")
        .join(name)
}

/// One bad file: the command that reads it, the exit code (2 unreadable, 1 invalid), and what
/// the message must say besides the file name.
struct Case {
    file: &'static str,
    command: &'static str,
    exit: i32,
    needles: &'static [&'static str],
}

const fn unreadable(file: &'static str, needles: &'static [&'static str]) -> Case {
    Case {
        file,
        command: "info",
        exit: 2,
        needles,
    }
}

const fn invalid(file: &'static str, needles: &'static [&'static str]) -> Case {
    Case {
        file,
        command: "info",
        exit: 1,
        needles,
    }
}

const CASES: &[Case] = &[
    unreadable(
        "truncated.geojson",
        &[
            "not valid JSON",
            "line 1",
            "EOF while parsing",
            "in feature 0",
        ],
    ),
    unreadable("not-utf8.geojson", &["not valid JSON", "in feature 0"]),
    unreadable("nan.geojson", &["not valid JSON", "in feature 0"]),
    unreadable("infinite.geojson", &["number out of range", "in feature 0"]),
    invalid(
        "empty-geometry.geojson",
        &["902", "feature 0 (\"B1\")", "geometry.coordinates", "empty"],
    ),
    invalid(
        "point-geometry.geojson",
        &["812", "feature 0 (\"P\")", "geometry.type", "Point"],
    ),
    invalid(
        "duplicate-code-different-data.geojson",
        &[
            "806",
            "feature 1 (\"B2\")",
            "properties.holder",
            "must agree",
        ],
    ),
    // The ground is the plot's: a relation between unit and plot, which `check` reports.
    Case {
        file: "stratum-contradicts-elevation.geojson",
        command: "check",
        exit: 1,
        needles: &["stratum", "above the ground"],
    },
    invalid(
        "bad-unit-code.geojson",
        &[
            "802",
            "feature 0 (\"Q\")",
            "properties.unit_code",
            "parcel feature code",
        ],
    ),
    invalid(
        "missing-z-top.geojson",
        &["804", "feature 0 (\"B1\")", "properties.z_top"],
    ),
    unreadable("lonlat.geojson", &["longitude/latitude", "EPSG:4548"]),
    unreadable(
        "northing-first.geojson",
        &[
            "do not fit EPSG:4548",
            "X = northing, Y = easting",
            "x = easting",
        ],
    ),
    unreadable("wrong-crs.geojson", &["EPSG:4326", "geographic"]),
    unreadable(
        "unknown-crs.geojson",
        &["EPSG:999999", "not a projected CRS"],
    ),
    unreadable(
        "deeply-nested.geojson",
        &["recursion limit", "in feature 0"],
    ),
    unreadable("not-json.geojson", &["not valid JSON", "line 1"]),
    unreadable("not-a-collection.geojson", &["a single GeoJSON Feature"]),
    // With the `gdal` feature; without it, the error says how to build with it.
    unreadable("open-polyline.dxf", &[]),
    invalid(
        "landxml-missing-face.xml",
        &["Parcel \"GX-1\"", "302", "SHELL_NOT_CLOSED"],
    ),
];

fn run(args: &[&str]) -> (i32, String) {
    let (code, stderr, _) = run_both(args);
    (code, stderr)
}

fn run_both(args: &[&str]) -> (i32, String, String) {
    let out = Command::cargo_bin("strata")
        .unwrap()
        .args(args)
        .timeout(Duration::from_secs(60))
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(!stderr.contains("panicked"), "{args:?}: {stderr}");
    (out.status.code().unwrap_or(-1), stderr, stdout)
}

#[test]
fn every_bad_file_is_refused_with_the_exact_error() {
    let listed: Vec<&str> = CASES.iter().map(|c| c.file).collect();
    for entry in
        std::fs::read_dir(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/corpus")).unwrap()
    {
        let name = entry.unwrap().file_name().into_string().unwrap();
        assert!(
            listed.contains(&name.as_str()),
            "{name} is in the corpus but has no expected error"
        );
    }
    for Case {
        file,
        command,
        exit,
        needles,
    } in CASES
    {
        let p = corpus(file);
        let (code, stderr, stdout) = run_both(&[command, p.to_str().unwrap()]);
        let stderr = format!("{stderr}{stdout}");
        assert_eq!(code, *exit, "{file}: {stderr}");
        // A refusal names the file; a conflict report names the units.
        assert!(
            *command == "check" || stderr.contains(file),
            "{file}: the error does not name the file: {stderr}"
        );
        let cad: &[&str] = match (file.ends_with(".dxf"), cfg!(feature = "gdal")) {
            (false, _) => &[],
            (true, true) => &[
                "layer \"entities\" feature",
                "field `geometry`",
                "the polyline is open (its ends are 3.000 m apart)",
            ],
            (true, false) => &["build Strata with `--features gdal`"],
        };
        for n in needles.iter().chain(cad) {
            assert!(stderr.contains(n), "{file}: expected {n:?} in: {stderr}");
        }
        // The other commands never panic either.
        for cmd in ["validate", "check"] {
            let (code, _) = run(&[cmd, p.to_str().unwrap()]);
            assert!((0..=2).contains(&code), "{cmd} {file}: exit {code}");
        }
    }
}

#[test]
fn ten_million_vertices_are_refused_in_bounded_time() {
    use std::io::Write;
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("huge.geojson");
    let mut f = std::io::BufWriter::new(std::fs::File::create(&p).unwrap());
    write!(
        f,
        r#"{{"type":"FeatureCollection","crs":{{"type":"name","properties":{{"name":"urn:ogc:def:crs:EPSG::4548"}}}},"features":[{{"type":"Feature","id":"big","properties":{{"unit_code":"110112003005GX00001W00000000","z_bottom":1,"z_top":2}},"geometry":{{"type":"Polygon","coordinates":[["#
    )
    .unwrap();
    let n = 10_000_000u64;
    for i in 0..n {
        let a = i as f64 / n as f64 * std::f64::consts::TAU;
        if i > 0 {
            f.write_all(b",").unwrap();
        }
        write!(
            f,
            "[{:.3},{:.3}]",
            474_000.0 + 100.0 * a.cos(),
            4_418_000.0 + 100.0 * a.sin()
        )
        .unwrap();
    }
    write!(f, "]]}}}}]}}").unwrap();
    f.flush().unwrap();
    drop(f);
    let t = Instant::now();
    let (code, stderr) = run(&["info", p.to_str().unwrap()]);
    assert_eq!(code, 2);
    assert!(
        stderr.contains("huge.geojson")
            && stderr.contains("more than 1000000 positions")
            && stderr.contains("in feature 0"),
        "{stderr}"
    );
    assert!(
        t.elapsed() < Duration::from_secs(30),
        "took {:?}",
        t.elapsed()
    );
}

/// Regression (found by tests/fuzz.rs): a FlatGeobuf property whose string length runs past the
/// end of the property block made the decoder read out of bounds and panic.
#[test]
fn flatgeobuf_string_running_past_its_block_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("d.fgb");
    strata::generate::district(&strata::generate::DistrictOptions {
        units: 5,
        seed: 1,
        conflict_every: 0,
    })
    .write(&p)
    .unwrap();
    let mut bytes = std::fs::read(&p).unwrap();
    // The first string value "plot" is preceded by its u32 length 4: make it 40,000.
    let at = bytes
        .windows(8)
        .position(|w| w == b"\x04\0\0\0plot")
        .expect("a kind property");
    bytes[at..at + 4].copy_from_slice(&40_000u32.to_le_bytes());
    std::fs::write(&p, &bytes).unwrap();
    let (code, stderr) = run(&["info", p.to_str().unwrap()]);
    assert_eq!(code, 2);
    assert!(
        stderr.contains("d.fgb") && stderr.contains("feature 0") && stderr.contains("truncated"),
        "{stderr}"
    );
}

/// A district of `units` units written by `strata generate` as FlatGeobuf, its bytes, and the
/// offset and length (the u32 length included) of each of its features.
fn fgb_district(dir: &Path, units: usize) -> (PathBuf, Vec<u8>, Vec<(usize, usize)>) {
    let p = dir.join("d.fgb");
    strata::generate::district(&strata::generate::DistrictOptions {
        units,
        seed: 2,
        conflict_every: 0,
    })
    .write(&p)
    .unwrap();
    let bytes = std::fs::read(&p).unwrap();
    let header = flatgeobuf::size_prefixed_root_as_header(&bytes[8..]).unwrap();
    let header_len = u32::from_le_bytes(bytes[8..12].try_into().unwrap()) as usize;
    let index = flatgeobuf::packed_r_tree::PackedRTree::index_size(
        header.features_count() as usize,
        header.index_node_size(),
    );
    let mut at = 12 + header_len + index;
    let mut frames = Vec::new();
    while at < bytes.len() {
        let n = u32::from_le_bytes(bytes[at..at + 4].try_into().unwrap()) as usize;
        frames.push((at, 4 + n));
        at += 4 + n;
    }
    (p, bytes, frames)
}

/// A FlatGeobuf file that ends inside a feature is refused, naming the feature, where it once
/// read as a smaller district.
#[test]
fn a_truncated_flatgeobuf_is_refused_naming_the_feature() {
    let dir = tempfile::tempdir().unwrap();
    let (p, bytes, frames) = fgb_district(dir.path(), 30);
    let (at, len) = frames[17];
    std::fs::write(&p, &bytes[..at + len / 3]).unwrap();
    let (code, stderr) = run(&["info", p.to_str().unwrap()]);
    assert_eq!(code, 2, "{stderr}");
    assert!(
        stderr.contains(
            "d.fgb: feature 17: field `length`: the file ends inside the feature (truncated)"
        ),
        "{stderr}"
    );
    // Cut between two features: the header's count says features are missing.
    std::fs::write(&p, &bytes[..at]).unwrap();
    let (code, stderr) = run(&["info", p.to_str().unwrap()]);
    assert_eq!(code, 2, "{stderr}");
    assert!(
        stderr.contains(&format!(
            "`header.features_count` is {}, but the file ends after 17 features: it is truncated",
            frames.len()
        )),
        "{stderr}"
    );
}

/// A corrupt feature length is refused at once, before anything is allocated for it.
#[test]
fn a_flatgeobuf_feature_length_beyond_the_file_is_refused_quickly() {
    let dir = tempfile::tempdir().unwrap();
    let (p, mut bytes, frames) = fgb_district(dir.path(), 30);
    let at = frames[4].0;
    bytes[at..at + 4].copy_from_slice(&0xFFFF_FFF0u32.to_le_bytes());
    std::fs::write(&p, &bytes).unwrap();
    let t = Instant::now();
    let (code, stderr) = run(&["info", p.to_str().unwrap()]);
    assert!(t.elapsed() < Duration::from_secs(1), "{:?}", t.elapsed());
    assert_eq!(code, 2, "{stderr}");
    assert!(
        stderr.contains("feature 4: field `length`")
            && stderr.contains("its length is 4294967280 bytes"),
        "{stderr}"
    );
}

/// Bytes after the last feature are refused.
#[test]
fn trailing_bytes_after_a_flatgeobuf_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let (p, mut bytes, _) = fgb_district(dir.path(), 10);
    bytes.extend_from_slice(&[0u8; 3]);
    std::fs::write(&p, &bytes).unwrap();
    let (code, stderr) = run(&["info", p.to_str().unwrap()]);
    assert_eq!(code, 2, "{stderr}");
    assert!(
        stderr.contains("3 bytes follow the last of the"),
        "{stderr}"
    );
}
