//! Bringing files in other frames into the dataset's frame: a horizontal reprojection through
//! GDAL/PROJ, and constant offsets between height datums.
//!
//! Horizontal CRS and height datum are separate: a reprojection moves `x, y` and never touches
//! a height; an offset moves heights and never a position. Neither happens unless asked for —
//! without them a dataset that mixes CRSs is refused and one that mixes datums is reported.

use std::fmt;

use crate::model::frame::{HeightDatum, parse_epsg};

/// The CRS to reproject into.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HorizontalTarget {
    /// The CGCS2000 3-degree Gauss-Krüger zone (central-meridian form, EPSG:4534–4554) whose
    /// central meridian is nearest the first file's centre.
    Auto,
    /// A projected CRS by EPSG code.
    Epsg(u32),
}

impl HorizontalTarget {
    /// Reads `auto` or an EPSG code (`EPSG:4548`, `4548`).
    ///
    /// ```
    /// use strata::io::transform::HorizontalTarget;
    /// assert_eq!(HorizontalTarget::parse("auto"), Some(HorizontalTarget::Auto));
    /// assert_eq!(HorizontalTarget::parse("EPSG:4548"), Some(HorizontalTarget::Epsg(4548)));
    /// assert_eq!(HorizontalTarget::parse("Beijing"), None);
    /// ```
    pub fn parse(s: &str) -> Option<HorizontalTarget> {
        let t = s.trim();
        if t.eq_ignore_ascii_case("auto") {
            return Some(HorizontalTarget::Auto);
        }
        parse_epsg(t)
            .or_else(|| t.parse().ok())
            .map(HorizontalTarget::Epsg)
    }
}

/// The CGCS2000 3-degree Gauss-Krüger CRS (central-meridian form, no zone number in the
/// easting) for a longitude: EPSG:4534 (75°E) to EPSG:4554 (135°E), the zones that cover
/// China. `None` outside them.
///
/// ```
/// use strata::io::transform::gauss_kruger_3_degree;
/// assert_eq!(gauss_kruger_3_degree(116.39), Some(4548)); // Beijing: central meridian 117°E
/// assert_eq!(gauss_kruger_3_degree(121.47), Some(4549)); // Shanghai: 120°E
/// assert_eq!(gauss_kruger_3_degree(4.48), None); // Rotterdam
/// ```
pub fn gauss_kruger_3_degree(longitude: f64) -> Option<u32> {
    let cm = (longitude / 3.0).round() * 3.0;
    if !(75.0..=135.0).contains(&cm) {
        return None;
    }
    Some(4534 + ((cm - 75.0) / 3.0) as u32)
}

/// Heights in datum `from` plus `metres` are heights in the dataset's datum.
#[derive(Debug, Clone, PartialEq)]
pub struct HeightOffset {
    /// The datum the heights are given in.
    pub from: HeightDatum,
    /// Added to each height.
    pub metres: f64,
}

impl HeightOffset {
    /// Reads `DATUM=±metres`, e.g. `EPSG:5736=-0.029` (1956 Yellow Sea heights are 29 mm
    /// higher than 1985 heights of the same point, in the usual national figure).
    ///
    /// ```
    /// use strata::io::transform::HeightOffset;
    /// use strata::model::frame::HeightDatum;
    /// let o = HeightOffset::parse("EPSG:5736=-0.029").unwrap();
    /// assert_eq!(o.from, HeightDatum::Epsg(5736));
    /// assert_eq!(o.metres, -0.029);
    /// ```
    pub fn parse(s: &str) -> Result<HeightOffset, String> {
        let (d, m) = s
            .rsplit_once('=')
            .ok_or_else(|| format!("`{s}`: expected DATUM=±metres, e.g. EPSG:5736=-0.029"))?;
        let metres: f64 = m
            .trim()
            .trim_start_matches('+')
            .parse()
            .map_err(|_| format!("`{s}`: `{m}` is not a number of metres"))?;
        if !metres.is_finite() || metres.abs() > 1000.0 {
            return Err(format!(
                "`{s}`: an offset between height datums is a few metres at most"
            ));
        }
        Ok(HeightOffset {
            from: HeightDatum::parse(d),
            metres,
        })
    }
}

impl fmt::Display for HeightOffset {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}{:+}", self.from, self.metres)
    }
}

/// A horizontal transformation between two CRSs, in the GIS axis order (x = easting or
/// longitude, y = northing or latitude) whatever the CRS definitions say.
pub struct Reprojection {
    #[cfg(feature = "gdal")]
    inner: gdal::spatial_ref::CoordTransform,
    /// Source EPSG code.
    pub from: u32,
    /// Target EPSG code.
    pub to: u32,
}

impl fmt::Debug for Reprojection {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Reprojection(EPSG:{} → EPSG:{})", self.from, self.to)
    }
}

#[cfg(feature = "gdal")]
impl Reprojection {
    /// A transformation from EPSG `from` to EPSG `to`, through PROJ.
    pub fn new(from: u32, to: u32) -> Result<Reprojection, String> {
        use gdal::spatial_ref::{AxisMappingStrategy, CoordTransform, SpatialRef};
        let srs = |c: u32| -> Result<SpatialRef, String> {
            let mut s = SpatialRef::from_epsg(c).map_err(|e| format!("EPSG:{c}: {e}"))?;
            s.set_axis_mapping_strategy(AxisMappingStrategy::TraditionalGisOrder);
            Ok(s)
        };
        let inner = CoordTransform::new(&srs(from)?, &srs(to)?)
            .map_err(|e| format!("no transformation from EPSG:{from} to EPSG:{to}: {e}"))?;
        Ok(Reprojection { inner, from, to })
    }

