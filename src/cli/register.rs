//! `strata register`: create a register, record acts, read pages and history, query live
//! rights, verify.

use std::io::Write;
use std::path::Path;
use std::process::ExitCode;

use anyhow::{Context, bail};
use jiff::Timestamp;
use serde::Serialize;
use strata::admit::parse_volume_spec;
use strata::geometry::{Aabb, Point3};
use strata::model::frame::parse_epsg;
use strata::register::import::{ImportOptions, import_acts};
use strata::register::meeting::{Proposal, rights_meeting};
use strata::register::page::page;
use strata::register::record::{Kind, Record};
use strata::register::store::{self, Store};
use strata::register::{Act, Clock, RegisterError, Settings, record, verify};

use super::Refused;
use super::args::{
    ActArgs, CertificatesArgs, CopyArgs, HoldingsArgs, ImportArgs, InitArgs, RegQueryArgs,
    RegisterCommand, ShowArgs, VerifyArgs,
};
use super::input;
use super::out::{Out, outln, write_json};

pub fn run(c: RegisterCommand, out: &mut Out) -> anyhow::Result<ExitCode> {
    match c {
        RegisterCommand::Init(a) => init(&a, out),
        RegisterCommand::Import(a) => import(&a, out),
        RegisterCommand::Act(a) => act(&a, out),
        RegisterCommand::Show(a) => show(&a, out, false),
        RegisterCommand::History(a) => show(&a, out, true),
        RegisterCommand::Query(a) => query(&a, out),
        RegisterCommand::Holdings(a) => holdings(&a, out),
        RegisterCommand::Certificates(a) => certificates(&a, out),
        RegisterCommand::Map(a) => super::map::run(&a, out),
        RegisterCommand::Export(a) => super::reg_export::run(&a, out),
        RegisterCommand::Verify(a) => verify_cmd(&a, out),
        RegisterCommand::Copy(a) => copy(&a, out),
    }
}

fn init(a: &InitArgs, out: &mut Out) -> anyhow::Result<ExitCode> {
    let crs_epsg = match &a.crs {
        Some(c) => Some(parse_epsg(c).with_context(|| format!("--crs {c}: not an EPSG code"))?),
        None => None,
    };
    if !(a.tolerance.is_finite() && a.tolerance >= 0.0) {
        bail!("--tolerance {}: not a distance in metres", a.tolerance);
    }
    if let Some(p) = &a.certificate_pattern {
        strata::register::certificate::check_pattern(p)
            .map_err(|e| anyhow::anyhow!("--certificate-pattern {e}"))?;
    }
    let settings = Settings {
        crs_epsg,
        height_datum: a.height_datum.clone(),
        tolerance: a.tolerance,
        certificate_pattern: a.certificate_pattern.clone(),
        ..Settings::default()
    };
    if !a.shard.is_empty() {
        return super::register_shard::init(a, settings, out);
    }
    let reg = store::create(&a.register, settings)?;
    outln!(out, "created register {}", reg.location());
    Ok(ExitCode::SUCCESS)
}

/// Batches up to this many acts are listed act by act; larger ones are summed up.
const LISTED_ACTS: usize = 20;

