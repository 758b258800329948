//! Field mappings: for survey files whose fields are not named as the survey profile names
//! them (a Shapefile truncates `parent_plot` to `parent_plo`, a CAD export has only `Layer`,
//! a local system calls the unit code `BDCDYH`), and for values that come from elsewhere (the
//! approved elevation table of each unit).

use std::collections::BTreeMap;
use std::path::Path;

use serde::Deserialize;
use serde_json::{Map, Value};

use super::error::{ImportError, read_file};
use super::json::parse_strict;

/// How to read the fields of a survey file.
///
/// ```
/// use strata::io::mapping::FieldMapping;
/// let m = FieldMapping::from_pairs("unit_code=BDCDYH, z_bottom=DBGC, z_top=DGGC").unwrap();
/// assert_eq!(m.source("unit_code"), "BDCDYH");
/// assert_eq!(m.source("holder"), "holder");
/// ```
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FieldMapping {
    /// Profile name → the file's field name (e.g. `"unit_code": "BDCDYH"`).
    #[serde(default)]
    pub fields: BTreeMap<String, String>,
    /// Values per unit code, used where the file gives none (e.g. the elevations of a CAD
    /// footprint: `"110112003005GX00001W00000000": {"z_bottom": 11.5, "z_top": 17.5}`).
    #[serde(default)]
    pub values: BTreeMap<String, Map<String, Value>>,
}

impl FieldMapping {
    /// Reads a mapping file (JSON: `{"fields": {…}, "values": {…}}`).
    pub fn from_file(path: &Path) -> Result<FieldMapping, ImportError> {
        let v = parse_strict(path, &read_file(path)?)?;
        serde_json::from_value(v)
            .map_err(|e| ImportError::format(path, format!("not a field mapping: {e}")))
    }

    /// Reads `name=field, name=field` pairs (the `--map` flag).
    pub fn from_pairs(s: &str) -> Result<FieldMapping, String> {
        let mut m = FieldMapping::default();
        for pair in s.split(',').map(str::trim).filter(|p| !p.is_empty()) {
            let (k, v) = pair
                .split_once('=')
                .ok_or_else(|| format!("`{pair}`: expected name=field"))?;
            m.fields.insert(k.trim().to_string(), v.trim().to_string());
        }
        Ok(m)
    }

    /// The file's field that holds profile field `name` (itself when not mapped).
    pub fn source<'a>(&'a self, name: &'a str) -> &'a str {
        self.fields.get(name).map(String::as_str).unwrap_or(name)
    }

    /// True when nothing is mapped.
    pub fn is_empty(&self) -> bool {
        self.fields.is_empty() && self.values.is_empty()
    }

    /// Renames a feature's fields to profile names and fills in the values given for its unit
    /// code where the feature has none.
    pub fn apply(&self, raw: Map<String, Value>) -> Map<String, Value> {
        if self.is_empty() {
            return raw;
        }
        let reverse: BTreeMap<&str, &str> = self
            .fields
            .iter()
            .map(|(k, v)| (v.as_str(), k.as_str()))
            .collect();
        let mut out = Map::new();
        for (k, v) in raw {
            match reverse.get(k.as_str()) {
                Some(target) => {
                    out.insert((*target).to_string(), v);
                }
                None if !self.fields.contains_key(&k) => {
                    out.entry(k).or_insert(v);
                }
                None => {}
            }
        }
        if let Some(code) = out
            .get("unit_code")
            .and_then(Value::as_str)
            .map(str::to_string)
            && let Some(vals) = self.values.get(&code)
        {
            for (k, v) in vals {
                out.entry(k.clone()).or_insert_with(|| v.clone());
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn renames_and_fills_in() {
        let mut m = FieldMapping::from_pairs("unit_code=Layer,parent_plot=parent_plo").unwrap();
        m.values.insert(
            "C".into(),
            json!({"z_bottom": 1.0, "z_top": 2.0, "holder": "x"})
                .as_object()
                .unwrap()
                .clone(),
        );
        let raw = json!({"Layer": "C", "parent_plo": "P", "holder": "given"})
            .as_object()
            .unwrap()
            .clone();
        let out = m.apply(raw);
        assert_eq!(out["unit_code"], "C");
        assert_eq!(out["parent_plot"], "P");
        assert_eq!(out["z_top"], 2.0);
        assert_eq!(out["holder"], "given");
        assert!(!out.contains_key("Layer"));
    }
}
