//! Background optimisation of the embedded collections: what Qdrant's
//! optimizer workers do, on one thread.
//!
//! qdrant-edge builds no index by itself. `EdgeShard::optimize` merges small
//! segments, vacuums deleted points and builds the HNSW graph once a segment
//! passes the collection's `indexing_threshold`; without it every query is an
//! exact scan of every vector (about 9 ms for 100k × 384 on this project's
//! bench machine, and a cache flushed on every request).
//!
//! When it runs: a collection is scheduled after every acknowledged write
//! and when it is opened (a crash may have interrupted an optimisation, or
//! the data may predate one). It is optimised once it has been quiet for
//! [`QUIET`], so a bulk load builds its index once at the end instead of
//! once per batch, or at the latest [`MAX_DELAY`] after the first pending
//! write, so a steady trickle of writes still gets indexed.
//!
//! Why writes wait: an optimisation holds the collection's writer lock.
//! qdrant-edge's `flush` (which every acknowledged write needs, see
//! `super`) panics if it meets the optimiser swapping segments, so the two
//! must not overlap. Reads never wait: they run against the old segments
//! until the optimised ones are swapped in.

use std::collections::HashMap;
use std::panic::AssertUnwindSafe;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{self, RecvTimeoutError};
use std::sync::{Arc, Weak};
use std::time::{Duration, Instant};

use parking_lot::Mutex;

use super::Collection;

/// How long a collection must go without writes before it is optimised.
const QUIET: Duration = Duration::from_millis(500);
/// The longest a pending optimisation waits for writes to pause.
const MAX_DELAY: Duration = Duration::from_secs(30);

/// A collection's optimisation state, as `collection_info` reports it.
#[derive(Default)]
pub(super) struct OptimizerState {
    /// Scheduled and not yet started, or running.
    busy: AtomicBool,
    /// The last optimisation's failure, if it failed.
    error: Mutex<Option<String>>,
}

impl OptimizerState {
    /// Whether an optimisation is pending or running (status `yellow`).
    pub(super) fn busy(&self) -> bool {
        self.busy.load(Ordering::Acquire)
    }

    pub(super) fn error(&self) -> Option<String> {
        self.error.lock().clone()
    }
}

/// The handle to the optimiser thread. Dropping every handle stops the
/// thread once it finishes what it is doing.
#[derive(Clone)]
pub(super) struct Optimizer {
    queue: mpsc::Sender<Weak<Collection>>,
}

impl Optimizer {
    pub(super) fn start() -> std::io::Result<Self> {
        let (queue, scheduled) = mpsc::channel();
        std::thread::Builder::new()
            .name("ragwall-optimizer".into())
            .spawn(move || run(scheduled))?;
        Ok(Self { queue })
    }

    /// Marks the collection as pending optimisation.
    pub(super) fn schedule(&self, collection: &Arc<Collection>) {
        collection.optimizer.busy.store(true, Ordering::Release);
        // Only a weak reference waits in the queue: a collection being
        // deleted is not kept open by it.
        let _ = self.queue.send(Arc::downgrade(collection));
    }
}

/// When a scheduled collection becomes due.
struct Pending {
    collection: Weak<Collection>,
    first: Instant,
    last: Instant,
}

impl Pending {
    fn due(&self) -> Instant {
        (self.last + QUIET).min(self.first + MAX_DELAY)
    }
}

fn run(scheduled: mpsc::Receiver<Weak<Collection>>) {
    let mut pending: HashMap<*const Collection, Pending> = HashMap::new();
    loop {
        let next = pending.values().map(Pending::due).min();
        let received = match next {
            None => scheduled.recv().map_err(|_| RecvTimeoutError::Disconnected),
            Some(due) => scheduled.recv_timeout(due.saturating_duration_since(Instant::now())),
        };
        match received {
            Ok(collection) => {
                let now = Instant::now();
                // The queue holds a weak reference, so the allocation (and
                // with it this key) stays unique while it is pending.
                pending
                    .entry(collection.as_ptr())
                    .and_modify(|p| p.last = now)
                    .or_insert(Pending {
                        collection,
                        first: now,
                        last: now,
                    });
            }
            Err(RecvTimeoutError::Timeout) => {}
            Err(RecvTimeoutError::Disconnected) => return,
        }
        let now = Instant::now();
        let due: Vec<*const Collection> = pending
            .iter()
            .filter(|(_, p)| p.due() <= now)
            .map(|(key, _)| *key)
            .collect();
        for key in due {
            let Some(p) = pending.remove(&key) else {
                continue;
            };
            if let Some(collection) = p.collection.upgrade() {
                optimize(&collection);
            }
        }
    }
}

fn optimize(collection: &Collection) {
    let _writer = collection.writer.blocking_lock();
    // Writes are held off from here on, so a write that lands after this
    // point schedules a new pass.
    let state = &collection.optimizer;
    let started = Instant::now();
    // A panic in the engine must not end the thread that indexes every
    // collection; it is reported like any other failure.
    let outcome = std::panic::catch_unwind(AssertUnwindSafe(|| {
        let optimized = collection.shard.optimize()?;
        collection.shard.flush();
        Ok::<_, qdrant_edge::OperationError>(optimized)
    }));
    let error = match outcome {
        Ok(Ok(optimized)) => {
            if optimized {
                let info = collection.shard.info();
                tracing::info!(
                    segments = info.segments_count,
                    points = info.points_count,
                    indexed_vectors = info.indexed_vectors_count,
                    ms = started.elapsed().as_millis() as u64,
                    "collection optimized"
                );
            }
            None
        }
        Ok(Err(e)) => Some(e.to_string()),
        Err(_) => Some("the optimizer panicked".to_owned()),
    };
    if let Some(e) = &error {
        tracing::error!(error = %e, "collection optimization failed");
    }
    *state.error.lock() = error;
    state.busy.store(false, Ordering::Release);
}
