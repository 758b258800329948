//! GeoJSON files of the survey profile: read as a stream, one feature at a time (see
//! `docs/formats/geojson-profile.md` and [`super::profile`] for what the features mean).
//!
//! The reader cuts the document into its members and features without parsing them
//! (`frame`); each feature is then parsed from its own bytes into typed members, its
//! coordinates into one flat list of numbers (`feature`, `coords`), in batches spread over
//! the cores, and handed on in file order.

mod coords;
mod feature;
mod frame;

use std::cell::{Cell, RefCell};
use std::path::Path;

use rayon::prelude::*;
use serde::de::DeserializeSeed;
use serde_json::Value;

use crate::diagnostics::{FeatureRef, clip, clip_json};
use crate::model::frame::parse_crs_reference;

use super::error::ImportError;
use super::json::{Limits, Strict, duplicate_member};
use super::mapping::FieldMapping;
use super::profile::{Extent, MAX_POSITIONS_PER_FEATURE, ProfileFile, RawPart, Record};
use super::sieve::Pick;
use feature::{Parsed, Piece};
use frame::{FrameError, Framer, Start};

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

/// Features are parsed in batches of about this many bytes: large enough to keep both cores
/// busy between hand-overs, small enough that a batch's records stay a few megabytes.
const BATCH_BYTES: usize = 4 << 20;

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

/// Why a read stopped.
enum Stop {
    Frame(FrameError, Option<usize>),
    Import(ImportError),
}

impl From<ImportError> for Stop {
    fn from(e: ImportError) -> Self {
        Stop::Import(e)
    }
}

impl From<FrameError> for Stop {
    fn from(e: FrameError) -> Self {
        Stop::Frame(e, None)
    }
}

impl Stop {
    fn into_import(self, path: &Path) -> ImportError {
        match self {
            Stop::Import(e) => e,
            Stop::Frame(FrameError::Io(source), _) => ImportError::Io {
                path: path.to_path_buf(),
                source,
            },
            Stop::Frame(
                FrameError::Json {
                    line,
                    column,
                    message,
                },
                feature,
            ) => ImportError::Json {
                path: path.to_path_buf(),
                line,
                column,
                message: match feature {
                    Some(n) => format!("{message} (in feature {n})"),
                    None => message,
                },
            },
        }
    }

    /// The same stop, said while waiting for feature `n`.
    fn in_feature(self, n: usize) -> Self {
        match self {
            Stop::Frame(e, _) => Stop::Frame(e, Some(n)),
            s => s,
        }
    }
}

/// A value that did not parse, placed in the file.
fn piece_error(at: Start, e: &serde_json::Error) -> FrameError {
    let (line, column) = at.place(e);
    FrameError::Json {
        line,
        column,
        message: super::json::sentence(e),
    }
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

/// A feature framed: where its bytes are in the batch, and where it is in the file.
struct Framed {
    bytes: std::ops::Range<usize>,
    index: usize,
    at: Start,
    offset: u64,
}

/// The features of one batch: their bytes, one after another, and where each starts.
#[derive(Default)]
struct Batch {
    bytes: Vec<u8>,
    features: Vec<Framed>,
    /// Why the features array ended in this batch, if it did.
    end: Option<End>,
}

enum End {
    /// The closing bracket.
    Closed,
    /// A JSON error after the batch's features (or the end of the file inside the last).
    Failed(Stop),
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
            .map_err(|e| piece_error(at, &e))?;
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
        let mut framing = Framing::default();
        let mut batch = Some(framing.batch(&mut self.framer, Batch::default()));
        let mut choice = Choice::default();
        // The last batch's records and how its features ended, handed over on this thread
        // while the pool parses the next batch and frames the one after. Buffers go round
        // (a batch parsed is framed into again, records handed over are parsed into again):
        // memory touched for the first time is what a read costs most on a fresh machine.
        let mut ready: Option<(Records, Option<End>)> = None;
        let (mut spare, mut records) = (Batch::default(), Records::new());
        let (path, mapping) = (self.path, self.mapping);
        let (framer, out, extent) = (&mut self.framer, &mut self.out, &mut self.extent);
        let pick = &mut *self.pick;
        loop {
            let mut next = None;
            if let Some(b) = batch.as_mut() {
                choice.choose(path, pick, b)?;
            }
            let handed = rayon::in_place_scope(|s| {
                if let Some(mut b) = batch.take() {
                    let (framing, framer, next) = (&mut framing, &mut *framer, &mut next);
                    let (empty, mut into) =
                        (std::mem::take(&mut spare), std::mem::take(&mut records));
                    s.spawn(move |_| {
                        let end = b.end.take();
                        let following = if end.is_none() {
                            rayon::join(
                                || Some(framing.batch(framer, empty)),
                                || parse_batch(path, mapping, &b, &mut into),
                            )
                            .0
                        } else {
                            parse_batch(path, mapping, &b, &mut into);
                            None
                        };
                        *next = Some((into, end, following, b));
                    });
                }
                match ready.as_mut() {
                    Some((parsed, end)) => hand_over(parsed, end.take(), out, extent, sink),
                    None => Ok(false),
                }
            });
            if handed? {
                return Ok(());
            }
            if let Some((drained, _)) = ready.take() {
                records = drained;
            }
            let Some((parsed, end, following, spent)) = next else {
                unreachable!("a batch follows a batch whose features did not end")
            };
            ready = Some((parsed, end));
            batch = following;
            spare = spent;
        }
    }
}

