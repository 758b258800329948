//! The demo's register: the lives of the two reference projects, act by act, recorded at the
//! dates they happened (back-entered), with pages now and before the buy-back, and `verify`.
//! Parties, contracts and court documents are illustrative; the volumes are the bundled
//! survey's.

use std::io::Write;
use std::path::Path;

use anyhow::{Context, bail};
use jiff::Timestamp;
use jiff::civil::{Date, date};
use strata::model::Dataset;
use strata::register::import::{plot_record, surveyed};
use strata::register::page::page;
use strata::register::party::{Holders, Party, PartyKind};
use strata::register::record::{Bounds, Nature, Source, SourceKind, SupplyTerms, Term};
use strata::register::rules::CHINA_STANDARD_TIME;
use strata::register::{
    Act, ActBody, Clock, RegisterError, Settings, SqliteRegister, record, verify,
};

use super::out::{Out, outln};
use super::register::print_verify;

struct Life<'a> {
    reg: SqliteRegister,
    out: &'a mut Out,
    officer: &'static str,
    n: u32,
    prefix: &'static str,
}

fn at(d: Date, hour: i8) -> anyhow::Result<Timestamp> {
    let tz = jiff::tz::TimeZone::fixed(CHINA_STANDARD_TIME);
    Ok(d.at(hour, 0, 0, 0).to_zoned(tz)?.timestamp())
}

fn source(id: &str, kind: SourceKind, title: &str, d: Date) -> Source {
    Source {
        id: id.into(),
        kind,
        title: Some(title.into()),
        date: Some(d),
        issuer: None,
    }
}

fn party(id: &str, name: &str, kind: PartyKind) -> Party {
    Party {
        id: id.into(),
        name: name.into(),
        kind,
    }
}

impl Life<'_> {
    /// Records one act on day `d`; a refusal is shown when `expect_refusal`, else an error.
    fn act(
        &mut self,
        d: Date,
        reason: &str,
        parties: Vec<Party>,
        sources: Vec<Source>,
        body: ActBody,
        expect_refusal: bool,
    ) -> anyhow::Result<()> {
        self.n += 1;
        let act = Act {
            number: format!("{}{:04}", self.prefix, self.n),
            reason: reason.into(),
            officer: self.officer.into(),
            parties,
            sources,
            note: None,
            body,
        };
        let opts = self.reg.settings().options();
        let name = act.body.name_zh();
        match record(&mut self.reg, &[act], Clock::At(at(d, 10)?), &opts) {
            Ok(e) => {
                let unit = e[0].unit.as_deref().unwrap_or("—").to_string();
                outln!(self.out, "  {d} act {:>2} {name} {unit}", e[0].seq);
                if expect_refusal {
                    bail!("the demo expected act {} to be refused", e[0].number);
                }
            }
            Err(RegisterError::Refused { refusal, .. }) if expect_refusal => {
                outln!(self.out, "  {d} refused as it should be: {name}: {refusal}");
            }
            Err(e) => return Err(e.into()),
        }
        Ok(())
    }

    fn page(&mut self, unit: &str, as_of: Option<Date>) -> anyhow::Result<()> {
        let t = as_of.map(|d| at(d, 23)).transpose()?;
        match page(&self.reg, unit, t)? {
            Some(p) => write!(self.out, "{p}")?,
            None => outln!(self.out, "{unit}: not in the register then"),
        }
        Ok(())
    }
}

fn unit<'d>(ds: &'d Dataset, code: &str) -> anyhow::Result<&'d strata::model::Unit> {
    ds.unit(code)
        .with_context(|| format!("the bundled data has no unit {code}"))
}

