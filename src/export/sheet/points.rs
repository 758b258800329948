//! Boundary points (界址点) in surveyors' order: numbered J1, J2 … clockwise from the
//! north-west corner (TD/T 1001-2012), each with its upper and lower elevation.

use geo::{Coord, LineString, MultiPolygon, Polygon};

use crate::geometry::Volume;
use crate::geometry::algorithm::{BoundingBox3, VerticalExtent};

/// Points of a footprint closer than this (m) are one boundary point: the millimetre the
/// coordinate table is printed to.
pub const SAME_POINT_M: f64 = 0.0005;

/// One boundary point.
#[derive(Debug, Clone, PartialEq)]
pub struct BoundaryPoint {
    /// J1, J2, …
    pub name: String,
    /// Easting (the surveyors' Y), m.
    pub east: f64,
    /// Northing (the surveyors' X), m.
    pub north: f64,
    /// The lowest elevation of the volume over the point.
    pub lower: f64,
    /// The highest elevation of the volume over the point.
    pub upper: f64,
}

impl BoundaryPoint {
    /// Its position in plan.
    pub fn xy(&self) -> Coord<f64> {
        Coord {
            x: self.east,
            y: self.north,
        }
    }
}

/// The boundary points of a footprint and the rings they make (indices into the points, in
/// order, clockwise): every polygon's exterior, then its holes.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct BoundaryPoints {
    /// The points, J1 first.
    pub points: Vec<BoundaryPoint>,
    /// The rings.
    pub rings: Vec<Vec<usize>>,
}

/// The boundary points of `footprint`, the horizontal projection of `volume`.
///
/// Each polygon's exterior ring is walked clockwise (seen from above, north up) from its
/// vertex nearest the north-west corner of its bounding box; polygons are taken in the order
/// of those starting points' distance to the footprint's north-west corner; holes follow
/// their polygon. A point shared by two rings keeps its first number.
///
/// ```
/// use geo::{MultiPolygon, polygon};
/// use strata::geometry::{Part, Prism, Volume};
/// use strata::export::sheet::points::boundary_points;
/// let fp = polygon![(x: 0.0, y: 0.0), (x: 10.0, y: 0.0), (x: 10.0, y: 5.0), (x: 0.0, y: 5.0)];
/// let v = Volume::new(vec![Part::Prism(Prism::new(fp.clone(), -9.0, -1.0))]);
/// let b = boundary_points(&MultiPolygon::new(vec![fp]), &v);
/// let names: Vec<(&str, f64, f64)> = b.points.iter().map(|p| (p.name.as_str(), p.east, p.north)).collect();
/// assert_eq!(names, [("J1", 0.0, 5.0), ("J2", 10.0, 5.0), ("J3", 10.0, 0.0), ("J4", 0.0, 0.0)]);
/// assert_eq!((b.points[0].lower, b.points[0].upper), (-9.0, -1.0));
/// ```
pub fn boundary_points(footprint: &MultiPolygon<f64>, volume: &Volume) -> BoundaryPoints {
    let Some(all) = geo::BoundingRect::bounding_rect(footprint) else {
        return BoundaryPoints::default();
    };
    let nw = Coord {
        x: all.min().x,
        y: all.max().y,
    };
    let mut polys: Vec<(f64, Vec<Vec<Coord<f64>>>)> = footprint
        .iter()
        .map(|p| {
            let ext = clockwise_from_nw(p.exterior());
            let d = dist(ext.first().copied().unwrap_or(nw), nw);
            let holes = p.interiors().iter().map(clockwise_from_nw);
            (d, std::iter::once(ext).chain(holes).collect())
        })
        .collect();
    polys.sort_by(|a, b| a.0.total_cmp(&b.0));
    let bbox = volume.bbox();
    let mut out = BoundaryPoints::default();
    for ring in polys.into_iter().flat_map(|(_, rings)| rings) {
        let mut idx = Vec::with_capacity(ring.len());
        for c in ring {
            let known = out
                .points
                .iter()
                .position(|p| dist(p.xy(), c) <= SAME_POINT_M);
            let i = known.unwrap_or_else(|| {
                let (lower, upper) = volume
                    .vertical_extent(c)
                    .unwrap_or((bbox.min.z, bbox.max.z));
                out.points.push(BoundaryPoint {
                    name: format!("J{}", out.points.len() + 1),
                    east: c.x,
                    north: c.y,
                    lower,
                    upper,
                });
                out.points.len() - 1
            });
            if idx.last() != Some(&i) {
                idx.push(i);
            }
        }
        if idx.len() > 1 && idx.first() == idx.last() {
            idx.pop();
        }
        if idx.len() >= 3 {
            out.rings.push(idx);
        }
    }
    out
}

