//! glTF 2.0 binary (`.glb`) of registered units: one node per unit, coloured by stratum, for
//! viewers, game engines and web maps (three.js, Cesium, Blender).
//!
//! The choices, and why:
//!
//! - **A local origin.** Unit coordinates are projected metres of 10⁶–10⁷ (x = 443 811.567,
//!   y = 4 425 788.518), and glTF stores positions as 32-bit floats, whose step at 4·10⁶ is
//!   half a metre. The file is therefore centred: the origin is the centre of the bounding box
//!   of all units, rounded to whole metres, and every vertex is stored as its `f32` offset
//!   from it (a step of a fraction of a millimetre within a few kilometres). The origin is
//!   not a node translation (a viewer would add it back in `f32`); it is recorded, with the
//!   CRS and the height datum, in the `extras` of the scene and of the asset:
//!   `{"origin": [x, y, z], "crs": "EPSG:4548" | null, "height_datum": "…",
//!   "up": "z in the CRS is y in glTF"}`.
//! - **Axes.** glTF is right-handed with y up; the CRS has x east, y north, z up. A point
//!   `(x, y, z)` of the CRS is `(x, z, −y)` in glTF: a rotation, so windings and volumes keep
//!   their sign, and glTF's −z (a viewer's "forward") is north.
//! - **Triangles.** Every face of every part is triangulated by the constrained Delaunay
//!   triangulation of [`crate::geometry::TriMesh`] (holes respected), counter-clockwise seen
//!   from outside, which is glTF's front face. Shading is flat: each face has its own copies
//!   of its vertices with the face's unit normal, so that edges stay crisp (a shared vertex
//!   would average the normals of a wall and a roof).
//! - **One mesh per unit.** A unit is one node named by its unit code (its `extras` hold
//!   `{"code", "stratum"}`), with one mesh of one primitive (`TRIANGLES`, `u32` indices,
//!   `POSITION` with its `min`/`max`, `NORMAL`), all parts of the unit together.
//! - **One material per stratum** present, named `above`, `surface` or `under`: the profile's
//!   `#rrggbb` colour (sRGB) converted to the linear `baseColorFactor` glTF asks for, metallic
//!   0, roughness 1, single-sided (the solids are closed).
//! - **Written by hand.** The JSON chunk is serialised with `serde_json`, the binary chunk
//!   holds all positions, then all normals, then all indices (three buffer views, little
//!   endian). The output depends on nothing but the input: the same units give the same
//!   bytes.

use serde::Serialize;
use serde_json::{Value, json};

use crate::export::sheet::profile::Colours;
use crate::geometry::Polyhedron;
use crate::geometry::algorithm::ToPolyhedra;
use crate::geometry::mesh::MeshError;
use crate::geometry::triangulate::TriangulationError;
use crate::geometry::{Aabb, Point3, TriMesh, Vector3, Volume};
use crate::model::Stratum;

/// The `magic` of a GLB header: `glTF` in ASCII, little endian.
pub const GLB_MAGIC: u32 = 0x4654_6C67;
/// The GLB container version written.
pub const GLB_VERSION: u32 = 2;
/// The type of the JSON chunk: `JSON` in ASCII.
const CHUNK_JSON: u32 = 0x4E4F_534A;
/// The type of the binary chunk: `BIN\0` in ASCII.
const CHUNK_BIN: u32 = 0x004E_4942;
/// The text recorded in `extras.up`.
pub const UP: &str = "z in the CRS is y in glTF";

/// `componentType` of 32-bit floats.
const FLOAT: u32 = 5126;
/// `componentType` of 32-bit unsigned integers.
const UNSIGNED_INT: u32 = 5125;
/// `target` of vertex attributes.
const ARRAY_BUFFER: u32 = 34962;
/// `target` of indices.
const ELEMENT_ARRAY_BUFFER: u32 = 34963;
/// `mode` of triangle lists.
const TRIANGLES: u32 = 4;

/// The strata, in the order their materials are written.
const STRATA: [Stratum; 3] = [Stratum::Above, Stratum::Surface, Stratum::Under];

/// One unit to export.
#[derive(Debug, Clone, Copy)]
pub struct GlbUnit<'a> {
    /// The unit code (不动产单元代码): the node's name.
    pub code: &'a str,
    /// The unit's stratum: its material.
    pub stratum: Stratum,
    /// The unit's volume, in the CRS's metres and the height datum's metres.
    pub volume: &'a Volume,
}

