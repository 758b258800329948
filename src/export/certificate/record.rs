//! The certificate record: every field of a 不动产权证书 for one layer, read from the register,
//! in a canonical form that the office signs (GB/T 36901–36905's metadata: name, type code,
//! identifier, issuer, date, holder), and the short form its QR code carries.

use jiff::Timestamp;
use jiff::civil::Date;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::export::sheet::ParcelMap;
use crate::export::sheet::content::SIXTO_ORDER;
use crate::register::Store;
use crate::register::geometry::VolumeData;
use crate::register::page::grouped;
use crate::register::record::{Certificate, CertificateKind, Kind};
use crate::register::rules::china_date;

use super::CertError;
use super::check::check_char;
use super::seal::{Signer, encode, hex};

/// The version of the record's form.
pub const SCHEMA: &str = "strata-ecert/1";

/// The first field of a QR payload.
pub const QR_TAG: &str = "STRATA-EC1";

/// A holder on the certificate.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Holder {
    /// 权利人.
    pub name: String,
    /// 证件号 (the party's identifier).
    pub id: String,
    /// Its share, when held in shares (`1/3`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub share: Option<String>,
}

/// The vertical bounds of the layer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct VerticalBounds {
    /// 下界 (m).
    pub lower: f64,
    /// 上界 (m).
    pub upper: f64,
    /// The height datum they are measured in.
    pub datum: String,
}

/// Every field of one certificate.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CertRecord {
    /// [`SCHEMA`].
    pub schema: String,
    /// 证照名称: 不动产权证书 or 不动产登记证明.
    pub name: String,
    /// 证照类型代码: `BDCQZ` (title) or `BDCZM` (proof).
    pub type_code: String,
    /// 证照标识: type code, county, year and number, ending in its ISO 7064 MOD 37,36 check
    /// character.
    pub id: String,
    /// 证书号: `京(2024)海淀区不动产权第0000001号`.
    pub number: String,
    /// 颁发机构.
    pub issuer: String,
    /// 颁发日期: the day of the act that issued it (China time).
    pub issued: Date,
    /// 业务号 of that act.
    pub act: String,
    /// 持证主体 / 权利人.
    pub holders: Vec<Holder>,
    /// 共有情况.
    pub sharing: String,
    /// 坐落.
    pub location: String,
    /// 不动产单元号 (28 characters).
    pub unit: String,
    /// 权利类型.
    pub right_type: String,
    /// 权利性质.
    pub nature: String,
    /// 用途.
    pub usage: String,
    /// 面积: the footprint (m²).
    pub area_m2: f64,
    /// The volume (m³).
    pub volume_m3: f64,
    /// 使用期限, from.
    pub term_start: Option<Date>,
    /// 使用期限, to.
    pub term_end: Option<Date>,
    /// 权利设定方式: 地上 / 地表 / 地下.
    pub stratum: String,
    /// The layer's bounds.
    pub bounds: VerticalBounds,
    /// The 六至, one line per direction (up, down, east, south, west, north).
    pub sixto: Vec<String>,
    /// 附记.
    pub note: Option<String>,
    /// SHA-256 (hex) of the unit's canonical volume: [`volume_hash`].
    pub volume_sha256: String,
    /// SHA-256 (hex) of the certificate's PDF.
    pub pdf_sha256: Option<String>,
}

/// The office's seal on a record.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SealMark {
    /// `Ed25519`, …
    pub algorithm: String,
    /// The key's identifier.
    pub key_id: String,
    /// The signature of the record's canonical form, base64url.
    pub signature: String,
}

/// An electronic certificate: the record and the office's seal on it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ECert {
    /// The record.
    pub record: CertRecord,
    /// The seal.
    pub seal: SealMark,
}

impl CertRecord {
    /// The bytes signed: compact JSON in the fields' fixed order.
    pub fn canonical(&self) -> Vec<u8> {
        serde_json::to_vec(self).unwrap_or_default()
    }

    /// The record sealed by `signer`.
    pub fn seal(self, signer: &dyn Signer) -> ECert {
        let signature = encode(&signer.sign(&self.canonical()));
        ECert {
            seal: SealMark {
                algorithm: signer.algorithm().into(),
                key_id: signer.key_id(),
                signature,
            },
            record: self,
        }
    }

