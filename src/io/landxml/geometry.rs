//! Geometry: `<CoordGeom>` lines chained into rings, rings into footprints and into the faces
//! of a closed polyhedron.

use geo::{LineString, Polygon};
use roxmltree::Node;
use rustc_hash::FxHashMap;

use crate::diagnostics::FeatureRef;
use crate::geometry::{Face, Point3, Polyhedron, Shell};

use super::super::error::ImportError;
use super::text::{child, children, is_face};
use super::{MAX_PARCEL_POINTS, Reader, Seg};

impl<'a, 'i> Reader<'a, 'i> {
    /// The ring of a parcel's `<CoordGeom>` (vertex ids, not repeated at the end), or `None`
    /// when the parcel has no `<CoordGeom>`. `prefix` starts field paths (`face "F1" `).
    pub(super) fn ring(
        &mut self,
        parcel: Node,
        feature: &FeatureRef,
        prefix: &str,
        budget: &mut usize,
    ) -> Result<Option<Vec<usize>>, ImportError> {
        let mut geoms = children(parcel, "CoordGeom");
        let Some(cg) = geoms.next() else {
            return Ok(None);
        };
        if geoms.next().is_some() {
            return Err(self.err(
                feature,
                &format!("{prefix}CoordGeom"),
                "more than one <CoordGeom>: a parcel (or face) has one ring of <Line> segments",
            ));
        }
        let mut segs = Vec::new();
        let mut k = 0usize;
        for g in cg.children().filter(Node::is_element) {
            let tag = g.tag_name().name();
            match tag {
                "Line" => {
                    let field = format!("{prefix}CoordGeom/Line[{k}]");
                    k += 1;
                    if *budget == 0 {
                        return Err(self.err(
                            feature,
                            &field,
                            format!(
                                "the parcel has more than {MAX_PARCEL_POINTS} points: refused (split it into several parcels)"
                            ),
                        ));
                    }
                    *budget -= 1;
                    let (Some(s), Some(e)) = (child(g, "Start"), child(g, "End")) else {
                        return Err(self.err(
                            feature,
                            &field,
                            "a <Line> needs a <Start> and an <End>",
                        ));
                    };
                    let a = self.endpoint(s, feature, &format!("{field}/Start"))?;
                    let b = self.endpoint(e, feature, &format!("{field}/End"))?;
                    if a == b {
                        return Err(self.err(
                            feature,
                            &field,
                            format!(
                                "the line starts and ends at the same point {}",
                                self.vertices[a].label
                            ),
                        ));
                    }
                    segs.push(Seg { a, b });
                }
                "Curve" => {
                    return Err(self.err(
                        feature,
                        &format!("{prefix}CoordGeom/Curve"),
                        "arcs (<Curve>) are not supported: give the boundary as <Line> segments (chords)",
                    ));
                }
                "IrregularLine" | "Spiral" | "Chain" => {
                    return Err(self.err(
                        feature,
                        &format!("{prefix}CoordGeom/{tag}"),
                        format!("<{tag}> is not supported: give the boundary as <Line> segments"),
                    ));
                }
                _ => {}
            }
        }
        self.chain(&segs, feature, &format!("{prefix}CoordGeom"))
            .map(Some)
    }

    /// Chains the lines into one closed ring that runs in the direction of the first line.
    pub(super) fn chain(
        &self,
        segs: &[Seg],
        feature: &FeatureRef,
        field: &str,
    ) -> Result<Vec<usize>, ImportError> {
        let Some(first) = segs.first() else {
            return Err(self.err(feature, field, "no <Line>: the ring is empty"));
        };
        let mut adj: FxHashMap<usize, Vec<usize>> = FxHashMap::default();
        for (i, s) in segs.iter().enumerate() {
            adj.entry(s.a).or_default().push(i);
            adj.entry(s.b).or_default().push(i);
        }
        let mut used = vec![false; segs.len()];
        used[0] = true;
        let start = first.a;
        let mut ring = vec![start];
        let mut cur = first.b;
        // Position of the next candidate in each vertex's list (each list is walked once).
        let mut cursor: FxHashMap<usize, usize> = FxHashMap::default();
        while cur != start {
            ring.push(cur);
            let list = adj.get(&cur).map(Vec::as_slice).unwrap_or(&[]);
            let c = cursor.entry(cur).or_insert(0);
            while *c < list.len() && used[list[*c]] {
                *c += 1;
            }
            let Some(&k) = list.get(*c) else {
                return Err(self.err(
                    feature,
                    field,
                    format!(
                        "the lines do not close a ring: the chain from {} stops at {} (no other <Line> starts or ends there)",
                        self.vertices[start].label, self.vertices[cur].label
                    ),
                ));
            };
            used[k] = true;
            cur = if segs[k].a == cur {
                segs[k].b
            } else {
                segs[k].a
            };
        }
        if let Some(k) = used.iter().position(|u| !u) {
            return Err(self.err(
                feature,
                field,
                format!(
                    "the lines form more than one ring (line {k}, {}–{}, is not on the ring that starts at line 0): holes and multi-part parcels are not supported",
                    self.vertices[segs[k].a].label, self.vertices[segs[k].b].label
                ),
            ));
        }
        Ok(ring)
    }

