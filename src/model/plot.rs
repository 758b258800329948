//! Planning plots (规划地块): the vertical column a unit belongs to.

use std::path::PathBuf;

use geo::MultiPolygon;

use crate::diagnostics::FeatureRef;

/// A planning plot: a footprint whose vertical column holds the layered rights on it.
#[derive(Debug, Clone, PartialEq)]
pub struct Plot {
    /// The plot id (`VIII-09`).
    pub id: String,
    /// Its name.
    pub name: Option<String>,
    /// The planned land use.
    pub land_use: Option<String>,
    /// The ground elevation (metres in the height datum).
    pub ground_elevation: Option<f64>,
    /// Urban green space: the underground-development rules of the policy toolbox apply.
    pub green_space: bool,
    /// The footprint.
    pub footprint: MultiPolygon<f64>,
    /// The file it came from.
    pub file: PathBuf,
    /// The feature of that file.
    pub feature: FeatureRef,
}
