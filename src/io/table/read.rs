//! A table of the survey profile read into a dataset, row by row through the same rules as a
//! file's features.

use std::path::Path;

use arrow_array::cast::AsArray;
use arrow_array::types::{Float64Type, Int64Type, UInt64Type};
use arrow_array::{Array, ArrayRef, RecordBatch};
use arrow_schema::{DataType, Field, Schema};
use serde_json::{Map, Number, Value};

use crate::diagnostics::{Code, FeatureRef, Finding, Location, Num, clip};
use crate::geometry::Polyhedron;
use crate::model::Dataset;

use super::super::dataset::read_profile_source;
use super::super::error::ImportError;
use super::super::options::ImportOptions;
use super::super::profile::{
    Extent, MAX_POSITIONS_PER_FEATURE, ProfileFile, RawPart, Record, record, solid_part,
};
use super::super::wkb::{self, Shape};
use super::{
    ARROW_JSON, EXTENSION_METADATA, EXTENSION_NAME, GEOARROW_WKB, GEOMETRY, GROUND_ELEVATION,
    HEIGHT_DATUM,
};

/// How a column's values become property values.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Reading {
    Text,
    Json,
    Float,
    Integer,
    Unsigned,
    Bool,
    Absent,
}

/// The Arrow type a column is cast to before it is read, and how it is read then.
fn reading(f: &Field) -> Option<(DataType, Reading)> {
    let json = f
        .metadata()
        .get(EXTENSION_NAME)
        .is_some_and(|e| e == ARROW_JSON);
    Some(match f.data_type() {
        DataType::Utf8 | DataType::LargeUtf8 | DataType::Utf8View if json => {
            (DataType::Utf8, Reading::Json)
        }
        DataType::Utf8 | DataType::LargeUtf8 | DataType::Utf8View => {
            (DataType::Utf8, Reading::Text)
        }
        DataType::Dictionary(_, v)
            if matches!(
                **v,
                DataType::Utf8 | DataType::LargeUtf8 | DataType::Utf8View
            ) =>
        {
            (DataType::Utf8, Reading::Text)
        }
        DataType::Date32 | DataType::Date64 => (DataType::Utf8, Reading::Text),
        DataType::Float16 | DataType::Float32 | DataType::Float64 => {
            (DataType::Float64, Reading::Float)
        }
        DataType::Int8
        | DataType::Int16
        | DataType::Int32
        | DataType::Int64
        | DataType::UInt8
        | DataType::UInt16
        | DataType::UInt32 => (DataType::Int64, Reading::Integer),
        DataType::UInt64 => (DataType::UInt64, Reading::Unsigned),
        DataType::Boolean => (DataType::Boolean, Reading::Bool),
        DataType::Null => (DataType::Null, Reading::Absent),
        _ => return None,
    })
}

/// The geometry column: the one GeoParquet's `geo` metadata names, else the first marked
/// `geoarrow.wkb`, else the one called `geometry`.
fn geometry_column(schema: &Schema) -> Option<usize> {
    let geo: Option<Value> = schema
        .metadata()
        .get("geo")
        .and_then(|g| serde_json::from_str(g).ok());
    let primary = geo
        .as_ref()
        .and_then(|g| g.get("primary_column"))
        .and_then(Value::as_str);
    let fields = schema.fields();
    primary
        .and_then(|p| fields.iter().position(|f| f.name() == p))
        .or_else(|| {
            fields.iter().position(|f| {
                f.metadata()
                    .get(EXTENSION_NAME)
                    .is_some_and(|e| e == GEOARROW_WKB)
            })
        })
        .or_else(|| fields.iter().position(|f| f.name() == GEOMETRY))
}

/// An EPSG code from a CRS as GeoArrow and GeoParquet give it: `"EPSG:4548"` (or any form
/// [`parse_epsg`](crate::model::frame::parse_epsg) reads), or PROJJSON with an EPSG `id`.
fn epsg(crs: &Value) -> Option<u32> {
    match crs {
        Value::String(s) => crate::model::frame::parse_epsg(s),
        Value::Object(o) => {
            let id = o.get("id")?;
            let authority = id.get("authority")?.as_str()?;
            let code = id.get("code")?;
            let code = code.as_u64().or_else(|| code.as_str()?.parse().ok())?;
            (authority.eq_ignore_ascii_case("EPSG")).then_some(code as u32)
        }
        _ => None,
    }
}

/// The CRS the table names for its geometry column, if any.
fn table_crs(schema: &Schema, geometry: usize) -> Option<u32> {
    let f = &schema.fields()[geometry];
    let ext: Option<Value> = f
        .metadata()
        .get(EXTENSION_METADATA)
        .and_then(|m| serde_json::from_str(m).ok());
    if let Some(c) = ext.as_ref().and_then(|m| m.get("crs")).and_then(epsg) {
        return Some(c);
    }
    let geo: Value = serde_json::from_str(schema.metadata().get("geo")?).ok()?;
    epsg(geo.get("columns")?.get(f.name())?.get("crs")?)
}

