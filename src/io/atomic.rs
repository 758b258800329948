//! Files written whole or not at all: into a temporary file beside the target, flushed to
//! disk, and renamed over the target only when complete. A failed or interrupted write leaves
//! the previous file as it was and no partial file behind.

use std::io::{BufWriter, Write};
use std::path::Path;

/// Writes `path` through `write`, atomically (see the module doc).
///
/// ```
/// let dir = tempfile::tempdir().unwrap();
/// let p = dir.path().join("report.json");
/// strata::io::atomic::write_atomically(&p, |w| w.write_all(b"{}")).unwrap();
/// assert_eq!(std::fs::read(&p).unwrap(), b"{}");
/// let failed = strata::io::atomic::write_atomically(&p, |_| Err(std::io::Error::other("disk full")));
/// assert!(failed.is_err());
/// assert_eq!(std::fs::read(&p).unwrap(), b"{}", "the old file stays whole");
/// # #[cfg(unix)]
/// # {
/// use std::os::unix::fs::PermissionsExt;
/// assert_eq!(std::fs::metadata(&p).unwrap().permissions().mode() & 0o777, 0o644);
/// # }
/// ```
pub fn write_atomically(
    path: &Path,
    write: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
) -> std::io::Result<()> {
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let mut builder = tempfile::Builder::new();
    builder.prefix(".strata-").suffix(".partial");
    #[cfg(unix)]
    builder.permissions(permissions(path));
    let mut tmp = builder.tempfile_in(dir)?;
    {
        let mut w = BufWriter::with_capacity(1 << 20, tmp.as_file_mut());
        write(&mut w)?;
        w.flush()?;
    }
    tmp.as_file().sync_all()?;
    tmp.persist(path).map_err(|e| e.error)?;
    Ok(())
}

/// The permissions of the file written: those of the file it replaces, else readable by all
/// and writable by its owner (a temporary file alone would be private to its owner).
#[cfg(unix)]
fn permissions(path: &Path) -> std::fs::Permissions {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(path)
        .map(|m| m.permissions())
        .unwrap_or_else(|_| std::fs::Permissions::from_mode(0o644))
}

/// Runs `write` on a temporary path beside `path` (for writers that open the file
/// themselves, such as GDAL's), then renames it over `path`; on failure the temporary file is
/// removed and `path` is left as it was.
pub fn write_via_temp_path<E>(
    path: &Path,
    write: impl FnOnce(&Path) -> Result<(), E>,
    io_error: impl Fn(std::io::Error) -> E,
) -> Result<(), E> {
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    // The extension stays last: some writers choose their format by it.
    let ext = path
        .extension()
        .map(|e| format!(".{}", e.to_string_lossy()))
        .unwrap_or_default();
    let tmp = dir.join(format!(".{name}.{}.partial{ext}", std::process::id()));
    let _ = std::fs::remove_file(&tmp);
    let result = write(&tmp).and_then(|()| std::fs::rename(&tmp, path).map_err(&io_error));
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
}
