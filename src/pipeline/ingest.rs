//! The write side of provenance: points a tenant upserts through ragwall,
//! and batches sent to `/v1/sign`, are stamped with the ring's signing key.
//! A `_provenance` the client sent is never kept: it is replaced by
//! ragwall's own stamp (or removed when the collection does not sign).

use std::time::{SystemTime, UNIX_EPOCH};

use qdrant_edge::{VectorPersisted, VectorStructPersisted};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::backend::Backend;
use crate::config::{CollectionPolicy, ProvenanceMode, ScanAction, Tenancy};
use crate::error::{Error, Result};
use crate::model::{Payload, PointId};
use crate::policy::Snapshot;
use crate::provenance::{self, KeyRing, Origin, ScanClaim};
use crate::scan::Scanner;

/// `POST /v1/sign` body: points of one collection to stamp.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SignRequest {
    pub collection: String,
    /// Whose points these are: the caller's own tenant for tenant keys;
    /// required when the admin signs.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tenant: Option<String>,
    pub points: Vec<SignPoint>,
}

/// A point to stamp; the vector is needed only when the collection signs
/// vectors (it is returned normalised, exactly as it must be stored).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SignPoint {
    pub id: PointId,
    #[serde(default)]
    pub payload: Option<Payload>,
    #[serde(default, alias = "vectors", skip_serializing_if = "Option::is_none")]
    pub vector: Option<VectorStructPersisted>,
}

/// Stamps points of one collection for one tenant.
pub struct Signer<'a> {
    ring: &'a KeyRing,
    field: &'a str,
    policy: &'a CollectionPolicy,
    collection: &'a str,
    tenant: &'a str,
    signed: Vec<String>,
    /// Names of the vectors in a cosine space (`""`: the unnamed one).
    cosine: Vec<String>,
    /// Scans the content at ingest, to sign the verdict with the chunk.
    scanner: Option<&'a Scanner>,
    now: u64,
}

impl<'a> Signer<'a> {
    /// Prepares to sign in `collection` under the snapshot's policy; asks the
    /// backend for the collection's vector spaces only if vectors are signed.
    pub async fn for_snapshot(
        snapshot: &'a Snapshot,
        backend: &dyn Backend,
        collection: &'a str,
        tenant: &'a str,
    ) -> Result<Signer<'a>> {
        let policy = snapshot.collections.get(collection).ok_or_else(|| {
            Error::NotFound(format!(
                "Collection `{collection}` has no ragwall policy, so nothing is signed for it"
            ))
        })?;
        let cosine = if policy.sign_vectors && policy.provenance != ProvenanceMode::Off {
            cosine_vectors(&backend.collection_info(collection).await?.config)
        } else {
            Vec::new()
        };
        let scanner = (policy.scanner != ScanAction::Off).then_some(&*snapshot.scanner);
        Ok(Signer::new(
            &snapshot.signing,
            &snapshot.provenance_field,
            policy,
            collection,
            tenant,
            cosine,
        )
        .with_scanner(scanner))
    }

    /// A signer from its parts (the offline `ragwall sign` has no backend:
    /// it is told which vectors are cosine).
    pub fn new(
        ring: &'a KeyRing,
        field: &'a str,
        policy: &'a CollectionPolicy,
        collection: &'a str,
        tenant: &'a str,
        cosine: Vec<String>,
    ) -> Signer<'a> {
        Signer {
            ring,
            field,
            policy,
            collection,
            tenant,
            signed: policy.signed_fields().cloned().collect(),
            cosine,
            scanner: None,
            now: SystemTime::now()
                .duration_since(UNIX_EPOCH)
                .map(|d| d.as_secs())
                .unwrap_or_default(),
        }
    }

    /// Also signs `scanner`'s verdict on each chunk's content (stamp
    /// version 2), so reads by the same scanner need not scan it again.
    pub fn with_scanner(mut self, scanner: Option<&'a Scanner>) -> Self {
        self.scanner = scanner;
        self
    }

    /// Replaces the point's provenance with ragwall's stamp (removes it when
    /// the collection's provenance is off). Payload tenancy: the tenant
    /// field is set to the tenant; another value is refused.
    pub fn stamp(&self, point: &mut SignPoint) -> Result<()> {
        self.stamp_parts(point.id, &mut point.payload, point.vector.as_mut())
    }

    /// [`Signer::stamp`] over a point's parts.
    pub fn stamp_parts(
        &self,
        id: PointId,
        payload: &mut Option<Payload>,
        vector: Option<&mut VectorStructPersisted>,
    ) -> Result<()> {
        let field = self.field;
        let payload = &mut payload.get_or_insert_with(|| Payload(Map::new())).0;
        payload.remove(field);
        if self.policy.tenancy == Tenancy::Payload {
            let tenant_field = &self.policy.tenant_field;
            match payload.get(tenant_field) {
                None => {
                    payload.insert(tenant_field.clone(), Value::String(self.tenant.to_owned()));
                }
                Some(Value::String(t)) if t == self.tenant => {}
                Some(_) => {
                    return Err(Error::Forbidden(format!(
                        "`{tenant_field}` is the tenant field: it can only be `{}`",
                        self.tenant
                    )))
                }
            }
        }
        if self.policy.provenance == ProvenanceMode::Off {
            return Ok(());
        }
        let vector = if self.policy.sign_vectors {
            let vector = vector.ok_or_else(|| {
                Error::BadInput(format!(
                    "collection `{}` signs vectors: point {id} needs its `vector`",
                    self.collection
                ))
            })?;
            normalize_cosine(vector, &self.cosine);
            Some(provenance::vector_bytes(vector))
        } else {
            None
        };
        let origin = Origin {
            collection: self.collection,
            tenant: self.tenant,
            id,
        };
        let scan = self.scanner.map(|scanner| {
            let score = content_texts(payload, &self.policy.content_fields)
                .map(|text| scanner.scan(text).score)
                .fold(0f32, f32::max);
            ScanClaim::new(scanner.id(), score)
        });
        let stamp = provenance::sign(
            self.ring,
            origin,
            payload,
            &self.signed,
            self.now,
            vector.as_deref(),
            scan,
        )
        .map_err(Error::Internal)?;
        let stamp = serde_json::to_value(stamp).map_err(|e| Error::Internal(e.to_string()))?;
        payload.insert(field.to_owned(), stamp);
        Ok(())
    }
}

