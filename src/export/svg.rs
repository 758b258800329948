//! A small SVG writer in sheet millimetres: the drawing primitives of a parcel map, written
//! with fixed decimals so that the same map gives the same bytes. Beside the SVG it keeps the
//! page's text as items, so that the PDF writer sets whole strings in the font instead of
//! the glyph-by-glyph drawing an SVG renderer makes of them.

use std::fmt::Write as _;

/// The font families asked for, the CJK one first.
pub const FONT_FAMILY: &str = "Noto Sans CJK SC, Noto Sans SC, Source Han Sans SC, sans-serif";

/// A point on the sheet, millimetres from the top-left corner.
pub type Mm = (f64, f64);

/// How text is anchored at its point.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Anchor {
    /// At its start.
    Start,
    /// At its middle.
    Middle,
    /// At its end.
    End,
}

/// Stroke and fill of a shape.
#[derive(Debug, Clone, PartialEq)]
pub struct Style<'a> {
    /// Stroke colour, `none` for none.
    pub stroke: &'a str,
    /// Stroke width, mm.
    pub width: f64,
    /// Fill colour, `none` for none.
    pub fill: &'a str,
    /// Fill opacity.
    pub opacity: f64,
    /// Dash pattern, mm (empty: solid).
    pub dash: &'a str,
}

impl Style<'static> {
    /// A plain black line.
    pub const LINE: Style<'static> = Style {
        stroke: "#000000",
        width: 0.18,
        fill: "none",
        opacity: 1.0,
        dash: "",
    };
}

/// A line of text on a page.
#[derive(Debug, Clone, PartialEq)]
pub struct TextItem {
    /// Its anchor point, mm.
    pub at: Mm,
    /// Its size (the em), mm.
    pub size: f64,
    /// How it hangs on its point.
    pub anchor: Anchor,
    /// Its turn, degrees clockwise on the sheet.
    pub angle: f64,
    /// Its colour, `#rrggbb`.
    pub colour: String,
    /// The text.
    pub text: String,
    /// The rectangle it is cut to (top-left corner and size), if any.
    pub clip: Option<(Mm, Mm)>,
}

/// A finished page: the SVG document, the same drawing without its text, and the text.
#[derive(Debug, Clone, PartialEq)]
pub struct Page {
    /// The SVG document.
    pub svg: String,
    /// The SVG document without its text.
    pub graphics: String,
    /// Its text.
    pub texts: Vec<TextItem>,
    /// Its size, mm.
    pub size: Mm,
}

/// An SVG document being written.
#[derive(Debug, Clone)]
pub struct Svg {
    body: String,
    graphics: String,
    texts: Vec<TextItem>,
    clip_stack: Vec<(Mm, Mm)>,
    clips: usize,
    size: Mm,
}

/// A number with two decimals (a hundredth of a millimetre), without `-0.00`.
pub fn n(v: f64) -> String {
    let s = format!("{v:.2}");
    if s == "-0.00" { "0.00".into() } else { s }
}

/// Text with the characters XML reserves escaped.
pub fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

impl Svg {
    /// An empty sheet of `size` millimetres.
    pub fn new(size: Mm) -> Svg {
        Svg {
            body: String::new(),
            graphics: String::new(),
            texts: Vec::new(),
            clip_stack: Vec::new(),
            clips: 0,
            size,
        }
    }

    /// Writes drawing (not text) into both the document and its graphics.
    fn draw(&mut self, s: &str) {
        self.body.push_str(s);
        self.graphics.push_str(s);
    }

    fn style(s: &Style) -> String {
        let mut out = format!(
            "stroke=\"{}\" stroke-width=\"{}\" fill=\"{}\"",
            s.stroke,
            n(s.width),
            s.fill
        );
        if s.fill != "none" && s.opacity < 1.0 {
            let _ = write!(out, " fill-opacity=\"{}\"", n(s.opacity));
        }
        if !s.dash.is_empty() {
            let _ = write!(out, " stroke-dasharray=\"{}\"", s.dash);
        }
        out
    }

    /// A rectangle.
    pub fn rect(&mut self, at: Mm, size: Mm, s: &Style) {
        let e = format!(
            "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" {}/>",
            n(at.0),
            n(at.1),
            n(size.0),
            n(size.1),
            Self::style(s)
        );
        self.draw(&e);
    }

