//! Sieves: which units and plots a reading keeps, for reading a district part by part (see
//! [`read_dataset_sieved`](super::dataset::read_dataset_sieved)).

use std::path::Path;

use crate::model::Plot;

use super::profile::RawPart;

/// Which features, units and plots a reading keeps. A closure
/// `FnMut(&str, &RawPart) -> bool` is a sieve of units that keeps every plot.
pub trait Sieve {
    /// Whether feature `index` (0-based, in file order) of `file` is decoded at all. A reader
    /// that can pass over a feature unread (FlatGeobuf: its features are size-prefixed) asks
    /// first; the others decode every feature and leave the choice to [`Sieve::unit`] and
    /// [`Sieve::plot`]. Only a sieve that has seen the same file read whole may answer
    /// `false`: a feature passed over is not checked for errors.
    fn feature(&mut self, _file: &Path, _index: u64) -> bool {
        true
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
