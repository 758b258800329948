//! The certificate as pages: the 不动产权证书 page of one layer (every field, 权利其他状况 with
//! the stratum, the vertical bounds and the 六至, 附记, the office and date, the electronic
//! certificate's metadata and its QR code), then the 三维宗地图 as its drawing page (附图页).

use qrcode::{Color, EcLevel, QrCode};

use crate::export::doc::{Doc, MARGIN_MM};
use crate::export::register_page::A4_PORTRAIT;
use crate::export::sheet::{self, ParcelMap, Profile};
use crate::export::svg::{Anchor, Mm, Style, Svg};
use crate::model::frame::HeightDatum;
use crate::register::page::grouped;

use super::CertError;
use super::record::CertRecord;

/// The printed side of the QR code (mm): large enough for a phone at arm's length and for
/// a 200 dpi scan (five pixels a module at the payload's usual size, version 10–12).
pub const QR_MM: f64 = 42.0;

/// The quiet zone around the code, in modules (ISO/IEC 18004 asks for four).
const QUIET: usize = 4;

/// Draws the QR code of `payload` with its top-left corner at `at`, `side` mm wide.
pub fn qr(svg: &mut Svg, at: Mm, side: f64, payload: &str) -> Result<(), CertError> {
    let code = QrCode::with_error_correction_level(payload.as_bytes(), EcLevel::M)
        .map_err(|e| CertError::Qr(e.to_string()))?;
    let n = code.width();
    let colours = code.to_colors();
    let m = side / (n + 2 * QUIET) as f64;
    let ink = Style {
        stroke: "none",
        width: 0.0,
        fill: "#000000",
        opacity: 1.0,
        dash: "",
    };
    let mut runs = Vec::new();
    for y in 0..n {
        let mut x = 0;
        while x < n {
            if colours[y * n + x] == Color::Dark {
                let start = x;
                while x < n && colours[y * n + x] == Color::Dark {
                    x += 1;
                }
                let (x0, y0) = (
                    at.0 + (start + QUIET) as f64 * m,
                    at.1 + (y + QUIET) as f64 * m,
                );
                let x1 = at.0 + (x + QUIET) as f64 * m;
                runs.push(vec![(x0, y0), (x1, y0), (x1, y0 + m), (x0, y0 + m)]);
            } else {
                x += 1;
            }
        }
    }
    svg.rings(&runs, &ink);
    Ok(())
}

/// The rows of the certificate's table.
pub fn rows(r: &CertRecord) -> Vec<(String, String)> {
    let holders = r
        .holders
        .iter()
        .map(|h| match &h.share {
            Some(s) => format!("{} ({}) {s}", h.name, h.id),
            None => format!("{} ({})", h.name, h.id),
        })
        .collect::<Vec<_>>()
        .join("、");
    let term = match (r.term_start, r.term_end) {
        (Some(a), Some(b)) => format!("{a} 起 {b} 止"),
        _ => "—".into(),
    };
    let b = &r.bounds;
    let other = format!(
        "权利设定方式 layer: {}\n竖向范围 vertical bounds: 上界 upper {:.3} m, 下界 lower {:.3} m, 高差 {:.3} m ({})\n体积 volume {:.1} m³\n{}",
        r.stratum,
        b.upper,
        b.lower,
        b.upper - b.lower,
        HeightDatum::parse(&b.datum).describe(),
        r.volume_m3,
        r.sixto.join("\n")
    );
    vec![
        ("证书号 Number".into(), r.number.clone()),
        ("权利人 Holder".into(), holders),
        ("共有情况 Sharing".into(), r.sharing.clone()),
        ("坐落 Location".into(), or_dash(&r.location)),
        ("不动产单元号 Unit code".into(), grouped(&r.unit)),
        ("权利类型 Right".into(), r.right_type.clone()),
        ("权利性质 Nature".into(), r.nature.clone()),
        ("用途 Use".into(), r.usage.clone()),
        ("面积 Area".into(), format!("{:.1} m²", r.area_m2)),
        ("使用期限 Term".into(), term),
        ("权利其他状况 Other".into(), other),
        (
            "附记 Note".into(),
            r.note.clone().unwrap_or_else(|| "—".into()),
        ),
    ]
}

fn or_dash(s: &str) -> String {
    if s.trim().is_empty() {
        "—".into()
    } else {
        s.into()
    }
}

/// The certificate's pages: its page, then the map's.
pub fn draw(
    r: &CertRecord,
    qr_payload: &str,
    map: &ParcelMap,
    prof: &Profile,
) -> Result<Vec<crate::export::svg::Page>, CertError> {
    let title = format!("不动产权证书 {}", r.number);
    let mut d = Doc::new(A4_PORTRAIT, &title, &format!("{} · {}", r.issuer, r.number));
    d.title("不动产权证书", 2.0);
    d.title("Certificate of Real-Estate Title", 1.0);
    d.title(&r.number, 1.1);
    d.fields(&rows(r));
    d.heading("电子证照 Electronic certificate");
    d.fields(&[
        ("证照名称 Name".into(), r.name.clone()),
        ("证照类型代码 Type".into(), r.type_code.clone()),
        ("证照标识 Identifier".into(), r.id.clone()),
        ("颁发机构 Issuer".into(), r.issuer.clone()),
        (
            "颁发日期 Issued".into(),
            format!("{} (业务号 act {})", r.issued, r.act),
        ),
        ("体积摘要 Volume SHA-256".into(), r.volume_sha256.clone()),
    ]);
    d.need(QR_MM + 4.0);
    let (y, svg) = d.cursor();
    let x = A4_PORTRAIT.0 - MARGIN_MM - QR_MM - 2.0;
    qr(svg, (x, y + 2.0), QR_MM, qr_payload)?;
    let t = d.text;
    let (_, svg) = d.cursor();
    let left = MARGIN_MM + 4.0;
    svg.text(
        (left, y + 8.0),
        t * 1.2,
        Anchor::Start,
        0.0,
        &format!("登记机构（章）{}", r.issuer),
    );
    svg.text(
        (left, y + 15.0),
        t,
        Anchor::Start,
        0.0,
        &format!(
            "{}年{:02}月{:02}日",
            r.issued.year(),
            r.issued.month(),
            r.issued.day()
        ),
    );
    svg.text(
        (left, y + 22.0),
        t * 0.8,
        Anchor::Start,
        0.0,
        "扫码核验 Scan to verify: strata cert verify --qr …",
    );
    d.advance(QR_MM + 4.0);
    let mut pages = d.finish();
    pages.extend(sheet::draw(map, prof));
    Ok(pages)
}
