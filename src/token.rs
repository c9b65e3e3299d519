//! Short-lived tokens: minted from an API key, scoped no wider than it,
//! expiring (default 15 minutes), and revoked the moment their parent key
//! or tenant is gone.
//!
//! Tokens are HS256 JWTs signed with ragwall's own secret (never Qdrant's).
//! A token names its parent credential (`kid`); verification looks the
//! parent up in the current policy snapshot, so deleting the key or the
//! tenant revokes every token derived from it at once, and a revoked `jti`
//! is refused even before it expires.

use std::collections::{BTreeSet, HashSet};
use std::time::{SystemTime, UNIX_EPOCH};

use jsonwebtoken::{decode, encode, Algorithm, DecodingKey, EncodingKey, Header, Validation};
use serde::{Deserialize, Serialize};

use crate::auth::{Principal, Scope};
use crate::error::Error;

/// Default and maximum lifetime of a token, seconds.
pub const DEFAULT_TTL_SECS: u64 = 15 * 60;
pub const MAX_TTL_SECS: u64 = 60 * 60;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct Claims {
    /// Tenant.
    sub: String,
    /// Parent credential id.
    kid: String,
    /// Token id, for revocation.
    jti: String,
    iat: u64,
    exp: u64,
    scopes: BTreeSet<Scope>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    collections: Option<BTreeSet<String>>,
}

/// Signs and checks tokens with one secret.
#[derive(Clone)]
pub struct Tokens {
    encoding: EncodingKey,
    decoding: DecodingKey,
    revoked: HashSet<String>,
}

impl std::fmt::Debug for Tokens {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Tokens")
            .field("revoked", &self.revoked.len())
            .finish()
    }
}

/// A minted token and when it stops working.
#[derive(Debug, Clone, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Minted {
    pub token: String,
    /// The token's id (`jti`), for revocation.
    pub id: String,
    pub expires_at: u64,
}

fn now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or_default()
}

/// Whether a presented credential is shaped like a JWT rather than an API key.
pub fn looks_like_token(credential: &str) -> bool {
    credential.starts_with("eyJ") && credential.matches('.').count() == 2
}

impl Tokens {
    pub fn new(secret: &[u8], revoked: HashSet<String>) -> Self {
        Self {
            encoding: EncodingKey::from_secret(secret),
            decoding: DecodingKey::from_secret(secret),
            revoked,
        }
    }

    /// The same signing secret with another set of revoked token ids.
    pub fn with_revoked(&self, revoked: HashSet<String>) -> Self {
        Self {
            revoked,
            ..self.clone()
        }
    }

    /// Mints a token for `parent`, narrowed to `scopes` and `collections`.
    pub fn mint(
        &self,
        parent: &Principal,
        ttl_secs: Option<u64>,
        scopes: Option<BTreeSet<Scope>>,
        collections: Option<BTreeSet<String>>,
    ) -> Result<Minted, Error> {
        let ttl = ttl_secs.unwrap_or(DEFAULT_TTL_SECS);
        if ttl == 0 || ttl > MAX_TTL_SECS {
            return Err(Error::BadInput(format!(
                "ttl_secs must be between 1 and {MAX_TTL_SECS}"
            )));
        }
        let scopes = match scopes {
            None => parent.scopes.clone(),
            Some(s) if s.is_subset(&parent.scopes) => s,
            Some(_) => {
                return Err(Error::Forbidden(
                    "a token cannot have scopes its key lacks".into(),
                ))
            }
        };
        if let (Some(wanted), Some(allowed)) = (&collections, &parent.collections) {
            if !wanted.is_subset(allowed) {
                return Err(Error::Forbidden(
                    "a token cannot reach collections its key cannot".into(),
                ));
            }
        }
        let iat = now();
        let claims = Claims {
            sub: parent.tenant.clone(),
            kid: parent.credential_id.clone(),
            jti: crate::auth::new_api_key()[3..35].to_owned(),
            iat,
            exp: iat + ttl,
            scopes,
            collections: collections.or_else(|| parent.collections.clone()),
        };
        let token = encode(&Header::new(Algorithm::HS256), &claims, &self.encoding)
            .map_err(|e| Error::internal("signing a token", e))?;
        Ok(Minted {
            token,
            id: claims.jti,
            expires_at: claims.exp,
        })
    }

