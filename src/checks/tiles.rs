//! The check in spatial tiles: a district too large for one pass (or for one machine) is cut
//! into square tiles in plan, each checked on its own, and every conflict is reported by
//! exactly one tile, without a de-duplication step.
//!
//! - **Halo.** A tile holds every unit whose box comes within `halo` of it, where the halo is
//!   the largest plan extent of any unit plus the snap distance. So every unit with a point in
//!   the tile is there together with every unit it touches or overlaps: whatever the check
//!   says of it (its pairs, its 六至, its column, its land) is computed there completely.
//! - **Ownership** (the reference-point method of distributed spatial joins). A conflict of a
//!   pair belongs to the tile holding the lower corner (least x, least y) of the pair's shared
//!   box, the intersection of the two units' boxes; a conflict of one unit (a unit leaving its
//!   column, a 六至 mismatch, a duplicate) to the tile holding the lower corner of its box.
//!   Tiles are half-open (`[x0, x0 + size)`), so a point on an edge belongs to one tile.
//!   Every tile computes the same points from the same boxes, so exactly one keeps each
//!   conflict.
//!
//! Tiles are spatial, not administrative: overlaps across county borders are what the check
//! must find. The same [`Grid`] and [`Tile`] serve one machine ([`check_tiled`]) and many
//! (each worker runs [`check_tile`] on the units [`assign`] gave its tile).

use std::collections::{BTreeMap, HashMap};

use serde::Serialize;

use crate::geometry::Aabb;
use crate::geometry::algorithm::BoundingBox3;
use crate::model::{Dataset, Plot};

use super::{CheckOptions, Conflict, check};

/// A square grid in plan, in the dataset's projected CRS (metres).
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Grid {
    /// The corner of tile (0, 0): easting, northing.
    pub origin: [f64; 2],
    /// The side of a tile, m.
    pub size: f64,
}

/// One tile of a grid: column `i` (eastward) and row `j` (northward).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub struct Tile {
    /// Column.
    pub i: i64,
    /// Row.
    pub j: i64,
}

/// A grid that cannot be used.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("tile grid: {0}")]
pub struct GridError(String);

impl Grid {
    /// A grid of tiles `size` m wide from `origin`.
    ///
    /// ```
    /// use strata::checks::tiles::{Grid, Tile};
    /// let g = Grid::new([440_000.0, 4_410_000.0], 500.0).unwrap();
    /// // Half-open tiles: a point on an edge belongs to the tile east (north) of it.
    /// assert_eq!(g.tile_of(440_500.0, 4_410_499.9), Tile { i: 1, j: 0 });
    /// assert!(Grid::new([0.0, 0.0], 0.0).is_err());
    /// ```
    pub fn new(origin: [f64; 2], size: f64) -> Result<Grid, GridError> {
        if !(size.is_finite() && size > 0.0) || origin.iter().any(|o| !o.is_finite()) {
            return Err(GridError(format!(
                "a tile's side must be a positive number of metres and the origin finite (size {size})"
            )));
        }
        Ok(Grid { origin, size })
    }

    /// The tile holding point (x, y).
    pub fn tile_of(&self, x: f64, y: f64) -> Tile {
        Tile {
            i: ((x - self.origin[0]) / self.size).floor() as i64,
            j: ((y - self.origin[1]) / self.size).floor() as i64,
        }
    }

    /// The tiles a plan box `[minx, miny, maxx, maxy]` meets (closed: a box ending on an edge
    /// meets the tile beyond it too, which is harmless for assignment).
    pub fn tiles_meeting(&self, b: [f64; 4]) -> impl Iterator<Item = Tile> + use<> {
        let (lo, hi) = (self.tile_of(b[0], b[1]), self.tile_of(b[2], b[3]));
        (lo.i..=hi.i).flat_map(move |i| (lo.j..=hi.j).map(move |j| Tile { i, j }))
    }
}

/// The halo of a tiling of `boxes`: the largest plan extent of a unit, plus `snap`.
pub fn halo(boxes: &[Aabb], snap: f64) -> f64 {
    boxes
        .iter()
        .filter(|b| !b.is_empty())
        .map(|b| (b.max.x - b.min.x).max(b.max.y - b.min.y))
        .fold(0.0, f64::max)
        + snap
}

/// Each unit (by index) in every tile it belongs to: those whose region grown by `halo` its
/// box meets. Units without a box (no volume) go nowhere.
pub fn assign(boxes: &[Aabb], grid: &Grid, halo: f64) -> BTreeMap<Tile, Vec<u32>> {
    let mut tiles: BTreeMap<Tile, Vec<u32>> = BTreeMap::new();
    for (k, b) in boxes.iter().enumerate() {
        if b.is_empty() {
            continue;
        }
        let grown = [
            b.min.x - halo,
            b.min.y - halo,
            b.max.x + halo,
            b.max.y + halo,
        ];
        for t in grid.tiles_meeting(grown) {
            tiles.entry(t).or_default().push(k as u32);
        }
    }
    tiles
}

