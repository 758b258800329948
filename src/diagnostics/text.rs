//! Values echoed in messages: numbers printed compactly, text clipped and made printable.

use std::borrow::Cow;
use std::fmt;

/// Values from the input are echoed in messages up to this many characters: enough to
/// recognise a value, not enough for a hostile file's megabyte string to flood a terminal.
pub const ECHO_LIMIT: usize = 80;

/// Text from the input as a message shows it: control characters escaped, clipped to
/// [`ECHO_LIMIT`] characters with the full length said.
///
/// ```
/// use strata::diagnostics::clip;
/// assert_eq!(clip("B1"), "B1");
/// assert_eq!(clip("a\nb"), "a\\nb");
/// assert!(clip(&"x".repeat(1000)).ends_with("… (1000 characters)"));
/// ```
pub fn clip(s: &str) -> Cow<'_, str> {
    let clean = s.chars().all(|c| !c.is_control());
    let short = s.len() <= ECHO_LIMIT || s.chars().count() <= ECHO_LIMIT;
    if clean && short {
        return Cow::Borrowed(s);
    }
    let mut out = String::new();
    for c in s.chars().take(ECHO_LIMIT) {
        if c.is_control() {
            out.extend(c.escape_default());
        } else {
            out.push(c);
        }
    }
    if !short {
        out.push_str(&format!("… ({} characters)", s.chars().count()));
    }
    Cow::Owned(out)
}

/// A JSON value as a message shows it: compact JSON, clipped like [`clip`].
pub fn clip_json(v: &serde_json::Value) -> String {
    clip(&v.to_string()).into_owned()
}

/// A number as a message shows it: `12.5`, `1e308`, `-3.2e-7`, never three hundred digits.
///
/// ```
/// use strata::diagnostics::Num;
/// assert_eq!(Num(12.5).to_string(), "12.5");
/// assert_eq!(Num(-8.0).to_string(), "-8");
/// assert_eq!(Num(1e308).to_string(), "1e308");
/// assert_eq!(Num(f64::NAN).to_string(), "NaN");
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Num(pub f64);

impl fmt::Display for Num {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let v = self.0;
        if !v.is_finite() {
            return write!(f, "{v}");
        }
        let a = v.abs();
        if a != 0.0 && !(1e-6..1e15).contains(&a) {
            write!(f, "{v:e}")
        } else {
            write!(f, "{v}")
        }
    }
}