/// The texts of a payload's content fields: each string, and each string
/// in an array (what the scanner reads, at ingest and at read).
pub fn content_texts<'p>(
    payload: &'p Map<String, Value>,
    fields: &'p [String],
) -> impl Iterator<Item = &'p str> {
    fields
        .iter()
        .filter_map(|f| payload.get(f))
        .flat_map(|value| match value {
            Value::String(s) => vec![s.as_str()],
            Value::Array(items) => items.iter().filter_map(Value::as_str).collect(),
            _ => Vec::new(),
        })
}

/// The vector names of a collection whose distance is cosine, read from its
/// `config.params.vectors` (one unnamed space, or a map of named ones).
fn cosine_vectors(config: &Value) -> Vec<String> {
    let vectors = &config["params"]["vectors"];
    let is_cosine = |params: &Value| params["distance"] == "Cosine";
    match vectors.as_object() {
        Some(_) if vectors.get("distance").is_some() => {
            if is_cosine(vectors) {
                vec![String::new()]
            } else {
                Vec::new()
            }
        }
        Some(named) => named
            .iter()
            .filter(|(_, p)| is_cosine(p))
            .map(|(name, _)| name.clone())
            .collect(),
        None => Vec::new(),
    }
}

/// Normalises vectors of cosine spaces as the engine will store them, so the
/// signed bytes are the stored bytes.
fn normalize_cosine(vector: &mut VectorStructPersisted, cosine: &[String]) {
    let unnamed = cosine.iter().any(String::is_empty);
    match vector {
        VectorStructPersisted::Single(v) if unnamed => provenance::normalize(v),
        VectorStructPersisted::MultiDense(rows) if unnamed => {
            rows.iter_mut().for_each(|r| provenance::normalize(r))
        }
        VectorStructPersisted::Named(map) => {
            for (name, v) in map.iter_mut() {
                if !cosine.contains(name) {
                    continue;
                }
                match v {
                    VectorPersisted::Dense(d) => provenance::normalize(d),
                    VectorPersisted::MultiDense(rows) => {
                        rows.iter_mut().for_each(|r| provenance::normalize(r))
                    }
                    VectorPersisted::Sparse(_) => {}
                }
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn cosine_spaces_are_found() {
        let single = json!({"params": {"vectors": {"size": 4, "distance": "Cosine"}}});
        assert_eq!(cosine_vectors(&single), vec![String::new()]);
        let named = json!({"params": {"vectors": {
            "a": {"size": 4, "distance": "Cosine"},
            "b": {"size": 4, "distance": "Dot"}
        }}});
        assert_eq!(cosine_vectors(&named), vec!["a".to_string()]);
    }
}
