//! `strata register` on a register sharded by county: creating one, and the questions asked
//! of every county at once (the live rights a volume meets, verification).

use std::io::Write;
use std::process::ExitCode;

use anyhow::{Context, bail};
use strata::geometry::algorithm::BoundingBox3;
use strata::register::meeting::{Met, Proposal, rights_meeting};
use strata::register::shard::ShardedRegister;
use strata::register::shard::county::read_boundaries;
use strata::register::store::postgres_location;
use strata::register::{Settings, VerifyReport};

use super::args::InitArgs;
use super::out::{Out, outln, write_json};

/// Creates a register sharded by county from `--shard CODE=URL` and `--counties FILE`.
pub fn init(a: &InitArgs, settings: Settings, out: &mut Out) -> anyhow::Result<ExitCode> {
    let Some((url, schema)) = postgres_location(&a.register) else {
        bail!(
            "{}: a sharded register's coordinator is a PostgreSQL database \
             (postgresql://user@host:port/db#schema)",
            a.register
        );
    };
    let mut shards = Vec::with_capacity(a.shard.len());
    for s in &a.shard {
        let Some((code, shard)) = s.split_once('=') else {
            bail!("--shard {s}: not CODE=URL");
        };
        shards.push((code.to_string(), shard.to_string()));
    }
    let Some(path) = &a.counties else {
        bail!("--shard needs --counties FILE, the counties' boundaries");
    };
    let text =
        std::fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))?;
    let counties =
        read_boundaries(&path.display().to_string(), &text).map_err(|e| anyhow::anyhow!(e))?;
    let city = ShardedRegister::create(url, schema, &shards, &counties, settings)?;
    outln!(
        out,
        "created register {} sharded by county: {}",
        city.location(),
        city.counties()
            .iter()
            .map(|c| c.code.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    );
    Ok(ExitCode::SUCCESS)
}

/// The live rights a proposal meets in every county whose boundary its box reaches, in unit
/// code order.
pub fn rights_meeting_all(
    city: &ShardedRegister,
    proposal: Proposal<'_>,
) -> anyhow::Result<Vec<Met>> {
    let b = match proposal {
        Proposal::Box(b) => *b,
        Proposal::Volume(v) => v.bbox(),
    };
    let mut hits = Vec::new();
    for c in city.counties() {
        let reaches = geo::BoundingRect::bounding_rect(&c.boundary).is_some_and(|r| {
            r.min().x <= b.max.x
                && b.min.x <= r.max().x
                && r.min().y <= b.max.y
                && b.min.y <= r.max().y
        });
        if reaches {
            let reg = city.county(&c.code)?;
            hits.extend(rights_meeting(&reg, proposal, city.settings().snap)?);
        }
    }
    hits.sort_by(|a, b| a.unit.cmp(&b.unit));
    Ok(hits)
}

/// Verifies every county; exits 1 when one fails.
pub fn verify(city: &mut ShardedRegister, json: bool, out: &mut Out) -> anyhow::Result<ExitCode> {
    let opts = city.settings().options();
    let reports = city.verify(&opts)?;
    let ok = reports.iter().all(|r| r.report.ok());
    if json {
        write_json(
            out,
            &serde_json::json!({"register": city.location(), "ok": ok, "counties": reports}),
        )?;
    } else {
        outln!(
            out,
            "verify {}: {} counties: {}",
            city.location(),
            reports.len(),
            if ok { "passed" } else { "FAILED" }
        );
        for r in &reports {
            outln!(out, "county {}:", r.county);
            print_report(out, &r.report)?;
        }
    }
    Ok(if ok {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

fn print_report(out: &mut Out, r: &VerifyReport) -> anyhow::Result<()> {
    super::register::print_verify(out, r)
}
