//! Proposed volumes as planners write them on a command line or in a request: a box
//! `box:minx,miny,minz,maxx,maxy,maxz` or a prism `prism:zbottom,ztop:x1 y1,x2 y2,x3 y3,…`,
//! in metres in the dataset's frame; and the validation every proposal passes, from a spec or
//! from a file, before it is compared with registered rights.

use std::path::Path;

use geo::{LineString, Polygon};
use thiserror::Error;

use crate::diagnostics::{Code, Finding, Num, clip};
use crate::geometry::{Part, Point3, Polyhedron, Prism, Volume};
use crate::io::{ImportOptions, read_dataset};
use crate::model::Frame;
use crate::validate::{Tolerances, check_bounds, validate_volume};

/// Why a volume spec cannot be read.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error("{spec}: {message}")]
pub struct ProposalError {
    /// The spec, clipped for the message.
    pub spec: String,
    /// What is wrong.
    pub message: String,
}

fn err(spec: &str, message: impl Into<String>) -> ProposalError {
    ProposalError {
        spec: clip(spec).into_owned(),
        message: message.into(),
    }
}

/// Reads one number: finite, or an error naming the text.
fn number(spec: &str, text: &str) -> Result<f64, ProposalError> {
    match text.trim().parse::<f64>() {
        Ok(v) if v.is_finite() => Ok(v),
        Ok(v) => Err(err(spec, format!("{} is not a finite number", Num(v)))),
        Err(_) => Err(err(
            spec,
            format!("`{}` is not a number", clip(text.trim())),
        )),
    }
}

fn numbers(spec: &str, text: &str) -> Result<Vec<f64>, ProposalError> {
    text.split(',').map(|x| number(spec, x)).collect()
}

/// Reads a `box:` or `prism:` spec; `None` when `spec` is neither (a file name).
///
/// ```
/// use strata::admit::parse_volume_spec;
/// use strata::geometry::algorithm::SolidVolume;
/// let v = parse_volume_spec("box:0,0,-10,20,10,-4").unwrap().unwrap();
/// assert_eq!(v.volume_m3(), 1200.0);
/// assert!(parse_volume_spec("box:0,0,-10,NaN,10,-4").unwrap().is_err());
/// assert!(parse_volume_spec("tunnel.geojson").is_none());
/// ```
pub fn parse_volume_spec(spec: &str) -> Option<Result<Volume, ProposalError>> {
    if let Some(b) = spec.strip_prefix("box:") {
        return Some(parse_box(spec, b));
    }
    spec.strip_prefix("prism:").map(|p| parse_prism(spec, p))
}

fn parse_box(spec: &str, text: &str) -> Result<Volume, ProposalError> {
    let v = numbers(spec, text)?;
    if v.len() != 6 {
        return Err(err(
            spec,
            format!(
                "expected 6 numbers minx,miny,minz,maxx,maxy,maxz, found {}",
                v.len()
            ),
        ));
    }
    if v[0] >= v[3] || v[1] >= v[4] || v[2] >= v[5] {
        return Err(err(spec, "each minimum must be below its maximum"));
    }
    Ok(Volume::from(Polyhedron::cuboid(
        Point3::new(v[0], v[1], v[2]),
        Point3::new(v[3], v[4], v[5]),
    )))
}

fn parse_prism(spec: &str, text: &str) -> Result<Volume, ProposalError> {
    let (z, ring) = text
        .split_once(':')
        .ok_or_else(|| err(spec, "expected prism:zbottom,ztop:x1 y1,x2 y2,x3 y3,..."))?;
    let z = numbers(spec, z)?;
    if z.len() != 2 || z[0] >= z[1] {
        return Err(err(spec, "expected zbottom,ztop with zbottom below ztop"));
    }
    let mut pts = Vec::new();
    for xy in ring.split(',') {
        let c: Vec<&str> = xy.split_whitespace().collect();
        match c.as_slice() {
            [x, y] => pts.push((number(spec, x)?, number(spec, y)?)),
            _ => {
                return Err(err(
                    spec,
                    format!("`{}`: expected a point `x y`", clip(xy.trim())),
                ));
            }
        }
    }
    if pts.len() < 3 {
        return Err(err(spec, "a footprint needs at least 3 points"));
    }
    pts.push(pts[0]);
    Ok(Volume::from(Prism::new(
        Polygon::new(LineString::from(pts), vec![]),
        z[0],
        z[1],
    )))
}

/// The proposed volume a survey file holds (every unit's and city object's solids, as one
/// volume), with the file's frame. A proposal has no unit code yet; every other error of the
/// file refuses it, named as the readers name it (file, feature, field).
pub fn read_proposal_file(
    path: &Path,
    opts: &ImportOptions,
) -> Result<(Volume, Frame), ProposalError> {
    let name = path.display().to_string();
    let ds = read_dataset(&[path.to_path_buf()], opts).map_err(|e| err(&name, e.to_string()))?;
    let mut parts: Vec<Part> = Vec::new();
    let mut findings: Vec<Finding> = Vec::new();
    for u in ds.units {
        findings.extend(
            u.findings
                .into_iter()
                .filter(|f| f.is_error() && f.code != Code::UnitCodeMissing),
        );
        parts.extend(u.volume.parts);
    }
    for o in ds.objects {
        for (_, p) in o.geometries {
            parts.extend(p.solids().iter().cloned().map(Part::Polyhedron));
        }
    }
    findings.extend(ds.findings.into_iter().filter(Finding::is_error));
    if let Some(f) = findings.first() {
        return Err(err(&name, f.to_string()));
    }
    if parts.is_empty() {
        return Err(err(&name, "no volume in the file"));
    }
    Ok((Volume::new(parts), ds.frame))
}

/// The errors of a proposed volume: numbers no survey holds, then its geometry validated as a
/// unit's volume is (a valid footprint, a closed solid, parts that do not overlap).
pub fn validate_proposal(v: &Volume, tol: &Tolerances) -> Vec<Finding> {
    if let Some(f) = check_bounds(v) {
        return vec![f];
    }
    validate_volume(v, tol)
        .into_iter()
        .filter(Finding::is_error)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn specs_are_read_or_refused_with_a_reason() {
        assert!(parse_volume_spec("box:0,0,0,1,1,1").unwrap().is_ok());
        for bad in [
            "box:0,0,0,1,1",
            "box:0,0,0,1,1,inf",
            "box:1,0,0,0,1,1",
            "box:0,0,0,1,1,x",
            "prism:0,1:0 0,1 0",
            "prism:1,0:0 0,1 0,1 1",
            "prism:0,1:0 0,1 0,1 NaN",
            "prism:0,1",
        ] {
            assert!(parse_volume_spec(bad).unwrap().is_err(), "{bad}");
        }
        let bow_tie = parse_volume_spec("prism:0,1:0 0,1 1,1 0,0 1")
            .unwrap()
            .unwrap();
        let f = validate_proposal(&bow_tie, &Tolerances::default());
        assert_eq!(f[0].code.number(), 104);
        let far = parse_volume_spec("box:0,0,0,1,1,1e308").unwrap().unwrap();
        assert_eq!(
            validate_proposal(&far, &Tolerances::default())[0]
                .code
                .number(),
            818
        );
    }
}
