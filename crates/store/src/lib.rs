//! NăngLực storage: the bitemporal tables of every fact, behind one interface
//! over two engines — an embedded SQLite file, or a PostgreSQL server.
//!
//! Every write is a [`ChangeSet`] applied in one transaction and recorded in the
//! `changes` audit table. Rows are never updated except to mark them superseded,
//! so any past reading ("as of a date, as known at a moment") can be reproduced.
//!
//! SQL is written once, with `$1, $2…` parameters (rewritten for SQLite), and
//! one set of migrations serves both engines.

pub mod accounts;
mod memo;
pub mod annual;
mod backend;
pub mod budget;
pub mod commitments;
mod dialect;
pub mod duties;
mod migrate;
pub mod period_plans;
pub mod planning;
mod postgres;
pub mod registry;
mod schema;
mod sqlite;
mod stats;
mod value;

use chrono::{DateTime, Utc};
use nangluc_core::person::PersonDetails;
use nangluc_core::training::{Enrolment, EnrolmentStatus};
use nangluc_core::{Applied, AsOf, ChangeSet, Entity, Fact, Knowledge, KnowledgeSink, Op, Table, Validity, Versioned};

use crate::backend::Backend;
use crate::dialect::Dialect;
use crate::schema::{desc, read_versioned};

pub use crate::accounts::{Account, AccountChange, AccountEvent, FailureCounts, NewAccount, Session};
pub use crate::annual::{
    AnnualPlanRow, Costs, NewPlanLine, PlanEventRow, PlanLineRow, ProvinceLineRow, ProvincePlanRow, Stamp, StatusMove,
};
pub use crate::budget::{AllocationRow, LedgerEntry, LedgerEntryRow, LedgerRows, NewAllocation, SettlementRow};
pub use crate::commitments::{
    CompensationPaid, CompensationRow, NewCompensation, NewServiceCommitment, ServiceCommitmentRow,
};
pub use crate::duties::{DutyCommentRow, DutyFileRow, DutyRow, DutyUpdateRow, NewDuty, NewDutyUpdate};
pub use crate::period_plans::{NewPeriodPlanVersion, PeriodPlanRow, PeriodPlanVersion};
pub use crate::planning::{CapacityRow, CostNormRow, NewCostNorm, OfferRow, ProposalEventRow, ProposalRow};
pub use crate::registry::{ChangeCount, ChangeFilter, ChangeRow, PeoplePage, PeopleQuery, PersonHit};
pub use crate::stats::{Stats, StatsSection};
pub use crate::value::{Value, truncate_micros};

