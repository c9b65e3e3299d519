//! The upstream's gRPC port, for the reads on a RAG app's hot path.
//!
//! With `upstream.grpc_url` set, [`super::remote::Remote`] sends queries,
//! retrieves, scrolls, counts, upserts and deletes over one HTTP/2 channel
//! (multiplexed: one connection carries every request in flight,
//! reconnected on failure), each with the upstream deadline. Everything
//! else — payload writes, collection management, aliases — goes over REST.
//!
//! A request reaches this module already checked and rewritten, as the
//! model's REST JSON; it is translated field by field into Qdrant's
//! messages. Anything this translation does not know (a rare query kind,
//! a geo filter) is [`Untranslated`]: the caller then sends the very same
//! request over REST. Nothing is ever dropped from a request, least of
//! all a filter: a condition that does not translate sends the whole
//! request the other way.

use std::collections::HashMap;
use std::time::Duration;

use qdrant_client::qdrant as pb;
use qdrant_client::qdrant::points_client::PointsClient;
use serde_json::{json, Value};
use tonic::metadata::{Ascii, MetadataValue};
use tonic::service::interceptor::InterceptedService;
use tonic::transport::{Channel, Endpoint};

use crate::config::Upstream;
use crate::error::{Error, Result};
use crate::model::output::{
    CountResult, QueryResponse, Record, ScoredPoint, ScrollResult, UpdateResult, UpdateStatus,
};
use crate::model::points::PointsUpdate;
use crate::model::query::{
    CountRequest, Fusion, OneOrMany, PointRequest, Prefetch, Query, QueryRequest,
    RecommendStrategy, Sample, ScrollRequest, VectorInput,
};
use crate::model::{Filter, PointId, SearchParams};

/// The request uses something this module does not translate: send it
/// over REST instead.
#[derive(Debug)]
pub struct Untranslated(pub String);

type Translated<T> = std::result::Result<T, Untranslated>;

fn untranslated<T>(what: impl Into<String>) -> Translated<T> {
    Err(Untranslated(what.into()))
}

/// Adds the upstream's API key to every call.
#[derive(Clone)]
pub struct ApiKey(Option<MetadataValue<Ascii>>);

impl tonic::service::Interceptor for ApiKey {
    fn call(
        &mut self,
        mut request: tonic::Request<()>,
    ) -> std::result::Result<tonic::Request<()>, tonic::Status> {
        if let Some(key) = &self.0 {
            request.metadata_mut().insert("api-key", key.clone());
        }
        Ok(request)
    }
}

/// The gRPC side of the remote backend.
pub struct GrpcUpstream {
    points: PointsClient<InterceptedService<Channel, ApiKey>>,
    timeout: Duration,
}

/// What a forwarded call came to: a result, or a request to send over REST.
pub enum Forwarded<T> {
    Done(Result<T>),
    UseRest(Untranslated),
}

impl<T> Forwarded<T> {
    /// What a read came to: the call's failure, or its answer translated
    /// back — or, when the answer does not translate, a request to ask
    /// again over REST (harmless for a read).
    fn read<R>(
        call: std::result::Result<tonic::Response<R>, tonic::Status>,
        answer: impl FnOnce(R) -> Translated<T>,
    ) -> Self {
        match call.map(tonic::Response::into_inner) {
            Ok(r) => match answer(r) {
                Ok(t) => Forwarded::Done(Ok(t)),
                Err(u) => Forwarded::UseRest(u),
            },
            Err(status) => Forwarded::Done(Err(status_error(status))),
        }
    }
}

impl GrpcUpstream {
    /// A lazily connected channel to `url` (no I/O here: the first call
    /// connects, and a broken connection is re-established by the next).
    pub fn new(url: &str, upstream: &Upstream) -> anyhow::Result<Self> {
        let timeout = Duration::from_secs(upstream.timeout_secs);
        let channel = Endpoint::from_shared(url.to_owned())?
            .connect_timeout(Duration::from_secs(upstream.connect_timeout_secs))
            .timeout(timeout)
            .tcp_nodelay(true)
            .http2_keep_alive_interval(Duration::from_secs(30))
            .keep_alive_while_idle(true)
            .connect_lazy();
        let key = match &upstream.api_key {
            Some(key) => {
                let mut value: MetadataValue<Ascii> = key.expose().parse()?;
                value.set_sensitive(true);
                Some(value)
            }
            None => None,
        };
        Ok(GrpcUpstream {
            points: PointsClient::with_interceptor(channel, ApiKey(key))
                .max_decoding_message_size(usize::MAX),
            timeout,
        })
    }

    fn deadline<T>(&self, message: T) -> tonic::Request<T> {
        let mut request = tonic::Request::new(message);
        request.set_timeout(self.timeout);
        request
    }

