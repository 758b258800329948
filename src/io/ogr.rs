//! Survey files through GDAL/OGR: DXF, ESRI Shapefile, GeoPackage, FlatGeobuf, GML and the
//! other vector formats GDAL reads, into the same model as the GeoJSON profile.
//!
//! Fields are renamed by a [`FieldMapping`]; a DXF file's unit code is its `Layer` unless
//! mapped otherwise. Polygons (and closed polylines: GDAL returns a closed LWPOLYLINE as a
//! LINESTRING) are prism footprints; DXF 3D faces (`3DFACE`) and polyhedral surfaces are the
//! faces of a closed polyhedron, one per unit code. An open polyline is an error.

use std::collections::BTreeMap;
use std::path::Path;

use gdal::vector::{FieldValue, Geometry, LayerAccess, OGRwkbGeometryType};
use gdal::{Dataset, Metadata};
use geo::{LineString, Polygon};
use serde_json::{Map, Value};

use crate::diagnostics::{Code, EntityRef, FeatureRef, Finding, Location, ObjectRef};
use crate::geometry::{Face, Part, Point3, Polyhedron, Shell};

use super::error::ImportError;
use super::mapping::FieldMapping;
use super::profile::{Extent, ProfileFile, RawPart, Record, record};

/// Ends of a polyline closer than this (m) close it: a millimetre, the precision of survey
/// coordinates.
const CLOSING_TOLERANCE: f64 = 0.001;

fn field_value(v: FieldValue) -> Value {
    match v {
        FieldValue::IntegerValue(i) => Value::from(i),
        FieldValue::Integer64Value(i) => Value::from(i),
        FieldValue::RealValue(x) => serde_json::Number::from_f64(x)
            .map(Value::Number)
            .unwrap_or(Value::Null),
        FieldValue::StringValue(s) => Value::String(s),
        FieldValue::IntegerListValue(v) => Value::from(v),
        FieldValue::Integer64ListValue(v) => Value::from(v),
        FieldValue::StringListValue(v) => Value::from(v),
        FieldValue::RealListValue(v) => Value::Array(
            v.into_iter()
                .map(|x| {
                    serde_json::Number::from_f64(x)
                        .map(Value::Number)
                        .unwrap_or(Value::Null)
                })
                .collect(),
        ),
        // Dates as ISO 8601, the form of the survey profile: `2024-06-15`.
        FieldValue::DateValue(d) => Value::String(d.to_string()),
        // `2024-06-15 08:30:00 +08:00` becomes `2024-06-15T08:30:00+08:00`.
        FieldValue::DateTimeValue(t) => {
            let text = t.to_string();
            let mut words = text.split(' ');
            match (words.next(), words.next(), words.next()) {
                (Some(d), Some(h), Some(z)) => Value::String(format!("{d}T{h}{z}")),
                _ => Value::String(text),
            }
        }
    }
}

/// A ring of 3D positions as GDAL returns them.
type Ring3 = Vec<(f64, f64, f64)>;

fn ring_points(g: &Geometry) -> Ring3 {
    let mut pts = Vec::new();
    g.get_points(&mut pts);
    pts
}

/// The rings (outer first) of a polygon geometry, as 3D points, without the closing repeat.
fn polygon_rings(g: &Geometry) -> Vec<Ring3> {
    (0..g.geometry_count())
        .map(|i| {
            let mut r = ring_points(&g.get_geometry(i));
            if r.len() > 1 && r.first() == r.last() {
                r.pop();
            }
            r
        })
        .collect()
}

/// The faces of a unit read from 3D faces, before they are joined into a polyhedron.
#[derive(Default)]
struct FaceSet {
    props: Map<String, Value>,
    feature: Option<FeatureRef>,
    faces: Vec<Vec<Ring3>>,
}

/// Reads a vector file through GDAL; unit parts go to `sink`.
pub fn read_ogr(
    path: &Path,
    mapping: &FieldMapping,
    sink: &mut dyn FnMut(RawPart),
) -> Result<ProfileFile, ImportError> {
    let ds = Dataset::open(path).map_err(|_| {
        ImportError::format(
            path,
            "not a survey file Strata or GDAL can read (GeoJSON, CityJSON, FlatGeobuf, LandXML, or a GDAL vector format such as DXF, Shapefile, GeoPackage, GML)",
        )
    })?;
    let dxf = ds.driver().short_name() == "DXF";
    let mut mapping = mapping.clone();
    if dxf && !mapping.fields.contains_key("unit_code") {
        mapping.fields.insert("unit_code".into(), "Layer".into());
    }
    let mut r = OgrRead {
        path,
        dxf,
        mapping,
        out: ProfileFile::default(),
        faces: BTreeMap::new(),
    };
    for mut layer in ds.layers() {
        r.layer_crs(&layer)?;
        let lname = layer.name();
        for (i, feature) in layer.features().enumerate() {
            r.feature(&lname, i, &feature, sink)?;
        }
    }
    let OgrRead { mut out, faces, .. } = r;
    for (code, set) in faces {
        sink(face_unit(path, code, set));
    }
    if let Some(d) = ds.metadata_item("height_datum", "") {
        out.height_datum = Some(d);
    }
    Ok(out)
}

