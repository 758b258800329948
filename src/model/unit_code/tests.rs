//! Tests of unit codes.

use super::*;
use proptest::prelude::*;
use serde::de::IntoDeserializer;
use serde::de::value::{Error as ValueError, StrDeserializer};

const UNDER: &str = "110112003005GX00001W00000000";
const BUILDING: &str = "110108012004GB00002F00010001";

fn code(s: &str) -> UnitCode {
    match s.parse() {
        Ok(c) => c,
        Err(e) => panic!("{s}: {e}"),
    }
}

fn first_error(s: &str) -> UnitCodeError {
    match s.parse::<UnitCode>() {
        Ok(c) => panic!("{c} should not parse"),
        Err(e) => e,
    }
}

/// The error names exactly `segment`, in words and positions.
fn assert_segment(s: &str, segment: Segment, words: &str) {
    let e = first_error(s);
    assert_eq!(e.segment(), Some(segment), "{s}: {e}");
    let msg = e.to_string();
    assert!(msg.starts_with(segment.name()), "{msg}");
    assert!(msg.contains(&segment.positions().to_string()), "{msg}");
    assert!(msg.contains(words), "{msg} should contain {words}");
}

#[test]
fn valid_examples_parse_and_round_trip() {
    for s in [UNDER, BUILDING, "440305001001JA00123L00000007"] {
        let c = code(s);
        assert_eq!(c.to_string(), s);
        assert_eq!(c.as_str(), s);
        assert_eq!(code(&c.to_string()), c);
        assert!(check_all(s, &LetterSets::default()).is_empty());
    }
}

#[test]
fn accessors_of_an_underground_parcel() {
    let c = code(UNDER);
    assert_eq!(c.county(), "110112");
    assert_eq!(c.district(), "003");
    assert_eq!(c.sub_district(), "005");
    assert_eq!(c.ownership(), 'G');
    assert_eq!(c.parcel_kind(), 'X');
    assert_eq!(c.parcel_feature(), "GX");
    assert_eq!(c.parcel_seq(), 1);
    assert_eq!(c.fixture_kind(), 'W');
    assert_eq!(c.fixture_number(), "00000000");
    assert_eq!(c.building_number(), None);
    assert_eq!(c.building_unit(), None);
    assert!(!c.is_fixture());
    assert_eq!(c.land_code(), c);
    assert_eq!(c.sub_district_prefix(), "110112003005");
    assert_eq!(c.parcel_prefix(), "110112003005GX");
    assert_eq!(c.stratum(), Some(Stratum::Under));
    assert_eq!(format!("{c:?}"), format!("UnitCode(\"{UNDER}\")"));
}

#[test]
fn accessors_of_a_building_unit() {
    let c = code("110108012004GB00002F00120034");
    assert_eq!(c.parcel_seq(), 2);
    assert_eq!(c.building_number(), Some(12));
    assert_eq!(c.building_unit(), Some(34));
    assert!(c.is_fixture());
    assert_eq!(c.land_code(), code("110108012004GB00002W00000000"));
    assert_eq!(c.stratum(), Some(Stratum::Surface));
    assert_eq!(code("440305001001JA00123L00000007").stratum(), None);
    assert_eq!(
        code("440305001001JS00123L00000007").stratum(),
        Some(Stratum::Above)
    );
}

#[test]
fn wrong_length() {
    let e = first_error(&UNDER[..27]);
    assert_eq!(e, UnitCodeError::WrongLength { len: 27 });
    assert_eq!(e.to_string(), "a unit code has 28 characters, found 27");
    assert_eq!(e.segment(), None);
    assert_eq!(first_error(""), UnitCodeError::WrongLength { len: 0 });
}

#[test]
fn whitespace_around() {
    for s in [
        format!(" {UNDER}"),
        format!("{UNDER}\n"),
        format!("{UNDER}\u{3000}"),
    ] {
        let e = first_error(&s);
        assert_eq!(e, UnitCodeError::Whitespace);
        assert!(e.to_string().contains("whitespace"));
    }
}

#[test]
fn full_width_digit_is_not_ascii() {
    let e = first_error("110112003005GX０0001W00000000");
    assert_eq!(
        e,
        UnitCodeError::NotAscii {
            segment: Segment::ParcelSeq,
            position: 15,
            found: '０',
        }
    );
    assert!(
        e.to_string()
            .starts_with("parcel sequence number at characters 15–19")
    );
    assert!(e.to_string().contains("character 15 `０` is not ASCII"));
}

