//! Every validation code, produced by a hand-built bad solid or a bad survey file, at the
//! expected location. Independent of val3dity's suite (see tests/conformance.rs).

use strata::geometry::{Face, Point3, Polyhedron, Primitive, Shell, Vector3};
use strata::validate::{Finding, Tolerances, validate_polyhedron, validate_primitive};

fn tol() -> Tolerances {
    Tolerances::default()
}

fn codes(f: &[Finding]) -> Vec<u16> {
    let mut c: Vec<u16> = f
        .iter()
        .filter(|x| x.is_error())
        .map(|x| x.code.number())
        .collect();
    c.dedup();
    c
}

/// The unit cube: vertices 0–3 bottom, 4–7 top, faces bottom, top, then the sides.
fn cube() -> Polyhedron {
    Polyhedron::cuboid(Point3::new(0.0, 0.0, 0.0), Point3::new(1.0, 1.0, 1.0))
}

fn cube_at(o: [f64; 3], size: f64) -> Polyhedron {
    Polyhedron::cuboid(
        Point3::new(o[0], o[1], o[2]),
        Point3::new(o[0] + size, o[1] + size, o[2] + size),
    )
}

/// Adds points and returns their indices.
fn add(p: &mut Polyhedron, pts: &[[f64; 3]]) -> Vec<usize> {
    pts.iter()
        .map(|q| {
            p.vertices.push(Point3::new(q[0], q[1], q[2]));
            p.vertices.len() - 1
        })
        .collect()
}

/// Appends the outer shell of `other` as an extra shell of `p`.
fn with_shell(mut p: Polyhedron, other: &Polyhedron, reverse: bool) -> Polyhedron {
    let off = p.vertices.len();
    p.vertices.extend(other.vertices.iter().copied());
    let mut s = other.shells[0].clone();
    if reverse {
        s = s.reversed();
    }
    for f in &mut s.faces {
        for r in &mut f.rings {
            for i in r.iter_mut() {
                *i += off;
            }
        }
    }
    p.shells.push(s);
    p
}

fn top_with_hole(hole: &[[f64; 3]], reverse_hole: bool) -> Polyhedron {
    let mut p = cube();
    let mut h = add(&mut p, hole);
    if reverse_hole {
        h.reverse();
    }
    p.shells[0].faces[1].rings.push(h);
    p
}

fn check(p: &Polyhedron, want: u16) -> Vec<Finding> {
    let f = validate_polyhedron(p, &tol());
    assert_eq!(codes(&f), vec![want], "{f:#?}");
    f
}

#[test]
fn e101_too_few_points() {
    let mut p = cube();
    p.shells[0].faces[1].rings[0].truncate(2);
    let f = check(&p, 101);
    assert_eq!(
        (f[0].location.shell, f[0].location.face, f[0].location.ring),
        (Some(0), Some(1), Some(0))
    );
}

#[test]
fn e102_consecutive_points_same() {
    let mut p = cube();
    p.shells[0].faces[0].rings[0] = vec![0, 3, 3, 2, 1];
    check(&p, 102);
    // Two distinct input points 0.4 mm apart are one point after snapping.
    let mut p = cube();
    let extra = add(&mut p, &[[0.0004, 1.0, 0.0]]);
    p.shells[0].faces[0].rings[0] = vec![0, 3, extra[0], 2, 1];
    check(&p, 102);
}

#[test]
fn e104_ring_self_intersection() {
    let mut p = cube();
    p.shells[0].faces[1].rings[0] = vec![4, 5, 7, 6];
    let f = check(&p, 104);
    assert_eq!(f[0].location.face, Some(1));
}

#[test]
fn e201_intersection_rings() {
    // A hole that crosses the exterior of the top face.
    check(
        &top_with_hole(
            &[
                [0.5, 0.5, 1.0],
                [1.5, 0.5, 1.0],
                [1.5, 0.7, 1.0],
                [0.5, 0.7, 1.0],
            ],
            true,
        ),
        201,
    );
}

#[test]
fn e202_duplicated_rings() {
    let mut p = top_with_hole(
        &[
            [0.2, 0.2, 1.0],
            [0.4, 0.2, 1.0],
            [0.4, 0.4, 1.0],
            [0.2, 0.4, 1.0],
        ],
        true,
    );
    let again = p.shells[0].faces[1].rings[1].clone();
    p.shells[0].faces[1].rings.push(again);
    check(&p, 202);
}

