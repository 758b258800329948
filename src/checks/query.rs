//! Planners' queries: which units a proposed volume (a metro tunnel, a car park, a passage)
//! hits, by how much and at which depth, and which lie within a clearance distance of it.

use rayon::prelude::*;
use serde::Serialize;

use crate::geometry::Volume;
use crate::geometry::algorithm::{BoundingBox3, SolidVolume, surface_distance};
use crate::index::BoxIndex;
use crate::model::{Dataset, Frame};

use super::pair::relate;
use super::subject::Subject;

/// A unit a proposed volume meets or comes near.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct QueryHit {
    /// The unit code.
    pub unit: String,
    /// Its stratum.
    pub stratum: Option<&'static str>,
    /// Its holder.
    pub holder: Option<String>,
    /// The volume shared with the proposal, m³ (0 for units only within the clearance).
    pub overlap_volume_m3: f64,
    /// The elevations of the shared volume (or of the unit, for clearance hits).
    pub z_range: [f64; 2],
    /// The same as depths below the ground (m), when the ground elevation is known.
    pub depth_range_m: Option<[f64; 2]>,
    /// The clearance between the proposal and the unit, m (0 when they meet).
    pub distance_m: f64,
}

/// The answer to a query.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct QueryReport {
    /// The frame of the proposal and the dataset.
    pub frame: Frame,
    /// The proposal's volume, m³.
    pub proposal_volume_m3: f64,
    /// The proposal's bounding box `[minx, miny, minz, maxx, maxy, maxz]`.
    pub proposal_bbox: [f64; 6],
    /// Units the proposal shares volume with, by overlap volume (largest first).
    pub intersects: Vec<QueryHit>,
    /// Units within the clearance distance that it does not share volume with, nearest first.
    pub within_clearance: Vec<QueryHit>,
    /// The clearance asked for, m.
    pub clearance_m: Option<f64>,
}

fn r3(v: f64) -> f64 {
    (v * 1e3).round() / 1e3
}

/// The farthest clearance asked for (m): beyond a kilometre a planner asks another question
/// (which rights lie in a district), and the search would touch every unit.
pub const MAX_CLEARANCE_M: f64 = 1000.0;

/// Lists the units of `ds` that `proposal` meets, and with `clearance` the units within that
/// many metres of it. `snap` (m) as in [`relate`].
pub fn query(ds: &Dataset, proposal: &Volume, clearance: Option<f64>, snap: f64) -> QueryReport {
    let boxes = ds.units.iter().map(|u| u.volume.bbox()).collect();
    let index = BoxIndex::new(boxes);
    let pb = proposal.bbox();
    let reach = clearance.unwrap_or(0.0).max(0.0);
    let candidates = index.query(&pb, reach + snap);
    let p = Subject::new(usize::MAX, proposal);
    let lookup = ds.plot_lookup();
    let hits: Vec<(bool, QueryHit)> = candidates
        .par_iter()
        .filter_map(|&i| {
            let u = &ds.units[i as usize];
            let s = Subject::new(i as usize, &u.volume);
            let r = relate(&p, &s, snap);
            let ground = ds.ground_for(u, &lookup);
            let depth = |z: (f64, f64)| ground.map(|g| [r3(g - z.1), r3(g - z.0)]);
            let hit = |volume: f64, z: (f64, f64), distance: f64| QueryHit {
                unit: u.key.clone(),
                stratum: u.stratum.map(|s| s.as_str()),
                holder: u.holder.clone(),
                overlap_volume_m3: r3(volume),
                z_range: [r3(z.0), r3(z.1)],
                depth_range_m: depth(z),
                distance_m: r3(distance),
            };
            if let Some(o) = r.overlap {
                return Some((true, hit(o.volume, o.z_range, 0.0)));
            }
            let c = clearance?;
            let d = p
                .parts
                .iter()
                .filter_map(|a| a.mesh())
                .flat_map(|ma| {
                    s.parts
                        .iter()
                        .filter_map(|b| b.mesh())
                        .filter_map(move |mb| surface_distance(ma, mb))
                })
                .fold(f64::INFINITY, f64::min);
            (d <= c).then(|| (false, hit(0.0, (s.bbox.min.z, s.bbox.max.z), d)))
        })
        .collect();
    let (mut intersects, mut near): (Vec<_>, Vec<_>) =
        hits.into_iter().partition(|(meets, _)| *meets);
    intersects.sort_by(|a, b| {
        b.1.overlap_volume_m3
            .total_cmp(&a.1.overlap_volume_m3)
            .then(a.1.unit.cmp(&b.1.unit))
    });
    near.sort_by(|a, b| {
        a.1.distance_m
            .total_cmp(&b.1.distance_m)
            .then(a.1.unit.cmp(&b.1.unit))
    });
    QueryReport {
        frame: ds.frame.clone(),
        proposal_volume_m3: r3(proposal.volume_m3()),
        proposal_bbox: pb.to_array(),
        intersects: intersects.into_iter().map(|x| x.1).collect(),
        within_clearance: near.into_iter().map(|x| x.1).collect(),
        clearance_m: clearance,
    }
}
