//! Finds where each JSON value of a document begins and ends, without parsing it: strings,
//! escapes and nesting only. The reader uses it to cut a FeatureCollection into its members
//! and features, so that each feature is parsed from its own bytes (by serde_json, on any
//! thread) while the file streams through a bounded buffer. The framer reports the JSON
//! errors it sees between values in serde_json's words.

use std::io::Read;
use std::path::Path;

use crate::io::error::ImportError;

/// Bytes read from the file at a time.
const CHUNK: usize = 1 << 20;

/// A value larger than this is refused: a feature of [`MAX_POSITIONS_PER_FEATURE`] positions
/// is about 50 MB of text, so a value this large is not a survey's, and buffering it whole
/// would let one file exhaust memory.
///
/// [`MAX_POSITIONS_PER_FEATURE`]: crate::io::profile::MAX_POSITIONS_PER_FEATURE
pub(super) const MAX_VALUE_BYTES: usize = 1 << 30;

/// A JSON error found while framing, at a 1-based line and column.
#[derive(Debug)]
pub(super) enum FrameError {
    Io(std::io::Error),
    Json {
        line: usize,
        column: usize,
        message: String,
    },
}

/// Why a read stopped.
pub(super) enum Stop {
    Frame(FrameError, Option<usize>),
    Import(ImportError),
}

impl From<ImportError> for Stop {
    fn from(e: ImportError) -> Self {
        Stop::Import(e)
    }
}

impl From<FrameError> for Stop {
    fn from(e: FrameError) -> Self {
        Stop::Frame(e, None)
    }
}

impl Stop {
    pub(super) fn into_import(self, path: &Path) -> ImportError {
        match self {
            Stop::Import(e) => e,
            Stop::Frame(FrameError::Io(source), _) => ImportError::Io {
                path: path.to_path_buf(),
                source,
            },
            Stop::Frame(
                FrameError::Json {
                    line,
                    column,
                    message,
                },
                feature,
            ) => ImportError::Json {
                path: path.to_path_buf(),
                line,
                column,
                message: match feature {
                    Some(n) => format!("{message} (in feature {n})"),
                    None => message,
                },
            },
        }
    }

    /// The same stop, said while waiting for feature `n`.
    pub(super) fn in_feature(self, n: usize) -> Self {
        match self {
            Stop::Frame(e, _) => Stop::Frame(e, Some(n)),
            s => s,
        }
    }
}

/// Where a value starts in the file.
#[derive(Debug, Clone, Copy)]
pub(super) struct Start {
    pub line: usize,
    pub column: usize,
}

impl Start {
    /// An error serde_json found in the value starting here, placed in the file.
    pub fn error(self, e: &serde_json::Error) -> FrameError {
        let (line, column) = if e.line() <= 1 {
            (self.line, self.column + e.column().saturating_sub(1))
        } else {
            (self.line + e.line() - 1, e.column())
        };
        FrameError::Json {
            line,
            column,
            message: crate::io::json::sentence(e),
        }
    }
}

/// A document read through a growing, compacted buffer.
pub(super) struct Framer<R> {
    reader: R,
    /// The buffer, zeroed once when it grows; `buf[..end]` holds bytes of the file.
    buf: Vec<u8>,
    end: usize,
    /// The next byte to look at.
    pos: usize,
    eof: bool,
    /// The current line (1-based) and the buffer index where it starts (it may be negative
    /// once the buffer has been compacted, hence the signed type).
    line: usize,
    line_start: isize,
    /// How many bytes of the file came before `buf[0]`.
    consumed: u64,
}

/// How a value's bytes ended.
pub(super) enum Value {
    /// The whole value, `bytes` long from the current position.
    Whole(usize),
    /// The file ends inside the value, `bytes` from the current position.
    Truncated(usize),
}

impl<R: Read> Framer<R> {
    pub fn new(reader: R) -> Self {
        Framer {
            reader,
            buf: Vec::new(),
            end: 0,
            pos: 0,
            eof: false,
            line: 1,
            line_start: 0,
            consumed: 0,
        }
    }

