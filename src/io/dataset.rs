//! Reading several files into one dataset: units grouped by code across files, plots, and one
//! frame (horizontal CRS and height datum) that every file must share.

use rustc_hash::FxHashMap;
use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::geometry::{Part, Primitive, Volume};
use crate::model::frame::{Crs, CrsKind, Frame, HeightDatum};
use crate::model::unit::{PartSource, PlainObject, Unit};
use crate::model::unit_code::{LetterSets, UnitCode, check_all};
use crate::model::{Dataset, Stratum};
use crate::validate::{Code, Finding, Location};

use super::cityjson::{CityJsonFile, is_cityjson, parse_cityjson};
use super::error::{ImportError, parse_json};
use super::fields::{ModelFields, Source, extras, merge_fields, split};
use super::flatgeobuf::{is_flatgeobuf, read_flatgeobuf};
use super::geojson::{Extent, ProfileFile, RawPart, parse_geojson, read_geojson_stream};
use super::landxml::{is_landxml, read_landxml};
use super::mapping::FieldMapping;
use super::reframe::{offset_heights, reproject};
use super::transform::{HeightOffset, HorizontalTarget};

/// Choices the user makes when importing.
#[derive(Debug, Clone, Default)]
pub struct ImportOptions {
    /// The horizontal CRS (EPSG code) of files that do not name one.
    pub crs: Option<u32>,
    /// The height datum of files that do not name one.
    pub height_datum: Option<String>,
    /// The letters accepted in unit codes.
    pub letters: LetterSets,
    /// Told how far reading has come, for a progress bar.
    pub progress: Progress,
    /// How the fields of the survey files are named, where they differ from the profile.
    pub mapping: FieldMapping,
    /// Reproject every file into this CRS (through GDAL/PROJ); `crs` then names the CRS of
    /// files that do not name theirs.
    pub reproject: Option<HorizontalTarget>,
    /// Heights in these datums are moved into `height_datum` by a constant offset.
    pub height_offsets: Vec<HeightOffset>,
}

/// A callback told `(bytes read, bytes in the file)` while a file is read.
#[derive(Clone, Default)]
pub struct Progress(pub Option<std::sync::Arc<dyn Fn(u64, u64) + Send + Sync>>);

impl std::fmt::Debug for Progress {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(if self.0.is_some() {
            "Progress(callback)"
        } else {
            "Progress(none)"
        })
    }
}

/// A reader that reports its progress every megabyte.
struct Counting<R> {
    inner: R,
    read: u64,
    reported: u64,
    total: u64,
    progress: Progress,
}

impl<R: std::io::Read> std::io::Read for Counting<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.read += n as u64;
        if let Some(cb) = &self.progress.0
            && (self.read - self.reported >= 1 << 20 || n == 0)
        {
            self.reported = self.read;
            cb(self.read, self.total);
        }
        Ok(n)
    }
}

pub(super) enum FileContent {
    GeoJson(ProfileFile),
    CityJson(CityJsonFile),
}

/// Reads one file as FlatGeobuf, LandXML, GeoJSON (survey profile) or CityJSON, by its content;
/// the unit features of the profile go to `sink` as they are read.
fn read_any(
    path: &Path,
    opts: &ImportOptions,
    sink: &mut dyn FnMut(RawPart),
) -> Result<FileContent, ImportError> {
    use std::io::Read;
    let io = |source| ImportError::Io {
        path: path.to_path_buf(),
        source,
    };
    let mut file = std::fs::File::open(path).map_err(io)?;
    let total = file.metadata().map(|m| m.len()).unwrap_or(0);
    let mut head = Vec::with_capacity(1 << 16);
    (&mut file)
        .take(1 << 16)
        .read_to_end(&mut head)
        .map_err(io)?;
    if is_flatgeobuf(&head) {
        return Ok(FileContent::GeoJson(read_flatgeobuf(
            path,
            &opts.mapping,
            sink,
        )?));
    }
    if is_landxml(&head) {
        let x = read_landxml(path, sink)?;
        return Ok(FileContent::GeoJson(ProfileFile {
            crs: x.crs,
            height_datum: x.height_datum,
            plots: x.plots,
            extent: x.extent,
            ..ProfileFile::default()
        }));
    }
    if head.iter().all(u8::is_ascii_whitespace) {
        return Err(ImportError::format(path, "the file is empty"));
    }
    let first = head.iter().find(|b| !b.is_ascii_whitespace()).copied();
    let json_name = path
        .extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| ["json", "geojson"].contains(&e.to_ascii_lowercase().as_str()));
    if first != Some(b'{') && !json_name {
        return read_other(path, opts, sink);
    }
    // CityJSON holds one shared vertex list: it is read whole. GeoJSON is streamed.
    if head.windows(10).any(|w| w == b"\"CityJSON\"") {
        let mut bytes = head;
        file.read_to_end(&mut bytes).map_err(io)?;
        let v: Value = parse_json(path, &bytes)?;
        if is_cityjson(&v) {
            return Ok(FileContent::CityJson(parse_cityjson(path, &v)?));
        }
        return Ok(FileContent::GeoJson(parse_geojson(
            path,
            &v,
            &opts.mapping,
            sink,
        )?));
    }
    let reader = Counting {
        inner: std::io::Cursor::new(head).chain(file),
        read: 0,
        reported: 0,
        total,
        progress: opts.progress.clone(),
    };
    Ok(FileContent::GeoJson(read_geojson_stream(
        path,
        reader,
        &opts.mapping,
        sink,
    )?))
}

