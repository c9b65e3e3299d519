//! The admin API over HTTP, against a real server on the embedded engine:
//! tenants, grants, keys and tokens take effect (and stop) at once; admin
//! changes survive `kill -9`; the admin port refuses everyone but the admin;
//! the OpenAPI document matches the routes; rate limits and metrics.

mod common;

use std::time::{Duration, Instant};

use common::{create_collection, Client, Ragwall, ADMIN_KEY};
use serde_json::{json, Value};

async fn start(dir: &tempfile::TempDir) -> Ragwall {
    Ragwall::start(dir.path()).await
}

/// Creates a payload-shared `docs` collection (policy and engine), tenant
/// `tenant` granted read and write, and one key; returns the key.
async fn tenant_with_key(r: &Ragwall, tenant: &str) -> String {
    let admin = r.admin(Some(ADMIN_KEY));
    let (status, body) = admin
        .call(
            "PUT",
            "/v1/collections/docs",
            Some(json!({"tenancy": "payload", "provenance": "off", "scanner": "off"})),
        )
        .await;
    assert_eq!(status, 200, "{body}");
    let (status, body) = admin
        .call("POST", "/v1/tenants", Some(json!({"id": tenant})))
        .await;
    assert_eq!(status, 201, "{body}");
    let (status, body) = admin
        .call(
            "PUT",
            &format!("/v1/tenants/{tenant}/grants/docs"),
            Some(json!({"operations": ["read", "write"]})),
        )
        .await;
    assert_eq!(status, 200, "{body}");
    let (status, body) = admin
        .call(
            "POST",
            &format!("/v1/tenants/{tenant}/keys"),
            Some(json!({"id": format!("{tenant}-app"), "scopes": ["read", "write"]})),
        )
        .await;
    assert_eq!(status, 201, "{body}");
    body["key"].as_str().unwrap().to_owned()
}

async fn count_as(r: &Ragwall, credential: &str) -> u16 {
    r.as_key(Some(credential))
        .call("POST", "/collections/docs/points/count", Some(json!({})))
        .await
        .0
}

