//! The register as LADM tables (ISO 19152) in a GeoPackage: parties, basic administrative
//! units, rights, restrictions (mortgages and seizures) with their shares and sources, the
//! spatial units with their volume and surface relation, the levels (地上, 地表, 地下), and the
//! required relationships between spatial units (above, below, touches) with the area they
//! share. Every row of the register's history keeps its lifespan (`begin_lifespan`,
//! `end_lifespan`, from the acts that opened and closed it).

use std::collections::HashMap;
use std::path::Path;

use rusqlite::{Connection, params};

use crate::checks::{Subject, relate};
use crate::geometry::Aabb;
use crate::geometry::Point3;
use crate::geometry::algorithm::{BoundingBox3, Footprint, SolidVolume};
use crate::model::{Direction, Stratum};
use crate::register::gpkg::{create_core, faces_blob, register_attributes, register_features};
use crate::register::record::{Kind, Record, Version};
use crate::register::{RegisterError, Store};

/// The tables, with what each holds.
pub const TABLES: [(&str, &str); 9] = [
    ("la_party", "LA_Party: holders, mortgagees"),
    ("la_baunit", "LA_BAUnit: one per registered layer"),
    (
        "la_rrr",
        "LA_RRR: rights (LA_Right), mortgages (LA_Mortgage) and seizures (LA_Restriction)",
    ),
    (
        "la_rrr_party",
        "which party holds which RRR, with its share",
    ),
    (
        "la_source",
        "LA_AdministrativeSource: contracts, decisions, court orders, survey results",
    ),
    ("la_level", "LA_Level: the three layers"),
    (
        "la_spatialunit",
        "LA_SpatialUnit: the registered volumes (3D faces)",
    ),
    (
        "la_requiredrelationshipspatialunit",
        "LA_RequiredRelationshipSpatialUnit: above, below, touches",
    ),
    (
        "la_baunit_spatialunit",
        "which spatial unit a BAUnit is made of",
    ),
];

const SCHEMA: &str = "
CREATE TABLE la_party (pid TEXT PRIMARY KEY, name TEXT NOT NULL, type TEXT NOT NULL);
CREATE TABLE la_baunit (uid TEXT PRIMARY KEY, name TEXT, type TEXT NOT NULL,
  begin_lifespan TEXT, end_lifespan TEXT);
CREATE TABLE la_rrr (rid TEXT NOT NULL, class TEXT NOT NULL, type TEXT NOT NULL,
  baunit TEXT NOT NULL, description TEXT, share_check INTEGER, begin_lifespan TEXT,
  end_lifespan TEXT, certificate TEXT);
CREATE TABLE la_rrr_party (rid TEXT NOT NULL, begin_lifespan TEXT, party TEXT NOT NULL,
  share TEXT);
CREATE TABLE la_source (sid TEXT PRIMARY KEY, type TEXT NOT NULL, title TEXT,
  acceptance TEXT, issuer TEXT);
CREATE TABLE la_level (lid TEXT PRIMARY KEY, name TEXT NOT NULL, structure TEXT NOT NULL,
  type TEXT NOT NULL);
CREATE TABLE la_spatialunit (fid INTEGER PRIMARY KEY, suid TEXT NOT NULL UNIQUE,
  level TEXT NOT NULL, surface_relation TEXT NOT NULL, volume_m3 DOUBLE, area_m2 DOUBLE,
  lower_m DOUBLE, upper_m DOUBLE, height_datum TEXT, begin_lifespan TEXT,
  end_lifespan TEXT, geom BLOB);
CREATE TABLE la_requiredrelationshipspatialunit (su1 TEXT NOT NULL, su2 TEXT NOT NULL,
  relationship TEXT NOT NULL, direction TEXT NOT NULL, shared_area_m2 DOUBLE,
  begin_lifespan TEXT);
CREATE TABLE la_baunit_spatialunit (baunit TEXT NOT NULL, spatialunit TEXT NOT NULL);
";

/// A shared face smaller than this (m²) is a touching edge, not a relationship.
pub const MIN_SHARED_M2: f64 = 0.01;

