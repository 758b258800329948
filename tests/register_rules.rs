//! Every rule of the register refuses with its reason, on both storages; and what the rules
//! allow changes the state as the register's practice says.

mod support;

use jiff::Timestamp;
use jiff::civil::date;
use strata::register::act::{ActBody, Amendment};
use strata::register::party::{Holders, Holding, Party, PartyKind, Share, Sharing};
use strata::register::record::{Kind, Record, Source, SourceKind, Term, UnitStatus};
use strata::register::rules::Options;
use strata::register::{
    Backend, Clock, MemoryRegister, Reason, RegisterError, Settings, SqliteRegister, page, record,
    verify,
};
use support::register::*;

/// Runs `f` on a memory register, a GeoPackage register and a PostgreSQL register, and
/// verifies the stored ones.
fn both(f: impl Fn(&mut dyn Backend)) {
    let mut m = MemoryRegister::new();
    f(&mut m);
    let dir = tempfile::tempdir().unwrap();
    let mut s = SqliteRegister::create(&dir.path().join("r.gpkg"), Settings::default()).unwrap();
    f(&mut s);
    let report = verify(&s, &Options::default()).unwrap();
    assert!(report.ok(), "{:?}", report.problems);
    let (mut p, _) = postgres_register("rules");
    f(&mut p);
    let report = verify(&p, &Options::default()).unwrap();
    assert!(report.ok(), "{:?}", report.problems);
    assert_eq!(p.all_versions().unwrap(), s.all_versions().unwrap());
}

fn reason(r: Result<Vec<strata::register::Recorded>, RegisterError>) -> Reason {
    match r {
        Err(RegisterError::Refused { refusal, .. }) => refusal.reason,
        Err(e) => panic!("not a refusal: {e}"),
        Ok(_) => panic!("recorded, not refused"),
    }
}

fn refused(b: &mut dyn Backend, a: strata::register::Act) -> Reason {
    let before = b.head().unwrap();
    let r = reason(rec(b, vec![a]));
    assert_eq!(b.head().unwrap(), before, "a refused act is not recorded");
    r
}

fn precode(n: &str, count: u32) -> ActBody {
    let _ = n;
    ActBody::PreCode {
        prefix: PREFIX.into(),
        count,
        plot: Some("P".into()),
        names: vec![],
        predecessors: vec![],
    }
}

fn register_second(b: &mut dyn Backend, v: strata::register::geometry::VolumeData) -> Reason {
    refused(
        b,
        act(
            "X",
            ActBody::FirstRegistration {
                unit: code(2),
                surveyed: surveyed(v),
                supply: Some(allocation(0.0, 30.0)),
            },
        ),
    )
}

#[test]
fn every_act_needs_an_officer_a_new_number_and_its_sources() {
    both(|b| {
        registered(b);
        let mut a = act("B1", precode("B1", 1));
        a.officer = " ".into();
        assert_eq!(refused(b, a), Reason::Incomplete);
        assert_eq!(
            refused(b, act("A4", precode("A4", 1))),
            Reason::DuplicateNumber
        );
        let mut a = act("B2", precode("B2", 1));
        a.sources.clear();
        assert_eq!(refused(b, a), Reason::MissingSource);
        let mut a = act("B3", precode("B3", 1));
        a.sources[0].title = Some("another title".into());
        assert_eq!(refused(b, a), Reason::SourceMismatch);
        let mut a = act("B4", precode("B4", 1));
        a.parties[0].name = "另一个名字".into();
        assert_eq!(refused(b, a), Reason::PartyMismatch);
    });
}

