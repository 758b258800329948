//! One act from command-line flags: `strata register act R --number … --officer … --reason …
//! --source ID=KIND … transfer --unit … --holder …`.

use anyhow::{Context, bail};
use clap::{Args, Subcommand};
use jiff::civil::Date;
use strata::register::act::{Act, ActBody};
use strata::register::party::{Holders, Party, PartyKind};
use strata::register::record::{
    Bounds, Kind, Nature, Record, Source, SourceKind, SupplyTerms, Term,
};
use strata::register::store::Store;

/// What every act carries.
#[derive(Debug, Args)]
pub struct Common {
    /// The business number (业务号).
    #[arg(long)]
    pub number: Option<String>,
    /// The officer who confirms it (登簿人).
    #[arg(long)]
    pub officer: Option<String>,
    /// The reason (登记原因).
    #[arg(long)]
    pub reason: Option<String>,
    /// A source it cites: ID=KIND, KIND one of contract, allocation_decision, court_order,
    /// survey_result, planning, application, other (repeatable).
    #[arg(long, value_name = "ID=KIND")]
    pub source: Vec<String>,
    /// A party it names: ID=KIND:NAME, KIND person, company or government (repeatable).
    #[arg(long, value_name = "ID=KIND:NAME")]
    pub party: Vec<String>,
    /// Remarks (附记).
    #[arg(long)]
    pub note: Option<String>,
}

/// The act.
#[derive(Debug, Subcommand)]
pub enum OneAct {
    /// Supply (供地) a pre-coded layer.
    Supply {
        #[arg(long)]
        unit: String,
        /// allocation, listing, tender, auction, agreement, … (or 划拨, 挂牌, …).
        #[arg(long)]
        nature: String,
        /// The holder's identifier (sole holder).
        #[arg(long)]
        holder: String,
        /// The use (用途).
        #[arg(long)]
        usage: String,
        /// The lower bound (下界), m.
        #[arg(long)]
        lower: f64,
        /// The upper bound (上界), m.
        #[arg(long)]
        upper: f64,
        /// The term's first day.
        #[arg(long)]
        start: Option<Date>,
        /// The term's last day.
        #[arg(long)]
        end: Option<Date>,
        /// The price, yuan.
        #[arg(long)]
        price: Option<f64>,
        /// The plots whose columns the layer may occupy (repeatable).
        #[arg(long)]
        plot: Vec<String>,
        /// The contract or allocation decision: a source the act cites.
        #[arg(long)]
        contract: String,
    },
    /// Transfer (转移) a layer's right to a new sole holder.
    Transfer {
        #[arg(long)]
        unit: String,
        #[arg(long)]
        holder: String,
        #[arg(long)]
        price: Option<f64>,
        /// A buy-back (回购) by a government body.
        #[arg(long)]
        buy_back: bool,
    },
    /// Mortgage (抵押) one layer.
    Mortgage {
        #[arg(long)]
        unit: String,
        /// The mortgagee's identifier: a party of the act or of the register.
        #[arg(long)]
        mortgagee: String,
        #[arg(long)]
        amount: f64,
        /// A maximum-amount mortgage (最高额抵押).
        #[arg(long)]
        maximum: bool,
        #[arg(long)]
        start: Option<Date>,
        #[arg(long)]
        end: Option<Date>,
    },
    /// Release a mortgage (注销抵押).
    ReleaseMortgage {
        /// Its key, `<unit>:M<seq>`.
        #[arg(long)]
        mortgage: String,
    },
    /// Seize (查封) one layer.
    Seizure {
        #[arg(long)]
        unit: String,
        #[arg(long)]
        court: String,
        /// The court's document: a source the act cites.
        #[arg(long)]
        document: String,
        #[arg(long)]
        start: Date,
        #[arg(long)]
        end: Date,
    },
    /// Renew (续封) a seizure in force.
    RenewSeizure {
        #[arg(long)]
        seizure: String,
        #[arg(long)]
        end: Date,
    },
    /// Release (解封) a seizure.
    ReleaseSeizure {
        #[arg(long)]
        seizure: String,
    },
    /// Cancel (注销) a layer's right.
    Cancellation {
        #[arg(long)]
        unit: String,
    },
    /// Pre-code (预编) the next codes of a sub-district.
    PreCode {
        /// Sub-district prefix and parcel feature code, 14 characters.
        #[arg(long)]
        prefix: String,
        #[arg(long, default_value_t = 1)]
        count: u32,
        #[arg(long)]
        plot: Option<String>,
    },
}

/// The unit code, key or prefix one act names: its county in a register sharded by county.
pub fn unit_of(one: &OneAct) -> &str {
    match one {
        OneAct::Supply { unit, .. }
        | OneAct::Transfer { unit, .. }
        | OneAct::Mortgage { unit, .. }
        | OneAct::Seizure { unit, .. }
        | OneAct::Cancellation { unit } => unit,
        OneAct::ReleaseMortgage { mortgage: key }
        | OneAct::RenewSeizure { seizure: key, .. }
        | OneAct::ReleaseSeizure { seizure: key } => key,
        OneAct::PreCode { prefix, .. } => prefix,
    }
}

