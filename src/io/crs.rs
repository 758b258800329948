//! The frame of a dataset: every file's horizontal CRS resolved and checked against its
//! coordinates, every height datum named gathered, and one frame settled for the dataset.

use std::path::{Path, PathBuf};

use crate::diagnostics::{Code, Finding, Location, Num};
use crate::model::frame::{Crs, CrsKind, Frame, HeightDatum};

use super::error::ImportError;
use super::profile::Extent;

/// Checks that a projected CRS and the file's coordinates fit together: degrees are never
/// metres, and Gauss-Krüger coordinates have known ranges (which also catches x and y given
/// in the surveying order, northing first).
pub(super) fn check_extent(path: &Path, crs: Crs, e: &Extent) -> Result<(), ImportError> {
    let err = |message: String| ImportError::Crs {
        path: path.to_path_buf(),
        message,
    };
    let degrees = e.min[0] >= -180.0 && e.max[0] <= 180.0 && e.min[1] >= -90.0 && e.max[1] <= 90.0;
    if degrees {
        return Err(err(format!(
            "coordinates from ({}, {}) to ({}, {}) look like longitude/latitude in degrees, but {crs} is in metres: \
             reproject the survey to the projected CRS first (Strata never takes degrees as metres)",
            Num(e.min[0]),
            Num(e.min[1]),
            Num(e.max[0]),
            Num(e.max[1])
        )));
    }
    if let CrsKind::Projected { name, zone_prefix } = crs.kind()
        && name.contains("Gauss-Kruger")
    {
        let base = zone_prefix.map(|z| z as f64 * 1e6).unwrap_or(0.0);
        let east_ok = |x: f64| x >= base + 100_000.0 && x <= base + 900_000.0;
        let north_ok = |y: f64| (1_000_000.0..=6_100_000.0).contains(&y);
        let fits =
            east_ok(e.min[0]) && east_ok(e.max[0]) && north_ok(e.min[1]) && north_ok(e.max[1]);
        if !fits {
            let swapped =
                north_ok(e.min[0]) && north_ok(e.max[0]) && east_ok(e.min[1]) && east_ok(e.max[1]);
            let hint = if swapped {
                " They look like X = northing, Y = easting (the surveying order): GeoJSON and CityJSON want x = easting, y = northing."
            } else {
                ""
            };
            return Err(err(format!(
                "coordinates from ({}, {}) to ({}, {}) do not fit {crs} ({name}): easting must lie within {:.0}–{:.0} m and northing within 1,000,000–6,100,000 m.{hint}",
                Num(e.min[0]),
                Num(e.min[1]),
                Num(e.max[0]),
                Num(e.max[1]),
                base + 100_000.0,
                base + 900_000.0
            )));
        }
    }
    Ok(())
}

pub(super) fn resolve_crs(
    path: &Path,
    declared: Option<u32>,
    fallback: Option<u32>,
    required: bool,
) -> Result<Option<Crs>, ImportError> {
    let err = |message: String| ImportError::Crs {
        path: path.to_path_buf(),
        message,
    };
    let code = match (declared, fallback) {
        (Some(a), Some(b)) if a != b => {
            return Err(err(format!(
                "the file declares EPSG:{a} but --crs says EPSG:{b}"
            )));
        }
        (Some(a), _) => Some(a),
        (None, b) => b,
    };
    let Some(code) = code else {
        if !required {
            return Ok(None);
        }
        let geojson = path
            .extension()
            .and_then(|e| e.to_str())
            .is_some_and(|e| ["json", "geojson"].contains(&e.to_ascii_lowercase().as_str()));
        return Err(err(if geojson {
            "no CRS: the file has no `crs` member and no --crs was given. Without one, GeoJSON means longitude/latitude (RFC 7946), \
             which is never metres; name the projected CRS, e.g. \"crs\": {\"type\": \"name\", \"properties\": {\"name\": \"urn:ogc:def:crs:EPSG::4548\"}}"
                .into()
        } else {
            "no CRS: the file names none and no --crs was given (DXF and many CAD files carry none); \
             name the projected CRS its coordinates are in, e.g. --crs EPSG:4548"
                .into()
        }));
    };
    let crs = Crs { epsg: code };
    if required && crs.kind() == CrsKind::Unknown {
        return Err(err(format!(
            "{crs} is not a projected CRS Strata knows: survey files must be in metres in CGCS2000 / Gauss-Kruger \
             (EPSG:4491–4554), Xian 1980 (2327–2390), Beijing 1954 (2401–2442), UTM (32601–32760, 25828–25838) or another \
             listed projected CRS; check the file's `crs` member"
        )));
    }
    if crs.is_geographic() {
        return Err(err(format!(
            "{crs} is a geographic CRS (longitude/latitude in degrees); Strata needs a projected CRS in metres, such as EPSG:4548 (CGCS2000 / 3-degree Gauss-Kruger CM 117E)"
        )));
    }
    Ok(Some(crs))
}

