//! Plots, pre-coding, supply, first registration, transfer, change, correction and
//! cancellation of a layer's right.

use crate::model::UnitCode;
use crate::model::unit_code::{LetterSets, next_codes};
use crate::register::act::{Amendment, Surveyed};
use crate::register::backend::{Change, View};
use crate::register::error::Reason;
use crate::register::geometry::multipolygon;
use crate::register::party::Holders;
use crate::register::record::{
    CertificateKind, Counter, Kind, PlotRecord, Record, SourceKind, SupplyRecord, SupplyTerms,
    UnitRecord, UnitStatus, UseRight,
};

use super::common::{Ctx, check_term, is_government, status_str};
use super::spatial::{self, Frame};
use super::{Ruled, refuse};

/// The right type of every layer: 国有建设用地使用权.
pub const STATE_CONSTRUCTION_LAND_USE: &str = "国有建设用地使用权";

/// Longest pre-coding in one act.
const MAX_PRE_CODES: u32 = 9_999;

fn put(key: &str, record: Record) -> Change {
    Change::Put {
        key: key.to_string(),
        record,
        fresh: false,
    }
}

/// A record under a key that has no live version.
fn insert(key: &str, record: Record) -> Change {
    Change::Put {
        key: key.to_string(),
        record,
        fresh: true,
    }
}

pub(super) fn plot<V: View + ?Sized>(_c: &Ctx<V>, p: &PlotRecord) -> Ruled<Vec<Change>> {
    use geo::Area;
    if p.id.trim().is_empty() {
        return refuse(Reason::Incomplete, "the plot has no id");
    }
    let mut points = p.footprint.iter().flatten().flatten();
    if let Some(q) = points.find(|q| !(q[0].is_finite() && q[1].is_finite())) {
        return refuse(
            Reason::Incomplete,
            format!(
                "plot {}: footprint point {q:?} is not a pair of numbers",
                p.id
            ),
        );
    }
    if multipolygon(&p.footprint).unsigned_area() <= 0.0 {
        return refuse(
            Reason::Incomplete,
            format!("plot {} has no footprint with an area", p.id),
        );
    }
    if p.ground.is_some_and(|g| !g.is_finite()) {
        return refuse(
            Reason::Incomplete,
            format!("plot {}: the ground elevation is not a number", p.id),
        );
    }
    Ok(vec![put(&p.id, Record::Plot(p.clone()))])
}

fn counter_key(prefix: &str) -> String {
    format!("code:{prefix}")
}

fn last_seq<V: View + ?Sized>(c: &Ctx<V>, prefix: &str) -> Ruled<u32> {
    Ok(match c.v.live(Kind::Counter, &counter_key(prefix))? {
        Some(Record::Counter(k)) => k.last,
        _ => 0,
    })
}

