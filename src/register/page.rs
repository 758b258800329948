//! A unit's register page (登记簿), now or as of any past moment: the unit, its use right
//! entries one column per business (现势 the current one, 历史 those before), its mortgages and
//! seizures, its certificates and the acts that made them.

use std::collections::BTreeSet;
use std::fmt::{self, Write as _};

use jiff::Timestamp;
use serde::Serialize;

use super::backend::Backend;
use super::error::RegisterError;
use super::party::Party;
use super::record::{
    Certificate, Kind, Mortgage, Record, Seq, SupplyTerms, UnitRecord, UseRight, Version,
};
use super::rules::{china_date, china_time};
use super::seizure::{self, Standing, Window};

/// One business on the page: an act that changed the unit's records.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ActLine {
    /// Its place in the journal.
    pub seq: Seq,
    /// 业务号.
    pub number: String,
    /// The act: `first_registration`, …
    pub act: &'static str,
    /// 首次登记, …
    pub name_zh: &'static str,
    /// 登记类型.
    pub registration_type: &'static str,
    /// 登记原因.
    pub reason: String,
    /// 登簿人.
    pub officer: String,
    /// 登记时间.
    pub recorded_at: Timestamp,
    /// 附记.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// A use-right entry: one version of the right.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RightEntry {
    /// The act that opened it.
    pub begin: Seq,
    /// 现势 (current) or 历史 (historical, replaced or cancelled).
    pub current: bool,
    /// The right.
    pub right: UseRight,
    /// Its holders as the register knew them then.
    pub holders: Vec<Party>,
}

/// A seizure on the page, with where it stands on the page's day.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SeizureLine {
    /// Its key.
    pub key: String,
    /// The seizure.
    pub seizure: super::record::Seizure,
    /// When it is (or was, or will be) in force.
    pub window: Window,
    /// Where it stands.
    pub standing: Standing,
}

/// A unit's register page.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Page {
    /// The unit.
    pub unit: UnitRecord,
    /// The last act the page includes.
    pub seq: Seq,
    /// The moment the page shows (`None`: now).
    pub as_of: Option<Timestamp>,
    /// The day seizures are judged on.
    pub day: jiff::civil::Date,
    /// The supply.
    pub supply: Option<SupplyTerms>,
    /// The use-right entries, oldest first; the last is current unless cancelled.
    pub rights: Vec<RightEntry>,
    /// Live mortgages, with their mortgagees.
    pub mortgages: Vec<(String, Mortgage, Option<Party>)>,
    /// Live seizures in queue order.
    pub seizures: Vec<SeizureLine>,
    /// Every certificate issued for the unit, with whether it is current.
    pub certificates: Vec<(Certificate, bool)>,
    /// The acts, oldest first.
    pub history: Vec<ActLine>,
}

fn party_at<B: Backend + ?Sized>(
    b: &B,
    id: &str,
    seq: Seq,
) -> Result<Option<Party>, RegisterError> {
    Ok(b.versions(Kind::Party, id)?
        .into_iter()
        .find(|v| v.live_at(seq))
        .and_then(|v| match v.record {
            Record::Party(p) => Some(p),
            _ => None,
        }))
}

/// A moment to read the register as of: RFC 3339 (`2025-06-15T10:00:00+08:00`), or a day
/// (`2025-06-15`), meaning its last moment in China Standard Time.
pub fn parse_moment(s: &str) -> Result<Timestamp, String> {
    if let Ok(t) = s.parse::<Timestamp>() {
        return Ok(t);
    }
    let bad = |e: &dyn std::fmt::Display| {
        format!("{s}: not a time (RFC 3339) or a day (YYYY-MM-DD): {e}")
    };
    let d: jiff::civil::Date = s.parse().map_err(|e| bad(&e))?;
    let tz = jiff::tz::TimeZone::fixed(super::rules::CHINA_STANDARD_TIME);
    d.at(23, 59, 59, 999_999_999)
        .to_zoned(tz)
        .map(|z| z.timestamp())
        .map_err(|e| bad(&e))
}

