//! Who may do what: users with a role each, known by a bearer token whose SHA-256 the users
//! file holds (the file never holds a token itself).
//!
//! The users file is JSON:
//!
//! ```json
//! {"users": [{"name": "王登簿", "role": "officer", "token_sha256": "9f86d0…"}]}
//! ```
//!
//! A request without a token is the public's: it may verify certificates and read the API's
//! description, nothing else.

use std::path::Path;

use serde::Deserialize;
use sha2::{Digest, Sha256};

/// A user's role.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    /// Anyone: certificate verification.
    Public,
    /// Reads the register and asks what a proposed volume meets.
    Planner,
    /// Reads the register and submits survey results.
    Surveyor,
    /// Reads, queries and records acts (登簿).
    Officer,
    /// Everything.
    Admin,
}

/// What an endpoint needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Need {
    /// Nothing: open to the public.
    Nothing,
    /// Reading units and pages.
    Read,
    /// Asking what a proposed volume meets.
    Query,
    /// Submitting a survey result.
    Submit,
    /// Recording acts.
    Register,
}

impl Role {
    /// True when the role may do what `need` names.
    pub fn may(self, need: Need) -> bool {
        use Role::*;
        match need {
            Need::Nothing => true,
            Need::Read => matches!(self, Planner | Surveyor | Officer | Admin),
            Need::Query => matches!(self, Planner | Officer | Admin),
            Need::Submit => matches!(self, Surveyor | Officer | Admin),
            Need::Register => matches!(self, Officer | Admin),
        }
    }

    /// The role's name as the users file writes it.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Public => "public",
            Role::Planner => "planner",
            Role::Surveyor => "surveyor",
            Role::Officer => "officer",
            Role::Admin => "admin",
        }
    }
}

/// A user: a name (what the journal records as the officer) and a role.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct User {
    /// The name.
    pub name: String,
    /// The role.
    pub role: Role,
}

impl User {
    /// The public: a request without a token.
    pub fn public() -> User {
        User {
            name: String::new(),
            role: Role::Public,
        }
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Entry {
    name: String,
    role: Role,
    token_sha256: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    users: Vec<Entry>,
}

/// The users, by the SHA-256 of their tokens.
#[derive(Debug, Clone, Default)]
pub struct Users {
    by_hash: Vec<([u8; 32], User)>,
}

/// A users file that cannot be used, naming the file and the entry.
#[derive(Debug, thiserror::Error)]
#[error("{path}: {message}")]
pub struct UsersError {
    /// The file.
    pub path: String,
    /// What is wrong.
    pub message: String,
}

/// The SHA-256 of a token, as the users file writes it (64 lowercase hex digits).
pub fn token_hash(token: &str) -> String {
    hex(&Sha256::digest(token.as_bytes()))
}

fn hex(b: &[u8]) -> String {
    b.iter().map(|x| format!("{x:02x}")).collect()
}

fn unhex(s: &str) -> Option<[u8; 32]> {
    if s.len() != 64 {
        return None;
    }
    let mut out = [0u8; 32];
    for (i, o) in out.iter_mut().enumerate() {
        *o = u8::from_str_radix(s.get(2 * i..2 * i + 2)?, 16).ok()?;
    }
    Some(out)
}

impl Users {
    /// Reads a users file.
    pub fn read(path: &Path) -> Result<Users, UsersError> {
        let err = |message: String| UsersError {
            path: path.display().to_string(),
            message,
        };
        let text = std::fs::read_to_string(path).map_err(|e| err(e.to_string()))?;
        Users::parse(&text).map_err(err)
    }

    /// Parses the users file's text.
    pub fn parse(text: &str) -> Result<Users, String> {
        let f: File = serde_json::from_str(text).map_err(|e| format!("not a users file: {e}"))?;
        let mut by_hash = Vec::with_capacity(f.users.len());
        for (i, e) in f.users.into_iter().enumerate() {
            let at = format!("user {} ({})", i + 1, e.name);
            if e.name.trim().is_empty() {
                return Err(format!("user {}: `name` is empty", i + 1));
            }
            let h = unhex(&e.token_sha256.to_ascii_lowercase()).ok_or_else(|| {
                format!("{at}: `token_sha256` is not 64 hexadecimal digits (a SHA-256)")
            })?;
            if by_hash.iter().any(|(o, _): &([u8; 32], User)| *o == h) {
                return Err(format!("{at}: `token_sha256` is another user's too"));
            }
            by_hash.push((
                h,
                User {
                    name: e.name,
                    role: e.role,
                },
            ));
        }
        Ok(Users { by_hash })
    }

    /// The user a bearer token names; `None` for an unknown token.
    pub fn by_token(&self, token: &str) -> Option<&User> {
        let h: [u8; 32] = Sha256::digest(token.as_bytes()).into();
        self.by_hash.iter().find(|(k, _)| *k == h).map(|(_, u)| u)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roles_and_tokens() {
        let text = format!(
            r#"{{"users": [{{"name": "a", "role": "planner", "token_sha256": "{}"}}]}}"#,
            token_hash("secret")
        );
        let u = Users::parse(&text).unwrap();
        assert_eq!(u.by_token("secret").unwrap().role, Role::Planner);
        assert!(u.by_token("other").is_none());
        assert!(Role::Planner.may(Need::Query));
        assert!(!Role::Planner.may(Need::Register));
        assert!(!Role::Surveyor.may(Need::Query));
        assert!(!Role::Public.may(Need::Read));
        let bad = r#"{"users": [{"name": "a", "role": "planner", "token_sha256": "xyz"}]}"#;
        assert!(Users::parse(bad).unwrap_err().contains("user 1 (a)"));
    }
}
