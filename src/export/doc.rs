//! Documents of text and tables (register pages, certificates) flowed onto pages: headings,
//! rows of cells wrapped to their column, a new page when one is full, every page framed 2 cm
//! inside the paper with the document's running header and its page number.

use crate::export::svg::{Anchor, Mm, Page, Style, Svg};

/// The frame's distance from the paper's edge (mm), as on the parcel map.
pub const MARGIN_MM: f64 = 20.0;

/// Width of a character of text `size` mm high: CJK glyphs are square, Latin ones about half
/// as wide (Noto Sans CJK's proportions, rounded up so that text never runs over its cell).
pub fn char_width(c: char, size: f64) -> f64 {
    if c.is_ascii() { size * 0.56 } else { size }
}

/// Splits `text` into lines no wider than `width` mm at text size `size`, at spaces where it
/// can, anywhere in CJK text.
///
/// ```
/// use strata::export::doc::wrap;
/// assert_eq!(wrap("不动产权证书", 3.0, 10.0), ["不动产", "权证书"]);
/// assert_eq!(wrap("open space", 2.0, 8.0), ["open", "space"]);
/// assert_eq!(wrap("", 2.0, 12.0), [""]);
/// ```
pub fn wrap(text: &str, size: f64, width: f64) -> Vec<String> {
    let mut lines = Vec::new();
    for para in text.split('\n') {
        let mut line = String::new();
        let mut w = 0.0;
        let mut last_space: Option<usize> = None;
        for c in para.chars() {
            let cw = char_width(c, size);
            if w + cw > width && !line.is_empty() {
                match last_space.filter(|_| c != ' ') {
                    Some(at) => {
                        let rest = line.split_off(at);
                        lines.push(line.trim_end().to_string());
                        line = rest.trim_start().to_string();
                    }
                    None => lines.push(std::mem::take(&mut line).trim_end().to_string()),
                }
                w = line.chars().map(|c| char_width(c, size)).sum();
                last_space = None;
                if c == ' ' {
                    continue;
                }
            }
            if c == ' ' {
                last_space = Some(line.len());
            }
            line.push(c);
            w += cw;
        }
        lines.push(line);
    }
    lines
}

/// A document being flowed onto pages.
#[derive(Debug)]
pub struct Doc {
    paper: Mm,
    header: String,
    title: String,
    /// The text size (mm).
    pub text: f64,
    done: Vec<Page>,
    page: Svg,
    y: f64,
}

impl Doc {
    /// A document on `paper` (mm), its pages headed by `header`.
    pub fn new(paper: Mm, title: &str, header: &str) -> Doc {
        let mut d = Doc {
            paper,
            header: header.to_string(),
            title: title.to_string(),
            text: 2.6,
            done: Vec::new(),
            page: Svg::new(paper),
            y: 0.0,
        };
        d.start_page();
        d
    }

    /// The width of the text area (mm).
    pub fn width(&self) -> f64 {
        self.paper.0 - 2.0 * MARGIN_MM
    }

    fn bottom(&self) -> f64 {
        self.paper.1 - MARGIN_MM - self.text * 2.0
    }

    fn start_page(&mut self) {
        let n = self.done.len() + 1;
        let t = self.text;
        let (w, h) = (self.width(), self.paper.1 - 2.0 * MARGIN_MM);
        let at = (MARGIN_MM, MARGIN_MM);
        self.page.rect(
            at,
            (w, h),
            &Style {
                width: 0.4,
                ..Style::LINE
            },
        );
        let y = MARGIN_MM + t * 1.6;
        self.page.text(
            (MARGIN_MM + 2.0, y),
            t * 0.8,
            Anchor::Start,
            0.0,
            &self.header,
        );
        let no = format!("第 {n} 页 Page {n}");
        self.page
            .text((MARGIN_MM + w - 2.0, y), t * 0.8, Anchor::End, 0.0, &no);
        self.y = y + t * 1.4;
    }

    fn break_page(&mut self) {
        let page = std::mem::replace(&mut self.page, Svg::new(self.paper));
        let n = self.done.len() + 1;
        self.done
            .push(page.finish(&format!("{} ({n})", self.title)));
        self.start_page();
    }

    /// Room for `h` mm more on this page, else a new page.
    pub fn need(&mut self, h: f64) {
        if self.y + h > self.bottom() {
            self.break_page();
        }
    }

    /// The place the next line goes, and the sheet it goes on (for drawings in the flow).
    pub fn cursor(&mut self) -> (f64, &mut Svg) {
        (self.y, &mut self.page)
    }

    /// Moves the flow down by `h` mm.
    pub fn advance(&mut self, h: f64) {
        self.y += h;
    }