/// The page of unit `code` now (`at = None`) or as of `at`; `None` when the unit was not in
/// the register then.
pub fn page<B: Backend + ?Sized>(
    b: &B,
    code: &str,
    at: Option<Timestamp>,
) -> Result<Option<Page>, RegisterError> {
    let Some(seq) = (match at {
        Some(t) => b.seq_at(t)?,
        None => b.head()?.map(|h| h.seq),
    }) else {
        return Ok(None);
    };
    let day = china_date(at.unwrap_or_else(Timestamp::now));
    let versions: Vec<Version> = b
        .unit_versions(code)?
        .into_iter()
        .filter(|v| v.begin <= seq)
        .collect();
    let live = |v: &&Version| v.live_at(seq);
    let Some(unit) = versions.iter().filter(live).find_map(|v| match &v.record {
        Record::Unit(u) if v.kind == Kind::Unit => Some(u.clone()),
        _ => None,
    }) else {
        return Ok(None);
    };
    let mut page = Page {
        unit,
        seq,
        as_of: at,
        day,
        supply: None,
        rights: Vec::new(),
        mortgages: Vec::new(),
        seizures: Vec::new(),
        certificates: Vec::new(),
        history: Vec::new(),
    };
    let mut queue = Vec::new();
    for v in &versions {
        let is_live = v.live_at(seq);
        match &v.record {
            Record::Supply(s) if is_live => page.supply = Some(s.terms.clone()),
            Record::Right(r) => {
                let holders = r
                    .holders
                    .parties()
                    .map(|id| party_at(b, id, seq))
                    .collect::<Result<Vec<_>, _>>()?;
                page.rights.push(RightEntry {
                    begin: v.begin,
                    current: is_live,
                    right: r.clone(),
                    holders: holders.into_iter().flatten().collect(),
                });
            }
            Record::Mortgage(m) if is_live => {
                let p = party_at(b, &m.mortgagee, seq)?;
                page.mortgages.push((v.key.clone(), m.clone(), p));
            }
            Record::Seizure(_) if is_live => queue.push((v.key.clone(), v.record.clone())),
            Record::Certificate(c) => page.certificates.push((c.clone(), is_live)),
            _ => {}
        }
    }
    let queue = seizure::queue(queue);
    for ((key, s), w) in queue.iter().zip(seizure::windows(&queue)) {
        page.seizures.push(SeizureLine {
            key: key.clone(),
            seizure: s.clone(),
            window: w,
            standing: seizure::standing(w, day),
        });
    }
    page.history = history(b, &versions, seq)?;
    Ok(Some(page))
}

fn history<B: Backend + ?Sized>(
    b: &B,
    versions: &[Version],
    seq: Seq,
) -> Result<Vec<ActLine>, RegisterError> {
    let seqs: BTreeSet<Seq> = versions
        .iter()
        .flat_map(|v| [Some(v.begin), v.end])
        .flatten()
        .filter(|s| *s <= seq)
        .collect();
    let mut out = Vec::with_capacity(seqs.len());
    for s in seqs {
        for e in b.entries(s, s)? {
            out.push(ActLine {
                seq: e.seq,
                number: e.act.number.clone(),
                act: e.act.body.name(),
                name_zh: e.act.body.name_zh(),
                registration_type: e.act.body.registration_type().name_zh(),
                reason: e.act.reason.clone(),
                officer: e.act.officer.clone(),
                recorded_at: e.recorded_at,
                note: e.act.note.clone(),
            });
        }
    }
    Ok(out)
}

/// A unit code in the four groups printed on certificates: county, district and
/// sub-district, parcel, fixture.
pub fn grouped(code: &str) -> String {
    let c: Vec<char> = code.chars().collect();
    if c.len() != 28 {
        return code.to_string();
    }
    [&c[..6], &c[6..12], &c[12..19], &c[19..]]
        .map(|g| g.iter().collect::<String>())
        .join(" ")
}

fn names(ps: &[Party]) -> String {
    ps.iter()
        .map(|p| format!("{} ({})", p.name, p.id))
        .collect::<Vec<_>>()
        .join("、")
}

fn opt<T: fmt::Display>(v: &Option<T>) -> String {
    v.as_ref()
        .map_or_else(|| "—".to_string(), ToString::to_string)
}

