//! Large single solids and footprints for tests and benchmarks of one hostile feature: a
//! finely tessellated sphere, a star-shaped footprint of many vertices, a unit of many parts.

use geo::{LineString, Polygon};

use crate::geometry::{Face, Part, Point3, Polyhedron, Prism, Shell, Volume};

/// A closed UV sphere of `rings` latitude bands and `sectors` longitude sectors (at least 2
/// and 3), outward-oriented, every face a triangle: `2 · sectors · (rings - 1)` of them.
///
/// ```
/// use strata::geometry::Point3;
/// use strata::generate::solids::uv_sphere;
/// let s = uv_sphere(Point3::new(0.0, 0.0, 0.0), 1.0, 40, 80);
/// assert_eq!(s.face_count(), 2 * 80 * 39);
/// // Inscribed in the unit ball: a little less than its volume.
/// let v = s.shell_signed_volume(&s.shells[0]);
/// assert!(v < 4.0 / 3.0 * std::f64::consts::PI && v > 4.1);
/// ```
pub fn uv_sphere(center: Point3, radius: f64, rings: usize, sectors: usize) -> Polyhedron {
    let (rings, sectors) = (rings.max(2), sectors.max(3));
    let mut vertices = vec![center + nalgebra::Vector3::new(0.0, 0.0, radius)];
    for i in 1..rings {
        let theta = std::f64::consts::PI * i as f64 / rings as f64;
        for j in 0..sectors {
            let phi = 2.0 * std::f64::consts::PI * j as f64 / sectors as f64;
            vertices.push(
                center
                    + nalgebra::Vector3::new(
                        radius * theta.sin() * phi.cos(),
                        radius * theta.sin() * phi.sin(),
                        radius * theta.cos(),
                    ),
            );
        }
    }
    let south = vertices.len();
    vertices.push(center - nalgebra::Vector3::new(0.0, 0.0, radius));
    let at = |i: usize, j: usize| 1 + (i - 1) * sectors + j % sectors;
    let mut faces = Vec::new();
    for j in 0..sectors {
        faces.push(Face::new(vec![0, at(1, j), at(1, j + 1)]));
        faces.push(Face::new(vec![
            south,
            at(rings - 1, j + 1),
            at(rings - 1, j),
        ]));
    }
    for i in 1..rings - 1 {
        for j in 0..sectors {
            let (a, b, c, d) = (at(i, j), at(i, j + 1), at(i + 1, j + 1), at(i + 1, j));
            faces.push(Face::new(vec![a, d, c]));
            faces.push(Face::new(vec![a, c, b]));
        }
    }
    Polyhedron::new(vertices, vec![Shell { faces }])
}

/// A star-shaped footprint of `points` vertices around `(cx, cy)`, alternating between radius
/// `outer` and `inner`: a valid polygon of many vertices and many reflex corners.
pub fn star_footprint(cx: f64, cy: f64, outer: f64, inner: f64, points: usize) -> Polygon<f64> {
    let n = points.max(6) & !1;
    let mut ring: Vec<(f64, f64)> = (0..n)
        .map(|k| {
            let a = 2.0 * std::f64::consts::PI * k as f64 / n as f64;
            let r = if k % 2 == 0 { outer } else { inner };
            (cx + r * a.cos(), cy + r * a.sin())
        })
        .collect();
    ring.push(ring[0]);
    Polygon::new(LineString::from(ring), vec![])
}

/// A comb-shaped footprint of `teeth` teeth (4 vertices each, counter-clockwise) at
/// `(x0, y0)`: a spine 1 m deep, teeth `width` wide, `width` apart and `height` long.
pub fn comb_footprint(x0: f64, y0: f64, width: f64, height: f64, teeth: usize) -> Polygon<f64> {
    let teeth = teeth.max(1);
    let mut ring = vec![(x0, y0)];
    ring.push((x0 + width * (2 * teeth - 1) as f64, y0));
    for k in (0..teeth).rev() {
        let x = x0 + width * (2 * k) as f64;
        ring.push((x + width, y0 + 1.0 + height));
        ring.push((x, y0 + 1.0 + height));
        if k > 0 {
            ring.push((x, y0 + 1.0));
            ring.push((x - width, y0 + 1.0));
        }
    }
    ring.push(ring[0]);
    Polygon::new(LineString::from(ring), vec![])
}

/// The neighbour that fills the gaps of [`comb_footprint`] with the same arguments, with a
/// bar 1 m deep over the teeth (counter-clockwise, `4 · teeth` vertices): it shares every
/// side of every gap and the top of every tooth with the comb, and overlaps it nowhere.
///
/// ```
/// use geo::{Area, BooleanOps};
/// use strata::generate::solids::{comb_footprint, comb_gaps};
/// let comb = comb_footprint(0.0, 0.0, 0.5, 3.0, 4);
/// let gaps = comb_gaps(0.0, 0.0, 0.5, 3.0, 4);
/// assert!(comb.intersection(&gaps).unsigned_area() < 1e-9);
/// assert!((gaps.unsigned_area() - (3.0 * 0.5 * 3.0 + 3.5)).abs() < 1e-9);
/// ```
pub fn comb_gaps(x0: f64, y0: f64, width: f64, height: f64, teeth: usize) -> Polygon<f64> {
    let teeth = teeth.max(1);
    let (bottom, top) = (y0 + 1.0, y0 + 1.0 + height);
    let right = x0 + width * (2 * teeth - 1) as f64;
    let mut ring = vec![(x0, top)];
    for k in 1..teeth {
        let x = x0 + width * (2 * k) as f64;
        ring.push((x - width, top));
        ring.push((x - width, bottom));
        ring.push((x, bottom));
        ring.push((x, top));
    }
    ring.extend([(right, top), (right, top + 1.0), (x0, top + 1.0), (x0, top)]);
    Polygon::new(LineString::from(ring), vec![])
}

/// A unit of `n` disjoint cubes of side `side`, `2 · side` apart on a square grid at
/// `(x0, y0)`: the volume of one unit in many pieces.
pub fn many_parts(x0: f64, y0: f64, side: f64, n: usize) -> Volume {
    let per_row = (n as f64).sqrt().ceil().max(1.0) as usize;
    let parts = (0..n)
        .map(|k| {
            let (x, y) = (
                x0 + 2.0 * side * (k % per_row) as f64,
                y0 + 2.0 * side * (k / per_row) as f64,
            );
            let square = vec![
                (x, y),
                (x + side, y),
                (x + side, y + side),
                (x, y + side),
                (x, y),
            ];
            Part::Prism(Prism::new(
                Polygon::new(LineString::from(square), vec![]),
                -side,
                0.0,
            ))
        })
        .collect();
    Volume::new(parts)
}

/// A deterministic stream of numbers in [0, 1) (a 64-bit LCG), for seeded tests.
#[cfg(test)]
pub(crate) fn unit_stream(seed: u64) -> impl FnMut() -> f64 {
    let mut x = seed;
    move || {
        x = x
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (x >> 11) as f64 / (1u64 << 53) as f64
    }
}
