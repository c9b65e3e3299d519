//! The protocol-neutral request pipeline.
//!
//! Adapters (REST, later gRPC) parse a request into an [`Operation`] and hand
//! it to [`Pipeline::run`]; they render the [`Outcome`] back in their own
//! protocol. The phases run in one order for every request:
//!
//! parse (adapter) → authenticate → authorize and rewrite → check ownership
//! of ids used as vectors → stamp writes ([`ingest`]) → execute on backend →
//! response phases: tenancy, provenance ([`inspect`]) → respond (adapter)
//!
//! Scanning and audit slot in here too, so each is written once for both
//! protocols.

mod ingest;
mod inspect;
mod rate_limit;
mod scan_cache;

pub use ingest::{SignPoint, SignRequest, Signer};
pub use inspect::{verify_chunk, Finding, Reason, Report};

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Instant;

use crate::audit::{Entry, PointNote, Trail};
use crate::auth::{Caller, Scope};
use crate::backend::Backend;
use crate::error::{Error, Result};
use crate::model::collection::{
    CollectionDescription, CollectionExistence, CollectionInfo, CollectionsList, CreateCollection,
    CreateFieldIndex,
};
use crate::model::output::{
    CountResult, FacetResponse, GroupsResult, QueryResponse, Record, ScrollResult, UpdateResult,
};
use crate::model::points::{PointStruct, PointsUpdate};
use crate::model::query::{
    CountRequest, FacetRequest, PointRequest, QueryGroupsRequest, QueryRequest, ScrollRequest,
};
use crate::model::{Filter, PointId};
use crate::policy::{self, Guard, OwnershipCheck, PolicyStore, Snapshot};
use crate::token::{looks_like_token, Minted};

/// Everything a data-plane client can ask for, whatever its protocol.
#[derive(Debug, Clone)]
pub enum Operation {
    ListCollections,
    /// `GET /aliases`: admin only.
    ListAliases,
    CollectionInfo {
        collection: String,
    },
    CollectionExists {
        collection: String,
    },
    CreateCollection {
        collection: String,
        request: CreateCollection,
    },
    DeleteCollection {
        collection: String,
    },
    CreateFieldIndex {
        collection: String,
        request: CreateFieldIndex,
        wait: bool,
    },
    DeleteFieldIndex {
        collection: String,
        field: String,
        wait: bool,
    },
    Update {
        collection: String,
        update: PointsUpdate,
        wait: bool,
    },
    Retrieve {
        collection: String,
        request: PointRequest,
    },
    Scroll {
        collection: String,
        request: ScrollRequest,
    },
    Count {
        collection: String,
        request: CountRequest,
    },
    Facet {
        collection: String,
        request: FacetRequest,
    },
    /// Universal queries; search and recommend are translated into these.
    Query {
        collection: String,
        requests: Vec<QueryRequest>,
    },
    QueryGroups {
        collection: String,
        request: QueryGroupsRequest,
    },
    /// `POST /v1/sign`: stamp points for a pipeline that writes elsewhere.
    Sign {
        request: SignRequest,
    },
    /// Retrieve restricted by a filter (policy's rewrite of `Retrieve`).
    RetrieveWhere {
        collection: String,
        request: PointRequest,
        filter: Filter,
    },
}

impl Operation {
    /// Every collection name the operation refers to: its path, and the
    /// collections of `lookup_from` and `with_lookup`.
    pub fn collection_names_mut(&mut self) -> Vec<&mut String> {
        use crate::model::query::{lookups_mut, WithLookup};
        match self {
            Operation::ListCollections | Operation::ListAliases => Vec::new(),
            Operation::Query {
                collection,
                requests,
            } => {
                let mut names = vec![collection];
                for r in requests.iter_mut() {
                    let found = lookups_mut(&mut r.lookup_from, &mut r.prefetch);
                    names.extend(found.into_iter().map(|l| &mut l.collection));
                }
                names
            }
            Operation::QueryGroups {
                collection,
                request,
            } => {
                let mut names = vec![collection];
                let found = lookups_mut(&mut request.lookup_from, &mut request.prefetch);
                names.extend(found.into_iter().map(|l| &mut l.collection));
                match &mut request.with_lookup {
                    Some(WithLookup::Collection(c)) => names.push(c),
                    Some(WithLookup::Full(f)) => names.push(&mut f.collection),
                    None => {}
                }
                names
            }
            Operation::CollectionInfo { collection }
            | Operation::CollectionExists { collection }
            | Operation::CreateCollection { collection, .. }
            | Operation::DeleteCollection { collection }
            | Operation::CreateFieldIndex { collection, .. }
            | Operation::DeleteFieldIndex { collection, .. }
            | Operation::Update { collection, .. }
            | Operation::Retrieve { collection, .. }
            | Operation::Scroll { collection, .. }
            | Operation::Count { collection, .. }
            | Operation::Facet { collection, .. }
            | Operation::RetrieveWhere { collection, .. } => vec![collection],
            Operation::Sign { request } => vec![&mut request.collection],
        }
    }

