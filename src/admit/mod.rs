//! One admission for every input: read the files, validate what they hold, then either refuse
//! (unreadable input, invalid units, a frame that does not fit) or, only when the caller asks,
//! go on without the invalid units and say which were left out. Every command that reads
//! survey data goes through here, so nothing downstream (checks, six directions, queries,
//! exports, the register) ever sees a unit that validation rejects.

mod proposal;

use std::collections::HashSet;
use std::path::PathBuf;

use thiserror::Error;

use crate::diagnostics::{Code, Finding, Location};
use crate::io::{ImportError, ImportOptions, read_dataset};
use crate::model::{Dataset, Frame};
use crate::validate::{DatasetFindings, Report, Tolerances, dataset_findings, has_error, report};

pub use proposal::{ProposalError, parse_volume_spec, read_proposal_file, validate_proposal};

/// How input is admitted.
#[derive(Debug, Clone, Default)]
pub struct AdmitOptions {
    /// How the files are read.
    pub import: ImportOptions,
    /// The tolerances of validation.
    pub tolerances: Tolerances,
    /// Go on without the invalid units (and invalid plots, with the units in them) instead
    /// of refusing the input.
    pub skip_invalid: bool,
}

/// What was left out of an admitted dataset.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct LeftOut {
    /// The keys (unit codes) of the units left out.
    pub units: Vec<String>,
    /// The ids of the plots left out.
    pub plots: Vec<String>,
}

impl LeftOut {
    /// True when nothing was left out.
    pub fn is_empty(&self) -> bool {
        self.units.is_empty() && self.plots.is_empty()
    }
}

/// A dataset that passed the admission.
#[derive(Debug, Clone)]
pub struct Admitted {
    /// The dataset, without what was left out.
    pub dataset: Dataset,
    /// The warnings validation gave on what was kept, and the dataset's findings.
    pub warnings: usize,
    /// The units read, before anything was left out.
    pub units_read: usize,
    /// What was left out (only with [`AdmitOptions::skip_invalid`]).
    pub left_out: LeftOut,
}

/// Why input was not admitted.
#[derive(Debug, Error)]
#[non_exhaustive]
pub enum Refusal {
    /// A file cannot be read: it names the file, feature and field.
    #[error(transparent)]
    Unreadable(#[from] ImportError),
    /// Units, plots or the dataset's frame are invalid: the report holds the invalid ones.
    #[error("{}", invalid_summary(.0))]
    Invalid(Box<Report>),
}

fn invalid_summary(r: &Report) -> String {
    let units = r.results.iter().filter(|x| !x.valid).count();
    let plots = r.plots.iter().filter(|x| !x.valid).count();
    let dataset = r.dataset.iter().filter(|f| f.is_error()).count();
    let mut parts = Vec::new();
    if units > 0 {
        parts.push(format!("{units} invalid unit(s)"));
    }
    if plots > 0 {
        parts.push(format!("{plots} invalid plot(s)"));
    }
    if dataset > 0 {
        parts.push(format!("{dataset} error(s) in the dataset's frame"));
    }
    format!("the input holds {}", parts.join(", "))
}

/// Reads and validates `paths`, then admits them or refuses them (see the module doc).
pub fn admit(paths: &[PathBuf], opts: &AdmitOptions) -> Result<Admitted, Refusal> {
    let ds = read_dataset(paths, &opts.import)?;
    let findings = dataset_findings(&ds, &opts.tolerances, &|| {});
    decide(ds, &findings, opts.skip_invalid)
}

/// The admission of a dataset already validated: refuses it when validation found errors,
/// unless `skip_invalid`, which leaves out invalid units and plots (and the units of a plot
/// left out). Errors in the dataset's frame (CRS, height datum) are never skipped.
pub fn decide(
    mut ds: Dataset,
    findings: &DatasetFindings,
    skip_invalid: bool,
) -> Result<Admitted, Refusal> {
    let frame_errors = has_error(&findings.dataset);
    let bad_units = findings.units.iter().filter(|f| has_error(f)).count();
    let bad_plots = findings.plots.iter().filter(|f| has_error(f)).count();
    let units_read = ds.units.len();
    if frame_errors || (!skip_invalid && (bad_units > 0 || bad_plots > 0)) {
        return Err(Refusal::Invalid(Box::new(invalid_only(&ds, findings))));
    }
    let warnings = findings
        .units
        .iter()
        .chain(&findings.plots)
        .chain(&findings.objects)
        .chain(std::iter::once(&findings.dataset))
        .flatten()
        .filter(|f| !f.is_error())
        .count();
    let mut left_out = LeftOut::default();
    if bad_units > 0 || bad_plots > 0 {
        let mut keep_plot = findings.plots.iter().map(|f| !has_error(f));
        let plots = std::mem::take(&mut ds.plots);
        for p in plots {
            if keep_plot.next().unwrap_or(true) {
                ds.plots.push(p);
            } else {
                left_out.plots.push(p.id);
            }
        }
        let gone: HashSet<&str> = left_out.plots.iter().map(String::as_str).collect();
        let mut keep_unit = findings.units.iter().map(|f| !has_error(f));
        let units = std::mem::take(&mut ds.units);
        for u in units {
            let valid = keep_unit.next().unwrap_or(true);
            let plot_gone = u.parent_plot.as_deref().is_some_and(|p| gone.contains(p));
            if valid && !plot_gone {
                ds.units.push(u);
            } else {
                left_out.units.push(u.key);
            }
        }
    }
    Ok(Admitted {
        dataset: ds,
        warnings,
        units_read,
        left_out,
    })
}

/// The report of the invalid units, plots and the dataset's findings only.
fn invalid_only(ds: &Dataset, findings: &DatasetFindings) -> Report {
    let mut r = report(ds, findings);
    r.results.retain(|x| !x.valid);
    r.plots.retain(|x| !x.valid);
    r.units = r.results.len();
    r
}

/// Requires a second input (a proposal, another survey) to be in the dataset's frame: the
/// same horizontal CRS and height datum, where both name one (820).
pub fn same_frame(what: &str, dataset: &Frame, other: &Frame) -> Result<(), Box<Finding>> {
    let mismatch = |aspect: &str, a: String, b: String| {
        Box::new(Finding::new(
            Code::FrameMismatch,
            Location::default(),
            format!("{what} is in {aspect} {b} but the dataset is in {a}: reproject it first"),
        ))
    };
    if let (Some(a), Some(b)) = (dataset.crs, other.crs)
        && a != b
    {
        return Err(mismatch("the CRS", a.to_string(), b.to_string()));
    }
    if let (Some(a), Some(b)) = (&dataset.height_datum, &other.height_datum)
        && a != b
    {
        return Err(mismatch("the height datum", a.describe(), b.describe()));
    }
    Ok(())
}
