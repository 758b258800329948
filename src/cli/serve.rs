//! `strata serve`.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

use anyhow::Context;
use strata::checks::planning::Rules;
use strata::export::certificate::seal::{Ed25519Check, Ed25519Seal};
use strata::export::sheet::Profile;
use strata::register::store::postgres_location;
use strata::server::{Service, Users, serve};

use super::args::ServeArgs;
use super::out::{Out, outln};

pub fn run(a: &ServeArgs, out: &mut Out) -> anyhow::Result<ExitCode> {
    let users = match &a.users {
        Some(p) => Users::read(p)?,
        None => Users::default(),
    };
    let mut service = Service::new(&a.register, users)?;
    if let Some(k) = &a.verify_key {
        service = service.with_verifier(Ed25519Check::read(k)?);
    }
    if let Some(r) = &a.rules {
        service = service.with_rules(Rules::read(r)?);
    }
    if let Some(k) = &a.seal_key {
        service = service.with_seal(Ed25519Seal::read(k)?);
    }
    if let Some(p) = &a.profile {
        service = service.with_profile(Profile::read(p)?);
    }
    let pending = match (&a.pending, postgres_location(&a.register)) {
        (Some(p), _) => Some(p.clone()),
        (None, None) => Some(PathBuf::from(format!("{}.pending", a.register))),
        (None, Some(_)) => None,
    };
    if let Some(p) = pending {
        service = service.with_pending(p);
    }
    let service = Arc::new(service);
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("cannot start the service's runtime")?;
    let listener = rt
        .block_on(tokio::net::TcpListener::bind(&a.addr))
        .with_context(|| format!("cannot listen on {}", a.addr))?;
    let bound = listener.local_addr()?;
    outln!(
        out,
        "serving {} on http://{bound}/api/ (the page: http://{bound}/)",
        a.register
    );
    out.flush()?;
    rt.block_on(serve(listener, service))
        .context("the service stopped on an error")?;
    outln!(out, "stopped");
    Ok(ExitCode::SUCCESS)
}
