//! Translation between ragwall's request model (Qdrant's REST shapes) and
//! qdrant-edge's internal operations, in both directions.
//!
//! The engine works on resolved requests: point ids used as query vectors
//! are replaced by the stored vectors here, exactly as Qdrant's collection
//! layer does, and ids taken from the queried collection itself are excluded
//! from the results.

use std::collections::HashMap;
use std::sync::Arc;

use qdrant_edge::external::ordered_float::OrderedFloat;
use qdrant_edge::external::uuid::Uuid;
use qdrant_edge::{
    self as edge, Condition, ContextPair as EdgePair, ContextQuery, DiscoverQuery, EdgeConfig,
    EdgeSparseVectorParams, EdgeVectorParams, FacetValue, NamedQuery, PointId,
    PointStructPersisted, QueryEnum, RecommendQuery, ScoringQuery, VectorInternal,
    VectorStructInternal, VectorStructPersisted, WithPayloadInterface, WithVector,
};
use serde_json::{json, Value};

use super::{engine_error, Collection};
use crate::error::{Error, Result};
use crate::model::collection::{
    CollectionInfo, CreateCollection, CreateFieldIndex, Distance, VectorParams, VectorsConfig,
};
use crate::model::output::{FacetHit, FacetResponse, Record, ScoredPoint};
use crate::model::points::PointsUpdate;
use crate::model::query::{
    ContextPair, FacetRequest, Fusion, LookupLocation, Prefetch, Query, QueryRequest,
    RecommendStrategy, ScrollRequest, VectorInput,
};
use crate::model::Filter;

/// Qdrant's default `k` for reciprocal rank fusion.
const DEFAULT_RRF_K: usize = 2;
const DEFAULT_LIMIT: usize = 10;

pub(super) fn no_shard_keys() -> Error {
    Error::BadRequest(
        "shard keys need a Qdrant with custom sharding; the embedded engine has none".into(),
    )
}

// ---------------------------------------------------------------- collections

fn edge_distance(d: Distance) -> edge::Distance {
    match d {
        Distance::Cosine => edge::Distance::Cosine,
        Distance::Euclid => edge::Distance::Euclid,
        Distance::Dot => edge::Distance::Dot,
        Distance::Manhattan => edge::Distance::Manhattan,
    }
}

fn from_json<T: serde::de::DeserializeOwned>(field: &str, value: &Value) -> Result<T> {
    serde_json::from_value(value.clone())
        .map_err(|e| Error::BadInput(format!("invalid `{field}`: {e}")))
}

/// `base` with the fields a Qdrant `*Diff` object sets replaced.
fn overlay<T: serde::Serialize + serde::de::DeserializeOwned>(
    field: &str,
    base: &T,
    diff: Option<&Value>,
) -> Result<T> {
    let Some(diff) = diff else {
        return from_json(field, &json!(base));
    };
    let Value::Object(diff) = diff else {
        return Err(Error::BadInput(format!(
            "invalid `{field}`: expected an object"
        )));
    };
    let mut merged = json!(base);
    for (key, value) in diff {
        merged[key.as_str()] = value.clone();
    }
    from_json(field, &merged)
}

fn edge_vector_params(
    name: &str,
    p: &VectorParams,
    hnsw: &edge::HnswIndexConfig,
) -> Result<EdgeVectorParams> {
    if p.size == 0 {
        return Err(Error::BadInput(format!(
            "vector `{name}`: size must be at least 1"
        )));
    }
    Ok(EdgeVectorParams {
        size: p.size as usize,
        distance: edge_distance(p.distance),
        on_disk: p.on_disk,
        multivector_config: p
            .multivector_config
            .as_ref()
            .map(|v| from_json("multivector_config", v))
            .transpose()?,
        datatype: p
            .datatype
            .as_ref()
            .map(|v| from_json("datatype", &Value::String(v.clone())))
            .transpose()?,
        quantization_config: None,
        hnsw_config: p
            .hnsw_config
            .as_ref()
            .map(|diff| overlay("hnsw_config", hnsw, Some(diff)))
            .transpose()?,
    })
}

