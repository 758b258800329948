//! The FlatGeobuf reader on valid files (written by `strata generate` and by the `flatgeobuf`
//! crate's writer) and on files broken at every step of the layout.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use flatgeobuf::{
    ColumnType, FgbCrs, FgbWriter, FgbWriterOptions, GeometryType, Header,
    size_prefixed_root_as_header,
};
use geo::{Geometry, LineString, Point, Polygon};
use geozero::{ColumnValue, PropertyProcessor};

use super::{index_bytes, read_flatgeobuf};
use crate::geometry::algorithm::{BoundingBox3, SolidVolume};
use crate::io::error::ImportError;
use crate::io::mapping::FieldMapping;
use crate::io::profile::{ProfileFile, RawPart};
use crate::io::{ImportOptions, read_dataset};

const CODE: &str = "110112003005GX00001W00000000";

/// Reads `bytes` as a FlatGeobuf file: what it holds, with the unit parts sent to the sink.
fn read_bytes(bytes: &[u8]) -> Result<(ProfileFile, Vec<RawPart>), ImportError> {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("f.fgb");
    std::fs::write(&p, bytes).unwrap();
    let mut parts = Vec::new();
    read_flatgeobuf(&p, &FieldMapping::default(), &mut |p| parts.push(p)).map(|f| (f, parts))
}

fn error(bytes: &[u8]) -> String {
    match read_bytes(bytes) {
        Ok((f, parts)) => panic!(
            "read as {} plots and {} parts instead of an error",
            f.plots.len(),
            parts.len()
        ),
        Err(e) => e.to_string(),
    }
}

/// A district written by `strata generate` (plots and units, indexed).
fn district(units: usize, dir: &Path, ext: &str) -> PathBuf {
    let p = dir.join(format!("d.{ext}"));
    crate::generate::district(&crate::generate::DistrictOptions {
        units,
        seed: 3,
        conflict_every: 4,
    })
    .write(&p)
    .unwrap();
    p
}

fn district_bytes(units: usize) -> Vec<u8> {
    let dir = tempfile::tempdir().unwrap();
    std::fs::read(district(units, dir.path(), "fgb")).unwrap()
}

/// A file of unit features with the given geometries, written by the `flatgeobuf` crate.
fn written(ty: GeometryType, index: bool, geometries: Vec<Geometry<f64>>) -> Vec<u8> {
    let opts = FgbWriterOptions {
        write_index: index,
        promote_to_multi: false,
        crs: FgbCrs {
            code: 4548,
            ..Default::default()
        },
        ..Default::default()
    };
    let mut fgb = FgbWriter::create_with_options("units", ty, opts).unwrap();
    for (name, ty) in [
        ("unit_code", ColumnType::String),
        ("z_bottom", ColumnType::Double),
        ("z_top", ColumnType::Double),
    ] {
        fgb.add_column(name, ty, |_, c| c.nullable = true);
    }
    for (i, g) in geometries.into_iter().enumerate() {
        fgb.add_feature_geom(g, |f| {
            let code = format!("{}{i}", &CODE[..CODE.len() - 1]);
            f.property(0, "unit_code", &ColumnValue::String(&code))
                .unwrap();
            f.property(1, "z_bottom", &ColumnValue::Double(1.0))
                .unwrap();
            f.property(2, "z_top", &ColumnValue::Double(4.0)).unwrap();
        })
        .unwrap();
    }
    let mut out = Vec::new();
    fgb.write(&mut out).unwrap();
    out
}

fn square(x: f64) -> Polygon<f64> {
    Polygon::new(
        LineString::from(vec![(x, 0.0), (x + 10.0, 0.0), (x + 10.0, 10.0), (x, 10.0)]),
        vec![],
    )
}

fn holed() -> Polygon<f64> {
    Polygon::new(
        LineString::from(vec![(0.0, 0.0), (10.0, 0.0), (10.0, 10.0), (0.0, 10.0)]),
        vec![LineString::from(vec![
            (2.0, 2.0),
            (4.0, 2.0),
            (4.0, 4.0),
            (2.0, 4.0),
        ])],
    )
}

fn header(bytes: &[u8]) -> Header<'_> {
    size_prefixed_root_as_header(&bytes[8..]).unwrap()
}

