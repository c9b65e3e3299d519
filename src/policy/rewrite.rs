//! The rewrite of one tenant request into what may run.
//!
//! Rules (from `shared/qdrant-surface.md`, section 2):
//! - the tenant condition is ANDed in as `{"must": [T, F]}`, never merged
//!   into the caller's `should`, on every filter: top level, every prefetch,
//!   every batch item, every write selector;
//! - ids become filters (`has_id` inside the tenant condition), never a
//!   selector beside a filter;
//! - ids used as query vectors must belong to the tenant (checked by the
//!   pipeline before the request runs);
//! - writes pin the tenant field to the tenant and cannot remove or change it;
//! - `shard_key` is the firewall's, never the caller's;
//! - reads fetch what the response phases check (tenant field, signed
//!   fields, provenance, signed vectors); the caller gets only what it asked.

use std::collections::BTreeSet;

use qdrant_edge::{Condition, WithPayloadInterface, WithVector};
use serde_json::{json, Map, Value};

use super::guard::{Guard, PointCheck};
use super::{hidden, require, Authorized, OwnershipCheck, Scoped, Snapshot};
use crate::auth::{Principal, Scope};
use crate::config::{ProvenanceMode, ScanAction, Tenancy};
use crate::error::{Error, Result};
use crate::model::points::{PointsSelector, PointsUpdate};
use crate::model::query::{lookups_mut, Prefetch, Query, QueryRequest, WithLookup, WithLookupFull};
use crate::model::{Filter, Payload, PointId, ShardKeySelector};
use crate::pipeline::Operation;

/// `{"must": [{"key": field, "match": {"value": tenant}}]}`.
pub fn tenant_filter(field: &str, tenant: &str) -> Filter {
    let condition: Condition =
        serde_json::from_value(json!({"key": field, "match": {"value": tenant}}))
            .expect("a keyword match condition always parses");
    Filter {
        should: None,
        min_should: None,
        must: Some(vec![condition]),
        must_not: None,
    }
}

fn has_id(ids: &[PointId]) -> Filter {
    let condition: Condition =
        serde_json::from_value(json!({ "has_id": ids })).expect("a has_id condition always parses");
    Filter {
        should: None,
        min_should: None,
        must: Some(vec![condition]),
        must_not: None,
    }
}

/// `{"must": [tenant, user]}`: the caller's filter stays whole inside.
fn wrap(tenant: Option<Filter>, user: Option<Filter>) -> Option<Filter> {
    match (tenant, user) {
        (None, user) => user,
        (Some(t), None) => Some(t),
        (Some(t), Some(u)) => Some(Filter {
            should: None,
            min_should: None,
            must: Some(vec![Condition::Filter(t), Condition::Filter(u)]),
            must_not: None,
        }),
    }
}

/// Exactly the points `ids` among those `tenant` selects.
pub fn ids_within(tenant: Option<Filter>, ids: &[PointId]) -> Filter {
    wrap(tenant, Some(has_id(ids))).unwrap_or_else(|| has_id(ids))
}

/// The tenant's view of one collection, after the grant check.
fn scope<'a>(
    snapshot: &'a Snapshot,
    principal: &'a Principal,
    collection: &str,
    needed: Scope,
) -> Result<Scoped<'a>> {
    require(snapshot, principal, collection, needed)?;
    let policy = snapshot
        .collections
        .get(collection)
        .ok_or_else(|| hidden(collection))?;
    Ok(Scoped {
        tenant: &principal.tenant,
        policy,
        provenance_field: &snapshot.provenance_field,
    })
}

/// The shard key the firewall sets; a caller's own is refused.
fn own_shard_key(
    s: &Scoped,
    requested: &Option<ShardKeySelector>,
) -> Result<Option<ShardKeySelector>> {
    if requested.is_some() {
        return Err(Error::Forbidden(
            "shard_key is chosen by ragwall, not the client".into(),
        ));
    }
    Ok(match s.policy.tenancy {
        Tenancy::ShardKey => Some(Value::String(s.tenant.to_owned())),
        Tenancy::Payload | Tenancy::Collection => None,
    })
}

