//! In front of an upstream that is down, ragwall answers in Qdrant's shape
//! with 502, reports not ready, and refuses rather than guessing.

mod common;

use std::net::TcpListener;

use common::Ragwall;
use serde_json::json;

#[tokio::test]
async fn unreachable_upstream_gives_qdrant_shaped_502() {
    // A port that was free a moment ago: nothing listens there.
    let port = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("ragwall.toml");
    std::fs::write(
        &config,
        format!("[upstream]\nurl = \"http://127.0.0.1:{port}\"\ntimeout_secs = 2\nconnect_timeout_secs = 1\n"),
    )
    .unwrap();
    let r = Ragwall::start_unready(&dir.path().join("data"), &config).await;

    let (status, body) = r.call("GET", "/readyz", None).await;
    assert_eq!(status, 503, "{body}");
    let (status, body) = r
        .call(
            "POST",
            "/collections/docs/points/query",
            Some(json!({"query": [1.0, 2.0]})),
        )
        .await;
    assert_eq!(status, 502, "{body}");
    assert_eq!(
        body["status"]["error"],
        "Bad gateway: the upstream is unreachable"
    );
    let (status, _) = r
        .call(
            "PUT",
            "/collections/docs/points?wait=true",
            Some(json!({"points": [{"id": 1, "vector": [1.0]}]})),
        )
        .await;
    assert_eq!(status, 502);
}
