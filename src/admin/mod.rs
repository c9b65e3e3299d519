//! The admin API: its own listener (default `127.0.0.1:6335`), the admin
//! key only, JSON resources for tenants, grants, collection policies, API
//! keys, tokens, rate limits, signing keys, the scanner and the audit trail;
//! plus `/metrics`, `/healthz`, `/readyz` and `/openapi.json`.
//!
//! Every change is written to the durable [`Store`] first and then swapped
//! into the data plane's policy snapshot: acknowledged means on disk and in
//! force, and requests in flight finish on the snapshot they started with.
//! The OpenAPI document is generated from the same route table that serves
//! (`utoipa-axum`), so it cannot drift from the routes.
//!
//! The admin API writes the policy store; the data plane only reads
//! snapshots of it.

mod handlers;

use std::path::PathBuf;
use std::sync::Arc;

use axum::extract::{Request, State};
use axum::http::{header, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::Json;
use parking_lot::Mutex;
use utoipa::openapi::security::{ApiKey, ApiKeyValue, HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::OpenApi;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::auth::Caller;
use crate::error::{Error, Result};
use crate::pipeline::Pipeline;
use crate::policy::PolicyStore;
use crate::store::{Change, PolicyState, Store};

/// What the admin handlers work on.
#[derive(Clone)]
pub struct Admin {
    store: Arc<Store>,
    pipeline: Pipeline,
    /// The signing key file, when keys are managed there (not from the
    /// environment).
    keys_file: Option<PathBuf>,
    /// Serialises changes to the signing key file.
    signing: Arc<Mutex<()>>,
    /// Where the scanner is reloaded from (`None`: built in).
    scanner_policies: Option<PathBuf>,
}

impl Admin {
    pub fn new(
        store: Arc<Store>,
        pipeline: Pipeline,
        keys_file: Option<PathBuf>,
        scanner_policies: Option<PathBuf>,
    ) -> Self {
        Self {
            store,
            pipeline,
            keys_file,
            signing: Arc::default(),
            scanner_policies,
        }
    }

    fn policy(&self) -> &Arc<PolicyStore> {
        self.pipeline.policy()
    }

    /// Writes `change` durably, then puts it in force.
    fn apply(&self, change: Change) -> Result<PolicyState> {
        let policy = self.policy().clone();
        tracing::info!(?change, "admin change");
        self.store.apply(
            change,
            |state| {
                // Refuse a state no snapshot can be built from before writing it.
                policy
                    .snapshot()
                    .with_state(state)
                    .map(drop)
                    .map_err(Error::BadInput)
            },
            |state| {
                let swapped = policy.try_update(|snapshot| {
                    *snapshot = snapshot.with_state(state)?;
                    Ok::<(), String>(())
                });
                if let Err(e) = swapped {
                    // Cannot happen: the same state was built above.
                    tracing::error!(error = %e, "policy snapshot not updated");
                }
            },
        )
    }
}

#[derive(OpenApi)]
#[openapi(
    info(
        title = "ragwall admin API",
        description = "Tenants, grants, collection policies, credentials, signing keys, scanner and audit trail of a ragwall retrieval firewall. Every endpoint except health, readiness and this document needs the admin key (`api-key` header or `Authorization: Bearer`)."
    ),
    modifiers(&Security),
    security(("api_key" = []), ("bearer" = []))
)]
struct ApiDoc;

struct Security;

impl utoipa::Modify for Security {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "api_key",
            SecurityScheme::ApiKey(ApiKey::Header(ApiKeyValue::new("api-key"))),
        );
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
        );
    }
}

/// The routes, and the OpenAPI document generated from them.
fn routes() -> (axum::Router<Admin>, utoipa::openapi::OpenApi) {
    use handlers::*;
    OpenApiRouter::with_openapi(ApiDoc::openapi())
        .routes(routes!(list_tenants, create_tenant))
        .routes(routes!(get_tenant, delete_tenant))
        .routes(routes!(put_grant, delete_grant))
        .routes(routes!(put_rate_limit, delete_rate_limit))
        .routes(routes!(list_keys, create_key))
        .routes(routes!(revoke_key))
        .routes(routes!(mint_token))
        .routes(routes!(revoke_token))
        .routes(routes!(list_collections))
        .routes(routes!(get_collection, put_collection, delete_collection))
        .routes(routes!(list_signing_keys, add_signing_key))
        .routes(routes!(activate_signing_key))
        .routes(routes!(retire_signing_key))
        .routes(routes!(reload_scanner))
        .routes(routes!(query_audit))
        .routes(routes!(metrics))
        .split_for_parts()
}

