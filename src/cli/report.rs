//! Validation reports as people read them: every finding up to a limit, then a summary
//! (`--json` stays complete).

use std::io::Write;

use strata::diagnostics::clip;
use strata::validate::{Finding, ObjectReport, Report};

/// A text report lists this many findings (and as many objects) before it summarizes the
/// rest: enough to see what is wrong, not a screenful per unit of a city.
pub const TEXT_LIMIT: usize = 200;

fn line(f: &Finding) -> String {
    let tag = if f.is_error() { "error" } else { "warning" };
    format!("    {tag} {f}")
}

fn header(x: &ObjectReport) -> String {
    let name = x.unit_code.as_deref().map_or("(no unit code)".into(), clip);
    let status = if x.valid { "valid" } else { "INVALID" };
    let children = if x.children.is_empty() {
        String::new()
    } else {
        let named: Vec<String> = x
            .children
            .iter()
            .take(20)
            .map(|c| clip(c).into_owned())
            .collect();
        let more = x.children.len().saturating_sub(named.len());
        let tail = if more > 0 {
            format!(" and {more} more")
        } else {
            String::new()
        };
        format!(" with {}{tail}", named.join(", "))
    };
    format!("{status:7} {name}  [{}]{children}", clip(&x.id))
}

/// Writes a validation report; `all` lists valid objects too (up to the limit).
pub fn write_report(w: &mut dyn Write, r: &Report, all: bool) -> std::io::Result<()> {
    writeln!(w, "frame: {}", r.frame)?;
    for f in &r.dataset {
        writeln!(w, "dataset: {}", line(f).trim_start())?;
    }
    let mut shown = 0usize;
    let mut hidden_findings = 0usize;
    let mut hidden_objects = 0usize;
    let listed = r
        .results
        .iter()
        .map(|x| ("", x))
        .chain(r.plots.iter().map(|x| ("plot ", x)));
    for (kind, x) in listed {
        let findings = x.errors.len() + x.warnings.len();
        if !all && findings == 0 {
            continue;
        }
        if shown >= TEXT_LIMIT {
            hidden_objects += 1;
            hidden_findings += findings;
            continue;
        }
        writeln!(w, "{kind}{}", header(x))?;
        shown += 1;
        for f in x.errors.iter().chain(&x.warnings) {
            if shown >= TEXT_LIMIT {
                hidden_findings += 1;
                continue;
            }
            writeln!(w, "{}", line(f))?;
            shown += 1;
        }
    }
    if hidden_findings + hidden_objects > 0 {
        writeln!(
            w,
            "… and {hidden_findings} more finding(s) in {hidden_objects} more object(s) not listed here (--json lists every one)"
        )?;
    }
    let invalid = r.results.iter().filter(|x| !x.valid).count();
    let bad_plots = r.plots.iter().filter(|x| !x.valid).count();
    let plots = if r.plots.is_empty() {
        String::new()
    } else {
        format!("; {} plots, {bad_plots} invalid", r.plots.len())
    };
    writeln!(
        w,
        "{} validated: {} valid, {invalid} invalid{plots}",
        r.units,
        r.units - invalid
    )
}
