//! The check of a district larger than memory: the files are read once for the units' boxes
//! only, then once per batch of tiles for the units of those tiles, each batch validated,
//! admitted and checked tile by tile (see [`super::tiles`]) and dropped before the next.
//!
//! - **First read.** Every feature's unit key, box and plot, nothing else: 320–450 bytes
//!   a unit. From the boxes come the halo, the grid (unless given, tiles as large as the
//!   memory limit holds at the district's mean density) and each unit's tiles.
//! - **Batches.** A chosen tile is a batch; given tiles are gathered, in [`Tile`] order,
//!   into batches of half the limit. A batch reads the files again keeping only the features
//!   of its units and the plots they name (the [`Sieve`]); FlatGeobuf features of other
//!   batches are passed over unread. A batch of one tile is checked in place, the tiles of a
//!   larger one each on a copy of its units.
//! - **The same answers as the whole.** Validation is per unit, so every batch holding a unit
//!   judges it alike; the batch owning it (the one holding the tile of its box's lower
//!   corner) reports it. A refusal names every invalid unit of the district, as the admission
//!   of the whole does; with `skip_invalid`, what is left out is left out of every batch.
//!   The conflicts are those of the check of the whole district, in the same order (a test
//!   compares them).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::Instant;

use rustc_hash::FxHashMap;
use serde::Serialize;

use crate::admit::{AdmitOptions, LeftOut, Refusal, decide};
use crate::diagnostics::{FeatureRef, ObjectRef};
use crate::geometry::Aabb;
use crate::geometry::algorithm::BoundingBox3;
use crate::io::dataset::{Pick, Sieve, read_dataset_sieved};
use crate::io::profile::RawPart;
use crate::model::{Dataset, Plot};
use crate::validate::{
    ObjectReport, PlotListing, Report, dataset_findings, dataset_findings_listed, has_error, report,
};

use super::tiles::{Grid, GridError, PlotIndex, Tile, assign, check_tile, halo, tile_dataset};
use super::{CheckOptions, CheckReport, Conflict, Timings};

/// Memory a unit takes at the peak of a check held in memory (read, validated, prepared,
/// indexed): 2.4 KB measured on a 1,000,000-unit district of prisms, rounded up for
/// districts whose units carry more text.
pub const BYTES_PER_UNIT: u64 = 2_600;

/// Memory a unit takes in the first read (its key, its box, its place in the key index, its
/// plot, its features and their offsets): 320 bytes measured on a 1,000,000-unit district,
/// more on larger ones (the key index grows by doubling): planned as 450.
pub const BYTES_PER_UNIT_FIRST_READ: u64 = 450;

/// How the check in bounded memory is cut.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Bounds {
    /// The memory the batches are planned for, bytes.
    pub memory_limit: u64,
    /// The side of a tile, m (default: chosen from the memory limit).
    pub tile_size: Option<f64>,
    /// The corner of tile (0, 0) (default: the lower corner of the units' boxes).
    pub tile_origin: Option<[f64; 2]>,
}

/// How a check in bounded memory went.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Batching {
    /// The grid of the tiles.
    pub grid: Grid,
    /// Tiles holding units.
    pub tiles: usize,
    /// The halo, m.
    pub halo_m: f64,
    /// The most units one tile held (its own and its halo's).
    pub largest_tile: usize,
    /// Batches of tiles, one read of the files each.
    pub batches: usize,
    /// The most units one batch held.
    pub largest_batch: usize,
    /// Reads of the files: the first, for the boxes, and one per batch.
    pub reads: usize,
    /// Where the time went, ms.
    pub timings_ms: Stages,
}

/// Milliseconds per stage of the check in bounded memory, summed over the batches.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
pub struct Stages {
    /// The first read (boxes only).
    pub first_read: f64,
    /// The batches' reads.
    pub reads: f64,
    /// Validation and admission.
    pub validation: f64,
    /// The checks of the tiles.
    pub check: f64,
}

