//! Validation of prisms, of a unit's volume (its parts together) and of primitives.

use geo::Polygon;

use crate::geometry::algorithm::ToPolyhedra;
use crate::geometry::{Part, Primitive, Prism, TriMesh, Volume};

use crate::diagnostics::Num;

use super::code::{Code, Severity};
use super::face::polygon_defect_finding;
use super::finding::{Finding, Location};
use super::polygon2d::{P2, RingDefect, polygon_defect, ring_defect};
use super::polyhedron::{SurfaceKind, check_polyhedron, validate_surfaces};
use super::solid::check_parts;
use super::tolerance::Tolerances;

/// Validates a prism: its elevations (804/805/813) and its footprint as a polygon
/// (101, 102, 104, 201–207; ring orientation is free, as RFC 7946 readers must accept).
///
/// ```
/// use geo::polygon;
/// use strata::geometry::Prism;
/// use strata::validate::{Tolerances, validate_prism};
/// let ok = Prism::new(polygon![(x: 0.0, y: 0.0), (x: 9.0, y: 0.0), (x: 9.0, y: 4.0)], -8.0, -0.5);
/// assert!(validate_prism(&ok, &Tolerances::default()).is_empty());
/// let upside_down = Prism::new(ok.footprint.clone(), -0.5, -8.0);
/// assert_eq!(validate_prism(&upside_down, &Tolerances::default())[0].code.number(), 805);
/// ```
pub fn validate_prism(p: &Prism, tol: &Tolerances) -> Vec<Finding> {
    let mut out = Vec::new();
    if !p.z_bottom.is_finite() || !p.z_top.is_finite() {
        out.push(Finding::new(
            Code::CoordinateNotFinite,
            Location::default(),
            "an elevation is not a finite number",
        ));
        return out;
    }
    if p.z_top <= p.z_bottom {
        out.push(Finding::new(
            Code::ElevationOrder,
            Location::default(),
            format!(
                "z_top {} m is not above z_bottom {} m",
                Num(p.z_top),
                Num(p.z_bottom)
            ),
        ));
    }
    out.extend(validate_footprint(&p.footprint, tol));
    out
}

/// Validates a footprint polygon (of a prism, or of a plot): 101, 102, 104, 201–207, 813; ring
/// orientation is free, as RFC 7946 readers must accept.
pub fn validate_footprint(footprint: &Polygon<f64>, tol: &Tolerances) -> Vec<Finding> {
    let mut out = Vec::new();
    let rings: Vec<Vec<P2>> = std::iter::once(footprint.exterior())
        .chain(footprint.interiors())
        .map(|ls| {
            let mut r: Vec<P2> = ls.0.iter().map(|c| [c.x, c.y]).collect();
            if r.len() > 1 && r.first() == r.last() {
                r.pop();
            }
            r
        })
        .collect();
    let ring_loc = |k: usize| Location {
        ring: Some(k),
        ..Default::default()
    };
    if rings[0].is_empty() {
        out.push(Finding::new(
            Code::EmptyPrimitive,
            ring_loc(0),
            "the footprint has no points",
        ));
        return out;
    }
    for (k, r) in rings.iter().enumerate() {
        if r.iter().any(|c| !c[0].is_finite() || !c[1].is_finite()) {
            out.push(Finding::new(
                Code::CoordinateNotFinite,
                ring_loc(k),
                "a coordinate is not a finite number",
            ));
            return out;
        }
        if r.len() < 3 {
            out.push(Finding::new(
                Code::TooFewPoints,
                ring_loc(k),
                format!(
                    "the ring has {} distinct point(s); a ring needs at least 3",
                    r.len()
                ),
            ));
            return out;
        }
        let n = r.len();
        if let Some(i) = (0..n).find(|&i| {
            let (a, b) = (r[i], r[(i + 1) % n]);
            ((a[0] - b[0]).powi(2) + (a[1] - b[1]).powi(2)).sqrt() <= tol.snap
        }) {
            out.push(Finding::new(
                Code::ConsecutivePointsSame,
                ring_loc(k),
                format!(
                    "points {i} and {} are the same boundary point (within {} m) at ({:.3}, {:.3})",
                    (i + 1) % n,
                    tol.snap,
                    r[i][0],
                    r[i][1]
                ),
            ));
            return out;
        }
        if let Some(d) = ring_defect(r) {
            let msg = match d {
                RingDefect::Collapsed => "the ring is collapsed to a line".to_string(),
                RingDefect::SelfIntersection { at } => format!(
                    "the ring touches or crosses itself near ({:.3}, {:.3})",
                    at[0], at[1]
                ),
            };
            out.push(Finding::new(Code::RingSelfIntersection, ring_loc(k), msg));
            return out;
        }
    }
    if let Some(d) = polygon_defect(&rings, false) {
        out.push(polygon_defect_finding(d, ring_loc, Location::default()));
    }
    out
}

