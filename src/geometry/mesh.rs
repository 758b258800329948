//! Triangle meshes: a polyhedron with its faces triangulated, the working form of the 3D
//! queries (point location, intersection tests).

use super::kernel::{Orientation, orient2d, side_of_plane};
use super::triangle::{is_degenerate, point_on_triangle};
use super::triangulate::{TriangulationError, triangulate_face};
use super::{Aabb, Point3, Polyhedron};

/// Where a point lies relative to a solid.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PointLocation {
    /// In the interior.
    Inside,
    /// On the boundary surface.
    Boundary,
    /// In the exterior.
    Outside,
}

/// One triangle of a mesh and where it came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MeshTriangle {
    /// Vertex indices, oriented like the face.
    pub v: [usize; 3],
    /// Index of the shell in the polyhedron.
    pub shell: usize,
    /// Index of the face in its shell.
    pub face: usize,
}

/// A polyhedron with every face triangulated.
#[derive(Debug, Clone)]
pub struct TriMesh {
    /// The polyhedron's vertices.
    pub vertices: Vec<Point3>,
    /// The triangles of every shell.
    pub triangles: Vec<MeshTriangle>,
    /// The bounding box of each triangle.
    pub boxes: Vec<Aabb>,
}

/// A face that could not be triangulated.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("shell {shell}, face {face}: {error}")]
pub struct MeshError {
    /// The shell of the face.
    pub shell: usize,
    /// The face.
    pub face: usize,
    /// Why.
    pub error: TriangulationError,
}

impl TriMesh {
    /// Triangulates every face of `poly`.
    pub fn new(poly: &Polyhedron) -> Result<TriMesh, MeshError> {
        let mut triangles = Vec::new();
        for (si, shell) in poly.shells.iter().enumerate() {
            for (fi, face) in shell.faces.iter().enumerate() {
                let n = poly.face_normal(face);
                let tris =
                    triangulate_face(&poly.vertices, face, &n).map_err(|error| MeshError {
                        shell: si,
                        face: fi,
                        error,
                    })?;
                triangles.extend(tris.into_iter().map(|v| MeshTriangle {
                    v,
                    shell: si,
                    face: fi,
                }));
            }
        }
        Ok(TriMesh::from_triangles(poly.vertices.clone(), triangles))
    }

    /// A mesh from ready triangles.
    pub fn from_triangles(vertices: Vec<Point3>, triangles: Vec<MeshTriangle>) -> TriMesh {
        let boxes = triangles
            .iter()
            .map(|t| Aabb::from_points(t.v.iter().map(|&i| &vertices[i])))
            .collect();
        TriMesh {
            vertices,
            triangles,
            boxes,
        }
    }

    /// The corner points of triangle `i`.
    pub fn corners(&self, i: usize) -> [&Point3; 3] {
        let t = &self.triangles[i].v;
        [
            &self.vertices[t[0]],
            &self.vertices[t[1]],
            &self.vertices[t[2]],
        ]
    }

    /// The bounding box of the whole mesh.
    pub fn aabb(&self) -> Aabb {
        self.boxes.iter().fold(Aabb::empty(), |a, b| a.union(b))
    }

    /// Locates `p` relative to the solid bounded by the mesh (all shells together: a point in
    /// a cavity is outside).
    ///
    /// Casts a vertical ray upwards and counts the triangles it crosses. The ray is perturbed
    /// symbolically (by an infinitesimal step in x, then a smaller one in y), so that a ray
    /// through an edge or a vertex is counted exactly once; points on the surface are found
    /// with exact tests and reported as [`PointLocation::Boundary`].
    pub fn locate(&self, p: &Point3) -> PointLocation {
        let p2 = [p.x, p.y];
        let mut crossings = 0usize;
        for i in 0..self.triangles.len() {
            let b = &self.boxes[i];
            if p.x < b.min.x || p.x > b.max.x || p.y < b.min.y || p.y > b.max.y || p.z > b.max.z {
                continue;
            }
            let [a, bb, c] = self.corners(i);
            if is_degenerate(a, bb, c) {
                continue;
            }
            let (a2, b2, c2) = ([a.x, a.y], [bb.x, bb.y], [c.x, c.y]);
            let o = orient2d(a2, b2, c2);
            if o == Orientation::Collinear {
                // A vertical triangle: the ray never crosses it, but p may lie on it.
                if point_on_triangle(p, a, bb, c) {
                    return PointLocation::Boundary;
                }
                continue;
            }
            let raw = [
                orient2d(a2, b2, p2).sign(),
                orient2d(b2, c2, p2).sign(),
                orient2d(c2, a2, p2).sign(),
            ];
            let want = o.sign();
            let closed_inside = raw.iter().all(|&s| s == 0 || s == want);
            if !closed_inside {
                continue;
            }
            let side = side_of_plane(a, bb, c, p);
            if side == 0 {
                return PointLocation::Boundary;
            }
            let perturbed = [
                perturbed_sign(raw[0], a2, b2),
                perturbed_sign(raw[1], b2, c2),
                perturbed_sign(raw[2], c2, a2),
            ];
            if perturbed.iter().all(|&s| s == want) {
                // The normal's z has the sign of `o`; p is below the plane when it lies on the
                // side opposite to the normal's z direction.
                if side != want {
                    crossings += 1;
                }
            }
        }
        if crossings % 2 == 1 {
            PointLocation::Inside
        } else {
            PointLocation::Outside
        }
    }
}

