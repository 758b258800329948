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

/// The search starts from at most about this many cells. A strip a thousand times longer than
/// wide starts from one cell per width, as it should; a 100 km sliver 1 mm wide would start
/// from 10^8 cells (gigabytes) without the cap, and starts from wider cells instead.
const MAX_START_CELLS: f64 = 10_000.0;

fn pole_distance(p: &Polygon<f64>, precision: f64) -> f64 {
    let Some(r) = p.bounding_rect() else {
        return 0.0;
    };
    if p.unsigned_area() == 0.0 {
        return 0.0;
    }
    let (w, h) = (r.width(), r.height());
    if w.min(h) == 0.0 {
        return 0.0;
    }
    // Square cells of the shorter side tile the box; for a strip more than MAX_START_CELLS
    // times longer than wide the cells are wider, so that there are at most that many. Cells
    // are placed by their index: adding a tiny size to a large coordinate may not move it.
    let size = w.min(h).max(w.max(h) / MAX_START_CELLS);
    let half = size / 2.0;
    let (nx, ny) = ((w / size).ceil() as usize, (h / size).ceil() as usize);
    let mut cells = Vec::with_capacity(nx * ny);
    for i in 0..nx {
        for j in 0..ny {
            cells.push(Cell::new(
                p,
                Coord {
                    x: r.min().x + (i as f64 + 0.5) * size,
                    y: r.min().y + (j as f64 + 0.5) * size,
                },
                half,
            ));
        }
    }
    let mut best = Cell::new(
        p,
        Coord {
            x: r.center().x,
            y: r.center().y,
        },
        0.0,
    );
    let mut heap: std::collections::BinaryHeap<Cell> = cells.into_iter().collect();
    let mut guard = 0;
    while let Some(cell) = heap.pop() {
        if cell.d > best.d {
            best = Cell {
                c: cell.c,
                h: 0.0,
                d: cell.d,
                max: cell.d,
            };
        }
        if cell.max - best.d <= precision.max(best.d * 0.01) {
            continue;
        }
        guard += 1;
        if guard > 20_000 {
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
