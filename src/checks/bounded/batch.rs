//! A batch: read, validated, admitted and checked.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use crate::admit::{AdmitOptions, Refusal, decide};
use crate::geometry::Aabb;
use crate::geometry::algorithm::BoundingBox3;
use crate::io::dataset::read_dataset_sieved;
use crate::model::Dataset;
use crate::validate::{dataset_findings_listed, has_error, report};

use super::first_read::{Boxes, Features};
use super::plan::Plan;
use super::{BoundedError, Found, fingerprint};
use crate::checks::tiles::{PlotIndex, assign, check_tile, tile_dataset};
use crate::checks::{CheckOptions, Conflict};

/// What every batch reads and checks.
pub(super) struct Run<'r> {
    pub(super) paths: &'r [PathBuf],
    /// The files as the first read found them.
    pub(super) files: Vec<Option<(u64, std::time::SystemTime)>>,
    pub(super) admit: &'r AdmitOptions,
    pub(super) opts: &'r CheckOptions,
    pub(super) plan: &'r Plan,
    pub(super) boxes: &'r Boxes,
}

impl Run<'_> {
    /// Reads batch `k`: its dataset, its units' ids in the dataset's order, and the time.
    pub(super) fn read(
        &self,
        features: &mut Features,
        k: usize,
    ) -> Result<(Dataset, Vec<u32>, Duration), BoundedError> {
        let t = Instant::now();
        if fingerprint(self.paths) != self.files {
            return Err(BoundedError::Changed);
        }
        let mut sieve = self.plan.sieve(k, self.boxes, features);
        let ds = read_dataset_sieved(self.paths, &self.admit.import, Some(&mut sieve))
            .map_err(Refusal::from)?;
        Ok((ds, sieve.ids, t.elapsed()))
    }

    /// Validates, admits and checks batch `k` (only validates it when `refusing`: the
    /// district is refused already, and the rest is read only to name every invalid unit).
    pub(super) fn judge(
        &self,
        k: usize,
        ds: Dataset,
        ids: &[u32],
        refusing: bool,
        found: &mut Found,
    ) -> Result<(), Refusal> {
        let (admit, plan, boxes, opts) = (self.admit, self.plan, self.boxes, self.opts);
        let t = Instant::now();
        let mut fs = dataset_findings_listed(&ds, &admit.tolerances, &|| {}, &boxes.listing);
        // The frame was judged on the first read, of every feature.
        fs.dataset.clear();
        let owned: Vec<bool> = ids
            .iter()
            .map(|&u| plan.owner(&boxes.boxes[u as usize]) == k)
            .collect();
        let mut any_invalid = false;
        for (j, f) in fs.units.iter().enumerate() {
            if owned[j] {
                found.warnings += f.iter().filter(|x| !x.is_error()).count();
                any_invalid |= has_error(f);
            }
        }
        if any_invalid {
            let r = report(&ds, &fs);
            for (j, o) in r.results.into_iter().enumerate().take(ds.units.len()) {
                if owned[j] && !o.valid {
                    found.invalid.push((ids[j], o));
                }
            }
        }
        if refusing || (!admit.skip_invalid && any_invalid) {
            found.validation += t.elapsed();
            return Ok(());
        }
        let keys: Vec<String> = ds.units.iter().map(|u| u.key.clone()).collect();
        let admitted = decide(ds, &fs, true)?.dataset;
        // The admitted units are those read, in order, less those left out.
        let mut kept = admitted.units.iter().map(|u| u.key.as_str()).peekable();
        for (j, key) in keys.into_iter().enumerate() {
            if kept.peek() == Some(&key.as_str()) {
                kept.next();
            } else if owned[j] {
                found.left_out.push((ids[j], key));
            }
        }
        found.validation += t.elapsed();
        let t = Instant::now();
        check_tiles(&admitted, plan, k, opts, &mut found.conflicts);
        found.check += t.elapsed();
        Ok(())
    }
}

/// The tiles of batch `k`, each checked on its own units (the batch holds all of them); a
/// batch of one tile holds its units only, and is checked in place.
pub(super) fn check_tiles(
    ds: &Dataset,
    plan: &Plan,
    k: usize,
    opts: &CheckOptions,
    out: &mut Vec<Conflict>,
) {
    if let [tile] = plan.batches[k][..]
        && ds.units.iter().all(|u| !u.volume.bbox().is_empty())
    {
        out.extend(check_tile(ds, tile, &plan.grid, opts));
        return;
    }
    let boxes: Vec<Aabb> = ds.units.iter().map(|u| u.volume.bbox()).collect();
    let mut local = assign(&boxes, &plan.grid, plan.halo);
    let plots = PlotIndex::new(ds);
    for tile in &plan.batches[k] {
        let Some(units) = local.remove(tile) else {
            continue;
        };
        out.extend(check_tile(
            &tile_dataset(ds, &plots, &units),
            *tile,
            &plan.grid,
            opts,
        ));
    }
}
