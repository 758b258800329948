//! The 3D parcel map against hand-computed truth: a register of three units in one plot (a
//! box, a sloping polyhedron, a triangular prism beneath the box) drawn as SVG and PDF; the
//! boundary table equals the vertices, the sections the elevations, the 六至 the shared faces;
//! the PDF's text holds the fields (`pdftotext`), its picture shows the footprint where the
//! coordinates put it (`pdftoppm`), and the same register gives the same bytes.

mod support;

use std::path::Path;
use std::process::Command;

use strata::export::pdf::{DocInfo, Fonts, pdf};
use strata::export::sheet::layout::{Layout, VIEW_PADDING_MM, fit_scale};
use strata::export::sheet::{self, Paper, ParcelMap, Profile};
use strata::model::Direction;
use strata::register::act::ActBody;
use strata::register::geometry::{PartData, VolumeData};
use strata::register::{Settings, SqliteRegister};
use support::register::*;

/// A wedge over `0..50 × 60..90`: bottom at 5 m, top rising from 8 m (west) to 12 m (east).
fn wedge() -> VolumeData {
    let vertices = vec![
        [0.0, 60.0, 5.0],
        [50.0, 60.0, 5.0],
        [50.0, 90.0, 5.0],
        [0.0, 90.0, 5.0],
        [0.0, 60.0, 8.0],
        [50.0, 60.0, 12.0],
        [50.0, 90.0, 12.0],
        [0.0, 90.0, 8.0],
    ];
    let faces = [
        [0, 3, 2, 1],
        [4, 5, 6, 7],
        [0, 1, 5, 4],
        [3, 7, 6, 2],
        [0, 4, 7, 3],
        [1, 2, 6, 5],
    ];
    VolumeData {
        parts: vec![PartData::Polyhedron {
            vertices,
            shells: vec![faces.iter().map(|f| vec![f.to_vec()]).collect()],
        }],
    }
}

/// The triangle `(0,0) (50,0) (0,50)` from 2 m to 10 m: under the box, touching its bottom.
fn triangle() -> VolumeData {
    VolumeData {
        parts: vec![PartData::Prism {
            footprint: vec![vec![[0.0, 0.0], [50.0, 0.0], [0.0, 50.0]]],
            bottom: 2.0,
            top: 10.0,
        }],
    }
}

/// GX00001 the box `0..50 × 0..50 × 10..19`, GX00002 the wedge, GX00003 the triangle.
fn register(dir: &Path) -> SqliteRegister {
    let settings = Settings {
        crs_epsg: Some(4548),
        ..Settings::default()
    };
    let mut reg = SqliteRegister::create(&dir.join("r.gpkg"), settings).unwrap();
    registered(&mut reg);
    for (n, v, lower, upper) in [(2, wedge(), 0.0, 20.0), (3, triangle(), 0.0, 10.0)] {
        let supply = act(
            &format!("S{n}"),
            ActBody::Supply {
                unit: code(n),
                terms: allocation(lower, upper),
            },
        );
        let first = act(
            &format!("F{n}"),
            ActBody::FirstRegistration {
                unit: code(n),
                surveyed: surveyed(v),
                supply: None,
            },
        );
        rec(&mut reg, vec![supply, first]).unwrap();
    }
    reg
}

fn near(a: f64, b: f64) -> bool {
    (a - b).abs() < 1e-9
}

#[test]
fn the_boundary_table_is_the_vertices_in_surveyors_order_with_their_elevations() {
    let dir = tempfile::tempdir().unwrap();
    let reg = register(dir.path());
    let map = ParcelMap::read(&reg, &code(2), &[]).unwrap();
    let got: Vec<(&str, f64, f64, f64, f64)> = map
        .points
        .points
        .iter()
        .map(|p| (p.name.as_str(), p.east, p.north, p.upper, p.lower))
        .collect();
    // Clockwise from the north-west corner; the top slopes from 8 m (west) to 12 m (east).
    assert_eq!(
        got,
        [
            ("J1", 0.0, 90.0, 8.0, 5.0),
            ("J2", 50.0, 90.0, 12.0, 5.0),
            ("J3", 50.0, 60.0, 12.0, 5.0),
            ("J4", 0.0, 60.0, 8.0, 5.0),
        ]
    );
    let (_, rows) = sheet::tables::point_rows(&map);
    assert_eq!(
        rows[1],
        ["J2", "90.000", "50.000", "12.000", "5.000", "30.00"],
        "X is the northing, Y the easting; the side J2–J3 is 30 m"
    );
}