/// The frame the files of a dataset declare, gathered file by file and settled at the end.
#[derive(Debug, Default)]
pub(super) struct FrameCollector {
    /// The first horizontal CRS seen, and its file.
    crs: Option<(Crs, PathBuf)>,
    /// Files that name no horizontal CRS.
    crs_missing: Vec<String>,
    /// Every height datum named, with where.
    datums: Vec<(HeightDatum, String)>,
    /// Findings about the dataset's frame.
    pub findings: Vec<Finding>,
}

impl FrameCollector {
    /// Remembers a height datum named at `place` (a file, a feature, an option).
    pub fn datum(&mut self, datum: HeightDatum, place: String) {
        self.datums.push((datum, place));
    }

    /// Resolves the horizontal CRS of one file (`declared` by it, else `fallback`), checks it
    /// against the file's coordinates, and requires every file of the dataset to share it.
    pub fn file(
        &mut self,
        path: &Path,
        declared: Option<u32>,
        fallback: Option<u32>,
        required: bool,
        extent: Option<&Extent>,
    ) -> Result<(), ImportError> {
        let crs = resolve_crs(path, declared, fallback, required)?;
        let Some(c) = crs else {
            self.crs_missing.push(path.display().to_string());
            return Ok(());
        };
        if let Some((prev, prev_path)) = &self.crs
            && *prev != c
        {
            return Err(ImportError::Crs {
                path: path.to_path_buf(),
                message: format!(
                    "this file is in {c} but {} is in {prev}: the files of one dataset must share one horizontal CRS",
                    prev_path.display()
                ),
            });
        }
        self.crs.get_or_insert((c, path.to_path_buf()));
        if c.kind() == CrsKind::Unknown {
            self.findings.push(Finding::new(
                Code::CrsUnknown,
                Location {
                    file: Some(path.display().to_string()),
                    ..Location::default()
                },
                format!("{c} is not a CRS Strata knows: its coordinates are taken as metres without checking their range"),
            ));
        }
        if let Some(e) = extent {
            check_extent(path, c, e)?;
        }
        Ok(())
    }

    /// The dataset's frame, and the findings about it: an unknown or non-vertical height
    /// datum (819), several datums (810), none (809), files without a CRS (808).
    pub fn finish(mut self, option: Option<&str>) -> (Frame, Vec<Finding>) {
        if let Some(h) = option {
            self.datums
                .push((HeightDatum::parse(h), "--height-datum".into()));
        }
        let mut frame = Frame {
            crs: self.crs.map(|c| c.0),
            height_datum: None,
        };
        let mut distinct: Vec<&(HeightDatum, String)> = Vec::new();
        for d in &self.datums {
            if let Some(problem) = d.0.problem() {
                self.findings.push(Finding::new(
                    Code::HeightDatumInvalid,
                    Location::default(),
                    format!("{}: {problem}", d.1),
                ));
            } else if !distinct.iter().any(|x| x.0 == d.0) {
                distinct.push(d);
            }
        }
        match distinct.as_slice() {
            [] if self.datums.is_empty() => self.findings.push(Finding::new(
                Code::HeightDatumMissing,
                Location::default(),
                "no height datum is named: elevations are taken as given (name one with `height_datum` or --height-datum, e.g. EPSG:5737 for the 1985 national height datum)",
            )),
            [] => {}
            [one] => frame.height_datum = Some(one.0.clone()),
            many => {
                let list: Vec<String> = many.iter().map(|(d, w)| format!("{d} in {w}")).collect();
                self.findings.push(Finding::new(
                    Code::HeightDatumConflict,
                    Location::default(),
                    format!("the dataset mixes height datums: {}", list.join(", ")),
                ));
            }
        }
        if !self.crs_missing.is_empty() {
            self.findings.push(Finding::new(
                Code::CrsMissing,
                Location::default(),
                format!(
                    "no horizontal CRS is named in {}: coordinates are taken as they are",
                    self.crs_missing.join(", ")
                ),
            ));
        }
        (frame, self.findings)
    }
}
