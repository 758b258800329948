//! The register on PostgreSQL with PostGIS, for a city's office where several officers
//! record acts at once: the same journal, versions and rules as the GeoPackage register, in
//! one schema of a database.
//!
//! Writers are serialized by a transaction-scoped advisory lock taken when a batch begins: an
//! officer's act is decided on the state that includes every act committed before it, so no
//! act is lost and two overlapping rights are never registered at the same moment. A writer
//! waits for the lock up to [`LOCK_TIMEOUT`], then gets a "busy" error. Readers never wait.

use std::cell::RefCell;

use jiff::Timestamp;
use postgres::error::SqlState;
use postgres::{Client, NoTls};

use crate::geometry::Aabb;

use super::backend::{ActRef, Backend, Head, View};
use super::decided::{Decided, Rows, write_rows};
use super::error::RegisterError;
use super::gpkg;
use super::journal::{Entry, Hash};
use super::layers::{self, NUMBER_COLUMNS, TEXT_COLUMNS, UnitFeature, stratum_of};
use super::memory::registered_box;
use super::record::{Counter, Kind, PlotRecord, Record, Seq, UnitRecord, Version};
use super::sqlite::{SCHEMA_VERSION, Settings};

/// The key of a county register's `meta` that names the coordinator its acts are recorded
/// through (a sharded layout, [`super::shard`]).
pub(crate) const WRITTEN_THROUGH: &str = "written_through";

/// The tables of a register's schema (without `meta`), in the order they are created.
pub(crate) const TABLES: [&str; 10] = [
    "journal",
    "version",
    "holding",
    "counter",
    "unit_box",
    "units_above",
    "units_surface",
    "units_under",
    "unit_faces",
    "plots",
];

/// The `meta` key that marks the coordinator of a sharded layout (value `sharded`).
pub(crate) const LAYOUT: &str = "layout";

/// How long a writer waits for another officer's batch.
pub const LOCK_TIMEOUT: &str = "10s";

/// A register in a PostgreSQL schema.
pub struct PgRegister {
    client: RefCell<Client>,
    statements: RefCell<std::collections::HashMap<String, postgres::Statement>>,
    url: String,
    schema: String,
    settings: Settings,
    srid: i32,
    /// Set on a county's register of a sharded layout, opened on its own server: acts are
    /// recorded through the coordinator named here, whose lock orders them.
    written_through: Option<String>,
}

impl std::fmt::Debug for PgRegister {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "PgRegister({} schema {})",
            redact(&self.url),
            self.schema
        )
    }
}

/// A connection string without its password, for messages.
pub fn redact(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(s), Some(at)) if at > s => {
            let cred = &url[s + 3..at];
            let user = cred.split(':').next().unwrap_or_default();
            format!("{}{user}@{}", &url[..s + 3], &url[at + 1..])
        }
        _ => url.to_string(),
    }
}

pub(crate) fn pg_error(place: &str, e: &postgres::Error) -> RegisterError {
    let path = place.to_string();
    let detail = e
        .as_db_error()
        .map_or_else(|| e.to_string(), |d| d.message().to_string());
    match e.code() {
        Some(c) if *c == SqlState::LOCK_NOT_AVAILABLE => RegisterError::Busy { path },
        Some(c) if *c == SqlState::DISK_FULL => RegisterError::Full { path },
        Some(c) if *c == SqlState::READ_ONLY_SQL_TRANSACTION => {
            RegisterError::ReadOnly { path, detail }
        }
        _ => RegisterError::Storage { path, detail },
    }
}

/// Checks a schema name: letters, digits and `_`, not starting with a digit.
pub(crate) fn check_schema(s: &str) -> Result<(), RegisterError> {
    let ok = !s.is_empty()
        && s.len() <= 63
        && s.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
        && !s.starts_with(|c: char| c.is_ascii_digit());
    if ok {
        Ok(())
    } else {
        Err(RegisterError::Storage {
            path: s.to_string(),
            detail: "a register's schema name is letters, digits and _".into(),
        })
    }
}

