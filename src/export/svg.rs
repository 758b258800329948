//! A small SVG writer in sheet millimetres: the drawing primitives of a parcel map, written
//! with fixed decimals so that the same map gives the same bytes.

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

/// An SVG document being written.
#[derive(Debug, Clone)]
pub struct Svg {
    body: String,
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
            clips: 0,
            size,
        }
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
        let _ = writeln!(
            self.body,
            "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" {}/>",
            n(at.0),
            n(at.1),
            n(size.0),
            n(size.1),
            Self::style(s)
        );
    }

    /// A straight line.
    pub fn line(&mut self, a: Mm, b: Mm, s: &Style) {
        let _ = writeln!(
            self.body,
            "<line x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\" {}/>",
            n(a.0),
            n(a.1),
            n(b.0),
            n(b.1),
            Self::style(s)
        );
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
        let _ = writeln!(
            self.body,
            "<path d=\"{}\" fill-rule=\"evenodd\" stroke-linejoin=\"round\" {}/>",
            d.trim_end(),
            Self::style(s)
        );
    }

    /// A small filled circle.
    pub fn dot(&mut self, at: Mm, r: f64, colour: &str) {
        let _ = writeln!(
            self.body,
            "<circle cx=\"{}\" cy=\"{}\" r=\"{}\" fill=\"{colour}\" stroke=\"none\"/>",
            n(at.0),
            n(at.1),
            n(r)
        );
    }

    /// Text of `size` mm at `at`, turned by `angle` degrees (clockwise on the sheet).
    pub fn text(&mut self, at: Mm, size: f64, anchor: Anchor, angle: f64, t: &str) {
        let anchor = match anchor {
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
        let _ = writeln!(
            self.body,
            "<text x=\"{}\" y=\"{}\" font-size=\"{}\" text-anchor=\"{anchor}\"{turn}>{}</text>",
            n(at.0),
            n(at.1),
            n(size),
            escape(t)
        );
    }

    /// Text in a given colour.
    pub fn text_coloured(&mut self, at: Mm, size: f64, anchor: Anchor, colour: &str, t: &str) {
        let _ = write!(self.body, "<g fill=\"{colour}\">");
        self.text(at, size, anchor, 0.0, t);
        self.body.push_str("</g>\n");
    }

    /// Starts a group drawn only inside a rectangle; end it with [`Svg::end_group`].
    pub fn clip_to(&mut self, at: Mm, size: Mm) {
        self.clips += 1;
        let _ = writeln!(
            self.body,
            "<clipPath id=\"c{}\"><rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\"/></clipPath>\n<g clip-path=\"url(#c{})\">",
            self.clips,
            n(at.0),
            n(at.1),
            n(size.0),
            n(size.1),
            self.clips
        );
    }

    /// Ends a group.
    pub fn end_group(&mut self) {
        self.body.push_str("</g>\n");
    }

    /// The document.
    pub fn finish(self, title: &str) -> String {
        let (w, h) = self.size;
        format!(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{w}mm\" height=\"{h}mm\" viewBox=\"0 0 {w} {h}\" font-family=\"{FONT_FAMILY}\">\n<title>{}</title>\n<rect x=\"0\" y=\"0\" width=\"{w}\" height=\"{h}\" fill=\"#ffffff\"/>\n{}</svg>\n",
            escape(title),
            self.body
        )
    }
}