    /// A title line, centred, `scale` times the text size.
    pub fn title(&mut self, text: &str, scale: f64) {
        let size = self.text * scale;
        self.need(size * 1.8);
        let x = MARGIN_MM + self.width() / 2.0;
        self.page
            .text((x, self.y + size), size, Anchor::Middle, 0.0, text);
        self.y += size * 1.8;
    }

    /// A section heading.
    pub fn heading(&mut self, text: &str) {
        let size = self.text * 1.15;
        self.need(size * 2.6 + self.text * 2.0);
        self.y += size * 0.6;
        self.page.text(
            (MARGIN_MM + 2.0, self.y + size),
            size,
            Anchor::Start,
            0.0,
            text,
        );
        self.y += size * 1.7;
    }

    /// Rows of cells in columns `widths` (fractions of the text width, summing to 1); each
    /// cell wraps within its column; a row that does not fit goes to the next page, where
    /// the first row (when `header`) is repeated.
    pub fn table(&mut self, widths: &[f64], rows: &[Vec<String>], header: bool) {
        let size = self.text * 0.85;
        let line = size * 1.45;
        let x0 = MARGIN_MM + 2.0;
        let total = self.width() - 4.0;
        let cols: Vec<f64> = widths.iter().map(|f| f * total).collect();
        let wrapped: Vec<Vec<Vec<String>>> = rows
            .iter()
            .map(|r| {
                r.iter()
                    .zip(&cols)
                    .map(|(c, w)| wrap(c, size, w - 1.6))
                    .collect()
            })
            .collect();
        for (i, cells) in wrapped.iter().enumerate() {
            let n = cells.iter().map(Vec::len).max().unwrap_or(1).max(1);
            let h = n as f64 * line + size * 0.5;
            if self.y + h > self.bottom() {
                self.break_page();
                if header && i > 0 {
                    self.row(x0, &cols, &wrapped[0], line, size);
                }
            }
            self.row(x0, &cols, cells, line, size);
        }
    }

    fn row(&mut self, x0: f64, cols: &[f64], cells: &[Vec<String>], line: f64, size: f64) {
        let n = cells.iter().map(Vec::len).max().unwrap_or(1).max(1);
        let h = n as f64 * line + size * 0.5;
        let total: f64 = cols.iter().sum();
        let thin = Style {
            width: 0.12,
            ..Style::LINE
        };
        self.page.rect((x0, self.y), (total, h), &thin);
        let mut x = x0;
        for (lines, w) in cells.iter().zip(cols) {
            if x > x0 {
                self.page.line((x, self.y), (x, self.y + h), &thin);
            }
            for (k, l) in lines.iter().enumerate() {
                let at = (x + 0.8, self.y + size * 0.25 + (k as f64 + 0.8) * line);
                self.page.text(at, size, Anchor::Start, 0.0, l);
            }
            x += w;
        }
        self.y += h;
    }

    /// Label–value rows in two columns.
    pub fn fields(&mut self, rows: &[(String, String)]) {
        let rows: Vec<Vec<String>> = rows
            .iter()
            .map(|(a, b)| vec![a.clone(), b.clone()])
            .collect();
        self.table(&[0.3, 0.7], &rows, false);
    }

    /// The pages.
    pub fn finish(mut self) -> Vec<Page> {
        let page = std::mem::replace(&mut self.page, Svg::new(self.paper));
        let n = self.done.len() + 1;
        self.done
            .push(page.finish(&format!("{} ({n})", self.title)));
        self.done
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_long_table_flows_onto_pages_with_its_header_repeated() {
        let mut d = Doc::new((210.0, 297.0), "t", "header");
        let mut rows = vec![vec!["点号".to_string(), "value".to_string()]];
        rows.extend((0..200).map(|i| vec![format!("J{i}"), "x".repeat(i % 50)]));
        d.table(&[0.5, 0.5], &rows, true);
        let pages = d.finish();
        assert!(pages.len() > 3, "{}", pages.len());
        for p in &pages[1..] {
            assert!(p.svg.contains(">点号<"), "the header on every page");
        }
        assert!(pages.last().is_some_and(|p| p.svg.contains(">J199<")));
    }

    #[test]
    fn wrapped_lines_fit_their_width() {
        let text = "权利其他状况 Other conditions: 地下 under, 上界 47.500 m 下界 36.000 m (1985国家高程基准)";
        for w in [20.0, 35.0, 80.0] {
            for l in wrap(text, 2.0, w) {
                let lw: f64 = l.chars().map(|c| char_width(c, 2.0)).sum();
                assert!(lw <= w + 1e-9, "{l}: {lw} > {w}");
            }
        }
        let joined: String = wrap(text, 2.0, 35.0).concat();
        assert_eq!(
            joined.replace(' ', ""),
            text.replace(' ', ""),
            "nothing lost"
        );
    }
}
