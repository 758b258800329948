//! Validation of a whole dataset: every unit (its numbers, its geometry and its cadastral
//! fields), every plot, and every other object, reported as val3dity reports them: one
//! result per unit and per top-level CityObject, with its children's findings inside.

use std::collections::HashMap;

use rayon::prelude::*;
use serde::Serialize;

use crate::model::{Dataset, Frame, PlainObject, Plot, Unit};

use super::bounds::check_bounds;
use super::building::{CityMember, validate_buildings};
use super::code::Code;
use super::finding::{Finding, Location};
use super::plot::validate_plots;
use super::tolerance::Tolerances;
use super::volume::{validate_primitive, validate_volume};

/// The validation result of one unit, top-level object or plot.
#[derive(Debug, Clone, Serialize)]
pub struct ObjectReport {
    /// The CityObject id, the GeoJSON feature id (or index) of the unit's first part, or the
    /// plot id.
    pub id: String,
    /// The unit code as given, or `null`.
    pub unit_code: Option<String>,
    /// No error (warnings allowed), in the object and in its children.
    pub valid: bool,
    /// The errors.
    pub errors: Vec<Finding>,
    /// The warnings.
    pub warnings: Vec<Finding>,
    /// The ids of the CityObjects reported with this one (its BuildingParts, …).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub children: Vec<String>,
}

/// The validation result of a dataset.
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    /// The frame of the dataset's coordinates.
    pub frame: Frame,
    /// The number of results (units and top-level objects).
    pub units: usize,
    /// One result per unit and per top-level object.
    pub results: Vec<ObjectReport>,
    /// One result per plot.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub plots: Vec<ObjectReport>,
    /// Findings about the dataset as a whole (frame, datum).
    pub dataset: Vec<Finding>,
}

impl Report {
    /// True when every unit, object and plot is valid and the dataset has no error.
    pub fn all_valid(&self) -> bool {
        self.results.iter().chain(&self.plots).all(|r| r.valid)
            && !self.dataset.iter().any(Finding::is_error)
    }
}

/// What validation found, per unit, plot and plain object in dataset order: what the
/// admission of input decides on before a report is written.
#[derive(Debug, Clone, Default)]
pub struct DatasetFindings {
    /// One list per unit of the dataset.
    pub units: Vec<Vec<Finding>>,
    /// One list per plot.
    pub plots: Vec<Vec<Finding>>,
    /// One list per plain object (not yet grouped under its top-level object).
    pub objects: Vec<Vec<Finding>>,
    /// Findings about the dataset as a whole.
    pub dataset: Vec<Finding>,
}

/// True when some finding is an error.
pub fn has_error(findings: &[Finding]) -> bool {
    findings.iter().any(Finding::is_error)
}

fn split(findings: Vec<Finding>, id: String, unit_code: Option<String>) -> ObjectReport {
    let (errors, warnings): (Vec<Finding>, Vec<Finding>) =
        findings.into_iter().partition(Finding::is_error);
    ObjectReport {
        id,
        unit_code,
        valid: errors.is_empty(),
        errors,
        warnings,
        children: Vec::new(),
    }
}

/// The id of a unit for reports: its first part's feature id, else its key.
fn unit_id(u: &Unit) -> String {
    u.features
        .first()
        .map(|f| f.id())
        .unwrap_or_else(|| u.key.clone())
}

/// Validates one unit: its import findings, its numbers, its volume part by part and as a
/// whole, its other geometries, and its parent plot.
pub fn validate_unit(u: &Unit, ds: &Dataset, tol: &Tolerances) -> Vec<Finding> {
    validate_unit_in(u, &PlotListing::of(ds), &ds.plot_lookup(), tol)
}

/// What a unit naming an unknown plot is told of the dataset's plots: the first twenty ids
/// and how many there are. A dataset read in parts (see
/// [`crate::checks::bounded`]) tells every part the whole's.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PlotListing {
    /// The first plot ids, in order.
    pub first: Vec<String>,
    /// How many plots there are.
    pub count: usize,
}

impl PlotListing {
    /// The listing of `ds`'s plots.
    pub fn of(ds: &Dataset) -> PlotListing {
        PlotListing {
            first: ds.plots.iter().take(20).map(|p| p.id.clone()).collect(),
            count: ds.plots.len(),
        }
    }
}

