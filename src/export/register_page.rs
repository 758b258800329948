//! The register page (登记簿) of a unit as a printable document, laid out after the 2015
//! national template: the parcel page, the index of what is recorded, every use-right entry
//! (one per business), mortgages, seizures, certificates and the change log, as the register
//! stood at the page's moment.

use crate::register::page::{Page, grouped};
use crate::register::party::Party;
use crate::register::rules::china_time;

use super::doc::Doc;

/// A4 portrait (mm).
pub const A4_PORTRAIT: (f64, f64) = (210.0, 297.0);

/// The register page as pages; `office` heads it, `datum` names the elevations' datum.
pub fn draw(page: &Page, office: &str, datum: &str) -> Vec<crate::export::svg::Page> {
    let u = &page.unit;
    let when = match page.as_of {
        Some(t) => format!("截至 as of {} (业务 act {})", china_time(t), page.seq),
        None => format!("现势 current (业务 act {})", page.seq),
    };
    let title = format!("不动产登记簿 Register page {}", u.code);
    let mut d = Doc::new(
        A4_PORTRAIT,
        &title,
        &format!("{office} · {}", grouped(&u.code)),
    );
    d.title("不动产登记簿 Real-estate register", 1.6);
    d.title(&when, 0.9);
    parcel(&mut d, page, datum);
    index(&mut d, page);
    rights(&mut d, page);
    encumbrances(&mut d, page);
    changes(&mut d, page);
    d.finish()
}

fn act_number(page: &Page, seq: u64) -> String {
    page.history
        .iter()
        .find(|h| h.seq == seq)
        .map_or_else(|| seq.to_string(), |h| h.number.clone())
}

fn dash(s: Option<&str>) -> String {
    s.filter(|s| !s.trim().is_empty())
        .unwrap_or("—")
        .to_string()
}

fn parcel(d: &mut Doc, page: &Page, datum: &str) {
    let u = &page.unit;
    d.heading("宗地基本信息 Parcel page");
    let current = page.rights.iter().rev().find(|r| r.current);
    let first = page.history.iter().find(|h| h.act == "first_registration");
    let mut rows = vec![
        ("不动产单元号 Unit code".to_string(), grouped(&u.code)),
        ("不动产类型 Kind".into(), "土地 (分层) land, layered".into()),
        ("坐落 Location".into(), dash(u.name.as_deref())),
        ("规划地块 Plot".into(), dash(u.plot.as_deref())),
        (
            "权利设定方式 Layer".into(),
            format!("{} ({})", u.stratum.name_zh(), u.stratum.as_str()),
        ),
        ("状态 Status".into(), u.status.name_zh().to_string()),
    ];
    if let Some(m) = &u.measures {
        rows.push(("宗地面积 Area".into(), format!("{:.1} m²", m.footprint_m2)));
        rows.push(("体积 Volume".into(), format!("{:.1} m³", m.volume_m3)));
        rows.push((
            "空间范围 Vertical extent".into(),
            format!(
                "上界 upper {:.3} m, 下界 lower {:.3} m, 高差 {:.3} m ({datum})",
                m.z_max,
                m.z_min,
                m.z_max - m.z_min
            ),
        ));
    }
    if let Some(r) = current {
        rows.push(("用途 Use".into(), r.right.usage.clone()));
        rows.push(("权利类型 Right".into(), r.right.right_type.clone()));
        rows.push(("权利性质 Nature".into(), r.right.nature.name_zh().into()));
    }
    let s = &u.sixto;
    for (k, v) in [
        ("上至 Up", &s.up),
        ("下至 Down", &s.down),
        ("东至 East", &s.east),
        ("南至 South", &s.south),
        ("西至 West", &s.west),
        ("北至 North", &s.north),
    ] {
        rows.push((k.to_string(), dash(v.as_deref())));
    }
    rows.push(("成果 Survey result".into(), dash(u.survey.as_deref())));
    if let Some(h) = first {
        rows.push(("登记时间 Registered".into(), china_time(h.recorded_at)));
        rows.push(("登簿人 Officer".into(), h.officer.clone()));
        rows.push(("附记 Note".into(), dash(h.note.as_deref())));
    }
    d.fields(&rows);
}

fn index(d: &mut Doc, page: &Page) {
    d.heading("登记目录 Index");
    let n = |k: usize| {
        if k == 0 {
            "—".to_string()
        } else {
            format!("{k} 项 entries")
        }
    };
    let rows = vec![
        vec!["事项 Entry".into(), "记载 Recorded".into()],
        vec!["建设用地使用权 Use right".into(), n(page.rights.len())],
        vec!["抵押权 Mortgages (live)".into(), n(page.mortgages.len())],
        vec!["查封 Seizures (live)".into(), n(page.seizures.len())],
        vec![
            "不动产权证书/证明 Certificates".into(),
            n(page.certificates.len()),
        ],
        vec!["预告登记 / 异议登记 Notices, objections".into(), "—".into()],
    ];
    d.table(&[0.5, 0.5], &rows, true);
}