    pub(super) fn polygon(&self, ring: &[usize]) -> Polygon<f64> {
        let pts: Vec<(f64, f64)> = ring
            .iter()
            .map(|&i| (self.vertices[i].x, self.vertices[i].y))
            .collect();
        Polygon::new(LineString::from(pts), vec![])
    }

    /// The closed polyhedron bounded by the faces of a volumetric parcel.
    pub(super) fn polyhedron(
        &mut self,
        feature: &FeatureRef,
        sub: &[Node<'a, 'i>],
    ) -> Result<Polyhedron, ImportError> {
        let mut budget = MAX_PARCEL_POINTS;
        let mut rings: Vec<(String, Vec<usize>)> = Vec::with_capacity(sub.len());
        for (k, c) in sub.iter().enumerate() {
            let (face, label) = match c.attribute("pclRef").map(str::trim) {
                Some(r) => {
                    let field = format!("Parcels/Parcel[{k}]/@pclRef");
                    let Some(&t) = self.parcels.get(r) else {
                        return Err(self.err(
                            feature,
                            &field,
                            format!("the face reference \"{r}\" names no parcel: there is no <Parcel name=\"{r}\"> in <Parcels>"),
                        ));
                    };
                    if !is_face(t) {
                        return Err(self.err(
                            feature,
                            &field,
                            format!("the face reference \"{r}\" names a parcel that is not a face (class=\"Face\")"),
                        ));
                    }
                    (t, format!("face \"{r}\""))
                }
                None => {
                    let label = match c.attribute("name") {
                        Some(n) => format!("face \"{n}\""),
                        None => format!("face {k}"),
                    };
                    if !is_face(*c) {
                        return Err(self.err(
                            feature,
                            &format!("Parcels/Parcel[{k}]"),
                            format!("{label}: a child parcel of a volumetric parcel must be a face (class=\"Face\") or a pclRef to one"),
                        ));
                    }
                    (*c, label)
                }
            };
            let prefix = format!("{label} ");
            let Some(ring) = self.ring(face, feature, &prefix, &mut budget)? else {
                return Err(self.err(
                    feature,
                    &format!("{prefix}CoordGeom"),
                    "missing: a face needs a <CoordGeom> of <Line> segments through 3D points",
                ));
            };
            if let Some(&v) = ring.iter().find(|&&v| self.vertices[v].z.is_none()) {
                return Err(self.err(
                    feature,
                    &format!("{prefix}CoordGeom"),
                    format!(
                        "the point {} has no elevation: faces need 3D points (northing easting elevation)",
                        self.vertices[v].label
                    ),
                ));
            }
            rings.push((label, ring));
        }
        // Compact vertex list.
        let mut local: FxHashMap<usize, usize> = FxHashMap::default();
        let mut vertices = Vec::new();
        let mut faces = Vec::with_capacity(rings.len());
        for (_, ring) in &rings {
            let r: Vec<usize> = ring
                .iter()
                .map(|&g| {
                    *local.entry(g).or_insert_with(|| {
                        let v = &self.vertices[g];
                        vertices.push(Point3::new(v.x, v.y, v.z.unwrap_or(0.0)));
                        vertices.len() - 1
                    })
                })
                .collect();
            faces.push(Face::new(r));
        }
        // The reader reads: a face missing (302), faces pointing inward (405) or a face
        // turned against its neighbours (307) are validation's findings.
        let poly = Polyhedron::new(vertices, vec![Shell { faces }]);
        Ok(poly)
    }
}
