//! Conformance with val3dity: run Strata's validation over val3dity's own test suite (the
//! files and expected codes in `../shared/conformance/val3dity/`, read at test time and never
//! copied into the project) and compare case by case.
//!
//! Every case must agree, except the ones listed with a reason in
//! `tests/conformance/val3dity-disagreements.tsv`; a listed case that starts agreeing must be
//! removed from the list, and the number of cases that agree may not fall. The suite must be
//! on the machine (`../shared/conformance/val3dity/`, or `STRATA_VAL3DITY_DIR`): without it
//! the test fails, never passes silently.

mod support;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use strata::geometry::{Polyhedron, Primitive, Surfaces};
use strata::io::cityjson::read_cityjson;
use strata::validate::{CityMember, Tolerances, validate_buildings, validate_primitive};
use support::val3dity_formats::{append_shell, read_mesh};

fn suite_dir() -> Option<PathBuf> {
    let candidates = [
        std::env::var_os("STRATA_VAL3DITY_DIR").map(PathBuf::from),
        Some(Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/conformance/val3dity")),
    ];
    candidates
        .into_iter()
        .flatten()
        .find(|p| p.join("expected.tsv").is_file())
}

struct Case {
    path: String,
    expected: String,
    options: String,
    outer: String,
    inner: String,
    status: String,
}

fn cases(dir: &Path) -> Vec<Case> {
    let text = std::fs::read_to_string(dir.join("expected.tsv")).expect("expected.tsv");
    text.lines()
        .filter(|l| !l.starts_with('#') && !l.starts_with("path\t") && !l.trim().is_empty())
        .map(|l| {
            let c: Vec<&str> = l.split('\t').collect();
            let get = |i: usize| c.get(i).map(|s| s.trim().to_string()).unwrap_or_default();
            Case {
                path: get(0),
                expected: get(1),
                options: get(2),
                outer: get(3),
                inner: get(4),
                status: get(6),
            }
        })
        .collect()
}

/// Tolerances and primitive type from val3dity's command-line options.
fn options(opts: &str) -> (Tolerances, Option<String>) {
    let mut t = Tolerances::default();
    let mut prim = None;
    let words: Vec<&str> = opts.split_whitespace().collect();
    let mut i = 0;
    while i < words.len() {
        let next = words.get(i + 1).and_then(|w| w.parse::<f64>().ok());
        match words[i] {
            "--snap_tol" => t.snap = next.unwrap_or(t.snap),
            "--planarity_d2p_tol" => t.planarity_distance = next.unwrap_or(t.planarity_distance),
            "--planarity_n_tol" => {
                t.planarity_normals_deg = next.unwrap_or(t.planarity_normals_deg)
            }
            "--overlap_tol" => t.overlap = next.unwrap_or(t.overlap),
            "--ignore204" => t.planarity_normals_deg = f64::INFINITY,
            "-p" => prim = words.get(i + 1).map(|s| s.to_string()),
            _ => {}
        }
        i += 1;
    }
    (t, prim)
}

/// The error codes Strata reports for a case, in order of first appearance; `Err` when the
/// format is not one Strata reads.
fn run(dir: &Path, case: &Case) -> Result<Vec<u16>, String> {
    let (tol, prim) = options(&case.options);
    let path = dir.join(&case.path);
    let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("");
    let mut codes: Vec<u16> = Vec::new();
    let mut push = |c: u16| {
        if !codes.contains(&c) {
            codes.push(c);
        }
    };
    let primitives: Vec<Primitive> = match ext {
        "poly" | "off" | "obj" => {
            if !case.outer.is_empty() {
                let mut vertices = Vec::new();
                let mut shells = Vec::new();
                for f in std::iter::once(case.outer.as_str()).chain(case.inner.split(';')) {
                    match read_mesh(&dir.join(f)) {
                        Ok(m) => append_shell(&mut vertices, &mut shells, m),
                        Err(_) => return Ok(vec![901]),
                    }
                }
                vec![Primitive::Solid(Polyhedron::new(vertices, shells))]
            } else {
                let m = match read_mesh(&path) {
                    Ok(m) => m,
                    Err(_) => return Ok(vec![901]),
                };
                if m.faces.is_empty() {
                    return Ok(vec![902]);
                }
                let s = Surfaces {
                    vertices: m.vertices,
                    faces: m.faces,
                };
                match prim.as_deref() {
                    Some("CompositeSurface") => vec![Primitive::CompositeSurface(s)],
                    Some("MultiSurface") => vec![Primitive::MultiSurface(s)],
                    _ => {
                        let mut vertices = Vec::new();
                        let mut shells = Vec::new();
                        append_shell(
                            &mut vertices,
                            &mut shells,
                            support::val3dity_formats::Mesh {
                                vertices: s.vertices,
                                faces: s.faces,
                            },
                        );
                        vec![Primitive::Solid(Polyhedron::new(vertices, shells))]
                    }
                }
            }
        }
        "json" => {
            let text = std::fs::read_to_string(&path).unwrap_or_default();
            let v: serde_json::Value = match serde_json::from_str(&text) {
                Ok(v) => v,
                Err(_) => return Ok(vec![901]),
            };
            if !strata::io::cityjson::is_cityjson(&v) {
                return Err("not CityJSON (JSON-FG, tu3djson or GeoJSON)".into());
            }
            let f = match read_cityjson(&path) {
                Ok(f) => f,
                Err(_) => return Ok(vec![901]),
            };
            // The building rule (601) over the objects, then each primitive on its own.
            let geometries: Vec<Vec<(Option<String>, &Primitive)>> = f
                .objects
                .iter()
                .map(|o| {
                    o.geometries
                        .iter()
                        .filter_map(|g| g.primitive.as_ref().ok().map(|p| (g.lod.clone(), p)))
                        .collect()
                })
                .collect();
            let members: Vec<CityMember<'_>> = f
                .objects
                .iter()
                .zip(&geometries)
                .map(|(o, g)| CityMember {
                    id: &o.id,
                    object_type: &o.object_type,
                    parents: &o.parents,
                    geometries: g,
                })
                .collect();
            for (_, finding) in validate_buildings(&members, &tol) {
                push(finding.code.number());
            }
            let mut out = Vec::new();
            for o in &f.objects {
                for g in &o.geometries {
                    if let Ok(p) = &g.primitive {
                        out.push(p.clone());
                    }
                }
            }
            out
        }
        other => return Err(format!("format .{other} is not read by Strata")),
    };
    for p in &primitives {
        for f in validate_primitive(p, &tol) {
            if f.is_error() {
                push(f.code.number());
            }
        }
    }
    Ok(codes)
}

fn agrees(expected: &str, got: &[u16]) -> bool {
    let set: BTreeSet<u16> = got.iter().copied().collect();
    match expected {
        "VALID" => got.is_empty(),
        "CRASH" => !got.is_empty(),
        e if e.contains('|') => e.split('|').any(|c| {
            c.parse::<u16>()
                .ok()
                .map(|c| set == BTreeSet::from([c]))
                .unwrap_or(false)
        }),
        e => {
            let want: BTreeSet<u16> = e.split(',').filter_map(|c| c.parse().ok()).collect();
            want == set
        }
    }
}

fn key(case: &Case) -> String {
    format!("{}\t{}", case.path, case.options)
}

fn known() -> BTreeMap<String, String> {
    let text = include_str!("conformance/val3dity-disagreements.tsv");
    text.lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .filter_map(|l| {
            let c: Vec<&str> = l.split('\t').collect();
            (c.len() >= 3).then(|| (format!("{}\t{}", c[0], c[1]), c[2..].join("\t")))
        })
        .collect()
}

/// The cases of val3dity's suite (in formats Strata reads) that agree today: 107 of 108.
const AGREEING_CASES: usize = 107;

#[test]
fn val3dity_test_suite() {
    let Some(dir) = suite_dir() else {
        panic!(
            "val3dity's test suite is not on this machine: conformance cannot be checked \
             (it is read from ../shared/conformance/val3dity/ beside the project, or from STRATA_VAL3DITY_DIR)"
        );
    };
    let known = known();
    let (mut agree, mut unsupported) = (0, 0);
    let mut unexpected = Vec::new();
    let mut fixed = Vec::new();
    let mut listed = Vec::new();
    for case in cases(&dir) {
        if case.expected.is_empty() || !matches!(case.status.as_str(), "active" | "full") {
            continue;
        }
        let k = key(&case);
        match run(&dir, &case) {
            Err(why) => {
                unsupported += 1;
                println!("n/a   {k}\t{why}");
            }
            Ok(got) => {
                let got_s = if got.is_empty() {
                    "VALID".to_string()
                } else {
                    got.iter().map(u16::to_string).collect::<Vec<_>>().join(",")
                };
                if agrees(&case.expected, &got) {
                    agree += 1;
                    if known.contains_key(&k) {
                        fixed.push(k.clone());
                    }
                    println!("ok    {k}\texpected {}\tstrata {got_s}", case.expected);
                } else if let Some(reason) = known.get(&k) {
                    listed.push(k.clone());
                    println!(
                        "known {k}\texpected {}\tstrata {got_s}\t{reason}",
                        case.expected
                    );
                } else {
                    println!("DIFF  {k}\texpected {}\tstrata {got_s}", case.expected);
                    unexpected.push(format!("{k}\texpected {}\tstrata {got_s}", case.expected));
                }
            }
        }
    }
    println!(
        "val3dity conformance: {agree} agree, {} known disagreements, {} new disagreements, {unsupported} in formats Strata does not read",
        listed.len(),
        unexpected.len()
    );
    assert!(
        agree >= AGREEING_CASES,
        "only {agree} cases agree with val3dity; {AGREEING_CASES} did before"
    );
    assert!(
        unexpected.is_empty(),
        "new disagreements with val3dity:\n{}",
        unexpected.join("\n")
    );
    assert!(
        fixed.is_empty(),
        "these listed disagreements now agree; remove them from the list:\n{}",
        fixed.join("\n")
    );
}
