//! CityJSON 2.0 of the register: every registered unit as a `+Parcel` of the Strata cadastre
//! Extension (`schemas/cityjson/strata_cadastre.ext.json`, after the public
//! LandAdministration Extension's `+Parcel`), its volume as a Solid (a MultiSolid for a unit
//! of several parts), and its land-administration attributes: layer, vertical bounds and
//! datum, the rights with their holders and lifespans, mortgages, seizures and certificates.
//!
//! The attributes Strata reads (`unit_code`, `stratum`, `name`, `parent_plot`,
//! `height_datum`, `survey_result_code`) keep their names, so that `strata` reads the file
//! back to the same units and volumes.

use std::collections::HashMap;

use serde_json::{Map, Value, json};

use crate::geometry::algorithm::{BoundingBox3, ToPolyhedra};
use crate::register::page::{Page, page};
use crate::register::{RegisterError, Store};

/// The Extension's name in a file's `extensions`.
pub const EXTENSION: &str = "StrataCadastre";

/// The Extension's version.
pub const EXTENSION_VERSION: &str = "1.0";

/// The Extension schema, as kept in the repository.
pub const EXTENSION_SCHEMA: &str = include_str!("../../schemas/cityjson/strata_cadastre.ext.json");

/// Vertices are written in millimetres: the precision of the boundary-point table.
const SCALE: f64 = 0.001;

/// Vertices as integers of the transform, each written once.
#[derive(Default)]
struct Vertices {
    index: HashMap<[i64; 3], usize>,
    list: Vec<[i64; 3]>,
    origin: [f64; 3],
}

impl Vertices {
    fn put(&mut self, p: [f64; 3]) -> usize {
        let q = [0, 1, 2].map(|i| ((p[i] - self.origin[i]) / SCALE).round() as i64);
        *self.index.entry(q).or_insert_with(|| {
            self.list.push(q);
            self.list.len() - 1
        })
    }
}

/// The CityJSON document of the registered units of `reg` (all of them, or those of
/// `plot`), as the register stands; `extension_url` is where readers find the Extension.
pub fn cityjson<S: Store + ?Sized>(
    reg: &S,
    plot: Option<&str>,
    extension_url: &str,
) -> Result<Value, RegisterError> {
    let mut pages = Vec::new();
    for u in super::registered_units(reg, plot)? {
        if u.volume.is_some()
            && let Some(p) = page(reg, &u.code, None)?
        {
            pages.push(p);
        }
    }
    let mut lo = [f64::MAX; 3];
    let mut hi = [f64::MIN; 3];
    for p in &pages {
        if let Some(m) = &p.unit.measures {
            for i in 0..3 {
                lo[i] = lo[i].min(m.bbox[i]);
                hi[i] = hi[i].max(m.bbox[i + 3]);
            }
        }
    }
    if pages.is_empty() {
        (lo, hi) = ([0.0; 3], [0.0; 3]);
    }
    let mut v = Vertices {
        origin: lo.map(|c| c.floor()),
        ..Vertices::default()
    };
    let mut objects = Map::new();
    for p in &pages {
        objects.insert(
            p.unit.code.clone(),
            object(p, &mut v, &reg.settings().height_datum),
        );
    }
    let mut metadata = json!({
        "title": "Strata register export",
        "geographicalExtent": [lo[0], lo[1], lo[2], hi[0], hi[1], hi[2]],
    });
    if let (Some(e), Some(m)) = (reg.settings().crs_epsg, metadata.as_object_mut()) {
        m.insert(
            "referenceSystem".into(),
            format!("https://www.opengis.net/def/crs/EPSG/0/{e}").into(),
        );
    }
    Ok(json!({
        "type": "CityJSON",
        "version": "2.0",
        "extensions": {
            EXTENSION: { "url": extension_url, "version": EXTENSION_VERSION }
        },
        "transform": { "scale": [SCALE, SCALE, SCALE], "translate": v.origin },
        "metadata": metadata,
        "CityObjects": objects,
        "vertices": v.list,
    }))
}