/// Why the units could not be exported.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum GltfError {
    /// No unit was given: a glTF scene of nothing is of no use.
    #[error("no units to export")]
    Empty,
    /// A unit's volume has no face (no part, or parts without faces).
    #[error("unit {code}: its volume has no faces")]
    NoFaces {
        /// The unit code.
        code: String,
    },
    /// A vertex of a unit is NaN or infinite, or a face refers to a vertex that is not there.
    #[error("unit {code}: a vertex is missing or has a non-finite coordinate")]
    NonFinite {
        /// The unit code.
        code: String,
    },
    /// A face of a unit could not be triangulated (crossing rings, no area).
    #[error("unit {code}, part {part}: {source}")]
    Face {
        /// The unit code.
        code: String,
        /// The index of the part (polyhedron) in the unit's volume.
        part: usize,
        /// The shell, the face, and why.
        source: MeshError,
    },
    /// A stratum's colour is not `#rrggbb`.
    #[error("the colour of stratum {stratum} is not #rrggbb: {value:?}")]
    Colour {
        /// The stratum.
        stratum: Stratum,
        /// The colour as given.
        value: String,
    },
    /// The file would exceed the 4 GiB a GLB length can state, or a mesh the `u32` indices.
    #[error("the export is too large for a GLB file")]
    TooLarge,
    /// The JSON chunk could not be serialised.
    #[error("JSON: {0}")]
    Json(#[from] serde_json::Error),
}

/// The units as a glTF 2.0 binary (`.glb`): one node and one mesh per unit, named by its
/// code, one material per stratum coloured from `colours`, vertices as offsets from a local
/// origin recorded in the scene's and the asset's `extras` with `crs_epsg` (written
/// `"EPSG:<code>"`, or `null` when unknown) and `height_datum`.
///
/// See the [module documentation](self) for the layout.
///
/// ```
/// use geo::polygon;
/// use strata::export::gltf::{GlbUnit, glb};
/// use strata::export::sheet::profile::Colours;
/// use strata::geometry::{Prism, Volume};
/// use strata::model::Stratum;
///
/// let footprint = polygon![
///     (x: 443_800.0, y: 4_425_700.0), (x: 443_810.0, y: 4_425_700.0),
///     (x: 443_810.0, y: 4_425_720.0), (x: 443_800.0, y: 4_425_720.0),
/// ];
/// let volume = Volume::from(Prism::new(footprint, 12.0, 15.0));
/// let unit = GlbUnit { code: "110108001001GB00001W00010001", stratum: Stratum::Above, volume: &volume };
/// let bytes = glb(&[unit], &Colours::default(), Some(4548), "EPSG:5737").unwrap();
/// assert_eq!(&bytes[0..4], b"glTF");
/// assert_eq!(u32::from_le_bytes(bytes[8..12].try_into().unwrap()) as usize, bytes.len());
/// assert!(glb(&[], &Colours::default(), None, "").is_err());
/// ```
pub fn glb(
    units: &[GlbUnit],
    colours: &Colours,
    crs_epsg: Option<u32>,
    height_datum: &str,
) -> Result<Vec<u8>, GltfError> {
    if units.is_empty() {
        return Err(GltfError::Empty);
    }
    let (solids, bbox) = solids(units)?;
    let c = bbox.center();
    let origin = Point3::new(c.x.round(), c.y.round(), c.z.round());
    let (material_of, materials) = materials(units, colours)?;
    let mut b = Buffers::default();
    for (u, polys) in units.iter().zip(&solids) {
        let k = STRATA.iter().position(|s| *s == u.stratum).unwrap_or(0);
        b.add(u, polys, &origin, material_of[k])?;
    }
    // Three buffer views over one buffer: positions, normals, indices (all 4-byte aligned).
    let mut bin = Vec::with_capacity(b.positions.len() + b.normals.len() + b.indices.len());
    let mut buffer_views = Vec::with_capacity(3);
    for (data, target, stride) in [
        (&b.positions, ARRAY_BUFFER, Some(12)),
        (&b.normals, ARRAY_BUFFER, Some(12)),
        (&b.indices, ELEMENT_ARRAY_BUFFER, None),
    ] {
        buffer_views.push(BufferView {
            buffer: 0,
            byte_offset: bin.len(),
            byte_length: data.len(),
            byte_stride: stride,
            target,
        });
        bin.extend_from_slice(data);
    }
    let extras = json!({
        "origin": [origin.x, origin.y, origin.z],
        "crs": crs_epsg.map(|c| format!("EPSG:{c}")),
        "height_datum": height_datum,
        "up": UP,
    });
    let root = Root {
        asset: Asset {
            version: "2.0",
            generator: concat!("strata ", env!("CARGO_PKG_VERSION")),
            extras: extras.clone(),
        },
        scene: 0,
        scenes: [Scene {
            name: "units",
            nodes: (0..b.nodes.len()).collect(),
            extras,
        }],
        nodes: b.nodes,
        meshes: b.meshes,
        materials,
        accessors: b.accessors,
        buffer_views,
        buffers: [Buffer {
            byte_length: bin.len(),
        }],
    };
    let json = serde_json::to_vec(&root)?;
    write_glb(json, bin)
}