/// A file that is not JSON, FlatGeobuf or LandXML: read through GDAL when Strata is built with
/// it.
#[cfg(feature = "gdal")]
fn read_other(
    path: &Path,
    opts: &ImportOptions,
    sink: &mut dyn FnMut(RawPart),
) -> Result<FileContent, ImportError> {
    Ok(FileContent::GeoJson(super::ogr::read_ogr(
        path,
        &opts.mapping,
        sink,
    )?))
}

#[cfg(not(feature = "gdal"))]
fn read_other(
    path: &Path,
    _opts: &ImportOptions,
    _sink: &mut dyn FnMut(RawPart),
) -> Result<FileContent, ImportError> {
    Err(ImportError::format(
        path,
        "not GeoJSON, CityJSON, FlatGeobuf or LandXML; DXF, Shapefile, GeoPackage and GML are read through GDAL: \
         build Strata with `--features gdal` (needs libgdal-dev)",
    ))
}

/// Checks that a projected CRS and the file's coordinates fit together: degrees are never
/// metres, and Gauss-Krüger coordinates have known ranges (which also catches x and y given
/// in the surveying order, northing first).
fn check_extent(path: &Path, crs: Crs, e: &Extent) -> Result<(), ImportError> {
    let err = |message: String| ImportError::Crs {
        path: path.to_path_buf(),
        message,
    };
    let degrees = e.min[0] >= -180.0 && e.max[0] <= 180.0 && e.min[1] >= -90.0 && e.max[1] <= 90.0;
    if degrees {
        return Err(err(format!(
            "coordinates from ({:.6}, {:.6}) to ({:.6}, {:.6}) look like longitude/latitude in degrees, but {crs} is in metres: \
             reproject the survey to the projected CRS first (Strata never takes degrees as metres)",
            e.min[0], e.min[1], e.max[0], e.max[1]
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
                "coordinates from ({:.3}, {:.3}) to ({:.3}, {:.3}) do not fit {crs} ({name}): easting must lie within {:.0}–{:.0} m and northing within 1,000,000–6,100,000 m.{hint}",
                e.min[0],
                e.min[1],
                e.max[0],
                e.max[1],
                base + 100_000.0,
                base + 900_000.0
            )));
        }
    }
    Ok(())
}

fn resolve_crs(
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

struct Builder<'a> {
    opts: &'a ImportOptions,
    /// The groups in order of first appearance, with their keys.
    groups: Vec<(String, Group)>,
    /// Key → position in `groups`.
    index: FxHashMap<String, usize>,
}

#[derive(Default)]
struct Group {
    code_text: Option<String>,
    parts: Vec<(Part, PartSource)>,
    props: Vec<(PathBuf, String, &'static str, ModelFields)>,
    other: Vec<(String, Primitive)>,
    findings: Vec<Finding>,
}

impl Builder<'_> {
    fn group(&mut self, key: &str, code_text: Option<String>) -> &mut Group {
        let i = match self.index.get(key) {
            Some(&i) => i,
            None => {
                self.index.insert(key.to_string(), self.groups.len());
                // Most units have one part: room for exactly one, not the four a first push
                // reserves (this is most of the import's memory on large districts).
                let group = Group {
                    parts: Vec::with_capacity(1),
                    props: Vec::with_capacity(1),
                    ..Group::default()
                };
                self.groups.push((key.to_string(), group));
                self.groups.len() - 1
            }
        };
        let g = &mut self.groups[i].1;
        if g.code_text.is_none() {
            g.code_text = code_text;
        }
        g
    }

