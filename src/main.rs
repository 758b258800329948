//! The `strata` command: a thin layer over the library. Parses arguments, runs one command,
//! and turns its outcome into an exit code (0 clean, 1 findings, 2 unreadable input).

/// `println!` that ends the program quietly when standard output is closed (`strata … | head`).
macro_rules! outln {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        if writeln!(std::io::stdout().lock(), $($arg)*).is_err() {
            std::process::exit(0);
        }
    }};
}

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
