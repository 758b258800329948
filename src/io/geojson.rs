//! The GeoJSON survey profile: plots and prism parts of units (see
//! `docs/formats/geojson-profile.md`).

use std::path::{Path, PathBuf};

use geo::{LineString, MultiPolygon, Polygon};
use serde_json::{Map, Value};

use crate::geometry::{Part, Prism};
use crate::model::Plot;
use crate::model::frame::parse_crs_reference;
use crate::validate::{Code, Finding, Location};

use super::error::ImportError;
use super::mapping::FieldMapping;

/// One unit feature of a survey file: a prism part (or several, for a MultiPolygon), or a
/// polyhedron (LandXML volumetric parcels).
#[derive(Debug, Clone)]
pub struct RawPart {
    /// The file.
    pub file: PathBuf,
    /// `feature 3 ("GX00001-B1")`.
    pub feature: String,
    /// `unit_code` as given.
    pub code_text: Option<String>,
    /// The properties (model fields, level and extras).
    pub properties: Map<String, Value>,
    /// The parts; empty when the geometry or an elevation is missing (see `findings`).
    pub parts: Vec<Part>,
    /// What is wrong with this feature.
    pub findings: Vec<Finding>,
}

/// What a file of the survey profile holds (GeoJSON or FlatGeobuf).
#[derive(Debug, Clone, Default)]
pub struct ProfileFile {
    /// The EPSG code of the `crs` member, if any.
    pub crs: Option<u32>,
    /// The vertical EPSG code, when `crs` names a compound CRS.
    pub vertical: Option<u32>,
    /// `height_datum` at the top level.
    pub height_datum: Option<String>,
    /// `ground_elevation` at the top level.
    pub ground_elevation: Option<f64>,
    /// The plot features.
    pub plots: Vec<Plot>,
    /// Every horizontal coordinate, for the CRS checks (x, y, feature label).
    pub extent: Option<Extent>,
}

/// The range of horizontal coordinates of a file, with a sample point and its feature.
#[derive(Debug, Clone, Copy)]
pub struct Extent {
    /// Smallest x and y.
    pub min: [f64; 2],
    /// Largest x and y.
    pub max: [f64; 2],
}

/// The label of feature `i` in messages.
pub(crate) fn feature_label(i: usize, f: &Value) -> String {
    match f.get("id") {
        Some(Value::String(s)) => format!("feature {i} (\"{s}\")"),
        Some(Value::Number(n)) => format!("feature {i} ({n})"),
        _ => format!("feature {i}"),
    }
}

struct Reader<'a> {
    path: &'a Path,
    extent: Option<Extent>,
    mapping: &'a FieldMapping,
}

impl Reader<'_> {
    fn err(&self, feature: &str, field: &str, msg: impl Into<String>) -> ImportError {
        ImportError::field(self.path, feature, field, msg)
    }

    /// Position `i` of the ring at `field`; the field's name is only written out for an error
    /// (this runs once per coordinate of a district).
    fn coord(
        &mut self,
        v: &Value,
        feature: &str,
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
        feature: &str,
        field: &str,
    ) -> Result<LineString<f64>, ImportError> {
        let a = v
            .as_array()
            .ok_or_else(|| self.err(feature, field, "a ring must be an array of positions"))?;
        let mut pts = Vec::with_capacity(a.len());
        for (i, p) in a.iter().enumerate() {
            pts.push(self.coord(p, feature, field, i)?);
        }
        Ok(LineString::from(pts))
    }

    fn polygon(
        &mut self,
        v: &Value,
        feature: &str,
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
        feature: &str,
    ) -> Result<Result<Vec<Polygon<f64>>, Finding>, ImportError> {
        let loc = Location::field(feature, "geometry");
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
                    Location::field(feature, "geometry.type"),
                    format!("a {other} cannot hold a footprint: use Polygon or MultiPolygon"),
                )));
            }
        };
        if polys.is_empty() {
            return Ok(Err(Finding::new(
                Code::EmptyPrimitive,
                Location::field(feature, "geometry.coordinates"),
                "the geometry is empty",
            )));
        }
        Ok(Ok(polys))
    }
}