#[test]
fn sections_cut_every_layer_of_the_column_at_its_elevations() {
    let dir = tempfile::tempdir().unwrap();
    let reg = register(dir.path());
    let map = ParcelMap::read(&reg, &code(2), &[]).unwrap();
    assert_eq!(map.sections.len(), 2, "east–west and north–south");
    // East–west through y = 75: the trapezoid (0,5) (50,5) (50,12) (0,8), along s = x.
    let (name, _, rings) = &map.sections[0].cuts[0];
    assert_eq!(name, &code(2));
    assert_eq!(rings.len(), 1);
    for corner in [[0.0, 5.0], [50.0, 5.0], [50.0, 12.0], [0.0, 8.0]] {
        assert!(
            rings[0]
                .iter()
                .any(|q| near(q[0], corner[0]) && near(q[1], corner[1])),
            "{corner:?} in {:?}",
            rings[0]
        );
    }
    // North–south through x = 25, from north to south: the top at 10 m all along.
    let ns = &map.sections[1].cuts[0].2[0];
    let top = ns.iter().map(|q| q[1]).fold(f64::MIN, f64::max);
    let bottom = ns.iter().map(|q| q[1]).fold(f64::MAX, f64::min);
    assert!(near(top, 10.0) && near(bottom, 5.0), "{ns:?}");
    assert_eq!(map.sections[1].ground, Some(20.0), "the plot's ground line");
    // The box's map: its sections show the triangle beneath, 2 to 10 m.
    let map = ParcelMap::read(&reg, &code(1), &[]).unwrap();
    let below = map.sections[0]
        .cuts
        .iter()
        .find(|c| c.0 == code(3))
        .expect("the east–west section through y = 25 cuts the triangle");
    let zs: Vec<f64> = below.2.iter().flatten().map(|q| q[1]).collect();
    assert!(near(zs.iter().copied().fold(f64::MAX, f64::min), 2.0));
    assert!(near(zs.iter().copied().fold(f64::MIN, f64::max), 10.0));
}

#[test]
fn the_sixto_table_names_the_unit_below_with_the_shared_area() {
    let dir = tempfile::tempdir().unwrap();
    let reg = register(dir.path());
    let map = ParcelMap::read(&reg, &code(1), &[]).unwrap();
    let row = |d: Direction| map.sixto.iter().find(|r| r.direction == d).unwrap();
    let down = &row(Direction::Down).neighbours;
    assert_eq!(down.len(), 1);
    assert_eq!(down[0].0, code(3));
    assert!(
        (down[0].1 - 1250.0).abs() < 1e-6,
        "half the box's bottom: {}",
        down[0].1
    );
    assert!(near(row(Direction::Up).limit, 19.0));
    for d in [
        Direction::Up,
        Direction::East,
        Direction::North,
        Direction::West,
    ] {
        assert!(row(d).neighbours.is_empty(), "{d:?} is open");
    }
}

#[test]
fn a_unit_not_registered_is_named() {
    let dir = tempfile::tempdir().unwrap();
    let reg = register(dir.path());
    let e = ParcelMap::read(&reg, "110112003005GX09999W00000000", &[]).unwrap_err();
    assert!(
        e.to_string().contains("110112003005GX09999W00000000"),
        "{e}"
    );
}

#[test]
fn the_svg_parses_and_the_same_register_gives_the_same_bytes() {
    let dir = tempfile::tempdir().unwrap();
    let reg = register(dir.path());
    let prof = Profile::default();
    let map = ParcelMap::read(&reg, &code(2), &[]).unwrap();
    let pages = sheet::draw(&map, &prof);
    assert_eq!(pages.len(), 1);
    let tree = usvg::Tree::from_str(&pages[0].svg, &usvg::Options::default()).unwrap();
    assert!(
        (tree.size().width() - 420.0 / 25.4 * 96.0).abs() < 0.5,
        "A3 landscape"
    );
    for text in [
        "J1",
        "J4",
        "▽12.00",
        "▽5.00",
        "1:1000",
        "110112 003005 GX00002 W00000000",
    ] {
        assert!(pages[0].svg.contains(text), "{text}");
    }
    let again = ParcelMap::read(&reg, &code(2), &[]).unwrap();
    assert!(sheet::draw(&again, &prof) == pages, "the SVG differs");
    let fonts = Fonts::load(None).unwrap();
    let info = DocInfo {
        title: "t".into(),
        id: "id".into(),
        date: map.state_at,
    };
    let first = pdf(&pages, &fonts, &info).unwrap();
    assert!(
        first == pdf(&sheet::draw(&again, &prof), &fonts, &info).unwrap(),
        "the PDF differs"
    );
}

#[test]
fn a_long_point_table_runs_onto_further_pages() {
    let dir = tempfile::tempdir().unwrap();
    let reg = register(dir.path());
    let mut map = ParcelMap::read(&reg, &code(2), &[]).unwrap();
    let p = map.points.points[0].clone();
    map.points.points = (0..200)
        .map(|i| strata::export::sheet::points::BoundaryPoint {
            name: format!("J{}", i + 1),
            ..p.clone()
        })
        .collect();
    map.points.rings = vec![(0..200).collect()];
    let pages = sheet::draw(&map, &Profile::default());
    assert!(pages.len() >= 2, "{} pages", pages.len());
    let all: String = pages.iter().map(|p| p.svg.as_str()).collect();
    for i in [1, 100, 200] {
        assert!(all.contains(&format!(">J{i}<")), "J{i} is on a page");
    }
}