/// The solids of every unit, checked (faces present, vertices finite), and the box around
/// them all.
fn solids(units: &[GlbUnit]) -> Result<(Vec<Vec<Polyhedron>>, Aabb), GltfError> {
    let mut solids = Vec::with_capacity(units.len());
    let mut bbox = Aabb::empty();
    for u in units {
        let polys = u.volume.to_polyhedra();
        if polys.iter().all(|p| p.face_count() == 0) {
            return Err(GltfError::NoFaces {
                code: u.code.to_owned(),
            });
        }
        for p in &polys {
            for i in p
                .shells
                .iter()
                .flat_map(|s| &s.faces)
                .flat_map(|f| f.indices())
            {
                let q = p
                    .vertices
                    .get(i)
                    .filter(|q| q.iter().all(|c| c.is_finite()));
                let Some(q) = q else {
                    return Err(GltfError::NonFinite {
                        code: u.code.to_owned(),
                    });
                };
                bbox.grow(q);
            }
        }
        solids.push(polys);
    }
    Ok((solids, bbox))
}

/// One material per stratum present, in a fixed order, and which material each stratum has.
fn materials(
    units: &[GlbUnit],
    colours: &Colours,
) -> Result<([Option<usize>; 3], Vec<Material>), GltfError> {
    let mut material_of = [None; 3];
    let mut materials = Vec::new();
    for (k, s) in STRATA.iter().enumerate() {
        if !units.iter().any(|u| u.stratum == *s) {
            continue;
        }
        let hex = match s {
            Stratum::Above => &colours.above,
            Stratum::Surface => &colours.surface,
            Stratum::Under => &colours.under,
        };
        let rgb = parse_hex(hex).ok_or_else(|| GltfError::Colour {
            stratum: *s,
            value: hex.clone(),
        })?;
        material_of[k] = Some(materials.len());
        materials.push(Material {
            name: s.as_str(),
            pbr_metallic_roughness: Pbr {
                base_color_factor: [
                    srgb_to_linear(rgb[0]),
                    srgb_to_linear(rgb[1]),
                    srgb_to_linear(rgb[2]),
                    1.0,
                ],
                metallic_factor: 0.0,
                roughness_factor: 1.0,
            },
            double_sided: false,
        });
    }
    Ok((material_of, materials))
}

/// The binary data and the JSON objects that point into it, unit by unit.
#[derive(Default)]
struct Buffers<'a> {
    positions: Vec<u8>,
    normals: Vec<u8>,
    indices: Vec<u8>,
    accessors: Vec<Accessor>,
    meshes: Vec<Mesh<'a>>,
    nodes: Vec<Node<'a>>,
}

impl<'a> Buffers<'a> {
    /// Adds a unit's flat-shaded triangles, its mesh and its node.
    fn add(
        &mut self,
        u: &GlbUnit<'a>,
        polys: &[Polyhedron],
        origin: &Point3,
        material: Option<usize>,
    ) -> Result<(), GltfError> {
        let (positions, normals, indices) =
            (&mut self.positions, &mut self.normals, &mut self.indices);
        let accessors = &mut self.accessors;
        let m = flat_mesh(u.code, polys, origin)?;
        let count = u32::try_from(m.positions.len()).map_err(|_| GltfError::TooLarge)?;
        let (min, max) = bounds(&m.positions);
        let position = accessors.len();
        accessors.push(Accessor {
            buffer_view: 0,
            byte_offset: positions.len(),
            component_type: FLOAT,
            count: count as usize,
            kind: "VEC3",
            min: Some(min),
            max: Some(max),
        });
        for p in &m.positions {
            put_f32s(positions, p);
        }
        let normal = accessors.len();
        accessors.push(Accessor {
            buffer_view: 1,
            byte_offset: normals.len(),
            component_type: FLOAT,
            count: count as usize,
            kind: "VEC3",
            min: None,
            max: None,
        });
        for n in &m.normals {
            put_f32s(normals, n);
        }
        let index = accessors.len();
        accessors.push(Accessor {
            buffer_view: 2,
            byte_offset: indices.len(),
            component_type: UNSIGNED_INT,
            count: m.indices.len(),
            kind: "SCALAR",
            min: None,
            max: None,
        });
        for i in &m.indices {
            indices.extend_from_slice(&i.to_le_bytes());
        }
        self.meshes.push(Mesh {
            name: u.code,
            primitives: [Primitive {
                attributes: Attributes { position, normal },
                indices: index,
                material,
                mode: TRIANGLES,
            }],
        });
        self.nodes.push(Node {
            name: u.code,
            mesh: self.meshes.len() - 1,
            extras: json!({ "code": u.code, "stratum": u.stratum.as_str() }),
        });
        Ok(())
    }
}

