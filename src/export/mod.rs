//! Exports: the dataset to other systems' formats.

pub mod certificate;
pub mod cityjson;
pub mod doc;
pub mod gltf;
#[cfg(feature = "gdal")]
pub mod gpkg;
pub mod ladm;
pub mod pdf;
pub mod register_page;
pub mod sheet;
pub mod survey_table;
pub mod svg;
pub mod table;

use crate::register::record::{Kind, Record, UnitRecord, UnitStatus};
use crate::register::{RegisterError, Store};

/// The registered units of `reg` (all of them, or those of `plot`), in code order: what
/// every export and batch of documents draws from.
pub fn registered_units<S: Store + ?Sized>(
    reg: &S,
    plot: Option<&str>,
) -> Result<Vec<UnitRecord>, RegisterError> {
    let mut units: Vec<UnitRecord> = reg
        .live_of_kind(Kind::Unit)?
        .into_iter()
        .filter_map(|(_, r)| match r {
            Record::Unit(u)
                if u.status == UnitStatus::Registered
                    && plot.is_none_or(|p| u.plot.as_deref() == Some(p)) =>
            {
                Some(u)
            }
            _ => None,
        })
        .collect();
    units.sort_by(|a, b| a.code.cmp(&b.code));
    Ok(units)
}
