//! Status and the year a target would be met, at the pace of the last 12
//! months. Integer arithmetic throughout.

use chrono::{Datelike, Duration, NaiveDate};

use crate::need;
use crate::plan::Percent;
use crate::result::Status;

/// The year in which `needed` more would be reached at `pace` a year.
pub fn year_at_pace(needed: u64, pace_per_year: u64, as_of: NaiveDate) -> Option<i32> {
    if needed == 0 {
        return Some(as_of.year());
    }
    if pace_per_year == 0 {
        return None;
    }
    let days = (needed * 365).div_ceil(pace_per_year).min(365 * 200);
    Some((as_of + Duration::days(days as i64)).year())
}

/// R, W, T, P, E, L: compare the need now with the need 12 months earlier.
pub fn ratio_status(den: u64, needed_now: u64, needed_before: Option<u64>, as_of: NaiveDate, by: i32) -> (Status, Option<i32>) {
    if den == 0 {
        return (Status::NotApplicable, None);
    }
    if needed_now == 0 {
        return (Status::Met, None);
    }
    let pace = needed_before.map(|b| b.saturating_sub(needed_now)).unwrap_or(0);
    match year_at_pace(needed_now, pace, as_of) {
        Some(y) if y <= by => (Status::OnTrack, Some(y)),
        y => (Status::AtRisk, y),
    }
}

/// Y: within the current year, project the count met so far to 31 December.
pub fn yearly_status(den: u64, met: u64, min: Percent, as_of: NaiveDate, year_end: NaiveDate) -> (Status, Option<i32>) {
    if den == 0 {
        return (Status::NotApplicable, None);
    }
    if need::holds(min, den, met) {
        return (Status::Met, None);
    }
    if as_of >= year_end {
        return (Status::AtRisk, None);
    }
    let start = NaiveDate::from_ymd_opt(as_of.year(), 1, 1).unwrap_or(as_of);
    let elapsed = (as_of - start).num_days() as u64 + 1;
    let total = (year_end - start).num_days() as u64 + 1;
    let projected = (met * total / elapsed).min(den);
    if need::holds(min, den, projected) { (Status::OnTrack, Some(as_of.year())) } else { (Status::AtRisk, None) }
}

/// Q and C totals: the count of the last 12 months as the yearly pace.
pub fn count_status(count: u64, min_total: u64, last_12_months: u64, as_of: NaiveDate, end_year: i32) -> (Status, Option<i32>) {
    if count >= min_total {
        return (Status::Met, None);
    }
    match year_at_pace(min_total - count, last_12_months, as_of) {
        Some(y) if y <= end_year => (Status::OnTrack, Some(y)),
        y => (Status::AtRisk, y),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pace_projects_the_year() {
        let d = NaiveDate::from_ymd_opt(2024, 1, 1).unwrap();
        assert_eq!(year_at_pace(10, 10, d), Some(2024));
        assert_eq!(year_at_pace(20, 10, d), Some(2025));
        assert_eq!(year_at_pace(5, 0, d), None);
        assert_eq!(ratio_status(10, 4, Some(8), d, 2025), (Status::OnTrack, Some(2024)));
        assert_eq!(ratio_status(10, 4, Some(5), d, 2025).0, Status::AtRisk);
        assert_eq!(ratio_status(0, 0, None, d, 2025).0, Status::NotApplicable);
    }
}
