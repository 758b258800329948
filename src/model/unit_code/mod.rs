//! Real-estate unit codes (不动产单元代码) of GB/T 37346-2019.
//!
//! A unit code has 28 ASCII characters in seven segments:
//!
//! | characters | segment | 中文 |
//! |---|---|---|
//! | 1–6   | county administrative code (GB/T 2260) | 县级行政区划代码 |
//! | 7–9   | cadastral district, `001`–`999`        | 地籍区 |
//! | 10–12 | cadastral sub-district, `001`–`999`    | 地籍子区 |
//! | 13–14 | parcel feature code: ownership and parcel kind letters | 宗地特征码 |
//! | 15–19 | parcel sequence number, `00001`–`99999` | 宗地顺序号 |
//! | 20    | fixture feature code: `F` `L` `Q` `W`   | 定着物特征码 |
//! | 21–28 | fixture unit number                     | 定着物单元编号 |
//!
//! The second letter of the parcel feature code gives the [`Stratum`] of a
//! layered construction-land-use right: `B` on the surface (地表), `S` above
//! ground (地上), `X` under ground (地下).
//!
//! [`UnitCode`] holds a checked code; [`check_all`] lists every wrong segment
//! of a candidate; [`next_codes`] pre-assigns (预编) new codes.

mod allocate;
mod check;
mod letters;
mod segment;
#[cfg(test)]
mod tests;

use std::fmt;
use std::ops::Range;
use std::str::FromStr;

use serde::de::{self, Visitor};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

pub use super::stratum::Stratum;
pub use allocate::{AllocateError, next_codes};
pub use check::check_all;
use check::{check_pieces, split};
pub use letters::{LetterSets, describe_fixture_kind, describe_ownership, describe_parcel_kind};
pub use segment::{Segment, UnitCodeError};

/// Number of characters of a unit code.
const LEN: usize = 28;

/// Character index where each segment starts, then the end of the code
/// (the starts of [`Segment::range`]).
const BOUNDS: [usize; 8] = [0, 6, 9, 12, 14, 19, 20, LEN];

/// Fixture part of a land-right unit: no fixture (无定着物).
const NO_FIXTURE: &[u8; 9] = b"W00000000";

/// A checked real-estate unit code (不动产单元代码, GB/T 37346-2019).
///
/// Parsing with [`FromStr`] checks against the default [`LetterSets`];
/// [`UnitCode::parse_with`] takes configured sets. Codes order and compare as
/// their 28-character text; serde reads and writes that text.
///
/// ```
/// # use strata::model::unit_code::{Stratum, UnitCode};
/// let code: UnitCode = "110108012004GB00002F00010001".parse()?;
/// assert_eq!(code.county(), "110108");
/// assert_eq!(code.parcel_feature(), "GB");
/// assert_eq!(code.parcel_seq(), 2);
/// assert_eq!(code.stratum(), Some(Stratum::Surface));
/// assert_eq!(code.building_number(), Some(1));
/// assert_eq!(code.building_unit(), Some(1));
/// assert_eq!(code.land_code().to_string(), "110108012004GB00002W00000000");
///
/// let err = "110108012004GQ00002F00010001".parse::<UnitCode>().unwrap_err();
/// assert_eq!(
///     err.to_string(),
///     "parcel feature code `GQ` at characters 13–14: \
///      second letter `Q` is not one of A B S X C D E F H G W Y"
/// );
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct UnitCode {
    bytes: [u8; LEN],
}

