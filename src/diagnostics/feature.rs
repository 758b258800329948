//! Which object of an input file a finding or an error is about, kept as data: reports take
//! the id from it instead of parsing it back out of a label.

use std::fmt;

use serde::{Serialize, Serializer};

/// The id a GeoJSON or FlatGeobuf feature gives itself.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum FeatureId {
    /// A string id (`"id": "B1"`), printed in quotes.
    Text(String),
    /// A numeric id (`"id": 7`), printed as written.
    Number(String),
}

/// An object of an input file, as the file names it.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ObjectRef {
    /// The file as a whole: its header and top-level members.
    File,
    /// Feature `index` (0-based, in file order) of a GeoJSON or FlatGeobuf file, with its id.
    Feature {
        /// The position in the file.
        index: usize,
        /// The `id` member, or the unit code / plot id a FlatGeobuf feature carries.
        id: Option<FeatureId>,
    },
    /// Feature `fid` of a named layer of a GIS file read through GDAL.
    LayerFeature {
        /// The layer.
        layer: String,
        /// The feature id (or position) in the layer.
        fid: u64,
    },
    /// A CityJSON CityObject, by its key.
    CityObject(String),
    /// A CAD (DXF) entity, by its handle, with its CAD layer (boxed: a reference stays
    /// small, since every part of every unit holds one).
    Entity(Box<EntityRef>),
    /// An element of an XML file (LandXML `<Parcel>`, `<CgPoint>`), by its tag and name.
    Element {
        /// The element's tag.
        tag: &'static str,
        /// Its `name` attribute.
        name: String,
    },
    /// An unnamed element of an XML file, by its tag and position among its siblings.
    ElementAt {
        /// The element's tag.
        tag: &'static str,
        /// Its position (0-based).
        index: usize,
    },
}

/// A CAD entity: its handle and CAD layer.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct EntityRef {
    /// The entity handle CAD shows.
    pub handle: String,
    /// The CAD layer.
    pub layer: Option<String>,
}

/// Where inside an object: which of its polygons, geometries or solids.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Within {
    /// Polygon `k` (from 1) of a MultiPolygon feature; polygon 0 is the feature itself.
    Polygon(usize),
    /// Geometry `index` of a CityObject, with its level of detail as written, and the solid of
    /// a MultiSolid or CompositeSolid.
    Geometry {
        /// The position in the object's `geometry` array.
        index: usize,
        /// The level of detail as written.
        lod: Option<String>,
        /// The solid of a MultiSolid or CompositeSolid.
        solid: Option<usize>,
    },
}

/// An object of an input file, and where inside it.
///
/// ```
/// use strata::diagnostics::FeatureRef;
/// let f = FeatureRef::feature(3, Some("GX00001-B1")).polygon(1);
/// assert_eq!(f.to_string(), "feature 3 (\"GX00001-B1\") polygon 1");
/// assert_eq!(f.id(), "GX00001-B1");
/// assert_eq!(FeatureRef::city_object("b1").geometry(0, Some("2.2")).to_string(), "CityObject \"b1\" geometry 0 (lod 2.2)");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct FeatureRef {
    /// The object.
    pub object: ObjectRef,
    /// Where inside it, when a finding is about one of its geometries (boxed: rare).
    pub within: Option<Box<Within>>,
}

impl From<ObjectRef> for FeatureRef {
    fn from(object: ObjectRef) -> Self {
        FeatureRef {
            object,
            within: None,
        }
    }
}

impl FeatureRef {
    /// The file as a whole.
    pub fn file() -> FeatureRef {
        ObjectRef::File.into()
    }

    /// Feature `index` of a GeoJSON or FlatGeobuf file with a string id.
    pub fn feature(index: usize, id: Option<&str>) -> FeatureRef {
        ObjectRef::Feature {
            index,
            id: id.map(|s| FeatureId::Text(s.to_string())),
        }
        .into()
    }

    /// Feature `index` with an id already typed.
    pub fn feature_with(index: usize, id: Option<FeatureId>) -> FeatureRef {
        ObjectRef::Feature { index, id }.into()
    }

    /// A CityJSON CityObject.
    pub fn city_object(id: impl Into<String>) -> FeatureRef {
        ObjectRef::CityObject(id.into()).into()
    }

