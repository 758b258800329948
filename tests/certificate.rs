//! Certificates per layer, paper and electronic: the fields read back from the PDF, the QR
//! code read back from the rendered page (rqrr) and verified, and every kind of tampering
//! (the PDF, the record, the code, the registered volume) failing with its reason; a
//! transferred right's old certificate verifies as superseded, naming the act.

mod support;

use std::path::Path;
use std::process::Command;

use strata::export::certificate::seal::Ed25519Seal;
use strata::export::certificate::{CertError, Standing, issue, verify_ecert, verify_qr};
use strata::export::pdf::Fonts;
use strata::export::sheet::Profile;
use strata::register::act::ActBody;
use strata::register::party::Holders;
use strata::register::{Settings, SqliteRegister};
use support::register::*;

fn register(dir: &Path) -> SqliteRegister {
    let settings = Settings {
        crs_epsg: Some(4548),
        ..Settings::default()
    };
    let mut reg = SqliteRegister::create(&dir.join("r.gpkg"), settings).unwrap();
    registered(&mut reg);
    reg
}

fn seal() -> Ed25519Seal {
    Ed25519Seal::from_secret([42; 32])
}

fn profile() -> Profile {
    Profile {
        office: "测试区不动产登记中心".into(),
        ..Profile::default()
    }
}

fn reason(r: Result<strata::export::certificate::Verified, CertError>) -> String {
    match r {
        Err(CertError::Invalid { reason }) => reason,
        other => panic!("not refused: {other:?}"),
    }
}

fn pdftotext(path: &Path) -> String {
    let out = Command::new("pdftotext")
        .args(["-layout"])
        .arg(path)
        .arg("-")
        .output()
        .expect("pdftotext (poppler-utils) runs: tools/test.sh installs it");
    assert!(out.status.success());
    String::from_utf8(out.stdout).unwrap()
}

/// The QR codes on page 1, read from the page rendered at 200 dpi in grey (an office scan).
fn read_qr(path: &Path) -> Vec<String> {
    let out = Command::new("pdftoppm")
        .args(["-r", "200", "-gray", "-f", "1", "-l", "1"])
        .arg(path)
        .output()
        .expect("pdftoppm (poppler-utils) runs: tools/test.sh installs it");
    assert!(out.status.success());
    let b = out.stdout;
    let mut fields = Vec::new();
    let mut i = 0;
    while fields.len() < 4 {
        while b[i].is_ascii_whitespace() {
            i += 1;
        }
        let s = i;
        while !b[i].is_ascii_whitespace() {
            i += 1;
        }
        fields.push(String::from_utf8_lossy(&b[s..i]).to_string());
    }
    assert_eq!(fields[0], "P5", "a grey PGM");
    let (w, h): (usize, usize) = (fields[1].parse().unwrap(), fields[2].parse().unwrap());
    let px = &b[i + 1..];
    let mut img = rqrr::PreparedImage::prepare_from_greyscale(w, h, |x, y| px[y * w + x]);
    img.detect_grids()
        .into_iter()
        .filter_map(|g| g.decode().ok().map(|(_, text)| text))
        .collect()
}