/// A unit's triangles in glTF axes, relative to the origin, each face with its own vertices.
struct FlatMesh {
    positions: Vec<[f32; 3]>,
    normals: Vec<[f32; 3]>,
    indices: Vec<u32>,
}

/// Triangulates every face of `polys` and lays the triangles out flat-shaded.
fn flat_mesh(
    code: &str,
    polys: &[crate::geometry::Polyhedron],
    origin: &Point3,
) -> Result<FlatMesh, GltfError> {
    let mut m = FlatMesh {
        positions: Vec::new(),
        normals: Vec::new(),
        indices: Vec::new(),
    };
    for (part, poly) in polys.iter().enumerate() {
        let face_error = |shell, face, error| GltfError::Face {
            code: code.to_owned(),
            part,
            source: MeshError { shell, face, error },
        };
        let mesh = TriMesh::new(poly).map_err(|source| GltfError::Face {
            code: code.to_owned(),
            part,
            source,
        })?;
        // The triangles come face by face; `local` maps a vertex of the current face to its
        // copy in the output.
        let mut current = None;
        let mut local: rustc_hash::FxHashMap<usize, u32> = Default::default();
        let mut normal = [0.0f32; 3];
        for t in &mesh.triangles {
            if current != Some((t.shell, t.face)) {
                current = Some((t.shell, t.face));
                local.clear();
                let n = poly.face_normal(&poly.shells[t.shell].faces[t.face]);
                let len = n.norm();
                if !(len > 0.0 && len.is_finite()) {
                    return Err(face_error(t.shell, t.face, TriangulationError::Degenerate));
                }
                normal = to_gltf(&(n / len));
            }
            for &v in &t.v {
                let next = u32::try_from(m.positions.len()).map_err(|_| GltfError::TooLarge)?;
                let i = *local.entry(v).or_insert_with(|| {
                    m.positions.push(to_gltf(&(poly.vertices[v] - origin)));
                    m.normals.push(normal);
                    next
                });
                m.indices.push(i);
            }
        }
    }
    Ok(m)
}

/// A CRS vector `(x, y, z)` as the glTF vector `(x, z, −y)`, in `f32`.
fn to_gltf(v: &Vector3) -> [f32; 3] {
    [v.x as f32, v.z as f32, -v.y as f32]
}

/// The component-wise minimum and maximum of `points`.
fn bounds(points: &[[f32; 3]]) -> ([f32; 3], [f32; 3]) {
    let mut min = [f32::INFINITY; 3];
    let mut max = [f32::NEG_INFINITY; 3];
    for p in points {
        for k in 0..3 {
            min[k] = min[k].min(p[k]);
            max[k] = max[k].max(p[k]);
        }
    }
    (min, max)
}

/// Appends three little-endian floats.
fn put_f32s(out: &mut Vec<u8>, v: &[f32; 3]) {
    for c in v {
        out.extend_from_slice(&c.to_le_bytes());
    }
}

/// `#rrggbb` as three bytes.
fn parse_hex(s: &str) -> Option<[u8; 3]> {
    let h = s.strip_prefix('#')?;
    if h.len() != 6 || !h.bytes().all(|b| b.is_ascii_hexdigit()) {
        return None;
    }
    let c = |i: usize| u8::from_str_radix(&h[i..i + 2], 16).ok();
    Some([c(0)?, c(2)?, c(4)?])
}

/// An 8-bit sRGB component as a linear factor in 0–1 (the sRGB transfer function).
fn srgb_to_linear(c: u8) -> f32 {
    let s = f64::from(c) / 255.0;
    let l = if s <= 0.04045 {
        s / 12.92
    } else {
        ((s + 0.055) / 1.055).powf(2.4)
    };
    l as f32
}

