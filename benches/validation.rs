//! Validation speed, as ratios against a naive baseline run in the same process.
//!
//! - `ring_simple`: Strata's ring self-intersection check (an exact plane sweep above 48
//!   segments) against the all-pairs check, on star-shaped rings of 1,000 and 10,000 vertices
//!   at CGCS2000 coordinates.
//! - `solid`: the full validation of a prism's polyhedron whose footprint has many vertices.

use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};
use geo::{LineString, Polygon};
use strata::geometry::Prism;
use strata::geometry::algorithm::ToPolyhedra;
use strata::geometry::triangle::segments_intersect_2d;
use strata::validate::Tolerances;
use strata::validate::polygon2d::{P2, ring_defect};
use strata::validate::validate_polyhedron;

/// A simple star-shaped ring: radius varies with the angle, deterministically.
fn star(n: usize) -> Vec<P2> {
    (0..n)
        .map(|i| {
            let a = i as f64 / n as f64 * std::f64::consts::TAU;
            let r = 80.0 + 15.0 * ((i * 7919) % 13) as f64 / 13.0;
            [474_000.0 + r * a.cos(), 4_418_000.0 + r * a.sin()]
        })
        .collect()
}

/// The baseline: every pair of non-adjacent segments.
fn naive_simple(ring: &[P2]) -> bool {
    let n = ring.len();
    for i in 0..n {
        for j in i + 2..n {
            if i == 0 && j == n - 1 {
                continue;
            }
            if segments_intersect_2d(ring[i], ring[(i + 1) % n], ring[j], ring[(j + 1) % n]) {
                return false;
            }
        }
    }
    true
}

fn ring_simple(c: &mut Criterion) {
    let mut g = c.benchmark_group("ring_simple");
    g.sample_size(10);
    for n in [1_000, 10_000] {
        let ring = star(n);
        assert!(ring_defect(&ring).is_none() && naive_simple(&ring));
        g.bench_with_input(BenchmarkId::new("strata", n), &ring, |b, r| {
            b.iter(|| ring_defect(r))
        });
        g.bench_with_input(BenchmarkId::new("naive_all_pairs", n), &ring, |b, r| {
            b.iter(|| naive_simple(r))
        });
    }
    g.finish();
}

fn solid(c: &mut Criterion) {
    let mut g = c.benchmark_group("solid");
    g.sample_size(10);
    for n in [100, 2_000] {
        let mut ring: Vec<(f64, f64)> = star(n).iter().map(|p| (p[0], p[1])).collect();
        ring.push(ring[0]);
        let prism = Prism::new(Polygon::new(LineString::from(ring), vec![]), -8.5, -0.5);
        let poly = prism.to_polyhedra().remove(0);
        assert!(validate_polyhedron(&poly, &Tolerances::default()).is_empty());
        g.bench_with_input(BenchmarkId::new("validate_polyhedron", n), &poly, |b, p| {
            b.iter(|| validate_polyhedron(p, &Tolerances::default()))
        });
    }
    g.finish();
}

criterion_group!(benches, ring_simple, solid);
criterion_main!(benches);
