//! What the register holds: units, parties, plots, supplies, rights, restrictions, sources,
//! certificates and code counters. Each is a [`Record`] under a key, kept in versions (LADM
//! VersionedObject): an act opens a new version and ends the one before; nothing is changed
//! or removed in place.

use jiff::civil::Date;
use serde::{Deserialize, Serialize};

use crate::model::{SixTo, Stratum};

use super::geometry::VolumeData;
use super::party::{Holders, Party};

/// A position in the journal: acts are numbered 1, 2, 3, … in the order they were recorded.
pub type Seq = u64;

/// How a state-owned construction-land-use right was created (权利性质).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Nature {
    /// Allocation (划拨), free, for public use.
    Allocation,
    /// Transfer by listing (挂牌出让).
    Listing,
    /// Transfer by tender (招标出让).
    Tender,
    /// Transfer by auction (拍卖出让).
    Auction,
    /// Transfer by agreement (协议出让).
    Agreement,
    /// Contribution as capital (作价出资).
    CapitalContribution,
    /// Lease (租赁).
    Lease,
    /// Authorised operation (授权经营).
    AuthorisedOperation,
}

impl Nature {
    /// Every nature.
    pub const ALL: [Nature; 8] = [
        Nature::Allocation,
        Nature::Listing,
        Nature::Tender,
        Nature::Auction,
        Nature::Agreement,
        Nature::CapitalContribution,
        Nature::Lease,
        Nature::AuthorisedOperation,
    ];

    /// The name in files: `allocation`, `listing`, …
    pub fn as_str(self) -> &'static str {
        match self {
            Nature::Allocation => "allocation",
            Nature::Listing => "listing",
            Nature::Tender => "tender",
            Nature::Auction => "auction",
            Nature::Agreement => "agreement",
            Nature::CapitalContribution => "capital_contribution",
            Nature::Lease => "lease",
            Nature::AuthorisedOperation => "authorised_operation",
        }
    }

    /// 划拨, 挂牌出让, 招标出让, 拍卖出让, 协议出让, 作价出资, 租赁, 授权经营.
    pub fn name_zh(self) -> &'static str {
        match self {
            Nature::Allocation => "划拨",
            Nature::Listing => "挂牌出让",
            Nature::Tender => "招标出让",
            Nature::Auction => "拍卖出让",
            Nature::Agreement => "协议出让",
            Nature::CapitalContribution => "作价出资",
            Nature::Lease => "租赁",
            Nature::AuthorisedOperation => "授权经营",
        }
    }

    /// Reads the English or Chinese name (`挂牌` reads as listing).
    pub fn parse(s: &str) -> Option<Nature> {
        let t = s.trim();
        Nature::ALL.into_iter().find(|n| {
            t.eq_ignore_ascii_case(n.as_str())
                || t == n.name_zh()
                || t == n.name_zh().trim_end_matches("出让")
        })
    }

    /// True for the paid transfers (出让), which carry a term and a price.
    pub fn is_transfer(self) -> bool {
        matches!(
            self,
            Nature::Listing | Nature::Tender | Nature::Auction | Nature::Agreement
        )
    }
}

impl From<crate::model::SupplyMethod> for Nature {
    fn from(m: crate::model::SupplyMethod) -> Nature {
        use crate::model::SupplyMethod as M;
        match m {
            M::Allocation => Nature::Allocation,
            M::Listing => Nature::Listing,
            M::Tender => Nature::Tender,
            M::Auction => Nature::Auction,
        }
    }
}

/// The term of a right (使用期限): start and end dates, both included.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Term {
    /// The first day.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub start: Option<Date>,
    /// The last day.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub end: Option<Date>,
}

/// The vertical bounds of a layer fixed by its contract (出让合同 clause 5): elevations in the
/// register's height datum, metres.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Bounds {
    /// The lower bound (下界).
    pub lower: f64,
    /// The upper bound (上界).
    pub upper: f64,
}

impl Bounds {
    /// The height difference (高差), m.
    pub fn height(&self) -> f64 {
        self.upper - self.lower
    }
}