    /// A straight line.
    pub fn line(&mut self, a: Mm, b: Mm, s: &Style) {
        let e = format!(
            "<line x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\" {}/>",
            n(a.0),
            n(a.1),
            n(b.0),
            n(b.1),
            Self::style(s)
        );
        self.draw(&e);
    }

    /// Closed rings as one path, filled by the even-odd rule (holes stay open).
    pub fn rings(&mut self, rings: &[Vec<Mm>], s: &Style) {
        let mut d = String::new();
        for r in rings.iter().filter(|r| r.len() >= 2) {
            for (i, p) in r.iter().enumerate() {
                let _ = write!(
                    d,
                    "{}{} {} ",
                    if i == 0 { 'M' } else { 'L' },
                    n(p.0),
                    n(p.1)
                );
            }
            d.push_str("Z ");
        }
        if d.is_empty() {
            return;
        }
        let e = format!(
            "<path d=\"{}\" fill-rule=\"evenodd\" stroke-linejoin=\"round\" {}/>\n",
            d.trim_end(),
            Self::style(s)
        );
        self.draw(&e);
    }

    /// A small filled circle.
    pub fn dot(&mut self, at: Mm, r: f64, colour: &str) {
        let e = format!(
            "<circle cx=\"{}\" cy=\"{}\" r=\"{}\" fill=\"{colour}\" stroke=\"none\"/>\n",
            n(at.0),
            n(at.1),
            n(r)
        );
        self.draw(&e);
    }

    /// Text of `size` mm at `at`, turned by `angle` degrees (clockwise on the sheet).
    pub fn text(&mut self, at: Mm, size: f64, anchor: Anchor, angle: f64, t: &str) {
        self.text_in(at, size, anchor, angle, "#000000", t);
    }

    fn text_in(&mut self, at: Mm, size: f64, anchor: Anchor, angle: f64, colour: &str, t: &str) {
        let a = match anchor {
            Anchor::Start => "start",
            Anchor::Middle => "middle",
            Anchor::End => "end",
        };
        let turn = if angle.abs() > 1e-9 {
            format!(
                " transform=\"rotate({} {} {})\"",
                n(angle),
                n(at.0),
                n(at.1)
            )
        } else {
            String::new()
        };
        let fill = if colour == "#000000" {
            String::new()
        } else {
            format!(" fill=\"{colour}\"")
        };
        let _ = writeln!(
            self.body,
            "<text x=\"{}\" y=\"{}\" font-size=\"{}\" text-anchor=\"{a}\"{fill}{turn}>{}</text>",
            n(at.0),
            n(at.1),
            n(size),
            escape(t)
        );
        self.texts.push(TextItem {
            at,
            size,
            anchor,
            angle,
            colour: colour.to_string(),
            text: t.to_string(),
            clip: self.clip_stack.last().copied(),
        });
    }

    /// Text in a given colour.
    pub fn text_coloured(&mut self, at: Mm, size: f64, anchor: Anchor, colour: &str, t: &str) {
        self.text_in(at, size, anchor, 0.0, colour, t);
    }

    /// Starts a group drawn only inside a rectangle; end it with [`Svg::end_group`].
    pub fn clip_to(&mut self, at: Mm, size: Mm) {
        self.clips += 1;
        self.clip_stack.push((at, size));
        let e = format!(
            "<clipPath id=\"c{}\"><rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\"/></clipPath>\n<g clip-path=\"url(#c{})\">",
            self.clips,
            n(at.0),
            n(at.1),
            n(size.0),
            n(size.1),
            self.clips
        );
        self.draw(&e);
    }

    /// Ends the group [`Svg::clip_to`] started.
    pub fn end_group(&mut self) {
        self.clip_stack.pop();
        self.draw("</g>\n");
    }

    /// The page.
    pub fn finish(self, title: &str) -> Page {
        let (w, h) = self.size;
        let doc = |body: &str| {
            format!(
                "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{w}mm\" height=\"{h}mm\" viewBox=\"0 0 {w} {h}\" font-family=\"{FONT_FAMILY}\">\n<title>{}</title>\n<rect x=\"0\" y=\"0\" width=\"{w}\" height=\"{h}\" fill=\"#ffffff\"/>\n{body}</svg>\n",
                escape(title)
            )
        };
        Page {
            svg: doc(&self.body),
            graphics: doc(&self.graphics),
            texts: self.texts,
            size: self.size,
        }
    }
}
