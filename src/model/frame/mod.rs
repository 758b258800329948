//! Reference frames: the horizontal CRS and the height datum, kept separate.
//!
//! Horizontal coordinates are metres in a projected CRS (x = easting, y = northing);
//! elevations are metres in a named height datum. Surveyors' tables print the surveying
//! order (X = northing, Y = easting); every output says which order it uses.

use std::fmt;

use serde::Serialize;

mod vertical;

/// A horizontal coordinate reference system, named by its EPSG code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(into = "String")]
pub struct Crs {
    /// The EPSG code, e.g. 4548.
    pub epsg: u32,
}

impl From<Crs> for String {
    fn from(c: Crs) -> String {
        c.to_string()
    }
}

impl fmt::Display for Crs {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "EPSG:{}", self.epsg)
    }
}

/// What Strata knows of a CRS.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CrsKind {
    /// Projected, in metres, suitable for cadastral geometry.
    Projected {
        /// A name for messages.
        name: &'static str,
        /// The false easting's zone prefix (3-degree or 6-degree Gauss-Krüger zone number
        /// written before the easting), when the CRS uses one.
        zone_prefix: Option<u32>,
    },
    /// Longitude and latitude in degrees: never metres.
    Geographic {
        /// A name for messages.
        name: &'static str,
    },
    /// A compound CRS whose horizontal part is projected (e.g. RD New + NAP height).
    CompoundProjected {
        /// A name for messages.
        name: &'static str,
        /// The height datum it carries.
        vertical: u32,
    },
    /// Not in Strata's table.
    Unknown,
}

impl Crs {
    /// What Strata knows of this CRS.
    pub fn kind(&self) -> CrsKind {
        let e = self.epsg;
        match e {
            4491..=4501 => CrsKind::Projected {
                name: "CGCS2000 / Gauss-Kruger 6-degree zone",
                zone_prefix: Some(e - 4491 + 13),
            },
            4502..=4512 => CrsKind::Projected {
                name: "CGCS2000 / Gauss-Kruger 6-degree CM",
                zone_prefix: None,
            },
            4513..=4533 => CrsKind::Projected {
                name: "CGCS2000 / 3-degree Gauss-Kruger zone",
                zone_prefix: Some(e - 4513 + 25),
            },
            4534..=4554 => CrsKind::Projected {
                name: "CGCS2000 / 3-degree Gauss-Kruger CM",
                zone_prefix: None,
            },
            2327..=2348 => CrsKind::Projected {
                name: "Xian 1980 / Gauss-Kruger zone",
                zone_prefix: Some(e - 2327 + 13),
            },
            2349..=2369 => CrsKind::Projected {
                name: "Xian 1980 / 3-degree Gauss-Kruger zone",
                zone_prefix: Some(e - 2349 + 25),
            },
            2370..=2390 => CrsKind::Projected {
                name: "Xian 1980 / 3-degree Gauss-Kruger CM",
                zone_prefix: None,
            },
            2401..=2421 => CrsKind::Projected {
                name: "Beijing 1954 / 3-degree Gauss-Kruger zone",
                zone_prefix: Some(e - 2401 + 25),
            },
            2422..=2442 => CrsKind::Projected {
                name: "Beijing 1954 / 3-degree Gauss-Kruger CM",
                zone_prefix: None,
            },
            32601..=32660 | 32701..=32760 => CrsKind::Projected {
                name: "WGS 84 / UTM",
                zone_prefix: None,
            },
            25828..=25838 => CrsKind::Projected {
                name: "ETRS89 / UTM",
                zone_prefix: None,
            },
            28992 => CrsKind::Projected {
                name: "Amersfoort / RD New",
                zone_prefix: None,
            },
            2056 => CrsKind::Projected {
                name: "CH1903+ / LV95",
                zone_prefix: None,
            },
            7415 => CrsKind::CompoundProjected {
                name: "Amersfoort / RD New + NAP height",
                vertical: 5709,
            },
            4326 | 4490 | 4214 | 4610 | 4258 | 4979 | 4978 | 4480 | 4479 => CrsKind::Geographic {
                name: "geographic (longitude/latitude in degrees)",
            },
            _ => CrsKind::Unknown,
        }
    }

