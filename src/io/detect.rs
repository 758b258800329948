//! Which format a file is in, decided by parsing it: binary formats by the magic number their
//! specification puts first, text by its syntax (the members of a JSON object wherever they
//! come, the root element of an XML document). A file name never decides.

use std::io::Read;
use std::path::Path;

use super::cityjson::{CityJsonFile, parse_cityjson};
use super::error::ImportError;
use super::flatgeobuf::{is_flatgeobuf, read_flatgeobuf_picked};
use super::geojson::{Detected, Streamed, read_geojson_picked};
use super::json::parse_strict;
use super::landxml::{read_landxml, xml_root};
use super::options::{ImportOptions, Progress};
use super::profile::{ProfileFile, RawPart};
use super::sieve::Pick;

/// What one file held.
pub(super) enum FileContent {
    /// Features of the survey profile (GeoJSON, FlatGeobuf, LandXML, GDAL formats): their
    /// header and plots; the unit features went to the sink.
    Profile(ProfileFile),
    /// A CityJSON document.
    City(CityJsonFile),
}

/// How far into a file the XML prolog may reach before its root element (comments, a
/// processing instruction, a DOCTYPE): real files need a few hundred bytes.
const PROLOG_BYTES: u64 = 1 << 20;

/// The encodings a text file can announce with its first bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Encoding {
    Utf8 { bom: bool },
    Utf16,
    Utf32,
}

fn encoding(head: &[u8]) -> Encoding {
    if head.starts_with(b"\x00\x00\xFE\xFF") || head.starts_with(b"\xFF\xFE\x00\x00") {
        return Encoding::Utf32;
    }
    if head.starts_with(b"\xFF\xFE") || head.starts_with(b"\xFE\xFF") {
        return Encoding::Utf16;
    }
    if head.starts_with(b"\xEF\xBB\xBF") {
        return Encoding::Utf8 { bom: true };
    }
    // UTF-16 without a byte-order mark: ASCII text with a zero byte beside every character.
    if head.len() >= 4 && (head[1] == 0 && head[3] == 0 || head[0] == 0 && head[2] == 0) {
        return Encoding::Utf16;
    }
    Encoding::Utf8 { bom: false }
}

