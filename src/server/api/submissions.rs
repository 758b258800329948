//! Surveyors' submissions: a survey result (多测合一成果) posted as a file is read and
//! validated through the admission gate, then kept as pending, whole or not at all, in the
//! service's pending folder (`<id>/` with the file and `submission.json`). An officer registers
//! it: its units' first registrations are decided by the register's rules like any batch, and
//! the submission records what was registered, by whom and when.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path as UrlPath, State};
use axum::http::{HeaderMap, StatusCode, Uri};
use jiff::Timestamp;
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use sha2::{Digest, Sha256};

use crate::admit::{AdmitOptions, Refusal, admit};
use crate::io::ImportOptions;
use crate::io::atomic::write_atomically;
use crate::register::import::{ImportOptions as Import, import_acts};
use crate::register::record::Kind;
use crate::register::{Clock, record};
use crate::validate::Tolerances;

use super::acts::recorded;
use super::{ApiError, Need, Role, Service, User, query_of, run, to_json};

/// The file formats a submission may have, by the end of its name.
const FORMATS: [&str; 5] = [".geojson", ".json", ".city.json", ".fgb", ".xml"];

/// A submission's record, kept beside its file.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Submission {
    id: String,
    file: String,
    sha256: String,
    bytes: usize,
    surveyor: String,
    received_at: String,
    units: usize,
    plots: usize,
    warnings: usize,
    /// `pending`, then `registered`.
    status: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    registered: Option<Value>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SubmitQuery {
    /// The file's name, which says its format.
    name: String,
}

fn dir(svc: &Service) -> Result<&Path, ApiError> {
    svc.pending().ok_or_else(|| {
        ApiError::not_configured("this service takes no submissions (started without --pending)")
    })
}

/// The file name kept: its last component, of letters, digits, `.`, `-` and `_` only.
fn file_name(name: &str) -> Result<String, ApiError> {
    let base = name.rsplit(['/', '\\']).next().unwrap_or_default();
    let ok = !base.is_empty()
        && !base.starts_with('.')
        && base.len() <= 200
        && base
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_'));
    let lower = base.to_ascii_lowercase();
    if !ok || !FORMATS.iter().any(|f| lower.ends_with(f)) {
        return Err(ApiError::bad_request(format!(
            "`name` {name}: a file name of letters, digits, `.`, `-` and `_` ending in one of {}",
            FORMATS.join(", ")
        )));
    }
    Ok(base.to_string())
}

/// Reads and validates a survey file as the import does.
fn admit_file(path: &Path, crs: Option<u32>) -> Result<crate::admit::Admitted, ApiError> {
    let opts = AdmitOptions {
        import: ImportOptions {
            crs,
            ..ImportOptions::default()
        },
        tolerances: Tolerances::default(),
        skip_invalid: false,
    };
    let folder = path.parent().map(|p| format!("{}/", p.display()));
    let strip = |s: String| match &folder {
        Some(f) => s.replace(f.as_str(), ""),
        None => s,
    };
    admit(&[path.to_path_buf()], &opts).map_err(|r| {
        let mut e = ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid",
            strip(r.to_string()),
        );
        if let Refusal::Invalid(report) = &r {
            let bad: Vec<_> = report
                .results
                .iter()
                .filter(|x| !x.valid)
                .take(100)
                .collect();
            e.detail = serde_json::to_value(bad)
                .ok()
                .map(|v| json!({"invalid": v}));
        }
        e
    })
}

fn record_path(dir: &Path, id: &str) -> PathBuf {
    dir.join(id).join("submission.json")
}

fn write_record(dir: &Path, s: &Submission) -> Result<(), ApiError> {
    let bytes = serde_json::to_vec_pretty(s).map_err(|e| ApiError::internal(e.to_string()))?;
    write_atomically(&record_path(dir, &s.id), |w| w.write_all(&bytes))
        .map_err(|e| ApiError::internal(format!("the submission could not be kept: {e}")))
}

fn read_record(dir: &Path, id: &str) -> Result<Submission, ApiError> {
    let ok = !id.is_empty() && id.chars().all(|c| c.is_ascii_alphanumeric() || c == '-');
    let text = ok
        .then(|| std::fs::read(record_path(dir, id)).ok())
        .flatten()
        .ok_or_else(|| ApiError::not_found(format!("no submission {id}")))?;
    serde_json::from_slice(&text)
        .map_err(|e| ApiError::internal(format!("submission {id}: its record does not read: {e}")))
}

