//! Real-estate units (不动产单元): the right, its holder, its legal boundary text and its volume.

use std::fmt;
use std::path::PathBuf;

use serde::Serialize;
use serde_json::{Map, Value};

use crate::diagnostics::{FeatureRef, Finding};
use crate::geometry::{Primitive, Volume};

use super::frame::Frame;
use super::unit_code::{Stratum, UnitCode};

/// How the land was supplied (供地方式).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum SupplyMethod {
    /// Allocation (划拨): free, for public use.
    Allocation,
    /// Paid transfer by listing (挂牌出让).
    Listing,
    /// Paid transfer by tender (招标出让).
    Tender,
    /// Paid transfer by auction (拍卖出让).
    Auction,
}

impl SupplyMethod {
    /// Every method.
    pub const ALL: [SupplyMethod; 4] = [
        SupplyMethod::Allocation,
        SupplyMethod::Listing,
        SupplyMethod::Tender,
        SupplyMethod::Auction,
    ];

    /// The English name used in files: `allocation`, `listing`, `tender`, `auction`.
    pub fn as_str(self) -> &'static str {
        match self {
            SupplyMethod::Allocation => "allocation",
            SupplyMethod::Listing => "listing",
            SupplyMethod::Tender => "tender",
            SupplyMethod::Auction => "auction",
        }
    }

    /// The Chinese name: 划拨, 挂牌出让, 招标出让, 拍卖出让.
    pub fn name_zh(self) -> &'static str {
        match self {
            SupplyMethod::Allocation => "划拨",
            SupplyMethod::Listing => "挂牌出让",
            SupplyMethod::Tender => "招标出让",
            SupplyMethod::Auction => "拍卖出让",
        }
    }

    /// Reads the English or Chinese name (`挂牌` and `挂牌出让` both read as listing).
    pub fn parse(s: &str) -> Option<SupplyMethod> {
        let t = s.trim();
        SupplyMethod::ALL.into_iter().find(|m| {
            t.eq_ignore_ascii_case(m.as_str())
                || t == m.name_zh()
                || t == m.name_zh().trim_end_matches("出让")
        })
    }

    /// True for the paid transfers (出让).
    pub fn is_transfer(self) -> bool {
        self != SupplyMethod::Allocation
    }
}

impl fmt::Display for SupplyMethod {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The six directions of a 3D boundary (六至).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Direction {
    /// 上至.
    Up,
    /// 下至.
    Down,
    /// 东至.
    East,
    /// 西至.
    West,
    /// 南至.
    South,
    /// 北至.
    North,
}

impl Direction {
    /// The six, in the order of the survey table: up, down, east, west, south, north.
    pub const ALL: [Direction; 6] = [
        Direction::Up,
        Direction::Down,
        Direction::East,
        Direction::West,
        Direction::South,
        Direction::North,
    ];

    /// `up`, `down`, `east`, `west`, `south`, `north`.
    pub fn as_str(self) -> &'static str {
        match self {
            Direction::Up => "up",
            Direction::Down => "down",
            Direction::East => "east",
            Direction::West => "west",
            Direction::South => "south",
            Direction::North => "north",
        }
    }

    /// 上至, 下至, 东至, 西至, 南至, 北至.
    pub fn name_zh(self) -> &'static str {
        match self {
            Direction::Up => "上至",
            Direction::Down => "下至",
            Direction::East => "东至",
            Direction::West => "西至",
            Direction::South => "南至",
            Direction::North => "北至",
        }
    }

    /// The opposite direction: where the first unit lies seen from the second.
    pub fn opposite(self) -> Direction {
        match self {
            Direction::Up => Direction::Down,
            Direction::Down => Direction::Up,
            Direction::East => Direction::West,
            Direction::West => Direction::East,
            Direction::South => Direction::North,
            Direction::North => Direction::South,
        }
    }

    /// Reads the English key or the Chinese name.
    pub fn parse(s: &str) -> Option<Direction> {
        Direction::ALL
            .into_iter()
            .find(|d| s == d.as_str() || s == d.name_zh())
    }
}

/// One value per direction.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct SixTo<T> {
    /// 上至.
    pub up: T,
    /// 下至.
    pub down: T,
    /// 东至.
    pub east: T,
    /// 西至.
    pub west: T,
    /// 南至.
    pub south: T,
    /// 北至.
    pub north: T,
}

impl<T> SixTo<T> {
    /// The value for one direction.
    pub fn get(&self, d: Direction) -> &T {
        match d {
            Direction::Up => &self.up,
            Direction::Down => &self.down,
            Direction::East => &self.east,
            Direction::West => &self.west,
            Direction::South => &self.south,
            Direction::North => &self.north,
        }
    }

