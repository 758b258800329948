//! How deep two solids overlap: whether a cube or a ball of a given size fits in the volume
//! they share.
//!
//! * val3dity's overlap tolerance (`--overlap_tol`) erodes each solid by the axis-aligned cube
//!   of half-side `r`. Erosion distributes over intersection, so the eroded solids overlap
//!   exactly when such a cube fits in `A ∩ B`: when the L∞ distance from some point of
//!   `A ∩ B` to its boundary exceeds `r` ([`overlaps_after_erosion`]).
//! * The thickness of an overlap, against which the conflict engine tells a sliver from an
//!   overlap, is the diameter of the largest ball in it: the same question in the Euclidean
//!   norm ([`ball_in_overlap`]).
//!
//! The distance to the boundary, `f`, is 1-Lipschitz, so a box around a point `c` holds no
//! value above `f(c)` plus the box's radius in that norm (its largest half-side for L∞, its
//! half-diagonal for the Euclidean norm). Boxes are refined best-first and dropped once that
//! bound is no larger than the size asked (the search of a pole of inaccessibility, in 3D).

use std::cmp::Ordering;
use std::collections::BinaryHeap;

use crate::geometry::mesh::PointLocation;
use crate::geometry::{Point3, TriMesh, Vector3};

/// Overlaps deeper than the size asked by less than this (metres) are not told apart from
/// overlaps of exactly that size: a tenth of the millimetre to which survey coordinates are
/// given.
pub const EROSION_PRECISION: f64 = 1e-4;

/// Boxes examined before the search gives up looking for a deeper point: reached when the
/// overlap is a sheet close to the size asked over square metres (parts of a building that
/// overlap by a few millimetres along a wall), where boxes must shrink to the gap between
/// the two. The search examines the most promising boxes first, so an overlap clearly deeper
/// is found long before; what is left undecided then counts as not deeper. About 0.1 s for
/// two solids of a hundred faces.
const MAX_BOXES: usize = 20_000;

/// Whether the closed solids bounded by `a` and `b` still overlap when each is eroded by the
/// axis-aligned cube of half-side `r` (metres), as val3dity's overlap tolerance erodes them.
///
/// Two unit cubes overlapping by a 1 cm slab overlap after an erosion by 4 mm, not after one
/// by 5 mm:
///
/// ```
/// use strata::geometry::{Point3, Polyhedron, TriMesh};
/// use strata::geometry::algorithm::overlaps_after_erosion;
/// let cube = |x: f64| {
///     TriMesh::new(&Polyhedron::cuboid(Point3::new(x, 0.0, 0.0), Point3::new(x + 1.0, 1.0, 1.0))).unwrap()
/// };
/// let (a, b) = (cube(0.0), cube(0.99));
/// assert!(overlaps_after_erosion(&a, &b, 0.004));
/// assert!(!overlaps_after_erosion(&a, &b, 0.005));
/// ```
pub fn overlaps_after_erosion(a: &TriMesh, b: &TriMesh, r: f64) -> bool {
    deeper_than(a, b, r, Norm::Max).is_some()
}

/// If a ball larger than `diameter` (metres) fits in the volume the closed solids bounded by
/// `a` and `b` share, the diameter of one such ball (a lower bound of the overlap's thickness).
///
/// A 0.3 m cube of overlap is 0.3 m thick, though its mean thickness `2V/S` is 0.1 m:
///
/// ```
/// use strata::geometry::{Point3, Polyhedron, TriMesh};
/// use strata::geometry::algorithm::ball_in_overlap;
/// let cube = |o: f64, side: f64| {
///     TriMesh::new(&Polyhedron::cuboid(Point3::new(o, o, o), Point3::new(o + side, o + side, o + side))).unwrap()
/// };
/// let (a, b) = (cube(0.0, 1.0), cube(0.7, 1.0));
/// let found = ball_in_overlap(&a, &b, 0.25).unwrap();
/// assert!(found > 0.25 && found <= 0.3 + 1e-9);
/// assert!(ball_in_overlap(&a, &b, 0.31).is_none());
/// ```
pub fn ball_in_overlap(a: &TriMesh, b: &TriMesh, diameter: f64) -> Option<f64> {
    deeper_than(a, b, diameter / 2.0, Norm::Euclid).map(|r| 2.0 * r)
}