#[test]
fn lower_case_letters() {
    assert_segment(
        "110112003005gX00001W00000000",
        Segment::ParcelFeature,
        "first letter `g` must be upper case",
    );
    assert_segment(
        "110112003005Gx00001W00000000",
        Segment::ParcelFeature,
        "second letter `x` must be upper case",
    );
    assert_segment(
        "110112003005GX00001w00000000",
        Segment::FixtureFeature,
        "must be upper case",
    );
}

#[test]
fn county_segment() {
    assert_segment(
        "990112003005GX00001W00000000",
        Segment::County,
        "`99` (first two digits) is not a province code",
    );
    assert_segment(
        "1101A2003005GX00001W00000000",
        Segment::County,
        "character 5 `A` is not a digit",
    );
    for p in ["11", "15", "23", "37", "46", "54", "65", "71", "81", "82"] {
        code(&format!("{p}0112003005GX00001W00000000"));
    }
    for p in [
        "00", "10", "16", "20", "24", "40", "47", "55", "60", "66", "83",
    ] {
        assert_segment(
            &format!("{p}0112003005GX00001W00000000"),
            Segment::County,
            "province",
        );
    }
}

#[test]
fn district_segments() {
    assert_segment(
        "110112000005GX00001W00000000",
        Segment::District,
        "cadastral district `000` at characters 7–9: the number must be 001–999",
    );
    assert_segment(
        "110112003000GX00001W00000000",
        Segment::SubDistrict,
        "cadastral sub-district `000` at characters 10–12",
    );
}

#[test]
fn parcel_feature_segment() {
    assert_segment(
        "110112003005KX00001W00000000",
        Segment::ParcelFeature,
        "first letter `K` is not one of G J Z",
    );
    let e = first_error("110112003005GQ00001W00000000");
    assert_eq!(
        e.to_string(),
        "parcel feature code `GQ` at characters 13–14: \
         second letter `Q` is not one of A B S X C D E F H G W Y"
    );
    assert_segment(
        "1101120030051X00001W00000000",
        Segment::ParcelFeature,
        "first letter `1` is not a letter",
    );
}

#[test]
fn parcel_seq_segment() {
    assert_segment(
        "110112003005GX00000W00000000",
        Segment::ParcelSeq,
        "the number must be 00001–99999",
    );
}

#[test]
fn fixture_segments() {
    assert_segment(
        "110112003005GX00001K00000000",
        Segment::FixtureFeature,
        "fixture feature code `K` at character 20: letter `K` is not one of F L Q W",
    );
    assert_segment(
        "110112003005GX00001W00000001",
        Segment::FixtureNumber,
        "must be 00000000 when the fixture feature code is W",
    );
    assert_segment(
        "110112003005GX00001F00000001",
        Segment::FixtureNumber,
        "building number (characters 21–24) must be 0001–9999",
    );
    assert_segment(
        "110112003005GX00001F00010000",
        Segment::FixtureNumber,
        "unit number (characters 25–28) must be 0001–9999",
    );
    assert_segment(
        "110112003005GX00001L00000000",
        Segment::FixtureNumber,
        "must be 00000001–99999999 for fixture feature code L",
    );
    assert_segment(
        "110112003005GX00001Q0000000X",
        Segment::FixtureNumber,
        "character 28 `X` is not a digit",
    );
    code("110112003005GX00001Q00000001");
}

#[test]
fn first_wrong_segment_is_reported() {
    let e = first_error("990112000005GX00001W00000000");
    assert_eq!(e.segment(), Some(Segment::County));
}

#[test]
fn check_all_lists_every_wrong_segment() {
    let errors = check_all("990112000005gQ00000K00000001", &LetterSets::default());
    let segments: Vec<_> = errors.iter().filter_map(UnitCodeError::segment).collect();
    assert_eq!(
        segments,
        [
            Segment::County,
            Segment::District,
            Segment::ParcelFeature,
            Segment::ParcelSeq,
            Segment::FixtureFeature,
        ]
    );
    assert!(errors[2].to_string().contains("`g` must be upper case"));
    assert!(errors[2].to_string().contains("`Q` is not one of"));
    assert_eq!(
        check_all(&UNDER[1..], &LetterSets::default()),
        [UnitCodeError::WrongLength { len: 27 }]
    );
    let mixed = check_all("１10112003005GX00001W00000001", &LetterSets::default());
    assert_eq!(mixed.len(), 2);
    assert_eq!(mixed[0].segment(), Some(Segment::County));
    assert_eq!(mixed[1].segment(), Some(Segment::FixtureNumber));
}

