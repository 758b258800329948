//! A dataset written as a table of the survey profile.

use std::collections::HashMap;
use std::sync::Arc;

use arrow_array::builder::{
    BinaryBuilder, BooleanBuilder, Float64Builder, Int64Builder, StringBuilder,
};
use arrow_array::{ArrayRef, RecordBatch};
use arrow_schema::{DataType, Field, Schema, SchemaRef};
use serde_json::{Map, Value, json};

use crate::geometry::Part;
use crate::model::unit::{Direction, PartSource, SixTo};
use crate::model::{Dataset, Plot, Unit};

use super::super::wkb;
use super::{
    ARROW_JSON, COLUMNS, ColumnKind, EXTENSION_METADATA, EXTENSION_NAME, GEOARROW_WKB, GEOMETRY,
    GROUND_ELEVATION, HEIGHT_DATUM,
};

/// Rows per record batch written: small enough that a batch's WKB stays far below Arrow's
/// 2 GiB per binary array, large enough that batches cost nothing.
pub const ROWS_PER_BATCH: usize = 65_536;

/// One row before it is written: its geometry and its properties by name.
struct Row {
    geometry: Vec<u8>,
    props: Map<String, Value>,
}

fn text(props: &mut Map<String, Value>, name: &str, v: Option<&str>) {
    if let Some(v) = v {
        props.insert(name.into(), Value::String(v.into()));
    }
}

fn plot_row(p: &Plot) -> Row {
    let mut props = Map::new();
    text(&mut props, "kind", Some("plot"));
    text(&mut props, "plot_id", Some(&p.id));
    text(&mut props, "name", p.name.as_deref());
    text(&mut props, "land_use", p.land_use.as_deref());
    if let Some(g) = p.ground_elevation {
        props.insert("ground_elevation".into(), json!(g));
    }
    props.insert("green_space".into(), Value::Bool(p.green_space));
    Row {
        geometry: wkb::multipolygon(&p.footprint.0),
        props,
    }
}

fn sixto_json(s: &SixTo<Option<String>>) -> Option<Value> {
    let mut m = Map::new();
    for d in Direction::ALL {
        if let Some(v) = s.get(d) {
            m.insert(d.as_str().into(), Value::String(v.clone()));
        }
    }
    (!m.is_empty()).then_some(Value::Object(m))
}

/// The model fields of a unit, as the profile names them (the same on each of its parts).
fn unit_fields(u: &Unit, datum: Option<String>) -> Map<String, Value> {
    let mut m = Map::new();
    text(&mut m, "kind", Some("unit"));
    text(&mut m, "unit_code", u.code_text.as_deref());
    text(&mut m, "parent_plot", u.parent_plot.as_deref());
    let stratum = u.declared_stratum.map(|s| s.as_str());
    text(&mut m, "stratum", stratum);
    text(&mut m, "name", u.name.as_deref());
    text(&mut m, "right_type", u.right_type.as_deref());
    text(&mut m, "holder", u.holder.as_deref());
    text(&mut m, "use", u.usage.as_deref());
    text(&mut m, "supply_method", u.supply_method.map(|s| s.as_str()));
    if let Some(y) = u.term.years {
        m.insert("term_years".into(), json!(y));
    }
    text(&mut m, "term_start", u.term.start.as_deref());
    text(&mut m, "term_end", u.term.end.as_deref());
    if let Some(s) = sixto_json(&u.sixto) {
        m.insert("sixto".into(), s);
    }
    if let Some(s) = &u.sixto_units {
        let o: Map<String, Value> = Direction::ALL
            .into_iter()
            .map(|d| (d.as_str().into(), json!(s.get(d))))
            .collect();
        m.insert("sixto_units".into(), Value::Object(o));
    }
    text(
        &mut m,
        "survey_result_code",
        u.survey_result_code.as_deref(),
    );
    text(&mut m, "note", u.note.as_deref());
    text(&mut m, "height_datum", datum.as_deref());
    m
}

