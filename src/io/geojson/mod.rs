//! GeoJSON files of the survey profile: read as a stream, one feature at a time (see
//! `docs/formats/geojson-profile.md` and [`super::profile`] for what the features mean).
//!
//! The reader cuts the document into its members and features without parsing them
//! (`frame`); each feature is then parsed from its own bytes into typed members, its
//! coordinates into one flat list of numbers (`feature`, `coords`), in batches spread over
//! the cores, and handed on in file order (`batch`).

mod batch;
mod coords;
mod feature;
mod frame;

use std::cell::{Cell, RefCell};
use std::path::Path;

use serde::de::DeserializeSeed;
use serde_json::Value;

use crate::diagnostics::{FeatureRef, clip, clip_json};
use crate::model::frame::parse_crs_reference;

use super::error::ImportError;
use super::json::{Limits, Strict, duplicate_member};
use super::mapping::FieldMapping;
use super::profile::{Extent, MAX_POSITIONS_PER_FEATURE, ProfileFile, RawPart};
use super::sieve::Pick;
use frame::{Framer, Stop};

/// What the top-level `type` member says.
fn document_type(path: &Path, v: &Value) -> Result<Option<Detected>, ImportError> {
    match v.as_str() {
        Some("FeatureCollection") => Ok(None),
        Some("CityJSON") => Ok(Some(Detected::CityJson)),
        Some("Feature") => Err(ImportError::format(
            path,
            "a single GeoJSON Feature: survey files are FeatureCollections (wrap the feature in {\"type\": \"FeatureCollection\", \"features\": [...]})",
        )),
        _ => Err(ImportError::format(
            path,
            format!(
                "`type` is {}: a survey file is a GeoJSON FeatureCollection or CityJSON",
                clip_json(v)
            ),
        )),
    }
}

/// The members of a FeatureCollection other than its features and its type.
fn header_member(
    path: &Path,
    key: &str,
    v: Value,
    out: &mut ProfileFile,
) -> Result<(), ImportError> {
    let field = |f: &str, m: String| ImportError::field(path, FeatureRef::file(), f, m);
    match key {
        "crs" => {
            let name = v
                .pointer("/properties/name")
                .and_then(Value::as_str)
                .ok_or_else(|| {
                    field(
                        "crs.properties.name",
                        "missing: expected e.g. \"urn:ogc:def:crs:EPSG::4548\"".into(),
                    )
                })?;
            let (h, vert) = parse_crs_reference(name).ok_or_else(|| ImportError::Crs {
                path: path.to_path_buf(),
                message: format!(
                    "crs.properties.name: cannot read the CRS name `{}`; expected e.g. \"urn:ogc:def:crs:EPSG::4548\"",
                    clip(name)
                ),
            })?;
            out.crs = h;
            out.vertical = vert;
        }
        "height_datum" => {
            out.height_datum = match v {
                Value::Null => None,
                Value::String(s) => Some(s),
                other => {
                    return Err(field(
                        "height_datum",
                        format!(
                            "must be a string such as \"EPSG:5737\", found {}",
                            clip_json(&other)
                        ),
                    ));
                }
            };
        }
        "ground_elevation" => {
            out.ground_elevation = match v {
                Value::Null => None,
                g => Some(g.as_f64().ok_or_else(|| {
                    field(
                        "ground_elevation",
                        format!("must be a number of metres, found {}", clip_json(&g)),
                    )
                })?),
            };
        }
        _ => {}
    }
    Ok(())
}

/// Members that only a CityJSON document has at its top level.
const CITYJSON_MEMBERS: [&str; 4] = ["CityObjects", "vertices", "transform", "geometry-templates"];

/// Members of a FeatureCollection that the profile reads; others are skipped unread.
const HEADER_MEMBERS: [&str; 3] = ["crs", "height_datum", "ground_elevation"];

/// What a JSON document turned out to be when it was not a FeatureCollection.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Detected {
    /// A CityJSON document: read it whole with [`super::cityjson`].
    CityJson,
}

/// A GeoJSON FeatureCollection read, or the discovery that the document is something else.
#[derive(Debug)]
pub enum Streamed {
    /// The FeatureCollection's header and plots (its unit features went to the sink).
    Profile(ProfileFile),
    /// The document is of another format, found from its top-level members.
    Other(Detected),
}

