//! Latency of a top-10 query on 10,000 points × 384 dimensions (cosine,
//! ~1 KiB payload each), on the embedded engine:
//!
//! - `embedded/query_top10`: the backend called in-process (no HTTP);
//! - `rest/query_top10`: the full path, a Qdrant-shaped JSON request over
//!   loopback HTTP through ragwall's REST adapter and pipeline (admin key:
//!   no rewrite, no verification);
//! - `rest/query_top10_tenant_verified`: the same query by a tenant on a
//!   payload-shared collection whose chunks were stamped at ingest: rewrite,
//!   widened fetch, tenant check and provenance verification of the ten
//!   hits, projection back to the requested payload.
//!
//! - `grpc/query_top10_tenant_verified`: the same tenant query over gRPC
//!   with the Rust `qdrant-client` crate.
//!
//! The server runs as deployed: audit trail written (one record per
//! request, fsynced per batch), metrics recorded. `BENCH_AUDIT=off`
//! measures the same without the audit trail.
//!
//! Run: `cargo bench --bench query`.

use std::sync::Arc;

use criterion::{criterion_group, criterion_main, Criterion};
use ragwall::backend::embedded::Embedded;
use ragwall::backend::Backend;
use ragwall::config::Config;
use ragwall::model::collection::CreateCollection;
use ragwall::model::points::PointsUpdate;
use ragwall::model::query::QueryRequest;
use ragwall::server::Server;
use serde_json::json;

const POINTS: u64 = 10_000;
const DIM: usize = 384;
const ADMIN_KEY: &str = "bench-admin-key-0000000";
const TENANT_KEY: &str = "bench-tenant-key-000000";

mod common;

/// The shared deterministic vector, at this bench's dimension.
fn vector(seed: u64) -> Vec<f32> {
    common::vector(seed, DIM)
}

async fn load(backend: &Embedded) {
    let create: CreateCollection =
        serde_json::from_value(json!({"vectors": {"size": DIM, "distance": "Cosine"}})).unwrap();
    backend.create_collection("bench", create).await.unwrap();
    let text = "lorem ipsum dolor sit amet ".repeat(38); // ~1 KiB
    for start in (0..POINTS).step_by(500) {
        let points: Vec<_> = (start..start + 500)
            .map(|i| json!({"id": i, "vector": vector(i), "payload": {"text": text, "n": i}}))
            .collect();
        let upsert = serde_json::from_value(json!({ "points": points })).unwrap();
        backend
            .update("bench", PointsUpdate::Upsert(upsert), true)
            .await
            .unwrap();
    }
}

fn query_top10(c: &mut Criterion) {
    // Declared first so it is dropped last: the runtime must close the
    // engine (which flushes) before the directory goes away.
    let dir = tempfile::tempdir().unwrap();
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let backend = Arc::new(Embedded::open(dir.path()).unwrap());
    runtime.block_on(load(&backend));

    let request: QueryRequest = serde_json::from_value(
        json!({"query": vector(POINTS + 1), "limit": 10, "with_payload": true}),
    )
    .unwrap();
    c.bench_function("embedded/query_top10", |b| {
        b.to_async(&runtime).iter(|| {
            let backend = backend.clone();
            let request = request.clone();
            async move { backend.query_batch("bench", vec![request]).await.unwrap() }
        })
    });
    drop(backend);

    // The same data behind the REST listener.
    let mut config = Config {
        data_dir: dir.path().to_owned(),
        ..Config::default()
    };
    config.server.rest_addr = "127.0.0.1:0".parse().unwrap();
    config.server.admin_addr = "127.0.0.1:0".parse().unwrap();
    config.server.grpc_addr = "127.0.0.1:0".parse().unwrap();
    config.audit.enabled = std::env::var("BENCH_AUDIT").as_deref() != Ok("off");
    config.auth.admin_key = Some(ragwall::auth::Secret::new(ADMIN_KEY));
    common::tenant_policy(&mut config, "signed", TENANT_KEY);
    let server = runtime.block_on(Server::bind(config)).unwrap();
    let base = format!("http://{}/collections", server.rest_addr().unwrap());
    let grpc_url = format!("http://{}", server.grpc_addr().unwrap());
    runtime.spawn(server.run(std::future::pending()));
    let client = reqwest::Client::new();
    runtime.block_on(load_signed(&client, &base));
    let body = serde_json::to_vec(&request).unwrap();
    for (name, collection, key) in [
        ("rest/query_top10", "bench", ADMIN_KEY),
        ("rest/query_top10_tenant_verified", "signed", TENANT_KEY),
    ] {
        let url = format!("{base}/{collection}/points/query");
        c.bench_function(name, |b| {
            b.to_async(&runtime).iter(|| {
                let response = client
                    .post(&url)
                    .header("content-type", "application/json")
                    .header("api-key", key)
                    .body(body.clone())
                    .send();
                async move {
                    let r = response.await.unwrap();
                    assert!(r.status().is_success());
                    assert_eq!(r.headers()["x-ragwall-dropped"], "0");
                    r.bytes().await.unwrap()
                }
            })
        });
    }

    // The same tenant query over gRPC, with the Rust qdrant-client.
    let grpc = runtime.block_on(async {
        qdrant_client::Qdrant::from_url(&grpc_url)
            .api_key(TENANT_KEY)
            .skip_compatibility_check()
            .build()
            .unwrap()
    });
    let query = qdrant_client::qdrant::QueryPointsBuilder::new("signed")
        .query(vector(POINTS + 1))
        .limit(10)
        .with_payload(true)
        .build();
    c.bench_function("grpc/query_top10_tenant_verified", |b| {
        b.to_async(&runtime).iter(|| {
            let grpc = &grpc;
            let query = query.clone();
            async move {
                let found = grpc.query(query).await.unwrap();
                assert_eq!(found.result.len(), 10);
                found
            }
        })
    });
}

/// The same points in a payload-shared collection, upserted by the tenant
/// through ragwall, so each is stamped.
async fn load_signed(client: &reqwest::Client, base: &str) {
    let call = |method: reqwest::Method, path: String, key: &str, body: serde_json::Value| {
        client
            .request(method, format!("{base}/{path}"))
            .header("api-key", key)
            .json(&body)
            .send()
    };
    let create = json!({"vectors": {"size": DIM, "distance": "Cosine"}});
    let r = call(reqwest::Method::PUT, "signed".into(), ADMIN_KEY, create);
    assert!(r.await.unwrap().status().is_success());
    let text = "lorem ipsum dolor sit amet ".repeat(38);
    for start in (0..POINTS).step_by(500) {
        let points: Vec<_> = (start..start + 500)
            .map(|i| json!({"id": i, "vector": vector(i), "payload": {"text": text, "n": i}}))
            .collect();
        let r = call(
            reqwest::Method::PUT,
            "signed/points?wait=true".into(),
            TENANT_KEY,
            json!({ "points": points }),
        );
        assert!(r.await.unwrap().status().is_success());
    }
}

criterion_group!(benches, query_top10);
criterion_main!(benches);
