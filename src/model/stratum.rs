//! Strata (空间层次): above ground, on the surface, under ground.

use std::fmt;

use serde::{Deserialize, Serialize};

/// Stratum (空间层次) of a layered construction-land-use right, from the
/// second letter of the parcel feature code.
///
/// Serialized as `"surface"`, `"above"` or `"under"`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Stratum {
    /// On the surface (地表), parcel kind `B`.
    Surface,
    /// Above ground (地上), parcel kind `S`.
    Above,
    /// Under ground (地下), parcel kind `X`.
    Under,
}

impl Stratum {
    /// English name: "surface", "above" or "under".
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            Stratum::Surface => "surface",
            Stratum::Above => "above",
            Stratum::Under => "under",
        }
    }

    /// Chinese name: "地表", "地上" or "地下".
    #[must_use]
    pub const fn name_zh(self) -> &'static str {
        match self {
            Stratum::Surface => "地表",
            Stratum::Above => "地上",
            Stratum::Under => "地下",
        }
    }

    /// Parcel kind letter of the stratum: `B`, `S` or `X`.
    #[must_use]
    pub const fn parcel_letter(self) -> char {
        match self {
            Stratum::Surface => 'B',
            Stratum::Above => 'S',
            Stratum::Under => 'X',
        }
    }

    /// Stratum of a parcel kind letter: `B` surface, `S` above, `X` under;
    /// `None` for every other letter (not a layered construction-land-use
    /// right).
    #[must_use]
    pub const fn from_parcel_letter(c: char) -> Option<Stratum> {
        match c {
            'B' => Some(Stratum::Surface),
            'S' => Some(Stratum::Above),
            'X' => Some(Stratum::Under),
            _ => None,
        }
    }

    /// Stratum from its English name ("surface", "above", "under") or its
    /// Chinese name ("地表", "地上", "地下").
    #[must_use]
    pub fn parse(s: &str) -> Option<Stratum> {
        match s {
            "surface" | "地表" => Some(Stratum::Surface),
            "above" | "地上" => Some(Stratum::Above),
            "under" | "地下" => Some(Stratum::Under),
            _ => None,
        }
    }
}

impl fmt::Display for Stratum {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(self.as_str())
    }
}
