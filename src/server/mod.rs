//! `strata serve`: the register over HTTP for programs and people. One process serves the
//! API (JSON, see `openapi.json`), with users and roles ([`auth`]); every register call runs on
//! a blocking thread over a small pool of open registers, so the service stays responsive
//! while SQLite or PostgreSQL works. The server stops gracefully: on Ctrl-C or SIGTERM it
//! takes no new connections and lets the requests in flight, an act being recorded among
//! them, finish.

mod api;
pub mod auth;
mod error;
mod page;

use std::path::PathBuf;
use std::sync::{Arc, Mutex, OnceLock};
use std::time::Duration;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::timeout::TimeoutLayer;

use crate::checks::planning::Rules;
use crate::export::certificate::seal::{Ed25519Check, Ed25519Seal};
use crate::export::pdf::Fonts;
use crate::export::sheet::Profile;
use crate::register::RegisterError;
use crate::register::store::{self, Store};

pub use auth::{Need, Role, User, Users};
pub use error::ApiError;

/// The largest request body: a survey result or a proposed volume of the readers' largest
/// size fits, a body meant to exhaust memory does not.
pub const MAX_BODY_BYTES: usize = 16 << 20;

/// The longest a request may take before it is answered `408`: a query over a city-wide
/// register takes milliseconds, a batch of acts seconds.
pub const REQUEST_TIMEOUT: Duration = Duration::from_secs(60);

/// The OpenAPI description of the API, served at `/api/openapi.json`.
pub const OPENAPI: &str = include_str!("openapi.json");

/// Registers kept open between requests.
const POOL_SIZE: usize = 8;

/// What every request shares: the register's location, the users and the open registers.
pub struct Service {
    location: String,
    users: Users,
    pool: Mutex<Vec<Box<dyn Store + Send>>>,
    /// The office's public key, for verifying certificates; `None`: not offered.
    verifier: Option<Ed25519Check>,
    /// The district's planning rules; `None`: not offered.
    rules: Option<Rules>,
    /// The office's map and certificate profile.
    profile: Profile,
    /// The fonts the PDFs embed, loaded on first use.
    fonts: OnceLock<Result<Fonts, String>>,
    /// The office's secret key, to issue certificates; `None`: not offered.
    seal: Option<Ed25519Seal>,
    /// The folder of surveyors' submissions waiting for an officer; `None`: not offered.
    pending: Option<PathBuf>,
}

impl Service {
    /// A service over the register at `location` (a file or a PostgreSQL location), opened
    /// once here to say early when it cannot be.
    pub fn new(location: &str, users: Users) -> Result<Service, RegisterError> {
        let first = store::open(location, false)?;
        Ok(Service {
            location: location.to_string(),
            users,
            pool: Mutex::new(vec![first]),
            verifier: None,
            rules: None,
            profile: Profile::default(),
            fonts: OnceLock::new(),
            seal: None,
            pending: None,
        })
    }

    /// The service drawing maps and certificates with `profile` (office, paper, font).
    pub fn with_profile(mut self, profile: Profile) -> Service {
        self.profile = profile;
        self
    }

    /// The service issuing certificates sealed with `seal` (and verifying them).
    pub fn with_seal(mut self, seal: Ed25519Seal) -> Service {
        if self.verifier.is_none() {
            self.verifier = Some(seal.public());
        }
        self.seal = Some(seal);
        self
    }

    /// The service keeping surveyors' submissions in `dir` until an officer registers them.
    pub fn with_pending(mut self, dir: PathBuf) -> Service {
        self.pending = Some(dir);
        self
    }

    /// The office's profile.
    pub fn profile(&self) -> &Profile {
        &self.profile
    }

    /// The fonts, loaded once; `503` when the profile's font cannot be loaded.
    pub fn fonts(&self) -> Result<&Fonts, ApiError> {
        self.fonts
            .get_or_init(|| Fonts::load(self.profile.font.as_deref()).map_err(|e| e.to_string()))
            .as_ref()
            .map_err(|e| ApiError::not_configured(format!("no font for documents: {e}")))
    }

    /// The office's secret key.
    pub fn seal(&self) -> Option<&Ed25519Seal> {
        self.seal.as_ref()
    }

    /// The folder of pending submissions.
    pub fn pending(&self) -> Option<&std::path::Path> {
        self.pending.as_deref()
    }

    /// The service verifying certificates sealed with `key`'s secret.
    pub fn with_verifier(mut self, key: Ed25519Check) -> Service {
        self.verifier = Some(key);
        self
    }

    /// The service checking `rules` at `/api/rules`.
    pub fn with_rules(mut self, rules: Rules) -> Service {
        self.rules = Some(rules);
        self
    }

    /// The district's planning rules.
    pub fn rules(&self) -> Option<&Rules> {
        self.rules.as_ref()
    }

    /// The key certificates are verified with.
    pub fn verifier(&self) -> Option<&Ed25519Check> {
        self.verifier.as_ref()
    }

