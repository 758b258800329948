//! `strata validate`.

use std::process::ExitCode;

use indicatif::{ProgressBar, ProgressStyle};
use strata::validate::{Finding, Report, Tolerances, validate_dataset_with};

use super::args::ValidateArgs;
use super::input;

pub fn tolerances(a: &ValidateArgs) -> anyhow::Result<Tolerances> {
    for (name, v) in [
        ("--snap-tol", a.snap_tol),
        ("--planarity-tol", a.planarity_tol),
        ("--normals-tol", a.normals_tol),
        ("--overlap-tol", a.overlap_tol),
    ] {
        if !(v.is_finite() && v >= 0.0) {
            anyhow::bail!("{name} {v}: expected a non-negative number");
        }
    }
    Ok(Tolerances {
        snap: a.snap_tol,
        planarity_distance: a.planarity_tol,
        planarity_normals_deg: a.normals_tol,
        overlap: a.overlap_tol,
    })
}

pub fn run(a: &ValidateArgs) -> anyhow::Result<ExitCode> {
    let tol = tolerances(a)?;
    let ds = input::dataset(&a.input)?;
    let total = (ds.units.len() + ds.objects.len()) as u64;
    // Drawn on standard error, and only when it is a terminal.
    let bar = ProgressBar::new(total);
    bar.set_style(
        ProgressStyle::with_template(
            "validating {bar:40} {pos}/{len} units ({per_sec}, {eta} left)",
        )
        .unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    let report = validate_dataset_with(&ds, &tol, &|| bar.inc(1));
    bar.finish_and_clear();
    if a.json {
        outln!("{}", serde_json::to_string_pretty(&report)?);
    } else {
        print_report(&report);
    }
    Ok(if report.all_valid() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

fn line(f: &Finding) -> String {
    let tag = if f.is_error() { "error" } else { "warning" };
    format!("    {tag} {f}")
}

pub fn print_report(r: &Report) {
    outln!("frame: {}", r.frame);
    for f in &r.dataset {
        outln!("dataset: {}", line(f).trim_start());
    }
    let invalid = r.results.iter().filter(|x| !x.valid).count();
    for x in &r.results {
        let name = x.unit_code.as_deref().unwrap_or("(no unit code)");
        let status = if x.valid { "valid" } else { "INVALID" };
        outln!("{status:7} {name}  [{}]", x.id);
        for f in x.errors.iter().chain(&x.warnings) {
            outln!("{}", line(f));
        }
    }
    outln!(
        "{} validated: {} valid, {} invalid",
        r.units,
        r.units - invalid,
        invalid
    );
}