/// Records acts and reports them; a refusal is printed and exits 1.
pub fn record_and_report(
    reg: &mut dyn Store,
    acts: &[Act],
    clock: Clock,
    out: &mut Out,
    json: bool,
) -> anyhow::Result<ExitCode> {
    let opts = reg.settings().options();
    match record(reg, acts, clock, &opts) {
        Ok(entries) => {
            if json {
                #[derive(Serialize)]
                struct Recorded<'a> {
                    seq: u64,
                    number: &'a str,
                    recorded_at: Timestamp,
                    hash: String,
                }
                let list: Vec<Recorded> = entries
                    .iter()
                    .map(|e| Recorded {
                        seq: e.seq,
                        number: &e.number,
                        recorded_at: e.recorded_at,
                        hash: e.hash.to_string(),
                    })
                    .collect();
                write_json(out, &serde_json::json!({"recorded": list}))?;
            } else if entries.len() <= LISTED_ACTS {
                for e in &entries {
                    outln!(
                        out,
                        "recorded act {} {} ({}) at {}",
                        e.seq,
                        e.number,
                        e.name,
                        e.recorded_at
                    );
                }
            } else if let (Some(first), Some(last)) = (entries.first(), entries.last()) {
                outln!(
                    out,
                    "recorded {} acts, {} to {} ({} to {}); head {}",
                    entries.len(),
                    first.seq,
                    last.seq,
                    first.number,
                    last.number,
                    last.hash
                );
            }
            Ok(ExitCode::SUCCESS)
        }
        Err(e @ RegisterError::Refused { .. }) => {
            if let (
                true,
                RegisterError::Refused {
                    index,
                    number,
                    unit,
                    refusal,
                },
            ) = (json, &e)
            {
                write_json(
                    out,
                    &serde_json::json!({"refused": {"index": index, "number": number, "unit": unit, "refusal": refusal}}),
                )?;
            } else {
                eprintln!("strata: {e}");
            }
            Err(Refused(1).into())
        }
        Err(e) => Err(e.into()),
    }
}

fn import(a: &ImportArgs, out: &mut Out) -> anyhow::Result<ExitCode> {
    let opts = input::admit_options(&a.read)?;
    let admitted = strata::admit::admit(&a.files, &opts).map_err(|r| anyhow::anyhow!("{r}"))?;
    let o = ImportOptions {
        officer: a.officer.clone(),
        number_prefix: a.number_prefix.clone(),
        survey: a.survey.clone(),
    };
    // A register sharded by county finds the survey's county from its acts (the plots it
    // already holds change which acts there are, not where they go).
    let mut reg = match store::sharded(&a.register)? {
        Some(_) => {
            let acts = import_acts(&admitted.dataset, &[], &o);
            store::open_for(&a.register, false, store::Scope::Acts(&acts))?
        }
        None => store::open(&a.register, false)?,
    };
    let known: Vec<String> = reg
        .live_of_kind(Kind::Plot)?
        .into_iter()
        .map(|(k, _)| k)
        .collect();
    let acts = import_acts(&admitted.dataset, &known, &o);
    let (units, plots) = (admitted.dataset.units.len(), admitted.dataset.plots.len());
    // The acts hold what the batch needs of the survey.
    drop(admitted);
    if !a.json {
        outln!(
            out,
            "importing {} acts from {units} units and {plots} plots",
            acts.len()
        );
    }
    record_and_report(reg.as_mut(), &acts, Clock::Now, out, a.json)
}

/// Reads one act or an array of acts.
pub fn read_acts(path: &Path) -> anyhow::Result<Vec<Act>> {
    let text =
        std::fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))?;
    let v: serde_json::Value =
        serde_json::from_str(&text).with_context(|| format!("{}: not JSON", path.display()))?;
    strata::register::act::acts_from_json(v).map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))
}

/// Reads a time: RFC 3339, or a day (its last moment in China time).
pub fn parse_time(s: &str) -> anyhow::Result<Timestamp> {
    strata::register::page::parse_moment(s).map_err(|e| anyhow::anyhow!(e))
}

fn act(a: &ActArgs, out: &mut Out) -> anyhow::Result<ExitCode> {
    let (mut reg, acts) = match (&a.file, &a.one) {
        (Some(_), Some(_)) => {
            bail!("give the acts with --file FILE or one act with flags, not both")
        }
        (Some(f), None) => {
            let acts = read_acts(f)?;
            let reg = store::open_for(&a.register, false, store::Scope::Acts(&acts))?;
            (reg, acts)
        }
        (None, Some(one)) => {
            let scope = store::Scope::Unit(super::register_flags::unit_of(one));
            let reg = store::open_for(&a.register, false, scope)?;
            let act = super::register_flags::build(&a.common, one, reg.as_ref())?;
            (reg, vec![act])
        }
        (None, None) => bail!("give the acts with --file FILE, or one act with flags"),
    };
    let clock = match &a.recorded_at {
        Some(t) => Clock::At(parse_time(t)?),
        None => Clock::Now,
    };
    record_and_report(reg.as_mut(), &acts, clock, out, a.json)
}

