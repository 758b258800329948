//! The conflict engine: which rights collide, by how much and where; which unit leaves its
//! plot, its land or its stratum; and each unit's six-direction neighbours.
//!
//! Units are prepared once ([`Subject`]), indexed by their 3D boxes ([`BoxIndex`]), and every
//! pair whose boxes meet is related exactly ([`relate`]) in parallel. The report does not
//! depend on the thread count.

pub mod containment;
pub mod pair;
pub mod query;
pub mod sixto;
pub mod subject;

use rustc_hash::{FxHashMap, FxHashSet};
use std::time::Instant;

use rayon::prelude::*;
use serde::Serialize;

use crate::index::BoxIndex;
use crate::model::{Dataset, Frame};
use crate::validate::Severity;

pub use pair::{Contact, Overlap, PairRelation, relate};
pub use sixto::{SixToTable, UnitContacts};
pub use subject::Subject;

use containment::{PreparedPlot, outside_plot, wrong_side};

/// Settings of a check.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CheckOptions {
    /// Overlaps (and parts outside a plot) thinner than this (m) are `sliver` warnings, thicker
    /// ones errors. Default 0.05 m: the accuracy of class-1 boundary points.
    pub tolerance: f64,
    /// Faces within this distance (m) are shared, elevations this close are equal. Default
    /// 0.001 m: survey coordinates are given to the millimetre.
    pub snap: f64,
    /// Worker threads; `None` uses every core.
    pub threads: Option<usize>,
}

impl Default for CheckOptions {
    fn default() -> Self {
        CheckOptions {
            tolerance: 0.05,
            snap: 0.001,
            threads: None,
        }
    }
}

/// What kind of conflict.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ConflictKind {
    /// Two units share volume thicker than the tolerance.
    Overlap,
    /// Two units share volume thinner than the tolerance (survey noise, most likely).
    Sliver,
    /// Part of a unit lies outside the column of its parent plot.
    OutsideParent,
    /// The parent plot named by a unit is not in the dataset.
    UnknownParent,
    /// Part of a building (fixture) lies outside its land-right unit.
    FixtureOutsideLand,
    /// A building's land-right unit is not in the dataset.
    FixtureWithoutLand,
    /// A unit lies on the wrong side of the ground for its stratum.
    Stratum,
    /// The declared six-direction neighbours differ from the geometry.
    SixtoMismatch,
}

/// One conflict.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Conflict {
    /// The kind.
    pub kind: ConflictKind,
    /// Error or warning.
    pub severity: Severity,
    /// The unit (for pairs, the smaller code).
    pub a: String,
    /// The other unit of a pair.
    pub b: Option<String>,
    /// The volume in conflict, m³.
    pub volume_m3: f64,
    /// Its elevation range.
    pub z_range: Option<[f64; 2]>,
    /// The area of its horizontal projection, m².
    pub footprint_area_m2: Option<f64>,
    /// Its thickness, m (see [`Overlap::thickness`]).
    pub min_thickness_m: Option<f64>,
    /// For people.
    pub message: String,
}

/// Milliseconds per stage.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Timings {
    /// Reading the files (filled in by the caller).
    pub parse: f64,
    /// Preparing the units (triangulating footprints, meshing polyhedra).
    pub prepare: f64,
    /// Building the R-tree.
    pub index: f64,
    /// Finding candidate pairs.
    pub pairs: f64,
    /// Relating the pairs exactly.
    pub exact: f64,
    /// Parent plots, land rights, strata.
    pub containment: f64,
    /// Six-direction tables and the declared neighbours.
    pub sixto: f64,
    /// Everything after parsing.
    pub total: f64,
}

/// Counts of the pair stage.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct PairStats {
    /// Pairs whose boxes meet.
    pub candidates: usize,
    /// Pairs sharing a face.
    pub touching: usize,
    /// Pairs sharing volume.
    pub overlapping: usize,
}

/// The result of a check.
#[derive(Debug, Clone, Serialize)]
pub struct CheckReport {
    /// The frame of every coordinate and volume in the report.
    pub frame: Frame,
    /// Units checked.
    pub units: usize,
    /// Conflicts, errors first, then by kind and codes.
    pub conflicts: Vec<Conflict>,
    /// Stage timings.
    pub timings_ms: Timings,
    /// Pair counts.
    pub pairs: PairStats,
}