/// A table's columns, cast for reading.
struct Columns {
    geometry: ArrayRef,
    props: Vec<(String, Reading, ArrayRef)>,
}

fn columns(
    path: &Path,
    schema: &Schema,
    geometry: usize,
    b: &RecordBatch,
) -> Result<Columns, ImportError> {
    let cast = |name: &str, a: &ArrayRef, to: &DataType| {
        arrow_cast::cast(a, to).map_err(|e| {
            ImportError::format(
                path,
                format!("column `{}`: {}", clip(name), clip(&e.to_string())),
            )
        })
    };
    let g = b.column(geometry);
    let wkb = match g.data_type() {
        DataType::Binary => g.clone(),
        DataType::LargeBinary | DataType::BinaryView => cast(GEOMETRY, g, &DataType::Binary)?,
        other => {
            return Err(ImportError::format(
                path,
                format!(
                    "column `{}` is {other}: the geometry is WKB in a binary column",
                    clip(schema.field(geometry).name())
                ),
            ));
        }
    };
    let mut props: Vec<(String, Reading, ArrayRef)> = Vec::new();
    for (k, f) in schema.fields().iter().enumerate() {
        if k == geometry {
            continue;
        }
        // Two columns of one name would be one property given twice, as two `z_top` members
        // in a GeoJSON feature are.
        if props.iter().any(|(n, _, _)| n == f.name()) {
            return Err(ImportError::format(
                path,
                format!("column `{}` is given twice", clip(f.name())),
            ));
        }
        let Some((to, how)) = reading(f) else {
            return Err(ImportError::format(
                path,
                format!(
                    "column `{}` is {}: a column of the survey profile holds text, numbers, booleans or dates (JSON as text marked arrow.json)",
                    clip(f.name()),
                    f.data_type()
                ),
            ));
        };
        let a = b.column(k);
        let a = if a.data_type() == &to {
            a.clone()
        } else {
            cast(f.name(), a, &to)?
        };
        props.push((f.name().clone(), how, a));
    }
    Ok(Columns {
        geometry: wkb,
        props,
    })
}

/// The properties of row `i` of a batch; `label` names the feature in errors.
fn properties(
    path: &Path,
    c: &Columns,
    i: usize,
    index: usize,
) -> Result<Map<String, Value>, ImportError> {
    let mut m = Map::new();
    for (name, how, a) in &c.props {
        if a.is_null(i) {
            continue;
        }
        let bad = |message: String| {
            ImportError::field(
                path,
                FeatureRef::feature(index, None),
                format!("properties.{name}"),
                message,
            )
        };
        let v = match how {
            Reading::Text => Value::String(a.as_string::<i32>().value(i).to_string()),
            Reading::Json => {
                let text = a.as_string::<i32>().value(i);
                serde_json::from_str(text).map_err(|e| bad(format!("not JSON: {e}")))?
            }
            Reading::Float => {
                let x = a.as_primitive::<Float64Type>().value(i);
                Value::Number(
                    Number::from_f64(x)
                        .ok_or_else(|| bad(format!("{} is not a finite number", Num(x))))?,
                )
            }
            Reading::Integer => Value::from(a.as_primitive::<Int64Type>().value(i)),
            Reading::Unsigned => Value::from(a.as_primitive::<UInt64Type>().value(i)),
            Reading::Bool => Value::Bool(a.as_boolean().value(i)),
            Reading::Absent => continue,
        };
        m.insert(name.clone(), v);
    }
    Ok(m)
}

/// The footprints of a row's geometry for [`record`], or the finding that says why there are
/// none; a solid separately.
type Footprints = Result<Vec<geo::Polygon<f64>>, Finding>;

