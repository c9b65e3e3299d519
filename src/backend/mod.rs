//! The one place that knows where vectors live.
//!
//! [`Backend`] executes already-checked, protocol-neutral requests. It knows
//! nothing of tenants, credentials, provenance or verdicts: by the time a
//! request reaches it, policy has rewritten it into exactly what may run.
//! Implementations: [`embedded::Embedded`] (qdrant-edge, in-process) and
//! [`remote::Remote`] (a Qdrant over REST, and gRPC for the hot reads).

pub mod embedded;
pub mod remote;
pub mod upstream_grpc;

use std::cell::Cell;
use std::future::Future;
use std::time::Instant;

use async_trait::async_trait;

use crate::error::Result;
use crate::model::collection::{CollectionInfo, CreateCollection, CreateFieldIndex};
use crate::model::output::{
    CountResult, FacetResponse, GroupsResult, QueryResponse, Record, ScrollResult, UpdateResult,
};
use crate::model::points::PointsUpdate;
use crate::model::query::{
    CountRequest, FacetRequest, PointRequest, QueryGroupsRequest, QueryRequest, ScrollRequest,
};

#[async_trait]
pub trait Backend: Send + Sync + 'static {
    /// Whether the backend can serve requests right now (for `/readyz`).
    async fn ready(&self) -> bool;

    async fn list_collections(&self) -> Result<Vec<String>>;
    /// Alias name → collection name.
    async fn aliases(&self) -> Result<std::collections::HashMap<String, String>>;
    async fn collection_exists(&self, collection: &str) -> Result<bool>;
    async fn collection_info(&self, collection: &str) -> Result<CollectionInfo>;
    async fn create_collection(&self, collection: &str, request: CreateCollection) -> Result<()>;
    async fn delete_collection(&self, collection: &str) -> Result<bool>;
    async fn create_field_index(
        &self,
        collection: &str,
        request: CreateFieldIndex,
        wait: bool,
    ) -> Result<UpdateResult>;
    async fn delete_field_index(
        &self,
        collection: &str,
        field: &str,
        wait: bool,
    ) -> Result<UpdateResult>;

    /// Applies one point write. With `wait`, returns once the write is durable.
    async fn update(
        &self,
        collection: &str,
        update: PointsUpdate,
        wait: bool,
    ) -> Result<UpdateResult>;

    async fn retrieve(&self, collection: &str, request: PointRequest) -> Result<Vec<Record>>;
    async fn scroll(&self, collection: &str, request: ScrollRequest) -> Result<ScrollResult>;
    async fn count(&self, collection: &str, request: CountRequest) -> Result<CountResult>;
    async fn facet(&self, collection: &str, request: FacetRequest) -> Result<FacetResponse>;
    /// Runs a batch of universal queries; search and recommend arrive here too.
    async fn query_batch(
        &self,
        collection: &str,
        requests: Vec<QueryRequest>,
    ) -> Result<Vec<QueryResponse>>;
    async fn query_groups(
        &self,
        collection: &str,
        request: QueryGroupsRequest,
    ) -> Result<GroupsResult>;
}

tokio::task_local! {
    /// Microseconds the current request has spent waiting on the backend.
    static WAITED_US: Cell<u64>;
}

/// Awaits backend work, adding its duration to the current request's
/// waiting time (if one is being measured). Backends wrap their one call
/// point in it, so what ragwall itself costs is the rest of the latency.
pub(crate) async fn waiting<T>(work: impl Future<Output = T>) -> T {
    let started = Instant::now();
    let out = work.await;
    let us = started.elapsed().as_micros() as u64;
    let _ = WAITED_US.try_with(|w| w.set(w.get() + us));
    out
}

/// Runs a request, returning its output and the microseconds it spent
/// waiting on the backend. Calls are sequential within a request, so the
/// sum is wall time.
pub async fn measured<T>(request: impl Future<Output = T>) -> (T, u64) {
    WAITED_US
        .scope(Cell::new(0), async {
            let out = request.await;
            (out, WAITED_US.with(Cell::get))
        })
        .await
}
