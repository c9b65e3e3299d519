//! The remote backend: a real Qdrant (single node or cluster) over REST.
//!
//! Requests arrive already checked and rewritten; this module re-serialises
//! the model (never the caller's bytes) to Qdrant's REST API with the
//! upstream API key, which only ragwall holds. Connections are pooled by
//! `reqwest`; every request has a deadline. Failures come back in Qdrant's
//! shape: the upstream's own 4xx messages are passed on (they describe the
//! caller's request), anything else becomes 502 or 504 without internals.
//! Writes are never retried: a retry could apply twice.

use std::collections::HashMap;
use std::time::{Duration, Instant};

use async_trait::async_trait;
use reqwest::{Method, StatusCode, Url};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::upstream_grpc::{Forwarded, GrpcUpstream};
use super::Backend;
use crate::config::Upstream;
use crate::error::{Error, Result};
use crate::model::collection::{
    CollectionExistence, CollectionInfo, CollectionsList, CreateCollection, CreateFieldIndex,
};
use crate::model::output::{
    CountResult, FacetResponse, GroupsResult, QueryResponse, Record, ScrollResult, UpdateResult,
};
use crate::model::points::PointsUpdate;
use crate::model::query::{
    Batch, CountRequest, FacetRequest, PointRequest, QueryGroupsRequest, QueryRequest,
    ScrollRequest,
};

pub struct Remote {
    base: Url,
    client: reqwest::Client,
    /// The upstream's gRPC port, when configured: the hot reads go there.
    grpc: Option<GrpcUpstream>,
    /// Aliases as last read, and when: re-read after [`ALIAS_TTL`].
    aliases: parking_lot::Mutex<Option<AliasRead>>,
}

/// The upstream's aliases (alias → collection) and when they were read.
type AliasRead = (Instant, HashMap<String, String>);

/// How long a read of the upstream's aliases is trusted.
const ALIAS_TTL: Duration = Duration::from_secs(2);

#[derive(Deserialize)]
struct AliasList {
    aliases: Vec<AliasDescription>,
}

#[derive(Deserialize)]
struct AliasDescription {
    alias_name: String,
    collection_name: String,
}

/// Qdrant's envelope, either way.
#[derive(Deserialize)]
struct Envelope<T> {
    result: Option<T>,
    status: Value,
}

impl Remote {
    pub fn new(upstream: &Upstream) -> anyhow::Result<Self> {
        let base = Url::parse(&upstream.url)?;
        let mut headers = reqwest::header::HeaderMap::new();
        if let Some(key) = &upstream.api_key {
            let mut value = reqwest::header::HeaderValue::from_str(key.expose())?;
            value.set_sensitive(true);
            headers.insert("api-key", value);
        }
        let client = reqwest::Client::builder()
            .default_headers(headers)
            .timeout(Duration::from_secs(upstream.timeout_secs))
            .connect_timeout(Duration::from_secs(upstream.connect_timeout_secs))
            .pool_idle_timeout(Duration::from_secs(90))
            .build()?;
        let grpc = match &upstream.grpc_url {
            Some(url) => Some(GrpcUpstream::new(url, upstream)?),
            None => None,
        };
        Ok(Self {
            base,
            client,
            grpc,
            aliases: parking_lot::Mutex::new(None),
        })
    }

    /// `base/segments…`, each segment percent-encoded (collection names
    /// cannot smuggle `/` or `..` into the upstream path).
    fn url(&self, segments: &[&str], wait: Option<bool>) -> Result<Url> {
        let mut url = self.base.clone();
        url.path_segments_mut()
            .map_err(|_| Error::internal("upstream url", "cannot be a base"))?
            .pop_if_empty()
            .extend(segments);
        if let Some(wait) = wait {
            url.query_pairs_mut()
                .append_pair("wait", if wait { "true" } else { "false" });
        }
        Ok(url)
    }

    async fn call<T: DeserializeOwned>(
        &self,
        method: Method,
        url: Url,
        body: Option<&(impl Serialize + Sync)>,
    ) -> Result<T> {
        let mut request = self.client.request(method, url);
        if let Some(body) = body {
            request = request.json(body);
        }
        let (status, bytes) = super::waiting(async {
            let response = request.send().await.map_err(transport_error)?;
            let status = response.status();
            Ok::<_, Error>((status, response.bytes().await.map_err(transport_error)?))
        })
        .await?;
        let envelope: Option<Envelope<T>> = serde_json::from_slice(&bytes).ok();
        if status.is_success() {
            return envelope.and_then(|e| e.result).ok_or_else(|| {
                Error::Upstream("the upstream answered in an unexpected shape".into())
            });
        }
        let message = envelope
            .as_ref()
            .and_then(|e| e.status.get("error"))
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_owned();
        Err(upstream_error(status, message))
    }

