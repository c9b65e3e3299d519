//! Point reads: the universal query API, its legacy forms (search,
//! recommend), retrieve, scroll, count and facet.
//!
//! Qdrant's query input is a chain of untagged enums whose first matching
//! variant wins; a proxy that guesses differently from Qdrant is bypassed.
//! Here every polymorphic value is read from JSON by hand, by its one
//! discriminating key, and anything ambiguous is an error.

use serde::de::{Error as _, MapAccess, SeqAccess, Visitor};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::{json, Map, Value};

use super::{
    Filter, JsonPath, OrderByInterface, PointId, SearchParams, ShardKeySelector, SparseVector,
    WithPayloadInterface, WithVector,
};

/// One value, or a list of them (`prefetch`, `context`).
#[derive(Debug, Clone, PartialEq)]
pub struct OneOrMany<T>(pub Vec<T>);

impl<'de, T: Deserialize<'de>> Deserialize<'de> for OneOrMany<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        match Value::deserialize(d)? {
            v @ Value::Array(_) => Vec::<T>::deserialize(v).map(OneOrMany),
            v => T::deserialize(v).map(|one| OneOrMany(vec![one])),
        }
        .map_err(D::Error::custom)
    }
}

impl<T: Serialize> Serialize for OneOrMany<T> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.0.serialize(s)
    }
}

/// A vector given as a query or an example: raw, or a point id whose stored
/// vector is used.
#[derive(Debug, Clone, PartialEq)]
pub enum VectorInput {
    Dense(Vec<f32>),
    Sparse(SparseVector),
    MultiDense(Vec<Vec<f32>>),
    Id(PointId),
}

impl<'de> Deserialize<'de> for VectorInput {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        // Visited, not read into a `Value` first: a 384-number vector is the
        // bulk of a query body, and is parsed straight into its `f32`s.
        d.deserialize_any(VectorInputVisitor)
    }
}

struct VectorInputVisitor;

impl VectorInputVisitor {
    fn point_id<E: serde::de::Error>(value: Value) -> Result<VectorInput, E> {
        PointId::deserialize(value)
            .map(VectorInput::Id)
            .map_err(|e| E::custom(format!("invalid point id: {e}")))
    }
}

impl<'de> Visitor<'de> for VectorInputVisitor {
    type Value = VectorInput;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("a vector, a sparse vector or a point id")
    }

    fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<VectorInput, E> {
        Self::point_id(Value::from(v))
    }

    fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<VectorInput, E> {
        Self::point_id(Value::from(v))
    }

    fn visit_f64<E: serde::de::Error>(self, v: f64) -> Result<VectorInput, E> {
        Self::point_id(Value::from(v))
    }

    fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<VectorInput, E> {
        Self::point_id(Value::from(v))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<VectorInput, A::Error> {
        // Dense, unless the first element is itself a list (multi-vector).
        match seq.next_element::<Element>()? {
            None => Ok(VectorInput::Dense(Vec::new())),
            Some(Element::Number(x)) => {
                let mut dense = Vec::with_capacity(seq.size_hint().unwrap_or(0) + 1);
                dense.push(x);
                while let Some(x) = seq.next_element::<f32>()? {
                    dense.push(x);
                }
                Ok(VectorInput::Dense(dense))
            }
            Some(Element::List(first)) => {
                let mut multi = vec![first];
                while let Some(v) = seq.next_element::<Vec<f32>>()? {
                    multi.push(v);
                }
                Ok(VectorInput::MultiDense(multi))
            }
        }
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<VectorInput, A::Error> {
        let map = Map::deserialize(serde::de::value::MapAccessDeserializer::new(map))?;
        if !map.contains_key("indices") {
            return Err(A::Error::custom(
                "documents, images and inference objects are not supported: send vectors",
            ));
        }
        if let Some(k) = map.keys().find(|k| *k != "indices" && *k != "values") {
            return Err(A::Error::custom(format!(
                "unknown field `{k}` in sparse vector"
            )));
        }
        SparseVector::deserialize(Value::Object(map))
            .map(VectorInput::Sparse)
            .map_err(A::Error::custom)
    }
}

/// The first element of a vector: a number (dense) or a list (multi-vector).
enum Element {
    Number(f32),
    List(Vec<f32>),
}

impl<'de> Deserialize<'de> for Element {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct ElementVisitor;
        impl<'de> Visitor<'de> for ElementVisitor {
            type Value = Element;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("f32 or a list of f32")
            }
            fn visit_f64<E>(self, v: f64) -> Result<Element, E> {
                Ok(Element::Number(v as f32))
            }
            fn visit_i64<E>(self, v: i64) -> Result<Element, E> {
                Ok(Element::Number(v as f32))
            }
            fn visit_u64<E>(self, v: u64) -> Result<Element, E> {
                Ok(Element::Number(v as f32))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Element, A::Error> {
                let mut list = Vec::with_capacity(seq.size_hint().unwrap_or(0));
                while let Some(x) = seq.next_element::<f32>()? {
                    list.push(x);
                }
                Ok(Element::List(list))
            }
        }
        d.deserialize_any(ElementVisitor)
    }
}

