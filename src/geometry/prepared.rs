//! Footprints prepared for many intersection queries: triangulated once, with their area,
//! bounding box and oriented boundary edges.

use geo::{Orient, Polygon, orient::Direction};

use super::clip::{P2, clip_to_convex, twice_area};
use super::kernel::{Orientation, orient2d};
use super::triangulate::triangulate_face;
use super::{Face, Point3, Vector3};

/// An oriented boundary edge of a footprint: the material lies on its left, so its outward
/// normal is `(dy, -dx)`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Edge {
    /// Start.
    pub a: P2,
    /// End.
    pub b: P2,
}

/// A footprint ready for intersection queries.
#[derive(Debug, Clone, PartialEq)]
pub struct PreparedFootprint {
    /// The rings: exterior counter-clockwise, holes clockwise, not closed.
    pub rings: Vec<Vec<P2>>,
    /// True for a single convex ring (most parcels): intersections are one convex clip.
    pub convex: bool,
    /// Triangles covering a footprint that is not a single convex ring.
    triangles: Vec<[P2; 3]>,
    /// The area in m².
    pub area: f64,
    /// `[minx, miny, maxx, maxy]`.
    pub bbox: [f64; 4],
}

fn open_ring(ls: &geo::LineString<f64>) -> Vec<P2> {
    let mut r: Vec<P2> = ls.0.iter().map(|c| [c.x, c.y]).collect();
    if r.len() > 1 && r.first() == r.last() {
        r.pop();
    }
    r.dedup();
    r
}

fn is_convex(r: &[P2]) -> bool {
    let n = r.len();
    (0..n).all(|i| orient2d(r[i], r[(i + 1) % n], r[(i + 2) % n]) != Orientation::Clockwise)
}

fn tri_box(t: &[P2]) -> [f64; 4] {
    let mut b = [
        f64::INFINITY,
        f64::INFINITY,
        f64::NEG_INFINITY,
        f64::NEG_INFINITY,
    ];
    for p in t {
        b = [
            b[0].min(p[0]),
            b[1].min(p[1]),
            b[2].max(p[0]),
            b[3].max(p[1]),
        ];
    }
    b
}

fn boxes_overlap(a: &[f64; 4], b: &[f64; 4]) -> bool {
    a[0] < b[2] && b[0] < a[2] && a[1] < b[3] && b[1] < a[3]
}

impl PreparedFootprint {
    /// Prepares a (valid) polygon. A single convex ring is kept as it is; others are covered
    /// by a constrained Delaunay triangulation.
    pub fn new(p: &Polygon<f64>) -> PreparedFootprint {
        let p = p.orient(Direction::Default);
        let rings: Vec<Vec<P2>> = std::iter::once(p.exterior())
            .chain(p.interiors())
            .map(open_ring)
            .filter(|r| r.len() >= 3)
            .collect();
        let mut bbox = [
            f64::INFINITY,
            f64::INFINITY,
            f64::NEG_INFINITY,
            f64::NEG_INFINITY,
        ];
        for r in &rings {
            let b = tri_box(r);
            bbox = [
                bbox[0].min(b[0]),
                bbox[1].min(b[1]),
                bbox[2].max(b[2]),
                bbox[3].max(b[3]),
            ];
        }
        let area = rings.iter().map(|r| twice_area(r)).sum::<f64>() / 2.0;
        let convex = rings.len() == 1 && is_convex(&rings[0]);
        let triangles = if convex || rings.is_empty() {
            Vec::new()
        } else {
            let mut vertices = Vec::new();
            let mut face = Face::default();
            for r in &rings {
                let start = vertices.len();
                vertices.extend(r.iter().map(|q| Point3::new(q[0], q[1], 0.0)));
                face.rings.push((start..vertices.len()).collect());
            }
            triangulate_face(&vertices, &face, &Vector3::z())
                .map(|tris| {
                    tris.iter()
                        .map(|t| t.map(|i| [vertices[i].x, vertices[i].y]))
                        .collect()
                })
                .unwrap_or_default()
        };
        PreparedFootprint {
            rings,
            convex,
            triangles,
            area: area.abs(),
            bbox,
        }
    }

    /// False when the footprint is neither one convex ring nor covered by triangles (its
    /// triangulation failed): intersections with it cannot be measured.
    pub fn is_prepared(&self) -> bool {
        self.convex || self.rings.is_empty() || !self.triangles.is_empty()
    }