fn shape(
    path: &Path,
    c: &Columns,
    i: usize,
    label: &FeatureRef,
    extent: &mut Option<Extent>,
) -> Result<Result<Footprints, Polyhedron>, ImportError> {
    let finding = |code: Code, message: String| {
        Ok(Ok(Err(Finding::new(
            code,
            Location::field(label.clone(), "geometry"),
            message,
        ))))
    };
    if c.geometry.is_null(i) {
        return finding(Code::EmptyPrimitive, "the feature has no geometry".into());
    }
    let bytes = c.geometry.as_binary::<i32>().value(i);
    let shape = wkb::read(bytes).map_err(|e| {
        ImportError::field(
            path,
            label.clone(),
            "geometry",
            format!("not valid WKB: {e}"),
        )
    })?;
    // `POLYGON EMPTY` parts hold nothing, as a FlatGeobuf polygon without positions.
    let shape = match shape {
        Shape::Footprints(mut ps) => {
            ps.retain(|p| !p.exterior().0.is_empty());
            Shape::Footprints(ps)
        }
        other => other,
    };
    let positions = match &shape {
        Shape::Footprints(ps) => ps
            .iter()
            .map(|p| p.exterior().0.len() + p.interiors().iter().map(|r| r.0.len()).sum::<usize>())
            .sum(),
        Shape::Solid(s) => s.vertices.len(),
        Shape::Other(_) => 0,
    };
    if positions > MAX_POSITIONS_PER_FEATURE {
        return Err(ImportError::field(
            path,
            label.clone(),
            "geometry",
            format!(
                "{positions} positions, more than the {MAX_POSITIONS_PER_FEATURE} a feature may hold"
            ),
        ));
    }
    match shape {
        Shape::Footprints(ps) if ps.is_empty() => {
            finding(Code::EmptyPrimitive, "the geometry is empty".into())
        }
        Shape::Footprints(ps) => {
            for p in &ps {
                for c in p
                    .exterior()
                    .0
                    .iter()
                    .chain(p.interiors().iter().flat_map(|r| r.0.iter()))
                {
                    Extent::grow(extent, c.x, c.y);
                }
            }
            Ok(Ok(Ok(ps)))
        }
        Shape::Solid(s) => {
            for v in &s.vertices {
                Extent::grow(extent, v.x, v.y);
            }
            Ok(Err(s))
        }
        Shape::Other(name) => finding(
            Code::GeometryTypeUnsupported,
            format!(
                "a {name} cannot hold a footprint: use Polygon or MultiPolygon (PolyhedralSurface Z for a solid)"
            ),
        ),
    }
}

/// One row as a feature of the survey profile.
fn row(
    path: &Path,
    opts: &ImportOptions,
    c: &Columns,
    i: usize,
    index: usize,
    extent: &mut Option<Extent>,
) -> Result<Record, ImportError> {
    let props = opts.mapping.apply(properties(path, c, i, index)?);
    let label = FeatureRef::feature(
        index,
        props
            .get("unit_code")
            .or_else(|| props.get("plot_id"))
            .and_then(Value::as_str),
    );
    match shape(path, c, i, &label, extent)? {
        Ok(footprints) => record(path, label, props, footprints),
        Err(solid) => {
            if props.get("kind").and_then(Value::as_str) == Some("plot") {
                return Err(ImportError::field(
                    path,
                    label,
                    "geometry",
                    "a plot's geometry is its footprint (Polygon or MultiPolygon), not a solid",
                ));
            }
            Ok(Record::Part(solid_part(path, label, props, solid)))
        }
    }
}

/// Reads a table of the survey profile (see the module doc of [`super`]) into a dataset, as
/// [`read_dataset`](crate::io::dataset::read_dataset) reads a file; `name` names the table in
/// messages (as a file's path does). The CRS comes from the geometry column's metadata, or
/// from `opts.crs` when the table names none.
pub fn read_table(
    name: &Path,
    schema: &Schema,
    batches: &[RecordBatch],
    opts: &ImportOptions,
) -> Result<Dataset, ImportError> {
    let geometry = geometry_column(schema).ok_or_else(|| {
        ImportError::format(
            name,
            "the table has no geometry column (WKB, marked geoarrow.wkb or named `geometry`)",
        )
    })?;
    read_profile_source(name, opts, |sink: &mut dyn FnMut(RawPart)| {
        let mut out = ProfileFile {
            crs: table_crs(schema, geometry),
            height_datum: schema.metadata().get(HEIGHT_DATUM).cloned(),
            ..ProfileFile::default()
        };
        if let Some(g) = schema.metadata().get(GROUND_ELEVATION) {
            out.ground_elevation = Some(
                g.parse::<f64>()
                    .ok()
                    .filter(|g| g.is_finite())
                    .ok_or_else(|| {
                        ImportError::format(
                            name,
                            format!(
                                "the table's ground_elevation \"{}\" is not a number of metres",
                                clip(g)
                            ),
                        )
                    })?,
            );
        }
        let mut index = 0;
        for b in batches {
            if b.schema().fields() != schema.fields() {
                return Err(ImportError::format(
                    name,
                    "a batch's columns differ from the table's",
                ));
            }
            let c = columns(name, schema, geometry, b)?;
            for i in 0..b.num_rows() {
                match row(name, opts, &c, i, index, &mut out.extent)? {
                    Record::Plot(p) => out.plots.push(p),
                    Record::Part(p) => sink(p),
                }
                index += 1;
            }
        }
        Ok(out)
    })
}