/// The engine configuration for a create request.
pub(super) fn edge_config(request: &CreateCollection) -> Result<EdgeConfig> {
    let mut config = EdgeConfig {
        on_disk_payload: request.on_disk_payload.unwrap_or(true),
        ..EdgeConfig::default()
    };
    config.hnsw_config = overlay(
        "hnsw_config",
        &config.hnsw_config,
        request.hnsw_config.as_ref(),
    )?;
    // Settings the engine has no use for (`flush_interval_sec`,
    // `memmap_threshold`, `max_optimization_threads`) are ignored, as
    // qdrant-edge documents.
    config.optimizers = overlay(
        "optimizers_config",
        &config.optimizers,
        request.optimizers_config.as_ref(),
    )?;
    let hnsw = config.hnsw_config;
    match &request.vectors {
        None => {}
        Some(VectorsConfig::Single(p)) => {
            config
                .vectors
                .insert(String::new(), edge_vector_params("", p, &hnsw)?);
        }
        Some(VectorsConfig::Named(map)) => {
            for (name, p) in map {
                config
                    .vectors
                    .insert(name.clone(), edge_vector_params(name, p, &hnsw)?);
            }
        }
    }
    for (name, p) in request.sparse_vectors.iter().flatten() {
        let modifier = p
            .modifier
            .as_ref()
            .map(|m| from_json("modifier", &Value::String(m.clone())))
            .transpose()?;
        config.sparse_vectors.insert(
            name.clone(),
            EdgeSparseVectorParams {
                full_scan_threshold: None,
                on_disk: None,
                modifier,
                datatype: None,
            },
        );
    }
    Ok(config)
}

/// `CollectionInfo` as Qdrant 1.18 reports it for a single-node collection:
/// `yellow` while an optimisation is pending or running, `red` if the last
/// one failed.
pub(super) fn collection_info(collection: &Collection) -> CollectionInfo {
    let meta = &collection.meta;
    let info = collection.shard.info();
    let engine = collection.shard.config().clone();
    let (status, optimizer_status) = match collection.optimizer.error() {
        Some(error) => ("red", json!({ "error": error })),
        None if collection.optimizer.busy() => ("yellow", json!("ok")),
        None => ("green", json!("ok")),
    };
    let optimizers = &engine.optimizers;
    let mut params = json!({
        "shard_number": meta.shard_number.unwrap_or(1),
        "replication_factor": meta.replication_factor.unwrap_or(1),
        "write_consistency_factor": meta.write_consistency_factor.unwrap_or(1),
        "on_disk_payload": meta.on_disk_payload.unwrap_or(true),
    });
    if let Some(vectors) = &meta.vectors {
        params["vectors"] = json!(vectors);
    }
    if let Some(sparse) = &meta.sparse_vectors {
        params["sparse_vectors"] = json!(sparse);
    }
    let payload_schema: serde_json::Map<String, Value> = info
        .payload_schema
        .iter()
        .map(|(key, index)| {
            (
                key.to_string(),
                serde_json::to_value(index).unwrap_or(Value::Null),
            )
        })
        .collect();
    let mut info_out = CollectionInfo {
        status: status.into(),
        optimizer_status,
        warnings: Some(json!([])),
        indexed_vectors_count: Some(info.indexed_vectors_count as u64),
        points_count: Some(info.points_count as u64),
        segments_count: info.segments_count as u64,
        config: json!({
            "params": params,
            "hnsw_config": engine.hnsw_config,
            "optimizer_config": {
                "deleted_threshold": optimizers.deleted_threshold.unwrap_or(0.2),
                "vacuum_min_vector_number": optimizers.vacuum_min_vector_number.unwrap_or(1000),
                "default_segment_number": optimizers.default_segment_number.unwrap_or(0),
                "max_segment_size": optimizers.max_segment_size,
                "memmap_threshold": null,
                "indexing_threshold": optimizers.indexing_threshold.unwrap_or(10_000),
                "flush_interval_sec": 5, "max_optimization_threads": null
            },
            "wal_config": {"wal_capacity_mb": 32, "wal_segments_ahead": 0},
            "quantization_config": meta.quantization_config,
            "strict_mode_config": {"enabled": false},
        }),
        payload_schema: Value::Object(payload_schema),
    };
    if let Some(metadata) = &meta.metadata {
        info_out.config["metadata"] = metadata.clone();
    }
    info_out
}

