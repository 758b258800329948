//! A register sharded by county over several PostgreSQL servers, for a province: each
//! county's register on a server of its own, one coordinator through which every act is
//! recorded and every question is asked.
//!
//! Each county's register is a whole register: its own journal and hash chain, counters and
//! certificates, verifiable on its own. The coordinator reaches them with postgres_fdw
//! (see [`county_schema`]), so a county's register is also an ordinary PostgreSQL register on the
//! coordinator (schema `<schema>_<county>`), written under the coordinator's lock for that
//! county: officers of different counties record at once, officers of one county one after
//! the other. An act writes to one county ([`county`]): a batch over two counties, or a
//! volume over a county border, is refused.
//!
//! The layout: on each county's server, schema `<schema>_<county>` holds the county's
//! register, every table with a `county` column fixed to its code. On the coordinator, a
//! postgres_fdw server per county (PostGIS's operators shipped to it); schema
//! `<schema>_<county>` with the county's tables as foreign tables, a local `meta` and the
//! sequence of its version ids; and schema `<schema>` with `meta` (layout `sharded`),
//! `county` (codes, servers, boundaries) and every register table partitioned by `county`,
//! the counties' foreign tables its partitions, for SQL over the whole province.
//!
//! ```no_run
//! use strata::register::shard::{ShardedRegister, county::read_boundaries};
//! # fn main() -> Result<(), Box<dyn std::error::Error>> {
//! let counties = read_boundaries("counties.geojson", &std::fs::read_to_string("counties.geojson")?)?;
//! let shards = vec![
//!     ("110105".to_string(), "postgresql://strata@10.0.0.5/register".to_string()),
//!     ("110108".to_string(), "postgresql://strata@10.0.0.6/register".to_string()),
//! ];
//! let city = ShardedRegister::create(
//!     "postgresql://strata@10.0.0.2/city", "strata", &shards, &counties, Default::default())?;
//! let chaoyang = city.county("110105")?; // a PgRegister: record, show, verify
//! # Ok(()) }
//! ```

pub mod county;
mod layout;

pub use self::layout::county_schema;

use postgres::Client;

use self::county::{County, county_of_batch, county_of_code};
use self::layout::Remote;
use super::act::Act;
use super::error::{Reason, Refusal, RegisterError};
use super::postgres::{
    LAYOUT, Meta, PgRegister, check_schema, pg_error, redact, schema_exists, write_meta,
};
use super::rules::Options;
use super::sqlite::Settings;
use super::verify::{VerifyReport, verify};

/// A register sharded by county, as its coordinator sees it.
pub struct ShardedRegister {
    client: Client,
    url: String,
    schema: String,
    settings: Settings,
    counties: Vec<County>,
}

impl std::fmt::Debug for ShardedRegister {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "ShardedRegister({})", self.location())
    }
}

/// One county's verification, and what the coordinator sees of it.
#[derive(Debug, Clone, serde::Serialize)]
pub struct CountyReport {
    /// The county code.
    pub county: String,
    /// Its register's verification, read through the coordinator.
    pub report: VerifyReport,
}

/// The counties' shards for [`ShardedRegister::create`]: county code and database URL.
pub type Shards = [(String, String)];

impl ShardedRegister {
    fn place(url: &str, schema: &str) -> String {
        format!("{} (schema {schema})", redact(url))
    }

    /// Where it is: the coordinator (without password) and schema.
    pub fn location(&self) -> String {
        ShardedRegister::place(&self.url, &self.schema)
    }

    /// The register's frame and tolerances, every county's.
    pub fn settings(&self) -> &Settings {
        &self.settings
    }

    /// Its counties, in code order.
    pub fn counties(&self) -> &[County] {
        &self.counties
    }

    /// Creates a sharded register: a county register on each shard's server (schema
    /// `<schema>_<county>`), then the coordinator's schema `schema` reaching them. Every
    /// shard needs a boundary in `counties`; the coordinator must not be a shard's database.
    pub fn create(
        url: &str,
        schema: &str,
        shards: &Shards,
        counties: &[County],
        settings: Settings,
    ) -> Result<ShardedRegister, RegisterError> {
        check_schema(schema)?;
        let place = ShardedRegister::place(url, schema);
        let bad = |detail: String| RegisterError::Storage {
            path: place.clone(),
            detail,
        };
        let remotes = check_layout(url, shards, counties, &settings).map_err(bad)?;
        let mut client = PgRegister::connect(url)?;
        if schema_exists(&mut client, schema, &place)? {
            return Err(RegisterError::Exists { path: place });
        }
        let mut made = Vec::with_capacity(shards.len());
        let done = shards
            .iter()
            .try_for_each(|(code, shard)| {
                let cs = county_schema(schema, code);
                create_shard(shard, &cs, code, &place, &settings)?;
                made.push((shard, cs));
                Ok(())
            })
            .and_then(|()| {
                create_coordinator(&mut client, schema, shards, &remotes, counties, &settings)
                    .map_err(|e| pg_error(&place, &e))
            });
        if let Err(e) = done {
            // The county registers made so far hold nothing yet: remove them, so that the
            // same command can be run again once the cause is fixed.
            for (shard, cs) in made {
                if let Ok(mut c) = PgRegister::connect(shard) {
                    let _ = c.batch_execute(&format!("DROP SCHEMA {cs} CASCADE"));
                }
            }
            return Err(e);
        }
        ShardedRegister::open(url, schema)
    }

