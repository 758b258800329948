//! A batch being decided: its acts so far held in memory over the storage's state, so that
//! the rules read both and the storage is written once, when the batch is decided whole.

use rustc_hash::{FxHashMap, FxHashSet};

use crate::geometry::Aabb;

use super::backend::{ActRef, Change, Head, View};
use super::decided::Decided;
use super::error::RegisterError;
use super::journal::Entry;
use super::layers;
use super::memory::MemoryRegister;
use super::record::{Kind, Record, UnitRecord};

/// The state of a storage with a batch's acts applied over it, the storage untouched.
#[derive(Debug)]
pub(super) struct Overlay<'a, B: View + ?Sized> {
    base: &'a B,
    /// The batch's versions and counters.
    mem: MemoryRegister,
    /// Keys the batch put or ended, per kind: for these `mem` has the answer.
    touched: FxHashMap<Kind, FxHashSet<String>>,
    /// Whether the storage keeps the GIS layers, whose features each act then carries.
    layers: bool,
}

impl<'a, B: View + ?Sized> Overlay<'a, B> {
    /// No act yet over `base`, with room for about `acts` acts; `layers` when the storage
    /// keeps the GIS layers.
    pub fn new(base: &'a B, acts: usize, layers: bool) -> Overlay<'a, B> {
        Overlay {
            base,
            mem: MemoryRegister::lean_for(acts),
            touched: FxHashMap::default(),
            layers,
        }
    }

    fn is_touched(&self, kind: Kind, key: &str) -> bool {
        self.touched.get(&kind).is_some_and(|s| s.contains(key))
    }

    /// Applies an act the rules accepted, and returns it with the layers' features it
    /// changes (none for a storage without layers), for the storage to write.
    pub fn apply(&mut self, entry: Entry, changes: Vec<Change>) -> Result<Decided, RegisterError> {
        for c in &changes {
            let (kind, key) = c.target();
            if !self.is_touched(kind, key) {
                self.touched
                    .entry(kind)
                    .or_default()
                    .insert(key.to_string());
            }
        }
        self.mem.take(&entry, changes.clone());
        let t = if self.layers {
            layers::touched(&changes)
        } else {
            layers::Touched::default()
        };
        let mut units = Vec::with_capacity(t.units.len());
        for code in t.units {
            let f = layers::unit_feature(self, &code)?;
            units.push((code, f));
        }
        let mut plots = Vec::with_capacity(t.plots.len());
        for id in t.plots {
            let p = match self.live(Kind::Plot, &id)? {
                Some(Record::Plot(p)) => Some(p),
                _ => None,
            };
            plots.push((id, p));
        }
        Ok(Decided {
            entry,
            changes,
            units,
            plots,
            renamed: t.parties,
        })
    }
}

impl<B: View + ?Sized> View for Overlay<'_, B> {
    fn head(&self) -> Result<Option<Head>, RegisterError> {
        match self.mem.head()? {
            Some(h) => Ok(Some(h)),
            None => self.base.head(),
        }
    }

    fn live(&self, kind: Kind, key: &str) -> Result<Option<Record>, RegisterError> {
        if self.is_touched(kind, key) {
            self.mem.live(kind, key)
        } else {
            self.base.live(kind, key)
        }
    }

    fn live_on_unit(&self, kind: Kind, unit: &str) -> Result<Vec<(String, Record)>, RegisterError> {
        let mut out: Vec<(String, Record)> = self
            .base
            .live_on_unit(kind, unit)?
            .into_iter()
            .filter(|(key, _)| !self.is_touched(kind, key))
            .collect();
        out.extend(self.mem.live_on_unit(kind, unit)?);
        out.sort_by(|a, b| a.0.cmp(&b.0));
        Ok(out)
    }

    fn registered_meeting(&self, bbox: &Aabb) -> Result<Vec<UnitRecord>, RegisterError> {
        let mut out: Vec<UnitRecord> = self
            .base
            .registered_meeting(bbox)?
            .into_iter()
            .filter(|u| !self.is_touched(Kind::Unit, &u.code))
            .collect();
        out.extend(self.mem.registered_meeting(bbox)?);
        Ok(out)
    }

    fn act_by_number(&self, number: &str) -> Result<Option<ActRef>, RegisterError> {
        match self.mem.act_by_number(number)? {
            Some(a) => Ok(Some(a)),
            None => self.base.act_by_number(number),
        }
    }
}
