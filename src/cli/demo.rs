//! `strata demo`: everything built so far, run on the bundled reference projects.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, bail};
use strata::io::{ImportOptions, read_dataset};
use strata::model::unit_code::{LetterSets, next_codes};
use strata::model::{Dataset, Stratum};
use strata::validate::{Tolerances, validate_dataset};

use super::args::DemoArgs;
use super::info::{print_table, require_volumes, summary};

struct Project {
    slug: &'static str,
    title: &'static str,
    files: &'static [&'static str],
}

const PROJECTS: [Project; 2] = [
    Project {
        slug: "wengcheng",
        title: "Wengcheng site park, Tongzhou (瓮城遗址公园, plot VIII-09)",
        files: &["wengcheng/wengcheng.geojson"],
    },
    Project {
        slug: "dazhongsi",
        title: "Dazhongsi sports park underground car park, Haidian (大钟寺体育公园地下停车场)",
        files: &[
            "dazhongsi/dazhongsi.geojson",
            "dazhongsi/east-passage.city.json",
        ],
    },
];

fn data_dir(a: &DemoArgs) -> anyhow::Result<PathBuf> {
    if let Some(d) = &a.data {
        return Ok(d.clone());
    }
    for d in [
        PathBuf::from("data"),
        Path::new(env!("CARGO_MANIFEST_DIR")).join("data"),
    ] {
        if d.join("wengcheng").is_dir() {
            return Ok(d);
        }
    }
    bail!("the bundled data folder was not found: run from the project folder or pass --data DIR")
}

pub fn run(a: &DemoArgs) -> anyhow::Result<ExitCode> {
    let dir = data_dir(a)?;
    if let Some(out) = &a.out {
        std::fs::create_dir_all(out).with_context(|| format!("cannot create {}", out.display()))?;
    }
    outln!(
        "Strata demo: the bundled reference projects (illustrative reconstructions from published figures; see data/README.md)"
    );
    let mut all_valid = true;
    for p in &PROJECTS {
        let files: Vec<PathBuf> = p.files.iter().map(|f| dir.join(f)).collect();
        let ds = read_dataset(&files, &ImportOptions::default())?;
        outln!();
        outln!("== {} ==", p.title);
        outln!(
            "files: {}",
            files
                .iter()
                .map(|f| f.display().to_string())
                .collect::<Vec<_>>()
                .join(", ")
        );
        outln!(
            "frame: {}; heights in {}",
            ds.frame
                .crs
                .map(|c| c.to_string())
                .unwrap_or_else(|| "no CRS".into()),
            ds.frame
                .height_datum
                .as_ref()
                .map(|d| d.describe())
                .unwrap_or_else(|| "no datum".into())
        );
        require_volumes(&ds)?;
        let s = summary(&ds);
        print_table(&s.units);
        let report = validate_dataset(&ds, &Tolerances::default());
        let invalid: Vec<&str> = report
            .results
            .iter()
            .filter(|r| !r.valid)
            .map(|r| r.unit_code.as_deref().unwrap_or(r.id.as_str()))
            .collect();
        all_valid &= report.all_valid();
        outln!(
            "validation: {} units, {} valid{}",
            report.units,
            report.units - invalid.len(),
            if invalid.is_empty() {
                String::new()
            } else {
                format!(", invalid: {}", invalid.join(", "))
            }
        );
        facts(&ds);
        precode(&ds)?;
        if let Some(out) = &a.out {
            let v = out.join(format!("{}-validate.json", p.slug));
            std::fs::write(&v, serde_json::to_string_pretty(&report)?)?;
            let i = out.join(format!("{}-info.json", p.slug));
            std::fs::write(&i, serde_json::to_string_pretty(&s)?)?;
            outln!("wrote {} and {}", v.display(), i.display());
        }
    }
    Ok(if all_valid {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

/// Figures of the projects that the data carries as attributes.
fn facts(ds: &Dataset) {
    for u in &ds.units {
        let mut said = Vec::new();
        if let Some(a) = u.sum_attribute("floor_area_m2") {
            said.push(format!("floor area {a:.0} m²"));
        }
        if let Some(n) = u.sum_attribute("parking_spaces") {
            said.push(format!("{n:.0} parking spaces"));
        }
        if let Some(lines) = u
            .parts
            .iter()
            .find_map(|p| p.attributes.get("metro_lines"))
            .and_then(|v| v.as_str())
        {
            said.push(format!("metro lines {lines}"));
        }
        if !said.is_empty() {
            outln!("{}: {}", u.key, said.join("; "));
        }
    }
}

/// Shows pre-assignment (预编): the next free underground parcel code of each sub-district.
fn precode(ds: &Dataset) -> anyhow::Result<()> {
    let codes: Vec<_> = ds.units.iter().filter_map(|u| u.code.clone()).collect();
    let mut prefixes: Vec<String> = codes
        .iter()
        .filter(|c| c.stratum() == Some(Stratum::Under))
        .map(|c| c.parcel_prefix().to_string())
        .collect();
    prefixes.dedup();
    for prefix in prefixes {
        let next = next_codes(codes.iter(), &prefix, 1, None, &LetterSets::default())?;
        if let Some(n) = next.first() {
            outln!(
                "pre-coding: the next underground parcel of {} would be {}",
                &prefix[..12],
                n.as_str()
            );
        }
    }
    Ok(())
}
