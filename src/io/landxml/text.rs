//! The text of a LandXML file: its encoding, parser errors with their position, the elements
//! Strata reads, and the header (units, coordinate system).

use std::path::Path;

use roxmltree::Node;

use crate::diagnostics::FeatureRef;
use crate::model::frame::parse_epsg;

use super::super::error::ImportError;

/// The text of the file: UTF-8 only, without a byte-order mark.
pub(super) fn decode<'b>(path: &Path, bytes: &'b [u8]) -> Result<&'b str, ImportError> {
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
pub(super) fn xml_error(path: &Path, text: &str, e: &roxmltree::Error) -> ImportError {
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

pub(super) fn child<'a, 'i>(n: Node<'a, 'i>, name: &str) -> Option<Node<'a, 'i>> {
    children(n, name).next()
}

pub(super) fn children<'a, 'i: 'a>(
    n: Node<'a, 'i>,
    name: &str,
) -> impl Iterator<Item = Node<'a, 'i>> {
    let name = name.to_string();
    n.children()
        .filter(move |c| c.is_element() && c.tag_name().name() == name)
}

pub(super) fn is_face(n: Node) -> bool {
    n.attribute("class")
        .is_some_and(|c| c.trim().eq_ignore_ascii_case("face"))
}

pub(super) fn line_of(n: Node) -> u32 {
    n.document().text_pos_at(n.range().start).row
}

pub(super) fn check_units(path: &Path, root: Node) -> Result<(), ImportError> {
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

pub(super) fn crs(path: &Path, cs: Node) -> Result<Option<u32>, ImportError> {
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

/// The local name of the root element of an XML document, from its first bytes: the prolog
/// (declaration, processing instructions, comments, a DOCTYPE) is skipped.
pub(crate) fn xml_root(head: &[u8]) -> Option<&[u8]> {
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
                .position(|&c| c.is_ascii_whitespace() || c == b'>' || c == b'/')?;
            let qname = &rest[..end];
            return Some(match qname.iter().rposition(|&c| c == b':') {
                Some(i) => &qname[i + 1..],
                None => qname,
            });
        } else {
            return None;
        };
        s = &s[next?..];
    }
}
