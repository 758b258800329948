//! SVG pages to one PDF, with the text kept as text (selectable, found by `pdftotext`) in an
//! embedded subset of a CJK font, and the same bytes for the same pages: the document's date
//! and identifier are given, never read from the clock.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use krilla::Document;
use krilla::geom::Size;
use krilla::metadata::{DateTime, Metadata};
use krilla::page::PageSettings;
use krilla_svg::{SurfaceExt, SvgSettings};
use thiserror::Error;

/// Where the distributions put Noto Sans CJK (Debian's `fonts-noto-cjk` first).
pub const CJK_FONT_PLACES: [&str; 4] = [
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/noto-cjk/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/google-noto-cjk/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/truetype/noto/NotoSansCJK-Regular.ttc",
];

/// Points per millimetre: a PDF page is measured in points of 1/72 inch.
const PT_PER_MM: f32 = 72.0 / 25.4;

/// Why a PDF could not be made.
#[derive(Debug, Error)]
pub enum PdfError {
    /// No font with CJK glyphs was found.
    #[error(
        "no CJK font: install Noto Sans CJK (Debian: apt-get install fonts-noto-cjk) or name a font file in the office profile (looked in {looked})"
    )]
    NoFont {
        /// The places searched.
        looked: String,
    },
    /// The font file could not be read.
    #[error("font {path}: {detail}")]
    Font {
        /// The font file.
        path: String,
        /// Why.
        detail: String,
    },
    /// A page is not valid SVG (a defect of the drawing, not of the input).
    #[error("page {page}: {detail}")]
    Svg {
        /// The page, from 1.
        page: usize,
        /// Why.
        detail: String,
    },
    /// The PDF writer failed.
    #[error("PDF: {0}")]
    Write(String),
}

/// The fonts a document is set in, loaded once and shared by every document made with them.
#[derive(Debug, Clone)]
pub struct Fonts {
    db: Arc<fontdb::Database>,
    /// The file they came from.
    pub path: PathBuf,
}

impl Fonts {
    /// The font file `path`, or when `None` the first of [`CJK_FONT_PLACES`] present.
    pub fn load(path: Option<&Path>) -> Result<Fonts, PdfError> {
        let path = match path {
            Some(p) => p.to_path_buf(),
            None => CJK_FONT_PLACES
                .iter()
                .map(PathBuf::from)
                .find(|p| p.is_file())
                .ok_or_else(|| PdfError::NoFont {
                    looked: CJK_FONT_PLACES.join(", "),
                })?,
        };
        let data = std::fs::read(&path).map_err(|e| PdfError::Font {
            path: path.display().to_string(),
            detail: e.to_string(),
        })?;
        let mut db = fontdb::Database::new();
        db.load_font_source(fontdb::Source::Binary(Arc::new(data)));
        if db.is_empty() {
            return Err(PdfError::Font {
                path: path.display().to_string(),
                detail: "not a font file".into(),
            });
        }
        Ok(Fonts {
            db: Arc::new(db),
            path,
        })
    }

    /// The family every text falls back to: the first face's.
    fn family(&self) -> String {
        self.db
            .faces()
            .find(|f| f.families.iter().any(|(n, _)| n.contains("SC")))
            .or_else(|| self.db.faces().next())
            .and_then(|f| f.families.first().map(|(n, _)| n.clone()))
            .unwrap_or_else(|| "sans-serif".into())
    }
}

/// What the document says of itself.
#[derive(Debug, Clone, PartialEq)]
pub struct DocInfo {
    /// Its title.
    pub title: String,
    /// A stable identifier (the same for the same document).
    pub id: String,
    /// Its date: the register state it shows, never the clock.
    pub date: jiff::Timestamp,
}

/// The PDF of `pages` (SVG documents sized in millimetres).
pub fn pdf(pages: &[String], fonts: &Fonts, info: &DocInfo) -> Result<Vec<u8>, PdfError> {
    let opts = usvg::Options {
        fontdb: fonts.db.clone(),
        font_family: fonts.family(),
        ..usvg::Options::default()
    };
    let mut doc = Document::new();
    for (i, page) in pages.iter().enumerate() {
        let bad = |detail: String| PdfError::Svg {
            page: i + 1,
            detail,
        };
        let tree = usvg::Tree::from_str(page, &opts).map_err(|e| bad(e.to_string()))?;
        let (w, h) = mm_size(page).ok_or_else(|| bad("no size in millimetres".into()))?;
        let size =
            Size::from_wh(w * PT_PER_MM, h * PT_PER_MM).ok_or_else(|| bad("empty".into()))?;
        let settings = PageSettings::new(size);
        let mut p = doc.start_page_with(settings);
        let mut surface = p.surface();
        surface
            .draw_svg(&tree, size, SvgSettings::default())
            .ok_or_else(|| bad("could not be drawn".into()))?;
        surface.finish();
        p.finish();
    }
    doc.set_metadata(metadata(info));
    doc.finish().map_err(|e| PdfError::Write(format!("{e:?}")))
}

fn metadata(info: &DocInfo) -> Metadata {
    let t = info.date.to_zoned(jiff::tz::TimeZone::UTC);
    let date = DateTime::new(t.year() as u16)
        .month(t.month() as u8)
        .day(t.day() as u8)
        .hour(t.hour() as u8)
        .minute(t.minute() as u8)
        .second(t.second() as u8)
        .utc_offset_hour(0)
        .utc_offset_minute(0);
    Metadata::new()
        .title(info.title.clone())
        .creator("Strata".into())
        .producer("Strata".into())
        .creation_date(date)
        .document_id(info.id.clone())
}

/// The `width="…mm" height="…mm"` of an SVG document.
fn mm_size(svg: &str) -> Option<(f32, f32)> {
    let start = svg.find("<svg")?;
    let head = &svg[start..start + svg[start..].find('>')?];
    let attr = |name: &str| -> Option<f32> {
        let at = head.find(&format!(" {name}=\""))? + name.len() + 3;
        let rest = &head[at..];
        rest[..rest.find("mm\"")?].parse().ok()
    };
    Some((attr("width")?, attr("height")?))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_size_is_read_in_millimetres() {
        let s = "<?xml version=\"1.0\"?>\n<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"420mm\" height=\"297mm\" viewBox=\"0 0 420 297\">";
        assert_eq!(mm_size(s), Some((420.0, 297.0)));
        assert_eq!(mm_size("<svg width=\"10\" height=\"5\">"), None);
    }
}