fn show(a: &ShowArgs, out: &mut Out, history_only: bool) -> anyhow::Result<ExitCode> {
    let reg = store::open_for(&a.register, true, store::Scope::Unit(&a.unit))?;
    let at = a.as_of.as_deref().map(parse_time).transpose()?;
    let Some(p) = page(reg.as_ref(), &a.unit, at)? else {
        bail!(
            "{}: unit {} is not in the register{}",
            reg.location(),
            a.unit,
            at.map(|t| format!(" as of {t}")).unwrap_or_default()
        );
    };
    if let Some(path) = &a.pdf {
        super::map::page_pdf(&p, reg.settings(), a.profile.as_deref(), path)?;
    }
    match (a.json, history_only) {
        (true, false) => write_json(out, &p)?,
        (true, true) => write_json(out, &p.history)?,
        (false, false) => write!(out, "{p}")?,
        (false, true) => {
            for h in &p.history {
                outln!(
                    out,
                    "{:>5} {} {} {} · {} · 原因 {} · 登簿人 {}",
                    h.seq,
                    h.recorded_at,
                    h.number,
                    h.name_zh,
                    h.registration_type,
                    h.reason,
                    h.officer
                );
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn query(a: &RegQueryArgs, out: &mut Out) -> anyhow::Result<ExitCode> {
    let volume = parse_volume_spec(&a.volume).transpose()?;
    let bbox = match &volume {
        Some(_) => None,
        None => Some(parse_box(&a.volume)?),
    };
    let proposal = match (&volume, &bbox) {
        (Some(v), _) => Proposal::Volume(v),
        (None, Some(b)) => Proposal::Box(b),
        (None, None) => unreachable!("a volume or a box was parsed"),
    };
    let hits = match store::sharded(&a.register)? {
        Some(city) => super::register_shard::rights_meeting_all(&city, proposal)?,
        None => {
            let reg = store::open(&a.register, true)?;
            let snap = reg.settings().snap;
            rights_meeting(reg.as_ref(), proposal, snap)?
        }
    };
    if a.json {
        write_json(out, &hits)?;
    } else {
        outln!(out, "{} live right(s) met", hits.len());
        for h in &hits {
            outln!(
                out,
                "  {} · {} · {:.3}–{:.3} m{}",
                h.unit,
                h.holders.join("、"),
                h.z_range[0],
                h.z_range[1],
                h.overlap_volume_m3
                    .map(|v| format!(" · shares {v:.3} m³"))
                    .unwrap_or_default()
            );
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// A box `minx,miny,minz,maxx,maxy,maxz`.
pub fn parse_box(s: &str) -> anyhow::Result<Aabb> {
    let n: Vec<f64> = s
        .split(',')
        .map(|x| x.trim().parse::<f64>())
        .collect::<Result<_, _>>()
        .with_context(|| format!("--volume {s}: not a box or a volume"))?;
    if n.len() != 6 || n.iter().any(|x| !x.is_finite()) || n[0] > n[3] || n[1] > n[4] || n[2] > n[5]
    {
        bail!("--volume {s}: a box is minx,miny,minz,maxx,maxy,maxz");
    }
    Ok(Aabb {
        min: Point3::new(n[0], n[1], n[2]),
        max: Point3::new(n[3], n[4], n[5]),
    })
}

fn holdings(a: &HoldingsArgs, out: &mut Out) -> anyhow::Result<ExitCode> {
    let reg = store::open(&a.register, true)?;
    let party = match reg.live(Kind::Party, &a.party)? {
        Some(Record::Party(p)) => p,
        _ => bail!("party {} is not in the register", a.party),
    };
    let mut held = Vec::new();
    for kind in [Kind::Right, Kind::Mortgage] {
        for (key, r) in reg.live_of_kind(kind)? {
            if r.parties().contains(&party.id.as_str()) {
                held.push((kind.as_str(), key, r));
            }
        }
    }
    if a.json {
        write_json(
            out,
            &serde_json::json!({"party": party, "holdings": held.iter().map(|(k, key, r)| serde_json::json!({"kind": k, "key": key, "record": r})).collect::<Vec<_>>()}),
        )?;
    } else {
        outln!(
            out,
            "{} ({}, {})",
            party.name,
            party.id,
            party.kind.name_zh()
        );
        for (k, key, _) in &held {
            outln!(out, "  {k} {key}");
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn certificates(a: &CertificatesArgs, out: &mut Out) -> anyhow::Result<ExitCode> {
    let reg = store::open(&a.register, true)?;
    let mut list = Vec::new();
    for v in reg.all_versions()? {
        if let Record::Certificate(c) = &v.record
            && a.unit.as_ref().is_none_or(|u| *u == c.unit)
        {
            list.push(serde_json::json!({
                "number": c.number, "unit": c.unit, "right": c.right, "holders": c.holders,
                "issued_by_act": v.begin, "ended_by_act": v.end, "current": v.end.is_none(),
            }));
        }
    }
    if a.json {
        write_json(out, &list)?;
    } else {
        for c in &list {
            outln!(
                out,
                "{} · {} · {}",
                c["number"].as_str().unwrap_or_default(),
                c["unit"].as_str().unwrap_or_default(),
                if c["current"].as_bool() == Some(true) {
                    "现行 current"
                } else {
                    "历史 replaced or cancelled"
                }
            );
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn verify_cmd(a: &VerifyArgs, out: &mut Out) -> anyhow::Result<ExitCode> {
    if let Some(mut city) = store::sharded(&a.register)? {
        return super::register_shard::verify(&mut city, a.json, out);
    }
    let reg = store::open(&a.register, true)?;
    let report = verify(reg.as_ref(), &reg.settings().options())?;
    if a.json {
        write_json(out, &report)?;
    } else {
        print_verify(out, &report)?;
    }
    Ok(if report.ok() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

/// Prints a verification report.
pub fn print_verify(out: &mut Out, r: &strata::register::VerifyReport) -> anyhow::Result<()> {
    outln!(
        out,
        "verify: {} acts, {} versions, {} live registered units; head {}: {}",
        r.acts,
        r.versions,
        r.live_units,
        r.head.as_deref().unwrap_or("(empty)"),
        if r.ok() { "passed" } else { "FAILED" }
    );
    for p in &r.problems {
        outln!(out, "  {p}");
    }
    Ok(())
}

fn copy(a: &CopyArgs, out: &mut Out) -> anyhow::Result<ExitCode> {
    let from = store::open(&a.from, true)?;
    let Some(head) = from.head()? else {
        bail!("{}: the register holds no act", from.location());
    };
    let entries = from.entries(1, head.seq)?;
    let mut to = store::create(&a.to, from.settings().clone())?;
    let opts = to.settings().options();
    strata::register::replay(to.as_mut(), &entries, &opts)?;
    let copied_head = to.head()?.map(|h| h.hash);
    if copied_head != Some(head.hash) {
        bail!("the copy's last hash differs from the original's: nothing is trusted");
    }
    outln!(
        out,
        "copied {} acts from {} to {}; head {}",
        head.seq,
        from.location(),
        to.location(),
        head.hash
    );
    Ok(ExitCode::SUCCESS)
}
