//! A tiny value layer shared by both engines: parameters go in as [`Value`]s,
//! rows come out as [`Row`]s of values with typed getters.
//!
//! SQLite has no date or boolean types: dates and timestamps are stored as
//! fixed-width ISO text (so that text comparison is time order) and booleans as
//! 0/1. The getters accept either form.

use chrono::{DateTime, NaiveDate, Utc};

use crate::StoreError;

#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Null,
    Int(i64),
    Float(f64),
    Text(String),
    Bool(bool),
    Date(NaiveDate),
    Timestamp(DateTime<Utc>),
    Bytes(Vec<u8>),
}

/// The storage type of a column, as the binary COPY needs it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ColType {
    Int,
    Text,
    Date,
    Ts,
    Bool,
    Bytes,
}

/// Timestamps in SQLite: always six fractional digits and `Z`, so that they
/// sort as text. PostgreSQL keeps microseconds too.
const TS_FORMAT: &str = "%Y-%m-%dT%H:%M:%S%.6fZ";
const DATE_FORMAT: &str = "%Y-%m-%d";

pub(crate) fn ts_text(t: &DateTime<Utc>) -> String {
    t.format(TS_FORMAT).to_string()
}

/// Drops what neither engine stores (below a microsecond), so that a time
/// read back equals the time written.
pub fn truncate_micros(t: DateTime<Utc>) -> DateTime<Utc> {
    let nanos = t.timestamp_subsec_nanos();
    t - chrono::Duration::nanoseconds(i64::from(nanos % 1000))
}

macro_rules! from_impls {
    ($($t:ty => $v:ident),* $(,)?) => {
        $(impl From<$t> for Value {
            fn from(x: $t) -> Value { Value::$v(x.into()) }
        })*
    };
}
from_impls!(i64 => Int, f64 => Float, String => Text, &str => Text, bool => Bool, NaiveDate => Date, DateTime<Utc> => Timestamp, Vec<u8> => Bytes);

impl<T: Into<Value>> From<Option<T>> for Value {
    fn from(x: Option<T>) -> Value {
        x.map_or(Value::Null, Into::into)
    }
}

impl rusqlite::ToSql for Value {
    fn to_sql(&self) -> rusqlite::Result<rusqlite::types::ToSqlOutput<'_>> {
        use rusqlite::types::{ToSqlOutput, Value as V, ValueRef};
        Ok(match self {
            Value::Null => ToSqlOutput::Owned(V::Null),
            Value::Int(i) => ToSqlOutput::Owned(V::Integer(*i)),
            Value::Float(f) => ToSqlOutput::Owned(V::Real(*f)),
            Value::Text(s) => ToSqlOutput::Borrowed(ValueRef::Text(s.as_bytes())),
            Value::Bool(b) => ToSqlOutput::Owned(V::Integer(i64::from(*b))),
            Value::Date(d) => ToSqlOutput::Owned(V::Text(d.format(DATE_FORMAT).to_string())),
            Value::Timestamp(t) => ToSqlOutput::Owned(V::Text(ts_text(t))),
            Value::Bytes(b) => ToSqlOutput::Borrowed(ValueRef::Blob(b)),
        })
    }
}

impl postgres::types::ToSql for Value {
    fn to_sql(
        &self,
        ty: &postgres::types::Type,
        out: &mut bytes::BytesMut,
    ) -> Result<postgres::types::IsNull, Box<dyn std::error::Error + Sync + Send>> {
        use postgres::types::{IsNull, Type};
        match self {
            Value::Null => Ok(IsNull::Yes),
            // The server may infer a narrower integer type for a parameter.
            Value::Int(i) if *ty == Type::INT4 => i32::try_from(*i)?.to_sql(ty, out),
            Value::Int(i) if *ty == Type::INT2 => i16::try_from(*i)?.to_sql(ty, out),
            Value::Int(i) => i.to_sql(ty, out),
            Value::Float(f) if *ty == Type::FLOAT4 => (*f as f32).to_sql(ty, out),
            Value::Float(f) => f.to_sql(ty, out),
            Value::Text(s) => s.as_str().to_sql(ty, out),
            Value::Bool(b) => b.to_sql(ty, out),
            Value::Date(d) => d.to_sql(ty, out),
            Value::Timestamp(t) => t.to_sql(ty, out),
            Value::Bytes(b) => b.as_slice().to_sql(ty, out),
        }
    }

    fn accepts(_: &postgres::types::Type) -> bool {
        // Checked per value in `to_sql`, which delegates to the typed impls.
        true
    }

    postgres::types::to_sql_checked!();
}

/// One result row.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Row(pub(crate) Vec<Value>);

fn bad(i: usize, want: &str, got: &Value) -> StoreError {
    StoreError::Decode(format!("cột {i}: cần {want}, nhận được {got:?}"))
}

impl Row {
    pub(crate) fn get(&self, i: usize) -> &Value {
        self.0.get(i).unwrap_or(&Value::Null)
    }

    pub(crate) fn opt_i64(&self, i: usize) -> Result<Option<i64>, StoreError> {
        match self.get(i) {
            Value::Null => Ok(None),
            Value::Int(n) => Ok(Some(*n)),
            Value::Text(s) => s.parse().map(Some).map_err(|_| bad(i, "số nguyên", self.get(i))),
            v => Err(bad(i, "số nguyên", v)),
        }
    }

    pub(crate) fn get_i64(&self, i: usize) -> Result<i64, StoreError> {
        self.opt_i64(i)?.ok_or_else(|| bad(i, "số nguyên", &Value::Null))
    }

    pub(crate) fn opt_str(&self, i: usize) -> Result<Option<&str>, StoreError> {
        match self.get(i) {
            Value::Null => Ok(None),
            Value::Text(s) => Ok(Some(s)),
            v => Err(bad(i, "chuỗi", v)),
        }
    }

