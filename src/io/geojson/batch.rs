//! The features array in batches: framed into one buffer, chosen by a pick, parsed on all
//! cores, and handed over in file order.

use std::path::Path;

use rayon::prelude::*;

use crate::io::error::ImportError;
use crate::io::mapping::FieldMapping;
use crate::io::profile::{Extent, ProfileFile, RawPart, Record};
use crate::io::sieve::Pick;

use super::feature::{self, Parsed, Piece};
use super::frame::{self, Framer, Start, Stop};

/// Features are parsed in batches of about this many bytes: large enough to keep both cores
/// busy between hand-overs, small enough that a batch's records stay a few megabytes.
pub(super) const BATCH_BYTES: usize = 4 << 20;

/// A feature framed: where its bytes are in the batch, and where it is in the file.
pub(super) struct Framed {
    bytes: std::ops::Range<usize>,
    index: usize,
    at: Start,
    offset: u64,
}

/// The features of one batch: their bytes, one after another, and where each starts.
#[derive(Default)]
pub(super) struct Batch {
    bytes: Vec<u8>,
    features: Vec<Framed>,
    /// Why the features array ended in this batch, if it did.
    end: Option<End>,
}

pub(super) enum End {
    /// The closing bracket.
    Closed,
    /// A JSON error after the batch's features (or the end of the file inside the last).
    Failed(Stop),
}

/// The features array after its `[`: framed here, parsed in batches on all cores (the next
/// batch is framed while the last one parses), handed to `sink` in file order; the plots and
/// the coordinates' range go `into` the file.
pub(super) fn features<R: std::io::Read + Send>(
    path: &Path,
    mapping: &FieldMapping,
    pick: &mut dyn FnMut(u64, u64) -> Pick,
    framer: &mut Framer<R>,
    into: (&mut ProfileFile, &mut Option<Extent>),
    sink: &mut dyn FnMut(RawPart),
) -> Result<(), Stop> {
    let mut framing = Framing::default();
    let mut batch = Some(framing.batch(framer, Batch::default()));
    let mut choice = Choice::default();
    // The last batch's records and how its features ended, handed over on this thread
    // while the pool parses the next batch and frames the one after. Buffers go round
    // (a batch parsed is framed into again, records handed over are parsed into again):
    // memory touched for the first time is what a read costs most on a fresh machine.
    let mut ready: Option<(Records, Option<End>)> = None;
    let (mut spare, mut records) = (Batch::default(), Records::new());
    let (out, extent) = into;
    loop {
        let mut next = None;
        if let Some(b) = batch.as_mut()
            && let Err(e) = choice.choose(path, pick, b)
        {
            // An error in the last batch comes first in the file.
            if let Some((parsed, end)) = ready.as_mut() {
                hand_over(parsed, end.take(), out, extent, sink)?;
            }
            return Err(e.into());
        }
        let handed = rayon::in_place_scope(|s| {
            if let Some(mut b) = batch.take() {
                let (framing, framer, next) = (&mut framing, &mut *framer, &mut next);
                let (empty, mut into) = (std::mem::take(&mut spare), std::mem::take(&mut records));
                s.spawn(move |_| {
                    let end = b.end.take();
                    let following = if end.is_none() {
                        rayon::join(
                            || Some(framing.batch(framer, empty)),
                            || parse_batch(path, mapping, &b, &mut into),
                        )
                        .0
                    } else {
                        parse_batch(path, mapping, &b, &mut into);
                        None
                    };
                    *next = Some((into, end, following, b));
                });
            }
            match ready.as_mut() {
                Some((parsed, end)) => hand_over(parsed, end.take(), out, extent, sink),
                None => Ok(false),
            }
        });
        if handed? {
            return Ok(());
        }
        if let Some((drained, _)) = ready.take() {
            records = drained;
        }
        let Some((parsed, end, following, spent)) = next else {
            unreachable!("a batch follows a batch whose features did not end")
        };
        ready = Some((parsed, end));
        batch = following;
        spare = spent;
    }
}

/// What `pick` said of the features so far.
#[derive(Default)]
pub(super) struct Choice {
    /// The feature a jump goes to, and the offset it named.
    jump: Option<(u64, u64)>,
}

