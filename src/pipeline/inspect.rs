//! The response phases: every point a tenant read returns is checked —
//! tenancy (defence in depth), provenance, then the injection scan of its
//! content fields — and cut back to what the caller asked for. What was dropped or flagged,
//! and why, goes into a [`Report`] for the response headers and the audit.

use std::collections::BTreeMap;

use qdrant_edge::VectorStructPersisted;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::config::{CollectionPolicy, ProvenanceMode, ScanAction};
use crate::model::PointId;
use crate::pipeline::Outcome;
use crate::policy::{Guard, PointCheck, PointView, Snapshot};
use crate::provenance::{self, KeyRing, Origin, Provenance, Rejection, ScanClaim};
use crate::scan::Verdict;

use super::scan_cache::ScanCache;

/// Why a point was dropped or flagged.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Reason {
    /// Not the caller's tenant (should never happen behind the rewrite).
    Tenant,
    /// Provenance absent or malformed.
    Missing,
    UnknownKey,
    RetiredKey,
    /// Edited, or copied from another collection, tenant or id.
    Mismatch,
    /// Its content scans as prompt injection.
    Injection,
}

impl Reason {
    pub fn as_str(self) -> &'static str {
        match self {
            Reason::Tenant => "tenant",
            Reason::Missing => "missing",
            Reason::UnknownKey => "unknown-key",
            Reason::RetiredKey => "retired-key",
            Reason::Mismatch => "mismatch",
            Reason::Injection => "injection",
        }
    }
}

impl From<Rejection> for Reason {
    fn from(r: Rejection) -> Self {
        match r {
            Rejection::Missing => Reason::Missing,
            Rejection::UnknownKey => Reason::UnknownKey,
            Rejection::RetiredKey => Reason::RetiredKey,
            Rejection::Mismatch => Reason::Mismatch,
        }
    }
}

/// One point the response phases acted on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Finding {
    pub collection: String,
    pub id: PointId,
    pub reason: Reason,
}

/// What the response phases did to one response.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Report {
    /// Removed from the response.
    pub dropped: Vec<Finding>,
    /// Returned, but failed a check in a non-blocking mode.
    pub flagged: Vec<Finding>,
}

impl Report {
    /// `mismatch=2,missing=1`: counts by reason, for a response header.
    pub fn reasons(findings: &[Finding]) -> String {
        let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
        for f in findings {
            *counts.entry(f.reason.as_str()).or_default() += 1;
        }
        counts
            .iter()
            .map(|(r, n)| format!("{r}={n}"))
            .collect::<Vec<_>>()
            .join(",")
    }
}

/// Runs the response phases over `outcome` under `guard`.
pub fn inspect(
    snapshot: &Snapshot,
    scans: &ScanCache,
    guard: &Guard,
    outcome: &mut Outcome,
) -> Report {
    guard.apply(outcome);
    let mut report = Report::default();
    // Signed fields per collection, listed once per response.
    let mut fields: Vec<(String, Vec<String>)> = Vec::new();
    guard.retain_points(outcome, |check, point| {
        let id = point.id;
        let finding = |reason| Finding {
            collection: check.collection.clone(),
            id,
            reason,
        };
        if !check.owned(point.payload) {
            report.dropped.push(finding(Reason::Tenant));
            return false;
        }
        if let Some(policy) = snapshot.collections.get(&check.collection) {
            let mut signed_clean = false;
            if policy.provenance != ProvenanceMode::Off {
                let signed = match fields.iter().position(|(c, _)| *c == check.collection) {
                    Some(i) => &fields[i].1,
                    None => {
                        let list = policy.signed_fields().cloned().collect();
                        fields.push((check.collection.clone(), list));
                        &fields[fields.len() - 1].1
                    }
                };
                match verify(snapshot, policy, signed, check, point) {
                    Ok(claim) => {
                        signed_clean = claim.is_some_and(|c| {
                            c.clean_for(snapshot.scanner.id(), policy.scanner_threshold)
                        })
                    }
                    Err(rejection) => {
                        let f = finding(rejection.into());
                        if policy.provenance == ProvenanceMode::Required {
                            report.dropped.push(f);
                            return false;
                        }
                        report.flagged.push(f);
                    }
                }
            }
            // A verified stamp's verdict by this very scanner stands for a
            // scan: the content is what was scanned at ingest.
            if policy.scanner != ScanAction::Off
                && !signed_clean
                && scan(snapshot, scans, policy, point)
            {
                let f = finding(Reason::Injection);
                match policy.scanner {
                    ScanAction::Drop => {
                        report.dropped.push(f);
                        return false;
                    }
                    ScanAction::Redact | ScanAction::Flag => report.flagged.push(f),
                    ScanAction::Off => {}
                }
            }
        }
        check.project(point);
        true
    });
    report
}

