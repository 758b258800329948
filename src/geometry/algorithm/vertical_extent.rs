//! The lowest and highest elevation of a volume over a point in plan: the lower and upper
//! elevation of a boundary point in a 3D parcel map's coordinate table.

use geo::{Coord, Intersects, Point};

use crate::geometry::mesh::TriMesh;
use crate::geometry::{Part, Polyhedron, Prism, Volume};

/// How far (m) from a face's projection a point may lie and still count as over it: the
/// survey's millimetre, so that a boundary point on a footprint's edge finds the faces it
/// bounds despite rounding of the coordinates.
pub const OVER_TOLERANCE: f64 = 0.001;

/// The elevations of a solid on the vertical line through a point.
///
/// ```
/// use geo::{Coord, polygon};
/// use strata::geometry::{Prism, algorithm::VerticalExtent};
/// let p = Prism::new(polygon![(x: 0.0, y: 0.0), (x: 4.0, y: 0.0), (x: 4.0, y: 3.0)], -8.0, -0.5);
/// assert_eq!(p.vertical_extent(Coord { x: 4.0, y: 0.0 }), Some((-8.0, -0.5)));
/// assert_eq!(p.vertical_extent(Coord { x: 0.0, y: 3.0 }), None);
/// ```
pub trait VerticalExtent {
    /// The lowest and highest elevation, `None` when the line misses the solid.
    fn vertical_extent(&self, p: Coord<f64>) -> Option<(f64, f64)>;
}

fn widen(a: Option<(f64, f64)>, b: Option<(f64, f64)>) -> Option<(f64, f64)> {
    match (a, b) {
        (Some(a), Some(b)) => Some((a.0.min(b.0), a.1.max(b.1))),
        (a, None) => a,
        (None, b) => b,
    }
}

impl VerticalExtent for Prism {
    fn vertical_extent(&self, p: Coord<f64>) -> Option<(f64, f64)> {
        let pt = Point::from(p);
        let on = self.footprint.intersects(&pt)
            || geo::Distance::distance(&geo::Euclidean, &self.footprint, &pt) <= OVER_TOLERANCE;
        on.then_some((self.z_bottom, self.z_top))
    }
}

impl VerticalExtent for Polyhedron {
    fn vertical_extent(&self, p: Coord<f64>) -> Option<(f64, f64)> {
        let mesh = TriMesh::new(self).ok()?;
        let mut out = None;
        for t in &mesh.triangles {
            let [a, b, c] = t.v.map(|i| mesh.vertices[i]);
            // Barycentric coordinates of p in the triangle's projection.
            let det = (b.x - a.x) * (c.y - a.y) - (c.x - a.x) * (b.y - a.y);
            let scale = (b - a).xy().norm().max((c - a).xy().norm());
            if det.abs() <= 1e-12 * scale * scale {
                continue; // a vertical face: its neighbours give the same elevations
            }
            let u = ((p.x - a.x) * (c.y - a.y) - (c.x - a.x) * (p.y - a.y)) / det;
            let v = ((b.x - a.x) * (p.y - a.y) - (p.x - a.x) * (b.y - a.y)) / det;
            let w = 1.0 - u - v;
            let slack = OVER_TOLERANCE / scale.max(f64::MIN_POSITIVE);
            if u >= -slack && v >= -slack && w >= -slack {
                let z = w * a.z + u * b.z + v * c.z;
                out = widen(out, Some((z, z)));
            }
        }
        out
    }
}

impl VerticalExtent for Volume {
    fn vertical_extent(&self, p: Coord<f64>) -> Option<(f64, f64)> {
        self.parts.iter().fold(None, |acc, part| {
            widen(
                acc,
                match part {
                    Part::Prism(x) => x.vertical_extent(p),
                    Part::Polyhedron(x) => x.vertical_extent(p),
                },
            )
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::geometry::Point3;
    use crate::geometry::algorithm::ToPolyhedra;
    use geo::polygon;

    #[test]
    fn a_prism_and_its_polyhedron_agree_at_every_corner() {
        let p = Prism::new(
            polygon![(x: 0.0, y: 0.0), (x: 6.0, y: 0.0), (x: 6.0, y: 5.0), (x: 2.0, y: 7.0)],
            -9.5,
            -1.5,
        );
        let poly = &p.to_polyhedra()[0];
        for c in p.footprint.exterior().coords() {
            assert_eq!(p.vertical_extent(*c), Some((-9.5, -1.5)));
            let (lo, hi) = poly.vertical_extent(*c).unwrap();
            assert!((lo + 9.5).abs() < 1e-12 && (hi + 1.5).abs() < 1e-12);
        }
        assert_eq!(poly.vertical_extent(Coord { x: 10.0, y: 10.0 }), None);
    }

    #[test]
    fn a_cuboid_over_its_middle() {
        let c = Polyhedron::cuboid(Point3::new(0.0, 0.0, -3.0), Point3::new(2.0, 2.0, 4.0));
        assert_eq!(
            c.vertical_extent(Coord { x: 1.0, y: 1.0 }),
            Some((-3.0, 4.0))
        );
    }
}
