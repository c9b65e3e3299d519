//! Qdrant's gRPC messages to the pipeline's model, and back.
//!
//! Requests are translated into Qdrant's REST JSON and then parsed by the
//! same strict model the REST adapter uses, so a gRPC request reaches policy
//! in exactly the shape a REST request would. A field this adapter does not
//! translate yet is refused (`UNIMPLEMENTED`, naming the field), never
//! dropped: a request runs as the client meant it or not at all.

use std::collections::HashMap;

use qdrant_client::qdrant as pb;
use serde_json::{json, Map, Value};

use crate::error::{Error, Result};
use crate::model::output::{Record, ScoredPoint};
use crate::model::{Payload, PointId};

fn unsupported(what: &str) -> Error {
    Error::Unsupported(format!("{what} over gRPC is not served by ragwall yet"))
}

/// Parses the REST JSON built here into a model type, strictly.
pub fn model<T: serde::de::DeserializeOwned>(value: Value) -> Result<T> {
    serde_json::from_value(value).map_err(|e| Error::BadInput(e.to_string()))
}

pub fn point_id(id: &pb::PointId) -> Result<Value> {
    use pb::point_id::PointIdOptions;
    match &id.point_id_options {
        Some(PointIdOptions::Num(n)) => Ok(json!(n)),
        Some(PointIdOptions::Uuid(u)) => Ok(json!(u)),
        None => Err(Error::BadInput("point id is empty".into())),
    }
}

fn point_ids(ids: &[pb::PointId]) -> Result<Vec<Value>> {
    ids.iter().map(point_id).collect()
}

pub fn point_id_out(id: &PointId) -> pb::PointId {
    use pb::point_id::PointIdOptions;
    let options = match serde_json::to_value(id) {
        Ok(Value::Number(n)) => n.as_u64().map(PointIdOptions::Num),
        Ok(Value::String(s)) => Some(PointIdOptions::Uuid(s)),
        _ => None,
    };
    pb::PointId {
        point_id_options: options,
    }
}

// -------------------------------------------------------------------- filters

pub fn filter(f: &pb::Filter) -> Result<Value> {
    let mut out = Map::new();
    for (name, conditions) in [
        ("must", &f.must),
        ("should", &f.should),
        ("must_not", &f.must_not),
    ] {
        if !conditions.is_empty() {
            out.insert(
                name.into(),
                Value::Array(conditions.iter().map(condition).collect::<Result<_>>()?),
            );
        }
    }
    if let Some(min) = &f.min_should {
        out.insert(
            "min_should".into(),
            json!({
                "conditions": min.conditions.iter().map(condition).collect::<Result<Vec<_>>>()?,
                "min_count": min.min_count,
            }),
        );
    }
    Ok(Value::Object(out))
}

fn condition(c: &pb::Condition) -> Result<Value> {
    use pb::condition::ConditionOneOf;
    match &c.condition_one_of {
        Some(ConditionOneOf::Field(f)) => field_condition(f),
        Some(ConditionOneOf::IsEmpty(e)) => Ok(json!({"is_empty": {"key": e.key}})),
        Some(ConditionOneOf::IsNull(n)) => Ok(json!({"is_null": {"key": n.key}})),
        Some(ConditionOneOf::HasId(h)) => Ok(json!({"has_id": point_ids(&h.has_id)?})),
        Some(ConditionOneOf::Filter(f)) => filter(f),
        Some(ConditionOneOf::Nested(n)) => {
            let inner = n
                .filter
                .as_ref()
                .ok_or_else(|| Error::BadInput("nested condition without a filter".into()))?;
            Ok(json!({"nested": {"key": n.key, "filter": filter(inner)?}}))
        }
        Some(ConditionOneOf::HasVector(h)) => Ok(json!({"has_vector": h.has_vector})),
        Some(_) => Err(unsupported("this condition")),
        None => Err(Error::BadInput("empty condition".into())),
    }
}

fn field_condition(f: &pb::FieldCondition) -> Result<Value> {
    if f.geo_bounding_box.is_some() || f.geo_radius.is_some() || f.geo_polygon.is_some() {
        return Err(unsupported("a geo condition"));
    }
    if f.datetime_range.is_some() {
        return Err(unsupported("a datetime_range condition"));
    }
    let mut out = Map::new();
    out.insert("key".into(), json!(f.key));
    if let Some(m) = &f.r#match {
        out.insert("match".into(), match_value(m)?);
    }
    if let Some(r) = &f.range {
        out.insert(
            "range".into(),
            json!({"lt": r.lt, "gt": r.gt, "gte": r.gte, "lte": r.lte}),
        );
    }
    if let Some(v) = &f.values_count {
        out.insert(
            "values_count".into(),
            json!({"lt": v.lt, "gt": v.gt, "gte": v.gte, "lte": v.lte}),
        );
    }
    if let Some(e) = f.is_empty {
        out.insert("is_empty".into(), json!(e));
    }
    if let Some(n) = f.is_null {
        out.insert("is_null".into(), json!(n));
    }
    Ok(Value::Object(out))
}

fn match_value(m: &pb::Match) -> Result<Value> {
    use pb::r#match::MatchValue;
    Ok(match &m.match_value {
        Some(MatchValue::Keyword(k)) => json!({"value": k}),
        Some(MatchValue::Integer(i)) => json!({"value": i}),
        Some(MatchValue::Boolean(b)) => json!({"value": b}),
        Some(MatchValue::Text(t)) => json!({"text": t}),
        Some(MatchValue::Phrase(t)) => json!({"phrase": t}),
        Some(MatchValue::TextAny(t)) => json!({"text_any": t}),
        Some(MatchValue::Keywords(k)) => json!({"any": k.strings}),
        Some(MatchValue::Integers(i)) => json!({"any": i.integers}),
        Some(MatchValue::ExceptKeywords(k)) => json!({"except": k.strings}),
        Some(MatchValue::ExceptIntegers(i)) => json!({"except": i.integers}),
        Some(_) => return Err(unsupported("this match")),
        None => return Err(Error::BadInput("empty match".into())),
    })
}

