//! Verifying a register: the hash chain of the journal, a replay of every act from empty
//! compared with the stored state, and the invariants of the live state.

use serde::Serialize;

use crate::checks::{Subject, overlap_between};
use crate::diagnostics::Severity;
use crate::geometry::{Aabb, Point3};

use super::backend::Backend;
use super::error::RegisterError;
use super::journal::Hash;
use super::memory::MemoryRegister;
use super::record::{Kind, Record, UnitStatus, Version};
use super::recorder::apply;
use super::rules::{Denied, Options};

/// Acts read at a time.
const CHUNK: u64 = 10_000;
/// Problems listed before the rest are only counted.
const MAX_PROBLEMS: usize = 50;

/// What `verify` found.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct VerifyReport {
    /// Acts in the journal.
    pub acts: u64,
    /// Versions stored.
    pub versions: usize,
    /// Live registered units.
    pub live_units: usize,
    /// The hash of the last act: keep it elsewhere to detect a rewritten journal.
    pub head: Option<String>,
    /// What is wrong; empty when the register is sound.
    pub problems: Vec<String>,
}

impl VerifyReport {
    /// True when nothing is wrong.
    pub fn ok(&self) -> bool {
        self.problems.is_empty()
    }

    fn problem(&mut self, p: String) {
        if self.problems.len() < MAX_PROBLEMS {
            self.problems.push(p);
        }
    }
}

/// Verifies register `b` with the rules' tolerances `opts`.
pub fn verify<B: Backend + ?Sized>(b: &B, opts: &Options) -> Result<VerifyReport, RegisterError> {
    let head = b.head()?;
    let mut report = VerifyReport {
        acts: head.map_or(0, |h| h.seq),
        versions: 0,
        live_units: 0,
        head: head.map(|h| h.hash.to_string()),
        problems: Vec::new(),
    };
    let replayed = replay(b, opts, &mut report)?;
    let stored = b.all_versions()?;
    report.versions = stored.len();
    if let Some(mem) = replayed {
        compare(&stored, &mem.all_versions()?, &mut report);
        let (a, b) = (b.counters()?, mem.counters()?);
        if a != b {
            report.problem(format!(
                "the stored counters differ from the replay: {:?}",
                a.iter().zip(&b).find(|(x, y)| x != y).or(None)
            ));
        }
    }
    invariants(b, &stored, opts, &mut report)?;
    Ok(report)
}

/// Reads the journal in order, checking the chain, and replays it into memory. `None` when
/// the journal is broken and cannot be replayed.
fn replay<B: Backend + ?Sized>(
    b: &B,
    opts: &Options,
    report: &mut VerifyReport,
) -> Result<Option<MemoryRegister>, RegisterError> {
    let mut mem = MemoryRegister::new();
    let mut prev = Hash::GENESIS;
    let mut last_time = None;
    let mut from = 1;
    while from <= report.acts {
        let to = (from + CHUNK - 1).min(report.acts);
        let entries = match b.entries(from, to) {
            Ok(e) => e,
            Err(RegisterError::Damaged { what, detail, .. }) => {
                report.problem(format!("{what} is damaged: {detail}"));
                return Ok(None);
            }
            Err(e) => return Err(e),
        };
        let mut expected = from;
        for e in entries {
            if e.seq != expected {
                report.problem(format!("journal entry {expected} is missing"));
                return Ok(None);
            }
            if e.prev != prev {
                report.problem(format!(
                    "journal entry {} does not follow entry {}: the chain is broken",
                    e.seq,
                    e.seq - 1
                ));
                return Ok(None);
            }
            if last_time.is_some_and(|t| e.recorded_at < t) {
                report.problem(format!(
                    "journal entry {} is recorded before the entry before it",
                    e.seq
                ));
            }
            last_time = Some(e.recorded_at);
            prev = e.hash;
            match apply(&mut mem, &e, opts) {
                Ok(()) => {}
                Err(Denied::Refused(r)) => {
                    report.problem(format!(
                        "act {} ({}) is refused when replayed: {r}",
                        e.seq, e.act.number
                    ));
                    return Ok(None);
                }
                Err(Denied::Failed(e)) => return Err(e),
            }
            expected += 1;
        }
        if expected != to + 1 {
            report.problem(format!("journal entry {expected} is missing"));
            return Ok(None);
        }
        from = to + 1;
    }
    Ok(Some(mem))
}