/// Places a finding of the volume in the unit's input: the file and feature of its part.
fn locate_in_unit(u: &Unit, mut f: Finding) -> Finding {
    let k = f.location.part.unwrap_or(0);
    if let Some(src) = u.parts.get(k) {
        f.location
            .file
            .get_or_insert_with(|| src.file.display().to_string());
        f.location
            .feature
            .get_or_insert_with(|| src.feature.clone());
        if u.parts.len() > 1 {
            f.location.part = Some(k);
        }
    }
    f
}

fn validate_unit_in(
    u: &Unit,
    listing: &PlotListing,
    plots: &HashMap<&str, &Plot>,
    tol: &Tolerances,
) -> Vec<Finding> {
    let mut out = u.findings.clone();
    if let Some(f) = check_bounds(&u.volume) {
        // Numbers no survey holds would overflow the geometry checks: nothing more is asked.
        out.push(locate_in_unit(u, f));
        return out;
    }
    if !u.volume.is_empty() || u.findings.is_empty() {
        out.extend(
            validate_volume(&u.volume, tol)
                .into_iter()
                .map(|f| locate_in_unit(u, f)),
        );
    }
    for (at, p) in &u.other_geometries {
        for mut f in validate_primitive(p, tol) {
            f.location.feature.get_or_insert_with(|| at.clone());
            out.push(f);
        }
    }
    // Plots are often kept in a file of their own: a parent plot is looked for only when the
    // dataset has plots.
    if let Some(plot) = &u.parent_plot
        && listing.count > 0
        && !plots.contains_key(plot.as_str())
    {
        out.push(unknown_plot(u, plot, listing));
    }
    out
}

fn unknown_plot(u: &Unit, plot: &str, listing: &PlotListing) -> Finding {
    let known = &listing.first;
    let more = if listing.count > known.len() {
        format!(" and {} more", listing.count - known.len())
    } else {
        String::new()
    };
    let listed = format!("plots: {}{more}", known.join(", "));
    let field = match u.parts.first() {
        Some(p) if p.feature.is_city_object() => "attributes.parent_plot",
        _ => "properties.parent_plot",
    };
    Finding::new(
        Code::ParentPlotUnknown,
        Location {
            file: u.parts.first().map(|p| p.file.display().to_string()),
            feature: u.features.first().cloned(),
            field: Some(field.to_string()),
            ..Location::default()
        },
        format!(
            "`parent_plot` \"{}\" is not a plot of the dataset ({listed})",
            crate::diagnostics::clip(plot)
        ),
    )
}

/// Validates every unit, plot and object of the dataset, calling `done` after each unit or
/// object (for a progress bar). Units are validated in parallel; the order is the dataset's
/// whatever the thread count.
pub fn dataset_findings(
    ds: &Dataset,
    tol: &Tolerances,
    done: &(dyn Fn() + Sync),
) -> DatasetFindings {
    dataset_findings_listed(ds, tol, done, &PlotListing::of(ds))
}

/// [`dataset_findings`] for a part of a dataset, whose plots the whole's `listing` names: a
/// part holds the plots its units name (those the whole holds), and a unit naming an unknown
/// plot is told of the whole's.
pub fn dataset_findings_listed(
    ds: &Dataset,
    tol: &Tolerances,
    done: &(dyn Fn() + Sync),
    listing: &PlotListing,
) -> DatasetFindings {
    let lookup = ds.plot_lookup();
    let units = ds
        .units
        .par_iter()
        .map(|u| {
            let r = validate_unit_in(u, listing, &lookup, tol);
            done();
            r
        })
        .collect();
    let mut objects: Vec<Vec<Finding>> = ds
        .objects
        .par_iter()
        .map(|o| {
            let r = validate_object(o, tol);
            done();
            r
        })
        .collect();
    for (k, f) in building_findings(&ds.objects, tol) {
        objects[k].push(f);
    }
    DatasetFindings {
        units,
        plots: validate_plots(&ds.plots, tol),
        objects,
        dataset: ds.findings.clone(),
    }
}

/// The report of a dataset from its findings.
pub fn report(ds: &Dataset, f: &DatasetFindings) -> Report {
    let mut results: Vec<ObjectReport> = ds
        .units
        .iter()
        .zip(&f.units)
        .map(|(u, fs)| split(fs.clone(), unit_id(u), u.code_text.clone()))
        .collect();
    results.extend(grouped_objects(&ds.objects, &f.objects));
    let plots = ds
        .plots
        .iter()
        .zip(&f.plots)
        .map(|(p, fs)| split(fs.clone(), p.id.clone(), None))
        .collect();
    Report {
        frame: ds.frame.clone(),
        units: results.len(),
        results,
        plots,
        dataset: f.dataset.clone(),
    }
}

