//! JSON values read with the bounds every reader keeps: no duplicate members (a member given
//! twice is refused with its name, never resolved silently), non-finite numbers refused, and
//! optionally a budget of positions per feature.

use std::cell::{Cell, RefCell};
use std::path::Path;

use serde::de::{self, DeserializeSeed, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Value};

use super::error::ImportError;

/// The bounds of one read.
pub(crate) struct Limits<'a> {
    /// Positions (arrays of two to four numbers) still allowed, when they are counted.
    pub positions: Option<&'a Cell<usize>>,
    /// The member names from the top of the document to the value being read, joined by
    /// dots, for messages (one string, grown and cut back: no allocation per member).
    pub path: &'a RefCell<String>,
}

impl Limits<'_> {
    /// Puts member `key` at the end of the path; returns what [`Limits::leave`] needs.
    pub fn enter(&self, key: &str) -> usize {
        let mut p = self.path.borrow_mut();
        let n = p.len();
        if n > 0 {
            p.push('.');
        }
        p.push_str(key);
        n
    }

    /// Takes the member `enter` put on the path off again.
    pub fn leave(&self, n: usize) {
        self.path.borrow_mut().truncate(n);
    }
}

/// What a position budget says when it is spent.
pub(crate) fn too_many_positions(max: usize) -> String {
    format!("the feature has more than {max} positions; no parcel has that many boundary points")
}

/// Reads any JSON value within `Limits`.
pub(crate) struct Strict<'a>(pub &'a Limits<'a>);

impl<'de> DeserializeSeed<'de> for Strict<'_> {
    type Value = Value;
    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        d.deserialize_any(self)
    }
}

/// The message for a member given twice in the object at `path`.
pub(crate) fn duplicate_member(path: &str, key: &str) -> String {
    let key = crate::diagnostics::clip(key);
    match path {
        "" => format!("the member `{key}` is given twice"),
        "CityObjects" => format!("the CityObject id `{key}` is used twice: ids must be unique"),
        _ => format!(
            "the member `{key}` is given twice in `{}`",
            crate::diagnostics::clip(path)
        ),
    }
}

impl<'de> Visitor<'de> for Strict<'_> {
    type Value = Value;
    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("a JSON value")
    }
    fn visit_bool<E>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }
    fn visit_i64<E>(self, v: i64) -> Result<Value, E> {
        Ok(Value::from(v))
    }
    fn visit_u64<E>(self, v: u64) -> Result<Value, E> {
        Ok(Value::from(v))
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Value, E> {
        serde_json::Number::from_f64(v)
            .map(Value::Number)
            .ok_or_else(|| E::custom("a number is not finite"))
    }
    fn visit_str<E>(self, v: &str) -> Result<Value, E> {
        Ok(Value::String(v.to_string()))
    }
    fn visit_string<E>(self, v: String) -> Result<Value, E> {
        Ok(Value::String(v))
    }
    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_none<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut v = Vec::new();
        while let Some(x) = seq.next_element_seed(Strict(self.0))? {
            v.push(x);
        }
        if let Some(budget) = self.0.positions
            && (2..=4).contains(&v.len())
            && v.iter().all(Value::is_number)
        {
            let left = budget.get();
            if left == 0 {
                return Err(de::Error::custom(too_many_positions(
                    super::profile::MAX_POSITIONS_PER_FEATURE,
                )));
            }
            budget.set(left - 1);
        }
        Ok(Value::Array(v))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut m = Map::new();
        while let Some(k) = map.next_key::<String>()? {
            let slot = match m.entry(k) {
                serde_json::map::Entry::Vacant(slot) => slot,
                serde_json::map::Entry::Occupied(o) => {
                    return Err(de::Error::custom(duplicate_member(
                        &self.0.path.borrow(),
                        o.key(),
                    )));
                }
            };
            let n = self.0.enter(slot.key());
            let v = map.next_value_seed(Strict(self.0))?;
            self.0.leave(n);
            slot.insert(v);
        }
        Ok(Value::Object(m))
    }
}

/// The sentence of a serde_json error without the " at line L column C" it appends.
pub(crate) fn sentence(e: &serde_json::Error) -> String {
    let m = e.to_string();
    match m.rfind(" at line ") {
        Some(i) => m[..i].to_string(),
        None => m,
    }
}

/// Parses a whole JSON document (CityJSON, mapping files) within the bounds: invalid UTF-8,
/// truncation, nesting deeper than 128 levels, non-finite numbers and duplicate members are
/// refused with the file and the position.
pub(crate) fn parse_strict(path: &Path, bytes: &[u8]) -> Result<Value, ImportError> {
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err(ImportError::format(path, "the file is empty"));
    }
    let trail = RefCell::new(String::new());
    let limits = Limits {
        positions: None,
        path: &trail,
    };
    let mut de = serde_json::Deserializer::from_slice(bytes);
    Strict(&limits)
        .deserialize(&mut de)
        .and_then(|v| de.end().map(|()| v))
        .map_err(|e| ImportError::json(path, &e))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn duplicate_members_are_named() {
        let p = Path::new("x.json");
        let e = parse_strict(p, br#"{"a": 1, "b": {"c": 1, "c": 2}}"#).unwrap_err();
        assert!(e.to_string().contains("`c` is given twice in `b`"), "{e}");
        let e = parse_strict(p, br#"{"CityObjects": {"x": {}, "x": {}}}"#).unwrap_err();
        assert!(
            e.to_string().contains("CityObject id `x` is used twice"),
            "{e}"
        );
        let e = parse_strict(p, br#"{"type": 1, "type": 2}"#).unwrap_err();
        assert!(e.to_string().contains("`type` is given twice"), "{e}");
        assert!(parse_strict(p, br#"{"a": [1, {"a": 2}]}"#).is_ok());
        assert!(parse_strict(p, b"  ").is_err());
    }
}