// ------------------------------------------------------------------ selectors

pub fn with_payload(s: Option<&pb::WithPayloadSelector>) -> Option<Value> {
    use pb::with_payload_selector::SelectorOptions;
    Some(match s?.selector_options.as_ref()? {
        SelectorOptions::Enable(b) => json!(b),
        SelectorOptions::Include(i) => json!({"include": i.fields}),
        SelectorOptions::Exclude(e) => json!({"exclude": e.fields}),
    })
}

pub fn with_vectors(s: Option<&pb::WithVectorsSelector>) -> Option<Value> {
    use pb::with_vectors_selector::SelectorOptions;
    Some(match s?.selector_options.as_ref()? {
        SelectorOptions::Enable(b) => json!(b),
        SelectorOptions::Include(i) => json!(i.names),
    })
}

/// Shard keys are for custom sharding, which policy sets itself; a client's
/// selector is refused by policy, so it is passed on for policy to see.
pub fn shard_key(s: Option<&pb::ShardKeySelector>) -> Result<Option<Value>> {
    let Some(s) = s else { return Ok(None) };
    let keys: Vec<Value> = s
        .shard_keys
        .iter()
        .map(|k| match &k.key {
            Some(pb::shard_key::Key::Keyword(k)) => Ok(json!(k)),
            Some(pb::shard_key::Key::Number(n)) => Ok(json!(n)),
            None => Err(Error::BadInput("empty shard key".into())),
        })
        .collect::<Result<_>>()?;
    Ok(Some(Value::Array(keys)))
}

// -------------------------------------------------------------------- vectors

fn dense_or_sparse(
    data: &[f32],
    indices: Option<&pb::SparseIndices>,
    vectors_count: Option<u32>,
    variant: Option<Value>,
) -> Result<Value> {
    if let Some(v) = variant {
        return Ok(v);
    }
    if vectors_count.is_some() {
        return Err(unsupported("a multi-vector"));
    }
    Ok(match indices {
        Some(i) => json!({"indices": i.data, "values": data}),
        None => json!(data),
    })
}

fn vector_in(v: &pb::Vector) -> Result<Value> {
    use pb::vector::Vector as V;
    let variant = match &v.vector {
        None => None,
        Some(V::Dense(d)) => Some(json!(d.data)),
        Some(V::Sparse(s)) => Some(json!({"indices": s.indices, "values": s.values})),
        Some(V::MultiDense(m)) => Some(json!(m
            .vectors
            .iter()
            .map(|d| d.data.clone())
            .collect::<Vec<_>>())),
        Some(_) => return Err(unsupported("inference input (document, image, object)")),
    };
    #[allow(deprecated)]
    dense_or_sparse(&v.data, v.indices.as_ref(), v.vectors_count, variant)
}

fn vectors_in(v: Option<&pb::Vectors>) -> Result<Value> {
    use pb::vectors::VectorsOptions;
    match v.and_then(|v| v.vectors_options.as_ref()) {
        None => Ok(json!({})),
        Some(VectorsOptions::Vector(v)) => vector_in(v),
        Some(VectorsOptions::Vectors(named)) => Ok(Value::Object(
            named
                .vectors
                .iter()
                .map(|(name, v)| Ok((name.clone(), vector_in(v)?)))
                .collect::<Result<_>>()?,
        )),
    }
}

/// The engine's vectors (REST JSON) as `VectorsOutput`.
fn vectors_out(
    vectors: Option<&qdrant_edge::VectorStructPersisted>,
) -> Result<Option<pb::VectorsOutput>> {
    use pb::vector_output::Vector as V;
    use pb::vectors_output::VectorsOptions;
    let Some(vectors) = vectors else {
        return Ok(None);
    };
    let one = |value: &Value| -> Result<pb::VectorOutput> {
        let vector = match value {
            Value::Array(items) if items.first().is_some_and(Value::is_array) => {
                let vectors = items
                    .iter()
                    .map(|d| serde_json::from_value(d.clone()).map(|data| pb::DenseVector { data }))
                    .collect::<std::result::Result<_, _>>()
                    .map_err(|e| Error::internal("vector output", e))?;
                V::MultiDense(pb::MultiDenseVector { vectors })
            }
            Value::Array(_) => V::Dense(pb::DenseVector {
                data: serde_json::from_value(value.clone())
                    .map_err(|e| Error::internal("vector output", e))?,
            }),
            Value::Object(o) => V::Sparse(pb::SparseVector {
                indices: serde_json::from_value(o.get("indices").cloned().unwrap_or_default())
                    .map_err(|e| Error::internal("vector output", e))?,
                values: serde_json::from_value(o.get("values").cloned().unwrap_or_default())
                    .map_err(|e| Error::internal("vector output", e))?,
            }),
            _ => return Err(Error::internal("vector output", "unexpected shape")),
        };
        #[allow(deprecated)]
        Ok(pb::VectorOutput {
            vector: Some(vector),
            ..Default::default()
        })
    };
    let value = serde_json::to_value(vectors).map_err(|e| Error::internal("vector output", e))?;
    let options = match &value {
        Value::Object(named) if !named.contains_key("indices") => {
            VectorsOptions::Vectors(pb::NamedVectorsOutput {
                vectors: named
                    .iter()
                    .map(|(k, v)| Ok((k.clone(), one(v)?)))
                    .collect::<Result<_>>()?,
            })
        }
        other => VectorsOptions::Vector(one(other)?),
    };
    Ok(Some(pb::VectorsOutput {
        vectors_options: Some(options),
    }))
}

