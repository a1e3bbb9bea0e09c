//! Expensive work off the async workers, bounded: collations and searches
//! run on blocking threads, at most one per core at a time, with a short
//! queue in front. A request that finds the queue full is answered at once
//! with 503 and `Retry-After` instead of waiting behind it, so a burst of
//! expensive requests costs the pages nothing but a share of the cores,
//! and memory stays bounded (at most `workers + queue` such requests exist
//! at a time).

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Instant;
use tokio::sync::Semaphore;

/// Why a job did not run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refused {
    /// Every worker busy and the queue full: come back later.
    Full,
    /// The deadline passed while the job waited in the queue.
    TimedOut,
    /// The job panicked (a bug; the server goes on).
    Failed,
}

/// A bounded pool for blocking jobs.
#[derive(Debug)]
pub struct Pool {
    workers: Arc<Semaphore>,
    worker_count: usize,
    /// Most jobs waiting for a worker.
    queue_limit: usize,
    /// Jobs admitted (running or waiting) now.
    admitted: AtomicUsize,
    /// The most ever admitted at once, and the most ever running at once:
    /// what the tests assert the bounds on.
    peak_admitted: AtomicUsize,
    running: AtomicUsize,
    peak_running: AtomicUsize,
    refused: AtomicUsize,
}

/// Counts of a pool, for tests and the benchmark.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PoolStats {
    pub workers: usize,
    pub queue_limit: usize,
    pub peak_admitted: usize,
    pub peak_running: usize,
    pub refused: usize,
}

/// Undoes an admission on every way out (including a cancelled request,
/// whose future is dropped while waiting).
struct Admission<'a>(&'a AtomicUsize);

impl Drop for Admission<'_> {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::AcqRel);
    }
}

impl Default for Pool {
    fn default() -> Pool {
        Pool::for_cores()
    }
}

impl Pool {
    /// A pool of `workers` (at least 1) with `queue_limit` waiting places.
    pub fn new(workers: usize, queue_limit: usize) -> Pool {
        let workers = workers.max(1);
        Pool {
            workers: Arc::new(Semaphore::new(workers)),
            worker_count: workers,
            queue_limit,
            admitted: AtomicUsize::new(0),
            peak_admitted: AtomicUsize::new(0),
            running: AtomicUsize::new(0),
            peak_running: AtomicUsize::new(0),
            refused: AtomicUsize::new(0),
        }
    }

    /// One worker per core, and 32 waiting places per worker: enough for
    /// a burst of ordinary searches (about a millisecond each) from many
    /// readers, while the 2 s search limit, which counts the wait, keeps
    /// slow ones from piling up.
    pub fn for_cores() -> Pool {
        let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
        Pool::new(cores, cores * 32)
    }

    pub fn stats(&self) -> PoolStats {
        PoolStats {
            workers: self.worker_count,
            queue_limit: self.queue_limit,
            peak_admitted: self.peak_admitted.load(Ordering::Acquire),
            peak_running: self.peak_running.load(Ordering::Acquire),
            refused: self.refused.load(Ordering::Acquire),
        }
    }

    /// Runs `job` on a blocking thread once a worker is free, unless the
    /// queue is full ([`Refused::Full`]) or `deadline` passes first
    /// ([`Refused::TimedOut`]).
    pub async fn run<T: Send + 'static>(
        &self,
        deadline: Option<Instant>,
        job: impl FnOnce() -> T + Send + 'static,
    ) -> Result<T, Refused> {
        let limit = self.worker_count + self.queue_limit;
        let admitted = self.admitted.fetch_add(1, Ordering::AcqRel) + 1;
        let _admission = Admission(&self.admitted);
        if admitted > limit {
            self.refused.fetch_add(1, Ordering::AcqRel);
            return Err(Refused::Full);
        }
        self.peak_admitted.fetch_max(admitted, Ordering::AcqRel);
        let acquire = self.workers.clone().acquire_owned();
        let permit = match deadline {
            Some(at) => {
                match tokio::time::timeout_at(tokio::time::Instant::from_std(at), acquire).await {
                    Ok(p) => p,
                    Err(_) => return Err(Refused::TimedOut),
                }
            }
            None => acquire.await,
        }
        .map_err(|_| Refused::Failed)?;
        let running = self.running.fetch_add(1, Ordering::AcqRel) + 1;
        self.peak_running.fetch_max(running, Ordering::AcqRel);
        let result = tokio::task::spawn_blocking(job).await;
        self.running.fetch_sub(1, Ordering::AcqRel);
        drop(permit);
        result.map_err(|_| Refused::Failed)
    }
}

