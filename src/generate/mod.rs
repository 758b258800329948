//! Synthetic districts for tests and benchmarks: blocks of plots, each with a surface layer,
//! 0–3 underground and 0–2 above-ground layers sharing exact faces, buildings inside the
//! surface land, and a known number of injected conflicts with known volumes. Deterministic
//! by seed.

pub mod solids;
pub mod write;

use serde::Serialize;

use geo::{LineString, MultiPolygon, Polygon};

use crate::geometry::{Part, Prism, Volume};
use crate::model::frame::{Crs, Frame, HeightDatum};
use crate::model::unit::{PartSource, Term};
use crate::model::{Dataset, Plot, Stratum, Unit, UnitCode};

/// The most units a district is generated with: twice the ten-million-unit city the engine is
/// sized for. The generator holds every unit (about 150 bytes each) before it writes them.
pub const MAX_UNITS: usize = 20_000_000;

/// How to generate.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct DistrictOptions {
    /// Number of units (the last plot may be cut short to reach it exactly).
    pub units: usize,
    /// Seed of the deterministic generator.
    pub seed: u64,
    /// One plot in this many carries an injected conflict (0: none).
    pub conflict_every: usize,
}

impl Default for DistrictOptions {
    fn default() -> Self {
        DistrictOptions {
            units: 1_000,
            seed: 1,
            conflict_every: 50,
        }
    }
}

/// A generated plot: an axis-aligned rectangle.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GenPlot {
    /// `B12-P3`.
    pub id: String,
    /// `[xmin, ymin, xmax, ymax]`, EPSG:4548.
    pub rect: [f64; 4],
    /// Ground elevation, EPSG:5737.
    pub ground: f64,
}

/// A generated unit: one axis-aligned prism.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GenUnit {
    /// The unit code.
    pub code: String,
    /// The parent plot id.
    pub parent: String,
    /// `[xmin, ymin, xmax, ymax]`.
    pub rect: [f64; 4],
    /// Bottom elevation.
    pub z_bottom: f64,
    /// Top elevation.
    pub z_top: f64,
    /// `B1`, `F1`, …
    pub level: String,
}

/// A conflict the generator put in on purpose.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Injected {
    /// `overlap`, `sliver`, `outside_parent` or `stratum`, as `strata check` names them.
    pub kind: &'static str,
    /// The unit (for pairs, the smaller code).
    pub a: String,
    /// The other unit, or the plot for `outside_parent`.
    pub b: Option<String>,
    /// The volume in conflict, m³.
    pub volume_m3: f64,
}

/// A generated district.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct District {
    /// The plots.
    pub plots: Vec<GenPlot>,
    /// The units.
    pub units: Vec<GenUnit>,
    /// The injected conflicts.
    pub injected: Vec<Injected>,
}

/// SplitMix64: small, fast, deterministic.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

const PLOTS_X: usize = 4;
const PLOTS_Y: usize = 5;
const ROAD: f64 = 20.0;
const ORIGIN: (f64, f64) = (440_000.0, 4_410_000.0);

fn inset(r: [f64; 4], d: f64) -> [f64; 4] {
    [r[0] + d, r[1] + d, r[2] - d, r[3] - d]
}

fn area(r: [f64; 4]) -> f64 {
    (r[2] - r[0]) * (r[3] - r[1])
}

fn code(block: usize, feature: &str, seq: usize, fixture: &str) -> String {
    format!(
        "110105{:03}{:03}{feature}{seq:05}{fixture}",
        1 + block / 999,
        1 + block % 999
    )
}

