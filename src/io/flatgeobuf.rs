//! FlatGeobuf files of the survey profile: the same features and properties as the GeoJSON
//! profile in a binary, indexed file (what `strata generate` writes for large districts, and
//! what GDAL and QGIS read and write). Read natively, without GDAL, and parsed here with a
//! bounds check at every step: the flatbuffers tables are verified before they are read, and
//! the geometry is decoded by its `geometry` module with every index checked.
//!
//! The layout (FlatGeobuf 3): eight magic bytes (`fgb`, the major version, `fgb`, the patch
//! version); the header, a flatbuffers table after its u32 length; the packed Hilbert R-tree
//! when the header gives `index_node_size` > 0 and `features_count` > 0; then the features to
//! the end of the file, each a flatbuffers table after its u32 length. A file is refused when
//! it ends inside any of these (truncated), when it holds another number of features than its
//! header says, and when anything follows the last feature. The file is streamed: memory holds
//! one feature at a time (at most [`MAX_FEATURE_BYTES`]), whatever the size of the file.

mod geometry;
mod properties;
#[cfg(test)]
mod tests;

use std::fs::File;
use std::io::{Read, Seek, SeekFrom};
use std::path::Path;

use flatgeobuf::{
    Column, ColumnType, Feature, GeometryType, Header, size_prefixed_root_as_feature,
    size_prefixed_root_as_header,
};
use serde_json::Value;

use crate::diagnostics::{FeatureRef, clip};

use super::error::ImportError;
use super::mapping::FieldMapping;
use super::profile::{Extent, MAX_POSITIONS_PER_FEATURE, ProfileFile, RawPart, Record, record};
use super::sieve::Pick;

/// True when the bytes start with FlatGeobuf's magic number.
pub fn is_flatgeobuf(head: &[u8]) -> bool {
    head.len() >= 3 && &head[..3] == b"fgb"
}

/// The magic bytes: `fgb`, the major version, `fgb`, the patch version.
const MAGIC_BYTES: usize = 8;

/// The major version this reader implements: FlatGeobuf 3, what every current writer (GDAL
/// since 3.1, QGIS, the reference libraries, `strata generate`) writes. Another major version
/// is another layout, and is refused rather than misread.
const MAJOR_VERSION: u8 = 3;

/// The largest header accepted, as in the reference implementation: a header holds the column
/// schema, the CRS (its WKT a few kilobytes) and metadata; ten megabytes is far beyond any
/// survey layer and keeps a corrupt length from allocating gigabytes.
const MAX_HEADER_BYTES: u32 = 10 << 20;

/// The largest feature accepted (its table, without the u32 length before it): room for
/// [`MAX_POSITIONS_PER_FEATURE`] positions with every ordinate FlatGeobuf can carry (x, y, z,
/// m, t and tm: 48 bytes each) and 16 MiB of properties. A corrupt or hostile length beyond
/// this is refused before anything is allocated.
pub const MAX_FEATURE_BYTES: u64 = MAX_POSITIONS_PER_FEATURE as u64 * 48 + (16 << 20);

/// A node of the packed R-tree: its box (four f64) and an offset (u64).
const NODE_BYTES: u64 = 40;

/// When the first feature of an indexed file is not where the index of `features_count`
/// features ends, counts this far on either side are tried, to say which count the file is
/// laid out for (the error path only; each try reads a few bytes: two leaves of the index and
/// up to two features).
const COUNT_SEARCH: u64 = 1024;

/// A feature longer than this is not taken as evidence for another count (survey features are
/// a few hundred bytes; a length read from the wrong place is usually far larger).
const PROBE_MAX_BYTES: u32 = 64 << 10;

/// The read window: each read of the file is a large one, and as a survey feature is a few
/// hundred bytes, most features are decoded where they were read, without a copy.
const WINDOW_BYTES: usize = 256 << 10;

