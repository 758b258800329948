//! One feature of a FeatureCollection, parsed from its own bytes into typed members (no
//! `serde_json::Value` for its geometry), then read as a record of the survey profile.

use std::borrow::Cow;
use std::cell::{Cell, RefCell};
use std::path::Path;

use geo::Polygon;
use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Value};

use crate::diagnostics::{Code, FeatureId, FeatureRef, Finding, Location};
use crate::io::error::ImportError;
use crate::io::json::{Limits, Strict, duplicate_member};
use crate::io::mapping::FieldMapping;
use crate::io::profile::{Extent, MAX_POSITIONS_PER_FEATURE, Record, record};

use super::coords::{COORDINATES, Shapes, Token, Tokens};
use super::frame::{Start, Stop};

/// Feature `index`'s bytes and where they start in the file.
#[derive(Debug, Clone, Copy)]
pub(super) struct Piece<'a> {
    pub bytes: &'a [u8],
    pub index: usize,
    pub at: Start,
}

impl Piece<'_> {
    /// A JSON error inside the piece, placed in the file.
    pub fn json_error(&self, path: &Path, e: &serde_json::Error) -> ImportError {
        Stop::Frame(self.at.error(e), Some(self.index)).into_import(path)
    }
}

/// What one feature held: its record and the range of its horizontal coordinates.
pub(super) struct Parsed {
    pub record: Record,
    pub extent: Option<Extent>,
}

/// Parses feature `piece` and reads it as a record of the survey profile.
pub(super) fn parse(
    path: &Path,
    piece: Piece,
    mapping: &FieldMapping,
) -> Result<Parsed, ImportError> {
    let budget = Cell::new(MAX_POSITIONS_PER_FEATURE);
    let trail = RefCell::new(String::new());
    let limits = Limits {
        positions: Some(&budget),
        path: &trail,
    };
    let mut de = serde_json::Deserializer::from_slice(piece.bytes);
    let doc = Doc(&limits)
        .deserialize(&mut de)
        .and_then(|d| de.end().map(|()| d))
        .map_err(|e| piece.json_error(path, &e))?;
    let mut extent = None;
    let record = doc.record(path, piece.index, mapping, &mut extent)?;
    Ok(Parsed { record, extent })
}

/// A feature's members, as far as the profile reads them.
#[derive(Default)]
struct Members {
    ty: Option<Value>,
    id: Option<Value>,
    properties: Option<Value>,
    geometry: Option<Geometry>,
}

/// A feature's `geometry` member.
enum Geometry {
    Null,
    /// A string, number, array or boolean: no `type` can be read from it.
    NotObject,
    Object {
        ty: Option<Value>,
        coordinates: Option<Vec<Token>>,
    },
}

/// A feature: an object, or (malformed) any other value.
enum Feature {
    Object(Members),
    NotObject,
}

impl Feature {
    fn record(
        self,
        path: &Path,
        i: usize,
        mapping: &FieldMapping,
        extent: &mut Option<Extent>,
    ) -> Result<Record, ImportError> {
        let Feature::Object(m) = self else {
            let label = FeatureRef::feature_with(i, None);
            return Err(ImportError::field(
                path,
                label,
                "type",
                "must be \"Feature\"",
            ));
        };
        let id = match m.id {
            Some(Value::String(s)) => Some(FeatureId::Text(s)),
            Some(Value::Number(n)) => Some(FeatureId::Number(n.to_string())),
            _ => None,
        };
        let label = FeatureRef::feature_with(i, id);
        if m.ty.as_ref().and_then(Value::as_str) != Some("Feature") {
            return Err(ImportError::field(
                path,
                label,
                "type",
                "must be \"Feature\"",
            ));
        }
        let props = match m.properties {
            Some(Value::Object(m)) => m,
            None | Some(Value::Null) => Map::new(),
            Some(_) => {
                return Err(ImportError::field(
                    path,
                    label,
                    "properties",
                    "must be an object",
                ));
            }
        };
        let footprints = footprints(path, &label, m.geometry, extent)?;
        record(path, label, mapping.apply(props), footprints)
    }
}

/// The footprints of a feature's geometry; `Ok(Err(finding))` for a geometry that cannot hold
/// a footprint.
fn footprints(
    path: &Path,
    feature: &FeatureRef,
    geometry: Option<Geometry>,
    extent: &mut Option<Extent>,
) -> Result<Result<Vec<Polygon<f64>>, Finding>, ImportError> {
    let finding = |code, field: &str, msg: String| {
        Ok(Err(Finding::new(
            code,
            Location::field(feature.clone(), field),
            msg,
        )))
    };
    let err = |field: &str, msg: &str| Err(ImportError::field(path, feature.clone(), field, msg));
    let (ty, coordinates) = match geometry {
        None | Some(Geometry::Null) => {
            return finding(
                Code::EmptyPrimitive,
                "geometry",
                "the feature has no geometry".into(),
            );
        }
        Some(Geometry::NotObject) => return err("geometry.type", "missing"),
        Some(Geometry::Object { ty, coordinates }) => (ty, coordinates),
    };
    let Some(ty) = ty.as_ref().and_then(Value::as_str) else {
        return err("geometry.type", "missing");
    };
    let field = COORDINATES;
    let (polys, unclosed) = match (ty, coordinates) {
        (kind @ ("Polygon" | "MultiPolygon"), Some(tokens)) => {
            let mut s = Shapes {
                path,
                feature,
                tokens: &tokens,
                extent,
                unclosed: None,
            };
            let polys = if kind == "Polygon" {
                s.polygon(0, None)?.into_iter().collect()
            } else {
                s.multi_polygon()?
            };
            (polys, s.unclosed)
        }
        ("Polygon" | "MultiPolygon", None) => return err(field, "missing"),
        (other, _) => {
            return finding(
                Code::GeometryTypeUnsupported,
                "geometry.type",
                format!("a {other} cannot hold a footprint: use Polygon or MultiPolygon"),
            );
        }
    };
    if polys.is_empty() {
        return finding(Code::EmptyPrimitive, field, "the geometry is empty".into());
    }
    if let Some(ring) = unclosed {
        return finding(
            Code::RingNotClosed,
            &ring,
            "the ring's last position does not repeat its first: GeoJSON rings are closed (RFC 7946)"
                .into(),
        );
    }
    Ok(Ok(polys))
}

