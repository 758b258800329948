//! The register in one GeoPackage file (SQLite): the journal, the versions of every record,
//! a spatial index of the live registered volumes, and the current layers for GIS.
//!
//! Every batch of acts is one `BEGIN IMMEDIATE … COMMIT` transaction in WAL mode with
//! `synchronous = FULL`: a crash or a kill leaves each act wholly in or wholly out, and a
//! second writer waits for the first (up to [`BUSY_TIMEOUT_MS`]) and then gets a "busy" error.

use std::path::Path;

use jiff::Timestamp;
use rusqlite::{Connection, ErrorCode, OpenFlags, OptionalExtension, params};
use serde::{Deserialize, Serialize};

use crate::checks::CheckOptions;
use crate::geometry::Aabb;
use crate::validate::Tolerances;

use super::backend::{ActRef, Backend, Head, View};
use super::decided::{Decided, Rows, write_rows};
use super::error::RegisterError;
use super::features;
use super::gpkg;
use super::journal::{Entry, Hash};
use super::layers::UnitFeature;
use super::memory::registered_box;
use super::record::{Kind, PlotRecord, Record, Seq, UnitRecord, Version};
use super::rules::Options;

/// The schema this build writes and reads.
pub const SCHEMA_VERSION: u32 = 1;

/// How long a writer waits for another to finish, ms: an officer's act takes milliseconds,
/// a batch of a whole survey seconds.
pub const BUSY_TIMEOUT_MS: u64 = 10_000;

/// Prepared statements kept per connection: more than the statements an act runs.
const STATEMENT_CACHE: usize = 64;

/// SQLite's page cache, KiB: the indexes a batch of a million units walks (it is allocated
/// only as pages are read).
const PAGE_CACHE_KIB: u32 = 1024 * 1024;

/// The page size of a new register, bytes: a unit's volume, act and faces are kilobytes, and
/// larger pages keep the B-trees shallower and a batch's writes fewer.
const PAGE_SIZE: u32 = 16384;

/// The register's frame and tolerances, fixed when it is created.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Settings {
    /// The projected CRS of all coordinates (e.g. 4548, CGCS2000 / 3-degree Gauss-Krüger CM
    /// 117E).
    pub crs_epsg: Option<u32>,
    /// The height datum of all elevations (e.g. `EPSG:5737`, the 1985 national height datum).
    pub height_datum: String,
    /// Overlaps thinner than this (m) are slivers, not conflicts.
    pub tolerance: f64,
    /// Points this close (m) are the same point.
    pub snap: f64,
    /// The office's certificate-number pattern (see
    /// [`crate::register::certificate::PLACEHOLDERS`]); the national form
    /// `{province}({year}){county}{kind}第{serial}号` when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub certificate_pattern: Option<String>,
}

impl Default for Settings {
    fn default() -> Self {
        let c = CheckOptions::default();
        Settings {
            crs_epsg: None,
            height_datum: "EPSG:5737".into(),
            tolerance: c.tolerance,
            snap: c.snap,
            certificate_pattern: None,
        }
    }
}

impl Settings {
    /// The rules' tolerances.
    pub fn options(&self) -> Options {
        Options {
            check: CheckOptions {
                tolerance: self.tolerance,
                snap: self.snap,
                threads: None,
            },
            validation: Tolerances {
                snap: self.snap,
                ..Tolerances::default()
            },
            certificate_pattern: self.certificate_pattern.clone(),
        }
    }
}

const SCHEMA: &str = "
CREATE TABLE strata_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE strata_journal (
  seq INTEGER PRIMARY KEY, number TEXT NOT NULL UNIQUE, recorded_at TEXT NOT NULL,
  recorded_ns INTEGER NOT NULL, act TEXT NOT NULL, registration_type TEXT NOT NULL,
  unit TEXT, officer TEXT NOT NULL, body BLOB NOT NULL, prev TEXT NOT NULL, hash TEXT NOT NULL);
CREATE INDEX strata_journal_time ON strata_journal (recorded_ns, seq);
CREATE TABLE strata_version (
  id INTEGER PRIMARY KEY, kind TEXT NOT NULL, key TEXT NOT NULL, unit TEXT,
  begin_seq INTEGER NOT NULL, end_seq INTEGER, body TEXT NOT NULL);
