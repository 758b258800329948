use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use arrow_array::{
    ArrayRef, BinaryArray, DictionaryArray, Float32Array, Float64Array, LargeStringArray,
    ListArray, RecordBatch, StringArray, types::Int32Type,
};
use arrow_schema::{DataType, Field, Schema};

use super::*;
use crate::checks::{CheckOptions, check};
use crate::geometry::algorithm::BoundingBox3;
use crate::io::{ImportOptions, dataset::read_dataset, wkb};
use crate::model::Dataset;
use arrow_array::Array;
use geo::polygon;

fn read(paths: &[&str]) -> Dataset {
    let paths: Vec<PathBuf> = paths.iter().map(PathBuf::from).collect();
    read_dataset(&paths, &ImportOptions::default()).unwrap()
}

fn round_trip(ds: &Dataset) -> Dataset {
    let (schema, batches) = units_table(ds);
    read_table(Path::new("t"), &schema, &batches, &ImportOptions::default()).unwrap()
}

/// What a unit is, whatever it was read from: its code, fields, frame and exact volume.
fn same_units(a: &Dataset, b: &Dataset) {
    assert_eq!(a.units.len(), b.units.len());
    for (x, y) in a.units.iter().zip(&b.units) {
        assert_eq!(x.key, y.key);
        assert_eq!(x.code, y.code);
        assert_eq!(x.volume, y.volume, "{}", x.key);
        assert_eq!(
            (
                &x.stratum,
                &x.declared_stratum,
                &x.name,
                &x.holder,
                &x.usage,
                &x.right_type
            ),
            (
                &y.stratum,
                &y.declared_stratum,
                &y.name,
                &y.holder,
                &y.usage,
                &y.right_type
            )
        );
        assert_eq!(
            (&x.supply_method, &x.term, &x.parent_plot),
            (&y.supply_method, &y.term, &y.parent_plot)
        );
        assert_eq!(
            (&x.sixto, &x.sixto_units, &x.note),
            (&y.sixto, &y.sixto_units, &y.note)
        );
        assert_eq!(
            (&x.survey_result_code, &x.frame),
            (&y.survey_result_code, &y.frame)
        );
        let levels = |u: &crate::model::Unit| -> Vec<_> {
            u.parts
                .iter()
                .map(|p| (p.level.clone(), p.attributes.clone()))
                .collect()
        };
        assert_eq!(levels(x), levels(y), "{}", x.key);
    }
    assert_eq!(a.plots.len(), b.plots.len());
    for (p, q) in a.plots.iter().zip(&b.plots) {
        assert_eq!(
            (
                &p.id,
                &p.name,
                &p.land_use,
                p.ground_elevation,
                p.green_space,
                &p.footprint
            ),
            (
                &q.id,
                &q.name,
                &q.land_use,
                q.ground_elevation,
                q.green_space,
                &q.footprint
            )
        );
    }
    assert_eq!(
        (&a.frame, a.ground_elevation),
        (&b.frame, b.ground_elevation)
    );
}

#[test]
fn both_reference_projects_survive_a_table_with_the_same_check() {
    for paths in [
        &["data/wengcheng/wengcheng.geojson"][..],
        &[
            "data/dazhongsi/dazhongsi.geojson",
            "data/dazhongsi/east-passage.city.json",
        ],
    ] {
        let ds = read(paths);
        let back = round_trip(&ds);
        same_units(&ds, &back);
        let opts = CheckOptions::default();
        assert_eq!(
            check(&ds, &opts).report.conflicts,
            check(&back, &opts).report.conflicts,
            "{paths:?}"
        );
    }
}

#[test]
fn a_polyhedral_part_is_a_polyhedral_surface() {
    let ds = read(&["data/dazhongsi/east-passage.city.json"]);
    let (schema, batches) = units_table(&ds);
    let g = batches[0]
        .column(0)
        .as_any()
        .downcast_ref::<BinaryArray>()
        .unwrap();
    let wkb_type = u32::from_le_bytes(g.value(0)[1..5].try_into().unwrap());
    assert_eq!(wkb_type, 1015, "PolyhedralSurface Z");
    assert!(batches[0].column_by_name("z_bottom").unwrap().is_null(0));
    let meta = schema.field(0).metadata();
    assert_eq!(meta[EXTENSION_NAME], GEOARROW_WKB);
    assert!(meta[EXTENSION_METADATA].contains("EPSG:4548"));
}

