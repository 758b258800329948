//! The 3D page: static files embedded in the binary (no internet needed, no bundler), served
//! at `/` and `/page/…`. three.js 0.170 (MIT, `page/vendor/three-LICENSE`) is vendored as its
//! ES module build with the orbit controls; the page imports it through an import map.

use axum::Router;
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

/// One file of the page. With `STRATA_PAGE_DIR` set (while working on the page), the file is
/// read from that folder instead, so that a change shows without rebuilding.
fn file(name: &str) -> Response {
    let Some((_, kind, bytes)) = FILES.iter().find(|(n, _, _)| *n == name) else {
        return ApiError::not_found(format!("no page file {name}")).into_response();
    };
    let body: Vec<u8> = match std::env::var_os("STRATA_PAGE_DIR") {
        Some(dir) => match std::fs::read(std::path::Path::new(&dir).join(name)) {
            Ok(b) => b,
            Err(_) => bytes.to_vec(),
        },
        None => bytes.to_vec(),
    };
    (
        StatusCode::OK,
        [
            (header::CONTENT_TYPE, *kind),
            (header::CACHE_CONTROL, "no-cache"),
        ],
        body,
    )
        .into_response()
}
