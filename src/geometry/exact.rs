//! Points with exact rational coordinates, for the rare decisions that need a point which is
//! not an input vertex: the midpoint of a chord, the centroid of a triangle, a point between
//! two crossings along an edge.
//!
//! Every `f64` is a rational number, and so are the averages and affine combinations of input
//! points; the signs of [`kernel`](super::kernel)'s predicates at such points are computed here
//! with arbitrary-precision rationals, never rounded. Slow (big integers), so used only where
//! the floating-point points of the input cannot decide.

use num_bigint::BigInt;
use num_rational::BigRational;
use num_traits::{Signed, Zero};

use super::kernel::drop_axis;
use super::{Aabb, Point3};

/// The exact rational value of a finite `f64` (zero for a non-finite one, which validation
/// rejects long before).
pub fn rational(x: f64) -> BigRational {
    BigRational::from_float(x).unwrap_or_else(BigRational::zero)
}

/// A point with exact rational coordinates, and its nearest floating-point approximation.
#[derive(Debug, Clone, PartialEq)]
pub struct ExactPoint {
    /// x, y, z.
    pub coords: [BigRational; 3],
    /// The coordinates rounded to `f64` (within a relative error of about 1e-16).
    pub approx: Point3,
}

fn to_f64(q: &BigRational) -> f64 {
    use num_traits::ToPrimitive;
    q.to_f64().unwrap_or(0.0)
}

impl ExactPoint {
    /// An input point, exactly.
    pub fn from_point(p: &Point3) -> ExactPoint {
        ExactPoint {
            coords: [rational(p.x), rational(p.y), rational(p.z)],
            approx: *p,
        }
    }

    /// A point from exact coordinates.
    pub fn new(coords: [BigRational; 3]) -> ExactPoint {
        let approx = Point3::new(to_f64(&coords[0]), to_f64(&coords[1]), to_f64(&coords[2]));
        ExactPoint { coords, approx }
    }

    /// The average of input points, exactly: the midpoint of a segment, the centroid of a
    /// triangle.
    ///
    /// ```
    /// use strata::geometry::Point3;
    /// use strata::geometry::exact::ExactPoint;
    /// let a = Point3::new(0.1, 474_412.345, 1.0);
    /// let b = Point3::new(0.2, 474_412.346, 2.0);
    /// let m = ExactPoint::average(&[&a, &b]);
    /// assert!((m.approx.x - 0.15).abs() < 1e-15);
    /// ```
    pub fn average(points: &[&Point3]) -> ExactPoint {
        let n = BigRational::from_integer(BigInt::from(points.len().max(1)));
        let coords = [0, 1, 2].map(|k| {
            points
                .iter()
                .map(|p| rational(p[k]))
                .fold(BigRational::zero(), |s, v| s + v)
                / &n
        });
        ExactPoint::new(coords)
    }

    /// The point `p + s (q - p)` of the line through two input points, exactly.
    pub fn along(p: &Point3, q: &Point3, s: &BigRational) -> ExactPoint {
        let coords = [0, 1, 2].map(|k| {
            let (a, b) = (rational(p[k]), rational(q[k]));
            &a + (b - &a) * s
        });
        ExactPoint::new(coords)
    }

    /// A box certainly holding the point: its approximation widened by the rounding error.
    pub fn bbox(&self) -> Aabb {
        let pad = |v: f64| v.abs() * 4.0 * f64::EPSILON + f64::MIN_POSITIVE;
        let p = self.approx;
        let d = crate::geometry::Vector3::new(pad(p.x), pad(p.y), pad(p.z));
        Aabb {
            min: p - d,
            max: p + d,
        }
    }

    /// The exact comparison of coordinate `axis` with `v`.
    pub fn cmp_coord(&self, axis: usize, v: f64) -> std::cmp::Ordering {
        self.coords[axis].cmp(&rational(v))
    }

    /// The projection dropping `axis`, ordered as [`drop_axis`].
    fn dropped(&self, axis: usize) -> [&BigRational; 2] {
        let [x, y, z] = &self.coords;
        match axis {
            0 => [y, z],
            1 => [z, x],
            _ => [x, y],
        }
    }
}

fn sign(q: &BigRational) -> i8 {
    if q.is_positive() {
        1
    } else if q.is_negative() {
        -1
    } else {
        0
    }
}

/// The exact sign of `orient2d(a, b, p)` in the projection dropping `axis` (+1 when `p` lies
/// to the left of `a → b`), for input points `a`, `b` and an exact point `p`.
pub fn orient2d_at(a: &Point3, b: &Point3, p: &ExactPoint, axis: usize) -> i8 {
    let (a2, b2) = (drop_axis(a, axis), drop_axis(b, axis));
    let [px, py] = p.dropped(axis);
    let (ax, ay) = (rational(a2[0]), rational(a2[1]));
    let (bx, by) = (rational(b2[0]), rational(b2[1]));
    let d = (&bx - &ax) * (py - &ay) - (&by - &ay) * (px - &ax);
    sign(&d)
}

