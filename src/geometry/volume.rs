//! A unit's volume: one or more parts, each a prism or a polyhedron.

use super::{Polyhedron, Prism};

/// One part of a unit's volume.
#[derive(Debug, Clone, PartialEq)]
pub enum Part {
    /// A footprint between two elevations.
    Prism(Prism),
    /// A closed polyhedron (free-form: ramps, sloped slabs, tunnels).
    Polyhedron(Polyhedron),
}

/// The 3D volume of a real-estate unit: the union of its parts.
///
/// A stepped unit has several prism parts; a unit imported from CityJSON has one polyhedron
/// per solid. Parts of a valid unit do not overlap (they may touch), so measures add up.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Volume {
    /// The parts, in input order.
    pub parts: Vec<Part>,
}

impl Volume {
    /// A volume of the given parts.
    pub fn new(parts: Vec<Part>) -> Self {
        Volume { parts }
    }

    /// True when the volume has no part.
    pub fn is_empty(&self) -> bool {
        self.parts.is_empty()
    }
}

impl From<Prism> for Volume {
    fn from(p: Prism) -> Self {
        Volume::new(vec![Part::Prism(p)])
    }
}

impl From<Polyhedron> for Volume {
    fn from(p: Polyhedron) -> Self {
        Volume::new(vec![Part::Polyhedron(p)])
    }
}