impl Serialize for VectorInput {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            VectorInput::Dense(v) => v.serialize(s),
            VectorInput::Sparse(v) => v.serialize(s),
            VectorInput::MultiDense(v) => v.serialize(s),
            VectorInput::Id(id) => id.serialize(s),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RecommendStrategy {
    AverageVector,
    BestScore,
    SumScores,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RecommendInput {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub positive: Option<Vec<VectorInput>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub negative: Option<Vec<VectorInput>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub strategy: Option<RecommendStrategy>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ContextPair {
    pub positive: VectorInput,
    pub negative: VectorInput,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DiscoverInput {
    pub target: VectorInput,
    pub context: OneOrMany<ContextPair>,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Mmr {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub diversity: Option<f32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub candidates_limit: Option<usize>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Fusion {
    Rrf,
    Dbsf,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Rrf {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub k: Option<usize>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub weights: Option<Vec<f32>>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Sample {
    Random,
}

/// The `query` of a query request or prefetch.
#[derive(Debug, Clone, PartialEq)]
pub enum Query {
    Nearest {
        nearest: VectorInput,
        mmr: Option<Mmr>,
    },
    Recommend(RecommendInput),
    Discover(DiscoverInput),
    Context(Vec<ContextPair>),
    OrderBy(OrderByInterface),
    Fusion(Fusion),
    Rrf(Rrf),
    Sample(Sample),
}

impl Query {
    /// Every point id this query uses as a vector.
    pub fn point_ids(&self) -> Vec<PointId> {
        let mut ids = Vec::new();
        let mut push = |v: &VectorInput| {
            if let VectorInput::Id(id) = v {
                ids.push(*id);
            }
        };
        match self {
            Query::Nearest { nearest, .. } => push(nearest),
            Query::Recommend(r) => {
                r.positive
                    .iter()
                    .chain(&r.negative)
                    .flatten()
                    .for_each(push);
            }
            Query::Discover(d) => {
                push(&d.target);
                d.context.0.iter().for_each(|p| {
                    push(&p.positive);
                    push(&p.negative);
                });
            }
            Query::Context(pairs) => pairs.iter().for_each(|p| {
                push(&p.positive);
                push(&p.negative);
            }),
            Query::OrderBy(_) | Query::Fusion(_) | Query::Rrf(_) | Query::Sample(_) => {}
        }
        ids
    }
}

fn from_field<T: for<'de> Deserialize<'de>, E: serde::de::Error>(
    map: &mut Map<String, Value>,
    key: &str,
) -> Result<T, E> {
    T::deserialize(map.remove(key).unwrap_or(Value::Null))
        .map_err(|e| E::custom(format!("invalid `{key}`: {e}")))
}

impl<'de> Deserialize<'de> for Query {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(QueryVisitor)
    }
}

/// A bare vector or point id is a nearest query; an object names its kind.
struct QueryVisitor;

impl QueryVisitor {
    fn nearest<E>(nearest: Result<VectorInput, E>) -> Result<Query, E> {
        nearest.map(|nearest| Query::Nearest { nearest, mmr: None })
    }
}

impl<'de> Visitor<'de> for QueryVisitor {
    type Value = Query;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("a query")
    }

    fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<Query, E> {
        Self::nearest(VectorInputVisitor.visit_u64(v))
    }

    fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<Query, E> {
        Self::nearest(VectorInputVisitor.visit_i64(v))
    }

    fn visit_f64<E: serde::de::Error>(self, v: f64) -> Result<Query, E> {
        Self::nearest(VectorInputVisitor.visit_f64(v))
    }

    fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Query, E> {
        Self::nearest(VectorInputVisitor.visit_str(v))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Query, A::Error> {
        Self::nearest(VectorInputVisitor.visit_seq(seq))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut access: A) -> Result<Query, A::Error> {
        // `nearest` (the vector, the bulk of the body) is parsed as it comes;
        // the rest of the object is small and judged as a whole below.
        let mut map = Map::new();
        let mut nearest = None;
        while let Some(key) = access.next_key::<String>()? {
            if key == "nearest" {
                let v = access
                    .next_value::<VectorInput>()
                    .map_err(|e| A::Error::custom(format!("invalid `nearest`: {e}")))?;
                nearest = Some(v);
                map.insert(key, Value::Null);
            } else {
                let v = access.next_value::<Value>()?;
                map.insert(key, v);
            }
        }
        Query::from_map(map, nearest)
    }
}

impl Query {
    fn from_map<E: serde::de::Error>(
        mut map: Map<String, Value>,
        nearest: Option<VectorInput>,
    ) -> Result<Query, E> {
        if map.contains_key("indices") {
            return VectorInput::deserialize(Value::Object(map))
                .map(|nearest| Query::Nearest { nearest, mmr: None })
                .map_err(E::custom);
        }
        const KINDS: [&str; 11] = [
            "nearest",
            "recommend",
            "discover",
            "context",
            "order_by",
            "fusion",
            "rrf",
            "sample",
            "formula",
            "relevance_feedback",
            "mmr",
        ];
        let kinds: Vec<&str> = KINDS.into_iter().filter(|k| map.contains_key(*k)).collect();
        let allowed_extra: &[&str] = match kinds.as_slice() {
            ["nearest", "mmr"] => &["nearest", "mmr"],
            [one] => std::slice::from_ref(one),
            [] => return Err(E::custom("unknown query variant")),
            _ => return Err(E::custom("a query must have exactly one kind")),
        };
        if let Some(k) = map.keys().find(|k| !allowed_extra.contains(&k.as_str())) {
            return Err(E::custom(format!("unknown field `{k}` in query")));
        }
        match kinds[0] {
            "nearest" => Ok(Query::Nearest {
                nearest: match nearest {
                    Some(nearest) => nearest,
                    None => from_field(&mut map, "nearest")?,
                },
                mmr: from_field(&mut map, "mmr")?,
            }),
            "recommend" => from_field(&mut map, "recommend").map(Query::Recommend),
            "discover" => from_field(&mut map, "discover").map(Query::Discover),
            "context" => from_field::<OneOrMany<ContextPair>, _>(&mut map, "context")
                .map(|c| Query::Context(c.0)),
            "order_by" => from_field(&mut map, "order_by").map(Query::OrderBy),
            "fusion" => from_field(&mut map, "fusion").map(Query::Fusion),
            "rrf" => from_field(&mut map, "rrf").map(Query::Rrf),
            "sample" => from_field(&mut map, "sample").map(Query::Sample),
            other => Err(E::custom(format!("`{other}` queries are not supported"))),
        }
    }
}

impl Serialize for Query {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::Error as _;
        let to = |v: &dyn erased::Ser| v.to_value().map_err(S::Error::custom);
        let value = match self {
            Query::Nearest { nearest, mmr } => {
                let mut m = Map::new();
                m.insert("nearest".into(), to(nearest)?);
                if let Some(mmr) = mmr {
                    m.insert("mmr".into(), to(mmr)?);
                }
                Value::Object(m)
            }
            Query::Recommend(r) => json!({ "recommend": to(r)? }),
            Query::Discover(d) => json!({ "discover": to(d)? }),
            Query::Context(c) => json!({ "context": to(c)? }),
            Query::OrderBy(o) => json!({ "order_by": to(o)? }),
            Query::Fusion(f) => json!({ "fusion": to(f)? }),
            Query::Rrf(r) => json!({ "rrf": to(r)? }),
            Query::Sample(x) => json!({ "sample": to(x)? }),
        };
        value.serialize(s)
    }
}

/// A tiny object-safe shim so `Query::serialize` can treat its parts alike.
mod erased {
    pub trait Ser {
        fn to_value(&self) -> serde_json::Result<serde_json::Value>;
    }
    impl<T: serde::Serialize> Ser for T {
        fn to_value(&self) -> serde_json::Result<serde_json::Value> {
            serde_json::to_value(self)
        }
    }
}

/// Where ids in a query are looked up, when not in the queried collection.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LookupLocation {
    pub collection: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vector: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub shard_key: Option<ShardKeySelector>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Prefetch {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub prefetch: Option<OneOrMany<Prefetch>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub query: Option<Query>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub using: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub filter: Option<Filter>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub params: Option<SearchParams>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub score_threshold: Option<f32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub limit: Option<usize>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lookup_from: Option<LookupLocation>,
}

/// `POST /collections/{c}/points/query` body (`QueryRequest`).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct QueryRequest {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub shard_key: Option<ShardKeySelector>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub prefetch: Option<OneOrMany<Prefetch>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub query: Option<Query>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub using: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub filter: Option<Filter>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub params: Option<SearchParams>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub score_threshold: Option<f32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub limit: Option<usize>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub offset: Option<usize>,
    #[serde(
        default,
        alias = "with_vectors",
        skip_serializing_if = "Option::is_none"
    )]
    pub with_vector: Option<WithVector>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub with_payload: Option<WithPayloadInterface>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lookup_from: Option<LookupLocation>,
}

/// Every `lookup_from` of a request (its own and its prefetch tree's).
pub fn lookups_mut<'a>(
    lookup_from: &'a mut Option<LookupLocation>,
    prefetch: &'a mut Option<OneOrMany<Prefetch>>,
) -> Vec<&'a mut LookupLocation> {
    fn walk<'a>(prefetches: &'a mut [Prefetch], out: &mut Vec<&'a mut LookupLocation>) {
        for p in prefetches {
            if let Some(l) = &mut p.lookup_from {
                out.push(l);
            }
            if let Some(inner) = &mut p.prefetch {
                walk(&mut inner.0, out);
            }
        }
    }
    let mut out = Vec::new();
    if let Some(l) = lookup_from {
        out.push(l);
    }
    if let Some(p) = prefetch {
        walk(&mut p.0, &mut out);
    }
    out
}