/// What the check in bounded memory found.
#[derive(Debug, Clone)]
pub struct BoundedCheck {
    /// The report: the conflicts of the whole district (pair counts are not gathered).
    pub report: CheckReport,
    /// What was left out (with `skip_invalid`).
    pub left_out: LeftOut,
    /// Validation's warnings on what was kept, and the dataset's.
    pub warnings: usize,
    /// The units read, before anything was left out.
    pub units_read: usize,
    /// How it was cut.
    pub batching: Batching,
}

/// Why the check in bounded memory did not run.
#[derive(Debug, thiserror::Error)]
pub enum BoundedError {
    /// The input was refused, as the admission of the whole would refuse it.
    #[error(transparent)]
    Refused(#[from] Refusal),
    /// The grid asked for cannot be used.
    #[error(transparent)]
    Grid(#[from] GridError),
    /// A file changed between two of its reads.
    #[error("an input file changed while the district was being checked: check it again")]
    Changed,
    /// The limit does not hold the first read.
    #[error(
        "a memory limit of {limit} bytes does not hold the first read of {units} units (about {first_read} bytes, {per_unit} a unit): give a larger limit, best several times that"
    )]
    LimitTooSmall {
        /// The limit, bytes.
        limit: u64,
        /// The units of the district.
        units: u64,
        /// What the first read takes, bytes.
        first_read: u64,
        /// What it takes a unit, bytes.
        per_unit: u64,
    },
}

/// Each file's length and modification time, to know that every read reads the same.
fn fingerprint(paths: &[PathBuf]) -> Vec<Option<(u64, std::time::SystemTime)>> {
    paths
        .iter()
        .map(|p| {
            let m = std::fs::metadata(p).ok()?;
            Some((m.len(), m.modified().ok()?))
        })
        .collect()
}

/// The first read: each unit's key, box and plots, in order of first appearance.
#[derive(Default)]
struct Boxes {
    ids: FxHashMap<Box<str>, u32>,
    boxes: Vec<Aabb>,
    plot_ids: FxHashMap<Box<str>, u32>,
    /// The plot each unit's first feature names (`NO_PLOT`: none).
    plot_of: Vec<u32>,
    /// The further plots of units whose features name several (each an error of the unit).
    more_plots: Vec<(u32, u32)>,
    /// Each file's features by index: the unit's id, or `PLOT | plot` (see [`Features`]).
    features: Features,
    /// The plots a unit naming an unknown one is told of.
    listing: PlotListing,
}

const NO_PLOT: u32 = u32::MAX;

/// What each feature of each file held, by its index in the file: a unit's id, a plot's
/// (with the `PLOT` bit), or `UNSEEN`; and, for the files whose readers say it (FlatGeobuf),
/// where each feature starts.
#[derive(Default)]
struct Features {
    files: Vec<FileFeatures>,
    /// The file of the last lookup (features come file by file).
    last: usize,
}

struct FileFeatures {
    path: PathBuf,
    what: Vec<u32>,
    offsets: Vec<u64>,
    /// Where the last feature ends: the file's length (the first read refuses bytes after
    /// the last feature).
    end: u64,
}

const PLOT: u32 = 1 << 31;
const UNSEEN: u32 = u32::MAX;

impl Features {
    /// One list per file, in the order of `paths`.
    fn new(paths: &[PathBuf]) -> Features {
        Features {
            files: paths
                .iter()
                .map(|p| FileFeatures {
                    path: p.clone(),
                    what: Vec::new(),
                    offsets: Vec::new(),
                    end: std::fs::metadata(p).map_or(0, |m| m.len()),
                })
                .collect(),
            last: 0,
        }
    }

    /// The features of the file at `path`.
    fn file(&mut self, path: &Path) -> Option<&mut FileFeatures> {
        if self.files.get(self.last).is_none_or(|f| f.path != path) {
            self.last = self.files.iter().position(|f| f.path == path)?;
        }
        self.files.get_mut(self.last)
    }

    fn note(&mut self, file: u32, index: Option<usize>, what: u32) {
        if let (Some(f), Some(index)) = (self.files.get_mut(file as usize), index) {
            if f.what.len() <= index {
                f.what.resize(index + 1, UNSEEN);
            }
            f.what[index] = what;
        }
    }

