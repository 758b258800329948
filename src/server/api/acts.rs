//! Officers' writes: acts confirmed through `/api/acts`, decided by the same rules as on the
//! command line and refused with the same reasons (`409`). The journal records the signed-in
//! officer as 登簿人, with the time and each act's hash.

use std::sync::Arc;

use axum::Json;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::HeaderMap;
use serde_json::{Value, json};

use crate::register::act::acts_from_json;
use crate::register::{Act, Clock, Recorded, record};

use super::{ApiError, Need, Service, User, json_body, run};

/// Puts the signed-in officer on every act: an act naming another officer is refused.
pub fn sign(acts: &mut [Act], user: &User) -> Result<(), ApiError> {
    for (i, a) in acts.iter_mut().enumerate() {
        if a.officer.trim().is_empty() {
            a.officer = user.name.clone();
        } else if a.officer != user.name {
            return Err(ApiError::forbidden(format!(
                "act {} names officer {}: an officer records acts in their own name ({})",
                i + 1,
                a.officer,
                user.name
            )));
        }
    }
    Ok(())
}

/// What was recorded, as the answer says it.
pub fn recorded(done: &[Recorded], user: &User) -> Value {
    Value::Array(
        done.iter()
            .map(|r| {
                json!({"seq": r.seq, "number": r.number, "act": r.name, "unit": r.unit,
                       "recorded_at": r.recorded_at.to_string(), "hash": r.hash.to_string(),
                       "officer": user.name})
            })
            .collect(),
    )
}

pub async fn acts(
    State(svc): State<Arc<Service>>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Json<Value>, ApiError> {
    run(svc, &headers, Need::Register, move |svc, user| {
        let mut acts = acts_from_json(json_body(&body)?).map_err(ApiError::bad_request)?;
        if acts.is_empty() {
            return Err(ApiError::bad_request("no acts"));
        }
        sign(&mut acts, &user)?;
        svc.with_store(|reg| {
            let opts = reg.settings().options();
            let done = record(reg, &acts, Clock::Now, &opts)?;
            Ok(Json(json!({"recorded": recorded(&done, &user)})))
        })
    })
    .await
}
