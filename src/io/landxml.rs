//! LandXML 1.2: 2D parcels as planning plots, volumetric parcels as unit parts (see
//! `docs/formats/landxml.md`).
//!
//! The profile is the one of the Australian ePlan protocol and of the 3D cadastral survey data
//! models built on LandXML: `<CgPoints>` in the surveying order (northing, easting, elevation),
//! `<Parcels>` whose `<CoordGeom>` lines close a ring, and volumetric parcels given either as a
//! footprint between an upper and a lower limit (a prism) or by their bounding faces (a
//! polyhedron). Everything else in the file (survey observations, monuments, alignments,
//! surfaces) is ignored.

use std::io::Read;
use std::path::Path;

use geo::{LineString, MultiPolygon, Polygon};
use roxmltree::{Document, Node, ParsingOptions};
use rustc_hash::FxHashMap;
use serde_json::{Map, Number, Value};

use crate::diagnostics::{Code, FeatureRef, Finding, Location, ObjectRef};
use crate::geometry::{Face, Part, Point3, Polyhedron, Prism, Shell};
use crate::model::Plot;
use crate::model::frame::parse_epsg;

use super::error::ImportError;
use super::fields::MODEL_FIELDS;
use super::profile::{Extent, RawPart};

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
    let mut s = head.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(head);
    loop {
        s = s.trim_ascii_start();
        let skip_to = |s: &[u8], end: &[u8]| -> Option<usize> {
            s.windows(end.len())
                .position(|w| w == end)
                .map(|i| i + end.len())
        };
        let next = if s.starts_with(b"<?") {
            skip_to(s, b"?>")
        } else if s.starts_with(b"<!--") {
            skip_to(s, b"-->")
        } else if s.starts_with(b"<!") {
            // A DOCTYPE, possibly with an internal subset.
            let gt = s.iter().position(|&c| c == b'>');
            match (s.iter().position(|&c| c == b'['), gt) {
                (Some(b), Some(g)) if b < g => skip_to(s, b"]>").or_else(|| {
                    skip_to(s, b"]").and_then(|i| skip_to(&s[i..], b">").map(|j| i + j))
                }),
                (_, g) => g.map(|g| g + 1),
            }
        } else if let Some(rest) = s.strip_prefix(b"<") {
            let end = rest
                .iter()
                .position(|&c| c.is_ascii_whitespace() || c == b'>' || c == b'/');
            let Some(end) = end else { return false };
            let qname = &rest[..end];
            let local = match qname.iter().rposition(|&c| c == b':') {
                Some(i) => &qname[i + 1..],
                None => qname,
            };
            return local == b"LandXML";
        } else {
            return false;
        };
        match next {
            Some(i) => s = &s[i..],
            None => return false,
        }
    }
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
                tag: "Parcel".into(),
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

/// The text of the file: UTF-8 only, without a byte-order mark.
fn decode<'b>(path: &Path, bytes: &'b [u8]) -> Result<&'b str, ImportError> {
    if bytes.starts_with(b"\xFF\xFE") || bytes.starts_with(b"\xFE\xFF") {
        return Err(ImportError::format(
            path,
            "the file is UTF-16: Strata reads LandXML in UTF-8 only (save it as UTF-8)",
        ));
    }
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let text = std::str::from_utf8(bytes).map_err(|e| {
        let at = e.valid_up_to();
        let line = bytes[..at].iter().filter(|&&c| c == b'\n').count() + 1;
        ImportError::format(
            path,
            format!(
                "not UTF-8 (line {line}): Strata reads LandXML in UTF-8 only (save it as UTF-8)"
            ),
        )
    })?;
    if text.trim().is_empty() {
        return Err(ImportError::format(path, "the file is empty"));
    }
    Ok(text)
}

/// A parser error with its line and column; a file that stops early is reported at its end.
fn xml_error(path: &Path, text: &str, e: &roxmltree::Error) -> ImportError {
    use roxmltree::Error as E;
    let (line, column, message) = match e {
        E::UnclosedRootNode | E::UnexpectedEndOfStream | E::NoRootNode => {
            let t = text.trim_end();
            let line = t.matches('\n').count() + 1;
            let column = t.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
            let what = if matches!(e, E::NoRootNode) {
                "the file has no root element"
            } else {
                "the file ends before the XML is complete (elements left open): is it truncated?"
            };
            (line, column, what.to_string())
        }
        E::DtdDetected => {
            let at = text.find("<!DOCTYPE").unwrap_or(0);
            let before = &text[..at];
            let line = before.matches('\n').count() + 1;
            let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
            (
                line,
                column,
                "a DTD (<!DOCTYPE ...>) is not accepted: remove it".to_string(),
            )
        }
        _ => {
            let pos = e.pos();
            let m = e.to_string().replace(&format!(" at {pos}"), "");
            (pos.row as usize, pos.col as usize, m)
        }
    };
    ImportError::format(
        path,
        format!("not well-formed XML (line {line}, column {column}): {message}"),
    )
}

