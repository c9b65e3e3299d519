//! Shared helpers for integration tests: a real `ragwall serve` process on
//! loopback, on the real embedded engine, and a small JSON client for it.

#![allow(dead_code)]

pub mod instrumented;

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;

/// The admin key every test server is started with.
pub const ADMIN_KEY: &str = "test-admin-key-0123456789";

pub struct Ragwall {
    pub url: String,
    pub data_dir: PathBuf,
    /// The credential `call` and `raw` present (the admin key by default).
    pub key: Option<String>,
    /// The admin API's base URL.
    pub admin_url: String,
    /// The gRPC listener's URL.
    pub grpc_url: String,
    config: Option<PathBuf>,
    child: Option<Child>,
    port: u16,
    admin_port: u16,
    grpc_port: u16,
}

/// A port for a test server to listen on. Taken below the kernel's ephemeral
/// range (Linux: 32768–60999), so neither a client's outgoing connection nor
/// another test's `bind(:0)` can take it between this probe and the server's
/// own bind; each process starts at its own offset and walks on from there.
fn free_port() -> u16 {
    use std::sync::atomic::{AtomicU32, Ordering};
    const FIRST: u32 = 20_000;
    const COUNT: u32 = 12_000;
    static NEXT: AtomicU32 = AtomicU32::new(u32::MAX);
    let seed = (std::process::id() * 7919) % COUNT;
    let _ = NEXT.compare_exchange(u32::MAX, seed, Ordering::Relaxed, Ordering::Relaxed);
    loop {
        let port = (FIRST + NEXT.fetch_add(1, Ordering::Relaxed) % COUNT) as u16;
        if TcpListener::bind(("127.0.0.1", port)).is_ok() {
            return port;
        }
    }
}

impl Ragwall {
    /// Starts ragwall on a fresh port over `data_dir` and waits until ready.
    pub async fn start(data_dir: &Path) -> Self {
        Self::start_with(data_dir, None).await
    }

    /// Starts ragwall with a configuration file as well.
    pub async fn start_with(data_dir: &Path, config: Option<&Path>) -> Self {
        let (port, admin_port, grpc_port) = (free_port(), free_port(), free_port());
        let mut r = Ragwall {
            url: format!("http://127.0.0.1:{port}"),
            admin_url: format!("http://127.0.0.1:{admin_port}"),
            grpc_url: format!("http://127.0.0.1:{grpc_port}"),
            data_dir: data_dir.to_owned(),
            key: Some(ADMIN_KEY.to_owned()),
            config: config.map(Path::to_owned),
            child: None,
            port,
            admin_port,
            grpc_port,
        };
        r.spawn().await;
        r
    }

    /// Starts ragwall without waiting for `/readyz` (its backend may be down);
    /// waits for the listener instead.
    pub async fn start_unready(data_dir: &Path, config: &Path) -> Self {
        let (port, admin_port, grpc_port) = (free_port(), free_port(), free_port());
        let mut r = Ragwall {
            url: format!("http://127.0.0.1:{port}"),
            admin_url: format!("http://127.0.0.1:{admin_port}"),
            grpc_url: format!("http://127.0.0.1:{grpc_port}"),
            data_dir: data_dir.to_owned(),
            key: Some(ADMIN_KEY.to_owned()),
            config: Some(config.to_owned()),
            child: None,
            port,
            admin_port,
            grpc_port,
        };
        r.spawn_with(false).await;
        r
    }

    /// The server's process id (to send it signals).
    pub fn pid(&self) -> u32 {
        self.child.as_ref().map(|c| c.id()).unwrap_or_default()
    }

    /// The admin API, presenting `key`.
    pub fn admin(&self, key: Option<&str>) -> Client {
        Client {
            url: self.admin_url.clone(),
            key: key.map(str::to_owned),
        }
    }

    /// The same server, presenting another credential.
    pub fn as_key(&self, key: Option<&str>) -> Client {
        Client {
            url: self.url.clone(),
            key: key.map(str::to_owned),
        }
    }

    async fn spawn(&mut self) {
        self.spawn_with(true).await
    }

