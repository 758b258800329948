//! The GeoPackage frame of the register file (OGC 12-128r18): the required tables, the
//! spatial reference system, the feature tables' registration, and geometry blobs (a
//! GeoPackage header with the envelope, then ISO WKB).

use geo::MultiPolygon;
use rusqlite::{Connection, params};

use crate::geometry::Volume;
use crate::geometry::algorithm::ToPolyhedra;

/// `GPKG` as the SQLite application id.
pub const APPLICATION_ID: i32 = 0x4750_4B47;
/// GeoPackage 1.2.1: every GDAL since 2.2 reads it without a warning.
pub const USER_VERSION: i32 = 10201;

/// The WKT of a CGCS2000 3-degree Gauss-Krüger zone, for EPSG 4534–4554 (central meridians
/// 75°E to 135°E, no zone prefix in the easting) and 4513–4533 (zones 25 to 45, with the
/// prefix).
fn cgcs2000_gk_wkt(epsg: u32) -> Option<(String, String)> {
    let (cm, false_easting, name) = match epsg {
        4534..=4554 => {
            let cm = 75 + 3 * (epsg - 4534);
            (
                cm,
                500_000.0,
                format!("CGCS2000 / 3-degree Gauss-Kruger CM {cm}E"),
            )
        }
        4513..=4533 => {
            let zone = 25 + (epsg - 4513);
            let cm = 3 * zone;
            (
                cm,
                f64::from(zone) * 1_000_000.0 + 500_000.0,
                format!("CGCS2000 / 3-degree Gauss-Kruger zone {zone}"),
            )
        }
        _ => return None,
    };
    let wkt = format!(
        "PROJCS[\"{name}\",GEOGCS[\"China Geodetic Coordinate System 2000\",\
         DATUM[\"China_2000\",SPHEROID[\"CGCS2000\",6378137,298.257222101,AUTHORITY[\"EPSG\",\"1024\"]],\
         AUTHORITY[\"EPSG\",\"1043\"]],PRIMEM[\"Greenwich\",0,AUTHORITY[\"EPSG\",\"8901\"]],\
         UNIT[\"degree\",0.0174532925199433,AUTHORITY[\"EPSG\",\"9122\"]],AUTHORITY[\"EPSG\",\"4490\"]],\
         PROJECTION[\"Transverse_Mercator\"],PARAMETER[\"latitude_of_origin\",0],\
         PARAMETER[\"central_meridian\",{cm}],PARAMETER[\"scale_factor\",1],\
         PARAMETER[\"false_easting\",{false_easting}],PARAMETER[\"false_northing\",0],\
         UNIT[\"metre\",1,AUTHORITY[\"EPSG\",\"9001\"]],AXIS[\"Northing\",NORTH],AXIS[\"Easting\",EAST],\
         AUTHORITY[\"EPSG\",\"{epsg}\"]]"
    );
    Some((name, wkt))
}