// -------------------------------------------------------------------- payload

fn payload_in(payload: &HashMap<String, pb::Value>) -> Value {
    Value::Object(
        payload
            .iter()
            .map(|(k, v)| (k.clone(), Value::from(v.clone())))
            .collect(),
    )
}

fn payload_out(payload: Option<&Payload>) -> Result<HashMap<String, pb::Value>> {
    let Some(payload) = payload else {
        return Ok(HashMap::new());
    };
    match serde_json::to_value(payload).map_err(|e| Error::internal("payload output", e))? {
        Value::Object(map) => Ok(map
            .into_iter()
            .map(|(k, v)| (k, pb::Value::from(v)))
            .collect()),
        _ => Ok(HashMap::new()),
    }
}

pub fn scored(p: &ScoredPoint) -> Result<pb::ScoredPoint> {
    if p.shard_key.is_some() {
        return Err(unsupported("shard_key in results"));
    }
    Ok(pb::ScoredPoint {
        id: Some(point_id_out(&p.id)),
        payload: payload_out(p.payload.as_ref())?,
        score: p.score,
        version: p.version,
        vectors: vectors_out(p.vector.as_ref())?,
        shard_key: None,
        order_value: order_value(p.order_value.as_ref())?,
    })
}

fn order_value(v: Option<&Value>) -> Result<Option<pb::OrderValue>> {
    use pb::order_value::Variant;
    let Some(v) = v else { return Ok(None) };
    let variant = match v {
        Value::Number(n) if n.is_i64() => Variant::Int(n.as_i64().unwrap_or_default()),
        Value::Number(n) => Variant::Float(n.as_f64().unwrap_or_default()),
        other => return Err(Error::internal("order value output", format!("{other}"))),
    };
    Ok(Some(pb::OrderValue {
        variant: Some(variant),
    }))
}

pub fn retrieved(r: &Record) -> Result<pb::RetrievedPoint> {
    if r.shard_key.is_some() {
        return Err(unsupported("shard_key in results"));
    }
    Ok(pb::RetrievedPoint {
        id: Some(point_id_out(&r.id)),
        payload: payload_out(r.payload.as_ref())?,
        vectors: vectors_out(r.vector.as_ref())?,
        shard_key: None,
        order_value: order_value(r.order_value.as_ref())?,
    })
}

// ------------------------------------------------------------------- requests

/// `with_payload`, `with_vector` and `shard_key`, which most reads carry.
fn insert_selectors(
    out: &mut Map<String, Value>,
    payload: Option<&pb::WithPayloadSelector>,
    vectors: Option<&pb::WithVectorsSelector>,
    shard: Option<&pb::ShardKeySelector>,
) -> Result<()> {
    insert_some(out, "with_payload", with_payload(payload));
    insert_some(out, "with_vector", with_vectors(vectors));
    insert_some(out, "shard_key", shard_key(shard)?);
    Ok(())
}

fn insert_some(out: &mut Map<String, Value>, key: &str, value: Option<Value>) {
    if let Some(v) = value {
        out.insert(key.into(), v);
    }
}

pub fn upsert(r: &pb::UpsertPoints) -> Result<Value> {
    let update_mode = match r.update_mode.map(pb::UpdateMode::try_from) {
        None => None,
        Some(Ok(pb::UpdateMode::Upsert)) => Some("upsert"),
        Some(Ok(pb::UpdateMode::InsertOnly)) => Some("insert_only"),
        Some(Ok(pb::UpdateMode::UpdateOnly)) => Some("update_only"),
        Some(Err(_)) => return Err(Error::BadInput("update_mode: unknown".into())),
    };
    let points = r
        .points
        .iter()
        .map(|p| {
            let id =
                p.id.as_ref()
                    .ok_or_else(|| Error::BadInput("a point has no id".into()))?;
            Ok(json!({
                "id": point_id(id)?,
                "vector": vectors_in(p.vectors.as_ref())?,
                "payload": payload_in(&p.payload),
            }))
        })
        .collect::<Result<Vec<_>>>()?;
    let mut out = Map::new();
    out.insert("points".into(), Value::Array(points));
    insert_some(
        &mut out,
        "shard_key",
        shard_key(r.shard_key_selector.as_ref())?,
    );
    insert_some(
        &mut out,
        "update_filter",
        r.update_filter.as_ref().map(filter).transpose()?,
    );
    insert_some(&mut out, "update_mode", update_mode.map(Value::from));
    Ok(Value::Object(out))
}

pub fn points_selector(s: Option<&pb::PointsSelector>) -> Result<Value> {
    use pb::points_selector::PointsSelectorOneOf;
    match s.and_then(|s| s.points_selector_one_of.as_ref()) {
        Some(PointsSelectorOneOf::Points(ids)) => Ok(json!({"points": point_ids(&ids.ids)?})),
        Some(PointsSelectorOneOf::Filter(f)) => Ok(json!({"filter": filter(f)?})),
        None => Err(Error::BadInput("points: select ids or a filter".into())),
    }
}

pub fn get(r: &pb::GetPoints) -> Result<Value> {
    let mut out = Map::new();
    out.insert("ids".into(), Value::Array(point_ids(&r.ids)?));
    insert_selectors(
        &mut out,
        r.with_payload.as_ref(),
        r.with_vectors.as_ref(),
        r.shard_key_selector.as_ref(),
    )?;
    Ok(Value::Object(out))
}