#[test]
fn supply_needs_known_well_formed_holders_and_a_term_for_a_transfer() {
    both(|b| {
        registered(b);
        let mut t = allocation(0.0, 10.0);
        t.holders = Holders::sole("nobody");
        let a = act(
            "S1",
            ActBody::Supply {
                unit: code(2),
                terms: t,
            },
        );
        assert_eq!(refused(b, a), Reason::UnknownParty);
        let mut t = allocation(0.0, 10.0);
        t.holders = Holders {
            sharing: Sharing::InShares,
            holdings: vec![
                Holding {
                    party: COMPANY.into(),
                    share: Share::parse("1/3"),
                },
                Holding {
                    party: GOVERNMENT.into(),
                    share: Share::parse("1/3"),
                },
            ],
        };
        let a = act(
            "S2",
            ActBody::Supply {
                unit: code(2),
                terms: t,
            },
        );
        assert_eq!(refused(b, a), Reason::InvalidHolders);
        let mut t = listing(0.0, 10.0);
        t.term = Term::default();
        let a = act(
            "S3",
            ActBody::Supply {
                unit: code(2),
                terms: t,
            },
        );
        assert_eq!(refused(b, a), Reason::InvalidTerm);
        let mut t = allocation(0.0, 10.0);
        t.bounds.lower = 12.0;
        let a = act(
            "S4",
            ActBody::Supply {
                unit: code(2),
                terms: t,
            },
        );
        assert_eq!(refused(b, a), Reason::InvalidTerm);
        let a = act(
            "S5",
            ActBody::Supply {
                unit: code(1),
                terms: allocation(0.0, 10.0),
            },
        );
        assert_eq!(refused(b, a), Reason::WrongStatus);
        let a = act(
            "S6",
            ActBody::Supply {
                unit: code(9),
                terms: allocation(0.0, 10.0),
            },
        );
        assert_eq!(refused(b, a), Reason::NotFound);
        let mut t = allocation(0.0, 10.0);
        t.contract = SURVEY.into();
        let a = act(
            "S7",
            ActBody::Supply {
                unit: code(2),
                terms: t,
            },
        );
        assert_eq!(refused(b, a), Reason::MissingSource);
    });
}

#[test]
fn pre_coding_refuses_a_malformed_prefix_and_never_reuses_a_number() {
    both(|b| {
        registered(b);
        let a = act(
            "C1",
            ActBody::PreCode {
                prefix: "11011200300GX".into(),
                count: 1,
                plot: None,
                names: vec![],
                predecessors: vec![],
            },
        );
        assert_eq!(refused(b, a), Reason::InvalidCode);
        // Cancel GX00001: its number stays used, the next code is GX00004.
        rec(b, vec![act("C2", ActBody::Cancellation { unit: code(1) })]).unwrap();
        rec(b, vec![act("C3", precode("C3", 1))]).unwrap();
        assert!(matches!(
            b.live(Kind::Unit, &code(4)).unwrap(),
            Some(Record::Unit(u)) if u.status == UnitStatus::PreCoded
        ));
        let a = act(
            "C4",
            ActBody::FirstRegistration {
                unit: code(1),
                surveyed: surveyed(boxed(0.0, 0.0, 10.0, 50.0, 50.0, 19.0)),
                supply: Some(allocation(10.0, 20.0)),
            },
        );
        assert_eq!(
            refused(b, a),
            Reason::WrongStatus,
            "a retired code is not used again"
        );
    });
}

#[test]
fn a_first_registration_is_checked_like_a_survey() {
    both(|b| {
        registered(b);
        // Not a solid: a footprint that crosses itself.
        let mut bow = boxed(60.0, 60.0, 0.0, 70.0, 70.0, 5.0);
        if let strata::register::geometry::PartData::Prism { footprint, .. } = &mut bow.parts[0] {
            footprint[0] = vec![[60.0, 60.0], [70.0, 70.0], [70.0, 60.0], [60.0, 70.0]];
        }
        assert_eq!(register_second(b, bow), Reason::InvalidVolume);
        let a = act(
            "F1",
            ActBody::FirstRegistration {
                unit: code(2),
                surveyed: surveyed(boxed(60.0, 60.0, 5.0, 70.0, 70.0, 15.0)),
                supply: Some(allocation(10.0, 20.0)),
            },
        );
        assert_eq!(refused(b, a), Reason::OutsideBounds);
        assert_eq!(
            register_second(b, boxed(90.0, 90.0, 0.0, 110.0, 110.0, 10.0)),
            Reason::OutsideColumn
        );
        // Under ground (GX) but reaching above the ground at 20 m.
        assert_eq!(
            register_second(b, boxed(60.0, 60.0, 10.0, 70.0, 70.0, 25.0)),
            Reason::WrongSide
        );
    });
}

