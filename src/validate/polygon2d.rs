//! Validity of planar polygons in 2D: simple rings, and rings that fit together.
//!
//! These are the checks behind codes 104 and 201–208, shared by the faces of polyhedra
//! (projected to 2D) and the footprints of prisms. They follow the simple-features rules that
//! GEOS applies for val3dity: rings may touch at isolated points but never cross or share a
//! segment, holes lie inside the exterior and not inside each other, and the touching points
//! must not cut the interior in pieces. Every sign is exact.

use std::collections::HashMap;
use std::ops::ControlFlow;

use rstar::{AABB, RTree, RTreeObject};

use crate::geometry::clip::twice_area;
use crate::geometry::kernel::{Orientation, on_segment_2d, orient2d};

use super::sweep::{Segment, sweep_pairs};

/// A 2D point.
pub type P2 = [f64; 2];

/// Up to this many segments, candidate pairs come from a scan of all pairs (cheaper than any
/// structure for the four to forty corners of most rings); above it, from a plane sweep.
pub const BRUTE_FORCE_SEGMENTS: usize = 48;

/// What is wrong with a single ring.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum RingDefect {
    /// All points lie on one line: the ring encloses nothing.
    Collapsed,
    /// The ring touches or crosses itself near `at`.
    SelfIntersection {
        /// A point of the intersection.
        at: P2,
    },
}

/// What is wrong with how the rings of a polygon fit together (the first problem found).
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum PolygonDefect {
    /// Hole `ring` runs in the same direction as the exterior (208).
    OrientationSame {
        /// The hole.
        ring: usize,
    },
    /// Rings `a` and `b` are identical (202).
    Duplicated {
        /// First ring.
        a: usize,
        /// Second ring.
        b: usize,
    },
    /// Rings `a` and `b` cross or share a segment (201).
    Intersecting {
        /// First ring.
        a: usize,
        /// Second ring.
        b: usize,
        /// A point of the intersection.
        at: P2,
    },
    /// Hole `ring` lies outside the exterior (206).
    InnerOutside {
        /// The hole.
        ring: usize,
    },
    /// Hole `inner` lies inside hole `outer` (207).
    Nested {
        /// The enclosing hole.
        outer: usize,
        /// The enclosed hole.
        inner: usize,
    },
    /// Touching rings cut the interior in pieces (205).
    Disconnected {
        /// A touching point that closes the cut.
        at: P2,
    },
}

/// Where a point lies relative to a ring.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RingSide {
    /// Enclosed by the ring.
    Inside,
    /// On the ring.
    Boundary,
    /// Not enclosed.
    Outside,
}

struct Seg {
    idx: usize,
    env: AABB<P2>,
}

impl RTreeObject for Seg {
    type Envelope = AABB<P2>;
    fn envelope(&self) -> Self::Envelope {
        self.env
    }
}

fn seg_env(a: P2, b: P2) -> AABB<P2> {
    AABB::from_corners(a, b)
}

fn seg(ring: &[P2], i: usize) -> (P2, P2) {
    (ring[i], ring[(i + 1) % ring.len()])
}

/// How the pairs of segments that may meet are found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Pairs {
    /// Every pair whose boxes meet, by a scan: small rings.
    Scan,
    /// Pairs whose boxes meet, from an R-tree: rings with coordinates that are not finite,
    /// which the sweep cannot order.
    Boxes,
    /// A plane sweep ([`sweep_pairs`]): large rings.
    Sweep,
}

impl Pairs {
    /// The method for `n` segments with the points `pts`.
    fn for_size<'a>(n: usize, pts: impl IntoIterator<Item = &'a P2>) -> Pairs {
        if n <= BRUTE_FORCE_SEGMENTS {
            Pairs::Scan
        } else if pts
            .into_iter()
            .all(|p| p[0].is_finite() && p[1].is_finite())
        {
            Pairs::Sweep
        } else {
            Pairs::Boxes
        }
    }
}