    /// The line and column of the next byte.
    pub fn here(&self) -> Start {
        Start {
            line: self.line,
            column: (self.pos as isize - self.line_start + 1) as usize,
        }
    }

    /// The byte offset in the file of the next byte.
    pub fn offset(&self) -> u64 {
        self.consumed + self.pos as u64
    }

    /// An error at the next byte.
    pub fn error(&self, message: impl Into<String>) -> FrameError {
        let h = self.here();
        FrameError::Json {
            line: h.line,
            column: h.column,
            message: message.into(),
        }
    }

    /// Reads more of the file, keeping the bytes from the current position on. False at the
    /// end of the file.
    fn more(&mut self) -> Result<bool, FrameError> {
        if self.eof {
            return Ok(false);
        }
        if self.pos > 0 {
            self.buf.copy_within(self.pos..self.end, 0);
            self.end -= self.pos;
            self.consumed += self.pos as u64;
            self.line_start -= self.pos as isize;
            self.pos = 0;
        }
        // A value longer than the buffer: it grows (and only then is memory zeroed).
        if self.buf.len() - self.end < CHUNK {
            self.buf.resize(self.end + CHUNK, 0);
        }
        let n = loop {
            match self.reader.read(&mut self.buf[self.end..]) {
                Ok(n) => break n,
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(FrameError::Io(e)),
            }
        };
        self.end += n;
        self.eof = n == 0;
        Ok(n > 0)
    }

    /// The next byte that is not whitespace, left unread; `None` at the end of the file.
    pub fn peek(&mut self) -> Result<Option<u8>, FrameError> {
        loop {
            while let Some(&b) = self.buf[..self.end].get(self.pos) {
                match b {
                    b'\n' => {
                        self.line += 1;
                        self.line_start = self.pos as isize + 1;
                    }
                    b' ' | b'\t' | b'\r' => {}
                    _ => return Ok(Some(b)),
                }
                self.pos += 1;
            }
            if !self.more()? {
                return Ok(None);
            }
        }
    }

    /// Steps over the byte `peek` returned.
    pub fn bump(&mut self) {
        self.pos += 1;
    }

    /// Finds the end of the value that starts at the current position (after `peek`),
    /// reading more of the file as needed; the position stays at the value's start.
    pub fn value(&mut self) -> Result<Value, FrameError> {
        let mut scan = Scan::default();
        let mut at = self.pos;
        loop {
            match scan.run(&self.buf[..self.end], at) {
                Ok(end) => return Ok(Value::Whole(end - self.pos)),
                Err(stopped) => at = stopped,
            }
            if at - self.pos > MAX_VALUE_BYTES {
                return Err(self.error(format!(
                    "a value longer than {} MiB: no survey feature is that large",
                    MAX_VALUE_BYTES >> 20
                )));
            }
            let from = at - self.pos;
            if !self.more()? {
                return Ok(Value::Truncated(self.end - self.pos));
            }
            at = self.pos + from;
        }
    }

    /// The `len` bytes at the current position.
    pub fn bytes(&self, len: usize) -> &[u8] {
        &self.buf[self.pos..self.pos + len]
    }

    /// Steps over `len` bytes, counting their lines.
    pub fn consume(&mut self, len: usize) {
        let bytes = &self.buf[self.pos..self.pos + len];
        if let Some(last) = bytes.iter().rposition(|&b| b == b'\n') {
            self.line += bytes.iter().filter(|&&b| b == b'\n').count();
            self.line_start = (self.pos + last + 1) as isize;
        }
        self.pos += len;
    }
}

/// The state of a scan through one value, kept across reads of the file.
///
/// Inside an object only braces and strings matter: in JSON, brackets nest within braces, so
/// the brace that closes the first one ends the value, and the scan jumps from one `"`, `{` or
/// `}` to the next (`memchr3`). An array is scanned the same way with brackets. Whatever is
/// not well nested is left for serde_json to refuse when it parses the value's bytes.
#[derive(Default)]
struct Scan {
    /// The bytes that open and close the value, once its first byte is seen (`None` for a
    /// string, number, `true`, `false` or `null`).
    pair: Option<Option<(u8, u8)>>,
    depth: usize,
    in_string: bool,
}

