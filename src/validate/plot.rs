//! Planning plots: each footprint a valid polygon of numbers a survey can hold, a ground
//! elevation within the height datum's range, and ids that name one plot only.

use std::collections::HashMap;

use crate::diagnostics::{Code, Finding, Location};
use crate::model::Plot;

use super::bounds::{coordinate_problem, elevation_problem};
use super::tolerance::Tolerances;
use super::volume::validate_footprint;

/// Places a finding in the plot's file and feature.
fn at_plot(p: &Plot, mut f: Finding, field: &str) -> Finding {
    f.location.file = Some(p.file.display().to_string());
    f.location.feature = Some(p.feature.clone());
    f.location.field.get_or_insert_with(|| field.to_string());
    f
}

fn validate_plot(p: &Plot, tol: &Tolerances) -> Vec<Finding> {
    let mut out = Vec::new();
    if let Some(g) = p.ground_elevation
        && let Some((code, m)) = elevation_problem(g)
    {
        out.push(at_plot(
            p,
            Finding::new(
                code,
                Location::default(),
                format!("the ground elevation: {m}"),
            ),
            "ground_elevation",
        ));
    }
    let numbers = p
        .footprint
        .0
        .iter()
        .flat_map(|poly| std::iter::once(poly.exterior()).chain(poly.interiors()))
        .flat_map(|r| r.0.iter())
        .find_map(|c| coordinate_problem(c.x).or_else(|| coordinate_problem(c.y)));
    if let Some((code, m)) = numbers {
        out.push(at_plot(
            p,
            Finding::new(code, Location::default(), m),
            "geometry",
        ));
        return out;
    }
    let many = p.footprint.0.len() > 1;
    for (k, poly) in p.footprint.0.iter().enumerate() {
        for f in validate_footprint(poly, tol) {
            let f = if many { f.located_in_part(k) } else { f };
            out.push(at_plot(p, f, "geometry"));
        }
    }
    out
}

/// Validates every plot; one list of findings per plot, in order. A plot id given to an
/// earlier plot is a duplicate (817): a unit naming it could belong to either.
pub fn validate_plots(plots: &[Plot], tol: &Tolerances) -> Vec<Vec<Finding>> {
    use rayon::prelude::*;
    let mut out: Vec<Vec<Finding>> = plots.par_iter().map(|p| validate_plot(p, tol)).collect();
    let mut first: HashMap<&str, usize> = HashMap::new();
    for (i, p) in plots.iter().enumerate() {
        match first.get(p.id.as_str()) {
            Some(&j) => {
                let earlier = &plots[j];
                out[i].push(at_plot(
                    p,
                    Finding::new(
                        Code::DuplicateId,
                        Location::default(),
                        format!(
                            "plot id \"{}\" is also the id of {} in {}: plot ids must be unique",
                            crate::diagnostics::clip(&p.id),
                            earlier.feature,
                            earlier.file.display()
                        ),
                    ),
                    "plot_id",
                ));
            }
            None => {
                first.insert(&p.id, i);
            }
        }
    }
    out
}
