//! Shell level: codes 301–307. A shell must be a closed, 2-manifold, consistently oriented
//! surface of one piece that does not intersect itself.

use std::collections::{HashMap, HashSet, VecDeque};

use rstar::{AABB, RTree, RTreeObject};

use crate::geometry::kernel::{drop_axis, orient2d, side_of_plane};
use crate::geometry::triangle::{SegmentContact, segment_triangle, triangles_intersect};
use crate::geometry::{Face, Point3};

use super::code::Code;
use super::finding::{Finding, Location};
use super::polygon2d::UnionFind;

/// One use of an edge by a face: the face and whether the face runs along it from the
/// smaller to the larger vertex index.
#[derive(Debug, Clone, Copy)]
struct EdgeUse {
    face: usize,
    forward: bool,
}

fn edge_map(faces: &[Face]) -> HashMap<(usize, usize), Vec<EdgeUse>> {
    let mut edges: HashMap<(usize, usize), Vec<EdgeUse>> = HashMap::new();
    for (fi, f) in faces.iter().enumerate() {
        for ring in &f.rings {
            let n = ring.len();
            for k in 0..n {
                let (u, v) = (ring[k], ring[(k + 1) % n]);
                if u == v {
                    continue;
                }
                edges
                    .entry((u.min(v), u.max(v)))
                    .or_default()
                    .push(EdgeUse {
                        face: fi,
                        forward: u < v,
                    });
            }
        }
    }
    edges
}

fn fmt_point(p: &Point3) -> String {
    format!("({:.3}, {:.3}, {:.3})", p.x, p.y, p.z)
}

/// Checks the topology of a shell whose faces passed the polygon checks: 301, 303, 307, 305
/// and 302 (for `closed` shells; a composite surface need not be closed). Returns every
/// finding of the first level that fails.
pub(crate) fn check_topology(
    vertices: &[Point3],
    faces: &[Face],
    shell: usize,
    closed: bool,
) -> Vec<Finding> {
    if closed && faces.len() < 4 {
        return vec![Finding::new(
            Code::TooFewPolygons,
            Location::shell(shell),
            format!(
                "the shell has {} polygon(s); a closed shell needs at least 4",
                faces.len()
            ),
        )];
    }
    let edges = edge_map(faces);
    let mut keys: Vec<&(usize, usize)> = edges.keys().collect();
    keys.sort();
    let t = Topology {
        vertices,
        faces,
        shell,
        closed,
        edges: &edges,
        keys: &keys,
    };
    // Every finding of the first level that fails.
    for level in [
        Topology::shared_edges,
        Topology::orientation,
        Topology::umbrellas,
        Topology::pieces,
        Topology::holes,
    ] {
        let out = level(&t);
        if !out.is_empty() {
            return out;
        }
    }
    Vec::new()
}

/// A shell's faces and edges, checked level by level.
struct Topology<'a> {
    vertices: &'a [Point3],
    faces: &'a [Face],
    shell: usize,
    /// A solid's shell must be closed; a composite surface need not be.
    closed: bool,
    edges: &'a HashMap<(usize, usize), Vec<EdgeUse>>,
    /// The edges in a fixed order.
    keys: &'a [&'a (usize, usize)],
}