fn open(out: &mut Out, path: &Path, title: &str) -> anyhow::Result<SqliteRegister> {
    if path.exists() {
        std::fs::remove_file(path).with_context(|| format!("cannot replace {}", path.display()))?;
    }
    let settings = Settings {
        crs_epsg: Some(4548),
        ..Settings::default()
    };
    let reg = SqliteRegister::create(path, settings)?;
    outln!(out);
    outln!(
        out,
        "== The register (登记簿) of {title}: {} ==",
        path.display()
    );
    Ok(reg)
}

/// Runs each life in a new register in `dir` (one per district office); true when both
/// verify.
pub fn run(
    out: &mut Out,
    wengcheng: &Dataset,
    dazhongsi: &Dataset,
    dir: &Path,
) -> anyhow::Result<bool> {
    let reg = open(
        out,
        &dir.join("register-tongzhou.gpkg"),
        "Tongzhou (Wengcheng)",
    )?;
    let mut life = Life {
        reg,
        out,
        officer: "登簿人甲",
        n: 0,
        prefix: "TZ2024",
    };
    wengcheng_life(&mut life, wengcheng)?;
    let first = verify(&life.reg, &life.reg.settings().options())?;
    print_verify(life.out, &first)?;
    let reg = open(
        life.out,
        &dir.join("register-haidian.gpkg"),
        "Haidian (Dazhongsi)",
    )?;
    let mut life = Life {
        reg,
        out: life.out,
        officer: "登簿人乙",
        n: 0,
        prefix: "HD2024",
    };
    dazhongsi_life(&mut life, dazhongsi)?;
    let second = verify(&life.reg, &life.reg.settings().options())?;
    print_verify(life.out, &second)?;
    Ok(first.ok() && second.ok())
}

const WC: &str = "110112003005";
const BEITOU: &str = "91110112MA01WCTC0X";
const METRO: &str = "91110000MA01METRO6";
const GREEN_TZ: &str = "11110112MB0GREEN0T";
const CITY_TZ: &str = "11110112MB0URBAN0T";
const BANK: &str = "91110112MA0BANK00X";

fn wc(s: &str) -> String {
    format!("{WC}{s}W00000000")
}