pub(super) fn pre_code<V: View + ?Sized>(
    c: &Ctx<V>,
    prefix: &str,
    count: u32,
    plot: Option<&str>,
    names: &[String],
    predecessors: &[String],
) -> Ruled<Vec<Change>> {
    if count == 0 || count > MAX_PRE_CODES {
        return refuse(
            Reason::Incomplete,
            format!("pre-code 1 to {MAX_PRE_CODES} codes, not {count}"),
        );
    }
    if !names.is_empty() && names.len() != count as usize {
        return refuse(
            Reason::Incomplete,
            format!("{} names for {count} codes", names.len()),
        );
    }
    if let Some(p) = plot
        && c.v.live(Kind::Plot, p)?.is_none()
    {
        return refuse(Reason::NotFound, format!("plot {p} is not in the register"));
    }
    for p in predecessors {
        c.unit(p)?;
    }
    let last = last_seq(c, prefix)?;
    let highest: Vec<UnitCode> = if last == 0 {
        Vec::new()
    } else {
        match format!("{prefix}{last:05}W00000000").parse() {
            Ok(code) => vec![code],
            Err(e) => return refuse(Reason::InvalidCode, format!("prefix {prefix}: {e}")),
        }
    };
    let codes = match next_codes(
        &highest,
        prefix,
        count as usize,
        None,
        &LetterSets::default(),
    ) {
        Ok(v) => v,
        Err(e) => return refuse(Reason::InvalidCode, e.to_string()),
    };
    let mut out = Vec::with_capacity(codes.len() + 1);
    for (i, code) in codes.iter().enumerate() {
        let Some(stratum) = code.stratum() else {
            return refuse(
                Reason::InvalidCode,
                format!("{code}: the parcel feature code names no stratum (B, S or X)"),
            );
        };
        out.push(insert(
            code.as_str(),
            Record::Unit(UnitRecord {
                code: code.to_string(),
                stratum,
                status: UnitStatus::PreCoded,
                name: names.get(i).cloned(),
                plot: plot.map(str::to_string),
                volume: None,
                measures: None,
                sixto: Default::default(),
                survey: None,
                predecessors: predecessors.to_vec(),
            }),
        ));
    }
    out.push(put(
        &counter_key(prefix),
        Record::Counter(Counter { last: last + count }),
    ));
    Ok(out)
}

fn check_terms<V: View + ?Sized>(c: &Ctx<V>, t: &SupplyTerms) -> Ruled<()> {
    c.holders(&t.holders)?;
    c.cited(
        &t.contract,
        "the contract",
        &[SourceKind::Contract, SourceKind::AllocationDecision],
    )?;
    if t.usage.trim().is_empty() {
        return refuse(Reason::Incomplete, "the supply names no use (用途)");
    }
    check_term(&t.term, "term")?;
    if t.nature.is_transfer() && (t.term.start.is_none() || t.term.end.is_none()) {
        return refuse(
            Reason::InvalidTerm,
            format!(
                "a transfer by {} ({}) has a term with a start and an end",
                t.nature.name_zh(),
                t.nature.as_str()
            ),
        );
    }
    let b = t.bounds;
    if !(b.lower.is_finite() && b.upper.is_finite() && b.lower < b.upper) {
        return refuse(
            Reason::InvalidTerm,
            format!(
                "the vertical bounds {}–{} m are not a lower and a higher elevation",
                b.lower, b.upper
            ),
        );
    }
    if t.price.is_some_and(|p| !(p.is_finite() && p >= 0.0)) {
        return refuse(Reason::Incomplete, "the price is not a sum of yuan");
    }
    for p in &t.plots {
        if c.v.live(Kind::Plot, p)?.is_none() {
            return refuse(Reason::NotFound, format!("plot {p} is not in the register"));
        }
    }
    Ok(())
}

pub(super) fn supply<V: View + ?Sized>(
    c: &Ctx<V>,
    unit: &str,
    terms: &SupplyTerms,
) -> Ruled<Vec<Change>> {
    let mut u = c.unit(unit)?;
    if u.status != UnitStatus::PreCoded {
        return refuse(
            Reason::WrongStatus,
            format!(
                "unit {unit} is {} ({}): only a pre-coded layer is supplied",
                u.status.name_zh(),
                status_str(u.status)
            ),
        );
    }
    check_terms(c, terms)?;
    let mut terms = terms.clone();
    if terms.plots.is_empty() {
        terms.plots.extend(u.plot.clone());
    }
    u.status = UnitStatus::Supplied;
    Ok(vec![
        put(
            unit,
            Record::Supply(SupplyRecord {
                unit: unit.to_string(),
                terms,
            }),
        ),
        put(unit, Record::Unit(u)),
    ])
}

fn parse_code(unit: &str) -> Ruled<UnitCode> {
    match unit.parse::<UnitCode>() {
        Ok(c) if c.stratum().is_some() => Ok(c),
        Ok(_) => refuse(
            Reason::InvalidCode,
            format!("{unit}: the parcel feature code names no stratum (B, S or X)"),
        ),
        Err(e) => refuse(Reason::InvalidCode, format!("{unit}: {e}")),
    }
}