pub fn scroll(r: &pb::ScrollPoints) -> Result<Value> {
    let mut out = Map::new();
    insert_some(
        &mut out,
        "filter",
        r.filter.as_ref().map(filter).transpose()?,
    );
    insert_some(
        &mut out,
        "offset",
        r.offset.as_ref().map(point_id).transpose()?,
    );
    insert_some(&mut out, "limit", r.limit.map(|l| json!(l)));
    insert_some(
        &mut out,
        "order_by",
        r.order_by.as_ref().map(order_by).transpose()?,
    );
    insert_selectors(
        &mut out,
        r.with_payload.as_ref(),
        r.with_vectors.as_ref(),
        r.shard_key_selector.as_ref(),
    )?;
    Ok(Value::Object(out))
}

pub fn count(r: &pb::CountPoints) -> Result<Value> {
    let mut out = Map::new();
    insert_some(
        &mut out,
        "filter",
        r.filter.as_ref().map(filter).transpose()?,
    );
    insert_some(&mut out, "exact", r.exact.map(|e| json!(e)));
    insert_some(
        &mut out,
        "shard_key",
        shard_key(r.shard_key_selector.as_ref())?,
    );
    Ok(Value::Object(out))
}

fn search_params(p: Option<&pb::SearchParams>) -> Option<Value> {
    let p = p?;
    let mut out = Map::new();
    insert_some(&mut out, "hnsw_ef", p.hnsw_ef.map(|v| json!(v)));
    insert_some(&mut out, "exact", p.exact.map(|v| json!(v)));
    insert_some(&mut out, "indexed_only", p.indexed_only.map(|v| json!(v)));
    Some(Value::Object(out))
}

/// Legacy search as a universal query (as the REST adapter does).
pub fn search(r: &pb::SearchPoints) -> Result<Value> {
    let vector = match &r.sparse_indices {
        Some(i) => json!({"indices": i.data, "values": r.vector}),
        None => json!(r.vector),
    };
    let mut out = Map::new();
    out.insert("query".into(), vector);
    insert_some(&mut out, "using", r.vector_name.clone().map(Value::from));
    insert_some(
        &mut out,
        "filter",
        r.filter.as_ref().map(filter).transpose()?,
    );
    out.insert("limit".into(), json!(r.limit));
    insert_some(&mut out, "offset", r.offset.map(|v| json!(v)));
    insert_some(
        &mut out,
        "score_threshold",
        r.score_threshold.map(|v| json!(v)),
    );
    insert_some(&mut out, "params", search_params(r.params.as_ref()));
    insert_selectors(
        &mut out,
        r.with_payload.as_ref(),
        r.with_vectors.as_ref(),
        r.shard_key_selector.as_ref(),
    )?;
    Ok(Value::Object(out))
}

fn vector_input(v: &pb::VectorInput) -> Result<Value> {
    use pb::vector_input::Variant;
    match &v.variant {
        Some(Variant::Id(id)) => point_id(id),
        Some(Variant::Dense(d)) => Ok(json!(d.data)),
        Some(Variant::Sparse(s)) => Ok(json!({"indices": s.indices, "values": s.values})),
        Some(Variant::MultiDense(m)) => Ok(json!(m
            .vectors
            .iter()
            .map(|d| d.data.clone())
            .collect::<Vec<_>>())),
        Some(_) => Err(unsupported("inference input (document, image, object)")),
        None => Err(Error::BadInput("empty vector input".into())),
    }
}

fn query(q: &pb::Query) -> Result<Value> {
    use pb::query::Variant;
    match &q.variant {
        Some(Variant::Nearest(v)) => Ok(json!({"nearest": vector_input(v)?})),
        Some(Variant::Fusion(f)) => match pb::Fusion::try_from(*f) {
            Ok(pb::Fusion::Rrf) => Ok(json!({"fusion": "rrf"})),
            Ok(pb::Fusion::Dbsf) => Ok(json!({"fusion": "dbsf"})),
            Err(_) => Err(Error::BadInput("unknown fusion".into())),
        },
        Some(Variant::Recommend(r)) => {
            let mut input = Map::new();
            let examples =
                |v: &[pb::VectorInput]| v.iter().map(vector_input).collect::<Result<Vec<_>>>();
            input.insert("positive".into(), Value::Array(examples(&r.positive)?));
            input.insert("negative".into(), Value::Array(examples(&r.negative)?));
            insert_some(
                &mut input,
                "strategy",
                r.strategy.map(recommend_strategy).transpose()?,
            );
            Ok(json!({ "recommend": input }))
        }
        Some(Variant::Discover(d)) => {
            let target = d
                .target
                .as_ref()
                .ok_or_else(|| Error::BadInput("discover: target is required".into()))?;
            let pairs = d
                .context
                .as_ref()
                .map(context_pairs)
                .transpose()?
                .unwrap_or_default();
            Ok(json!({"discover": {"target": vector_input(target)?, "context": pairs}}))
        }
        Some(Variant::Context(c)) => Ok(json!({ "context": context_pairs(c)? })),
        Some(Variant::OrderBy(o)) => Ok(json!({ "order_by": order_by(o)? })),
        Some(Variant::Sample(_)) => Ok(json!({"sample": "random"})),
        Some(Variant::NearestWithMmr(n)) => {
            let nearest = n
                .nearest
                .as_ref()
                .ok_or_else(|| Error::BadInput("nearest: a vector is required".into()))?;
            let mut mmr = Map::new();
            if let Some(m) = &n.mmr {
                insert_some(&mut mmr, "diversity", m.diversity.map(|v| json!(v)));
                insert_some(
                    &mut mmr,
                    "candidates_limit",
                    m.candidates_limit.map(|v| json!(v)),
                );
            }
            Ok(json!({"nearest": vector_input(nearest)?, "mmr": mmr}))
        }
        Some(_) => Err(unsupported("this query variant")),
        None => Err(Error::BadInput("empty query".into())),
    }
}