    fn note_offset(&mut self, file: u32, index: u64, offset: u64) {
        if let (Some(f), Ok(i)) = (self.files.get_mut(file as usize), usize::try_from(index)) {
            if f.offsets.len() <= i {
                f.offsets.resize(i + 1, 0);
            }
            f.offsets[i] = offset;
        }
    }
}

/// A set of small integers, a bit each.
struct Bits(Vec<u64>);

impl Bits {
    fn new(n: usize) -> Bits {
        Bits(vec![0; n.div_ceil(64)])
    }
    fn insert(&mut self, k: u32) -> bool {
        let (w, b) = (k as usize / 64, 1u64 << (k % 64));
        let new = self.0[w] & b == 0;
        self.0[w] |= b;
        new
    }
    fn contains(&self, k: u32) -> bool {
        self.0[k as usize / 64] & (1 << (k % 64)) != 0
    }
}

/// What the first read notes of a feature, sent from the reading thread.
enum Note {
    /// Feature `index` of file `file` starts at byte `offset`.
    Offset { file: u32, index: u64, offset: u64 },
    /// A unit feature: its unit's key, its box and plot, and its index in its file.
    Unit {
        key: Box<str>,
        bbox: Aabb,
        plot: Option<Box<str>>,
        file: u32,
        index: Option<usize>,
    },
    /// A plot feature.
    Plot {
        id: Box<str>,
        file: u32,
        index: Option<usize>,
    },
}

/// The feature's index in its file.
fn index_of(f: &FeatureRef) -> Option<usize> {
    match f.object {
        ObjectRef::Feature { index, .. } => Some(index),
        _ => None,
    }
}

/// The first read's sieve, on the reading thread: it keeps nothing (but the plots) and
/// sends what it sees, in order, in bundles.
struct Forward<'p> {
    paths: &'p [PathBuf],
    last: usize,
    notes: Vec<Note>,
    tx: std::sync::mpsc::SyncSender<Vec<Note>>,
}

/// Notes a bundle holds: enough to make sending cheap, few enough to keep both threads busy.
const NOTES_PER_BUNDLE: usize = 4_096;

impl Forward<'_> {
    fn file(&mut self, path: &Path) -> u32 {
        if self.paths.get(self.last).is_none_or(|p| p != path) {
            self.last = self.paths.iter().position(|p| p == path).unwrap_or(0);
        }
        self.last as u32
    }

    fn push(&mut self, n: Note) {
        self.notes.push(n);
        if self.notes.len() >= NOTES_PER_BUNDLE {
            self.flush();
        }
    }

    fn flush(&mut self) {
        let bundle = std::mem::replace(&mut self.notes, Vec::with_capacity(NOTES_PER_BUNDLE));
        // The receiver goes only when the first read failed: nothing is lost then.
        let _ = self.tx.send(bundle);
    }
}

impl Sieve for Forward<'_> {
    fn feature(&mut self, file: &Path, index: u64, offset: u64) -> Pick {
        let file = self.file(file);
        self.push(Note::Offset {
            file,
            index,
            offset,
        });
        Pick::Read
    }

    fn unit(&mut self, key: &str, raw: &RawPart) -> bool {
        let bbox = raw
            .parts
            .iter()
            .fold(Aabb::empty(), |a, p| a.union(&p.bbox()));
        let plot = raw
            .properties
            .get("parent_plot")
            .and_then(|v| v.as_str())
            .map(Box::from);
        let file = self.file(&raw.file);
        self.push(Note::Unit {
            key: key.into(),
            bbox,
            plot,
            file,
            index: index_of(&raw.feature),
        });
        false
    }

    fn plot(&mut self, plot: &Plot) -> bool {
        let file = self.file(&plot.file);
        self.push(Note::Plot {
            id: plot.id.as_str().into(),
            file,
            index: index_of(&plot.feature),
        });
        true
    }
}