/// Widens a read to fetch what the firewall checks (the whole payload:
/// tenant field, signed fields, provenance, text to scan; the vectors when
/// they are signed) and returns the check that cuts each point back to what the
/// caller asked for. `None`: nothing to check in this collection.
fn checked_read(
    s: &Scoped,
    collection: &str,
    with_payload: &mut Option<WithPayloadInterface>,
    with_vector: &mut Option<WithVector>,
    default_payload: bool,
) -> Option<PointCheck> {
    let payload_tenancy = s.policy.tenancy == Tenancy::Payload;
    let verify = s.policy.provenance != ProvenanceMode::Off;
    let scan = s.policy.scanner != ScanAction::Off;
    if !payload_tenancy && !verify && !scan {
        return None;
    }
    let requested = with_payload
        .replace(WithPayloadInterface::Bool(true))
        .unwrap_or(WithPayloadInterface::Bool(default_payload));
    let vectors = (verify && s.policy.sign_vectors).then(|| {
        with_vector
            .replace(WithVector::Bool(true))
            .unwrap_or(WithVector::Bool(false))
    });
    Some(PointCheck {
        collection: collection.to_owned(),
        tenant: s.tenant.to_owned(),
        tenant_field: payload_tenancy.then(|| s.policy.tenant_field.clone()),
        with_payload: Some(requested),
        with_vector: vectors,
    })
}

/// Pins the tenant field of a written payload; refuses a different value.
fn pin_payload(payload: &mut Map<String, Value>, field: &str, tenant: &str) -> Result<()> {
    match payload.get(field) {
        None => {
            payload.insert(field.to_owned(), Value::String(tenant.to_owned()));
            Ok(())
        }
        Some(Value::String(t)) if t == tenant => Ok(()),
        Some(_) => Err(Error::Forbidden(format!(
            "`{field}` is the tenant field: it can only be `{tenant}`"
        ))),
    }
}

fn pinned(field: &str, tenant: &str) -> Payload {
    let mut map = Map::new();
    map.insert(field.to_owned(), Value::String(tenant.to_owned()));
    Payload(map)
}

/// `points` or `filter` → one filter within the tenant (payload tenancy).
fn selection_filter(
    s: &Scoped,
    points: &mut Option<Vec<PointId>>,
    filter: &mut Option<Filter>,
) -> Result<()> {
    let Some(tenant) = s.filter() else {
        return Ok(());
    };
    let user = match (points.take(), filter.take()) {
        (Some(ids), None) => has_id(&ids),
        (None, Some(f)) => f,
        _ => return Err(Error::BadInput("give either `points` or `filter`".into())),
    };
    *filter = wrap(Some(tenant), Some(user));
    Ok(())
}

/// Payload writes cannot re-sign points (they carry no whole payload, and a
/// point's stamp covers its id), so they may not touch signed fields or the
/// provenance field; upserts are stamped again by the pipeline.
fn refuse_unsigned_changes(s: &Scoped, collection: &str, update: &PointsUpdate) -> Result<()> {
    let signing = s.policy.provenance != ProvenanceMode::Off;
    let protected = |key: &str| {
        key == s.provenance_field || (signing && s.policy.signed_fields().any(|f| f == key))
    };
    let refuse = |what: &str, key: &str| {
        Err(Error::Forbidden(format!(
            "{what} cannot change `{key}`: it is signed in {collection}; upsert the points so ragwall signs them again"
        )))
    };
    match update {
        PointsUpdate::SetPayload(p) => {
            let key = match &p.key {
                Some(path) => Some(path.first_key.as_str()),
                None => p
                    .payload
                    .0
                    .keys()
                    .map(String::as_str)
                    .find(|k| protected(k)),
            };
            match key {
                Some(k) if protected(k) => refuse("set_payload", k),
                _ => Ok(()),
            }
        }
        PointsUpdate::DeletePayload(d) => match d.keys.iter().find(|k| protected(&k.first_key)) {
            Some(k) => refuse("delete_payload", &k.first_key),
            None => Ok(()),
        },
        PointsUpdate::OverwritePayload(p) => {
            match p.payload.0.keys().find(|k| *k == s.provenance_field) {
                Some(k) => refuse("overwrite_payload", k),
                None if signing => {
                    refuse("overwrite_payload or clear_payload", "the signed fields")
                }
                None => Ok(()),
            }
        }
        PointsUpdate::ClearPayload(_) if signing => refuse("clear_payload", "the signed fields"),
        PointsUpdate::Upsert(_) | PointsUpdate::Delete(_) | PointsUpdate::ClearPayload(_) => Ok(()),
    }
}

fn rewrite_update(s: &Scoped, collection: &str, update: PointsUpdate) -> Result<PointsUpdate> {
    update.validate()?;
    let update = pin_update(s, update)?;
    refuse_unsigned_changes(s, collection, &update)?;
    Ok(update)
}

