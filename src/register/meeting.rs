//! The live rights a proposed volume (or a box) meets: the planners' question, asked of the
//! register. One home for it: `strata register query` and the service's `/api/query` both
//! answer through [`rights_meeting`].

use serde::Serialize;

use crate::checks::{Subject, relate};
use crate::geometry::algorithm::BoundingBox3;
use crate::geometry::{Aabb, Volume};

use super::backend::View;
use super::error::RegisterError;
use super::record::{Kind, Record};

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
    let bbox = match proposal {
        Proposal::Box(b) => *b,
        Proposal::Volume(p) => p.bbox(),
    };
    let mut out = Vec::new();
    for u in v.registered_meeting(&bbox)? {
        let shared = match (proposal, &u.volume) {
            (Proposal::Volume(p), Some(vol)) => {
                let vol = vol.to_volume();
                match relate(&Subject::new(0, p), &Subject::new(1, &vol), snap).overlap {
                    Some(o) => Some(o),
                    None => continue,
                }
            }
            _ => None,
        };
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
        out.push(Met {
            unit: u.code.clone(),
            holders: right
                .as_ref()
                .map(|r| r.holders.parties().map(str::to_string).collect())
                .unwrap_or_default(),
            usage: right.map(|r| r.usage),
            z_range: u.measures.map_or([0.0; 2], |m| [m.z_min, m.z_max]),
            overlap_volume_m3: shared.as_ref().map(|o| mm3(o.volume)),
            shared_z_range: shared.as_ref().map(|o| [mm(o.z_range.0), mm(o.z_range.1)]),
            depth_below_ground_m: shared
                .as_ref()
                .zip(ground)
                .map(|(o, g)| mm(g - o.z_range.1)),
        });
    }
    Ok(out)
}

/// To the millimetre.
fn mm(x: f64) -> f64 {
    (x * 1e3).round() / 1e3
}

/// To the millimetre cubed (a thousandth of a cubic metre).
fn mm3(x: f64) -> f64 {
    (x * 1e3).round() / 1e3
}
