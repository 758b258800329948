//! What can be asked of a volume: one capability per module, re-exported flat.
//!
//! | capability | trait |
//! |---|---|
//! | exact volume in m³ | [`SolidVolume`] |
//! | 3D bounding box | [`BoundingBox3`] |
//! | 2D footprint (horizontal projection) | [`Footprint`] |
//! | point in volume | [`ContainsPoint3`] |
//! | do the interiors of two solids meet (exact) | [`interiors_meet()`] |
//! | volume shared by two solids | [`intersection_volume()`] |
//! | overlap beyond a tolerance (val3dity's erosion) | [`overlaps_after_erosion()`] |
//! | clearance between two solids | [`surface_distance()`] |
//! | common polyhedral form | [`ToPolyhedra`] |
//! | reprojection, height offset | [`MapCoords3`] |
//! | cut by a vertical plane (a section) | [`VerticalSection`] |
//! | lowest and highest elevation over a point | [`VerticalExtent`] |

pub mod boundary_sides;
pub mod bounding_box;
pub mod contains_point;
pub mod distance;
pub mod footprint;
pub mod intersection_volume;
pub mod map_coords;
pub mod overlap_depth;
pub mod section;
pub mod thickness;
pub mod to_polyhedra;
pub mod vertical_extent;
pub mod volume_m3;

pub use boundary_sides::{Sides, boundary_sides, interiors_meet};
pub use bounding_box::BoundingBox3;
pub use contains_point::ContainsPoint3;
pub use distance::surface_distance;
pub use footprint::Footprint;
pub use intersection_volume::{
    IntersectionMeasures, intersection_measures, intersection_volume, intersection_volume_by_scan,
};
pub use map_coords::MapCoords3;
pub use overlap_depth::{ball_in_overlap, overlaps_after_erosion};
pub use section::{SectionLine, SectionRing, VerticalSection};
pub use thickness::inscribed_diameter;
pub use to_polyhedra::ToPolyhedra;
pub use vertical_extent::VerticalExtent;
pub use volume_m3::SolidVolume;

/// The closed box between two corners as a mesh, for the tests of the algorithms.
#[cfg(test)]
pub(crate) fn box_mesh(min: [f64; 3], max: [f64; 3]) -> crate::geometry::TriMesh {
    use crate::geometry::{Point3, Polyhedron, TriMesh};
    TriMesh::new(&Polyhedron::cuboid(
        Point3::new(min[0], min[1], min[2]),
        Point3::new(max[0], max[1], max[2]),
    ))
    .expect("a box triangulates")
}