#[test]
fn configurable_letters() {
    let s = "110112003005GQ00001W00000000";
    assert!(s.parse::<UnitCode>().is_err());
    let letters = LetterSets::default().with_extra_parcel_kinds(['Q']);
    let c = UnitCode::parse_with(s, &letters).expect("Q is configured");
    assert_eq!(c.parcel_kind(), 'Q');
    assert_eq!(c.stratum(), None);

    let t = "110112003005GX00001T00000009";
    assert!(t.parse::<UnitCode>().is_err());
    let letters = LetterSets::default().with_extra_fixture_kinds(['T']);
    assert!(UnitCode::parse_with(t, &letters).is_ok());
    let zero = UnitCode::parse_with("110112003005GX00001T00000000", &letters);
    assert_eq!(
        zero.err().and_then(|e| e.segment()),
        Some(Segment::FixtureNumber)
    );
}

#[test]
fn new_checks_segments() {
    let d = LetterSets::default();
    let c = UnitCode::new("110112", "003", "005", "GX", 1, 'W', "00000000", &d);
    assert_eq!(c, Ok(code(UNDER)));
    let e = UnitCode::new("11011", "003", "005", "GX", 1, 'W', "00000000", &d);
    let e = e.expect_err("short county");
    assert_eq!(e.segment(), Some(Segment::County));
    assert!(e.to_string().contains("must have 6 characters, found 5"));
    for seq in [0, 100_000] {
        let e = UnitCode::new("110112", "003", "005", "GX", seq, 'W', "00000000", &d);
        assert_eq!(e.err().and_then(|e| e.segment()), Some(Segment::ParcelSeq));
    }
    let e = UnitCode::new("110112", "003", "005", "GX", 7, 'F', "00000001", &d);
    assert_eq!(
        e.err().and_then(|e| e.segment()),
        Some(Segment::FixtureNumber)
    );
    let e = UnitCode::new("110112", "003", "005", "GX", 7, 'Ｆ', "00010001", &d);
    assert_eq!(
        e.err().and_then(|e| e.segment()),
        Some(Segment::FixtureFeature)
    );
}

#[test]
fn segment_names_and_ranges() {
    let total: usize = Segment::ALL.iter().map(|s| s.range().len()).sum();
    assert_eq!(total, 28);
    for (segment, pair) in Segment::ALL.into_iter().zip(BOUNDS.windows(2)) {
        assert_eq!(segment.range(), pair[0]..pair[1]);
    }
    assert_eq!(Segment::ParcelFeature.range(), 12..14);
    assert_eq!(Segment::FixtureFeature.range(), 19..20);
    assert_eq!(Segment::FixtureNumber.name_zh(), "定着物单元编号");
    assert_eq!(Segment::County.to_string(), "county administrative code");
}

#[test]
fn stratum_names() {
    for s in [Stratum::Surface, Stratum::Above, Stratum::Under] {
        assert_eq!(Stratum::parse(s.as_str()), Some(s));
        assert_eq!(Stratum::parse(s.name_zh()), Some(s));
        assert_eq!(Stratum::from_parcel_letter(s.parcel_letter()), Some(s));
        assert_eq!(s.to_string(), s.as_str());
    }
    assert_eq!(Stratum::parse("地下"), Some(Stratum::Under));
    assert_eq!(Stratum::parse("Under"), None);
    assert_eq!(Stratum::from_parcel_letter('A'), None);
}

#[test]
fn serde_reads_checked_text() {
    let de: StrDeserializer<'_, ValueError> = UNDER.into_deserializer();
    assert_eq!(UnitCode::deserialize(de), Ok(code(UNDER)));
    let de: StrDeserializer<'_, ValueError> = "110112003005GQ00001W00000000".into_deserializer();
    let e = UnitCode::deserialize(de).expect_err("bad letter");
    assert!(e.to_string().contains("parcel feature code"));
    let de: StrDeserializer<'_, ValueError> = "above".into_deserializer();
    assert_eq!(Stratum::deserialize(de), Ok(Stratum::Above));
}

