//! Triangulation of planar faces (with holes) by a constrained Delaunay triangulation.
//!
//! The face is projected to 2D by dropping the axis along which its normal is largest, which
//! keeps the input coordinates exact; the rings become constraint edges and the triangles
//! inside the face are found by counting the constraints crossed from the outside.

use std::collections::VecDeque;

use spade::handles::FixedVertexHandle;
use spade::{ConstrainedDelaunayTriangulation, HasPosition, Point2, Triangulation};
use thiserror::Error;

use super::kernel::{dominant_axis, drop_axis};
use super::{Face, Point3, Vector3};

/// Why a face could not be triangulated.
#[derive(Debug, Clone, Error, PartialEq)]
#[non_exhaustive]
pub enum TriangulationError {
    /// A coordinate is not finite.
    #[error("a vertex has a non-finite coordinate")]
    NonFinite,
    /// Two ring edges cross, so the face has no well-defined inside.
    #[error("ring edges cross each other")]
    CrossingRings,
    /// The face has no area in its projection.
    #[error("the face is degenerate (no area)")]
    Degenerate,
}

#[derive(Debug, Clone, Copy)]
struct Vtx {
    pos: Point2<f64>,
    index: usize,
}

impl HasPosition for Vtx {
    type Scalar = f64;
    fn position(&self) -> Point2<f64> {
        self.pos
    }
}

/// Triangulates `face` (whose vertices are `vertices[i]`), returning triangles of vertex
/// indices oriented like the face: each triangle's right-hand normal agrees with `normal`.
///
/// Holes are respected; vertices lying on other rings' edges split those edges.
pub fn triangulate_face(
    vertices: &[Point3],
    face: &Face,
    normal: &Vector3,
) -> Result<Vec<[usize; 3]>, TriangulationError> {
    let ext = face.rings.first().ok_or(TriangulationError::Degenerate)?;
    if face.rings.len() == 1 && ext.len() == 3 {
        return Ok(vec![[ext[0], ext[1], ext[2]]]);
    }
    let axis = dominant_axis(normal);
    let flip = normal[axis] < 0.0;
    let mut cdt: ConstrainedDelaunayTriangulation<Vtx> = ConstrainedDelaunayTriangulation::new();
    let mut handles: Vec<Vec<FixedVertexHandle>> = Vec::with_capacity(face.rings.len());
    for ring in &face.rings {
        let mut hs = Vec::with_capacity(ring.len());
        for &i in ring {
            let p = vertices[i];
            if !(p.x.is_finite() && p.y.is_finite() && p.z.is_finite()) {
                return Err(TriangulationError::NonFinite);
            }
            let q = drop_axis(&p, axis);
            let h = cdt
                .insert(Vtx {
                    pos: Point2::new(q[0], q[1]),
                    index: i,
                })
                .map_err(|_| TriangulationError::NonFinite)?;
            hs.push(h);
        }
        handles.push(hs);
    }
    for hs in &handles {
        for k in 0..hs.len() {
            let (a, b) = (hs[k], hs[(k + 1) % hs.len()]);
            if a == b {
                continue;
            }
            if !cdt.can_add_constraint(a, b) {
                return Err(TriangulationError::CrossingRings);
            }
            cdt.add_constraint(a, b);
        }
    }
    // 0-1 breadth-first search from the outer face: the level of a triangle is the least number
    // of constraint edges crossed to reach it; odd levels are inside the face.
    let n_faces = cdt.num_all_faces();
    let mut adjacent: Vec<Vec<(usize, bool)>> = vec![Vec::new(); n_faces];
    for e in cdt.directed_edges() {
        let crossing = cdt.is_constraint_edge(e.as_undirected().fix());
        adjacent[e.face().fix().index()].push((e.rev().face().fix().index(), crossing));
    }
    let mut level = vec![u32::MAX; n_faces];
    let outer = cdt.outer_face().fix().index();
    level[outer] = 0;
    let mut queue = VecDeque::from([outer]);
    while let Some(f) = queue.pop_front() {
        for &(g, crossing) in &adjacent[f] {
            let nl = level[f] + u32::from(crossing);
            if nl < level[g] {
                level[g] = nl;
                if crossing {
                    queue.push_back(g);
                } else {
                    queue.push_front(g);
                }
            }
        }
    }
    let mut out = Vec::new();
    for f in cdt.inner_faces() {
        if level[f.fix().index()] % 2 == 1 {
            let [a, b, c] = f.vertices();
            let (a, b, c) = (a.data().index, b.data().index, c.data().index);
            out.push(if flip { [a, c, b] } else { [a, b, c] });
        }
    }
    if out.is_empty() {
        return Err(TriangulationError::Degenerate);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::geometry::plane::newell_normal;

    fn area(v: &[Point3], tris: &[[usize; 3]]) -> Vector3 {
        tris.iter()
            .map(|t| (v[t[1]] - v[t[0]]).cross(&(v[t[2]] - v[t[0]])) / 2.0)
            .sum()
    }

    #[test]
    fn square_with_a_hole_keeps_area_and_orientation() {
        // A vertical face (normal -y) with a hole, far from the origin.
        let (e, n) = (474_000.0, 4_418_000.0);
        let v = vec![
            Point3::new(e, n, 0.0),
            Point3::new(e + 10.0, n, 0.0),
            Point3::new(e + 10.0, n, 10.0),
            Point3::new(e, n, 10.0),
            Point3::new(e + 2.0, n, 2.0),
            Point3::new(e + 2.0, n, 4.0),
            Point3::new(e + 4.0, n, 4.0),
            Point3::new(e + 4.0, n, 2.0),
        ];
        let face = Face {
            rings: vec![vec![0, 1, 2, 3], vec![4, 5, 6, 7]],
        };
        let normal = newell_normal(&v[0..4]);
        assert!(normal.y < 0.0);
        let tris = triangulate_face(&v, &face, &normal).unwrap();
        let a = area(&v, &tris);
        assert!((a.y + 96.0).abs() < 1e-6, "{a:?}");
        assert!(a.x.abs() < 1e-9 && a.z.abs() < 1e-9);
    }
}
