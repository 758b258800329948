//! The commands.

pub mod args;
mod batch;
mod cert;
mod check;
mod code;
mod demo;
mod demo_documents;
mod demo_register;
mod export;
mod generate;
mod info;
mod input;
mod map;
pub mod out;
mod query;
mod reg_export;
mod reg_export_gltf;
mod register;
mod register_flags;
mod register_shard;
mod report;
mod rules;
mod serve;
mod sixto;
mod validate;

use std::process::ExitCode;

use args::{Cli, Command};
use out::Out;

/// A command that already said why it stops: the exit code only.
#[derive(Debug, thiserror::Error)]
#[error("refused (exit {0})")]
pub struct Refused(pub u8);

/// Runs one command; `Err` is unreadable input or a failed write (exit 2), or a [`Refused`].
pub fn run(cli: Cli, out: &mut Out) -> anyhow::Result<ExitCode> {
    match cli.command {
        Command::Validate(a) => validate::run(&a, out),
        Command::Info(a) => info::run(&a, out),
        Command::Code(c) => code::run(c, out),
        Command::Check(a) => check::run(&a, out),
        Command::Sixto(a) => sixto::run(&a, out),
        Command::Query(a) => query::run(&a, out),
        Command::Rules(a) => rules::run(&a, out),
        Command::Export(a) => export::run(&a, out),
        Command::Generate(a) => generate::run(&a),
        Command::Register(c) => register::run(c, out),
        Command::Cert(c) => cert::run(c, out),
        Command::Demo(a) => demo::run(&a, out),
        Command::Serve(a) => serve::run(&a, out),
    }
}
