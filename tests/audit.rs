//! The audit trail, end to end: allowed, denied, failed and partly dropped
//! requests each leave one record with the right ids and reasons, queryable
//! over the admin API; `ragwall audit verify` detects an edited, removed or
//! reordered line; no secret or chunk text is written.

mod common;

use std::process::Command;
use std::time::{Duration, Instant};

use common::{create_collection, Ragwall, ADMIN_KEY};
use ragwall::auth::key_hash;
use serde_json::{json, Value};

const ACME: &str = "acme-key-audit-000000000";
const SECRET_TEXT: &str = "the quarterly numbers are confidential";

fn policy() -> String {
    format!(
        r#"
[collections.docs]
tenancy = "payload"
scanner = "off"

[[tenants]]
id = "acme"
grants = {{ docs = ["read", "write"] }}
keys = [{{ id = "acme-rw", hash = "{}", scopes = ["read", "write"] }}]
"#,
        key_hash(ACME)
    )
}

/// The one record of `request_id`, once the writer has written it.
async fn record(r: &Ragwall, request_id: &str) -> Value {
    let admin = r.admin(Some(ADMIN_KEY));
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let (status, records) = admin
            .call("GET", &format!("/v1/audit?request_id={request_id}"), None)
            .await;
        assert_eq!(status, 200, "{records}");
        if let Some(found) = records.as_array().unwrap().first() {
            assert_eq!(records.as_array().unwrap().len(), 1, "{records}");
            return found.clone();
        }
        assert!(Instant::now() < deadline, "no record for {request_id}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// ragwall under the policy above, with its `docs` collection, over `dir`;
/// also the data directory (the trail is in its `audit/`).
async fn start(dir: &std::path::Path) -> (Ragwall, std::path::PathBuf) {
    let config = dir.join("ragwall.toml");
    std::fs::write(&config, policy()).unwrap();
    let data = dir.join("data");
    let r = Ragwall::start_with(&data, Some(&config)).await;
    create_collection(&r, "docs").await;
    (r, data)
}

fn verify(paths: &[&std::path::Path]) -> (bool, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_ragwall"))
        .arg("audit")
        .arg("verify")
        .args(paths)
        .output()
        .unwrap();
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).to_string() + &String::from_utf8_lossy(&out.stderr),
    )
}

