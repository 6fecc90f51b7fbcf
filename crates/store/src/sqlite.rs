//! The embedded engine: one SQLite file (or `:memory:`).

use std::time::Duration;

use rusqlite::types::ValueRef;
use rusqlite::{Connection, params_from_iter};

use crate::StoreError;
use crate::backend::{Backend, Result};
use crate::dialect::{Dialect, sqlite_placeholders};
use crate::schema::FactDesc;
use crate::value::{Row, Value};

pub(crate) struct Sqlite {
    conn: Connection,
}

impl Sqlite {
    pub(crate) fn open(path: &str) -> Result<Self> {
        let fail = |source| StoreError::OpenSqlite { path: path.to_string(), source };
        let dir = std::path::Path::new(path).parent().filter(|d| path != ":memory:" && !d.as_os_str().is_empty());
        if let Some(dir) = dir {
            std::fs::create_dir_all(dir).map_err(|e| StoreError::OpenSqliteDir { path: path.to_string(), source: e })?;
        }
        let conn = Connection::open(path).map_err(fail)?;
        conn.busy_timeout(Duration::from_secs(10)).map_err(fail)?;
        // WAL lets readers work while a write is under way; NORMAL sync is
        // safe with WAL (a crash loses at most the last commits, never corrupts).
        let _mode: String =
            conn.pragma_update_and_check(None, "journal_mode", "WAL", |r| r.get(0)).map_err(fail)?;
        conn.pragma_update(None, "synchronous", "NORMAL").map_err(fail)?;
        conn.pragma_update(None, "foreign_keys", "ON").map_err(fail)?;
        // Readings of a served province touch the same pages again and again:
        // map the file (pages shared through the OS cache, no copy per read).
        // A long change set (an import of 100,000 rows) inserts into several
        // indexes per row: a page cache of up to 64 MiB (the default is 2 MiB)
        // keeps them from being spilled to the WAL mid-transaction, and
        // statement journals in memory spare a file write per statement.
        conn.pragma_update(None, "mmap_size", MMAP_SIZE).map_err(fail)?;
        conn.pragma_update(None, "cache_size", -65536).map_err(fail)?;
        conn.pragma_update(None, "temp_store", "MEMORY").map_err(fail)?;
        conn.set_prepared_statement_cache_capacity(256);
        Ok(Self { conn })
    }
}

/// Bytes of the database file mapped into memory (see [`Sqlite::open`]).
const MMAP_SIZE: i64 = 1 << 30;

fn value(v: ValueRef<'_>) -> Result<Value> {
    Ok(match v {
        ValueRef::Null => Value::Null,
        ValueRef::Integer(i) => Value::Int(i),
        ValueRef::Real(f) => Value::Float(f),
        ValueRef::Text(t) => Value::Text(
            std::str::from_utf8(t).map_err(|e| StoreError::Decode(format!("chuỗi không phải UTF-8: {e}")))?.to_owned(),
        ),
        ValueRef::Blob(b) => Value::Bytes(b.to_vec()),
    })
}

impl Backend for Sqlite {
    fn name(&self) -> &'static str {
        "SQLite"
    }

    fn dialect(&self) -> Dialect {
        Dialect::Sqlite
    }

    fn batch(&mut self, sql: &str) -> Result<()> {
        Ok(self.conn.execute_batch(sql)?)
    }

    fn begin(&mut self) -> Result<()> {
        // Take the write lock now rather than on the first write, so that two
        // writers wait for each other instead of failing with SQLITE_BUSY.
        self.batch("BEGIN IMMEDIATE")
    }

    fn execute(&mut self, sql: &str, params: &[Value]) -> Result<u64> {
        let mut stmt = self.conn.prepare_cached(&sqlite_placeholders(sql))?;
        Ok(stmt.execute(params_from_iter(params))? as u64)
    }

    /// Reading every table once (a snapshot of 2,000,000 people reads 7 GB)
    /// gains nothing from the map, and its pages would count in the
    /// process's memory: unmapped for the scan, mapped again after.
    fn full_scan(&mut self, on: bool) -> Result<()> {
        Ok(self.conn.pragma_update(None, "mmap_size", if on { 0 } else { MMAP_SIZE })?)
    }

    fn query_each(&mut self, sql: &str, params: &[Value], f: &mut dyn FnMut(Row) -> Result<()>) -> Result<()> {
        let mut stmt = self.conn.prepare_cached(&sqlite_placeholders(sql))?;
        let n = stmt.column_count();
        let mut rows = stmt.query(params_from_iter(params))?;
        while let Some(r) = rows.next()? {
            let mut values = Vec::with_capacity(n);
            for i in 0..n {
                values.push(value(r.get_ref(i)?)?);
            }
            f(Row(values))?;
        }
        Ok(())
    }

    fn copy_in(&mut self, desc: &FactDesc, rows: &[Vec<Value>]) -> Result<()> {
        let mut stmt = self.conn.prepare_cached(&sqlite_placeholders(&desc.insert_sql(false)))?;
        for row in rows {
            stmt.execute(params_from_iter(row))?;
        }
        Ok(())
    }

    fn after_bulk_load(&mut self) -> Result<()> {
        // Gathers statistics for tables never analysed (a fresh load).
        self.batch("PRAGMA optimize=0x10002")
    }
}
