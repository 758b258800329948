//! How two units relate: the volume they share (exact) and the faces they share (contacts,
//! with the direction in which the second unit lies from the first).

use geo::{Area, BooleanOps, LineString, MultiPolygon, Polygon, unary_union};

use crate::geometry::algorithm::intersection_volume::triangle_pairs;
use crate::geometry::algorithm::{ball_in_overlap, inscribed_diameter, intersection_measures};
use crate::geometry::triangle::{coplanar, coplanar_overlap_area, normal};
use crate::geometry::{TriMesh, Vector3};
use crate::model::Direction;

use crate::diagnostics::Severity;

use super::conflict::{Conflict, ConflictKind, round};
use super::subject::{PrismView, Subject};

/// The volume two units share.
#[derive(Debug, Clone, PartialEq)]
pub struct Overlap {
    /// m³.
    pub volume: f64,
    /// Lowest and highest elevation of the shared volume.
    pub z_range: (f64, f64),
    /// Area of its horizontal projection, m².
    pub footprint_area: f64,
    /// Its thickness, m: the diameter of the largest ball in it. For prisms the smaller of the
    /// vertical overlap and the diameter of the largest circle in the horizontal overlap
    /// (exact); for polyhedra the mean thickness 2V/S (exact for slabs, smaller than the true
    /// thickness for compact shapes), raised by [`refine_thickness`] to the diameter of a ball
    /// found in it where that decides between a sliver and an overlap. Over several pieces,
    /// the thickest piece counts.
    pub thickness: f64,
}

/// A face two units share, seen from the first: the second lies in `direction`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Contact {
    /// Where the second unit lies.
    pub direction: Direction,
    /// The shared area, m².
    pub area: f64,
}

/// The relation of two units.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PairRelation {
    /// What they share, if anything.
    pub overlap: Option<Overlap>,
    /// The faces they share (merged per direction).
    pub contacts: Vec<Contact>,
}

/// The direction of a horizontal outward normal: the larger component decides (east/west on
/// a tie).
pub fn lateral_direction(nx: f64, ny: f64) -> Direction {
    if nx.abs() >= ny.abs() {
        if nx >= 0.0 {
            Direction::East
        } else {
            Direction::West
        }
    } else if ny > 0.0 {
        Direction::North
    } else {
        Direction::South
    }
}

/// The direction of an outward normal: up/down when its vertical part is the largest,
/// otherwise as [`lateral_direction`].
pub fn normal_direction(n: &Vector3) -> Direction {
    if n.z.abs() >= n.x.abs().max(n.y.abs()) {
        if n.z > 0.0 {
            Direction::Up
        } else {
            Direction::Down
        }
    } else {
        lateral_direction(n.x, n.y)
    }
}

fn add_contact(v: &mut Vec<Contact>, direction: Direction, area: f64) {
    match v.iter_mut().find(|c| c.direction == direction) {
        Some(c) => c.area += area,
        None => v.push(Contact { direction, area }),
    }
}

/// Relates two units. `snap` (m) is the distance within which faces count as shared and
/// elevations as equal; areas below `snap²` are edges, not faces.
pub fn relate(a: &Subject, b: &Subject, snap: f64) -> PairRelation {
    gather(a, b, snap, true).finish()
}

/// The volume two units share (m³) and its lowest and highest elevation, by the same rule as
/// [`relate`] (a shared volume thinner than `snap` is a contact, not volume), without the
/// contacts and footprint measures a report adds: `None` when they share none.
pub fn shared_volume_range(a: &Subject, b: &Subject, snap: f64) -> Option<(f64, (f64, f64))> {
    let s = gather(a, b, snap, false);
    (s.volume > 0.0).then(|| (s.volume, s.z_range.unwrap_or((0.0, 0.0))))
}

fn gather(a: &Subject, b: &Subject, snap: f64, contacts: bool) -> Shared {
    let mut shared = Shared {
        with_contacts: contacts,
        ..Shared::default()
    };
    for pa in &a.parts {
        for pb in &b.parts {
            match (pa.as_prism(), pb.as_prism()) {
                (Some(x), Some(y)) => shared.prisms(x, y, snap),
                _ => {
                    if let (Some(ma), Some(mb)) = (pa.mesh(), pb.mesh()) {
                        shared.meshes(ma, mb, snap);
                    }
                }
            }
        }
    }
    shared
}

