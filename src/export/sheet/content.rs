//! What a 3D parcel map shows, read from the register: the unit with its right and holders,
//! its plot, its neighbours in and around the column, its boundary points, sections and 六至.
//! Plain data: the drawing ([`super::draw`]) only places it on the sheet.

use geo::{Coord, MultiPolygon, Polygon};
use jiff::Timestamp;

use crate::checks::{Subject, relate};
use crate::geometry::algorithm::{
    BoundingBox3, Footprint, SectionLine, SectionRing, VerticalSection,
};
use crate::geometry::{Aabb, Point3, Volume};
use crate::model::{Direction, Stratum};
use crate::register::page::{self, Page};
use crate::register::record::{Kind, PlotRecord, Record, UnitRecord};
use crate::register::{RegisterError, Store};

use super::SheetError;
use super::points::{BoundaryPoints, boundary_points};

/// Neighbours within this distance (m) of the unit's footprint box are drawn: enough for the
/// layers the unit touches and the units across a narrow street, few enough to stay legible.
pub const NEIGHBOURHOOD_M: f64 = 15.0;

/// The least margin (m) of the plan view around the unit.
pub const PLAN_MARGIN_M: f64 = 5.0;

/// A shared face smaller than this (m²) is not a 六至 neighbour: it is a touching edge or
/// corner seen through rounding.
pub const SIXTO_MIN_AREA_M2: f64 = 0.01;

/// A unit as the sheet draws it.
#[derive(Debug, Clone)]
pub struct MapUnit {
    /// The 28-character code.
    pub code: String,
    /// Its layer.
    pub stratum: Stratum,
    /// The registered volume.
    pub volume: Volume,
    /// Its horizontal projection.
    pub footprint: MultiPolygon<f64>,
    /// Its bounding box.
    pub bbox: Aabb,
}

impl MapUnit {
    fn of(u: &UnitRecord) -> Option<MapUnit> {
        let volume = u.volume.as_ref()?.to_volume();
        Some(MapUnit {
            code: u.code.clone(),
            stratum: u.stratum,
            footprint: volume.footprint(),
            bbox: volume.bbox(),
            volume,
        })
    }
}

/// One direction of the 六至 table.
#[derive(Debug, Clone, PartialEq)]
pub struct SixToRow {
    /// The direction.
    pub direction: Direction,
    /// Neighbouring units with the area of the face they share (m²), in code order; empty
    /// when the unit is open that way.
    pub neighbours: Vec<(String, f64)>,
    /// The unit's own limit that way: an elevation for up and down, a coordinate otherwise.
    pub limit: f64,
}

/// A vertical section of the column through the unit.
#[derive(Debug, Clone)]
pub struct Section {
    /// Its name on the sheet, e.g. `1–1′`.
    pub name: String,
    /// Its trace in plan.
    pub line: SectionLine,
    /// The stretch of the line drawn, as distances along it.
    pub range: (f64, f64),
    /// The ground elevation of the plot, where known.
    pub ground: Option<f64>,
    /// Every unit the section cuts, with its cut; the mapped unit first.
    pub cuts: Vec<(String, Stratum, Vec<SectionRing>)>,
}

/// Everything a 3D parcel map of one unit shows.
#[derive(Debug, Clone)]
pub struct ParcelMap {
    /// The register page the map belongs to (unit, right, holders, history).
    pub page: Page,
    /// The unit drawn.
    pub unit: MapUnit,
    /// Registered units around it, in code order.
    pub neighbours: Vec<MapUnit>,
    /// Its plot.
    pub plot: Option<PlotRecord>,
    /// Boundary points in surveyors' order (J1 at the north-west, clockwise).
    pub points: BoundaryPoints,
    /// The sections: east–west, north–south, then those asked for.
    pub sections: Vec<Section>,
    /// 上至, 下至, 东至, 南至, 西至, 北至.
    pub sixto: Vec<SixToRow>,
    /// The horizontal CRS (EPSG code).
    pub crs_epsg: Option<u32>,
    /// The height datum.
    pub height_datum: String,
    /// The moment of the register state drawn: the last act's time.
    pub state_at: Timestamp,
}

