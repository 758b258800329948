//! The glTF binary export, read back with the `gltf` crate and checked against volumes built
//! by hand: their coordinates, analytic volumes, which side of each face is outside, and
//! their strata's colours.

use geo::{Contains, Point, Polygon, polygon};
use serde_json::Value;
use strata::export::gltf::{GlbUnit, GltfError, glb};
use strata::export::sheet::profile::Colours;
use strata::geometry::{Part, Point3, Polyhedron, Prism, Volume};
use strata::model::Stratum;

/// A unit built by hand, with what is known of it without the exporter.
struct Case {
    code: &'static str,
    stratum: Stratum,
    volume: Volume,
    /// The analytic volume, m³.
    cubic_metres: f64,
    /// Every input vertex (CRS metres).
    points: Vec<[f64; 3]>,
    /// Strict interior of the solid.
    inside: Box<dyn Fn([f64; 3]) -> bool>,
}

/// A unit of prism parts (which do not touch).
fn prisms(
    code: &'static str,
    stratum: Stratum,
    parts: Vec<(Polygon<f64>, f64, f64)>,
    cubic_metres: f64,
) -> Case {
    let mut points = Vec::new();
    for (p, zb, zt) in &parts {
        for ring in std::iter::once(p.exterior()).chain(p.interiors()) {
            for c in ring.coords() {
                points.push([c.x, c.y, *zb]);
                points.push([c.x, c.y, *zt]);
            }
        }
    }
    let volume = Volume::new(
        parts
            .iter()
            .map(|(p, zb, zt)| Part::Prism(Prism::new(p.clone(), *zb, *zt)))
            .collect(),
    );
    let inside = Box::new(move |q: [f64; 3]| {
        parts
            .iter()
            .any(|(p, zb, zt)| *zb < q[2] && q[2] < *zt && p.contains(&Point::new(q[0], q[1])))
    });
    Case {
        code,
        stratum,
        volume,
        cubic_metres,
        points,
        inside,
    }
}

/// A 10 × 20 × 3 m box.
fn block() -> Case {
    let (x, y) = (443_800.0, 4_425_700.0);
    prisms(
        "110108001001GB00001W00010001",
        Stratum::Above,
        vec![(
            polygon![(x: x, y: y), (x: x + 10.0, y: y), (x: x + 10.0, y: y + 20.0), (x: x, y: y + 20.0)],
            12.0,
            15.0,
        )],
        600.0,
    )
}

/// An L-shaped prism, clockwise as given, with millimetre coordinates: 72 m² × 6.75 m.
fn ell() -> Case {
    let (x, y) = (443_811.567, 4_425_788.518);
    prisms(
        "110108001001GB00001W00020001",
        Stratum::Surface,
        vec![(
            polygon![(x: x, y: y), (x: x, y: y + 10.0), (x: x + 4.0, y: y + 10.0),
                     (x: x + 4.0, y: y + 4.0), (x: x + 12.0, y: y + 4.0), (x: x + 12.0, y: y)],
            -0.5,
            6.25,
        )],
        72.0 * 6.75,
    )
}

/// A 20 × 20 m prism with a 6 × 4 m hole, 8.5 m deep underground.
fn holed() -> Case {
    let (x, y) = (443_790.25, 4_425_760.75);
    prisms(
        "110108001001GB00001W00030001",
        Stratum::Under,
        vec![(
            polygon!(
                exterior: [(x: x, y: y), (x: x + 20.0, y: y), (x: x + 20.0, y: y + 20.0), (x: x, y: y + 20.0)],
                interiors: [[(x: x + 7.0, y: y + 8.0), (x: x + 13.0, y: y + 8.0),
                             (x: x + 13.0, y: y + 12.0), (x: x + 7.0, y: y + 12.0)]],
            ),
            -12.8,
            -4.3,
        )],
        376.0 * 8.5,
    )
}

/// Two separate prisms in one unit (a parking space and its store room).
fn two_parts() -> Case {
    let (x, y) = (443_830.125, 4_425_705.375);
    prisms(
        "110108001001GB00001W00040001",
        Stratum::Above,
        vec![
            (
                polygon![(x: x, y: y), (x: x + 2.5, y: y), (x: x + 2.5, y: y + 5.3), (x: x, y: y + 5.3)],
                3.0,
                5.2,
            ),
            (
                polygon![(x: x + 3.5, y: y), (x: x + 5.5, y: y), (x: x + 5.5, y: y + 1.5), (x: x + 3.5, y: y + 1.5)],
                3.0,
                5.2,
            ),
        ],
        (2.5 * 5.3 + 2.0 * 1.5) * 2.2,
    )
}

