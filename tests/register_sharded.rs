//! The register sharded by county over three PostgreSQL servers (a coordinator and two county
//! servers, started by `tools/test.sh`): acts recorded through the coordinator in their
//! county, refused when they would write to two, officers of two counties at once, SQL and
//! queries across counties, and verification that finds a damaged county.

mod support;

use std::sync::{Arc, Barrier};

use assert_cmd::Command;
use strata::register::act::{Act, ActBody};
use strata::register::record::PlotRecord;
use strata::register::rules::Options;
use strata::register::shard::county_schema;
use strata::register::store::{self, Scope};
use strata::register::{Clock, PgRegister, Reason, RegisterError, View, record};
use support::register::*;

const A: &str = "110112";
const B: &str = "110113";

/// County `county`'s unit `n`.
fn unit(county: &str, n: u32) -> String {
    format!("{county}003005GX{n:05}W00000000")
}

/// The base scenario of the register's tests in county `i` of [`strip`]: a plot, three
/// pre-coded layers, one supplied and registered; business numbers prefixed by the county.
fn scenario(county: &str, i: usize) -> Vec<Act> {
    scenario_at(county, 1000.0 * i as f64, 0.0)
}

/// The base scenario moved by `(dx, dy)`.
fn scenario_at(county: &str, dx: f64, dy: f64) -> Vec<Act> {
    let mut p: PlotRecord = plot(&format!("P{county}"));
    for ring in p.footprint.iter_mut().flatten() {
        for pt in ring.iter_mut() {
            pt[0] += dx;
            pt[1] += dy;
        }
    }
    vec![
        act(&format!("{county}-1"), ActBody::Plot { plot: p }),
        act(
            &format!("{county}-2"),
            ActBody::PreCode {
                prefix: format!("{county}003005GX"),
                count: 3,
                plot: Some(format!("P{county}")),
                names: vec![],
                predecessors: vec![],
            },
        ),
        act(
            &format!("{county}-3"),
            ActBody::Supply {
                unit: unit(county, 1),
                terms: allocation(10.0, 20.0),
            },
        ),
        act(
            &format!("{county}-4"),
            ActBody::FirstRegistration {
                unit: unit(county, 1),
                surveyed: surveyed(boxed(dx, dy, 10.0, dx + 50.0, dy + 50.0, 19.0)),
                supply: None,
            },
        ),
    ]
}

fn location(schema: &str) -> String {
    format!("{}#{schema}", postgres_url())
}

/// Records `acts` through the coordinator, in the county they name.
fn record_routed(schema: &str, acts: &[Act]) -> Result<(), RegisterError> {
    let mut reg = store::open_for(&location(schema), false, Scope::Acts(acts))?;
    record(reg.as_mut(), acts, Clock::Now, &Options::default())?;
    Ok(())
}

fn sql(url: &str, q: &str) -> Vec<postgres::Row> {
    let mut c = postgres::Client::connect(url, postgres::NoTls).unwrap();
    c.query(q, &[]).unwrap()
}

fn refusal(r: Result<impl std::fmt::Debug, RegisterError>) -> (usize, strata::register::Refusal) {
    match r {
        Err(RegisterError::Refused { index, refusal, .. }) => (index, *refusal),
        other => panic!("not a refusal: {other:?}"),
    }
}

#[test]
fn each_county_keeps_its_own_register_and_the_coordinator_reads_them_all() {
    let schema = fresh_schema("city");
    let mut city = sharded_register(&schema, &[A, B]);
    record_routed(&schema, &scenario(A, 0)).unwrap();
    record_routed(&schema, &scenario(B, 1)).unwrap();

    // Each county has its own journal from act 1, on its own server.
    let urls = shard_urls();
    for (county, url) in [(A, &urls[0]), (B, &urls[1])] {
        let through = city.county(county).unwrap();
        let head = through.head().unwrap().unwrap();
        assert_eq!(head.seq, 4);
        let direct = PgRegister::open(url, &county_schema(&schema, county)).unwrap();
        assert_eq!(direct.head().unwrap().unwrap(), head);
        assert!(
            through
                .live(strata::register::Kind::Unit, &unit(county, 1))
                .unwrap()
                .is_some()
        );
    }
    // SQL over the whole city through the coordinator's partitioned tables.
    let rows = sql(
        &postgres_url(),
        &format!(
            "SELECT county, count(*)::int, max(seq)::int FROM {schema}.journal
             GROUP BY county ORDER BY county"
        ),
    );
    let got: Vec<(String, i32, i32)> = rows
        .iter()
        .map(|r| (r.get(0), r.get(1), r.get(2)))
        .collect();
    assert_eq!(got, vec![(A.into(), 4, 4), (B.into(), 4, 4)]);
    let rows = sql(
        &postgres_url(),
        &format!(
            "SELECT unit_code, round(ST_Area(geom))::int FROM {schema}.units_under
             ORDER BY unit_code"
        ),
    );
    let got: Vec<(String, i32)> = rows.iter().map(|r| (r.get(0), r.get(1))).collect();
    assert_eq!(got, vec![(unit(A, 1), 2500), (unit(B, 1), 2500)]);

    let reports = city.verify(&Options::default()).unwrap();
    assert_eq!(reports.len(), 2);
    for r in &reports {
        assert!(r.report.ok(), "{}: {:?}", r.county, r.report.problems);
        assert_eq!(r.report.acts, 4);
        assert_eq!(r.report.live_units, 1);
    }
}

