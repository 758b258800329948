//! Acts (业务): what an officer asks the register to record. An act is checked against the
//! register's state when it is recorded; recorded, it is never changed.

use jiff::civil::Date;
use serde::{Deserialize, Serialize};

use super::geometry::VolumeData;
use super::party::{Holders, Party};
use super::record::{PlotRecord, Source, SupplyTerms, Term};

/// The registration type (登记类型) of the national register.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RegistrationType {
    /// 首次登记.
    First,
    /// 转移登记.
    Transfer,
    /// 变更登记.
    Change,
    /// 注销登记.
    Cancellation,
    /// 更正登记.
    Correction,
    /// 查封登记 (also release and renewal).
    Seizure,
    /// 其他登记: recording plots, pre-coding and land supply.
    Other,
}

impl RegistrationType {
    /// 首次登记, 转移登记, …
    pub fn name_zh(self) -> &'static str {
        match self {
            RegistrationType::First => "首次登记",
            RegistrationType::Transfer => "转移登记",
            RegistrationType::Change => "变更登记",
            RegistrationType::Cancellation => "注销登记",
            RegistrationType::Correction => "更正登记",
            RegistrationType::Seizure => "查封登记",
            RegistrationType::Other => "其他登记",
        }
    }

    /// `first`, `transfer`, …
    pub fn as_str(self) -> &'static str {
        match self {
            RegistrationType::First => "first",
            RegistrationType::Transfer => "transfer",
            RegistrationType::Change => "change",
            RegistrationType::Cancellation => "cancellation",
            RegistrationType::Correction => "correction",
            RegistrationType::Seizure => "seizure",
            RegistrationType::Other => "other",
        }
    }
}

/// A volume surveyed for registration, with the survey result it comes from.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Surveyed {
    /// The survey result (多测合一成果): a source id cited by the act.
    pub survey: String,
    /// The volume, exactly as surveyed.
    pub volume: VolumeData,
    /// The declared six-direction wording (六至), verbatim: up, down, east, west, south, north.
    #[serde(default)]
    pub sixto: crate::model::SixTo<Option<String>>,
    /// The unit's name, when the survey gives one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// The plot, when the survey names one (it must agree with the unit's).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub plot: Option<String>,
}

/// Changes to a registered right (变更, 更正): only what is given changes.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Amendment {
    /// New names of parties (a holder renamed), by identifier.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub renamed: Vec<Party>,
    /// A new use.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub usage: Option<String>,
    /// A new term.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub term: Option<Term>,
    /// New holders (a correction of a wrong holder; a sale is a transfer).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub holders: Option<Holders>,
    /// A corrected volume: checked again like a first registration.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub volume: Option<Surveyed>,
}

impl Amendment {
    /// True when it changes nothing.
    pub fn is_empty(&self) -> bool {
        self.renamed.is_empty()
            && self.usage.is_none()
            && self.term.is_none()
            && self.holders.is_none()
            && self.volume.is_none()
    }
}

/// What an act does.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[serde(tag = "act", rename_all = "snake_case")]
pub enum ActBody {
    /// Records a planning plot (or a new version of it).
    Plot {
        /// The plot.
        plot: PlotRecord,
    },
    /// Pre-codes (预编) the next parcel codes of a sub-district for planned layers.
    PreCode {
        /// Sub-district prefix and parcel feature code (14 characters), e.g. `110112003005GX`.
        prefix: String,
        /// How many codes.
        count: u32,
        /// The plot the planned layers lie in.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        plot: Option<String>,
        /// Names of the planned layers, one per code (optional).
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        names: Vec<String>,
        /// Codes the new ones continue (split, merge, re-coding).
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        predecessors: Vec<String>,
    },
    /// Supplies (供地) a pre-coded layer to a party.
    Supply {
        /// The unit code.
        unit: String,
        /// The terms.
        terms: SupplyTerms,
    },
    /// First registration (首次登记) of a supplied layer from its survey.
    FirstRegistration {
        /// The unit code.
        unit: String,
        /// The surveyed volume.
        surveyed: Surveyed,
        /// The supply, for a layer recorded without a separate supply act (a batch of an
        /// existing survey): it is supplied and registered in one act.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        supply: Option<SupplyTerms>,
    },
    /// Transfer (转移) of a layer's right to new holders; with `buy_back`, the buy-back (回购)
    /// of public facilities by a government body.
    Transfer {
        /// The unit code.
        unit: String,
        /// The new holders.
        holders: Holders,
        /// The price, yuan.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        price: Option<f64>,
        /// A buy-back of public facilities.
        #[serde(default)]
        buy_back: bool,
    },
    /// Change (变更) of a registered right: a holder's name, the use, the term, the volume.
    Change {
        /// The unit code.
        unit: String,
        /// What changes.
        amendment: Amendment,
    },
    /// Correction (更正) of a wrong entry made by an earlier act; the wrong entry stays in the
    /// history.
    Correction {
        /// The unit code.
        unit: String,
        /// The business number of the act whose entry was wrong.
        corrects: String,
        /// The corrected values.
        amendment: Amendment,
    },
    /// Mortgage (抵押) of one layer's right.
    Mortgage {
        /// The unit code.
        unit: String,
        /// The mortgagee.
        mortgagee: Party,
        /// The secured amount, yuan.
        amount: f64,
        /// A maximum-amount mortgage.
        #[serde(default)]
        maximum: bool,
        /// The debt's term.
        #[serde(default)]
        debt_term: Term,
    },
    /// Release of a mortgage (注销抵押).
    ReleaseMortgage {
        /// The mortgage's key (`unit:M<seq>`).
        mortgage: String,
    },
    /// Seizure (查封) of one layer by a court; waits in the queue (轮候) behind a seizure in
    /// force.
    Seizure {
        /// The unit code.
        unit: String,
        /// The court.
        court: String,
        /// The court's document: a source id cited by the act.
        document: String,
        /// The first day of the term.
        start: Date,
        /// The last day of the term.
        end: Date,
    },
    /// Renewal (续封) of a seizure before it lapses.
    RenewSeizure {
        /// The seizure's key (`unit:S<seq>`).
        seizure: String,
        /// The new last day.
        end: Date,
    },
    /// Release (解封) of a seizure by the court.
    ReleaseSeizure {
        /// The seizure's key.
        seizure: String,
    },
    /// Cancellation (注销) of a layer's right: the volume is freed, the code retired.
    Cancellation {
        /// The unit code.
        unit: String,
    },
}