#[test]
fn e203_non_planar_distance() {
    let mut p = cube();
    p.vertices[6].z += 0.05;
    let f = check(&p, 203);
    assert!(f[0].message.contains("from the fitted plane"));
}

#[test]
fn e204_non_planar_normals() {
    // A fold of ±1 mm across 2 mm in the top face: within 1 cm of the plane, but the two halves
    // of the face lean 45° against each other.
    let mut p = cube();
    let fold = add(
        &mut p,
        &[
            [1.0, 0.499, 1.001],
            [1.0, 0.501, 0.999],
            [0.0, 0.501, 0.999],
            [0.0, 0.499, 1.001],
        ],
    );
    p.shells[0].faces[1].rings[0] = vec![4, 5, fold[0], fold[1], 6, 7, fold[2], fold[3]];
    p.shells[0].faces[3].rings[0] = vec![1, 2, 6, fold[1], fold[0], 5];
    p.shells[0].faces[5].rings[0] = vec![3, 0, 4, fold[3], fold[2], 7];
    check(&p, 204);
    let loose = Tolerances {
        planarity_normals_deg: 90.0,
        ..tol()
    };
    assert!(validate_polyhedron(&p, &loose).is_empty());
}

#[test]
fn e205_interior_disconnected() {
    // A hole touching the exterior of the top face at two points.
    check(
        &top_with_hole(
            &[
                [0.0, 0.5, 1.0],
                [0.5, 0.4, 1.0],
                [1.0, 0.5, 1.0],
                [0.5, 0.6, 1.0],
            ],
            true,
        ),
        205,
    );
}

#[test]
fn e206_inner_ring_outside() {
    check(
        &top_with_hole(
            &[
                [2.0, 2.0, 1.0],
                [2.5, 2.0, 1.0],
                [2.5, 2.5, 1.0],
                [2.0, 2.5, 1.0],
            ],
            true,
        ),
        206,
    );
}

#[test]
fn e207_inner_rings_nested() {
    let mut p = top_with_hole(
        &[
            [0.1, 0.1, 1.0],
            [0.9, 0.1, 1.0],
            [0.9, 0.9, 1.0],
            [0.1, 0.9, 1.0],
        ],
        true,
    );
    let mut h = add(
        &mut p,
        &[
            [0.3, 0.3, 1.0],
            [0.6, 0.3, 1.0],
            [0.6, 0.6, 1.0],
            [0.3, 0.6, 1.0],
        ],
    );
    h.reverse();
    p.shells[0].faces[1].rings.push(h);
    check(&p, 207);
}

#[test]
fn e208_orientation_rings_same() {
    check(
        &top_with_hole(
            &[
                [0.2, 0.2, 1.0],
                [0.4, 0.2, 1.0],
                [0.4, 0.4, 1.0],
                [0.2, 0.4, 1.0],
            ],
            false,
        ),
        208,
    );
}

#[test]
fn e301_too_few_polygons() {
    let mut p = cube();
    p.shells[0].faces.truncate(3);
    check(&p, 301);
}

#[test]
fn e302_shell_not_closed() {
    let mut p = cube();
    p.shells[0].faces.remove(1);
    let f = check(&p, 302);
    assert!(f[0].message.contains("hole"));
}

#[test]
fn e303_non_manifold() {
    // Two cubes touching at one vertex, in one shell.
    let a = cube();
    let b = cube_at([1.0, 1.0, 1.0], 1.0);
    let mut p = with_shell(a, &b, false);
    let second = p.shells.pop().unwrap();
    p.shells[0].faces.extend(second.faces);
    // The shared corner (1, 1, 1) is one point after snapping: two closed umbrellas meet there.
    check(&p, 303);
}

#[test]
fn e305_multiple_connected_components() {
    let mut p = cube();
    let t = add(&mut p, &[[3.0, 3.0, 3.0], [4.0, 3.0, 3.0], [3.0, 4.0, 3.0]]);
    p.shells[0].faces.push(Face::new(t));
    check(&p, 305);
}

