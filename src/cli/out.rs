//! Standard output that tells a closed pipe from a failed write: when the reader of a pipe
//! goes away (`strata check … | head`), the rest of the report is dropped and the command
//! keeps its exit status; any other failure (a full disk, an I/O error) is an error.

use std::io::{BufWriter, ErrorKind, Stdout, Write};
use std::path::Path;

use anyhow::Context;

/// Writes `bytes` to `path` whole or not at all, naming the file when it fails.
pub fn write_file(path: &Path, bytes: &[u8]) -> anyhow::Result<()> {
    strata::io::atomic::write_atomically(path, |w| w.write_all(bytes))
        .with_context(|| format!("{}: could not be written", path.display()))
}

/// Buffered standard output.
pub struct Out {
    w: BufWriter<Stdout>,
    closed: bool,
}

impl Out {
    /// Standard output, buffered.
    pub fn new() -> Out {
        Out {
            w: BufWriter::with_capacity(1 << 16, std::io::stdout()),
            closed: false,
        }
    }

    /// Flushes what is left; a closed pipe is not an error.
    pub fn finish(mut self) -> std::io::Result<()> {
        self.flush()
    }

    fn settle<T>(&mut self, r: std::io::Result<T>, closed: T) -> std::io::Result<T> {
        match r {
            Err(e) if e.kind() == ErrorKind::BrokenPipe => {
                self.closed = true;
                Ok(closed)
            }
            Err(e) => Err(std::io::Error::new(
                e.kind(),
                format!("cannot write to standard output: {e}"),
            )),
            ok => ok,
        }
    }
}

impl Write for Out {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        if self.closed {
            return Ok(buf.len());
        }
        let r = self.w.write(buf);
        self.settle(r, buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        if self.closed {
            return Ok(());
        }
        let r = self.w.flush();
        self.settle(r, ())
    }
}

/// Writes `value` as pretty JSON and a newline, streamed (a report of a million units is never
/// held as one string).
pub fn write_json(out: &mut Out, value: &impl serde::Serialize) -> anyhow::Result<()> {
    serde_json::to_writer_pretty(&mut *out, value)?;
    out.write_all(b"\n")?;
    Ok(())
}

/// A report with what the admission left out, serialized as the report's members and
/// `left_out`.
#[derive(serde::Serialize)]
pub struct WithLeftOut<'a, T: serde::Serialize> {
    /// The report.
    #[serde(flatten)]
    pub report: &'a T,
    /// What the admission left out.
    pub left_out: &'a strata::admit::LeftOut,
}

/// `writeln!` to the output, with `?`.
macro_rules! outln {
    ($out:expr) => {
        writeln!($out)?
    };
    ($out:expr, $($arg:tt)*) => {
        writeln!($out, $($arg)*)?
    };
}
pub(crate) use outln;
