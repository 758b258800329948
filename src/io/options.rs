//! What the user chooses when importing: fallback frame, letters of unit codes, field
//! mapping, reprojection and height offsets, and a progress callback.

use crate::model::unit_code::LetterSets;

use super::mapping::FieldMapping;
use super::transform::{HeightOffset, HorizontalTarget};

/// Choices the user makes when importing.
#[derive(Debug, Clone, Default)]
pub struct ImportOptions {
    /// The horizontal CRS (EPSG code) of files that do not name one.
    pub crs: Option<u32>,
    /// The height datum of files that do not name one.
    pub height_datum: Option<String>,
    /// The letters accepted in unit codes.
    pub letters: LetterSets,
    /// Told how far reading has come, for a progress bar.
    pub progress: Progress,
    /// How the fields of the survey files are named, where they differ from the profile.
    pub mapping: FieldMapping,
    /// Reproject every file into this CRS (through GDAL/PROJ); `crs` then names the CRS of
    /// files that do not name theirs.
    pub reproject: Option<HorizontalTarget>,
    /// Heights in these datums are moved into `height_datum` by a constant offset.
    pub height_offsets: Vec<HeightOffset>,
}

/// A callback told `(bytes read, bytes in the file)` while a file is read.
#[derive(Clone, Default)]
pub struct Progress(pub Option<std::sync::Arc<dyn Fn(u64, u64) + Send + Sync>>);

impl std::fmt::Debug for Progress {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(if self.0.is_some() {
            "Progress(callback)"
        } else {
            "Progress(none)"
        })
    }
}
