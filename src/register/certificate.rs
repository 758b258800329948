//! Certificate numbers: `京(2026)通州区不动产权第0000001号` for a title (不动产权证书) and
//! `京(2026)通州区不动产证明第0000001号` for a proof (不动产登记证明), numbered per county and
//! year from 1, never twice.

use super::backend::{Change, View};
use super::error::RegisterError;
use super::record::{CertificateKind, Counter, Kind, Record};

/// Abbreviations (简称) of the provincial-level divisions, by the first two digits of a
/// division code (GB/T 2260).
const PROVINCES: [(&str, &str); 34] = [
    ("11", "京"),
    ("12", "津"),
    ("13", "冀"),
    ("14", "晋"),
    ("15", "蒙"),
    ("21", "辽"),
    ("22", "吉"),
    ("23", "黑"),
    ("31", "沪"),
    ("32", "苏"),
    ("33", "浙"),
    ("34", "皖"),
    ("35", "闽"),
    ("36", "赣"),
    ("37", "鲁"),
    ("41", "豫"),
    ("42", "鄂"),
    ("43", "湘"),
    ("44", "粤"),
    ("45", "桂"),
    ("46", "琼"),
    ("50", "渝"),
    ("51", "川"),
    ("52", "贵"),
    ("53", "云"),
    ("54", "藏"),
    ("61", "陕"),
    ("62", "甘"),
    ("63", "青"),
    ("64", "宁"),
    ("65", "新"),
    ("71", "台"),
    ("81", "港"),
    ("82", "澳"),
];

/// The districts of Beijing (GB/T 2260).
const BEIJING: [(&str, &str); 16] = [
    ("110101", "东城区"),
    ("110102", "西城区"),
    ("110105", "朝阳区"),
    ("110106", "丰台区"),
    ("110107", "石景山区"),
    ("110108", "海淀区"),
    ("110109", "门头沟区"),
    ("110111", "房山区"),
    ("110112", "通州区"),
    ("110113", "顺义区"),
    ("110114", "昌平区"),
    ("110115", "大兴区"),
    ("110116", "怀柔区"),
    ("110117", "平谷区"),
    ("110118", "密云区"),
    ("110119", "延庆区"),
];

/// The name of county `county` (six digits) on a certificate: the district's name where it
/// is known, else the code.
pub fn county_name(county: &str) -> String {
    BEIJING
        .iter()
        .find(|(c, _)| *c == county)
        .map_or_else(|| county.to_string(), |(_, n)| n.to_string())
}

/// The province's abbreviation for county `county`.
pub fn province(county: &str) -> &'static str {
    PROVINCES
        .iter()
        .find(|(p, _)| county.starts_with(p))
        .map_or("", |(_, a)| a)
}

/// Formats certificate number `n` of `kind` in county `county` and `year`.
pub fn format(county: &str, year: i16, kind: CertificateKind, n: u32) -> String {
    format_with(NATIONAL, county, year, kind, n)
}

/// The national form of a certificate number.
pub const NATIONAL: &str = "{province}({year}){county}{kind}第{serial}号";

/// The placeholders of a certificate-number pattern: the province's abbreviation, the year,
/// the county's name and code, 不动产权 or 不动产证明, the number (seven digits).
pub const PLACEHOLDERS: [&str; 6] = [
    "{province}",
    "{year}",
    "{county}",
    "{county_code}",
    "{kind}",
    "{serial}",
];

/// Checks an office's pattern: it holds `{serial}` (numbers must differ) and no placeholder
/// Strata does not know; the reason otherwise.
///
/// ```
/// use strata::register::certificate::check_pattern;
/// assert!(check_pattern("{county_code}-{year}-{serial}").is_ok());
/// assert!(check_pattern("{county}{kind}").is_err());
/// assert!(check_pattern("{serial}{month}").is_err());
/// ```
pub fn check_pattern(pattern: &str) -> Result<(), String> {
    if !pattern.contains("{serial}") {
        return Err(format!(
            "\"{pattern}\" has no {{serial}}: every number must differ"
        ));
    }
    let mut rest = pattern;
    while let Some(at) = rest.find('{') {
        let end = rest[at..]
            .find('}')
            .ok_or_else(|| format!("\"{pattern}\": an unclosed {{"))?;
        let p = &rest[at..at + end + 1];
        if !PLACEHOLDERS.contains(&p) {
            return Err(format!(
                "\"{pattern}\": unknown placeholder {p}; known: {}",
                PLACEHOLDERS.join(" ")
            ));
        }
        rest = &rest[at + end + 1..];
    }
    Ok(())
}

/// A certificate number in `pattern`.
pub fn format_with(
    pattern: &str,
    county: &str,
    year: i16,
    kind: CertificateKind,
    n: u32,
) -> String {
    let word = match kind {
        CertificateKind::Title => "不动产权",
        CertificateKind::Proof => "不动产证明",
    };
    pattern
        .replace("{province}", province(county))
        .replace("{year}", &year.to_string())
        .replace("{county_code}", county)
        .replace("{county}", &county_name(county))
        .replace("{kind}", word)
        .replace("{serial}", &format!("{n:07}"))
}

/// The next certificate number for unit `unit` (its county is its first six characters) in
/// `year`, in the office's `pattern` (the national form when `None`), and the change that
/// uses it up.
pub fn next<V: View + ?Sized>(
    v: &V,
    unit: &str,
    kind: CertificateKind,
    year: i16,
    pattern: Option<&str>,
) -> Result<(String, Change), RegisterError> {
    let county: String = unit.chars().take(6).collect();
    let kind_key = match kind {
        CertificateKind::Title => "title",
        CertificateKind::Proof => "proof",
    };
    let key = format!("cert:{county}:{year}:{kind_key}");
    let last = match v.live(Kind::Counter, &key)? {
        Some(Record::Counter(c)) => c.last,
        _ => 0,
    };
    let n = last + 1;
    let change = Change::Put {
        key,
        record: Record::Counter(Counter { last: n }),
        fresh: last == 0,
    };
    let number = format_with(pattern.unwrap_or(NATIONAL), &county, year, kind, n);
    Ok((number, change))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_read_as_on_a_beijing_certificate() {
        assert_eq!(
            format("110112", 2026, CertificateKind::Title, 1),
            "京(2026)通州区不动产权第0000001号"
        );
        assert_eq!(
            format("110108", 2027, CertificateKind::Proof, 42),
            "京(2027)海淀区不动产证明第0000042号"
        );
        assert_eq!(
            format("440106", 2026, CertificateKind::Title, 7),
            "粤(2026)440106不动产权第0000007号"
        );
    }
}