CREATE INDEX strata_version_key ON strata_version (kind, key);
CREATE TABLE strata_counter (key TEXT PRIMARY KEY, last INTEGER NOT NULL) WITHOUT ROWID;
CREATE INDEX strata_version_unit ON strata_version (unit, kind);
CREATE TABLE strata_holding (party TEXT NOT NULL, version INTEGER NOT NULL);
CREATE INDEX strata_holding_party ON strata_holding (party);
CREATE VIRTUAL TABLE strata_unit_box USING rtree (id, minx, maxx, miny, maxy, minz, maxz);
";

/// The live unit boxes (`strata_unit_box x`) meeting the box `?1..?6` (minx, miny, minz,
/// maxx, maxy, maxz): one condition for listing them and for counting them.
const UNIT_BOX_MEETS: &str = "x.minx <= ?4 AND x.maxx >= ?1 AND x.miny <= ?5 AND x.maxy >= ?2
     AND x.minz <= ?6 AND x.maxz >= ?3";

/// A register in a GeoPackage file.
#[derive(Debug)]
pub struct SqliteRegister {
    conn: Connection,
    path: String,
    settings: Settings,
    srs_id: i32,
}

fn damaged(path: &str, what: impl Into<String>, detail: impl ToString) -> RegisterError {
    RegisterError::Damaged {
        path: path.to_string(),
        what: what.into(),
        detail: detail.to_string(),
    }
}

/// The register error for a database error on `path`.
pub(super) fn db_error(path: &str, e: rusqlite::Error) -> RegisterError {
    let path = path.to_string();
    match e.sqlite_error_code() {
        Some(ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked) => RegisterError::Busy { path },
        Some(ErrorCode::DiskFull) => RegisterError::Full { path },
        Some(ErrorCode::ReadOnly | ErrorCode::CannotOpen | ErrorCode::PermissionDenied) => {
            RegisterError::ReadOnly {
                path,
                detail: e.to_string(),
            }
        }
        Some(ErrorCode::NotADatabase) => RegisterError::NotARegister {
            path,
            detail: "not an SQLite database".into(),
        },
        Some(ErrorCode::DatabaseCorrupt) => RegisterError::Damaged {
            path,
            what: "the database file".into(),
            detail: e.to_string(),
        },
        _ => RegisterError::Storage {
            path,
            detail: e.to_string(),
        },
    }
}

