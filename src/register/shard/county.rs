//! Counties of a sharded register: their codes and boundaries, and the county an act writes
//! to.
//!
//! A county is named by the first six digits of every unit code and pre-coding prefix in it
//! (the administrative division code, 县级行政区划代码, GB/T 2260). An act writes to exactly one
//! county: postgres_fdw commits the coordinator's transaction on each server in turn, without
//! two-phase commit, so an act over two servers could be half recorded. A volume or plot must
//! therefore lie in its county: one that reaches into another county (a tunnel under a county
//! border) is refused with [`Reason::SpansCounties`], and the office registers it as one unit
//! per county, split at the border. Since the counties' boundaries do not overlap, two units
//! each inside its own county never share volume, and each county's lock alone keeps
//! overlapping rights out.

use geo::{Area, BooleanOps, Buffer, MultiPolygon, Polygon};

use crate::register::act::{Act, ActBody};
use crate::register::error::{Reason, Refusal, RegisterError};
use crate::register::geometry::{PartData, VolumeData, multipolygon};

/// A county of a sharded register.
#[derive(Debug, Clone, PartialEq)]
pub struct County {
    /// Its six-digit administrative division code.
    pub code: String,
    /// Its boundary, in the register's CRS.
    pub boundary: MultiPolygon<f64>,
}

/// Checks a county code: six ASCII digits.
pub fn check_code(code: &str) -> Result<(), String> {
    if code.len() == 6 && code.bytes().all(|b| b.is_ascii_digit()) {
        Ok(())
    } else {
        Err(format!(
            "county code {code:?} is not six digits (an administrative division code)"
        ))
    }
}

/// The county a unit code, pre-coding prefix or mortgage/seizure key is in: its first six
/// characters, when they are digits.
pub fn county_of_code(code: &str) -> Option<&str> {
    code.get(..6).filter(|c| check_code(c).is_ok())
}

/// What of a 2-D shadow lies outside `boundary`, and where.
fn outside(shadow: &MultiPolygon<f64>, boundary: &MultiPolygon<f64>) -> MultiPolygon<f64> {
    shadow.difference(boundary)
}

/// Whether `part` (what of a shadow lies outside its county, or where two boundaries
/// overlap) is more than a sliver: somewhere thicker than the register's tolerance, so that
/// something of it is left when it is shrunk by half the tolerance. A footprint surveyed
/// along a county border may cross it by the survey's own tolerance, as two units along a
/// shared wall may overlap by it.
fn beyond_tolerance(part: &MultiPolygon<f64>, tolerance: f64) -> bool {
    if part.unsigned_area() <= 0.0 {
        return false;
    }
    if tolerance <= 0.0 {
        return true;
    }
    part.buffer(-tolerance / 2.0).unsigned_area() > 0.0
}

/// The shadow of a volume on the plane: its prisms' footprints and its polyhedra's faces
/// seen from above (vertical faces cast none).
pub fn shadow(v: &VolumeData) -> MultiPolygon<f64> {
    let mut polys: Vec<Polygon<f64>> = Vec::new();
    for part in &v.parts {
        match part {
            PartData::Prism { footprint, .. } => {
                polys.extend(multipolygon(std::slice::from_ref(footprint)).0);
            }
            PartData::Polyhedron { vertices, shells } => {
                for face in shells.iter().take(1).flatten() {
                    let rings: Vec<Vec<[f64; 2]>> = face
                        .iter()
                        .map(|r| {
                            r.iter()
                                .filter_map(|&i| vertices.get(i).map(|p| [p[0], p[1]]))
                                .collect()
                        })
                        .collect();
                    let p = multipolygon(&[rings]);
                    if p.unsigned_area() > 0.0 {
                        polys.extend(p.0);
                    }
                }
            }
        }
    }
    // One polygon at a time: faces of a polyhedron overlap in plan (top over bottom).
    polys.into_iter().fold(MultiPolygon::new(vec![]), |acc, p| {
        acc.union(&MultiPolygon::new(vec![p]))
    })
}

