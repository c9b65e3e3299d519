//! Bad input gets a Qdrant-shaped error with the right status, and changes
//! nothing.

mod common;

use common::{count, create_collection, Ragwall};
use serde_json::{json, Value};

/// Qdrant's error envelope: `{"status": {"error": "…"}, "time": …}`.
fn error_message(body: &Value) -> &str {
    assert!(body["time"].is_number(), "no time in {body}");
    body["status"]["error"]
        .as_str()
        .unwrap_or_else(|| panic!("not an error envelope: {body}"))
}

async fn seeded() -> (tempfile::TempDir, Ragwall) {
    let dir = tempfile::tempdir().unwrap();
    let r = Ragwall::start(dir.path()).await;
    create_collection(&r, "docs").await;
    let (status, _) = r
        .call(
            "PUT",
            "/collections/docs/points?wait=true",
            Some(json!({"points": [
                {"id": 1, "vector": [0.1, 0.2, 0.3, 0.4], "payload": {"text": "one"}},
                {"id": 2, "vector": [0.4, 0.3, 0.2, 0.1], "payload": {"text": "two"}}
            ]})),
        )
        .await;
    assert_eq!(status, 200);
    (dir, r)
}

struct Case {
    name: &'static str,
    method: &'static str,
    path: &'static str,
    body: &'static str,
    status: u16,
    message: &'static str,
}

const CASES: &[Case] = &[
    Case {
        name: "malformed JSON",
        method: "PUT",
        path: "/collections/docs/points?wait=true",
        body: r#"{"points": [{"id": 3, "vector": [1,2,3,4]"#,
        status: 400,
        message: "Format error in JSON body",
    },
    Case {
        name: "wrong vector dimension, even with one good point first",
        method: "PUT",
        path: "/collections/docs/points?wait=true",
        body: r#"{"points": [{"id": 3, "vector": [1,2,3,4]}, {"id": 4, "vector": [1,2,3]}]}"#,
        status: 400,
        message: "Vector dimension error: expected dim: 4, got 3",
    },
    Case {
        name: "unknown collection",
        method: "PUT",
        path: "/collections/nope/points?wait=true",
        body: r#"{"points": [{"id": 3, "vector": [1,2,3,4]}]}"#,
        status: 404,
        message: "Not found: Collection `nope` doesn't exist!",
    },
    Case {
        name: "unknown field in a write",
        method: "PUT",
        path: "/collections/docs/points?wait=true",
        body: r#"{"points": [{"id": 3, "vector": [1,2,3,4]}], "sneaky": true}"#,
        status: 400,
        message: "unknown field `sneaky`",
    },
    Case {
        name: "unknown field inside a filter",
        method: "POST",
        path: "/collections/docs/points/delete?wait=true",
        body: r#"{"filter": {"must": [], "bogus": 1}}"#,
        status: 400,
        message: "unknown field",
    },
    Case {
        name: "points and batch together",
        method: "PUT",
        path: "/collections/docs/points?wait=true",
        body: r#"{"points": [{"id": 3, "vector": [1,2,3,4]}], "batch": {"ids": [4], "vectors": [[1,2,3,4]]}}"#,
        status: 400,
        message: "not both",
    },
    Case {
        name: "points and filter together in a delete",
        method: "POST",
        path: "/collections/docs/points/delete?wait=true",
        body: r#"{"points": [1], "filter": {"must": []}}"#,
        status: 400,
        message: "not both",
    },
    Case {
        name: "unknown vector name",
        method: "PUT",
        path: "/collections/docs/points?wait=true",
        body: r#"{"points": [{"id": 3, "vector": {"other": [1,2,3,4]}}]}"#,
        status: 400,
        message: "other",
    },
    Case {
        name: "unknown query parameter",
        method: "PUT",
        path: "/collections/docs/points?wait=true&wiat=true",
        body: r#"{"points": [{"id": 3, "vector": [1,2,3,4]}]}"#,
        status: 400,
        message: "wiat",
    },
    Case {
        name: "query on an unknown collection",
        method: "POST",
        path: "/collections/nope/points/query",
        body: r#"{"query": [1,2,3,4]}"#,
        status: 404,
        message: "Not found: Collection `nope` doesn't exist!",
    },
    Case {
        name: "query with a wrong dimension",
        method: "POST",
        path: "/collections/docs/points/query",
        body: r#"{"query": [1,2,3]}"#,
        status: 400,
        message: "dimension",
    },
    Case {
        name: "query by a point id that does not exist",
        method: "POST",
        path: "/collections/docs/points/query",
        body: r#"{"query": 999}"#,
        status: 404,
        message: "No point with id 999 found",
    },
    Case {
        name: "ambiguous query kind",
        method: "POST",
        path: "/collections/docs/points/query",
        body: r#"{"query": {"nearest": [1,2,3,4], "order_by": "x"}}"#,
        status: 400,
        message: "exactly one kind",
    },
    Case {
        name: "an endpoint ragwall does not serve",
        method: "POST",
        path: "/collections/docs/snapshots",
        body: "{}",
        status: 501,
        message: "not served by ragwall",
    },
];

