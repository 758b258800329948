//! Verifying a certificate offline (核验): the office's signature, the identifier's check
//! character, the PDF's hash, that the register issued it and still holds it as current, and
//! that the certified volume is the register's current geometry.

use jiff::Timestamp;
use serde::Serialize;

use crate::register::Store;
use crate::register::record::{Kind, Record, UnitStatus};

use super::CertError;
use super::check::is_valid;
use super::record::{ECert, parse_short_form, sha256_hex, volume_hash};
use super::seal::{Verifier, decode};

/// Where a genuine certificate stands in the register.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum Standing {
    /// The register holds it as current.
    Current,
    /// Replaced by another certificate (after a transfer or a change).
    Superseded {
        /// 业务号 of the act that replaced it.
        act: String,
        /// When.
        at: Timestamp,
        /// The certificates that act issued for the unit.
        by: Vec<String>,
    },
    /// Ended with no successor: the unit or right was cancelled.
    Cancelled {
        /// 业务号 of the act that ended it.
        act: String,
        /// When.
        at: Timestamp,
    },
}

/// A certificate that passed every check, and where it stands.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Verified {
    /// 证书号.
    pub number: String,
    /// 证照标识.
    pub id: String,
    /// The unit.
    pub unit: String,
    /// Where it stands.
    pub standing: Standing,
}

fn invalid(reason: impl Into<String>) -> CertError {
    CertError::Invalid {
        reason: reason.into(),
    }
}

/// Verifies an electronic certificate and, when given, the PDF it describes.
pub fn verify_ecert<S: Store + ?Sized>(
    reg: &S,
    key: &dyn Verifier,
    cert: &ECert,
    pdf: Option<&[u8]>,
) -> Result<Verified, CertError> {
    let r = &cert.record;
    if cert.seal.algorithm != key.algorithm() || cert.seal.key_id != key.key_id() {
        return Err(invalid(format!(
            "sealed with {} key {}, not with the given {} key {}",
            cert.seal.algorithm,
            cert.seal.key_id,
            key.algorithm(),
            key.key_id()
        )));
    }
    let sig = decode(&cert.seal.signature).ok_or_else(|| invalid("the seal is not base64url"))?;
    if !key.verify(&r.canonical(), &sig) {
        return Err(invalid(
            "the office's signature does not match the record: the record was changed",
        ));
    }
    if let Some(bytes) = pdf {
        let got = sha256_hex(bytes);
        if r.pdf_sha256.as_deref() != Some(got.as_str()) {
            return Err(invalid(format!(
                "the PDF is not the certified one: its SHA-256 is {got}, the record's {}",
                r.pdf_sha256.as_deref().unwrap_or("none")
            )));
        }
    }
    against_register(reg, &r.id, &r.number, &r.unit, &r.volume_sha256)
}

/// Verifies the payload of a certificate's QR code.
pub fn verify_qr<S: Store + ?Sized>(
    reg: &S,
    key: &dyn Verifier,
    payload: &str,
) -> Result<Verified, CertError> {
    let f = parse_short_form(payload).ok_or_else(|| invalid("not a Strata certificate code"))?;
    if f.key_id != key.key_id() {
        return Err(invalid(format!(
            "sealed with key {}, not with the given key {}",
            f.key_id,
            key.key_id()
        )));
    }
    let sig = decode(&f.signature).ok_or_else(|| invalid("the seal is not base64url"))?;
    if !key.verify(f.signed.as_bytes(), &sig) {
        return Err(invalid(
            "the office's signature does not match the code: the code was changed",
        ));
    }
    against_register(reg, &f.id, &f.number, &f.unit, &f.volume_sha256)
}

fn against_register<S: Store + ?Sized>(
    reg: &S,
    id: &str,
    number: &str,
    unit: &str,
    volume: &str,
) -> Result<Verified, CertError> {
    if !is_valid(id) {
        return Err(invalid(format!("identifier {id}: wrong check character")));
    }
    let versions = reg.versions(Kind::Certificate, number)?;
    let issued = versions
        .iter()
        .find(|v| matches!(&v.record, Record::Certificate(c) if c.unit == unit))
        .ok_or_else(|| {
            invalid(format!(
                "the register issued no certificate {number} for unit {unit}"
            ))
        })?;
    let standing = match issued.end {
        None => Standing::Current,
        Some(seq) => ended(reg, unit, seq)?,
    };
    if standing == Standing::Current {
        let current = match reg.live(Kind::Unit, unit)? {
            Some(Record::Unit(u)) => u.volume.as_ref().map(volume_hash),
            _ => None,
        };
        if current.as_deref() != Some(volume) {
            return Err(invalid(format!(
                "the registered volume of {unit} is not the certified one: SHA-256 {} in the register, {volume} on the certificate",
                current.as_deref().unwrap_or("none")
            )));
        }
    }
    Ok(Verified {
        number: number.into(),
        id: id.into(),
        unit: unit.into(),
        standing,
    })
}

/// How a certificate ended at act `seq`: replaced when that act issued another for the unit.
fn ended<S: Store + ?Sized>(reg: &S, unit: &str, seq: u64) -> Result<Standing, CertError> {
    let e = reg.entries(seq, seq)?;
    let (act, at) = e
        .first()
        .map(|e| (e.act.number.clone(), e.recorded_at))
        .unwrap_or_else(|| (seq.to_string(), Timestamp::UNIX_EPOCH));
    let by: Vec<String> = reg
        .unit_versions(unit)?
        .into_iter()
        .filter(|v| v.begin == seq)
        .filter_map(|v| match v.record {
            Record::Certificate(c) => Some(c.number),
            _ => None,
        })
        .collect();
    let retired = matches!(reg.live(Kind::Unit, unit)?, Some(Record::Unit(u)) if u.status == UnitStatus::Retired)
        || !matches!(reg.live(Kind::Unit, unit)?, Some(Record::Unit(_)));
    Ok(if by.is_empty() || retired {
        Standing::Cancelled { act, at }
    } else {
        Standing::Superseded { act, at, by }
    })
}
