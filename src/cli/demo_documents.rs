//! The demo's documents: for every registered layer of both registers, its 三维宗地图 (SVG and
//! PDF), its register page (PDF and JSON) and its certificate (PDF and sealed record), then
//! one certificate verified offline.

use std::io::Write;
use std::path::Path;

use anyhow::Context;
use strata::export::certificate::seal::{Ed25519Seal, Signer};
use strata::export::certificate::{Standing, issue, record::current_title, verify_qr};
use strata::export::pdf::{Fonts, pdf};
use strata::export::sheet::{self, ParcelMap, Profile};
use strata::register::SqliteRegister;
use strata::register::page::page;

use super::out::{Out, outln, write_file as write};

/// The demo office's secret key: fixed so that the demo's documents are the same on every
/// run. Public in the source, so it seals nothing real.
const DEMO_SECRET: [u8; 32] = *b"strata-demo-office-key-not-real!";

/// Writes the documents of the registers in `dir` into `dir/documents`; `kept` when `dir`
/// outlives the demo (`--out`), not a scratch folder.
/// `rules` is the district's planning rules file the service is told to check.
pub fn run(out: &mut Out, dir: &Path, kept: bool, rules: &Path) -> anyhow::Result<()> {
    let docs = dir.join("documents");
    std::fs::create_dir_all(&docs)
        .with_context(|| format!("{}: could not be created", docs.display()))?;
    let fonts = Fonts::load(None)?;
    let seal = Ed25519Seal::from_secret(DEMO_SECRET);
    write(
        &docs.join("demo-office.pub"),
        seal.public().text().as_bytes(),
    )?;
    outln!(out);
    outln!(out, "== documents: maps, register pages, certificates ==");
    let mut one = None;
    for (file, office) in [
        (
            "register-tongzhou.gpkg",
            "北京市通州区不动产登记中心 (demo)",
        ),
        ("register-haidian.gpkg", "北京市海淀区不动产登记中心 (demo)"),
    ] {
        let reg = SqliteRegister::open_read_only(&dir.join(file))?;
        let prof = Profile {
            office: office.into(),
            surveying_unit: "多测合一测绘单位 (demo)".into(),
            drafter: "制图员".into(),
            checker: "审核员".into(),
            ..Profile::default()
        };
        let units: Vec<String> = strata::export::registered_units(&reg, None)?
            .into_iter()
            .map(|u| u.code)
            .collect();
        for unit in units {
            let number = unit_documents(&reg, &unit, &prof, &seal, &fonts, &docs)?;
            let cert = number.as_deref().map_or_else(String::new, |n| {
                format!(", certificate {n} (PDF + sealed record)")
            });
            outln!(
                out,
                "{unit}: 三维宗地图 (SVG + PDF), register page (PDF + JSON){cert}"
            );
            if one.is_none() && number.is_some() {
                one = Some((dir.join(file), unit.clone()));
            }
        }
    }
    for (file, district) in [
        ("register-tongzhou.gpkg", "tongzhou"),
        ("register-haidian.gpkg", "haidian"),
    ] {
        exports(out, &dir.join(file), &docs, district)?;
    }
    if let Some((file, unit)) = one {
        let reg = SqliteRegister::open_read_only(&file)?;
        let map = ParcelMap::read(&reg, &unit, &[])?;
        let text = std::fs::read_to_string(docs.join(format!("{unit}.ecert.json")))?;
        let cert: strata::export::certificate::ECert = serde_json::from_str(&text)?;
        let pdf_bytes = std::fs::read(docs.join(format!("{unit}.cert.pdf")))?;
        let v = strata::export::certificate::verify_ecert(
            &reg,
            &seal.public(),
            &cert,
            Some(&pdf_bytes),
        )?;
        let number = current_title(&map)?.number;
        outln!(
            out,
            "verify {number} (record, PDF, register): {}",
            if v.standing == Standing::Current {
                "valid, current"
            } else {
                "not current"
            }
        );
        let qr = cert.record.short_form(&seal, "");
        let v = verify_qr(&reg, &seal.public(), &qr)?;
        let said = if v.standing == Standing::Current {
            "valid, current"
        } else {
            "not current"
        };
        outln!(
            out,
            "verify its QR code (office key {}): {said}",
            seal.key_id()
        );
    }
    if kept {
        outln!(
            out,
            "wrote {} (the demo office's public key: demo-office.pub)",
            docs.display()
        );
        demo_service(out, dir, &seal, rules)?;
    } else {
        outln!(
            out,
            "(the documents went to a scratch folder: `demo --out DIR` keeps them)"
        );
    }
    Ok(())
}

