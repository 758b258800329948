//! The exact volume two closed polyhedra share.
//!
//! By the divergence theorem, the volume of `A ∩ B` is a third of the flux of the position
//! vector through its boundary, and that boundary is made of the parts of `A`'s faces inside
//! `B` and the parts of `B`'s faces inside `A`. For each face of one solid, the other solid is
//! cut by the face's plane (an exact classification of its vertices, with vertices on the plane
//! counted on the face's outer side, which is the same as cutting an infinitesimal step inside
//! the face's own solid); the cut gives oriented loops, and each triangle of the face is
//! clipped against them. For large meshes the cut is local: a triangle near which no triangle
//! of the other solid crosses the plane lies wholly inside or outside it (one exact point
//! location decides), and only the other triangles cut the section, from the triangles that
//! the other solid's R-tree finds near the plane. Faces that the two solids share with the same orientation would be
//! counted twice and are subtracted once; faces they share with opposite orientations (solids
//! that touch) contribute nothing. Every decision is exact; areas and volumes are computed in
//! floating point relative to a local origin, so the result is exact up to rounding: coplanar
//! faces, stacked layers and rotated solids need no tolerance.

use std::collections::HashMap;

use rustc_hash::{FxHashMap, FxHashSet};

use crate::geometry::clip::{P2, clip_to_convex, twice_area};
use crate::geometry::kernel::{dominant_axis, drop_axis, side_of_plane};
use crate::geometry::mesh::INDEX_THRESHOLD;
use crate::geometry::triangle::{coplanar_overlap_area, normal};
use crate::geometry::{Aabb, Point3, PointLocation, TriMesh, Vector3};

/// What the overlap of two solids measures.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct IntersectionMeasures {
    /// The volume shared, m³.
    pub volume: f64,
    /// The area of the boundary of the shared volume, m².
    pub surface_area: f64,
    /// The lowest and highest elevation of the shared volume.
    pub z_range: Option<(f64, f64)>,
    /// The upward-facing pieces of the shared volume's boundary, projected on the xy plane
    /// (their union is the shared volume's footprint).
    pub up_pieces: Vec<Vec<P2>>,
}

/// The volume (m³) two closed, outward-oriented solids share.
///
/// ```
/// use strata::geometry::{Point3, Polyhedron, TriMesh};
/// use strata::geometry::algorithm::intersection_volume;
/// let a = TriMesh::new(&Polyhedron::cuboid(Point3::new(0.0, 0.0, 0.0), Point3::new(2.0, 2.0, 2.0))).unwrap();
/// let b = TriMesh::new(&Polyhedron::cuboid(Point3::new(1.0, 1.0, 1.0), Point3::new(3.0, 3.0, 3.0))).unwrap();
/// assert!((intersection_volume(&a, &b) - 1.0).abs() < 1e-12);
/// ```
pub fn intersection_volume(a: &TriMesh, b: &TriMesh) -> f64 {
    intersection_measures(a, b).volume
}

/// The volume, surface, elevation range and upward pieces of what two closed,
/// outward-oriented solids share.
///
/// Each face plane of one solid cuts only the triangles of the other that its index finds
/// near the plane, so two finely tessellated solids cost about the number of faces times the
/// size of a section, not the product of their sizes.
pub fn intersection_measures(a: &TriMesh, b: &TriMesh) -> IntersectionMeasures {
    measures(a, b, Search::Index)
}

/// [`intersection_volume`] with every face plane cutting every triangle of the other solid,
/// without the index: the reference the index is tested and measured against.
pub fn intersection_volume_by_scan(a: &TriMesh, b: &TriMesh) -> f64 {
    measures(a, b, Search::Scan).volume
}

/// How the triangles a plane cuts are found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Search {
    /// From the mesh's index, when it is large.
    Index,
    /// By a scan of every triangle.
    Scan,
}

fn measures(a: &TriMesh, b: &TriMesh, search: Search) -> IntersectionMeasures {
    let (ba, bb) = (a.aabb(), b.aabb());
    let mut m = IntersectionMeasures::default();
    if !ba.intersects(&bb) {
        return m;
    }
    let origin = ba.min;
    let mut flux = 0.0;
    flux += pass(a, b, &bb, origin, search, &mut m);
    flux += pass(b, a, &ba, origin, search, &mut m);
    // Faces shared with the same orientation were counted from both sides.
    for (i, j) in triangle_pairs(a, b) {
        let t = a.corners(i);
        let nt = normal(t[0], t[1], t[2]);
        let u = b.corners(j);
        if nt.dot(&normal(u[0], u[1], u[2])) <= 0.0
            || !u.iter().all(|p| side_of_plane(t[0], t[1], t[2], p) == 0)
        {
            continue;
        }
        let area = coplanar_overlap_area(t, u);
        if area > 0.0 {
            let n = nt.normalize();
            flux -= n.dot(&(t[0] - origin)) * area;
            m.surface_area -= area;
        }
    }
    m.volume = (flux / 3.0).max(0.0);
    if m.volume == 0.0 {
        m.z_range = None;
        m.up_pieces.clear();
        m.surface_area = 0.0;
    }
    m
}

