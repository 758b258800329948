//! The footprints of a FlatGeobuf feature, decoded from its verified geometry table: `xy`
//! (x, y pairs), `z` (one height per position, when given), `ends` (where each ring ends, in
//! positions; absent for a single ring), `parts` (the polygons of a MultiPolygon) and `type`.
//! Every index is checked: a geometry that contradicts itself is an error naming the field.

use flatgeobuf::{Geometry, GeometryType};
use geo::{Coord, LineString, Polygon};

use crate::diagnostics::{Code, FeatureRef, Finding, Location, Num};
use crate::io::profile::{Extent, MAX_POSITIONS_PER_FEATURE};

/// What is wrong with a geometry, and in which field (`geometry.ends`,
/// `geometry.parts[2].xy`).
#[derive(Debug)]
pub(super) struct GeometryError {
    pub field: String,
    pub message: String,
}

/// The field `name` of the geometry, or of its part `k`.
fn field(part: Option<usize>, name: &str) -> String {
    match part {
        Some(k) => format!("geometry.parts[{k}].{name}"),
        None => format!("geometry.{name}"),
    }
}

fn error(part: Option<usize>, name: &str, message: String) -> GeometryError {
    GeometryError {
        field: field(part, name),
        message,
    }
}

/// The footprints of a feature; `Ok(Err(finding))` for a geometry that cannot hold one (none,
/// empty, or of another type: the findings the GeoJSON reader gives). `header_type` is the
/// header's geometry type; `Unknown` there means each feature gives its own. Every position
/// read widens `extent`.
pub(super) fn footprints(
    g: Option<Geometry>,
    header_type: GeometryType,
    feature: &FeatureRef,
    extent: &mut Option<Extent>,
) -> Result<Result<Vec<Polygon<f64>>, Finding>, GeometryError> {
    let Some(g) = g else {
        return Ok(Err(Finding::new(
            Code::EmptyPrimitive,
            Location::field(feature.clone(), "geometry"),
            "the feature has no geometry",
        )));
    };
    let ty = if header_type == GeometryType::Unknown {
        g.type_()
    } else {
        header_type
    };
    let mut budget = MAX_POSITIONS_PER_FEATURE;
    let polygons = match ty {
        GeometryType::Polygon => polygon(&g, None, &mut budget, extent)?
            .into_iter()
            .collect(),
        GeometryType::MultiPolygon => multipolygon(&g, &mut budget, extent)?,
        GeometryType::Unknown => {
            return Err(error(
                None,
                "type",
                "Unknown: neither the header nor the feature says which type the geometry is"
                    .into(),
            ));
        }
        other => {
            let Some(name) = other.variant_name() else {
                return Err(error(
                    None,
                    "type",
                    format!("{}: not a FlatGeobuf geometry type", other.0),
                ));
            };
            return Ok(Err(Finding::new(
                Code::GeometryTypeUnsupported,
                Location::field(feature.clone(), "geometry.type"),
                format!("a {name} cannot hold a footprint: use Polygon or MultiPolygon"),
            )));
        }
    };
    if polygons.is_empty() {
        return Ok(Err(Finding::new(
            Code::EmptyPrimitive,
            Location::field(feature.clone(), "geometry"),
            "the geometry is empty",
        )));
    }
    Ok(Ok(polygons))
}

/// The polygons of a MultiPolygon, each a part of type Polygon (or without a type).
fn multipolygon(
    g: &Geometry,
    budget: &mut usize,
    extent: &mut Option<Extent>,
) -> Result<Vec<Polygon<f64>>, GeometryError> {
    let parts = g.parts();
    if parts.is_none_or(|p| p.is_empty()) && g.xy().is_some_and(|xy| !xy.is_empty()) {
        return Err(error(
            None,
            "parts",
            "a MultiPolygon holds its polygons in `parts`, and this one has none (but positions in `xy`)"
                .into(),
        ));
    }
    let mut out = Vec::new();
    for (k, part) in parts.iter().flat_map(|p| p.iter()).enumerate() {
        let t = part.type_();
        if t != GeometryType::Polygon && t != GeometryType::Unknown {
            return Err(error(
                Some(k),
                "type",
                format!(
                    "a part of a MultiPolygon is a polygon, not a {}",
                    t.variant_name().unwrap_or("geometry of an unknown type")
                ),
            ));
        }
        out.extend(polygon(&part, Some(k), budget, extent)?);
    }
    Ok(out)
}

