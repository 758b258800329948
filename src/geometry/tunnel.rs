//! A tunnel as a solid: a cross-section (circle or rectangle) swept along a 3D centreline,
//! mitred at every bend. What planners draw for a metro line or a passage before it has a
//! survey: the centreline from the alignment, the section from the design.
//!
//! The section keeps its "up" vertical (no roll): at every point of the centreline its width
//! runs horizontally across the line, its height in the vertical plane through the line; a
//! vertical stretch (a shaft) takes east as its width direction. At a bend the rings of the two
//! stretches meet in the plane that halves the bend (a mitre), so the solid is one closed
//! polyhedron; for a centreline turning in a horizontal plane its volume is the section's area
//! times the centreline's length, exactly.
//!
//! A circle is swept as the regular polygon of [`CIRCLE_SIDES`] sides drawn *around* it, so the
//! solid contains the round tunnel: a query never misses a right the real tunnel would meet.

use super::polyhedron::{Face, Polyhedron, Shell};
use super::{Point3, Vector3};

/// Sides of the polygon a circular section is swept as (its area is 0.6 % above the circle's).
pub const CIRCLE_SIDES: usize = 32;

/// The shortest stretch of centreline (m): shorter ones are repeated points, which a survey
/// gives to the millimetre.
pub const MIN_STRETCH_M: f64 = 0.001;

/// The sharpest bend (degrees between two stretches): a sharper one would make the mitre
/// wider than the section by more than 1/cos(45°); a curve is a run of gentle bends.
pub const MAX_BEND_DEG: f64 = 90.0;

/// A tunnel's cross-section.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Section {
    /// Round, of this radius (m).
    Circle {
        /// m.
        radius: f64,
    },
    /// Rectangular, centred on the centreline.
    Rectangle {
        /// Across the line, m.
        width: f64,
        /// Vertically, m.
        height: f64,
    },
}

impl Section {
    /// The section grown by `clearance` (m) on every side.
    pub fn grown(self, clearance: f64) -> Section {
        match self {
            Section::Circle { radius } => Section::Circle {
                radius: radius + clearance,
            },
            Section::Rectangle { width, height } => Section::Rectangle {
                width: width + 2.0 * clearance,
                height: height + 2.0 * clearance,
            },
        }
    }

    /// Its outline as `(across, up)` offsets from the centreline, counter-clockwise.
    fn outline(self) -> Vec<(f64, f64)> {
        match self {
            Section::Circle { radius } => {
                let n = CIRCLE_SIDES as f64;
                let r = radius / (std::f64::consts::PI / n).cos();
                (0..CIRCLE_SIDES)
                    .map(|i| {
                        let a = 2.0 * std::f64::consts::PI * i as f64 / n;
                        (r * a.cos(), r * a.sin())
                    })
                    .collect()
            }
            Section::Rectangle { width, height } => {
                let (w, h) = (width / 2.0, height / 2.0);
                vec![(-w, -h), (w, -h), (w, h), (-w, h)]
            }
        }
    }
}

/// Why a tunnel cannot be made a solid.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum TunnelError {
    /// Fewer than two points.
    #[error("a centreline needs at least two points")]
    TooShort,
    /// A coordinate that is not a finite number.
    #[error("point {0} of the centreline is not three finite numbers")]
    NotFinite(usize),
    /// Two points closer than [`MIN_STRETCH_M`].
    #[error("points {0} and {1} of the centreline are the same point")]
    Repeated(usize, usize),
    /// A bend sharper than [`MAX_BEND_DEG`].
    #[error("the centreline bends by {angle:.1}° at point {at}, more than {MAX_BEND_DEG}°")]
    Sharp {
        /// The point, from 1.
        at: usize,
        /// Degrees.
        angle: f64,
    },
    /// A section without area.
    #[error("the section's dimensions must be positive and finite")]
    Section,
}

/// The directions across (horizontal) and up of a section on a stretch going `d`.
fn frame(d: Vector3) -> (Vector3, Vector3) {
    let across = d.cross(&Vector3::z());
    let across = if across.norm() < 1e-9 {
        Vector3::x()
    } else {
        across.normalize()
    };
    (across, across.cross(&d))
}