/// Candidate pairs `(i, j)` of segments of `a` and `b` whose boxes meet. With `same` the two
/// rings are one, and only `i < j` is returned.
fn candidate_pairs(a: &[P2], b: &[P2], same: bool, method: Pairs) -> Vec<(usize, usize)> {
    let (na, nb) = (a.len(), b.len());
    let overlap = |(p, q): (P2, P2), (r, s): (P2, P2)| {
        p[0].min(q[0]) <= r[0].max(s[0])
            && r[0].min(s[0]) <= p[0].max(q[0])
            && p[1].min(q[1]) <= r[1].max(s[1])
            && r[1].min(s[1]) <= p[1].max(q[1])
    };
    let mut out = Vec::new();
    if method == Pairs::Scan {
        for i in 0..na {
            let from = if same { i + 1 } else { 0 };
            for j in from..nb {
                if overlap(seg(a, i), seg(b, j)) {
                    out.push((i, j));
                }
            }
        }
        return out;
    }
    let tree_b = RTree::bulk_load(
        (0..nb)
            .map(|j| {
                let (p, q) = seg(b, j);
                Seg {
                    idx: j,
                    env: seg_env(p, q),
                }
            })
            .collect(),
    );
    for i in 0..na {
        let (p, q) = seg(a, i);
        for s in tree_b.locate_in_envelope_intersecting(&seg_env(p, q)) {
            if !same || s.idx > i {
                out.push((i, s.idx));
            }
        }
    }
    out
}

/// The intersection point of two segments known to cross properly (floating point).
fn crossing_point((p, q): (P2, P2), (r, s): (P2, P2)) -> P2 {
    let (dx, dy) = (q[0] - p[0], q[1] - p[1]);
    let (ex, ey) = (s[0] - r[0], s[1] - r[1]);
    let den = dx * ey - dy * ex;
    if den == 0.0 {
        return p;
    }
    let t = ((r[0] - p[0]) * ey - (r[1] - p[1]) * ex) / den;
    [p[0] + t * dx, p[1] + t * dy]
}

/// True when collinear points `a` and `b` lie on the same side of `v` on their common line.
fn same_direction(v: P2, a: P2, b: P2) -> bool {
    if a[0] != v[0] {
        (a[0] > v[0]) == (b[0] > v[0])
    } else {
        (a[1] > v[1]) == (b[1] > v[1])
    }
}

/// Checks that a ring (not closed: the last point is not the first repeated) is simple: it
/// neither collapses to a line nor touches or crosses itself. Expects at least 3 points.
///
/// Rings of more than [`BRUTE_FORCE_SEGMENTS`] segments are checked by a plane sweep
/// ([`sweep_pairs`]), in O(n log n) however long and overlapping their segments' boxes are.
///
/// ```
/// use strata::validate::polygon2d::{RingDefect, ring_defect};
/// assert_eq!(ring_defect(&[[0.0, 0.0], [4.0, 0.0], [4.0, 3.0]]), None);
/// let bow = [[0.0, 0.0], [1.0, 1.0], [1.0, 0.0], [0.0, 1.0]];
/// assert!(matches!(ring_defect(&bow), Some(RingDefect::SelfIntersection { .. })));
/// ```
pub fn ring_defect(ring: &[P2]) -> Option<RingDefect> {
    ring_defect_by(ring, Pairs::for_size(ring.len(), ring))
}

/// [`ring_defect`] with the candidate pairs found by `method`.
fn ring_defect_by(ring: &[P2], method: Pairs) -> Option<RingDefect> {
    let n = ring.len();
    if n < 3 {
        return Some(RingDefect::Collapsed);
    }
    for i in 0..n {
        if ring[i] == ring[(i + 1) % n] {
            return Some(RingDefect::SelfIntersection { at: ring[i] });
        }
    }
    let a = ring[0];
    let b = ring[1];
    if ring
        .iter()
        .all(|&p| orient2d(a, b, p) == Orientation::Collinear)
    {
        return Some(RingDefect::Collapsed);
    }
    let check = |i: usize, j: usize| -> Option<RingDefect> {
        let adjacent_next = j == i + 1;
        let adjacent_wrap = i == 0 && j == n - 1;
        if adjacent_next || adjacent_wrap {
            let (v, x, y) = if adjacent_next {
                (ring[j], ring[i], ring[(j + 1) % n])
            } else {
                (ring[0], ring[1], ring[n - 1])
            };
            if orient2d(x, v, y) == Orientation::Collinear && same_direction(v, x, y) {
                return Some(RingDefect::SelfIntersection { at: v });
            }
            // Adjacent segments meet at their shared vertex and nowhere else.
            return None;
        }
        segment_meeting(seg(ring, i), seg(ring, j)).map(|at| RingDefect::SelfIntersection { at })
    };
    if method == Pairs::Sweep {
        let segs: Vec<Segment> = (0..n).map(|i| seg(ring, i)).collect();
        let mut found = None;
        let _ = sweep_pairs(&segs, |i, j| match check(i, j) {
            Some(d) => {
                found = Some(d);
                ControlFlow::Break(())
            }
            None => ControlFlow::Continue(()),
        });
        return found;
    }
    candidate_pairs(ring, ring, true, method)
        .into_iter()
        .find_map(|(i, j)| check(i, j))
}