pub(super) fn create_index(request: CreateFieldIndex) -> Result<edge::UpdateOperation> {
    let field_name: edge::JsonPath = from_json("field_name", &Value::String(request.field_name))?;
    let field_schema = request
        .field_schema
        .as_ref()
        .map(|s| from_json("field_schema", s))
        .transpose()?;
    Ok(edge::UpdateOperation::FieldIndexOperation(
        edge::FieldIndexOperations::CreateIndex(edge::CreateIndex {
            field_name,
            field_schema,
        }),
    ))
}

pub(super) fn delete_index(field: &str) -> Result<edge::UpdateOperation> {
    let path: edge::JsonPath = from_json("field_name", &Value::String(field.to_owned()))?;
    Ok(edge::UpdateOperation::FieldIndexOperation(
        edge::FieldIndexOperations::DeleteIndex(path),
    ))
}

// --------------------------------------------------------------------- writes

/// Checks every vector against the collection's spaces before anything is
/// written, so a bad point in a batch changes nothing.
fn check_vectors(config: &EdgeConfig, rows: &[PointStructPersisted]) -> Result<()> {
    let check_dense = |name: &str, dim: usize| -> Result<()> {
        match config.vectors.get(name) {
            Some(p) if p.multivector_config.is_some() => Err(Error::BadInput(format!(
                "vector `{name}` is a multivector: send a list of vectors"
            ))),
            Some(p) if p.size != dim => Err(Error::BadInput(format!(
                "Vector dimension error: expected dim: {}, got {dim}",
                p.size
            ))),
            Some(_) => Ok(()),
            None if config.sparse_vectors.contains_key(name) => Err(Error::BadInput(format!(
                "vector `{name}` is sparse: send indices and values"
            ))),
            None => Err(Error::BadInput(format!(
                "Not existing vector name error: {name}"
            ))),
        }
    };
    let check_multi = |name: &str, rows: &[Vec<f32>]| -> Result<()> {
        match config.vectors.get(name) {
            Some(p) if p.multivector_config.is_none() => Err(Error::BadInput(format!(
                "vector `{name}` is not a multivector"
            ))),
            Some(p) => match rows.iter().find(|r| r.len() != p.size) {
                Some(r) => Err(Error::BadInput(format!(
                    "Vector dimension error: expected dim: {}, got {}",
                    p.size,
                    r.len()
                ))),
                None if rows.is_empty() => {
                    Err(Error::BadInput("multivector must not be empty".into()))
                }
                None => Ok(()),
            },
            None => Err(Error::BadInput(format!(
                "Not existing vector name error: {name}"
            ))),
        }
    };
    for row in rows {
        match &row.vector {
            VectorStructPersisted::Single(v) => check_dense("", v.len())?,
            VectorStructPersisted::MultiDense(v) => check_multi("", v)?,
            VectorStructPersisted::Named(map) => {
                for (name, v) in map {
                    match v {
                        edge::VectorPersisted::Dense(v) => check_dense(name, v.len())?,
                        edge::VectorPersisted::MultiDense(v) => check_multi(name, v)?,
                        edge::VectorPersisted::Sparse(s) => {
                            if !config.sparse_vectors.contains_key(name) {
                                return Err(Error::BadInput(format!(
                                    "Not existing vector name error: {name}"
                                )));
                            }
                            if s.indices.len() != s.values.len() {
                                return Err(Error::BadInput(
                                    "sparse vector indices and values differ in length".into(),
                                ));
                            }
                        }
                    }
                }
            }
        }
    }
    Ok(())
}

