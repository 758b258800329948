//! Results as Arrow tables: the conflicts of a check, the findings of a validation, and a
//! dataset cut into tiles (the survey profile's table with the tile as two columns). The
//! Python package hands these to Python without copying.

use std::sync::Arc;

use arrow_array::builder::{Float64Builder, Int64Builder, StringBuilder, UInt16Builder};
use arrow_array::{ArrayRef, RecordBatch};
use arrow_schema::{DataType, Field, Schema, SchemaRef};

use crate::checks::Conflict;
use crate::checks::tiles::Tile;
use crate::diagnostics::{Finding, Severity};
use crate::io::table::{units_schema, units_table_as};
use crate::model::Dataset;
use crate::validate::Report;

/// The tile columns of a tiled table: column `i` (eastward) and row `j` (northward).
pub const TILE_COLUMNS: [&str; 2] = ["tile_i", "tile_j"];

fn severity(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
    }
}

fn text(name: &str) -> Field {
    Field::new(name, DataType::Utf8, true)
}

fn float(name: &str) -> Field {
    Field::new(name, DataType::Float64, true)
}

/// The columns of [`conflicts_table`].
pub fn conflicts_schema() -> SchemaRef {
    Arc::new(Schema::new(vec![
        Field::new("kind", DataType::Utf8, false),
        Field::new("severity", DataType::Utf8, false),
        Field::new("a", DataType::Utf8, false),
        text("b"),
        Field::new("volume_m3", DataType::Float64, false),
        float("z_min"),
        float("z_max"),
        float("footprint_area_m2"),
        float("min_thickness_m"),
        Field::new("message", DataType::Utf8, false),
    ]))
}

/// Conflicts, one row each: the kind, the unit (`a`) and the other of a pair (`b`), the
/// shared volume (m³), its elevations, plan area and thickness, and the sentence for people.
pub fn conflicts_table(conflicts: &[Conflict]) -> RecordBatch {
    let mut s = [(); 4].map(|_| StringBuilder::new());
    let mut b = StringBuilder::new();
    let mut f = [(); 5].map(|_| Float64Builder::new());
    for c in conflicts {
        s[0].append_value(c.kind.as_str());
        s[1].append_value(severity(c.severity));
        s[2].append_value(&c.a);
        b.append_option(c.b.as_deref());
        s[3].append_value(&c.message);
        f[0].append_value(c.volume_m3);
        f[1].append_option(c.z_range.map(|z| z[0]));
        f[2].append_option(c.z_range.map(|z| z[1]));
        f[3].append_option(c.footprint_area_m2);
        f[4].append_option(c.min_thickness_m);
    }
    let [mut kind, mut sev, mut a, mut message] = s;
    let [mut vol, mut z0, mut z1, mut area, mut thick] = f;
    let columns: Vec<ArrayRef> = vec![
        Arc::new(kind.finish()),
        Arc::new(sev.finish()),
        Arc::new(a.finish()),
        Arc::new(b.finish()),
        Arc::new(vol.finish()),
        Arc::new(z0.finish()),
        Arc::new(z1.finish()),
        Arc::new(area.finish()),
        Arc::new(thick.finish()),
        Arc::new(message.finish()),
    ];
    RecordBatch::try_new(conflicts_schema(), columns)
        .unwrap_or_else(|e| unreachable!("the columns follow the schema: {e}"))
}

/// The findings of a validation, one row each: the object (unit, object or plot id; none for
/// the dataset's own findings), its unit code, the severity, val3dity's (or the cadastral 8xx)
/// code and name, the sentence, and where: file, feature and field.
pub fn findings_table(r: &Report) -> RecordBatch {
    let mut rows: Vec<(Option<&str>, Option<&str>, &Finding)> = Vec::new();
    for o in r.results.iter().chain(&r.plots) {
        for f in o.errors.iter().chain(&o.warnings) {
            rows.push((Some(&o.id), o.unit_code.as_deref(), f));
        }
    }
    rows.extend(r.dataset.iter().map(|f| (None, None, f)));
    let mut t = [(); 8].map(|_| StringBuilder::new());
    let mut code = UInt16Builder::new();
    for (object, unit, f) in rows {
        t[0].append_option(object);
        t[1].append_option(unit);
        t[2].append_value(severity(f.severity));
        code.append_value(f.code.number());
        t[3].append_value(f.code.name());
        t[4].append_value(&f.message);
        t[5].append_option(f.location.file.as_deref());
        t[6].append_option(f.location.feature.as_ref().map(|x| x.to_string()));
        t[7].append_option(f.location.field.as_deref());
    }
    let [
        mut object,
        mut unit,
        mut sev,
        mut name,
        mut message,
        mut file,
        mut feature,
        mut field,
    ] = t;
    let schema = Arc::new(Schema::new(vec![
        text("object"),
        text("unit_code"),
        Field::new("severity", DataType::Utf8, false),
        Field::new("code", DataType::UInt16, false),
        Field::new("name", DataType::Utf8, false),
        Field::new("message", DataType::Utf8, false),
        text("file"),
        text("feature"),
        text("field"),
    ]));
    let columns: Vec<ArrayRef> = vec![
        Arc::new(object.finish()),
        Arc::new(unit.finish()),
        Arc::new(sev.finish()),
        Arc::new(code.finish()),
        Arc::new(name.finish()),
        Arc::new(message.finish()),
        Arc::new(file.finish()),
        Arc::new(feature.finish()),
        Arc::new(field.finish()),
    ];
    RecordBatch::try_new(schema, columns)
        .unwrap_or_else(|e| unreachable!("the columns follow the schema: {e}"))
}

