//! Who may do what, and the rewrite that makes a request safe to run.
//!
//! A [`Snapshot`] holds every credential, tenant grant and collection policy
//! at one instant; the [`PolicyStore`] swaps snapshots atomically
//! (`ArcSwap`), so a request sees one consistent policy and admin changes
//! apply without locks. [`authorize`] takes the caller and the parsed
//! operation and returns the operation as it may run (tenant conditions
//! injected, writes pinned to the tenant), the ownership checks the pipeline
//! must make first, and the [`Guard`] that post-filters the response.
//!
//! Default deny: a collection without a policy, a scope not granted, a field
//! the firewall does not model — all refused. Policy knows requests and
//! principals; it never touches a backend or a protocol.

mod guard;
mod rewrite;

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::Arc;

use arc_swap::ArcSwap;

pub use guard::{Guard, PointCheck, PointView};
pub use rewrite::{ids_within, tenant_filter};

use crate::auth::{Caller, KeyDirectory, Principal, Scope};
use crate::config::{CollectionPolicy, Config, RateLimit, Tenancy};
use crate::error::{Error, Result};
use crate::model::{Filter, PointId};
use crate::pipeline::Operation;
use crate::provenance::KeyRing;
use crate::scan::Scanner;
use crate::store::PolicyState;
use crate::token::{looks_like_token, Tokens};

/// Policy at one instant.
#[derive(Debug, Clone)]
pub struct Snapshot {
    pub keys: KeyDirectory,
    pub tokens: Tokens,
    /// Tenant → collection → operations.
    pub grants: HashMap<String, BTreeMap<String, BTreeSet<Scope>>>,
    pub collections: BTreeMap<String, CollectionPolicy>,
    /// Tenant → its request rate limit, if it has one.
    pub rate_limits: HashMap<String, RateLimit>,
    /// Keys that sign and verify provenance.
    pub signing: KeyRing,
    /// The reserved payload field holding provenance.
    pub provenance_field: String,
    /// The injection scanner (compiled packs and model).
    pub scanner: Arc<Scanner>,
    /// `blake3:` hash of the admin key.
    admin_hash: String,
}

/// Prefix of a token's parent id when the admin minted it for a tenant
/// rather than an API key minting it (`@acme`): key ids cannot contain `@`.
pub const TENANT_PARENT: char = '@';

impl Snapshot {
    /// Builds the policy declared in the configuration, with `admin_key`,
    /// the secret that signs short-lived tokens and the signing key ring.
    pub fn from_config(
        config: &Config,
        admin_key: &str,
        token_secret: &[u8],
        signing: KeyRing,
    ) -> std::result::Result<Self, String> {
        let scanner = Arc::new(match &config.scanner.policies {
            Some(dir) => Scanner::load(dir)?,
            None => Scanner::builtin()?,
        });
        tracing::info!(scanner = scanner.id(), "scanner ready");
        Snapshot {
            keys: KeyDirectory::default(),
            tokens: Tokens::new(token_secret, Default::default()),
            grants: HashMap::new(),
            collections: BTreeMap::new(),
            rate_limits: HashMap::new(),
            signing,
            provenance_field: config.provenance.field.clone(),
            scanner,
            admin_hash: crate::auth::key_hash(admin_key),
        }
        .with_state(&PolicyState::from_config(config))
    }

    /// This snapshot with its tenants, keys, grants, collection policies,
    /// rate limits and revoked tokens replaced by `state`'s (keys, scanner
    /// and signing ring kept).
    pub fn with_state(&self, state: &PolicyState) -> std::result::Result<Self, String> {
        let mut keys = KeyDirectory::default();
        keys.insert(&self.admin_hash, Caller::Admin)?;
        let mut grants = HashMap::new();
        let mut rate_limits = HashMap::new();
        for tenant in state.tenants.values() {
            grants.insert(tenant.id.clone(), tenant.grants.clone());
            if let Some(limit) = tenant.rate_limit {
                rate_limits.insert(tenant.id.clone(), limit);
            }
            for key in &tenant.keys {
                let principal = Principal {
                    tenant: tenant.id.clone(),
                    credential_id: key.id.clone(),
                    scopes: key.scopes.clone(),
                    collections: key.collections.clone(),
                };
                keys.insert(&key.hash, Caller::Tenant(principal))
                    .map_err(|e| format!("API key `{}`: {e}", key.id))?;
            }
        }
        Ok(Snapshot {
            keys,
            tokens: self
                .tokens
                .with_revoked(state.revoked_tokens.keys().cloned().collect()),
            grants,
            collections: state.collections.clone(),
            rate_limits,
            ..self.clone()
        })
    }

    /// The principal a token minted by the admin for `tenant` stands for:
    /// the whole tenant, narrowed by the token's own scopes.
    pub fn tenant_principal(&self, tenant: &str) -> Option<Principal> {
        self.grants.contains_key(tenant).then(|| Principal {
            tenant: tenant.to_owned(),
            credential_id: format!("{TENANT_PARENT}{tenant}"),
            scopes: [Scope::Read, Scope::Write, Scope::Sign].into(),
            collections: None,
        })
    }

    /// Who presents `credential`: an API key, or a short-lived token whose
    /// parent key still exists.
    pub fn authenticate(&self, credential: Option<&str>) -> Result<Caller> {
        match credential {
            Some(token) if looks_like_token(token) => self
                .tokens
                .verify(token, |id| match id.strip_prefix(TENANT_PARENT) {
                    Some(tenant) => self.tenant_principal(tenant),
                    None => self.keys.principal(id),
                })
                .map(Caller::Tenant),
            other => self.keys.authenticate(other),
        }
    }