// A finding is the natural error here; it is built once per bad field, never in a hot loop.
#[allow(clippy::result_large_err)]
fn elevation(props: &Map<String, Value>, name: &str, feature: &str) -> Result<f64, Finding> {
    let loc = || Location::field(feature, format!("properties.{name}"));
    match props.get(name) {
        None | Some(Value::Null) => Err(Finding::new(
            Code::ElevationMissing,
            loc(),
            format!(
                "`{name}` is missing: every unit part needs z_bottom and z_top (metres in the height datum)"
            ),
        )),
        Some(v) => match v.as_f64() {
            Some(z) if z.is_finite() => Ok(z),
            _ => Err(Finding::new(
                Code::ElevationMissing,
                loc(),
                format!("`{name}` must be a number of metres, found {v}"),
            )),
        },
    }
}

/// A feature of the survey profile, whatever file format carried it.
pub(crate) enum Record {
    /// A planning plot.
    Plot(Plot),
    /// A prism part of a unit.
    Part(RawPart),
}

/// Interprets one feature of the survey profile (GeoJSON or FlatGeobuf): its properties and
/// its footprints (or the finding that explains why it has none).
pub(crate) fn record(
    path: &Path,
    feature: String,
    props: Map<String, Value>,
    footprints: Result<Vec<Polygon<f64>>, Finding>,
) -> Result<Record, ImportError> {
    let err = |field: &str, msg: String| ImportError::field(path, &feature, field, msg);
    let kind = props.get("kind").and_then(Value::as_str).unwrap_or("unit");
    match kind {
        "plot" => {
            let id = props
                .get("plot_id")
                .and_then(Value::as_str)
                .ok_or_else(|| {
                    err(
                        "properties.plot_id",
                        "a plot needs a `plot_id` string".into(),
                    )
                })?
                .to_string();
            let polys = footprints
                .map_err(|f| err(f.location.field.as_deref().unwrap_or("geometry"), f.message))?;
            let ground_elevation = match props.get("ground_elevation") {
                None | Some(Value::Null) => None,
                Some(g) => Some(g.as_f64().ok_or_else(|| {
                    err(
                        "properties.ground_elevation",
                        format!("must be a number of metres, found {g}"),
                    )
                })?),
            };
            Ok(Record::Plot(Plot {
                id,
                name: props
                    .get("name")
                    .and_then(Value::as_str)
                    .map(str::to_string),
                land_use: props
                    .get("land_use")
                    .and_then(Value::as_str)
                    .map(str::to_string),
                ground_elevation,
                green_space: props
                    .get("green_space")
                    .and_then(Value::as_bool)
                    .unwrap_or(false),
                footprint: MultiPolygon::new(polys),
                file: path.to_path_buf(),
            }))
        }
        "unit" => {
            let mut findings = Vec::new();
            let code_text = match props.get("unit_code") {
                Some(Value::String(s)) => Some(s.clone()),
                None | Some(Value::Null) => {
                    findings.push(Finding::new(
                        Code::UnitCodeMissing,
                        Location::field(&feature, "properties.unit_code"),
                        "`unit_code` is missing: every unit part needs its 28-character real-estate unit code",
                    ));
                    None
                }
                Some(other) => {
                    findings.push(Finding::new(
                        Code::UnitCodeInvalid,
                        Location::field(&feature, "properties.unit_code"),
                        format!("`unit_code` must be a string, found {other}"),
                    ));
                    None
                }
            };
            let zb = elevation(&props, "z_bottom", &feature);
            let zt = elevation(&props, "z_top", &feature);
            let mut parts = Vec::new();
            match (zb, zt, footprints) {
                (Ok(zb), Ok(zt), Ok(fps)) => {
                    parts = fps
                        .into_iter()
                        .map(|fp| Part::Prism(Prism::new(fp, zb, zt)))
                        .collect();
                }
                (zb, zt, fps) => {
                    findings.extend(zb.err());
                    findings.extend(zt.err());
                    findings.extend(fps.err());
                }
            }
            Ok(Record::Part(RawPart {
                file: path.to_path_buf(),
                feature,
                code_text,
                properties: props,
                parts,
                findings,
            }))
        }
        other => Err(err(
            "properties.kind",
            format!("must be \"unit\" or \"plot\", found \"{other}\""),
        )),
    }
}

/// A feature may hold at most this many positions. Parcels have tens to thousands of boundary
/// points; a million is far beyond any survey and keeps a hostile file from exhausting memory.
pub const MAX_POSITIONS_PER_FEATURE: usize = 1_000_000;

