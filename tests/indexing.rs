//! The embedded engine builds HNSW indexes in the background, as Qdrant
//! does: collections past their `indexing_threshold` get indexed once
//! writes pause, reads and writes keep working meanwhile, and the index and
//! every acknowledged write survive a crash.

mod common;

use std::time::{Duration, Instant};

use common::{count, Ragwall};
use serde_json::{json, Value};

const DIM: usize = 16;

/// A deterministic, well-spread vector for point `i`.
fn vector(i: u64) -> Vec<f32> {
    let mut x = i.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
    (0..DIM)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            (x % 2000) as f32 / 1000.0 - 1.0
        })
        .collect()
}

async fn upsert(r: &Ragwall, range: std::ops::Range<u64>) {
    let points: Vec<Value> = range
        .map(|i| json!({"id": i, "vector": vector(i), "payload": {"n": i}}))
        .collect();
    let (status, body) = r
        .call(
            "PUT",
            "/collections/big/points?wait=true",
            Some(json!({ "points": points })),
        )
        .await;
    assert_eq!(status, 200, "{body}");
}

async fn info(r: &Ragwall) -> Value {
    let (status, body) = r.call("GET", "/collections/big", None).await;
    assert_eq!(status, 200, "{body}");
    body["result"].clone()
}

/// Waits for the collection to report `green` with at least `indexed`
/// vectors in HNSW-indexed segments.
async fn wait_indexed(r: &Ragwall, indexed: u64) -> Value {
    let deadline = Instant::now() + Duration::from_secs(120);
    loop {
        let info = info(r).await;
        assert_ne!(info["status"], "red", "{info}");
        if info["status"] == "green" && info["indexed_vectors_count"].as_u64() >= Some(indexed) {
            return info;
        }
        assert!(Instant::now() < deadline, "never indexed: {info}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// The id of the nearest point to `vector`, by index or by exact search.
async fn nearest(r: &Ragwall, vector: &[f32], exact: bool) -> u64 {
    let (status, body) = r
        .call(
            "POST",
            "/collections/big/points/query",
            Some(json!({"query": vector, "limit": 1, "params": {"exact": exact}})),
        )
        .await;
    assert_eq!(status, 200, "{body}");
    body["result"]["points"][0]["id"].as_u64().unwrap()
}

#[tokio::test]
async fn large_collections_are_indexed_in_the_background_and_survive_a_crash() {
    let dir = tempfile::tempdir().unwrap();
    let mut r = Ragwall::start(dir.path()).await;
    // 20 KB of vectors is 320 points of 16 × f32: small enough for a test.
    let (status, body) = r
        .call(
            "PUT",
            "/collections/big",
            Some(json!({
                "vectors": {"size": DIM, "distance": "Cosine"},
                "hnsw_config": {"m": 8, "ef_construct": 64},
                "optimizers_config": {"indexing_threshold": 20}
            })),
        )
        .await;
    assert_eq!(status, 200, "{body}");
    for start in (0..3000).step_by(500) {
        upsert(&r, start..start + 500).await;
    }

    let info = wait_indexed(&r, 3000).await;
    assert_eq!(info["points_count"], 3000, "{info}");
    assert_eq!(info["config"]["hnsw_config"]["m"], 8, "{info}");
    assert_eq!(info["config"]["hnsw_config"]["ef_construct"], 64, "{info}");
    assert_eq!(
        info["config"]["optimizer_config"]["indexing_threshold"], 20,
        "{info}"
    );
    for i in (0..3000).step_by(97) {
        assert_eq!(nearest(&r, &vector(i), false).await, i, "indexed search");
    }

    // A second wave of writes triggers another optimisation; reads and
    // writes made while it runs all succeed and none is lost.
    upsert(&r, 3000..4000).await;
    let mut deleted = 0;
    for round in 0..20u64 {
        let i = round * 150;
        assert_eq!(nearest(&r, &vector(i + 1), false).await, i + 1);
        let (status, body) = r
            .call(
                "POST",
                "/collections/big/points/delete?wait=true",
                Some(json!({"points": [i]})),
            )
            .await;
        assert_eq!(status, 200, "{body}");
        deleted += 1;
        upsert(&r, 4000 + round * 50..4050 + round * 50).await;
    }
    let total = 5000 - deleted;
    // What is left in the appendable segment below the threshold (320
    // points) stays unindexed, as in Qdrant.
    let info = wait_indexed(&r, total - 320).await;
    assert_eq!(count(&r, "big").await, total, "{info}");
    assert_eq!(nearest(&r, &vector(4321), false).await, 4321);
    assert_ne!(nearest(&r, &vector(150), true).await, 150, "deleted");

    // The index and every acknowledged write survive `kill -9`.
    r.kill_and_restart().await;
    assert_eq!(count(&r, "big").await, total);
    let info = wait_indexed(&r, total - 320).await;
    assert_eq!(info["config"]["hnsw_config"]["m"], 8, "{info}");
    for i in (1..5000).step_by(211) {
        assert_eq!(nearest(&r, &vector(i), false).await, i, "after restart");
    }
}

#[tokio::test]
async fn malformed_index_settings_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let r = Ragwall::start(dir.path()).await;
    for bad in [
        json!({"vectors": {"size": 4, "distance": "Cosine"}, "hnsw_config": {"m": "many"}}),
        json!({"vectors": {"size": 4, "distance": "Cosine"}, "optimizers_config": [1]}),
        json!({"vectors": {"size": 4, "distance": "Cosine", "hnsw_config": {"ef_construct": -1}}}),
    ] {
        let (status, body) = r.call("PUT", "/collections/big", Some(bad.clone())).await;
        assert_eq!(status, 400, "{bad}: {body}");
        assert!(body["status"]["error"].is_string(), "{body}");
    }
    let (status, _) = r.call("GET", "/collections/big", None).await;
    assert_eq!(status, 404, "nothing was created");
}
