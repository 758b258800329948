//! Validation of a whole dataset: every unit (its geometry and its cadastral fields) and
//! every other object, as the report `strata validate` prints.

use serde::Serialize;

use std::collections::HashMap;

use crate::model::{Dataset, Frame, PlainObject, Plot, Unit};

use super::building::{CityMember, validate_buildings};
use super::code::Code;
use super::finding::{Finding, Location};
use super::tolerance::Tolerances;
use super::volume::{validate_primitive, validate_volume};

/// The validation result of one unit or object.
#[derive(Debug, Clone, Serialize)]
pub struct ObjectReport {
    /// The CityObject id, or the GeoJSON feature id / index of the unit's first part.
    pub id: String,
    /// The unit code as given, or `null`.
    pub unit_code: Option<String>,
    /// No error (warnings allowed).
    pub valid: bool,
    /// The errors.
    pub errors: Vec<Finding>,
    /// The warnings.
    pub warnings: Vec<Finding>,
}

/// The validation result of a dataset.
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    /// The frame of the dataset's coordinates.
    pub frame: Frame,
    /// The number of units and objects validated.
    pub units: usize,
    /// One result per unit or object.
    pub results: Vec<ObjectReport>,
    /// Findings about the dataset as a whole (frame, datum).
    pub dataset: Vec<Finding>,
}

impl Report {
    /// True when every unit and object is valid and the dataset has no error.
    pub fn all_valid(&self) -> bool {
        self.results.iter().all(|r| r.valid) && !self.dataset.iter().any(Finding::is_error)
    }
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
    }
}

/// The id of a unit for reports: its first part's feature id, else its key.
fn unit_id(u: &Unit) -> String {
    u.features
        .first()
        .map(|f| feature_id(f))
        .unwrap_or_else(|| u.key.clone())
}

/// `feature 3 ("B1")` → `B1`; `feature 3` → `3`; `CityObject "x"` → `x`.
fn feature_id(label: &str) -> String {
    if let (Some(a), Some(b)) = (label.find('"'), label.rfind('"'))
        && b > a
    {
        return label[a + 1..b].to_string();
    }
    label
        .strip_prefix("feature ")
        .map(|s| {
            s.split_whitespace()
                .next()
                .unwrap_or(s)
                .trim_matches(|c| c == '(' || c == ')')
                .to_string()
        })
        .unwrap_or_else(|| label.to_string())
}

/// Validates one unit: its import findings, its volume part by part and as a whole, its other
/// geometries, and its parent plot.
pub fn validate_unit(u: &Unit, ds: &Dataset, tol: &Tolerances) -> Vec<Finding> {
    validate_unit_in(u, ds, &ds.plot_lookup(), tol)
}

fn validate_unit_in(
    u: &Unit,
    ds: &Dataset,
    plots: &HashMap<&str, &Plot>,
    tol: &Tolerances,
) -> Vec<Finding> {
    let mut out = u.findings.clone();
    if !u.volume.is_empty() || u.findings.is_empty() {
        for mut f in validate_volume(&u.volume, tol) {
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
            out.push(f);
        }
    }
    for (label, p) in &u.other_geometries {
        for mut f in validate_primitive(p, tol) {
            f.location.feature.get_or_insert_with(|| label.clone());
            out.push(f);
        }
    }
    if let Some(plot) = &u.parent_plot
        && !ds.plots.is_empty()
        && !plots.contains_key(plot.as_str())
    {
        let known: Vec<&str> = ds.plots.iter().map(|p| p.id.as_str()).collect();
        out.push(Finding::new(
            Code::ParentPlotUnknown,
            Location {
                file: u.parts.first().map(|p| p.file.display().to_string()),
                ..Location::field(
                    u.parts
                        .first()
                        .map(|p| p.feature.clone())
                        .unwrap_or_default(),
                    "parent_plot",
                )
            },
            format!(
                "`parent_plot` \"{plot}\" is not a plot of the dataset (plots: {})",
                known.join(", ")
            ),
        ));
    }
    out
}

/// Validates every unit and every other object of the dataset.
pub fn validate_dataset(ds: &Dataset, tol: &Tolerances) -> Report {
    validate_dataset_with(ds, tol, &|| {})
}

/// [`validate_dataset`], calling `done` after each unit or object (for a progress bar). Units
/// are validated in parallel; the report's order is the dataset's order whatever the thread
/// count.
pub fn validate_dataset_with(ds: &Dataset, tol: &Tolerances, done: &(dyn Fn() + Sync)) -> Report {
    use rayon::prelude::*;
    let plots = ds.plot_lookup();
    let mut results: Vec<ObjectReport> = ds
        .units
        .par_iter()
        .map(|u| {
            let r = split(
                validate_unit_in(u, ds, &plots, tol),
                unit_id(u),
                u.code_text.clone(),
            );
            done();
            r
        })
        .collect();
    let mut objects: Vec<ObjectReport> = ds
        .objects
        .par_iter()
        .map(|o| {
            let r = validate_object(o, tol);
            done();
            r
        })
        .collect();
    for (k, f) in building_findings(&ds.objects, tol) {
        let r = &mut objects[k];
        r.valid = false;
        r.errors.push(f);
    }
    results.extend(objects);
    Report {
        frame: ds.frame.clone(),
        units: results.len(),
        results,
        dataset: ds.findings.clone(),
    }
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
            f.location.feature = Some(format!("CityObject \"{}\"", o.id));
            out.push((indices[k], f));
        }
    }
    out.sort_by_key(|(k, _)| *k);
    out
}

fn validate_object(o: &PlainObject, tol: &Tolerances) -> ObjectReport {
    let mut f = o.findings.clone();
    for (label, p) in &o.geometries {
        for mut x in validate_primitive(p, tol) {
            x.location
                .file
                .get_or_insert_with(|| o.file.display().to_string());
            x.location
                .feature
                .get_or_insert_with(|| format!("CityObject \"{}\" {label}", o.id));
            f.push(x);
        }
    }
    split(f, o.id.clone(), None)
}
