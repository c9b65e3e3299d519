//! Acknowledged writes survive restarts and crashes (`kill -9`).

mod common;

use common::{count, create_collection, Ragwall};
use serde_json::json;

fn points(range: std::ops::Range<u64>) -> serde_json::Value {
    let points: Vec<_> = range
        .map(|i| {
            json!({
                "id": i,
                "vector": [1.0, i as f32, 0.5, -(i as f32)],
                "payload": {"n": i, "text": format!("chunk {i}")}
            })
        })
        .collect();
    json!({ "points": points })
}

#[tokio::test]
async fn acknowledged_upserts_survive_kill_9() {
    let dir = tempfile::tempdir().unwrap();
    let mut r = Ragwall::start(dir.path()).await;
    create_collection(&r, "docs").await;

    // Several acknowledged writes, the last one immediately before the crash.
    for batch in 0..5u64 {
        let (status, body) = r
            .call(
                "PUT",
                "/collections/docs/points?wait=true",
                Some(points(batch * 100..batch * 100 + 100)),
            )
            .await;
        assert_eq!(status, 200, "{body}");
        assert_eq!(body["result"]["status"], "completed");
    }
    let (status, _) = r
        .call(
            "POST",
            "/collections/docs/points/payload?wait=true",
            Some(json!({"payload": {"edited": true}, "points": [499]})),
        )
        .await;
    assert_eq!(status, 200);
    r.kill_and_restart().await;

    assert_eq!(count(&r, "docs").await, 500);
    let (status, body) = r.call("GET", "/collections/docs/points/499", None).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["result"]["payload"]["edited"], true);
    assert_eq!(body["result"]["payload"]["text"], "chunk 499");

    // Deletes are durable too.
    let (status, _) = r
        .call(
            "POST",
            "/collections/docs/points/delete?wait=true",
            Some(json!({"points": [0, 1, 2]})),
        )
        .await;
    assert_eq!(status, 200);
    r.kill_and_restart().await;
    assert_eq!(count(&r, "docs").await, 497);
}

#[tokio::test]
async fn data_and_collections_survive_a_clean_restart() {
    let dir = tempfile::tempdir().unwrap();
    let mut r = Ragwall::start(dir.path()).await;
    create_collection(&r, "keep").await;
    create_collection(&r, "drop").await;
    let (status, _) = r
        .call(
            "PUT",
            "/collections/keep/points?wait=true",
            Some(points(0..50)),
        )
        .await;
    assert_eq!(status, 200);
    let (status, body) = r.call("DELETE", "/collections/drop", None).await;
    assert_eq!((status, &body["result"]), (200, &json!(true)));

    r.stop_and_restart().await;

    let (_, body) = r.call("GET", "/collections", None).await;
    assert_eq!(body["result"]["collections"], json!([{"name": "keep"}]));
    assert_eq!(count(&r, "keep").await, 50);
    let (_, body) = r.call("GET", "/collections/keep", None).await;
    assert_eq!(body["result"]["config"]["params"]["vectors"]["size"], 4);
    assert_eq!(body["result"]["points_count"], 50);
}
