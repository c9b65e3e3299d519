//! The admin API's handlers, one per route, each annotated for the OpenAPI
//! document. Bodies are parsed strictly (unknown fields are refused and the
//! error names the field); changes go through [`Admin::apply`].

use std::collections::BTreeSet;

use axum::extract::{Path, State};
use axum::http::{StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::Admin;
use crate::api::body::Body;
use crate::audit::Record;
use crate::auth::Scope;
use crate::config::{is_plain_id, ApiKey, CollectionPolicy, RateLimit, Tenant};
use crate::error::{Error, Result};
use crate::provenance::KeyState;
use crate::store::Change;
use crate::token::Minted;

/// Qdrant's error shape, used for every refusal.
#[derive(Serialize, ToSchema)]
pub struct ErrorBody {
    #[schema(example = json!({"error": "Wrong input: …"}))]
    status: serde_json::Value,
    time: f64,
}

// -------------------------------------------------------------------- tenants

/// A tenant as the admin API shows it: never a key's secret or hash.
#[derive(Serialize, ToSchema)]
pub struct TenantView {
    id: String,
    /// Collection → operations.
    grants: std::collections::BTreeMap<String, BTreeSet<Scope>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    rate_limit: Option<RateLimit>,
    keys: Vec<KeyView>,
}

/// An API key, without its secret.
#[derive(Serialize, ToSchema)]
pub struct KeyView {
    id: String,
    scopes: BTreeSet<Scope>,
    #[serde(skip_serializing_if = "Option::is_none")]
    collections: Option<BTreeSet<String>>,
}

impl From<&ApiKey> for KeyView {
    fn from(k: &ApiKey) -> Self {
        KeyView {
            id: k.id.clone(),
            scopes: k.scopes.clone(),
            collections: k.collections.clone(),
        }
    }
}

impl From<&Tenant> for TenantView {
    fn from(t: &Tenant) -> Self {
        TenantView {
            id: t.id.clone(),
            grants: t.grants.clone(),
            rate_limit: t.rate_limit,
            keys: t.keys.iter().map(KeyView::from).collect(),
        }
    }
}

fn tenant_view(admin: &Admin, id: &str) -> Result<TenantView> {
    admin
        .store
        .state()
        .tenants
        .get(id)
        .map(TenantView::from)
        .ok_or_else(|| Error::NotFound(format!("tenant `{id}` does not exist")))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewTenant {
    /// 1–64 of `[A-Za-z0-9._-]`.
    id: String,
    #[serde(default)]
    rate_limit: Option<RateLimit>,
}

/// Lists tenants.
#[utoipa::path(get, path = "/v1/tenants", tag = "tenants",
    responses((status = 200, body = Vec<TenantView>), (status = 401, body = ErrorBody)))]
pub async fn list_tenants(State(admin): State<Admin>) -> Json<Vec<TenantView>> {
    Json(
        admin
            .store
            .state()
            .tenants
            .values()
            .map(TenantView::from)
            .collect(),
    )
}

/// Creates a tenant (no grants, no keys yet).
#[utoipa::path(post, path = "/v1/tenants", tag = "tenants", request_body = NewTenant,
    responses((status = 201, body = TenantView), (status = 400, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn create_tenant(
    State(admin): State<Admin>,
    Body(new): Body<NewTenant>,
) -> Result<(StatusCode, Json<TenantView>)> {
    if !is_plain_id(&new.id) {
        return Err(Error::BadInput("id: must be 1-64 of [A-Za-z0-9._-]".into()));
    }
    let id = new.id.clone();
    blocking(admin.clone(), move |a| {
        a.apply(Change::CreateTenant {
            id: new.id,
            rate_limit: new.rate_limit,
        })
    })
    .await?;
    Ok((StatusCode::CREATED, Json(tenant_view(&admin, &id)?)))
}

/// A tenant, its grants, rate limit and keys.
#[utoipa::path(get, path = "/v1/tenants/{tenant}", tag = "tenants",
    params(("tenant" = String, Path)),
    responses((status = 200, body = TenantView), (status = 404, body = ErrorBody)))]
