//! The durable policy store: tenants (with their grants, API keys and rate
//! limits), collection policies and revoked tokens, in one SQLite database
//! under the data directory.
//!
//! Every admin change is one SQLite transaction in WAL mode with
//! `synchronous = FULL`: when [`Store::apply`] returns, the change is on
//! disk and survives `kill -9` or a power cut. The configuration file seeds
//! the store once, when the database is created; afterwards the store is
//! the source of truth (seeding again would resurrect tenants an admin had
//! deleted).
//!
//! The store holds the whole [`PolicyState`] in memory as well; a change is
//! applied to a copy, checked (by the same rules as the configuration file,
//! plus whatever the caller checks, e.g. that a snapshot can be built from
//! it), written, and only then made current. Signing keys are not here: they
//! stay in their 0600 key file (`signing_keys`). API keys are stored as
//! hashes only.

use std::collections::BTreeMap;
use std::path::Path;
use std::time::{SystemTime, UNIX_EPOCH};

use parking_lot::Mutex;
use rusqlite::{params, Connection, OptionalExtension};

use crate::config::{policy_problems, ApiKey, CollectionPolicy, Config, RateLimit, Tenant};
use crate::error::{Error, Result};

/// Everything the admin API can change, at one instant.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PolicyState {
    pub tenants: BTreeMap<String, Tenant>,
    pub collections: BTreeMap<String, CollectionPolicy>,
    /// Revoked token ids → when the token would have expired (Unix seconds).
    pub revoked_tokens: BTreeMap<String, u64>,
}

impl PolicyState {
    /// The state a configuration file declares.
    pub fn from_config(config: &Config) -> Self {
        PolicyState {
            tenants: config
                .tenants
                .iter()
                .map(|t| (t.id.clone(), t.clone()))
                .collect(),
            collections: config.collections.clone(),
            revoked_tokens: BTreeMap::new(),
        }
    }

    /// Every problem with the state, or `Ok`.
    pub fn check(&self, provenance_field: &str) -> std::result::Result<(), String> {
        let problems = policy_problems(self.tenants.values(), &self.collections, provenance_field);
        if problems.is_empty() {
            Ok(())
        } else {
            Err(problems.join("; "))
        }
    }

    fn tenant_mut(&mut self, id: &str) -> Result<&mut Tenant> {
        self.tenants
            .get_mut(id)
            .ok_or_else(|| Error::NotFound(format!("tenant `{id}` does not exist")))
    }

    /// The tenant holding API key `key_id`.
    pub fn key_owner(&self, key_id: &str) -> Option<&Tenant> {
        self.tenants
            .values()
            .find(|t| t.keys.iter().any(|k| k.id == key_id))
    }
}

/// One admin change.
#[derive(Debug, Clone)]
pub enum Change {
    CreateTenant {
        id: String,
        rate_limit: Option<RateLimit>,
    },
    /// Deletes the tenant with its grants and keys (and so its tokens).
    DeleteTenant {
        id: String,
    },
    /// Sets a tenant's operations on a collection; empty removes the grant.
    SetGrant {
        tenant: String,
        collection: String,
        scopes: std::collections::BTreeSet<crate::auth::Scope>,
    },
    SetRateLimit {
        tenant: String,
        rate_limit: Option<RateLimit>,
    },
    PutCollection {
        name: String,
        policy: CollectionPolicy,
    },
    DeleteCollection {
        name: String,
    },
    AddKey {
        tenant: String,
        key: ApiKey,
    },
    RevokeKey {
        id: String,
    },
    RevokeToken {
        jti: String,
        expires_at: u64,
    },
}

/// What a change touched, so only those rows are written.
enum Touched {
    Tenant(String),
    Collection(String),
    Token(String),
}