fn child<'a, 'i>(n: Node<'a, 'i>, name: &str) -> Option<Node<'a, 'i>> {
    children(n, name).next()
}

fn children<'a, 'i: 'a>(n: Node<'a, 'i>, name: &str) -> impl Iterator<Item = Node<'a, 'i>> {
    let name = name.to_string();
    n.children()
        .filter(move |c| c.is_element() && c.tag_name().name() == name)
}

fn is_face(n: Node) -> bool {
    n.attribute("class")
        .is_some_and(|c| c.trim().eq_ignore_ascii_case("face"))
}

fn line_of(n: Node) -> u32 {
    n.document().text_pos_at(n.range().start).row
}

fn check_units(path: &Path, root: Node) -> Result<(), ImportError> {
    let Some(units) = child(root, "Units") else {
        return Err(ImportError::field(
            path,
            FeatureRef::file(),
            "Units",
            "missing: LandXML requires <Units>, and Strata reads metres only (<Units><Metric linearUnit=\"meter\" .../></Units>)",
        ));
    };
    let Some(system) = units.children().find(Node::is_element) else {
        return Err(ImportError::field(
            path,
            FeatureRef::file(),
            "Units",
            "empty: expected <Metric linearUnit=\"meter\" .../>",
        ));
    };
    let name = system.tag_name().name();
    let linear = system.attribute("linearUnit").map(str::trim);
    match (name, linear) {
        ("Metric", Some(u))
            if u.eq_ignore_ascii_case("meter") || u.eq_ignore_ascii_case("metre") =>
        {
            Ok(())
        }
        ("Metric", Some(u)) => Err(ImportError::field(
            path,
            FeatureRef::file(),
            "Units/Metric/@linearUnit",
            format!(
                "is \"{u}\": Strata reads metres only (linearUnit=\"meter\"); convert the coordinates and elevations to metres"
            ),
        )),
        ("Metric", None) => Err(ImportError::field(
            path,
            FeatureRef::file(),
            "Units/Metric/@linearUnit",
            "missing: Strata reads metres only (linearUnit=\"meter\")",
        )),
        (other, u) => Err(ImportError::field(
            path,
            FeatureRef::file(),
            format!("Units/{other}"),
            format!(
                "<{other}{}> units: Strata reads metres only (<Metric linearUnit=\"meter\"/>); convert the survey to metres",
                u.map(|u| format!(" linearUnit=\"{u}\""))
                    .unwrap_or_default()
            ),
        )),
    }
}

fn crs(path: &Path, cs: Node) -> Result<Option<u32>, ImportError> {
    if let Some(code) = cs.attribute("epsgCode").map(str::trim)
        && !code.is_empty()
    {
        return match code.parse::<u32>().ok().or_else(|| parse_epsg(code)) {
            Some(c) => Ok(Some(c)),
            None => Err(ImportError::Crs {
                path: path.to_path_buf(),
                message: format!(
                    "CoordinateSystem/@epsgCode: cannot read \"{code}\"; expected an EPSG code such as \"4548\""
                ),
            }),
        };
    }
    Ok(["ogcWktCode", "name", "horizontalCoordinateSystemName"]
        .iter()
        .filter_map(|a| cs.attribute(*a))
        .find_map(parse_epsg))
}

/// A point of the file, in Strata's axes.
#[derive(Debug, Clone)]
struct Vertex {
    x: f64,
    y: f64,
    z: Option<f64>,
    /// The point's name, or its coordinates when it has none.
    label: String,
}

/// One `<Line>` of a `<CoordGeom>`: two vertex ids.
#[derive(Debug, Clone, Copy)]
struct Seg {
    a: usize,
    b: usize,
}

enum Item {
    Plot(Plot),
    Part(RawPart),
}

/// The Feature Properties of a parcel: (label, value, field path), in file order.
type Props = Vec<(String, String, String)>;

/// The lower and upper limits of a volumetric parcel, when given and readable.
type Limits = [Option<f64>; 2];

