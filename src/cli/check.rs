//! `strata check`.

use std::io::Write;
use std::process::ExitCode;
use std::time::Instant;

use anyhow::bail;
use strata::checks::{CheckOptions, CheckReport, check};
use strata::validate::SURVEY_ACCURACY_M;

use super::args::CheckArgs;
use super::input;
use super::out::{Out, WithLeftOut, outln, write_json};
use super::report::TEXT_LIMIT;

pub fn run(a: &CheckArgs, out: &mut Out) -> anyhow::Result<ExitCode> {
    if !(a.tolerance.is_finite() && a.tolerance >= 0.0) {
        bail!(
            "--tolerance {}: expected a non-negative number of metres",
            strata::diagnostics::Num(a.tolerance)
        );
    }
    // A sliver tolerance beyond survey accuracy would turn real overlaps into warnings.
    if a.tolerance > SURVEY_ACCURACY_M && !a.input.read.tolerances.coarse_tolerances {
        bail!(
            "--tolerance {} is beyond what a cadastral survey supports (at most {SURVEY_ACCURACY_M}): overlaps thinner than it would pass as slivers; add --coarse-tolerances to use it anyway",
            strata::diagnostics::Num(a.tolerance)
        );
    }
    let t0 = Instant::now();
    let admitted = input::admit(&a.input, out, a.json)?;
    let parse = t0.elapsed().as_secs_f64() * 1e3;
    let opts = CheckOptions {
        tolerance: a.tolerance,
        threads: input::threads(a.threads),
        ..CheckOptions::default()
    };
    let ds = &admitted.dataset;
    let mut checked = check(ds, &opts);
    checked.report.timings_ms.parse = (parse * 1e3).round() / 1e3;
    let r = &checked.report;
    if a.json {
        write_json(
            out,
            &WithLeftOut {
                report: r,
                left_out: &admitted.left_out,
            },
        )?;
    } else {
        print(out, r)?;
    }
    Ok(if r.has_errors() {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

pub fn print(out: &mut Out, r: &CheckReport) -> anyhow::Result<()> {
    outln!(out, "frame: {}", r.frame);
    for c in r.conflicts.iter().take(TEXT_LIMIT) {
        let sev = match c.severity {
            strata::validate::Severity::Error => "error",
            strata::validate::Severity::Warning => "warning",
        };
        outln!(out, "{sev:7} {:<20} {}", c.kind.as_str(), c.message);
    }
    if r.conflicts.len() > TEXT_LIMIT {
        outln!(
            out,
            "… and {} more conflict(s) not listed here (--json lists every one)",
            r.conflicts.len() - TEXT_LIMIT
        );
    }
    let t = &r.timings_ms;
    outln!(
        out,
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
        out,
        "time (ms): parse and validate {:.0}, prepare {:.0}, index {:.0}, pairs {:.0}, exact {:.0}, containment {:.0}, six-direction {:.0}; total after parsing {:.0}",
        t.parse,
        t.prepare,
        t.index,
        t.pairs,
        t.exact,
        t.containment,
        t.sixto,
        t.total
    );
    Ok(())
}