#[test]
fn an_act_writes_to_one_county() {
    let schema = fresh_schema("border");
    let city = sharded_register(&schema, &[A, B]);
    record_routed(&schema, &scenario(A, 0)).unwrap();

    // A batch over two counties.
    let mut batch = scenario(B, 1);
    batch.insert(
        1,
        act(
            "A-5",
            ActBody::Supply {
                unit: unit(A, 2),
                terms: allocation(0.0, 5.0),
            },
        ),
    );
    let (index, r) = refusal(city.county_for(&batch));
    assert_eq!((index, r.reason), (2, Reason::SpansCounties));
    assert!(
        r.message
            .contains("county 110113 and this one to county 110112"),
        "{}",
        r.message
    );

    // A tunnel coded in county A reaching 10 m under county B.
    let tunnel = act(
        "A-6",
        ActBody::FirstRegistration {
            unit: unit(A, 2),
            surveyed: surveyed(boxed(960.0, 0.0, 0.0, 1010.0, 10.0, 5.0)),
            supply: None,
        },
    );
    let (_, r) = refusal(record_routed(&schema, &[tunnel]));
    assert_eq!(r.reason, Reason::SpansCounties);
    assert!(
        r.message.contains("100.000 m² into county 110113"),
        "{}",
        r.message
    );

    // A county with no register here, and a code that names no county.
    let elsewhere = act(
        "X-1",
        ActBody::Cancellation {
            unit: unit("110114", 1),
        },
    );
    assert_eq!(
        refusal(city.county_for(&[elsewhere])).1.reason,
        Reason::NoCounty
    );
    let nonsense = act(
        "X-2",
        ActBody::Cancellation {
            unit: "GX00001".into(),
        },
    );
    assert_eq!(
        refusal(city.county_for(&[nonsense])).1.reason,
        Reason::InvalidCode
    );

    // Nothing of the refused acts was recorded.
    assert_eq!(city.county(A).unwrap().head().unwrap().unwrap().seq, 4);
    assert!(city.county(B).unwrap().head().unwrap().is_none());
}

#[test]
fn a_county_server_refuses_acts_that_bypass_the_coordinator() {
    let schema = fresh_schema("bypass");
    let _city = sharded_register(&schema, &[A, B]);
    let mut direct = PgRegister::open(&shard_urls()[0], &county_schema(&schema, A)).unwrap();
    let e = record(
        &mut direct,
        &scenario(A, 0),
        Clock::Now,
        &Options::default(),
    )
    .unwrap_err();
    assert!(matches!(e, RegisterError::ReadOnly { .. }), "{e}");
    assert!(e.to_string().contains("through its coordinator"), "{e}");
    // The coordinator's own schema is not a register to write to either.
    let e = PgRegister::open(&postgres_url(), &schema).unwrap_err();
    assert!(e.to_string().contains("sharded by county"), "{e}");
}