pub async fn get_tenant(
    State(admin): State<Admin>,
    Path(tenant): Path<String>,
) -> Result<Json<TenantView>> {
    tenant_view(&admin, &tenant).map(Json)
}

/// Deletes a tenant: its grants, API keys and every token minted from them
/// stop working at once.
#[utoipa::path(delete, path = "/v1/tenants/{tenant}", tag = "tenants",
    params(("tenant" = String, Path)),
    responses((status = 204), (status = 404, body = ErrorBody)))]
pub async fn delete_tenant(
    State(admin): State<Admin>,
    Path(tenant): Path<String>,
) -> Result<StatusCode> {
    blocking(admin, move |a| a.apply(Change::DeleteTenant { id: tenant })).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Grant {
    /// Operations on the collection: `read`, `write`, `sign`.
    operations: BTreeSet<Scope>,
}

/// Grants a tenant operations on a collection (replacing any earlier grant).
#[utoipa::path(put, path = "/v1/tenants/{tenant}/grants/{collection}", tag = "tenants",
    params(("tenant" = String, Path), ("collection" = String, Path)), request_body = Grant,
    responses((status = 200, body = TenantView), (status = 400, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn put_grant(
    State(admin): State<Admin>,
    Path((tenant, collection)): Path<(String, String)>,
    Body(grant): Body<Grant>,
) -> Result<Json<TenantView>> {
    if grant.operations.is_empty() {
        return Err(Error::BadInput(
            "operations: name at least one of read, write, sign (DELETE removes a grant)".into(),
        ));
    }
    let id = tenant.clone();
    blocking(admin.clone(), move |a| {
        a.apply(Change::SetGrant {
            tenant,
            collection,
            scopes: grant.operations,
        })
    })
    .await?;
    tenant_view(&admin, &id).map(Json)
}

/// Removes a tenant's grant on a collection (keys narrowed to it lose it).
#[utoipa::path(delete, path = "/v1/tenants/{tenant}/grants/{collection}", tag = "tenants",
    params(("tenant" = String, Path), ("collection" = String, Path)),
    responses((status = 200, body = TenantView), (status = 404, body = ErrorBody)))]
pub async fn delete_grant(
    State(admin): State<Admin>,
    Path((tenant, collection)): Path<(String, String)>,
) -> Result<Json<TenantView>> {
    let id = tenant.clone();
    blocking(admin.clone(), move |a| {
        a.apply(Change::SetGrant {
            tenant,
            collection,
            scopes: BTreeSet::new(),
        })
    })
    .await?;
    tenant_view(&admin, &id).map(Json)
}

/// Sets a tenant's request rate limit (all its credentials together).
#[utoipa::path(put, path = "/v1/tenants/{tenant}/rate-limit", tag = "tenants",
    params(("tenant" = String, Path)), request_body = RateLimit,
    responses((status = 200, body = TenantView), (status = 400, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn put_rate_limit(
    State(admin): State<Admin>,
    Path(tenant): Path<String>,
    Body(limit): Body<RateLimit>,
) -> Result<Json<TenantView>> {
    if limit.per_second == 0 {
        return Err(Error::BadInput("per_second: must be at least 1".into()));
    }
    if limit.burst == 0 {
        return Err(Error::BadInput("burst: must be at least 1".into()));
    }
    let id = tenant.clone();
    blocking(admin.clone(), move |a| {
        a.apply(Change::SetRateLimit {
            tenant,
            rate_limit: Some(limit),
        })
    })
    .await?;
    tenant_view(&admin, &id).map(Json)
}

/// Removes a tenant's rate limit.
#[utoipa::path(delete, path = "/v1/tenants/{tenant}/rate-limit", tag = "tenants",
    params(("tenant" = String, Path)),
    responses((status = 200, body = TenantView), (status = 404, body = ErrorBody)))]
pub async fn delete_rate_limit(
    State(admin): State<Admin>,
    Path(tenant): Path<String>,
) -> Result<Json<TenantView>> {
    let id = tenant.clone();
    blocking(admin.clone(), move |a| {
        a.apply(Change::SetRateLimit {
            tenant,
            rate_limit: None,
        })
    })
    .await?;
    tenant_view(&admin, &id).map(Json)
}

// ------------------------------------------------------------------- API keys

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewKey {
    /// 1–64 of `[A-Za-z0-9._-]`, unique across tenants; generated if absent.
    #[serde(default)]
    id: Option<String>,
    /// `read`, `write`, `sign`.
    scopes: BTreeSet<Scope>,
    /// Narrows the key to some of the tenant's granted collections.
    #[serde(default)]
    collections: Option<BTreeSet<String>>,
}

/// A new API key: the secret is shown here once and never again.
#[derive(Serialize, ToSchema)]
pub struct CreatedKey {
    id: String,
    tenant: String,
    /// The secret to hand to the application.
    key: String,
    scopes: BTreeSet<Scope>,
    #[serde(skip_serializing_if = "Option::is_none")]
    collections: Option<BTreeSet<String>>,
}

/// A tenant's API keys (ids and scopes only).
#[utoipa::path(get, path = "/v1/tenants/{tenant}/keys", tag = "credentials",
    params(("tenant" = String, Path)),
    responses((status = 200, body = Vec<KeyView>), (status = 404, body = ErrorBody)))]