/// Where field `vt` of the header table is in the file (the field must be written).
fn header_field(bytes: &[u8], vt: u16) -> usize {
    let h = header(bytes);
    let off = h._tab.vtable().get(vt);
    assert!(off > 0, "the header has no field {vt}");
    8 + h._tab.loc() + off as usize
}

fn set_features_count(bytes: &mut [u8], n: u64) {
    let at = header_field(bytes, Header::VT_FEATURES_COUNT);
    bytes[at..at + 8].copy_from_slice(&n.to_le_bytes());
}

/// (offset, length) of every feature of a valid file, the u32 length included.
fn frames(bytes: &[u8]) -> Vec<(usize, usize)> {
    let h = header(bytes);
    let header_len = u32::from_le_bytes(bytes[8..12].try_into().unwrap()) as usize;
    let index = index_bytes(h.features_count(), h.index_node_size()).unwrap() as usize;
    let mut at = 12 + header_len + index;
    let mut out = Vec::new();
    while at < bytes.len() {
        let n = u32::from_le_bytes(bytes[at..at + 4].try_into().unwrap()) as usize;
        out.push((at, 4 + n));
        at += 4 + n;
    }
    assert_eq!(at, bytes.len());
    out
}

/// Unit code → (volume m³, [zmin, zmax], parent plot) of every unit of a dataset.
type Units = Vec<(String, f64, [f64; 2], Option<String>)>;

fn units(paths: &[PathBuf]) -> (Units, usize) {
    let ds = read_dataset(paths, &ImportOptions::default()).unwrap();
    let mut v: Units = ds
        .units
        .iter()
        .map(|u| {
            let b = u.volume.bbox();
            (
                u.key.clone(),
                u.volume.volume_m3(),
                [b.min.z, b.max.z],
                u.parent_plot.clone(),
            )
        })
        .collect();
    v.sort_by(|a, b| a.0.cmp(&b.0));
    (v, ds.plots.len())
}

#[test]
fn a_generated_district_reads_as_its_geojson_does() {
    let dir = tempfile::tempdir().unwrap();
    let fgb = district(400, dir.path(), "fgb");
    let json = district(400, dir.path(), "geojson");
    let (a, plots_a) = units(std::slice::from_ref(&fgb));
    let (b, plots_b) = units(&[json]);
    assert_eq!(a.len(), 400);
    assert_eq!(plots_a, plots_b);
    assert_eq!(a.len(), b.len());
    for (x, y) in a.iter().zip(&b) {
        assert_eq!((&x.0, &x.3), (&y.0, &y.3));
        assert!((x.1 - y.1).abs() < 1e-6, "{x:?} vs {y:?}");
        assert_eq!(x.2, y.2);
    }
    let (file, parts) = read_bytes(&std::fs::read(&fgb).unwrap()).unwrap();
    assert_eq!(file.crs, Some(4548));
    assert_eq!(file.height_datum.as_deref(), Some("EPSG:5737"));
    assert!(file.extent.is_some());
    // Labels carry the unit code (or the plot id).
    assert!(
        parts
            .iter()
            .all(|p| p.feature.id() == p.code_text.clone().unwrap())
    );
    assert!(file.plots.iter().all(|p| p.feature.id() == p.id));
}

#[test]
fn every_cut_is_an_error_that_says_truncated() {
    let bytes = district_bytes(12);
    let feature_section = frames(&bytes)[0].0;
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("cut.fgb");
    for cut in 0..bytes.len() {
        std::fs::write(&p, &bytes[..cut]).unwrap();
        let e = read_flatgeobuf(&p, &FieldMapping::default(), &mut |_| {})
            .err()
            .unwrap_or_else(|| panic!("cut at {cut}: read"))
            .to_string();
        assert!(e.contains("truncated"), "cut at {cut}: {e}");
        if cut > feature_section {
            assert!(e.contains("feature"), "cut at {cut}: {e}");
        }
    }
    assert!(read_bytes(&bytes).is_ok());
}