fn source(s: &str) -> anyhow::Result<Source> {
    let (id, kind) = s
        .rsplit_once('=')
        .with_context(|| format!("--source {s}: write ID=KIND"))?;
    let kind: SourceKind = serde_json::from_value(serde_json::Value::String(kind.into()))
        .map_err(|_| anyhow::anyhow!("--source {s}: {kind} is not a kind of source"))?;
    Ok(Source {
        id: id.into(),
        kind,
        title: None,
        date: None,
        issuer: None,
    })
}

fn party(s: &str) -> anyhow::Result<Party> {
    let (id, rest) = s
        .split_once('=')
        .with_context(|| format!("--party {s}: write ID=KIND:NAME"))?;
    let (kind, name) = rest
        .split_once(':')
        .with_context(|| format!("--party {s}: write ID=KIND:NAME"))?;
    let kind = PartyKind::parse(kind)
        .with_context(|| format!("--party {s}: {kind} is not person, company or government"))?;
    Ok(Party {
        id: id.into(),
        name: name.into(),
        kind,
    })
}

fn required(v: &Option<String>, flag: &str) -> anyhow::Result<String> {
    match v {
        Some(s) => Ok(s.clone()),
        None => bail!("one act from flags needs {flag}"),
    }
}

/// Builds the act; a mortgagee is looked up among the act's parties, then in `reg`.
pub fn build(c: &Common, one: &OneAct, reg: &dyn Store) -> anyhow::Result<Act> {
    let parties = c
        .party
        .iter()
        .map(|p| party(p))
        .collect::<anyhow::Result<Vec<_>>>()?;
    let sources = c
        .source
        .iter()
        .map(|s| source(s))
        .collect::<anyhow::Result<Vec<_>>>()?;
    let body = body(one, &parties, reg)?;
    Ok(Act {
        number: required(&c.number, "--number")?,
        reason: required(&c.reason, "--reason")?,
        officer: required(&c.officer, "--officer")?,
        parties,
        sources,
        note: c.note.clone(),
        body,
    })
}

fn term(start: &Option<Date>, end: &Option<Date>) -> Term {
    Term {
        start: *start,
        end: *end,
    }
}

fn body(one: &OneAct, parties: &[Party], reg: &dyn Store) -> anyhow::Result<ActBody> {
    Ok(match one {
        OneAct::Supply { .. } => supply(one)?,
        OneAct::Transfer {
            unit,
            holder,
            price,
            buy_back,
        } => ActBody::Transfer {
            unit: unit.clone(),
            holders: Holders::sole(holder),
            price: *price,
            buy_back: *buy_back,
        },
        OneAct::Mortgage {
            unit,
            mortgagee,
            amount,
            maximum,
            start,
            end,
        } => ActBody::Mortgage {
            unit: unit.clone(),
            mortgagee: mortgagee_party(mortgagee, parties, reg)?,
            amount: *amount,
            maximum: *maximum,
            debt_term: term(start, end),
        },
        OneAct::ReleaseMortgage { mortgage } => ActBody::ReleaseMortgage {
            mortgage: mortgage.clone(),
        },
        OneAct::Seizure {
            unit,
            court,
            document,
            start,
            end,
        } => ActBody::Seizure {
            unit: unit.clone(),
            court: court.clone(),
            document: document.clone(),
            start: *start,
            end: *end,
        },
        OneAct::RenewSeizure { seizure, end } => ActBody::RenewSeizure {
            seizure: seizure.clone(),
            end: *end,
        },
        OneAct::ReleaseSeizure { seizure } => ActBody::ReleaseSeizure {
            seizure: seizure.clone(),
        },
        OneAct::Cancellation { unit } => ActBody::Cancellation { unit: unit.clone() },
        OneAct::PreCode {
            prefix,
            count,
            plot,
        } => ActBody::PreCode {
            prefix: prefix.clone(),
            count: *count,
            plot: plot.clone(),
            names: vec![],
            predecessors: vec![],
        },
    })
}

fn supply(one: &OneAct) -> anyhow::Result<ActBody> {
    let OneAct::Supply {
        unit,
        nature,
        holder,
        usage,
        lower,
        upper,
        start,
        end,
        price,
        plot,
        contract,
    } = one
    else {
        bail!("not a supply");
    };
    Ok(ActBody::Supply {
        unit: unit.clone(),
        terms: SupplyTerms {
            nature: Nature::parse(nature)
                .with_context(|| format!("--nature {nature}: not a nature of a right"))?,
            holders: Holders::sole(holder),
            usage: usage.clone(),
            term: term(start, end),
            price: *price,
            bounds: Bounds {
                lower: *lower,
                upper: *upper,
            },
            plots: plot.clone(),
            contract: contract.clone(),
        },
    })
}

fn mortgagee_party(id: &str, parties: &[Party], reg: &dyn Store) -> anyhow::Result<Party> {
    if let Some(p) = parties.iter().find(|p| p.id == id) {
        return Ok(p.clone());
    }
    match reg.live(Kind::Party, id)? {
        Some(Record::Party(p)) => Ok(p),
        _ => bail!("mortgagee {id} is neither given with --party nor in the register"),
    }
}
