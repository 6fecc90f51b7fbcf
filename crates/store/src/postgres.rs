//! The server engine: PostgreSQL through the synchronous `postgres` client.

use std::collections::HashMap;

use postgres::binary_copy::BinaryCopyInWriter;
use postgres::fallible_iterator::FallibleIterator;
use postgres::types::{ToSql, Type};
use postgres::{Client, NoTls, Statement};

use crate::StoreError;
use crate::backend::{Backend, Result};
use crate::dialect::Dialect;
use crate::schema::FactDesc;
use crate::value::{ColType, Row, Value};

pub(crate) struct Postgres {
    client: Client,
    /// Prepared statements by SQL text: parsed and planned once per connection.
    statements: HashMap<String, Statement>,
}

/// An arbitrary key for the advisory lock that serialises migrations.
const MIGRATION_LOCK: i64 = 0x004e_616e_674c_7563;

/// Quotes an identifier (a schema name given by the caller).
pub(crate) fn quote_ident(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

impl Postgres {
    pub(crate) fn open(url: &str, schema: Option<&str>) -> Result<Self> {
        let fail = |source| StoreError::OpenPostgres { url: crate::redact(url), source };
        let mut client = Client::connect(url, NoTls).map_err(fail)?;
        if let Some(schema) = schema {
            let q = quote_ident(schema);
            client.batch_execute(&format!("CREATE SCHEMA IF NOT EXISTS {q}; SET search_path TO {q}")).map_err(fail)?;
        }
        Ok(Self { client, statements: HashMap::new() })
    }

    fn statement(&mut self, sql: &str) -> Result<Statement> {
        if let Some(s) = self.statements.get(sql) {
            return Ok(s.clone());
        }
        let s = self.client.prepare(sql)?;
        self.statements.insert(sql.to_owned(), s.clone());
        Ok(s)
    }
}

fn params(values: &[Value]) -> impl ExactSizeIterator<Item = &(dyn ToSql + Sync)> {
    values.iter().map(|v| v as &(dyn ToSql + Sync))
}

fn pg_type(t: ColType) -> Type {
    match t {
        ColType::Int => Type::INT8,
        ColType::Text => Type::TEXT,
        ColType::Date => Type::DATE,
        ColType::Ts => Type::TIMESTAMPTZ,
        ColType::Bool => Type::BOOL,
        ColType::Bytes => Type::BYTEA,
    }
}

/// Reads a row into values, by each column's type.
fn decode(row: &postgres::Row) -> Result<Row> {
    let mut values = Vec::with_capacity(row.len());
    for (i, col) in row.columns().iter().enumerate() {
        let t = col.type_();
        let v = if *t == Type::INT8 {
            row.try_get::<_, Option<i64>>(i)?.map(Value::Int)
        } else if *t == Type::INT4 {
            row.try_get::<_, Option<i32>>(i)?.map(|n| Value::Int(n.into()))
        } else if *t == Type::INT2 {
            row.try_get::<_, Option<i16>>(i)?.map(|n| Value::Int(n.into()))
        } else if *t == Type::TEXT || *t == Type::VARCHAR || *t == Type::BPCHAR || *t == Type::NAME {
            row.try_get::<_, Option<String>>(i)?.map(Value::Text)
        } else if *t == Type::DATE {
            row.try_get::<_, Option<chrono::NaiveDate>>(i)?.map(Value::Date)
        } else if *t == Type::TIMESTAMPTZ {
            row.try_get::<_, Option<chrono::DateTime<chrono::Utc>>>(i)?.map(Value::Timestamp)
        } else if *t == Type::TIMESTAMP {
            row.try_get::<_, Option<chrono::NaiveDateTime>>(i)?.map(|t| Value::Timestamp(t.and_utc()))
        } else if *t == Type::BOOL {
            row.try_get::<_, Option<bool>>(i)?.map(Value::Bool)
        } else if *t == Type::BYTEA {
            row.try_get::<_, Option<Vec<u8>>>(i)?.map(Value::Bytes)
        } else if *t == Type::FLOAT8 {
            row.try_get::<_, Option<f64>>(i)?.map(Value::Float)
        } else if *t == Type::FLOAT4 {
            row.try_get::<_, Option<f32>>(i)?.map(|f| Value::Float(f.into()))
        } else {
            return Err(StoreError::Decode(format!("cột {} có kiểu {t} chưa được hỗ trợ", col.name())));
        };
        values.push(v.unwrap_or(Value::Null));
    }
    Ok(Row(values))
}

impl Backend for Postgres {
    fn name(&self) -> &'static str {
        "PostgreSQL"
    }

    fn dialect(&self) -> Dialect {
        Dialect::Postgres
    }

    fn batch(&mut self, sql: &str) -> Result<()> {
        Ok(self.client.batch_execute(sql)?)
    }

    fn begin(&mut self) -> Result<()> {
        self.batch("BEGIN")
    }

    fn execute(&mut self, sql: &str, values: &[Value]) -> Result<u64> {
        let stmt = self.statement(sql)?;
        let params: Vec<&(dyn ToSql + Sync)> = params(values).collect();
        Ok(self.client.execute(&stmt, &params)?)
    }

    fn query_each(&mut self, sql: &str, values: &[Value], f: &mut dyn FnMut(Row) -> Result<()>) -> Result<()> {
        let stmt = self.statement(sql)?;
        // Rows are decoded as they arrive from the socket, not collected first.
        let mut rows = self.client.query_raw(&stmt, params(values))?;
        while let Some(row) = rows.next()? {
            f(decode(&row)?)?;
        }
        Ok(())
    }

    fn copy_in(&mut self, desc: &FactDesc, rows: &[Vec<Value>]) -> Result<()> {
        let cols: Vec<_> = desc.insert_columns().collect();
        let names: Vec<&str> = cols.iter().map(|c| c.name).collect();
        let types: Vec<Type> = cols.iter().map(|c| pg_type(c.ty)).collect();
        let sql = format!("COPY {} ({}) FROM STDIN BINARY", desc.name(), names.join(", "));
        let sink = self.client.copy_in(sql.as_str())?;
        let mut writer = BinaryCopyInWriter::new(sink, &types);
        let mut refs: Vec<&(dyn ToSql + Sync)> = Vec::with_capacity(cols.len());
        for row in rows {
            refs.clear();
            refs.extend(params(row));
            writer.write(&refs)?;
        }
        writer.finish()?;
        Ok(())
    }

    fn lock_migrations(&mut self, lock: bool) -> Result<()> {
        let f = if lock { "pg_advisory_lock" } else { "pg_advisory_unlock" };
        self.client.execute(format!("SELECT {f}($1)").as_str(), &[&MIGRATION_LOCK])?;
        Ok(())
    }

    fn after_bulk_load(&mut self) -> Result<()> {
        let tables: Vec<&str> = nangluc_core::Table::ALL.iter().map(|t| t.name()).collect();
        self.batch(&format!("ANALYZE {}", tables.join(", ")))
    }
}
