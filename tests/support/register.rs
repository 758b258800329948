//! Acts for the register's tests: one plot, boxes for volumes, and the same parties and
//! sources cited by every act.

use jiff::civil::date;
use strata::register::act::{Act, ActBody, Surveyed};
use strata::register::geometry::{PartData, VolumeData};
use strata::register::party::{Holders, Party, PartyKind};
use strata::register::record::{Bounds, Nature, PlotRecord, Source, SourceKind, SupplyTerms, Term};
use strata::register::rules::Options;
use strata::register::{Backend, Clock, Recorded, RegisterError, record};

pub const PREFIX: &str = "110112003005GX";
pub const COMPANY: &str = "91110112MA0COMPANY";
pub const GOVERNMENT: &str = "11110112MB0GOVERNM";
pub const BANK: &str = "91110112MA0BANK000";
pub const SURVEY: &str = "DCJG-TEST-0001";
pub const CONTRACT: &str = "CONTRACT-0001";
pub const DECISION: &str = "DECISION-0001";
pub const COURT: &str = "COURT-0001";

pub fn code(n: u32) -> String {
    format!("{PREFIX}{n:05}W00000000")
}

pub fn parties() -> Vec<Party> {
    vec![
        Party {
            id: COMPANY.into(),
            name: "测试建设开发有限公司".into(),
            kind: PartyKind::Company,
        },
        Party {
            id: GOVERNMENT.into(),
            name: "测试区城市管理委员会".into(),
            kind: PartyKind::Government,
        },
    ]
}

pub fn bank() -> Party {
    Party {
        id: BANK.into(),
        name: "测试银行".into(),
        kind: PartyKind::Company,
    }
}

pub fn sources() -> Vec<Source> {
    let s = |id: &str, kind| Source {
        id: id.into(),
        kind,
        title: None,
        date: None,
        issuer: None,
    };
    vec![
        s(SURVEY, SourceKind::SurveyResult),
        s(CONTRACT, SourceKind::Contract),
        s(DECISION, SourceKind::AllocationDecision),
        s(COURT, SourceKind::CourtOrder),
    ]
}

/// An act numbered `number`, citing every source and naming both parties.
pub fn act(number: &str, body: ActBody) -> Act {
    Act {
        number: number.into(),
        reason: "测试".into(),
        officer: "登簿人".into(),
        parties: parties(),
        sources: sources(),
        note: None,
        body,
    }
}

/// A square plot `0..100 × 0..100` with the ground at 20 m.
pub fn plot(id: &str) -> PlotRecord {
    PlotRecord {
        id: id.into(),
        name: None,
        land_use: None,
        ground: Some(20.0),
        green_space: false,
        footprint: vec![vec![vec![
            [0.0, 0.0],
            [100.0, 0.0],
            [100.0, 100.0],
            [0.0, 100.0],
        ]]],
    }
}

/// A box as a prism.
pub fn boxed(x0: f64, y0: f64, z0: f64, x1: f64, y1: f64, z1: f64) -> VolumeData {
    VolumeData {
        parts: vec![PartData::Prism {
            footprint: vec![vec![[x0, y0], [x1, y0], [x1, y1], [x0, y1]]],
            bottom: z0,
            top: z1,
        }],
    }
}

pub fn surveyed(v: VolumeData) -> Surveyed {
    Surveyed {
        survey: SURVEY.into(),
        volume: v,
        sixto: Default::default(),
        name: None,
        plot: None,
    }
}

/// Allocation to the company between `lower` and `upper`.
pub fn allocation(lower: f64, upper: f64) -> SupplyTerms {
    SupplyTerms {
        nature: Nature::Allocation,
        holders: Holders::sole(COMPANY),
        usage: "地下公共设施".into(),
        term: Term::default(),
        price: None,
        bounds: Bounds { lower, upper },
        plots: vec![],
        contract: DECISION.into(),
    }
}

/// A transfer by listing, with its term.
pub fn listing(lower: f64, upper: f64) -> SupplyTerms {
    SupplyTerms {
        nature: Nature::Listing,
        term: Term {
            start: Some(date(2024, 1, 1)),
            end: Some(date(2063, 12, 31)),
        },
        price: Some(1.0e6),
        contract: CONTRACT.into(),
        ..allocation(lower, upper)
    }
}

/// Records acts one batch each, now.
pub fn rec(b: &mut dyn Backend, acts: Vec<Act>) -> Result<Vec<Recorded>, RegisterError> {
    let mut out = Vec::new();
    for a in acts {
        out.extend(record(b, &[a], Clock::Now, &Options::default())?);
    }
    Ok(out)
}

