//! The register's speed, each against a baseline run side by side:
//!
//! - `batch_10k`: first registration of a 10,000-unit survey as one batch (validation,
//!   conflict check, journal, versions, GIS layers) into the GeoPackage register, against the
//!   same batch into the in-memory register (the rules alone, no storage);
//! - `act_on_100k`: one act with its conflict check (a mortgage, then a first registration
//!   refused for an overlap) on a 100,000-unit register;
//! - `page_100k`: a unit's register page now and as of a past moment on that register.

use std::path::Path;

use criterion::{Criterion, criterion_group, criterion_main};
use jiff::Timestamp;
use strata::generate::{DistrictOptions, district};
use strata::register::act::{Act, ActBody};
use strata::register::import::{ImportOptions, import_acts};
use strata::register::page::page;
use strata::register::party::{Party, PartyKind};
use strata::register::record::{Source, SourceKind, Term};
use strata::register::rules::Options;
use strata::register::{Clock, MemoryRegister, Settings, SqliteRegister, record};

fn survey(units: usize) -> (strata::model::Dataset, Vec<Act>) {
    let ds = district(&DistrictOptions {
        units,
        conflict_every: 0,
        ..DistrictOptions::default()
    })
    .to_dataset();
    let acts = import_acts(
        &ds,
        &[],
        &ImportOptions {
            officer: "登簿人".into(),
            number_prefix: "B".into(),
            survey: "survey".into(),
        },
    );
    (ds, acts)
}

fn sqlite_with(dir: &Path, acts: &[Act]) -> SqliteRegister {
    let path = dir.join(format!("r{}.gpkg", acts.len()));
    let _ = std::fs::remove_file(&path);
    let mut reg = SqliteRegister::create(&path, Settings::default()).unwrap();
    record(&mut reg, acts, Clock::Now, &Options::default()).unwrap();
    reg
}

fn batch_10k(c: &mut Criterion) {
    let (_, acts) = survey(10_000);
    let dir = tempfile::tempdir().unwrap();
    let mut g = c.benchmark_group("register_batch_10k");
    g.sample_size(10);
    g.bench_function("memory (rules only)", |b| {
        b.iter(|| {
            let mut m = MemoryRegister::new();
            record(&mut m, &acts, Clock::Now, &Options::default()).unwrap();
        })
    });
    g.bench_function("geopackage", |b| b.iter(|| sqlite_with(dir.path(), &acts)));
    g.finish();
}

fn mortgage(n: u64, unit: &str) -> Act {
    let bank = Party {
        id: "91110000MA0BANK000".into(),
        name: "银行".into(),
        kind: PartyKind::Company,
    };
    Act {
        number: format!("M{n}"),
        reason: "抵押".into(),
        officer: "登簿人".into(),
        parties: vec![],
        sources: vec![Source {
            id: format!("loan-{n}"),
            kind: SourceKind::Application,
            title: None,
            date: None,
            issuer: None,
        }],
        note: None,
        body: ActBody::Mortgage {
            unit: unit.into(),
            mortgagee: bank,
            amount: 1.0e6,
            maximum: false,
            debt_term: Term::default(),
        },
    }
}

fn act_and_page_100k(c: &mut Criterion) {
    let (ds, acts) = survey(100_000);
    let dir = tempfile::tempdir().unwrap();
    let mut reg = sqlite_with(dir.path(), &acts);
    let middle = Timestamp::now();
    let units: Vec<String> = ds.units.iter().map(|u| u.key.clone()).collect();
    // A unit offered again under a new code overlaps itself: refused after the exact check.
    let mut overlap = acts[acts.len() - 1].clone();
    if let ActBody::FirstRegistration { unit, .. } = &mut overlap.body {
        unit.replace_range(14..19, "99999");
    }
    overlap.number = "overlap".into();
    let mut g = c.benchmark_group("register_100k");
    let mut n = 0u64;
    g.bench_function("mortgage (one act)", |b| {
        b.iter(|| {
            n += 1;
            let a = mortgage(n, &units[(n as usize * 7919) % units.len()]);
            record(&mut reg, &[a], Clock::Now, &Options::default()).unwrap();
        })
    });
    g.bench_function("first registration refused for an overlap", |b| {
        b.iter(|| {
            let r = record(
                &mut reg,
                std::slice::from_ref(&overlap),
                Clock::Now,
                &Options::default(),
            );
            assert!(r.is_err());
        })
    });
    let mut k = 0usize;
    g.bench_function("page now", |b| {
        b.iter(|| {
            k += 1;
            page(&reg, &units[(k * 104_729) % units.len()], None)
                .unwrap()
                .unwrap()
        })
    });
    g.bench_function("page as of a past moment", |b| {
        b.iter(|| {
            k += 1;
            page(&reg, &units[(k * 104_729) % units.len()], Some(middle))
                .unwrap()
                .unwrap()
        })
    });
    g.finish();
}

criterion_group!(benches, batch_10k, act_and_page_100k);
criterion_main!(benches);
