//! The response side of policy: what each returned point is checked against.
//!
//! Even though every read was rewritten to the tenant's points, each point
//! that comes back is checked again (defence in depth): its tenant field
//! must be the caller's tenant. The pipeline's response phases (tenancy,
//! provenance, later scanning) visit points through
//! [`Guard::retain_points`], then cut each one back to what the caller asked
//! for with [`PointCheck::project`].

use std::collections::BTreeSet;

use serde_json::Value;

use qdrant_edge::{PayloadSelector, VectorStructPersisted};

use crate::model::output::Record;
use crate::model::{Payload, PointId, WithPayloadInterface, WithVector};
use crate::pipeline::Outcome;

/// The check for every point one read returns, and what the caller asked
/// to see of it. The read was widened to fetch what the firewall checks (the
/// tenant field, signed fields, provenance, vectors when they are signed);
/// [`PointCheck::project`] cuts each admitted point back to the request.
#[derive(Debug, Clone, PartialEq)]
pub struct PointCheck {
    pub collection: String,
    pub tenant: String,
    /// Payload tenancy: the field that must hold `tenant`.
    pub tenant_field: Option<String>,
    /// `Some`: the payload was widened; return only this.
    pub with_payload: Option<WithPayloadInterface>,
    /// `Some`: the vectors were widened; return only this.
    pub with_vector: Option<WithVector>,
}

/// One returned point, as the response phases see it.
pub struct PointView<'a> {
    pub id: PointId,
    pub payload: &'a mut Option<Payload>,
    pub vector: &'a mut Option<VectorStructPersisted>,
}

impl PointCheck {
    /// Whether the point carries the caller's tenant (payload tenancy).
    pub fn owned(&self, payload: &Option<Payload>) -> bool {
        let Some(field) = &self.tenant_field else {
            return true;
        };
        payload
            .as_ref()
            .and_then(|p| p.0.get(field))
            .is_some_and(|v| matches!(v, Value::String(t) if *t == self.tenant))
    }

    /// Cuts the point back to the payload and vectors the caller asked for.
    pub fn project(&self, point: &mut PointView) {
        match &self.with_payload {
            None | Some(WithPayloadInterface::Bool(true)) => {}
            Some(WithPayloadInterface::Bool(false)) => *point.payload = None,
            Some(WithPayloadInterface::Fields(fields)) => {
                let selector = PayloadSelector::new_include(fields.clone());
                *point.payload = point.payload.take().map(|p| selector.process(p));
            }
            Some(WithPayloadInterface::Selector(selector)) => {
                *point.payload = point.payload.take().map(|p| selector.process(p));
            }
        }
        match &self.with_vector {
            None | Some(WithVector::Bool(true)) => {}
            Some(WithVector::Bool(false)) => *point.vector = None,
            Some(WithVector::Selector(names)) => {
                *point.vector = match point.vector.take() {
                    Some(VectorStructPersisted::Named(mut map)) => {
                        map.retain(|name, _| names.contains(name));
                        Some(VectorStructPersisted::Named(map))
                    }
                    unnamed if names.iter().any(String::is_empty) => unnamed,
                    _ => None,
                };
            }
        }
    }
}

/// What to do to an operation's outcome before it is returned.
#[derive(Debug, Clone, PartialEq)]
pub enum Guard {
    None,
    /// Show only these collections in a listing.
    Collections(BTreeSet<String>),
    /// Hide counts taken over every tenant's points.
    RedactCounts,
    /// The collection is not visible: answer "does not exist" without asking.
    Absent,
    /// Check every returned point.
    Points(PointCheck),
    /// Grouped results: a check for the hits and one for `with_lookup` points.
    Groups {
        hits: Option<PointCheck>,
        lookup: Option<PointCheck>,
    },
    /// One check per request of a batch (`None`: nothing to check).
    Batch(Vec<Option<PointCheck>>),
}

impl Guard {
    pub fn points(check: Option<PointCheck>) -> Guard {
        check.map(Guard::Points).unwrap_or(Guard::None)
    }

    /// Shapes listings and collection info; points are left to
    /// [`Guard::retain_points`].
    pub fn apply(&self, outcome: &mut Outcome) {
        match (self, outcome) {
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
            _ => {}
        }
    }

    /// Calls `keep` on every returned point with the check that applies to
    /// it, and removes the points it refuses (a group left without hits goes
    /// too; a refused lookup becomes absent).
    pub fn retain_points(
        &self,
        outcome: &mut Outcome,
        mut keep: impl FnMut(&PointCheck, &mut PointView) -> bool,
    ) {
        match (self, outcome) {
            (Guard::Points(check), Outcome::Records(records)) => {
                records.retain_mut(|r| record(check, r, &mut keep));
            }
            (Guard::Points(check), Outcome::Scroll(scroll)) => {
                scroll.points.retain_mut(|r| record(check, r, &mut keep));
            }
            (Guard::Groups { hits, lookup }, Outcome::Groups(groups)) => {
                for group in &mut groups.groups {
                    if let Some(check) = hits {
                        group.hits.retain_mut(|p| {
                            keep_point(check, p.id, &mut p.payload, &mut p.vector, &mut keep)
                        });
                    }
                    if let (Some(check), Some(found)) = (lookup, &mut group.lookup) {
                        if !record(check, found, &mut keep) {
                            group.lookup = None;
                        }
                    }
                }
                groups.groups.retain(|g| !g.hits.is_empty());
            }
            (Guard::Batch(checks), Outcome::Queries(responses)) => {
                for (check, response) in checks.iter().zip(responses.iter_mut()) {
                    if let Some(check) = check {
                        response.points.retain_mut(|p| {
                            keep_point(check, p.id, &mut p.payload, &mut p.vector, &mut keep)
                        });
                    }
                }
            }
            _ => {}
        }
    }
}

fn record(
    check: &PointCheck,
    r: &mut Record,
    keep: &mut impl FnMut(&PointCheck, &mut PointView) -> bool,
) -> bool {
    keep_point(check, r.id, &mut r.payload, &mut r.vector, keep)
}

fn keep_point(
    check: &PointCheck,
    id: PointId,
    payload: &mut Option<Payload>,
    vector: &mut Option<VectorStructPersisted>,
    keep: &mut impl FnMut(&PointCheck, &mut PointView) -> bool,
) -> bool {
    keep(
        check,
        &mut PointView {
            id,
            payload,
            vector,
        },
    )
}
