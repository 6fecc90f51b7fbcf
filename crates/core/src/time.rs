//! The two times of every fact.
//!
//! *Valid time* says when a fact was true in the world: a half-open interval of
//! dates `[from, to)`, `to = None` meaning "still true". *Recorded time* says when
//! the system learnt it and, if a later entry corrected it, when it was superseded.
//! A correction never overwrites: it closes the old row's recorded time and adds a
//! new row, so every past reading can be reproduced exactly.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

/// When a fact is true in the world: `[from, to)`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Validity {
    pub from: NaiveDate,
    /// First day on which the fact no longer holds; `None` while it still holds.
    pub to: Option<NaiveDate>,
}

impl Validity {
    pub fn since(from: NaiveDate) -> Self {
        Self { from, to: None }
    }

    pub fn between(from: NaiveDate, to: NaiveDate) -> Self {
        Self { from, to: Some(to) }
    }

    pub fn contains(&self, date: NaiveDate) -> bool {
        self.from <= date && self.to.is_none_or(|to| date < to)
    }

    /// Whether the interval has any day in common with `[from, to)`.
    pub fn overlaps(&self, from: NaiveDate, to: Option<NaiveDate>) -> bool {
        self.to.is_none_or(|t| from < t) && to.is_none_or(|t| self.from < t)
    }

    /// The same fact, ended on `to` (the first day it no longer holds).
    pub fn ended(self, to: NaiveDate) -> Self {
        Self { to: Some(to), ..self }
    }

    pub fn is_empty(&self) -> bool {
        self.to.is_some_and(|to| to <= self.from)
    }
}

/// When the system held a row to be true: from `recorded_at` until
/// `superseded_at` (exclusive), and in which change set.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Recording {
    pub recorded_at: DateTime<Utc>,
    pub superseded_at: Option<DateTime<Utc>>,
    /// The change set that recorded the row (see [`crate::change::ChangeSet`]).
    pub change_id: i64,
}

impl Recording {
    pub fn known_at(&self, at: DateTime<Utc>) -> bool {
        self.recorded_at <= at && self.superseded_at.is_none_or(|s| at < s)
    }
}

/// The point of view of a reading: the world as of `date`, as the system knew it
/// at `known_at` (`None`: as it knows it now).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct AsOf {
    pub date: NaiveDate,
    pub known_at: Option<DateTime<Utc>>,
}

impl AsOf {
    pub fn date(date: NaiveDate) -> Self {
        Self { date, known_at: None }
    }

    pub fn known_at(date: NaiveDate, known_at: DateTime<Utc>) -> Self {
        Self { date, known_at: Some(known_at) }
    }

    /// Knowledge at the end of a day: `--as-known-at 2025-03-31` includes
    /// everything recorded on the 31st.
    pub fn end_of_day(day: NaiveDate) -> DateTime<Utc> {
        day.succ_opt()
            .unwrap_or(day)
            .and_hms_opt(0, 0, 0)
            .expect("midnight exists")
            .and_utc()
            - chrono::Duration::microseconds(1)
    }

    pub fn sees(&self, valid: &Validity, recording: &Recording) -> bool {
        valid.contains(self.date) && self.knows(recording)
    }

    pub fn knows(&self, recording: &Recording) -> bool {
        match self.known_at {
            Some(at) => recording.known_at(at),
            None => recording.superseded_at.is_none(),
        }
    }
}

/// One row of a bitemporal table: a fact about an entity, with its two times.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Versioned<T> {
    /// The row (one version); corrections add rows, never change this one's data.
    pub row_id: i64,
    /// The entity the fact is about (stable across versions).
    pub id: i64,
    pub valid: Validity,
    pub recording: Recording,
    pub data: T,
}

impl<T> Versioned<T> {
    pub fn seen_at(&self, as_of: &AsOf) -> bool {
        as_of.sees(&self.valid, &self.recording)
    }
}

/// The versions of a history that a reading sees, in valid-time order.
pub fn seen<'a, T>(history: &'a [Versioned<T>], as_of: &'a AsOf) -> impl Iterator<Item = &'a Versioned<T>> + 'a {
    history.iter().filter(move |v| v.seen_at(as_of))
}

/// Whole years between `birth` and `on` (a person turns 40 on their 40th birthday).
pub fn age_on(birth: NaiveDate, on: NaiveDate) -> i32 {
    use chrono::Datelike;
    let mut years = on.year() - birth.year();
    if (on.month(), on.day()) < (birth.month(), birth.day()) {
        years -= 1;
    }
    years
}

/// Adds whole months to a date, clamping to the end of a shorter month
/// (31 Jan + 1 month = 28/29 Feb).
pub fn add_months(date: NaiveDate, months: i32) -> NaiveDate {
    use chrono::Months;
    if months >= 0 {
        date.checked_add_months(Months::new(months as u32)).unwrap_or(date)
    } else {
        date.checked_sub_months(Months::new(months.unsigned_abs())).unwrap_or(date)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn validity_is_half_open() {
        let v = Validity::between(d(2020, 1, 1), d(2025, 7, 1));
        assert!(v.contains(d(2020, 1, 1)));
        assert!(v.contains(d(2025, 6, 30)));
        assert!(!v.contains(d(2025, 7, 1)));
        assert!(!v.contains(d(2019, 12, 31)));
        assert!(Validity::since(d(2020, 1, 1)).contains(d(2099, 1, 1)));
    }

    #[test]
    fn age_changes_on_the_birthday() {
        assert_eq!(age_on(d(1986, 11, 23), d(2026, 11, 22)), 39);
        assert_eq!(age_on(d(1986, 11, 23), d(2026, 11, 23)), 40);
        // Born on 29 February: the birthday counts from 1 March in common years.
        assert_eq!(age_on(d(1988, 2, 29), d(2028, 2, 28)), 39);
        assert_eq!(age_on(d(1988, 2, 29), d(2028, 2, 29)), 40);
    }

    #[test]
    fn months_clamp_to_month_end() {
        assert_eq!(add_months(d(2024, 1, 31), 1), d(2024, 2, 29));
        assert_eq!(add_months(d(2023, 5, 15), 24), d(2025, 5, 15));
        assert_eq!(add_months(d(2025, 5, 15), -24), d(2023, 5, 15));
    }

    #[test]
    fn knowledge_reading_respects_supersession() {
        let t = |h| d(2026, 1, 10).and_hms_opt(h, 0, 0).unwrap().and_utc();
        let r = Recording { recorded_at: t(9), superseded_at: Some(t(11)), change_id: 1 };
        assert!(!AsOf::known_at(d(2026, 1, 1), t(8)).knows(&r));
        assert!(AsOf::known_at(d(2026, 1, 1), t(10)).knows(&r));
        assert!(!AsOf::known_at(d(2026, 1, 1), t(11)).knows(&r));
        assert!(!AsOf::date(d(2026, 1, 1)).knows(&r));
    }
}
