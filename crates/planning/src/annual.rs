//! Annual plans: the life of a unit's plan, its deadline, its check against
//! the period plan's targets and the province's aggregation.
//!
//! * [`PlanStatus`] and [`transition`]: draft → submitted → returned (with
//!   comments) or accepted → aggregated → approved; who may make each move
//!   ([`Actor`]): the unit's officer drafts, edits and submits; the Sở Nội vụ
//!   returns, accepts, aggregates and approves (on the chair's decision).
//! * [`submission_deadline`] and [`is_late`]: units send next year's plan by
//!   31 August (Sóc Trăng plan, annex row 1.2: "trước 31/8 hằng năm cho kế
//!   hoạch năm sau liền kề"); a later submission is flagged, not refused.
//! * [`check_against_targets`]: what a unit asks for against the need of its
//!   own people in the engine's evaluation for the unit's subtree; where it
//!   falls short, and intended people who need no training for the target.
//! * [`aggregate`]: the accepted plans summed by programme and source.

use std::collections::{BTreeMap, BTreeSet};

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use nangluc_core::code_enum;
use nangluc_engine::plan::Kind;
use nangluc_engine::result::PlanResult;

use crate::needs::ProgrammeMap;

code_enum! {
    /// Where a unit's annual plan stands.
    pub enum PlanStatus {
        Draft => ("draft", "Đang soạn"),
        Submitted => ("submitted", "Đã gửi Sở Nội vụ"),
        Returned => ("returned", "Trả lại để chỉnh sửa"),
        Accepted => ("accepted", "Đã tiếp nhận"),
        Aggregated => ("aggregated", "Đã tổng hợp vào kế hoạch của tỉnh"),
        Approved => ("approved", "Đã phê duyệt"),
    }
}

code_enum! {
    /// A move of a unit's plan.
    pub enum PlanAction {
        Submit => ("submit", "Gửi Sở Nội vụ"),
        Return => ("return", "Trả lại kèm ý kiến"),
        Accept => ("accept", "Tiếp nhận"),
        Aggregate => ("aggregate", "Tổng hợp"),
        Approve => ("approve", "Phê duyệt"),
    }
}

/// Who acts on a plan.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Actor {
    /// The unit's HR officer (cán bộ tổ chức), for the unit's own plan.
    UnitOfficer,
    /// The Sở Nội vụ, which owns the province's plan.
    HomeAffairs,
}

/// A move refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TransitionError {
    #[error("không thể {action} kế hoạch đang ở trạng thái «{status}»")]
    NotFrom {
        action: &'static str,
        status: &'static str,
    },
    #[error("chỉ {who} mới được {action} kế hoạch")]
    NotAllowed {
        action: &'static str,
        who: &'static str,
    },
    #[error("cần ghi ý kiến khi trả lại kế hoạch")]
    CommentRequired,
}

impl PlanStatus {
    /// Whether the unit may still change its lines.
    pub fn editable(self) -> bool {
        matches!(self, PlanStatus::Draft | PlanStatus::Returned)
    }

    /// The codes of the editable statuses (for the store's guard).
    pub const EDITABLE: &'static [&'static str] = &["draft", "returned"];
}

/// The status after `action`, if `actor` may make it from `from`. A return
/// needs a comment (the unit must know what to fix).
pub fn transition(
    from: PlanStatus,
    action: PlanAction,
    actor: Actor,
    comment: Option<&str>,
) -> Result<PlanStatus, TransitionError> {
    use PlanAction as A;
    use PlanStatus as S;
    let who = match action {
        A::Submit => Actor::UnitOfficer,
        _ => Actor::HomeAffairs,
    };
    // The Sở Nội vụ may also submit for a unit (a plan received on paper).
    if actor != who && !(action == A::Submit && actor == Actor::HomeAffairs) {
        return Err(TransitionError::NotAllowed {
            action: action.label(),
            who: match who {
                Actor::UnitOfficer => "đơn vị",
                Actor::HomeAffairs => "Sở Nội vụ",
            },
        });
    }
    let to = match (action, from) {
        (A::Submit, S::Draft | S::Returned) => S::Submitted,
        (A::Return, S::Submitted) => S::Returned,
        (A::Accept, S::Submitted) => S::Accepted,
        (A::Aggregate, S::Accepted) => S::Aggregated,
        (A::Approve, S::Aggregated) => S::Approved,
        _ => {
            return Err(TransitionError::NotFrom {
                action: action.label(),
                status: from.label(),
            });
        }
    };
    if action == A::Return && comment.is_none_or(|c| c.trim().is_empty()) {
        return Err(TransitionError::CommentRequired);
    }
    Ok(to)
}

/// The last day to submit the plan for `year`: 31 August of the year before.
pub fn submission_deadline(year: i32) -> NaiveDate {
    NaiveDate::from_ymd_opt(year - 1, 8, 31).expect("31 August exists")
}

/// Whether a plan for `year` submitted on `on` (a day in Vietnam) is late:
/// 31 August itself is on time.
pub fn is_late(year: i32, on: NaiveDate) -> bool {
    on > submission_deadline(year)
}

/// A line of a unit's plan, as the rules read it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Line {
    pub programme: String,
    /// The target the line serves when the programme alone does not say.
    pub target_id: Option<String>,
    pub classes: u64,
    pub person_times: u64,
    /// Cost by funding source code (`FundingSource`), in đồng.
    pub costs: [i64; 4],
    pub people: Vec<i64>,
}

