//! The geometry core: 3D volumes of real-estate units.
//!
//! Shapes are plain data; what can be asked of them lives in [`algorithm`], one capability per
//! file. All coordinates are `f64` metres: x = easting, y = northing in a projected CRS, z = the
//! elevation in a named height datum. Signs that decide topology (side of a plane, turn of a
//! corner) come from the exact predicates in [`kernel`], never from a raw float comparison.
//!
//! A unit's [`Volume`] is one or more [`Part`]s:
//! - a [`Prism`]: a footprint polygon (with holes) extruded between `z_bottom` and `z_top`,
//!   the form of most layered rights; a stepped unit is several prisms;
//! - a [`Polyhedron`]: a closed boundary representation with an outer shell and optional inner
//!   shells (cavities), for ramps, sloped slabs and tunnels.

pub mod aabb;
pub mod algorithm;
pub mod clip;
pub mod exact;
pub mod kernel;
pub mod mesh;
pub mod plane;
pub mod polyhedron;
pub mod prepared;
pub mod primitive;
pub mod prism;
pub mod snap;
pub mod tri_index;
pub mod triangle;
pub mod triangulate;
pub mod tunnel;
pub mod volume;

pub use aabb::Aabb;
pub use mesh::{PointLocation, TriMesh};
pub use plane::Plane;
pub use polyhedron::{Face, Polyhedron, Ring, Shell};
pub use primitive::{Primitive, Surfaces};
pub use prism::Prism;
pub use volume::{Part, Volume};

/// A point in metres (x easting, y northing, z elevation).
pub type Point3 = nalgebra::Point3<f64>;
/// A vector in metres.
pub type Vector3 = nalgebra::Vector3<f64>;
