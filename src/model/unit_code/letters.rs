//! Letter sets of the feature codes (特征码) in a unit code.
//!
//! GB/T 37346-2019 fixes a default set of letters for the land ownership
//! (土地所有权), the parcel kind (宗地特征码第二位) and the fixture kind
//! (定着物特征码). Local practice adds letters, so the sets a code is checked
//! against are configurable through [`LetterSets`].

use serde::{Deserialize, Serialize};

/// Land ownership letters (宗地特征码第一位) with their meaning.
const OWNERSHIP: [(char, &str); 3] = [
    ('G', "state-owned land (国家土地所有权)"),
    ('J', "collective land (集体土地所有权)"),
    (
        'Z',
        "land ownership undetermined or disputed (土地所有权未确定或有争议)",
    ),
];

/// Parcel kind letters (宗地特征码第二位) with their meaning.
const PARCEL_KIND: [(char, &str); 12] = [
    ('A', "collective land ownership parcel (集体土地所有权宗地)"),
    (
        'B',
        "construction-land-use right, on the surface (建设用地使用权宗地（地表）)",
    ),
    (
        'S',
        "construction-land-use right, above ground (建设用地使用权宗地（地上）)",
    ),
    (
        'X',
        "construction-land-use right, under ground (建设用地使用权宗地（地下）)",
    ),
    ('C', "homestead use right (宅基地使用权宗地)"),
    ('D', "land contract management right (土地承包经营权宗地)"),
    ('E', "forest land use right (林地使用权宗地)"),
    ('F', "grassland use right (草原使用权宗地)"),
    ('H', "sea area use right (海域使用权宗海)"),
    ('G', "uninhabited island (无居民海岛)"),
    (
        'W',
        "land use right undetermined or disputed (使用权未确定或有争议的土地)",
    ),
    ('Y', "other land use right (其他土地使用权宗地)"),
];

/// Fixture kind letters (定着物特征码) with their meaning.
const FIXTURE_KIND: [(char, &str); 4] = [
    ('F', "building or structure (房屋等建筑物、构筑物)"),
    ('L', "forest or trees (森林、林木)"),
    ('Q', "other fixture (其他)"),
    ('W', "no fixture (无定着物)"),
];

fn describe(table: &[(char, &'static str)], c: char) -> Option<&'static str> {
    table.iter().find(|(l, _)| *l == c).map(|(_, text)| *text)
}

fn letters_of(table: &[(char, &str)]) -> Vec<char> {
    table.iter().map(|(l, _)| *l).collect()
}

fn add(set: &mut Vec<char>, chars: impl IntoIterator<Item = char>) {
    for c in chars {
        if !set.contains(&c) {
            set.push(c);
        }
    }
}

/// Meaning of a land ownership letter, the first letter of the parcel feature
/// code (宗地特征码), e.g. `G` → "state-owned land (国家土地所有权)".
///
/// Returns `None` for letters outside the default set of GB/T 37346-2019.
#[must_use]
pub fn describe_ownership(c: char) -> Option<&'static str> {
    describe(&OWNERSHIP, c)
}

/// Meaning of a parcel kind letter, the second letter of the parcel feature
/// code (宗地特征码), e.g. `X` → "construction-land-use right, under ground
/// (建设用地使用权宗地（地下）)".
///
/// Returns `None` for letters outside the default set of GB/T 37346-2019.
#[must_use]
pub fn describe_parcel_kind(c: char) -> Option<&'static str> {
    describe(&PARCEL_KIND, c)
}

/// Meaning of a fixture kind letter, the fixture feature code (定着物特征码),
/// e.g. `F` → "building or structure (房屋等建筑物、构筑物)".
///
/// Returns `None` for letters outside the default set of GB/T 37346-2019.
#[must_use]
pub fn describe_fixture_kind(c: char) -> Option<&'static str> {
    describe(&FIXTURE_KIND, c)
}

