//! What a storage must do to hold a register: read the live state for the rules, write the
//! acts of a batch inside a transaction, and read the history back.

use jiff::Timestamp;

use crate::geometry::Aabb;

pub use super::decided::Decided;
use super::error::RegisterError;
use super::journal::{Entry, Hash};
use super::record::{Kind, Record, Seq, UnitRecord, Version};

/// The last recorded act.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Head {
    /// Its place in the journal.
    pub seq: Seq,
    /// When it was recorded.
    pub recorded_at: Timestamp,
    /// Its hash.
    pub hash: Hash,
}

impl Head {
    /// The head as a database row holds it: its place, its time in nanoseconds since the
    /// epoch and its hash in hex. The error says which part does not read.
    pub(super) fn from_row(seq: i64, ns: i64, hash: &str) -> Result<Head, String> {
        let recorded_at = Timestamp::from_nanosecond(i128::from(ns)).map_err(|e| e.to_string())?;
        let hash = Hash::parse_hex(hash).ok_or("bad hash")?;
        Ok(Head {
            seq: seq as Seq,
            recorded_at,
            hash,
        })
    }
}

/// A recorded act, found by its business number.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ActRef {
    /// Its place in the journal.
    pub seq: Seq,
    /// The unit it was about.
    pub unit: Option<String>,
}

/// A change an act makes to the state.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Clone, PartialEq)]
pub enum Change {
    /// Opens a new version of the record under `key`, ending the live one if there is one.
    Put {
        /// The record's key.
        key: String,
        /// The new content.
        record: Record,
        /// True when no version of the record is live (a new source, certificate, mortgage):
        /// the storage need not look for one to end.
        fresh: bool,
    },
    /// Ends the live version of a record (a released mortgage, a cancelled right).
    End {
        /// The kind.
        kind: Kind,
        /// The key.
        key: String,
    },
}

impl Change {
    /// The kind and key it changes.
    pub fn target(&self) -> (Kind, &str) {
        match self {
            Change::Put { key, record, .. } => (record.kind(), key),
            Change::End { kind, key } => (*kind, key),
        }
    }
}

/// Reading the state after the last recorded act (inside a batch: including the batch's acts
/// so far).
pub trait View {
    /// The last act, `None` for an empty register.
    fn head(&self) -> Result<Option<Head>, RegisterError>;

    /// The live version of a record.
    fn live(&self, kind: Kind, key: &str) -> Result<Option<Record>, RegisterError>;

    /// The live records of one kind on a unit, with their keys, in key order.
    fn live_on_unit(&self, kind: Kind, unit: &str) -> Result<Vec<(String, Record)>, RegisterError>;

    /// The live registered units whose bounding boxes meet `bbox`.
    fn registered_meeting(&self, bbox: &Aabb) -> Result<Vec<UnitRecord>, RegisterError>;

    /// The recorded act with this business number.
    fn act_by_number(&self, number: &str) -> Result<Option<ActRef>, RegisterError>;
}

/// A borrowed view is a view: a storage of any size can be handed on as `&dyn View`.
impl<V: View + ?Sized> View for &V {
    fn head(&self) -> Result<Option<Head>, RegisterError> {
        (**self).head()
    }

    fn live(&self, kind: Kind, key: &str) -> Result<Option<Record>, RegisterError> {
        (**self).live(kind, key)
    }

    fn live_on_unit(&self, kind: Kind, unit: &str) -> Result<Vec<(String, Record)>, RegisterError> {
        (**self).live_on_unit(kind, unit)
    }

    fn registered_meeting(&self, bbox: &Aabb) -> Result<Vec<UnitRecord>, RegisterError> {
        (**self).registered_meeting(bbox)
    }

    fn act_by_number(&self, number: &str) -> Result<Option<ActRef>, RegisterError> {
        (**self).act_by_number(number)
    }
}

/// A storage the rules can record acts in, and whose history can be read.
pub trait Backend: View {
    /// Starts a batch: acts appended until [`Backend::commit`] are recorded together or not
    /// at all.
    fn begin(&mut self) -> Result<(), RegisterError>;

    /// Writes a decided act: its journal entry, the versions it opens and ends, the counters
    /// it moves and the layers' features it changes.
    fn write(&mut self, d: &Decided) -> Result<(), RegisterError>;

