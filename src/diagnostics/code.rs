//! Diagnostic codes.
//!
//! Geometric codes are val3dity's (1xx ring, 2xx polygon, 3xx shell, 4xx solid, 5xx composite
//! solid, 9xx input), so that 3D-GIS users read Strata's reports without a dictionary.
//! Cadastral codes are Strata's own and use the 8xx range, which val3dity leaves unused.

use serde::{Serialize, Serializer};

/// Whether a finding makes the unit invalid.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// The unit is invalid.
    Error,
    /// Worth a look; the unit stays valid.
    Warning,
}

macro_rules! codes {
    ($( $(#[$doc:meta])* $variant:ident = $num:literal, $name:literal, $sev:ident; )*) => {
        /// A validation code: val3dity's numbers for geometry, 8xx for cadastral findings.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        #[non_exhaustive]
        pub enum Code {
            $( $(#[$doc])* $variant, )*
        }

        impl Code {
            /// Every code, in numeric order.
            pub const ALL: &'static [Code] = &[$(Code::$variant),*];

            /// The number, e.g. 203.
            pub fn number(self) -> u16 {
                match self { $(Code::$variant => $num,)* }
            }

            /// The upper-case name, e.g. `NON_PLANAR_POLYGON_DISTANCE_PLANE`.
            pub fn name(self) -> &'static str {
                match self { $(Code::$variant => $name,)* }
            }

            /// The severity a finding with this code has.
            pub fn severity(self) -> Severity {
                match self { $(Code::$variant => Severity::$sev,)* }
            }

            /// The code with this number, if any.
            pub fn from_number(n: u16) -> Option<Code> {
                match n { $($num => Some(Code::$variant),)* _ => None }
            }
        }
    };
}

codes! {
    /// A ring has fewer than three points.
    TooFewPoints = 101, "TOO_FEW_POINTS", Error;
    /// Two consecutive points of a ring are the same (after snapping).
    ConsecutivePointsSame = 102, "CONSECUTIVE_POINTS_SAME", Error;
    /// A ring is not closed (formats that repeat the first point).
    RingNotClosed = 103, "RING_NOT_CLOSED", Error;
    /// A ring intersects itself or collapses to a line.
    RingSelfIntersection = 104, "RING_SELF_INTERSECTION", Error;
    /// Two rings of a polygon intersect.
    IntersectionRings = 201, "INTERSECTION_RINGS", Error;
    /// Two rings of a polygon are identical.
    DuplicatedRings = 202, "DUPLICATED_RINGS", Error;
    /// A point of a polygon lies farther from its fitted plane than the planarity tolerance.
    NonPlanarPolygonDistancePlane = 203, "NON_PLANAR_POLYGON_DISTANCE_PLANE", Error;
    /// The triangles of a polygon deviate by more than the normals tolerance (a fold).
    NonPlanarPolygonNormalsDeviation = 204, "NON_PLANAR_POLYGON_NORMALS_DEVIATION", Error;
    /// The interior of a polygon is not connected.
    InteriorDisconnected = 205, "INTERIOR_DISCONNECTED", Error;
    /// A hole lies outside the exterior ring.
    InnerRingOutside = 206, "INNER_RING_OUTSIDE", Error;
    /// A hole lies inside another hole.
    InnerRingsNested = 207, "INNER_RINGS_NESTED", Error;
    /// A hole runs in the same direction as the exterior ring.
    OrientationRingsSame = 208, "ORIENTATION_RINGS_SAME", Error;
    /// A shell has fewer than four polygons.
    TooFewPolygons = 301, "TOO_FEW_POLYGONS", Error;
    /// A shell has holes: it is not watertight.
    ShellNotClosed = 302, "SHELL_NOT_CLOSED", Error;
    /// An edge has more than two faces, or the faces around a vertex form several umbrellas.
    NonManifoldCase = 303, "NON_MANIFOLD_CASE", Error;
    /// The faces of a shell fall apart in several pieces.
    MultipleConnectedComponents = 305, "MULTIPLE_CONNECTED_COMPONENTS", Error;
    /// Faces of one shell intersect each other.
    ShellSelfIntersection = 306, "SHELL_SELF_INTERSECTION", Error;
    /// A face is oriented against its neighbours.
    PolygonWrongOrientation = 307, "POLYGON_WRONG_ORIENTATION", Error;
    /// The interiors of two shells of a solid intersect, or they share a face.
    IntersectionShells = 401, "INTERSECTION_SHELLS", Error;
    /// Two shells of a solid are identical.
    DuplicatedShells = 402, "DUPLICATED_SHELLS", Error;
    /// An inner shell lies outside the outer shell.
    InnerShellOutside = 403, "INNER_SHELL_OUTSIDE", Error;
    /// The inner shells cut the interior of the solid in pieces.
    SolidInteriorDisconnected = 404, "SOLID_INTERIOR_DISCONNECTED", Error;
    /// All faces of a shell point the wrong way (inwards for the outer shell).
    WrongOrientationShell = 405, "WRONG_ORIENTATION_SHELL", Error;
    /// The interiors of two solids (parts of one unit) intersect.
    IntersectionSolids = 501, "INTERSECTION_SOLIDS", Error;
    /// Two solids (parts of one unit) are identical.
    DuplicatedSolids = 502, "DUPLICATED_SOLIDS", Error;
    /// The solids (parts of one unit) do not form one connected volume.
    DisconnectedSolids = 503, "DISCONNECTED_SOLIDS", Error;
    /// The solids of a CityJSON Building and its BuildingParts overlap at one level of detail.
    BuildingPartsOverlap = 601, "BUILDINGPARTS_OVERLAP", Error;
    /// The unit has no real-estate unit code.
    UnitCodeMissing = 801, "UNIT_CODE_MISSING", Error;
    /// The unit code does not follow GB/T 37346.
    UnitCodeInvalid = 802, "UNIT_CODE_INVALID", Error;
    /// The declared stratum contradicts the stratum the unit code gives.
    StratumContradictsCode = 803, "STRATUM_CONTRADICTS_CODE", Error;
    /// A prism part lacks its bottom or top elevation.
    ElevationMissing = 804, "ELEVATION_MISSING", Error;
    /// A prism part's top elevation is not above its bottom elevation.
    ElevationOrder = 805, "ELEVATION_ORDER", Error;
    /// Parts of one unit declare different values for one model field.
    AttributeConflict = 806, "ATTRIBUTE_CONFLICT", Error;
    /// A model field has a value outside its allowed set or of the wrong type.
    AttributeInvalid = 807, "ATTRIBUTE_INVALID", Error;
    /// The horizontal CRS is not declared; coordinates are taken as they are.
    CrsMissing = 808, "CRS_MISSING", Warning;
    /// The height datum is not declared.
    HeightDatumMissing = 809, "HEIGHT_DATUM_MISSING", Warning;
    /// Parts of the dataset declare different height datums.
    HeightDatumConflict = 810, "HEIGHT_DATUM_CONFLICT", Error;
    /// The parent plot named by the unit is not in the dataset.
    ParentPlotUnknown = 811, "PARENT_PLOT_UNKNOWN", Error;
    /// A geometry type that cannot hold a volume (a point, a line).
    GeometryTypeUnsupported = 812, "GEOMETRY_TYPE_UNSUPPORTED", Error;
    /// A coordinate is not a finite number.
    CoordinateNotFinite = 813, "COORDINATE_NOT_FINITE", Error;
    /// An object without a unit code is validated for its geometry only.
    NotAUnit = 814, "NOT_A_UNIT", Warning;
    // 815 (a unit on the wrong side of the ground) is a conflict of `strata check`: the
    // ground is the plot's.
    /// The horizontal CRS is not one Strata knows; its coordinates cannot be checked.
    CrsUnknown = 816, "CRS_UNKNOWN", Warning;
    /// Two plots (or other objects that must be unique) share an id.
    DuplicateId = 817, "DUPLICATE_ID", Error;
    /// A number lies outside what a projected CRS or a height datum can hold: a coordinate
    /// beyond 10⁸ m, an elevation outside −12,000 to +10,000 m.
    ValueOutOfRange = 818, "VALUE_OUT_OF_RANGE", Error;
    /// The height datum named is not a vertical CRS Strata knows.
    HeightDatumInvalid = 819, "HEIGHT_DATUM_INVALID", Error;
    /// The CRS or height datum of an input differs from the dataset's.
    FrameMismatch = 820, "FRAME_MISMATCH", Error;
    /// The input is not a readable file of the format (kept for val3dity parity).
    InvalidInputFile = 901, "INVALID_INPUT_FILE", Error;
    /// A geometric primitive is empty.
    EmptyPrimitive = 902, "EMPTY_PRIMITIVE", Error;
    /// The geometry type is not supported by the validation.
    FormatNotSupported = 904, "FORMAT_NOT_SUPPORTED", Error;
}

impl Serialize for Code {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_u16(self.number())
    }
}

impl std::fmt::Display for Code {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} {}", self.number(), self.name())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_unique_and_round_trip() {
        let mut seen = std::collections::HashSet::new();
        for &c in Code::ALL {
            assert!(seen.insert(c.number()), "{c} twice");
            assert_eq!(Code::from_number(c.number()), Some(c));
        }
    }
}