fn schema_sql(s: &str, srid: i32) -> String {
    let units: String = layers_ddl(s, srid);
    format!(
        "CREATE EXTENSION IF NOT EXISTS postgis;
         CREATE SCHEMA {s};
         CREATE TABLE {s}.meta (key text PRIMARY KEY, value text NOT NULL);
         CREATE TABLE {s}.journal (
           seq bigint PRIMARY KEY, number text NOT NULL UNIQUE, recorded_at text NOT NULL,
           recorded_ns bigint NOT NULL, act text NOT NULL, registration_type text NOT NULL,
           unit text, officer text NOT NULL, body bytea NOT NULL, prev text NOT NULL,
           hash text NOT NULL);
         CREATE INDEX ON {s}.journal (recorded_ns, seq);
         CREATE TABLE {s}.version (
           id bigserial PRIMARY KEY, kind text NOT NULL, key text NOT NULL, unit text,
           begin_seq bigint NOT NULL, end_seq bigint, body text NOT NULL);
         CREATE INDEX ON {s}.version (kind, key);
         CREATE UNIQUE INDEX ON {s}.version (kind, key) WHERE end_seq IS NULL;
         CREATE INDEX ON {s}.version (unit, kind);
         CREATE TABLE {s}.holding (party text NOT NULL, version bigint NOT NULL);
         CREATE INDEX ON {s}.holding (party);
         CREATE TABLE {s}.counter (key text PRIMARY KEY, last bigint NOT NULL);
         CREATE TABLE {s}.unit_box (id bigint PRIMARY KEY, box geometry NOT NULL);
         CREATE INDEX ON {s}.unit_box USING gist (box gist_geometry_ops_nd);
         {units}"
    )
}

fn layers_ddl(s: &str, srid: i32) -> String {
    let text: String = TEXT_COLUMNS.iter().map(|c| format!(", {c} text")).collect();
    let numbers: String = NUMBER_COLUMNS
        .iter()
        .map(|c| format!(", {c} double precision"))
        .collect();
    let mut out = String::new();
    for t in ["units_above", "units_surface", "units_under"] {
        out.push_str(&format!(
            "CREATE TABLE {s}.{t} (unit_code text PRIMARY KEY, geom geometry(MultiPolygon, {srid}){text}{numbers},
               certificate text, mortgages bigint, seizures bigint, height_datum text);
             CREATE INDEX ON {s}.{t} USING gist (geom);"
        ));
    }
    out.push_str(&format!(
        "CREATE TABLE {s}.unit_faces (unit_code text PRIMARY KEY, geom geometry(MultiPolygonZ, {srid}),
           stratum text, z_min double precision, z_max double precision);
         CREATE TABLE {s}.plots (plot_id text PRIMARY KEY, geom geometry(MultiPolygon, {srid}),
           name text, land_use text, ground double precision, green_space boolean);"
    ));
    out
}

fn layer_of(s: crate::model::Stratum) -> &'static str {
    match s {
        crate::model::Stratum::Above => "units_above",
        crate::model::Stratum::Surface => "units_surface",
        crate::model::Stratum::Under => "units_under",
    }
}

/// Whether schema `schema` exists in the database `client` is connected to.
pub(crate) fn schema_exists(
    client: &mut Client,
    schema: &str,
    place: &str,
) -> Result<bool, RegisterError> {
    Ok(client
        .query_one(
            "SELECT EXISTS (SELECT 1 FROM pg_namespace WHERE nspname = $1)",
            &[&schema],
        )
        .map_err(|e| pg_error(place, &e))?
        .get(0))
}

/// The `meta` rows a new register (or a sharded register's coordinator) starts with, besides
/// `extra`: its schema version, settings and time of creation.
pub(crate) fn write_meta(
    tx: &mut postgres::Transaction<'_>,
    schema: &str,
    settings: &Settings,
    extra: &[(&str, String)],
) -> Result<(), postgres::Error> {
    let meta = [
        ("schema_version", SCHEMA_VERSION.to_string()),
        (
            "settings",
            serde_json::to_string(settings).unwrap_or_default(),
        ),
        ("created", Timestamp::now().to_string()),
    ];
    for (k, v) in meta.iter().chain(extra) {
        tx.execute(
            &format!("INSERT INTO {schema}.meta VALUES ($1, $2)"),
            &[k, v],
        )?;
    }
    Ok(())
}

