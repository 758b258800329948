//! The working form of a unit for the checks: its parts prepared once (footprints
//! triangulated, polyhedra meshed), with its bounding box.

use std::sync::OnceLock;

use crate::geometry::algorithm::{BoundingBox3, ToPolyhedra};
use crate::geometry::prepared::PreparedFootprint;
use crate::geometry::{Aabb, Part, Prism, TriMesh, Volume};

/// A part ready for checks.
#[derive(Debug)]
pub enum PreparedPart<'a> {
    /// A prism: its prepared footprint and elevations, and its mesh when a check needs it.
    Prism {
        /// The footprint.
        footprint: PreparedFootprint,
        /// The bottom elevation.
        z_bottom: f64,
        /// The top elevation.
        z_top: f64,
        /// The original prism (to mesh it on demand).
        prism: &'a Prism,
        /// Its mesh, built on first use (boxed: most prisms never need one).
        mesh: OnceLock<Option<Box<TriMesh>>>,
    },
    /// A polyhedron, meshed (`None` when its faces cannot be triangulated).
    Mesh(Option<TriMesh>),
}

/// A prism part as the pair checks read it.
#[derive(Debug, Clone, Copy)]
pub struct PrismView<'p> {
    /// The prepared footprint.
    pub footprint: &'p PreparedFootprint,
    /// The bottom elevation.
    pub z_bottom: f64,
    /// The top elevation.
    pub z_top: f64,
    /// The prism itself.
    pub prism: &'p Prism,
}

impl<'a> PreparedPart<'a> {
    /// The part as a prism, when it is one.
    pub fn as_prism(&self) -> Option<PrismView<'_>> {
        match self {
            PreparedPart::Prism {
                footprint,
                z_bottom,
                z_top,
                prism,
                ..
            } => Some(PrismView {
                footprint,
                z_bottom: *z_bottom,
                z_top: *z_top,
                prism,
            }),
            PreparedPart::Mesh(_) => None,
        }
    }

    /// Prepares a part.
    pub fn new(p: &'a Part) -> PreparedPart<'a> {
        match p {
            Part::Prism(pr) => PreparedPart::Prism {
                footprint: PreparedFootprint::new(&pr.footprint),
                z_bottom: pr.z_bottom,
                z_top: pr.z_top,
                prism: pr,
                mesh: OnceLock::new(),
            },
            Part::Polyhedron(poly) => PreparedPart::Mesh(TriMesh::new(poly).ok()),
        }
    }

    /// The part as a triangle mesh.
    pub fn mesh(&self) -> Option<&TriMesh> {
        match self {
            PreparedPart::Prism { prism, mesh, .. } => mesh
                .get_or_init(|| {
                    prism
                        .to_polyhedra()
                        .first()
                        .and_then(|p| TriMesh::new(p).ok())
                        .map(Box::new)
                })
                .as_deref(),
            PreparedPart::Mesh(m) => m.as_ref(),
        }
    }

    /// The part's volume in m³.
    pub fn volume(&self) -> f64 {
        match self {
            PreparedPart::Prism {
                footprint,
                z_bottom,
                z_top,
                ..
            } => footprint.area * (z_top - z_bottom).max(0.0),
            PreparedPart::Mesh(Some(m)) => mesh_volume(m),
            PreparedPart::Mesh(None) => 0.0,
        }
    }
}

/// The signed volume enclosed by a closed mesh (outer shells positive, cavities negative).
pub fn mesh_volume(m: &TriMesh) -> f64 {
    let Some(o) = m.vertices.first().copied() else {
        return 0.0;
    };
    let mut six = 0.0;
    for i in 0..m.triangles.len() {
        let [a, b, c] = m.corners(i);
        six += (a - o).dot(&(b - o).cross(&(c - o)));
    }
    six / 6.0
}

/// A unit prepared for checks.
#[derive(Debug)]
pub struct Subject<'a> {
    /// The unit's position in the dataset.
    pub unit: usize,
    /// The bounding box of all parts.
    pub bbox: Aabb,
    /// The parts.
    pub parts: Vec<PreparedPart<'a>>,
}

impl<'a> Subject<'a> {
    /// Prepares a unit's volume.
    pub fn new(unit: usize, v: &'a Volume) -> Subject<'a> {
        Subject {
            unit,
            bbox: v.bbox(),
            parts: v.parts.iter().map(PreparedPart::new).collect(),
        }
    }

    /// The volume in m³.
    pub fn volume(&self) -> f64 {
        self.parts.iter().map(PreparedPart::volume).sum()
    }

    /// The parts that could not be prepared (a polyhedron whose faces cannot be
    /// triangulated, a footprint whose triangulation failed): the checks cannot measure them,
    /// so their conflicts would be missed. Valid units have none.
    pub fn unprepared_parts(&self) -> Vec<usize> {
        self.parts
            .iter()
            .enumerate()
            .filter(|(_, p)| match p {
                PreparedPart::Prism { footprint, .. } => !footprint.is_prepared(),
                PreparedPart::Mesh(m) => m.is_none(),
            })
            .map(|(k, _)| k)
            .collect()
    }

    /// True when every part is a prism.
    pub fn all_prisms(&self) -> bool {
        self.parts
            .iter()
            .all(|p| matches!(p, PreparedPart::Prism { .. }))
    }
}
