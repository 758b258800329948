//! An act decided in a batch, with everything the storage is to write for it, and the one
//! order every database writes it in: the journal, the versions, then the layers.

use super::backend::{Change, View};
use super::error::RegisterError;
use super::journal::Entry;
use super::layers::{self, UnitFeature};
use super::record::{Kind, PlotRecord, Record, Seq};

/// An act the rules accepted, and what it leaves for the storage to write.
#[derive(Debug, Clone)]
pub struct Decided {
    /// The sealed act.
    pub entry: Entry,
    /// The changes it makes.
    pub changes: Vec<Change>,
    /// The units whose features it changed, with their features after it (`None`: no longer
    /// shown), in code order.
    pub units: Vec<(String, Option<UnitFeature>)>,
    /// The plots it changed, after it.
    pub plots: Vec<(String, Option<PlotRecord>)>,
    /// Parties it renamed: the features of every unit they hold show the new name.
    pub renamed: Vec<String>,
}

/// The row writes of a database, each inside the batch's transaction.
pub(super) trait Rows: View {
    /// Adds an act to the journal.
    fn journal_row(&self, e: &Entry) -> Result<(), RegisterError>;
    /// Ends the live version of a record (and takes a unit out of the spatial index).
    fn end_row(&self, kind: Kind, key: &str, seq: Seq) -> Result<(), RegisterError>;
    /// Opens a version of the record under `key` with act `seq`, with its holdings and, for a
    /// registered unit, its box.
    fn version_row(&self, key: &str, record: &Record, seq: Seq) -> Result<(), RegisterError>;
    /// Sets a counter's last number.
    fn counter_row(&self, key: &str, last: u32) -> Result<(), RegisterError>;
    /// Replaces a unit's features.
    fn unit_rows(&self, code: &str, f: Option<&UnitFeature>) -> Result<(), RegisterError>;
    /// Replaces a plot's feature.
    fn plot_row(&self, id: &str, p: Option<&PlotRecord>) -> Result<(), RegisterError>;
    /// The units whose live right party `id` holds.
    fn held_by(&self, id: &str) -> Result<Vec<String>, RegisterError>;
}

/// Writes `d` through `r`.
pub(super) fn write_rows<R: Rows + ?Sized>(r: &R, d: &Decided) -> Result<(), RegisterError> {
    let seq = d.entry.seq;
    r.journal_row(&d.entry)?;
    for c in &d.changes {
        match c {
            Change::Put {
                key,
                record: Record::Counter(c),
                ..
            } => r.counter_row(key, c.last)?,
            Change::Put { key, record, fresh } => {
                if !fresh {
                    r.end_row(record.kind(), key, seq)?;
                }
                r.version_row(key, record, seq)?;
            }
            Change::End { kind, key } => r.end_row(*kind, key, seq)?,
        }
    }
    for (code, f) in &d.units {
        r.unit_rows(code, f.as_ref())?;
    }
    for (id, p) in &d.plots {
        r.plot_row(id, p.as_ref())?;
    }
    for party in &d.renamed {
        for code in r.held_by(party)? {
            if !d.units.iter().any(|(c, _)| *c == code) {
                let f = layers::unit_feature(r, &code)?;
                r.unit_rows(&code, f.as_ref())?;
            }
        }
    }
    Ok(())
}
