//! The CityJSON reader and the validation of what it reads never panic.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(v) = serde_json::from_slice::<serde_json::Value>(data) else {
        return;
    };
    let path = std::path::Path::new("fuzz.city.json");
    if let Ok(f) = strata::io::cityjson::parse_cityjson(path, &v) {
        for o in f.objects.iter().take(8) {
            for g in o.geometries.iter().take(4) {
                if let Ok(p) = &g.primitive {
                    let _ = strata::validate::validate_primitive(p, &strata::validate::Tolerances::default());
                }
            }
        }
    }
});
