//! GeoJSON files of the survey profile: read as a stream, one feature at a time (see
//! `docs/formats/geojson-profile.md` and [`super::profile`] for what the features mean).

use std::path::Path;

use geo::{LineString, Polygon};
use serde_json::{Map, Value};

use std::cell::{Cell, RefCell};

use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};

use crate::diagnostics::{Code, FeatureId, FeatureRef, Finding, Location, clip, clip_json};
use crate::model::frame::parse_crs_reference;

use super::error::ImportError;
use super::json::{Limits, Strict, duplicate_member, sentence};
use super::mapping::FieldMapping;
use super::profile::{Extent, MAX_POSITIONS_PER_FEATURE, ProfileFile, RawPart, Record, record};

/// Feature `i` of a file, with its `id` member.
pub(crate) fn feature_label(i: usize, f: &Value) -> FeatureRef {
    let id = match f.get("id") {
        Some(Value::String(s)) => Some(FeatureId::Text(s.clone())),
        Some(Value::Number(n)) => Some(FeatureId::Number(n.to_string())),
        _ => None,
    };
    FeatureRef::feature_with(i, id)
}

struct Reader<'a> {
    path: &'a Path,
    extent: Option<Extent>,
    mapping: &'a FieldMapping,
    /// The first ring of the current feature whose last position does not repeat its first.
    unclosed: Option<String>,
}

impl Reader<'_> {
    fn err(&self, feature: &FeatureRef, field: &str, msg: impl Into<String>) -> ImportError {
        ImportError::field(self.path, feature.clone(), field, msg)
    }

    /// Position `i` of the ring at `field`; the field's name is only written out for an error
    /// (this runs once per coordinate of a district).
    fn coord(
        &mut self,
        v: &Value,
        feature: &FeatureRef,
        field: &str,
        i: usize,
    ) -> Result<(f64, f64), ImportError> {
        let err = |msg: String| self.err(feature, &format!("{field}[{i}]"), msg);
        let a = v
            .as_array()
            .ok_or_else(|| err("a position must be an array [x, y]".into()))?;
        if a.len() < 2 {
            return Err(err("a position needs x and y".into()));
        }
        let x = a[0]
            .as_f64()
            .ok_or_else(|| err(format!("x is not a number: {}", a[0])))?;
        let y = a[1]
            .as_f64()
            .ok_or_else(|| err(format!("y is not a number: {}", a[1])))?;
        if !x.is_finite() || !y.is_finite() {
            return Err(err("a coordinate is not a finite number".into()));
        }
        let e = self.extent.get_or_insert(Extent {
            min: [x, y],
            max: [x, y],
        });
        e.min = [e.min[0].min(x), e.min[1].min(y)];
        e.max = [e.max[0].max(x), e.max[1].max(y)];
        Ok((x, y))
    }

    fn ring(
        &mut self,
        v: &Value,
        feature: &FeatureRef,
        field: &str,
    ) -> Result<LineString<f64>, ImportError> {
        let a = v
            .as_array()
            .ok_or_else(|| self.err(feature, field, "a ring must be an array of positions"))?;
        let mut pts = Vec::with_capacity(a.len());
        for (i, p) in a.iter().enumerate() {
            pts.push(self.coord(p, feature, field, i)?);
        }
        // RFC 7946: a linear ring's last position repeats its first. A polygon closes its
        // rings itself, so an open ring is noted here, where it can still be seen.
        if pts.len() > 1 && pts.first() != pts.last() && self.unclosed.is_none() {
            self.unclosed = Some(field.to_string());
        }
        Ok(LineString::from(pts))
    }

    fn polygon(
        &mut self,
        v: &Value,
        feature: &FeatureRef,
        field: &str,
    ) -> Result<Option<Polygon<f64>>, ImportError> {
        let a = v
            .as_array()
            .ok_or_else(|| self.err(feature, field, "a polygon must be an array of rings"))?;
        if a.is_empty() {
            return Ok(None);
        }
        let ext = self.ring(&a[0], feature, &format!("{field}[0]"))?;
        if ext.0.is_empty() {
            return Ok(None);
        }
        let mut holes = Vec::new();
        for (i, r) in a.iter().enumerate().skip(1) {
            holes.push(self.ring(r, feature, &format!("{field}[{i}]"))?);
        }
        Ok(Some(Polygon::new(ext, holes)))
    }

    /// The footprints of a feature's geometry; `Ok(Err(finding))` for a geometry that cannot
    /// hold a footprint.
    fn footprints(
        &mut self,
        f: &Value,
        feature: &FeatureRef,
    ) -> Result<Result<Vec<Polygon<f64>>, Finding>, ImportError> {
        let loc = Location::field(feature.clone(), "geometry");
        let Some(g) = f.get("geometry").filter(|g| !g.is_null()) else {
            return Ok(Err(Finding::new(
                Code::EmptyPrimitive,
                loc,
                "the feature has no geometry",
            )));
        };
        let ty = g
            .get("type")
            .and_then(Value::as_str)
            .ok_or_else(|| self.err(feature, "geometry.type", "missing"))?;
        let coords = g.get("coordinates");
        self.unclosed = None;
        let polys = match (ty, coords) {
            ("Polygon", Some(c)) => self
                .polygon(c, feature, "geometry.coordinates")?
                .into_iter()
                .collect(),
            ("MultiPolygon", Some(c)) => {
                let a = c.as_array().ok_or_else(|| {
                    self.err(
                        feature,
                        "geometry.coordinates",
                        "a MultiPolygon needs an array of polygons",
                    )
                })?;
                let mut out = Vec::new();
                for (i, p) in a.iter().enumerate() {
                    if let Some(p) =
                        self.polygon(p, feature, &format!("geometry.coordinates[{i}]"))?
                    {
                        out.push(p);
                    }
                }
                out
            }
            ("Polygon" | "MultiPolygon", None) => {
                return Err(self.err(feature, "geometry.coordinates", "missing"));
            }
            (other, _) => {
                return Ok(Err(Finding::new(
                    Code::GeometryTypeUnsupported,
                    Location::field(feature.clone(), "geometry.type"),
                    format!("a {other} cannot hold a footprint: use Polygon or MultiPolygon"),
                )));
            }
        };
        if polys.is_empty() {
            return Ok(Err(Finding::new(
                Code::EmptyPrimitive,
                Location::field(feature.clone(), "geometry.coordinates"),
                "the geometry is empty",
            )));
        }
        if let Some(field) = self.unclosed.take() {
            return Ok(Err(Finding::new(
                Code::RingNotClosed,
                Location::field(feature.clone(), field),
                "the ring's last position does not repeat its first: GeoJSON rings are closed (RFC 7946)",
            )));
        }
        Ok(Ok(polys))
    }
}

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