/// The sign of `orient2d(u, v, p + (ε, ε²))` for an infinitesimal ε, given the exact sign at p.
fn perturbed_sign(raw: i8, u: [f64; 2], v: [f64; 2]) -> i8 {
    if raw != 0 {
        return raw;
    }
    // d/dε of (v.x-u.x)(p.y+ε²-u.y) - (v.y-u.y)(p.x+ε-u.x) = -(v.y-u.y); then (v.x-u.x) for ε².
    if u[1] > v[1] {
        1
    } else if u[1] < v[1] {
        -1
    } else if v[0] > u[0] {
        1
    } else if v[0] < u[0] {
        -1
    } else {
        0
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::geometry::Vector3;

    #[test]
    fn locates_points_of_a_cube_including_rays_through_edges() {
        let cube = Polyhedron::cuboid(Point3::new(0.0, 0.0, 0.0), Point3::new(1.0, 1.0, 1.0));
        let m = TriMesh::new(&cube).unwrap();
        assert_eq!(m.locate(&Point3::new(0.5, 0.5, 0.5)), PointLocation::Inside);
        // The vertical ray through (0.5, 0.5) runs along the diagonal of the top triangles.
        assert_eq!(
            m.locate(&Point3::new(0.5, 0.5, 0.25)),
            PointLocation::Inside
        );
        assert_eq!(
            m.locate(&Point3::new(0.0, 0.0, 0.5)),
            PointLocation::Boundary
        );
        assert_eq!(
            m.locate(&Point3::new(0.5, 0.5, 1.0)),
            PointLocation::Boundary
        );
        assert_eq!(
            m.locate(&Point3::new(1.0, 0.3, 0.3)),
            PointLocation::Boundary
        );
        assert_eq!(
            m.locate(&Point3::new(0.5, 0.5, 1.5)),
            PointLocation::Outside
        );
        assert_eq!(
            m.locate(&Point3::new(0.5, 0.5, -0.5)),
            PointLocation::Outside
        );
        assert_eq!(
            m.locate(&Point3::new(1.0, 1.0, -0.5)),
            PointLocation::Outside
        );
        assert_eq!(
            m.locate(&Point3::new(1.5, 0.5, 0.5)),
            PointLocation::Outside
        );
    }

    #[test]
    fn a_cavity_is_outside() {
        let mut p = Polyhedron::cuboid(Point3::new(0.0, 0.0, 0.0), Point3::new(3.0, 3.0, 3.0));
        let hole = Polyhedron::cuboid(Point3::new(1.0, 1.0, 1.0), Point3::new(2.0, 2.0, 2.0));
        let off = p.vertices.len();
        p.vertices.extend(hole.vertices.iter().copied());
        let mut inner = hole.shells[0].reversed();
        for f in &mut inner.faces {
            for r in &mut f.rings {
                for i in r.iter_mut() {
                    *i += off;
                }
            }
        }
        p.shells.push(inner);
        let m = TriMesh::new(&p).unwrap();
        assert_eq!(
            m.locate(&Point3::new(1.5, 1.5, 1.5)),
            PointLocation::Outside
        );
        assert_eq!(m.locate(&Point3::new(0.5, 1.5, 1.5)), PointLocation::Inside);
        assert_eq!(m.locate(&Point3::new(1.5, 1.5, 2.5)), PointLocation::Inside);
        assert_eq!(
            m.locate(&Point3::new(1.5, 1.5, 2.0)),
            PointLocation::Boundary
        );
        let far = p.translated(&Vector3::new(474_000.0, 4_418_000.0, 0.0));
        let m = TriMesh::new(&far).unwrap();
        assert_eq!(
            m.locate(&Point3::new(474_001.5, 4_418_001.5, 2.5)),
            PointLocation::Inside
        );
    }
}