/// The pairs of triangles of `a` and `b` whose boxes meet, in ascending order: from the two
/// meshes' R-trees, or by a scan when both are small (prisms).
pub fn triangle_pairs(a: &TriMesh, b: &TriMesh) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    if a.triangles.len().max(b.triangles.len()) < INDEX_THRESHOLD {
        for (i, bi) in a.boxes.iter().enumerate() {
            for (j, bj) in b.boxes.iter().enumerate() {
                if bi.intersects(bj) {
                    out.push((i, j));
                }
            }
        }
        return out;
    }
    out.extend(a.index().pairs(b.index()));
    out.sort_unstable();
    out
}

/// The triangles of `y` the plane through `t` may cut, ascending: from `y`'s index when it is
/// large (a plane query visits only the boxes near the plane), else all of them. Every
/// triangle with vertices on both sides of the plane is among them.
fn crossing_candidates(t: [&Point3; 3], y: &TriMesh, search: Search) -> Vec<usize> {
    if search == Search::Scan || y.triangles.len() < INDEX_THRESHOLD {
        return (0..y.triangles.len()).collect();
    }
    y.index().near_plane(t[0], t[1], t[2])
}

/// The loops where the plane through `t0 t1 t2` cuts `y`, oriented so that `y`'s inside lies
/// on their left seen from the side the plane's normal points to. Vertices on the plane count
/// on the normal's side. Only the triangles of `y` near the plane are visited.
fn section_loops(t: [&Point3; 3], y: &TriMesh, origin: Point3, search: Search) -> Vec<Vec<Point3>> {
    let n = normal(t[0], t[1], t[2]);
    // The side of each vertex, classified on first use (0: not yet).
    let mut sides: Vec<i8> = vec![0; y.vertices.len()];
    let mut side = |v: usize| -> i8 {
        if sides[v] == 0 {
            sides[v] = if side_of_plane(t[0], t[1], t[2], &y.vertices[v]) >= 0 {
                1
            } else {
                -1
            };
        }
        sides[v]
    };
    let dist = |v: &Point3| (v - t[0]).dot(&n);
    let mut points: FxHashMap<(usize, usize), Point3> = FxHashMap::default();
    let mut point = |u: usize, v: usize| -> (usize, usize) {
        let key = (u.min(v), u.max(v));
        points.entry(key).or_insert_with(|| {
            let (pu, pv) = (y.vertices[key.0], y.vertices[key.1]);
            let (du, dv) = (dist(&pu), dist(&pv));
            let w = if du == dv { 0.0 } else { du / (du - dv) };
            let (ru, rv) = (pu - origin, pv - origin);
            Point3::from(ru + (rv - ru) * w)
        });
        key
    };
    let mut next: FxHashMap<(usize, usize), (usize, usize)> = FxHashMap::default();
    for i in crossing_candidates(t, y, search) {
        let [p, q, r] = y.triangles[i].v;
        let (sp, sq, sr) = (side(p), side(q), side(r));
        if sp == sq && sq == sr {
            continue;
        }
        // The vertex alone on its side, and the two others in cyclic order after it.
        let (x, yy, z, sx) = if sq == sr {
            (p, q, r, sp)
        } else if sp == sr {
            (q, r, p, sq)
        } else {
            (r, p, q, sr)
        };
        let k1 = point(x, yy);
        let k2 = point(z, x);
        if sx > 0 {
            next.insert(k1, k2);
        } else {
            next.insert(k2, k1);
        }
    }
    let mut loops = Vec::new();
    let mut keys: Vec<(usize, usize)> = next.keys().copied().collect();
    keys.sort_unstable();
    let mut seen = FxHashSet::default();
    for start in keys {
        if seen.contains(&start) {
            continue;
        }
        let mut ring = Vec::new();
        let mut k = start;
        while seen.insert(k) {
            ring.push(points[&k]);
            match next.get(&k) {
                Some(&n) => k = n,
                None => break,
            }
        }
        if ring.len() >= 3 {
            loops.push(ring);
        }
    }
    loops
}