/// The order of the 六至 table.
pub const SIXTO_ORDER: [Direction; 6] = [
    Direction::Up,
    Direction::Down,
    Direction::East,
    Direction::South,
    Direction::West,
    Direction::North,
];

impl ParcelMap {
    /// Reads the map of unit `code` from the register as it stands, with sections along
    /// `extra` lines besides the east–west and north–south ones.
    pub fn read<S: Store + ?Sized>(
        reg: &S,
        code: &str,
        extra: &[SectionLine],
    ) -> Result<ParcelMap, SheetError> {
        let not = || SheetError::NotRegistered {
            unit: code.to_string(),
        };
        let page = page::page(reg, code, None)?.ok_or_else(not)?;
        let unit = MapUnit::of(&page.unit).ok_or_else(not)?;
        let plot = match &page.unit.plot {
            Some(id) => match reg.live(Kind::Plot, id)? {
                Some(Record::Plot(p)) => Some(p),
                _ => None,
            },
            None => None,
        };
        let neighbours = neighbours(reg, &unit)?;
        let points = boundary_points(&unit.footprint, &unit.volume);
        let mut lines = centre_lines(&unit.bbox);
        lines.extend_from_slice(extra);
        let ground = plot.as_ref().and_then(|p| p.ground);
        let sections = lines
            .iter()
            .enumerate()
            .map(|(i, l)| section(i, *l, &unit, &neighbours, ground))
            .collect();
        let sixto = sixto(&unit, &neighbours, reg.settings().snap);
        let state_at = page
            .history
            .iter()
            .map(|h| h.recorded_at)
            .max()
            .unwrap_or(Timestamp::UNIX_EPOCH);
        let settings = reg.settings();
        Ok(ParcelMap {
            page,
            unit,
            neighbours,
            plot,
            points,
            sections,
            sixto,
            crs_epsg: settings.crs_epsg,
            height_datum: settings.height_datum.clone(),
            state_at,
        })
    }

    /// The extent of the plan view, as (min, max): the unit's box with a margin of a quarter
    /// of its size (at least [`PLAN_MARGIN_M`]) for the neighbours, the plot boundary and
    /// the labels; what lies beyond is cut at the panel's edge.
    pub fn plan_extent(&self) -> (Coord<f64>, Coord<f64>) {
        let b = &self.unit.bbox;
        let m = ((b.max.x - b.min.x).max(b.max.y - b.min.y) * 0.25).max(PLAN_MARGIN_M);
        (
            Coord {
                x: b.min.x - m,
                y: b.min.y - m,
            },
            Coord {
                x: b.max.x + m,
                y: b.max.y + m,
            },
        )
    }

    /// The plot's footprint.
    pub fn plot_polygons(&self) -> MultiPolygon<f64> {
        let Some(p) = &self.plot else {
            return MultiPolygon::new(vec![]);
        };
        let ring = |r: &Vec<[f64; 2]>| {
            geo::LineString::from(r.iter().map(|c| (c[0], c[1])).collect::<Vec<_>>())
        };
        MultiPolygon::new(
            p.footprint
                .iter()
                .filter(|rings| !rings.is_empty())
                .map(|rings| Polygon::new(ring(&rings[0]), rings[1..].iter().map(ring).collect()))
                .collect(),
        )
    }
}

