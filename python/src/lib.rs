//! Strata for Python: a thin layer over the library. Survey tables and results cross as Arrow
//! through the C stream interface (no copy), the interpreter's lock is released while Rust
//! works, and every error the library names (file, feature, field) is a `StrataError` with
//! those as attributes.

use std::path::{Path, PathBuf};

use arrow_array::RecordBatch;
use arrow_schema::SchemaRef;
use pyo3::create_exception;
use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use pyo3_arrow::PyTable;
use pyo3_arrow::input::AnyRecordBatch;

use strata::checks::tiles::{self, Tile};
use strata::checks::{CheckOptions, check};
use strata::export::table::{TILE_COLUMNS, conflicts_table, findings_table, tiled_table};
use strata::io::ImportOptions;
use strata::io::dataset::read_dataset;
use strata::io::error::ImportError;
use strata::io::table::{read_table, units_table};
use strata::model::Dataset;
use strata::model::frame::parse_epsg;
use strata::validate::{Tolerances, validate_dataset};

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// `mi_option_purge_delay` (see the command's `src/main.rs`).
const MI_OPTION_PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;

/// How long memory freed by Rust stays with the process before it goes back to the system,
/// ms: a call that frees a table and builds the next reuses it instead of faulting in fresh,
/// zeroed pages (a third of the time of reading a million units), and a long-lived worker
/// still returns it between calls. mimalloc's own default is 10 ms.
const PURGE_DELAY_MS: std::ffi::c_long = 2_000;

create_exception!(
    strata,
    StrataError,
    PyValueError,
    "Input Strata cannot read: the message names the file (or table), the feature and the field; so do the attributes `file`, `feature` and `field` (None where not known)."
);

/// The exception for an import error, with its place as attributes.
fn import_error(py: Python, e: ImportError) -> PyErr {
    let err = StrataError::new_err(e.to_string());
    let (file, feature, field) = match &e {
        ImportError::Field {
            path,
            feature,
            field,
            ..
        } => (
            Some(path.clone()),
            Some(feature.to_string()),
            Some(field.clone()),
        ),
        ImportError::Io { path, .. }
        | ImportError::Json { path, .. }
        | ImportError::Format { path, .. }
        | ImportError::Crs { path, .. } => (Some(path.clone()), None, None),
        _ => (None, None, None),
    };
    let v = err.value(py);
    let file = file.map(|p| p.display().to_string());
    for (name, value) in [("file", file), ("feature", feature), ("field", field)] {
        // Setting an attribute on a fresh exception instance cannot fail but for memory.
        let _ = v.setattr(name, value);
    }
    err
}

fn usage(message: impl Into<String>) -> PyErr {
    StrataError::new_err(message.into())
}

/// The import options from the keyword arguments.
fn options(crs: Option<&Bound<PyAny>>, height_datum: Option<String>) -> PyResult<ImportOptions> {
    let crs = match crs {
        None => None,
        Some(c) => Some(match c.extract::<u32>() {
            Ok(code) => code,
            Err(_) => {
                let s: String = c
                    .extract()
                    .map_err(|_| usage("crs: an EPSG code (4548) or text (\"EPSG:4548\")"))?;
                parse_epsg(&s).ok_or_else(|| {
                    usage(format!("crs: \"{s}\" is not an EPSG reference (EPSG:4548)"))
                })?
            }
        }),
    };
    Ok(ImportOptions {
        crs,
        height_datum,
        ..ImportOptions::default()
    })
}

fn check_options(tolerance: f64) -> PyResult<CheckOptions> {
    if !(tolerance.is_finite() && tolerance >= 0.0) {
        return Err(usage(format!(
            "tolerance: {tolerance} is not a length in metres"
        )));
    }
    Ok(CheckOptions {
        tolerance,
        ..CheckOptions::default()
    })
}

fn to_python(py: Python, schema: SchemaRef, batches: Vec<RecordBatch>) -> PyResult<Bound<PyAny>> {
    PyTable::try_new(batches, schema)?.into_pyarrow(py)
}