    async fn spawn_with(&mut self, ready: bool) {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_ragwall"));
        cmd.arg("serve");
        if let Some(config) = &self.config {
            cmd.arg("--config").arg(config);
        }
        cmd.env_clear()
            .env("PATH", std::env::var("PATH").unwrap_or_default())
            .env(
                "RAGWALL_SERVER__REST_ADDR",
                format!("127.0.0.1:{}", self.port),
            )
            .env(
                "RAGWALL_SERVER__GRPC_ADDR",
                format!("127.0.0.1:{}", self.grpc_port),
            )
            .env(
                "RAGWALL_SERVER__ADMIN_ADDR",
                format!("127.0.0.1:{}", self.admin_port),
            )
            .env("RAGWALL_DATA_DIR", &self.data_dir)
            .env("RAGWALL_AUTH__ADMIN_KEY", ADMIN_KEY)
            .env("RUST_LOG", "warn")
            .stdout(Stdio::null());
        self.child = Some(cmd.spawn().expect("spawn ragwall"));
        let deadline = Instant::now() + Duration::from_secs(60);
        while Instant::now() < deadline {
            if let Some(status) = self.child.as_mut().unwrap().try_wait().unwrap() {
                panic!("ragwall exited before it was ready: {status}");
            }
            let probe = if ready { "readyz" } else { "healthz" };
            if let Ok(r) = reqwest::get(format!("{}/{probe}", self.url)).await {
                if r.status().is_success() {
                    return;
                }
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        panic!("ragwall did not become ready");
    }

    /// SIGKILL: no shutdown path runs, exactly like a crash.
    pub async fn kill_and_restart(&mut self) {
        let mut child = self.child.take().unwrap();
        child.kill().unwrap();
        child.wait().unwrap();
        self.spawn().await;
    }

    /// SIGTERM, wait for a clean exit, start again.
    pub async fn stop_and_restart(&mut self) {
        self.stop();
        self.spawn().await;
    }

    /// Starts the server again after [`Ragwall::stop`].
    pub async fn restart(&mut self) {
        self.spawn().await;
    }

    /// SIGTERM, and wait for a clean exit.
    pub fn stop(&mut self) {
        let child = self.child.take().unwrap();
        let status = Command::new("kill")
            .args(["-TERM", &child.id().to_string()])
            .status()
            .unwrap();
        assert!(status.success());
        let output = child.wait_with_output().unwrap();
        assert!(
            output.status.success(),
            "ragwall exited with {:?}",
            output.status
        );
    }

    /// Sends `method path` with an optional JSON body; returns status and JSON.
    pub async fn call(&self, method: &str, path: &str, body: Option<Value>) -> (u16, Value) {
        self.as_key(self.key.as_deref())
            .call(method, path, body)
            .await
    }

    /// Sends raw bytes (for malformed bodies).
    pub async fn raw(&self, method: &str, path: &str, body: &'static str) -> (u16, Value) {
        self.as_key(self.key.as_deref())
            .raw(method, path, body)
            .await
    }
}

/// A client of one server holding one credential.
pub struct Client {
    pub url: String,
    pub key: Option<String>,
}

impl Client {
    pub fn request(&self, method: &str, path: &str) -> reqwest::RequestBuilder {
        let method = reqwest::Method::from_bytes(method.as_bytes()).unwrap();
        let req = reqwest::Client::new().request(method, format!("{}{}", self.url, path));
        match &self.key {
            Some(key) => req.header("api-key", key),
            None => req,
        }
    }

    /// Sends `method path` with an optional JSON body; returns status and JSON.
    pub async fn call(&self, method: &str, path: &str, body: Option<Value>) -> (u16, Value) {
        let (status, _, json) = self.send(method, path, body).await;
        (status, json)
    }

    /// As [`Client::call`], with the response headers.
    pub async fn send(
        &self,
        method: &str,
        path: &str,
        body: Option<Value>,
    ) -> (u16, reqwest::header::HeaderMap, Value) {
        self.send_with(method, path, body, &[]).await
    }

    /// As [`Client::send`], with extra request headers.
    pub async fn send_with(
        &self,
        method: &str,
        path: &str,
        body: Option<Value>,
        headers: &[(&str, &str)],
    ) -> (u16, reqwest::header::HeaderMap, Value) {
        let mut req = self.request(method, path);
        for (name, value) in headers {
            req = req.header(*name, *value);
        }
        if let Some(body) = body {
            req = req.json(&body);
        }
        let resp = req.send().await.expect("request");
        let status = resp.status().as_u16();
        let headers = resp.headers().clone();
        let text = resp.text().await.unwrap();
        let json = serde_json::from_str(&text).unwrap_or(Value::String(text));
        (status, headers, json)
    }

    /// Sends raw bytes (for malformed bodies).
    pub async fn raw(&self, method: &str, path: &str, body: &'static str) -> (u16, Value) {
        let resp = self
            .request(method, path)
            .header("content-type", "application/json")
            .body(body)
            .send()
            .await
            .unwrap();
        let status = resp.status().as_u16();
        (status, resp.json().await.unwrap_or(Value::Null))
    }
}

impl Drop for Ragwall {
    fn drop(&mut self) {
        if let Some(mut c) = self.child.take() {
            let _ = c.kill();
            let _ = c.wait();
        }
    }
}

/// Creates collection `name` with one 4-dim cosine vector space.
pub async fn create_collection(r: &Ragwall, name: &str) {
    let (status, body) = r
        .call(
            "PUT",
            &format!("/collections/{name}"),
            Some(serde_json::json!({"vectors": {"size": 4, "distance": "Cosine"}})),
        )
        .await;
    assert_eq!(status, 200, "{body}");
}

/// The exact count of points in `name`.
pub async fn count(r: &Ragwall, name: &str) -> u64 {
    let (status, body) = r
        .call(
            "POST",
            &format!("/collections/{name}/points/count"),
            Some(serde_json::json!({"exact": true})),
        )
        .await;
    assert_eq!(status, 200, "{body}");
    body["result"]["count"].as_u64().unwrap()
}
