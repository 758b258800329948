//! The journal: every recorded act, in order, chained by SHA-256.
//!
//! Entry `n` is hashed over a domain tag, the hash of entry `n − 1` (32 zero bytes for the
//! first) and the canonical encoding of `(seq, recorded_at, act)`: compact JSON with the
//! fields in declaration order and numbers as the shortest decimal that reads back to the
//! same `f64`. Changing any byte of any entry, or removing or reordering entries, changes
//! every hash after it.

use std::fmt;

use jiff::Timestamp;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::act::Act;
use super::record::Seq;

/// Tag hashed before every entry, so a journal hash is never mistaken for another SHA-256.
const DOMAIN_TAG: &[u8] = b"strata register journal v1\n";

/// A SHA-256 hash.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct Hash(pub [u8; 32]);

impl Hash {
    /// The hash before the first entry: 32 zero bytes.
    pub const GENESIS: Hash = Hash([0; 32]);

    /// Reads 64 hexadecimal digits.
    pub fn parse_hex(s: &str) -> Option<Hash> {
        let b = s.as_bytes();
        if b.len() != 64 {
            return None;
        }
        let digit = |c: u8| (c as char).to_digit(16).map(|d| d as u8);
        let mut out = [0u8; 32];
        for (i, o) in out.iter_mut().enumerate() {
            *o = digit(b[2 * i])? << 4 | digit(b[2 * i + 1])?;
        }
        Some(Hash(out))
    }
}

impl fmt::Display for Hash {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.iter().try_for_each(|b| write!(f, "{b:02x}"))
    }
}

impl fmt::Debug for Hash {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Hash({self})")
    }
}

impl Serialize for Hash {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Hash {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Hash, D::Error> {
        let s = String::deserialize(d)?;
        Hash::parse_hex(&s).ok_or_else(|| serde::de::Error::custom("not 64 hexadecimal digits"))
    }
}

/// What is hashed of an entry.
#[derive(Serialize)]
struct Signed<'a> {
    seq: Seq,
    recorded_at: Timestamp,
    act: &'a Act,
}

/// The same, read back.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SignedOwned {
    seq: Seq,
    recorded_at: Timestamp,
    act: Act,
}

/// A recorded act.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Entry {
    /// Its place in the journal, from 1.
    pub seq: Seq,
    /// When it was recorded (登记时间): the moment the officer confirmed it.
    pub recorded_at: Timestamp,
    /// The act.
    pub act: Act,
    /// The hash of the entry before.
    pub prev: Hash,
    /// This entry's hash.
    pub hash: Hash,
}

/// The canonical encoding of an entry's content.
pub fn canonical(seq: Seq, recorded_at: Timestamp, act: &Act) -> Vec<u8> {
    let s = Signed {
        seq,
        recorded_at,
        act,
    };
    // Serializing plain data with string keys cannot fail.
    serde_json::to_vec(&s).unwrap_or_default()
}

/// The hash of an entry whose canonical encoding is `body`, after `prev`.
pub fn chain(prev: &Hash, body: &[u8]) -> Hash {
    let mut h = Sha256::new();
    h.update(DOMAIN_TAG);
    h.update(prev.0);
    h.update(body);
    Hash(h.finalize().into())
}

impl Entry {
    /// Seals an act as entry `seq` after `prev`.
    pub fn seal(seq: Seq, recorded_at: Timestamp, act: Act, prev: Hash) -> Entry {
        let hash = chain(&prev, &canonical(seq, recorded_at, &act));
        Entry {
            seq,
            recorded_at,
            act,
            prev,
            hash,
        }
    }

    /// The canonical encoding of this entry.
    pub fn body(&self) -> Vec<u8> {
        canonical(self.seq, self.recorded_at, &self.act)
    }

    /// Reads an entry back from its stored canonical body and hashes, checking that the body
    /// is what it claims: its own canonical encoding, hashing to `hash` after `prev`.
    pub fn open(body: &[u8], prev: Hash, hash: Hash) -> Result<Entry, String> {
        let s: SignedOwned =
            serde_json::from_slice(body).map_err(|e| format!("unreadable: {e}"))?;
        let act = s.act;
        let again = canonical(s.seq, s.recorded_at, &act);
        if again != body {
            return Err("its body is not in canonical form".into());
        }
        if chain(&prev, body) != hash {
            return Err("its hash does not match its content and the entry before".into());
        }
        Ok(Entry {
            seq: s.seq,
            recorded_at: s.recorded_at,
            act,
            prev,
            hash,
        })
    }
}