fn unit_documents(
    reg: &SqliteRegister,
    unit: &str,
    prof: &Profile,
    seal: &Ed25519Seal,
    fonts: &Fonts,
    docs: &Path,
) -> anyhow::Result<Option<String>> {
    let map = ParcelMap::read(reg, unit, &[])?;
    let pages = sheet::draw(&map, prof);
    for (i, svg) in pages.iter().enumerate() {
        let name = if i == 0 {
            format!("{unit}.map.svg")
        } else {
            format!("{unit}.map-{}.svg", i + 1)
        };
        write(&docs.join(&name), svg.svg.as_bytes())?;
    }
    let map_pdf = pdf(&pages, fonts, &strata::export::sheet::doc_info(&map))?;
    write(&docs.join(format!("{unit}.map.pdf")), &map_pdf)?;
    let p = page(reg, unit, None)?.context("the unit has no page")?;
    let mut json = serde_json::to_vec_pretty(&p)?;
    json.push(b'\n');
    write(&docs.join(format!("{unit}.page.json")), &json)?;
    super::map::page_pdf_with(
        &p,
        reg.settings(),
        prof,
        &docs.join(format!("{unit}.page.pdf")),
    )?;
    let mut number = None;
    if current_title(&map).is_ok() {
        let issued = issue(reg, unit, prof, seal, fonts)?;
        write(&docs.join(format!("{unit}.cert.pdf")), &issued.pdf)?;
        let mut json = serde_json::to_vec_pretty(&issued.ecert)?;
        json.push(b'\n');
        write(&docs.join(format!("{unit}.ecert.json")), &json)?;
        number = Some(issued.ecert.record.number);
    }
    Ok(number)
}

/// A register's exports: CityJSON, LADM tables, glTF and the survey table.
fn exports(out: &mut Out, register: &Path, docs: &Path, district: &str) -> anyhow::Result<()> {
    let reg = SqliteRegister::open_read_only(register)?;
    let doc = strata::export::cityjson::cityjson(&reg, None, "strata_cadastre.ext.json")?;
    write(
        &docs.join(format!("{district}.city.json")),
        serde_json::to_string(&doc)?.as_bytes(),
    )?;
    strata::export::ladm::write_ladm(&reg, &docs.join(format!("{district}-ladm.gpkg")))?;
    super::reg_export_gltf::write(&reg, None, &docs.join(format!("{district}.glb")))?;
    let rows = strata::export::survey_table::rows(&reg, None)?;
    write(
        &docs.join(format!("{district}-survey.csv")),
        strata::export::survey_table::csv(&rows).as_bytes(),
    )?;
    outln!(
        out,
        "{district}: {district}.city.json (CityJSON 2.0), {district}-ladm.gpkg (LADM), {district}.glb (glTF), {district}-survey.csv"
    );
    Ok(())
}

/// The demo's tokens: public in the source, like its office key, so they guard nothing real.
const DEMO_USERS: [(&str, &str, &str); 3] = [
    ("demo-planner", "planner", "规划员 (demo)"),
    ("demo-officer", "officer", "登簿员 (demo)"),
    ("demo-surveyor", "surveyor", "测绘员 (demo)"),
];

/// Writes what `strata serve` needs to serve the demo's registers (the demo office's secret
/// key and a users file of demo tokens) and says how.
fn demo_service(out: &mut Out, dir: &Path, seal: &Ed25519Seal, rules: &Path) -> anyhow::Result<()> {
    let key = dir.join("documents").join("demo-office.key");
    write(&key, seal.secret_text().as_bytes())?;
    let users: Vec<serde_json::Value> = DEMO_USERS
        .iter()
        .map(|(token, role, name)| {
            serde_json::json!({"name": name, "role": role,
                               "token_sha256": strata::server::auth::token_hash(token)})
        })
        .collect();
    let file = dir.join("users.json");
    let mut text = serde_json::to_vec_pretty(&serde_json::json!({ "users": users }))?;
    text.push(b'\n');
    write(&file, &text)?;
    outln!(out);
    outln!(out, "== the service and its 3D page ==");
    for (reg, port) in [
        ("register-tongzhou.gpkg", 8080),
        ("register-haidian.gpkg", 8081),
    ] {
        outln!(
            out,
            "strata serve --register {} --users {} --seal-key {} --rules {} --addr 127.0.0.1:{port}",
            dir.join(reg).display(),
            file.display(),
            key.display(),
            rules.display()
        );
    }
    outln!(
        out,
        "then open http://127.0.0.1:8080/ (Wengcheng) or :8081 (Dazhongsi) and sign in with the token demo-officer (or demo-planner)"
    );
    Ok(())
}