impl Topology<'_> {
    fn loc(&self, f: usize) -> Location {
        Location::face(self.shell, f)
    }

    /// Edges shared by more than two faces (303).
    fn shared_edges(&self) -> Vec<Finding> {
        let mut out = Vec::new();
        for key in self.keys {
            let uses = &self.edges[*key];
            if uses.len() > 2 {
                let fs: Vec<String> = uses.iter().map(|u| u.face.to_string()).collect();
                out.push(Finding::new(
                    Code::NonManifoldCase,
                    self.loc(uses[0].face),
                    format!(
                        "the edge {}–{} is used by {} faces ({})",
                        fmt_point(&self.vertices[key.0]),
                        fmt_point(&self.vertices[key.1]),
                        uses.len(),
                        fs.join(", ")
                    ),
                ));
            }
        }
        out
    }

    /// Faces sharing an edge must run along it in opposite directions (307). Faces are
    /// 2-coloured (flipped or not relative to the first face of their piece); the smaller
    /// colour class is reported.
    fn orientation(&self) -> Vec<Finding> {
        let n = self.faces.len();
        let mut adj: Vec<Vec<(usize, bool)>> = vec![Vec::new(); n];
        for key in self.keys {
            let uses = &self.edges[*key];
            if uses.len() == 2 && uses[0].face != uses[1].face {
                let same_dir = uses[0].forward == uses[1].forward;
                adj[uses[0].face].push((uses[1].face, same_dir));
                adj[uses[1].face].push((uses[0].face, same_dir));
            }
        }
        let mut out = Vec::new();
        let mut flip: Vec<Option<bool>> = vec![None; n];
        for start in 0..n {
            if flip[start].is_some() {
                continue;
            }
            match colour_piece(start, &adj, &mut flip) {
                Err(g) => out.push(Finding::new(
                    Code::PolygonWrongOrientation,
                    self.loc(g),
                    "the faces cannot be oriented consistently (the surface is not orientable)",
                )),
                Ok(mut minority) => {
                    minority.sort_unstable();
                    out.extend(minority.into_iter().map(|f| {
                        Finding::new(
                            Code::PolygonWrongOrientation,
                            self.loc(f),
                            "the face is oriented against its neighbours",
                        )
                    }));
                }
            }
        }
        out
    }

    /// The faces around a vertex must form one umbrella (303). A vertex with several fans,
    /// one of them closed, pinches the shell (two solids touching at a point, a dangling
    /// face); in a closed shell two open fans at one vertex are the rim of a hole (302, left
    /// to [`Topology::holes`]).
    fn umbrellas(&self) -> Vec<Finding> {
        let mut corners: HashMap<usize, Vec<(usize, usize, usize)>> = HashMap::new();
        for (fi, f) in self.faces.iter().enumerate() {
            for ring in &f.rings {
                let n = ring.len();
                for k in 0..n {
                    corners.entry(ring[k]).or_default().push((
                        fi,
                        ring[(k + n - 1) % n],
                        ring[(k + 1) % n],
                    ));
                }
            }
        }
        let mut vkeys: Vec<&usize> = corners.keys().collect();
        vkeys.sort();
        let mut out = Vec::new();
        for &v in vkeys {
            let cs = &corners[&v];
            let (fans, has_closed) = fans(cs);
            if fans > 1 && (has_closed || !self.closed) {
                out.push(Finding::new(
                    Code::NonManifoldCase,
                    self.loc(cs[0].0),
                    format!(
                        "the faces around the vertex {} form {fans} separate umbrellas",
                        fmt_point(&self.vertices[v]),
                    ),
                ));
            }
        }
        out
    }

    /// Faces connected through shared edges must be one piece (305).
    fn pieces(&self) -> Vec<Finding> {
        let mut uf = UnionFind::new(self.faces.len());
        for uses in self.edges.values() {
            if uses.len() == 2 {
                uf.union(uses[0].face, uses[1].face);
            }
        }
        let mut pieces: HashMap<usize, usize> = HashMap::new();
        for f in 0..self.faces.len() {
            *pieces.entry(uf.find(f)).or_default() += 1;
        }
        if pieces.len() < 2 {
            return Vec::new();
        }
        let mut sizes: Vec<usize> = pieces.into_values().collect();
        sizes.sort_unstable_by(|a, b| b.cmp(a));
        vec![Finding::new(
            Code::MultipleConnectedComponents,
            Location::shell(self.shell),
            format!(
                "the faces form {} pieces not connected by edges (of {sizes:?} faces)",
                sizes.len()
            ),
        )]
    }

    /// Edges used by one face only, grouped into the loops of holes (302), in a closed shell.
    fn holes(&self) -> Vec<Finding> {
        if !self.closed {
            return Vec::new();
        }
        let border: Vec<&(usize, usize)> = self
            .keys
            .iter()
            .copied()
            .filter(|k| self.edges[*k].len() == 1)
            .collect();
        if border.is_empty() {
            return Vec::new();
        }
        let mut uf = UnionFind::new(self.vertices.len());
        for (a, b) in &border {
            uf.union(*a, *b);
        }
        let mut holes: HashMap<usize, (usize, usize)> = HashMap::new();
        for &&k in &border {
            holes.entry(uf.find(k.0)).or_insert(k);
        }
        let mut firsts: Vec<(usize, usize)> = holes.into_values().collect();
        firsts.sort();
        firsts
            .into_iter()
            .map(|k| {
                Finding::new(
                    Code::ShellNotClosed,
                    self.loc(self.edges[&k][0].face),
                    format!(
                        "the shell has a hole whose border passes {}",
                        fmt_point(&self.vertices[k.0])
                    ),
                )
            })
            .collect()
    }
}

