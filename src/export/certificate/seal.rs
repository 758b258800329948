//! The office's seal: what signs a certificate record and what checks the signature, behind
//! two traits so that another seal (e.g. an SM2 seal under GB/T 38540) can replace Ed25519.
//! Keys are files of hexadecimal text: the secret key (32 bytes) kept by the office, the
//! public key (32 bytes) given to anyone who verifies.

use std::path::Path;

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use ed25519_dalek::{Signature, Signer as _, SigningKey, Verifier as _, VerifyingKey};
use sha2::{Digest, Sha256};

use super::CertError;

/// Signs on behalf of an office.
pub trait Signer {
    /// The algorithm's name, recorded beside each signature (`Ed25519`).
    fn algorithm(&self) -> &'static str;
    /// Which key signs: the first 16 hexadecimal digits of the SHA-256 of the public key.
    fn key_id(&self) -> String;
    /// The signature of `message`.
    fn sign(&self, message: &[u8]) -> Vec<u8>;
}

/// Checks an office's signatures.
pub trait Verifier {
    /// The algorithm's name.
    fn algorithm(&self) -> &'static str;
    /// Which key checks.
    fn key_id(&self) -> String;
    /// True when `signature` is this key's signature of `message`.
    fn verify(&self, message: &[u8], signature: &[u8]) -> bool;
}

/// An Ed25519 key pair (RFC 8032).
#[derive(Debug, Clone)]
pub struct Ed25519Seal {
    key: SigningKey,
}

/// An Ed25519 public key.
#[derive(Debug, Clone)]
pub struct Ed25519Check {
    key: VerifyingKey,
}

fn key_id(public: &[u8; 32]) -> String {
    hex(&Sha256::digest(public)[..8])
}

/// Lower-case hexadecimal.
pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn unhex32(text: &str) -> Option<[u8; 32]> {
    let t = text.trim();
    if t.len() != 64 || !t.is_ascii() {
        return None;
    }
    let mut out = [0u8; 32];
    for (i, o) in out.iter_mut().enumerate() {
        *o = u8::from_str_radix(&t[2 * i..2 * i + 2], 16).ok()?;
    }
    Some(out)
}

fn read_key(path: &Path) -> Result<[u8; 32], CertError> {
    let text = std::fs::read_to_string(path).map_err(|e| CertError::Key {
        path: path.display().to_string(),
        detail: e.to_string(),
    })?;
    unhex32(&text).ok_or_else(|| CertError::Key {
        path: path.display().to_string(),
        detail: "not a key: 64 hexadecimal digits expected".into(),
    })
}

impl Ed25519Seal {
    /// The seal of a 32-byte secret key.
    pub fn from_secret(secret: [u8; 32]) -> Ed25519Seal {
        Ed25519Seal {
            key: SigningKey::from_bytes(&secret),
        }
    }

    /// A new key from the operating system's random source.
    pub fn generate() -> Result<Ed25519Seal, CertError> {
        let mut secret = [0u8; 32];
        getrandom::fill(&mut secret).map_err(|e| CertError::Key {
            path: "(random source)".into(),
            detail: e.to_string(),
        })?;
        Ok(Ed25519Seal::from_secret(secret))
    }

    /// Reads a secret key file.
    pub fn read(path: &Path) -> Result<Ed25519Seal, CertError> {
        Ok(Ed25519Seal::from_secret(read_key(path)?))
    }

    /// The secret key as a key file's text.
    pub fn secret_text(&self) -> String {
        hex(&self.key.to_bytes()) + "\n"
    }

    /// The public key that checks this seal.
    pub fn public(&self) -> Ed25519Check {
        Ed25519Check {
            key: self.key.verifying_key(),
        }
    }
}

impl Ed25519Check {
    /// Reads a public key file.
    pub fn read(path: &Path) -> Result<Ed25519Check, CertError> {
        let bytes = read_key(path)?;
        let key = VerifyingKey::from_bytes(&bytes).map_err(|e| CertError::Key {
            path: path.display().to_string(),
            detail: e.to_string(),
        })?;
        Ok(Ed25519Check { key })
    }

    /// The public key as a key file's text.
    pub fn text(&self) -> String {
        hex(self.key.as_bytes()) + "\n"
    }
}

impl Signer for Ed25519Seal {
    fn algorithm(&self) -> &'static str {
        "Ed25519"
    }
    fn key_id(&self) -> String {
        key_id(self.key.verifying_key().as_bytes())
    }
    fn sign(&self, message: &[u8]) -> Vec<u8> {
        self.key.sign(message).to_bytes().to_vec()
    }
}

impl Verifier for Ed25519Check {
    fn algorithm(&self) -> &'static str {
        "Ed25519"
    }
    fn key_id(&self) -> String {
        key_id(self.key.as_bytes())
    }
    fn verify(&self, message: &[u8], signature: &[u8]) -> bool {
        let Ok(bytes) = <[u8; 64]>::try_from(signature) else {
            return false;
        };
        self.key
            .verify(message, &Signature::from_bytes(&bytes))
            .is_ok()
    }
}

/// A signature as text (base64url, no padding).
pub fn encode(sig: &[u8]) -> String {
    URL_SAFE_NO_PAD.encode(sig)
}

/// A signature read back from text.
pub fn decode(text: &str) -> Option<Vec<u8>> {
    URL_SAFE_NO_PAD.decode(text.trim()).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_signature_verifies_and_one_changed_byte_does_not() {
        let seal = Ed25519Seal::from_secret([7; 32]);
        let check = seal.public();
        assert_eq!(seal.key_id(), check.key_id());
        let sig = seal.sign(b"record");
        assert!(check.verify(b"record", &sig));
        assert!(!check.verify(b"recorc", &sig));
        let mut bad = sig.clone();
        bad[10] ^= 1;
        assert!(!check.verify(b"record", &bad));
        assert_eq!(decode(&encode(&sig)), Some(sig));
        let other = Ed25519Seal::from_secret([8; 32]).public();
        assert!(!other.verify(b"record", &seal.sign(b"record")));
    }

    #[test]
    fn rfc_8032_test_vector_1() {
        // RFC 8032 §7.1, TEST 1: the empty message.
        let secret =
            unhex32("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60").unwrap();
        let seal = Ed25519Seal::from_secret(secret);
        assert_eq!(
            seal.public().text().trim(),
            "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a"
        );
        assert_eq!(
            hex(&seal.sign(b"")),
            "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b"
        );
    }
}