/// Validates every unit, plot and object of the dataset.
pub fn validate_dataset(ds: &Dataset, tol: &Tolerances) -> Report {
    validate_dataset_with(ds, tol, &|| {})
}

/// [`validate_dataset`], calling `done` after each unit or object (for a progress bar).
pub fn validate_dataset_with(ds: &Dataset, tol: &Tolerances, done: &(dyn Fn() + Sync)) -> Report {
    report(ds, &dataset_findings(ds, tol, done))
}

/// The top-level ancestor of each object within its file (itself when it has no parent).
fn roots(objects: &[PlainObject]) -> Vec<usize> {
    let by_id: HashMap<(&std::path::Path, &str), usize> = objects
        .iter()
        .enumerate()
        .map(|(i, o)| ((o.file.as_path(), o.id.as_str()), i))
        .collect();
    (0..objects.len())
        .map(|mut i| {
            // A cycle of parents (a hostile file) stops after as many steps as objects.
            for _ in 0..objects.len() {
                let o = &objects[i];
                match o
                    .parents
                    .iter()
                    .find_map(|p| by_id.get(&(o.file.as_path(), p.as_str())))
                {
                    Some(&parent) if parent != i => i = parent,
                    _ => break,
                }
            }
            i
        })
        .collect()
}

/// One result per top-level object, its descendants' findings inside.
fn grouped_objects(objects: &[PlainObject], findings: &[Vec<Finding>]) -> Vec<ObjectReport> {
    let roots = roots(objects);
    let mut members: Vec<Vec<usize>> = vec![Vec::new(); objects.len()];
    for (i, &r) in roots.iter().enumerate() {
        members[r].push(i);
    }
    let mut out = Vec::new();
    for (r, group) in members.iter().enumerate() {
        if group.is_empty() {
            continue;
        }
        let all: Vec<Finding> = group.iter().flat_map(|&i| findings[i].clone()).collect();
        let mut rep = split(all, objects[r].id.clone(), None);
        rep.children = group
            .iter()
            .filter(|&&i| i != r)
            .map(|&i| objects[i].id.clone())
            .collect();
        out.push(rep);
    }
    out
}

/// The building rule (601) over the objects of each file; findings by object index.
fn building_findings(objects: &[PlainObject], tol: &Tolerances) -> Vec<(usize, Finding)> {
    let mut by_file: HashMap<&std::path::Path, Vec<usize>> = HashMap::new();
    for (i, o) in objects.iter().enumerate() {
        if o.object_type == "Building" || o.object_type == "BuildingPart" {
            by_file.entry(o.file.as_path()).or_default().push(i);
        }
    }
    let mut out = Vec::new();
    for indices in by_file.values() {
        let geometries: Vec<Vec<(Option<String>, &crate::geometry::Primitive)>> = indices
            .iter()
            .map(|&i| {
                let o = &objects[i];
                o.lods
                    .iter()
                    .cloned()
                    .zip(o.geometries.iter().map(|g| &g.1))
                    .collect()
            })
            .collect();
        let members: Vec<CityMember<'_>> = indices
            .iter()
            .zip(&geometries)
            .map(|(&i, g)| CityMember {
                id: &objects[i].id,
                object_type: &objects[i].object_type,
                parents: &objects[i].parents,
                geometries: g,
            })
            .collect();
        for (k, mut f) in validate_buildings(&members, tol) {
            let o = &objects[indices[k]];
            f.location.file = Some(o.file.display().to_string());
            f.location.feature = Some(crate::diagnostics::FeatureRef::city_object(&o.id));
            out.push((indices[k], f));
        }
    }
    out.sort_by_key(|(k, _)| *k);
    out
}

fn validate_object(o: &PlainObject, tol: &Tolerances) -> Vec<Finding> {
    let mut f = o.findings.clone();
    for (at, p) in &o.geometries {
        for mut x in validate_primitive(p, tol) {
            x.location
                .file
                .get_or_insert_with(|| o.file.display().to_string());
            x.location.feature.get_or_insert_with(|| at.clone());
            f.push(x);
        }
    }
    f
}