pub async fn list_keys(
    State(admin): State<Admin>,
    Path(tenant): Path<String>,
) -> Result<Json<Vec<KeyView>>> {
    tenant_view(&admin, &tenant).map(|t| Json(t.keys))
}

/// Creates an API key for a tenant; only its hash is stored.
#[utoipa::path(post, path = "/v1/tenants/{tenant}/keys", tag = "credentials",
    params(("tenant" = String, Path)), request_body = NewKey,
    responses((status = 201, body = CreatedKey), (status = 400, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn create_key(
    State(admin): State<Admin>,
    Path(tenant): Path<String>,
    Body(new): Body<NewKey>,
) -> Result<(StatusCode, Json<CreatedKey>)> {
    if new.scopes.is_empty() {
        return Err(Error::BadInput(
            "scopes: name at least one of read, write, sign".into(),
        ));
    }
    let id = match new.id {
        Some(id) if !is_plain_id(&id) => {
            return Err(Error::BadInput("id: must be 1-64 of [A-Za-z0-9._-]".into()))
        }
        Some(id) => id,
        None => format!("{tenant}-{}", &crate::auth::new_api_key()[3..11]),
    };
    let secret = crate::auth::new_api_key();
    let key = ApiKey {
        id: id.clone(),
        hash: crate::auth::key_hash(&secret),
        scopes: new.scopes.clone(),
        collections: new.collections.clone(),
    };
    let owner = tenant.clone();
    blocking(admin, move |a| {
        a.apply(Change::AddKey { tenant: owner, key })
    })
    .await?;
    Ok((
        StatusCode::CREATED,
        Json(CreatedKey {
            id,
            tenant,
            key: secret,
            scopes: new.scopes,
            collections: new.collections,
        }),
    ))
}

/// Revokes an API key; tokens minted from it stop working at once.
#[utoipa::path(delete, path = "/v1/tenants/{tenant}/keys/{key}", tag = "credentials",
    params(("tenant" = String, Path), ("key" = String, Path)),
    responses((status = 204), (status = 404, body = ErrorBody)))]