struct Reader<'a, 'i> {
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

fn bits(v: f64) -> u64 {
    if v == 0.0 { 0 } else { v.to_bits() }
}

fn fmt_num(v: f64) -> String {
    format!("{v}")
}

impl<'a, 'i> Reader<'a, 'i> {
    fn new(path: &'a Path, doc: &'a Document<'i>) -> Result<Self, ImportError> {
        let root = doc.root_element();
        let mut points: FxHashMap<&'a str, Node<'a, 'i>> = FxHashMap::default();
        for group in children(root, "CgPoints") {
            for p in group.descendants() {
                if !(p.is_element() && p.tag_name().name() == "CgPoint") {
                    continue;
                }
                let Some(name) = p.attribute("name") else {
                    continue;
                };
                if let Some(first) = points.insert(name, p) {
                    return Err(ImportError::field(
                        path,
                        FeatureRef::element("CgPoint", name),
                        "@name",
                        format!(
                            "the point name \"{name}\" is used twice (lines {} and {}): point names must be unique",
                            line_of(first),
                            line_of(p)
                        ),
                    ));
                }
            }
        }
        let mut parcels: FxHashMap<&'a str, Node<'a, 'i>> = FxHashMap::default();
        for p in children(root, "Parcels").flat_map(|ps| children(ps, "Parcel")) {
            if p.attribute("pclRef").is_some() {
                continue;
            }
            let Some(name) = p.attribute("name") else {
                continue;
            };
            if let Some(first) = parcels.insert(name, p) {
                return Err(ImportError::field(
                    path,
                    FeatureRef::element("Parcel", name),
                    "@name",
                    format!(
                        "the parcel name \"{name}\" is used twice (lines {} and {}): parcel names must be unique",
                        line_of(first),
                        line_of(p)
                    ),
                ));
            }
        }
        Ok(Reader {
            path,
            points,
            named: FxHashMap::default(),
            by_coord: FxHashMap::default(),
            vertices: Vec::new(),
            parcels,
            extent: None,
        })
    }

    fn err(&self, feature: &FeatureRef, field: &str, msg: impl Into<String>) -> ImportError {
        ImportError::field(self.path, feature.clone(), field, msg)
    }

    /// Reads `northing easting [elevation]`.
    fn coords(
        &self,
        text: &str,
        feature: &FeatureRef,
        field: &str,
        what: &str,
    ) -> Result<(f64, f64, Option<f64>), ImportError> {
        let words: Vec<&str> = text.split_whitespace().collect();
        if !(2..=3).contains(&words.len()) {
            return Err(self.err(
                feature,
                field,
                format!(
                    "{what}: expected \"northing easting [elevation]\", found {} value(s): \"{}\"",
                    words.len(),
                    text.trim()
                ),
            ));
        }
        let mut v = [0.0; 3];
        for (k, w) in words.iter().enumerate() {
            let axis = ["northing", "easting", "elevation"][k];
            let x: f64 = w.parse().map_err(|_| {
                self.err(
                    feature,
                    field,
                    format!("{what}: the {axis} is not a number: \"{w}\""),
                )
            })?;
            if !x.is_finite() {
                return Err(self.err(
                    feature,
                    field,
                    format!("{what}: the {axis} is not a finite number: \"{w}\""),
                ));
            }
            v[k] = x;
        }
        Ok((v[0], v[1], (words.len() == 3).then_some(v[2])))
    }

    /// The vertex at (northing, easting, elevation): x = easting, y = northing.
    fn vertex(&mut self, n: f64, e: f64, z: Option<f64>, label: impl FnOnce() -> String) -> usize {
        let key = (bits(e), bits(n), z.map(bits));
        if let Some(&id) = self.by_coord.get(&key) {
            return id;
        }
        let id = self.vertices.len();
        self.vertices.push(Vertex {
            x: e,
            y: n,
            z,
            label: label(),
        });
        self.by_coord.insert(key, id);
        let ext = self.extent.get_or_insert(Extent {
            min: [e, n],
            max: [e, n],
        });
        ext.min = [ext.min[0].min(e), ext.min[1].min(n)];
        ext.max = [ext.max[0].max(e), ext.max[1].max(n)];
        id
    }

    /// The vertex of the `<CgPoint>` named `name` (following `pntRef` aliases).
    fn named_point(
        &mut self,
        name: &str,
        feature: &FeatureRef,
        field: &str,
    ) -> Result<usize, ImportError> {
        if let Some(&id) = self.named.get(name) {
            return Ok(id);
        }
        let mut cur = name;
        let mut hops = 0usize;
        let node = loop {
            let Some(&node) = self.points.get(cur) else {
                let msg = if cur == name {
                    format!("the point \"{name}\" is not in <CgPoints>")
                } else {
                    format!(
                        "the point \"{name}\" refers (pntRef) to \"{cur}\", which is not in <CgPoints>"
                    )
                };
                return Err(self.err(feature, field, msg));
            };
            let text = node.text().unwrap_or("").trim();
            match node.attribute("pntRef").map(str::trim) {
                Some(r) if text.is_empty() && !r.is_empty() => {
                    hops += 1;
                    if hops > self.points.len() {
                        return Err(self.err(
                            feature,
                            field,
                            format!("the point \"{name}\" refers (pntRef) to itself in a loop"),
                        ));
                    }
                    cur = r;
                }
                _ => break node,
            }
        };
        let text = node.text().unwrap_or("");
        let what = format!("CgPoint \"{}\" (line {})", cur, line_of(node));
        if text.trim().is_empty() {
            return Err(self.err(
                feature,
                field,
                format!("{what} has no coordinates (expected \"northing easting [elevation]\")"),
            ));
        }
        let (n, e, z) = self.coords(text, feature, field, &what)?;
        let id = self.vertex(n, e, z, || name.to_string());
        self.named.insert(name.to_string(), id);
        Ok(id)
    }