/// The unit and its supply before a first registration: a supplied unit, or with the supply
/// given inline a pre-coded or new one.
fn before_registration<V: View + ?Sized>(
    c: &Ctx<V>,
    code: &UnitCode,
    surveyed: &Surveyed,
    inline: Option<&SupplyTerms>,
) -> Ruled<(UnitRecord, SupplyTerms, Vec<Change>)> {
    let unit = code.as_str();
    let existing = match c.v.live(Kind::Unit, unit)? {
        Some(Record::Unit(u)) => Some(u),
        _ => None,
    };
    let mut out = Vec::new();
    let (u, terms) = match (existing, inline) {
        (Some(u), None) if u.status == UnitStatus::Supplied => {
            let Some(Record::Supply(s)) = c.v.live(Kind::Supply, unit)? else {
                return refuse(Reason::NotFound, format!("unit {unit} has no supply"));
            };
            (u, s.terms)
        }
        (Some(u), Some(t)) if u.status == UnitStatus::PreCoded => (u, t.clone()),
        (None, Some(t)) => {
            // A code from an existing survey: it uses up its sequence number.
            let prefix = code.parcel_prefix();
            if code.parcel_seq() > last_seq(c, prefix)? {
                out.push(put(
                    &counter_key(prefix),
                    Record::Counter(Counter {
                        last: code.parcel_seq(),
                    }),
                ));
            }
            let u = UnitRecord {
                code: unit.to_string(),
                stratum: code.stratum().unwrap_or(crate::model::Stratum::Surface),
                status: UnitStatus::PreCoded,
                name: None,
                plot: surveyed.plot.clone().or_else(|| t.plots.first().cloned()),
                volume: None,
                measures: None,
                sixto: Default::default(),
                survey: None,
                predecessors: Vec::new(),
            };
            (u, t.clone())
        }
        (None, None) => {
            return refuse(
                Reason::NotFound,
                format!(
                    "unit {unit} is not in the register: pre-code and supply it first, or give its supply"
                ),
            );
        }
        (Some(u), _) => {
            return refuse(
                Reason::WrongStatus,
                format!(
                    "unit {unit} is {} ({}): a first registration needs a supplied layer{}",
                    u.status.name_zh(),
                    status_str(u.status),
                    if inline.is_some() {
                        " (a supply is given inline only for a pre-coded or new one)"
                    } else {
                        ""
                    }
                ),
            );
        }
    };
    if inline.is_some() {
        check_terms(c, &terms)?;
    }
    Ok((u, terms, out))
}

pub(super) fn first_registration<V: View + ?Sized>(
    c: &Ctx<V>,
    unit: &str,
    surveyed: &Surveyed,
    inline: Option<&SupplyTerms>,
) -> Ruled<Vec<Change>> {
    let code = parse_code(unit)?;
    let (mut u, mut terms, mut out) = before_registration(c, &code, surveyed, inline)?;
    if let (Some(a), Some(b)) = (&surveyed.plot, &u.plot)
        && a != b
    {
        return refuse(
            Reason::WrongStatus,
            format!("the survey puts {unit} in plot {a}, the register in plot {b}"),
        );
    }
    if terms.plots.is_empty() {
        terms.plots.extend(u.plot.clone());
    }
    c.cited(
        &surveyed.survey,
        "the survey result",
        &[SourceKind::SurveyResult],
    )?;
    let frame = Frame {
        bounds: terms.bounds,
        plots: &terms.plots,
        replaces: None,
    };
    let measures = spatial::check(c, &code, &surveyed.volume, &frame)?;
    let holders: Vec<String> = terms.holders.parties().map(str::to_string).collect();
    let (certificate, certs) = c.certificate(CertificateKind::Title, unit, unit, holders, None)?;
    out.extend(certs);
    let new_unit = u.status == UnitStatus::PreCoded && c.v.live(Kind::Unit, unit)?.is_none();
    u.status = UnitStatus::Registered;
    u.volume = Some(surveyed.volume.clone());
    u.measures = Some(measures);
    u.sixto = surveyed.sixto.clone();
    u.survey = Some(surveyed.survey.clone());
    if surveyed.name.is_some() {
        u.name = surveyed.name.clone();
    }
    if inline.is_some() {
        out.push(insert(
            unit,
            Record::Supply(SupplyRecord {
                unit: unit.to_string(),
                terms: terms.clone(),
            }),
        ));
    }
    out.push(insert(
        unit,
        Record::Right(UseRight {
            unit: unit.to_string(),
            right_type: STATE_CONSTRUCTION_LAND_USE.to_string(),
            nature: terms.nature,
            holders: terms.holders,
            usage: terms.usage,
            term: terms.term,
            price: terms.price,
            bounds: terms.bounds,
            certificate,
        }),
    ));
    out.push(if new_unit {
        insert(unit, Record::Unit(u))
    } else {
        put(unit, Record::Unit(u))
    });
    Ok(out)
}

