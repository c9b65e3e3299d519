//! The embedded backend: Qdrant's own engine (`qdrant-edge`) in-process.
//!
//! One edge shard per collection, under `<data_dir>/collections/<name>/`:
//!
//! ```text
//! collections/<name>/collection.json   the create request, as accepted
//! collections/<name>/shard/            the qdrant-edge shard
//! ```
//!
//! Durability: qdrant-edge 0.7 writes a WAL but does not replay it on load,
//! so an update is only safe once its segments are flushed. Every write is
//! therefore applied and flushed under the collection's writer lock before it
//! is acknowledged. Create and delete go through a temporary directory and a
//! rename, so a crash leaves either the old or the new state, never half.
//!
//! Engine calls are blocking; they run on tokio's blocking pool. Indexing
//! runs in the background, see [`optimizer`].

mod convert;
mod engine_pool;
mod groups;
mod optimizer;

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use async_trait::async_trait;
use parking_lot::RwLock;

use engine_pool::EnginePool;
use qdrant_edge::{EdgeShard, OperationError};

use optimizer::{Optimizer, OptimizerState};

use super::Backend;
use crate::error::{Error, Result};
use crate::model::collection::{CollectionInfo, CreateCollection, CreateFieldIndex};
use crate::model::output::{
    CountResult, FacetResponse, GroupsResult, QueryResponse, Record, ScrollResult, UpdateResult,
    UpdateStatus,
};
use crate::model::points::PointsUpdate;
use crate::model::query::{
    CountRequest, FacetRequest, PointRequest, QueryGroupsRequest, QueryRequest, ScrollRequest,
};

const META_FILE: &str = "collection.json";
const SHARD_DIR: &str = "shard";

/// One open collection.
struct Collection {
    meta: CreateCollection,
    shard: EdgeShard,
    /// Serialises writes, the flush that makes them durable, and
    /// optimisation. Taken before the write is queued for an engine thread,
    /// so writes waiting behind an index build do not hold threads that
    /// reads need.
    writer: Arc<tokio::sync::Mutex<()>>,
    next_operation: AtomicU64,
    optimizer: OptimizerState,
}

/// The embedded engine: a registry of open collections.
pub struct Embedded {
    root: PathBuf,
    collections: RwLock<HashMap<String, Arc<Collection>>>,
    /// Serialises collection create and delete.
    lifecycle: tokio::sync::Mutex<()>,
    /// Engine calls run one per core, on the engine's own threads: more
    /// would only take turns on the same cores and starve the request
    /// handlers that share them (measured: ragwall's own time per request
    /// grew from ~0.3 ms to 4-7 ms at 16 concurrent brute-force searches on
    /// 2 cores).
    engine: EnginePool,
    optimizer: Optimizer,
}

impl Embedded {
    /// Applies one engine update and flushes it to disk before returning,
    /// then schedules the collection for optimisation.
    async fn write(
        &self,
        c: Arc<Collection>,
        operation: qdrant_edge::UpdateOperation,
    ) -> Result<u64> {
        let writer = super::waiting(c.writer.clone().lock_owned()).await;
        let optimizer = self.optimizer.clone();
        self.blocking(move || {
            let _writer = writer;
            c.shard.update(operation).map_err(engine_error)?;
            c.shard.flush();
            // Here, not after the await: a cancelled request's write is
            // applied all the same and must be indexed too.
            optimizer.schedule(&c);
            Ok(c.next_operation.fetch_add(1, Ordering::Relaxed))
        })
        .await
    }