impl Change {
    /// Applies the change to `state`; refusals name what is wrong.
    fn apply(self, state: &mut PolicyState) -> Result<Touched> {
        Ok(match self {
            Change::CreateTenant { id, rate_limit } => {
                if state.tenants.contains_key(&id) {
                    return Err(Error::AlreadyExists(format!(
                        "tenant `{id}` already exists"
                    )));
                }
                let tenant = Tenant {
                    id: id.clone(),
                    grants: BTreeMap::new(),
                    keys: Vec::new(),
                    rate_limit,
                };
                state.tenants.insert(id.clone(), tenant);
                Touched::Tenant(id)
            }
            Change::DeleteTenant { id } => {
                state.tenant_mut(&id)?;
                state.tenants.remove(&id);
                Touched::Tenant(id)
            }
            Change::SetGrant {
                tenant,
                collection,
                scopes,
            } => {
                let t = state.tenant_mut(&tenant)?;
                if scopes.is_empty() {
                    if t.grants.remove(&collection).is_none() {
                        return Err(Error::NotFound(format!(
                            "tenant `{tenant}` has no grant on `{collection}`"
                        )));
                    }
                    // A key narrowed to the collection loses it too.
                    for key in &mut t.keys {
                        if let Some(list) = &mut key.collections {
                            list.remove(&collection);
                        }
                    }
                } else {
                    t.grants.insert(collection, scopes);
                }
                Touched::Tenant(tenant)
            }
            Change::SetRateLimit { tenant, rate_limit } => {
                state.tenant_mut(&tenant)?.rate_limit = rate_limit;
                Touched::Tenant(tenant)
            }
            Change::PutCollection { name, policy } => {
                state.collections.insert(name.clone(), policy);
                Touched::Collection(name)
            }
            Change::DeleteCollection { name } => {
                if !state.collections.contains_key(&name) {
                    return Err(Error::NotFound(format!(
                        "collection policy `{name}` does not exist"
                    )));
                }
                let holders: Vec<&str> = state
                    .tenants
                    .values()
                    .filter(|t| t.grants.contains_key(&name))
                    .map(|t| t.id.as_str())
                    .collect();
                if !holders.is_empty() {
                    return Err(Error::AlreadyExists(format!(
                        "collection `{name}` is still granted to {}; remove those grants first",
                        holders.join(", ")
                    )));
                }
                state.collections.remove(&name);
                Touched::Collection(name)
            }
            Change::AddKey { tenant, key } => {
                if let Some(owner) = state.key_owner(&key.id) {
                    return Err(Error::AlreadyExists(format!(
                        "API key `{}` already exists (tenant `{}`)",
                        key.id, owner.id
                    )));
                }
                state.tenant_mut(&tenant)?.keys.push(key);
                Touched::Tenant(tenant)
            }
            Change::RevokeKey { id } => {
                let owner = state
                    .key_owner(&id)
                    .map(|t| t.id.clone())
                    .ok_or_else(|| Error::NotFound(format!("API key `{id}` does not exist")))?;
                state.tenant_mut(&owner)?.keys.retain(|k| k.id != id);
                Touched::Tenant(owner)
            }
            Change::RevokeToken { jti, expires_at } => {
                state.revoked_tokens.insert(jti.clone(), expires_at);
                Touched::Token(jti)
            }
        })
    }
}

/// The SQLite database and the state it holds.
pub struct Store {
    db: Mutex<(Connection, PolicyState)>,
    provenance_field: String,
}

