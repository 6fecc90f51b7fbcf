//! Needs: who needs which programme, from the gap of every target.
//!
//! Input: a [`PlanResult`] (the engine's evaluation as of the plan year), the
//! plan's programme mapping (which programme closes which target) and the
//! people in succession planning. Output: one [`PersonNeed`] per person and
//! programme, with its priority:
//!
//! 1. E overdue — the window after the event has closed;
//! 2. E pending, by deadline;
//! 3. succession planning (quy hoạch);
//! 4. targets at risk;
//! 5. other targets not yet met.
//!
//! For an E target every person missing is needed. For the other kinds the
//! engine lists everyone missing, but the target needs only `needed` more
//! people: the first `needed` of them (by priority, then person id) are
//! "within the need" and count as gap closed; the rest are listed, not counted.

use std::collections::{BTreeMap, BTreeSet};

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use nangluc_core::code_enum;
use nangluc_engine::plan::Kind;
use nangluc_engine::result::{EventStatus, PlanResult, Status};

code_enum! {
    /// Why a person comes first: in this order.
    pub enum Priority {
        EOverdue => ("e_qua_han", "Quá hạn bồi dưỡng sau sự kiện (bổ nhiệm, bầu cử…)"),
        EPending => ("e_trong_han", "Phải bồi dưỡng trước hạn sau sự kiện"),
        Succession => ("quy_hoach", "Trong quy hoạch chức danh"),
        AtRisk => ("chi_tieu_nguy_co", "Chỉ tiêu có nguy cơ không đạt"),
        Other => ("khac", "Chỉ tiêu chưa đạt"),
    }
}

/// Which programme closes which target (target id → programme code).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct ProgrammeMap {
    pub by_target: BTreeMap<String, String>,
}

impl ProgrammeMap {
    pub fn new<I: IntoIterator<Item = (S, S)>, S: Into<String>>(pairs: I) -> Self {
        ProgrammeMap {
            by_target: pairs
                .into_iter()
                .map(|(t, p)| (t.into(), p.into()))
                .collect(),
        }
    }

    /// A first mapping from a plan: each target whose quota or class filter
    /// names programmes maps to the first one. People edit the rest.
    pub fn from_plan(plan: &nangluc_engine::Plan) -> Self {
        let mut by_target = BTreeMap::new();
        for t in &plan.targets {
            let first = t
                .quota
                .as_ref()
                .and_then(|q| q.filter.programmes.first())
                .or_else(|| t.classes.as_ref().and_then(|c| c.filter.programmes.first()));
            if let Some(p) = first {
                by_target.insert(t.id.clone(), p.clone());
            }
        }
        ProgrammeMap { by_target }
    }
}

/// One target behind a person's need.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NeedReason {
    pub target_id: String,
    /// R, Y, W, T, E, B, P.
    pub letter: String,
    pub priority: Priority,
    /// Counts towards closing the target's gap.
    pub within_need: bool,
    pub deadline: Option<NaiveDate>,
    /// What the engine says is missing (Vietnamese).
    pub reason: String,
}

/// A person who needs a programme.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PersonNeed {
    pub person_id: i64,
    pub name: String,
    pub unit_code: Option<String>,
    pub unit: Option<String>,
    pub programme: String,
    /// The highest priority among the reasons.
    pub priority: Priority,
    /// The earliest E deadline among the reasons.
    pub deadline: Option<NaiveDate>,
    pub reasons: Vec<NeedReason>,
    /// Targets whose gap training this person closes (reasons within the need).
    pub gap_units: u32,
}

impl PersonNeed {
    /// The order in which people are placed: priority, deadline, unit, person.
    pub fn order_key(&self) -> (Priority, NaiveDate, Option<&str>, i64) {
        (
            self.priority,
            self.deadline.unwrap_or(NaiveDate::MAX),
            self.unit_code.as_deref(),
            self.person_id,
        )
    }
}

/// A target not turned into needs, and why (Vietnamese).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SkippedTarget {
    pub target_id: String,
    pub reason: String,
}

/// Totals for one programme.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct ProgrammeNeed {
    pub programme: String,
    pub people: u32,
    pub e_overdue: u32,
    pub e_pending: u32,
    pub succession: u32,
    pub at_risk: u32,
    pub other: u32,
    pub gap_units: u32,
}

/// Who needs what.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Needs {
    pub plan_id: String,
    pub as_of: NaiveDate,
    /// In placement order ([`PersonNeed::order_key`]), programme by programme.
    pub people: Vec<PersonNeed>,
    pub by_programme: Vec<ProgrammeNeed>,
    /// Per target: people within its need (gap it asks to close).
    pub gap_by_target: BTreeMap<String, u32>,
    pub skipped: Vec<SkippedTarget>,
}

impl Needs {
    pub fn for_programme<'a>(
        &'a self,
        programme: &'a str,
    ) -> impl Iterator<Item = &'a PersonNeed> + 'a {
        self.people.iter().filter(move |p| p.programme == programme)
    }
}

