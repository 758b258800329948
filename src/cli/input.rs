//! Turning input arguments into a dataset.

use anyhow::{Context, anyhow, bail};
use std::sync::Arc;

use indicatif::{ProgressBar, ProgressStyle};
use strata::io::dataset::Progress;
use strata::io::mapping::FieldMapping;
use strata::io::transform::{HeightOffset, HorizontalTarget};
use strata::io::{ImportOptions, read_dataset};
use strata::model::Dataset;
use strata::model::frame::parse_epsg;
use strata::model::unit_code::LetterSets;

use super::args::InputArgs;

pub fn options(
    crs: Option<&str>,
    height_datum: Option<&str>,
    extra_letters: Option<&str>,
) -> anyhow::Result<ImportOptions> {
    let crs = match crs {
        Some(s) => Some(
            parse_epsg(s)
                .or_else(|| s.parse().ok())
                .with_context(|| format!("--crs {s}: expected an EPSG code such as EPSG:4548"))?,
        ),
        None => None,
    };
    let mut letters = LetterSets::default();
    if let Some(extra) = extra_letters {
        if !extra.chars().all(|c| c.is_ascii_uppercase()) {
            bail!("--extra-parcel-letters {extra}: expected upper-case letters");
        }
        letters = letters.with_extra_parcel_kinds(extra.chars());
    }
    Ok(ImportOptions {
        crs,
        height_datum: height_datum.map(str::to_string),
        letters,
        ..ImportOptions::default()
    })
}

pub fn dataset(a: &InputArgs) -> anyhow::Result<Dataset> {
    let mut opts = options(
        a.crs.as_deref(),
        a.height_datum.as_deref(),
        a.extra_parcel_letters.as_deref(),
    )?;
    if let Some(path) = &a.mapping {
        opts.mapping = FieldMapping::from_file(path)?;
    }
    if let Some(pairs) = &a.map {
        let m = FieldMapping::from_pairs(pairs).map_err(|e| anyhow!("--map {e}"))?;
        opts.mapping.fields.extend(m.fields);
    }
    if let Some(t) = &a.reproject {
        opts.reproject = Some(HorizontalTarget::parse(t).with_context(|| {
            format!("--reproject {t}: expected `auto` or an EPSG code such as EPSG:4548")
        })?);
    }
    for o in &a.height_offset {
        opts.height_offsets
            .push(HeightOffset::parse(o).map_err(|e| anyhow!("--height-offset {e}"))?);
    }
    if !opts.height_offsets.is_empty() && opts.height_datum.is_none() {
        bail!("--height-offset needs --height-datum: the datum the offset heights end up in");
    }
    // A byte progress bar on standard error, drawn only when it is a terminal.
    let bar = ProgressBar::new(0);
    bar.set_style(
        ProgressStyle::with_template(
            "reading {bar:40} {bytes}/{total_bytes} ({bytes_per_sec}, {eta} left)",
        )
        .unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    let b = bar.clone();
    opts.progress = Progress(Some(Arc::new(move |done, total| {
        b.set_length(total);
        b.set_position(done);
    })));
    let ds = read_dataset(&a.files, &opts);
    bar.finish_and_clear();
    Ok(ds?)
}

/// Which import findings make a command refuse its input (exit 2).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Strictness {
    /// Any error (`info`, `demo`: a summary of a dataset with errors would mislead).
    AllErrors,
    /// Errors that leave a unit without its full volume or mix height datums (`check`, `sixto`,
    /// `query`: everything else is reported by `validate`).
    Geometry,
}

/// Refuses a dataset whose import found errors, listing them with file, feature and field.
pub fn refuse_findings(ds: &Dataset, strictness: Strictness) -> anyhow::Result<()> {
    use strata::validate::Code;
    let blocks = |c: Code| match strictness {
        Strictness::AllErrors => true,
        Strictness::Geometry => matches!(
            c,
            Code::ElevationMissing
                | Code::GeometryTypeUnsupported
                | Code::CoordinateNotFinite
                | Code::EmptyPrimitive
                | Code::HeightDatumConflict
        ),
    };
    let mut problems = Vec::new();
    for f in ds
        .findings
        .iter()
        .filter(|f| f.is_error() && blocks(f.code))
    {
        problems.push(format!("dataset: {f}"));
    }
    for u in &ds.units {
        for f in u.findings.iter().filter(|f| f.is_error() && blocks(f.code)) {
            problems.push(format!("{}: {f}", u.key));
        }
    }
    if !problems.is_empty() {
        bail!(
            "{} problem(s) in the input (run `strata validate` for the full report):\n  {}",
            problems.len(),
            problems.join("\n  ")
        );
    }
    Ok(())
}
