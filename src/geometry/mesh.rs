//! Triangle meshes: a polyhedron with its faces triangulated, the working form of the 3D
//! queries (point location, intersection tests).

use std::cmp::Ordering;
use std::sync::OnceLock;

use super::exact::{ExactPoint, orient2d_at, side_of_plane_at};
use super::kernel::{Orientation, drop_axis, orient2d, side_of_plane};
use super::tri_index::TriangleIndex;
use super::triangle::{is_degenerate, point_on_triangle, projection_axis};
use super::triangulate::{TriangulationError, triangulate_face};
use super::{Aabb, Point3, Polyhedron};

/// Meshes with fewer triangles are searched by a scan: a prism has 12 triangles, and the
/// millions of prisms of a district should not pay for an index. Above it, the first query
/// builds an R-tree over the triangles' boxes once, and every query after it is logarithmic.
pub const INDEX_THRESHOLD: usize = 64;

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
    /// The union of `boxes`.
    bbox: Aabb,
    /// The index over `boxes`, built on first use.
    index: OnceLock<TriangleIndex>,
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
        let boxes: Vec<Aabb> = triangles
            .iter()
            .map(|t| Aabb::from_points(t.v.iter().map(|&i| &vertices[i])))
            .collect();
        let bbox = boxes.iter().fold(Aabb::empty(), |a, b| a.union(b));
        TriMesh {
            vertices,
            triangles,
            boxes,
            bbox,
            index: OnceLock::new(),
        }
    }

    /// The R-tree over the triangles' boxes, built on first use (and shared by clones made
    /// after that).
    pub fn index(&self) -> &TriangleIndex {
        self.index.get_or_init(|| TriangleIndex::new(&self.boxes))
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
        self.bbox
    }

    /// Locates `p` relative to the solid bounded by the mesh (all shells together: a point in
    /// a cavity is outside).
    ///
    /// Casts a vertical ray upwards and counts the triangles it crosses. The ray is perturbed
    /// symbolically (by an infinitesimal step in x, then a smaller one in y), so that a ray
    /// through an edge or a vertex is counted exactly once; points on the surface are found
    /// with exact tests and reported as [`PointLocation::Boundary`]. Meshes of more than
    /// [`INDEX_THRESHOLD`] triangles find the triangles above `p` through their index.
    ///
    /// ```
    /// use strata::geometry::{Point3, PointLocation, Polyhedron, TriMesh};
    /// let cube = Polyhedron::cuboid(Point3::new(0.0, 0.0, 0.0), Point3::new(1.0, 1.0, 1.0));
    /// let m = TriMesh::new(&cube).unwrap();
    /// assert_eq!(m.locate(&Point3::new(0.5, 0.5, 0.5)), PointLocation::Inside);
    /// assert_eq!(m.locate(&Point3::new(1.0, 0.5, 0.5)), PointLocation::Boundary);
    /// ```
    pub fn locate(&self, p: &Point3) -> PointLocation {
        if self.triangles.len() < INDEX_THRESHOLD {
            return self.locate_by_scan(p);
        }
        let cands = self.index().under_or_above([p.x, p.y, p.z], [p.x, p.y]);
        ray_count(self, p, cands)
    }

    /// [`locate`](Self::locate) by a scan of every triangle, without the index: the reference
    /// the index is tested and measured against.
    pub fn locate_by_scan(&self, p: &Point3) -> PointLocation {
        ray_count(self, p, 0..self.triangles.len())
    }

    /// [`locate`](Self::locate) for a point with exact rational coordinates (a midpoint, a
    /// centroid): the same ray and the same perturbation, every sign computed exactly.
    pub fn locate_exact(&self, p: &ExactPoint) -> PointLocation {
        let b = p.bbox();
        if self.triangles.len() < INDEX_THRESHOLD {
            return ray_count(self, p, 0..self.triangles.len());
        }
        let cands = self
            .index()
            .under_or_above([b.min.x, b.min.y, b.min.z], [b.max.x, b.max.y]);
        ray_count(self, p, cands)
    }
}

/// What point location asks of a point: exact comparisons and signs against input points.
trait QueryPoint {
    /// The order of coordinate `axis` of the point against `v`.
    fn cmp_coord(&self, axis: usize, v: f64) -> Ordering;
    /// The sign of `orient2d(a, b, p)` in the projection dropping `axis`.
    fn orient2d(&self, a: &Point3, b: &Point3, axis: usize) -> i8;
    /// The side of the plane through `a b c` the point lies on.
    fn side_of_plane(&self, a: &Point3, b: &Point3, c: &Point3) -> i8;

    /// True when the point lies on the closed, non-degenerate triangle `a b c`.
    fn on_triangle(&self, a: &Point3, b: &Point3, c: &Point3) -> bool {
        if self.side_of_plane(a, b, c) != 0 {
            return false;
        }
        let k = projection_axis(a, b, c);
        let s = [
            self.orient2d(a, b, k),
            self.orient2d(b, c, k),
            self.orient2d(c, a, k),
        ];
        !(s.contains(&1) && s.contains(&-1))
    }
}

impl QueryPoint for Point3 {
    fn cmp_coord(&self, axis: usize, v: f64) -> Ordering {
        self[axis].total_cmp(&v)
    }
    fn orient2d(&self, a: &Point3, b: &Point3, axis: usize) -> i8 {
        orient2d(
            drop_axis(a, axis),
            drop_axis(b, axis),
            drop_axis(self, axis),
        )
        .sign()
    }
    fn side_of_plane(&self, a: &Point3, b: &Point3, c: &Point3) -> i8 {
        side_of_plane(a, b, c, self)
    }
    fn on_triangle(&self, a: &Point3, b: &Point3, c: &Point3) -> bool {
        point_on_triangle(self, a, b, c)
    }
}