/// The fields a query shares with its prefetches.
struct Stage<'a> {
    prefetch: &'a [pb::PrefetchQuery],
    query: Option<&'a pb::Query>,
    using: Option<&'a String>,
    filter: Option<&'a pb::Filter>,
    params: Option<&'a pb::SearchParams>,
    score_threshold: Option<f32>,
    limit: Option<u64>,
}

fn stage(s: Stage) -> Result<Map<String, Value>> {
    let mut out = Map::new();
    if !s.prefetch.is_empty() {
        let nested = s.prefetch.iter().map(prefetch).collect::<Result<_>>()?;
        out.insert("prefetch".into(), Value::Array(nested));
    }
    insert_some(&mut out, "query", s.query.map(query).transpose()?);
    insert_some(&mut out, "using", s.using.cloned().map(Value::from));
    insert_some(&mut out, "filter", s.filter.map(filter).transpose()?);
    insert_some(&mut out, "params", search_params(s.params));
    insert_some(
        &mut out,
        "score_threshold",
        s.score_threshold.map(|v| json!(v)),
    );
    insert_some(&mut out, "limit", s.limit.map(|v| json!(v)));
    Ok(out)
}

/// `lookup_from`: policy checks the collection is granted, as over REST.
fn lookup_from(l: Option<&pb::LookupLocation>) -> Result<Option<Value>> {
    let Some(l) = l else { return Ok(None) };
    if l.shard_key_selector.is_some() {
        return Err(unsupported("lookup_from.shard_key_selector"));
    }
    let mut out = Map::new();
    out.insert("collection".into(), json!(l.collection_name));
    insert_some(&mut out, "vector", l.vector_name.clone().map(Value::from));
    Ok(Some(Value::Object(out)))
}

fn recommend_strategy(strategy: i32) -> Result<Value> {
    Ok(json!(match pb::RecommendStrategy::try_from(strategy) {
        Ok(pb::RecommendStrategy::AverageVector) => "average_vector",
        Ok(pb::RecommendStrategy::BestScore) => "best_score",
        Ok(pb::RecommendStrategy::SumScores) => "sum_scores",
        Err(_) => return Err(Error::BadInput("strategy: unknown".into())),
    }))
}

fn context_pairs(c: &pb::ContextInput) -> Result<Vec<Value>> {
    c.pairs
        .iter()
        .map(|p| {
            let side = |v: Option<&pb::VectorInput>| {
                v.ok_or_else(|| Error::BadInput("context pair: positive and negative are required".into()))
                    .and_then(vector_input)
            };
            Ok(json!({"positive": side(p.positive.as_ref())?, "negative": side(p.negative.as_ref())?}))
        })
        .collect()
}

fn order_by(o: &pb::OrderBy) -> Result<Value> {
    use pb::start_from::Value as Start;
    let mut out = Map::new();
    out.insert("key".into(), json!(o.key));
    if let Some(d) = o.direction {
        let direction = match pb::Direction::try_from(d) {
            Ok(pb::Direction::Asc) => "asc",
            Ok(pb::Direction::Desc) => "desc",
            Err(_) => return Err(Error::BadInput("direction: unknown".into())),
        };
        out.insert("direction".into(), json!(direction));
    }
    match o.start_from.as_ref().and_then(|s| s.value.as_ref()) {
        None => {}
        Some(Start::Float(f)) => {
            out.insert("start_from".into(), json!(f));
        }
        Some(Start::Integer(i)) => {
            out.insert("start_from".into(), json!(i));
        }
        Some(Start::Datetime(d)) => {
            out.insert("start_from".into(), json!(d));
        }
        Some(Start::Timestamp(_)) => return Err(unsupported("order_by.start_from as a timestamp")),
    }
    Ok(Value::Object(out))
}

fn prefetch(p: &pb::PrefetchQuery) -> Result<Value> {
    let mut out = stage(Stage {
        prefetch: &p.prefetch,
        query: p.query.as_ref(),
        using: p.using.as_ref(),
        filter: p.filter.as_ref(),
        params: p.params.as_ref(),
        score_threshold: p.score_threshold,
        limit: p.limit,
    })?;
    insert_some(
        &mut out,
        "lookup_from",
        lookup_from(p.lookup_from.as_ref())?,
    );
    Ok(Value::Object(out))
}

pub fn query_points(r: &pb::QueryPoints) -> Result<Value> {
    let mut out = stage(Stage {
        prefetch: &r.prefetch,
        query: r.query.as_ref(),
        using: r.using.as_ref(),
        filter: r.filter.as_ref(),
        params: r.params.as_ref(),
        score_threshold: r.score_threshold,
        limit: r.limit,
    })?;
    insert_some(
        &mut out,
        "lookup_from",
        lookup_from(r.lookup_from.as_ref())?,
    );
    insert_some(&mut out, "offset", r.offset.map(|v| json!(v)));
    insert_selectors(
        &mut out,
        r.with_payload.as_ref(),
        r.with_vectors.as_ref(),
        r.shard_key_selector.as_ref(),
    )?;
    Ok(Value::Object(out))
}