/// What can go wrong in the store. Messages are for the user, in Vietnamese.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("không mở được cơ sở dữ liệu SQLite tại {path}: {source}")]
    OpenSqlite { path: String, source: rusqlite::Error },
    #[error("không tạo được thư mục cho cơ sở dữ liệu SQLite {path}: {source}")]
    OpenSqliteDir { path: String, source: std::io::Error },
    #[error("không mở được cơ sở dữ liệu PostgreSQL tại {url}: {}", pg_message(.source))]
    OpenPostgres { url: String, source: ::postgres::Error },
    #[error("không áp dụng được bản cập nhật lược đồ {version} ({name}): {source}")]
    Migration { version: i64, name: &'static str, source: Box<StoreError> },
    #[error("lỗi SQLite: {0}")]
    Sqlite(#[from] rusqlite::Error),
    #[error("lỗi PostgreSQL: {}", pg_message(.0))]
    Postgres(#[from] ::postgres::Error),
    #[error("dữ liệu đọc từ cơ sở dữ liệu không hợp lệ: {0}")]
    Decode(String),
    #[error("bản ghi {row_id} của bảng {table} không tồn tại hoặc đã bị thay thế")]
    RowNotFound { table: &'static str, row_id: i64 },
    #[error("đối tượng {id} của bảng {table} không tồn tại")]
    EntityNotFound { table: &'static str, id: i64 },
    #[error("đối tượng {id} của bảng {table} đã tồn tại, không thể tạo mới với cùng mã")]
    EntityExists { table: &'static str, id: i64 },
    /// A workflow move refused because the record is no longer where the
    /// caller saw it (someone else moved it), or already exists.
    #[error("{0}")]
    Conflict(String),
    #[error("khoảng hiệu lực rỗng (từ {from} đến {to}) cho bảng {table}")]
    EmptyValidity { table: &'static str, from: chrono::NaiveDate, to: chrono::NaiveDate },
}

/// The server's own message when there is one: the client's Display of a
/// server error says only "db error".
fn pg_message(e: &::postgres::Error) -> String {
    match e.as_db_error() {
        Some(db) => match db.detail() {
            Some(detail) => format!("{} ({detail})", db.message()),
            None => db.message().to_string(),
        },
        None => match std::error::Error::source(e) {
            Some(source) => format!("{e}: {source}"),
            None => e.to_string(),
        },
    }
}

pub type Result<T, E = StoreError> = std::result::Result<T, E>;

pub use nangluc_core::BulkRow;

/// One entry of the audit trail.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChangeInfo {
    pub id: i64,
    pub at: DateTime<Utc>,
    pub actor: String,
    pub reason: String,
}

/// Hides the password of a database URL before it is shown.
pub fn redact(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme), Some(at)) if at > scheme => match url[scheme + 3..at].split_once(':') {
            Some((user, _)) => format!("{}{user}:***{}", &url[..scheme + 3], &url[at..]),
            None => url.to_string(),
        },
        _ => url.to_string(),
    }
}

fn is_postgres_url(url: &str) -> bool {
    url.starts_with("postgres://") || url.starts_with("postgresql://")
}

/// Rows buffered by a bulk load before they are written (all tables together),
/// which bounds its memory whatever the size of the load.
const BULK_BATCH: usize = 50_000;
/// How often a bulk load reports progress, in rows.
const BULK_PROGRESS: u64 = 5_000;
/// Values per `IN (…)` list of [`Store::current_where_in`]: far below both
/// engines' parameter limits, large enough that 100,000 keys take 200 queries.
pub const IN_CHUNK: usize = 500;

/// Numbered parameters collected while a query is built.
#[derive(Default)]
struct Params(Vec<Value>);

impl Params {
    /// Adds a parameter and gives its placeholder.
    fn push(&mut self, v: impl Into<Value>) -> String {
        self.0.push(v.into());
        format!("${}", self.0.len())
    }
}

fn prefix(alias: &str) -> String {
    if alias.is_empty() { String::new() } else { format!("{alias}.") }
}

/// Rows known at `known_at` (`None`: the rows still believed).
fn known_filter(p: &mut Params, alias: &str, known_at: Option<DateTime<Utc>>) -> String {
    let a = prefix(alias);
    match known_at {
        None => format!("{a}superseded_at IS NULL"),
        Some(k) => {
            let k = p.push(k);
            format!("{a}recorded_at <= {k} AND ({a}superseded_at IS NULL OR {a}superseded_at > {k})")
        }
    }
}

/// Rows true on `as_of.date` and known at `as_of.known_at`.
fn seen_filter(p: &mut Params, alias: &str, as_of: &AsOf) -> String {
    let a = prefix(alias);
    let d = p.push(as_of.date);
    let known = known_filter(p, alias, as_of.known_at);
    format!("{a}valid_from <= {d} AND ({a}valid_to IS NULL OR {a}valid_to > {d}) AND {known}")
}

/// The units of a subtree as of a date: a recursive query both engines run.
fn subtree_cte(p: &mut Params, unit_id: i64, as_of: &AsOf) -> String {
    let root = p.push(unit_id);
    let seen = seen_filter(p, "u", as_of);
    format!(
        "WITH RECURSIVE sub (id) AS (
            SELECT CAST({root} AS BIGINT)
            UNION
            SELECT u.id FROM units u JOIN sub ON u.parent_id = sub.id WHERE {seen}
        )"
    )
}

/// Escapes `%`, `_` and `\` for a LIKE pattern with `ESCAPE '\'`.
fn escape_like(s: &str) -> String {
    s.replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_")
}

/// A database of NăngLực facts.
pub struct Store {
    db: Box<dyn Backend>,
    memo: memo::Memo,
}

impl Store {
    /// Opens (creating it on first use) a database and brings its schema up to
    /// date. A `postgres://` or `postgresql://` URL opens PostgreSQL (a schema
    /// can be chosen with `?options=-csearch_path%3Dname`); anything else is a
    /// SQLite file path, optionally prefixed `sqlite:`, or `:memory:`.
    pub fn open(url: &str) -> Result<Store> {
        let db: Box<dyn Backend> = if is_postgres_url(url) {
            Box::new(postgres::Postgres::open(url, None)?)
        } else {
            let path = url.strip_prefix("sqlite://").or_else(|| url.strip_prefix("sqlite:")).unwrap_or(url);
            Box::new(sqlite::Sqlite::open(path)?)
        };
        Self::init(db)
    }

    /// Opens PostgreSQL with every table in `schema`, creating the schema if
    /// needed (one database can then hold several independent stores).
    pub fn open_pg_in_schema(url: &str, schema: &str) -> Result<Store> {
        Self::init(Box::new(postgres::Postgres::open(url, Some(schema))?))
    }

    fn init(mut db: Box<dyn Backend>) -> Result<Store> {
        migrate::run(db.as_mut())?;
        Ok(Store { db, memo: memo::Memo::default() })
    }

    /// "SQLite" or "PostgreSQL".
    pub fn backend_name(&self) -> &'static str {
        self.db.name()
    }

    /// The version of the newest migration this build knows (migrations are
    /// applied by number, so a database at this version has them all).
    pub fn latest_schema_version() -> i64 {
        migrate::MIGRATIONS.iter().map(|m| m.version).max().unwrap_or(0)
    }

    /// The schema version: the last migration applied.
    pub fn schema_version(&mut self) -> Result<i64> {
        let row = self.db.query_one("SELECT COALESCE(MAX(version), 0) FROM schema_migrations", &[])?;
        row.get_i64(0)
    }

    /// Runs `f` in a transaction: committed if it succeeds, rolled back otherwise.
    fn transaction<T>(&mut self, f: impl FnOnce(&mut dyn Backend) -> Result<T>) -> Result<T> {
        self.db.begin()?;
        match f(self.db.as_mut()) {
            Ok(v) => match self.db.commit() {
                Ok(()) => Ok(v),
                Err(e) => {
                    let _ = self.db.rollback();
                    Err(e)
                }
            },
            Err(e) => {
                let _ = self.db.rollback();
                Err(e)
            }
        }
    }

    /// Applies a change set, all or nothing: records the change, then each op
    /// in order. A completed enrolment in a programme that grants a
    /// qualification also records that qualification, in the same change.
    pub fn apply(&mut self, change: &ChangeSet) -> Result<Applied> {
        self.apply_with_progress(change, &mut |_| {})
    }

    /// [`Store::apply`], telling `progress` how many ops have been written
    /// every few thousand ops (a long import's progress bar).
    pub fn apply_with_progress(&mut self, change: &ChangeSet, progress: &mut dyn FnMut(u64)) -> Result<Applied> {
        let at = truncate_micros(change.at.unwrap_or_else(Utc::now));
        self.transaction(|db| {
            let change_id = insert_change(db, at, &change.actor, &change.reason)?;
            let mut ids = NewIds::allocate(db, &change.ops)?;
            let mut records = Vec::with_capacity(change.ops.len());
            for (i, op) in change.ops.iter().enumerate() {
                if (i as u64).is_multiple_of(BULK_PROGRESS) {
                    progress(i as u64);
                }
                match op {
                    Op::Record { entity, valid, fact } => {
                        let (id, row_id) = record_with(db, &mut ids, change_id, at, *entity, *valid, fact)?;
                        records.push((id, row_id));
                        if let Fact::Enrolment(e) = fact {
                            grant_qualification(db, change_id, at, id, e)?;
                        }
                    }
                    Op::Supersede { table, row_id } => supersede(db, change_id, at, *table, *row_id)?,
                }
            }
            progress(change.ops.len() as u64);
            Ok(Applied { change_id, recorded_at: at, records })
        })
    }

    /// Every row of an entity, every version, in valid then recorded order:
    /// the audit trail of one thing.
    pub fn history(&mut self, table: Table, id: i64) -> Result<Vec<Versioned<Fact>>> {
        let d = desc(table);
        let sql = format!(
            "SELECT {} FROM {} WHERE id = $1 ORDER BY valid_from, recorded_at, row_id",
            d.select_list(""),
            d.name()
        );
        self.read_rows(table, &sql, &[Value::Int(id)])
    }

    /// One row by its row id, whatever its times.
    pub fn row(&mut self, table: Table, row_id: i64) -> Result<Option<Versioned<Fact>>> {
        let d = desc(table);
        let sql = format!("SELECT {} FROM {} WHERE row_id = $1", d.select_list(""), d.name());
        Ok(self.read_rows(table, &sql, &[Value::Int(row_id)])?.into_iter().next())
    }

    /// The rows of a table seen by a reading: true on the date, known at the
    /// moment. Ordered by entity id.
    pub fn as_of(&mut self, table: Table, as_of: &AsOf) -> Result<Vec<Versioned<Fact>>> {
        let d = desc(table);
        let mut p = Params::default();
        let seen = seen_filter(&mut p, "", as_of);
        let sql = format!("SELECT {} FROM {} WHERE {seen} ORDER BY id, valid_from, row_id", d.select_list(""), d.name());
        self.read_rows(table, &sql, &p.0)
    }

    fn read_rows(&mut self, table: Table, sql: &str, params: &[Value]) -> Result<Vec<Versioned<Fact>>> {
        let d = desc(table);
        let mut out = Vec::new();
        self.db.query_each(sql, params, &mut |row| {
            out.push(read_versioned(d, &row)?);
            Ok(())
        })?;
        Ok(out)
    }

    /// Streams every row known at `known_at` (all valid times), table by table
    /// in [`Table::ALL`] order, each by entity id then valid from. Returns the
    /// number of rows.
    pub fn visit_knowledge(&mut self, known_at: Option<DateTime<Utc>>, sink: &mut dyn KnowledgeSink) -> Result<u64> {
        self.db.full_scan(true)?;
        let read = self.visit_tables(known_at, &Table::ALL, sink);
        let after = self.db.full_scan(false);
        let n = read?;
        after?;
        Ok(n)
    }

    /// [`Store::visit_knowledge`] for some tables only (in the order given):
    /// a staff export reads no training records.
    pub fn visit_tables(&mut self, known_at: Option<DateTime<Utc>>, tables: &[Table], sink: &mut dyn KnowledgeSink) -> Result<u64> {
        let mut n = 0;
        for &table in tables {
            let d = desc(table);
            let mut p = Params::default();
            let known = known_filter(&mut p, "", known_at);
            let sql =
                format!("SELECT {} FROM {} WHERE {known} ORDER BY id, valid_from, row_id", d.select_list(""), d.name());
            self.db.query_each(&sql, &p.0, &mut |row| {
                sink.row(read_versioned(d, &row)?);
                n += 1;
                Ok(())
            })?;
        }
        Ok(n)
    }

    /// Everything known at `known_at`, in memory.
    pub fn knowledge(&mut self, known_at: Option<DateTime<Utc>>) -> Result<Knowledge> {
        let mut k = Knowledge { known_at, ..Knowledge::default() };
        self.visit_knowledge(known_at, &mut k)?;
        Ok(k)
    }

    /// A unit and every unit under it, as the tree stood on the date.
    pub fn unit_subtree(&mut self, unit_id: i64, as_of: &AsOf) -> Result<Vec<i64>> {
        let mut p = Params::default();
        let cte = subtree_cte(&mut p, unit_id, as_of);
        let sql = format!("{cte} SELECT id FROM sub ORDER BY id");
        self.ids(&sql, &p.0)
    }

    /// The people employed, as of the reading, in a unit (or in its subtree).
    pub fn people_in_unit(&mut self, unit_id: i64, as_of: &AsOf, subtree: bool) -> Result<Vec<i64>> {
        let mut p = Params::default();
        let sql = if subtree {
            let cte = subtree_cte(&mut p, unit_id, as_of);
            let seen = seen_filter(&mut p, "e", as_of);
            format!(
                "{cte} SELECT DISTINCT e.person_id FROM employments e JOIN sub ON e.unit_id = sub.id
                 WHERE {seen} ORDER BY e.person_id"
            )
        } else {
            let unit = p.push(unit_id);
            let seen = seen_filter(&mut p, "e", as_of);
            format!("SELECT DISTINCT e.person_id FROM employments e WHERE e.unit_id = {unit} AND {seen} ORDER BY e.person_id")
        };
        self.ids(&sql, &p.0)
    }

    fn ids(&mut self, sql: &str, params: &[Value]) -> Result<Vec<i64>> {
        let mut out = Vec::new();
        self.db.query_each(sql, params, &mut |row| {
            out.push(row.get_i64(0)?);
            Ok(())
        })?;
        Ok(out)
    }

    /// People whose name contains every word of `query` at a word start,
    /// ignoring case and diacritics ("nguyen van an", "ĐẶNG"), or whose
    /// personal identification number is `query`; in Vietnamese name order.
    pub fn find_people(&mut self, query: &str, as_of: &AsOf, limit: usize) -> Result<Vec<(i64, PersonDetails)>> {
        let query = query.trim();
        let key = nangluc_core::text::search_key(query);
        if key.split_whitespace().next().is_none() {
            return Ok(Vec::new());
        }
        let mut p = Params::default();
        let seen = seen_filter(&mut p, "p", as_of);
        // A leading space makes "% word%" match at the start of any word.
        let words: Vec<String> = key
            .split_whitespace()
            .map(|w| format!("(' ' || p.search_key) LIKE {} ESCAPE '\\'", p.push(format!("% {}%", escape_like(w)))))
            .collect();
        let number = p.push(query);
        let limit = p.push(i64::try_from(limit).unwrap_or(i64::MAX));
        let sql = format!(
            "SELECT {} FROM people p WHERE {seen} AND (({}) OR p.identity_number = {number})
             ORDER BY p.sort_key, p.id LIMIT {limit}",
            desc(Table::People).select_list("p"),
            words.join(" AND ")
        );
        let rows = self.read_rows(Table::People, &sql, &p.0)?;
        Ok(rows
            .into_iter()
            .filter_map(|v| match v.data {
                Fact::Person(person) => Some((v.id, person)),
                _ => None,
            })
            .collect())
    }

    /// The workforce in figures as of a reading.
    pub fn stats(&mut self, as_of: &AsOf) -> Result<Stats> {
        stats::compute(self.db.as_mut(), as_of)
    }

    /// Rows in a table, every version included.
    pub fn count(&mut self, table: Table) -> Result<i64> {
        self.db.query_one(&format!("SELECT COUNT(*) FROM {}", table.name()), &[])?.get_i64(0)
    }

    /// Whether no change has ever been recorded.
    pub fn is_empty(&mut self) -> Result<bool> {
        let row = self.db.query_opt("SELECT id FROM changes LIMIT 1", &[])?;
        Ok(row.is_none())
    }

    /// The latest change sets, newest first.
    pub fn changes(&mut self, limit: usize) -> Result<Vec<ChangeInfo>> {
        let rows = self.db.query(
            "SELECT id, at, actor, reason FROM changes ORDER BY id DESC LIMIT $1",
            &[Value::Int(i64::try_from(limit).unwrap_or(i64::MAX))],
        )?;
        rows.iter()
            .map(|r| {
                Ok(ChangeInfo { id: r.get_i64(0)?, at: r.get_ts(1)?, actor: r.get_str(2)?.into(), reason: r.get_str(3)?.into() })
            })
            .collect()
    }

    /// Deletes every fact and change (the schema stays): for reloading demo
    /// data. Not part of normal operation, which never deletes.
    pub fn reset(&mut self) -> Result<()> {
        let tables: Vec<&str> = Table::ALL.iter().map(|t| t.name()).collect();
        let dialect = self.db.dialect();
        self.transaction(|db| {
            // Workflow records name units, people and classes by id: they go
            // with the facts (children before parents).
            for t in planning::PLANNING_TABLES.iter().chain(annual::WORKFLOW_TABLES) {
                db.batch(&format!("DELETE FROM {t}"))?;
            }
            match dialect {
                Dialect::Postgres => db.batch(&format!("TRUNCATE {}, changes RESTART IDENTITY", tables.join(", ")))?,
                Dialect::Sqlite => {
                    for t in &tables {
                        db.batch(&format!("DELETE FROM {t}"))?;
                    }
                    db.batch("DELETE FROM changes")?;
                }
            }
            db.execute("UPDATE id_counters SET next = 1", &[])?;
            Ok(())
        })
    }

    /// The rows currently believed (not superseded) of the entities whose
    /// `column` equals `value`, across all valid times: lookups by identity
    /// number, unit code, programme code, person. `column` must be one of the
    /// table's columns.
    pub fn current_where(&mut self, table: Table, column: &str, value: Value) -> Result<Vec<Versioned<Fact>>> {
        let d = desc(table);
        assert!(d.has_column(column), "{column} is not a column of {}", d.name());
        let sql = format!(
            "SELECT {} FROM {} WHERE {column} = $1 AND superseded_at IS NULL ORDER BY id, valid_from, row_id",
            d.select_list(""),
            d.name()
        );
        self.read_rows(table, &sql, &[value])
    }

    /// Every row of a table currently believed, across all valid times (a
    /// small catalogue such as the job positions), by entity then start.
    pub fn current_rows(&mut self, table: Table) -> Result<Vec<Versioned<Fact>>> {
        let d = desc(table);
        let sql = format!(
            "SELECT {} FROM {} WHERE superseded_at IS NULL ORDER BY id, valid_from, row_id",
            d.select_list(""),
            d.name()
        );
        self.read_rows(table, &sql, &[])
    }

    /// [`Store::current_where`] for many values at once (the keys of a whole
    /// file), handed to `f` row by row: a few queries of [`IN_CHUNK`] values
    /// instead of one per value. Every chunk has the same number of
    /// placeholders (the last value repeated), so each engine prepares the
    /// statement once. Pass distinct values: a value given twice comes back
    /// once per chunk it falls in.
    pub fn current_where_in(
        &mut self,
        table: Table,
        column: &str,
        values: &[Value],
        f: &mut dyn FnMut(Versioned<Fact>),
    ) -> Result<()> {
        let d = desc(table);
        assert!(d.has_column(column), "{column} is not a column of {}", d.name());
        if values.is_empty() {
            return Ok(());
        }
        let placeholders: Vec<String> = (1..=IN_CHUNK).map(|i| format!("${i}")).collect();
        let sql = format!(
            "SELECT {} FROM {} WHERE {column} IN ({}) AND superseded_at IS NULL",
            d.select_list(""),
            d.name(),
            placeholders.join(", ")
        );
        let mut params = Vec::with_capacity(IN_CHUNK);
        for chunk in values.chunks(IN_CHUNK) {
            params.clear();
            params.extend_from_slice(chunk);
            let last = chunk[chunk.len() - 1].clone();
            params.resize(IN_CHUNK, last);
            self.db.query_each(&sql, &params, &mut |row| {
                f(read_versioned(d, &row)?);
                Ok(())
            })?;
        }
        Ok(())
    }

    /// Takes the next entity id of a table for a caller that must know it
    /// before recording (an import links a new person to their employment).
    pub fn reserve_id(&mut self, table: Table) -> Result<i64> {
        self.reserve_ids(table, 1)
    }

    /// Takes `n` consecutive entity ids of a table in one transaction; gives
    /// the first. An importer reserves blocks rather than one id per row.
    pub fn reserve_ids(&mut self, table: Table, n: i64) -> Result<i64> {
        assert!(n >= 1, "reserve at least one id");
        self.transaction(|db| {
            db.query_one(
                "UPDATE id_counters SET next = next + $2 WHERE tbl = $1 RETURNING next - $2",
                &[table.name().into(), n.into()],
            )?
            .get_i64(0)
        })
    }

    /// Loads many rows at once (a generated province, an import), in one
    /// transaction and one change set, with bounded memory: rows are buffered
    /// in batches and written with the engine's fastest path (prepared inserts
    /// on SQLite, binary COPY on PostgreSQL). Entity ids are the caller's; the
    /// id counters continue after them. Calls `progress` with the number of
    /// rows read every few thousand rows. Returns the number of rows loaded.
    pub fn bulk_load<I>(&mut self, actor: &str, reason: &str, rows: I, progress: &mut dyn FnMut(u64)) -> Result<u64>
    where
        I: IntoIterator,
        I::Item: Into<BulkRow>,
    {
        let at = truncate_micros(Utc::now());
        let loaded = self.transaction(|db| {
            let change_id = insert_change(db, at, actor, reason)?;
            let mut buffers: Vec<Vec<Vec<Value>>> = Table::ALL.iter().map(|_| Vec::new()).collect();
            let mut buffered = 0usize;
            let mut max_id = [0i64; Table::ALL.len()];
            let mut n = 0u64;
            let mut next_report = BULK_PROGRESS;
            let flush = |db: &mut dyn Backend, buffers: &mut Vec<Vec<Vec<Value>>>| -> Result<()> {
                for (table, rows) in Table::ALL.iter().zip(buffers.iter_mut()) {
                    if !rows.is_empty() {
                        db.copy_in(desc(*table), rows)?;
                        rows.clear();
                    }
                }
                Ok(())
            };
            for row in rows {
                let row: BulkRow = row.into();
                let table = row.fact.table();
                let i = table as usize;
                let superseded_at = row.superseded_at.map(truncate_micros);
                let base = [
                    row.id.into(),
                    row.valid.from.into(),
                    row.valid.to.into(),
                    truncate_micros(row.recorded_at).into(),
                    superseded_at.into(),
                    Value::Int(change_id),
                    if superseded_at.is_some() { Value::Int(change_id) } else { Value::Null },
                ];
                buffers[i].push(desc(table).row_values(base, &row.fact));
                max_id[i] = max_id[i].max(row.id);
                buffered += 1;
                n += 1;
                if buffered >= BULK_BATCH {
                    flush(db, &mut buffers)?;
                    buffered = 0;
                }
                if n >= next_report {
                    progress(n);
                    next_report += BULK_PROGRESS;
                }
            }
            flush(db, &mut buffers)?;
            for (table, max) in Table::ALL.iter().zip(max_id) {
                if max > 0 {
                    reserve_id(db, *table, max)?;
                }
            }
            Ok(n)
        })?;
        progress(loaded);
        self.db.after_bulk_load()?;
        Ok(loaded)
    }
}

