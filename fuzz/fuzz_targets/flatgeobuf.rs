//! The FlatGeobuf reader never panics and never allocates by an untrusted length, whatever the
//! bytes: every length and index is checked against the bytes that remain.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    // The reader streams a file: the input is written to one per process, removed once read
    // (a crash leaves it behind, which is the input that crashed).
    let path = std::env::temp_dir().join(format!("strata-fuzz-{}.fgb", std::process::id()));
    if std::fs::write(&path, data).is_err() {
        return;
    }
    let mut parts = Vec::new();
    let _ = strata::io::flatgeobuf::read_flatgeobuf(&path, &Default::default(), &mut |p| {
        parts.push(p)
    });
    let _ = std::fs::remove_file(&path);
});