pub fn create_collection(r: &pb::CreateCollection) -> Result<Value> {
    use pb::vectors_config::Config;
    let params = |p: &pb::VectorParams| -> Result<Value> {
        if p.multivector_config.is_some() || p.quantization_config.is_some() {
            return Err(unsupported("multivector or quantization config"));
        }
        let distance = match pb::Distance::try_from(p.distance) {
            Ok(pb::Distance::Cosine) => "Cosine",
            Ok(pb::Distance::Euclid) => "Euclid",
            Ok(pb::Distance::Dot) => "Dot",
            Ok(pb::Distance::Manhattan) => "Manhattan",
            _ => return Err(Error::BadInput("distance: unknown".into())),
        };
        let mut out = json!({"size": p.size, "distance": distance});
        #[allow(deprecated)]
        if let Some(on_disk) = p.on_disk {
            out["on_disk"] = json!(on_disk);
        }
        Ok(out)
    };
    let mut out = Map::new();
    match r.vectors_config.as_ref().and_then(|c| c.config.as_ref()) {
        Some(Config::Params(p)) => {
            out.insert("vectors".into(), params(p)?);
        }
        Some(Config::ParamsMap(m)) => {
            out.insert(
                "vectors".into(),
                Value::Object(
                    m.map
                        .iter()
                        .map(|(k, p)| Ok((k.clone(), params(p)?)))
                        .collect::<Result<_>>()?,
                ),
            );
        }
        None => {}
    }
    if let Some(sparse) = &r.sparse_vectors_config {
        if sparse
            .map
            .values()
            .any(|p| p.index.is_some() || p.modifier.is_some())
        {
            return Err(unsupported("sparse vector index or modifier params"));
        }
        out.insert(
            "sparse_vectors".into(),
            Value::Object(sparse.map.keys().map(|k| (k.clone(), json!({}))).collect()),
        );
    }
    if r.sharding_method.is_some()
        || r.quantization_config.is_some()
        || r.strict_mode_config.is_some()
    {
        return Err(unsupported("sharding_method, quantization or strict mode"));
    }
    if r.hnsw_config.is_some()
        || r.wal_config.is_some()
        || r.optimizers_config.is_some()
        || !r.metadata.is_empty()
        || r.payload.is_some()
        || r.id_tracker.is_some()
    {
        return Err(unsupported(
            "hnsw, wal, optimizer, metadata, payload storage or id tracker settings",
        ));
    }
    insert_some(&mut out, "shard_number", r.shard_number.map(|v| json!(v)));
    insert_some(
        &mut out,
        "replication_factor",
        r.replication_factor.map(|v| json!(v)),
    );
    insert_some(
        &mut out,
        "write_consistency_factor",
        r.write_consistency_factor.map(|v| json!(v)),
    );
    #[allow(deprecated)]
    insert_some(
        &mut out,
        "on_disk_payload",
        r.on_disk_payload.map(|v| json!(v)),
    );
    Ok(Value::Object(out))
}

// ------------------------------------------------------------ payload writes

/// `points` or `filter` (and `shard_key`) of a write, REST style.
fn selection(
    selector: Option<&pb::PointsSelector>,
    shard: Option<&pb::ShardKeySelector>,
) -> Result<Map<String, Value>> {
    let Value::Object(mut out) = points_selector(selector)? else {
        return Err(Error::BadInput("points: select ids or a filter".into()));
    };
    insert_some(&mut out, "shard_key", shard_key(shard)?);
    Ok(out)
}

pub fn set_payload(r: &pb::SetPayloadPoints) -> Result<Value> {
    let mut out = selection(r.points_selector.as_ref(), r.shard_key_selector.as_ref())?;
    out.insert("payload".into(), payload_in(&r.payload));
    insert_some(&mut out, "key", r.key.clone().map(Value::from));
    Ok(Value::Object(out))
}

pub fn delete_payload(r: &pb::DeletePayloadPoints) -> Result<Value> {
    let mut out = selection(r.points_selector.as_ref(), r.shard_key_selector.as_ref())?;
    out.insert("keys".into(), json!(r.keys));
    Ok(Value::Object(out))
}

pub fn clear_payload(r: &pb::ClearPayloadPoints) -> Result<Value> {
    selection(r.points.as_ref(), r.shard_key_selector.as_ref()).map(Value::Object)
}

pub fn create_field_index(r: &pb::CreateFieldIndexCollection) -> Result<Value> {
    if r.field_index_params.is_some() {
        return Err(unsupported("field_index_params"));
    }
    let schema = match r.field_type.map(pb::FieldType::try_from) {
        None => None,
        Some(Ok(t)) => Some(match t {
            pb::FieldType::Keyword => "keyword",
            pb::FieldType::Integer => "integer",
            pb::FieldType::Float => "float",
            pb::FieldType::Geo => "geo",
            pb::FieldType::Text => "text",
            pb::FieldType::Bool => "bool",
            pb::FieldType::Datetime => "datetime",
            pb::FieldType::Uuid => "uuid",
        }),
        Some(Err(_)) => return Err(Error::BadInput("field_type: unknown".into())),
    };
    let mut out = Map::new();
    out.insert("field_name".into(), json!(r.field_name));
    insert_some(&mut out, "field_schema", schema.map(Value::from));
    Ok(Value::Object(out))
}

// ------------------------------------------------------------ other reads

