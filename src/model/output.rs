//! Response shapes: what a read or write returns inside Qdrant's envelope.

use qdrant_edge::VectorStructPersisted;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::{Payload, PointId};

/// A point found by a scored query (`ScoredPoint`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ScoredPoint {
    pub id: PointId,
    pub version: u64,
    pub score: f32,
    #[serde(default)]
    pub payload: Option<Payload>,
    #[serde(default)]
    pub vector: Option<VectorStructPersisted>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub shard_key: Option<Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub order_value: Option<Value>,
}

/// A point read by id or scroll (`Record`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Record {
    pub id: PointId,
    #[serde(default)]
    pub payload: Option<Payload>,
    #[serde(default)]
    pub vector: Option<VectorStructPersisted>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub shard_key: Option<Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub order_value: Option<Value>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct QueryResponse {
    pub points: Vec<ScoredPoint>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ScrollResult {
    pub points: Vec<Record>,
    pub next_page_offset: Option<PointId>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CountResult {
    pub count: usize,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FacetHit {
    pub value: Value,
    pub count: usize,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FacetResponse {
    pub hits: Vec<FacetHit>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PointGroup {
    pub id: Value,
    pub hits: Vec<ScoredPoint>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lookup: Option<Record>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GroupsResult {
    pub groups: Vec<PointGroup>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum UpdateStatus {
    Acknowledged,
    Completed,
}

/// What every write returns (`UpdateResult`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct UpdateResult {
    pub operation_id: Option<u64>,
    pub status: UpdateStatus,
}