#[tokio::test]
async fn tenants_keys_and_tokens_take_effect_and_stop_at_once() {
    let dir = tempfile::tempdir().unwrap();
    let mut r = start(&dir).await;
    create_collection(&r, "docs").await;
    let admin = r.admin(Some(ADMIN_KEY));

    // Validation names the field; nothing is created.
    for (body, field) in [
        (json!({"id": "has space"}), "id"),
        (json!({"id": "x", "extra": 1}), "extra"),
        (json!({}), "id"),
        (
            json!({"id": "x", "rate_limit": {"per_second": 0, "burst": 1}}),
            "per_second",
        ),
    ] {
        let (status, resp) = admin.call("POST", "/v1/tenants", Some(body)).await;
        assert_eq!(status, 400, "{resp}");
        let message = resp["status"]["error"].as_str().unwrap();
        assert!(message.contains(field), "{message} should name {field}");
    }
    let key = tenant_with_key(&r, "acme").await;
    let (status, _) = admin
        .call("POST", "/v1/tenants", Some(json!({"id": "acme"})))
        .await;
    assert_eq!(status, 409);
    let (status, resp) = admin
        .call(
            "PUT",
            "/v1/tenants/acme/grants/nope",
            Some(json!({"operations": ["read"]})),
        )
        .await;
    assert_eq!(status, 400);
    assert!(resp["status"]["error"].as_str().unwrap().contains("nope"));

    // Listing shows ids and scopes, never the secret or its hash.
    let (_, keys) = admin.call("GET", "/v1/tenants/acme/keys", None).await;
    assert_eq!(keys[0]["id"], "acme-app");
    assert!(!keys.to_string().contains(&key) && !keys.to_string().contains("blake3"));

    // The new key works on the data plane at once, and nowhere on the admin port.
    let (status, body) = r
        .as_key(Some(&key))
        .call(
            "PUT",
            "/collections/docs/points?wait=true",
            Some(json!({"points": [{"id": 1, "vector": [1.0, 0.0, 0.0, 0.0], "payload": {"text": "hi"}}]})),
        )
        .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(count_as(&r, &key).await, 200);
    let (status, _) = r.admin(Some(&key)).call("GET", "/v1/tenants", None).await;
    assert_eq!(status, 403);

    // A 1-second token works, then expires.
    let (status, minted) = admin
        .call(
            "POST",
            "/v1/tenants/acme/tokens",
            Some(json!({"key": "acme-app", "ttl_secs": 1, "scopes": ["read"]})),
        )
        .await;
    assert_eq!(status, 201, "{minted}");
    let short = minted["token"].as_str().unwrap().to_owned();
    assert_eq!(count_as(&r, &short).await, 200);
    let (status, _) = r
        .as_key(Some(&short))
        .call(
            "PUT",
            "/collections/docs/points",
            Some(json!({"points": [{"id": 2, "vector": [1.0, 0.0, 0.0, 0.0]}]})),
        )
        .await;
    assert_eq!(status, 403, "a read-only token cannot write");
    tokio::time::sleep(Duration::from_millis(2100)).await;
    let (status, body) = r
        .as_key(Some(&short))
        .call("POST", "/collections/docs/points/count", Some(json!({})))
        .await;
    assert_eq!(status, 401);
    assert!(body.to_string().contains("expired"), "{body}");

    // A revoked token stops before it expires.
    let (_, minted) = admin
        .call(
            "POST",
            "/v1/tenants/acme/tokens",
            Some(json!({"scopes": ["read"], "ttl_secs": 600})),
        )
        .await;
    let token = minted["token"].as_str().unwrap().to_owned();
    assert_eq!(count_as(&r, &token).await, 200);
    let path = format!("/v1/tokens/{}", minted["id"].as_str().unwrap());
    assert_eq!(admin.call("DELETE", &path, None).await.0, 204);
    assert_eq!(count_as(&r, &token).await, 401);

    // Revoking a key while a client is using it: every request the client
    // starts after the revocation is acknowledged is refused.
    let (_, created) = admin
        .call(
            "POST",
            "/v1/tenants/acme/keys",
            Some(json!({"id": "busy", "scopes": ["read"]})),
        )
        .await;
    let busy = created["key"].as_str().unwrap().to_owned();
    let user = Client {
        url: r.url.clone(),
        key: Some(busy.clone()),
    };
    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let flag = stop.clone();
    let hammer = tokio::spawn(async move {
        let mut seen = Vec::new();
        while !flag.load(std::sync::atomic::Ordering::SeqCst) {
            let started = Instant::now();
            let (status, _) = user
                .call("POST", "/collections/docs/points/count", Some(json!({})))
                .await;
            seen.push((started, status));
        }
        seen
    });
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(
        admin
            .call("DELETE", "/v1/tenants/acme/keys/busy", None)
            .await
            .0,
        204
    );
    let revoked_at = Instant::now();
    tokio::time::sleep(Duration::from_millis(300)).await;
    stop.store(true, std::sync::atomic::Ordering::SeqCst);
    let seen = hammer.await.unwrap();
    assert!(
        seen.iter().any(|(t, s)| *t < revoked_at && *s == 200),
        "used before"
    );
    let after: Vec<_> = seen.iter().filter(|(t, _)| *t > revoked_at).collect();
    assert!(!after.is_empty());
    assert!(after.iter().all(|(_, s)| *s == 401), "{after:?}");

    // Deleting the tenant stops every credential it holds at once.
    let (_, minted) = admin
        .call(
            "POST",
            "/v1/tenants/acme/tokens",
            Some(json!({"key": "acme-app", "ttl_secs": 600})),
        )
        .await;
    let token = minted["token"].as_str().unwrap().to_owned();
    assert_eq!(count_as(&r, &token).await, 200);
    assert_eq!(admin.call("DELETE", "/v1/tenants/acme", None).await.0, 204);
    for credential in [&key, &token] {
        assert_eq!(count_as(&r, credential).await, 401);
    }
    let (status, _) = admin.call("GET", "/v1/tenants/acme", None).await;
    assert_eq!(status, 404);

    // And it stays deleted across a crash; the collection policy stays.
    r.kill_and_restart().await;
    let admin = r.admin(Some(ADMIN_KEY));
    assert_eq!(count_as(&r, &key).await, 401);
    let (_, tenants) = admin.call("GET", "/v1/tenants", None).await;
    assert_eq!(tenants, json!([]));
    let (status, policy) = admin.call("GET", "/v1/collections/docs", None).await;
    assert_eq!(status, 200);
    assert_eq!(policy["tenancy"], "payload");
}