/// The datasets of tiles cut from `whole` as one table of the survey profile, each row with
/// its tile's [`TILE_COLUMNS`]: a unit near a tile edge appears once for every tile whose halo
/// it meets. Every tile has `whole`'s columns.
pub fn tiled_table(
    whole: &Dataset,
    tiles: impl IntoIterator<Item = (Tile, Dataset)>,
) -> (SchemaRef, Vec<RecordBatch>) {
    let base = units_schema(whole);
    let mut fields: Vec<Field> = base.fields().iter().map(|f| f.as_ref().clone()).collect();
    fields.extend(TILE_COLUMNS.map(|n| Field::new(n, DataType::Int64, false)));
    let schema = Arc::new(Schema::new_with_metadata(fields, base.metadata().clone()));
    let mut out = Vec::new();
    for (tile, ds) in tiles {
        for b in units_table_as(&ds, &base) {
            let n = b.num_rows();
            let mut columns = b.columns().to_vec();
            for v in [tile.i, tile.j] {
                let mut c = Int64Builder::with_capacity(n);
                c.append_value_n(v, n);
                columns.push(Arc::new(c.finish()));
            }
            out.push(
                RecordBatch::try_new(schema.clone(), columns)
                    .unwrap_or_else(|e| unreachable!("the columns follow the schema: {e}")),
            );
        }
    }
    (schema, out)
}

#[cfg(test)]
mod tests {
    use std::path::{Path, PathBuf};

    use arrow_array::BooleanArray;
    use arrow_array::cast::AsArray;
    use arrow_array::types::{Float64Type, Int64Type};
    use arrow_select::filter::filter_record_batch;

    use super::*;
    use crate::checks::tiles::{Grid, cut, dataset_halo};
    use crate::checks::{CheckOptions, check};
    use crate::io::ImportOptions;
    use crate::io::dataset::read_dataset;
    use crate::io::table::read_table;

    fn dazhongsi() -> Dataset {
        let paths: Vec<PathBuf> = [
            "data/dazhongsi/dazhongsi.geojson",
            "data/dazhongsi/east-passage.city.json",
        ]
        .map(PathBuf::from)
        .to_vec();
        read_dataset(&paths, &ImportOptions::default()).unwrap()
    }

    #[test]
    fn each_tiles_rows_read_back_as_its_dataset() {
        let ds = dazhongsi();
        let grid = Grid::new([0.0, 0.0], 50.0).unwrap();
        let tiles: Vec<_> =
            cut(&ds, &grid, dataset_halo(&ds, CheckOptions::default().snap)).collect();
        assert!(tiles.len() > 1);
        let (schema, batches) = tiled_table(&ds, tiles.clone());
        let n = schema.fields().len();
        assert_eq!(schema.field(n - 2).name(), "tile_i");
        let mut rows: Vec<(i64, i64)> = Vec::new();
        for b in &batches {
            let (i, j) = (
                b.column(n - 2).as_primitive::<Int64Type>(),
                b.column(n - 1).as_primitive::<Int64Type>(),
            );
            rows.extend((0..b.num_rows()).map(|r| (i.value(r), j.value(r))));
        }
        let keep: Vec<usize> = (0..n - 2).collect();
        let base = Arc::new(schema.project(&keep).unwrap());
        for (tile, part) in &tiles {
            // The tile's rows, without the tile columns, read as the tile's dataset.
            let mut at = 0;
            let own: Vec<RecordBatch> = batches
                .iter()
                .map(|b| {
                    let mask: BooleanArray = (0..b.num_rows())
                        .map(|r| Some(rows[at + r] == (tile.i, tile.j)))
                        .collect();
                    at += b.num_rows();
                    let mine = filter_record_batch(b, &mask)
                        .unwrap()
                        .project(&keep)
                        .unwrap();
                    RecordBatch::try_new(base.clone(), mine.columns().to_vec()).unwrap()
                })
                .collect();
            let back =
                read_table(Path::new("tile"), &base, &own, &ImportOptions::default()).unwrap();
            let keys = |d: &Dataset| {
                d.units
                    .iter()
                    .map(|u| (u.key.clone(), u.volume.clone()))
                    .collect::<Vec<_>>()
            };
            assert_eq!(keys(&back), keys(part), "{tile:?}");
        }
    }

    #[test]
    fn the_conflicts_table_holds_every_field() {
        let ds = dazhongsi();
        let conflicts = check(&ds, &CheckOptions::default()).report.conflicts;
        assert!(!conflicts.is_empty());
        let t = conflicts_table(&conflicts);
        assert_eq!(t.num_rows(), conflicts.len());
        let a = t.column_by_name("a").unwrap().as_string::<i32>();
        let v = t
            .column_by_name("volume_m3")
            .unwrap()
            .as_primitive::<Float64Type>();
        for (k, c) in conflicts.iter().enumerate() {
            assert_eq!((a.value(k), v.value(k)), (c.a.as_str(), c.volume_m3));
        }
    }
}
