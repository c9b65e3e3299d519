//! Property: whatever filter or query tenant A sends, no point of tenant B
//! comes back, and counts never exceed A's own points.
//!
//! Runs the real pipeline (authenticate → authorize/rewrite → embedded
//! engine → guard) in-process on interleaved data, with randomly generated
//! filters that freely name B's tenant value, B's ids, and every condition
//! kind and nesting Qdrant's filter language has.

use std::sync::Arc;

use proptest::prelude::*;
use proptest::test_runner::{Config as RunnerConfig, TestRunner};
use ragwall::auth::key_hash;
use ragwall::backend::embedded::Embedded;
use ragwall::backend::Backend;
use ragwall::config::Config;
use ragwall::pipeline::{Operation, Outcome, Pipeline};
use ragwall::policy::{PolicyStore, Snapshot};
use ragwall::provenance::KeyRing;
use serde_json::{json, Value};

const ADMIN: &str = "property-admin-key-000";
const KEY_A: &str = "tenant-a-key-0000000000";
const POINTS: u64 = 300; // even ids: tenant a, odd ids: tenant b

fn config() -> Config {
    let text = format!(
        r#"
[collections.shared]
tenancy = "payload"
provenance = "off"

[[tenants]]
id = "a"
grants = {{ shared = ["read", "write"] }}
keys = [{{ id = "a", hash = "{}", scopes = ["read", "write"] }}]

[[tenants]]
id = "b"
grants = {{ shared = ["read", "write"] }}
"#,
        key_hash(KEY_A)
    );
    toml::from_str(&text).unwrap()
}

/// A random condition over the seeded payload, often aimed at tenant b.
fn condition() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        prop_oneof![Just("a"), Just("b"), Just("c")]
            .prop_map(|t| json!({"key": "tenant_id", "match": {"value": t}})),
        Just(json!({"key": "tenant_id", "match": {"any": ["b"]}})),
        Just(json!({"key": "tenant_id", "match": {"except": ["a"]}})),
        Just(json!({"is_empty": {"key": "tenant_id"}})),
        Just(json!({"is_null": {"key": "tenant_id"}})),
        (0u32..5).prop_map(|t| json!({"key": "topic", "match": {"value": format!("t{t}")}})),
        (0u64..POINTS, 0u64..POINTS)
            .prop_map(|(a, b)| json!({"key": "n", "range": {"gte": a.min(b), "lte": a.max(b)}})),
        proptest::collection::vec(0u64..POINTS, 1..8).prop_map(|ids| json!({"has_id": ids})),
        Just(json!({"key": "tags", "match": {"any": ["x", "y"]}})),
    ];
    leaf.prop_recursive(3, 24, 4, |inner| {
        let list = proptest::collection::vec(inner, 1..4);
        prop_oneof![
            list.clone().prop_map(|c| json!({"must": c})),
            list.clone().prop_map(|c| json!({"should": c})),
            list.clone().prop_map(|c| json!({"must_not": c})),
            (list, 1usize..3)
                .prop_map(|(c, n)| json!({"min_should": {"conditions": c, "min_count": n}})),
        ]
    })
}

fn filter() -> impl Strategy<Value = Value> {
    prop_oneof![
        condition().prop_map(|c| json!({"must": [c]})),
        condition().prop_map(|c| json!({"should": [c]})),
        condition().prop_map(|c| json!({"must_not": [c]})),
        (condition(), condition()).prop_map(|(a, b)| json!({"must": a, "should": [b]})),
    ]
}

fn query(f: &Value, seed: u64) -> Value {
    let v: Vec<f32> = (0..4).map(|i| ((seed + i) % 7) as f32 - 3.0).collect();
    match seed % 3 {
        0 => json!({"query": v, "filter": f, "limit": 100, "with_payload": true}),
        1 => {
            json!({"prefetch": [{"query": v, "filter": f, "limit": 50}, {"query": v, "limit": 50}],
                    "query": {"fusion": "rrf"}, "limit": 100})
        }
        _ => json!({"query": {"recommend": {"positive": [v]}}, "filter": f, "limit": 100}),
    }
}