    pub async fn query_batch(
        &self,
        collection: &str,
        requests: &[QueryRequest],
    ) -> Forwarded<Vec<QueryResponse>> {
        let translated: Translated<Vec<(pb::QueryPoints, bool)>> = requests
            .iter()
            .map(|r| query_points(collection, r))
            .collect();
        let (queries, payloads): (Vec<_>, Vec<_>) = match translated {
            Ok(t) => t.into_iter().unzip(),
            Err(u) => return Forwarded::UseRest(u),
        };
        let message = pb::QueryBatchPoints {
            collection_name: collection.to_owned(),
            query_points: queries,
            ..Default::default()
        };
        let mut points = self.points.clone();
        let call = super::waiting(points.query_batch(self.deadline(message))).await;
        Forwarded::read(call, |response| {
            response
                .result
                .into_iter()
                .zip(payloads)
                .map(|(batch, payload)| {
                    let points = batch
                        .result
                        .into_iter()
                        .map(|p| scored_point(p, payload))
                        .collect::<Translated<Vec<_>>>()?;
                    Ok(QueryResponse { points })
                })
                .collect()
        })
    }

    pub async fn retrieve(
        &self,
        collection: &str,
        request: &PointRequest,
    ) -> Forwarded<Vec<Record>> {
        let translated = (|| {
            let v = to_json(request)?;
            known(&v, &["ids", "with_payload", "with_vector"])?;
            let ids = v["ids"]
                .as_array()
                .map(|ids| ids.iter().map(point_id).collect::<Translated<Vec<_>>>())
                .unwrap_or_else(|| untranslated("ids"))?;
            Ok((
                pb::GetPoints {
                    collection_name: collection.to_owned(),
                    ids,
                    with_payload: Some(with_payload(v.get("with_payload"))?),
                    with_vectors: with_vectors(v.get("with_vector"))?,
                    ..Default::default()
                },
                wants_payload(v.get("with_payload")),
            ))
        })();
        let (message, payload) = match translated {
            Ok(t) => t,
            Err(u) => return Forwarded::UseRest(u),
        };
        let mut points = self.points.clone();
        let call = super::waiting(points.get(self.deadline(message))).await;
        Forwarded::read(call, |response| records(response.result, payload))
    }

    pub async fn scroll(
        &self,
        collection: &str,
        request: &ScrollRequest,
    ) -> Forwarded<ScrollResult> {
        let translated = (|| {
            let v = to_json(request)?;
            known(
                &v,
                &["offset", "limit", "filter", "with_payload", "with_vector"],
            )?;
            Ok((
                pb::ScrollPoints {
                    collection_name: collection.to_owned(),
                    filter: optional(v.get("filter"), filter)?,
                    offset: optional(v.get("offset"), point_id)?,
                    limit: optional(v.get("limit"), unsigned)?.map(|l| l as u32),
                    with_payload: Some(with_payload(v.get("with_payload"))?),
                    with_vectors: with_vectors(v.get("with_vector"))?,
                    ..Default::default()
                },
                wants_payload(v.get("with_payload")),
            ))
        })();
        let (message, payload) = match translated {
            Ok(t) => t,
            Err(u) => return Forwarded::UseRest(u),
        };
        let mut points = self.points.clone();
        let call = super::waiting(points.scroll(self.deadline(message))).await;
        Forwarded::read(call, |response| {
            Ok(ScrollResult {
                next_page_offset: response
                    .next_page_offset
                    .as_ref()
                    .map(point_id_out)
                    .transpose()?,
                points: records(response.result, payload)?,
            })
        })
    }

    /// Upserts and deletes (the writes of ingest). A write is never sent
    /// twice: a translation failure goes to REST before anything is sent,
    /// a failed call is reported as is.
    pub async fn update(
        &self,
        collection: &str,
        update: &PointsUpdate,
        wait: bool,
    ) -> Forwarded<UpdateResult> {
        let mut points = self.points.clone();
        let call = match update {
            PointsUpdate::Upsert(body) => match upsert_points(collection, body, wait) {
                Ok(message) => super::waiting(points.upsert(self.deadline(message))).await,
                Err(u) => return Forwarded::UseRest(u),
            },
            PointsUpdate::Delete(body) => match delete_points(collection, body, wait) {
                Ok(message) => super::waiting(points.delete(self.deadline(message))).await,
                Err(u) => return Forwarded::UseRest(u),
            },
            _ => return Forwarded::UseRest(Untranslated("payload writes".into())),
        };
        Forwarded::Done(match call {
            Ok(r) => match r.into_inner().result {
                Some(result) => Ok(UpdateResult {
                    operation_id: result.operation_id,
                    status: if result.status == pb::UpdateStatus::Completed as i32 {
                        UpdateStatus::Completed
                    } else {
                        UpdateStatus::Acknowledged
                    },
                }),
                None => Err(Error::Upstream(
                    "the upstream answered in an unexpected shape".into(),
                )),
            },
            Err(status) => Err(status_error(status)),
        })
    }