    /// True for a CRS in degrees.
    pub fn is_geographic(&self) -> bool {
        matches!(self.kind(), CrsKind::Geographic { .. })
    }
}

/// A height datum: an EPSG vertical CRS or a name as given.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
#[serde(into = "String")]
pub enum HeightDatum {
    /// An EPSG vertical CRS, e.g. 5737 (Yellow Sea 1985 height, 1985国家高程基准).
    Epsg(u32),
    /// A datum given by name only.
    Named(String),
}

impl From<HeightDatum> for String {
    fn from(d: HeightDatum) -> String {
        d.to_string()
    }
}

impl fmt::Display for HeightDatum {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            HeightDatum::Epsg(c) => write!(f, "EPSG:{c}"),
            HeightDatum::Named(n) => f.write_str(n),
        }
    }
}

/// Height systems in use in China that the EPSG dataset does not list: (canonical name, the
/// words that name it).
const LOCAL_HEIGHT_SYSTEMS: [(&str, &[&str]); 4] = [
    ("吴淞高程基准 (Wusong height datum)", &["吴淞", "wusong"]),
    ("大沽高程基准 (Dagu height datum)", &["大沽", "dagu"]),
    (
        "珠江高程基准 (Pearl River height datum)",
        &["珠江", "pearl river", "zhujiang"],
    ),
    (
        "废黄河高程系 (old Yellow River height system)",
        &["废黄河", "old yellow river"],
    ),
];

impl HeightDatum {
    /// Reads a datum: an EPSG reference in any of the forms [`parse_epsg`] accepts, a known
    /// name (`1985国家高程基准`, `1985 National Height Datum`, `Yellow Sea 1985`,
    /// `1956黄海高程系`, the local systems `吴淞`, `大沽`, `珠江`, `废黄河`), or any other text
    /// kept verbatim, which [`HeightDatum::is_known`] then refuses.
    pub fn parse(s: &str) -> HeightDatum {
        let t = s.trim();
        if let Some(c) = parse_epsg(t) {
            return HeightDatum::Epsg(c);
        }
        let lower = t.to_lowercase();
        if t.contains("1985")
            && (t.contains("国家高程")
                || lower.contains("national height")
                || lower.contains("yellow sea"))
        {
            return HeightDatum::Epsg(5737);
        }
        if t.contains("1956") && (t.contains("黄海") || lower.contains("yellow sea")) {
            return HeightDatum::Epsg(5736);
        }
        for (name, words) in LOCAL_HEIGHT_SYSTEMS {
            if words.iter().any(|w| lower.contains(w)) {
                return HeightDatum::Named(name.to_string());
            }
        }
        HeightDatum::Named(t.to_string())
    }