    /// A `<Start>` or `<End>`: a `pntRef` or coordinates.
    fn endpoint(
        &mut self,
        node: Node,
        feature: &FeatureRef,
        field: &str,
    ) -> Result<usize, ImportError> {
        if let Some(r) = node.attribute("pntRef").map(str::trim) {
            return self.named_point(r, feature, &format!("{field}/@pntRef"));
        }
        let text = node.text().unwrap_or("");
        if text.trim().is_empty() {
            return Err(self.err(
                feature,
                field,
                "needs a pntRef attribute or coordinates \"northing easting [elevation]\"",
            ));
        }
        let (n, e, z) = self.coords(text, feature, field, "the coordinates")?;
        Ok(self.vertex(n, e, z, || match z {
            Some(z) => format!("({} N, {} E, {} Z)", fmt_num(n), fmt_num(e), fmt_num(z)),
            None => format!("({} N, {} E)", fmt_num(n), fmt_num(e)),
        }))
    }

    /// The ring of a parcel's `<CoordGeom>` (vertex ids, not repeated at the end), or `None`
    /// when the parcel has no `<CoordGeom>`. `prefix` starts field paths (`face "F1" `).
    fn ring(
        &mut self,
        parcel: Node,
        feature: &FeatureRef,
        prefix: &str,
        budget: &mut usize,
    ) -> Result<Option<Vec<usize>>, ImportError> {
        let mut geoms = children(parcel, "CoordGeom");
        let Some(cg) = geoms.next() else {
            return Ok(None);
        };
        if geoms.next().is_some() {
            return Err(self.err(
                feature,
                &format!("{prefix}CoordGeom"),
                "more than one <CoordGeom>: a parcel (or face) has one ring of <Line> segments",
            ));
        }
        let mut segs = Vec::new();
        let mut k = 0usize;
        for g in cg.children().filter(Node::is_element) {
            let tag = g.tag_name().name();
            match tag {
                "Line" => {
                    let field = format!("{prefix}CoordGeom/Line[{k}]");
                    k += 1;
                    if *budget == 0 {
                        return Err(self.err(
                            feature,
                            &field,
                            format!(
                                "the parcel has more than {MAX_PARCEL_POINTS} points: refused (split it into several parcels)"
                            ),
                        ));
                    }
                    *budget -= 1;
                    let (Some(s), Some(e)) = (child(g, "Start"), child(g, "End")) else {
                        return Err(self.err(
                            feature,
                            &field,
                            "a <Line> needs a <Start> and an <End>",
                        ));
                    };
                    let a = self.endpoint(s, feature, &format!("{field}/Start"))?;
                    let b = self.endpoint(e, feature, &format!("{field}/End"))?;
                    if a == b {
                        return Err(self.err(
                            feature,
                            &field,
                            format!(
                                "the line starts and ends at the same point {}",
                                self.vertices[a].label
                            ),
                        ));
                    }
                    segs.push(Seg { a, b });
                }
                "Curve" => {
                    return Err(self.err(
                        feature,
                        &format!("{prefix}CoordGeom/Curve"),
                        "arcs (<Curve>) are not supported: give the boundary as <Line> segments (chords)",
                    ));
                }
                "IrregularLine" | "Spiral" | "Chain" => {
                    return Err(self.err(
                        feature,
                        &format!("{prefix}CoordGeom/{tag}"),
                        format!("<{tag}> is not supported: give the boundary as <Line> segments"),
                    ));
                }
                _ => {}
            }
        }
        self.chain(&segs, feature, &format!("{prefix}CoordGeom"))
            .map(Some)
    }