/// What `pick` said of the features so far.
#[derive(Default)]
struct Choice {
    /// The feature a jump goes to, and the offset it named.
    jump: Option<(u64, u64)>,
}

impl Choice {
    /// Leaves out of `b` the features `pick` passes over.
    fn choose(
        &mut self,
        path: &Path,
        pick: &mut dyn FnMut(u64, u64) -> Pick,
        b: &mut Batch,
    ) -> Result<(), ImportError> {
        let mut failure = None;
        b.features.retain(|f| {
            let i = f.index as u64;
            if failure.is_some() {
                return false;
            }
            match self.jump {
                Some((to, _)) if i < to => return false,
                Some((_, offset)) if offset != f.offset => {
                    failure = Some(ImportError::format(
                        path,
                        format!(
                            "feature {i} starts at byte {}, not at byte {offset} where it was when the file was read whole: the file changed",
                            f.offset
                        ),
                    ));
                    return false;
                }
                _ => self.jump = None,
            }
            match pick(i, f.offset) {
                Pick::Read => true,
                Pick::Jump { index, .. } if index <= i => {
                    failure = Some(ImportError::format(
                        path,
                        format!("a jump from feature {i} to feature {index} does not go forwards"),
                    ));
                    false
                }
                Pick::Jump { index, offset } => {
                    self.jump = Some((index, offset));
                    false
                }
            }
        });
        failure.map_or(Ok(()), Err)
    }
}

/// Hands a batch's records on in file order: plots to the file, parts to `sink`. True when
/// the features array ended with this batch; its first error otherwise.
fn hand_over(
    parsed: &mut Records,
    end: Option<End>,
    out: &mut ProfileFile,
    extent: &mut Option<Extent>,
    sink: &mut dyn FnMut(RawPart),
) -> Result<bool, Stop> {
    for p in parsed.drain(..) {
        let p = p?;
        if let Some(e) = p.extent {
            widen(extent, e);
        }
        match p.record {
            Record::Plot(plot) => out.plots.push(plot),
            Record::Part(part) => sink(part),
        }
    }
    match end {
        Some(End::Closed) => Ok(true),
        Some(End::Failed(stop)) => Err(stop),
        None => Ok(false),
    }
}

/// Widens `extent` to hold `e`.
fn widen(extent: &mut Option<Extent>, e: Extent) {
    let x = extent.get_or_insert(e);
    x.min = [x.min[0].min(e.min[0]), x.min[1].min(e.min[1])];
    x.max = [x.max[0].max(e.max[0]), x.max[1].max(e.max[1])];
}

/// A batch's features parsed, in file order.
type Records = Vec<Result<Parsed, ImportError>>;

/// Parses a batch's features on all cores, in order.
fn parse_batch(path: &Path, mapping: &FieldMapping, batch: &Batch, into: &mut Records) {
    batch
        .features
        .par_iter()
        .with_min_len(64)
        .map(|f| {
            let piece = Piece {
                bytes: &batch.bytes[f.bytes.clone()],
                index: f.index,
                at: f.at,
            };
            feature::parse(path, piece, mapping)
        })
        .collect_into_vec(into);
}