/// A target where the unit's plan asks for less than its people need.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Shortfall {
    pub target_id: String,
    pub wording: String,
    /// People of the unit still to train for the target in the plan's year
    /// (the engine's split of the need over the years to the horizon; all
    /// of it once the horizon has passed).
    pub needed: u64,
    /// Person-times the plan asks for on lines serving the target.
    pub planned: u64,
    pub short: u64,
    pub message: String,
}

/// An intended person who does not need the training for the target.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NotNeeded {
    pub target_id: String,
    pub person_id: i64,
    pub message: String,
}

/// The result of the check.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct TargetCheck {
    pub shortfalls: Vec<Shortfall>,
    pub not_needed: Vec<NotNeeded>,
    /// Targets the plan's lines serve (for the reader's overview).
    pub covered: Vec<String>,
}

/// The people of the unit to train for a target in `year`: the engine's
/// share for that year, or the whole remaining need when the horizon is past.
fn need_in_year(t: &nangluc_engine::TargetResult, year: i32) -> u64 {
    let in_year: u64 = t
        .need_by_year
        .iter()
        .filter(|y| y.year == year)
        .map(|y| y.count)
        .sum();
    let last = t.need_by_year.iter().map(|y| y.year).max();
    match last {
        Some(l) if l < year => t.needed,
        None if t.needed > 0 => t.needed,
        _ => in_year,
    }
}

/// Checks a unit's lines against the evaluation of the period plan for the
/// unit's subtree (`result`, with the missing people listed). A line serves
/// its own `target_id`, else every target `map` ties to its programme.
/// Quotas of person-times, class counts and lecturer ratios are the
/// province's, not shares of a unit's people: they are left out.
pub fn check_against_targets(
    result: &PlanResult,
    map: &ProgrammeMap,
    year: i32,
    lines: &[Line],
) -> TargetCheck {
    let mut planned: BTreeMap<&str, u64> = BTreeMap::new();
    let mut people: BTreeMap<&str, BTreeSet<i64>> = BTreeMap::new();
    for l in lines {
        let served: Vec<&str> = match &l.target_id {
            Some(t) => vec![t.as_str()],
            None => map
                .by_target
                .iter()
                .filter(|(_, p)| **p == l.programme)
                .map(|(t, _)| t.as_str())
                .collect(),
        };
        for t in served {
            *planned.entry(t).or_default() += l.person_times;
            people
                .entry(t)
                .or_default()
                .extend(l.people.iter().copied());
        }
    }
    let mut check = TargetCheck {
        covered: planned.keys().map(|s| s.to_string()).collect(),
        ..Default::default()
    };
    for t in &result.targets {
        if matches!(t.kind, Kind::Quota | Kind::Classes | Kind::LecturerRatio) {
            continue;
        }
        let needed = need_in_year(t, year);
        let got = planned.get(t.id.as_str()).copied().unwrap_or(0);
        if needed > got {
            let short = needed - got;
            check.shortfalls.push(Shortfall {
                target_id: t.id.clone(),
                wording: t.wording.clone(),
                needed,
                planned: got,
                short,
                message: format!(
                    "Chỉ tiêu {}: năm {year} cần đào tạo, bồi dưỡng {needed} người của đơn vị, kế hoạch mới đăng ký {got} lượt — còn thiếu {short}.",
                    t.id
                ),
            });
        }
        if let Some(intended) = people.get(t.id.as_str()) {
            let missing: BTreeSet<i64> = t.missing.iter().map(|m| m.person_id).collect();
            for &p in intended {
                if !missing.contains(&p) {
                    check.not_needed.push(NotNeeded {
                        target_id: t.id.clone(),
                        person_id: p,
                        message: format!(
                            "Người có mã {p} đã đạt chỉ tiêu {} (hoặc không thuộc đối tượng): xem lại việc cử đi học.",
                            t.id
                        ),
                    });
                }
            }
        }
    }
    check
}

/// A programme's totals over the plans aggregated.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct ProgrammeTotal {
    pub programme: String,
    /// Units asking for the programme.
    pub units: u64,
    pub classes: u64,
    pub person_times: u64,
    pub costs: [i64; 4],
}

/// Sums the lines of the plans (one slice of lines per unit) by programme, in
/// programme order.
pub fn aggregate(plans: &[Vec<Line>]) -> Vec<ProgrammeTotal> {
    let mut out: BTreeMap<&str, (ProgrammeTotal, BTreeSet<usize>)> = BTreeMap::new();
    for (unit, lines) in plans.iter().enumerate() {
        for l in lines {
            let (t, units) = out.entry(l.programme.as_str()).or_insert_with(|| {
                (
                    ProgrammeTotal {
                        programme: l.programme.clone(),
                        ..Default::default()
                    },
                    BTreeSet::new(),
                )
            });
            units.insert(unit);
            t.classes += l.classes;
            t.person_times += l.person_times;
            for (sum, c) in t.costs.iter_mut().zip(l.costs) {
                *sum += c;
            }
        }
    }
    out.into_values()
        .map(|(mut t, units)| {
            t.units = units.len() as u64;
            t
        })
        .collect()
}