fn insert_change(db: &mut dyn Backend, at: DateTime<Utc>, actor: &str, reason: &str) -> Result<i64> {
    db.query_one(
        "INSERT INTO changes (at, actor, reason) VALUES ($1, $2, $3) RETURNING id",
        &[at.into(), actor.into(), reason.into()],
    )?
    .get_i64(0)
}

/// Allocates a new entity id from the table's counter.
fn allocate_id(db: &mut dyn Backend, table: Table) -> Result<i64> {
    db.query_one("UPDATE id_counters SET next = next + 1 WHERE tbl = $1 RETURNING next - 1", &[table.name().into()])?
        .get_i64(0)
}

/// Moves the table's counter past `id`, so that ids chosen by callers are
/// never allocated again.
fn reserve_id(db: &mut dyn Backend, table: Table, id: i64) -> Result<()> {
    db.execute("UPDATE id_counters SET next = $2 + 1 WHERE tbl = $1 AND next <= $2", &[table.name().into(), id.into()])?;
    Ok(())
}

fn entity_exists(db: &mut dyn Backend, table: Table, id: i64) -> Result<bool> {
    let sql = format!("SELECT 1 FROM {} WHERE id = $1 LIMIT 1", table.name());
    Ok(db.query_opt(&sql, &[id.into()])?.is_some())
}

