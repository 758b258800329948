//! The `strata` command: a thin layer over the library. Parses arguments, runs one command,
//! and turns its outcome into an exit code (0 clean, 1 findings, 2 unreadable input).

mod cli;

use std::process::ExitCode;

fn main() -> ExitCode {
    use clap::Parser;
    let args = cli::args::Cli::parse();
    match cli::run(args) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("strata: error: {e:#}");
            ExitCode::from(2)
        }
    }
}