pub async fn revoke_key(
    State(admin): State<Admin>,
    Path((tenant, key)): Path<(String, String)>,
) -> Result<StatusCode> {
    let owned = admin
        .store
        .state()
        .key_owner(&key)
        .is_some_and(|t| t.id == tenant);
    if !owned {
        return Err(Error::NotFound(format!(
            "tenant `{tenant}` has no API key `{key}`"
        )));
    }
    blocking(admin, move |a| a.apply(Change::RevokeKey { id: key })).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewToken {
    /// The API key the token derives from (revoking the key revokes the
    /// token). Without one the token stands for the tenant itself and
    /// `scopes` is required.
    #[serde(default)]
    key: Option<String>,
    /// Lifetime in seconds (default 900, at most 3600).
    #[serde(default)]
    ttl_secs: Option<u64>,
    #[serde(default)]
    scopes: Option<BTreeSet<Scope>>,
    #[serde(default)]
    collections: Option<BTreeSet<String>>,
}

/// Mints a short-lived token for a tenant.
#[utoipa::path(post, path = "/v1/tenants/{tenant}/tokens", tag = "credentials",
    params(("tenant" = String, Path)), request_body = NewToken,
    responses((status = 201, body = Minted), (status = 400, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn mint_token(
    State(admin): State<Admin>,
    Path(tenant): Path<String>,
    Body(new): Body<NewToken>,
) -> Result<(StatusCode, Json<Minted>)> {
    let snapshot = admin.policy().snapshot();
    let parent = match &new.key {
        Some(key) => snapshot
            .keys
            .principal(key)
            .filter(|p| p.tenant == tenant)
            .ok_or_else(|| Error::NotFound(format!("tenant `{tenant}` has no API key `{key}`")))?,
        None => {
            if new.scopes.is_none() {
                return Err(Error::BadInput(
                    "scopes: required when no `key` is named".into(),
                ));
            }
            snapshot
                .tenant_principal(&tenant)
                .ok_or_else(|| Error::NotFound(format!("tenant `{tenant}` does not exist")))?
        }
    };
    let minted = snapshot
        .tokens
        .mint(&parent, new.ttl_secs, new.scopes, new.collections)?;
    Ok((StatusCode::CREATED, Json(minted)))
}

/// Revokes a token by its id before it expires.
#[utoipa::path(delete, path = "/v1/tokens/{token}", tag = "credentials",
    params(("token" = String, Path, description = "The token's id (`id` when minted)")),
    responses((status = 204), (status = 400, body = ErrorBody)))]
pub async fn revoke_token(
    State(admin): State<Admin>,
    Path(token): Path<String>,
) -> Result<StatusCode> {
    if token.is_empty() || token.len() > 64 || !token.bytes().all(|b| b.is_ascii_alphanumeric()) {
        return Err(Error::BadInput("token: not a token id".into()));
    }
    let expires_at = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or_default()
        + crate::token::MAX_TTL_SECS;
    blocking(admin, move |a| {
        a.apply(Change::RevokeToken {
            jti: token,
            expires_at,
        })
    })
    .await?;
    Ok(StatusCode::NO_CONTENT)
}

// ---------------------------------------------------------------- collections

/// A collection's policy with its name.
#[derive(Serialize, ToSchema)]
pub struct CollectionView {
    name: String,
    #[serde(flatten)]
    policy: CollectionPolicy,
}

/// Every collection policy (collections without one are refused to tenants).
#[utoipa::path(get, path = "/v1/collections", tag = "collections",
    responses((status = 200, body = Vec<CollectionView>)))]
pub async fn list_collections(State(admin): State<Admin>) -> Json<Vec<CollectionView>> {
    Json(
        admin
            .store
            .state()
            .collections
            .into_iter()
            .map(|(name, policy)| CollectionView { name, policy })
            .collect(),
    )
}

/// One collection's policy.
#[utoipa::path(get, path = "/v1/collections/{collection}", tag = "collections",
    params(("collection" = String, Path)),
    responses((status = 200, body = CollectionView), (status = 404, body = ErrorBody)))]
pub async fn get_collection(
    State(admin): State<Admin>,
    Path(collection): Path<String>,
) -> Result<Json<CollectionView>> {
    let policy = admin
        .store
        .state()
        .collections
        .remove(&collection)
        .ok_or_else(|| {
            Error::NotFound(format!("collection policy `{collection}` does not exist"))
        })?;
    Ok(Json(CollectionView {
        name: collection,
        policy,
    }))
}

/// Creates or replaces a collection's policy: tenancy, tenant field, content
/// fields, provenance mode, scanner action and threshold.
#[utoipa::path(put, path = "/v1/collections/{collection}", tag = "collections",
    params(("collection" = String, Path)), request_body = CollectionPolicy,
    responses((status = 200, body = CollectionView), (status = 400, body = ErrorBody)))]
pub async fn put_collection(
    State(admin): State<Admin>,
    Path(collection): Path<String>,
    Body(policy): Body<CollectionPolicy>,
) -> Result<Json<CollectionView>> {
    if collection.is_empty() || collection.len() > 255 || collection.contains('/') {
        return Err(Error::BadInput("collection: not a collection name".into()));
    }
    let name = collection.clone();
    let stored = policy.clone();
    blocking(admin, move |a| {
        a.apply(Change::PutCollection {
            name,
            policy: stored,
        })
    })
    .await?;
    Ok(Json(CollectionView {
        name: collection,
        policy,
    }))
}

