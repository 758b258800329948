//! The `strata` command: a thin layer over the library. Parses arguments, runs one command,
//! and turns its outcome into an exit code (0 clean, 1 findings, 2 unreadable input or a
//! failed write).

mod cli;

use std::process::ExitCode;

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    use clap::Parser;
    // GDAL prints its warnings to standard error unless told otherwise; Strata reports
    // problems itself, naming file, feature and field. This is the program's choice, made
    // once here, not the library's.
    #[cfg(feature = "gdal")]
    gdal::config::set_error_handler(|_, _, _| {});
    let args = cli::args::Cli::parse();
    let mut out = cli::out::Out::new();
    let result = cli::run(args, &mut out);
    let flushed = out.finish();
    match (result, flushed) {
        (Ok(code), Ok(())) => code,
        (Err(e), _) => match e.downcast_ref::<cli::Refused>() {
            Some(r) => ExitCode::from(r.0),
            None => {
                eprintln!("strata: error: {e:#}");
                ExitCode::from(2)
            }
        },
        (Ok(_), Err(e)) => {
            eprintln!("strata: error: {e}");
            ExitCode::from(2)
        }
    }
}
