//! `strata demo`: everything built so far, run on the bundled reference projects.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, bail};
use strata::admit::{AdmitOptions, admit};
use strata::checks::query::query;
use strata::checks::{CheckOptions, check};
use strata::geometry::{Point3, Polyhedron, Volume};
use strata::io::atomic::write_atomically;
use strata::model::unit_code::{LetterSets, next_codes};
use strata::model::{Dataset, Direction, Stratum};
use strata::validate::{Tolerances, validate_dataset};

use std::io::Write;

use super::args::DemoArgs;
use super::info::{print_table, summary};
use super::out::{Out, outln};

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

pub fn run(a: &DemoArgs, out: &mut Out) -> anyhow::Result<ExitCode> {
    let dir = data_dir(a)?;
    if let Some(dir) = &a.out {
        std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    }
    outln!(
        out,
        "Strata demo: the bundled reference projects (illustrative reconstructions from published figures; see data/README.md)"
    );
    let mut all_valid = true;
    let mut datasets = Vec::new();
    for p in &PROJECTS {
        let files: Vec<PathBuf> = p.files.iter().map(|f| dir.join(f)).collect();
        // The bundled data passes the admission every command applies.
        let ds = admit(&files, &AdmitOptions::default())?.dataset;
        outln!(out);
        outln!(out, "== {} ==", p.title);
        outln!(
            out,
            "files: {}",
            files
                .iter()
                .map(|f| f.display().to_string())
                .collect::<Vec<_>>()
                .join(", ")
        );
        outln!(out, "frame: {}", ds.frame);
        let s = summary(&ds);
        print_table(out, &s.units)?;
        let report = validate_dataset(&ds, &Tolerances::default());
        let invalid: Vec<&str> = report
            .results
            .iter()
            .filter(|r| !r.valid)
            .map(|r| r.unit_code.as_deref().unwrap_or(r.id.as_str()))
            .collect();
        all_valid &= report.all_valid();
        outln!(
            out,
            "validation: {} units, {} valid{}",
            report.units,
            report.units - invalid.len(),
            if invalid.is_empty() {
                String::new()
            } else {
                format!(", invalid: {}", invalid.join(", "))
            }
        );
        facts(out, &ds)?;
        precode(out, &ds)?;
        let checked = check(&ds, &CheckOptions::default());
        let r = &checked.report;
        outln!(
            out,
            "conflict check: {} units, {} pairs sharing a face, {} sharing volume; {} conflict(s)",
            r.units,
            r.pairs.touching,
            r.pairs.overlapping,
            r.conflicts.len()
        );
        for c in &r.conflicts {
            outln!(out, "  {}", c.message);
        }
        if p.slug == "wengcheng" {
            sixto_tables(out, &ds, &checked)?;
            tunnel_query(out, &ds)?;
        }
        if let Some(dir) = &a.out {
            let v = dir.join(format!("{}-validate.json", p.slug));
            let text = serde_json::to_string_pretty(&report)?;
            write_atomically(&v, |w| w.write_all(text.as_bytes()))
                .with_context(|| format!("cannot write {}", v.display()))?;
            let i = dir.join(format!("{}-info.json", p.slug));
            let text = serde_json::to_string_pretty(&s)?;
            write_atomically(&i, |w| w.write_all(text.as_bytes()))
                .with_context(|| format!("cannot write {}", i.display()))?;
            outln!(out, "wrote {} and {}", v.display(), i.display());
        }
        datasets.push(ds);
    }
    // The register is written into --out when given, else into a scratch folder.
    let scratch = tempfile::tempdir().context("cannot create a scratch folder")?;
    let dir = a.out.as_deref().unwrap_or(scratch.path());
    if let [wengcheng, dazhongsi] = datasets.as_slice() {
        all_valid &= super::demo_register::run(out, wengcheng, dazhongsi, dir)?;
        let rules = data_dir(a)?.join("rules").join("beijing-toolbox.toml");
        super::demo_documents::run(out, dir, a.out.is_some(), &rules)?;
    }
    Ok(if all_valid {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

/// Figures of the projects that the data carries as attributes.
fn facts(out: &mut Out, ds: &Dataset) -> anyhow::Result<()> {
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
            outln!(out, "{}: {}", u.key, said.join("; "));
        }
    }
    Ok(())
}

/// The six-direction part of the 3D cadastral survey table, for every unit.
fn sixto_tables(
    out: &mut Out,
    ds: &Dataset,
    checked: &strata::checks::Checked,
) -> anyhow::Result<()> {
    outln!(
        out,
        "six-direction boundaries (六至), derived from the geometry:"
    );
    for (i, u) in ds.units.iter().enumerate() {
        let t = checked.sixto(ds, i);
        outln!(out, "  {}", u.key);
        for d in Direction::ALL {
            let e = t.get(d);
            let what = if e.neighbours.is_empty() {
                let l = e.limit.unwrap_or(f64::NAN);
                match d {
                    Direction::Up | Direction::Down => format!("open, H = {l:.2} m"),
                    Direction::East | Direction::West => format!("open, Y = {l:.3} m"),
                    _ => format!("open, X = {l:.3} m"),
                }
            } else {
                e.neighbours
                    .iter()
                    .map(|n| format!("{} ({:.0} m²)", &n.unit[12..19], n.shared_area_m2))
                    .collect::<Vec<_>>()
                    .join(", ")
            };
            outln!(out, "    {} {:<5} {what}", d.name_zh(), d.as_str());
        }
    }
    outln!(
        out,
        "  (X = northing, Y = easting in EPSG:4548; H = elevation in EPSG:5737; declared 六至 agree with these)"
    );
    Ok(())
}

/// A planner's question: what does a planned metro line S6 tunnel under the plot hit?
fn tunnel_query(out: &mut Out, ds: &Dataset) -> anyhow::Result<()> {
    // A 10 m wide running tunnel through the plot from west to east at the B2 level
    // (z 3.0–9.0 m), along local y 50–60 m of the plot (south-west corner E 474241.356,
    // N 4418953.912).
    let (e, n) = (474_241.356, 4_418_953.912);
    let tunnel = Volume::from(Polyhedron::cuboid(
        Point3::new(e - 50.0, n + 50.0, 3.0),
        Point3::new(e + 260.0, n + 60.0, 9.0),
    ));
    let r = query(ds, &tunnel, Some(5.0), 0.001);
    outln!(
        out,
        "planners' query: a planned S6 running tunnel, 310 m × 10 m × 6 m ({:.0} m³), 11–17 m below ground:",
        r.proposal_volume_m3
    );
    for h in &r.intersects {
        outln!(
            out,
            "  meets {} ({}): {:.0} m³ at {:.1}–{:.1} m below ground",
            h.unit,
            h.holder.as_deref().unwrap_or("-"),
            h.overlap_volume_m3,
            h.depth_range_m.map(|d| d[0]).unwrap_or(f64::NAN),
            h.depth_range_m.map(|d| d[1]).unwrap_or(f64::NAN)
        );
    }
    for h in &r.within_clearance {
        outln!(out, "  within 5 m: {} ({:.1} m away)", h.unit, h.distance_m);
    }
    Ok(())
}

/// Shows pre-assignment (预编): the next free underground parcel code of each sub-district.
fn precode(out: &mut Out, ds: &Dataset) -> anyhow::Result<()> {
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
                out,
                "pre-coding: the next underground parcel of {} would be {}",
                &prefix[..12],
                n.as_str()
            );
        }
    }
    Ok(())
}
