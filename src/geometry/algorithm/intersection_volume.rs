//! The exact volume two closed polyhedra share.
//!
//! By the divergence theorem, the volume of `A ∩ B` is a third of the flux of the position
//! vector through its boundary, and that boundary is made of the parts of `A`'s faces inside
//! `B` and the parts of `B`'s faces inside `A`. For each face of one solid, the other solid is
//! cut by the face's plane (an exact classification of its vertices, with vertices on the plane
//! counted on the face's outer side, which is the same as cutting an infinitesimal step inside
//! the face's own solid); the cut gives oriented loops, and each triangle of the face is
//! clipped against them. Faces that the two solids share with the same orientation would be
//! counted twice and are subtracted once; faces they share with opposite orientations (solids
//! that touch) contribute nothing. Every decision is exact; areas and volumes are computed in
//! floating point relative to a local origin, so the result is exact up to rounding: coplanar
//! faces, stacked layers and rotated solids need no tolerance.

use std::collections::HashMap;

use crate::geometry::clip::{P2, clip_to_convex, twice_area};
use crate::geometry::kernel::{dominant_axis, drop_axis, side_of_plane};
use crate::geometry::mesh::INDEX_THRESHOLD;
use crate::geometry::triangle::{coplanar_overlap_area, normal};
use crate::geometry::{Aabb, Point3, TriMesh, Vector3};

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
pub fn intersection_measures(a: &TriMesh, b: &TriMesh) -> IntersectionMeasures {
    let (ba, bb) = (a.aabb(), b.aabb());
    let mut m = IntersectionMeasures::default();
    if !ba.intersects(&bb) {
        return m;
    }
    let origin = ba.min;
    let mut flux = 0.0;
    flux += pass(a, b, &bb, origin, &mut m);
    flux += pass(b, a, &ba, origin, &mut m);
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

/// The loops where the plane through `t0 t1 t2` cuts `y`, oriented so that `y`'s inside lies
/// on their left seen from the side the plane's normal points to. Vertices on the plane count
/// on the normal's side.
fn section_loops(t: [&Point3; 3], y: &TriMesh, origin: Point3) -> Vec<Vec<Point3>> {
    let n = normal(t[0], t[1], t[2]);
    let side: Vec<i8> = y
        .vertices
        .iter()
        .map(|v| {
            if side_of_plane(t[0], t[1], t[2], v) >= 0 {
                1
            } else {
                -1
            }
        })
        .collect();
    let dist = |v: &Point3| (v - t[0]).dot(&n);
    let mut points: HashMap<(usize, usize), Point3> = HashMap::new();
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
    let mut next: HashMap<(usize, usize), (usize, usize)> = HashMap::new();
    for tri in &y.triangles {
        let [p, q, r] = tri.v;
        let (sp, sq, sr) = (side[p], side[q], side[r]);
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
    let mut seen = std::collections::HashSet::new();
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
        let tris = &faces[&key];
        let plane = x.corners(tris[0]);
        let n = normal(plane[0], plane[1], plane[2]);
        if n.norm_squared() == 0.0 {
            continue;
        }
        let loops = section_loops(plane, y, origin);
        if loops.is_empty() {
            continue;
        }
        let axis = dominant_axis(&n);
        let flip = n[axis] < 0.0;
        let scale = n.norm() / n[axis].abs();
        let loops2: Vec<Vec<P2>> = loops
            .iter()
            .map(|l| l.iter().map(|p| drop_axis(p, axis)).collect())
            .collect();
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
            for l in &loops2 {
                let c = clip_to_convex(l, &t2);
                if c.len() < 3 {
                    continue;
                }
                let a = twice_area(&c) / 2.0;
                area2 += if flip { -a } else { a };
                pieces.push(c);
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
    }
    flux
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
}
