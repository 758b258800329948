//! Exact volumes, footprints and point location against analytic values: boxes, L-prisms with
//! holes, a ramp, a cavity, a stepped unit.

use geo::{Area, polygon};
use strata::geometry::algorithm::{BoundingBox3, ContainsPoint3, Footprint, SolidVolume};
use strata::geometry::{
    Face, Part, Point3, PointLocation, Polyhedron, Prism, Shell, Vector3, Volume,
};
use strata::validate::{Tolerances, validate_polyhedron, validate_volume};

/// A ramp: a wedge 40 m long, 8 m wide, rising from 0 to 8.5 m (a car-park entrance).
/// Volume = ½ × 40 × 8.5 × 8 = 1,360 m³.
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
        Face::new(vec![0, 3, 2, 1]), // floor, facing down
        Face::new(vec![0, 1, 4]),    // south side
        Face::new(vec![3, 5, 2]),    // north side
        Face::new(vec![1, 2, 5, 4]), // east end wall
        Face::new(vec![0, 4, 5, 3]), // the slope
    ];
    Polyhedron::new(v, vec![Shell { faces }])
}

#[test]
fn ramp_volume_and_validity_near_and_far() {
    let r = ramp();
    assert!(validate_polyhedron(&r, &Tolerances::default()).is_empty());
    assert!((r.volume_m3() - 1360.0).abs() < 1e-9);
    let far = r.translated(&Vector3::new(443_700.0, 4_424_800.0, 42.0));
    assert!(validate_polyhedron(&far, &Tolerances::default()).is_empty());
    assert!((far.volume_m3() - 1360.0).abs() < 1e-6);
    // Its footprint is the 40 × 8 rectangle.
    assert!((far.footprint().unsigned_area() - 320.0).abs() < 1e-6);
    // Under the slope, above the slope.
    assert_eq!(
        far.locate_point(&Point3::new(443_730.0, 4_424_804.0, 42.0 + 1.0)),
        PointLocation::Inside
    );
    assert_eq!(
        far.locate_point(&Point3::new(443_710.0, 4_424_804.0, 42.0 + 5.0)),
        PointLocation::Outside
    );
}

#[test]
fn cube_with_a_cavity() {
    let mut p = Polyhedron::cuboid(Point3::new(0.0, 0.0, 0.0), Point3::new(10.0, 10.0, 10.0));
    let cav = Polyhedron::cuboid(Point3::new(2.0, 2.0, 2.0), Point3::new(5.0, 6.0, 7.0));
    let off = p.vertices.len();
    p.vertices.extend(cav.vertices);
    let mut s = cav.shells[0].reversed();
    for f in &mut s.faces {
        for r in &mut f.rings {
            r.iter_mut().for_each(|i| *i += off);
        }
    }
    p.shells.push(s);
    assert!(validate_polyhedron(&p, &Tolerances::default()).is_empty());
    assert!((p.volume_m3() - (1000.0 - 3.0 * 4.0 * 5.0)).abs() < 1e-9);
    assert_eq!(
        p.locate_point(&Point3::new(3.0, 3.0, 3.0)),
        PointLocation::Outside
    );
    assert_eq!(
        p.locate_point(&Point3::new(8.0, 8.0, 8.0)),
        PointLocation::Inside
    );
}

#[test]
fn stepped_unit_of_two_prisms() {
    // B1: 60 × 60 from 11.5 to 17.5; B2: 130 × 30 from 2.5 to 11.5, overlapping B1 in plan
    // over 60 × 30 (the face they share is internal).
    let b1 = Prism::new(
        polygon![(x: 110.0, y: 40.0), (x: 170.0, y: 40.0), (x: 170.0, y: 100.0), (x: 110.0, y: 100.0)],
        11.5,
        17.5,
    );
    let b2 = Prism::new(
        polygon![(x: 40.0, y: 70.0), (x: 170.0, y: 70.0), (x: 170.0, y: 100.0), (x: 40.0, y: 100.0)],
        2.5,
        11.5,
    );
    let v = Volume::new(vec![Part::Prism(b1), Part::Prism(b2)]);
    assert!(validate_volume(&v, &Tolerances::default()).is_empty());
    assert!((v.volume_m3() - (3600.0 * 6.0 + 3900.0 * 9.0)).abs() < 1e-9);
    // Plan: the union of the two footprints, 3600 + 3900 − 1800.
    assert!((v.footprint().unsigned_area() - 5700.0).abs() < 1e-6);
    assert_eq!(v.bbox().to_array(), [40.0, 40.0, 2.5, 170.0, 100.0, 17.5]);
    assert_eq!(
        v.locate_point(&Point3::new(150.0, 80.0, 11.5)),
        PointLocation::Boundary
    );
    assert_eq!(
        v.locate_point(&Point3::new(150.0, 80.0, 12.0)),
        PointLocation::Inside
    );
    assert_eq!(
        v.locate_point(&Point3::new(60.0, 50.0, 12.0)),
        PointLocation::Outside
    );
}

#[test]
fn overlapping_parts_of_a_unit_are_501() {
    let a = Prism::new(
        polygon![(x: 0.0, y: 0.0), (x: 10.0, y: 0.0), (x: 10.0, y: 10.0), (x: 0.0, y: 10.0)],
        0.0,
        5.0,
    );
    let b = Prism::new(
        polygon![(x: 5.0, y: 5.0), (x: 15.0, y: 5.0), (x: 15.0, y: 15.0), (x: 5.0, y: 15.0)],
        4.0,
        9.0,
    );
    let f = validate_volume(
        &Volume::new(vec![Part::Prism(a.clone()), Part::Prism(b)]),
        &Tolerances::default(),
    );
    assert_eq!(
        f.iter().map(|x| x.code.number()).collect::<Vec<_>>(),
        vec![501]
    );
    // Apart: a warning only (a unit in two pieces).
    let c = Prism::new(
        polygon![(x: 50.0, y: 0.0), (x: 60.0, y: 0.0), (x: 60.0, y: 10.0), (x: 50.0, y: 10.0)],
        0.0,
        5.0,
    );
    let f = validate_volume(
        &Volume::new(vec![Part::Prism(a), Part::Prism(c)]),
        &Tolerances::default(),
    );
    assert_eq!(f.len(), 1);
    assert_eq!(f[0].code.number(), 503);
    assert!(!f[0].is_error());
}
