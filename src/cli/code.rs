//! `strata code parse` and `strata code next`.

use std::process::ExitCode;

use anyhow::Context;
use serde_json::json;
use strata::model::unit_code::{
    LetterSets, UnitCode, check_all, describe_fixture_kind, describe_ownership,
    describe_parcel_kind, next_codes,
};

use std::io::Write;
use std::path::{Path, PathBuf};

use super::args::{CodeCommand, ReadArgs};
use super::input;
use super::out::{Out, outln};

pub fn run(c: CodeCommand, out: &mut Out) -> anyhow::Result<ExitCode> {
    match c {
        CodeCommand::Parse { code, json } => parse(&code, json, out),
        CodeCommand::Next {
            prefix,
            count,
            fixture,
            files,
            ledger,
            read,
            json,
        } => next(
            &Next {
                prefix: &prefix,
                count,
                fixture: fixture.as_deref(),
                ledger: ledger.as_deref(),
                json,
            },
            files,
            *read,
            out,
        ),
    }
}

fn parse(code: &str, json: bool, out: &mut Out) -> anyhow::Result<ExitCode> {
    let letters = LetterSets::default();
    match UnitCode::parse_with(code, &letters) {
        Ok(c) => {
            if json {
                let v = json!({
                    "code": c.as_str(),
                    "valid": true,
                    "county": c.county(),
                    "district": c.district(),
                    "sub_district": c.sub_district(),
                    "parcel_feature": c.parcel_feature(),
                    "parcel_seq": c.parcel_seq(),
                    "fixture_feature": c.fixture_kind().to_string(),
                    "fixture_number": c.fixture_number(),
                    "stratum": c.stratum().map(|s| s.as_str()),
                    "land_code": c.land_code().as_str(),
                });
                outln!(out, "{}", serde_json::to_string_pretty(&v)?);
            } else {
                outln!(
                    out,
                    "{} is a valid real-estate unit code (GB/T 37346-2019)",
                    c.as_str()
                );
                outln!(out, "  county (县级行政区划代码)        {}", c.county());
                outln!(out, "  cadastral district (地籍区)      {}", c.district());
                outln!(
                    out,
                    "  sub-district (地籍子区)          {}",
                    c.sub_district()
                );
                outln!(
                    out,
                    "  parcel feature code (宗地特征码)  {}: {}; {}",
                    c.parcel_feature(),
                    describe_ownership(c.ownership()).unwrap_or("local letter"),
                    describe_parcel_kind(c.parcel_kind()).unwrap_or("local letter")
                );
                outln!(
                    out,
                    "  parcel sequence (宗地顺序号)      {:05}",
                    c.parcel_seq()
                );
                outln!(
                    out,
                    "  fixture (定着物)                 {}{}: {}",
                    c.fixture_kind(),
                    c.fixture_number(),
                    describe_fixture_kind(c.fixture_kind()).unwrap_or("local letter")
                );
                if let Some(s) = c.stratum() {
                    outln!(
                        out,
                        "  stratum (空间层次)               {} ({})",
                        s.as_str(),
                        s.name_zh()
                    );
                }
            }
            Ok(ExitCode::SUCCESS)
        }
        Err(_) => {
            let errors: Vec<String> = check_all(code, &letters)
                .iter()
                .map(ToString::to_string)
                .collect();
            if json {
                let v = json!({"code": code, "valid": false, "errors": errors});
                outln!(out, "{}", serde_json::to_string_pretty(&v)?);
            } else {
                outln!(out, "`{code}` is not a valid unit code:");
                for e in &errors {
                    outln!(out, "  {e}");
                }
            }
            Ok(ExitCode::from(1))
        }
    }
}

/// What `code next` is asked.
struct Next<'a> {
    prefix: &'a str,
    count: usize,
    fixture: Option<&'a str>,
    ledger: Option<&'a Path>,
    json: bool,
}

/// The codes a ledger lists, one per line (blank lines and `#` comments ignored); a line
/// that is not a code is an error naming the line.
fn read_ledger(path: &Path, letters: &LetterSets) -> anyhow::Result<Vec<UnitCode>> {
    let text = match std::fs::read_to_string(path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => {
            return Err(e).with_context(|| format!("{}: cannot read the ledger", path.display()));
        }
    };
    let mut codes = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let t = line.trim();
        if t.is_empty() || t.starts_with('#') {
            continue;
        }
        let code = UnitCode::parse_with(t, letters).map_err(|e| {
            anyhow::anyhow!(
                "{}: line {}: `{}` is not a unit code: {e}",
                path.display(),
                i + 1,
                strata::diagnostics::clip(t)
            )
        })?;
        codes.push(code);
    }
    Ok(codes)
}

fn next(q: &Next, files: Vec<PathBuf>, read: ReadArgs, out: &mut Out) -> anyhow::Result<ExitCode> {
    let letters = LetterSets::default();
    let mut existing = Vec::new();
    if !files.is_empty() {
        // The input is admitted as for any command, but every code read is taken, also the
        // codes of units that validation rejects: a number is never issued twice.
        let opts = input::admit_options(&read)?;
        let ds = input::read(&files, &opts.import)?;
        existing.extend(ds.units.iter().filter_map(|u| u.code.clone()));
        let findings = input::validate(&ds, &opts.tolerances);
        input::decide_or_refuse(ds, &findings, opts.skip_invalid, out, q.json)?;
    }
    if let Some(l) = q.ledger {
        existing.extend(read_ledger(l, &letters)?);
    }
    let fx = match q.fixture {
        Some(f) => {
            let mut ch = f.chars();
            let k = ch
                .next()
                .context("--fixture: expected a letter and 8 digits, e.g. F00010001")?;
            Some((k, &f[k.len_utf8()..]))
        }
        None => None,
    };
    let codes = next_codes(existing.iter(), q.prefix, q.count, fx, &letters)?;
    if let Some(l) = q.ledger {
        let mut text = std::fs::read_to_string(l).unwrap_or_default();
        if !text.is_empty() && !text.ends_with('\n') {
            text.push('\n');
        }
        for c in &codes {
            text.push_str(c.as_str());
            text.push('\n');
        }
        strata::io::atomic::write_atomically(l, |w| w.write_all(text.as_bytes()))
            .with_context(|| format!("{}: cannot write the ledger", l.display()))?;
    }
    if q.json {
        let v: Vec<&str> = codes.iter().map(UnitCode::as_str).collect();
        outln!(
            out,
            "{}",
            serde_json::to_string_pretty(
                &json!({"prefix": q.prefix, "taken": existing.len(), "codes": v})
            )?
        );
    } else {
        for c in &codes {
            outln!(out, "{}", c.as_str());
        }
    }
    Ok(ExitCode::SUCCESS)
}
