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
//! server.rs      listeners, graceful shutdown
//! api/rest.rs    Qdrant REST adapter: HTTP <-> Operation / Outcome
//! pipeline.rs    the protocol-neutral pipeline every request runs through
//! model/         Qdrant's request and response shapes as typed values
//! backend/       Backend trait; embedded/ on qdrant-edge
//! error.rs       errors and THE status mapping
//! ```
//!
//! ## How a request flows
//!
//! ```text
//! HTTP ─▶ api::rest (parse strictly into model) ─▶ pipeline::Operation
//!      ─▶ Pipeline::run (validate → execute on Backend)
//!      ─▶ pipeline::Outcome ─▶ api::rest (Qdrant's JSON envelope) ─▶ HTTP
//! ```
//!
//! Policy (authentication, tenant rewriting), provenance, scanning and audit
//! are phases of `Pipeline::run`; backends never see tenants, and adapters
//! never see policy.

#![forbid(unsafe_code)]

pub mod api;
pub mod backend;
pub mod config;
pub mod error;
pub mod model;
pub mod pipeline;
pub mod server;
