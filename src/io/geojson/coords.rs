//! A geometry's `coordinates`, read without a `serde_json::Value` per number: one flat list of
//! tokens in document order (an array is one token followed by its elements), reused from
//! feature to feature; then read as rings and polygons with the messages a surveyor needs
//! (which position of which ring is wrong, and how).

use geo::{LineString, Polygon};
use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::Value;

use crate::diagnostics::FeatureRef;
use crate::io::error::ImportError;
use crate::io::json::{Limits, Strict, too_many_positions};
use crate::io::profile::{Extent, MAX_POSITIONS_PER_FEATURE};

/// One element of a `coordinates` member.
#[derive(Debug, Clone)]
pub(super) enum Token {
    /// A number.
    Num(f64),
    /// An array of `len` elements, whose tokens end before token `end`.
    List { len: u32, end: u32 },
    /// Anything else: only a malformed file has it, and it is kept for the message.
    Other(Box<Value>),
}

/// Reads one JSON value into `tokens`, counting positions (arrays of two to four numbers)
/// against the feature's budget as [`Strict`] does. The value says whether it was a number.
pub(super) struct Tokens<'a, 'l> {
    pub tokens: &'a mut Vec<Token>,
    pub limits: &'a Limits<'l>,
}

impl<'de> DeserializeSeed<'de> for Tokens<'_, '_> {
    type Value = bool;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<bool, D::Error> {
        d.deserialize_any(self)
    }
}

impl Tokens<'_, '_> {
    fn other<E>(self, v: Result<Value, E>) -> Result<bool, E> {
        self.tokens.push(Token::Other(Box::new(v?)));
        Ok(false)
    }
}

impl<'de> Visitor<'de> for Tokens<'_, '_> {
    type Value = bool;
    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("coordinates")
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<bool, E> {
        if !v.is_finite() {
            return Err(E::custom("a number is not finite"));
        }
        self.tokens.push(Token::Num(v));
        Ok(true)
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<bool, E> {
        self.visit_f64(v as f64)
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<bool, E> {
        self.visit_f64(v as f64)
    }
    fn visit_bool<E>(self, v: bool) -> Result<bool, E> {
        self.other(Ok(Value::Bool(v)))
    }
    fn visit_str<E>(self, v: &str) -> Result<bool, E> {
        self.other(Ok(Value::String(v.to_string())))
    }
    fn visit_unit<E>(self) -> Result<bool, E> {
        self.other(Ok(Value::Null))
    }
    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<bool, A::Error> {
        let v = Strict(self.limits).visit_map(map);
        self.other(v)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<bool, A::Error> {
        let at = self.tokens.len();
        self.tokens.push(Token::List { len: 0, end: 0 });
        let (mut len, mut numbers) = (0u32, true);
        while let Some(number) = seq.next_element_seed(Tokens {
            tokens: &mut *self.tokens,
            limits: self.limits,
        })? {
            len += 1;
            numbers &= number;
        }
        if let Some(budget) = self.limits.positions
            && numbers
            && (2..=4).contains(&len)
        {
            let left = budget.get();
            if left == 0 {
                return Err(de::Error::custom(too_many_positions(
                    MAX_POSITIONS_PER_FEATURE,
                )));
            }
            budget.set(left - 1);
        }
        // The budget keeps a feature far below 2^32 tokens, but say so rather than wrap.
        let end = u32::try_from(self.tokens.len())
            .map_err(|_| de::Error::custom("the coordinates have too many elements"))?;
        self.tokens[at] = Token::List { len, end };
        Ok(false)
    }
}

/// The index of the token after the value that starts at `i`.
fn next(tokens: &[Token], i: usize) -> usize {
    match tokens[i] {
        Token::List { end, .. } => end as usize,
        _ => i + 1,
    }
}

/// The elements of the array at `i` (nothing if it is not an array).
fn elements(tokens: &[Token], i: usize) -> impl Iterator<Item = usize> + '_ {
    let len = match tokens[i] {
        Token::List { len, .. } => len as usize,
        _ => 0,
    };
    let mut at = i + 1;
    (0..len).map(move |_| {
        let here = at;
        at = next(tokens, at);
        here
    })
}

/// The value at `i` as JSON, for a message. Whole numbers print without a fraction.
fn value(tokens: &[Token], i: usize) -> Value {
    match &tokens[i] {
        Token::Num(x) if x.fract() == 0.0 && x.abs() < 9.0e15 => Value::from(*x as i64),
        Token::Num(x) => serde_json::Number::from_f64(*x).map_or(Value::Null, Value::Number),
        Token::List { .. } => Value::Array(elements(tokens, i).map(|e| value(tokens, e)).collect()),
        Token::Other(v) => (**v).clone(),
    }
}

/// Reads the tokens of one feature as rings and polygons, widening the file's extent.
pub(super) struct Shapes<'a> {
    pub path: &'a std::path::Path,
    pub feature: &'a FeatureRef,
    pub tokens: &'a [Token],
    pub extent: &'a mut Option<Extent>,
    /// The first ring of the feature whose last position does not repeat its first.
    pub unclosed: Option<String>,
}

impl Shapes<'_> {
    fn err(&self, field: &str, msg: impl Into<String>) -> ImportError {
        ImportError::field(self.path, self.feature.clone(), field, msg)
    }