    /// The part of the QR code's payload that is signed.
    fn short_fields(&self, key_id: &str, url: &str) -> String {
        [
            QR_TAG,
            &self.id,
            &self.number,
            &self.unit,
            &self.volume_sha256,
            key_id,
            url,
        ]
        .join("|")
    }

    /// The QR code's payload: the identifier, number, unit, volume hash, key and
    /// verification address, signed (`STRATA-EC1|id|number|unit|volume|key|url|signature`).
    pub fn short_form(&self, signer: &dyn Signer, url: &str) -> String {
        let fields = self.short_fields(&signer.key_id(), url);
        let sig = encode(&signer.sign(fields.as_bytes()));
        format!("{fields}|{sig}")
    }
}

/// The fields of a QR payload.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ShortForm {
    /// 证照标识.
    pub id: String,
    /// 证书号.
    pub number: String,
    /// The unit.
    pub unit: String,
    /// The volume's hash.
    pub volume_sha256: String,
    /// The signing key.
    pub key_id: String,
    /// Where to verify online (may be empty).
    pub url: String,
    /// The signed text.
    pub signed: String,
    /// The signature.
    pub signature: String,
}

/// Reads a QR payload.
pub fn parse_short_form(payload: &str) -> Option<ShortForm> {
    let (signed, signature) = payload.trim().rsplit_once('|')?;
    let f: Vec<&str> = signed.split('|').collect();
    if f.len() != 7 || f[0] != QR_TAG {
        return None;
    }
    Some(ShortForm {
        id: f[1].into(),
        number: f[2].into(),
        unit: f[3].into(),
        volume_sha256: f[4].into(),
        key_id: f[5].into(),
        url: f[6].into(),
        signed: signed.into(),
        signature: signature.into(),
    })
}

/// SHA-256 (hex) of bytes.
pub fn sha256_hex(bytes: &[u8]) -> String {
    hex(&Sha256::digest(bytes))
}

/// SHA-256 of a volume's canonical form: its JSON as the register stores it (parts in the
/// survey's order, coordinates as the shortest decimals that read back to the same numbers).
pub fn volume_hash(v: &VolumeData) -> String {
    sha256_hex(&serde_json::to_vec(v).unwrap_or_default())
}

/// 证照标识 of a certificate number issued in `year`: `BDCQZ` or `BDCZM`, the county, the
/// year and the number's serial (its last run of digits, seven wide), then the check
/// character. Any office pattern of numbers works, as long as the serial is its last digits.
///
/// ```
/// use strata::export::certificate::record::identifier;
/// use strata::register::record::CertificateKind;
/// let id = identifier("京(2024)海淀区不动产权第0000001号", "110108", 2024, CertificateKind::Title).unwrap();
/// assert_eq!(&id[..id.len() - 1], "BDCQZ11010820240000001");
/// assert!(strata::export::certificate::check::is_valid(&id));
/// let id = identifier("110108-2024-0000042", "110108", 2024, CertificateKind::Title).unwrap();
/// assert_eq!(&id[..id.len() - 1], "BDCQZ11010820240000042");
/// ```
pub fn identifier(number: &str, county: &str, year: i16, kind: CertificateKind) -> Option<String> {
    let digits: Vec<char> = number.chars().collect();
    let end = digits.iter().rposition(char::is_ascii_digit)? + 1;
    let start = digits[..end]
        .iter()
        .rposition(|c| !c.is_ascii_digit())
        .map_or(0, |i| i + 1);
    let serial: String = digits[start..end].iter().collect();
    if county.len() != 6 || !(0..=9999).contains(&year) || serial.len() > 7 {
        return None;
    }
    let body = format!("{}{county}{year:04}{serial:0>7}", type_code(kind));
    Some(format!("{body}{}", check_char(&body)?))
}

/// 证照类型代码.
pub fn type_code(kind: CertificateKind) -> &'static str {
    match kind {
        CertificateKind::Title => "BDCQZ",
        CertificateKind::Proof => "BDCZM",
    }
}

/// The certificate's issue: the act that opened its version.
fn issue_act<S: Store + ?Sized>(reg: &S, number: &str) -> Result<(String, Timestamp), CertError> {
    let v = reg
        .versions(Kind::Certificate, number)?
        .into_iter()
        .next()
        .ok_or_else(|| CertError::NotIssued {
            number: number.into(),
        })?;
    let e = reg.entries(v.begin, v.begin)?;
    let e = e.first().ok_or_else(|| CertError::NotIssued {
        number: number.into(),
    })?;
    Ok((e.act.number.clone(), e.recorded_at))
}