fn part_rows(u: &Unit, ds: &Dataset, out: &mut Vec<Row>) {
    let datum = u
        .frame
        .height_datum
        .as_ref()
        .or(ds.frame.height_datum.as_ref())
        .map(|d| d.to_string());
    let fields = unit_fields(u, datum);
    for (k, part) in u.volume.parts.iter().enumerate() {
        let mut props = fields.clone();
        let source: Option<&PartSource> = u.parts.get(k);
        if let Some(s) = source {
            text(&mut props, "level", s.level.as_deref());
            for (name, v) in &s.attributes {
                props.entry(name.clone()).or_insert_with(|| v.clone());
            }
        }
        let geometry = match part {
            Part::Prism(p) => {
                props.insert("z_bottom".into(), json!(p.z_bottom));
                props.insert("z_top".into(), json!(p.z_top));
                wkb::polygon(&p.footprint)
            }
            Part::Polyhedron(p) => wkb::polyhedron(p),
        };
        out.push(Row { geometry, props });
    }
}

/// The kind of an attribute column outside the profile, from its values: numbers (whole or
/// not), text, booleans, or JSON for anything else or a mixture.
fn infer(rows: &[Row], name: &str) -> ColumnKind {
    let mut kind: Option<ColumnKind> = None;
    for v in rows.iter().filter_map(|r| r.props.get(name)) {
        let k = match v {
            Value::Null => continue,
            Value::Number(n) if n.is_i64() => ColumnKind::Integer,
            Value::Number(_) => ColumnKind::Float,
            Value::String(_) => ColumnKind::Text,
            Value::Bool(_) => ColumnKind::Bool,
            _ => ColumnKind::Json,
        };
        kind = Some(match (kind, k) {
            (None, k) => k,
            (Some(a), b) if a == b => a,
            (
                Some(ColumnKind::Integer | ColumnKind::Float),
                ColumnKind::Integer | ColumnKind::Float,
            ) => ColumnKind::Float,
            _ => ColumnKind::Json,
        });
    }
    kind.unwrap_or(ColumnKind::Text)
}

/// The column `name` of `kind` over `rows`; a value of another type is written as its JSON
/// text in a text column and left out of the others.
fn column(rows: &[Row], name: &str, kind: ColumnKind) -> ArrayRef {
    let values = rows
        .iter()
        .map(|r| r.props.get(name).filter(|v| !v.is_null()));
    match kind {
        ColumnKind::Text | ColumnKind::Json => {
            let mut b = StringBuilder::new();
            for v in values {
                match v {
                    None => b.append_null(),
                    Some(Value::String(s)) if kind == ColumnKind::Text => b.append_value(s),
                    Some(other) => b.append_value(other.to_string()),
                }
            }
            Arc::new(b.finish())
        }
        ColumnKind::Float => {
            let mut b = Float64Builder::new();
            b.extend(values.map(|v| v.and_then(Value::as_f64)));
            Arc::new(b.finish())
        }
        ColumnKind::Integer => {
            let mut b = Int64Builder::new();
            b.extend(values.map(|v| v.and_then(Value::as_i64)));
            Arc::new(b.finish())
        }
        ColumnKind::Bool => {
            let mut b = BooleanBuilder::new();
            b.extend(values.map(|v| v.and_then(Value::as_bool)));
            Arc::new(b.finish())
        }
    }
}

fn field(name: &str, kind: ColumnKind) -> Field {
    let f = Field::new(name, kind.data_type(), true);
    if kind == ColumnKind::Json {
        f.with_metadata(HashMap::from([(EXTENSION_NAME.into(), ARROW_JSON.into())]))
    } else {
        f
    }
}

fn schema(ds: &Dataset, columns: &[(String, ColumnKind)]) -> SchemaRef {
    let mut geo = HashMap::from([(EXTENSION_NAME.to_string(), GEOARROW_WKB.to_string())]);
    if let Some(crs) = ds.frame.crs {
        let meta = json!({"crs": format!("EPSG:{}", crs.epsg), "crs_type": "authority_code"});
        geo.insert(EXTENSION_METADATA.into(), meta.to_string());
    }
    let mut fields = vec![Field::new(GEOMETRY, DataType::Binary, true).with_metadata(geo)];
    fields.extend(columns.iter().map(|(n, k)| field(n, *k)));
    let mut meta = HashMap::new();
    if let Some(g) = ds.ground_elevation {
        meta.insert(GROUND_ELEVATION.to_string(), g.to_string());
    }
    if let Some(d) = &ds.frame.height_datum {
        meta.insert(HEIGHT_DATUM.to_string(), d.to_string());
    }
    Arc::new(Schema::new_with_metadata(fields, meta))
}

