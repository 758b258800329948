//! Opening a register wherever it is: a GeoPackage file, or a schema of a PostgreSQL
//! database (`postgresql://user@host:port/db#schema`, schema `strata` by default).

use std::path::Path;

use super::act::Act;
use super::backend::Backend;
use super::error::RegisterError;
use super::postgres::PgRegister;
use super::shard::ShardedRegister;
use super::sqlite::{Settings, SqliteRegister};

/// The schema of a PostgreSQL register when the location names none.
pub const DEFAULT_SCHEMA: &str = "strata";

/// A register in some storage.
pub trait Store: Backend {
    /// Its frame and tolerances.
    fn settings(&self) -> &Settings;
    /// Where it is, for messages (a database without its password).
    fn location(&self) -> String;
}

impl Store for SqliteRegister {
    fn settings(&self) -> &Settings {
        SqliteRegister::settings(self)
    }
    fn location(&self) -> String {
        self.path().to_string()
    }
}

impl Store for PgRegister {
    fn settings(&self) -> &Settings {
        PgRegister::settings(self)
    }
    fn location(&self) -> String {
        PgRegister::location(self)
    }
}

/// The database URL and schema of a PostgreSQL location, `None` for a file.
pub fn postgres_location(location: &str) -> Option<(&str, &str)> {
    if !(location.starts_with("postgresql://") || location.starts_with("postgres://")) {
        return None;
    }
    Some(match location.split_once('#') {
        Some((url, schema)) if !schema.is_empty() => (url, schema),
        Some((url, _)) => (url, DEFAULT_SCHEMA),
        None => (location, DEFAULT_SCHEMA),
    })
}

/// Opens the register at `location`; a file is opened read-only with `read_only`.
pub fn open(location: &str, read_only: bool) -> Result<Box<dyn Store + Send>, RegisterError> {
    if let Some((url, schema)) = postgres_location(location) {
        return Ok(Box::new(PgRegister::open(url, schema)?));
    }
    let path = Path::new(location);
    Ok(Box::new(if read_only {
        SqliteRegister::open_read_only(path)?
    } else {
        SqliteRegister::open(path)?
    }))
}

/// What a command is about: where a register sharded by county finds the county it is in.
#[derive(Debug, Clone, Copy)]
pub enum Scope<'a> {
    /// A batch of acts to record.
    Acts(&'a [Act]),
    /// A unit code, or a mortgage or seizure key (which begins with one).
    Unit(&'a str),
}

/// The coordinator of a register sharded by county at `location`, `None` for any other
/// register.
pub fn sharded(location: &str) -> Result<Option<ShardedRegister>, RegisterError> {
    match postgres_location(location) {
        Some((url, schema)) => ShardedRegister::try_open(url, schema),
        None => Ok(None),
    }
}

/// Opens the register at `location` for `scope`: for a register sharded by county, the
/// register of the county the acts or the unit are in, through the coordinator (a batch over
/// two counties is refused); any other register as [`open`] does.
pub fn open_for(
    location: &str,
    read_only: bool,
    scope: Scope<'_>,
) -> Result<Box<dyn Store + Send>, RegisterError> {
    let Some(city) = sharded(location)? else {
        return open(location, read_only);
    };
    Ok(Box::new(match scope {
        Scope::Acts(acts) => city.county(&city.county_for(acts)?.code)?,
        Scope::Unit(unit) => city.county_of_unit(unit)?,
    }))
}

/// Creates a new, empty register at `location`.
pub fn create(location: &str, settings: Settings) -> Result<Box<dyn Store + Send>, RegisterError> {
    if let Some((url, schema)) = postgres_location(location) {
        return Ok(Box::new(PgRegister::create(url, schema, settings)?));
    }
    Ok(Box::new(SqliteRegister::create(
        Path::new(location),
        settings,
    )?))
}
