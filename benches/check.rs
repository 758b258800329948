//! The conflict engine's speed, as ratios against baselines run in the same process:
//!
//! - `pairs_10k`: the full check of 10,000 units against a naive all-pairs loop that relates
//!   every pair whose boxes meet (same exact relation, no index), both on one thread;
//! - `threads_100k`: the full check of 100,000 units on one thread and on two;
//! - `city_1m`: the full check of 1,000,000 units (index, candidate pairs, exact overlaps,
//!   containment, six-direction), parsing excluded.

use criterion::{Criterion, criterion_group, criterion_main};
use strata::checks::{CheckOptions, Subject, check, relate};
use strata::generate::{DistrictOptions, district};

fn naive(ds: &strata::model::Dataset) -> usize {
    let subjects: Vec<Subject> = ds
        .units
        .iter()
        .enumerate()
        .map(|(i, u)| Subject::new(i, &u.volume))
        .collect();
    let mut related = 0;
    for i in 0..subjects.len() {
        for j in i + 1..subjects.len() {
            if subjects[i]
                .bbox
                .expanded(0.001)
                .intersects(&subjects[j].bbox)
            {
                let r = relate(&subjects[i], &subjects[j], 0.001);
                if r.overlap.is_some() || !r.contacts.is_empty() {
                    related += 1;
                }
            }
        }
    }
    related
}

fn pairs_10k(c: &mut Criterion) {
    let ds = district(&DistrictOptions {
        units: 10_000,
        seed: 1,
        conflict_every: 50,
    })
    .to_dataset();
    let one = CheckOptions {
        threads: Some(1),
        ..CheckOptions::default()
    };
    let r = check(&ds, &one);
    let touching_or_overlapping = r.contacts.iter().map(|c| c.len()).sum::<usize>() / 2;
    assert!(naive(&ds) >= r.report.pairs.overlapping && touching_or_overlapping > 0);
    let mut g = c.benchmark_group("pairs_10k");
    g.sample_size(10);
    g.bench_function("strata_check_1_thread", |b| {
        b.iter(|| check(&ds, &one).report.pairs.candidates)
    });
    g.bench_function("naive_all_pairs_1_thread", |b| b.iter(|| naive(&ds)));
    g.finish();
}

fn threads_100k(c: &mut Criterion) {
    let ds = district(&DistrictOptions {
        units: 100_000,
        seed: 2,
        conflict_every: 50,
    })
    .to_dataset();
    let mut g = c.benchmark_group("threads_100k");
    g.sample_size(10);
    for n in [1, 2] {
        let opts = CheckOptions {
            threads: Some(n),
            ..CheckOptions::default()
        };
        g.bench_function(format!("{n}_thread"), |b| {
            b.iter(|| check(&ds, &opts).report.conflicts.len())
        });
    }
    g.finish();
}

fn city_1m(c: &mut Criterion) {
    let ds = district(&DistrictOptions {
        units: 1_000_000,
        seed: 3,
        conflict_every: 50,
    })
    .to_dataset();
    let mut g = c.benchmark_group("city_1m");
    g.sample_size(10);
    g.bench_function("full_check", |b| {
        b.iter(|| check(&ds, &CheckOptions::default()).report.conflicts.len())
    });
    g.finish();
}

/// The check in tiles against the one pass it must equal (the baseline), on 100,000 units:
/// the price of the halo and of cutting the dataset.
fn tiles_100k(c: &mut Criterion) {
    use strata::checks::tiles::{Grid, check_tiled};
    use strata::geometry::algorithm::BoundingBox3;
    let ds = district(&DistrictOptions {
        units: 100_000,
        seed: 2,
        conflict_every: 50,
    })
    .to_dataset();
    let all = ds
        .units
        .iter()
        .fold(strata::geometry::Aabb::empty(), |a, u| {
            a.union(&u.volume.bbox())
        });
    let opts = CheckOptions::default();
    let mut g = c.benchmark_group("tiles_100k");
    g.sample_size(10);
    g.bench_function("one_pass", |b| {
        b.iter(|| check(&ds, &opts).report.conflicts.len())
    });
    for size in [500.0, 1000.0, 2000.0] {
        let grid = Grid::new([all.min.x, all.min.y], size).unwrap();
        g.bench_function(format!("tiles_{size}_m"), |b| {
            b.iter(|| check_tiled(&ds, &grid, &opts).0.len())
        });
    }
    g.finish();
}

criterion_group!(benches, pairs_10k, threads_100k, city_1m, tiles_100k);
criterion_main!(benches);