    /// The value for one direction, mutable.
    pub fn get_mut(&mut self, d: Direction) -> &mut T {
        match d {
            Direction::Up => &mut self.up,
            Direction::Down => &mut self.down,
            Direction::East => &mut self.east,
            Direction::West => &mut self.west,
            Direction::South => &mut self.south,
            Direction::North => &mut self.north,
        }
    }
}

/// The term of a right (使用期限).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Term {
    /// Years (使用年限).
    pub years: Option<u32>,
    /// Start date, ISO 8601.
    pub start: Option<String>,
    /// End date, ISO 8601.
    pub end: Option<String>,
}

/// Where a part of a unit came from, and what the input said of that part only.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PartSource {
    /// The file.
    pub file: PathBuf,
    /// The feature: `feature 3 ("GX00001-B1")` or `CityObject "x"`.
    pub feature: FeatureRef,
    /// The level label (`B1`, `B2`, `F1`), if given.
    pub level: Option<String>,
    /// Attributes outside the model, as given.
    pub attributes: Map<String, Value>,
}

/// A real-estate unit: a layered right and its 3D volume.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Unit {
    /// The unit code as given (also for an invalid code), or the feature name when missing:
    /// what groups parts into a unit and names it in reports.
    pub key: String,
    /// The unit code text as given, if any.
    pub code_text: Option<String>,
    /// The input features (GeoJSON features, CityObjects) the unit was read from, in order.
    pub features: Vec<FeatureRef>,
    /// The checked unit code.
    pub code: Option<UnitCode>,
    /// The stratum: from the code's parcel feature letter when it names one, otherwise as
    /// declared.
    pub stratum: Option<Stratum>,
    /// The stratum the input declared, kept to compare with the code.
    pub declared_stratum: Option<Stratum>,
    /// Name (单元名称).
    pub name: Option<String>,
    /// Type of right (权利类型), e.g. `state_construction_land_use`.
    pub right_type: Option<String>,
    /// Right holder (权利人).
    pub holder: Option<String>,
    /// Use (用途).
    pub usage: Option<String>,
    /// Supply method (供地方式).
    pub supply_method: Option<SupplyMethod>,
    /// Term of the right.
    pub term: Term,
    /// The planning plot whose column the unit belongs to.
    pub parent_plot: Option<String>,
    /// The declared six-direction boundary wording, verbatim legal text (boxed: units of a
    /// large district often carry none, and the table keeps a unit small).
    pub sixto: Box<SixTo<Option<String>>>,
    /// The declared neighbours in each direction (unit codes), when given.
    pub sixto_units: Option<Box<SixTo<Vec<String>>>>,
    /// The survey result code (多测合一成果编号).
    pub survey_result_code: Option<String>,
    /// Remarks (附记).
    pub note: Option<String>,
    /// Horizontal CRS and height datum.
    pub frame: Frame,
    /// The volume: one part per prism feature or solid.
    pub volume: Volume,
    /// Where each part of `volume` came from (same order).
    pub parts: Vec<PartSource>,
    /// Other geometries of the same object (lower levels of detail), validated too.
    pub other_geometries: Vec<(FeatureRef, Primitive)>,
    /// What the import found wrong with the unit's fields.
    pub findings: Vec<Finding>,
}

impl Unit {
    /// The sum of a numeric extra attribute over the parts (e.g. `floor_area_m2`).
    pub fn sum_attribute(&self, name: &str) -> Option<f64> {
        let vals: Vec<f64> = self
            .parts
            .iter()
            .filter_map(|p| p.attributes.get(name).and_then(Value::as_f64))
            .collect();
        (!vals.is_empty()).then(|| vals.iter().sum())
    }
}

/// An object of an input file that is not a unit (no unit code): validated for its geometry.
#[derive(Debug, Clone, PartialEq)]
pub struct PlainObject {
    /// The file.
    pub file: PathBuf,
    /// Its id (CityObject id).
    pub id: String,
    /// Its CityJSON `type` (`Building`, `BuildingPart`, …).
    pub object_type: String,
    /// The ids of its parents (a BuildingPart names its Building).
    pub parents: Vec<String>,
    /// The ids of its children (a Building names its BuildingParts).
    pub children: Vec<String>,
    /// Its geometries, each with where it is (`CityObject "b" geometry 0 (lod 2)`).
    pub geometries: Vec<(FeatureRef, Primitive)>,
    /// The level of detail of each geometry as written, in the order of `geometries`.
    pub lods: Vec<Option<String>>,
    /// Findings of the import.
    pub findings: Vec<Finding>,
}
