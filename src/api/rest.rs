//! The Qdrant REST adapter: HTTP in, [`Operation`] to the pipeline, Qdrant's
//! JSON envelope out.
//!
//! This module only translates. It parses each body strictly into the model
//! (unknown fields, malformed JSON and compressed bodies are refused with
//! Qdrant-shaped errors), and shapes each [`Outcome`] the way Qdrant 1.18
//! answers that endpoint. Routes it does not know are refused, never guessed.

use std::time::Instant;

use axum::extract::{DefaultBodyLimit, FromRequestParts, Path, Request, State};
use axum::http::request::Parts;
use axum::http::{header, HeaderMap, Method, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post, put};
use axum::{Json, Router};
use serde::de::DeserializeOwned;
use serde_json::{json, Value};

use crate::api::body::Body;
use crate::auth::Caller;
use crate::error::Error;
use crate::model::collection::{CreateCollection, CreateFieldIndex};
use crate::model::output::QueryResponse;
use crate::model::points::{DeletePayload, PointsSelector, PointsUpdate, SetPayload, UpsertPoints};
use crate::model::query::{
    Batch, CountRequest, FacetRequest, PointRequest, QueryGroupsRequest, QueryRequest,
    RecommendRequest, ScrollRequest, SearchRequest,
};
use crate::model::{PointId, ReadParams, WriteParams};
use crate::pipeline::{self, Operation, Outcome, Pipeline, Report, SignRequest, TokenRequest};

/// The version of Qdrant's API this adapter speaks; clients check it.
pub const QDRANT_API_VERSION: &str = "1.18.3";

/// The REST router, ready to serve.
pub fn router(pipeline: Pipeline, max_body_bytes: usize) -> Router {
    let c = "/collections/{collection}";
    Router::new()
        .route("/", get(root))
        .route("/healthz", get(healthz))
        .route("/livez", get(healthz))
        .route("/readyz", get(readyz))
        .route("/collections", get(list_collections))
        .route("/aliases", get(list_aliases))
        .route(
            c,
            get(collection_info)
                .put(create_collection)
                .delete(delete_collection),
        )
        .route(&format!("{c}/exists"), get(collection_exists))
        .route(&format!("{c}/index"), put(create_field_index))
        .route(
            &format!("{c}/index/{{field}}"),
            axum::routing::delete(delete_field_index),
        )
        .route(&format!("{c}/points"), put(upsert).post(retrieve))
        .route(&format!("{c}/points/{{id}}"), get(get_point))
        .route(&format!("{c}/points/delete"), post(delete_points))
        .route(
            &format!("{c}/points/payload"),
            post(set_payload).put(overwrite_payload),
        )
        .route(&format!("{c}/points/payload/delete"), post(delete_payload))
        .route(&format!("{c}/points/payload/clear"), post(clear_payload))
        .route(&format!("{c}/points/scroll"), post(scroll))
        .route(&format!("{c}/points/count"), post(count))
        .route(&format!("{c}/facet"), post(facet))
        .route(&format!("{c}/points/query"), post(query))
        .route(&format!("{c}/points/query/batch"), post(query_batch))
        .route(&format!("{c}/points/query/groups"), post(query_groups))
        .route(&format!("{c}/points/search"), post(search))
        .route(&format!("{c}/points/search/batch"), post(search_batch))
        .route(&format!("{c}/points/recommend"), post(recommend))
        .route(
            &format!("{c}/points/recommend/batch"),
            post(recommend_batch),
        )
        .route("/v1/token", post(mint_token))
        .route("/v1/sign", post(sign))
        .fallback(unsupported)
        .method_not_allowed_fallback(unsupported)
        .layer(DefaultBodyLimit::max(max_body_bytes))
        .layer(axum::middleware::from_fn_with_state(
            pipeline.clone(),
            audited,
        ))
        .with_state(pipeline)
}

