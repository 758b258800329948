//! Validation of volumes, level by level like val3dity: rings (1xx), polygons (2xx), shells
//! (3xx), solids (4xx), the parts of a unit (5xx), the parts of a building (601); then the
//! cadastral checks of Strata's own (8xx). Every finding carries its code and location; all
//! findings of a level are reported, and a level is checked only when the one below it passed.
mod building;
pub mod code;
mod dataset;
mod face;
pub mod finding;
pub mod polygon2d;
mod polyhedron;
mod relation;
mod shell;
mod solid;
pub mod tolerance;
mod volume;

pub use building::{CityMember, validate_buildings};
pub use code::{Code, Severity};
pub use dataset::{ObjectReport, Report, validate_dataset, validate_dataset_with, validate_unit};
pub use finding::{Finding, Location};
pub use polyhedron::{SurfaceKind, validate_polyhedron, validate_surfaces};
pub use tolerance::Tolerances;
pub use volume::{PartsRule, validate_primitive, validate_prism, validate_volume};
