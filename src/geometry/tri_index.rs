//! An R-tree over the bounding boxes of a mesh's triangles: which triangles a vertical ray, a
//! box or another mesh's triangles can meet, in logarithmic time instead of a scan.
//!
//! The index only proposes candidates (their boxes meet the query, closed boxes); every
//! decision on a candidate is still made with the exact predicates of [`kernel`](super::kernel).

use rstar::primitives::{GeomWithData, Rectangle};
use rstar::{AABB, RTree, RTreeObject, SelectionFunction};

use super::{Aabb, Point3};

/// The relative width of the band in which [`TriangleIndex::near_plane`] keeps a box that the
/// plane seems to miss. The value `n · (q - a)` of a plane through input points at a box
/// corner, computed in `f64` (normal, centre, half-size and products all rounded), is off by at
/// most a few units of 2⁻⁵³ times the magnitudes involved (coordinates and the absolute
/// products of the normal); a band of 10⁻¹² of those magnitudes keeps every box the plane
/// touches exactly, with a margin of three orders, and adds no candidates that matter (10⁻⁵ m
/// at CGCS2000 coordinates).
const PLANE_BAND: f64 = 1e-12;

type Entry = GeomWithData<Rectangle<[f64; 3]>, usize>;

/// Triangles of a mesh indexed by their boxes.
#[derive(Clone)]
pub struct TriangleIndex {
    tree: RTree<Entry>,
}

impl std::fmt::Debug for TriangleIndex {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TriangleIndex")
            .field("triangles", &self.tree.size())
            .finish()
    }
}

fn envelope(b: &Aabb) -> AABB<[f64; 3]> {
    AABB::from_corners([b.min.x, b.min.y, b.min.z], [b.max.x, b.max.y, b.max.z])
}

/// Selects the boxes a plane may cut or touch.
struct PlaneSelect {
    origin: [f64; 3],
    n: [f64; 3],
    /// Bounds of the magnitudes of the normal's components (the sums of the absolute products).
    mag: [f64; 3],
}

impl PlaneSelect {
    fn meets(&self, env: &AABB<[f64; 3]>) -> bool {
        let (lo, hi) = (env.lower(), env.upper());
        let (mut centre, mut reach, mut scale) = (0.0, 0.0, 0.0);
        for k in 0..3 {
            let c = 0.5 * (lo[k] + hi[k]) - self.origin[k];
            let h = 0.5 * (hi[k] - lo[k]);
            centre += self.n[k] * c;
            reach += self.n[k].abs() * h;
            // The rounding of the centre and half-size, of the normal and of the products.
            let size = c.abs() + h + lo[k].abs() + hi[k].abs() + self.origin[k].abs();
            scale += (self.mag[k] + self.n[k].abs()) * size;
        }
        centre.abs() <= reach + PLANE_BAND * scale
    }
}

impl SelectionFunction<Entry> for PlaneSelect {
    fn should_unpack_parent(&self, envelope: &AABB<[f64; 3]>) -> bool {
        self.meets(envelope)
    }

    fn should_unpack_leaf(&self, leaf: &Entry) -> bool {
        self.meets(&leaf.envelope())
    }
}

impl TriangleIndex {
    /// Bulk-loads the boxes of the triangles (entry `i` is triangle `i`; empty boxes are left
    /// out).
    ///
    /// ```
    /// use strata::geometry::{Aabb, Point3};
    /// use strata::geometry::tri_index::TriangleIndex;
    /// let b = |x: f64| Aabb { min: Point3::new(x, 0.0, 0.0), max: Point3::new(x + 1.0, 1.0, 0.0) };
    /// let index = TriangleIndex::new(&[b(0.0), b(5.0)]);
    /// let mut hits: Vec<usize> = index.in_box(&b(0.5)).collect();
    /// hits.sort();
    /// assert_eq!(hits, vec![0]);
    /// ```
    pub fn new(boxes: &[Aabb]) -> TriangleIndex {
        let entries: Vec<Entry> = boxes
            .iter()
            .enumerate()
            .filter(|(_, b)| !b.is_empty())
            .map(|(i, b)| GeomWithData::new(Rectangle::from_aabb(envelope(b)), i))
            .collect();
        TriangleIndex {
            tree: RTree::bulk_load(entries),
        }
    }

    /// The triangles whose (closed) boxes meet the (closed) box `b`.
    pub fn in_box(&self, b: &Aabb) -> impl Iterator<Item = usize> + '_ {
        self.tree
            .locate_in_envelope_intersecting(&envelope(b))
            .map(|e| e.data)
    }

    /// The triangles whose boxes meet the box `lo`–`hi` in x and y and reach up to `lo[2]` or
    /// higher: the candidates a vertical ray upwards from within that box can cross.
    pub fn under_or_above(&self, lo: [f64; 3], hi: [f64; 2]) -> impl Iterator<Item = usize> + '_ {
        self.tree
            .locate_in_envelope_intersecting(&AABB::from_corners(lo, [hi[0], hi[1], f64::MAX]))
            .map(|e| e.data)
    }

    /// The pairs `(i, j)` of a triangle `i` of this index and a triangle `j` of `other` whose
    /// boxes meet.
    pub fn pairs<'a>(
        &'a self,
        other: &'a TriangleIndex,
    ) -> impl Iterator<Item = (usize, usize)> + 'a {
        self.tree
            .intersection_candidates_with_other_tree(&other.tree)
            .map(|(a, b)| (a.data, b.data))
    }

    /// The triangles whose boxes the plane through `a b c` cuts or touches, ascending: every
    /// triangle with vertices on both sides of the plane, or on it, is among them (the boxes
    /// are tested in floating point with a safety band of 10⁻¹² relative; the caller decides on
    /// the candidates exactly).
    ///
    /// ```
    /// use strata::geometry::{Aabb, Point3};
    /// use strata::geometry::tri_index::TriangleIndex;
    /// let b = |z: f64| Aabb { min: Point3::new(0.0, 0.0, z), max: Point3::new(1.0, 1.0, z + 1.0) };
    /// let index = TriangleIndex::new(&[b(0.0), b(5.0), b(1.0)]);
    /// let (o, x, y) = (Point3::new(0.0, 0.0, 2.0), Point3::new(1.0, 0.0, 2.0), Point3::new(0.0, 1.0, 2.0));
    /// assert_eq!(index.near_plane(&o, &x, &y), vec![2]);
    /// ```
    pub fn near_plane(&self, a: &Point3, b: &Point3, c: &Point3) -> Vec<usize> {
        let (u, v) = (b - a, c - a);
        let n = u.cross(&v);
        let mag = [
            (u.y * v.z).abs() + (u.z * v.y).abs(),
            (u.z * v.x).abs() + (u.x * v.z).abs(),
            (u.x * v.y).abs() + (u.y * v.x).abs(),
        ];
        let select = PlaneSelect {
            origin: [a.x, a.y, a.z],
            n: [n.x, n.y, n.z],
            mag,
        };
        let mut out: Vec<usize> = self
            .tree
            .locate_with_selection_function(select)
            .map(|e| e.data)
            .collect();
        out.sort_unstable();
        out
    }

    /// The number of triangles indexed.
    pub fn len(&self) -> usize {
        self.tree.size()
    }

    /// True when no triangle is indexed.
    pub fn is_empty(&self) -> bool {
        self.tree.size() == 0
    }
}