/// Creates the GeoPackage tables and the register's spatial reference system: `epsg` when
/// given (with its definition for the CGCS2000 Gauss-Krüger zones, `undefined` otherwise),
/// else the GeoPackage's undefined Cartesian system (-1).
pub fn create_core(conn: &Connection, epsg: Option<u32>) -> rusqlite::Result<i32> {
    conn.execute_batch(&format!(
        "PRAGMA application_id = {APPLICATION_ID};
         PRAGMA user_version = {USER_VERSION};
         CREATE TABLE gpkg_spatial_ref_sys (
           srs_name TEXT NOT NULL, srs_id INTEGER PRIMARY KEY, organization TEXT NOT NULL,
           organization_coordsys_id INTEGER NOT NULL, definition TEXT NOT NULL, description TEXT);
         CREATE TABLE gpkg_contents (
           table_name TEXT NOT NULL PRIMARY KEY, data_type TEXT NOT NULL,
           identifier TEXT UNIQUE, description TEXT DEFAULT '',
           last_change DATETIME NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
           min_x DOUBLE, min_y DOUBLE, max_x DOUBLE, max_y DOUBLE, srs_id INTEGER,
           CONSTRAINT fk_gc_r_srs_id FOREIGN KEY (srs_id) REFERENCES gpkg_spatial_ref_sys(srs_id));
         CREATE TABLE gpkg_geometry_columns (
           table_name TEXT NOT NULL, column_name TEXT NOT NULL, geometry_type_name TEXT NOT NULL,
           srs_id INTEGER NOT NULL, z TINYINT NOT NULL, m TINYINT NOT NULL,
           CONSTRAINT pk_geom_cols PRIMARY KEY (table_name, column_name),
           CONSTRAINT fk_gc_tn FOREIGN KEY (table_name) REFERENCES gpkg_contents(table_name),
           CONSTRAINT fk_gc_srs FOREIGN KEY (srs_id) REFERENCES gpkg_spatial_ref_sys (srs_id));
         INSERT INTO gpkg_spatial_ref_sys VALUES
           ('Undefined cartesian SRS', -1, 'NONE', -1, 'undefined', 'undefined cartesian coordinate reference system'),
           ('Undefined geographic SRS', 0, 'NONE', 0, 'undefined', 'undefined geographic coordinate reference system'),
           ('WGS 84 geodetic', 4326, 'EPSG', 4326, 'GEOGCS[\"WGS 84\",DATUM[\"WGS_1984\",SPHEROID[\"WGS 84\",6378137,298.257223563,AUTHORITY[\"EPSG\",\"7030\"]],AUTHORITY[\"EPSG\",\"6326\"]],PRIMEM[\"Greenwich\",0,AUTHORITY[\"EPSG\",\"8901\"]],UNIT[\"degree\",0.0174532925199433,AUTHORITY[\"EPSG\",\"9122\"]],AXIS[\"Latitude\",NORTH],AXIS[\"Longitude\",EAST],AUTHORITY[\"EPSG\",\"4326\"]]', 'longitude/latitude coordinates in decimal degrees on the WGS 84 spheroid');"
    ))?;
    let Some(code) = epsg else { return Ok(-1) };
    if code == 4326 {
        return Ok(4326);
    }
    let (name, wkt) =
        cgcs2000_gk_wkt(code).unwrap_or_else(|| (format!("EPSG:{code}"), "undefined".into()));
    conn.execute(
        "INSERT INTO gpkg_spatial_ref_sys VALUES (?1, ?2, 'EPSG', ?2, ?3, NULL)",
        params![name, code, wkt],
    )?;
    Ok(code as i32)
}

/// Registers a feature table in `gpkg_contents` and `gpkg_geometry_columns`.
pub fn register_features(
    conn: &Connection,
    table: &str,
    description: &str,
    geometry_type: &str,
    srs_id: i32,
    z: bool,
) -> rusqlite::Result<()> {
    conn.execute(
        "INSERT INTO gpkg_contents (table_name, data_type, identifier, description, srs_id)
         VALUES (?1, 'features', ?1, ?2, ?3)",
        params![table, description, srs_id],
    )?;
    conn.execute(
        "INSERT INTO gpkg_geometry_columns VALUES (?1, 'geom', ?2, ?3, ?4, 0)",
        params![table, geometry_type, srs_id, i32::from(z)],
    )?;
    Ok(())
}

/// Registers an attribute table (no geometry) in `gpkg_contents`.
pub fn register_attributes(
    conn: &Connection,
    table: &str,
    description: &str,
) -> rusqlite::Result<()> {
    conn.execute(
        "INSERT INTO gpkg_contents (table_name, data_type, identifier, description)
         VALUES (?1, 'attributes', ?1, ?2)",
        params![table, description],
    )?;
    Ok(())
}

/// A geometry blob: the GeoPackage header (magic, version 0, little-endian, envelope) and
/// the ISO WKB.
fn blob(srs_id: i32, envelope: &[f64], wkb: &[u8]) -> Vec<u8> {
    let indicator: u8 = if envelope.len() == 6 { 2 } else { 1 };
    let mut out = Vec::with_capacity(8 + 8 * envelope.len() + wkb.len());
    out.extend_from_slice(b"GP");
    out.push(0);
    out.push((indicator << 1) | 1);
    out.extend_from_slice(&srs_id.to_le_bytes());
    for v in envelope {
        out.extend_from_slice(&v.to_le_bytes());
    }
    out.extend_from_slice(wkb);
    out
}

