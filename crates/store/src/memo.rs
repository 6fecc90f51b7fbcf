//! Readings derived from the data (a unit tree of a date, say), kept with the
//! connection until the next change set is recorded — by this connection or
//! any other: each use first reads the id of the last change, an index
//! lookup, so a page served a thousand times a minute does not rebuild what
//! has not changed.

use std::any::Any;
use std::collections::HashMap;
use std::sync::Arc;

use crate::{Result, Store, StoreError};

/// Entries kept per connection; older ones are dropped first.
const KEPT: usize = 32;

#[derive(Default)]
pub(crate) struct Memo {
    /// The last change id the entries were built under.
    version: i64,
    entries: HashMap<String, (u64, Arc<dyn Any + Send + Sync>)>,
    uses: u64,
}

impl Store {
    /// The id of the last change set recorded (0 when there is none).
    pub fn last_change_id(&mut self) -> Result<i64> {
        self.db.query_one("SELECT COALESCE(MAX(id), 0) FROM changes", &[])?.get_i64(0)
    }

    /// `build`'s value for `key`, kept until the data changes. `key` must name
    /// everything the value depends on besides the data (the date, the scope).
    pub fn memo<T, E>(&mut self, key: &str, build: impl FnOnce(&mut Store) -> std::result::Result<T, E>) -> std::result::Result<Arc<T>, E>
    where
        T: Any + Send + Sync,
        E: From<StoreError>,
    {
        let version = self.last_change_id()?;
        if version != self.memo.version {
            self.memo.entries.clear();
            self.memo.version = version;
        }
        self.memo.uses += 1;
        let uses = self.memo.uses;
        if let Some((used, value)) = self.memo.entries.get_mut(key) {
            *used = uses;
            if let Ok(v) = Arc::clone(value).downcast::<T>() {
                return Ok(v);
            }
        }
        let value = Arc::new(build(self)?);
        if self.memo.entries.len() >= KEPT
            && let Some(oldest) = self.memo.entries.iter().min_by_key(|(_, (u, _))| *u).map(|(k, _)| k.clone())
        {
            self.memo.entries.remove(&oldest);
        }
        // A change recorded while building is seen at the next use.
        self.memo.entries.insert(key.to_string(), (uses, Arc::clone(&value) as Arc<dyn Any + Send + Sync>));
        Ok(value)
    }
}
