//! The documents' speed on a 10,000-unit register (a GeoPackage), per unit, side by side:
//!
//! - reading a map's content from the register; drawing it (SVG);
//! - its PDF with the text set in the font as whole strings (Strata's way) against the
//!   baseline of the SVG renderer drawing the same page, text included, glyph by glyph;
//! - a certificate (record, seal, QR code, certificate page and map as PDF).
//!
//! The whole register's maps and certificates are timed with the commands (README).

use criterion::{Criterion, criterion_group, criterion_main};
use krilla::Document;
use krilla::geom::Size;
use krilla::page::PageSettings;
use krilla_svg::{SurfaceExt, SvgSettings};
use strata::export::certificate::issue;
use strata::export::certificate::seal::Ed25519Seal;
use strata::export::pdf::{DocInfo, Fonts, pdf};
use strata::export::sheet::{self, ParcelMap, Profile};
use strata::export::svg::Page;
use strata::generate::{DistrictOptions, district};
use strata::register::import::{ImportOptions, import_acts};
use strata::register::record::{Kind, Record};
use strata::register::rules::Options;
use strata::register::{Backend, Clock, Settings, SqliteRegister, record};

/// Units drawn per iteration, spread over the register.
const SAMPLE: usize = 20;

fn register(dir: &std::path::Path) -> SqliteRegister {
    let ds = district(&DistrictOptions {
        units: 10_000,
        conflict_every: 0,
        ..DistrictOptions::default()
    })
    .to_dataset();
    let acts = import_acts(
        &ds,
        &[],
        &ImportOptions {
            officer: "登簿人".into(),
            number_prefix: "B".into(),
            survey: "survey".into(),
        },
    );
    let settings = Settings {
        crs_epsg: Some(4548),
        ..Settings::default()
    };
    let mut reg = SqliteRegister::create(&dir.join("r.gpkg"), settings).unwrap();
    record(&mut reg, &acts, Clock::Now, &Options::default()).unwrap();
    reg
}

/// The baseline: the whole page, text included, through the SVG renderer.
fn pdf_by_renderer(pages: &[Page], fonts_db: &std::sync::Arc<fontdb::Database>) -> Vec<u8> {
    let opts = usvg::Options {
        fontdb: fonts_db.clone(),
        font_family: "Noto Sans CJK SC".into(),
        ..usvg::Options::default()
    };
    let mut doc = Document::new();
    for p in pages {
        let tree = usvg::Tree::from_str(&p.svg, &opts).unwrap();
        let k = 72.0 / 25.4;
        let size = Size::from_wh(p.size.0 as f32 * k, p.size.1 as f32 * k).unwrap();
        let mut page = doc.start_page_with(PageSettings::new(size));
        let mut s = page.surface();
        s.draw_svg(&tree, size, SvgSettings::default());
        s.finish();
        page.finish();
    }
    doc.finish().unwrap()
}

fn documents(c: &mut Criterion) {
    let dir = tempfile::tempdir().unwrap();
    let reg = register(dir.path());
    let mut units: Vec<String> = reg
        .live_of_kind(Kind::Unit)
        .unwrap()
        .into_iter()
        .filter(|(_, r)| matches!(r, Record::Unit(u) if u.volume.is_some()))
        .map(|(k, _)| k)
        .collect();
    units.sort();
    let step = (units.len() / SAMPLE).max(1);
    let sample: Vec<String> = units.into_iter().step_by(step).take(SAMPLE).collect();
    let prof = Profile::default();
    let fonts = Fonts::load(None).unwrap();
    let mut db = fontdb::Database::new();
    db.load_system_fonts();
    let db = std::sync::Arc::new(db);
    let seal = Ed25519Seal::from_secret([9; 32]);
    let info = |m: &ParcelMap| DocInfo {
        title: m.unit.code.clone(),
        id: m.unit.code.clone(),
        date: m.state_at,
    };
    let mut g = c.benchmark_group("documents_20_units_of_10k");
    g.sample_size(10);
    g.bench_function("map content read", |b| {
        b.iter(|| {
            for u in &sample {
                ParcelMap::read(&reg, u, &[]).unwrap();
            }
        })
    });
    g.bench_function("map drawn (SVG)", |b| {
        b.iter(|| {
            for u in &sample {
                sheet::draw(&ParcelMap::read(&reg, u, &[]).unwrap(), &prof);
            }
        })
    });
    g.bench_function("map PDF, text set as strings", |b| {
        b.iter(|| {
            for u in &sample {
                let m = ParcelMap::read(&reg, u, &[]).unwrap();
                pdf(&sheet::draw(&m, &prof), &fonts, &info(&m)).unwrap();
            }
        })
    });
    g.bench_function("map PDF, baseline: the SVG renderer's glyphs", |b| {
        b.iter(|| {
            for u in &sample {
                let m = ParcelMap::read(&reg, u, &[]).unwrap();
                pdf_by_renderer(&sheet::draw(&m, &prof), &db);
            }
        })
    });
    g.bench_function("certificate (record, seal, QR, PDF)", |b| {
        b.iter(|| {
            for u in &sample {
                issue(&reg, u, &prof, &seal, &fonts).unwrap();
            }
        })
    });
    g.finish();
}

criterion_group!(benches, documents);
criterion_main!(benches);
