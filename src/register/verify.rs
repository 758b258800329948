//! Verifying a register: the hash chain of the journal, a replay of every act from empty
//! compared with the stored state, and the invariants of the live state.

use std::collections::HashSet;

use serde::Serialize;

use rayon::prelude::*;

use crate::checks::{Subject, building_on_its_land, overlap_between};
use crate::diagnostics::Severity;
use crate::geometry::Volume;
use crate::index::BoxIndex;
use crate::model::UnitCode;

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
    let mine = match &replayed {
        Some(mem) => mem.versions_slice(),
        None => &[],
    };
    compare(b, mine, replayed.is_some(), &mut report)?;
    if let Some(mem) = &replayed {
        let (a, b) = (b.counters()?, mem.counters()?);
        if a != b {
            report.problem(format!(
                "the stored counters differ from the replay: {:?}",
                a.iter().zip(&b).find(|(x, y)| x != y)
            ));
        }
    }
    invariants(b, opts, &mut report)?;
    Ok(report)
}

/// Reads the journal in order, checking the chain, and replays it into memory. `None` when
/// the journal is broken and cannot be replayed.
fn replay<B: Backend + ?Sized>(
    b: &B,
    opts: &Options,
    report: &mut VerifyReport,
) -> Result<Option<MemoryRegister>, RegisterError> {
    let mut mem = MemoryRegister::lean();
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

/// Versions compared at a time.
const PART: usize = 100_000;

fn compare<B: Backend + ?Sized>(
    b: &B,
    replayed: &[Version],
    was_replayed: bool,
    report: &mut VerifyReport,
) -> Result<(), RegisterError> {
    let mut offset = 0;
    loop {
        let part = b.versions_part(offset, PART)?;
        if part.is_empty() {
            break;
        }
        if was_replayed {
            for (j, s) in part.iter().enumerate() {
                match replayed.get(offset + j) {
                    Some(r) if r == s => {}
                    Some(r) => report.problem(difference(offset + j, s, r)),
                    None => {}
                }
            }
        }
        offset += part.len();
    }
    report.versions = offset;
    if was_replayed && offset != replayed.len() {
        report.problem(format!(
            "{offset} versions are stored, the replay of the journal gives {}",
            replayed.len()
        ));
    }
    Ok(())
}

fn difference(i: usize, s: &Version, r: &Version) -> String {
    if (s.kind, &s.key, s.begin) != (r.kind, &r.key, r.begin) {
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
    }
}

fn invariants<B: Backend + ?Sized>(
    b: &B,
    opts: &Options,
    report: &mut VerifyReport,
) -> Result<(), RegisterError> {
    let keys = |kind| -> Result<HashSet<String>, RegisterError> {
        Ok(b.live_of_kind(kind)?.into_iter().map(|(k, _)| k).collect())
    };
    let parties = keys(Kind::Party)?;
    let rights = b.live_of_kind(Kind::Right)?;
    let right_keys: HashSet<&str> = rights.iter().map(|(k, _)| k.as_str()).collect();
    for (_, r) in &rights {
        let Record::Right(r) = r else { continue };
        if r.holders.holdings.is_empty() {
            report.problem(format!("the live right of {} has no holder", r.unit));
        }
        for p in r.holders.parties() {
            if !parties.contains(p) {
                report.problem(format!(
                    "the live right of {} is held by {p}, who is not in the register",
                    r.unit
                ));
            }
        }
    }
    let units = b.live_of_kind(Kind::Unit)?;
    let mut registered = Vec::new();
    for (_, u) in &units {
        let Record::Unit(u) = u else { continue };
        match u.status {
            UnitStatus::Registered => {
                report.live_units += 1;
                if !right_keys.contains(u.code.as_str()) {
                    report.problem(format!("registered unit {} has no live right", u.code));
                }
                registered.push(u);
            }
            UnitStatus::Retired => retired(b, &u.code, report)?,
            _ => {}
        }
    }
    overlaps(b, &registered, opts, report)
}

fn retired<B: Backend + ?Sized>(
    b: &B,
    code: &str,
    report: &mut VerifyReport,
) -> Result<(), RegisterError> {
    let mut bound = Vec::new();
    for kind in [
        Kind::Supply,
        Kind::Right,
        Kind::Mortgage,
        Kind::Seizure,
        Kind::Certificate,
    ] {
        for (key, _) in b.live_on_unit(kind, code)? {
            bound.push(format!("{} {key}", kind.as_str()));
        }
    }
    if !bound.is_empty() {
        report.problem(format!(
            "retired unit {code} is live in {}",
            bound.join(", ")
        ));
    }
    Ok(())
}

/// No two live rights share volume beyond the tolerance: every pair of registered units whose
/// boxes meet, related exactly, in parallel (the conflict engine's index and pair relation).
fn overlaps<B: Backend + ?Sized>(
    _b: &B,
    units: &[&super::record::UnitRecord],
    opts: &Options,
    report: &mut VerifyReport,
) -> Result<(), RegisterError> {
    let volumes: Vec<Volume> = units
        .par_iter()
        .map(|u| u.volume.as_ref().map(|v| v.to_volume()).unwrap_or_default())
        .collect();
    let subjects: Vec<Subject> = volumes
        .par_iter()
        .enumerate()
        .map(|(i, v)| Subject::new(i, v))
        .collect();
    let codes: Vec<Option<UnitCode>> = units.iter().map(|u| u.code.parse().ok()).collect();
    let index = BoxIndex::new(subjects.iter().map(|s| s.bbox).collect());
    let found: Vec<String> = index
        .pairs(opts.check.snap)
        .into_par_iter()
        .filter_map(|(i, j)| {
            let (i, j) = (i as usize, j as usize);
            if let (Some(a), Some(c)) = (&codes[i], &codes[j])
                && (building_on_its_land(a, c) || building_on_its_land(c, a))
            {
                return None;
            }
            overlap_between(
                &subjects[i],
                &subjects[j],
                &units[i].code,
                &units[j].code,
                &opts.check,
            )
            .filter(|x| x.severity == Severity::Error)
            .map(|x| format!("live rights overlap: {}", x.message))
        })
        .collect();
    for p in found {
        report.problem(p);
    }
    Ok(())
}
