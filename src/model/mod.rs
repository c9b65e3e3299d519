//! The protocol-neutral request and response model: Qdrant's REST shapes as
//! typed Rust values.
//!
//! Adapters (REST now, gRPC later) parse into these types; policy inspects and
//! rewrites them; backends execute them. Every request struct rejects unknown
//! fields, so nothing a caller sends can travel past the firewall unseen.
//! Leaf types that Qdrant's engine already defines with the exact JSON shape
//! (filters, payload selectors, point ids, order-by) are reused from
//! `qdrant-edge` rather than rewritten: filters are Qdrant's full language.
//!
//! This module owns shapes only; it does no I/O and knows no backend.

pub mod collection;
pub mod output;
pub mod points;
pub mod query;
pub mod strict;

pub use qdrant_edge::{
    Filter, JsonPath, OrderByInterface, Payload, PointId, SearchParams, SparseVector,
    WithPayloadInterface, WithVector,
};

/// Qdrant's `shard_key` selector. Only meaningful with custom sharding, which
/// the embedded engine does not have; kept as raw JSON so a remote backend
/// can forward it once policy has checked it.
pub type ShardKeySelector = serde_json::Value;

/// `?wait=true&ordering=weak` and friends on write endpoints.
#[derive(Debug, Clone, Default, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WriteParams {
    #[serde(default)]
    pub wait: Option<bool>,
    #[serde(default)]
    pub ordering: Option<String>,
    #[serde(default)]
    pub timeout: Option<u64>,
}

/// `?consistency=…&timeout=…` on read endpoints.
#[derive(Debug, Clone, Default, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReadParams {
    #[serde(default)]
    pub consistency: Option<serde_json::Value>,
    #[serde(default)]
    pub timeout: Option<u64>,
}