/// Reads a GeoJSON survey file from a byte stream, one feature at a time: memory stays bounded
/// by a batch of features and the largest feature (at most [`MAX_POSITIONS_PER_FEATURE`]
/// positions), whatever the size of the file. Members may come in any order; a member given
/// twice is refused. The format is decided by parsing: a top-level `"type": "CityJSON"` (or
/// `CityObjects`, `vertices`, `transform`) stops the read with [`Streamed::Other`]; when it
/// comes before the features, no feature went to `sink`.
///
/// Features are parsed on all cores; `sink` is called on the calling thread, in file order.
/// The first error in file order is the one returned.
pub fn read_geojson_stream(
    path: &Path,
    reader: impl std::io::Read + Send,
    mapping: &FieldMapping,
    sink: &mut dyn FnMut(RawPart),
) -> Result<Streamed, ImportError> {
    read_geojson_picked(path, reader, mapping, &mut |_, _| Pick::Read, sink)
}

/// Reads a GeoJSON survey file like [`read_geojson_stream`], asking `pick` with each feature's
/// index and byte offset whether to parse it. The features it jumps over are still framed
/// (their JSON structure is followed) but not parsed: for a file read whole once already,
/// whose errors are known. A jump must go forwards, and the feature it lands on must start at
/// the offset it names (else the file changed since it was read whole).
pub fn read_geojson_picked(
    path: &Path,
    reader: impl std::io::Read + Send,
    mapping: &FieldMapping,
    pick: &mut dyn FnMut(u64, u64) -> Pick,
    sink: &mut dyn FnMut(RawPart),
) -> Result<Streamed, ImportError> {
    let mut doc = Document {
        path,
        mapping,
        pick,
        framer: Framer::new(reader),
        out: ProfileFile::default(),
        extent: None,
        seen: Vec::new(),
    };
    let detected = doc.read(sink).map_err(|e| e.into_import(path))?;
    if let Some(d) = detected {
        return Ok(Streamed::Other(d));
    }
    for (member, e) in [
        (
            "type",
            ImportError::format(
                path,
                "not a GeoJSON FeatureCollection: the top-level `type` member is missing",
            ),
        ),
        (
            "features",
            ImportError::field(
                path,
                FeatureRef::file(),
                "features",
                "missing: a FeatureCollection holds its features in a `features` array",
            ),
        ),
    ] {
        if !doc.seen.iter().any(|k| k == member) {
            return Err(e);
        }
    }
    let mut out = doc.out;
    out.extent = doc.extent;
    Ok(Streamed::Profile(out))
}

/// What JSON calls the value that starts with `b`, in serde_json's words.
fn kind_of(b: u8) -> &'static str {
    match b {
        b'{' => "map",
        b'[' => "sequence",
        b'"' => "string",
        b't' | b'f' => "boolean",
        b'n' => "null",
        _ => "number",
    }
}

/// The state of one read.
struct Document<'a, R> {
    path: &'a Path,
    mapping: &'a FieldMapping,
    pick: &'a mut dyn FnMut(u64, u64) -> Pick,
    framer: Framer<R>,
    out: ProfileFile,
    extent: Option<Extent>,
    /// The top-level members read so far.
    seen: Vec<String>,
}