    /// Adds one feature of the survey profile as a part of its unit.
    fn add_raw(&mut self, raw: RawPart, datums: &mut Vec<(HeightDatum, String)>) {
        if let Some(Value::String(h)) = raw.properties.get("height_datum") {
            datums.push((
                HeightDatum::parse(h),
                format!("{}: {}", raw.file.display(), raw.feature),
            ));
        }
        let key = raw.code_text.clone().unwrap_or_else(|| raw.feature.clone());
        let level = raw
            .properties
            .get("level")
            .and_then(Value::as_str)
            .map(str::to_string);
        let (model, mut attributes) = split(raw.properties);
        let g = self.group(&key, raw.code_text.clone());
        let n = raw.parts.len();
        for (k, part) in raw.parts.into_iter().enumerate() {
            let feature = if k == 0 {
                raw.feature.clone()
            } else {
                format!("{} polygon {k}", raw.feature)
            };
            g.parts.push((
                part,
                PartSource {
                    file: raw.file.clone(),
                    feature,
                    level: level.clone(),
                    attributes: if k + 1 == n {
                        std::mem::take(&mut attributes)
                    } else {
                        attributes.clone()
                    },
                },
            ));
        }
        for mut f in raw.findings {
            f.location.file = Some(raw.file.display().to_string());
            g.findings.push(f);
        }
        g.props.push((raw.file, raw.feature, "properties.", model));
    }

    fn finish(self, frame: &Frame) -> Vec<Unit> {
        drop(self.index);
        let mut out = Vec::with_capacity(self.groups.len());
        for (key, g) in self.groups {
            let sources: Vec<Source> = g
                .props
                .iter()
                .map(|(_, feature, prefix, props)| Source {
                    feature,
                    prefix,
                    props,
                })
                .collect();
            let (f, mut findings) = merge_fields(&sources);
            let first_file = g.props.first().map(|p| p.0.display().to_string());
            let first_feature = g.props.first().map(|p| p.1.clone()).unwrap_or_default();
            let field_prefix = g.props.first().map(|p| p.2).unwrap_or_default();
            let mut code = None;
            if let Some(text) = &g.code_text {
                match UnitCode::parse_with(text, &self.opts.letters) {
                    Ok(c) => code = Some(c),
                    Err(_) => {
                        let all: Vec<String> = check_all(text, &self.opts.letters)
                            .iter()
                            .map(ToString::to_string)
                            .collect();
                        findings.push(Finding::new(
                            Code::UnitCodeInvalid,
                            Location::field(&first_feature, format!("{field_prefix}unit_code")),
                            format!("`{text}` is not a GB/T 37346 unit code: {}", all.join("; ")),
                        ));
                    }
                }
            }
            let coded = code.as_ref().and_then(UnitCode::stratum);
            if let (Some(c), Some(d)) = (coded, f.stratum)
                && c != d
            {
                findings.push(Finding::new(
                    Code::StratumContradictsCode,
                    Location::field(&first_feature, format!("{field_prefix}stratum")),
                    format!(
                        "`stratum` says {d} ({}) but the parcel feature code {} says {c} ({})",
                        d.name_zh(),
                        code.as_ref().map(UnitCode::parcel_feature).unwrap_or(""),
                        c.name_zh()
                    ),
                ));
            }
            let stratum: Option<Stratum> = coded.or(f.stratum);
            let mut unit_frame = frame.clone();
            if let Some(h) = &f.height_datum {
                unit_frame.height_datum = Some(HeightDatum::parse(h));
            }
            findings.extend(g.findings);
            // Exact capacities: `unzip` reserves at least four elements, and most units have
            // one part, which cost a few hundred bytes per unit on million-unit districts.
            let mut parts = Vec::with_capacity(g.parts.len());
            let mut sources = Vec::with_capacity(g.parts.len());
            for (part, source) in g.parts {
                parts.push(part);
                sources.push(source);
            }
            for fnd in &mut findings {
                if fnd.location.file.is_none() {
                    fnd.location.file.clone_from(&first_file);
                }
            }
            let features = g.props.iter().map(|p| p.1.clone()).collect();
            out.push(Unit {
                key,
                features,
                code_text: g.code_text,
                code,
                stratum,
                declared_stratum: f.stratum,
                name: f.name,
                right_type: f.right_type,
                holder: f.holder,
                usage: f.usage,
                supply_method: f.supply_method,
                term: f.term,
                parent_plot: f.parent_plot,
                sixto: Box::new(f.sixto),
                sixto_units: f.sixto_units.map(Box::new),
                survey_result_code: f.survey_result_code,
                note: f.note,
                frame: unit_frame,
                volume: Volume::new(parts),
                parts: sources,
                other_geometries: g.other,
                findings,
            });
        }
        out
    }
}

