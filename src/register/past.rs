//! The register as it stood just after an earlier act: a [`View`] over the versions live then,
//! so that the planners' question ([`super::meeting::rights_meeting`]) and the listing of units
//! are answered as of any date with the same code as now.

use crate::geometry::Aabb;

use super::backend::{ActRef, Backend, Head, View};
use super::error::RegisterError;
use super::record::{Kind, Record, Seq, UnitRecord, UnitStatus, Version};

/// The register just after act `seq`.
pub struct Past<'a, B: ?Sized> {
    b: &'a B,
    seq: Seq,
}

impl<'a, B: Backend + ?Sized> Past<'a, B> {
    /// The register `b` as it stood just after act `seq`.
    pub fn new(b: &'a B, seq: Seq) -> Past<'a, B> {
        Past { b, seq }
    }

    /// The act the view stands at.
    pub fn seq(&self) -> Seq {
        self.seq
    }

    fn live_version(&self, versions: Vec<Version>) -> Option<Record> {
        versions
            .into_iter()
            .find(|v| v.live_at(self.seq))
            .map(|v| v.record)
    }
}

fn meets(u: &UnitRecord, bbox: &Aabb) -> bool {
    u.status == UnitStatus::Registered
        && u.measures.is_some_and(|m| {
            let b = m.bbox;
            b[0] <= bbox.max.x
                && b[3] >= bbox.min.x
                && b[1] <= bbox.max.y
                && b[4] >= bbox.min.y
                && b[2] <= bbox.max.z
                && b[5] >= bbox.min.z
        })
}

impl<B: Backend + ?Sized> View for Past<'_, B> {
    fn head(&self) -> Result<Option<Head>, RegisterError> {
        let e = self.b.entries(self.seq, self.seq)?;
        Ok(e.first().map(|e| Head {
            seq: e.seq,
            recorded_at: e.recorded_at,
            hash: e.hash,
        }))
    }

    fn live(&self, kind: Kind, key: &str) -> Result<Option<Record>, RegisterError> {
        Ok(self.live_version(self.b.versions(kind, key)?))
    }

    fn live_on_unit(&self, kind: Kind, unit: &str) -> Result<Vec<(String, Record)>, RegisterError> {
        let mut out: Vec<(String, Record)> = self
            .b
            .unit_versions(unit)?
            .into_iter()
            .filter(|v| v.kind == kind && v.live_at(self.seq))
            .map(|v| (v.key, v.record))
            .collect();
        out.sort_by(|a, b| a.0.cmp(&b.0));
        Ok(out)
    }

    /// The units registered then: those live now that began by then, and those ended since.
    fn registered_meeting(&self, bbox: &Aabb) -> Result<Vec<UnitRecord>, RegisterError> {
        let mut out = Vec::new();
        for u in self.b.registered_meeting(bbox)? {
            let began_by_then = self
                .b
                .versions(Kind::Unit, &u.code)?
                .iter()
                .any(|v| v.end.is_none() && v.begin <= self.seq);
            if began_by_then {
                out.push(u);
            }
        }
        for v in self.b.unit_versions_ended_after(self.seq)? {
            if let Record::Unit(u) = v.record
                && meets(&u, bbox)
            {
                out.push(u);
            }
        }
        Ok(out)
    }

    fn act_by_number(&self, number: &str) -> Result<Option<ActRef>, RegisterError> {
        Ok(self.b.act_by_number(number)?.filter(|a| a.seq <= self.seq))
    }
}