/// 2-colours the piece of faces reached from `start` (flipped or not relative to it): the
/// smaller colour class, or `Err(face)` where the colouring contradicts itself.
fn colour_piece(
    start: usize,
    adj: &[Vec<(usize, bool)>],
    flip: &mut [Option<bool>],
) -> Result<Vec<usize>, usize> {
    flip[start] = Some(false);
    let mut piece = vec![start];
    let mut conflict: Option<usize> = None;
    let mut queue = VecDeque::from([start]);
    while let Some(f) = queue.pop_front() {
        let ff = flip[f].unwrap_or(false);
        for &(g, same_dir) in &adj[f] {
            let want = ff ^ same_dir;
            match flip[g] {
                None => {
                    flip[g] = Some(want);
                    piece.push(g);
                    queue.push_back(g);
                }
                Some(have) if have != want => conflict = conflict.or(Some(g)),
                Some(_) => {}
            }
        }
    }
    if let Some(g) = conflict {
        return Err(g);
    }
    let flipped: Vec<usize> = piece
        .iter()
        .copied()
        .filter(|&f| flip[f] == Some(true))
        .collect();
    Ok(if flipped.len() * 2 <= piece.len() {
        flipped
    } else {
        piece
            .into_iter()
            .filter(|&f| flip[f] == Some(false))
            .collect()
    })
}

/// The fans of faces around one vertex, from its corners (face, previous, next vertex): how
/// many, and whether one is closed (a complete umbrella).
fn fans(cs: &[(usize, usize, usize)]) -> (usize, bool) {
    let mut by_edge: HashMap<usize, Vec<usize>> = HashMap::new();
    for (ci, &(_, prev, next)) in cs.iter().enumerate() {
        by_edge.entry(prev).or_default().push(ci);
        by_edge.entry(next).or_default().push(ci);
    }
    let mut uf = UnionFind::new(cs.len());
    let mut open = vec![false; cs.len()];
    for list in by_edge.values() {
        match list.as_slice() {
            [a, b] => {
                uf.union(*a, *b);
            }
            [a] => open[*a] = true,
            _ => {}
        }
    }
    let mut fans: HashMap<usize, bool> = HashMap::new();
    for (ci, &o) in open.iter().enumerate() {
        let is_open = fans.entry(uf.find(ci)).or_insert(false);
        *is_open |= o;
    }
    let has_closed = fans.values().any(|o| !o);
    (fans.len(), has_closed)
}

struct TriBox {
    idx: usize,
    env: AABB<[f64; 3]>,
}

impl RTreeObject for TriBox {
    type Envelope = AABB<[f64; 3]>;
    fn envelope(&self) -> Self::Envelope {
        self.env
    }
}

/// An R-tree over triangles' boxes.
pub(crate) fn triangle_tree(vertices: &[Point3], tris: &[[usize; 3]]) -> RTree<TriBoxPub> {
    RTree::bulk_load(
        tris.iter()
            .enumerate()
            .map(|(i, t)| {
                let (a, b, c) = (vertices[t[0]], vertices[t[1]], vertices[t[2]]);
                let lo = [
                    a.x.min(b.x).min(c.x),
                    a.y.min(b.y).min(c.y),
                    a.z.min(b.z).min(c.z),
                ];
                let hi = [
                    a.x.max(b.x).max(c.x),
                    a.y.max(b.y).max(c.y),
                    a.z.max(b.z).max(c.z),
                ];
                TriBoxPub(TriBox {
                    idx: i,
                    env: AABB::from_corners(lo, hi),
                })
            })
            .collect(),
    )
}