/// Legacy recommend, REST shaped (the model turns it into a query).
pub fn recommend(r: &pb::RecommendPoints) -> Result<Value> {
    let examples = |ids: &[pb::PointId], vectors: &[pb::Vector]| -> Result<Vec<Value>> {
        let mut out = point_ids(ids)?;
        for v in vectors {
            out.push(vector_in(v)?);
        }
        Ok(out)
    };
    let mut out = Map::new();
    out.insert(
        "positive".into(),
        Value::Array(examples(&r.positive, &r.positive_vectors)?),
    );
    out.insert(
        "negative".into(),
        Value::Array(examples(&r.negative, &r.negative_vectors)?),
    );
    if let Some(strategy) = r.strategy {
        let name = match pb::RecommendStrategy::try_from(strategy) {
            Ok(pb::RecommendStrategy::AverageVector) => "average_vector",
            Ok(pb::RecommendStrategy::BestScore) => "best_score",
            Ok(pb::RecommendStrategy::SumScores) => "sum_scores",
            Err(_) => return Err(Error::BadInput("strategy: unknown".into())),
        };
        out.insert("strategy".into(), json!(name));
    }
    insert_some(
        &mut out,
        "filter",
        r.filter.as_ref().map(filter).transpose()?,
    );
    out.insert("limit".into(), json!(r.limit));
    insert_some(&mut out, "offset", r.offset.map(|v| json!(v)));
    insert_some(
        &mut out,
        "score_threshold",
        r.score_threshold.map(|v| json!(v)),
    );
    insert_some(&mut out, "params", search_params(r.params.as_ref()));
    insert_some(&mut out, "using", r.using.clone().map(Value::from));
    insert_some(
        &mut out,
        "lookup_from",
        lookup_from(r.lookup_from.as_ref())?,
    );
    insert_selectors(
        &mut out,
        r.with_payload.as_ref(),
        r.with_vectors.as_ref(),
        r.shard_key_selector.as_ref(),
    )?;
    Ok(Value::Object(out))
}

pub fn facet(r: &pb::FacetCounts) -> Result<Value> {
    let mut out = Map::new();
    out.insert("key".into(), json!(r.key));
    insert_some(
        &mut out,
        "filter",
        r.filter.as_ref().map(filter).transpose()?,
    );
    insert_some(&mut out, "limit", r.limit.map(|v| json!(v)));
    insert_some(&mut out, "exact", r.exact.map(|v| json!(v)));
    insert_some(
        &mut out,
        "shard_key",
        shard_key(r.shard_key_selector.as_ref())?,
    );
    Ok(Value::Object(out))
}

pub fn facet_hit(hit: &crate::model::output::FacetHit) -> Result<pb::FacetHit> {
    use pb::facet_value::Variant;
    let variant = match &hit.value {
        Value::String(s) => Variant::StringValue(s.clone()),
        Value::Bool(b) => Variant::BoolValue(*b),
        Value::Number(n) if n.is_i64() => Variant::IntegerValue(n.as_i64().unwrap_or_default()),
        other => return Err(Error::internal("facet output", format!("value {other}"))),
    };
    Ok(pb::FacetHit {
        value: Some(pb::FacetValue {
            variant: Some(variant),
        }),
        count: hit.count as u64,
    })
}

// ------------------------------------------------------------ collection info

fn u64_at(v: &Value, key: &str) -> Option<u64> {
    v.get(key).and_then(Value::as_u64)
}

fn vector_params_out(v: &Value) -> Option<pb::VectorParams> {
    let distance = match v.get("distance")?.as_str()? {
        "Cosine" => pb::Distance::Cosine,
        "Euclid" => pb::Distance::Euclid,
        "Dot" => pb::Distance::Dot,
        "Manhattan" => pb::Distance::Manhattan,
        _ => pb::Distance::UnknownDistance,
    };
    #[allow(deprecated)]
    Some(pb::VectorParams {
        size: u64_at(v, "size")?,
        distance: distance as i32,
        on_disk: v.get("on_disk").and_then(Value::as_bool),
        ..Default::default()
    })
}