fn lod_value(l: &Option<String>) -> f64 {
    l.as_deref().and_then(|s| s.parse().ok()).unwrap_or(0.0)
}

/// Reads the files into one dataset.
///
/// A GeoJSON file must name its projected CRS (or `opts.crs` supplies it); a CityJSON file
/// without `referenceSystem` gets a [`Code::CrsMissing`] warning. Files that name different
/// CRSs are an error; different height datums are a [`Code::HeightDatumConflict`].
pub fn read_dataset(paths: &[PathBuf], opts: &ImportOptions) -> Result<Dataset, ImportError> {
    let mut ds = Dataset::default();
    let mut b = Builder {
        opts,
        groups: Vec::new(),
        index: FxHashMap::default(),
    };
    let mut crs_seen: Option<(Crs, PathBuf)> = None;
    let mut datums: Vec<(HeightDatum, String)> = Vec::new();
    let mut crs_missing = Vec::new();
    let mut zone = None;
    for path in paths {
        ds.sources.push(path.clone());
        let mut fallback = opts.crs;
        let content = if opts.reproject.is_none() && opts.height_offsets.is_empty() {
            read_any(path, opts, &mut |raw| b.add_raw(raw, &mut datums))?
        } else {
            // Transformed files are held whole until their frame is known.
            let mut pending = Vec::new();
            let mut content = read_any(path, opts, &mut |raw| pending.push(raw))?;
            if reproject(path, &mut content, &mut pending, opts, &mut zone)? {
                fallback = None;
            }
            offset_heights(path, &mut content, &mut pending, opts)?;
            for raw in pending {
                b.add_raw(raw, &mut datums);
            }
            content
        };
        let (declared, required, vertical) = match &content {
            FileContent::GeoJson(g) => (g.crs, true, g.vertical),
            FileContent::CityJson(c) => (c.crs, false, c.vertical),
        };
        let crs = resolve_crs(path, declared, fallback, required)?;
        match crs {
            Some(c) => {
                if let Some((prev, prev_path)) = &crs_seen
                    && *prev != c
                {
                    return Err(ImportError::Crs {
                        path: path.clone(),
                        message: format!(
                            "this file is in {c} but {} is in {prev}: the files of one dataset must share one horizontal CRS",
                            prev_path.display()
                        ),
                    });
                }
                crs_seen = Some((c, path.clone()));
            }
            None => crs_missing.push(path.display().to_string()),
        }
        if let Some(c) = crs
            && c.kind() == CrsKind::Unknown
        {
            ds.findings.push(Finding::new(
                Code::CrsUnknown,
                Location { file: Some(path.display().to_string()), ..Location::default() },
                format!("{c} is not a CRS Strata knows: its coordinates are taken as metres without checking their range"),
            ));
        }
        if let Some(v) = vertical {
            datums.push((HeightDatum::Epsg(v), path.display().to_string()));
        }
        match content {
            FileContent::GeoJson(g) => {
                if let (Some(c), Some(e)) = (crs, &g.extent) {
                    check_extent(path, c, e)?;
                }
                if let Some(h) = &g.height_datum {
                    datums.push((
                        HeightDatum::parse(h),
                        format!("{} (height_datum)", path.display()),
                    ));
                }
                if let Some(z) = g.ground_elevation {
                    ds.ground_elevation.get_or_insert(z);
                }
                ds.plots.extend(g.plots);
            }
            FileContent::CityJson(c) => {
                if let Some(crs) = crs
                    && let Some(e) = city_extent(&c)
                {
                    check_extent(path, crs, &e)?;
                }
                for o in c.objects {
                    let feature = format!("CityObject \"{}\"", o.id);
                    if let Some(Value::String(h)) = o.attributes.get("height_datum") {
                        datums.push((
                            HeightDatum::parse(h),
                            format!("{}: {feature}", path.display()),
                        ));
                    }
                    let code_text = match o.attributes.get("unit_code") {
                        Some(Value::String(s)) => Some(s.clone()),
                        _ => None,
                    };
                    let lods: Vec<Option<String>> =
                        o.geometries.iter().map(|g| g.lod.clone()).collect();
                    let mut labelled: Vec<(String, f64, Result<Primitive, String>)> = o
                        .geometries
                        .into_iter()
                        .enumerate()
                        .map(|(i, g)| {
                            let label = match &g.lod {
                                Some(l) => format!("geometry {i} (lod {l})"),
                                None => format!("geometry {i}"),
                            };
                            (label, lod_value(&g.lod), g.primitive)
                        })
                        .collect();
                    let Some(code_text) = code_text else {
                        if labelled.is_empty() {
                            continue;
                        }
                        let mut findings = vec![Finding::new(
                            Code::NotAUnit,
                            Location {
                                file: Some(path.display().to_string()),
                                ..Location::field(&feature, "attributes.unit_code")
                            },
                            "no `unit_code` attribute: validated as geometry only, not as a real-estate unit",
                        )];
                        let mut geometries = Vec::new();
                        let mut kept_lods = Vec::new();
                        for ((label, _, p), lod) in labelled.into_iter().zip(lods) {
                            match p {
                                Ok(p) => {
                                    geometries.push((label, p));
                                    kept_lods.push(lod);
                                }
                                Err(ty) => findings.push(unsupported(path, &feature, &label, &ty)),
                            }
                        }
                        ds.objects.push(PlainObject {
                            file: path.clone(),
                            id: o.id,
                            object_type: o.object_type,
                            parents: o.parents,
                            geometries,
                            lods: kept_lods,
                            findings,
                        });
                        continue;
                    };
                    // The unit's volume is its volumetric geometry of the highest LoD.
                    let best = labelled
                        .iter()
                        .enumerate()
                        .filter(|(_, (_, _, p))| p.as_ref().is_ok_and(Primitive::is_volumetric))
                        .max_by(|a, b| a.1.1.total_cmp(&b.1.1).then(b.0.cmp(&a.0)))
                        .map(|(i, _)| i);
                    let g = b.group(&code_text, Some(code_text.clone()));
                    match best {
                        Some(i) => {
                            let (label, _, p) = labelled.remove(i);
                            if let Ok(p) = p {
                                for (k, solid) in p.solids().iter().enumerate() {
                                    g.parts.push((
                                        Part::Polyhedron(solid.clone()),
                                        PartSource {
                                            file: path.clone(),
                                            feature: if p.solids().len() > 1 { format!("{feature} {label} solid {k}") } else { feature.clone() },
                                            level: o.attributes.get("level").and_then(Value::as_str).map(str::to_string),
                                            attributes: extras(&o.attributes),
                                        },
                                    ));
                                }
                            }
                        }
                        None => g.findings.push(Finding::new(
                            Code::EmptyPrimitive,
                            Location { file: Some(path.display().to_string()), ..Location::field(&feature, "geometry") },
                            "the unit has no Solid, MultiSolid or CompositeSolid geometry: no volume",
                        )),
                    }
                    for (label, _, p) in labelled {
                        match p {
                            Ok(p) => g.other.push((format!("{feature} {label}"), p)),
                            Err(ty) => g.findings.push(unsupported(path, &feature, &label, &ty)),
                        }
                    }
                    let (model, _) = split(o.attributes);
                    g.props
                        .push((path.clone(), feature.clone(), "attributes.", model));
                }
            }
        }
    }
    if let Some(h) = &opts.height_datum {
        datums.push((HeightDatum::parse(h), "--height-datum".into()));
    }
    ds.frame.crs = crs_seen.map(|c| c.0);
    let mut distinct: Vec<&(HeightDatum, String)> = Vec::new();
    for d in &datums {
        if !distinct.iter().any(|x| x.0 == d.0) {
            distinct.push(d);
        }
    }
    match distinct.as_slice() {
        [] => ds.findings.push(Finding::new(
            Code::HeightDatumMissing,
            Location::default(),
            "no height datum is named: elevations are taken as given (name one with `height_datum` or --height-datum, e.g. EPSG:5737 for the 1985 national height datum)",
        )),
        [one] => ds.frame.height_datum = Some(one.0.clone()),
        many => {
            let list: Vec<String> = many.iter().map(|(d, w)| format!("{d} in {w}")).collect();
            ds.findings.push(Finding::new(
                Code::HeightDatumConflict,
                Location::default(),
                format!("the dataset mixes height datums: {}", list.join(", ")),
            ));
        }
    }
    if !crs_missing.is_empty() {
        ds.findings.push(Finding::new(
            Code::CrsMissing,
            Location::default(),
            format!(
                "no horizontal CRS is named in {}: coordinates are taken as they are",
                crs_missing.join(", ")
            ),
        ));
    }
    ds.units = b.finish(&ds.frame);
    stratum_against_ground(&mut ds);
    Ok(ds)
}

