//! GeoPackage export, for QGIS and other GIS: one footprint layer per stratum with the units'
//! attributes, a layer of the units' 3D faces (MultiPolygon Z), and the planning plots. Written
//! in one transaction: a failed export leaves no half-written file.

use std::path::Path;

use gdal::spatial_ref::SpatialRef;
use gdal::vector::{
    Feature, FieldValue, Geometry, LayerAccess, LayerOptions, OGRFieldType, OGRwkbGeometryType,
};
use gdal::{DriverManager, Metadata};
use geo::{Area, MultiPolygon};
use thiserror::Error;

use crate::geometry::algorithm::{BoundingBox3, Footprint, SolidVolume, ToPolyhedra};
use crate::model::{Dataset, Stratum, Unit};

/// Why an export failed.
#[derive(Debug, Error)]
#[non_exhaustive]
pub enum ExportError {
    /// GDAL refused something.
    #[error("{path}: {message}")]
    Gdal {
        /// The file.
        path: String,
        /// What GDAL said.
        message: String,
    },
}

const UNIT_FIELDS: [(&str, OGRFieldType::Type); 16] = [
    ("unit_code", OGRFieldType::OFTString),
    ("stratum", OGRFieldType::OFTString),
    ("name", OGRFieldType::OFTString),
    ("right_type", OGRFieldType::OFTString),
    ("holder", OGRFieldType::OFTString),
    ("use", OGRFieldType::OFTString),
    ("supply_method", OGRFieldType::OFTString),
    ("parent_plot", OGRFieldType::OFTString),
    ("survey_result_code", OGRFieldType::OFTString),
    ("levels", OGRFieldType::OFTString),
    ("z_bottom", OGRFieldType::OFTReal),
    ("z_top", OGRFieldType::OFTReal),
    ("volume_m3", OGRFieldType::OFTReal),
    ("footprint_area_m2", OGRFieldType::OFTReal),
    ("parts", OGRFieldType::OFTInteger),
    ("height_datum", OGRFieldType::OFTString),
];

fn ring_wkt(pts: impl Iterator<Item = String>) -> String {
    let v: Vec<String> = pts.collect();
    let first = v.first().cloned().unwrap_or_default();
    format!("({},{first})", v.join(","))
}

fn multipolygon_wkt(mp: &MultiPolygon<f64>) -> String {
    let polys: Vec<String> =
        mp.0.iter()
            .map(|p| {
                let rings: Vec<String> = std::iter::once(p.exterior())
                    .chain(p.interiors())
                    .map(|r| {
                        let n = r.0.len().saturating_sub(1);
                        ring_wkt(r.0[..n].iter().map(|c| format!("{:.4} {:.4}", c.x, c.y)))
                    })
                    .collect();
                format!("({})", rings.join(","))
            })
            .collect();
    format!("MULTIPOLYGON({})", polys.join(","))
}

fn faces_wkt(u: &Unit) -> String {
    let mut polys = Vec::new();
    for p in u.volume.to_polyhedra() {
        for shell in &p.shells {
            for f in &shell.faces {
                let rings: Vec<String> = f
                    .rings
                    .iter()
                    .map(|r| {
                        ring_wkt(r.iter().map(|&i| {
                            let v = p.vertices[i];
                            format!("{:.4} {:.4} {:.4}", v.x, v.y, v.z)
                        }))
                    })
                    .collect();
                polys.push(format!("({})", rings.join(",")));
            }
        }
    }
    format!("MULTIPOLYGON Z({})", polys.join(","))
}

/// Writes the dataset to a GeoPackage at `path`. The file is written beside it under another
/// name and renamed over `path` only when complete: an existing file is replaced whole or not
/// at all.
pub fn write_gpkg(ds: &Dataset, path: &Path) -> Result<(), ExportError> {
    let err = |m: String| ExportError::Gdal {
        path: path.display().to_string(),
        message: m,
    };
    crate::io::atomic::write_via_temp_path(
        path,
        |tmp| write_layers(ds, tmp).map_err(|e| err(e.to_string())),
        |e| err(e.to_string()),
    )
}

fn write_layers(ds: &Dataset, path: &Path) -> Result<(), gdal::errors::GdalError> {
    let driver = DriverManager::get_driver_by_name("GPKG")?;
    let mut out = driver.create_vector_only(path)?;
    let srs = match ds.frame.crs {
        Some(c) => Some(SpatialRef::from_epsg(c.epsg)?),
        None => None,
    };
    let datum = ds
        .frame
        .height_datum
        .as_ref()
        .map(ToString::to_string)
        .unwrap_or_default();
    let mut tx = out.start_transaction()?;
    let layers: [(&str, Option<Stratum>); 4] = [
        ("units_surface", Some(Stratum::Surface)),
        ("units_above", Some(Stratum::Above)),
        ("units_under", Some(Stratum::Under)),
        ("units_other", None),
    ];
    for (name, stratum) in layers {
        let units: Vec<&Unit> = ds.units.iter().filter(|u| u.stratum == stratum).collect();
        if !units.is_empty() {
            footprint_layer(&mut tx, name, srs.as_ref(), &units, &datum)?;
        }
    }
    faces_layer(&mut tx, srs.as_ref(), &ds.units, &datum)?;
    if !ds.plots.is_empty() {
        plots_layer(&mut tx, srs.as_ref(), &ds.plots)?;
    }
    tx.commit()?;
    out.set_metadata_item("height_datum", &datum, "")?;
    Ok(())
}

