//! Containment: a unit inside the column of its parent plot, a building inside its land
//! right, each stratum on its side of the ground (the one home of that rule: the ground is
//! the plot's, a relation between unit and plot).

use geo::{Area, BooleanOps, MultiPolygon};

use crate::geometry::algorithm::{
    ToPolyhedra, inscribed_diameter, intersection_measures, intersection_volume,
};
use crate::geometry::prepared::PreparedFootprint;
use crate::geometry::{Polyhedron, Prism, TriMesh};
use rayon::prelude::*;
use rustc_hash::{FxHashMap, FxHashSet};

use crate::diagnostics::Severity;
use crate::model::{Dataset, Stratum, Unit};

use super::CheckOptions;
use super::conflict::{Conflict, ConflictKind, round};
use super::subject::{PreparedPart, Subject};

/// A part of a unit where it should not be: its volume, the area of its footprint, and its
/// thickness (the diameter of the largest circle in that footprint).
#[derive(Debug, Clone, PartialEq)]
pub struct Misplaced {
    /// m³.
    pub volume: f64,
    /// m².
    pub footprint_area: f64,
    /// m.
    pub thickness: f64,
    /// The elevations it spans.
    pub z_range: (f64, f64),
}

/// A plot prepared for containment checks.
#[derive(Debug)]
pub struct PreparedPlot<'a> {
    /// The footprint's polygons, prepared.
    pub parts: Vec<PreparedFootprint>,
    /// The footprint.
    pub footprint: &'a MultiPolygon<f64>,
}

