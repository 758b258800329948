//! The rights model: real-estate units, their codes, strata, holders and planning plots.

pub mod unit_code;

pub use unit_code::{Stratum, UnitCode};