/// The members of a FeatureCollection other than its features.
fn header_member(
    path: &Path,
    key: &str,
    v: Value,
    out: &mut ProfileFile,
) -> Result<bool, ImportError> {
    match key {
        "type" => {
            if v.as_str() != Some("FeatureCollection") {
                return Err(ImportError::format(
                    path,
                    "not a GeoJSON FeatureCollection (`type` must be \"FeatureCollection\")",
                ));
            }
            Ok(true)
        }
        "crs" => {
            let name = v
                .pointer("/properties/name")
                .and_then(Value::as_str)
                .ok_or_else(|| {
                    ImportError::field(
                        path,
                        "file",
                        "crs.properties.name",
                        "missing: expected e.g. \"urn:ogc:def:crs:EPSG::4548\"",
                    )
                })?;
            let (h, vert) = parse_crs_reference(name).ok_or_else(|| ImportError::Crs {
                path: path.to_path_buf(),
                message: format!("crs.properties.name: cannot read the CRS name `{name}`; expected e.g. \"urn:ogc:def:crs:EPSG::4548\""),
            })?;
            out.crs = h;
            out.vertical = vert;
            Ok(false)
        }
        "height_datum" => {
            out.height_datum = match v {
                Value::Null => None,
                Value::String(s) => Some(s),
                other => {
                    return Err(ImportError::field(
                        path,
                        "file",
                        "height_datum",
                        format!("must be a string such as \"EPSG:5737\", found {other}"),
                    ));
                }
            };
            Ok(false)
        }
        "ground_elevation" => {
            out.ground_elevation = match v {
                Value::Null => None,
                g => Some(g.as_f64().ok_or_else(|| {
                    ImportError::field(
                        path,
                        "file",
                        "ground_elevation",
                        format!("must be a number of metres, found {g}"),
                    )
                })?),
            };
            Ok(false)
        }
        _ => Ok(false),
    }
}

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

/// Reads a GeoJSON survey file already parsed as JSON; each unit feature goes to `sink`.
pub fn parse_geojson(
    path: &Path,
    v: &Value,
    mapping: &FieldMapping,
    sink: &mut dyn FnMut(RawPart),
) -> Result<ProfileFile, ImportError> {
    let mut out = ProfileFile::default();
    let Some(obj) = v.as_object() else {
        return Err(ImportError::format(
            path,
            "not a GeoJSON FeatureCollection (not a JSON object)",
        ));
    };
    let mut is_fc = false;
    for (k, val) in obj {
        if k != "features" {
            is_fc |= header_member(path, k, val.clone(), &mut out)?;
        }
    }
    if !is_fc {
        return Err(ImportError::format(
            path,
            "not a GeoJSON FeatureCollection (`type` must be \"FeatureCollection\")",
        ));
    }
    let features = obj
        .get("features")
        .and_then(Value::as_array)
        .ok_or_else(|| ImportError::field(path, "file", "features", "missing or not an array"))?;
    let mut r = Reader {
        path,
        extent: None,
        mapping,
    };
    for (i, f) in features.iter().enumerate() {
        feature(path, i, f.clone(), &mut r, &mut out, sink)?;
    }
    out.extent = r.extent;
    Ok(out)
}