/// Generates a district of `opts.units` units.
///
/// ```
/// use strata::generate::{DistrictOptions, district};
/// let d = district(&DistrictOptions { units: 500, seed: 7, conflict_every: 10 });
/// assert_eq!(d.units.len(), 500);
/// assert!(!d.injected.is_empty());
/// ```
pub fn district(opts: &DistrictOptions) -> District {
    let mut g = Generator {
        opts,
        rng: Rng(opts.seed),
        d: District::default(),
        plot_count: 0,
    };
    let blocks_needed = opts.units / (PLOTS_X * PLOTS_Y * 4) + 1;
    let side = (blocks_needed as f64).sqrt().ceil() as usize;
    let mut block = 0usize;
    while g.block(block, side) {
        block += 1;
    }
    g.d.injected
        .sort_by(|x, y| (x.kind, &x.a).cmp(&(y.kind, &y.a)));
    g.d
}

/// The district being generated.
struct Generator<'a> {
    opts: &'a DistrictOptions,
    rng: Rng,
    d: District,
    plot_count: usize,
}

/// One plot being filled: its block, id, rectangle, ground and position in the block.
struct PlotAt {
    block: usize,
    id: String,
    rect: [f64; 4],
    ground: f64,
    seq: usize,
}

/// The layers of a plot's column, as the generator draws them.
struct Column {
    n_under: usize,
    n_above: usize,
    n_buildings: usize,
    inject: Option<usize>,
}