    /// Runs blocking engine work off the async runtime, on an engine
    /// thread. Waiting for one counts as waiting on the backend.
    async fn blocking<T: Send + 'static>(
        &self,
        f: impl FnOnce() -> Result<T> + Send + 'static,
    ) -> Result<T> {
        super::waiting(self.engine.run(f)).await
    }

    /// Opens (or initialises) the data directory and loads every collection.
    pub fn open(data_dir: &Path) -> anyhow::Result<Self> {
        let root = data_dir.join("collections");
        std::fs::create_dir_all(&root)?;
        let mut collections = HashMap::new();
        for entry in std::fs::read_dir(&root)? {
            let path = entry?.path();
            let Some(name) = path.file_name().and_then(|n| n.to_str()).map(str::to_owned) else {
                continue;
            };
            if name.starts_with('.') {
                // An interrupted create or delete: never acknowledged, or already gone.
                std::fs::remove_dir_all(&path)?;
                continue;
            }
            let collection = load_collection(&path)
                .map_err(|e| anyhow::anyhow!("loading collection `{name}`: {e}"))?;
            collections.insert(name, Arc::new(collection));
        }
        tracing::info!(collections = collections.len(), root = %root.display(), "embedded engine open");
        let optimizer = Optimizer::start()?;
        // An optimisation a crash interrupted, or data loaded before there
        // was an index, is picked up here.
        for collection in collections.values() {
            optimizer.schedule(collection);
        }
        Ok(Self {
            root,
            collections: RwLock::new(collections),
            lifecycle: tokio::sync::Mutex::new(()),
            engine: EnginePool::start(std::thread::available_parallelism().map_or(1, usize::from))?,
            optimizer,
        })
    }

    fn get(&self, name: &str) -> Result<Arc<Collection>> {
        self.collections
            .read()
            .get(name)
            .cloned()
            .ok_or_else(|| Error::collection_not_found(name))
    }

    /// The collections a query reads from: its own, and any `lookup_from`.
    fn lookups(&self, requests: &[QueryRequest]) -> Result<HashMap<String, Arc<Collection>>> {
        let mut out = HashMap::new();
        for request in requests {
            for name in convert::lookup_collections(request) {
                if let std::collections::hash_map::Entry::Vacant(slot) = out.entry(name) {
                    let c = self.get(slot.key())?;
                    slot.insert(c);
                }
            }
        }
        Ok(out)
    }
}

/// Puts the calling thread (one of tokio's blocking pool) below request
/// handling, once: nice 5 on Linux. When ragwall and its engine share cores,
/// a request's own few microseconds of parsing, policy and scanning then do
/// not queue behind other requests' milliseconds of vector search, which is
/// what stretched ragwall's own p99 under load. Qdrant's index builds run
/// at nice 10 already. Best effort: where it cannot be set, nothing changes.
fn lower_thread_priority() {
    thread_local!(static LOWERED: std::cell::Cell<bool> = const { std::cell::Cell::new(false) });
    if LOWERED.replace(true) {
        return;
    }
    #[cfg(target_os = "linux")]
    {
        use thread_priority::{ThreadPriority, ThreadPriorityValue};
        // 35 of 0..=99 maps to nice 5 (99 is -20, 0 is 19).
        if let Ok(value) = ThreadPriorityValue::try_from(35u8) {
            let _ =
                thread_priority::set_current_thread_priority(ThreadPriority::Crossplatform(value));
        }
    }
}

fn load_collection(dir: &Path) -> anyhow::Result<Collection> {
    let meta: CreateCollection = serde_json::from_slice(&std::fs::read(dir.join(META_FILE))?)?;
    let shard = EdgeShard::load(&dir.join(SHARD_DIR), None)?;
    Ok(Collection {
        meta,
        shard,
        writer: Arc::new(tokio::sync::Mutex::new(())),
        next_operation: AtomicU64::new(0),
        optimizer: OptimizerState::default(),
    })
}

/// Qdrant's rule for collection names, plus what keeps a name a single,
/// harmless directory entry.
fn validate_collection_name(name: &str) -> Result<()> {
    const FORBIDDEN: &[char] = &['<', '>', ':', '"', '/', '\\', '|', '?', '*', '\0'];
    if name.is_empty() || name.len() > 255 {
        return Err(Error::BadInput(
            "collection name must be 1 to 255 bytes".into(),
        ));
    }
    if name.starts_with('.') {
        return Err(Error::BadInput(
            "collection name must not start with `.`".into(),
        ));
    }
    if let Some(c) = name
        .chars()
        .find(|c| FORBIDDEN.contains(c) || c.is_control())
    {
        return Err(Error::BadInput(format!(
            "collection name contains the forbidden character {c:?}"
        )));
    }
    Ok(())
}

