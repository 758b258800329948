//! Rules every act follows, and the lookups the other rules share.

use jiff::civil::Date;

use crate::register::act::Act;
use crate::register::backend::{Change, View};
use crate::register::certificate;
use crate::register::error::Reason;
use crate::register::party::{Holders, Party, PartyKind};
use crate::register::record::{
    Certificate, CertificateKind, Kind, Record, Seq, SourceKind, Term, UnitRecord, UnitStatus,
    UseRight,
};
use crate::register::seizure;

use super::{Options, Ruled, refuse};

/// What a rule sees: the state, the act, its place in the journal and its day.
pub(super) struct Ctx<'a, V: View + ?Sized> {
    pub v: &'a V,
    pub act: &'a Act,
    pub seq: Seq,
    pub today: Date,
    pub opts: &'a Options,
}

/// Checks what every act needs (an officer, a reason, a new business number, sources that
/// agree with the register, parties that agree with the register) and records its new
/// sources and parties.
pub(super) fn admin<V: View + ?Sized>(v: &V, act: &Act) -> Ruled<Vec<Change>> {
    for (field, value) in [
        ("business number (业务号)", &act.number),
        ("officer (登簿人)", &act.officer),
        ("reason (登记原因)", &act.reason),
    ] {
        if value.trim().is_empty() {
            return refuse(Reason::Incomplete, format!("the act has no {field}"));
        }
    }
    if let Some(r) = v.act_by_number(&act.number)? {
        return refuse(
            Reason::DuplicateNumber,
            format!(
                "business number {} is already act {} of the journal",
                act.number, r.seq
            ),
        );
    }
    let mut out = sources(v, act)?;
    out.extend(parties(v, act)?);
    Ok(out)
}

fn sources<V: View + ?Sized>(v: &V, act: &Act) -> Ruled<Vec<Change>> {
    if act.sources.is_empty() {
        return refuse(
            Reason::MissingSource,
            format!(
                "act {} cites no source: every act cites its documents (contract, decision, court order, survey result)",
                act.number
            ),
        );
    }
    let mut out = Vec::new();
    for (i, s) in act.sources.iter().enumerate() {
        if s.id.trim().is_empty() {
            return refuse(
                Reason::Incomplete,
                format!("source {} has no number", i + 1),
            );
        }
        if act.sources[..i].iter().any(|t| t.id == s.id) {
            return refuse(
                Reason::SourceMismatch,
                format!("source {} is cited twice", s.id),
            );
        }
        match v.live(Kind::Source, &s.id)? {
            Some(Record::Source(old)) if old == *s => {}
            Some(_) => {
                return refuse(
                    Reason::SourceMismatch,
                    format!(
                        "source {} is in the register with other content: cite it as recorded",
                        s.id
                    ),
                );
            }
            None => out.push(Change::Put {
                key: s.id.clone(),
                record: Record::Source(s.clone()),
                fresh: true,
            }),
        }
    }
    Ok(out)
}

fn parties<V: View + ?Sized>(v: &V, act: &Act) -> Ruled<Vec<Change>> {
    let mut out = Vec::new();
    for (i, p) in act.parties.iter().enumerate() {
        if p.id.trim().is_empty() || p.name.trim().is_empty() {
            return refuse(
                Reason::Incomplete,
                format!("party {} needs an identifier and a name", i + 1),
            );
        }
        if act.parties[..i].iter().any(|q| q.id == p.id) {
            return refuse(
                Reason::PartyMismatch,
                format!("party {} is named twice", p.id),
            );
        }
        match v.live(Kind::Party, &p.id)? {
            Some(Record::Party(old)) if old == *p => {}
            Some(Record::Party(old)) => {
                return refuse(
                    Reason::PartyMismatch,
                    format!(
                        "party {} is in the register as {} ({}), not {} ({}): a new name is a change (变更登记)",
                        p.id,
                        old.name,
                        old.kind.as_str(),
                        p.name,
                        p.kind.as_str()
                    ),
                );
            }
            _ => out.push(Change::Put {
                key: p.id.clone(),
                record: Record::Party(p.clone()),
                fresh: true,
            }),
        }
    }
    Ok(out)
}

