//! Triangle predicates in 3D: segment–triangle and triangle–triangle intersection, exact in
//! their decisions (every sign comes from [`kernel`](super::kernel)).

use super::clip::triangle_overlap_area;
use super::kernel::{Orientation, dominant_axis, drop_axis, orient2d, side_of_plane};
use super::{Point3, Vector3};

/// How a segment meets a closed triangle.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SegmentContact {
    /// No common point.
    None,
    /// The segment crosses the triangle's plane strictly, through the triangle's interior:
    /// both endpoints strictly on opposite sides and the crossing point strictly inside.
    Pierce,
    /// Any other contact (an endpoint on the triangle, the segment through an edge or vertex,
    /// or the segment lying in the triangle's plane and meeting the triangle).
    Touch,
}

/// The right-hand normal `(b - a) × (c - a)` (length = twice the area).
pub fn normal(a: &Point3, b: &Point3, c: &Point3) -> Vector3 {
    (b - a).cross(&(c - a))
}

/// True when the three points are exactly collinear (the triangle has no area).
pub fn is_degenerate(a: &Point3, b: &Point3, c: &Point3) -> bool {
    (0..3).all(|axis| {
        orient2d(drop_axis(a, axis), drop_axis(b, axis), drop_axis(c, axis))
            == Orientation::Collinear
    })
}

/// The axis to drop so that the (non-degenerate) triangle projects without collapsing.
pub(crate) fn projection_axis(a: &Point3, b: &Point3, c: &Point3) -> usize {
    let axis = dominant_axis(&normal(a, b, c));
    if orient2d(drop_axis(a, axis), drop_axis(b, axis), drop_axis(c, axis))
        != Orientation::Collinear
    {
        return axis;
    }
    // Rounding of the float normal chose badly: take any axis that keeps an area.
    (0..3)
        .find(|&k| {
            orient2d(drop_axis(a, k), drop_axis(b, k), drop_axis(c, k)) != Orientation::Collinear
        })
        .unwrap_or(axis)
}

/// True when the 2D point `p` lies in the closed triangle `a b c` (any orientation).
pub fn in_triangle_2d(a: [f64; 2], b: [f64; 2], c: [f64; 2], p: [f64; 2]) -> bool {
    let s1 = orient2d(a, b, p).sign();
    let s2 = orient2d(b, c, p).sign();
    let s3 = orient2d(c, a, p).sign();
    let has_neg = s1 < 0 || s2 < 0 || s3 < 0;
    let has_pos = s1 > 0 || s2 > 0 || s3 > 0;
    !(has_neg && has_pos)
}

/// True when `p` lies on the closed triangle `a b c` in 3D.
pub fn point_on_triangle(p: &Point3, a: &Point3, b: &Point3, c: &Point3) -> bool {
    if side_of_plane(a, b, c, p) != 0 {
        return false;
    }
    let k = projection_axis(a, b, c);
    in_triangle_2d(
        drop_axis(a, k),
        drop_axis(b, k),
        drop_axis(c, k),
        drop_axis(p, k),
    )
}

/// True when the closed 2D segments `p q` and `r s` share a point.
pub fn segments_intersect_2d(p: [f64; 2], q: [f64; 2], r: [f64; 2], s: [f64; 2]) -> bool {
    use super::kernel::on_segment_2d;
    let o1 = orient2d(p, q, r).sign();
    let o2 = orient2d(p, q, s).sign();
    let o3 = orient2d(r, s, p).sign();
    let o4 = orient2d(r, s, q).sign();
    if o1 * o2 < 0 && o3 * o4 < 0 {
        return true;
    }
    (o1 == 0 && on_segment_2d(p, q, r))
        || (o2 == 0 && on_segment_2d(p, q, s))
        || (o3 == 0 && on_segment_2d(r, s, p))
        || (o4 == 0 && on_segment_2d(r, s, q))
}

