//! Evaluation results. All serialise to JSON; docs/results.md describes the schema.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Serialize, Serializer};

use crate::plan::{ClassCount, Horizon, Kind, Percent};

/// An exact share num/den. Serialised with a rounded percent for display.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Ratio {
    pub num: u64,
    pub den: u64,
}

impl Ratio {
    /// `None` when the denominator is 0: shown "không áp dụng", never divided.
    pub fn of(num: u64, den: u64) -> Option<Ratio> {
        (den > 0).then_some(Ratio { num, den })
    }

    /// Percent rounded to two decimals (for display only).
    pub fn percent(&self) -> f64 {
        let bp = (self.num as u128 * 1_000_000 / self.den as u128) as f64; // 1e-4 %
        (bp / 100.0).round() / 100.0
    }

    pub fn at_least(&self, p: Percent) -> bool {
        self.num as u128 * 10_000 >= p.0 as u128 * self.den as u128
    }
}

impl Serialize for Ratio {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut st = s.serialize_struct("Ratio", 3)?;
        st.serialize_field("num", &self.num)?;
        st.serialize_field("den", &self.den)?;
        st.serialize_field("percent", &self.percent())?;
        st.end()
    }
}

/// Shows a share the way reports do: "17,05%", or "không áp dụng".
pub fn show_share(r: Option<Ratio>) -> String {
    match r {
        None => "không áp dụng".into(),
        Some(r) => {
            let bp = (r.num as u128 * 10_000 * 2 + r.den as u128) / (2 * r.den as u128);
            Percent(bp as u32).to_string()
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// The threshold holds now.
    Met,
    /// Not yet, but at the pace of the last 12 months it holds by the horizon.
    OnTrack,
    /// Not at that pace.
    AtRisk,
    /// Nobody in the population.
    NotApplicable,
}

impl Status {
    pub fn label(self) -> &'static str {
        match self {
            Status::Met => "Đã đạt",
            Status::OnTrack => "Đúng tiến độ",
            Status::AtRisk => "Có nguy cơ không đạt",
            Status::NotApplicable => "Không áp dụng",
        }
    }
}

/// A person's standing in an "after an event" target.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum EventStatus {
    Met,
    /// The window closed without the training.
    Overdue,
    /// The window is still open.
    Pending,
    /// The event's date is not recorded.
    NoEvent,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct UnitBreakdown {
    /// `None`: people not placed in a unit of the tree (no employment, or a
    /// unit unknown on the date).
    pub unit_id: Option<i64>,
    pub code: String,
    pub name: String,
    pub parent_id: Option<i64>,
    /// Counted in this unit itself.
    pub own_population: u64,
    pub own_met: u64,
    /// This unit and every unit below it.
    pub population: u64,
    pub met: u64,
    pub share: Option<Ratio>,
    /// People still needed in this subtree at the active horizon.
    pub needed: u64,
    pub overdue: u64,
    pub pending: u64,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Missing {
    /// Person entity id (lecturer id for lecturer targets).
    pub person_id: i64,
    pub name: String,
    pub unit_code: Option<String>,
    pub unit: Option<String>,
    /// Which conditions failed, in Vietnamese.
    pub reason: String,
    /// E: the last day of the window; B: the day of the appointment.
    pub deadline: Option<NaiveDate>,
    pub status: Option<EventStatus>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct YearNeed {
    pub year: i32,
    pub count: u64,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct HorizonResult {
    pub by: i32,
    pub min: Percent,
    pub stretch: Option<Percent>,
    /// ceil(min × population).
    pub required: u64,
    pub needed: u64,
    pub holds: bool,
    pub stretch_holds: Option<bool>,
    pub need_by_year: Vec<YearNeed>,
}

/// One year of a Y, B, Q or C target.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct YearResult {
    pub year: i32,
    /// The day the year was evaluated (31 December, or the evaluation date in the current year).
    pub as_of: NaiveDate,
    pub population: u64,
    /// People meeting (Y, B) or the count of person-times / classes (Q, C).
    pub met: u64,
    pub share: Option<Ratio>,
    pub min: Option<u64>,
    pub max: Option<u64>,
    pub holds: Option<bool>,
    pub above_max: bool,
    pub needed: u64,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SubQuotaResult {
    pub name: String,
    pub min: Option<u64>,
    pub max: Option<u64>,
    pub per_year: Vec<YearNeed>,
    pub total: u64,
    /// Every elapsed year reached the minimum (or the total does, for total quotas).
    pub holds: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Holder {
    pub person_id: i64,
    pub name: String,
    pub post: String,
    pub unit: Option<String>,
    pub meets: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ClassInfo {
    pub class_id: i64,
    pub code: String,
    pub year: i32,
    pub size: u64,
    pub size_ok: bool,
    pub status: String,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TargetResult {
    pub id: String,
    pub group: String,
    pub wording: String,
    pub kind: Kind,
    /// R, Y, W, T, E, B, Q, C, P or L.
    pub letter: &'static str,
    /// The horizon that applies on the evaluation date.
    pub threshold: Option<Horizon>,
    pub horizons: Vec<HorizonResult>,
    /// Q and C: 0 (they count person-times or classes, in `met`).
    pub population: u64,
    pub met: u64,
    pub share: Option<Ratio>,
    pub holds: Option<bool>,
    pub needed: u64,
    pub need_by_year: Vec<YearNeed>,
    /// E only.
    pub overdue: Option<u64>,
    pub pending: Option<u64>,
    pub by_unit: Vec<UnitBreakdown>,
    pub missing: Vec<Missing>,
    pub holders: Vec<Holder>,
    pub per_year: Vec<YearResult>,
    pub sub_quotas: Vec<SubQuotaResult>,
    pub classes: Vec<ClassInfo>,
    pub class_count: Option<ClassCount>,
    pub status: Status,
    pub forecast_year: Option<i32>,
    /// The figures of the plan's annex, to compare with the computed ones.
    pub stated_need: Vec<YearNeed>,
    pub notes: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PlanResult {
    pub plan_id: String,
    pub plan_name: String,
    pub as_of: NaiveDate,
    /// The day the knowledge stands for; `as_of` after it makes a forecast.
    pub today: NaiveDate,
    pub known_at: Option<DateTime<Utc>>,
    pub forecast: bool,
    pub unit: Option<String>,
    pub targets: Vec<TargetResult>,
    /// Responsibility-matrix rows, passed through (followed by a later issue).
    pub duties: usize,
    pub warnings: Vec<String>,
}
