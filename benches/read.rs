//! Reading speed of the survey-profile readers: a 1,000,000-unit district written by
//! `strata generate`, read with a sink that only counts the parts (the parse itself: framing,
//! verification, geometry, properties and the profile's record; no assembly, validation or
//! check).
//!
//! - FlatGeobuf, in features per second, by [`strata::io::flatgeobuf::read_flatgeobuf`].
//! - GeoJSON, in bytes per second, by [`strata::io::geojson::read_geojson_stream`], side by
//!   side with two baselines on the same bytes: serde_json skipping the document unread
//!   (`IgnoredAny`, the tokenizer alone: the floor), and serde_json building a `Value` for
//!   every feature (how the reader worked before it parsed into typed features).
//!
//! `STRATA_BENCH_UNITS` sets another district size.

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use strata::generate::{DistrictOptions, district};
use strata::io::flatgeobuf::read_flatgeobuf;
use strata::io::geojson::{Streamed, read_geojson_stream};
use strata::io::mapping::FieldMapping;

/// The bench's district, written to `name` in `dir` (its format follows the extension).
fn district_file(
    dir: &std::path::Path,
    name: &str,
) -> (std::path::PathBuf, strata::generate::District) {
    let units = std::env::var("STRATA_BENCH_UNITS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(1_000_000);
    let path = dir.join(name);
    let d = district(&DistrictOptions {
        units,
        seed: 1,
        conflict_every: 250,
    });
    d.write(&path).expect("the district is written");
    (path, d)
}

/// The allocator of the `strata` command, so that the figures are the command's.
#[cfg(feature = "cli")]
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn flatgeobuf(c: &mut Criterion) {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let (path, d) = district_file(dir.path(), "district.fgb");
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

/// A FeatureCollection read as a stream of `serde_json::Value` features, each dropped once
/// built: the baseline.
#[derive(serde::Deserialize)]
struct ValuePerFeature {
    #[serde(deserialize_with = "count_values")]
    features: usize,
}

fn count_values<'de, D: serde::Deserializer<'de>>(d: D) -> Result<usize, D::Error> {
    struct Count;
    impl<'de> serde::de::Visitor<'de> for Count {
        type Value = usize;
        fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
            f.write_str("an array of features")
        }
        fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<usize, A::Error> {
            let mut n = 0;
            while seq.next_element::<serde_json::Value>()?.is_some() {
                n += 1;
            }
            Ok(n)
        }
    }
    d.deserialize_seq(Count)
}

fn geojson(c: &mut Criterion) {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let (path, d) = district_file(dir.path(), "district.geojson");
    let features = d.units.len() + d.plots.len();
    drop(d);
    let bytes = std::fs::read(&path).expect("the district reads");
    let mapping = FieldMapping::default();
    let mut g = c.benchmark_group("read_geojson");
    g.sample_size(10);
    g.throughput(Throughput::Bytes(bytes.len() as u64));
    g.bench_function("strata", |b| {
        b.iter(|| {
            let mut parts = 0usize;
            let read = read_geojson_stream(&path, &bytes[..], &mapping, &mut |_| parts += 1);
            let Ok(Streamed::Profile(file)) = read else {
                panic!("the district reads as GeoJSON")
            };
            assert_eq!(parts + file.plots.len(), features);
        })
    });
    g.bench_function("serde_json_value_per_feature", |b| {
        b.iter(|| {
            let doc: ValuePerFeature = serde_json::from_slice(&bytes).expect("JSON");
            assert_eq!(doc.features, features);
        })
    });
    g.bench_function("serde_json_ignored", |b| {
        b.iter(|| {
            serde_json::from_slice::<serde::de::IgnoredAny>(&bytes).expect("JSON");
        })
    });
    g.finish();
}

criterion_group!(benches, flatgeobuf, geojson);
criterion_main!(benches);
