//! # ragwall — a retrieval firewall for vector databases
//!
//! ragwall sits between RAG applications and Qdrant and makes retrieval a
//! security boundary. Applications point their unchanged Qdrant client at
//! it; ragwall serves Qdrant's REST API, and stores vectors either in its
//! embedded engine (`qdrant-edge`, Qdrant's own engine in-process) or, later,
//! in a remote Qdrant.
//!
//! ## The map
//!
//! ```text
//! main.rs        CLI: `ragwall serve`
//! config.rs      Config (TOML, deny_unknown_fields, env overrides)
//! server.rs      listeners, graceful shutdown, the admin key
//! api/rest.rs    Qdrant REST adapter: HTTP <-> Operation / Outcome
//! auth.rs        credential -> Caller (admin, or tenant Principal)
//! token.rs       short-lived tokens minted from API keys
//! policy/        snapshot of grants and collection policies; authorize and
//!                rewrite (tenant filters, pinned writes); response guard
//! pipeline.rs    the protocol-neutral pipeline every request runs through
//! provenance.rs  canonical encoding, key ring, sign / verify (pure)
//! model/         Qdrant's request and response shapes as typed values
//! backend/       Backend trait; embedded/ on qdrant-edge
//! error.rs       errors and THE status mapping
//! ```
//!
//! ## How a request flows
//!
//! ```text
//! HTTP ─▶ api::rest (parse strictly into model) ─▶ pipeline::Operation
//!      ─▶ Pipeline::run: auth::authenticate ─▶ policy::authorize (rewrite)
//!         ─▶ ownership checks ─▶ Backend ─▶ policy::Guard (post-filter)
//!      ─▶ pipeline::Outcome ─▶ api::rest (Qdrant's JSON envelope) ─▶ HTTP
//! ```
//!
//! Provenance, scanning and audit are further phases of `Pipeline::run`;
//! backends never see tenants, and adapters never see policy.

#![forbid(unsafe_code)]

pub mod api;
pub mod auth;
pub mod backend;
pub mod config;
pub mod error;
pub mod model;
pub mod pipeline;
pub mod policy;
pub mod provenance;
pub mod server;
pub mod signing_keys;
pub mod token;
