//! Reading the register: what it is (`/api/register`), its units in a box, a stratum or a plot
//! (`/api/units`), and one unit's page (`/api/units/{code}`), now or as of a date.

use std::sync::Arc;

use axum::Json;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, Uri};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

use crate::export::sheet::ParcelMap;
use crate::geometry::TriMesh;
use crate::geometry::algorithm::ToPolyhedra;
use crate::geometry::{Aabb, Point3};
use crate::model::Stratum;
use crate::register::View;
use crate::register::page::page;
use crate::register::past::Past;
use crate::register::record::{Kind, Record, UnitRecord, UnitStatus};
use crate::register::store::Store;

use super::{ApiError, Need, Service, moment, query_of, run, seq_at, to_json};

/// The register: its frame, the box around its live units, its last act.
pub async fn register(
    State(svc): State<Arc<Service>>,
    headers: HeaderMap,
) -> Result<Json<Value>, ApiError> {
    run(svc, &headers, Need::Read, |svc, _| {
        svc.with_store(|reg| {
            let s = reg.settings();
            let head = reg.head()?;
            Ok(Json(json!({
                "crs_epsg": s.crs_epsg,
                "height_datum": s.height_datum,
                "extent": reg.extent()?,
                "head": head.map(|h| json!({"seq": h.seq, "recorded_at": h.recorded_at.to_string(),
                                             "hash": h.hash.to_string()})),
            })))
        })
    })
    .await
}

/// The most units one page of `/api/units` holds.
const MAX_PAGE: usize = 1000;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UnitsQuery {
    bbox: Option<String>,
    z: Option<String>,
    stratum: Option<String>,
    plot: Option<String>,
    as_of: Option<String>,
    /// `mesh`: each unit with its solid as triangles.
    geometry: Option<String>,
    limit: Option<usize>,
    offset: Option<usize>,
}

/// A unit's solid as triangles, in the register's coordinates (metres).
#[derive(Debug, Serialize)]
pub struct Mesh {
    vertices: Vec<[f64; 3]>,
    triangles: Vec<[usize; 3]>,
}

impl Mesh {
    /// The triangles of every face of `v`; faces that cannot be triangulated are left out
    /// (a registered volume passed validation, so there are none).
    pub fn of(v: &crate::geometry::Volume) -> Mesh {
        let mut m = Mesh {
            vertices: Vec::new(),
            triangles: Vec::new(),
        };
        for p in v.to_polyhedra() {
            let Ok(t) = TriMesh::new(&p) else { continue };
            let base = m.vertices.len();
            m.vertices
                .extend(t.vertices.iter().map(|q| [q.x, q.y, q.z]));
            m.triangles
                .extend(t.triangles.iter().map(|t| t.v.map(|i| base + i)));
        }
        m
    }
}

#[derive(Debug, Serialize)]
struct UnitSummary {
    code: String,
    stratum: Stratum,
    status: UnitStatus,
    plot: Option<String>,
    name: Option<String>,
    z_range: Option<[f64; 2]>,
    volume_m3: Option<f64>,
    bbox: Option<[f64; 6]>,
    #[serde(skip_serializing_if = "Option::is_none")]
    mesh: Option<Mesh>,
}

impl UnitSummary {
    fn new(u: UnitRecord, mesh: bool) -> UnitSummary {
        UnitSummary {
            z_range: u.measures.map(|m| [m.z_min, m.z_max]),
            volume_m3: u.measures.map(|m| m.volume_m3),
            bbox: u.measures.map(|m| m.bbox),
            mesh: u
                .volume
                .as_ref()
                .filter(|_| mesh)
                .map(|v| Mesh::of(&v.to_volume())),
            code: u.code,
            stratum: u.stratum,
            status: u.status,
            plot: u.plot,
            name: u.name,
        }
    }
}

/// `n` comma-separated finite numbers of parameter `name`.
fn numbers(name: &str, s: &str, n: usize) -> Result<Vec<f64>, ApiError> {
    let v: Vec<f64> = s
        .split(',')
        .map(|x| x.trim().parse::<f64>())
        .collect::<Result<_, _>>()
        .map_err(|_| ApiError::bad_request(format!("`{name}`: {n} numbers separated by commas")))?;
    if v.len() != n || v.iter().any(|x| !x.is_finite()) {
        return Err(ApiError::bad_request(format!(
            "`{name}`: {n} finite numbers separated by commas"
        )));
    }
    Ok(v)
}

