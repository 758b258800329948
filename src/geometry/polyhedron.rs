//! Closed polyhedra (boundary representation): an outer shell and optional inner shells.

use super::plane::newell_normal;
use super::{Aabb, Point3, Vector3};

/// A ring of a face: indices into [`Polyhedron::vertices`], not closed (the first index is not
/// repeated at the end).
pub type Ring = Vec<usize>;

/// A planar polygon of a shell: `rings[0]` is the exterior ring, the others are holes.
///
/// Seen from outside the solid, the exterior ring runs counter-clockwise (its right-hand normal
/// points out of the solid) and holes run clockwise.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Face {
    /// Exterior ring first, then the holes.
    pub rings: Vec<Ring>,
}

impl Face {
    /// A face without holes.
    pub fn new(exterior: Ring) -> Self {
        Face {
            rings: vec![exterior],
        }
    }

    /// All vertex indices of all rings.
    pub fn indices(&self) -> impl Iterator<Item = usize> + '_ {
        self.rings.iter().flatten().copied()
    }
}

/// A closed surface made of faces.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Shell {
    /// The faces.
    pub faces: Vec<Face>,
}

/// A solid bounded by one outer shell and zero or more inner shells (cavities), sharing one
/// vertex list.
///
/// The outer shell's faces point out of the solid; an inner shell's faces point into its
/// cavity (also away from the material), as in ISO 19107, CityGML and CityJSON.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Polyhedron {
    /// Vertex coordinates in metres.
    pub vertices: Vec<Point3>,
    /// `shells[0]` is the outer shell; the others are cavities.
    pub shells: Vec<Shell>,
}

impl Polyhedron {
    /// A polyhedron from its vertices and shells.
    pub fn new(vertices: Vec<Point3>, shells: Vec<Shell>) -> Self {
        Polyhedron { vertices, shells }
    }

    /// The axis-aligned box `[xmin, ymin, zmin]`–`[xmax, ymax, zmax]` as a closed cuboid with
    /// outward faces: the simplest valid solid.
    pub fn cuboid(min: Point3, max: Point3) -> Self {
        let v = vec![
            Point3::new(min.x, min.y, min.z),
            Point3::new(max.x, min.y, min.z),
            Point3::new(max.x, max.y, min.z),
            Point3::new(min.x, max.y, min.z),
            Point3::new(min.x, min.y, max.z),
            Point3::new(max.x, min.y, max.z),
            Point3::new(max.x, max.y, max.z),
            Point3::new(min.x, max.y, max.z),
        ];
        let faces = [
            [0, 3, 2, 1],
            [4, 5, 6, 7],
            [0, 1, 5, 4],
            [1, 2, 6, 5],
            [2, 3, 7, 6],
            [3, 0, 4, 7],
        ]
        .iter()
        .map(|f| Face::new(f.to_vec()))
        .collect();
        Polyhedron::new(v, vec![Shell { faces }])
    }

    /// The outer shell, if any.
    pub fn outer(&self) -> Option<&Shell> {
        self.shells.first()
    }

    /// The inner shells (cavities).
    pub fn inner(&self) -> &[Shell] {
        self.shells.get(1..).unwrap_or(&[])
    }

    /// The coordinates of a ring, in order.
    pub fn ring_points(&self, ring: &[usize]) -> Vec<Point3> {
        ring.iter().map(|&i| self.vertices[i]).collect()
    }

    /// The area vector of a face times two: the sum of the Newell normals of its rings. Its
    /// direction is the face's outward normal, its length twice the face's area (holes
    /// subtracted when they run opposite to the exterior ring).
    pub fn face_normal(&self, face: &Face) -> Vector3 {
        face.rings
            .iter()
            .map(|r| newell_normal(&self.ring_points(r)))
            .sum()
    }

    /// The signed volume enclosed by one shell (m³): positive when its faces point outwards.
    pub fn shell_signed_volume(&self, shell: &Shell) -> f64 {
        let Some(origin) = shell
            .faces
            .first()
            .and_then(|f| f.rings.first())
            .and_then(|r| r.first())
            .map(|&i| self.vertices[i])
        else {
            return 0.0;
        };
        let mut six_v = 0.0;
        for face in &shell.faces {
            let n = self.face_normal(face);
            let mut c = Vector3::zeros();
            let mut k = 0.0;
            for i in face.indices() {
                c += self.vertices[i] - origin;
                k += 1.0;
            }
            if k > 0.0 {
                six_v += (c / k).dot(&n);
            }
        }
        six_v / 6.0
    }

    /// The 3D bounding box of all vertices used by the shells.
    pub fn aabb(&self) -> Aabb {
        let mut b = Aabb::empty();
        for s in &self.shells {
            for f in &s.faces {
                for i in f.indices() {
                    b.grow(&self.vertices[i]);
                }
            }
        }
        b
    }

    /// Adds `hole`'s outer shell as a cavity of this solid: its vertices appended, its faces
    /// turned to face into the cavity.
    ///
    /// ```
    /// use strata::geometry::{Point3, Polyhedron};
    /// use strata::geometry::algorithm::SolidVolume;
    /// let mut p = Polyhedron::cuboid(Point3::new(0.0, 0.0, 0.0), Point3::new(3.0, 3.0, 3.0));
    /// p.add_cavity(&Polyhedron::cuboid(Point3::new(1.0, 1.0, 1.0), Point3::new(2.0, 2.0, 2.0)));
    /// assert_eq!(p.volume_m3(), 26.0);
    /// ```
    pub fn add_cavity(&mut self, hole: &Polyhedron) {
        let off = self.vertices.len();
        self.vertices.extend(hole.vertices.iter().copied());
        let mut inner = hole.shells[0].reversed();
        for i in inner
            .faces
            .iter_mut()
            .flat_map(|f| f.rings.iter_mut())
            .flat_map(|r| r.iter_mut())
        {
            *i += off;
        }
        self.shells.push(inner);
    }

    /// The same polyhedron moved by `v`.
    pub fn translated(&self, v: &Vector3) -> Polyhedron {
        Polyhedron {
            vertices: self.vertices.iter().map(|p| p + v).collect(),
            shells: self.shells.clone(),
        }
    }

    /// Number of faces over all shells.
    pub fn face_count(&self) -> usize {
        self.shells.iter().map(|s| s.faces.len()).sum()
    }
}

impl Shell {
    /// The same shell with every ring reversed (normals flipped).
    pub fn reversed(&self) -> Shell {
        Shell {
            faces: self
                .faces
                .iter()
                .map(|f| Face {
                    rings: f
                        .rings
                        .iter()
                        .map(|r| r.iter().rev().copied().collect())
                        .collect(),
                })
                .collect(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cuboid_volume_is_the_product_of_its_sides() {
        let p = Polyhedron::cuboid(Point3::new(0.0, 0.0, -8.5), Point3::new(30.0, 12.0, -0.5));
        let v = p.shell_signed_volume(&p.shells[0]);
        assert!((v - 30.0 * 12.0 * 8.0).abs() < 1e-9, "{v}");
        let r = p.shells[0].reversed();
        assert!((p.shell_signed_volume(&r) + 2880.0).abs() < 1e-9);
    }

    #[test]
    fn cuboid_volume_survives_cgcs2000_coordinates() {
        let o = Point3::new(474_412.345, 4_418_207.891, 12.0);
        let p = Polyhedron::cuboid(o, o + Vector3::new(30.0, 12.0, 8.0));
        let v = p.shell_signed_volume(&p.shells[0]);
        assert!((v - 2880.0).abs() < 1e-6, "{v}");
    }
}
