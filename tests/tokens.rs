//! Short-lived tokens: minted from a tenant API key, used like any Qdrant
//! credential, refused after expiry, never wider than their key, and revoked
//! when their key is removed.

mod common;

use std::time::Duration;

use common::Ragwall;
use ragwall::auth::{key_hash, new_api_key};
use serde_json::{json, Value};

fn policy(key: Option<&str>) -> String {
    let keys = match key {
        Some(k) => format!(
            r#"[{{ id = "acme-app", hash = "{}", scopes = ["read", "write"] }}]"#,
            key_hash(k)
        ),
        None => "[]".into(),
    };
    format!(
        r#"
[collections.docs]
tenancy = "payload"

[[tenants]]
id = "acme"
grants = {{ docs = ["read", "write"] }}
keys = {keys}
"#
    )
}

async fn mint(r: &Ragwall, key: &str, body: Value) -> (u16, Value) {
    r.as_key(Some(key))
        .call("POST", "/v1/token", Some(body))
        .await
}

#[tokio::test]
async fn tokens_expire_narrow_and_die_with_their_key() {
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("ragwall.toml");
    let key = new_api_key();
    std::fs::write(&config, policy(Some(&key))).unwrap();
    let mut r = Ragwall::start_with(&dir.path().join("data"), Some(&config)).await;
    common::create_collection(&r, "docs").await;

    // A two-second token works, then expires.
    let (status, body) = mint(&r, &key, json!({"ttl_secs": 2})).await;
    assert_eq!(status, 200, "{body}");
    let token = body["result"]["token"].as_str().unwrap().to_owned();
    let as_token = r.as_key(None);
    let bearer = reqwest::Client::new()
        .post(format!("{}/collections/docs/points/count", as_token.url))
        .header("authorization", format!("Bearer {token}"))
        .json(&json!({}))
        .send()
        .await
        .unwrap();
    let status = bearer.status().as_u16();
    assert_eq!(status, 200, "{}", bearer.text().await.unwrap());
    tokio::time::sleep(Duration::from_millis(3100)).await;
    let (status, body) = r
        .as_key(Some(&token))
        .call("POST", "/collections/docs/points/count", Some(json!({})))
        .await;
    assert_eq!(status, 401, "{body}");
    assert!(body["status"]["error"]
        .as_str()
        .unwrap()
        .contains("expired"));

    // A read-only token cannot write; a token cannot be wider than its key.
    let (_, body) = mint(&r, &key, json!({"scopes": ["read"]})).await;
    let reader = body["result"]["token"].as_str().unwrap().to_owned();
    let (status, _) = r
        .as_key(Some(&reader))
        .call(
            "PUT",
            "/collections/docs/points?wait=true",
            Some(json!({"points": [{"id": 1, "vector": [1, 0, 0, 0]}]})),
        )
        .await;
    assert_eq!(status, 403);
    let (status, _) = mint(&r, &key, json!({"scopes": ["sign"]})).await;
    assert_eq!(status, 403);
    let (status, _) = mint(&r, &reader, json!({})).await;
    assert_eq!(status, 403, "a token minted a token");
    let (status, _) = mint(&r, common::ADMIN_KEY, json!({})).await;
    assert_eq!(status, 403);
    let (status, _) = mint(&r, &key, json!({"ttl_secs": 86400})).await;
    assert_eq!(status, 400);

    // Tokens survive a restart (the signing secret is kept)…
    let (_, body) = mint(&r, &key, json!({})).await;
    let long = body["result"]["token"].as_str().unwrap().to_owned();
    r.stop_and_restart().await;
    let (status, _) = r
        .as_key(Some(&long))
        .call("POST", "/collections/docs/points/count", Some(json!({})))
        .await;
    assert_eq!(status, 200);

    // …but not the removal of their key (through the admin API, which the
    // configuration file only seeds): everything derived from it stops, and
    // stays stopped after a restart.
    let (status, _) = r
        .admin(Some(common::ADMIN_KEY))
        .call("DELETE", "/v1/tenants/acme/keys/acme-app", None)
        .await;
    assert_eq!(status, 204);
    r.stop_and_restart().await;
    for credential in [&long, &key] {
        let (status, _) = r
            .as_key(Some(credential))
            .call("POST", "/collections/docs/points/count", Some(json!({})))
            .await;
        assert_eq!(status, 401);
    }
}