impl<'a> PreparedPlot<'a> {
    /// Prepares a plot footprint.
    pub fn new(fp: &'a MultiPolygon<f64>) -> PreparedPlot<'a> {
        PreparedPlot {
            parts: fp.0.iter().map(PreparedFootprint::new).collect(),
            footprint: fp,
        }
    }

    /// The plot's column between two elevations, as meshes.
    fn column(&self, z0: f64, z1: f64) -> Vec<TriMesh> {
        self.footprint
            .0
            .iter()
            .filter_map(|p| {
                Prism::new(p.clone(), z0, z1)
                    .to_polyhedra()
                    .first()
                    .and_then(|x| TriMesh::new(x).ok())
            })
            .collect()
    }
}

/// The part of a unit outside the column of its plot, or `None` when it stays inside (within
/// `snap` metres).
pub fn outside_plot(s: &Subject, plot: &PreparedPlot, snap: f64) -> Option<Misplaced> {
    let mut volume = 0.0;
    let mut outside: Vec<MultiPolygon<f64>> = Vec::new();
    let mut z_range: Option<(f64, f64)> = None;
    for part in &s.parts {
        match part {
            PreparedPart::Prism {
                footprint,
                z_bottom,
                z_top,
                prism,
                ..
            } => {
                let inside: f64 = plot
                    .parts
                    .iter()
                    .map(|p| footprint.intersection_area(p))
                    .sum();
                let out_area = footprint.area - inside;
                if out_area > snap * snap {
                    volume += out_area * (z_top - z_bottom);
                    outside.push(
                        MultiPolygon::new(vec![prism.footprint.clone()]).difference(plot.footprint),
                    );
                    z_range = Some(z_range.map_or((*z_bottom, *z_top), |(a, b)| {
                        (a.min(*z_bottom), b.max(*z_top))
                    }));
                }
            }
            PreparedPart::Mesh(Some(m)) => {
                let b = m.aabb();
                let inside: f64 = plot
                    .column(b.min.z - 1.0, b.max.z + 1.0)
                    .iter()
                    .map(|c| intersection_volume(m, c))
                    .sum();
                let out = part.volume() - inside;
                if out > snap * snap * snap {
                    volume += out;
                    let region = mesh_footprint(m).difference(plot.footprint);
                    if let Some((lo, hi)) = z_range_within(m, &region) {
                        z_range = Some(z_range.map_or((lo, hi), |(a, c)| (a.min(lo), c.max(hi))));
                    }
                    outside.push(region);
                }
            }
            PreparedPart::Mesh(None) => {}
        }
    }
    if volume <= 0.0 {
        return None;
    }
    let all = geo::unary_union(&outside);
    Some(Misplaced {
        volume,
        footprint_area: all.unsigned_area(),
        thickness: inscribed_diameter(&all, 1e-3),
        z_range: z_range.unwrap_or((0.0, 0.0)),
    })
}

/// The elevations of the part of a solid above `region` (the part outside a plot's column):
/// the solid cut by the columns of the region's polygons.
fn z_range_within(m: &TriMesh, region: &MultiPolygon<f64>) -> Option<(f64, f64)> {
    let b = m.aabb();
    let mut range: Option<(f64, f64)> = None;
    for poly in &region.0 {
        let Some(column) = Prism::new(poly.clone(), b.min.z - 1.0, b.max.z + 1.0)
            .to_polyhedra()
            .first()
            .and_then(|p| TriMesh::new(p).ok())
        else {
            continue;
        };
        if let Some((lo, hi)) = intersection_measures(m, &column).z_range {
            range = Some(range.map_or((lo, hi), |(a, c)| (a.min(lo), c.max(hi))));
        }
    }
    range
}

/// The horizontal projection of a mesh: the union of its upward triangles.
fn mesh_footprint(m: &TriMesh) -> MultiPolygon<f64> {
    let polys: Vec<geo::Polygon<f64>> = (0..m.triangles.len())
        .filter_map(|i| {
            let [a, b, c] = m.corners(i);
            let n = crate::geometry::triangle::normal(a, b, c);
            (n.z > 0.0).then(|| {
                geo::Polygon::new(
                    geo::LineString::from(vec![(a.x, a.y), (b.x, b.y), (c.x, c.y), (a.x, a.y)]),
                    vec![],
                )
            })
        })
        .collect();
    geo::unary_union(&polys)
}

/// The volume of a unit on the wrong side of the ground for its stratum: above the ground for
/// an underground unit, below it for an above-ground unit. A surface unit must span the
/// ground: when it does not, the gap (m) is returned with no volume.
pub fn wrong_side(
    s: &Subject,
    stratum: Stratum,
    ground: f64,
    snap: f64,
) -> Option<(f64, (f64, f64), f64)> {
    match stratum {
        Stratum::Surface => {
            let (lo, hi) = (s.bbox.min.z, s.bbox.max.z);
            if ground < lo - snap {
                Some((0.0, (lo, hi), lo - ground))
            } else if ground > hi + snap {
                Some((0.0, (lo, hi), ground - hi))
            } else {
                None
            }
        }
        Stratum::Under | Stratum::Above => {
            let above = stratum == Stratum::Under;
            let mut volume = 0.0;
            let mut range: Option<(f64, f64)> = None;
            for part in &s.parts {
                let (v, lo, hi) = match part {
                    PreparedPart::Prism {
                        footprint,
                        z_bottom,
                        z_top,
                        ..
                    } => {
                        let (lo, hi) = if above {
                            (z_bottom.max(ground), *z_top)
                        } else {
                            (*z_bottom, z_top.min(ground))
                        };
                        (footprint.area * (hi - lo).max(0.0), lo, hi)
                    }
                    PreparedPart::Mesh(Some(m)) => {
                        let b = m.aabb().expanded(1.0);
                        let (lo, hi) = if above {
                            (ground, b.max.z)
                        } else {
                            (b.min.z, ground)
                        };
                        if hi <= lo {
                            continue;
                        }
                        let slab = Polyhedron::cuboid(
                            crate::geometry::Point3::new(b.min.x, b.min.y, lo),
                            crate::geometry::Point3::new(b.max.x, b.max.y, hi),
                        );
                        let v = TriMesh::new(&slab)
                            .map(|slab| intersection_volume(m, &slab))
                            .unwrap_or(0.0);
                        let mb = m.aabb();
                        (v, lo.max(mb.min.z), hi.min(mb.max.z))
                    }
                    PreparedPart::Mesh(None) => continue,
                };
                if v > 0.0 && hi - lo > snap {
                    volume += v;
                    range = Some(range.map_or((lo, hi), |(a, b)| (a.min(lo), b.max(hi))));
                }
            }
            (volume > 0.0).then(|| {
                let (lo, hi) = range.unwrap_or((ground, ground));
                (volume, (lo, hi), hi - lo)
            })
        }
    }
}

/// The plots prepared once, by id, with their ground elevations.
struct Plots<'a> {
    by_id: FxHashMap<&'a str, (PreparedPlot<'a>, Option<f64>)>,
}