/// The audit phase, around every data-plane request: opens the record
/// (request id from `x-request-id` / `traceparent`, else generated), lets
/// the handler and pipeline fill it, notes the status, echoes the id. The
/// record is written when the request ends, however it ends.
async fn audited(
    State(pipeline): State<Pipeline>,
    mut request: Request,
    next: axum::middleware::Next,
) -> Response {
    let path = request.uri().path().to_owned();
    if matches!(path.as_str(), "/" | "/healthz" | "/livez" | "/readyz") {
        return next.run(request).await;
    }
    let headers = request.headers();
    let header = |name: &str| headers.get(name).and_then(|v| v.to_str().ok());
    let id = crate::audit::request_id(header("x-request-id"), header("traceparent"));
    let route = request
        .extensions()
        .get::<axum::extract::MatchedPath>()
        .map_or(path, |m| m.as_str().to_owned());
    let endpoint = format!("{} {route}", request.method());
    let entry = pipeline.trail().begin("rest", id.clone(), endpoint);
    request.extensions_mut().insert(entry.clone());
    let mut response = next.run(request).await;
    let message = response
        .extensions()
        .get::<ErrorMessage>()
        .map(|m| m.0.clone());
    entry.responded(response.status().as_u16(), message);
    if let Ok(value) = header::HeaderValue::from_str(&id) {
        response.headers_mut().insert("x-request-id", value);
    }
    response
}

/// The message of an error response, for the audit record.
#[derive(Clone)]
struct ErrorMessage(String);

// ------------------------------------------------------------------- envelope

/// Qdrant's success envelope: `{"result": …, "status": "ok", "time": …}`.
/// Serialised directly (not through `Value`) so scores keep their `f32` form.
#[derive(serde::Serialize)]
struct Envelope<T> {
    result: T,
    status: &'static str,
    time: f64,
}

fn ok(result: impl serde::Serialize, started: Instant) -> Response {
    Json(Envelope {
        result,
        status: "ok",
        time: started.elapsed().as_secs_f64(),
    })
    .into_response()
}

impl IntoResponse for Error {
    fn into_response(self) -> Response {
        let message = self.to_string();
        let body = json!({ "status": { "error": message }, "time": 0.0 });
        let mut response = (self.status(), Json(body)).into_response();
        if let Error::RateLimited {
            retry_after_secs, ..
        } = self
        {
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, retry_after_secs.into());
        }
        response.extensions_mut().insert(ErrorMessage(message));
        response
    }
}

fn params<T: DeserializeOwned + Default>(uri: &Uri) -> Result<T, Error> {
    match uri.query() {
        None => Ok(T::default()),
        Some(_) => axum::extract::Query::<T>::try_from_uri(uri)
            .map(|q| q.0)
            .map_err(|e| Error::BadInput(format!("invalid query parameters: {}", e.body_text()))),
    }
}

fn wait(uri: &Uri) -> Result<bool, Error> {
    Ok(params::<WriteParams>(uri)?.wait.unwrap_or(false))
}

/// One data-plane request's context: the pipeline, the credential and the
/// request's audit record.
struct Ctx {
    pipeline: Pipeline,
    credential: Option<String>,
    audit: crate::audit::Entry,
}

impl Ctx {
    async fn run(&self, operation: Operation) -> Result<pipeline::Response, Error> {
        self.pipeline
            .run_recorded(&self.audit, self.credential.as_deref(), operation)
            .await
    }
}

impl FromRequestParts<Pipeline> for Ctx {
    type Rejection = Error;

    /// Refuses unknown callers before their body is even read, as Qdrant
    /// does; the pipeline authenticates again against its own snapshot.
    async fn from_request_parts(parts: &mut Parts, state: &Pipeline) -> Result<Self, Error> {
        let credential = credential(&parts.headers).map(str::to_owned);
        let audit = parts
            .extensions
            .get::<crate::audit::Entry>()
            .cloned()
            .unwrap_or_else(crate::audit::Entry::detached);
        let caller = state
            .policy()
            .snapshot()
            .authenticate(credential.as_deref())
            .map_err(|e| audit.deny(e))?;
        match &caller {
            Caller::Admin => audit.caller(None, "admin"),
            Caller::Tenant(p) => audit.caller(Some(&p.tenant), &p.credential_id),
        }
        Ok(Ctx {
            pipeline: state.clone(),
            credential,
            audit,
        })
    }
}

/// The credential as Qdrant clients send it: `api-key`, or a bearer token.
fn credential(headers: &HeaderMap) -> Option<&str> {
    let header = |name| headers.get(name).and_then(|v| v.to_str().ok());
    crate::auth::presented(header("api-key"), header(header::AUTHORIZATION.as_str()))
}