/// The OpenAPI document of the admin API.
pub fn openapi() -> utoipa::openapi::OpenApi {
    routes().1
}

/// The admin router: authenticated API, plus health, readiness and the
/// document without credentials.
pub fn router(admin: Admin) -> axum::Router {
    let (api, doc) = routes();
    let doc = Arc::new(doc);
    let api = api.layer(axum::middleware::from_fn_with_state(
        admin.clone(),
        authenticated,
    ));
    axum::Router::new()
        .route("/healthz", axum::routing::get(|| async { "ok" }))
        .route("/readyz", axum::routing::get(readyz))
        .route(
            "/openapi.json",
            axum::routing::get(move || {
                let doc = doc.clone();
                async move { Json(doc.as_ref().clone()) }
            }),
        )
        .merge(api)
        .fallback(|| async { Error::NotFound("no such admin endpoint".into()) })
        .with_state(admin)
}

/// Ready when both the policy store and the backend answer.
async fn readyz(State(admin): State<Admin>) -> Response {
    let store = admin.store.clone();
    let store_ready = tokio::task::spawn_blocking(move || store.ready())
        .await
        .unwrap_or(false);
    let backend_ready = admin.pipeline.backend().ready().await;
    match (store_ready, backend_ready) {
        (true, true) => "ready".into_response(),
        (false, _) => {
            (StatusCode::SERVICE_UNAVAILABLE, "policy store is not ready").into_response()
        }
        (_, false) => (StatusCode::SERVICE_UNAVAILABLE, "backend is not ready").into_response(),
    }
}

/// The admin key only: no credential or an unknown one is 401, a tenant
/// credential (key or token) is 403. Every authenticated admin request is
/// written to the audit trail too.
async fn authenticated(State(admin): State<Admin>, request: Request, next: Next) -> Response {
    let headers = request.headers();
    let header = |name: &str| headers.get(name).and_then(|v| v.to_str().ok());
    let id = crate::audit::request_id(header("x-request-id"), header("traceparent"));
    let credential =
        crate::auth::presented(header("api-key"), header(header::AUTHORIZATION.as_str()));
    let endpoint = format!(
        "{} {}",
        request.method(),
        request
            .extensions()
            .get::<axum::extract::MatchedPath>()
            .map_or(request.uri().path(), |m| m.as_str())
    );
    let entry = admin.pipeline.trail().begin("admin", id.clone(), endpoint);
    let refused = match admin.policy().snapshot().authenticate(credential) {
        Ok(Caller::Admin) => None,
        Ok(Caller::Tenant(p)) => {
            entry.caller(Some(&p.tenant), &p.credential_id);
            Some(entry.deny(Error::Forbidden(
                "tenant credentials cannot use the admin API".into(),
            )))
        }
        Err(e) => Some(entry.deny(e)),
    };
    let mut response = match refused {
        Some(error) => error.into_response(),
        None => {
            entry.caller(None, "admin");
            next.run(request).await
        }
    };
    entry.responded(response.status().as_u16(), None);
    if let Ok(value) = header::HeaderValue::from_str(&id) {
        response.headers_mut().insert("x-request-id", value);
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn document_lists_every_resource() {
        let doc = serde_json::to_value(openapi()).unwrap();
        let paths = doc["paths"].as_object().unwrap();
        for path in [
            "/v1/tenants",
            "/v1/tenants/{tenant}",
            "/v1/tenants/{tenant}/grants/{collection}",
            "/v1/tenants/{tenant}/rate-limit",
            "/v1/tenants/{tenant}/keys",
            "/v1/tenants/{tenant}/keys/{key}",
            "/v1/tenants/{tenant}/tokens",
            "/v1/tokens/{token}",
            "/v1/collections",
            "/v1/collections/{collection}",
            "/v1/signing-keys",
            "/v1/signing-keys/{key}/activate",
            "/v1/signing-keys/{key}/retire",
            "/v1/scanner/reload",
            "/v1/audit",
            "/metrics",
        ] {
            assert!(
                paths.contains_key(path),
                "{path} missing from {:?}",
                paths.keys()
            );
        }
    }
}