/// A polygon from `xy` and `ends` (`None` when it has no positions). `budget` is what remains
/// of the positions a feature may hold.
fn polygon(
    g: &Geometry,
    part: Option<usize>,
    budget: &mut usize,
    extent: &mut Option<Extent>,
) -> Result<Option<Polygon<f64>>, GeometryError> {
    // A verified vector of f64: its bytes are a whole number of 8-byte numbers.
    let (numbers, _) = g
        .xy()
        .map(|v| v.bytes())
        .unwrap_or_default()
        .as_chunks::<8>();
    if numbers.len() % 2 != 0 {
        return Err(error(
            part,
            "xy",
            format!(
                "holds {} numbers: coordinates come in x, y pairs",
                numbers.len()
            ),
        ));
    }
    let n = numbers.len() / 2;
    if n > *budget {
        return Err(error(
            part,
            "xy",
            format!("more than {MAX_POSITIONS_PER_FEATURE} positions in the feature"),
        ));
    }
    *budget -= n;
    if let Some(z) = g.z()
        && z.len() != n
    {
        return Err(error(
            part,
            "z",
            format!("holds {} heights for {n} positions", z.len()),
        ));
    }
    let several = ring_ends(g, part, n)?;
    if n == 0 {
        return Ok(None);
    }
    let mut coords = Vec::with_capacity(n);
    for (k, p) in numbers.chunks_exact(2).enumerate() {
        let (x, y) = (f64::from_le_bytes(p[0]), f64::from_le_bytes(p[1]));
        if !x.is_finite() || !y.is_finite() {
            return Err(error(
                part,
                "xy",
                format!(
                    "position {k} is ({}, {}): a coordinate is not a finite number",
                    Num(x),
                    Num(y)
                ),
            ));
        }
        Extent::grow(extent, x, y);
        coords.push(Coord { x, y });
    }
    if !several {
        return Ok(Some(Polygon::new(LineString(coords), Vec::new())));
    }
    let ends = g.ends();
    let mut start = 0usize;
    let mut rings = ends.iter().flat_map(|e| e.iter()).map(|end| {
        let end = end as usize;
        let ring = LineString(
            coords
                .get(start..end)
                .map(<[_]>::to_vec)
                .unwrap_or_default(),
        );
        start = end;
        ring
    });
    let exterior = rings.next().unwrap_or_else(|| LineString(Vec::new()));
    Ok(Some(Polygon::new(exterior, rings.collect())))
}

/// The `ends` of a polygon of `n` positions, checked: each after the one before, none beyond
/// `xy`, the last at its end. False for a single ring (`ends` absent or empty).
fn ring_ends(g: &Geometry, part: Option<usize>, n: usize) -> Result<bool, GeometryError> {
    let Some(ends) = g.ends().filter(|e| !e.is_empty()) else {
        return Ok(false);
    };
    let mut before = 0usize;
    for (k, end) in ends.iter().enumerate() {
        let end = end as usize;
        if end > n {
            return Err(error(
                part,
                "ends",
                format!(
                    "entry {k} is {end}, beyond the {n} positions of `{}`",
                    field(part, "xy")
                ),
            ));
        }
        if end <= before {
            return Err(error(
                part,
                "ends",
                format!(
                    "entry {k} is {end}, not after the ring before it (which ends at {before}): a ring needs positions"
                ),
            ));
        }
        before = end;
    }
    if before != n {
        return Err(error(
            part,
            "ends",
            format!(
                "the rings end at position {before}, but `{}` holds {n} positions",
                field(part, "xy")
            ),
        ));
    }
    Ok(true)
}
