//! Sieves: which units and plots a reading keeps, for reading a district part by part (see
//! [`read_dataset_sieved`](super::dataset::read_dataset_sieved)).

use std::path::Path;

use crate::model::Plot;

use super::profile::RawPart;

/// What a reader does with the next feature of a file (see [`Sieve::feature`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pick {
    /// Decode it.
    Read,
    /// Go on at feature `index`, which starts at byte `offset` of the file (at the end of the
    /// file, `index` is the number of features), passing over the features before it unread.
    Jump {
        /// The index of the next feature read.
        index: u64,
        /// Where it starts in the file.
        offset: u64,
    },
}

/// Which features, units and plots a reading keeps. A closure
/// `FnMut(&str, &RawPart) -> bool` is a sieve of units that keeps every plot.
pub trait Sieve {
    /// Whether feature `index` (0-based, in file order) of `file`, which starts at byte
    /// `offset`, is decoded, or where the reader goes on instead. A reader that can pass over
    /// features undecoded asks first: FlatGeobuf (its features are size-prefixed: it seeks)
    /// and GeoJSON (its features are framed, not parsed; its offsets count from the first
    /// byte of the JSON text). The others decode every feature and leave the choice to
    /// [`Sieve::unit`] and [`Sieve::plot`]. Only a sieve that has seen the same file read
    /// whole may jump: features passed over are not checked for errors, and the offset must be
    /// where a feature starts.
    fn feature(&mut self, _file: &Path, _index: u64, _offset: u64) -> Pick {
        Pick::Read
    }

    /// Called with each unit feature and its unit key (its code, or the file and feature for
    /// a feature without one) before the feature is kept; `false` drops it. A unit's features
    /// all have the same key, so a sieve keeps or drops whole units.
    fn unit(&mut self, key: &str, raw: &RawPart) -> bool;

    /// Called with each plot read; `false` drops it.
    fn plot(&mut self, _plot: &Plot) -> bool {
        true
    }
}

impl<F: FnMut(&str, &RawPart) -> bool> Sieve for F {
    fn unit(&mut self, key: &str, raw: &RawPart) -> bool {
        self(key, raw)
    }
}