impl SqliteRegister {
    fn err(&self) -> impl Fn(rusqlite::Error) -> RegisterError + '_ {
        move |e| db_error(&self.path, e)
    }

    /// Creates a new, empty register at `path`. The file is built beside it and moved into
    /// place only when complete; an existing file is never overwritten.
    pub fn create(path: &Path, settings: Settings) -> Result<SqliteRegister, RegisterError> {
        let shown = path.display().to_string();
        if path.exists() {
            return Err(RegisterError::Exists { path: shown });
        }
        let dir = match path.parent() {
            Some(d) if !d.as_os_str().is_empty() => d,
            _ => Path::new("."),
        };
        let io = |e: std::io::Error| RegisterError::Storage {
            path: shown.clone(),
            detail: e.to_string(),
        };
        let tmp = tempfile::Builder::new()
            .prefix(".strata-register-")
            .suffix(".gpkg")
            .tempfile_in(dir)
            .map_err(io)?;
        {
            let conn = Connection::open(tmp.path()).map_err(|e| db_error(&shown, e))?;
            conn.execute_batch(&format!("PRAGMA page_size = {PAGE_SIZE};"))
                .map_err(|e| db_error(&shown, e))?;
            init_schema(&conn, &settings).map_err(|e| db_error(&shown, e))?;
        }
        // A register is an office's file: readable by others, as a file created anew would be
        // (the scratch file it was built in is private).
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(tmp.path(), std::fs::Permissions::from_mode(0o644))
                .map_err(io)?;
        }
        tmp.persist_noclobber(path).map_err(|e| io(e.error))?;
        SqliteRegister::open(path)
    }

    /// Opens the register at `path` for reading and writing.
    pub fn open(path: &Path) -> Result<SqliteRegister, RegisterError> {
        SqliteRegister::open_with(path, false)
    }

    /// Opens the register at `path` for reading only.
    pub fn open_read_only(path: &Path) -> Result<SqliteRegister, RegisterError> {
        SqliteRegister::open_with(path, true)
    }

    fn open_with(path: &Path, read_only: bool) -> Result<SqliteRegister, RegisterError> {
        let shown = path.display().to_string();
        if !path.is_file() {
            return Err(RegisterError::NotARegister {
                path: shown,
                detail: "no such file".into(),
            });
        }
        // A file marked read-only is not written, whoever runs Strata (root included).
        let marked = std::fs::metadata(path).is_ok_and(|m| m.permissions().readonly());
        let read_only = read_only || marked;
        let flags = if read_only {
            OpenFlags::SQLITE_OPEN_READ_ONLY
        } else {
            OpenFlags::SQLITE_OPEN_READ_WRITE
        } | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        let conn = Connection::open_with_flags(path, flags).map_err(|e| db_error(&shown, e))?;
        conn.busy_timeout(std::time::Duration::from_millis(BUSY_TIMEOUT_MS))
            .map_err(|e| db_error(&shown, e))?;
        let settings = read_settings(&conn, &shown)?;
        // Every statement of an act is prepared once per connection.
        conn.set_prepared_statement_cache_capacity(STATEMENT_CACHE);
        // Statement journals (a batch's savepoints) in memory, and a page cache that holds the
        // indexes a batch of a whole survey walks.
        conn.execute_batch(&format!(
            "PRAGMA temp_store = MEMORY; PRAGMA cache_size = -{PAGE_CACHE_KIB};"
        ))
        .map_err(|e| db_error(&shown, e))?;
        if !read_only && !conn.is_readonly(rusqlite::MAIN_DB).unwrap_or(true) {
            conn.execute_batch("PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL;")
                .map_err(|e| db_error(&shown, e))?;
        }
        let srs_id = settings.crs_epsg.map_or(-1, |c| c as i32);
        Ok(SqliteRegister {
            conn,
            path: shown,
            settings,
            srs_id,
        })
    }

    /// The register's frame and tolerances.
    pub fn settings(&self) -> &Settings {
        &self.settings
    }

    /// The file.
    pub fn path(&self) -> &str {
        &self.path
    }

    /// Limits the file to `pages` database pages: the size limit of a small disk, for tests.
    pub fn limit_pages(&self, pages: u64) -> Result<(), RegisterError> {
        self.conn
            .query_row(&format!("PRAGMA max_page_count = {pages}"), [], |_| Ok(()))
            .map_err(self.err())
    }

    /// Runs one statement, prepared once per connection.
    fn exec(&self, sql: &str, p: impl rusqlite::Params) -> Result<usize, RegisterError> {
        self.conn
            .prepare_cached(sql)
            .map_err(self.err())?
            .execute(p)
            .map_err(self.err())
    }

    fn decode(&self, what: impl FnOnce() -> String, body: &str) -> Result<Record, RegisterError> {
        serde_json::from_str(body).map_err(|e| damaged(&self.path, what(), e))
    }

    fn query_versions(
        &self,
        sql: &str,
        p: impl rusqlite::Params,
    ) -> Result<Vec<Version>, RegisterError> {
        let mut st = self.conn.prepare_cached(sql).map_err(self.err())?;
        let rows = st
            .query_map(p, |r| {
                Ok((
                    r.get::<_, i64>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, String>(2)?,
                    r.get::<_, i64>(3)?,
                    r.get::<_, Option<i64>>(4)?,
                    r.get::<_, String>(5)?,
                ))
            })
            .map_err(self.err())?;
        let mut out = Vec::new();
        for row in rows {
            let (id, kind, key, begin, end, body) = row.map_err(self.err())?;
            let what = || format!("version {id} ({kind} {key})");
            let k =
                Kind::parse(&kind).ok_or_else(|| damaged(&self.path, what(), "unknown kind"))?;
            let record = self.decode(what, &body)?;
            out.push(Version {
                kind: k,
                key,
                begin: begin as Seq,
                end: end.map(|e| e as Seq),
                record,
            });
        }
        Ok(out)
    }

    /// Rows of `(key, body)` read as keyed records of `kind`; a body that does not read back
    /// is an error naming it.
    fn keyed(
        &self,
        sql: &str,
        p: impl rusqlite::Params,
        kind: Kind,
    ) -> Result<Vec<(String, Record)>, RegisterError> {
        let mut st = self.conn.prepare_cached(sql).map_err(self.err())?;
        let rows = st
            .query_map(p, |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))
            .map_err(self.err())?;
        let mut out = Vec::new();
        for row in rows {
            let (key, body) = row.map_err(self.err())?;
            let rec = self.decode(|| format!("live {} {key}", kind.as_str()), &body)?;
            out.push((key, rec));
        }
        Ok(out)
    }

    /// The number of acts in the journal.
    pub fn len(&self) -> Result<u64, RegisterError> {
        Ok(self.head()?.map_or(0, |h| h.seq))
    }

    /// True for a register without acts.
    pub fn is_empty(&self) -> Result<bool, RegisterError> {
        Ok(self.len()? == 0)
    }
}

