//! A dataset written as a table of the survey profile.

use std::collections::HashMap;

use rustc_hash::FxHashMap;
use std::sync::Arc;

use arrow_array::builder::{
    ArrayBuilder, BinaryBuilder, BooleanBuilder, Float64Builder, Int64Builder, StringBuilder,
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
        // Keyed by direction (`up` … `north`), each an array of codes.
        m.insert("sixto_units".into(), json!(**s));
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

/// The rows of a unit's parts: its model fields on each, with the part's own level,
/// attributes and geometry.
fn part_rows<'a>(u: &'a Unit, ds: &Dataset) -> impl Iterator<Item = Row> + 'a {
    let datum = u
        .frame
        .height_datum
        .as_ref()
        .or(ds.frame.height_datum.as_ref())
        .map(|d| d.to_string());
    let fields = unit_fields(u, datum);
    u.volume.parts.iter().enumerate().map(move |(k, part)| {
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
        Row { geometry, props }
    })
}

/// The kind of a value in an attribute column outside the profile: `None` for null.
fn kind_of_value(v: &Value) -> Option<ColumnKind> {
    Some(match v {
        Value::Null => return None,
        Value::Number(n) if n.is_i64() => ColumnKind::Integer,
        Value::Number(_) => ColumnKind::Float,
        Value::String(_) => ColumnKind::Text,
        Value::Bool(_) => ColumnKind::Bool,
        _ => ColumnKind::Json,
    })
}

/// The kind of a column holding values of kinds `a` and `b`: numbers (whole or not), text,
/// booleans, or JSON for anything else or a mixture.
fn widen(a: ColumnKind, b: ColumnKind) -> ColumnKind {
    use ColumnKind::{Float, Integer, Json};
    match (a, b) {
        (a, b) if a == b => a,
        (Integer | Float, Integer | Float) => Float,
        _ => Json,
    }
}

/// One column being built: its values so far, `len` of them.
enum Builder {
    Text(StringBuilder, bool),
    Float(Float64Builder),
    Integer(Int64Builder),
    Bool(BooleanBuilder),
}

impl Builder {
    fn new(kind: ColumnKind) -> Builder {
        match kind {
            ColumnKind::Text => Builder::Text(StringBuilder::new(), false),
            ColumnKind::Json => Builder::Text(StringBuilder::new(), true),
            ColumnKind::Float => Builder::Float(Float64Builder::new()),
            ColumnKind::Integer => Builder::Integer(Int64Builder::new()),
            ColumnKind::Bool => Builder::Bool(BooleanBuilder::new()),
        }
    }

    fn len(&self) -> usize {
        match self {
            Builder::Text(b, _) => b.len(),
            Builder::Float(b) => b.len(),
            Builder::Integer(b) => b.len(),
            Builder::Bool(b) => b.len(),
        }
    }

    /// Adds `v`; a value of another type is written as its JSON text in a text column and
    /// left out (null) in the others.
    fn push(&mut self, v: &Value) {
        match self {
            Builder::Text(b, _) if v.is_null() => b.append_null(),
            Builder::Text(b, false) if v.is_string() => b.append_value(v.as_str().unwrap_or("")),
            Builder::Text(b, _) => b.append_value(v.to_string()),
            Builder::Float(b) => b.append_option(v.as_f64()),
            Builder::Integer(b) => b.append_option(v.as_i64()),
            Builder::Bool(b) => b.append_option(v.as_bool()),
        }
    }

    fn null(&mut self) {
        match self {
            Builder::Text(b, _) => b.append_null(),
            Builder::Float(b) => b.append_null(),
            Builder::Integer(b) => b.append_null(),
            Builder::Bool(b) => b.append_null(),
        }
    }