#[tokio::test]
async fn bad_input_is_refused_in_qdrants_shape_and_changes_nothing() {
    let (_dir, r) = seeded().await;
    let (_, before) = r
        .call(
            "POST",
            "/collections/docs/points/scroll",
            Some(json!({"with_payload": true, "with_vector": true})),
        )
        .await;
    for case in CASES {
        let (status, body) = r.raw(case.method, case.path, case.body).await;
        assert_eq!(status, case.status, "{}: {body}", case.name);
        let message = error_message(&body);
        assert!(
            message.contains(case.message),
            "{}: message {message:?} lacks {:?}",
            case.name,
            case.message
        );
    }
    let (_, after) = r
        .call(
            "POST",
            "/collections/docs/points/scroll",
            Some(json!({"with_payload": true, "with_vector": true})),
        )
        .await;
    assert_eq!(
        before["result"], after["result"],
        "bad input changed the data"
    );
    assert_eq!(count(&r, "docs").await, 2);
    let (_, list) = r.call("GET", "/collections", None).await;
    assert_eq!(list["result"]["collections"], json!([{"name": "docs"}]));
}

#[tokio::test]
async fn collection_lifecycle_errors() {
    let (_dir, r) = seeded().await;
    let (status, body) = r
        .call(
            "PUT",
            "/collections/docs",
            Some(json!({"vectors": {"size": 4, "distance": "Dot"}})),
        )
        .await;
    assert_eq!(status, 409, "{body}");
    assert!(error_message(&body).contains("already exists"));

    let (status, body) = r
        .call(
            "PUT",
            "/collections/bad%2Fname",
            Some(json!({"vectors": {"size": 4, "distance": "Dot"}})),
        )
        .await;
    assert_eq!(status, 400, "{body}");

    let (status, body) = r
        .call(
            "PUT",
            "/collections/x",
            Some(json!({"vectors": {"size": 4, "distance": "Cosinus"}})),
        )
        .await;
    assert_eq!(status, 400, "{body}");
    let (_, exists) = r.call("GET", "/collections/x/exists", None).await;
    assert_eq!(exists["result"]["exists"], false);

    let (status, body) = r.call("GET", "/collections/x", None).await;
    assert_eq!(status, 404);
    assert_eq!(
        error_message(&body),
        "Not found: Collection `x` doesn't exist!"
    );

    let (status, body) = r.call("GET", "/collections/docs/points/77", None).await;
    assert_eq!(status, 404);
    assert!(error_message(&body).contains("77"));
}

#[tokio::test]
async fn oversized_body_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let r = Ragwall::start(dir.path()).await;
    create_collection(&r, "docs").await;
    // 33 MiB of vector numbers: over the 32 MiB default limit.
    let big = format!(
        "{{\"points\": [{{\"id\": 1, \"vector\": [{}1]}}]}}",
        "1,".repeat(17 << 20)
    );
    let resp = reqwest::Client::new()
        .put(format!("{}/collections/docs/points", r.url))
        .header("api-key", common::ADMIN_KEY)
        .body(big)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status().as_u16(), 413);
    let body: Value = resp.json().await.unwrap();
    assert!(error_message(&body).contains("limit"));
    assert_eq!(count(&r, "docs").await, 0);
}
