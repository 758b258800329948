//! The planners' questions: what a proposed volume meets (`/api/query`), now or as of a date,
//! and the district's planning rules on a plot with a proposed layer (`/api/rules`).

use std::sync::Arc;

use axum::Json;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::HeaderMap;
use serde::Deserialize;
use serde_json::{Value, json};

use crate::checks::planning::evaluate;
use crate::geometry::algorithm::SolidVolume;
use crate::model::{Dataset, Plot, Stratum, Unit};
use crate::register::View;
use crate::register::geometry::multipolygon;
use crate::register::meeting::{Proposal, rights_meeting, rights_meeting_with_clearance};
use crate::register::past::Past;
use crate::register::record::{Kind, Record};

use super::proposal::{ProposalBody, TunnelBody, spec};
use super::units::{Mesh, column};
use super::{ApiError, Need, Service, json_body, moment, run, seq_at};

/// A proposed volume (one of `volume`, `geojson`, `cityjson`, `tunnel`) and the date to ask
/// as of.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct QueryBody {
    volume: Option<String>,
    geojson: Option<Value>,
    cityjson: Option<Value>,
    tunnel: Option<TunnelBody>,
    as_of: Option<String>,
}

/// What the proposal meets in `v`, with the rights only its clearance envelope meets.
fn answer<V: View + ?Sized>(
    v: &V,
    p: &super::proposal::Proposed,
    snap: f64,
) -> Result<Value, ApiError> {
    let (met, near) = match &p.envelope {
        Some(e) => {
            let (met, near) = rights_meeting_with_clearance(v, &p.volume, e, snap)?;
            (met, Some(near))
        }
        None => (rights_meeting(v, Proposal::Volume(&p.volume), snap)?, None),
    };
    let mut out = json!({
        "met": met,
        "volume_m3": (p.volume.volume_m3() * 1e3).round() / 1e3,
        "mesh": Mesh::of(&p.volume),
    });
    if let Some(near) = near {
        out["within_clearance"] = json!(near);
    }
    Ok(out)
}

pub async fn query(
    State(svc): State<Arc<Service>>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Json<Value>, ApiError> {
    run(svc, &headers, Need::Query, move |svc, _| {
        let q: QueryBody = json_body(&body)?;
        let at = moment(q.as_of.as_deref())?;
        let body = ProposalBody {
            volume: q.volume,
            geojson: q.geojson,
            cityjson: q.cityjson,
            tunnel: q.tunnel,
        };
        svc.with_store(|reg| {
            let proposed = body.read(reg.settings().crs_epsg)?;
            let snap = reg.settings().snap;
            let mut out = match at {
                None => answer(&*reg, &proposed, snap)?,
                Some(t) => match seq_at(&*reg, t)? {
                    Some(s) => answer(&Past::new(&*reg, s), &proposed, snap)?,
                    None => answer(&crate::register::MemoryRegister::default(), &proposed, snap)?,
                },
            };
            if let Some(t) = at {
                out["as_of"] = json!(t.to_string());
            }
            Ok(Json(out))
        })
    })
    .await
}

/// A plot, and a layer proposed on it: `{"plot": ID, "proposal"?: {"volume": SPEC, "stratum": S}}`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RulesBody {
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
fn plot_dataset<V: View + ?Sized>(
    reg: &V,
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
    let registered = match &column(&plot.footprint) {
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

/// The proposed layer as a unit of the plot.
fn proposed_unit(plot: &str, p: &ProposedLayer) -> Result<Unit, ApiError> {
    let stratum = Stratum::parse(&p.stratum).ok_or_else(|| {
        ApiError::bad_request(format!(
            "`proposal.stratum` {}: above, surface or under",
            p.stratum
        ))
    })?;
    let volume = spec(&p.volume, "proposal.volume")?;
    let code = match &p.code {
        Some(c) => Some(
            c.parse()
                .map_err(|e| ApiError::bad_request(format!("`proposal.code` {c}: {e}")))?,
        ),
        None => None,
    };
    Ok(Unit {
        key: "proposal".into(),
        code,
        stratum: Some(stratum),
        parent_plot: Some(plot.to_string()),
        volume,
        ..Unit::default()
    })
}

/// The district's planning rules on a plot of the register, with a proposed layer.
pub async fn planning_rules(
    State(svc): State<Arc<Service>>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Json<Value>, ApiError> {
    run(svc, &headers, Need::Query, move |svc, _| {
        let q: RulesBody = json_body(&body)?;
        let proposed = q
            .proposal
            .as_ref()
            .map(|p| proposed_unit(&q.plot, p))
            .transpose()?;
        let rules = svc.rules().ok_or_else(|| {
            ApiError::not_configured(
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