/// Why the tables could not be written.
#[derive(Debug, thiserror::Error)]
pub enum LadmError {
    /// The register could not be read.
    #[error(transparent)]
    Register(#[from] RegisterError),
    /// The GeoPackage could not be written.
    #[error("{path}: {detail}")]
    Write {
        /// The file.
        path: String,
        /// Why.
        detail: String,
    },
}

/// Writes the LADM tables of the register's registered units into a new GeoPackage `path`
/// (whole or not at all).
pub fn write_ladm<S: Store + ?Sized>(reg: &S, path: &Path) -> Result<LadmCounts, LadmError> {
    let bad = |detail: String| LadmError::Write {
        path: path.display().to_string(),
        detail,
    };
    let mut counts = LadmCounts::default();
    crate::io::atomic::write_via_temp_path(
        path,
        |tmp| {
            let conn = Connection::open(tmp).map_err(|e| bad(e.to_string()))?;
            counts = fill(reg, &conn).map_err(|e| match e {
                Fill::Register(r) => LadmError::Register(r),
                Fill::Sql(e) => bad(e.to_string()),
            })?;
            conn.close().map_err(|(_, e)| bad(e.to_string()))
        },
        |e| bad(e.to_string()),
    )?;
    Ok(counts)
}

/// What stopped the filling of the tables.
enum Fill {
    Register(RegisterError),
    Sql(rusqlite::Error),
}

impl From<RegisterError> for Fill {
    fn from(e: RegisterError) -> Fill {
        Fill::Register(e)
    }
}

/// How many rows the main tables got.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct LadmCounts {
    /// Parties.
    pub parties: usize,
    /// BAUnits (and spatial units).
    pub units: usize,
    /// RRRs, every version.
    pub rrrs: usize,
    /// Required relationships.
    pub relationships: usize,
}

fn sql(e: rusqlite::Error) -> Fill {
    Fill::Sql(e)
}

fn fill<S: Store + ?Sized>(reg: &S, conn: &Connection) -> Result<LadmCounts, Fill> {
    let srs = create_core(conn, reg.settings().crs_epsg).map_err(sql)?;
    conn.execute_batch("BEGIN;").map_err(sql)?;
    conn.execute_batch(SCHEMA).map_err(sql)?;
    for (t, d) in TABLES {
        if t == "la_spatialunit" {
            register_features(conn, t, d, "MULTIPOLYGON", srs, true).map_err(sql)?;
        } else {
            register_attributes(conn, t, d).map_err(sql)?;
        }
    }
    for s in [Stratum::Above, Stratum::Surface, Stratum::Under] {
        conn.execute(
            "INSERT INTO la_level VALUES (?1, ?2, 'layered', 'primaryRight')",
            params![s.as_str(), s.name_zh()],
        )
        .map_err(sql)?;
    }
    let mut times = Times::default();
    let mut counts = LadmCounts::default();
    for (_, r) in reg.live_of_kind(Kind::Party)? {
        if let Record::Party(p) = r {
            conn.execute(
                "INSERT INTO la_party VALUES (?1, ?2, ?3)",
                params![p.id, p.name, p.kind.as_str()],
            )
            .map_err(sql)?;
            counts.parties += 1;
        }
    }
    for (_, r) in reg.live_of_kind(Kind::Source)? {
        if let Record::Source(s) = r {
            conn.execute(
                "INSERT INTO la_source VALUES (?1, ?2, ?3, ?4, ?5)",
                params![
                    s.id,
                    s.kind.as_str(),
                    s.title,
                    s.date.map(|d| d.to_string()),
                    s.issuer
                ],
            )
            .map_err(sql)?;
        }
    }
    let units: Vec<_> = super::registered_units(reg, None)?
        .into_iter()
        .filter_map(|u| {
            let v = u.volume.as_ref()?.to_volume();
            Some((u.code, u.stratum, u.name, v))
        })
        .collect();
    for (code, stratum, name, volume) in &units {
        counts.rrrs += unit_rows(
            reg,
            conn,
            srs,
            (code, *stratum, name.as_deref(), volume),
            &mut times,
        )?;
        counts.units += 1;
    }
    counts.relationships = relationships(reg, conn, &units, &mut times)?;
    conn.execute_batch("COMMIT;").map_err(sql)?;
    Ok(counts)
}

/// A unit's BAUnit, spatial unit and RRR rows; returns how many RRR versions.
fn unit_rows<S: Store + ?Sized>(
    reg: &S,
    conn: &Connection,
    srs: i32,
    (code, stratum, name, volume): (&str, Stratum, Option<&str>, &crate::geometry::Volume),
    times: &mut Times,
) -> Result<usize, Fill> {
    let versions = reg.unit_versions(code)?;
    let begin = versions
        .iter()
        .find(|v| v.kind == Kind::Unit)
        .map(|v| v.begin)
        .map(|s| times.at(reg, s))
        .transpose()?
        .flatten();
    conn.execute(
        "INSERT INTO la_baunit VALUES (?1, ?2, 'layered land-use unit', ?3, NULL)",
        params![code, name, begin],
    )
    .map_err(sql)?;
    let b = volume.bbox();
    let relation = match stratum {
        Stratum::Above => "aboveSurface",
        Stratum::Surface => "onSurface",
        Stratum::Under => "belowSurface",
    };
    conn.execute(
        "INSERT INTO la_spatialunit (suid, level, surface_relation, volume_m3, area_m2,
           lower_m, upper_m, height_datum, begin_lifespan, end_lifespan, geom)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, NULL, ?10)",
        params![
            code,
            stratum.as_str(),
            relation,
            volume.volume_m3(),
            geo::Area::unsigned_area(&volume.footprint()),
            b.min.z,
            b.max.z,
            reg.settings().height_datum,
            begin,
            faces_blob(srs, volume)
        ],
    )
    .map_err(sql)?;
    conn.execute(
        "INSERT INTO la_baunit_spatialunit VALUES (?1, ?1)",
        params![code],
    )
    .map_err(sql)?;
    rrrs(reg, conn, code, &versions, times)
}

