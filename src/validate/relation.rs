//! How two closed triangulated shells relate: does one cross, contain or touch the other,
//! do they share faces, and along which curves do they touch. The basis of codes 401–404
//! (shells of one solid) and 501–503 (solids of one unit).

use std::collections::HashMap;

use crate::geometry::kernel::{dominant_axis, drop_axis};
use crate::geometry::triangle::{
    SegmentContact, coplanar, coplanar_overlap_area, intersection_segment, normal,
    segment_triangle, triangles_intersect,
};
use crate::geometry::{Point3, PointLocation, TriMesh};

use super::polygon2d::UnionFind;
use super::shell::triangle_tree;

/// The relation of shell `a` to shell `b`.
#[derive(Debug, Default, Clone)]
pub(crate) struct Relation {
    /// Some sample point of `a` lies strictly inside `b`.
    pub a_in_b: bool,
    /// Some sample point of `a` lies strictly outside `b`.
    pub a_out_b: bool,
    /// Some sample point of `b` lies strictly inside `a`.
    pub b_in_a: bool,
    /// An edge of one pierces the interior of a face of the other: the surfaces cross.
    pub pierce: bool,
    /// The closed surfaces share at least one point.
    pub touch: bool,
    /// The area (m²) of faces the two surfaces share (coplanar overlap).
    pub shared_area: f64,
    /// Curves along which the surfaces touch (segments of positive length).
    pub contact: Vec<(Point3, Point3)>,
}

impl Relation {
    /// The interiors of the two closed surfaces overlap.
    pub fn interiors_meet(&self) -> bool {
        self.pierce || self.a_in_b || self.b_in_a
    }
}

/// Points that stand for the surface of a mesh: its vertices, the centroids of its
/// triangles and the midpoints of their edges.
fn samples(m: &TriMesh) -> Vec<Point3> {
    let mut used: Vec<usize> = m.triangles.iter().flat_map(|t| t.v).collect();
    used.sort_unstable();
    used.dedup();
    let mut out: Vec<Point3> = used.iter().map(|&i| m.vertices[i]).collect();
    for i in 0..m.triangles.len() {
        let [a, b, c] = m.corners(i);
        out.push(Point3::from((a.coords + b.coords + c.coords) / 3.0));
        out.push(nalgebra::center(a, b));
        out.push(nalgebra::center(b, c));
        out.push(nalgebra::center(c, a));
    }
    out
}

fn sides(points: &[Point3], m: &TriMesh) -> (bool, bool) {
    let (mut inside, mut outside) = (false, false);
    let bbox = m.aabb();
    for p in points {
        if !bbox.intersects(&crate::geometry::Aabb { min: *p, max: *p }) {
            outside = true;
            continue;
        }
        match m.locate(p) {
            PointLocation::Inside => inside = true,
            PointLocation::Outside => outside = true,
            PointLocation::Boundary => {}
        }
        if inside && outside {
            break;
        }
    }
    (inside, outside)
}

/// Relates two closed shells. With `want_contact` the touching curves are computed too.
pub(crate) fn relate(a: &TriMesh, b: &TriMesh, want_contact: bool) -> Relation {
    let (a_in_b, a_out_b) = sides(&samples(a), b);
    let (b_in_a, _) = sides(&samples(b), a);
    let mut r = Relation {
        a_in_b,
        a_out_b,
        b_in_a,
        ..Default::default()
    };
    let ta = triangle_tree(
        &a.vertices,
        &a.triangles.iter().map(|t| t.v).collect::<Vec<_>>(),
    );
    let tb = triangle_tree(
        &b.vertices,
        &b.triangles.iter().map(|t| t.v).collect::<Vec<_>>(),
    );
    for (x, y) in ta.intersection_candidates_with_other_tree(&tb) {
        let t = a.corners(x.idx());
        let u = b.corners(y.idx());
        if !triangles_intersect(t, u) {
            continue;
        }
        r.touch = true;
        if coplanar(t, u) {
            let area = coplanar_overlap_area(t, u);
            r.shared_area += area;
            if want_contact && area == 0.0 {
                r.contact.extend(coplanar_contact(t, u));
            }
            continue;
        }
        if pierces(t, u) || pierces(u, t) {
            r.pierce = true;
        }
        if want_contact && let Some((p, q)) = intersection_segment(t, u) {
            r.contact.push((p, q));
        }
    }
    r
}

fn pierces(t: [&Point3; 3], u: [&Point3; 3]) -> bool {
    (0..3)
        .any(|i| segment_triangle(t[i], t[(i + 1) % 3], u[0], u[1], u[2]) == SegmentContact::Pierce)
}

/// Where two coplanar triangles without common area touch: the pieces of each one's edges
/// that lie on the other.
fn coplanar_contact(t: [&Point3; 3], u: [&Point3; 3]) -> Vec<(Point3, Point3)> {
    let axis = dominant_axis(&normal(t[0], t[1], t[2]));
    let mut out = Vec::new();
    for (x, y) in [(t, u), (u, t)] {
        for i in 0..3 {
            if let Some(s) = clip_segment_to_triangle(x[i], x[(i + 1) % 3], y, axis) {
                out.push(s);
            }
        }
    }
    out
}

