//! The seven segments of a unit code and the errors that name them.

use std::fmt;
use std::ops::Range;

use super::LEN;

/// One of the seven segments of a unit code.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Segment {
    /// County administrative code (县级行政区划代码, GB/T 2260): 6 digits,
    /// characters 1–6.
    County,
    /// Cadastral district (地籍区): 3 digits, `001`–`999`, characters 7–9.
    District,
    /// Cadastral sub-district (地籍子区): 3 digits, `001`–`999`,
    /// characters 10–12.
    SubDistrict,
    /// Parcel feature code (宗地特征码): ownership letter and parcel kind
    /// letter, characters 13–14.
    ParcelFeature,
    /// Parcel sequence number (宗地顺序号): 5 digits, `00001`–`99999`,
    /// characters 15–19.
    ParcelSeq,
    /// Fixture feature code (定着物特征码): one letter, character 20.
    FixtureFeature,
    /// Fixture unit number (定着物单元编号): 8 digits, characters 21–28.
    FixtureNumber,
}

impl Segment {
    /// All segments, in the order they appear in a code.
    pub const ALL: [Segment; 7] = [
        Segment::County,
        Segment::District,
        Segment::SubDistrict,
        Segment::ParcelFeature,
        Segment::ParcelSeq,
        Segment::FixtureFeature,
        Segment::FixtureNumber,
    ];

    /// English name, e.g. "parcel feature code".
    #[must_use]
    pub const fn name(self) -> &'static str {
        match self {
            Segment::County => "county administrative code",
            Segment::District => "cadastral district",
            Segment::SubDistrict => "cadastral sub-district",
            Segment::ParcelFeature => "parcel feature code",
            Segment::ParcelSeq => "parcel sequence number",
            Segment::FixtureFeature => "fixture feature code",
            Segment::FixtureNumber => "fixture unit number",
        }
    }

    /// Chinese name as in GB/T 37346-2019, e.g. "宗地特征码".
    #[must_use]
    pub const fn name_zh(self) -> &'static str {
        match self {
            Segment::County => "县级行政区划代码",
            Segment::District => "地籍区",
            Segment::SubDistrict => "地籍子区",
            Segment::ParcelFeature => "宗地特征码",
            Segment::ParcelSeq => "宗地顺序号",
            Segment::FixtureFeature => "定着物特征码",
            Segment::FixtureNumber => "定着物单元编号",
        }
    }

    /// 0-based range of the segment's characters in a code, e.g. `12..14`
    /// for the parcel feature code.
    #[must_use]
    pub const fn range(self) -> Range<usize> {
        match self {
            Segment::County => 0..6,
            Segment::District => 6..9,
            Segment::SubDistrict => 9..12,
            Segment::ParcelFeature => 12..14,
            Segment::ParcelSeq => 14..19,
            Segment::FixtureFeature => 19..20,
            Segment::FixtureNumber => 20..LEN,
        }
    }

    /// 1-based character positions, for messages.
    pub(super) const fn positions(self) -> Positions {
        Positions(self.range())
    }
}

impl fmt::Display for Segment {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// 1-based positions of a 0-based character range: "characters 13–14" or
/// "character 20".
pub(super) struct Positions(Range<usize>);

impl fmt::Display for Positions {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let Range { start, end } = self.0;
        if end == start + 1 {
            write!(f, "character {end}")
        } else {
            write!(f, "characters {}–{end}", start + 1)
        }
    }
}

/// Why a text is not a valid unit code.
///
/// The message names the wrong segment in words, its 1-based character
/// positions, the offending text and the rule it breaks, e.g. "parcel
/// feature code `GQ` at characters 13–14: second letter `Q` is not one of
/// A B S X C D E F H G W Y".
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum UnitCodeError {
    /// The code does not have 28 characters.
    #[error("a unit code has 28 characters, found {len}")]
    WrongLength {
        /// Number of characters found.
        len: usize,
    },
    /// The code starts or ends with whitespace.
    #[error("a unit code must not have leading or trailing whitespace")]
    Whitespace,
    /// A character is not ASCII, e.g. a full-width digit `１`.
    #[error(
        "{segment} at {}: character {position} `{found}` is not ASCII \
         (full-width digits and letters are not allowed)",
        .segment.positions()
    )]
    NotAscii {
        /// Segment holding the character.
        segment: Segment,
        /// 1-based position of the character in the code.
        position: usize,
        /// The character.
        found: char,
    },
    /// A segment breaks its rule.
    #[error("{segment} `{found}` at {}: {reason}", .segment.positions())]
    Invalid {
        /// The wrong segment.
        segment: Segment,
        /// Text of the segment.
        found: String,
        /// The rule it breaks.
        reason: String,
    },
}

impl UnitCodeError {
    /// The wrong segment, if the error is about one segment (not about the
    /// length or surrounding whitespace of the whole code).
    #[must_use]
    pub fn segment(&self) -> Option<Segment> {
        match self {
            UnitCodeError::NotAscii { segment, .. } | UnitCodeError::Invalid { segment, .. } => {
                Some(*segment)
            }
            UnitCodeError::WrongLength { .. } | UnitCodeError::Whitespace => None,
        }
    }
}
