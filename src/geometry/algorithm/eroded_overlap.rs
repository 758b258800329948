//! Whether two solids still overlap once each is eroded by a small cube: the overlap tolerance
//! of val3dity (`--overlap_tol`), which lets parts that overlap by a sliver pass.
//!
//! Eroding a solid `A` by the axis-aligned cube of half-side `r` leaves the centres of the
//! cubes that fit in `A`. Erosion distributes over intersection, so the eroded solids of `A`
//! and `B` overlap exactly when some cube of half-side `r` fits in `A ∩ B`, that is when the
//! L∞ distance from some point of `A ∩ B` to the boundary exceeds `r`. That distance, `f`, is
//! 1-Lipschitz in the L∞ norm, so a box of half-sizes `h` around a point `c` holds no value
//! above `f(c) + max(h)`: boxes are refined best-first and dropped once that bound is no
//! larger than `r` (the search of a pole of inaccessibility, in 3D and in the L∞ norm).

use std::cmp::Ordering;
use std::collections::BinaryHeap;

use crate::geometry::mesh::PointLocation;
use crate::geometry::{Point3, TriMesh, Vector3};

/// Overlaps deeper than the tolerance by less than this (metres) are not told apart from
/// overlaps of exactly the tolerance: a tenth of the millimetre to which survey coordinates are
/// given.
pub const EROSION_PRECISION: f64 = 1e-4;

/// Boxes examined before the search gives up looking for a deeper point: reached when the
/// overlap is a sheet close to twice the tolerance thick over square metres (parts of a
/// building that overlap by a few millimetres along a wall), where boxes must shrink to the
/// gap between the two. The search examines the most promising boxes first, so an overlap
/// clearly deeper than the tolerance is found long before; what is left undecided then counts
/// as within the tolerance. About 0.1 s for two solids of a hundred faces.
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
    let (ba, bb) = (a.aabb(), b.aabb());
    // Centres of cubes that fit in both lie in both boxes, shrunk by `r`.
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
        return false;
    }
    let depth = |p: &Point3| signed_distance(a, p).min(signed_distance(b, p));
    let cell = |min: Point3, max: Point3| {
        let c = nalgebra::center(&min, &max);
        let h = (max - min) / 2.0;
        let d = depth(&c);
        Cell {
            min,
            max,
            bound: d + h.x.max(h.y).max(h.z),
            depth: d,
        }
    };
    let mut heap = BinaryHeap::new();
    heap.push(cell(lo, hi));
    let mut examined = 1;
    while let Some(c) = heap.pop() {
        if c.depth > r {
            return true;
        }
        if c.bound <= r + EROSION_PRECISION || examined >= MAX_BOXES {
            // The best box left cannot hold a deeper point (the heap is ordered by bound).
            return false;
        }
        let size = c.max - c.min;
        let longest = size.x.max(size.y).max(size.z);
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
    false
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

/// The L∞ distance from `p` to the surface of the solid, positive inside and negative outside.
fn signed_distance(m: &TriMesh, p: &Point3) -> f64 {
    let d = (0..m.triangles.len())
        .map(|i| {
            let [a, b, c] = m.corners(i);
            linf_to_triangle(p, a, b, c)
        })
        .fold(f64::INFINITY, f64::min);
    match m.locate(p) {
        PointLocation::Inside => d,
        PointLocation::Boundary => 0.0,
        PointLocation::Outside => -d,
    }
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
    use crate::geometry::Polyhedron;

    fn cuboid(min: [f64; 3], max: [f64; 3]) -> TriMesh {
        TriMesh::new(&Polyhedron::cuboid(
            Point3::new(min[0], min[1], min[2]),
            Point3::new(max[0], max[1], max[2]),
        ))
        .unwrap()
    }

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

    #[test]
    fn non_convex_overlap_is_measured_where_it_is_deepest() {
        // An L-shaped prism (two arms 1 m wide) crossing a tall box: the overlap is the L's
        // arms inside the box, 1 m thick, though their bounding boxes overlap by 6 m.
        let l = prism(
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
        );
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
}