/// A register's `meta` table, read whole.
pub(crate) struct Meta {
    rows: Vec<(String, String)>,
    place: String,
}

impl Meta {
    /// Reads `schema.meta`; `None` when the schema has no such table.
    pub(crate) fn read(
        client: &mut Client,
        schema: &str,
        place: &str,
    ) -> Result<Option<Meta>, RegisterError> {
        let has: bool = client
            .query_one(
                "SELECT EXISTS (SELECT 1 FROM information_schema.tables
                 WHERE table_schema = $1 AND table_name = 'meta')",
                &[&schema],
            )
            .map_err(|e| pg_error(place, &e))?
            .get(0);
        if !has {
            return Ok(None);
        }
        let rows = client
            .query(&format!("SELECT key, value FROM {schema}.meta"), &[])
            .map_err(|e| pg_error(place, &e))?;
        Ok(Some(Meta {
            rows: rows.iter().map(|r| (r.get(0), r.get(1))).collect(),
            place: place.to_string(),
        }))
    }

    /// The value of `key`.
    pub(crate) fn get(&self, key: &str) -> Option<&str> {
        self.rows
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }

    /// The settings, once the schema version is one this build reads.
    pub(crate) fn settings(&self) -> Result<Settings, RegisterError> {
        let not = |detail: &str| RegisterError::NotARegister {
            path: self.place.clone(),
            detail: detail.to_string(),
        };
        let version: u32 = self
            .get("schema_version")
            .and_then(|v| v.parse().ok())
            .ok_or_else(|| not("no schema version"))?;
        if version > SCHEMA_VERSION {
            return Err(RegisterError::NewerSchema {
                path: self.place.clone(),
                found: version,
                supported: SCHEMA_VERSION,
            });
        }
        self.get("settings")
            .and_then(|s| serde_json::from_str(s).ok())
            .ok_or_else(|| not("no settings"))
    }
}

impl PgRegister {
    pub(crate) fn connect(url: &str) -> Result<Client, RegisterError> {
        Client::connect(url, NoTls).map_err(|e| RegisterError::Storage {
            path: redact(url),
            detail: format!("cannot connect: {e}"),
        })
    }

    fn place(&self) -> String {
        format!("{} (schema {})", redact(&self.url), self.schema)
    }

