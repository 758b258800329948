//! Import errors: every one names the file and, where it can, the feature and the field.

use std::path::{Path, PathBuf};

use thiserror::Error;

use crate::diagnostics::FeatureRef;

/// Why a file could not be imported.
#[derive(Debug, Error)]
#[non_exhaustive]
pub enum ImportError {
    /// The file could not be read.
    #[error("{path}: cannot read the file: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// The system error.
        source: std::io::Error,
    },
    /// The file is not JSON (or not UTF-8, or nested too deeply).
    #[error("{path}: not valid JSON (line {line}, column {column}): {message}")]
    Json {
        /// The file.
        path: PathBuf,
        /// 1-based line of the problem.
        line: usize,
        /// 1-based column of the problem.
        column: usize,
        /// What the JSON parser said.
        message: String,
    },
    /// The file is JSON but not of the expected format.
    #[error("{path}: {message}")]
    Format {
        /// The file.
        path: PathBuf,
        /// What is wrong.
        message: String,
    },
    /// A feature or object carries a value that cannot be used.
    #[error("{path}: {feature}: field `{field}`: {message}")]
    Field {
        /// The file.
        path: PathBuf,
        /// The feature (`feature 3`, `feature 3 ("B1-east")`, `CityObject "x"`, `file`).
        feature: Box<FeatureRef>,
        /// The field, as a JSON path (`properties.z_top`, `geometry.coordinates`).
        field: String,
        /// What is wrong.
        message: String,
    },
    /// The coordinate reference system is missing, unknown or unsuitable.
    #[error("{path}: {message}")]
    Crs {
        /// The file.
        path: PathBuf,
        /// What is wrong.
        message: String,
    },
}

impl ImportError {
    pub(crate) fn format(path: &Path, message: impl Into<String>) -> Self {
        ImportError::Format {
            path: path.to_path_buf(),
            message: message.into(),
        }
    }

    pub(crate) fn field(
        path: &Path,
        feature: FeatureRef,
        field: impl Into<String>,
        message: impl Into<String>,
    ) -> Self {
        ImportError::Field {
            path: path.to_path_buf(),
            feature: Box::new(feature),
            field: field.into(),
            message: message.into(),
        }
    }

    pub(crate) fn json(path: &Path, e: &serde_json::Error) -> Self {
        ImportError::Json {
            path: path.to_path_buf(),
            line: e.line(),
            column: e.column(),
            message: super::json::sentence(e),
        }
    }

    /// The val3dity-style code of the problem: 901 for an unreadable or malformed file.
    pub fn code(&self) -> u16 {
        901
    }
}

/// Reads a whole file, naming it in the error.
pub(crate) fn read_file(path: &Path) -> Result<Vec<u8>, ImportError> {
    std::fs::read(path).map_err(|source| ImportError::Io {
        path: path.to_path_buf(),
        source,
    })
}