    /// A short stable name for logs and metrics.
    pub fn name(&self) -> &'static str {
        match self {
            Operation::ListCollections => "list_collections",
            Operation::ListAliases => "list_aliases",
            Operation::CollectionInfo { .. } => "collection_info",
            Operation::CollectionExists { .. } => "collection_exists",
            Operation::CreateCollection { .. } => "create_collection",
            Operation::DeleteCollection { .. } => "delete_collection",
            Operation::CreateFieldIndex { .. } => "create_field_index",
            Operation::DeleteFieldIndex { .. } => "delete_field_index",
            Operation::Update { .. } => "update",
            Operation::Retrieve { .. } => "retrieve",
            Operation::Scroll { .. } => "scroll",
            Operation::Count { .. } => "count",
            Operation::Facet { .. } => "facet",
            Operation::Query { .. } => "query",
            Operation::QueryGroups { .. } => "query_groups",
            Operation::RetrieveWhere { .. } => "retrieve",
            Operation::Sign { .. } => "sign",
        }
    }
}

/// `POST /v1/token` body: narrowing is optional.
#[derive(Debug, Clone, Default, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TokenRequest {
    #[serde(default)]
    pub ttl_secs: Option<u64>,
    #[serde(default)]
    pub scopes: Option<std::collections::BTreeSet<Scope>>,
    #[serde(default)]
    pub collections: Option<std::collections::BTreeSet<String>>,
}

/// What an operation produced, before any protocol shapes it.
#[derive(Debug, Clone)]
pub enum Outcome {
    Collections(CollectionsList),
    Aliases(serde_json::Value),
    Info(Box<CollectionInfo>),
    Exists(CollectionExistence),
    Done(bool),
    Update(UpdateResult),
    Records(Vec<Record>),
    Scroll(ScrollResult),
    Count(CountResult),
    Facet(FacetResponse),
    Queries(Vec<QueryResponse>),
    Groups(GroupsResult),
    Signed(Vec<SignPoint>),
}

impl Outcome {
    /// The ids of every point the outcome returns (hits, records, group
    /// hits and lookups), for the audit trail.
    pub fn point_ids(&self) -> Vec<serde_json::Value> {
        let id = |id: &PointId| serde_json::to_value(id).unwrap_or_default();
        match self {
            Outcome::Records(records) => records.iter().map(|r| id(&r.id)).collect(),
            Outcome::Scroll(page) => page.points.iter().map(|r| id(&r.id)).collect(),
            Outcome::Queries(responses) => responses
                .iter()
                .flat_map(|r| r.points.iter().map(|p| id(&p.id)))
                .collect(),
            Outcome::Groups(groups) => groups
                .groups
                .iter()
                .flat_map(|g| {
                    g.hits
                        .iter()
                        .map(|p| id(&p.id))
                        .chain(g.lookup.iter().map(|r| id(&r.id)))
                })
                .collect(),
            _ => Vec::new(),
        }
    }
}

/// An outcome and what the response phases did to it.
#[derive(Debug, Clone)]
pub struct Response {
    pub outcome: Outcome,
    pub report: Report,
}

/// The pipeline: shared by every listener, cheap to clone.
#[derive(Clone)]
pub struct Pipeline {
    backend: Arc<dyn Backend>,
    policy: Arc<PolicyStore>,
    scans: Arc<scan_cache::ScanCache>,
    limits: Arc<rate_limit::RateLimiter>,
    trail: Trail,
}

impl Pipeline {
    pub fn new(backend: Arc<dyn Backend>, policy: Arc<PolicyStore>) -> Self {
        Self {
            backend,
            policy,
            scans: Arc::default(),
            limits: Arc::default(),
            trail: Trail::disabled(),
        }
    }

    /// The same pipeline, recording to `trail`.
    pub fn with_trail(self, trail: Trail) -> Self {
        Self { trail, ..self }
    }