#[test]
fn an_overlap_names_every_conflicting_unit_with_its_volume_and_elevations() {
    both(|b| {
        registered(b);
        let r = rec(
            b,
            vec![act(
                "O1",
                ActBody::FirstRegistration {
                    unit: code(2),
                    surveyed: surveyed(boxed(40.0, 40.0, 5.0, 60.0, 60.0, 15.0)),
                    supply: Some(allocation(0.0, 20.0)),
                },
            )],
        );
        let Err(RegisterError::Refused { refusal, .. }) = r else {
            panic!("an overlap is refused")
        };
        assert_eq!(refusal.reason, Reason::Overlap);
        assert_eq!(refusal.conflicts.len(), 1);
        let c = &refusal.conflicts[0];
        assert!(c.a == code(1) || c.b.as_deref() == Some(code(1).as_str()));
        // 10 × 10 m over 10–15 m.
        assert!((c.volume_m3 - 500.0).abs() < 1e-6, "{}", c.volume_m3);
        assert_eq!(c.z_range, Some([10.0, 15.0]));
        // Touching the first unit's face is no overlap.
        rec(
            b,
            vec![act(
                "O2",
                ActBody::FirstRegistration {
                    unit: code(2),
                    surveyed: surveyed(boxed(0.0, 0.0, 5.0, 50.0, 50.0, 10.0)),
                    supply: Some(allocation(0.0, 20.0)),
                },
            )],
        )
        .expect("a layer below, sharing a face, is registered");
    });
}

fn mortgage(n: &str) -> strata::register::Act {
    mortgage_of(n, 1)
}

fn seizure(n: &str, start: jiff::civil::Date, end: jiff::civil::Date) -> strata::register::Act {
    act(
        n,
        ActBody::Seizure {
            unit: code(1),
            court: "测试法院".into(),
            document: COURT.into(),
            start,
            end,
        },
    )
}

fn transfer(n: &str, to: &str, buy_back: bool) -> strata::register::Act {
    act(
        n,
        ActBody::Transfer {
            unit: code(1),
            holders: Holders::sole(to),
            price: None,
            buy_back,
        },
    )
}

#[test]
fn a_seized_layer_is_neither_transferred_nor_mortgaged_and_a_mortgaged_one_not_cancelled() {
    both(|b| {
        registered(b);
        rec(b, vec![mortgage("M1")]).unwrap();
        assert_eq!(
            refused(b, act("M2", ActBody::Cancellation { unit: code(1) })),
            Reason::Mortgaged
        );
        let today = strata::register::rules::china_date(Timestamp::now());
        let start = today.checked_sub(jiff::Span::new().days(10)).unwrap();
        let end = today.checked_add(jiff::Span::new().days(300)).unwrap();
        rec(b, vec![seizure("Z1", start, end)]).unwrap();
        assert_eq!(
            refused(b, transfer("Z2", GOVERNMENT, false)),
            Reason::Seized
        );
        assert_eq!(refused(b, mortgage("Z3")), Reason::Seized);
        // A waiting seizure is recorded behind the first.
        rec(b, vec![seizure("Z4", start, end)]).unwrap();
        let key = format!("{}:S{}", code(1), b.head().unwrap().unwrap().seq - 1);
        rec(b, vec![act("Z5", ActBody::ReleaseSeizure { seizure: key })]).unwrap();
        // The second moved up: in force from today, still no transfer.
        assert_eq!(
            refused(b, transfer("Z6", GOVERNMENT, false)),
            Reason::Seized
        );
        let p = page::page(&*b, &code(1), None).unwrap().unwrap();
        assert_eq!(p.seizures.len(), 1);
        assert_eq!(p.seizures[0].window.from, today);
    });
}

