//! Checking a candidate code segment by segment: every wrong segment is listed, with its
//! positions, its text and the rule it breaks.

use super::letters::LetterSets;
use super::segment::{Segment, UnitCodeError};
use super::{BOUNDS, LEN};

/// Every wrong segment of `s`, in order; empty when `s` is a valid code.
///
/// Whitespace around the code or a length other than 28 characters is
/// reported alone, since the segments cannot be located then.
#[must_use]
pub fn check_all(s: &str, letters: &LetterSets) -> Vec<UnitCodeError> {
    match split(s) {
        Ok(pieces) => check_pieces(&pieces, letters).collect(),
        Err(e) => vec![e],
    }
}

/// Splits a candidate code into its seven segments.
pub(super) fn split(s: &str) -> Result<[&str; 7], UnitCodeError> {
    if s.trim() != s {
        return Err(UnitCodeError::Whitespace);
    }
    let len = s.chars().count();
    if len != LEN {
        return Err(UnitCodeError::WrongLength { len });
    }
    // Byte offsets of the segment boundaries.
    let offsets = if s.is_ascii() {
        BOUNDS
    } else {
        BOUNDS.map(|bound| {
            s.char_indices()
                .nth(bound)
                .map_or(s.len(), |(byte, _)| byte)
        })
    };
    let mut pieces = [""; 7];
    for (piece, pair) in pieces.iter_mut().zip(offsets.windows(2)) {
        if let [start, end] = *pair {
            *piece = s.get(start..end).unwrap_or_default();
        }
    }
    Ok(pieces)
}

/// Errors of the segments, in order.
pub(super) fn check_pieces<'a>(
    pieces: &'a [&str; 7],
    letters: &'a LetterSets,
) -> impl Iterator<Item = UnitCodeError> + 'a {
    let fixture = fixture_kind_of(pieces[5], letters);
    Segment::ALL
        .into_iter()
        .zip(pieces)
        .filter_map(move |(segment, piece)| check_segment(segment, piece, fixture, letters).err())
}

/// The fixture kind, if `piece` is one letter of the configured set.
pub(super) fn fixture_kind_of(piece: &str, letters: &LetterSets) -> Option<char> {
    let mut chars = piece.chars();
    match (chars.next(), chars.next()) {
        (Some(c), None) if c.is_ascii_uppercase() && letters.fixture_kind.contains(&c) => Some(c),
        _ => None,
    }
}

/// Checks one segment. `fixture` is the fixture kind when that segment is
/// valid: the fixture unit number depends on it.
pub(super) fn check_segment(
    segment: Segment,
    piece: &str,
    fixture: Option<char>,
    letters: &LetterSets,
) -> Result<(), UnitCodeError> {
    let range = segment.range();
    let invalid = |reason: String| UnitCodeError::Invalid {
        segment,
        found: piece.to_owned(),
        reason,
    };
    let count = piece.chars().count();
    if count != range.len() {
        let s = if range.len() == 1 { "" } else { "s" };
        return Err(invalid(format!(
            "must have {} character{s}, found {count}",
            range.len()
        )));
    }
    if let Some((i, found)) = piece.chars().enumerate().find(|(_, c)| !c.is_ascii()) {
        return Err(UnitCodeError::NotAscii {
            segment,
            position: range.start + i + 1,
            found,
        });
    }
    let start = range.start;
    let reason = match segment {
        Segment::County => digits(piece, start).or_else(|| province(piece)),
        Segment::District | Segment::SubDistrict => {
            digits(piece, start).or_else(|| not_zero(piece, "001–999"))
        }
        Segment::ParcelSeq => digits(piece, start).or_else(|| not_zero(piece, "00001–99999")),
        Segment::ParcelFeature => {
            let mut chars = piece.chars();
            let problems: Vec<String> = [
                (chars.next(), "first letter", &letters.ownership),
                (chars.next(), "second letter", &letters.parcel_kind),
            ]
            .into_iter()
            .filter_map(|(c, what, set)| c.and_then(|c| letter(c, what, set)))
            .collect();
            (!problems.is_empty()).then(|| problems.join("; "))
        }
        Segment::FixtureFeature => piece
            .chars()
            .next()
            .and_then(|c| letter(c, "letter", &letters.fixture_kind)),
        Segment::FixtureNumber => digits(piece, start).or_else(|| fixture_number(piece, fixture)),
    };
    reason.map_or(Ok(()), |reason| Err(invalid(reason)))
}

/// The first character of an ASCII `piece` that is not a digit.
pub(super) fn digits(piece: &str, start: usize) -> Option<String> {
    piece
        .char_indices()
        .find(|(_, c)| !c.is_ascii_digit())
        .map(|(i, c)| format!("character {} `{c}` is not a digit", start + i + 1))
}

/// Rejects a number made only of zeros.
pub(super) fn not_zero(piece: &str, allowed: &str) -> Option<String> {
    piece
        .bytes()
        .all(|b| b == b'0')
        .then(|| format!("the number must be {allowed}"))
}

/// Checks the province code of GB/T 2260 in the first two digits.
pub(super) fn province(county: &str) -> Option<String> {
    let code = county.get(..2)?;
    let known = code.parse::<u8>().is_ok_and(|p| {
        matches!(
            p,
            11..=15 | 21..=23 | 31..=37 | 41..=46 | 50..=54 | 61..=65 | 71 | 81 | 82
        )
    });
    (!known).then(|| format!("`{code}` (first two digits) is not a province code of GB/T 2260"))
}

/// Checks one feature letter against its set.
pub(super) fn letter(c: char, what: &str, set: &[char]) -> Option<String> {
    if c.is_ascii_lowercase() {
        Some(format!("{what} `{c}` must be upper case"))
    } else if !c.is_ascii_uppercase() {
        Some(format!("{what} `{c}` is not a letter"))
    } else if !set.contains(&c) {
        let list: Vec<String> = set.iter().map(char::to_string).collect();
        Some(format!("{what} `{c}` is not one of {}", list.join(" ")))
    } else {
        None
    }
}

/// Checks the 8 digits of the fixture unit number against the fixture kind.
pub(super) fn fixture_number(piece: &str, fixture: Option<char>) -> Option<String> {
    let zero = |s: &str| s.bytes().all(|b| b == b'0');
    match fixture? {
        'W' => (!zero(piece))
            .then(|| "must be 00000000 when the fixture feature code is W (no fixture)".to_owned()),
        'F' => {
            let mut problems = Vec::new();
            if piece.get(..4).is_some_and(zero) {
                problems.push("building number (characters 21–24) must be 0001–9999");
            }
            if piece.get(4..).is_some_and(zero) {
                problems.push("unit number (characters 25–28) must be 0001–9999");
            }
            (!problems.is_empty()).then(|| problems.join("; "))
        }
        kind => zero(piece).then(|| {
            format!("the number must be 00000001–99999999 for fixture feature code {kind}")
        }),
    }
}
