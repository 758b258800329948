//! Planning rules (规划指标) checked on a dataset: the numbers of Beijing's urban-renewal policy
//! toolbox that a layered project can be held to, from a district's rules file ([`Rules`]).
//! Each finding names the rule, the figure found and the limit.
//!
//! - Under green space (item 20): the horizontal projection of the underground development at
//!   most `max_share` of the green space; at least `min_soil_m` of planting soil above every
//!   underground structure (the plot's ground elevation less the structure's top); protected
//!   trees' zones kept free of underground development.
//! - Facilities in green space (item 24), the buildings on it (units whose code's fixture
//!   feature is `F`; the green space's own land-use right is not a facility): their projection at most `max_share` of the green
//!   space; a facility of at most `exempt_area_m2` and `exempt_height_m` needs no planning
//!   permit (a note, not a limit).
//!
//! Areas are of the projections' union, clipped to the plot: two layers stacked under the same
//! lawn cover it once.

mod rules;

use geo::{Area, BooleanOps, BoundingRect, Intersects, MultiPolygon, Polygon, unary_union};
use serde::Serialize;

use crate::geometry::algorithm::{BoundingBox3, Footprint};
use crate::model::{Dataset, Plot, Stratum, Unit};

pub use rules::{GreenFacilities, GreenUnderground, Rules, RulesError, TreeZone};

/// One rule checked on one plot, unit or tree.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RuleFinding {
    /// The rule, as the rules file names it (`green_underground.max_share`, …).
    pub rule: &'static str,
    /// Where the rule comes from.
    pub source: &'static str,
    /// The plot.
    pub plot: Option<String>,
    /// The unit.
    pub unit: Option<String>,
    /// The figure found.
    pub figure: f64,
    /// The limit.
    pub limit: f64,
    /// True when the figure keeps to the limit (for a note: when the exemption applies).
    pub passed: bool,
    /// False for a note, which no project fails.
    pub binding: bool,
    /// What was found, for people.
    pub message: String,
}

const ITEM_20: &str = "北京市城市更新政策激励工具箱 1.0, item 20";
const ITEM_24: &str = "北京市城市更新政策激励工具箱 1.0, item 24";

/// Sides of the polygon a tree's circular zone is drawn as: drawn around the circle, so a
/// structure that reaches the zone is never missed.
const ZONE_SIDES: usize = 64;

/// Checks `rules` on `ds`.
pub fn evaluate(ds: &Dataset, rules: &Rules) -> Vec<RuleFinding> {
    let mut out = Vec::new();
    for plot in ds.plots.iter().filter(|p| p.green_space) {
        let under = on_plot(ds, plot, |s| s == Stratum::Under);
        if let Some(g) = &rules.green_underground {
            out.push(underground_share(plot, &under, g));
            out.extend(soil_cover(plot, &under, g));
        }
        if let Some(f) = &rules.green_facilities {
            let over: Vec<_> = on_plot(ds, plot, |s| s != Stratum::Under)
                .into_iter()
                .filter(|(u, _)| is_facility(u))
                .collect();
            out.push(facility_share(plot, &over, f));
            out.extend(over.iter().map(|(u, fp)| exemption(plot, u, fp, f)));
        }
    }
    for z in &rules.tree_protection {
        out.extend(tree_zone(ds, z));
    }
    out
}

/// A facility on the ground or above it: a building (fixture code `F`), not the land-use right
/// of the green space itself.
fn is_facility(u: &Unit) -> bool {
    u.code.as_ref().is_some_and(|c| c.fixture_kind() == 'F')
}

/// The units of a stratum for which `keep` holds whose projection meets `plot`'s (with area),
/// with their projections.
fn on_plot<'d>(
    ds: &'d Dataset,
    plot: &Plot,
    keep: impl Fn(Stratum) -> bool,
) -> Vec<(&'d Unit, MultiPolygon<f64>)> {
    let Some(r) = plot.footprint.bounding_rect() else {
        return Vec::new();
    };
    ds.units
        .iter()
        .filter(|u| u.stratum.is_some_and(&keep))
        .filter(|u| {
            let b = u.volume.bbox();
            b.min.x <= r.max().x
                && b.max.x >= r.min().x
                && b.min.y <= r.max().y
                && b.max.y >= r.min().y
        })
        .map(|u| (u, u.volume.footprint()))
        .filter(|(_, fp)| fp.intersection(&plot.footprint).unsigned_area() > 0.0)
        .collect()
}

/// The share of `plot`'s area the union of `units`' projections covers.
fn covered_share(plot: &Plot, units: &[(&Unit, MultiPolygon<f64>)]) -> (f64, f64) {
    let union = unary_union(units.iter().map(|(_, fp)| fp));
    let covered = union.intersection(&plot.footprint).unsigned_area();
    let area = plot.footprint.unsigned_area();
    (covered, if area > 0.0 { covered / area } else { 0.0 })
}