/// The solid of `section` swept along `centreline` (m, a projected CRS and a height datum).
///
/// ```
/// use strata::geometry::Point3;
/// use strata::geometry::algorithm::SolidVolume;
/// use strata::geometry::tunnel::{Section, sweep};
///
/// // A 6 m × 5 m passage, 40 m east then 30 m north: 30 m² × 70 m.
/// let line = [Point3::new(0.0, 0.0, -10.0), Point3::new(40.0, 0.0, -10.0), Point3::new(40.0, 30.0, -10.0)];
/// let p = sweep(&line, Section::Rectangle { width: 6.0, height: 5.0 }).unwrap();
/// assert!((p.volume_m3() - 30.0 * 70.0).abs() < 1e-6);
/// ```
pub fn sweep(centreline: &[Point3], section: Section) -> Result<Polyhedron, TunnelError> {
    let ok = |x: f64| x.is_finite() && x > 0.0;
    match section {
        Section::Circle { radius } if !ok(radius) => return Err(TunnelError::Section),
        Section::Rectangle { width, height } if !ok(width) || !ok(height) => {
            return Err(TunnelError::Section);
        }
        _ => {}
    }
    if centreline.len() < 2 {
        return Err(TunnelError::TooShort);
    }
    if let Some(i) = centreline
        .iter()
        .position(|p| !(p.x.is_finite() && p.y.is_finite() && p.z.is_finite()))
    {
        return Err(TunnelError::NotFinite(i + 1));
    }
    let mut dirs = Vec::with_capacity(centreline.len() - 1);
    for (i, w) in centreline.windows(2).enumerate() {
        let d = w[1] - w[0];
        if d.norm() < MIN_STRETCH_M {
            return Err(TunnelError::Repeated(i + 1, i + 2));
        }
        dirs.push(d.normalize());
    }
    let outline = section.outline();
    let k = outline.len();
    let mut vertices = Vec::with_capacity(k * centreline.len());
    for (i, p) in centreline.iter().enumerate() {
        // The incoming stretch's frame (the outgoing one at the start), cut by the plane that
        // halves the bend (square to the line at either end).
        let d = dirs[i.saturating_sub(1)];
        let (across, up) = frame(d);
        let n = match (i.checked_sub(1).map(|j| dirs[j]), dirs.get(i)) {
            (Some(a), Some(b)) => {
                let cos = a.dot(b).clamp(-1.0, 1.0);
                let angle = cos.acos().to_degrees();
                if angle > MAX_BEND_DEG {
                    return Err(TunnelError::Sharp { at: i + 1, angle });
                }
                (a + b).normalize()
            }
            _ => d,
        };
        for &(u, v) in &outline {
            let o = across * u + up * v;
            // o + λ d lies in the plane through p with normal n.
            let lambda = -n.dot(&o) / n.dot(&d);
            vertices.push(p + o + d * lambda);
        }
    }
    let ring = |i: usize, j: usize| i * k + j % k;
    let last = centreline.len() - 1;
    let mut faces = vec![
        Face::new((0..k).rev().map(|j| ring(0, j)).collect()),
        Face::new((0..k).map(|j| ring(last, j)).collect()),
    ];
    for i in 0..last {
        for j in 0..k {
            let (a, b, c, d) = (
                ring(i, j),
                ring(i, j + 1),
                ring(i + 1, j + 1),
                ring(i + 1, j),
            );
            faces.push(Face::new(vec![a, b, c]));
            faces.push(Face::new(vec![a, c, d]));
        }
    }
    let mut p = Polyhedron::new(vertices, vec![Shell { faces }]);
    if signed_volume(&p) < 0.0 {
        for f in &mut p.shells[0].faces {
            f.rings[0].reverse();
        }
    }
    Ok(p)
}

/// The volume of `p` with the sign of its faces' orientation (positive when they point out),
/// by the divergence theorem over each face's fan of triangles, taken about the first vertex
/// to keep the products small.
fn signed_volume(p: &Polyhedron) -> f64 {
    let o = p.vertices[0];
    let mut six = 0.0;
    for f in &p.shells[0].faces {
        let r = &f.rings[0];
        let a = p.vertices[r[0]] - o;
        for w in r[1..].windows(2) {
            let (b, c) = (p.vertices[w[0]] - o, p.vertices[w[1]] - o);
            six += a.dot(&b.cross(&c));
        }
    }
    six / 6.0
}

