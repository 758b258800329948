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

/// The accuracy of the best class of cadastral boundary points (±0.05 m): a distance
/// tolerance beyond it would let through, as a warning or as nothing, what a survey can tell
/// apart. Such tolerances must be asked for explicitly.
pub const SURVEY_ACCURACY_M: f64 = 0.05;

/// The largest deviation of face normals (degrees) that still catches a visible fold.
pub const MAX_NORMALS_DEG: f64 = 45.0;

/// A tolerance set beyond what a survey supports.
#[derive(Debug, Clone, PartialEq)]
pub struct CoarseTolerance {
    /// The tolerance, as its command-line option names it (`--snap-tol`).
    pub option: &'static str,
    /// The value asked for.
    pub value: f64,
    /// The largest value within survey accuracy.
    pub limit: f64,
}

impl std::fmt::Display for CoarseTolerance {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} {} is beyond what a cadastral survey supports (at most {}): it would pass as valid what the survey can tell apart",
            self.option,
            crate::diagnostics::Num(self.value),
            crate::diagnostics::Num(self.limit)
        )
    }
}

impl Tolerances {
    /// The first tolerance that is negative or not a number, by its option name.
    pub fn invalid(&self) -> Option<(&'static str, f64)> {
        self.named()
            .into_iter()
            .find(|(_, v, _)| !(v.is_finite() && *v >= 0.0))
            .map(|(n, v, _)| (n, v))
    }

    /// The tolerances set beyond survey accuracy ([`SURVEY_ACCURACY_M`], [`MAX_NORMALS_DEG`]).
    ///
    /// ```
    /// use strata::validate::Tolerances;
    /// assert!(Tolerances::default().coarse().is_empty());
    /// let t = Tolerances { snap: 0.5, ..Tolerances::default() };
    /// assert_eq!(t.coarse()[0].option, "--snap-tol");
    /// ```
    pub fn coarse(&self) -> Vec<CoarseTolerance> {
        self.named()
            .into_iter()
            .filter(|(_, v, limit)| v > limit)
            .map(|(option, value, limit)| CoarseTolerance {
                option,
                value,
                limit,
            })
            .collect()
    }

    fn named(&self) -> [(&'static str, f64, f64); 4] {
        [
            ("--snap-tol", self.snap, SURVEY_ACCURACY_M),
            (
                "--planarity-tol",
                self.planarity_distance,
                SURVEY_ACCURACY_M,
            ),
            ("--normals-tol", self.planarity_normals_deg, MAX_NORMALS_DEG),
            ("--overlap-tol", self.overlap, SURVEY_ACCURACY_M),
        ]
    }
}
