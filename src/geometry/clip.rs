//! Convex clipping in the plane: the working piece of every exact area and volume of
//! intersection. Side decisions are exact ([`orient2d`](super::kernel::orient2d())); the new
//! vertices where edges cross are computed in floating point, relative to a local origin.

use super::kernel::orient2d;

/// A 2D point.
pub type P2 = [f64; 2];

/// Twice the signed area of a closed ring (positive when counter-clockwise), relative to the
/// ring's first point.
pub fn twice_area(ring: &[P2]) -> f64 {
    let Some(&o) = ring.first() else {
        return 0.0;
    };
    let mut s = 0.0;
    for i in 1..ring.len().saturating_sub(1) {
        let (a, b) = (ring[i], ring[i + 1]);
        s += (a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0]);
    }
    s
}

/// The part of `poly` on the left of the directed line `a → b` (Sutherland–Hodgman step).
/// Works for any polygon `poly` (convex or not): the signed area of the result is the signed
/// area of `poly` restricted to the half-plane.
pub fn clip_half_plane(poly: &[P2], a: P2, b: P2, out: &mut Vec<P2>) {
    out.clear();
    let n = poly.len();
    if n == 0 {
        return;
    }
    let side = |p: P2| orient2d(a, b, p).sign();
    let mut prev = poly[n - 1];
    let mut sp = side(prev);
    for &cur in poly {
        let sc = side(cur);
        if sc >= 0 {
            if sp < 0 {
                out.push(cross_point(prev, cur, a, b));
            }
            out.push(cur);
        } else if sp > 0 {
            out.push(cross_point(prev, cur, a, b));
        }
        prev = cur;
        sp = sc;
    }
}

/// Where the segment `p q` crosses the line `a b` (floating point).
fn cross_point(p: P2, q: P2, a: P2, b: P2) -> P2 {
    let (dx, dy) = (q[0] - p[0], q[1] - p[1]);
    let (ex, ey) = (b[0] - a[0], b[1] - a[1]);
    let den = dx * ey - dy * ex;
    if den == 0.0 {
        return p;
    }
    let t = (((a[0] - p[0]) * ey - (a[1] - p[1]) * ex) / den).clamp(0.0, 1.0);
    [p[0] + t * dx, p[1] + t * dy]
}

/// Clips `poly` (any polygon) to the convex polygon `convex` given counter-clockwise.
/// Returns the clipped polygon (possibly with degenerate edges along the clip boundary).
pub fn clip_to_convex(poly: &[P2], convex: &[P2]) -> Vec<P2> {
    let mut cur = poly.to_vec();
    let mut next = Vec::with_capacity(poly.len() + convex.len());
    let n = convex.len();
    for i in 0..n {
        clip_half_plane(&cur, convex[i], convex[(i + 1) % n], &mut next);
        std::mem::swap(&mut cur, &mut next);
        if cur.is_empty() {
            break;
        }
    }
    cur
}

/// The area shared by two triangles (any orientation). Exact in its decisions; the area is
/// computed relative to `origin` for precision far from the CRS origin.
pub fn triangle_overlap_area(t: &[P2; 3], u: &[P2; 3], origin: P2) -> f64 {
    let rel = |p: &P2| [p[0] - origin[0], p[1] - origin[1]];
    let mut a: Vec<P2> = t.iter().map(rel).collect();
    let mut b: Vec<P2> = u.iter().map(rel).collect();
    if twice_area(&a) < 0.0 {
        a.reverse();
    }
    if twice_area(&b) < 0.0 {
        b.reverse();
    }
    twice_area(&clip_to_convex(&b, &a)).abs() / 2.0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn overlap_of_two_triangles() {
        let t = [[0.0, 0.0], [2.0, 0.0], [0.0, 2.0]];
        let u = [[1.0, 0.0], [3.0, 0.0], [1.0, 2.0]];
        assert!((triangle_overlap_area(&t, &u, [0.0, 0.0]) - 0.5).abs() < 1e-12);
        let far = [474_000.0, 4_418_000.0];
        let tf = t.map(|p| [p[0] + far[0], p[1] + far[1]]);
        let uf = u.map(|p| [p[0] + far[0], p[1] + far[1]]);
        assert!((triangle_overlap_area(&tf, &uf, far) - 0.5).abs() < 1e-9);
        // Touching along an edge: no area.
        let w = [[2.0, 0.0], [0.0, 2.0], [2.0, 2.0]];
        assert_eq!(triangle_overlap_area(&t, &w, [0.0, 0.0]), 0.0);
    }

    #[test]
    fn clipping_a_non_convex_polygon_keeps_its_area_inside() {
        // An L of area 3 clipped to the square [0,2]² keeps 3; to [0,1]² keeps 1.
        let l = [
            [0.0, 0.0],
            [2.0, 0.0],
            [2.0, 1.0],
            [1.0, 1.0],
            [1.0, 2.0],
            [0.0, 2.0],
        ];
        let sq = |s: f64| [[0.0, 0.0], [s, 0.0], [s, s], [0.0, s]];
        assert!((twice_area(&clip_to_convex(&l, &sq(2.0))) / 2.0 - 3.0).abs() < 1e-12);
        assert!((twice_area(&clip_to_convex(&l, &sq(1.0))) / 2.0 - 1.0).abs() < 1e-12);
    }
}
