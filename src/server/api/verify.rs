//! Public certificate verification: is the certificate whose QR code reads `qr` genuine, and
//! does it still stand?

use std::sync::Arc;

use axum::Json;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, Uri};
use serde::Deserialize;
use serde_json::{Value, json};

use crate::export::certificate::{CertError, Standing, verify_qr};

use super::{ApiError, Need, Service, query_of, run, to_json};

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct VerifyQuery {
    qr: String,
}

/// The longest QR payload read: a certificate's code is a few hundred characters.
const MAX_QR_CHARS: usize = 4096;

/// Public: is the certificate whose QR code reads `qr` genuine, and does it still stand?
pub async fn verify(
    State(svc): State<Arc<Service>>,
    headers: HeaderMap,
    uri: Uri,
) -> Result<Json<Value>, ApiError> {
    run(svc, &headers, Need::Nothing, move |svc, _| {
        let q: VerifyQuery = query_of(&uri)?;
        if q.qr.len() > MAX_QR_CHARS {
            return Err(ApiError::bad_request(format!(
                "`qr`: longer than {MAX_QR_CHARS} characters"
            )));
        }
        let key = svc.verifier().ok_or_else(|| {
            ApiError::not_configured(
                "this service verifies no certificates (started without --verify-key)",
            )
        })?;
        svc.with_store(|reg| match verify_qr(&*reg, key, &q.qr) {
            Ok(v) => {
                let current = v.standing == Standing::Current;
                let mut j = to_json(&v)?;
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
