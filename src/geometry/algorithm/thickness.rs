//! The thickness of a 2D region: the diameter of the largest circle that fits inside it.

use geo::{Area, BoundingRect, Contains, Coord, Distance, Euclidean, MultiPolygon, Point, Polygon};

/// The diameter (m) of the largest circle inside `region`, to within `precision` metres or
/// one percent of the result, whichever is larger.
///
/// This is the region's thickness: for a rectangle it is the shorter side, for a thin strip
/// bent into an L it is the strip's width. Found by the pole-of-inaccessibility search (cells
/// refined best-first while they can still hold a larger circle).
///
/// ```
/// use geo::{MultiPolygon, polygon};
/// use strata::geometry::algorithm::inscribed_diameter;
/// let strip = MultiPolygon::new(vec![polygon![(x: 0.0, y: 0.0), (x: 40.0, y: 0.0), (x: 40.0, y: 0.03), (x: 0.0, y: 0.03)]]);
/// assert!((inscribed_diameter(&strip, 0.001) - 0.03).abs() < 0.002);
/// ```
pub fn inscribed_diameter(region: &MultiPolygon<f64>, precision: f64) -> f64 {
    region
        .0
        .iter()
        .map(|p| 2.0 * pole_distance(p, precision.max(1e-9)))
        .fold(0.0, f64::max)
}

fn boundary_distance(p: &Polygon<f64>, c: Coord<f64>) -> f64 {
    let pt = Point::from(c);
    let d = std::iter::once(p.exterior())
        .chain(p.interiors())
        .map(|r| Euclidean.distance(&pt, r))
        .fold(f64::INFINITY, f64::min);
    if p.contains(&pt) { d } else { -d }
}

struct Cell {
    c: Coord<f64>,
    h: f64,
    d: f64,
    max: f64,
}

impl PartialEq for Cell {
    fn eq(&self, o: &Self) -> bool {
        self.max == o.max
    }
}
impl Eq for Cell {}
impl PartialOrd for Cell {
    fn partial_cmp(&self, o: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(o))
    }
}
impl Ord for Cell {
    fn cmp(&self, o: &Self) -> std::cmp::Ordering {
        self.max.total_cmp(&o.max)
    }
}

impl Cell {
    fn new(p: &Polygon<f64>, c: Coord<f64>, h: f64) -> Cell {
        let d = boundary_distance(p, c);
        Cell {
            c,
            h,
            d,
            max: d + h * std::f64::consts::SQRT_2,
        }
    }
}

/// Cells along the longer side of the bounding box when the search starts. The start tiles the
/// box by squares of its shorter side, as long as that makes no more than this many along the
/// longer side; a sliver 0.16 µm wide and 100 m long would otherwise start from 6·10⁸ cells
/// (10 GB). Longer boxes start from squares of the longer side divided by this, and the
/// best-first refinement finds the thin parts from there.
const MAX_START_CELLS: usize = 1024;

/// Cells refined before the search stops with the best circle found so far (a lower bound of
/// the thickness). The start makes at most two rows of `MAX_START_CELLS` and every refinement
/// adds four cells, so the heap never holds more than `2 · MAX_START_CELLS + 4 · MAX_REFINED`
/// cells. Reached only for slivers far thinner than the
/// precision asked, whose thickness is then reported as at most what was found: still thinner
/// than any tolerance that asked for it.
const MAX_REFINED: usize = 20_000;

/// The starting squares: half their side and their centres.
fn start_cells(r: &geo::Rect<f64>) -> (f64, Vec<Coord<f64>>) {
    let (w, h) = (r.width(), r.height());
    let long = w.max(h);
    let side = w.min(h).max(long / MAX_START_CELLS as f64);
    let count = |len: f64| ((len / side).ceil() as usize).clamp(1, MAX_START_CELLS);
    let (nx, ny) = (count(w), count(h));
    let half = side / 2.0;
    let mut centres = Vec::with_capacity(nx * ny);
    for i in 0..nx {
        for j in 0..ny {
            centres.push(Coord {
                x: r.min().x + side * i as f64 + half,
                y: r.min().y + side * j as f64 + half,
            });
        }
    }
    (half, centres)
}