/// The norm distances are measured in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Norm {
    /// L∞: cubes.
    Max,
    /// L2: balls.
    Euclid,
}

impl Norm {
    /// The radius of a box of half-sizes `h`: how far its points lie from its centre.
    fn radius(self, h: &Vector3) -> f64 {
        match self {
            Norm::Max => h.amax(),
            Norm::Euclid => h.norm(),
        }
    }

    fn to_triangle(self, p: &Point3, a: &Point3, b: &Point3, c: &Point3) -> f64 {
        match self {
            Norm::Max => linf_to_triangle(p, a, b, c),
            Norm::Euclid => (p - closest_on_triangle(p, a, b, c)).norm(),
        }
    }
}

/// A point of `A ∩ B` deeper than `r` in `norm`, if the search finds one: its depth.
fn deeper_than(a: &TriMesh, b: &TriMesh, r: f64, norm: Norm) -> Option<f64> {
    let (ba, bb) = (a.aabb(), b.aabb());
    // Centres of cubes or balls that fit in both lie in both boxes, shrunk by `r`.
    let lo = Point3::new(
        ba.min.x.max(bb.min.x) + r,
        ba.min.y.max(bb.min.y) + r,
        ba.min.z.max(bb.min.z) + r,
    );
    let hi = Point3::new(
        ba.max.x.min(bb.max.x) - r,
        ba.max.y.min(bb.max.y) - r,
        ba.max.z.min(bb.max.z) - r,
    );
    if !(lo.x < hi.x && lo.y < hi.y && lo.z < hi.z) {
        return None;
    }
    let depth = |p: &Point3| signed_distance(a, p, norm).min(signed_distance(b, p, norm));
    let cell = |min: Point3, max: Point3| {
        let c = nalgebra::center(&min, &max);
        let d = depth(&c);
        Cell {
            min,
            max,
            bound: d + norm.radius(&((max - min) / 2.0)),
            depth: d,
        }
    };
    let mut heap = BinaryHeap::new();
    heap.push(cell(lo, hi));
    let mut examined = 1;
    while let Some(c) = heap.pop() {
        if c.depth > r {
            return Some(c.depth);
        }
        if c.bound <= r + EROSION_PRECISION || examined >= MAX_BOXES {
            // The best box left cannot hold a deeper point (the heap is ordered by bound).
            return None;
        }
        // A shortcut to the middle of thin overlaps, where box centres seldom fall: the
        // midpoint of the chord through the centre, away from the nearest boundary point.
        if c.depth > 0.0
            && let Some(p) = chord_midpoint(a, b, &nalgebra::center(&c.min, &c.max))
        {
            let d = depth(&p);
            if d > r {
                return Some(d);
            }
        }
        let size = c.max - c.min;
        let longest = size.amax();
        // Split the axes at least half as long as the longest, so boxes stay near cubes.
        let split = [0, 1, 2].map(|k| size[k] >= longest / 2.0);
        let mid = nalgebra::center(&c.min, &c.max);
        for corner in 0..8usize {
            if (0..3).any(|k| corner >> k & 1 == 1 && !split[k]) {
                continue;
            }
            let mut min = c.min;
            let mut max = c.max;
            for k in 0..3 {
                if split[k] {
                    if corner >> k & 1 == 0 {
                        max[k] = mid[k];
                    } else {
                        min[k] = mid[k];
                    }
                }
            }
            let child = cell(min, max);
            examined += 1;
            if child.bound > r {
                heap.push(child);
            }
        }
    }
    None
}

/// A box of candidate centres, with the depth at its centre and the bound on its points.
struct Cell {
    min: Point3,
    max: Point3,
    bound: f64,
    depth: f64,
}

