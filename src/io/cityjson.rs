//! CityJSON 1.0, 1.1 and 2.0: city objects and their 3D primitives.
//!
//! Reads `transform`, `metadata.referenceSystem` (single or compound), `CityObjects` with
//! their `attributes` and `geometry` (MultiSurface, CompositeSurface, Solid, MultiSolid,
//! CompositeSolid, and GeometryInstance of `geometry-templates`). Vertices are decoded to
//! real coordinates and each geometry gets its own compact vertex list.

use std::collections::HashMap;
use std::path::Path;

use serde_json::{Map, Value};

use crate::diagnostics::{FeatureRef, clip, clip_json};
use crate::geometry::{Face, Point3, Polyhedron, Primitive, Shell, Surfaces};
use crate::model::frame::parse_crs_reference;

use super::error::{ImportError, read_file};
use super::json::parse_strict;

/// A geometry of a city object.
#[derive(Debug, Clone, PartialEq)]
pub struct CityGeometry {
    /// The level of detail as written (`"2"`, `"2.2"`), if any.
    pub lod: Option<String>,
    /// The primitive, or the name of a type that holds no surface (points, lines).
    pub primitive: Result<Primitive, String>,
}

/// A city object.
#[derive(Debug, Clone, PartialEq)]
pub struct CityObject {
    /// Its key in `CityObjects`.
    pub id: String,
    /// Its `type` (`Building`, `GenericCityObject`, …).
    pub object_type: String,
    /// Its `attributes`.
    pub attributes: Map<String, Value>,
    /// The ids of its `parents` (a BuildingPart names its Building).
    pub parents: Vec<String>,
    /// The ids of its `children` (a Building names its BuildingParts).
    pub children: Vec<String>,
    /// Its geometries, in file order.
    pub geometries: Vec<CityGeometry>,
}

/// The content of a CityJSON file.
#[derive(Debug, Clone, PartialEq)]
pub struct CityJsonFile {
    /// `version`.
    pub version: String,
    /// `metadata.referenceSystem` as written.
    pub reference_system: Option<String>,
    /// The horizontal EPSG code it names.
    pub crs: Option<u32>,
    /// The vertical EPSG code it names (compound references only).
    pub vertical: Option<u32>,
    /// The city objects, in file order.
    pub objects: Vec<CityObject>,
}

struct Ctx<'a> {
    path: &'a Path,
    vertices: &'a [Point3],
    templates: &'a [Value],
    template_vertices: &'a [Point3],
}

/// Reads a CityJSON file (a UTF-8 byte-order mark is skipped; members given twice and
/// CityObject ids used twice are refused).
pub fn read_cityjson(path: &Path) -> Result<CityJsonFile, ImportError> {
    let bytes = read_file(path)?;
    let text = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&bytes);
    let v = parse_strict(path, text)?;
    parse_cityjson(path, &v)
}

/// The CityJSON versions Strata reads (`1.0`, `1.1`, `2.0`, with any patch number); the
/// drafts before 1.0 (`0.x`), which val3dity still reads, are read as 1.0.
const VERSIONS: [&str; 3] = ["1.0", "1.1", "2.0"];

fn is_draft(v: &str) -> bool {
    v.strip_prefix("0.").is_some_and(|r| {
        !r.is_empty()
            && r.split('.')
                .all(|d| !d.is_empty() && d.bytes().all(|b| b.is_ascii_digit()))
    })
}

/// The version, when it is one Strata reads.
fn version(path: &Path, v: &Value) -> Result<String, ImportError> {
    let text = match v.get("version") {
        Some(Value::String(s)) => s.clone(),
        Some(other) => {
            return Err(ImportError::field(
                path,
                FeatureRef::file(),
                "version",
                format!(
                    "must be a string such as \"2.0\", found {}",
                    clip_json(other)
                ),
            ));
        }
        None => {
            return Err(ImportError::field(
                path,
                FeatureRef::file(),
                "version",
                "missing: CityJSON names its version (\"1.1\", \"2.0\")",
            ));
        }
    };
    let known = is_draft(&text)
        || VERSIONS
            .iter()
            .any(|k| text == *k || text.strip_prefix(k).is_some_and(|r| r.starts_with('.')));
    if !known {
        return Err(ImportError::field(
            path,
            FeatureRef::file(),
            "version",
            format!(
                "CityJSON {} is not a version Strata reads ({}, and the 0.x drafts)",
                clip(&text),
                VERSIONS.join(", ")
            ),
        ));
    }
    Ok(text)
}