    /// A named element of an XML file: `FeatureRef::element("Parcel", "P1")`.
    pub fn element(tag: &'static str, name: impl Into<String>) -> FeatureRef {
        ObjectRef::Element {
            tag,
            name: name.into(),
        }
        .into()
    }

    /// Polygon `k` of this feature (`k` = 0 is the feature itself).
    pub fn polygon(mut self, k: usize) -> FeatureRef {
        self.within = (k > 0).then(|| Box::new(Within::Polygon(k)));
        self
    }

    /// Geometry `index` of this CityObject.
    pub fn geometry(mut self, index: usize, lod: Option<&str>) -> FeatureRef {
        self.within = Some(Box::new(Within::Geometry {
            index,
            lod: lod.map(str::to_string),
            solid: None,
        }));
        self
    }

    /// Solid `k` of the geometry named by [`FeatureRef::geometry`].
    pub fn solid(mut self, k: usize) -> FeatureRef {
        if let Some(w) = &mut self.within
            && let Within::Geometry { solid, .. } = w.as_mut()
        {
            *solid = Some(k);
        }
        self
    }

    /// The object alone, without the place inside it.
    pub fn object_only(&self) -> FeatureRef {
        self.object.clone().into()
    }

    /// The id reports give the object: a feature's `id` (else its position), a CityObject's
    /// key, an entity's handle, an element's name.
    pub fn id(&self) -> String {
        match &self.object {
            ObjectRef::File => "file".to_string(),
            ObjectRef::Feature { index, id } => match id {
                Some(FeatureId::Text(s) | FeatureId::Number(s)) => s.clone(),
                None => index.to_string(),
            },
            ObjectRef::LayerFeature { fid, .. } => fid.to_string(),
            ObjectRef::ElementAt { index, .. } => index.to_string(),
            ObjectRef::CityObject(id) | ObjectRef::Element { name: id, .. } => id.clone(),
            ObjectRef::Entity(e) => e.handle.clone(),
        }
    }

    /// True for a CityJSON CityObject.
    pub fn is_city_object(&self) -> bool {
        matches!(self.object, ObjectRef::CityObject(_))
    }
}

impl fmt::Display for ObjectRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ObjectRef::File => f.write_str("file"),
            ObjectRef::Feature { index, id: None } => write!(f, "feature {index}"),
            ObjectRef::Feature {
                index,
                id: Some(FeatureId::Text(s)),
            } => write!(f, "feature {index} (\"{}\")", super::clip(s)),
            ObjectRef::Feature {
                index,
                id: Some(FeatureId::Number(n)),
            } => write!(f, "feature {index} ({})", super::clip(n)),
            ObjectRef::LayerFeature { layer, fid } => {
                write!(f, "layer \"{}\" feature {fid}", super::clip(layer))
            }
            ObjectRef::CityObject(id) => write!(f, "CityObject \"{}\"", super::clip(id)),
            ObjectRef::Entity(e) => match &e.layer {
                Some(l) => write!(
                    f,
                    "entity {} on layer \"{}\"",
                    super::clip(&e.handle),
                    super::clip(l)
                ),
                None => write!(f, "entity {}", super::clip(&e.handle)),
            },
            ObjectRef::Element { tag, name } => write!(f, "{tag} \"{}\"", super::clip(name)),
            ObjectRef::ElementAt { tag, index } => write!(f, "{tag} {index}"),
        }
    }
}

impl fmt::Display for FeatureRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.object)?;
        match self.within.as_deref() {
            None => Ok(()),
            Some(Within::Polygon(k)) => write!(f, " polygon {k}"),
            Some(Within::Geometry { index, lod, solid }) => {
                write!(f, " geometry {index}")?;
                if let Some(l) = lod {
                    write!(f, " (lod {})", super::clip(l))?;
                }
                match solid {
                    Some(k) => write!(f, " solid {k}"),
                    None => Ok(()),
                }
            }
        }
    }
}

impl Serialize for FeatureRef {
    /// Serialized as the label people read, e.g. `feature 3 ("GX00001-B1")`.
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every part of every unit holds a reference: it stays small.
    #[test]
    fn a_reference_is_small() {
        assert!(
            std::mem::size_of::<FeatureRef>() <= 56,
            "{}",
            std::mem::size_of::<FeatureRef>()
        );
    }
}
