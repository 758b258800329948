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

/// The model fields chosen for one unit (the first value given for each), where each came
/// from, and what was found wrong so far.
struct Merged {
    chosen: Map<String, Value>,
    origin: std::collections::HashMap<String, (FeatureRef, String)>,
    findings: Vec<Finding>,
}

impl Merged {
    /// The first value of each field over the parts; a different value on another part is a
    /// conflict.
    fn choose(sources: &[Source<'_>]) -> Merged {
        let mut m = Merged {
            chosen: Map::new(),
            origin: Default::default(),
            findings: Vec::new(),
        };
        for s in sources {
            for name in MODEL_FIELDS {
                let Some(v) = get(s.props, name).filter(|v| !v.is_null()) else {
                    continue;
                };
                match m.chosen.get(name) {
                    None => {
                        m.chosen.insert(name.to_string(), v.clone());
                        m.origin
                            .insert(name.to_string(), (s.feature.clone(), s.prefix.to_string()));
                    }
                    Some(first) if first != v => {
                        let (f0, _) = &m.origin[name];
                        let message = format!(
                            "`{name}` is {} here but {} on {f0}: parts of one unit must agree",
                            clip_json(v),
                            clip_json(first)
                        );
                        m.findings.push(Finding::new(
                            Code::AttributeConflict,
                            loc(s.feature, s.prefix, name),
                            message,
                        ));
                    }
                    Some(_) => {}
                }
            }
        }
        // Formats without nested values (GeoPackage, Shapefile, FlatGeobuf through GDAL) carry
        // `sixto` and `sixto_units` as JSON text.
        for name in ["sixto", "sixto_units"] {
            if let Some(Value::String(text)) = m.chosen.get(name)
                && let Ok(v @ Value::Object(_)) = serde_json::from_str::<Value>(text)
            {
                m.chosen.insert(name.to_string(), v);
            }
        }
        m
    }

    /// Where field `name` came from.
    fn at(&self, name: &str) -> Location {
        let (feat, prefix) = self
            .origin
            .get(name)
            .cloned()
            .unwrap_or_else(|| (FeatureRef::file(), String::new()));
        loc(&feat, &prefix, name)
    }

    fn invalid(&mut self, name: &str, message: impl Into<String>) {
        let at = self.at(name);
        self.findings
            .push(Finding::new(Code::AttributeInvalid, at, message));
    }

    /// Field `name` as text, when given (a value of another type is a finding).
    fn string(&mut self, name: &str) -> Option<String> {
        match self.chosen.get(name)? {
            Value::String(s) => Some(s.clone()),
            other => {
                let m = format!("`{name}` must be a string, found {}", clip_json(other));
                self.invalid(name, m);
                None
            }
        }
    }

    fn text_fields(&mut self, f: &mut Unit) {
        f.name = self.string("name");
        f.right_type = self.string("right_type");
        f.holder = self.string("holder");
        f.usage = self.string("use");
        f.parent_plot = self.string("parent_plot");
        f.survey_result_code = self.string("survey_result_code");
        if let Some(h) = self.string("height_datum") {
            f.frame.height_datum = Some(HeightDatum::parse(&h));
        }
        f.note = self.string("note");
        if let Some(s) = self.string("stratum") {
            f.declared_stratum = Stratum::parse(&s);
            if f.declared_stratum.is_none() {
                self.invalid("stratum", format!("`stratum` is \"{}\"; allowed: \"surface\" (地表), \"above\" (地上), \"under\" (地下)", clip(&s)));
            }
        }
        if let Some(s) = self.string("supply_method") {
            f.supply_method = SupplyMethod::parse(&s);
            if f.supply_method.is_none() {
                self.invalid("supply_method", format!("`supply_method` is \"{}\"; allowed: allocation (划拨), listing (挂牌出让), tender (招标出让), auction (拍卖出让)", clip(&s)));
            }
        }
    }

    fn term(&mut self, f: &mut Unit) {
        if let Some(v) = self.chosen.get("term_years") {
            match v.as_u64() {
                Some(y) if y > 0 && y <= 70 => f.term.years = Some(y as u32),
                _ => {
                    let m = format!(
                        "`term_years` must be a whole number of years from 1 to 70 (the longest statutory term), found {}",
                        clip_json(v)
                    );
                    self.invalid("term_years", m);
                }
            }
        }
        for name in ["term_start", "term_end"] {
            let Some(s) = self.string(name) else { continue };
            if !is_date(&s) {
                self.invalid(
                    name,
                    format!(
                        "`{name}` must be a calendar date YYYY-MM-DD, found \"{}\"",
                        clip(&s)
                    ),
                );
            } else if name == "term_start" {
                f.term.start = Some(s);
            } else {
                f.term.end = Some(s);
            }
        }
        if let (Some(a), Some(b)) = (&f.term.start, &f.term.end)
            && b < a
        {
            let m = format!("`term_end` {b} is before `term_start` {a}");
            self.invalid("term_end", m);
        }
    }

    fn sixto(&mut self, f: &mut Unit) {
        let Some(v) = self.chosen.get("sixto").cloned() else {
            return;
        };
        let Some(m) = v.as_object() else {
            self.invalid(
                "sixto",
                "`sixto` must be an object with the keys up, down, east, west, south, north",
            );
            return;
        };
        for (k, val) in m {
            match (Direction::parse(k), val.as_str()) {
                (Some(d), Some(text)) => *f.sixto.get_mut(d) = Some(text.to_string()),
                (None, _) => self.invalid("sixto", format!("`sixto` has the key \"{}\"; allowed: up, down, east, west, south, north (上至 下至 东至 西至 南至 北至)", clip(k))),
                (Some(_), None) => self.invalid("sixto", format!("`sixto.{}` must be the boundary wording as a string, found {}", clip(k), clip_json(val))),
            }
        }
    }

    fn sixto_units(&mut self, f: &mut Unit) {
        let Some(v) = self.chosen.get("sixto_units").cloned() else {
            return;
        };
        let Some(m) = v.as_object() else {
            self.invalid(
                "sixto_units",
                "`sixto_units` must be an object of arrays of unit codes",
            );
            return;
        };
        let mut units = SixTo::<Vec<String>>::default();
        let mut ok = true;
        for (k, val) in m {
            let codes: Option<Vec<String>> = val
                .as_array()
                .and_then(|a| a.iter().map(|c| c.as_str().map(str::to_string)).collect());
            match (Direction::parse(k), codes) {
                (Some(d), Some(c)) => *units.get_mut(d) = c,
                _ => {
                    ok = false;
                    self.invalid("sixto_units", format!("`sixto_units.{}`: expected one of the six directions with an array of unit codes", clip(k)));
                }
            }
        }
        if ok {
            f.sixto_units = Some(Box::new(units));
        }
    }
}

/// Merges the model fields of the parts of one unit into `f`: the first value given wins, a
/// different value on another part is an [`Code::AttributeConflict`]; values of the wrong type
/// or outside their allowed set are [`Code::AttributeInvalid`]. The declared stratum goes to
/// `declared_stratum`, a unit's own height datum to its frame.
pub fn merge_fields(sources: &[Source<'_>], f: &mut Unit) -> Vec<Finding> {
    let mut m = Merged::choose(sources);
    m.text_fields(f);
    m.term(f);
    m.sixto(f);
    m.sixto_units(f);
    m.findings
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
