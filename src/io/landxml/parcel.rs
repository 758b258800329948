//! Parcels: a 2D parcel is a planning plot, a volumetric parcel a unit part (a footprint
//! between limits, or faces); their Feature Properties are the model fields and extras.

use geo::MultiPolygon;
use roxmltree::Node;
use rustc_hash::FxHashMap;
use serde_json::{Map, Number, Value};

use crate::diagnostics::{Code, FeatureRef, Finding, Location, clip};
use crate::geometry::{Part, Prism};
use crate::model::Plot;

use super::super::error::ImportError;
use super::super::fields::MODEL_FIELDS;
use super::super::profile::RawPart;
use super::text::{children, is_face};
use super::{Item, Limits, MAX_PARCEL_POINTS, Props, Reader};

impl<'a, 'i> Reader<'a, 'i> {
    /// The Properties of the parcel's `<Feature>` children.
    pub(super) fn properties(
        &self,
        parcel: Node,
        feature: &FeatureRef,
    ) -> Result<Props, ImportError> {
        let mut out: Props = Vec::new();
        let mut seen: FxHashMap<String, usize> = FxHashMap::default();
        for (fi, f) in children(parcel, "Feature").enumerate() {
            for (pi, p) in children(f, "Property").enumerate() {
                let field = format!("Feature[{fi}]/Property[{pi}]");
                let Some(label) = p
                    .attribute("label")
                    .map(str::trim)
                    .filter(|l| !l.is_empty())
                else {
                    return Err(self.err(feature, &field, "a <Property> needs a label"));
                };
                let value = p.attribute("value").unwrap_or("").trim().to_string();
                let field = format!("Feature/Property[@label='{label}']");
                if let Some(&j) = seen.get(label) {
                    if out[j].1 != value {
                        return Err(self.err(
                            feature,
                            &field,
                            format!(
                                "given twice with different values: \"{}\" and \"{value}\"",
                                out[j].1
                            ),
                        ));
                    }
                    continue;
                }
                seen.insert(label.to_string(), out.len());
                out.push((label.to_string(), value, field));
            }
        }
        Ok(out)
    }

    pub(super) fn parcel(
        &mut self,
        p: Node<'a, 'i>,
        feature: FeatureRef,
    ) -> Result<Item, ImportError> {
        let format = p.attribute("parcelFormat").map(str::trim);
        let props = self.properties(p, &feature)?;
        let sub: Vec<Node> = children(p, "Parcels")
            .flat_map(|ps| children(ps, "Parcel"))
            .collect();
        let volumetric = format.is_some_and(|f| f.eq_ignore_ascii_case("volumetric"));
        let standard = format.is_none_or(|f| f.is_empty() || f.eq_ignore_ascii_case("standard"));
        if volumetric {
            return self.volumetric(p, feature, props, &sub).map(Item::Part);
        }
        if !standard {
            return Err(self.err(
                &feature,
                "@parcelFormat",
                format!(
                    "\"{}\" is not supported: use \"Standard\" (or none) for a 2D parcel and \"Volumetric\" for a 3D one",
                    format.unwrap_or("")
                ),
            ));
        }
        let has_faces = sub.iter().any(|c| {
            is_face(*c)
                || c.attribute("pclRef")
                    .and_then(|r| self.parcels.get(r.trim()))
                    .is_some_and(|t| is_face(*t))
        });
        let has_limits = ["upperLimit", "lowerLimit"]
            .iter()
            .any(|l| p.attribute(*l).is_some() || props.iter().any(|(k, _, _)| k == l));
        if has_faces || has_limits {
            return Err(self.err(
                &feature,
                "@parcelFormat",
                format!(
                    "the parcel has {} but is not volumetric: set parcelFormat=\"Volumetric\"",
                    if has_faces {
                        "faces"
                    } else {
                        "an upper or lower limit"
                    }
                ),
            ));
        }
        self.plot(p, feature, props).map(Item::Plot)
    }

