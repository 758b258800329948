//! Buildings and their parts (601): at one level of detail, the solids of a CityJSON Building
//! and of its BuildingParts must not overlap, as val3dity checks them.
//!
//! Real-estate units are not checked here: overlaps between units are the conflict engine's
//! job (`strata check`). This is the building rule of the CityGML world, for the CityJSON
//! objects Strata validates as geometry.

use std::collections::{BTreeMap, HashMap};

use crate::geometry::{Primitive, TriMesh};

use super::code::Code;
use super::finding::{Finding, Location};
use super::polyhedron::check_polyhedron;
use super::relation::{relate, same_surface};
use super::solid::beyond_overlap_tolerance;
use super::tolerance::Tolerances;

/// A city object as the building rule sees it.
#[derive(Debug, Clone, Copy)]
pub struct CityMember<'a> {
    /// Its id.
    pub id: &'a str,
    /// Its CityJSON `type` (`Building`, `BuildingPart`, …).
    pub object_type: &'a str,
    /// The ids of its parents.
    pub parents: &'a [String],
    /// Its geometries, each with its level of detail as written.
    pub geometries: &'a [(Option<String>, &'a Primitive)],
}

/// Checks every Building with BuildingParts among `objects`: the Solid and CompositeSolid
/// geometries of the Building and of its parts that share a level of detail must not overlap
/// (601); with an overlap tolerance, not once each is eroded by it (see
/// [`overlaps_after_erosion`](crate::geometry::algorithm::overlaps_after_erosion)). As in
/// val3dity, a building is checked only when all its solids are valid. Each finding comes with
/// the index, in `objects`, of the object it belongs to: the later of the two that overlap.
pub fn validate_buildings(objects: &[CityMember<'_>], tol: &Tolerances) -> Vec<(usize, Finding)> {
    let mut families: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
    for (i, o) in objects.iter().enumerate() {
        if o.object_type == "BuildingPart" {
            for p in o.parents {
                families.entry(p.as_str()).or_default().push(i);
            }
        }
    }
    let buildings: HashMap<&str, usize> = objects
        .iter()
        .enumerate()
        .filter(|(_, o)| o.object_type == "Building")
        .map(|(i, o)| (o.id, i))
        .collect();
    let mut out = Vec::new();
    for (parent, parts) in families {
        let mut members: Vec<usize> = buildings.get(parent).copied().into_iter().collect();
        members.extend(parts);
        out.extend(check_family(parent, &members, objects, tol));
    }
    out
}

/// One volumetric geometry of a member: its object, level of detail and solids' outer shells.
struct Volumetric<'a> {
    object: usize,
    lod: Option<&'a str>,
    solids: Vec<TriMesh>,
}

fn check_family<'a>(
    building: &str,
    members: &[usize],
    objects: &[CityMember<'a>],
    tol: &Tolerances,
) -> Vec<(usize, Finding)> {
    let solids_of = |p: &'a Primitive| match p {
        Primitive::Solid(s) => Some(std::slice::from_ref(s)),
        Primitive::CompositeSolid(v) => Some(v.as_slice()),
        _ => None,
    };
    // Only levels of detail with two volumes or more can overlap: a building whose parts each
    // have one volume per level (as most have) is not validated a second time.
    let mut per_lod: HashMap<Option<&str>, usize> = HashMap::new();
    for &m in members {
        for (lod, p) in objects[m].geometries {
            if solids_of(p).is_some() {
                *per_lod.entry(lod.as_deref()).or_default() += 1;
            }
        }
    }
    if per_lod.values().all(|&n| n < 2) {
        return Vec::new();
    }
    let mut volumes = Vec::new();
    for &m in members {
        for (lod, p) in objects[m].geometries {
            let Some(solids) = solids_of(p) else {
                continue;
            };
            let mut meshes = Vec::with_capacity(solids.len());
            for s in solids {
                let c = check_polyhedron(s, tol);
                if c.findings.iter().any(Finding::is_error) {
                    return Vec::new();
                }
                match c
                    .meshes
                    .and_then(|mut m| (!m.is_empty()).then(|| m.swap_remove(0)))
                {
                    Some(mesh) => meshes.push(mesh),
                    None => return Vec::new(),
                }
            }
            volumes.push(Volumetric {
                object: m,
                lod: lod.as_deref(),
                solids: meshes,
            });
        }
    }
    let mut out = Vec::new();
    for (i, j, pairs) in candidate_pairs(&volumes) {
        let (a, b) = (&volumes[i], &volumes[j]);
        if a.lod != b.lod || !overlap(a, b, &pairs, tol) {
            continue;
        }
        let (ida, idb) = (objects[a.object].id, objects[b.object].id);
        let lod = a.lod.map(|l| format!(" at lod {l}")).unwrap_or_default();
        let message = if ida == idb {
            format!("two geometries of \"{ida}\"{lod} overlap (building \"{building}\")")
        } else {
            format!("the solids of \"{ida}\" and \"{idb}\"{lod} overlap (building \"{building}\")")
        };
        out.push((
            b.object,
            Finding::new(Code::BuildingPartsOverlap, Location::default(), message),
        ));
    }
    out
}

/// Two volumes `i < j` and the pairs of their solids whose boxes meet.
type VolumePair = (usize, usize, Vec<(usize, usize)>);

/// The pairs of volumes `(i, j)`, `i < j`, in ascending order, with the pairs of their solids
/// whose boxes meet: found through an R-tree over the boxes of all solids, not all pairs.
fn candidate_pairs(volumes: &[Volumetric<'_>]) -> Vec<VolumePair> {
    let owner: Vec<(usize, usize)> = volumes
        .iter()
        .enumerate()
        .flat_map(|(v, vol)| (0..vol.solids.len()).map(move |s| (v, s)))
        .collect();
    let boxes = owner
        .iter()
        .map(|&(v, s)| volumes[v].solids[s].aabb())
        .collect();
    let index = crate::index::BoxIndex::new(boxes);
    let mut by_volume: BTreeMap<(usize, usize), Vec<(usize, usize)>> = BTreeMap::new();
    for (x, y) in index.pairs(0.0) {
        let ((va, sa), (vb, sb)) = (owner[x as usize], owner[y as usize]);
        if va != vb {
            by_volume.entry((va, vb)).or_default().push((sa, sb));
        }
    }
    by_volume.into_iter().map(|((i, j), p)| (i, j, p)).collect()
}

fn overlap(
    a: &Volumetric<'_>,
    b: &Volumetric<'_>,
    pairs: &[(usize, usize)],
    tol: &Tolerances,
) -> bool {
    pairs.iter().any(|&(x, y)| {
        let (s, t) = (&a.solids[x], &b.solids[y]);
        let meet = same_surface(s, t, tol.snap) || relate(s, t, false).interiors_meet();
        meet && beyond_overlap_tolerance(s, t, tol)
    })
}
