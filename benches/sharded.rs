//! The register sharded by county, side by side with a register on one server, on the same
//! acts and the same machine:
//!
//! - `sharded_batch_2k`: the first registration of a 2,000-unit survey as one batch, into a
//!   register on one server and into one county through the coordinator;
//! - `sharded_acts_100`: 100 mortgages, each its own batch and transaction (an officer's
//!   pace), on one server; through the coordinator in one county; and through the
//!   coordinator in two counties at once, one officer in each (200 acts in all).
//!
//! Needs `STRATA_BENCH_POSTGRES` (the coordinator, and the one server) and
//! `STRATA_BENCH_SHARDS` (two county servers, space-separated URLs); without them it measures
//! nothing. `bash tools/bench-sharded.sh` starts three servers on loopback and runs it.

mod common;

use common::{mortgage, schema};
use criterion::{BatchSize, Criterion, criterion_group, criterion_main};
use strata::generate::{DistrictOptions, district};
use strata::register::act::{Act, ActBody};
use strata::register::geometry::multipolygon;
use strata::register::import::{ImportOptions, import_acts};
use strata::register::rules::Options;
use strata::register::shard::county::County;
use strata::register::{Clock, PgRegister, Settings, ShardedRegister, record};

struct Servers {
    coordinator: String,
    shards: Vec<String>,
}

fn servers() -> Option<Servers> {
    let coordinator = std::env::var("STRATA_BENCH_POSTGRES").ok()?;
    let shards: Vec<String> = std::env::var("STRATA_BENCH_SHARDS")
        .ok()?
        .split_whitespace()
        .map(str::to_string)
        .collect();
    (shards.len() >= 2).then_some(Servers {
        coordinator,
        shards,
    })
}

/// A generated survey's acts, and the box around it `[xmin, ymin, xmax, ymax]`.
fn survey(units: usize) -> (Vec<Act>, [f64; 4]) {
    let d = district(&DistrictOptions {
        units,
        conflict_every: 0,
        ..DistrictOptions::default()
    });
    let b = d
        .plots
        .iter()
        .fold([f64::MAX, f64::MAX, f64::MIN, f64::MIN], |b, p| {
            [
                b[0].min(p.rect[0]),
                b[1].min(p.rect[1]),
                b[2].max(p.rect[2]),
                b[3].max(p.rect[3]),
            ]
        });
    let acts = import_acts(
        &d.to_dataset(),
        &[],
        &ImportOptions {
            officer: "登簿人".into(),
            number_prefix: "B".into(),
            survey: "survey".into(),
        },
    );
    (acts, b)
}

/// The same acts in county `to` (codes beginning with `from` re-coded), moved `dx` east.
fn moved(acts: &[Act], from: &str, to: &str, dx: f64) -> Vec<Act> {
    fn walk(v: &mut serde_json::Value, from: &str, to: &str, dx: f64, footprint: bool) {
        match v {
            serde_json::Value::String(s) if s.starts_with(from) => {
                s.replace_range(..from.len(), to);
            }
            serde_json::Value::Array(a) => {
                if footprint && a.len() == 2 && a.iter().all(|x| x.is_number()) {
                    a[0] = serde_json::json!(a[0].as_f64().unwrap_or_default() + dx);
                } else {
                    a.iter_mut().for_each(|x| walk(x, from, to, dx, footprint));
                }
            }
            serde_json::Value::Object(o) => {
                for (k, x) in o.iter_mut() {
                    walk(x, from, to, dx, footprint || k == "footprint");
                }
            }
            _ => {}
        }
    }
    let mut v = serde_json::to_value(acts).unwrap();
    walk(&mut v, from, to, dx, false);
    serde_json::from_value(v).unwrap()
}

fn county(code: &str, b: [f64; 4], dx: f64) -> County {
    let (x0, y0, x1, y1) = (b[0] + dx - 10.0, b[1] - 10.0, b[2] + dx + 10.0, b[3] + 10.0);
    County {
        code: code.into(),
        boundary: multipolygon(&[vec![vec![[x0, y0], [x1, y0], [x1, y1], [x0, y1]]]]),
    }
}