/// The file as read so far: every read is checked against the bytes that remain. Bytes are
/// read into a window, where a feature is decoded in place; the window grows only to hold a
/// feature larger than itself.
struct Input<'a> {
    path: &'a Path,
    file: File,
    /// Bytes read from the file: those not yet consumed are `window[start..end]`.
    window: Vec<u8>,
    start: usize,
    end: usize,
    /// The offset in the file of `window[start]`.
    at: u64,
    /// The length of the file.
    len: u64,
}

impl<'a> Input<'a> {
    fn open(path: &'a Path) -> Result<Self, ImportError> {
        let io = |source| ImportError::Io {
            path: path.to_path_buf(),
            source,
        };
        let file = File::open(path).map_err(io)?;
        let len = file.metadata().map_err(io)?.len();
        Ok(Input {
            path,
            file,
            window: vec![0; WINDOW_BYTES.min(usize::try_from(len).unwrap_or(WINDOW_BYTES))],
            start: 0,
            end: 0,
            at: 0,
            len,
        })
    }

    fn remaining(&self) -> u64 {
        self.len.saturating_sub(self.at)
    }

    fn io(&self, source: std::io::Error) -> ImportError {
        ImportError::Io {
            path: self.path.to_path_buf(),
            source,
        }
    }

    /// A format error, `FlatGeobuf: …`.
    fn format(&self, message: impl std::fmt::Display) -> ImportError {
        ImportError::format(self.path, format!("FlatGeobuf: {message}"))
    }

    /// Reads until `n` bytes, which the caller has checked remain in the file, are in the
    /// window: what is left moves to the front, and the window grows when `n` is larger.
    fn fill(&mut self, n: usize) -> Result<(), ImportError> {
        if self.window.len() - self.start < n {
            self.window.copy_within(self.start..self.end, 0);
            self.end -= self.start;
            self.start = 0;
            if self.window.len() < n {
                self.window.resize(n, 0);
            }
        }
        while self.end - self.start < n {
            let got = self
                .file
                .read(&mut self.window[self.end..])
                .map_err(|e| self.io(e))?;
            if got == 0 {
                return Err(self.io(std::io::Error::new(
                    std::io::ErrorKind::UnexpectedEof,
                    "the file became shorter while it was read",
                )));
            }
            self.end += got;
        }
        Ok(())
    }

    /// The next `n` bytes, which the caller has checked remain, without consuming them.
    fn peek(&mut self, n: usize) -> Result<&[u8], ImportError> {
        if self.end - self.start < n {
            self.fill(n)?;
        }
        Ok(&self.window[self.start..self.start + n])
    }

    /// The next `n` bytes, which the caller has checked remain, consumed.
    fn take(&mut self, n: usize) -> Result<&[u8], ImportError> {
        if self.end - self.start < n {
            self.fill(n)?;
        }
        let s = self.start;
        self.start += n;
        self.at += n as u64;
        Ok(&self.window[s..s + n])
    }

