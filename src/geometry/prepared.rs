//! Footprints prepared for many intersection queries: triangulated once, with their area,
//! bounding box and oriented boundary edges.

use geo::{Orient, Polygon, orient::Direction};
use rstar::primitives::{GeomWithData, Rectangle};
use rstar::{AABB, RTree, RTreeObject, SelectionFunction};

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
    /// Footprints of many pieces on both sides find the pairs whose boxes meet through an
    /// R-tree, in the same order as a scan of all pairs (so the same sum).
    ///
    /// ```
    /// use geo::polygon;
    /// use strata::geometry::prepared::PreparedFootprint;
    /// let a = PreparedFootprint::new(&polygon![(x: 0.0, y: 0.0), (x: 4.0, y: 0.0), (x: 4.0, y: 3.0), (x: 0.0, y: 3.0)]);
    /// let b = PreparedFootprint::new(&polygon![(x: 3.0, y: 1.0), (x: 9.0, y: 1.0), (x: 9.0, y: 9.0)]);
    /// assert!((a.intersection_area(&b) - 2.0 / 3.0).abs() < 1e-12);
    /// ```
    pub fn intersection_area(&self, o: &PreparedFootprint) -> f64 {
        self.intersection_area_by(o, Search::Auto)
    }

    fn intersection_area_by(&self, o: &PreparedFootprint, search: Search) -> f64 {
        if !self.bbox_meets(o) {
            return 0.0;
        }
        let origin = [self.bbox[0], self.bbox[1]];
        let rel = |piece: &[P2]| -> Vec<P2> {
            let mut v: Vec<P2> = piece
                .iter()
                .map(|p| [p[0] - origin[0], p[1] - origin[1]])
                .collect();
            if twice_area(&v) < 0.0 {
                v.reverse();
            }
            v
        };
        let mine = self.pieces();
        let theirs = o.pieces();
        let their_boxes: Vec<[f64; 4]> = theirs.iter().map(|p| tri_box(p)).collect();
        let cands = Candidates::new(
            mine.len(),
            || mine.iter().map(|p| tri_box(p)).collect(),
            theirs.len(),
            |j| their_boxes[j],
            0.0,
            search,
        );
        let mut s = 0.0;
        for (i, a) in mine.iter().enumerate() {
            let ba = tri_box(a);
            let mut ra: Option<Vec<P2>> = None;
            for j in cands.of(i) {
                if !boxes_overlap(&ba, &their_boxes[j]) {
                    continue;
                }
                let ra = ra.get_or_insert_with(|| rel(a));
                s += twice_area(&clip_to_convex(&rel(theirs[j]), ra)).abs() / 2.0;
            }
        }
        s
    }

    /// The pieces of boundary the two footprints share with the material on opposite sides
    /// (edges running along each other in opposite directions, within `tol` metres): for each,
    /// this footprint's edge, and the shared length in metres. Footprints of many edges on
    /// both sides find the candidate edges through an R-tree.
    pub fn shared_edges(&self, o: &PreparedFootprint, tol: f64) -> Vec<(Edge, f64)> {
        self.shared_edges_by(o, tol, Search::Auto)
    }

    fn shared_edges_by(&self, o: &PreparedFootprint, tol: f64, search: Search) -> Vec<(Edge, f64)> {
        let mut out = Vec::new();
        if !self.bbox_meets(o) {
            return out;
        }
        let n_mine = self.rings.iter().map(Vec::len).sum();
        let theirs: Vec<Edge> = o.edges().collect();
        let edge_box = |e: &Edge| tri_box(&[e.a, e.b]);
        // An edge within `tol` of `e` along part of it has a point within `tol` of `e`: its
        // box meets `e`'s box widened by `tol`, and by the rounding of the tests below.
        let pad = tol.max(0.0) * (1.0 + EDGE_PAD)
            + EDGE_PAD * (1.0 + self.bbox.iter().map(|v| v.abs()).fold(0.0, f64::max));
        let cands = Candidates::new(
            n_mine,
            || self.edges().map(|e| edge_box(&e)).collect(),
            theirs.len(),
            |j| edge_box(&theirs[j]),
            pad,
            search,
        );
        for (i, e) in self.edges().enumerate() {
            let d = [e.b[0] - e.a[0], e.b[1] - e.a[1]];
            let len = (d[0] * d[0] + d[1] * d[1]).sqrt();
            if len == 0.0 {
                continue;
            }
            let u = [d[0] / len, d[1] / len];
            let mut shared = 0.0;
            for f in cands.of(i).map(|j| &theirs[j]) {
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

/// Above this many pieces or edges on each side, candidate pairs come from an R-tree; below,
/// a scan of all pairs is cheaper than building one.
const SCAN_LIMIT: usize = 16;

/// The relative widening of an edge's box in [`PreparedFootprint::shared_edges`]: the tests
/// along and across an edge are rounded by a few units of 2⁻⁵³ of the coordinates, far inside
/// 10⁻⁹ of them (4 mm at CGCS2000 northings), so no candidate within `tol` is lost.
const EDGE_PAD: f64 = 1e-9;

/// How candidate pairs of pieces or edges are found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Search {
    /// An R-tree when both sides are large, else a scan.
    Auto,
    /// A scan of all pairs: the reference.
    Scan,
}

type BoxEntry = GeomWithData<Rectangle<[f64; 2]>, usize>;

/// For each item of one side, the items of the other side that may meet it.
enum Candidates {
    /// All of the other side's `n` items, for a scan (the caller tests the boxes).
    All(usize),
    /// The other side's items whose boxes meet the item's box widened by `pad`, from an
    /// R-tree, asked one item at a time (a long edge may have many).
    Indexed {
        tree: RTree<BoxEntry>,
        mine: Vec<[f64; 4]>,
        pad: f64,
    },
}

impl Candidates {
    /// The candidates among `n_theirs` boxes (`their_box(j)`) for each of `n_mine` boxes
    /// (`my_boxes()`, asked for only when indexing) widened by `pad`: from an R-tree when both
    /// sides are large.
    fn new(
        n_mine: usize,
        my_boxes: impl FnOnce() -> Vec<[f64; 4]>,
        n_theirs: usize,
        their_box: impl Fn(usize) -> [f64; 4],
        pad: f64,
        search: Search,
    ) -> Candidates {
        if search == Search::Scan || n_mine.min(n_theirs) <= SCAN_LIMIT {
            return Candidates::All(n_theirs);
        }
        let tree = RTree::bulk_load(
            (0..n_theirs)
                .map(|j| {
                    let b = their_box(j);
                    GeomWithData::new(Rectangle::from_corners([b[0], b[1]], [b[2], b[3]]), j)
                })
                .collect(),
        );
        Candidates::Indexed {
            tree,
            mine: my_boxes(),
            pad,
        }
    }

    /// The candidates for item `i`, ascending.
    fn of(&self, i: usize) -> CandidateIter {
        match self {
            Candidates::All(n) => CandidateIter::Range(0..*n),
            Candidates::Indexed { tree, mine, pad } => {
                let (b, p) = (mine[i], *pad);
                let select = BoxSelect {
                    b: [b[0] - p, b[1] - p, b[2] + p, b[3] + p],
                    strict: p == 0.0,
                };
                let mut js: Vec<usize> = tree
                    .locate_with_selection_function(select)
                    .map(|e| e.data)
                    .collect();
                js.sort_unstable();
                CandidateIter::Listed(js.into_iter())
            }
        }
    }
}

/// Selects the boxes that meet a box: sharing a point, or with `strict`, overlapping with
/// positive width and height (as [`boxes_overlap`], so that pieces which only touch are not
/// visited; a node's box that only touches holds no box that overlaps).
struct BoxSelect {
    b: [f64; 4],
    strict: bool,
}

impl BoxSelect {
    fn meets(&self, env: &AABB<[f64; 2]>) -> bool {
        let (lo, hi) = (env.lower(), env.upper());
        let o = [lo[0], lo[1], hi[0], hi[1]];
        if self.strict {
            boxes_overlap(&self.b, &o)
        } else {
            self.b[0] <= o[2] && o[0] <= self.b[2] && self.b[1] <= o[3] && o[1] <= self.b[3]
        }
    }
}

impl SelectionFunction<BoxEntry> for BoxSelect {
    fn should_unpack_parent(&self, envelope: &AABB<[f64; 2]>) -> bool {
        self.meets(envelope)
    }

    fn should_unpack_leaf(&self, leaf: &BoxEntry) -> bool {
        self.meets(&leaf.envelope())
    }
}

/// The candidates of one item: a range for a scan (no allocation for the many small
/// footprints), a list from the index.
enum CandidateIter {
    Range(std::ops::Range<usize>),
    Listed(std::vec::IntoIter<usize>),
}

impl Iterator for CandidateIter {
    type Item = usize;
    fn next(&mut self) -> Option<usize> {
        match self {
            CandidateIter::Range(r) => r.next(),
            CandidateIter::Listed(l) => l.next(),
        }
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

    use crate::generate::solids::unit_stream;

    /// Two neighbours on either side of a random zigzag of `n` points (x increasing), each
    /// with a random saw-toothed far side, far from the origin; `shift` moves the second.
    fn neighbours(seed: u64, n: usize, shift: [f64; 2]) -> (Polygon<f64>, Polygon<f64>) {
        let mut rnd = unit_stream(seed);
        let (e, no) = (474_000.0, 4_418_000.0);
        let chain: Vec<(f64, f64)> = (0..n)
            .map(|i| (e + i as f64 + 0.4 * rnd(), no + 2.0 * rnd() - 1.0))
            .collect();
        let far = |rnd: &mut dyn FnMut() -> f64, y: f64| -> Vec<(f64, f64)> {
            (0..n)
                .rev()
                .map(|i| (e + i as f64 + 0.5 * rnd(), no + y * (3.0 + 4.0 * rnd())))
                .collect()
        };
        let mut a = chain.clone();
        let top = far(&mut rnd, 1.0);
        a.extend(top);
        a.push(a[0]);
        let mut b: Vec<(f64, f64)> = far(&mut rnd, -1.0).into_iter().rev().collect();
        b.extend(chain.iter().rev().map(|p| (p.0 + shift[0], p.1 + shift[1])));
        b.push(b[0]);
        let poly = |r: Vec<(f64, f64)>| Polygon::new(geo::LineString::from(r), vec![]);
        (poly(a), poly(b))
    }

    #[test]
    fn the_index_gives_the_sums_of_all_pairs_on_random_neighbours() {
        for seed in 0..12u64 {
            let n = 20 + 13 * seed as usize;
            let shift = match seed % 3 {
                0 => [0.0, 0.0],
                1 => [0.0, 4e-4],
                _ => [0.3, 0.5],
            };
            let (pa, pb) = neighbours(seed, n, shift);
            let (a, b) = (PreparedFootprint::new(&pa), PreparedFootprint::new(&pb));
            assert!(a.is_prepared() && b.is_prepared() && !a.convex);
            for (x, y) in [(&a, &b), (&b, &a), (&a, &a)] {
                let fast = x.intersection_area(y);
                assert_eq!(fast, x.intersection_area_by(y, Search::Scan), "{seed}");
                for tol in [0.001, 0.1] {
                    let fast = x.shared_edges(y, tol);
                    assert_eq!(fast, x.shared_edges_by(y, tol, Search::Scan), "{seed}");
                    if seed % 3 == 0 && !std::ptr::eq(x, y) {
                        assert_eq!(fast.len(), n - 1, "{seed}");
                    }
                }
            }
            assert!((a.intersection_area(&a) - a.area).abs() < 1e-6 * a.area);
            if seed % 3 == 2 {
                assert!(a.intersection_area(&b) > 0.0);
            }
        }
    }
}
