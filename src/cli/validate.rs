//! `strata validate`.

use std::process::ExitCode;

use strata::validate::report;

use super::args::ValidateArgs;
use super::input;
use super::out::{Out, write_json};
use super::report::write_report;

pub fn run(a: &ValidateArgs, out: &mut Out) -> anyhow::Result<ExitCode> {
    let opts = input::admit_options(&a.input.read)?;
    let ds = input::read(&a.input.files, &opts.import)?;
    let findings = input::validate(&ds, &opts.tolerances);
    let r = report(&ds, &findings);
    if a.json {
        write_json(out, &r)?;
    } else {
        write_report(out, &r, true)?;
    }
    Ok(if r.all_valid() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}
