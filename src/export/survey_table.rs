//! The 3D cadastral survey table (三维地籍调查表): one row per registered layer with its code,
//! layer, location, holder, use, nature, area, volume, vertical bounds with 高差 and datum,
//! the declared 六至 and the survey result, as CSV (UTF-8 with a byte-order mark, which
//! spreadsheet programs need to read Chinese) or JSON.

use serde::Serialize;

use crate::register::page::page;
use crate::register::{RegisterError, Store};

/// One row of the table.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SurveyRow {
    /// 不动产单元号.
    pub unit_code: String,
    /// 权利设定方式 (地上 / 地表 / 地下).
    pub stratum: String,
    /// 坐落 (the unit's name).
    pub location: String,
    /// 规划地块.
    pub plot: String,
    /// 权利人.
    pub holders: String,
    /// 用途.
    pub usage: String,
    /// 权利性质.
    pub nature: String,
    /// 投影面积 (m²).
    pub area_m2: f64,
    /// 体积 (m³).
    pub volume_m3: f64,
    /// 上界 (m).
    pub upper_m: f64,
    /// 下界 (m).
    pub lower_m: f64,
    /// 高差 (m).
    pub height_m: f64,
    /// 高程基准.
    pub height_datum: String,
    /// 上至, 下至, 东至, 南至, 西至, 北至 as surveyed.
    pub sixto: [String; 6],
    /// 成果编号.
    pub survey: String,
}

/// The column headings of the CSV, Chinese and English.
pub const HEADINGS: [&str; 20] = [
    "不动产单元号 unit_code",
    "权利设定方式 stratum",
    "坐落 location",
    "规划地块 plot",
    "权利人 holders",
    "用途 use",
    "权利性质 nature",
    "投影面积 area_m2",
    "体积 volume_m3",
    "上界 upper_m",
    "下界 lower_m",
    "高差 height_m",
    "高程基准 height_datum",
    "上至 up",
    "下至 down",
    "东至 east",
    "南至 south",
    "西至 west",
    "北至 north",
    "成果编号 survey",
];

/// The rows of the registered units (all, or those of `plot`), in code order.
pub fn rows<S: Store + ?Sized>(
    reg: &S,
    plot: Option<&str>,
) -> Result<Vec<SurveyRow>, RegisterError> {
    let mut out = Vec::new();
    for u in super::registered_units(reg, plot)? {
        let code = u.code.clone();
        let Some(p) = page(reg, &code, None)? else {
            continue;
        };
        let right = p.rights.iter().rev().find(|r| r.current);
        let m = u.measures;
        let s = &u.sixto;
        let text = |v: &Option<String>| v.clone().unwrap_or_default();
        out.push(SurveyRow {
            unit_code: code.clone(),
            stratum: u.stratum.name_zh().into(),
            location: u.name.clone().unwrap_or_default(),
            plot: u.plot.clone().unwrap_or_default(),
            holders: right
                .map(|r| {
                    r.holders
                        .iter()
                        .map(|h| h.name.clone())
                        .collect::<Vec<_>>()
                        .join("、")
                })
                .unwrap_or_default(),
            usage: right.map(|r| r.right.usage.clone()).unwrap_or_default(),
            nature: right
                .map(|r| r.right.nature.name_zh().to_string())
                .unwrap_or_default(),
            area_m2: m.map_or(0.0, |m| m.footprint_m2),
            volume_m3: m.map_or(0.0, |m| m.volume_m3),
            upper_m: m.map_or(0.0, |m| m.z_max),
            lower_m: m.map_or(0.0, |m| m.z_min),
            height_m: m.map_or(0.0, |m| m.z_max - m.z_min),
            height_datum: reg.settings().height_datum.clone(),
            sixto: [
                text(&s.up),
                text(&s.down),
                text(&s.east),
                text(&s.south),
                text(&s.west),
                text(&s.north),
            ],
            survey: u.survey.clone().unwrap_or_default(),
        });
    }
    Ok(out)
}

/// A CSV field, quoted when it holds a comma, a quote or a line break.
fn field(s: &str) -> String {
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

/// The table as CSV (with a byte-order mark and CRLF line ends, as RFC 4180 asks).
///
/// ```
/// use strata::export::survey_table::{csv, HEADINGS};
/// let text = csv(&[]);
/// assert!(text.starts_with('\u{feff}'));
/// assert_eq!(text.lines().count(), 1);
/// assert!(text.contains(HEADINGS[0]));
/// ```
pub fn csv(rows: &[SurveyRow]) -> String {
    let mut out = String::from('\u{feff}');
    out.push_str(&HEADINGS.join(","));
    out.push_str("\r\n");
    for r in rows {
        let mut cells = vec![
            r.unit_code.clone(),
            r.stratum.clone(),
            r.location.clone(),
            r.plot.clone(),
            r.holders.clone(),
            r.usage.clone(),
            r.nature.clone(),
            format!("{:.2}", r.area_m2),
            format!("{:.2}", r.volume_m3),
            format!("{:.3}", r.upper_m),
            format!("{:.3}", r.lower_m),
            format!("{:.3}", r.height_m),
            r.height_datum.clone(),
        ];
        cells.extend(r.sixto.iter().cloned());
        cells.push(r.survey.clone());
        out.push_str(&cells.iter().map(|c| field(c)).collect::<Vec<_>>().join(","));
        out.push_str("\r\n");
    }
    out
}
