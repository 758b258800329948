//! Solid level: codes 401–405 for the shells of one solid, and 501–503 for the solids
//! (parts) of one unit.

use crate::geometry::TriMesh;
use crate::geometry::algorithm::overlaps_after_erosion;

use super::code::Code;
use super::finding::{Finding, Location};
use super::relation::{contact_cycles, relate, same_surface};
use super::tolerance::Tolerances;

/// Shared area below this (m²) is a touch along an edge, not a shared face: the square of the
/// snap tolerance, the smallest area survey coordinates can tell apart.
fn area_threshold(tol: &Tolerances) -> f64 {
    (tol.snap * tol.snap).max(1e-12)
}

/// Checks orientation and the interplay of shells. `shells[0]` is the outer shell; each shell
/// comes with its signed volume. All shells passed the shell checks.
pub(crate) fn check_solid(shells: &[TriMesh], signed: &[f64], tol: &Tolerances) -> Vec<Finding> {
    let mut out = Vec::new();
    for (i, &v) in signed.iter().enumerate() {
        let wrong = if i == 0 { v < 0.0 } else { v > 0.0 };
        if wrong {
            let msg = if i == 0 {
                "the faces of the outer shell point into the solid"
            } else {
                "the faces of the inner shell point into the material instead of into the cavity"
            };
            out.push(Finding::new(
                Code::WrongOrientationShell,
                Location::shell(i),
                msg,
            ));
        }
    }
    if !out.is_empty() || shells.len() < 2 {
        return out;
    }
    let thr = area_threshold(tol);
    let mut contact = Vec::new();
    for i in 1..shells.len() {
        let r = relate(&shells[i], &shells[0], true);
        if r.pierce || (r.a_in_b && r.a_out_b) {
            out.push(Finding::new(
                Code::IntersectionShells,
                Location::shell(i),
                format!("inner shell {i} crosses the outer shell"),
            ));
        } else if !r.a_in_b && r.a_out_b {
            if r.b_in_a || r.touch {
                out.push(Finding::new(
                    Code::IntersectionShells,
                    Location::shell(i),
                    format!("inner shell {i} and the outer shell meet from outside each other"),
                ));
            } else {
                out.push(Finding::new(
                    Code::InnerShellOutside,
                    Location::shell(i),
                    format!("inner shell {i} lies outside the outer shell"),
                ));
            }
        } else if r.shared_area > thr {
            out.push(Finding::new(
                Code::IntersectionShells,
                Location::shell(i),
                format!(
                    "inner shell {i} shares {:.4} m² of face with the outer shell",
                    r.shared_area
                ),
            ));
        } else {
            contact.extend(r.contact);
        }
    }
    for i in 1..shells.len() {
        for j in i + 1..shells.len() {
            if same_surface(&shells[i], &shells[j], tol.snap) {
                out.push(Finding::new(
                    Code::DuplicatedShells,
                    Location::shell(j),
                    format!("inner shells {i} and {j} are identical"),
                ));
                continue;
            }
            let r = relate(&shells[i], &shells[j], true);
            if r.interiors_meet() {
                out.push(Finding::new(
                    Code::IntersectionShells,
                    Location::shell(j),
                    format!("the cavities of inner shells {i} and {j} overlap"),
                ));
            } else if r.shared_area > thr {
                out.push(Finding::new(
                    Code::IntersectionShells,
                    Location::shell(j),
                    format!(
                        "inner shells {i} and {j} share {:.4} m² of face",
                        r.shared_area
                    ),
                ));
            } else {
                contact.extend(r.contact);
            }
        }
    }
    if out.is_empty() {
        let cycles = contact_cycles(&contact, tol.snap);
        if cycles > 0 {
            out.push(Finding::new(
                Code::SolidInteriorDisconnected,
                Location::default(),
                "the shells touch along closed curves that cut the interior of the solid in pieces",
            ));
        }
    }
    out
}

/// Whether two solids whose interiors meet overlap by more than the overlap tolerance: always
/// without one; with one, when they still overlap once each is eroded by it (val3dity's rule).
pub(crate) fn beyond_overlap_tolerance(a: &TriMesh, b: &TriMesh, tol: &Tolerances) -> bool {
    tol.overlap <= 0.0 || overlaps_after_erosion(a, b, tol.overlap)
}

/// Checks the solids of one unit or composite solid: their interiors must not overlap (501;
/// with an overlap tolerance, not after each is eroded by it, as val3dity does),
/// no two may be identical (502) and, with `must_connect`, they must form one piece through
/// shared faces (503). Each mesh is the outer shell of one valid solid.
pub(crate) fn check_parts(parts: &[TriMesh], tol: &Tolerances, must_connect: bool) -> Vec<Finding> {
    let mut out = Vec::new();
    let thr = area_threshold(tol);
    let mut uf = super::polygon2d::UnionFind::new(parts.len());
    // Candidate pairs from an R-tree over the parts' boxes, in the order of a double loop.
    let index = crate::index::BoxIndex::new(parts.iter().map(TriMesh::aabb).collect());
    for (i, j) in index.pairs(0.0) {
        let (i, j) = (i as usize, j as usize);
        if same_surface(&parts[i], &parts[j], tol.snap) {
            out.push(Finding::new(
                Code::DuplicatedSolids,
                Location::default().in_part(j),
                format!("parts {i} and {j} are identical"),
            ));
            continue;
        }
        let r = relate(&parts[i], &parts[j], false);
        if r.interiors_meet() && !beyond_overlap_tolerance(&parts[i], &parts[j], tol) {
            // An overlap within the tolerance: the parts are joined, as if they shared
            // the face they were meant to share.
            uf.union(i, j);
        } else if r.interiors_meet() {
            out.push(Finding::new(
                Code::IntersectionSolids,
                Location::default().in_part(j),
                format!("the interiors of parts {i} and {j} overlap"),
            ));
        } else if r.shared_area > thr {
            uf.union(i, j);
        }
    }
    if out.is_empty() && must_connect && parts.len() > 1 {
        let root = uf.find(0);
        if let Some(k) = (1..parts.len()).find(|&k| uf.find(k) != root) {
            out.push(Finding::new(
                Code::DisconnectedSolids,
                Location::default().in_part(k),
                format!("part {k} shares no face with the other parts"),
            ));
        }
    }
    out
}
