//! FlatGeobuf files of the survey profile: the same features and properties as the GeoJSON
//! profile in a binary, indexed file (what `strata generate` writes for large districts, and
//! what GDAL and QGIS read and write). Read natively, without GDAL.

use std::io::BufReader;
use std::path::Path;

use fallible_streaming_iterator::FallibleStreamingIterator;
use flatgeobuf::{ColumnType, FgbReader};
use geo::Polygon;
use geozero::ToGeo;
use serde_json::{Map, Value};

use crate::diagnostics::{Code, FeatureRef, Finding, Location};

use super::error::ImportError;
use super::mapping::FieldMapping;
use super::profile::{Extent, ProfileFile, Record, record};

/// True when the bytes start with FlatGeobuf's magic number.
pub fn is_flatgeobuf(head: &[u8]) -> bool {
    head.len() >= 3 && &head[..3] == b"fgb"
}

struct Props(Map<String, Value>);

/// Decodes a feature's property block with bounds checks (the encoding: a little-endian u16
/// column index, then the value in the column's type; strings and binaries prefixed by a u32
/// length). A truncated or corrupt block is an error, never a read past its end.
fn decode_properties(
    bytes: &[u8],
    columns: &[(String, ColumnType)],
) -> Result<Map<String, Value>, String> {
    let mut m = Map::new();
    let mut at = 0usize;
    let take = |at: &mut usize, n: usize| -> Result<&[u8], String> {
        let end = at
            .checked_add(n)
            .filter(|&e| e <= bytes.len())
            .ok_or("the property block is truncated")?;
        let s = &bytes[*at..end];
        *at = end;
        Ok(s)
    };
    while at < bytes.len() {
        let i = u16::from_le_bytes(
            take(&mut at, 2)?
                .try_into()
                .map_err(|_| "bad column index")?,
        ) as usize;
        let (name, ty) = columns
            .get(i)
            .ok_or_else(|| format!("property of column {i}, which the header does not define"))?;
        let fixed = |at: &mut usize, n: usize| -> Result<[u8; 8], String> {
            let mut b = [0u8; 8];
            b[..n].copy_from_slice(take(at, n)?);
            Ok(b)
        };
        let v = match *ty {
            ColumnType::Byte => Value::from(fixed(&mut at, 1)?[0] as i8),
            ColumnType::UByte => Value::from(fixed(&mut at, 1)?[0]),
            ColumnType::Bool => Value::Bool(fixed(&mut at, 1)?[0] != 0),
            ColumnType::Short => Value::from(i16::from_le_bytes(
                fixed(&mut at, 2)?[..2].try_into().unwrap_or_default(),
            )),
            ColumnType::UShort => Value::from(u16::from_le_bytes(
                fixed(&mut at, 2)?[..2].try_into().unwrap_or_default(),
            )),
            ColumnType::Int => Value::from(i32::from_le_bytes(
                fixed(&mut at, 4)?[..4].try_into().unwrap_or_default(),
            )),
            ColumnType::UInt => Value::from(u32::from_le_bytes(
                fixed(&mut at, 4)?[..4].try_into().unwrap_or_default(),
            )),
            ColumnType::Long => Value::from(i64::from_le_bytes(fixed(&mut at, 8)?)),
            ColumnType::ULong => Value::from(u64::from_le_bytes(fixed(&mut at, 8)?)),
            ColumnType::Float => {
                let x = f32::from_le_bytes(fixed(&mut at, 4)?[..4].try_into().unwrap_or_default())
                    as f64;
                serde_json::Number::from_f64(x)
                    .map(Value::Number)
                    .unwrap_or(Value::Null)
            }
            ColumnType::Double => {
                let x = f64::from_le_bytes(fixed(&mut at, 8)?);
                serde_json::Number::from_f64(x)
                    .map(Value::Number)
                    .unwrap_or(Value::Null)
            }
            ColumnType::String | ColumnType::Json | ColumnType::DateTime | ColumnType::Binary => {
                let len = u32::from_le_bytes(fixed(&mut at, 4)?[..4].try_into().unwrap_or_default())
                    as usize;
                let raw = take(&mut at, len)?;
                if *ty == ColumnType::Binary {
                    Value::Null
                } else {
                    Value::String(
                        std::str::from_utf8(raw)
                            .map_err(|_| format!("`{name}` is not UTF-8"))?
                            .to_string(),
                    )
                }
            }
            _ => return Err(format!("`{name}` has a column type Strata does not read")),
        };
        if !v.is_null() {
            m.insert(name.clone(), v);
        }
    }
    Ok(m)
}

/// Reads a FlatGeobuf file of the survey profile, streaming: each unit feature goes to `sink`
/// as it is read.
pub fn read_flatgeobuf(
    path: &Path,
    mapping: &FieldMapping,
    sink: &mut dyn FnMut(super::profile::RawPart),
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
    let columns: Vec<(String, ColumnType)> = fgb
        .header()
        .columns()
        .map(|cs| {
            cs.iter()
                .map(|c| (c.name().to_string(), c.type_()))
                .collect()
        })
        .unwrap_or_default();
    let mut features = fgb.select_all_seq().map_err(|e| fmt(e.to_string()))?;
    let mut extent: Option<Extent> = None;
    let mut i = 0usize;
    while let Some(f) = features.next().map_err(|e| fmt(e.to_string()))? {
        let bytes = f
            .fbs_feature()
            .properties()
            .map(|p| p.bytes().to_vec())
            .unwrap_or_default();
        let props = Props(
            decode_properties(&bytes, &columns).map_err(|e| fmt(format!("feature {i}: {e}")))?,
        );
        let label = match props
            .0
            .get("unit_code")
            .or_else(|| props.0.get("plot_id"))
            .and_then(Value::as_str)
        {
            Some(s) => FeatureRef::feature(i, Some(s)),
            None => FeatureRef::feature(i, None),
        };
        // The geometry decoder of the flatgeobuf crate indexes without bounds checks: a corrupt
        // file must be an error, not a crash.
        let geo = crate::io::guard::no_panic(|| f.to_geo())
            .map_err(|m| fmt(format!("feature {i}: corrupt geometry ({m})")))?;
        let footprints = match geo {
            Ok(geo::Geometry::Polygon(p)) => Ok(vec![p]),
            Ok(geo::Geometry::MultiPolygon(m)) => Ok(m.0),
            Ok(other) => Err(Finding::new(
                Code::GeometryTypeUnsupported,
                Location::field(label.clone(), "geometry"),
                format!(
                    "a {} cannot hold a footprint: use Polygon or MultiPolygon",
                    geometry_name(&other)
                ),
            )),
            Err(_) => Err(Finding::new(
                Code::EmptyPrimitive,
                Location::field(label.clone(), "geometry"),
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
                    label.clone(),
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
                Location::field(label.clone(), "geometry"),
                "the geometry is empty",
            ))
        };
        match record(path, label, mapping.apply(props.0), footprints)? {
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