    /// Where adapters open the audit record of each request.
    pub fn trail(&self) -> &Trail {
        &self.trail
    }

    pub fn backend(&self) -> &Arc<dyn Backend> {
        &self.backend
    }

    pub fn policy(&self) -> &Arc<PolicyStore> {
        &self.policy
    }

    /// Runs one operation, presented with `credential`, through every phase,
    /// without an audit record (tests and internal callers).
    pub async fn run(&self, credential: Option<&str>, operation: Operation) -> Result<Response> {
        self.run_recorded(&Entry::detached(), credential, operation)
            .await
    }

    /// Runs one operation through every phase, filling in `audit`.
    pub async fn run_recorded(
        &self,
        audit: &Entry,
        credential: Option<&str>,
        operation: Operation,
    ) -> Result<Response> {
        let started = Instant::now();
        let name = operation.name();
        let mut operation = operation;
        let asked = operation
            .collection_names_mut()
            .into_iter()
            .map(|c| c.clone())
            .collect();
        audit.operation(name, asked);
        let span = tracing::debug_span!("request", operation = name, id = %audit.request_id());
        let (outcome, waited) = crate::backend::measured(tracing::Instrument::instrument(
            self.guarded(audit, credential, operation),
            span,
        ))
        .await;
        audit.waited(waited);
        let micros = started.elapsed().as_micros() as u64;
        match &outcome {
            Ok(response) => {
                tracing::debug!(operation = name, micros, "ok");
                let notes = |findings: &[Finding]| -> Vec<PointNote> {
                    findings
                        .iter()
                        .map(|f| PointNote {
                            collection: f.collection.clone(),
                            id: serde_json::to_value(f.id).unwrap_or_default(),
                            reason: f.reason.as_str().to_owned(),
                        })
                        .collect()
                };
                audit.allow(
                    response.outcome.point_ids(),
                    notes(&response.report.dropped),
                    notes(&response.report.flagged),
                );
            }
            Err(e) => tracing::info!(operation = name, micros, error = %e, "refused"),
        }
        outcome
    }

    async fn guarded(
        &self,
        audit: &Entry,
        credential: Option<&str>,
        operation: Operation,
    ) -> Result<Response> {
        let snapshot = self.policy.snapshot();
        let caller = snapshot
            .authenticate(credential)
            .map_err(|e| audit.deny(e))?;
        match &caller {
            Caller::Admin => audit.caller(None, "admin"),
            Caller::Tenant(p) => {
                audit.caller(Some(&p.tenant), &p.credential_id);
                self.limits
                    .check(&p.tenant, snapshot.rate_limits.get(&p.tenant).copied())
                    .map_err(|e| audit.deny(e))?;
            }
        }
        let mut operation = operation;
        let mut renamed = Vec::new();
        if matches!(caller, Caller::Tenant(_)) {
            // Aliases are resolved before the allowlist is consulted: a
            // granted name that is (or becomes) an alias of another
            // collection is checked, and sent, as that collection.
            let aliases = self.backend.aliases().await.map_err(|e| audit.fail(e))?;
            for name in operation.collection_names_mut() {
                if let Some(real) = aliases.get(name.as_str()) {
                    renamed.push((real.clone(), std::mem::replace(name, real.clone())));
                }
            }
        }
        let authorized = tracing::debug_span!("authorize")
            .in_scope(|| policy::authorize(&snapshot, &caller, operation));
        let authorized = authorized.map_err(|e| {
            // A refusal names what the caller asked for, not the alias target.
            audit.deny(match e {
                Error::NotFound(message) => {
                    Error::NotFound(renamed.iter().fold(message, |m, (real, asked)| {
                        m.replace(&format!("`{real}`"), &format!("`{asked}`"))
                    }))
                }
                other => other,
            })
        })?;
        if authorized.guard == Guard::Absent {
            return Ok(Response {
                outcome: Outcome::Exists(CollectionExistence { exists: false }),
                report: Report::default(),
            });
        }
        for check in &authorized.checks {
            self.check_ownership(check).await.map_err(|e| match e {
                Error::NotFound(_) => audit.deny(e),
                other => audit.fail(other),
            })?;
        }
        let operation = match &caller {
            Caller::Tenant(p) => self
                .stamp_upsert(&snapshot, &p.tenant, authorized.operation)
                .await
                .map_err(|e| match e {
                    Error::Forbidden(_) => audit.deny(e),
                    other => audit.fail(other),
                })?,
            Caller::Admin => authorized.operation,
        };
        let mut outcome = tracing::Instrument::instrument(
            self.execute(&snapshot, operation),
            tracing::debug_span!("execute"),
        )
        .await
        .map_err(|e| audit.fail(e))?;
        let report = tracing::debug_span!("inspect")
            .in_scope(|| inspect::inspect(&snapshot, &self.scans, &authorized.guard, &mut outcome));
        for finding in &report.dropped {
            tracing::warn!(collection = %finding.collection, id = %finding.id, reason = finding.reason.as_str(), "point dropped");
        }
        Ok(Response { outcome, report })
    }

