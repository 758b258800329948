//! Geometric primitives as 3D formats carry them (the CityJSON / ISO 19107 types).

use super::{Face, Point3, Polyhedron};

/// Polygons over a vertex list, not necessarily closed into a shell.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Surfaces {
    /// Vertex coordinates.
    pub vertices: Vec<Point3>,
    /// The polygons.
    pub faces: Vec<Face>,
}

/// A 3D primitive of an input file.
#[derive(Debug, Clone, PartialEq)]
pub enum Primitive {
    /// Independent polygons.
    MultiSurface(Surfaces),
    /// Polygons forming one connected surface.
    CompositeSurface(Surfaces),
    /// One solid with an outer shell and optional cavities.
    Solid(Polyhedron),
    /// Solids without prescribed relations.
    MultiSolid(Vec<Polyhedron>),
    /// Solids that share faces but not interiors, forming one piece.
    CompositeSolid(Vec<Polyhedron>),
}

impl Primitive {
    /// The type name as CityJSON writes it.
    pub fn type_name(&self) -> &'static str {
        match self {
            Primitive::MultiSurface(_) => "MultiSurface",
            Primitive::CompositeSurface(_) => "CompositeSurface",
            Primitive::Solid(_) => "Solid",
            Primitive::MultiSolid(_) => "MultiSolid",
            Primitive::CompositeSolid(_) => "CompositeSolid",
        }
    }

    /// The solids of a volumetric primitive (none for surfaces).
    pub fn solids(&self) -> &[Polyhedron] {
        match self {
            Primitive::Solid(p) => std::slice::from_ref(p),
            Primitive::MultiSolid(v) | Primitive::CompositeSolid(v) => v,
            _ => &[],
        }
    }

    /// True for Solid, MultiSolid and CompositeSolid.
    pub fn is_volumetric(&self) -> bool {
        matches!(
            self,
            Primitive::Solid(_) | Primitive::MultiSolid(_) | Primitive::CompositeSolid(_)
        )
    }
}
