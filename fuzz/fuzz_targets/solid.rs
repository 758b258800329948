//! Validation and the exact overlap of arbitrary polyhedra never panic: vertices on a small
//! grid (so that faces touch, coincide and cross often), faces of 0 to 6 vertex indices.
#![no_main]

use libfuzzer_sys::arbitrary::{self, Arbitrary};
use libfuzzer_sys::fuzz_target;
use strata::geometry::{Face, Point3, Polyhedron, Shell, TriMesh};

#[derive(Debug, Arbitrary)]
struct Input {
    vertices: Vec<(i8, i8, i8)>,
    faces: Vec<Vec<Vec<u8>>>,
    other: Vec<(i8, i8, i8)>,
}

fn polyhedron(v: &[(i8, i8, i8)], faces: &[Vec<Vec<u8>>]) -> Polyhedron {
    let vertices: Vec<Point3> = v.iter().take(24).map(|&(x, y, z)| Point3::new(x as f64 / 4.0, y as f64 / 4.0, z as f64 / 4.0)).collect();
    let n = vertices.len().max(1);
    let faces = faces
        .iter()
        .take(16)
        .map(|rings| Face {
            rings: rings.iter().take(3).map(|r| r.iter().take(8).map(|&i| i as usize % n).collect()).collect(),
        })
        .collect();
    Polyhedron::new(vertices, vec![Shell { faces }])
}

fuzz_target!(|input: Input| {
    let tol = strata::validate::Tolerances::default();
    let p = polyhedron(&input.vertices, &input.faces);
    let findings = strata::validate::validate_polyhedron(&p, &tol);
    if findings.is_empty() {
        let q = strata::geometry::Polyhedron::cuboid(
            Point3::new(0.0, 0.0, 0.0),
            Point3::new(
                1.0 + input.other.first().map(|o| o.0.unsigned_abs() as f64 / 8.0).unwrap_or(0.0),
                1.0,
                1.0,
            ),
        );
        if let (Ok(a), Ok(b)) = (TriMesh::new(&p), TriMesh::new(&q)) {
            let v = strata::geometry::algorithm::intersection_volume(&a, &b);
            assert!(v.is_finite() && v >= 0.0);
        }
    }
});