/// Where the framing of the features array stands.
#[derive(Default)]
struct Framing {
    /// The index of the next feature.
    index: usize,
    /// Whether a feature has been read, and whether a comma follows the last one.
    started: bool,
    after_comma: bool,
}

impl Framing {
    /// Frames features into `b` (a batch handed over already, or a new one) until it is full
    /// or the array ends.
    fn batch<R: std::io::Read>(&mut self, f: &mut Framer<R>, mut b: Batch) -> Batch {
        b.bytes.clear();
        b.features.clear();
        b.end = None;
        b.bytes.reserve(BATCH_BYTES + (64 << 10));
        while b.bytes.len() < BATCH_BYTES && b.end.is_none() {
            if let Err(stop) = self.next(f, &mut b) {
                b.end = Some(End::Failed(stop.in_feature(self.index)));
            }
        }
        b
    }

    /// Frames the next feature (or separator, or the end) into `b`.
    fn next<R: std::io::Read>(&mut self, f: &mut Framer<R>, b: &mut Batch) -> Result<(), Stop> {
        let Some(c) = f.peek()? else {
            return Err(f.error("EOF while parsing a list").into());
        };
        match c {
            b']' if self.after_comma => return Err(f.error("trailing comma").into()),
            b']' => {
                f.bump();
                b.end = Some(End::Closed);
                return Ok(());
            }
            b',' if self.started && !self.after_comma => {
                f.bump();
                self.after_comma = true;
                return Ok(());
            }
            _ if self.started && !self.after_comma => {
                return Err(f.error("expected `,` or `]`").into());
            }
            _ => {}
        }
        let (at, offset) = (f.here(), f.offset());
        let (len, whole) = match f.value()? {
            frame::Value::Whole(n) => (n, true),
            frame::Value::Truncated(n) => (n, false),
        };
        let start = b.bytes.len();
        b.bytes.extend_from_slice(f.bytes(len));
        b.features.push(Framed {
            bytes: start..b.bytes.len(),
            index: self.index,
            at,
            offset,
        });
        f.consume(len);
        if !whole {
            // The feature's own parse names what is missing; the end of the file follows it.
            b.end = Some(End::Failed(
                Stop::from(f.error("EOF while parsing a list")).in_feature(self.index),
            ));
        }
        self.index += 1;
        self.started = true;
        self.after_comma = false;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Reads `text` with `pick`; the error's words, or the unit features' ids and findings.
    fn read_picked(
        text: &str,
        pick: &mut dyn FnMut(u64, u64) -> Pick,
    ) -> Result<Vec<String>, String> {
        let mut parts = Vec::new();
        let read = read_geojson_picked(
            Path::new("t.geojson"),
            text.as_bytes(),
            &FieldMapping::default(),
            pick,
            &mut |p| parts.push(p),
        );
        match read {
            Ok(Streamed::Profile(_)) => Ok(parts
                .iter()
                .map(|p| {
                    let found: Vec<String> = p.findings.iter().map(|f| f.to_string()).collect();
                    format!("{} {}", p.feature, found.join("; "))
                        .trim()
                        .to_string()
                })
                .collect()),
            Ok(Streamed::Other(d)) => Err(format!("{d:?}")),
            Err(e) => Err(e.to_string()),
        }
    }

    fn read(text: &str) -> Result<Vec<String>, String> {
        read_picked(text, &mut |_, _| Pick::Read)
    }

    /// A collection of unit features with these geometries (`id` 0, 1, …).
    fn collection(geometries: &[&str]) -> String {
        let features: Vec<String> = geometries
            .iter()
            .enumerate()
            .map(|(i, g)| {
                format!(
                    r#"{{"type": "Feature", "id": "{i}", "properties": {{"unit_code": "U{i}", "z_bottom": 0, "z_top": 3}}, "geometry": {g}}}"#
                )
            })
            .collect();
        format!(
            "{{\"type\": \"FeatureCollection\",\n\"features\": [\n{}\n]}}",
            features.join(",\n")
        )
    }

    fn polygon(coordinates: &str) -> String {
        format!(r#"{{"type": "Polygon", "coordinates": {coordinates}}}"#)
    }

    const SQUARE: &str = "[[[0, 0], [1, 0], [1, 1], [0, 0]]]";

    #[test]
    fn coordinates_that_are_not_positions_are_named_with_their_field() {
        let cases = [
            (
                polygon(r#"[[[0, 0], [1, "a"], [1, 1], [0, 0]]]"#),
                r#"field `geometry.coordinates[0][1]`: y is not a number: "a""#,
            ),
            (
                polygon(r#"[[[0, 0], [[1], 2], [0, 0]]]"#),
                "field `geometry.coordinates[0][1]`: x is not a number: [1]",
            ),
            (
                polygon("[[[0, 0], [1], [1, 1], [0, 0]]]"),
                "field `geometry.coordinates[0][1]`: a position needs x and y",
            ),
            (
                polygon("[[5]]"),
                "field `geometry.coordinates[0][0]`: a position must be an array [x, y]",
            ),
            (
                polygon("[[[0, 0], [1, 0], [1, 1], [0, 0]], 7]"),
                "field `geometry.coordinates[1]`: a ring must be an array of positions",
            ),
            (
                polygon("5"),
                "field `geometry.coordinates`: a polygon must be an array of rings",
            ),
            (
                format!(r#"{{"type": "MultiPolygon", "coordinates": [{SQUARE}, 7]}}"#),
                "field `geometry.coordinates[1]`: a polygon must be an array of rings",
            ),
            (
                r#"{"type": "MultiPolygon", "coordinates": {}}"#.into(),
                "field `geometry.coordinates`: a MultiPolygon needs an array of polygons",
            ),
            (
                r#"{"type": "Polygon"}"#.into(),
                "field `geometry.coordinates`: missing",
            ),
            (
                r#"{"coordinates": []}"#.into(),
                "field `geometry.type`: missing",
            ),
            ("[1, 2]".into(), "field `geometry.type`: missing"),
        ];
        for (geometry, words) in cases {
            let text = collection(&[&polygon(SQUARE), &geometry]);
            let e = read(&text).expect_err(&geometry);
            assert!(e.contains(words), "{geometry}: {e}");
            assert!(e.contains("feature 1 (\"1\")"), "{e}");
        }
    }

    #[test]
    fn geometries_without_a_footprint_are_findings() {
        let open = polygon("[[[0, 0], [1, 0], [1, 1], [0, 1]]]");
        let point = r#"{"type": "Point", "coordinates": [1, 2]}"#;
        let empty = polygon("[]");
        let multi = format!(r#"{{"type": "MultiPolygon", "coordinates": [[], {SQUARE}]}}"#);
        let got = read(&collection(&[&open, point, &empty, "null", &multi])).unwrap();
        assert!(
            got[0].contains("geometry.coordinates[0]") && got[0].contains("RFC 7946"),
            "{}",
            got[0]
        );
        assert!(
            got[1].contains("a Point cannot hold a footprint"),
            "{}",
            got[1]
        );
        assert!(got[2].contains("the geometry is empty"), "{}", got[2]);
        assert!(got[3].contains("the feature has no geometry"), "{}", got[3]);
        assert_eq!(
            got[4], "feature 4 (\"4\")",
            "an empty polygon of a MultiPolygon is left out"
        );
    }

    #[test]
    fn members_given_twice_are_named_with_their_object() {
        let cases = [
            (
                r#"{"type": "Polygon", "type": "Polygon", "coordinates": []}"#.to_string(),
                "the member `type` is given twice in `geometry` (in feature 1)",
            ),
            (
                polygon(r#"[[[0, 0], {"a": 1, "a": 2}]]"#),
                "the member `a` is given twice in `geometry.coordinates` (in feature 1)",
            ),
        ];
        for (geometry, words) in cases {
            let e = read(&collection(&[&polygon(SQUARE), &geometry])).unwrap_err();
            assert!(e.contains(words), "{e}");
        }
        let twice = r#"{"type": "FeatureCollection", "features": [
            {"type": "Feature", "id": 1, "id": 2, "geometry": null}]}"#;
        assert!(
            read(twice)
                .unwrap_err()
                .contains("the member `id` is given twice (in feature 0)")
        );
        let nested = r#"{"type": "FeatureCollection", "features": [
            {"type": "Feature", "properties": {"x": {"b": 1, "b": 1}}, "geometry": null}]}"#;
        let e = read(nested).unwrap_err();
        assert!(e.contains("`b` is given twice in `properties.x`"), "{e}");
        let top = r#"{"type": "FeatureCollection", "features": [], "features": []}"#;
        assert!(
            read(top)
                .unwrap_err()
                .contains("the member `features` is given twice")
        );
    }

    #[test]
    fn syntax_errors_between_features_are_placed_in_the_file() {
        let square = polygon(SQUARE);
        let text = collection(&[&square, &square, &square]);
        // A missing comma between features 1 and 2, on line 4.
        let broken = text.replacen(
            "},\n{\"type\": \"Feature\", \"id\": \"2\"",
            "}\n{\"type\": \"Feature\", \"id\": \"2\"",
            1,
        );
        let e = read(&broken).unwrap_err();
        assert!(
            e.contains("line 5, column 1") && e.contains("expected `,` or `]` (in feature 2)"),
            "{e}"
        );
        let trailing = text.replace("\n]}", ",\n]}");
        let e = read(&trailing).unwrap_err();
        assert!(e.contains("trailing comma (in feature 3)"), "{e}");
        let cut = &text[..text.len() - 40];
        let e = read(cut).unwrap_err();
        assert!(
            e.contains("EOF while parsing") && e.contains("(in feature 2)"),
            "{e}"
        );
        // Inside a feature, serde_json's own words, at the place in the file.
        let bad = text.replacen("\"id\": \"1\"", "\"id\": \"1\" 5", 1);
        let e = read(&bad).unwrap_err();
        assert!(
            e.contains("line 4, column 31") && e.contains("in feature 1"),
            "{e}"
        );
        let after = format!("{text} x");
        assert!(read(&after).unwrap_err().contains("trailing characters"));
        let wrong = r#"{"type": "FeatureCollection", "features": {}}"#;
        assert!(
            read(wrong)
                .unwrap_err()
                .contains("invalid type: map, expected an array of features")
        );
    }

    #[test]
    fn features_a_pick_jumps_over_are_not_parsed() {
        let square = polygon(SQUARE);
        // Feature 1 is not even a feature: passed over, it is not read.
        let text = collection(&[&square, &square, &square, &square]).replacen(
            "\"type\": \"Feature\", \"id\": \"1\"",
            "\"type\": \"Nothing\", \"id\": \"1\"",
            1,
        );
        let mut offsets = Vec::new();
        assert!(
            read_picked(&text, &mut |_, at| {
                offsets.push(at);
                Pick::Read
            })
            .unwrap_err()
            .contains("must be \"Feature\"")
        );
        assert_eq!(text.as_bytes()[offsets[1] as usize], b'{');
        let (to, at) = (3, offsets_of(&text)[3]);
        let mut jump = |i: u64, _| match i {
            1 => Pick::Jump {
                index: to,
                offset: at,
            },
            _ => Pick::Read,
        };
        let got = read_picked(&text, &mut jump).unwrap();
        assert_eq!(got, ["feature 0 (\"0\")", "feature 3 (\"3\")"]);
        let mut back = |i: u64, _| match i {
            2 => Pick::Jump {
                index: 1,
                offset: 0,
            },
            _ => Pick::Jump {
                index: 2,
                offset: offsets_of(&text)[2],
            },
        };
        assert!(
            read_picked(&text, &mut back)
                .unwrap_err()
                .contains("does not go forwards")
        );
        let mut moved = |i: u64, _| match i {
            0 => Pick::Jump {
                index: 2,
                offset: at,
            },
            _ => Pick::Read,
        };
        assert!(
            read_picked(&text, &mut moved)
                .unwrap_err()
                .contains("the file changed")
        );
    }

    /// Where each feature of `text` starts, as the reader says.
    fn offsets_of(text: &str) -> Vec<u64> {
        let mut offsets = Vec::new();
        let _ = read_picked(text, &mut |_, at| {
            offsets.push(at);
            Pick::Read
        });
        offsets
    }
}