const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS tenants (id TEXT PRIMARY KEY, doc TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS collections (name TEXT PRIMARY KEY, doc TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS revoked_tokens (jti TEXT PRIMARY KEY, expires_at INTEGER NOT NULL);
";

fn db_error(context: &str, e: impl std::fmt::Display) -> Error {
    Error::internal(context, e)
}

fn now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or_default()
}

impl Store {
    /// Opens (or creates and seeds from `config`) the store at `path`.
    pub fn open(path: &Path, config: &Config) -> anyhow::Result<Self> {
        let mut conn = Connection::open(path)
            .map_err(|e| anyhow::anyhow!("cannot open the policy store {}: {e}", path.display()))?;
        conn.pragma_update(None, "journal_mode", "WAL")?;
        conn.pragma_update(None, "synchronous", "FULL")?;
        conn.busy_timeout(std::time::Duration::from_secs(5))?;
        conn.execute_batch(SCHEMA)?;
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600))?;
        }
        let seeded: Option<String> = conn
            .query_row("SELECT value FROM meta WHERE key = 'seeded'", [], |r| {
                r.get(0)
            })
            .optional()?;
        let provenance_field = config.provenance.field.clone();
        let state = if seeded.is_none() {
            let state = PolicyState::from_config(config);
            let tx = conn.transaction()?;
            for tenant in state.tenants.values() {
                write_tenant(&tx, &tenant.id, Some(tenant))?;
            }
            for (name, policy) in &state.collections {
                write_collection(&tx, name, Some(policy))?;
            }
            tx.execute(
                "INSERT INTO meta (key, value) VALUES ('seeded', ?1)",
                params![now().to_string()],
            )?;
            tx.commit()?;
            tracing::info!(path = %path.display(), tenants = state.tenants.len(), "policy store created from the configuration");
            state
        } else {
            let state = read_state(&conn)?;
            if state.tenants != PolicyState::from_config(config).tenants
                || state.collections != config.collections
            {
                tracing::warn!(
                    "the configuration's tenants or collections differ from the policy store; \
                     the store wins (the file only seeds a new store; use the admin API)"
                );
            }
            state
        };
        state
            .check(&provenance_field)
            .map_err(|e| anyhow::anyhow!("the policy store {} is invalid: {e}", path.display()))?;
        Ok(Store {
            db: Mutex::new((conn, state)),
            provenance_field,
        })
    }

    /// The current state.
    pub fn state(&self) -> PolicyState {
        self.db.lock().1.clone()
    }

    /// Whether the database answers.
    pub fn ready(&self) -> bool {
        let db = self.db.lock();
        db.0.query_row("SELECT 1", [], |r| r.get::<_, i64>(0))
            .is_ok()
    }

    /// Applies `change` durably. `accept` sees the candidate state first and
    /// may refuse it (e.g. when no policy snapshot can be built from it);
    /// nothing is written then. `publish` sees the committed state while
    /// changes are still serialised, so states are published in the order
    /// they were written. Returns the new state.
    pub fn apply(
        &self,
        change: Change,
        accept: impl FnOnce(&PolicyState) -> Result<()>,
        publish: impl FnOnce(&PolicyState),
    ) -> Result<PolicyState> {
        let mut db = self.db.lock();
        let mut next = db.1.clone();
        let touched = change.apply(&mut next)?;
        // Revocations are kept only until the token would have expired.
        let now = now();
        next.revoked_tokens.retain(|_, expires| *expires >= now);
        next.check(&self.provenance_field)
            .map_err(Error::BadInput)?;
        accept(&next)?;
        let conn = &mut db.0;
        let tx = conn
            .transaction()
            .map_err(|e| db_error("policy store", e))?;
        let written = match &touched {
            Touched::Tenant(id) => write_tenant(&tx, id, next.tenants.get(id)),
            Touched::Collection(name) => write_collection(&tx, name, next.collections.get(name)),
            Touched::Token(jti) => tx
                .execute(
                    "INSERT OR REPLACE INTO revoked_tokens (jti, expires_at) VALUES (?1, ?2)",
                    params![
                        jti,
                        next.revoked_tokens.get(jti).copied().unwrap_or(now) as i64
                    ],
                )
                .map(drop),
        };
        written
            .and_then(|()| {
                tx.execute(
                    "DELETE FROM revoked_tokens WHERE expires_at < ?1",
                    params![now as i64],
                )
            })
            .map_err(|e| db_error("policy store", e))?;
        tx.commit().map_err(|e| db_error("policy store", e))?;
        publish(&next);
        db.1 = next.clone();
        Ok(next)
    }
}

/// Writes (or, given `None`, deletes) one JSON document row of `table`
/// (`tenants` keyed by `id`, `collections` keyed by `name`).
fn write_doc(
    conn: &Connection,
    table: &str,
    key_column: &str,
    key: &str,
    doc: Option<&impl serde::Serialize>,
) -> rusqlite::Result<()> {
    match doc {
        Some(doc) => {
            let text = serde_json::to_string(doc)
                .map_err(|e| rusqlite::Error::ToSqlConversionFailure(Box::new(e)))?;
            conn.execute(
                &format!("INSERT OR REPLACE INTO {table} ({key_column}, doc) VALUES (?1, ?2)"),
                params![key, text],
            )?;
        }
        None => {
            conn.execute(
                &format!("DELETE FROM {table} WHERE {key_column} = ?1"),
                params![key],
            )?;
        }
    }
    Ok(())
}