/// Where a unit is in its life.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum UnitStatus {
    /// Its code is reserved (预编) for a planned layer.
    PreCoded,
    /// Its land is supplied (供地) to a party; not yet registered.
    Supplied,
    /// Its right is registered (首次登记 done).
    Registered,
    /// Cancelled (注销): its volume is free and its code is never used again.
    Retired,
}

impl UnitStatus {
    /// 预编, 已供地, 已登记, 已注销.
    pub fn name_zh(self) -> &'static str {
        match self {
            UnitStatus::PreCoded => "预编",
            UnitStatus::Supplied => "已供地",
            UnitStatus::Registered => "已登记",
            UnitStatus::Retired => "已注销",
        }
    }
}

/// A real-estate unit (不动产单元, LA_BAUnit with its LA_SpatialUnit).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct UnitRecord {
    /// The 28-character unit code.
    pub code: String,
    /// Its stratum, from the code.
    pub stratum: Stratum,
    /// Where it is in its life.
    pub status: UnitStatus,
    /// A name (单元名称 / planned use at pre-coding).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// The planning plot whose column it belongs to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub plot: Option<String>,
    /// The registered volume, exactly as surveyed (registered units only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub volume: Option<VolumeData>,
    /// Its measures: volume (m³), footprint area (m²), lowest and highest elevation.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub measures: Option<Measures>,
    /// The declared six-direction boundary wording (六至), verbatim.
    #[serde(default)]
    pub sixto: SixTo<Option<String>>,
    /// The survey result (多测合一成果) the volume came from: a source id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub survey: Option<String>,
    /// Codes this unit continues (split, merge, re-coding; GB/T 37346 §8.4).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub predecessors: Vec<String>,
}

/// Measures of a registered volume.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Measures {
    /// m³.
    pub volume_m3: f64,
    /// Area of the horizontal projection, m².
    pub footprint_m2: f64,
    /// The lowest elevation.
    pub z_min: f64,
    /// The highest elevation.
    pub z_max: f64,
    /// `[minx, miny, minz, maxx, maxy, maxz]`.
    pub bbox: [f64; 6],
}

/// A planning plot (规划地块): the vertical column layered rights on it belong to.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PlotRecord {
    /// The plot id.
    pub id: String,
    /// Its name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// The planned land use.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub land_use: Option<String>,
    /// The ground elevation, m.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ground: Option<f64>,
    /// Urban green space.
    #[serde(default)]
    pub green_space: bool,
    /// The footprint: polygons of rings of `[x, y]`, not closed.
    pub footprint: Vec<Vec<super::geometry::Ring2>>,
}

/// The terms on which land is supplied (供地): to whom, how, for what, for how long, at what
/// price, between which elevations and in which plots' columns.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SupplyTerms {
    /// Allocation or a kind of transfer.
    pub nature: Nature,
    /// Who receives it.
    pub holders: Holders,
    /// The use (用途).
    pub usage: String,
    /// The term (transfers need one).
    #[serde(default)]
    pub term: Term,
    /// The price, yuan (transfers).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub price: Option<f64>,
    /// The vertical bounds of the layer.
    pub bounds: Bounds,
    /// The plots whose columns the layer may occupy (by default the unit's plot).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub plots: Vec<String>,
    /// The contract or allocation decision: a source id.
    pub contract: String,
}

/// A use right (建设用地使用权, LA_Right) on one layer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct UseRight {
    /// The unit.
    pub unit: String,
    /// 国有建设用地使用权 unless said otherwise.
    pub right_type: String,
    /// How it was created.
    pub nature: Nature,
    /// Who holds it.
    pub holders: Holders,
    /// The use.
    pub usage: String,
    /// The term.
    #[serde(default)]
    pub term: Term,
    /// The price paid, yuan.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub price: Option<f64>,
    /// The vertical bounds (上界/下界) of the contract.
    pub bounds: Bounds,
    /// The certificate (不动产权证书号) of this version.
    pub certificate: String,
}

