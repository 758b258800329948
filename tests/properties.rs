//! Geometry invariants as property tests: measures do not depend on where the volume is or
//! how its rings are listed, the polyhedral form of a prism is a valid solid of the same
//! volume, and point location agrees with the analytic answer.

use geo::{LineString, Polygon};
use proptest::prelude::*;
use strata::geometry::algorithm::{ContainsPoint3, SolidVolume, ToPolyhedra};
use strata::geometry::{Point3, PointLocation, Polyhedron, Prism, TriMesh, Vector3};
use strata::validate::{Tolerances, validate_polyhedron, validate_prism};

/// A convex polygon: points on an ellipse at sorted random angles (at least 3 distinct).
fn convex_footprint() -> impl Strategy<Value = Vec<(f64, f64)>> {
    (
        prop::collection::btree_set(0u32..3600, 3..24),
        5.0f64..200.0,
        5.0f64..200.0,
    )
        .prop_map(|(angles, a, b)| {
            angles
                .into_iter()
                .map(|t| {
                    let r = (t as f64 / 10.0).to_radians();
                    (
                        (a * r.cos() * 1000.0).round() / 1000.0,
                        (b * r.sin() * 1000.0).round() / 1000.0,
                    )
                })
                .collect()
        })
}

fn shoelace(pts: &[(f64, f64)]) -> f64 {
    let n = pts.len();
    (0..n)
        .map(|i| {
            let (a, b) = (pts[i], pts[(i + 1) % n]);
            a.0 * b.1 - a.1 * b.0
        })
        .sum::<f64>()
        .abs()
        / 2.0
}

/// CGCS2000 Gauss-Krüger coordinates of Beijing, roughly.
fn far() -> impl Strategy<Value = Vector3> {
    (
        400_000.0f64..600_000.0,
        4_300_000.0f64..4_500_000.0,
        -50.0f64..100.0,
    )
        .prop_map(|(e, n, z)| Vector3::new(e.round(), n.round(), z.round()))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn prism_volume_is_area_times_height_anywhere(pts in convex_footprint(), zb in -40.0f64..40.0, h in 0.5f64..30.0, off in far()) {
        let mut ring: Vec<(f64, f64)> = pts.iter().map(|(x, y)| (x + off.x, y + off.y)).collect();
        ring.push(ring[0]);
        let prism = Prism::new(Polygon::new(LineString::from(ring), vec![]), zb, zb + h);
        let expected = shoelace(&pts) * h;
        prop_assert!((prism.volume_m3() - expected).abs() <= 1e-6 * expected.max(1.0));
        prop_assert!(validate_prism(&prism, &Tolerances::default()).is_empty());
        // The polyhedral form is a valid closed solid of the same volume.
        let poly = &prism.to_polyhedra()[0];
        prop_assert!((poly.volume_m3() - expected).abs() <= 1e-6 * expected.max(1.0), "{} vs {}", poly.volume_m3(), expected);
        let f = validate_polyhedron(poly, &Tolerances::default());
        prop_assert!(f.is_empty(), "{:?}", f);
    }

    #[test]
    fn reversing_ring_order_keeps_the_answer(pts in convex_footprint(), h in 0.5f64..30.0) {
        let mut ring: Vec<(f64, f64)> = pts.clone();
        ring.push(ring[0]);
        let a = Prism::new(Polygon::new(LineString::from(ring.clone()), vec![]), 0.0, h);
        ring.reverse();
        let b = Prism::new(Polygon::new(LineString::from(ring), vec![]), 0.0, h);
        prop_assert!((a.volume_m3() - b.volume_m3()).abs() < 1e-9 * a.volume_m3().max(1.0));
        prop_assert!(validate_prism(&b, &Tolerances::default()).is_empty());
        prop_assert!(validate_polyhedron(&b.to_polyhedra()[0], &Tolerances::default()).is_empty());
    }

    #[test]
    fn box_volume_validity_and_orientation(dx in 0.5f64..300.0, dy in 0.5f64..300.0, dz in 0.5f64..30.0, off in far(), start in 0usize..4) {
        let mut p = Polyhedron::cuboid(Point3::origin(), Point3::new(dx, dy, dz)).translated(&off);
        // Starting every ring at another vertex changes nothing.
        for f in &mut p.shells[0].faces {
            let n = f.rings[0].len();
            f.rings[0].rotate_left(start % n);
        }
        prop_assert!((p.volume_m3() - dx * dy * dz).abs() <= 1e-6 * (dx * dy * dz).max(1.0));
        prop_assert!(validate_polyhedron(&p, &Tolerances::default()).is_empty());
        let mut r = p.clone();
        r.shells[0] = r.shells[0].reversed();
        let f = validate_polyhedron(&r, &Tolerances::default());
        prop_assert_eq!(f.iter().map(|x| x.code.number()).collect::<Vec<_>>(), vec![405]);
    }

    #[test]
    fn point_location_in_a_box_is_analytic(dx in 1.0f64..50.0, dy in 1.0f64..50.0, dz in 1.0f64..20.0,
                                           fx in -0.5f64..1.5, fy in -0.5f64..1.5, fz in -0.5f64..1.5, off in far()) {
        let p = Polyhedron::cuboid(Point3::origin(), Point3::new(dx, dy, dz)).translated(&off);
        let mesh = TriMesh::new(&p).unwrap();
        let q = Point3::new(off.x + fx * dx, off.y + fy * dy, off.z + fz * dz);
        let inside = |f: f64| f > 0.0 && f < 1.0;
        let outside = |f: f64| !(0.0..=1.0).contains(&f);
        let expected = if inside(fx) && inside(fy) && inside(fz) {
            Some(PointLocation::Inside)
        } else if outside(fx) || outside(fy) || outside(fz) {
            Some(PointLocation::Outside)
        } else {
            None
        };
        if let Some(e) = expected {
            prop_assert_eq!(mesh.locate(&q), e);
            prop_assert_eq!(p.locate_point(&q), e);
        }
    }
}

#[test]
fn points_on_faces_edges_and_corners_are_on_the_boundary() {
    let off = Vector3::new(474_412.345, 4_418_207.891, -12.5);
    let p = Polyhedron::cuboid(Point3::origin(), Point3::new(4.0, 2.0, 1.0)).translated(&off);
    let m = TriMesh::new(&p).unwrap();
    for q in [
        [0.0, 1.0, 0.5],
        [2.0, 0.0, 0.5],
        [2.0, 1.0, 1.0],
        [4.0, 2.0, 1.0],
        [0.0, 0.0, 0.0],
        [4.0, 1.0, 0.0],
    ] {
        let pt = Point3::new(q[0], q[1], q[2]) + off;
        assert_eq!(m.locate(&pt), PointLocation::Boundary, "{q:?}");
    }
}