fn holders(hs: &[Party], r: &crate::register::record::UseRight) -> String {
    let names: Vec<String> = r
        .holders
        .holdings
        .iter()
        .map(|h| {
            let p = hs.iter().find(|p| p.id == h.party);
            let name = p.map_or(h.party.clone(), |p| format!("{} ({})", p.name, p.id));
            match &h.share {
                Some(s) => format!("{name} {s}"),
                None => name,
            }
        })
        .collect();
    names.join("、")
}

fn rights(d: &mut Doc, page: &Page) {
    d.heading("建设用地使用权登记信息 Use-right entries");
    let mut rows = vec![
        [
            "业务号 Act",
            "权利人 Holders",
            "共有 Sharing",
            "性质 Nature",
            "期限 Term",
            "价格 Price",
            "竖向 Bounds",
            "证书号 Certificate",
            "状态",
        ]
        .map(String::from)
        .to_vec(),
    ];
    for e in &page.rights {
        let r = &e.right;
        let term = match (r.term.start, r.term.end) {
            (Some(a), Some(b)) => format!("{a} 至 {b}"),
            _ => "—".into(),
        };
        rows.push(vec![
            act_number(page, e.begin),
            holders(&e.holders, r),
            r.holders.sharing.name_zh().into(),
            r.nature.name_zh().into(),
            term,
            r.price.map_or("—".into(), |p| format!("{p:.2} 元")),
            format!("{:.3}–{:.3} m", r.bounds.lower, r.bounds.upper),
            r.certificate.clone(),
            if e.current { "现势" } else { "历史" }.into(),
        ]);
    }
    d.table(
        &[0.1, 0.2, 0.07, 0.07, 0.13, 0.09, 0.1, 0.17, 0.07],
        &rows,
        true,
    );
}

fn encumbrances(d: &mut Doc, page: &Page) {
    d.heading("抵押权登记信息 Mortgages");
    let mut rows = vec![
        [
            "抵押权人 Mortgagee",
            "债权数额 Amount",
            "债务履行期限 Debt term",
            "证明号 Proof",
        ]
        .map(String::from)
        .to_vec(),
    ];
    for (_, m, p) in &page.mortgages {
        let kind = if m.maximum {
            "最高债权数额"
        } else {
            "被担保主债权数额"
        };
        let term = match (m.debt_term.start, m.debt_term.end) {
            (Some(a), Some(b)) => format!("{a} 至 {b}"),
            _ => "—".into(),
        };
        rows.push(vec![
            p.as_ref().map_or(m.mortgagee.clone(), |p| p.name.clone()),
            format!("{kind} {:.2} 元", m.amount),
            term,
            m.certificate.clone(),
        ]);
    }
    d.table(&[0.3, 0.25, 0.25, 0.2], &rows, true);
    d.heading("查封登记信息 Seizures");
    let mut rows = vec![
        [
            "法院 Court",
            "文书 Document",
            "期限 Term",
            "生效 In force",
            "状态 Standing",
        ]
        .map(String::from)
        .to_vec(),
    ];
    for s in &page.seizures {
        rows.push(vec![
            s.seizure.court.clone(),
            s.seizure.document.clone(),
            format!("{} 至 {}", s.seizure.start, s.seizure.end),
            format!("{} 至 {}", s.window.from, s.window.until),
            s.standing.name_zh().into(),
        ]);
    }
    d.table(&[0.25, 0.25, 0.2, 0.2, 0.1], &rows, true);
    d.heading("证书 Certificates");
    let mut rows = vec![
        ["证书号 Number", "权利人 Holders", "状态 Status"]
            .map(String::from)
            .to_vec(),
    ];
    for (c, current) in &page.certificates {
        rows.push(vec![
            c.number.clone(),
            c.holders.join("、"),
            if *current {
                "现行 current"
            } else {
                "已注销/已换发 ended"
            }
            .into(),
        ]);
    }
    d.table(&[0.4, 0.4, 0.2], &rows, true);
}

fn changes(d: &mut Doc, page: &Page) {
    d.heading("变化情况 Change log");
    let mut rows = vec![
        [
            "业务号 Act",
            "登记类型 Type",
            "原因 Reason",
            "登记时间 Recorded",
            "登簿人 Officer",
        ]
        .map(String::from)
        .to_vec(),
    ];
    for h in &page.history {
        rows.push(vec![
            h.number.clone(),
            format!("{} · {}", h.name_zh, h.registration_type),
            h.reason.clone(),
            china_time(h.recorded_at),
            h.officer.clone(),
        ]);
    }
    d.table(&[0.15, 0.25, 0.2, 0.25, 0.15], &rows, true);
}

/// What a register page's PDF says of itself: dated by the state it shows (the moment asked
/// for, else its last act), so the same state gives the same bytes.
pub fn doc_info(page: &Page) -> crate::export::pdf::DocInfo {
    let at = page.as_of.unwrap_or_else(|| {
        page.history
            .iter()
            .map(|h| h.recorded_at)
            .max()
            .unwrap_or(jiff::Timestamp::UNIX_EPOCH)
    });
    crate::export::pdf::DocInfo {
        title: format!("不动产登记簿 Register page {}", page.unit.code),
        id: format!("strata-page-{}-{}", page.unit.code, page.seq),
        date: at,
    }
}
