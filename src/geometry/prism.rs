//! Prisms: a footprint extruded between two elevations, the form of most layered rights.

use geo::{Area, BoundingRect, Polygon};

use super::{Aabb, Point3};

/// A footprint polygon (metres, projected CRS, holes allowed) extruded vertically between
/// `z_bottom` and `z_top` (metres in the height datum).
#[derive(Debug, Clone, PartialEq)]
pub struct Prism {
    /// The horizontal footprint (the boundary-point polygon, 界址点).
    pub footprint: Polygon<f64>,
    /// The lower elevation (下至).
    pub z_bottom: f64,
    /// The upper elevation (上至).
    pub z_top: f64,
}

impl Prism {
    /// A prism from its footprint and elevations. No checks: see [`crate::validate`].
    pub fn new(footprint: Polygon<f64>, z_bottom: f64, z_top: f64) -> Self {
        Prism {
            footprint,
            z_bottom,
            z_top,
        }
    }

    /// `z_top - z_bottom` in metres.
    pub fn height(&self) -> f64 {
        self.z_top - self.z_bottom
    }

    /// The footprint area in m² (holes subtracted).
    pub fn footprint_area(&self) -> f64 {
        self.footprint.unsigned_area()
    }

    /// The 3D bounding box.
    pub fn aabb(&self) -> Aabb {
        match self.footprint.bounding_rect() {
            Some(r) => Aabb {
                min: Point3::new(r.min().x, r.min().y, self.z_bottom.min(self.z_top)),
                max: Point3::new(r.max().x, r.max().y, self.z_top.max(self.z_bottom)),
            },
            None => Aabb::empty(),
        }
    }
}
