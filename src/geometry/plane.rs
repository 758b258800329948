//! Planes: the least-squares plane of a face, and the distance of points to it.

use super::{Point3, Vector3};

/// A plane `normal · p = offset`, with a unit `normal`.
///
/// Points are kept relative to `origin` (a point on the plane) so that distances stay precise
/// at CGCS2000 coordinates of several million metres.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Plane {
    /// A point on the plane (the centroid of the fitted points).
    pub origin: Point3,
    /// The unit normal.
    pub normal: Vector3,
}

impl Plane {
    /// The least-squares plane through `points` (total least squares: the normal is the
    /// eigenvector of the smallest eigenvalue of the covariance matrix), or `None` for fewer
    /// than three points or points that are all (nearly) on one line.
    ///
    /// The normal is oriented to agree with `hint` (for a face, its Newell normal), so that
    /// the plane's orientation is the face's orientation.
    pub fn fit(points: &[Point3], hint: Option<&Vector3>) -> Option<Plane> {
        if points.len() < 3 {
            return None;
        }
        let n = points.len() as f64;
        let shift = points[0].coords;
        let mean: Vector3 = points.iter().map(|p| p.coords - shift).sum::<Vector3>() / n;
        let mut cov = nalgebra::Matrix3::<f64>::zeros();
        for p in points {
            let d = p.coords - shift - mean;
            cov += d * d.transpose();
        }
        let eig = nalgebra::SymmetricEigen::new(cov);
        let (mut imin, mut imax) = (0, 0);
        for i in 1..3 {
            if eig.eigenvalues[i] < eig.eigenvalues[imin] {
                imin = i;
            }
            if eig.eigenvalues[i] > eig.eigenvalues[imax] {
                imax = i;
            }
        }
        // A line of points has two vanishing eigenvalues: no plane.
        let mid = 3 - imin - imax;
        if imin == imax || eig.eigenvalues[mid] <= eig.eigenvalues[imax] * 1e-24 {
            return None;
        }
        let mut normal: Vector3 = eig.eigenvectors.column(imin).into_owned();
        let len = normal.norm();
        if !len.is_finite() || len == 0.0 {
            return None;
        }
        normal /= len;
        if let Some(h) = hint
            && normal.dot(h) < 0.0
        {
            normal = -normal;
        }
        Some(Plane {
            origin: Point3::from(mean + shift),
            normal,
        })
    }

    /// The signed distance of `p` to the plane, positive on the side the normal points to.
    pub fn signed_distance(&self, p: &Point3) -> f64 {
        (p - self.origin).dot(&self.normal)
    }
}

/// The Newell normal of a closed ring of points: its direction is the ring's right-hand normal,
/// its length twice the area enclosed by the projection of the ring on the plane normal to it.
/// Computed relative to the ring's first point for precision.
pub fn newell_normal(points: &[Point3]) -> Vector3 {
    let Some(first) = points.first() else {
        return Vector3::zeros();
    };
    let mut n = Vector3::zeros();
    for i in 0..points.len() {
        let a = points[i] - first;
        let b = points[(i + 1) % points.len()] - first;
        n += a.cross(&b);
    }
    n
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fits_a_tilted_plane_far_from_the_origin() {
        let (e, n) = (474_000.0, 4_418_000.0);
        let pts: Vec<Point3> = [(0.0, 0.0), (10.0, 0.0), (10.0, 5.0), (0.0, 5.0), (3.0, 2.0)]
            .iter()
            .map(|&(x, y)| Point3::new(e + x, n + y, 20.0 + 0.1 * x))
            .collect();
        let plane = Plane::fit(&pts, Some(&Vector3::z())).unwrap();
        for p in &pts {
            assert!(plane.signed_distance(p).abs() < 1e-9);
        }
        assert!(plane.normal.z > 0.0);
        let expected = Vector3::new(-0.1, 0.0, 1.0).normalize();
        assert!((plane.normal - expected).norm() < 1e-9);
    }

    #[test]
    fn collinear_points_have_no_plane() {
        let pts: Vec<Point3> = (0..5)
            .map(|i| Point3::new(i as f64, 2.0 * i as f64, 0.0))
            .collect();
        assert!(Plane::fit(&pts, None).is_none());
    }

    #[test]
    fn newell_normal_of_a_unit_square_is_twice_its_area() {
        let sq = [
            Point3::new(0.0, 0.0, 5.0),
            Point3::new(1.0, 0.0, 5.0),
            Point3::new(1.0, 1.0, 5.0),
            Point3::new(0.0, 1.0, 5.0),
        ];
        let n = newell_normal(&sq);
        assert!((n - Vector3::new(0.0, 0.0, 2.0)).norm() < 1e-12);
    }
}
