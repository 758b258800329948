//! Pre-assignment (预编) of new unit codes.
//!
//! Parcel sequence numbers (宗地顺序号) are numbered within a cadastral
//! sub-district (地籍子区) and parcel feature code (宗地特征码). New numbers
//! continue after the highest number used there; numbers of cancelled units
//! are never reused, so gaps are not filled.

use super::check::{check_segment, split};
use super::{LetterSets, Segment, UnitCode, UnitCodeError};

/// Characters of an allocation prefix: sub-district prefix and parcel
/// feature code.
const PREFIX_LEN: usize = 14;

/// Highest parcel sequence number.
const MAX_SEQ: u32 = 99_999;

/// Why new codes cannot be allocated.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum AllocateError {
    /// The prefix does not have 14 characters.
    #[error(
        "an allocation prefix has 14 characters (sub-district prefix and parcel \
         feature code), found {len}"
    )]
    PrefixLength {
        /// Number of characters found.
        len: usize,
    },
    /// A segment of the prefix is wrong.
    #[error("allocation prefix `{prefix}`: {error}")]
    InvalidPrefix {
        /// The prefix.
        prefix: String,
        /// The wrong segment, as when parsing a code.
        error: UnitCodeError,
    },
    /// The fixture of the new codes is wrong.
    #[error("fixture of the allocated codes: {error}")]
    InvalidFixture {
        /// The wrong segment, as when parsing a code.
        error: UnitCodeError,
    },
    /// The parcel sequence numbers would pass 99999.
    #[error(
        "cannot allocate {count} parcel sequence numbers under `{prefix}`: \
         the highest used is {highest:05} and the last is 99999"
    )]
    Exhausted {
        /// The prefix.
        prefix: String,
        /// Highest parcel sequence number already used under the prefix.
        highest: u32,
        /// Number of codes asked for.
        count: usize,
    },
}

/// Pre-assigns `count` new unit codes under `prefix`.
///
/// `prefix` has 14 characters: the sub-district prefix (county, district and
/// sub-district, 12 characters) and the parcel feature code (2 letters), e.g.
/// `110112003005GX`. The new parcel sequence numbers continue after the
/// highest one among the `existing` codes with that prefix; gaps left by
/// cancelled units are not reused. Fixture codes (e.g. `F00010001`) share
/// their parcel's sequence number, so they mark it as used too.
///
/// Every new code gets `fixture` (fixture feature code and fixture unit
/// number), by default `W00000000` (no fixture, 无定着物).
///
/// ```
/// # use strata::model::unit_code::{LetterSets, UnitCode, next_codes};
/// let existing: Vec<UnitCode> = ["110112003005GX00001W00000000", "110112003005GX00004W00000000"]
///     .iter()
///     .map(|s| s.parse())
///     .collect::<Result<_, _>>()?;
/// let new = next_codes(&existing, "110112003005GX", 2, None, &LetterSets::default())?;
/// assert_eq!(new[0].as_str(), "110112003005GX00005W00000000");
/// assert_eq!(new[1].as_str(), "110112003005GX00006W00000000");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
///
/// # Errors
///
/// A malformed prefix or fixture (naming the wrong segment), or sequence
/// numbers that would pass 99999.
pub fn next_codes<'a>(
    existing: impl IntoIterator<Item = &'a UnitCode>,
    prefix: &str,
    count: usize,
    fixture: Option<(char, &str)>,
    letters: &LetterSets,
) -> Result<Vec<UnitCode>, AllocateError> {
    let template = template(prefix, fixture, letters)?;
    let highest = existing
        .into_iter()
        .filter(|c| c.parcel_prefix() == template.parcel_prefix())
        .map(UnitCode::parcel_seq)
        .max()
        .unwrap_or(0);
    let exhausted = || AllocateError::Exhausted {
        prefix: prefix.to_owned(),
        highest,
        count,
    };
    let count32 = u32::try_from(count).map_err(|_| exhausted())?;
    if highest.saturating_add(count32) > MAX_SEQ {
        return Err(exhausted());
    }
    (highest + 1..=highest + count32)
        .map(|seq| template.with_parcel_seq(seq).ok_or_else(exhausted))
        .collect()
}

