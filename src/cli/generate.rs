//! `strata generate`.

use std::process::ExitCode;

use strata::generate::{DistrictOptions, MAX_UNITS, district};

use super::args::GenerateArgs;

pub fn run(a: &GenerateArgs) -> anyhow::Result<ExitCode> {
    if a.units > MAX_UNITS {
        anyhow::bail!(
            "--units {}: at most {MAX_UNITS} units are generated (the generator holds them all before writing)",
            a.units
        );
    }
    let d = district(&DistrictOptions {
        units: a.units,
        seed: a.seed,
        conflict_every: a.conflict_every,
    });
    d.write(&a.out)?;
    if let Some(t) = &a.truth {
        d.write_truth(t)?;
    }
    eprintln!(
        "wrote {}: {} units on {} plots, {} injected conflicts",
        a.out.display(),
        d.units.len(),
        d.plots.len(),
        d.injected.len()
    );
    Ok(ExitCode::SUCCESS)
}
