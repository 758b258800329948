//! The three views of a 3D parcel map: the plan at a true scale, the vertical sections and
//! the axonometric view among the neighbours.

use geo::{Coord, InteriorPoint, MultiPolygon};

use super::content::{MapUnit, ParcelMap, Section};
use super::layout::{Panel, SCALES, VIEW_PADDING_MM, fit_scale};
use super::points::sides;
use super::profile::Profile;
use crate::export::svg::{Anchor, Mm, Style, Svg};
use crate::geometry::algorithm::ToPolyhedra;

const GREY: &str = "#707070";
const PLOT: &str = "#8b4513";

/// A world-to-sheet mapping: `k` mm per metre, world `centre` at sheet `at`.
#[derive(Debug, Clone, Copy)]
struct Frame2 {
    k: f64,
    centre: Coord<f64>,
    at: Mm,
}

impl Frame2 {
    fn put(&self, c: Coord<f64>) -> Mm {
        (
            self.at.0 + (c.x - self.centre.x) * self.k,
            self.at.1 - (c.y - self.centre.y) * self.k,
        )
    }

    fn rings(&self, mp: &MultiPolygon<f64>) -> Vec<Vec<Mm>> {
        mp.iter()
            .flat_map(|p| std::iter::once(p.exterior()).chain(p.interiors()))
            .map(|r| r.coords().map(|c| self.put(*c)).collect())
            .collect()
    }
}

fn title(svg: &mut Svg, p: &Panel, t: f64, text: &str) {
    svg.rect(p.at, p.size, &Style::LINE);
    svg.text(
        (p.at.0 + 2.0, p.at.1 + t * 1.5),
        t * 1.1,
        Anchor::Start,
        0.0,
        text,
    );
}

fn fill<'a>(colour: &'a str, opacity: f64, width: f64) -> Style<'a> {
    Style {
        stroke: "#000000",
        width,
        fill: colour,
        opacity,
        dash: "",
    }
}

/// The plan view; returns its scale denominator.
pub fn plan(svg: &mut Svg, p: &Panel, t: f64, map: &ParcelMap, prof: &Profile) -> u32 {
    let (lo, hi) = map.plan_extent();
    let room = p.inset(VIEW_PADDING_MM);
    let scale = fit_scale((hi.x - lo.x, hi.y - lo.y), room.size);
    let f = Frame2 {
        k: 1000.0 / f64::from(scale),
        centre: (lo + hi) / 2.0,
        at: p.centre(),
    };
    title(svg, p, t, &format!("平面图 Plan  1:{scale}"));
    svg.clip_to(p.at, p.size);
    let plot = Style {
        stroke: PLOT,
        width: 0.35,
        fill: "none",
        opacity: 1.0,
        dash: "3 1 0.6 1",
    };
    svg.rings(&f.rings(&map.plot_polygons()), &plot);
    for n in &map.neighbours {
        svg.rings(
            &f.rings(&n.footprint),
            &fill(prof.colour(n.stratum), 0.12, 0.12),
        );
        label_inside(svg, &f, n, t * 0.62, GREY);
    }
    let u = &map.unit;
    svg.rings(
        &f.rings(&u.footprint),
        &fill(prof.colour(u.stratum), 0.45, 0.45),
    );
    boundary(svg, &f, map, t);
    for s in &map.sections {
        section_trace(svg, &f, s, t);
    }
    svg.end_group();
    north_arrow(svg, (p.at.0 + p.size.0 - 7.0, p.at.1 + 6.0), t);
    scale_bar(svg, (p.at.0 + 3.0, p.at.1 + p.size.1 - 3.0), scale, t);
    scale
}

fn label_inside(svg: &mut Svg, f: &Frame2, u: &MapUnit, size: f64, colour: &str) {
    if let Some(pt) = u.footprint.interior_point() {
        let at = f.put(pt.0);
        svg.text_coloured(at, size, Anchor::Middle, colour, &short(&u.code));
    }
}

/// The last two groups of a unit code: enough to tell neighbours in one sub-district apart.
pub fn short(code: &str) -> String {
    let c: Vec<char> = code.chars().collect();
    if c.len() == 28 {
        c[12..].iter().collect()
    } else {
        code.to_string()
    }
}

