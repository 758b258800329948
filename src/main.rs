//! The `strata` command: a thin layer over the library. Parses arguments, runs one command,
//! and turns its outcome into an exit code (0 clean, 1 findings, 2 unreadable input or a
//! failed write).

mod cli;

use std::process::ExitCode;

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// `mi_option_purge_delay`: the 16th option of `mi_option_e` in mimalloc 3's `mimalloc.h` (the
/// bundled version of `libmimalloc-sys`, which names no constant for it).
const MI_OPTION_PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;

/// A command runs once and ends: memory it frees is kept for its next allocations instead of
/// being returned to the system after 10 ms and faulted in, zeroed, again. A batch import of a
/// million units spent a quarter of its system time zeroing pages it had freed and taken back.
fn keep_freed_memory() {
    // SAFETY: `mi_option_set` takes an option number and a value, both plain integers, and
    // only stores the value in mimalloc's option table; mimalloc documents it as callable at
    // any time, from any thread, and an unknown option number is ignored.
    unsafe { libmimalloc_sys::mi_option_set(MI_OPTION_PURGE_DELAY, -1) }
}

fn main() -> ExitCode {
    use clap::Parser;
    keep_freed_memory();
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