/// What two units share, gathered over their pairs of parts.
#[derive(Default)]
struct Shared {
    volume: f64,
    z_range: Option<(f64, f64)>,
    /// The footprints shared by prisms, with their vertical overlap.
    prism_pieces: Vec<(MultiPolygon<f64>, f64)>,
    /// The upward pieces of shared polyhedral volume, projected.
    mesh_pieces: Vec<Vec<[f64; 2]>>,
    mesh_thickness: f64,
    contacts: Vec<Contact>,
    /// Measure contacts (faces shared), for relations; not for the shared volume alone.
    with_contacts: bool,
}

impl Shared {
    fn extend_z(&mut self, lo: f64, hi: f64) {
        self.z_range = Some(
            self.z_range
                .map_or((lo, hi), |(a0, a1)| (a0.min(lo), a1.max(hi))),
        );
    }

    /// Two prisms: area times vertical overlap; shared side faces and stacked faces.
    fn prisms(&mut self, a: PrismView, b: PrismView, snap: f64) {
        let (fa, fb) = (a.footprint, b.footprint);
        if !fa.bbox_meets(fb) {
            return;
        }
        let min_area = snap * snap;
        let (lo, hi) = (a.z_bottom.max(b.z_bottom), a.z_top.min(b.z_top));
        let dz = hi - lo;
        if dz > snap {
            let area = fa.intersection_area(fb);
            if area > min_area {
                self.volume += area * dz;
                self.extend_z(lo, hi);
                let piece = a.prism.footprint.intersection(&b.prism.footprint);
                self.prism_pieces.push((piece, dz));
            }
            if self.with_contacts {
                for (e, len) in fa.shared_edges(fb, snap) {
                    let d = lateral_direction(e.b[1] - e.a[1], -(e.b[0] - e.a[0]));
                    add_contact(&mut self.contacts, d, len * dz);
                }
            }
        } else if dz >= -snap && self.with_contacts {
            let area = fa.intersection_area(fb);
            if area > min_area {
                let d = if (a.z_top - b.z_bottom).abs() <= snap {
                    Direction::Up
                } else {
                    Direction::Down
                };
                add_contact(&mut self.contacts, d, area);
            }
        }
    }

    /// Two meshes (at least one part a polyhedron): the exact shared volume, and the faces
    /// lying on each other.
    fn meshes(&mut self, ma: &TriMesh, mb: &TriMesh, snap: f64) {
        if !ma.aabb().expanded(snap).intersects(&mb.aabb()) {
            return;
        }
        let m = intersection_measures(ma, mb);
        // As for prisms, a shared volume thinner than the snap tolerance, or smaller than a
        // cube of that side, is a contact: solids that only touch leave rounding noise, not
        // volume.
        if m.volume > snap.powi(3) && m.surface_area > 0.0 && 2.0 * m.volume / m.surface_area > snap
        {
            self.volume += m.volume;
            if let Some((lo, hi)) = m.z_range {
                self.extend_z(lo, hi);
            }
            self.mesh_thickness = self.mesh_thickness.max(2.0 * m.volume / m.surface_area);
            self.mesh_pieces.extend(m.up_pieces);
        }
        if self.with_contacts {
            mesh_contacts(ma, mb, snap * snap, &mut self.contacts);
        }
    }

    fn finish(self) -> PairRelation {
        let mut rel = PairRelation {
            overlap: None,
            contacts: self.contacts,
        };
        if self.volume <= 0.0 {
            return rel;
        }
        let mut polys: Vec<Polygon<f64>> = self
            .prism_pieces
            .iter()
            .flat_map(|(p, _)| p.0.clone())
            .collect();
        polys.extend(self.mesh_pieces.iter().map(|r| {
            let mut ls: Vec<(f64, f64)> = r.iter().map(|p| (p[0], p[1])).collect();
            ls.push(ls[0]);
            Polygon::new(LineString::from(ls), vec![])
        }));
        let footprint_area = unary_union(&polys).unsigned_area();
        let prism_thickness = self
            .prism_pieces
            .iter()
            .map(|(p, dz)| dz.min(inscribed_diameter(p, (dz / 100.0).max(1e-4))))
            .fold(0.0, f64::max);
        rel.overlap = Some(Overlap {
            volume: self.volume,
            z_range: self.z_range.unwrap_or((0.0, 0.0)),
            footprint_area,
            thickness: prism_thickness.max(self.mesh_thickness),
        });
        rel
    }
}

