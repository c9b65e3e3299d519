//! The end-to-end load harness: the same query workload driven, in one run,
//! against the backend directly and through ragwall, side by side.
//!
//! ```sh
//! cargo bench --bench load                       # defaults below
//! cargo test --bench load                        # a seconds-long smoke run
//! cargo bench --bench load -- --points 20000 --seconds 3 --concurrency 1,16
//! ```
//!
//! Modes:
//! - `embedded`: ragwall on its in-process engine. Direct = the engine
//!   called in-process (no HTTP, no policy); through = a Qdrant client over
//!   loopback to ragwall (tenant key: rewrite, provenance, scanning, audit).
//! - `remote`: an upstream serving the embedded engine (a second ragwall,
//!   admin key, audit off) and ragwall in front of it. Direct = the client
//!   to the upstream; through = the client to ragwall, which forwards (the
//!   hot path over the upstream's gRPC port; `--rest-forwarding`: REST).
//!
//! Every cell runs a closed loop: `concurrency` workers, each sending the
//! next query as soon as the previous one answered, for `--seconds` after a
//! warm-up. Queries cycle through `--queries` deterministic vectors; each
//! point carries ~`--payload-bytes` of distinct text, so the scanner's
//! per-text cache sees the hit rate a real, varied workload gives it.
//! Everything binds to loopback and stops by itself.

mod common;

use common::{vector, TENANT};

use std::sync::Arc;
use std::time::{Duration, Instant};

use clap::Parser;
use ragwall::backend::Backend;
use ragwall::config::{Config, Upstream};
use ragwall::model::query::QueryRequest;
use ragwall::server::Server;
use serde_json::{json, Value};

const ADMIN_KEY: &str = "load-admin-key-00000000";
const TENANT_KEY: &str = "load-tenant-key-0000000";
const UPSTREAM_KEY: &str = "load-upstream-key-00000";
const COLLECTION: &str = "docs";

#[derive(Parser, Debug, Clone)]
#[command(about = "ragwall load harness: direct vs through ragwall")]
struct Args {
    /// Points in the collection.
    #[arg(long, default_value_t = 100_000)]
    points: u64,
    /// Vector dimensions.
    #[arg(long, default_value_t = 384)]
    dim: usize,
    /// Results per query.
    #[arg(long, default_value_t = 10)]
    top_k: usize,
    /// Text per point, bytes (approximately).
    #[arg(long, default_value_t = 1024)]
    payload_bytes: usize,
    /// Distinct query vectors, cycled.
    #[arg(long, default_value_t = 10_000)]
    queries: usize,
    /// Concurrency levels, comma-separated.
    #[arg(long, value_delimiter = ',', default_value = "1,16,64")]
    concurrency: Vec<usize>,
    /// Measured seconds per cell.
    #[arg(long, default_value_t = 5.0)]
    seconds: f64,
    /// Warm-up seconds per cell (not measured).
    #[arg(long, default_value_t = 1.0)]
    warmup: f64,
    /// Modes: embedded, remote.
    #[arg(long, value_delimiter = ',', default_value = "embedded,remote")]
    modes: Vec<String>,
    /// Protocols: rest, grpc.
    #[arg(long, value_delimiter = ',', default_value = "rest,grpc")]
    protocols: Vec<String>,
    /// Provenance + scanning: on, off.
    #[arg(long, value_delimiter = ',', default_value = "on,off")]
    checks: Vec<String>,
    /// Remote mode: forward over REST only (default: the hot path over the
    /// upstream's gRPC port, as `upstream.grpc_url` configures).
    #[arg(long)]
    rest_forwarding: bool,
    /// Passed by `cargo bench`. Without it (`cargo test --all-targets`
    /// runs this binary too) the harness makes a seconds-long smoke run.
    #[arg(long, hide = true)]
    bench: bool,
}

impl Args {
    /// A tiny run over every mode and protocol: proves the harness works.
    fn smoke(self) -> Self {
        Args {
            points: 300,
            queries: 50,
            concurrency: vec![2],
            seconds: 0.3,
            warmup: 0.1,
            ..self
        }
    }
}