impl Boxes {
    /// The first read: the files are parsed on one thread while this one notes what they
    /// hold.
    fn read(paths: &[PathBuf], opts: &AdmitOptions) -> Result<(Boxes, Dataset), Refusal> {
        let mut b = Boxes {
            features: Features::new(paths),
            ..Boxes::default()
        };
        let ds = std::thread::scope(|scope| {
            let (tx, rx) = std::sync::mpsc::sync_channel(4);
            let reader = scope.spawn(move || {
                let mut fwd = Forward {
                    paths,
                    last: 0,
                    notes: Vec::with_capacity(NOTES_PER_BUNDLE),
                    tx,
                };
                let ds = read_dataset_sieved(paths, &opts.import, Some(&mut fwd));
                fwd.flush();
                ds
            });
            for bundle in rx {
                for n in bundle {
                    b.note(n);
                }
            }
            reader.join()
        });
        let ds = match ds {
            Ok(ds) => ds?,
            Err(panic) => std::panic::resume_unwind(panic),
        };
        b.listing = PlotListing::of(&ds);
        Ok((b, ds))
    }

    fn note(&mut self, n: Note) {
        match n {
            Note::Offset {
                file,
                index,
                offset,
            } => self.features.note_offset(file, index, offset),
            Note::Unit {
                key,
                bbox,
                plot,
                file,
                index,
            } => {
                let plot = plot.map_or(NO_PLOT, |p| self.plot_id(p));
                let next = self.boxes.len() as u32;
                let id = *self.ids.entry(key).or_insert(next);
                self.features.note(file, index, id);
                if id == next {
                    self.boxes.push(bbox);
                    self.plot_of.push(plot);
                    return;
                }
                let k = id as usize;
                self.boxes[k] = self.boxes[k].union(&bbox);
                if self.plot_of[k] == NO_PLOT {
                    self.plot_of[k] = plot;
                } else if plot != NO_PLOT && plot != self.plot_of[k] {
                    self.more_plots.push((id, plot));
                }
            }
            Note::Plot { id, file, index } => {
                let p = self.plot_id(id);
                self.features.note(file, index, PLOT | p);
            }
        }
    }

    fn plot_id(&mut self, id: Box<str>) -> u32 {
        let next = self.plot_ids.len() as u32;
        *self.plot_ids.entry(id).or_insert(next)
    }
}

/// The sieve of a batch: its units, and the plots they name.
struct BatchSieve<'b> {
    boxes: &'b Boxes,
    features: &'b mut Features,
    units: Bits,
    plots: Bits,
    seen: Bits,
    /// The units kept, in order of their first feature: the order of the dataset's units.
    ids: Vec<u32>,
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
struct Plan {
    grid: Grid,
    halo: f64,
    tiles: BTreeMap<Tile, Vec<u32>>,
    /// For each batch, the tiles it checks, in order.
    batches: Vec<Vec<Tile>>,
    /// The batch of each tile.
    batch_of: FxHashMap<Tile, usize>,
}