impl UnitCode {
    /// Builds a code from its segments and checks it like
    /// [`UnitCode::parse_with`]: county (县级行政区划代码, 6 digits), district
    /// (地籍区, 3 digits), sub-district (地籍子区, 3 digits), parcel feature
    /// code (宗地特征码, 2 letters), parcel sequence number (宗地顺序号,
    /// 1–99999), fixture feature code (定着物特征码) and fixture unit number
    /// (定着物单元编号, 8 digits).
    ///
    /// # Errors
    ///
    /// The first wrong segment, including a segment of the wrong length.
    #[allow(clippy::too_many_arguments)]
    pub fn new(
        county: &str,
        district: &str,
        sub_district: &str,
        parcel_feature: &str,
        parcel_seq: u32,
        fixture_kind: char,
        fixture_number: &str,
        letters: &LetterSets,
    ) -> Result<UnitCode, UnitCodeError> {
        if !(1..=99_999).contains(&parcel_seq) {
            return Err(UnitCodeError::Invalid {
                segment: Segment::ParcelSeq,
                found: parcel_seq.to_string(),
                reason: "the number must be 1–99999".to_owned(),
            });
        }
        let seq = format!("{parcel_seq:05}");
        let mut kind_buf = [0; 4];
        let kind = &*fixture_kind.encode_utf8(&mut kind_buf);
        let pieces = [
            county,
            district,
            sub_district,
            parcel_feature,
            &seq,
            kind,
            fixture_number,
        ];
        check_pieces(&pieces, letters).next().map_or(Ok(()), Err)?;
        Self::from_checked(&pieces.concat())
    }

    /// Parses a code, checking the letters against `letters`.
    ///
    /// # Errors
    ///
    /// Whitespace around the code, a length other than 28 characters, or the
    /// first wrong segment in order.
    pub fn parse_with(s: &str, letters: &LetterSets) -> Result<UnitCode, UnitCodeError> {
        let pieces = split(s)?;
        check_pieces(&pieces, letters).next().map_or(Ok(()), Err)?;
        Self::from_checked(s)
    }

    /// Wraps a checked 28-character ASCII text.
    fn from_checked(s: &str) -> Result<UnitCode, UnitCodeError> {
        <[u8; LEN]>::try_from(s.as_bytes())
            .map(|bytes| UnitCode { bytes })
            .map_err(|_| UnitCodeError::WrongLength {
                len: s.chars().count(),
            })
    }

    /// The 28-character code.
    #[must_use]
    pub fn as_str(&self) -> &str {
        std::str::from_utf8(&self.bytes).unwrap_or_default()
    }

    fn part(&self, segment: Segment) -> &str {
        self.as_str().get(segment.range()).unwrap_or_default()
    }

    /// County administrative code (县级行政区划代码), 6 digits, e.g.
    /// `"110112"`.
    #[must_use]
    pub fn county(&self) -> &str {
        self.part(Segment::County)
    }

    /// Cadastral district (地籍区), 3 digits, e.g. `"003"`.
    #[must_use]
    pub fn district(&self) -> &str {
        self.part(Segment::District)
    }

    /// Cadastral sub-district (地籍子区), 3 digits, e.g. `"005"`.
    #[must_use]
    pub fn sub_district(&self) -> &str {
        self.part(Segment::SubDistrict)
    }

    /// Land ownership letter (土地所有权), first letter of the parcel
    /// feature code: `G` state, `J` collective, `Z` undetermined or disputed.
    #[must_use]
    pub fn ownership(&self) -> char {
        char::from(self.bytes[12])
    }

    /// Parcel kind letter (宗地类型), second letter of the parcel feature
    /// code, e.g. `X` for a construction-land-use right under ground.
    #[must_use]
    pub fn parcel_kind(&self) -> char {
        char::from(self.bytes[13])
    }

    /// Parcel feature code (宗地特征码), 2 letters, e.g. `"GX"`.
    #[must_use]
    pub fn parcel_feature(&self) -> &str {
        self.part(Segment::ParcelFeature)
    }

    /// Parcel sequence number (宗地顺序号), 1–99999.
    #[must_use]
    pub fn parcel_seq(&self) -> u32 {
        self.part(Segment::ParcelSeq).parse().unwrap_or(0)
    }

