//! Readers for the small text formats of val3dity's test suite (POLY, OFF, OBJ). They exist
//! for the conformance test only: surveyors do not deliver these formats.

use std::path::Path;

use strata::geometry::{Face, Point3, Shell};

/// Vertices and the faces of one surface.
pub struct Mesh {
    pub vertices: Vec<Point3>,
    pub faces: Vec<Face>,
}

fn nums(line: &str) -> Vec<f64> {
    line.split_whitespace()
        .take_while(|t| !t.starts_with('#'))
        .filter_map(|t| t.parse().ok())
        .collect()
}

fn lines(text: &str) -> impl Iterator<Item = &str> {
    text.lines()
        .map(|l| l.split('#').next().unwrap_or("").trim())
        .filter(|l| !l.is_empty())
}

/// TetGen's POLY format as val3dity uses it: points with ids, then facets of one or more
/// rings (the first is the exterior), each followed by a point inside each hole.
pub fn read_poly(path: &Path) -> Result<Mesh, String> {
    let text = std::fs::read_to_string(path).map_err(|e| e.to_string())?;
    let mut it = lines(&text);
    let head = nums(it.next().ok_or("empty file")?);
    let n = *head.first().ok_or("no point count")? as usize;
    let mut ids = std::collections::HashMap::new();
    let mut vertices = Vec::with_capacity(n);
    for _ in 0..n {
        let v = nums(it.next().ok_or("missing point")?);
        if v.len() < 4 {
            return Err("bad point line".into());
        }
        ids.insert(v[0] as i64, vertices.len());
        vertices.push(Point3::new(v[1], v[2], v[3]));
    }
    let nf = *nums(it.next().ok_or("missing facet count")?)
        .first()
        .ok_or("bad facet count")? as usize;
    let mut faces = Vec::with_capacity(nf);
    for _ in 0..nf {
        let h = nums(it.next().ok_or("missing facet header")?);
        let nrings = *h.first().ok_or("bad facet header")? as usize;
        let nholes = h.get(1).copied().unwrap_or(0.0) as usize;
        let mut rings = Vec::new();
        for _ in 0..nrings {
            let r = nums(it.next().ok_or("missing ring")?);
            let k = *r.first().ok_or("bad ring")? as usize;
            let mut ring = Vec::with_capacity(k);
            for &id in r.iter().skip(1).take(k) {
                ring.push(
                    *ids.get(&(id as i64))
                        .ok_or(format!("unknown point id {id}"))?,
                );
            }
            if ring.len() != k {
                return Err("short ring".into());
            }
            rings.push(ring);
        }
        for _ in 0..nholes {
            it.next().ok_or("missing hole point")?;
        }
        faces.push(Face { rings });
    }
    Ok(Mesh { vertices, faces })
}

/// OFF: `OFF`, counts, vertices, faces as `n i1 … in` (0-based).
pub fn read_off(path: &Path) -> Result<Mesh, String> {
    let text = std::fs::read_to_string(path).map_err(|e| e.to_string())?;
    let mut it = lines(&text);
    let first = it.next().ok_or("empty file")?;
    let counts = if first.starts_with("OFF") {
        let rest = first.trim_start_matches("OFF").trim();
        if rest.is_empty() {
            nums(it.next().ok_or("no counts")?)
        } else {
            nums(rest)
        }
    } else {
        return Err("not OFF".into());
    };
    let (nv, nf) = (
        *counts.first().ok_or("no counts")? as usize,
        *counts.get(1).ok_or("no counts")? as usize,
    );
    let mut vertices = Vec::with_capacity(nv);
    for _ in 0..nv {
        let v = nums(it.next().ok_or("missing vertex")?);
        if v.len() < 3 {
            return Err("bad vertex".into());
        }
        vertices.push(Point3::new(v[0], v[1], v[2]));
    }
    let mut faces = Vec::with_capacity(nf);
    for _ in 0..nf {
        let f = nums(it.next().ok_or("missing face")?);
        let k = *f.first().ok_or("bad face")? as usize;
        let ring: Vec<usize> = f.iter().skip(1).take(k).map(|&x| x as usize).collect();
        if ring.iter().any(|&i| i >= nv) || ring.len() != k {
            return Err("bad vertex index".into());
        }
        faces.push(Face { rings: vec![ring] });
    }
    Ok(Mesh { vertices, faces })
}

/// OBJ: `v x y z` and `f i j k …` (1-based, `i/t/n` allowed); objects are not separated.
pub fn read_obj(path: &Path) -> Result<Mesh, String> {
    let text = std::fs::read_to_string(path).map_err(|e| e.to_string())?;
    let mut vertices = Vec::new();
    let mut faces = Vec::new();
    for l in lines(&text) {
        let mut t = l.split_whitespace();
        match t.next() {
            Some("v") => {
                let v: Vec<f64> = t.filter_map(|x| x.parse().ok()).collect();
                if v.len() < 3 {
                    return Err("bad vertex".into());
                }
                vertices.push(Point3::new(v[0], v[1], v[2]));
            }
            Some("f") => {
                let mut ring = Vec::new();
                for x in t {
                    let i: i64 = x
                        .split('/')
                        .next()
                        .unwrap_or("")
                        .parse()
                        .map_err(|_| "bad index")?;
                    if i < 1 {
                        return Err(format!("OBJ indices start at 1, found {i}"));
                    }
                    ring.push(i as usize - 1);
                }
                faces.push(Face { rings: vec![ring] });
            }
            _ => {}
        }
    }
    for f in &faces {
        if f.rings[0].iter().any(|&i| i >= vertices.len()) {
            return Err("vertex index out of range".into());
        }
    }
    Ok(Mesh { vertices, faces })
}

/// Reads any of the three formats by extension.
pub fn read_mesh(path: &Path) -> Result<Mesh, String> {
    match path.extension().and_then(|e| e.to_str()) {
        Some("poly") => read_poly(path),
        Some("off") => read_off(path),
        Some("obj") => read_obj(path),
        _ => Err("unsupported".into()),
    }
}

/// Appends the faces of `m` as a new shell of a polyhedron with vertex list `vertices`.
pub fn append_shell(vertices: &mut Vec<Point3>, shells: &mut Vec<Shell>, m: Mesh) {
    let off = vertices.len();
    vertices.extend(m.vertices);
    shells.push(Shell {
        faces: m
            .faces
            .into_iter()
            .map(|f| Face {
                rings: f
                    .rings
                    .into_iter()
                    .map(|r| r.into_iter().map(|i| i + off).collect())
                    .collect(),
            })
            .collect(),
    });
}