pub(super) fn points_update(
    config: &EdgeConfig,
    update: PointsUpdate,
) -> Result<edge::UpdateOperation> {
    use edge::{PayloadOps, PointOperations, UpdateOperation};
    update.validate()?;
    Ok(match update {
        PointsUpdate::Upsert(upsert) => {
            let rows = upsert.to_rows()?;
            check_vectors(config, &rows)?;
            let points_op = edge::PointInsertOperations::PointsList(rows);
            UpdateOperation::PointOperation(match (upsert.update_filter, upsert.update_mode) {
                (None, None) => PointOperations::UpsertPoints(points_op),
                (condition, update_mode) => {
                    PointOperations::UpsertPointsConditional(edge::ConditionalInsertOperation {
                        points_op,
                        // No filter: every existing point qualifies.
                        condition: condition.unwrap_or_default(),
                        update_mode,
                    })
                }
            })
        }
        PointsUpdate::Delete(s) => UpdateOperation::PointOperation(match (s.points, s.filter) {
            (Some(ids), _) => PointOperations::DeletePoints { ids },
            (None, Some(filter)) => PointOperations::DeletePointsByFilter(filter),
            (None, None) => unreachable_selection()?,
        }),
        PointsUpdate::SetPayload(s) => {
            UpdateOperation::PayloadOperation(PayloadOps::SetPayload(edge::SetPayloadOp {
                payload: s.payload,
                points: s.points,
                filter: s.filter,
                key: s.key,
            }))
        }
        PointsUpdate::OverwritePayload(s) => {
            UpdateOperation::PayloadOperation(PayloadOps::OverwritePayload(edge::SetPayloadOp {
                payload: s.payload,
                points: s.points,
                filter: s.filter,
                key: None,
            }))
        }
        PointsUpdate::DeletePayload(d) => {
            UpdateOperation::PayloadOperation(PayloadOps::DeletePayload(edge::DeletePayloadOp {
                keys: d.keys,
                points: d.points,
                filter: d.filter,
            }))
        }
        PointsUpdate::ClearPayload(s) => {
            UpdateOperation::PayloadOperation(match (s.points, s.filter) {
                (Some(points), _) => PayloadOps::ClearPayload { points },
                (None, Some(filter)) => PayloadOps::ClearPayloadByFilter(filter),
                (None, None) => unreachable_selection()?,
            })
        }
    })
}

/// `validate` has already refused selectors without ids or filter.
fn unreachable_selection<T>() -> Result<T> {
    Err(Error::BadInput(
        "either `points` or `filter` is required".into(),
    ))
}

// ---------------------------------------------------------------------- reads

fn vector_output(v: Option<VectorStructInternal>) -> Option<VectorStructPersisted> {
    v.map(VectorStructPersisted::from)
}

fn order_value(v: Option<edge::OrderValue>) -> Option<Value> {
    v.and_then(|v| serde_json::to_value(v).ok())
}

fn shard_key<T: serde::Serialize>(v: Option<T>) -> Option<Value> {
    v.and_then(|v| serde_json::to_value(v).ok())
}

pub(super) fn record(r: edge::Record) -> Record {
    Record {
        id: r.id,
        payload: r.payload,
        vector: vector_output(r.vector),
        shard_key: shard_key(r.shard_key),
        order_value: order_value(r.order_value),
    }
}

pub(super) fn scored_point(p: edge::ScoredPoint) -> ScoredPoint {
    ScoredPoint {
        id: p.id,
        version: p.version,
        score: p.score,
        payload: p.payload,
        vector: vector_output(p.vector),
        shard_key: shard_key(p.shard_key),
        order_value: order_value(p.order_value),
    }
}

pub(super) fn scroll(r: ScrollRequest) -> Result<edge::ScrollRequest> {
    if r.shard_key.is_some() {
        return Err(no_shard_keys());
    }
    if r.limit == Some(0) {
        return Err(Error::BadInput(
            "limit: value 0 invalid, must be 1 or more".into(),
        ));
    }
    Ok(edge::ScrollRequest {
        offset: r.offset,
        limit: r.limit,
        filter: r.filter,
        with_payload: r.with_payload,
        with_vector: r.with_vector.unwrap_or(WithVector::Bool(false)),
        order_by: r.order_by,
    })
}

pub(super) fn facet(r: FacetRequest) -> Result<edge::FacetRequest> {
    if r.shard_key.is_some() {
        return Err(no_shard_keys());
    }
    if r.limit == Some(0) {
        return Err(Error::BadInput(
            "limit: value 0 invalid, must be 1 or more".into(),
        ));
    }
    Ok(edge::FacetRequest {
        key: r.key,
        limit: r.limit.unwrap_or(DEFAULT_LIMIT),
        filter: r.filter,
        exact: r.exact.unwrap_or(false),
    })
}

