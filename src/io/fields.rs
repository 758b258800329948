//! The model fields of a unit, read from GeoJSON properties or CityJSON attributes, and
//! merged over the parts of a unit.

use serde_json::{Map, Value};

use crate::diagnostics::{Code, FeatureRef, Finding, Location, clip, clip_json};
use crate::model::frame::HeightDatum;
use crate::model::unit::{Direction, SixTo};
use crate::model::{Stratum, SupplyMethod, Unit};

/// The names of the model fields: when several parts give one, the values must agree.
pub const MODEL_FIELDS: [&str; 15] = [
    "stratum",
    "name",
    "right_type",
    "holder",
    "use",
    "supply_method",
    "term_years",
    "term_start",
    "term_end",
    "parent_plot",
    "sixto",
    "sixto_units",
    "survey_result_code",
    "height_datum",
    "note",
];

/// Properties that are not model fields and not extras: they belong to one part.
pub const PART_FIELDS: [&str; 5] = ["kind", "unit_code", "z_bottom", "z_top", "level"];

/// The model fields of one part, as (name, value) pairs: a unit of a large district carries
/// one or two, so a list is much smaller than a map.
pub type ModelFields = Vec<(String, Value)>;

/// One part's model fields, with the feature they came from.
pub struct Source<'a> {
    pub feature: &'a FeatureRef,
    pub prefix: &'a str,
    pub props: &'a [(String, Value)],
}

fn get<'v>(props: &'v [(String, Value)], name: &str) -> Option<&'v Value> {
    props.iter().find(|(k, _)| k == name).map(|(_, v)| v)
}

fn loc(feature: &FeatureRef, prefix: &str, name: &str) -> Location {
    Location::field(feature.clone(), format!("{prefix}{name}"))
}

/// A calendar date written `YYYY-MM-DD` that exists (no 30 February, no month 13).
fn is_date(s: &str) -> bool {
    s.len() == 10 && s.parse::<jiff::civil::Date>().is_ok()
}

