//! Applying the requested reprojection and height offsets to one file just read, before its
//! units join the dataset.

use std::path::Path;

use serde_json::Value;

use crate::geometry::algorithm::{BoundingBox3, MapCoords3};
use crate::model::frame::HeightDatum;

use super::detect::FileContent;
use super::error::ImportError;
use super::options::ImportOptions;
use super::profile::{Extent, RawPart};
use super::transform::{HorizontalTarget, Reprojection, gauss_kruger_3_degree, longitude_of};

/// Longitude/latitude in degrees with no CRS named: WGS 84, as RFC 7946 defines GeoJSON.
const RFC7946_CRS: u32 = 4326;

fn crs_error(path: &Path, message: String) -> ImportError {
    ImportError::Crs {
        path: path.to_path_buf(),
        message,
    }
}

fn looks_like_degrees(e: &Extent) -> bool {
    e.min[0] >= -180.0 && e.max[0] <= 180.0 && e.min[1] >= -90.0 && e.max[1] <= 90.0
}

/// The horizontal extent of what the file holds.
fn extent_of(content: &FileContent, pending: &[RawPart]) -> Option<Extent> {
    let mut e: Option<Extent> = None;
    let mut grow = |x: f64, y: f64| Extent::grow(&mut e, x, y);
    for p in pending.iter().flat_map(|r| &r.parts) {
        let b = p.bbox();
        grow(b.min.x, b.min.y);
        grow(b.max.x, b.max.y);
    }
    match content {
        FileContent::Profile(g) => {
            use geo::BoundingRect;
            for p in &g.plots {
                if let Some(r) = p.footprint.bounding_rect() {
                    grow(r.min().x, r.min().y);
                    grow(r.max().x, r.max().y);
                }
            }
        }
        FileContent::City(c) => {
            for g in c.objects.iter().flat_map(|o| &o.geometries) {
                if let Ok(p) = &g.primitive {
                    for s in p.solids() {
                        for v in &s.vertices {
                            grow(v.x, v.y);
                        }
                    }
                }
            }
        }
    }
    e
}

/// Reprojects the file into the requested CRS. `chosen` keeps the zone picked for `auto` so
/// that every file of the dataset lands in the same one. Returns whether anything moved.
pub(super) fn reproject(
    path: &Path,
    content: &mut FileContent,
    pending: &mut [RawPart],
    opts: &ImportOptions,
    chosen: &mut Option<u32>,
) -> Result<bool, ImportError> {
    let Some(target) = opts.reproject else {
        return Ok(false);
    };
    let declared = match content {
        FileContent::Profile(g) => g.crs,
        FileContent::City(c) => c.crs,
    };
    let extent = extent_of(content, pending);
    let source = declared.or(opts.crs).or_else(|| {
        extent
            .as_ref()
            .filter(|e| looks_like_degrees(e))
            .map(|_| RFC7946_CRS)
    });
    let Some(source) = source else {
        return Err(crs_error(
            path,
            "cannot reproject: the file names no CRS and its coordinates are not longitude/latitude; name its CRS with --crs".into(),
        ));
    };
    let to = match target {
        HorizontalTarget::Epsg(n) => n,
        HorizontalTarget::Auto => match *chosen {
            Some(z) => z,
            None => {
                let Some(e) = &extent else { return Ok(false) };
                let (cx, cy) = ((e.min[0] + e.max[0]) / 2.0, (e.min[1] + e.max[1]) / 2.0);
                let lon = longitude_of(source, cx, cy).map_err(|m| crs_error(path, m))?;
                gauss_kruger_3_degree(lon).ok_or_else(|| {
                    crs_error(
                        path,
                        format!(
                            "--reproject auto picks a CGCS2000 Gauss-Krüger zone, but the data lies at {lon:.3}°E, outside China's zones (75°E–135°E): give --reproject EPSG:<code>"
                        ),
                    )
                })?
            }
        },
    };
    *chosen = Some(to);
    if source == to {
        return Ok(false);
    }
    let r = Reprojection::new(source, to).map_err(|m| crs_error(path, m))?;
    let mut failure: Option<String> = None;
    let mut f = |x: f64, y: f64| match r.apply(x, y) {
        Ok(p) => p,
        Err(e) => {
            failure.get_or_insert(e);
            (f64::NAN, f64::NAN)
        }
    };
    for p in pending.iter_mut().flat_map(|r| &mut r.parts) {
        p.map_xy(&mut f);
    }
    match content {
        FileContent::Profile(g) => {
            for p in &mut g.plots {
                p.footprint.map_xy(&mut f);
            }
            g.crs = Some(to);
        }
        FileContent::City(c) => {
            for g in c.objects.iter_mut().flat_map(|o| &mut o.geometries) {
                if let Ok(p) = &mut g.primitive {
                    p.map_xy(&mut f);
                }
            }
            c.crs = Some(to);
        }
    }
    if let Some(m) = failure {
        return Err(crs_error(
            path,
            format!("reprojecting EPSG:{source} to EPSG:{to}: {m}"),
        ));
    }
    let moved = extent_of(content, pending);
    if let FileContent::Profile(g) = content {
        g.extent = moved;
    }
    Ok(true)
}

/// Moves the heights given in a datum with a declared offset into the dataset's datum
/// (`--height-datum`), relabelling them.
pub(super) fn offset_heights(
    path: &Path,
    content: &mut FileContent,
    pending: &mut [RawPart],
    opts: &ImportOptions,
) -> Result<(), ImportError> {
    if opts.height_offsets.is_empty() {
        return Ok(());
    }
    let Some(target) = opts.height_datum.as_deref() else {
        return Err(crs_error(
            path,
            "height offsets need --height-datum: the datum the offset heights are in".into(),
        ));
    };
    let target_datum = HeightDatum::parse(target);
    let offset = |d: &HeightDatum| {
        opts.height_offsets
            .iter()
            .find(|o| &o.from == d && *d != target_datum)
            .map(|o| o.metres)
    };
    let own = |props: &serde_json::Map<String, Value>| {
        props
            .get("height_datum")
            .and_then(Value::as_str)
            .map(HeightDatum::parse)
    };
    match content {
        FileContent::Profile(g) => {
            let file_datum = g
                .height_datum
                .as_deref()
                .map(HeightDatum::parse)
                .or(g.vertical.map(HeightDatum::Epsg));
            for raw in pending.iter_mut() {
                let d = own(&raw.properties).or(file_datum.clone());
                if let Some(dz) = d.as_ref().and_then(offset) {
                    raw.parts.iter_mut().for_each(|p| p.shift_z(dz));
                    raw.properties
                        .insert("height_datum".into(), Value::String(target.to_string()));
                }
            }
            if let Some(dz) = file_datum.as_ref().and_then(offset) {
                for p in &mut g.plots {
                    p.ground_elevation = p.ground_elevation.map(|z| z + dz);
                }
                g.ground_elevation = g.ground_elevation.map(|z| z + dz);
                g.height_datum = Some(target.to_string());
                g.vertical = None;
            }
        }
        FileContent::City(c) => {
            let file_datum = c.vertical.map(HeightDatum::Epsg);
            for o in &mut c.objects {
                let d = own(&o.attributes).or(file_datum.clone());
                if let Some(dz) = d.as_ref().and_then(offset) {
                    for g in &mut o.geometries {
                        if let Ok(p) = &mut g.primitive {
                            p.shift_z(dz);
                        }
                    }
                    o.attributes
                        .insert("height_datum".into(), Value::String(target.to_string()));
                }
            }
            if file_datum.as_ref().and_then(offset).is_some() {
                c.vertical = None;
            }
        }
    }
    Ok(())
}