/// A 30 × 12 × 8 m polyhedron with a 10 × 4 × 2 m cavity.
fn hollow() -> Case {
    let o = [443_770.5, 4_425_730.25, -20.0];
    let lo = Point3::new(o[0], o[1], o[2]);
    let hi = Point3::new(o[0] + 30.0, o[1] + 12.0, o[2] + 8.0);
    let clo = Point3::new(o[0] + 10.0, o[1] + 4.0, o[2] + 3.0);
    let chi = Point3::new(o[0] + 20.0, o[1] + 8.0, o[2] + 5.0);
    let mut p = Polyhedron::cuboid(lo, hi);
    p.add_cavity(&Polyhedron::cuboid(clo, chi));
    let points = p.vertices.iter().map(|v| [v.x, v.y, v.z]).collect();
    let within = |q: [f64; 3], a: Point3, b: Point3, strict: bool| {
        (0..3).all(|k| {
            if strict {
                a[k] < q[k] && q[k] < b[k]
            } else {
                a[k] <= q[k] && q[k] <= b[k]
            }
        })
    };
    Case {
        code: "110108001001GB00001W00050001",
        stratum: Stratum::Under,
        volume: Volume::from(p),
        cubic_metres: 30.0 * 12.0 * 8.0 - 10.0 * 4.0 * 2.0,
        points,
        inside: Box::new(move |q| within(q, lo, hi, true) && !within(q, clo, chi, false)),
    }
}

fn cases() -> Vec<Case> {
    vec![block(), ell(), holed(), two_parts(), hollow()]
}

fn export(cases: &[Case], crs: Option<u32>) -> Vec<u8> {
    let units: Vec<GlbUnit> = cases
        .iter()
        .map(|c| GlbUnit {
            code: c.code,
            stratum: c.stratum,
            volume: &c.volume,
        })
        .collect();
    glb(&units, &Colours::default(), crs, "EPSG:5737").unwrap()
}

/// The JSON chunk, as plain JSON.
fn json_of(bytes: &[u8]) -> Value {
    let g = gltf::Glb::from_slice(bytes).unwrap();
    serde_json::from_slice(&g.json).unwrap()
}

fn u32_at(b: &[u8], at: usize) -> u32 {
    u32::from_le_bytes(b[at..at + 4].try_into().unwrap())
}

/// The origin recorded in the file.
fn origin_of(bytes: &[u8]) -> [f64; 3] {
    let j = json_of(bytes);
    let o = &j["scenes"][0]["extras"]["origin"];
    [0, 1, 2].map(|k| o[k].as_f64().unwrap())
}

/// Each unit's triangles, read with the `gltf` crate, in CRS coordinates (axes swapped back,
/// origin added), with the normal stored at each corner.
type Tri = ([[f64; 3]; 3], [[f32; 3]; 3]);

fn triangles(bytes: &[u8]) -> Vec<Vec<Tri>> {
    let o = origin_of(bytes);
    let (doc, buffers, _) = gltf::import_slice(bytes).unwrap();
    let scene = doc.default_scene().unwrap();
    scene
        .nodes()
        .map(|node| {
            let mesh = node.mesh().unwrap();
            let mut out = Vec::new();
            for prim in mesh.primitives() {
                let r = prim.reader(|b| Some(&buffers[b.index()]));
                let pos: Vec<[f32; 3]> = r.read_positions().unwrap().collect();
                let nor: Vec<[f32; 3]> = r.read_normals().unwrap().collect();
                let idx: Vec<u32> = r.read_indices().unwrap().into_u32().collect();
                assert_eq!(idx.len() % 3, 0);
                let world = |g: [f32; 3]| {
                    [
                        f64::from(g[0]) + o[0],
                        -f64::from(g[2]) + o[1],
                        f64::from(g[1]) + o[2],
                    ]
                };
                for t in idx.chunks(3) {
                    let v = [0, 1, 2].map(|k| world(pos[t[k] as usize]));
                    let n = [0, 1, 2].map(|k| nor[t[k] as usize]);
                    out.push((v, n));
                }
            }
            out
        })
        .collect()
}

fn sub(a: [f64; 3], b: [f64; 3]) -> [f64; 3] {
    [a[0] - b[0], a[1] - b[1], a[2] - b[2]]
}

fn cross(a: [f64; 3], b: [f64; 3]) -> [f64; 3] {
    [
        a[1] * b[2] - a[2] * b[1],
        a[2] * b[0] - a[0] * b[2],
        a[0] * b[1] - a[1] * b[0],
    ]
}

