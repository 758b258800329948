//! The survey profile: what a feature of a survey file means (a plot, or a prism part of a
//! unit with its elevations and model fields), whatever format carried it (GeoJSON,
//! FlatGeobuf, GDAL formats, LandXML). Specification: `docs/formats/geojson-profile.md`.

use std::path::{Path, PathBuf};

use geo::{MultiPolygon, Polygon};
use serde_json::{Map, Value};

use crate::diagnostics::{Code, FeatureRef, Finding, Location, clip, clip_json};
use crate::geometry::{Part, Polyhedron, Prism};
use crate::model::Plot;

use super::error::ImportError;

/// One unit feature of a survey file: a prism part (or several, for a MultiPolygon), or a
/// polyhedron (LandXML volumetric parcels).
#[derive(Debug, Clone)]
pub struct RawPart {
    /// The file.
    pub file: PathBuf,
    /// `feature 3 ("GX00001-B1")`.
    pub feature: FeatureRef,
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

impl Extent {
    /// Grows `extent` (none yet: nothing seen) to hold the point (`x`, `y`).
    pub fn grow(extent: &mut Option<Extent>, x: f64, y: f64) {
        let e = extent.get_or_insert(Extent {
            min: [x, y],
            max: [x, y],
        });
        e.min = [e.min[0].min(x), e.min[1].min(y)];
        e.max = [e.max[0].max(x), e.max[1].max(y)];
    }

    /// Grows `extent` to hold `other`.
    pub fn include(extent: &mut Option<Extent>, other: &Extent) {
        Extent::grow(extent, other.min[0], other.min[1]);
        Extent::grow(extent, other.max[0], other.max[1]);
    }
}

/// A feature may hold at most this many positions. Parcels have tens to thousands of boundary
/// points; a million is far beyond any survey and keeps a hostile file from exhausting memory.
pub const MAX_POSITIONS_PER_FEATURE: usize = 1_000_000;

// A finding is the natural error here; it is built once per bad field, never in a hot loop.
#[allow(clippy::result_large_err)]
fn elevation(props: &Map<String, Value>, name: &str, feature: &FeatureRef) -> Result<f64, Finding> {
    let loc = || Location::field(feature.clone(), format!("properties.{name}"));
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
                format!(
                    "`{name}` must be a number of metres, found {}",
                    clip_json(v)
                ),
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
    feature: FeatureRef,
    props: Map<String, Value>,
    footprints: Result<Vec<Polygon<f64>>, Finding>,
) -> Result<Record, ImportError> {
    match props.get("kind").and_then(Value::as_str).unwrap_or("unit") {
        "plot" => plot(path, feature, &props, footprints).map(Record::Plot),
        "unit" => Ok(Record::Part(unit_part(path, feature, props, footprints))),
        other => Err(ImportError::field(
            path,
            feature,
            "properties.kind",
            format!("must be \"unit\" or \"plot\", found \"{}\"", clip(other)),
        )),
    }
}

/// A plot feature; a plot that cannot be read is refused.
fn plot(
    path: &Path,
    feature: FeatureRef,
    props: &Map<String, Value>,
    footprints: Result<Vec<Polygon<f64>>, Finding>,
) -> Result<Plot, ImportError> {
    let err = |field: &str, msg: String| ImportError::field(path, feature.clone(), field, msg);
    let text = |name: &str| props.get(name).and_then(Value::as_str).map(str::to_string);
    let id = text("plot_id").ok_or_else(|| {
        err(
            "properties.plot_id",
            "a plot needs a `plot_id` string".into(),
        )
    })?;
    let polys = footprints
        .map_err(|f| err(f.location.field.as_deref().unwrap_or("geometry"), f.message))?;
    let ground_elevation = match props.get("ground_elevation") {
        None | Some(Value::Null) => None,
        Some(g) => Some(g.as_f64().ok_or_else(|| {
            err(
                "properties.ground_elevation",
                format!("must be a number of metres, found {}", clip_json(g)),
            )
        })?),
    };
    Ok(Plot {
        id,
        name: text("name"),
        land_use: text("land_use"),
        ground_elevation,
        green_space: props
            .get("green_space")
            .and_then(Value::as_bool)
            .unwrap_or(false),
        footprint: MultiPolygon::new(polys),
        file: path.to_path_buf(),
        feature,
    })
}

/// The `unit_code` of a unit feature, or the finding that says why it has none.
fn unit_code(
    props: &Map<String, Value>,
    feature: &FeatureRef,
    findings: &mut Vec<Finding>,
) -> Option<String> {
    let code_at = || Location::field(feature.clone(), "properties.unit_code");
    match props.get("unit_code") {
        Some(Value::String(s)) => Some(s.clone()),
        None | Some(Value::Null) => {
            findings.push(Finding::new(
                Code::UnitCodeMissing,
                code_at(),
                "`unit_code` is missing: every unit part needs its 28-character real-estate unit code",
            ));
            None
        }
        Some(other) => {
            findings.push(Finding::new(
                Code::UnitCodeInvalid,
                code_at(),
                format!("`unit_code` must be a string, found {}", clip_json(other)),
            ));
            None
        }
    }
}

/// A unit feature whose geometry is a solid (a free-form part: a ramp, a tunnel) rather than
/// a footprint between two elevations.
pub(crate) fn solid_part(
    path: &Path,
    feature: FeatureRef,
    props: Map<String, Value>,
    solid: Polyhedron,
) -> RawPart {
    let mut findings = Vec::new();
    let code_text = unit_code(&props, &feature, &mut findings);
    RawPart {
        file: path.to_path_buf(),
        feature,
        code_text,
        properties: props,
        parts: vec![Part::Polyhedron(solid)],
        findings,
    }
}

/// A unit feature: its prism parts, or the findings that say why it has none.
fn unit_part(
    path: &Path,
    feature: FeatureRef,
    props: Map<String, Value>,
    footprints: Result<Vec<Polygon<f64>>, Finding>,
) -> RawPart {
    let mut findings = Vec::new();
    let code_text = unit_code(&props, &feature, &mut findings);
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
    RawPart {
        file: path.to_path_buf(),
        feature,
        code_text,
        properties: props,
        parts,
        findings,
    }
}