/// `{"searches": [...]}` for the batch endpoints.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Batch<T> {
    pub searches: Vec<T>,
}

/// `with_lookup` in group queries: a collection name, or a full selector.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum WithLookup {
    Collection(String),
    Full(WithLookupFull),
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WithLookupFull {
    pub collection: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub with_payload: Option<WithPayloadInterface>,
    #[serde(
        default,
        alias = "with_vector",
        skip_serializing_if = "Option::is_none"
    )]
    pub with_vectors: Option<WithVector>,
}

/// `POST /collections/{c}/points/query/groups` body.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct QueryGroupsRequest {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub shard_key: Option<ShardKeySelector>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub prefetch: Option<OneOrMany<Prefetch>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub query: Option<Query>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub using: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub filter: Option<Filter>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub params: Option<SearchParams>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub score_threshold: Option<f32>,
    #[serde(
        default,
        alias = "with_vectors",
        skip_serializing_if = "Option::is_none"
    )]
    pub with_vector: Option<WithVector>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub with_payload: Option<WithPayloadInterface>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lookup_from: Option<LookupLocation>,
    pub group_by: JsonPath,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub group_size: Option<usize>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub limit: Option<usize>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub with_lookup: Option<WithLookup>,
}

impl QueryGroupsRequest {
    /// The query part, without grouping.
    pub fn query_request(&self) -> QueryRequest {
        QueryRequest {
            shard_key: self.shard_key.clone(),
            prefetch: self.prefetch.clone(),
            query: self.query.clone(),
            using: self.using.clone(),
            filter: self.filter.clone(),
            params: self.params,
            score_threshold: self.score_threshold,
            limit: None,
            offset: None,
            with_vector: self.with_vector.clone(),
            with_payload: self.with_payload.clone(),
            lookup_from: self.lookup_from.clone(),
        }
    }
}