    pub async fn count(&self, collection: &str, request: &CountRequest) -> Forwarded<CountResult> {
        let translated = (|| {
            let v = to_json(request)?;
            known(&v, &["filter", "exact"])?;
            Ok(pb::CountPoints {
                collection_name: collection.to_owned(),
                filter: optional(v.get("filter"), filter)?,
                exact: v.get("exact").and_then(Value::as_bool),
                ..Default::default()
            })
        })();
        let message = match translated {
            Ok(m) => m,
            Err(u) => return Forwarded::UseRest(u),
        };
        let mut points = self.points.clone();
        let call = super::waiting(points.count(self.deadline(message))).await;
        Forwarded::read(call, |response| {
            let count = response
                .result
                .ok_or(Untranslated("a count without a result".into()))?;
            Ok(CountResult {
                count: count.count as usize,
            })
        })
    }
}

/// An upstream gRPC failure in Qdrant's terms: the caller's own mistakes
/// (invalid argument, not found) are passed on; the rest is 502 or 504.
fn status_error(status: tonic::Status) -> Error {
    use tonic::Code;
    let message = status.message().to_owned();
    match status.code() {
        Code::InvalidArgument | Code::FailedPrecondition | Code::OutOfRange => {
            Error::BadInput(message)
        }
        Code::NotFound => Error::NotFound(message),
        Code::DeadlineExceeded => {
            Error::UpstreamTimeout("the upstream did not answer in time".into())
        }
        code => {
            tracing::warn!(?code, %message, "upstream gRPC call failed");
            Error::Upstream("the upstream is unavailable".into())
        }
    }
}

fn to_json(value: &impl serde::Serialize) -> Translated<Value> {
    serde_json::to_value(value).map_err(|e| Untranslated(e.to_string()))
}

/// Refuses an object with a key outside `keys` (nulls are absent keys).
fn known(v: &Value, keys: &[&str]) -> Translated<()> {
    let Some(map) = v.as_object() else {
        return untranslated("expected an object");
    };
    match map
        .iter()
        .find(|(k, v)| !v.is_null() && !keys.contains(&k.as_str()))
    {
        Some((k, _)) => untranslated(k.clone()),
        None => Ok(()),
    }
}

fn optional<T>(v: Option<&Value>, f: impl Fn(&Value) -> Translated<T>) -> Translated<Option<T>> {
    match v {
        None | Some(Value::Null) => Ok(None),
        Some(v) => f(v).map(Some),
    }
}

fn unsigned(v: &Value) -> Translated<u64> {
    v.as_u64()
        .ok_or(Untranslated("expected an unsigned integer".into()))
}

fn float(v: &Value) -> Translated<f64> {
    v.as_f64().ok_or(Untranslated("expected a number".into()))
}

fn string(v: &Value) -> Translated<String> {
    v.as_str()
        .map(str::to_owned)
        .ok_or(Untranslated("expected a string".into()))
}

fn point_id(v: &Value) -> Translated<pb::PointId> {
    use pb::point_id::PointIdOptions;
    let options = match v {
        Value::Number(n) => PointIdOptions::Num(n.as_u64().ok_or(Untranslated("point id".into()))?),
        Value::String(s) => PointIdOptions::Uuid(s.clone()),
        _ => return untranslated("point id"),
    };
    Ok(pb::PointId {
        point_id_options: Some(options),
    })
}

fn point_id_in(id: &PointId) -> pb::PointId {
    use pb::point_id::PointIdOptions;
    let options = match id {
        PointId::NumId(n) => PointIdOptions::Num(*n),
        PointId::Uuid(u) => PointIdOptions::Uuid(u.to_string()),
    };
    pb::PointId {
        point_id_options: Some(options),
    }
}

fn point_id_out(id: &pb::PointId) -> Translated<PointId> {
    use pb::point_id::PointIdOptions;
    match &id.point_id_options {
        Some(PointIdOptions::Num(n)) => Ok(PointId::NumId(*n)),
        Some(PointIdOptions::Uuid(u)) => match u.parse() {
            Ok(id @ PointId::Uuid(_)) => Ok(id),
            _ => untranslated(format!("point id {u}")),
        },
        None => untranslated("a point without an id"),
    }
}

fn floats(v: &Value) -> Translated<Vec<f32>> {
    v.as_array()
        .ok_or(Untranslated("expected a vector".into()))?
        .iter()
        .map(|x| float(x).map(|f| f as f32))
        .collect()
}

// --- requests -------------------------------------------------------------