/// Maps an engine error to what the client sees.
pub(crate) fn engine_error(err: OperationError) -> Error {
    match err {
        OperationError::PointIdError { .. } => Error::NotFound(err.to_string()),
        OperationError::WrongVectorDimension { .. }
        | OperationError::VectorNameNotExists { .. }
        | OperationError::TypeError { .. }
        | OperationError::TypeInferenceError { .. }
        | OperationError::ValidationError { .. }
        | OperationError::WrongSparse
        | OperationError::WrongMulti
        | OperationError::MissingRangeIndexForOrderBy { .. }
        | OperationError::MissingMapIndexForFacet { .. }
        | OperationError::VariableTypeError { .. }
        | OperationError::NonFiniteNumber { .. } => Error::BadInput(err.to_string()),
        other => Error::internal("the storage engine failed", other),
    }
}

fn fsync_dir(dir: &Path) -> std::io::Result<()> {
    std::fs::File::open(dir)?.sync_all()
}

fn unique_suffix() -> u128 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or_default()
}

fn update_result(operation_id: u64, wait: bool) -> UpdateResult {
    UpdateResult {
        operation_id: Some(operation_id),
        status: if wait {
            UpdateStatus::Completed
        } else {
            UpdateStatus::Acknowledged
        },
    }
}

#[async_trait]
impl Backend for Embedded {
    async fn ready(&self) -> bool {
        self.root.is_dir()
    }

    async fn list_collections(&self) -> Result<Vec<String>> {
        let mut names: Vec<String> = self.collections.read().keys().cloned().collect();
        names.sort();
        Ok(names)
    }

    /// The embedded engine has no aliases.
    async fn aliases(&self) -> Result<HashMap<String, String>> {
        Ok(HashMap::new())
    }

    async fn collection_exists(&self, collection: &str) -> Result<bool> {
        Ok(self.collections.read().contains_key(collection))
    }

    async fn collection_info(&self, collection: &str) -> Result<CollectionInfo> {
        let c = self.get(collection)?;
        self.blocking(move || Ok(convert::collection_info(&c)))
            .await
    }

    async fn create_collection(&self, collection: &str, request: CreateCollection) -> Result<()> {
        validate_collection_name(collection)?;
        let config = convert::edge_config(&request)?;
        let _lifecycle = self.lifecycle.lock().await;
        if self.collections.read().contains_key(collection) {
            return Err(Error::AlreadyExists(format!(
                "Collection `{collection}` already exists!"
            )));
        }
        let root = self.root.clone();
        let name = collection.to_owned();
        let loaded = self
            .blocking(move || {
                let staging = root.join(format!(".creating-{}", unique_suffix()));
                let build = || -> anyhow::Result<()> {
                    std::fs::create_dir_all(staging.join(SHARD_DIR))?;
                    drop(EdgeShard::new(&staging.join(SHARD_DIR), config)?);
                    let meta = serde_json::to_vec_pretty(&request)?;
                    let meta_path = staging.join(META_FILE);
                    std::fs::write(&meta_path, meta)?;
                    std::fs::File::open(&meta_path)?.sync_all()?;
                    fsync_dir(&staging)?;
                    let target = root.join(&name);
                    std::fs::rename(&staging, &target)?;
                    fsync_dir(&root)?;
                    Ok(())
                };
                if let Err(e) = build() {
                    let _ = std::fs::remove_dir_all(&staging);
                    return Err(Error::internal("could not create the collection", e));
                }
                load_collection(&root.join(&name))
                    .map_err(|e| Error::internal("could not open the new collection", e))
            })
            .await?;
        self.collections
            .write()
            .insert(collection.to_owned(), Arc::new(loaded));
        Ok(())
    }

    async fn delete_collection(&self, collection: &str) -> Result<bool> {
        let _lifecycle = self.lifecycle.lock().await;
        let Some(mut open) = self.collections.write().remove(collection) else {
            return Ok(false);
        };
        // Wait for in-flight requests to let go, so the shard closes cleanly
        // before its files go away.
        let closed = loop {
            match Arc::try_unwrap(open) {
                Ok(c) => break c,
                Err(shared) => {
                    open = shared;
                    tokio::time::sleep(Duration::from_millis(5)).await;
                }
            }
        };
        let root = self.root.clone();
        let name = collection.to_owned();
        self.blocking(move || {
            drop(closed);
            let doomed = root.join(format!(".deleting-{}", unique_suffix()));
            let remove = || -> std::io::Result<()> {
                std::fs::rename(root.join(&name), &doomed)?;
                fsync_dir(&root)?;
                std::fs::remove_dir_all(&doomed)
            };
            remove().map_err(|e| Error::internal("could not delete the collection", e))
        })
        .await?;
        Ok(true)
    }

