//! Reading survey files into the model: every format Strata reads (the GeoJSON survey
//! profile, FlatGeobuf, CityJSON, LandXML, the GDAL formats), detected by parsing, into one
//! [`Dataset`](crate::model::Dataset).
mod assemble;
pub mod atomic;
mod city;
pub mod cityjson;
mod crs;
pub mod dataset;
mod detect;
pub mod error;
mod fields;
pub mod flatgeobuf;
pub mod geojson;
mod json;
pub mod landxml;
pub mod mapping;
#[cfg(feature = "gdal")]
pub mod ogr;
mod options;
pub mod profile;
mod reframe;
pub mod sieve;
pub mod table;
pub mod transform;
pub mod wkb;

pub use dataset::read_dataset;
pub use error::ImportError;
pub use options::{ImportOptions, Progress};
