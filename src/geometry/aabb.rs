//! Axis-aligned 3D bounding boxes.

use super::Point3;
use serde::Serialize;

/// An axis-aligned box in metres. `min <= max` on every axis for a non-empty box.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Aabb {
    /// The corner with the smallest coordinates.
    pub min: Point3,
    /// The corner with the largest coordinates.
    pub max: Point3,
}

impl Aabb {
    /// The empty box: `min = +inf`, `max = -inf`; it grows with [`Aabb::grow`].
    pub fn empty() -> Self {
        Aabb {
            min: Point3::new(f64::INFINITY, f64::INFINITY, f64::INFINITY),
            max: Point3::new(f64::NEG_INFINITY, f64::NEG_INFINITY, f64::NEG_INFINITY),
        }
    }

    /// The smallest box holding every point; empty when there are none.
    pub fn from_points<'a>(points: impl IntoIterator<Item = &'a Point3>) -> Self {
        let mut b = Aabb::empty();
        for p in points {
            b.grow(p);
        }
        b
    }

    /// True when no point was ever added.
    pub fn is_empty(&self) -> bool {
        self.min.x > self.max.x || self.min.y > self.max.y || self.min.z > self.max.z
    }

    /// Enlarges the box to hold `p`.
    pub fn grow(&mut self, p: &Point3) {
        self.min = self.min.inf(p);
        self.max = self.max.sup(p);
    }

    /// The smallest box holding both boxes.
    pub fn union(&self, other: &Aabb) -> Aabb {
        Aabb {
            min: self.min.inf(&other.min),
            max: self.max.sup(&other.max),
        }
    }

    /// True when the closed boxes share at least one point (touching counts).
    pub fn intersects(&self, other: &Aabb) -> bool {
        self.min.x <= other.max.x
            && other.min.x <= self.max.x
            && self.min.y <= other.max.y
            && other.min.y <= self.max.y
            && self.min.z <= other.max.z
            && other.min.z <= self.max.z
    }

    /// True when the closed box holds `p`.
    pub fn contains(&self, p: &Point3) -> bool {
        (0..3).all(|k| self.min[k] <= p[k] && p[k] <= self.max[k])
    }

    /// The box enlarged by `d` metres on every side.
    pub fn expanded(&self, d: f64) -> Aabb {
        Aabb {
            min: Point3::new(self.min.x - d, self.min.y - d, self.min.z - d),
            max: Point3::new(self.max.x + d, self.max.y + d, self.max.z + d),
        }
    }

    /// The centre of the box.
    pub fn center(&self) -> Point3 {
        nalgebra::center(&self.min, &self.max)
    }

    /// The box of `[minx, miny, minz, maxx, maxy, maxz]`.
    pub fn from_array(a: [f64; 6]) -> Aabb {
        Aabb {
            min: Point3::new(a[0], a[1], a[2]),
            max: Point3::new(a[3], a[4], a[5]),
        }
    }

    /// `[minx, miny, minz, maxx, maxy, maxz]`, the order used in every JSON output.
    pub fn to_array(&self) -> [f64; 6] {
        [
            self.min.x, self.min.y, self.min.z, self.max.x, self.max.y, self.max.z,
        ]
    }
}

impl Serialize for Aabb {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.to_array().serialize(s)
    }
}
