//! The first read: each unit's key, box and plot, and what each feature of each file was.

use std::path::{Path, PathBuf};

use rustc_hash::FxHashMap;

use crate::admit::{AdmitOptions, Refusal};
use crate::diagnostics::{FeatureRef, ObjectRef};
use crate::geometry::Aabb;
use crate::geometry::algorithm::BoundingBox3;
use crate::io::dataset::{Pick, Sieve, read_dataset_sieved};
use crate::io::profile::RawPart;
use crate::model::{Dataset, Plot};
use crate::validate::PlotListing;

/// The first read: each unit's key, box and plots, in order of first appearance.
#[derive(Default)]
pub(super) struct Boxes {
    pub(super) ids: FxHashMap<Box<str>, u32>,
    pub(super) boxes: Vec<Aabb>,
    pub(super) plot_ids: FxHashMap<Box<str>, u32>,
    /// The plot each unit's first feature names (`NO_PLOT`: none).
    pub(super) plot_of: Vec<u32>,
    /// The further plots of units whose features name several (each an error of the unit).
    pub(super) more_plots: Vec<(u32, u32)>,
    /// Each file's features by index: the unit's id, or `PLOT | plot` (see [`Features`]).
    pub(super) features: Features,
    /// The plots a unit naming an unknown one is told of.
    pub(super) listing: PlotListing,
}

pub(super) const NO_PLOT: u32 = u32::MAX;

/// What each feature of each file held, by its index in the file: a unit's id, a plot's
/// (with the `PLOT` bit), or `UNSEEN`; and, for the files whose readers say it (FlatGeobuf),
/// where each feature starts.
#[derive(Default)]
pub(super) struct Features {
    pub(super) files: Vec<FileFeatures>,
    /// The file of the last lookup (features come file by file).
    pub(super) last: usize,
}

pub(super) struct FileFeatures {
    pub(super) path: PathBuf,
    pub(super) what: Vec<u32>,
    pub(super) offsets: Vec<u64>,
    /// Where the last feature ends: the file's length (the first read refuses bytes after
    /// the last feature).
    pub(super) end: u64,
}

pub(super) const PLOT: u32 = 1 << 31;
pub(super) const UNSEEN: u32 = u32::MAX;

impl Features {
    /// One list per file, in the order of `paths`.
    pub(super) fn new(paths: &[PathBuf]) -> Features {
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
    pub(super) fn file(&mut self, path: &Path) -> Option<&mut FileFeatures> {
        if self.files.get(self.last).is_none_or(|f| f.path != path) {
            self.last = self.files.iter().position(|f| f.path == path)?;
        }
        self.files.get_mut(self.last)
    }

    pub(super) fn note(&mut self, file: u32, index: Option<usize>, what: u32) {
        if let (Some(f), Some(index)) = (self.files.get_mut(file as usize), index) {
            if f.what.len() <= index {
                f.what.resize(index + 1, UNSEEN);
            }
            f.what[index] = what;
        }
    }

    pub(super) fn note_offset(&mut self, file: u32, index: u64, offset: u64) {
        if let (Some(f), Ok(i)) = (self.files.get_mut(file as usize), usize::try_from(index)) {
            if f.offsets.len() <= i {
                f.offsets.resize(i + 1, 0);
            }
            f.offsets[i] = offset;
        }
    }
}

/// A set of small integers, a bit each.
pub(super) struct Bits(Vec<u64>);

impl Bits {
    pub(super) fn new(n: usize) -> Bits {
        Bits(vec![0; n.div_ceil(64)])
    }
    pub(super) fn insert(&mut self, k: u32) -> bool {
        let (w, b) = (k as usize / 64, 1u64 << (k % 64));
        let new = self.0[w] & b == 0;
        self.0[w] |= b;
        new
    }
    pub(super) fn contains(&self, k: u32) -> bool {
        self.0[k as usize / 64] & (1 << (k % 64)) != 0
    }
}

/// What the first read notes of a feature, sent from the reading thread.
pub(super) enum Note {
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
pub(super) fn index_of(f: &FeatureRef) -> Option<usize> {
    match f.object {
        ObjectRef::Feature { index, .. } => Some(index),
        _ => None,
    }
}

/// The first read's sieve, on the reading thread: it keeps nothing (but the plots) and
/// sends what it sees, in order, in bundles.
pub(super) struct Forward<'p> {
    pub(super) paths: &'p [PathBuf],
    pub(super) last: usize,
    pub(super) notes: Vec<Note>,
    pub(super) tx: std::sync::mpsc::SyncSender<Vec<Note>>,
}

/// Notes a bundle holds: enough to make sending cheap, few enough to keep both threads busy.
pub(super) const NOTES_PER_BUNDLE: usize = 4_096;

impl Forward<'_> {
    pub(super) fn file(&mut self, path: &Path) -> u32 {
        if self.paths.get(self.last).is_none_or(|p| p != path) {
            self.last = self.paths.iter().position(|p| p == path).unwrap_or(0);
        }
        self.last as u32
    }

    pub(super) fn push(&mut self, n: Note) {
        self.notes.push(n);
        if self.notes.len() >= NOTES_PER_BUNDLE {
            self.flush();
        }
    }

    pub(super) fn flush(&mut self) {
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
    pub(super) fn read(
        paths: &[PathBuf],
        opts: &AdmitOptions,
    ) -> Result<(Boxes, Dataset), Refusal> {
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

    pub(super) fn note(&mut self, n: Note) {
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

    pub(super) fn plot_id(&mut self, id: Box<str>) -> u32 {
        let next = self.plot_ids.len() as u32;
        *self.plot_ids.entry(id).or_insert(next)
    }
}