    /// Fixture feature code (定着物特征码): `F` building or structure, `L`
    /// forest, `Q` other, `W` no fixture.
    #[must_use]
    pub fn fixture_kind(&self) -> char {
        char::from(self.bytes[19])
    }

    /// Fixture unit number (定着物单元编号), 8 digits.
    #[must_use]
    pub fn fixture_number(&self) -> &str {
        self.part(Segment::FixtureNumber)
    }

    /// Building number (幢号), 1–9999, of a building fixture (`F`);
    /// `None` for other fixture kinds.
    #[must_use]
    pub fn building_number(&self) -> Option<u16> {
        self.building_part(0..4)
    }

    /// Unit or household number (户号), 1–9999, within the building of a
    /// building fixture (`F`); `None` for other fixture kinds.
    #[must_use]
    pub fn building_unit(&self) -> Option<u16> {
        self.building_part(4..8)
    }

    fn building_part(&self, range: Range<usize>) -> Option<u16> {
        if self.fixture_kind() != 'F' {
            return None;
        }
        self.fixture_number().get(range)?.parse().ok()
    }

    /// Whether the unit is a fixture (定着物), i.e. the fixture kind is not
    /// `W`.
    #[must_use]
    pub fn is_fixture(&self) -> bool {
        self.fixture_kind() != 'W'
    }

    /// The land-right unit the code belongs to: the same code with fixture
    /// `W00000000` (no fixture).
    #[must_use]
    pub fn land_code(&self) -> UnitCode {
        let mut bytes = self.bytes;
        bytes[19..].copy_from_slice(NO_FIXTURE);
        UnitCode { bytes }
    }

    /// County, district and sub-district (characters 1–12), e.g.
    /// `"110112003005"`.
    #[must_use]
    pub fn sub_district_prefix(&self) -> &str {
        self.as_str().get(..12).unwrap_or_default()
    }

    /// Sub-district prefix and parcel feature code (characters 1–14), e.g.
    /// `"110112003005GX"`: the scope within which parcel sequence numbers
    /// are assigned.
    #[must_use]
    pub fn parcel_prefix(&self) -> &str {
        self.as_str().get(..14).unwrap_or_default()
    }

    /// Stratum of a layered construction-land-use right (`B`, `S`, `X`);
    /// `None` for other parcel kinds.
    #[must_use]
    pub fn stratum(&self) -> Option<Stratum> {
        Stratum::from_parcel_letter(self.parcel_kind())
    }

    /// The same code with another parcel sequence number, if it is 1–99999.
    fn with_parcel_seq(&self, seq: u32) -> Option<UnitCode> {
        if !(1..=99_999).contains(&seq) {
            return None;
        }
        let digits: [u8; 5] = format!("{seq:05}").as_bytes().try_into().ok()?;
        let mut bytes = self.bytes;
        bytes[14..19].copy_from_slice(&digits);
        Some(UnitCode { bytes })
    }
}

impl FromStr for UnitCode {
    type Err = UnitCodeError;

    /// Parses a code with the default [`LetterSets`].
    fn from_str(s: &str) -> Result<UnitCode, UnitCodeError> {
        UnitCode::parse_with(s, &LetterSets::default())
    }
}

impl fmt::Display for UnitCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(self.as_str())
    }
}

impl fmt::Debug for UnitCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("UnitCode").field(&self.as_str()).finish()
    }
}

impl Serialize for UnitCode {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for UnitCode {
    /// Reads the 28-character text, checked with the default [`LetterSets`].
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<UnitCode, D::Error> {
        struct CodeVisitor;

        impl Visitor<'_> for CodeVisitor {
            type Value = UnitCode;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a 28-character real-estate unit code")
            }

            fn visit_str<E: de::Error>(self, v: &str) -> Result<UnitCode, E> {
                v.parse().map_err(E::custom)
            }
        }

        deserializer.deserialize_str(CodeVisitor)
    }
}