#[tokio::test]
async fn acknowledged_admin_changes_survive_kill_9() {
    let dir = tempfile::tempdir().unwrap();
    let mut r = start(&dir).await;
    let admin = r.admin(Some(ADMIN_KEY));
    let writer = Client {
        url: admin.url.clone(),
        key: admin.key.clone(),
    };
    // A stream of writes; the server is killed at a pseudo-random moment.
    let stream = tokio::spawn(async move {
        let mut acknowledged = Vec::new();
        for i in 0..10_000 {
            let id = format!("t{i}");
            let request = writer
                .request("POST", "/v1/tenants")
                .json(&json!({"id": id}))
                .send()
                .await;
            match request {
                Ok(resp) if resp.status().as_u16() == 201 => acknowledged.push(id),
                _ => break,
            }
        }
        acknowledged
    });
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .subsec_nanos();
    tokio::time::sleep(Duration::from_millis(300 + u64::from(nanos % 700))).await;
    r.kill_and_restart().await;
    let acknowledged = stream.await.unwrap();
    assert!(
        acknowledged.len() >= 3,
        "too few writes: {}",
        acknowledged.len()
    );
    let (status, tenants) = r
        .admin(Some(ADMIN_KEY))
        .call("GET", "/v1/tenants", None)
        .await;
    assert_eq!(status, 200);
    let present: std::collections::BTreeSet<String> = tenants
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["id"].as_str().unwrap().to_owned())
        .collect();
    for id in &acknowledged {
        assert!(present.contains(id), "acknowledged {id} lost");
    }
    // At most the one write in flight at the kill landed unacknowledged.
    assert!(present.len() <= acknowledged.len() + 1);
    // The store still takes writes.
    let (status, _) = r
        .admin(Some(ADMIN_KEY))
        .call("POST", "/v1/tenants", Some(json!({"id": "after"})))
        .await;
    assert_eq!(status, 201);
}

#[tokio::test]
async fn admin_port_is_for_the_admin_only_and_documented_truly() {
    let dir = tempfile::tempdir().unwrap();
    let r = start(&dir).await;
    create_collection(&r, "docs").await;
    let key = tenant_with_key(&r, "acme").await;
    let anonymous = r.admin(None);
    for probe in ["/healthz", "/readyz"] {
        assert_eq!(anonymous.call("GET", probe, None).await.0, 200);
    }
    let (status, doc) = anonymous.call("GET", "/openapi.json", None).await;
    assert_eq!(status, 200);
    let paths = doc["paths"].as_object().unwrap();
    assert!(paths.len() >= 15, "{:?}", paths.keys());
    // Every documented operation is served: refused for lack of credentials
    // (401), refused for a tenant credential (403), never 404/405.
    let mut operations = 0;
    for (path, item) in paths {
        let concrete = path
            .replace("{tenant}", "acme")
            .replace("{collection}", "docs")
            .replace("{key}", "k")
            .replace("{token}", "t");
        for method in item.as_object().unwrap().keys() {
            let method = method.to_uppercase();
            let (status, _) = anonymous.call(&method, &concrete, None).await;
            assert_eq!(status, 401, "{method} {path} without credentials");
            let (status, _) = r.admin(Some(&key)).call(&method, &concrete, None).await;
            assert_eq!(status, 403, "{method} {path} with a tenant key");
            operations += 1;
        }
    }
    assert!(operations >= 24, "{operations} operations documented");
    // …and what is not documented is not served.
    let (status, _) = r
        .admin(Some(ADMIN_KEY))
        .call("GET", "/v1/undocumented", None)
        .await;
    assert_eq!(status, 404);
    // The tenant key is still fine on the data plane.
    assert_eq!(count_as(&r, &key).await, 200);
}

