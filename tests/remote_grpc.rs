//! In remote mode with `upstream.grpc_url`, the hot reads reach the upstream
//! over gRPC and everything else over REST; a read that does not translate
//! to gRPC goes over REST whole, never with a part left out. The upstream
//! here is a second ragwall serving the embedded engine, and its own audit
//! trail shows which protocol each forwarded request came in by.

mod common;

use std::path::Path;
use std::time::{Duration, Instant};

use common::Ragwall;
use ragwall::auth::key_hash;
use serde_json::{json, Value};

const ACME: &str = "acme-key-remote-grpc-0000";
const VICTIM: &str = "victim-key-remote-grpc-00";

/// The upstream's audit records, once `done` holds for them (the audit
/// writer is asynchronous: a record lands shortly after its response).
async fn upstream_records(data: &Path, done: impl Fn(&[Value]) -> bool) -> Vec<Value> {
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let mut records = Vec::new();
        for file in ragwall::audit::files_in(&data.join("audit")).unwrap_or_default() {
            let text = std::fs::read_to_string(file).unwrap_or_default();
            records.extend(
                text.lines()
                    .filter_map(|l| serde_json::from_str::<Value>(l).ok()),
            );
        }
        if done(&records) || Instant::now() > deadline {
            return records;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// The point ids of a query or scroll answer.
fn ids_of(body: &Value) -> Vec<u64> {
    body["result"]["points"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["id"].as_u64().unwrap())
        .collect()
}

#[tokio::test]
async fn hot_reads_go_over_grpc_and_the_rest_over_rest() {
    let dir = tempfile::tempdir().unwrap();
    let upstream_data = dir.path().join("upstream");
    let upstream = Ragwall::start(&upstream_data).await;
    let config = dir.path().join("front.toml");
    std::fs::write(
        &config,
        format!(
            r#"[upstream]
url = "{}"
grpc_url = "{}"
api_key = "{}"

[collections.docs]
tenancy = "payload"

[[tenants]]
id = "acme"
grants = {{ docs = ["read", "write"] }}
keys = [{{ id = "acme", hash = "{}", scopes = ["read", "write"] }}]

[[tenants]]
id = "victim"
grants = {{ docs = ["read", "write"] }}
keys = [{{ id = "victim", hash = "{}", scopes = ["read", "write"] }}]
"#,
            upstream.url,
            upstream.grpc_url,
            common::ADMIN_KEY,
            key_hash(ACME),
            key_hash(VICTIM)
        ),
    )
    .unwrap();
    let front = Ragwall::start_with(&dir.path().join("front"), Some(&config)).await;
    common::create_collection(&front, "docs").await;
    for (key, base, text) in [(ACME, 0, "acme"), (VICTIM, 10, "victim")] {
        let points: Vec<Value> = (0..5)
            .map(|i| json!({"id": base + i, "vector": [1.0, 0.1 * i as f64, 0.0, 0.0],
                            "payload": {"text": format!("{text} {i}"), "at": {"lon": 1.0, "lat": 2.0}}}))
            .collect();
        let (status, body) = front
            .as_key(Some(key))
            .call(
                "PUT",
                "/collections/docs/points?wait=true",
                Some(json!({ "points": points })),
            )
            .await;
        assert_eq!(status, 200, "{body}");
    }
    let acme = front.as_key(Some(ACME));
    let grpc_upserts = |records: &[Value]| {
        records
            .iter()
            .filter(|r| r["protocol"] == "grpc" && r["endpoint"] == "/qdrant.Points/Upsert")
            .count()
    };
    let writes = upstream_records(&upstream_data, |r| grpc_upserts(r) >= 2).await;
    let upserts = grpc_upserts(&writes);
    assert_eq!(upserts, 2, "stamped upserts over gRPC: {writes:?}");
    // The stamps survive the trip: every point verifies on the way back.
    let before = writes.len();

    // A query, a retrieve of someone else's ids, a scroll, a count.
    let (status, body) = acme
        .call(
            "POST",
            "/collections/docs/points/query",
            Some(json!({"query": [1.0, 0.0, 0.0, 0.0], "limit": 20, "with_payload": true})),
        )
        .await;
    assert_eq!(status, 200, "{body}");
    let ids = ids_of(&body);
    assert_eq!(ids.len(), 5, "{body}");
    assert!(ids.iter().all(|id| *id < 10), "only acme's points: {ids:?}");
    assert!(body["result"]["points"][0]["payload"]["text"]
        .as_str()
        .unwrap()
        .starts_with("acme"));
    let (_, body) = acme
        .call(
            "POST",
            "/collections/docs/points",
            Some(json!({"ids": [1, 11], "with_payload": true})),
        )
        .await;
    let got: Vec<u64> = body["result"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["id"].as_u64().unwrap())
        .collect();
    assert_eq!(got, vec![1], "{body}");
    let (_, body) = acme
        .call(
            "POST",
            "/collections/docs/points/scroll",
            Some(json!({"limit": 100})),
        )
        .await;
    assert_eq!(
        body["result"]["points"].as_array().unwrap().len(),
        5,
        "{body}"
    );
    let (_, body) = acme
        .call(
            "POST",
            "/collections/docs/points/count",
            Some(json!({"exact": true})),
        )
        .await;
    assert_eq!(body["result"]["count"], 5, "{body}");
    let (status, body) = acme
        .call(
            "POST",
            "/collections/docs/points/delete?wait=true",
            Some(json!({"points": [4]})),
        )
        .await;
    assert_eq!(status, 200, "{body}");
    let (_, body) = acme
        .call(
            "POST",
            "/collections/docs/points/count",
            Some(json!({"exact": true})),
        )
        .await;
    assert_eq!(body["result"]["count"], 4, "{body}");

    // A geo filter has no gRPC translation here: the whole request, tenant
    // filter included, goes over REST.
    let geo = json!({"must": [{"key": "at", "geo_radius": {"center": {"lon": 1.0, "lat": 2.0}, "radius": 1000.0}}]});
    let (status, body) = acme
        .call(
            "POST",
            "/collections/docs/points/query",
            Some(json!({"query": [1.0, 0.0, 0.0, 0.0], "limit": 20, "filter": geo})),
        )
        .await;
    assert_eq!(status, 200, "{body}");
    let ids = ids_of(&body);
    assert_eq!(ids.len(), 4, "{body}");
    assert!(ids.iter().all(|id| *id < 10), "only acme's points: {ids:?}");

    // The geo query is the last request: once its record is written (the
    // writer batches, in order), so are the others'.
    let records = upstream_records(&upstream_data, |r| {
        r.get(before..).is_some_and(|new| {
            new.iter().any(|x| {
                x["protocol"] == "rest"
                    && x["endpoint"]
                        .as_str()
                        .is_some_and(|e| e.contains("/points/query/batch"))
            })
        })
    })
    .await;
    let seen: Vec<(String, String)> = records[before..]
        .iter()
        .map(|r| {
            (
                r["protocol"].as_str().unwrap_or_default().to_owned(),
                r["endpoint"].as_str().unwrap_or_default().to_owned(),
            )
        })
        .collect();
    let over = |protocol: &str, endpoint: &str| {
        seen.iter()
            .any(|(p, e)| p == protocol && e.contains(endpoint))
    };
    assert!(over("grpc", "/qdrant.Points/QueryBatch"), "{seen:?}");
    assert!(over("grpc", "/qdrant.Points/Scroll"), "{seen:?}");
    assert!(over("grpc", "/qdrant.Points/Count"), "{seen:?}");
    assert!(over("grpc", "/qdrant.Points/Delete"), "{seen:?}");
    assert!(
        over("rest", "/points/query/batch"),
        "the geo query: {seen:?}"
    );
    // (A tenant's retrieve by id is a scroll with `has_id` and its tenant
    // filter.) Nothing but the geo query went over REST.
    assert_eq!(
        seen.iter().filter(|(p, _)| p == "rest").count(),
        1,
        "{seen:?}"
    );
    drop(front);
    drop(upstream);
}
