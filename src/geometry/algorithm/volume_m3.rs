//! Exact volume in cubic metres.

use crate::geometry::{Part, Polyhedron, Prism, Volume};

/// The volume enclosed, in m³.
///
/// Exact up to floating-point rounding: a prism is its footprint area times its height; a
/// polyhedron's volume comes from the divergence theorem over its planar faces, computed
/// relative to one of its vertices so that CGCS2000 coordinates lose no precision. A
/// polyhedron's cavities are subtracted whatever the orientation of their faces.
///
/// ```
/// use strata::geometry::{Point3, Polyhedron, algorithm::SolidVolume};
/// let b2 = Polyhedron::cuboid(Point3::new(0.0, 0.0, 3.5), Point3::new(110.0, 70.0, 12.0));
/// assert!((b2.volume_m3() - 110.0 * 70.0 * 8.5).abs() < 1e-6);
/// ```
pub trait SolidVolume {
    /// The volume in m³ (never negative).
    fn volume_m3(&self) -> f64;
}

impl SolidVolume for Prism {
    fn volume_m3(&self) -> f64 {
        self.footprint_area() * self.height().max(0.0)
    }
}

impl SolidVolume for Polyhedron {
    fn volume_m3(&self) -> f64 {
        let mut shells = self.shells.iter();
        let Some(outer) = shells.next() else {
            return 0.0;
        };
        let v = self.shell_signed_volume(outer).abs()
            - shells
                .map(|s| self.shell_signed_volume(s).abs())
                .sum::<f64>();
        v.max(0.0)
    }
}

impl SolidVolume for Part {
    fn volume_m3(&self) -> f64 {
        match self {
            Part::Prism(p) => p.volume_m3(),
            Part::Polyhedron(p) => p.volume_m3(),
        }
    }
}

impl SolidVolume for Volume {
    /// The sum of the parts' volumes: parts of a valid unit do not overlap.
    fn volume_m3(&self) -> f64 {
        self.parts.iter().map(SolidVolume::volume_m3).sum()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::geometry::{Point3, Vector3};
    use geo::polygon;

    #[test]
    fn l_shaped_prism_with_a_hole() {
        // An L of 30x10 + 10x20 = 500 m², with a 2x3 hole: 494 m², 6.5 m high.
        let fp = polygon!(
            exterior: [(x: 0.0, y: 0.0), (x: 30.0, y: 0.0), (x: 30.0, y: 10.0), (x: 10.0, y: 10.0),
                       (x: 10.0, y: 30.0), (x: 0.0, y: 30.0)],
            interiors: [[(x: 2.0, y: 2.0), (x: 2.0, y: 5.0), (x: 4.0, y: 5.0), (x: 4.0, y: 2.0)]],
        );
        let p = Prism::new(fp, 11.0, 17.5);
        assert!((p.volume_m3() - 494.0 * 6.5).abs() < 1e-9);
    }

    #[test]
    fn polyhedron_volume_is_invariant_under_translation() {
        let c = Polyhedron::cuboid(Point3::new(0.0, 0.0, 0.0), Point3::new(7.0, 3.0, 2.0));
        let far = c.translated(&Vector3::new(474_412.345, 4_418_207.891, 20.0));
        assert!((c.volume_m3() - 42.0).abs() < 1e-12);
        assert!((far.volume_m3() - 42.0).abs() < 1e-6);
    }
}