/// A point shared by two closed segments, if any.
fn segment_meeting((p, q): (P2, P2), (r, s): (P2, P2)) -> Option<P2> {
    let o1 = orient2d(p, q, r).sign();
    let o2 = orient2d(p, q, s).sign();
    let o3 = orient2d(r, s, p).sign();
    let o4 = orient2d(r, s, q).sign();
    if o1 * o2 < 0 && o3 * o4 < 0 {
        return Some(crossing_point((p, q), (r, s)));
    }
    if o1 == 0 && on_segment_2d(p, q, r) {
        return Some(r);
    }
    if o2 == 0 && on_segment_2d(p, q, s) {
        return Some(s);
    }
    if o3 == 0 && on_segment_2d(r, s, p) {
        return Some(p);
    }
    if o4 == 0 && on_segment_2d(r, s, q) {
        return Some(q);
    }
    None
}

/// The exact position of `p` relative to a closed ring (winding number).
pub fn locate_in_ring(ring: &[P2], p: P2) -> RingSide {
    let n = ring.len();
    let mut wn: i64 = 0;
    for i in 0..n {
        let (u, v) = (ring[i], ring[(i + 1) % n]);
        if on_segment_2d(u, v, p) {
            return RingSide::Boundary;
        }
        if u[1] <= p[1] {
            if v[1] > p[1] && orient2d(u, v, p) == Orientation::CounterClockwise {
                wn += 1;
            }
        } else if v[1] <= p[1] && orient2d(u, v, p) == Orientation::Clockwise {
            wn -= 1;
        }
    }
    if wn != 0 {
        RingSide::Inside
    } else {
        RingSide::Outside
    }
}

/// How two simple rings meet.
#[derive(Debug, Default)]
struct Contact {
    /// A proper crossing or a shared segment, with a point of it.
    crossing: Option<P2>,
    /// Points where they touch.
    touches: Vec<P2>,
}

fn ring_contact(a: &[P2], b: &[P2]) -> Contact {
    let method = Pairs::for_size(a.len().max(b.len()), a.iter().chain(b));
    ring_contact_by(a, b, method)
}

/// [`ring_contact`] with the candidate pairs found by `method`.
fn ring_contact_by(a: &[P2], b: &[P2], method: Pairs) -> Contact {
    let mut c = Contact::default();
    if method == Pairs::Sweep {
        let na = a.len();
        let segs: Vec<Segment> = (0..na)
            .map(|i| seg(a, i))
            .chain((0..b.len()).map(|j| seg(b, j)))
            .collect();
        let _ = sweep_pairs(&segs, |i, j| {
            // Pairs within one ring are the ring's own business (it is simple).
            if i >= na || j < na {
                return ControlFlow::Continue(());
            }
            if contact_of(seg(a, i), seg(b, j - na), &mut c) {
                ControlFlow::Break(())
            } else {
                ControlFlow::Continue(())
            }
        });
        return c;
    }
    for (i, j) in candidate_pairs(a, b, false, method) {
        if contact_of(seg(a, i), seg(b, j), &mut c) {
            break;
        }
    }
    c
}

/// Records how segment `s` of one ring meets segment `t` of another; true on a crossing or
/// a shared piece (recorded in `c.crossing`).
fn contact_of(s: (P2, P2), t: (P2, P2), c: &mut Contact) -> bool {
    let (p, q) = s;
    let (r, w) = t;
    let o1 = orient2d(p, q, r).sign();
    let o2 = orient2d(p, q, w).sign();
    let o3 = orient2d(r, w, p).sign();
    let o4 = orient2d(r, w, q).sign();
    if o1 * o2 < 0 && o3 * o4 < 0 {
        c.crossing = Some(crossing_point(s, t));
        return true;
    }
    if o1 == 0 && o2 == 0 {
        // Collinear: a shared piece of positive length is an overlap.
        let axis = if p[0] != q[0] { 0 } else { 1 };
        let (lo1, hi1) = (p[axis].min(q[axis]), p[axis].max(q[axis]));
        let (lo2, hi2) = (r[axis].min(w[axis]), r[axis].max(w[axis]));
        let (lo, hi) = (lo1.max(lo2), hi1.min(hi2));
        if lo < hi {
            c.crossing = Some(if r[axis] >= lo && r[axis] <= hi { r } else { w });
            return true;
        }
    }
    for (cond, pt, on) in [
        (o1 == 0, r, s),
        (o2 == 0, w, s),
        (o3 == 0, p, t),
        (o4 == 0, q, t),
    ] {
        if cond && on_segment_2d(on.0, on.1, pt) && !c.touches.contains(&pt) {
            c.touches.push(pt);
        }
    }
    false
}

