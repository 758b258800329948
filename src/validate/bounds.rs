//! Numbers a survey can hold: coordinates of a projected CRS and elevations in a height datum
//! (818). A number beyond them is a mistake (millimetres taken as metres, a corrupt file) and
//! would overflow the arithmetic of the checks, so it is refused before any geometry is
//! validated.

use crate::diagnostics::{Code, Finding, Location, Num};
use crate::geometry::{Part, Point3, Volume};

/// No projected CRS has coordinates beyond this (metres): Gauss-Krüger eastings with their
/// zone prefix stay below 46,000,000 m, UTM northings below 10,000,000 m.
pub const MAX_ABS_COORDINATE: f64 = 1e8;

/// Elevations lie between the deepest ocean trench (−10,994 m) and the highest summit
/// (8,849 m); with a margin for datums and deep works: −12,000 to +10,000 m.
pub const ELEVATION_RANGE: (f64, f64) = (-12_000.0, 10_000.0);

/// What is wrong with one horizontal coordinate, if anything: 813 or 818.
pub fn coordinate_problem(v: f64) -> Option<(Code, String)> {
    if !v.is_finite() {
        return Some((
            Code::CoordinateNotFinite,
            format!("a coordinate is {}, not a finite number", Num(v)),
        ));
    }
    (v.abs() > MAX_ABS_COORDINATE).then(|| {
        let m = format!(
            "a coordinate is {} m: no projected CRS reaches beyond ±{} m",
            Num(v),
            Num(MAX_ABS_COORDINATE)
        );
        (Code::ValueOutOfRange, m)
    })
}

/// What is wrong with one elevation, if anything: 813 or 818.
pub fn elevation_problem(z: f64) -> Option<(Code, String)> {
    if !z.is_finite() {
        return Some((
            Code::CoordinateNotFinite,
            format!("an elevation is {}, not a finite number", Num(z)),
        ));
    }
    let (lo, hi) = ELEVATION_RANGE;
    (!(lo..=hi).contains(&z)).then(|| {
        let m = format!(
            "an elevation is {} m: elevations lie between {} and {} m in any height datum",
            Num(z),
            Num(lo),
            Num(hi)
        );
        (Code::ValueOutOfRange, m)
    })
}

fn point_problem(p: &Point3) -> Option<(Code, String)> {
    coordinate_problem(p.x)
        .or_else(|| coordinate_problem(p.y))
        .or_else(|| elevation_problem(p.z))
}

/// The first number of a volume that no survey can hold (813 not finite, 818 out of range),
/// as a finding in its part.
///
/// ```
/// use geo::polygon;
/// use strata::geometry::{Prism, Volume};
/// use strata::validate::check_bounds;
/// let fp = polygon![(x: 474000.0, y: 4418000.0), (x: 474010.0, y: 4418000.0), (x: 474010.0, y: 4418010.0)];
/// assert!(check_bounds(&Volume::from(Prism::new(fp.clone(), -8.0, -0.5))).is_none());
/// assert_eq!(check_bounds(&Volume::from(Prism::new(fp, -8.0, 1e308))).unwrap().code.number(), 818);
/// ```
pub fn check_bounds(v: &Volume) -> Option<Finding> {
    let many = v.parts.len() > 1;
    v.parts.iter().enumerate().find_map(|(k, part)| {
        let (code, problem) = match part {
            Part::Prism(p) => elevation_problem(p.z_bottom)
                .or_else(|| elevation_problem(p.z_top))
                .or_else(|| {
                    std::iter::once(p.footprint.exterior())
                        .chain(p.footprint.interiors())
                        .flat_map(|r| r.0.iter())
                        .find_map(|c| coordinate_problem(c.x).or_else(|| coordinate_problem(c.y)))
                }),
            Part::Polyhedron(p) => p.vertices.iter().find_map(point_problem),
        }?;
        let loc = if many {
            Location::default().in_part(k)
        } else {
            Location::default()
        };
        Some(Finding::new(code, loc, problem))
    })
}