impl<R: std::io::Read + Send> Document<'_, R> {
    /// Reads the top-level object; `Some` when it turns out to be another format.
    fn read(&mut self, sink: &mut dyn FnMut(RawPart)) -> Result<Option<Detected>, Stop> {
        let f = &mut self.framer;
        match f.peek()? {
            Some(b'{') => f.bump(),
            Some(b) if b"[\"-0123456789tfn".contains(&b) => {
                return Err(f
                    .error(format!(
                        "invalid type: {}, expected a GeoJSON FeatureCollection or CityJSON object",
                        kind_of(b)
                    ))
                    .into());
            }
            Some(_) => return Err(f.error("expected value").into()),
            None => return Err(f.error("EOF while parsing a value").into()),
        }
        let mut first = true;
        loop {
            let f = &mut self.framer;
            let eof = || "EOF while parsing an object";
            let mut b = f.peek()?.ok_or_else(|| f.error(eof()))?;
            if !first {
                match b {
                    b'}' => break,
                    b',' => f.bump(),
                    _ => return Err(f.error("expected `,` or `}`").into()),
                }
                b = f.peek()?.ok_or_else(|| f.error(eof()))?;
            }
            match b {
                b'"' => {}
                b'}' if first => break,
                b'}' => return Err(f.error("trailing comma").into()),
                _ => return Err(f.error("key must be a string").into()),
            }
            first = false;
            let key: String = self.scalar()?;
            let f = &mut self.framer;
            match f.peek()? {
                Some(b':') => f.bump(),
                Some(_) => return Err(f.error("expected `:`").into()),
                None => return Err(f.error(eof()).into()),
            }
            if f.peek()?.is_none() {
                return Err(f.error("EOF while parsing a value").into());
            }
            if let Some(d) = self.member(key, sink)? {
                return Ok(Some(d));
            }
        }
        self.framer.bump();
        match self.framer.peek()? {
            Some(_) => Err(self.framer.error("trailing characters").into()),
            None => Ok(None),
        }
    }

    /// Parses the value at the framer's position with `parse`, and steps over it.
    fn parse_value<T>(
        &mut self,
        parse: impl FnOnce(
            &mut serde_json::Deserializer<serde_json::de::SliceRead>,
        ) -> serde_json::Result<T>,
    ) -> Result<T, Stop> {
        let f = &mut self.framer;
        let at = f.here();
        let len = match f.value()? {
            frame::Value::Whole(n) | frame::Value::Truncated(n) => n,
        };
        let mut de = serde_json::Deserializer::from_slice(f.bytes(len));
        let v = parse(&mut de)
            .and_then(|v| de.end().map(|()| v))
            .map_err(|e| at.error(&e))?;
        f.consume(len);
        Ok(v)
    }

    /// A small value (a member name), parsed as `T`.
    fn scalar<T: serde::de::DeserializeOwned>(&mut self) -> Result<T, Stop> {
        self.parse_value(|de| T::deserialize(de))
    }

    /// A value within the bounds of a feature (`trail` names it in messages).
    fn strict(&mut self, key: &str) -> Result<Value, Stop> {
        let budget = Cell::new(MAX_POSITIONS_PER_FEATURE);
        let trail = RefCell::new(key.to_string());
        let limits = Limits {
            positions: Some(&budget),
            path: &trail,
        };
        self.parse_value(|de| Strict(&limits).deserialize(de))
    }

    /// One top-level member; `Some` when it shows the document is of another format.
    fn member(
        &mut self,
        key: String,
        sink: &mut dyn FnMut(RawPart),
    ) -> Result<Option<Detected>, Stop> {
        let path = self.path;
        if self.seen.contains(&key) {
            return Err(ImportError::format(path, duplicate_member("", &key)).into());
        }
        self.seen.push(key.clone());
        if CITYJSON_MEMBERS.contains(&key.as_str()) {
            return Ok(Some(Detected::CityJson));
        }
        match key.as_str() {
            "features" => self.features(sink)?,
            "type" => {
                let v = self.strict(&key)?;
                if let Some(d) = document_type(path, &v)? {
                    return Ok(Some(d));
                }
            }
            k if HEADER_MEMBERS.contains(&k) => {
                let v = self.strict(k)?;
                header_member(path, k, v, &mut self.out)?;
            }
            // Foreign members (`bbox`, `name`, extensions) are read within the bounds (their
            // strings, escapes and members checked as the features' are) and dropped.
            _ => {
                self.strict(&key)?;
            }
        }
        Ok(None)
    }

    /// The `features` array: framed here, parsed in batches on all cores (the next batch is
    /// framed while the last one parses), handed to `sink` in file order.
    fn features(&mut self, sink: &mut dyn FnMut(RawPart)) -> Result<(), Stop> {
        let f = &mut self.framer;
        match f.peek()? {
            Some(b'[') => f.bump(),
            Some(b) => {
                return Err(f
                    .error(format!(
                        "invalid type: {}, expected an array of features",
                        kind_of(b)
                    ))
                    .into());
            }
            None => return Err(f.error("EOF while parsing a value").into()),
        }
        batch::features(
            self.path,
            self.mapping,
            &mut *self.pick,
            &mut self.framer,
            (&mut self.out, &mut self.extent),
            sink,
        )
    }
}

#[cfg(test)]
mod tests;
