//! Unit-code parsing never panics, and what parses prints back the same.
#![no_main]

use libfuzzer_sys::fuzz_target;
use strata::model::unit_code::{LetterSets, UnitCode, check_all};

fuzz_target!(|s: &str| {
    let letters = LetterSets::default();
    match UnitCode::parse_with(s, &letters) {
        Ok(c) => assert_eq!(c.to_string(), s),
        Err(_) => assert!(!check_all(s, &letters).is_empty()),
    }
});