    /// Tries the gRPC port first, when there is one: its answer stands,
    /// unless the request (or its answer) does not translate.
    async fn over_grpc<'a, T, F>(
        &'a self,
        call: impl FnOnce(&'a GrpcUpstream) -> F,
    ) -> Option<Result<T>>
    where
        F: std::future::Future<Output = Forwarded<T>> + 'a,
    {
        match call(self.grpc.as_ref()?).await {
            Forwarded::Done(result) => Some(result),
            Forwarded::UseRest(why) => {
                tracing::debug!(reason = %why.0, "forwarded over REST: not translated to gRPC");
                None
            }
        }
    }

    async fn get<T: DeserializeOwned>(&self, url: Url) -> Result<T> {
        self.call(Method::GET, url, None::<&()>).await
    }
}

fn transport_error(err: reqwest::Error) -> Error {
    tracing::warn!(error = %err, "upstream request failed");
    if err.is_timeout() {
        Error::UpstreamTimeout("the upstream did not answer in time".into())
    } else {
        Error::Upstream("the upstream is unreachable".into())
    }
}

/// The upstream's refusal, as the client should see it.
fn upstream_error(status: StatusCode, message: String) -> Error {
    // Qdrant's own messages carry their prefix ("Not found: …"); keep the rest.
    let strip = |prefix: &str| message.strip_prefix(prefix).unwrap_or(&message).to_owned();
    match status {
        StatusCode::NOT_FOUND => Error::NotFound(strip("Not found: ")),
        StatusCode::CONFLICT => Error::AlreadyExists(strip("Wrong input: ")),
        StatusCode::BAD_REQUEST | StatusCode::UNPROCESSABLE_ENTITY => {
            Error::BadInput(strip("Wrong input: "))
        }
        StatusCode::REQUEST_TIMEOUT | StatusCode::GATEWAY_TIMEOUT => {
            Error::UpstreamTimeout("the upstream did not answer in time".into())
        }
        StatusCode::UNAUTHORIZED | StatusCode::FORBIDDEN => {
            tracing::error!(%status, "the upstream refused ragwall's credential");
            Error::Upstream("the upstream refused ragwall's credential".into())
        }
        other => {
            tracing::warn!(status = %other, %message, "upstream error");
            Error::Upstream(format!(
                "the upstream failed with status {}",
                other.as_u16()
            ))
        }
    }
}

#[async_trait]
impl Backend for Remote {
    async fn ready(&self) -> bool {
        match self.url(&["readyz"], None) {
            Ok(url) => self
                .client
                .get(url)
                .send()
                .await
                .is_ok_and(|r| r.status().is_success()),
            Err(_) => false,
        }
    }

    async fn list_collections(&self) -> Result<Vec<String>> {
        let list: CollectionsList = self.get(self.url(&["collections"], None)?).await?;
        Ok(list.collections.into_iter().map(|c| c.name).collect())
    }

    async fn aliases(&self) -> Result<HashMap<String, String>> {
        if let Some((at, map)) = self.aliases.lock().as_ref() {
            if at.elapsed() < ALIAS_TTL {
                return Ok(map.clone());
            }
        }
        let list: AliasList = self.get(self.url(&["aliases"], None)?).await?;
        let map: HashMap<String, String> = list
            .aliases
            .into_iter()
            .map(|a| (a.alias_name, a.collection_name))
            .collect();
        *self.aliases.lock() = Some((Instant::now(), map.clone()));
        Ok(map)
    }

    async fn collection_exists(&self, collection: &str) -> Result<bool> {
        let e: CollectionExistence = self
            .get(self.url(&["collections", collection, "exists"], None)?)
            .await?;
        Ok(e.exists)
    }

    async fn collection_info(&self, collection: &str) -> Result<CollectionInfo> {
        self.get(self.url(&["collections", collection], None)?)
            .await
    }

    async fn create_collection(&self, collection: &str, request: CreateCollection) -> Result<()> {
        let url = self.url(&["collections", collection], None)?;
        let _: bool = self.call(Method::PUT, url, Some(&request)).await?;
        Ok(())
    }