pub(super) fn transfer<V: View + ?Sized>(
    c: &Ctx<V>,
    unit: &str,
    holders: &Holders,
    price: Option<f64>,
    buy_back: bool,
) -> Ruled<Vec<Change>> {
    let mut r = c.right(unit)?;
    c.not_seized(unit, "transferred")?;
    let parties = c.holders(holders)?;
    if buy_back && let Some(p) = parties.iter().find(|p| !is_government(p)) {
        return refuse(
            Reason::NotGovernment,
            format!(
                "a buy-back (回购) is by a government body; {} ({}) is a {}",
                p.name,
                p.id,
                p.kind.as_str()
            ),
        );
    }
    if r.holders == *holders {
        return refuse(
            Reason::NothingToChange,
            format!("the right of {unit} is already held so"),
        );
    }
    if price.is_some_and(|p| !(p.is_finite() && p >= 0.0)) {
        return refuse(Reason::Incomplete, "the price is not a sum of yuan");
    }
    let names: Vec<String> = holders.parties().map(str::to_string).collect();
    let (certificate, mut out) = c.certificate(
        CertificateKind::Title,
        unit,
        unit,
        names,
        Some(&r.certificate),
    )?;
    r.holders = holders.clone();
    r.price = price.or(r.price);
    r.certificate = certificate;
    out.push(put(unit, Record::Right(r)));
    Ok(out)
}

/// Applies an amendment to the right (and the unit, for a corrected volume).
fn amend<V: View + ?Sized>(c: &Ctx<V>, unit: &str, a: &Amendment) -> Ruled<Vec<Change>> {
    if a.is_empty() {
        return refuse(Reason::NothingToChange, "the amendment changes nothing");
    }
    let mut r = c.right(unit)?;
    let mut out = Vec::new();
    for p in &a.renamed {
        match c.v.live(Kind::Party, &p.id)? {
            Some(Record::Party(old)) if old == *p => {
                return refuse(
                    Reason::NothingToChange,
                    format!("party {} is already {}", p.id, p.name),
                );
            }
            Some(Record::Party(_)) if r.holders.parties().any(|h| h == p.id) => {
                out.push(put(&p.id, Record::Party(p.clone())));
            }
            _ => {
                return refuse(
                    Reason::UnknownParty,
                    format!("party {} does not hold the right of {unit}", p.id),
                );
            }
        }
    }
    if let Some(u) = &a.usage {
        r.usage.clone_from(u);
    }
    if let Some(t) = &a.term {
        check_term(t, "term")?;
        r.term = *t;
    }
    if let Some(h) = &a.holders {
        c.holders(h)?;
        r.holders = h.clone();
    }
    if let Some(s) = &a.volume {
        out.extend(revolume(c, unit, &r, s)?);
    }
    let names: Vec<String> = r.holders.parties().map(str::to_string).collect();
    let (certificate, certs) = c.certificate(
        CertificateKind::Title,
        unit,
        unit,
        names,
        Some(&r.certificate),
    )?;
    out.extend(certs);
    r.certificate = certificate;
    out.push(put(unit, Record::Right(r)));
    Ok(out)
}