    /// A little-endian u32, which the caller has checked remains, consumed.
    fn take_u32(&mut self) -> Result<u32, ImportError> {
        let b = self.take(4)?;
        Ok(u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
    }

    /// Skips `n` bytes, which the caller has checked remain.
    fn skip(&mut self, n: u64) -> Result<(), ImportError> {
        let buffered = self.end - self.start;
        match usize::try_from(n) {
            Ok(k) if k <= buffered => self.start += k,
            _ => {
                self.file
                    .seek(SeekFrom::Start(self.at + n))
                    .map_err(|e| self.io(e))?;
                (self.start, self.end) = (0, 0);
            }
        }
        self.at += n;
        Ok(())
    }
}

/// What the reader keeps of the header.
struct Layout {
    /// The header's columns: what a property's column index means.
    columns: Vec<(String, ColumnType)>,
    /// The type of every geometry, or `Unknown` when each feature gives its own.
    geometry_type: GeometryType,
    /// The number of features; 0 when the writer did not know it.
    features_count: u64,
    /// The fan-out of the packed R-tree; 0 for none.
    index_node_size: u16,
    /// Where the index (or, without one, the first feature) starts.
    index_at: u64,
}

/// The number of bytes of the packed R-tree of `count` features, or `None` when it does not fit
/// in 64 bits (a corrupt header).
fn index_bytes(count: u64, node_size: u16) -> Option<u64> {
    if count == 0 || node_size == 0 {
        return Some(0);
    }
    let fan = u64::from(node_size.max(2));
    let (mut n, mut nodes) = (count, count);
    loop {
        n = n.div_ceil(fan);
        nodes = nodes.checked_add(n)?;
        if n == 1 {
            return nodes.checked_mul(NODE_BYTES);
        }
    }
}

/// Checks the magic bytes: FlatGeobuf, major version 3.
fn magic(input: &mut Input) -> Result<(), ImportError> {
    if input.remaining() < MAGIC_BYTES as u64 {
        return Err(input.format(format!(
            "the file ends inside its {MAGIC_BYTES} magic bytes (truncated): it has {} bytes",
            input.len
        )));
    }
    let mut m = [0u8; MAGIC_BYTES];
    m.copy_from_slice(input.take(MAGIC_BYTES)?);
    if &m[..3] != b"fgb" || &m[4..7] != b"fgb" {
        return Err(input.format(format!(
            "not a FlatGeobuf file: its magic bytes are {m:02x?}, not `fgb`, a version, `fgb`, a patch number"
        )));
    }
    if m[3] != MAJOR_VERSION {
        return Err(input.format(format!(
            "version {}.{} of the format: Strata reads FlatGeobuf version {MAJOR_VERSION}",
            m[3], m[7]
        )));
    }
    Ok(())
}

/// Reads the magic bytes and the header (its length checked against the file before anything
/// is allocated, its table verified), and skips the index. The CRS, the height datum and the
/// ground elevation go to `out`.
fn read_header(input: &mut Input, out: &mut ProfileFile) -> Result<Layout, ImportError> {
    magic(input)?;
    if input.remaining() < 4 {
        return Err(input.format("the file ends inside the header's length (truncated)"));
    }
    let size = input.take_u32()?;
    if u64::from(size) > input.remaining() {
        return Err(input.format(format!(
            "the header's length is {size} bytes, but {} remain: the file is truncated, or the length is corrupt",
            input.remaining()
        )));
    }
    if size > MAX_HEADER_BYTES {
        return Err(input.format(format!(
            "the header's length is {size} bytes, more than the {MAX_HEADER_BYTES} a header may hold"
        )));
    }
    let mut buf = Vec::with_capacity(4 + size as usize);
    buf.extend_from_slice(&size.to_le_bytes());
    buf.extend_from_slice(input.take(size as usize)?);
    let h = size_prefixed_root_as_header(&buf).map_err(|e| {
        input.format(format!(
            "the header is not a valid FlatGeobuf header table: {}",
            clip(&e.to_string())
        ))
    })?;
    header_values(&h, out);
    let layout = Layout {
        columns: columns(h.columns().iter().flat_map(|cs| cs.iter()))
            .map_err(|m| input.format(format!("`header.columns`: {m}")))?,
        geometry_type: h.geometry_type(),
        features_count: h.features_count(),
        index_node_size: h.index_node_size(),
        index_at: input.at,
    };
    if layout.geometry_type.variant_name().is_none() {
        return Err(input.format(format!(
            "`header.geometry_type` is {}, not a FlatGeobuf geometry type",
            layout.geometry_type.0
        )));
    }
    skip_index(input, &layout)?;
    Ok(layout)
}

/// A schema's columns (name and type, by column index); a name given twice is refused, as a
/// property of that name would be ambiguous.
fn columns<'c>(cs: impl Iterator<Item = Column<'c>>) -> Result<Vec<(String, ColumnType)>, String> {
    let list: Vec<(String, ColumnType)> = cs.map(|c| (c.name().to_string(), c.type_())).collect();
    let mut names: Vec<(&str, usize)> = list
        .iter()
        .enumerate()
        .map(|(i, (n, _))| (n.as_str(), i))
        .collect();
    names.sort_unstable();
    if let Some(w) = names.windows(2).find(|w| w[0].0 == w[1].0) {
        return Err(format!(
            "columns {} and {} are both named `{}`",
            w[0].1,
            w[1].1,
            clip(w[0].0)
        ));
    }
    Ok(list)
}

