//! Well-known binary (ISO 13249-3, OGC Simple Features) for the geometries of a survey table:
//! footprints as `Polygon` or `MultiPolygon`, free-form parts (ramps, tunnels) as a
//! `PolyhedralSurface Z` (its faces as given), or, for a solid with cavities, a
//! `GeometryCollection Z` of one `PolyhedralSurface Z` per shell, the outer shell first.
//!
//! Written little-endian with ISO type codes; read in either byte order, with ISO or EWKB
//! (PostGIS) type codes and an EWKB SRID. Every count is checked against the bytes left before
//! anything is allocated, so a hostile blob costs no more memory than its own length.
//!
//! ```
//! use geo::polygon;
//! use strata::io::wkb::{self, Shape};
//! let square = polygon![(x: 0.0, y: 0.0), (x: 4.0, y: 0.0), (x: 4.0, y: 4.0), (x: 0.0, y: 4.0)];
//! let bytes = wkb::polygon(&square);
//! assert_eq!(wkb::read(&bytes).unwrap(), Shape::Footprints(vec![square]));
//! ```

use geo::{Coord, LineString, Polygon};
use rustc_hash::FxHashMap;

use crate::diagnostics::Num;
use crate::geometry::{Face, Point3, Polyhedron, Shell};

/// The ISO type codes read and written.
const POLYGON: u32 = 3;
const MULTI_POLYGON: u32 = 6;
const COLLECTION: u32 = 7;
const POLYHEDRAL_SURFACE: u32 = 15;
const TIN: u32 = 16;
/// ISO: 1000 added for Z, 2000 for M, 3000 for both.
const ISO_Z: u32 = 1000;
/// EWKB flags in the type word.
const EWKB_Z: u32 = 0x8000_0000;
const EWKB_M: u32 = 0x4000_0000;
const EWKB_SRID: u32 = 0x2000_0000;

/// What a blob holds.
#[derive(Debug, Clone, PartialEq)]
pub enum Shape {
    /// Footprints in plan (a `Polygon` or `MultiPolygon`; a third coordinate is not used).
    Footprints(Vec<Polygon<f64>>),
    /// A solid: its outer shell, then its cavities.
    Solid(Polyhedron),
    /// A type that holds neither (a point, a line): named for the finding.
    Other(&'static str),
}

/// What is wrong with a blob: where (byte offset) and why.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("byte {at}: {message}")]
pub struct WkbError {
    /// The offset of the value that is wrong.
    pub at: usize,
    /// Why.
    pub message: String,
}

// ---------------------------------------------------------------- writing

fn header(out: &mut Vec<u8>, ty: u32) {
    out.push(1);
    out.extend_from_slice(&ty.to_le_bytes());
}

fn count(out: &mut Vec<u8>, n: usize) {
    out.extend_from_slice(&(n as u32).to_le_bytes());
}

fn ring2(out: &mut Vec<u8>, r: &LineString<f64>) {
    count(out, r.0.len());
    for c in &r.0 {
        out.extend_from_slice(&c.x.to_le_bytes());
        out.extend_from_slice(&c.y.to_le_bytes());
    }
}

fn polygon_into(out: &mut Vec<u8>, p: &Polygon<f64>) {
    header(out, POLYGON);
    count(out, 1 + p.interiors().len());
    ring2(out, p.exterior());
    for r in p.interiors() {
        ring2(out, r);
    }
}

/// A footprint as a 2D `Polygon`.
pub fn polygon(p: &Polygon<f64>) -> Vec<u8> {
    let mut out = Vec::new();
    polygon_into(&mut out, p);
    out
}

/// Footprints as a 2D `MultiPolygon`.
pub fn multipolygon(ps: &[Polygon<f64>]) -> Vec<u8> {
    let mut out = Vec::new();
    header(&mut out, MULTI_POLYGON);
    count(&mut out, ps.len());
    for p in ps {
        polygon_into(&mut out, p);
    }
    out
}

fn surface_into(out: &mut Vec<u8>, vertices: &[Point3], shell: &Shell) {
    header(out, POLYHEDRAL_SURFACE + ISO_Z);
    count(out, shell.faces.len());
    for f in &shell.faces {
        header(out, POLYGON + ISO_Z);
        count(out, f.rings.len());
        for r in &f.rings {
            // WKB rings are closed: the first position again at the end.
            count(out, r.len() + usize::from(!r.is_empty()));
            for &i in r.iter().chain(r.first()) {
                let p = vertices.get(i).copied().unwrap_or_default();
                for v in [p.x, p.y, p.z] {
                    out.extend_from_slice(&v.to_le_bytes());
                }
            }
        }
    }
}

/// A solid as a `PolyhedralSurface Z`, or with cavities as a `GeometryCollection Z` of one per
/// shell.
pub fn polyhedron(p: &Polyhedron) -> Vec<u8> {
    let mut out = Vec::new();
    if p.shells.len() == 1 {
        surface_into(&mut out, &p.vertices, &p.shells[0]);
        return out;
    }
    header(&mut out, COLLECTION + ISO_Z);
    count(&mut out, p.shells.len());
    for s in &p.shells {
        surface_into(&mut out, &p.vertices, s);
    }
    out
}

// ---------------------------------------------------------------- reading

struct Reader<'b> {
    bytes: &'b [u8],
    at: usize,
    little: bool,
}