/// The GLB container: a 12-byte header, the JSON chunk padded with spaces, the binary chunk
/// padded with zeros, each to a multiple of 4 bytes.
fn write_glb(mut json: Vec<u8>, mut bin: Vec<u8>) -> Result<Vec<u8>, GltfError> {
    while !json.len().is_multiple_of(4) {
        json.push(b' ');
    }
    while !bin.len().is_multiple_of(4) {
        bin.push(0);
    }
    let len = |n: usize| u32::try_from(n).map_err(|_| GltfError::TooLarge);
    let total = 12 + 8 + json.len() + if bin.is_empty() { 0 } else { 8 + bin.len() };
    let mut out = Vec::with_capacity(total);
    out.extend_from_slice(&GLB_MAGIC.to_le_bytes());
    out.extend_from_slice(&GLB_VERSION.to_le_bytes());
    out.extend_from_slice(&len(total)?.to_le_bytes());
    out.extend_from_slice(&len(json.len())?.to_le_bytes());
    out.extend_from_slice(&CHUNK_JSON.to_le_bytes());
    out.extend_from_slice(&json);
    if !bin.is_empty() {
        out.extend_from_slice(&len(bin.len())?.to_le_bytes());
        out.extend_from_slice(&CHUNK_BIN.to_le_bytes());
        out.extend_from_slice(&bin);
    }
    Ok(out)
}

// The glTF JSON written: only the properties used, in the spec's names.

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Root<'a> {
    asset: Asset,
    scene: usize,
    scenes: [Scene; 1],
    nodes: Vec<Node<'a>>,
    meshes: Vec<Mesh<'a>>,
    materials: Vec<Material>,
    accessors: Vec<Accessor>,
    buffer_views: Vec<BufferView>,
    buffers: [Buffer; 1],
}

#[derive(Serialize)]
struct Asset {
    version: &'static str,
    generator: &'static str,
    extras: Value,
}

#[derive(Serialize)]
struct Scene {
    name: &'static str,
    nodes: Vec<usize>,
    extras: Value,
}

#[derive(Serialize)]
struct Node<'a> {
    name: &'a str,
    mesh: usize,
    extras: Value,
}

#[derive(Serialize)]
struct Mesh<'a> {
    name: &'a str,
    primitives: [Primitive; 1],
}

#[derive(Serialize)]
struct Primitive {
    attributes: Attributes,
    indices: usize,
    #[serde(skip_serializing_if = "Option::is_none")]
    material: Option<usize>,
    mode: u32,
}