/// The legacy `vector` of a search: unnamed, or `{"name", "vector"}`.
#[derive(Debug, Clone, PartialEq)]
pub struct NamedVector {
    pub name: Option<String>,
    pub vector: VectorInput,
}

impl<'de> Deserialize<'de> for NamedVector {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let value = Value::deserialize(d)?;
        match value {
            Value::Object(mut map) if map.contains_key("name") => {
                if let Some(k) = map.keys().find(|k| *k != "name" && *k != "vector") {
                    return Err(D::Error::custom(format!(
                        "unknown field `{k}` in named vector"
                    )));
                }
                let name: String = from_field(&mut map, "name")?;
                let vector: VectorInput = from_field(&mut map, "vector")?;
                if matches!(vector, VectorInput::Id(_)) {
                    return Err(D::Error::custom("search needs a vector, not a point id"));
                }
                Ok(NamedVector {
                    name: Some(name),
                    vector,
                })
            }
            other => {
                let vector = VectorInput::deserialize(other).map_err(D::Error::custom)?;
                if matches!(vector, VectorInput::Id(_)) {
                    return Err(D::Error::custom("search needs a vector, not a point id"));
                }
                Ok(NamedVector { name: None, vector })
            }
        }
    }
}

impl Serialize for NamedVector {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match &self.name {
            None => self.vector.serialize(s),
            Some(name) => json!({ "name": name, "vector": self.vector }).serialize(s),
        }
    }
}