/// The level of detail as written: a number (CityJSON 1.0) or a string holding one
/// (`"2.2"`); anything else is refused.
fn lod(v: &Value) -> Result<String, String> {
    match v {
        Value::Number(n) => Ok(n.to_string()),
        Value::String(s) if s.parse::<f64>().is_ok_and(f64::is_finite) => Ok(s.clone()),
        other => Err(format!(
            "a level of detail is a number such as 2 or \"2.2\", found {}",
            clip_json(other)
        )),
    }
}

/// True when the JSON document looks like CityJSON.
pub fn is_cityjson(v: &Value) -> bool {
    v.get("type").and_then(Value::as_str) == Some("CityJSON")
}

fn number(v: &Value) -> Option<f64> {
    v.as_f64()
}

/// Exactly three numbers.
fn read_xyz(v: &Value) -> Option<[f64; 3]> {
    let a = v.as_array()?;
    if a.len() != 3 {
        return None;
    }
    Some([number(&a[0])?, number(&a[1])?, number(&a[2])?])
}

/// Parses a CityJSON document already read as JSON.
pub fn parse_cityjson(path: &Path, v: &Value) -> Result<CityJsonFile, ImportError> {
    if !is_cityjson(v) {
        return Err(ImportError::format(
            path,
            "not CityJSON: `type` is not \"CityJSON\"",
        ));
    }
    let version = version(path, v)?;
    let vertices = real_vertices(path, v)?;
    let empty = Vec::new();
    let templates = v
        .pointer("/geometry-templates/templates")
        .and_then(Value::as_array)
        .unwrap_or(&empty);
    let template_vertices = match v
        .pointer("/geometry-templates/vertices-templates")
        .and_then(Value::as_array)
    {
        Some(tv) => points(
            path,
            tv,
            "geometry-templates.vertices-templates",
            [1.0; 3],
            [0.0; 3],
        )?,
        None => Vec::new(),
    };
    let reference_system = v
        .pointer("/metadata/referenceSystem")
        .and_then(Value::as_str)
        .map(str::to_string);
    let (crs, vertical) = reference_system
        .as_deref()
        .and_then(parse_crs_reference)
        .unwrap_or((None, None));
    let cos = v
        .get("CityObjects")
        .and_then(Value::as_object)
        .ok_or_else(|| {
            ImportError::field(
                path,
                FeatureRef::file(),
                "CityObjects",
                "missing or not an object",
            )
        })?;
    let ctx = Ctx {
        path,
        vertices: &vertices,
        templates,
        template_vertices: &template_vertices,
    };
    let objects = cos
        .iter()
        .map(|(id, co)| ctx.object(id, co))
        .collect::<Result<Vec<_>, _>>()?;
    Ok(CityJsonFile {
        version,
        reference_system,
        crs,
        vertical,
        objects,
    })
}

/// Points of `[x, y, z]` numbers, scaled and translated.
fn points(
    path: &Path,
    raw: &[Value],
    field: &str,
    scale: [f64; 3],
    translate: [f64; 3],
) -> Result<Vec<Point3>, ImportError> {
    raw.iter()
        .enumerate()
        .map(|(i, rv)| {
            let p = read_xyz(rv).ok_or_else(|| {
                ImportError::field(
                    path,
                    FeatureRef::file(),
                    format!("{field}[{i}]"),
                    "expected [x, y, z] numbers",
                )
            })?;
            Ok(Point3::new(
                p[0] * scale[0] + translate[0],
                p[1] * scale[1] + translate[1],
                p[2] * scale[2] + translate[2],
            ))
        })
        .collect()
}

/// The shared vertex list in real coordinates (`transform` applied).
fn real_vertices(path: &Path, v: &Value) -> Result<Vec<Point3>, ImportError> {
    let three = |t: &Value, member: &str| {
        t.get(member).and_then(read_xyz).ok_or_else(|| {
            ImportError::field(
                path,
                FeatureRef::file(),
                format!("transform.{member}"),
                "expected three numbers",
            )
        })
    };
    let (scale, translate) = match v.get("transform") {
        Some(t) => (three(t, "scale")?, three(t, "translate")?),
        None => ([1.0; 3], [0.0; 3]),
    };
    let raw = v.get("vertices").and_then(Value::as_array).ok_or_else(|| {
        ImportError::field(
            path,
            FeatureRef::file(),
            "vertices",
            "missing or not an array",
        )
    })?;
    points(path, raw, "vertices", scale, translate)
}

/// Gathers the vertices a geometry uses into a compact list.
struct Compactor<'a> {
    source: &'a [Point3],
    map: HashMap<usize, usize>,
    out: Vec<Point3>,
}

