//! Strata: three-dimensional cadastre.
pub mod admit;
pub mod checks;
pub mod diagnostics;
pub mod export;
pub mod generate;
pub mod geometry;
pub mod index;
pub mod io;
pub mod model;
pub mod register;
pub mod server;
pub mod validate;