/// A table of one column besides the geometry, `z_top` taken from `z_top`'s array.
fn table(columns: Vec<(Field, ArrayRef)>) -> (Arc<Schema>, RecordBatch) {
    let square = polygon![(x: 441_000.0, y: 4_410_000.0), (x: 441_005.0, y: 4_410_000.0), (x: 441_005.0, y: 4_410_005.0), (x: 441_000.0, y: 4_410_005.0)];
    let n = columns.first().map_or(1, |(_, a)| a.len());
    let g: Vec<Vec<u8>> = (0..n).map(|_| wkb::polygon(&square)).collect();
    let g = BinaryArray::from_iter_values(g);
    let mut fields = vec![Field::new("geometry", DataType::Binary, true)];
    let mut arrays: Vec<ArrayRef> = vec![Arc::new(g)];
    for (f, a) in columns {
        fields.push(f);
        arrays.push(a);
    }
    let schema = Arc::new(Schema::new(fields));
    let batch = RecordBatch::try_new(schema.clone(), arrays).unwrap();
    (schema, batch)
}

const CODE: &str = "110105001006GX00002F00010001";

fn opts() -> ImportOptions {
    ImportOptions {
        crs: Some(4548),
        ..ImportOptions::default()
    }
}

#[test]
fn other_arrow_widths_read_as_the_profile() {
    let codes: DictionaryArray<Int32Type> = vec![CODE].into_iter().collect();
    let (schema, batch) = table(vec![
        (
            Field::new("unit_code", codes.data_type().clone(), true),
            Arc::new(codes),
        ),
        (
            Field::new("z_bottom", DataType::Float32, true),
            Arc::new(Float32Array::from(vec![-8.5])),
        ),
        (
            Field::new("z_top", DataType::Float64, true),
            Arc::new(Float64Array::from(vec![-2.0])),
        ),
        (
            Field::new("name", DataType::LargeUtf8, true),
            Arc::new(LargeStringArray::from(vec!["车库"])),
        ),
    ]);
    let ds = read_table(Path::new("t"), &schema, &[batch], &opts()).unwrap();
    let u = &ds.units[0];
    assert_eq!((u.key.as_str(), u.name.as_deref()), (CODE, Some("车库")));
    assert_eq!(u.volume.bbox().min.z, -8.5);
    assert_eq!(u.volume.bbox().max.z, -2.0);
}

fn error(columns: Vec<(Field, ArrayRef)>) -> String {
    let (schema, batch) = table(columns);
    read_table(Path::new("survey.parquet"), &schema, &[batch], &opts())
        .unwrap_err()
        .to_string()
}

fn code() -> (Field, ArrayRef) {
    (
        Field::new("unit_code", DataType::Utf8, true),
        Arc::new(StringArray::from(vec![CODE])),
    )
}

#[test]
fn bad_values_name_the_table_the_row_and_the_column() {
    let e = error(vec![
        code(),
        (
            Field::new("z_bottom", DataType::Float64, true),
            Arc::new(Float64Array::from(vec![0.0])),
        ),
        (
            Field::new("z_top", DataType::Float64, true),
            Arc::new(Float64Array::from(vec![f64::NAN])),
        ),
    ]);
    assert!(
        e.contains("survey.parquet") && e.contains("feature 0"),
        "{e}"
    );
    assert!(
        e.contains("properties.z_top") && e.contains("NaN is not a finite number"),
        "{e}"
    );
    let json = Field::new("sixto", DataType::Utf8, true)
        .with_metadata(HashMap::from([(EXTENSION_NAME.into(), ARROW_JSON.into())]));
    let e = error(vec![
        code(),
        (json, Arc::new(StringArray::from(vec!["{up:"]))),
    ]);
    assert!(
        e.contains("properties.sixto") && e.contains("not JSON"),
        "{e}"
    );
    let list = ListArray::from_iter_primitive::<Int32Type, _, _>(vec![Some(vec![Some(1)])]);
    let e = error(vec![
        code(),
        (
            Field::new("floors", list.data_type().clone(), true),
            Arc::new(list),
        ),
    ]);
    assert!(e.contains("column `floors` is List"), "{e}");
}

