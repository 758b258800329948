//! The glTF side of `strata register export`.

use std::path::Path;

use anyhow::Context;
use strata::export::gltf::{GlbUnit, glb};
use strata::export::sheet::profile::Colours;
use strata::io::atomic::write_atomically;
use strata::register::store::Store;

/// Writes the registered units (all, or those of `plot`) as .glb, coloured by stratum with
/// the default layer colours; returns how many.
pub fn write(reg: &dyn Store, plot: Option<&str>, path: &Path) -> anyhow::Result<usize> {
    let units: Vec<_> = strata::export::registered_units(reg, plot)?
        .into_iter()
        .filter_map(|u| {
            let v = u.volume.as_ref()?.to_volume();
            Some((u.code, u.stratum, v))
        })
        .collect();
    let list: Vec<GlbUnit> = units
        .iter()
        .map(|(code, stratum, volume)| GlbUnit {
            code,
            stratum: *stratum,
            volume,
        })
        .collect();
    let s = reg.settings();
    let bytes = glb(&list, &Colours::default(), s.crs_epsg, &s.height_datum)?;
    write_atomically(path, |w| w.write_all(&bytes))
        .with_context(|| format!("{}: could not be written", path.display()))?;
    Ok(list.len())
}
