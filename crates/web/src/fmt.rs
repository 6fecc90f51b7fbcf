//! Vietnamese presentation: dates dd/mm/yyyy, numbers 1.234, percentages
//! 17,08 %. The wrapper types print the Vietnamese way in pages and serialise
//! as ISO in the JSON API, so one view model serves both.

use std::fmt;

use chrono::{DateTime, FixedOffset, NaiveDate, Utc};
use serde::Serialize;

/// A date: `23/11/2026` in pages, `2026-11-23` in JSON.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(transparent)]
pub struct Day(pub NaiveDate);

impl fmt::Display for Day {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0.format("%d/%m/%Y"))
    }
}

impl Day {
    /// The value of an `<input type="date">`.
    pub fn iso(&self) -> String {
        self.0.format("%Y-%m-%d").to_string()
    }
}

/// Vietnam's time zone (UTC+7, no daylight saving).
pub fn vietnam() -> FixedOffset {
    FixedOffset::east_opt(7 * 3600).expect("valid offset")
}

/// A moment: `23/11/2026 16:05` (Vietnam time) in pages, RFC 3339 in JSON.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(transparent)]
pub struct Moment(pub DateTime<Utc>);

impl fmt::Display for Moment {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}",
            self.0.with_timezone(&vietnam()).format("%d/%m/%Y %H:%M")
        )
    }
}

/// A coded value: its label in pages, `{code, label}` in JSON.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Coded {
    pub code: String,
    pub label: String,
}

impl Coded {
    pub fn new(code: impl Into<String>, label: impl Into<String>) -> Self {
        Self {
            code: code.into(),
            label: label.into(),
        }
    }
}

impl fmt::Display for Coded {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.label)
    }
}

/// A whole number with dots between thousands: 1.234.567.
pub fn number(n: i64) -> String {
    let digits = n.unsigned_abs().to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3 + 1);
    if n < 0 {
        out.push('-');
    }
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push('.');
        }
        out.push(c);
    }
    out
}

/// A share as a percentage with two decimals and a comma: 17,08 %.
pub fn percent(part: i64, whole: i64) -> String {
    if whole == 0 {
        return "—".to_string();
    }
    let hundredths = (part as i128 * 10_000 + whole as i128 / 2) / whole as i128;
    format!(
        "{},{:02} %",
        number((hundredths / 100) as i64),
        (hundredths % 100).abs()
    )
}

/// An amount of money in đồng: 1.234.000 đ.
pub fn money(n: i64) -> String {
    format!("{} đ", number(n))
}

/// A message from the store as a sentence: its first letter capitalised.
pub fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().collect::<String>() + c.as_str(),
        None => String::new(),
    }
}

/// Reads a date as users and browsers write it: dd/mm/yyyy or yyyy-mm-dd.
pub fn parse_day(s: &str) -> Option<NaiveDate> {
    let s = s.trim();
    NaiveDate::parse_from_str(s, "%d/%m/%Y")
        .or_else(|_| NaiveDate::parse_from_str(s, "%Y-%m-%d"))
        .ok()
}

/// Today in Vietnam.
pub fn today() -> NaiveDate {
    day_in_vietnam(Utc::now())
}

/// The calendar day in Vietnam at an instant.
pub fn day_in_vietnam(t: DateTime<Utc>) -> NaiveDate {
    t.with_timezone(&vietnam()).date_naive()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn vietnamese_numbers_dates_and_percentages() {
        assert_eq!(number(1234), "1.234");
        assert_eq!(number(-1234567), "-1.234.567");
        assert_eq!(number(12), "12");
        assert_eq!(percent(1708, 10000), "17,08 %");
        assert_eq!(percent(1, 3), "33,33 %");
        assert_eq!(percent(0, 0), "—");
        assert_eq!(money(2_500_000), "2.500.000 đ");
        let d = NaiveDate::from_ymd_opt(2025, 7, 1).unwrap();
        assert_eq!(Day(d).to_string(), "01/07/2025");
        assert_eq!(parse_day("01/07/2025"), Some(d));
        assert_eq!(parse_day("2025-07-01"), Some(d));
        assert_eq!(parse_day("31/02/2025"), None);
        let t = DateTime::parse_from_rfc3339("2026-01-10T09:05:00Z")
            .unwrap()
            .with_timezone(&Utc);
        assert_eq!(Moment(t).to_string(), "10/01/2026 16:05");
    }
}
