//! Writing generated districts: the GeoJSON survey profile (small districts), FlatGeobuf
//! (large ones: the same features and properties in a binary, indexed file that GDAL and QGIS
//! read), CSV with WKT (for loading into a database), and the injected conflicts as JSON.

use std::io::Write;

use crate::io::atomic::write_atomically;
use std::path::Path;

use flatgeobuf::{ColumnType, FgbCrs, FgbWriter, FgbWriterOptions, GeometryType};
use geozero::{ColumnValue, PropertyProcessor};

use super::{District, rect_polygon};

/// Why writing failed.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum WriteError {
    /// The file could not be written.
    #[error("{path}: {source}")]
    Io {
        /// The file.
        path: String,
        /// The system error.
        source: std::io::Error,
    },
    /// The FlatGeobuf encoder failed.
    #[error("{path}: {message}")]
    Encode {
        /// The file.
        path: String,
        /// What it said.
        message: String,
    },
    /// The extension names no format Strata writes.
    #[error("{path}: unknown format; use .geojson, .fgb or .csv")]
    UnknownFormat {
        /// The file.
        path: String,
    },
}

fn io(path: &Path) -> impl Fn(std::io::Error) -> WriteError + '_ {
    move |source| WriteError::Io {
        path: path.display().to_string(),
        source,
    }
}

fn ring(r: [f64; 4]) -> String {
    format!(
        "[[{:.3},{:.3}],[{:.3},{:.3}],[{:.3},{:.3}],[{:.3},{:.3}],[{:.3},{:.3}]]",
        r[0], r[1], r[2], r[1], r[2], r[3], r[0], r[3], r[0], r[1]
    )
}

fn wkt(r: [f64; 4]) -> String {
    format!(
        "POLYGON(({:.3} {:.3},{:.3} {:.3},{:.3} {:.3},{:.3} {:.3},{:.3} {:.3}))",
        r[0], r[1], r[2], r[1], r[2], r[3], r[0], r[3], r[0], r[1]
    )
}

impl District {
    /// Writes the district in the format its extension names: `.geojson`, `.fgb` or `.csv`.
    pub fn write(&self, path: &Path) -> Result<(), WriteError> {
        match path.extension().and_then(|e| e.to_str()) {
            Some("geojson") | Some("json") => self.write_geojson(path),
            Some("fgb") => self.write_fgb(path),
            Some("csv") => self.write_csv(path),
            _ => Err(WriteError::UnknownFormat {
                path: path.display().to_string(),
            }),
        }
    }

    /// The GeoJSON survey profile: plot features, then one feature per unit.
    pub fn write_geojson(&self, path: &Path) -> Result<(), WriteError> {
        write_atomically(path, |w| self.geojson_to(w)).map_err(io(path))
    }

    fn geojson_to(&self, w: &mut dyn Write) -> std::io::Result<()> {
        writeln!(
            w,
            r#"{{"type":"FeatureCollection","name":"synthetic district","crs":{{"type":"name","properties":{{"name":"urn:ogc:def:crs:EPSG::4548"}}}},"height_datum":"EPSG:5737","features":["#
        )?;
        let mut first = true;
        let mut sep = |w: &mut dyn Write| -> std::io::Result<()> {
            if !first {
                w.write_all(b",\n")?;
            }
            first = false;
            Ok(())
        };
        for p in &self.plots {
            sep(w)?;
            write!(
                w,
                r#"{{"type":"Feature","properties":{{"kind":"plot","plot_id":"{}","ground_elevation":{}}},"geometry":{{"type":"Polygon","coordinates":[{}]}}}}"#,
                p.id,
                p.ground,
                ring(p.rect)
            )?;
        }
        for u in &self.units {
            sep(w)?;
            write!(
                w,
                r#"{{"type":"Feature","properties":{{"unit_code":"{}","z_bottom":{},"z_top":{},"parent_plot":"{}","level":"{}"}},"geometry":{{"type":"Polygon","coordinates":[{}]}}}}"#,
                u.code,
                u.z_bottom,
                u.z_top,
                u.parent,
                u.level,
                ring(u.rect)
            )?;
        }
        writeln!(w, "\n]}}")
    }