/// Distinct, deterministic English-looking text of about `bytes` bytes.
fn text(seed: u64, bytes: usize) -> String {
    const WORDS: &[&str] = &[
        "the",
        "report",
        "shows",
        "quarterly",
        "revenue",
        "growth",
        "in",
        "our",
        "northern",
        "region",
        "and",
        "customer",
        "retention",
        "improved",
        "after",
        "we",
        "changed",
        "pricing",
        "model",
        "for",
        "annual",
        "contracts",
        "with",
        "support",
        "team",
        "measured",
        "latency",
        "of",
        "service",
        "requests",
        "across",
        "three",
        "data",
        "centres",
        "while",
        "engineers",
        "migrated",
        "storage",
        "to",
        "new",
        "hardware",
        "during",
        "maintenance",
        "window",
        "on",
        "sunday",
        "morning",
        "documentation",
        "describes",
        "how",
        "configure",
        "backup",
        "schedule",
        "retention",
        "policy",
        "audit",
        "logs",
        "are",
        "kept",
        "seven",
        "years",
    ];
    let mut x = seed.wrapping_mul(0xD1B5_4A32_D192_ED03) | 1;
    let mut out = String::with_capacity(bytes + 16);
    while out.len() < bytes {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        out.push_str(WORDS[(x % WORDS.len() as u64) as usize]);
        out.push(if x.is_multiple_of(17) { '.' } else { ' ' });
    }
    out
}

fn base_config(dir: &std::path::Path) -> Config {
    let mut config = Config {
        data_dir: dir.to_owned(),
        ..Config::default()
    };
    config.server.rest_addr = "127.0.0.1:0".parse().unwrap();
    config.server.admin_addr = "127.0.0.1:0".parse().unwrap();
    config.server.grpc_addr = "127.0.0.1:0".parse().unwrap();
    config
}

/// A started server's addresses (it runs until the harness exits).
#[derive(Clone)]
struct Running {
    rest: String,
    grpc: String,
    admin: String,
    backend: Arc<dyn Backend>,
    audit: std::path::PathBuf,
}

async fn start(config: Config) -> Running {
    let audit = config.audit.dir_in(&config.data_dir);
    let server = Server::bind(config).await.expect("server starts");
    let running = Running {
        rest: format!("http://{}", server.rest_addr().unwrap()),
        grpc: format!("http://{}", server.grpc_addr().unwrap()),
        admin: format!("http://{}", server.admin_addr().unwrap()),
        backend: server.backend(),
        audit,
    };
    tokio::spawn(server.run(std::future::pending()));
    running
}

/// ragwall as deployed (audit on), one tenant on a payload-shared collection.
fn firewall_config(dir: &std::path::Path, upstream: Option<&Running>, grpc: bool) -> Config {
    let mut config = base_config(dir);
    config.auth.admin_key = Some(ragwall::auth::Secret::new(ADMIN_KEY));
    config.upstream = upstream.map(|u| Upstream {
        url: u.rest.clone(),
        grpc_url: grpc.then(|| u.grpc.clone()),
        api_key: Some(ragwall::auth::Secret::new(UPSTREAM_KEY)),
        timeout_secs: 30,
        connect_timeout_secs: 5,
    });
    common::tenant_policy(&mut config, COLLECTION, TENANT_KEY);
    config
}

async fn send(
    client: &reqwest::Client,
    method: reqwest::Method,
    url: &str,
    key: &str,
    body: Value,
) {
    let r = client
        .request(method, url)
        .header("api-key", key)
        .json(&body)
        .send()
        .await
        .unwrap();
    let status = r.status();
    assert!(
        status.is_success(),
        "{url}: {status} {}",
        r.text().await.unwrap()
    );
}