#[tokio::test]
async fn every_request_leaves_one_chained_record() {
    let dir = tempfile::tempdir().unwrap();
    let (mut r, data) = start(dir.path()).await;
    let acme = r.as_key(Some(ACME));

    // A signed chunk written by the tenant, and one planted with the
    // admin's raw access (unsigned: dropped on read as `missing`).
    let (status, body) = acme
        .call(
            "PUT",
            "/collections/docs/points?wait=true",
            Some(json!({"points": [{"id": 1, "vector": [1.0, 0.0, 0.0, 0.0], "payload": {"text": SECRET_TEXT}}]})),
        )
        .await;
    assert_eq!(status, 200, "{body}");
    let (status, body) = r
        .call(
            "PUT",
            "/collections/docs/points?wait=true",
            Some(json!({"points": [{"id": 2, "vector": [1.0, 0.0, 0.0, 0.0], "payload": {"text": "planted", "tenant_id": "acme"}}]})),
        )
        .await;
    assert_eq!(status, 200, "{body}");

    // Partly dropped: the client's request id is used and echoed.
    let (status, headers, body) = acme
        .send_with(
            "POST",
            "/collections/docs/points/query",
            Some(json!({"query": [1.0, 0.0, 0.0, 0.0], "limit": 10, "with_payload": true})),
            &[("x-request-id", "req-partly-dropped")],
        )
        .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(headers["x-request-id"], "req-partly-dropped");
    let rec = record(&r, "req-partly-dropped").await;
    assert_eq!(rec["decision"], "allow");
    assert_eq!(rec["tenant"], "acme");
    assert_eq!(rec["credential"], "acme-rw");
    assert_eq!(rec["operation"], "query");
    assert_eq!(
        rec["endpoint"],
        "POST /collections/{collection}/points/query"
    );
    assert_eq!(rec["collections"], json!(["docs"]));
    assert_eq!(rec["returned"], json!([1]));
    assert_eq!(
        rec["dropped"],
        json!([{"collection": "docs", "id": 2, "reason": "missing"}])
    );
    assert!(rec["latency_us"].as_u64().is_some());

    // Denied by policy: an ungranted collection (answered as missing).
    let (status, headers, _) = acme
        .send_with(
            "POST",
            "/collections/secret/points/scroll",
            Some(json!({})),
            &[(
                "traceparent",
                "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01",
            )],
        )
        .await;
    assert_eq!(status, 404);
    let id = "0af7651916cd43dd8448eb211c80319c";
    assert_eq!(headers["x-request-id"], id);
    let rec = record(&r, id).await;
    assert_eq!(rec["decision"], "deny");
    assert_eq!(rec["status"], 404);
    assert_eq!(rec["collections"], json!(["secret"]));
    assert!(rec["reason"].as_str().unwrap().contains("secret"));

    // Unauthenticated, and a body that does not parse: each recorded with
    // a generated id.
    let (status, headers, _) = r
        .as_key(Some("not-a-key"))
        .send("POST", "/collections/docs/points/scroll", Some(json!({})))
        .await;
    assert_eq!(status, 401);
    let rec = record(&r, headers["x-request-id"].to_str().unwrap()).await;
    assert_eq!(
        (rec["decision"].as_str(), rec["status"].as_u64()),
        (Some("deny"), Some(401))
    );
    let (status, headers, _) = acme
        .send(
            "POST",
            "/collections/docs/points/scroll",
            Some(json!({"limit": "many"})),
        )
        .await;
    assert_eq!(status, 400);
    let rec = record(&r, headers["x-request-id"].to_str().unwrap()).await;
    assert_eq!(rec["decision"], "error");
    assert_eq!(rec["tenant"], "acme");
    assert!(rec["reason"].as_str().unwrap().contains("limit"), "{rec}");

    // Filters: by tenant and decision, newest first.
    let (_, denied) = r
        .admin(Some(ADMIN_KEY))
        .call("GET", "/v1/audit?tenant=acme&decision=deny", None)
        .await;
    assert!(denied
        .as_array()
        .unwrap()
        .iter()
        .all(|x| x["decision"] == "deny" && x["tenant"] == "acme"));
    let (status, body) = r
        .admin(Some(ADMIN_KEY))
        .call("GET", "/v1/audit?decision=maybe", None)
        .await;
    assert_eq!(status, 400, "{body}");

    // The trail verifies; it holds neither credentials nor chunk text.
    r.stop();
    let audit_dir = data.join("audit");
    let (ok, out) = verify(&[&audit_dir]);
    assert!(ok, "{out}");
    assert!(out.contains("from the first record"), "{out}");
    let file = audit_dir.join("audit.jsonl");
    let original = std::fs::read_to_string(&file).unwrap();
    for secret in [ACME, ADMIN_KEY, SECRET_TEXT, "planted"] {
        assert!(!original.contains(secret), "the trail contains {secret}");
    }

    // Tampering with any one line is detected.
    let lines: Vec<String> = original.lines().map(str::to_owned).collect();
    assert!(lines.len() >= 6, "{}", lines.len());
    let mut attempts: Vec<(&str, Vec<String>)> = Vec::new();
    let mut edited = lines.clone();
    edited[2] = edited[2].replace("\"decision\":\"allow\"", "\"decision\":\"deny\"");
    if edited[2] == lines[2] {
        edited[2] = edited[2].replace("\"status\":", "\"status\":1");
    }
    attempts.push(("edited", edited));
    let mut removed = lines.clone();
    removed.remove(3);
    attempts.push(("removed", removed));
    let mut reordered = lines.clone();
    reordered.swap(1, 4);
    attempts.push(("reordered", reordered));
    for (what, tampered) in attempts {
        std::fs::write(&file, tampered.join("\n") + "\n").unwrap();
        let (ok, out) = verify(&[&file]);
        assert!(!ok, "{what} line not detected: {out}");
        assert!(out.contains("broken"), "{out}");
    }
    std::fs::write(&file, &original).unwrap();
    assert!(verify(&[&file]).0);

    // After a restart the chain continues from the last record.
    r.restart().await;
    let (status, headers, _) = acme
        .send("POST", "/collections/docs/points/count", Some(json!({})))
        .await;
    assert_eq!(status, 200);
    record(&r, headers["x-request-id"].to_str().unwrap()).await;
    let (ok, out) = verify(&[&audit_dir]);
    assert!(ok, "{out}");
}

/// A clean shutdown (SIGTERM) writes the records of the last requests
/// before the process exits: every request that was answered has its
/// record, none is left in the writer's queue.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_clean_shutdown_loses_no_record() {
    let dir = tempfile::tempdir().unwrap();
    let (mut r, data) = start(dir.path()).await;
    // Clients keep sending until the server goes away.
    let clients: Vec<_> = (0..8)
        .map(|c| {
            let acme = r.as_key(Some(ACME));
            tokio::spawn(async move {
                let mut answered = Vec::new();
                for i in 0.. {
                    let id = format!("c{c}-{i}");
                    let sent = acme
                        .request("POST", "/collections/docs/points/count")
                        .header("x-request-id", &id)
                        .json(&json!({}))
                        .send()
                        .await;
                    match sent {
                        Ok(response) if response.status() == 200 => answered.push(id),
                        _ => return answered,
                    }
                }
                answered
            })
        })
        .collect();
    tokio::time::sleep(Duration::from_millis(500)).await;
    tokio::task::block_in_place(|| r.stop());
    let mut answered = Vec::new();
    for client in clients {
        answered.extend(client.await.unwrap());
    }
    assert!(answered.len() > 8, "{} requests answered", answered.len());
    let trail = std::fs::read_to_string(data.join("audit").join("audit.jsonl")).unwrap();
    let written: std::collections::HashSet<String> = trail
        .lines()
        .map(|l| {
            serde_json::from_str::<Value>(l).unwrap()["request_id"]
                .as_str()
                .unwrap_or_default()
                .to_owned()
        })
        .collect();
    let lost: Vec<_> = answered
        .iter()
        .filter(|id| !written.contains(*id))
        .collect();
    assert!(
        lost.is_empty(),
        "{} of {} answered requests have no record: {lost:?}",
        lost.len(),
        answered.len()
    );
}
