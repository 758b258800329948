//! Reading survey files into the model.
pub mod cityjson;
pub mod error;

pub use error::ImportError;