/// Scans the point's content fields; `redact` collections get the matched
/// spans replaced. Whether any field scanned as an injection.
fn scan(
    snapshot: &Snapshot,
    scans: &ScanCache,
    policy: &CollectionPolicy,
    point: &mut PointView,
) -> bool {
    let Some(payload) = point.payload.as_mut() else {
        return false;
    };
    let mut found = false;
    for field in &policy.content_fields {
        let Some(value) = payload.0.get_mut(field) else {
            continue;
        };
        let texts: Vec<&mut String> = match value {
            Value::String(s) => vec![s],
            Value::Array(items) => items
                .iter_mut()
                .filter_map(|v| match v {
                    Value::String(s) => Some(s),
                    _ => None,
                })
                .collect(),
            _ => Vec::new(),
        };
        for text in texts {
            let verdict = scans.verdict(&snapshot.scanner, text);
            if verdict.is_injection(policy.scanner_threshold) {
                found = true;
                if policy.scanner == ScanAction::Redact {
                    *text = redact(text, &verdict);
                }
            }
        }
    }
    found
}

/// The text with every evidence span replaced by `[redacted]`.
fn redact(text: &str, verdict: &Verdict) -> String {
    let mut spans: Vec<(usize, usize)> = verdict.spans.iter().map(|s| (s.start, s.end)).collect();
    spans.sort_unstable();
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    for (start, end) in spans {
        if end <= at {
            continue;
        }
        out.push_str(&text[at..start.max(at)]);
        out.push_str("[redacted]");
        at = end;
    }
    out.push_str(&text[at..]);
    out
}

/// Verifies one returned point as its collection's policy says; its
/// stamp's (now verified) scan claim, if any.
fn verify(
    snapshot: &Snapshot,
    policy: &CollectionPolicy,
    signed: &[String],
    check: &PointCheck,
    point: &PointView,
) -> Result<Option<ScanClaim>, Rejection> {
    let origin = Origin {
        collection: &check.collection,
        tenant: &check.tenant,
        id: point.id,
    };
    let payload = point.payload.as_ref().map(|p| &p.0);
    verify_chunk(
        &snapshot.signing,
        &snapshot.provenance_field,
        policy,
        signed,
        origin,
        payload,
        point.vector.as_ref(),
    )
}

/// Verifies one chunk (payload and, if the collection signs them, vectors)
/// against its provenance field; shared by reads and `ragwall verify`.
/// Returns the stamp's scan claim, which only now can be believed.
pub fn verify_chunk(
    ring: &KeyRing,
    field: &str,
    policy: &CollectionPolicy,
    signed: &[String],
    origin: Origin,
    payload: Option<&Map<String, Value>>,
    vector: Option<&VectorStructPersisted>,
) -> Result<Option<ScanClaim>, Rejection> {
    let empty = Map::new();
    let payload = payload.unwrap_or(&empty);
    let stamp = payload
        .get(field)
        .and_then(|v| Provenance::deserialize(v).ok());
    // A collection that signs vectors verifies them; none returned fails.
    let vector = policy
        .sign_vectors
        .then(|| vector.map(provenance::vector_bytes).unwrap_or_default());
    provenance::verify(
        ring,
        origin,
        payload,
        signed,
        stamp.as_ref(),
        vector.as_deref(),
    )?;
    Ok(stamp.and_then(|s| s.scan))
}