/// Keeps a write within the tenant: pinned tenant field, tenant filters.
fn pin_update(s: &Scoped, update: PointsUpdate) -> Result<PointsUpdate> {
    let field = s.policy.tenant_field.as_str();
    let payload_tenancy = s.policy.tenancy == Tenancy::Payload;
    let refuse_field = |what: &str| {
        Error::Forbidden(format!(
            "`{field}` is the tenant field: {what} cannot change it"
        ))
    };
    Ok(match update {
        PointsUpdate::Upsert(mut u) => {
            u.shard_key = own_shard_key(s, &u.shard_key)?;
            if payload_tenancy {
                for point in u.points.iter_mut().flatten() {
                    let payload = point.payload.get_or_insert_with(|| Payload(Map::new()));
                    pin_payload(&mut payload.0, field, s.tenant)?;
                }
                if let Some(batch) = &mut u.batch {
                    let n = batch.ids.len();
                    let payloads = batch.payloads.get_or_insert_with(|| vec![None; n]);
                    for payload in payloads.iter_mut() {
                        let payload = payload.get_or_insert_with(|| Payload(Map::new()));
                        pin_payload(&mut payload.0, field, s.tenant)?;
                    }
                }
                // Existing points of other tenants are skipped, not overwritten.
                u.update_filter = wrap(s.filter(), u.update_filter.take());
            }
            PointsUpdate::Upsert(u)
        }
        PointsUpdate::Delete(mut d) => {
            d.shard_key = own_shard_key(s, &d.shard_key)?;
            selection_filter(s, &mut d.points, &mut d.filter)?;
            PointsUpdate::Delete(d)
        }
        PointsUpdate::SetPayload(mut p) => {
            p.shard_key = own_shard_key(s, &p.shard_key)?;
            if payload_tenancy {
                let touches = match &p.key {
                    Some(key) => key.first_key == field,
                    None => p.payload.0.contains_key(field),
                };
                if touches {
                    return Err(refuse_field("set_payload"));
                }
            }
            selection_filter(s, &mut p.points, &mut p.filter)?;
            PointsUpdate::SetPayload(p)
        }
        PointsUpdate::OverwritePayload(mut p) => {
            p.shard_key = own_shard_key(s, &p.shard_key)?;
            if payload_tenancy {
                pin_payload(&mut p.payload.0, field, s.tenant)?;
            }
            selection_filter(s, &mut p.points, &mut p.filter)?;
            PointsUpdate::OverwritePayload(p)
        }
        PointsUpdate::DeletePayload(mut d) => {
            d.shard_key = own_shard_key(s, &d.shard_key)?;
            if payload_tenancy && d.keys.iter().any(|k| k.first_key == field) {
                return Err(refuse_field("delete_payload"));
            }
            selection_filter(s, &mut d.points, &mut d.filter)?;
            PointsUpdate::DeletePayload(d)
        }
        PointsUpdate::ClearPayload(mut c) => {
            c.shard_key = own_shard_key(s, &c.shard_key)?;
            if !payload_tenancy {
                return Ok(PointsUpdate::ClearPayload(c));
            }
            // Clearing would orphan the point; keep its tenant field.
            let PointsSelector {
                mut points,
                mut filter,
                shard_key,
            } = c;
            selection_filter(s, &mut points, &mut filter)?;
            PointsUpdate::OverwritePayload(crate::model::points::SetPayload {
                payload: pinned(field, s.tenant),
                points: None,
                filter,
                shard_key,
                key: None,
            })
        }
    })
}

/// Every `query` of a request and its prefetch tree, with the collection
/// its point ids resolve in (`lookup_from`, if any).
fn queries_with_lookup(request: &QueryRequest) -> Vec<(&Query, Option<&str>)> {
    fn walk<'a>(prefetches: &'a [Prefetch], out: &mut Vec<(&'a Query, Option<&'a str>)>) {
        for p in prefetches {
            if let Some(q) = &p.query {
                out.push((q, p.lookup_from.as_ref().map(|l| l.collection.as_str())));
            }
            if let Some(inner) = &p.prefetch {
                walk(&inner.0, out);
            }
        }
    }
    let mut out = Vec::new();
    if let Some(q) = &request.query {
        out.push((
            q,
            request.lookup_from.as_ref().map(|l| l.collection.as_str()),
        ));
    }
    if let Some(p) = &request.prefetch {
        walk(&p.0, &mut out);
    }
    out
}

