//! The check of a district larger than memory: the files are read once for the units' boxes
//! only, then once per batch of tiles for the units of those tiles, each batch validated,
//! admitted and checked tile by tile (see [`super::tiles`]) and dropped before the next.
//!
//! - **First read.** Every feature's unit key, box and plot, nothing else: 320–450 bytes
//!   a unit. From the boxes come the halo, the grid (unless given, tiles as large as the
//!   memory limit holds at the district's mean density) and each unit's tiles.
//! - **Batches.** A chosen tile is a batch; given tiles are gathered, in [`Tile`](super::tiles::Tile) order,
//!   into batches. A batch reads the files again keeping only the features of its units and
//!   the plots they name (the [`Sieve`](crate::io::sieve::Sieve)); FlatGeobuf features of
//!   other batches are jumped over by their offsets. A batch of one tile is checked in place,
//!   the tiles of a larger one each on a copy of its units. One batch is read while the one
//!   before is validated and checked, so two are planned to fit the limit together.
//! - **The same answers as the whole.** Validation is per unit, so every batch holding a unit
//!   judges it alike; the batch owning it (the one holding the tile of its box's lower
//!   corner) reports it. A refusal names every invalid unit of the district, as the admission
//!   of the whole does; with `skip_invalid`, what is left out is left out of every batch.
//!   The conflicts are those of the check of the whole district, in the same order (a test
//!   compares them).

mod batch;
mod first_read;
mod plan;

use std::path::PathBuf;
use std::time::{Duration, Instant};

use serde::Serialize;

use crate::admit::{AdmitOptions, LeftOut, Refusal};
use crate::validate::{ObjectReport, Report, dataset_findings, has_error, report};

use super::tiles::{Grid, GridError};
use super::{CheckOptions, CheckReport, Conflict, Timings};
use batch::Run;
use first_read::Boxes;
use plan::Plan;

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

/// What one batch found.
#[derive(Default)]
struct Found {
    conflicts: Vec<Conflict>,
    invalid: Vec<(u32, ObjectReport)>,
    left_out: Vec<(u32, String)>,
    warnings: usize,
    largest_batch: usize,
    /// Time spent reading the batches, validating them and checking them.
    reads: Duration,
    validation: Duration,
    check: Duration,
}

/// Milliseconds, to the microsecond.
fn ms(d: Duration) -> f64 {
    (d.as_secs_f64() * 1e6).round() / 1e3
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
            let (ds, ids, spent) = read?;
            found.reads += spent;
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
            reads: ms(found.reads),
            validation: ms(found.validation),
            check: ms(found.check),
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::generate::{DistrictOptions, district};
    use std::fs::{File, FileTimes};

    /// A GeoJSON district, its first read, and a plan of several batches.
    fn planned(dir: &std::path::Path) -> (Vec<PathBuf>, Boxes, Plan) {
        let path = dir.join("d.geojson");
        let d = district(&DistrictOptions {
            units: 400,
            seed: 3,
            conflict_every: 10,
        });
        d.write(&path).expect("the district is written");
        let paths = vec![path];
        let (boxes, _) = Boxes::read(&paths, &AdmitOptions::default()).expect("it reads");
        // About 40 units a batch.
        let bounds = Bounds {
            memory_limit: 400_000,
            tile_size: None,
            tile_origin: None,
        };
        let plan = Plan::new(&boxes, &bounds, 0.001).expect("a plan");
        assert!(
            plan.batches.len() > 1,
            "the test needs batches that pass features over"
        );
        (paths, boxes, plan)
    }

    /// Reads batch `k` as the check does, with `files` as the first read's fingerprint.
    fn read_batch(
        paths: &[PathBuf],
        files: Vec<Option<(u64, std::time::SystemTime)>>,
        boxes: &mut Boxes,
        plan: &Plan,
        k: usize,
    ) -> Result<usize, BoundedError> {
        let mut features = std::mem::take(&mut boxes.features);
        let (admit, opts) = (AdmitOptions::default(), CheckOptions::default());
        let run = Run {
            paths,
            files,
            admit: &admit,
            opts: &opts,
            plan,
            boxes,
        };
        let read = run.read(&mut features, k).map(|(ds, _, _)| ds.units.len());
        boxes.features = features;
        read
    }

    #[test]
    fn a_file_changed_between_reads_stops_the_check() {
        let dir = tempfile::tempdir().expect("a temporary folder");
        let (paths, mut boxes, plan) = planned(dir.path());
        let files = fingerprint(&paths);
        let units = read_batch(&paths, files.clone(), &mut boxes, &plan, 1).expect("unchanged");
        assert!(units > 0);
        // One more byte: the length says it changed.
        let text = std::fs::read_to_string(&paths[0]).expect("it reads");
        std::fs::write(&paths[0], format!("{text}\n")).expect("it is rewritten");
        let read = read_batch(&paths, files.clone(), &mut boxes, &plan, 1);
        assert!(matches!(read, Err(BoundedError::Changed)), "{read:?}");
        // The same length and modification time, but every feature one byte later: the
        // features do not start where the first read found them.
        let modified = std::fs::metadata(&paths[0])
            .and_then(|m| m.modified())
            .expect("a modification time");
        let shifted = text.replacen("[\n", "[ \n", 1);
        let shifted = shifted.strip_suffix('\n').unwrap_or(&shifted).to_string();
        std::fs::write(&paths[0], &shifted).expect("it is rewritten");
        let f = File::options()
            .write(true)
            .open(&paths[0])
            .expect("it opens");
        f.set_times(FileTimes::new().set_modified(files[0].expect("a fingerprint").1))
            .expect("the time is set back");
        drop(f);
        assert_eq!(fingerprint(&paths), files, "{modified:?}");
        let e = read_batch(&paths, files, &mut boxes, &plan, 1).expect_err("the file changed");
        assert!(e.to_string().contains("the file changed"), "{e}");
    }
}
