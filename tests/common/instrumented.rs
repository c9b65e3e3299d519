//! A backend for in-process tests: the real embedded engine, counting every
//! call that reaches it, with an alias table the test can set (the embedded
//! engine has no aliases of its own).

#![allow(dead_code)]

use std::collections::HashMap;
use std::sync::atomic::{AtomicUsize, Ordering};

use async_trait::async_trait;
use ragwall::backend::embedded::Embedded;
use ragwall::backend::Backend;
use ragwall::error::Result;
use ragwall::model::collection::{CollectionInfo, CreateCollection, CreateFieldIndex};
use ragwall::model::output::*;
use ragwall::model::points::PointsUpdate;
use ragwall::model::query::*;

pub struct Instrumented {
    inner: Embedded,
    pub calls: AtomicUsize,
    pub aliases: parking_lot::Mutex<HashMap<String, String>>,
}

impl Instrumented {
    pub fn open(dir: &std::path::Path) -> Self {
        Instrumented {
            inner: Embedded::open(dir).unwrap(),
            calls: AtomicUsize::new(0),
            aliases: parking_lot::Mutex::new(HashMap::new()),
        }
    }

    pub fn calls(&self) -> usize {
        self.calls.load(Ordering::SeqCst)
    }

    fn hit(&self) {
        self.calls.fetch_add(1, Ordering::SeqCst);
    }
}

#[async_trait]
impl Backend for Instrumented {
    async fn ready(&self) -> bool {
        self.inner.ready().await
    }
    /// Alias resolution reads metadata, not the request: not counted.
    async fn aliases(&self) -> Result<HashMap<String, String>> {
        Ok(self.aliases.lock().clone())
    }
    async fn list_collections(&self) -> Result<Vec<String>> {
        self.hit();
        self.inner.list_collections().await
    }
    async fn collection_exists(&self, c: &str) -> Result<bool> {
        self.hit();
        self.inner.collection_exists(c).await
    }
    async fn collection_info(&self, c: &str) -> Result<CollectionInfo> {
        self.hit();
        self.inner.collection_info(c).await
    }
    async fn create_collection(&self, c: &str, r: CreateCollection) -> Result<()> {
        self.hit();
        self.inner.create_collection(c, r).await
    }
    async fn delete_collection(&self, c: &str) -> Result<bool> {
        self.hit();
        self.inner.delete_collection(c).await
    }
    async fn create_field_index(
        &self,
        c: &str,
        r: CreateFieldIndex,
        w: bool,
    ) -> Result<UpdateResult> {
        self.hit();
        self.inner.create_field_index(c, r, w).await
    }
    async fn delete_field_index(&self, c: &str, f: &str, w: bool) -> Result<UpdateResult> {
        self.hit();
        self.inner.delete_field_index(c, f, w).await
    }
    async fn update(&self, c: &str, u: PointsUpdate, w: bool) -> Result<UpdateResult> {
        self.hit();
        self.inner.update(c, u, w).await
    }
    async fn retrieve(&self, c: &str, r: PointRequest) -> Result<Vec<Record>> {
        self.hit();
        self.inner.retrieve(c, r).await
    }
    async fn scroll(&self, c: &str, r: ScrollRequest) -> Result<ScrollResult> {
        self.hit();
        self.inner.scroll(c, r).await
    }
    async fn count(&self, c: &str, r: CountRequest) -> Result<CountResult> {
        self.hit();
        self.inner.count(c, r).await
    }
    async fn facet(&self, c: &str, r: FacetRequest) -> Result<FacetResponse> {
        self.hit();
        self.inner.facet(c, r).await
    }
    async fn query_batch(&self, c: &str, r: Vec<QueryRequest>) -> Result<Vec<QueryResponse>> {
        self.hit();
        self.inner.query_batch(c, r).await
    }
    async fn query_groups(&self, c: &str, r: QueryGroupsRequest) -> Result<GroupsResult> {
        self.hit();
        self.inner.query_groups(c, r).await
    }
}
