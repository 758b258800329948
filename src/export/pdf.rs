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

use crate::export::svg::{Anchor, Page, TextItem};
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
    font: krilla::text::Font,
    data: Arc<Vec<u8>>,
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
        let mut all = fontdb::Database::new();
        all.load_font_source(fontdb::Source::Binary(Arc::new(data.clone())));
        let Some(face) = all
            .faces()
            .find(|f| f.families.iter().any(|(n, _)| n.contains(" SC")))
            .or_else(|| all.faces().next())
        else {
            return Err(PdfError::Font {
                path: path.display().to_string(),
                detail: "not a font file".into(),
            });
        };
        let bad = || PdfError::Font {
            path: path.display().to_string(),
            detail: "not an OpenType font".into(),
        };
        let lean = Arc::new(without_layout_tables(&data, face.index).ok_or_else(bad)?);
        let mut db = fontdb::Database::new();
        db.load_font_source(fontdb::Source::Binary(lean.clone()));
        let font = krilla::text::Font::new(lean.clone().into(), 0).ok_or_else(bad)?;
        Ok(Fonts {
            db: Arc::new(db),
            font,
            data: lean,
            path,
        })
    }

    /// The face, read for the widths of text.
    fn face(&self) -> Option<ttf_parser::Face<'_>> {
        ttf_parser::Face::parse(&self.data, 0).ok()
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

/// Tables a document's text does not need: glyph substitution and positioning (GSUB, GPOS)
/// and their baseline and justification companions. A shaper builds a plan from them for
/// every run of text; Noto Sans CJK's serve vertical writing and the Japanese, Korean and
/// traditional forms, which these documents never use, and building that plan took half
/// the time of a parcel map. Without them every character is its cmap glyph, which is what
/// horizontal simplified Chinese and Latin text needs.
const LAYOUT_TABLES: [&[u8; 4]; 4] = [b"GSUB", b"GPOS", b"BASE", b"JSTF"];

fn be16(b: &[u8], at: usize) -> Option<u16> {
    Some(u16::from_be_bytes(b.get(at..at + 2)?.try_into().ok()?))
}

fn be32(b: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_be_bytes(b.get(at..at + 4)?.try_into().ok()?))
}