/// Flags units whose elevations contradict the stratum their code gives, where the ground
/// elevation is known (the parent plot's, else the dataset's).
fn stratum_against_ground(ds: &mut Dataset) {
    use crate::geometry::algorithm::BoundingBox3;
    /// Elevations are compared to the millimetre, the precision of survey heights.
    const HEIGHT_TOLERANCE: f64 = 0.001;
    let grounds: Vec<Option<f64>> = {
        let lookup = ds.plot_lookup();
        ds.units.iter().map(|u| ds.ground_for(u, &lookup)).collect()
    };
    for (u, g) in ds.units.iter_mut().zip(grounds) {
        let (Some(g), Some(stratum)) = (g, u.code.as_ref().and_then(UnitCode::stratum)) else {
            continue;
        };
        if u.volume.is_empty() {
            continue;
        }
        let b = u.volume.bbox();
        let t = HEIGHT_TOLERANCE;
        let problem = match stratum {
            Stratum::Under if b.max.z > g + t => Some((
                "z_top",
                format!("reaches {:.3} m, above the ground at {g:.3} m", b.max.z),
            )),
            Stratum::Above if b.min.z < g - t => Some((
                "z_bottom",
                format!(
                    "goes down to {:.3} m, below the ground at {g:.3} m",
                    b.min.z
                ),
            )),
            Stratum::Surface if b.min.z > g + t || b.max.z < g - t => Some((
                "z_bottom",
                format!(
                    "spans {:.3}–{:.3} m and does not contain the ground at {g:.3} m",
                    b.min.z, b.max.z
                ),
            )),
            _ => None,
        };
        if let Some((field, what)) = problem {
            let feature = u.features.first().cloned().unwrap_or_default();
            let prefix = if feature.starts_with("CityObject") {
                "geometry"
            } else {
                "properties."
            };
            let field = if prefix == "geometry" {
                "geometry".to_string()
            } else {
                format!("{prefix}{field}")
            };
            u.findings.push(Finding::new(
                Code::StratumContradictsElevation,
                Location {
                    file: u.parts.first().map(|p| p.file.display().to_string()),
                    ..Location::field(feature, field)
                },
                format!(
                    "the unit code says {} ({}), but the unit {what}",
                    stratum.as_str(),
                    stratum.name_zh()
                ),
            ));
        }
    }
}

fn unsupported(path: &Path, feature: &str, label: &str, ty: &str) -> Finding {
    let mut f = Finding::new(
        Code::GeometryTypeUnsupported,
        Location {
            file: Some(path.display().to_string()),
            ..Location::field(feature, label)
        },
        format!("a {ty} holds no surface or volume and is not validated"),
    );
    f.severity = crate::validate::Severity::Warning;
    f
}

fn city_extent(c: &CityJsonFile) -> Option<Extent> {
    let mut e: Option<Extent> = None;
    for o in &c.objects {
        for g in &o.geometries {
            let Ok(p) = &g.primitive else { continue };
            let verts: Vec<&crate::geometry::Point3> = match p {
                Primitive::MultiSurface(s) | Primitive::CompositeSurface(s) => {
                    s.vertices.iter().collect()
                }
                _ => p.solids().iter().flat_map(|s| s.vertices.iter()).collect(),
            };
            for v in verts {
                let x = e.get_or_insert(Extent {
                    min: [v.x, v.y],
                    max: [v.x, v.y],
                });
                x.min = [x.min[0].min(v.x), x.min[1].min(v.y)];
                x.max = [x.max[0].max(v.x), x.max[1].max(v.y)];
            }
        }
    }
    e
}
