//! `strata export`.

use std::process::ExitCode;

use anyhow::bail;

use super::args::ExportArgs;
use super::out::Out;

pub fn run(a: &ExportArgs, out: &mut Out) -> anyhow::Result<ExitCode> {
    let ext = a
        .out
        .extension()
        .and_then(|e| e.to_str())
        .unwrap_or("")
        .to_ascii_lowercase();
    if ext != "gpkg" {
        bail!(
            "--out {}: Strata exports GeoPackage (.gpkg)",
            a.out.display()
        );
    }
    write(a, out)
}

#[cfg(feature = "gdal")]
fn write(a: &ExportArgs, out: &mut Out) -> anyhow::Result<ExitCode> {
    use super::input;
    use super::out::outln;
    use std::io::Write;
    use strata::model::Stratum;
    let admitted = input::admit(&a.input, out, false)?;
    let ds = &admitted.dataset;
    strata::export::gpkg::write_gpkg(ds, &a.out)?;
    let count = |s: Option<Stratum>| ds.units.iter().filter(|u| u.stratum == s).count();
    outln!(out, "frame: {}", ds.frame);
    outln!(
        out,
        "wrote {}: {} units (surface {}, above {}, under {}, other {}) as footprints and 3D faces, {} plots",
        a.out.display(),
        ds.units.len(),
        count(Some(Stratum::Surface)),
        count(Some(Stratum::Above)),
        count(Some(Stratum::Under)),
        count(None),
        ds.plots.len()
    );
    Ok(ExitCode::SUCCESS)
}

#[cfg(not(feature = "gdal"))]
fn write(_a: &ExportArgs, _out: &mut Out) -> anyhow::Result<ExitCode> {
    bail!(
        "GeoPackage export is written through GDAL: build Strata with `--features gdal` (needs libgdal-dev)"
    )
}
