//! Properties of the register over random sequences of acts (valid or refused): replaying the
//! journal gives the stored state (`verify`), and the state as of act k is the state built
//! from the acts up to k.

mod support;

use jiff::civil::date;
use proptest::prelude::*;
use strata::register::act::{ActBody, Amendment};
use strata::register::party::Holders;
use strata::register::record::{Kind, Seq, Term, Version};
use strata::register::rules::Options;
use strata::register::{
    Act, Backend, Clock, MemoryRegister, Settings, SqliteRegister, View, record, verify,
};
use support::register::*;

#[derive(Debug, Clone)]
struct Op {
    kind: u8,
    unit: u32,
    flag: bool,
    days: u16,
}

fn op() -> impl Strategy<Value = Op> {
    (0u8..9, 1u32..5, any::<bool>(), 0u16..2000).prop_map(|(kind, unit, flag, days)| Op {
        kind,
        unit,
        flag,
        days,
    })
}

/// The layer of unit `u`: 5 m thick, stacked downwards from the ground; with `overlap`, it
/// reaches 2 m into the layer above.
fn layer(u: u32, overlap: bool) -> (f64, f64) {
    let top = 20.0 - 5.0 * f64::from(u - 1);
    (top - 5.0, if overlap && u > 1 { top + 2.0 } else { top })
}

fn first_key(b: &dyn Backend, kind: Kind, unit: &str) -> String {
    b.live_on_unit(kind, unit)
        .unwrap()
        .first()
        .map_or_else(|| format!("{unit}:none"), |(k, _)| k.clone())
}

fn to_act(b: &dyn Backend, n: usize, o: &Op) -> Act {
    let unit = code(o.unit);
    let (lo, hi) = layer(o.unit, false);
    let body = match o.kind {
        0 => ActBody::Supply {
            unit,
            terms: allocation(lo, hi),
        },
        1 => {
            let (z0, z1) = layer(o.unit, o.flag);
            ActBody::FirstRegistration {
                unit,
                surveyed: surveyed(boxed(0.0, 0.0, z0, 40.0, 40.0, z1)),
                supply: None,
            }
        }
        2 => ActBody::Transfer {
            unit,
            holders: Holders::sole(if o.flag { GOVERNMENT } else { COMPANY }),
            price: None,
            buy_back: o.flag,
        },
        3 => ActBody::Mortgage {
            unit,
            mortgagee: bank(),
            amount: 1.0e6,
            maximum: o.flag,
            debt_term: Term::default(),
        },
        4 => ActBody::ReleaseMortgage {
            mortgage: first_key(b, Kind::Mortgage, &unit),
        },
        5 => {
            let start = date(2023, 1, 1)
                .checked_add(jiff::Span::new().days(i64::from(o.days)))
                .unwrap();
            let end = start.checked_add(jiff::Span::new().days(200)).unwrap();
            ActBody::Seizure {
                unit,
                court: "测试法院".into(),
                document: COURT.into(),
                start,
                end,
            }
        }
        6 => ActBody::ReleaseSeizure {
            seizure: first_key(b, Kind::Seizure, &unit),
        },
        7 => ActBody::Cancellation { unit },
        _ => ActBody::Change {
            unit,
            amendment: Amendment {
                usage: Some(format!("用途{}", o.days)),
                ..Amendment::default()
            },
        },
    };
    let mut a = act(&format!("P{n}"), body);
    a.parties.push(bank());
    a
}

fn at(n: usize) -> jiff::Timestamp {
    date(2024, 1, 1)
        .at(9, 0, 0, 0)
        .to_zoned(jiff::tz::TimeZone::UTC)
        .unwrap()
        .timestamp()
        .checked_add(jiff::SignedDuration::from_hours(12 * n as i64))
        .unwrap()
}

fn live_at(vs: &[Version], seq: Seq) -> Vec<(Kind, String, String)> {
    let mut out: Vec<_> = vs
        .iter()
        .filter(|v| v.live_at(seq))
        .map(|v| {
            (
                v.kind,
                v.key.clone(),
                serde_json::to_string(&v.record).unwrap(),
            )
        })
        .collect();
    out.sort();
    out
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    #[test]
    fn replay_gives_the_state_and_as_of_k_is_the_state_of_the_first_k_acts(
        overlaps in proptest::collection::vec(any::<bool>(), 4),
        rest in proptest::collection::vec(op(), 1..60)
    ) {
        // Every layer supplied and offered for registration first (some overlapping the one
        // above, to be refused), then anything.
        let mut ops: Vec<Op> = (1..5u32)
            .flat_map(|u| {
                let flag = overlaps[u as usize - 1];
                [Op { kind: 0, unit: u, flag, days: 0 }, Op { kind: 1, unit: u, flag, days: 0 }]
            })
            .collect();
        ops.extend(rest);
        let dir = tempfile::tempdir().unwrap();
        let mut reg = SqliteRegister::create(&dir.path().join("r.gpkg"), Settings::default()).unwrap();
        let opts = Options::default();
        let base = [
            act("B1", ActBody::Plot { plot: plot("P") }),
            act("B2", ActBody::PreCode {
                prefix: PREFIX.into(), count: 4, plot: Some("P".into()),
                names: vec![], predecessors: vec![],
            }),
        ];
        record(&mut reg, &base, Clock::At(at(0)), &opts).unwrap();
        for (i, o) in ops.iter().enumerate() {
            let a = to_act(&reg, i, o);
            // Refusals are part of the property: they must leave no trace.
            let _ = record(&mut reg, &[a], Clock::At(at(i + 1)), &opts);
        }
        prop_assert!(reg.head().unwrap().unwrap().seq >= 6, "the layers were registered");
        let report = verify(&reg, &opts).unwrap();
        prop_assert!(report.ok(), "{:?}", report.problems);
        let stored = reg.all_versions().unwrap();
        let head = reg.head().unwrap().unwrap().seq;
        let entries = reg.entries(1, head).unwrap();
        let mut mem = MemoryRegister::new();
        for e in &entries {
            record(&mut mem, std::slice::from_ref(&e.act), Clock::At(e.recorded_at), &opts).unwrap();
            prop_assert_eq!(
                live_at(&stored, e.seq),
                live_at(&mem.all_versions().unwrap(), e.seq),
                "state as of act {}", e.seq
            );
            prop_assert_eq!(mem.head().unwrap().unwrap().hash, e.hash);
        }
    }
}