/// The part of segment `p q` inside the closed triangle `tri` (all coplanar), by clipping
/// the segment's parameter interval against the triangle's three edges in 2D.
fn clip_segment_to_triangle(
    p: &Point3,
    q: &Point3,
    tri: [&Point3; 3],
    axis: usize,
) -> Option<(Point3, Point3)> {
    let (p2, q2) = (drop_axis(p, axis), drop_axis(q, axis));
    let t2: Vec<[f64; 2]> = tri.iter().map(|v| drop_axis(v, axis)).collect();
    let ccw = {
        let (a, b, c) = (t2[0], t2[1], t2[2]);
        (b[0] - a[0]) * (c[1] - a[1]) - (b[1] - a[1]) * (c[0] - a[0]) > 0.0
    };
    let (mut lo, mut hi) = (0.0_f64, 1.0_f64);
    for i in 0..3 {
        let (a, b) = (t2[i], t2[(i + 1) % 3]);
        // Inside is left of a→b for a counter-clockwise triangle.
        let f = |s: [f64; 2]| {
            let v = (b[0] - a[0]) * (s[1] - a[1]) - (b[1] - a[1]) * (s[0] - a[0]);
            if ccw { v } else { -v }
        };
        let (fp, fq) = (f(p2), f(q2));
        let scale = ((b[0] - a[0]).abs() + (b[1] - a[1]).abs()).max(1e-300);
        let eps = 1e-9 * scale;
        if fp < -eps && fq < -eps {
            return None;
        }
        if fp < -eps || fq < -eps {
            let t = fp / (fp - fq);
            if fp < -eps {
                lo = lo.max(t);
            } else {
                hi = hi.min(t);
            }
        }
    }
    if hi - lo <= 1e-12 {
        return None;
    }
    Some((p + (q - p) * lo, p + (q - p) * hi))
}

/// The number of independent cycles (first Betti number) of the graph formed by contact
/// segments, after merging endpoints closer than `tol`, splitting segments at endpoints that
/// lie on them and removing duplicates. Segments shorter than `tol` are points and ignored.
pub(crate) fn contact_cycles(segments: &[(Point3, Point3)], tol: f64) -> usize {
    let segs: Vec<(Point3, Point3)> = segments
        .iter()
        .copied()
        .filter(|(p, q)| (q - p).norm() > tol)
        .collect();
    if segs.is_empty() {
        return 0;
    }
    // Vertices: endpoints merged within tol.
    let mut verts: Vec<Point3> = Vec::new();
    let vid = |p: &Point3, verts: &mut Vec<Point3>| -> usize {
        if let Some(i) = verts.iter().position(|v| (v - p).norm() <= tol) {
            i
        } else {
            verts.push(*p);
            verts.len() - 1
        }
    };
    let mut raw: Vec<(usize, usize)> = Vec::new();
    for (p, q) in &segs {
        let a = vid(p, &mut verts);
        let b = vid(q, &mut verts);
        if a != b {
            raw.push((a, b));
        }
    }
    // Split at vertices lying on a segment, then deduplicate.
    let mut edges: std::collections::HashSet<(usize, usize)> = std::collections::HashSet::new();
    for (a, b) in raw {
        let (pa, pb) = (verts[a], verts[b]);
        let d = pb - pa;
        let len2 = d.norm_squared();
        let mut on: Vec<(f64, usize)> = vec![(0.0, a), (1.0, b)];
        for (k, v) in verts.iter().enumerate() {
            if k == a || k == b {
                continue;
            }
            let t = (v - pa).dot(&d) / len2;
            if t <= 0.0 || t >= 1.0 {
                continue;
            }
            if (pa + d * t - v).norm() <= tol {
                on.push((t, k));
            }
        }
        on.sort_by(|x, y| x.0.total_cmp(&y.0));
        for w in on.windows(2) {
            let (x, y) = (w[0].1, w[1].1);
            if x != y {
                edges.insert((x.min(y), x.max(y)));
            }
        }
    }
    let mut uf = UnionFind::new(verts.len());
    let mut cycles = 0;
    let mut sorted: Vec<_> = edges.into_iter().collect();
    sorted.sort();
    for (a, b) in sorted {
        if !uf.union(a, b) {
            cycles += 1;
        }
    }
    cycles
}

/// True when two shells have the same vertices (as a set) and the same number of triangles:
/// the same surface, possibly listed in another order.
pub(crate) fn same_surface(a: &TriMesh, b: &TriMesh, tol: f64) -> bool {
    let pts = |m: &TriMesh| {
        let mut used: Vec<usize> = m.triangles.iter().flat_map(|t| t.v).collect();
        used.sort_unstable();
        used.dedup();
        used.iter().map(|&i| m.vertices[i]).collect::<Vec<_>>()
    };
    let (pa, pb) = (pts(a), pts(b));
    if pa.len() != pb.len() {
        return false;
    }
    let mut matched: HashMap<usize, ()> = HashMap::new();
    for p in &pa {
        match pb
            .iter()
            .enumerate()
            .find(|(j, q)| !matched.contains_key(j) && (*q - p).norm() <= tol)
        {
            Some((j, _)) => {
                matched.insert(j, ());
            }
            None => return false,
        }
    }
    let area = |m: &TriMesh| -> f64 {
        (0..m.triangles.len())
            .map(|i| {
                let [x, y, z] = m.corners(i);
                normal(x, y, z).norm()
            })
            .sum()
    };
    (area(a) - area(b)).abs() <= 1e-9 * area(a).max(1.0)
}