/// All heights: a box given in plan only reaches from far below to far above ground.
const ALL_HEIGHTS: [f64; 2] = [-1e6, 1e6];

/// The box of `bbox=minx,miny,maxx,maxy` and `z=minz,maxz` (all heights without `z`).
fn search_box(bbox: &str, z: Option<&str>) -> Result<Aabb, ApiError> {
    let b = numbers("bbox", bbox, 4)?;
    let z = match z {
        Some(z) => numbers("z", z, 2)?,
        None => ALL_HEIGHTS.to_vec(),
    };
    if b[0] > b[2] || b[1] > b[3] || z[0] > z[1] {
        return Err(ApiError::bad_request(
            "`bbox` is minx,miny,maxx,maxy and `z` is minz,maxz, each minimum first",
        ));
    }
    Ok(Aabb {
        min: Point3::new(b[0], b[1], z[0]),
        max: Point3::new(b[2], b[3], z[1]),
    })
}

/// The column over a footprint: its box in plan, at all heights.
pub(super) fn column(fp: &geo::MultiPolygon<f64>) -> Option<Aabb> {
    geo::BoundingRect::bounding_rect(fp).map(|r| Aabb {
        min: Point3::new(r.min().x, r.min().y, ALL_HEIGHTS[0]),
        max: Point3::new(r.max().x, r.max().y, ALL_HEIGHTS[1]),
    })
}

/// The column over a plot's footprint, or `None` when the plot is not in the register.
fn plot_column<V: View + ?Sized>(v: &V, plot: &str) -> Result<Option<Aabb>, ApiError> {
    let Some(Record::Plot(p)) = v.live(Kind::Plot, plot)? else {
        return Ok(None);
    };
    Ok(column(&crate::register::geometry::multipolygon(
        &p.footprint,
    )))
}

/// The registered units meeting `bbox` (or in `plot`'s column) in `v`.
fn registered<V: View + ?Sized>(
    v: &V,
    bbox: Option<&Aabb>,
    plot: Option<&str>,
) -> Result<Vec<UnitRecord>, ApiError> {
    let column = match plot {
        Some(p) => plot_column(v, p)?,
        None => None,
    };
    let b = match (bbox, &column) {
        (Some(b), _) => *b,
        (None, Some(c)) => *c,
        (None, None) => return Ok(Vec::new()),
    };
    Ok(v.registered_meeting(&b)?)
}

/// The most units one listing looks at: a box over a whole city is narrowed, not loaded.
pub const MAX_LISTED: usize = 100_000;

/// The units listed: now, in a box the registered ones and in a plot every live one (the
/// pre-coded too); as of a date, the registered ones. A box holding more than [`MAX_LISTED`]
/// live units is refused before anything is loaded.
fn listed(
    reg: &dyn Store,
    at: Option<jiff::Timestamp>,
    bbox: Option<&Aabb>,
    plot: Option<&str>,
) -> Result<Vec<UnitRecord>, ApiError> {
    if let Some(b) = bbox {
        let n = reg.registered_count(b)?;
        if n > MAX_LISTED {
            return Err(ApiError::bad_request(format!(
                "the box meets {n} units, more than {MAX_LISTED}: narrow it"
            )));
        }
    }
    match (at, bbox, plot) {
        (None, None, Some(p)) => Ok(reg.live_units_of_plot(p)?),
        (None, _, _) => registered(reg, bbox, plot),
        (Some(t), _, _) => match seq_at(reg, t)? {
            Some(s) => registered(&Past::new(reg, s), bbox, plot),
            None => Ok(Vec::new()),
        },
    }
}

/// A listing asked for, read from its query string.
struct Listing {
    stratum: Option<Stratum>,
    bbox: Option<Aabb>,
    plot: Option<String>,
    at: Option<jiff::Timestamp>,
    mesh: bool,
    limit: usize,
    offset: usize,
}

impl Listing {
    fn read(q: UnitsQuery) -> Result<Listing, ApiError> {
        let stratum = match q.stratum.as_deref() {
            Some(s) => Some(Stratum::parse(s).ok_or_else(|| {
                ApiError::bad_request(format!("`stratum` {s}: above, surface or under"))
            })?),
            None => None,
        };
        let bbox = match q.bbox.as_deref() {
            Some(b) => Some(search_box(b, q.z.as_deref())?),
            None if q.plot.is_some() => None,
            None => {
                return Err(ApiError::bad_request(
                    "give `bbox` (and `z`) or `plot`: a whole register is not listed at once",
                ));
            }
        };
        let mesh = match q.geometry.as_deref() {
            None => false,
            Some("mesh") => true,
            Some(g) => return Err(ApiError::bad_request(format!("`geometry` {g}: mesh"))),
        };
        Ok(Listing {
            stratum,
            bbox,
            plot: q.plot,
            at: moment(q.as_of.as_deref())?,
            mesh,
            limit: q.limit.unwrap_or(100).min(MAX_PAGE),
            offset: q.offset.unwrap_or(0),
        })
    }
}