/// The state of one read through GDAL.
struct OgrRead<'p> {
    path: &'p Path,
    dxf: bool,
    mapping: FieldMapping,
    out: ProfileFile,
    /// 3D faces gathered by unit code, joined into polyhedra at the end.
    faces: BTreeMap<String, FaceSet>,
}

impl OgrRead<'_> {
    /// The EPSG code of a layer's CRS; every layer must share it.
    fn layer_crs(&mut self, layer: &gdal::vector::Layer) -> Result<(), ImportError> {
        let Some(srs) = layer.spatial_ref() else {
            return Ok(());
        };
        let code = srs.auth_code().ok().map(|c| c as u32).or_else(|| {
            let mut s = srs.clone();
            s.auto_identify_epsg().ok()?;
            s.auth_code().ok().map(|c| c as u32)
        });
        if let (Some(prev), Some(c)) = (self.out.crs, code)
            && prev != c
        {
            return Err(ImportError::Crs {
                path: self.path.to_path_buf(),
                message: format!(
                    "layer \"{}\" is in EPSG:{c} but another layer is in EPSG:{prev}",
                    layer.name()
                ),
            });
        }
        self.out.crs = self.out.crs.or(code);
        Ok(())
    }

    /// One feature: a 3D face of a unit, a footprint, or a finding.
    fn feature(
        &mut self,
        lname: &str,
        i: usize,
        feature: &gdal::vector::Feature,
        sink: &mut dyn FnMut(RawPart),
    ) -> Result<(), ImportError> {
        let mut raw = Map::new();
        for (name, value) in feature.fields() {
            if let Some(v) = value {
                let v = field_value(v);
                // GML and Shapefile write an absent text value as an empty one.
                if !v.is_null() && v != Value::String(String::new()) {
                    raw.insert(name, v);
                }
            }
        }
        // A DXF entity is known by its handle (what CAD shows) and its CAD layer; GDAL puts
        // every entity in one layer named "entities".
        let label: FeatureRef = match (self.dxf, raw.get("EntityHandle").and_then(Value::as_str)) {
            (true, Some(handle)) => ObjectRef::Entity(Box::new(EntityRef {
                handle: handle.to_string(),
                layer: raw.get("Layer").and_then(Value::as_str).map(str::to_string),
            })),
            _ => ObjectRef::LayerFeature {
                layer: lname.to_string(),
                fid: feature.fid().unwrap_or(i as u64),
            },
        }
        .into();
        let subclasses = raw
            .get("SubClasses")
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_string();
        let props = self.mapping.apply(raw);
        let Some(g) = feature.geometry() else {
            let none = Finding::new(
                Code::EmptyPrimitive,
                Location::field(label.clone(), "geometry"),
                "the feature has no geometry",
            );
            return emit(self.path, label, props, Err(none), &mut self.out, sink);
        };
        let ty = gdal::vector::geometry_type_flatten(g.geometry_type());
        let is_face =
            (self.dxf && ty == OGRwkbGeometryType::wkbPolygon && !subclasses.contains("AcDbHatch"))
                || ty == OGRwkbGeometryType::wkbPolyhedralSurface
                || ty == OGRwkbGeometryType::wkbTIN;
        if is_face {
            self.add_faces(label, props, g, ty);
            return Ok(());
        }
        let footprints = footprints(self.path, &label, g, ty)?;
        if let Ok(ps) = &footprints {
            for c in ps.iter().flat_map(|p| p.exterior().0.iter()) {
                if !c.x.is_finite() || !c.y.is_finite() {
                    return Err(ImportError::field(
                        self.path,
                        label,
                        "geometry",
                        "a coordinate is not a finite number",
                    ));
                }
                Extent::grow(&mut self.out.extent, c.x, c.y);
            }
        }
        emit(self.path, label, props, footprints, &mut self.out, sink)
    }

    /// Adds the 3D faces of a feature to its unit's set.
    fn add_faces(
        &mut self,
        label: FeatureRef,
        props: Map<String, Value>,
        g: &Geometry,
        ty: OGRwkbGeometryType::Type,
    ) {
        let key = props
            .get("unit_code")
            .and_then(Value::as_str)
            .map(str::to_string)
            .unwrap_or_else(|| label.to_string());
        let set = self.faces.entry(key).or_default();
        if set.feature.is_none() {
            set.feature = Some(label);
            set.props = props;
        }
        let polys: Vec<Geometry> = if ty == OGRwkbGeometryType::wkbPolygon {
            vec![g.clone()]
        } else {
            (0..g.geometry_count())
                .map(|k| g.get_geometry(k).clone())
                .collect()
        };
        for p in polys {
            let rings = polygon_rings(&p);
            for &(x, y, _) in rings.iter().flatten() {
                Extent::grow(&mut self.out.extent, x, y);
            }
            set.faces.push(rings);
        }
    }
}

