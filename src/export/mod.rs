//! Exports: the dataset to other systems' formats.

pub mod certificate;
pub mod doc;
#[cfg(feature = "gdal")]
pub mod gpkg;
pub mod pdf;
pub mod register_page;
pub mod sheet;
pub mod svg;