/// Which sides of ring `a` the ring `b` visits: (some point strictly inside, some strictly
/// outside). Vertices first; when every vertex is on `a`, the midpoints of `b`'s segments.
fn sides(a: &[P2], b: &[P2]) -> (bool, bool) {
    let (mut inside, mut outside) = (false, false);
    for &p in b {
        match locate_in_ring(a, p) {
            RingSide::Inside => inside = true,
            RingSide::Outside => outside = true,
            RingSide::Boundary => {}
        }
    }
    if !inside && !outside {
        for i in 0..b.len() {
            let (p, q) = seg(b, i);
            let m = [(p[0] + q[0]) / 2.0, (p[1] + q[1]) / 2.0];
            match locate_in_ring(a, m) {
                RingSide::Inside => inside = true,
                RingSide::Outside => outside = true,
                RingSide::Boundary => {}
            }
        }
    }
    (inside, outside)
}

fn same_cycle(a: &[P2], b: &[P2]) -> bool {
    if a.len() != b.len() || a.is_empty() {
        return false;
    }
    let n = a.len();
    let Some(k) = b.iter().position(|p| *p == a[0]) else {
        return false;
    };
    let forward = (0..n).all(|i| a[i] == b[(k + i) % n]);
    let backward = (0..n).all(|i| a[i] == b[(k + n - i) % n]);
    forward || backward
}

/// Checks how the rings of a polygon fit together: `rings[0]` is the exterior, the others
/// holes; every ring must already be simple (see [`ring_defect`]). With `check_orientation`,
/// holes must run opposite to the exterior (faces of solids); footprints from GeoJSON, whose
/// orientation readers must not insist on, skip that check.
///
/// Returns the first problem in the order val3dity reports them: 208, 202, 201, 206, 207, 205.
pub fn polygon_defect(rings: &[Vec<P2>], check_orientation: bool) -> Option<PolygonDefect> {
    if rings.len() < 2 {
        return None;
    }
    if check_orientation {
        let ext = twice_area(&rings[0]).signum();
        for (k, r) in rings.iter().enumerate().skip(1) {
            if twice_area(r).signum() == ext {
                return Some(PolygonDefect::OrientationSame { ring: k });
            }
        }
    }
    for a in 0..rings.len() {
        for b in a + 1..rings.len() {
            if same_cycle(&rings[a], &rings[b]) {
                return Some(PolygonDefect::Duplicated { a, b });
            }
        }
    }
    let mut touches: Vec<(usize, usize, Vec<P2>)> = Vec::new();
    // side[(a, b)] = (b has points inside a, b has points outside a)
    let mut side: HashMap<(usize, usize), (bool, bool)> = HashMap::new();
    for a in 0..rings.len() {
        for b in a + 1..rings.len() {
            let c = ring_contact(&rings[a], &rings[b]);
            if let Some(at) = c.crossing {
                return Some(PolygonDefect::Intersecting { a, b, at });
            }
            let ab = sides(&rings[a], &rings[b]);
            let ba = sides(&rings[b], &rings[a]);
            if (ab.0 && ab.1) || (ba.0 && ba.1) {
                let at = c.touches.first().copied().unwrap_or(rings[b][0]);
                return Some(PolygonDefect::Intersecting { a, b, at });
            }
            side.insert((a, b), ab);
            side.insert((b, a), ba);
            if !c.touches.is_empty() {
                touches.push((a, b, c.touches));
            }
        }
    }
    for h in 1..rings.len() {
        let (inside, _) = side[&(0, h)];
        if !inside {
            return Some(PolygonDefect::InnerOutside { ring: h });
        }
    }
    for a in 1..rings.len() {
        for b in 1..rings.len() {
            if a != b && side[&(a, b)].0 {
                return Some(PolygonDefect::Nested { outer: a, inner: b });
            }
        }
    }
    // The interior is disconnected when rings and touching points form a cycle.
    let mut points: HashMap<[u64; 2], usize> = HashMap::new();
    let mut uf = UnionFind::new(rings.len());
    let mut edges = std::collections::HashSet::new();
    for (a, b, pts) in &touches {
        for p in pts {
            let key = [p[0].to_bits(), p[1].to_bits()];
            let next = rings.len() + points.len();
            let node = *points.entry(key).or_insert(next);
            uf.grow(node + 1);
            for &r in [a, b] {
                if edges.insert((r, node)) && !uf.union(r, node) {
                    return Some(PolygonDefect::Disconnected { at: *p });
                }
            }
        }
    }
    None
}