#[derive(Serialize)]
struct Attributes {
    #[serde(rename = "POSITION")]
    position: usize,
    #[serde(rename = "NORMAL")]
    normal: usize,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Material {
    name: &'static str,
    pbr_metallic_roughness: Pbr,
    double_sided: bool,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Pbr {
    base_color_factor: [f32; 4],
    metallic_factor: f32,
    roughness_factor: f32,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Accessor {
    buffer_view: usize,
    byte_offset: usize,
    component_type: u32,
    count: usize,
    #[serde(rename = "type")]
    kind: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    min: Option<[f32; 3]>,
    #[serde(skip_serializing_if = "Option::is_none")]
    max: Option<[f32; 3]>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct BufferView {
    buffer: usize,
    byte_offset: usize,
    byte_length: usize,
    #[serde(skip_serializing_if = "Option::is_none")]
    byte_stride: Option<u32>,
    target: u32,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Buffer {
    byte_length: usize,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::geometry::{Polyhedron, Prism};
    use geo::polygon;

    fn block() -> Volume {
        Volume::from(Prism::new(
            polygon![(x: 443_800.0, y: 4_425_700.0), (x: 443_810.0, y: 4_425_700.0),
                     (x: 443_810.0, y: 4_425_720.0), (x: 443_800.0, y: 4_425_720.0)],
            -3.0,
            0.0,
        ))
    }

    #[test]
    fn the_container_is_aligned_and_states_its_length() {
        let out = write_glb(b"{}".to_vec(), vec![1, 2, 3, 4, 5]).unwrap();
        assert_eq!(out.len(), 12 + 8 + 4 + 8 + 8);
        assert_eq!(&out[0..4], b"glTF");
        assert_eq!(u32::from_le_bytes(out[4..8].try_into().unwrap()), 2);
        assert_eq!(u32::from_le_bytes(out[8..12].try_into().unwrap()), 40);
        assert_eq!(u32::from_le_bytes(out[12..16].try_into().unwrap()), 4);
        assert_eq!(&out[16..20], b"JSON");
        assert_eq!(&out[20..24], b"{}  ");
        assert_eq!(u32::from_le_bytes(out[24..28].try_into().unwrap()), 8);
        assert_eq!(&out[28..32], b"BIN\0");
        assert_eq!(&out[32..40], &[1, 2, 3, 4, 5, 0, 0, 0]);
    }

    #[test]
    fn colours_are_parsed_and_linearised() {
        assert_eq!(parse_hex("#e3a857"), Some([0xe3, 0xa8, 0x57]));
        assert_eq!(parse_hex("e3a857"), None);
        assert_eq!(parse_hex("#e3a85"), None);
        assert_eq!(parse_hex("#e3a8g7"), None);
        assert_eq!(srgb_to_linear(0), 0.0);
        assert_eq!(srgb_to_linear(255), 1.0);
        assert!((srgb_to_linear(188) - 0.5029).abs() < 1e-4);
    }

    #[test]
    fn crs_axes_become_gltf_axes() {
        assert_eq!(to_gltf(&Vector3::new(1.0, 2.0, 3.0)), [1.0, 3.0, -2.0]);
    }

    #[test]
    fn a_box_has_24_flat_vertices_and_12_triangles() {
        let v = block();
        let polys = v.to_polyhedra();
        let m = flat_mesh("x", &polys, &Point3::new(443_805.0, 4_425_710.0, -2.0)).unwrap();
        assert_eq!(m.positions.len(), 24);
        assert_eq!(m.indices.len(), 36);
        assert_eq!(
            bounds(&m.positions),
            ([-5.0, -1.0, -10.0], [5.0, 2.0, 10.0])
        );
    }

    #[test]
    fn errors_name_the_unit() {
        let c = Colours::default();
        assert!(matches!(glb(&[], &c, None, ""), Err(GltfError::Empty)));
        let empty = Volume::default();
        let faceless = Volume::from(Polyhedron::default());
        for v in [&empty, &faceless] {
            let u = GlbUnit {
                code: "U1",
                stratum: Stratum::Under,
                volume: v,
            };
            let e = glb(&[u], &c, None, "").unwrap_err();
            assert!(matches!(e, GltfError::NoFaces { .. }));
            assert!(e.to_string().contains("U1"), "{e}");
        }
        let mut nan = Polyhedron::cuboid(Point3::new(0.0, 0.0, 0.0), Point3::new(1.0, 1.0, 1.0));
        nan.vertices[6].z = f64::NAN;
        let mut dangling = nan.clone();
        dangling.vertices[6].z = 1.0;
        dangling.shells[0].faces[1].rings[0][0] = 99;
        for p in [nan, dangling] {
            let v = Volume::from(p);
            let u = GlbUnit {
                code: "U3",
                stratum: Stratum::Above,
                volume: &v,
            };
            let e = glb(&[u], &c, None, "").unwrap_err();
            assert!(
                matches!(e, GltfError::NonFinite { ref code } if code == "U3"),
                "{e}"
            );
        }
        // A face without area.
        let mut flat = Polyhedron::cuboid(Point3::new(0.0, 0.0, 0.0), Point3::new(1.0, 1.0, 1.0));
        flat.shells[0]
            .faces
            .push(crate::geometry::Face::new(vec![0, 1, 1]));
        let v = Volume::from(flat);
        let u = GlbUnit {
            code: "U4",
            stratum: Stratum::Above,
            volume: &v,
        };
        let e = glb(&[u], &c, None, "").unwrap_err();
        assert!(
            matches!(e, GltfError::Face { ref code, part: 0, ref source }
                if code == "U4" && source.face == 6 && source.error == TriangulationError::Degenerate),
            "{e}"
        );
        let v = block();
        let u = GlbUnit {
            code: "U2",
            stratum: Stratum::Under,
            volume: &v,
        };
        let bad = Colours {
            under: "blue".into(),
            ..Colours::default()
        };
        assert!(matches!(
            glb(&[u], &bad, None, ""),
            Err(GltfError::Colour {
                stratum: Stratum::Under,
                ..
            })
        ));
        // A colour of a stratum not exported is not looked at.
        let bad = Colours {
            above: "blue".into(),
            ..Colours::default()
        };
        assert!(glb(&[u], &bad, None, "").is_ok());
    }
}
