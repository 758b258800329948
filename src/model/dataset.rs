//! A dataset: everything read from the files given to one command.

use std::collections::HashMap;
use std::path::PathBuf;

use crate::diagnostics::Finding;

use super::frame::Frame;
use super::plot::Plot;
use super::unit::{PlainObject, Unit};

/// Units, plots and other objects read together, in one frame.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Dataset {
    /// The files read, in order.
    pub sources: Vec<PathBuf>,
    /// The real-estate units, in order of first appearance.
    pub units: Vec<Unit>,
    /// The planning plots.
    pub plots: Vec<Plot>,
    /// Objects without a unit code.
    pub objects: Vec<PlainObject>,
    /// The common horizontal CRS and height datum.
    pub frame: Frame,
    /// The dataset-wide ground elevation, if given.
    pub ground_elevation: Option<f64>,
    /// Findings about the dataset as a whole (frame, datum).
    pub findings: Vec<Finding>,
}

impl Dataset {
    /// The unit with this code text.
    pub fn unit(&self, code: &str) -> Option<&Unit> {
        self.units.iter().find(|u| u.key == code)
    }

    /// The plot with this id (a linear search; for many lookups use [`Dataset::plot_lookup`]).
    pub fn plot(&self, id: &str) -> Option<&Plot> {
        self.plots.iter().find(|p| p.id == id)
    }

    /// A map from plot id to plot, for many lookups.
    pub fn plot_lookup(&self) -> HashMap<&str, &Plot> {
        self.plots.iter().map(|p| (p.id.as_str(), p)).collect()
    }

    /// The ground elevation for a unit: its plot's (found in `plots`, from
    /// [`Dataset::plot_lookup`]), else the dataset's.
    pub fn ground_for(&self, unit: &Unit, plots: &HashMap<&str, &Plot>) -> Option<f64> {
        unit.parent_plot
            .as_deref()
            .and_then(|p| plots.get(p))
            .and_then(|p| p.ground_elevation)
            .or(self.ground_elevation)
    }
}