/// Reads a GeoJSON survey file from a byte stream, one feature at a time: memory stays bounded
/// by the largest feature (at most [`MAX_POSITIONS_PER_FEATURE`] positions), whatever the size
/// of the file. Members may come in any order.
pub fn read_geojson_stream(
    path: &Path,
    reader: impl std::io::Read,
    mapping: &FieldMapping,
    sink: &mut dyn FnMut(RawPart),
) -> Result<ProfileFile, ImportError> {
    use serde::de::{DeserializeSeed, Deserializer, Error as _, MapAccess, SeqAccess, Visitor};

    struct State<'p, 's> {
        path: &'p Path,
        out: ProfileFile,
        reader: Reader<'p>,
        sink: &'s mut dyn FnMut(RawPart),
        failure: Option<ImportError>,
        features: bool,
        is_fc: bool,
        index: usize,
        /// The feature being parsed, while inside the `features` array.
        parsing: Option<usize>,
    }

    struct Top<'a, 'p, 's>(&'a mut State<'p, 's>);
    struct Features<'a, 'p, 's>(&'a mut State<'p, 's>);

    impl<'de> Visitor<'de> for Top<'_, '_, '_> {
        type Value = ();
        fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
            f.write_str("a GeoJSON FeatureCollection object")
        }
        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
            while let Some(key) = map.next_key::<String>()? {
                if key == "features" {
                    self.0.features = true;
                    map.next_value_seed(Features(&mut *self.0))?;
                } else {
                    let v: Value = map.next_value()?;
                    match header_member(self.0.path, &key, v, &mut self.0.out) {
                        Ok(fc) => self.0.is_fc |= fc,
                        Err(e) => {
                            self.0.failure = Some(e);
                            return Err(A::Error::custom("stop"));
                        }
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
            loop {
                let budget = std::cell::Cell::new(MAX_POSITIONS_PER_FEATURE);
                st.parsing = Some(st.index);
                let Some(f) = seq.next_element_seed(Bounded { budget: &budget })? else {
                    st.parsing = None;
                    return Ok(());
                };
                let i = st.index;
                st.index += 1;
                if let Err(e) = feature(st.path, i, f, &mut st.reader, &mut st.out, &mut *st.sink) {
                    st.failure = Some(e);
                    return Err(A::Error::custom("stop"));
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

    let mut st = State {
        path,
        out: ProfileFile::default(),
        reader: Reader {
            path,
            extent: None,
            mapping,
        },
        sink,
        failure: None,
        features: false,
        is_fc: false,
        index: 0,
        parsing: None,
    };
    let mut de =
        serde_json::Deserializer::from_reader(std::io::BufReader::with_capacity(1 << 20, reader));
    let result = Top(&mut st).deserialize(&mut de).and_then(|()| de.end());
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
                message: format!("{} (in feature {n})", strip_position(&e)),
            },
        });
    }
    if !st.is_fc {
        return Err(ImportError::format(
            path,
            "not a GeoJSON FeatureCollection (`type` must be \"FeatureCollection\")",
        ));
    }
    if !st.features {
        return Err(ImportError::field(
            path,
            "file",
            "features",
            "missing or not an array",
        ));
    }
    let mut out = st.out;
    out.extent = st.reader.extent;
    Ok(out)
}

fn strip_position(e: &serde_json::Error) -> String {
    let m = e.to_string();
    match m.rfind(" at line ") {
        Some(i) => m[..i].to_string(),
        None => m,
    }
}

/// Deserializes any JSON value while counting positions (arrays of 2 to 4 numbers) against a
/// budget, failing as soon as the budget is spent.
struct Bounded<'b> {
    budget: &'b std::cell::Cell<usize>,
}

impl<'de> serde::de::DeserializeSeed<'de> for Bounded<'_> {
    type Value = Value;
    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> serde::de::Visitor<'de> for Bounded<'_> {
    type Value = Value;
    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("a JSON value")
    }
    fn visit_bool<E>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }
    fn visit_i64<E>(self, v: i64) -> Result<Value, E> {
        Ok(Value::from(v))
    }
    fn visit_u64<E>(self, v: u64) -> Result<Value, E> {
        Ok(Value::from(v))
    }
    fn visit_f64<E: serde::de::Error>(self, v: f64) -> Result<Value, E> {
        serde_json::Number::from_f64(v)
            .map(Value::Number)
            .ok_or_else(|| E::custom("a number is not finite"))
    }
    fn visit_str<E>(self, v: &str) -> Result<Value, E> {
        Ok(Value::String(v.to_string()))
    }
    fn visit_string<E>(self, v: String) -> Result<Value, E> {
        Ok(Value::String(v))
    }
    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_none<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut v = Vec::new();
        while let Some(x) = seq.next_element_seed(Bounded {
            budget: self.budget,
        })? {
            v.push(x);
        }
        if (2..=4).contains(&v.len()) && v.iter().all(Value::is_number) {
            let left = self.budget.get();
            if left == 0 {
                return Err(serde::de::Error::custom(format!(
                    "the feature has more than {MAX_POSITIONS_PER_FEATURE} positions; no parcel has that many boundary points"
                )));
            }
            self.budget.set(left - 1);
        }
        Ok(Value::Array(v))
    }
    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut m = Map::new();
        while let Some(k) = map.next_key::<String>()? {
            let v = map.next_value_seed(Bounded {
                budget: self.budget,
            })?;
            m.insert(k, v);
        }
        Ok(Value::Object(m))
    }
}
