//! The tables of a 3D parcel map: the title block, the 六至 table and the boundary-point
//! table, in Chinese and English.

use super::content::ParcelMap;
use super::layout::Panel;
use super::points::sides;
use super::profile::Profile;
use crate::export::svg::{Anchor, Style, Svg};
use crate::model::frame::{Crs, CrsKind, HeightDatum};
use crate::register::page::grouped;

/// The scales the views were drawn at.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Scales {
    /// The plan's.
    pub plan: u32,
}

/// The rows of the title block: (label, value).
pub fn title_rows(map: &ParcelMap, prof: &Profile, scales: Scales) -> Vec<(String, String)> {
    let u = &map.page.unit;
    let right = map.page.rights.iter().rev().find(|r| r.current);
    let holders = right
        .map(|r| {
            r.holders
                .iter()
                .map(|p| p.name.clone())
                .collect::<Vec<_>>()
                .join("、")
        })
        .unwrap_or_else(|| "—".into());
    let m = u.measures;
    let (lo, hi) = m.map_or((f64::NAN, f64::NAN), |m| (m.z_min, m.z_max));
    let crs = map.crs_epsg.map_or_else(
        || "—".to_string(),
        |e| match (Crs { epsg: e }).kind() {
            CrsKind::Projected { name, .. } => format!("EPSG:{e} {name}"),
            _ => format!("EPSG:{e}"),
        },
    );
    let location = [u.name.as_deref(), u.plot.as_deref()]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(" · ");
    let registered = map
        .page
        .history
        .iter()
        .find(|h| h.act == "first_registration")
        .map(|h| date(h.recorded_at))
        .unwrap_or_else(|| "—".into());
    let mut rows = vec![
        ("不动产单元号 Unit code", grouped(&u.code)),
        ("权利人 Holder", holders),
        ("坐落 Location (name · plot)", or_dash(location)),
        (
            "权利设定方式 Layer",
            format!("{} ({})", u.stratum.name_zh(), u.stratum.as_str()),
        ),
    ];
    if let Some(r) = right {
        rows.push(("用途 Use", r.right.usage.clone()));
        rows.push(("权利性质 Nature", r.right.nature.name_zh().to_string()));
        let b = r.right.bounds;
        rows.push((
            "竖向范围 Contract bounds",
            format!("{:.3} ~ {:.3} m", b.lower, b.upper),
        ));
    }
    rows.extend([
        (
            "宗地面积 Footprint area",
            m.map_or("—".into(), |m| format!("{:.1} m²", m.footprint_m2)),
        ),
        (
            "体积 Volume",
            m.map_or("—".into(), |m| format!("{:.1} m³", m.volume_m3)),
        ),
        ("上界高程 Upper elevation", format!("{hi:.3} m")),
        ("下界高程 Lower elevation", format!("{lo:.3} m")),
        ("高差 Height difference", format!("{:.3} m", hi - lo)),
        (
            "高程基准 Height datum",
            HeightDatum::parse(&map.height_datum).describe(),
        ),
        ("坐标系 CRS", crs),
        ("比例尺 Scale", format!("1:{}", scales.plan)),
        (
            "成果编号 Survey result",
            or_dash(u.survey.clone().unwrap_or_default()),
        ),
        ("测绘单位 Surveying unit", prof.surveying_unit.clone()),
        ("登记机构 Office", prof.office.clone()),
        (
            "制图 Drafter / 审核 Checker",
            format!("{} / {}", prof.drafter, prof.checker),
        ),
        ("登记日期 Registered", registered),
        ("制图日期 Drawn (register as of)", date(map.state_at)),
    ]);
    rows.into_iter().map(|(a, b)| (a.to_string(), b)).collect()
}

fn or_dash(s: String) -> String {
    if s.trim().is_empty() { "—".into() } else { s }
}

fn date(t: jiff::Timestamp) -> String {
    crate::register::rules::china_date(t).to_string()
}

/// Writes rows of cells in columns of the given widths; returns the height used.
fn grid(svg: &mut Svg, at: (f64, f64), widths: &[f64], rows: &[Vec<String>], t: f64) -> f64 {
    let h = t * 1.75;
    let w: f64 = widths.iter().sum();
    for (i, row) in rows.iter().enumerate() {
        let y = at.1 + i as f64 * h;
        svg.rect(
            (at.0, y),
            (w, h),
            &Style {
                width: 0.12,
                ..Style::LINE
            },
        );
        let mut x = at.0;
        for (cell, cw) in row.iter().zip(widths) {
            svg.text((x + 0.8, y + h * 0.72), t, Anchor::Start, 0.0, cell);
            x += cw;
        }
    }
    rows.len() as f64 * h
}

/// The title block at the top of the table column; returns the height used.
pub fn title_block(svg: &mut Svg, p: &Panel, t: f64, rows: &[(String, String)]) -> f64 {
    let lw = p.size.0 * 0.42;
    let rows: Vec<Vec<String>> = rows
        .iter()
        .map(|(a, b)| vec![a.clone(), b.clone()])
        .collect();
    grid(svg, p.at, &[lw, p.size.0 - lw], &rows, t * 0.82)
}

/// The 六至 table; returns the height used.
pub fn sixto_table(svg: &mut Svg, at: (f64, f64), w: f64, t: f64, map: &ParcelMap) -> f64 {
    let mut rows = vec![vec![
        "六至 Six directions".to_string(),
        "毗邻 Neighbour (shared m²) / limit".to_string(),
    ]];
    for r in &map.sixto {
        let what = if r.neighbours.is_empty() {
            format!("开放 open ({:.3})", r.limit)
        } else {
            r.neighbours
                .iter()
                .map(|(c, a)| format!("{} ({a:.1})", grouped(c)))
                .collect::<Vec<_>>()
                .join("; ")
        };
        rows.push(vec![
            format!("{} {}", r.direction.name_zh(), r.direction.as_str()),
            what,
        ]);
    }
    grid(svg, at, &[w * 0.22, w * 0.78], &rows, t * 0.78)
}

/// The header and the rows of the boundary-point table, in surveyors' order.
pub fn point_rows(map: &ParcelMap) -> (Vec<String>, Vec<Vec<String>>) {
    let header = [
        "点号 Point",
        "X (北 N)",
        "Y (东 E)",
        "上高程 Upper",
        "下高程 Lower",
        "边长 Side",
    ]
    .map(String::from)
    .to_vec();
    let s = sides(&map.points);
    let rows = map
        .points
        .points
        .iter()
        .enumerate()
        .map(|(i, p)| {
            let side = s
                .iter()
                .find(|x| x.0 == i)
                .map_or(String::new(), |x| format!("{:.2}", x.2));
            vec![
                p.name.clone(),
                format!("{:.3}", p.north),
                format!("{:.3}", p.east),
                format!("{:.3}", p.upper),
                format!("{:.3}", p.lower),
                side,
            ]
        })
        .collect();
    (header, rows)
}

/// As many rows of the point table as fit between `at` and `bottom`; returns how many.
pub fn point_table(
    svg: &mut Svg,
    at: (f64, f64),
    w: f64,
    bottom: f64,
    t: f64,
    header: &[String],
    rows: &[Vec<String>],
) -> usize {
    let size = t * 0.78;
    let fit = (((bottom - at.1) / (size * 1.75)).floor() as usize).saturating_sub(1);
    let n = fit.min(rows.len());
    let mut all = vec![header.to_vec()];
    all.extend_from_slice(&rows[..n]);
    let widths = [0.13, 0.2, 0.2, 0.17, 0.17, 0.13].map(|f| f * w);
    grid(svg, at, &widths, &all, size);
    n
}
