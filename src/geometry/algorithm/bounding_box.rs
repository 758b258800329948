//! 3D bounding boxes.

use crate::geometry::{Aabb, Part, Polyhedron, Prism, Volume};

/// The axis-aligned box holding the whole volume.
///
/// ```
/// use strata::geometry::{Point3, Polyhedron, algorithm::BoundingBox3};
/// let c = Polyhedron::cuboid(Point3::new(1.0, 2.0, -8.0), Point3::new(4.0, 6.0, -0.5));
/// assert_eq!(c.bbox().to_array(), [1.0, 2.0, -8.0, 4.0, 6.0, -0.5]);
/// ```
pub trait BoundingBox3 {
    /// The bounding box; empty for an empty volume.
    fn bbox(&self) -> Aabb;
}

impl BoundingBox3 for Prism {
    fn bbox(&self) -> Aabb {
        self.aabb()
    }
}

impl BoundingBox3 for Polyhedron {
    fn bbox(&self) -> Aabb {
        self.aabb()
    }
}

impl BoundingBox3 for Part {
    fn bbox(&self) -> Aabb {
        match self {
            Part::Prism(p) => p.bbox(),
            Part::Polyhedron(p) => p.bbox(),
        }
    }
}

impl BoundingBox3 for Volume {
    fn bbox(&self) -> Aabb {
        self.parts
            .iter()
            .fold(Aabb::empty(), |acc, p| acc.union(&p.bbox()))
    }
}