/// The ids of a change set's new entities, taken from each table's counter
/// in one statement per table before the ops run (rather than one per op);
/// handed out in op order, so the ids are the same sequence as one by one.
///
/// It also checks the entities the ops name in a few `IN (…)` queries rather
/// than one query per op (a round trip each on PostgreSQL): given ids must be
/// free, existing ids recorded.
struct NewIds {
    /// Per table: the next id to hand out and the end of the block.
    blocks: [(i64, i64); Table::ALL.len()],
    /// Given ids recorded so far by this change set (a second use is an error).
    given: std::collections::HashSet<(Table, i64)>,
    /// Existing ids found recorded before the change set.
    existing: std::collections::HashSet<(Table, i64)>,
}

/// Which of `ids` (distinct) have rows in `table`.
fn ids_present(db: &mut dyn Backend, table: Table, ids: &[i64]) -> Result<Vec<i64>> {
    let placeholders: Vec<String> = (1..=IN_CHUNK).map(|i| format!("${i}")).collect();
    let sql = format!("SELECT DISTINCT id FROM {} WHERE id IN ({})", table.name(), placeholders.join(", "));
    let mut present = Vec::new();
    for chunk in ids.chunks(IN_CHUNK) {
        let mut params: Vec<Value> = chunk.iter().map(|&id| Value::Int(id)).collect();
        params.resize(IN_CHUNK, Value::Int(chunk[chunk.len() - 1]));
        db.query_each(&sql, &params, &mut |row| {
            present.push(row.get_i64(0)?);
            Ok(())
        })?;
    }
    Ok(present)
}