/// Removes a collection's policy (refused while any tenant is granted it).
#[utoipa::path(delete, path = "/v1/collections/{collection}", tag = "collections",
    params(("collection" = String, Path)),
    responses((status = 204), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn delete_collection(
    State(admin): State<Admin>,
    Path(collection): Path<String>,
) -> Result<StatusCode> {
    blocking(admin, move |a| {
        a.apply(Change::DeleteCollection { name: collection })
    })
    .await?;
    Ok(StatusCode::NO_CONTENT)
}

// --------------------------------------------------------------- signing keys

/// A provenance signing key: its id and state, never its secret.
#[derive(Serialize, ToSchema)]
pub struct SigningKeyView {
    id: String,
    state: KeyState,
    /// Whether new chunks are signed with it.
    current: bool,
}

fn signing_keys(admin: &Admin) -> Vec<SigningKeyView> {
    let snapshot = admin.policy().snapshot();
    let current = snapshot.signing.current().map(str::to_owned);
    snapshot
        .signing
        .states()
        .into_iter()
        .map(|(id, state)| SigningKeyView {
            current: current.as_deref() == Some(id.as_str()),
            id,
            state,
        })
        .collect()
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewSigningKey {
    /// 1–64 of `[A-Za-z0-9._-]`; generated if absent.
    #[serde(default)]
    id: Option<String>,
    /// Sign new chunks with it at once (rotation). Default false: the key
    /// verifies only, so replicas can learn it before anyone signs with it.
    #[serde(default)]
    activate: bool,
}

/// Changes the key ring: written to the key file (0600, atomically), then
/// put in force.
fn change_ring(
    admin: &Admin,
    change: impl FnOnce(&mut crate::provenance::KeyRing) -> std::result::Result<(), String>,
) -> Result<()> {
    let path = admin.keys_file.clone().ok_or_else(|| {
        Error::AlreadyExists(
            "signing keys come from provenance.key (the environment); change them there".into(),
        )
    })?;
    let _serialised = admin.signing.lock();
    let mut ring = admin.policy().snapshot().signing.clone();
    change(&mut ring).map_err(Error::BadInput)?;
    crate::signing_keys::save(&path, &ring)
        .map_err(|e| Error::internal("writing the signing key file", e))?;
    admin.policy().update(|s| s.signing = ring.clone());
    tracing::info!(current = ?ring.current(), "signing key ring changed");
    Ok(())
}

/// The signing keys and their states.
#[utoipa::path(get, path = "/v1/signing-keys", tag = "signing keys",
    responses((status = 200, body = Vec<SigningKeyView>)))]
pub async fn list_signing_keys(State(admin): State<Admin>) -> Json<Vec<SigningKeyView>> {
    Json(signing_keys(&admin))
}

/// Adds a fresh random signing key (optionally signing with it at once).
#[utoipa::path(post, path = "/v1/signing-keys", tag = "signing keys", request_body = NewSigningKey,
    responses((status = 201, body = Vec<SigningKeyView>), (status = 400, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn add_signing_key(
    State(admin): State<Admin>,
    Body(new): Body<NewSigningKey>,
) -> Result<(StatusCode, Json<Vec<SigningKeyView>>)> {
    let id = match new.id {
        Some(id) if !is_plain_id(&id) => {
            return Err(Error::BadInput("id: must be 1-64 of [A-Za-z0-9._-]".into()))
        }
        Some(id) => id,
        None => format!("k{}", &crate::auth::new_api_key()[3..11]),
    };
    let views = blocking(admin, move |a| {
        change_ring(a, |ring| {
            ring.add(&id, crate::provenance::new_secret())?;
            if new.activate {
                ring.rotate(&id)?;
            }
            Ok(())
        })?;
        Ok(signing_keys(a))
    })
    .await?;
    Ok((StatusCode::CREATED, Json(views)))
}

/// Signs new chunks with this key; earlier keys keep verifying.
#[utoipa::path(post, path = "/v1/signing-keys/{key}/activate", tag = "signing keys",
    params(("key" = String, Path)),
    responses((status = 200, body = Vec<SigningKeyView>), (status = 400, body = ErrorBody)))]