/// The counties whose boundaries a shadow reaches into beyond the tolerance, other than
/// `own`.
fn reached(
    shadow: &MultiPolygon<f64>,
    counties: &[County],
    own: &str,
    tolerance: f64,
) -> Vec<String> {
    counties
        .iter()
        .filter(|c| c.code != own)
        .filter(|c| beyond_tolerance(&shadow.intersection(&c.boundary), tolerance))
        .map(|c| c.code.clone())
        .collect()
}

/// Refuses a shadow that does not lie in county `own` (up to the tolerance).
fn within(
    what: &str,
    shadow: &MultiPolygon<f64>,
    own: &County,
    counties: &[County],
    tolerance: f64,
) -> Result<(), Refusal> {
    let out = outside(shadow, &own.boundary);
    if !beyond_tolerance(&out, tolerance) {
        return Ok(());
    }
    let others = reached(shadow, counties, &own.code, tolerance);
    let into = if others.is_empty() {
        "outside every county of this register".to_string()
    } else {
        format!("into county {}", others.join(", "))
    };
    Err(Refusal::new(
        Reason::SpansCounties,
        format!(
            "{what} reaches {:.3} m² {into}, beyond county {}: one act writes to one county; \
             register it as one unit per county, split at the border",
            out.unsigned_area(),
            own.code
        ),
    ))
}

fn coded(code: &str) -> Result<&str, Refusal> {
    county_of_code(code).ok_or_else(|| {
        Refusal::new(
            Reason::InvalidCode,
            format!("{code:?} does not begin with a six-digit county code"),
        )
    })
}

/// Checks that no two counties' boundaries overlap beyond the tolerance: each right's county
/// alone must hold every right that can share volume with it.
pub fn check_disjoint(counties: &[County], tolerance: f64) -> Result<(), String> {
    for (i, a) in counties.iter().enumerate() {
        for b in &counties[i + 1..] {
            let shared = a.boundary.intersection(&b.boundary);
            if beyond_tolerance(&shared, tolerance) {
                return Err(format!(
                    "the boundaries of counties {} and {} overlap by {:.3} m²",
                    a.code,
                    b.code,
                    shared.unsigned_area()
                ));
            }
        }
    }
    Ok(())
}

/// The county one act writes to, checked against the counties' boundaries.
fn county_of_act<'c>(
    act: &Act,
    counties: &'c [County],
    tolerance: f64,
) -> Result<&'c County, Refusal> {
    let find = |code: &str| {
        counties.iter().find(|c| c.code == code).ok_or_else(|| {
            Refusal::new(
                Reason::NoCounty,
                format!("county {code} has no register in this layout"),
            )
        })
    };
    let volume = |v: &VolumeData, county: &County| {
        within("the volume", &shadow(v), county, counties, tolerance)
    };
    match &act.body {
        ActBody::Plot { plot } => {
            let fp = multipolygon(&plot.footprint);
            let county = counties
                .iter()
                .max_by(|a, b| {
                    let area = |c: &County| fp.intersection(&c.boundary).unsigned_area();
                    area(a).total_cmp(&area(b))
                })
                .ok_or_else(|| Refusal::new(Reason::NoCounty, "the register has no county"))?;
            within(
                &format!("plot {}", plot.id),
                &fp,
                county,
                counties,
                tolerance,
            )?;
            Ok(county)
        }
        ActBody::PreCode { prefix, .. } => find(coded(prefix)?),
        ActBody::FirstRegistration { unit, surveyed, .. } => {
            let county = find(coded(unit)?)?;
            volume(&surveyed.volume, county)?;
            Ok(county)
        }
        ActBody::Correction {
            unit, amendment, ..
        } => {
            let county = find(coded(unit)?)?;
            if let Some(s) = &amendment.volume {
                volume(&s.volume, county)?;
            }
            Ok(county)
        }
        body => {
            let key = body.unit().unwrap_or_default();
            find(coded(key)?)
        }
    }
}