/// A geometry's type word, decoded.
#[derive(Clone, Copy)]
struct Type {
    base: u32,
    /// Numbers per position (2 to 4).
    dims: usize,
    /// Whether the third is a height (not a measure).
    z: bool,
}

impl<'b> Reader<'b> {
    fn fail<T>(&self, message: impl Into<String>) -> Result<T, WkbError> {
        Err(WkbError {
            at: self.at,
            message: message.into(),
        })
    }

    fn take<const N: usize>(&mut self) -> Result<[u8; N], WkbError> {
        match self.bytes.get(self.at..self.at + N) {
            Some(b) => {
                self.at += N;
                Ok(b.try_into().unwrap_or([0; N]))
            }
            None => self.fail("the geometry ends early (truncated)"),
        }
    }

    fn u32(&mut self) -> Result<u32, WkbError> {
        let b = self.take::<4>()?;
        Ok(if self.little {
            u32::from_le_bytes(b)
        } else {
            u32::from_be_bytes(b)
        })
    }

    fn f64(&mut self) -> Result<f64, WkbError> {
        let b = self.take::<8>()?;
        Ok(if self.little {
            f64::from_le_bytes(b)
        } else {
            f64::from_be_bytes(b)
        })
    }

    /// A count of items at least `min_bytes` long each, checked against the bytes left.
    fn count(&mut self, what: &str, min_bytes: usize) -> Result<usize, WkbError> {
        let n = self.u32()? as usize;
        let left = self.bytes.len() - self.at;
        if n.saturating_mul(min_bytes) > left {
            return self.fail(format!(
                "{n} {what} cannot fit in the {left} bytes left (truncated or corrupt)"
            ));
        }
        Ok(n)
    }

    fn geometry_type(&mut self) -> Result<Type, WkbError> {
        let order = self.take::<1>()?[0];
        self.little = match order {
            0 => false,
            1 => true,
            b => return self.fail(format!("byte order {b}: expected 0 (big) or 1 (little)")),
        };
        let word = self.u32()?;
        if word & EWKB_SRID != 0 {
            self.u32()?;
        }
        let iso = word & 0x0fff_ffff;
        let (iso_z, iso_m) = match iso / 1000 {
            0 => (false, false),
            1 => (true, false),
            2 => (false, true),
            3 => (true, true),
            _ => return self.fail(format!("geometry type {word}: not a WKB type")),
        };
        let z = iso_z || word & EWKB_Z != 0;
        let m = iso_m || word & EWKB_M != 0;
        Ok(Type {
            base: iso % 1000,
            dims: 2 + usize::from(z) + usize::from(m),
            z,
        })
    }

    fn expect(&mut self, want: u32, within: &str) -> Result<Type, WkbError> {
        let t = self.geometry_type()?;
        if t.base != want {
            return self.fail(format!(
                "a {within} holds {}, not {}",
                name(want),
                name(t.base)
            ));
        }
        Ok(t)
    }

    /// A ring of positions of type `t`; calls `each` with (x, y, z), z 0 when not given.
    fn ring(&mut self, t: Type, mut each: impl FnMut(f64, f64, f64)) -> Result<usize, WkbError> {
        let n = self.count("positions", 8 * t.dims)?;
        for k in 0..n {
            let (x, y) = (self.f64()?, self.f64()?);
            let z = if t.z { self.f64()? } else { 0.0 };
            if t.dims == 3 + usize::from(t.z) {
                self.f64()?; // the measure
            }
            if !(x.is_finite() && y.is_finite() && z.is_finite()) {
                return self.fail(format!(
                    "position {k} is ({}, {}, {}): a coordinate is not a finite number",
                    Num(x),
                    Num(y),
                    Num(z)
                ));
            }
            each(x, y, z);
        }
        Ok(n)
    }

    fn polygon2(&mut self, t: Type) -> Result<Polygon<f64>, WkbError> {
        let rings = self.count("rings", 4)?;
        let mut all: Vec<LineString<f64>> = Vec::with_capacity(rings);
        for _ in 0..rings {
            let mut r = Vec::new();
            self.ring(t, |x, y, _| r.push(Coord { x, y }))?;
            all.push(LineString(r));
        }
        let mut all = all.into_iter();
        let exterior = all.next().unwrap_or_else(|| LineString(Vec::new()));
        Ok(Polygon::new(exterior, all.collect()))
    }

