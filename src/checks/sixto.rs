//! Six-direction boundaries (六至): for each unit, its neighbours up, down, east, west, south
//! and north with the area they share, or the open limit where there is none.

use serde::Serialize;

use crate::model::{Direction, SixTo, Unit};

use crate::diagnostics::Severity;
use crate::geometry::Aabb;

use super::conflict::{Conflict, ConflictKind};

/// One neighbour in one direction.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Neighbour {
    /// Its unit code.
    pub unit: String,
    /// The area of the face they share, m².
    pub shared_area_m2: f64,
}

/// One direction of a six-direction table.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DirectionEntry {
    /// The neighbours, by unit code.
    pub neighbours: Vec<Neighbour>,
    /// Where there is no neighbour, the open limit: the top or bottom elevation for up and down
    /// (metres in the height datum), the largest or smallest easting for east and west, the
    /// largest or smallest northing for north and south (metres, projected CRS).
    pub limit: Option<f64>,
}

/// The six-direction table of one unit (a row of the 3D cadastral survey table): its code and
/// one entry per direction, serialized as `{"unit": …, "up": …, "down": …, …}`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SixToTable {
    /// The unit code.
    pub unit: String,
    /// 上至, 下至, 东至, 西至, 南至, 北至.
    #[serde(flatten)]
    pub directions: SixTo<DirectionEntry>,
}

impl SixToTable {
    /// The entry of one direction.
    pub fn get(&self, d: Direction) -> &DirectionEntry {
        self.directions.get(d)
    }
}

/// Contacts of one unit: (direction, neighbour index, area).
pub type UnitContacts = Vec<(Direction, u32, f64)>;

/// Builds the table of unit `i`, whose bounding box is `b`, from its contacts.
pub fn table(i: usize, contacts: &UnitContacts, units: &[Unit], b: &Aabb) -> SixToTable {
    let mut dirs: SixTo<DirectionEntry> = SixTo {
        up: entry(Some(b.max.z)),
        down: entry(Some(b.min.z)),
        east: entry(Some(b.max.x)),
        west: entry(Some(b.min.x)),
        south: entry(Some(b.min.y)),
        north: entry(Some(b.max.y)),
    };
    for &(d, j, area) in contacts {
        let e = dirs.get_mut(d);
        let code = &units[j as usize].key;
        match e.neighbours.iter_mut().find(|n| &n.unit == code) {
            Some(n) => n.shared_area_m2 += area,
            None => e.neighbours.push(Neighbour {
                unit: code.clone(),
                shared_area_m2: area,
            }),
        }
    }
    for d in Direction::ALL {
        let e = dirs.get_mut(d);
        if !e.neighbours.is_empty() {
            e.limit = None;
            e.neighbours.sort_by(|x, y| x.unit.cmp(&y.unit));
            for n in &mut e.neighbours {
                n.shared_area_m2 = (n.shared_area_m2 * 1e6).round() / 1e6;
            }
        }
    }
    SixToTable {
        unit: units[i].key.clone(),
        directions: dirs,
    }
}

fn entry(limit: Option<f64>) -> DirectionEntry {
    DirectionEntry {
        neighbours: Vec::new(),
        limit,
    }
}

/// The differences between the declared neighbours (`sixto_units`) and the table, per
/// direction: (direction, declared but not found, found but not declared).
pub fn mismatches(unit: &Unit, t: &SixToTable) -> Vec<(Direction, Vec<String>, Vec<String>)> {
    let Some(declared) = &unit.sixto_units else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for d in Direction::ALL {
        let found: Vec<&str> = t
            .get(d)
            .neighbours
            .iter()
            .map(|n| n.unit.as_str())
            .collect();
        let want: Vec<&str> = declared.get(d).iter().map(String::as_str).collect();
        let missing: Vec<String> = want
            .iter()
            .filter(|c| !found.contains(c))
            .map(|c| c.to_string())
            .collect();
        let extra: Vec<String> = found
            .iter()
            .filter(|c| !want.contains(c))
            .map(|c| c.to_string())
            .collect();
        if !missing.is_empty() || !extra.is_empty() {
            out.push((d, missing, extra));
        }
    }
    out
}

/// The declared neighbours the geometry does not confirm, one conflict per unit and
/// direction; `contacts` are every unit's contacts, `subjects` the prepared units.
pub(super) fn mismatch_conflicts(
    units: &[Unit],
    contacts: &[UnitContacts],
    subjects: &[super::Subject],
) -> Vec<Conflict> {
    use rayon::prelude::*;
    units
        .par_iter()
        .enumerate()
        .filter(|(_, u)| u.sixto_units.is_some())
        .flat_map_iter(|(i, u)| {
            let t = table(i, &contacts[i], units, &subjects[i].bbox);
            mismatches(u, &t)
                .into_iter()
                .map(move |(d, missing, extra)| {
                    let mut parts = Vec::new();
                    if !missing.is_empty() {
                        parts.push(format!("declared but not found: {}", missing.join(", ")));
                    }
                    if !extra.is_empty() {
                        parts.push(format!("found but not declared: {}", extra.join(", ")));
                    }
                    let mut c = Conflict::of_unit(
                        ConflictKind::SixtoMismatch,
                        Severity::Error,
                        &u.key,
                        0.0,
                        format!("{} ({}): {}", d.as_str(), d.name_zh(), parts.join("; ")),
                    );
                    c.b = missing.first().or(extra.first()).cloned();
                    c
                })
        })
        .collect()
}