/// Creates the collection and loads the points as the tenant, through
/// ragwall, so every chunk is stamped at ingest.
async fn load(args: &Args, firewall: &Running) {
    let client = reqwest::Client::new();
    let base = format!("{}/collections/{COLLECTION}", firewall.rest);
    let create = json!({"vectors": {"size": args.dim, "distance": "Cosine"}});
    send(&client, reqwest::Method::PUT, &base, ADMIN_KEY, create).await;
    let index = json!({"field_name": "tenant_id", "field_schema": "keyword"});
    let url = format!("{base}/index?wait=true");
    send(&client, reqwest::Method::PUT, &url, ADMIN_KEY, index).await;
    let started = Instant::now();
    let url = format!("{base}/points?wait=true");
    for start in (0..args.points).step_by(256) {
        let end = (start + 256).min(args.points);
        let points: Vec<Value> = (start..end)
            .map(|i| {
                json!({"id": i, "vector": vector(i, args.dim),
                       "payload": {"text": text(i, args.payload_bytes), "n": i}})
            })
            .collect();
        let body = json!({ "points": points });
        send(&client, reqwest::Method::PUT, &url, TENANT_KEY, body).await;
    }
    eprintln!(
        "loaded {} points in {:.1} s",
        args.points,
        started.elapsed().as_secs_f64()
    );
    // Measure queries against the collection as it settles: indexed, as
    // Qdrant would have it (status green).
    let started = Instant::now();
    loop {
        let r = client
            .get(&base)
            .header("api-key", ADMIN_KEY)
            .send()
            .await
            .unwrap();
        let info: Value = r.json().await.unwrap();
        let status = &info["result"]["status"];
        assert_ne!(status, "red", "{info}");
        if status == "green" {
            eprintln!(
                "indexed {} vectors in {:.1} s",
                info["result"]["indexed_vectors_count"],
                started.elapsed().as_secs_f64()
            );
            break;
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

/// Switches provenance verification and scanning on or off for the collection.
async fn set_checks(firewall: &Running, on: bool) {
    let (provenance, scanner) = if on {
        ("required", "drop")
    } else {
        ("off", "off")
    };
    let body = json!({"tenancy": "payload", "provenance": provenance, "scanner": scanner});
    let url = format!("{}/v1/collections/{COLLECTION}", firewall.admin);
    send(
        &reqwest::Client::new(),
        reqwest::Method::PUT,
        &url,
        ADMIN_KEY,
        body,
    )
    .await;
}

/// How one cell's queries are sent.
#[derive(Clone)]
enum Target {
    InProcess(Arc<dyn Backend>),
    Rest {
        client: reqwest::Client,
        url: String,
        key: &'static str,
    },
    Grpc(Arc<qdrant_client::Qdrant>),
}

impl Target {
    fn rest(base: &str, key: &'static str) -> Self {
        Target::Rest {
            client: reqwest::Client::builder()
                .tcp_nodelay(true)
                .pool_max_idle_per_host(256)
                .build()
                .unwrap(),
            url: format!("{base}/collections/{COLLECTION}/points/query"),
            key,
        }
    }

    fn grpc(url: &str, key: &str) -> Self {
        let client = qdrant_client::Qdrant::from_url(url)
            .api_key(key)
            .skip_compatibility_check()
            .build()
            .unwrap();
        Target::Grpc(Arc::new(client))
    }

    /// Sends one query; returns the number of results.
    async fn query(&self, q: &Query) -> usize {
        match self {
            Target::InProcess(backend) => {
                let r = backend
                    .query_batch(COLLECTION, vec![q.model.clone()])
                    .await
                    .unwrap();
                r[0].points.len()
            }
            Target::Rest { client, url, key } => {
                let r = client
                    .post(url)
                    .header("api-key", *key)
                    .header("content-type", "application/json")
                    .body(q.json.clone())
                    .send()
                    .await
                    .unwrap();
                assert!(r.status().is_success(), "{}", r.status());
                // The load generator counts the points and reads nothing
                // else (as wrk or oha would not): building a JSON tree of
                // ten 1 KiB payloads per request would take the cores the
                // measured side shares with it.
                let body: Answer = serde_json::from_slice(&r.bytes().await.unwrap()).unwrap();
                body.result.points.len()
            }
            Target::Grpc(client) => client.query(q.grpc.clone()).await.unwrap().result.len(),
        }
    }
}

/// A query response, as far as the load generator reads it.
#[derive(serde::Deserialize)]
struct Answer {
    result: AnswerResult,
}

#[derive(serde::Deserialize)]
struct AnswerResult {
    points: Vec<serde::de::IgnoredAny>,
}

/// One query in the three shapes the targets send.
struct Query {
    model: QueryRequest,
    json: Vec<u8>,
    grpc: qdrant_client::qdrant::QueryPoints,
}

/// The workload's queries. `tenant_filter` adds the filter an application
/// sharing a collection between tenants sends itself when it talks to the
/// backend directly; through ragwall it sends none, ragwall adds it.
fn queries(args: &Args, tenant_filter: bool) -> Arc<Vec<Query>> {
    use qdrant_client::qdrant::{Condition, Filter};
    let list = (0..args.queries as u64)
        .map(|i| {
            let v = vector(u64::MAX - i, args.dim);
            let mut body = json!({"query": v, "limit": args.top_k, "with_payload": true});
            let mut grpc = qdrant_client::qdrant::QueryPointsBuilder::new(COLLECTION)
                .query(v)
                .limit(args.top_k as u64)
                .with_payload(true);
            if tenant_filter {
                body["filter"] =
                    json!({"must": [{"key": "tenant_id", "match": {"value": TENANT}}]});
                grpc = grpc.filter(Filter::must([Condition::matches(
                    "tenant_id",
                    TENANT.to_owned(),
                )]));
            }
            Query {
                model: serde_json::from_value(body.clone()).unwrap(),
                json: serde_json::to_vec(&body).unwrap(),
                grpc: grpc.build(),
            }
        })
        .collect();
    Arc::new(list)
}

/// A cell's figures.
struct Figures {
    p50: f64,
    p90: f64,
    p99: f64,
    rps: f64,
    results: f64,
}

/// The audit trail's records, in order.
fn audit_records(dir: &std::path::Path) -> Vec<Value> {
    let Ok(files) = ragwall::audit::files_in(dir) else {
        return Vec::new();
    };
    files
        .iter()
        .flat_map(|f| {
            std::fs::read_to_string(f)
                .unwrap_or_default()
                .lines()
                .map(str::to_owned)
                .collect::<Vec<_>>()
        })
        .filter_map(|l| serde_json::from_str(&l).ok())
        .collect()
}

/// The audit records once the writer has caught up: at least `at_least`
/// of them, and none added for 200 ms (the writer is asynchronous).
async fn settled_records(dir: &std::path::Path, at_least: usize) -> Vec<Value> {
    let deadline = Instant::now() + Duration::from_secs(10);
    let mut records = audit_records(dir);
    loop {
        tokio::time::sleep(Duration::from_millis(200)).await;
        let again = audit_records(dir);
        let stable = again.len() == records.len();
        records = again;
        if (stable && records.len() >= at_least) || Instant::now() > deadline {
            return records;
        }
    }
}

/// The time ragwall itself spent on each request after record `from`
/// (its latency minus the time it waited on the backend), sorted.
fn inside_ragwall(records: &[Value], from: usize) -> Vec<f64> {
    let mut inside: Vec<f64> = records[from.min(records.len())..]
        .iter()
        .filter(|r| r["decision"] == "allow")
        .map(|r| {
            let latency = r["latency_us"].as_f64().unwrap_or(0.0);
            latency - r["backend_us"].as_f64().unwrap_or(0.0)
        })
        .collect();
    inside.sort_by(f64::total_cmp);
    inside
}

fn percentile(sorted: &[f64], q: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    sorted[((sorted.len() - 1) as f64 * q) as usize]
}

/// Runs the closed loop: warm-up, then measurement; latencies in µs. With
/// `audit`, also returns the time spent inside ragwall per request.
async fn drive(
    target: &Target,
    queries: &Arc<Vec<Query>>,
    args: &Args,
    workers: usize,
    audit: Option<&std::path::Path>,
) -> (Figures, Vec<f64>) {
    let run = |seconds: f64, offset: usize| {
        let deadline = Instant::now() + Duration::from_secs_f64(seconds);
        let tasks: Vec<_> = (0..workers)
            .map(|w| {
                let (target, queries) = (target.clone(), queries.clone());
                tokio::spawn(async move {
                    let mut latencies = Vec::new();
                    let mut results = 0usize;
                    let mut k = offset + w * 7919;
                    while Instant::now() < deadline {
                        let q = &queries[k % queries.len()];
                        k += workers;
                        let t = Instant::now();
                        results += target.query(q).await;
                        latencies.push(t.elapsed().as_secs_f64() * 1e6);
                    }
                    (latencies, results)
                })
            })
            .collect();
        async move {
            let started = Instant::now();
            let mut all = Vec::new();
            let mut results = 0;
            for t in tasks {
                let (l, r) = t.await.unwrap();
                all.extend(l);
                results += r;
            }
            (all, results, started.elapsed().as_secs_f64())
        }
    };
    let before = match audit {
        Some(dir) => settled_records(dir, 0).await.len(),
        None => 0,
    };
    let (warm, _, _) = run(args.warmup, 0).await;
    let from = match audit {
        Some(dir) => settled_records(dir, before + warm.len()).await.len(),
        None => 0,
    };
    let (mut latencies, results, elapsed) = run(args.seconds, 104_729).await;
    latencies.sort_by(f64::total_cmp);
    let inside = match audit {
        Some(dir) => inside_ragwall(&settled_records(dir, from + latencies.len()).await, from),
        None => Vec::new(),
    };
    let figures = Figures {
        p50: percentile(&latencies, 0.50),
        p90: percentile(&latencies, 0.90),
        p99: percentile(&latencies, 0.99),
        rps: latencies.len() as f64 / elapsed,
        results: results as f64 / latencies.len() as f64,
    };
    (figures, inside)
}

fn row(mode: &str, protocol: &str, checks: &str, workers: usize, path: &str, f: &Figures) {
    println!(
        "{mode:<9} {protocol:<5} {checks:<7} {workers:>4}  {path:<8} {:>9.0} {:>9.0} {:>9.0} {:>9.0} {:>7.1}",
        f.p50, f.p90, f.p99, f.rps, f.results
    );
}

fn runtime(name: &str) -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .thread_name(name)
        .enable_all()
        .build()
        .unwrap()
}

fn main() {
    let args = Args::parse();
    let args = if args.bench { args } else { args.smoke() };
    // Servers and the load generator share the machine, as they would on
    // one host; each gets its own runtime so neither starves the other's
    // scheduler queue.
    // Declared first so they are dropped last: the engines flush on drop.
    let dirs: Vec<tempfile::TempDir> = (0..3).map(|_| tempfile::tempdir().unwrap()).collect();
    let servers = runtime("ragwall");
    // In remote mode the upstream stands for another machine's Qdrant: its
    // own runtime (and thread names, so a profile tells the two apart).
    let upstreams = runtime("upstream");
    let clients = runtime("client");
    let (direct_queries, queries) = (queries(&args, true), queries(&args, false));
    println!(
        "{} points × {} dims, top-{}, ~{} B text per point, {} distinct queries, {:.0} s per cell",
        args.points, args.dim, args.top_k, args.payload_bytes, args.queries, args.seconds
    );
    println!(
        "{:<9} {:<5} {:<7} {:>4}  {:<8} {:>9} {:>9} {:>9} {:>9} {:>7}",
        "mode", "proto", "checks", "conc", "path", "p50 µs", "p90 µs", "p99 µs", "req/s", "hits"
    );
    for mode in &args.modes {
        let (direct_rest, direct_grpc, firewall) = match mode.as_str() {
            "embedded" => {
                let firewall =
                    servers.block_on(start(firewall_config(dirs[0].path(), None, false)));
                (None, None, firewall)
            }
            "remote" => {
                let mut upstream = base_config(dirs[1].path());
                upstream.auth.admin_key = Some(ragwall::auth::Secret::new(UPSTREAM_KEY));
                upstream.audit.enabled = false;
                let upstream = upstreams.block_on(start(upstream));
                let config =
                    firewall_config(dirs[2].path(), Some(&upstream), !args.rest_forwarding);
                let firewall = servers.block_on(start(config));
                (
                    Some(upstream.rest.clone()),
                    Some(upstream.grpc.clone()),
                    firewall,
                )
            }
            other => panic!("unknown mode {other}"),
        };
        servers.block_on(load(&args, &firewall));
        for protocol in &args.protocols {
            let direct = match (mode.as_str(), protocol.as_str()) {
                ("embedded", _) => Target::InProcess(firewall.backend.clone()),
                (_, "rest") => Target::rest(direct_rest.as_deref().unwrap(), UPSTREAM_KEY),
                (_, "grpc") => clients.block_on(async {
                    Target::grpc(direct_grpc.as_deref().unwrap(), UPSTREAM_KEY)
                }),
                (_, other) => panic!("unknown protocol {other}"),
            };
            let through = match protocol.as_str() {
                "rest" => Target::rest(&firewall.rest, TENANT_KEY),
                _ => clients.block_on(async { Target::grpc(&firewall.grpc, TENANT_KEY) }),
            };
            for checks in &args.checks {
                servers.block_on(set_checks(&firewall, checks == "on"));
                for &workers in &args.concurrency {
                    let (d, _) =
                        clients.block_on(drive(&direct, &direct_queries, &args, workers, None));
                    row(mode, protocol, checks, workers, "direct", &d);
                    let audit = Some(firewall.audit.as_path());
                    let (t, inside) =
                        clients.block_on(drive(&through, &queries, &args, workers, audit));
                    row(mode, protocol, checks, workers, "ragwall", &t);
                    println!(
                        "{:<9} {:<5} {:<7} {:>4}  {:<8} {:>+9.0} {:>+9.0} {:>+9.0} {:>8.2}x",
                        "",
                        "",
                        "",
                        "",
                        "added",
                        t.p50 - d.p50,
                        t.p90 - d.p90,
                        t.p99 - d.p99,
                        t.rps / d.rps
                    );
                    println!(
                        "{:<9} {:<5} {:<7} {:>4}  {:<8} {:>9.0} {:>9.0} {:>9.0}",
                        "",
                        "",
                        "",
                        "",
                        "inside",
                        percentile(&inside, 0.50),
                        percentile(&inside, 0.90),
                        percentile(&inside, 0.99),
                    );
                }
            }
        }
    }
}
