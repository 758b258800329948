//! The plan: the grid, the tiles and their batches, and the sieve that reads a batch.

use std::collections::BTreeMap;
use std::path::Path;

use rustc_hash::FxHashMap;

use crate::geometry::Aabb;
use crate::io::dataset::{Pick, Sieve};
use crate::io::profile::RawPart;
use crate::model::Plot;

use super::first_read::{Bits, Boxes, Features, NO_PLOT, PLOT, UNSEEN, index_of};
use super::{BYTES_PER_UNIT, BYTES_PER_UNIT_FIRST_READ, BoundedError, Bounds};
use crate::checks::tiles::{Grid, Tile, assign, halo};

/// The sieve of a batch: its units, and the plots they name.
pub(super) struct BatchSieve<'b> {
    pub(super) boxes: &'b Boxes,
    pub(super) features: &'b mut Features,
    pub(super) units: Bits,
    pub(super) plots: Bits,
    pub(super) seen: Bits,
    /// The units kept, in order of their first feature: the order of the dataset's units.
    pub(super) ids: Vec<u32>,
}

impl Sieve for BatchSieve<'_> {
    fn feature(&mut self, file: &Path, index: u64, _: u64) -> Pick {
        let wanted = |w: u32| match w {
            UNSEEN => true,
            p if p & PLOT != 0 => self.plots.contains(p & !PLOT),
            u => self.units.contains(u),
        };
        let (Some(f), Ok(i)) = (self.features.file(file), usize::try_from(index)) else {
            return Pick::Read;
        };
        if f.offsets.len() != f.what.len() || f.what.get(i).is_none_or(|&w| wanted(w)) {
            return Pick::Read;
        }
        // The next feature wanted, or the end of the file.
        match (i + 1..f.what.len()).find(|&j| wanted(f.what[j])) {
            Some(j) => Pick::Jump {
                index: j as u64,
                offset: f.offsets[j],
            },
            None => Pick::Jump {
                index: f.what.len() as u64,
                offset: f.end,
            },
        }
    }

    fn unit(&mut self, key: &str, raw: &RawPart) -> bool {
        // The first read noted each feature's unit: by its index, without hashing its key.
        let noted = self
            .features
            .file(&raw.file)
            .zip(index_of(&raw.feature))
            .and_then(|(f, i)| f.what.get(i).copied())
            .filter(|&w| w != UNSEEN && w & PLOT == 0);
        let Some(u) = noted.or_else(|| self.boxes.ids.get(key).copied()) else {
            return false;
        };
        let keep = self.units.contains(u);
        if keep && self.seen.insert(u) {
            self.ids.push(u);
        }
        keep
    }

    fn plot(&mut self, plot: &Plot) -> bool {
        self.boxes
            .plot_ids
            .get(plot.id.as_str())
            .is_some_and(|&p| self.plots.contains(p))
    }
}

/// The plan: the grid, the units of each tile, and the batches of tiles.
pub(super) struct Plan {
    pub(super) grid: Grid,
    pub(super) halo: f64,
    pub(super) tiles: BTreeMap<Tile, Vec<u32>>,
    /// For each batch, the tiles it checks, in order.
    pub(super) batches: Vec<Vec<Tile>>,
    /// The batch of each tile.
    pub(super) batch_of: FxHashMap<Tile, usize>,
}