fn filter(v: &Value) -> Translated<pb::Filter> {
    known(v, &["must", "should", "must_not"])?;
    let list = |key: &str| -> Translated<Vec<pb::Condition>> {
        match v.get(key) {
            None | Some(Value::Null) => Ok(Vec::new()),
            Some(Value::Array(items)) => items.iter().map(condition).collect(),
            Some(one) => Ok(vec![condition(one)?]),
        }
    };
    Ok(pb::Filter {
        must: list("must")?,
        should: list("should")?,
        must_not: list("must_not")?,
        min_should: None,
    })
}

fn condition(v: &Value) -> Translated<pb::Condition> {
    use pb::condition::ConditionOneOf as C;
    let one_of = if v.get("key").is_some() {
        C::Field(field_condition(v)?)
    } else if let Some(e) = v.get("is_empty") {
        known(v, &["is_empty"])?;
        C::IsEmpty(pb::IsEmptyCondition {
            key: string(&e["key"])?,
        })
    } else if let Some(n) = v.get("is_null") {
        known(v, &["is_null"])?;
        C::IsNull(pb::IsNullCondition {
            key: string(&n["key"])?,
        })
    } else if let Some(ids) = v.get("has_id") {
        known(v, &["has_id"])?;
        let ids = ids.as_array().ok_or(Untranslated("has_id".into()))?;
        C::HasId(pb::HasIdCondition {
            has_id: ids.iter().map(point_id).collect::<Translated<_>>()?,
        })
    } else if let Some(name) = v.get("has_vector") {
        known(v, &["has_vector"])?;
        C::HasVector(pb::HasVectorCondition {
            has_vector: string(name)?,
        })
    } else if let Some(nested) = v.get("nested") {
        known(v, &["nested"])?;
        known(nested, &["key", "filter"])?;
        C::Nested(pb::NestedCondition {
            key: string(&nested["key"])?,
            filter: Some(filter(&nested["filter"])?),
        })
    } else if ["must", "should", "must_not"]
        .iter()
        .any(|k| v.get(*k).is_some())
    {
        C::Filter(filter(v)?)
    } else {
        return untranslated(format!("condition {v}"));
    };
    Ok(pb::Condition {
        condition_one_of: Some(one_of),
    })
}

fn field_condition(v: &Value) -> Translated<pb::FieldCondition> {
    known(
        v,
        &[
            "key",
            "match",
            "range",
            "values_count",
            "is_empty",
            "is_null",
        ],
    )?;
    let mut out = pb::FieldCondition {
        key: string(&v["key"])?,
        r#match: optional(v.get("match"), match_value)?,
        is_empty: v.get("is_empty").and_then(Value::as_bool),
        is_null: v.get("is_null").and_then(Value::as_bool),
        ..Default::default()
    };
    if let Some(range) = v.get("range").filter(|r| !r.is_null()) {
        known(range, &["gt", "gte", "lt", "lte"])?;
        let bound = |k: &str| optional(range.get(k), float);
        out.range = Some(pb::Range {
            gt: bound("gt")?,
            gte: bound("gte")?,
            lt: bound("lt")?,
            lte: bound("lte")?,
        });
    }
    if let Some(count) = v.get("values_count").filter(|c| !c.is_null()) {
        known(count, &["gt", "gte", "lt", "lte"])?;
        let bound = |k: &str| optional(count.get(k), unsigned);
        out.values_count = Some(pb::ValuesCount {
            gt: bound("gt")?,
            gte: bound("gte")?,
            lt: bound("lt")?,
            lte: bound("lte")?,
        });
    }
    Ok(out)
}

fn match_value(v: &Value) -> Translated<pb::Match> {
    use pb::r#match::MatchValue as M;
    let strings = |items: &[Value]| -> Translated<pb::RepeatedStrings> {
        Ok(pb::RepeatedStrings {
            strings: items.iter().map(string).collect::<Translated<_>>()?,
        })
    };
    let integers = |items: &[Value]| -> Translated<pb::RepeatedIntegers> {
        Ok(pb::RepeatedIntegers {
            integers: items
                .iter()
                .map(|i| i.as_i64().ok_or(Untranslated("integer".into())))
                .collect::<Translated<_>>()?,
        })
    };
    let list = |key: &str| -> Translated<Vec<Value>> {
        v[key]
            .as_array()
            .cloned()
            .ok_or(Untranslated(format!("match {key}")))
    };
    let value = if let Some(value) = v.get("value") {
        known(v, &["value"])?;
        match value {
            Value::String(s) => M::Keyword(s.clone()),
            Value::Bool(b) => M::Boolean(*b),
            Value::Number(n) => M::Integer(n.as_i64().ok_or(Untranslated("match value".into()))?),
            _ => return untranslated("match value"),
        }
    } else if v.get("any").is_some() {
        known(v, &["any"])?;
        let items = list("any")?;
        if items.iter().all(Value::is_string) {
            M::Keywords(strings(&items)?)
        } else {
            M::Integers(integers(&items)?)
        }
    } else if v.get("except").is_some() {
        known(v, &["except"])?;
        let items = list("except")?;
        if items.iter().all(Value::is_string) {
            M::ExceptKeywords(strings(&items)?)
        } else {
            M::ExceptIntegers(integers(&items)?)
        }
    } else if let Some(text) = v.get("text") {
        known(v, &["text"])?;
        M::Text(string(text)?)
    } else if let Some(text) = v.get("phrase") {
        known(v, &["phrase"])?;
        M::Phrase(string(text)?)
    } else if let Some(text) = v.get("text_any") {
        known(v, &["text_any"])?;
        M::TextAny(string(text)?)
    } else {
        return untranslated(format!("match {v}"));
    };
    Ok(pb::Match {
        match_value: Some(value),
    })
}

