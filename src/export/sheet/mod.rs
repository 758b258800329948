//! The 3D parcel map (三维宗地图) of a registered unit: a sheet at a true scale with the title
//! block, the plan, two or more vertical sections, the axonometric view among the
//! neighbours, the 六至 table and the boundary-point table, as SVG pages (and PDF through
//! [`crate::export::pdf`]).
//!
//! The content ([`content::ParcelMap`]) is read from the register; the drawing only places
//! it on the sheet, so that every number on the sheet is the register's.

pub mod content;
pub mod layout;
pub mod points;
pub mod profile;
pub mod tables;
mod views;

use thiserror::Error;

use crate::register::RegisterError;

pub use content::ParcelMap;

/// What a map's PDF says of itself: fixed by the register state, so the same state gives the
/// same bytes.
pub fn doc_info(map: &ParcelMap) -> crate::export::pdf::DocInfo {
    crate::export::pdf::DocInfo {
        title: format!("三维宗地图 3D parcel map {}", map.unit.code),
        id: format!("strata-map-{}-{}", map.unit.code, map.state_at),
        date: map.state_at,
    }
}
pub use profile::{Paper, Profile};

use crate::export::svg::{Anchor, Page, Style, Svg};
use layout::Layout;
use tables::Scales;

/// Why a sheet could not be made.
#[derive(Debug, Error)]
pub enum SheetError {
    /// The register could not be read.
    #[error(transparent)]
    Register(#[from] RegisterError),
    /// The unit is not registered, or has no volume.
    #[error("unit {unit}: not in the register (or registered without a volume)")]
    NotRegistered {
        /// The unit code asked for.
        unit: String,
    },
    /// The office profile is unreadable or wrong.
    #[error("{path}: {detail}")]
    Profile {
        /// The profile file.
        path: String,
        /// What is wrong, naming the field.
        detail: String,
    },
    /// The PDF could not be made.
    #[error(transparent)]
    Pdf(#[from] crate::export::pdf::PdfError),
}

/// The sheet of a parcel map as pages: the map, then as many continuation pages of
/// the boundary-point table as its points need.
pub fn draw(map: &ParcelMap, prof: &Profile) -> Vec<Page> {
    let lay = Layout::of(prof.paper);
    let t = lay.text;
    let mut svg = Svg::new(lay.paper);
    frame(&mut svg, &lay, map, 1);
    let scale = views::plan(&mut svg, &lay.plan, t, map, prof);
    views::axon(&mut svg, &lay.axon, t, map, prof);
    for (panel, s) in lay.sections.iter().zip(&map.sections) {
        views::section(&mut svg, panel, t, s, prof);
    }
    let tp = lay.tables;
    let rows = tables::title_rows(map, prof, Scales { plan: scale });
    let mut y = tp.at.1 + tables::title_block(&mut svg, &tp, t, &rows) + t;
    y += tables::sixto_table(&mut svg, (tp.at.0, y), tp.size.0, t, map) + t;
    let (header, points) = tables::point_rows(map);
    let bottom = tp.at.1 + tp.size.1;
    let mut done = tables::point_table(
        &mut svg,
        (tp.at.0, y),
        tp.size.0,
        bottom,
        t,
        &header,
        &points,
    );
    let title = format!("三维宗地图 3D parcel map {}", map.unit.code);
    let mut pages = vec![svg.finish(&title)];
    while done < points.len() {
        let mut more = Svg::new(lay.paper);
        frame(&mut more, &lay, map, pages.len() + 1);
        let body = lay.frame.inset(t);
        let at = (body.at.0, lay.heading.at.1 + lay.heading.size.1 + t);
        let w = body.size.0.min(lay.tables.size.0 * 1.6);
        done += tables::point_table(
            &mut more,
            at,
            w,
            body.at.1 + body.size.1,
            t,
            &header,
            &points[done..],
        );
        pages.push(more.finish(&format!("{title} ({})", pages.len() + 1)));
    }
    pages
}

/// The frame and the heading band of page `n`.
fn frame(svg: &mut Svg, lay: &Layout, map: &ParcelMap, n: usize) {
    let t = lay.text;
    let f = lay.frame;
    svg.rect(
        f.at,
        f.size,
        &Style {
            width: 0.5,
            ..Style::LINE
        },
    );
    let h = lay.heading;
    svg.rect(h.at, h.size, &Style::LINE);
    let mid = h.at.1 + h.size.1 * 0.62;
    svg.text(
        (h.at.0 + h.size.0 / 2.0, mid),
        t * 2.0,
        Anchor::Middle,
        0.0,
        "三维宗地图 3D Parcel Map",
    );
    let code = crate::register::page::grouped(&map.unit.code);
    svg.text((h.at.0 + 2.0, mid), t * 1.1, Anchor::Start, 0.0, &code);
    svg.text(
        (h.at.0 + h.size.0 - 2.0, mid),
        t * 1.1,
        Anchor::End,
        0.0,
        &format!("第 {n} 页 Sheet {n}"),
    );
}