    /// Chains the lines into one closed ring that runs in the direction of the first line.
    fn chain(
        &self,
        segs: &[Seg],
        feature: &FeatureRef,
        field: &str,
    ) -> Result<Vec<usize>, ImportError> {
        let Some(first) = segs.first() else {
            return Err(self.err(feature, field, "no <Line>: the ring is empty"));
        };
        let mut adj: FxHashMap<usize, Vec<usize>> = FxHashMap::default();
        for (i, s) in segs.iter().enumerate() {
            adj.entry(s.a).or_default().push(i);
            adj.entry(s.b).or_default().push(i);
        }
        let mut used = vec![false; segs.len()];
        used[0] = true;
        let start = first.a;
        let mut ring = vec![start];
        let mut cur = first.b;
        // Position of the next candidate in each vertex's list (each list is walked once).
        let mut cursor: FxHashMap<usize, usize> = FxHashMap::default();
        while cur != start {
            ring.push(cur);
            let list = adj.get(&cur).map(Vec::as_slice).unwrap_or(&[]);
            let c = cursor.entry(cur).or_insert(0);
            while *c < list.len() && used[list[*c]] {
                *c += 1;
            }
            let Some(&k) = list.get(*c) else {
                return Err(self.err(
                    feature,
                    field,
                    format!(
                        "the lines do not close a ring: the chain from {} stops at {} (no other <Line> starts or ends there)",
                        self.vertices[start].label, self.vertices[cur].label
                    ),
                ));
            };
            used[k] = true;
            cur = if segs[k].a == cur {
                segs[k].b
            } else {
                segs[k].a
            };
        }
        if let Some(k) = used.iter().position(|u| !u) {
            return Err(self.err(
                feature,
                field,
                format!(
                    "the lines form more than one ring (line {k}, {}–{}, is not on the ring that starts at line 0): holes and multi-part parcels are not supported",
                    self.vertices[segs[k].a].label, self.vertices[segs[k].b].label
                ),
            ));
        }
        Ok(ring)
    }

    fn polygon(&self, ring: &[usize]) -> Polygon<f64> {
        let pts: Vec<(f64, f64)> = ring
            .iter()
            .map(|&i| (self.vertices[i].x, self.vertices[i].y))
            .collect();
        Polygon::new(LineString::from(pts), vec![])
    }

    /// The Properties of the parcel's `<Feature>` children.
    fn properties(&self, parcel: Node, feature: &FeatureRef) -> Result<Props, ImportError> {
        let mut out: Props = Vec::new();
        let mut seen: FxHashMap<String, usize> = FxHashMap::default();
        for (fi, f) in children(parcel, "Feature").enumerate() {
            for (pi, p) in children(f, "Property").enumerate() {
                let field = format!("Feature[{fi}]/Property[{pi}]");
                let Some(label) = p
                    .attribute("label")
                    .map(str::trim)
                    .filter(|l| !l.is_empty())
                else {
                    return Err(self.err(feature, &field, "a <Property> needs a label"));
                };
                let value = p.attribute("value").unwrap_or("").trim().to_string();
                let field = format!("Feature/Property[@label='{label}']");
                if let Some(&j) = seen.get(label) {
                    if out[j].1 != value {
                        return Err(self.err(
                            feature,
                            &field,
                            format!(
                                "given twice with different values: \"{}\" and \"{value}\"",
                                out[j].1
                            ),
                        ));
                    }
                    continue;
                }
                seen.insert(label.to_string(), out.len());
                out.push((label.to_string(), value, field));
            }
        }
        Ok(out)
    }

    fn parcel(&mut self, p: Node<'a, 'i>, feature: FeatureRef) -> Result<Item, ImportError> {
        let format = p.attribute("parcelFormat").map(str::trim);
        let props = self.properties(p, &feature)?;
        let sub: Vec<Node> = children(p, "Parcels")
            .flat_map(|ps| children(ps, "Parcel"))
            .collect();
        let volumetric = format.is_some_and(|f| f.eq_ignore_ascii_case("volumetric"));
        let standard = format.is_none_or(|f| f.is_empty() || f.eq_ignore_ascii_case("standard"));
        if volumetric {
            return self.volumetric(p, feature, props, &sub).map(Item::Part);
        }
        if !standard {
            return Err(self.err(
                &feature,
                "@parcelFormat",
                format!(
                    "\"{}\" is not supported: use \"Standard\" (or none) for a 2D parcel and \"Volumetric\" for a 3D one",
                    format.unwrap_or("")
                ),
            ));
        }
        let has_faces = sub.iter().any(|c| {
            is_face(*c)
                || c.attribute("pclRef")
                    .and_then(|r| self.parcels.get(r.trim()))
                    .is_some_and(|t| is_face(*t))
        });
        let has_limits = ["upperLimit", "lowerLimit"]
            .iter()
            .any(|l| p.attribute(*l).is_some() || props.iter().any(|(k, _, _)| k == l));
        if has_faces || has_limits {
            return Err(self.err(
                &feature,
                "@parcelFormat",
                format!(
                    "the parcel has {} but is not volumetric: set parcelFormat=\"Volumetric\"",
                    if has_faces {
                        "faces"
                    } else {
                        "an upper or lower limit"
                    }
                ),
            ));
        }
        self.plot(p, feature, props).map(Item::Plot)
    }

