//! The rights model: real-estate units, their codes, strata, holders and planning plots.

pub mod dataset;
pub mod frame;
pub mod plot;
pub mod stratum;
pub mod unit;
pub mod unit_code;

pub use dataset::Dataset;
pub use frame::{Crs, Frame, HeightDatum};
pub use plot::Plot;
pub use unit::{Direction, PartSource, PlainObject, SixTo, SupplyMethod, Term, Unit};
pub use unit_code::{Stratum, UnitCode};
