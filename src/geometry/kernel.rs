//! Exact geometric predicates.
//!
//! Every decision that depends on a sign — which side of a line or plane a point lies on — goes
//! through Shewchuk's adaptive-precision predicates (the `robust` crate). They are exact for any
//! `f64` input, so two layers that share the plane z = -0.5 m are found touching, never
//! "overlapping by 1e-12", even at CGCS2000 coordinates of 4,400,000 m.

use super::Point3;

/// The turn of three points in the plane.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Orientation {
    /// `c` lies to the left of the directed line `a → b`.
    CounterClockwise,
    /// `c` lies to the right of the directed line `a → b`.
    Clockwise,
    /// The three points lie on one line.
    Collinear,
}

impl Orientation {
    /// +1, -1 or 0.
    pub fn sign(self) -> i8 {
        match self {
            Orientation::CounterClockwise => 1,
            Orientation::Clockwise => -1,
            Orientation::Collinear => 0,
        }
    }
}

/// The exact orientation of `c` relative to the directed line `a → b`.
pub fn orient2d(a: [f64; 2], b: [f64; 2], c: [f64; 2]) -> Orientation {
    let d = robust::orient2d(
        robust::Coord { x: a[0], y: a[1] },
        robust::Coord { x: b[0], y: b[1] },
        robust::Coord { x: c[0], y: c[1] },
    );
    if d > 0.0 {
        Orientation::CounterClockwise
    } else if d < 0.0 {
        Orientation::Clockwise
    } else {
        Orientation::Collinear
    }
}

/// The exact side of `d` relative to the plane through `a`, `b`, `c`: +1 when `d` lies on the
/// side the normal `(b - a) × (c - a)` points to, -1 on the other side, 0 on the plane.
pub fn side_of_plane(a: &Point3, b: &Point3, c: &Point3, d: &Point3) -> i8 {
    // Shewchuk's orient3d is positive when `d` lies *below* the plane, "below" being the side
    // from which a, b, c appear clockwise, i.e. opposite to the right-hand normal.
    let v = robust::orient3d(coord3(a), coord3(b), coord3(c), coord3(d));
    if v < 0.0 {
        1
    } else if v > 0.0 {
        -1
    } else {
        0
    }
}

fn coord3(p: &Point3) -> robust::Coord3D<f64> {
    robust::Coord3D {
        x: p.x,
        y: p.y,
        z: p.z,
    }
}

/// The coordinate axis (0 = x, 1 = y, 2 = z) along which `normal` is largest in magnitude.
/// Dropping that axis projects a planar polygon to 2D without folding it.
pub fn dominant_axis(normal: &super::Vector3) -> usize {
    let a = normal.abs();
    if a.x >= a.y && a.x >= a.z {
        0
    } else if a.y >= a.z {
        1
    } else {
        2
    }
}

/// Projects `p` onto the coordinate plane that drops `axis`, keeping the exact coordinates.
/// The two remaining axes are ordered so that the projection preserves orientation when the
/// dropped component of the normal is positive.
pub fn drop_axis(p: &Point3, axis: usize) -> [f64; 2] {
    match axis {
        0 => [p.y, p.z],
        1 => [p.z, p.x],
        _ => [p.x, p.y],
    }
}

/// True when `p` lies on the closed segment `a b` (exactly, in 2D).
pub fn on_segment_2d(a: [f64; 2], b: [f64; 2], p: [f64; 2]) -> bool {
    orient2d(a, b, p) == Orientation::Collinear && within_box_2d(a, b, p)
}

/// True when `p` lies within the bounding box of `a` and `b` (inclusive).
pub fn within_box_2d(a: [f64; 2], b: [f64; 2], p: [f64; 2]) -> bool {
    p[0] >= a[0].min(b[0])
        && p[0] <= a[0].max(b[0])
        && p[1] >= a[1].min(b[1])
        && p[1] <= a[1].max(b[1])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plane_side_follows_the_right_hand_normal() {
        let a = Point3::new(0.0, 0.0, 0.0);
        let b = Point3::new(1.0, 0.0, 0.0);
        let c = Point3::new(0.0, 1.0, 0.0);
        assert_eq!(side_of_plane(&a, &b, &c, &Point3::new(0.2, 0.2, 1.0)), 1);
        assert_eq!(side_of_plane(&a, &b, &c, &Point3::new(0.2, 0.2, -1.0)), -1);
        assert_eq!(side_of_plane(&a, &b, &c, &Point3::new(5.0, 7.0, 0.0)), 0);
    }

    #[test]
    fn touching_planes_stay_touching_at_cgcs2000_coordinates() {
        // The floor of B1 at z = -0.5 m seen from a point of the ceiling of B2, far from the origin.
        let (e, n) = (474_412.345, 4_418_207.891);
        let a = Point3::new(e, n, -0.5);
        let b = Point3::new(e + 37.1, n, -0.5);
        let c = Point3::new(e, n + 12.9, -0.5);
        let d = Point3::new(e + 3.3, n + 1.7, -0.5);
        assert_eq!(side_of_plane(&a, &b, &c, &d), 0);
        let above = Point3::new(e + 3.3, n + 1.7, -0.5 + 1e-9);
        assert_eq!(side_of_plane(&a, &b, &c, &above), 1);
    }

    #[test]
    fn projection_keeps_orientation_for_positive_normals() {
        use crate::geometry::Vector3;
        for (normal, pts) in [
            (
                Vector3::new(0.0, 0.0, 1.0),
                [[0.0, 0.0, 0.0], [1.0, 0.0, 0.0], [0.0, 1.0, 0.0]],
            ),
            (
                Vector3::new(1.0, 0.0, 0.0),
                [[0.0, 0.0, 0.0], [0.0, 1.0, 0.0], [0.0, 0.0, 1.0]],
            ),
            (
                Vector3::new(0.0, 1.0, 0.0),
                [[0.0, 0.0, 0.0], [0.0, 0.0, 1.0], [1.0, 0.0, 0.0]],
            ),
        ] {
            let axis = dominant_axis(&normal);
            let p: Vec<[f64; 2]> = pts
                .iter()
                .map(|q| drop_axis(&Point3::new(q[0], q[1], q[2]), axis))
                .collect();
            assert_eq!(orient2d(p[0], p[1], p[2]), Orientation::CounterClockwise);
        }
    }
}
