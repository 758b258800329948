//! Clearance: the shortest distance between two solids that do not meet.

use parry3d_f64::math::{Pose, Vector};
use parry3d_f64::query;
use parry3d_f64::shape::TriMesh as ParryMesh;

use crate::geometry::{Point3, TriMesh};

/// The mesh's triangles as a parry3d mesh (with its BVH), relative to `origin` so that survey
/// coordinates lose no precision; `None` when parry refuses the mesh.
pub(crate) fn to_parry(m: &TriMesh, origin: &Point3) -> Option<ParryMesh> {
    let v: Vec<Vector> = m
        .vertices
        .iter()
        .map(|p| {
            let d = p - origin;
            Vector::new(d.x, d.y, d.z)
        })
        .collect();
    let idx: Vec<[u32; 3]> = m.triangles.iter().map(|t| t.v.map(|i| i as u32)).collect();
    ParryMesh::new(v, idx).ok()
}

/// The shortest distance (m) between the surfaces of two meshes, computed by parry3d (f64)
/// relative to a local origin; `None` when a mesh cannot be handed to it. For two solids that
/// do not meet, this is the clearance between them; it is 0 when the surfaces touch.
///
/// ```
/// use strata::geometry::{Point3, Polyhedron, TriMesh};
/// use strata::geometry::algorithm::surface_distance;
/// let a = TriMesh::new(&Polyhedron::cuboid(Point3::new(0.0, 0.0, 0.0), Point3::new(1.0, 1.0, 1.0))).unwrap();
/// let b = TriMesh::new(&Polyhedron::cuboid(Point3::new(4.0, 0.0, 0.0), Point3::new(5.0, 1.0, 1.0))).unwrap();
/// assert!((surface_distance(&a, &b).unwrap() - 3.0).abs() < 1e-9);
/// ```
pub fn surface_distance(a: &TriMesh, b: &TriMesh) -> Option<f64> {
    let origin = a.aabb().min;
    let (pa, pb) = (to_parry(a, &origin)?, to_parry(b, &origin)?);
    let id = Pose::identity();
    query::distance(&id, &pa, &id, &pb).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::geometry::algorithm::box_mesh as boxm;

    #[test]
    fn box_distances_are_analytic_far_from_the_origin() {
        let (e, n) = (474_412.345, 4_418_207.891);
        let a = boxm([e, n, 0.0], [e + 10.0, n + 10.0, 6.0]);
        // Below, 2.5 m under the floor.
        let b = boxm([e, n, -8.5], [e + 10.0, n + 10.0, -2.5]);
        assert!((surface_distance(&a, &b).unwrap() - 2.5).abs() < 1e-9);
        // Diagonally apart by (3, 4, 0): 5 m.
        let c = boxm([e + 13.0, n + 14.0, 0.0], [e + 20.0, n + 20.0, 6.0]);
        assert!((surface_distance(&a, &c).unwrap() - 5.0).abs() < 1e-9);
        // Touching: 0.
        let d = boxm([e + 10.0, n, 0.0], [e + 12.0, n + 10.0, 6.0]);
        assert!(surface_distance(&a, &d).unwrap().abs() < 1e-9);
    }
}