impl<'a> Plots<'a> {
    fn new(ds: &'a Dataset) -> Plots<'a> {
        let prepared: Vec<PreparedPlot<'a>> = ds
            .plots
            .par_iter()
            .map(|p| PreparedPlot::new(&p.footprint))
            .collect();
        Plots {
            by_id: ds
                .plots
                .iter()
                .zip(prepared)
                .map(|(p, pp)| (p.id.as_str(), (pp, p.ground_elevation)))
                .collect(),
        }
    }
}

/// The land rights of the buildings of the dataset, by code (only land codes that have a
/// building are indexed).
fn land_rights(ds: &Dataset) -> FxHashMap<&str, usize> {
    let wanted: FxHashSet<String> = ds
        .units
        .iter()
        .filter_map(|u| {
            u.code
                .as_ref()
                .filter(|c| c.is_fixture())
                .map(|c| c.land_code().as_str().to_string())
        })
        .collect();
    ds.units
        .iter()
        .enumerate()
        .filter(|(_, u)| wanted.contains(u.key.as_str()))
        .map(|(i, u)| (u.key.as_str(), i))
        .collect()
}

/// Units outside their plot's column, buildings outside their land right, units on the
/// wrong side of the ground.
pub(super) fn conflicts(ds: &Dataset, subjects: &[Subject], opts: &CheckOptions) -> Vec<Conflict> {
    let plots = Plots::new(ds);
    let lands = land_rights(ds);
    ds.units
        .par_iter()
        .enumerate()
        .flat_map_iter(|(i, u)| {
            let s = &subjects[i];
            let mut out = Vec::new();
            out.extend(outside_parent(u, s, &plots, opts));
            out.extend(outside_land(u, s, subjects, &lands, opts.snap));
            let ground = u
                .parent_plot
                .as_deref()
                .and_then(|p| plots.by_id.get(p))
                .and_then(|x| x.1)
                .or(ds.ground_elevation);
            out.extend(
                ground.and_then(|g| wrong_side_conflict(&u.key, u.stratum?, s, g, opts.snap)),
            );
            out
        })
        .collect()
}

fn outside_parent(u: &Unit, s: &Subject, plots: &Plots, opts: &CheckOptions) -> Option<Conflict> {
    let pid = u.parent_plot.as_deref()?;
    // An unknown parent plot is validation's finding (811).
    let (plot, _) = plots.by_id.get(pid)?;
    outside_column(&u.key, pid, s, plot, opts)
}

/// The conflict of a unit `key` whose volume leaves the column of `plot` (named `pid` in the
/// message): an error, or a warning when what lies outside is thinner than the tolerance.
pub fn outside_column(
    key: &str,
    pid: &str,
    s: &Subject,
    plot: &PreparedPlot,
    opts: &CheckOptions,
) -> Option<Conflict> {
    let m = outside_plot(s, plot, opts.snap)?;
    let sliver = m.thickness < opts.tolerance;
    let mut c = Conflict::of_unit(
        ConflictKind::OutsideParent,
        if sliver {
            Severity::Warning
        } else {
            Severity::Error
        },
        key,
        m.volume,
        format!(
            "{:.3} m³ of {key} lie outside the column of plot {pid}, over {:.3} m², {:.3} m wide",
            m.volume, m.footprint_area, m.thickness
        ),
    );
    c.b = Some(pid.to_string());
    c.z_range = Some([m.z_range.0, m.z_range.1]);
    c.footprint_area_m2 = Some(round(m.footprint_area));
    c.min_thickness_m = Some(round(m.thickness));
    Some(c)
}

fn outside_land(
    u: &Unit,
    s: &Subject,
    subjects: &[Subject],
    lands: &FxHashMap<&str, usize>,
    snap: f64,
) -> Option<Conflict> {
    let code = u.code.as_ref().filter(|c| c.is_fixture())?;
    let land = code.land_code();
    let mut c = match lands.get(land.as_str()) {
        Some(&l) => {
            let inside = super::pair::shared_volume(s, &subjects[l]);
            let outside = s.volume() - inside;
            if outside <= snap * snap * snap {
                return None;
            }
            Conflict::of_unit(
                ConflictKind::FixtureOutsideLand,
                Severity::Error,
                &u.key,
                outside,
                format!(
                    "{:.3} m³ of building {} lie outside its land right {}",
                    outside,
                    u.key,
                    land.as_str()
                ),
            )
        }
        None => Conflict::of_unit(
            ConflictKind::FixtureWithoutLand,
            Severity::Warning,
            &u.key,
            0.0,
            format!(
                "the land right {} of building {} is not in the dataset",
                land.as_str(),
                u.key
            ),
        ),
    };
    c.b = Some(land.as_str().to_string());
    Some(c)
}

/// The conflict of a unit `key` of stratum `st` on the wrong side of the ground at `g`.
pub fn wrong_side_conflict(
    key: &str,
    st: Stratum,
    s: &Subject,
    g: f64,
    snap: f64,
) -> Option<Conflict> {
    let (v, (lo, hi), gap) = wrong_side(s, st, g, snap)?;
    let msg = match st {
        Stratum::Surface => format!(
            "surface unit {key} spans {:.3}–{:.3} m and does not contain the ground at {:.3} m ({:.3} m away)",
            lo, hi, g, gap
        ),
        Stratum::Under => format!(
            "{:.3} m³ of underground unit {key} lie above the ground at {:.3} m (up to {:.3} m)",
            v, g, hi
        ),
        Stratum::Above => format!(
            "{:.3} m³ of above-ground unit {key} lie below the ground at {:.3} m (down to {:.3} m)",
            v, g, lo
        ),
    };
    let mut c = Conflict::of_unit(ConflictKind::Stratum, Severity::Error, key, v, msg);
    c.z_range = Some([lo, hi]);
    Some(c)
}
