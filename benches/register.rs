//! The register's speed, side by side on the same work:
//!
//! - `register_batch_2k`: first registration of a 2,000-unit survey as one batch (validation,
//!   conflict check, journal, versions, GIS layers) into memory (the rules alone, no storage),
//!   a GeoPackage and, with `STRATA_BENCH_POSTGRES` set (a database URL), PostgreSQL/PostGIS;
//! - `register_10k`: on a 10,000-unit register in a GeoPackage and in PostgreSQL: one act with
//!   its checks (a mortgage), one first registration refused for an overlap after the exact
//!   check, a unit's register page now and as of a past moment;
//! - `register_file`: the same act and pages on an existing register file named by
//!   `STRATA_BENCH_REGISTER` (e.g. a 1,000,000-unit register made by `strata register import`).

mod common;

use std::path::Path;

use common::{mortgage, schema};
use criterion::{Criterion, criterion_group, criterion_main};
use jiff::Timestamp;
use strata::generate::{DistrictOptions, district};
use strata::register::act::{Act, ActBody};
use strata::register::import::{ImportOptions, import_acts};
use strata::register::page::page;
use strata::register::party::{Party, PartyKind};
use strata::register::record::{Kind, Source, SourceKind, Term};
use strata::register::rules::Options;
use strata::register::{
    Clock, MemoryRegister, PgRegister, Reason, RegisterError, Settings, SqliteRegister, Store,
    View, record,
};

fn survey(units: usize) -> Vec<Act> {
    let ds = district(&DistrictOptions {
        units,
        conflict_every: 0,
        ..DistrictOptions::default()
    })
    .to_dataset();
    import_acts(
        &ds,
        &[],
        &ImportOptions {
            officer: "登簿人".into(),
            number_prefix: "B".into(),
            survey: "survey".into(),
        },
    )
}

fn postgres() -> Option<String> {
    std::env::var("STRATA_BENCH_POSTGRES").ok()
}

fn sqlite_with(dir: &Path, acts: &[Act]) -> SqliteRegister {
    let path = dir.join(format!("r{}.gpkg", acts.len()));
    let _ = std::fs::remove_file(&path);
    let mut reg = SqliteRegister::create(&path, Settings::default()).unwrap();
    record(&mut reg, acts, Clock::Now, &Options::default()).unwrap();
    reg
}

fn postgres_with(url: &str, acts: &[Act]) -> PgRegister {
    let mut reg = PgRegister::create(url, &schema("r"), Settings::default()).unwrap();
    record(&mut reg, acts, Clock::Now, &Options::default()).unwrap();
    reg
}

fn batch_2k(c: &mut Criterion) {
    let acts = survey(2_000);
    let dir = tempfile::tempdir().unwrap();
    let mut g = c.benchmark_group("register_batch_2k");
    g.sample_size(10);
    g.bench_function("memory (rules only)", |b| {
        b.iter(|| {
            let mut m = MemoryRegister::new();
            record(&mut m, &acts, Clock::Now, &Options::default()).unwrap();
        })
    });
    g.bench_function("geopackage", |b| b.iter(|| sqlite_with(dir.path(), &acts)));
    if let Some(url) = postgres() {
        g.bench_function("postgres", |b| b.iter(|| postgres_with(&url, &acts)));
    }
    g.finish();
}