impl<V: View + ?Sized> Ctx<'_, V> {
    /// A party named by the act or recorded in the register.
    pub fn party(&self, id: &str) -> Ruled<Party> {
        if let Some(p) = self.act.parties.iter().find(|p| p.id == id) {
            return Ok(p.clone());
        }
        match self.v.live(Kind::Party, id)? {
            Some(Record::Party(p)) => Ok(p),
            _ => refuse(
                Reason::UnknownParty,
                format!("party {id} is neither named by the act nor in the register"),
            ),
        }
    }

    /// Checks holders: well formed, and every one a known party.
    pub fn holders(&self, h: &Holders) -> Ruled<Vec<Party>> {
        if let Some(p) = h.problem() {
            return refuse(Reason::InvalidHolders, p);
        }
        h.parties().map(|id| self.party(id)).collect()
    }

    /// Checks that the act cites source `id`, of one of `kinds`.
    pub fn cited(&self, id: &str, what: &str, kinds: &[SourceKind]) -> Ruled<()> {
        match self.act.sources.iter().find(|s| s.id == id) {
            Some(s) if kinds.is_empty() || kinds.contains(&s.kind) => Ok(()),
            Some(s) => refuse(
                Reason::MissingSource,
                format!(
                    "{what} {id} is a {} ({}), not a {}",
                    s.kind.name_zh(),
                    s.kind.as_str(),
                    kinds
                        .iter()
                        .map(|k| k.as_str())
                        .collect::<Vec<_>>()
                        .join(" or ")
                ),
            ),
            None => refuse(
                Reason::MissingSource,
                format!("{what} {id} is not among the sources the act cites"),
            ),
        }
    }

    /// The live unit `code`.
    pub fn unit(&self, code: &str) -> Ruled<UnitRecord> {
        match self.v.live(Kind::Unit, code)? {
            Some(Record::Unit(u)) => Ok(u),
            _ => refuse(
                Reason::NotFound,
                format!("unit {code} is not in the register"),
            ),
        }
    }

    /// The live unit `code`, which must be registered.
    pub fn registered(&self, code: &str) -> Ruled<UnitRecord> {
        let u = self.unit(code)?;
        if u.status != UnitStatus::Registered {
            return refuse(
                Reason::WrongStatus,
                format!(
                    "unit {code} is {} ({}), not registered",
                    u.status.name_zh(),
                    status_str(u.status)
                ),
            );
        }
        Ok(u)
    }

    /// The live use right of unit `code`.
    pub fn right(&self, code: &str) -> Ruled<UseRight> {
        self.registered(code)?;
        match self.v.live(Kind::Right, code)? {
            Some(Record::Right(r)) => Ok(r),
            _ => refuse(
                Reason::NotFound,
                format!("unit {code} has no live use right"),
            ),
        }
    }

    /// Refuses when a seizure is in force on unit `code` today.
    pub fn not_seized(&self, code: &str, doing: &str) -> Ruled<()> {
        let queue = seizure::queue(self.v.live_on_unit(Kind::Seizure, code)?);
        if let Some((key, w)) = seizure::in_force(&queue, self.today) {
            return refuse(
                Reason::Seized,
                format!(
                    "unit {code} is seized ({key}, in force {} to {}): it cannot be {doing}",
                    w.from, w.until
                ),
            );
        }
        Ok(())
    }

    /// Issues a certificate for the right or mortgage `right` of unit `unit`, ending the
    /// certificate `replaces` if given.
    pub fn certificate(
        &self,
        kind: CertificateKind,
        unit: &str,
        right: &str,
        holders: Vec<String>,
        replaces: Option<&str>,
    ) -> Ruled<(String, Vec<Change>)> {
        let pattern = self.opts.certificate_pattern.as_deref();
        let (number, counter) = certificate::next(self.v, unit, kind, self.today.year(), pattern)?;
        let mut out = vec![counter];
        if let Some(old) = replaces {
            out.push(Change::End {
                kind: Kind::Certificate,
                key: old.to_string(),
            });
        }
        out.push(Change::Put {
            fresh: true,
            key: number.clone(),
            record: Record::Certificate(Certificate {
                number: number.clone(),
                kind,
                unit: unit.to_string(),
                right: right.to_string(),
                holders,
            }),
        });
        Ok((number, out))
    }
}

/// `pre_coded`, `supplied`, …
pub(super) fn status_str(s: UnitStatus) -> &'static str {
    match s {
        UnitStatus::PreCoded => "pre_coded",
        UnitStatus::Supplied => "supplied",
        UnitStatus::Registered => "registered",
        UnitStatus::Retired => "retired",
    }
}

/// Checks that a term ends on or after its start.
pub(super) fn check_term(t: &Term, what: &str) -> Ruled<()> {
    if let (Some(s), Some(e)) = (t.start, t.end)
        && e < s
    {
        return refuse(
            Reason::InvalidTerm,
            format!("the {what} ends on {e}, before it starts on {s}"),
        );
    }
    Ok(())
}

/// True for a government body.
pub(super) fn is_government(p: &Party) -> bool {
    p.kind == PartyKind::Government
}