#[test]
fn e306_shell_self_intersection() {
    // A house whose roof apex is pushed below the floor.
    let mut p = cube();
    let apex = add(&mut p, &[[0.5, 0.5, -0.5]]);
    let a = apex[0];
    p.shells[0].faces.remove(1);
    for (u, v) in [(4, 5), (5, 6), (6, 7), (7, 4)] {
        p.shells[0].faces.push(Face::new(vec![u, v, a]));
    }
    check(&p, 306);
}

#[test]
fn e307_polygon_wrong_orientation() {
    let mut p = cube();
    p.shells[0].faces[4].rings[0].reverse();
    let f = check(&p, 307);
    assert_eq!(f[0].location.face, Some(4));
}

fn pyramid(z0: f64, apex: [f64; 3], lo: f64, hi: f64) -> Polyhedron {
    let mut p = Polyhedron::default();
    let v = add(
        &mut p,
        &[[lo, lo, z0], [hi, lo, z0], [hi, hi, z0], [lo, hi, z0], apex],
    );
    p.shells.push(Shell {
        faces: vec![
            Face::new(vec![v[0], v[3], v[2], v[1]]),
            Face::new(vec![v[0], v[1], v[4]]),
            Face::new(vec![v[1], v[2], v[4]]),
            Face::new(vec![v[2], v[3], v[4]]),
            Face::new(vec![v[3], v[0], v[4]]),
        ],
    });
    p
}

#[test]
fn e401_intersection_shells() {
    // A cavity whose tip pierces the top of the cube by 0.01 mm.
    let cavity = pyramid(0.2, [0.5, 0.5, 1.00001], 0.3, 0.7);
    check(&with_shell(cube(), &cavity, true), 401);
    // A cavity sharing part of the cube's bottom face.
    let cavity = cube_at([0.3, 0.3, 0.0], 0.3);
    check(&with_shell(cube(), &cavity, true), 401);
}

#[test]
fn e402_duplicated_shells() {
    let cavity = cube_at([0.3, 0.3, 0.3], 0.3);
    let p = with_shell(with_shell(cube(), &cavity, true), &cavity, true);
    check(&p, 402);
}

#[test]
fn e403_inner_shell_outside() {
    let cavity = cube_at([3.0, 3.0, 3.0], 0.3);
    check(&with_shell(cube(), &cavity, true), 403);
}

#[test]
fn e404_solid_interior_disconnected() {
    // A pyramid whose base edges lie on the four side faces: it cuts off the bottom slab.
    let blocker = pyramid(0.1, [0.5, 0.5, 0.5], 0.0, 1.0);
    check(&with_shell(cube(), &blocker, true), 404);
}

#[test]
fn e405_wrong_orientation_shell() {
    let mut p = cube();
    p.shells[0] = p.shells[0].reversed();
    check(&p, 405);
    // A cavity whose faces point into the material.
    let cavity = cube_at([0.3, 0.3, 0.3], 0.3);
    let f = check(&with_shell(cube(), &cavity, false), 405);
    assert_eq!(f[0].location.shell, Some(1));
}

#[test]
fn valid_solids_with_cavities_touching_at_a_point_or_edge() {
    let a = cube_at([0.2, 0.2, 0.2], 0.3);
    let b = cube_at([0.5, 0.5, 0.5], 0.3); // touches `a` at the point (0.5, 0.5, 0.5)
    let p = with_shell(with_shell(cube(), &a, true), &b, true);
    assert!(validate_polyhedron(&p, &tol()).is_empty());
    let c = cube_at([0.5, 0.5, 0.2], 0.3); // touches `a` along an edge
    let p = with_shell(with_shell(cube(), &a, true), &c, true);
    assert!(validate_polyhedron(&p, &tol()).is_empty());
}

#[test]
fn e501_502_503_composite_solids() {
    let a = cube();
    let overlapping = cube_at([0.99, 0.0, 0.0], 1.0);
    let touching = cube_at([1.0, 0.0, 0.0], 1.0);
    let apart = cube_at([5.0, 0.0, 0.0], 1.0);
    let codes_of =
        |v: Vec<Polyhedron>| codes(&validate_primitive(&Primitive::CompositeSolid(v), &tol()));
    assert_eq!(codes_of(vec![a.clone(), overlapping]), vec![501]);
    assert_eq!(codes_of(vec![a.clone(), a.clone()]), vec![502]);
    assert_eq!(codes_of(vec![a.clone(), apart.clone()]), vec![503]);
    assert!(codes_of(vec![a.clone(), touching]).is_empty());
    // A MultiSolid prescribes nothing.
    assert!(
        codes(&validate_primitive(
            &Primitive::MultiSolid(vec![a.clone(), a]),
            &tol()
        ))
        .is_empty()
    );
}