/// Seconds a client is asked to wait before trying again.
pub const RETRY_AFTER_SECONDS: &str = "1";

/// The answer when the pool is full: 503, `Retry-After`, a short page.
pub fn busy_page(title: &str) -> axum::response::Response {
    use axum::response::IntoResponse;
    (
        axum::http::StatusCode::SERVICE_UNAVAILABLE,
        [(axum::http::header::RETRY_AFTER, RETRY_AFTER_SECONDS)],
        axum::response::Html(crate::html::page(
            title,
            "Busy",
            "<h1>Busy</h1><p>The reading room is answering many requests like this one; \
             try again in a moment.</p>",
        )),
    )
        .into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A gate the jobs wait at until the test opens it.
    type Gate = Arc<(std::sync::Mutex<bool>, std::sync::Condvar)>;

    fn wait_at(gate: &Gate) {
        let (open, cv) = &**gate;
        let mut g = open.lock().unwrap_or_else(|e| e.into_inner());
        while !*g {
            g = cv.wait(g).unwrap_or_else(|e| e.into_inner());
        }
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn the_queue_is_bounded_and_the_rest_refused() {
        let pool = Arc::new(Pool::new(2, 3));
        let gate: Gate = Default::default();
        let mut tasks = Vec::new();
        for _ in 0..5 {
            let (pool, gate) = (pool.clone(), gate.clone());
            tasks.push(tokio::spawn(async move {
                pool.run(None, move || wait_at(&gate)).await
            }));
        }
        // Two running, three queued: the pool is full.
        while pool.admitted.load(Ordering::Acquire) < 5 || pool.running.load(Ordering::Acquire) < 2
        {
            tokio::task::yield_now().await;
        }
        assert_eq!(pool.run(None, || ()).await, Err(Refused::Full));
        {
            let (open, cv) = &*gate;
            *open.lock().unwrap_or_else(|e| e.into_inner()) = true;
            cv.notify_all();
        }
        for t in tasks {
            assert_eq!(t.await.ok(), Some(Ok(())));
        }
        let s = pool.stats();
        assert_eq!(s.peak_running, 2, "never more than the workers");
        assert_eq!(s.peak_admitted, 5, "never more than workers + queue");
        assert_eq!(s.refused, 1);
        // Once drained, the pool takes work again.
        assert_eq!(pool.run(None, || 7).await, Ok(7));
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_job_past_its_deadline_in_the_queue_does_not_run() {
        let pool = Arc::new(Pool::new(1, 4));
        let (tx, rx) = std::sync::mpsc::channel::<()>();
        let busy = {
            let pool = pool.clone();
            tokio::spawn(async move {
                pool.run(None, move || {
                    let _ = rx.recv();
                })
                .await
            })
        };
        while pool.running.load(Ordering::Acquire) < 1 {
            tokio::task::yield_now().await;
        }
        let ran = Arc::new(AtomicUsize::new(0));
        let r = {
            let ran = ran.clone();
            pool.run(Some(Instant::now()), move || {
                ran.fetch_add(1, Ordering::AcqRel);
            })
            .await
        };
        assert_eq!(r, Err(Refused::TimedOut));
        assert_eq!(ran.load(Ordering::Acquire), 0);
        let _ = tx.send(());
        assert_eq!(busy.await.ok(), Some(Ok(())));
    }
}