fn with_payload(v: Option<&Value>) -> Translated<pb::WithPayloadSelector> {
    use pb::with_payload_selector::SelectorOptions as S;
    let option = match v {
        None | Some(Value::Null) => S::Enable(false),
        Some(Value::Bool(b)) => S::Enable(*b),
        Some(Value::Array(fields)) => S::Include(pb::PayloadIncludeSelector {
            fields: fields.iter().map(string).collect::<Translated<_>>()?,
        }),
        Some(Value::Object(m)) if m.len() == 1 && m.contains_key("include") => {
            S::Include(pb::PayloadIncludeSelector {
                fields: floatless_strings(&m["include"])?,
            })
        }
        Some(Value::Object(m)) if m.len() == 1 && m.contains_key("exclude") => {
            S::Exclude(pb::PayloadExcludeSelector {
                fields: floatless_strings(&m["exclude"])?,
            })
        }
        Some(other) => return untranslated(format!("with_payload {other}")),
    };
    Ok(pb::WithPayloadSelector {
        selector_options: Some(option),
    })
}

fn floatless_strings(v: &Value) -> Translated<Vec<String>> {
    match v {
        Value::String(s) => Ok(vec![s.clone()]),
        Value::Array(items) => items.iter().map(string).collect(),
        _ => untranslated("payload fields"),
    }
}

/// Whether a `with_payload` asks for any payload (gRPC cannot tell an
/// empty payload from none asked for; REST can, and the model keeps REST's).
fn wants_payload(selector: Option<&Value>) -> bool {
    !matches!(
        selector,
        None | Some(Value::Null) | Some(Value::Bool(false))
    )
}

fn with_vectors(v: Option<&Value>) -> Translated<Option<pb::WithVectorsSelector>> {
    use pb::with_vectors_selector::SelectorOptions as S;
    let option = match v {
        None | Some(Value::Null) => return Ok(None),
        Some(Value::Bool(b)) => S::Enable(*b),
        Some(Value::Array(names)) => S::Include(pb::VectorsSelector {
            names: names.iter().map(string).collect::<Translated<_>>()?,
        }),
        Some(other) => return untranslated(format!("with_vector {other}")),
    };
    Ok(Some(pb::WithVectorsSelector {
        selector_options: Some(option),
    }))
}

fn search_params(v: &Value) -> Translated<pb::SearchParams> {
    known(v, &["hnsw_ef", "exact", "indexed_only"])?;
    Ok(pb::SearchParams {
        hnsw_ef: optional(v.get("hnsw_ef"), unsigned)?,
        exact: v.get("exact").and_then(Value::as_bool),
        indexed_only: v.get("indexed_only").and_then(Value::as_bool),
        ..Default::default()
    })
}

/// Rows of floats: a multi-vector.
fn multi_dense(rows: &[Value]) -> Translated<pb::MultiDenseVector> {
    Ok(pb::MultiDenseVector {
        vectors: rows
            .iter()
            .map(|r| floats(r).map(|data| pb::DenseVector { data }))
            .collect::<Translated<_>>()?,
    })
}

/// `{"indices", "values"}`: a sparse vector.
fn sparse(v: &Value) -> Translated<pb::SparseVector> {
    known(v, &["indices", "values"])?;
    Ok(pb::SparseVector {
        indices: v["indices"]
            .as_array()
            .ok_or(Untranslated("indices".into()))?
            .iter()
            .map(|i| unsigned(i).map(|i| i as u32))
            .collect::<Translated<_>>()?,
        values: floats(&v["values"])?,
    })
}

// Queries are translated from the model's types, not from JSON: the query
// vector, the bulk of a request, goes straight into its message. The small
// parts that Qdrant's own types describe (filters, selectors, parameters)
// go through their JSON, as everywhere in this module.

fn dense(data: &[f32]) -> pb::DenseVector {
    pb::DenseVector {
        data: data.to_vec(),
    }
}