    fn plot(&mut self, p: Node, feature: FeatureRef, props: Props) -> Result<Plot, ImportError> {
        let Some(id) = p.attribute("name").map(str::trim).filter(|s| !s.is_empty()) else {
            return Err(self.err(
                &feature,
                "@name",
                "a 2D parcel is a planning plot and needs a name (the plot id)",
            ));
        };
        let mut budget = MAX_PARCEL_POINTS;
        let Some(ring) = self.ring(p, &feature, "", &mut budget)? else {
            return Err(self.err(
                &feature,
                "CoordGeom",
                "missing: a 2D parcel needs a <CoordGeom> of <Line> segments",
            ));
        };
        let get = |k: &str| props.iter().find(|(l, _, _)| l == k);
        let ground_elevation = match get("ground_elevation") {
            None => None,
            Some((_, v, field)) => match v.parse::<f64>() {
                Ok(z) if z.is_finite() => Some(z),
                _ => {
                    return Err(self.err(
                        &feature,
                        field,
                        format!("must be a number of metres, found \"{v}\""),
                    ));
                }
            },
        };
        let green_space = match get("green_space") {
            None => false,
            Some((_, v, field)) => match v.to_ascii_lowercase().as_str() {
                "true" | "1" | "yes" => true,
                "false" | "0" | "no" | "" => false,
                _ => {
                    return Err(self.err(
                        &feature,
                        field,
                        format!("must be \"true\" or \"false\", found \"{v}\""),
                    ));
                }
            },
        };
        let text = |k: &str| get(k).map(|(_, v, _)| v.clone()).filter(|v| !v.is_empty());
        Ok(Plot {
            id: id.to_string(),
            name: text("name").or_else(|| p.attribute("desc").map(str::to_string)),
            land_use: text("land_use"),
            ground_elevation,
            green_space,
            footprint: MultiPolygon::new(vec![self.polygon(&ring)]),
            file: self.path.to_path_buf(),
            feature,
        })
    }

    fn volumetric(
        &mut self,
        p: Node<'a, 'i>,
        feature: FeatureRef,
        props: Props,
        sub: &[Node<'a, 'i>],
    ) -> Result<RawPart, ImportError> {
        let faces = !sub.is_empty();
        let mut limit_findings = Vec::new();
        let (mut properties, limits) =
            self.unit_properties(p, &feature, props, faces, &mut limit_findings)?;
        let mut findings = Vec::new();
        let code_text = match properties.get("unit_code") {
            Some(Value::String(s)) => Some(s.clone()),
            _ => {
                findings.push(Finding::new(
                    Code::UnitCodeMissing,
                    Location::field(feature.clone(), "Feature/Property[@label='unit_code']"),
                    "`unit_code` is missing: every unit needs its 28-character real-estate unit code (a <Property label=\"unit_code\" value=\"...\"/> in the parcel's <Feature>)",
                ));
                None
            }
        };
        findings.extend(limit_findings);
        let mut parts = Vec::new();
        if faces {
            parts.push(Part::Polyhedron(self.polyhedron(&feature, sub)?));
        } else {
            let mut budget = MAX_PARCEL_POINTS;
            let ring = self.ring(p, &feature, "", &mut budget)?;
            let [zb, zt] = limits;
            match (ring, zb, zt) {
                (Some(ring), Some(zb), Some(zt)) => {
                    properties.insert("z_bottom".into(), number(zb));
                    properties.insert("z_top".into(), number(zt));
                    parts.push(Part::Prism(Prism::new(self.polygon(&ring), zb, zt)));
                }
                (None, _, _) => findings.push(Finding::new(
                    Code::EmptyPrimitive,
                    Location::field(feature.clone(), "CoordGeom"),
                    "the volumetric parcel has neither faces (child <Parcels>) nor a footprint (<CoordGeom>)",
                )),
                _ => {}
            }
        }
        Ok(RawPart {
            file: self.path.to_path_buf(),
            feature,
            code_text,
            properties,
            parts,
            findings,
        })
    }