/// `pdftotext` of a PDF.
fn pdf_text(path: &Path) -> String {
    let out = Command::new("pdftotext")
        .args(["-layout"])
        .arg(path)
        .arg("-")
        .output()
        .expect("pdftotext (poppler-utils) runs: tools/test.sh installs it");
    assert!(out.status.success());
    String::from_utf8(out.stdout).unwrap()
}

/// The first page rendered at `dpi` by `pdftoppm`: width, height, RGB bytes.
fn render(path: &Path, dpi: u32) -> (usize, usize, Vec<u8>) {
    let out = Command::new("pdftoppm")
        .args(["-r", &dpi.to_string(), "-f", "1", "-l", "1"])
        .arg(path)
        .output()
        .expect("pdftoppm (poppler-utils) runs: tools/test.sh installs it");
    assert!(out.status.success());
    let b = out.stdout;
    // P6 <w> <h> 255 <rgb…>
    let mut fields = Vec::new();
    let mut i = 0;
    while fields.len() < 4 {
        while b[i].is_ascii_whitespace() {
            i += 1;
        }
        let start = i;
        while !b[i].is_ascii_whitespace() {
            i += 1;
        }
        fields.push(String::from_utf8_lossy(&b[start..i]).to_string());
    }
    assert_eq!(fields[0], "P6");
    let (w, h) = (fields[1].parse().unwrap(), fields[2].parse().unwrap());
    (w, h, b[i + 1..].to_vec())
}

#[test]
fn the_pdf_holds_the_fields_and_shows_the_footprint_where_the_coordinates_put_it() {
    let dir = tempfile::tempdir().unwrap();
    let reg = register(dir.path());
    let prof = Profile {
        paper: Paper::A3,
        drafter: "制图员甲".into(),
        ..Profile::default()
    };
    let map = ParcelMap::read(&reg, &code(3), &[]).unwrap();
    let info = DocInfo {
        title: "map".into(),
        id: "map".into(),
        date: map.state_at,
    };
    let bytes = pdf(
        &sheet::draw(&map, &prof),
        &Fonts::load(None).unwrap(),
        &info,
    )
    .unwrap();
    let path = dir.path().join("map.pdf");
    std::fs::write(&path, &bytes).unwrap();
    let text = pdf_text(&path);
    for field in [
        "110112 003005 GX00003 W00000000",
        "测试建设开发有限公司",
        "地下 (under)",
        "划拨",
        "1250.0 m²",
        "10000.0 m³",
        "10.000 m",
        "2.000 m",
        "8.000 m",
        "EPSG:5737",
        "EPSG:4548",
        "DCJG-TEST-0001",
        "制图员甲",
        "110112 003005 GX00001 W00000000 (1250.0)",
    ] {
        assert!(text.contains(field), "{field} not in:\n{text}");
    }
    let table: Vec<&str> = text
        .lines()
        .filter(|l| l.trim_start().starts_with('J'))
        .collect();
    assert!(
        table
            .iter()
            .any(|l| l.contains("50.000") && l.contains("0.000") && l.contains("10.000"))
    );

    // Where the plan puts a world point, on the rendered page.
    let dpi = 60;
    let (w, h, rgb) = render(&path, dpi);
    let lay = Layout::of(Paper::A3);
    let (lo, hi) = map.plan_extent();
    let room = lay.plan.inset(VIEW_PADDING_MM);
    let k = 1000.0 / f64::from(fit_scale((hi.x - lo.x, hi.y - lo.y), room.size));
    let (cx, cy) = ((lo.x + hi.x) / 2.0, (lo.y + hi.y) / 2.0);
    let red = |x: f64, y: f64| -> f64 {
        let mm = (
            lay.plan.centre().0 + (x - cx) * k,
            lay.plan.centre().1 - (y - cy) * k,
        );
        let (px, py) = (
            (mm.0 / 25.4 * f64::from(dpi)) as usize,
            (mm.1 / 25.4 * f64::from(dpi)) as usize,
        );
        assert!(px < w && py < h);
        let mut sum = 0.0;
        for dy in 0..3 {
            for dx in 0..3 {
                sum += f64::from(rgb[((py + dy - 1) * w + px + dx - 1) * 3]);
            }
        }
        sum / 9.0
    };
    // Inside the triangle (a flip in x or y would put these outside it): the unit's fill.
    assert!(red(20.0, 5.0) < 215.0, "{}", red(20.0, 5.0));
    assert!(red(5.0, 20.0) < 215.0, "{}", red(5.0, 20.0));
    // Beyond the hypotenuse, under the box only: the neighbours' light fill.
    let light = red(40.0, 40.0);
    assert!(light > 225.0 && light < 252.0, "{light}");
    // West of the plot: white paper.
    assert!(red(-8.0, 20.0) > 252.0);
}