/// A mortgage (抵押权, LA_Mortgage) on one layer's use right.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Mortgage {
    /// The unit.
    pub unit: String,
    /// The mortgagee (抵押权人).
    pub mortgagee: String,
    /// The secured amount (被担保主债权数额, or the maximum for a maximum mortgage), yuan.
    pub amount: f64,
    /// A maximum-amount mortgage (最高额抵押).
    #[serde(default)]
    pub maximum: bool,
    /// The debt's term (债务履行期限 / 债权确定期间).
    #[serde(default)]
    pub debt_term: Term,
    /// The registration certificate (不动产登记证明号).
    pub certificate: String,
}

/// A seizure (查封, LA_Restriction) of one layer by a court.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Seizure {
    /// The unit.
    pub unit: String,
    /// The court (查封机关).
    pub court: String,
    /// The court's document (嘱托文件 / 裁定书): a source id.
    pub document: String,
    /// The first day of its term, from the court's document.
    pub start: Date,
    /// The last day of its term (extended by a renewal, 续封).
    pub end: Date,
    /// When it was recorded: its place in the queue (轮候).
    pub queued: Seq,
    /// The day it moved to the head of the queue because the seizure before it was released:
    /// it is in force from then, for its own term.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from: Option<Date>,
}

/// What kind of source document (LA_Source).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SourceKind {
    /// A transfer contract (出让合同).
    Contract,
    /// An allocation decision (划拨决定书).
    AllocationDecision,
    /// A court's document (嘱托文件, 裁定书).
    CourtOrder,
    /// A survey result (多测合一成果), LA_SpatialSource.
    SurveyResult,
    /// A planning document (规划条件, 规划许可).
    Planning,
    /// An application or agreement of the parties (申请书, 买卖合同, 抵押合同).
    Application,
    /// Anything else.
    Other,
}

impl SourceKind {
    /// The name in files.
    pub fn as_str(self) -> &'static str {
        match self {
            SourceKind::Contract => "contract",
            SourceKind::AllocationDecision => "allocation_decision",
            SourceKind::CourtOrder => "court_order",
            SourceKind::SurveyResult => "survey_result",
            SourceKind::Planning => "planning",
            SourceKind::Application => "application",
            SourceKind::Other => "other",
        }
    }

    /// The Chinese name.
    pub fn name_zh(self) -> &'static str {
        match self {
            SourceKind::Contract => "出让合同",
            SourceKind::AllocationDecision => "划拨决定书",
            SourceKind::CourtOrder => "嘱托文件",
            SourceKind::SurveyResult => "多测合一成果",
            SourceKind::Planning => "规划文件",
            SourceKind::Application => "申请材料",
            SourceKind::Other => "其他",
        }
    }
}

/// A source document an act cites (LA_AdministrativeSource, LA_SpatialSource).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Source {
    /// Its number (合同编号, 文号, 成果编号): unique in the register.
    pub id: String,
    /// What it is.
    pub kind: SourceKind,
    /// Its title.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// Its date.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Option<Date>,
    /// Who issued it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub issuer: Option<String>,
}

/// What a certificate is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CertificateKind {
    /// 不动产权证书: for a use right.
    Title,
    /// 不动产登记证明: for a mortgage and other registrations that prove a fact.
    Proof,
}

/// A certificate issued: live while current, ended when replaced or cancelled.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Certificate {
    /// `京(2026)通州区不动产权第0000001号`.
    pub number: String,
    /// Title or proof.
    pub kind: CertificateKind,
    /// The unit.
    pub unit: String,
    /// The key of the right or mortgage it proves.
    pub right: String,
    /// The holders named on it.
    pub holders: Vec<String>,
}

/// The last number handed out in a sequence (parcel sequence numbers of a sub-district,
/// certificate numbers of a year): numbers are never handed out twice.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Counter {
    /// The last number used.
    pub last: u32,
}

/// Anything the register holds.
// A unit is the largest record; records are made once per act, so boxing buys nothing.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
// Externally tagged (`{"unit": {…}}`): read without buffering, as every lookup reads one.
#[serde(rename_all = "snake_case")]
pub enum Record {
    /// A unit.
    Unit(UnitRecord),
    /// A party.
    Party(Party),
    /// A planning plot.
    Plot(PlotRecord),
    /// The supply of a unit's land (key: the unit code).
    Supply(SupplyRecord),
    /// A use right (key: the unit code).
    Right(UseRight),
    /// A mortgage (key: `unit:M<seq>`).
    Mortgage(Mortgage),
    /// A seizure (key: `unit:S<seq>`).
    Seizure(Seizure),
    /// A source document.
    Source(Source),
    /// A certificate.
    Certificate(Certificate),
    /// A counter.
    Counter(Counter),
}