#[test]
fn officers_of_two_counties_record_at_once_and_of_one_county_one_after_the_other() {
    let schema = fresh_schema("officers");
    let city = sharded_register(&schema, &[A, B]);
    record_routed(&schema, &scenario(A, 0)).unwrap();
    record_routed(&schema, &scenario(B, 1)).unwrap();
    // Three officers: two in county A with overlapping volumes (one must be refused), one in
    // county B.
    let jobs = [(A, 0usize, 2u32), (A, 0, 3), (B, 1, 2)];
    let barrier = Arc::new(Barrier::new(jobs.len()));
    let handles: Vec<_> = jobs
        .into_iter()
        .map(|(county, i, n)| {
            let (schema, barrier) = (schema.clone(), barrier.clone());
            std::thread::spawn(move || {
                let dx = 1000.0 * i as f64 + 60.0 + f64::from(n);
                let acts = vec![
                    act(
                        &format!("{county}-S{n}"),
                        ActBody::Supply {
                            unit: unit(county, n),
                            terms: allocation(0.0, 10.0),
                        },
                    ),
                    act(
                        &format!("{county}-R{n}"),
                        ActBody::FirstRegistration {
                            unit: unit(county, n),
                            surveyed: surveyed(boxed(dx, 60.0, 0.0, dx + 20.0, 80.0, 5.0)),
                            supply: None,
                        },
                    ),
                ];
                barrier.wait();
                record_routed(&schema, &acts)
            })
        })
        .collect();
    let results: Vec<_> = handles.into_iter().map(|h| h.join().unwrap()).collect();
    assert!(results[2].is_ok(), "{:?}", results[2]);
    let a_ok = results[..2].iter().filter(|r| r.is_ok()).count();
    assert_eq!(a_ok, 1, "{results:?}");
    let refused = results[..2].iter().find(|r| r.is_err()).unwrap();
    assert!(matches!(
        refused,
        Err(RegisterError::Refused { refusal, .. }) if refusal.reason == Reason::Overlap
    ));
    assert_eq!(city.county(A).unwrap().head().unwrap().unwrap().seq, 6);
    assert_eq!(city.county(B).unwrap().head().unwrap().unwrap().seq, 6);
}

#[test]
fn verification_finds_a_damaged_county_and_a_coordinator_behind_it() {
    let schema = fresh_schema("damaged");
    let mut city = sharded_register(&schema, &[A, B]);
    record_routed(&schema, &scenario(A, 0)).unwrap();
    record_routed(&schema, &scenario(B, 1)).unwrap();
    let cs = county_schema(&schema, B);
    // Someone rewrites an act on county B's server.
    sql(
        &shard_urls()[1],
        &format!(
            "UPDATE {cs}.journal SET body = convert_to(replace(convert_from(body, 'UTF8'), '登簿人', '另一人'), 'UTF8') WHERE seq = 3"
        ),
    );
    // And the coordinator's version ids of county A are set back.
    sql(
        &postgres_url(),
        &format!(
            "SELECT setval('{}.version_id', 1)",
            county_schema(&schema, A)
        ),
    );
    let reports = city.verify(&Options::default()).unwrap();
    let a = &reports[0].report;
    assert!(
        a.problems.iter().any(|p| p.contains("behind the county's")),
        "{:?}",
        a.problems
    );
    let b = &reports[1].report;
    assert!(!b.ok());
    assert!(
        b.problems.iter().any(|p| p.contains("entry 3")),
        "{:?}",
        b.problems
    );
}

#[test]
fn the_cli_creates_imports_queries_and_verifies_a_sharded_register() {
    let schema = fresh_schema("cli");
    let coordinator = location(&schema);
    let data = |f: &str| format!("{}/data/{f}", env!("CARGO_MANIFEST_DIR"));
    let urls = shard_urls();
    let run = strata_ok;
    run(&[
        "register",
        "init",
        &coordinator,
        "--crs",
        "EPSG:4548",
        "--shard",
        &format!("110108={}", urls[0]),
        "--shard",
        &format!("110112={}", urls[1]),
        "--counties",
        &data("counties.geojson"),
    ]);
    run(&[
        "register",
        "import",
        &coordinator,
        &data("dazhongsi/dazhongsi.geojson"),
        "--officer",
        "登簿人",
    ]);
    // Tongzhou's acts from a file, next to the Wengcheng site.
    let acts = std::env::temp_dir().join(format!("strata-tongzhou-{}.json", std::process::id()));
    let list = scenario_at("110112", 474000.0, 4419000.0);
    std::fs::write(&acts, serde_json::to_string(&list).unwrap()).unwrap();
    run(&[
        "register",
        "act",
        &coordinator,
        "--file",
        &acts.display().to_string(),
    ]);
    // Both projects in one box query, across the two counties.
    let hits: serde_json::Value = serde_json::from_slice(&run(&[
        "register",
        "query",
        &coordinator,
        "--volume",
        "443000,4418000,-100,475000,4426000,100",
        "--json",
    ]))
    .unwrap();
    let units: Vec<&str> = hits
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["unit"].as_str().unwrap())
        .collect();
    assert!(units.iter().any(|u| u.starts_with("110108")), "{units:?}");
    assert!(units.iter().any(|u| u.starts_with("110112")), "{units:?}");
    // A page through the coordinator, as of now.
    let page: serde_json::Value = serde_json::from_slice(&run(&[
        "register",
        "show",
        &coordinator,
        "110108012004GX00001W00000000",
        "--json",
        "--as-of",
        &jiff::Timestamp::now().to_string(),
    ]))
    .unwrap();
    assert_eq!(page["unit"]["measures"]["volume_m3"], 113850.0);
    let v: serde_json::Value =
        serde_json::from_slice(&run(&["register", "verify", &coordinator, "--json"])).unwrap();
    assert_eq!(v["ok"], true, "{v}");
    let acts: Vec<u64> = v["counties"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["report"]["acts"].as_u64().unwrap())
        .collect();
    assert_eq!(acts, vec![7, 4]);
    // The Wengcheng survey into a register without Tongzhou is refused, naming the county.
    let other = location(&fresh_schema("cli_one"));
    run(&[
        "register",
        "init",
        &other,
        "--crs",
        "EPSG:4548",
        "--shard",
        &format!("110108={}", urls[0]),
        "--counties",
        &write_one_county(&data("counties.geojson")),
    ]);
    let out = Command::cargo_bin("strata")
        .unwrap()
        .args([
            "register",
            "import",
            &other,
            &data("wengcheng/wengcheng.geojson"),
            "--officer",
            "x",
        ])
        .assert()
        .failure()
        .get_output()
        .clone();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("outside every county") || err.contains("no register"),
        "{err}"
    );
}

