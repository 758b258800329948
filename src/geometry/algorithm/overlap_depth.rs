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
//!
//! A box is dropped only when its bound is within [`DEPTH_PRECISION`] (relative) of the size
//! asked, so an overlap deeper than the size by a fraction of a millimetre is kept; a search
//! that runs out of boxes undecided (see `MAX_BOXES`) still answers "not deeper". Distances
//! are computed relative to a local origin; the Euclidean distance to a surface and the rays
//! of the chord shortcut go through parry3d's bounding-volume hierarchy, the L∞ distance
//! through the mesh's own R-tree, so each evaluation costs `O(log n)` for a mesh of `n`
//! triangles (plus the triangles near the point).

use std::cmp::Ordering;
use std::collections::BinaryHeap;

use parry3d_f64::math::{Pose, Vector};
use parry3d_f64::query::{PointQuery, Ray, RayCast};
use parry3d_f64::shape::{CompositeShapeRef, TriMesh as ParryMesh, Triangle};

use crate::geometry::mesh::PointLocation;
use crate::geometry::{Aabb, Point3, TriMesh, Vector3};

/// Overlaps deeper than the size asked by less than this fraction of it are not told apart
/// from overlaps of exactly that size: a millionth, 50 nm for a 5 cm tolerance, far below
/// the millimetre of survey coordinates, and still above the rounding of distances computed
/// relative to a local origin (about 1e-14 m for solids of a hundred metres).
pub const DEPTH_PRECISION: f64 = 1e-6;

