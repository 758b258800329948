//! The conflict engine: which rights collide, by how much and where; which unit leaves its
//! plot, its land or its stratum; and each unit's six-direction neighbours.
//!
//! Units are prepared once ([`Subject`]), indexed by their 3D boxes ([`BoxIndex`]), and every
//! pair whose boxes meet is related exactly ([`relate`]) in parallel. The report does not
//! depend on the thread count.

pub mod bounded;
mod conflict;
pub mod containment;
mod groups;
pub mod pair;
pub mod planning;
pub mod query;
pub mod sixto;
pub mod subject;
pub mod tiles;

use std::time::Instant;

use rayon::prelude::*;
use serde::Serialize;

use crate::diagnostics::Severity;
use crate::geometry::Aabb;
use crate::index::BoxIndex;
use crate::model::{Dataset, Frame, UnitCode};

pub use conflict::{Conflict, ConflictKind};
pub use groups::{Groups, identical};
pub use pair::{Contact, Overlap, PairRelation, overlap_between, relate, shared_volume_range};
pub use sixto::{SixToTable, UnitContacts};
pub use subject::Subject;

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

/// True when unit `f` is a building (fixture) whose land right is unit `l`: a building lies
/// inside its own land right, which is no overlap of rights.
pub fn building_on_its_land(f: &UnitCode, l: &UnitCode) -> bool {
    f.is_fixture() && !l.is_fixture() && f.land_code() == *l
}

fn fixture_of(ds: &Dataset, f: usize, l: usize) -> bool {
    match (&ds.units[f].code, &ds.units[l].code) {
        (Some(fc), Some(lc)) => building_on_its_land(fc, lc),
        _ => false,
    }
}

/// Checks a dataset: overlaps between units, units outside their plots, buildings outside
/// their land, units on the wrong side of the ground, and declared six-direction neighbours.
///
/// The dataset is expected to have passed validation (see [`crate::admit`]): a part the
/// checks cannot measure is reported as [`ConflictKind::Unchecked`], never skipped silently.
/// Units with the very same volume are one [`ConflictKind::Duplicate`] and are related to
/// their neighbours once. More threads than the machine runs at once are not started.
pub fn check<'a>(ds: &'a Dataset, opts: &CheckOptions) -> Checked<'a> {
    let have = std::thread::available_parallelism().map_or(1, std::num::NonZeroUsize::get);
    match opts.threads {
        Some(n) => match rayon::ThreadPoolBuilder::new()
            .num_threads(n.clamp(1, have))
            .build()
        {
            Ok(pool) => pool.install(|| run(ds, opts)),
            Err(_) => run(ds, opts),
        },
        None => run(ds, opts),
    }
}

/// The pairs of representatives whose boxes meet, related exactly.
fn related_pairs(
    ds: &Dataset,
    subjects: &[Subject],
    pairs: &[(u32, u32)],
    opts: &CheckOptions,
) -> Vec<(u32, u32, PairRelation)> {
    pairs
        .par_iter()
        .filter_map(|&(i, j)| {
            let (iu, ju) = (i as usize, j as usize);
            if fixture_of(ds, iu, ju) || fixture_of(ds, ju, iu) {
                return None;
            }
            let mut r = relate(&subjects[iu], &subjects[ju], opts.snap);
            if let Some(o) = &mut r.overlap {
                pair::refine_thickness(&subjects[iu], &subjects[ju], o, opts.tolerance);
            }
            (r.overlap.is_some() || !r.contacts.is_empty()).then_some((i, j, r))
        })
        .collect()
}