    fn err(&self) -> impl Fn(postgres::Error) -> RegisterError + '_ {
        move |e| pg_error(&self.place(), &e)
    }

    /// Creates a new, empty register in schema `schema` of the database at `url`; a schema
    /// of that name must not exist.
    pub fn create(
        url: &str,
        schema: &str,
        settings: Settings,
    ) -> Result<PgRegister, RegisterError> {
        check_schema(schema)?;
        let mut client = PgRegister::connect(url)?;
        let place = format!("{} (schema {schema})", redact(url));
        if schema_exists(&mut client, schema, &place)? {
            return Err(RegisterError::Exists { path: place });
        }
        let srid = settings.crs_epsg.map_or(0, |c| c as i32);
        let mut tx = client.transaction().map_err(|e| pg_error(&place, &e))?;
        tx.batch_execute(&schema_sql(schema, srid))
            .map_err(|e| pg_error(&place, &e))?;
        write_meta(&mut tx, schema, &settings, &[]).map_err(|e| pg_error(&place, &e))?;
        tx.commit().map_err(|e| pg_error(&place, &e))?;
        PgRegister::open(url, schema)
    }

    /// Opens the register in schema `schema` of the database at `url`.
    pub fn open(url: &str, schema: &str) -> Result<PgRegister, RegisterError> {
        check_schema(schema)?;
        let mut client = PgRegister::connect(url)?;
        let place = format!("{} (schema {schema})", redact(url));
        let not = |detail: &str| RegisterError::NotARegister {
            path: place.clone(),
            detail: detail.to_string(),
        };
        let meta = Meta::read(&mut client, schema, &place)?
            .ok_or_else(|| not("no register in this schema"))?;
        if meta.get(LAYOUT) == Some("sharded") {
            return Err(not(
                "the coordinator of a register sharded by county: record, show, query and \
                 verify through `strata register` at this location, which finds each act's \
                 county, or open one county's register at #<schema>_<county code>",
            ));
        }
        let settings = meta.settings()?;
        let srid = settings.crs_epsg.map_or(0, |c| c as i32);
        Ok(PgRegister {
            client: RefCell::new(client),
            statements: RefCell::new(std::collections::HashMap::new()),
            url: url.to_string(),
            schema: schema.to_string(),
            settings,
            srid,
            written_through: meta.get(WRITTEN_THROUGH).map(str::to_string),
        })
    }

    /// The register's frame and tolerances.
    pub fn settings(&self) -> &Settings {
        &self.settings
    }

    /// Where it is: the database (without password) and schema.
    pub fn location(&self) -> String {
        self.place()
    }

    fn q(&self, sql: &str) -> String {
        sql.replace("S.", &format!("{}.", self.schema))
    }

    /// The prepared statement of `sql` (with `S.` naming the schema), prepared once per
    /// connection: one round trip per statement run, not two.
    fn statement(&self, sql: &str) -> Result<postgres::Statement, RegisterError> {
        if let Some(st) = self.statements.borrow().get(sql) {
            return Ok(st.clone());
        }
        let st = self
            .client
            .borrow_mut()
            .prepare(&self.q(sql))
            .map_err(self.err())?;
        self.statements
            .borrow_mut()
            .insert(sql.to_string(), st.clone());
        Ok(st)
    }

    fn query(
        &self,
        sql: &str,
        params: &[&(dyn postgres::types::ToSql + Sync)],
    ) -> Result<Vec<postgres::Row>, RegisterError> {
        let st = self.statement(sql)?;
        self.client
            .borrow_mut()
            .query(&st, params)
            .map_err(self.err())
    }

    fn exec(
        &self,
        sql: &str,
        params: &[&(dyn postgres::types::ToSql + Sync)],
    ) -> Result<u64, RegisterError> {
        let st = self.statement(sql)?;
        self.client
            .borrow_mut()
            .execute(&st, params)
            .map_err(self.err())
    }

    fn decode(&self, what: impl FnOnce() -> String, body: &str) -> Result<Record, RegisterError> {
        serde_json::from_str(body).map_err(|e| RegisterError::Damaged {
            path: self.place(),
            what: what(),
            detail: e.to_string(),
        })
    }

    fn versions_where(
        &self,
        cond: &str,
        params: &[&(dyn postgres::types::ToSql + Sync)],
    ) -> Result<Vec<Version>, RegisterError> {
        let rows = self.query(
            &format!(
                "SELECT id, kind, key, begin_seq, end_seq, body FROM S.version {cond} ORDER BY id"
            ),
            params,
        )?;
        let mut out = Vec::with_capacity(rows.len());
        for r in rows {
            let (id, kind, key): (i64, String, String) = (r.get(0), r.get(1), r.get(2));
            let what = || format!("version {id} ({kind} {key})");
            let k = Kind::parse(&kind).ok_or_else(|| RegisterError::Damaged {
                path: self.place(),
                what: what(),
                detail: "unknown kind".into(),
            })?;
            let record = self.decode(what, r.get(5))?;
            out.push(Version {
                kind: k,
                key,
                begin: r.get::<_, i64>(3) as Seq,
                end: r.get::<_, Option<i64>>(4).map(|e| e as Seq),
                record,
            });
        }
        Ok(out)
    }

    fn keyed(
        &self,
        rows: Vec<postgres::Row>,
        kind: Kind,
    ) -> Result<Vec<(String, Record)>, RegisterError> {
        rows.into_iter()
            .map(|r| {
                let key: String = r.get(0);
                let rec = self.decode(|| format!("live {} {key}", kind.as_str()), r.get(1))?;
                Ok((key, rec))
            })
            .collect()
    }
}