    fn surface(&mut self, t: Type, solid: &mut Solid) -> Result<Shell, WkbError> {
        if !t.z {
            return self.fail(format!(
                "a {} without Z has no heights: a solid needs x, y and z",
                name(t.base)
            ));
        }
        let faces = self.count("faces", 9)?;
        let mut shell = Shell::default();
        for _ in 0..faces {
            let ft = self.expect(POLYGON, name(t.base))?;
            let rings = self.count("rings", 4)?;
            let mut face = Face { rings: Vec::new() };
            for _ in 0..rings {
                let mut ring = Vec::new();
                self.ring(ft, |x, y, z| ring.push(solid.vertex(x, y, z)))?;
                // Closed in WKB: the repeated first position is not a vertex of the ring.
                if ring.len() > 1 && ring.first() == ring.last() {
                    ring.pop();
                }
                face.rings.push(ring);
            }
            shell.faces.push(face);
        }
        Ok(shell)
    }
}

/// The vertices of a solid being read, each once.
#[derive(Default)]
struct Solid {
    vertices: Vec<Point3>,
    index: FxHashMap<[u64; 3], usize>,
}

impl Solid {
    fn vertex(&mut self, x: f64, y: f64, z: f64) -> usize {
        // -0.0 and 0.0 are one position.
        let key = [x + 0.0, y + 0.0, z + 0.0].map(f64::to_bits);
        *self.index.entry(key).or_insert_with(|| {
            self.vertices.push(Point3::new(x, y, z));
            self.vertices.len() - 1
        })
    }
}

fn name(base: u32) -> &'static str {
    match base {
        1 => "Point",
        2 => "LineString",
        POLYGON => "Polygon",
        4 => "MultiPoint",
        5 => "MultiLineString",
        MULTI_POLYGON => "MultiPolygon",
        COLLECTION => "GeometryCollection",
        POLYHEDRAL_SURFACE => "PolyhedralSurface",
        TIN => "TIN",
        17 => "Triangle",
        _ => "geometry of an unknown type",
    }
}

/// Reads a blob: footprints, a solid, or the name of a type that is neither. Bytes after the
/// geometry are an error.
pub fn read(bytes: &[u8]) -> Result<Shape, WkbError> {
    let mut r = Reader {
        bytes,
        at: 0,
        little: true,
    };
    let t = r.geometry_type()?;
    let shape = match t.base {
        POLYGON => Shape::Footprints(vec![r.polygon2(t)?]),
        MULTI_POLYGON => {
            let n = r.count("polygons", 9)?;
            let mut ps = Vec::with_capacity(n);
            for _ in 0..n {
                let pt = r.expect(POLYGON, "MultiPolygon")?;
                ps.push(r.polygon2(pt)?);
            }
            Shape::Footprints(ps)
        }
        POLYHEDRAL_SURFACE | TIN => {
            let mut solid = Solid::default();
            let shell = r.surface(t, &mut solid)?;
            Shape::Solid(Polyhedron::new(solid.vertices, vec![shell]))
        }
        COLLECTION => solid_collection(&mut r)?,
        // Not read further: a type that holds no footprint and no solid is a finding.
        other => return Ok(Shape::Other(name(other))),
    };
    if r.at != bytes.len() {
        return r.fail(format!("{} bytes follow the geometry", bytes.len() - r.at));
    }
    Ok(shape)
}

