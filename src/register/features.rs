//! The GeoPackage register's current layers for GIS: one footprint layer per stratum with the live
//! rights' attributes, the 3D faces of the registered volumes, and the plots. They are kept
//! with every act, in its transaction, from the live records.

use rusqlite::{Connection, params};

use crate::model::Stratum;

use super::geometry::multipolygon;
use super::gpkg;
use super::layers::{UnitFeature, stratum_of, unit_columns};
use super::record::PlotRecord;

/// The footprint layer of each stratum.
pub const LAYERS: [(Stratum, &str, &str); 3] = [
    (
        Stratum::Above,
        "register_units_above",
        "Live layers above ground (地上): footprints and rights",
    ),
    (
        Stratum::Surface,
        "register_units_surface",
        "Live layers on the surface (地表): footprints and rights",
    ),
    (
        Stratum::Under,
        "register_units_under",
        "Live layers under ground (地下): footprints and rights",
    ),
];

/// The 3D faces layer.
pub const FACES: &str = "register_unit_faces";
/// The plots layer.
pub const PLOTS: &str = "register_plots";

const UNIT_COLUMNS: &str = "fid INTEGER PRIMARY KEY AUTOINCREMENT, geom MULTIPOLYGON,
    unit_code TEXT NOT NULL UNIQUE, name TEXT, plot TEXT, holders TEXT, holder_ids TEXT,
    right_type TEXT, nature TEXT, usage TEXT, term_start TEXT, term_end TEXT,
    lower_bound REAL, upper_bound REAL, height_diff REAL, z_min REAL, z_max REAL,
    volume_m3 REAL, footprint_m2 REAL, certificate TEXT, mortgages INTEGER, seizures INTEGER,
    height_datum TEXT";

/// Creates the layers.
pub fn create(conn: &Connection, srs_id: i32) -> rusqlite::Result<()> {
    for (_, table, description) in LAYERS {
        conn.execute_batch(&format!("CREATE TABLE {table} ({UNIT_COLUMNS});"))?;
        gpkg::register_features(conn, table, description, "MULTIPOLYGON", srs_id, false)?;
    }
    conn.execute_batch(&format!(
        "CREATE TABLE {FACES} (fid INTEGER PRIMARY KEY AUTOINCREMENT, geom MULTIPOLYGONZ,
           unit_code TEXT NOT NULL UNIQUE, stratum TEXT, z_min REAL, z_max REAL);
         CREATE TABLE {PLOTS} (fid INTEGER PRIMARY KEY AUTOINCREMENT, geom MULTIPOLYGON,
           plot_id TEXT NOT NULL UNIQUE, name TEXT, land_use TEXT, ground REAL, green_space INTEGER);"
    ))?;
    gpkg::register_features(
        conn,
        FACES,
        "Faces of the live registered volumes (3D)",
        "MULTIPOLYGON",
        srs_id,
        true,
    )?;
    gpkg::register_features(conn, PLOTS, "Planning plots", "MULTIPOLYGON", srs_id, false)
}

/// The layer of a stratum.
fn table(s: Stratum) -> &'static str {
    LAYERS
        .iter()
        .find(|l| l.0 == s)
        .map_or(LAYERS[1].1, |l| l.1)
}

/// Writes the features of unit `code`: removed, then `f` when it is registered.
pub fn write_unit(
    conn: &Connection,
    code: &str,
    f: Option<&UnitFeature>,
    srs_id: i32,
    datum: &str,
) -> rusqlite::Result<()> {
    let layer = table(stratum_of(code));
    conn.prepare_cached(&format!("DELETE FROM {layer} WHERE unit_code = ?1"))?
        .execute([code])?;
    conn.prepare_cached(&format!("DELETE FROM {FACES} WHERE unit_code = ?1"))?
        .execute([code])?;
    let Some(f) = f else { return Ok(()) };
    let columns = unit_columns();
    let mut st = conn.prepare_cached(&format!(
        "INSERT INTO {} (geom, unit_code, {columns}, certificate, mortgages, seizures, height_datum)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18,
           ?19, ?20, ?21, ?22)",
        table(f.stratum)
    ))?;
    let mut values: Vec<rusqlite::types::Value> = vec![
        gpkg::footprint_blob(srs_id, &f.footprint).into(),
        f.code.clone().into(),
    ];
    values.extend(f.text.iter().map(|t| t.clone().into()));
    values.extend(f.numbers.iter().map(|n| (*n).into()));
    values.push(f.certificate.clone().into());
    values.push(f.mortgages.into());
    values.push(f.seizures.into());
    values.push(datum.to_string().into());
    st.execute(rusqlite::params_from_iter(values))?;
    conn.prepare_cached(&format!(
        "INSERT INTO {FACES} (geom, unit_code, stratum, z_min, z_max) VALUES (?1, ?2, ?3, ?4, ?5)"
    ))?
    .execute(params![
        gpkg::faces_blob(srs_id, &f.volume),
        code,
        f.stratum.to_string(),
        f.numbers[3],
        f.numbers[4]
    ])?;
    Ok(())
}

/// Rewrites the feature of plot `id`: removed, then `p` when it is live.
pub fn write_plot(
    conn: &Connection,
    id: &str,
    p: Option<&PlotRecord>,
    srs_id: i32,
) -> rusqlite::Result<()> {
    conn.prepare_cached(&format!("DELETE FROM {PLOTS} WHERE plot_id = ?1"))?
        .execute([id])?;
    if let Some(p) = p {
        insert_plot(conn, p, srs_id)?;
    }
    Ok(())
}

fn insert_plot(conn: &Connection, p: &PlotRecord, srs_id: i32) -> rusqlite::Result<()> {
    conn.prepare_cached(&format!(
        "INSERT INTO {PLOTS} (geom, plot_id, name, land_use, ground, green_space)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)"
    ))?
    .execute(params![
        gpkg::footprint_blob(srs_id, &multipolygon(&p.footprint)),
        p.id,
        p.name,
        p.land_use,
        p.ground,
        p.green_space
    ])?;
    Ok(())
}

/// The units whose features show party `id` (as a holder), to refresh on a rename.
pub fn units_held_by(conn: &Connection, id: &str) -> rusqlite::Result<Vec<String>> {
    let mut st = conn.prepare_cached(
        "SELECT DISTINCT v.unit FROM strata_holding h JOIN strata_version v ON v.id = h.version
         WHERE h.party = ?1 AND v.end_seq IS NULL AND v.kind = 'right'",
    )?;
    let rows = st.query_map([id], |r| r.get::<_, String>(0))?;
    rows.collect()
}