fn neighbours<S: Store + ?Sized>(reg: &S, unit: &MapUnit) -> Result<Vec<MapUnit>, RegisterError> {
    let b = &unit.bbox;
    let around = Aabb {
        min: Point3::new(
            b.min.x - NEIGHBOURHOOD_M,
            b.min.y - NEIGHBOURHOOD_M,
            f64::MIN,
        ),
        max: Point3::new(
            b.max.x + NEIGHBOURHOOD_M,
            b.max.y + NEIGHBOURHOOD_M,
            f64::MAX,
        ),
    };
    let mut out: Vec<MapUnit> = reg
        .registered_meeting(&around)?
        .iter()
        .filter(|u| u.code != unit.code)
        .filter_map(MapUnit::of)
        .collect();
    out.sort_by(|a, b| a.code.cmp(&b.code));
    Ok(out)
}

/// The east–west and north–south lines through the middle of the unit's box.
fn centre_lines(b: &Aabb) -> Vec<SectionLine> {
    let (cx, cy) = ((b.min.x + b.max.x) / 2.0, (b.min.y + b.max.y) / 2.0);
    [
        (Coord { x: b.min.x, y: cy }, Coord { x: b.max.x, y: cy }),
        (Coord { x: cx, y: b.max.y }, Coord { x: cx, y: b.min.y }),
    ]
    .into_iter()
    .filter_map(|(a, b)| SectionLine::new(a, b))
    .collect()
}

fn section(
    i: usize,
    line: SectionLine,
    unit: &MapUnit,
    neighbours: &[MapUnit],
    ground: Option<f64>,
) -> Section {
    let own = unit.volume.vertical_section(&line);
    let (lo, hi) = own
        .iter()
        .flatten()
        .fold((f64::MAX, f64::MIN), |(lo, hi), p| {
            (lo.min(p[0]), hi.max(p[0]))
        });
    let (lo, hi) = if lo <= hi { (lo, hi) } else { (0.0, 1.0) };
    let m = ((hi - lo) * 0.25).max(NEIGHBOURHOOD_M / 2.0);
    let range = (lo - m, hi + m);
    let mut cuts = vec![(unit.code.clone(), unit.stratum, own)];
    for n in neighbours {
        let rings = n.volume.vertical_section(&line);
        // The cut's stretch along the line overlaps the stretch drawn (a wide layer's
        // corners may all lie beyond it).
        let (lo, hi) = rings
            .iter()
            .flatten()
            .fold((f64::MAX, f64::MIN), |(lo, hi), p| {
                (lo.min(p[0]), hi.max(p[0]))
            });
        let meets = lo < range.1 && hi > range.0;
        if meets {
            cuts.push((n.code.clone(), n.stratum, rings));
        }
    }
    let mark = char::from_u32('1' as u32 + i as u32).unwrap_or('n');
    Section {
        name: format!("{mark}–{mark}′"),
        line,
        range,
        ground,
        cuts,
    }
}

/// The 六至 rows: each neighbour the unit shares a face with, in the direction it lies.
fn sixto(unit: &MapUnit, neighbours: &[MapUnit], snap: f64) -> Vec<SixToRow> {
    let me = Subject::new(0, &unit.volume);
    let mut rows: Vec<SixToRow> = SIXTO_ORDER
        .iter()
        .map(|&d| SixToRow {
            direction: d,
            neighbours: Vec::new(),
            limit: limit(&unit.bbox, d),
        })
        .collect();
    for (j, n) in neighbours.iter().enumerate() {
        let other = Subject::new(j + 1, &n.volume);
        for c in relate(&me, &other, snap).contacts {
            if c.area < SIXTO_MIN_AREA_M2 {
                continue;
            }
            if let Some(row) = rows.iter_mut().find(|r| r.direction == c.direction) {
                match row.neighbours.iter_mut().find(|(code, _)| *code == n.code) {
                    Some((_, a)) => *a += c.area,
                    None => row.neighbours.push((n.code.clone(), c.area)),
                }
            }
        }
    }
    rows
}

fn limit(b: &Aabb, d: Direction) -> f64 {
    match d {
        Direction::Up => b.max.z,
        Direction::Down => b.min.z,
        Direction::East => b.max.x,
        Direction::West => b.min.x,
        Direction::North => b.max.y,
        Direction::South => b.min.y,
    }
}
