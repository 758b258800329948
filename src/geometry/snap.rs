//! Snapping: merging vertices closer than a tolerance.
//!
//! Survey data repeat a boundary point in every face that uses it, often with millimetre
//! differences. Validation first merges points closer than the snap tolerance, the way
//! val3dity does: a point joins the first earlier point within the tolerance.

use std::collections::HashMap;

use super::Point3;

/// The result of snapping: the merged points and, for every input point, its merged index.
#[derive(Debug, Clone)]
pub struct Snapped {
    /// The distinct points, in order of first appearance.
    pub points: Vec<Point3>,
    /// `map[i]` is the index in `points` of input point `i`.
    pub map: Vec<usize>,
}

/// Merges points closer than `tol` metres (Euclidean distance `<= tol`). With `tol <= 0` only
/// identical coordinates merge. Runs in expected linear time with a hash grid of cell `tol`.
pub fn snap_points(input: &[Point3], tol: f64) -> Snapped {
    let mut points: Vec<Point3> = Vec::new();
    let mut map = Vec::with_capacity(input.len());
    if tol <= 0.0 || !tol.is_finite() {
        let mut seen: HashMap<[u64; 3], usize> = HashMap::new();
        for p in input {
            let key = [p.x.to_bits(), p.y.to_bits(), p.z.to_bits()];
            let idx = *seen.entry(key).or_insert_with(|| {
                points.push(*p);
                points.len() - 1
            });
            map.push(idx);
        }
        return Snapped { points, map };
    }
    let cell = |v: f64| (v / tol).floor() as i64;
    let mut grid: HashMap<[i64; 3], Vec<usize>> = HashMap::new();
    let tol2 = tol * tol;
    for p in input {
        let c = [cell(p.x), cell(p.y), cell(p.z)];
        let mut found: Option<usize> = None;
        'search: for dx in -1..=1 {
            for dy in -1..=1 {
                for dz in -1..=1 {
                    // Saturating: a coordinate beyond ±9.2e18 tolerances shares the edge cell.
                    let key = [
                        c[0].saturating_add(dx),
                        c[1].saturating_add(dy),
                        c[2].saturating_add(dz),
                    ];
                    if let Some(list) = grid.get(&key) {
                        for &j in list {
                            if (points[j] - p).norm_squared() <= tol2 && found.is_none_or(|f| j < f)
                            {
                                found = Some(j);
                            }
                        }
                    }
                    if found == Some(0) {
                        break 'search;
                    }
                }
            }
        }
        let idx = match found {
            Some(j) => j,
            None => {
                points.push(*p);
                let j = points.len() - 1;
                grid.entry(c).or_default().push(j);
                j
            }
        };
        map.push(idx);
    }
    Snapped { points, map }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Found by fuzzing (`cityjson` target): a vertex of 8e128 m overflowed the grid cell.
    #[test]
    fn absurd_coordinates_do_not_overflow_the_grid() {
        let far = Point3::new(8e128, 0.0, 1.0);
        let pts = [
            far,
            Point3::new(0.0, 0.0, 0.0),
            far,
            Point3::new(-8e128, -1e300, 0.0),
        ];
        let s = snap_points(&pts, 0.001);
        assert_eq!(s.map, vec![0, 1, 0, 2]);
    }

    #[test]
    fn merges_points_within_the_tolerance_only() {
        let pts = [
            Point3::new(0.0, 0.0, 0.0),
            Point3::new(0.0005, 0.0, 0.0),
            Point3::new(0.002, 0.0, 0.0),
            Point3::new(0.0, 0.0, 0.0),
        ];
        let s = snap_points(&pts, 0.001);
        assert_eq!(s.map, vec![0, 0, 1, 0]);
        assert_eq!(s.points.len(), 2);
        let exact = snap_points(&pts, 0.0);
        assert_eq!(exact.map, vec![0, 1, 2, 0]);
    }

    #[test]
    fn works_at_cgcs2000_coordinates() {
        let o = Point3::new(474_412.345, 4_418_207.891, 20.0);
        let pts = [
            o,
            Point3::new(o.x + 0.0004, o.y - 0.0004, o.z),
            Point3::new(o.x + 1.0, o.y, o.z),
        ];
        assert_eq!(snap_points(&pts, 0.001).map, vec![0, 0, 1]);
    }
}