    /// The boundary edges, the material on their left.
    pub fn edges(&self) -> impl Iterator<Item = Edge> + '_ {
        self.rings.iter().flat_map(|r| {
            (0..r.len()).map(move |i| Edge {
                a: r[i],
                b: r[(i + 1) % r.len()],
            })
        })
    }

    /// Convex pieces covering the footprint exactly: the ring itself when it is convex, else
    /// the triangles.
    fn pieces(&self) -> Vec<&[P2]> {
        if self.convex {
            vec![self.rings[0].as_slice()]
        } else {
            self.triangles.iter().map(|t| t.as_slice()).collect()
        }
    }

    /// True when the two bounding boxes share a point.
    pub fn bbox_meets(&self, o: &PreparedFootprint) -> bool {
        self.bbox[0] <= o.bbox[2]
            && o.bbox[0] <= self.bbox[2]
            && self.bbox[1] <= o.bbox[3]
            && o.bbox[1] <= self.bbox[3]
    }

    /// The area (m²) both footprints cover: the sum, over pairs of convex pieces, of their
    /// convex intersections. Exact in its decisions, so footprints that only touch give 0.
    pub fn intersection_area(&self, o: &PreparedFootprint) -> f64 {
        if !self.bbox_meets(o) {
            return 0.0;
        }
        let origin = [self.bbox[0], self.bbox[1]];
        let rel = |piece: &[P2]| -> Vec<P2> {
            piece
                .iter()
                .map(|p| [p[0] - origin[0], p[1] - origin[1]])
                .collect()
        };
        let mine = self.pieces();
        let theirs = o.pieces();
        let their_boxes: Vec<[f64; 4]> = theirs.iter().map(|p| tri_box(p)).collect();
        let mut s = 0.0;
        for a in mine {
            let ba = tri_box(a);
            let mut ra: Option<Vec<P2>> = None;
            for (b, bb) in theirs.iter().zip(&their_boxes) {
                if !boxes_overlap(&ba, bb) {
                    continue;
                }
                let ra = ra.get_or_insert_with(|| {
                    let mut v = rel(a);
                    if twice_area(&v) < 0.0 {
                        v.reverse();
                    }
                    v
                });
                let mut rb = rel(b);
                if twice_area(&rb) < 0.0 {
                    rb.reverse();
                }
                s += twice_area(&clip_to_convex(&rb, ra)).abs() / 2.0;
            }
        }
        s
    }

    /// The pieces of boundary the two footprints share with the material on opposite sides
    /// (edges running along each other in opposite directions, within `tol` metres): for each,
    /// this footprint's edge, and the shared length in metres.
    pub fn shared_edges(&self, o: &PreparedFootprint, tol: f64) -> Vec<(Edge, f64)> {
        let mut out = Vec::new();
        if !self.bbox_meets(o) {
            return out;
        }
        let theirs: Vec<Edge> = o.edges().collect();
        for e in self.edges() {
            let d = [e.b[0] - e.a[0], e.b[1] - e.a[1]];
            let len = (d[0] * d[0] + d[1] * d[1]).sqrt();
            if len == 0.0 {
                continue;
            }
            let u = [d[0] / len, d[1] / len];
            let mut shared = 0.0;
            for f in &theirs {
                // Opposite direction, both ends of `f` within `tol` of the line of `e`.
                let g = [f.b[0] - f.a[0], f.b[1] - f.a[1]];
                if g[0] * u[0] + g[1] * u[1] >= 0.0 {
                    continue;
                }
                let off = |p: P2| ((p[0] - e.a[0]) * u[1] - (p[1] - e.a[1]) * u[0]).abs();
                if off(f.a) > tol || off(f.b) > tol {
                    continue;
                }
                let t = |p: P2| (p[0] - e.a[0]) * u[0] + (p[1] - e.a[1]) * u[1];
                let (lo, hi) = (t(f.b).max(0.0), t(f.a).min(len));
                if hi > lo {
                    shared += hi - lo;
                }
            }
            if shared > tol {
                out.push((e, shared));
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use geo::polygon;

    #[test]
    fn rectangles_and_an_l_with_a_hole() {
        let (e, n) = (474_000.0, 4_418_000.0);
        let r = PreparedFootprint::new(
            &polygon![(x: e, y: n), (x: e + 10.0, y: n), (x: e + 10.0, y: n + 4.0), (x: e, y: n + 4.0)],
        );
        assert!(r.convex);
        assert!((r.area - 40.0).abs() < 1e-9);
        let l = PreparedFootprint::new(&polygon!(
            exterior: [(x: e, y: n), (x: e + 30.0, y: n), (x: e + 30.0, y: n + 10.0), (x: e + 10.0, y: n + 10.0), (x: e + 10.0, y: n + 30.0), (x: e, y: n + 30.0)],
            interiors: [[(x: e + 2.0, y: n + 2.0), (x: e + 2.0, y: n + 5.0), (x: e + 4.0, y: n + 5.0), (x: e + 4.0, y: n + 2.0)]],
        ));
        assert!((l.area - 494.0).abs() < 1e-9);
        assert!(!l.convex);
        let tri_area: f64 = l.triangles.iter().map(|t| twice_area(t).abs() / 2.0).sum();
        assert!((tri_area - 494.0).abs() < 1e-6);
        // The rectangle covers x 0..10, y 0..4 of the L, minus the hole part (x 2..4, y 2..4).
        assert!((r.intersection_area(&l) - (40.0 - 4.0)).abs() < 1e-6);
        assert!((l.intersection_area(&r) - 36.0).abs() < 1e-6);
    }

    #[test]
    fn shared_edges_of_neighbours() {
        let a = PreparedFootprint::new(
            &polygon![(x: 0.0, y: 0.0), (x: 10.0, y: 0.0), (x: 10.0, y: 6.0), (x: 0.0, y: 6.0)],
        );
        let b = PreparedFootprint::new(
            &polygon![(x: 10.0, y: 2.0), (x: 20.0, y: 2.0), (x: 20.0, y: 9.0), (x: 10.0, y: 9.0)],
        );
        let s = a.shared_edges(&b, 0.001);
        assert_eq!(s.len(), 1);
        assert!((s[0].1 - 4.0).abs() < 1e-12);
        assert_eq!(s[0].0.a, [10.0, 0.0]);
        assert_eq!(a.intersection_area(&b), 0.0);
    }
}
