//! The register on PostgreSQL/PostGIS with several officers at once: acts are serialized (no
//! act lost, never two overlapping rights), a writer kept waiting gets "busy", and a register
//! is copied GeoPackage → PostgreSQL → GeoPackage with the same hashes.

mod support;

use std::sync::{Arc, Barrier};

use assert_cmd::Command;
use strata::register::act::ActBody;
use strata::register::rules::Options;
use strata::register::{Backend, Clock, PgRegister, RegisterError, Settings, View, record, verify};
use support::register::*;

fn overlapping(n: u32, x: f64) -> strata::register::Act {
    act(
        &format!("O{n}"),
        ActBody::FirstRegistration {
            unit: code(n),
            surveyed: surveyed(boxed(x, 60.0, 0.0, x + 20.0, 80.0, 5.0)),
            supply: Some(allocation(0.0, 10.0)),
        },
    )
}

#[test]
fn two_officers_never_register_overlapping_rights_at_the_same_moment() {
    for round in 0..5 {
        let (mut base, schema) = postgres_register("race");
        registered(&mut base);
        let url = postgres_url();
        let barrier = Arc::new(Barrier::new(2));
        let handles: Vec<_> = [(2u32, 60.0), (3u32, 70.0)]
            .into_iter()
            .map(|(n, x)| {
                let (url, schema, barrier) = (url.clone(), schema.clone(), barrier.clone());
                std::thread::spawn(move || {
                    let mut reg = PgRegister::open(&url, &schema).unwrap();
                    barrier.wait();
                    record(
                        &mut reg,
                        &[overlapping(n, x)],
                        Clock::Now,
                        &Options::default(),
                    )
                })
            })
            .collect();
        let results: Vec<_> = handles.into_iter().map(|h| h.join().unwrap()).collect();
        let ok = results.iter().filter(|r| r.is_ok()).count();
        assert_eq!(ok, 1, "round {round}: {results:?}");
        assert!(results.iter().any(|r| matches!(
            r,
            Err(RegisterError::Refused { refusal, .. })
                if refusal.reason == strata::register::Reason::Overlap
        )));
        let report = verify(&base, &Options::default()).unwrap();
        assert!(report.ok(), "{:?}", report.problems);
    }
}

#[test]
fn officers_writing_at_once_lose_no_act() {
    let (mut base, schema) = postgres_register("many");
    registered(&mut base);
    let url = postgres_url();
    let handles: Vec<_> = (0..4)
        .map(|t| {
            let (url, schema) = (url.clone(), schema.clone());
            std::thread::spawn(move || {
                let mut reg = PgRegister::open(&url, &schema).unwrap();
                for i in 0..25 {
                    let a = act(
                        &format!("T{t}-{i}"),
                        ActBody::PreCode {
                            prefix: PREFIX.into(),
                            count: 1,
                            plot: None,
                            names: vec![],
                            predecessors: vec![],
                        },
                    );
                    record(&mut reg, &[a], Clock::Now, &Options::default()).unwrap();
                }
            })
        })
        .collect();
    for h in handles {
        h.join().unwrap();
    }
    assert_eq!(base.head().unwrap().unwrap().seq, 4 + 100);
    // 3 codes pre-coded by the base, 100 more, each number once.
    assert!(
        base.live(strata::register::Kind::Unit, &code(103))
            .unwrap()
            .is_some()
    );
    let report = verify(&base, &Options::default()).unwrap();
    assert!(report.ok(), "{:?}", report.problems);
}

#[test]
fn a_writer_kept_waiting_gets_busy_and_nothing_is_lost() {
    let (mut holder, schema) = postgres_register("busy");
    registered(&mut holder);
    holder.begin().unwrap();
    let mut other = PgRegister::open(&postgres_url(), &schema).unwrap();
    let r = rec(
        &mut other,
        vec![act("B1", ActBody::Cancellation { unit: code(1) })],
    );
    assert!(matches!(r, Err(RegisterError::Busy { .. })), "{r:?}");
    holder.rollback().unwrap();
    rec(
        &mut other,
        vec![act("B2", ActBody::Cancellation { unit: code(1) })],
    )
    .unwrap();
    let report = verify(&other, &Options::default()).unwrap();
    assert!(report.ok(), "{:?}", report.problems);
}

#[test]
fn a_register_is_copied_to_postgres_and_back_with_the_same_hashes() {
    let dir = tempfile::tempdir().unwrap();
    let gpkg = dir.path().join("from.gpkg");
    let mut reg = strata::register::SqliteRegister::create(&gpkg, Settings::default()).unwrap();
    registered(&mut reg);
    rec(
        &mut reg,
        vec![act(
            "C1",
            ActBody::Transfer {
                unit: code(1),
                holders: strata::register::party::Holders::sole(GOVERNMENT),
                price: None,
                buy_back: true,
            },
        )],
    )
    .unwrap();
    let head = reg.head().unwrap().unwrap().hash;
    drop(reg);
    let pg = format!("{}#{}", postgres_url(), fresh_schema("copy"));
    let back = dir.path().join("back.gpkg");
    for (from, to) in [
        (gpkg.to_str().unwrap(), pg.as_str()),
        (pg.as_str(), back.to_str().unwrap()),
    ] {
        Command::cargo_bin("strata")
            .unwrap()
            .args(["register", "copy", from, to])
            .assert()
            .success();
    }
    let copy = strata::register::SqliteRegister::open(&back).unwrap();
    assert_eq!(copy.head().unwrap().unwrap().hash, head);
    let out = Command::cargo_bin("strata")
        .unwrap()
        .args(["register", "verify", &pg, "--json"])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let v: serde_json::Value = serde_json::from_slice(&out).unwrap();
    assert_eq!(v["head"], head.to_string());
    assert_eq!(v["live_units"], 1);
}

#[test]
fn the_cli_speaks_to_postgres_by_url() {
    let pg = format!("{}#{}", postgres_url(), fresh_schema("cli"));
    let data = |f: &str| format!("{}/data/{f}", env!("CARGO_MANIFEST_DIR"));
    let run = strata_ok;
    run(&["register", "init", &pg, "--crs", "EPSG:4548"]);
    run(&[
        "register",
        "import",
        &pg,
        &data("dazhongsi/dazhongsi.geojson"),
        "--officer",
        "登簿人",
    ]);
    let page: serde_json::Value = serde_json::from_slice(&run(&[
        "register",
        "show",
        &pg,
        "110108012004GX00001W00000000",
        "--json",
    ]))
    .unwrap();
    assert_eq!(page["unit"]["measures"]["volume_m3"], 113850.0);
    let v: serde_json::Value =
        serde_json::from_slice(&run(&["register", "verify", &pg, "--json"])).unwrap();
    assert_eq!(v["acts"], 7);
    assert_eq!(v["problems"].as_array().unwrap().len(), 0);
}
