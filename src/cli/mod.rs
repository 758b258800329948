//! The commands.

pub mod args;
mod code;
mod demo;
mod info;
mod input;
mod validate;

use std::process::ExitCode;

use args::{Cli, Command};

/// Runs one command; `Err` is unreadable input (exit 2).
pub fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    match cli.command {
        Command::Validate(a) => validate::run(&a),
        Command::Info(a) => info::run(&a),
        Command::Code(c) => code::run(c),
        Command::Demo(a) => demo::run(&a),
    }
}
