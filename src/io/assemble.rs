//! Units assembled from the parts the readers give: parts with the same unit code are one
//! unit across features and files; the model fields of the parts are merged, the code parsed.

use rustc_hash::FxHashMap;
use std::path::PathBuf;

use serde_json::Value;

use crate::diagnostics::{Code, FeatureRef, Finding, Location, clip};
use crate::geometry::{Part, Primitive, Volume};

use crate::model::frame::{Frame, HeightDatum};
use crate::model::unit::{PartSource, Unit};
use crate::model::unit_code::{LetterSets, UnitCode, check_all};

use super::crs::FrameCollector;
use super::fields::{ModelFields, Source, merge_fields, split};
use super::options::ImportOptions;
use super::profile::RawPart;

/// Gathers the parts of units across files, by unit code.
pub(super) struct Assembler<'a> {
    opts: &'a ImportOptions,
    /// The groups in order of first appearance, with their keys.
    groups: Vec<(String, Group)>,
    /// Key → position in `groups`.
    index: FxHashMap<String, usize>,
}

#[derive(Default)]
pub(super) struct Group {
    pub code_text: Option<String>,
    pub parts: Vec<(Part, PartSource)>,
    pub props: Vec<(PathBuf, FeatureRef, &'static str, ModelFields)>,
    pub other: Vec<(FeatureRef, Primitive)>,
    pub findings: Vec<Finding>,
}

impl<'a> Assembler<'a> {
    /// An empty assembler.
    pub fn new(opts: &'a ImportOptions) -> Self {
        Assembler {
            opts,
            groups: Vec::new(),
            index: FxHashMap::default(),
        }
    }

    pub fn group(&mut self, key: &str, code_text: Option<String>) -> &mut Group {
        let i = match self.index.get(key) {
            Some(&i) => i,
            None => {
                self.index.insert(key.to_string(), self.groups.len());
                // Most units have one part: room for exactly one, not the four a first push
                // reserves (this is most of the import's memory on large districts).
                let group = Group {
                    parts: Vec::with_capacity(1),
                    props: Vec::with_capacity(1),
                    ..Group::default()
                };
                self.groups.push((key.to_string(), group));
                self.groups.len() - 1
            }
        };
        let g = &mut self.groups[i].1;
        if g.code_text.is_none() {
            g.code_text = code_text;
        }
        g
    }

    /// Adds one feature of the survey profile as a part of its unit, known by `key` (see
    /// [`unit_key`]).
    pub fn add_raw(&mut self, key: String, raw: RawPart) {
        let level = raw
            .properties
            .get("level")
            .and_then(Value::as_str)
            .map(str::to_string);
        let (model, mut attributes) = split(raw.properties);
        let g = self.group(&key, raw.code_text.clone());
        let n = raw.parts.len();
        for (k, part) in raw.parts.into_iter().enumerate() {
            let feature = raw.feature.clone().polygon(k);
            g.parts.push((
                part,
                PartSource {
                    file: raw.file.clone(),
                    feature,
                    level: level.clone(),
                    attributes: if k + 1 == n {
                        std::mem::take(&mut attributes)
                    } else {
                        attributes.clone()
                    },
                },
            ));
        }
        for mut f in raw.findings {
            f.location.file = Some(raw.file.display().to_string());
            g.findings.push(f);
        }
        g.props.push((raw.file, raw.feature, "properties.", model));
    }

    /// The units, in order of first appearance.
    pub fn finish(self, frame: &Frame) -> Vec<Unit> {
        let letters = &self.opts.letters;
        drop(self.index);
        self.groups
            .into_iter()
            .map(|(key, g)| build_unit(key, g, frame, letters))
            .collect()
    }
}

/// Notes the height datum a feature names, if any (every feature's, kept or not).
pub(super) fn note_datum(raw: &RawPart, frame: &mut FrameCollector) {
    if let Some(Value::String(h)) = raw.properties.get("height_datum") {
        frame.datum(
            HeightDatum::parse(h),
            format!("{}: {}", raw.file.display(), raw.feature),
        );
    }
}

/// What gathers a feature's parts into a unit: its unit code; a feature without a code is a
/// unit of its own, never merged with a namesake of another file.
pub(super) fn unit_key(raw: &RawPart) -> String {
    raw.code_text
        .clone()
        .unwrap_or_else(|| format!("{}\u{1f}{}", raw.file.display(), raw.feature))
}

/// A unit from the parts gathered under its code.
fn build_unit(key: String, g: Group, frame: &Frame, letters: &LetterSets) -> Unit {
    let first_file = g.props.first().map(|p| p.0.display().to_string());
    let first_feature = g
        .props
        .first()
        .map(|p| p.1.clone())
        .unwrap_or_else(FeatureRef::file);
    let prefix = g.props.first().map(|p| p.2).unwrap_or_default();
    let mut u = Unit {
        frame: frame.clone(),
        ..Unit::default()
    };
    let sources: Vec<Source> = g
        .props
        .iter()
        .map(|(_, feature, prefix, props)| Source {
            feature,
            prefix,
            props,
        })
        .collect();
    let mut findings = merge_fields(&sources, &mut u);
    // A unit without a code is known by its feature.
    u.key = if g.code_text.is_some() {
        key
    } else {
        first_feature.to_string()
    };
    if let Some(text) = &g.code_text {
        match UnitCode::parse_with(text, letters) {
            Ok(c) => u.code = Some(c),
            Err(_) => findings.push(invalid_code(text, letters, &first_feature, prefix)),
        }
    }
    let coded = u.code.as_ref().and_then(UnitCode::stratum);
    if let (Some(c), Some(d)) = (coded, u.declared_stratum)
        && c != d
    {
        findings.push(Finding::new(
            Code::StratumContradictsCode,
            Location::field(first_feature.clone(), format!("{prefix}stratum")),
            format!(
                "`stratum` says {d} ({}) but the parcel feature code {} says {c} ({})",
                d.name_zh(),
                u.code.as_ref().map(UnitCode::parcel_feature).unwrap_or(""),
                c.name_zh()
            ),
        ));
    }
    u.stratum = coded.or(u.declared_stratum);
    findings.extend(g.findings);
    for fnd in &mut findings {
        if fnd.location.file.is_none() {
            fnd.location.file.clone_from(&first_file);
        }
    }
    // Exact capacities: `unzip` reserves at least four elements, and most units have one
    // part, which cost a few hundred bytes per unit on million-unit districts.
    let mut parts = Vec::with_capacity(g.parts.len());
    let mut part_sources = Vec::with_capacity(g.parts.len());
    for (part, source) in g.parts {
        parts.push(part);
        part_sources.push(source);
    }
    u.features = g.props.iter().map(|p| p.1.clone()).collect();
    u.code_text = g.code_text;
    u.volume = Volume::new(parts);
    u.parts = part_sources;
    u.other_geometries = g.other;
    u.findings = findings;
    u
}

/// The finding for a code that does not parse, listing every wrong segment.
fn invalid_code(text: &str, letters: &LetterSets, feature: &FeatureRef, prefix: &str) -> Finding {
    let all: Vec<String> = check_all(text, letters)
        .iter()
        .map(ToString::to_string)
        .collect();
    Finding::new(
        Code::UnitCodeInvalid,
        Location::field(feature.clone(), format!("{prefix}unit_code")),
        format!(
            "`{}` is not a GB/T 37346 unit code: {}",
            clip(text),
            all.join("; ")
        ),
    )
}
