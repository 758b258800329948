//! A proposed volume as a request gives it: a box or prism spec, a GeoJSON prism feature, a
//! CityJSON solid, or a tunnel (centreline, section and clearance). Every one passes the same
//! validation as a proposal on the command line before it is compared with registered rights.

use serde::Deserialize;
use serde_json::Value;

use crate::admit::{parse_volume_spec, read_proposal_file, validate_proposal};
use crate::checks::query::MAX_CLEARANCE_M;
use crate::geometry::tunnel::{self, Section, TunnelError, sweep};
use crate::geometry::{Part, Point3, Polyhedron, Volume};
use crate::io::ImportOptions;
use crate::validate::{Tolerances, check_bounds};

use super::ApiError;

/// One of the ways of giving a proposed volume; exactly one is given.
#[derive(Debug, Default, Deserialize)]
pub struct ProposalBody {
    /// `box:minx,miny,minz,maxx,maxy,maxz` or `prism:zbottom,ztop:x1 y1,x2 y2,…`.
    pub volume: Option<String>,
    /// A GeoJSON Feature (or FeatureCollection) of the survey profile: a footprint with its
    /// bottom and top elevations.
    pub geojson: Option<Value>,
    /// A CityJSON document whose city objects hold the proposed solid(s).
    pub cityjson: Option<Value>,
    /// A tunnel.
    pub tunnel: Option<TunnelBody>,
}

/// A tunnel: its centreline, its section and the clearance around it.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TunnelBody {
    centreline: Vec<[f64; 3]>,
    section: SectionBody,
    #[serde(default)]
    clearance: f64,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "lowercase", deny_unknown_fields)]
enum SectionBody {
    Circle { radius: f64 },
    Rectangle { width: f64, height: f64 },
}

/// The most points of a tunnel's centreline: a curve drawn every metre over ten kilometres.
const MAX_CENTRELINE_POINTS: usize = 10_000;

/// A proposal read and validated: its solid and, for a tunnel with a clearance, the solid of
/// its clearance envelope.
pub struct Proposed {
    pub volume: Volume,
    pub envelope: Option<Volume>,
}

/// `v`, checked to be a valid volume; `what` names the field in the error.
fn valid(v: Volume, what: &str) -> Result<Volume, ApiError> {
    match validate_proposal(&v, &Tolerances::default()).first() {
        Some(f) => Err(ApiError::bad_request(format!(
            "`{what}`: not a valid volume: {f}"
        ))),
        None => Ok(v),
    }
}

/// A box or prism spec.
pub fn spec(s: &str, what: &str) -> Result<Volume, ApiError> {
    match parse_volume_spec(s) {
        Some(v) => valid(
            v.map_err(|e| ApiError::bad_request(format!("`{what}`: {e}")))?,
            what,
        ),
        None => Err(ApiError::bad_request(format!(
            "`{what}`: box:minx,miny,minz,maxx,maxy,maxz or prism:zbottom,ztop:x1 y1,x2 y2,…"
        ))),
    }
}

/// A GeoJSON or CityJSON document, read by the same readers (and bounds) as a survey file:
/// through a private temporary file named for its format.
fn document(doc: &Value, suffix: &str, what: &str, crs: Option<u32>) -> Result<Volume, ApiError> {
    let fail = |e: &dyn std::fmt::Display| ApiError::internal(format!("`{what}`: {e}"));
    let dir = tempfile::tempdir().map_err(|e| fail(&e))?;
    let path = dir.path().join(format!("{what}{suffix}"));
    // A single feature is a survey file of one feature.
    let wrapped;
    let doc = if doc.get("type").and_then(Value::as_str) == Some("Feature") {
        wrapped = serde_json::json!({"type": "FeatureCollection", "features": [doc]});
        &wrapped
    } else {
        doc
    };
    let bytes = serde_json::to_vec(doc).map_err(|e| fail(&e))?;
    std::fs::write(&path, bytes).map_err(|e| fail(&e))?;
    let opts = ImportOptions {
        crs,
        ..ImportOptions::default()
    };
    let (v, _) = read_proposal_file(&path, &opts)
        .map_err(|e| ApiError::bad_request(e.message.replace(&path.display().to_string(), what)))?;
    valid(v, what)
}

/// The tunnel's solid and, with a clearance, the solid of its clearance envelope.
fn tunnel_volumes(t: &TunnelBody) -> Result<Proposed, ApiError> {
    if t.centreline.len() > MAX_CENTRELINE_POINTS {
        return Err(ApiError::bad_request(format!(
            "`tunnel.centreline`: {} points, more than {MAX_CENTRELINE_POINTS}",
            t.centreline.len()
        )));
    }
    if !(t.clearance.is_finite() && (0.0..=MAX_CLEARANCE_M).contains(&t.clearance)) {
        return Err(ApiError::bad_request(format!(
            "`tunnel.clearance`: metres from 0 to {MAX_CLEARANCE_M}"
        )));
    }
    let line: Vec<Point3> = t
        .centreline
        .iter()
        .map(|p| Point3::new(p[0], p[1], p[2]))
        .collect();
    let section = match t.section {
        SectionBody::Circle { radius } => Section::Circle { radius },
        SectionBody::Rectangle { width, height } => Section::Rectangle { width, height },
    };
    let solid = |p: Result<Polyhedron, TunnelError>| {
        p.map(|p| Volume::new(vec![Part::Polyhedron(p)]))
            .map_err(|e| ApiError::bad_request(format!("`tunnel`: {e}")))
    };
    // A straight tunnel is a prism over a convex section along one segment that `sweep`
    // checked to have length: closed, convex and valid by construction. A bent one may cross
    // itself, and is validated like any proposal.
    let straight = line.len() == 2;
    let checked = |v: Volume| match (straight, check_bounds(&v)) {
        (true, None) => Ok(v),
        _ => valid(v, "tunnel"),
    };
    let volume = checked(solid(sweep(&line, section))?)?;
    let envelope = if t.clearance > 0.0 {
        Some(checked(solid(tunnel::envelope(
            &line,
            section,
            t.clearance,
        ))?)?)
    } else {
        None
    };
    Ok(Proposed { volume, envelope })
}

impl ProposalBody {
    /// The proposal, read and validated; `crs` is the register's, for documents that name
    /// none.
    pub fn read(&self, crs: Option<u32>) -> Result<Proposed, ApiError> {
        let given = [
            self.volume.is_some(),
            self.geojson.is_some(),
            self.cityjson.is_some(),
            self.tunnel.is_some(),
        ];
        if given.iter().filter(|g| **g).count() != 1 {
            return Err(ApiError::bad_request(
                "give one of `volume`, `geojson`, `cityjson` and `tunnel`",
            ));
        }
        let only = |volume| Proposed {
            volume,
            envelope: None,
        };
        if let Some(s) = &self.volume {
            return Ok(only(spec(s, "volume")?));
        }
        if let Some(d) = &self.geojson {
            return Ok(only(document(d, ".geojson", "geojson", crs)?));
        }
        if let Some(d) = &self.cityjson {
            return Ok(only(document(d, ".city.json", "cityjson", crs)?));
        }
        match &self.tunnel {
            Some(t) => tunnel_volumes(t),
            None => Err(ApiError::bad_request("no proposal")),
        }
    }
}
