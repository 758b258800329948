//! Exact overlap volumes against analytic values and against the independent prism path
//! (2D intersection area × vertical overlap): boxes, rotated rectangles, L-shapes, holes,
//! stacked layers that only touch, ramps, cavities, coplanar faces, and invariants.

use geo::{Area, BooleanOps, LineString, Polygon, polygon};
use proptest::prelude::*;
use strata::geometry::algorithm::{ToPolyhedra, intersection_measures, intersection_volume};
use strata::geometry::{Face, Point3, Polyhedron, Prism, Shell, TriMesh, Vector3};

fn mesh(p: &Polyhedron) -> TriMesh {
    TriMesh::new(p).unwrap()
}

fn prism_mesh(fp: Polygon<f64>, zb: f64, zt: f64) -> TriMesh {
    mesh(&Prism::new(fp, zb, zt).to_polyhedra()[0])
}

fn square(c: (f64, f64), half: f64, angle_deg: f64) -> Polygon<f64> {
    let a = angle_deg.to_radians();
    let pts: Vec<(f64, f64)> = [
        (-1.0, -1.0),
        (1.0, -1.0),
        (1.0, 1.0),
        (-1.0, 1.0),
        (-1.0, -1.0),
    ]
    .iter()
    .map(|(x, y)| {
        (
            c.0 + half * (x * a.cos() - y * a.sin()),
            c.1 + half * (x * a.sin() + y * a.cos()),
        )
    })
    .collect();
    Polygon::new(LineString::from(pts), vec![])
}

#[test]
fn rotated_squares_overlap_in_a_regular_octagon() {
    // [-1,1]² and the same square turned 45°: a regular octagon of area 8(√2 − 1).
    let (e, n) = (474_000.0, 4_418_000.0);
    let a = prism_mesh(square((e, n), 1.0, 0.0), -8.5, -0.5);
    let b = prism_mesh(square((e, n), 1.0, 45.0), -6.0, 2.0);
    let octagon = 8.0 * (2f64.sqrt() - 1.0);
    let v = intersection_volume(&a, &b);
    assert!((v - octagon * 5.5).abs() < 1e-6, "{v}");
    assert!((intersection_volume(&b, &a) - v).abs() < 1e-9);
}

#[test]
fn l_shape_with_a_hole_against_a_box() {
    let l = polygon!(
        exterior: [(x: 0.0, y: 0.0), (x: 30.0, y: 0.0), (x: 30.0, y: 10.0), (x: 10.0, y: 10.0), (x: 10.0, y: 30.0), (x: 0.0, y: 30.0)],
        interiors: [[(x: 2.0, y: 2.0), (x: 2.0, y: 5.0), (x: 4.0, y: 5.0), (x: 4.0, y: 2.0)]],
    );
    let a = prism_mesh(l, 0.0, 6.0);
    // A box over x 0..20, y 0..20, z 3..10: covers the L's arms x 0..20,y 0..10 and x 0..10,y 10..20
    // (200 + 100 m²) minus the hole (6 m²), over z 3..6.
    let b = prism_mesh(
        polygon![(x: 0.0, y: 0.0), (x: 20.0, y: 0.0), (x: 20.0, y: 20.0), (x: 0.0, y: 20.0)],
        3.0,
        10.0,
    );
    assert!((intersection_volume(&a, &b) - 294.0 * 3.0).abs() < 1e-6);
}

/// A wedge: 40 m long (x), 8 m wide (y), rising from z = 0 at x = 0 to 8.5 m at x = 40.
fn ramp() -> Polyhedron {
    let v = vec![
        Point3::new(0.0, 0.0, 0.0),
        Point3::new(40.0, 0.0, 0.0),
        Point3::new(40.0, 8.0, 0.0),
        Point3::new(0.0, 8.0, 0.0),
        Point3::new(40.0, 0.0, 8.5),
        Point3::new(40.0, 8.0, 8.5),
    ];
    let faces = vec![
        Face::new(vec![0, 3, 2, 1]),
        Face::new(vec![0, 1, 4]),
        Face::new(vec![3, 5, 2]),
        Face::new(vec![1, 2, 5, 4]),
        Face::new(vec![0, 4, 5, 3]),
    ];
    Polyhedron::new(v, vec![Shell { faces }])
}