#[test]
fn a_cut_inside_a_feature_names_it() {
    let bytes = district_bytes(12);
    let f = frames(&bytes);
    let (at, len) = f[5];
    let e = error(&bytes[..at + len / 2]);
    assert!(
        e.contains("feature 5: field `length`: the file ends inside the feature (truncated)"),
        "{e}"
    );
    let e = error(&bytes[..at + 2]);
    assert!(e.contains("feature 5") && e.contains("truncated"), "{e}");
}

#[test]
fn a_features_count_that_differs_from_the_features_is_refused() {
    // Indexed (as `strata generate` and GDAL write): the index size follows the count, so the
    // features are not where the header says; the count the file is laid out for is found.
    let bytes = district_bytes(30);
    let n = header(&bytes).features_count();
    for m in [n - 3, n - 1, n + 1, n + 3] {
        let mut b = bytes.clone();
        set_features_count(&mut b, m);
        let e = error(&b);
        assert!(
            e.contains(&format!("`header.features_count` is {m}"))
                && e.contains(&format!("laid out for {n} features")),
            "{m}: {e}"
        );
    }
    // Without an index: counted.
    let bytes = written(
        GeometryType::Polygon,
        false,
        (0..5).map(|i| square(i as f64 * 20.0).into()).collect(),
    );
    assert_eq!(header(&bytes).features_count(), 5);
    for (m, says) in [
        (4, "is 4, but the file holds 5 features"),
        (6, "is 6, but the file ends after 5 features"),
    ] {
        let mut b = bytes.clone();
        set_features_count(&mut b, m);
        let e = error(&b);
        assert!(
            e.contains("`header.features_count` ") && e.contains(says),
            "{e}"
        );
    }
    // 0: unknown, as the format allows.
    let mut b = bytes.clone();
    set_features_count(&mut b, 0);
    assert_eq!(read_bytes(&b).unwrap().1.len(), 5);
}

#[test]
fn an_index_beyond_the_file_is_refused() {
    let mut bytes = district_bytes(10);
    set_features_count(&mut bytes, 1 << 40);
    let e = error(&bytes);
    assert!(
        e.contains("`header.features_count` = 1099511627776")
            && e.contains("`header.index_node_size` = 16")
            && e.contains("remain"),
        "{e}"
    );
    set_features_count(&mut bytes, u64::MAX);
    let e = error(&bytes);
    assert!(e.contains("64 bits"), "{e}");
}

#[test]
fn a_huge_feature_length_is_refused_before_allocating() {
    let bytes = district_bytes(20);
    let f = frames(&bytes);
    for k in [0, 7] {
        let mut b = bytes.clone();
        b[f[k].0..f[k].0 + 4].copy_from_slice(&0xFFFF_FFF0u32.to_le_bytes());
        let t = Instant::now();
        let e = error(&b);
        assert!(
            t.elapsed() < Duration::from_millis(500),
            "{:?}",
            t.elapsed()
        );
        assert!(
            e.contains(&format!("feature {k}: field `length`")) && e.contains("4294967280 bytes"),
            "{e}"
        );
    }
}

#[test]
fn a_huge_header_length_is_refused() {
    let mut bytes = district_bytes(5);
    bytes[8..12].copy_from_slice(&0xFFFF_FFF0u32.to_le_bytes());
    let e = error(&bytes);
    assert!(e.contains("header's length is 4294967280 bytes"), "{e}");
}

#[test]
fn trailing_bytes_are_refused() {
    let bytes = district_bytes(10);
    let mut b = bytes.clone();
    b.extend_from_slice(b"garbage");
    let e = error(&b);
    assert!(e.contains("7 bytes follow the last of the"), "{e}");
    // A whole feature too many.
    let (at, len) = frames(&bytes)[3];
    let mut b = bytes.clone();
    b.extend_from_slice(&bytes[at..at + len]);
    let n = header(&bytes).features_count();
    let e = error(&b);
    assert!(
        e.contains(&format!("is {n}, but the file holds {} features", n + 1)),
        "{e}"
    );
}

#[test]
fn an_unknown_major_version_is_refused() {
    let mut bytes = district_bytes(5);
    bytes[3] = 4;
    let e = error(&bytes);
    assert!(
        e.contains("version 4.") && e.contains("reads FlatGeobuf version 3"),
        "{e}"
    );
    bytes[3] = 3;
    bytes[5] = b'x';
    assert!(error(&bytes).contains("not a FlatGeobuf file"));
}