/// A registered unit offered again under a new code: it overlaps itself, and is refused
/// after the exact check.
fn overlap_of(reg: &dyn Store, unit: &str) -> Act {
    let Some(strata::register::record::Record::Unit(u)) = reg.live(Kind::Unit, unit).unwrap()
    else {
        panic!("{unit} is live");
    };
    let mut code = unit.to_string();
    code.replace_range(14..19, "99999");
    Act {
        number: "overlap".into(),
        reason: "首次登记".into(),
        officer: "登簿人".into(),
        parties: vec![Party {
            id: "x".into(),
            name: "x".into(),
            kind: PartyKind::Company,
        }],
        sources: vec![
            Source {
                id: "overlap-survey".into(),
                kind: SourceKind::SurveyResult,
                title: None,
                date: None,
                issuer: None,
            },
            Source {
                id: "overlap-contract".into(),
                kind: SourceKind::AllocationDecision,
                title: None,
                date: None,
                issuer: None,
            },
        ],
        note: None,
        body: ActBody::FirstRegistration {
            unit: code,
            surveyed: strata::register::Surveyed {
                survey: "overlap-survey".into(),
                volume: u.volume.clone().unwrap(),
                sixto: Default::default(),
                name: None,
                plot: u.plot.clone(),
            },
            supply: Some(strata::register::record::SupplyTerms {
                nature: strata::register::record::Nature::Allocation,
                holders: strata::register::party::Holders::sole("x"),
                usage: "x".into(),
                term: Term::default(),
                price: None,
                bounds: strata::register::record::Bounds {
                    lower: -1.0e4,
                    upper: 1.0e4,
                },
                plots: u.plot.iter().cloned().collect(),
                contract: "overlap-contract".into(),
            }),
        },
    }
}

fn units_of(reg: &dyn Store) -> Vec<String> {
    reg.live_of_kind(Kind::Right)
        .unwrap()
        .into_iter()
        .map(|(k, _)| k)
        .collect()
}

fn acts_and_pages(
    g: &mut criterion::BenchmarkGroup<criterion::measurement::WallTime>,
    name: &str,
    reg: &mut dyn Store,
    past: Timestamp,
) {
    let units = units_of(reg);
    let overlap = overlap_of(reg, &units[units.len() / 2]);
    let mut n = 0u64;
    g.bench_function(format!("{name}: mortgage (one act)"), |b| {
        b.iter(|| {
            n += 1;
            let a = mortgage(n, &units[(n as usize * 7919) % units.len()]);
            record(reg, &[a], Clock::Now, &Options::default()).unwrap();
        })
    });
    g.bench_function(
        format!("{name}: first registration refused for an overlap"),
        |b| {
            b.iter(|| {
                let r = record(
                    reg,
                    std::slice::from_ref(&overlap),
                    Clock::Now,
                    &Options::default(),
                );
                assert!(matches!(
                    r,
                    Err(RegisterError::Refused { ref refusal, .. })
                        if refusal.reason == Reason::Overlap
                ));
            })
        },
    );
    let mut k = 0usize;
    g.bench_function(format!("{name}: page now"), |b| {
        b.iter(|| {
            k += 1;
            page(reg, &units[(k * 104_729) % units.len()], None)
                .unwrap()
                .unwrap()
        })
    });
    g.bench_function(format!("{name}: page as of a past moment"), |b| {
        b.iter(|| {
            k += 1;
            page(reg, &units[(k * 104_729) % units.len()], Some(past)).unwrap()
        })
    });
}

fn register_10k(c: &mut Criterion) {
    let acts = survey(10_000);
    let dir = tempfile::tempdir().unwrap();
    let mut g = c.benchmark_group("register_10k");
    let mut s = sqlite_with(dir.path(), &acts);
    let past = Timestamp::now();
    acts_and_pages(&mut g, "geopackage", &mut s, past);
    if let Some(url) = postgres() {
        let mut p = postgres_with(&url, &acts);
        let past = Timestamp::now();
        acts_and_pages(&mut g, "postgres", &mut p, past);
    }
    g.finish();
}

fn register_file(c: &mut Criterion) {
    let Ok(path) = std::env::var("STRATA_BENCH_REGISTER") else {
        return;
    };
    let mut reg = SqliteRegister::open(Path::new(&path)).unwrap();
    let past = reg.head().unwrap().unwrap().recorded_at;
    let mut g = c.benchmark_group("register_file");
    acts_and_pages(&mut g, "file", &mut reg, past);
    g.finish();
}

criterion_group!(benches, batch_2k, register_10k, register_file);
criterion_main!(benches);