/// A corrected volume, checked again like a first registration.
fn revolume<V: View + ?Sized>(
    c: &Ctx<V>,
    unit: &str,
    r: &UseRight,
    s: &Surveyed,
) -> Ruled<Vec<Change>> {
    let code = parse_code(unit)?;
    let mut u = c.registered(unit)?;
    c.cited(&s.survey, "the survey result", &[SourceKind::SurveyResult])?;
    let plots = match c.v.live(Kind::Supply, unit)? {
        Some(Record::Supply(sp)) if !sp.terms.plots.is_empty() => sp.terms.plots,
        _ => u.plot.iter().cloned().collect(),
    };
    let frame = Frame {
        bounds: r.bounds,
        plots: &plots,
        replaces: Some(unit),
    };
    let measures = spatial::check(c, &code, &s.volume, &frame)?;
    u.volume = Some(s.volume.clone());
    u.measures = Some(measures);
    u.sixto = s.sixto.clone();
    u.survey = Some(s.survey.clone());
    if s.name.is_some() {
        u.name = s.name.clone();
    }
    Ok(vec![put(unit, Record::Unit(u))])
}

pub(super) fn change<V: View + ?Sized>(
    c: &Ctx<V>,
    unit: &str,
    a: &Amendment,
) -> Ruled<Vec<Change>> {
    if a.holders.is_some() {
        return refuse(
            Reason::WrongStatus,
            "new holders are a transfer (转移登记), or a correction (更正登记) of a wrong entry; a change renames a holder",
        );
    }
    amend(c, unit, a)
}

pub(super) fn correction<V: View + ?Sized>(
    c: &Ctx<V>,
    unit: &str,
    corrects: &str,
    a: &Amendment,
) -> Ruled<Vec<Change>> {
    match c.v.act_by_number(corrects)? {
        Some(r) if r.unit.as_deref() == Some(unit) => amend(c, unit, a),
        Some(r) => refuse(
            Reason::UnrelatedCorrection,
            format!(
                "act {corrects} (act {} of the journal) is not about unit {unit}",
                r.seq
            ),
        ),
        None => refuse(
            Reason::NotFound,
            format!("act {corrects} is not in the journal"),
        ),
    }
}

pub(super) fn cancellation<V: View + ?Sized>(c: &Ctx<V>, unit: &str) -> Ruled<Vec<Change>> {
    let r = c.right(unit)?;
    if let Some((k, _)) = c.v.live_on_unit(Kind::Mortgage, unit)?.first() {
        return refuse(
            Reason::Mortgaged,
            format!("unit {unit} is mortgaged ({k}): release the mortgage before cancelling"),
        );
    }
    let seizures = crate::register::seizure::queue(c.v.live_on_unit(Kind::Seizure, unit)?);
    let windows = crate::register::seizure::windows(&seizures);
    let mut out = Vec::new();
    for ((k, _), w) in seizures.iter().zip(windows) {
        if crate::register::seizure::standing(w, c.today)
            != crate::register::seizure::Standing::Lapsed
        {
            return refuse(
                Reason::Seized,
                format!("unit {unit} is seized ({k}): it cannot be cancelled"),
            );
        }
        out.push(Change::End {
            kind: Kind::Seizure,
            key: k.clone(),
        });
    }
    let mut u = c.registered(unit)?;
    u.status = UnitStatus::Retired;
    for (kind, key) in [
        (Kind::Right, unit.to_string()),
        (Kind::Supply, unit.to_string()),
        (Kind::Certificate, r.certificate),
    ] {
        out.push(Change::End { kind, key });
    }
    out.push(put(unit, Record::Unit(u)));
    Ok(out)
}