impl<'a> Compactor<'a> {
    fn new(source: &'a [Point3]) -> Self {
        Compactor {
            source,
            map: HashMap::new(),
            out: Vec::new(),
        }
    }

    fn index(&mut self, i: usize) -> Option<usize> {
        let p = *self.source.get(i)?;
        Some(*self.map.entry(i).or_insert_with(|| {
            self.out.push(p);
            self.out.len() - 1
        }))
    }
}

impl Ctx<'_> {
    fn err(&self, feature: &FeatureRef, field: &str, message: impl Into<String>) -> ImportError {
        ImportError::field(self.path, feature.clone(), field, message)
    }

    /// One CityObject: its type, attributes, parents, children and geometries.
    fn object(&self, id: &str, co: &Value) -> Result<CityObject, ImportError> {
        let feature = FeatureRef::city_object(id);
        let ids = |member: &str| -> Vec<String> {
            co.get(member)
                .and_then(Value::as_array)
                .map(|ps| {
                    ps.iter()
                        .filter_map(Value::as_str)
                        .map(str::to_string)
                        .collect()
                })
                .unwrap_or_default()
        };
        let mut geometries = Vec::new();
        if let Some(gs) = co.get("geometry") {
            let gs = gs
                .as_array()
                .ok_or_else(|| self.err(&feature, "geometry", "not an array"))?;
            for (gi, g) in gs.iter().enumerate() {
                geometries.push(self.geometry(g, &feature, &format!("geometry[{gi}]"))?);
            }
        }
        Ok(CityObject {
            id: id.to_string(),
            object_type: co
                .get("type")
                .and_then(Value::as_str)
                .unwrap_or("")
                .to_string(),
            attributes: co
                .get("attributes")
                .and_then(Value::as_object)
                .cloned()
                .unwrap_or_default(),
            parents: ids("parents"),
            children: ids("children"),
            geometries,
        })
    }

    fn geometry(
        &self,
        g: &Value,
        feature: &FeatureRef,
        field: &str,
    ) -> Result<CityGeometry, ImportError> {
        let ty = g
            .get("type")
            .and_then(Value::as_str)
            .ok_or_else(|| self.err(feature, &format!("{field}.type"), "missing"))?;
        let lod = g
            .get("lod")
            .map(lod)
            .transpose()
            .map_err(|m| self.err(feature, &format!("{field}.lod"), m))?;
        if ty == "GeometryInstance" {
            return self.instance(g, feature, field, lod);
        }
        let b = g
            .get("boundaries")
            .ok_or_else(|| self.err(feature, &format!("{field}.boundaries"), "missing"))?;
        let bfield = format!("{field}.boundaries");
        let primitive = self.primitive(ty, b, self.vertices, feature, &bfield)?;
        Ok(CityGeometry { lod, primitive })
    }

    fn primitive(
        &self,
        ty: &str,
        b: &Value,
        vertices: &[Point3],
        feature: &FeatureRef,
        field: &str,
    ) -> Result<Result<Primitive, String>, ImportError> {
        let mut c = Compactor::new(vertices);
        let p = match ty {
            "MultiSurface" | "CompositeSurface" => {
                let faces = self.surfaces(b, &mut c, feature, field)?;
                let s = Surfaces {
                    vertices: c.out,
                    faces,
                };
                if ty == "MultiSurface" {
                    Primitive::MultiSurface(s)
                } else {
                    Primitive::CompositeSurface(s)
                }
            }
            "Solid" => {
                let shells = self.shells(b, &mut c, feature, field)?;
                Primitive::Solid(Polyhedron::new(c.out, shells))
            }
            "MultiSolid" | "CompositeSolid" => {
                let solids = self.array(b, feature, field)?;
                let mut out = Vec::with_capacity(solids.len());
                for (k, s) in solids.iter().enumerate() {
                    let mut cs = Compactor::new(vertices);
                    let shells = self.shells(s, &mut cs, feature, &format!("{field}[{k}]"))?;
                    out.push(Polyhedron::new(cs.out, shells));
                }
                if ty == "MultiSolid" {
                    Primitive::MultiSolid(out)
                } else {
                    Primitive::CompositeSolid(out)
                }
            }
            other => return Ok(Err(other.to_string())),
        };
        Ok(Ok(p))
    }

    fn array<'v>(
        &self,
        v: &'v Value,
        feature: &FeatureRef,
        field: &str,
    ) -> Result<&'v Vec<Value>, ImportError> {
        v.as_array()
            .ok_or_else(|| self.err(feature, field, "expected an array"))
    }

    fn shells(
        &self,
        b: &Value,
        c: &mut Compactor,
        feature: &FeatureRef,
        field: &str,
    ) -> Result<Vec<Shell>, ImportError> {
        let mut out = Vec::new();
        for (k, s) in self.array(b, feature, field)?.iter().enumerate() {
            let faces = self.surfaces(s, c, feature, &format!("{field}[{k}]"))?;
            out.push(Shell { faces });
        }
        Ok(out)
    }

    fn surfaces(
        &self,
        b: &Value,
        c: &mut Compactor,
        feature: &FeatureRef,
        field: &str,
    ) -> Result<Vec<Face>, ImportError> {
        let mut faces = Vec::new();
        for (k, f) in self.array(b, feature, field)?.iter().enumerate() {
            let ffield = format!("{field}[{k}]");
            let mut rings = Vec::new();
            for (r, ring) in self.array(f, feature, &ffield)?.iter().enumerate() {
                let rfield = format!("{ffield}[{r}]");
                let mut idx = Vec::new();
                for (j, i) in self.array(ring, feature, &rfield)?.iter().enumerate() {
                    let n = i.as_u64().ok_or_else(|| {
                        self.err(
                            feature,
                            &format!("{rfield}[{j}]"),
                            "a vertex index must be a non-negative integer",
                        )
                    })?;
                    let local = c.index(n as usize).ok_or_else(|| {
                        self.err(
                            feature,
                            &format!("{rfield}[{j}]"),
                            format!(
                                "vertex index {n} does not exist (there are {} vertices)",
                                c.source.len()
                            ),
                        )
                    })?;
                    idx.push(local);
                }
                // CityJSON rings are not closed: a repeated first vertex at the end is kept
                // and reported (102), as val3dity does.
                rings.push(idx);
            }
            faces.push(Face { rings });
        }
        Ok(faces)
    }

    fn instance(
        &self,
        g: &Value,
        feature: &FeatureRef,
        field: &str,
        lod_here: Option<String>,
    ) -> Result<CityGeometry, ImportError> {
        let ti = g.get("template").and_then(Value::as_u64).ok_or_else(|| {
            self.err(
                feature,
                &format!("{field}.template"),
                "missing or not an index",
            )
        })?;
        let t = self.templates.get(ti as usize).ok_or_else(|| {
            self.err(
                feature,
                &format!("{field}.template"),
                format!("template {ti} does not exist"),
            )
        })?;
        let refp = g
            .get("boundaries")
            .and_then(Value::as_array)
            .and_then(|a| a.first())
            .and_then(Value::as_u64)
            .and_then(|i| self.vertices.get(i as usize))
            .ok_or_else(|| {
                self.err(
                    feature,
                    &format!("{field}.boundaries"),
                    "expected [index of the reference point]",
                )
            })?;
        let m: Vec<f64> = g
            .get("transformationMatrix")
            .and_then(Value::as_array)
            .map(|a| a.iter().filter_map(Value::as_f64).collect())
            .unwrap_or_else(|| {
                vec![
                    1.0, 0.0, 0.0, 0.0, 0.0, 1.0, 0.0, 0.0, 0.0, 0.0, 1.0, 0.0, 0.0, 0.0, 0.0, 1.0,
                ]
            });
        if m.len() != 16 {
            return Err(self.err(
                feature,
                &format!("{field}.transformationMatrix"),
                "expected 16 numbers",
            ));
        }
        let placed: Vec<Point3> = self
            .template_vertices
            .iter()
            .map(|p| {
                Point3::new(
                    m[0] * p.x + m[1] * p.y + m[2] * p.z + m[3] + refp.x,
                    m[4] * p.x + m[5] * p.y + m[6] * p.z + m[7] + refp.y,
                    m[8] * p.x + m[9] * p.y + m[10] * p.z + m[11] + refp.z,
                )
            })
            .collect();
        let ty = t.get("type").and_then(Value::as_str).unwrap_or("");
        let b = t.get("boundaries").ok_or_else(|| {
            self.err(
                feature,
                &format!("geometry-templates.templates[{ti}].boundaries"),
                "missing",
            )
        })?;
        let lod = match lod_here {
            Some(l) => Some(l),
            None => t.get("lod").map(lod).transpose().map_err(|m| {
                self.err(
                    feature,
                    &format!("geometry-templates.templates[{ti}].lod"),
                    m,
                )
            })?,
        };
        let primitive = self.primitive(
            ty,
            b,
            &placed,
            feature,
            &format!("geometry-templates.templates[{ti}].boundaries"),
        )?;
        Ok(CityGeometry { lod, primitive })
    }
}
