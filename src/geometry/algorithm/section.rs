//! Vertical sections: the cut of a volume by the vertical plane through a line in plan, as
//! drawn on the sections of a 3D parcel map (三维宗地图).

use std::collections::BTreeMap;

use geo::Coord;

use crate::geometry::mesh::TriMesh;
use crate::geometry::{Part, Polyhedron, Prism, Volume};

/// A vertical cutting plane, given by its trace in plan: the line through `a` and `b`
/// (projected CRS, metres). Section coordinates are `s`, the distance along the line from
/// `a` towards `b`, and the elevation `z`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SectionLine {
    /// Where `s` is 0.
    pub a: Coord<f64>,
    /// A second point of the line, fixing its direction.
    pub b: Coord<f64>,
}

impl SectionLine {
    /// The line through `a` and `b`; `None` when they are the same point.
    pub fn new(a: Coord<f64>, b: Coord<f64>) -> Option<SectionLine> {
        let d = b - a;
        (d.x.hypot(d.y) > 0.0 && d.x.is_finite() && d.y.is_finite()).then_some(SectionLine { a, b })
    }

    fn unit(&self) -> Coord<f64> {
        let d = self.b - self.a;
        let l = d.x.hypot(d.y);
        Coord {
            x: d.x / l,
            y: d.y / l,
        }
    }

    /// The distance of `p` along the line from `a`.
    pub fn along(&self, p: Coord<f64>) -> f64 {
        let u = self.unit();
        (p.x - self.a.x) * u.x + (p.y - self.a.y) * u.y
    }

    /// The signed distance of `p` from the plane: positive on the left of `a → b`.
    pub fn side(&self, p: Coord<f64>) -> f64 {
        let u = self.unit();
        u.x * (p.y - self.a.y) - u.y * (p.x - self.a.x)
    }
}

/// A closed ring of a section in `(s, z)`, not repeated at its end.
pub type SectionRing = Vec<[f64; 2]>;

/// The cut of a solid by a vertical plane.
///
/// A point exactly on the plane counts as lying on its left side (simulation of simplicity):
/// a face lying in the plane cuts nothing, and every crossing edge is cut once, so the rings
/// close. Rings are returned in no particular orientation; with holes and cavities they are
/// meant to be filled with the even-odd rule.
///
/// ```
/// use geo::{Coord, polygon};
/// use strata::geometry::{Prism, algorithm::{SectionLine, VerticalSection}};
/// let p = Prism::new(polygon![(x: 0.0, y: 0.0), (x: 10.0, y: 0.0), (x: 10.0, y: 4.0), (x: 0.0, y: 4.0)], -8.0, -0.5);
/// let line = SectionLine::new(Coord { x: -5.0, y: 2.0 }, Coord { x: 20.0, y: 2.0 }).unwrap();
/// let rings = p.vertical_section(&line);
/// assert_eq!(rings.len(), 1);
/// let s: Vec<f64> = rings[0].iter().map(|p| p[0]).collect();
/// assert_eq!((s.iter().cloned().fold(f64::MAX, f64::min), s.iter().cloned().fold(f64::MIN, f64::max)), (5.0, 15.0));
/// ```
pub trait VerticalSection {
    /// The rings of the cut.
    fn vertical_section(&self, line: &SectionLine) -> Vec<SectionRing>;
}

impl VerticalSection for Prism {
    fn vertical_section(&self, line: &SectionLine) -> Vec<SectionRing> {
        let mut cuts = Vec::new();
        let rings = std::iter::once(self.footprint.exterior()).chain(self.footprint.interiors());
        for ring in rings {
            for seg in ring.lines() {
                let (da, db) = (line.side(seg.start), line.side(seg.end));
                if (da >= 0.0) != (db >= 0.0) {
                    let t = da / (da - db);
                    let p = seg.start + (seg.end - seg.start) * t;
                    cuts.push(line.along(p));
                }
            }
        }
        cuts.sort_by(f64::total_cmp);
        // Crossings alternate entering and leaving the footprint along the line.
        cuts.chunks_exact(2)
            .filter(|c| c[1] > c[0])
            .map(|c| {
                vec![
                    [c[0], self.z_bottom],
                    [c[1], self.z_bottom],
                    [c[1], self.z_top],
                    [c[0], self.z_top],
                ]
            })
            .collect()
    }
}

impl VerticalSection for Polyhedron {
    fn vertical_section(&self, line: &SectionLine) -> Vec<SectionRing> {
        let Ok(mesh) = TriMesh::new(self) else {
            return Vec::new();
        };
        section_of_mesh(&mesh, line)
    }
}

impl VerticalSection for Volume {
    fn vertical_section(&self, line: &SectionLine) -> Vec<SectionRing> {
        self.parts
            .iter()
            .flat_map(|p| match p {
                Part::Prism(p) => p.vertical_section(line),
                Part::Polyhedron(p) => p.vertical_section(line),
            })
            .collect()
    }
}