pub(super) fn facet_response(r: edge::FacetResponse) -> FacetResponse {
    FacetResponse {
        hits: r
            .hits
            .into_iter()
            .map(|hit| FacetHit {
                value: match hit.value {
                    FacetValue::Keyword(s) => Value::String(s),
                    FacetValue::Int(i) => json!(i),
                    FacetValue::Uuid(u) => Value::String(Uuid::from_u128(u).to_string()),
                    FacetValue::Bool(b) => Value::Bool(b),
                },
                count: hit.count,
            })
            .collect(),
    }
}

/// Every collection a query request reads vectors from.
pub(super) fn lookup_collections(request: &QueryRequest) -> Vec<String> {
    fn walk(prefetches: &[Prefetch], out: &mut Vec<String>) {
        for p in prefetches {
            if let Some(l) = &p.lookup_from {
                out.push(l.collection.clone());
            }
            if let Some(inner) = &p.prefetch {
                walk(&inner.0, out);
            }
        }
    }
    let mut out = Vec::new();
    if let Some(l) = &request.lookup_from {
        out.push(l.collection.clone());
    }
    if let Some(p) = &request.prefetch {
        walk(&p.0, &mut out);
    }
    out
}

/// Resolves ids to vectors for one query (root or prefetch).
struct Resolver<'a> {
    this: &'a Collection,
    lookups: &'a HashMap<String, Arc<Collection>>,
}