impl Plan {
    fn new(b: &Boxes, bounds: &Bounds, snap: f64) -> Result<Plan, BoundedError> {
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
    fn sieve<'b>(&self, k: usize, boxes: &'b Boxes, features: &'b mut Features) -> BatchSieve<'b> {
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
    fn owner(&self, b: &Aabb) -> usize {
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
fn auto_tile_size(all: &Aabb, n: u64, budget: u64, halo: f64) -> f64 {
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

/// What one batch found.
#[derive(Default)]
struct Found {
    conflicts: Vec<Conflict>,
    invalid: Vec<(u32, ObjectReport)>,
    left_out: Vec<(u32, String)>,
    warnings: usize,
    largest_batch: usize,
    stages: Stages,
}

/// Milliseconds since `t`, to the microsecond.
fn ms_since(t: Instant) -> f64 {
    (t.elapsed().as_secs_f64() * 1e6).round() / 1e3
}

/// Checks the district in `paths` in batches of tiles planned for `bounds.memory_limit`
/// (see the module doc): the admission of the whole district (a refusal names every invalid
/// unit) and the conflicts of the whole, in the same order.
///
/// # Errors
///
/// The refusal of the admission (a file that cannot be read, invalid units without
/// `skip_invalid`, a frame that does not fit), or a grid that cannot be used.
pub fn check_bounded(
    paths: &[PathBuf],
    admit: &AdmitOptions,
    opts: &CheckOptions,
    bounds: &Bounds,
) -> Result<BoundedCheck, BoundedError> {
    let t0 = Instant::now();
    let files = fingerprint(paths);
    let (mut boxes, whole) = Boxes::read(paths, admit)?;
    let first_read = t0.elapsed();
    let fs = dataset_findings(&whole, &admit.tolerances, &|| {});
    // A frame that does not fit is refused even with `skip_invalid`, as in the admission.
    let frame_errors = has_error(&fs.dataset);
    let plan = Plan::new(&boxes, bounds, opts.snap)?;
    let mut found = Found {
        warnings: fs
            .plots
            .iter()
            .chain(std::iter::once(&fs.dataset))
            .flatten()
            .filter(|f| !f.is_error())
            .count(),
        ..Found::default()
    };
    // What a refusal says of the plots and the frame; the plots are not held any longer.
    let mut head = report(&whole, &fs);
    head.results.clear();
    head.plots.retain(|x| !x.valid);
    let bad_plots: Vec<String> = head.plots.iter().map(|p| p.id.clone()).collect();
    drop((whole, fs));
    let refused = |found: &Found| {
        frame_errors
            || (!admit.skip_invalid && (!found.invalid.is_empty() || !bad_plots.is_empty()))
    };
    let mut features = std::mem::take(&mut boxes.features);
    let run = Run {
        paths,
        files,
        admit,
        opts,
        plan: &plan,
        boxes: &boxes,
    };
    // One batch is read while the one before is validated and checked: reading is one
    // thread's work, the rest uses every core.
    std::thread::scope(|scope| -> Result<(), BoundedError> {
        let (tx, rx) = std::sync::mpsc::sync_channel(0);
        let (run, features) = (&run, &mut features);
        scope.spawn(move || {
            for k in 0..run.plan.batches.len() {
                let read = run.read(features, k);
                let failed = read.is_err();
                if tx.send(read).is_err() || failed {
                    break;
                }
            }
        });
        for (k, read) in rx.into_iter().enumerate() {
            let (ds, ids, ms) = read?;
            found.stages.reads += ms;
            found.largest_batch = found.largest_batch.max(ds.units.len());
            let refusing = refused(&found);
            run.judge(k, ds, &ids, refusing, &mut found)?;
        }
        Ok(())
    })?;
    let n = boxes.boxes.len();
    if refused(&found) {
        return Err(refusal(head, found.invalid).into());
    }
    found.left_out.sort_unstable();
    let left_out = LeftOut {
        units: found.left_out.into_iter().map(|(_, k)| k).collect(),
        plots: bad_plots,
    };
    Conflict::sort(&mut found.conflicts);
    let ms = |d: std::time::Duration| (d.as_secs_f64() * 1e6).round() / 1e3;
    let batching = Batching {
        grid: plan.grid,
        tiles: plan.tiles.len(),
        halo_m: plan.halo,
        largest_tile: plan.tiles.values().map(Vec::len).max().unwrap_or(0),
        batches: plan.batches.len(),
        largest_batch: found.largest_batch,
        reads: plan.batches.len() + 1,
        timings_ms: Stages {
            first_read: ms(first_read),
            ..found.stages
        },
    };
    Ok(BoundedCheck {
        report: CheckReport {
            frame: head.frame,
            units: n - left_out.units.len(),
            conflicts: found.conflicts,
            timings_ms: Timings {
                parse: ms(first_read),
                total: ms(t0.elapsed() - first_read),
                ..Timings::default()
            },
            pairs: Default::default(),
        },
        left_out,
        warnings: found.warnings,
        units_read: n,
        batching,
    })
}

/// The refusal naming every invalid unit (in order of first appearance), the invalid plots
/// and the dataset's findings, as the admission of the whole district gives it.
fn refusal(mut r: Report, mut invalid: Vec<(u32, ObjectReport)>) -> Refusal {
    invalid.sort_by_key(|(k, _)| *k);
    r.results = invalid.into_iter().map(|(_, o)| o).collect();
    r.units = r.results.len();
    Refusal::Invalid(Box::new(r))
}

/// What every batch reads and checks.
struct Run<'r> {
    paths: &'r [PathBuf],
    /// The files as the first read found them.
    files: Vec<Option<(u64, std::time::SystemTime)>>,
    admit: &'r AdmitOptions,
    opts: &'r CheckOptions,
    plan: &'r Plan,
    boxes: &'r Boxes,
}

impl Run<'_> {
    /// Reads batch `k`: its dataset, its units' ids in the dataset's order, and the time.
    fn read(
        &self,
        features: &mut Features,
        k: usize,
    ) -> Result<(Dataset, Vec<u32>, f64), BoundedError> {
        let t = Instant::now();
        if fingerprint(self.paths) != self.files {
            return Err(BoundedError::Changed);
        }
        let mut sieve = self.plan.sieve(k, self.boxes, features);
        let ds = read_dataset_sieved(self.paths, &self.admit.import, Some(&mut sieve))
            .map_err(Refusal::from)?;
        Ok((ds, sieve.ids, ms_since(t)))
    }

    /// Validates, admits and checks batch `k` (only validates it when `refusing`: the
    /// district is refused already, and the rest is read only to name every invalid unit).
    fn judge(
        &self,
        k: usize,
        ds: Dataset,
        ids: &[u32],
        refusing: bool,
        found: &mut Found,
    ) -> Result<(), Refusal> {
        let (admit, plan, boxes, opts) = (self.admit, self.plan, self.boxes, self.opts);
        let t = Instant::now();
        let mut fs = dataset_findings_listed(&ds, &admit.tolerances, &|| {}, &boxes.listing);
        // The frame was judged on the first read, of every feature.
        fs.dataset.clear();
        let owned: Vec<bool> = ids
            .iter()
            .map(|&u| plan.owner(&boxes.boxes[u as usize]) == k)
            .collect();
        let mut any_invalid = false;
        for (j, f) in fs.units.iter().enumerate() {
            if owned[j] {
                found.warnings += f.iter().filter(|x| !x.is_error()).count();
                any_invalid |= has_error(f);
            }
        }
        if any_invalid {
            let r = report(&ds, &fs);
            for (j, o) in r.results.into_iter().enumerate().take(ds.units.len()) {
                if owned[j] && !o.valid {
                    found.invalid.push((ids[j], o));
                }
            }
        }
        if refusing || (!admit.skip_invalid && any_invalid) {
            found.stages.validation += ms_since(t);
            return Ok(());
        }
        let keys: Vec<String> = ds.units.iter().map(|u| u.key.clone()).collect();
        let admitted = decide(ds, &fs, true)?.dataset;
        // The admitted units are those read, in order, less those left out.
        let mut kept = admitted.units.iter().map(|u| u.key.as_str()).peekable();
        for (j, key) in keys.into_iter().enumerate() {
            if kept.peek() == Some(&key.as_str()) {
                kept.next();
            } else if owned[j] {
                found.left_out.push((ids[j], key));
            }
        }
        found.stages.validation += ms_since(t);
        let t = Instant::now();
        check_tiles(&admitted, plan, k, opts, &mut found.conflicts);
        found.stages.check += ms_since(t);
        Ok(())
    }
}

/// The tiles of batch `k`, each checked on its own units (the batch holds all of them); a
/// batch of one tile holds its units only, and is checked in place.
fn check_tiles(ds: &Dataset, plan: &Plan, k: usize, opts: &CheckOptions, out: &mut Vec<Conflict>) {
    if let [tile] = plan.batches[k][..]
        && ds.units.iter().all(|u| !u.volume.bbox().is_empty())
    {
        out.extend(check_tile(ds, tile, &plan.grid, opts));
        return;
    }
    let boxes: Vec<Aabb> = ds.units.iter().map(|u| u.volume.bbox()).collect();
    let mut local = assign(&boxes, &plan.grid, plan.halo);
    let plots = PlotIndex::new(ds);
    for tile in &plan.batches[k] {
        let Some(units) = local.remove(tile) else {
            continue;
        };
        out.extend(check_tile(
            &tile_dataset(ds, &plots, &units),
            *tile,
            &plan.grid,
            opts,
        ));
    }
}
