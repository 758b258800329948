//! FlatGeobuf files of the survey profile: the same features and properties as the GeoJSON
//! profile in a binary, indexed file (what `strata generate` writes for large districts, and
//! what GDAL and QGIS read and write). Read natively, without GDAL.

use std::io::BufReader;
use std::path::Path;

use fallible_streaming_iterator::FallibleStreamingIterator;
use flatgeobuf::FgbReader;
use geo::Polygon;
use geozero::{ColumnValue, FeatureProperties, PropertyProcessor, ToGeo};
use serde_json::{Map, Value};

use crate::validate::{Code, Finding, Location};

use super::error::ImportError;
use super::geojson::{Extent, ProfileFile, Record, record};

/// True when the bytes start with FlatGeobuf's magic number.
pub fn is_flatgeobuf(head: &[u8]) -> bool {
    head.len() >= 3 && &head[..3] == b"fgb"
}

struct Props(Map<String, Value>);

impl PropertyProcessor for Props {
    fn property(&mut self, _i: usize, name: &str, v: &ColumnValue) -> geozero::error::Result<bool> {
        let value = match v {
            ColumnValue::String(s) | ColumnValue::Json(s) | ColumnValue::DateTime(s) => {
                Value::String(s.to_string())
            }
            ColumnValue::Double(x) => serde_json::Number::from_f64(*x)
                .map(Value::Number)
                .unwrap_or(Value::Null),
            ColumnValue::Float(x) => serde_json::Number::from_f64(*x as f64)
                .map(Value::Number)
                .unwrap_or(Value::Null),
            ColumnValue::Bool(b) => Value::Bool(*b),
            ColumnValue::Byte(x) => Value::from(*x),
            ColumnValue::UByte(x) => Value::from(*x),
            ColumnValue::Short(x) => Value::from(*x),
            ColumnValue::UShort(x) => Value::from(*x),
            ColumnValue::Int(x) => Value::from(*x),
            ColumnValue::UInt(x) => Value::from(*x),
            ColumnValue::Long(x) => Value::from(*x),
            ColumnValue::ULong(x) => Value::from(*x),
            ColumnValue::Binary(_) => Value::Null,
        };
        if !value.is_null() {
            self.0.insert(name.to_string(), value);
        }
        Ok(false)
    }
}

/// Reads a FlatGeobuf file of the survey profile, streaming: each unit feature goes to `sink`
/// as it is read.
pub fn read_flatgeobuf(
    path: &Path,
    sink: &mut dyn FnMut(super::geojson::RawPart),
) -> Result<ProfileFile, ImportError> {
    let file = std::fs::File::open(path).map_err(|source| ImportError::Io {
        path: path.to_path_buf(),
        source,
    })?;
    let fmt = |m: String| ImportError::format(path, format!("FlatGeobuf: {m}"));
    let mut reader = BufReader::new(file);
    let fgb = FgbReader::open(&mut reader).map_err(|e| fmt(e.to_string()))?;
    let mut out = ProfileFile::default();
    {
        let h = fgb.header();
        out.crs = h
            .crs()
            .map(|c| c.code())
            .filter(|&c| c > 0)
            .map(|c| c as u32);
        if let Some(meta) = h
            .metadata()
            .and_then(|m| serde_json::from_str::<Value>(m).ok())
        {
            out.height_datum = meta
                .get("height_datum")
                .and_then(Value::as_str)
                .map(str::to_string);
            out.ground_elevation = meta.get("ground_elevation").and_then(Value::as_f64);
        }
    }
    let mut features = fgb.select_all_seq().map_err(|e| fmt(e.to_string()))?;
    let mut extent: Option<Extent> = None;
    let mut i = 0usize;
    while let Some(f) = features.next().map_err(|e| fmt(e.to_string()))? {
        let mut props = Props(Map::new());
        f.process_properties(&mut props)
            .map_err(|e| fmt(format!("feature {i}: {e}")))?;
        let label = match props
            .0
            .get("unit_code")
            .or_else(|| props.0.get("plot_id"))
            .and_then(Value::as_str)
        {
            Some(s) => format!("feature {i} (\"{s}\")"),
            None => format!("feature {i}"),
        };
        let footprints = match f.to_geo() {
            Ok(geo::Geometry::Polygon(p)) => Ok(vec![p]),
            Ok(geo::Geometry::MultiPolygon(m)) => Ok(m.0),
            Ok(other) => Err(Finding::new(
                Code::GeometryTypeUnsupported,
                Location::field(&label, "geometry"),
                format!(
                    "a {} cannot hold a footprint: use Polygon or MultiPolygon",
                    geometry_name(&other)
                ),
            )),
            Err(_) => Err(Finding::new(
                Code::EmptyPrimitive,
                Location::field(&label, "geometry"),
                "the feature has no geometry",
            )),
        };
        if let Ok(ps) = &footprints {
            for p in ps {
                grow(&mut extent, p);
            }
            if ps.iter().any(|p| {
                p.exterior()
                    .0
                    .iter()
                    .any(|c| !c.x.is_finite() || !c.y.is_finite())
            }) {
                return Err(ImportError::field(
                    path,
                    &label,
                    "geometry",
                    "a coordinate is not a finite number",
                ));
            }
        }
        let geometry_ok = footprints.as_ref().map(|ps| !ps.is_empty()).unwrap_or(true);
        let footprints = if geometry_ok {
            footprints
        } else {
            Err(Finding::new(
                Code::EmptyPrimitive,
                Location::field(&label, "geometry"),
                "the geometry is empty",
            ))
        };
        match record(path, label, props.0, footprints)? {
            Record::Plot(p) => out.plots.push(p),
            Record::Part(p) => sink(p),
        }
        i += 1;
    }
    out.extent = extent;
    Ok(out)
}

fn geometry_name(g: &geo::Geometry<f64>) -> &'static str {
    match g {
        geo::Geometry::Point(_) | geo::Geometry::MultiPoint(_) => "point",
        geo::Geometry::Line(_)
        | geo::Geometry::LineString(_)
        | geo::Geometry::MultiLineString(_) => "line",
        _ => "geometry of another type",
    }
}

fn grow(e: &mut Option<Extent>, p: &Polygon<f64>) {
    for c in &p.exterior().0 {
        let x = e.get_or_insert(Extent {
            min: [c.x, c.y],
            max: [c.x, c.y],
        });
        x.min = [x.min[0].min(c.x), x.min[1].min(c.y)];
        x.max = [x.max[0].max(c.x), x.max[1].max(c.y)];
    }
}
