//! The 2D footprint: the horizontal projection of a volume.

use geo::{LineString, MultiPolygon, Polygon, unary_union};

use crate::geometry::{Part, Polyhedron, Prism, Volume};

/// The horizontal projection of a volume onto the xy plane, as polygons in the projected CRS.
///
/// For a prism this is its footprint; for a polyhedron, the union of the projections of its
/// upward-facing faces (every vertical line through a closed solid leaves it through one).
///
/// ```
/// use geo::Area;
/// use strata::geometry::{Point3, Polyhedron, algorithm::Footprint};
/// let c = Polyhedron::cuboid(Point3::new(0.0, 0.0, 0.0), Point3::new(80.0, 8.0, 4.0));
/// assert!((c.footprint().unsigned_area() - 640.0).abs() < 1e-6);
/// ```
pub trait Footprint {
    /// The projection; empty for an empty volume.
    fn footprint(&self) -> MultiPolygon<f64>;
}

impl Footprint for Prism {
    fn footprint(&self) -> MultiPolygon<f64> {
        MultiPolygon::new(vec![self.footprint.clone()])
    }
}

impl Footprint for Polyhedron {
    fn footprint(&self) -> MultiPolygon<f64> {
        let Some(outer) = self.outer() else {
            return MultiPolygon::new(vec![]);
        };
        let mut pieces: Vec<Polygon<f64>> = Vec::new();
        for face in &outer.faces {
            let n = self.face_normal(face);
            if n.z <= 0.0 {
                continue;
            }
            let ring = |r: &Vec<usize>| {
                LineString::from(
                    r.iter()
                        .map(|&i| (self.vertices[i].x, self.vertices[i].y))
                        .collect::<Vec<_>>(),
                )
            };
            let Some(ext) = face.rings.first() else {
                continue;
            };
            let holes = face.rings[1..].iter().map(ring).collect();
            pieces.push(Polygon::new(ring(ext), holes));
        }
        unary_union(&pieces)
    }
}

impl Footprint for Part {
    fn footprint(&self) -> MultiPolygon<f64> {
        match self {
            Part::Prism(p) => p.footprint(),
            Part::Polyhedron(p) => p.footprint(),
        }
    }
}

impl Footprint for Volume {
    fn footprint(&self) -> MultiPolygon<f64> {
        let parts: Vec<MultiPolygon<f64>> = self.parts.iter().map(Footprint::footprint).collect();
        unary_union(&parts)
    }
}
