//! `strata query`.

use std::path::Path;
use std::process::ExitCode;

use std::io::Write;

use anyhow::{anyhow, bail};
use strata::admit::{parse_volume_spec, read_proposal_file, same_frame, validate_proposal};
use strata::checks::query::{MAX_CLEARANCE_M, QueryReport, query};
use strata::diagnostics::clip;
use strata::geometry::Volume;

use super::args::QueryArgs;
use super::input;
use super::out::{Out, WithLeftOut, outln, write_json};

/// Reads and validates the proposed volume of `--volume`: a spec or a file, refused when it
/// is not a valid volume of the dataset's frame.
pub fn proposal(
    spec: &str,
    read: &super::args::ReadArgs,
    frame: &strata::model::Frame,
) -> anyhow::Result<Volume> {
    let opts = input::admit_options(read)?;
    let (v, frame_of) = match parse_volume_spec(spec) {
        Some(v) => (v?, None),
        None => {
            let (v, frame) = read_proposal_file(Path::new(spec), &opts.import)
                .map_err(|e| anyhow!("--volume {}", e))?;
            (v, Some(frame))
        }
    };
    if let Some(f) = validate_proposal(&v, &opts.tolerances).first() {
        bail!("--volume {}: not a valid volume: {f}", clip(spec));
    }
    if let Some(other) = &frame_of {
        same_frame(&format!("the proposal {spec}"), frame, other).map_err(|f| anyhow!("{f}"))?;
    }
    Ok(v)
}

pub fn run(a: &QueryArgs, out: &mut Out) -> anyhow::Result<ExitCode> {
    if let Some(c) = a.clearance
        && !(c.is_finite() && (0.0..=MAX_CLEARANCE_M).contains(&c))
    {
        bail!(
            "--clearance {}: expected metres from 0 to {MAX_CLEARANCE_M}",
            strata::diagnostics::Num(c)
        );
    }
    let admitted = input::admit(&a.input, out, a.json)?;
    let ds = &admitted.dataset;
    let v = proposal(&a.volume, &a.input.read, &ds.frame)?;
    let r = query(ds, &v, a.clearance, 0.001);
    if a.json {
        write_json(
            out,
            &WithLeftOut {
                report: &r,
                left_out: &admitted.left_out,
            },
        )?;
    } else {
        print(out, &r)?;
    }
    Ok(ExitCode::SUCCESS)
}

pub fn print(out: &mut Out, r: &QueryReport) -> anyhow::Result<()> {
    outln!(out, "frame: {}", r.frame);
    outln!(
        out,
        "proposed volume {:.1} m³, elevations {:.2}–{:.2} m",
        r.proposal_volume_m3,
        r.proposal_bbox[2],
        r.proposal_bbox[5]
    );
    if r.intersects.is_empty() {
        outln!(out, "it meets no registered unit");
    }
    for h in &r.intersects {
        outln!(
            out,
            "  meets {} ({}, {}): {:.1} m³ between {:.2} and {:.2} m{}",
            h.unit,
            h.stratum.unwrap_or("-"),
            h.holder.as_deref().unwrap_or("holder not given"),
            h.overlap_volume_m3,
            h.z_range[0],
            h.z_range[1],
            h.depth_range_m
                .map(|d| format!(", {:.2}–{:.2} m below ground", d[0], d[1]))
                .unwrap_or_default()
        );
    }
    if let Some(c) = r.clearance_m {
        outln!(
            out,
            "within {c} m without meeting it: {}",
            if r.within_clearance.is_empty() {
                "none"
            } else {
                ""
            }
        );
        for h in &r.within_clearance {
            outln!(
                out,
                "  {} ({}, {}): {:.2} m away",
                h.unit,
                h.stratum.unwrap_or("-"),
                h.holder.as_deref().unwrap_or("holder not given"),
                h.distance_m
            );
        }
    }
    Ok(())
}