pub async fn activate_signing_key(
    State(admin): State<Admin>,
    Path(key): Path<String>,
) -> Result<Json<Vec<SigningKeyView>>> {
    blocking(admin, move |a| {
        change_ring(a, |ring| ring.rotate(&key))?;
        Ok(signing_keys(a))
    })
    .await
    .map(Json)
}

/// Retires a key: chunks signed with it stop verifying (and are dropped).
#[utoipa::path(post, path = "/v1/signing-keys/{key}/retire", tag = "signing keys",
    params(("key" = String, Path)),
    responses((status = 200, body = Vec<SigningKeyView>), (status = 400, body = ErrorBody)))]
pub async fn retire_signing_key(
    State(admin): State<Admin>,
    Path(key): Path<String>,
) -> Result<Json<Vec<SigningKeyView>>> {
    blocking(admin, move |a| {
        change_ring(a, |ring| ring.retire(&key))?;
        Ok(signing_keys(a))
    })
    .await
    .map(Json)
}

// -------------------------------------------------------------------- scanner

#[derive(Serialize, ToSchema)]
pub struct ScannerView {
    /// A one-line description of the loaded packs and model.
    scanner: String,
}

/// Rebuilds the scanner from its pattern packs and model and swaps it in; a
/// pack that does not compile is refused and the running scanner kept.
#[utoipa::path(post, path = "/v1/scanner/reload", tag = "scanner",
    responses((status = 200, body = ScannerView), (status = 400, body = ErrorBody)))]
pub async fn reload_scanner(State(admin): State<Admin>) -> Result<Json<ScannerView>> {
    let dir = admin.scanner_policies.clone();
    let policy = admin.policy().clone();
    let scanner =
        tokio::task::spawn_blocking(move || crate::server::reload_scanner(&policy, dir.as_deref()))
            .await
            .map_err(|e| Error::internal("reloading the scanner", e))?
            .map_err(|e| Error::BadInput(format!("scanner packs: {e}")))?;
    Ok(Json(ScannerView { scanner }))
}

// ---------------------------------------------------------------------- audit

/// Recent audit records, newest first, filtered.
#[utoipa::path(get, path = "/v1/audit", tag = "audit",
    params(crate::audit::Query),
    responses((status = 200, body = Vec<Record>), (status = 400, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn query_audit(State(admin): State<Admin>, uri: Uri) -> Result<Json<Vec<Record>>> {
    let query: crate::audit::Query = match uri.query() {
        None => crate::audit::Query::default(),
        Some(_) => axum::extract::Query::try_from_uri(&uri)
            .map(|q| q.0)
            .map_err(|e| Error::BadInput(format!("invalid query parameters: {}", e.body_text())))?,
    };
    let dir = admin
        .pipeline
        .trail()
        .dir()
        .map(ToOwned::to_owned)
        .ok_or_else(|| Error::NotFound("the audit trail is disabled".into()))?;
    tokio::task::spawn_blocking(move || crate::audit::search(&dir, &query))
        .await
        .map_err(|e| Error::internal("reading the audit trail", e))?
        .map(Json)
}

// -------------------------------------------------------------------- metrics

/// Prometheus metrics (text exposition format).
#[utoipa::path(get, path = "/metrics", tag = "observability",
    responses((status = 200, content_type = "text/plain", body = String)))]
pub async fn metrics() -> Response {
    (
        [(
            axum::http::header::CONTENT_TYPE,
            "text/plain; version=0.0.4",
        )],
        crate::telemetry::render(),
    )
        .into_response()
}

/// Runs a store or key-file change off the async runtime (SQLite and fsync
/// block).
async fn blocking<T: Send + 'static>(
    admin: Admin,
    work: impl FnOnce(&Admin) -> Result<T> + Send + 'static,
) -> Result<T> {
    tokio::task::spawn_blocking(move || work(&admin))
        .await
        .map_err(|e| Error::internal("admin change", e))?
}
