//! Validation of volumes, level by level like val3dity: rings (1xx), polygons (2xx), shells
//! (3xx), solids (4xx), the parts of a unit (5xx), the parts of a building (601); then the
//! cadastral checks of Strata's own (8xx). Every finding carries its code and location; all
//! findings of a level are reported, and a level is checked only when the one below it passed.
mod bounds;
mod building;
mod dataset;
mod face;
mod plot;
pub mod polygon2d;
mod polyhedron;
mod relation;
mod shell;
mod solid;
pub mod sweep;
pub mod tolerance;
mod volume;

// Findings live below the model; validation reports in them.
pub use crate::diagnostics::{Code, Finding, Location, Severity};
pub(crate) use crate::diagnostics::{code, finding};

pub use bounds::{
    ELEVATION_RANGE, MAX_ABS_COORDINATE, check_bounds, coordinate_problem, elevation_problem,
};
pub use building::{CityMember, validate_buildings};
pub use dataset::{
    DatasetFindings, ObjectReport, PlotListing, Report, dataset_findings, dataset_findings_listed,
    has_error, report, validate_dataset, validate_dataset_with, validate_unit,
};
pub use plot::validate_plots;
pub use polyhedron::{SurfaceKind, validate_polyhedron, validate_surfaces};
pub use tolerance::{CoarseTolerance, MAX_NORMALS_DEG, SURVEY_ACCURACY_M, Tolerances};
pub use volume::{
    PartsRule, validate_footprint, validate_primitive, validate_prism, validate_volume,
};
