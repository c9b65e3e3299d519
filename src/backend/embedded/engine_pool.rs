//! The engine's own threads. Engine calls are CPU-bound and run one per
//! core; each thread takes the next call from a shared queue as soon as it
//! finishes one. Handing a call from the async side to a free blocking
//! thread per request (a semaphore permit, then `spawn_blocking`) costs two
//! thread wake-ups between calls, and measured as ~14% idle CPU at 16
//! concurrent queries on 2 cores while requests were waiting.

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::{mpsc, Arc, Mutex};

use crate::error::{Error, Result};

type Job = Box<dyn FnOnce() + Send>;

pub(super) struct EnginePool {
    queue: mpsc::Sender<Job>,
}

impl EnginePool {
    /// Starts `threads` engine threads at a lower priority than request
    /// handling (nice 5 on Linux), so a request is not queued behind other
    /// requests' searches on shared cores.
    pub(super) fn start(threads: usize) -> std::io::Result<Self> {
        let (queue, jobs) = mpsc::channel::<Job>();
        let jobs = Arc::new(Mutex::new(jobs));
        for i in 0..threads.max(1) {
            let jobs = jobs.clone();
            std::thread::Builder::new()
                .name(format!("ragwall-engine-{i}"))
                .spawn(move || {
                    super::lower_thread_priority();
                    loop {
                        // The lock is held while waiting for a job, never
                        // while running one.
                        let job = match jobs.lock() {
                            Ok(jobs) => jobs.recv(),
                            Err(poisoned) => poisoned.into_inner().recv(),
                        };
                        match job {
                            Ok(job) => job(),
                            // The pool was dropped: the engine is closing.
                            Err(_) => return,
                        }
                    }
                })?;
        }
        Ok(Self { queue })
    }

    /// Runs `f` on an engine thread. The call runs to its end even if the
    /// caller stops waiting (a cancelled request's write is still applied
    /// and acknowledged to the engine); a panic becomes an internal error
    /// and the thread goes on.
    pub(super) async fn run<T: Send + 'static>(
        &self,
        f: impl FnOnce() -> Result<T> + Send + 'static,
    ) -> Result<T> {
        let (done, result) = tokio::sync::oneshot::channel();
        let job: Job = Box::new(move || {
            let _ = done.send(catch_unwind(AssertUnwindSafe(f)));
        });
        self.queue
            .send(job)
            .map_err(|_| Error::internal("the storage engine", "its threads have stopped"))?;
        match result.await {
            Ok(Ok(outcome)) => outcome,
            Ok(Err(_panic)) => Err(Error::internal("a storage task", "it panicked")),
            Err(_) => Err(Error::internal("a storage task", "it was dropped")),
        }
    }
}
