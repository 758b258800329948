//! The register's current layers for GIS, whatever the storage: which units and plots an act
//! touches, and the feature of a live registered unit (its footprint, faces and attributes).

use std::collections::BTreeSet;

use geo::MultiPolygon;

use crate::geometry::Volume;
use crate::geometry::algorithm::Footprint;
use crate::model::Stratum;

use super::backend::{Change, View};
use super::error::RegisterError;
use super::record::{Kind, Record, UnitStatus};

/// The records the layers show: a change to one of these on a unit rewrites its features.
pub const SHOWN: [Kind; 4] = [Kind::Unit, Kind::Right, Kind::Mortgage, Kind::Seizure];

/// What an act touches in the layers.
#[derive(Debug, Default)]
pub struct Touched {
    /// Units whose features are rewritten.
    pub units: BTreeSet<String>,
    /// Plots whose features are rewritten.
    pub plots: BTreeSet<String>,
    /// Parties recorded or renamed: the units they hold show their names.
    pub parties: Vec<String>,
}

/// What `changes` touch.
pub fn touched(changes: &[Change]) -> Touched {
    let mut t = Touched::default();
    for c in changes {
        match c {
            Change::Put {
                record: Record::Party(p),
                fresh: false,
                ..
            } => t.parties.push(p.id.clone()),
            Change::Put {
                record: Record::Plot(p),
                ..
            } => {
                t.plots.insert(p.id.clone());
            }
            Change::Put { record, .. } if SHOWN.contains(&record.kind()) => {
                t.units.extend(record.unit().map(str::to_string));
            }
            Change::End { kind, key } if SHOWN.contains(kind) => {
                t.units
                    .insert(key.split(':').next().unwrap_or_default().to_string());
            }
            _ => {}
        }
    }
    t
}

/// The stratum a unit code names (its 14th character), surface when it names none.
pub fn stratum_of(code: &str) -> Stratum {
    code.chars()
        .nth(13)
        .and_then(Stratum::from_parcel_letter)
        .unwrap_or(Stratum::Surface)
}

/// A live registered unit as the layers show it.
#[derive(Debug, Clone)]
pub struct UnitFeature {
    /// The code.
    pub code: String,
    /// The stratum: which layer.
    pub stratum: Stratum,
    /// Attributes, in the layers' column order after the code: name, plot, holders, holder
    /// identifiers, right type, nature, use, term start and end.
    pub text: [Option<String>; 9],
    /// Lower and upper bound, height difference, lowest and highest elevation, volume (m³),
    /// footprint area (m²).
    pub numbers: [f64; 7],
    /// The certificate.
    pub certificate: String,
    /// Live mortgages and seizures.
    pub mortgages: i64,
    /// Live seizures.
    pub seizures: i64,
    /// The footprint.
    pub footprint: MultiPolygon<f64>,
    /// The volume, for its faces.
    pub volume: Volume,
}

/// The feature of unit `code`; `None` unless it is registered.
pub fn unit_feature<V: View + ?Sized>(
    v: &V,
    code: &str,
) -> Result<Option<UnitFeature>, RegisterError> {
    let Some(Record::Unit(u)) = v.live(Kind::Unit, code)? else {
        return Ok(None);
    };
    let (UnitStatus::Registered, Some(vd), Some(m)) = (u.status, &u.volume, u.measures) else {
        return Ok(None);
    };
    let Some(Record::Right(r)) = v.live(Kind::Right, code)? else {
        return Ok(None);
    };
    let mut names = Vec::new();
    for id in r.holders.parties() {
        names.push(match v.live(Kind::Party, id)? {
            Some(Record::Party(p)) => p.name,
            _ => id.to_string(),
        });
    }
    let ids: Vec<&str> = r.holders.parties().collect();
    let volume = vd.to_volume();
    Ok(Some(UnitFeature {
        code: u.code.clone(),
        stratum: u.stratum,
        text: [
            u.name.clone(),
            u.plot.clone(),
            Some(names.join("; ")),
            Some(ids.join("; ")),
            Some(r.right_type.clone()),
            Some(r.nature.name_zh().to_string()),
            Some(r.usage.clone()),
            r.term.start.map(|d| d.to_string()),
            r.term.end.map(|d| d.to_string()),
        ],
        numbers: [
            r.bounds.lower,
            r.bounds.upper,
            r.bounds.height(),
            m.z_min,
            m.z_max,
            m.volume_m3,
            m.footprint_m2,
        ],
        certificate: r.certificate.clone(),
        mortgages: v.live_on_unit(Kind::Mortgage, code)?.len() as i64,
        seizures: v.live_on_unit(Kind::Seizure, code)?.len() as i64,
        footprint: volume.footprint(),
        volume,
    }))
}

/// The text columns of a unit layer after `unit_code`, in order.
pub const TEXT_COLUMNS: [&str; 9] = [
    "name",
    "plot",
    "holders",
    "holder_ids",
    "right_type",
    "nature",
    "usage",
    "term_start",
    "term_end",
];

/// The number columns of a unit layer, in order.
pub const NUMBER_COLUMNS: [&str; 7] = [
    "lower_bound",
    "upper_bound",
    "height_diff",
    "z_min",
    "z_max",
    "volume_m3",
    "footprint_m2",
];

/// The attribute columns of a unit layer in the order of [`UnitFeature::text`] then
/// [`UnitFeature::numbers`], comma-separated.
pub fn unit_columns() -> String {
    TEXT_COLUMNS
        .iter()
        .chain(&NUMBER_COLUMNS)
        .copied()
        .collect::<Vec<_>>()
        .join(", ")
}
