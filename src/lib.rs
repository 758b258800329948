//! Strata: three-dimensional cadastre.
pub mod geometry;
pub mod model;
pub mod validate;
