//! The response side of policy: defence in depth after the rewrite.
//!
//! Even though every read was rewritten to the tenant's points, each point
//! that comes back is checked again: its tenant field must be the caller's
//! tenant, or the point is dropped. Then the tenant field (fetched for this
//! check) is removed again if the caller did not ask for it.

use std::collections::BTreeSet;

use serde_json::Value;

use crate::model::Payload;
use crate::pipeline::Outcome;

/// What to remove from a checked payload before it is returned.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Strip {
    /// The caller asked for the tenant field: return as is.
    Keep,
    /// Remove the tenant field, keep the rest.
    Field,
    /// The caller asked for no payload at all.
    Payload,
}

/// The check applied to every returned point of one request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PayloadCheck {
    pub field: String,
    pub tenant: String,
    pub strip: Strip,
}

impl PayloadCheck {
    /// Whether the point belongs to the tenant; strips what was not asked for.
    fn admit(&self, payload: &mut Option<Payload>) -> bool {
        let owned = payload
            .as_ref()
            .and_then(|p| p.0.get(&self.field))
            .is_some_and(|v| matches!(v, Value::String(t) if *t == self.tenant));
        match self.strip {
            Strip::Keep => {}
            Strip::Field => {
                if let Some(p) = payload.as_mut() {
                    p.0.remove(&self.field);
                }
            }
            Strip::Payload => *payload = None,
        }
        owned
    }
}

/// What to do to an operation's outcome before it is returned.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Guard {
    None,
    /// Show only these collections in a listing.
    Collections(BTreeSet<String>),
    /// Hide counts taken over every tenant's points.
    RedactCounts,
    /// The collection is not visible: answer "does not exist" without asking.
    Absent,
    /// Check every returned point.
    Points(PayloadCheck),
    /// Grouped results: a check for the hits and one for `with_lookup` points.
    Groups {
        hits: Option<PayloadCheck>,
        lookup: Option<PayloadCheck>,
    },
    /// One check per request of a batch (`None`: nothing to check).
    Batch(Vec<Option<PayloadCheck>>),
}

impl Guard {
    pub fn points(check: Option<PayloadCheck>) -> Guard {
        check.map(Guard::Points).unwrap_or(Guard::None)
    }

    /// Applies the guard; returns how many points were dropped.
    pub fn apply(&self, outcome: &mut Outcome) -> usize {
        let before = returned_points(outcome);
        match (self, &mut *outcome) {
            (Guard::Collections(visible), Outcome::Collections(list)) => {
                list.collections.retain(|c| visible.contains(&c.name));
            }
            (Guard::RedactCounts, Outcome::Info(info)) => {
                info.points_count = None;
                info.indexed_vectors_count = None;
                if let Some(schema) = info.payload_schema.as_object_mut() {
                    for index in schema.values_mut() {
                        index["points"] = Value::from(0);
                    }
                }
            }
            (Guard::Points(check), Outcome::Records(records)) => {
                records.retain_mut(|r| check.admit(&mut r.payload));
            }
            (Guard::Points(check), Outcome::Scroll(scroll)) => {
                scroll.points.retain_mut(|r| check.admit(&mut r.payload));
            }
            (Guard::Groups { hits, lookup }, Outcome::Groups(groups)) => {
                for group in &mut groups.groups {
                    if let Some(check) = hits {
                        group.hits.retain_mut(|p| check.admit(&mut p.payload));
                    }
                    if let (Some(check), Some(record)) = (lookup, &mut group.lookup) {
                        if !check.admit(&mut record.payload) {
                            group.lookup = None;
                        }
                    }
                }
                groups.groups.retain(|g| !g.hits.is_empty());
            }
            (Guard::Batch(checks), Outcome::Queries(responses)) => {
                for (check, response) in checks.iter().zip(responses.iter_mut()) {
                    if let Some(check) = check {
                        response.points.retain_mut(|p| check.admit(&mut p.payload));
                    }
                }
            }
            _ => {}
        }
        before - returned_points(outcome)
    }
}

fn returned_points(outcome: &Outcome) -> usize {
    match outcome {
        Outcome::Records(r) => r.len(),
        Outcome::Scroll(s) => s.points.len(),
        Outcome::Queries(q) => q.iter().map(|r| r.points.len()).sum(),
        Outcome::Groups(g) => g
            .groups
            .iter()
            .map(|g| g.hits.len() + usize::from(g.lookup.is_some()))
            .sum(),
        _ => 0,
    }
}