/// A member name, borrowed from the bytes when it has no escapes.
struct Key;

impl<'de> DeserializeSeed<'de> for Key {
    type Value = Cow<'de, str>;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_str(self)
    }
}

impl<'de> Visitor<'de> for Key {
    type Value = Cow<'de, str>;
    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("a member name")
    }
    fn visit_borrowed_str<E>(self, v: &'de str) -> Result<Self::Value, E> {
        Ok(Cow::Borrowed(v))
    }
    fn visit_str<E>(self, v: &str) -> Result<Self::Value, E> {
        Ok(Cow::Owned(v.to_string()))
    }
}

/// The members of an object read so far, to refuse one given twice.
struct Seen<'de>(Vec<Cow<'de, str>>);

impl<'de> Seen<'de> {
    /// `key`, if it was not read before in this object.
    fn first<E: de::Error>(
        &mut self,
        limits: &Limits,
        key: Cow<'de, str>,
    ) -> Result<Cow<'de, str>, E> {
        if self.0.contains(&key) {
            return Err(E::custom(duplicate_member(&limits.path.borrow(), &key)));
        }
        self.0.push(key.clone());
        Ok(key)
    }
}

/// Reads the value of member `key` with `seed`, with `key` on the trail of member names.
fn member<'de, A, S>(map: &mut A, limits: &Limits, key: &str, seed: S) -> Result<S::Value, A::Error>
where
    A: MapAccess<'de>,
    S: DeserializeSeed<'de>,
{
    let n = limits.enter(key);
    let v = map.next_value_seed(seed);
    limits.leave(n);
    v
}

/// Reads a feature within `Limits`.
struct Doc<'a, 'l>(&'a Limits<'l>);

impl<'de> DeserializeSeed<'de> for Doc<'_, '_> {
    type Value = Feature;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Feature, D::Error> {
        d.deserialize_any(self)
    }
}

/// Reads (and checks) any other value within the limits, then reports `not`.
macro_rules! other_values {
    ($not:expr, $ty:ty) => {
        fn visit_bool<E>(self, _: bool) -> Result<$ty, E> {
            Ok($not)
        }
        fn visit_i64<E>(self, _: i64) -> Result<$ty, E> {
            Ok($not)
        }
        fn visit_u64<E>(self, _: u64) -> Result<$ty, E> {
            Ok($not)
        }
        fn visit_f64<E: de::Error>(self, v: f64) -> Result<$ty, E> {
            Strict(self.0).visit_f64(v).map(|_| $not)
        }
        fn visit_str<E>(self, _: &str) -> Result<$ty, E> {
            Ok($not)
        }
        fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<$ty, A::Error> {
            Strict(self.0).visit_seq(seq).map(|_| $not)
        }
    };
}

impl<'de> Visitor<'de> for Doc<'_, '_> {
    type Value = Feature;
    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("a GeoJSON Feature")
    }
    other_values!(Feature::NotObject, Feature);
    fn visit_unit<E>(self) -> Result<Feature, E> {
        Ok(Feature::NotObject)
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Feature, A::Error> {
        let limits = self.0;
        let mut m = Members::default();
        let mut seen = Seen(Vec::with_capacity(4));
        while let Some(key) = map.next_key_seed(Key)? {
            let key = seen.first(limits, key)?;
            let strict = Strict(limits);
            match &*key {
                "type" => m.ty = Some(member(&mut map, limits, &key, strict)?),
                "id" => m.id = Some(member(&mut map, limits, &key, strict)?),
                "properties" => m.properties = Some(member(&mut map, limits, &key, strict)?),
                "geometry" => m.geometry = Some(member(&mut map, limits, &key, Geom(limits))?),
                // Foreign members (`bbox`, extensions) are read within the limits and dropped.
                _ => {
                    member(&mut map, limits, &key, strict)?;
                }
            }
        }
        Ok(Feature::Object(m))
    }
}

/// Reads a feature's `geometry` within `Limits`.
struct Geom<'a, 'l>(&'a Limits<'l>);

impl<'de> DeserializeSeed<'de> for Geom<'_, '_> {
    type Value = Geometry;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Geometry, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Geom<'_, '_> {
    type Value = Geometry;
    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("a GeoJSON geometry")
    }
    other_values!(Geometry::NotObject, Geometry);
    fn visit_unit<E>(self) -> Result<Geometry, E> {
        Ok(Geometry::Null)
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Geometry, A::Error> {
        let limits = self.0;
        let (mut ty, mut coordinates) = (None, None);
        let mut seen = Seen(Vec::with_capacity(2));
        while let Some(key) = map.next_key_seed(Key)? {
            let key = seen.first(limits, key)?;
            match &*key {
                "type" => ty = Some(member(&mut map, limits, &key, Strict(limits))?),
                "coordinates" => {
                    let mut tokens = Vec::with_capacity(32);
                    let seed = Tokens {
                        tokens: &mut tokens,
                        limits,
                    };
                    member(&mut map, limits, &key, seed)?;
                    coordinates = Some(tokens);
                }
                _ => {
                    member(&mut map, limits, &key, Strict(limits))?;
                }
            }
        }
        Ok(Geometry::Object { ty, coordinates })
    }
}
