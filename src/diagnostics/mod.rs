//! Diagnostics: what is wrong with the input, with its code and where it is. Below the model
//! and every stage that reports: readers, validation and checks all speak in [`Finding`]s
//! located by a [`FeatureRef`].

pub mod code;
pub mod feature;
pub mod finding;
mod text;

pub use code::{Code, Severity};
pub use feature::{EntityRef, FeatureId, FeatureRef, ObjectRef, Within};
pub use finding::{Finding, Location};
pub use text::{ECHO_LIMIT, Num, clip, clip_json};