    /// Transforms one position.
    pub fn apply(&self, x: f64, y: f64) -> Result<(f64, f64), String> {
        let (mut xs, mut ys, mut zs) = ([x], [y], [0.0]);
        self.inner
            .transform_coords(&mut xs, &mut ys, &mut zs)
            .map_err(|e| format!("({x}, {y}) cannot be transformed: {e}"))?;
        if !(xs[0].is_finite() && ys[0].is_finite()) {
            return Err(format!("({x}, {y}) has no image in EPSG:{}", self.to));
        }
        Ok((xs[0], ys[0]))
    }
}

#[cfg(not(feature = "gdal"))]
impl Reprojection {
    /// Reprojection needs GDAL/PROJ: without the `gdal` feature it is refused.
    pub fn new(from: u32, to: u32) -> Result<Reprojection, String> {
        Err(format!(
            "reprojecting EPSG:{from} to EPSG:{to} needs PROJ: build Strata with `--features gdal` (needs libgdal-dev)"
        ))
    }

    /// Never called: [`Reprojection::new`] fails without GDAL.
    pub fn apply(&self, x: f64, y: f64) -> Result<(f64, f64), String> {
        Ok((x, y))
    }
}

/// The longitude of a position given in EPSG `crs`, for choosing a Gauss-Krüger zone.
pub fn longitude_of(crs: u32, x: f64, y: f64) -> Result<f64, String> {
    if crs == 4326 || crs == 4490 {
        return Ok(x);
    }
    Reprojection::new(crs, 4490)?.apply(x, y).map(|p| p.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn zones_cover_china_and_only_china() {
        assert_eq!(gauss_kruger_3_degree(75.0), Some(4534));
        assert_eq!(gauss_kruger_3_degree(135.0), Some(4554));
        assert_eq!(gauss_kruger_3_degree(73.4), None); // 72°E: west of the listed zones
        assert_eq!(gauss_kruger_3_degree(118.49), Some(4548));
        assert_eq!(gauss_kruger_3_degree(118.51), Some(4549));
    }

    #[test]
    fn offsets_are_read_with_sign_and_datum() {
        let o = HeightOffset::parse("1956黄海高程系=+0.029").unwrap();
        assert_eq!(o.from, HeightDatum::Epsg(5736));
        assert_eq!(o.metres, 0.029);
        assert!(HeightOffset::parse("EPSG:5736").is_err());
        assert!(HeightOffset::parse("EPSG:5736=abc").is_err());
        assert!(HeightOffset::parse("EPSG:5736=1e9").is_err());
    }

    /// CGCS2000 Gauss-Krüger by the Transverse Mercator series (Snyder, *Map Projections: A
    /// Working Manual*, eq. 8-9, 8-10 and 3-21), independent of PROJ: good to a millimetre
    /// within a 3-degree zone.
    #[cfg(feature = "gdal")]
    fn gauss_kruger_series(lon: f64, lat: f64, cm: f64) -> (f64, f64) {
        let a = 6_378_137.0_f64;
        let f = 1.0 / 298.257_222_101;
        let e2 = f * (2.0 - f);
        let phi = lat.to_radians();
        let dl = (lon - cm).to_radians();
        let (s, c, t) = (phi.sin(), phi.cos(), phi.tan());
        let n = a / (1.0 - e2 * s * s).sqrt();
        let eta2 = e2 / (1.0 - e2) * c * c;
        let m = a
            * ((1.0 - e2 / 4.0 - 3.0 * e2.powi(2) / 64.0 - 5.0 * e2.powi(3) / 256.0) * phi
                - (3.0 * e2 / 8.0 + 3.0 * e2.powi(2) / 32.0 + 45.0 * e2.powi(3) / 1024.0)
                    * (2.0 * phi).sin()
                + (15.0 * e2.powi(2) / 256.0 + 45.0 * e2.powi(3) / 1024.0) * (4.0 * phi).sin()
                - 35.0 * e2.powi(3) / 3072.0 * (6.0 * phi).sin());
        let x = n * c * dl + n * c.powi(3) * dl.powi(3) / 6.0 * (1.0 - t * t + eta2);
        let y = m
            + n * t * c * c * dl * dl / 2.0
            + n * t * c.powi(4) * dl.powi(4) / 24.0 * (5.0 - t * t + 9.0 * eta2);
        (500_000.0 + x, y)
    }

    #[cfg(feature = "gdal")]
    #[test]
    fn reprojection_matches_the_transverse_mercator_series() {
        // Tiananmen and a point near a zone edge, in CGCS2000 / 3-degree GK CM 117E.
        let r = Reprojection::new(4490, 4548).unwrap();
        for (lon, lat) in [(116.3975, 39.9087), (118.45, 31.2)] {
            let (x, y) = r.apply(lon, lat).unwrap();
            let (ex, ey) = gauss_kruger_series(lon, lat, 117.0);
            assert!(
                (x - ex).abs() < 0.005 && (y - ey).abs() < 0.005,
                "({x}, {y}) vs ({ex}, {ey})"
            );
            assert!((longitude_of(4548, x, y).unwrap() - lon).abs() < 1e-9);
        }
    }
}