fn header(out: &mut Vec<u8>, kind: u32, count: usize) {
    out.push(1);
    out.extend_from_slice(&kind.to_le_bytes());
    out.extend_from_slice(&(count as u32).to_le_bytes());
}

/// A `MultiPolygon` footprint as ISO WKB, with its envelope `[minx, maxx, miny, maxy]`.
pub fn footprint_wkb(mp: &MultiPolygon<f64>) -> (Vec<u8>, [f64; 4]) {
    let (mut x0, mut y0, mut x1, mut y1) = (f64::MAX, f64::MAX, f64::MIN, f64::MIN);
    let mut wkb = Vec::new();
    header(&mut wkb, 6, mp.0.len());
    for p in &mp.0 {
        let rings: Vec<_> = std::iter::once(p.exterior()).chain(p.interiors()).collect();
        header(&mut wkb, 3, rings.len());
        for r in rings {
            wkb.extend_from_slice(&(r.0.len() as u32).to_le_bytes());
            for c in &r.0 {
                (x0, y0, x1, y1) = (x0.min(c.x), y0.min(c.y), x1.max(c.x), y1.max(c.y));
                wkb.extend_from_slice(&c.x.to_le_bytes());
                wkb.extend_from_slice(&c.y.to_le_bytes());
            }
        }
    }
    (wkb, [x0, x1, y0, y1])
}

/// A `MultiPolygon` footprint as a GeoPackage geometry.
pub fn footprint_blob(srs_id: i32, mp: &MultiPolygon<f64>) -> Vec<u8> {
    let (wkb, e) = footprint_wkb(mp);
    blob(srs_id, &e, &wkb)
}

/// The faces of a volume's polyhedra as ISO WKB `MultiPolygon Z`, with its envelope
/// `[minx, maxx, miny, maxy, minz, maxz]`.
pub fn faces_wkb(v: &Volume) -> (Vec<u8>, [f64; 6]) {
    let polys = v.to_polyhedra();
    let mut e = [f64::MAX, f64::MIN, f64::MAX, f64::MIN, f64::MAX, f64::MIN];
    let mut faces = Vec::new();
    let mut n = 0;
    for p in &polys {
        for f in p.shells.iter().flat_map(|s| &s.faces) {
            n += 1;
            header(&mut faces, 1003, f.rings.len());
            for r in &f.rings {
                faces.extend_from_slice(&(r.len() as u32 + 1).to_le_bytes());
                for &i in r.iter().chain(r.first()) {
                    let q = p.vertices[i];
                    for (k, c) in [q.x, q.y, q.z].into_iter().enumerate() {
                        e[2 * k] = e[2 * k].min(c);
                        e[2 * k + 1] = e[2 * k + 1].max(c);
                        faces.extend_from_slice(&c.to_le_bytes());
                    }
                }
            }
        }
    }
    let mut wkb = Vec::with_capacity(faces.len() + 9);
    header(&mut wkb, 1006, n);
    wkb.extend_from_slice(&faces);
    (wkb, e)
}

/// The faces of a volume's polyhedra as a `MultiPolygon Z` GeoPackage geometry.
pub fn faces_blob(srs_id: i32, v: &Volume) -> Vec<u8> {
    let (wkb, e) = faces_wkb(v);
    blob(srs_id, &e, &wkb)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_gauss_kruger_zone_of_tongzhou_is_cm_117() {
        let (name, wkt) = cgcs2000_gk_wkt(4548).unwrap();
        assert_eq!(name, "CGCS2000 / 3-degree Gauss-Kruger CM 117E");
        assert!(wkt.contains("PARAMETER[\"central_meridian\",117]"));
        let (name, wkt) = cgcs2000_gk_wkt(4527).unwrap();
        assert_eq!(name, "CGCS2000 / 3-degree Gauss-Kruger zone 39");
        assert!(wkt.contains("PARAMETER[\"false_easting\",39500000]"));
    }
}
