//! Acts from a survey file: its plots, and the first registration of each unit with the
//! supply its attributes record (holder, supply method, use, term), for registering a whole
//! survey in one batch.
//!
//! A survey file names holders, not their identifiers, and does not carry the supply
//! contract or its vertical bounds. An import therefore identifies each holder by its name,
//! takes the contract's bounds to be the surveyed volume's own extent, and cites a contract
//! record `<survey>/<unit>` that stands for the contract to be attached: an import is for
//! bringing an existing survey into the register, not for a new supply.

use jiff::civil::Date;

use crate::model::{Dataset, Plot, Unit};

use super::act::{Act, ActBody, Surveyed};
use super::geometry::{VolumeData, rings_of};
use super::party::{Holders, Party, PartyKind};
use super::record::{Bounds, Nature, PlotRecord, Source, SourceKind, SupplyTerms, Term};

/// Who imports and how the acts are numbered.
#[derive(Debug, Clone, PartialEq)]
pub struct ImportOptions {
    /// The officer (登簿人).
    pub officer: String,
    /// Business numbers are `<prefix>-<n>`, n from 1.
    pub number_prefix: String,
    /// The survey result the volumes come from, when the units do not name one.
    pub survey: String,
}

/// A planning plot as the register records it.
pub fn plot_record(p: &Plot) -> PlotRecord {
    PlotRecord {
        id: p.id.clone(),
        name: p.name.clone(),
        land_use: p.land_use.clone(),
        ground: p.ground_elevation,
        green_space: p.green_space,
        footprint: rings_of(&p.footprint),
    }
}

/// A unit's surveyed volume, six-direction wording, name and plot.
pub fn surveyed(u: &Unit, survey: &str) -> Surveyed {
    Surveyed {
        survey: survey.to_string(),
        volume: VolumeData::from(&u.volume),
        sixto: (*u.sixto).clone(),
        name: u.name.clone(),
        plot: u.parent_plot.clone(),
    }
}

/// The kind of a party known only by its name: a government body by the words that end the
/// names of Chinese authorities, a company by 公司, else a person.
pub fn party_by_name(name: &str) -> Party {
    const GOVERNMENT: [&str; 8] = [
        "局",
        "委员会",
        "政府",
        "办公室",
        "管理处",
        "中心",
        "厅",
        "部",
    ];
    let kind = if GOVERNMENT.iter().any(|w| name.ends_with(w)) {
        PartyKind::Government
    } else if name.contains("公司") || name.contains("单位") {
        PartyKind::Company
    } else {
        PartyKind::Person
    };
    Party {
        id: name.to_string(),
        name: name.to_string(),
        kind,
    }
}

fn date(s: &Option<String>) -> Option<Date> {
    s.as_deref().and_then(|d| d.parse().ok())
}

/// The term of a unit's attributes; an end from the start and the years (使用年限) when the
/// end is not given: the day before the anniversary.
fn term(t: &crate::model::Term) -> Term {
    let start = date(&t.start);
    let end = date(&t.end).or_else(|| {
        let years = i64::from(t.years?);
        start?
            .checked_add(jiff::Span::new().years(years).days(-1))
            .ok()
    });
    Term { start, end }
}

/// The acts that register `ds`: its plots (those not in `known_plots`), then one first
/// registration per unit with a code, each with the supply from its attributes. The acts
/// are built in parallel and numbered in that order.
pub fn import_acts(ds: &Dataset, known_plots: &[String], o: &ImportOptions) -> Vec<Act> {
    use rayon::prelude::*;
    let plan = Source {
        id: format!("{}/plots", o.survey),
        kind: SourceKind::Planning,
        title: Some("规划地块 planning plots of the survey".into()),
        date: None,
        issuer: None,
    };
    let number = |n: usize| format!("{}-{}", o.number_prefix, n + 1);
    let known: std::collections::HashSet<&str> = known_plots.iter().map(String::as_str).collect();
    let mut acts: Vec<Act> = ds
        .plots
        .iter()
        .filter(|p| !known.contains(p.id.as_str()))
        .enumerate()
        .map(|(n, p)| Act {
            number: number(n),
            reason: "规划地块录入".into(),
            officer: o.officer.clone(),
            parties: Vec::new(),
            sources: vec![plan.clone()],
            note: None,
            body: ActBody::Plot {
                plot: plot_record(p),
            },
        })
        .collect();
    let first = acts.len();
    let coded: Vec<&Unit> = ds.units.iter().filter(|u| u.code.is_some()).collect();
    acts.par_extend(
        coded
            .par_iter()
            .enumerate()
            .map(|(n, u)| first_registration(u, number(first + n), o)),
    );
    acts
}

fn first_registration(u: &Unit, number: String, o: &ImportOptions) -> Act {
    let survey = u
        .survey_result_code
        .clone()
        .unwrap_or_else(|| o.survey.clone());
    let nature = u.supply_method.map_or(Nature::Allocation, Nature::from);
    let holder = party_by_name(u.holder.as_deref().unwrap_or("未登记权利人"));
    let contract = Source {
        id: format!("{survey}/{}", u.key),
        kind: if nature == Nature::Allocation {
            SourceKind::AllocationDecision
        } else {
            SourceKind::Contract
        },
        title: Some("contract to be attached (imported with the survey)".into()),
        date: None,
        issuer: None,
    };
    let bbox = crate::geometry::algorithm::BoundingBox3::bbox(&u.volume);
    let terms = SupplyTerms {
        nature,
        holders: Holders::sole(&holder.id),
        usage: u.usage.clone().unwrap_or_else(|| "未注明".into()),
        term: term(&u.term),
        price: None,
        bounds: Bounds {
            lower: bbox.min.z,
            upper: bbox.max.z,
        },
        plots: u.parent_plot.iter().cloned().collect(),
        contract: contract.id.clone(),
    };
    Act {
        number,
        reason: format!("首次登记（{}）", nature.name_zh()),
        officer: o.officer.clone(),
        parties: vec![holder],
        sources: vec![
            Source {
                id: survey.clone(),
                kind: SourceKind::SurveyResult,
                title: Some("多测合一成果".into()),
                date: None,
                issuer: None,
            },
            contract,
        ],
        note: u.note.clone(),
        body: ActBody::FirstRegistration {
            unit: u.key.clone(),
            surveyed: surveyed(u, &survey),
            supply: Some(terms),
        },
    }
}
