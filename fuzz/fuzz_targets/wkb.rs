//! The WKB reader of survey tables never panics on any bytes, and what it reads is written
//! back to bytes that read as the same shape.
#![no_main]

use libfuzzer_sys::fuzz_target;
use strata::io::wkb::{self, Shape};

fuzz_target!(|data: &[u8]| {
    let Ok(shape) = wkb::read(data) else { return };
    match &shape {
        Shape::Footprints(ps) => {
            let again = wkb::read(&wkb::multipolygon(ps)).expect("written footprints read");
            assert_eq!(again, shape);
        }
        Shape::Solid(p) => {
            let again = wkb::read(&wkb::polyhedron(p)).expect("a written solid reads");
            let Shape::Solid(q) = &again else { panic!("a solid read back as {again:?}") };
            assert_eq!(q.shells.len(), p.shells.len());
            let _ = strata::validate::validate_primitive(
                &strata::geometry::Primitive::Solid(q.clone()),
                &strata::validate::Tolerances::default(),
            );
        }
        Shape::Other(_) => {}
    }
});