    pub(super) fn plot(
        &mut self,
        p: Node,
        feature: FeatureRef,
        props: Props,
    ) -> Result<Plot, ImportError> {
        let Some(id) = p.attribute("name").map(str::trim).filter(|s| !s.is_empty()) else {
            return Err(self.err(
                &feature,
                "@name",
                "a 2D parcel is a planning plot and needs a name (the plot id)",
            ));
        };
        let mut budget = MAX_PARCEL_POINTS;
        let Some(ring) = self.ring(p, &feature, "", &mut budget)? else {
            return Err(self.err(
                &feature,
                "CoordGeom",
                "missing: a 2D parcel needs a <CoordGeom> of <Line> segments",
            ));
        };
        let get = |k: &str| props.iter().find(|(l, _, _)| l == k);
        let ground_elevation = match get("ground_elevation") {
            None => None,
            Some((_, v, field)) => match v.parse::<f64>() {
                Ok(z) if z.is_finite() => Some(z),
                _ => {
                    return Err(self.err(
                        &feature,
                        field,
                        format!("must be a number of metres, found \"{v}\""),
                    ));
                }
            },
        };
        let green_space = match get("green_space") {
            None => false,
            Some((_, v, field)) => match v.to_ascii_lowercase().as_str() {
                "true" | "1" | "yes" => true,
                "false" | "0" | "no" | "" => false,
                _ => {
                    return Err(self.err(
                        &feature,
                        field,
                        format!("must be \"true\" or \"false\", found \"{v}\""),
                    ));
                }
            },
        };
        let text = |k: &str| get(k).map(|(_, v, _)| v.clone()).filter(|v| !v.is_empty());
        Ok(Plot {
            id: id.to_string(),
            name: text("name").or_else(|| p.attribute("desc").map(str::to_string)),
            land_use: text("land_use"),
            ground_elevation,
            green_space,
            footprint: MultiPolygon::new(vec![self.polygon(&ring)]),
            file: self.path.to_path_buf(),
            feature,
        })
    }

    pub(super) fn volumetric(
        &mut self,
        p: Node<'a, 'i>,
        feature: FeatureRef,
        props: Props,
        sub: &[Node<'a, 'i>],
    ) -> Result<RawPart, ImportError> {
        let faces = !sub.is_empty();
        let mut limit_findings = Vec::new();
        let (mut properties, limits) =
            self.unit_properties(p, &feature, props, faces, &mut limit_findings)?;
        let mut findings = Vec::new();
        let code_text = match properties.get("unit_code") {
            Some(Value::String(s)) => Some(s.clone()),
            _ => {
                findings.push(Finding::new(
                    Code::UnitCodeMissing,
                    Location::field(feature.clone(), "Feature/Property[@label='unit_code']"),
                    "`unit_code` is missing: every unit needs its 28-character real-estate unit code (a <Property label=\"unit_code\" value=\"...\"/> in the parcel's <Feature>)",
                ));
                None
            }
        };
        findings.extend(limit_findings);
        let mut parts = Vec::new();
        if faces {
            parts.push(Part::Polyhedron(self.polyhedron(&feature, sub)?));
        } else {
            let mut budget = MAX_PARCEL_POINTS;
            let ring = self.ring(p, &feature, "", &mut budget)?;
            let [zb, zt] = limits;
            match (ring, zb, zt) {
                (Some(ring), Some(zb), Some(zt)) => {
                    properties.insert("z_bottom".into(), number(zb));
                    properties.insert("z_top".into(), number(zt));
                    parts.push(Part::Prism(Prism::new(self.polygon(&ring), zb, zt)));
                }
                (None, _, _) => findings.push(Finding::new(
                    Code::EmptyPrimitive,
                    Location::field(feature.clone(), "CoordGeom"),
                    "the volumetric parcel has neither faces (child <Parcels>) nor a footprint (<CoordGeom>)",
                )),
                _ => {}
            }
        }
        Ok(RawPart {
            file: self.path.to_path_buf(),
            feature,
            code_text,
            properties,
            parts,
            findings,
        })
    }

    /// The model fields and extras of a volumetric parcel, and its limits (bottom, top) when
    /// it is a footprint between limits (findings for the missing or unreadable ones).
    pub(super) fn unit_properties(
        &self,
        p: Node,
        feature: &FeatureRef,
        props: Props,
        faces: bool,
        findings: &mut Vec<Finding>,
    ) -> Result<(Map<String, Value>, Limits), ImportError> {
        let (mut m, mut limit_text) = self.model_properties(feature, props, faces)?;
        for (attr, key) in [
            ("name", "name"),
            ("desc", "note"),
            ("class", "class"),
            ("state", "state"),
        ] {
            if let Some(v) = p.attribute(attr).map(str::trim).filter(|v| !v.is_empty()) {
                m.entry(key).or_insert_with(|| Value::String(v.to_string()));
            }
        }
        let mut limits = [None, None];
        for (k, name) in ["lowerLimit", "upperLimit"].iter().enumerate() {
            let attr = p
                .attribute(*name)
                .map(|v| (v.trim().to_string(), format!("@{name}")));
            let given = match (limit_text[k].take(), attr) {
                (Some(a), Some(b))
                    if a.0 != b.0 && a.0.parse::<f64>().ok() != b.0.parse::<f64>().ok() =>
                {
                    return Err(self.err(
                        feature,
                        &a.1,
                        format!(
                            "`{name}` is \"{}\" here but \"{}\" in the parcel's {name} attribute",
                            clip(&a.0),
                            clip(&b.0)
                        ),
                    ));
                }
                (Some(a), _) => Some(a),
                (None, b) => b,
            };
            if faces {
                // With faces the limits are information only: kept as extras.
                if let Some((v, _)) = given {
                    m.entry(*name).or_insert_with(|| scalar(v));
                }
                continue;
            }
            match limit(feature, k, given) {
                Ok(z) => limits[k] = Some(z),
                Err(f) => findings.push(f),
            }
        }
        Ok((m, limits))
    }