#[tokio::test]
async fn rate_limits_refuse_bursts_of_one_tenant_only() {
    let dir = tempfile::tempdir().unwrap();
    let r = start(&dir).await;
    create_collection(&r, "docs").await;
    let acme = tenant_with_key(&r, "acme").await;
    let globex = tenant_with_key(&r, "globex").await;
    let (status, body) = r
        .admin(Some(ADMIN_KEY))
        .call(
            "PUT",
            "/v1/tenants/acme/rate-limit",
            Some(json!({"per_second": 1, "burst": 3})),
        )
        .await;
    assert_eq!(status, 200, "{body}");
    let started = Instant::now();
    let mut ok = 0;
    let mut limited = Vec::new();
    for _ in 0..12 {
        let (status, headers, body) = r
            .as_key(Some(&acme))
            .send("POST", "/collections/docs/points/count", Some(json!({})))
            .await;
        match status {
            200 => ok += 1,
            429 => limited.push((headers, body)),
            other => panic!("unexpected {other}: {body}"),
        }
    }
    let elapsed = started.elapsed().as_secs_f64();
    // The bucket allows its burst plus one request per second elapsed.
    assert!(
        ok >= 3 && ok as f64 <= 3.0 + elapsed.ceil(),
        "{ok} in {elapsed:.2}s"
    );
    assert!(!limited.is_empty());
    for (headers, body) in &limited {
        let retry: u64 = headers["retry-after"].to_str().unwrap().parse().unwrap();
        assert!((1..=2).contains(&retry), "{retry}");
        let message = body["status"]["error"].as_str().unwrap();
        assert!(message.contains("Rate limiting exceeded"), "{message}");
    }
    // Another tenant is unaffected.
    for _ in 0..12 {
        assert_eq!(count_as(&r, &globex).await, 200);
    }
    // Lifting the limit applies at once.
    let (status, _) = r
        .admin(Some(ADMIN_KEY))
        .call("DELETE", "/v1/tenants/acme/rate-limit", None)
        .await;
    assert_eq!(status, 200);
    for _ in 0..6 {
        assert_eq!(count_as(&r, &acme).await, 200);
    }
}

#[tokio::test]
async fn metrics_count_requests_by_tenant_and_decision() {
    let dir = tempfile::tempdir().unwrap();
    let r = start(&dir).await;
    create_collection(&r, "docs").await;
    let key = tenant_with_key(&r, "acme").await;
    assert_eq!(count_as(&r, &key).await, 200);
    assert_eq!(count_as(&r, "wrong-key").await, 401);
    let (status, _) = r.admin(None).call("GET", "/metrics", None).await;
    assert_eq!(status, 401);
    let (status, text) = r.admin(Some(ADMIN_KEY)).call("GET", "/metrics", None).await;
    assert_eq!(status, 200);
    let text = text.as_str().unwrap().to_owned();
    let has = |needle: &[&str]| {
        text.lines().any(|l| {
            l.starts_with("ragwall_requests_total") && needle.iter().all(|n| l.contains(n))
        })
    };
    assert!(
        has(&[
            "tenant=\"acme\"",
            "decision=\"allow\"",
            "operation=\"count\""
        ]),
        "{text}"
    );
    assert!(has(&["decision=\"deny\""]), "{text}");
    assert!(
        text.contains("ragwall_request_duration_seconds_bucket"),
        "{text}"
    );
}

#[tokio::test]
async fn signing_keys_rotate_and_retire_through_the_api() {
    let dir = tempfile::tempdir().unwrap();
    let r = start(&dir).await;
    let admin = r.admin(Some(ADMIN_KEY));
    let (_, keys) = admin.call("GET", "/v1/signing-keys", None).await;
    assert_eq!(
        keys,
        json!([{"id": "k1", "state": "active", "current": true}])
    );
    let (status, keys) = admin
        .call(
            "POST",
            "/v1/signing-keys",
            Some(json!({"id": "k2", "activate": true})),
        )
        .await;
    assert_eq!(status, 201, "{keys}");
    assert!(!keys.to_string().contains("secret"));
    let (status, keys) = admin.call("POST", "/v1/signing-keys/k1/retire", None).await;
    assert_eq!(status, 200, "{keys}");
    assert_eq!(
        keys,
        json!([
            {"id": "k1", "state": "retired", "current": false},
            {"id": "k2", "state": "active", "current": true}
        ])
    );
    // The current key cannot be retired; unknown keys are named.
    let (status, body) = admin.call("POST", "/v1/signing-keys/k2/retire", None).await;
    assert_eq!(status, 400, "{body}");
    let (status, body) = admin
        .call("POST", "/v1/signing-keys/zz/activate", None)
        .await;
    assert_eq!(status, 400);
    assert!(body.to_string().contains("zz"));
    // Written to the key file with mode 0600 (and read back at start).
    let ring = ragwall::signing_keys::load(&dir.path().join("signing-keys.json")).unwrap();
    assert_eq!(ring.current(), Some("k2"));
    let (status, body) = admin.call("POST", "/v1/scanner/reload", None).await;
    assert_eq!(status, 200, "{body}");
    assert!(body["scanner"].as_str().unwrap().contains("Scanner"));
    let _: Value = body;
}
