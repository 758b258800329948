//! Units with the very same volume (a file pasted twice under new codes, a layer copied):
//! found by hashing their exact coordinates, reported once per group, and related to their
//! neighbours once, through one representative, so that k copies cost k, not k² pairs.

use std::hash::{Hash, Hasher};

use rustc_hash::{FxHashMap, FxHasher};

use crate::diagnostics::Severity;
use crate::geometry::algorithm::SolidVolume;
use crate::geometry::{Part, Volume};
use crate::model::Unit;

use super::conflict::{Conflict, ConflictKind};

/// The representative of each unit's group (itself when it has no copy), and the copies of
/// each representative.
#[derive(Debug, Default)]
pub struct Groups {
    /// For each unit, the unit that stands for its group.
    pub rep: Vec<u32>,
    /// For each representative with copies, the copies (ascending).
    pub copies: FxHashMap<u32, Vec<u32>>,
}

impl Groups {
    /// True when unit `i` stands for its group (checked against its neighbours).
    pub fn is_rep(&self, i: usize) -> bool {
        self.rep[i] as usize == i
    }
}

/// A hash of a volume's exact coordinates (bit patterns, so `0.1` and `0.1000001` differ).
fn volume_hash(v: &Volume) -> u64 {
    let mut h = FxHasher::default();
    for part in &v.parts {
        match part {
            Part::Prism(p) => {
                0u8.hash(&mut h);
                p.z_bottom.to_bits().hash(&mut h);
                p.z_top.to_bits().hash(&mut h);
                for ring in std::iter::once(p.footprint.exterior()).chain(p.footprint.interiors()) {
                    ring.0.len().hash(&mut h);
                    for c in &ring.0 {
                        c.x.to_bits().hash(&mut h);
                        c.y.to_bits().hash(&mut h);
                    }
                }
            }
            Part::Polyhedron(p) => {
                1u8.hash(&mut h);
                for v in &p.vertices {
                    v.x.to_bits().hash(&mut h);
                    v.y.to_bits().hash(&mut h);
                    v.z.to_bits().hash(&mut h);
                }
                p.shells.len().hash(&mut h);
            }
        }
    }
    h.finish()
}

/// Groups the units whose volumes are equal, coordinate for coordinate. Buildings (fixture
/// codes) stay apart: a building may fill its land right's volume exactly. Linear but for a
/// sort of one hash per unit; equal hashes are confirmed by comparing the volumes.
pub fn identical(units: &[Unit]) -> Groups {
    use rayon::prelude::*;
    let mut keyed: Vec<(u64, u32)> = units
        .par_iter()
        .enumerate()
        .filter(|(_, u)| !u.volume.is_empty() && !u.code.as_ref().is_some_and(|c| c.is_fixture()))
        .map(|(i, u)| (volume_hash(&u.volume), i as u32))
        .collect();
    keyed.par_sort_unstable();
    let mut rep: Vec<u32> = (0..units.len() as u32).collect();
    let mut copies: FxHashMap<u32, Vec<u32>> = FxHashMap::default();
    for run in keyed.chunk_by(|a, b| a.0 == b.0).filter(|r| r.len() > 1) {
        // Within one hash, each unit joins the first earlier one with an equal volume.
        let mut reps: Vec<u32> = Vec::new();
        for &(_, i) in run {
            let v = &units[i as usize].volume;
            match reps.iter().find(|&&r| units[r as usize].volume == *v) {
                Some(&r) => {
                    rep[i as usize] = r;
                    copies.entry(r).or_default().push(i);
                }
                None => reps.push(i),
            }
        }
    }
    Groups { rep, copies }
}

/// One `duplicate` conflict per group of identical units.
pub fn duplicate_conflicts(units: &[Unit], groups: &Groups) -> Vec<Conflict> {
    /// The units a message names before it counts the rest.
    const NAMED: usize = 20;
    let mut out = Vec::new();
    for (&r, copies) in &groups.copies {
        let mut keys: Vec<&str> = std::iter::once(r)
            .chain(copies.iter().copied())
            .map(|i| units[i as usize].key.as_str())
            .collect();
        keys.sort_unstable();
        let v = units[r as usize].volume.volume_m3();
        let mut named = keys
            .iter()
            .take(NAMED)
            .copied()
            .collect::<Vec<_>>()
            .join(", ");
        if keys.len() > NAMED {
            named.push_str(&format!(" and {} more", keys.len() - NAMED));
        }
        let mut c = Conflict::of_unit(
            ConflictKind::Duplicate,
            Severity::Error,
            keys[0],
            v,
            format!(
                "{} units have the very same volume ({v:.3} m³ each, every pair sharing all of it): {named}",
                keys.len()
            ),
        );
        c.b = keys.get(1).map(|k| k.to_string());
        out.push(c);
    }
    out
}
