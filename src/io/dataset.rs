//! Reading several files into one dataset: units grouped by code across files, plots, and one
//! frame (horizontal CRS and height datum) that every file must share.

use std::path::{Path, PathBuf};

use crate::model::Dataset;
use crate::model::frame::HeightDatum;

use std::cell::RefCell;

use super::assemble::{Assembler, note_datum, unit_key};
use super::city::{add_objects, city_extent};
use super::crs::FrameCollector;
use super::detect::{FileContent, read_file};
use super::error::ImportError;
pub use super::options::{ImportOptions, Progress};
use super::profile::{ProfileFile, RawPart};
use super::reframe::{offset_heights, reproject};
pub use super::sieve::{Pick, Sieve};

/// Refuses a file given twice: every part would be counted twice.
fn refuse_repeated(paths: &[PathBuf]) -> Result<(), ImportError> {
    let mut seen: Vec<(PathBuf, &Path)> = Vec::with_capacity(paths.len());
    for p in paths {
        let canonical = std::fs::canonicalize(p).unwrap_or_else(|_| p.clone());
        if let Some((_, first)) = seen.iter().find(|(c, _)| *c == canonical) {
            return Err(ImportError::format(
                p,
                format!(
                    "the file is given twice (also as {}): each file is read once",
                    first.display()
                ),
            ));
        }
        seen.push((canonical, p));
    }
    Ok(())
}

/// The sieve of a reading, if any, shared by the reader (which features to decode) and the
/// assembler (which units to keep); never borrowed twice at once.
type Shared<'a> = RefCell<Option<&'a mut dyn Sieve>>;

/// Offers a feature's part to the sieve and, when it keeps it, to the assembler.
fn offer(raw: RawPart, units: &mut Assembler, frame: &mut FrameCollector, sieve: &Shared) {
    note_datum(&raw, frame);
    let key = unit_key(&raw);
    if sieve
        .borrow_mut()
        .as_mut()
        .is_none_or(|s| s.unit(&key, &raw))
    {
        units.add_raw(key, raw);
    }
}

/// Reads one file; the unit features go to the assembler, transformed first when the options
/// reproject or move heights (such files are held whole until their frame is known). Returns
/// the content and the CRS to assume when the file names none.
fn read_one(
    path: &Path,
    opts: &ImportOptions,
    units: &mut Assembler,
    frame: &mut FrameCollector,
    zone: &mut Option<u32>,
    sieve: &Shared,
) -> Result<(FileContent, Option<u32>), ImportError> {
    let mut pick = |i: u64, at: u64| match sieve.borrow_mut().as_mut() {
        Some(s) => s.feature(path, i, at),
        None => Pick::Read,
    };
    if opts.reproject.is_none() && opts.height_offsets.is_empty() {
        let content = read_file(path, opts, &mut pick, &mut |raw| {
            offer(raw, units, frame, sieve)
        })?;
        return Ok((content, opts.crs));
    }
    let mut pending: Vec<RawPart> = Vec::new();
    let mut content = read_file(path, opts, &mut pick, &mut |raw| pending.push(raw))?;
    let fallback = if reproject(path, &mut content, &mut pending, opts, zone)? {
        None
    } else {
        opts.crs
    };
    offset_heights(path, &mut content, &mut pending, opts)?;
    for raw in pending {
        offer(raw, units, frame, sieve);
    }
    Ok((content, fallback))
}

/// Reads the files into one dataset.
///
/// A GeoJSON file must name its projected CRS (or `opts.crs` supplies it); a CityJSON file
/// without `referenceSystem` gets a [`Code::CrsMissing`](crate::diagnostics::Code::CrsMissing)
/// warning. Files that name different CRSs are an error, and so is a file given twice; the
/// height datums named are checked when the frame is settled (see `FrameCollector`).
pub fn read_dataset(paths: &[PathBuf], opts: &ImportOptions) -> Result<Dataset, ImportError> {
    read_dataset_sieved(paths, opts, None)
}