impl Choice {
    /// Leaves out of `b` the features `pick` passes over.
    pub(super) fn choose(
        &mut self,
        path: &Path,
        pick: &mut dyn FnMut(u64, u64) -> Pick,
        b: &mut Batch,
    ) -> Result<(), ImportError> {
        let mut failure = None;
        b.features.retain(|f| {
            let i = f.index as u64;
            if failure.is_some() {
                return false;
            }
            match self.jump {
                Some((to, _)) if i < to => return false,
                Some((_, offset)) if offset != f.offset => {
                    failure = Some(ImportError::format(
                        path,
                        format!(
                            "feature {i} starts at byte {}, not at byte {offset} where it was when the file was read whole: the file changed",
                            f.offset
                        ),
                    ));
                    return false;
                }
                _ => self.jump = None,
            }
            match pick(i, f.offset) {
                Pick::Read => true,
                Pick::Jump { index, .. } if index <= i => {
                    failure = Some(ImportError::format(
                        path,
                        format!("a jump from feature {i} to feature {index} does not go forwards"),
                    ));
                    false
                }
                Pick::Jump { index, offset } => {
                    self.jump = Some((index, offset));
                    false
                }
            }
        });
        failure.map_or(Ok(()), Err)
    }
}

/// Hands a batch's records on in file order: plots to the file, parts to `sink`. True when
/// the features array ended with this batch; its first error otherwise.
pub(super) fn hand_over(
    parsed: &mut Records,
    end: Option<End>,
    out: &mut ProfileFile,
    extent: &mut Option<Extent>,
    sink: &mut dyn FnMut(RawPart),
) -> Result<bool, Stop> {
    for p in parsed.drain(..) {
        let p = p?;
        if let Some(e) = p.extent {
            Extent::include(extent, &e);
        }
        match p.record {
            Record::Plot(plot) => out.plots.push(plot),
            Record::Part(part) => sink(part),
        }
    }
    match end {
        Some(End::Closed) => Ok(true),
        Some(End::Failed(stop)) => Err(stop),
        None => Ok(false),
    }
}

/// A batch's features parsed, in file order.
pub(super) type Records = Vec<Result<Parsed, ImportError>>;

/// Parses a batch's features on all cores, in order.
pub(super) fn parse_batch(path: &Path, mapping: &FieldMapping, batch: &Batch, into: &mut Records) {
    batch
        .features
        .par_iter()
        .with_min_len(64)
        .map(|f| {
            let piece = Piece {
                bytes: &batch.bytes[f.bytes.clone()],
                index: f.index,
                at: f.at,
            };
            feature::parse(path, piece, mapping)
        })
        .collect_into_vec(into);
}

/// Where the framing of the features array stands.
#[derive(Default)]
pub(super) struct Framing {
    /// The index of the next feature.
    index: usize,
    /// Whether a feature has been read, and whether a comma follows the last one.
    started: bool,
    after_comma: bool,
}

impl Framing {
    /// Frames features into `b` (a batch handed over already, or a new one) until it is full
    /// or the array ends.
    pub(super) fn batch<R: std::io::Read>(&mut self, f: &mut Framer<R>, mut b: Batch) -> Batch {
        b.bytes.clear();
        b.features.clear();
        b.end = None;
        b.bytes.reserve(BATCH_BYTES + (64 << 10));
        while b.bytes.len() < BATCH_BYTES && b.end.is_none() {
            if let Err(stop) = self.next(f, &mut b) {
                b.end = Some(End::Failed(stop.in_feature(self.index)));
            }
        }
        b
    }

    /// Frames the next feature (or separator, or the end) into `b`.
    fn next<R: std::io::Read>(&mut self, f: &mut Framer<R>, b: &mut Batch) -> Result<(), Stop> {
        let Some(c) = f.peek()? else {
            return Err(f.error("EOF while parsing a list").into());
        };
        match c {
            b']' if self.after_comma => return Err(f.error("trailing comma").into()),
            b']' => {
                f.bump();
                b.end = Some(End::Closed);
                return Ok(());
            }
            b',' if self.started && !self.after_comma => {
                f.bump();
                self.after_comma = true;
                return Ok(());
            }
            _ if self.started && !self.after_comma => {
                return Err(f.error("expected `,` or `]`").into());
            }
            _ => {}
        }
        let (at, offset) = (f.here(), f.offset());
        let (len, whole) = match f.value()? {
            frame::Value::Whole(n) => (n, true),
            frame::Value::Truncated(n) => (n, false),
        };
        let start = b.bytes.len();
        b.bytes.extend_from_slice(f.bytes(len));
        b.features.push(Framed {
            bytes: start..b.bytes.len(),
            index: self.index,
            at,
            offset,
        });
        f.consume(len);
        if !whole {
            // The feature's own parse names what is missing; the end of the file follows it.
            b.end = Some(End::Failed(
                Stop::from(f.error("EOF while parsing a list")).in_feature(self.index),
            ));
        }
        self.index += 1;
        self.started = true;
        self.after_comma = false;
        Ok(())
    }
}