/// The first code under `prefix` with the given fixture, checked.
fn template(
    prefix: &str,
    fixture: Option<(char, &str)>,
    letters: &LetterSets,
) -> Result<UnitCode, AllocateError> {
    let invalid = |error| AllocateError::InvalidPrefix {
        prefix: prefix.to_owned(),
        error,
    };
    if prefix.trim() != prefix {
        return Err(invalid(UnitCodeError::Whitespace));
    }
    let len = prefix.chars().count();
    if len != PREFIX_LEN {
        return Err(AllocateError::PrefixLength { len });
    }
    let candidate = format!("{prefix}00001W00000000");
    let pieces = split(&candidate).map_err(invalid)?;
    for (segment, piece) in Segment::ALL.into_iter().zip(pieces).take(4) {
        check_segment(segment, piece, None, letters).map_err(invalid)?;
    }
    let (kind, number) = fixture.unwrap_or(('W', "00000000"));
    UnitCode::new(
        pieces[0], pieces[1], pieces[2], pieces[3], 1, kind, number, letters,
    )
    .map_err(|error| AllocateError::InvalidFixture { error })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn codes(texts: &[&str]) -> Vec<UnitCode> {
        texts
            .iter()
            .map(|s| match s.parse() {
                Ok(c) => c,
                Err(e) => panic!("{s}: {e}"),
            })
            .collect()
    }

    fn texts(codes: &[UnitCode]) -> Vec<String> {
        codes.iter().map(ToString::to_string).collect()
    }

    #[test]
    fn continues_after_the_highest_without_filling_gaps() {
        let existing = codes(&[
            "110112003005GX00001W00000000",
            "110112003005GX00007W00000000",
            "110112003005GX00003W00000000",
        ]);
        let new = next_codes(&existing, "110112003005GX", 3, None, &LetterSets::default());
        assert_eq!(
            new.map(|c| texts(&c)),
            Ok(vec![
                "110112003005GX00008W00000000".to_owned(),
                "110112003005GX00009W00000000".to_owned(),
                "110112003005GX00010W00000000".to_owned(),
            ])
        );
    }

    #[test]
    fn ignores_other_sub_districts_and_feature_codes() {
        let existing = codes(&[
            "110112003005GX00002W00000000",
            "110112003006GX00050W00000000",
            "110112003005GB00070W00000000",
            "110112003005JX00090W00000000",
            "110113003005GX00099W00000000",
        ]);
        let new = next_codes(&existing, "110112003005GX", 1, None, &LetterSets::default());
        assert_eq!(
            new.map(|c| texts(&c)),
            Ok(vec!["110112003005GX00003W00000000".to_owned()])
        );
    }

    #[test]
    fn fixtures_mark_their_parcel_number_used() {
        let existing = codes(&[
            "110108012004GB00002W00000000",
            "110108012004GB00005F00010001",
        ]);
        let new = next_codes(
            &existing,
            "110108012004GB",
            1,
            Some(('F', "00010001")),
            &LetterSets::default(),
        );
        assert_eq!(
            new.map(|c| texts(&c)),
            Ok(vec!["110108012004GB00006F00010001".to_owned()])
        );
    }

    #[test]
    fn empty_scope_starts_at_one_and_zero_count_is_empty() {
        let d = LetterSets::default();
        let new = next_codes([], "110112003005GX", 1, None, &d);
        assert_eq!(
            new.map(|c| texts(&c)),
            Ok(vec!["110112003005GX00001W00000000".to_owned()])
        );
        assert_eq!(next_codes([], "110112003005GX", 0, None, &d), Ok(vec![]));
    }

    #[test]
    fn errors_past_99999() {
        let d = LetterSets::default();
        let existing = codes(&["110112003005GX99998W00000000"]);
        let last = next_codes(&existing, "110112003005GX", 1, None, &d);
        assert_eq!(
            last.map(|c| texts(&c)),
            Ok(vec!["110112003005GX99999W00000000".to_owned()])
        );
        let e = next_codes(&existing, "110112003005GX", 2, None, &d);
        assert_eq!(
            e,
            Err(AllocateError::Exhausted {
                prefix: "110112003005GX".to_owned(),
                highest: 99_998,
                count: 2,
            })
        );
        let full = codes(&["110112003005GX99999W00000000"]);
        assert!(next_codes(&full, "110112003005GX", 1, None, &d).is_err());
        assert!(next_codes([], "110112003005GX", usize::MAX, None, &d).is_err());
        assert_eq!(
            next_codes([], "110112003005GX", 99_999, None, &d).map(|c| c.len()),
            Ok(99_999)
        );
    }

    #[test]
    fn malformed_prefix_names_the_segment() {
        let d = LetterSets::default();
        let segment_of = |prefix: &str| match next_codes([], prefix, 1, None, &d) {
            Err(AllocateError::InvalidPrefix { error, .. }) => error.segment(),
            other => panic!("{prefix}: {other:?}"),
        };
        assert_eq!(segment_of("990112003005GX"), Some(Segment::County));
        assert_eq!(segment_of("110112000005GX"), Some(Segment::District));
        assert_eq!(segment_of("110112003000GX"), Some(Segment::SubDistrict));
        assert_eq!(segment_of("110112003005GQ"), Some(Segment::ParcelFeature));
        assert_eq!(segment_of("110112003005gx"), Some(Segment::ParcelFeature));
        assert_eq!(segment_of(" 10112003005GX"), None);
        let e = next_codes([], "110112003005GQ", 1, None, &d).expect_err("Q");
        assert!(
            e.to_string()
                .contains("parcel feature code `GQ` at characters 13–14")
        );
        assert_eq!(
            next_codes([], "110112003005G", 1, None, &d),
            Err(AllocateError::PrefixLength { len: 13 })
        );
        let letters = d.clone().with_extra_parcel_kinds(['Q']);
        assert!(next_codes([], "110112003005GQ", 1, None, &letters).is_ok());
    }

    #[test]
    fn malformed_fixture_is_reported() {
        let d = LetterSets::default();
        let e = next_codes([], "110112003005GX", 1, Some(('W', "00000001")), &d);
        match e {
            Err(AllocateError::InvalidFixture { error }) => {
                assert_eq!(error.segment(), Some(Segment::FixtureNumber));
            }
            other => panic!("{other:?}"),
        }
    }
}
