//! `strata rules`.

use std::io::Write;
use std::process::ExitCode;

use strata::checks::planning::{Rules, evaluate};

use super::Refused;
use super::args::RulesArgs;
use super::input;
use super::out::{Out, outln, write_json};

pub fn run(a: &RulesArgs, out: &mut Out) -> anyhow::Result<ExitCode> {
    let rules = Rules::read(&a.rules)?;
    let admitted = input::admit(&a.input, out, a.json)?;
    let findings = evaluate(&admitted.dataset, &rules);
    let failed = findings.iter().filter(|f| f.binding && !f.passed).count();
    if a.json {
        write_json(out, &findings)?;
    } else {
        for f in &findings {
            let mark = match (f.passed, f.binding) {
                (true, true) => "ok  ",
                (false, true) => "FAIL",
                (_, false) => "note",
            };
            outln!(out, "{mark} {} · {} [{}]", f.rule, f.message, f.source);
        }
        outln!(
            out,
            "{} rule(s) checked, {failed} broken",
            findings.iter().filter(|f| f.binding).count()
        );
    }
    if failed > 0 {
        Err(Refused(1).into())
    } else {
        Ok(ExitCode::SUCCESS)
    }
}