fn describe(v: &Version) -> String {
    format!(
        "the {} {} version opened by act {}",
        v.kind.as_str(),
        v.key,
        v.begin
    )
}

fn compare(stored: &[Version], replayed: &[Version], report: &mut VerifyReport) {
    for (i, (s, r)) in stored.iter().zip(replayed).enumerate() {
        if s == r {
            continue;
        }
        let what = if (s.kind, &s.key, s.begin) != (r.kind, &r.key, r.begin) {
            format!(
                "stored version {} is {}, the replay gives {}",
                i + 1,
                describe(s),
                describe(r)
            )
        } else if s.end != r.end {
            format!(
                "{} is stored as ended by {:?}, the replay ends it by {:?}",
                describe(s),
                s.end,
                r.end
            )
        } else {
            format!("{} differs from the replay of the journal", describe(s))
        };
        report.problem(what);
    }
    if stored.len() != replayed.len() {
        report.problem(format!(
            "{} versions are stored, the replay of the journal gives {}",
            stored.len(),
            replayed.len()
        ));
    }
}

fn invariants<B: Backend + ?Sized>(
    b: &B,
    stored: &[Version],
    opts: &Options,
    report: &mut VerifyReport,
) -> Result<(), RegisterError> {
    let live: Vec<&Version> = stored.iter().filter(|v| v.end.is_none()).collect();
    let has = |kind: Kind, key: &str| live.iter().any(|v| v.kind == kind && v.key == key);
    let units: Vec<_> = live
        .iter()
        .filter_map(|v| match &v.record {
            Record::Unit(u) => Some(u),
            _ => None,
        })
        .collect();
    for u in &units {
        match u.status {
            UnitStatus::Registered => {
                report.live_units += 1;
                if !has(Kind::Right, &u.code) {
                    report.problem(format!("registered unit {} has no live right", u.code));
                }
            }
            UnitStatus::Retired => {
                let bound: Vec<_> = live
                    .iter()
                    .filter(|v| v.kind != Kind::Unit && v.record.unit() == Some(&u.code))
                    .map(|v| format!("{} {}", v.kind.as_str(), v.key))
                    .collect();
                if !bound.is_empty() {
                    report.problem(format!(
                        "retired unit {} is live in {}",
                        u.code,
                        bound.join(", ")
                    ));
                }
            }
            _ => {}
        }
    }
    for v in &live {
        if let Record::Right(r) = &v.record {
            if r.holders.holdings.is_empty() {
                report.problem(format!("the live right of {} has no holder", r.unit));
            }
            for p in r.holders.parties() {
                if !has(Kind::Party, p) {
                    report.problem(format!(
                        "the live right of {} is held by {p}, who is not in the register",
                        r.unit
                    ));
                }
            }
        }
    }
    overlaps(b, &units, opts, report)
}

fn overlaps<B: Backend + ?Sized>(
    b: &B,
    units: &[&super::record::UnitRecord],
    opts: &Options,
    report: &mut VerifyReport,
) -> Result<(), RegisterError> {
    for u in units.iter().filter(|u| u.status == UnitStatus::Registered) {
        let (Some(vd), Some(m)) = (&u.volume, u.measures) else {
            continue;
        };
        let bb = m.bbox;
        let bbox = Aabb {
            min: Point3::new(bb[0], bb[1], bb[2]),
            max: Point3::new(bb[3], bb[4], bb[5]),
        };
        let v = vd.to_volume();
        let s = Subject::new(0, &v);
        for o in b.registered_meeting(&bbox)? {
            if o.code <= u.code {
                continue;
            }
            let (Ok(a), Ok(c)) = (
                u.code.parse::<crate::model::UnitCode>(),
                o.code.parse::<crate::model::UnitCode>(),
            ) else {
                continue;
            };
            if crate::checks::building_on_its_land(&a, &c)
                || crate::checks::building_on_its_land(&c, &a)
            {
                continue;
            }
            let Some(ov) = &o.volume else { continue };
            let ovol = ov.to_volume();
            let os = Subject::new(1, &ovol);
            if let Some(x) = overlap_between(&s, &os, &u.code, &o.code, &opts.check)
                && x.severity == Severity::Error
            {
                report.problem(format!("live rights overlap: {}", x.message));
            }
        }
    }
    Ok(())
}