impl ActBody {
    /// The registration type.
    pub fn registration_type(&self) -> RegistrationType {
        match self {
            ActBody::Plot { .. } | ActBody::PreCode { .. } | ActBody::Supply { .. } => {
                RegistrationType::Other
            }
            ActBody::FirstRegistration { .. } | ActBody::Mortgage { .. } => RegistrationType::First,
            ActBody::Transfer { .. } => RegistrationType::Transfer,
            ActBody::Change { .. } => RegistrationType::Change,
            ActBody::Correction { .. } => RegistrationType::Correction,
            ActBody::ReleaseMortgage { .. } | ActBody::Cancellation { .. } => {
                RegistrationType::Cancellation
            }
            ActBody::Seizure { .. }
            | ActBody::RenewSeizure { .. }
            | ActBody::ReleaseSeizure { .. } => RegistrationType::Seizure,
        }
    }

    /// The name of the act: `first_registration`, `transfer`, …
    pub fn name(&self) -> &'static str {
        match self {
            ActBody::Plot { .. } => "plot",
            ActBody::PreCode { .. } => "pre_code",
            ActBody::Supply { .. } => "supply",
            ActBody::FirstRegistration { .. } => "first_registration",
            ActBody::Transfer { .. } => "transfer",
            ActBody::Change { .. } => "change",
            ActBody::Correction { .. } => "correction",
            ActBody::Mortgage { .. } => "mortgage",
            ActBody::ReleaseMortgage { .. } => "release_mortgage",
            ActBody::Seizure { .. } => "seizure",
            ActBody::RenewSeizure { .. } => "renew_seizure",
            ActBody::ReleaseSeizure { .. } => "release_seizure",
            ActBody::Cancellation { .. } => "cancellation",
        }
    }

    /// The Chinese name of the business: 首次登记, 抵押权首次登记, 预编, …
    pub fn name_zh(&self) -> &'static str {
        match self {
            ActBody::Plot { .. } => "规划地块录入",
            ActBody::PreCode { .. } => "预编",
            ActBody::Supply { .. } => "供地",
            ActBody::FirstRegistration { .. } => "建设用地使用权首次登记",
            ActBody::Transfer { buy_back: true, .. } => "建设用地使用权转移登记（回购）",
            ActBody::Transfer { .. } => "建设用地使用权转移登记",
            ActBody::Change { .. } => "建设用地使用权变更登记",
            ActBody::Correction { .. } => "更正登记",
            ActBody::Mortgage { .. } => "抵押权首次登记",
            ActBody::ReleaseMortgage { .. } => "抵押权注销登记",
            ActBody::Seizure { .. } => "查封登记",
            ActBody::RenewSeizure { .. } => "续封登记",
            ActBody::ReleaseSeizure { .. } => "解封登记",
            ActBody::Cancellation { .. } => "建设用地使用权注销登记",
        }
    }

    /// The unit the act is about, when it is about one (a release names its unit through
    /// the key of the mortgage or seizure).
    pub fn unit(&self) -> Option<&str> {
        match self {
            ActBody::Plot { .. } | ActBody::PreCode { .. } => None,
            ActBody::Supply { unit, .. }
            | ActBody::FirstRegistration { unit, .. }
            | ActBody::Transfer { unit, .. }
            | ActBody::Change { unit, .. }
            | ActBody::Correction { unit, .. }
            | ActBody::Mortgage { unit, .. }
            | ActBody::Seizure { unit, .. }
            | ActBody::Cancellation { unit } => Some(unit),
            ActBody::ReleaseMortgage { mortgage: k }
            | ActBody::RenewSeizure { seizure: k, .. }
            | ActBody::ReleaseSeizure { seizure: k } => k.split(':').next(),
        }
    }
}

/// An act as the officer submits it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Act {
    /// The business number (业务号), unique in the register.
    pub number: String,
    /// The reason (登记原因), e.g. `挂牌出让`, `买卖`, `回购`, `法院查封`.
    pub reason: String,
    /// The officer who confirms it (登簿人).
    pub officer: String,
    /// The parties it names (holders, mortgagees), as they are on their documents.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub parties: Vec<Party>,
    /// The documents it cites; new ones are recorded with it.
    pub sources: Vec<Source>,
    /// Remarks (附记).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// What it does.
    pub body: ActBody,
}

/// The acts of a JSON document: one act, or an array of acts. The error names the act (from 1)
/// that does not read, and why.
///
/// ```
/// let v = serde_json::json!([{"number": "1", "officer": "", "act": "nonsense"}]);
/// let e = strata::register::act::acts_from_json(v).unwrap_err();
/// assert!(e.starts_with("act 1 is not an act"));
/// ```
pub fn acts_from_json(v: serde_json::Value) -> Result<Vec<Act>, String> {
    let list = match v {
        serde_json::Value::Array(a) => a,
        one => vec![one],
    };
    list.into_iter()
        .enumerate()
        .map(|(i, a)| {
            serde_json::from_value(a).map_err(|e| format!("act {} is not an act: {e}", i + 1))
        })
        .collect()
}