fn dist(a: Coord<f64>, b: Coord<f64>) -> f64 {
    (a.x - b.x).hypot(a.y - b.y)
}

/// The ring's vertices, unclosed, clockwise, starting at the one nearest the north-west
/// corner of its box.
fn clockwise_from_nw(ring: &LineString<f64>) -> Vec<Coord<f64>> {
    let mut v: Vec<Coord<f64>> = ring.0.clone();
    if v.len() > 1 && v.first() == v.last() {
        v.pop();
    }
    if signed_area(&v) > 0.0 {
        v.reverse();
    }
    let Some(r) = geo::BoundingRect::bounding_rect(&Polygon::new(ring.clone(), vec![])) else {
        return v;
    };
    let nw = Coord {
        x: r.min().x,
        y: r.max().y,
    };
    let start = (0..v.len())
        .min_by(|&a, &b| dist(v[a], nw).total_cmp(&dist(v[b], nw)).then(a.cmp(&b)))
        .unwrap_or(0);
    v.rotate_left(start);
    v
}

fn signed_area(v: &[Coord<f64>]) -> f64 {
    let n = v.len();
    (0..n)
        .map(|i| v[i].x * v[(i + 1) % n].y - v[(i + 1) % n].x * v[i].y)
        .sum::<f64>()
        / 2.0
}

/// The length of each side of each ring: `(from, to, metres)`.
pub fn sides(b: &BoundaryPoints) -> Vec<(usize, usize, f64)> {
    b.rings
        .iter()
        .flat_map(|r| {
            (0..r.len()).map(move |k| {
                let (i, j) = (r[k], r[(k + 1) % r.len()]);
                (i, j, dist(b.points[i].xy(), b.points[j].xy()))
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::geometry::{Part, Prism};
    use geo::polygon;

    #[test]
    fn a_counter_clockwise_ring_starting_anywhere_is_numbered_from_the_north_west() {
        // An L, given counter-clockwise from its south-east corner.
        let fp = polygon![(x: 10.0, y: 0.0), (x: 10.0, y: 4.0), (x: 4.0, y: 4.0), (x: 4.0, y: 9.0),
                          (x: 0.0, y: 9.0), (x: 0.0, y: 0.0)];
        let v = Volume::new(vec![Part::Prism(Prism::new(fp.clone(), 1.0, 2.0))]);
        let b = boundary_points(&MultiPolygon::new(vec![fp]), &v);
        let xy: Vec<(f64, f64)> = b.points.iter().map(|p| (p.east, p.north)).collect();
        assert_eq!(
            xy,
            [
                (0.0, 9.0),
                (4.0, 9.0),
                (4.0, 4.0),
                (10.0, 4.0),
                (10.0, 0.0),
                (0.0, 0.0)
            ]
        );
        let total: f64 = sides(&b).iter().map(|s| s.2).sum();
        assert!((total - 38.0).abs() < 1e-12);
    }

    #[test]
    fn a_point_shared_by_two_parts_keeps_one_number() {
        let a = polygon![(x: 0.0, y: 0.0), (x: 5.0, y: 0.0), (x: 5.0, y: 5.0), (x: 0.0, y: 5.0)];
        let b = polygon![(x: 5.0, y: 5.0), (x: 9.0, y: 5.0), (x: 9.0, y: 9.0), (x: 5.0, y: 9.0)];
        let v = Volume::new(vec![
            Part::Prism(Prism::new(a.clone(), 0.0, 3.0)),
            Part::Prism(Prism::new(b.clone(), 0.0, 6.0)),
        ]);
        let bp = boundary_points(&MultiPolygon::new(vec![a, b]), &v);
        assert_eq!(bp.points.len(), 7);
        assert_eq!(bp.rings.len(), 2);
        // The shared corner is over both parts: from the lower bottom to the higher top.
        let shared = bp
            .points
            .iter()
            .find(|p| (p.east, p.north) == (5.0, 5.0))
            .unwrap();
        assert_eq!((shared.lower, shared.upper), (0.0, 6.0));
    }
}