fn wengcheng_life(l: &mut Life, ds: &Dataset) -> anyhow::Result<()> {
    outln!(
        l.out,
        "-- Wengcheng: pre-coding, listing, registration, buy-back, green, metro, mortgage"
    );
    let plan = source(
        "京规自(通)条字[2023]0009号",
        SourceKind::Planning,
        "VIII-09 地块规划综合实施方案",
        date(2023, 12, 20),
    );
    let plot = ds
        .plot("VIII-09")
        .context("the bundled data has no plot VIII-09")?;
    let d0 = date(2024, 1, 10);
    l.act(
        d0,
        "规划地块录入",
        vec![],
        vec![plan.clone()],
        ActBody::Plot {
            plot: plot_record(plot),
        },
        false,
    )?;
    l.act(
        date(2024, 1, 15),
        "分层预编",
        vec![],
        vec![plan.clone()],
        ActBody::PreCode {
            prefix: format!("{WC}GX"),
            count: 3,
            plot: Some("VIII-09".into()),
            names: vec![
                "地下商业 B1".into(),
                "地下公益设施 B1/B2".into(),
                "通运门站 B2".into(),
            ],
            predecessors: vec![],
        },
        false,
    )?;
    l.act(
        date(2024, 1, 15),
        "分层预编",
        vec![],
        vec![plan.clone()],
        ActBody::PreCode {
            prefix: format!("{WC}GB"),
            count: 1,
            plot: Some("VIII-09".into()),
            names: vec!["地表绿地".into()],
            predecessors: vec![],
        },
        false,
    )?;
    let beitou = party(BEITOU, "北京北投通城建设开发有限公司", PartyKind::Company);
    let contract = source(
        "京通出让[2024]001号",
        SourceKind::Contract,
        "国有建设用地使用权出让合同（地下空间，挂牌）",
        date(2024, 2, 1),
    );
    for (code, lower, upper, usage, price) in [
        ("GX00001", 11.5, 17.5, "地下商业设施", 186_000_000.0),
        (
            "GX00002",
            2.5,
            17.5,
            "地下公益设施（便民服务空间、遗址博物馆）",
            92_000_000.0,
        ),
    ] {
        let terms = SupplyTerms {
            nature: Nature::Listing,
            holders: Holders::sole(BEITOU),
            usage: usage.into(),
            term: Term {
                start: Some(date(2024, 2, 1)),
                end: Some(date(2064, 1, 31)),
            },
            price: Some(price),
            bounds: Bounds { lower, upper },
            plots: vec![],
            contract: contract.id.clone(),
        };
        l.act(
            date(2024, 2, 1),
            "挂牌出让",
            vec![beitou.clone()],
            vec![contract.clone()],
            ActBody::Supply {
                unit: wc(code),
                terms,
            },
            false,
        )?;
    }
    let survey = source(
        "DCJG-110112-2024-0007",
        SourceKind::SurveyResult,
        "多测合一成果（地下空间分层）",
        date(2024, 5, 20),
    );
    for code in ["GX00001", "GX00002"] {
        let u = unit(ds, &wc(code))?;
        l.act(
            date(2024, 6, 1),
            "首次登记",
            vec![],
            vec![survey.clone()],
            ActBody::FirstRegistration {
                unit: wc(code),
                surveyed: surveyed(u, &survey.id),
                supply: None,
            },
            false,
        )?;
    }
    let metro = party(METRO, "轨道交通建设单位（示意）", PartyKind::Company);
    let decision = source(
        "京通划[2025]003号",
        SourceKind::AllocationDecision,
        "国有建设用地划拨决定书（通运门站）",
        date(2025, 3, 1),
    );
    let metro_terms = SupplyTerms {
        nature: Nature::Allocation,
        holders: Holders::sole(METRO),
        usage: "轨道交通（6号线通运门站）".into(),
        term: Term::default(),
        price: None,
        bounds: Bounds {
            lower: 2.5,
            upper: 11.5,
        },
        plots: vec![],
        contract: decision.id.clone(),
    };
    l.act(
        date(2025, 3, 1),
        "划拨",
        vec![metro],
        vec![decision],
        ActBody::Supply {
            unit: wc("GX00003"),
            terms: metro_terms,
        },
        false,
    )?;
    let u3 = unit(ds, &wc("GX00003"))?;
    l.act(
        date(2025, 3, 20),
        "首次登记",
        vec![],
        vec![survey.clone()],
        ActBody::FirstRegistration {
            unit: wc("GX00003"),
            surveyed: surveyed(u3, &survey.id),
            supply: None,
        },
        false,
    )?;
    let city = party(CITY_TZ, "北京市通州区城市管理委员会", PartyKind::Government);
    let buy = source(
        "通政回购[2025]12号",
        SourceKind::Application,
        "地下公益设施回购协议",
        date(2025, 9, 1),
    );
    l.act(
        date(2025, 9, 1),
        "回购",
        vec![city],
        vec![buy],
        ActBody::Transfer {
            unit: wc("GX00002"),
            holders: Holders::sole(CITY_TZ),
            price: Some(92_000_000.0),
            buy_back: true,
        },
        false,
    )?;
    let green = party(GREEN_TZ, "北京市通州区园林绿化局", PartyKind::Government);
    let gdec = source(
        "京通划[2026]001号",
        SourceKind::AllocationDecision,
        "国有建设用地划拨决定书（地表绿地）",
        date(2026, 3, 20),
    );
    let gterms = SupplyTerms {
        nature: Nature::Allocation,
        holders: Holders::sole(GREEN_TZ),
        usage: "公园绿地".into(),
        term: Term::default(),
        price: None,
        bounds: Bounds {
            lower: 17.5,
            upper: 35.0,
        },
        plots: vec![],
        contract: gdec.id.clone(),
    };
    l.act(
        date(2026, 4, 1),
        "划拨",
        vec![green],
        vec![gdec],
        ActBody::Supply {
            unit: wc("GB00001"),
            terms: gterms,
        },
        false,
    )?;
    let ug = unit(ds, &wc("GB00001"))?;
    l.act(
        date(2026, 4, 20),
        "首次登记",
        vec![],
        vec![survey.clone()],
        ActBody::FirstRegistration {
            unit: wc("GB00001"),
            surveyed: surveyed(ug, &survey.id),
            supply: None,
        },
        false,
    )?;
    let bank = party(BANK, "某商业银行北京通州支行（示意）", PartyKind::Company);
    let loan = source(
        "抵字[2026]0518号",
        SourceKind::Application,
        "抵押合同",
        date(2026, 5, 18),
    );
    l.act(
        date(2026, 5, 20),
        "抵押",
        vec![],
        vec![loan],
        ActBody::Mortgage {
            unit: wc("GX00001"),
            mortgagee: bank,
            amount: 120_000_000.0,
            maximum: false,
            debt_term: Term {
                start: Some(date(2026, 5, 20)),
                end: Some(date(2031, 5, 19)),
            },
        },
        false,
    )?;
    outln!(l.out, "-- Wengcheng register pages now");
    for code in ["GX00001", "GB00001", "GX00003", "GX00002"] {
        l.page(&wc(code), None)?;
    }
    outln!(l.out, "-- GX00002 as of 2025-08-31, before the buy-back");
    l.page(&wc("GX00002"), Some(date(2025, 8, 31)))
}

