//! Turning input arguments into an admitted dataset: every command that reads survey files
//! goes through [`admit`].

use anyhow::{Context, anyhow, bail};
use std::io::Write;
use std::sync::Arc;

use indicatif::{ProgressBar, ProgressStyle};
use strata::admit::{AdmitOptions, Admitted, Refusal, decide};
use strata::io::dataset::Progress;
use strata::io::mapping::FieldMapping;
use strata::io::transform::{HeightOffset, HorizontalTarget};
use strata::io::{ImportOptions, read_dataset};
use strata::model::Dataset;
use strata::model::frame::parse_epsg;
use strata::model::unit_code::LetterSets;
use strata::validate::{DatasetFindings, Report, Tolerances, dataset_findings};

use super::Refused;
use super::args::{InputArgs, ReadArgs, ToleranceArgs};
use super::out::{Out, write_json};
use super::report::write_report;

/// The import options the arguments name.
pub fn import_options(r: &ReadArgs) -> anyhow::Result<ImportOptions> {
    let crs = match &r.crs {
        Some(s) => Some(
            parse_epsg(s)
                .or_else(|| s.parse().ok())
                .with_context(|| format!("--crs {s}: expected an EPSG code such as EPSG:4548"))?,
        ),
        None => None,
    };
    let mut letters = LetterSets::default();
    if let Some(extra) = &r.extra_parcel_letters {
        if !extra.chars().all(|c| c.is_ascii_uppercase()) {
            bail!("--extra-parcel-letters {extra}: expected upper-case letters");
        }
        letters = letters.with_extra_parcel_kinds(extra.chars());
    }
    let mut opts = ImportOptions {
        crs,
        height_datum: r.height_datum.clone(),
        letters,
        ..ImportOptions::default()
    };
    if let Some(path) = &r.mapping {
        opts.mapping = FieldMapping::from_file(path)?;
    }
    if let Some(pairs) = &r.map {
        let m = FieldMapping::from_pairs(pairs).map_err(|e| anyhow!("--map {e}"))?;
        opts.mapping.fields.extend(m.fields);
    }
    if let Some(t) = &r.reproject {
        opts.reproject = Some(HorizontalTarget::parse(t).with_context(|| {
            format!("--reproject {t}: expected `auto` or an EPSG code such as EPSG:4548")
        })?);
    }
    for o in &r.height_offset {
        opts.height_offsets
            .push(HeightOffset::parse(o).map_err(|e| anyhow!("--height-offset {e}"))?);
    }
    if !opts.height_offsets.is_empty() && opts.height_datum.is_none() {
        bail!("--height-offset needs --height-datum: the datum the offset heights end up in");
    }
    Ok(opts)
}

/// The tolerances the arguments name: non-negative numbers, and within survey accuracy
/// unless `--coarse-tolerances` says otherwise.
pub fn tolerances(t: &ToleranceArgs) -> anyhow::Result<Tolerances> {
    let tol = Tolerances {
        snap: t.snap_tol,
        planarity_distance: t.planarity_tol,
        planarity_normals_deg: t.normals_tol,
        overlap: t.overlap_tol,
    };
    if let Some((name, v)) = tol.invalid() {
        bail!("{name} {v}: expected a non-negative number");
    }
    if let Some(c) = tol.coarse().first()
        && !t.coarse_tolerances
    {
        bail!("{c}; add --coarse-tolerances to use it anyway");
    }
    Ok(tol)
}

/// The admission options the arguments name.
pub fn admit_options(r: &ReadArgs) -> anyhow::Result<AdmitOptions> {
    Ok(AdmitOptions {
        import: import_options(r)?,
        tolerances: tolerances(&r.tolerances)?,
        skip_invalid: r.skip_invalid,
    })
}

