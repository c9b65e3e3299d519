//! Every denial is decided before the backend is asked anything: a counting
//! backend wrapped around the real embedded engine sees no call for any
//! refused request.

mod common;

use std::sync::Arc;

use common::instrumented::Instrumented;
use ragwall::auth::key_hash;
use ragwall::config::Config;
use ragwall::model::points::PointsUpdate;
use ragwall::pipeline::{Operation, Pipeline};
use ragwall::policy::{PolicyStore, Snapshot};
use ragwall::provenance::KeyRing;
use serde_json::json;

const ADMIN: &str = "denials-admin-key-00000";
const READER: &str = "reader-key-000000000000";
const LIMITED: &str = "limited-key-00000000000";

/// A request body, parsed as the REST adapter would.
fn body<T: serde::de::DeserializeOwned>(value: serde_json::Value) -> T {
    serde_json::from_value(value).unwrap()
}

#[tokio::test]
async fn refused_requests_never_reach_the_backend() {
    let dir = tempfile::tempdir().unwrap();
    let backend = Arc::new(Instrumented::open(dir.path()));
    let config: Config = toml::from_str(&format!(
        r#"
[collections.docs]
tenancy = "payload"
provenance = "off"
[collections.other]
tenancy = "collection"
provenance = "off"
[[tenants]]
id = "acme"
grants = {{ docs = ["read", "write"] }}
keys = [{{ id = "r", hash = "{}", scopes = ["read"] }}]
[[tenants]]
id = "slow"
grants = {{ docs = ["read"] }}
keys = [{{ id = "l", hash = "{}", scopes = ["read"] }}]
rate_limit = {{ per_second = 1, burst = 1 }}
"#,
        key_hash(READER),
        key_hash(LIMITED)
    ))
    .unwrap();
    let snapshot = Snapshot::from_config(
        &config,
        ADMIN,
        b"token-secret-for-tests-0000000000",
        KeyRing::default(),
    )
    .unwrap();
    let pipeline = Pipeline::new(backend.clone(), Arc::new(PolicyStore::new(snapshot)));
    let create =
        serde_json::from_value(json!({"vectors": {"size": 2, "distance": "Dot"}})).unwrap();
    pipeline
        .run(
            Some(ADMIN),
            Operation::CreateCollection {
                collection: "docs".into(),
                request: create,
            },
        )
        .await
        .unwrap();
    // The rate-limited tenant spends its one-request burst.
    let count = || Operation::Count {
        collection: "docs".into(),
        request: body(json!({})),
    };
    pipeline.run(Some(LIMITED), count()).await.unwrap();
    let before = backend.calls();

    let refused: Vec<(Option<&str>, Operation)> = vec![
        (Some(LIMITED), count()),
        (None, Operation::ListCollections),
        (Some("wrong-key"), Operation::ListCollections),
        (
            Some(READER),
            Operation::CreateCollection {
                collection: "evil".into(),
                request: body(json!({"vectors": {"size": 2, "distance": "Dot"}})),
            },
        ),
        (
            Some(READER),
            Operation::DeleteCollection {
                collection: "docs".into(),
            },
        ),
        (
            Some(READER),
            Operation::Update {
                collection: "docs".into(),
                update: PointsUpdate::Upsert(body(
                    json!({"points": [{"id": 1, "vector": [1.0, 0.0]}]}),
                )),
                wait: true,
            },
        ),
        (
            Some(READER),
            Operation::Scroll {
                collection: "other".into(),
                request: body(json!({})),
            },
        ),
        (
            Some(READER),
            Operation::Scroll {
                collection: "docs".into(),
                request: body(json!({"shard_key": "x"})),
            },
        ),
        (
            Some(READER),
            Operation::Query {
                collection: "docs".into(),
                requests: vec![body(
                    json!({"query": [1.0, 0.0], "lookup_from": {"collection": "other"}}),
                )],
            },
        ),
        (
            Some(READER),
            Operation::QueryGroups {
                collection: "docs".into(),
                request: body(
                    json!({"query": [1.0, 0.0], "group_by": "g", "with_lookup": "other"}),
                ),
            },
        ),
        (
            Some(READER),
            Operation::CollectionExists {
                collection: "other".into(),
            },
        ),
    ];
    for (credential, operation) in refused {
        let name = operation.name();
        let result = pipeline.run(credential, operation).await;
        if name != "collection_exists" {
            assert!(
                result.is_err(),
                "{name} with {credential:?} was not refused"
            );
        }
        assert_eq!(
            backend.calls(),
            before,
            "{name} with {credential:?} reached the backend"
        );
    }
}
