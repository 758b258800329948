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

fn pole_distance(p: &Polygon<f64>, precision: f64) -> f64 {
    let Some(r) = p.bounding_rect() else {
        return 0.0;
    };
    if p.unsigned_area() == 0.0 {
        return 0.0;
    }
    let (w, h) = (r.width(), r.height());
    let size = w.min(h);
    if size == 0.0 {
        return 0.0;
    }
    // Cells of the shorter side's size tile the box; a strip 1000 times longer than wide gets
    // 1000 cells, which is still quick.
    let half = size / 2.0;
    let mut cells = Vec::new();
    let mut x = r.min().x;
    while x < r.max().x {
        let mut y = r.min().y;
        while y < r.max().y {
            cells.push(Cell::new(
                p,
                Coord {
                    x: x + half,
                    y: y + half,
                },
                half,
            ));
            y += size;
        }
        x += size;
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
}