/// A disjoint-set forest.
pub(crate) struct UnionFind {
    parent: Vec<usize>,
}

impl UnionFind {
    pub(crate) fn new(n: usize) -> Self {
        UnionFind {
            parent: (0..n).collect(),
        }
    }

    pub(crate) fn grow(&mut self, n: usize) {
        while self.parent.len() < n {
            let k = self.parent.len();
            self.parent.push(k);
        }
    }

    pub(crate) fn find(&mut self, mut x: usize) -> usize {
        while self.parent[x] != x {
            self.parent[x] = self.parent[self.parent[x]];
            x = self.parent[x];
        }
        x
    }

    /// Joins the sets of `a` and `b`; false when they were already one set.
    pub(crate) fn union(&mut self, a: usize, b: usize) -> bool {
        let (ra, rb) = (self.find(a), self.find(b));
        if ra == rb {
            return false;
        }
        self.parent[ra.max(rb)] = ra.min(rb);
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sq(x0: f64, y0: f64, x1: f64, y1: f64) -> Vec<P2> {
        vec![[x0, y0], [x1, y0], [x1, y1], [x0, y1]]
    }

    #[test]
    fn simple_and_broken_rings() {
        assert_eq!(ring_defect(&sq(0.0, 0.0, 1.0, 1.0)), None);
        // Bow tie.
        let bow = vec![[0.0, 0.0], [1.0, 1.0], [1.0, 0.0], [0.0, 1.0]];
        assert!(matches!(
            ring_defect(&bow),
            Some(RingDefect::SelfIntersection { .. })
        ));
        // Collapsed.
        let line = vec![[0.0, 0.0], [1.0, 1.0], [2.0, 2.0]];
        assert_eq!(ring_defect(&line), Some(RingDefect::Collapsed));
        // A spike going back on itself.
        let spike = vec![[0.0, 0.0], [2.0, 0.0], [1.0, 0.0], [1.0, 1.0]];
        assert!(ring_defect(&spike).is_some());
        // Touching itself at a vertex.
        let pinch = vec![
            [0.0, 0.0],
            [2.0, 0.0],
            [1.0, 1.0],
            [2.0, 2.0],
            [0.0, 2.0],
            [1.0, 1.0],
        ];
        assert!(ring_defect(&pinch).is_some());
        // A collinear vertex is fine.
        let straight = vec![[0.0, 0.0], [1.0, 0.0], [2.0, 0.0], [2.0, 1.0], [0.0, 1.0]];
        assert_eq!(ring_defect(&straight), None);
    }

    #[test]
    fn many_vertices_use_the_index() {
        // A 200-gon circle and a version with one vertex pushed across the ring.
        let n = 200;
        let circle: Vec<P2> = (0..n)
            .map(|i| {
                let a = i as f64 / n as f64 * std::f64::consts::TAU;
                [474_000.0 + 50.0 * a.cos(), 4_418_000.0 + 50.0 * a.sin()]
            })
            .collect();
        assert_eq!(ring_defect(&circle), None);
        let mut broken = circle.clone();
        broken[10] = [474_000.0 - 60.0, 4_418_000.0];
        assert!(ring_defect(&broken).is_some());
    }

    #[test]
    fn holes() {
        let ext = sq(0.0, 0.0, 10.0, 10.0);
        let mut hole = sq(2.0, 2.0, 4.0, 4.0);
        hole.reverse();
        assert_eq!(polygon_defect(&[ext.clone(), hole.clone()], true), None);
        assert_eq!(
            polygon_defect(&[ext.clone(), sq(2.0, 2.0, 4.0, 4.0)], true),
            Some(PolygonDefect::OrientationSame { ring: 1 })
        );
        assert!(polygon_defect(&[ext.clone(), sq(2.0, 2.0, 4.0, 4.0)], false).is_none());
        // Crossing the exterior.
        let out = sq(8.0, 8.0, 12.0, 12.0);
        assert!(matches!(
            polygon_defect(&[ext.clone(), out], false),
            Some(PolygonDefect::Intersecting { .. })
        ));
        // Outside.
        assert_eq!(
            polygon_defect(&[ext.clone(), sq(20.0, 20.0, 22.0, 22.0)], false),
            Some(PolygonDefect::InnerOutside { ring: 1 })
        );
        // Nested.
        assert_eq!(
            polygon_defect(
                &[ext.clone(), sq(1.0, 1.0, 9.0, 9.0), sq(2.0, 2.0, 3.0, 3.0)],
                false
            ),
            Some(PolygonDefect::Nested { outer: 1, inner: 2 })
        );
        // Duplicate.
        assert_eq!(
            polygon_defect(&[ext.clone(), hole.clone(), hole.clone()], false),
            Some(PolygonDefect::Duplicated { a: 1, b: 2 })
        );
        // Touching the exterior at one point is fine, at two points cuts the interior.
        let tri1 = vec![[0.0, 5.0], [3.0, 4.0], [3.0, 6.0]];
        assert_eq!(polygon_defect(&[ext.clone(), tri1], false), None);
        let cut = vec![[0.0, 5.0], [5.0, 4.0], [10.0, 5.0], [5.0, 6.0]];
        assert!(matches!(
            polygon_defect(&[ext.clone(), cut], false),
            Some(PolygonDefect::Disconnected { .. })
        ));
        // Two holes touching each other at two points.
        let h1 = vec![[2.0, 2.0], [5.0, 2.0], [5.0, 5.0], [2.0, 5.0]];
        let h2 = vec![[5.0, 2.0], [8.0, 3.0], [5.0, 5.0], [6.0, 3.5]];
        assert!(polygon_defect(&[ext.clone(), h1, h2], false).is_some());
        // A hole sharing a segment with the exterior.
        let edge = vec![[0.0, 2.0], [0.0, 4.0], [2.0, 3.0]];
        assert!(matches!(
            polygon_defect(&[ext, edge], false),
            Some(PolygonDefect::Intersecting { .. })
        ));
    }

    /// A ring of `pts` on a small grid far from the origin: many collinear points, shared
    /// vertices and touching segments.
    fn grid_ring(pts: &[(u8, u8)]) -> Vec<P2> {
        pts.iter()
            .map(|&(x, y)| {
                [
                    474_000.0 + 0.5 * f64::from(x),
                    4_418_000.0 + 0.5 * f64::from(y),
                ]
            })
            .collect()
    }

    /// Grid points `c + (d - 3)` in the order of their angle around `c` (one per angle): a
    /// star-shaped ring, mostly simple, touching others often.
    fn star_around(c: (u8, u8), d: &[(u8, u8)]) -> Vec<(u8, u8)> {
        let mut pts: Vec<(f64, (u8, u8))> = d
            .iter()
            .filter(|&&(x, y)| (x, y) != (3, 3))
            .map(|&(x, y)| {
                let (dx, dy) = (f64::from(x) - 3.0, f64::from(y) - 3.0);
                (dy.atan2(dx), (c.0 + x - 3, c.1 + y - 3))
            })
            .collect();
        pts.sort_by(|a, b| a.0.total_cmp(&b.0));
        pts.dedup_by(|a, b| a.0 == b.0);
        pts.into_iter().map(|(_, p)| p).collect()
    }

    /// The kind of a ring defect, without the point (the methods may find different points
    /// of the same intersection).
    fn kind(d: Option<RingDefect>) -> u8 {
        match d {
            None => 0,
            Some(RingDefect::Collapsed) => 1,
            Some(RingDefect::SelfIntersection { .. }) => 2,
        }
    }

    fn sorted(mut v: Vec<P2>) -> Vec<P2> {
        v.sort_by(|a, b| a[0].total_cmp(&b[0]).then(a[1].total_cmp(&b[1])));
        v
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig {
            cases: 2000,
            max_global_rejects: 100_000,
            ..Default::default()
        })]

