//! Which segments of a set meet: a plane sweep in the manner of Shamos and Hoey, with every
//! decision made by the exact [`orient2d`].
//!
//! The sweep line moves over the segments' end points in lexicographic order (x, then y: a
//! vertical line turned by an infinitesimal angle, so that vertical segments need no special
//! case) and keeps the segments it cuts ordered from bottom to top. At each end point it
//! visits every pair of segments through that point, and each pair of segments that becomes
//! adjacent in the order. Segments that touch at isolated points (at an end point of one of
//! them) keep their order, so for a set in which no two segments *cross* (meet at a point
//! inside both, not collinear) or *overlap* (share a piece of positive length), every pair of
//! segments that meet is visited. When some pairs do cross or overlap, the leftmost such
//! meeting becomes visible before the sweep passes it: at least one crossing or overlapping
//! pair is visited, and the sweep ends after the first one (the order beyond it would be
//! wrong). The cost is O((n + k) log n) for n segments and k visited pairs, however long the
//! segments are: the bounding boxes of long segments, which make box-based candidates
//! quadratic, play no part.

use std::cmp::Ordering;
use std::collections::BTreeSet;
use std::ops::ControlFlow;

use crate::geometry::kernel::orient2d;

use super::polygon2d::P2;

/// A segment: its two ends.
pub type Segment = (P2, P2);

/// True when `p` comes before `q` in the sweep's order (x, then y).
fn lex(p: P2, q: P2) -> Ordering {
    p[0].total_cmp(&q[0]).then(p[1].total_cmp(&q[1]))
}

/// A segment of the sweep's status, its ends in sweep order.
#[derive(Debug, Clone, Copy)]
struct Entry {
    left: P2,
    right: P2,
    id: usize,
}

/// A key of the status: a segment, or a point probing the order just below (`above ==
/// false`) or just above (`above == true`) the segments through it.
#[derive(Debug, Clone, Copy)]
enum Key {
    Seg(Entry),
    Probe { p: P2, above: bool },
}

/// The side of `p` relative to the directed line through `s` (+1 above, seen from the sweep).
fn side(s: &Entry, p: P2) -> i8 {
    orient2d(s.left, s.right, p).sign()
}

/// The order of two segments both cut by the sweep line, where neither crosses the other to
/// the left of it: compared at the later of the two left ends (or just after it, when that
/// end lies on the other segment).
fn cmp_entries(s: &Entry, t: &Entry) -> Ordering {
    if s.id == t.id {
        return Ordering::Equal;
    }
    if lex(s.left, t.left) == Ordering::Less {
        return cmp_entries(t, s).reverse();
    }
    // `s` starts later: where is it relative to `t`?
    let mut o = side(t, s.left);
    if o == 0 {
        o = side(t, s.right);
    }
    match o {
        1 => Ordering::Greater,
        -1 => Ordering::Less,
        _ => s.id.cmp(&t.id),
    }
}

impl Ord for Key {
    fn cmp(&self, other: &Key) -> Ordering {
        match (self, other) {
            (Key::Seg(s), Key::Seg(t)) => cmp_entries(s, t),
            (Key::Probe { p, above }, Key::Seg(t)) => match side(t, *p) {
                1 => Ordering::Greater,
                -1 => Ordering::Less,
                _ if *above => Ordering::Greater,
                _ => Ordering::Less,
            },
            (Key::Seg(_), Key::Probe { .. }) => other.cmp(self).reverse(),
            (Key::Probe { p, above: a }, Key::Probe { p: q, above: b }) => {
                lex(*p, *q).then(a.cmp(b))
            }
        }
    }
}