impl Resolver<'_> {
    fn source<'b>(&'b self, lookup: Option<&LookupLocation>) -> Result<&'b Collection> {
        match lookup {
            None => Ok(self.this),
            Some(l) => self
                .lookups
                .get(&l.collection)
                .map(|c| c.as_ref())
                .ok_or_else(|| Error::collection_not_found(&l.collection)),
        }
    }

    /// The stored vector `name` of point `id` in `source`.
    fn stored_vector(source: &Collection, id: PointId, name: &str) -> Result<VectorInternal> {
        let records = source
            .shard
            .retrieve(
                &[id],
                Some(WithPayloadInterface::Bool(false)),
                Some(WithVector::Selector(vec![name.to_owned()])),
            )
            .map_err(engine_error)?;
        let missing = || Error::NotFound(format!("No point with id {id} found"));
        let record = records.into_iter().next().ok_or_else(missing)?;
        let vector = match record.vector.ok_or_else(missing)? {
            VectorStructInternal::Single(v) if name.is_empty() => Some(VectorInternal::Dense(v)),
            VectorStructInternal::MultiDense(v) if name.is_empty() => {
                Some(VectorInternal::MultiDense(v))
            }
            VectorStructInternal::Named(mut map) => map.remove(name),
            _ => None,
        };
        vector.ok_or_else(|| Error::BadInput(format!("point {id} has no vector named `{name}`")))
    }

    /// Converts the `query` of a request or prefetch; returns the engine query
    /// and the ids that must not appear in its results.
    fn scoring(
        &self,
        query: Query,
        using: Option<&str>,
        lookup: Option<&LookupLocation>,
        limit: usize,
    ) -> Result<(ScoringQuery, Vec<PointId>)> {
        let source = self.source(lookup)?;
        let search_name = using.unwrap_or("").to_owned();
        let lookup_name = lookup
            .and_then(|l| l.vector.clone())
            .unwrap_or_else(|| search_name.clone());
        let same_collection = std::ptr::eq(source, self.this);
        let mut mentioned = Vec::new();
        let mut vector = |input: VectorInput| -> Result<VectorInternal> {
            match input {
                VectorInput::Dense(v) => Ok(VectorInternal::Dense(v)),
                VectorInput::Sparse(s) => Ok(VectorInternal::Sparse(s)),
                VectorInput::MultiDense(m) => edge::Vector::new_multi(m)
                    .map(|v| v.0)
                    .map_err(|e| Error::BadInput(e.to_string())),
                VectorInput::Id(id) => {
                    if same_collection {
                        mentioned.push(id);
                    }
                    Self::stored_vector(source, id, &lookup_name)
                }
            }
        };
        let named = |query| named_query(query, using);
        let pairs =
            |pairs: Vec<ContextPair>,
             vector: &mut dyn FnMut(VectorInput) -> Result<VectorInternal>| {
                pairs
                    .into_iter()
                    .map(|p| {
                        Ok(EdgePair {
                            positive: vector(p.positive)?,
                            negative: vector(p.negative)?,
                        })
                    })
                    .collect::<Result<Vec<_>>>()
            };
        let scoring = match query {
            Query::Nearest { nearest, mmr: None } => {
                ScoringQuery::Vector(QueryEnum::Nearest(named(vector(nearest)?)))
            }
            Query::Nearest {
                nearest,
                mmr: Some(mmr),
            } => {
                let diversity = mmr.diversity.unwrap_or(0.5);
                if !(0.0..=1.0).contains(&diversity) {
                    return Err(Error::BadInput(
                        "mmr.diversity must be between 0 and 1".into(),
                    ));
                }
                ScoringQuery::Mmr(edge::Mmr {
                    vector: vector(nearest)?,
                    using: search_name.clone(),
                    lambda: OrderedFloat(1.0 - diversity),
                    candidates_limit: mmr.candidates_limit.unwrap_or(limit),
                })
            }
            Query::Recommend(r) => {
                let positive = r
                    .positive
                    .unwrap_or_default()
                    .into_iter()
                    .map(&mut vector)
                    .collect::<Result<Vec<_>>>()?;
                let negative = r
                    .negative
                    .unwrap_or_default()
                    .into_iter()
                    .map(&mut vector)
                    .collect::<Result<Vec<_>>>()?;
                match r.strategy.unwrap_or(RecommendStrategy::AverageVector) {
                    RecommendStrategy::AverageVector => ScoringQuery::Vector(QueryEnum::Nearest(
                        named(average_vector(&positive, &negative)?),
                    )),
                    RecommendStrategy::BestScore | RecommendStrategy::SumScores
                        if positive.is_empty() && negative.is_empty() =>
                    {
                        return Err(Error::BadInput(
                            "No positive or negative examples given".into(),
                        ))
                    }
                    RecommendStrategy::BestScore => {
                        ScoringQuery::Vector(QueryEnum::RecommendBestScore(named_query(
                            RecommendQuery::new(positive, negative),
                            using,
                        )))
                    }
                    RecommendStrategy::SumScores => {
                        ScoringQuery::Vector(QueryEnum::RecommendSumScores(named_query(
                            RecommendQuery::new(positive, negative),
                            using,
                        )))
                    }
                }
            }
            Query::Discover(d) => {
                let target = vector(d.target)?;
                let pairs = pairs(d.context.0, &mut vector)?;
                ScoringQuery::Vector(QueryEnum::Discover(named_query(
                    DiscoverQuery::new(target, pairs),
                    using,
                )))
            }
            Query::Context(c) => {
                let pairs = pairs(c, &mut vector)?;
                ScoringQuery::Vector(QueryEnum::Context(named_query(
                    ContextQuery::new(pairs),
                    using,
                )))
            }
            Query::OrderBy(o) => ScoringQuery::OrderBy(o.into()),
            Query::Fusion(Fusion::Rrf) => ScoringQuery::Fusion(edge::Fusion::Rrf {
                k: DEFAULT_RRF_K,
                weights: None,
            }),
            Query::Fusion(Fusion::Dbsf) => ScoringQuery::Fusion(edge::Fusion::Dbsf),
            Query::Rrf(r) => ScoringQuery::Fusion(edge::Fusion::Rrf {
                k: r.k.unwrap_or(DEFAULT_RRF_K),
                weights: r.weights.map(|w| w.into_iter().map(OrderedFloat).collect()),
            }),
            Query::Sample(_) => ScoringQuery::Sample(edge::Sample::Random),
        };
        Ok((scoring, mentioned))
    }

    fn prefetch(&self, p: Prefetch) -> Result<edge::Prefetch> {
        let limit = p.limit.unwrap_or(DEFAULT_LIMIT);
        let (query, mentioned) = match p.query {
            Some(q) => {
                let (s, m) = self.scoring(q, p.using.as_deref(), p.lookup_from.as_ref(), limit)?;
                (Some(s), m)
            }
            None => (None, Vec::new()),
        };
        Ok(edge::Prefetch {
            prefetches: p
                .prefetch
                .map(|inner| inner.0.into_iter().map(|p| self.prefetch(p)).collect())
                .transpose()?
                .unwrap_or_default(),
            query,
            limit,
            params: p.params,
            filter: exclude_ids(p.filter, &mentioned)?,
            score_threshold: p.score_threshold.map(OrderedFloat),
        })
    }
}