impl NewIds {
    fn allocate(db: &mut dyn Backend, ops: &[Op]) -> Result<NewIds> {
        let mut new = [0i64; Table::ALL.len()];
        let mut given = [0i64; Table::ALL.len()];
        let mut named: Vec<(Vec<i64>, Vec<i64>)> = Table::ALL.iter().map(|_| (Vec::new(), Vec::new())).collect();
        for op in ops {
            if let Op::Record { entity, fact, .. } = op {
                let t = fact.table() as usize;
                match entity {
                    Entity::New => new[t] += 1,
                    Entity::Given(id) => {
                        given[t] = given[t].max(*id);
                        named[t].0.push(*id);
                    }
                    Entity::Existing(id) => named[t].1.push(*id),
                }
            }
        }
        let mut existing = std::collections::HashSet::new();
        for (table, (given_ids, existing_ids)) in Table::ALL.iter().zip(named.iter_mut()) {
            given_ids.sort_unstable();
            given_ids.dedup();
            if let Some(&id) = ids_present(db, *table, given_ids)?.iter().min() {
                return Err(StoreError::EntityExists { table: table.name(), id });
            }
            existing_ids.sort_unstable();
            existing_ids.dedup();
            existing.extend(ids_present(db, *table, existing_ids)?.into_iter().map(|id| (*table, id)));
        }
        let mut blocks = [(0, 0); Table::ALL.len()];
        for (t, table) in Table::ALL.iter().enumerate() {
            // Ids chosen by the caller are never allocated again.
            if given[t] > 0 {
                reserve_id(db, *table, given[t])?;
            }
            if new[t] > 0 {
                let first = db
                    .query_one(
                        "UPDATE id_counters SET next = next + $2 WHERE tbl = $1 RETURNING next - $2",
                        &[table.name().into(), new[t].into()],
                    )?
                    .get_i64(0)?;
                blocks[t] = (first, first + new[t]);
            }
        }
        Ok(NewIds { blocks, given: std::collections::HashSet::new(), existing })
    }

