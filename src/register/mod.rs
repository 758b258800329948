//! The register (登记簿): layered rights, the acts that made them and their whole history.
//!
//! The register is event-sourced. Every act an officer confirms is appended to the
//! [`journal`], chained to the act before by SHA-256; nothing is updated or removed in place.
//! The state (units, parties, rights, mortgages, seizures, certificates, …) is a set of
//! [`Version`]s derived from the acts by one set of [`rules`]: an act either is refused with
//! a [`Refusal`] that names the reason, or yields the [`Change`]s it makes. Every version
//! has a lifespan (the acts that began and ended it, LADM VersionedObject), so the register
//! as of any past moment is read from the same tables as the register now.
//!
//! Storage is behind the [`Backend`] trait: [`MemoryRegister`] (the reference, used to replay
//! and verify), [`SqliteRegister`] (a GeoPackage file) and [`PgRegister`] (a schema of a
//! PostgreSQL/PostGIS database, for several officers at once), also sharded by county over
//! several servers ([`ShardedRegister`]). All run the same rules through
//! [`record()`]; [`store::open`] opens a file or a database by its location.

pub mod act;
mod backend;
pub mod certificate;
mod decided;
mod error;
mod features;
pub mod geometry;
pub(crate) mod gpkg;
pub mod import;
pub mod journal;
pub mod layers;
pub mod meeting;
mod memory;
mod overlay;
pub mod page;
pub mod party;
pub mod past;
pub(crate) mod postgres;
pub mod record;
mod recorder;
pub mod rules;
pub mod seizure;
pub mod shard;
pub(crate) mod sqlite;
pub mod store;
pub(crate) mod verify;

pub use act::{Act, ActBody, Amendment, RegistrationType, Surveyed};
pub use backend::{ActRef, Backend, Change, Decided, Head, View};
pub use error::{Reason, Refusal, RegisterError};
pub use journal::{Entry, Hash};
pub use memory::MemoryRegister;
pub use postgres::PgRegister;
pub use record::{Kind, Record, Seq, Version};
pub use recorder::{Clock, Recorded, record, replay};
pub use shard::ShardedRegister;
pub use sqlite::{SCHEMA_VERSION, Settings, SqliteRegister};
pub use store::Store;
pub use verify::{VerifyReport, verify};