fn init_schema(conn: &Connection, s: &Settings) -> rusqlite::Result<()> {
    conn.execute_batch("BEGIN")?;
    let srs_id = gpkg::create_core(conn, s.crs_epsg)?;
    conn.execute_batch(SCHEMA)?;
    let meta = [
        ("schema_version", SCHEMA_VERSION.to_string()),
        ("settings", serde_json::to_string(s).unwrap_or_default()),
        ("created", Timestamp::now().to_string()),
    ];
    for (k, v) in meta {
        conn.execute("INSERT INTO strata_meta VALUES (?1, ?2)", params![k, v])?;
    }
    gpkg::register_attributes(
        conn,
        "strata_journal",
        "The register's journal of acts (业务)",
    )?;
    features::create(conn, srs_id)?;
    conn.execute_batch("COMMIT")
}

fn read_settings(conn: &Connection, path: &str) -> Result<Settings, RegisterError> {
    let not = |detail: &str| RegisterError::NotARegister {
        path: path.to_string(),
        detail: detail.to_string(),
    };
    let has_meta: bool = conn
        .query_row(
            "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'strata_meta'",
            [],
            |r| r.get::<_, i64>(0),
        )
        .map_err(|e| db_error(path, e))?
        > 0;
    if !has_meta {
        return Err(not("an SQLite file without the register's tables"));
    }
    let get = |k: &str| -> Result<Option<String>, RegisterError> {
        conn.query_row("SELECT value FROM strata_meta WHERE key = ?1", [k], |r| {
            r.get(0)
        })
        .optional()
        .map_err(|e| db_error(path, e))
    };
    let version: u32 = get("schema_version")?
        .and_then(|v| v.parse().ok())
        .ok_or_else(|| not("no schema version"))?;
    if version > SCHEMA_VERSION {
        return Err(RegisterError::NewerSchema {
            path: path.to_string(),
            found: version,
            supported: SCHEMA_VERSION,
        });
    }
    let s = get("settings")?.ok_or_else(|| not("no settings"))?;
    serde_json::from_str(&s).map_err(|e| damaged(path, "the settings", e))
}