fn boundary(svg: &mut Svg, f: &Frame2, map: &ParcelMap, t: f64) {
    let pts = &map.points;
    let c = map.unit.footprint.interior_point().map(|p| f.put(p.0));
    for (i, j, len) in sides(pts) {
        let (a, b) = (f.put(pts.points[i].xy()), f.put(pts.points[j].xy()));
        let mid = ((a.0 + b.0) / 2.0, (a.1 + b.1) / 2.0);
        let mut ang = (b.1 - a.1).atan2(b.0 - a.0).to_degrees();
        if ang > 90.0 {
            ang -= 180.0;
        } else if ang < -90.0 {
            ang += 180.0;
        }
        // Outside the footprint: away from its interior point.
        let (nx, ny) = normal_away(a, b, c);
        let at = (mid.0 + nx * t * 0.9, mid.1 + ny * t * 0.9 + t * 0.3);
        svg.text(at, t * 0.7, Anchor::Middle, ang, &format!("{len:.2}"));
    }
    for p in &pts.points {
        let at = f.put(p.xy());
        svg.dot(at, 0.5, "#c00000");
        let (dx, dy) = match c {
            Some(c) => unit_vec((at.0 - c.0, at.1 - c.1)),
            None => (0.0, -1.0),
        };
        let lab = (at.0 + dx * t * 1.3, at.1 + dy * t * 1.3 + t * 0.35);
        svg.text_coloured(lab, t * 0.75, Anchor::Middle, "#c00000", &p.name);
    }
}

fn unit_vec(v: Mm) -> Mm {
    let l = v.0.hypot(v.1);
    if l > 0.0 {
        (v.0 / l, v.1 / l)
    } else {
        (0.0, -1.0)
    }
}

fn normal_away(a: Mm, b: Mm, inside: Option<Mm>) -> Mm {
    let (dx, dy) = unit_vec((b.0 - a.0, b.1 - a.1));
    let n = (dy, -dx);
    let mid = ((a.0 + b.0) / 2.0, (a.1 + b.1) / 2.0);
    match inside {
        Some(c) if (c.0 - mid.0) * n.0 + (c.1 - mid.1) * n.1 > 0.0 => (-n.0, -n.1),
        _ => n,
    }
}

fn section_trace(svg: &mut Svg, f: &Frame2, s: &Section, t: f64) {
    let at = |d: f64| {
        let u = s.line.b - s.line.a;
        let l = u.x.hypot(u.y);
        f.put(s.line.a + u * (d / l))
    };
    let (a, b) = (at(s.range.0), at(s.range.1));
    let dash = Style {
        stroke: "#000000",
        width: 0.2,
        fill: "none",
        opacity: 1.0,
        dash: "4 1 1 1",
    };
    svg.line(a, b, &dash);
    let mark: String = s.name.chars().take(1).collect();
    svg.text(a, t * 0.9, Anchor::Middle, 0.0, &mark);
    svg.text(b, t * 0.9, Anchor::Middle, 0.0, &format!("{mark}′"));
}

fn north_arrow(svg: &mut Svg, at: Mm, t: f64) {
    let h = t * 3.0;
    svg.rings(
        &[vec![
            (at.0, at.1),
            (at.0 + h * 0.3, at.1 + h),
            (at.0, at.1 + h * 0.75),
            (at.0 - h * 0.3, at.1 + h),
        ]],
        &fill("#000000", 1.0, 0.1),
    );
    svg.text(
        (at.0, at.1 + h + t * 1.1),
        t * 0.9,
        Anchor::Middle,
        0.0,
        "N 北",
    );
}

fn scale_bar(svg: &mut Svg, at: Mm, scale: u32, t: f64) {
    // A bar of a round length near 30 mm on the sheet.
    let metres = [
        1.0, 2.0, 5.0, 10.0, 20.0, 50.0, 100.0, 200.0, 500.0, 1000.0, 2000.0,
    ]
    .into_iter()
    .find(|m| m * 1000.0 / f64::from(scale) >= 20.0)
    .unwrap_or(5000.0);
    let len = metres * 1000.0 / f64::from(scale);
    svg.rect((at.0, at.1 - 1.0), (len, 1.0), &fill("#000000", 1.0, 0.1));
    svg.text(
        (at.0 + len + 1.0, at.1),
        t * 0.75,
        Anchor::Start,
        0.0,
        &format!("{metres} m"),
    );
}