impl PartialEq for Cell {
    fn eq(&self, other: &Self) -> bool {
        self.bound == other.bound
    }
}
impl Eq for Cell {}
impl PartialOrd for Cell {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}
impl Ord for Cell {
    fn cmp(&self, other: &Self) -> Ordering {
        self.bound.total_cmp(&other.bound)
    }
}

/// For `p` inside both solids: the midpoint of the chord of `A ∩ B` through `p` along the
/// direction away from the nearest point of the two surfaces. In a slab it is the mid-plane.
fn chord_midpoint(a: &TriMesh, b: &TriMesh, p: &Point3) -> Option<Point3> {
    let triangles = || {
        [a, b]
            .into_iter()
            .flat_map(|m| (0..m.triangles.len()).map(move |i| m.corners(i)))
    };
    let (near, _) = triangles()
        .map(|[x, y, z]| {
            let q = closest_on_triangle(p, x, y, z);
            (q, (p - q).norm())
        })
        .min_by(|s, t| s.1.total_cmp(&t.1))?;
    let back = p - near;
    let d = back.norm();
    if d == 0.0 {
        return None;
    }
    let u = back / d;
    let exit = triangles()
        .filter_map(|[x, y, z]| ray_hits_triangle(p, &u, x, y, z))
        .fold(f64::INFINITY, f64::min);
    exit.is_finite().then(|| near + u * ((d + exit) / 2.0))
}

/// The distance along the ray `p + t·u` (t > 0) to where it meets the triangle `abc`.
fn ray_hits_triangle(p: &Point3, u: &Vector3, a: &Point3, b: &Point3, c: &Point3) -> Option<f64> {
    let (e1, e2) = (b - a, c - a);
    let h = u.cross(&e2);
    let det = e1.dot(&h);
    if det.abs() < 1e-15 * e1.norm() * e2.norm() {
        return None;
    }
    let s = p - a;
    let v = s.dot(&h) / det;
    let q = s.cross(&e1);
    let w = u.dot(&q) / det;
    let t = e2.dot(&q) / det;
    (v >= 0.0 && w >= 0.0 && v + w <= 1.0 && t > 0.0).then_some(t)
}

/// The distance from `p` to the surface of the solid, positive inside and negative outside.
fn signed_distance(m: &TriMesh, p: &Point3, norm: Norm) -> f64 {
    let d = (0..m.triangles.len())
        .map(|i| {
            let [a, b, c] = m.corners(i);
            norm.to_triangle(p, a, b, c)
        })
        .fold(f64::INFINITY, f64::min);
    match m.locate(p) {
        PointLocation::Inside => d,
        PointLocation::Boundary => 0.0,
        PointLocation::Outside => -d,
    }
}

/// The point of the triangle `abc` closest to `p` (by the regions of its vertices, edges and
/// face, in barycentric terms).
fn closest_on_triangle(p: &Point3, a: &Point3, b: &Point3, c: &Point3) -> Point3 {
    let (ab, ac, ap) = (b - a, c - a, p - a);
    let (d1, d2) = (ab.dot(&ap), ac.dot(&ap));
    if d1 <= 0.0 && d2 <= 0.0 {
        return *a;
    }
    let bp = p - b;
    let (d3, d4) = (ab.dot(&bp), ac.dot(&bp));
    if d3 >= 0.0 && d4 <= d3 {
        return *b;
    }
    let vc = d1 * d4 - d3 * d2;
    if vc <= 0.0 && d1 >= 0.0 && d3 <= 0.0 {
        return a + ab * (d1 / (d1 - d3));
    }
    let cp = p - c;
    let (d5, d6) = (ab.dot(&cp), ac.dot(&cp));
    if d6 >= 0.0 && d5 <= d6 {
        return *c;
    }
    let vb = d5 * d2 - d1 * d6;
    if vb <= 0.0 && d2 >= 0.0 && d6 <= 0.0 {
        return a + ac * (d2 / (d2 - d6));
    }
    let va = d3 * d6 - d5 * d4;
    if va <= 0.0 && d4 - d3 >= 0.0 && d5 - d6 >= 0.0 {
        return b + (c - b) * ((d4 - d3) / ((d4 - d3) + (d5 - d6)));
    }
    let denom = va + vb + vc;
    if denom == 0.0 {
        // A degenerate triangle: its closest point lies on one of its edges.
        return [(a, b), (b, c), (c, a)]
            .into_iter()
            .map(|(u, v)| {
                let d = v - u;
                let t = if d.norm_squared() > 0.0 {
                    ((p - u).dot(&d) / d.norm_squared()).clamp(0.0, 1.0)
                } else {
                    0.0
                };
                u + d * t
            })
            .min_by(|x, y| (p - x).norm().total_cmp(&(p - y).norm()))
            .unwrap_or(*a);
    }
    a + ab * (vb / denom) + ac * (vc / denom)
}