/// The header's CRS code, and the `height_datum` and `ground_elevation` of its metadata JSON.
fn header_values(h: &Header, out: &mut ProfileFile) {
    out.crs = h
        .crs()
        .map(|c| c.code())
        .filter(|&c| c > 0)
        .map(|c| c as u32);
    if let Some(meta) = h
        .metadata()
        .and_then(|m| serde_json::from_str::<Value>(m).ok())
    {
        out.height_datum = meta
            .get("height_datum")
            .and_then(Value::as_str)
            .map(str::to_string);
        out.ground_elevation = meta.get("ground_elevation").and_then(Value::as_f64);
    }
}

/// Skips the packed R-tree by its size, computed from the header and checked against the file.
fn skip_index(input: &mut Input, layout: &Layout) -> Result<(), ImportError> {
    let (count, node) = (layout.features_count, layout.index_node_size);
    if node == 1 && count > 0 {
        return Err(input.format(
            "`header.index_node_size` is 1: an index has nodes of at least 2 entries (0 for none)",
        ));
    }
    let Some(size) = index_bytes(count, node) else {
        return Err(input.format(format!(
            "the index of `header.features_count` = {count} features with `header.index_node_size` = {node} would not fit in 64 bits: the header is corrupt"
        )));
    };
    if size > input.remaining() {
        return Err(input.format(format!(
            "the index of `header.features_count` = {count} features with `header.index_node_size` = {node} takes {size} bytes, but {} remain: the file is truncated, or the header is wrong",
            input.remaining()
        )));
    }
    input.skip(size)
}

/// The next feature, its u32 length included (as the table's alignment is counted from it);
/// `None` at the end of the file. The length is checked against the bytes that remain, and
/// against [`MAX_FEATURE_BYTES`], before anything is read or allocated.
fn next_frame<'i>(input: &'i mut Input, i: u64) -> Result<Option<&'i [u8]>, ImportError> {
    let remaining = input.remaining();
    if remaining == 0 {
        return Ok(None);
    }
    let err = |input: &Input, m: String| {
        ImportError::field(
            input.path,
            FeatureRef::feature(i as usize, None),
            "length",
            m,
        )
    };
    if remaining < 4 {
        return Err(err(
            input,
            format!(
                "the file ends inside the feature (truncated): {remaining} bytes remain, fewer than its 4-byte length"
            ),
        ));
    }
    let b = input.peek(4)?;
    let size = u32::from_le_bytes([b[0], b[1], b[2], b[3]]);
    if u64::from(size) > remaining - 4 {
        return Err(err(
            input,
            format!(
                "the file ends inside the feature (truncated): its length is {size} bytes, but {} remain",
                remaining - 4
            ),
        ));
    }
    if u64::from(size) > MAX_FEATURE_BYTES {
        return Err(err(
            input,
            format!("{size} bytes, more than the {MAX_FEATURE_BYTES} a feature may hold"),
        ));
    }
    input.take(4 + size as usize).map(Some)
}

/// The feature table of `frame` (a feature with its u32 length), verified.
fn verify<'b>(path: &Path, frame: &'b [u8], i: u64) -> Result<Feature<'b>, ImportError> {
    size_prefixed_root_as_feature(frame).map_err(|e| {
        ImportError::field(
            path,
            FeatureRef::feature(i as usize, None),
            "table",
            format!(
                "not a valid FlatGeobuf feature table: {}",
                clip(&e.to_string())
            ),
        )
    })
}