/// A `GeometryCollection` of polyhedral surfaces: one solid, its outer shell first.
fn solid_collection(r: &mut Reader) -> Result<Shape, WkbError> {
    let n = r.count("shells", 9)?;
    let mut solid = Solid::default();
    let mut shells = Vec::with_capacity(n);
    for _ in 0..n {
        let t = r.geometry_type()?;
        if t.base != POLYHEDRAL_SURFACE && t.base != TIN {
            return r.fail(format!(
                "a GeometryCollection holds the shells of one solid (PolyhedralSurface Z or TIN Z), not a {}",
                name(t.base)
            ));
        }
        shells.push(r.surface(t, &mut solid)?);
    }
    if shells.is_empty() {
        return Ok(Shape::Other("GeometryCollection"));
    }
    Ok(Shape::Solid(Polyhedron::new(solid.vertices, shells)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::geometry::Prism;
    use crate::geometry::algorithm::to_polyhedra::ToPolyhedra;
    use geo::polygon;

    /// A solid's faces as coordinates, per shell: vertex numbers are the reader's own.
    fn faces(s: &Shape) -> Vec<Vec<Vec<Vec<[f64; 3]>>>> {
        let Shape::Solid(p) = s else { panic!("{s:?}") };
        let xyz = |i: &usize| [p.vertices[*i].x, p.vertices[*i].y, p.vertices[*i].z];
        p.shells
            .iter()
            .map(|sh| {
                sh.faces
                    .iter()
                    .map(|f| {
                        f.rings
                            .iter()
                            .map(|r| r.iter().map(xyz).collect())
                            .collect()
                    })
                    .collect()
            })
            .collect()
    }

    fn square(x: f64) -> Polygon<f64> {
        polygon![(x: x, y: 0.0), (x: x + 2.0, y: 0.0), (x: x + 2.0, y: 3.0), (x: x, y: 3.0)]
    }

    #[test]
    fn footprints_and_solids_survive_a_round_trip() {
        let holed = Polygon::new(
            square(0.0).exterior().clone(),
            vec![square(0.5).exterior().clone()],
        );
        let ps = vec![holed.clone(), square(10.0)];
        assert_eq!(read(&multipolygon(&ps)).unwrap(), Shape::Footprints(ps));
        assert_eq!(
            read(&polygon(&holed)).unwrap(),
            Shape::Footprints(vec![holed])
        );
        let box_ = Prism::new(square(0.0), 1.5, 7.25).to_polyhedra().remove(0);
        let solid = Shape::Solid(box_.clone());
        assert_eq!(faces(&read(&polyhedron(&box_)).unwrap()), faces(&solid));
        let mut cavity = Prism::new(square(0.5), 2.0, 3.0).to_polyhedra().remove(0);
        for f in &mut cavity.shells[0].faces {
            for r in &mut f.rings {
                r.reverse();
                for i in r.iter_mut() {
                    *i += box_.vertices.len();
                }
            }
        }
        let mut two = box_.clone();
        two.vertices.extend(cavity.vertices);
        two.shells.push(cavity.shells.remove(0));
        let back = read(&polyhedron(&two)).unwrap();
        assert_eq!(faces(&back), faces(&Shape::Solid(two)));
        let Shape::Solid(back) = back else {
            unreachable!()
        };
        assert_eq!(back.vertices.len(), 16, "each vertex once");
    }

    #[test]
    fn big_endian_and_ewkb_with_srid_read() {
        // POLYGON Z with SRID 4548 in EWKB, big-endian: one ring of 4 positions.
        let mut b = vec![0u8];
        b.extend_from_slice(&(POLYGON | EWKB_Z | EWKB_SRID).to_be_bytes());
        b.extend_from_slice(&4548u32.to_be_bytes());
        b.extend_from_slice(&1u32.to_be_bytes());
        b.extend_from_slice(&4u32.to_be_bytes());
        for (x, y) in [(0.0, 0.0), (1.0, 0.0), (0.0, 1.0), (0.0, 0.0)] {
            for v in [x, y, 9.0f64] {
                b.extend_from_slice(&v.to_be_bytes());
            }
        }
        let want = polygon![(x: 0.0, y: 0.0), (x: 1.0, y: 0.0), (x: 0.0, y: 1.0)];
        assert_eq!(read(&b).unwrap(), Shape::Footprints(vec![want]));
    }

    #[test]
    fn hostile_blobs_are_errors_with_their_offset() {
        let good = multipolygon(&[square(0.0)]);
        for cut in 0..good.len() {
            let e = read(&good[..cut]).unwrap_err();
            assert!(e.message.contains("truncated"), "{cut}: {e}");
        }
        let mut huge = good.clone();
        huge[5..9].copy_from_slice(&u32::MAX.to_le_bytes());
        assert!(read(&huge).unwrap_err().message.contains("cannot fit"));
        let mut nan = polygon(&square(0.0));
        nan[13..21].copy_from_slice(&f64::NAN.to_le_bytes());
        let e = read(&nan).unwrap_err();
        assert_eq!(e.at, 29);
        assert!(e.message.contains("position 0 is (NaN, 0"), "{e}");
        let mut more = good.clone();
        more.push(0);
        assert!(read(&more).unwrap_err().message.contains("1 bytes follow"));
        let flat = {
            let mut b = vec![1];
            b.extend_from_slice(&POLYHEDRAL_SURFACE.to_le_bytes());
            b.extend_from_slice(&0u32.to_le_bytes());
            b
        };
        assert!(read(&flat).unwrap_err().message.contains("without Z"));
        let point = [1u8, 1, 0, 0, 0]
            .into_iter()
            .chain([0u8; 16])
            .collect::<Vec<_>>();
        assert_eq!(read(&point).unwrap(), Shape::Other("Point"));
    }
}