impl QueryPoint for ExactPoint {
    fn cmp_coord(&self, axis: usize, v: f64) -> Ordering {
        ExactPoint::cmp_coord(self, axis, v)
    }
    fn orient2d(&self, a: &Point3, b: &Point3, axis: usize) -> i8 {
        orient2d_at(a, b, self, axis)
    }
    fn side_of_plane(&self, a: &Point3, b: &Point3, c: &Point3) -> i8 {
        side_of_plane_at(a, b, c, self)
    }
}

/// What the vertical ray from a point does at one triangle.
enum RayHit {
    /// Misses it (or grazes it in a way the perturbation does not count).
    Miss,
    /// Crosses it above the point.
    Cross,
    /// The point lies on it.
    Boundary,
}

/// Counts the crossings of the vertical ray from `p` with the triangles `cands` (which must
/// include every triangle whose box holds `p` in x and y and reaches up to it).
fn ray_count<Q: QueryPoint>(
    m: &TriMesh,
    p: &Q,
    cands: impl IntoIterator<Item = usize>,
) -> PointLocation {
    let mut crossings = 0usize;
    for i in cands {
        match ray_hit(m, p, i) {
            RayHit::Miss => {}
            RayHit::Cross => crossings += 1,
            RayHit::Boundary => return PointLocation::Boundary,
        }
    }
    if crossings % 2 == 1 {
        PointLocation::Inside
    } else {
        PointLocation::Outside
    }
}

fn ray_hit<Q: QueryPoint>(m: &TriMesh, p: &Q, i: usize) -> RayHit {
    let b = &m.boxes[i];
    if p.cmp_coord(0, b.min.x) == Ordering::Less
        || p.cmp_coord(0, b.max.x) == Ordering::Greater
        || p.cmp_coord(1, b.min.y) == Ordering::Less
        || p.cmp_coord(1, b.max.y) == Ordering::Greater
        || p.cmp_coord(2, b.max.z) == Ordering::Greater
    {
        return RayHit::Miss;
    }
    let [a, bb, c] = m.corners(i);
    if is_degenerate(a, bb, c) {
        return RayHit::Miss;
    }
    let (a2, b2, c2) = ([a.x, a.y], [bb.x, bb.y], [c.x, c.y]);
    let o = orient2d(a2, b2, c2);
    if o == Orientation::Collinear {
        // A vertical triangle: the ray never crosses it, but p may lie on it.
        return if p.on_triangle(a, bb, c) {
            RayHit::Boundary
        } else {
            RayHit::Miss
        };
    }
    let raw = [
        p.orient2d(a, bb, 2),
        p.orient2d(bb, c, 2),
        p.orient2d(c, a, 2),
    ];
    let want = o.sign();
    if !raw.iter().all(|&s| s == 0 || s == want) {
        return RayHit::Miss;
    }
    let side = p.side_of_plane(a, bb, c);
    if side == 0 {
        return RayHit::Boundary;
    }
    let perturbed = [
        perturbed_sign(raw[0], a2, b2),
        perturbed_sign(raw[1], b2, c2),
        perturbed_sign(raw[2], c2, a2),
    ];
    // The normal's z has the sign of `o`; p is below the plane when it lies on the side
    // opposite to the normal's z direction.
    if perturbed.iter().all(|&s| s == want) && side != want {
        RayHit::Cross
    } else {
        RayHit::Miss
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
        p.add_cavity(&Polyhedron::cuboid(
            Point3::new(1.0, 1.0, 1.0),
            Point3::new(2.0, 2.0, 2.0),
        ));
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

    use crate::generate::solids::unit_stream;

    #[test]
    fn the_index_gives_the_answers_of_the_scan_on_seeded_points() {
        use crate::generate::solids::uv_sphere;
        let c = Point3::new(474_412.345, 4_418_207.891, 30.0);
        // A sphere with a cavity: points between, in it and on both surfaces.
        let mut p = uv_sphere(c, 20.0, 30, 60);
        p.add_cavity(&uv_sphere(c + Vector3::new(3.0, -2.0, 1.0), 8.0, 20, 40));
        let m = TriMesh::new(&p).unwrap();
        assert!(m.triangles.len() > INDEX_THRESHOLD);
        let mut rnd = unit_stream(7);
        let mut points = Vec::new();
        let b = m.aabb();
        for _ in 0..1500 {
            let t = Vector3::new(rnd(), rnd(), rnd());
            points.push(b.min + (b.max - b.min).component_mul(&t) * 1.1 - (b.max - b.min) * 0.05);
        }
        for _ in 0..1500 {
            let i = (rnd() * m.triangles.len() as f64) as usize;
            let [x, y, z] = m.corners(i);
            let (u, v) = (rnd(), rnd());
            let (u, v) = if u + v > 1.0 {
                (1.0 - u, 1.0 - v)
            } else {
                (u, v)
            };
            points.push(*x); // a vertex
            points.push(nalgebra::center(x, y)); // an edge, up to rounding
            points.push(x + (y - x) * u + (z - x) * v); // a face, up to rounding
        }
        // Points straight above vertices and edges: rays through them.
        for k in 0..500 {
            let q = m.vertices[k * 7 % m.vertices.len()];
            points.push(q - Vector3::new(0.0, 0.0, 1.0 + rnd()));
        }
        let mut kinds = [0usize; 3];
        for q in &points {
            let (fast, slow) = (m.locate(q), m.locate_by_scan(q));
            assert_eq!(fast, slow, "{q:?}");
            assert_eq!(
                m.locate_exact(&crate::geometry::exact::ExactPoint::from_point(q)),
                slow
            );
            kinds[fast as usize] += 1;
        }
        assert!(kinds.iter().all(|&k| k > 100), "{kinds:?}");
    }
}