fn valid_parts() -> impl Strategy<Value = (String, u32, u32, String, u32, char, String)> {
    let provinces = [
        11, 12, 13, 14, 15, 21, 22, 23, 31, 32, 33, 34, 35, 36, 37, 41, 42, 43, 44, 45, 46, 50, 51,
        52, 53, 54, 61, 62, 63, 64, 65, 71, 81, 82,
    ];
    let letters = LetterSets::default();
    (
        (prop::sample::select(provinces.to_vec()), 0..10_000u32)
            .prop_map(|(p, rest)| format!("{p:02}{rest:04}")),
        1..=999u32,
        1..=999u32,
        (
            prop::sample::select(letters.ownership),
            prop::sample::select(letters.parcel_kind),
        )
            .prop_map(|(a, b)| format!("{a}{b}")),
        1..=99_999u32,
        prop::sample::select(letters.fixture_kind),
        (1..=9_999u32, 1..=9_999u32, 1..=99_999_999u32),
    )
        .prop_map(|(county, d, s, feature, seq, kind, (b, u, n))| {
            let number = match kind {
                'W' => "00000000".to_owned(),
                'F' => format!("{b:04}{u:04}"),
                _ => format!("{n:08}"),
            };
            (county, d, s, feature, seq, kind, number)
        })
}

fn printable() -> impl Strategy<Value = char> {
    (0x20u8..0x7f).prop_map(char::from)
}

proptest! {
    #[test]
    fn built_codes_round_trip(parts in valid_parts()) {
        let (county, d, s, feature, seq, kind, number) = parts;
        let letters = LetterSets::default();
        let c = UnitCode::new(
            &county, &format!("{d:03}"), &format!("{s:03}"), &feature, seq, kind, &number,
            &letters,
        );
        prop_assert!(c.is_ok(), "{:?}", c);
        let Ok(c) = c else { return Ok(()) };
        let text = c.to_string();
        prop_assert_eq!(text.len(), 28);
        prop_assert_eq!(text.parse::<UnitCode>(), Ok(c.clone()));
        prop_assert_eq!(c.parcel_seq(), seq);
        prop_assert_eq!(c.fixture_kind(), kind);
        prop_assert_eq!(c.county(), county.as_str());
        let land = c.land_code();
        prop_assert_eq!(land.parcel_prefix(), c.parcel_prefix());
    }

    #[test]
    fn random_ascii_parses_or_names_a_segment(s in "[\\x00-\\x7f]{28}") {
        match s.parse::<UnitCode>() {
            Ok(c) => prop_assert_eq!(c.as_str(), s.as_str()),
            Err(UnitCodeError::Whitespace) => prop_assert_ne!(s.trim(), s.as_str()),
            Err(e) => {
                prop_assert!(e.segment().is_some(), "{}", e);
                let all = check_all(&s, &LetterSets::default());
                prop_assert_eq!(all.first(), Some(&e));
            }
        }
    }

    #[test]
    fn one_changed_character_is_located(
        parts in valid_parts(),
        at in 0..28usize,
        c in printable(),
    ) {
        let (county, d, s, feature, seq, kind, number) = parts;
        let text = format!("{county}{d:03}{s:03}{feature}{seq:05}{kind}{number}");
        let mut chars: Vec<char> = text.chars().collect();
        chars[at] = c;
        let changed: String = chars.into_iter().collect();
        match changed.parse::<UnitCode>() {
            Ok(code) => prop_assert_eq!(code.as_str(), changed.as_str()),
            Err(UnitCodeError::Whitespace) => prop_assert!(at == 0 || at == 27),
            Err(e) => {
                let segment = e.segment();
                prop_assert!(segment.is_some(), "{}", e);
                let range = segment.map(Segment::range).unwrap_or_default();
                // A changed fixture letter may make the number wrong instead.
                let fixture = at == 19 && segment == Some(Segment::FixtureNumber);
                prop_assert!(range.contains(&at) || fixture, "{} at {}", e, at);
            }
        }
    }
}