/// Reads the files into one dataset like [`read_dataset`], keeping only the units and plots
/// `sieve` keeps (all of them without one). The frame and the dataset's findings are read
/// whole either way. With a sieve, a CityJSON file is refused: its objects are
/// assembled whole, outside the sieve's reach.
///
/// ```
/// use strata::io::profile::RawPart;
/// use strata::io::{ImportOptions, dataset::read_dataset_sieved};
/// let path = std::path::PathBuf::from("data/wengcheng/wengcheng.geojson");
/// let mut seen = 0;
/// // Keep the surface units (parcel feature code GB): the features of the others are dropped
/// // as they are read.
/// let mut surface = |key: &str, _: &RawPart| {
///     seen += 1;
///     key.contains("GB")
/// };
/// let ds = read_dataset_sieved(&[path], &ImportOptions::default(), Some(&mut surface)).unwrap();
/// assert!(ds.units.iter().all(|u| u.key.contains("GB")));
/// assert!(seen > ds.units.len());
/// ```
pub fn read_dataset_sieved<'a>(
    paths: &[PathBuf],
    opts: &'a ImportOptions,
    sieve: Option<&'a mut dyn Sieve>,
) -> Result<Dataset, ImportError> {
    refuse_repeated(paths)?;
    let mut ds = Dataset::default();
    let sieved = sieve.is_some();
    let sieve: Shared = RefCell::new(sieve);
    let mut units = Assembler::new(opts);
    let mut frame = FrameCollector::default();
    let mut zone = None;
    for path in paths {
        ds.sources.push(path.clone());
        let (content, fallback) = read_one(path, opts, &mut units, &mut frame, &mut zone, &sieve)?;
        match content {
            FileContent::Profile(g) => add_profile(&mut ds, &mut frame, path, g, fallback, &sieve)?,
            FileContent::City(_) if sieved => {
                return Err(ImportError::format(
                    path,
                    "a CityJSON file is read whole: reading a district unit by unit (the check in bounded memory) takes the survey profile (GeoJSON, FlatGeobuf, LandXML, the GDAL formats)",
                ));
            }
            FileContent::City(c) => {
                frame.file(path, c.crs, fallback, false, city_extent(&c).as_ref())?;
                if let Some(v) = c.vertical {
                    frame.datum(HeightDatum::Epsg(v), path.display().to_string());
                }
                add_objects(path, c, &mut units, &mut ds.objects, &mut frame);
            }
        }
    }
    Ok(finish(ds, frame, units, opts))
}

/// Adds what a file of the survey profile says as a whole (its frame, ground elevation and
/// plots) to the dataset.
fn add_profile(
    ds: &mut Dataset,
    frame: &mut FrameCollector,
    path: &Path,
    g: ProfileFile,
    fallback: Option<u32>,
    sieve: &Shared,
) -> Result<(), ImportError> {
    frame.file(path, g.crs, fallback, true, g.extent.as_ref())?;
    if let Some(v) = g.vertical {
        frame.datum(HeightDatum::Epsg(v), path.display().to_string());
    }
    if let Some(h) = &g.height_datum {
        frame.datum(
            HeightDatum::parse(h),
            format!("{} (height_datum)", path.display()),
        );
    }
    if let Some(z) = g.ground_elevation {
        ds.ground_elevation.get_or_insert(z);
    }
    let mut s = sieve.borrow_mut();
    ds.plots.extend(
        g.plots
            .into_iter()
            .filter(|p| s.as_mut().is_none_or(|s| s.plot(p))),
    );
    Ok(())
}

/// The dataset once every file is read: the frame settled, the units assembled in it.
fn finish(
    mut ds: Dataset,
    frame: FrameCollector,
    units: Assembler,
    opts: &ImportOptions,
) -> Dataset {
    let (f, findings) = frame.finish(opts.height_datum.as_deref());
    ds.frame = f;
    ds.findings = findings;
    ds.units = units.finish(&ds.frame);
    ds
}

/// Reads one source of the survey profile that is not a file (an Arrow table) into a
/// dataset, as [`read_dataset`] reads a file: `read` hands each unit part to the sink it is
/// given and returns what the source says as a whole. `name` names the source in messages.
pub(crate) fn read_profile_source(
    name: &Path,
    opts: &ImportOptions,
    read: impl FnOnce(&mut dyn FnMut(RawPart)) -> Result<ProfileFile, ImportError>,
) -> Result<Dataset, ImportError> {
    if opts.reproject.is_some() || !opts.height_offsets.is_empty() {
        return Err(ImportError::format(
            name,
            "a table is read in its own frame: reproject or move heights before making it",
        ));
    }
    let mut ds = Dataset {
        sources: vec![name.to_path_buf()],
        ..Dataset::default()
    };
    let sieve: Shared = RefCell::new(None);
    let mut units = Assembler::new(opts);
    let mut frame = FrameCollector::default();
    let g = read(&mut |raw| offer(raw, &mut units, &mut frame, &sieve))?;
    add_profile(&mut ds, &mut frame, name, g, opts.crs, &sieve)?;
    Ok(finish(ds, frame, units, opts))
}
