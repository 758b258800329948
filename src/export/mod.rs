//! Exports: the dataset to other systems' formats.

pub mod certificate;
pub mod cityjson;
pub mod doc;
pub mod gltf;
#[cfg(feature = "gdal")]
pub mod gpkg;
pub mod ladm;
pub mod pdf;
pub mod register_page;
pub mod sheet;
pub mod survey_table;
pub mod svg;