#[test]
fn bad_geometry_names_the_row() {
    let (schema, batch) = table(vec![code()]);
    let mut g = wkb::polygon(&polygon![(x: 0.0, y: 0.0), (x: 1.0, y: 0.0), (x: 0.0, y: 1.0)]);
    g.truncate(20);
    let cols: Vec<ArrayRef> = vec![
        Arc::new(BinaryArray::from_iter_values([g])),
        batch.column(1).clone(),
    ];
    let batch = RecordBatch::try_new(schema.clone(), cols).unwrap();
    let e = read_table(Path::new("t.parquet"), &schema, &[batch], &opts())
        .unwrap_err()
        .to_string();
    assert!(
        e.contains("feature 0") && e.contains("geometry") && e.contains("truncated"),
        "{e}"
    );
    let bare = Arc::new(Schema::new(vec![Field::new(
        "unit_code",
        DataType::Utf8,
        true,
    )]));
    let b = RecordBatch::try_new(bare.clone(), vec![code().1]).unwrap();
    let e = read_table(Path::new("t"), &bare, &[b], &opts())
        .unwrap_err()
        .to_string();
    assert!(e.contains("no geometry column"), "{e}");
}

#[test]
fn the_crs_comes_from_geoparquet_metadata_or_the_options() {
    let (schema, batch) = table(vec![code()]);
    let geo = r#"{"version":"1.1.0","primary_column":"geometry","columns":{"geometry":{"encoding":"WKB","crs":{"id":{"authority":"EPSG","code":4547}}}}}"#;
    let schema = Arc::new(Schema::new_with_metadata(
        schema.fields().clone(),
        HashMap::from([("geo".to_string(), geo.to_string())]),
    ));
    let batch = batch.with_schema(schema.clone()).unwrap();
    let ds = read_table(
        Path::new("t"),
        &schema,
        std::slice::from_ref(&batch),
        &ImportOptions::default(),
    )
    .unwrap();
    assert_eq!(ds.frame.crs.map(|c| c.epsg), Some(4547));
    let plain = Arc::new(Schema::new(schema.fields().clone()));
    let batch = RecordBatch::try_new(plain.clone(), batch.columns().to_vec()).unwrap();
    let ds = read_table(Path::new("t"), &plain, &[batch], &opts()).unwrap();
    assert_eq!(ds.frame.crs.map(|c| c.epsg), Some(4548));
}

#[test]
fn contradictory_empty_and_enormous_rows_are_answered() {
    // Two columns of one name: a property given twice.
    let z = |v: f64| -> (Field, ArrayRef) {
        (
            Field::new("z_top", DataType::Float64, true),
            Arc::new(Float64Array::from(vec![v])),
        )
    };
    let e = error(vec![code(), z(3.0), z(4.0)]);
    assert!(e.contains("column `z_top` is given twice"), "{e}");
    // POLYGON EMPTY holds no footprint: the finding a file's empty geometry gets.
    let (schema, batch) = table(vec![code(), z(3.0)]);
    let empty = BinaryArray::from_iter_values([[1u8, 3, 0, 0, 0, 0, 0, 0, 0]]);
    let cols: Vec<ArrayRef> = vec![
        Arc::new(empty),
        batch.column(1).clone(),
        batch.column(2).clone(),
    ];
    let b = RecordBatch::try_new(schema.clone(), cols).unwrap();
    let ds = read_table(Path::new("t"), &schema, &[b], &opts()).unwrap();
    let f = &ds.units[0].findings;
    assert!(
        f.iter().any(|f| f.message == "the geometry is empty"),
        "{f:?}"
    );
    // More positions than a feature may hold.
    let n = crate::io::profile::MAX_POSITIONS_PER_FEATURE + 1;
    let ring: Vec<geo::Coord<f64>> = (0..n)
        .map(|k| geo::Coord {
            x: 441_000.0 + k as f64 * 1e-3,
            y: 4_410_000.0 + (k % 2) as f64,
        })
        .collect();
    let big = wkb::polygon(&geo::Polygon::new(geo::LineString(ring), Vec::new()));
    let cols: Vec<ArrayRef> = vec![
        Arc::new(BinaryArray::from_iter_values([big])),
        batch.column(1).clone(),
        batch.column(2).clone(),
    ];
    let b = RecordBatch::try_new(schema.clone(), cols).unwrap();
    let e = read_table(Path::new("t"), &schema, &[b], &opts())
        .unwrap_err()
        .to_string();
    assert!(
        e.contains("feature 0") && e.contains("more than the 1000000 a feature may hold"),
        "{e}"
    );
}