    /// Whether the storage keeps the GIS layers (a register in memory does not): only then
    /// does a decided act carry the features of the units and plots it changes.
    fn keeps_layers(&self) -> bool {
        true
    }

    /// A second reader of the state as the last commit left it, usable on another thread
    /// while this storage writes a batch: the rules then decide the batch's acts (over the
    /// reader and the acts decided so far) while the storage writes the ones before. `None`
    /// when the storage has none (a register in memory).
    fn reader(&self) -> Result<Option<Box<dyn View + Send>>, RegisterError> {
        Ok(None)
    }

    /// Makes the batch durable.
    fn commit(&mut self) -> Result<(), RegisterError>;

    /// Forgets the batch.
    fn rollback(&mut self) -> Result<(), RegisterError>;

    /// The journal's entries `from..=to`, read back and checked against their hashes; a
    /// damaged entry is an error naming it.
    fn entries(&self, from: Seq, to: Seq) -> Result<Vec<Entry>, RegisterError>;

    /// Every version of every record but the counters, in the order they were opened.
    fn all_versions(&self) -> Result<Vec<Version>, RegisterError>;

    /// Versions `offset..offset + limit` of [`Backend::all_versions`], to read a large
    /// register in parts.
    fn versions_part(&self, offset: usize, limit: usize) -> Result<Vec<Version>, RegisterError> {
        Ok(self
            .all_versions()?
            .into_iter()
            .skip(offset)
            .take(limit)
            .collect())
    }

    /// Every version of the records on a unit (the unit, its supply, right, mortgages,
    /// seizures, certificates), in the order they were opened.
    fn unit_versions(&self, unit: &str) -> Result<Vec<Version>, RegisterError>;

    /// Every version of one record.
    fn versions(&self, kind: Kind, key: &str) -> Result<Vec<Version>, RegisterError>;

    /// The last act recorded at or before `t`.
    fn seq_at(&self, t: Timestamp) -> Result<Option<Seq>, RegisterError>;

    /// The live records of one kind, in key order.
    fn live_of_kind(&self, kind: Kind) -> Result<Vec<(String, Record)>, RegisterError>;

    /// Every counter with its last number, in key order. Counters are kept without
    /// versions: a number handed out is never handed out again, so only the last matters.
    fn counters(&self) -> Result<Vec<(String, u32)>, RegisterError>;

    /// The unit versions live just after act `seq` that have ended since: with the live
    /// registered units that began by then, the units registered as of `seq`
    /// ([`super::past::Past`]). Ended versions are few (cancellations, corrections); the
    /// databases find them with one scan of the versions.
    fn unit_versions_ended_after(&self, seq: Seq) -> Result<Vec<Version>, RegisterError> {
        Ok(self
            .all_versions()?
            .into_iter()
            .filter(|v| v.kind == Kind::Unit && v.begin <= seq && v.end.is_some_and(|e| e > seq))
            .collect())
    }

    /// How many live registered units' boxes meet `bbox`: what a listing would load, counted
    /// without loading it.
    fn registered_count(&self, bbox: &Aabb) -> Result<usize, RegisterError> {
        Ok(self.registered_meeting(bbox)?.len())
    }

    /// Every live unit of plot `plot`, pre-coded ones too, in code order. The databases find
    /// them in one pass over the live versions without reading the others into memory.
    fn live_units_of_plot(&self, plot: &str) -> Result<Vec<UnitRecord>, RegisterError> {
        Ok(self
            .live_of_kind(Kind::Unit)?
            .into_iter()
            .filter_map(|(_, r)| match r {
                Record::Unit(u) if u.plot.as_deref() == Some(plot) => Some(u),
                _ => None,
            })
            .collect())
    }

    /// The box around every live registered unit; `None` when there is none.
    fn extent(&self) -> Result<Option<Aabb>, RegisterError> {
        let all = Aabb {
            min: crate::geometry::Point3::new(-1e12, -1e12, -1e12),
            max: crate::geometry::Point3::new(1e12, 1e12, 1e12),
        };
        let b = self
            .registered_meeting(&all)?
            .iter()
            .filter_map(|u| u.measures.map(|m| m.bbox))
            .fold(Aabb::empty(), |a, b| a.union(&Aabb::from_array(b)));
        Ok((!b.is_empty()).then_some(b))
    }
}