    pub(crate) fn get_str(&self, i: usize) -> Result<&str, StoreError> {
        self.opt_str(i)?.ok_or_else(|| bad(i, "chuỗi", &Value::Null))
    }

    pub(crate) fn get_bool(&self, i: usize) -> Result<bool, StoreError> {
        match self.get(i) {
            Value::Bool(b) => Ok(*b),
            Value::Int(n) => Ok(*n != 0),
            v => Err(bad(i, "giá trị đúng/sai", v)),
        }
    }

    pub(crate) fn opt_date(&self, i: usize) -> Result<Option<NaiveDate>, StoreError> {
        match self.get(i) {
            Value::Null => Ok(None),
            Value::Date(d) => Ok(Some(*d)),
            Value::Text(s) => NaiveDate::parse_from_str(s, DATE_FORMAT).map(Some).map_err(|_| bad(i, "ngày", self.get(i))),
            v => Err(bad(i, "ngày", v)),
        }
    }

    pub(crate) fn get_date(&self, i: usize) -> Result<NaiveDate, StoreError> {
        self.opt_date(i)?.ok_or_else(|| bad(i, "ngày", &Value::Null))
    }

    pub(crate) fn opt_ts(&self, i: usize) -> Result<Option<DateTime<Utc>>, StoreError> {
        match self.get(i) {
            Value::Null => Ok(None),
            Value::Timestamp(t) => Ok(Some(*t)),
            Value::Text(s) => DateTime::parse_from_rfc3339(s)
                .map(|t| Some(t.with_timezone(&Utc)))
                .map_err(|_| bad(i, "thời điểm", self.get(i))),
            v => Err(bad(i, "thời điểm", v)),
        }
    }

    pub(crate) fn get_ts(&self, i: usize) -> Result<DateTime<Utc>, StoreError> {
        self.opt_ts(i)?.ok_or_else(|| bad(i, "thời điểm", &Value::Null))
    }

    pub(crate) fn get_bytes(&self, i: usize) -> Result<Vec<u8>, StoreError> {
        match self.get(i) {
            Value::Bytes(b) => Ok(b.clone()),
            v => Err(bad(i, "dữ liệu nhị phân", v)),
        }
    }
}

/// Reads the columns of a row one after the other, so that a fact's reader
/// lists its fields in the same order as its column list.
pub(crate) struct Cols<'a> {
    row: &'a Row,
    next: usize,
}

impl<'a> Cols<'a> {
    pub(crate) fn new(row: &'a Row, start: usize) -> Self {
        Self { row, next: start }
    }

    fn take(&mut self) -> usize {
        self.next += 1;
        self.next - 1
    }

    pub(crate) fn int(&mut self) -> Result<i64, StoreError> {
        let i = self.take();
        self.row.get_i64(i)
    }

    pub(crate) fn opt_int(&mut self) -> Result<Option<i64>, StoreError> {
        let i = self.take();
        self.row.opt_i64(i)
    }

    pub(crate) fn text(&mut self) -> Result<String, StoreError> {
        let i = self.take();
        self.row.get_str(i).map(str::to_owned)
    }

    pub(crate) fn opt_text(&mut self) -> Result<Option<String>, StoreError> {
        let i = self.take();
        Ok(self.row.opt_str(i)?.map(str::to_owned))
    }

    pub(crate) fn boolean(&mut self) -> Result<bool, StoreError> {
        let i = self.take();
        self.row.get_bool(i)
    }

    pub(crate) fn date(&mut self) -> Result<NaiveDate, StoreError> {
        let i = self.take();
        self.row.get_date(i)
    }

    pub(crate) fn opt_date(&mut self) -> Result<Option<NaiveDate>, StoreError> {
        let i = self.take();
        self.row.opt_date(i)
    }

    /// A coded enum, parsed from its stable code.
    pub(crate) fn code<T>(&mut self) -> Result<T, StoreError>
    where
        T: std::str::FromStr,
        T::Err: std::fmt::Display,
    {
        let i = self.take();
        self.row.get_str(i)?.parse().map_err(|e: T::Err| StoreError::Decode(e.to_string()))
    }

    pub(crate) fn opt_code<T>(&mut self) -> Result<Option<T>, StoreError>
    where
        T: std::str::FromStr,
        T::Err: std::fmt::Display,
    {
        let i = self.take();
        self.row
            .opt_str(i)?
            .map(|s| s.parse().map_err(|e: T::Err| StoreError::Decode(e.to_string())))
            .transpose()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sqlite_text_forms_read_back() {
        let t = DateTime::parse_from_rfc3339("2026-01-10T09:00:00.123456Z").unwrap().with_timezone(&Utc);
        let row = Row(vec![Value::Text(ts_text(&t)), Value::Text("2025-07-01".into()), Value::Int(1), Value::Null]);
        assert_eq!(ts_text(&t), "2026-01-10T09:00:00.123456Z");
        assert_eq!(row.get_ts(0).unwrap(), t);
        assert_eq!(row.get_date(1).unwrap(), NaiveDate::from_ymd_opt(2025, 7, 1).unwrap());
        assert!(row.get_bool(2).unwrap());
        assert_eq!(row.opt_date(3).unwrap(), None);
        assert!(row.get_date(0).is_err());
    }

    #[test]
    fn times_truncate_to_microseconds() {
        let t = DateTime::parse_from_rfc3339("2026-01-10T09:00:00.123456789Z").unwrap().with_timezone(&Utc);
        assert_eq!(ts_text(&truncate_micros(t)), "2026-01-10T09:00:00.123456Z");
        assert_eq!(truncate_micros(t).timestamp_subsec_nanos(), 123_456_000);
    }
}