/// Keeps the posted file as pending: validated in a hidden folder, which is renamed into
/// place only when the file and its record are written whole.
fn keep(svc: &Service, user: &User, name: &str, body: &[u8]) -> Result<Submission, ApiError> {
    let dir = dir(svc)?;
    let sha = Sha256::digest(body);
    let hex: String = sha.iter().map(|b| format!("{b:02x}")).collect();
    let now = Timestamp::now();
    let id = format!("S{}-{}", now.strftime("%Y%m%d%H%M%S"), &hex[..8]);
    std::fs::create_dir_all(dir).map_err(|e| ApiError::internal(e.to_string()))?;
    if dir.join(&id).exists() {
        return Err(ApiError::new(
            StatusCode::CONFLICT,
            "duplicate",
            format!("the same file was submitted as {id} in this second already"),
        ));
    }
    let partial = tempfile::Builder::new()
        .prefix(".incoming-")
        .tempdir_in(dir)
        .map_err(|e| ApiError::internal(e.to_string()))?;
    let file = partial.path().join(name);
    write_atomically(&file, |w| w.write_all(body))
        .map_err(|e| ApiError::internal(e.to_string()))?;
    let crs = svc.with_store(|reg| Ok(reg.settings().crs_epsg))?;
    let admitted = admit_file(&file, crs)?;
    let s = Submission {
        id: id.clone(),
        file: name.to_string(),
        sha256: hex,
        bytes: body.len(),
        surveyor: user.name.clone(),
        received_at: now.to_string(),
        units: admitted.dataset.units.len(),
        plots: admitted.dataset.plots.len(),
        warnings: admitted.warnings,
        status: "pending".into(),
        registered: None,
    };
    let bytes = serde_json::to_vec_pretty(&s).map_err(|e| ApiError::internal(e.to_string()))?;
    write_atomically(&partial.path().join("submission.json"), |w| {
        w.write_all(&bytes)
    })
    .map_err(|e| ApiError::internal(e.to_string()))?;
    let kept = partial.keep();
    std::fs::rename(&kept, dir.join(&id)).map_err(|e| {
        let _ = std::fs::remove_dir_all(&kept);
        ApiError::internal(format!("the submission could not be kept: {e}"))
    })?;
    Ok(s)
}

/// A surveyor submits a survey result: `POST /api/submissions?name=FILE` with the file as
/// the body. `201` with the submission, or `422` naming what is invalid.
pub async fn submit(
    State(svc): State<Arc<Service>>,
    headers: HeaderMap,
    uri: Uri,
    body: Bytes,
) -> Result<(StatusCode, Json<Value>), ApiError> {
    run(svc, &headers, Need::Submit, move |svc, user| {
        let q: SubmitQuery = query_of(&uri)?;
        let name = file_name(&q.name)?;
        let s = keep(svc, &user, &name, &body)?;
        Ok((StatusCode::CREATED, Json(to_json(&s)?)))
    })
    .await
}

/// May `user` see submission `s`? Officers and admins see all, a surveyor their own.
fn sees(user: &User, s: &Submission) -> bool {
    matches!(user.role, Role::Officer | Role::Admin) || s.surveyor == user.name
}

/// The submissions, newest first.
pub async fn list(
    State(svc): State<Arc<Service>>,
    headers: HeaderMap,
) -> Result<Json<Value>, ApiError> {
    run(svc, &headers, Need::Submit, move |svc, user| {
        let dir = dir(svc)?;
        let mut out: Vec<Submission> = match std::fs::read_dir(dir) {
            Ok(entries) => entries
                .filter_map(Result::ok)
                .filter_map(|e| e.file_name().into_string().ok())
                .filter(|n| !n.starts_with('.'))
                .filter_map(|n| read_record(dir, &n).ok())
                .filter(|s| sees(&user, s))
                .collect(),
            Err(_) => Vec::new(),
        };
        out.sort_by(|a, b| b.id.cmp(&a.id));
        Ok(Json(json!({"submissions": out})))
    })
    .await
}

pub async fn one(
    State(svc): State<Arc<Service>>,
    headers: HeaderMap,
    UrlPath(id): UrlPath<String>,
) -> Result<Json<Value>, ApiError> {
    run(svc, &headers, Need::Submit, move |svc, user| {
        let s = read_record(dir(svc)?, &id)?;
        if !sees(&user, &s) {
            return Err(ApiError::not_found(format!("no submission {id}")));
        }
        Ok(Json(to_json(&s)?))
    })
    .await
}

/// An officer registers a pending submission: every unit's first registration, decided by the
/// register's rules in one batch (all or nothing), recorded in the officer's name.
pub async fn register(
    State(svc): State<Arc<Service>>,
    headers: HeaderMap,
    UrlPath(id): UrlPath<String>,
) -> Result<Json<Value>, ApiError> {
    run(svc, &headers, Need::Register, move |svc, user| {
        let dir = dir(svc)?;
        let mut s = read_record(dir, &id)?;
        if s.status != "pending" {
            return Err(ApiError::new(
                StatusCode::CONFLICT,
                "refused",
                format!("submission {id} is {} already", s.status),
            ));
        }
        let crs = svc.with_store(|reg| Ok(reg.settings().crs_epsg))?;
        let admitted = admit_file(&dir.join(&id).join(&s.file), crs)?;
        let done = svc.with_store(|reg| {
            let known: Vec<String> = reg
                .live_of_kind(Kind::Plot)?
                .into_iter()
                .map(|(k, _)| k)
                .collect();
            let o = Import {
                officer: user.name.clone(),
                number_prefix: id.clone(),
                survey: id.clone(),
            };
            let acts = import_acts(&admitted.dataset, &known, &o);
            let opts = reg.settings().options();
            Ok(record(reg, &acts, Clock::Now, &opts)?)
        })?;
        let acts = recorded(&done, &user);
        s.status = "registered".into();
        s.registered = Some(json!({
            "officer": user.name,
            "at": Timestamp::now().to_string(),
            "acts": done.len(),
            "head": done.last().map(|r| r.hash.to_string()),
        }));
        write_record(dir, &s)?;
        Ok(Json(json!({"submission": s, "recorded": acts})))
    })
    .await
}
