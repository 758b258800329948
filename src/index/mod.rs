//! The spatial index: an R-tree over the 3D bounding boxes of units, bulk-loaded once and
//! shared by every check and query.

use rayon::prelude::*;
use rstar::primitives::{GeomWithData, Rectangle};
use rstar::{AABB, RTree};

use crate::geometry::Aabb;

type Entry = GeomWithData<Rectangle<[f64; 3]>, u32>;

/// An R-tree over boxes, each tagged with its position in the input.
#[derive(Debug)]
pub struct BoxIndex {
    tree: RTree<Entry>,
    boxes: Vec<Aabb>,
}

fn env(b: &Aabb) -> AABB<[f64; 3]> {
    AABB::from_corners([b.min.x, b.min.y, b.min.z], [b.max.x, b.max.y, b.max.z])
}

impl BoxIndex {
    /// Bulk-loads the boxes (empty boxes are left out).
    ///
    /// ```
    /// use strata::geometry::{Aabb, Point3};
    /// use strata::index::BoxIndex;
    /// let b = |x: f64| Aabb { min: Point3::new(x, 0.0, 0.0), max: Point3::new(x + 1.0, 1.0, 1.0) };
    /// let index = BoxIndex::new(vec![b(0.0), b(1.0), b(5.0)]);
    /// assert_eq!(index.pairs(0.0), vec![(0, 1)]); // touching boxes are candidates
    /// ```
    pub fn new(boxes: Vec<Aabb>) -> BoxIndex {
        let entries: Vec<Entry> = boxes
            .iter()
            .enumerate()
            .filter(|(_, b)| !b.is_empty())
            .map(|(i, b)| GeomWithData::new(Rectangle::from_aabb(env(b)), i as u32))
            .collect();
        BoxIndex {
            tree: RTree::bulk_load(entries),
            boxes,
        }
    }

    /// The number of boxes.
    pub fn len(&self) -> usize {
        self.boxes.len()
    }

    /// True when there is no box.
    pub fn is_empty(&self) -> bool {
        self.boxes.is_empty()
    }

    /// The box of entry `i`.
    pub fn bbox(&self, i: usize) -> &Aabb {
        &self.boxes[i]
    }

    /// The entries whose boxes meet `b` enlarged by `margin` metres (touching counts).
    pub fn query(&self, b: &Aabb, margin: f64) -> Vec<u32> {
        let mut out: Vec<u32> = self
            .tree
            .locate_in_envelope_intersecting(&env(&b.expanded(margin)))
            .map(|e| e.data)
            .collect();
        out.sort_unstable();
        out
    }

    /// Every pair `(i, j)`, `i < j`, whose boxes meet when enlarged by `margin` metres, in
    /// ascending order. Queries run in parallel; the result does not depend on the thread
    /// count.
    pub fn pairs(&self, margin: f64) -> Vec<(u32, u32)> {
        let per: Vec<Vec<(u32, u32)>> = (0..self.boxes.len())
            .into_par_iter()
            .map(|i| {
                let b = &self.boxes[i];
                if b.is_empty() {
                    return Vec::new();
                }
                let mut v: Vec<(u32, u32)> = self
                    .tree
                    .locate_in_envelope_intersecting(&env(&b.expanded(margin)))
                    .filter(|e| e.data as usize > i)
                    .map(|e| (i as u32, e.data))
                    .collect();
                v.sort_unstable();
                v
            })
            .collect();
        per.concat()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::geometry::Point3;

    /// A deterministic generator (SplitMix64).
    fn rng(seed: u64) -> impl FnMut() -> f64 {
        let mut s = seed;
        move || {
            s = s.wrapping_add(0x9E37_79B9_7F4A_7C15);
            let mut z = s;
            z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
            z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
            (z ^ (z >> 31)) as f64 / u64::MAX as f64
        }
    }

    #[test]
    fn pairs_agree_with_brute_force_on_seeded_random_boxes() {
        for seed in [1, 7, 42] {
            let mut r = rng(seed);
            let boxes: Vec<Aabb> = (0..600)
                .map(|_| {
                    let (x, y, z) = (
                        474_000.0 + r() * 400.0,
                        4_418_000.0 + r() * 400.0,
                        -30.0 + r() * 60.0,
                    );
                    // Some boxes sit exactly on a grid so that faces touch.
                    let (x, y, z) = if r() < 0.3 {
                        (x.round(), y.round(), z.round())
                    } else {
                        (x, y, z)
                    };
                    let (dx, dy, dz) = if r() < 0.3 {
                        (10.0, 10.0, 5.0)
                    } else {
                        (r() * 30.0, r() * 30.0, r() * 10.0)
                    };
                    Aabb {
                        min: Point3::new(x, y, z),
                        max: Point3::new(x + dx, y + dy, z + dz),
                    }
                })
                .collect();
            let index = BoxIndex::new(boxes.clone());
            for margin in [0.0, 0.5] {
                let mut brute = Vec::new();
                for i in 0..boxes.len() {
                    for j in i + 1..boxes.len() {
                        if boxes[i].expanded(margin).intersects(&boxes[j]) {
                            brute.push((i as u32, j as u32));
                        }
                    }
                }
                assert_eq!(index.pairs(margin), brute, "seed {seed}, margin {margin}");
            }
            let q = boxes[3];
            let brute: Vec<u32> = (0..boxes.len() as u32)
                .filter(|&j| q.intersects(&boxes[j as usize]))
                .collect();
            assert_eq!(index.query(&q, 0.0), brute);
        }
    }
}
