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
}

impl Reader<'_> {
    fn err(&self, feature: &str, field: &str, msg: impl Into<String>) -> ImportError {
        ImportError::field(self.path, feature, field, msg)
    }

    fn coord(&mut self, v: &Value, feature: &str, field: &str) -> Result<(f64, f64), ImportError> {
        let a = v
            .as_array()
            .ok_or_else(|| self.err(feature, field, "a position must be an array [x, y]"))?;
        if a.len() < 2 {
            return Err(self.err(feature, field, "a position needs x and y"));
        }
        let x = a[0]
            .as_f64()
            .ok_or_else(|| self.err(feature, field, format!("x is not a number: {}", a[0])))?;
        let y = a[1]
            .as_f64()
            .ok_or_else(|| self.err(feature, field, format!("y is not a number: {}", a[1])))?;
        if !x.is_finite() || !y.is_finite() {
            return Err(self.err(feature, field, "a coordinate is not a finite number"));
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
            pts.push(self.coord(p, feature, &format!("{field}[{i}]"))?);
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
    let loc = Location::field(feature, format!("properties.{name}"));
    match props.get(name) {
        None | Some(Value::Null) => Err(Finding::new(
            Code::ElevationMissing,
            loc,
            format!(
                "`{name}` is missing: every unit part needs z_bottom and z_top (metres in the height datum)"
            ),
        )),
        Some(v) => match v.as_f64() {
            Some(z) if z.is_finite() => Ok(z),
            _ => Err(Finding::new(
                Code::ElevationMissing,
                loc,
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
                    parts = fps.into_iter().map(|fp| Part::Prism(Prism::new(fp, zb, zt))).collect();
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

/// Reads a GeoJSON survey file already parsed as JSON; each unit feature goes to `sink`.
pub fn parse_geojson(
    path: &Path,
    v: &Value,
    sink: &mut dyn FnMut(RawPart),
) -> Result<ProfileFile, ImportError> {
    if v.get("type").and_then(Value::as_str) != Some("FeatureCollection") {
        return Err(ImportError::format(
            path,
            "not a GeoJSON FeatureCollection (`type` must be \"FeatureCollection\")",
        ));
    }
    let features = v
        .get("features")
        .and_then(Value::as_array)
        .ok_or_else(|| ImportError::field(path, "file", "features", "missing or not an array"))?;
    let mut out = ProfileFile::default();
    if let Some(c) = v.get("crs") {
        let name = c
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
    }
    out.height_datum = match v.get("height_datum") {
        None | Some(Value::Null) => None,
        Some(Value::String(s)) => Some(s.clone()),
        Some(other) => {
            return Err(ImportError::field(
                path,
                "file",
                "height_datum",
                format!("must be a string such as \"EPSG:5737\", found {other}"),
            ));
        }
    };
    out.ground_elevation = match v.get("ground_elevation") {
        None | Some(Value::Null) => None,
        Some(g) => Some(g.as_f64().ok_or_else(|| {
            ImportError::field(
                path,
                "file",
                "ground_elevation",
                format!("must be a number of metres, found {g}"),
            )
        })?),
    };
    let mut r = Reader { path, extent: None };
    for (i, f) in features.iter().enumerate() {
        let feature = feature_label(i, f);
        if f.get("type").and_then(Value::as_str) != Some("Feature") {
            return Err(r.err(&feature, "type", "must be \"Feature\""));
        }
        let props = match f.get("properties") {
            Some(Value::Object(m)) => m.clone(),
            None | Some(Value::Null) => Map::new(),
            Some(_) => return Err(r.err(&feature, "properties", "must be an object")),
        };
        let footprints = r.footprints(f, &feature)?;
        match record(path, feature, props, footprints)? {
            Record::Plot(p) => out.plots.push(p),
            Record::Part(p) => sink(p),
        }
    }
    out.extent = r.extent;
    Ok(out)
}
