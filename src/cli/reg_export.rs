//! `strata register export`: the register for other systems.

use std::io::Write;
use std::process::ExitCode;

use anyhow::bail;
use strata::export::{cityjson, ladm, survey_table};
use strata::register::store;

use super::args::RegExportArgs;
use super::out::{Out, outln, write_file as write};

pub fn run(a: &RegExportArgs, out: &mut Out) -> anyhow::Result<ExitCode> {
    let name = a
        .out
        .file_name()
        .map(|n| n.to_string_lossy().to_lowercase())
        .unwrap_or_default();
    let reg = store::open(&a.register, true)?;
    let plot = a.plot.as_deref();
    let shown = a.out.display();
    if name.ends_with(".city.json") {
        let doc = cityjson::cityjson(&*reg, plot, &a.extension_url)?;
        let n = doc["CityObjects"].as_object().map_or(0, |o| o.len());
        write(&a.out, serde_json::to_string(&doc)?.as_bytes())?;
        outln!(
            out,
            "wrote {shown}: {n} units as CityJSON 2.0 (+Parcel of the {} Extension)",
            cityjson::EXTENSION
        );
    } else if name.ends_with(".gpkg") {
        if plot.is_some() {
            bail!("--plot: the LADM tables hold the whole register");
        }
        let c = ladm::write_ladm(&*reg, &a.out)?;
        outln!(
            out,
            "wrote {shown}: LADM tables, {} parties, {} units, {} RRR versions, {} relationships",
            c.parties,
            c.units,
            c.rrrs,
            c.relationships
        );
    } else if name.ends_with(".glb") {
        let n = super::reg_export_gltf::write(&*reg, plot, &a.out)?;
        outln!(out, "wrote {shown}: {n} units as glTF 2.0 (binary)");
    } else if name.ends_with(".csv") || name.ends_with(".json") {
        let rows = survey_table::rows(&*reg, plot)?;
        if name.ends_with(".csv") {
            write(&a.out, survey_table::csv(&rows).as_bytes())?;
        } else {
            let mut text = serde_json::to_vec_pretty(&rows)?;
            text.push(b'\n');
            write(&a.out, &text)?;
        }
        outln!(
            out,
            "wrote {shown}: the survey table (三维地籍调查表), {} units",
            rows.len()
        );
    } else {
        bail!("--out {shown}: .city.json, .gpkg, .glb, .csv or .json");
    }
    Ok(ExitCode::SUCCESS)
}