    fn next(&mut self, db: &mut dyn Backend, table: Table) -> Result<i64> {
        let (next, end) = &mut self.blocks[table as usize];
        if *next < *end {
            *next += 1;
            return Ok(*next - 1);
        }
        allocate_id(db, table)
    }
}

/// The INSERT … RETURNING row_id of a table, built once.
fn insert_returning_sql(table: Table) -> &'static str {
    static SQL: [std::sync::OnceLock<String>; Table::ALL.len()] = [const { std::sync::OnceLock::new() }; Table::ALL.len()];
    SQL[table as usize].get_or_init(|| desc(table).insert_sql(true))
}

/// Inserts one row outside a planned change set (a granted qualification).
fn record(
    db: &mut dyn Backend,
    change_id: i64,
    at: DateTime<Utc>,
    entity: Entity,
    valid: Validity,
    fact: &Fact,
) -> Result<(i64, i64)> {
    let mut ids = NewIds::allocate(db, &[])?;
    if let Entity::Given(id) = entity {
        if entity_exists(db, fact.table(), id)? {
            return Err(StoreError::EntityExists { table: fact.table().name(), id });
        }
        reserve_id(db, fact.table(), id)?;
    }
    record_with(db, &mut ids, change_id, at, entity, valid, fact)
}

/// Inserts one row; gives (entity id, row id).
fn record_with(
    db: &mut dyn Backend,
    ids: &mut NewIds,
    change_id: i64,
    at: DateTime<Utc>,
    entity: Entity,
    valid: Validity,
    fact: &Fact,
) -> Result<(i64, i64)> {
    let table = fact.table();
    if let Some(to) = valid.to.filter(|_| valid.is_empty()) {
        return Err(StoreError::EmptyValidity { table: table.name(), from: valid.from, to });
    }
    let id = match entity {
        Entity::New => ids.next(db, table)?,
        // Free before the change set (checked by `NewIds::allocate`); taken
        // twice within it is the error.
        Entity::Given(id) => {
            if !ids.given.insert((table, id)) {
                return Err(StoreError::EntityExists { table: table.name(), id });
            }
            id
        }
        // Not recorded before the change set: perhaps earlier in it.
        Entity::Existing(id) => {
            if !ids.existing.contains(&(table, id)) && !entity_exists(db, table, id)? {
                return Err(StoreError::EntityNotFound { table: table.name(), id });
            }
            id
        }
    };
    let d = desc(table);
    let base = [id.into(), valid.from.into(), valid.to.into(), at.into(), Value::Null, change_id.into(), Value::Null];
    let row_id = db.query_one(insert_returning_sql(table), &d.row_values(base, fact))?.get_i64(0)?;
    Ok((id, row_id))
}