#[test]
fn a_certificate_holds_every_field_and_its_qr_code_verifies() {
    let dir = tempfile::tempdir().unwrap();
    let reg = register(dir.path());
    let fonts = Fonts::load(None).unwrap();
    let issued = issue(&reg, &code(1), &profile(), &seal(), &fonts).unwrap();
    let r = &issued.ecert.record;
    assert!(strata::export::certificate::check::is_valid(&r.id));
    assert_eq!(r.bounds.lower, 10.0);
    assert_eq!(r.bounds.upper, 19.0);
    let pdf = dir.path().join("c.pdf");
    std::fs::write(&pdf, &issued.pdf).unwrap();
    let text = pdftotext(&pdf);
    for field in [
        r.number.as_str(),
        "不动产权证书",
        "测试建设开发有限公司",
        "单独所有",
        "110112 003005 GX00001 W00000000",
        "国有建设用地使用权",
        "划拨",
        "地下公共设施",
        "2500.0 m²",
        "上界 upper 19.000 m, 下界 lower 10.000 m, 高差 9.000 m",
        "测试区不动产登记中心",
        r.id.as_str(),
        "三维宗地图",
    ] {
        assert!(
            text.contains(field),
            "{field} not in the PDF's text:\n{text}"
        );
    }
    let codes = read_qr(&pdf);
    assert_eq!(
        codes,
        std::slice::from_ref(&issued.qr),
        "the QR code read back from the page"
    );
    let key = seal().public();
    let v = verify_qr(&reg, &key, &codes[0]).unwrap();
    assert_eq!(v.standing, Standing::Current);
    let v = verify_ecert(&reg, &key, &issued.ecert, Some(&issued.pdf)).unwrap();
    assert_eq!(
        (v.number.as_str(), v.standing),
        (r.number.as_str(), Standing::Current)
    );
    // The same register gives the same certificate, byte for byte.
    let again = issue(&reg, &code(1), &profile(), &seal(), &fonts).unwrap();
    assert!(again.pdf == issued.pdf, "the PDF differs");
    assert_eq!(again.ecert, issued.ecert);
}

#[test]
fn one_changed_byte_of_the_pdf_the_record_or_the_code_fails_with_the_reason() {
    let dir = tempfile::tempdir().unwrap();
    let reg = register(dir.path());
    let issued = issue(
        &reg,
        &code(1),
        &profile(),
        &seal(),
        &Fonts::load(None).unwrap(),
    )
    .unwrap();
    let key = seal().public();
    let mut pdf = issued.pdf.clone();
    let mid = pdf.len() / 2;
    pdf[mid] ^= 1;
    assert!(reason(verify_ecert(&reg, &key, &issued.ecert, Some(&pdf))).contains("PDF"));
    let mut forged = issued.ecert.clone();
    forged.record.area_m2 += 0.1;
    assert!(reason(verify_ecert(&reg, &key, &forged, None)).contains("signature"));
    let mut qr = issued.qr.clone().into_bytes();
    let at = qr.iter().position(|&b| b == b'|').unwrap() + 3;
    qr[at] = if qr[at] == b'0' { b'1' } else { b'0' };
    let qr = String::from_utf8(qr).unwrap();
    assert!(reason(verify_qr(&reg, &key, &qr)).contains("signature"));
    let stranger = Ed25519Seal::from_secret([1; 32]).public();
    assert!(reason(verify_qr(&reg, &stranger, &issued.qr)).contains("key"));
}

#[test]
fn a_changed_registered_volume_fails_verification() {
    let dir = tempfile::tempdir().unwrap();
    let reg = register(dir.path());
    let issued = issue(
        &reg,
        &code(1),
        &profile(),
        &seal(),
        &Fonts::load(None).unwrap(),
    )
    .unwrap();
    drop(reg);
    // One coordinate of the live unit's stored volume altered behind the register's back.
    let conn = rusqlite::Connection::open(dir.path().join("r.gpkg")).unwrap();
    let n = conn
        .execute(
            "UPDATE strata_version SET body = replace(body, '50.0', '50.5') \
             WHERE kind = 'unit' AND key = ?1 AND end_seq IS NULL",
            [code(1)],
        )
        .unwrap();
    assert_eq!(n, 1);
    drop(conn);
    let reg = SqliteRegister::open_read_only(&dir.path().join("r.gpkg")).unwrap();
    let why = reason(verify_qr(&reg, &seal().public(), &issued.qr));
    assert!(why.contains("registered volume"), "{why}");
}