/// A bar on standard error, drawn only when it is a terminal.
fn bar(template: &str) -> ProgressBar {
    let bar = ProgressBar::new(0);
    bar.set_style(
        ProgressStyle::with_template(template).unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    bar
}

/// Reads the files (with a byte progress bar), without validating them.
pub fn read(files: &[std::path::PathBuf], opts: &ImportOptions) -> anyhow::Result<Dataset> {
    let bar = bar("reading {bar:40} {bytes}/{total_bytes} ({bytes_per_sec}, {eta} left)");
    let b = bar.clone();
    let mut opts = opts.clone();
    opts.progress = Progress(Some(Arc::new(move |done, total| {
        b.set_length(total);
        b.set_position(done);
    })));
    let ds = read_dataset(files, &opts);
    bar.finish_and_clear();
    Ok(ds?)
}

/// Validates a dataset (with a progress bar).
pub fn validate(ds: &Dataset, tol: &Tolerances) -> DatasetFindings {
    let bar = bar("validating {bar:40} {pos}/{len} units ({per_sec}, {eta} left)");
    bar.set_length((ds.units.len() + ds.objects.len()) as u64);
    let f = dataset_findings(ds, tol, &|| bar.inc(1));
    bar.finish_and_clear();
    f
}

/// Reads, validates and admits the input of a command. Invalid input is refused: its
/// findings go to standard error (to standard output as JSON with `json`) and the command
/// ends with exit 1; with `--skip-invalid` the invalid units are left out, said on standard
/// error.
pub fn admit(a: &InputArgs, out: &mut Out, json: bool) -> anyhow::Result<Admitted> {
    let opts = admit_options(&a.read)?;
    let ds = read(&a.files, &opts.import)?;
    let findings = validate(&ds, &opts.tolerances);
    decide_or_refuse(ds, &findings, opts.skip_invalid, out, json)
}

/// The admission of a dataset already read and validated (see [`admit`]).
pub fn decide_or_refuse(
    ds: Dataset,
    findings: &DatasetFindings,
    skip_invalid: bool,
    out: &mut Out,
    json: bool,
) -> anyhow::Result<Admitted> {
    match decide(ds, findings, skip_invalid) {
        Ok(admitted) => {
            say_left_out(&admitted.left_out, admitted.units_read);
            Ok(admitted)
        }
        Err(r) => Err(refused(out, r, json)),
    }
}

/// Says why input was refused (the invalid units' findings to standard error, or to
/// standard output as JSON with `json`): the error that ends the command.
pub fn refused(out: &mut Out, r: Refusal, json: bool) -> anyhow::Error {
    match r {
        Refusal::Invalid(report) => match refuse(out, &report, json) {
            Ok(()) => Refused(1).into(),
            Err(e) => e,
        },
        e => e.into(),
    }
}

/// Says on standard error what the admission left out, of `units_read` units.
pub fn say_left_out(l: &strata::admit::LeftOut, units_read: usize) {
    if l.is_empty() {
        return;
    }
    let some = |v: &[String]| {
        let mut s = v
            .iter()
            .take(10)
            .map(|k| strata::diagnostics::clip(k).into_owned())
            .collect::<Vec<_>>()
            .join(", ");
        if v.len() > 10 {
            s.push_str(&format!(" and {} more", v.len() - 10));
        }
        s
    };
    let mut what = format!(
        "strata: left out {} invalid unit(s) of {}",
        l.units.len(),
        units_read
    );
    if !l.units.is_empty() {
        what.push_str(&format!(" ({})", some(&l.units)));
    }
    if !l.plots.is_empty() {
        what.push_str(&format!(
            " and {} invalid plot(s) ({}) with their units",
            l.plots.len(),
            some(&l.plots)
        ));
    }
    eprintln!("{what}; `strata validate` says why");
}

/// Says why input is refused.
fn refuse(out: &mut Out, report: &Report, json: bool) -> anyhow::Result<()> {
    let summary = Refusal::Invalid(Box::new(report.clone())).to_string();
    if json {
        #[derive(serde::Serialize)]
        struct Refused<'a> {
            admitted: bool,
            reason: &'a str,
            report: &'a Report,
        }
        write_json(
            out,
            &Refused {
                admitted: false,
                reason: &summary,
                report,
            },
        )?;
        return Ok(());
    }
    let mut err = std::io::stderr().lock();
    writeln!(
        err,
        "strata: {summary}: refused (run `strata validate` for the full report, or add --skip-invalid to go on without them)"
    )?;
    write_report(&mut err, report, false)?;
    Ok(())
}

/// The worker threads to start: at most what the machine has.
pub fn threads(asked: Option<usize>) -> Option<usize> {
    let have = std::thread::available_parallelism()
        .map(std::num::NonZeroUsize::get)
        .unwrap_or(1);
    asked.map(|n| {
        if n > have {
            eprintln!("strata: --threads {n}: this machine runs {have} at once; using {have}");
        }
        n.clamp(1, have)
    })
}