/// The ids a query uses as vectors, per collection they resolve in; each
/// must be the caller's.
fn id_checks(
    snapshot: &Snapshot,
    principal: &Principal,
    collection: &str,
    request: &QueryRequest,
) -> Result<Vec<OwnershipCheck>> {
    let mut checks = Vec::new();
    for (query, lookup) in queries_with_lookup(request) {
        let ids = query.point_ids();
        if ids.is_empty() {
            continue;
        }
        let source = lookup.unwrap_or(collection);
        let scoped = scope(snapshot, principal, source, Scope::Read)?;
        checks.push(OwnershipCheck {
            collection: source.to_owned(),
            ids,
            filter: scoped.filter(),
        });
    }
    Ok(checks)
}

/// Wraps every filter of a prefetch tree.
fn wrap_prefetch_filters(s: &Scoped, prefetches: &mut [Prefetch]) {
    for p in prefetches {
        p.filter = wrap(s.filter(), p.filter.take());
        if let Some(inner) = &mut p.prefetch {
            wrap_prefetch_filters(s, &mut inner.0);
        }
    }
}

/// A `with_lookup` as it may run, and the check for the points it returns.
fn rewrite_lookup(
    snapshot: &Snapshot,
    principal: &Principal,
    with_lookup: WithLookup,
) -> Result<(WithLookup, Option<PointCheck>)> {
    let full = match with_lookup {
        WithLookup::Collection(collection) => WithLookupFull {
            collection,
            with_payload: None,
            with_vectors: None,
        },
        WithLookup::Full(full) => full,
    };
    let mut full = full;
    let ls = scope(snapshot, principal, &full.collection, Scope::Read)?;
    let check = checked_read(
        &ls,
        &full.collection,
        &mut full.with_payload,
        &mut full.with_vectors,
        true,
    );
    Ok((WithLookup::Full(full), check))
}

fn rewrite_query(
    snapshot: &Snapshot,
    principal: &Principal,
    s: &Scoped,
    collection: &str,
    mut r: QueryRequest,
) -> Result<(QueryRequest, Option<PointCheck>)> {
    r.shard_key = own_shard_key(s, &r.shard_key)?;
    r.filter = wrap(s.filter(), r.filter.take());
    for lookup in lookups_mut(&mut r.lookup_from, &mut r.prefetch) {
        let ls = scope(snapshot, principal, &lookup.collection, Scope::Read)?;
        lookup.shard_key = own_shard_key(&ls, &lookup.shard_key)?;
    }
    if let Some(p) = &mut r.prefetch {
        wrap_prefetch_filters(s, &mut p.0);
    }
    let check = checked_read(
        s,
        collection,
        &mut r.with_payload,
        &mut r.with_vector,
        false,
    );
    Ok((r, check))
}