/// The flux through the parts of `x`'s faces inside `y`, recording the pieces in `m`.
fn pass(
    x: &TriMesh,
    y: &TriMesh,
    ybox: &Aabb,
    origin: Point3,
    search: Search,
    m: &mut IntersectionMeasures,
) -> f64 {
    // Group x's triangles by face: one cut of `y` per face plane.
    let mut faces: HashMap<(usize, usize), Vec<usize>> = HashMap::new();
    for (i, t) in x.triangles.iter().enumerate() {
        if x.boxes[i].intersects(ybox) {
            faces.entry((t.shell, t.face)).or_default().push(i);
        }
    }
    let mut keys: Vec<_> = faces.keys().copied().collect();
    keys.sort_unstable();
    let mut flux = 0.0;
    for key in keys {
        flux += face_flux(x, &faces[&key], y, origin, search, m);
    }
    flux
}

/// The flux through the part of one face of `x` (its triangles `tris`) inside `y`.
fn face_flux(
    x: &TriMesh,
    tris: &[usize],
    y: &TriMesh,
    origin: Point3,
    search: Search,
    m: &mut IntersectionMeasures,
) -> f64 {
    let plane = x.corners(tris[0]);
    let n = normal(plane[0], plane[1], plane[2]);
    if n.norm_squared() == 0.0 {
        return 0.0;
    }
    let axis = dominant_axis(&n);
    let flip = n[axis] < 0.0;
    let scale = n.norm() / n[axis].abs();
    // The section, cut only for the triangles it covers in part.
    let mut loops2: Option<Vec<Vec<P2>>> = None;
    let mut flux = 0.0;
    for &i in tris {
        let t = x.corners(i);
        let nt = normal(t[0], t[1], t[2]);
        if nt.norm_squared() == 0.0 {
            continue;
        }
        let mut t2: Vec<P2> = t
            .iter()
            .map(|p| drop_axis(&Point3::from(*p - origin), axis))
            .collect();
        if twice_area(&t2) < 0.0 {
            t2.reverse();
        }
        let mut area2 = 0.0;
        let mut pieces = Vec::new();
        match cover(x, i, plane, y, search) {
            Cover::Empty => continue,
            Cover::Whole => {
                area2 = twice_area(&t2) / 2.0;
                if flip {
                    t2.reverse();
                }
                pieces.push(t2);
            }
            Cover::Partial => {
                let loops2 = loops2.get_or_insert_with(|| {
                    section_loops(plane, y, origin, search)
                        .iter()
                        .map(|l| l.iter().map(|p| drop_axis(p, axis)).collect())
                        .collect()
                });
                for l in loops2.iter() {
                    let c = clip_to_convex(l, &t2);
                    if c.len() < 3 {
                        continue;
                    }
                    let a = twice_area(&c) / 2.0;
                    area2 += if flip { -a } else { a };
                    pieces.push(c);
                }
            }
        }
        if area2 <= 0.0 {
            continue;
        }
        let area = area2 * scale;
        let nhat = nt.normalize();
        flux += nhat.dot(&(t[0] - origin)) * area;
        m.surface_area += area;
        record(m, &pieces, &n, plane[0], axis, origin);
    }
    flux
}

/// How the section of `y` by a face's plane covers one triangle of the face.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Cover {
    /// Not at all.
    Empty,
    /// Wholly.
    Whole,
    /// In part, or not known without cutting the section: clip the triangle.
    Partial,
}

/// Decides, without cutting the whole section, whether the section of `y` by the plane
/// through `plane` covers triangle `i` of `x` wholly or not at all. The section's boundary
/// runs only through triangles of `y` that cross the plane (with vertices on the plane counted
/// on the normal's side, as in [`section_loops`]); when none of those near the triangle (their
/// boxes meeting its box) crosses, the boundary stays away from the closed triangle and one
/// exact point location of a vertex tells which. A triangle off the plane (a face that is
/// not exactly planar), a vertex on `y`'s boundary, or a small `y` answer
/// [`Cover::Partial`].
fn cover(x: &TriMesh, i: usize, plane: [&Point3; 3], y: &TriMesh, search: Search) -> Cover {
    if search == Search::Scan || y.triangles.len() < INDEX_THRESHOLD {
        return Cover::Partial;
    }
    let on_plane = |p: &Point3| side_of_plane(plane[0], plane[1], plane[2], p);
    let t = x.corners(i);
    if t.iter().any(|p| on_plane(p) != 0) {
        return Cover::Partial;
    }
    let crosses = |j: usize| {
        let s = y.triangles[j].v.map(|v| on_plane(&y.vertices[v]) >= 0);
        s[0] != s[1] || s[1] != s[2]
    };
    if y.index().in_box(&x.boxes[i]).any(crosses) {
        return Cover::Partial;
    }
    for p in t {
        match y.locate(p) {
            PointLocation::Inside => return Cover::Whole,
            PointLocation::Outside => return Cover::Empty,
            PointLocation::Boundary => {}
        }
    }
    Cover::Partial
}