/// Legacy `POST /collections/{c}/points/search` body.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SearchRequest {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub shard_key: Option<ShardKeySelector>,
    pub vector: NamedVector,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub filter: Option<Filter>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub params: Option<SearchParams>,
    #[serde(alias = "top")]
    pub limit: usize,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub offset: Option<usize>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub with_payload: Option<WithPayloadInterface>,
    #[serde(
        default,
        alias = "with_vectors",
        skip_serializing_if = "Option::is_none"
    )]
    pub with_vector: Option<WithVector>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub score_threshold: Option<f32>,
}

impl From<SearchRequest> for QueryRequest {
    fn from(r: SearchRequest) -> Self {
        QueryRequest {
            shard_key: r.shard_key,
            query: Some(Query::Nearest {
                nearest: r.vector.vector,
                mmr: None,
            }),
            using: r.vector.name,
            filter: r.filter,
            params: r.params,
            score_threshold: r.score_threshold,
            limit: Some(r.limit),
            offset: r.offset,
            with_vector: r.with_vector,
            with_payload: r.with_payload,
            ..QueryRequest::default()
        }
    }
}

/// Legacy `POST /collections/{c}/points/recommend` body.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RecommendRequest {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub shard_key: Option<ShardKeySelector>,
    #[serde(default)]
    pub positive: Vec<VectorInput>,
    #[serde(default)]
    pub negative: Vec<VectorInput>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub strategy: Option<RecommendStrategy>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub filter: Option<Filter>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub params: Option<SearchParams>,
    #[serde(alias = "top")]
    pub limit: usize,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub offset: Option<usize>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub with_payload: Option<WithPayloadInterface>,
    #[serde(
        default,
        alias = "with_vectors",
        skip_serializing_if = "Option::is_none"
    )]
    pub with_vector: Option<WithVector>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub score_threshold: Option<f32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub using: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lookup_from: Option<LookupLocation>,
}

impl From<RecommendRequest> for QueryRequest {
    fn from(r: RecommendRequest) -> Self {
        QueryRequest {
            shard_key: r.shard_key,
            query: Some(Query::Recommend(RecommendInput {
                positive: Some(r.positive),
                negative: Some(r.negative),
                strategy: r.strategy,
            })),
            using: r.using,
            filter: r.filter,
            params: r.params,
            score_threshold: r.score_threshold,
            limit: Some(r.limit),
            offset: r.offset,
            with_vector: r.with_vector,
            with_payload: r.with_payload,
            lookup_from: r.lookup_from,
            prefetch: None,
        }
    }
}

/// `POST /collections/{c}/points` body (`PointRequest`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PointRequest {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub shard_key: Option<ShardKeySelector>,
    pub ids: Vec<PointId>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub with_payload: Option<WithPayloadInterface>,
    #[serde(
        default,
        alias = "with_vectors",
        skip_serializing_if = "Option::is_none"
    )]
    pub with_vector: Option<WithVector>,
}

/// `POST /collections/{c}/points/scroll` body.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ScrollRequest {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub shard_key: Option<ShardKeySelector>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub offset: Option<PointId>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub limit: Option<usize>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub filter: Option<Filter>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub with_payload: Option<WithPayloadInterface>,
    #[serde(
        default,
        alias = "with_vectors",
        skip_serializing_if = "Option::is_none"
    )]
    pub with_vector: Option<WithVector>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub order_by: Option<OrderByInterface>,
}

/// `POST /collections/{c}/points/count` body.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CountRequest {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub shard_key: Option<ShardKeySelector>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub filter: Option<Filter>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub exact: Option<bool>,
}

/// `POST /collections/{c}/facet` body.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FacetRequest {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub shard_key: Option<ShardKeySelector>,
    pub key: JsonPath,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub limit: Option<usize>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub filter: Option<Filter>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub exact: Option<bool>,
}
