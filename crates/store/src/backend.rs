//! The one interface both engines implement: plain statements with `$N`
//! parameters, streamed results, transactions and a bulk insert.

use crate::StoreError;
use crate::dialect::Dialect;
use crate::schema::FactDesc;
use crate::value::{Row, Value};

pub(crate) type Result<T> = std::result::Result<T, StoreError>;

pub(crate) trait Backend: Send {
    fn name(&self) -> &'static str;
    fn dialect(&self) -> Dialect;

    /// Runs one or more statements without parameters (migrations, transactions).
    fn batch(&mut self, sql: &str) -> Result<()>;

    fn begin(&mut self) -> Result<()>;

    fn commit(&mut self) -> Result<()> {
        self.batch("COMMIT")
    }

    fn rollback(&mut self) -> Result<()> {
        self.batch("ROLLBACK")
    }

    /// Runs a statement that returns no rows; gives the number of rows changed.
    fn execute(&mut self, sql: &str, params: &[Value]) -> Result<u64>;

    /// Runs a query and hands each row to `f` as it is read, without keeping
    /// the result set in memory.
    fn query_each(&mut self, sql: &str, params: &[Value], f: &mut dyn FnMut(Row) -> Result<()>) -> Result<()>;

    /// Inserts many rows of one table (inside the caller's transaction), in the
    /// column order of [`FactDesc::insert_columns`].
    fn copy_in(&mut self, desc: &FactDesc, rows: &[Vec<Value>]) -> Result<()>;

    /// Serialises schema migrations between processes, where the engine can.
    fn lock_migrations(&mut self, _lock: bool) -> Result<()> {
        Ok(())
    }

    /// Before (`true`) and after (`false`) reading whole tables once, as for
    /// a snapshot: an engine may read differently then.
    fn full_scan(&mut self, _on: bool) -> Result<()> {
        Ok(())
    }

    /// Refreshes the planner's statistics after a large load.
    fn after_bulk_load(&mut self) -> Result<()> {
        Ok(())
    }

    fn query(&mut self, sql: &str, params: &[Value]) -> Result<Vec<Row>> {
        let mut rows = Vec::new();
        self.query_each(sql, params, &mut |r| {
            rows.push(r);
            Ok(())
        })?;
        Ok(rows)
    }

    fn query_opt(&mut self, sql: &str, params: &[Value]) -> Result<Option<Row>> {
        Ok(self.query(sql, params)?.into_iter().next())
    }

    fn query_one(&mut self, sql: &str, params: &[Value]) -> Result<Row> {
        self.query_opt(sql, params)?
            .ok_or_else(|| StoreError::Decode(format!("câu lệnh không trả về dòng nào: {sql}")))
    }
}
