//! The streaming GeoJSON survey-profile reader never panics, whatever the bytes.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let path = std::path::Path::new("fuzz.geojson");
    let mut parts = Vec::new();
    if strata::io::geojson::read_geojson_stream(path, data, &Default::default(), &mut |p| parts.push(p)).is_ok() {
        for p in &parts {
            for part in &p.parts {
                if let strata::geometry::Part::Prism(pr) = part {
                    let _ = strata::validate::validate_prism(pr, &strata::validate::Tolerances::default());
                }
            }
        }
    }
});
