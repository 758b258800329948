//! LandXML 1.2: 2D parcels as planning plots, volumetric parcels as unit parts (see
//! `docs/formats/landxml.md`).
//!
//! The profile is the one of the Australian ePlan protocol and of the 3D cadastral survey data
//! models built on LandXML: `<CgPoints>` in the surveying order (northing, easting, elevation),
//! `<Parcels>` whose `<CoordGeom>` lines close a ring, and volumetric parcels given either as a
//! footprint between an upper and a lower limit (a prism) or by their bounding faces (a
//! polyhedron). Everything else in the file (survey observations, monuments, alignments,
//! surfaces) is ignored.

mod geometry;
mod parcel;
mod points;
mod text;

use std::io::Read;
use std::path::Path;

use roxmltree::{Document, Node, ParsingOptions};
use rustc_hash::FxHashMap;

use crate::diagnostics::{FeatureRef, ObjectRef};
use crate::model::Plot;

use super::error::ImportError;
use super::profile::{Extent, RawPart};

pub(crate) use text::xml_root;
use text::{check_units, child, children, crs, decode, is_face, xml_error};

/// Files larger than this are refused before they are parsed (512 MiB).
pub const MAX_FILE_BYTES: u64 = 512 * 1024 * 1024;

/// A parcel with more points than this (line segments over its footprint or all its faces) is
/// refused.
pub const MAX_PARCEL_POINTS: usize = 1_000_000;

/// What a LandXML file holds besides its parcels.
#[derive(Debug, Clone, Default)]
pub struct LandXmlFile {
    /// The EPSG code from `<CoordinateSystem epsgCode="..">` (or from `ogcWktCode`, `name` or
    /// `horizontalCoordinateSystemName` when one of them is an EPSG reference).
    pub crs: Option<u32>,
    /// `<CoordinateSystem verticalDatum="..">` (or `verticalCoordinateSystemName`), as written.
    pub height_datum: Option<String>,
    /// The 2D parcels, as planning plots.
    pub plots: Vec<Plot>,
    /// The range of the points used by the parcels (x = easting, y = northing).
    pub extent: Option<Extent>,
}

/// True when `head` (the first bytes of a file; 1 KiB is plenty) starts an XML document whose
/// root element is `LandXML` (with or without a namespace prefix).
pub fn is_landxml(head: &[u8]) -> bool {
    xml_root(head) == Some(b"LandXML")
}

/// Reads a LandXML file: each volumetric parcel goes to `sink` as one [`RawPart`]; the 2D
/// parcels come back as plots.
pub fn read_landxml(
    path: &Path,
    sink: &mut dyn FnMut(RawPart),
) -> Result<LandXmlFile, ImportError> {
    let io = |source| ImportError::Io {
        path: path.to_path_buf(),
        source,
    };
    let too_big = |n: u64| {
        ImportError::format(
            path,
            format!(
                "the file is {:.1} MiB; LandXML files over {} MiB are refused (split the survey into several files)",
                n as f64 / (1024.0 * 1024.0),
                MAX_FILE_BYTES / (1024 * 1024)
            ),
        )
    };
    let len = std::fs::metadata(path).map_err(io)?.len();
    if len > MAX_FILE_BYTES {
        return Err(too_big(len));
    }
    let mut bytes = Vec::with_capacity(usize::try_from(len).unwrap_or(0));
    std::fs::File::open(path)
        .map_err(io)?
        .take(MAX_FILE_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(io)?;
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(too_big(bytes.len() as u64));
    }
    parse_landxml(path, &bytes, sink)
}

/// Parses LandXML already read into memory (`path` names it in messages); see
/// [`read_landxml`].
pub fn parse_landxml(
    path: &Path,
    bytes: &[u8],
    sink: &mut dyn FnMut(RawPart),
) -> Result<LandXmlFile, ImportError> {
    let text = decode(path, bytes)?;
    let opts = ParsingOptions {
        allow_dtd: false,
        ..ParsingOptions::default()
    };
    let doc = Document::parse_with_options(text, opts).map_err(|e| xml_error(path, text, &e))?;
    let root = doc.root_element();
    if root.tag_name().name() != "LandXML" {
        return Err(ImportError::format(
            path,
            format!(
                "not LandXML: the root element is <{}>, not <LandXML>",
                root.tag_name().name()
            ),
        ));
    }
    check_units(path, root)?;
    let mut out = LandXmlFile::default();
    if let Some(cs) = child(root, "CoordinateSystem") {
        out.crs = crs(path, cs)?;
        out.height_datum = ["verticalDatum", "verticalCoordinateSystemName"]
            .iter()
            .filter_map(|a| cs.attribute(*a))
            .map(str::trim)
            .find(|s| !s.is_empty())
            .map(str::to_string);
    }
    let mut r = Reader::new(path, &doc)?;
    let parcels: Vec<Node> = children(root, "Parcels")
        .flat_map(|ps| children(ps, "Parcel"))
        .collect();
    for (i, p) in parcels.iter().enumerate() {
        if p.attribute("pclRef").is_some() || is_face(*p) {
            continue;
        }
        let feature = match p.attribute("name") {
            Some(n) => FeatureRef::element("Parcel", n),
            None => ObjectRef::ElementAt {
                tag: "Parcel",
                index: i,
            }
            .into(),
        };
        match r.parcel(*p, feature)? {
            Item::Plot(plot) => out.plots.push(plot),
            Item::Part(part) => sink(part),
        }
    }
    out.extent = r.extent;
    Ok(out)
}

/// A point of the file, in Strata's axes.
#[derive(Debug, Clone)]
pub(super) struct Vertex {
    x: f64,
    y: f64,
    z: Option<f64>,
    /// The point's name, or its coordinates when it has none.
    label: String,
}

/// One `<Line>` of a `<CoordGeom>`: two vertex ids.
#[derive(Debug, Clone, Copy)]
pub(super) struct Seg {
    a: usize,
    b: usize,
}

pub(super) enum Item {
    Plot(Plot),
    Part(RawPart),
}

/// The Feature Properties of a parcel: (label, value, field path), in file order.
pub(super) type Props = Vec<(String, String, String)>;

/// The lower and upper limits of a volumetric parcel, when given and readable.
pub(super) type Limits = [Option<f64>; 2];

pub(super) struct Reader<'a, 'i> {
    path: &'a Path,
    /// `<CgPoint>` by name.
    points: FxHashMap<&'a str, Node<'a, 'i>>,
    /// Point name → vertex id.
    named: FxHashMap<String, usize>,
    /// Exact coordinates → vertex id.
    by_coord: FxHashMap<(u64, u64, Option<u64>), usize>,
    vertices: Vec<Vertex>,
    /// Top-level parcels by name, for `pclRef`.
    parcels: FxHashMap<&'a str, Node<'a, 'i>>,
    extent: Option<Extent>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sniffs_landxml() {
        assert!(is_landxml(
            b"\xEF\xBB\xBF<?xml version=\"1.0\"?>\n<!-- x -->\n<LandXML xmlns=\"http://www.landxml.org/schema/LandXML-1.2\">"
        ));
        assert!(is_landxml(b"<lx:LandXML>"));
        assert!(is_landxml(
            b"<!DOCTYPE LandXML [ <!ENTITY a \"b\"> ]><LandXML/>"
        ));
        assert!(!is_landxml(b"<?xml version=\"1.0\"?><CityGML>"));
        assert!(!is_landxml(b"{\"type\": \"FeatureCollection\"}"));
        assert!(!is_landxml(b"<?xml version=\"1.0\"?><LandX"));
        assert!(!is_landxml(b""));
    }
}