fn dot(a: [f64; 3], b: [f64; 3]) -> f64 {
    a[0] * b[0] + a[1] * b[1] + a[2] * b[2]
}

/// The sRGB transfer function, for one 8-bit component.
fn linear(c: u8) -> f64 {
    let s = f64::from(c) / 255.0;
    if s <= 0.04045 {
        s / 12.92
    } else {
        ((s + 0.055) / 1.055).powf(2.4)
    }
}

#[test]
fn the_file_is_a_valid_glb() {
    let bytes = export(&cases(), Some(4548));
    assert_eq!(u32_at(&bytes, 0), 0x4654_6C67);
    assert_eq!(&bytes[0..4], b"glTF");
    assert_eq!(u32_at(&bytes, 4), 2);
    assert_eq!(u32_at(&bytes, 8) as usize, bytes.len());
    // JSON chunk, padded with spaces to 4 bytes.
    let json_len = u32_at(&bytes, 12) as usize;
    assert_eq!(json_len % 4, 0);
    assert_eq!(&bytes[16..20], b"JSON");
    let json = &bytes[20..20 + json_len];
    let end = json.iter().rposition(|&b| b == b'}').unwrap();
    assert!(json[end + 1..].iter().all(|&b| b == b' '));
    assert!(json.len() - end - 1 < 4);
    serde_json::from_slice::<Value>(json).unwrap();
    // BIN chunk, the rest of the file, padded to 4 bytes.
    let at = 20 + json_len;
    let bin_len = u32_at(&bytes, at) as usize;
    assert_eq!(bin_len % 4, 0);
    assert_eq!(&bytes[at + 4..at + 8], b"BIN\0");
    assert_eq!(at + 8 + bin_len, bytes.len());
    // The gltf crate reads and validates it, and loads its buffer.
    let g = gltf::Gltf::from_slice(&bytes).unwrap();
    assert_eq!(g.buffers().count(), 1);
    let buffer = g.buffers().next().unwrap();
    assert!(matches!(buffer.source(), gltf::buffer::Source::Bin));
    assert!(buffer.length() <= bin_len && bin_len - buffer.length() < 4);
    let (doc, buffers, images) = gltf::import_slice(&bytes).unwrap();
    assert!(images.is_empty());
    assert_eq!(buffers.len(), 1);
    assert_eq!(doc.scenes().count(), 1);
    assert_eq!(json_of(&bytes)["asset"]["version"].as_str(), Some("2.0"));
}

#[test]
fn one_node_and_one_triangle_mesh_per_unit_named_by_its_code() {
    let cases = cases();
    let bytes = export(&cases, Some(4548));
    let g = gltf::Gltf::from_slice(&bytes).unwrap();
    let scene = g.default_scene().unwrap();
    let nodes: Vec<_> = scene.nodes().collect();
    assert_eq!(nodes.len(), cases.len());
    assert_eq!(g.nodes().count(), cases.len());
    assert_eq!(g.meshes().count(), cases.len());
    for (node, case) in nodes.iter().zip(&cases) {
        assert_eq!(node.name(), Some(case.code));
        let mesh = node.mesh().unwrap();
        let prims: Vec<_> = mesh.primitives().collect();
        assert_eq!(prims.len(), 1);
        let p = &prims[0];
        assert_eq!(p.mode(), gltf::mesh::Mode::Triangles);
        let idx = p.indices().unwrap();
        assert_eq!(idx.data_type(), gltf::accessor::DataType::U32);
        assert_eq!(idx.dimensions(), gltf::accessor::Dimensions::Scalar);
        let pos = p.get(&gltf::Semantic::Positions).unwrap();
        assert_eq!(pos.data_type(), gltf::accessor::DataType::F32);
        assert!(p.get(&gltf::Semantic::Normals).is_some());
    }
    let j = json_of(&bytes);
    for (node, case) in j["nodes"].as_array().unwrap().iter().zip(&cases) {
        assert_eq!(node["extras"]["code"].as_str(), Some(case.code));
        assert_eq!(
            node["extras"]["stratum"].as_str(),
            Some(case.stratum.as_str())
        );
    }
}