/// One unit as a `+Parcel`.
fn object(p: &Page, v: &mut Vertices, datum: &str) -> Value {
    let u = &p.unit;
    let volume = u.volume.as_ref().map(|d| d.to_volume());
    let solids: Vec<Value> = volume
        .iter()
        .flat_map(|vol| vol.to_polyhedra())
        .map(|poly| {
            let shells: Vec<Value> = poly
                .shells
                .iter()
                .map(|s| {
                    let faces: Vec<Value> = s
                        .faces
                        .iter()
                        .map(|f| {
                            let rings: Vec<Vec<usize>> = f
                                .rings
                                .iter()
                                .map(|r| {
                                    r.iter()
                                        .map(|&i| {
                                            let q = poly.vertices[i];
                                            v.put([q.x, q.y, q.z])
                                        })
                                        .collect()
                                })
                                .collect();
                            json!(rings)
                        })
                        .collect();
                    json!(faces)
                })
                .collect();
            json!(shells)
        })
        .collect();
    let geometry = if solids.len() == 1 {
        json!({"type": "Solid", "lod": "2", "boundaries": solids[0]})
    } else {
        json!({"type": "MultiSolid", "lod": "2", "boundaries": solids})
    };
    let (lower, upper) = volume
        .as_ref()
        .map(|vol| {
            let b = vol.bbox();
            (b.min.z, b.max.z)
        })
        .unwrap_or((f64::NAN, f64::NAN));
    json!({
        "type": "+Parcel",
        "attributes": attributes(p, datum, lower, upper),
        "geometry": [geometry],
    })
}

fn attributes(p: &Page, datum: &str, lower: f64, upper: f64) -> Value {
    let u = &p.unit;
    let time = |seq: u64| {
        p.history
            .iter()
            .find(|h| h.seq == seq)
            .map(|h| h.recorded_at.to_string())
    };
    let current = p.rights.iter().rev().find(|r| r.current);
    let rights: Vec<Value> = p
        .rights
        .iter()
        .map(|e| {
            let r = &e.right;
            json!({
                "rightType": r.right_type,
                "nature": r.nature.as_str(),
                "use": r.usage,
                "sharing": r.holders.sharing.as_str(),
                "holders": r.holders.holdings.iter().map(|h| json!({
                    "id": h.party,
                    "name": e.holders.iter().find(|x| x.id == h.party).map(|x| x.name.clone()),
                    "share": h.share.map(|s| s.to_string()),
                })).collect::<Vec<_>>(),
                "termStart": r.term.start.map(|d| d.to_string()),
                "termEnd": r.term.end.map(|d| d.to_string()),
                "price": r.price,
                "lowerBound": r.bounds.lower,
                "upperBound": r.bounds.upper,
                "certificate": r.certificate,
                "current": e.current,
                "lifespan": { "begin": time(e.begin) },
            })
        })
        .collect();
    let mortgages: Vec<Value> = p
        .mortgages
        .iter()
        .map(|(k, m, party)| {
            json!({
                "id": k,
                "mortgagee": party.as_ref().map_or(m.mortgagee.clone(), |x| x.name.clone()),
                "amount": m.amount,
                "maximum": m.maximum,
                "debtStart": m.debt_term.start.map(|d| d.to_string()),
                "debtEnd": m.debt_term.end.map(|d| d.to_string()),
                "certificate": m.certificate,
            })
        })
        .collect();
    let seizures: Vec<Value> = p
        .seizures
        .iter()
        .map(|s| {
            json!({
                "id": s.key,
                "court": s.seizure.court,
                "document": s.seizure.document,
                "from": s.window.from.to_string(),
                "until": s.window.until.to_string(),
                "standing": format!("{:?}", s.standing).to_lowercase(),
            })
        })
        .collect();
    let registered = p
        .history
        .iter()
        .find(|h| h.act == "first_registration")
        .map(|h| h.recorded_at.to_string());
    let mut a = json!({
        "unit_code": u.code,
        "stratum": u.stratum.as_str(),
        "height_datum": datum,
        "parcelID": u.code,
        "parcelDimension": "3D",
        "parcelOwner": current.map(|r| r.holders.iter().map(|h| h.name.clone()).collect::<Vec<_>>().join("、")),
        "registrationDate": registered,
        "lowerElevation": lower,
        "upperElevation": upper,
        "rights": rights,
        "mortgages": mortgages,
        "seizures": seizures,
        "certificates": p.certificates.iter().map(|(c, cur)| json!({"number": c.number, "current": cur})).collect::<Vec<_>>(),
    });
    if let Some(o) = a.as_object_mut() {
        for (k, val) in [
            ("name", u.name.clone()),
            ("parent_plot", u.plot.clone()),
            ("survey_result_code", u.survey.clone()),
        ] {
            if let Some(val) = val {
                o.insert(k.into(), Value::String(val));
            }
        }
    }
    a
}