pub async fn units(
    State(svc): State<Arc<Service>>,
    headers: HeaderMap,
    uri: Uri,
) -> Result<Json<Value>, ApiError> {
    run(svc, &headers, Need::Read, move |svc, _| {
        let l = Listing::read(query_of(&uri)?)?;
        svc.with_store(|reg| {
            let mut units = listed(&*reg, l.at, l.bbox.as_ref(), l.plot.as_deref())?;
            units.retain(|u| {
                l.stratum.is_none_or(|s| u.stratum == s)
                    && l.plot.as_ref().is_none_or(|p| u.plot.as_ref() == Some(p))
            });
            units.sort_by(|a, b| a.code.cmp(&b.code));
            let total = units.len();
            let page: Vec<UnitSummary> = units
                .into_iter()
                .skip(l.offset)
                .take(l.limit)
                .map(|u| UnitSummary::new(u, l.mesh))
                .collect();
            Ok(Json(
                json!({"total": total, "offset": l.offset, "limit": l.limit, "units": page}),
            ))
        })
    })
    .await
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AsOf {
    pub as_of: Option<String>,
}

/// The links to a unit's documents that the user may fetch: its map when it is registered,
/// its page, and its certificate for officers of a service holding the office's key.
fn links(code: &str, registered: bool, certificates: bool) -> Value {
    let base = format!("/api/units/{code}");
    let mut l = json!({"page_pdf": format!("{base}/page.pdf")});
    if registered {
        l["map_svg"] = json!(format!("{base}/map.svg"));
        l["map_pdf"] = json!(format!("{base}/map.pdf"));
    }
    if registered && certificates {
        l["certificate_pdf"] = json!(format!("{base}/certificate.pdf"));
    }
    l
}

/// The 六至 computed from the registered neighbours now.
fn sixto_computed(reg: &dyn Store, code: &str) -> Result<Value, ApiError> {
    let map = ParcelMap::read(reg, code, &[]).map_err(|e| ApiError::internal(e.to_string()))?;
    Ok(Value::Array(
        map.sixto
            .iter()
            .map(|r| {
                json!({
                    "direction": r.direction,
                    "neighbours": r.neighbours.iter()
                        .map(|(u, a)| json!({"unit": u, "shared_area_m2": (a * 100.0).round() / 100.0}))
                        .collect::<Vec<_>>(),
                    "limit": r.limit,
                })
            })
            .collect(),
    ))
}

/// A unit's register page (rights, holders, mortgages, seizures, certificates, history), its
/// declared 六至 and, now, the 六至 computed from its neighbours, with links to its documents.
pub async fn unit(
    State(svc): State<Arc<Service>>,
    headers: HeaderMap,
    Path(code): Path<String>,
    uri: Uri,
) -> Result<Json<Value>, ApiError> {
    run(svc, &headers, Need::Read, move |svc, user| {
        let q: AsOf = query_of(&uri)?;
        let at = moment(q.as_of.as_deref())?;
        let certificates = svc.seal().is_some() && user.role.may(Need::Register);
        svc.with_store(|reg| {
            let Some(p) = page(&*reg, &code, at)? else {
                return Err(ApiError::not_found(format!(
                    "unit {code} is not in the register{}",
                    at.map(|t| format!(" as of {t}")).unwrap_or_default()
                )));
            };
            let registered = p.unit.status == UnitStatus::Registered;
            let mut v = to_json(&p)?;
            if at.is_none() && registered {
                v["sixto_computed"] = sixto_computed(&*reg, &code)?;
            }
            v["links"] = links(&code, registered, certificates);
            // The plot's ground, from which depths are measured.
            if let Some(plot) = &p.unit.plot
                && let Some(Record::Plot(r)) = reg.live(Kind::Plot, plot)?
            {
                v["plot"] = json!({"id": r.id, "name": r.name, "ground": r.ground});
            }
            Ok(Json(v))
        })
    })
    .await
}