/// A register with plot P, three pre-coded GX codes, and GX00001 registered as a box
/// `0..50 × 0..50 × 10..19` allocated to the company (bounds 10–20).
pub fn registered(b: &mut dyn Backend) {
    rec(
        b,
        vec![
            act("A1", ActBody::Plot { plot: plot("P") }),
            act(
                "A2",
                ActBody::PreCode {
                    prefix: PREFIX.into(),
                    count: 3,
                    plot: Some("P".into()),
                    names: vec![],
                    predecessors: vec![],
                },
            ),
            act(
                "A3",
                ActBody::Supply {
                    unit: code(1),
                    terms: allocation(10.0, 20.0),
                },
            ),
            act(
                "A4",
                ActBody::FirstRegistration {
                    unit: code(1),
                    surveyed: surveyed(boxed(0.0, 0.0, 10.0, 50.0, 50.0, 19.0)),
                    supply: None,
                },
            ),
        ],
    )
    .expect("the base scenario is recorded");
}

/// The test database: `STRATA_TEST_POSTGRES`, set by `tools/test.sh`, which starts it.
pub fn postgres_url() -> String {
    std::env::var("STRATA_TEST_POSTGRES").unwrap_or_else(|_| {
        panic!(
            "STRATA_TEST_POSTGRES is not set: the register's PostgreSQL tests need a server; \
             run the tests with `bash tools/test.sh`, which starts one"
        )
    })
}

/// A schema name no other test uses.
pub fn fresh_schema(tag: &str) -> String {
    use std::sync::atomic::{AtomicU32, Ordering};
    static N: AtomicU32 = AtomicU32::new(0);
    format!(
        "t_{tag}_{}_{}",
        std::process::id(),
        N.fetch_add(1, Ordering::Relaxed)
    )
}

/// A new PostgreSQL register in a fresh schema of the test database. With
/// `STRATA_TEST_LAYOUT=sharded` (set by `tools/test.sh` for a second run), the register is
/// county 110112's of a register sharded over the test servers: its tables on a county
/// server, read and written through the coordinator.
pub fn postgres_register(tag: &str) -> (strata::register::PgRegister, String) {
    let schema = fresh_schema(tag);
    if std::env::var("STRATA_TEST_LAYOUT").as_deref() == Ok("sharded") {
        let county = &PREFIX[..6];
        let city = sharded_register(&schema, &[county]);
        let reg = city.county(county).unwrap();
        return (reg, strata::register::shard::county_schema(&schema, county));
    }
    let r = strata::register::PgRegister::create(
        &postgres_url(),
        &schema,
        strata::register::Settings::default(),
    )
    .unwrap();
    (r, schema)
}

/// The county servers: `STRATA_TEST_SHARDS`, set by `tools/test.sh`, which starts them.
pub fn shard_urls() -> Vec<String> {
    let urls: Vec<String> = std::env::var("STRATA_TEST_SHARDS")
        .unwrap_or_else(|_| {
            panic!(
                "STRATA_TEST_SHARDS is not set: the sharded register's tests need two more \
                 servers; run the tests with `bash tools/test.sh`, which starts them"
            )
        })
        .split_whitespace()
        .map(str::to_string)
        .collect();
    assert!(
        urls.len() >= 2,
        "STRATA_TEST_SHARDS names {} servers, not two",
        urls.len()
    );
    urls
}

/// County `i`'s boundary in the sharded tests: the strip `1000 i ≤ x ≤ 1000 (i + 1)`.
pub fn strip(code: &str, i: usize) -> strata::register::shard::county::County {
    let (x0, x1) = (1000.0 * i as f64, 1000.0 * (i + 1) as f64);
    let ring = vec![[x0, -1.0e4], [x1, -1.0e4], [x1, 1.0e4], [x0, 1.0e4]];
    strata::register::shard::county::County {
        code: code.into(),
        boundary: strata::register::geometry::multipolygon(&[vec![ring]]),
    }
}

/// A register sharded over the test servers in schema `schema` of the coordinator: county
/// `codes[i]` on server `i % 2`, its boundary [`strip`] `i`.
pub fn sharded_register(schema: &str, codes: &[&str]) -> strata::register::ShardedRegister {
    let urls = shard_urls();
    let shards: Vec<(String, String)> = codes
        .iter()
        .enumerate()
        .map(|(i, c)| (c.to_string(), urls[i % urls.len()].clone()))
        .collect();
    let counties: Vec<_> = codes.iter().enumerate().map(|(i, c)| strip(c, i)).collect();
    strata::register::ShardedRegister::create(
        &postgres_url(),
        schema,
        &shards,
        &counties,
        strata::register::Settings::default(),
    )
    .unwrap()
}

/// The standard output of `strata ARGS`, which must succeed.
pub fn strata_ok(args: &[&str]) -> Vec<u8> {
    assert_cmd::Command::cargo_bin("strata")
        .unwrap()
        .args(args)
        .assert()
        .success()
        .get_output()
        .stdout
        .clone()
}
