//! Validation of a polyhedron (a solid) and of surfaces, level by level.

use crate::geometry::mesh::MeshTriangle;
use crate::geometry::snap::snap_points;
use crate::geometry::{Face, Point3, Polyhedron, Shell, TriMesh};

use super::code::Code;
use super::face::{FaceAt, check_face};
use super::finding::{Finding, Location};
use super::shell::{check_self_intersection, check_topology};
use super::solid::check_solid;
use super::tolerance::Tolerances;

/// The outcome of validating one solid: its findings and, when it is valid, its triangulated
/// shells (snapped), ready for the checks between solids.
#[derive(Debug, Clone)]
pub(crate) struct SolidCheck {
    pub findings: Vec<Finding>,
    pub meshes: Option<Vec<TriMesh>>,
}

/// Finds a problem with the input before geometry: no shell, empty shells, bad indices,
/// coordinates that are not numbers.
fn input_problem(vertices: &[Point3], shells: &[&[Face]]) -> Option<Finding> {
    if shells.is_empty() || shells.iter().any(|s| s.is_empty()) || vertices.is_empty() {
        return Some(Finding::new(
            Code::EmptyPrimitive,
            Location::default(),
            "the geometry is empty (no vertices, no shell, or a shell without faces)",
        ));
    }
    for (si, faces) in shells.iter().enumerate() {
        for (fi, f) in faces.iter().enumerate() {
            if f.rings.is_empty() || f.rings.iter().all(Vec::is_empty) {
                return Some(Finding::new(
                    Code::EmptyPrimitive,
                    Location::face(si, fi),
                    "the face has no points",
                ));
            }
            for (ri, r) in f.rings.iter().enumerate() {
                for &i in r {
                    let Some(p) = vertices.get(i) else {
                        return Some(Finding::new(
                            Code::InvalidInputFile,
                            Location::ring(si, fi, ri),
                            format!(
                                "vertex index {i} does not exist (there are {} vertices)",
                                vertices.len()
                            ),
                        ));
                    };
                    if !(p.x.is_finite() && p.y.is_finite() && p.z.is_finite()) {
                        return Some(Finding::new(
                            Code::CoordinateNotFinite,
                            Location::ring(si, fi, ri),
                            format!("vertex {i} has a coordinate that is not a finite number"),
                        ));
                    }
                }
            }
        }
    }
    None
}

fn snapped_faces(faces: &[Face], map: &[usize]) -> Vec<Face> {
    faces
        .iter()
        .map(|f| Face {
            rings: f
                .rings
                .iter()
                .map(|r| r.iter().map(|&i| map[i]).collect())
                .collect(),
        })
        .collect()
}

/// Validates the faces of one shell and, with `topology`, the shell itself (`closed` for a
/// solid's shell). Returns the triangles when everything passed.
fn check_shell(
    points: &[Point3],
    raw: &[Face],
    faces: &[Face],
    shell: usize,
    tol: &Tolerances,
    topology: Option<bool>,
    out: &mut Vec<Finding>,
) -> Option<Vec<MeshTriangle>> {
    let mut tris = Vec::new();
    let mut ok = true;
    for (fi, (r, f)) in raw.iter().zip(faces).enumerate() {
        match check_face(points, r, f, tol, FaceAt { shell, face: fi }) {
            Ok(t) => tris.extend(t.into_iter().map(|v| MeshTriangle { v, shell, face: fi })),
            Err(e) => {
                out.push(e);
                ok = false;
            }
        }
    }
    if !ok {
        return None;
    }
    let Some(closed) = topology else {
        return Some(tris);
    };
    let topo = check_topology(points, faces, shell, closed);
    if !topo.is_empty() {
        out.extend(topo);
        return None;
    }
    let plain: Vec<[usize; 3]> = tris.iter().map(|t| t.v).collect();
    let face_of: Vec<usize> = tris.iter().map(|t| t.face).collect();
    let si = check_self_intersection(points, &plain, &face_of, shell);
    if !si.is_empty() {
        out.extend(si);
        return None;
    }
    Some(tris)
}

