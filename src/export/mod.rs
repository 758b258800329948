//! Exports: the dataset to other systems' formats.

#[cfg(feature = "gdal")]
pub mod gpkg;
pub mod pdf;
pub mod sheet;
