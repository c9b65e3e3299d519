//! Grouped queries (`/points/query/groups`) on the embedded engine, which has
//! no grouping of its own.
//!
//! The query runs with a growing limit until `limit` groups of `group_size`
//! hits are filled or the ranking is exhausted; since each run's results are
//! a prefix of the full ranking, the groups are those Qdrant would form.
//! Then the chosen points are fetched with the payload and vectors the
//! caller asked for, and `with_lookup` points are attached.

use std::collections::HashMap;
use std::sync::Arc;

use qdrant_edge::{PointId, WithPayloadInterface, WithVector};
use serde_json::Value;

use super::{convert, engine_error, Collection};
use crate::error::{Error, Result};
use crate::model::output::{GroupsResult, PointGroup, ScoredPoint};
use crate::model::query::{QueryGroupsRequest, WithLookup};

const DEFAULT_GROUP_SIZE: usize = 3;
const DEFAULT_LIMIT: usize = 10;

pub(super) fn lookup_collection(with_lookup: &WithLookup) -> &str {
    match with_lookup {
        WithLookup::Collection(name) => name,
        WithLookup::Full(full) => &full.collection,
    }
}

/// The group keys of one point: string and integer values, arrays flattened.
fn group_keys(payload: Option<&qdrant_edge::Payload>, path: &qdrant_edge::JsonPath) -> Vec<Value> {
    let Some(payload) = payload else {
        return Vec::new();
    };
    let mut keys = Vec::new();
    for value in path.value_get(&payload.0) {
        let items = match value {
            Value::Array(items) => items.iter().collect(),
            other => vec![other],
        };
        for item in items {
            let usable = item.is_string() || item.is_i64() || item.is_u64();
            if usable && !keys.contains(item) {
                keys.push(item.clone());
            }
        }
    }
    keys
}

pub(super) fn query_groups(
    this: &Collection,
    lookups: &HashMap<String, Arc<Collection>>,
    request: QueryGroupsRequest,
) -> Result<GroupsResult> {
    let limit = request.limit.unwrap_or(DEFAULT_LIMIT);
    let group_size = request.group_size.unwrap_or(DEFAULT_GROUP_SIZE);
    if limit == 0 || group_size == 0 {
        return Err(Error::BadInput(
            "limit and group_size must be 1 or more".into(),
        ));
    }
    let group_by = request.group_by.clone();
    let total = this.shard.info().points_count.max(1);
    let mut fetch = (limit * group_size * 2).max(16);

    // Phase 1: rank points, reading only the group field.
    let (groups, hits) = loop {
        let mut query = request.query_request();
        query.limit = Some(fetch);
        query.with_payload = Some(WithPayloadInterface::Fields(vec![group_by.clone()]));
        query.with_vector = Some(WithVector::Bool(false));
        let planned = convert::query(this, lookups, query)?;
        let ranked = this.shard.query(planned).map_err(engine_error)?;
        let exhausted = ranked.len() < fetch || fetch >= total;

        let mut groups: Vec<(Value, Vec<usize>)> = Vec::new();
        for (index, point) in ranked.iter().enumerate() {
            for key in group_keys(point.payload.as_ref(), &group_by) {
                match groups.iter().position(|(k, _)| *k == key) {
                    Some(g) if groups[g].1.len() < group_size => groups[g].1.push(index),
                    Some(_) => {}
                    None if groups.len() < limit => groups.push((key, vec![index])),
                    None => {}
                }
            }
        }
        let full = groups.len() == limit && groups.iter().all(|(_, m)| m.len() == group_size);
        if full || exhausted {
            break (groups, ranked);
        }
        fetch = fetch.saturating_mul(4).min(total.max(fetch + 1));
    };

    // Phase 2: fetch what the caller asked to see of the chosen points.
    let mut wanted: Vec<PointId> = groups
        .iter()
        .flat_map(|(_, members)| members.iter().map(|i| hits[*i].id))
        .collect();
    wanted.sort();
    wanted.dedup();
    let with_payload = request
        .with_payload
        .clone()
        .unwrap_or(WithPayloadInterface::Bool(false));
    let with_vector = request
        .with_vector
        .clone()
        .unwrap_or(WithVector::Bool(false));
    let records: HashMap<PointId, qdrant_edge::Record> = this
        .shard
        .retrieve(&wanted, Some(with_payload), Some(with_vector))
        .map_err(engine_error)?
        .into_iter()
        .map(|r| (r.id, r))
        .collect();

    let lookup = match &request.with_lookup {
        None => None,
        Some(w) => {
            let (payload, vectors) = match w {
                WithLookup::Collection(_) => {
                    (WithPayloadInterface::Bool(true), WithVector::Bool(false))
                }
                WithLookup::Full(f) => (
                    f.with_payload
                        .clone()
                        .unwrap_or(WithPayloadInterface::Bool(true)),
                    f.with_vectors.clone().unwrap_or(WithVector::Bool(false)),
                ),
            };
            let source = lookups
                .get(lookup_collection(w))
                .ok_or_else(|| Error::collection_not_found(lookup_collection(w)))?;
            Some((source, payload, vectors))
        }
    };

    let mut out = Vec::with_capacity(groups.len());
    for (key, members) in groups {
        let hits = members
            .iter()
            .map(|i| {
                let ranked = &hits[*i];
                let record = records.get(&ranked.id);
                ScoredPoint {
                    id: ranked.id,
                    version: ranked.version,
                    score: ranked.score,
                    payload: record.and_then(|r| r.payload.clone()),
                    vector: record
                        .and_then(|r| r.vector.clone())
                        .map(qdrant_edge::VectorStructPersisted::from),
                    shard_key: None,
                    order_value: ranked
                        .order_value
                        .and_then(|v| serde_json::to_value(v).ok()),
                }
            })
            .collect();
        let lookup = match &lookup {
            None => None,
            Some((source, payload, vectors)) => {
                match serde_json::from_value::<PointId>(key.clone()) {
                    Ok(id) => source
                        .shard
                        .retrieve(&[id], Some(payload.clone()), Some(vectors.clone()))
                        .map_err(engine_error)?
                        .into_iter()
                        .next()
                        .map(convert::record),
                    Err(_) => None,
                }
            }
        };
        out.push(PointGroup {
            id: key,
            hits,
            lookup,
        });
    }
    Ok(GroupsResult { groups: out })
}
