//! Reading survey files into the model: the GeoJSON survey profile and CityJSON, into one
//! [`Dataset`](crate::model::Dataset).
pub mod cityjson;
pub mod dataset;
pub mod error;
mod fields;
pub mod flatgeobuf;
pub mod geojson;
mod guard;
pub mod landxml;
pub mod mapping;
#[cfg(feature = "gdal")]
pub mod ogr;
mod reframe;
pub mod transform;

pub use dataset::{ImportOptions, read_dataset};
pub use error::ImportError;