/// Says in headers what the response phases removed or flagged:
/// `x-ragwall-dropped: 2`, `x-ragwall-dropped-reasons: mismatch=1,missing=1`,
/// and the same for `flagged`.
fn with_report(mut response: Response, report: &Report) -> Response {
    let headers = response.headers_mut();
    let count = |n: usize| header::HeaderValue::from(n);
    headers.insert("x-ragwall-dropped", count(report.dropped.len()));
    for (name, findings) in [
        ("x-ragwall-dropped-reasons", &report.dropped),
        ("x-ragwall-flagged-reasons", &report.flagged),
    ] {
        if let Ok(value) = Report::reasons(findings).parse() {
            if !findings.is_empty() {
                headers.insert(name, value);
            }
        }
    }
    if !report.flagged.is_empty() {
        headers.insert("x-ragwall-flagged", count(report.flagged.len()));
    }
    response
}

/// Shapes an outcome as the endpoint's `result`.
fn respond(response: Result<pipeline::Response, Error>, started: Instant) -> Response {
    match response {
        Err(e) => e.into_response(),
        Ok(r) => with_report(shape(r.outcome, started), &r.report),
    }
}

fn shape(outcome: Outcome, started: Instant) -> Response {
    match outcome {
        Outcome::Collections(c) => ok(c, started),
        Outcome::Aliases(a) => ok(a, started),
        Outcome::Info(i) => ok(i, started),
        Outcome::Exists(e) => ok(e, started),
        Outcome::Done(b) => ok(b, started),
        Outcome::Update(u) => ok(u, started),
        Outcome::Records(r) => ok(r, started),
        Outcome::Scroll(s) => ok(s, started),
        Outcome::Count(c) => ok(c, started),
        Outcome::Facet(f) => ok(f, started),
        Outcome::Queries(q) => ok(q, started),
        Outcome::Groups(g) => ok(g, started),
        Outcome::Signed(points) => ok(json!({ "points": points }), started),
    }
}

// -------------------------------------------------------------------- service

async fn root() -> Response {
    Json(json!({
        "title": "ragwall - retrieval firewall (qdrant-compatible)",
        "version": QDRANT_API_VERSION,
        "ragwall": env!("CARGO_PKG_VERSION"),
    }))
    .into_response()
}

async fn healthz() -> &'static str {
    "healthz check passed"
}

async fn readyz(State(p): State<Pipeline>) -> Response {
    if p.backend().ready().await {
        "all shards are ready".into_response()
    } else {
        (StatusCode::SERVICE_UNAVAILABLE, "backend is not ready").into_response()
    }
}

async fn unsupported(method: Method, uri: Uri) -> Response {
    Error::Unsupported(format!("{method} {} is not served by ragwall", uri.path())).into_response()
}

// ---------------------------------------------------------------- collections

async fn list_collections(p: Ctx) -> Response {
    let t = Instant::now();
    respond(p.run(Operation::ListCollections).await, t)
}

async fn list_aliases(p: Ctx) -> Response {
    let t = Instant::now();
    respond(p.run(Operation::ListAliases).await, t)
}

async fn collection_info(p: Ctx, Path(collection): Path<String>) -> Response {
    let t = Instant::now();
    respond(p.run(Operation::CollectionInfo { collection }).await, t)
}

async fn collection_exists(p: Ctx, Path(collection): Path<String>) -> Response {
    let t = Instant::now();
    respond(p.run(Operation::CollectionExists { collection }).await, t)
}

async fn create_collection(
    p: Ctx,
    Path(collection): Path<String>,
    uri: Uri,
    Body(request): Body<CreateCollection>,
) -> Response {
    let t = Instant::now();
    let op = params::<WriteParams>(&uri).map(|_| Operation::CreateCollection {
        collection,
        request,
    });
    respond(async { p.run(op?).await }.await, t)
}

async fn delete_collection(p: Ctx, Path(collection): Path<String>, uri: Uri) -> Response {
    let t = Instant::now();
    let op = params::<WriteParams>(&uri).map(|_| Operation::DeleteCollection { collection });
    respond(async { p.run(op?).await }.await, t)
}

async fn create_field_index(
    p: Ctx,
    Path(collection): Path<String>,
    uri: Uri,
    Body(request): Body<CreateFieldIndex>,
) -> Response {
    let t = Instant::now();
    let op = wait(&uri).map(|wait| Operation::CreateFieldIndex {
        collection,
        request,
        wait,
    });
    respond(async { p.run(op?).await }.await, t)
}

async fn delete_field_index(
    p: Ctx,
    Path((collection, field)): Path<(String, String)>,
    uri: Uri,
) -> Response {
    let t = Instant::now();
    let op = wait(&uri).map(|wait| Operation::DeleteFieldIndex {
        collection,
        field,
        wait,
    });
    respond(async { p.run(op?).await }.await, t)
}