/// The whole rewrite for a tenant caller.
pub(super) fn for_tenant(
    snapshot: &Snapshot,
    principal: &Principal,
    operation: Operation,
) -> Result<Authorized> {
    let plain = |operation| Authorized {
        operation,
        checks: Vec::new(),
        guard: Guard::None,
    };
    let manage = || Error::Forbidden("Manage access for this operation is required".into());
    Ok(match operation {
        Operation::ListCollections => {
            let visible: BTreeSet<String> = snapshot
                .collections
                .keys()
                .filter(|c| !snapshot.allowed(principal, c).is_empty())
                .cloned()
                .collect();
            Authorized {
                operation: Operation::ListCollections,
                checks: Vec::new(),
                guard: Guard::Collections(visible),
            }
        }
        Operation::CollectionInfo { collection } => {
            let s = scope(snapshot, principal, &collection, Scope::Read)?;
            let shared = s.policy.tenancy != Tenancy::Collection;
            Authorized {
                operation: Operation::CollectionInfo { collection },
                checks: Vec::new(),
                guard: if shared {
                    Guard::RedactCounts
                } else {
                    Guard::None
                },
            }
        }
        Operation::CollectionExists { collection } => {
            if snapshot.allowed(principal, &collection).is_empty() {
                Authorized {
                    operation: Operation::CollectionExists { collection },
                    checks: Vec::new(),
                    guard: Guard::Absent,
                }
            } else {
                plain(Operation::CollectionExists { collection })
            }
        }
        Operation::ListAliases
        | Operation::CreateCollection { .. }
        | Operation::DeleteCollection { .. }
        | Operation::CreateFieldIndex { .. }
        | Operation::DeleteFieldIndex { .. } => return Err(manage()),
        Operation::Update {
            collection,
            update,
            wait,
        } => {
            let s = scope(snapshot, principal, &collection, Scope::Write)?;
            let update = rewrite_update(&s, &collection, update)?;
            plain(Operation::Update {
                collection,
                update,
                wait,
            })
        }
        Operation::Retrieve {
            collection,
            mut request,
        } => {
            let s = scope(snapshot, principal, &collection, Scope::Read)?;
            request.shard_key = own_shard_key(&s, &request.shard_key)?;
            let check = checked_read(
                &s,
                &collection,
                &mut request.with_payload,
                &mut request.with_vector,
                true,
            );
            let guard = Guard::points(check);
            match s.filter() {
                // Retrieve has no filter: it becomes a filtered id lookup.
                Some(filter) => Authorized {
                    operation: Operation::RetrieveWhere {
                        collection,
                        request,
                        filter,
                    },
                    checks: Vec::new(),
                    guard,
                },
                None => Authorized {
                    operation: Operation::Retrieve {
                        collection,
                        request,
                    },
                    checks: Vec::new(),
                    guard,
                },
            }
        }
        Operation::Scroll {
            collection,
            mut request,
        } => {
            let s = scope(snapshot, principal, &collection, Scope::Read)?;
            request.shard_key = own_shard_key(&s, &request.shard_key)?;
            request.filter = wrap(s.filter(), request.filter.take());
            let check = checked_read(
                &s,
                &collection,
                &mut request.with_payload,
                &mut request.with_vector,
                true,
            );
            Authorized {
                operation: Operation::Scroll {
                    collection,
                    request,
                },
                checks: Vec::new(),
                guard: Guard::points(check),
            }
        }
        Operation::Count {
            collection,
            mut request,
        } => {
            let s = scope(snapshot, principal, &collection, Scope::Read)?;
            request.shard_key = own_shard_key(&s, &request.shard_key)?;
            request.filter = wrap(s.filter(), request.filter.take());
            // Approximate counts are estimated over every tenant's points.
            request.exact = Some(true);
            plain(Operation::Count {
                collection,
                request,
            })
        }
        Operation::Facet {
            collection,
            mut request,
        } => {
            let s = scope(snapshot, principal, &collection, Scope::Read)?;
            request.shard_key = own_shard_key(&s, &request.shard_key)?;
            request.filter = wrap(s.filter(), request.filter.take());
            plain(Operation::Facet {
                collection,
                request,
            })
        }
        Operation::Query {
            collection,
            requests,
        } => {
            let s = scope(snapshot, principal, &collection, Scope::Read)?;
            let mut checks = Vec::new();
            let mut rewritten = Vec::with_capacity(requests.len());
            let mut payload_checks = Vec::with_capacity(requests.len());
            for request in requests {
                checks.extend(id_checks(snapshot, principal, &collection, &request)?);
                let (request, check) =
                    rewrite_query(snapshot, principal, &s, &collection, request)?;
                rewritten.push(request);
                payload_checks.push(check);
            }
            Authorized {
                operation: Operation::Query {
                    collection,
                    requests: rewritten,
                },
                checks,
                guard: Guard::Batch(payload_checks),
            }
        }
        Operation::QueryGroups {
            collection,
            mut request,
        } => {
            let s = scope(snapshot, principal, &collection, Scope::Read)?;
            // Lookups fetch points by group value with no filter at all: the
            // lookup collection must be granted, and every looked-up point is
            // checked by the guard like a hit.
            let lookup_check = match request.with_lookup.take() {
                None => None,
                Some(with_lookup) => {
                    let (lookup, check) = rewrite_lookup(snapshot, principal, with_lookup)?;
                    request.with_lookup = Some(lookup);
                    check
                }
            };
            let checks = id_checks(snapshot, principal, &collection, &request.query_request())?;
            let (base, check) = rewrite_query(
                snapshot,
                principal,
                &s,
                &collection,
                request.query_request(),
            )?;
            request.shard_key = base.shard_key;
            request.filter = base.filter;
            request.prefetch = base.prefetch;
            request.lookup_from = base.lookup_from;
            request.with_payload = base.with_payload;
            request.with_vector = base.with_vector;
            Authorized {
                operation: Operation::QueryGroups {
                    collection,
                    request,
                },
                checks,
                guard: Guard::Groups {
                    hits: check,
                    lookup: lookup_check,
                },
            }
        }
        Operation::Sign { mut request } => {
            scope(snapshot, principal, &request.collection, Scope::Sign)?;
            if request
                .tenant
                .as_ref()
                .is_some_and(|t| *t != principal.tenant)
            {
                return Err(Error::Forbidden(
                    "a tenant key signs only its own tenant's points".into(),
                ));
            }
            request.tenant = Some(principal.tenant.clone());
            plain(Operation::Sign { request })
        }
        Operation::RetrieveWhere { .. } => {
            return Err(Error::BadRequest("internal operation".into()));
        }
    })
}
