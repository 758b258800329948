//! Turning input arguments into a dataset.

use anyhow::{Context, bail};
use std::sync::Arc;

use indicatif::{ProgressBar, ProgressStyle};
use strata::io::dataset::Progress;
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
