//! The live rights a proposed volume (or a box) meets: the planners' question, asked of the
//! register. One home for it: `strata register query` and the service's `/api/query` both
//! answer through [`rights_meeting`].

use serde::Serialize;

use crate::checks::{Subject, shared_volume_range};
use crate::geometry::algorithm::BoundingBox3;
use crate::geometry::{Aabb, Volume};

use super::backend::View;
use super::error::RegisterError;
use super::record::{Kind, Record, UnitRecord};

/// What is asked about.
#[derive(Debug, Clone, Copy)]
pub enum Proposal<'a> {
    /// Every live right whose box meets this box (no exact shared volume).
    Box(&'a Aabb),
    /// Every live right that shares volume with this proposed volume, with the shared volume.
    Volume(&'a Volume),
}

/// A live right met.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Met {
    /// The unit's code.
    pub unit: String,
    /// The right's holders (party identifiers).
    pub holders: Vec<String>,
    /// Their names, in the same order (the identifier where the register has no name).
    pub holder_names: Vec<String>,
    /// The right's use (用途).
    pub usage: Option<String>,
    /// The unit's lowest and highest elevation (m, the register's height datum).
    pub z_range: [f64; 2],
    /// The volume shared with the proposal (m³, to the millimetre cubed); `None` for a box.
    pub overlap_volume_m3: Option<f64>,
    /// The lowest and highest elevation of the shared volume (m); `None` for a box.
    pub shared_z_range: Option<[f64; 2]>,
    /// How far the top of the shared volume lies below the ground of the unit's plot (m;
    /// negative above it); `None` for a box, or when the plot records no ground elevation.
    pub depth_below_ground_m: Option<f64>,
}

/// The live rights `proposal` meets in `v`, in unit order of the spatial index. Touching is
/// not meeting: a volume shares volume beyond `snap` (m) or it is left out.
pub fn rights_meeting<V: View + ?Sized>(
    v: &V,
    proposal: Proposal<'_>,
    snap: f64,
) -> Result<Vec<Met>, RegisterError> {
    let p = match proposal {
        Proposal::Box(b) => {
            return v
                .registered_meeting(b)?
                .iter()
                .map(|u| met(v, u, None))
                .collect();
        }
        Proposal::Volume(p) => p,
    };
    // The proposal is prepared (triangulated, indexed) once for every right it is compared
    // with.
    let prepared = Subject::new(0, p);
    let mut out = Vec::new();
    for u in v.registered_meeting(&p.bbox())? {
        if let Some(shared) = shared_with(&prepared, &u, snap) {
            out.push(met(v, &u, Some(shared))?);
        }
    }
    Ok(out)
}

/// The live rights a proposal meets, and those only the clearance `envelope` around it meets
/// (the envelope holds the proposal): one pass over the envelope's candidates, the proposal
/// compared only with the rights its envelope meets.
pub fn rights_meeting_with_clearance<V: View + ?Sized>(
    v: &V,
    proposal: &Volume,
    envelope: &Volume,
    snap: f64,
) -> Result<(Vec<Met>, Vec<Met>), RegisterError> {
    let (body, around) = (Subject::new(0, proposal), Subject::new(0, envelope));
    let (mut met_by_body, mut near) = (Vec::new(), Vec::new());
    for u in v.registered_meeting(&envelope.bbox())? {
        let Some(vol) = u.volume.as_ref().map(|d| d.to_volume()) else {
            continue;
        };
        let unit = Subject::new(1, &vol);
        let Some(in_envelope) = shared_volume_range(&around, &unit, snap) else {
            continue;
        };
        match shared_volume_range(&body, &unit, snap) {
            Some(shared) => met_by_body.push(met(v, &u, Some(shared))?),
            None => near.push(met(v, &u, Some(in_envelope))?),
        }
    }
    Ok((met_by_body, near))
}

/// The volume a prepared proposal shares with a registered unit, and its elevations.
fn shared_with(p: &Subject, u: &UnitRecord, snap: f64) -> Option<(f64, (f64, f64))> {
    let vol = u.volume.as_ref()?.to_volume();
    shared_volume_range(p, &Subject::new(1, &vol), snap)
}

/// What the answer says of a right met, with the volume shared (`None` for a box).
fn met<V: View + ?Sized>(
    v: &V,
    u: &UnitRecord,
    shared: Option<(f64, (f64, f64))>,
) -> Result<Met, RegisterError> {
    let ground = match (&shared, &u.plot) {
        (Some(_), Some(plot)) => match v.live(Kind::Plot, plot)? {
            Some(Record::Plot(p)) => p.ground,
            _ => None,
        },
        _ => None,
    };
    let right = match v.live(Kind::Right, &u.code)? {
        Some(Record::Right(r)) => Some(r),
        _ => None,
    };
    let holders: Vec<String> = right
        .as_ref()
        .map(|r| r.holders.parties().map(str::to_string).collect())
        .unwrap_or_default();
    let mut holder_names = Vec::with_capacity(holders.len());
    for h in &holders {
        holder_names.push(match v.live(Kind::Party, h)? {
            Some(Record::Party(p)) => p.name,
            _ => h.clone(),
        });
    }
    Ok(Met {
        unit: u.code.clone(),
        holders,
        holder_names,
        usage: right.map(|r| r.usage),
        z_range: u.measures.map_or([0.0; 2], |m| [m.z_min, m.z_max]),
        overlap_volume_m3: shared.map(|(v, _)| mm3(v)),
        shared_z_range: shared.map(|(_, z)| [mm(z.0), mm(z.1)]),
        depth_below_ground_m: shared.zip(ground).map(|((_, z), g)| mm(g - z.1)),
    })
}

/// To the millimetre.
fn mm(x: f64) -> f64 {
    (x * 1e3).round() / 1e3
}

/// To the millimetre cubed (a thousandth of a cubic metre).
fn mm3(x: f64) -> f64 {
    (x * 1e3).round() / 1e3
}