/// One feature, already parsed.
fn feature(
    path: &Path,
    i: usize,
    mut f: Value,
    r: &mut Reader,
    out: &mut ProfileFile,
    sink: &mut dyn FnMut(RawPart),
) -> Result<(), ImportError> {
    let label = feature_label(i, &f);
    let mapping = r.mapping;
    if f.get("type").and_then(Value::as_str) != Some("Feature") {
        return Err(r.err(&label, "type", "must be \"Feature\""));
    }
    let props = match f.get_mut("properties").map(Value::take) {
        Some(Value::Object(m)) => m,
        None | Some(Value::Null) => Map::new(),
        Some(_) => return Err(r.err(&label, "properties", "must be an object")),
    };
    let footprints = r.footprints(&f, &label)?;
    match record(path, label, mapping.apply(props), footprints)? {
        Record::Plot(p) => out.plots.push(p),
        Record::Part(p) => sink(p),
    }
    Ok(())
}

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
/// by the largest feature (at most [`MAX_POSITIONS_PER_FEATURE`] positions), whatever the size
/// of the file. Members may come in any order; a member given twice is refused. The format is
/// decided by parsing: a top-level `"type": "CityJSON"` (or `CityObjects`, `vertices`,
/// `transform`) wherever it comes, stops the read with [`Streamed::Other`], before any feature
/// went to `sink`.
pub fn read_geojson_stream(
    path: &Path,
    reader: impl std::io::Read,
    mapping: &FieldMapping,
    sink: &mut dyn FnMut(RawPart),
) -> Result<Streamed, ImportError> {
    let mut st = State {
        path,
        out: ProfileFile::default(),
        reader: Reader {
            path,
            extent: None,
            mapping,
            unclosed: None,
        },
        sink,
        failure: None,
        detected: None,
        seen: Vec::new(),
        index: 0,
        parsing: None,
    };
    let mut de =
        serde_json::Deserializer::from_reader(std::io::BufReader::with_capacity(1 << 20, reader));
    let result = Top(&mut st).deserialize(&mut de).and_then(|()| de.end());
    if let Some(d) = st.detected {
        return Ok(Streamed::Other(d));
    }
    if let Some(e) = st.failure.take() {
        return Err(e);
    }
    if let Err(e) = result {
        return Err(match st.parsing {
            None => ImportError::json(path, &e),
            Some(n) => ImportError::Json {
                path: path.to_path_buf(),
                line: e.line(),
                column: e.column(),
                message: format!("{} (in feature {n})", sentence(&e)),
            },
        });
    }
    if !st.seen.iter().any(|k| k == "type") {
        return Err(ImportError::format(
            path,
            "not a GeoJSON FeatureCollection: the top-level `type` member is missing",
        ));
    }
    if !st.seen.iter().any(|k| k == "features") {
        return Err(ImportError::field(
            path,
            FeatureRef::file(),
            "features",
            "missing: a FeatureCollection holds its features in a `features` array",
        ));
    }
    let mut out = st.out;
    out.extent = st.reader.extent;
    Ok(Streamed::Profile(out))
}

