//! The checks of a volume offered for registration: a valid solid, within the contract's
//! vertical bounds, within its plots' column, on the right side of the ground for its
//! stratum, and sharing no volume with a live right beyond the tolerance.

use geo::{Area, BooleanOps, MultiPolygon};

use crate::admit::validate_proposal;
use crate::checks::containment::{PreparedPlot, outside_column, wrong_side_conflict};
use crate::checks::{Conflict, Subject, building_on_its_land, overlap_between};
use crate::diagnostics::Severity;
use crate::geometry::algorithm::{BoundingBox3, Footprint};
use crate::model::UnitCode;
use crate::register::backend::View;
use crate::register::error::{Reason, Refusal};
use crate::register::geometry::{VolumeData, multipolygon};
use crate::register::record::{Bounds, Kind, Measures, PlotRecord, Record};

use super::common::Ctx;
use super::{Denied, Ruled, refuse};

/// What a volume is checked against.
pub(super) struct Frame<'a> {
    /// The contract's vertical bounds.
    pub bounds: Bounds,
    /// The plots whose column it may occupy.
    pub plots: &'a [String],
    /// A unit whose current volume the new one replaces (a corrected volume), not a conflict.
    pub replaces: Option<&'a str>,
}

/// Checks volume `vd` of unit `code` and returns its measures.
pub(super) fn check<V: View + ?Sized>(
    c: &Ctx<V>,
    code: &UnitCode,
    vd: &VolumeData,
    f: &Frame,
) -> Ruled<Measures> {
    let volume = vd.to_volume();
    let findings = validate_proposal(&volume, &c.opts.validation);
    if !findings.is_empty() {
        let list: Vec<String> = findings
            .iter()
            .map(|x| format!("{}: {}", x.code, x.message))
            .collect();
        return refuse(
            Reason::InvalidVolume,
            format!(
                "the surveyed volume of {code} is not a valid solid: {}",
                list.join("; ")
            ),
        );
    }
    let subject = Subject::new(0, &volume);
    let bbox = volume.bbox();
    let measures = Measures {
        volume_m3: r6(subject.volume()),
        footprint_m2: r6(volume.footprint().unsigned_area()),
        z_min: bbox.min.z,
        z_max: bbox.max.z,
        bbox: bbox.to_array(),
    };
    let snap = c.opts.check.snap;
    if measures.z_min < f.bounds.lower - snap || measures.z_max > f.bounds.upper + snap {
        return refuse(
            Reason::OutsideBounds,
            format!(
                "{code} spans {:.3}–{:.3} m, outside the contract's bounds {:.3}–{:.3} m (下界–上界)",
                measures.z_min, measures.z_max, f.bounds.lower, f.bounds.upper
            ),
        );
    }
    let key = code.as_str();
    let plots = plots(c, f.plots)?;
    let mut errors: Vec<(Reason, Conflict)> = Vec::new();
    let column = union(&plots);
    let prepared = PreparedPlot::new(&column);
    let names: Vec<&str> = plots.iter().map(|p| p.id.as_str()).collect();
    if let Some(x) = outside_column(key, &names.join("+"), &subject, &prepared, &c.opts.check) {
        errors.push((Reason::OutsideColumn, x));
    }
    if let (Some(st), Some(g)) = (code.stratum(), plots[0].ground) {
        errors.extend(
            wrong_side_conflict(key, st, &subject, g, snap).map(|x| (Reason::WrongSide, x)),
        );
    }
    for other in c.v.registered_meeting(&bbox.expanded(snap))? {
        if Some(other.code.as_str()) == f.replaces || other.code == key {
            continue;
        }
        let (Some(ov), Ok(oc)) = (&other.volume, other.code.parse::<UnitCode>()) else {
            continue;
        };
        if building_on_its_land(code, &oc) || building_on_its_land(&oc, code) {
            continue;
        }
        let ovol = ov.to_volume();
        let os = Subject::new(1, &ovol);
        errors.extend(
            overlap_between(&subject, &os, key, &other.code, &c.opts.check)
                .map(|x| (Reason::Overlap, x)),
        );
    }
    errors.retain(|(_, x)| x.severity == Severity::Error);
    if let Some((reason, _)) = errors.first() {
        let reason = *reason;
        let conflicts: Vec<Conflict> = errors.into_iter().map(|(_, x)| x).collect();
        let units: Vec<String> = conflicts
            .iter()
            .map(|x| match &x.b {
                Some(b) if b != key => b.clone(),
                _ => x.a.clone(),
            })
            .filter(|u| u != key)
            .collect();
        let message = match reason {
            Reason::Overlap => format!(
                "{code} shares volume with live rights beyond the tolerance of {} m: {}",
                c.opts.check.tolerance,
                units.join(", ")
            ),
            Reason::OutsideColumn => {
                format!("{code} leaves the column of plot {}", names.join(" + "))
            }
            _ => format!("{code} lies on the wrong side of the ground for its stratum"),
        };
        return Err(Denied::Refused(Refusal {
            reason,
            message,
            conflicts,
        }));
    }
    Ok(measures)
}

fn r6(v: f64) -> f64 {
    (v * 1e6).round() / 1e6
}

fn plots<V: View + ?Sized>(c: &Ctx<V>, ids: &[String]) -> Ruled<Vec<PlotRecord>> {
    if ids.is_empty() {
        return refuse(
            Reason::Incomplete,
            "the layer names no plot: its column is unknown",
        );
    }
    ids.iter()
        .map(|id| match c.v.live(Kind::Plot, id)? {
            Some(Record::Plot(p)) => Ok(p),
            _ => refuse(
                Reason::NotFound,
                format!("plot {id} is not in the register"),
            ),
        })
        .collect()
}

fn union(plots: &[PlotRecord]) -> MultiPolygon<f64> {
    let mut it = plots.iter().map(|p| multipolygon(&p.footprint));
    let first = it.next().unwrap_or_else(|| MultiPolygon(vec![]));
    it.fold(first, |acc, m| acc.union(&m))
}
