//! The rights model: real-estate units, their codes, strata, holders and planning plots.

pub mod frame;
pub mod unit_code;

pub use frame::{Crs, Frame, HeightDatum};
pub use unit_code::{Stratum, UnitCode};
