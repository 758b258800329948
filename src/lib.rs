//! Strata: three-dimensional cadastre.
pub mod geometry;
pub mod io;
pub mod model;
pub mod validate;