fn named_query<T>(query: T, using: Option<&str>) -> NamedQuery<T> {
    NamedQuery {
        query,
        using: using.map(str::to_owned),
    }
}

/// Qdrant's `average_vector` recommendation: `avg(pos) + (avg(pos) - avg(neg))`.
fn average_vector(
    positive: &[VectorInternal],
    negative: &[VectorInternal],
) -> Result<VectorInternal> {
    fn mean(vectors: &[VectorInternal]) -> Result<Option<Vec<f32>>> {
        let mut sum: Option<Vec<f32>> = None;
        for v in vectors {
            let VectorInternal::Dense(v) = v else {
                return Err(Error::Unsupported(
                    "the average_vector strategy on sparse or multivectors; use best_score".into(),
                ));
            };
            match &mut sum {
                None => sum = Some(v.clone()),
                Some(s) if s.len() == v.len() => s.iter_mut().zip(v).for_each(|(a, b)| *a += b),
                Some(_) => return Err(Error::BadInput("examples differ in dimension".into())),
            }
        }
        let n = vectors.len() as f32;
        Ok(sum.map(|s| s.into_iter().map(|x| x / n).collect()))
    }
    let Some(pos) = mean(positive)? else {
        return Err(Error::BadInput("Positive list is empty".into()));
    };
    Ok(VectorInternal::Dense(match mean(negative)? {
        None => pos,
        Some(neg) if neg.len() == pos.len() => {
            pos.iter().zip(&neg).map(|(p, n)| p + p - n).collect()
        }
        Some(_) => return Err(Error::BadInput("examples differ in dimension".into())),
    }))
}

/// Adds `must_not: has_id(ids)` to a filter, keeping the caller's filter whole.
fn exclude_ids(filter: Option<Filter>, ids: &[PointId]) -> Result<Option<Filter>> {
    if ids.is_empty() {
        return Ok(filter);
    }
    let has_id: Condition = serde_json::from_value(json!({ "has_id": ids }))
        .map_err(|e| Error::internal("building an id filter", e))?;
    let mut out = Filter {
        should: None,
        min_should: None,
        must: None,
        must_not: Some(vec![has_id]),
    };
    if let Some(f) = filter {
        out.must = Some(vec![Condition::Filter(f)]);
    }
    Ok(Some(out))
}

/// A query request resolved against the engine.
pub(super) fn query(
    this: &Collection,
    lookups: &HashMap<String, Arc<Collection>>,
    r: QueryRequest,
) -> Result<edge::QueryRequest> {
    if r.shard_key.is_some()
        || r.lookup_from
            .as_ref()
            .is_some_and(|l| l.shard_key.is_some())
    {
        return Err(no_shard_keys());
    }
    let resolver = Resolver { this, lookups };
    let limit = r.limit.unwrap_or(DEFAULT_LIMIT);
    let offset = r.offset.unwrap_or(0);
    let (query, mentioned) = match r.query {
        Some(q) => {
            let (s, m) = resolver.scoring(
                q,
                r.using.as_deref(),
                r.lookup_from.as_ref(),
                limit + offset,
            )?;
            (Some(s), m)
        }
        None => (None, Vec::new()),
    };
    Ok(edge::QueryRequest {
        prefetches: r
            .prefetch
            .map(|p| p.0.into_iter().map(|p| resolver.prefetch(p)).collect())
            .transpose()?
            .unwrap_or_default(),
        query,
        filter: exclude_ids(r.filter, &mentioned)?,
        score_threshold: r.score_threshold.map(OrderedFloat),
        limit,
        offset,
        params: r.params,
        with_vector: r.with_vector.unwrap_or(WithVector::Bool(false)),
        with_payload: r.with_payload.unwrap_or(WithPayloadInterface::Bool(false)),
    })
}