/// Lifts clipped 2D pieces back to the plane to track the elevation range and the upward
/// pieces' footprint.
fn record(
    m: &mut IntersectionMeasures,
    pieces: &[Vec<P2>],
    n: &Vector3,
    on_plane: &Point3,
    axis: usize,
    origin: Point3,
) {
    let p0 = on_plane - origin;
    let lift = |q: &P2| -> Point3 {
        // Solve n · (p - p0) = 0 for the dropped coordinate.
        let (mut p, k) = match axis {
            0 => (Point3::new(0.0, q[0], q[1]), 0),
            1 => (Point3::new(q[1], 0.0, q[0]), 1),
            _ => (Point3::new(q[0], q[1], 0.0), 2),
        };
        let rest = n.dot(&(p.coords - p0));
        p[k] = -rest / n[k] + 0.0;
        p + origin.coords
    };
    for piece in pieces {
        let pts: Vec<Point3> = piece.iter().map(lift).collect();
        for p in &pts {
            let z = p.z;
            m.z_range = Some(match m.z_range {
                None => (z, z),
                Some((lo, hi)) => (lo.min(z), hi.max(z)),
            });
        }
        if n.z > 0.0 {
            m.up_pieces.push(pts.iter().map(|p| [p.x, p.y]).collect());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::geometry::algorithm::box_mesh as boxm;

    #[test]
    fn boxes() {
        let a = boxm([0.0, 0.0, 0.0], [4.0, 3.0, 2.0]);
        assert!((intersection_volume(&a, &a) - 24.0).abs() < 1e-9);
        let b = boxm([1.0, 1.0, 1.0], [6.0, 6.0, 6.0]);
        assert!((intersection_volume(&a, &b) - 3.0 * 2.0 * 1.0).abs() < 1e-9);
        assert!((intersection_volume(&b, &a) - 6.0).abs() < 1e-9);
        // Stacked: they share the plane z = 2 and nothing else.
        let c = boxm([0.0, 0.0, 2.0], [4.0, 3.0, 5.0]);
        assert_eq!(intersection_volume(&a, &c), 0.0);
        // Side by side, sharing part of a face.
        let d = boxm([4.0, 1.0, 0.5], [7.0, 2.0, 1.5]);
        assert_eq!(intersection_volume(&a, &d), 0.0);
        // Inside.
        let e = boxm([1.0, 1.0, 0.5], [2.0, 2.0, 1.5]);
        assert!((intersection_volume(&a, &e) - 1.0).abs() < 1e-9);
        // Sharing the bottom face and part of two sides.
        let f = boxm([0.0, 0.0, 0.0], [1.0, 1.0, 1.0]);
        assert!((intersection_volume(&a, &f) - 1.0).abs() < 1e-9);
        let m = intersection_measures(&a, &b);
        assert_eq!(m.z_range, Some((1.0, 2.0)));
        assert!((m.surface_area - 2.0 * (3.0 * 2.0 + 2.0 * 1.0 + 3.0 * 1.0)).abs() < 1e-9);
    }

    #[test]
    fn boxes_far_from_the_origin() {
        let o = [474_412.345, 4_418_207.891, 11.5];
        let sh = |p: [f64; 3]| [p[0] + o[0], p[1] + o[1], p[2] + o[2]];
        let a = boxm(sh([0.0, 0.0, 0.0]), sh([70.0, 60.0, 6.0]));
        let b = boxm(sh([60.0, 30.0, -3.0]), sh([130.0, 90.0, 0.5]));
        assert!((intersection_volume(&a, &b) - 10.0 * 30.0 * 0.5).abs() < 1e-6);
        let c = boxm(sh([0.0, 0.0, 6.0]), sh([70.0, 60.0, 9.0]));
        assert_eq!(intersection_volume(&a, &c), 0.0);
    }

    /// The closed box between two corners with every side cut into `k × k` square faces:
    /// a large mesh with coplanar faces, for the index's path.
    fn fine_box(min: [f64; 3], max: [f64; 3], k: usize) -> TriMesh {
        use crate::geometry::{Face, Polyhedron, Shell};
        let mut index: HashMap<[usize; 3], usize> = HashMap::new();
        let mut vertices = Vec::new();
        let mut vertex = |c: [usize; 3]| -> usize {
            *index.entry(c).or_insert_with(|| {
                let at = |d: usize| min[d] + (max[d] - min[d]) * c[d] as f64 / k as f64;
                vertices.push(Point3::new(at(0), at(1), at(2)));
                vertices.len() - 1
            })
        };
        let mut faces = Vec::new();
        // The side normal to axis `d`, at 0 or k; the two other axes in right-handed order.
        for d in 0..3 {
            let (u, v) = ((d + 1) % 3, (d + 2) % 3);
            for at in [0, k] {
                for i in 0..k {
                    for j in 0..k {
                        let c = |a: usize, b: usize| {
                            let mut c = [0; 3];
                            c[d] = at;
                            c[u] = a;
                            c[v] = b;
                            c
                        };
                        let mut ring = vec![
                            vertex(c(i, j)),
                            vertex(c(i + 1, j)),
                            vertex(c(i + 1, j + 1)),
                            vertex(c(i, j + 1)),
                        ];
                        if at == 0 {
                            ring.reverse();
                        }
                        faces.push(Face::new(ring));
                    }
                }
            }
        }
        TriMesh::new(&Polyhedron::new(vertices, vec![Shell { faces }])).expect("a box")
    }

    #[test]
    fn finely_cut_boxes_touch_and_overlap_as_boxes_do() {
        let a = fine_box([0.0, 0.0, 0.0], [4.0, 3.0, 2.0], 6);
        assert!(a.triangles.len() >= INDEX_THRESHOLD);
        let cases = [
            ([0.0, 0.0, 0.0], [4.0, 3.0, 2.0], 24.0),
            ([1.0, 1.0, 1.0], [6.0, 6.0, 6.0], 6.0),
            ([0.0, 0.0, 2.0], [4.0, 3.0, 5.0], 0.0),
            ([4.0, 1.0, 0.5], [7.0, 2.0, 1.5], 0.0),
            ([1.0, 1.0, 0.5], [2.0, 2.0, 1.5], 1.0),
            ([0.0, 0.0, 0.0], [1.0, 1.0, 1.0], 1.0),
            ([0.5, 0.25, -1.0], [3.5, 2.75, 0.0], 0.0),
        ];
        for (lo, hi, want) in cases {
            for b in [fine_box(lo, hi, 5), boxm(lo, hi)] {
                for (p, q) in [(&a, &b), (&b, &a)] {
                    let v = intersection_volume(p, q);
                    if want == 0.0 {
                        // Exactly 0 but for a plain box stacked on the finely cut one, where
                        // the clipped sections (by the scan as well) leave 5e-32 m³ of noise.
                        assert!(v.abs() < 1e-20, "{lo:?} {hi:?}");
                    } else {
                        assert!((v - want).abs() < 1e-9, "{lo:?} {hi:?}: {v}");
                    }
                    assert!((v - intersection_volume_by_scan(p, q)).abs() < 1e-9);
                }
            }
        }
    }

    #[test]
    fn spheres_by_the_index_agree_with_the_scan() {
        use crate::generate::solids::uv_sphere;
        let o = Point3::new(474_412.345, 4_418_207.891, 30.0);
        let shapes = [
            (Vector3::new(8.0, 3.0, 1.0), 10.0, 30, 40),
            (Vector3::new(0.0, 0.0, 0.0), 10.0, 30, 40),
            (Vector3::new(0.0, 0.0, 0.0), 7.0, 17, 23),
            (Vector3::new(-2.5, 1.0, 14.0), 6.0, 12, 50),
            (Vector3::new(19.0, 0.0, 0.0), 9.0, 20, 40),
        ];
        let a = TriMesh::new(&uv_sphere(o, 10.0, 30, 40)).expect("a sphere");
        for (d, r, rings, sectors) in shapes {
            let b = TriMesh::new(&uv_sphere(o + d, r, rings, sectors)).expect("a sphere");
            for (p, q) in [(&a, &b), (&b, &a)] {
                let fast = intersection_measures(p, q);
                let slow = measures(p, q, Search::Scan);
                let close = |u: f64, v: f64| (u - v).abs() <= 1e-9 * v.abs().max(1.0);
                assert!(close(fast.volume, slow.volume), "{d:?}: {fast:?} {slow:?}");
                assert!(close(fast.surface_area, slow.surface_area), "{d:?}");
                match (fast.z_range, slow.z_range) {
                    (Some(f), Some(s)) => assert!(close(f.0, s.0) && close(f.1, s.1)),
                    (f, s) => assert_eq!(f, s),
                }
            }
        }
    }
}