    async fn delete_collection(&self, collection: &str) -> Result<bool> {
        let url = self.url(&["collections", collection], None)?;
        self.call(Method::DELETE, url, None::<&()>).await
    }

    async fn create_field_index(
        &self,
        collection: &str,
        request: CreateFieldIndex,
        wait: bool,
    ) -> Result<UpdateResult> {
        let url = self.url(&["collections", collection, "index"], Some(wait))?;
        self.call(Method::PUT, url, Some(&request)).await
    }

    async fn delete_field_index(
        &self,
        collection: &str,
        field: &str,
        wait: bool,
    ) -> Result<UpdateResult> {
        let url = self.url(&["collections", collection, "index", field], Some(wait))?;
        self.call(Method::DELETE, url, None::<&()>).await
    }

    async fn update(
        &self,
        collection: &str,
        update: PointsUpdate,
        wait: bool,
    ) -> Result<UpdateResult> {
        if let Some(r) = self
            .over_grpc(|g| g.update(collection, &update, wait))
            .await
        {
            return r;
        }
        let c = collection;
        let w = Some(wait);
        match &update {
            PointsUpdate::Upsert(body) => {
                let url = self.url(&["collections", c, "points"], w)?;
                self.call(Method::PUT, url, Some(body)).await
            }
            PointsUpdate::Delete(body) => {
                let url = self.url(&["collections", c, "points", "delete"], w)?;
                self.call(Method::POST, url, Some(body)).await
            }
            PointsUpdate::SetPayload(body) => {
                let url = self.url(&["collections", c, "points", "payload"], w)?;
                self.call(Method::POST, url, Some(body)).await
            }
            PointsUpdate::OverwritePayload(body) => {
                let url = self.url(&["collections", c, "points", "payload"], w)?;
                self.call(Method::PUT, url, Some(body)).await
            }
            PointsUpdate::DeletePayload(body) => {
                let url = self.url(&["collections", c, "points", "payload", "delete"], w)?;
                self.call(Method::POST, url, Some(body)).await
            }
            PointsUpdate::ClearPayload(body) => {
                let url = self.url(&["collections", c, "points", "payload", "clear"], w)?;
                self.call(Method::POST, url, Some(body)).await
            }
        }
    }

    async fn retrieve(&self, collection: &str, request: PointRequest) -> Result<Vec<Record>> {
        if let Some(r) = self.over_grpc(|g| g.retrieve(collection, &request)).await {
            return r;
        }
        let url = self.url(&["collections", collection, "points"], None)?;
        self.call(Method::POST, url, Some(&request)).await
    }

    async fn scroll(&self, collection: &str, request: ScrollRequest) -> Result<ScrollResult> {
        if let Some(r) = self.over_grpc(|g| g.scroll(collection, &request)).await {
            return r;
        }
        let url = self.url(&["collections", collection, "points", "scroll"], None)?;
        self.call(Method::POST, url, Some(&request)).await
    }

    async fn count(&self, collection: &str, request: CountRequest) -> Result<CountResult> {
        if let Some(r) = self.over_grpc(|g| g.count(collection, &request)).await {
            return r;
        }
        let url = self.url(&["collections", collection, "points", "count"], None)?;
        self.call(Method::POST, url, Some(&request)).await
    }

    async fn facet(&self, collection: &str, request: FacetRequest) -> Result<FacetResponse> {
        let url = self.url(&["collections", collection, "facet"], None)?;
        self.call(Method::POST, url, Some(&request)).await
    }

    async fn query_batch(
        &self,
        collection: &str,
        requests: Vec<QueryRequest>,
    ) -> Result<Vec<QueryResponse>> {
        if let Some(r) = self
            .over_grpc(|g| g.query_batch(collection, &requests))
            .await
        {
            return r;
        }
        let url = self.url(
            &["collections", collection, "points", "query", "batch"],
            None,
        )?;
        self.call(Method::POST, url, Some(&Batch { searches: requests }))
            .await
    }

    async fn query_groups(
        &self,
        collection: &str,
        request: QueryGroupsRequest,
    ) -> Result<GroupsResult> {
        let url = self.url(
            &["collections", collection, "points", "query", "groups"],
            None,
        )?;
        self.call(Method::POST, url, Some(&request)).await
    }
}