fn vector_input(v: &VectorInput) -> pb::VectorInput {
    use pb::vector_input::Variant;
    let variant = match v {
        VectorInput::Dense(data) => Variant::Dense(dense(data)),
        VectorInput::Sparse(s) => Variant::Sparse(pb::SparseVector {
            indices: s.indices.clone(),
            values: s.values.clone(),
        }),
        VectorInput::MultiDense(rows) => Variant::MultiDense(pb::MultiDenseVector {
            vectors: rows.iter().map(|r| dense(r)).collect(),
        }),
        VectorInput::Id(id) => Variant::Id(point_id_in(id)),
    };
    pb::VectorInput {
        variant: Some(variant),
    }
}

fn query(q: &Query) -> Translated<pb::Query> {
    use pb::query::Variant;
    let inputs = |list: &Option<Vec<VectorInput>>| {
        list.iter().flatten().map(vector_input).collect::<Vec<_>>()
    };
    let variant = match q {
        Query::Nearest { nearest, mmr: None } => Variant::Nearest(vector_input(nearest)),
        Query::Recommend(r) => Variant::Recommend(pb::RecommendInput {
            positive: inputs(&r.positive),
            negative: inputs(&r.negative),
            strategy: r.strategy.map(|s| match s {
                RecommendStrategy::AverageVector => pb::RecommendStrategy::AverageVector as i32,
                RecommendStrategy::BestScore => pb::RecommendStrategy::BestScore as i32,
                RecommendStrategy::SumScores => pb::RecommendStrategy::SumScores as i32,
            }),
        }),
        Query::Fusion(Fusion::Rrf) => Variant::Fusion(pb::Fusion::Rrf as i32),
        Query::Fusion(Fusion::Dbsf) => Variant::Fusion(pb::Fusion::Dbsf as i32),
        Query::Sample(Sample::Random) => Variant::Sample(pb::Sample::Random as i32),
        Query::Nearest { mmr: Some(_), .. }
        | Query::Discover(_)
        | Query::Context(_)
        | Query::OrderBy(_)
        | Query::Rrf(_) => return untranslated("query kind"),
    };
    Ok(pb::Query {
        variant: Some(variant),
    })
}

/// The parts of a query and of its prefetches alike.
fn filter_of(f: &Option<Filter>) -> Translated<Option<pb::Filter>> {
    f.as_ref().map(|f| filter(&to_json(f)?)).transpose()
}

fn params_of(p: &Option<SearchParams>) -> Translated<Option<pb::SearchParams>> {
    p.as_ref().map(|p| search_params(&to_json(p)?)).transpose()
}

fn prefetches(p: &Option<OneOrMany<Prefetch>>) -> Translated<Vec<pb::PrefetchQuery>> {
    p.iter().flat_map(|p| &p.0).map(prefetch).collect()
}

fn prefetch(p: &Prefetch) -> Translated<pb::PrefetchQuery> {
    if p.lookup_from.is_some() {
        return untranslated("lookup_from");
    }
    Ok(pb::PrefetchQuery {
        prefetch: prefetches(&p.prefetch)?,
        query: p.query.as_ref().map(query).transpose()?,
        using: p.using.clone(),
        filter: filter_of(&p.filter)?,
        params: params_of(&p.params)?,
        score_threshold: p.score_threshold,
        limit: p.limit.map(|l| l as u64),
        lookup_from: None,
    })
}

/// A query as Qdrant's message, and whether it asked for payloads.
fn query_points(collection: &str, r: &QueryRequest) -> Translated<(pb::QueryPoints, bool)> {
    if r.shard_key.is_some() || r.lookup_from.is_some() {
        return untranslated("shard_key or lookup_from");
    }
    let payload = to_json(&r.with_payload)?;
    let vectors = to_json(&r.with_vector)?;
    let message = pb::QueryPoints {
        collection_name: collection.to_owned(),
        prefetch: prefetches(&r.prefetch)?,
        query: r.query.as_ref().map(query).transpose()?,
        using: r.using.clone(),
        filter: filter_of(&r.filter)?,
        params: params_of(&r.params)?,
        score_threshold: r.score_threshold,
        limit: r.limit.map(|l| l as u64),
        offset: r.offset.map(|o| o as u64),
        with_vectors: with_vectors(Some(&vectors))?,
        with_payload: Some(with_payload(Some(&payload))?),
        ..Default::default()
    };
    Ok((message, wants_payload(Some(&payload))))
}

fn vector_in(v: &Value) -> Translated<pb::Vector> {
    use pb::vector::Vector;
    let vector = match v {
        Value::Array(rows) if rows.first().is_some_and(Value::is_array) => {
            Vector::MultiDense(multi_dense(rows)?)
        }
        Value::Array(_) => Vector::Dense(pb::DenseVector { data: floats(v)? }),
        Value::Object(_) => Vector::Sparse(sparse(v)?),
        _ => return untranslated("vector"),
    };
    Ok(pb::Vector {
        vector: Some(vector),
        ..Default::default()
    })
}