    /// The model fields and extras of a volumetric parcel, and its limits (bottom, top) when
    /// it is a footprint between limits (findings for the missing or unreadable ones).
    fn unit_properties(
        &self,
        p: Node,
        feature: &FeatureRef,
        props: Props,
        faces: bool,
        findings: &mut Vec<Finding>,
    ) -> Result<(Map<String, Value>, Limits), ImportError> {
        let mut m = Map::new();
        let mut sixto = Map::new();
        let mut sixto_units = Map::new();
        let mut limit_text: [Option<(String, String)>; 2] = [None, None];
        for (label, value, field) in props {
            match label.as_str() {
                "z_bottom" | "z_top" | "kind" => {
                    return Err(self.err(
                        feature,
                        &field,
                        format!(
                            "`{label}` is not a LandXML property: {}",
                            if label == "kind" {
                                "the kind comes from parcelFormat"
                            } else {
                                "give the limits as `lowerLimit` and `upperLimit`"
                            }
                        ),
                    ));
                }
                "lowerLimit" | "upperLimit" if !faces => {
                    let k = usize::from(label == "upperLimit");
                    limit_text[k] = Some((value, field));
                }
                "unit_code" | "level" => {
                    m.insert(label, Value::String(value));
                }
                "term_years" => {
                    m.insert(label, scalar(value));
                }
                l if MODEL_FIELDS.contains(&l) => {
                    m.insert(label, Value::String(value));
                }
                l => {
                    if let Some(d) = l.strip_prefix("sixto.") {
                        sixto.insert(d.to_string(), Value::String(value));
                    } else if let Some(d) = l.strip_prefix("sixto_units.") {
                        let codes = value
                            .split(|c: char| c == ',' || c == ';' || c.is_whitespace())
                            .filter(|s| !s.is_empty())
                            .map(|s| Value::String(s.to_string()))
                            .collect();
                        sixto_units.insert(d.to_string(), Value::Array(codes));
                    } else {
                        m.insert(label, scalar(value));
                    }
                }
            }
        }
        if !sixto.is_empty() {
            m.insert("sixto".into(), Value::Object(sixto));
        }
        if !sixto_units.is_empty() {
            m.insert("sixto_units".into(), Value::Object(sixto_units));
        }
        for (attr, key) in [
            ("name", "name"),
            ("desc", "note"),
            ("class", "class"),
            ("state", "state"),
        ] {
            if let Some(v) = p.attribute(attr).map(str::trim).filter(|v| !v.is_empty()) {
                m.entry(key).or_insert_with(|| Value::String(v.to_string()));
            }
        }
        let mut limits = [None, None];
        for (k, name) in ["lowerLimit", "upperLimit"].iter().enumerate() {
            let attr = p
                .attribute(*name)
                .map(|v| (v.trim().to_string(), format!("@{name}")));
            let given = match (limit_text[k].take(), attr) {
                (Some(a), Some(b))
                    if a.0 != b.0 && a.0.parse::<f64>().ok() != b.0.parse::<f64>().ok() =>
                {
                    return Err(self.err(
                        feature,
                        &a.1,
                        format!(
                            "`{name}` is \"{}\" here but \"{}\" in the parcel's {name} attribute",
                            a.0, b.0
                        ),
                    ));
                }
                (Some(a), _) => Some(a),
                (None, b) => b,
            };
            if faces {
                // With faces the limits are information only: kept as extras.
                if let Some((v, _)) = given {
                    m.entry(*name).or_insert_with(|| scalar(v));
                }
                continue;
            }
            let which = if k == 0 { "bottom" } else { "top" };
            match given {
                None => findings.push(Finding::new(
                    Code::ElevationMissing,
                    Location::field(feature.clone(), format!("Feature/Property[@label='{name}']")),
                    format!(
                        "`{name}` is missing: a volumetric parcel given by its footprint needs lowerLimit and upperLimit (the {which} elevation, metres in the height datum), as a Property or an attribute of the Parcel"
                    ),
                )),
                Some((v, field)) => match v.parse::<f64>() {
                    Ok(z) if z.is_finite() => limits[k] = Some(z),
                    _ => findings.push(Finding::new(
                        Code::ElevationMissing,
                        Location::field(feature.clone(), field),
                        format!("`{name}` must be a number of metres, found \"{v}\""),
                    )),
                },
            }
        }
        Ok((m, limits))
    }

