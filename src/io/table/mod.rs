//! The survey profile as an Arrow table: one row per feature (the plots, then each part of
//! each unit), the geometry as GeoArrow WKB, the profile's properties as columns. This is the
//! currency of Strata's Python package and of engines that move Arrow between workers (Spark,
//! Ray); a GeoParquet file of the profile is such a table on disk.
//!
//! - `geometry`: WKB, marked `geoarrow.wkb`, with the CRS in the extension's metadata
//!   (`{"crs": "EPSG:4548", "crs_type": "authority_code"}`). A prism part's footprint is a
//!   `Polygon` (or `MultiPolygon`) between `z_bottom` and `z_top`; a free-form part (a ramp,
//!   a tunnel) is a `PolyhedralSurface Z` (see [`super::wkb`]).
//! - The columns of [`COLUMNS`], always present, with the names and meanings of the GeoJSON
//!   profile (`docs/formats/geojson-profile.md`); `sixto` and `sixto_units` are JSON text
//!   marked `arrow.json`. Attributes outside the profile follow as columns of their own.
//! - The dataset's `ground_elevation` and `height_datum`, when given, in the schema's metadata.
//!
//! Reading takes any table of that shape: strings of any Arrow width or dictionary-encoded,
//! integers and floats of any width, dates (as `YYYY-MM-DD`), the geometry as any binary
//! column that is marked `geoarrow.wkb`, named by GeoParquet's `geo` metadata, or called
//! `geometry`. Every row passes the same rules as a feature of a file, and an error names the
//! table, the row (as `feature N`) and the column.

mod read;
mod write;

pub use read::read_table;
pub use write::{ROWS_PER_BATCH, units_schema, units_table, units_table_as};

use arrow_schema::DataType;

/// The geometry column's name in the tables Strata writes.
pub const GEOMETRY: &str = "geometry";

/// The GeoArrow extension of a WKB column.
pub const GEOARROW_WKB: &str = "geoarrow.wkb";

/// The canonical Arrow extension of a text column holding JSON.
pub const ARROW_JSON: &str = "arrow.json";

/// The field metadata key naming a column's extension type.
pub const EXTENSION_NAME: &str = "ARROW:extension:name";

/// The field metadata key holding an extension's parameters (GeoArrow: the CRS).
pub const EXTENSION_METADATA: &str = "ARROW:extension:metadata";

/// How a profile column is stored.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ColumnKind {
    /// UTF-8 text.
    Text,
    /// A 64-bit float.
    Float,
    /// A 64-bit integer.
    Integer,
    /// A boolean.
    Bool,
    /// JSON as UTF-8 text (`arrow.json`).
    Json,
}

impl ColumnKind {
    /// The Arrow type that stores it.
    pub fn data_type(self) -> DataType {
        match self {
            ColumnKind::Text | ColumnKind::Json => DataType::Utf8,
            ColumnKind::Float => DataType::Float64,
            ColumnKind::Integer => DataType::Int64,
            ColumnKind::Bool => DataType::Boolean,
        }
    }
}

/// The profile's columns, in the order written: what a part is, then the unit's model
/// fields, then the plot's.
pub const COLUMNS: [(&str, ColumnKind); 24] = [
    ("kind", ColumnKind::Text),
    ("unit_code", ColumnKind::Text),
    ("plot_id", ColumnKind::Text),
    ("parent_plot", ColumnKind::Text),
    ("z_bottom", ColumnKind::Float),
    ("z_top", ColumnKind::Float),
    ("level", ColumnKind::Text),
    ("stratum", ColumnKind::Text),
    ("name", ColumnKind::Text),
    ("right_type", ColumnKind::Text),
    ("holder", ColumnKind::Text),
    ("use", ColumnKind::Text),
    ("supply_method", ColumnKind::Text),
    ("term_years", ColumnKind::Integer),
    ("term_start", ColumnKind::Text),
    ("term_end", ColumnKind::Text),
    ("sixto", ColumnKind::Json),
    ("sixto_units", ColumnKind::Json),
    ("survey_result_code", ColumnKind::Text),
    ("note", ColumnKind::Text),
    ("height_datum", ColumnKind::Text),
    ("land_use", ColumnKind::Text),
    ("ground_elevation", ColumnKind::Float),
    ("green_space", ColumnKind::Bool),
];

/// The schema metadata keys of the dataset's own members.
pub const GROUND_ELEVATION: &str = "ground_elevation";
/// See [`GROUND_ELEVATION`].
pub const HEIGHT_DATUM: &str = "height_datum";

#[cfg(test)]
mod tests;