/// The counties file with Haidian only, in a temporary file.
fn write_one_county(path: &str) -> String {
    let mut v: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    v["features"].as_array_mut().unwrap().truncate(1);
    let p = std::env::temp_dir().join(format!("strata-one-county-{}.geojson", std::process::id()));
    std::fs::write(&p, v.to_string()).unwrap();
    p.display().to_string()
}

#[test]
fn a_layout_that_cannot_hold_is_refused_and_a_failed_one_leaves_nothing() {
    let urls = shard_urls();
    let create = |schema: &str,
                  shards: &[(&str, &str)],
                  counties: &[strata::register::shard::county::County]| {
        let shards: Vec<(String, String)> = shards
            .iter()
            .map(|(c, u)| (c.to_string(), u.to_string()))
            .collect();
        strata::register::ShardedRegister::create(
            &postgres_url(),
            schema,
            &shards,
            counties,
            strata::register::Settings::default(),
        )
        .map(|_| ())
    };
    let message = |r: Result<(), RegisterError>| r.unwrap_err().to_string();
    let s = fresh_schema("bad");
    let two = [strip(A, 0), strip(B, 1)];
    let e = message(create(&s, &[(A, &urls[0]), (A, &urls[1])], &two[..1]));
    assert!(e.contains("county 110112 is given twice"), "{e}");
    let mut overlapping = [strip(A, 0), strip(B, 0)];
    overlapping[1].code = B.into();
    let e = message(create(&s, &[(A, &urls[0]), (B, &urls[1])], &overlapping));
    assert!(e.contains("110112 and 110113 overlap"), "{e}");
    let e = message(create(&s, &[(A, &postgres_url())], &two[..1]));
    assert!(e.contains("the coordinator's"), "{e}");
    let e = message(create(&s, &[(A, &urls[0])], &two));
    assert!(
        e.contains("county 110113 has a boundary but no server"),
        "{e}"
    );
    // The coordinator fails after the county registers were made (a foreign server of the
    // name it needs exists): the county registers are removed again.
    let mut c = postgres::Client::connect(&postgres_url(), postgres::NoTls).unwrap();
    c.batch_execute(&format!(
        "SELECT pg_advisory_lock(hashtext('strata create coordinator'));
         CREATE EXTENSION IF NOT EXISTS postgres_fdw;
         SELECT pg_advisory_unlock(hashtext('strata create coordinator'));
         CREATE SERVER {} FOREIGN DATA WRAPPER postgres_fdw",
        county_schema(&s, B)
    ))
    .unwrap();
    assert!(create(&s, &[(A, &urls[0]), (B, &urls[1])], &two).is_err());
    for (county, url) in [(A, &urls[0]), (B, &urls[1])] {
        let rows = sql(
            url,
            &format!(
                "SELECT count(*)::int FROM pg_namespace WHERE nspname = '{}'",
                county_schema(&s, county)
            ),
        );
        assert_eq!(
            rows[0].get::<_, i32>(0),
            0,
            "county {county}'s schema is left behind"
        );
    }
    assert!(!strata::register::ShardedRegister::is_sharded(&postgres_url(), &s).unwrap());
}
