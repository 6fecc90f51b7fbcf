pub mod demo;
pub mod files;
pub mod plan;
pub mod propose;
pub mod report;
pub mod serve;
pub mod stats;

use anyhow::{Context, Result};
use chrono::NaiveDate;

/// Parses a date written dd/mm/yyyy (as users write it) or yyyy-mm-dd.
pub fn parse_date(s: &str) -> Result<NaiveDate, String> {
    NaiveDate::parse_from_str(s, "%d/%m/%Y")
        .or_else(|_| NaiveDate::parse_from_str(s, "%Y-%m-%d"))
        .map_err(|_| format!("'{s}' không phải ngày hợp lệ (viết dd/mm/yyyy hoặc yyyy-mm-dd)"))
}

pub fn open_store(db: &str) -> Result<nangluc_store::Store> {
    nangluc_store::Store::open(db).with_context(|| format!("không mở được cơ sở dữ liệu '{}'", redact(db)))
}

/// Hides a password in a database URL before it is printed.
pub fn redact(db: &str) -> String {
    match (db.find("://"), db.rfind('@')) {
        (Some(scheme), Some(at)) if at > scheme => {
            let userinfo = &db[scheme + 3..at];
            match userinfo.split_once(':') {
                Some((user, _)) => format!("{}{}:***{}", &db[..scheme + 3], user, &db[at..]),
                None => db.to_string(),
            }
        }
        _ => db.to_string(),
    }
}

pub fn today() -> NaiveDate {
    chrono::Local::now().date_naive()
}

/// Formats a whole number the Vietnamese way: 40.123.
pub fn number(n: i64) -> String {
    let digits = n.unsigned_abs().to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push('.');
        }
        out.push(c);
    }
    if n < 0 { format!("-{out}") } else { out }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_and_dates_the_vietnamese_way() {
        assert_eq!(number(2800), "2.800");
        assert_eq!(number(1234567), "1.234.567");
        assert_eq!(number(999), "999");
        assert_eq!(parse_date("31/12/2025"), Ok(NaiveDate::from_ymd_opt(2025, 12, 31).unwrap()));
        assert!(parse_date("31/02/2025").unwrap_err().contains("không phải ngày hợp lệ"));
        assert_eq!(redact("postgres://u:secret@h/db"), "postgres://u:***@h/db");
    }
}