/// The L∞ distance from `p` to the triangle `abc`: half the side of the smallest cube centred
/// on `p` that meets it.
///
/// The nearest point is inside the triangle, where a corner of the growing cube first touches
/// the triangle's plane, or on one of its edges.
fn linf_to_triangle(p: &Point3, a: &Point3, b: &Point3, c: &Point3) -> f64 {
    let n = (b - a).cross(&(c - a));
    let l1 = n.x.abs() + n.y.abs() + n.z.abs();
    if l1 > 0.0 {
        let s = n.dot(&(p - a)) / l1;
        // The touching corner: p moved by |s| along each axis, against the side p lies on.
        let t = p - Vector3::new(n.x.signum(), n.y.signum(), n.z.signum()) * s;
        if inside_triangle(&t, a, b, c, &n) {
            return s.abs();
        }
    }
    linf_to_segment(p, a, b)
        .min(linf_to_segment(p, b, c))
        .min(linf_to_segment(p, c, a))
}

/// Whether `t`, on the plane of `abc` (normal `n`), lies in the closed triangle.
fn inside_triangle(t: &Point3, a: &Point3, b: &Point3, c: &Point3, n: &Vector3) -> bool {
    let edge = |u: &Point3, v: &Point3| (v - u).cross(&(t - u)).dot(n);
    let scale = n.norm_squared() * 1e-12;
    edge(a, b) >= -scale && edge(b, c) >= -scale && edge(c, a) >= -scale
}

