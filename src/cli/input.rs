//! Turning input arguments into a dataset.

use anyhow::{Context, bail};
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
    })
}

pub fn dataset(a: &InputArgs) -> anyhow::Result<Dataset> {
    let opts = options(
        a.crs.as_deref(),
        a.height_datum.as_deref(),
        a.extra_parcel_letters.as_deref(),
    )?;
    Ok(read_dataset(&a.files, &opts)?)
}