impl CheckReport {
    /// True when some conflict is an error.
    pub fn has_errors(&self) -> bool {
        self.conflicts.iter().any(|c| c.severity == Severity::Error)
    }
}

/// Everything a check computed: the report, the prepared units and their contacts (for
/// six-direction tables).
#[derive(Debug)]
pub struct Checked<'a> {
    /// The report.
    pub report: CheckReport,
    /// The prepared units, in dataset order.
    pub subjects: Vec<Subject<'a>>,
    /// Each unit's contacts.
    pub contacts: Vec<UnitContacts>,
    /// The index over the units.
    pub index: BoxIndex,
}

impl Checked<'_> {
    /// The six-direction table of unit `i`.
    pub fn sixto(&self, ds: &Dataset, i: usize) -> SixToTable {
        sixto::table(i, &self.contacts[i], &ds.units, &self.subjects[i].bbox)
    }
}

fn ms(t: Instant) -> f64 {
    (t.elapsed().as_secs_f64() * 1e6).round() / 1e3
}

fn round(v: f64) -> f64 {
    (v * 1e6).round() / 1e6
}

/// True when unit `f` is a building (fixture) whose land right is unit `l`.
fn fixture_of(ds: &Dataset, f: usize, l: usize) -> bool {
    match (&ds.units[f].code, &ds.units[l].code) {
        (Some(fc), Some(lc)) => fc.is_fixture() && !lc.is_fixture() && fc.land_code() == *lc,
        _ => false,
    }
}

/// Checks a dataset: overlaps between units, units outside their plots, buildings outside
/// their land, units on the wrong side of the ground, and declared six-direction neighbours.
pub fn check<'a>(ds: &'a Dataset, opts: &CheckOptions) -> Checked<'a> {
    match opts.threads {
        Some(n) => match rayon::ThreadPoolBuilder::new()
            .num_threads(n.max(1))
            .build()
        {
            Ok(pool) => pool.install(|| run(ds, opts)),
            Err(_) => run(ds, opts),
        },
        None => run(ds, opts),
    }
}

