//! Findings: one problem, its code and where it is.

use serde::Serialize;

use super::code::{Code, Severity};
use super::feature::FeatureRef;

/// Where a finding is, from the part of a unit down to a ring. Indices are 0-based; a level
/// that does not apply is `None` (printed as `null`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Location {
    /// The input file, when the finding is about one place in one file.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub file: Option<String>,
    /// The part of the unit (a GeoJSON feature of a stepped unit, or a solid of a
    /// MultiSolid/CompositeSolid).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub part: Option<usize>,
    /// The shell of the solid (0 = outer).
    pub shell: Option<usize>,
    /// The face of the shell (or the polygon of a surface).
    pub face: Option<usize>,
    /// The ring of the face (0 = exterior).
    pub ring: Option<usize>,
    /// The input feature (GeoJSON feature, CityObject, DXF entity, LandXML parcel) the
    /// finding is about.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub feature: Option<FeatureRef>,
    /// The input field (property or attribute name) the finding is about.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
}

impl Location {
    /// A location at a shell.
    pub fn shell(shell: usize) -> Self {
        Location {
            shell: Some(shell),
            ..Default::default()
        }
    }

    /// A location at a face of a shell.
    pub fn face(shell: usize, face: usize) -> Self {
        Location {
            shell: Some(shell),
            face: Some(face),
            ..Default::default()
        }
    }

    /// A location at a ring of a face.
    pub fn ring(shell: usize, face: usize, ring: usize) -> Self {
        Location {
            shell: Some(shell),
            face: Some(face),
            ring: Some(ring),
            ..Default::default()
        }
    }

    /// A location at an input field of a feature.
    pub fn field(feature: FeatureRef, field: impl Into<String>) -> Self {
        Location {
            feature: Some(feature),
            field: Some(field.into()),
            ..Default::default()
        }
    }

    /// The same location inside part `part`.
    pub fn in_part(mut self, part: usize) -> Self {
        self.part = Some(part);
        self
    }
}

/// One problem found by validation.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Finding {
    /// The code (serialised as its number).
    pub code: Code,
    /// Error or warning.
    pub severity: Severity,
    /// A sentence for people: what is wrong, with values.
    pub message: String,
    /// Where.
    #[serde(flatten)]
    pub location: Location,
}

impl Finding {
    /// A finding with the code's default severity.
    pub fn new(code: Code, location: Location, message: impl Into<String>) -> Self {
        Finding {
            code,
            severity: code.severity(),
            message: message.into(),
            location,
        }
    }

    /// The same finding inside part `part`.
    pub fn located_in_part(mut self, part: usize) -> Self {
        self.location.part = Some(part);
        self
    }

    /// True for an error.
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

impl std::fmt::Display for Finding {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} {}", self.code.number(), self.code.name())?;
        let l = &self.location;
        let mut at = Vec::new();
        if let Some(x) = &l.file {
            at.push(x.clone());
        }
        if let Some(x) = &l.feature {
            at.push(x.to_string());
        }
        if let Some(x) = &l.field {
            at.push(format!("field `{x}`"));
        }
        if let Some(x) = l.part {
            at.push(format!("part {x}"));
        }
        if let Some(x) = l.shell {
            at.push(format!("shell {x}"));
        }
        if let Some(x) = l.face {
            at.push(format!("face {x}"));
        }
        if let Some(x) = l.ring {
            at.push(format!("ring {x}"));
        }
        if !at.is_empty() {
            write!(f, " ({})", at.join(", "))?;
        }
        write!(f, ": {}", self.message)
    }
}
