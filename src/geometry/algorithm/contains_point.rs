//! Point in volume.

use geo::coordinate_position::CoordPos;
use geo::{Coord, CoordinatePosition};

use crate::geometry::{Part, Point3, PointLocation, Polyhedron, Prism, TriMesh, Volume};

/// Where a point lies relative to a volume: inside, on its boundary, or outside.
///
/// ```
/// use strata::geometry::{Point3, PointLocation, Polyhedron, algorithm::ContainsPoint3};
/// let c = Polyhedron::cuboid(Point3::new(0.0, 0.0, -8.0), Point3::new(10.0, 10.0, -0.5));
/// assert_eq!(c.locate_point(&Point3::new(5.0, 5.0, -3.0)), PointLocation::Inside);
/// assert_eq!(c.locate_point(&Point3::new(5.0, 5.0, -0.5)), PointLocation::Boundary);
/// assert_eq!(c.locate_point(&Point3::new(5.0, 5.0, 1.0)), PointLocation::Outside);
/// ```
pub trait ContainsPoint3 {
    /// The location of `p`.
    fn locate_point(&self, p: &Point3) -> PointLocation;

    /// True when `p` is in the interior.
    fn contains_point(&self, p: &Point3) -> bool {
        self.locate_point(p) == PointLocation::Inside
    }
}

impl ContainsPoint3 for Prism {
    fn locate_point(&self, p: &Point3) -> PointLocation {
        if p.z < self.z_bottom || p.z > self.z_top {
            return PointLocation::Outside;
        }
        match self
            .footprint
            .coordinate_position(&Coord { x: p.x, y: p.y })
        {
            CoordPos::Outside => PointLocation::Outside,
            CoordPos::OnBoundary => PointLocation::Boundary,
            CoordPos::Inside if p.z == self.z_bottom || p.z == self.z_top => {
                PointLocation::Boundary
            }
            CoordPos::Inside => PointLocation::Inside,
        }
    }
}

impl ContainsPoint3 for Polyhedron {
    /// Triangulates the faces on every call; for many points build a [`TriMesh`] once.
    /// A polyhedron whose faces cannot be triangulated contains no point.
    fn locate_point(&self, p: &Point3) -> PointLocation {
        match TriMesh::new(self) {
            Ok(m) => m.locate(p),
            Err(_) => PointLocation::Outside,
        }
    }
}

impl ContainsPoint3 for Part {
    fn locate_point(&self, p: &Point3) -> PointLocation {
        match self {
            Part::Prism(x) => x.locate_point(p),
            Part::Polyhedron(x) => x.locate_point(p),
        }
    }
}

impl ContainsPoint3 for Volume {
    /// Inside when inside any part; on the boundary when on the boundary of a part and inside
    /// none (a point on the face two touching parts share counts as boundary).
    fn locate_point(&self, p: &Point3) -> PointLocation {
        let mut best = PointLocation::Outside;
        for part in &self.parts {
            match part.locate_point(p) {
                PointLocation::Inside => return PointLocation::Inside,
                PointLocation::Boundary => best = PointLocation::Boundary,
                PointLocation::Outside => {}
            }
        }
        best
    }
}