fn run<'a>(ds: &'a Dataset, opts: &CheckOptions) -> Checked<'a> {
    let start = Instant::now();
    let mut t = Timings::default();
    let snap = opts.snap;

    let s0 = Instant::now();
    let subjects: Vec<Subject<'a>> = ds
        .units
        .par_iter()
        .enumerate()
        .map(|(i, u)| Subject::new(i, &u.volume))
        .collect();
    t.prepare = ms(s0);

    let s0 = Instant::now();
    let index = BoxIndex::new(subjects.iter().map(|s| s.bbox).collect());
    t.index = ms(s0);

    let s0 = Instant::now();
    let pairs = index.pairs(snap);
    t.pairs = ms(s0);

    let s0 = Instant::now();
    let related: Vec<(u32, u32, PairRelation)> = pairs
        .par_iter()
        .filter_map(|&(i, j)| {
            let (iu, ju) = (i as usize, j as usize);
            if fixture_of(ds, iu, ju) || fixture_of(ds, ju, iu) {
                return None;
            }
            let mut r = relate(&subjects[iu], &subjects[ju], snap);
            if let Some(o) = &mut r.overlap {
                pair::refine_thickness(&subjects[iu], &subjects[ju], o, opts.tolerance);
            }
            (r.overlap.is_some() || !r.contacts.is_empty()).then_some((i, j, r))
        })
        .collect();
    t.exact = ms(s0);

    let mut conflicts = Vec::new();
    let mut stats = PairStats {
        candidates: pairs.len(),
        ..Default::default()
    };
    let mut contacts: Vec<UnitContacts> = vec![Vec::new(); ds.units.len()];
    for (i, j, r) in &related {
        if !r.contacts.is_empty() {
            stats.touching += 1;
        }
        for c in &r.contacts {
            contacts[*i as usize].push((c.direction, *j, c.area));
            contacts[*j as usize].push((c.direction.opposite(), *i, c.area));
        }
        if let Some(o) = &r.overlap {
            stats.overlapping += 1;
            let (ka, kb) = (&ds.units[*i as usize].key, &ds.units[*j as usize].key);
            let (a, b) = if ka <= kb { (ka, kb) } else { (kb, ka) };
            let sliver = o.thickness < opts.tolerance;
            conflicts.push(Conflict {
                kind: if sliver { ConflictKind::Sliver } else { ConflictKind::Overlap },
                severity: if sliver { Severity::Warning } else { Severity::Error },
                a: a.clone(),
                b: Some(b.clone()),
                volume_m3: round(o.volume),
                z_range: Some([o.z_range.0, o.z_range.1]),
                footprint_area_m2: Some(round(o.footprint_area)),
                min_thickness_m: Some(round(o.thickness)),
                message: format!(
                    "{a} and {b} share {:.3} m³ between {:.3} and {:.3} m over {:.3} m², {:.3} m thick{}",
                    o.volume,
                    o.z_range.0,
                    o.z_range.1,
                    o.footprint_area,
                    o.thickness,
                    if sliver { format!(" (thinner than the {} m tolerance)", opts.tolerance) } else { String::new() }
                ),
            });
        }
    }

    let s0 = Instant::now();
    conflicts.extend(containment_conflicts(ds, &subjects, opts));
    t.containment = ms(s0);

    let s0 = Instant::now();
    let mismatch: Vec<Conflict> = ds
        .units
        .par_iter()
        .enumerate()
        .filter(|(_, u)| u.sixto_units.is_some())
        .flat_map_iter(|(i, u)| {
            let table = sixto::table(i, &contacts[i], &ds.units, &subjects[i].bbox);
            sixto::mismatches(u, &table)
                .into_iter()
                .map(move |(d, missing, extra)| {
                    let mut parts = Vec::new();
                    if !missing.is_empty() {
                        parts.push(format!("declared but not found: {}", missing.join(", ")));
                    }
                    if !extra.is_empty() {
                        parts.push(format!("found but not declared: {}", extra.join(", ")));
                    }
                    Conflict {
                        kind: ConflictKind::SixtoMismatch,
                        severity: Severity::Error,
                        a: u.key.clone(),
                        b: missing.first().or(extra.first()).cloned(),
                        volume_m3: 0.0,
                        z_range: None,
                        footprint_area_m2: None,
                        min_thickness_m: None,
                        message: format!("{} ({}): {}", d.as_str(), d.name_zh(), parts.join("; ")),
                    }
                })
        })
        .collect();
    conflicts.extend(mismatch);
    t.sixto = ms(s0);

    conflicts.sort_by(|x, y| {
        (x.severity, x.kind, &x.a, &x.b, x.message.as_str()).cmp(&(
            y.severity,
            y.kind,
            &y.a,
            &y.b,
            y.message.as_str(),
        ))
    });
    t.total = ms(start);
    Checked {
        report: CheckReport {
            frame: ds.frame.clone(),
            units: ds.units.len(),
            conflicts,
            timings_ms: t,
            pairs: stats,
        },
        subjects,
        contacts,
        index,
    }
}