#[test]
fn a_transferred_rights_old_certificate_is_superseded_naming_the_act() {
    let dir = tempfile::tempdir().unwrap();
    let mut reg = register(dir.path());
    let fonts = Fonts::load(None).unwrap();
    let old = issue(&reg, &code(1), &profile(), &seal(), &fonts).unwrap();
    rec(
        &mut reg,
        vec![act(
            "T1",
            ActBody::Transfer {
                unit: code(1),
                holders: Holders::sole(GOVERNMENT),
                price: None,
                buy_back: false,
            },
        )],
    )
    .unwrap();
    let key = seal().public();
    let v = verify_ecert(&reg, &key, &old.ecert, Some(&old.pdf)).unwrap();
    let new = issue(&reg, &code(1), &profile(), &seal(), &fonts).unwrap();
    match v.standing {
        Standing::Superseded { act, by, .. } => {
            assert_eq!(act, "T1");
            assert_eq!(by, std::slice::from_ref(&new.ecert.record.number));
        }
        other => panic!("{other:?}"),
    }
    assert_ne!(new.ecert.record.number, old.ecert.record.number);
    assert_eq!(new.ecert.record.holders[0].name, "测试区城市管理委员会");
    assert_eq!(
        verify_qr(&reg, &key, &new.qr).unwrap().standing,
        Standing::Current
    );
}

#[test]
fn a_cancelled_units_certificate_verifies_as_cancelled() {
    let dir = tempfile::tempdir().unwrap();
    let mut reg = register(dir.path());
    let old = issue(
        &reg,
        &code(1),
        &profile(),
        &seal(),
        &Fonts::load(None).unwrap(),
    )
    .unwrap();
    rec(
        &mut reg,
        vec![act("C1", ActBody::Cancellation { unit: code(1) })],
    )
    .unwrap();
    match verify_qr(&reg, &seal().public(), &old.qr).unwrap().standing {
        Standing::Cancelled { act, .. } => assert_eq!(act, "C1"),
        other => panic!("{other:?}"),
    }
}

