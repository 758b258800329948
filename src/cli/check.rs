//! `strata check`.

use std::io::Write;
use std::process::ExitCode;
use std::time::Instant;

use anyhow::bail;
use strata::checks::bounded::{BoundedError, Bounds, check_bounded};
use strata::checks::tiles::{Grid, Tiling, check_tiled};
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
    let opts = CheckOptions {
        tolerance: a.tolerance,
        threads: input::threads(a.threads),
        ..CheckOptions::default()
    };
    if let Some(limit) = a.memory_limit {
        return bounded(a, limit, &opts, out);
    }
    if a.tile_origin.is_some() && a.tile_size.is_none() {
        bail!("--tile-origin places tiles: give --tile-size or --memory-limit with it");
    }
    let t0 = Instant::now();
    let admitted = input::admit(&a.input, out, a.json)?;
    let parse = t0.elapsed().as_secs_f64() * 1e3;
    let ds = &admitted.dataset;
    let (mut report, tiling) = match a.tile_size {
        None => (check(ds, &opts).report, None),
        Some(size) => {
            let (r, t) = tiled(ds, size, a.tile_origin.as_deref(), &opts)?;
            (r, Some(t))
        }
    };
    report.timings_ms.parse = (parse * 1e3).round() / 1e3;
    let said = tiling.map(|t| {
        let line = format!(
            "{} units in {} tiles (halo {:.1} m, at most {} units in a tile)",
            report.units, t.tiles, t.halo_m, t.largest_tile
        );
        (serde_json::to_value(t).unwrap_or_default(), line)
    });
    answer(out, a.json, &report, &admitted.left_out, said)
}

/// Prints the report (with how it was tiled, as JSON and as a line) and gives the exit code.
fn answer(
    out: &mut Out,
    json: bool,
    r: &CheckReport,
    left_out: &strata::admit::LeftOut,
    tiling: Option<(serde_json::Value, String)>,
) -> anyhow::Result<ExitCode> {
    if json {
        // A tiled check says how it was tiled; its pair counts and stage timings are not
        // gathered across tiles and are left out rather than given as zeros.
        let mut v = serde_json::to_value(WithLeftOut {
            report: r,
            left_out,
        })?;
        if let Some((t, _)) = &tiling {
            v["tiling"] = t.clone();
            if let Some(o) = v.as_object_mut() {
                o.remove("pairs");
            }
            v["timings_ms"] =
                serde_json::json!({"parse": r.timings_ms.parse, "total": r.timings_ms.total});
        }
        write_json(out, &v)?;
    } else {
        print(out, r, tiling.map(|(_, line)| line))?;
    }
    Ok(if r.has_errors() {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

/// The check in bounded memory (`--memory-limit`).
fn bounded(
    a: &CheckArgs,
    limit: u64,
    opts: &CheckOptions,
    out: &mut Out,
) -> anyhow::Result<ExitCode> {
    let bounds = Bounds {
        memory_limit: limit,
        tile_size: a.tile_size,
        tile_origin: a.tile_origin.as_deref().map(origin).transpose()?,
    };
    let admit = input::admit_options(&a.input.read)?;
    let c = match check_bounded(&a.input.files, &admit, opts, &bounds) {
        Ok(c) => c,
        Err(BoundedError::Refused(r)) => return Err(input::refused(out, r, a.json)),
        Err(BoundedError::Grid(e)) => bail!("--tile-size: {e}"),
        Err(e @ BoundedError::LimitTooSmall { .. }) => bail!("--memory-limit: {e}"),
        Err(e) => bail!("{e}"),
    };
    input::say_left_out(&c.left_out, c.units_read);
    let b = c.batching;
    let line = format!(
        "{} units in {} tiles of {} m, {} batch(es) ({} reads of the files; halo {:.1} m, at most {} units in a tile, {} in a batch)",
        c.report.units,
        b.tiles,
        strata::diagnostics::Num(b.grid.size),
        b.batches,
        b.reads,
        b.halo_m,
        b.largest_tile,
        b.largest_batch
    );
    answer(
        out,
        a.json,
        &c.report,
        &c.left_out,
        Some((serde_json::to_value(b)?, line)),
    )
}

/// `--tile-origin X,Y`.
fn origin(o: &str) -> anyhow::Result<[f64; 2]> {
    let v: Vec<f64> = o
        .split(',')
        .map(|x| x.trim().parse::<f64>())
        .collect::<Result<_, _>>()
        .map_err(|_| anyhow::anyhow!("--tile-origin {o}: X,Y in metres"))?;
    match v.as_slice() {
        [x, y] if x.is_finite() && y.is_finite() => Ok([*x, *y]),
        _ => bail!("--tile-origin {o}: X,Y in metres"),
    }
}

/// The check in tiles of `size` m from `origin` (`X,Y`; default the units' lower corner).
fn tiled(
    ds: &strata::model::Dataset,
    size: f64,
    origin: Option<&str>,
    opts: &CheckOptions,
) -> anyhow::Result<(CheckReport, Tiling)> {
    use strata::geometry::algorithm::BoundingBox3;
    let origin = match origin {
        Some(o) => self::origin(o)?,
        None => {
            let b = ds
                .units
                .iter()
                .map(|u| u.volume.bbox())
                .fold(strata::geometry::Aabb::empty(), |a, b| a.union(&b));
            if b.is_empty() {
                [0.0, 0.0]
            } else {
                [b.min.x, b.min.y]
            }
        }
    };
    let grid = Grid::new(origin, size).map_err(|e| anyhow::anyhow!("--tile-size: {e}"))?;
    let t0 = Instant::now();
    let (conflicts, tiling) = check_tiled(ds, &grid, opts);
    let total = (t0.elapsed().as_secs_f64() * 1e6).round() / 1e3;
    let report = CheckReport {
        frame: ds.frame.clone(),
        units: ds.units.len(),
        conflicts,
        timings_ms: strata::checks::Timings {
            total,
            ..Default::default()
        },
        pairs: Default::default(),
    };
    Ok((report, tiling))
}

pub fn print(out: &mut Out, r: &CheckReport, tiling: Option<String>) -> anyhow::Result<()> {
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
    let errors = r
        .conflicts
        .iter()
        .filter(|c| c.severity == strata::validate::Severity::Error)
        .count();
    let t = &r.timings_ms;
    if let Some(line) = tiling {
        outln!(
            out,
            "{line}; {} conflicts ({errors} errors)",
            r.conflicts.len()
        );
        outln!(
            out,
            "time (ms): reading {:.0}; the tiles {:.0}",
            t.parse,
            t.total
        );
        return Ok(());
    }
    outln!(
        out,
        "{} units, {} candidate pairs, {} touching, {} overlapping; {} conflicts ({errors} errors)",
        r.units,
        r.pairs.candidates,
        r.pairs.touching,
        r.pairs.overlapping,
        r.conflicts.len(),
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