    /// CSV for databases: `unit_code,kind,parent_plot,z_bottom,z_top,wkt` (plots have empty
    /// elevations and their own id as `parent_plot`).
    pub fn write_csv(&self, path: &Path) -> Result<(), WriteError> {
        write_atomically(path, |w| self.csv_to(w)).map_err(io(path))
    }

    fn csv_to(&self, w: &mut dyn Write) -> std::io::Result<()> {
        writeln!(w, "unit_code,kind,parent_plot,z_bottom,z_top,wkt")?;
        for p in &self.plots {
            writeln!(w, ",plot,{},,,\"{}\"", p.id, wkt(p.rect))?;
        }
        for u in &self.units {
            writeln!(
                w,
                "{},unit,{},{},{},\"{}\"",
                u.code,
                u.parent,
                u.z_bottom,
                u.z_top,
                wkt(u.rect)
            )?;
        }
        Ok(())
    }

    /// FlatGeobuf (EPSG:4548), one layer with a `kind` column and the profile's properties.
    pub fn write_fgb(&self, path: &Path) -> Result<(), WriteError> {
        let enc = |m: String| WriteError::Encode {
            path: path.display().to_string(),
            message: m,
        };
        let opts = FgbWriterOptions {
            write_index: true,
            crs: FgbCrs {
                code: 4548,
                ..Default::default()
            },
            title: Some("synthetic district"),
            metadata: Some(r#"{"height_datum":"EPSG:5737"}"#),
            ..Default::default()
        };
        let mut fgb = FgbWriter::create_with_options("units", GeometryType::Polygon, opts)
            .map_err(|e| enc(e.to_string()))?;
        for (name, ty) in [
            ("kind", ColumnType::String),
            ("unit_code", ColumnType::String),
            ("plot_id", ColumnType::String),
            ("parent_plot", ColumnType::String),
            ("z_bottom", ColumnType::Double),
            ("z_top", ColumnType::Double),
            ("ground_elevation", ColumnType::Double),
            ("level", ColumnType::String),
            ("height_datum", ColumnType::String),
        ] {
            fgb.add_column(name, ty, |_, c| c.nullable = true);
        }
        for p in &self.plots {
            fgb.add_feature_geom(geo::Geometry::Polygon(rect_polygon(p.rect)), |f| {
                let _ = f.property(0, "kind", &ColumnValue::String("plot"));
                let _ = f.property(2, "plot_id", &ColumnValue::String(&p.id));
                let _ = f.property(6, "ground_elevation", &ColumnValue::Double(p.ground));
                let _ = f.property(8, "height_datum", &ColumnValue::String("EPSG:5737"));
            })
            .map_err(|e| enc(e.to_string()))?;
        }
        for u in &self.units {
            fgb.add_feature_geom(geo::Geometry::Polygon(rect_polygon(u.rect)), |f| {
                let _ = f.property(0, "kind", &ColumnValue::String("unit"));
                let _ = f.property(1, "unit_code", &ColumnValue::String(&u.code));
                let _ = f.property(3, "parent_plot", &ColumnValue::String(&u.parent));
                let _ = f.property(4, "z_bottom", &ColumnValue::Double(u.z_bottom));
                let _ = f.property(5, "z_top", &ColumnValue::Double(u.z_top));
                if !u.level.is_empty() {
                    let _ = f.property(7, "level", &ColumnValue::String(&u.level));
                }
                let _ = f.property(8, "height_datum", &ColumnValue::String("EPSG:5737"));
            })
            .map_err(|e| enc(e.to_string()))?;
        }
        write_atomically(path, |w| {
            fgb.write(w)
                .map(|_| ())
                .map_err(|e| std::io::Error::other(e.to_string()))
        })
        .map_err(io(path))
    }

    /// The injected conflicts as JSON.
    pub fn write_truth(&self, path: &Path) -> Result<(), WriteError> {
        let text = serde_json::to_string_pretty(&serde_json::json!({
            "units": self.units.len(),
            "plots": self.plots.len(),
            "injected": self.injected,
        }))
        .unwrap_or_default();
        write_atomically(path, |w| w.write_all(text.as_bytes())).map_err(io(path))
    }
}