/// Computes the needs from a plan's evaluation.
pub fn compute_needs(result: &PlanResult, map: &ProgrammeMap, succession: &BTreeSet<i64>) -> Needs {
    struct Entry {
        target: usize,
        missing: usize,
        priority: Priority,
    }
    let mut skipped = Vec::new();
    let mut entries: Vec<Entry> = Vec::new();
    for (ti, t) in result.targets.iter().enumerate() {
        let skip = |reason: &str| SkippedTarget {
            target_id: t.id.clone(),
            reason: reason.to_string(),
        };
        if matches!(t.kind, Kind::Quota | Kind::Classes | Kind::LecturerRatio) {
            skipped.push(skip(
                "chỉ tiêu đếm lượt người, lớp hoặc giảng viên: không tính nhu cầu theo từng người",
            ));
            continue;
        }
        if !map.by_target.contains_key(&t.id) {
            skipped.push(skip(
                "chưa gắn chương trình đào tạo, bồi dưỡng cho chỉ tiêu này",
            ));
            continue;
        }
        let is_e = t.kind == Kind::AfterEvent;
        if !is_e && matches!(t.status, Status::Met | Status::NotApplicable) {
            skipped.push(skip("chỉ tiêu đã đạt hoặc không áp dụng"));
            continue;
        }
        for (mi, m) in t.missing.iter().enumerate() {
            let priority = match m.status {
                Some(EventStatus::Overdue) if is_e => Priority::EOverdue,
                Some(EventStatus::Pending) if is_e => Priority::EPending,
                Some(EventStatus::Met) => continue,
                _ if succession.contains(&m.person_id) => Priority::Succession,
                _ if t.status == Status::AtRisk => Priority::AtRisk,
                _ => Priority::Other,
            };
            entries.push(Entry {
                target: ti,
                missing: mi,
                priority,
            });
        }
    }

    // The person's best priority over all targets, to choose who is within a need.
    let mut best: BTreeMap<i64, Priority> = BTreeMap::new();
    for e in &entries {
        let id = result.targets[e.target].missing[e.missing].person_id;
        let p = best.entry(id).or_insert(e.priority);
        *p = (*p).min(e.priority);
    }

    // Within the need: every E person overdue or pending; for other targets the
    // first `needed` by (best priority, deadline, id).
    let mut within: BTreeSet<(usize, usize)> = BTreeSet::new();
    let mut by_target: BTreeMap<usize, Vec<&Entry>> = BTreeMap::new();
    for e in &entries {
        by_target.entry(e.target).or_default().push(e);
    }
    let mut gap_by_target = BTreeMap::new();
    for (ti, mut es) in by_target {
        let t = &result.targets[ti];
        if t.kind == Kind::AfterEvent {
            for e in &es {
                if matches!(e.priority, Priority::EOverdue | Priority::EPending) {
                    within.insert((e.target, e.missing));
                }
            }
        } else {
            es.sort_by_key(|e| {
                let m = &t.missing[e.missing];
                (
                    best[&m.person_id],
                    m.deadline.unwrap_or(NaiveDate::MAX),
                    m.person_id,
                )
            });
            for e in es.iter().take(t.needed as usize) {
                within.insert((e.target, e.missing));
            }
        }
        let n = within.iter().filter(|(x, _)| *x == ti).count() as u32;
        gap_by_target.insert(t.id.clone(), n);
    }

    // One need per (person, programme).
    let mut people: BTreeMap<(String, i64), PersonNeed> = BTreeMap::new();
    for e in &entries {
        let t = &result.targets[e.target];
        let m = &t.missing[e.missing];
        let programme = map.by_target[&t.id].clone();
        let w = within.contains(&(e.target, e.missing));
        let deadline = if t.kind == Kind::AfterEvent {
            m.deadline
        } else {
            None
        };
        let need = people
            .entry((programme.clone(), m.person_id))
            .or_insert_with(|| PersonNeed {
                person_id: m.person_id,
                name: m.name.clone(),
                unit_code: m.unit_code.clone(),
                unit: m.unit.clone(),
                programme,
                priority: e.priority,
                deadline,
                reasons: Vec::new(),
                gap_units: 0,
            });
        need.priority = need.priority.min(e.priority);
        need.deadline = match (need.deadline, deadline) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        };
        if w {
            need.gap_units += 1;
        }
        need.reasons.push(NeedReason {
            target_id: t.id.clone(),
            letter: t.letter.to_string(),
            priority: e.priority,
            within_need: w,
            deadline,
            reason: m.reason.clone(),
        });
    }
    let mut people: Vec<PersonNeed> = people.into_values().collect();
    people.sort_by(|a, b| {
        a.programme
            .cmp(&b.programme)
            .then_with(|| a.order_key().cmp(&b.order_key()))
    });

    let mut by_programme: BTreeMap<String, ProgrammeNeed> = BTreeMap::new();
    for p in &people {
        let s = by_programme
            .entry(p.programme.clone())
            .or_insert_with(|| ProgrammeNeed {
                programme: p.programme.clone(),
                ..Default::default()
            });
        s.people += 1;
        s.gap_units += p.gap_units;
        match p.priority {
            Priority::EOverdue => s.e_overdue += 1,
            Priority::EPending => s.e_pending += 1,
            Priority::Succession => s.succession += 1,
            Priority::AtRisk => s.at_risk += 1,
            Priority::Other => s.other += 1,
        }
    }
    Needs {
        plan_id: result.plan_id.clone(),
        as_of: result.as_of,
        people,
        by_programme: by_programme.into_values().collect(),
        gap_by_target,
        skipped,
    }
}