/// val3dity's overlap tolerance erodes each solid by an axis-aligned cube of that half-side:
/// a 1 cm slab of overlap survives an erosion of 4 mm, not one of 5 mm, and parts that overlap
/// within the tolerance count as joined (no 503).
#[test]
fn e501_overlap_tolerance_erodes_like_val3dity() {
    let a = cube();
    let b = cube_at([0.99, 0.0, 0.0], 1.0);
    let with = |overlap: f64| {
        let t = Tolerances { overlap, ..tol() };
        codes(&validate_primitive(
            &Primitive::CompositeSolid(vec![a.clone(), b.clone()]),
            &t,
        ))
    };
    assert_eq!(with(0.0), vec![501]);
    assert_eq!(with(0.004), vec![501]);
    assert!(with(0.005).is_empty());
    assert!(with(1.0).is_empty());
    // A deep overlap stays one: a quarter of the cube's width.
    let deep = cube_at([0.5, 0.0, 0.0], 1.0);
    let t = Tolerances {
        overlap: 0.2,
        ..tol()
    };
    assert_eq!(
        codes(&validate_primitive(
            &Primitive::CompositeSolid(vec![a.clone(), deep]),
            &t
        )),
        vec![501]
    );
}

#[test]
fn valid_solid_at_cgcs2000_coordinates_stays_valid() {
    use strata::geometry::algorithm::SolidVolume;
    let cavity = cube_at([0.3, 0.3, 0.3], 0.3);
    let p = with_shell(cube(), &cavity, true);
    let far = p.translated(&Vector3::new(474_412.345, 4_418_207.891, -12.5));
    assert!(validate_polyhedron(&far, &tol()).is_empty());
    assert!(
        (far.volume_m3() - (1.0 - 0.027)).abs() < 1e-6,
        "{}",
        far.volume_m3()
    );
}

/// 601, as val3dity: the solids of a Building and its BuildingParts at one level of detail
/// must not overlap; parts that only touch, parts at different levels of detail and overlaps
/// within the overlap tolerance pass.
#[test]
fn e601_building_parts_overlap() {
    use strata::validate::{CityMember, validate_buildings};
    let parents = vec!["b".to_string()];
    let p1 = Primitive::Solid(cube());
    let overlapping = Primitive::Solid(cube_at([0.99, 0.0, 0.0], 1.0));
    let touching = Primitive::Solid(cube_at([1.0, 0.0, 0.0], 1.0));
    let run = |second: &Primitive, lod2: &str, overlap: f64| {
        let g1 = vec![(Some("2".to_string()), &p1)];
        let g2 = vec![(Some(lod2.to_string()), second)];
        let members = [
            CityMember {
                id: "b",
                object_type: "Building",
                parents: &[],
                geometries: &[],
            },
            CityMember {
                id: "p1",
                object_type: "BuildingPart",
                parents: &parents,
                geometries: &g1,
            },
            CityMember {
                id: "p2",
                object_type: "BuildingPart",
                parents: &parents,
                geometries: &g2,
            },
        ];
        let t = Tolerances { overlap, ..tol() };
        validate_buildings(&members, &t)
            .into_iter()
            .map(|(k, f)| (k, f.code.number()))
            .collect::<Vec<_>>()
    };
    // Reported on the later of the two parts.
    assert_eq!(run(&overlapping, "2", 0.0), vec![(2, 601)]);
    assert!(run(&touching, "2", 0.0).is_empty());
    assert!(run(&overlapping, "1", 0.0).is_empty());
    assert!(run(&overlapping, "2", 0.005).is_empty());
    // An invalid part (a reversed shell) is reported by its own checks, not as 601.
    let mut reversed = cube_at([0.5, 0.0, 0.0], 1.0);
    let shell = reversed.shells[0].reversed();
    reversed.shells[0] = shell;
    assert!(run(&Primitive::Solid(reversed), "2", 0.0).is_empty());
}
