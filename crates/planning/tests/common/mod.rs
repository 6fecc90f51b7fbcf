//! Helpers to build engine results by hand.
#![allow(dead_code)]

use chrono::NaiveDate;
use nangluc_engine::plan::Kind;
use nangluc_engine::result::{EventStatus, Missing, PlanResult, Status, TargetResult};

pub fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

pub fn missing(
    id: i64,
    unit: &str,
    deadline: Option<NaiveDate>,
    status: Option<EventStatus>,
) -> Missing {
    Missing {
        person_id: id,
        name: format!("Người số {id}"),
        unit_code: Some(unit.to_string()),
        unit: Some(format!("Đơn vị {unit}")),
        reason: "chưa có chứng chỉ bồi dưỡng lãnh đạo, quản lý cấp phòng".into(),
        deadline,
        status,
    }
}

pub fn target(
    id: &str,
    kind: Kind,
    status: Status,
    needed: u64,
    missing: Vec<Missing>,
) -> TargetResult {
    let (overdue, pending) = if kind == Kind::AfterEvent {
        (
            Some(
                missing
                    .iter()
                    .filter(|m| m.status == Some(EventStatus::Overdue))
                    .count() as u64,
            ),
            Some(
                missing
                    .iter()
                    .filter(|m| m.status == Some(EventStatus::Pending))
                    .count() as u64,
            ),
        )
    } else {
        (None, None)
    };
    TargetResult {
        id: id.into(),
        group: "1".into(),
        wording: format!("Chỉ tiêu {id}"),
        kind,
        letter: kind.letter(),
        threshold: None,
        horizons: vec![],
        population: 1000,
        met: 0,
        share: None,
        holds: Some(false),
        needed,
        need_by_year: vec![],
        overdue,
        pending,
        by_unit: vec![],
        missing,
        holders: vec![],
        per_year: vec![],
        sub_quotas: vec![],
        classes: vec![],
        class_count: None,
        status,
        forecast_year: None,
        stated_need: vec![],
        notes: vec![],
    }
}

pub fn plan_result(as_of: NaiveDate, targets: Vec<TargetResult>) -> PlanResult {
    PlanResult {
        plan_id: "tinh-nho-2025".into(),
        plan_name: "Kế hoạch thử của một tỉnh nhỏ".into(),
        as_of,
        today: as_of,
        known_at: None,
        forecast: false,
        unit: None,
        targets,
        duties: 0,
        warnings: vec![],
    }
}