struct State<'p, 's> {
    path: &'p Path,
    out: ProfileFile,
    reader: Reader<'p>,
    sink: &'s mut dyn FnMut(RawPart),
    failure: Option<ImportError>,
    detected: Option<Detected>,
    /// The top-level members read so far.
    seen: Vec<String>,
    index: usize,
    /// The feature being parsed, while inside the `features` array.
    parsing: Option<usize>,
}

struct Top<'a, 'p, 's>(&'a mut State<'p, 's>);
struct Features<'a, 'p, 's>(&'a mut State<'p, 's>);

impl Top<'_, '_, '_> {
    /// Stops the read: the error tells serde_json to unwind, `failure` or `detected` says why.
    fn stop<E: de::Error>(&mut self, failure: Option<ImportError>) -> E {
        self.0.failure = failure;
        E::custom("stop")
    }
}

impl<'de> Visitor<'de> for Top<'_, '_, '_> {
    type Value = ();
    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("a GeoJSON FeatureCollection or CityJSON object")
    }
    fn visit_map<A: MapAccess<'de>>(mut self, mut map: A) -> Result<(), A::Error> {
        while let Some(key) = map.next_key::<String>()? {
            if self.0.seen.contains(&key) {
                let e = ImportError::format(self.0.path, duplicate_member(&[], &key));
                return Err(self.stop(Some(e)));
            }
            self.0.seen.push(key.clone());
            if CITYJSON_MEMBERS.contains(&key.as_str()) {
                self.0.detected = Some(Detected::CityJson);
                return Err(self.stop(None));
            }
            match key.as_str() {
                "features" => map.next_value_seed(Features(&mut *self.0))?,
                "type" => {
                    let v: Value = map.next_value()?;
                    match document_type(self.0.path, &v) {
                        Ok(None) => {}
                        Ok(Some(d)) => {
                            self.0.detected = Some(d);
                            return Err(self.stop(None));
                        }
                        Err(e) => return Err(self.stop(Some(e))),
                    }
                }
                k if HEADER_MEMBERS.contains(&k) => {
                    let budget = Cell::new(MAX_POSITIONS_PER_FEATURE);
                    let trail = RefCell::new(vec![key.clone()]);
                    let limits = Limits {
                        positions: Some(&budget),
                        path: &trail,
                    };
                    let v = map.next_value_seed(Strict(&limits))?;
                    if let Err(e) = header_member(self.0.path, k, v, &mut self.0.out) {
                        return Err(self.stop(Some(e)));
                    }
                }
                // Foreign members (`bbox`, `name`, extensions) are skipped without keeping them.
                _ => {
                    map.next_value::<de::IgnoredAny>()?;
                }
            }
        }
        Ok(())
    }
}

impl<'de> DeserializeSeed<'de> for Top<'_, '_, '_> {
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for Features<'_, '_, '_> {
    type Value = ();
    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("an array of features")
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        let st = self.0;
        let trail = RefCell::new(Vec::new());
        loop {
            let budget = Cell::new(MAX_POSITIONS_PER_FEATURE);
            let limits = Limits {
                positions: Some(&budget),
                path: &trail,
            };
            trail.borrow_mut().clear();
            st.parsing = Some(st.index);
            let Some(f) = seq.next_element_seed(Strict(&limits))? else {
                st.parsing = None;
                return Ok(());
            };
            let i = st.index;
            st.index += 1;
            if let Err(e) = feature(st.path, i, f, &mut st.reader, &mut st.out, &mut *st.sink) {
                st.failure = Some(e);
                return Err(de::Error::custom("stop"));
            }
        }
    }
}

impl<'de> DeserializeSeed<'de> for Features<'_, '_, '_> {
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_seq(self)
    }
}