    /// The operations `principal` may perform on `collection`; empty when
    /// the collection is not granted, not in the credential's list, or has
    /// no policy.
    fn allowed(&self, principal: &Principal, collection: &str) -> BTreeSet<Scope> {
        if !self.collections.contains_key(collection) {
            return BTreeSet::new();
        }
        if let Some(list) = &principal.collections {
            if !list.contains(collection) {
                return BTreeSet::new();
            }
        }
        let granted = self
            .grants
            .get(&principal.tenant)
            .and_then(|g| g.get(collection))
            .cloned()
            .unwrap_or_default();
        granted.intersection(&principal.scopes).copied().collect()
    }
}

/// The current policy, swapped atomically.
pub struct PolicyStore {
    current: ArcSwap<Snapshot>,
}

impl PolicyStore {
    pub fn new(snapshot: Snapshot) -> Self {
        Self {
            current: ArcSwap::from_pointee(snapshot),
        }
    }

    pub fn snapshot(&self) -> Arc<Snapshot> {
        self.current.load_full()
    }

    pub fn replace(&self, snapshot: Snapshot) {
        self.current.store(Arc::new(snapshot));
    }

    /// Applies `change` to the current snapshot atomically (retried if
    /// another change lands meanwhile, so none is lost).
    pub fn update(&self, change: impl Fn(&mut Snapshot)) {
        self.try_update(|s| {
            change(s);
            Ok::<(), std::convert::Infallible>(())
        })
        .unwrap_or_else(|never| match never {});
    }

    /// As [`PolicyStore::update`], for a change that may fail: on failure
    /// nothing is swapped.
    pub fn try_update<E>(&self, change: impl Fn(&mut Snapshot) -> Result<(), E>) -> Result<(), E> {
        loop {
            let current = self.current.load_full();
            let mut next = Snapshot::clone(&current);
            change(&mut next)?;
            let previous = self.current.compare_and_swap(&current, Arc::new(next));
            if Arc::ptr_eq(&previous, &current) {
                return Ok(());
            }
        }
    }
}

/// Point ids a request uses as vectors, which must belong to the caller
/// before the request runs (else they are treated as absent).
#[derive(Debug, Clone, PartialEq)]
pub struct OwnershipCheck {
    pub collection: String,
    pub ids: Vec<PointId>,
    /// Matches exactly the caller's points in `collection`.
    pub filter: Option<Filter>,
}

/// An operation cleared to run, with what must happen around it.
#[derive(Debug, Clone)]
pub struct Authorized {
    pub operation: Operation,
    pub checks: Vec<OwnershipCheck>,
    pub guard: Guard,
}

/// Decides and rewrites one operation for `caller`.
pub fn authorize(snapshot: &Snapshot, caller: &Caller, operation: Operation) -> Result<Authorized> {
    match caller {
        Caller::Admin => Ok(Authorized {
            operation,
            checks: Vec::new(),
            guard: Guard::None,
        }),
        Caller::Tenant(principal) => rewrite::for_tenant(snapshot, principal, operation),
    }
}

/// What the firewall needs to know about one collection for one tenant.
#[derive(Debug, Clone)]
pub(crate) struct Scoped<'a> {
    pub tenant: &'a str,
    pub policy: &'a CollectionPolicy,
    /// The reserved provenance field: clients never write it.
    pub provenance_field: &'a str,
}

impl Scoped<'_> {
    /// The condition that selects exactly this tenant's points, if the
    /// collection is shared by payload.
    fn filter(&self) -> Option<Filter> {
        match self.policy.tenancy {
            Tenancy::Payload => Some(tenant_filter(&self.policy.tenant_field, self.tenant)),
            Tenancy::Collection | Tenancy::ShardKey => None,
        }
    }
}

/// The refusal for a collection the caller may not see: indistinguishable
/// from a collection that does not exist.
fn hidden(collection: &str) -> Error {
    Error::collection_not_found(collection)
}

fn require(
    snapshot: &Snapshot,
    principal: &Principal,
    collection: &str,
    scope: Scope,
) -> Result<()> {
    let allowed = snapshot.allowed(principal, collection);
    if allowed.is_empty() {
        return Err(hidden(collection));
    }
    if !allowed.contains(&scope) {
        let what = match scope {
            Scope::Read => "Read",
            Scope::Write => "Write",
            Scope::Sign => "Sign",
        };
        return Err(Error::Forbidden(format!(
            "{what} access to collection {collection} is required"
        )));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_authenticate_through_the_snapshot() {
        let key = crate::auth::new_api_key();
        let text = format!(
            "[collections.docs]\ntenancy = \"payload\"\n[[tenants]]\nid = \"acme\"\ngrants = {{ docs = [\"read\"] }}\nkeys = [{{ id = \"a\", hash = \"{}\", scopes = [\"read\"] }}]\n",
            crate::auth::key_hash(&key)
        );
        let config: Config = toml::from_str(&text).unwrap();
        let snapshot = Snapshot::from_config(
            &config,
            "admin-admin-admin-admin",
            b"secret",
            KeyRing::default(),
        )
        .unwrap();
        let Caller::Tenant(principal) = snapshot.authenticate(Some(&key)).unwrap() else {
            panic!("not a tenant")
        };
        let minted = snapshot
            .tokens
            .mint(&principal, Some(60), None, None)
            .unwrap();
        let caller = snapshot.authenticate(Some(&minted.token));
        assert!(
            matches!(caller, Ok(Caller::Tenant(ref p)) if p.tenant == "acme"),
            "{caller:?}"
        );
    }
}