/// The current title certificate of the map's unit.
pub fn current_title(map: &ParcelMap) -> Result<Certificate, CertError> {
    map.page
        .certificates
        .iter()
        .rev()
        .find(|(c, current)| *current && c.kind == CertificateKind::Title)
        .map(|(c, _)| c.clone())
        .ok_or_else(|| CertError::NoCertificate {
            unit: map.unit.code.clone(),
        })
}

/// The record of the current title certificate of the map's unit, as the register holds it
/// (its PDF hash not yet known).
pub fn read<S: Store + ?Sized>(
    reg: &S,
    map: &ParcelMap,
    issuer: &str,
) -> Result<CertRecord, CertError> {
    let cert = current_title(map)?;
    let u = &map.page.unit;
    let entry = map
        .page
        .rights
        .iter()
        .rev()
        .find(|r| r.right.certificate == cert.number)
        .ok_or_else(|| CertError::NoCertificate {
            unit: u.code.clone(),
        })?;
    let r = &entry.right;
    let (act, at) = issue_act(reg, &cert.number)?;
    let holders = r
        .holders
        .holdings
        .iter()
        .map(|h| Holder {
            name: entry
                .holders
                .iter()
                .find(|p| p.id == h.party)
                .map_or_else(|| h.party.clone(), |p| p.name.clone()),
            id: h.party.clone(),
            share: h.share.map(|s| s.to_string()),
        })
        .collect();
    let m = u.measures;
    let volume = u.volume.as_ref().ok_or_else(|| CertError::NoCertificate {
        unit: u.code.clone(),
    })?;
    let county = u.code.get(..6).unwrap_or_default();
    let note = map
        .page
        .history
        .iter()
        .find(|h| h.number == act)
        .and_then(|h| h.note.clone());
    Ok(CertRecord {
        schema: SCHEMA.into(),
        name: "不动产权证书".into(),
        type_code: type_code(cert.kind).into(),
        id: identifier(&cert.number, county, china_date(at).year(), cert.kind).unwrap_or_default(),
        number: cert.number.clone(),
        issuer: issuer.into(),
        issued: china_date(at),
        act,
        holders,
        sharing: r.holders.sharing.name_zh().into(),
        location: [u.name.as_deref(), u.plot.as_deref()]
            .into_iter()
            .flatten()
            .collect::<Vec<_>>()
            .join(" · "),
        unit: u.code.clone(),
        right_type: r.right_type.clone(),
        nature: r.nature.name_zh().into(),
        usage: r.usage.clone(),
        area_m2: m.map_or(0.0, |m| round(m.footprint_m2, 1)),
        volume_m3: m.map_or(0.0, |m| round(m.volume_m3, 1)),
        term_start: r.term.start,
        term_end: r.term.end,
        stratum: u.stratum.name_zh().into(),
        bounds: VerticalBounds {
            lower: round(m.map_or(r.bounds.lower, |m| m.z_min), 3),
            upper: round(m.map_or(r.bounds.upper, |m| m.z_max), 3),
            datum: map.height_datum.clone(),
        },
        sixto: sixto_lines(map),
        note,
        volume_sha256: volume_hash(volume),
        pdf_sha256: None,
    })
}

fn round(v: f64, places: i32) -> f64 {
    let k = 10f64.powi(places);
    (v * k).round() / k
}

/// The 六至 as lines: each direction with its neighbours and shared areas, or open.
pub fn sixto_lines(map: &ParcelMap) -> Vec<String> {
    SIXTO_ORDER
        .iter()
        .filter_map(|d| map.sixto.iter().find(|r| r.direction == *d))
        .map(|r| {
            let what = if r.neighbours.is_empty() {
                format!("开放 open ({:.3})", r.limit)
            } else {
                r.neighbours
                    .iter()
                    .map(|(c, a)| format!("{} ({a:.1} m²)", grouped(c)))
                    .collect::<Vec<_>>()
                    .join("; ")
            };
            format!("{} {what}", r.direction.name_zh())
        })
        .collect()
}