    /// A tenant's upsert, with every point stamped by ragwall (the batch
    /// form becomes the points form). Admin writes are the operator's raw
    /// access and are stored as sent.
    async fn stamp_upsert(
        &self,
        snapshot: &Snapshot,
        tenant: &str,
        operation: Operation,
    ) -> Result<Operation> {
        let Operation::Update {
            collection,
            update: PointsUpdate::Upsert(mut upsert),
            wait,
        } = operation
        else {
            return Ok(operation);
        };
        let signer =
            Signer::for_snapshot(snapshot, self.backend.as_ref(), &collection, tenant).await?;
        let rows = upsert.to_rows()?;
        let points = cpu_heavy(|| {
            rows.into_iter()
                .map(|mut row| {
                    signer.stamp_parts(row.id, &mut row.payload, Some(&mut row.vector))?;
                    Ok(PointStruct {
                        id: row.id,
                        vector: row.vector,
                        payload: row.payload,
                    })
                })
                .collect::<Result<Vec<_>>>()
        })?;
        upsert.points = Some(points);
        upsert.batch = None;
        Ok(Operation::Update {
            collection,
            update: PointsUpdate::Upsert(upsert),
            wait,
        })
    }

    /// Mints a short-lived token for the tenant API key presented.
    pub fn mint_token(&self, credential: Option<&str>, request: TokenRequest) -> Result<Minted> {
        let snapshot = self.policy.snapshot();
        let principal = match snapshot.authenticate(credential)? {
            Caller::Tenant(p) if !credential.is_some_and(looks_like_token) => p,
            Caller::Tenant(_) => {
                return Err(Error::Forbidden("a token cannot mint another token".into()))
            }
            Caller::Admin => {
                return Err(Error::Forbidden(
                    "tokens are minted for tenant API keys".into(),
                ))
            }
        };
        snapshot.tokens.mint(
            &principal,
            request.ttl_secs,
            request.scopes,
            request.collections,
        )
    }

    /// Ids used as query vectors must be the caller's; others are absent.
    async fn check_ownership(&self, check: &OwnershipCheck) -> Result<()> {
        let mut unique: Vec<PointId> = check.ids.clone();
        unique.sort();
        unique.dedup();
        let found = self
            .owned_ids(&check.collection, &unique, check.filter.clone())
            .await?;
        match unique.iter().find(|id| !found.contains(id)) {
            Some(id) => Err(Error::NotFound(format!("No point with id {id} found"))),
            None => Ok(()),
        }
    }

    async fn owned_ids(
        &self,
        collection: &str,
        ids: &[PointId],
        tenant: Option<Filter>,
    ) -> Result<Vec<PointId>> {
        let request = ScrollRequest {
            limit: Some(ids.len().max(1)),
            filter: Some(policy::ids_within(tenant, ids)),
            with_payload: Some(qdrant_edge::WithPayloadInterface::Bool(false)),
            with_vector: Some(qdrant_edge::WithVector::Bool(false)),
            ..ScrollRequest::default()
        };
        let page = self.backend.scroll(collection, request).await?;
        Ok(page.points.into_iter().map(|r| r.id).collect())
    }