/// The exact side of `p` relative to the plane through the input points `a`, `b`, `c`, as
/// [`side_of_plane`](super::kernel::side_of_plane): +1 on the side of `(b - a) × (c - a)`.
pub fn side_of_plane_at(a: &Point3, b: &Point3, c: &Point3, p: &ExactPoint) -> i8 {
    sign(&plane_value(a, b, c, &p.coords))
}

/// `((b - a) × (c - a)) · (p - a)`, exactly.
fn plane_value(a: &Point3, b: &Point3, c: &Point3, p: &[BigRational; 3]) -> BigRational {
    let qa = [0, 1, 2].map(|k| rational(a[k]));
    let u = [0, 1, 2].map(|k| rational(b[k]) - &qa[k]);
    let v = [0, 1, 2].map(|k| rational(c[k]) - &qa[k]);
    let w = [0, 1, 2].map(|k| &p[k] - &qa[k]);
    let n = [
        &u[1] * &v[2] - &u[2] * &v[1],
        &u[2] * &v[0] - &u[0] * &v[2],
        &u[0] * &v[1] - &u[1] * &v[0],
    ];
    &n[0] * &w[0] + &n[1] * &w[1] + &n[2] * &w[2]
}

/// `((b - a) × (c - a)) · (p - a)` for an input point `p`, exactly: the value whose sign
/// [`side_of_plane`](super::kernel::side_of_plane) gives.
pub fn plane_value_of(a: &Point3, b: &Point3, c: &Point3, p: &Point3) -> BigRational {
    plane_value(a, b, c, &[rational(p.x), rational(p.y), rational(p.z)])
}

/// The exact value of `orient2d(a, b, p)` in the projection dropping `axis`, for input points.
pub fn orient2d_value(a: &Point3, b: &Point3, p: &Point3, axis: usize) -> BigRational {
    orient2d_value_at(a, b, &ExactPoint::from_point(p), axis)
}

fn orient2d_value_at(a: &Point3, b: &Point3, p: &ExactPoint, axis: usize) -> BigRational {
    let (a2, b2) = (drop_axis(a, axis), drop_axis(b, axis));
    let [px, py] = p.dropped(axis);
    let (ax, ay) = (rational(a2[0]), rational(a2[1]));
    let (bx, by) = (rational(b2[0]), rational(b2[1]));
    (&bx - &ax) * (py - &ay) - (&by - &ay) * (px - &ax)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::geometry::kernel::{orient2d, side_of_plane};

    #[test]
    fn exact_signs_agree_with_the_kernel_at_input_points() {
        let pts = [
            Point3::new(474_412.345, 4_418_207.891, -0.5),
            Point3::new(474_449.445, 4_418_207.891, -0.5),
            Point3::new(474_412.345, 4_418_220.791, -0.5),
            Point3::new(474_415.645, 4_418_209.591, -0.5),
            Point3::new(474_415.645, 4_418_209.591, -0.5 + 1e-9),
            Point3::new(0.1, 0.2, 0.3),
        ];
        for a in &pts {
            for b in &pts {
                for c in &pts {
                    for d in &pts {
                        let e = ExactPoint::from_point(d);
                        assert_eq!(side_of_plane_at(a, b, c, &e), side_of_plane(a, b, c, d));
                        for axis in 0..3 {
                            let k = orient2d(
                                drop_axis(a, axis),
                                drop_axis(b, axis),
                                drop_axis(d, axis),
                            );
                            assert_eq!(orient2d_at(a, b, &e, axis), k.sign());
                        }
                    }
                }
            }
        }
    }

    #[test]
    fn midpoints_and_centroids_of_a_turned_wall_lie_on_it_exactly() {
        let (c, s) = (30f64.to_radians().cos(), 30f64.to_radians().sin());
        let (e, n) = (474_412.345, 4_418_207.891);
        let at = |u: f64, z: f64| Point3::new(e + u * c, n + u * s, z);
        let (a, b, top) = (at(0.0, 0.0), at(10.0, 0.0), at(3.3, 3.0));
        for m in [
            ExactPoint::average(&[&b, &top]),
            ExactPoint::average(&[&a, &b, &top]),
        ] {
            assert_eq!(side_of_plane_at(&a, &b, &top, &m), 0);
        }
        let off = ExactPoint::from_point(&Point3::new(e, n + 1e-9, 1.0));
        assert_ne!(side_of_plane_at(&a, &b, &top, &off), 0);
    }
}
