//! Ring and polygon levels: codes 101–104 and 201–208 for one face of a polyhedron.

use crate::geometry::kernel::{dominant_axis, drop_axis};
use crate::geometry::plane::newell_normal;
use crate::geometry::triangle::is_degenerate;
use crate::geometry::triangulate::triangulate_face;
use crate::geometry::{Face, Plane, Point3, Vector3};

use super::code::Code;
use super::finding::{Finding, Location};
use super::polygon2d::{P2, PolygonDefect, RingDefect, polygon_defect, ring_defect};
use super::tolerance::Tolerances;

/// Where a face is: its shell and its index in the shell (and the part, if any).
#[derive(Debug, Clone, Copy)]
pub(crate) struct FaceAt {
    pub shell: usize,
    pub face: usize,
}

impl FaceAt {
    fn loc(self) -> Location {
        Location::face(self.shell, self.face)
    }
    fn ring(self, ring: usize) -> Location {
        Location::ring(self.shell, self.face, ring)
    }
}

/// Checks one face. `raw` has the input's vertex indices (for 101), `face` the snapped ones
/// into `vertices`. On success returns the face's triangles (oriented like the face).
// The error is the face's finding, built at most once per face.
#[allow(clippy::result_large_err)]
pub(crate) fn check_face(
    vertices: &[Point3],
    raw: &Face,
    face: &Face,
    tol: &Tolerances,
    at: FaceAt,
) -> Result<Vec<[usize; 3]>, Finding> {
    check_rings(vertices, raw, face, tol, at)?;
    let ext = &face.rings[0];
    if face.rings.len() == 1 && ext.len() == 3 {
        let (a, b, c) = (&vertices[ext[0]], &vertices[ext[1]], &vertices[ext[2]]);
        if is_degenerate(a, b, c) {
            return Err(Finding::new(
                Code::RingSelfIntersection,
                at.ring(0),
                "the triangle is collapsed to a line",
            ));
        }
        return Ok(vec![[ext[0], ext[1], ext[2]]]);
    }
    let plane = planar(vertices, face, tol, at)?;
    let axis = dominant_axis(&plane.normal);
    let rings2d: Vec<Vec<P2>> = face
        .rings
        .iter()
        .map(|r| r.iter().map(|&i| drop_axis(&vertices[i], axis)).collect())
        .collect();
    for (k, r) in rings2d.iter().enumerate() {
        if let Some(d) = ring_defect(r) {
            let msg = match d {
                RingDefect::Collapsed => "the ring is collapsed to a line".to_string(),
                RingDefect::SelfIntersection { .. } => {
                    "the ring touches or crosses itself".to_string()
                }
            };
            return Err(Finding::new(Code::RingSelfIntersection, at.ring(k), msg));
        }
    }
    if let Some(d) = polygon_defect(&rings2d, true) {
        return Err(polygon_finding(d, at));
    }
    let tris = triangulate_face(vertices, face, &plane.normal).map_err(|e| {
        Finding::new(
            Code::RingSelfIntersection,
            at.loc(),
            format!("the face cannot be triangulated: {e}"),
        )
    })?;
    let deviation = normals_deviation_deg(vertices, &tris);
    if deviation > tol.planarity_normals_deg {
        return Err(Finding::new(
            Code::NonPlanarPolygonNormalsDeviation,
            at.loc(),
            format!(
                "the face's triangles deviate by {deviation:.2}° (tolerance {}°): a fold",
                tol.planarity_normals_deg
            ),
        ));
    }
    Ok(tris)
}

/// The ring level: a face with rings of at least three points (101) and no point repeated
/// in a row after snapping (102).
#[allow(clippy::result_large_err)]
fn check_rings(
    vertices: &[Point3],
    raw: &Face,
    face: &Face,
    tol: &Tolerances,
    at: FaceAt,
) -> Result<(), Finding> {
    if face.rings.is_empty() {
        return Err(Finding::new(
            Code::EmptyPrimitive,
            at.loc(),
            "the face has no ring",
        ));
    }
    if let Some((k, ring)) = raw.rings.iter().enumerate().find(|(_, r)| r.len() < 3) {
        return Err(Finding::new(
            Code::TooFewPoints,
            at.ring(k),
            format!(
                "the ring has {} point(s); a ring needs at least 3",
                ring.len()
            ),
        ));
    }
    for (k, ring) in face.rings.iter().enumerate() {
        let n = ring.len();
        if let Some(i) = (0..n).find(|&i| ring[i] == ring[(i + 1) % n]) {
            let p = vertices[ring[i]];
            return Err(Finding::new(
                Code::ConsecutivePointsSame,
                at.ring(k),
                format!(
                    "points {i} and {} are the same point (within the snap tolerance {} m) at ({:.3}, {:.3}, {:.3})",
                    (i + 1) % n,
                    tol.snap,
                    p.x,
                    p.y,
                    p.z
                ),
            ));
        }
    }
    Ok(())
}