/// Qdrant's REST collection info (what the backends return) as the gRPC
/// message: status, counts, vector and sparse parameters, HNSW, optimizer
/// and WAL settings, payload schema.
pub fn collection_info(info: &crate::model::collection::CollectionInfo) -> pb::CollectionInfo {
    use pb::vectors_config::Config;
    let config = &info.config;
    let params = &config["params"];
    let vectors = &params["vectors"];
    let vectors_config = if vectors.get("size").is_some() {
        vector_params_out(vectors).map(Config::Params)
    } else {
        vectors.as_object().map(|named| {
            Config::ParamsMap(pb::VectorParamsMap {
                map: named
                    .iter()
                    .filter_map(|(k, v)| Some((k.clone(), vector_params_out(v)?)))
                    .collect(),
            })
        })
    };
    let sparse = params["sparse_vectors"]
        .as_object()
        .map(|m| pb::SparseVectorConfig {
            map: m
                .keys()
                .map(|k| (k.clone(), pb::SparseVectorParams::default()))
                .collect(),
        });
    let hnsw = &config["hnsw_config"];
    let optimizer = &config["optimizer_config"];
    let wal = &config["wal_config"];
    let status = match info.status.as_str() {
        "green" => pb::CollectionStatus::Green,
        "yellow" => pb::CollectionStatus::Yellow,
        "red" => pb::CollectionStatus::Red,
        "grey" => pb::CollectionStatus::Grey,
        _ => pb::CollectionStatus::UnknownCollectionStatus,
    };
    let payload_schema = info
        .payload_schema
        .as_object()
        .map(|schema| {
            schema
                .iter()
                .map(|(field, s)| {
                    let data_type = match s["data_type"].as_str().unwrap_or_default() {
                        "keyword" => pb::PayloadSchemaType::Keyword,
                        "integer" => pb::PayloadSchemaType::Integer,
                        "float" => pb::PayloadSchemaType::Float,
                        "geo" => pb::PayloadSchemaType::Geo,
                        "text" => pb::PayloadSchemaType::Text,
                        "bool" => pb::PayloadSchemaType::Bool,
                        "datetime" => pb::PayloadSchemaType::Datetime,
                        "uuid" => pb::PayloadSchemaType::Uuid,
                        _ => pb::PayloadSchemaType::UnknownType,
                    };
                    let info = pb::PayloadSchemaInfo {
                        data_type: data_type as i32,
                        params: None,
                        points: u64_at(s, "points"),
                    };
                    (field.clone(), info)
                })
                .collect()
        })
        .unwrap_or_default();
    let optimizer_status = match &info.optimizer_status {
        Value::Object(o) => pb::OptimizerStatus {
            ok: false,
            error: o
                .get("error")
                .and_then(Value::as_str)
                .unwrap_or_default()
                .into(),
        },
        _ => pb::OptimizerStatus {
            ok: true,
            error: String::new(),
        },
    };
    #[allow(deprecated)]
    pb::CollectionInfo {
        status: status as i32,
        optimizer_status: Some(optimizer_status),
        segments_count: info.segments_count,
        config: Some(pb::CollectionConfig {
            params: Some(pb::CollectionParams {
                shard_number: u64_at(params, "shard_number").unwrap_or(1) as u32,
                on_disk_payload: params["on_disk_payload"].as_bool().unwrap_or(true),
                vectors_config: vectors_config.map(|c| pb::VectorsConfig { config: Some(c) }),
                replication_factor: u64_at(params, "replication_factor").map(|n| n as u32),
                write_consistency_factor: u64_at(params, "write_consistency_factor")
                    .map(|n| n as u32),
                sparse_vectors_config: sparse,
                ..Default::default()
            }),
            hnsw_config: Some(pb::HnswConfigDiff {
                m: u64_at(hnsw, "m"),
                ef_construct: u64_at(hnsw, "ef_construct"),
                full_scan_threshold: u64_at(hnsw, "full_scan_threshold"),
                max_indexing_threads: u64_at(hnsw, "max_indexing_threads"),
                on_disk: hnsw.get("on_disk").and_then(Value::as_bool),
                payload_m: u64_at(hnsw, "payload_m"),
                ..Default::default()
            }),
            optimizer_config: Some(pb::OptimizersConfigDiff {
                deleted_threshold: optimizer.get("deleted_threshold").and_then(Value::as_f64),
                vacuum_min_vector_number: u64_at(optimizer, "vacuum_min_vector_number"),
                default_segment_number: u64_at(optimizer, "default_segment_number"),
                max_segment_size: u64_at(optimizer, "max_segment_size"),
                memmap_threshold: u64_at(optimizer, "memmap_threshold"),
                indexing_threshold: u64_at(optimizer, "indexing_threshold"),
                flush_interval_sec: u64_at(optimizer, "flush_interval_sec"),
                ..Default::default()
            }),
            wal_config: Some(pb::WalConfigDiff {
                wal_capacity_mb: u64_at(wal, "wal_capacity_mb"),
                wal_segments_ahead: u64_at(wal, "wal_segments_ahead"),
                wal_retain_closed: u64_at(wal, "wal_retain_closed"),
            }),
            ..Default::default()
        }),
        payload_schema,
        points_count: info.points_count,
        indexed_vectors_count: info.indexed_vectors_count,
        ..Default::default()
    }
}

// --------------------------------------------------------------------- groups

pub fn query_groups(r: &pb::QueryPointGroups) -> Result<Value> {
    let mut out = stage(Stage {
        prefetch: &r.prefetch,
        query: r.query.as_ref(),
        using: r.using.as_ref(),
        filter: r.filter.as_ref(),
        params: r.params.as_ref(),
        score_threshold: r.score_threshold,
        limit: r.limit,
    })?;
    out.insert("group_by".into(), json!(r.group_by));
    insert_some(&mut out, "group_size", r.group_size.map(|v| json!(v)));
    insert_some(
        &mut out,
        "lookup_from",
        lookup_from(r.lookup_from.as_ref())?,
    );
    insert_selectors(
        &mut out,
        r.with_payload.as_ref(),
        r.with_vectors.as_ref(),
        r.shard_key_selector.as_ref(),
    )?;
    if let Some(l) = &r.with_lookup {
        let mut lookup = Map::new();
        lookup.insert("collection".into(), json!(l.collection));
        insert_some(
            &mut lookup,
            "with_payload",
            with_payload(l.with_payload.as_ref()),
        );
        insert_some(
            &mut lookup,
            "with_vectors",
            with_vectors(l.with_vectors.as_ref()),
        );
        out.insert("with_lookup".into(), Value::Object(lookup));
    }
    Ok(Value::Object(out))
}

pub fn group(g: &crate::model::output::PointGroup) -> Result<pb::PointGroup> {
    use pb::group_id::Kind;
    let kind = match &g.id {
        Value::String(s) => Kind::StringValue(s.clone()),
        Value::Number(n) if n.is_u64() => Kind::UnsignedValue(n.as_u64().unwrap_or_default()),
        Value::Number(n) if n.is_i64() => Kind::IntegerValue(n.as_i64().unwrap_or_default()),
        other => return Err(Error::internal("group output", format!("group id {other}"))),
    };
    Ok(pb::PointGroup {
        id: Some(pb::GroupId { kind: Some(kind) }),
        hits: g.hits.iter().map(scored).collect::<Result<_>>()?,
        lookup: g.lookup.as_ref().map(retrieved).transpose()?,
    })
}