/// Face `index` of an OpenType font or collection as a font file of its own, without the
/// [`LAYOUT_TABLES`]; `None` when the file is not laid out as OpenType says.
fn without_layout_tables(file: &[u8], index: u32) -> Option<Vec<u8>> {
    let start = if file.get(..4)? == b"ttcf" {
        let n = be32(file, 8)?;
        if index >= n {
            return None;
        }
        be32(file, 12 + 4 * index as usize)? as usize
    } else {
        0
    };
    let count = usize::from(be16(file, start + 4)?);
    let mut tables = Vec::with_capacity(count);
    for i in 0..count {
        let rec = start + 12 + 16 * i;
        let tag = file.get(rec..rec + 4)?;
        let (off, len) = (
            be32(file, rec + 8)? as usize,
            be32(file, rec + 12)? as usize,
        );
        let body = file.get(off..off.checked_add(len)?)?;
        if !LAYOUT_TABLES.iter().any(|t| t.as_slice() == tag) {
            tables.push((tag, be32(file, rec + 4)?, body));
        }
    }
    let n = u16::try_from(tables.len()).ok()?;
    let entry = 15 - n.leading_zeros() as u16;
    let range = (1u16 << entry) * 16;
    let mut out = Vec::with_capacity(file.len() / 2);
    out.extend_from_slice(file.get(start..start + 4)?);
    for v in [n, range, entry, n * 16 - range] {
        out.extend_from_slice(&v.to_be_bytes());
    }
    let mut at = 12 + 16 * tables.len();
    for (tag, sum, body) in &tables {
        out.extend_from_slice(tag);
        out.extend_from_slice(&sum.to_be_bytes());
        out.extend_from_slice(&u32::try_from(at).ok()?.to_be_bytes());
        out.extend_from_slice(&u32::try_from(body.len()).ok()?.to_be_bytes());
        at += body.len().next_multiple_of(4);
    }
    for (_, _, body) in &tables {
        out.extend_from_slice(body);
        out.resize(out.len().next_multiple_of(4), 0);
    }
    Some(out)
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

/// The PDF of `pages`: each page's drawing through the SVG renderer, its text set in the
/// font as whole strings (selectable, and a tenth of the content a glyph-by-glyph drawing
/// makes).
pub fn pdf(pages: &[Page], fonts: &Fonts, info: &DocInfo) -> Result<Vec<u8>, PdfError> {
    let opts = usvg::Options {
        fontdb: fonts.db.clone(),
        font_family: fonts.family(),
        ..usvg::Options::default()
    };
    let face = fonts.face().ok_or_else(|| PdfError::Font {
        path: fonts.path.display().to_string(),
        detail: "the font cannot be read back".into(),
    })?;
    let mut doc = Document::new();
    for (i, page) in pages.iter().enumerate() {
        let bad = |detail: String| PdfError::Svg {
            page: i + 1,
            detail,
        };
        let tree = usvg::Tree::from_str(&page.graphics, &opts).map_err(|e| bad(e.to_string()))?;
        let (w, h) = (page.size.0 as f32, page.size.1 as f32);
        let size =
            Size::from_wh(w * PT_PER_MM, h * PT_PER_MM).ok_or_else(|| bad("empty".into()))?;
        let mut p = doc.start_page_with(PageSettings::new(size));
        let mut surface = p.surface();
        surface
            .draw_svg(&tree, size, SvgSettings::default())
            .ok_or_else(|| bad("could not be drawn".into()))?;
        for t in &page.texts {
            set_text(&mut surface, &face, &fonts.font, t);
        }
        surface.finish();
        p.finish();
    }
    doc.set_metadata(metadata(info));
    doc.finish().map_err(|e| PdfError::Write(format!("{e:?}")))
}

/// `#rrggbb` as a colour; black when it is not one.
fn colour(hex: &str) -> krilla::color::rgb::Color {
    let h = hex.trim_start_matches('#');
    let c = |i: usize| {
        h.get(i..i + 2)
            .and_then(|x| u8::from_str_radix(x, 16).ok())
            .unwrap_or(0)
    };
    krilla::color::rgb::Color::new(c(0), c(2), c(4))
}

/// The width of `text` set at `size` (any unit): the sum of its glyphs' advances (the font
/// has no positioning tables, see [`LAYOUT_TABLES`]).
fn text_width(face: &ttf_parser::Face, text: &str, size: f32) -> f32 {
    let upem = f32::from(face.units_per_em());
    let units: u32 = text
        .chars()
        .filter_map(|c| face.glyph_index(c))
        .filter_map(|g| face.glyph_hor_advance(g))
        .map(u32::from)
        .sum();
    units as f32 / upem * size
}

/// One line of text on the page, at its anchor, turned and cut as the drawing says.
fn set_text(
    surface: &mut krilla::surface::Surface,
    face: &ttf_parser::Face,
    font: &krilla::text::Font,
    t: &TextItem,
) {
    let k = PT_PER_MM;
    let (x, y) = (t.at.0 as f32 * k, t.at.1 as f32 * k);
    let size = t.size as f32 * k;
    let mut pushed = 0;
    if let Some(((cx, cy), (cw, ch))) = t.clip
        && let Some(r) = krilla::geom::Rect::from_xywh(
            cx as f32 * k,
            cy as f32 * k,
            cw as f32 * k,
            ch as f32 * k,
        )
    {
        let mut b = krilla::geom::PathBuilder::new();
        b.push_rect(r);
        if let Some(path) = b.finish() {
            surface.push_clip_path(&path, &krilla::paint::FillRule::NonZero);
            pushed += 1;
        }
    }
    if t.angle.abs() > 1e-9 {
        surface.push_transform(&krilla::geom::Transform::from_rotate_at(
            t.angle as f32,
            x,
            y,
        ));
        pushed += 1;
    }
    let shift = match t.anchor {
        Anchor::Start => 0.0,
        Anchor::Middle => text_width(face, &t.text, size) / 2.0,
        Anchor::End => text_width(face, &t.text, size),
    };
    surface.set_fill(Some(krilla::paint::Fill {
        paint: colour(&t.colour).into(),
        ..Default::default()
    }));
    surface.draw_text(
        krilla::geom::Point::from_xy(x - shift, y),
        font.clone(),
        size,
        &t.text,
        false,
        krilla::text::TextDirection::Auto,
    );
    for _ in 0..pushed {
        surface.pop();
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_lean_face_keeps_every_glyph_and_drops_the_layout_tables() {
        let Some(path) = CJK_FONT_PLACES.iter().find(|p| Path::new(p).is_file()) else {
            panic!("no Noto Sans CJK: tools/test.sh installs fonts-noto-cjk");
        };
        let file = std::fs::read(path).unwrap();
        let lean = without_layout_tables(&file, 2).unwrap();
        let full = ttf_parser::Face::parse(&file, 2).unwrap();
        let face = ttf_parser::Face::parse(&lean, 0).unwrap();
        assert!(face.tables().gsub.is_none() && face.tables().gpos.is_none());
        assert!(full.tables().gsub.is_some());
        assert_eq!(face.number_of_glyphs(), full.number_of_glyphs());
        for c in "不动产权证书 3D Parcel Map ▽²³·—".chars() {
            assert_eq!(face.glyph_index(c), full.glyph_index(c), "{c}");
            assert!(face.glyph_index(c).is_some(), "{c}");
        }
    }
}