/// How the closed segment `p q` meets the closed, non-degenerate triangle `a b c`.
pub fn segment_triangle(
    p: &Point3,
    q: &Point3,
    a: &Point3,
    b: &Point3,
    c: &Point3,
) -> SegmentContact {
    let sp = side_of_plane(a, b, c, p);
    let sq = side_of_plane(a, b, c, q);
    if sp * sq > 0 {
        return SegmentContact::None;
    }
    if sp == 0 && sq == 0 {
        // Coplanar: a 2D problem.
        let k = projection_axis(a, b, c);
        let (a2, b2, c2) = (drop_axis(a, k), drop_axis(b, k), drop_axis(c, k));
        let (p2, q2) = (drop_axis(p, k), drop_axis(q, k));
        let meets = in_triangle_2d(a2, b2, c2, p2)
            || in_triangle_2d(a2, b2, c2, q2)
            || segments_intersect_2d(p2, q2, a2, b2)
            || segments_intersect_2d(p2, q2, b2, c2)
            || segments_intersect_2d(p2, q2, c2, a2);
        return if meets {
            SegmentContact::Touch
        } else {
            SegmentContact::None
        };
    }
    // The segment crosses or touches the plane at one point: is that point in the triangle?
    // The signs of the tetrahedra (p, q, edge) tell on which side of each edge the line passes.
    let s1 = side_of_plane(p, q, a, b);
    let s2 = side_of_plane(p, q, b, c);
    let s3 = side_of_plane(p, q, c, a);
    let has_neg = s1 < 0 || s2 < 0 || s3 < 0;
    let has_pos = s1 > 0 || s2 > 0 || s3 > 0;
    if has_neg && has_pos {
        return SegmentContact::None;
    }
    if sp != 0 && sq != 0 && s1 != 0 && s2 != 0 && s3 != 0 {
        SegmentContact::Pierce
    } else {
        SegmentContact::Touch
    }
}

/// True when two closed, non-degenerate triangles share at least one point.
///
/// Two closed triangles meet exactly when an edge of one meets the other.
pub fn triangles_intersect(t: [&Point3; 3], u: [&Point3; 3]) -> bool {
    for i in 0..3 {
        let (p, q) = (t[i], t[(i + 1) % 3]);
        if segment_triangle(p, q, u[0], u[1], u[2]) != SegmentContact::None {
            return true;
        }
        let (p, q) = (u[i], u[(i + 1) % 3]);
        if segment_triangle(p, q, t[0], t[1], t[2]) != SegmentContact::None {
            return true;
        }
    }
    false
}

/// True when the two triangles are exactly coplanar.
pub fn coplanar(t: [&Point3; 3], u: [&Point3; 3]) -> bool {
    u.iter().all(|p| side_of_plane(t[0], t[1], t[2], p) == 0)
}

/// The area (m²) shared by two exactly coplanar triangles, by clipping one convex triangle
/// against the other ([`triangle_overlap_area`]) in the plane they are projected on, scaled
/// back to their plane. Zero when they only touch along an edge or at a point.
pub fn coplanar_overlap_area(t: [&Point3; 3], u: [&Point3; 3]) -> f64 {
    let k = projection_axis(t[0], t[1], t[2]);
    let n = normal(t[0], t[1], t[2]);
    let nn = n.norm();
    if nn == 0.0 {
        return 0.0;
    }
    let t2 = t.map(|p| drop_axis(p, k));
    let u2 = u.map(|p| drop_axis(p, k));
    triangle_overlap_area(&t2, &u2, t2[0]) * nn / n[k].abs()
}

/// The common segment of two non-coplanar triangles that meet, computed in floating point:
/// the overlap, along the line where their planes meet, of each triangle's section by the
/// other's plane. `None` when they do not meet; a zero-length segment for a point contact.
pub fn intersection_segment(t: [&Point3; 3], u: [&Point3; 3]) -> Option<(Point3, Point3)> {
    let nt = normal(t[0], t[1], t[2]);
    let nu = normal(u[0], u[1], u[2]);
    let dir = nt.cross(&nu);
    if dir.norm_squared() == 0.0 {
        return None;
    }
    let st = section(t, u)?;
    let su = section(u, t)?;
    let origin = st.0;
    let param = |p: &Point3| (p - origin).dot(&dir);
    let (mut a0, mut a1) = (param(&st.0), param(&st.1));
    if a0 > a1 {
        std::mem::swap(&mut a0, &mut a1);
    }
    let (mut b0, mut b1) = (param(&su.0), param(&su.1));
    if b0 > b1 {
        std::mem::swap(&mut b0, &mut b1);
    }
    let lo = a0.max(b0);
    let hi = a1.min(b1);
    if lo > hi {
        return None;
    }
    let d2 = dir.norm_squared();
    Some((origin + dir * (lo / d2), origin + dir * (hi / d2)))
}

