//! Mortgages (抵押) and seizures (查封) of one layer: they bind that layer's right only.

use jiff::civil::Date;

use crate::register::backend::{Change, View};
use crate::register::error::Reason;
use crate::register::party::Party;
use crate::register::record::{CertificateKind, Kind, Mortgage, Record, Seizure, SourceKind, Term};
use crate::register::seizure::{self, Standing};

use super::common::{Ctx, check_term};
use super::{Ruled, refuse};

pub(super) fn mortgage<V: View + ?Sized>(
    c: &Ctx<V>,
    unit: &str,
    mortgagee: &Party,
    amount: f64,
    maximum: bool,
    debt_term: &Term,
) -> Ruled<Vec<Change>> {
    c.right(unit)?;
    c.not_seized(unit, "mortgaged")?;
    if !(amount.is_finite() && amount > 0.0) {
        return refuse(
            Reason::Incomplete,
            format!("the secured amount must be a positive number of yuan, found {amount}"),
        );
    }
    check_term(debt_term, "debt term")?;
    if mortgagee.id.trim().is_empty() || mortgagee.name.trim().is_empty() {
        return refuse(
            Reason::Incomplete,
            "the mortgagee needs an identifier and a name",
        );
    }
    let mut out = Vec::new();
    // Named among the act's parties too: recorded once, as the act's parties are.
    match c.act.parties.iter().find(|p| p.id == mortgagee.id) {
        Some(p) if p != mortgagee => {
            return refuse(
                Reason::PartyMismatch,
                format!(
                    "the act names mortgagee {} twice, differently",
                    mortgagee.id
                ),
            );
        }
        Some(_) => {}
        None => out.extend(new_party(c, mortgagee)?),
    }
    let key = format!("{unit}:M{}", c.seq);
    let (certificate, certs) = c.certificate(
        CertificateKind::Proof,
        unit,
        &key,
        vec![mortgagee.id.clone()],
        None,
    )?;
    out.extend(certs);
    out.push(Change::Put {
        key,
        fresh: true,
        record: Record::Mortgage(Mortgage {
            unit: unit.to_string(),
            mortgagee: mortgagee.id.clone(),
            amount,
            maximum,
            debt_term: *debt_term,
            certificate,
        }),
    });
    Ok(out)
}

/// Records a party named in an act's body, or checks it against the register.
fn new_party<V: View + ?Sized>(c: &Ctx<V>, p: &Party) -> Ruled<Option<Change>> {
    match c.v.live(Kind::Party, &p.id)? {
        Some(Record::Party(old)) if old == *p => Ok(None),
        Some(Record::Party(old)) => refuse(
            Reason::PartyMismatch,
            format!(
                "mortgagee {} is in the register as {}, not {}",
                p.id, old.name, p.name
            ),
        ),
        _ => Ok(Some(Change::Put {
            key: p.id.clone(),
            record: Record::Party(p.clone()),
            fresh: true,
        })),
    }
}

pub(super) fn release_mortgage<V: View + ?Sized>(c: &Ctx<V>, key: &str) -> Ruled<Vec<Change>> {
    let Some(Record::Mortgage(m)) = c.v.live(Kind::Mortgage, key)? else {
        return refuse(
            Reason::NotFound,
            format!("mortgage {key} is not live in the register"),
        );
    };
    Ok(vec![
        Change::End {
            kind: Kind::Mortgage,
            key: key.to_string(),
        },
        Change::End {
            kind: Kind::Certificate,
            key: m.certificate,
        },
    ])
}

pub(super) fn seizure<V: View + ?Sized>(
    c: &Ctx<V>,
    unit: &str,
    court: &str,
    document: &str,
    start: Date,
    end: Date,
) -> Ruled<Vec<Change>> {
    c.right(unit)?;
    if court.trim().is_empty() {
        return refuse(Reason::Incomplete, "a seizure names its court");
    }
    c.cited(document, "the court's document", &[SourceKind::CourtOrder])?;
    if end < start {
        return refuse(
            Reason::InvalidTerm,
            format!("the seizure ends on {end}, before it starts on {start}"),
        );
    }
    Ok(vec![Change::Put {
        fresh: true,
        key: format!("{unit}:S{}", c.seq),
        record: Record::Seizure(Seizure {
            unit: unit.to_string(),
            court: court.to_string(),
            document: document.to_string(),
            start,
            end,
            queued: c.seq,
            from: None,
        }),
    }])
}

fn find<V: View + ?Sized>(
    c: &Ctx<V>,
    key: &str,
) -> Ruled<(seizure::Queue, usize, seizure::Window)> {
    let unit = key.split(':').next().unwrap_or_default();
    let queue = seizure::queue(c.v.live_on_unit(Kind::Seizure, unit)?);
    let windows = seizure::windows(&queue);
    match queue.iter().position(|(k, _)| k == key) {
        Some(i) => {
            let w = windows[i];
            Ok((queue, i, w))
        }
        None => refuse(
            Reason::NotFound,
            format!("seizure {key} is not live in the register"),
        ),
    }
}

pub(super) fn renew<V: View + ?Sized>(c: &Ctx<V>, key: &str, end: Date) -> Ruled<Vec<Change>> {
    let (queue, i, w) = find(c, key)?;
    let st = seizure::standing(w, c.today);
    if st != Standing::InForce {
        return refuse(
            Reason::NotInForce,
            format!(
                "seizure {key} is {} on {} (in force {} to {}): only a seizure in force is renewed",
                st.name_zh(),
                c.today,
                w.from,
                w.until
            ),
        );
    }
    if end <= w.until {
        return refuse(
            Reason::InvalidTerm,
            format!(
                "the renewal ends on {end}, not after the seizure's end on {}",
                w.until
            ),
        );
    }
    let mut s = queue[i].1.clone();
    // Stored so that the window runs from its first day in force to the new end.
    let days = w.from.until(end).map(|sp| sp.get_days()).unwrap_or(0);
    s.from = Some(w.from);
    s.end = s
        .start
        .checked_add(jiff::Span::new().days(i64::from(days)))
        .unwrap_or(end);
    Ok(vec![Change::Put {
        key: key.to_string(),
        record: Record::Seizure(s),
        fresh: false,
    }])
}

pub(super) fn release<V: View + ?Sized>(c: &Ctx<V>, key: &str) -> Ruled<Vec<Change>> {
    let (queue, i, _) = find(c, key)?;
    let windows = seizure::windows(&queue);
    let mut out = vec![Change::End {
        kind: Kind::Seizure,
        key: key.to_string(),
    }];
    // The seizures waiting behind move up: the next is in force from today.
    for (j, (k, s)) in queue.iter().enumerate().skip(i + 1) {
        if seizure::standing(windows[j], c.today) == Standing::Waiting && s.start <= c.today {
            let mut s = s.clone();
            s.from = Some(c.today);
            out.push(Change::Put {
                key: k.clone(),
                record: Record::Seizure(s),
                fresh: false,
            });
        }
    }
    Ok(out)
}