impl fmt::Display for Page {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let u = &self.unit;
        let when = match self.as_of {
            Some(t) => format!("as of {} (act {})", china_time(t), self.seq),
            None => format!("now (act {})", self.seq),
        };
        writeln!(f, "登记簿 register page — {} — {when}", u.code)?;
        writeln!(f, "  不动产单元号 unit      {}", grouped(&u.code))?;
        writeln!(
            f,
            "  权利设定方式 stratum   {} ({})   状态 status {}",
            u.stratum.name_zh(),
            u.stratum,
            u.status.name_zh()
        )?;
        writeln!(f, "  名称 name            {}", opt(&u.name))?;
        writeln!(f, "  规划地块 plot         {}", opt(&u.plot))?;
        if let Some(m) = &u.measures {
            writeln!(
                f,
                "  体积 volume          {:.3} m³, 投影面积 footprint {:.3} m², 高程 {:.3}–{:.3} m",
                m.volume_m3, m.footprint_m2, m.z_min, m.z_max
            )?;
        }
        let sixto = [
            ("上至", &u.sixto.up),
            ("下至", &u.sixto.down),
            ("东至", &u.sixto.east),
            ("西至", &u.sixto.west),
            ("南至", &u.sixto.south),
            ("北至", &u.sixto.north),
        ];
        if sixto.iter().any(|(_, v)| v.is_some()) {
            for (k, v) in sixto {
                writeln!(f, "  {k}                 {}", opt(v))?;
            }
        }
        if let Some(s) = &self.supply {
            writeln!(
                f,
                "  供地 supply          {} ({}), contract {}, bounds {:.3}–{:.3} m (高差 {:.3} m), plots {}",
                s.nature.name_zh(),
                s.nature.as_str(),
                s.contract,
                s.bounds.lower,
                s.bounds.upper,
                s.bounds.height(),
                s.plots.join(" + ")
            )?;
        }
        self.fmt_rights(f)?;
        self.fmt_encumbrances(f)?;
        writeln!(f, "  业务 acts")?;
        for a in &self.history {
            writeln!(
                f,
                "    {:>4} {} {} {} · {} · 原因 {} · 登簿人 {}",
                a.seq,
                china_time(a.recorded_at),
                a.number,
                a.name_zh,
                a.registration_type,
                a.reason,
                a.officer
            )?;
        }
        Ok(())
    }
}

impl Page {
    fn fmt_rights(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, e) in self.rights.iter().enumerate() {
            let r = &e.right;
            let mut line = String::new();
            let _ = write!(
                line,
                "  建设用地使用权 [{}] {} · 权利人 {} · {} · {} · 用途 {}",
                i + 1,
                if e.current { "现势" } else { "历史" },
                names(&e.holders),
                r.holders.sharing.name_zh(),
                r.nature.name_zh(),
                r.usage
            );
            if let (Some(s), Some(t)) = (r.term.start, r.term.end) {
                let _ = write!(line, " · 使用期限 {s} 至 {t}");
            }
            if let Some(p) = r.price {
                let _ = write!(line, " · 价格 {p:.2} 元");
            }
            let _ = write!(
                line,
                " · 上界 {:.3} m 下界 {:.3} m · 证书 {}",
                r.bounds.upper, r.bounds.lower, r.certificate
            );
            writeln!(f, "{line}")?;
        }
        Ok(())
    }

    fn fmt_encumbrances(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (k, m, p) in &self.mortgages {
            writeln!(
                f,
                "  抵押权 {k} · 抵押权人 {} · {} {:.2} 元 · 债务期限 {} 至 {} · 证明 {}",
                p.as_ref().map_or(m.mortgagee.clone(), |p| p.name.clone()),
                if m.maximum {
                    "最高债权数额"
                } else {
                    "被担保主债权数额"
                },
                m.amount,
                opt(&m.debt_term.start),
                opt(&m.debt_term.end),
                m.certificate
            )?;
        }
        if self.mortgages.is_empty() {
            writeln!(f, "  抵押权 mortgages      none")?;
        }
        for s in &self.seizures {
            writeln!(
                f,
                "  查封 {} · {} · {} · 文书 {} · {} 至 {} · 生效 {} 至 {}",
                s.key,
                s.standing.name_zh(),
                s.seizure.court,
                s.seizure.document,
                s.seizure.start,
                s.seizure.end,
                s.window.from,
                s.window.until
            )?;
        }
        if self.seizures.is_empty() {
            writeln!(f, "  查封 seizures         none")?;
        }
        for (c, current) in &self.certificates {
            writeln!(
                f,
                "  证书 {} · {} · {}",
                c.number,
                match c.kind {
                    super::record::CertificateKind::Title => "不动产权证书",
                    super::record::CertificateKind::Proof => "不动产登记证明",
                },
                if *current {
                    "现行"
                } else {
                    "已注销/已换发"
                }
            )?;
        }
        Ok(())
    }
}
