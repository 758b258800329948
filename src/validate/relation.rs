//! How two closed triangulated shells relate: does one cross, contain or touch the other,
//! do they share faces, and along which curves do they touch. The basis of codes 401–404
//! (shells of one solid) and 501–503 (solids of one unit).

use std::collections::HashMap;

use crate::geometry::algorithm::boundary_sides::{boundary_sides, contacts};
use crate::geometry::kernel::{dominant_axis, drop_axis};
use crate::geometry::triangle::{coplanar, coplanar_overlap_area, intersection_segment, normal};
use crate::geometry::{Point3, TriMesh};

use super::polygon2d::UnionFind;

/// The relation of shell `a` to shell `b`.
#[derive(Debug, Default, Clone)]
pub(crate) struct Relation {
    /// Some point of `a` lies strictly inside `b`.
    pub a_in_b: bool,
    /// Some point of `a` lies strictly outside `b`.
    pub a_out_b: bool,
    /// Some point of `b` lies strictly inside `a`.
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

/// Relates two closed shells. With `want_contact` the touching curves are computed too.
///
/// Which side of the other shell each surface reaches is decided exactly (see
/// [`boundary_sides`]): no sample point is rounded, so shells that share a wall turned at any
/// angle touch and do not overlap.
pub(crate) fn relate(a: &TriMesh, b: &TriMesh, want_contact: bool) -> Relation {
    let c = contacts(a, b);
    let mut r = Relation {
        pierce: c.pierce,
        touch: !c.pairs.is_empty(),
        ..Default::default()
    };
    if c.pierce {
        // Both surfaces cross each other: each has points on both sides of the other.
        (r.a_in_b, r.a_out_b, r.b_in_a) = (true, true, true);
    } else {
        let sa = boundary_sides(a, b, &c.pairs, true);
        let mut swapped: Vec<(usize, usize)> = c.pairs.iter().map(|&(i, j)| (j, i)).collect();
        swapped.sort_unstable();
        let sb = boundary_sides(b, a, &swapped, false);
        (r.a_in_b, r.a_out_b, r.b_in_a) = (sa.inside, sa.outside, sb.inside);
    }
    for &(x, y) in &c.pairs {
        let t = a.corners(x);
        let u = b.corners(y);
        if coplanar(t, u) {
            let area = coplanar_overlap_area(t, u);
            r.shared_area += area;
            if want_contact && area == 0.0 {
                r.contact.extend(coplanar_contact(t, u));
            }
            continue;
        }
        if want_contact && let Some((p, q)) = intersection_segment(t, u) {
            r.contact.push((p, q));
        }
    }
    r
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

/// True when two shells have the same vertices (as a set, each matched once within `tol`)
/// and the same area: the same surface, possibly listed in another order or triangulated
/// differently. Vertices are matched through a hash grid of cells `tol` wide, so the cost is
/// linear in the number of vertices.
pub(crate) fn same_surface(a: &TriMesh, b: &TriMesh, tol: f64) -> bool {
    let pts = |m: &TriMesh| {
        let mut used: Vec<usize> = m.triangles.iter().flat_map(|t| t.v).collect();
        used.sort_unstable();
        used.dedup();
        used.iter().map(|&i| m.vertices[i]).collect::<Vec<_>>()
    };
    let (ba, bb) = (a.aabb(), b.aabb());
    if !ba.expanded(tol).contains(&bb.min) || !ba.expanded(tol).contains(&bb.max) {
        return false;
    }
    let (pa, pb) = (pts(a), pts(b));
    if pa.len() != pb.len() {
        return false;
    }
    // Cells at least as wide as the tolerance: a match lies in one of the 27 cells around.
    let cell = tol.max(1e-9);
    let key = |p: &Point3| [p.x, p.y, p.z].map(|v| (v / cell).floor() as i64);
    let mut grid: HashMap<[i64; 3], Vec<usize>> = HashMap::with_capacity(pb.len());
    for (j, q) in pb.iter().enumerate() {
        grid.entry(key(q)).or_default().push(j);
    }
    let mut matched = vec![false; pb.len()];
    for p in &pa {
        let k = key(p);
        let mut found = None;
        'search: for dx in -1..=1 {
            for dy in -1..=1 {
                for dz in -1..=1 {
                    let c = [
                        k[0].saturating_add(dx),
                        k[1].saturating_add(dy),
                        k[2].saturating_add(dz),
                    ];
                    if let Some(js) = grid.get(&c)
                        && let Some(&j) = js
                            .iter()
                            .find(|&&j| !matched[j] && (pb[j] - p).norm() <= tol)
                    {
                        found = Some(j);
                        break 'search;
                    }
                }
            }
        }
        match found {
            Some(j) => matched[j] = true,
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::geometry::{Face, Polyhedron, Shell};

    /// A prism over the ring `ring` (counter-clockwise) between `z0` and `z1`, with extra
    /// vertices on its vertical edges: `(corner, z)` splits the edge above `ring[corner]` at
    /// `z`. The extra vertices lie exactly on the edges (same x and y), so faces stay planar.
    fn prism(ring: &[(f64, f64)], z0: f64, z1: f64, splits: &[(usize, f64)]) -> Polyhedron {
        let n = ring.len();
        let mut v: Vec<Point3> = Vec::new();
        for &(x, y) in ring {
            v.push(Point3::new(x, y, z0));
        }
        for &(x, y) in ring {
            v.push(Point3::new(x, y, z1));
        }
        let mut column: Vec<Vec<usize>> = (0..n).map(|_| Vec::new()).collect();
        for &(k, z) in splits {
            v.push(Point3::new(ring[k].0, ring[k].1, z));
            column[k].push(v.len() - 1);
        }
        for c in &mut column {
            c.sort_by(|&a, &b| v[a].z.total_cmp(&v[b].z));
        }
        let mut faces = vec![
            Face::new((0..n).rev().collect()),
            Face::new((n..2 * n).collect()),
        ];
        for i in 0..n {
            let j = (i + 1) % n;
            // Up the edge above j, down the edge above i.
            let mut r = vec![i, j];
            r.extend(column[j].iter().copied());
            r.push(n + j);
            r.push(n + i);
            r.extend(column[i].iter().rev().copied());
            faces.push(Face::new(r));
        }
        Polyhedron::new(v, vec![Shell { faces }])
    }

    fn mesh(p: &Polyhedron) -> TriMesh {
        TriMesh::new(p).unwrap()
    }

    /// Corners of a box in a frame turned 30° about z at CGCS2000 coordinates: `u` across the
    /// shared wall, `v` along it.
    fn turned(u0: f64, u1: f64) -> Vec<(f64, f64)> {
        let (c, s) = (30f64.to_radians().cos(), 30f64.to_radians().sin());
        let (e, n) = (474_412.345, 4_418_207.891);
        let at = |u: f64, v: f64| (e + u * c - v * s, n + u * s + v * c);
        vec![at(u0, 0.0), at(u1, 0.0), at(u1, 10.0), at(u0, 10.0)]
    }

    #[test]
    fn boxes_sharing_a_turned_wall_with_t_junctions_touch() {
        // The shared wall is corners 1, 2 of the left box and 0, 3 of the right box; each
        // side splits its vertical edges elsewhere, so the walls are triangulated differently.
        let left = turned(-10.0, 0.0);
        let mut right = turned(0.0, 10.0);
        right[0] = left[1];
        right[3] = left[2];
        let a = prism(&left, 12.0, 17.0, &[(1, 13.3), (2, 15.1), (2, 16.2)]);
        let b = prism(&right, 12.0, 17.0, &[(0, 14.7), (3, 12.9)]);
        let (ma, mb) = (mesh(&a), mesh(&b));
        let r = relate(&ma, &mb, false);
        assert!(r.touch);
        assert!(!r.interiors_meet(), "{r:?}");
        assert!(!relate(&mb, &ma, false).interiors_meet());
        // Moved 0.15 mm into the left box across the wall, they overlap.
        let into = turned(-0.00015, 10.0);
        let c = mesh(&prism(&into, 12.0, 17.0, &[(0, 14.7), (3, 12.9)]));
        assert!(relate(&ma, &c, false).interiors_meet());
        assert!(relate(&c, &ma, false).interiors_meet());
    }

    #[test]
    fn identical_nested_and_inscribed_solids() {
        let cube = Polyhedron::cuboid(Point3::new(0.0, 0.0, 0.0), Point3::new(2.0, 2.0, 2.0));
        let m = mesh(&cube);
        let r = relate(&m, &m, false);
        assert!(!r.a_in_b && !r.a_out_b && !r.b_in_a && r.shared_area > 7.9);
        assert!(crate::geometry::algorithm::interiors_meet(&m, &m));
        // One inside the other, sharing part of its bottom face.
        let small = mesh(&Polyhedron::cuboid(
            Point3::new(0.5, 0.5, 0.0),
            Point3::new(1.5, 1.5, 1.0),
        ));
        let r = relate(&small, &m, false);
        assert!(r.a_in_b && !r.a_out_b && !r.pierce && r.interiors_meet());
        // A tetrahedron inscribed in the cube: all its vertices and edges on the cube's
        // surface, its faces through the interior.
        let t = Polyhedron::new(
            vec![
                Point3::new(0.0, 0.0, 0.0),
                Point3::new(2.0, 2.0, 0.0),
                Point3::new(2.0, 0.0, 2.0),
                Point3::new(0.0, 2.0, 2.0),
            ],
            vec![Shell {
                faces: vec![
                    Face::new(vec![0, 1, 2]),
                    Face::new(vec![0, 3, 1]),
                    Face::new(vec![0, 2, 3]),
                    Face::new(vec![1, 3, 2]),
                ],
            }],
        );
        assert!(t.shell_signed_volume(&t.shells[0]) > 0.0);
        let mt = mesh(&t);
        let r = relate(&mt, &m, false);
        assert!(r.a_in_b && !r.a_out_b && !r.pierce, "{r:?}");
        assert!(r.interiors_meet());
        assert!(relate(&m, &mt, false).interiors_meet());
        // A long diagonal of the cube as a chord: a thin tetrahedron between two opposite
        // corners and a point of an edge, on the surface only at its ends.
        let stacked = mesh(&Polyhedron::cuboid(
            Point3::new(0.0, 0.0, 2.0),
            Point3::new(2.0, 2.0, 4.0),
        ));
        assert!(!relate(&m, &stacked, false).interiors_meet());
    }

    #[test]
    fn the_same_surface_listed_in_another_order_is_found_by_hashing() {
        use crate::generate::solids::uv_sphere;
        let c = Point3::new(474_412.345, 4_418_207.891, 30.0);
        let s = uv_sphere(c, 10.0, 60, 120);
        let mut shuffled = s.clone();
        shuffled.vertices.reverse();
        let last = s.vertices.len() - 1;
        for f in &mut shuffled.shells[0].faces {
            for r in &mut f.rings {
                for i in r.iter_mut() {
                    *i = last - *i;
                }
                r.rotate_left(1);
            }
        }
        shuffled.shells[0].faces.reverse();
        let (a, b) = (mesh(&s), mesh(&shuffled));
        let t = std::time::Instant::now();
        assert!(same_surface(&a, &b, 0.001));
        assert!(t.elapsed().as_secs_f64() < 1.0);
        let moved = mesh(&s.translated(&crate::geometry::Vector3::new(0.0, 0.0, 0.002)));
        assert!(!same_surface(&a, &moved, 0.001));
        let near = mesh(&s.translated(&crate::geometry::Vector3::new(0.0, 0.0, 0.0005)));
        assert!(same_surface(&a, &near, 0.001));
    }
}
