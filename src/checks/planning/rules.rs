//! A district's planning rules as data: a TOML file, read with every field checked.
//!
//! ```toml
//! # Beijing urban-renewal policy toolbox 1.0
//! [green_underground]          # item 20: development under urban green space
//! max_share = 0.30             # horizontal projection / green space area
//! min_soil_m = 2.0             # planting soil above the roof slab
//!
//! [[tree_protection]]          # item 20: ancient and notable trees and their zones
//! name = "古槐 110105-0001"
//! x = 440100.0
//! y = 4411200.0
//! radius_m = 15.0
//!
//! [green_facilities]           # item 24: service facilities in green space
//! max_share = 0.08             # projected area / green space area
//! exempt_area_m2 = 300.0       # a single-storey facility this small …
//! exempt_height_m = 4.0        # … and this low needs no planning permit
//! ```
//!
//! A section left out is a rule the district does not apply.

use std::path::Path;

use serde::Deserialize;

/// The rules of a district.
#[derive(Debug, Clone, PartialEq, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Rules {
    /// Underground development under green space.
    pub green_underground: Option<GreenUnderground>,
    /// Protected trees.
    #[serde(default)]
    pub tree_protection: Vec<TreeZone>,
    /// Service facilities in green space.
    pub green_facilities: Option<GreenFacilities>,
}

/// Toolbox item 20: under green space.
#[derive(Debug, Clone, Copy, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GreenUnderground {
    /// The largest share of the green space's area the underground development's horizontal
    /// projection may cover.
    pub max_share: f64,
    /// The least planting soil above an underground structure (m).
    pub min_soil_m: f64,
}

/// A protected tree and the zone around it (a circle in the projected CRS).
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TreeZone {
    /// Its name or register number.
    pub name: String,
    /// Easting (m).
    pub x: f64,
    /// Northing (m).
    pub y: f64,
    /// The protection zone's radius (m).
    pub radius_m: f64,
}

/// Toolbox item 24: facilities in green space.
#[derive(Debug, Clone, Copy, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GreenFacilities {
    /// The largest share of the green space's area the facilities' projection may cover.
    pub max_share: f64,
    /// A facility of at most this projected area (m²) …
    pub exempt_area_m2: f64,
    /// … and at most this height (m) needs no planning permit.
    pub exempt_height_m: f64,
}

/// A rules file that cannot be used.
#[derive(Debug, thiserror::Error)]
#[error("{path}: {message}")]
pub struct RulesError {
    /// The file.
    pub path: String,
    /// What is wrong, naming the field.
    pub message: String,
}

impl Rules {
    /// Reads a rules file.
    pub fn read(path: &Path) -> Result<Rules, RulesError> {
        let err = |message: String| RulesError {
            path: path.display().to_string(),
            message,
        };
        let text = std::fs::read_to_string(path).map_err(|e| err(e.to_string()))?;
        Rules::parse(&text).map_err(err)
    }

    /// Parses a rules file's text, and checks every figure.
    pub fn parse(text: &str) -> Result<Rules, String> {
        let r: Rules = toml::from_str(text).map_err(|e| e.to_string())?;
        let share = |name: &str, v: f64| {
            if (0.0..=1.0).contains(&v) {
                Ok(())
            } else {
                Err(format!("`{name}` is {v}: a share from 0 to 1"))
            }
        };
        let metres = |name: &str, v: f64| {
            if v.is_finite() && v >= 0.0 {
                Ok(())
            } else {
                Err(format!("`{name}` is {v}: metres, 0 or more"))
            }
        };
        if let Some(g) = &r.green_underground {
            share("green_underground.max_share", g.max_share)?;
            metres("green_underground.min_soil_m", g.min_soil_m)?;
        }
        for (i, t) in r.tree_protection.iter().enumerate() {
            let at = format!("tree_protection[{}] ({})", i + 1, t.name);
            if !(t.x.is_finite() && t.y.is_finite()) {
                return Err(format!("`{at}`: x and y must be finite"));
            }
            metres(&format!("{at}.radius_m"), t.radius_m)?;
        }
        if let Some(f) = &r.green_facilities {
            share("green_facilities.max_share", f.max_share)?;
            metres("green_facilities.exempt_area_m2", f.exempt_area_m2)?;
            metres("green_facilities.exempt_height_m", f.exempt_height_m)?;
        }
        Ok(r)
    }
}
