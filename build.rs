//! Link settings. Strata bundles its own SQLite (through rusqlite, for the register), and
//! GDAL, with the `gdal` feature, loads the system's. The bundled copy's symbols must stay out
//! of the executable's dynamic symbol table, or GDAL's calls into SQLite land in the bundled
//! copy with the system copy's handles (a crash when GDAL closes a GeoPackage).

fn main() {
    let gdal = std::env::var_os("CARGO_FEATURE_GDAL").is_some();
    let linux = std::env::var("CARGO_CFG_TARGET_OS").as_deref() == Ok("linux");
    if gdal && linux {
        println!("cargo:rustc-link-arg=-Wl,--exclude-libs,ALL");
    }
}
