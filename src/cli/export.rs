//! `strata export`.

use std::process::ExitCode;

use anyhow::bail;

use super::args::ExportArgs;

pub fn run(a: &ExportArgs) -> anyhow::Result<ExitCode> {
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
    write(a)
}

#[cfg(feature = "gdal")]
fn write(a: &ExportArgs) -> anyhow::Result<ExitCode> {
    use super::input;
    use strata::model::Stratum;
    let ds = input::dataset(&a.input)?;
    input::refuse_findings(&ds, input::Strictness::Geometry)?;
    strata::export::gpkg::write_gpkg(&ds, &a.out)?;
    let count = |s: Option<Stratum>| ds.units.iter().filter(|u| u.stratum == s).count();
    outln!("frame: {}", ds.frame);
    outln!(
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
fn write(_a: &ExportArgs) -> anyhow::Result<ExitCode> {
    bail!(
        "GeoPackage export is written through GDAL: build Strata with `--features gdal` (needs libgdal-dev)"
    )
}