impl View for PgRegister {
    fn head(&self) -> Result<Option<Head>, RegisterError> {
        let rows = self.query(
            "SELECT seq, recorded_ns, hash FROM S.journal ORDER BY seq DESC LIMIT 1",
            &[],
        )?;
        let Some(r) = rows.first() else {
            return Ok(None);
        };
        let seq: i64 = r.get(0);
        Head::from_row(seq, r.get(1), r.get(2))
            .map(Some)
            .map_err(|detail| RegisterError::Damaged {
                path: self.place(),
                what: format!("journal entry {seq}"),
                detail,
            })
    }

    fn live(&self, kind: Kind, key: &str) -> Result<Option<Record>, RegisterError> {
        if kind == Kind::Counter {
            let rows = self.query("SELECT last FROM S.counter WHERE key = $1", &[&key])?;
            return Ok(rows.first().map(|r| {
                Record::Counter(Counter {
                    last: r.get::<_, i64>(0) as u32,
                })
            }));
        }
        let rows = self.query(
            "SELECT body FROM S.version WHERE kind = $1 AND key = $2 AND end_seq IS NULL",
            &[&kind.as_str(), &key],
        )?;
        rows.first()
            .map(|r| self.decode(|| format!("live {} {key}", kind.as_str()), r.get(0)))
            .transpose()
    }

    fn live_on_unit(&self, kind: Kind, unit: &str) -> Result<Vec<(String, Record)>, RegisterError> {
        let rows = self.query(
            "SELECT key, body FROM S.version WHERE unit = $1 AND kind = $2 AND end_seq IS NULL
             ORDER BY key",
            &[&unit, &kind.as_str()],
        )?;
        self.keyed(rows, kind)
    }

    fn registered_meeting(&self, bbox: &Aabb) -> Result<Vec<UnitRecord>, RegisterError> {
        let b = bbox.to_array();
        let rows = self.query(
            "SELECT v.key, v.body FROM S.unit_box x JOIN S.version v ON v.id = x.id
             WHERE x.box &&& ST_MakeLine(ST_MakePoint($1, $2, $3), ST_MakePoint($4, $5, $6))
             ORDER BY v.id",
            &[&b[0], &b[1], &b[2], &b[3], &b[4], &b[5]],
        )?;
        let mut out = Vec::with_capacity(rows.len());
        for (key, rec) in self.keyed(rows, Kind::Unit)? {
            match rec {
                Record::Unit(u) => out.push(u),
                _ => {
                    return Err(RegisterError::Damaged {
                        path: self.place(),
                        what: format!("live unit {key}"),
                        detail: "not a unit".into(),
                    });
                }
            }
        }
        Ok(out)
    }

    fn act_by_number(&self, number: &str) -> Result<Option<ActRef>, RegisterError> {
        let rows = self.query(
            "SELECT seq, unit FROM S.journal WHERE number = $1",
            &[&number],
        )?;
        Ok(rows.first().map(|r| ActRef {
            seq: r.get::<_, i64>(0) as Seq,
            unit: r.get(1),
        }))
    }
}

