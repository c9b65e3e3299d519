//! # ragwall — a retrieval firewall for vector databases
//!
//! ragwall sits between RAG applications and Qdrant and makes retrieval a
//! security boundary. Applications point their unchanged Qdrant client at
//! it; ragwall serves Qdrant's REST API, and stores vectors either in its
//! embedded engine (`qdrant-edge`, Qdrant's own engine in-process) or in a
//! remote Qdrant.
//!
//! ## The map
//!
//! ```text
//! main.rs        CLI: `ragwall serve`, `key`, `sign`, `verify`, `audit verify`, …
//! config.rs      Config (TOML, deny_unknown_fields, env overrides)
//! server.rs      listeners (REST, gRPC, admin), graceful shutdown, the admin key
//! api/rest.rs    Qdrant REST adapter: HTTP <-> Operation / Outcome
//! api/grpc/      Qdrant gRPC adapter (qdrant-client's service traits), the
//!                same Operations through the same pipeline
//! admin/         admin API: tenants, grants, keys, tokens, rate limits,
//!                signing keys, scanner reload, audit queries; OpenAPI
//! store.rs       the durable policy store (SQLite) the admin API writes
//! audit.rs       one hash-chained record per request; `audit verify`
//! telemetry.rs   Prometheus metrics
//! auth.rs        credential -> Caller (admin, or tenant Principal)
//! token.rs       short-lived tokens minted from API keys
//! policy/        snapshot of grants and collection policies; authorize and
//!                rewrite (tenant filters, pinned writes); response guard
//! pipeline/      the protocol-neutral pipeline every request runs through;
//!                ingest.rs stamps writes, inspect.rs runs the response phases
//! provenance.rs  canonical encoding, key ring, sign / verify (pure)
//! signing_keys.rs the key ring at rest (key file, env key)
//! private_file.rs secrets written 0600 and atomically
//! offline.rs     `ragwall sign` / `verify` / `scan` / `eval` / `train`
//! scan/          injection scanner: normalize, patterns (Aho-Corasick),
//!                decode (hidden / encoded payloads), model (learned tier)
//! model/         Qdrant's request and response shapes as typed values
//! backend/       Backend trait; embedded/ on qdrant-edge; remote.rs to a
//!                Qdrant over REST, upstream_grpc.rs its gRPC port (hot path)
//! error.rs       errors and THE status mapping
//! ```
//!
//! ## How a request flows
//!
//! ```text
//! HTTP ─▶ api::rest (audit entry opened; parse strictly) ─▶ pipeline::Operation
//!      ─▶ Pipeline::run: auth::authenticate ─▶ rate limit ─▶ policy::authorize (rewrite)
//!         ─▶ ownership checks ─▶ stamp upserts (provenance) ─▶ Backend
//!         ─▶ response phases per point: tenancy, provenance, scan (unless
//!            a verified stamp carries this scanner's clean verdict), projection
//!      ─▶ pipeline::Response (outcome + report) ─▶ api::rest (Qdrant's JSON
//!         envelope, x-ragwall-dropped headers) ─▶ HTTP
//! ```
//!
//! The audit record is written when the request ends, however it ends.
//! Backends never see tenants or keys, and adapters never see policy. The
//! admin API writes the policy store and swaps a new snapshot in; the data
//! plane only reads snapshots.

#![forbid(unsafe_code)]

pub mod admin;
pub mod api;
pub mod audit;
pub mod auth;
pub mod backend;
pub mod config;
pub mod error;
pub mod model;
pub mod offline;
pub mod pipeline;
pub mod policy;
pub mod private_file;
pub mod provenance;
pub mod scan;
pub mod server;
pub mod signing_keys;
pub mod store;
pub mod telemetry;
pub mod token;