    /// The name of the vertical CRS: from the EPSG dataset for a code, from the local
    /// systems for a name; `None` when the datum is not a vertical CRS Strata knows (a
    /// horizontal CRS's code, an unknown code, any other text).
    ///
    /// ```
    /// use strata::model::HeightDatum;
    /// assert_eq!(HeightDatum::parse("EPSG:5737").vertical_name(), Some("Yellow Sea 1985 height"));
    /// assert_eq!(HeightDatum::parse("EPSG:4548").vertical_name(), None);
    /// assert_eq!(HeightDatum::parse("banana").vertical_name(), None);
    /// ```
    pub fn vertical_name(&self) -> Option<&'static str> {
        match self {
            HeightDatum::Epsg(c) => vertical::VERTICAL_CRS
                .binary_search_by_key(c, |e| e.0)
                .ok()
                .map(|i| vertical::VERTICAL_CRS[i].1),
            HeightDatum::Named(n) => LOCAL_HEIGHT_SYSTEMS
                .iter()
                .find(|(name, _)| name == n)
                .map(|(name, _)| *name),
        }
    }

    /// True when the datum is a vertical CRS Strata knows.
    pub fn is_known(&self) -> bool {
        self.vertical_name().is_some()
    }

    /// Why the datum is refused, for messages.
    pub fn problem(&self) -> Option<String> {
        if self.is_known() {
            return None;
        }
        let what = match self {
            HeightDatum::Epsg(c) if (Crs { epsg: *c }).kind() != CrsKind::Unknown => {
                format!("EPSG:{c} is a horizontal CRS, not a height datum")
            }
            HeightDatum::Epsg(c) => {
                format!("EPSG:{c} is not a vertical CRS of the EPSG dataset")
            }
            HeightDatum::Named(n) => format!(
                "\"{}\" is not a height datum Strata knows",
                crate::diagnostics::clip(n)
            ),
        };
        Some(format!(
            "{what}: name a vertical CRS, e.g. EPSG:5737 (1985国家高程基准, Yellow Sea 1985 height) or EPSG:5736 (1956黄海高程系)"
        ))
    }

    /// A readable name: `EPSG:5737 Yellow Sea 1985 height (1985国家高程基准)`.
    pub fn describe(&self) -> String {
        match self {
            HeightDatum::Epsg(5737) => "EPSG:5737 Yellow Sea 1985 height (1985国家高程基准)".into(),
            HeightDatum::Epsg(5736) => "EPSG:5736 Yellow Sea 1956 height (1956黄海高程系)".into(),
            HeightDatum::Epsg(c) => match self.vertical_name() {
                Some(name) => format!("EPSG:{c} {name}"),
                None => format!("EPSG:{c}"),
            },
            HeightDatum::Named(n) => n.clone(),
        }
    }
}

/// The EPSG code in `EPSG:4548`, `urn:ogc:def:crs:EPSG::4548`, `urn:ogc:def:crs:EPSG:6.6:4548`
/// or `http(s)://www.opengis.net/def/crs/EPSG/0/4548`.
pub fn parse_epsg(s: &str) -> Option<u32> {
    let t = s.trim();
    let upper = t.to_ascii_uppercase();
    let tail = if let Some(r) = upper.strip_prefix("EPSG:") {
        r.to_string()
    } else if upper.starts_with("URN:OGC:DEF:CRS:EPSG:") {
        upper.rsplit(':').next()?.to_string()
    } else if (upper.starts_with("HTTP://") || upper.starts_with("HTTPS://"))
        && upper.contains("/DEF/CRS/EPSG/")
    {
        upper.trim_end_matches('/').rsplit('/').next()?.to_string()
    } else {
        return None;
    };
    tail.parse().ok()
}

/// A CRS reference that may be compound: returns (horizontal, vertical) EPSG codes. Accepts
/// the single forms of [`parse_epsg`], the OGC compound URL
/// `…/def/crs-compound?1=…/EPSG/0/4548&2=…/EPSG/0/5737` and the URN
/// `urn:ogc:def:crs,crs:EPSG::4548,crs:EPSG::5737`.
pub fn parse_crs_reference(s: &str) -> Option<(Option<u32>, Option<u32>)> {
    let t = s.trim();
    if let Some(q) = t.split_once("crs-compound?").map(|x| x.1) {
        let mut codes = q
            .split('&')
            .filter_map(|kv| kv.split_once('=').and_then(|x| parse_epsg(x.1)));
        return Some((codes.next(), codes.next()));
    }
    if t.to_ascii_lowercase().starts_with("urn:ogc:def:crs,") {
        let mut codes = t
            .split(',')
            .skip(1)
            .filter_map(|p| parse_epsg(&format!("urn:ogc:def:{p}")));
        return Some((codes.next(), codes.next()));
    }
    let c = parse_epsg(t)?;
    match (Crs { epsg: c }).kind() {
        CrsKind::CompoundProjected { vertical, .. } => Some((Some(c), Some(vertical))),
        _ => Some((Some(c), None)),
    }
}

