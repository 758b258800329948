//! Why an act is refused, and why the register cannot be read or written.

use serde::Serialize;
use thiserror::Error;

use crate::checks::Conflict;

/// The reason an act is refused: one per rule, so a caller can tell them apart.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Reason {
    /// A required field is empty or malformed (officer, business number, reason, amounts).
    Incomplete,
    /// The business number (业务号) is already in the journal.
    DuplicateNumber,
    /// The act cites no source, or cites one that is neither in the act nor the register.
    MissingSource,
    /// A source is given again with different content than the register holds.
    SourceMismatch,
    /// A party is named differently than the register holds (a rename is a change).
    PartyMismatch,
    /// A party the act needs is neither in the act nor in the register.
    UnknownParty,
    /// The holders are wrong: a sole right with two holders, shares that do not add up to one.
    InvalidHolders,
    /// No such unit, plot, mortgage or seizure is live in the register.
    NotFound,
    /// The unit is not in the state the act needs (supplying a registered unit, …).
    WrongStatus,
    /// A unit code or pre-coding prefix is malformed, or the sequence is exhausted.
    InvalidCode,
    /// A term, date or bound is impossible (an end before its start, a lower bound above the
    /// upper).
    InvalidTerm,
    /// The surveyed volume is not a valid solid.
    InvalidVolume,
    /// The volume leaves the contract's vertical bounds.
    OutsideBounds,
    /// The volume leaves the column of its plots.
    OutsideColumn,
    /// The volume is on the wrong side of the ground for its stratum.
    WrongSide,
    /// The volume overlaps a live right beyond the tolerance.
    Overlap,
    /// A seizure in force forbids the act.
    Seized,
    /// A live mortgage forbids the act.
    Mortgaged,
    /// A buy-back names a holder that is not a government body.
    NotGovernment,
    /// The seizure has lapsed or not yet taken effect.
    NotInForce,
    /// The act would change nothing.
    NothingToChange,
    /// A correction names an act that did not touch the unit.
    UnrelatedCorrection,
    /// The act's time is before the last act's.
    ClockBackwards,
    /// The act, or its batch, would write to two counties of a sharded register (a volume
    /// reaching over a county border, a batch over two counties).
    SpansCounties,
    /// A sharded register holds no register for the act's county.
    NoCounty,
}

impl Reason {
    /// The name in reports: `duplicate_number`, `overlap`, …
    pub fn as_str(self) -> &'static str {
        match self {
            Reason::Incomplete => "incomplete",
            Reason::DuplicateNumber => "duplicate_number",
            Reason::MissingSource => "missing_source",
            Reason::SourceMismatch => "source_mismatch",
            Reason::PartyMismatch => "party_mismatch",
            Reason::UnknownParty => "unknown_party",
            Reason::InvalidHolders => "invalid_holders",
            Reason::NotFound => "not_found",
            Reason::WrongStatus => "wrong_status",
            Reason::InvalidCode => "invalid_code",
            Reason::InvalidTerm => "invalid_term",
            Reason::InvalidVolume => "invalid_volume",
            Reason::OutsideBounds => "outside_bounds",
            Reason::OutsideColumn => "outside_column",
            Reason::WrongSide => "wrong_side",
            Reason::Overlap => "overlap",
            Reason::Seized => "seized",
            Reason::Mortgaged => "mortgaged",
            Reason::NotGovernment => "not_government",
            Reason::NotInForce => "not_in_force",
            Reason::NothingToChange => "nothing_to_change",
            Reason::UnrelatedCorrection => "unrelated_correction",
            Reason::ClockBackwards => "clock_backwards",
            Reason::SpansCounties => "spans_counties",
            Reason::NoCounty => "no_county",
        }
    }
}

/// An act refused by the rules: the reason, a message for the officer, and for a volume the
/// conflicts it has (every conflicting unit, the shared volume and its elevations).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Refusal {
    /// Which rule refused it.
    pub reason: Reason,
    /// For people.
    pub message: String,
    /// The volume's conflicts, for a refused registration.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub conflicts: Vec<Conflict>,
}

impl Refusal {
    /// A refusal without conflicts.
    pub fn new(reason: Reason, message: impl Into<String>) -> Refusal {
        Refusal {
            reason,
            message: message.into(),
            conflicts: Vec::new(),
        }
    }
}

impl std::fmt::Display for Refusal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} ({})", self.message, self.reason.as_str())?;
        for c in &self.conflicts {
            write!(f, "\n  - {}", c.message)?;
        }
        Ok(())
    }
}

/// Why the register could not do what was asked.
#[derive(Debug, Error)]
#[non_exhaustive]
pub enum RegisterError {
    /// An act was refused; nothing of its batch was recorded.
    #[error(
        "act {index} ({number}{}) refused, nothing of the batch recorded: {refusal}",
        unit.as_ref().map(|u| format!(", unit {u}")).unwrap_or_default()
    )]
    Refused {
        /// Its place in the batch, from 1.
        index: usize,
        /// Its business number.
        number: String,
        /// The unit it was about.
        unit: Option<String>,
        /// Why.
        refusal: Box<Refusal>,
    },
    /// Another process is writing; try again.
    #[error("{path}: the register is busy: another process is writing to it; try again")]
    Busy {
        /// The register.
        path: String,
    },
    /// The file is not a register.
    #[error("{path}: not a Strata register ({detail})")]
    NotARegister {
        /// The file.
        path: String,
        /// What was found.
        detail: String,
    },
    /// The register was written by a newer Strata.
    #[error(
        "{path}: the register has schema version {found}; this Strata reads up to {supported}: \
         use a newer Strata"
    )]
    NewerSchema {
        /// The file.
        path: String,
        /// The file's schema version.
        found: u32,
        /// The newest this build reads.
        supported: u32,
    },
    /// The register cannot be written.
    #[error("{path}: the register is read-only ({detail}); nothing was recorded")]
    ReadOnly {
        /// The file.
        path: String,
        /// Why.
        detail: String,
    },
    /// The disk (or the register's size limit) is full.
    #[error("{path}: the disk is full; nothing of the batch was recorded")]
    Full {
        /// The file.
        path: String,
    },
    /// A stored row cannot be read back.
    #[error("{path}: {what} is damaged: {detail}")]
    Damaged {
        /// The register.
        path: String,
        /// Which row.
        what: String,
        /// What is wrong.
        detail: String,
    },
    /// Another storage failure.
    #[error("{path}: {detail}")]
    Storage {
        /// The register.
        path: String,
        /// What the database said.
        detail: String,
    },
    /// A register already exists where one is to be created.
    #[error("{path}: a file is already there; a register is created only in a new file")]
    Exists {
        /// The file.
        path: String,
    },
}