#[test]
fn the_origin_and_frame_are_recorded_in_the_scene_and_asset_extras() {
    let cases = cases();
    let bytes = export(&cases, Some(4548));
    // The centre of the input's bounding box, rounded to whole metres.
    let mut lo = [f64::INFINITY; 3];
    let mut hi = [f64::NEG_INFINITY; 3];
    for p in cases.iter().flat_map(|c| &c.points) {
        for k in 0..3 {
            lo[k] = lo[k].min(p[k]);
            hi[k] = hi[k].max(p[k]);
        }
    }
    let want = [0, 1, 2].map(|k| ((lo[k] + hi[k]) / 2.0).round());
    assert_eq!(origin_of(&bytes), want);
    let j = json_of(&bytes);
    for extras in [&j["scenes"][0]["extras"], &j["asset"]["extras"]] {
        assert_eq!(extras["origin"], serde_json::json!(want));
        assert_eq!(extras["crs"].as_str(), Some("EPSG:4548"));
        assert_eq!(extras["height_datum"].as_str(), Some("EPSG:5737"));
        assert_eq!(extras["up"].as_str(), Some("z in the CRS is y in glTF"));
    }
    let unknown = export(&cases, None);
    let j = json_of(&unknown);
    assert!(j["scenes"][0]["extras"]["crs"].is_null());
    assert!(j["asset"]["extras"]["crs"].is_null());
}

#[test]
fn vertices_plus_origin_reproduce_the_input_within_a_millimetre() {
    let cases = cases();
    let bytes = export(&cases, Some(4548));
    let near = |a: [f64; 3], b: [f64; 3]| (0..3).all(|k| (a[k] - b[k]).abs() <= 1e-3);
    for (tris, case) in triangles(&bytes).iter().zip(&cases) {
        let got: Vec<[f64; 3]> = tris.iter().flat_map(|(v, _)| *v).collect();
        for v in &got {
            assert!(
                case.points.iter().any(|p| near(*v, *p)),
                "{}: {v:?} is no input vertex",
                case.code
            );
        }
        for p in &case.points {
            assert!(
                got.iter().any(|v| near(*v, *p)),
                "{}: {p:?} is missing",
                case.code
            );
        }
    }
}

#[test]
fn position_bounds_are_those_of_the_data() {
    let bytes = export(&cases(), Some(4548));
    let (doc, buffers, _) = gltf::import_slice(&bytes).unwrap();
    for mesh in doc.meshes() {
        for p in mesh.primitives() {
            let acc = p.get(&gltf::Semantic::Positions).unwrap();
            let min: [f32; 3] = serde_json::from_value(acc.min().unwrap()).unwrap();
            let max: [f32; 3] = serde_json::from_value(acc.max().unwrap()).unwrap();
            let r = p.reader(|b| Some(&buffers[b.index()]));
            let mut lo = [f32::INFINITY; 3];
            let mut hi = [f32::NEG_INFINITY; 3];
            for q in r.read_positions().unwrap() {
                for k in 0..3 {
                    lo[k] = lo[k].min(q[k]);
                    hi[k] = hi[k].max(q[k]);
                }
            }
            assert_eq!(min, lo);
            assert_eq!(max, hi);
            let bb = p.bounding_box();
            assert_eq!((bb.min, bb.max), (lo, hi));
        }
    }
}

#[test]
fn volumes_from_the_triangles_are_the_analytic_volumes() {
    let cases = cases();
    let bytes = export(&cases, Some(4548));
    let o = origin_of(&bytes);
    for (tris, case) in triangles(&bytes).iter().zip(&cases) {
        // The divergence theorem, about the origin (the swap of axes is a rotation: the same
        // volume in glTF's frame).
        let six_v: f64 = tris
            .iter()
            .map(|(v, _)| {
                let [a, b, c] = v.map(|p| sub(p, o));
                dot(a, cross(b, c))
            })
            .sum();
        let v = six_v / 6.0;
        assert!(
            ((v - case.cubic_metres) / case.cubic_metres).abs() < 1e-3,
            "{}: {v} m³, not {}",
            case.code,
            case.cubic_metres
        );
    }
}

#[test]
fn every_triangle_faces_outwards() {
    let cases = cases();
    let bytes = export(&cases, Some(4548));
    for (tris, case) in triangles(&bytes).iter().zip(&cases) {
        assert!(!tris.is_empty());
        for (v, normals) in tris {
            let n = cross(sub(v[1], v[0]), sub(v[2], v[0]));
            let len = dot(n, n).sqrt();
            assert!(len > 1e-9, "{}: a degenerate triangle {v:?}", case.code);
            let n = n.map(|c| c / len);
            let g = [0, 1, 2].map(|k| (v[0][k] + v[1][k] + v[2][k]) / 3.0);
            let step = |s: f64| [0, 1, 2].map(|k| g[k] + s * n[k]);
            assert!(
                !(case.inside)(step(0.01)),
                "{}: the triangle {v:?} faces inwards",
                case.code
            );
            assert!(
                (case.inside)(step(-0.01)),
                "{}: no material behind the triangle {v:?}",
                case.code
            );
            // The stored normal is the face's: unit length, the winding's direction (in
            // glTF axes), the same at all three corners.
            let ng = [n[0], n[2], -n[1]];
            for s in normals {
                let s = s.map(f64::from);
                assert!((dot(s, s) - 1.0).abs() < 1e-5);
                assert!(dot(s, ng) > 0.9999, "{}: normal {s:?} vs {ng:?}", case.code);
            }
            assert_eq!(normals[0], normals[1]);
            assert_eq!(normals[1], normals[2]);
        }
    }
}

