//! A unit's documents over HTTP: its 三维宗地图 (SVG, first sheet; or PDF), its register page
//! (PDF, now or as of a date) and its certificate (PDF, sealed with the office's key: officers
//! only, and only when the service holds the key).

use std::sync::Arc;

use axum::body::Body;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};

use crate::export::certificate::{CertError, issue};
use crate::export::pdf::pdf;
use crate::export::register_page;
use crate::export::sheet::{self, ParcelMap, SheetError};
use crate::model::frame::HeightDatum;
use crate::register::page::page;

use super::units::AsOf;
use super::{ApiError, Need, Service, moment, query_of, run};

fn answer(kind: &'static str, name: String, bytes: Vec<u8>) -> Response {
    (
        StatusCode::OK,
        [
            (header::CONTENT_TYPE, kind.to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("inline; filename=\"{name}\""),
            ),
        ],
        Body::from(bytes),
    )
        .into_response()
}

/// `pages` as a PDF document named `name`, set in the service's fonts.
fn pdf_answer(
    svc: &Service,
    pages: &[crate::export::svg::Page],
    info: &crate::export::pdf::DocInfo,
    name: String,
) -> Result<Response, ApiError> {
    let bytes = pdf(pages, svc.fonts()?, info).map_err(|e| ApiError::internal(e.to_string()))?;
    Ok(answer("application/pdf", name, bytes))
}

fn sheet_error(code: &str, e: SheetError) -> ApiError {
    match e {
        SheetError::NotRegistered { .. } => {
            ApiError::not_found(format!("unit {code} is not registered: it has no map"))
        }
        e => ApiError::internal(e.to_string()),
    }
}

/// The map of `code`, drawn with the service's profile.
fn map_pages(
    svc: &Service,
    code: &str,
) -> Result<(ParcelMap, Vec<crate::export::svg::Page>), ApiError> {
    let map =
        svc.with_store(|reg| ParcelMap::read(&*reg, code, &[]).map_err(|e| sheet_error(code, e)))?;
    let pages = sheet::draw(&map, svc.profile());
    Ok((map, pages))
}

pub async fn map_svg(
    State(svc): State<Arc<Service>>,
    headers: HeaderMap,
    Path(code): Path<String>,
) -> Result<Response, ApiError> {
    run(svc, &headers, Need::Read, move |svc, _| {
        let (_, pages) = map_pages(svc, &code)?;
        let first = pages
            .into_iter()
            .next()
            .ok_or_else(|| ApiError::internal(format!("the map of {code} has no sheet")))?;
        Ok(answer(
            "image/svg+xml",
            format!("{code}.map.svg"),
            first.svg.into_bytes(),
        ))
    })
    .await
}

pub async fn map_pdf(
    State(svc): State<Arc<Service>>,
    headers: HeaderMap,
    Path(code): Path<String>,
) -> Result<Response, ApiError> {
    run(svc, &headers, Need::Read, move |svc, _| {
        let (map, pages) = map_pages(svc, &code)?;
        let info = crate::export::sheet::doc_info(&map);
        pdf_answer(svc, &pages, &info, format!("{code}.map.pdf"))
    })
    .await
}

pub async fn page_pdf(
    State(svc): State<Arc<Service>>,
    headers: HeaderMap,
    Path(code): Path<String>,
    uri: Uri,
) -> Result<Response, ApiError> {
    run(svc, &headers, Need::Read, move |svc, _| {
        let q: AsOf = query_of(&uri)?;
        let at = moment(q.as_of.as_deref())?;
        let (p, datum) = svc.with_store(|reg| {
            let datum = HeightDatum::parse(&reg.settings().height_datum).describe();
            match page(&*reg, &code, at)? {
                Some(p) => Ok((p, datum)),
                None => Err(ApiError::not_found(format!(
                    "unit {code} is not in the register{}",
                    at.map(|t| format!(" as of {t}")).unwrap_or_default()
                ))),
            }
        })?;
        let pages = register_page::draw(&p, &svc.profile().office, &datum);
        let info = register_page::doc_info(&p);
        pdf_answer(svc, &pages, &info, format!("{code}.page.pdf"))
    })
    .await
}

pub async fn certificate_pdf(
    State(svc): State<Arc<Service>>,
    headers: HeaderMap,
    Path(code): Path<String>,
) -> Result<Response, ApiError> {
    run(svc, &headers, Need::Register, move |svc, _| {
        let seal = svc.seal().ok_or_else(|| {
            ApiError::not_configured(
                "this service issues no certificates (started without --seal-key)",
            )
        })?;
        let fonts = svc.fonts()?;
        let issued =
            svc.with_store(
                |reg| match issue(&*reg, &code, svc.profile(), seal, fonts) {
                    Ok(i) => Ok(i),
                    Err(CertError::NoCertificate { .. }) => Err(ApiError::not_found(format!(
                        "unit {code} has no current title certificate"
                    ))),
                    Err(CertError::Sheet(e)) => Err(sheet_error(&code, e)),
                    Err(e) => Err(ApiError::internal(e.to_string())),
                },
            )?;
        Ok(answer(
            "application/pdf",
            format!("{code}.cert.pdf"),
            issued.pdf,
        ))
    })
    .await
}
