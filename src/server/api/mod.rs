//! The API's routes, one module per concern. Each handler says what it needs ([`Need`]), and
//! its register work runs on a blocking thread through [`Service::with_store`].

mod acts;
mod documents;
mod proposal;
mod query;
mod submissions;
mod units;
mod verify;

use std::sync::Arc;

use axum::Json;
use axum::Router;
use axum::body::Bytes;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use jiff::Timestamp;
use serde_json::{Value, json};

use crate::register::page::parse_moment;
use crate::register::record::Seq;
use crate::register::store::Store;

use super::{ApiError, Need, Role, Service, User};

/// The routes of the API.
pub fn routes() -> Router<Arc<Service>> {
    Router::new()
        .route("/api/health", get(health))
        .route("/api/openapi.json", get(openapi))
        .route("/api/register", get(units::register))
        .route("/api/units", get(units::units))
        .route("/api/units/{code}", get(units::unit))
        .route("/api/units/{code}/map.svg", get(documents::map_svg))
        .route("/api/units/{code}/map.pdf", get(documents::map_pdf))
        .route("/api/units/{code}/page.pdf", get(documents::page_pdf))
        .route(
            "/api/units/{code}/certificate.pdf",
            get(documents::certificate_pdf),
        )
        .route("/api/query", post(query::query))
        .route("/api/rules", post(query::planning_rules))
        .route("/api/acts", post(acts::acts))
        .route(
            "/api/submissions",
            post(submissions::submit).get(submissions::list),
        )
        .route("/api/submissions/{id}", get(submissions::one))
        .route(
            "/api/submissions/{id}/register",
            post(submissions::register),
        )
        .route("/api/verify", get(verify::verify))
        .fallback(|| async { ApiError::not_found("no such endpoint") })
}

/// Authenticates the request, checks that its user may do what `need` names, and runs `f` on
/// a blocking thread. Handlers read their parameters and bodies inside `f`: who asks is
/// answered first.
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
        let (status, kind) = if user.role == Role::Public {
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
        .map_err(|_| ApiError::internal("the request failed inside the service"))?
}

async fn health() -> Json<Value> {
    Json(json!({"status": "ok"}))
}

async fn openapi() -> Response {
    ([(header::CONTENT_TYPE, "application/json")], super::OPENAPI).into_response()
}

/// The request body as `T`, or `400` saying where it does not read.
fn json_body<T: serde::de::DeserializeOwned>(body: &Bytes) -> Result<T, ApiError> {
    serde_json::from_slice(body)
        .map_err(|e| ApiError::bad_request(format!("the request body: {e}")))
}

/// The query string as `T`, or `400` saying which parameter does not read; read after the
/// user is known, so that the public learns nothing of a request it may not make.
fn query_of<T: serde::de::DeserializeOwned>(uri: &axum::http::Uri) -> Result<T, ApiError> {
    axum::extract::Query::<T>::try_from_uri(uri)
        .map(|q| q.0)
        .map_err(|e| ApiError::bad_request(e.body_text()))
}

/// Any value as JSON.
fn to_json<T: serde::Serialize>(v: &T) -> Result<Value, ApiError> {
    serde_json::to_value(v).map_err(|e| ApiError::internal(e.to_string()))
}

/// The moment of an `as_of` parameter (a date: its end in China time; or an RFC 3339 time).
fn moment(as_of: Option<&str>) -> Result<Option<Timestamp>, ApiError> {
    as_of
        .map(parse_moment)
        .transpose()
        .map_err(|e| ApiError::bad_request(format!("`as_of` {e}")))
}

/// The act the register stood at then: `Ok(None)` when nothing was recorded by then.
fn seq_at(reg: &dyn Store, at: Timestamp) -> Result<Option<Seq>, ApiError> {
    Ok(reg.seq_at(at)?)
}