type Tx<'a> = gdal::vector::Transaction<'a>;

/// The footprints of the units of one stratum, with their attributes.
fn footprint_layer(
    tx: &mut Tx,
    name: &str,
    srs: Option<&SpatialRef>,
    units: &[&Unit],
    datum: &str,
) -> Result<(), gdal::errors::GdalError> {
    let layer = tx.create_layer(LayerOptions {
        name,
        srs,
        ty: OGRwkbGeometryType::wkbMultiPolygon,
        options: None,
    })?;
    layer.create_defn_fields(&UNIT_FIELDS)?;
    let text = |s: &Option<String>| s.clone().map(FieldValue::StringValue);
    for u in units {
        let mut f = Feature::new(layer.defn())?;
        let b = u.volume.bbox();
        let levels: Vec<String> = u.parts.iter().filter_map(|p| p.level.clone()).collect();
        let values: [(usize, Option<FieldValue>); 16] = [
            (0, Some(FieldValue::StringValue(u.key.clone()))),
            (
                1,
                u.stratum
                    .map(|s| FieldValue::StringValue(s.as_str().into())),
            ),
            (2, text(&u.name)),
            (3, text(&u.right_type)),
            (4, text(&u.holder)),
            (5, text(&u.usage)),
            (
                6,
                u.supply_method
                    .map(|s| FieldValue::StringValue(s.as_str().into())),
            ),
            (7, text(&u.parent_plot)),
            (8, text(&u.survey_result_code)),
            (9, Some(FieldValue::StringValue(levels.join(" ")))),
            (10, Some(FieldValue::RealValue(b.min.z))),
            (11, Some(FieldValue::RealValue(b.max.z))),
            (12, Some(FieldValue::RealValue(u.volume.volume_m3()))),
            (
                13,
                Some(FieldValue::RealValue(u.volume.footprint().unsigned_area())),
            ),
            (
                14,
                Some(FieldValue::IntegerValue(u.volume.parts.len() as i32)),
            ),
            (15, Some(FieldValue::StringValue(datum.to_string()))),
        ];
        for (i, v) in values {
            if let Some(v) = v {
                f.set_field(i, &v)?;
            }
        }
        f.set_geometry(Geometry::from_wkt(&multipolygon_wkt(
            &u.volume.footprint(),
        ))?)?;
        f.create(&layer)?;
    }
    Ok(())
}

/// Every face of every unit, as one MultiPolygon Z per unit.
fn faces_layer(
    tx: &mut Tx,
    srs: Option<&SpatialRef>,
    units: &[Unit],
    datum: &str,
) -> Result<(), gdal::errors::GdalError> {
    let layer = tx.create_layer(LayerOptions {
        name: "units_3d",
        srs,
        ty: OGRwkbGeometryType::wkbMultiPolygon25D,
        options: None,
    })?;
    layer.create_defn_fields(&[
        ("unit_code", OGRFieldType::OFTString),
        ("stratum", OGRFieldType::OFTString),
        ("volume_m3", OGRFieldType::OFTReal),
        ("height_datum", OGRFieldType::OFTString),
    ])?;
    for u in units {
        let mut f = Feature::new(layer.defn())?;
        f.set_field_string(0, &u.key)?;
        if let Some(s) = u.stratum {
            f.set_field_string(1, s.as_str())?;
        }
        f.set_field_double(2, u.volume.volume_m3())?;
        f.set_field_string(3, datum)?;
        f.set_geometry(Geometry::from_wkt(&faces_wkt(u))?)?;
        f.create(&layer)?;
    }
    Ok(())
}

/// The plots.
fn plots_layer(
    tx: &mut Tx,
    srs: Option<&SpatialRef>,
    plots: &[crate::model::Plot],
) -> Result<(), gdal::errors::GdalError> {
    let layer = tx.create_layer(LayerOptions {
        name: "plots",
        srs,
        ty: OGRwkbGeometryType::wkbMultiPolygon,
        options: None,
    })?;
    layer.create_defn_fields(&[
        ("plot_id", OGRFieldType::OFTString),
        ("name", OGRFieldType::OFTString),
        ("land_use", OGRFieldType::OFTString),
        ("ground_elevation", OGRFieldType::OFTReal),
        ("green_space", OGRFieldType::OFTInteger),
    ])?;
    for p in plots {
        let mut f = Feature::new(layer.defn())?;
        f.set_field_string(0, &p.id)?;
        if let Some(n) = &p.name {
            f.set_field_string(1, n)?;
        }
        if let Some(n) = &p.land_use {
            f.set_field_string(2, n)?;
        }
        if let Some(z) = p.ground_elevation {
            f.set_field_double(3, z)?;
        }
        f.set_field_integer(4, p.green_space as i32)?;
        f.set_geometry(Geometry::from_wkt(&multipolygon_wkt(&p.footprint))?)?;
        f.create(&layer)?;
    }
    Ok(())
}