fn underground_share(
    plot: &Plot,
    under: &[(&Unit, MultiPolygon<f64>)],
    g: &GreenUnderground,
) -> RuleFinding {
    let (covered, share) = covered_share(plot, under);
    let passed = share <= g.max_share;
    RuleFinding {
        rule: "green_underground.max_share",
        source: ITEM_20,
        plot: Some(plot.id.clone()),
        unit: None,
        figure: share,
        limit: g.max_share,
        passed,
        binding: true,
        message: format!(
            "underground development under green space {}: {:.1} m² of {:.1} m², {:.1} % ({} {:.0} %)",
            plot.id,
            covered,
            plot.footprint.unsigned_area(),
            share * 100.0,
            if passed { "within" } else { "over" },
            g.max_share * 100.0
        ),
    }
}

fn soil_cover(
    plot: &Plot,
    under: &[(&Unit, MultiPolygon<f64>)],
    g: &GreenUnderground,
) -> Vec<RuleFinding> {
    let Some(ground) = plot.ground_elevation else {
        return Vec::new();
    };
    under
        .iter()
        .map(|(u, _)| {
            let soil = ground - u.volume.bbox().max.z;
            let passed = soil >= g.min_soil_m;
            RuleFinding {
                rule: "green_underground.min_soil_m",
                source: ITEM_20,
                plot: Some(plot.id.clone()),
                unit: Some(u.key.clone()),
                figure: soil,
                limit: g.min_soil_m,
                passed,
                binding: true,
                message: format!(
                    "{}: {:.2} m of soil above it under {} (ground {:.2} m), {} {:.2} m",
                    u.key,
                    soil,
                    plot.id,
                    ground,
                    if passed { "at least" } else { "less than" },
                    g.min_soil_m
                ),
            }
        })
        .collect()
}

fn facility_share(
    plot: &Plot,
    over: &[(&Unit, MultiPolygon<f64>)],
    f: &GreenFacilities,
) -> RuleFinding {
    let (covered, share) = covered_share(plot, over);
    let passed = share <= f.max_share;
    RuleFinding {
        rule: "green_facilities.max_share",
        source: ITEM_24,
        plot: Some(plot.id.clone()),
        unit: None,
        figure: share,
        limit: f.max_share,
        passed,
        binding: true,
        message: format!(
            "facilities in green space {}: {:.1} m², {:.1} % ({} {:.0} %)",
            plot.id,
            covered,
            share * 100.0,
            if passed { "within" } else { "over" },
            f.max_share * 100.0
        ),
    }
}

fn exemption(plot: &Plot, u: &Unit, fp: &MultiPolygon<f64>, f: &GreenFacilities) -> RuleFinding {
    let area = fp.unsigned_area();
    let b = u.volume.bbox();
    let height = b.max.z - b.min.z;
    let exempt = area <= f.exempt_area_m2 && height <= f.exempt_height_m;
    RuleFinding {
        rule: "green_facilities.exempt_area_m2",
        source: ITEM_24,
        plot: Some(plot.id.clone()),
        unit: Some(u.key.clone()),
        figure: area,
        limit: f.exempt_area_m2,
        passed: exempt,
        binding: false,
        message: format!(
            "{}: {:.1} m², {:.2} m high: {}",
            u.key,
            area,
            height,
            if exempt {
                "exempt from the planning permit (工程规划许可证)"
            } else {
                "needs a planning permit (工程规划许可证)"
            }
        ),
    }
}

/// The zone of a tree, as the polygon drawn around its circle.
fn zone_polygon(z: &TreeZone) -> Polygon<f64> {
    let n = ZONE_SIDES as f64;
    let r = z.radius_m / (std::f64::consts::PI / n).cos();
    let ring: Vec<(f64, f64)> = (0..=ZONE_SIDES)
        .map(|i| {
            let a = 2.0 * std::f64::consts::PI * i as f64 / n;
            (z.x + r * a.cos(), z.y + r * a.sin())
        })
        .collect();
    Polygon::new(ring.into(), vec![])
}

fn tree_zone(ds: &Dataset, z: &TreeZone) -> Vec<RuleFinding> {
    let zone = MultiPolygon::new(vec![zone_polygon(z)]);
    let finding = |unit: Option<String>, area: f64, message: String| RuleFinding {
        rule: "tree_protection",
        source: ITEM_20,
        plot: None,
        unit,
        figure: area,
        limit: 0.0,
        passed: area <= 0.0,
        binding: true,
        message,
    };
    let hits: Vec<RuleFinding> = ds
        .units
        .iter()
        .filter(|u| u.stratum == Some(Stratum::Under))
        .filter_map(|u| {
            let fp = u.volume.footprint();
            if !fp.intersects(&zone) {
                return None;
            }
            let area = fp.intersection(&zone).unsigned_area();
            (area > 0.0).then(|| {
                finding(
                    Some(u.key.clone()),
                    area,
                    format!(
                        "{} reaches {:.1} m² into the protection zone of {} ({:.1} m around it)",
                        u.key, area, z.name, z.radius_m
                    ),
                )
            })
        })
        .collect();
    if hits.is_empty() {
        vec![finding(
            None,
            0.0,
            format!(
                "the protection zone of {} is free of underground development",
                z.name
            ),
        )]
    } else {
        hits
    }
}

#[cfg(test)]
mod tests;