/// The boxes of `ds`'s units, by index: what tiles are assigned from.
pub fn unit_boxes(ds: &Dataset) -> Vec<Aabb> {
    ds.units.iter().map(|u| u.volume.bbox()).collect()
}

/// The halo of a tiling of `ds`'s units (see [`halo`]).
pub fn dataset_halo(ds: &Dataset, snap: f64) -> f64 {
    halo(&unit_boxes(ds), snap)
}

/// The datasets of the tiles `assigned` (see [`assign`]) cut from `ds`, one at a time and in
/// tile order: only the tile being worked on is held.
pub fn tile_datasets(
    ds: &Dataset,
    assigned: BTreeMap<Tile, Vec<u32>>,
) -> impl Iterator<Item = (Tile, Dataset)> + '_ {
    let plots = PlotIndex::new(ds);
    assigned
        .into_iter()
        .map(move |(tile, units)| (tile, tile_dataset(ds, &plots, &units)))
}

/// `ds` cut into the datasets of its tiles with halo `halo`, one at a time: what each worker
/// of a distributed check receives.
pub fn cut<'a>(
    ds: &'a Dataset,
    grid: &Grid,
    halo: f64,
) -> impl Iterator<Item = (Tile, Dataset)> + 'a {
    tile_datasets(ds, assign(&unit_boxes(ds), grid, halo))
}

/// The plots of a dataset by identifier, to cut tiles from it.
pub struct PlotIndex<'a>(HashMap<&'a str, usize>);

impl<'a> PlotIndex<'a> {
    /// The index of `ds`'s plots.
    pub fn new(ds: &'a Dataset) -> PlotIndex<'a> {
        PlotIndex(
            ds.plots
                .iter()
                .enumerate()
                .map(|(k, p)| (p.id.as_str(), k))
                .collect(),
        )
    }
}

/// The tile's dataset: its units and the plots they name (the checks read a unit's own plot
/// only).
pub fn tile_dataset(ds: &Dataset, plots: &PlotIndex, units: &[u32]) -> Dataset {
    let units: Vec<_> = units
        .iter()
        .map(|&k| ds.units[k as usize].clone())
        .collect();
    let mut named: Vec<usize> = units
        .iter()
        .filter_map(|u| plots.0.get(u.parent_plot.as_deref()?).copied())
        .collect();
    named.sort_unstable();
    named.dedup();
    let plots: Vec<Plot> = named.into_iter().map(|k| ds.plots[k].clone()).collect();
    Dataset {
        sources: ds.sources.clone(),
        units,
        plots,
        objects: Vec::new(),
        frame: ds.frame.clone(),
        ground_elevation: ds.ground_elevation,
        findings: Vec::new(),
    }
}

/// The conflicts tile `tile` owns among those of its dataset `ds` (see the module doc).
pub fn check_tile(ds: &Dataset, tile: Tile, grid: &Grid, opts: &CheckOptions) -> Vec<Conflict> {
    let boxes: HashMap<&str, Aabb> = ds
        .units
        .iter()
        .map(|u| (u.key.as_str(), u.volume.bbox()))
        .collect();
    let mut conflicts = check(ds, opts).report.conflicts;
    conflicts.retain(|c| owner(c, &boxes, grid) == Some(tile));
    conflicts
}

/// The tile owning a conflict: by the lower corner of the pair's shared box, or of the unit's
/// box; `None` for a conflict of a unit not in `boxes` (never for a tile's own dataset).
fn owner(c: &Conflict, boxes: &HashMap<&str, Aabb>, grid: &Grid) -> Option<Tile> {
    let a = boxes.get(c.a.as_str())?;
    let corner = match c.b.as_deref().and_then(|b| boxes.get(b)) {
        Some(b) => (a.min.x.max(b.min.x), a.min.y.max(b.min.y)),
        None => (a.min.x, a.min.y),
    };
    Some(grid.tile_of(corner.0, corner.1))
}

/// What a tiled check did.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Tiling {
    /// Tiles holding units.
    pub tiles: usize,
    /// The halo, m.
    pub halo_m: f64,
    /// The most units one tile held (its own and its halo's).
    pub largest_tile: usize,
}

/// The whole check, tile by tile on this machine: the same conflicts as [`check`] on the whole
/// dataset, in the same order, with one tile's units prepared at a time.
pub fn check_tiled(ds: &Dataset, grid: &Grid, opts: &CheckOptions) -> (Vec<Conflict>, Tiling) {
    let boxes = unit_boxes(ds);
    let h = halo(&boxes, opts.snap);
    let tiles = assign(&boxes, grid, h);
    let tiling = Tiling {
        tiles: tiles.len(),
        halo_m: h,
        largest_tile: tiles.values().map(Vec::len).max().unwrap_or(0),
    };
    let mut out = Vec::new();
    for (tile, part) in tile_datasets(ds, tiles) {
        out.extend(check_tile(&part, tile, grid, opts));
    }
    Conflict::sort(&mut out);
    (out, tiling)
}
