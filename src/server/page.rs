//! The 3D page: static files embedded in the binary (no internet needed, no bundler), served
//! at `/` and `/page/…`. three.js 0.170 (MIT, `page/vendor/three-LICENSE`) is vendored as its
//! ES module build with the orbit controls; the page imports it through an import map.

use axum::Router;
use axum::body::Body;
use axum::extract::Path;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;

use super::ApiError;

/// The page's files: name, content type and bytes.
const FILES: &[(&str, &str, &[u8])] = &[
    (
        "index.html",
        "text/html; charset=utf-8",
        include_bytes!("page/index.html"),
    ),
    (
        "app.js",
        "text/javascript; charset=utf-8",
        include_bytes!("page/app.js"),
    ),
    (
        "api.js",
        "text/javascript; charset=utf-8",
        include_bytes!("page/api.js"),
    ),
    (
        "asof.js",
        "text/javascript; charset=utf-8",
        include_bytes!("page/asof.js"),
    ),
    (
        "constants.js",
        "text/javascript; charset=utf-8",
        include_bytes!("page/constants.js"),
    ),
    (
        "detail-sections.js",
        "text/javascript; charset=utf-8",
        include_bytes!("page/detail-sections.js"),
    ),
    (
        "detail.js",
        "text/javascript; charset=utf-8",
        include_bytes!("page/detail.js"),
    ),
    (
        "documents.js",
        "text/javascript; charset=utf-8",
        include_bytes!("page/documents.js"),
    ),
    (
        "dom.js",
        "text/javascript; charset=utf-8",
        include_bytes!("page/dom.js"),
    ),
    (
        "load.js",
        "text/javascript; charset=utf-8",
        include_bytes!("page/load.js"),
    ),
    (
        "messages.js",
        "text/javascript; charset=utf-8",
        include_bytes!("page/messages.js"),
    ),
    (
        "parties.js",
        "text/javascript; charset=utf-8",
        include_bytes!("page/parties.js"),
    ),
    (
        "picking.js",
        "text/javascript; charset=utf-8",
        include_bytes!("page/picking.js"),
    ),
    (
        "pointer.js",
        "text/javascript; charset=utf-8",
        include_bytes!("page/pointer.js"),
    ),
    (
        "register.js",
        "text/javascript; charset=utf-8",
        include_bytes!("page/register.js"),
    ),
    (
        "rules-result.js",
        "text/javascript; charset=utf-8",
        include_bytes!("page/rules-result.js"),
    ),
    (
        "rules-volume.js",
        "text/javascript; charset=utf-8",
        include_bytes!("page/rules-volume.js"),
    ),
    (
        "rules.js",
        "text/javascript; charset=utf-8",
        include_bytes!("page/rules.js"),
    ),
    (
        "scene.js",
        "text/javascript; charset=utf-8",
        include_bytes!("page/scene.js"),
    ),
    (
        "section.js",
        "text/javascript; charset=utf-8",
        include_bytes!("page/section.js"),
    ),
    (
        "session.js",
        "text/javascript; charset=utf-8",
        include_bytes!("page/session.js"),
    ),
    (
        "state.js",
        "text/javascript; charset=utf-8",
        include_bytes!("page/state.js"),
    ),
    (
        "tabs.js",
        "text/javascript; charset=utf-8",
        include_bytes!("page/tabs.js"),
    ),
    (
        "testhook.js",
        "text/javascript; charset=utf-8",
        include_bytes!("page/testhook.js"),
    ),
    (
        "tunnel-form.js",
        "text/javascript; charset=utf-8",
        include_bytes!("page/tunnel-form.js"),
    ),
    (
        "tunnel-result.js",
        "text/javascript; charset=utf-8",
        include_bytes!("page/tunnel-result.js"),
    ),
    (
        "tunnel.js",
        "text/javascript; charset=utf-8",
        include_bytes!("page/tunnel.js"),
    ),
    (
        "unitlist.js",
        "text/javascript; charset=utf-8",
        include_bytes!("page/unitlist.js"),
    ),
    (
        "units.js",
        "text/javascript; charset=utf-8",
        include_bytes!("page/units.js"),
    ),
    (
        "world.js",
        "text/javascript; charset=utf-8",
        include_bytes!("page/world.js"),
    ),
    (
        "style.css",
        "text/css; charset=utf-8",
        include_bytes!("page/style.css"),
    ),
    (
        "vendor/three.module.min.js",
        "text/javascript; charset=utf-8",
        include_bytes!("page/vendor/three.module.min.js"),
    ),
    (
        "vendor/OrbitControls.js",
        "text/javascript; charset=utf-8",
        include_bytes!("page/vendor/OrbitControls.js"),
    ),
    (
        "vendor/three-LICENSE",
        "text/plain; charset=utf-8",
        include_bytes!("page/vendor/three-LICENSE"),
    ),
];

/// The page's routes.
pub fn routes<S: Clone + Send + Sync + 'static>() -> Router<S> {
    Router::new()
        .route("/", get(|| async { file("index.html") }))
        .route(
            "/page/{*name}",
            get(|Path(name): Path<String>| async move { file(&name) }),
        )
}

/// One file of the page. With `STRATA_PAGE_DIR` set (while working on the page), files are
/// read from that folder instead, so that a change shows without rebuilding; a file not yet
/// embedded is served from there too when its name is plain (letters, digits, `-`, `_`, one
/// folder level) and it is a script, a style sheet or a page.
fn file(name: &str) -> Response {
    let embedded = FILES.iter().find(|(n, _, _)| *n == name);
    if let Some(dir) = std::env::var_os("STRATA_PAGE_DIR")
        && let Some(kind) = embedded.map(|(_, k, _)| *k).or_else(|| dev_kind(name))
        && let Ok(bytes) = std::fs::read(std::path::Path::new(&dir).join(name))
    {
        return answer(kind, Body::from(bytes));
    }
    match embedded {
        Some((_, kind, bytes)) => answer(kind, Body::from(*bytes)),
        None => ApiError::not_found(format!("no page file {name}")).into_response(),
    }
}

/// The content type of a file being worked on, when its name is plain.
fn dev_kind(name: &str) -> Option<&'static str> {
    let plain = name.split('/').count() <= 2
        && name.split('/').all(|part| {
            !part.is_empty()
                && !part.starts_with('.')
                && part
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
        });
    if !plain {
        return None;
    }
    match name.rsplit('.').next()? {
        "js" => Some("text/javascript; charset=utf-8"),
        "css" => Some("text/css; charset=utf-8"),
        "html" => Some("text/html; charset=utf-8"),
        _ => None,
    }
}

fn answer(kind: &'static str, body: Body) -> Response {
    (
        StatusCode::OK,
        [
            (header::CONTENT_TYPE, kind),
            (header::CACHE_CONTROL, "no-cache"),
        ],
        body,
    )
        .into_response()
}