/// The face's fitted plane, when every point lies within the planarity tolerance of it (203;
/// a face collapsed to a line is 104).
#[allow(clippy::result_large_err)]
fn planar(
    vertices: &[Point3],
    face: &Face,
    tol: &Tolerances,
    at: FaceAt,
) -> Result<Plane, Finding> {
    let all: Vec<Point3> = face.indices().map(|i| vertices[i]).collect();
    let hint: Vector3 = face
        .rings
        .iter()
        .map(|r| newell_normal(&r.iter().map(|&i| vertices[i]).collect::<Vec<_>>()))
        .sum();
    let Some(plane) = Plane::fit(&all, Some(&hint)) else {
        return Err(Finding::new(
            Code::RingSelfIntersection,
            at.ring(0),
            "the face is collapsed to a line",
        ));
    };
    let (worst, dist) = all
        .iter()
        .map(|p| plane.signed_distance(p).abs())
        .enumerate()
        .fold(
            (0, 0.0_f64),
            |acc, (i, d)| if d > acc.1 { (i, d) } else { acc },
        );
    if dist > tol.planarity_distance {
        let p = all[worst];
        return Err(Finding::new(
            Code::NonPlanarPolygonDistancePlane,
            at.loc(),
            format!(
                "point ({:.3}, {:.3}, {:.3}) lies {dist:.4} m from the fitted plane (tolerance {} m)",
                p.x, p.y, p.z, tol.planarity_distance
            ),
        ));
    }
    Ok(plane)
}

/// The largest angle (degrees) between the normal of the first triangle and any other.
fn normals_deviation_deg(vertices: &[Point3], tris: &[[usize; 3]]) -> f64 {
    let unit = |t: &[usize; 3]| {
        let (a, b, c) = (vertices[t[0]], vertices[t[1]], vertices[t[2]]);
        let n = (b - a).cross(&(c - a));
        let l = n.norm();
        (l > 0.0).then(|| n / l)
    };
    let mut normals = tris.iter().filter_map(unit);
    let Some(n0) = normals.next() else {
        return 0.0;
    };
    normals
        .map(|n| n0.cross(&n).norm().atan2(n0.dot(&n)).to_degrees())
        .fold(0.0, f64::max)
}

/// The finding for a polygon defect of a face.
fn polygon_finding(d: PolygonDefect, at: FaceAt) -> Finding {
    polygon_defect_finding(d, |k| at.ring(k), at.loc())
}

/// The finding for a polygon defect, with `ring` giving the location of a ring.
pub(crate) fn polygon_defect_finding(
    d: PolygonDefect,
    ring: impl Fn(usize) -> Location,
    whole: Location,
) -> Finding {
    match d {
        PolygonDefect::OrientationSame { ring: r } => Finding::new(
            Code::OrientationRingsSame,
            ring(r),
            "the hole runs in the same direction as the exterior ring",
        ),
        PolygonDefect::Duplicated { a, b } => Finding::new(
            Code::DuplicatedRings,
            ring(b),
            format!("rings {a} and {b} are identical"),
        ),
        PolygonDefect::Intersecting { a, b, at } => Finding::new(
            Code::IntersectionRings,
            ring(b),
            format!(
                "rings {a} and {b} intersect near ({:.3}, {:.3}) in the plane of the polygon",
                at[0], at[1]
            ),
        ),
        PolygonDefect::InnerOutside { ring: r } => Finding::new(
            Code::InnerRingOutside,
            ring(r),
            "the hole lies outside the exterior ring",
        ),
        PolygonDefect::Nested { outer, inner } => Finding::new(
            Code::InnerRingsNested,
            ring(inner),
            format!("hole {inner} lies inside hole {outer}"),
        ),
        PolygonDefect::Disconnected { at } => Finding::new(
            Code::InteriorDisconnected,
            whole,
            format!(
                "rings touching at ({:.3}, {:.3}) cut the interior of the polygon in pieces",
                at[0], at[1]
            ),
        ),
    }
}