// --------------------------------------------------------------------- writes

async fn write(p: &Ctx, collection: String, uri: &Uri, update: PointsUpdate) -> Response {
    let t = Instant::now();
    let op = wait(uri).map(|wait| Operation::Update {
        collection,
        update,
        wait,
    });
    respond(async { p.run(op?).await }.await, t)
}

async fn upsert(
    p: Ctx,
    Path(collection): Path<String>,
    uri: Uri,
    Body(body): Body<UpsertPoints>,
) -> Response {
    write(&p, collection, &uri, PointsUpdate::Upsert(body)).await
}

async fn delete_points(
    p: Ctx,
    Path(collection): Path<String>,
    uri: Uri,
    Body(body): Body<PointsSelector>,
) -> Response {
    write(&p, collection, &uri, PointsUpdate::Delete(body)).await
}

async fn set_payload(
    p: Ctx,
    Path(collection): Path<String>,
    uri: Uri,
    Body(body): Body<SetPayload>,
) -> Response {
    write(&p, collection, &uri, PointsUpdate::SetPayload(body)).await
}

async fn overwrite_payload(
    p: Ctx,
    Path(collection): Path<String>,
    uri: Uri,
    Body(body): Body<SetPayload>,
) -> Response {
    write(&p, collection, &uri, PointsUpdate::OverwritePayload(body)).await
}

async fn delete_payload(
    p: Ctx,
    Path(collection): Path<String>,
    uri: Uri,
    Body(body): Body<DeletePayload>,
) -> Response {
    write(&p, collection, &uri, PointsUpdate::DeletePayload(body)).await
}

async fn clear_payload(
    p: Ctx,
    Path(collection): Path<String>,
    uri: Uri,
    Body(body): Body<PointsSelector>,
) -> Response {
    write(&p, collection, &uri, PointsUpdate::ClearPayload(body)).await
}

// ---------------------------------------------------------------------- reads

async fn read(p: &Ctx, uri: &Uri, op: Operation) -> Result<pipeline::Response, Error> {
    params::<ReadParams>(uri)?;
    p.run(op).await
}

async fn retrieve(
    p: Ctx,
    Path(collection): Path<String>,
    uri: Uri,
    Body(request): Body<PointRequest>,
) -> Response {
    let t = Instant::now();
    respond(
        read(
            &p,
            &uri,
            Operation::Retrieve {
                collection,
                request,
            },
        )
        .await,
        t,
    )
}

async fn get_point(p: Ctx, Path((collection, id)): Path<(String, String)>, uri: Uri) -> Response {
    let t = Instant::now();
    let id: PointId = match id.parse::<u64>() {
        Ok(n) => PointId::NumId(n),
        Err(_) => match serde_json::from_value(Value::String(id.clone())) {
            Ok(id) => id,
            Err(_) => return Error::BadInput(format!("invalid point id `{id}`")).into_response(),
        },
    };
    let request = PointRequest {
        shard_key: None,
        ids: vec![id],
        with_payload: None,
        with_vector: Some(qdrant_edge::WithVector::Bool(true)),
    };
    match read(
        &p,
        &uri,
        Operation::Retrieve {
            collection,
            request,
        },
    )
    .await
    {
        Ok(pipeline::Response {
            outcome: Outcome::Records(mut records),
            report,
        }) => {
            let response = match records.is_empty() {
                false => ok(records.remove(0), t),
                true => {
                    Error::NotFound(format!("Point with id {id} does not exists!")).into_response()
                }
            };
            with_report(response, &report)
        }
        Ok(_) => Error::internal("retrieve", "unexpected outcome").into_response(),
        Err(e) => e.into_response(),
    }
}

async fn scroll(
    p: Ctx,
    Path(collection): Path<String>,
    uri: Uri,
    Body(request): Body<ScrollRequest>,
) -> Response {
    let t = Instant::now();
    respond(
        read(
            &p,
            &uri,
            Operation::Scroll {
                collection,
                request,
            },
        )
        .await,
        t,
    )
}

async fn count(
    p: Ctx,
    Path(collection): Path<String>,
    uri: Uri,
    Body(request): Body<CountRequest>,
) -> Response {
    let t = Instant::now();
    respond(
        read(
            &p,
            &uri,
            Operation::Count {
                collection,
                request,
            },
        )
        .await,
        t,
    )
}