    fn finish(&mut self) -> ArrayRef {
        match self {
            Builder::Text(b, _) => Arc::new(b.finish()),
            Builder::Float(b) => Arc::new(b.finish()),
            Builder::Integer(b) => Arc::new(b.finish()),
            Builder::Bool(b) => Arc::new(b.finish()),
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

/// Every row of the dataset, made as it is written: the plots, then each unit's parts.
fn rows(ds: &Dataset) -> impl Iterator<Item = Row> + '_ {
    ds.plots
        .iter()
        .map(plot_row)
        .chain(ds.units.iter().flat_map(|u| part_rows(u, ds)))
}

/// The columns of a dataset's table: the profile's, then every other attribute of a part,
/// with the kind its values need.
fn kinds(ds: &Dataset) -> Vec<(String, ColumnKind)> {
    let mut columns: Vec<(String, ColumnKind)> =
        COLUMNS.iter().map(|(n, k)| (n.to_string(), *k)).collect();
    let mut at: FxHashMap<String, Option<usize>> =
        COLUMNS.iter().map(|(n, _)| (n.to_string(), None)).collect();
    let mut extra: Vec<(String, Option<ColumnKind>)> = Vec::new();
    let attributes = ds
        .units
        .iter()
        .flat_map(|u| u.parts.iter())
        .flat_map(|p| &p.attributes);
    for (name, v) in attributes {
        let k = match at.get(name.as_str()) {
            Some(None) => continue,
            Some(Some(k)) => *k,
            None => {
                at.insert(name.clone(), Some(extra.len()));
                extra.push((name.clone(), None));
                extra.len() - 1
            }
        };
        if let Some(kind) = kind_of_value(v) {
            let e = &mut extra[k].1;
            *e = Some(e.map_or(kind, |old| widen(old, kind)));
        }
    }
    columns.extend(
        extra
            .into_iter()
            .map(|(n, k)| (n, k.unwrap_or(ColumnKind::Text))),
    );
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

/// One batch of `rows` (at most [`ROWS_PER_BATCH`]), in one pass: each property goes to its
/// column by name; a property `schema` has no column for is not written.
fn batch(rows: &[Row], schema: &SchemaRef, at: &FxHashMap<&str, usize>) -> RecordBatch {
    let mut geometry = BinaryBuilder::new();
    let mut columns: Vec<Builder> = schema
        .fields()
        .iter()
        .skip(1)
        .map(|f| Builder::new(kind_of(f)))
        .collect();
    for (n, r) in rows.iter().enumerate() {
        geometry.append_value(&r.geometry);
        for (name, v) in &r.props {
            if let Some(&k) = at.get(name.as_str()) {
                columns[k].push(v);
            }
        }
        for c in columns.iter_mut().filter(|c| c.len() == n) {
            c.null();
        }
    }
    let mut arrays: Vec<ArrayRef> = vec![Arc::new(geometry.finish())];
    arrays.extend(columns.iter_mut().map(Builder::finish));
    RecordBatch::try_new(schema.clone(), arrays)
        .unwrap_or_else(|e| unreachable!("the columns follow the schema: {e}"))
}

fn batches(ds: &Dataset, schema: &SchemaRef) -> Vec<RecordBatch> {
    let at: FxHashMap<&str, usize> = schema
        .fields()
        .iter()
        .skip(1)
        .enumerate()
        .map(|(k, f)| (f.name().as_str(), k))
        .collect();
    let mut out = Vec::new();
    let mut chunk = Vec::with_capacity(ROWS_PER_BATCH);
    for r in rows(ds) {
        chunk.push(r);
        if chunk.len() == ROWS_PER_BATCH {
            out.push(batch(&chunk, schema, &at));
            chunk.clear();
        }
    }
    if !chunk.is_empty() {
        out.push(batch(&chunk, schema, &at));
    }
    out
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
    let schema = units_schema(ds);
    let batches = batches(ds, &schema);
    (schema, batches)
}

/// The schema [`units_table`] gives `ds`.
pub fn units_schema(ds: &Dataset) -> SchemaRef {
    schema(ds, &kinds(ds))
}

/// A part of a dataset (a tile's units) as a table of the schema [`units_schema`] gave the
/// whole: every tile of a district then has the same columns. A property of `part` that
/// `schema` has no column for is not written, so `schema` must be the whole's.
pub fn units_table_as(part: &Dataset, schema: &SchemaRef) -> Vec<RecordBatch> {
    batches(part, schema)
}
