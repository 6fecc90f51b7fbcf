//! Rules that change by date, kept as dated configuration.

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

use crate::person::Sex;
use crate::time::add_months;

/// Statutory retirement age under the 2019 Labour Code (Decree 135/2020/NĐ-CP):
/// from a base age in a base year, rising by a step each year to a ceiling.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct RetirementRule {
    pub base_year: i32,
    pub base_months: i32,
    pub step_months: i32,
    pub ceiling_months: i32,
}

/// The schedule for men and women.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct RetirementSchedule {
    pub male: RetirementRule,
    pub female: RetirementRule,
}

impl Default for RetirementSchedule {
    /// Men: 60 years 3 months in 2021, +3 months a year, 62 from 2028.
    /// Women: 55 years 4 months in 2021, +4 months a year, 60 from 2035.
    fn default() -> Self {
        Self {
            male: RetirementRule { base_year: 2021, base_months: 60 * 12 + 3, step_months: 3, ceiling_months: 62 * 12 },
            female: RetirementRule { base_year: 2021, base_months: 55 * 12 + 4, step_months: 4, ceiling_months: 60 * 12 },
        }
    }
}

impl RetirementRule {
    /// The retirement age, in months, for someone reaching it in `year`.
    pub fn age_in_year(&self, year: i32) -> i32 {
        (self.base_months + (year - self.base_year).max(0) * self.step_months).min(self.ceiling_months)
    }
}

impl RetirementSchedule {
    /// The day a person reaches retirement age: the first day on which their age
    /// is at least the age that applies in that year.
    pub fn retirement_date(&self, birth: NaiveDate, sex: Sex) -> NaiveDate {
        let rule = match sex {
            Sex::Male => self.male,
            Sex::Female => self.female,
        };
        // The age rises with the year, so try the years in which it could fall.
        let mut months = rule.age_in_year(birth.year() + rule.base_months / 12);
        loop {
            let date = add_months(birth, months);
            let needed = rule.age_in_year(date.year());
            if needed <= months {
                return date;
            }
            months = needed;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retirement_age_rises_by_year() {
        let s = RetirementSchedule::default();
        assert_eq!(s.male.age_in_year(2021), 723);
        assert_eq!(s.male.age_in_year(2026), 60 * 12 + 18);
        assert_eq!(s.male.age_in_year(2040), 62 * 12);
        let d = |y, m, day| NaiveDate::from_ymd_opt(y, m, day).unwrap();
        // A man born 1 Jan 1966: on 1 July 2027 he is 61y6m but 2027 asks 61y9m,
        // which he reaches on 1 October 2027.
        assert_eq!(s.retirement_date(d(1966, 1, 1), Sex::Male), d(2027, 10, 1));
        assert_eq!(s.retirement_date(d(1970, 1, 1), Sex::Male), d(2032, 1, 1));
        assert_eq!(s.retirement_date(d(1980, 1, 1), Sex::Female), d(2040, 1, 1));
    }
}