fn vectors_in(v: &Value) -> Translated<pb::Vectors> {
    use pb::vectors::VectorsOptions;
    let options = match v {
        // Named vectors: an object whose values are vectors (a sparse
        // vector alone has `indices`).
        Value::Object(named) if !named.contains_key("indices") => {
            VectorsOptions::Vectors(pb::NamedVectors {
                vectors: named
                    .iter()
                    .map(|(name, v)| Ok((name.clone(), vector_in(v)?)))
                    .collect::<Translated<_>>()?,
            })
        }
        one => VectorsOptions::Vector(vector_in(one)?),
    };
    Ok(pb::Vectors {
        vectors_options: Some(options),
    })
}

fn upsert_points(
    collection: &str,
    body: &impl serde::Serialize,
    wait: bool,
) -> Translated<pb::UpsertPoints> {
    let v = to_json(body)?;
    // `update_filter`: a tenant's upsert may only replace its own points.
    known(&v, &["points", "update_filter"])?;
    let points = v["points"]
        .as_array()
        .ok_or(Untranslated("points".into()))?
        .iter()
        .map(|p| {
            known(p, &["id", "vector", "payload"])?;
            let payload = match p.get("payload") {
                None | Some(Value::Null) => HashMap::new(),
                Some(Value::Object(map)) => map
                    .iter()
                    .map(|(k, v)| (k.clone(), pb::Value::from(v.clone())))
                    .collect(),
                Some(_) => return untranslated("payload"),
            };
            Ok(pb::PointStruct {
                id: Some(point_id(&p["id"])?),
                payload,
                vectors: Some(vectors_in(&p["vector"])?),
            })
        })
        .collect::<Translated<_>>()?;
    Ok(pb::UpsertPoints {
        collection_name: collection.to_owned(),
        wait: Some(wait),
        points,
        update_filter: optional(v.get("update_filter"), filter)?,
        ..Default::default()
    })
}

fn delete_points(
    collection: &str,
    body: &impl serde::Serialize,
    wait: bool,
) -> Translated<pb::DeletePoints> {
    use pb::points_selector::PointsSelectorOneOf as S;
    let v = to_json(body)?;
    known(&v, &["points", "filter"])?;
    let selector = match (
        v.get("points").filter(|p| !p.is_null()),
        v.get("filter").filter(|f| !f.is_null()),
    ) {
        (Some(ids), None) => S::Points(pb::PointsIdsList {
            ids: ids
                .as_array()
                .ok_or(Untranslated("points".into()))?
                .iter()
                .map(point_id)
                .collect::<Translated<_>>()?,
        }),
        (None, Some(f)) => S::Filter(filter(f)?),
        _ => return untranslated("delete selector"),
    };
    Ok(pb::DeletePoints {
        collection_name: collection.to_owned(),
        wait: Some(wait),
        points: Some(pb::PointsSelector {
            points_selector_one_of: Some(selector),
        }),
        ..Default::default()
    })
}

// --- responses ------------------------------------------------------------

fn payload(map: HashMap<String, pb::Value>, wanted: bool) -> Option<crate::model::Payload> {
    wanted
        .then(|| crate::model::Payload(map.into_iter().map(|(k, v)| (k, Value::from(v))).collect()))
}

fn vector_output(v: &pb::VectorOutput) -> Translated<Value> {
    #[allow(deprecated)]
    let data = &v.data;
    use pb::vector_output::Vector;
    Ok(match &v.vector {
        Some(Vector::Dense(d)) => json!(d.data),
        Some(Vector::Sparse(s)) => json!({"indices": s.indices, "values": s.values}),
        Some(Vector::MultiDense(m)) => {
            json!(m.vectors.iter().map(|d| &d.data).collect::<Vec<_>>())
        }
        // Servers before the `vector` field fill the deprecated ones.
        #[allow(deprecated)]
        None => match (&v.indices, v.vectors_count) {
            (Some(indices), _) => json!({"indices": indices.data, "values": data}),
            (None, Some(rows)) if rows > 0 => {
                let width = data.len() / rows as usize;
                json!(data.chunks(width.max(1)).collect::<Vec<_>>())
            }
            _ => json!(data),
        },
    })
}

fn vectors(
    v: Option<&pb::VectorsOutput>,
) -> Translated<Option<qdrant_edge::VectorStructPersisted>> {
    use pb::vectors_output::VectorsOptions;
    let value = match v.and_then(|v| v.vectors_options.as_ref()) {
        None => return Ok(None),
        Some(VectorsOptions::Vector(one)) => vector_output(one)?,
        Some(VectorsOptions::Vectors(named)) => Value::Object(
            named
                .vectors
                .iter()
                .map(|(name, v)| Ok((name.clone(), vector_output(v)?)))
                .collect::<Translated<_>>()?,
        ),
    };
    serde_json::from_value(value)
        .map(Some)
        .map_err(|e| Untranslated(e.to_string()))
}

