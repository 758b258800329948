//! Points: `<CgPoint>`s by name, coordinates in the surveying order (northing, easting,
//! elevation) turned into Strata's axes, one vertex per point.

use std::path::Path;

use roxmltree::{Document, Node};
use rustc_hash::FxHashMap;

use crate::diagnostics::FeatureRef;

use super::super::error::ImportError;
use super::super::profile::Extent;
use super::text::{children, line_of};
use super::{Reader, Vertex};

fn bits(v: f64) -> u64 {
    if v == 0.0 { 0 } else { v.to_bits() }
}

fn fmt_num(v: f64) -> String {
    format!("{v}")
}

impl<'a, 'i> Reader<'a, 'i> {
    pub(super) fn new(path: &'a Path, doc: &'a Document<'i>) -> Result<Self, ImportError> {
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

    pub(super) fn err(
        &self,
        feature: &FeatureRef,
        field: &str,
        msg: impl Into<String>,
    ) -> ImportError {
        ImportError::field(self.path, feature.clone(), field, msg)
    }

    /// Reads `northing easting [elevation]`.
    pub(super) fn coords(
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
    pub(super) fn vertex(
        &mut self,
        n: f64,
        e: f64,
        z: Option<f64>,
        label: impl FnOnce() -> String,
    ) -> usize {
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
        Extent::grow(&mut self.extent, e, n);
        id
    }

    /// The vertex of the `<CgPoint>` named `name` (following `pntRef` aliases).
    pub(super) fn named_point(
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
    pub(super) fn endpoint(
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
}
