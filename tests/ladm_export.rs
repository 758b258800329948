//! The LADM tables against hand-computed truth: a box over a triangular prism (sharing
//! 1,250 m² of face), a right transferred once (two versions with their lifespans), read
//! back with SQLite; and the survey table.

mod support;

use rusqlite::Connection;
use strata::export::ladm::write_ladm;
use strata::export::survey_table::{csv, rows};
use strata::register::act::ActBody;
use strata::register::geometry::{PartData, VolumeData};
use strata::register::party::Holders;
use strata::register::{Settings, SqliteRegister};
use support::register::*;

fn register(dir: &std::path::Path) -> SqliteRegister {
    let mut reg = SqliteRegister::create(&dir.join("r.gpkg"), Settings::default()).unwrap();
    registered(&mut reg);
    let triangle = VolumeData {
        parts: vec![PartData::Prism {
            footprint: vec![vec![[0.0, 0.0], [50.0, 0.0], [0.0, 50.0]]],
            bottom: 2.0,
            top: 10.0,
        }],
    };
    rec(
        &mut reg,
        vec![
            act(
                "S3",
                ActBody::Supply {
                    unit: code(3),
                    terms: allocation(0.0, 10.0),
                },
            ),
            act(
                "F3",
                ActBody::FirstRegistration {
                    unit: code(3),
                    surveyed: surveyed(triangle),
                    supply: None,
                },
            ),
            act(
                "T1",
                ActBody::Transfer {
                    unit: code(1),
                    holders: Holders::sole(GOVERNMENT),
                    price: None,
                    buy_back: false,
                },
            ),
        ],
    )
    .unwrap();
    reg
}

#[test]
fn the_ladm_tables_hold_units_rights_with_lifespans_and_relationships() {
    let dir = tempfile::tempdir().unwrap();
    let reg = register(dir.path());
    let path = dir.path().join("ladm.gpkg");
    let counts = write_ladm(&reg, &path).unwrap();
    assert_eq!((counts.units, counts.relationships), (2, 1));
    let c = Connection::open(&path).unwrap();
    let one = |q: &str| -> String { c.query_row(q, [], |r| r.get::<_, String>(0)).unwrap() };
    let n = |q: &str| -> i64 { c.query_row(q, [], |r| r.get(0)).unwrap() };
    assert_eq!(n("SELECT count(*) FROM gpkg_contents"), 9);
    assert_eq!(
        one("SELECT geometry_type_name FROM gpkg_geometry_columns"),
        "MULTIPOLYGON"
    );
    assert_eq!(n("SELECT count(*) FROM la_level"), 3);
    let (su1, su2, rel, area): (String, String, String, f64) = c
        .query_row(
            "SELECT su1, su2, relationship, shared_area_m2 FROM la_requiredrelationshipspatialunit",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
        )
        .unwrap();
    assert_eq!((su1, su2, rel.as_str()), (code(1), code(3), "above"));
    assert!((area - 1250.0).abs() < 1e-6, "{area}");
    let (vol, lower, upper, relation): (f64, f64, f64, String) = c
        .query_row(
            "SELECT volume_m3, lower_m, upper_m, surface_relation FROM la_spatialunit WHERE suid = ?1",
            [code(3)],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
        )
        .unwrap();
    assert_eq!(
        (vol, lower, upper, relation.as_str()),
        (10_000.0, 2.0, 10.0, "belowSurface")
    );
    let blob: Vec<u8> = c
        .query_row(
            "SELECT geom FROM la_spatialunit WHERE suid = ?1",
            [code(1)],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(&blob[..2], b"GP", "a GeoPackage geometry");
    // The box's right: the company's version ended by the transfer, the body's current.
    let mut q = c
        .prepare(
            "SELECT p.party, r.end_lifespan IS NULL FROM la_rrr r JOIN la_rrr_party p
             ON p.rid = r.rid AND p.begin_lifespan = r.begin_lifespan
             WHERE r.baunit = ?1 AND r.class = 'LA_Right' ORDER BY r.begin_lifespan",
        )
        .unwrap();
    let versions: Vec<(String, bool)> = q
        .query_map([code(1)], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    assert_eq!(
        versions,
        [(COMPANY.to_string(), false), (GOVERNMENT.to_string(), true)]
    );
}

#[test]
fn the_survey_table_has_a_row_per_registered_layer() {
    let dir = tempfile::tempdir().unwrap();
    let reg = register(dir.path());
    let table = rows(&reg, None).unwrap();
    assert_eq!(table.len(), 2);
    assert_eq!(table[1].unit_code, code(3));
    assert_eq!(
        (table[1].lower_m, table[1].upper_m, table[1].height_m),
        (2.0, 10.0, 8.0)
    );
    assert_eq!(table[0].holders, "测试区城市管理委员会");
    let text = csv(&table);
    assert_eq!(text.lines().count(), 3);
    assert!(text.contains(",1250.00,10000.00,10.000,2.000,8.000,EPSG:5737,"));
}