    async fn execute(&self, snapshot: &Snapshot, operation: Operation) -> Result<Outcome> {
        let b = &self.backend;
        Ok(match operation {
            Operation::Sign { request } => {
                let tenant = request.tenant.as_deref().ok_or_else(|| {
                    Error::BadInput("`tenant` is required when the admin signs".into())
                })?;
                let signer =
                    Signer::for_snapshot(snapshot, b.as_ref(), &request.collection, tenant).await?;
                let mut points = request.points;
                cpu_heavy(|| points.iter_mut().try_for_each(|p| signer.stamp(p)))?;
                Outcome::Signed(points)
            }
            Operation::ListAliases => {
                let mut aliases: Vec<_> = b.aliases().await?.into_iter().collect();
                aliases.sort();
                let list: Vec<_> = aliases
                    .into_iter()
                    .map(|(a, c)| serde_json::json!({"alias_name": a, "collection_name": c}))
                    .collect();
                Outcome::Aliases(serde_json::json!({ "aliases": list }))
            }
            Operation::ListCollections => Outcome::Collections(CollectionsList {
                collections: b
                    .list_collections()
                    .await?
                    .into_iter()
                    .map(|name| CollectionDescription { name })
                    .collect(),
            }),
            Operation::CollectionInfo { collection } => {
                Outcome::Info(Box::new(b.collection_info(&collection).await?))
            }
            Operation::CollectionExists { collection } => Outcome::Exists(CollectionExistence {
                exists: b.collection_exists(&collection).await?,
            }),
            Operation::CreateCollection {
                collection,
                request,
            } => {
                b.create_collection(&collection, request).await?;
                // Every tenant read of a payload-shared collection filters on
                // the tenant field: without an index each read scans every
                // point's payload (20x slower at 10k points).
                if let Some(policy) = snapshot.collections.get(&collection) {
                    if policy.tenancy == crate::config::Tenancy::Payload {
                        let index = CreateFieldIndex {
                            field_name: policy.tenant_field.clone(),
                            field_schema: Some(
                                serde_json::json!({"type": "keyword", "is_tenant": true}),
                            ),
                        };
                        b.create_field_index(&collection, index, true).await?;
                    }
                }
                Outcome::Done(true)
            }
            Operation::DeleteCollection { collection } => {
                Outcome::Done(b.delete_collection(&collection).await?)
            }
            Operation::CreateFieldIndex {
                collection,
                request,
                wait,
            } => Outcome::Update(b.create_field_index(&collection, request, wait).await?),
            Operation::DeleteFieldIndex {
                collection,
                field,
                wait,
            } => Outcome::Update(b.delete_field_index(&collection, &field, wait).await?),
            Operation::Update {
                collection,
                update,
                wait,
            } => {
                update.validate()?;
                Outcome::Update(b.update(&collection, update, wait).await?)
            }
            Operation::Retrieve {
                collection,
                request,
            } => Outcome::Records(b.retrieve(&collection, request).await?),
            Operation::Scroll {
                collection,
                request,
            } => Outcome::Scroll(b.scroll(&collection, request).await?),
            Operation::Count {
                collection,
                request,
            } => Outcome::Count(b.count(&collection, request).await?),
            Operation::Facet {
                collection,
                request,
            } => Outcome::Facet(b.facet(&collection, request).await?),
            Operation::Query {
                collection,
                requests,
            } => Outcome::Queries(b.query_batch(&collection, requests).await?),
            Operation::QueryGroups {
                collection,
                request,
            } => Outcome::Groups(b.query_groups(&collection, request).await?),
            Operation::RetrieveWhere {
                collection,
                request,
                filter,
            } => {
                // A filtered scroll over exactly the requested ids, answered
                // in the order they were asked for.
                let mut ids = request.ids.clone();
                ids.sort();
                ids.dedup();
                let scroll = ScrollRequest {
                    shard_key: request.shard_key,
                    limit: Some(ids.len().max(1)),
                    filter: Some(policy::ids_within(Some(filter), &ids)),
                    with_payload: request.with_payload,
                    with_vector: request.with_vector,
                    ..ScrollRequest::default()
                };
                let mut found: HashMap<PointId, Record> = b
                    .scroll(&collection, scroll)
                    .await?
                    .points
                    .into_iter()
                    .map(|r| (r.id, r))
                    .collect();
                Outcome::Records(
                    request
                        .ids
                        .iter()
                        .filter_map(|id| found.remove(id))
                        .collect(),
                )
            }
        })
    }
}

/// Runs CPU-heavy work — stamping a batch scans every chunk, ~30 µs per
/// KiB — without stalling the requests queued on this runtime thread: on a
/// multi-threaded runtime the worker hands its queue to another thread
/// first (elsewhere, e.g. single-threaded tests, it just runs).
fn cpu_heavy<T>(work: impl FnOnce() -> T) -> T {
    match tokio::runtime::Handle::try_current().map(|h| h.runtime_flavor()) {
        Ok(tokio::runtime::RuntimeFlavor::MultiThread) => tokio::task::block_in_place(work),
        _ => work(),
    }
}
