//! Where things go on a sheet: the frame 2 cm inside the paper's edge, the panels of the
//! views and the tables, and the true scale of a view chosen from the standard series.

use super::profile::Paper;
use crate::export::svg::Mm;

/// The frame's distance from the paper's edge (mm): TD/T 1001 asks for at least 2 cm.
pub const FRAME_MARGIN_MM: f64 = 20.0;

/// The standard scales, largest first (1:N).
pub const SCALES: [u32; 12] = [
    50, 100, 200, 500, 1000, 2000, 5000, 10_000, 20_000, 50_000, 100_000, 200_000,
];

/// Room (mm) kept free around a view inside its panel, for labels.
pub const VIEW_PADDING_MM: f64 = 9.0;

/// A rectangle on the sheet.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Panel {
    /// Top-left corner.
    pub at: Mm,
    /// Width and height.
    pub size: Mm,
}

impl Panel {
    /// The rectangle shrunk by `d` on every side.
    pub fn inset(&self, d: f64) -> Panel {
        Panel {
            at: (self.at.0 + d, self.at.1 + d),
            size: (
                (self.size.0 - 2.0 * d).max(1.0),
                (self.size.1 - 2.0 * d).max(1.0),
            ),
        }
    }

    /// Its centre.
    pub fn centre(&self) -> Mm {
        (self.at.0 + self.size.0 / 2.0, self.at.1 + self.size.1 / 2.0)
    }
}

/// The panels of a sheet.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Layout {
    /// The paper.
    pub paper: Mm,
    /// The frame.
    pub frame: Panel,
    /// The heading band.
    pub heading: Panel,
    /// The plan view.
    pub plan: Panel,
    /// The axonometric view.
    pub axon: Panel,
    /// The two section panels.
    pub sections: [Panel; 2],
    /// The column of tables on the right.
    pub tables: Panel,
    /// The base text size (mm).
    pub text: f64,
}

impl Layout {
    /// The layout of a sheet of `paper`.
    pub fn of(paper: Paper) -> Layout {
        let (w, h) = paper.size_mm();
        let m = FRAME_MARGIN_MM;
        let frame = Panel {
            at: (m, m),
            size: (w - 2.0 * m, h - 2.0 * m),
        };
        let text = if paper == Paper::A3 { 2.2 } else { 1.6 };
        let head = text * 5.0;
        let tables_w = (frame.size.0 * 0.34).round();
        let left_w = frame.size.0 - tables_w;
        let body_h = frame.size.1 - head;
        let (cw, ch) = (left_w / 2.0, body_h / 2.0);
        let (x0, y0) = (frame.at.0, frame.at.1 + head);
        let cell = |i: f64, j: f64| Panel {
            at: (x0 + i * cw, y0 + j * ch),
            size: (cw, ch),
        };
        Layout {
            paper: (w, h),
            frame,
            heading: Panel {
                at: frame.at,
                size: (frame.size.0, head),
            },
            plan: cell(0.0, 0.0),
            axon: cell(1.0, 0.0),
            sections: [cell(0.0, 1.0), cell(1.0, 1.0)],
            tables: Panel {
                at: (x0 + left_w, y0),
                size: (tables_w, body_h),
            },
            text,
        }
    }
}

/// The largest standard scale at which `extent` metres fit in `room` millimetres (both
/// directions); the smallest of the series when nothing fits.
///
/// ```
/// use strata::export::sheet::layout::fit_scale;
/// assert_eq!(fit_scale((60.0, 40.0), (140.0, 110.0)), 500);
/// assert_eq!(fit_scale((60.0, 40.0), (400.0, 300.0)), 200);
/// ```
pub fn fit_scale(extent: (f64, f64), room: Mm) -> u32 {
    SCALES
        .iter()
        .copied()
        .find(|&s| {
            let k = 1000.0 / f64::from(s);
            extent.0 * k <= room.0 && extent.1 * k <= room.1
        })
        .unwrap_or(SCALES[SCALES.len() - 1])
}
