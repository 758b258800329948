//! `strata cert`: office keys, issuing certificates, verifying them.

use std::io::Write;
use std::process::ExitCode;

use anyhow::{Context, bail};
use strata::export::certificate::CertError;
use strata::export::certificate::seal::{Ed25519Check, Ed25519Seal, Signer};
use strata::export::certificate::{ECert, Standing, issue, verify_ecert, verify_qr};
use strata::export::pdf::Fonts;
use strata::export::sheet::Profile;
use strata::register::store;

use super::Refused;
use super::args::{CertCommand, CertVerifyArgs, IssueArgs, KeygenArgs};
use super::out::{Out, outln, write_file as write, write_json};

pub fn run(c: CertCommand, out: &mut Out) -> anyhow::Result<ExitCode> {
    match c {
        CertCommand::Keygen(a) => keygen(&a, out),
        CertCommand::Issue(a) => issue_cmd(&a, out),
        CertCommand::Verify(a) => verify_cmd(&a, out),
    }
}

fn keygen(a: &KeygenArgs, out: &mut Out) -> anyhow::Result<ExitCode> {
    let public = a.out.with_extension(match a.out.extension() {
        Some(e) => format!("{}.pub", e.to_string_lossy()),
        None => "pub".into(),
    });
    for p in [&a.out, &public] {
        if p.exists() {
            bail!(
                "{}: exists; an office key is never overwritten",
                p.display()
            );
        }
    }
    let seal = Ed25519Seal::generate()?;
    write(&a.out, seal.secret_text().as_bytes())?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&a.out, std::fs::Permissions::from_mode(0o600))?;
    }
    write(&public, seal.public().text().as_bytes())?;
    outln!(
        out,
        "wrote {} (secret, keep it) and {} (public); key {}",
        a.out.display(),
        public.display(),
        seal.key_id()
    );
    Ok(ExitCode::SUCCESS)
}

fn issue_cmd(a: &IssueArgs, out: &mut Out) -> anyhow::Result<ExitCode> {
    let prof = match &a.profile {
        Some(p) => Profile::read(p)?,
        None => Profile::default(),
    };
    let seal = Ed25519Seal::read(&a.key)?;
    let fonts = Fonts::load(prof.font.as_deref())?;
    std::fs::create_dir_all(&a.out)
        .with_context(|| format!("{}: could not be created", a.out.display()))?;
    // `None` for a unit without a current title certificate.
    let one =
        |reg: &dyn strata::register::store::Store, unit: &str| -> anyhow::Result<Option<String>> {
            let issued = match issue(reg, unit, &prof, &seal, &fonts) {
                Err(CertError::NoCertificate { .. }) => return Ok(None),
                r => r?,
            };
            write(&a.out.join(format!("{unit}.cert.pdf")), &issued.pdf)?;
            let mut text = serde_json::to_vec_pretty(&issued.ecert)?;
            text.push(b'\n');
            write(&a.out.join(format!("{unit}.ecert.json")), &text)?;
            Ok(Some(format!(
                "{} ({})",
                issued.ecert.record.number, issued.ecert.record.id
            )))
        };
    let reg = store::open(&a.register, true)?;
    if let Some(unit) = &a.unit {
        let what = one(reg.as_ref(), unit)?
            .with_context(|| format!("unit {unit}: no current 不动产权证书 in the register"))?;
        outln!(
            out,
            "issued {what} for {unit}: {}/{unit}.cert.pdf and {unit}.ecert.json",
            a.out.display()
        );
        return Ok(ExitCode::SUCCESS);
    }
    let units: Vec<String> = super::batch::registered(reg.as_ref(), None)?;
    drop(reg);
    let issued = super::batch::each(&a.register, &units, one)?;
    let n = issued.iter().flatten().count();
    outln!(
        out,
        "issued {n} certificates ({} units without a current title) into {}",
        units.len() - n,
        a.out.display()
    );
    Ok(ExitCode::SUCCESS)
}

fn verify_cmd(a: &CertVerifyArgs, out: &mut Out) -> anyhow::Result<ExitCode> {
    let key = Ed25519Check::read(&a.key)?;
    let reg = store::open(&a.register, true)?;
    let result = if let Some(path) = &a.ecert {
        let text = std::fs::read_to_string(path)
            .with_context(|| format!("{}: could not be read", path.display()))?;
        let cert: ECert = serde_json::from_str(&text)
            .with_context(|| format!("{}: not a sealed certificate record", path.display()))?;
        let pdf = match &a.pdf {
            Some(p) => Some(
                std::fs::read(p).with_context(|| format!("{}: could not be read", p.display()))?,
            ),
            None => None,
        };
        verify_ecert(&*reg, &key, &cert, pdf.as_deref())
    } else {
        verify_qr(&*reg, &key, a.qr.as_deref().unwrap_or_default())
    };
    let (code, line, json) = match result {
        Ok(v) => {
            let line = match &v.standing {
                Standing::Current => {
                    format!("valid: {} ({}) for {} is current", v.number, v.id, v.unit)
                }
                Standing::Superseded { act, at, by } => format!(
                    "superseded: {} for {} was replaced by {} in act {act} at {at}",
                    v.number,
                    v.unit,
                    by.join(", ")
                ),
                Standing::Cancelled { act, at } => {
                    format!(
                        "cancelled: {} for {} ended in act {act} at {at}",
                        v.number, v.unit
                    )
                }
            };
            let ok = v.standing == Standing::Current;
            (ok, line, serde_json::to_value(&v)?)
        }
        Err(e @ CertError::Invalid { .. }) => {
            let line = e.to_string();
            (
                false,
                line.clone(),
                serde_json::json!({"standing": {"status": "invalid", "reason": line}}),
            )
        }
        Err(e) => return Err(e.into()),
    };
    if a.json {
        write_json(out, &json)?;
    } else {
        outln!(out, "{line}");
    }
    if code {
        Ok(ExitCode::SUCCESS)
    } else {
        Err(Refused(1).into())
    }
}
