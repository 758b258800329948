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
    let mut rng = Rng(opts.seed);
    let mut d = District::default();
    let blocks_needed = opts.units / (PLOTS_X * PLOTS_Y * 4) + 1;
    let side = (blocks_needed as f64).sqrt().ceil() as usize;
    // Column widths and row heights are fixed per block so plots tile it exactly.
    let mut block = 0usize;
    let mut plot_count = 0usize;
    'blocks: loop {
        let (bx, by) = (block % side, block / side);
        let widths: Vec<f64> = (0..PLOTS_X).map(|_| 30.0 + rng.below(31) as f64).collect();
        let heights: Vec<f64> = (0..PLOTS_Y).map(|_| 30.0 + rng.below(31) as f64).collect();
        let (x0, y0) = (
            ORIGIN.0 + bx as f64 * (240.0 + ROAD),
            ORIGIN.1 + by as f64 * (300.0 + ROAD),
        );
        let ground = 40.0 + (block % 7) as f64 * 0.5;
        let (mut gx, mut gs) = (0usize, 0usize);
        let mut py = y0;
        for (j, h) in heights.iter().enumerate() {
            let mut px = x0;
            for (i, w) in widths.iter().enumerate() {
                let rect = [px, py, px + w, py + h];
                px += w;
                let pi = j * PLOTS_X + i;
                let id = format!("B{block}-P{pi}");
                d.plots.push(GenPlot {
                    id: id.clone(),
                    rect,
                    ground,
                });
                plot_count += 1;
                let inject =
                    if opts.conflict_every > 0 && plot_count.is_multiple_of(opts.conflict_every) {
                        Some((plot_count / opts.conflict_every) % 4)
                    } else {
                        None
                    };
                let push = |d: &mut District,
                            code: String,
                            rect: [f64; 4],
                            zb: f64,
                            zt: f64,
                            level: String|
                 -> bool {
                    if d.units.len() >= opts.units {
                        return false;
                    }
                    d.units.push(GenUnit {
                        code,
                        parent: id.clone(),
                        rect,
                        z_bottom: zb,
                        z_top: zt,
                        level,
                    });
                    true
                };
                let seq = pi + 1;
                let top0 = ground - 2.5;
                let n_under = match inject {
                    Some(0) | Some(1) | Some(3) => 1 + rng.below(3) as usize,
                    _ => rng.below(4) as usize,
                };
                let n_above = rng.below(3) as usize;
                let n_buildings = 1 + rng.below(2) as usize;
                let stratum_case = inject == Some(3);
                if !stratum_case {
                    if !push(
                        &mut d,
                        code(block, "GB", seq, "W00000000"),
                        rect,
                        top0,
                        ground + 15.0,
                        String::new(),
                    ) {
                        break 'blocks;
                    }
                    let b = inset(rect, 8.0);
                    let mid = (b[0] + b[2]) / 2.0;
                    for k in 0..n_buildings {
                        let r = if n_buildings == 1 {
                            b
                        } else if k == 0 {
                            [b[0], b[1], mid - 1.0, b[3]]
                        } else {
                            [mid + 1.0, b[1], b[2], b[3]]
                        };
                        let c = code(block, "GB", seq, &format!("F{:04}0001", k + 1));
                        if !push(&mut d, c, r, ground, ground + 10.0, "F1".into()) {
                            break 'blocks;
                        }
                    }
                    for k in 0..n_above {
                        gs += 1;
                        let (zb, zt) = (
                            ground + 15.0 + 6.0 * k as f64,
                            ground + 21.0 + 6.0 * k as f64,
                        );
                        if !push(
                            &mut d,
                            code(block, "GS", gs, "W00000000"),
                            inset(rect, 5.0),
                            zb,
                            zt,
                            format!("S{}", k + 1),
                        ) {
                            break 'blocks;
                        }
                    }
                }
                let under_rect = inset(rect, 2.0);
                let mut under_codes = Vec::new();
                for k in 0..n_under {
                    gx += 1;
                    let mut zt = top0 - 5.5 * k as f64;
                    let zb = zt - 5.5;
                    if stratum_case && k == 0 {
                        zt = ground + 1.0;
                    }
                    let c = code(block, "GX", gx, "W00000000");
                    if !push(&mut d, c.clone(), under_rect, zb, zt, format!("B{}", k + 1)) {
                        break 'blocks;
                    }
                    under_codes.push((c, zb, zt));
                }
                if stratum_case {
                    if let Some((c, _, _)) = under_codes.first() {
                        d.injected.push(Injected {
                            kind: "stratum",
                            a: c.clone(),
                            b: None,
                            volume_m3: area(under_rect) * 1.0,
                        });
                    }
                    continue;
                }
                match inject {
                    Some(0) => {
                        // An extra unit inside the first underground layer: 10 × 8 m over 3 m.
                        let (layer, lzb, _) = under_codes[0].clone();
                        gx += 1;
                        let c = code(block, "GX", gx, "W00000000");
                        let r = [
                            under_rect[0] + 2.0,
                            under_rect[1] + 2.0,
                            under_rect[0] + 12.0,
                            under_rect[1] + 10.0,
                        ];
                        if push(&mut d, c.clone(), r, lzb + 1.0, lzb + 4.0, "B1".into()) {
                            let (a, b) = if c < layer { (c, layer) } else { (layer, c) };
                            d.injected.push(Injected {
                                kind: "overlap",
                                a,
                                b: Some(b),
                                volume_m3: 80.0 * 3.0,
                            });
                        }
                    }
                    Some(1) => {
                        // A layer under the deepest one, its top 2 cm into it.
                        let (layer, lzb, _) = under_codes[under_codes.len() - 1].clone();
                        gx += 1;
                        let c = code(block, "GX", gx, "W00000000");
                        if push(
                            &mut d,
                            c.clone(),
                            under_rect,
                            lzb - 5.0,
                            lzb + 0.02,
                            format!("B{}", n_under + 1),
                        ) {
                            let (a, b) = if c < layer { (c, layer) } else { (layer, c) };
                            d.injected.push(Injected {
                                kind: "sliver",
                                a,
                                b: Some(b),
                                volume_m3: area(under_rect) * 0.02,
                            });
                        }
                    }
                    Some(2) => {
                        // A deep passage reaching 6 m beyond the plot's east boundary.
                        gx += 1;
                        let c = code(block, "GX", gx, "W00000000");
                        let r = [rect[2] - 20.0, rect[1] + 5.0, rect[2] + 6.0, rect[1] + 15.0];
                        if push(
                            &mut d,
                            c.clone(),
                            r,
                            ground - 40.0,
                            ground - 35.0,
                            "B9".into(),
                        ) {
                            d.injected.push(Injected {
                                kind: "outside_parent",
                                a: c,
                                b: Some(id.clone()),
                                volume_m3: 6.0 * 10.0 * 5.0,
                            });
                        }
                    }
                    _ => {}
                }
                if d.units.len() >= opts.units {
                    break 'blocks;
                }
            }
            py += h;
        }
        block += 1;
    }
    d.injected
        .sort_by(|x, y| (x.kind, &x.a).cmp(&(y.kind, &y.a)));
    d
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
