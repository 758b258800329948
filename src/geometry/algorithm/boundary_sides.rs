//! Where the surface of one closed solid lies relative to another, decided exactly: whether
//! some point of `∂A` lies strictly inside `B`, and whether some lies strictly outside.
//!
//! For valid solids whose interiors are connected, the interiors of `A` and `B` meet exactly
//! when some point of `∂A` lies strictly inside `B`, or some point of `∂B` strictly inside `A`,
//! or the two are the same solid. No floating-point sample point is used: a midpoint of a
//! shared wall turned 30° and rounded to `f64` lands a rounding error inside the neighbour,
//! and solids that only touch would be found overlapping.
//!
//! The decision, cheapest first:
//! 1. every vertex of `A` is located in `B` exactly;
//! 2. an edge of one surface that pierces the relative interior of a triangle of the other
//!    (endpoints strictly on both sides, exact `orient3d` signs) has points strictly inside and
//!    strictly outside the other solid: near the piercing point the other solid is a
//!    half-space, or, for an edge piercing a face, a wedge crossed by the face;
//! 3. what is left are contacts along edges, vertices and coplanar faces: each edge of `A` that
//!    touches `∂B` is cut where it meets the triangles of `B` (exact rational parameters) and
//!    the middle of every piece is located exactly — a chord whose ends lie on `∂B`, an edge
//!    that crosses an edge of `B`, an edge lying on a face of `B`; and the centroid of every
//!    triangle of `A` that touches `∂B` is located exactly (a face of a tetrahedron inscribed
//!    in a cube, a face in the interior of a coplanar face).

use num_rational::BigRational;
use num_traits::{One, Zero};

use crate::geometry::exact::{ExactPoint, orient2d_value, plane_value_of};
use crate::geometry::mesh::{INDEX_THRESHOLD, PointLocation};
use crate::geometry::triangle::{
    SegmentContact, projection_axis, segment_triangle, triangles_intersect,
};
use crate::geometry::{Point3, TriMesh};

/// Where the surface of one solid lies relative to another.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Sides {
    /// Some point of the surface lies strictly inside the other solid.
    pub inside: bool,
    /// Some point of the surface lies strictly outside the other solid.
    pub outside: bool,
}

/// The pairs of triangles of two meshes that share a point, and whether an edge of one
/// pierces the relative interior of a triangle of the other.
#[derive(Debug, Clone, Default)]
pub struct Contacts {
    /// `(triangle of a, triangle of b)` for every pair of closed triangles that meet.
    pub pairs: Vec<(usize, usize)>,
    /// Some edge pierces a triangle of the other mesh.
    pub pierce: bool,
}

/// The triangles of `a` and `b` that meet, found through their indexes.
pub fn contacts(a: &TriMesh, b: &TriMesh) -> Contacts {
    let mut c = Contacts::default();
    if !a.aabb().intersects(&b.aabb()) {
        return c;
    }
    let mut visit = |i: usize, j: usize| {
        let (t, u) = (a.corners(i), b.corners(j));
        if triangles_intersect(t, u) {
            c.pairs.push((i, j));
            c.pierce = c.pierce || pierces(t, u) || pierces(u, t);
        }
    };
    if a.triangles.len().max(b.triangles.len()) < INDEX_THRESHOLD {
        // Small meshes (prisms): a scan is cheaper than two trees.
        for (i, bi) in a.boxes.iter().enumerate() {
            for (j, bj) in b.boxes.iter().enumerate() {
                if bi.intersects(bj) {
                    visit(i, j);
                }
            }
        }
    } else {
        for (i, j) in a.index().pairs(b.index()) {
            visit(i, j);
        }
    }
    c.pairs.sort_unstable();
    c
}

/// True when an edge of `t` pierces the relative interior of `u`.
pub(crate) fn pierces(t: [&Point3; 3], u: [&Point3; 3]) -> bool {
    (0..3)
        .any(|i| segment_triangle(t[i], t[(i + 1) % 3], u[0], u[1], u[2]) == SegmentContact::Pierce)
}

/// True when the interiors of the closed, valid solids bounded by `a` and `b` (outer shells)
/// share a point, or the two are the same solid; decided exactly.
///
/// Two boxes that share a wall turned 30° touch; moved 0.15 mm into each other they overlap:
///
/// ```
/// use strata::geometry::{Point3, Polyhedron, TriMesh};
/// use strata::geometry::algorithm::interiors_meet;
/// let b = |x: f64| TriMesh::new(&Polyhedron::cuboid(Point3::new(x, 0.0, 0.0), Point3::new(x + 1.0, 1.0, 1.0))).unwrap();
/// assert!(!interiors_meet(&b(0.0), &b(1.0)));
/// assert!(interiors_meet(&b(0.0), &b(0.99985)));
/// assert!(interiors_meet(&b(0.0), &b(0.0)));
/// ```
pub fn interiors_meet(a: &TriMesh, b: &TriMesh) -> bool {
    let c = contacts(a, b);
    if c.pierce {
        return true;
    }
    if boundary_sides(a, b, &c.pairs, false).inside {
        return true;
    }
    let swapped: Vec<(usize, usize)> = c.pairs.iter().map(|&(i, j)| (j, i)).collect();
    if boundary_sides(b, a, &swapped, false).inside {
        return true;
    }
    // Neither surface has a point inside the other: the same solid, or apart.
    !boundary_sides(a, b, &c.pairs, true).outside
}

