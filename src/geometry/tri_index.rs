//! An R-tree over the bounding boxes of a mesh's triangles: which triangles a vertical ray, a
//! box or another mesh's triangles can meet, in logarithmic time instead of a scan.
//!
//! The index only proposes candidates (their boxes meet the query, closed boxes); every
//! decision on a candidate is still made with the exact predicates of [`kernel`](super::kernel).

use rstar::primitives::{GeomWithData, Rectangle};
use rstar::{AABB, RTree};

use super::Aabb;

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

    /// The number of triangles indexed.
    pub fn len(&self) -> usize {
        self.tree.size()
    }

    /// True when no triangle is indexed.
    pub fn is_empty(&self) -> bool {
        self.tree.size() == 0
    }
}