fn ids_of(outcome: &Outcome) -> Vec<u64> {
    let id = |v: Value| v.as_u64().unwrap();
    match outcome {
        Outcome::Scroll(s) => s.points.iter().map(|p| id(json!(p.id))).collect(),
        Outcome::Queries(q) => q
            .iter()
            .flat_map(|r| r.points.iter().map(|p| id(json!(p.id))))
            .collect(),
        _ => Vec::new(),
    }
}

#[test]
fn no_filter_or_query_of_tenant_a_returns_a_point_of_tenant_b() {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let backend: Arc<dyn Backend> = Arc::new(Embedded::open(dir.path()).unwrap());
    let snapshot = Snapshot::from_config(
        &config(),
        ADMIN,
        b"token-secret-for-tests-0000000000",
        KeyRing::default(),
    )
    .unwrap();
    let pipeline = Pipeline::new(backend, Arc::new(PolicyStore::new(snapshot)));

    runtime.block_on(async {
        let create = serde_json::from_value(json!({"vectors": {"size": 4, "distance": "Dot"}})).unwrap();
        let op = Operation::CreateCollection { collection: "shared".into(), request: create };
        pipeline.run(Some(ADMIN), op).await.unwrap();
        let index = serde_json::from_value(json!({"field_name": "tenant_id", "field_schema": "keyword"})).unwrap();
        let op = Operation::CreateFieldIndex { collection: "shared".into(), request: index, wait: true };
        pipeline.run(Some(ADMIN), op).await.unwrap();
        let points: Vec<Value> = (0..POINTS)
            .map(|i| {
                json!({"id": i, "vector": [(i % 5) as f32, (i % 3) as f32, 1.0, -((i % 7) as f32)],
                       "payload": {"tenant_id": if i % 2 == 0 { "a" } else { "b" }, "n": i,
                                   "topic": format!("t{}", i % 5), "tags": if i % 3 == 0 { json!(["x"]) } else { json!([]) }}})
            })
            .collect();
        let upsert = serde_json::from_value(json!({ "points": points })).unwrap();
        let op = Operation::Update {
            collection: "shared".into(),
            update: ragwall::model::points::PointsUpdate::Upsert(upsert),
            wait: true,
        };
        pipeline.run(Some(ADMIN), op).await.unwrap();
    });

    let mut runner = TestRunner::new(RunnerConfig {
        cases: 160,
        ..RunnerConfig::default()
    });
    runner
        .run(&(filter(), any::<u64>()), |(f, seed)| {
            runtime.block_on(async {
                let scroll = serde_json::from_value(json!({"filter": f, "limit": 1000})).unwrap();
                let op = Operation::Scroll {
                    collection: "shared".into(),
                    request: scroll,
                };
                let response = pipeline.run(Some(KEY_A), op).await.unwrap();
                // The rewrite alone must isolate: the response guard (defence
                // in depth) must have had nothing to drop.
                prop_assert!(
                    response.report.dropped.is_empty(),
                    "guard dropped {:?}",
                    response.report
                );
                let scrolled = ids_of(&response.outcome);
                prop_assert!(
                    scrolled.iter().all(|i| i % 2 == 0),
                    "scroll leaked {:?} for {}",
                    scrolled,
                    f
                );

                let request = serde_json::from_value(query(&f, seed)).unwrap();
                let op = Operation::Query {
                    collection: "shared".into(),
                    requests: vec![request],
                };
                let response = pipeline.run(Some(KEY_A), op).await.unwrap();
                prop_assert!(
                    response.report.dropped.is_empty(),
                    "guard dropped {:?}",
                    response.report
                );
                let found = ids_of(&response.outcome);
                prop_assert!(
                    found.iter().all(|i| i % 2 == 0),
                    "query leaked {:?} for {}",
                    found,
                    f
                );

                let count = serde_json::from_value(json!({"filter": f, "exact": false})).unwrap();
                let op = Operation::Count {
                    collection: "shared".into(),
                    request: count,
                };
                match pipeline.run(Some(KEY_A), op).await.unwrap().outcome {
                    Outcome::Count(c) => {
                        prop_assert_eq!(c.count, scrolled.len(), "count for {}", f)
                    }
                    other => prop_assert!(false, "unexpected {:?}", other),
                }
                Ok(())
            })
        })
        .unwrap();
}