    /// Whether schema `schema` at `url` is the coordinator of a sharded register.
    pub fn is_sharded(url: &str, schema: &str) -> Result<bool, RegisterError> {
        Ok(ShardedRegister::try_open(url, schema)?.is_some())
    }

    /// Opens the coordinator's schema `schema` at `url`.
    pub fn open(url: &str, schema: &str) -> Result<ShardedRegister, RegisterError> {
        ShardedRegister::try_open(url, schema)?.ok_or_else(|| RegisterError::NotARegister {
            path: ShardedRegister::place(url, schema),
            detail: "not the coordinator of a sharded register".into(),
        })
    }

    /// Opens the coordinator's schema `schema` at `url`; `None` when it is no coordinator
    /// (another register, or nothing), on one connection either way.
    pub fn try_open(url: &str, schema: &str) -> Result<Option<ShardedRegister>, RegisterError> {
        check_schema(schema)?;
        let place = ShardedRegister::place(url, schema);
        let mut client = PgRegister::connect(url)?;
        let meta = match Meta::read(&mut client, schema, &place)? {
            Some(m) if m.get(LAYOUT) == Some("sharded") => m,
            _ => return Ok(None),
        };
        let settings = meta.settings()?;
        let rows = client
            .query(
                &format!("SELECT code, ST_AsGeoJSON(boundary) FROM {schema}.county ORDER BY code"),
                &[],
            )
            .map_err(|e| pg_error(&place, &e))?;
        let mut counties = Vec::with_capacity(rows.len());
        for r in rows {
            let (code, geojson): (String, String) = (r.get(0), r.get(1));
            let damaged = |detail: String| RegisterError::Damaged {
                path: place.clone(),
                what: format!("county {code}"),
                detail,
            };
            let g: serde_json::Value =
                serde_json::from_str(&geojson).map_err(|e| damaged(e.to_string()))?;
            let boundary = county::geojson_polygons(&g).map_err(damaged)?;
            counties.push(County { code, boundary });
        }
        Ok(Some(ShardedRegister {
            client,
            url: url.to_string(),
            schema: schema.to_string(),
            settings,
            counties,
        }))
    }

    /// County `code`'s register through the coordinator.
    pub fn county(&self, code: &str) -> Result<PgRegister, RegisterError> {
        if !self.counties.iter().any(|c| c.code == code) {
            return Err(RegisterError::NotARegister {
                path: self.location(),
                detail: format!("county {code} has no register in this layout"),
            });
        }
        PgRegister::open(&self.url, &county_schema(&self.schema, code))
    }

    /// The county a batch of acts writes to: refused when it would write to two, when a
    /// volume or plot reaches over its county's border, or when the county has no register
    /// here.
    pub fn county_for(&self, acts: &[Act]) -> Result<&County, RegisterError> {
        county_of_batch(acts, &self.counties, self.settings.tolerance)
    }

    /// The county register of a unit code (or a mortgage or seizure key, which begins with
    /// one).
    pub fn county_of_unit(&self, unit: &str) -> Result<PgRegister, RegisterError> {
        let code = county_of_code(unit).ok_or_else(|| RegisterError::Refused {
            index: 1,
            number: String::new(),
            unit: Some(unit.to_string()),
            refusal: Box::new(Refusal::new(
                Reason::InvalidCode,
                format!("{unit:?} does not begin with a six-digit county code"),
            )),
        })?;
        self.county(code)
    }

    /// Verifies every county's register through the coordinator (hash chain, replay,
    /// invariants), and what the coordinator holds of each: its partitions reach the same
    /// journal, its version ids are ahead of the county's, its settings are the county's.
    pub fn verify(&mut self, opts: &Options) -> Result<Vec<CountyReport>, RegisterError> {
        let mut out = Vec::with_capacity(self.counties.len());
        let codes: Vec<String> = self.counties.iter().map(|c| c.code.clone()).collect();
        for code in codes {
            let reg = self.county(&code)?;
            let mut report = verify(&reg, opts)?;
            if reg.settings() != &self.settings {
                report.problems.push(format!(
                    "county {code}'s settings differ from the register's"
                ));
            }
            for p in self.coordinator_problems(&code, report.acts)? {
                report.problems.push(p);
            }
            out.push(CountyReport {
                county: code,
                report,
            });
        }
        Ok(out)
    }