/// Runs `strata` with `args`: exit code, stdout, stderr.
fn run(args: &[&std::ffi::OsStr]) -> (i32, String, String) {
    let out = assert_cmd::Command::cargo_bin("strata")
        .unwrap()
        .args(args)
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

macro_rules! args {
    ($($a:expr),* $(,)?) => { &[$(std::ffi::OsStr::new(&$a)),*] };
}

#[test]
fn the_commands_issue_verify_and_draw() {
    let dir = tempfile::tempdir().unwrap();
    drop(register(dir.path()));
    let d = dir.path();
    let r = d.join("r.gpkg");
    let key = d.join("office.key");
    let (c, _, e) = run(args!["cert", "keygen", "--out", key]);
    assert_eq!(c, 0, "{e}");
    let (c, _, e) = run(args!["cert", "keygen", "--out", key]);
    assert!(c != 0 && e.contains("never overwritten"), "{e}");
    let certs = d.join("certs");
    let (c, o, e) = run(args![
        "cert",
        "issue",
        r,
        code(1),
        "--key",
        key,
        "--out",
        certs
    ]);
    assert_eq!(c, 0, "{o}{e}");
    let ecert = certs.join(format!("{}.ecert.json", code(1)));
    let pdf = certs.join(format!("{}.cert.pdf", code(1)));
    let public = d.join("office.key.pub");
    let (c, o, e) = run(args![
        "cert", "verify", r, "--key", public, "--ecert", ecert, "--pdf", pdf
    ]);
    assert!(c == 0 && o.starts_with("valid:"), "{o}{e}");
    let mut bytes = std::fs::read(&pdf).unwrap();
    let at = bytes.len() / 3;
    bytes[at] ^= 0x20;
    let bad = d.join("bad.pdf");
    std::fs::write(&bad, bytes).unwrap();
    let (c, o, _) = run(args![
        "cert", "verify", r, "--key", public, "--ecert", ecert, "--pdf", bad
    ]);
    assert!(
        c == 1 && o.contains("the PDF is not the certified one"),
        "{o}"
    );

    let mut maps = Vec::new();
    for name in ["a.pdf", "b.pdf"] {
        let out = d.join(name);
        let (c, o, e) = run(args![
            "register",
            "map",
            r,
            code(1),
            "--out",
            out,
            "--section",
            "0,0,50,50",
            "--paper",
            "A4"
        ]);
        assert!(c == 0 && o.contains("3 sections"), "{o}{e}");
        maps.push(std::fs::read(out).unwrap());
    }
    assert!(maps[0] == maps[1], "the same register, the same bytes");
    let list = d.join("units.txt");
    std::fs::write(&list, format!("# the layers to draw\n{}\n\n", code(1))).unwrap();
    let folder = d.join("listed");
    let (c, o, e) = run(args![
        "register", "map", r, "--units", list, "--out", folder
    ]);
    assert!(c == 0 && o.contains("wrote 1 maps"), "{o}{e}");
    assert!(folder.join(format!("{}.map.pdf", code(1))).is_file());
    std::fs::write(&list, "110112003005GX0001\n").unwrap();
    let (c, _, e) = run(args![
        "register", "map", r, "--units", list, "--out", folder
    ]);
    assert!(c == 2 && e.contains("units.txt:1"), "{e}");
    let (c, _, e) = run(args![
        "register",
        "map",
        r,
        code(1),
        "--out",
        d.join("m.png")
    ]);
    assert!(c == 2 && e.contains(".svg or .pdf"), "{e}");
    let (c, _, e) = run(args![
        "register",
        "map",
        r,
        code(1),
        "--out",
        "x.svg",
        "--section",
        "1,2,3"
    ]);
    assert!(c == 2 && e.contains("--section 1,2,3"), "{e}");
    let (c, _, e) = run(args![
        "register",
        "map",
        r,
        "110112003005GX09999W00000000",
        "--out",
        "x.svg"
    ]);
    assert!(c == 2 && e.contains("110112003005GX09999W00000000"), "{e}");
    let page = d.join("page.pdf");
    let (c, _, e) = run(args!["register", "show", r, code(1), "--pdf", page]);
    assert_eq!(c, 0, "{e}");
    let text = pdftotext(&page);
    for field in [
        "不动产登记簿",
        "建设用地使用权登记信息",
        "110112 003005 GX00001 W00000000",
        "登簿人",
    ] {
        assert!(text.contains(field), "{field} not in:\n{text}");
    }
}

#[test]
fn an_office_pattern_forms_the_numbers_and_the_certificates_verify() {
    let dir = tempfile::tempdir().unwrap();
    let settings = Settings {
        crs_epsg: Some(4548),
        certificate_pattern: Some("{county_code}-{year}-{kind}-{serial}".into()),
        ..Settings::default()
    };
    let path = dir.path().join("r.gpkg");
    let mut reg = SqliteRegister::create(&path, settings).unwrap();
    let opts = reg.settings().options();
    let acts = [
        act("A1", ActBody::Plot { plot: plot("P") }),
        act(
            "A2",
            ActBody::PreCode {
                prefix: PREFIX.into(),
                count: 1,
                plot: Some("P".into()),
                names: vec![],
                predecessors: vec![],
            },
        ),
        act(
            "A3",
            ActBody::Supply {
                unit: code(1),
                terms: allocation(10.0, 20.0),
            },
        ),
        act(
            "A4",
            ActBody::FirstRegistration {
                unit: code(1),
                surveyed: surveyed(boxed(0.0, 0.0, 10.0, 50.0, 50.0, 19.0)),
                supply: None,
            },
        ),
    ];
    strata::register::record(&mut reg, &acts, strata::register::Clock::Now, &opts).unwrap();
    let issued = issue(
        &reg,
        &code(1),
        &profile(),
        &seal(),
        &Fonts::load(None).unwrap(),
    )
    .unwrap();
    let r = &issued.ecert.record;
    let year = jiff::Zoned::now().year();
    assert_eq!(r.number, format!("110112-{year}-不动产权-0000001"));
    assert_eq!(&r.id[..r.id.len() - 1], format!("BDCQZ110112{year}0000001"));
    let v = verify_qr(&reg, &seal().public(), &issued.qr).unwrap();
    assert_eq!(v.standing, Standing::Current);
    // Replay under the register's own settings forms the same numbers.
    let report = strata::register::verify(&reg, &opts).unwrap();
    assert!(report.ok(), "{report:?}");
    drop(reg);
    let again = SqliteRegister::open_read_only(&path).unwrap();
    assert_eq!(
        again.settings().certificate_pattern.as_deref(),
        Some("{county_code}-{year}-{kind}-{serial}")
    );
}
