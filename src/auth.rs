//! Credentials → who is calling.
//!
//! Requests carry a credential exactly as Qdrant clients send one: the
//! `api-key` header or `Authorization: Bearer …`. [`authenticate`] turns it
//! into a [`Caller`]: the admin, or a tenant [`Principal`] with its scopes
//! and collections. API keys are random and only their BLAKE3 hashes are
//! kept; the final comparison is constant-time (`blake3::Hash`'s `Eq`).
//!
//! This module knows credentials and principals; what a principal may do
//! with a request is `policy`'s business.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fmt;

use rand::RngCore;
use serde::{Deserialize, Serialize};

use crate::error::Error;

/// A secret value from configuration: never printed.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Secret(String);

impl Secret {
    pub fn new(value: impl Into<String>) -> Self {
        Secret(value.into())
    }
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(<redacted>)")
    }
}

/// What a credential may do.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Serialize,
    Deserialize,
    utoipa::ToSchema,
)]
#[serde(rename_all = "lowercase")]
pub enum Scope {
    Read,
    Write,
    Sign,
}

/// A tenant's credential, resolved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Principal {
    pub tenant: String,
    pub credential_id: String,
    pub scopes: BTreeSet<Scope>,
    /// Collections this credential may touch (before the tenant's grants).
    /// `None`: every collection the tenant is granted.
    pub collections: Option<BTreeSet<String>>,
}

/// Who is calling.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Caller {
    /// The admin credential: collection management, no tenant rewriting.
    Admin,
    Tenant(Principal),
}

/// The credential a request presents, the way Qdrant clients send one: the
/// `api-key` header (gRPC: metadata), else `Authorization: Bearer …`. Every
/// listener (REST, gRPC, admin) reads credentials through this one function.
pub fn presented<'a>(api_key: Option<&'a str>, authorization: Option<&'a str>) -> Option<&'a str> {
    if api_key.is_some() {
        return api_key;
    }
    let (scheme, token) = authorization?.split_once(' ')?;
    scheme.eq_ignore_ascii_case("bearer").then(|| token.trim())
}

/// The hash under which an API key is stored: `blake3:<hex>`.
pub fn key_hash(key: &str) -> String {
    format!("blake3:{}", blake3::hash(key.as_bytes()).to_hex())
}

/// A fresh random API key (256 bits), in the form handed to clients.
pub fn new_api_key() -> String {
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    let hex: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
    format!("rw_{hex}")
}

fn parse_hash(stored: &str) -> Option<blake3::Hash> {
    blake3::Hash::from_hex(stored.strip_prefix("blake3:")?).ok()
}

/// Whether `stored` is a well-formed `blake3:<64 hex>` key hash.
pub fn is_key_hash(stored: &str) -> bool {
    parse_hash(stored).is_some()
}

/// One stored key: its hash and what it resolves to.
#[derive(Debug, Clone)]
struct StoredKey {
    hash: blake3::Hash,
    caller: Caller,
}

/// Every credential ragwall accepts, indexed by hash.
#[derive(Debug, Clone, Default)]
pub struct KeyDirectory {
    keys: HashMap<[u8; 32], StoredKey>,
    /// Tenant credentials by id, for tokens naming their parent key.
    by_id: HashMap<String, Principal>,
}

impl KeyDirectory {
    /// Adds a key by its stored hash (`blake3:<hex>`).
    pub fn insert(&mut self, stored_hash: &str, caller: Caller) -> Result<(), String> {
        let hash = parse_hash(stored_hash)
            .ok_or_else(|| format!("`{stored_hash}` is not a `blake3:<64 hex>` key hash"))?;
        if self.keys.contains_key(hash.as_bytes()) {
            return Err("two credentials share one key".into());
        }
        if let Caller::Tenant(p) = &caller {
            if self
                .by_id
                .insert(p.credential_id.clone(), p.clone())
                .is_some()
            {
                return Err(format!("credential id `{}` is repeated", p.credential_id));
            }
        }
        self.keys
            .insert(*hash.as_bytes(), StoredKey { hash, caller });
        Ok(())
    }

    /// A tenant credential by id (a token's parent).
    pub fn principal(&self, credential_id: &str) -> Option<Principal> {
        self.by_id.get(credential_id).cloned()
    }

    /// Resolves a presented credential, or refuses it.
    pub fn authenticate(&self, presented: Option<&str>) -> Result<Caller, Error> {
        let presented = presented.ok_or_else(|| {
            Error::Unauthenticated(
                "Must provide an API key or an Authorization bearer token".into(),
            )
        })?;
        let hash = blake3::hash(presented.as_bytes());
        match self.keys.get(hash.as_bytes()) {
            // `blake3::Hash` compares in constant time.
            Some(stored) if stored.hash == hash => Ok(stored.caller.clone()),
            _ => Err(Error::Unauthenticated("Invalid API key or JWT".into())),
        }
    }
}

/// A tenant's collection grants: collection → operations.
pub type Grants = BTreeMap<String, BTreeSet<Scope>>;

#[cfg(test)]
mod tests {
    use super::*;

    fn tenant(t: &str) -> Caller {
        Caller::Tenant(Principal {
            tenant: t.into(),
            credential_id: format!("{t}-key"),
            scopes: [Scope::Read].into(),
            collections: None,
        })
    }

    #[test]
    fn keys_resolve_only_by_their_exact_value() {
        let key = new_api_key();
        let mut dir = KeyDirectory::default();
        dir.insert(&key_hash(&key), tenant("acme")).unwrap();
        assert_eq!(dir.authenticate(Some(&key)).unwrap(), tenant("acme"));
        let mut wrong = key.clone();
        wrong.pop();
        for bad in [Some(wrong.as_str()), Some(""), Some(&key[..10])] {
            let err = dir.authenticate(bad).unwrap_err();
            assert_eq!(err.to_string(), "Invalid API key or JWT");
        }
        let err = dir.authenticate(None).unwrap_err();
        assert!(err.to_string().contains("Must provide"));
    }

    #[test]
    fn stored_hash_must_be_well_formed_and_unique() {
        let mut dir = KeyDirectory::default();
        assert!(dir.insert("sha256:abc", tenant("a")).is_err());
        assert!(dir.insert("blake3:zz", tenant("a")).is_err());
        let h = key_hash("k");
        dir.insert(&h, tenant("a")).unwrap();
        assert!(dir.insert(&h, tenant("b")).is_err());
    }

    #[test]
    fn credentials_come_from_api_key_then_bearer() {
        assert_eq!(presented(Some("k"), Some("Bearer t")), Some("k"));
        assert_eq!(presented(None, Some("bearer  t ")), Some("t"));
        assert_eq!(presented(None, Some("Basic dXNlcg==")), None);
        assert_eq!(presented(None, Some("t")), None);
        assert_eq!(presented(None, None), None);
    }

    #[test]
    fn secrets_never_print() {
        let s = Secret::new("hunter2");
        assert!(!format!("{s:?}").contains("hunter2"));
    }

    #[test]
    fn new_keys_are_distinct_and_long() {
        let a = new_api_key();
        assert_ne!(a, new_api_key());
        assert_eq!(a.len(), 3 + 64);
    }
}