/// The county a batch of acts writes to: every act's. A batch over two counties is refused
/// at its first act in another county than the first act's (a batch is recorded whole or
/// not at all, which one server's transaction can promise and several cannot).
pub fn county_of_batch<'c>(
    acts: &[Act],
    counties: &'c [County],
    tolerance: f64,
) -> Result<&'c County, RegisterError> {
    let refused = |i: usize, act: &Act, r: Refusal| RegisterError::Refused {
        index: i + 1,
        number: act.number.clone(),
        unit: act.body.unit().map(str::to_string),
        refusal: Box::new(r),
    };
    let mut first: Option<&County> = None;
    for (i, act) in acts.iter().enumerate() {
        let c = county_of_act(act, counties, tolerance).map_err(|r| refused(i, act, r))?;
        match first {
            None => first = Some(c),
            Some(f) if f.code != c.code => {
                return Err(refused(
                    i,
                    act,
                    Refusal::new(
                        Reason::SpansCounties,
                        format!(
                            "the batch's first act writes to county {} and this one to county \
                             {}: one batch writes to one county; record it as one batch per \
                             county",
                            f.code, c.code
                        ),
                    ),
                ));
            }
            Some(_) => {}
        }
    }
    first.ok_or_else(|| RegisterError::Storage {
        path: String::new(),
        detail: "an empty batch writes to no county".into(),
    })
}

/// Reads counties' boundaries from a GeoJSON FeatureCollection: each feature a Polygon or
/// MultiPolygon with a `code` property (six digits). The error names the feature and field.
pub fn read_boundaries(path: &str, text: &str) -> Result<Vec<County>, String> {
    let v: serde_json::Value =
        serde_json::from_str(text).map_err(|e| format!("{path}: not JSON: {e}"))?;
    let features = v
        .get("features")
        .and_then(|f| f.as_array())
        .ok_or_else(|| format!("{path}: not a GeoJSON FeatureCollection"))?;
    let mut out: Vec<County> = Vec::with_capacity(features.len());
    for (i, f) in features.iter().enumerate() {
        let at = |field: &str, what: &str| format!("{path}: feature {}: {field}: {what}", i + 1);
        let code = f
            .pointer("/properties/code")
            .and_then(|c| c.as_str())
            .ok_or_else(|| at("code", "missing (the six-digit county code)"))?;
        check_code(code).map_err(|e| at("code", &e))?;
        if out.iter().any(|c| c.code == code) {
            return Err(at("code", &format!("county {code} is given twice")));
        }
        let g = f.get("geometry").ok_or_else(|| at("geometry", "missing"))?;
        let boundary = geojson_polygons(g).map_err(|e| at("geometry", &e))?;
        if boundary.unsigned_area() <= 0.0 {
            return Err(at("geometry", "the boundary encloses no area"));
        }
        out.push(County {
            code: code.to_string(),
            boundary,
        });
    }
    if out.is_empty() {
        return Err(format!("{path}: no county"));
    }
    Ok(out)
}