    async fn create_field_index(
        &self,
        collection: &str,
        request: CreateFieldIndex,
        wait: bool,
    ) -> Result<UpdateResult> {
        let c = self.get(collection)?;
        let operation = convert::create_index(request)?;
        let id = self.write(c, operation).await?;
        Ok(update_result(id, wait))
    }

    async fn delete_field_index(
        &self,
        collection: &str,
        field: &str,
        wait: bool,
    ) -> Result<UpdateResult> {
        let c = self.get(collection)?;
        let operation = convert::delete_index(field)?;
        let id = self.write(c, operation).await?;
        Ok(update_result(id, wait))
    }

    async fn update(
        &self,
        collection: &str,
        update: PointsUpdate,
        wait: bool,
    ) -> Result<UpdateResult> {
        let c = self.get(collection)?;
        if update.shard_key().is_some() {
            return Err(convert::no_shard_keys());
        }
        let operation = convert::points_update(&c.shard.config(), update)?;
        let id = self.write(c, operation).await?;
        Ok(update_result(id, wait))
    }

    async fn retrieve(&self, collection: &str, request: PointRequest) -> Result<Vec<Record>> {
        let c = self.get(collection)?;
        if request.shard_key.is_some() {
            return Err(convert::no_shard_keys());
        }
        self.blocking(move || {
            let records = c
                .shard
                .retrieve(&request.ids, request.with_payload, request.with_vector)
                .map_err(engine_error)?;
            Ok(records.into_iter().map(convert::record).collect())
        })
        .await
    }

    async fn scroll(&self, collection: &str, request: ScrollRequest) -> Result<ScrollResult> {
        let c = self.get(collection)?;
        let request = convert::scroll(request)?;
        self.blocking(move || {
            let (records, next) = c.shard.scroll(request).map_err(engine_error)?;
            Ok(ScrollResult {
                points: records.into_iter().map(convert::record).collect(),
                next_page_offset: next,
            })
        })
        .await
    }

    async fn count(&self, collection: &str, request: CountRequest) -> Result<CountResult> {
        let c = self.get(collection)?;
        if request.shard_key.is_some() {
            return Err(convert::no_shard_keys());
        }
        self.blocking(move || {
            let count = c
                .shard
                .count(qdrant_edge::CountRequest {
                    filter: request.filter,
                    exact: request.exact.unwrap_or(true),
                })
                .map_err(engine_error)?;
            Ok(CountResult { count })
        })
        .await
    }

    async fn facet(&self, collection: &str, request: FacetRequest) -> Result<FacetResponse> {
        let c = self.get(collection)?;
        let request = convert::facet(request)?;
        self.blocking(move || {
            let response = c.shard.facet(request).map_err(engine_error)?;
            Ok(convert::facet_response(response))
        })
        .await
    }

    async fn query_batch(
        &self,
        collection: &str,
        requests: Vec<QueryRequest>,
    ) -> Result<Vec<QueryResponse>> {
        let c = self.get(collection)?;
        let lookups = self.lookups(&requests)?;
        self.blocking(move || {
            requests
                .into_iter()
                .map(|request| {
                    let planned = convert::query(&c, &lookups, request)?;
                    // The engine returns `offset + limit` points; the offset
                    // is cut here, as Qdrant's collection layer does.
                    let offset = planned.offset;
                    let points = c.shard.query(planned).map_err(engine_error)?;
                    Ok(QueryResponse {
                        points: points
                            .into_iter()
                            .skip(offset)
                            .map(convert::scored_point)
                            .collect(),
                    })
                })
                .collect()
        })
        .await
    }

    async fn query_groups(
        &self,
        collection: &str,
        request: QueryGroupsRequest,
    ) -> Result<GroupsResult> {
        let c = self.get(collection)?;
        let base = request.query_request();
        let mut lookups = self.lookups(std::slice::from_ref(&base))?;
        if let Some(with_lookup) = &request.with_lookup {
            let name = groups::lookup_collection(with_lookup);
            if !lookups.contains_key(name) {
                lookups.insert(name.to_owned(), self.get(name)?);
            }
        }
        self.blocking(move || groups::query_groups(&c, &lookups, request))
            .await
    }
}