fn scored_point(p: pb::ScoredPoint, wants_payload: bool) -> Translated<ScoredPoint> {
    if p.shard_key.is_some() || p.order_value.is_some() {
        return untranslated("shard keys and order values");
    }
    Ok(ScoredPoint {
        id: point_id_out(p.id.as_ref().ok_or(Untranslated("point id".into()))?)?,
        version: p.version,
        score: p.score,
        payload: payload(p.payload, wants_payload),
        vector: vectors(p.vectors.as_ref())?,
        shard_key: None,
        order_value: None,
    })
}

/// Points read by id or scroll, as the model's records.
fn records(points: Vec<pb::RetrievedPoint>, wants_payload: bool) -> Translated<Vec<Record>> {
    points
        .into_iter()
        .map(|p| retrieved(p, wants_payload))
        .collect()
}

fn retrieved(p: pb::RetrievedPoint, wants_payload: bool) -> Translated<Record> {
    if p.shard_key.is_some() || p.order_value.is_some() {
        return untranslated("shard keys and order values");
    }
    Ok(Record {
        id: point_id_out(p.id.as_ref().ok_or(Untranslated("point id".into()))?)?,
        payload: payload(p.payload, wants_payload),
        vector: vectors(p.vectors.as_ref())?,
        shard_key: None,
        order_value: None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_tenant_filter_translates_whole_or_not_at_all() {
        let tenant = json!({"must": [
            {"key": "tenant_id", "match": {"value": "acme"}},
            {"should": [{"key": "n", "range": {"gte": 1.5}}, {"has_id": [1, "6f1c1b8e-9d1e-4b7a-8a52-1a2b3c4d5e6f"]}]}
        ]});
        let f = filter(&tenant).unwrap();
        assert_eq!(f.must.len(), 2);
        let pb::condition::ConditionOneOf::Field(field) =
            f.must[0].condition_one_of.as_ref().unwrap()
        else {
            panic!("field condition");
        };
        assert_eq!(field.key, "tenant_id");
        assert_eq!(
            field.r#match.as_ref().unwrap().match_value,
            Some(pb::r#match::MatchValue::Keyword("acme".into()))
        );
        // One condition it does not know sends the whole request to REST.
        let geo = json!({"must": [
            {"key": "tenant_id", "match": {"value": "acme"}},
            {"key": "at", "geo_radius": {"center": {"lon": 0.0, "lat": 0.0}, "radius": 1.0}}
        ]});
        assert!(filter(&geo).is_err());
        let min_should = json!({"must": [], "min_should": {"conditions": [], "min_count": 1}});
        assert!(filter(&min_should).is_err());
    }

    #[test]
    fn queries_translate_or_fall_back() {
        let parse = |v: Value| -> QueryRequest { serde_json::from_value(v).unwrap() };
        let q = parse(
            json!({"query": [0.5, 0.25], "limit": 3, "with_payload": ["text"],
                       "filter": {"must": [{"key": "tenant_id", "match": {"value": "t"}}]}}),
        );
        let (p, payload) = query_points("docs", &q).unwrap();
        assert_eq!(p.limit, Some(3));
        assert!(payload);
        let pb::query::Variant::Nearest(nearest) = p.query.unwrap().variant.unwrap() else {
            panic!("a nearest query");
        };
        assert_eq!(
            nearest.variant,
            Some(pb::vector_input::Variant::Dense(pb::DenseVector {
                data: vec![0.5, 0.25]
            }))
        );
        let must = &p.filter.unwrap().must;
        assert_eq!(must.len(), 1);
        let (_, payload) = query_points("docs", &parse(json!({"query": 7}))).unwrap();
        assert!(!payload);
        for untranslated in [
            json!({"query": {"order_by": "n"}}),
            json!({"query": {"nearest": [1.0], "mmr": {"diversity": 0.5}}}),
            json!({"lookup_from": {"collection": "x"}}),
            json!({"prefetch": {"query": [1.0], "lookup_from": {"collection": "x"}}}),
            json!({"query": [1.0], "filter": {"must": [{"key": "g", "geo_radius": {"center": {"lon": 1.0, "lat": 2.0}, "radius": 5.0}}]}}),
        ] {
            assert!(
                query_points("docs", &parse(untranslated.clone())).is_err(),
                "{untranslated}"
            );
        }
    }

    #[test]
    fn point_ids_translate_both_ways() {
        let uuid: PointId = "6f1c1b8e-9d1e-4b7a-8a52-1a2b3c4d5e6f".parse().unwrap();
        for id in [PointId::NumId(42), uuid] {
            assert_eq!(point_id_out(&point_id_in(&id)).unwrap(), id);
        }
        let not_a_uuid = pb::PointId {
            point_id_options: Some(pb::point_id::PointIdOptions::Uuid("12".into())),
        };
        assert!(point_id_out(&not_a_uuid).is_err());
    }
}