fn containment_conflicts(ds: &Dataset, subjects: &[Subject], opts: &CheckOptions) -> Vec<Conflict> {
    let prepared: Vec<PreparedPlot> = ds
        .plots
        .par_iter()
        .map(|p| PreparedPlot::new(&p.footprint))
        .collect();
    let plots: FxHashMap<&str, (&PreparedPlot, Option<f64>)> = ds
        .plots
        .iter()
        .zip(&prepared)
        .map(|(p, pp)| (p.id.as_str(), (pp, p.ground_elevation)))
        .collect();
    // Only buildings look up their land, so only land codes with buildings are indexed.
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
    let by_code: FxHashMap<&str, usize> = ds
        .units
        .iter()
        .enumerate()
        .filter(|(_, u)| wanted.contains(u.key.as_str()))
        .map(|(i, u)| (u.key.as_str(), i))
        .collect();
    let snap = opts.snap;
    ds.units
        .par_iter()
        .enumerate()
        .flat_map_iter(|(i, u)| {
            let mut out = Vec::new();
            let s = &subjects[i];
            let base = |kind, severity, volume: f64, message: String| Conflict {
                kind,
                severity,
                a: u.key.clone(),
                b: None,
                volume_m3: round(volume),
                z_range: None,
                footprint_area_m2: None,
                min_thickness_m: None,
                message,
            };
            if let Some(pid) = &u.parent_plot {
                match plots.get(pid.as_str()).map(|x| x.0) {
                    Some(plot) => {
                        if let Some(m) = outside_plot(s, plot, snap) {
                            let sliver = m.thickness < opts.tolerance;
                            let mut c = base(
                                ConflictKind::OutsideParent,
                                if sliver { Severity::Warning } else { Severity::Error },
                                m.volume,
                                format!(
                                    "{:.3} m³ of {} lie outside the column of plot {pid}, over {:.3} m², {:.3} m wide",
                                    m.volume, u.key, m.footprint_area, m.thickness
                                ),
                            );
                            c.b = Some(pid.clone());
                            c.z_range = Some([m.z_range.0, m.z_range.1]);
                            c.footprint_area_m2 = Some(round(m.footprint_area));
                            c.min_thickness_m = Some(round(m.thickness));
                            out.push(c);
                        }
                    }
                    None if !ds.plots.is_empty() => out.push(base(
                        ConflictKind::UnknownParent,
                        Severity::Error,
                        0.0,
                        format!("{}: parent plot {pid} is not in the dataset", u.key),
                    )),
                    None => {}
                }
            }
            if let Some(code) = &u.code
                && code.is_fixture()
            {
                let land = code.land_code();
                match by_code.get(land.as_str()) {
                    Some(&l) => {
                        let inside = pair::shared_volume(s, &subjects[l]);
                        let outside = s.volume() - inside;
                        if outside > snap * snap * snap {
                            let mut c = base(
                                ConflictKind::FixtureOutsideLand,
                                Severity::Error,
                                outside,
                                format!("{:.3} m³ of building {} lie outside its land right {}", outside, u.key, land.as_str()),
                            );
                            c.b = Some(land.as_str().to_string());
                            out.push(c);
                        }
                    }
                    None => {
                        let mut c = base(
                            ConflictKind::FixtureWithoutLand,
                            Severity::Warning,
                            0.0,
                            format!("the land right {} of building {} is not in the dataset", land.as_str(), u.key),
                        );
                        c.b = Some(land.as_str().to_string());
                        out.push(c);
                    }
                }
            }
            if let (Some(st), Some(g)) = (u.stratum, u.parent_plot.as_deref().and_then(|p| plots.get(p)).and_then(|x| x.1).or(ds.ground_elevation))
                && let Some((v, (lo, hi), gap)) = wrong_side(s, st, g, snap)
            {
                let msg = match st {
                    crate::model::Stratum::Surface => format!(
                        "surface unit {} spans {:.3}–{:.3} m and does not contain the ground at {:.3} m ({:.3} m away)",
                        u.key, lo, hi, g, gap
                    ),
                    crate::model::Stratum::Under => format!(
                        "{:.3} m³ of underground unit {} lie above the ground at {:.3} m (up to {:.3} m)",
                        v, u.key, g, hi
                    ),
                    crate::model::Stratum::Above => format!(
                        "{:.3} m³ of above-ground unit {} lie below the ground at {:.3} m (down to {:.3} m)",
                        v, u.key, g, lo
                    ),
                };
                let mut c = base(ConflictKind::Stratum, Severity::Error, v, msg);
                c.z_range = Some([lo, hi]);
                out.push(c);
            }
            out
        })
        .collect()
}

/// The six-direction table of unit `i` alone: relates it only to the units whose boxes meet
/// its own, so it is quick in a large dataset.
pub fn sixto_of(ds: &Dataset, i: usize, opts: &CheckOptions) -> SixToTable {
    use crate::geometry::algorithm::BoundingBox3;
    let index = BoxIndex::new(ds.units.iter().map(|u| u.volume.bbox()).collect());
    let me = Subject::new(i, &ds.units[i].volume);
    let contacts: UnitContacts = index
        .query(&me.bbox, opts.snap)
        .par_iter()
        .filter(|&&j| {
            j as usize != i && !fixture_of(ds, i, j as usize) && !fixture_of(ds, j as usize, i)
        })
        .flat_map_iter(|&j| {
            let other = Subject::new(j as usize, &ds.units[j as usize].volume);
            relate(&me, &other, opts.snap)
                .contacts
                .into_iter()
                .map(move |c| (c.direction, j, c.area))
        })
        .collect();
    sixto::table(i, &contacts, &ds.units, &me.bbox)
}
