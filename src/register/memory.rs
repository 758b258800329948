//! The register in memory: the reference storage that `verify` replays the journal into,
//! and the one the property tests use.

use std::collections::BTreeMap;

use rustc_hash::FxHashMap;

use jiff::Timestamp;
use rstar::{AABB, RTree, primitives::GeomWithData};

use crate::geometry::Aabb;

use super::backend::{ActRef, Backend, Change, Decided, Head, View};
use super::error::RegisterError;
use super::journal::Entry;
use super::record::{Kind, Record, Seq, UnitRecord, UnitStatus, Version};

type BoxEntry = GeomWithData<rstar::primitives::Rectangle<[f64; 3]>, usize>;

/// Where a batch began, to forget it.
#[derive(Debug, Clone, Copy)]
struct Mark {
    journal: usize,
    versions: usize,
}

/// What a register in memory keeps of every act, even a lean one.
#[derive(Debug, Clone)]
struct Slim {
    seq: Seq,
    recorded_at: Timestamp,
    hash: super::journal::Hash,
    number: String,
    unit: Option<String>,
}

/// A register held in memory.
#[derive(Debug, Default)]
pub struct MemoryRegister {
    journal: Vec<Slim>,
    full: Vec<Entry>,
    lean: bool,
    versions: Vec<Version>,
    /// The live version of each record, per kind.
    live: FxHashMap<Kind, FxHashMap<String, usize>>,
    by_unit: FxHashMap<String, Vec<usize>>,
    by_number: FxHashMap<String, usize>,
    boxes: RTree<BoxEntry>,
    counters: FxHashMap<String, u32>,
    batch: Option<Batch>,
}

/// What a batch changed, to forget it.
#[derive(Debug)]
struct Batch {
    mark: Mark,
    ended: Vec<usize>,
    counters: Vec<(String, Option<u32>)>,
}

fn rect(b: [f64; 6]) -> rstar::primitives::Rectangle<[f64; 3]> {
    rstar::primitives::Rectangle::from_corners([b[0], b[1], b[2]], [b[3], b[4], b[5]])
}

/// The box of a live registered unit, for the spatial index.
pub(super) fn registered_box(r: &Record) -> Option<[f64; 6]> {
    match r {
        Record::Unit(u) if u.status == UnitStatus::Registered => u.measures.map(|m| m.bbox),
        _ => None,
    }
}

impl MemoryRegister {
    /// An empty register.
    pub fn new() -> MemoryRegister {
        MemoryRegister::default()
    }

    /// An empty register that keeps of each act only what the rules need (its number, unit,
    /// time and hash), not the act itself: for replaying a large journal to verify it.
    pub fn lean() -> MemoryRegister {
        MemoryRegister {
            lean: true,
            ..MemoryRegister::default()
        }
    }

    /// A lean register with room for about `acts` acts: the batch being decided, where
    /// growing the tables by doubling would copy them again and again.
    pub(super) fn lean_for(acts: usize) -> MemoryRegister {
        // A first registration opens five versions (unit, supply, right, certificate, source).
        const VERSIONS_PER_ACT: usize = 5;
        let mut m = MemoryRegister::lean();
        m.journal.reserve(acts);
        m.versions.reserve(acts * VERSIONS_PER_ACT);
        m.by_number.reserve(acts);
        m.by_unit.reserve(acts);
        m
    }

    /// Every version, in the order they were opened.
    pub(super) fn versions_slice(&self) -> &[Version] {
        &self.versions
    }

    /// Every recorded act (none for a lean register).
    pub fn journal(&self) -> &[Entry] {
        &self.full
    }

    fn live_index(&self, kind: Kind, key: &str) -> Option<usize> {
        self.live.get(&kind).and_then(|m| m.get(key)).copied()
    }

    fn end_live(&mut self, kind: Kind, key: &str, seq: Seq) {
        if let Some(i) = self.live.get_mut(&kind).and_then(|m| m.remove(key)) {
            self.versions[i].end = Some(seq);
            if let Some(b) = &mut self.batch {
                b.ended.push(i);
            }
            if let Some(b) = registered_box(&self.versions[i].record) {
                self.boxes.remove(&GeomWithData::new(rect(b), i));
            }
        }
    }

