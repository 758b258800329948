//! `strata info`.

use std::process::ExitCode;

use geo::Area;
use serde::Serialize;
use strata::geometry::algorithm::{BoundingBox3, Footprint, SolidVolume};
use strata::model::{Dataset, Unit};

use super::args::InfoArgs;
use std::io::Write;

use super::input;
use super::out::{Out, WithLeftOut, outln, write_json};

/// One unit in the summary.
#[derive(Debug, Serialize)]
pub struct UnitInfo {
    pub unit_code: String,
    pub stratum: Option<&'static str>,
    pub volume_m3: f64,
    pub bbox: [f64; 6],
    pub footprint_area_m2: f64,
    pub parts: usize,
    pub levels: Vec<String>,
    pub holder: Option<String>,
    #[serde(rename = "use")]
    pub usage: Option<String>,
    pub supply_method: Option<&'static str>,
    pub parent_plot: Option<String>,
}

/// The summary of a dataset.
#[derive(Debug, Serialize)]
pub struct Summary {
    pub crs: Option<String>,
    pub height_datum: Option<String>,
    pub coordinate_order: &'static str,
    pub units: Vec<UnitInfo>,
}

pub fn unit_info(u: &Unit) -> UnitInfo {
    let mut levels: Vec<String> = u.parts.iter().filter_map(|p| p.level.clone()).collect();
    levels.dedup();
    UnitInfo {
        unit_code: u.key.clone(),
        stratum: u.stratum.map(|s| s.as_str()),
        volume_m3: round(u.volume.volume_m3(), 3),
        bbox: u.volume.bbox().to_array().map(|v| round(v, 3)),
        footprint_area_m2: round(u.volume.footprint().unsigned_area(), 3),
        parts: u.volume.parts.len(),
        levels,
        holder: u.holder.clone(),
        usage: u.usage.clone(),
        supply_method: u.supply_method.map(|s| s.as_str()),
        parent_plot: u.parent_plot.clone(),
    }
}

pub fn summary(ds: &Dataset) -> Summary {
    Summary {
        crs: ds.frame.crs.map(|c| c.to_string()),
        height_datum: ds.frame.height_datum.as_ref().map(|d| d.to_string()),
        coordinate_order: "x = easting, y = northing (metres); z = elevation in the height datum",
        units: ds.units.iter().map(unit_info).collect(),
    }
}

pub fn round(v: f64, decimals: i32) -> f64 {
    let f = 10f64.powi(decimals);
    (v * f).round() / f
}

pub fn run(a: &InfoArgs, out: &mut Out) -> anyhow::Result<ExitCode> {
    let admitted = input::admit(&a.input, out, a.json)?;
    let ds = &admitted.dataset;
    let s = summary(ds);
    if a.json {
        write_json(
            out,
            &WithLeftOut {
                report: &s,
                left_out: &admitted.left_out,
            },
        )?;
        return Ok(ExitCode::SUCCESS);
    }
    outln!(
        out,
        "CRS {}; heights {}; {}",
        s.crs.as_deref().unwrap_or("not named"),
        ds.frame
            .height_datum
            .as_ref()
            .map(|d| d.describe())
            .unwrap_or_else(|| "not named".into()),
        s.coordinate_order
    );
    print_table(out, &s.units)?;
    Ok(ExitCode::SUCCESS)
}

pub fn print_table(out: &mut Out, units: &[UnitInfo]) -> anyhow::Result<()> {
    outln!(
        out,
        "{:<30} {:<8} {:>6} {:>13} {:>11} {:>17}  levels",
        "unit code",
        "stratum",
        "parts",
        "volume m³",
        "area m²",
        "z range m"
    );
    for u in units {
        outln!(
            out,
            "{:<30} {:<8} {:>6} {:>13.1} {:>11.1} {:>8.2}–{:<8.2}  {}",
            u.unit_code,
            u.stratum.unwrap_or("-"),
            u.parts,
            u.volume_m3,
            u.footprint_area_m2,
            u.bbox[2],
            u.bbox[5],
            u.levels.join(" ")
        );
    }
    if units.len() > super::report::TEXT_LIMIT {
        outln!(
            out,
            "… and {} more units not listed here (--json lists every one)",
            units.len() - super::report::TEXT_LIMIT
        );
    }
    Ok(())
}