/// The supply of a unit.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SupplyRecord {
    /// The unit.
    pub unit: String,
    /// The terms.
    pub terms: SupplyTerms,
}

/// The kinds of record, for lookups.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    /// [`Record::Unit`].
    Unit,
    /// [`Record::Party`].
    Party,
    /// [`Record::Plot`].
    Plot,
    /// [`Record::Supply`].
    Supply,
    /// [`Record::Right`].
    Right,
    /// [`Record::Mortgage`].
    Mortgage,
    /// [`Record::Seizure`].
    Seizure,
    /// [`Record::Source`].
    Source,
    /// [`Record::Certificate`].
    Certificate,
    /// [`Record::Counter`].
    Counter,
}

impl Kind {
    /// Every kind.
    pub const ALL: [Kind; 10] = [
        Kind::Unit,
        Kind::Party,
        Kind::Plot,
        Kind::Supply,
        Kind::Right,
        Kind::Mortgage,
        Kind::Seizure,
        Kind::Source,
        Kind::Certificate,
        Kind::Counter,
    ];

    /// The name in storage: `unit`, `party`, …
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Unit => "unit",
            Kind::Party => "party",
            Kind::Plot => "plot",
            Kind::Supply => "supply",
            Kind::Right => "right",
            Kind::Mortgage => "mortgage",
            Kind::Seizure => "seizure",
            Kind::Source => "source",
            Kind::Certificate => "certificate",
            Kind::Counter => "counter",
        }
    }

    /// Reads a storage name.
    pub fn parse(s: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

impl Record {
    /// Its kind.
    pub fn kind(&self) -> Kind {
        match self {
            Record::Unit(_) => Kind::Unit,
            Record::Party(_) => Kind::Party,
            Record::Plot(_) => Kind::Plot,
            Record::Supply(_) => Kind::Supply,
            Record::Right(_) => Kind::Right,
            Record::Mortgage(_) => Kind::Mortgage,
            Record::Seizure(_) => Kind::Seizure,
            Record::Source(_) => Kind::Source,
            Record::Certificate(_) => Kind::Certificate,
            Record::Counter(_) => Kind::Counter,
        }
    }

    /// The unit it belongs to, for the records that belong to one.
    pub fn unit(&self) -> Option<&str> {
        match self {
            Record::Unit(u) => Some(&u.code),
            Record::Supply(s) => Some(&s.unit),
            Record::Right(r) => Some(&r.unit),
            Record::Mortgage(m) => Some(&m.unit),
            Record::Seizure(s) => Some(&s.unit),
            Record::Certificate(c) => Some(&c.unit),
            Record::Party(_) | Record::Plot(_) | Record::Source(_) | Record::Counter(_) => None,
        }
    }

    /// The parties that hold (or, for a mortgage, hold as mortgagee) what it records.
    pub fn parties(&self) -> Vec<&str> {
        match self {
            Record::Right(r) => r.holders.parties().collect(),
            Record::Supply(s) => s.terms.holders.parties().collect(),
            Record::Mortgage(m) => vec![m.mortgagee.as_str()],
            _ => Vec::new(),
        }
    }
}

/// One version of a record: live from act `begin` until act `end` ended it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Version {
    /// The record's kind.
    pub kind: Kind,
    /// Its key.
    pub key: String,
    /// The act that opened this version.
    pub begin: Seq,
    /// The act that ended it; `None` while it is live.
    pub end: Option<Seq>,
    /// The content.
    pub record: Record,
}

impl Version {
    /// True when this version was the live one just after act `seq`.
    pub fn live_at(&self, seq: Seq) -> bool {
        self.begin <= seq && self.end.is_none_or(|e| e > seq)
    }
}