/// Merges the model fields of the parts of one unit into `f`: the first value given wins, a
/// different value on another part is an [`Code::AttributeConflict`]; values of the wrong type
/// or outside their allowed set are [`Code::AttributeInvalid`]. The declared stratum goes to
/// `declared_stratum`, a unit's own height datum to its frame.
pub fn merge_fields(sources: &[Source<'_>], f: &mut Unit) -> Vec<Finding> {
    let mut findings = Vec::new();
    let mut chosen: Map<String, Value> = Map::new();
    let mut origin: std::collections::HashMap<String, (FeatureRef, String)> = Default::default();
    for s in sources {
        for name in MODEL_FIELDS {
            let Some(v) = get(s.props, name).filter(|v| !v.is_null()) else {
                continue;
            };
            match chosen.get(name) {
                None => {
                    chosen.insert(name.to_string(), v.clone());
                    origin.insert(name.to_string(), (s.feature.clone(), s.prefix.to_string()));
                }
                Some(first) if first != v => {
                    let (f0, _) = &origin[name];
                    findings.push(Finding::new(
                        Code::AttributeConflict,
                        loc(s.feature, s.prefix, name),
                        format!(
                            "`{name}` is {} here but {} on {f0}: parts of one unit must agree",
                            clip_json(v),
                            clip_json(first)
                        ),
                    ));
                }
                Some(_) => {}
            }
        }
    }
    // Formats without nested values (GeoPackage, Shapefile, FlatGeobuf through GDAL) carry
    // `sixto` and `sixto_units` as JSON text.
    for name in ["sixto", "sixto_units"] {
        if let Some(Value::String(text)) = chosen.get(name)
            && let Ok(v @ Value::Object(_)) = serde_json::from_str::<Value>(text)
        {
            chosen.insert(name.to_string(), v);
        }
    }
    let at = |name: &str| {
        let (feat, prefix) = origin
            .get(name)
            .cloned()
            .unwrap_or_else(|| (FeatureRef::file(), String::new()));
        loc(&feat, &prefix, name)
    };
    let string = |name: &str, findings: &mut Vec<Finding>| -> Option<String> {
        match chosen.get(name)? {
            Value::String(s) => Some(s.clone()),
            other => {
                findings.push(Finding::new(
                    Code::AttributeInvalid,
                    at(name),
                    format!("`{name}` must be a string, found {}", clip_json(other)),
                ));
                None
            }
        }
    };
    f.name = string("name", &mut findings);
    f.right_type = string("right_type", &mut findings);
    f.holder = string("holder", &mut findings);
    f.usage = string("use", &mut findings);
    f.parent_plot = string("parent_plot", &mut findings);
    f.survey_result_code = string("survey_result_code", &mut findings);
    if let Some(h) = string("height_datum", &mut findings) {
        f.frame.height_datum = Some(HeightDatum::parse(&h));
    }
    f.note = string("note", &mut findings);
    if let Some(s) = string("stratum", &mut findings) {
        f.declared_stratum = Stratum::parse(&s);
        if f.declared_stratum.is_none() {
            findings.push(Finding::new(
                Code::AttributeInvalid,
                at("stratum"),
                format!("`stratum` is \"{s}\"; allowed: \"surface\" (地表), \"above\" (地上), \"under\" (地下)"),
            ));
        }
    }
    if let Some(s) = string("supply_method", &mut findings) {
        f.supply_method = SupplyMethod::parse(&s);
        if f.supply_method.is_none() {
            findings.push(Finding::new(
                Code::AttributeInvalid,
                at("supply_method"),
                format!("`supply_method` is \"{s}\"; allowed: allocation (划拨), listing (挂牌出让), tender (招标出让), auction (拍卖出让)"),
            ));
        }
    }
    if let Some(v) = chosen.get("term_years") {
        match v.as_u64() {
            Some(y) if y > 0 && y <= 70 => f.term.years = Some(y as u32),
            _ => findings.push(Finding::new(
                Code::AttributeInvalid,
                at("term_years"),
                format!("`term_years` must be a whole number of years from 1 to 70 (the longest statutory term), found {}", clip_json(v)),
            )),
        }
    }
    for (name, slot) in [
        ("term_start", &mut f.term.start),
        ("term_end", &mut f.term.end),
    ] {
        if let Some(s) = string(name, &mut findings) {
            if is_date(&s) {
                *slot = Some(s);
            } else {
                findings.push(Finding::new(
                    Code::AttributeInvalid,
                    at(name),
                    format!(
                        "`{name}` must be a calendar date YYYY-MM-DD, found \"{}\"",
                        clip(&s)
                    ),
                ));
            }
        }
    }
    if let (Some(a), Some(b)) = (&f.term.start, &f.term.end)
        && b < a
    {
        findings.push(Finding::new(
            Code::AttributeInvalid,
            at("term_end"),
            format!("`term_end` {b} is before `term_start` {a}"),
        ));
    }
    if let Some(v) = chosen.get("sixto") {
        match v.as_object() {
            Some(m) => {
                for (k, val) in m {
                    match (Direction::parse(k), val.as_str()) {
                        (Some(d), Some(text)) => *f.sixto.get_mut(d) = Some(text.to_string()),
                        (None, _) => findings.push(Finding::new(
                            Code::AttributeInvalid,
                            at("sixto"),
                            format!("`sixto` has the key \"{}\"; allowed: up, down, east, west, south, north (上至 下至 东至 西至 南至 北至)", clip(k)),
                        )),
                        (Some(_), None) => findings.push(Finding::new(
                            Code::AttributeInvalid,
                            at("sixto"),
                            format!("`sixto.{}` must be the boundary wording as a string, found {}", clip(k), clip_json(val)),
                        )),
                    }
                }
            }
            None => findings.push(Finding::new(
                Code::AttributeInvalid,
                at("sixto"),
                "`sixto` must be an object with the keys up, down, east, west, south, north",
            )),
        }
    }
    if let Some(v) = chosen.get("sixto_units") {
        let mut units = SixTo::<Vec<String>>::default();
        let mut ok = true;
        match v.as_object() {
            Some(m) => {
                for (k, val) in m {
                    let codes: Option<Vec<String>> = val
                        .as_array()
                        .and_then(|a| a.iter().map(|c| c.as_str().map(str::to_string)).collect());
                    match (Direction::parse(k), codes) {
                        (Some(d), Some(c)) => *units.get_mut(d) = c,
                        _ => {
                            ok = false;
                            findings.push(Finding::new(
                                Code::AttributeInvalid,
                                at("sixto_units"),
                                format!("`sixto_units.{}`: expected one of the six directions with an array of unit codes", clip(k)),
                            ));
                        }
                    }
                }
            }
            None => {
                ok = false;
                findings.push(Finding::new(
                    Code::AttributeInvalid,
                    at("sixto_units"),
                    "`sixto_units` must be an object of arrays of unit codes",
                ));
            }
        }
        if ok {
            f.sixto_units = Some(Box::new(units));
        }
    }
    findings
}

/// The properties of a part that are neither model fields nor part fields.
pub fn extras(props: &Map<String, Value>) -> Map<String, Value> {
    props
        .iter()
        .filter(|(k, _)| !MODEL_FIELDS.contains(&k.as_str()) && !PART_FIELDS.contains(&k.as_str()))
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect()
}

/// Splits a part's properties into its model fields and its extra attributes; the part
/// fields (`kind`, `unit_code`, `z_bottom`, `z_top`, `level`) are dropped.
pub fn split(props: Map<String, Value>) -> (ModelFields, Map<String, Value>) {
    let mut model = Vec::new();
    let mut extra = Map::new();
    for (k, v) in props {
        if MODEL_FIELDS.contains(&k.as_str()) {
            model.push((k, v));
        } else if !PART_FIELDS.contains(&k.as_str()) {
            extra.insert(k, v);
        }
    }
    (model, extra)
}