impl Rows for PgRegister {
    fn journal_row(&self, entry: &Entry) -> Result<(), RegisterError> {
        let act = &entry.act;
        self.exec(
            "INSERT INTO S.journal (seq, number, recorded_at, recorded_ns, act, registration_type,
               unit, officer, body, prev, hash)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
            &[
                &(entry.seq as i64),
                &act.number,
                &entry.recorded_at.to_string(),
                &(entry.recorded_at.as_nanosecond() as i64),
                &act.body.name(),
                &act.body.registration_type().as_str(),
                &act.body.unit(),
                &act.officer,
                &entry.body(),
                &entry.prev.to_string(),
                &entry.hash.to_string(),
            ],
        )?;
        Ok(())
    }

    fn end_row(&self, kind: Kind, key: &str, seq: Seq) -> Result<(), RegisterError> {
        let rows = self.query(
            "UPDATE S.version SET end_seq = $3 WHERE kind = $1 AND key = $2 AND end_seq IS NULL
             RETURNING id",
            &[&kind.as_str(), &key, &(seq as i64)],
        )?;
        if kind == Kind::Unit
            && let Some(r) = rows.first()
        {
            let id: i64 = r.get(0);
            self.exec("DELETE FROM S.unit_box WHERE id = $1", &[&id])?;
        }
        Ok(())
    }

    fn version_row(&self, key: &str, record: &Record, seq: Seq) -> Result<(), RegisterError> {
        let body = serde_json::to_string(record).map_err(|e| RegisterError::Storage {
            path: self.place(),
            detail: e.to_string(),
        })?;
        let id: i64 = self
            .query(
                "INSERT INTO S.version (kind, key, unit, begin_seq, body) VALUES ($1, $2, $3, $4, $5)
                 RETURNING id",
                &[
                    &record.kind().as_str(),
                    &key,
                    &record.unit(),
                    &(seq as i64),
                    &body,
                ],
            )?
            .first()
            .map(|r| r.get(0))
            .unwrap_or_default();
        if let Some(b) = registered_box(record) {
            self.exec(
                "INSERT INTO S.unit_box (id, box) VALUES ($1,
                   ST_MakeLine(ST_MakePoint($2, $3, $4), ST_MakePoint($5, $6, $7)))",
                &[&id, &b[0], &b[1], &b[2], &b[3], &b[4], &b[5]],
            )?;
        }
        for party in record.parties() {
            self.exec(
                "INSERT INTO S.holding (party, version) VALUES ($1, $2)",
                &[&party, &id],
            )?;
        }
        Ok(())
    }

    fn counter_row(&self, key: &str, last: u32) -> Result<(), RegisterError> {
        // An update, then an insert when there was nothing to update: `ON CONFLICT DO UPDATE`
        // does not reach a county's table through postgres_fdw. Writers hold the register's
        // lock, so no other writer inserts between the two.
        let last = i64::from(last);
        if self.exec(
            "UPDATE S.counter SET last = $2 WHERE key = $1",
            &[&key, &last],
        )? == 0
        {
            self.exec(
                "INSERT INTO S.counter (key, last) VALUES ($1, $2)",
                &[&key, &last],
            )?;
        }
        Ok(())
    }

    fn unit_rows(&self, code: &str, f: Option<&UnitFeature>) -> Result<(), RegisterError> {
        self.exec(
            &format!(
                "DELETE FROM S.{} WHERE unit_code = $1",
                layer_of(stratum_of(code))
            ),
            &[&code],
        )?;
        self.exec("DELETE FROM S.unit_faces WHERE unit_code = $1", &[&code])?;
        let Some(f) = f else { return Ok(()) };
        let columns = layers::unit_columns();
        let (wkb, _) = gpkg::footprint_wkb(&f.footprint);
        let mut params: Vec<Box<dyn postgres::types::ToSql + Sync>> =
            vec![Box::new(wkb), Box::new(self.srid), Box::new(f.code.clone())];
        params.extend(
            f.text
                .iter()
                .map(|t| Box::new(t.clone()) as Box<dyn postgres::types::ToSql + Sync>),
        );
        params.extend(
            f.numbers
                .iter()
                .map(|n| Box::new(*n) as Box<dyn postgres::types::ToSql + Sync>),
        );
        params.push(Box::new(f.certificate.clone()));
        params.push(Box::new(f.mortgages));
        params.push(Box::new(f.seizures));
        params.push(Box::new(self.settings.height_datum.clone()));
        let placeholders: Vec<String> = (4..=params.len()).map(|i| format!("${i}")).collect();
        let refs: Vec<&(dyn postgres::types::ToSql + Sync)> =
            params.iter().map(|p| p.as_ref()).collect();
        self.exec(
            &format!(
                "INSERT INTO S.{} (geom, unit_code, {columns}, certificate, mortgages, seizures,
                   height_datum) VALUES (ST_GeomFromWKB($1, $2), $3, {})",
                layer_of(f.stratum),
                placeholders.join(", ")
            ),
            &refs,
        )?;
        let (faces, _) = gpkg::faces_wkb(&f.volume);
        self.exec(
            "INSERT INTO S.unit_faces (unit_code, geom, stratum, z_min, z_max)
             VALUES ($1, ST_GeomFromWKB($2, $3), $4, $5, $6)",
            &[
                &code,
                &faces,
                &self.srid,
                &f.stratum.to_string(),
                &f.numbers[3],
                &f.numbers[4],
            ],
        )?;
        Ok(())
    }

    fn plot_row(&self, id: &str, p: Option<&PlotRecord>) -> Result<(), RegisterError> {
        self.exec("DELETE FROM S.plots WHERE plot_id = $1", &[&id])?;
        if let Some(p) = p {
            let (wkb, _) = gpkg::footprint_wkb(&super::geometry::multipolygon(&p.footprint));
            self.exec(
                "INSERT INTO S.plots (plot_id, geom, name, land_use, ground, green_space)
                 VALUES ($1, ST_GeomFromWKB($2, $3), $4, $5, $6, $7)",
                &[
                    &p.id,
                    &wkb,
                    &self.srid,
                    &p.name,
                    &p.land_use,
                    &p.ground,
                    &p.green_space,
                ],
            )?;
        }
        Ok(())
    }

    fn held_by(&self, id: &str) -> Result<Vec<String>, RegisterError> {
        let rows = self.query(
            "SELECT DISTINCT v.unit FROM S.holding h JOIN S.version v ON v.id = h.version
             WHERE h.party = $1 AND v.end_seq IS NULL AND v.kind = 'right'",
            &[&id],
        )?;
        Ok(rows.iter().map(|r| r.get(0)).collect())
    }
}