    /// Runs `f` on an open register (from the pool, or opened anew) and puts it back.
    pub fn with_store<T>(
        &self,
        f: impl FnOnce(&mut dyn Store) -> Result<T, ApiError>,
    ) -> Result<T, ApiError> {
        let taken = self.pool.lock().unwrap_or_else(|p| p.into_inner()).pop();
        let mut reg = match taken {
            Some(r) => r,
            None => store::open(&self.location, false)?,
        };
        let out = f(reg.as_mut());
        let mut pool = self.pool.lock().unwrap_or_else(|p| p.into_inner());
        if pool.len() < POOL_SIZE {
            pool.push(reg);
        }
        out
    }

    /// The user a request's `Authorization: Bearer …` header names; the public without one.
    pub fn user(&self, authorization: Option<&str>) -> Result<User, ApiError> {
        let Some(h) = authorization else {
            return Ok(User::public());
        };
        let token = h.strip_prefix("Bearer ").ok_or_else(|| {
            ApiError::new(
                axum::http::StatusCode::UNAUTHORIZED,
                "unauthorized",
                "the Authorization header is not `Bearer <token>`",
            )
        })?;
        self.users.by_token(token.trim()).cloned().ok_or_else(|| {
            ApiError::new(
                axum::http::StatusCode::UNAUTHORIZED,
                "unauthorized",
                "unknown token",
            )
        })
    }
}

impl Drop for Service {
    /// Closes the open registers off the async runtime: a PostgreSQL connection closes by
    /// blocking on its own runtime, which may not run inside another.
    fn drop(&mut self) {
        let pool = std::mem::take(self.pool.get_mut().unwrap_or_else(|p| p.into_inner()));
        if tokio::runtime::Handle::try_current().is_ok() {
            let _ = std::thread::spawn(move || drop(pool)).join();
        } else {
            drop(pool);
        }
    }
}

/// The service's routes, limits and error handling.
pub fn router(service: Arc<Service>) -> Router {
    api::routes()
        .merge(page::routes())
        .with_state(service)
        .layer(DefaultBodyLimit::max(MAX_BODY_BYTES))
        .layer(TimeoutLayer::with_status_code(
            axum::http::StatusCode::REQUEST_TIMEOUT,
            REQUEST_TIMEOUT,
        ))
        .layer(CatchPanicLayer::custom(|_| {
            ApiError::internal("the request failed inside the service").into_response_owned()
        }))
        .layer(axum::middleware::map_response(json_errors))
}

/// Every error answered as JSON, also those the framework and its layers give as plain text
/// or empty (a method not allowed, a body over the limit, a timeout).
async fn json_errors(resp: axum::response::Response) -> axum::response::Response {
    use axum::http::{StatusCode, header};
    let status = resp.status();
    let json = resp
        .headers()
        .get(header::CONTENT_TYPE)
        .is_some_and(|v| v.as_bytes().starts_with(b"application/json"));
    if json || !(status.is_client_error() || status.is_server_error()) {
        return resp;
    }
    let (mut parts, body) = resp.into_parts();
    let text = axum::body::to_bytes(body, 64 << 10)
        .await
        .unwrap_or_default();
    let text = String::from_utf8_lossy(&text).trim().to_string();
    let kind = match status {
        StatusCode::METHOD_NOT_ALLOWED => "method_not_allowed",
        StatusCode::PAYLOAD_TOO_LARGE => "too_large",
        StatusCode::REQUEST_TIMEOUT => "timeout",
        StatusCode::UNSUPPORTED_MEDIA_TYPE => "unsupported_media_type",
        s if s.is_server_error() => "internal",
        _ => "bad_request",
    };
    let message = match (text.is_empty(), status) {
        (false, _) => text,
        (true, StatusCode::PAYLOAD_TOO_LARGE) => format!("the body is over {MAX_BODY_BYTES} bytes"),
        (true, StatusCode::REQUEST_TIMEOUT) => {
            format!("the request took over {} s", REQUEST_TIMEOUT.as_secs())
        }
        (true, s) => s.canonical_reason().unwrap_or("error").to_string(),
    };
    let fresh = ApiError::new(status, kind, message).into_response_owned();
    let (fresh_parts, body) = fresh.into_parts();
    parts.headers.remove(header::CONTENT_LENGTH);
    for (k, v) in &fresh_parts.headers {
        parts.headers.insert(k, v.clone());
    }
    axum::response::Response::from_parts(parts, body)
}

impl ApiError {
    fn into_response_owned(self) -> axum::response::Response {
        axum::response::IntoResponse::into_response(self)
    }
}

/// Serves `service` on `listener` until Ctrl-C or SIGTERM, then lets the requests in flight
/// finish.
pub async fn serve(
    listener: tokio::net::TcpListener,
    service: Arc<Service>,
) -> std::io::Result<()> {
    axum::serve(listener, router(service))
        .with_graceful_shutdown(shutdown_signal())
        .await
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = term => {},
    }
}