    fn coordinator_problems(
        &mut self,
        code: &str,
        acts: u64,
    ) -> Result<Vec<String>, RegisterError> {
        let (s, cs) = (&self.schema, county_schema(&self.schema, code));
        let place = self.location();
        let row = self
            .client
            .query_one(
                &format!(
                    "SELECT (SELECT count(*) FROM {s}.journal WHERE county = $1),
                            (SELECT coalesce(max(id), 0) FROM {s}.version WHERE county = $1),
                            (SELECT last_value FROM {cs}.version_id)"
                ),
                &[&code],
            )
            .map_err(|e| pg_error(&place, &e))?;
        let (journal, max_id, last): (i64, i64, i64) = (row.get(0), row.get(1), row.get(2));
        let mut problems = Vec::new();
        if journal as u64 != acts {
            problems.push(format!(
                "the coordinator's journal partition of county {code} holds {journal} acts, \
                 the county's register {acts}"
            ));
        }
        if max_id > last {
            problems.push(format!(
                "the coordinator's version ids of county {code} are at {last}, behind the \
                 county's {max_id}: the next act would reuse an id"
            ));
        }
        Ok(problems)
    }
}

/// Checks a layout before anything is made: every county once, with a boundary and a server
/// of its own (not the coordinator's database), boundaries that do not overlap. Returns the
/// county servers' addresses for postgres_fdw.
fn check_layout(
    url: &str,
    shards: &Shards,
    counties: &[County],
    settings: &Settings,
) -> Result<Vec<Remote>, String> {
    if shards.is_empty() {
        return Err("a sharded register needs at least one county".into());
    }
    let coordinator = Remote::parse(url).map_err(|e| format!("the coordinator {e}"))?;
    let mut remotes = Vec::with_capacity(shards.len());
    for (code, shard) in shards {
        county::check_code(code)?;
        if !counties.iter().any(|c| &c.code == code) {
            return Err(format!("county {code} has no boundary"));
        }
        let r = Remote::parse(shard)
            .map_err(|e| format!("county {code}'s server {}: {e}", redact(shard)))?;
        if (&r.host, r.port, &r.dbname)
            == (&coordinator.host, coordinator.port, &coordinator.dbname)
        {
            return Err(format!(
                "county {code}'s database is the coordinator's: a county's register lives \
                 in a database of its own"
            ));
        }
        remotes.push(r);
    }
    if let Some(c) = counties
        .iter()
        .find(|c| !shards.iter().any(|(s, _)| *s == c.code))
    {
        return Err(format!("county {} has a boundary but no server", c.code));
    }
    if let Some((i, (code, _))) = shards
        .iter()
        .enumerate()
        .find(|(i, (code, _))| shards[..*i].iter().any(|(c, _)| c == code))
    {
        return Err(format!("county {code} is given twice (shard {})", i + 1));
    }
    county::check_disjoint(counties, settings.tolerance)?;
    Ok(remotes)
}

fn create_shard(
    url: &str,
    cs: &str,
    code: &str,
    coordinator: &str,
    settings: &Settings,
) -> Result<(), RegisterError> {
    let reg = PgRegister::create(url, cs, settings.clone())?;
    drop(reg);
    let mut client = PgRegister::connect(url)?;
    let place = ShardedRegister::place(url, cs);
    let mut tx = client.transaction().map_err(|e| pg_error(&place, &e))?;
    tx.batch_execute(&layout::shard_sql(cs, code, coordinator))
        .map_err(|e| pg_error(&place, &e))?;
    tx.commit().map_err(|e| pg_error(&place, &e))
}

fn create_coordinator(
    client: &mut Client,
    schema: &str,
    shards: &Shards,
    remotes: &[Remote],
    counties: &[County],
    settings: &Settings,
) -> Result<(), postgres::Error> {
    let srid = settings.crs_epsg.map_or(0, |c| c as i32);
    let mut tx = client.transaction()?;
    // Two coordinators made at once in one database would both create the extensions.
    tx.batch_execute("SELECT pg_advisory_xact_lock(hashtext('strata create coordinator'))")?;
    tx.batch_execute(&layout::coordinator_sql(schema, srid))?;
    write_meta(
        &mut tx,
        schema,
        settings,
        &[(LAYOUT, "sharded".to_string())],
    )?;
    for ((code, url), remote) in shards.iter().zip(remotes) {
        tx.batch_execute(&layout::county_sql(schema, code, remote))?;
        let boundary = counties
            .iter()
            .find(|c| &c.code == code)
            .map(|c| crate::register::gpkg::footprint_wkb(&c.boundary).0)
            .unwrap_or_default();
        tx.execute(
            &format!("INSERT INTO {schema}.county VALUES ($1, $2, $3, ST_GeomFromWKB($4, $5))"),
            &[
                code,
                &county_schema(schema, code),
                &redact(url),
                &boundary,
                &srid,
            ],
        )?;
    }
    if let Some((first, _)) = shards.first() {
        tx.batch_execute(&layout::parents_sql(schema, first))?;
    }
    for (code, _) in shards {
        tx.batch_execute(&layout::attach_sql(schema, code))?;
    }
    tx.commit()
}