#[test]
fn ramp_against_layers() {
    let r = mesh(&ramp());
    // The layer z 0..4.25 over the whole ramp: the wedge below half height is the full length
    // minus the upper wedge: 1360 − ½·20·4.25·8 = 1360 − 340 = 1020 m³.
    let low = prism_mesh(
        polygon![(x: -5.0, y: -5.0), (x: 50.0, y: -5.0), (x: 50.0, y: 20.0), (x: -5.0, y: 20.0)],
        0.0,
        4.25,
    );
    assert!((intersection_volume(&r, &low) - 1020.0).abs() < 1e-6);
    // A box x 30..40 (the last quarter), full height: ½·(6.375 + 8.5)·10·8 = 595 m³.
    let end = prism_mesh(
        polygon![(x: 30.0, y: -1.0), (x: 45.0, y: -1.0), (x: 45.0, y: 9.0), (x: 30.0, y: 9.0)],
        -1.0,
        20.0,
    );
    assert!((intersection_volume(&r, &end) - 595.0).abs() < 1e-6);
    // The slab right above the ramp's top edge touches it along an edge only.
    let above = prism_mesh(
        polygon![(x: 40.0, y: 0.0), (x: 50.0, y: 0.0), (x: 50.0, y: 8.0), (x: 40.0, y: 8.0)],
        0.0,
        8.5,
    );
    assert_eq!(intersection_volume(&r, &above), 0.0);
}

#[test]
fn a_solid_with_a_cavity() {
    let mut p = Polyhedron::cuboid(Point3::new(0.0, 0.0, 0.0), Point3::new(10.0, 10.0, 10.0));
    let cav = Polyhedron::cuboid(Point3::new(2.0, 2.0, 2.0), Point3::new(8.0, 8.0, 8.0));
    let off = p.vertices.len();
    p.vertices.extend(cav.vertices);
    let mut s = cav.shells[0].reversed();
    for f in &mut s.faces {
        for r in &mut f.rings {
            r.iter_mut().for_each(|i| *i += off);
        }
    }
    p.shells.push(s);
    let a = mesh(&p);
    // A column through the middle: 4×4 over z 0..10 minus the cavity part 4×4×6.
    let col = prism_mesh(
        polygon![(x: 3.0, y: 3.0), (x: 7.0, y: 3.0), (x: 7.0, y: 7.0), (x: 3.0, y: 7.0)],
        -1.0,
        11.0,
    );
    assert!((intersection_volume(&a, &col) - (160.0 - 96.0)).abs() < 1e-9);
    // Exactly the cavity: nothing shared (it touches the cavity's walls).
    let inside = mesh(&Polyhedron::cuboid(
        Point3::new(2.0, 2.0, 2.0),
        Point3::new(8.0, 8.0, 8.0),
    ));
    assert!(intersection_volume(&a, &inside).abs() < 1e-9);
}

#[test]
fn coplanar_faces_and_shared_walls() {
    // Same footprint, overlapping z: shares the four walls' planes.
    let fp = polygon![(x: 0.0, y: 0.0), (x: 10.0, y: 0.0), (x: 10.0, y: 6.0), (x: 0.0, y: 6.0)];
    let a = prism_mesh(fp.clone(), 0.0, 6.0);
    let b = prism_mesh(fp.clone(), 4.0, 9.0);
    assert!((intersection_volume(&a, &b) - 120.0).abs() < 1e-9);
    // Half the footprint, same z: shares the bottom, top and three walls.
    let half = prism_mesh(
        polygon![(x: 0.0, y: 0.0), (x: 5.0, y: 0.0), (x: 5.0, y: 6.0), (x: 0.0, y: 6.0)],
        0.0,
        6.0,
    );
    assert!((intersection_volume(&a, &half) - 180.0).abs() < 1e-9);
    let m = intersection_measures(&a, &half);
    assert!((m.surface_area - 2.0 * (30.0 + 30.0 + 36.0)).abs() < 1e-9);
}

fn rect(x0: f64, y0: f64, w: f64, h: f64, angle: f64) -> Polygon<f64> {
    let a = angle.to_radians();
    let pts: Vec<(f64, f64)> = [(0.0, 0.0), (w, 0.0), (w, h), (0.0, h), (0.0, 0.0)]
        .iter()
        .map(|(x, y)| {
            (
                x0 + x * a.cos() - y * a.sin(),
                y0 + x * a.sin() + y * a.cos(),
            )
        })
        .collect();
    Polygon::new(LineString::from(pts), vec![])
}

