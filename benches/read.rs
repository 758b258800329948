//! Reading speed of the survey-profile readers, in features per second: a 1,000,000-unit
//! district written by `strata generate` as FlatGeobuf, read by
//! [`strata::io::flatgeobuf::read_flatgeobuf`] with a sink that only counts the parts (the
//! parse itself: framing, verification, geometry, properties and the profile's record; no
//! assembly, validation or check).
//!
//! `STRATA_BENCH_UNITS` sets another district size.

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use strata::generate::{DistrictOptions, district};
use strata::io::flatgeobuf::read_flatgeobuf;
use strata::io::mapping::FieldMapping;

fn flatgeobuf(c: &mut Criterion) {
    let units = std::env::var("STRATA_BENCH_UNITS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(1_000_000);
    let dir = tempfile::tempdir().expect("a temporary folder");
    let path = dir.path().join("district.fgb");
    let d = district(&DistrictOptions {
        units,
        seed: 1,
        conflict_every: 250,
    });
    d.write(&path).expect("the district is written");
    let features = (d.units.len() + d.plots.len()) as u64;
    drop(d);
    let mapping = FieldMapping::default();
    let mut g = c.benchmark_group("read");
    g.sample_size(10);
    g.throughput(Throughput::Elements(features));
    g.bench_function("flatgeobuf_1m", |b| {
        b.iter(|| {
            let mut parts = 0usize;
            let file =
                read_flatgeobuf(&path, &mapping, &mut |_| parts += 1).expect("the district reads");
            assert_eq!(parts + file.plots.len(), features as usize);
        })
    });
    g.finish();
}

criterion_group!(benches, flatgeobuf);
criterion_main!(benches);