/// The dataset of a table of the survey profile; tile columns, when present, are left out.
fn dataset(
    py: Python,
    units: AnyRecordBatch,
    name: &str,
    opts: &ImportOptions,
) -> PyResult<Dataset> {
    let (batches, schema) = units.into_table()?.into_inner();
    let keep: Vec<usize> = (0..schema.fields().len())
        .filter(|&k| !TILE_COLUMNS.contains(&schema.field(k).name().as_str()))
        .collect();
    let schema = SchemaRef::new(schema.project(&keep).map_err(|e| usage(e.to_string()))?);
    let batches = batches
        .iter()
        .map(|b| b.project(&keep))
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| usage(e.to_string()))?;
    py.detach(|| read_table(Path::new(name), &schema, &batches, opts))
        .map_err(|e| import_error(py, e))
}

/// A square grid of tiles in plan, in the units' projected CRS (metres): tile (0, 0) has its
/// lower corner at `origin`; tiles are half-open, so a point on an edge is in the tile east
/// (north) of it.
#[pyclass(frozen, module = "strata", from_py_object)]
#[derive(Clone, Copy)]
struct Grid(tiles::Grid);

#[pymethods]
impl Grid {
    #[new]
    #[pyo3(signature = (size, origin = (0.0, 0.0)))]
    fn new(size: f64, origin: (f64, f64)) -> PyResult<Grid> {
        tiles::Grid::new([origin.0, origin.1], size)
            .map(Grid)
            .map_err(|e| usage(e.to_string()))
    }

    /// The side of a tile, m.
    #[getter]
    fn size(&self) -> f64 {
        self.0.size
    }

    /// The lower corner of tile (0, 0): easting, northing.
    #[getter]
    fn origin(&self) -> (f64, f64) {
        (self.0.origin[0], self.0.origin[1])
    }

    /// The tile (column, row) holding point (x, y).
    fn tile_of(&self, x: f64, y: f64) -> (i64, i64) {
        let t = self.0.tile_of(x, y);
        (t.i, t.j)
    }

    /// Pickled as its size and origin: a grid travels to the workers of a cluster.
    fn __reduce__<'py>(
        slf: &Bound<'py, Self>,
    ) -> (Bound<'py, pyo3::types::PyType>, (f64, (f64, f64))) {
        let g = slf.get().0;
        (slf.get_type(), (g.size, (g.origin[0], g.origin[1])))
    }

    fn __repr__(&self) -> String {
        format!(
            "Grid(size={}, origin=({}, {}))",
            self.0.size, self.0.origin[0], self.0.origin[1]
        )
    }
}

/// Reads survey files (GeoJSON, FlatGeobuf, CityJSON, LandXML) into a table of the survey
/// profile: one row per plot and per part of a unit, the geometry as GeoArrow WKB.
#[pyfunction]
#[pyo3(signature = (paths, *, crs = None, height_datum = None))]
fn read<'py>(
    py: Python<'py>,
    paths: &Bound<'py, PyAny>,
    crs: Option<&Bound<'py, PyAny>>,
    height_datum: Option<String>,
) -> PyResult<Bound<'py, PyAny>> {
    let paths: Vec<PathBuf> = match paths.extract::<PathBuf>() {
        Ok(p) => vec![p],
        Err(_) => paths
            .extract()
            .map_err(|_| usage("paths: a path or a list of paths"))?,
    };
    let opts = options(crs, height_datum)?;
    let ds = py
        .detach(|| read_dataset(&paths, &opts))
        .map_err(|e| import_error(py, e))?;
    let (schema, batches) = py.detach(|| units_table(&ds));
    to_python(py, schema, batches)
}

/// Validates every unit and plot of a table: one row per finding (val3dity's codes for
/// geometry, 8xx for cadastral findings).
#[pyfunction]
#[pyo3(signature = (units, *, crs = None, name = "table"))]
fn validate<'py>(
    py: Python<'py>,
    units: AnyRecordBatch,
    crs: Option<&Bound<'py, PyAny>>,
    name: &str,
) -> PyResult<Bound<'py, PyAny>> {
    let ds = dataset(py, units, name, &options(crs, None)?)?;
    let t = py.detach(|| findings_table(&validate_dataset(&ds, &Tolerances::default())));
    to_python(py, t.schema(), vec![t])
}