    /// The closed polyhedron bounded by the faces of a volumetric parcel.
    fn polyhedron(
        &mut self,
        feature: &FeatureRef,
        sub: &[Node<'a, 'i>],
    ) -> Result<Polyhedron, ImportError> {
        let mut budget = MAX_PARCEL_POINTS;
        let mut rings: Vec<(String, Vec<usize>)> = Vec::with_capacity(sub.len());
        for (k, c) in sub.iter().enumerate() {
            let (face, label) = match c.attribute("pclRef").map(str::trim) {
                Some(r) => {
                    let field = format!("Parcels/Parcel[{k}]/@pclRef");
                    let Some(&t) = self.parcels.get(r) else {
                        return Err(self.err(
                            feature,
                            &field,
                            format!("the face reference \"{r}\" names no parcel: there is no <Parcel name=\"{r}\"> in <Parcels>"),
                        ));
                    };
                    if !is_face(t) {
                        return Err(self.err(
                            feature,
                            &field,
                            format!("the face reference \"{r}\" names a parcel that is not a face (class=\"Face\")"),
                        ));
                    }
                    (t, format!("face \"{r}\""))
                }
                None => {
                    let label = match c.attribute("name") {
                        Some(n) => format!("face \"{n}\""),
                        None => format!("face {k}"),
                    };
                    if !is_face(*c) {
                        return Err(self.err(
                            feature,
                            &format!("Parcels/Parcel[{k}]"),
                            format!("{label}: a child parcel of a volumetric parcel must be a face (class=\"Face\") or a pclRef to one"),
                        ));
                    }
                    (*c, label)
                }
            };
            let prefix = format!("{label} ");
            let Some(ring) = self.ring(face, feature, &prefix, &mut budget)? else {
                return Err(self.err(
                    feature,
                    &format!("{prefix}CoordGeom"),
                    "missing: a face needs a <CoordGeom> of <Line> segments through 3D points",
                ));
            };
            if let Some(&v) = ring.iter().find(|&&v| self.vertices[v].z.is_none()) {
                return Err(self.err(
                    feature,
                    &format!("{prefix}CoordGeom"),
                    format!(
                        "the point {} has no elevation: faces need 3D points (northing easting elevation)",
                        self.vertices[v].label
                    ),
                ));
            }
            rings.push((label, ring));
        }
        // Compact vertex list.
        let mut local: FxHashMap<usize, usize> = FxHashMap::default();
        let mut vertices = Vec::new();
        let mut faces = Vec::with_capacity(rings.len());
        for (_, ring) in &rings {
            let r: Vec<usize> = ring
                .iter()
                .map(|&g| {
                    *local.entry(g).or_insert_with(|| {
                        let v = &self.vertices[g];
                        vertices.push(Point3::new(v.x, v.y, v.z.unwrap_or(0.0)));
                        vertices.len() - 1
                    })
                })
                .collect();
            faces.push(Face::new(r));
        }
        // Every edge must be shared: an edge of one face only is a hole in the shell.
        let mut undirected: FxHashMap<(usize, usize), u32> = FxHashMap::default();
        let mut directed: FxHashMap<(usize, usize), u32> = FxHashMap::default();
        let edges = |r: &[usize]| {
            let n = r.len();
            (0..n)
                .map(move |i| (r[i], r[(i + 1) % n]))
                .collect::<Vec<_>>()
        };
        for f in &faces {
            for (a, b) in edges(&f.rings[0]) {
                *undirected.entry((a.min(b), a.max(b))).or_default() += 1;
                *directed.entry((a, b)).or_default() += 1;
            }
        }
        let global: Vec<usize> = {
            let mut g = vec![0; vertices.len()];
            for (&gl, &l) in &local {
                g[l] = gl;
            }
            g
        };
        for (fi, f) in faces.iter().enumerate() {
            for (a, b) in edges(&f.rings[0]) {
                if undirected.get(&(a.min(b), a.max(b))) == Some(&1) {
                    return Err(self.err(
                        feature,
                        "faces",
                        format!(
                            "the faces do not close the shell: the edge {}–{} belongs to {} only (is a face missing?)",
                            self.vertices[global[a]].label,
                            self.vertices[global[b]].label,
                            rings[fi].0
                        ),
                    ));
                }
            }
        }
        let mut poly = Polyhedron::new(vertices, vec![Shell { faces }]);
        let consistent = directed
            .iter()
            .all(|(&(a, b), &n)| n == 1 && directed.get(&(b, a)) == Some(&1));
        if consistent && poly.shell_signed_volume(&poly.shells[0]) < 0.0 {
            poly.shells[0] = poly.shells[0].reversed();
        }
        Ok(poly)
    }
}

/// A number when the text is one (integers stay integers; "007" stays text), else a string.
fn scalar(s: String) -> Value {
    let t = s.as_str();
    let leading_zero = {
        let d = t.strip_prefix(['-', '+']).unwrap_or(t);
        d.len() > 1 && d.starts_with('0') && d.as_bytes()[1].is_ascii_digit()
    };
    let numeric_start = t
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_digit() || c == '-' || c == '.');
    if numeric_start && !leading_zero {
        if let Ok(i) = t.parse::<i64>() {
            return Value::Number(i.into());
        }
        if let Ok(x) = t.parse::<f64>()
            && let Some(n) = Number::from_f64(x)
        {
            return Value::Number(n);
        }
    }
    Value::String(s)
}

fn number(x: f64) -> Value {
    Number::from_f64(x).map_or(Value::Null, Value::Number)
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

    #[test]
    fn scalars() {
        assert_eq!(scalar("40".into()), Value::from(40));
        assert_eq!(scalar("-2.5".into()), Value::from(-2.5));
        assert_eq!(scalar("007".into()), Value::from("007"));
        assert_eq!(scalar("inf".into()), Value::from("inf"));
        assert_eq!(scalar("1e400".into()), Value::from("1e400"));
        assert_eq!(scalar("B1".into()), Value::from("B1"));
    }
}