/// Decodes verified feature tables into records of the survey profile.
struct Decoder<'a> {
    path: &'a Path,
    columns: &'a [(String, ColumnType)],
    geometry_type: GeometryType,
    mapping: &'a FieldMapping,
    extent: Option<Extent>,
}

impl Decoder<'_> {
    /// Feature `i`: its properties (with the feature's own columns when it has them), its
    /// label (`feature 3 ("unit code or plot id")`) and its footprints.
    fn record(&mut self, i: usize, f: Feature) -> Result<Record, ImportError> {
        let own: Vec<(String, ColumnType)>;
        let columns = match f.columns() {
            Some(cs) if !cs.is_empty() => {
                own = columns(cs.iter()).map_err(|m| {
                    ImportError::field(self.path, FeatureRef::feature(i, None), "columns", m)
                })?;
                &own[..]
            }
            _ => self.columns,
        };
        let raw = match f.properties() {
            Some(p) => properties::decode(p.bytes(), columns).map_err(|m| {
                ImportError::field(self.path, FeatureRef::feature(i, None), "properties", m)
            })?,
            None => serde_json::Map::new(),
        };
        let props = self.mapping.apply(raw);
        let label = FeatureRef::feature(
            i,
            props
                .get("unit_code")
                .or_else(|| props.get("plot_id"))
                .and_then(Value::as_str),
        );
        let footprints =
            geometry::footprints(f.geometry(), self.geometry_type, &label, &mut self.extent)
                .map_err(|e| ImportError::field(self.path, label.clone(), e.field, e.message))?;
        record(self.path, label, props, footprints)
    }
}

/// Reads a FlatGeobuf file of the survey profile, streaming: each unit feature goes to `sink`
/// as it is read, and memory holds one feature at a time. A file that ends inside a feature,
/// holds another number of features than `header.features_count` says, or has bytes after its
/// last feature, is refused.
pub fn read_flatgeobuf(
    path: &Path,
    mapping: &FieldMapping,
    sink: &mut dyn FnMut(RawPart),
) -> Result<ProfileFile, ImportError> {
    read_flatgeobuf_picked(path, mapping, &mut |_, _| Pick::Read, sink)
}

/// Reads a FlatGeobuf file like [`read_flatgeobuf`], asking `pick` with each feature's index
/// and offset whether to read it: the features it jumps over are passed over unread (not
/// verified, not decoded), for a file read whole once already, whose errors are known. A
/// jump that does not go forwards within the file is refused.
pub fn read_flatgeobuf_picked(
    path: &Path,
    mapping: &FieldMapping,
    pick: &mut dyn FnMut(u64, u64) -> Pick,
    sink: &mut dyn FnMut(RawPart),
) -> Result<ProfileFile, ImportError> {
    let mut input = Input::open(path)?;
    let mut out = ProfileFile::default();
    let layout = read_header(&mut input, &mut out)?;
    let mut dec = Decoder {
        path,
        columns: &layout.columns,
        geometry_type: layout.geometry_type,
        mapping,
        extent: None,
    };
    let mut i = 0u64;
    while layout.features_count == 0 || i < layout.features_count {
        if let Pick::Jump { index, offset } = pick(i, input.at) {
            if index <= i || offset < input.at || offset > input.len {
                return Err(input.format(format!(
                    "a jump from feature {i} (byte {}) to feature {index} (byte {offset}) does not go forwards within the file",
                    input.at
                )));
            }
            input.skip(offset - input.at)?;
            i = index;
            continue;
        }
        let feature = match next_frame(&mut input, i) {
            Ok(None) => break,
            Ok(Some(frame)) => verify(path, frame, i),
            Err(e) => Err(e),
        };
        let feature = match feature {
            Ok(f) => f,
            Err(e) if i == 0 => return Err(misplaced(&mut input, &layout).unwrap_or(e)),
            Err(e) => return Err(e),
        };
        match dec.record(i as usize, feature)? {
            Record::Plot(p) => out.plots.push(p),
            Record::Part(p) => sink(p),
        }
        i += 1;
    }
    out.extent = dec.extent;
    check_end(&mut input, &layout, i)?;
    Ok(out)
}

