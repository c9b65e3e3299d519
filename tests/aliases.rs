//! Aliases are resolved before the allowlist (qdrant-surface 2.9): a granted
//! name that an operator turns into an alias of another collection is
//! checked as that collection. The backend here is the real embedded engine;
//! only its alias table is supplied by the test, since the embedded engine
//! has none of its own.

mod common;

use std::sync::Arc;

use common::instrumented::Instrumented;
use ragwall::auth::key_hash;
use ragwall::config::Config;
use ragwall::error::Error;
use ragwall::model::points::PointsUpdate;
use ragwall::pipeline::{Operation, Outcome, Pipeline};
use ragwall::policy::{PolicyStore, Snapshot};
use ragwall::provenance::KeyRing;
use serde_json::json;

const ADMIN: &str = "aliases-admin-key-00000";
const KEY: &str = "aliases-tenant-key-0000";

#[tokio::test]
async fn a_granted_name_that_becomes_an_alias_is_checked_as_its_target() {
    let dir = tempfile::tempdir().unwrap();
    let backend = Arc::new(Instrumented::open(dir.path()));
    let config: Config = toml::from_str(&format!(
        r#"
[collections.docs]
tenancy = "collection"
provenance = "off"
[collections.secret]
tenancy = "collection"
provenance = "off"
[[tenants]]
id = "acme"
grants = {{ docs = ["read"] }}
keys = [{{ id = "k", hash = "{}", scopes = ["read"] }}]
"#,
        key_hash(KEY)
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
    for (name, n) in [("docs", 2u64), ("secret", 5)] {
        let create =
            serde_json::from_value(json!({"vectors": {"size": 2, "distance": "Dot"}})).unwrap();
        pipeline
            .run(
                Some(ADMIN),
                Operation::CreateCollection {
                    collection: name.into(),
                    request: create,
                },
            )
            .await
            .unwrap();
        let points: Vec<_> = (0..n)
            .map(|i| json!({"id": i, "vector": [1.0, i as f32]}))
            .collect();
        let upsert = serde_json::from_value(json!({ "points": points })).unwrap();
        let op = Operation::Update {
            collection: name.into(),
            update: PointsUpdate::Upsert(upsert),
            wait: true,
        };
        pipeline.run(Some(ADMIN), op).await.unwrap();
    }
    let count = |collection: &str| Operation::Count {
        collection: collection.into(),
        request: serde_json::from_value(json!({})).unwrap(),
    };
    let lookup = || Operation::Query {
        collection: "docs".into(),
        requests: vec![serde_json::from_value(
            json!({"query": 1, "lookup_from": {"collection": "docs"}}),
        )
        .unwrap()],
    };

    // Before: "docs" is the tenant's own collection.
    match pipeline
        .run(Some(KEY), count("docs"))
        .await
        .unwrap()
        .outcome
    {
        Outcome::Count(c) => assert_eq!(c.count, 2),
        other => panic!("{other:?}"),
    }
    pipeline.run(Some(KEY), lookup()).await.unwrap();

    // An operator points the name "docs" at "secret".
    backend
        .aliases
        .lock()
        .insert("docs".into(), "secret".into());
    for op in [count("docs"), lookup()] {
        match pipeline.run(Some(KEY), op).await {
            // Refused as not found, naming what was asked for: the alias
            // target's name is not revealed.
            Err(Error::NotFound(m)) => assert_eq!(m, "Collection `docs` doesn't exist!"),
            other => panic!("the alias reached `secret`: {other:?}"),
        }
    }
    // The admin is not rewritten.
    assert!(matches!(
        pipeline
            .run(Some(ADMIN), count("docs"))
            .await
            .map(|r| r.outcome),
        Ok(Outcome::Count(_))
    ));
}