#[test]
fn faces_are_flat_shaded_with_their_own_vertices() {
    let bytes = export(&[block()], None);
    let (doc, buffers, _) = gltf::import_slice(&bytes).unwrap();
    let p = doc.meshes().next().unwrap().primitives().next().unwrap();
    let r = p.reader(|b| Some(&buffers[b.index()]));
    // Six faces of four corners each, two triangles each.
    assert_eq!(r.read_positions().unwrap().count(), 24);
    assert_eq!(r.read_indices().unwrap().into_u32().count(), 36);
}

#[test]
fn one_material_per_stratum_with_its_colour() {
    let cases = cases();
    let bytes = export(&cases, Some(4548));
    let g = gltf::Gltf::from_slice(&bytes).unwrap();
    let colours = Colours::default();
    let hex = |s: Stratum| match s {
        Stratum::Above => colours.above.clone(),
        Stratum::Surface => colours.surface.clone(),
        Stratum::Under => colours.under.clone(),
    };
    assert_eq!(g.materials().count(), 3);
    let mut names: Vec<_> = g
        .materials()
        .map(|m| m.name().unwrap().to_owned())
        .collect();
    names.sort();
    assert_eq!(names, ["above", "surface", "under"]);
    for (node, case) in g.nodes().zip(&cases) {
        let prim = node.mesh().unwrap().primitives().next().unwrap();
        let m = prim.material();
        assert_eq!(m.name(), Some(case.stratum.as_str()));
        assert!(!m.double_sided());
        let pbr = m.pbr_metallic_roughness();
        assert_eq!(pbr.metallic_factor(), 0.0);
        assert_eq!(pbr.roughness_factor(), 1.0);
        let h = hex(case.stratum);
        let rgb = [1, 3, 5].map(|i| u8::from_str_radix(&h[i..i + 2], 16).unwrap());
        let f = pbr.base_color_factor();
        for k in 0..3 {
            assert!(
                (f64::from(f[k]) - linear(rgb[k])).abs() < 1e-6,
                "{}: {f:?} vs {h}",
                case.stratum
            );
        }
        assert_eq!(f[3], 1.0);
    }
    // Only the strata present get a material.
    let bytes = export(&[ell()], None);
    let g = gltf::Gltf::from_slice(&bytes).unwrap();
    let names: Vec<_> = g
        .materials()
        .map(|m| m.name().unwrap().to_owned())
        .collect();
    assert_eq!(names, ["surface"]);
    // Other colours are used as given.
    let red = Colours {
        surface: "#ff0000".into(),
        ..Colours::default()
    };
    let e = ell();
    let unit = GlbUnit {
        code: e.code,
        stratum: e.stratum,
        volume: &e.volume,
    };
    let bytes = glb(&[unit], &red, None, "").unwrap();
    let g = gltf::Gltf::from_slice(&bytes).unwrap();
    assert_eq!(
        g.materials()
            .next()
            .unwrap()
            .pbr_metallic_roughness()
            .base_color_factor(),
        [1.0, 0.0, 0.0, 1.0]
    );
}

#[test]
fn the_same_input_gives_the_same_bytes() {
    let a = export(&cases(), Some(4548));
    let b = export(&cases(), Some(4548));
    assert_eq!(a, b);
    assert_ne!(a, export(&cases(), None));
}

#[test]
fn empty_input_and_faceless_units_are_errors() {
    let c = Colours::default();
    assert!(matches!(glb(&[], &c, None, ""), Err(GltfError::Empty)));
    let b = block();
    let empty = Volume::default();
    let units = [
        GlbUnit {
            code: b.code,
            stratum: b.stratum,
            volume: &b.volume,
        },
        GlbUnit {
            code: "110108001001GB00001W00099999",
            stratum: Stratum::Under,
            volume: &empty,
        },
    ];
    let e = glb(&units, &c, Some(4548), "").unwrap_err();
    assert!(matches!(e, GltfError::NoFaces { ref code } if code == "110108001001GB00001W00099999"));
    assert!(
        e.to_string().contains("110108001001GB00001W00099999"),
        "{e}"
    );
}
