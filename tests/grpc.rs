//! The gRPC listener driven by the real Rust `qdrant-client` crate, on the
//! embedded engine: the same isolation, provenance and audit as REST, and
//! Qdrant's gRPC codes for refusals.

mod common;

use common::{Ragwall, ADMIN_KEY};
use qdrant_client::qdrant::{
    Condition, CountPointsBuilder, CreateCollectionBuilder, DeletePointsBuilder, Distance, Filter,
    GetPointsBuilder, PointStruct, PointsIdsList, QueryPointsBuilder, RecommendBatchPointsBuilder,
    RecommendPointsBuilder, ScrollPointsBuilder, SearchBatchPointsBuilder, SearchPointsBuilder,
    UpsertPointsBuilder, VectorParamsBuilder,
};
use qdrant_client::{Payload, Qdrant, QdrantError};
use ragwall::auth::key_hash;
use serde_json::json;

const ACME: &str = "acme-key-grpc-0000000000";
const VICTIM: &str = "victim-key-grpc-00000000";

fn policy() -> String {
    format!(
        r#"
[collections.docs]
tenancy = "payload"

[[tenants]]
id = "acme"
grants = {{ docs = ["read", "write"] }}
keys = [{{ id = "acme-rw", hash = "{}", scopes = ["read", "write"] }}]

[[tenants]]
id = "victim"
grants = {{ docs = ["read", "write"] }}
keys = [{{ id = "victim-rw", hash = "{}", scopes = ["read", "write"] }}]
"#,
        key_hash(ACME),
        key_hash(VICTIM)
    )
}

fn client(r: &Ragwall, key: &str) -> Qdrant {
    Qdrant::from_url(&r.grpc_url)
        .api_key(key)
        .skip_compatibility_check()
        .build()
        .unwrap()
}

fn code(e: QdrantError) -> tonic::Code {
    match e {
        QdrantError::ResponseError { status } => status.code(),
        other => panic!("not a gRPC status: {other:?}"),
    }
}

fn point(id: u64, text: &str) -> PointStruct {
    let payload: Payload = json!({"text": text}).try_into().unwrap();
    PointStruct::new(id, vec![1.0, 0.0, 0.0, id as f32 / 100.0], payload)
}