/// Records 100 mortgages on `units`, one act a batch.
fn mortgages(reg: &mut PgRegister, units: &[String], round: &mut u64) {
    for _ in 0..100 {
        *round += 1;
        let unit = &units[(*round as usize * 7919) % units.len()];
        record(
            reg,
            &[mortgage(*round, unit)],
            Clock::Now,
            &Options::default(),
        )
        .unwrap();
    }
}

/// The layout of the benches: county `a` and county `b` (the same survey moved east).
struct Layout {
    acts_a: Vec<Act>,
    acts_b: Vec<Act>,
    counties: Vec<County>,
}

fn layout(units: usize) -> Layout {
    let (acts_a, b) = survey(units);
    let code = acts_a
        .iter()
        .find_map(|a| a.body.unit())
        .map(|u| u[..6].to_string())
        .unwrap_or_default();
    let other = format!("{:06}", code.parse::<u32>().unwrap_or_default() + 1);
    let dx = (b[2] - b[0]) + 100.0;
    let acts_b = moved(&acts_a, &code, &other, dx);
    let counties = vec![county(&code, b, 0.0), county(&other, b, dx)];
    Layout {
        acts_a,
        acts_b,
        counties,
    }
}

fn city(s: &Servers, l: &Layout) -> ShardedRegister {
    let shards: Vec<(String, String)> = l
        .counties
        .iter()
        .zip(&s.shards)
        .map(|(c, url)| (c.code.clone(), url.clone()))
        .collect();
    ShardedRegister::create(
        &s.coordinator,
        &schema("city"),
        &shards,
        &l.counties,
        Settings::default(),
    )
    .unwrap()
}

fn batch_2k(c: &mut Criterion) {
    let Some(s) = servers() else { return };
    let l = layout(2_000);
    let mut g = c.benchmark_group("sharded_batch_2k");
    g.sample_size(10);
    g.bench_function("one server", |b| {
        b.iter_batched(
            || PgRegister::create(&s.coordinator, &schema("one"), Settings::default()).unwrap(),
            |mut reg| record(&mut reg, &l.acts_a, Clock::Now, &Options::default()).unwrap(),
            BatchSize::PerIteration,
        )
    });
    g.bench_function("through the coordinator", |b| {
        b.iter_batched(
            || city(&s, &l).county(&l.counties[0].code).unwrap(),
            |mut reg| record(&mut reg, &l.acts_a, Clock::Now, &Options::default()).unwrap(),
            BatchSize::PerIteration,
        )
    });
    g.finish();
}

fn acts_100(c: &mut Criterion) {
    let Some(s) = servers() else { return };
    let l = layout(2_000);
    let units = |acts: &[Act]| -> Vec<String> {
        acts.iter()
            .filter(|a| matches!(a.body, ActBody::FirstRegistration { .. }))
            .filter_map(|a| a.body.unit().map(str::to_string))
            .collect()
    };
    let (units_a, units_b) = (units(&l.acts_a), units(&l.acts_b));
    let mut one = PgRegister::create(&s.coordinator, &schema("one"), Settings::default()).unwrap();
    record(&mut one, &l.acts_a, Clock::Now, &Options::default()).unwrap();
    let sharded = city(&s, &l);
    let mut a = sharded.county(&l.counties[0].code).unwrap();
    let mut b = sharded.county(&l.counties[1].code).unwrap();
    record(&mut a, &l.acts_a, Clock::Now, &Options::default()).unwrap();
    record(&mut b, &l.acts_b, Clock::Now, &Options::default()).unwrap();

    let mut g = c.benchmark_group("sharded_acts_100");
    g.sample_size(10);
    let mut round = 0;
    g.bench_function("one server", |bch| {
        bch.iter(|| mortgages(&mut one, &units_a, &mut round))
    });
    g.bench_function("through the coordinator, one county", |bch| {
        bch.iter(|| mortgages(&mut a, &units_a, &mut round))
    });
    g.bench_function("through the coordinator, two counties at once", |bch| {
        bch.iter(|| {
            let (ra, rb) = (round, round + 1_000_000);
            std::thread::scope(|sc| {
                let (a, b) = (&mut a, &mut b);
                let (ua, ub) = (&units_a, &units_b);
                sc.spawn(move || mortgages(a, ua, &mut { ra }));
                sc.spawn(move || mortgages(b, ub, &mut { rb }));
            });
            round += 100;
        })
    });
    g.finish();
}

criterion_group!(benches, batch_2k, acts_100);
criterion_main!(benches);