/// The section of triangle `t` by the plane of `u`: a segment (possibly a point).
fn section(t: [&Point3; 3], u: [&Point3; 3]) -> Option<(Point3, Point3)> {
    let s: Vec<i8> = t
        .iter()
        .map(|p| side_of_plane(u[0], u[1], u[2], p))
        .collect();
    let nu = normal(u[0], u[1], u[2]);
    let dist = |p: &Point3| (p - u[0]).dot(&nu);
    let mut pts: Vec<Point3> = Vec::with_capacity(3);
    for i in 0..3 {
        let j = (i + 1) % 3;
        if s[i] == 0 {
            pts.push(*t[i]);
        }
        if s[i] * s[j] < 0 {
            let (di, dj) = (dist(t[i]), dist(t[j]));
            let w = di / (di - dj);
            pts.push(t[i] + (t[j] - t[i]) * w);
        }
    }
    match pts.len() {
        0 => None,
        1 => Some((pts[0], pts[0])),
        _ => {
            // Keep the two points farthest apart (a vertex on the plane may repeat).
            let mut best = (pts[0], pts[1]);
            let mut bd = (pts[1] - pts[0]).norm_squared();
            for i in 0..pts.len() {
                for j in i + 1..pts.len() {
                    let d = (pts[j] - pts[i]).norm_squared();
                    if d > bd {
                        bd = d;
                        best = (pts[i], pts[j]);
                    }
                }
            }
            Some(best)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(x: f64, y: f64, z: f64) -> Point3 {
        Point3::new(x, y, z)
    }

    #[test]
    fn segment_piercing_and_touching() {
        let (a, b, c) = (p(0.0, 0.0, 0.0), p(4.0, 0.0, 0.0), p(0.0, 4.0, 0.0));
        assert_eq!(
            segment_triangle(&p(1.0, 1.0, -1.0), &p(1.0, 1.0, 1.0), &a, &b, &c),
            SegmentContact::Pierce
        );
        assert_eq!(
            segment_triangle(&p(1.0, 1.0, 0.0), &p(1.0, 1.0, 1.0), &a, &b, &c),
            SegmentContact::Touch
        );
        assert_eq!(
            segment_triangle(&p(2.0, 0.0, -1.0), &p(2.0, 0.0, 1.0), &a, &b, &c),
            SegmentContact::Touch
        );
        assert_eq!(
            segment_triangle(&p(5.0, 5.0, -1.0), &p(5.0, 5.0, 1.0), &a, &b, &c),
            SegmentContact::None
        );
        assert_eq!(
            segment_triangle(&p(-1.0, 1.0, 0.0), &p(5.0, 1.0, 0.0), &a, &b, &c),
            SegmentContact::Touch
        );
        assert_eq!(
            segment_triangle(&p(-1.0, -1.0, 0.0), &p(-1.0, 5.0, 0.0), &a, &b, &c),
            SegmentContact::None
        );
    }

    #[test]
    fn coplanar_overlap_of_two_squares_halves() {
        let t = [&p(0.0, 0.0, 2.0), &p(2.0, 0.0, 2.0), &p(0.0, 2.0, 2.0)];
        let u = [&p(1.0, 0.0, 2.0), &p(3.0, 0.0, 2.0), &p(1.0, 2.0, 2.0)];
        // The overlap is the triangle (1,0) (2,0) (1,1): area 0.5.
        assert!((coplanar_overlap_area(t, u) - 0.5).abs() < 1e-12);
        // Touching along an edge only.
        let w = [&p(2.0, 0.0, 2.0), &p(0.0, 2.0, 2.0), &p(2.0, 2.0, 2.0)];
        assert!(coplanar_overlap_area(t, w).abs() < 1e-12);
        assert!(triangles_intersect(t, w));
    }

    #[test]
    fn crossing_triangles_give_their_common_segment() {
        let t = [&p(0.0, 0.0, 0.0), &p(4.0, 0.0, 0.0), &p(0.0, 4.0, 0.0)];
        let u = [&p(1.0, 1.0, -1.0), &p(1.0, 1.0, 1.0), &p(1.0, -3.0, 0.0)];
        assert!(triangles_intersect(t, u));
        let (a, b) = intersection_segment(t, u).unwrap();
        assert!(a.z.abs() < 1e-12 && b.z.abs() < 1e-12);
        assert!((a.x - 1.0).abs() < 1e-12 && (b.x - 1.0).abs() < 1e-12);
    }

    #[test]
    fn degenerate_triangle_is_found() {
        assert!(is_degenerate(
            &p(0.0, 0.0, 0.0),
            &p(1.0, 1.0, 1.0),
            &p(2.0, 2.0, 2.0)
        ));
        assert!(!is_degenerate(
            &p(0.0, 0.0, 0.0),
            &p(1.0, 1.0, 1.0),
            &p(2.0, 2.0, 2.5)
        ));
    }
}