/// The solid within `clearance` (m) of the tunnel, drawn as the tunnel's: the section grown by
/// the clearance on every side and the centreline carried on by the clearance at both ends.
pub fn envelope(
    centreline: &[Point3],
    section: Section,
    clearance: f64,
) -> Result<Polyhedron, TunnelError> {
    let mut line = centreline.to_vec();
    let n = line.len();
    if n >= 2 && clearance > 0.0 {
        let start = line[0] - line[1];
        let end = line[n - 1] - line[n - 2];
        if start.norm() >= MIN_STRETCH_M && end.norm() >= MIN_STRETCH_M {
            line[0] += start.normalize() * clearance;
            line[n - 1] += end.normalize() * clearance;
        }
    }
    sweep(&line, section.grown(clearance))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::geometry::algorithm::SolidVolume;

    fn pt(x: f64, y: f64, z: f64) -> Point3 {
        Point3::new(x, y, z)
    }

    #[test]
    fn volumes_by_hand() {
        let rect = Section::Rectangle {
            width: 4.0,
            height: 3.0,
        };
        // Straight, sloping 1 in 10: area × length.
        let len = (100.0f64 * 100.0 + 10.0 * 10.0).sqrt();
        let p = sweep(&[pt(0.0, 0.0, 0.0), pt(100.0, 0.0, -10.0)], rect).unwrap();
        assert!(
            (p.volume_m3() - 12.0 * len).abs() < 1e-6,
            "{}",
            p.volume_m3()
        );
        // Its faces point out, whichever way the line runs.
        assert!((signed_volume(&p) - 12.0 * len).abs() < 1e-6);
        let back = sweep(&[pt(100.0, 0.0, -10.0), pt(0.0, 0.0, 0.0)], rect).unwrap();
        assert!((signed_volume(&back) - 12.0 * len).abs() < 1e-6);
        // Three horizontal bends, one of 90°.
        let line = [
            pt(0.0, 0.0, -20.0),
            pt(50.0, 0.0, -20.0),
            pt(80.0, 30.0, -20.0),
            pt(80.0, 90.0, -20.0),
            pt(20.0, 90.0, -20.0),
        ];
        let len: f64 = line.windows(2).map(|w| (w[1] - w[0]).norm()).sum();
        let p = sweep(&line, rect).unwrap();
        assert!((p.volume_m3() - 12.0 * len).abs() < 1e-6);
        // A circle, swept as the polygon around it.
        let p = sweep(
            &[pt(0.0, 0.0, -5.0), pt(0.0, 0.0, -45.0)],
            Section::Circle { radius: 2.0 },
        )
        .unwrap();
        let n = CIRCLE_SIDES as f64;
        let area = n * (2.0f64).powi(2) * (std::f64::consts::PI / n).tan();
        assert!((p.volume_m3() - area * 40.0).abs() < 1e-6);
        assert!(area > std::f64::consts::PI * 4.0);
    }

    #[test]
    fn the_envelope_is_longer_and_wider() {
        let line = [pt(0.0, 0.0, -10.0), pt(100.0, 0.0, -10.0)];
        let rect = Section::Rectangle {
            width: 4.0,
            height: 3.0,
        };
        let e = envelope(&line, rect, 2.0).unwrap();
        assert!((e.volume_m3() - 8.0 * 7.0 * 104.0).abs() < 1e-6);
    }

    #[test]
    fn refusals() {
        let r = Section::Circle { radius: 1.0 };
        assert_eq!(sweep(&[pt(0.0, 0.0, 0.0)], r), Err(TunnelError::TooShort));
        assert_eq!(
            sweep(&[pt(0.0, 0.0, 0.0), pt(0.0, 0.0, 0.0)], r),
            Err(TunnelError::Repeated(1, 2))
        );
        assert!(matches!(
            sweep(
                &[pt(0.0, 0.0, 0.0), pt(10.0, 0.0, 0.0), pt(0.0, 1.0, 0.0)],
                r
            ),
            Err(TunnelError::Sharp { at: 2, .. })
        ));
        assert_eq!(
            sweep(
                &[pt(0.0, 0.0, 0.0), pt(1.0, 0.0, 0.0)],
                Section::Circle { radius: -1.0 }
            ),
            Err(TunnelError::Section)
        );
    }
}