impl Generator<'_> {
    /// Adds a unit unless the district is full; false when it is.
    fn push(
        &mut self,
        plot: &PlotAt,
        code: String,
        rect: [f64; 4],
        zb: f64,
        zt: f64,
        level: String,
    ) -> bool {
        if self.d.units.len() >= self.opts.units {
            return false;
        }
        self.d.units.push(GenUnit {
            code,
            parent: plot.id.clone(),
            rect,
            z_bottom: zb,
            z_top: zt,
            level,
        });
        true
    }

    /// One block of plots (column widths and row heights fixed per block, so plots tile it
    /// exactly); false when the district is full.
    fn block(&mut self, block: usize, side: usize) -> bool {
        let widths: Vec<f64> = (0..PLOTS_X)
            .map(|_| 30.0 + self.rng.below(31) as f64)
            .collect();
        let heights: Vec<f64> = (0..PLOTS_Y)
            .map(|_| 30.0 + self.rng.below(31) as f64)
            .collect();
        let (bx, by) = (block % side, block / side);
        let (x0, y0) = (
            ORIGIN.0 + bx as f64 * (240.0 + ROAD),
            ORIGIN.1 + by as f64 * (300.0 + ROAD),
        );
        let ground = 40.0 + (block % 7) as f64 * 0.5;
        let mut seqs = (0usize, 0usize);
        let mut py = y0;
        for (j, h) in heights.iter().enumerate() {
            let mut px = x0;
            for (i, w) in widths.iter().enumerate() {
                let pi = j * PLOTS_X + i;
                let plot = PlotAt {
                    block,
                    id: format!("B{block}-P{pi}"),
                    rect: [px, py, px + w, py + h],
                    ground,
                    seq: pi + 1,
                };
                px += w;
                if !self.plot(&plot, &mut seqs) || self.d.units.len() >= self.opts.units {
                    return false;
                }
            }
            py += h;
        }
        true
    }

    /// One plot: its surface layer, buildings, above-ground and underground layers, and an
    /// injected conflict every `conflict_every` plots. `seqs` counts the block's above- and
    /// underground parcels. False when the district is full.
    fn plot(&mut self, plot: &PlotAt, seqs: &mut (usize, usize)) -> bool {
        self.d.plots.push(GenPlot {
            id: plot.id.clone(),
            rect: plot.rect,
            ground: plot.ground,
        });
        self.plot_count += 1;
        let every = self.opts.conflict_every;
        let inject = (every > 0 && self.plot_count.is_multiple_of(every))
            .then(|| (self.plot_count / every) % 4);
        let n_under = match inject {
            Some(0) | Some(1) | Some(3) => 1 + self.rng.below(3) as usize,
            _ => self.rng.below(4) as usize,
        };
        let col = Column {
            n_under,
            n_above: self.rng.below(3) as usize,
            n_buildings: 1 + self.rng.below(2) as usize,
            inject,
        };
        let stratum_case = inject == Some(3);
        if !stratum_case && !self.above(plot, &col, &mut seqs.0) {
            return false;
        }
        let Some(under) = self.under(plot, &col, &mut seqs.1) else {
            return false;
        };
        if stratum_case {
            if let Some((c, _, _)) = under.first() {
                self.d.injected.push(Injected {
                    kind: "stratum",
                    a: c.clone(),
                    b: None,
                    volume_m3: area(inset(plot.rect, 2.0)) * 1.0,
                });
            }
            return true;
        }
        self.inject(plot, &col, &under, &mut seqs.1);
        true
    }

    /// The surface layer, its buildings and the above-ground layers.
    fn above(&mut self, plot: &PlotAt, col: &Column, gs: &mut usize) -> bool {
        let (block, seq, rect, ground) = (plot.block, plot.seq, plot.rect, plot.ground);
        let top0 = ground - 2.5;
        if !self.push(
            plot,
            code(block, "GB", seq, "W00000000"),
            rect,
            top0,
            ground + 15.0,
            String::new(),
        ) {
            return false;
        }
        let b = inset(rect, 8.0);
        let mid = (b[0] + b[2]) / 2.0;
        for k in 0..col.n_buildings {
            let r = if col.n_buildings == 1 {
                b
            } else if k == 0 {
                [b[0], b[1], mid - 1.0, b[3]]
            } else {
                [mid + 1.0, b[1], b[2], b[3]]
            };
            let c = code(block, "GB", seq, &format!("F{:04}0001", k + 1));
            if !self.push(plot, c, r, ground, ground + 10.0, "F1".into()) {
                return false;
            }
        }
        for k in 0..col.n_above {
            *gs += 1;
            let (zb, zt) = (
                ground + 15.0 + 6.0 * k as f64,
                ground + 21.0 + 6.0 * k as f64,
            );
            let c = code(block, "GS", *gs, "W00000000");
            if !self.push(plot, c, inset(rect, 5.0), zb, zt, format!("S{}", k + 1)) {
                return false;
            }
        }
        true
    }

    /// The underground layers (the first reaching above the ground in a stratum case): their
    /// codes and elevations, or `None` when the district is full.
    fn under(
        &mut self,
        plot: &PlotAt,
        col: &Column,
        gx: &mut usize,
    ) -> Option<Vec<(String, f64, f64)>> {
        let under_rect = inset(plot.rect, 2.0);
        let top0 = plot.ground - 2.5;
        let mut under = Vec::new();
        for k in 0..col.n_under {
            *gx += 1;
            let mut zt = top0 - 5.5 * k as f64;
            let zb = zt - 5.5;
            if col.inject == Some(3) && k == 0 {
                zt = plot.ground + 1.0;
            }
            let c = code(plot.block, "GX", *gx, "W00000000");
            if !self.push(plot, c.clone(), under_rect, zb, zt, format!("B{}", k + 1)) {
                return None;
            }
            under.push((c, zb, zt));
        }
        Some(under)
    }

    /// The injected conflict of a plot: a unit inside the first underground layer, a layer
    /// 2 cm into the deepest one, or a passage beyond the plot's east boundary.
    fn inject(
        &mut self,
        plot: &PlotAt,
        col: &Column,
        under: &[(String, f64, f64)],
        gx: &mut usize,
    ) {
        let under_rect = inset(plot.rect, 2.0);
        let (kind, layer, rect, zb, zt, level, volume) = match col.inject {
            Some(0) => {
                // An extra unit inside the first underground layer: 10 × 8 m over 3 m.
                let (layer, lzb, _) = under[0].clone();
                let r = [
                    under_rect[0] + 2.0,
                    under_rect[1] + 2.0,
                    under_rect[0] + 12.0,
                    under_rect[1] + 10.0,
                ];
                (
                    "overlap",
                    Some(layer),
                    r,
                    lzb + 1.0,
                    lzb + 4.0,
                    "B1".to_string(),
                    80.0 * 3.0,
                )
            }
            Some(1) => {
                // A layer under the deepest one, its top 2 cm into it.
                let (layer, lzb, _) = under[under.len() - 1].clone();
                let level = format!("B{}", col.n_under + 1);
                (
                    "sliver",
                    Some(layer),
                    under_rect,
                    lzb - 5.0,
                    lzb + 0.02,
                    level,
                    area(under_rect) * 0.02,
                )
            }
            Some(2) => {
                // A deep passage reaching 6 m beyond the plot's east boundary.
                let r = [
                    plot.rect[2] - 20.0,
                    plot.rect[1] + 5.0,
                    plot.rect[2] + 6.0,
                    plot.rect[1] + 15.0,
                ];
                (
                    "outside_parent",
                    None,
                    r,
                    plot.ground - 40.0,
                    plot.ground - 35.0,
                    "B9".to_string(),
                    6.0 * 10.0 * 5.0,
                )
            }
            _ => return,
        };
        *gx += 1;
        let c = code(plot.block, "GX", *gx, "W00000000");
        if !self.push(plot, c.clone(), rect, zb, zt, level) {
            return;
        }
        let (a, b) = match layer {
            Some(layer) if c < layer => (c, Some(layer)),
            Some(layer) => (layer, Some(c)),
            None => (c, Some(plot.id.clone())),
        };
        self.d.injected.push(Injected {
            kind,
            a,
            b,
            volume_m3: volume,
        });
    }
}