impl View for SqliteRegister {
    fn head(&self) -> Result<Option<Head>, RegisterError> {
        let row: Option<(i64, i64, String)> = self
            .conn
            .prepare_cached(
                "SELECT seq, recorded_ns, hash FROM strata_journal ORDER BY seq DESC LIMIT 1",
            )
            .map_err(self.err())?
            .query_row([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
            .optional()
            .map_err(self.err())?;
        let Some((seq, ns, hash)) = row else {
            return Ok(None);
        };
        Head::from_row(seq, ns, &hash)
            .map(Some)
            .map_err(|e| damaged(&self.path, format!("journal entry {seq}"), e))
    }

    fn live(&self, kind: Kind, key: &str) -> Result<Option<Record>, RegisterError> {
        if kind == Kind::Counter {
            let last: Option<u32> = self
                .conn
                .prepare_cached("SELECT last FROM strata_counter WHERE key = ?1")
                .map_err(self.err())?
                .query_row([key], |r| r.get(0))
                .optional()
                .map_err(self.err())?;
            return Ok(last.map(|last| Record::Counter(super::record::Counter { last })));
        }
        let body: Option<String> = self
            .conn
            .prepare_cached(
                "SELECT body FROM strata_version WHERE kind = ?1 AND key = ?2 AND end_seq IS NULL",
            )
            .map_err(self.err())?
            .query_row(params![kind.as_str(), key], |r| r.get(0))
            .optional()
            .map_err(self.err())?;
        body.map(|b| self.decode(|| format!("live {} {key}", kind.as_str()), &b))
            .transpose()
    }

    fn live_on_unit(&self, kind: Kind, unit: &str) -> Result<Vec<(String, Record)>, RegisterError> {
        self.keyed(
            "SELECT key, body FROM strata_version
             WHERE unit = ?1 AND kind = ?2 AND end_seq IS NULL ORDER BY key",
            params![unit, kind.as_str()],
            kind,
        )
    }

    fn registered_meeting(&self, bbox: &Aabb) -> Result<Vec<UnitRecord>, RegisterError> {
        let b = bbox.to_array();
        let rows = self.keyed(
            &format!(
                "SELECT v.key, v.body FROM strata_unit_box x JOIN strata_version v ON v.id = x.id
                 WHERE {UNIT_BOX_MEETS} ORDER BY v.id"
            ),
            params![b[0], b[1], b[2], b[3], b[4], b[5]],
            Kind::Unit,
        )?;
        Ok(rows
            .into_iter()
            .filter_map(|(_, r)| match r {
                Record::Unit(u) => Some(u),
                _ => None,
            })
            .collect())
    }

    fn act_by_number(&self, number: &str) -> Result<Option<ActRef>, RegisterError> {
        self.conn
            .prepare_cached("SELECT seq, unit FROM strata_journal WHERE number = ?1")
            .map_err(self.err())?
            .query_row([number], |r| {
                Ok(ActRef {
                    seq: r.get::<_, i64>(0)? as Seq,
                    unit: r.get(1)?,
                })
            })
            .optional()
            .map_err(self.err())
    }
}

impl Rows for SqliteRegister {
    fn journal_row(&self, entry: &Entry) -> Result<(), RegisterError> {
        let act = &entry.act;
        self.exec(
            "INSERT INTO strata_journal (seq, number, recorded_at, recorded_ns, act,
                   registration_type, unit, officer, body, prev, hash)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
            params![
                entry.seq as i64,
                act.number,
                entry.recorded_at.to_string(),
                entry.recorded_at.as_nanosecond() as i64,
                act.body.name(),
                act.body.registration_type().as_str(),
                act.body.unit(),
                act.officer,
                entry.body(),
                entry.prev.to_string(),
                entry.hash.to_string(),
            ],
        )?;
        Ok(())
    }

    fn end_row(&self, kind: Kind, key: &str, seq: Seq) -> Result<(), RegisterError> {
        let ended: Option<i64> = self
            .conn
            .prepare_cached(
                "UPDATE strata_version SET end_seq = ?3
                 WHERE kind = ?1 AND key = ?2 AND end_seq IS NULL RETURNING id",
            )
            .map_err(self.err())?
            .query_row(params![kind.as_str(), key, seq as i64], |r| r.get(0))
            .optional()
            .map_err(self.err())?;
        if let (Some(id), Kind::Unit) = (ended, kind) {
            self.exec("DELETE FROM strata_unit_box WHERE id = ?1", [id])?;
        }
        Ok(())
    }

    fn version_row(&self, key: &str, record: &Record, seq: Seq) -> Result<(), RegisterError> {
        let body = serde_json::to_string(record).map_err(|e| RegisterError::Storage {
            path: self.path.clone(),
            detail: e.to_string(),
        })?;
        self.exec(
            "INSERT INTO strata_version (kind, key, unit, begin_seq, body)
                 VALUES (?1, ?2, ?3, ?4, ?5)",
            params![record.kind().as_str(), key, record.unit(), seq as i64, body],
        )?;
        let id = self.conn.last_insert_rowid();
        if let Some(b) = registered_box(record) {
            self.exec(
                "INSERT INTO strata_unit_box VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                params![id, b[0], b[3], b[1], b[4], b[2], b[5]],
            )?;
        }
        for party in record.parties() {
            self.exec(
                "INSERT INTO strata_holding VALUES (?1, ?2)",
                params![party, id],
            )?;
        }
        Ok(())
    }

    fn counter_row(&self, key: &str, last: u32) -> Result<(), RegisterError> {
        self.exec(
            "INSERT OR REPLACE INTO strata_counter VALUES (?1, ?2)",
            params![key, last],
        )?;
        Ok(())
    }

    fn unit_rows(&self, code: &str, f: Option<&UnitFeature>) -> Result<(), RegisterError> {
        let datum = &self.settings.height_datum;
        features::write_unit(&self.conn, code, f, self.srs_id, datum).map_err(self.err())
    }

    fn plot_row(&self, id: &str, p: Option<&PlotRecord>) -> Result<(), RegisterError> {
        features::write_plot(&self.conn, id, p, self.srs_id).map_err(self.err())
    }

    fn held_by(&self, id: &str) -> Result<Vec<String>, RegisterError> {
        features::units_held_by(&self.conn, id).map_err(self.err())
    }
}

impl Backend for SqliteRegister {
    fn begin(&mut self) -> Result<(), RegisterError> {
        if self.conn.is_readonly(rusqlite::MAIN_DB).unwrap_or(true) {
            return Err(RegisterError::ReadOnly {
                path: self.path.clone(),
                detail: "the file is marked read-only or was opened for reading".into(),
            });
        }
        self.conn
            .execute_batch("BEGIN IMMEDIATE")
            .map_err(self.err())
    }