fn pole_distance(p: &Polygon<f64>, precision: f64) -> f64 {
    let Some(r) = p.bounding_rect() else {
        return 0.0;
    };
    if p.unsigned_area() == 0.0 || r.width().min(r.height()) == 0.0 {
        return 0.0;
    }
    let (half, centres) = start_cells(&r);
    let mut heap: std::collections::BinaryHeap<Cell> =
        centres.into_iter().map(|c| Cell::new(p, c, half)).collect();
    let mut best = Cell::new(p, r.center(), 0.0);
    // Below this half-side, cells no longer move their centres: the coordinates' resolution.
    let extent = [r.min().x, r.min().y, r.max().x, r.max().y]
        .iter()
        .fold(0.0_f64, |m, v| m.max(v.abs()));
    let finest = 4.0 * f64::EPSILON * extent;
    let mut refined = 0;
    while let Some(cell) = heap.pop() {
        if cell.d > best.d {
            best = Cell {
                c: cell.c,
                h: 0.0,
                d: cell.d,
                max: cell.d,
            };
        }
        if cell.max - best.d <= precision.max(best.d * 0.01) || cell.h / 2.0 <= finest {
            continue;
        }
        refined += 1;
        if refined > MAX_REFINED {
            break;
        }
        let q = cell.h / 2.0;
        for (dx, dy) in [(-q, -q), (q, -q), (-q, q), (q, q)] {
            heap.push(Cell::new(
                p,
                Coord {
                    x: cell.c.x + dx,
                    y: cell.c.y + dy,
                },
                q,
            ));
        }
    }
    best.d.max(0.0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use geo::polygon;

    #[test]
    fn rectangles_and_l_shapes() {
        let r = MultiPolygon::new(vec![
            polygon![(x: 474_000.0, y: 4_418_000.0), (x: 474_030.0, y: 4_418_000.0), (x: 474_030.0, y: 4_418_008.0), (x: 474_000.0, y: 4_418_008.0)],
        ]);
        assert!((inscribed_diameter(&r, 0.001) - 8.0).abs() < 0.01);
        let l = MultiPolygon::new(vec![
            polygon![(x: 0.0, y: 0.0), (x: 20.0, y: 0.0), (x: 20.0, y: 0.04), (x: 0.04, y: 0.04), (x: 0.04, y: 20.0), (x: 0.0, y: 20.0)],
        ]);
        let d = inscribed_diameter(&l, 0.001);
        assert!(d < 0.06 && d > 0.035, "{d}");
    }

    #[test]
    fn a_sliver_far_thinner_than_the_precision_starts_from_few_cells() {
        // 0.16 µm by 100 m at CGCS2000 coordinates, turned 30°: tiling by the shorter side
        // would start from 6·10⁸ cells. The inscribed circle is the width.
        let (c, s) = (30f64.to_radians().cos(), 30f64.to_radians().sin());
        let (e, n) = (474_412.345, 4_418_207.891);
        let at = |x: f64, y: f64| (e + x * c - y * s, n + x * s + y * c);
        let w = 0.16e-6;
        let ring = vec![at(0.0, 0.0), at(100.0, 0.0), at(100.0, w), at(0.0, w)];
        let sliver = MultiPolygon::new(vec![Polygon::new(ring.into(), vec![])]);
        let t = std::time::Instant::now();
        let d = inscribed_diameter(&sliver, 1e-4);
        assert!((0.0..=2.0 * w).contains(&d), "{d}");
        assert!(t.elapsed().as_secs_f64() < 20.0);
        // Axis-aligned, with the start cells of a strip 10⁹ times longer than wide.
        let strip = MultiPolygon::new(vec![
            polygon![(x: e, y: n), (x: e + 100.0, y: n), (x: e + 100.0, y: n + 1e-7), (x: e, y: n + 1e-7)],
        ]);
        let d = inscribed_diameter(&strip, 1e-9);
        assert!((0.0..=1e-7 * 1.02).contains(&d), "{d}");
    }

    #[test]
    fn slivers_are_quick_and_bounded() {
        // 100 km long, 1 mm wide: without a cap on the starting cells, 10^8 of them.
        let s = MultiPolygon::new(vec![
            polygon![(x: 400_000.0, y: 4_418_000.0), (x: 500_000.0, y: 4_418_000.0), (x: 500_000.0, y: 4_418_000.001), (x: 400_000.0, y: 4_418_000.001)],
        ]);
        let t = std::time::Instant::now();
        let d = inscribed_diameter(&s, 0.001);
        assert!(d <= 0.001 + 1e-9, "{d}");
        assert!(t.elapsed().as_secs_f64() < 5.0, "{:?}", t.elapsed());
        // A width of one unit in the last place of the easting, far from the origin.
        let x = 474_000.0f64;
        let ulp = f64::from_bits(x.to_bits() + 1) - x;
        let u = MultiPolygon::new(vec![
            polygon![(x: x, y: 4_418_000.0), (x: x + ulp, y: 4_418_000.0), (x: x + ulp, y: 4_418_010.0), (x: x, y: 4_418_010.0)],
        ]);
        assert!(inscribed_diameter(&u, 0.001) <= 2.0 * ulp);
    }
}
