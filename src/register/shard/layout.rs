//! The SQL of a sharded layout: what each county's server holds, and what the coordinator
//! holds to reach them.
//!
//! On a county's server, schema `<schema>_<county>` is a whole register (journal, versions,
//! layers) whose tables carry a `county` column fixed to the county's code. On the
//! coordinator:
//! - a postgres_fdw server per county (PostGIS's operators shipped to it), and schema
//!   `<schema>_<county>` with that county's tables as foreign tables, a local `meta`, and the
//!   sequence of its version ids: one county's register, read and written through the
//!   coordinator by the ordinary PostgreSQL register;
//! - schema `<schema>` with `meta` (layout `sharded`), `county` (codes and boundaries), and
//!   each register table partitioned by `county`, the counties' foreign tables its
//!   partitions: SQL over the whole city (`SELECT … FROM strata.units_under`) reads every
//!   county's server.

use crate::register::postgres::TABLES;

/// The schema of county `code`'s register, on its server and on the coordinator.
pub fn county_schema(schema: &str, code: &str) -> String {
    format!("{schema}_{code}")
}

/// A string as an SQL literal.
pub fn literal(s: &str) -> String {
    format!("'{}'", s.replace('\'', "''"))
}

/// Marks a new county register on its server as a shard: a `county` column on every table,
/// and the coordinator its acts are written through.
pub fn shard_sql(cs: &str, code: &str, coordinator: &str) -> String {
    let mut sql = String::new();
    for t in TABLES {
        sql.push_str(&format!(
            "ALTER TABLE {cs}.{t} ADD COLUMN county text NOT NULL DEFAULT '{code}'
               CHECK (county = '{code}');\n"
        ));
    }
    sql.push_str(&format!(
        "INSERT INTO {cs}.meta VALUES ('{}', {});\n",
        crate::register::postgres::WRITTEN_THROUGH,
        literal(coordinator)
    ));
    sql
}

/// Where a county's server is, for postgres_fdw.
#[derive(Debug, Clone)]
pub struct Remote {
    /// Host name or address.
    pub host: String,
    /// Port.
    pub port: u16,
    /// Database.
    pub dbname: String,
    /// User.
    pub user: String,
    /// Password, when the server asks for one.
    pub password: Option<String>,
}

impl Remote {
    /// Reads a `postgresql://` URL; the error says what it lacks.
    pub fn parse(url: &str) -> Result<Remote, String> {
        let cfg: postgres::Config = url
            .parse()
            .map_err(|e| format!("not a database URL: {e}"))?;
        let host = match cfg.get_hosts().first() {
            Some(postgres::config::Host::Tcp(h)) => h.clone(),
            _ => return Err("names no TCP host".into()),
        };
        Ok(Remote {
            host,
            port: cfg.get_ports().first().copied().unwrap_or(5432),
            dbname: cfg.get_dbname().ok_or("names no database")?.to_string(),
            user: cfg.get_user().ok_or("names no user")?.to_string(),
            password: cfg
                .get_password()
                .map(|p| String::from_utf8_lossy(p).into_owned()),
        })
    }
}

/// The coordinator's schema `schema`, its `meta` and `county` tables (filled by the caller).
pub fn coordinator_sql(schema: &str, srid: i32) -> String {
    format!(
        "CREATE EXTENSION IF NOT EXISTS postgis;
         CREATE EXTENSION IF NOT EXISTS postgres_fdw;
         CREATE SCHEMA {schema};
         CREATE TABLE {schema}.meta (key text PRIMARY KEY, value text NOT NULL);
         CREATE TABLE {schema}.county (code text PRIMARY KEY, server text NOT NULL,
           location text NOT NULL, boundary geometry(MultiPolygon, {srid}) NOT NULL);"
    )
}

/// County `code`'s foreign tables on the coordinator, with the local `meta` copied from the
/// county's server (without the mark that refuses writes there).
pub fn county_sql(schema: &str, code: &str, r: &Remote) -> String {
    let cs = county_schema(schema, code);
    let password = r
        .password
        .as_deref()
        .map(|p| format!(", password {}", literal(p)))
        .unwrap_or_default();
    let mut sql = format!(
        "CREATE SERVER {cs} FOREIGN DATA WRAPPER postgres_fdw OPTIONS (host {host},
           port '{port}', dbname {db}, extensions 'postgis', fetch_size '10000');
         CREATE USER MAPPING FOR PUBLIC SERVER {cs} OPTIONS (user {user}{password});
         CREATE SCHEMA {cs};
         IMPORT FOREIGN SCHEMA {cs} FROM SERVER {cs} INTO {cs};
         CREATE TABLE {cs}.local_meta (key text PRIMARY KEY, value text NOT NULL);
         INSERT INTO {cs}.local_meta SELECT key, value FROM {cs}.meta
           WHERE key <> '{through}';
         DROP FOREIGN TABLE {cs}.meta;
         ALTER TABLE {cs}.local_meta RENAME TO meta;
         CREATE SEQUENCE {cs}.version_id;
         ALTER FOREIGN TABLE {cs}.version ALTER COLUMN id SET DEFAULT nextval('{cs}.version_id');\n",
        host = literal(&r.host),
        port = r.port,
        db = literal(&r.dbname),
        user = literal(&r.user),
        through = crate::register::postgres::WRITTEN_THROUGH,
    );
    for t in TABLES {
        sql.push_str(&format!(
            "ALTER FOREIGN TABLE {cs}.{t} ALTER COLUMN county SET DEFAULT '{code}';\n"
        ));
    }
    sql
}

/// The coordinator's partitioned tables, made like the first county's.
pub fn parents_sql(schema: &str, first: &str) -> String {
    let cs = county_schema(schema, first);
    TABLES
        .iter()
        .map(|t| format!("CREATE TABLE {schema}.{t} (LIKE {cs}.{t}) PARTITION BY LIST (county);\n"))
        .collect()
}

/// Attaches county `code`'s foreign tables as partitions of the coordinator's tables.
pub fn attach_sql(schema: &str, code: &str) -> String {
    let cs = county_schema(schema, code);
    TABLES
        .iter()
        .map(|t| {
            format!(
                "ALTER TABLE {schema}.{t} ATTACH PARTITION {cs}.{t} FOR VALUES IN ('{code}');\n"
            )
        })
        .collect()
}
