//! `strata register map`: the 3D parcel map of a unit, as SVG or PDF.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, bail};
use geo::Coord;
use strata::export::pdf::{Fonts, pdf};
use strata::export::register_page;
use strata::export::sheet::{self, Paper, ParcelMap, Profile};
use strata::geometry::algorithm::SectionLine;
use strata::model::frame::HeightDatum;
use strata::register::Settings;
use strata::register::page::Page;
use strata::register::store;

use super::args::MapArgs;
use super::out::{Out, outln, write_file as write};

pub fn run(a: &MapArgs, out: &mut Out) -> anyhow::Result<ExitCode> {
    let mut prof = match &a.profile {
        Some(p) => Profile::read(p)?,
        None => Profile::default(),
    };
    if let Some(p) = &a.paper {
        prof.paper = Paper::parse(p).with_context(|| format!("--paper {p}: A3 or A4"))?;
    }
    let lines = a
        .section
        .iter()
        .map(|s| parse_line(s).with_context(|| format!("--section {s}")))
        .collect::<anyhow::Result<Vec<_>>>()?;
    match &a.unit {
        Some(unit) => one(a, unit, &prof, &lines, out),
        None => many(a, &prof, &lines, out),
    }
}

/// The format asked for: `svg` or `pdf`.
fn format_of(ext: &str, what: &str) -> anyhow::Result<bool> {
    match ext.to_ascii_lowercase().as_str() {
        "svg" => Ok(false),
        "pdf" => Ok(true),
        _ => bail!("{what}: a map is written as .svg or .pdf"),
    }
}

fn one(
    a: &MapArgs,
    unit: &str,
    prof: &Profile,
    lines: &[SectionLine],
    out: &mut Out,
) -> anyhow::Result<ExitCode> {
    let ext = a.out.extension().and_then(|e| e.to_str()).unwrap_or("");
    let as_pdf = format_of(ext, &format!("--out {}", a.out.display()))?;
    let reg = store::open(&a.register, true)?;
    let map = ParcelMap::read(&*reg, unit, lines)?;
    let pages = sheet::draw(&map, prof);
    let written = if as_pdf {
        let fonts = Fonts::load(prof.font.as_deref())?;
        let bytes = pdf(&pages, &fonts, &sheet::doc_info(&map))?;
        write(&a.out, bytes.as_slice())?;
        vec![a.out.clone()]
    } else {
        let mut files = Vec::new();
        for (i, page) in pages.iter().enumerate() {
            let path = page_path(&a.out, i);
            write(&path, page.svg.as_bytes())?;
            files.push(path);
        }
        files
    };
    let names: Vec<String> = written.iter().map(|p| p.display().to_string()).collect();
    outln!(
        out,
        "wrote {} ({} page{}): unit {}, {} boundary points, {} sections, {} neighbours",
        names.join(", "),
        pages.len(),
        if pages.len() == 1 { "" } else { "s" },
        map.unit.code,
        map.points.points.len(),
        map.sections.len(),
        map.neighbours.len()
    );
    Ok(ExitCode::SUCCESS)
}

/// The maps of every registered unit of the register or of a plot, into a folder.
fn many(
    a: &MapArgs,
    prof: &Profile,
    lines: &[SectionLine],
    out: &mut Out,
) -> anyhow::Result<ExitCode> {
    let as_pdf = format_of(&a.format, &format!("--format {}", a.format))?;
    let reg = store::open(&a.register, true)?;
    let units = match &a.units {
        Some(file) => super::batch::listed(file)?,
        None => super::batch::registered(reg.as_ref(), a.plot.as_deref())?,
    };
    drop(reg);
    std::fs::create_dir_all(&a.out)
        .with_context(|| format!("{}: could not be created", a.out.display()))?;
    let fonts = if as_pdf {
        Some(Fonts::load(prof.font.as_deref())?)
    } else {
        None
    };
    let pages = super::batch::each(&a.register, &units, |reg, unit| {
        let map = ParcelMap::read(reg, unit, lines)?;
        let pages = sheet::draw(&map, prof);
        match &fonts {
            Some(f) => {
                let bytes = pdf(&pages, f, &sheet::doc_info(&map))?;
                write(&a.out.join(format!("{unit}.map.pdf")), &bytes)?;
            }
            None => {
                for (i, page) in pages.iter().enumerate() {
                    let path = page_path(&a.out.join(format!("{unit}.map.svg")), i);
                    write(&path, page.svg.as_bytes())?;
                }
            }
        }
        Ok(pages.len())
    })?;
    outln!(
        out,
        "wrote {} maps ({} pages) into {}",
        units.len(),
        pages.iter().sum::<usize>(),
        a.out.display()
    );
    Ok(ExitCode::SUCCESS)
}

/// Writes a register page as PDF.
pub fn page_pdf(
    page: &Page,
    settings: &Settings,
    profile: Option<&Path>,
    path: &Path,
) -> anyhow::Result<()> {
    let prof = match profile {
        Some(p) => Profile::read(p)?,
        None => Profile::default(),
    };
    page_pdf_with(page, settings, &prof, path)
}

/// Writes a register page as PDF, headed by the office of `prof`.
pub fn page_pdf_with(
    page: &Page,
    settings: &Settings,
    prof: &Profile,
    path: &Path,
) -> anyhow::Result<()> {
    let datum = HeightDatum::parse(&settings.height_datum).describe();
    let pages = register_page::draw(page, &prof.office, &datum);
    let fonts = Fonts::load(prof.font.as_deref())?;
    let info = register_page::doc_info(page);
    write(path, &pdf(&pages, &fonts, &info)?)
}

/// The file of page `i` (from 0): the name given, then NAME-2.svg, NAME-3.svg …
fn page_path(first: &Path, i: usize) -> PathBuf {
    if i == 0 {
        return first.to_path_buf();
    }
    let stem = first.file_stem().and_then(|s| s.to_str()).unwrap_or("map");
    first.with_file_name(format!("{stem}-{}.svg", i + 1))
}

/// `x1,y1,x2,y2` in metres.
fn parse_line(s: &str) -> anyhow::Result<SectionLine> {
    let v: Vec<f64> = s
        .split(',')
        .map(|p| p.trim().parse::<f64>())
        .collect::<Result<_, _>>()
        .context("four numbers x1,y1,x2,y2 (metres)")?;
    if v.len() != 4 || v.iter().any(|x| !x.is_finite()) {
        bail!("four numbers x1,y1,x2,y2 (metres)");
    }
    SectionLine::new(Coord { x: v[0], y: v[1] }, Coord { x: v[2], y: v[3] })
        .context("the two ends are the same point")
}
