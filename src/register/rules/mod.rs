//! The rules of the register: what each act needs of the state, and what it changes.
//!
//! [`decide`] is the one implementation every storage runs: it reads the state through a
//! [`View`] and either refuses the act with a [`Refusal`] or returns the [`Change`]s it
//! makes. It never writes; the storage applies the changes with the act, in one transaction.

mod common;
mod encumbrance;
mod spatial;
mod units;

use jiff::civil::Date;
use jiff::tz::{Offset, TimeZone};

use crate::checks::CheckOptions;
use crate::validate::Tolerances;

use super::act::ActBody;
use super::backend::{Change, View};
use super::error::{Reason, Refusal, RegisterError};
use super::journal::Entry;

/// The register's time zone: China Standard Time, UTC+8, with no daylight saving. The
/// calendar day of an act (when a seizure lapses, which year a certificate is numbered in)
/// is the day in this zone.
pub const CHINA_STANDARD_TIME: Offset = Offset::constant(8);

/// The calendar day in China of an act recorded at `t`.
pub fn china_date(t: jiff::Timestamp) -> Date {
    t.to_zoned(TimeZone::fixed(CHINA_STANDARD_TIME)).date()
}

/// A moment as read in China: `2024-06-01 10:00:00 +08:00`.
pub fn china_time(t: jiff::Timestamp) -> String {
    t.to_zoned(TimeZone::fixed(CHINA_STANDARD_TIME))
        .strftime("%Y-%m-%d %H:%M:%S %:z")
        .to_string()
}

/// The tolerances the rules apply, and the office's form of certificate numbers.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Options {
    /// Overlap tolerance and snap distance of the conflict check.
    pub check: CheckOptions,
    /// Tolerances of the volume's validation.
    pub validation: Tolerances,
    /// The office's certificate-number pattern ([`super::certificate::PLACEHOLDERS`]); the
    /// national form when `None`.
    pub certificate_pattern: Option<String>,
}

/// Why [`decide`] did not return changes.
#[derive(Debug)]
pub enum Denied {
    /// The rules refuse the act.
    Refused(Refusal),
    /// The state could not be read.
    Failed(RegisterError),
}

impl From<Refusal> for Denied {
    fn from(r: Refusal) -> Denied {
        Denied::Refused(r)
    }
}

impl From<RegisterError> for Denied {
    fn from(e: RegisterError) -> Denied {
        Denied::Failed(e)
    }
}

/// The result of a rule.
pub type Ruled<T> = Result<T, Denied>;

/// Refuses with a reason and message.
pub(crate) fn refuse<T>(reason: Reason, message: impl Into<String>) -> Ruled<T> {
    Err(Denied::Refused(Refusal::new(reason, message)))
}

/// The changes act `entry` makes to the state seen through `v`, or why it is refused.
pub fn decide<V: View + ?Sized>(v: &V, entry: &Entry, opts: &Options) -> Ruled<Vec<Change>> {
    let act = &entry.act;
    let mut out = common::admin(v, act)?;
    let ctx = common::Ctx {
        v,
        act,
        seq: entry.seq,
        today: china_date(entry.recorded_at),
        opts,
    };
    let changes = match &act.body {
        ActBody::Plot { plot } => units::plot(&ctx, plot)?,
        ActBody::PreCode {
            prefix,
            count,
            plot,
            names,
            predecessors,
        } => units::pre_code(&ctx, prefix, *count, plot.as_deref(), names, predecessors)?,
        ActBody::Supply { unit, terms } => units::supply(&ctx, unit, terms)?,
        ActBody::FirstRegistration {
            unit,
            surveyed,
            supply,
        } => units::first_registration(&ctx, unit, surveyed, supply.as_ref())?,
        ActBody::Transfer {
            unit,
            holders,
            price,
            buy_back,
        } => units::transfer(&ctx, unit, holders, *price, *buy_back)?,
        ActBody::Change { unit, amendment } => units::change(&ctx, unit, amendment)?,
        ActBody::Correction {
            unit,
            corrects,
            amendment,
        } => units::correction(&ctx, unit, corrects, amendment)?,
        ActBody::Cancellation { unit } => units::cancellation(&ctx, unit)?,
        ActBody::Mortgage {
            unit,
            mortgagee,
            amount,
            maximum,
            debt_term,
        } => encumbrance::mortgage(&ctx, unit, mortgagee, *amount, *maximum, debt_term)?,
        ActBody::ReleaseMortgage { mortgage } => encumbrance::release_mortgage(&ctx, mortgage)?,
        ActBody::Seizure {
            unit,
            court,
            document,
            start,
            end,
        } => encumbrance::seizure(&ctx, unit, court, document, *start, *end)?,
        ActBody::RenewSeizure { seizure, end } => encumbrance::renew(&ctx, seizure, *end)?,
        ActBody::ReleaseSeizure { seizure } => encumbrance::release(&ctx, seizure)?,
    };
    out.extend(changes);
    Ok(out)
}
