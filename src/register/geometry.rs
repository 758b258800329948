//! The registered volume as data: the exact geometry as imported, prisms and polyhedra, in a
//! form the journal writes and reads back coordinate for coordinate.
//!
//! Numbers are written as the shortest decimal that reads back to the same `f64` (and read
//! with correct rounding), so a volume read from the journal equals the volume recorded.

use geo::{LineString, MultiPolygon, Polygon};
use serde::{Deserialize, Serialize};

use crate::geometry::{Face, Part, Point3, Polyhedron, Prism, Shell, Volume};

/// A ring of a footprint: `[x, y]` points, not closed.
pub type Ring2 = Vec<[f64; 2]>;

/// One part of a registered volume.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[serde(rename_all = "snake_case")]
pub enum PartData {
    /// A footprint (exterior ring, then holes) between two elevations.
    Prism {
        /// Exterior ring first, then the holes; rings are not closed.
        footprint: Vec<Ring2>,
        /// The lower elevation.
        bottom: f64,
        /// The upper elevation.
        top: f64,
    },
    /// A closed polyhedron: vertices and shells of faces of rings of vertex indices.
    Polyhedron {
        /// `[x, y, z]` vertices.
        vertices: Vec<[f64; 3]>,
        /// The outer shell, then cavities; each face is its rings.
        shells: Vec<Vec<Vec<Vec<usize>>>>,
    },
}

/// A registered volume: its parts in the order of the survey.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct VolumeData {
    /// The parts.
    pub parts: Vec<PartData>,
}

fn ring2(ls: &LineString<f64>) -> Ring2 {
    let mut pts: Ring2 = ls.0.iter().map(|c| [c.x, c.y]).collect();
    if pts.len() > 1 && pts.first() == pts.last() {
        pts.pop();
    }
    pts
}

fn line(r: &Ring2) -> LineString<f64> {
    let mut ls: LineString<f64> = r.iter().map(|p| (p[0], p[1])).collect();
    ls.close();
    ls
}

/// Polygons of rings (exterior first, then holes; not closed) as a `MultiPolygon`.
pub fn multipolygon(polys: &[Vec<Ring2>]) -> MultiPolygon<f64> {
    MultiPolygon(
        polys
            .iter()
            .filter(|rings| !rings.is_empty())
            .map(|rings| Polygon::new(line(&rings[0]), rings[1..].iter().map(line).collect()))
            .collect(),
    )
}

/// A `MultiPolygon` as polygons of rings, not closed.
pub fn rings_of(mp: &MultiPolygon<f64>) -> Vec<Vec<Ring2>> {
    mp.0.iter()
        .map(|p| {
            std::iter::once(p.exterior())
                .chain(p.interiors())
                .map(ring2)
                .collect()
        })
        .collect()
}

impl From<&Volume> for VolumeData {
    fn from(v: &Volume) -> Self {
        let parts = v
            .parts
            .iter()
            .map(|p| match p {
                Part::Prism(p) => PartData::Prism {
                    footprint: std::iter::once(p.footprint.exterior())
                        .chain(p.footprint.interiors())
                        .map(ring2)
                        .collect(),
                    bottom: p.z_bottom,
                    top: p.z_top,
                },
                Part::Polyhedron(p) => PartData::Polyhedron {
                    vertices: p.vertices.iter().map(|v| [v.x, v.y, v.z]).collect(),
                    shells: p
                        .shells
                        .iter()
                        .map(|s| s.faces.iter().map(|f| f.rings.clone()).collect())
                        .collect(),
                },
            })
            .collect();
        VolumeData { parts }
    }
}

impl VolumeData {
    /// The volume as the geometry core holds it. Indices beyond the vertex list are kept as
    /// they are: validation names them.
    pub fn to_volume(&self) -> Volume {
        let parts = self
            .parts
            .iter()
            .map(|p| match p {
                PartData::Prism {
                    footprint,
                    bottom,
                    top,
                } => {
                    let mut rings = footprint.iter().map(line);
                    let exterior = rings.next().unwrap_or_else(|| LineString::new(vec![]));
                    Part::Prism(Prism::new(
                        Polygon::new(exterior, rings.collect()),
                        *bottom,
                        *top,
                    ))
                }
                PartData::Polyhedron { vertices, shells } => Part::Polyhedron(Polyhedron::new(
                    vertices
                        .iter()
                        .map(|v| Point3::new(v[0], v[1], v[2]))
                        .collect(),
                    shells
                        .iter()
                        .map(|s| Shell {
                            faces: s
                                .iter()
                                .map(|rings| Face {
                                    rings: rings.clone(),
                                })
                                .collect(),
                        })
                        .collect(),
                )),
            })
            .collect();
        Volume::new(parts)
    }

    /// The lowest and highest elevation of any part, or `None` for an empty volume.
    pub fn z_range(&self) -> Option<(f64, f64)> {
        let mut r: Option<(f64, f64)> = None;
        let mut add = |z: f64| r = Some(r.map_or((z, z), |(a, b)| (a.min(z), b.max(z))));
        for p in &self.parts {
            match p {
                PartData::Prism { bottom, top, .. } => {
                    add(*bottom);
                    add(*top);
                }
                PartData::Polyhedron { vertices, .. } => vertices.iter().for_each(|v| add(v[2])),
            }
        }
        r
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use geo::polygon;

    #[test]
    fn volumes_survive_the_journal_bit_for_bit() {
        let prism = Prism::new(
            polygon![(x: 474281.356, y: 4418993.912), (x: 474351.356, y: 4418993.912),
                     (x: 474351.356, y: 4419053.912), (x: 474281.356, y: 4419053.912)],
            11.5,
            17.5,
        );
        let mut cube = Polyhedron::cuboid(
            Point3::new(0.1, 0.2, 0.3),
            Point3::new(1.0 / 3.0, 2.0f64.sqrt(), std::f64::consts::PI),
        );
        cube.add_cavity(&Polyhedron::cuboid(
            Point3::new(0.15, 0.25, 0.35),
            Point3::new(0.2, 0.3, 0.4),
        ));
        let v = Volume::new(vec![Part::Prism(prism), Part::Polyhedron(cube)]);
        let data = VolumeData::from(&v);
        let text = serde_json::to_string(&data).unwrap();
        let back: VolumeData = serde_json::from_str(&text).unwrap();
        assert_eq!(back, data);
        assert_eq!(back.to_volume(), v);
        assert_eq!(data.z_range(), Some((0.3, 17.5)));
    }
}