/// A triangle's box in an R-tree (index into the triangle list).
pub(crate) struct TriBoxPub(TriBox);

impl TriBoxPub {
    pub(crate) fn idx(&self) -> usize {
        self.0.idx
    }
}

impl RTreeObject for TriBoxPub {
    type Envelope = AABB<[f64; 3]>;
    fn envelope(&self) -> Self::Envelope {
        self.0.env
    }
}

/// True when two triangles of one surface meet anywhere but in the vertices and edge they
/// share.
fn triangles_clash(vertices: &[Point3], t: &[usize; 3], u: &[usize; 3]) -> bool {
    let shared: Vec<usize> = t.iter().copied().filter(|i| u.contains(i)).collect();
    let pt = |i: usize| &vertices[i];
    match shared.len() {
        3 => true,
        2 => {
            let (a, b) = (shared[0], shared[1]);
            let x = *t.iter().find(|&&i| i != a && i != b).unwrap_or(&a);
            let y = *u.iter().find(|&&i| i != a && i != b).unwrap_or(&a);
            if side_of_plane(pt(a), pt(b), pt(x), pt(y)) != 0 {
                return false;
            }
            // Coplanar: they overlap when the free vertices lie on the same side of the edge.
            let n = crate::geometry::triangle::normal(pt(a), pt(b), pt(x));
            let axis = crate::geometry::kernel::dominant_axis(&n);
            let s1 = orient2d(
                drop_axis(pt(a), axis),
                drop_axis(pt(b), axis),
                drop_axis(pt(x), axis),
            )
            .sign();
            let s2 = orient2d(
                drop_axis(pt(a), axis),
                drop_axis(pt(b), axis),
                drop_axis(pt(y), axis),
            )
            .sign();
            s1 == s2
        }
        1 => {
            let v = shared[0];
            let others = |w: &[usize; 3]| -> [usize; 2] {
                let o: Vec<usize> = w.iter().copied().filter(|&i| i != v).collect();
                [o[0], o[1]]
            };
            let [a, b] = others(t);
            let [c, d] = others(u);
            segment_triangle(pt(a), pt(b), pt(u[0]), pt(u[1]), pt(u[2])) != SegmentContact::None
                || segment_triangle(pt(c), pt(d), pt(t[0]), pt(t[1]), pt(t[2]))
                    != SegmentContact::None
        }
        _ => triangles_intersect(
            [pt(t[0]), pt(t[1]), pt(t[2])],
            [pt(u[0]), pt(u[1]), pt(u[2])],
        ),
    }
}

/// Checks that no two faces of a shell intersect (306). `tris[i]` belongs to face `face_of[i]`.
pub(crate) fn check_self_intersection(
    vertices: &[Point3],
    tris: &[[usize; 3]],
    face_of: &[usize],
    shell: usize,
) -> Vec<Finding> {
    let tree = triangle_tree(vertices, tris);
    let mut pairs: HashSet<(usize, usize)> = HashSet::new();
    for (a, b) in tree.intersection_candidates_with_other_tree(&tree) {
        let (i, j) = (a.idx(), b.idx());
        if i >= j || face_of[i] == face_of[j] {
            continue;
        }
        let key = (face_of[i].min(face_of[j]), face_of[i].max(face_of[j]));
        if pairs.contains(&key) {
            continue;
        }
        if triangles_clash(vertices, &tris[i], &tris[j]) {
            pairs.insert(key);
        }
    }
    let mut pairs: Vec<(usize, usize)> = pairs.into_iter().collect();
    pairs.sort();
    pairs
        .into_iter()
        .map(|(f, g)| {
            Finding::new(
                Code::ShellSelfIntersection,
                Location::face(shell, f),
                format!("faces {f} and {g} intersect"),
            )
        })
        .collect()
}