/// The footprints of a polygon or closed polyline; an open polyline is refused.
#[allow(clippy::result_large_err)]
fn footprints(
    path: &Path,
    label: &FeatureRef,
    g: &Geometry,
    ty: OGRwkbGeometryType::Type,
) -> Result<Result<Vec<Polygon<f64>>, Finding>, ImportError> {
    Ok(match ty {
        OGRwkbGeometryType::wkbPolygon | OGRwkbGeometryType::wkbMultiPolygon => {
            let mut g2 = g.clone();
            g2.flatten_to_2d();
            match g2.to_geo() {
                Ok(geo::Geometry::Polygon(p)) => Ok(vec![p]),
                Ok(geo::Geometry::MultiPolygon(m)) => Ok(m.0),
                _ => Err(Finding::new(
                    Code::EmptyPrimitive,
                    Location::field(label.clone(), "geometry"),
                    "the polygon cannot be read",
                )),
            }
        }
        OGRwkbGeometryType::wkbLineString => {
            let pts = ring_points(g);
            let (Some(a), Some(b)) = (pts.first(), pts.last()) else {
                return Err(ImportError::field(
                    path,
                    label.clone(),
                    "geometry",
                    "the polyline has no points",
                ));
            };
            let gap = ((a.0 - b.0).powi(2) + (a.1 - b.1).powi(2)).sqrt();
            if pts.len() < 4 || gap > CLOSING_TOLERANCE {
                return Err(ImportError::field(
                    path,
                    label.clone(),
                    "geometry",
                    format!(
                        "the polyline is open (its ends are {gap:.3} m apart): a boundary must be a closed polyline"
                    ),
                ));
            }
            let ring: Vec<(f64, f64)> = pts.iter().map(|p| (p.0, p.1)).collect();
            Ok(vec![Polygon::new(LineString::from(ring), vec![])])
        }
        _ => Err(Finding::new(
            Code::GeometryTypeUnsupported,
            Location::field(label.clone(), "geometry"),
            format!("a {} cannot hold a footprint", g.geometry_name()),
        )),
    })
}

/// The unit the 3D faces of one code make.
fn face_unit(path: &Path, code: String, set: FaceSet) -> RawPart {
    let poly = join_faces(&set.faces);
    let feature = set.feature.unwrap_or_else(FeatureRef::file);
    let findings = if set.props.contains_key("unit_code") {
        Vec::new()
    } else {
        vec![Finding::new(
            Code::UnitCodeMissing,
            Location::field(feature.clone(), "unit_code"),
            "the 3D faces carry no unit code",
        )]
    };
    RawPart {
        file: path.to_path_buf(),
        feature,
        code_text: set
            .props
            .get("unit_code")
            .and_then(Value::as_str)
            .map(str::to_string)
            .or(Some(code)),
        properties: set.props,
        parts: vec![Part::Polyhedron(poly)],
        findings,
    }
}

fn emit(
    path: &Path,
    label: FeatureRef,
    props: Map<String, Value>,
    footprints: Result<Vec<Polygon<f64>>, Finding>,
    out: &mut ProfileFile,
    sink: &mut dyn FnMut(RawPart),
) -> Result<(), ImportError> {
    match record(path, label, props, footprints)? {
        Record::Plot(p) => out.plots.push(p),
        Record::Part(p) => sink(p),
    }
    Ok(())
}

/// Joins faces into one shell, merging vertices with identical coordinates.
fn join_faces(faces: &[Vec<Ring3>]) -> Polyhedron {
    let mut vertices: Vec<Point3> = Vec::new();
    let mut index: BTreeMap<[u64; 3], usize> = BTreeMap::new();
    let mut shell = Shell::default();
    for rings in faces {
        let mut face = Face::default();
        for r in rings {
            let ring = r
                .iter()
                .map(|&(x, y, z)| {
                    *index
                        .entry([x.to_bits(), y.to_bits(), z.to_bits()])
                        .or_insert_with(|| {
                            vertices.push(Point3::new(x, y, z));
                            vertices.len() - 1
                        })
                })
                .collect();
            face.rings.push(ring);
        }
        shell.faces.push(face);
    }
    let mut p = Polyhedron::new(vertices, vec![shell]);
    // CAD faces carry no orientation convention: orient the shell outward when every face
    // agrees; validation reports faces that disagree.
    if p.shell_signed_volume(&p.shells[0]) < 0.0 {
        p.shells[0] = p.shells[0].reversed();
    }
    p
}