    fn put(&mut self, key: String, record: Record, seq: Seq, fresh: bool) {
        let kind = record.kind();
        if let Record::Counter(c) = record {
            self.set_counter(key, c.last);
            return;
        }
        if fresh {
            debug_assert!(self.live_index(kind, &key).is_none());
        } else {
            self.end_live(kind, &key, seq);
        }
        self.push_version(Version {
            kind,
            key,
            begin: seq,
            end: None,
            record,
        });
    }

    fn set_counter(&mut self, key: String, last: u32) {
        let old = self.counters.insert(key.clone(), last);
        if let Some(b) = &mut self.batch {
            b.counters.push((key, old));
        }
    }

    /// Adds a version, live unless it has an end.
    fn push_version(&mut self, v: Version) {
        let i = self.versions.len();
        if let Some(u) = v.record.unit() {
            self.by_unit.entry(u.to_string()).or_default().push(i);
        }
        if v.end.is_none() {
            if let Some(b) = registered_box(&v.record) {
                self.boxes.insert(GeomWithData::new(rect(b), i));
            }
            self.live
                .entry(v.kind)
                .or_default()
                .insert(v.key.clone(), i);
        }
        self.versions.push(v);
    }

    fn push_entry(&mut self, entry: &Entry) {
        self.by_number
            .insert(entry.act.number.clone(), self.journal.len());
        self.journal.push(Slim {
            seq: entry.seq,
            recorded_at: entry.recorded_at,
            hash: entry.hash,
            number: entry.act.number.clone(),
            unit: entry.act.body.unit().map(str::to_string),
        });
        if !self.lean {
            self.full.push(entry.clone());
        }
    }

    /// Appends an act and applies its changes, outside any batch: replaying a journal, and
    /// the acts of a batch being decided.
    pub(super) fn take(&mut self, entry: &Entry, changes: Vec<Change>) {
        let seq = entry.seq;
        for c in changes {
            match c {
                Change::Put { key, record, fresh } => self.put(key, record, seq, fresh),
                Change::End { kind, key } => self.end_live(kind, &key, seq),
            }
        }
        self.push_entry(entry);
    }

    fn rebuild_indexes(&mut self) {
        self.live.clear();
        self.by_unit.clear();
        self.by_number.clear();
        let mut boxes = Vec::new();
        for (i, v) in self.versions.iter().enumerate() {
            if let Some(u) = v.record.unit() {
                self.by_unit.entry(u.to_string()).or_default().push(i);
            }
            if v.end.is_none() {
                self.live
                    .entry(v.kind)
                    .or_default()
                    .insert(v.key.clone(), i);
                if let Some(b) = registered_box(&v.record) {
                    boxes.push(GeomWithData::new(rect(b), i));
                }
            }
        }
        self.boxes = RTree::bulk_load(boxes);
        for (i, e) in self.journal.iter().enumerate() {
            self.by_number.insert(e.number.clone(), i);
        }
    }
}

impl View for MemoryRegister {
    fn head(&self) -> Result<Option<Head>, RegisterError> {
        Ok(self.journal.last().map(|e| Head {
            seq: e.seq,
            recorded_at: e.recorded_at,
            hash: e.hash,
        }))
    }

    fn live(&self, kind: Kind, key: &str) -> Result<Option<Record>, RegisterError> {
        if kind == Kind::Counter {
            return Ok(self
                .counters
                .get(key)
                .map(|&last| Record::Counter(super::record::Counter { last })));
        }
        Ok(self
            .live_index(kind, key)
            .map(|i| self.versions[i].record.clone()))
    }

    fn live_on_unit(&self, kind: Kind, unit: &str) -> Result<Vec<(String, Record)>, RegisterError> {
        let mut out: BTreeMap<String, Record> = BTreeMap::new();
        for &i in self.by_unit.get(unit).into_iter().flatten() {
            let v = &self.versions[i];
            if v.kind == kind && v.end.is_none() {
                out.insert(v.key.clone(), v.record.clone());
            }
        }
        Ok(out.into_iter().collect())
    }