const DZ: &str = "110108012004";
const CITY_HD: &str = "11110108MB0URBAN0H";

fn dz(s: &str) -> String {
    format!("{DZ}{s}W00000000")
}

fn dazhongsi_life(l: &mut Life, ds: &Dataset) -> anyhow::Result<()> {
    outln!(
        l.out,
        "-- Dazhongsi: layered allocation of the car park and its east passage; a seizure with a queue"
    );
    let plan = source(
        "京规自(海)条字[2024]0021号",
        SourceKind::Planning,
        "大钟寺体育公园地下空间规划条件",
        date(2024, 4, 10),
    );
    for id in ["dazhongsi-sports-park", "douyin-plot"] {
        let p = ds
            .plot(id)
            .with_context(|| format!("the bundled data has no plot {id}"))?;
        l.act(
            date(2024, 5, 6),
            "规划地块录入",
            vec![],
            vec![plan.clone()],
            ActBody::Plot {
                plot: plot_record(p),
            },
            false,
        )?;
    }
    l.act(
        date(2024, 5, 8),
        "分层预编",
        vec![],
        vec![plan.clone()],
        ActBody::PreCode {
            prefix: format!("{DZ}GX"),
            count: 2,
            plot: Some("dazhongsi-sports-park".into()),
            names: vec!["地下停车场（510个车位）".into(), "东侧连通道".into()],
            predecessors: vec![],
        },
        false,
    )?;
    let city = party(CITY_HD, "北京市海淀区城市管理委员会", PartyKind::Government);
    let decision = source(
        "京海划[2024]017号",
        SourceKind::AllocationDecision,
        "国有建设用地分层划拨决定书（地下停车场及连通道）",
        date(2024, 5, 20),
    );
    let terms = |usage: &str, lower: f64, upper: f64, plots: Vec<String>| SupplyTerms {
        nature: Nature::Allocation,
        holders: Holders::sole(CITY_HD),
        usage: usage.into(),
        term: Term::default(),
        price: None,
        bounds: Bounds { lower, upper },
        plots,
        contract: decision.id.clone(),
    };
    l.act(
        date(2024, 5, 20),
        "分层划拨",
        vec![city.clone()],
        vec![decision.clone()],
        ActBody::Supply {
            unit: dz("GX00001"),
            terms: terms(
                "公益性停车（510个车位）、新能源充电、网约车接送客、垃圾储存转运",
                36.0,
                47.5,
                vec![],
            ),
        },
        false,
    )?;
    let survey = source(
        "DCJG-110108-2024-0015",
        SourceKind::SurveyResult,
        "多测合一成果（地下停车场及连通道）",
        date(2024, 6, 28),
    );
    let passage = unit(ds, &dz("GX00002"))?;
    // Supplied within the park's column alone, the passage is refused: it runs under the
    // Douyin plot.
    l.act(
        date(2024, 7, 1),
        "分层划拨并首次登记",
        vec![city.clone()],
        vec![decision.clone(), survey.clone()],
        ActBody::FirstRegistration {
            unit: dz("GX00002"),
            surveyed: surveyed(passage, &survey.id),
            supply: Some(terms(
                "地下连通道",
                42.0,
                47.0,
                vec!["dazhongsi-sports-park".into()],
            )),
        },
        true,
    )?;
    l.act(
        date(2024, 7, 1),
        "分层划拨",
        vec![],
        vec![decision.clone()],
        ActBody::Supply {
            unit: dz("GX00002"),
            terms: terms(
                "地下连通道（连通抖音地块）",
                42.0,
                47.0,
                vec!["dazhongsi-sports-park".into(), "douyin-plot".into()],
            ),
        },
        false,
    )?;
    for code in ["GX00001", "GX00002"] {
        let u = unit(ds, &dz(code))?;
        l.act(
            date(2024, 7, 10),
            "首次登记",
            vec![],
            vec![survey.clone()],
            ActBody::FirstRegistration {
                unit: dz(code),
                surveyed: surveyed(u, &survey.id),
                supply: None,
            },
            false,
        )?;
    }
    let order1 = source(
        "(2024)京0108执保1234号",
        SourceKind::CourtOrder,
        "协助执行通知书（查封）",
        date(2024, 9, 2),
    );
    let order2 = source(
        "(2025)京01执保0567号",
        SourceKind::CourtOrder,
        "协助执行通知书（轮候查封）",
        date(2025, 1, 10),
    );
    l.act(
        date(2024, 9, 2),
        "法院查封",
        vec![],
        vec![order1.clone()],
        ActBody::Seizure {
            unit: dz("GX00002"),
            court: "北京市海淀区人民法院".into(),
            document: order1.id.clone(),
            start: date(2024, 9, 2),
            end: date(2025, 9, 1),
        },
        false,
    )?;
    l.act(
        date(2025, 1, 10),
        "轮候查封",
        vec![],
        vec![order2.clone()],
        ActBody::Seizure {
            unit: dz("GX00002"),
            court: "北京市第一中级人民法院".into(),
            document: order2.id.clone(),
            start: date(2025, 1, 10),
            end: date(2028, 1, 9),
        },
        false,
    )?;
    let sale = source(
        "买卖[2025]0301号",
        SourceKind::Application,
        "转让申请",
        date(2025, 3, 1),
    );
    let buyer = party(
        "91110108MA0BUYER0X",
        "某物业管理公司（示意）",
        PartyKind::Company,
    );
    l.act(
        date(2025, 3, 2),
        "转让",
        vec![buyer],
        vec![sale],
        ActBody::Transfer {
            unit: dz("GX00002"),
            holders: Holders::sole("91110108MA0BUYER0X"),
            price: Some(1.0e7),
            buy_back: false,
        },
        true,
    )?;
    outln!(
        l.out,
        "-- GX00002 as of 2025-03-02: the first seizure in force, the second waiting"
    );
    l.page(&dz("GX00002"), Some(date(2025, 3, 2)))?;
    outln!(
        l.out,
        "-- GX00002 now: the first has lapsed on 2025-09-01, the second took effect the next day"
    );
    l.page(&dz("GX00002"), None)?;
    l.page(&dz("GX00001"), None)
}