fn rect_polygon(r: [f64; 4]) -> Polygon<f64> {
    Polygon::new(
        LineString::from(vec![
            (r[0], r[1]),
            (r[2], r[1]),
            (r[2], r[3]),
            (r[0], r[3]),
            (r[0], r[1]),
        ]),
        vec![],
    )
}

impl District {
    /// The district as a dataset, in EPSG:4548 with heights in EPSG:5737, without going
    /// through a file.
    pub fn to_dataset(&self) -> Dataset {
        let frame = Frame {
            crs: Some(Crs { epsg: 4548 }),
            height_datum: Some(HeightDatum::Epsg(5737)),
        };
        let file = std::path::PathBuf::from("generated");
        let units = self
            .units
            .iter()
            .enumerate()
            .map(|(i, u)| {
                let code: Option<UnitCode> = u.code.parse().ok();
                let stratum: Option<Stratum> = code.as_ref().and_then(UnitCode::stratum);
                Unit {
                    key: u.code.clone(),
                    code_text: Some(u.code.clone()),
                    features: Vec::new(),
                    code,
                    stratum,
                    declared_stratum: None,
                    name: None,
                    right_type: None,
                    holder: None,
                    usage: None,
                    supply_method: None,
                    term: Term::default(),
                    parent_plot: Some(u.parent.clone()),
                    sixto: Box::default(),
                    sixto_units: None,
                    survey_result_code: None,
                    note: None,
                    frame: frame.clone(),
                    volume: Volume::new(vec![Part::Prism(Prism::new(
                        rect_polygon(u.rect),
                        u.z_bottom,
                        u.z_top,
                    ))]),
                    parts: vec![PartSource {
                        file: file.clone(),
                        feature: crate::diagnostics::FeatureRef::feature(i, Some(&u.code)),
                        level: (!u.level.is_empty()).then(|| u.level.clone()),
                        attributes: Default::default(),
                    }],
                    other_geometries: Vec::new(),
                    findings: Vec::new(),
                }
            })
            .collect();
        let plots = self
            .plots
            .iter()
            .enumerate()
            .map(|(i, p)| Plot {
                id: p.id.clone(),
                name: None,
                land_use: None,
                ground_elevation: Some(p.ground),
                green_space: false,
                footprint: MultiPolygon::new(vec![rect_polygon(p.rect)]),
                file: file.clone(),
                feature: crate::diagnostics::FeatureRef::feature(i, Some(&p.id)),
            })
            .collect();
        Dataset {
            sources: vec![file],
            units,
            plots,
            frame,
            ..Default::default()
        }
    }
}