fn supersede(db: &mut dyn Backend, change_id: i64, at: DateTime<Utc>, table: Table, row_id: i64) -> Result<()> {
    static SQL: [std::sync::OnceLock<String>; Table::ALL.len()] = [const { std::sync::OnceLock::new() }; Table::ALL.len()];
    let sql = SQL[table as usize].get_or_init(|| {
        format!(
            "UPDATE {} SET superseded_at = $1, superseded_change_id = $2 WHERE row_id = $3 AND superseded_at IS NULL",
            table.name()
        )
    });
    match db.execute(sql, &[at.into(), change_id.into(), row_id.into()])? {
        0 => Err(StoreError::RowNotFound { table: table.name(), row_id }),
        _ => Ok(()),
    }
}

/// Records the qualification a completed enrolment grants, once per enrolment.
fn grant_qualification(
    db: &mut dyn Backend,
    change_id: i64,
    at: DateTime<Utc>,
    enrolment_id: i64,
    enrolment: &Enrolment,
) -> Result<()> {
    if enrolment.status != EnrolmentStatus::Completed {
        return Ok(());
    }
    let granted = db.query_opt(
        "SELECT 1 FROM qualifications WHERE enrolment_id = $1 AND superseded_at IS NULL LIMIT 1",
        &[enrolment_id.into()],
    )?;
    if granted.is_some() {
        return Ok(());
    }
    // The programme as currently believed, in the version in force when the
    // course ended (or its latest version).
    let d = desc(Table::Programmes);
    let sql = format!(
        "SELECT {} FROM programmes WHERE id = $1 AND superseded_at IS NULL ORDER BY valid_from, row_id",
        d.select_list("")
    );
    let mut versions = Vec::new();
    for row in db.query(&sql, &[enrolment.programme_id.into()])? {
        versions.push(read_versioned(d, &row)?);
    }
    let in_force = versions.iter().rev().find(|v| v.valid.contains(enrolment.ends_on)).or(versions.last());
    let Some(Versioned { data: Fact::Programme(programme), .. }) = in_force else {
        return Ok(());
    };
    if let Some(q) = nangluc_core::training::granted_qualification(enrolment_id, enrolment, programme) {
        let valid = Validity::since(q.obtained_on);
        record(db, change_id, at, Entity::New, valid, &Fact::Qualification(q))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_pick_the_engine_and_hide_passwords() {
        assert!(is_postgres_url("postgres://u@h/db"));
        assert!(is_postgres_url("postgresql://u@h/db"));
        assert!(!is_postgres_url("nangluc.db"));
        assert_eq!(redact("postgres://u:secret@h/db"), "postgres://u:***@h/db");
        assert_eq!(redact("postgres://u@h/db"), "postgres://u@h/db");
    }

    #[test]
    fn like_patterns_are_escaped() {
        assert_eq!(escape_like("a%b_c\\"), "a\\%b\\_c\\\\");
    }

    #[test]
    fn filters_number_their_parameters() {
        let mut p = Params::default();
        let date = chrono::NaiveDate::from_ymd_opt(2025, 1, 1).unwrap();
        let s = seen_filter(&mut p, "e", &AsOf::known_at(date, Utc::now()));
        assert_eq!(
            s,
            "e.valid_from <= $1 AND (e.valid_to IS NULL OR e.valid_to > $1) AND e.recorded_at <= $2 AND (e.superseded_at IS NULL OR e.superseded_at > $2)"
        );
        assert_eq!(p.0.len(), 2);
    }
}