/// The frame of a dataset or a unit: horizontal CRS and height datum. Serialized as
/// `{"crs": "EPSG:4548", "height_datum": "EPSG:5737", "units": "metres"}` so that every
/// report says what its coordinates mean.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Frame {
    /// The horizontal CRS.
    pub crs: Option<Crs>,
    /// The height datum of elevations.
    pub height_datum: Option<HeightDatum>,
}

impl Serialize for Frame {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut st = s.serialize_struct("Frame", 3)?;
        st.serialize_field("crs", &self.crs.map(|c| c.to_string()))?;
        st.serialize_field(
            "height_datum",
            &self.height_datum.as_ref().map(ToString::to_string),
        )?;
        st.serialize_field("units", "metres")?;
        st.end()
    }
}

impl fmt::Display for Frame {
    /// `EPSG:4548, heights in EPSG:5737 Yellow Sea 1985 height (1985国家高程基准)`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.crs {
            Some(c) => write!(f, "{c}")?,
            None => f.write_str("no horizontal CRS named")?,
        }
        match &self.height_datum {
            Some(d) => write!(f, ", heights in {}", d.describe()),
            None => f.write_str(", no height datum named"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_every_crs_form() {
        for s in [
            "EPSG:4548",
            "urn:ogc:def:crs:EPSG::4548",
            "urn:ogc:def:crs:EPSG:6.6:4548",
            "https://www.opengis.net/def/crs/EPSG/0/4548",
            "http://www.opengis.net/def/crs/EPSG/0/4548",
        ] {
            assert_eq!(parse_epsg(s), Some(4548), "{s}");
        }
        assert_eq!(
            parse_crs_reference(
                "https://www.opengis.net/def/crs-compound?1=https://www.opengis.net/def/crs/EPSG/0/4548&2=https://www.opengis.net/def/crs/EPSG/0/5737"
            ),
            Some((Some(4548), Some(5737)))
        );
        assert_eq!(
            parse_crs_reference("urn:ogc:def:crs,crs:EPSG::4548,crs:EPSG::5737"),
            Some((Some(4548), Some(5737)))
        );
        assert_eq!(
            parse_crs_reference("EPSG:7415"),
            Some((Some(7415), Some(5709)))
        );
        assert_eq!(parse_epsg("CGCS2000"), None);
    }

    #[test]
    fn knows_cgcs2000_zones_and_degrees() {
        assert!(matches!(
            Crs { epsg: 4548 }.kind(),
            CrsKind::Projected {
                zone_prefix: None,
                ..
            }
        ));
        assert!(matches!(
            Crs { epsg: 4527 }.kind(),
            CrsKind::Projected {
                zone_prefix: Some(39),
                ..
            }
        ));
        assert!(Crs { epsg: 4490 }.is_geographic());
        assert!(Crs { epsg: 4326 }.is_geographic());
    }

    #[test]
    fn height_datum_names() {
        assert_eq!(
            HeightDatum::parse("1985国家高程基准"),
            HeightDatum::Epsg(5737)
        );
        assert_eq!(HeightDatum::parse("EPSG:5737"), HeightDatum::Epsg(5737));
        assert_eq!(
            HeightDatum::parse("1985 National Height Datum"),
            HeightDatum::Epsg(5737)
        );
        assert_eq!(
            HeightDatum::parse("local"),
            HeightDatum::Named("local".into())
        );
        assert!(!HeightDatum::parse("local").is_known());
        assert!(HeightDatum::parse("吴淞高程").is_known());
        assert!(HeightDatum::parse("EPSG:5709").is_known());
        assert!(!HeightDatum::parse("EPSG:4548").is_known());
        assert!(
            HeightDatum::parse("EPSG:4548")
                .problem()
                .unwrap()
                .contains("horizontal")
        );
        assert!(
            HeightDatum::parse("banana")
                .problem()
                .unwrap()
                .contains("\"banana\"")
        );
    }
}