/// Validates a solid: every face (101–208), every shell (301–307), then the solid (401–405).
pub(crate) fn check_polyhedron(poly: &Polyhedron, tol: &Tolerances) -> SolidCheck {
    let shells: Vec<&[Face]> = poly.shells.iter().map(|s| s.faces.as_slice()).collect();
    if let Some(f) = input_problem(&poly.vertices, &shells) {
        return SolidCheck {
            findings: vec![f],
            meshes: None,
        };
    }
    let snapped = snap_points(&poly.vertices, tol.snap);
    let mut findings = Vec::new();
    let mut meshes = Vec::new();
    let mut signed = Vec::new();
    for (si, shell) in poly.shells.iter().enumerate() {
        let faces = snapped_faces(&shell.faces, &snapped.map);
        if let Some(tris) = check_shell(
            &snapped.points,
            &shell.faces,
            &faces,
            si,
            tol,
            Some(true),
            &mut findings,
        ) {
            let p = Polyhedron::new(snapped.points.clone(), vec![Shell { faces }]);
            signed.push(p.shell_signed_volume(&p.shells[0]));
            meshes.push(TriMesh::from_triangles(snapped.points.clone(), tris));
        }
    }
    if !findings.is_empty() {
        return SolidCheck {
            findings,
            meshes: None,
        };
    }
    let solid = check_solid(&meshes, &signed, tol);
    let valid = solid.is_empty();
    SolidCheck {
        findings: solid,
        meshes: valid.then_some(meshes),
    }
}

/// Validates a solid and returns every finding (empty when valid).
///
/// ```
/// use strata::geometry::{Point3, Polyhedron};
/// use strata::validate::{Tolerances, validate_polyhedron};
/// let mut cube = Polyhedron::cuboid(Point3::new(0.0, 0.0, 0.0), Point3::new(1.0, 1.0, 1.0));
/// assert!(validate_polyhedron(&cube, &Tolerances::default()).is_empty());
/// cube.shells[0].faces.pop(); // open the box
/// let f = validate_polyhedron(&cube, &Tolerances::default());
/// assert_eq!(f[0].code.number(), 302);
/// ```
pub fn validate_polyhedron(poly: &Polyhedron, tol: &Tolerances) -> Vec<Finding> {
    check_polyhedron(poly, tol).findings
}

/// How a set of surfaces is validated.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SurfaceKind {
    /// Independent polygons: ring and polygon checks only.
    MultiSurface,
    /// One connected, manifold, non-self-intersecting surface that need not be closed.
    CompositeSurface,
    /// A closed shell (as the outer shell of a solid, without the orientation check).
    Shell,
}

/// Validates surfaces given as faces over `vertices`.
pub fn validate_surfaces(
    vertices: &[Point3],
    faces: &[Face],
    kind: SurfaceKind,
    tol: &Tolerances,
) -> Vec<Finding> {
    if let Some(f) = input_problem(vertices, &[faces]) {
        return vec![f];
    }
    let snapped = snap_points(vertices, tol.snap);
    let sf = snapped_faces(faces, &snapped.map);
    let topology = match kind {
        SurfaceKind::MultiSurface => None,
        SurfaceKind::CompositeSurface => Some(false),
        SurfaceKind::Shell => Some(true),
    };
    let mut out = Vec::new();
    check_shell(&snapped.points, faces, &sf, 0, tol, topology, &mut out);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::geometry::Vector3;

    fn codes(f: &[Finding]) -> Vec<u16> {
        f.iter().map(|x| x.code.number()).collect()
    }

    fn cube() -> Polyhedron {
        Polyhedron::cuboid(Point3::new(0.0, 0.0, 0.0), Point3::new(1.0, 1.0, 1.0))
    }

    #[test]
    fn a_cube_is_valid_near_and_far() {
        let t = Tolerances::default();
        assert!(validate_polyhedron(&cube(), &t).is_empty());
        let far = cube().translated(&Vector3::new(474_412.345, 4_418_207.891, 20.0));
        assert!(validate_polyhedron(&far, &t).is_empty());
    }

    #[test]
    fn reversed_cube_is_405_and_one_reversed_face_is_307() {
        let t = Tolerances::default();
        let mut c = cube();
        c.shells[0] = c.shells[0].reversed();
        assert_eq!(codes(&validate_polyhedron(&c, &t)), vec![405]);
        let mut c = cube();
        c.shells[0].faces[2].rings[0].reverse();
        let f = validate_polyhedron(&c, &t);
        assert_eq!(codes(&f), vec![307]);
        assert_eq!(f[0].location.face, Some(2));
    }

    #[test]
    fn missing_face_is_302_and_few_faces_301() {
        let t = Tolerances::default();
        let mut c = cube();
        c.shells[0].faces.remove(0);
        assert_eq!(codes(&validate_polyhedron(&c, &t)), vec![302]);
        c.shells[0].faces.truncate(3);
        assert_eq!(codes(&validate_polyhedron(&c, &t)), vec![301]);
    }

    #[test]
    fn non_planar_face_is_203() {
        let t = Tolerances::default();
        let mut c = cube();
        // Lifting one corner keeps the two side faces through it planar; only the top bends.
        c.vertices[6].z += 0.05;
        let f = validate_polyhedron(&c, &t);
        assert_eq!(codes(&f), vec![203]);
        assert_eq!(f[0].location.face, Some(1));
    }
}