#[test]
fn a_lapsed_seizure_binds_nothing_and_cannot_be_renewed() {
    both(|b| {
        registered(b);
        rec(b, vec![seizure("L1", date(2020, 1, 1), date(2020, 12, 31))]).unwrap();
        let key = format!("{}:S{}", code(1), b.head().unwrap().unwrap().seq);
        let a = act(
            "L2",
            ActBody::RenewSeizure {
                seizure: key,
                end: date(2030, 1, 1),
            },
        );
        assert_eq!(refused(b, a), Reason::NotInForce);
        rec(b, vec![transfer("L3", GOVERNMENT, false)]).expect("a lapsed seizure binds nothing");
    });
}

#[test]
fn a_buy_back_is_by_a_government_body() {
    both(|b| {
        registered(b);
        let mut a = transfer("G1", "91110112MA0OTHERCO", true);
        a.parties.push(Party {
            id: "91110112MA0OTHERCO".into(),
            name: "另一公司".into(),
            kind: PartyKind::Company,
        });
        assert_eq!(refused(b, a), Reason::NotGovernment);
        rec(b, vec![transfer("G2", GOVERNMENT, true)]).unwrap();
        let Some(Record::Right(r)) = b.live(Kind::Right, &code(1)).unwrap() else {
            panic!("the right is live")
        };
        assert_eq!(r.holders, Holders::sole(GOVERNMENT));
        assert_eq!(
            refused(b, transfer("G3", GOVERNMENT, true)),
            Reason::NothingToChange
        );
    });
}

#[test]
fn changes_and_corrections_keep_the_wrong_entry_in_the_history() {
    both(|b| {
        registered(b);
        let a = act(
            "K1",
            ActBody::Change {
                unit: code(1),
                amendment: Amendment::default(),
            },
        );
        assert_eq!(refused(b, a), Reason::NothingToChange);
        let renamed = Amendment {
            renamed: vec![Party {
                id: COMPANY.into(),
                name: "测试建设开发集团有限公司".into(),
                kind: PartyKind::Company,
            }],
            ..Amendment::default()
        };
        let mut a = act(
            "K2",
            ActBody::Change {
                unit: code(1),
                amendment: renamed,
            },
        );
        a.parties.retain(|p| p.id != COMPANY);
        rec(b, vec![a]).unwrap();
        // A correction must name an act about the same unit.
        let wrong = act(
            "K3",
            ActBody::Correction {
                unit: code(1),
                corrects: "A2".into(),
                amendment: Amendment {
                    usage: Some("公共停车".into()),
                    ..Amendment::default()
                },
            },
        );
        let mut wrong = wrong;
        wrong.parties.retain(|p| p.id != COMPANY);
        assert_eq!(refused(b, wrong), Reason::UnrelatedCorrection);
        let mut right = act(
            "K4",
            ActBody::Correction {
                unit: code(1),
                corrects: "A4".into(),
                amendment: Amendment {
                    usage: Some("公共停车".into()),
                    ..Amendment::default()
                },
            },
        );
        right.parties.retain(|p| p.id != COMPANY);
        rec(b, vec![right]).unwrap();
        let p = page::page(&*b, &code(1), None).unwrap().unwrap();
        assert_eq!(p.rights.len(), 3, "first entry, rename, correction");
        assert!(!p.rights[0].current && p.rights[2].current);
        assert_eq!(p.rights[0].right.usage, "地下公共设施");
        assert_eq!(p.rights[2].right.usage, "公共停车");
        assert_eq!(p.rights[2].holders[0].name, "测试建设开发集团有限公司");
        // A corrected volume is checked like a first registration.
        let bad = act(
            "K5",
            ActBody::Correction {
                unit: code(1),
                corrects: "A4".into(),
                amendment: Amendment {
                    volume: Some(surveyed(boxed(0.0, 0.0, 5.0, 50.0, 50.0, 19.0))),
                    ..Amendment::default()
                },
            },
        );
        let mut bad = bad;
        bad.parties.retain(|p| p.id != COMPANY);
        assert_eq!(refused(b, bad), Reason::OutsideBounds);
    });
}