/// After the features: a known count must match, and nothing may follow the last feature.
fn check_end(input: &mut Input, layout: &Layout, read: u64) -> Result<(), ImportError> {
    let n = layout.features_count;
    if n > 0 && read < n {
        return Err(input.format(format!(
            "`header.features_count` is {n}, but the file ends after {read} features: it is truncated, or the count is wrong"
        )));
    }
    let trailing = input.remaining();
    if trailing == 0 {
        return Ok(());
    }
    // Bytes after the counted features: more whole features (the count is wrong), or not.
    let mut more = 0u64;
    loop {
        match next_frame(input, n + more) {
            Ok(Some(frame)) if size_prefixed_root_as_feature(frame).is_ok() => more += 1,
            Ok(None) => {
                return Err(input.format(format!(
                    "`header.features_count` is {n}, but the file holds {} features",
                    n + more
                )));
            }
            _ => {
                return Err(input.format(format!(
                    "{trailing} bytes follow the last of the {n} features of `header.features_count`, and they are not features"
                )));
            }
        }
    }
}

/// When the first feature of an indexed file is not where the index ends: the error naming
/// `header.features_count`, if another count near it explains the file (see
/// [`laid_out_for`]). `None` when no count explains it, or on a read error.
fn misplaced(input: &mut Input, layout: &Layout) -> Option<ImportError> {
    let (n, node) = (layout.features_count, layout.index_node_size);
    if n == 0 || node == 0 {
        return None;
    }
    let candidates = (1..=COUNT_SEARCH).flat_map(|d| [n.checked_sub(d), n.checked_add(d)]);
    for c in candidates.flatten().filter(|&c| c > 0) {
        let Some(at) = index_bytes(c, node).and_then(|s| layout.index_at.checked_add(s)) else {
            continue;
        };
        if at < input.len && laid_out_for(input, at, c).ok()? {
            return Some(input.format(format!(
                "`header.features_count` is {n}, but the index and the features are laid out for {c} features: the header's count is wrong"
            )));
        }
    }
    None
}

/// True when the index of `count` features, ending at byte `at`, fits the features after it:
/// the first (up to) two are valid tables, and the first leaves of the index (the last `count`
/// nodes; writers store the features in the order of the leaves) give their offsets.
/// Reads a few bytes at a time, around the window (the read fails anyway).
fn laid_out_for(input: &mut Input, at: u64, count: u64) -> std::io::Result<bool> {
    let section = input.len - at;
    let file = &mut input.file;
    let Some(leaves) = count
        .checked_mul(NODE_BYTES)
        .and_then(|b| at.checked_sub(b))
    else {
        return Ok(false);
    };
    let mut offset = 0u64;
    for k in 0..count.min(2) {
        file.seek(SeekFrom::Start(leaves + k * NODE_BYTES + 32))?;
        let mut leaf = [0u8; 8];
        file.read_exact(&mut leaf)?;
        if u64::from_le_bytes(leaf) != offset || section - offset < 4 {
            return Ok(false);
        }
        file.seek(SeekFrom::Start(at + offset))?;
        let mut b = [0u8; 4];
        file.read_exact(&mut b)?;
        let size = u32::from_le_bytes(b);
        if size > PROBE_MAX_BYTES || u64::from(size) > section - offset - 4 {
            return Ok(false);
        }
        let mut frame = vec![0u8; 4 + size as usize];
        frame[..4].copy_from_slice(&b);
        file.read_exact(&mut frame[4..])?;
        if size_prefixed_root_as_feature(&frame).is_err() {
            return Ok(false);
        }
        offset += 4 + u64::from(size);
    }
    // One feature: it ends the file.
    Ok(count > 1 || offset == section)
}