fn rows(ds: &Dataset) -> Vec<Row> {
    let mut rows: Vec<Row> = ds.plots.iter().map(plot_row).collect();
    for u in &ds.units {
        part_rows(u, ds, &mut rows);
    }
    rows
}

/// The columns of `rows`: the profile's, then every other property met, with its kind.
fn kinds(rows: &[Row]) -> Vec<(String, ColumnKind)> {
    let mut columns: Vec<(String, ColumnKind)> =
        COLUMNS.iter().map(|(n, k)| (n.to_string(), *k)).collect();
    let mut extra: Vec<String> = Vec::new();
    for r in rows {
        for name in r.props.keys() {
            if !COLUMNS.iter().any(|(n, _)| n == name) && !extra.contains(name) {
                extra.push(name.clone());
            }
        }
    }
    columns.extend(extra.into_iter().map(|n| {
        let k = infer(rows, &n);
        (n, k)
    }));
    columns
}

/// The kind of a column of a schema this module wrote.
fn kind_of(f: &Field) -> ColumnKind {
    match f.data_type() {
        DataType::Float64 => ColumnKind::Float,
        DataType::Int64 => ColumnKind::Integer,
        DataType::Boolean => ColumnKind::Bool,
        _ if f
            .metadata()
            .get(EXTENSION_NAME)
            .is_some_and(|e| e == ARROW_JSON) =>
        {
            ColumnKind::Json
        }
        _ => ColumnKind::Text,
    }
}

fn batches(rows: &[Row], schema: &SchemaRef) -> Vec<RecordBatch> {
    let columns: Vec<(String, ColumnKind)> = schema
        .fields()
        .iter()
        .skip(1)
        .map(|f| (f.name().clone(), kind_of(f)))
        .collect();
    rows.chunks(ROWS_PER_BATCH)
        .map(|chunk| {
            let mut geometry = BinaryBuilder::new();
            for r in chunk {
                geometry.append_value(&r.geometry);
            }
            let mut arrays: Vec<ArrayRef> = vec![Arc::new(geometry.finish())];
            arrays.extend(columns.iter().map(|(n, k)| column(chunk, n, *k)));
            RecordBatch::try_new(schema.clone(), arrays)
                .unwrap_or_else(|e| unreachable!("the columns follow the schema: {e}"))
        })
        .collect()
}

/// The dataset as a table of the survey profile (see the module doc of [`super`]), in batches
/// of at most [`ROWS_PER_BATCH`] rows; its schema also when it has no rows.
///
/// ```
/// use strata::io::{ImportOptions, dataset::read_dataset, table};
/// let ds = read_dataset(&["data/wengcheng/wengcheng.geojson".into()], &ImportOptions::default()).unwrap();
/// let (schema, batches) = table::units_table(&ds);
/// let back = table::read_table("wengcheng".as_ref(), &schema, &batches, &ImportOptions::default()).unwrap();
/// assert_eq!(back.units.len(), ds.units.len());
/// assert_eq!(back.units[0].volume, ds.units[0].volume);
/// ```
pub fn units_table(ds: &Dataset) -> (SchemaRef, Vec<RecordBatch>) {
    let rows = rows(ds);
    let schema = schema(ds, &kinds(&rows));
    let batches = batches(&rows, &schema);
    (schema, batches)
}

/// The schema [`units_table`] gives `ds`.
pub fn units_schema(ds: &Dataset) -> SchemaRef {
    schema(ds, &kinds(&rows(ds)))
}

/// A part of a dataset (a tile's units) as a table of the schema [`units_schema`] gave the
/// whole: every tile of a district then has the same columns. A property of `part` that
/// `schema` has no column for is not written, so `schema` must be the whole's.
pub fn units_table_as(part: &Dataset, schema: &SchemaRef) -> Vec<RecordBatch> {
    batches(&rows(part), schema)
}
