//! A small pool of synchronous stores, used from async handlers through
//! `spawn_blocking`. SQLite in WAL mode serves concurrent readers; each
//! PostgreSQL store is one connection.
//!
//! At most `size` requests hold a store at once; the others wait their turn.
//! Without that bound, a burst of requests opened a fresh connection each
//! (schema check, statements parsed again, per-connection caches cold) and
//! threw it away after: under 50 concurrent users that churn cost more than
//! the requests themselves.

use std::sync::{Arc, Mutex};

use nangluc_store::Store;

use tokio::sync::Semaphore;

use crate::error::AppError;

pub struct Pool {
    url: String,
    idle: Mutex<Vec<Store>>,
    max_idle: usize,
    /// One permit per store that may be in use at once.
    turns: Arc<Semaphore>,
}

impl Pool {
    /// Opens one store now, so that a wrong URL or a failed migration is
    /// reported at start rather than on the first request.
    pub fn open(url: &str, max_idle: usize) -> Result<Arc<Pool>, nangluc_store::StoreError> {
        let first = Store::open(url)?;
        Ok(Arc::new(Pool {
            url: url.to_string(),
            idle: Mutex::new(vec![first]),
            max_idle: max_idle.max(1),
            turns: Arc::new(Semaphore::new(max_idle.max(1))),
        }))
    }

    fn take(&self) -> Result<Store, AppError> {
        if let Some(s) = self.idle.lock().unwrap_or_else(|e| e.into_inner()).pop() {
            return Ok(s);
        }
        Ok(Store::open(&self.url)?)
    }

    fn give_back(&self, store: Store) {
        let mut idle = self.idle.lock().unwrap_or_else(|e| e.into_inner());
        if idle.len() < self.max_idle {
            idle.push(store);
        }
    }

    /// Runs `f` with a store on the blocking thread pool.
    pub async fn run<T, F>(self: &Arc<Self>, f: F) -> Result<T, AppError>
    where
        T: Send + 'static,
        F: FnOnce(&mut Store) -> Result<T, AppError> + Send + 'static,
    {
        let pool = Arc::clone(self);
        let turn = Arc::clone(&self.turns)
            .acquire_owned()
            .await
            .map_err(|e| AppError::Internal(format!("hàng đợi kết nối đã đóng: {e}")))?;
        tokio::task::spawn_blocking(move || {
            let _turn = turn;
            let mut store = pool.take()?;
            let result = f(&mut store);
            // A store whose query failed may hold a broken connection: drop it.
            if !matches!(result, Err(AppError::Store(_))) {
                pool.give_back(store);
            }
            result
        })
        .await
        .map_err(|e| AppError::Internal(format!("tác vụ nền bị dừng: {e}")))?
    }

    /// Runs `f` with a store on the current thread (start-up, CLI).
    pub fn run_now<T>(
        &self,
        f: impl FnOnce(&mut Store) -> Result<T, AppError>,
    ) -> Result<T, AppError> {
        let mut store = self.take()?;
        let result = f(&mut store);
        self.give_back(store);
        result
    }
}
