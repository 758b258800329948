//! CityJSON objects into the dataset: a CityObject with a `unit_code` attribute is a unit
//! (its volumetric geometry of the highest level of detail is the volume, its other
//! geometries are validated too); any other CityObject is kept as a plain object, validated
//! for its geometry.

use std::path::Path;

use serde_json::Value;

use crate::diagnostics::{Code, FeatureRef, Finding, Location, Severity};
use crate::geometry::{Part, Point3, Primitive};
use crate::model::frame::HeightDatum;
use crate::model::unit::{PartSource, PlainObject};

use super::assemble::Assembler;
use super::cityjson::{CityGeometry, CityJsonFile, CityObject};
use super::crs::FrameCollector;
use super::fields::{extras, split};
use super::profile::Extent;

/// The level of detail as a number, for choosing the highest (`"2.2"` → 2.2).
fn lod_value(l: &Option<String>) -> f64 {
    l.as_deref().and_then(|s| s.parse().ok()).unwrap_or(0.0)
}

fn unsupported(path: &Path, feature: FeatureRef, ty: &str) -> Finding {
    let mut f = Finding::new(
        Code::GeometryTypeUnsupported,
        Location {
            file: Some(path.display().to_string()),
            ..Location::field(feature, "geometry")
        },
        format!("a {ty} holds no surface or volume and is not validated"),
    );
    f.severity = Severity::Warning;
    f
}

/// A geometry of an object, named.
struct Labelled {
    at: FeatureRef,
    lod: Option<String>,
    primitive: Result<Primitive, String>,
}

fn labelled(id: &str, geometries: Vec<CityGeometry>) -> Vec<Labelled> {
    geometries
        .into_iter()
        .enumerate()
        .map(|(i, g)| Labelled {
            at: FeatureRef::city_object(id).geometry(i, g.lod.as_deref()),
            lod: g.lod,
            primitive: g.primitive,
        })
        .collect()
}

/// Adds every CityObject of a file: units to `units`, the others to `objects`.
pub(super) fn add_objects(
    path: &Path,
    c: CityJsonFile,
    units: &mut Assembler,
    objects: &mut Vec<PlainObject>,
    frame: &mut FrameCollector,
) {
    for o in c.objects {
        let feature = FeatureRef::city_object(&o.id);
        if let Some(Value::String(h)) = o.attributes.get("height_datum") {
            frame.datum(
                HeightDatum::parse(h),
                format!("{}: {feature}", path.display()),
            );
        }
        match o.attributes.get("unit_code") {
            Some(Value::String(code)) => {
                let code = code.clone();
                add_unit(path, o, code, units);
            }
            _ => {
                if let Some(p) = plain_object(path, o) {
                    objects.push(p);
                }
            }
        }
    }
}

/// A CityObject without a unit code, validated as geometry only (none when it has no
/// geometry at all: a Building whose parts carry the geometry).
fn plain_object(path: &Path, o: CityObject) -> Option<PlainObject> {
    let feature = FeatureRef::city_object(&o.id);
    let geometries = labelled(&o.id, o.geometries);
    if geometries.is_empty() && o.children.is_empty() {
        return None;
    }
    let mut findings = vec![Finding::new(
        Code::NotAUnit,
        Location {
            file: Some(path.display().to_string()),
            ..Location::field(feature, "attributes.unit_code")
        },
        "no `unit_code` attribute: validated as geometry only, not as a real-estate unit",
    )];
    let mut kept = Vec::new();
    let mut lods = Vec::new();
    for g in geometries {
        match g.primitive {
            Ok(p) => {
                kept.push((g.at, p));
                lods.push(g.lod);
            }
            Err(ty) => findings.push(unsupported(path, g.at, &ty)),
        }
    }
    Some(PlainObject {
        file: path.to_path_buf(),
        id: o.id,
        object_type: o.object_type,
        parents: o.parents,
        children: o.children,
        geometries: kept,
        lods,
        findings,
    })
}

/// A CityObject with a unit code: its volumetric geometry of the highest level of detail
/// becomes the unit's parts, its other geometries are kept for validation.
fn add_unit(path: &Path, o: CityObject, code: String, units: &mut Assembler) {
    let feature = FeatureRef::city_object(&o.id);
    let level = o
        .attributes
        .get("level")
        .and_then(Value::as_str)
        .map(str::to_string);
    let mut geometries = labelled(&o.id, o.geometries);
    let best = geometries
        .iter()
        .enumerate()
        .filter(|(_, g)| g.primitive.as_ref().is_ok_and(Primitive::is_volumetric))
        .max_by(|a, b| {
            lod_value(&a.1.lod)
                .total_cmp(&lod_value(&b.1.lod))
                .then(b.0.cmp(&a.0))
        })
        .map(|(i, _)| i);
    let g = units.group(&code, Some(code.clone()));
    match best {
        Some(i) => {
            let chosen = geometries.remove(i);
            if let Ok(p) = chosen.primitive {
                let many = p.solids().len() > 1;
                for (k, solid) in p.solids().iter().enumerate() {
                    g.parts.push((
                        Part::Polyhedron(solid.clone()),
                        PartSource {
                            file: path.to_path_buf(),
                            feature: if many {
                                chosen.at.clone().solid(k)
                            } else {
                                feature.clone()
                            },
                            level: level.clone(),
                            attributes: extras(&o.attributes),
                        },
                    ));
                }
            }
        }
        None => g.findings.push(Finding::new(
            Code::EmptyPrimitive,
            Location {
                file: Some(path.display().to_string()),
                ..Location::field(feature.clone(), "geometry")
            },
            "the unit has no Solid, MultiSolid or CompositeSolid geometry: no volume",
        )),
    }
    for other in geometries {
        match other.primitive {
            Ok(p) => g.other.push((other.at, p)),
            Err(ty) => g.findings.push(unsupported(path, other.at, &ty)),
        }
    }
    let (model, _) = split(o.attributes);
    g.props
        .push((path.to_path_buf(), feature, "attributes.", model));
}

/// The range of horizontal coordinates of a CityJSON file's geometries.
pub(super) fn city_extent(c: &CityJsonFile) -> Option<Extent> {
    let mut e: Option<Extent> = None;
    for o in &c.objects {
        for g in &o.geometries {
            let Ok(p) = &g.primitive else { continue };
            let verts: Vec<&Point3> = match p {
                Primitive::MultiSurface(s) | Primitive::CompositeSurface(s) => {
                    s.vertices.iter().collect()
                }
                _ => p.solids().iter().flat_map(|s| s.vertices.iter()).collect(),
            };
            for v in verts {
                Extent::grow(&mut e, v.x, v.y);
            }
        }
    }
    e
}