/// Binary formats known by their magic number, read through GDAL.
fn gdal_magic(head: &[u8]) -> Option<&'static str> {
    if head.starts_with(b"SQLite format 3\0") {
        Some("GeoPackage (SQLite)")
    } else if head.starts_with(&[0x00, 0x00, 0x27, 0x0A]) {
        Some("Shapefile")
    } else if head.starts_with(b"PK\x03\x04") {
        Some("ZIP archive")
    } else {
        None
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

impl<R: Read> Read for Counting<R> {
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

/// Reads one file of any format Strata reads; the unit features of the survey profile go to
/// `sink` as they are read. FlatGeobuf features `pick` jumps over are passed over unread (see
/// [`Sieve::feature`](super::sieve::Sieve::feature)); the other formats decode every feature.
pub(super) fn read_file(
    path: &Path,
    opts: &ImportOptions,
    pick: &mut dyn FnMut(u64, u64) -> Pick,
    sink: &mut dyn FnMut(RawPart),
) -> Result<FileContent, ImportError> {
    let io = |source| ImportError::Io {
        path: path.to_path_buf(),
        source,
    };
    let mut file = std::fs::File::open(path).map_err(io)?;
    let meta = file.metadata().map_err(io)?;
    if meta.is_dir() {
        return Err(ImportError::format(path, "a folder, not a file"));
    }
    let total = meta.len();
    let mut head = Vec::with_capacity(64);
    (&mut file).take(64).read_to_end(&mut head).map_err(io)?;
    if head.is_empty() {
        return Err(ImportError::format(path, "the file is empty"));
    }
    if is_flatgeobuf(&head) {
        return Ok(FileContent::Profile(read_flatgeobuf_picked(
            path,
            &opts.mapping,
            pick,
            sink,
        )?));
    }
    if let Some(kind) = gdal_magic(&head) {
        return read_other(path, opts, sink, kind);
    }
    let bom = match encoding(&head) {
        Encoding::Utf16 | Encoding::Utf32 => {
            return Err(ImportError::format(
                path,
                "the file is UTF-16 (or UTF-32) text: Strata reads text files in UTF-8 (save it as UTF-8)",
            ));
        }
        Encoding::Utf8 { bom } => bom,
    };
    // The first byte of the text after the byte-order mark and any whitespace.
    let mut rest =
        std::io::BufReader::with_capacity(1 << 16, std::io::Cursor::new(head).chain(file));
    if bom {
        std::io::copy(&mut (&mut rest).take(3), &mut std::io::sink()).map_err(io)?;
    }
    let first = loop {
        let mut b = [0u8; 1];
        if rest.read(&mut b).map_err(io)? == 0 {
            return Err(ImportError::format(path, "the file is empty"));
        }
        if !b[0].is_ascii_whitespace() {
            break b[0];
        }
    };
    let text = std::io::Cursor::new([first]).chain(rest);
    match first {
        b'{' => read_json(path, opts, pick, sink, text, total, bom),
        b'<' => read_xml(path, opts, sink),
        b'[' => Err(ImportError::format(
            path,
            "a JSON array: a survey file is a GeoJSON FeatureCollection or a CityJSON object",
        )),
        // Text that is neither JSON nor XML: a GDAL format (DXF, CSV); a file whose name says
        // JSON gets the JSON parser's own words about where it goes wrong.
        _ if names_json(path) => read_json(path, opts, pick, sink, text, total, bom),
        _ => read_other(path, opts, sink, "text that is not JSON or XML"),
    }
}

/// True when the file name says JSON (used for the wording of an error, never to decide).
fn names_json(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| ["json", "geojson"].contains(&e.to_ascii_lowercase().as_str()))
}

/// A JSON document: a GeoJSON FeatureCollection is streamed; when its members show it is
/// CityJSON, the file is read again, whole (CityJSON shares one vertex list).
fn read_json(
    path: &Path,
    opts: &ImportOptions,
    pick: &mut dyn FnMut(u64, u64) -> Pick,
    sink: &mut dyn FnMut(RawPart),
    text: impl Read + Send,
    total: u64,
    bom: bool,
) -> Result<FileContent, ImportError> {
    let reader = Counting {
        inner: text,
        read: 0,
        reported: 0,
        total,
        progress: opts.progress.clone(),
    };
    match read_geojson_picked(path, reader, &opts.mapping, pick, sink)? {
        Streamed::Profile(p) => Ok(FileContent::Profile(p)),
        Streamed::Other(Detected::CityJson) => {
            let bytes = super::error::read_file(path)?;
            let bytes = if bom { &bytes[3..] } else { &bytes[..] };
            let v = parse_strict(path, bytes)?;
            Ok(FileContent::City(parse_cityjson(path, &v)?))
        }
    }
}

/// An XML document: LandXML is read natively, other XML (GML, KML) through GDAL.
fn read_xml(
    path: &Path,
    opts: &ImportOptions,
    sink: &mut dyn FnMut(RawPart),
) -> Result<FileContent, ImportError> {
    let io = |source| ImportError::Io {
        path: path.to_path_buf(),
        source,
    };
    let mut head = Vec::new();
    std::fs::File::open(path)
        .map_err(io)?
        .take(PROLOG_BYTES)
        .read_to_end(&mut head)
        .map_err(io)?;
    match xml_root(&head) {
        Some(b"LandXML") => {
            let x = read_landxml(path, sink)?;
            Ok(FileContent::Profile(ProfileFile {
                crs: x.crs,
                height_datum: x.height_datum,
                plots: x.plots,
                extent: x.extent,
                ..ProfileFile::default()
            }))
        }
        Some(_) => read_other(path, opts, sink, "XML that is not LandXML"),
        None => Err(ImportError::format(
            path,
            format!(
                "XML without a root element in its first {} KiB",
                PROLOG_BYTES / 1024
            ),
        )),
    }
}

/// A file that is not JSON, FlatGeobuf or LandXML: read through GDAL when Strata is built with
/// it.
#[cfg(feature = "gdal")]
fn read_other(
    path: &Path,
    opts: &ImportOptions,
    sink: &mut dyn FnMut(RawPart),
    _kind: &str,
) -> Result<FileContent, ImportError> {
    Ok(FileContent::Profile(super::ogr::read_ogr(
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
    kind: &str,
) -> Result<FileContent, ImportError> {
    Err(ImportError::format(
        path,
        format!(
            "{kind}: not GeoJSON, CityJSON, FlatGeobuf or LandXML; DXF, Shapefile, GeoPackage and GML are read through GDAL: \
             build Strata with `--features gdal` (needs libgdal-dev)"
        ),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn xml_roots_and_encodings() {
        assert_eq!(
            xml_root(b"<?xml version=\"1.0\"?>\n<!-- c --><LandXML a=\"1\">"),
            Some(&b"LandXML"[..])
        );
        assert_eq!(
            xml_root(b"<gml:FeatureCollection>"),
            Some(&b"FeatureCollection"[..])
        );
        assert_eq!(xml_root(b"{\"type\": 1}"), None);
        assert_eq!(encoding(b"\xFF\xFE{\0"), Encoding::Utf16);
        assert_eq!(encoding(b"{\0\"\0"), Encoding::Utf16);
        assert_eq!(encoding(b"\xEF\xBB\xBF{"), Encoding::Utf8 { bom: true });
        assert_eq!(encoding(b"{\"a\""), Encoding::Utf8 { bom: false });
    }
}