    /// Verifies a token; `parent` finds the live parent credential by id.
    pub fn verify(
        &self,
        token: &str,
        parent: impl Fn(&str) -> Option<Principal>,
    ) -> Result<Principal, Error> {
        let invalid = || Error::Unauthenticated("Invalid API key or JWT".into());
        let mut validation = Validation::new(Algorithm::HS256);
        validation.leeway = 0;
        validation.set_required_spec_claims(&["exp", "sub"]);
        let claims = decode::<Claims>(token, &self.decoding, &validation)
            .map_err(|e| match e.kind() {
                jsonwebtoken::errors::ErrorKind::ExpiredSignature => {
                    Error::Unauthenticated("the token has expired".into())
                }
                other => {
                    tracing::debug!(error = ?other, "token rejected");
                    invalid()
                }
            })?
            .claims;
        if self.revoked.contains(&claims.jti) {
            return Err(Error::Unauthenticated("the token has been revoked".into()));
        }
        // The parent must still exist, for the same tenant: deleting a key
        // or a tenant revokes its tokens.
        let parent = parent(&claims.kid)
            .filter(|p| p.tenant == claims.sub)
            .ok_or_else(|| Error::Unauthenticated("the token's key has been revoked".into()))?;
        let scopes = claims
            .scopes
            .intersection(&parent.scopes)
            .copied()
            .collect();
        let collections = match (claims.collections, parent.collections) {
            (Some(t), Some(p)) => Some(t.intersection(&p).cloned().collect()),
            (t, p) => t.or(p),
        };
        Ok(Principal {
            tenant: parent.tenant,
            credential_id: format!("{}/{}", claims.kid, claims.jti),
            scopes,
            collections,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parent() -> Principal {
        Principal {
            tenant: "acme".into(),
            credential_id: "acme-app".into(),
            scopes: [Scope::Read, Scope::Write].into(),
            collections: None,
        }
    }

    fn lookup(id: &str) -> Option<Principal> {
        (id == "acme-app").then(parent)
    }

    #[test]
    fn minted_token_verifies_narrowed() {
        let t = Tokens::new(b"secret-secret-secret-secret-0000", HashSet::new());
        let m = t
            .mint(&parent(), Some(60), Some([Scope::Read].into()), None)
            .unwrap();
        assert!(looks_like_token(&m.token));
        let p = t.verify(&m.token, lookup).unwrap();
        assert_eq!(p.tenant, "acme");
        assert_eq!(p.scopes, [Scope::Read].into());
    }

    #[test]
    fn tokens_cannot_widen_their_key() {
        let t = Tokens::new(b"k", HashSet::new());
        let mut narrow = parent();
        narrow.scopes = [Scope::Read].into();
        assert!(t
            .mint(&narrow, None, Some([Scope::Write].into()), None)
            .is_err());
        assert!(t.mint(&narrow, Some(0), None, None).is_err());
        assert!(t.mint(&narrow, Some(MAX_TTL_SECS + 1), None, None).is_err());
    }

    #[test]
    fn expired_forged_revoked_and_orphaned_tokens_fail() {
        let t = Tokens::new(b"secret-a", HashSet::new());
        let m = t.mint(&parent(), Some(60), None, None).unwrap();
        // Another secret: forged.
        let other = Tokens::new(b"secret-b", HashSet::new());
        assert!(other.verify(&m.token, lookup).is_err());
        // Parent key deleted.
        assert!(t.verify(&m.token, |_| None).is_err());
        // Parent now belongs to another tenant.
        let moved = |_: &str| {
            let mut p = parent();
            p.tenant = "victim".into();
            Some(p)
        };
        assert!(t.verify(&m.token, moved).is_err());
        // Revoked by id.
        let claims = decode::<Claims>(
            &m.token,
            &DecodingKey::from_secret(b"secret-a"),
            &Validation::new(Algorithm::HS256),
        )
        .unwrap()
        .claims;
        let revoking = Tokens::new(b"secret-a", [claims.jti].into());
        assert!(revoking.verify(&m.token, lookup).is_err());
        // Expired.
        let expired = Claims {
            exp: now() - 1,
            iat: now() - 61,
            ..claims_of(&m.token)
        };
        let token = encode(
            &Header::new(Algorithm::HS256),
            &expired,
            &EncodingKey::from_secret(b"secret-a"),
        )
        .unwrap();
        let err = t.verify(&token, lookup).unwrap_err();
        assert!(err.to_string().contains("expired"), "{err}");
    }

    fn claims_of(token: &str) -> Claims {
        decode::<Claims>(
            token,
            &DecodingKey::from_secret(b"secret-a"),
            &Validation::new(Algorithm::HS256),
        )
        .unwrap()
        .claims
    }
}