/// Boxes examined before the search stops undecided: reached when the overlap is a sheet
/// slanted to the axes, close to the size asked, over square metres (parts of a building that
/// overlap by a few millimetres along a turned wall), where axis-aligned boxes must shrink to
/// the gap between the two. The search examines the most promising boxes first, so an
/// overlap clearly deeper is found long before. What is left undecided still counts as not
/// deeper: counting it as deeper reports the building parts of val3dity's case 601_1 (valid
/// with a 1 cm tolerance) as overlapping. Sheets parallel to two axes (horizontal slabs) are
/// decided by the sheet bound without reaching it.
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
    let origin = ba.union(&bb).min;
    let (Some(sa), Some(sb)) = (Surface::new(a, origin), Surface::new(b, origin)) else {
        return None;
    };
    let depth = |p: &Point3| {
        sa.signed_distance(p, norm)
            .0
            .min(sb.signed_distance(p, norm).0)
    };
    let precision = r * DEPTH_PRECISION;
    let cell = |min: Point3, max: Point3| {
        let c = nalgebra::center(&min, &max);
        let ((da, ta), (db, tb)) = (sa.signed_distance(&c, norm), sb.signed_distance(&c, norm));
        let d = da.min(db);
        Cell {
            min,
            max,
            bound: (d + norm.radius(&((max - min) / 2.0)))
                .min(sheet_bound(&sa, ta, &sb, tb, &min, &max, norm)),
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
        if c.bound <= r + precision {
            // The best box left cannot hold a deeper point (the heap is ordered by bound).
            return None;
        }
        if examined >= MAX_BOXES {
            // Undecided: counted as not deeper (see `MAX_BOXES`).
            return None;
        }
        // A shortcut to the middle of thin overlaps, where box centres seldom fall: the
        // midpoint of the chord through the centre, away from the nearest boundary point.
        if c.depth > 0.0
            && let Some(p) = chord_midpoint(&sa, &sb, &nalgebra::center(&c.min, &c.max))
        {
            let d = depth(&p);
            if d > r {
                return Some(d);
            }
        }
        // Split the axes at least half as long as the longest, so boxes stay near cubes.
        let size = c.max - c.min;
        let longest = size.amax();
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

/// A second bound on the depth in the box `min`–`max`, tight where the overlap is a sheet
/// between two faces: the depth at `p` is at most its distance to any triangle of either
/// surface, so at most the mean of its distances to the triangle `ta` of `a` and `tb` of `b`
/// (the nearest ones at the box's centre). That mean is convex, so its largest value in the
/// box is at a corner; across a sheet it is half the sheet's thickness wherever the box is.
fn sheet_bound(
    a: &Surface<'_>,
    ta: usize,
    b: &Surface<'_>,
    tb: usize,
    min: &Point3,
    max: &Point3,
    norm: Norm,
) -> f64 {
    (0..8)
        .map(|k: usize| {
            let corner = Point3::new(
                if k & 1 == 0 { min.x } else { max.x },
                if k & 2 == 0 { min.y } else { max.y },
                if k & 4 == 0 { min.z } else { max.z },
            );
            (a.to_triangle(&corner, ta, norm) + b.to_triangle(&corner, tb, norm)) / 2.0
        })
        .fold(f64::NEG_INFINITY, f64::max)
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

/// A solid's surface ready for distance queries: its mesh (exact point location, R-tree for
/// the L∞ distance) and the same triangles in parry3d, relative to `origin`.
struct Surface<'a> {
    mesh: &'a TriMesh,
    parry: ParryMesh,
    origin: Point3,
}

impl<'a> Surface<'a> {
    fn new(mesh: &'a TriMesh, origin: Point3) -> Option<Surface<'a>> {
        let parry = super::distance::to_parry(mesh, &origin)?;
        Some(Surface {
            mesh,
            parry,
            origin,
        })
    }

    fn local(&self, p: &Point3) -> Vector {
        let d = p - self.origin;
        Vector::new(d.x, d.y, d.z)
    }

    /// The point of the surface nearest to `p` (Euclidean), its distance and its triangle.
    fn nearest(&self, p: &Point3) -> (Point3, f64, usize) {
        let (id, proj) = CompositeShapeRef(&self.parry).project_local_point(self.local(p), false);
        let q = self.origin + Vector3::new(proj.point.x, proj.point.y, proj.point.z);
        let tri = (id as usize).min(self.mesh.triangles.len().saturating_sub(1));
        (q, (p - q).norm(), tri)
    }

    /// The distance from `p` to triangle `i` in `norm`.
    fn to_triangle(&self, p: &Point3, i: usize, norm: Norm) -> f64 {
        let [a, b, c] = self.mesh.corners(i);
        match norm {
            Norm::Max => linf_to_triangle(p, a, b, c),
            Norm::Euclid => {
                let t = Triangle::new(self.local(a), self.local(b), self.local(c));
                t.distance_to_local_point(self.local(p), true)
            }
        }
    }

    /// The distance along the ray `p + t·u` (t > 0) to the surface.
    fn ray_exit(&self, p: &Point3, u: &Vector3) -> Option<f64> {
        let ray = Ray::new(self.local(p), Vector::new(u.x, u.y, u.z));
        self.parry
            .cast_ray(&Pose::identity(), &ray, f64::MAX, false)
            .filter(|&t| t > 0.0)
    }

    /// The L∞ distance from `p` to the surface: no more than the L∞ distance to the nearest
    /// point in the Euclidean norm, `h`, so only the triangles meeting the cube of half-side
    /// `h` around `p` can be nearer.
    fn linf(&self, p: &Point3) -> (f64, usize) {
        let (q, _, tri) = self.nearest(p);
        let h = (p - q).amax();
        let cube = Aabb {
            min: p - Vector3::repeat(h),
            max: p + Vector3::repeat(h),
        };
        let m = self.mesh;
        m.index()
            .in_box(&cube)
            .map(|i| {
                let [a, b, c] = m.corners(i);
                (linf_to_triangle(p, a, b, c), i)
            })
            .fold((h, tri), |best, x| if x.0 < best.0 { x } else { best })
    }

    /// The distance from `p` to the surface, positive inside and negative outside, and the
    /// nearest triangle.
    fn signed_distance(&self, p: &Point3, norm: Norm) -> (f64, usize) {
        let (d, tri) = match norm {
            Norm::Max => self.linf(p),
            Norm::Euclid => {
                let (_, d, tri) = self.nearest(p);
                (d, tri)
            }
        };
        let s = match self.mesh.locate(p) {
            PointLocation::Inside => d,
            PointLocation::Boundary => 0.0,
            PointLocation::Outside => -d,
        };
        (s, tri)
    }
}

/// For `p` inside both solids: the midpoint of the chord of `A ∩ B` through `p` along the
/// direction away from the nearest point of the two surfaces. In a slab it is the mid-plane.
fn chord_midpoint(a: &Surface<'_>, b: &Surface<'_>, p: &Point3) -> Option<Point3> {
    let (na, nb) = (a.nearest(p), b.nearest(p));
    let (near, d, _) = if na.1 <= nb.1 { na } else { nb };
    if d == 0.0 {
        return None;
    }
    let u = (p - near) / d;
    let exit = [a.ray_exit(p, &u), b.ray_exit(p, &u)]
        .into_iter()
        .flatten()
        .fold(f64::INFINITY, f64::min);
    exit.is_finite().then(|| near + u * ((d + exit) / 2.0))
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
        // Within a thousandth of the half-thickness: decided by the sheet bound.
        assert!(overlaps_after_erosion(&a, &b, 0.0999));
        assert!(!overlaps_after_erosion(&a, &b, 0.1001));
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

    /// Two unit cubes turned 30° about z at CGCS2000 coordinates, the second moved along the
    /// turned x axis so that they overlap by a slab `t` thick.
    fn turned_cubes(t: f64) -> (TriMesh, TriMesh) {
        let (c, s) = (30f64.to_radians().cos(), 30f64.to_radians().sin());
        let turned = |x0: f64| {
            let corners = [(0.0, 0.0), (1.0, 0.0), (1.0, 1.0), (0.0, 1.0)];
            let ring: Vec<(f64, f64)> = corners
                .iter()
                .map(|&(x, y)| {
                    (
                        474_412.345 + (x + x0) * c - y * s,
                        4_418_207.891 + (x + x0) * s + y * c,
                    )
                })
                .collect();
            prism(&ring, 12.0, 13.0)
        };
        (turned(0.0), turned(1.0 - t))
    }

    #[test]
    fn an_overlap_deeper_than_the_tolerance_by_less_than_a_tenth_of_a_millimetre_is_kept() {
        // A 0.15 mm slab across the turned wall: a cube of half-side h fits when
        // 2h (cos 30° + sin 30°) ≤ 0.15 mm, h ≤ 0.0549 mm. A tolerance of 0.05 mm keeps the
        // overlap (it was lost when overlaps deeper by less than 0.1 mm counted as not
        // deeper); 0.1 mm does not.
        let (a, b) = turned_cubes(0.00015);
        assert!(overlaps_after_erosion(&a, &b, 0.00005));
        assert!(overlaps_after_erosion(&b, &a, 0.00005));
        assert!(overlaps_after_erosion(&a, &b, 0.000054));
        assert!(!overlaps_after_erosion(&a, &b, 0.0001));
        // Touching cubes share nothing, whatever the tolerance.
        let (a, b) = turned_cubes(0.0);
        assert!(!overlaps_after_erosion(&a, &b, 0.00005));
    }

    #[test]
    fn depth_on_finely_tessellated_spheres_is_analytic() {
        // Two spheres of radius 10 whose centres are 16 apart share a lens 4 thick on the
        // line of centres: the largest ball in it has diameter 4, the largest axis-aligned
        // cube (centred on the axis, along x) has half-side h with h² + (6 + h)² ... the
        // cube's corners reach the far sphere first: (8 - 6 - h)... checked against a bound
        // rather than solved: between the inscribed cube of the ball (h = 2/√3) and the ball.
        use crate::generate::solids::uv_sphere;
        let o = Point3::new(474_412.345, 4_418_207.891, 30.0);
        let s1 = TriMesh::new(&uv_sphere(o, 10.0, 100, 100)).unwrap();
        let s2 =
            TriMesh::new(&uv_sphere(o + Vector3::new(16.0, 0.0, 0.0), 10.0, 100, 100)).unwrap();
        let t = std::time::Instant::now();
        // The tessellation cuts a little off each sphere (the lens is then a bit thinner).
        let d = ball_in_overlap(&s1, &s2, 3.9).unwrap();
        assert!(d > 3.9 && d <= 4.0 + 1e-9, "{d}");
        assert!(ball_in_overlap(&s1, &s2, 4.01).is_none());
        assert!(overlaps_after_erosion(&s1, &s2, 1.0));
        assert!(!overlaps_after_erosion(&s1, &s2, 2.01));
        assert!(t.elapsed().as_secs_f64() < 20.0, "{:?}", t.elapsed());
    }
}