fn far() -> impl Strategy<Value = Vector3> {
    (400_000.0f64..600_000.0, 4_300_000.0f64..4_500_000.0)
        .prop_map(|(e, n)| Vector3::new(e.round(), n.round(), 0.0))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    /// The polyhedral path equals an independent oracle (the area of the footprints'
    /// intersection by geo's boolean operations, which share no code with Strata's clipping,
    /// × the vertical overlap), is symmetric, is at most the smaller volume and does not move
    /// with the solids.
    #[test]
    fn polyhedral_overlap_equals_area_times_height(
        x0 in -20.0f64..20.0, y0 in -20.0f64..20.0, w0 in 1.0f64..30.0, h0 in 1.0f64..30.0, a0 in 0.0f64..90.0,
        x1 in -20.0f64..20.0, y1 in -20.0f64..20.0, w1 in 1.0f64..30.0, h1 in 1.0f64..30.0, a1 in 0.0f64..90.0,
        zb0 in -10.0f64..0.0, zt0 in 0.5f64..10.0, zb1 in -10.0f64..0.0, zt1 in 0.5f64..10.0, off in far(),
    ) {
        let r0 = rect(x0, y0, w0, h0, a0);
        let r1 = rect(x1, y1, w1, h1, a1);
        let area = r0.intersection(&r1).unsigned_area();
        let dz = (zt0.min(zt1) - zb0.max(zb1)).max(0.0);
        let expected = area * dz;
        let ma = prism_mesh(r0, zb0, zt0);
        let mb = prism_mesh(r1, zb1, zt1);
        let v = intersection_volume(&ma, &mb);
        let tol = 1e-7 * (w0 * h0 * (zt0 - zb0)).max(1.0);
        prop_assert!((v - expected).abs() <= tol, "{} vs {}", v, expected);
        prop_assert!((intersection_volume(&mb, &ma) - v).abs() <= tol);
        prop_assert!(v <= (w0 * h0 * (zt0 - zb0)).min(w1 * h1 * (zt1 - zb1)) + tol);
        let fa = TriMesh::from_triangles(ma.vertices.iter().map(|p| p + off).collect(), ma.triangles.clone());
        let fb = TriMesh::from_triangles(mb.vertices.iter().map(|p| p + off).collect(), mb.triangles.clone());
        prop_assert!((intersection_volume(&fa, &fb) - v).abs() <= 1e-4 * v.max(1.0), "far: {}", intersection_volume(&fa, &fb));
    }
}

use strata::checks::{Subject, relate};
use strata::geometry::{Part, Volume};

fn unit(fp: Polygon<f64>, zb: f64, zt: f64) -> Volume {
    Volume::new(vec![Part::Prism(Prism::new(fp, zb, zt))])
}

fn shifted(v: &Volume, off: &Vector3) -> Volume {
    Volume::new(
        v.parts
            .iter()
            .map(|p| match p {
                Part::Prism(pr) => {
                    use geo::Translate;
                    Part::Prism(Prism::new(
                        pr.footprint.translate(off.x, off.y),
                        pr.z_bottom + off.z,
                        pr.z_top + off.z,
                    ))
                }
                Part::Polyhedron(ph) => Part::Polyhedron(ph.translated(off)),
            })
            .collect(),
    )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    /// The engine's overlap between units (prism fast path, and a polyhedron against a prism)
    /// is symmetric, at most the smaller volume, and unchanged far from the origin.
    #[test]
    fn unit_overlap_invariants(
        x0 in -20.0f64..20.0, y0 in -20.0f64..20.0, w0 in 1.0f64..30.0, h0 in 1.0f64..30.0, a0 in 0.0f64..90.0,
        x1 in -20.0f64..20.0, y1 in -20.0f64..20.0, w1 in 1.0f64..30.0, h1 in 1.0f64..30.0,
        zb0 in -10.0f64..0.0, zt0 in 0.5f64..10.0, zb1 in -10.0f64..0.0, zt1 in 0.5f64..10.0, off in far(), as_mesh in any::<bool>(),
    ) {
        let mut a = unit(rect(x0, y0, w0, h0, a0), zb0, zt0);
        if as_mesh {
            a = Volume::new(vec![Part::Polyhedron(Prism::new(rect(x0, y0, w0, h0, a0), zb0, zt0).to_polyhedra().remove(0))]);
        }
        let b = unit(rect(x1, y1, w1, h1, 0.0), zb1, zt1);
        let (sa, sb) = (Subject::new(0, &a), Subject::new(1, &b));
        let vab = relate(&sa, &sb, 0.001).overlap.map(|o| o.volume).unwrap_or(0.0);
        let vba = relate(&sb, &sa, 0.001).overlap.map(|o| o.volume).unwrap_or(0.0);
        let scale = (w0 * h0 * (zt0 - zb0)).max(1.0);
        let area = rect(x0, y0, w0, h0, a0).intersection(&rect(x1, y1, w1, h1, 0.0)).unsigned_area();
        let dz = (zt0.min(zt1) - zb0.max(zb1)).max(0.0);
        // Within the snap tolerance (1 mm, 1 mm²) the engine calls it a contact.
        if dz > 0.001 && area > 1e-6 {
            prop_assert!((vab - area * dz).abs() <= 1e-6 * scale, "{} vs geo {}", vab, area * dz);
        }
        prop_assert!((vab - vba).abs() <= 1e-7 * scale, "{} vs {}", vab, vba);
        prop_assert!(vab <= sa.volume().min(sb.volume()) + 1e-7 * scale);
        let (fa, fb) = (shifted(&a, &off), shifted(&b, &off));
        let (ta, tb) = (Subject::new(0, &fa), Subject::new(1, &fb));
        let far_v = relate(&ta, &tb, 0.001).overlap.map(|o| o.volume).unwrap_or(0.0);
        prop_assert!((far_v - vab).abs() <= 1e-4 * vab.max(1.0), "{} vs {}", far_v, vab);
    }
}