/// A GeoJSON Polygon or MultiPolygon geometry (finite positions, rings of four or more).
pub(crate) fn geojson_polygons(g: &serde_json::Value) -> Result<MultiPolygon<f64>, String> {
    let coords = g.get("coordinates").ok_or("no coordinates")?;
    let polygons: Vec<&serde_json::Value> = match g.get("type").and_then(|t| t.as_str()) {
        Some("Polygon") => vec![coords],
        Some("MultiPolygon") => coords
            .as_array()
            .ok_or("coordinates are not an array")?
            .iter()
            .collect(),
        other => return Err(format!("{other:?} is not a Polygon or MultiPolygon")),
    };
    let mut out = Vec::with_capacity(polygons.len());
    for p in polygons {
        let rings = p.as_array().ok_or("a polygon is not an array of rings")?;
        let mut parsed: Vec<Vec<[f64; 2]>> = Vec::with_capacity(rings.len());
        for r in rings {
            let pts = r.as_array().ok_or("a ring is not an array of positions")?;
            let mut ring = Vec::with_capacity(pts.len());
            for p in pts {
                let x = p.get(0).and_then(|x| x.as_f64());
                let y = p.get(1).and_then(|y| y.as_f64());
                match (x, y) {
                    (Some(x), Some(y)) if x.is_finite() && y.is_finite() => ring.push([x, y]),
                    _ => return Err("a position is not two finite numbers".into()),
                }
            }
            if ring.len() < 4 {
                return Err("a ring has fewer than four positions".into());
            }
            ring.pop();
            parsed.push(ring);
        }
        out.push(parsed);
    }
    Ok(multipolygon(&out))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn square(code: &str, x0: f64) -> County {
        let ring = vec![
            [x0, 0.0],
            [x0 + 100.0, 0.0],
            [x0 + 100.0, 100.0],
            [x0, 100.0],
        ];
        County {
            code: code.into(),
            boundary: multipolygon(&[vec![ring]]),
        }
    }

    fn prism(x0: f64, x1: f64) -> VolumeData {
        VolumeData {
            parts: vec![PartData::Prism {
                footprint: vec![vec![[x0, 10.0], [x1, 10.0], [x1, 20.0], [x0, 20.0]]],
                bottom: -10.0,
                top: 0.0,
            }],
        }
    }

    #[test]
    fn a_volume_over_the_border_is_refused_naming_both_counties() {
        let cs = [square("110105", 0.0), square("110108", 100.0)];
        let r = within(
            "the volume",
            &shadow(&prism(90.0, 110.0)),
            &cs[0],
            &cs,
            0.05,
        )
        .unwrap_err();
        assert_eq!(r.reason, Reason::SpansCounties);
        assert!(
            r.message.contains("100.000 m² into county 110108"),
            "{}",
            r.message
        );
        within(
            "the volume",
            &shadow(&prism(80.0, 100.0)),
            &cs[0],
            &cs,
            0.05,
        )
        .unwrap();
        // 1 cm over the border on a 10 m edge: a sliver inside the tolerance.
        within(
            "the volume",
            &shadow(&prism(80.0, 100.01)),
            &cs[0],
            &cs,
            0.05,
        )
        .unwrap();
        let far = within(
            "the volume",
            &shadow(&prism(300.0, 310.0)),
            &cs[0],
            &cs,
            0.05,
        );
        assert!(far.unwrap_err().message.contains("outside every county"));
    }

    #[test]
    fn overlapping_boundaries_are_refused() {
        let ok = [square("110105", 0.0), square("110108", 100.0)];
        check_disjoint(&ok, 0.05).unwrap();
        let bad = [square("110105", 0.0), square("110108", 90.0)];
        let e = check_disjoint(&bad, 0.05).unwrap_err();
        assert!(
            e.contains("110105 and 110108 overlap by 1000.000 m²"),
            "{e}"
        );
    }

    #[test]
    fn codes_name_their_county() {
        assert_eq!(
            county_of_code("110105003005GB00001W00000000"),
            Some("110105")
        );
        assert_eq!(county_of_code("11010X003005"), None);
        assert_eq!(county_of_code("1101"), None);
        assert!(check_code("1101050").is_err());
    }

    #[test]
    fn boundaries_read_and_bad_ones_name_feature_and_field() {
        let ok = r#"{"type":"FeatureCollection","features":[{"type":"Feature",
            "properties":{"code":"110105"},"geometry":{"type":"Polygon",
            "coordinates":[[[0,0],[10,0],[10,10],[0,10],[0,0]]]}}]}"#;
        let cs = read_boundaries("c.geojson", ok).unwrap();
        assert_eq!(cs[0].boundary.unsigned_area(), 100.0);
        let bad = ok.replace("110105", "11010");
        let e = read_boundaries("c.geojson", &bad).unwrap_err();
        assert!(e.starts_with("c.geojson: feature 1: code:"), "{e}");
        let bad = ok.replace("[10,10]", "[10,\"x\"]");
        let e = read_boundaries("c.geojson", &bad).unwrap_err();
        assert!(e.contains("feature 1: geometry: a position"), "{e}");
    }
}
