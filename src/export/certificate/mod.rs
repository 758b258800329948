//! Certificates (不动产权证书) per layer, paper and electronic: the record read from the
//! register, sealed by the office, printed with the 三维宗地图 as its drawing page and a QR
//! code, and verified offline against the register.
//!
//! ```no_run
//! # fn main() -> Result<(), Box<dyn std::error::Error>> {
//! use strata::export::certificate::{issue, seal::Ed25519Seal};
//! use strata::export::pdf::Fonts;
//! use strata::export::sheet::Profile;
//! use strata::register::SqliteRegister;
//! let reg = SqliteRegister::open_read_only("r.gpkg".as_ref())?;
//! let seal = Ed25519Seal::read("office.key".as_ref())?;
//! let issued = issue(&reg, "110108012004GX00001W00000000", &Profile::default(), &seal, &Fonts::load(None)?)?;
//! std::fs::write("cert.pdf", &issued.pdf)?;
//! # Ok(()) }
//! ```

pub mod check;
pub mod draw;
pub mod record;
pub mod seal;
pub mod verify;

use thiserror::Error;

use crate::export::pdf::{DocInfo, Fonts, PdfError, pdf};
use crate::export::sheet::{ParcelMap, Profile, SheetError};
use crate::register::{RegisterError, Store};

pub use record::{CertRecord, ECert};
pub use verify::{Standing, Verified, verify_ecert, verify_qr};

/// Why a certificate could not be made or did not verify.
#[derive(Debug, Error)]
pub enum CertError {
    /// The register could not be read.
    #[error(transparent)]
    Register(#[from] RegisterError),
    /// The map could not be read.
    #[error(transparent)]
    Sheet(#[from] SheetError),
    /// The PDF could not be written.
    #[error(transparent)]
    Pdf(#[from] PdfError),
    /// The unit holds no current title certificate.
    #[error("unit {unit}: no current 不动产权证书 in the register")]
    NoCertificate {
        /// The unit.
        unit: String,
    },
    /// The register never issued the certificate.
    #[error("certificate {number}: not issued by this register")]
    NotIssued {
        /// Its number.
        number: String,
    },
    /// A key file is unreadable or not a key.
    #[error("key {path}: {detail}")]
    Key {
        /// The file.
        path: String,
        /// Why.
        detail: String,
    },
    /// The QR code could not be made.
    #[error("QR code: {0}")]
    Qr(String),
    /// The certificate failed verification.
    #[error("not valid: {reason}")]
    Invalid {
        /// Which check failed, and how.
        reason: String,
    },
}

/// A certificate issued: the PDF, the sealed record (with the PDF's hash) and the payload
/// of its QR code.
#[derive(Debug, Clone)]
pub struct Issued {
    /// The PDF: the certificate page, then the 三维宗地图.
    pub pdf: Vec<u8>,
    /// The sealed record.
    pub ecert: ECert,
    /// What the QR code carries.
    pub qr: String,
}

/// Issues the current title certificate of `unit`: reads it from the register, prints it
/// with its map and QR code, seals the record with the PDF's hash.
pub fn issue<S: Store + ?Sized>(
    reg: &S,
    unit: &str,
    prof: &Profile,
    signer: &dyn seal::Signer,
    fonts: &Fonts,
) -> Result<Issued, CertError> {
    let map = ParcelMap::read(reg, unit, &[])?;
    let mut rec = record::read(reg, &map, &prof.office)?;
    let qr = rec.short_form(signer, &prof.verify_url);
    let pages = draw::draw(&rec, &qr, &map, prof)?;
    let info = DocInfo {
        title: format!("不动产权证书 {}", rec.number),
        id: format!("strata-cert-{}", rec.id),
        date: map.state_at,
    };
    let bytes = pdf(&pages, fonts, &info)?;
    rec.pdf_sha256 = Some(record::sha256_hex(&bytes));
    Ok(Issued {
        pdf: bytes,
        ecert: rec.seal(signer),
        qr,
    })
}