/// Letters accepted in the feature codes of a unit code.
///
/// [`Default`] gives the sets of GB/T 37346-2019:
///
/// * `ownership` (土地所有权, first letter of the parcel feature code):
///   `G J Z`;
/// * `parcel_kind` (宗地类型, second letter of the parcel feature code):
///   `A B S X C D E F H G W Y`;
/// * `fixture_kind` (定着物特征码): `F L Q W`.
///
/// Letters are upper-case ASCII; lower-case input is always rejected, so a
/// lower-case letter added to a set never matches. The meaning of the fixture
/// number follows the letter (`W` none, `F` building and unit, any other
/// letter a sequence number), whatever the set.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LetterSets {
    /// First letter of the parcel feature code: land ownership (土地所有权).
    pub ownership: Vec<char>,
    /// Second letter of the parcel feature code: kind of parcel and right
    /// (宗地类型).
    pub parcel_kind: Vec<char>,
    /// Fixture feature code: kind of fixture (定着物类型).
    pub fixture_kind: Vec<char>,
}

impl Default for LetterSets {
    fn default() -> Self {
        Self {
            ownership: letters_of(&OWNERSHIP),
            parcel_kind: letters_of(&PARCEL_KIND),
            fixture_kind: letters_of(&FIXTURE_KIND),
        }
    }
}

impl LetterSets {
    /// The sets with extra land ownership letters added (letters already
    /// present are kept once).
    #[must_use]
    pub fn with_extra_ownership(mut self, chars: impl IntoIterator<Item = char>) -> Self {
        add(&mut self.ownership, chars);
        self
    }

    /// The sets with extra parcel kind letters added (letters already present
    /// are kept once).
    #[must_use]
    pub fn with_extra_parcel_kinds(mut self, chars: impl IntoIterator<Item = char>) -> Self {
        add(&mut self.parcel_kind, chars);
        self
    }

    /// The sets with extra fixture kind letters added (letters already
    /// present are kept once).
    #[must_use]
    pub fn with_extra_fixture_kinds(mut self, chars: impl IntoIterator<Item = char>) -> Self {
        add(&mut self.fixture_kind, chars);
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_sets_follow_the_standard() {
        let l = LetterSets::default();
        assert_eq!(l.ownership, ['G', 'J', 'Z']);
        assert_eq!(
            l.parcel_kind,
            ['A', 'B', 'S', 'X', 'C', 'D', 'E', 'F', 'H', 'G', 'W', 'Y']
        );
        assert_eq!(l.fixture_kind, ['F', 'L', 'Q', 'W']);
    }

    #[test]
    fn every_default_letter_is_described() {
        let l = LetterSets::default();
        assert!(l.ownership.iter().all(|&c| describe_ownership(c).is_some()));
        assert!(
            l.parcel_kind
                .iter()
                .all(|&c| describe_parcel_kind(c).is_some())
        );
        assert!(
            l.fixture_kind
                .iter()
                .all(|&c| describe_fixture_kind(c).is_some())
        );
        assert_eq!(
            describe_parcel_kind('X'),
            Some("construction-land-use right, under ground (建设用地使用权宗地（地下）)")
        );
        assert_eq!(describe_parcel_kind('Q'), None);
        assert_eq!(describe_ownership('g'), None);
    }

    #[test]
    fn extra_letters_are_added_once() {
        let l = LetterSets::default()
            .with_extra_parcel_kinds(['Q', 'Q', 'B'])
            .with_extra_ownership(['K'])
            .with_extra_fixture_kinds(['T']);
        assert_eq!(l.parcel_kind.iter().filter(|&&c| c == 'Q').count(), 1);
        assert_eq!(l.parcel_kind.iter().filter(|&&c| c == 'B').count(), 1);
        assert!(l.ownership.contains(&'K'));
        assert!(l.fixture_kind.contains(&'T'));
    }
}