#[test]
fn a_batch_is_recorded_whole_or_not_at_all() {
    both(|b| {
        registered(b);
        let before = b.all_versions().unwrap();
        let batch = vec![
            act(
                "W1",
                ActBody::Supply {
                    unit: code(2),
                    terms: allocation(0.0, 10.0),
                },
            ),
            act(
                "W2",
                ActBody::FirstRegistration {
                    unit: code(2),
                    surveyed: surveyed(boxed(0.0, 0.0, 0.0, 50.0, 50.0, 10.0)),
                    supply: None,
                },
            ),
            act(
                "W3",
                ActBody::Supply {
                    unit: code(7),
                    terms: allocation(0.0, 10.0),
                },
            ),
        ];
        let r = record(b, &batch, Clock::Now, &Options::default());
        assert!(matches!(r, Err(RegisterError::Refused { index: 3, .. })));
        assert_eq!(b.all_versions().unwrap(), before);
        assert_eq!(b.head().unwrap().unwrap().seq, 4);
        record(b, &batch[..2], Clock::Now, &Options::default()).unwrap();
        assert_eq!(b.head().unwrap().unwrap().seq, 6);
    });
}

#[test]
fn acts_are_recorded_in_time_order_and_pages_read_as_of_any_moment() {
    both(|b| {
        let t = |y, m, d| {
            date(y, m, d)
                .at(10, 0, 0, 0)
                .to_zoned(jiff::tz::TimeZone::UTC)
                .unwrap()
                .timestamp()
        };
        let o = Options::default();
        let acts = [
            act("T1", ActBody::Plot { plot: plot("P") }),
            act("T2", precode("T2", 1)),
            act(
                "T3",
                ActBody::FirstRegistration {
                    unit: code(1),
                    surveyed: surveyed(boxed(0.0, 0.0, 10.0, 50.0, 50.0, 19.0)),
                    supply: Some(allocation(10.0, 20.0)),
                },
            ),
        ];
        for (i, a) in acts.iter().enumerate() {
            record(
                b,
                std::slice::from_ref(a),
                Clock::At(t(2024, 1, 1 + i as i8)),
                &o,
            )
            .unwrap();
        }
        let r = record(
            b,
            &[transfer("T4", GOVERNMENT, false)],
            Clock::At(t(2023, 12, 31)),
            &o,
        );
        assert_eq!(reason(r), Reason::ClockBackwards);
        record(
            b,
            &[transfer("T5", GOVERNMENT, false)],
            Clock::At(t(2025, 1, 1)),
            &o,
        )
        .unwrap();
        let before = page::page(&*b, &code(1), Some(t(2024, 6, 1)))
            .unwrap()
            .unwrap();
        assert_eq!(before.seq, 3);
        assert_eq!(before.rights.len(), 1);
        assert_eq!(before.rights[0].right.holders, Holders::sole(COMPANY));
        let now = page::page(&*b, &code(1), None).unwrap().unwrap();
        assert_eq!(
            now.rights.last().unwrap().right.holders,
            Holders::sole(GOVERNMENT)
        );
        assert!(
            page::page(&*b, &code(1), Some(t(2024, 1, 1)))
                .unwrap()
                .is_none()
        );
    });
}

#[test]
fn a_cancelled_layer_frees_its_volume() {
    both(|b| {
        registered(b);
        rec(b, vec![act("X1", ActBody::Cancellation { unit: code(1) })]).unwrap();
        assert!(b.live(Kind::Right, &code(1)).unwrap().is_none());
        rec(
            b,
            vec![act(
                "X2",
                ActBody::FirstRegistration {
                    unit: code(2),
                    surveyed: surveyed(boxed(0.0, 0.0, 10.0, 50.0, 50.0, 19.0)),
                    supply: Some(allocation(10.0, 20.0)),
                },
            )],
        )
        .expect("the freed volume is registered again under a new code");
    });
}