async fn facet(
    p: Ctx,
    Path(collection): Path<String>,
    uri: Uri,
    Body(request): Body<FacetRequest>,
) -> Response {
    let t = Instant::now();
    respond(
        read(
            &p,
            &uri,
            Operation::Facet {
                collection,
                request,
            },
        )
        .await,
        t,
    )
}

/// How an endpoint presents universal query results.
#[derive(Clone, Copy)]
enum Shape {
    /// `/points/query`: `{"points": [...]}`.
    Query,
    /// `/points/query/batch`: `[{"points": [...]}, ...]`.
    QueryBatch,
    /// Legacy search and recommend: `[...]`.
    Points,
    /// Legacy batches: `[[...], ...]`.
    PointsBatch,
}

/// Runs universal queries and presents the results in `shape`.
async fn queries(
    p: &Ctx,
    uri: &Uri,
    collection: String,
    requests: Vec<QueryRequest>,
    shape: Shape,
) -> Response {
    let t = Instant::now();
    let (mut results, report) = match read(
        p,
        uri,
        Operation::Query {
            collection,
            requests,
        },
    )
    .await
    {
        Ok(pipeline::Response {
            outcome: Outcome::Queries(results),
            report,
        }) => (results, report),
        Ok(_) => return Error::internal("query", "unexpected outcome").into_response(),
        Err(e) => return e.into_response(),
    };
    let response = match shape {
        Shape::Query => ok(
            results
                .pop()
                .map(|r| r.points)
                .map(|points| QueryResponse { points }),
            t,
        ),
        Shape::QueryBatch => ok(results, t),
        Shape::Points => ok(results.pop().map(|r| r.points).unwrap_or_default(), t),
        Shape::PointsBatch => ok(results.into_iter().map(|r| r.points).collect::<Vec<_>>(), t),
    };
    with_report(response, &report)
}

async fn query(
    p: Ctx,
    Path(collection): Path<String>,
    uri: Uri,
    Body(request): Body<QueryRequest>,
) -> Response {
    queries(&p, &uri, collection, vec![request], Shape::Query).await
}

async fn query_batch(
    p: Ctx,
    Path(collection): Path<String>,
    uri: Uri,
    Body(batch): Body<Batch<QueryRequest>>,
) -> Response {
    queries(&p, &uri, collection, batch.searches, Shape::QueryBatch).await
}

async fn query_groups(
    p: Ctx,
    Path(collection): Path<String>,
    uri: Uri,
    Body(request): Body<QueryGroupsRequest>,
) -> Response {
    let t = Instant::now();
    respond(
        read(
            &p,
            &uri,
            Operation::QueryGroups {
                collection,
                request,
            },
        )
        .await,
        t,
    )
}

async fn search(
    p: Ctx,
    Path(collection): Path<String>,
    uri: Uri,
    Body(request): Body<SearchRequest>,
) -> Response {
    queries(&p, &uri, collection, vec![request.into()], Shape::Points).await
}

async fn search_batch(
    p: Ctx,
    Path(collection): Path<String>,
    uri: Uri,
    Body(batch): Body<Batch<SearchRequest>>,
) -> Response {
    let requests = batch.searches.into_iter().map(Into::into).collect();
    queries(&p, &uri, collection, requests, Shape::PointsBatch).await
}

async fn recommend(
    p: Ctx,
    Path(collection): Path<String>,
    uri: Uri,
    Body(request): Body<RecommendRequest>,
) -> Response {
    queries(&p, &uri, collection, vec![request.into()], Shape::Points).await
}

async fn recommend_batch(
    p: Ctx,
    Path(collection): Path<String>,
    uri: Uri,
    Body(batch): Body<Batch<RecommendRequest>>,
) -> Response {
    let requests = batch.searches.into_iter().map(Into::into).collect();
    queries(&p, &uri, collection, requests, Shape::PointsBatch).await
}

// ----------------------------------------------------------------- provenance

/// `POST /v1/sign`: points stamped for a pipeline that upserts them itself.
async fn sign(p: Ctx, Body(request): Body<SignRequest>) -> Response {
    let t = Instant::now();
    respond(p.run(Operation::Sign { request }).await, t)
}

// --------------------------------------------------------------------- tokens

/// `POST /v1/token`: a short-lived token for the tenant API key presented.
async fn mint_token(p: Ctx, Body(request): Body<TokenRequest>) -> Response {
    let t = Instant::now();
    match p.pipeline.mint_token(p.credential.as_deref(), request) {
        Ok(minted) => ok(minted, t),
        Err(e) => e.into_response(),
    }
}