    fn is_list(&self, i: usize) -> Option<usize> {
        match self.tokens[i] {
            Token::List { len, .. } => Some(len as usize),
            _ => None,
        }
    }

    /// Position `i` of the ring at `field`.
    fn coord(&mut self, at: usize, field: Field, i: usize) -> Result<(f64, f64), ImportError> {
        let err = |s: &Self, msg: String| s.err(&format!("{field}[{i}]"), msg);
        let Some(len) = self.is_list(at) else {
            return Err(err(self, "a position must be an array [x, y]".into()));
        };
        if len < 2 {
            return Err(err(self, "a position needs x and y".into()));
        }
        let (xi, yi) = (at + 1, next(self.tokens, at + 1));
        let Token::Num(x) = self.tokens[xi] else {
            let v = value(self.tokens, xi);
            return Err(err(self, format!("x is not a number: {v}")));
        };
        let Token::Num(y) = self.tokens[yi] else {
            let v = value(self.tokens, yi);
            return Err(err(self, format!("y is not a number: {v}")));
        };
        Extent::grow(self.extent, x, y);
        Ok((x, y))
    }

    fn ring(&mut self, at: usize, field: Field) -> Result<LineString<f64>, ImportError> {
        let Some(len) = self.is_list(at) else {
            return Err(self.err(&field.to_string(), "a ring must be an array of positions"));
        };
        let mut pts = Vec::with_capacity(len);
        for (i, p) in elements(self.tokens, at).enumerate() {
            pts.push(self.coord(p, field, i)?);
        }
        // RFC 7946: a linear ring's last position repeats its first. A polygon closes its
        // rings itself, so an open ring is noted here, where it can still be seen.
        if pts.len() > 1 && pts.first() != pts.last() && self.unclosed.is_none() {
            self.unclosed = Some(field.to_string());
        }
        Ok(LineString::from(pts))
    }

    /// The polygon at token `at` (polygon `polygon` of a MultiPolygon); `None` when it has no
    /// rings or an empty outer ring.
    pub fn polygon(
        &mut self,
        at: usize,
        polygon: Option<usize>,
    ) -> Result<Option<Polygon<f64>>, ImportError> {
        let field = |ring| Field { polygon, ring };
        if self.is_list(at).is_none() {
            let name = Polygons(polygon).to_string();
            return Err(self.err(&name, "a polygon must be an array of rings"));
        }
        let mut rings = elements(self.tokens, at);
        let Some(first) = rings.next() else {
            return Ok(None);
        };
        let ext = self.ring(first, field(0))?;
        if ext.0.is_empty() {
            return Ok(None);
        }
        let mut holes = Vec::new();
        for (i, r) in rings.enumerate() {
            holes.push(self.ring(r, field(i + 1))?);
        }
        Ok(Some(Polygon::new(ext, holes)))
    }

    /// The polygons of a MultiPolygon's coordinates (empty ones left out).
    pub fn multi_polygon(&mut self) -> Result<Vec<Polygon<f64>>, ImportError> {
        if self.is_list(0).is_none() {
            return Err(self.err(COORDINATES, "a MultiPolygon needs an array of polygons"));
        }
        let mut out = Vec::new();
        for (i, p) in elements(self.tokens, 0).enumerate() {
            if let Some(p) = self.polygon(p, Some(i))? {
                out.push(p);
            }
        }
        Ok(out)
    }
}

/// The member the tokens come from.
pub(super) const COORDINATES: &str = "geometry.coordinates";

/// The name of a polygon's field: `geometry.coordinates` or, in a MultiPolygon,
/// `geometry.coordinates[2]`; written out only for a message.
struct Polygons(Option<usize>);

impl std::fmt::Display for Polygons {
    fn fmt(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        match self.0 {
            Some(p) => write!(f, "{COORDINATES}[{p}]"),
            None => f.write_str(COORDINATES),
        }
    }
}

/// The name of a ring's field, `geometry.coordinates[2][0]`; written out only for a message.
#[derive(Clone, Copy)]
struct Field {
    polygon: Option<usize>,
    ring: usize,
}

impl std::fmt::Display for Field {
    fn fmt(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        write!(f, "{}[{}]", Polygons(self.polygon), self.ring)
    }
}
