//! The API's routes. Each handler says what it needs ([`Need`]), and its register work runs on
//! a blocking thread through [`Service::with_store`].

use std::sync::Arc;

use axum::Json;
use axum::Router;
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

use crate::admit::{parse_volume_spec, validate_proposal};
use crate::checks::planning::evaluate;
use crate::checks::query::MAX_CLEARANCE_M;
use crate::export::certificate::{CertError, Standing, verify_qr};
use crate::geometry::algorithm::SolidVolume;
use crate::geometry::tunnel::{self, Section, TunnelError, sweep};
use crate::geometry::{Aabb, Part, Point3, Polyhedron, Volume};
use crate::model::{Dataset, Plot, Stratum, Unit};
use crate::register::geometry::multipolygon;
use crate::register::meeting::{Proposal, rights_meeting};
use crate::register::page::{page, parse_moment};
use crate::register::record::{Kind, Record, UnitRecord, UnitStatus};
use crate::register::{Act, Clock, record};
use crate::validate::Tolerances;

use super::{ApiError, Need, Service, User};

type Shared = State<Arc<Service>>;

/// The routes of the API.
pub fn routes() -> Router<Arc<Service>> {
    Router::new()
        .route("/api/health", get(health))
        .route("/api/openapi.json", get(openapi))
        .route("/api/units", get(units))
        .route("/api/units/{code}", get(unit))
        .route("/api/query", post(query))
        .route("/api/acts", post(acts))
        .route("/api/verify", get(verify))
        .route("/api/rules", post(planning_rules))
        .fallback(|| async { ApiError::not_found("no such endpoint") })
}

/// Authenticates the request, checks that its user may do what `need` names, and runs `f` on
/// a blocking thread.
async fn run<T, F>(svc: Arc<Service>, headers: &HeaderMap, need: Need, f: F) -> Result<T, ApiError>
where
    T: Send + 'static,
    F: FnOnce(&Service, User) -> Result<T, ApiError> + Send + 'static,
{
    let auth = headers
        .get(header::AUTHORIZATION)
        .map(|v| v.to_str().unwrap_or_default().to_string());
    let user = svc.user(auth.as_deref())?;
    if !user.role.may(need) {
        let (status, kind) = if user.role == super::Role::Public {
            (StatusCode::UNAUTHORIZED, "unauthorized")
        } else {
            (StatusCode::FORBIDDEN, "forbidden")
        };
        return Err(ApiError::new(
            status,
            kind,
            format!("the {} role may not do this", user.role.as_str()),
        ));
    }
    tokio::task::spawn_blocking(move || f(&svc, user))
        .await
        .map_err(|_| {
            ApiError::new(
                StatusCode::INTERNAL_SERVER_ERROR,
                "internal",
                "the request failed inside the service",
            )
        })?
}

async fn health() -> Json<Value> {
    Json(json!({"status": "ok"}))
}

async fn openapi() -> Response {
    ([(header::CONTENT_TYPE, "application/json")], super::OPENAPI).into_response()
}

/// The most units one page of `/api/units` holds.
const MAX_PAGE: usize = 1000;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct UnitsQuery {
    bbox: Option<String>,
    z: Option<String>,
    stratum: Option<String>,
    plot: Option<String>,
    limit: Option<usize>,
    offset: Option<usize>,
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
}

