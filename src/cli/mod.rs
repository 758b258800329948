//! The commands.

pub mod args;
mod check;
mod code;
mod demo;
mod export;
mod generate;
mod info;
mod input;
mod query;
mod sixto;
mod validate;

use std::process::ExitCode;

use args::{Cli, Command};

/// Runs one command; `Err` is unreadable input (exit 2).
pub fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    match cli.command {
        Command::Validate(a) => validate::run(&a),
        Command::Info(a) => info::run(&a),
        Command::Code(c) => code::run(c),
        Command::Check(a) => check::run(&a),
        Command::Sixto(a) => sixto::run(&a),
        Command::Query(a) => query::run(&a),
        Command::Export(a) => export::run(&a),
        Command::Generate(a) => generate::run(&a),
        Command::Demo(a) => demo::run(&a),
    }
}