/// The L∞ distance from `p` to the segment `ab`.
///
/// Along the segment, each coordinate's distance `|cᵢ - u·dᵢ|` is a V-shaped function of
/// `u ∈ [0, 1]` and the distance is their maximum, which is smallest at an end of the segment,
/// where two of them cross, or where one is zero.
fn linf_to_segment(p: &Point3, a: &Point3, b: &Point3) -> f64 {
    let d = b - a;
    let c = p - a;
    let at = |u: f64| (c - d * u).amax();
    let mut best = at(0.0).min(at(1.0));
    let mut try_u = |u: f64| {
        if u.is_finite() && (0.0..=1.0).contains(&u) {
            best = best.min(at(u));
        }
    };
    for i in 0..3 {
        try_u(c[i] / d[i]);
        for j in i + 1..3 {
            try_u((c[i] - c[j]) / (d[i] - d[j]));
            try_u((c[i] + c[j]) / (d[i] + d[j]));
        }
    }
    best
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::geometry::algorithm::box_mesh as cuboid;

    #[test]
    fn linf_distance_to_a_triangle_by_hand() {
        let (a, b, c) = (
            Point3::new(0.0, 0.0, 0.0),
            Point3::new(4.0, 0.0, 0.0),
            Point3::new(0.0, 4.0, 0.0),
        );
        // Above the interior: straight down.
        assert_eq!(
            linf_to_triangle(&Point3::new(1.0, 1.0, 3.0), &a, &b, &c),
            3.0
        );
        // Beyond the corner a: the nearest point is a itself, 2 away in x and y, 1 in z.
        assert_eq!(
            linf_to_triangle(&Point3::new(-2.0, -2.0, 1.0), &a, &b, &c),
            2.0
        );
        // Beside the hypotenuse x + y = 4, at height 0: the cube reaches it at half the gap.
        assert_eq!(
            linf_to_triangle(&Point3::new(3.0, 3.0, 0.0), &a, &b, &c),
            1.0
        );
        // A tilted plane x + y + z = 3: a corner touches it after |p·n - 3| / 3.
        let (a, b, c) = (
            Point3::new(3.0, 0.0, 0.0),
            Point3::new(0.0, 3.0, 0.0),
            Point3::new(0.0, 0.0, 3.0),
        );
        assert!((linf_to_triangle(&Point3::new(0.0, 0.0, 0.0), &a, &b, &c) - 1.0).abs() < 1e-12);
    }

    #[test]
    fn a_slab_of_overlap_passes_a_tolerance_of_half_its_thickness() {
        let a = cuboid([0.0, 0.0, 0.0], [10.0, 10.0, 3.0]);
        // 0.2 m of overlap in z.
        let b = cuboid([2.0, 2.0, 2.8], [8.0, 8.0, 6.0]);
        assert!(overlaps_after_erosion(&a, &b, 0.09));
        assert!(!overlaps_after_erosion(&a, &b, 0.11));
        let apart = cuboid([20.0, 0.0, 0.0], [30.0, 10.0, 3.0]);
        assert!(!overlaps_after_erosion(&a, &apart, 0.0001));
    }

    fn prism(ring: &[(f64, f64)], z_bottom: f64, z_top: f64) -> TriMesh {
        use crate::geometry::Prism;
        use crate::geometry::algorithm::ToPolyhedra;
        let footprint = geo::Polygon::new(ring.to_vec().into(), vec![]);
        let poly = Prism::new(footprint, z_bottom, z_top)
            .to_polyhedra()
            .remove(0);
        TriMesh::new(&poly).unwrap()
    }

    /// An L-shaped prism, two arms 1 m wide and 7 m long, 5 m tall.
    fn l_prism() -> TriMesh {
        prism(
            &[
                (0.0, 0.0),
                (7.0, 0.0),
                (7.0, 1.0),
                (1.0, 1.0),
                (1.0, 7.0),
                (0.0, 7.0),
            ],
            0.0,
            5.0,
        )
    }

    #[test]
    fn non_convex_overlap_is_measured_where_it_is_deepest() {
        // An L-shaped prism (two arms 1 m wide) crossing a tall box: the overlap is the L's
        // arms inside the box, 1 m thick, though their bounding boxes overlap by 6 m.
        let l = l_prism();
        let b = cuboid([-1.0, -1.0, 1.0], [6.0, 6.0, 4.0]);
        assert!(overlaps_after_erosion(&l, &b, 0.45));
        assert!(!overlaps_after_erosion(&l, &b, 0.55));
    }

    #[test]
    fn a_rotated_overlap_uses_the_cube_not_the_ball() {
        // A square turned 45° (|x| + |y| ≤ √2) whose tip x ≥ √2 - 1 lies in an axis-aligned
        // box. The tip is a triangle with corners (√2 - 1, ±1) and (√2, 0); the largest
        // axis-aligned square in it spans x from √2 - 1 to √2 - 1 + 2h with |y| ≤ h ≤ 1 - 2h:
        // half-side 1/3. The largest ball in the tip has radius √2 - 1 ≈ 0.41: a ball would
        // still call 0.34 an overlap, the cube of val3dity does not.
        let s = std::f64::consts::SQRT_2;
        let diamond = prism(&[(0.0, -s), (s, 0.0), (0.0, s), (-s, 0.0)], 0.0, 2.0);
        let square = cuboid([s - 1.0, -5.0, -1.0], [s + 5.0, 5.0, 3.0]);
        assert!(overlaps_after_erosion(&diamond, &square, 0.32));
        assert!(!overlaps_after_erosion(&diamond, &square, 0.34));
    }

    #[test]
    fn a_slanted_sheet_of_overlap_is_decided_within_the_budget() {
        // Two 10 m cubes turned 30° about z, overlapping by a 2 cm sheet across their turned
        // x axis u = (cos 30°, sin 30°, 0). A cube of half-side h fits in a sheet t thick when
        // 2h (|uₓ| + |u_y|) ≤ t: h = 0.02 / (2 · 1.366) = 0.00732 m.
        let (c, s) = (30f64.to_radians().cos(), 30f64.to_radians().sin());
        let turned = |x0: f64| {
            let corners = [(0.0, 0.0), (10.0, 0.0), (10.0, 10.0), (0.0, 10.0)];
            let ring: Vec<(f64, f64)> = corners
                .iter()
                .map(|&(x, y)| {
                    (
                        440_000.0 + (x + x0) * c - y * s,
                        4_410_000.0 + (x + x0) * s + y * c,
                    )
                })
                .collect();
            prism(&ring, 30.0, 40.0)
        };
        let (a, b) = (turned(0.0), turned(9.98));
        assert!(overlaps_after_erosion(&a, &b, 0.0070));
        assert!(!overlaps_after_erosion(&a, &b, 0.0075));
    }

    #[test]
    fn closest_point_on_a_triangle_by_hand() {
        let (a, b, c) = (
            Point3::new(0.0, 0.0, 0.0),
            Point3::new(4.0, 0.0, 0.0),
            Point3::new(0.0, 4.0, 0.0),
        );
        let at = |x: f64, y: f64, z: f64| closest_on_triangle(&Point3::new(x, y, z), &a, &b, &c);
        assert_eq!(at(1.0, 1.0, 5.0), Point3::new(1.0, 1.0, 0.0));
        assert_eq!(at(-1.0, -2.0, 1.0), a);
        assert_eq!(at(6.0, -1.0, 0.0), b);
        assert_eq!(at(2.0, -3.0, 0.0), Point3::new(2.0, 0.0, 0.0));
        assert_eq!(at(3.0, 3.0, 0.0), Point3::new(2.0, 2.0, 0.0));
    }

    #[test]
    fn the_ball_measures_thickness_where_the_cube_cannot() {
        // The L's arms inside the box are 1 m wide and 3 m tall, but at the elbow a ball
        // centred on the diagonal at (t, t) keeps t from the outer faces and √2 (1 - t) from
        // the inner corner: t = √2 / (1 + √2), a diameter of 1.1716 m.
        let l = l_prism();
        let b = cuboid([-1.0, -1.0, 1.0], [6.0, 6.0, 4.0]);
        assert!(ball_in_overlap(&l, &b, 1.16).is_some_and(|d| d > 1.16 && d <= 1.1716));
        assert!(ball_in_overlap(&l, &b, 1.175).is_none());
        // The tip of the turned square: the inscribed circle of the triangle with corners
        // (√2 - 1, ±1), (√2, 0) has radius 1 / (1 + √2) = √2 - 1; its diameter 0.828 m is
        // larger than the largest cube's side, 2/3 m.
        let s = std::f64::consts::SQRT_2;
        let diamond = prism(&[(0.0, -s), (s, 0.0), (0.0, s), (-s, 0.0)], 0.0, 2.0);
        let square = cuboid([s - 1.0, -5.0, -1.0], [s + 5.0, 5.0, 3.0]);
        assert!(ball_in_overlap(&diamond, &square, 0.80).is_some());
        assert!(ball_in_overlap(&diamond, &square, 0.85).is_none());
        // Solids that only touch share no ball.
        let touching = cuboid([10.0, 0.0, 0.0], [20.0, 10.0, 3.0]);
        let a = cuboid([0.0, 0.0, 0.0], [10.0, 10.0, 3.0]);
        assert!(ball_in_overlap(&a, &touching, 0.0001).is_none());
    }
}
