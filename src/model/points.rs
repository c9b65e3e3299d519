//! Point writes: upsert, delete, payload set/overwrite/delete/clear.
//!
//! Qdrant resolves ambiguous bodies silently (`batch` wins over `points`, ids
//! win over `filter`); ragwall refuses them instead, so what policy checked is
//! exactly what runs. [`PointsUpdate::validate`] enforces that.

use std::collections::HashMap;

use qdrant_edge::{PointStructPersisted, VectorPersisted, VectorStructPersisted};
use serde::{Deserialize, Serialize};

use super::{Filter, JsonPath, Payload, PointId, ShardKeySelector};
use crate::error::{Error, Result};

/// One point in `{"points": [...]}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PointStruct {
    pub id: PointId,
    #[serde(alias = "vectors")]
    pub vector: VectorStructPersisted,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub payload: Option<Payload>,
}

/// Column-oriented `{"batch": {...}}` upsert.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Batch {
    pub ids: Vec<PointId>,
    pub vectors: BatchVectors,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub payloads: Option<Vec<Option<Payload>>>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum BatchVectors {
    Single(Vec<Vec<f32>>),
    MultiDense(Vec<Vec<Vec<f32>>>),
    Named(HashMap<String, Vec<VectorPersisted>>),
}

/// `PUT /collections/{c}/points` body (`PointInsertOperations`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UpsertPoints {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub points: Option<Vec<PointStruct>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub batch: Option<Batch>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub shard_key: Option<ShardKeySelector>,
    /// Conditional upsert: existing points are only replaced if they match.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub update_filter: Option<Filter>,
    /// `upsert` (default), `insert_only` or `update_only`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub update_mode: Option<qdrant_edge::UpdateMode>,
}

impl UpsertPoints {
    /// The points as a row list, whichever form the caller used.
    pub fn to_rows(&self) -> Result<Vec<PointStructPersisted>> {
        if let Some(points) = &self.points {
            return Ok(points
                .iter()
                .map(|p| PointStructPersisted {
                    id: p.id,
                    vector: p.vector.clone(),
                    payload: p.payload.clone(),
                })
                .collect());
        }
        let Some(batch) = &self.batch else {
            return Err(Error::BadInput(
                "either `points` or `batch` is required".into(),
            ));
        };
        let n = batch.ids.len();
        let column = |len: usize, what: &str| {
            if len == n {
                Ok(())
            } else {
                Err(Error::BadInput(format!(
                    "batch has {n} ids but {len} {what}"
                )))
            }
        };
        let vectors: Vec<VectorStructPersisted> = match &batch.vectors {
            BatchVectors::Single(v) => {
                column(v.len(), "vectors")?;
                v.iter()
                    .cloned()
                    .map(VectorStructPersisted::Single)
                    .collect()
            }
            BatchVectors::MultiDense(v) => {
                column(v.len(), "vectors")?;
                v.iter()
                    .cloned()
                    .map(VectorStructPersisted::MultiDense)
                    .collect()
            }
            BatchVectors::Named(map) => {
                let mut rows = vec![HashMap::new(); n];
                for (name, column_values) in map {
                    column(column_values.len(), "vectors")?;
                    for (row, value) in rows.iter_mut().zip(column_values) {
                        row.insert(name.clone(), value.clone());
                    }
                }
                rows.into_iter().map(VectorStructPersisted::Named).collect()
            }
        };
        let payloads = match &batch.payloads {
            Some(p) => {
                column(p.len(), "payloads")?;
                p.clone()
            }
            None => vec![None; n],
        };
        Ok(batch
            .ids
            .iter()
            .zip(vectors)
            .zip(payloads)
            .map(|((id, vector), payload)| PointStructPersisted {
                id: *id,
                vector,
                payload,
            })
            .collect())
    }
}

/// `{"points": [...]}` or `{"filter": {...}}` (`PointsSelector`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PointsSelector {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub points: Option<Vec<PointId>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub filter: Option<Filter>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub shard_key: Option<ShardKeySelector>,
}