#[tokio::test]
async fn grpc_gets_the_same_isolation_provenance_and_codes() {
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("ragwall.toml");
    std::fs::write(&config, policy()).unwrap();
    let r = Ragwall::start_with(&dir.path().join("data"), Some(&config)).await;
    let admin = client(&r, ADMIN_KEY);
    let acme = client(&r, ACME);
    let victim = client(&r, VICTIM);

    admin
        .create_collection(
            CreateCollectionBuilder::new("docs")
                .vectors_config(VectorParamsBuilder::new(4, Distance::Cosine)),
        )
        .await
        .unwrap();
    assert!(admin.collection_exists("docs").await.unwrap());
    acme.upsert_points(
        UpsertPointsBuilder::new("docs", vec![point(1, "acme one"), point(2, "acme two")])
            .wait(true),
    )
    .await
    .unwrap();
    victim
        .upsert_points(
            UpsertPointsBuilder::new("docs", vec![point(10, "victim secret")]).wait(true),
        )
        .await
        .unwrap();
    // A chunk planted with raw access: unsigned, so dropped for tenants.
    admin
        .upsert_points(
            UpsertPointsBuilder::new(
                "docs",
                vec![{
                    let mut p = point(3, "planted");
                    p.payload.insert("tenant_id".into(), "acme".into());
                    p
                }],
            )
            .wait(true),
        )
        .await
        .unwrap();

    // Hostile filters asking for the victim's points find only acme's own.
    let hostile = Filter::should([
        Condition::matches("tenant_id", "victim".to_string()),
        Condition::has_id([10]),
    ]);
    let found = acme
        .query(
            QueryPointsBuilder::new("docs")
                .query(vec![1.0, 0.0, 0.0, 0.0])
                .limit(10)
                .with_payload(true),
        )
        .await
        .unwrap();
    let ids: Vec<_> = found.result.iter().map(|p| p.id.clone().unwrap()).collect();
    assert_eq!(ids.len(), 2, "{found:?}");
    assert!(found
        .result
        .iter()
        .all(|p| p.payload["text"].as_str().unwrap().starts_with("acme")));
    let found = acme
        .query(
            QueryPointsBuilder::new("docs")
                .query(vec![1.0, 0.0, 0.0, 0.0])
                .filter(hostile.clone())
                .limit(10),
        )
        .await
        .unwrap();
    assert!(found.result.is_empty(), "{found:?}");
    let found = acme
        .search_points(
            SearchPointsBuilder::new("docs", vec![1.0, 0.0, 0.0, 0.0], 10).filter(hostile.clone()),
        )
        .await
        .unwrap();
    assert!(found.result.is_empty(), "{found:?}");
    let page = acme
        .scroll(
            ScrollPointsBuilder::new("docs")
                .filter(hostile.clone())
                .limit(100),
        )
        .await
        .unwrap();
    assert!(page.result.is_empty(), "{page:?}");
    let count = acme
        .count(
            CountPointsBuilder::new("docs")
                .filter(hostile.clone())
                .exact(true),
        )
        .await
        .unwrap();
    assert_eq!(count.result.unwrap().count, 0);
    let got = acme
        .get_points(GetPointsBuilder::new("docs", vec![10.into(), 1.into()]).with_payload(true))
        .await
        .unwrap();
    assert_eq!(got.result.len(), 1);
    assert_eq!(got.result[0].payload["text"].as_str().unwrap(), "acme one");

    // Legacy recommend and search batches go through the same rewrite.
    let recommended = acme
        .recommend(RecommendPointsBuilder::new("docs", 10).add_positive(1))
        .await
        .unwrap();
    let ids: Vec<_> = recommended
        .result
        .iter()
        .map(|p| p.id.clone().unwrap())
        .collect();
    assert_eq!(ids, vec![2.into()], "{recommended:?}");
    let e = acme
        .recommend(RecommendPointsBuilder::new("docs", 10).add_positive(10))
        .await
        .unwrap_err();
    assert_eq!(code(e), tonic::Code::NotFound);
    let batch = acme
        .search_batch_points(SearchBatchPointsBuilder::new(
            "docs",
            vec![
                SearchPointsBuilder::new("docs", vec![1.0, 0.0, 0.0, 0.0], 10).build(),
                SearchPointsBuilder::new("docs", vec![1.0, 0.0, 0.0, 0.0], 10)
                    .filter(hostile.clone())
                    .build(),
            ],
        ))
        .await
        .unwrap();
    assert_eq!(batch.result[0].result.len(), 2);
    assert!(batch.result[1].result.is_empty());
    let batch = acme
        .recommend_batch(RecommendBatchPointsBuilder::new(
            "docs",
            vec![
                RecommendPointsBuilder::new("docs", 10)
                    .add_positive(1)
                    .build(),
                RecommendPointsBuilder::new("docs", 10)
                    .add_positive(1)
                    .filter(hostile.clone())
                    .build(),
            ],
        ))
        .await
        .unwrap();
    assert_eq!(batch.result[0].result.len(), 1, "{batch:?}");
    assert!(batch.result[1].result.is_empty());
    let e = acme
        .recommend_batch(RecommendBatchPointsBuilder::new(
            "docs",
            vec![RecommendPointsBuilder::new("docs", 10)
                .add_positive(10)
                .build()],
        ))
        .await
        .unwrap_err();
    assert_eq!(code(e), tonic::Code::NotFound);

    // Writes cannot reach the victim's points.
    acme.delete_points(
        DeletePointsBuilder::new("docs")
            .points(PointsIdsList {
                ids: vec![10.into()],
            })
            .wait(true),
    )
    .await
    .unwrap();
    let left = victim
        .count(CountPointsBuilder::new("docs").exact(true))
        .await
        .unwrap();
    assert_eq!(left.result.unwrap().count, 1, "the victim's point survived");

    // Refusals carry Qdrant's gRPC codes.
    let nobody = client(&r, "not-a-key");
    assert_eq!(
        code(nobody.list_collections().await.unwrap_err()),
        tonic::Code::Unauthenticated
    );
    let e = acme
        .create_collection(
            CreateCollectionBuilder::new("evil")
                .vectors_config(VectorParamsBuilder::new(4, Distance::Cosine)),
        )
        .await
        .unwrap_err();
    assert_eq!(code(e), tonic::Code::PermissionDenied);
    let e = acme
        .scroll(ScrollPointsBuilder::new("secret"))
        .await
        .unwrap_err();
    assert_eq!(code(e), tonic::Code::NotFound);
    let info = acme.collection_info("docs").await.unwrap().result.unwrap();
    assert_eq!(
        info.points_count, None,
        "a tenant does not see other tenants' counts"
    );
    let groups = acme
        .query_groups(
            qdrant_client::qdrant::QueryPointGroupsBuilder::new("docs", "text")
                .query(vec![1.0, 0.0, 0.0, 0.0])
                .limit(10u64),
        )
        .await
        .unwrap();
    let grouped: Vec<_> = groups
        .result
        .unwrap()
        .groups
        .iter()
        .flat_map(|g| g.hits.clone())
        .map(|p| p.id.unwrap())
        .collect();
    assert_eq!(grouped.len(), 2, "only acme's verified points: {grouped:?}");
    let e = acme.list_collection_aliases("docs").await.unwrap_err();
    assert_eq!(code(e), tonic::Code::Unimplemented);
    let e = admin.list_snapshots("docs").await.unwrap_err();
    assert_eq!(code(e), tonic::Code::PermissionDenied);

    // The audit trail records gRPC calls like REST ones (written
    // asynchronously: wait for the record).
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    let record = loop {
        let (status, records) = r
            .admin(Some(ADMIN_KEY))
            .call(
                "GET",
                "/v1/audit?tenant=acme&decision=allow&limit=100",
                None,
            )
            .await;
        assert_eq!(status, 200);
        let found = records.as_array().unwrap().iter().find(|x| {
            x["endpoint"] == "/qdrant.Points/Query"
                && x["returned"].as_array().is_some_and(|a| a.len() == 2)
        });
        match found {
            Some(record) => break record.clone(),
            None if std::time::Instant::now() < deadline => {
                tokio::time::sleep(std::time::Duration::from_millis(50)).await
            }
            None => panic!("no gRPC query record: {records}"),
        }
    };
    assert_eq!(record["protocol"], "grpc");
    assert_eq!(
        record["dropped"],
        json!([{"collection": "docs", "id": 3, "reason": "missing"}])
    );
}
