//! `strata code parse` and `strata code next`.

use std::process::ExitCode;

use anyhow::Context;
use serde_json::json;
use strata::model::unit_code::{
    LetterSets, UnitCode, check_all, describe_fixture_kind, describe_ownership,
    describe_parcel_kind, next_codes,
};

use super::args::CodeCommand;
use super::input;

pub fn run(c: CodeCommand) -> anyhow::Result<ExitCode> {
    match c {
        CodeCommand::Parse { code, json } => parse(&code, json),
        CodeCommand::Next {
            prefix,
            count,
            fixture,
            files,
            crs,
            json,
        } => next(
            &prefix,
            count,
            fixture.as_deref(),
            &files,
            crs.as_deref(),
            json,
        ),
    }
}

fn parse(code: &str, json: bool) -> anyhow::Result<ExitCode> {
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
                outln!("{}", serde_json::to_string_pretty(&v)?);
            } else {
                outln!(
                    "{} is a valid real-estate unit code (GB/T 37346-2019)",
                    c.as_str()
                );
                outln!("  county (县级行政区划代码)        {}", c.county());
                outln!("  cadastral district (地籍区)      {}", c.district());
                outln!("  sub-district (地籍子区)          {}", c.sub_district());
                outln!(
                    "  parcel feature code (宗地特征码)  {}: {}; {}",
                    c.parcel_feature(),
                    describe_ownership(c.ownership()).unwrap_or("local letter"),
                    describe_parcel_kind(c.parcel_kind()).unwrap_or("local letter")
                );
                outln!("  parcel sequence (宗地顺序号)      {:05}", c.parcel_seq());
                outln!(
                    "  fixture (定着物)                 {}{}: {}",
                    c.fixture_kind(),
                    c.fixture_number(),
                    describe_fixture_kind(c.fixture_kind()).unwrap_or("local letter")
                );
                if let Some(s) = c.stratum() {
                    outln!(
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
                outln!("{}", serde_json::to_string_pretty(&v)?);
            } else {
                outln!("`{code}` is not a valid unit code:");
                for e in &errors {
                    outln!("  {e}");
                }
            }
            Ok(ExitCode::from(1))
        }
    }
}

fn next(
    prefix: &str,
    count: usize,
    fixture: Option<&str>,
    files: &[std::path::PathBuf],
    crs: Option<&str>,
    json: bool,
) -> anyhow::Result<ExitCode> {
    let letters = LetterSets::default();
    let mut existing = Vec::new();
    if !files.is_empty() {
        let opts = input::options(crs, None, None)?;
        let ds = strata::io::read_dataset(files, &opts)?;
        existing.extend(ds.units.iter().filter_map(|u| u.code.clone()));
    }
    let fx = match fixture {
        Some(f) => {
            let mut ch = f.chars();
            let k = ch
                .next()
                .context("--fixture: expected a letter and 8 digits, e.g. F00010001")?;
            Some((k, &f[k.len_utf8()..]))
        }
        None => None,
    };
    let codes = next_codes(existing.iter(), prefix, count, fx, &letters)?;
    if json {
        let v: Vec<&str> = codes.iter().map(UnitCode::as_str).collect();
        outln!(
            "{}",
            serde_json::to_string_pretty(
                &json!({"prefix": prefix, "taken": existing.len(), "codes": v})
            )?
        );
    } else {
        for c in &codes {
            outln!("{}", c.as_str());
        }
    }
    Ok(ExitCode::SUCCESS)
}