        #[test]
        fn the_sweep_finds_what_all_pairs_find(
            pts in proptest::collection::vec((0u8..6, 0u8..6), 3..14),
        ) {
            let ring = grid_ring(&pts);
            proptest::prop_assert_eq!(
                kind(ring_defect_by(&ring, Pairs::Sweep)),
                kind(ring_defect_by(&ring, Pairs::Scan)),
                "{:?}", ring
            );
            proptest::prop_assert_eq!(
                kind(ring_defect_by(&ring, Pairs::Boxes)),
                kind(ring_defect_by(&ring, Pairs::Scan))
            );
        }

        #[test]
        fn ring_contacts_by_the_sweep_are_those_of_all_pairs(
            ca in (3u8..6, 3u8..6),
            a in proptest::collection::vec((0u8..7, 0u8..7), 3..9),
            cb in (3u8..6, 3u8..6),
            b in proptest::collection::vec((0u8..7, 0u8..7), 3..9),
        ) {
            let (a, b) = (grid_ring(&star_around(ca, &a)), grid_ring(&star_around(cb, &b)));
            proptest::prop_assume!(ring_defect(&a).is_none() && ring_defect(&b).is_none());
            let sweep = ring_contact_by(&a, &b, Pairs::Sweep);
            let all = ring_contact_by(&a, &b, Pairs::Scan);
            proptest::prop_assert_eq!(sweep.crossing.is_some(), all.crossing.is_some());
            if all.crossing.is_none() {
                proptest::prop_assert_eq!(sorted(sweep.touches), sorted(all.touches));
            }
        }