impl Plan {
    pub(super) fn new(b: &Boxes, bounds: &Bounds, snap: f64) -> Result<Plan, BoundedError> {
        let all = b.boxes.iter().fold(Aabb::empty(), |a, x| a.union(x));
        let h = halo(&b.boxes, snap);
        let n = b.boxes.len() as u64;
        let first_read = n * BYTES_PER_UNIT_FIRST_READ;
        if bounds.memory_limit <= first_read {
            return Err(BoundedError::LimitTooSmall {
                limit: bounds.memory_limit,
                units: n,
                first_read,
                per_unit: BYTES_PER_UNIT_FIRST_READ,
            });
        }
        // Two batches are held at once: one checked while the next is read.
        let budget = (bounds
            .memory_limit
            .saturating_sub(n * BYTES_PER_UNIT_FIRST_READ)
            / BYTES_PER_UNIT
            / 2)
        .max(1);
        // Below and left of every unit's halo: a district that fits is one tile.
        let origin = bounds.tile_origin.unwrap_or(if all.is_empty() {
            [0.0, 0.0]
        } else {
            [all.min.x - h - 1.0, all.min.y - h - 1.0]
        });
        let size = match bounds.tile_size {
            Some(s) => s,
            None => auto_tile_size(&all, n, budget, h),
        };
        let grid = Grid::new(origin, size)?;
        let tiles = assign(&b.boxes, &grid, h);
        // Tiles chosen here are a batch each, checked in place. Tiles given are gathered into
        // batches of up to two thirds of a batch's budget: each tile is copied out of its
        // batch to be checked.
        let room = match bounds.tile_size {
            None => 0,
            Some(_) => (budget * 2 / 3).max(1) as usize,
        };
        let mut batches: Vec<Vec<Tile>> = Vec::new();
        let mut held = 0;
        for (tile, units) in &tiles {
            match batches.last_mut() {
                Some(last) if held + units.len() <= room => last.push(*tile),
                _ => {
                    batches.push(vec![*tile]);
                    held = 0;
                }
            }
            held += units.len();
        }
        let batch_of = batches
            .iter()
            .enumerate()
            .flat_map(|(k, ts)| ts.iter().map(move |t| (*t, k)))
            .collect();
        Ok(Plan {
            grid,
            halo: h,
            tiles,
            batches,
            batch_of,
        })
    }

    /// The sieve of batch `k`: the units of its tiles (and, in the first, the units without
    /// a box), and the plots they name.
    pub(super) fn sieve<'b>(
        &self,
        k: usize,
        boxes: &'b Boxes,
        features: &'b mut Features,
    ) -> BatchSieve<'b> {
        let n = boxes.boxes.len();
        let mut units = Bits::new(n);
        for t in &self.batches[k] {
            for &u in &self.tiles[t] {
                units.insert(u);
            }
        }
        if k == 0 {
            for (u, b) in boxes.boxes.iter().enumerate() {
                if b.is_empty() {
                    units.insert(u as u32);
                }
            }
        }
        let mut plots = Bits::new(boxes.plot_ids.len());
        for (u, &p) in boxes.plot_of.iter().enumerate() {
            if p != NO_PLOT && units.contains(u as u32) {
                plots.insert(p);
            }
        }
        for &(u, p) in &boxes.more_plots {
            if units.contains(u) {
                plots.insert(p);
            }
        }
        BatchSieve {
            boxes,
            features,
            units,
            plots,
            seen: Bits::new(n),
            ids: Vec::new(),
        }
    }

    /// The batch reporting unit `u` (box `b`): the one holding the tile of its lower corner;
    /// the first batch for a unit without a box.
    pub(super) fn owner(&self, b: &Aabb) -> usize {
        if b.is_empty() {
            return 0;
        }
        let t = self.grid.tile_of(b.min.x, b.min.y);
        self.batch_of.get(&t).copied().unwrap_or(0)
    }
}

/// The tile side for tiles of about `budget` units with their halo, from the district's mean
/// density; never under four halos (the halo would outweigh the tile), and one tile for a
/// district that fits.
pub(super) fn auto_tile_size(all: &Aabb, n: u64, budget: u64, halo: f64) -> f64 {
    if all.is_empty() || n == 0 {
        return 1_000.0;
    }
    let (w, h) = (all.max.x - all.min.x, all.max.y - all.min.y);
    let whole = w.max(h) + 2.0 * halo + 2.0;
    if n <= budget {
        return whole;
    }
    let density = n as f64 / (w * h).max(1.0);
    let side = (budget as f64 / density).sqrt() - 2.0 * halo;
    side.max(4.0 * halo).min(whole)
}