/// A section panel; returns the horizontal and vertical scale denominators.
pub fn section(svg: &mut Svg, p: &Panel, t: f64, s: &Section, prof: &Profile) -> (u32, u32) {
    let (zlo, zhi) = z_range(s);
    let room = p.inset(VIEW_PADDING_MM);
    let h_scale = fit_scale((s.range.1 - s.range.0, 0.0), room.size);
    let v_scale = SCALES
        .iter()
        .copied()
        .filter(|&v| v >= h_scale / 10)
        .find(|&v| (zhi - zlo) * 1000.0 / f64::from(v) <= room.size.1)
        .unwrap_or(SCALES[SCALES.len() - 1]);
    let (kh, kv) = (1000.0 / f64::from(h_scale), 1000.0 / f64::from(v_scale));
    let left = p.at.0 + (p.size.0 - (s.range.1 - s.range.0) * kh) / 2.0;
    let bottom = p.centre().1 + (zhi - zlo) * kv / 2.0;
    let put = |q: [f64; 2]| (left + (q[0] - s.range.0) * kh, bottom - (q[1] - zlo) * kv);
    title(
        svg,
        p,
        t,
        &format!(
            "剖面图 Section {}  横 H 1:{h_scale}  竖 V 1:{v_scale}",
            s.name
        ),
    );
    // Only the stretch of the line the section shows.
    let (x0, x1) = (put([s.range.0, zlo]).0, put([s.range.1, zlo]).0);
    svg.clip_to((x0, p.at.1 + t * 2.0), (x1 - x0, p.size.1 - t * 2.0));
    for (k, (code, stratum, rings)) in s.cuts.iter().enumerate() {
        let mm: Vec<Vec<Mm>> = rings
            .iter()
            .map(|r| r.iter().map(|q| put(*q)).collect())
            .collect();
        let (op, w) = if k == 0 { (0.55, 0.45) } else { (0.18, 0.15) };
        svg.rings(&mm, &fill(prof.colour(*stratum), op, w));
        elevation_labels(svg, rings, s.range, &put, (t, code, k == 0));
    }
    if let Some(g) = s.ground {
        let (a, b) = (put([s.range.0, g]), put([s.range.1, g]));
        let ground = Style {
            stroke: PLOT,
            width: 0.35,
            fill: "none",
            opacity: 1.0,
            dash: "5 1 1 1",
        };
        svg.line(a, b, &ground);
        let at = (a.0 + 1.0, a.1 - 0.8);
        svg.text_coloured(
            at,
            t * 0.7,
            Anchor::Start,
            PLOT,
            &format!("地面 ground {g:.2}"),
        );
    }
    svg.end_group();
    (h_scale, v_scale)
}

fn z_range(s: &Section) -> (f64, f64) {
    let mut lo = f64::MAX;
    let mut hi = f64::MIN;
    for q in s.cuts.iter().flat_map(|c| c.2.iter()).flatten() {
        lo = lo.min(q[1]);
        hi = hi.max(q[1]);
    }
    if let Some(g) = s.ground {
        lo = lo.min(g);
        hi = hi.max(g);
    }
    if lo > hi {
        (0.0, 1.0)
    } else {
        (lo, hi.max(lo + 0.01))
    }
}

/// The code and the top and bottom elevations of each ring of a cut, at the ring's right
/// edge within the stretch `range` drawn.
fn elevation_labels(
    svg: &mut Svg,
    rings: &[Vec<[f64; 2]>],
    range: (f64, f64),
    put: &dyn Fn([f64; 2]) -> Mm,
    (t, code, own): (f64, &str, bool),
) {
    for r in rings {
        let top = r.iter().map(|q| q[1]).fold(f64::MIN, f64::max);
        let bot = r.iter().map(|q| q[1]).fold(f64::MAX, f64::min);
        let (smin, smax) = r
            .iter()
            .fold((f64::MAX, f64::MIN), |a, q| (a.0.min(q[0]), a.1.max(q[0])));
        let (smin, smax) = (smin.max(range.0), smax.min(range.1));
        if smin >= smax {
            continue;
        }
        let size = t * if own { 0.75 } else { 0.6 };
        let (a, b) = (put([smax, top]), put([smax, bot]));
        svg.text(
            (a.0 - 0.5, a.1 + size * 1.1),
            size,
            Anchor::End,
            0.0,
            &format!("▽{top:.2}"),
        );
        svg.text(
            (b.0 - 0.5, b.1 - size * 0.3),
            size,
            Anchor::End,
            0.0,
            &format!("▽{bot:.2}"),
        );
        let mid = put([(smin + smax) / 2.0, (top + bot) / 2.0]);
        svg.text(
            (mid.0, mid.1 + size * 0.35),
            size,
            Anchor::Middle,
            0.0,
            &short(code),
        );
    }
}

