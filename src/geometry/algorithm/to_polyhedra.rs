//! The common polyhedral form of every volume.

use geo::{LineString, Orient, orient::Direction};

use crate::geometry::{Face, Part, Point3, Polyhedron, Prism, Shell, Volume};

/// Converts a volume to closed polyhedra, one per part, so that later checks have one form.
///
/// A prism becomes a polyhedron with a bottom face, a top face and one vertical quad per
/// footprint edge (holes become inner walls), all pointing outwards.
///
/// ```
/// use geo::polygon;
/// use strata::geometry::{Prism, algorithm::{SolidVolume, ToPolyhedra}};
/// let p = Prism::new(polygon![(x: 0.0, y: 0.0), (x: 4.0, y: 0.0), (x: 4.0, y: 3.0)], -8.0, -0.5);
/// let polys = p.to_polyhedra();
/// assert_eq!(polys[0].shells[0].faces.len(), 5);
/// assert!((polys[0].volume_m3() - p.volume_m3()).abs() < 1e-9);
/// ```
pub trait ToPolyhedra {
    /// The polyhedra, one per part.
    fn to_polyhedra(&self) -> Vec<Polyhedron>;
}

impl ToPolyhedra for Prism {
    fn to_polyhedra(&self) -> Vec<Polyhedron> {
        vec![prism_to_polyhedron(self)]
    }
}

impl ToPolyhedra for Polyhedron {
    fn to_polyhedra(&self) -> Vec<Polyhedron> {
        vec![self.clone()]
    }
}

impl ToPolyhedra for Part {
    fn to_polyhedra(&self) -> Vec<Polyhedron> {
        match self {
            Part::Prism(p) => p.to_polyhedra(),
            Part::Polyhedron(p) => p.to_polyhedra(),
        }
    }
}

impl ToPolyhedra for Volume {
    fn to_polyhedra(&self) -> Vec<Polyhedron> {
        self.parts
            .iter()
            .flat_map(ToPolyhedra::to_polyhedra)
            .collect()
    }
}

/// Ring coordinates without the closing repetition.
fn open_ring(ls: &LineString<f64>) -> Vec<(f64, f64)> {
    let mut pts: Vec<(f64, f64)> = ls.0.iter().map(|c| (c.x, c.y)).collect();
    if pts.len() > 1 && pts.first() == pts.last() {
        pts.pop();
    }
    pts
}

fn prism_to_polyhedron(p: &Prism) -> Polyhedron {
    // Exterior counter-clockwise, holes clockwise, seen from above.
    let fp = p.footprint.orient(Direction::Default);
    let rings: Vec<Vec<(f64, f64)>> = std::iter::once(fp.exterior())
        .chain(fp.interiors().iter())
        .map(open_ring)
        .collect();
    let mut vertices = Vec::new();
    let mut bottom_idx: Vec<Vec<usize>> = Vec::new();
    let mut top_idx: Vec<Vec<usize>> = Vec::new();
    for ring in &rings {
        let mut b = Vec::with_capacity(ring.len());
        let mut t = Vec::with_capacity(ring.len());
        for &(x, y) in ring {
            b.push(vertices.len());
            vertices.push(Point3::new(x, y, p.z_bottom));
            t.push(vertices.len());
            vertices.push(Point3::new(x, y, p.z_top));
        }
        bottom_idx.push(b);
        top_idx.push(t);
    }
    let mut faces = Vec::new();
    // Bottom: reversed rings, so the normal points down.
    faces.push(Face {
        rings: bottom_idx
            .iter()
            .map(|r| r.iter().rev().copied().collect())
            .collect(),
    });
    faces.push(Face {
        rings: top_idx.clone(),
    });
    for (b, t) in bottom_idx.iter().zip(&top_idx) {
        let n = b.len();
        for i in 0..n {
            let j = (i + 1) % n;
            faces.push(Face::new(vec![b[i], b[j], t[j], t[i]]));
        }
    }
    Polyhedron::new(vertices, vec![Shell { faces }])
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::geometry::algorithm::SolidVolume;
    use geo::polygon;

    #[test]
    fn prism_with_a_hole_converts_with_outward_faces() {
        let fp = polygon!(
            exterior: [(x: 0.0, y: 0.0), (x: 0.0, y: 10.0), (x: 10.0, y: 10.0), (x: 10.0, y: 0.0)],
            interiors: [[(x: 4.0, y: 4.0), (x: 6.0, y: 4.0), (x: 6.0, y: 6.0), (x: 4.0, y: 6.0)]],
        );
        let prism = Prism::new(fp, 17.5, 40.0);
        let poly = &prism.to_polyhedra()[0];
        let shell = &poly.shells[0];
        assert_eq!(shell.faces.len(), 2 + 4 + 4);
        assert!(poly.shell_signed_volume(shell) > 0.0);
        assert!((poly.volume_m3() - 96.0 * 22.5).abs() < 1e-9);
    }
}
