//! The tolerances of validation, in one place.

use serde::{Deserialize, Serialize};

/// The tolerances validation uses. Defaults follow val3dity, whose reports surveyors and
/// 3D-GIS users already read.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Tolerances {
    /// Points closer than this (metres) are one point. Default 0.001 m: survey coordinates
    /// are given to the millimetre, so closer points are the same boundary point repeated.
    pub snap: f64,
    /// A point of a face may lie this far (metres) from the face's fitted plane. Default
    /// 0.01 m: the accuracy of the best class of boundary points is ±0.05 m, and a
    /// centimetre keeps faces that are flat for every survey purpose.
    pub planarity_distance: f64,
    /// The normals of a face's triangles may deviate this much (degrees). Default 20°:
    /// catches folds that stay within the distance tolerance.
    pub planarity_normals_deg: f64,
    /// Parts of one unit (solids of a CompositeSolid) may overlap this much (metres): they
    /// overlap (501) only if they still do once each is eroded by the axis-aligned cube of
    /// this half-side, val3dity's `--overlap_tol`. Default 0: parts of a unit share faces
    /// exactly, and any overlap of their interiors is reported.
    pub overlap: f64,
}

impl Default for Tolerances {
    fn default() -> Self {
        Tolerances {
            snap: 0.001,
            planarity_distance: 0.01,
            planarity_normals_deg: 20.0,
            overlap: 0.0,
        }
    }
}
