//! An office's profile: what practice leaves to each office (its name, the surveying unit,
//! drafter and checker, the paper, the layers' colours, the font), read from a JSON file.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::SheetError;

/// A sheet size, landscape.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Paper {
    /// 297 × 210 mm.
    A4,
    /// 420 × 297 mm.
    A3,
}

impl Paper {
    /// Width and height in millimetres, landscape.
    pub fn size_mm(self) -> (f64, f64) {
        match self {
            Paper::A4 => (297.0, 210.0),
            Paper::A3 => (420.0, 297.0),
        }
    }

    /// Reads `A4` or `A3`.
    pub fn parse(s: &str) -> Option<Paper> {
        match s.to_ascii_uppercase().as_str() {
            "A4" => Some(Paper::A4),
            "A3" => Some(Paper::A3),
            _ => None,
        }
    }
}

/// Fill colours of the three layers, as `#rrggbb`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Colours {
    /// 地上.
    pub above: String,
    /// 地表.
    pub surface: String,
    /// 地下.
    pub under: String,
}

impl Default for Colours {
    fn default() -> Self {
        Colours {
            above: "#e3a857".into(),
            surface: "#8cbf6a".into(),
            under: "#6c9bd2".into(),
        }
    }
}

/// An office's profile.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Profile {
    /// The registration office (登记机构).
    pub office: String,
    /// The surveying unit (测绘单位).
    pub surveying_unit: String,
    /// The drafter (制图者).
    pub drafter: String,
    /// The checker (审核者).
    pub checker: String,
    /// The paper.
    pub paper: Paper,
    /// The layers' colours.
    pub colours: Colours,
    /// A font file with CJK glyphs for the PDF; when absent, the usual places of Noto Sans
    /// CJK are searched.
    pub font: Option<PathBuf>,
    /// Where a certificate can be verified online, printed in its QR code (may be empty).
    pub verify_url: String,
}

impl Default for Profile {
    fn default() -> Self {
        Profile {
            office: "不动产登记机构 Real-estate registration office".into(),
            surveying_unit: "—".into(),
            drafter: "—".into(),
            checker: "—".into(),
            paper: Paper::A3,
            colours: Colours::default(),
            font: None,
            verify_url: String::new(),
        }
    }
}

impl Profile {
    /// Reads a profile file; fields it leaves out keep their defaults.
    pub fn read(path: &Path) -> Result<Profile, SheetError> {
        let bad = |detail: String| SheetError::Profile {
            path: path.display().to_string(),
            detail,
        };
        let text = std::fs::read_to_string(path).map_err(|e| bad(e.to_string()))?;
        let p: Profile = serde_json::from_str(&text).map_err(|e| bad(e.to_string()))?;
        for (what, c) in [
            ("colours.above", &p.colours.above),
            ("colours.surface", &p.colours.surface),
            ("colours.under", &p.colours.under),
        ] {
            let hex = c.strip_prefix('#').unwrap_or("");
            if hex.len() != 6 || !hex.chars().all(|ch| ch.is_ascii_hexdigit()) {
                return Err(bad(format!("{what}: \"{c}\" is not a colour #rrggbb")));
            }
        }
        Ok(p)
    }

    /// The colour of a layer.
    pub fn colour(&self, s: crate::model::Stratum) -> &str {
        match s {
            crate::model::Stratum::Above => &self.colours.above,
            crate::model::Stratum::Surface => &self.colours.surface,
            crate::model::Stratum::Under => &self.colours.under,
        }
    }
}