/// Where an overlap of polyhedra seems thinner than `tolerance`, measures it again: the mean
/// thickness `2V/S` is exact for slabs but too small for compact overlaps (a 0.3 m cube has
/// `2V/S` = 0.1 m), so each pair of parts that involves a polyhedron is searched for a ball of
/// diameter `tolerance` (see [`ball_in_overlap`]); the thickness becomes the diameter of the
/// ball found. Overlaps of prisms alone are measured exactly by [`relate`] and left as they are.
pub fn refine_thickness(a: &Subject, b: &Subject, overlap: &mut Overlap, tolerance: f64) {
    if overlap.thickness >= tolerance {
        return;
    }
    for pa in &a.parts {
        for pb in &b.parts {
            if pa.as_prism().is_some() && pb.as_prism().is_some() {
                continue;
            }
            let (Some(ma), Some(mb)) = (pa.mesh(), pb.mesh()) else {
                continue;
            };
            if !ma.aabb().intersects(&mb.aabb()) {
                continue;
            }
            if let Some(d) = ball_in_overlap(ma, mb, tolerance) {
                overlap.thickness = overlap.thickness.max(d);
                return;
            }
        }
    }
}

/// The volume two units share (m³), without the measures [`relate`] adds for reports.
pub fn shared_volume(a: &Subject, b: &Subject) -> f64 {
    let mut v = 0.0;
    for pa in &a.parts {
        for pb in &b.parts {
            match (pa.as_prism(), pb.as_prism()) {
                (Some(x), Some(y)) => {
                    let dz = x.z_top.min(y.z_top) - x.z_bottom.max(y.z_bottom);
                    if dz > 0.0 {
                        v += x.footprint.intersection_area(y.footprint) * dz;
                    }
                }
                _ => {
                    if let (Some(ma), Some(mb)) = (pa.mesh(), pb.mesh()) {
                        v += crate::geometry::algorithm::intersection_volume(ma, mb);
                    }
                }
            }
        }
    }
    v
}

/// Faces of two meshes lying on each other with opposite orientations (pairs of triangles
/// from the meshes' indexes).
fn mesh_contacts(a: &TriMesh, b: &TriMesh, min_area: f64, out: &mut Vec<Contact>) {
    for (i, j) in triangle_pairs(a, b) {
        let t = a.corners(i);
        let nt = normal(t[0], t[1], t[2]);
        let u = b.corners(j);
        if nt.dot(&normal(u[0], u[1], u[2])) >= 0.0 || !coplanar(t, u) {
            continue;
        }
        let area = coplanar_overlap_area(t, u);
        if area > min_area {
            add_contact(out, normal_direction(&nt), area);
        }
    }
}

/// The conflict of units `ka` and `kb` when they share volume: related exactly and, where
/// that decides between a sliver and an overlap, measured again (see [`refine_thickness`]).
pub fn overlap_between(
    a: &Subject,
    b: &Subject,
    ka: &str,
    kb: &str,
    opts: &super::CheckOptions,
) -> Option<Conflict> {
    let mut o = relate(a, b, opts.snap).overlap?;
    refine_thickness(a, b, &mut o, opts.tolerance);
    Some(overlap_conflict(ka, kb, &o, opts.tolerance, ""))
}

/// The conflict of two units that share volume: an overlap, or a sliver when it is thinner
/// than `tolerance`. `a` and `b` are the units' codes (ordered here); `also` names units
/// identical to either, which share the same conflict.
pub(super) fn overlap_conflict(
    a: &str,
    b: &str,
    o: &Overlap,
    tolerance: f64,
    also: &str,
) -> Conflict {
    let (a, b) = if a <= b { (a, b) } else { (b, a) };
    let sliver = o.thickness < tolerance;
    Conflict {
        kind: if sliver {
            ConflictKind::Sliver
        } else {
            ConflictKind::Overlap
        },
        severity: if sliver {
            Severity::Warning
        } else {
            Severity::Error
        },
        a: a.to_string(),
        b: Some(b.to_string()),
        volume_m3: round(o.volume),
        z_range: Some([o.z_range.0, o.z_range.1]),
        footprint_area_m2: Some(round(o.footprint_area)),
        min_thickness_m: Some(round(o.thickness)),
        message: format!(
            "{a} and {b} share {:.3} m³ between {:.3} and {:.3} m over {:.3} m², {:.3} m thick{}{also}",
            o.volume,
            o.z_range.0,
            o.z_range.1,
            o.footprint_area,
            o.thickness,
            if sliver {
                format!(" (thinner than the {tolerance} m tolerance)")
            } else {
                String::new()
            }
        ),
    }
}