#[test]
fn a_corrupt_header_table_is_refused() {
    let mut bytes = district_bytes(5);
    // The root offset of the header table, pointing past its end.
    bytes[12..16].copy_from_slice(&0x00FF_FFFFu32.to_le_bytes());
    let e = error(&bytes);
    assert!(e.contains("not a valid FlatGeobuf header table"), "{e}");
}

/// The offset of the `needle` bytes inside feature `k` of `bytes`.
fn find_in(bytes: &[u8], k: usize, needle: &[u8]) -> usize {
    let (at, len) = frames(bytes)[k];
    at + bytes[at..at + len]
        .windows(needle.len())
        .position(|w| w == needle)
        .expect("the bytes are in the feature")
}

fn u32s(v: &[u32]) -> Vec<u8> {
    v.iter().flat_map(|x| x.to_le_bytes()).collect()
}

#[test]
fn holes_read_and_ends_beyond_xy_are_refused() {
    let bytes = written(GeometryType::Polygon, false, vec![holed().into()]);
    let (_, parts) = read_bytes(&bytes).unwrap();
    let crate::geometry::Part::Prism(p) = &parts[0].parts[0] else {
        panic!("a prism")
    };
    assert_eq!(p.footprint.interiors().len(), 1);
    assert!(
        (
            p.footprint.exterior().0.len(),
            p.footprint.interiors()[0].0.len()
        ) == (5, 5)
    );
    // `ends` is [5, 10] (a vector of two u32, after its length).
    let at = find_in(&bytes, 0, &u32s(&[2, 5, 10]));
    for (ends, says) in [
        (
            [5, 11],
            "entry 1 is 11, beyond the 10 positions of `geometry.xy`",
        ),
        ([5, 5], "entry 1 is 5, not after the ring before it"),
        ([0, 10], "entry 0 is 0, not after the ring before it"),
        (
            [5, 9],
            "the rings end at position 9, but `geometry.xy` holds 10 positions",
        ),
    ] {
        let mut b = bytes.clone();
        b[at + 4..at + 12].copy_from_slice(&u32s(&ends));
        let e = error(&b);
        assert!(
            e.contains(&format!(
                "feature 0 (\"{}0\"): field `geometry.ends`: {says}",
                &CODE[..27]
            )),
            "{e}"
        );
    }
}

#[test]
fn odd_and_non_finite_coordinates_are_refused() {
    let bytes = written(GeometryType::Polygon, false, vec![square(0.0).into()]);
    // xy: 5 positions (the ring closed), 10 numbers after the vector's length.
    let first = [0.0f64, 0.0, 10.0, 0.0];
    let needle: Vec<u8> = 10u32
        .to_le_bytes()
        .into_iter()
        .chain(first.iter().flat_map(|x| x.to_le_bytes()))
        .collect();
    let at = find_in(&bytes, 0, &needle);
    let mut b = bytes.clone();
    b[at..at + 4].copy_from_slice(&9u32.to_le_bytes());
    let e = error(&b);
    assert!(
        e.contains("field `geometry.xy`: holds 9 numbers: coordinates come in x, y pairs"),
        "{e}"
    );
    let mut b = bytes.clone();
    b[at + 4 + 16..at + 4 + 24].copy_from_slice(&f64::NAN.to_le_bytes());
    let e = error(&b);
    assert!(
        e.contains("field `geometry.xy`: position 1 is (NaN, 0): a coordinate is not a finite"),
        "{e}"
    );
}

#[test]
fn multipolygons_read_part_by_part() {
    let mp = geo::MultiPolygon::new(vec![square(0.0), holed(), square(40.0)]);
    let bytes = written(GeometryType::MultiPolygon, true, vec![mp.into()]);
    let (file, parts) = read_bytes(&bytes).unwrap();
    assert_eq!(parts[0].parts.len(), 3, "{:?}", parts[0].findings);
    let e = file.extent.unwrap();
    assert_eq!((e.min, e.max), ([0.0, 0.0], [50.0, 10.0]));
    // The second part's ends, [5, 10], beyond its xy.
    let at = find_in(&bytes, 0, &u32s(&[2, 5, 10]));
    let mut b = bytes.clone();
    b[at + 8..at + 12].copy_from_slice(&u32s(&[12]));
    let e = error(&b);
    assert!(
        e.contains("field `geometry.parts[1].ends`: entry 1 is 12, beyond the 10 positions of `geometry.parts[1].xy`"),
        "{e}"
    );
}