/// How the solids of a volume relate to each other.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PartsRule {
    /// No relation is checked (a MultiSolid).
    Independent,
    /// Interiors must not overlap (501, 502); a volume in several pieces gets a warning (503).
    /// The rule for the parts of a unit.
    Disjoint,
    /// Interiors must not overlap and the solids must form one piece (a CompositeSolid).
    Composite,
}

fn in_part(mut f: Finding, k: usize) -> Finding {
    f.location.part = Some(k);
    f
}

/// Validates solids as parts of one volume: each one on its own, then together by `rule`.
fn validate_parts(parts: &[Part], rule: PartsRule, tol: &Tolerances) -> Vec<Finding> {
    let mut out = Vec::new();
    let mut meshes: Vec<Option<TriMesh>> = Vec::new();
    let many = parts.len() > 1;
    for (k, part) in parts.iter().enumerate() {
        let tag = |f: Finding| if many { in_part(f, k) } else { f };
        match part {
            Part::Prism(p) => {
                let f = validate_prism(p, tol);
                let ok = f.is_empty();
                out.extend(f.into_iter().map(tag));
                meshes.push(if ok && rule != PartsRule::Independent && many {
                    p.to_polyhedra()
                        .first()
                        .and_then(|poly| TriMesh::new(poly).ok())
                } else {
                    None
                });
            }
            Part::Polyhedron(p) => {
                let c = check_polyhedron(p, tol);
                out.extend(c.findings.into_iter().map(tag));
                meshes.push(
                    c.meshes
                        .and_then(|mut m| (!m.is_empty()).then(|| m.swap_remove(0))),
                );
            }
        }
    }
    if rule == PartsRule::Independent || !many || meshes.iter().any(Option::is_none) {
        return out;
    }
    let meshes: Vec<TriMesh> = meshes.into_iter().flatten().collect();
    let mut rel = check_parts(&meshes, tol, true);
    if rule == PartsRule::Disjoint {
        for f in &mut rel {
            if f.code == Code::DisconnectedSolids {
                f.severity = Severity::Warning;
                f.message
                    .push_str(" (the unit's volume is in several pieces)");
            }
        }
    }
    out.extend(rel);
    out
}

/// Validates the volume of a unit: every part, then the parts together (they must not
/// overlap; a volume in several pieces is a warning).
pub fn validate_volume(v: &Volume, tol: &Tolerances) -> Vec<Finding> {
    if v.is_empty() {
        return vec![Finding::new(
            Code::EmptyPrimitive,
            Location::default(),
            "the unit has no volume",
        )];
    }
    validate_parts(&v.parts, PartsRule::Disjoint, tol)
}

/// Validates a primitive as val3dity does for its type.
pub fn validate_primitive(p: &Primitive, tol: &Tolerances) -> Vec<Finding> {
    match p {
        Primitive::MultiSurface(s) => {
            validate_surfaces(&s.vertices, &s.faces, SurfaceKind::MultiSurface, tol)
        }
        Primitive::CompositeSurface(s) => {
            validate_surfaces(&s.vertices, &s.faces, SurfaceKind::CompositeSurface, tol)
        }
        Primitive::Solid(s) => check_polyhedron(s, tol).findings,
        Primitive::MultiSolid(v) | Primitive::CompositeSolid(v) => {
            if v.is_empty() {
                return vec![Finding::new(
                    Code::EmptyPrimitive,
                    Location::default(),
                    format!("the {} has no solid", p.type_name()),
                )];
            }
            let rule = if matches!(p, Primitive::CompositeSolid(_)) {
                PartsRule::Composite
            } else {
                PartsRule::Independent
            };
            let parts: Vec<Part> = v.iter().cloned().map(Part::Polyhedron).collect();
            validate_parts(&parts, rule, tol)
        }
    }
}