/// True for a byte that ends a number, `true`, `false` or `null`.
fn ends_scalar(b: u8) -> bool {
    matches!(b, b',' | b']' | b'}' | b':' | b' ' | b'\t' | b'\n' | b'\r')
}

impl Scan {
    /// Scans `buf` from `at`: `Ok(end)` just after the value, or `Err(at)` where the bytes ran
    /// out.
    fn run(&mut self, buf: &[u8], mut at: usize) -> Result<usize, usize> {
        let pair = match self.pair {
            Some(p) => p,
            None => {
                let Some(&b) = buf.get(at) else {
                    return Err(at);
                };
                let p = match b {
                    b'{' => Some((b'{', b'}')),
                    b'[' => Some((b'[', b']')),
                    _ => None,
                };
                self.pair = Some(p);
                if b == b'"' {
                    self.in_string = true;
                    at += 1;
                } else if p.is_none() {
                    // A scalar, or a stray byte that serde_json will name: one byte at least.
                    at += 1;
                }
                p
            }
        };
        loop {
            if self.in_string {
                match memchr::memchr2(b'"', b'\\', &buf[at..]) {
                    None => return Err(buf.len()),
                    Some(i) if buf[at + i] == b'\\' => {
                        // An escape: the byte after the backslash is never the string's end.
                        if at + i + 1 >= buf.len() {
                            return Err(at + i);
                        }
                        at += i + 2;
                    }
                    Some(i) => {
                        self.in_string = false;
                        at += i + 1;
                        if pair.is_none() {
                            return Ok(at);
                        }
                    }
                }
                continue;
            }
            let Some((open, close)) = pair else {
                // A scalar ends at a separator, a closing bracket or the end of the file.
                return match buf[at..].iter().position(|&b| ends_scalar(b)) {
                    Some(i) => Ok(at + i),
                    None => Err(buf.len()),
                };
            };
            let Some(i) = memchr::memchr3(b'"', open, close, &buf[at..]) else {
                return Err(buf.len());
            };
            at += i;
            match buf[at] {
                b'"' => self.in_string = true,
                b if b == open => self.depth += 1,
                _ => {
                    self.depth -= 1;
                    if self.depth == 0 {
                        return Ok(at + 1);
                    }
                }
            }
            at += 1;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn values(text: &str) -> Vec<String> {
        let mut f = Framer::new(text.as_bytes());
        let mut out = Vec::new();
        while f.peek().unwrap().is_some() {
            let len = match f.value().unwrap() {
                Value::Whole(n) => n,
                Value::Truncated(n) => {
                    out.push(format!("…{}", String::from_utf8_lossy(f.bytes(n))));
                    f.consume(n);
                    continue;
                }
            };
            out.push(String::from_utf8_lossy(f.bytes(len)).into_owned());
            f.consume(len);
            if f.peek().unwrap() == Some(b',') {
                f.bump();
            }
        }
        out
    }

    #[test]
    fn values_end_where_json_says() {
        assert_eq!(
            values(r#"{"a": "}\"]"}, [1, [2, "[" ]], 12.5e3 ,true,null, "x\\", {"#),
            [
                r#"{"a": "}\"]"}"#,
                r#"[1, [2, "[" ]]"#,
                "12.5e3",
                "true",
                "null",
                r#""x\\""#,
                "…{"
            ]
        );
    }

    #[test]
    fn values_span_reads_and_lines_are_counted() {
        let long = format!("[{}\n1]", "0,".repeat(CHUNK));
        let text = format!("\n\n {long} \n 7");
        let mut f = Framer::new(text.as_bytes());
        assert_eq!(f.peek().unwrap(), Some(b'['));
        assert_eq!((f.here().line, f.here().column), (3, 2));
        let Value::Whole(n) = f.value().unwrap() else {
            panic!("the array is whole")
        };
        assert_eq!(n, long.len());
        f.consume(n);
        assert_eq!(f.peek().unwrap(), Some(b'7'));
        assert_eq!((f.here().line, f.here().column), (5, 2));
    }
}
