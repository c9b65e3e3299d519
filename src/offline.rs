//! Offline commands over JSON lines, for pipelines that do not go through
//! the server: `ragwall sign` stamps points, `ragwall verify` checks them.
//!
//! Both read one point per line, `{"id", "payload", "vector"?}` (the shape
//! `/v1/sign` takes and Qdrant's scroll returns), and use the same key file
//! and collection policies as the server, so what one signs the other
//! verifies.

use std::io::{BufRead, Write};

use serde_json::{json, Value};

use crate::config::{CollectionPolicy, Config, Tenancy};
use crate::error::{Error, Result};
use crate::pipeline::{verify_chunk, SignPoint, Signer};
use crate::provenance::{KeyRing, Origin};

/// What the commands need besides the lines: the policy and the ring.
pub struct Context {
    pub ring: KeyRing,
    pub field: String,
    pub collection: String,
    pub policy: CollectionPolicy,
    /// Forces the tenant; else (payload tenancy) each point's tenant field.
    pub tenant: Option<String>,
}

impl Context {
    /// Loads the ring named by the configuration (never creates one).
    pub fn load(config: &Config, collection: &str, tenant: Option<String>) -> Result<Self> {
        let policy = config.collections.get(collection).cloned().ok_or_else(|| {
            Error::NotFound(format!(
                "collection `{collection}` has no policy in the configuration"
            ))
        })?;
        let ring = crate::signing_keys::ring_for(config, false)
            .map_err(|e| Error::BadInput(e.to_string()))?;
        Ok(Context {
            ring,
            field: config.provenance.field.clone(),
            collection: collection.to_owned(),
            policy,
            tenant,
        })
    }

    fn tenant_of(&self, point: &SignPoint) -> Result<String> {
        if let Some(t) = &self.tenant {
            return Ok(t.clone());
        }
        let from_payload = (self.policy.tenancy == Tenancy::Payload)
            .then_some(point.payload.as_ref())
            .flatten()
            .and_then(|p| p.0.get(&self.policy.tenant_field))
            .and_then(Value::as_str);
        from_payload.map(str::to_owned).ok_or_else(|| {
            Error::BadInput(format!(
                "point {}: no tenant (give --tenant, or set `{}` in its payload)",
                point.id, self.policy.tenant_field
            ))
        })
    }
}

fn parse(line: &str, number: usize) -> Result<SignPoint> {
    serde_json::from_str(line).map_err(|e| Error::BadInput(format!("line {number}: {e}")))
}

fn io(e: std::io::Error) -> Error {
    Error::Internal(e.to_string())
}

/// Stamps every point; `cosine` names the vectors stored normalised (`""`
/// for the unnamed one) when the collection signs vectors. Returns the count.
pub fn sign(
    ctx: &Context,
    cosine: Vec<String>,
    input: impl BufRead,
    mut output: impl Write,
) -> Result<usize> {
    let mut n = 0;
    for (i, line) in input.lines().enumerate() {
        let line = line.map_err(io)?;
        if line.trim().is_empty() {
            continue;
        }
        let mut point = parse(&line, i + 1)?;
        let tenant = ctx.tenant_of(&point)?;
        let signer = Signer::new(
            &ctx.ring,
            &ctx.field,
            &ctx.policy,
            &ctx.collection,
            &tenant,
            cosine.clone(),
        );
        signer
            .stamp(&mut point)
            .map_err(|e| Error::BadInput(format!("line {}: {e}", i + 1)))?;
        serde_json::to_writer(&mut output, &point).map_err(|e| Error::Internal(e.to_string()))?;
        output.write_all(b"\n").map_err(io)?;
        n += 1;
    }
    Ok(n)
}

/// Verifies every point, writing `{"id", "verified", "reason"?}` per line.
/// Returns (verified, failed).
pub fn verify(
    ctx: &Context,
    input: impl BufRead,
    mut output: impl Write,
) -> Result<(usize, usize)> {
    let signed: Vec<String> = ctx.policy.signed_fields().cloned().collect();
    let (mut good, mut bad) = (0, 0);
    for (i, line) in input.lines().enumerate() {
        let line = line.map_err(io)?;
        if line.trim().is_empty() {
            continue;
        }
        let point = parse(&line, i + 1)?;
        let tenant = ctx.tenant_of(&point)?;
        let origin = Origin {
            collection: &ctx.collection,
            tenant: &tenant,
            id: point.id,
        };
        let outcome = verify_chunk(
            &ctx.ring,
            &ctx.field,
            &ctx.policy,
            &signed,
            origin,
            point.payload.as_ref().map(|p| &p.0),
            point.vector.as_ref(),
        );
        let record = match outcome {
            Ok(()) => {
                good += 1;
                json!({"id": point.id, "verified": true})
            }
            Err(reason) => {
                bad += 1;
                json!({"id": point.id, "verified": false, "reason": reason})
            }
        };
        writeln!(output, "{record}").map_err(io)?;
    }
    Ok((good, bad))
}
