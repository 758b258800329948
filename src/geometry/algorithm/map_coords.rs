//! Changing the coordinates of a shape in place: a horizontal reprojection (`x, y` only, every
//! height kept) or a height datum offset (`z` only).
//!
//! A reprojection moves every vertex; the edges between them stay straight. That is exact
//! enough for cadastral shapes, whose edges are at most a few hundred metres long: the
//! conformal Gauss-Krüger and UTM projections bend such an edge by well under a millimetre.

use geo::{Coord, LineString, MultiPolygon, Polygon};

use crate::geometry::{Part, Point3, Polyhedron, Primitive, Prism};

/// Shapes whose coordinates can be changed in place.
pub trait MapCoords3 {
    /// Moves every horizontal position through `f`, keeping heights.
    ///
    /// ```
    /// use strata::geometry::{Prism, algorithm::{MapCoords3, SolidVolume}};
    /// use geo::polygon;
    /// let mut p = Prism::new(polygon![(x: 0.0, y: 0.0), (x: 2.0, y: 0.0), (x: 2.0, y: 2.0), (x: 0.0, y: 2.0)], 0.0, 3.0);
    /// p.map_xy(&mut |x, y| (x + 500_000.0, y + 3_000_000.0));
    /// assert_eq!(p.footprint.exterior().0[1].x, 500_002.0);
    /// assert_eq!(p.volume_m3(), 12.0);
    /// ```
    fn map_xy(&mut self, f: &mut dyn FnMut(f64, f64) -> (f64, f64));

    /// Adds `dz` metres to every height (a change of height datum by a constant offset).
    fn shift_z(&mut self, dz: f64);
}

impl MapCoords3 for Polygon<f64> {
    fn map_xy(&mut self, f: &mut dyn FnMut(f64, f64) -> (f64, f64)) {
        let mut ring = |r: &mut LineString<f64>| {
            for c in &mut r.0 {
                let (x, y) = f(c.x, c.y);
                *c = Coord { x, y };
            }
        };
        self.exterior_mut(&mut ring);
        self.interiors_mut(|rs| rs.iter_mut().for_each(&mut ring));
    }

    fn shift_z(&mut self, _dz: f64) {}
}

impl MapCoords3 for MultiPolygon<f64> {
    fn map_xy(&mut self, f: &mut dyn FnMut(f64, f64) -> (f64, f64)) {
        for p in &mut self.0 {
            p.map_xy(f);
        }
    }

    fn shift_z(&mut self, _dz: f64) {}
}

impl MapCoords3 for Prism {
    fn map_xy(&mut self, f: &mut dyn FnMut(f64, f64) -> (f64, f64)) {
        self.footprint.map_xy(f);
    }

    fn shift_z(&mut self, dz: f64) {
        self.z_bottom += dz;
        self.z_top += dz;
    }
}

fn map_points(points: &mut [Point3], f: &mut dyn FnMut(f64, f64) -> (f64, f64)) {
    for p in points {
        let (x, y) = f(p.x, p.y);
        p.x = x;
        p.y = y;
    }
}

impl MapCoords3 for Polyhedron {
    fn map_xy(&mut self, f: &mut dyn FnMut(f64, f64) -> (f64, f64)) {
        map_points(&mut self.vertices, f);
    }

    fn shift_z(&mut self, dz: f64) {
        for p in &mut self.vertices {
            p.z += dz;
        }
    }
}

impl MapCoords3 for Part {
    fn map_xy(&mut self, f: &mut dyn FnMut(f64, f64) -> (f64, f64)) {
        match self {
            Part::Prism(p) => p.map_xy(f),
            Part::Polyhedron(p) => p.map_xy(f),
        }
    }

    fn shift_z(&mut self, dz: f64) {
        match self {
            Part::Prism(p) => p.shift_z(dz),
            Part::Polyhedron(p) => p.shift_z(dz),
        }
    }
}

impl MapCoords3 for Primitive {
    fn map_xy(&mut self, f: &mut dyn FnMut(f64, f64) -> (f64, f64)) {
        match self {
            Primitive::MultiSurface(s) | Primitive::CompositeSurface(s) => {
                map_points(&mut s.vertices, f)
            }
            Primitive::Solid(p) => p.map_xy(f),
            Primitive::MultiSolid(v) | Primitive::CompositeSolid(v) => {
                v.iter_mut().for_each(|p| p.map_xy(f))
            }
        }
    }

    fn shift_z(&mut self, dz: f64) {
        match self {
            Primitive::MultiSurface(s) | Primitive::CompositeSurface(s) => {
                s.vertices.iter_mut().for_each(|p| p.z += dz)
            }
            Primitive::Solid(p) => p.shift_z(dz),
            Primitive::MultiSolid(v) | Primitive::CompositeSolid(v) => {
                v.iter_mut().for_each(|p| p.shift_z(dz))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::geometry::algorithm::SolidVolume;

    #[test]
    fn shifting_heights_keeps_the_volume_and_moves_the_box() {
        let mut p = Part::Polyhedron(Polyhedron::cuboid(
            Point3::new(0.0, 0.0, 0.0),
            Point3::new(2.0, 3.0, 4.0),
        ));
        p.shift_z(-1.5);
        assert_eq!(p.volume_m3(), 24.0);
        let Part::Polyhedron(q) = &p else {
            unreachable!()
        };
        let zs: Vec<f64> = q.vertices.iter().map(|v| v.z).collect();
        assert!(zs.iter().all(|&z| z == -1.5 || z == 2.5));
    }

    #[test]
    fn a_horizontal_map_keeps_heights() {
        let mut p = Part::Polyhedron(Polyhedron::cuboid(
            Point3::new(0.0, 0.0, 0.0),
            Point3::new(2.0, 3.0, 4.0),
        ));
        p.map_xy(&mut |x, y| (y, x));
        let Part::Polyhedron(q) = &p else {
            unreachable!()
        };
        assert!(q.vertices.iter().all(|v| v.z == 0.0 || v.z == 4.0));
        assert!((p.volume_m3().abs() - 24.0).abs() < 1e-12);
    }
}