/// The cut of a triangle mesh: one segment per triangle whose corners lie on both sides,
/// chained into rings through the edges they cross.
fn section_of_mesh(mesh: &TriMesh, line: &SectionLine) -> Vec<SectionRing> {
    let xy = |i: usize| Coord {
        x: mesh.vertices[i].x,
        y: mesh.vertices[i].y,
    };
    let left: Vec<bool> = (0..mesh.vertices.len())
        .map(|i| line.side(xy(i)) >= 0.0)
        .collect();
    // Each crossing edge, keyed by its corners in order, cut at one point computed once.
    let cut = |i: usize, j: usize| {
        let (i, j) = (i.min(j), i.max(j));
        let (di, dj) = (line.side(xy(i)), line.side(xy(j)));
        let t = di / (di - dj);
        let (p, q) = (&mesh.vertices[i], &mesh.vertices[j]);
        let c = Coord {
            x: p.x + (q.x - p.x) * t,
            y: p.y + (q.y - p.y) * t,
        };
        [line.along(c), p.z + (q.z - p.z) * t]
    };
    // From the edge a triangle's segment enters by to the edge it leaves by, in key order
    // so that the same mesh gives the same rings, starting at the same point.
    let mut next: BTreeMap<(usize, usize), (usize, usize)> = BTreeMap::new();
    for t in &mesh.triangles {
        let v = t.v;
        let crossing: Vec<(usize, usize)> = (0..3)
            .map(|k| (v[k], v[(k + 1) % 3]))
            .filter(|&(i, j)| left[i] != left[j])
            .collect();
        if let [e0, e1] = crossing[..] {
            // Oriented by the triangle: from the edge leaving the left side to the one
            // entering it, so that the two triangles of an edge chain through it.
            let (from, to) = if left[e0.0] { (e0, e1) } else { (e1, e0) };
            next.insert(key(from), key(to));
        }
    }
    let mut rings = Vec::new();
    while let Some(&start) = next.keys().next() {
        let mut ring = Vec::new();
        let mut e = start;
        while let Some(n) = next.remove(&e) {
            ring.push(cut(e.0, e.1));
            e = n;
        }
        if ring.len() >= 3 {
            rings.push(ring);
        }
    }
    rings
}

fn key(e: (usize, usize)) -> (usize, usize) {
    (e.0.min(e.1), e.0.max(e.1))
}

#[cfg(test)]
mod tests {
    use geo::polygon;

    use super::*;
    use crate::geometry::Point3;
    use crate::geometry::algorithm::ToPolyhedra;

    fn area(r: &SectionRing) -> f64 {
        let n = r.len();
        (0..n)
            .map(|i| r[i][0] * r[(i + 1) % n][1] - r[(i + 1) % n][0] * r[i][1])
            .sum::<f64>()
            .abs()
            / 2.0
    }

    #[test]
    fn prism_and_its_polyhedron_cut_alike() {
        // An L-shaped footprint: the line y = 5 crosses both legs.
        let p = Prism::new(
            polygon![(x: 0.0, y: 0.0), (x: 10.0, y: 0.0), (x: 10.0, y: 10.0), (x: 8.0, y: 10.0),
                     (x: 8.0, y: 2.0), (x: 2.0, y: 2.0), (x: 2.0, y: 10.0), (x: 0.0, y: 10.0)],
            -12.0,
            -2.0,
        );
        let line = SectionLine::new(Coord { x: -1.0, y: 5.0 }, Coord { x: 11.0, y: 5.0 }).unwrap();
        let a = p.vertical_section(&line);
        let b = p.to_polyhedra()[0].vertical_section(&line);
        assert_eq!(a.len(), 2);
        assert_eq!(b.len(), 2);
        let total = |rs: &[SectionRing]| rs.iter().map(area).sum::<f64>();
        // Two legs 2 m wide, 10 m tall.
        assert!((total(&a) - 40.0).abs() < 1e-9);
        assert!((total(&b) - 40.0).abs() < 1e-9);
    }

    #[test]
    fn a_plane_through_a_face_cuts_once() {
        let c = Polyhedron::cuboid(Point3::new(0.0, 0.0, 0.0), Point3::new(4.0, 4.0, 3.0));
        // Through the face x = 0 and through the middle.
        for x in [0.0, 2.0] {
            let line = SectionLine::new(Coord { x, y: -1.0 }, Coord { x, y: 5.0 }).unwrap();
            let rs = c.vertical_section(&line);
            let total: f64 = rs.iter().map(area).sum();
            assert!(
                total == 0.0 || (total - 12.0).abs() < 1e-9,
                "x = {x}: {total}"
            );
            if x == 2.0 {
                assert_eq!(rs.len(), 1);
                assert!((total - 12.0).abs() < 1e-9);
            }
        }
    }

    #[test]
    fn a_sloped_ramp_is_cut_along_its_slope() {
        // A wedge rising from z = 0 at x = 0 to z = 5 at x = 10, 0..4 in y, floor at -1.
        let v = vec![
            Point3::new(0.0, 0.0, -1.0),
            Point3::new(10.0, 0.0, -1.0),
            Point3::new(10.0, 4.0, -1.0),
            Point3::new(0.0, 4.0, -1.0),
            Point3::new(0.0, 0.0, 0.0),
            Point3::new(10.0, 0.0, 5.0),
            Point3::new(10.0, 4.0, 5.0),
            Point3::new(0.0, 4.0, 0.0),
        ];
        let faces = [
            vec![0, 3, 2, 1],
            vec![4, 5, 6, 7],
            vec![0, 1, 5, 4],
            vec![1, 2, 6, 5],
            vec![2, 3, 7, 6],
            vec![3, 0, 4, 7],
        ];
        let shell = crate::geometry::Shell {
            faces: faces.into_iter().map(crate::geometry::Face::new).collect(),
        };
        let wedge = Polyhedron::new(v, vec![shell]);
        let line = SectionLine::new(Coord { x: 0.0, y: 2.0 }, Coord { x: 10.0, y: 2.0 }).unwrap();
        let rs = wedge.vertical_section(&line);
        assert_eq!(rs.len(), 1);
        // A trapezoid: heights 1 and 6 over 10 m.
        assert!((area(&rs[0]) - 35.0).abs() < 1e-9);
        let top = rs[0].iter().map(|p| p[1]).fold(f64::MIN, f64::max);
        assert!((top - 5.0).abs() < 1e-12);
    }
}