        #[test]
        fn simple_rings_are_those_geo_finds_valid(
            pts in proptest::collection::vec((0u8..8, 0u8..8), 3..12),
        ) {
            use geo::Validation;
            let ring = grid_ring(&pts);
            let n = ring.len();
            // Where geo's rule and the simple-features rule coincide: distinct points (geo lets
            // a ring pass through a vertex twice) and no three consecutive points on a line
            // (geo lets adjacent segments fold back on each other).
            let distinct = (0..n).all(|i| (i + 1..n).all(|j| ring[i] != ring[j]));
            let turning = (0..n).all(|i| {
                orient2d(ring[i], ring[(i + 1) % n], ring[(i + 2) % n]) != Orientation::Collinear
            });
            proptest::prop_assume!(distinct && turning);
            let mut closed: Vec<(f64, f64)> = ring.iter().map(|p| (p[0], p[1])).collect();
            closed.push(closed[0]);
            let poly = geo::Polygon::new(geo::LineString::from(closed), vec![]);
            let geo_valid = poly.is_valid();
            proptest::prop_assert_eq!(ring_defect_by(&ring, Pairs::Sweep).is_none(), geo_valid);
            proptest::prop_assert_eq!(ring_defect(&ring).is_none(), geo_valid);
        }
    }

    #[test]
    fn a_star_of_long_spokes_is_checked_by_the_sweep() {
        // 20,000 spokes whose boxes overlap thousands of others, and the same star with one
        // spoke pushed through its neighbour.
        let n = 40_000;
        let star: Vec<P2> = (0..n)
            .map(|k| {
                let a = k as f64 / n as f64 * std::f64::consts::TAU;
                let r = if k % 2 == 0 { 100.0 } else { 5.0 };
                [474_000.0 + r * a.cos(), 4_418_000.0 + r * a.sin()]
            })
            .collect();
        assert_eq!(ring_defect(&star), None);
        let mut broken = star.clone();
        broken[1000] = star[1004];
        assert!(matches!(
            ring_defect(&broken),
            Some(RingDefect::SelfIntersection { .. })
        ));
        let mut hole: Vec<P2> = (0..64)
            .map(|k| {
                let a = k as f64 / 64.0 * std::f64::consts::TAU;
                [474_000.0 + 4.0 * a.cos(), 4_418_000.0 - 4.0 * a.sin()]
            })
            .collect();
        assert_eq!(polygon_defect(&[star.clone(), hole.clone()], true), None);
        // The hole touching the star's inner corner at a vertex is fine; through it is not.
        hole[0] = star[1];
        assert_eq!(polygon_defect(&[star.clone(), hole.clone()], true), None);
        hole[0] = [474_000.0 + 6.0, 4_418_000.0];
        assert!(matches!(
            polygon_defect(&[star, hole], true),
            Some(PolygonDefect::Intersecting { .. })
        ));
    }
}