impl PartialOrd for Key {
    fn partial_cmp(&self, other: &Key) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl PartialEq for Key {
    fn eq(&self, other: &Key) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}

impl Eq for Key {}

/// True when the two segments cross (meet at a point inside both, not collinear) or overlap
/// (share a piece of positive length): the meetings after which the sweep's order is wrong.
pub fn cross_or_overlap((p, q): Segment, (r, s): Segment) -> bool {
    let o1 = orient2d(p, q, r).sign();
    let o2 = orient2d(p, q, s).sign();
    let o3 = orient2d(r, s, p).sign();
    let o4 = orient2d(r, s, q).sign();
    if o1 * o2 < 0 && o3 * o4 < 0 {
        return true;
    }
    if o1 != 0 || o2 != 0 || (p == q && r == s) {
        return false;
    }
    // Collinear (or one of them a point on the other's line): overlap along the common line.
    let (p, q) = if lex(p, q) == Ordering::Greater {
        (q, p)
    } else {
        (p, q)
    };
    let (r, s) = if lex(r, s) == Ordering::Greater {
        (s, r)
    } else {
        (r, s)
    };
    let lo = if lex(p, r) == Ordering::Greater { p } else { r };
    let hi = if lex(q, s) == Ordering::Less { q } else { s };
    lex(lo, hi) == Ordering::Less
}

/// Visits pairs `(i, j)` (`i < j`) of the segments that may meet, as described in the module
/// documentation: with no crossing or overlapping pair, every pair that meets; otherwise at
/// least one crossing or overlapping pair, the sweep ending after the first. A pair may be
/// visited more than once. `visit` can end the sweep early with `Break`. Every coordinate
/// must be finite (others make the order meaningless; callers check first).
///
/// ```
/// use std::ops::ControlFlow;
/// use strata::validate::sweep::sweep_pairs;
/// // Two segments touching at (1, 1), and a third far away.
/// let segs = [([0.0, 0.0], [1.0, 1.0]), ([1.0, 1.0], [2.0, 0.0]), ([5.0, 5.0], [6.0, 5.0])];
/// let mut pairs = Vec::new();
/// let _ = sweep_pairs(&segs, |i, j| {
///     pairs.push((i, j));
///     ControlFlow::Continue(())
/// });
/// pairs.sort();
/// pairs.dedup();
/// assert!(pairs.contains(&(0, 1)));
/// assert!(!pairs.contains(&(0, 2)));
/// ```
pub fn sweep_pairs(
    segs: &[Segment],
    mut visit: impl FnMut(usize, usize) -> ControlFlow<()>,
) -> ControlFlow<()> {
    // The end points, in sweep order; -0.0 is +0.0 so that equal points compare equal.
    let norm = |p: P2| [p[0] + 0.0, p[1] + 0.0];
    let entries: Vec<Entry> = segs
        .iter()
        .enumerate()
        .map(|(id, &(a, b))| {
            let (a, b) = (norm(a), norm(b));
            if lex(a, b) == Ordering::Greater {
                Entry {
                    left: b,
                    right: a,
                    id,
                }
            } else {
                Entry {
                    left: a,
                    right: b,
                    id,
                }
            }
        })
        .collect();
    // (point, starts here, segment)
    let mut events: Vec<(P2, bool, usize)> = Vec::with_capacity(2 * entries.len());
    for e in &entries {
        events.push((e.left, true, e.id));
        events.push((e.right, false, e.id));
    }
    events.sort_unstable_by(|x, y| lex(x.0, y.0).then(x.2.cmp(&y.2)));
    let mut status: BTreeSet<Key> = BTreeSet::new();
    let mut checker = Checker {
        segs,
        visit: &mut visit,
    };
    let mut k = 0;
    while k < events.len() {
        let p = events[k].0;
        let mut end = k;
        while end < events.len() && lex(events[end].0, p) == Ordering::Equal {
            end += 1;
        }
        let starting: Vec<usize> = events[k..end].iter().filter(|e| e.1).map(|e| e.2).collect();
        let ending: Vec<usize> = events[k..end]
            .iter()
            .filter(|e| !e.1)
            .map(|e| e.2)
            .collect();
        k = end;
        checker.event(&mut status, &entries, p, &starting, &ending)?;
    }
    ControlFlow::Continue(())
}

/// The visitor, and the rule that the sweep ends after a crossing or overlapping pair.
struct Checker<'a, F: FnMut(usize, usize) -> ControlFlow<()>> {
    segs: &'a [Segment],
    visit: &'a mut F,
}