    /// The Feature Properties as model fields and extras (`sixto.up` into `sixto`,
    /// `sixto_units.up` into `sixto_units`), and the limits given as properties.
    #[allow(clippy::type_complexity)]
    fn model_properties(
        &self,
        feature: &FeatureRef,
        props: Props,
        faces: bool,
    ) -> Result<(Map<String, Value>, [Option<(String, String)>; 2]), ImportError> {
        let mut m = Map::new();
        let mut sixto = Map::new();
        let mut sixto_units = Map::new();
        let mut limit_text: [Option<(String, String)>; 2] = [None, None];
        for (label, value, field) in props {
            match label.as_str() {
                "z_bottom" | "z_top" | "kind" => {
                    let why = if label == "kind" {
                        "the kind comes from parcelFormat"
                    } else {
                        "give the limits as `lowerLimit` and `upperLimit`"
                    };
                    return Err(self.err(
                        feature,
                        &field,
                        format!("`{label}` is not a LandXML property: {why}"),
                    ));
                }
                "lowerLimit" | "upperLimit" if !faces => {
                    let k = usize::from(label == "upperLimit");
                    limit_text[k] = Some((value, field));
                }
                "unit_code" | "level" => {
                    m.insert(label, Value::String(value));
                }
                "term_years" => {
                    m.insert(label, scalar(value));
                }
                l if MODEL_FIELDS.contains(&l) => {
                    m.insert(label, Value::String(value));
                }
                l => {
                    if let Some(d) = l.strip_prefix("sixto.") {
                        sixto.insert(d.to_string(), Value::String(value));
                    } else if let Some(d) = l.strip_prefix("sixto_units.") {
                        let codes = value
                            .split(|c: char| c == ',' || c == ';' || c.is_whitespace())
                            .filter(|s| !s.is_empty())
                            .map(|s| Value::String(s.to_string()))
                            .collect();
                        sixto_units.insert(d.to_string(), Value::Array(codes));
                    } else {
                        m.insert(label, scalar(value));
                    }
                }
            }
        }
        if !sixto.is_empty() {
            m.insert("sixto".into(), Value::Object(sixto));
        }
        if !sixto_units.is_empty() {
            m.insert("sixto_units".into(), Value::Object(sixto_units));
        }
        Ok((m, limit_text))
    }
}

/// Limit `k` (0 lower, 1 upper) of a footprint parcel from its text and field, or the
/// finding (804) that says why there is none.
#[allow(clippy::result_large_err)]
fn limit(feature: &FeatureRef, k: usize, given: Option<(String, String)>) -> Result<f64, Finding> {
    let name = ["lowerLimit", "upperLimit"][k];
    let which = ["bottom", "top"][k];
    match given {
        None => Err(Finding::new(
            Code::ElevationMissing,
            Location::field(
                feature.clone(),
                format!("Feature/Property[@label='{name}']"),
            ),
            format!(
                "`{name}` is missing: a volumetric parcel given by its footprint needs lowerLimit and upperLimit (the {which} elevation, metres in the height datum), as a Property or an attribute of the Parcel"
            ),
        )),
        Some((v, field)) => match v.parse::<f64>() {
            Ok(z) if z.is_finite() => Ok(z),
            _ => Err(Finding::new(
                Code::ElevationMissing,
                Location::field(feature.clone(), field),
                format!(
                    "`{name}` must be a number of metres, found \"{}\"",
                    clip(&v)
                ),
            )),
        },
    }
}

/// A number when the text is one (integers stay integers; "007" stays text), else a string.
fn scalar(s: String) -> Value {
    let t = s.as_str();
    let leading_zero = {
        let d = t.strip_prefix(['-', '+']).unwrap_or(t);
        d.len() > 1 && d.starts_with('0') && d.as_bytes()[1].is_ascii_digit()
    };
    let numeric_start = t
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_digit() || c == '-' || c == '.');
    if numeric_start && !leading_zero {
        if let Ok(i) = t.parse::<i64>() {
            return Value::Number(i.into());
        }
        if let Ok(x) = t.parse::<f64>()
            && let Some(n) = Number::from_f64(x)
        {
            return Value::Number(n);
        }
    }
    Value::String(s)
}

fn number(x: f64) -> Value {
    Number::from_f64(x).map_or(Value::Null, Value::Number)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scalars() {
        assert_eq!(scalar("40".into()), Value::from(40));
        assert_eq!(scalar("-2.5".into()), Value::from(-2.5));
        assert_eq!(scalar("007".into()), Value::from("007"));
        assert_eq!(scalar("inf".into()), Value::from("inf"));
        assert_eq!(scalar("1e400".into()), Value::from("1e400"));
        assert_eq!(scalar("B1".into()), Value::from("B1"));
    }
}
