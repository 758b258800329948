//! Documents for many units at once: which units, and each drawn on its own worker with its
//! own read-only connection to the register.

use rayon::prelude::*;
use strata::register::store::{self, Store};

/// The registered units of the register, or of one plot, in code order.
pub fn registered(reg: &dyn Store, plot: Option<&str>) -> anyhow::Result<Vec<String>> {
    Ok(strata::export::registered_units(reg, plot)?
        .into_iter()
        .map(|u| u.code)
        .collect())
}

/// The unit codes a file lists, one per line (blank lines and `#` comments skipped), in
/// the file's order; a line that is not a 28-character code is refused by its number.
pub fn listed(file: &std::path::Path) -> anyhow::Result<Vec<String>> {
    let text =
        std::fs::read_to_string(file).map_err(|e| anyhow::anyhow!("{}: {e}", file.display()))?;
    let mut units = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let code = line.split('#').next().unwrap_or("").trim();
        if code.is_empty() {
            continue;
        }
        if code.chars().count() != 28 {
            anyhow::bail!(
                "{}:{}: \"{code}\" is not a 28-character unit code",
                file.display(),
                i + 1
            );
        }
        units.push(code.to_string());
    }
    Ok(units)
}

/// Runs `f` on every unit in parallel, each worker reading the register through its own
/// connection; the results in the units' order, or the first error, naming its unit.
pub fn each<T: Send>(
    location: &str,
    units: &[String],
    f: impl Fn(&dyn Store, &str) -> anyhow::Result<T> + Sync,
) -> anyhow::Result<Vec<T>> {
    units
        .par_iter()
        .map_init(
            || store::open(location, true),
            |reg, unit| {
                let reg = reg
                    .as_ref()
                    .map_err(|e| anyhow::anyhow!("{location}: {e}"))?;
                f(reg.as_ref(), unit).map_err(|e| e.context(format!("unit {unit}")))
            },
        )
        .collect()
}