/// ` (and the same for the units identical to A: B, C)` when a unit of the pair has copies.
fn also_for(ds: &Dataset, groups: &Groups, units: [u32; 2]) -> String {
    let mut said = Vec::new();
    for u in units {
        if let Some(c) = groups.copies.get(&u) {
            let keys: Vec<&str> = c
                .iter()
                .take(10)
                .map(|&k| ds.units[k as usize].key.as_str())
                .collect();
            let more = c.len().saturating_sub(keys.len());
            let tail = if more > 0 {
                format!(" and {more} more")
            } else {
                String::new()
            };
            said.push(format!(
                "the units identical to {}: {}{tail}",
                ds.units[u as usize].key,
                keys.join(", ")
            ));
        }
    }
    if said.is_empty() {
        String::new()
    } else {
        format!(" (and the same for {})", said.join("; "))
    }
}

/// Turns related pairs into contacts (for six-direction tables, copies of a representative
/// sharing its contacts), overlap conflicts and counts.
fn pair_results(
    ds: &Dataset,
    groups: &Groups,
    related: &[(u32, u32, PairRelation)],
    opts: &CheckOptions,
    stats: &mut PairStats,
) -> (Vec<UnitContacts>, Vec<Conflict>) {
    let mut contacts: Vec<UnitContacts> = vec![Vec::new(); ds.units.len()];
    let mut conflicts = Vec::new();
    for (i, j, r) in related {
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
            let also = also_for(ds, groups, [*i, *j]);
            conflicts.push(pair::overlap_conflict(ka, kb, o, opts.tolerance, &also));
        }
    }
    for (&r, copies) in &groups.copies {
        for &c in copies {
            contacts[c as usize] = contacts[r as usize].clone();
        }
    }
    (contacts, conflicts)
}

fn run<'a>(ds: &'a Dataset, opts: &CheckOptions) -> Checked<'a> {
    let start = Instant::now();
    let mut t = Timings::default();

    let s0 = Instant::now();
    let subjects: Vec<Subject<'a>> = ds
        .units
        .par_iter()
        .enumerate()
        .map(|(i, u)| Subject::new(i, &u.volume))
        .collect();
    let groups = groups::identical(&ds.units);
    t.prepare = ms(s0);

    let s0 = Instant::now();
    // Copies of a representative stay out of the index: they are related through it.
    let index = BoxIndex::new(
        subjects
            .iter()
            .enumerate()
            .map(|(i, s)| {
                if groups.is_rep(i) {
                    s.bbox
                } else {
                    Aabb::empty()
                }
            })
            .collect(),
    );
    t.index = ms(s0);

    let s0 = Instant::now();
    let pairs = index.pairs(opts.snap);
    t.pairs = ms(s0);

    let s0 = Instant::now();
    let related = related_pairs(ds, &subjects, &pairs, opts);
    t.exact = ms(s0);

    let mut stats = PairStats {
        candidates: pairs.len(),
        ..Default::default()
    };
    let (contacts, mut conflicts) = pair_results(ds, &groups, &related, opts, &mut stats);
    conflicts.extend(groups::duplicate_conflicts(&ds.units, &groups));
    conflicts.extend(unchecked_conflicts(ds, &subjects));

    let s0 = Instant::now();
    conflicts.extend(containment::conflicts(ds, &subjects, opts));
    t.containment = ms(s0);

    let s0 = Instant::now();
    conflicts.extend(sixto::mismatch_conflicts(&ds.units, &contacts, &subjects));
    t.sixto = ms(s0);

    Conflict::sort(&mut conflicts);
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

/// The parts the checks cannot measure, one conflict per unit.
fn unchecked_conflicts(ds: &Dataset, subjects: &[Subject]) -> Vec<Conflict> {
    subjects
        .iter()
        .filter_map(|s| {
            let parts = s.unprepared_parts();
            if parts.is_empty() {
                return None;
            }
            let u = &ds.units[s.unit];
            let list: Vec<String> = parts.iter().map(usize::to_string).collect();
            Some(Conflict::of_unit(
                ConflictKind::Unchecked,
                Severity::Error,
                &u.key,
                0.0,
                format!(
                    "{}: part(s) {} cannot be triangulated, so their overlaps cannot be measured: validate the unit",
                    u.key,
                    list.join(", ")
                ),
            ))
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
