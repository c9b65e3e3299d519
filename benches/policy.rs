//! The policy step for a typical RAG query: strict parse of the JSON body
//! (duplicate-key pass + typed parse), authenticate the API key, authorize
//! and rewrite (tenant filter wrapped in, payload selector pinned).
//!
//! Run: `cargo bench --bench policy`.

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use ragwall::auth::key_hash;
use ragwall::config::Config;
use ragwall::model::query::QueryRequest;
use ragwall::model::strict::reject_duplicate_keys;
use ragwall::pipeline::Operation;
use ragwall::policy::{authorize, Snapshot};
use ragwall::provenance::KeyRing;
use serde_json::json;

const KEY: &str = "rw_0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

fn snapshot() -> Snapshot {
    let text = format!(
        r#"
[collections.docs]
tenancy = "payload"

[[tenants]]
id = "acme"
grants = {{ docs = ["read", "write"] }}
keys = [{{ id = "acme-app", hash = "{}", scopes = ["read"] }}]
"#,
        key_hash(KEY)
    );
    let config: Config = toml::from_str(&text).unwrap();
    Snapshot::from_config(
        &config,
        "admin-key-for-the-bench-0000",
        b"token-secret-for-the-bench-00000",
        KeyRing::default(),
    )
    .unwrap()
}

fn policy_step(c: &mut Criterion) {
    let snapshot = snapshot();
    let vector: Vec<f32> = (0..384)
        .map(|i| ((i * 37) % 200) as f32 / 100.0 - 1.0)
        .collect();
    let body = serde_json::to_vec(&json!({
        "query": vector,
        "filter": {"must": [{"key": "source", "match": {"any": ["wiki", "tickets"]}}],
                   "must_not": [{"key": "archived", "match": {"value": true}}]},
        "limit": 10,
        "with_payload": ["text", "source"],
    }))
    .unwrap();

    let mut group = c.benchmark_group("policy");
    group.throughput(Throughput::Bytes(body.len() as u64));
    group.bench_function("parse_authenticate_authorize_rewrite/query_384d", |b| {
        b.iter(|| {
            reject_duplicate_keys(&body).unwrap();
            let request: QueryRequest = serde_json::from_slice(&body).unwrap();
            let caller = snapshot.keys.authenticate(Some(KEY)).unwrap();
            let op = Operation::Query {
                collection: "docs".into(),
                requests: vec![request],
            };
            authorize(&snapshot, &caller, op).unwrap()
        })
    });
    group.bench_function("duplicate_keys_only/query_384d", |b| {
        b.iter(|| reject_duplicate_keys(&body).unwrap())
    });
    group.bench_function("typed_parse_only/query_384d", |b| {
        b.iter(|| serde_json::from_slice::<QueryRequest>(&body).unwrap())
    });
    let request: QueryRequest = serde_json::from_slice(&body).unwrap();
    let caller = snapshot.keys.authenticate(Some(KEY)).unwrap();
    group.bench_function("authorize_rewrite_only/query_384d", |b| {
        b.iter(|| {
            let op = Operation::Query {
                collection: "docs".into(),
                requests: vec![request.clone()],
            };
            authorize(&snapshot, &caller, op).unwrap()
        })
    });
    group.finish();
}

criterion_group!(benches, policy_step);
criterion_main!(benches);