impl From<UnitRecord> for UnitSummary {
    fn from(u: UnitRecord) -> UnitSummary {
        UnitSummary {
            z_range: u.measures.map(|m| [m.z_min, m.z_max]),
            volume_m3: u.measures.map(|m| m.volume_m3),
            bbox: u.measures.map(|m| m.bbox),
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

/// The box of `bbox=minx,miny,maxx,maxy` and `z=minz,maxz` (all heights without `z`).
fn search_box(bbox: &str, z: Option<&str>) -> Result<Aabb, ApiError> {
    let b = numbers("bbox", bbox, 4)?;
    let z = match z {
        Some(z) => numbers("z", z, 2)?,
        None => vec![-1e6, 1e6],
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

async fn units(
    State(svc): Shared,
    headers: HeaderMap,
    Query(q): Query<UnitsQuery>,
) -> Result<Json<Value>, ApiError> {
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
    let limit = q.limit.unwrap_or(100).min(MAX_PAGE);
    let offset = q.offset.unwrap_or(0);
    run(svc, &headers, Need::Read, move |svc, _| {
        svc.with_store(|reg| {
            let mut found: Vec<UnitRecord> = match &bbox {
                Some(b) => reg.registered_meeting(b)?,
                None => reg
                    .live_of_kind(Kind::Unit)?
                    .into_iter()
                    .filter_map(|(_, r)| match r {
                        Record::Unit(u) => Some(u),
                        _ => None,
                    })
                    .collect(),
            };
            found.retain(|u| {
                stratum.is_none_or(|s| u.stratum == s)
                    && q.plot.as_ref().is_none_or(|p| u.plot.as_ref() == Some(p))
            });
            found.sort_by(|a, b| a.code.cmp(&b.code));
            let total = found.len();
            let page: Vec<UnitSummary> = found
                .into_iter()
                .skip(offset)
                .take(limit)
                .map(UnitSummary::from)
                .collect();
            Ok(Json(
                json!({"total": total, "offset": offset, "limit": limit, "units": page}),
            ))
        })
    })
    .await
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct AsOf {
    as_of: Option<String>,
}

async fn unit(
    State(svc): Shared,
    headers: HeaderMap,
    Path(code): Path<String>,
    Query(q): Query<AsOf>,
) -> Result<Json<Value>, ApiError> {
    let at = q
        .as_of
        .as_deref()
        .map(parse_moment)
        .transpose()
        .map_err(|e| ApiError::bad_request(format!("`as_of` {e}")))?;
    run(svc, &headers, Need::Read, move |svc, _| {
        svc.with_store(|reg| match page(&*reg, &code, at)? {
            Some(p) => Ok(Json(serde_json::to_value(p).map_err(|e| {
                ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, "internal", e.to_string())
            })?)),
            None => Err(ApiError::not_found(format!(
                "unit {code} is not in the register{}",
                at.map(|t| format!(" as of {t}")).unwrap_or_default()
            ))),
        })
    })
    .await
}

/// A proposed volume: `{"volume": "box:…" | "prism:…"}`, or a tunnel.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct QueryBody {
    volume: Option<String>,
    tunnel: Option<TunnelBody>,
}

/// A tunnel: its centreline, its section and the clearance around it.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct TunnelBody {
    centreline: Vec<[f64; 3]>,
    section: SectionBody,
    #[serde(default)]
    clearance: f64,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "lowercase", deny_unknown_fields)]
enum SectionBody {
    Circle { radius: f64 },
    Rectangle { width: f64, height: f64 },
}

/// The most points of a tunnel's centreline: a curve drawn every metre over ten kilometres.
const MAX_CENTRELINE_POINTS: usize = 10_000;

fn json_body<T: serde::de::DeserializeOwned>(body: &Bytes) -> Result<T, ApiError> {
    serde_json::from_slice(body)
        .map_err(|e| ApiError::bad_request(format!("the request body: {e}")))
}

/// A proposal checked to be a valid volume.
fn valid(v: Volume, what: &str) -> Result<Volume, ApiError> {
    match validate_proposal(&v, &Tolerances::default()).first() {
        Some(f) => Err(ApiError::bad_request(format!(
            "`{what}`: not a valid volume: {f}"
        ))),
        None => Ok(v),
    }
}

/// The tunnel's solid and, with a clearance, the solid of its clearance envelope.
fn tunnel_volumes(t: &TunnelBody) -> Result<(Volume, Option<Volume>), ApiError> {
    if t.centreline.len() > MAX_CENTRELINE_POINTS {
        return Err(ApiError::bad_request(format!(
            "`tunnel.centreline`: {} points, more than {MAX_CENTRELINE_POINTS}",
            t.centreline.len()
        )));
    }
    if !(t.clearance.is_finite() && (0.0..=MAX_CLEARANCE_M).contains(&t.clearance)) {
        return Err(ApiError::bad_request(format!(
            "`tunnel.clearance`: metres from 0 to {MAX_CLEARANCE_M}"
        )));
    }
    let line: Vec<Point3> = t
        .centreline
        .iter()
        .map(|p| Point3::new(p[0], p[1], p[2]))
        .collect();
    let section = match t.section {
        SectionBody::Circle { radius } => Section::Circle { radius },
        SectionBody::Rectangle { width, height } => Section::Rectangle { width, height },
    };
    let solid = |p: Result<Polyhedron, TunnelError>| {
        p.map(|p| Volume::new(vec![Part::Polyhedron(p)]))
            .map_err(|e| ApiError::bad_request(format!("`tunnel`: {e}")))
    };
    let body = valid(solid(sweep(&line, section))?, "tunnel")?;
    let envelope = if t.clearance > 0.0 {
        let e = solid(tunnel::envelope(&line, section, t.clearance))?;
        Some(valid(e, "tunnel")?)
    } else {
        None
    };
    Ok((body, envelope))
}

async fn query(
    State(svc): Shared,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Json<Value>, ApiError> {
    let q: QueryBody = json_body(&body)?;
    let (v, envelope) = match (&q.volume, &q.tunnel) {
        (Some(spec), None) => match parse_volume_spec(spec) {
            Some(v) => (
                valid(
                    v.map_err(|e| ApiError::bad_request(format!("`volume`: {e}")))?,
                    "volume",
                )?,
                None,
            ),
            None => {
                return Err(ApiError::bad_request(
                    "`volume`: box:minx,miny,minz,maxx,maxy,maxz or prism:zbottom,ztop:x1 y1,x2 y2,…",
                ));
            }
        },
        (None, Some(t)) => tunnel_volumes(t)?,
        _ => {
            return Err(ApiError::bad_request("give one of `volume` and `tunnel`"));
        }
    };
    run(svc, &headers, Need::Query, move |svc, _| {
        svc.with_store(|reg| {
            let snap = reg.settings().snap;
            let met = rights_meeting(&*reg, Proposal::Volume(&v), snap)?;
            let mut answer = json!({"met": met, "volume_m3": (v.volume_m3() * 1e3).round() / 1e3});
            if let Some(e) = &envelope {
                let near: Vec<_> = rights_meeting(&*reg, Proposal::Volume(e), snap)?
                    .into_iter()
                    .filter(|n| !met.iter().any(|m| m.unit == n.unit))
                    .collect();
                answer["within_clearance"] = json!(near);
            }
            Ok(Json(answer))
        })
    })
    .await
}

async fn acts(
    State(svc): Shared,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Json<Value>, ApiError> {
    let v: Value = json_body(&body)?;
    let list = match v {
        Value::Array(a) => a,
        one => vec![one],
    };
    let mut acts: Vec<Act> = list
        .into_iter()
        .enumerate()
        .map(|(i, a)| {
            serde_json::from_value(a)
                .map_err(|e| ApiError::bad_request(format!("act {}: not an act: {e}", i + 1)))
        })
        .collect::<Result<_, _>>()?;
    if acts.is_empty() {
        return Err(ApiError::bad_request("no acts"));
    }
    run(svc, &headers, Need::Register, move |svc, user| {
        // The journal records who confirmed each act: the officer signed in.
        for (i, a) in acts.iter_mut().enumerate() {
            if a.officer.trim().is_empty() {
                a.officer = user.name.clone();
            } else if a.officer != user.name {
                return Err(ApiError::new(
                    StatusCode::FORBIDDEN,
                    "forbidden",
                    format!(
                        "act {} names officer {}: an officer records acts in their own name ({})",
                        i + 1,
                        a.officer,
                        user.name
                    ),
                ));
            }
        }
        svc.with_store(|reg| {
            let opts = reg.settings().options();
            let done = record(reg, &acts, Clock::Now, &opts)?;
            let recorded: Vec<Value> = done
                .iter()
                .map(|r| {
                    json!({"seq": r.seq, "number": r.number, "act": r.name, "unit": r.unit,
                           "recorded_at": r.recorded_at.to_string(), "hash": r.hash.to_string(),
                           "officer": user.name})
                })
                .collect();
            Ok(Json(json!({"recorded": recorded})))
        })
    })
    .await
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct VerifyQuery {
    qr: String,
}

/// The longest QR payload read: a certificate's code is a few hundred characters.
const MAX_QR_CHARS: usize = 4096;

/// Public: is the certificate whose QR code reads `qr` genuine, and does it still stand?
async fn verify(
    State(svc): Shared,
    headers: HeaderMap,
    Query(q): Query<VerifyQuery>,
) -> Result<Json<Value>, ApiError> {
    if q.qr.len() > MAX_QR_CHARS {
        return Err(ApiError::bad_request(format!(
            "`qr`: longer than {MAX_QR_CHARS} characters"
        )));
    }
    run(svc, &headers, Need::Nothing, move |svc, _| {
        let key = svc.verifier().ok_or_else(|| {
            ApiError::new(
                StatusCode::SERVICE_UNAVAILABLE,
                "not_configured",
                "this service verifies no certificates (started without --verify-key)",
            )
        })?;
        svc.with_store(|reg| match verify_qr(&*reg, key, &q.qr) {
            Ok(v) => {
                let current = v.standing == Standing::Current;
                let mut j = serde_json::to_value(&v).map_err(|e| {
                    ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, "internal", e.to_string())
                })?;
                j["valid"] = json!(current);
                Ok(Json(j))
            }
            Err(e @ CertError::Invalid { .. }) => {
                Ok(Json(json!({"valid": false, "reason": e.to_string()})))
            }
            Err(e) => Err(ApiError::new(
                StatusCode::INTERNAL_SERVER_ERROR,
                "storage",
                e.to_string(),
            )),
        })
    })
    .await
}

/// A plot, and a layer proposed on it: `{"plot": ID, "proposal"?: {"volume": SPEC, "stratum": S}}`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RulesBody {
    plot: String,
    proposal: Option<ProposedLayer>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ProposedLayer {
    volume: String,
    stratum: String,
    /// The unit code it is to have, when pre-assigned (a building on the surface has fixture
    /// code `F`).
    code: Option<String>,
}

/// The plot and its live registered layers as a dataset the rules read, with the proposed
/// layer added.
fn plot_dataset(
    reg: &dyn crate::register::Store,
    plot_id: &str,
    proposed: Option<Unit>,
) -> Result<Dataset, ApiError> {
    let Some(Record::Plot(p)) = reg.live(Kind::Plot, plot_id)? else {
        return Err(ApiError::not_found(format!(
            "plot {plot_id} is not in the register"
        )));
    };
    let footprint = multipolygon(&p.footprint);
    let plot = Plot {
        id: p.id.clone(),
        name: p.name.clone(),
        land_use: p.land_use.clone(),
        ground_elevation: p.ground,
        green_space: p.green_space,
        footprint,
        file: "register".into(),
        feature: crate::diagnostics::FeatureRef::feature(0, None),
    };
    let column = geo::BoundingRect::bounding_rect(&plot.footprint).map(|r| Aabb {
        min: Point3::new(r.min().x, r.min().y, -1e6),
        max: Point3::new(r.max().x, r.max().y, 1e6),
    });
    let registered = match &column {
        Some(c) => reg.registered_meeting(c)?,
        None => Vec::new(),
    };
    let mut units: Vec<Unit> = registered
        .into_iter()
        .filter_map(|u| {
            let volume = u.volume.as_ref()?.to_volume();
            Some(Unit {
                code: u.code.parse().ok(),
                key: u.code,
                stratum: Some(u.stratum),
                parent_plot: u.plot,
                volume,
                ..Unit::default()
            })
        })
        .collect();
    units.extend(proposed);
    Ok(Dataset {
        units,
        plots: vec![plot],
        ..Dataset::default()
    })
}

/// The district's planning rules on a plot of the register, with a proposed layer.
async fn planning_rules(
    State(svc): Shared,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Json<Value>, ApiError> {
    let q: RulesBody = json_body(&body)?;
    let proposed = match &q.proposal {
        Some(p) => {
            let stratum = Stratum::parse(&p.stratum).ok_or_else(|| {
                ApiError::bad_request(format!(
                    "`proposal.stratum` {}: above, surface or under",
                    p.stratum
                ))
            })?;
            let v = match parse_volume_spec(&p.volume) {
                Some(v) => valid(
                    v.map_err(|e| ApiError::bad_request(format!("`proposal.volume`: {e}")))?,
                    "proposal.volume",
                )?,
                None => return Err(ApiError::bad_request("`proposal.volume`: box:… or prism:…")),
            };
            let code = match &p.code {
                Some(c) => Some(
                    c.parse()
                        .map_err(|e| ApiError::bad_request(format!("`proposal.code` {c}: {e}")))?,
                ),
                None => None,
            };
            Some(Unit {
                key: "proposal".into(),
                code,
                stratum: Some(stratum),
                parent_plot: Some(q.plot.clone()),
                volume: v,
                ..Unit::default()
            })
        }
        None => None,
    };
    run(svc, &headers, Need::Query, move |svc, _| {
        let rules = svc.rules().ok_or_else(|| {
            ApiError::new(
                StatusCode::SERVICE_UNAVAILABLE,
                "not_configured",
                "this service checks no planning rules (started without --rules)",
            )
        })?;
        let ds = svc.with_store(|reg| plot_dataset(&*reg, &q.plot, proposed))?;
        let findings = evaluate(&ds, rules);
        let broken = findings.iter().filter(|f| f.binding && !f.passed).count();
        Ok(Json(json!({"findings": findings, "broken": broken})))
    })
    .await
}
