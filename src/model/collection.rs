//! Collection-level shapes: create, describe, list, field indexes.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::Value;

/// Distance functions, spelled as Qdrant spells them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Distance {
    Cosine,
    Euclid,
    Dot,
    Manhattan,
}

/// One dense vector space (`VectorParams`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct VectorParams {
    pub size: u64,
    pub distance: Distance,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hnsw_config: Option<Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub quantization_config: Option<Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub on_disk: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub datatype: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub multivector_config: Option<Value>,
}

/// `vectors` in a create request: one unnamed space, or a map of named ones.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum VectorsConfig {
    Single(Box<VectorParams>),
    Named(BTreeMap<String, VectorParams>),
}

/// One sparse vector space (`SparseVectorParams`).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SparseVectorParams {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub index: Option<Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub modifier: Option<String>,
}

/// `PUT /collections/{name}` body (`CreateCollection`). Fields the embedded
/// engine has no use for (sharding, replication) are accepted and recorded,
/// as a single-node Qdrant would.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CreateCollection {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vectors: Option<VectorsConfig>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub shard_number: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sharding_method: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub replication_factor: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub write_consistency_factor: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub on_disk_payload: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hnsw_config: Option<Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub wal_config: Option<Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub optimizers_config: Option<Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub quantization_config: Option<Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sparse_vectors: Option<BTreeMap<String, SparseVectorParams>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub strict_mode_config: Option<Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub metadata: Option<Value>,
}

/// `PUT /collections/{name}/index` body (`CreateFieldIndex`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CreateFieldIndex {
    pub field_name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub field_schema: Option<Value>,
}

/// `GET /collections` result.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct CollectionsList {
    pub collections: Vec<CollectionDescription>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct CollectionDescription {
    pub name: String,
}

/// `GET /collections/{name}/exists` result.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct CollectionExistence {
    pub exists: bool,
}

/// `GET /collections/{name}` result (`CollectionInfo`). The config part is
/// kept as JSON: it is built by the backend that knows it and only read by
/// policy when redacting.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct CollectionInfo {
    pub status: String,
    pub optimizer_status: Value,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub warnings: Option<Value>,
    #[serde(default)]
    pub indexed_vectors_count: Option<u64>,
    #[serde(default)]
    pub points_count: Option<u64>,
    pub segments_count: u64,
    pub config: Value,
    pub payload_schema: Value,
}