impl Backend for PgRegister {
    fn begin(&mut self) -> Result<(), RegisterError> {
        if let Some(coordinator) = &self.written_through {
            return Err(RegisterError::ReadOnly {
                path: self.place(),
                detail: format!(
                    "a county's register of a sharded layout: acts are recorded through its \
                     coordinator {coordinator}, whose lock orders them"
                ),
            });
        }
        let sql = format!(
            "BEGIN; SET LOCAL lock_timeout = '{LOCK_TIMEOUT}';
             SELECT pg_advisory_xact_lock(hashtext('strata register ' || '{}'));",
            self.schema
        );
        let r = self.client.borrow_mut().batch_execute(&sql);
        r.map_err(|e| {
            // A lock that timed out aborted the transaction: end it, the connection stays
            // usable.
            let _ = self.client.borrow_mut().batch_execute("ROLLBACK");
            pg_error(&self.place(), &e)
        })
    }

    fn write(&mut self, d: &Decided) -> Result<(), RegisterError> {
        write_rows(&*self, d)
    }

    fn reader(&self) -> Result<Option<Box<dyn View + Send>>, RegisterError> {
        let r = PgRegister::open(&self.url, &self.schema)?;
        Ok(Some(Box::new(r)))
    }

    fn commit(&mut self) -> Result<(), RegisterError> {
        self.client
            .borrow_mut()
            .batch_execute("COMMIT")
            .map_err(self.err())
    }

    fn rollback(&mut self) -> Result<(), RegisterError> {
        self.client
            .borrow_mut()
            .batch_execute("ROLLBACK")
            .map_err(self.err())
    }

