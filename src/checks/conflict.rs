//! Conflicts: what the checks report, one per pair of units or per unit.

use serde::Serialize;

use crate::diagnostics::Severity;

/// What kind of conflict.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ConflictKind {
    /// Two units share volume thicker than the tolerance.
    Overlap,
    /// Units have the very same volume: each pair shares all of it.
    Duplicate,
    /// Two units share volume thinner than the tolerance (survey noise, most likely).
    Sliver,
    /// Part of a unit lies outside the column of its parent plot.
    OutsideParent,
    /// Part of a building (fixture) lies outside its land-right unit.
    FixtureOutsideLand,
    /// A building's land-right unit is not in the dataset.
    FixtureWithoutLand,
    /// A unit lies on the wrong side of the ground for its stratum.
    Stratum,
    /// The declared six-direction neighbours differ from the geometry.
    SixtoMismatch,
    /// A part of a unit could not be prepared for the checks: its conflicts are unknown.
    Unchecked,
}

impl ConflictKind {
    /// The name in reports: `overlap`, `sliver`, `outside_parent`, …
    pub fn as_str(self) -> &'static str {
        match self {
            ConflictKind::Overlap => "overlap",
            ConflictKind::Duplicate => "duplicate",
            ConflictKind::Sliver => "sliver",
            ConflictKind::OutsideParent => "outside_parent",
            ConflictKind::FixtureOutsideLand => "fixture_outside_land",
            ConflictKind::FixtureWithoutLand => "fixture_without_land",
            ConflictKind::Stratum => "stratum",
            ConflictKind::SixtoMismatch => "sixto_mismatch",
            ConflictKind::Unchecked => "unchecked",
        }
    }
}

/// One conflict.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Conflict {
    /// The kind.
    pub kind: ConflictKind,
    /// Error or warning.
    pub severity: Severity,
    /// The unit (for pairs, the smaller code).
    pub a: String,
    /// The other unit of a pair.
    pub b: Option<String>,
    /// The volume in conflict, m³.
    pub volume_m3: f64,
    /// Its elevation range.
    pub z_range: Option<[f64; 2]>,
    /// The area of its horizontal projection, m².
    pub footprint_area_m2: Option<f64>,
    /// Its thickness, m (see [`Overlap::thickness`](super::Overlap::thickness)).
    pub min_thickness_m: Option<f64>,
    /// For people.
    pub message: String,
}

/// Volumes and areas in reports, to the micro-unit.
pub(super) fn round(v: f64) -> f64 {
    (v * 1e6).round() / 1e6
}

impl Conflict {
    /// A conflict of one unit, with its volume and message; the other fields empty.
    pub fn of_unit(
        kind: ConflictKind,
        severity: Severity,
        unit: &str,
        volume: f64,
        message: String,
    ) -> Conflict {
        Conflict {
            kind,
            severity,
            a: unit.to_string(),
            b: None,
            volume_m3: round(volume),
            z_range: None,
            footprint_area_m2: None,
            min_thickness_m: None,
            message,
        }
    }

    /// The order of reports: errors first, then by kind, codes and message.
    pub(super) fn sort(conflicts: &mut [Conflict]) {
        conflicts.sort_by(|x, y| {
            (x.severity, x.kind, &x.a, &x.b, x.message.as_str()).cmp(&(
                y.severity,
                y.kind,
                &y.a,
                &y.b,
                y.message.as_str(),
            ))
        });
    }
}