#[test]
fn a_source_cited_for_a_contract_must_be_a_contract() {
    both(|b| {
        registered(b);
        let mut a = act(
            "Y1",
            ActBody::Supply {
                unit: code(2),
                terms: allocation(0.0, 10.0),
            },
        );
        a.sources.push(Source {
            id: "Y".into(),
            kind: SourceKind::Other,
            title: None,
            date: None,
            issuer: None,
        });
        rec(b, vec![a]).expect("an extra source is recorded");
    });
}

#[test]
fn a_plot_without_a_finite_footprint_with_an_area_is_refused() {
    both(|b| {
        let mut p = plot("P");
        p.footprint[0][0][1] = [f64::INFINITY, 0.0];
        assert_eq!(
            refused(b, act("N1", ActBody::Plot { plot: p })),
            Reason::Incomplete
        );
        let mut flat = plot("P");
        flat.footprint[0][0] = vec![[0.0, 0.0], [10.0, 0.0], [20.0, 0.0]];
        assert_eq!(
            refused(b, act("N2", ActBody::Plot { plot: flat })),
            Reason::Incomplete
        );
    });
}

/// A mortgage of unit `n` with the bank.
fn mortgage_of(number: &str, n: u32) -> strata::register::Act {
    let mut a = act(
        number,
        ActBody::Mortgage {
            unit: code(n),
            mortgagee: bank(),
            amount: 1.0e7,
            maximum: false,
            debt_term: Term::default(),
        },
    );
    a.parties.push(bank());
    a
}

#[test]
fn a_large_batch_decided_while_it_is_written_is_recorded_whole_or_not_at_all() {
    // Enough acts for the rules to run on a second thread over a second reader while the
    // storage writes: each act reads what the acts before it in the batch did (a code
    // pre-coded, supplied, registered, then mortgaged), and the last one is refused.
    both(|b| {
        registered(b);
        let before = b.all_versions().unwrap();
        let head = b.head().unwrap().unwrap().seq;
        let mut batch = vec![act("L0", precode("L0", 40))];
        for k in 4..44u32 {
            let (i, j) = (f64::from(k % 8), f64::from(k / 8));
            let (x, y) = (55.0 + 5.0 * i, 5.0 + 10.0 * j);
            batch.push(act(
                &format!("LS{k}"),
                ActBody::Supply {
                    unit: code(k),
                    terms: allocation(0.0, 10.0),
                },
            ));
            batch.push(act(
                &format!("LR{k}"),
                ActBody::FirstRegistration {
                    unit: code(k),
                    surveyed: surveyed(boxed(x, y, 0.0, x + 4.0, y + 8.0, 10.0)),
                    supply: None,
                },
            ));
        }
        batch.push(mortgage_of("LM", 4));
        batch.push(mortgage_of("LX", 99));
        let r = record(b, &batch, Clock::Now, &Options::default());
        assert!(
            matches!(&r, Err(RegisterError::Refused { index, .. }) if *index == batch.len()),
            "{r:?}"
        );
        assert_eq!(
            b.all_versions().unwrap(),
            before,
            "nothing of the batch stays"
        );
        assert_eq!(b.head().unwrap().unwrap().seq, head);
        batch.pop();
        let recorded = record(b, &batch, Clock::Now, &Options::default()).unwrap();
        assert_eq!(recorded.len(), batch.len());
        assert_eq!(recorded.last().unwrap().seq, head + batch.len() as u64);
        assert_eq!(b.live_on_unit(Kind::Mortgage, &code(4)).unwrap().len(), 1);
        let live = b.live_of_kind(Kind::Right).unwrap();
        assert_eq!(live.len(), 41, "unit 1 and the 40 units of the batch");
    });
}
