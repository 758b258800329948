//! `strata query`.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context, bail};
use geo::{LineString, Polygon};
use strata::checks::query::{QueryReport, query};
use strata::geometry::{Part, Point3, Polyhedron, Prism, Volume};
use strata::io::read_dataset;

use super::args::QueryArgs;
use super::input;

fn numbers(s: &str) -> anyhow::Result<Vec<f64>> {
    s.split(',')
        .map(|x| {
            x.trim()
                .parse::<f64>()
                .with_context(|| format!("`{x}` is not a number"))
        })
        .collect()
}

/// Reads the proposed volume from the `--volume` argument.
pub fn proposal(spec: &str, opts: &strata::io::ImportOptions) -> anyhow::Result<Volume> {
    if let Some(b) = spec.strip_prefix("box:") {
        let v = numbers(b).context("--volume box:minx,miny,minz,maxx,maxy,maxz")?;
        if v.len() != 6 || v[0] >= v[3] || v[1] >= v[4] || v[2] >= v[5] {
            bail!(
                "--volume box: expected minx,miny,minz,maxx,maxy,maxz with each min below its max"
            );
        }
        return Ok(Volume::from(Polyhedron::cuboid(
            Point3::new(v[0], v[1], v[2]),
            Point3::new(v[3], v[4], v[5]),
        )));
    }
    if let Some(p) = spec.strip_prefix("prism:") {
        let (z, ring) = p
            .split_once(':')
            .context("--volume prism:zbottom,ztop:x1 y1,x2 y2,x3 y3,...")?;
        let z = numbers(z)?;
        if z.len() != 2 || z[0] >= z[1] {
            bail!("--volume prism: expected zbottom,ztop with zbottom below ztop");
        }
        let pts: Vec<(f64, f64)> = ring
            .split(',')
            .map(|xy| {
                let c: Vec<&str> = xy.split_whitespace().collect();
                match c.as_slice() {
                    [x, y] => Ok((x.parse()?, y.parse()?)),
                    _ => bail!("`{xy}`: expected `x y`"),
                }
            })
            .collect::<anyhow::Result<_>>()?;
        if pts.len() < 3 {
            bail!("--volume prism: a footprint needs at least 3 points");
        }
        let mut ring = pts;
        ring.push(ring[0]);
        return Ok(Volume::from(Prism::new(
            Polygon::new(LineString::from(ring), vec![]),
            z[0],
            z[1],
        )));
    }
    let ds = read_dataset(&[PathBuf::from(spec)], opts)?;
    let mut parts: Vec<Part> = ds.units.into_iter().flat_map(|u| u.volume.parts).collect();
    for o in ds.objects {
        for (_, p) in o.geometries {
            parts.extend(p.solids().iter().cloned().map(Part::Polyhedron));
        }
    }
    if parts.is_empty() {
        bail!("{spec}: no volume in the file");
    }
    Ok(Volume::new(parts))
}

pub fn run(a: &QueryArgs) -> anyhow::Result<ExitCode> {
    let ds = input::dataset(&a.input)?;
    input::refuse_findings(&ds, input::Strictness::Geometry)?;
    let opts = input::options(
        a.input.crs.as_deref(),
        a.input.height_datum.as_deref(),
        None,
    )?;
    let v = proposal(&a.volume, &opts)?;
    if let Some(c) = a.clearance
        && !(c.is_finite() && c >= 0.0)
    {
        bail!("--clearance {c}: expected a non-negative number of metres");
    }
    let r = query(&ds, &v, a.clearance, 0.001);
    if a.json {
        outln!("{}", serde_json::to_string_pretty(&r)?);
    } else {
        print(&r);
    }
    Ok(ExitCode::SUCCESS)
}

pub fn print(r: &QueryReport) {
    outln!("frame: {}", r.frame);
    outln!(
        "proposed volume {:.1} m³, elevations {:.2}–{:.2} m",
        r.proposal_volume_m3,
        r.proposal_bbox[2],
        r.proposal_bbox[5]
    );
    if r.intersects.is_empty() {
        outln!("it meets no registered unit");
    }
    for h in &r.intersects {
        outln!(
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
            "within {c} m without meeting it: {}",
            if r.within_clearance.is_empty() {
                "none"
            } else {
                ""
            }
        );
        for h in &r.within_clearance {
            outln!(
                "  {} ({}, {}): {:.2} m away",
                h.unit,
                h.stratum.unwrap_or("-"),
                h.holder.as_deref().unwrap_or("holder not given"),
                h.distance_m
            );
        }
    }
}