    fn write(&mut self, d: &Decided) -> Result<(), RegisterError> {
        write_rows(&*self, d)
    }

    fn reader(&self) -> Result<Option<Box<dyn View + Send>>, RegisterError> {
        let r = SqliteRegister::open_read_only(Path::new(&self.path))?;
        // One read transaction for the whole batch: one snapshot (the last commit, as this
        // connection holds the write lock), and no lock taken and released per lookup.
        r.conn.execute_batch("BEGIN").map_err(r.err())?;
        Ok(Some(Box::new(r)))
    }

    fn commit(&mut self) -> Result<(), RegisterError> {
        self.conn.execute_batch("COMMIT").map_err(self.err())
    }

    fn rollback(&mut self) -> Result<(), RegisterError> {
        if !self.conn.is_autocommit() {
            self.conn.execute_batch("ROLLBACK").map_err(self.err())?;
        }
        Ok(())
    }

    fn entries(&self, from: Seq, to: Seq) -> Result<Vec<Entry>, RegisterError> {
        let mut st = self
            .conn
            .prepare_cached(
                "SELECT seq, body, prev, hash FROM strata_journal
                 WHERE seq >= ?1 AND seq <= ?2 ORDER BY seq",
            )
            .map_err(self.err())?;
        let rows = st
            .query_map(params![from as i64, to.min(i64::MAX as u64) as i64], |r| {
                Ok((
                    r.get::<_, i64>(0)?,
                    r.get::<_, Vec<u8>>(1)?,
                    r.get::<_, String>(2)?,
                    r.get::<_, String>(3)?,
                ))
            })
            .map_err(self.err())?;
        let mut out = Vec::new();
        for row in rows {
            let (seq, body, prev, hash) = row.map_err(self.err())?;
            let what = || format!("journal entry {seq}");
            let prev =
                Hash::parse_hex(&prev).ok_or_else(|| damaged(&self.path, what(), "bad hash"))?;
            let hash =
                Hash::parse_hex(&hash).ok_or_else(|| damaged(&self.path, what(), "bad hash"))?;
            let e = Entry::open(&body, prev, hash).map_err(|d| damaged(&self.path, what(), d))?;
            if e.seq != seq as Seq {
                return Err(damaged(
                    &self.path,
                    what(),
                    format!("its body says entry {}", e.seq),
                ));
            }
            out.push(e);
        }
        Ok(out)
    }

    fn all_versions(&self) -> Result<Vec<Version>, RegisterError> {
        self.query_versions(
            "SELECT id, kind, key, begin_seq, end_seq, body FROM strata_version ORDER BY id",
            [],
        )
    }

    fn versions_part(&self, offset: usize, limit: usize) -> Result<Vec<Version>, RegisterError> {
        self.query_versions(
            "SELECT id, kind, key, begin_seq, end_seq, body FROM strata_version
             ORDER BY id LIMIT ?1 OFFSET ?2",
            params![limit as i64, offset as i64],
        )
    }