/// Where the surface `a` lies relative to the solid bounded by `b`, given the pairs of
/// triangles that meet (`(triangle of a, triangle of b)`, sorted, as [`contacts`] gives them)
/// and no piercing. With `want_outside` false the search stops as soon as a point inside is
/// found.
pub fn boundary_sides(
    a: &TriMesh,
    b: &TriMesh,
    touching: &[(usize, usize)],
    want_outside: bool,
) -> Sides {
    let mut s = Sides::default();
    let done = |s: &Sides| s.inside && (s.outside || !want_outside);
    let bbox = b.aabb();
    let mut used: Vec<usize> = a.triangles.iter().flat_map(|t| t.v).collect();
    used.sort_unstable();
    used.dedup();
    for &v in &used {
        let p = &a.vertices[v];
        let loc = if bbox.contains(p) {
            b.locate(p)
        } else {
            PointLocation::Outside
        };
        record(&mut s, loc);
        if done(&s) {
            return s;
        }
    }
    // Triangles of `a` that touch `∂b`, each with the triangles of `b` it meets.
    let mut k = 0;
    let mut edges_done = std::collections::HashSet::new();
    while k < touching.len() {
        let i = touching[k].0;
        let end = k + touching[k..].iter().take_while(|p| p.0 == i).count();
        let others: Vec<usize> = touching[k..end].iter().map(|p| p.1).collect();
        k = end;
        let t = a.triangles[i].v;
        for e in 0..3 {
            let (u, v) = (t[e], t[(e + 1) % 3]);
            if !edges_done.insert((u.min(v), u.max(v))) {
                continue;
            }
            edge_sides(&a.vertices[u], &a.vertices[v], b, &others, &mut s);
            if done(&s) {
                return s;
            }
        }
        let [x, y, z] = a.corners(i);
        record(&mut s, b.locate_exact(&ExactPoint::average(&[x, y, z])));
        if done(&s) {
            return s;
        }
    }
    s
}

fn record(s: &mut Sides, loc: PointLocation) {
    match loc {
        PointLocation::Inside => s.inside = true,
        PointLocation::Outside => s.outside = true,
        PointLocation::Boundary => {}
    }
}

/// Cuts the edge `p q` where it meets the triangles `others` of `b` and locates the middle of
/// every piece exactly. Between two cuts the open piece does not meet `∂b` or lies on it, so
/// its middle tells for all of it.
fn edge_sides(p: &Point3, q: &Point3, b: &TriMesh, others: &[usize], s: &mut Sides) {
    let mut cuts: Vec<BigRational> = vec![BigRational::zero(), BigRational::one()];
    for &j in others {
        let [x, y, z] = b.corners(j);
        if segment_triangle(p, q, x, y, z) == SegmentContact::None {
            continue;
        }
        let (dp, dq) = (plane_value_of(x, y, z, p), plane_value_of(x, y, z, q));
        if dp != dq {
            push_cut(&mut cuts, &dp, &dq);
        } else if dp.is_zero() {
            // In the plane of the triangle: cut where the edge crosses the lines of its sides.
            let axis = projection_axis(x, y, z);
            for (m, n) in [(x, y), (y, z), (z, x)] {
                let (op, oq) = (orient2d_value(m, n, p, axis), orient2d_value(m, n, q, axis));
                if op != oq {
                    push_cut(&mut cuts, &op, &oq);
                }
            }
        }
    }
    cuts.sort();
    cuts.dedup();
    let two = BigRational::from_integer(2.into());
    for w in cuts.windows(2) {
        let mid = (&w[0] + &w[1]) / &two;
        record(s, b.locate_exact(&ExactPoint::along(p, q, &mid)));
        if s.inside && s.outside {
            return;
        }
    }
}

/// The parameter where a value affine along the edge, `vp` at `p` and `vq` at `q`, is zero,
/// when it lies on the edge.
fn push_cut(cuts: &mut Vec<BigRational>, vp: &BigRational, vq: &BigRational) {
    let t = vp / (vp - vq);
    if t > BigRational::zero() && t < BigRational::one() {
        cuts.push(t);
    }
}