    fn entries(&self, from: Seq, to: Seq) -> Result<Vec<Entry>, RegisterError> {
        let rows = self.query(
            "SELECT seq, body, prev, hash FROM S.journal WHERE seq >= $1 AND seq <= $2 ORDER BY seq",
            &[&(from as i64), &(to.min(i64::MAX as u64) as i64)],
        )?;
        let mut out = Vec::with_capacity(rows.len());
        for r in rows {
            let seq: i64 = r.get(0);
            let damaged = |d: String| RegisterError::Damaged {
                path: self.place(),
                what: format!("journal entry {seq}"),
                detail: d,
            };
            let prev = Hash::parse_hex(r.get(2)).ok_or_else(|| damaged("bad hash".into()))?;
            let hash = Hash::parse_hex(r.get(3)).ok_or_else(|| damaged("bad hash".into()))?;
            let e = Entry::open(r.get(1), prev, hash).map_err(damaged)?;
            if e.seq != seq as Seq {
                return Err(damaged(format!("its body says entry {}", e.seq)));
            }
            out.push(e);
        }
        Ok(out)
    }

    fn all_versions(&self) -> Result<Vec<Version>, RegisterError> {
        self.versions_where("", &[])
    }

    fn versions_part(&self, offset: usize, limit: usize) -> Result<Vec<Version>, RegisterError> {
        self.versions_where(
            "WHERE id IN (SELECT id FROM S.version ORDER BY id LIMIT $1 OFFSET $2)",
            &[&(limit as i64), &(offset as i64)],
        )
    }

    fn unit_versions(&self, unit: &str) -> Result<Vec<Version>, RegisterError> {
        self.versions_where("WHERE unit = $1", &[&unit])
    }

    fn registered_count(&self, bbox: &Aabb) -> Result<usize, RegisterError> {
        let b = bbox.to_array();
        let rows = self.query(
            "SELECT count(*) FROM S.unit_box x
             WHERE x.box &&& ST_MakeLine(ST_MakePoint($1, $2, $3), ST_MakePoint($4, $5, $6))",
            &[&b[0], &b[1], &b[2], &b[3], &b[4], &b[5]],
        )?;
        Ok(rows.first().map_or(0, |r| r.get::<_, i64>(0)) as usize)
    }

    fn live_units_of_plot(&self, plot: &str) -> Result<Vec<UnitRecord>, RegisterError> {
        let rows = self.query(
            "SELECT key, body FROM S.version
             WHERE kind = 'unit' AND end_seq IS NULL AND (body::jsonb)->'unit'->>'plot' = $1
             ORDER BY key",
            &[&plot],
        )?;
        Ok(self
            .keyed(rows, Kind::Unit)?
            .into_iter()
            .filter_map(|(_, r)| match r {
                Record::Unit(u) => Some(u),
                _ => None,
            })
            .collect())
    }

    fn unit_versions_ended_after(&self, seq: Seq) -> Result<Vec<Version>, RegisterError> {
        self.versions_where(
            "WHERE kind = 'unit' AND end_seq > $1 AND begin_seq <= $1",
            &[&(seq as i64)],
        )
    }

    fn versions(&self, kind: Kind, key: &str) -> Result<Vec<Version>, RegisterError> {
        self.versions_where("WHERE kind = $1 AND key = $2", &[&kind.as_str(), &key])
    }

    fn seq_at(&self, t: Timestamp) -> Result<Option<Seq>, RegisterError> {
        let ns = t
            .as_nanosecond()
            .clamp(i128::from(i64::MIN), i128::from(i64::MAX)) as i64;
        let rows = self.query(
            "SELECT seq FROM S.journal WHERE recorded_ns <= $1
             ORDER BY recorded_ns DESC, seq DESC LIMIT 1",
            &[&ns],
        )?;
        Ok(rows.first().map(|r| r.get::<_, i64>(0) as Seq))
    }

    fn live_of_kind(&self, kind: Kind) -> Result<Vec<(String, Record)>, RegisterError> {
        let rows = self.query(
            "SELECT key, body FROM S.version WHERE kind = $1 AND end_seq IS NULL ORDER BY key",
            &[&kind.as_str()],
        )?;
        self.keyed(rows, kind)
    }

    fn counters(&self) -> Result<Vec<(String, u32)>, RegisterError> {
        Ok(self
            .query("SELECT key, last FROM S.counter ORDER BY key", &[])?
            .into_iter()
            .map(|r| (r.get(0), r.get::<_, i64>(1) as u32))
            .collect())
    }
}