    fn unit_versions(&self, unit: &str) -> Result<Vec<Version>, RegisterError> {
        self.query_versions(
            "SELECT id, kind, key, begin_seq, end_seq, body FROM strata_version
             WHERE unit = ?1 ORDER BY id",
            [unit],
        )
    }

    fn unit_versions_ended_after(&self, seq: Seq) -> Result<Vec<Version>, RegisterError> {
        self.query_versions(
            "SELECT id, kind, key, begin_seq, end_seq, body FROM strata_version
             WHERE kind = 'unit' AND end_seq > ?1 AND begin_seq <= ?1 ORDER BY id",
            [seq as i64],
        )
    }

    fn registered_count(&self, bbox: &Aabb) -> Result<usize, RegisterError> {
        let b = bbox.to_array();
        let n: i64 = self
            .conn
            .prepare_cached(&format!(
                "SELECT count(*) FROM strata_unit_box x WHERE {UNIT_BOX_MEETS}"
            ))
            .map_err(self.err())?
            .query_row(params![b[0], b[1], b[2], b[3], b[4], b[5]], |r| r.get(0))
            .map_err(self.err())?;
        Ok(n as usize)
    }

    fn live_units_of_plot(&self, plot: &str) -> Result<Vec<UnitRecord>, RegisterError> {
        let rows = self.keyed(
            "SELECT key, body FROM strata_version
             WHERE kind = 'unit' AND end_seq IS NULL AND json_extract(body, '$.unit.plot') = ?1
             ORDER BY key",
            [plot],
            Kind::Unit,
        )?;
        Ok(rows
            .into_iter()
            .filter_map(|(_, r)| match r {
                Record::Unit(u) => Some(u),
                _ => None,
            })
            .collect())
    }

    fn extent(&self) -> Result<Option<Aabb>, RegisterError> {
        let b: [Option<f64>; 6] = self
            .conn
            .prepare_cached(
                "SELECT min(minx), min(miny), min(minz), max(maxx), max(maxy), max(maxz)
                 FROM strata_unit_box",
            )
            .map_err(self.err())?
            .query_row([], |r| {
                Ok([
                    r.get(0)?,
                    r.get(1)?,
                    r.get(2)?,
                    r.get(3)?,
                    r.get(4)?,
                    r.get(5)?,
                ])
            })
            .map_err(self.err())?;
        Ok(match b {
            [Some(a), Some(b), Some(c), Some(d), Some(e), Some(f)] => {
                Some(Aabb::from_array([a, b, c, d, e, f]))
            }
            _ => None,
        })
    }

    fn versions(&self, kind: Kind, key: &str) -> Result<Vec<Version>, RegisterError> {
        self.query_versions(
            "SELECT id, kind, key, begin_seq, end_seq, body FROM strata_version
             WHERE kind = ?1 AND key = ?2 ORDER BY id",
            params![kind.as_str(), key],
        )
    }

    fn seq_at(&self, t: Timestamp) -> Result<Option<Seq>, RegisterError> {
        let ns = t
            .as_nanosecond()
            .clamp(i128::from(i64::MIN), i128::from(i64::MAX)) as i64;
        // Times and numbers grow together: the last entry at or before `ns` by the index.
        let seq: Option<i64> = self
            .conn
            .prepare_cached(
                "SELECT seq FROM strata_journal WHERE recorded_ns <= ?1
                 ORDER BY recorded_ns DESC, seq DESC LIMIT 1",
            )
            .map_err(self.err())?
            .query_row([ns], |r| r.get(0))
            .optional()
            .map_err(self.err())?;
        Ok(seq.map(|s| s as Seq))
    }

    fn counters(&self) -> Result<Vec<(String, u32)>, RegisterError> {
        let mut st = self
            .conn
            .prepare_cached("SELECT key, last FROM strata_counter ORDER BY key")
            .map_err(self.err())?;
        let rows = st
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
            .map_err(self.err())?;
        rows.collect::<Result<_, _>>().map_err(self.err())
    }

    fn live_of_kind(&self, kind: Kind) -> Result<Vec<(String, Record)>, RegisterError> {
        self.keyed(
            "SELECT key, body FROM strata_version WHERE kind = ?1 AND end_seq IS NULL
             ORDER BY key",
            [kind.as_str()],
            kind,
        )
    }
}
