//! Every denial is decided before the backend is asked anything: a counting
//! backend wrapped around the real embedded engine sees no call for any
//! refused request.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use async_trait::async_trait;
use ragwall::auth::key_hash;
use ragwall::backend::embedded::Embedded;
use ragwall::backend::Backend;
use ragwall::config::Config;
use ragwall::error::Result;
use ragwall::model::collection::{CollectionInfo, CreateCollection, CreateFieldIndex};
use ragwall::model::output::*;
use ragwall::model::points::PointsUpdate;
use ragwall::model::query::*;
use ragwall::pipeline::{Operation, Pipeline};
use ragwall::policy::{PolicyStore, Snapshot};
use serde_json::json;

/// The real engine, counting every call made to it.
struct Counting {
    inner: Embedded,
    calls: AtomicUsize,
}

impl Counting {
    fn hit(&self) {
        self.calls.fetch_add(1, Ordering::SeqCst);
    }
}

#[async_trait]
impl Backend for Counting {
    async fn ready(&self) -> bool {
        self.inner.ready().await
    }
    /// Alias resolution reads upstream metadata, not the request: not counted.
    async fn aliases(&self) -> Result<std::collections::HashMap<String, String>> {
        self.inner.aliases().await
    }
    async fn list_collections(&self) -> Result<Vec<String>> {
        self.hit();
        self.inner.list_collections().await
    }
    async fn collection_exists(&self, c: &str) -> Result<bool> {
        self.hit();
        self.inner.collection_exists(c).await
    }
    async fn collection_info(&self, c: &str) -> Result<CollectionInfo> {
        self.hit();
        self.inner.collection_info(c).await
    }
    async fn create_collection(&self, c: &str, r: CreateCollection) -> Result<()> {
        self.hit();
        self.inner.create_collection(c, r).await
    }
    async fn delete_collection(&self, c: &str) -> Result<bool> {
        self.hit();
        self.inner.delete_collection(c).await
    }
    async fn create_field_index(
        &self,
        c: &str,
        r: CreateFieldIndex,
        w: bool,
    ) -> Result<UpdateResult> {
        self.hit();
        self.inner.create_field_index(c, r, w).await
    }
    async fn delete_field_index(&self, c: &str, f: &str, w: bool) -> Result<UpdateResult> {
        self.hit();
        self.inner.delete_field_index(c, f, w).await
    }
    async fn update(&self, c: &str, u: PointsUpdate, w: bool) -> Result<UpdateResult> {
        self.hit();
        self.inner.update(c, u, w).await
    }
    async fn retrieve(&self, c: &str, r: PointRequest) -> Result<Vec<Record>> {
        self.hit();
        self.inner.retrieve(c, r).await
    }
    async fn scroll(&self, c: &str, r: ScrollRequest) -> Result<ScrollResult> {
        self.hit();
        self.inner.scroll(c, r).await
    }
    async fn count(&self, c: &str, r: CountRequest) -> Result<CountResult> {
        self.hit();
        self.inner.count(c, r).await
    }
    async fn facet(&self, c: &str, r: FacetRequest) -> Result<FacetResponse> {
        self.hit();
        self.inner.facet(c, r).await
    }
    async fn query_batch(&self, c: &str, r: Vec<QueryRequest>) -> Result<Vec<QueryResponse>> {
        self.hit();
        self.inner.query_batch(c, r).await
    }
    async fn query_groups(&self, c: &str, r: QueryGroupsRequest) -> Result<GroupsResult> {
        self.hit();
        self.inner.query_groups(c, r).await
    }
}

const ADMIN: &str = "denials-admin-key-00000";
const READER: &str = "reader-key-000000000000";

fn op(value: serde_json::Value, make: fn(serde_json::Value) -> Operation) -> Operation {
    make(value)
}

#[tokio::test]
async fn refused_requests_never_reach_the_backend() {
    let dir = tempfile::tempdir().unwrap();
    let backend = Arc::new(Counting {
        inner: Embedded::open(dir.path()).unwrap(),
        calls: AtomicUsize::new(0),
    });
    let config: Config = toml::from_str(&format!(
        r#"
[collections.docs]
tenancy = "payload"
[collections.other]
tenancy = "collection"
[[tenants]]
id = "acme"
grants = {{ docs = ["read", "write"] }}
keys = [{{ id = "r", hash = "{}", scopes = ["read"] }}]
"#,
        key_hash(READER)
    ))
    .unwrap();
    let snapshot =
        Snapshot::from_config(&config, ADMIN, b"token-secret-for-tests-0000000000").unwrap();
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
    let before = backend.calls.load(Ordering::SeqCst);

    let refused: Vec<(Option<&str>, Operation)> = vec![
        (None, Operation::ListCollections),
        (Some("wrong-key"), Operation::ListCollections),
        (
            Some(READER),
            op(json!({"vectors": {"size": 2, "distance": "Dot"}}), |v| {
                Operation::CreateCollection {
                    collection: "evil".into(),
                    request: serde_json::from_value(v).unwrap(),
                }
            }),
        ),
        (
            Some(READER),
            Operation::DeleteCollection {
                collection: "docs".into(),
            },
        ),
        (
            Some(READER),
            op(json!({"points": [{"id": 1, "vector": [1.0, 0.0]}]}), |v| {
                Operation::Update {
                    collection: "docs".into(),
                    update: PointsUpdate::Upsert(serde_json::from_value(v).unwrap()),
                    wait: true,
                }
            }),
        ),
        (
            Some(READER),
            op(json!({}), |v| Operation::Scroll {
                collection: "other".into(),
                request: serde_json::from_value(v).unwrap(),
            }),
        ),
        (
            Some(READER),
            op(json!({"shard_key": "x"}), |v| Operation::Scroll {
                collection: "docs".into(),
                request: serde_json::from_value(v).unwrap(),
            }),
        ),
        (
            Some(READER),
            op(
                json!({"query": [1.0, 0.0], "lookup_from": {"collection": "other"}}),
                |v| Operation::Query {
                    collection: "docs".into(),
                    requests: vec![serde_json::from_value(v).unwrap()],
                },
            ),
        ),
        (
            Some(READER),
            op(
                json!({"query": [1.0, 0.0], "group_by": "g", "with_lookup": "docs"}),
                |v| Operation::QueryGroups {
                    collection: "docs".into(),
                    request: serde_json::from_value(v).unwrap(),
                },
            ),
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
            backend.calls.load(Ordering::SeqCst),
            before,
            "{name} with {credential:?} reached the backend"
        );
    }
}