impl<F: FnMut(usize, usize) -> ControlFlow<()>> Checker<'_, F> {
    fn pair(&mut self, i: usize, j: usize) -> ControlFlow<()> {
        if i == j {
            return ControlFlow::Continue(());
        }
        let (i, j) = (i.min(j), i.max(j));
        (self.visit)(i, j)?;
        if cross_or_overlap(self.segs[i], self.segs[j]) {
            return ControlFlow::Break(());
        }
        ControlFlow::Continue(())
    }

    /// One end point: the pairs through it, then the update of the order and the pairs that
    /// become adjacent.
    fn event(
        &mut self,
        status: &mut BTreeSet<Key>,
        entries: &[Entry],
        p: P2,
        starting: &[usize],
        ending: &[usize],
    ) -> ControlFlow<()> {
        let below = Key::Probe { p, above: false };
        let above = Key::Probe { p, above: true };
        let mut through: Vec<usize> = status
            .range(below..=above)
            .filter_map(|k| match k {
                Key::Seg(e) => Some(e.id),
                Key::Probe { .. } => None,
            })
            .collect();
        through.extend(starting.iter().copied());
        for (a, &i) in through.iter().enumerate() {
            for &j in &through[a + 1..] {
                self.pair(i, j)?;
            }
        }
        for &i in ending {
            status.remove(&Key::Seg(entries[i]));
        }
        for &i in starting {
            if lex(entries[i].left, entries[i].right) == Ordering::Less {
                status.insert(Key::Seg(entries[i]));
            }
        }
        let id = |k: Option<&Key>| match k {
            Some(Key::Seg(e)) => Some(e.id),
            _ => None,
        };
        let lower = id(status.range(..below).next_back());
        let upper = id(status.range(above..).next());
        let mut block = status.range(below..=above);
        let first = id(block.next());
        let last = id(block.next_back()).or(first);
        match (first, last) {
            (Some(f), Some(l)) => {
                if let Some(lo) = lower {
                    self.pair(lo, f)?;
                }
                if let Some(hi) = upper {
                    self.pair(l, hi)?;
                }
            }
            _ => {
                if let (Some(lo), Some(hi)) = (lower, upper) {
                    self.pair(lo, hi)?;
                }
            }
        }
        ControlFlow::Continue(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn visited(segs: &[Segment]) -> Vec<(usize, usize)> {
        let mut out = Vec::new();
        let _ = sweep_pairs(segs, |i, j| {
            out.push((i, j));
            ControlFlow::Continue(())
        });
        out.sort_unstable();
        out.dedup();
        out
    }

    #[test]
    fn touching_pairs_of_a_plane_graph_are_all_visited() {
        // A square, a vertical segment touching its right side inside, a point-touch from
        // above, and a segment far away.
        let segs = [
            ([0.0, 0.0], [2.0, 0.0]),
            ([2.0, 0.0], [2.0, 2.0]),
            ([2.0, 2.0], [0.0, 2.0]),
            ([0.0, 2.0], [0.0, 0.0]),
            ([2.0, 1.0], [3.0, 1.0]),
            ([1.0, 2.0], [1.0, 3.0]),
            ([9.0, 9.0], [9.0, 10.0]),
        ];
        let v = visited(&segs);
        for pair in [(0, 1), (1, 2), (2, 3), (0, 3), (1, 4), (2, 5)] {
            assert!(v.contains(&pair), "{pair:?} in {v:?}");
        }
        assert!(!v.iter().any(|&(i, j)| i == 6 || j == 6));
    }

    #[test]
    fn a_crossing_is_found_among_long_segments() {
        // A fan of long segments that do not meet, and one that crosses the last.
        let mut segs: Vec<Segment> = (0..200)
            .map(|k| ([0.0, k as f64], [100.0, 2.0 * k as f64 + 0.5]))
            .collect();
        segs.push(([50.0, 1000.0], [60.0, -5.0]));
        let n = segs.len();
        let mut found = false;
        let _ = sweep_pairs(&segs, |i, j| {
            if cross_or_overlap(segs[i], segs[j]) {
                found = true;
                assert!(j == n - 1);
            }
            ControlFlow::Continue(())
        });
        assert!(found);
        // Collinear overlap of vertical segments.
        let segs = [([1.0, 0.0], [1.0, 2.0]), ([1.0, 1.0], [1.0, 3.0])];
        assert_eq!(visited(&segs), vec![(0, 1)]);
        assert!(cross_or_overlap(segs[0], segs[1]));
    }
}