#[test]
fn points_are_finding_812_and_empty_geometries_902() {
    let bytes = written(GeometryType::Point, true, vec![Point::new(1.0, 2.0).into()]);
    let (_, parts) = read_bytes(&bytes).unwrap();
    let f = &parts[0].findings;
    assert_eq!(f.len(), 1, "{f:?}");
    assert_eq!(f[0].code.number(), 812);
    assert_eq!(f[0].location.field.as_deref(), Some("geometry.type"));
    assert!(f[0].message.contains("a Point cannot hold a footprint"));

    let empty = Polygon::new(LineString::new(vec![]), vec![]);
    let bytes = written(GeometryType::Polygon, false, vec![empty.into()]);
    let (_, parts) = read_bytes(&bytes).unwrap();
    let f = &parts[0].findings;
    assert_eq!(f.len(), 1, "{f:?}");
    assert_eq!(f[0].code.number(), 902);
}

#[test]
fn the_version_and_the_feature_layout_survive_the_writer() {
    // The crate's writer is what the tests above corrupt: check that what they assume holds.
    let bytes = written(GeometryType::Polygon, true, vec![square(0.0).into()]);
    assert_eq!(&bytes[..4], b"fgb\x03");
    let h = header(&bytes);
    assert_eq!((h.features_count(), h.index_node_size()), (1, 16));
    assert_eq!(frames(&bytes).len(), 1);
}

#[test]
fn two_columns_of_one_name_are_refused() {
    let mut fgb = FgbWriter::create_with_options(
        "units",
        GeometryType::Polygon,
        FgbWriterOptions {
            write_index: false,
            ..Default::default()
        },
    )
    .unwrap();
    for name in ["unit_code", "z_top", "unit_code"] {
        fgb.add_column(name, ColumnType::String, |_, c| c.nullable = true);
    }
    fgb.add_feature_geom(Geometry::Polygon(square(0.0)), |f| {
        f.property(2, "unit_code", &ColumnValue::String(CODE))
            .unwrap();
    })
    .unwrap();
    let mut bytes = Vec::new();
    fgb.write(&mut bytes).unwrap();
    let e = error(&bytes);
    assert!(
        e.contains("`header.columns`: columns 0 and 2 are both named `unit_code`"),
        "{e}"
    );
}

#[test]
fn the_first_error_in_file_order_is_reported() {
    let mut bytes = district_bytes(3_000);
    let f = frames(&bytes);
    assert!(f.len() > 3_000, "{} features", f.len());
    let corrupt = |bytes: &mut Vec<u8>, k: usize| {
        let at = f[k].0 + 4;
        bytes[at..at + 4].copy_from_slice(&0xFFFF_FFF0u32.to_le_bytes());
    };
    corrupt(&mut bytes, 2_500);
    // A truncation later in the file: the broken table before it is what is said.
    let (last, len) = f[f.len() - 2];
    let cut = &bytes[..last + len / 2];
    let e = error(cut);
    assert!(
        e.contains("feature 2500") && e.contains("not a valid FlatGeobuf feature table"),
        "{e}"
    );
    // Three broken tables: the first is named.
    corrupt(&mut bytes, 2_100);
    corrupt(&mut bytes, 1_500);
    let e = error(&bytes);
    assert!(e.contains("feature 1500"), "{e}");
    // Every feature before it was read and handed over in order.
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("f.fgb");
    std::fs::write(&p, &bytes).unwrap();
    let mut seen = Vec::new();
    let _ = read_flatgeobuf(&p, &FieldMapping::default(), &mut |raw| {
        if let crate::diagnostics::ObjectRef::Feature { index, .. } = raw.feature.object {
            seen.push(index);
        }
    });
    assert!(seen.windows(2).all(|w| w[0] < w[1]), "in file order");
    assert!(seen.iter().all(|&i| i < 1_500), "nothing after the error");
}