/// The moments of acts, read once each.
#[derive(Default)]
struct Times(HashMap<u64, Option<String>>);

impl Times {
    fn at<S: Store + ?Sized>(
        &mut self,
        reg: &S,
        seq: u64,
    ) -> Result<Option<String>, RegisterError> {
        if let Some(t) = self.0.get(&seq) {
            return Ok(t.clone());
        }
        let t = reg
            .entries(seq, seq)?
            .first()
            .map(|e| e.recorded_at.to_string());
        self.0.insert(seq, t.clone());
        Ok(t)
    }
}

/// Every version of the unit's rights, mortgages and seizures.
fn rrrs<S: Store + ?Sized>(
    reg: &S,
    conn: &Connection,
    code: &str,
    versions: &[Version],
    times: &mut Times,
) -> Result<usize, Fill> {
    let mut n = 0;
    for v in versions {
        let begin = times.at(reg, v.begin)?;
        let end = v.end.map(|e| times.at(reg, e)).transpose()?.flatten();
        let (class, ty, description, certificate, holders) = match &v.record {
            Record::Right(r) => (
                "LA_Right",
                r.right_type.clone(),
                format!("{} · {}", r.nature.name_zh(), r.usage),
                Some(r.certificate.clone()),
                r.holders
                    .holdings
                    .iter()
                    .map(|h| (h.party.clone(), h.share.map(|s| s.to_string())))
                    .collect::<Vec<_>>(),
            ),
            Record::Mortgage(m) => (
                "LA_Mortgage",
                "抵押权".to_string(),
                format!("{:.2} 元", m.amount),
                Some(m.certificate.clone()),
                vec![(m.mortgagee.clone(), None)],
            ),
            Record::Seizure(s) => (
                "LA_Restriction",
                "查封".to_string(),
                format!("{} {} {} 至 {}", s.court, s.document, s.start, s.end),
                None,
                vec![],
            ),
            _ => continue,
        };
        conn.execute(
            "INSERT INTO la_rrr VALUES (?1, ?2, ?3, ?4, ?5, 1, ?6, ?7, ?8)",
            params![v.key, class, ty, code, description, begin, end, certificate],
        )
        .map_err(sql)?;
        for (party, share) in holders {
            conn.execute(
                "INSERT INTO la_rrr_party VALUES (?1, ?2, ?3, ?4)",
                params![v.key, begin, party, share],
            )
            .map_err(sql)?;
        }
        n += 1;
    }
    Ok(n)
}

/// Above, below and touches between registered units sharing a face.
fn relationships<S: Store + ?Sized>(
    reg: &S,
    conn: &Connection,
    units: &[(String, Stratum, Option<String>, crate::geometry::Volume)],
    times: &mut Times,
) -> Result<usize, Fill> {
    let snap = reg.settings().snap;
    let by_code: HashMap<&str, usize> = units
        .iter()
        .enumerate()
        .map(|(i, u)| (u.0.as_str(), i))
        .collect();
    let mut n = 0;
    for (i, (code, _, _, volume)) in units.iter().enumerate() {
        let b = volume.bbox();
        let near = Aabb {
            min: Point3::new(b.min.x - snap, b.min.y - snap, b.min.z - snap),
            max: Point3::new(b.max.x + snap, b.max.y + snap, b.max.z + snap),
        };
        let me = Subject::new(i, volume);
        for other in reg.registered_meeting(&near)? {
            let Some(&j) = by_code.get(other.code.as_str()) else {
                continue;
            };
            if j <= i {
                continue;
            }
            let them = Subject::new(j, &units[j].3);
            for c in relate(&me, &them, snap).contacts {
                if c.area < MIN_SHARED_M2 {
                    continue;
                }
                let relationship = match c.direction {
                    Direction::Up => "below",
                    Direction::Down => "above",
                    _ => "touches",
                };
                let begin = [code.as_str(), units[j].0.as_str()]
                    .iter()
                    .filter_map(|c| reg.unit_versions(c).ok())
                    .filter_map(|v| v.iter().find(|v| v.kind == Kind::Unit).map(|v| v.begin))
                    .max();
                let begin = begin.map(|s| times.at(reg, s)).transpose()?.flatten();
                conn.execute(
                    "INSERT INTO la_requiredrelationshipspatialunit VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                    params![code, units[j].0, relationship, c.direction.as_str(), c.area, begin],
                )
                .map_err(sql)?;
                n += 1;
            }
        }
    }
    Ok(n)
}
