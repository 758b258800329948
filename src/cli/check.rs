//! `strata check`.

use std::process::ExitCode;
use std::time::Instant;

use anyhow::bail;
use strata::checks::{CheckOptions, CheckReport, check};

use super::args::CheckArgs;
use super::input;

pub fn run(a: &CheckArgs) -> anyhow::Result<ExitCode> {
    if !(a.tolerance.is_finite() && a.tolerance >= 0.0) {
        bail!(
            "--tolerance {}: expected a non-negative number of metres",
            a.tolerance
        );
    }
    let t0 = Instant::now();
    let ds = input::dataset(&a.input)?;
    input::refuse_findings(&ds, input::Strictness::Geometry)?;
    let parse = t0.elapsed().as_secs_f64() * 1e3;
    let opts = CheckOptions {
        tolerance: a.tolerance,
        threads: a.threads,
        ..CheckOptions::default()
    };
    let mut checked = check(&ds, &opts);
    checked.report.timings_ms.parse = (parse * 1e3).round() / 1e3;
    let r = &checked.report;
    if a.json {
        outln!("{}", serde_json::to_string_pretty(r)?);
    } else {
        print(r);
    }
    Ok(if r.has_errors() {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

pub fn print(r: &CheckReport) {
    outln!("frame: {}", r.frame);
    for c in &r.conflicts {
        let sev = match c.severity {
            strata::validate::Severity::Error => "error",
            strata::validate::Severity::Warning => "warning",
        };
        outln!(
            "{sev:7} {:<20} {}",
            serde_json::to_value(c.kind)
                .ok()
                .and_then(|v| v.as_str().map(str::to_string))
                .unwrap_or_default(),
            c.message
        );
    }
    let t = &r.timings_ms;
    outln!(
        "{} units, {} candidate pairs, {} touching, {} overlapping; {} conflicts ({} errors)",
        r.units,
        r.pairs.candidates,
        r.pairs.touching,
        r.pairs.overlapping,
        r.conflicts.len(),
        r.conflicts
            .iter()
            .filter(|c| c.severity == strata::validate::Severity::Error)
            .count()
    );
    outln!(
        "time (ms): parse {:.0}, prepare {:.0}, index {:.0}, pairs {:.0}, exact {:.0}, containment {:.0}, six-direction {:.0}; total after parsing {:.0}",
        t.parse,
        t.prepare,
        t.index,
        t.pairs,
        t.exact,
        t.containment,
        t.sixto,
        t.total
    );
}