/// The whole check in one process: every conflict of the table's units (overlaps with their
/// exact shared volume, units leaving their plot's column, 六至 mismatches, …).
#[pyfunction]
#[pyo3(signature = (units, *, tolerance = 0.05, crs = None, name = "table"))]
fn check_all<'py>(
    py: Python<'py>,
    units: AnyRecordBatch,
    tolerance: f64,
    crs: Option<&Bound<'py, PyAny>>,
    name: &str,
) -> PyResult<Bound<'py, PyAny>> {
    let opts = check_options(tolerance)?;
    let ds = dataset(py, units, name, &options(crs, None)?)?;
    let t = py.detach(|| conflicts_table(&check(&ds, &opts).report.conflicts));
    to_python(py, t.schema(), vec![t])
}

/// The halo of a tiling of the table's units, m: the largest plan extent of a unit plus the
/// snap distance. A tiling of a district in parts must use the whole district's halo.
#[pyfunction]
#[pyo3(signature = (units, *, crs = None, name = "table"))]
fn halo(
    py: Python,
    units: AnyRecordBatch,
    crs: Option<&Bound<PyAny>>,
    name: &str,
) -> PyResult<f64> {
    let ds = dataset(py, units, name, &options(crs, None)?)?;
    Ok(tiles::dataset_halo(&ds, CheckOptions::default().snap))
}

/// Each unit copied into every tile whose halo its box meets, with the plots its copies name;
/// the tile as the columns `tile_i` and `tile_j`.
#[pyfunction]
#[pyo3(signature = (units, grid, *, halo = None, crs = None, name = "table"))]
fn assign_tiles<'py>(
    py: Python<'py>,
    units: AnyRecordBatch,
    grid: Grid,
    halo: Option<f64>,
    crs: Option<&Bound<'py, PyAny>>,
    name: &str,
) -> PyResult<Bound<'py, PyAny>> {
    let ds = dataset(py, units, name, &options(crs, None)?)?;
    let snap = CheckOptions::default().snap;
    let own = tiles::dataset_halo(&ds, snap);
    let h = match halo {
        None => own,
        Some(h) if h.is_finite() && h >= own => h,
        Some(h) => {
            return Err(usage(format!(
                "halo: {h} m is less than these units need ({own} m: the largest unit's plan extent plus the snap distance)"
            )));
        }
    };
    let (schema, batches) = py.detach(|| tiled_table(&ds, tiles::cut(&ds, &grid.0, h)));
    to_python(py, schema, batches)
}

/// The conflicts tile `tile` owns among the units `assign_tiles` gave it: a pair belongs to
/// the tile holding the lower corner of the pair's shared box, so over all tiles every
/// conflict is reported exactly once.
#[pyfunction]
#[pyo3(signature = (units, tile, grid, *, tolerance = 0.05, crs = None, name = "table"))]
fn check_tile<'py>(
    py: Python<'py>,
    units: AnyRecordBatch,
    tile: (i64, i64),
    grid: Grid,
    tolerance: f64,
    crs: Option<&Bound<'py, PyAny>>,
    name: &str,
) -> PyResult<Bound<'py, PyAny>> {
    let opts = check_options(tolerance)?;
    let ds = dataset(py, units, name, &options(crs, None)?)?;
    let tile = Tile {
        i: tile.0,
        j: tile.1,
    };
    let t = py.detach(|| conflicts_table(&tiles::check_tile(&ds, tile, &grid.0, &opts)));
    to_python(py, t.schema(), vec![t])
}

#[pymodule]
fn _strata(m: &Bound<'_, PyModule>) -> PyResult<()> {
    // SAFETY: `mi_option_set` takes an option number and a value, both plain integers, and
    // only stores the value in mimalloc's option table; mimalloc documents it as callable at
    // any time, from any thread, and an unknown option number is ignored.
    unsafe { libmimalloc_sys::mi_option_set(MI_OPTION_PURGE_DELAY, PURGE_DELAY_MS) };
    m.add("StrataError", m.py().get_type::<StrataError>())?;
    m.add_class::<Grid>()?;
    m.add_function(wrap_pyfunction!(read, m)?)?;
    m.add_function(wrap_pyfunction!(validate, m)?)?;
    m.add_function(wrap_pyfunction!(check_all, m)?)?;
    m.add_function(wrap_pyfunction!(halo, m)?)?;
    m.add_function(wrap_pyfunction!(assign_tiles, m)?)?;
    m.add_function(wrap_pyfunction!(check_tile, m)?)?;
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    Ok(())
}