fn write_tenant(conn: &Connection, id: &str, tenant: Option<&Tenant>) -> rusqlite::Result<()> {
    write_doc(conn, "tenants", "id", id, tenant)
}

fn write_collection(
    conn: &Connection,
    name: &str,
    policy: Option<&CollectionPolicy>,
) -> rusqlite::Result<()> {
    write_doc(conn, "collections", "name", name, policy)
}

fn read_state(conn: &Connection) -> anyhow::Result<PolicyState> {
    let mut state = PolicyState::default();
    let mut rows = conn.prepare("SELECT id, doc FROM tenants")?;
    for row in rows.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))? {
        let (id, doc) = row?;
        let tenant: Tenant = serde_json::from_str(&doc)
            .map_err(|e| anyhow::anyhow!("policy store: tenant `{id}`: {e}"))?;
        state.tenants.insert(id, tenant);
    }
    let mut rows = conn.prepare("SELECT name, doc FROM collections")?;
    for row in rows.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))? {
        let (name, doc) = row?;
        let policy: CollectionPolicy = serde_json::from_str(&doc)
            .map_err(|e| anyhow::anyhow!("policy store: collection `{name}`: {e}"))?;
        state.collections.insert(name, policy);
    }
    let mut rows = conn.prepare("SELECT jti, expires_at FROM revoked_tokens")?;
    for row in rows.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?)))? {
        let (jti, expires) = row?;
        state.revoked_tokens.insert(jti, expires.max(0) as u64);
    }
    Ok(state)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::auth::Scope;

    fn config() -> Config {
        toml::from_str(
            "[collections.docs]\ntenancy = \"payload\"\n[[tenants]]\nid = \"acme\"\ngrants = { docs = [\"read\"] }\n",
        )
        .unwrap()
    }

    #[test]
    fn seeds_once_then_keeps_changes() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("policy.db");
        let store = Store::open(&path, &config()).unwrap();
        assert!(store.state().tenants.contains_key("acme"));
        store
            .apply(
                Change::CreateTenant {
                    id: "globex".into(),
                    rate_limit: None,
                },
                |_| Ok(()),
                |_| {},
            )
            .unwrap();
        store
            .apply(
                Change::DeleteTenant { id: "acme".into() },
                |_| Ok(()),
                |_| {},
            )
            .unwrap();
        drop(store);
        // Reopened with the same file: the deleted tenant stays deleted.
        let store = Store::open(&path, &config()).unwrap();
        let tenants: Vec<_> = store.state().tenants.into_keys().collect();
        assert_eq!(tenants, ["globex"]);
    }

    #[test]
    fn refused_changes_write_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("policy.db");
        let store = Store::open(&path, &config()).unwrap();
        let before = store.state();
        let grant_unknown = Change::SetGrant {
            tenant: "acme".into(),
            collection: "nope".into(),
            scopes: [Scope::Read].into(),
        };
        let err = store.apply(grant_unknown, |_| Ok(()), |_| {}).unwrap_err();
        assert!(err.to_string().contains("nope"), "{err}");
        let vetoed = store.apply(
            Change::CreateTenant {
                id: "x".into(),
                rate_limit: None,
            },
            |_| Err(Error::BadInput("vetoed".into())),
            |_| {},
        );
        assert!(vetoed.is_err());
        let bad_id = Change::CreateTenant {
            id: "a b".into(),
            rate_limit: None,
        };
        assert!(store.apply(bad_id, |_| Ok(()), |_| {}).is_err());
        assert_eq!(store.state(), before);
        drop(store);
        assert_eq!(Store::open(&path, &config()).unwrap().state(), before);
    }

    #[test]
    fn granted_collection_cannot_lose_its_policy() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&dir.path().join("p.db"), &config()).unwrap();
        let err = store
            .apply(
                Change::DeleteCollection {
                    name: "docs".into(),
                },
                |_| Ok(()),
                |_| {},
            )
            .unwrap_err();
        assert!(err.to_string().contains("acme"), "{err}");
    }
}
