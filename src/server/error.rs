//! The service's errors: a status and a JSON body `{"error": kind, "message": …}`, never a
//! stack trace.

use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde_json::json;

use crate::register::RegisterError;

/// An error answered to a request.
#[derive(Debug)]
pub struct ApiError {
    /// The HTTP status.
    pub status: StatusCode,
    /// A short kind (`unauthorized`, `forbidden`, `bad_request`, `not_found`, `refused`, …).
    pub kind: &'static str,
    /// What happened, for people.
    pub message: String,
    /// Details for programs (a refusal's reason and the units it names).
    pub detail: Option<serde_json::Value>,
}

impl ApiError {
    /// An error of `status` and `kind`.
    pub fn new(status: StatusCode, kind: &'static str, message: impl Into<String>) -> ApiError {
        ApiError {
            status,
            kind,
            message: message.into(),
            detail: None,
        }
    }

    /// A request that cannot be read.
    pub fn bad_request(message: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::BAD_REQUEST, "bad_request", message)
    }

    /// Nothing there.
    pub fn not_found(message: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::NOT_FOUND, "not_found", message)
    }

    /// Something the signed-in user may not do.
    pub fn forbidden(message: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::FORBIDDEN, "forbidden", message)
    }

    /// A failure inside the service (the message says what, never a stack trace).
    pub fn internal(message: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, "internal", message)
    }

    /// A part of the service this one was not started with (`--verify-key`, `--rules` …).
    pub fn not_configured(message: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::SERVICE_UNAVAILABLE, "not_configured", message)
    }
}

impl From<RegisterError> for ApiError {
    fn from(e: RegisterError) -> ApiError {
        match &e {
            RegisterError::Refused {
                index,
                number,
                unit,
                refusal,
            } => ApiError {
                status: StatusCode::CONFLICT,
                kind: "refused",
                message: e.to_string(),
                detail: Some(
                    json!({"index": index, "number": number, "unit": unit, "refusal": refusal}),
                ),
            },
            RegisterError::Busy { .. } => {
                ApiError::new(StatusCode::SERVICE_UNAVAILABLE, "busy", e.to_string())
            }
            _ => ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, "storage", e.to_string()),
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let mut body = json!({"error": self.kind, "message": self.message});
        if let Some(d) = self.detail {
            body["detail"] = d;
        }
        (self.status, Json(body)).into_response()
    }
}
