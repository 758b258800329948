//! `strata sixto`.

use std::process::ExitCode;

use std::io::Write;

use anyhow::bail;
use serde_json::json;
use strata::checks::{CheckOptions, sixto_of};
use strata::model::Direction;

use super::args::SixtoArgs;
use super::input;
use super::out::{Out, outln};

pub fn run(a: &SixtoArgs, out: &mut Out) -> anyhow::Result<ExitCode> {
    let admitted = input::admit(&a.input, out, a.json)?;
    let ds = &admitted.dataset;
    let Some(i) = ds.units.iter().position(|u| u.key == a.unit) else {
        let unit = strata::diagnostics::clip(&a.unit);
        if admitted.left_out.units.contains(&a.unit) {
            bail!("unit {unit} was left out as invalid: `strata validate` says why");
        }
        bail!("unit {unit} is not in the dataset");
    };
    let t = sixto_of(ds, i, &CheckOptions::default());
    let crs = ds.frame.crs.map(|c| c.to_string());
    let datum = ds.frame.height_datum.as_ref().map(|d| d.to_string());
    if a.json {
        let mut v = serde_json::to_value(&t)?;
        v["crs"] = json!(crs);
        v["height_datum"] = json!(datum);
        v["coordinate_order"] = json!(
            "limits: east/west are eastings (x), north/south are northings (y), up/down are elevations (z)"
        );
        outln!(out, "{}", serde_json::to_string_pretty(&v)?);
        return Ok(ExitCode::SUCCESS);
    }
    outln!(
        out,
        "六至 of {} — {}; heights {}; printed in the surveying order: X = northing, Y = easting",
        t.unit,
        crs.as_deref().unwrap_or("no CRS"),
        datum.as_deref().unwrap_or("no datum")
    );
    for d in Direction::ALL {
        let e = t.get(d);
        let label = format!("{} {}", d.name_zh(), d.as_str());
        if e.neighbours.is_empty() {
            let limit = e.limit.unwrap_or(f64::NAN);
            let what = match d {
                Direction::Up | Direction::Down => format!("H = {limit:.3} m"),
                Direction::East | Direction::West => format!("Y = {limit:.3} m"),
                Direction::North | Direction::South => format!("X = {limit:.3} m"),
            };
            outln!(out, "  {label:<10} open, to {what}");
        } else {
            for (k, n) in e.neighbours.iter().enumerate() {
                let l = if k == 0 { label.as_str() } else { "" };
                outln!(
                    out,
                    "  {l:<10} {}  shared face {:.3} m²",
                    n.unit,
                    n.shared_area_m2
                );
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}