/// `POST|PUT /collections/{c}/points/payload` body (`SetPayload`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SetPayload {
    pub payload: Payload,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub points: Option<Vec<PointId>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub filter: Option<Filter>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub shard_key: Option<ShardKeySelector>,
    /// Nested path to set the payload under (set only, not overwrite).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub key: Option<JsonPath>,
}

/// `POST /collections/{c}/points/payload/delete` body (`DeletePayload`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DeletePayload {
    pub keys: Vec<JsonPath>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub points: Option<Vec<PointId>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub filter: Option<Filter>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub shard_key: Option<ShardKeySelector>,
}

/// Which points a write touches, once validated.
#[derive(Debug, Clone, PartialEq)]
pub enum Selection<'a> {
    Ids(&'a [PointId]),
    Filter(&'a Filter),
}

fn selection<'a>(
    points: &'a Option<Vec<PointId>>,
    filter: &'a Option<Filter>,
) -> Result<Selection<'a>> {
    match (points, filter) {
        (Some(ids), None) => Ok(Selection::Ids(ids)),
        (None, Some(filter)) => Ok(Selection::Filter(filter)),
        (Some(_), Some(_)) => Err(Error::BadInput(
            "give either `points` or `filter`, not both".into(),
        )),
        (None, None) => Err(Error::BadInput(
            "either `points` or `filter` is required".into(),
        )),
    }
}

/// Every point write, protocol-neutral.
#[derive(Debug, Clone, PartialEq)]
pub enum PointsUpdate {
    Upsert(UpsertPoints),
    Delete(PointsSelector),
    SetPayload(SetPayload),
    OverwritePayload(SetPayload),
    DeletePayload(DeletePayload),
    ClearPayload(PointsSelector),
}

impl PointsUpdate {
    /// Rejects ambiguous or incomplete bodies before anything runs.
    pub fn validate(&self) -> Result<()> {
        match self {
            PointsUpdate::Upsert(u) => match (&u.points, &u.batch) {
                (Some(_), None) | (None, Some(_)) => u.to_rows().map(|_| ()),
                (Some(_), Some(_)) => Err(Error::BadInput(
                    "give either `points` or `batch`, not both".into(),
                )),
                (None, None) => Err(Error::BadInput(
                    "either `points` or `batch` is required".into(),
                )),
            },
            PointsUpdate::Delete(s) | PointsUpdate::ClearPayload(s) => {
                selection(&s.points, &s.filter).map(|_| ())
            }
            PointsUpdate::SetPayload(s) => selection(&s.points, &s.filter).map(|_| ()),
            PointsUpdate::OverwritePayload(s) => {
                if s.key.is_some() {
                    return Err(Error::BadInput(
                        "`key` is not allowed when overwriting payload".into(),
                    ));
                }
                selection(&s.points, &s.filter).map(|_| ())
            }
            PointsUpdate::DeletePayload(d) => selection(&d.points, &d.filter).map(|_| ()),
        }
    }

    /// The points this write selects (ids or filter); `None` for upserts.
    pub fn selection(&self) -> Option<Result<Selection<'_>>> {
        match self {
            PointsUpdate::Upsert(_) => None,
            PointsUpdate::Delete(s) | PointsUpdate::ClearPayload(s) => {
                Some(selection(&s.points, &s.filter))
            }
            PointsUpdate::SetPayload(s) | PointsUpdate::OverwritePayload(s) => {
                Some(selection(&s.points, &s.filter))
            }
            PointsUpdate::DeletePayload(d) => Some(selection(&d.points, &d.filter)),
        }
    }

    pub fn shard_key(&self) -> Option<&ShardKeySelector> {
        match self {
            PointsUpdate::Upsert(u) => u.shard_key.as_ref(),
            PointsUpdate::Delete(s) | PointsUpdate::ClearPayload(s) => s.shard_key.as_ref(),
            PointsUpdate::SetPayload(s) | PointsUpdate::OverwritePayload(s) => s.shard_key.as_ref(),
            PointsUpdate::DeletePayload(d) => d.shard_key.as_ref(),
        }
    }
}