/// A face of the axonometric view: its depth along the view direction (larger is nearer)
/// and its corners projected onto the view plane.
struct AxonFace<'a> {
    depth: f64,
    ring: Vec<(f64, f64)>,
    colour: &'a str,
}

/// The faces of `u` turned towards the viewer, projected.
fn axon_faces<'a>(
    u: &MapUnit,
    colour: &'a str,
    view: &nalgebra::Vector3<f64>,
    right: &nalgebra::Vector3<f64>,
    up: &nalgebra::Vector3<f64>,
) -> Vec<AxonFace<'a>> {
    let mut out = Vec::new();
    for poly in u.volume.to_polyhedra() {
        for face in poly.shells.iter().flat_map(|s| &s.faces) {
            if poly.face_normal(face).dot(view) <= 1e-9 {
                continue;
            }
            let corners: Vec<_> = face.rings[0].iter().map(|&i| poly.vertices[i]).collect();
            let depth =
                corners.iter().map(|v| v.coords.dot(view)).sum::<f64>() / corners.len() as f64;
            let ring = corners
                .iter()
                .map(|v| (v.coords.dot(right), v.coords.dot(up)))
                .collect();
            out.push(AxonFace {
                depth,
                ring,
                colour,
            });
        }
    }
    out.sort_by(|a, b| a.depth.total_cmp(&b.depth));
    out
}

/// The axonometric view of the unit among its neighbours, seen from the south-west and
/// above. Faces turned away are not drawn; the unit's faces are drawn farthest first, solid,
/// over the neighbours' light fills; the neighbours' edges are drawn again over the unit as
/// light dashed lines, so that what the unit hides stays readable, lighter.
pub fn axon(svg: &mut Svg, p: &Panel, t: f64, map: &ParcelMap, prof: &Profile) {
    title(svg, p, t, "轴测图 Axonometric (from SW, not to scale)");
    let view = nalgebra::Vector3::new(-1.0, -1.0, 1.2).normalize();
    let right = nalgebra::Vector3::new(1.0, -1.0, 0.0).normalize();
    let up = view.cross(&right).normalize();
    let own = axon_faces(&map.unit, prof.colour(map.unit.stratum), &view, &right, &up);
    let mut others: Vec<AxonFace> = map
        .neighbours
        .iter()
        .flat_map(|n| axon_faces(n, prof.colour(n.stratum), &view, &right, &up))
        .collect();
    others.sort_by(|a, b| a.depth.total_cmp(&b.depth));
    let (mut lo, mut hi) = ((f64::MAX, f64::MAX), (f64::MIN, f64::MIN));
    for q in own.iter().chain(&others).flat_map(|f| f.ring.iter()) {
        lo = (lo.0.min(q.0), lo.1.min(q.1));
        hi = (hi.0.max(q.0), hi.1.max(q.1));
    }
    let room = p.inset(VIEW_PADDING_MM);
    let k = (room.size.0 / (hi.0 - lo.0).max(1e-9)).min(room.size.1 / (hi.1 - lo.1).max(1e-9));
    let c = p.centre();
    let put = |f: &AxonFace| -> Vec<Mm> {
        f.ring
            .iter()
            .map(|q| {
                (
                    c.0 + (q.0 - (lo.0 + hi.0) / 2.0) * k,
                    c.1 - (q.1 - (lo.1 + hi.1) / 2.0) * k,
                )
            })
            .collect()
    };
    svg.clip_to(p.at, p.size);
    for f in &others {
        let style = Style {
            stroke: GREY,
            width: 0.1,
            fill: f.colour,
            opacity: 0.25,
            dash: "",
        };
        svg.rings(&[put(f)], &style);
    }
    for f in &own {
        svg.rings(&[put(f)], &fill(f.colour, 0.9, 0.3));
    }
    let hidden = Style {
        stroke: GREY,
        width: 0.1,
        fill: "none",
        opacity: 1.0,
        dash: "0.8 0.6",
    };
    for f in &others {
        svg.rings(&[put(f)], &hidden);
    }
    svg.end_group();
}