    fn registered_meeting(&self, bbox: &Aabb) -> Result<Vec<UnitRecord>, RegisterError> {
        let b = bbox.to_array();
        let env = AABB::from_corners([b[0], b[1], b[2]], [b[3], b[4], b[5]]);
        let mut out: Vec<(usize, UnitRecord)> = self
            .boxes
            .locate_in_envelope_intersecting(&env)
            .filter_map(|e| match &self.versions[e.data].record {
                Record::Unit(u) => Some((e.data, u.clone())),
                _ => None,
            })
            .collect();
        out.sort_by_key(|(i, _)| *i);
        Ok(out.into_iter().map(|(_, u)| u).collect())
    }

    fn act_by_number(&self, number: &str) -> Result<Option<ActRef>, RegisterError> {
        Ok(self.by_number.get(number).map(|&i| {
            let e = &self.journal[i];
            ActRef {
                seq: e.seq,
                unit: e.unit.clone(),
            }
        }))
    }
}

impl Backend for MemoryRegister {
    fn begin(&mut self) -> Result<(), RegisterError> {
        let mark = Mark {
            journal: self.journal.len(),
            versions: self.versions.len(),
        };
        self.batch = Some(Batch {
            mark,
            ended: Vec::new(),
            counters: Vec::new(),
        });
        Ok(())
    }

    fn write(&mut self, d: &Decided) -> Result<(), RegisterError> {
        self.take(&d.entry, d.changes.clone());
        Ok(())
    }

    fn keeps_layers(&self) -> bool {
        false
    }

    fn commit(&mut self) -> Result<(), RegisterError> {
        self.batch = None;
        Ok(())
    }

    fn rollback(&mut self) -> Result<(), RegisterError> {
        if let Some(b) = self.batch.take() {
            let mark = b.mark;
            self.journal.truncate(mark.journal);
            self.full.truncate(mark.journal);
            self.versions.truncate(mark.versions);
            for i in b.ended {
                if i < mark.versions {
                    self.versions[i].end = None;
                }
            }
            for (key, old) in b.counters.into_iter().rev() {
                match old {
                    Some(v) => self.counters.insert(key, v),
                    None => self.counters.remove(&key),
                };
            }
            self.rebuild_indexes();
        }
        Ok(())
    }

    fn entries(&self, from: Seq, to: Seq) -> Result<Vec<Entry>, RegisterError> {
        Ok(self
            .full
            .iter()
            .filter(|e| e.seq >= from && e.seq <= to)
            .cloned()
            .collect())
    }

    fn all_versions(&self) -> Result<Vec<Version>, RegisterError> {
        Ok(self.versions.clone())
    }

    fn unit_versions(&self, unit: &str) -> Result<Vec<Version>, RegisterError> {
        Ok(self
            .by_unit
            .get(unit)
            .into_iter()
            .flatten()
            .map(|&i| self.versions[i].clone())
            .collect())
    }

    fn versions(&self, kind: Kind, key: &str) -> Result<Vec<Version>, RegisterError> {
        Ok(self
            .versions
            .iter()
            .filter(|v| v.kind == kind && v.key == key)
            .cloned()
            .collect())
    }

    fn seq_at(&self, t: Timestamp) -> Result<Option<Seq>, RegisterError> {
        let n = self.journal.partition_point(|e| e.recorded_at <= t);
        Ok(n.checked_sub(1).map(|i| self.journal[i].seq))
    }

    fn counters(&self) -> Result<Vec<(String, u32)>, RegisterError> {
        let mut out: Vec<(String, u32)> =
            self.counters.iter().map(|(k, v)| (k.clone(), *v)).collect();
        out.sort();
        Ok(out)
    }

    fn live_of_kind(&self, kind: Kind) -> Result<Vec<(String, Record)>, RegisterError> {
        let mut out: Vec<(String, Record)> = self
            .live
            .get(&kind)
            .into_iter()
            .flatten()
            .map(|(key, &i)| (key.clone(), self.versions[i].record.clone()))
            .collect();
        out.sort_by(|a, b| a.0.cmp(&b.0));
        Ok(out)
    }
}
