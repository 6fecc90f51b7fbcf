//! Annual plans, the budget ledger and the duties in the application: the
//! service layer. Roles and scopes are checked here; the rules themselves
//! (who may move a plan, the 31 August deadline, the check against the
//! targets, aggregation, settlement, deadlines of duties) are the planning
//! crate's. Pages ([`crate::annual_pages`]) and the JSON API call these
//! functions and get the same view models.
//!
//! Authorisation: a unit's HR officer drafts, edits and submits the plans of
//! the units in their subtree; the administrator (Sở Nội vụ) reads every plan,
//! returns, accepts, aggregates and approves; finance reads the plans and
//! keeps the ledger (allocations, settlements); the leadership reads.

use std::collections::{BTreeMap, HashMap};
use std::sync::Mutex;

use chrono::{DateTime, NaiveDate, Utc};
use nangluc_core::training::FundingSource;
use nangluc_core::{AsOf, Fact, Table};
use nangluc_planning::annual::{self as rules, Actor, Line, PlanAction, PlanStatus, TargetCheck};
use nangluc_planning::budget::{self as ledger_rules, Ledger, VarianceBy, VarianceRow};
use nangluc_planning::duty::{
    self as duty_rules, DueRule, Duty, DutyState, Overdue, Reminder, StatusUpdate,
};
use nangluc_store::{
    AnnualPlanRow, Costs, LedgerEntry, NewAllocation, NewDuty, NewDutyUpdate, NewPlanLine,
    ProvinceLineRow, SettlementRow, Stamp, StatusMove, Store, StoreError,
};
use serde::{Deserialize, Serialize};

use crate::auth::{Perm, Role, Viewer};
use crate::error::AppError;
use crate::fmt::{Coded, Day, Moment, money};
use crate::targets::ActivePlan;

// ---------------------------------------------------------------- clock

/// The application's clock. Submissions are dated by it (a plan is late after
/// 31 August in Vietnam); tests set it to walk a year in minutes.
#[derive(Debug, Default)]
pub struct Clock {
    fixed: Mutex<Option<DateTime<Utc>>>,
}

impl Clock {
    pub fn now(&self) -> DateTime<Utc> {
        self.fixed
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .unwrap_or_else(Utc::now)
    }

    /// Stops the clock at `t` (`None`: the system clock again).
    pub fn set(&self, t: Option<DateTime<Utc>>) {
        *self.fixed.lock().unwrap_or_else(|e| e.into_inner()) = t;
    }

    /// Today in Vietnam.
    pub fn today(&self) -> NaiveDate {
        crate::fmt::day_in_vietnam(self.now())
    }
}


fn stamp(v: &Viewer, now: DateTime<Utc>) -> Stamp {
    Stamp::new(v.username.clone(), now)
}

/// Refusals of the store (a plan moved by someone else, a class settled
/// twice) are the user's to fix, not failures of the system.
fn store_err(e: StoreError) -> AppError {
    match e {
        StoreError::Conflict(m) => AppError::BadRequest(format!("{}.", crate::fmt::capitalise(&m))),
        StoreError::EntityNotFound { table, id } => {
            AppError::NotFound(format!("bản ghi {id} ({table})"))
        }
        e => e.into(),
    }
}


// ---------------------------------------------------------------- who may do what

fn reads_plans(role: Role) -> bool {
    role.allows(Perm::AnnualPlans)
}

fn reads_budget(role: Role) -> bool {
    role.allows(Perm::Budget)
}

fn reads_duties(role: Role) -> bool {
    role.allows(Perm::Duties)
}

fn actor(v: &Viewer) -> Option<Actor> {
    match v.role {
        Role::Admin => Some(Actor::HomeAffairs),
        Role::UnitHr => Some(Actor::UnitOfficer),
        _ => None,
    }
}

/// The units whose plans the viewer may act on and read: `None` for every
/// unit; a unit HR officer's subtree as it stands today.
fn unit_scope(
    store: &mut Store,
    v: &Viewer,
    today: NaiveDate,
) -> Result<Option<Vec<i64>>, AppError> {
    if !reads_plans(v.role) {
        return Err(AppError::Forbidden);
    }
    match v.role {
        Role::UnitHr => {
            let root = v.unit_id.ok_or(AppError::Forbidden)?;
            Ok(Some(store.unit_subtree(root, &AsOf::date(today))?))
        }
        _ => Ok(None),
    }
}

fn in_scope(scope: &Option<Vec<i64>>, unit_id: i64) -> bool {
    scope.as_ref().is_none_or(|ids| ids.contains(&unit_id))
}

fn load_plan(
    store: &mut Store,
    v: &Viewer,
    id: i64,
    today: NaiveDate,
) -> Result<AnnualPlanRow, AppError> {
    let scope = unit_scope(store, v, today)?;
    let plan = store
        .annual_plan(id)?
        .ok_or_else(|| AppError::NotFound(format!("kế hoạch đào tạo, bồi dưỡng số {id}")))?;
    if !in_scope(&scope, plan.unit_id) {
        return Err(AppError::Forbidden);
    }
    Ok(plan)
}

fn status_of(code: &str) -> Result<PlanStatus, AppError> {
    PlanStatus::from_code(code)
        .ok_or_else(|| AppError::Store(format!("trạng thái kế hoạch không hợp lệ: {code}")))
}

fn coded_status(code: &str) -> Coded {
    match PlanStatus::from_code(code) {
        Some(s) => Coded::new(s.code(), s.label()),
        None => Coded::new(code, code),
    }
}

// ---------------------------------------------------------------- names

#[derive(Debug, Clone, Serialize)]
pub struct UnitRef {
    pub id: i64,
    pub code: String,
    pub name: String,
}

/// Units as they stand on a day, by id.
fn units_on(store: &mut Store, day: NaiveDate) -> Result<HashMap<i64, UnitRef>, AppError> {
    Ok(store
        .as_of(Table::Units, &AsOf::date(day))?
        .into_iter()
        .filter_map(|r| match r.data {
            Fact::Unit(u) => Some((
                r.id,
                UnitRef {
                    id: r.id,
                    code: u.code,
                    name: u.name,
                },
            )),
            _ => None,
        })
        .collect())
}

fn unit_ref(units: &HashMap<i64, UnitRef>, id: i64) -> UnitRef {
    units.get(&id).cloned().unwrap_or_else(|| UnitRef {
        id,
        code: id.to_string(),
        name: format!("Đơn vị {id}"),
    })
}

/// Programme names by code.
fn programme_names(store: &mut Store) -> Result<BTreeMap<String, String>, AppError> {
    Ok(store
        .latest(Table::Programmes)?
        .into_iter()
        .filter_map(|r| match r.data {
            Fact::Programme(p) => Some((p.code, p.name)),
            _ => None,
        })
        .collect())
}

fn person_name(store: &mut Store, id: i64) -> Result<String, AppError> {
    Ok(store
        .history(Table::People, id)?
        .into_iter()
        .rev()
        .find(|r| r.recording.superseded_at.is_none())
        .and_then(|r| match r.data {
            Fact::Person(p) => Some(p.full_name()),
            _ => None,
        })
        .unwrap_or_else(|| format!("Người có mã {id}")))
}

// ---------------------------------------------------------------- views

#[derive(Debug, Clone, Copy, Serialize, Default)]
pub struct CostView {
    pub state_budget: i64,
    pub unit: i64,
    pub learner: i64,
    pub sponsor: i64,
    pub total: i64,
}

impl From<Costs> for CostView {
    fn from(c: Costs) -> Self {
        CostView {
            state_budget: c.state_budget,
            unit: c.unit,
            learner: c.learner,
            sponsor: c.sponsor,
            total: c.total(),
        }
    }
}

impl CostView {
    pub fn money(n: &i64) -> String {
        money(*n)
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct PlanSummary {
    pub id: i64,
    pub unit: UnitRef,
    pub year: i32,
    pub status: Coded,
    pub submitted_at: Option<Moment>,
    /// Submitted after 31 August of the year before.
    pub late: bool,
    pub classes: i64,
    pub person_times: i64,
    pub costs: CostView,
}

#[derive(Debug, Clone, Serialize)]
pub struct PersonRef {
    pub id: i64,
    pub name: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct LineView {
    pub id: i64,
    pub programme: String,
    pub programme_name: String,
    pub target_id: Option<String>,
    pub classes: i64,
    pub person_times: i64,
    pub costs: CostView,
    pub note: Option<String>,
    pub people: Vec<PersonRef>,
}

#[derive(Debug, Clone, Serialize)]
pub struct EventView {
    pub at: Moment,
    pub actor: String,
    pub action: String,
    pub to_status: Coded,
    pub comment: Option<String>,
}

fn action_label(action: &str) -> &'static str {
    match action {
        "created" => "Tạo kế hoạch",
        "line_added" => "Thêm dòng",
        "line_removed" => "Bỏ dòng",
        "submitted" => "Gửi Sở Nội vụ",
        "returned" => "Trả lại kèm ý kiến",
        "accepted" => "Tiếp nhận",
        "aggregated" => "Tổng hợp vào kế hoạch của tỉnh",
        "approved" => "Phê duyệt",
        _ => "Thay đổi",
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct PlanView {
    pub plan: PlanSummary,
    /// The last day to submit on time.
    pub deadline: Day,
    pub lines: Vec<LineView>,
    pub events: Vec<EventView>,
    /// The check against the targets for the unit's own people (`None`
    /// without an active plan; then `check_note` says why).
    pub check: Option<TargetCheck>,
    pub check_note: Option<String>,
    pub can_edit: bool,
    pub can_submit: bool,
    pub can_review: bool,
    /// Programmes to choose from (code, name).
    pub programmes: Vec<(String, String)>,
    /// The unit's people who do not yet meet a target (to choose whom to
    /// send), shown to those who edit the plan.
    pub candidates: Vec<Candidate>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Candidate {
    pub target_id: String,
    pub person_id: i64,
    pub name: String,
    pub reason: String,
}

fn summary(
    row: &AnnualPlanRow,
    lines: &[nangluc_store::PlanLineRow],
    units: &HashMap<i64, UnitRef>,
) -> PlanSummary {
    let mut costs = Costs::default();
    for l in lines {
        costs.state_budget += l.costs.state_budget;
        costs.unit += l.costs.unit;
        costs.learner += l.costs.learner;
        costs.sponsor += l.costs.sponsor;
    }
    PlanSummary {
        id: row.id,
        unit: unit_ref(units, row.unit_id),
        year: row.year,
        status: coded_status(&row.status),
        submitted_at: row.submitted_at.map(Moment),
        late: row.late,
        classes: lines.iter().map(|l| l.classes).sum(),
        person_times: lines.iter().map(|l| l.person_times).sum(),
        costs: costs.into(),
    }
}

fn rule_line(l: &nangluc_store::PlanLineRow) -> Line {
    Line {
        programme: l.programme.clone(),
        target_id: l.target_id.clone(),
        classes: l.classes.max(0) as u64,
        person_times: l.person_times.max(0) as u64,
        costs: [
            l.costs.state_budget,
            l.costs.unit,
            l.costs.learner,
            l.costs.sponsor,
        ],
        people: l.people.clone(),
    }
}

/// A unit's plan with its lines, history, the check against the targets and
/// what the viewer may do with it.
pub fn plan_view(
    store: &mut Store,
    plan: Option<&ActivePlan>,
    v: &Viewer,
    id: i64,
    today: NaiveDate,
) -> Result<PlanView, AppError> {
    let row = load_plan(store, v, id, today)?;
    let units = units_on(store, today)?;
    let names = programme_names(store)?;
    let lines = store.plan_lines(id)?;
    let status = status_of(&row.status)?;
    let mut line_views = Vec::with_capacity(lines.len());
    for l in &lines {
        let mut people = Vec::new();
        for &p in &l.people {
            people.push(PersonRef {
                id: p,
                name: person_name(store, p)?,
            });
        }
        line_views.push(LineView {
            id: l.id,
            programme: l.programme.clone(),
            programme_name: names
                .get(&l.programme)
                .cloned()
                .unwrap_or_else(|| l.programme.clone()),
            target_id: l.target_id.clone(),
            classes: l.classes,
            person_times: l.person_times,
            costs: l.costs.into(),
            note: l.note.clone(),
            people,
        });
    }
    let events = store
        .plan_events(id)?
        .into_iter()
        .map(|e| EventView {
            at: Moment(e.at),
            actor: e.actor,
            action: action_label(&e.action).to_string(),
            to_status: coded_status(&e.to_status),
            comment: e.comment,
        })
        .collect();
    let who = actor(v);
    let mut candidates = Vec::new();
    let (check, check_note) = match plan {
        None => (
            None,
            Some(
                "Máy chủ chạy không có kế hoạch giai đoạn: không đối chiếu được với chỉ tiêu."
                    .to_string(),
            ),
        ),
        Some(p) => {
            let unit = unit_ref(&units, row.unit_id);
            let result = p.evaluate(store, today, Some(&unit.code), true, false)?;
            if who == Some(Actor::UnitOfficer) && status.editable() {
                for t in &result.targets {
                    candidates.extend(t.missing.iter().map(|m| Candidate {
                        target_id: t.id.clone(),
                        person_id: m.person_id,
                        name: m.name.clone(),
                        reason: m.reason.clone(),
                    }));
                }
            }
            // The plan file's own mapping, completed by the one the Sở Nội vụ keeps
            // for proposals (the same rule both places).
            let map = crate::proposals::programme_map(store, &p.plan())?;
            let rule_lines: Vec<Line> = lines.iter().map(rule_line).collect();
            let mut check = rules::check_against_targets(&result, &map, row.year, &rule_lines);
            // Name the people the rules know by id.
            for n in &mut check.not_needed {
                n.message = format!(
                    "{} đã đạt chỉ tiêu {} (hoặc không thuộc đối tượng): xem lại việc cử đi học.",
                    person_name(store, n.person_id)?,
                    n.target_id
                );
            }
            (Some(check), None)
        }
    };
    Ok(PlanView {
        plan: summary(&row, &lines, &units),
        deadline: Day(rules::submission_deadline(row.year)),
        lines: line_views,
        events,
        check,
        check_note,
        can_edit: who == Some(Actor::UnitOfficer) && status.editable(),
        can_submit: who
            .is_some_and(|w| rules::transition(status, PlanAction::Submit, w, None).is_ok()),
        can_review: who == Some(Actor::HomeAffairs) && status == PlanStatus::Submitted,
        programmes: names.into_iter().collect(),
        candidates,
    })
}

#[derive(Debug, Clone, Serialize)]
pub struct ProvinceLineView {
    pub programme: String,
    pub programme_name: String,
    pub units: i64,
    pub classes: i64,
    pub person_times: i64,
    pub costs: CostView,
}

#[derive(Debug, Clone, Serialize)]
pub struct ProvinceView {
    pub year: i32,
    pub status: Coded,
    pub aggregated_at: Moment,
    pub aggregated_by: String,
    pub approved_at: Option<Moment>,
    pub approved_by: Option<String>,
    pub decision: Option<String>,
    pub lines: Vec<ProvinceLineView>,
    pub totals: ProvinceLineView,
}

#[derive(Debug, Clone, Serialize)]
pub struct Overview {
    pub year: i32,
    pub deadline: Day,
    /// The deadline is behind us (a plan still missing is late).
    pub deadline_passed: bool,
    pub plans: Vec<PlanSummary>,
    pub province: Option<ProvinceView>,
    /// Units the viewer may start a plan for this year (none yet).
    pub creatable: Vec<UnitRef>,
    pub accepted: usize,
    /// Units expected to send a plan (those directly under the province) that
    /// have not submitted one yet; shown to those who read every plan.
    pub not_submitted: Vec<UnitRef>,
    pub can_aggregate: bool,
    pub can_approve: bool,
}

fn province_view(store: &mut Store, year: i32) -> Result<Option<ProvinceView>, AppError> {
    let Some(p) = store.province_plan(year)? else {
        return Ok(None);
    };
    let names = programme_names(store)?;
    let mut totals = ProvinceLineView {
        programme: String::new(),
        programme_name: "Tổng cộng".into(),
        units: 0,
        classes: 0,
        person_times: 0,
        costs: CostView::default(),
    };
    let mut sum = Costs::default();
    let lines: Vec<ProvinceLineView> = p
        .lines
        .iter()
        .map(|l| {
            totals.classes += l.classes;
            totals.person_times += l.person_times;
            sum.state_budget += l.costs.state_budget;
            sum.unit += l.costs.unit;
            sum.learner += l.costs.learner;
            sum.sponsor += l.costs.sponsor;
            ProvinceLineView {
                programme: l.programme.clone(),
                programme_name: names
                    .get(&l.programme)
                    .cloned()
                    .unwrap_or_else(|| l.programme.clone()),
                units: l.units,
                classes: l.classes,
                person_times: l.person_times,
                costs: l.costs.into(),
            }
        })
        .collect();
    totals.costs = sum.into();
    totals.units = store
        .annual_plans(Some(year))?
        .iter()
        .filter(|r| r.province_plan_id == Some(p.id))
        .count() as i64;
    Ok(Some(ProvinceView {
        year,
        status: match p.status.as_str() {
            "approved" => Coded::new("approved", "Đã phê duyệt"),
            s => Coded::new(s, "Đã tổng hợp, chờ phê duyệt"),
        },
        aggregated_at: Moment(p.aggregated_at),
        aggregated_by: p.aggregated_by,
        approved_at: p.approved_at.map(Moment),
        approved_by: p.approved_by,
        decision: p.decision,
        lines,
        totals,
    }))
}

/// The plans of a year the viewer may read, the province's plan, and what
/// the viewer may do.
pub fn overview(
    store: &mut Store,
    v: &Viewer,
    year: i32,
    today: NaiveDate,
) -> Result<Overview, AppError> {
    let scope = unit_scope(store, v, today)?;
    let units = units_on(store, today)?;
    let rows: Vec<AnnualPlanRow> = store
        .annual_plans(Some(year))?
        .into_iter()
        .filter(|r| in_scope(&scope, r.unit_id))
        .collect();
    let mut plans = Vec::with_capacity(rows.len());
    for r in &rows {
        let lines = store.plan_lines(r.id)?;
        plans.push(summary(r, &lines, &units));
    }
    plans.sort_by(|a, b| nangluc_core::text::compare(&a.unit.name, &b.unit.name));
    let creatable = match (&scope, v.role) {
        (Some(ids), Role::UnitHr) => {
            let mut us: Vec<UnitRef> = ids
                .iter()
                .filter(|id| !rows.iter().any(|r| r.unit_id == **id))
                .filter_map(|id| units.get(id).cloned())
                .collect();
            // The officer's own unit first, then the units under it by name.
            us.sort_by(|a, b| {
                (Some(b.id) == v.unit_id)
                    .cmp(&(Some(a.id) == v.unit_id))
                    .then_with(|| nangluc_core::text::compare(&a.name, &b.name))
            });
            us
        }
        _ => Vec::new(),
    };
    let not_submitted = if scope.is_none() {
        let top = store
            .as_of(Table::Units, &AsOf::date(today))?
            .into_iter()
            .filter_map(|r| match r.data {
                Fact::Unit(u) => Some((r.id, u.parent_id)),
                _ => None,
            })
            .collect::<Vec<_>>();
        let roots: Vec<i64> = top
            .iter()
            .filter(|(_, p)| p.is_none())
            .map(|(id, _)| *id)
            .collect();
        let mut missing: Vec<UnitRef> = top
            .iter()
            .filter(|(_, p)| p.is_some_and(|p| roots.contains(&p)))
            .filter(|(id, _)| {
                !rows
                    .iter()
                    .any(|r| r.unit_id == *id && r.submitted_at.is_some())
            })
            .map(|(id, _)| unit_ref(&units, *id))
            .collect();
        missing.sort_by(|a, b| nangluc_core::text::compare(&a.name, &b.name));
        missing
    } else {
        Vec::new()
    };
    let province = province_view(store, year)?;
    let accepted = rows.iter().filter(|r| r.status == "accepted").count();
    let approved = province
        .as_ref()
        .is_some_and(|p| p.status.code == "approved");
    Ok(Overview {
        year,
        deadline: Day(rules::submission_deadline(year)),
        deadline_passed: rules::is_late(year, today),
        plans,
        creatable,
        accepted,
        not_submitted,
        can_aggregate: v.role == Role::Admin && accepted > 0 && !approved,
        can_approve: v.role == Role::Admin
            && province
                .as_ref()
                .is_some_and(|p| p.status.code == "aggregated"),
        province,
    })
}

// ---------------------------------------------------------------- moves

/// Starts a unit's draft plan for a year: a unit HR officer for a unit of
/// their subtree (their own unit by default), or the Sở Nội vụ for any unit.
pub fn create_plan(
    store: &mut Store,
    v: &Viewer,
    unit_id: Option<i64>,
    year: i32,
    now: DateTime<Utc>,
) -> Result<i64, AppError> {
    let today = crate::fmt::day_in_vietnam(now);
    let scope = unit_scope(store, v, today)?;
    if actor(v).is_none() {
        return Err(AppError::Forbidden);
    }
    let unit_id = unit_id
        .or(v.unit_id)
        .ok_or_else(|| AppError::BadRequest("Hãy chọn đơn vị lập kế hoạch.".into()))?;
    if !in_scope(&scope, unit_id) {
        return Err(AppError::Forbidden);
    }
    if !units_on(store, today)?.contains_key(&unit_id) {
        return Err(AppError::NotFound(format!("đơn vị có mã số {unit_id}")));
    }
    if !(2000..=2100).contains(&year) {
        return Err(AppError::BadRequest(format!(
            "Năm kế hoạch {year} không hợp lệ."
        )));
    }
    store
        .create_annual_plan(unit_id, year, &stamp(v, now))
        .map_err(store_err)
}

/// A line as the API and the forms give it.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
pub struct LineInput {
    pub programme: String,
    #[serde(default)]
    pub target_id: Option<String>,
    #[serde(default)]
    pub classes: i64,
    #[serde(default)]
    pub person_times: i64,
    #[serde(default)]
    pub cost_state_budget: i64,
    #[serde(default)]
    pub cost_unit: i64,
    #[serde(default)]
    pub cost_learner: i64,
    #[serde(default)]
    pub cost_sponsor: i64,
    #[serde(default)]
    pub note: Option<String>,
    /// The people the unit intends to send, by id.
    #[serde(default)]
    pub people: Vec<i64>,
}

/// Adds a line to a draft or returned plan, after checking the programme,
/// the target, the figures and that the people work in the unit.
pub fn add_line(
    store: &mut Store,
    plan: Option<&ActivePlan>,
    v: &Viewer,
    id: i64,
    input: &LineInput,
    now: DateTime<Utc>,
) -> Result<i64, AppError> {
    let today = crate::fmt::day_in_vietnam(now);
    let row = load_plan(store, v, id, today)?;
    if actor(v) != Some(Actor::UnitOfficer) {
        return Err(AppError::Forbidden);
    }
    let programme = input.programme.trim().to_string();
    if !programme_names(store)?.contains_key(&programme) {
        return Err(AppError::BadRequest(format!(
            "Không có chương trình mã «{programme}» trong danh mục."
        )));
    }
    let target_id = input
        .target_id
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string);
    if let (Some(t), Some(p)) = (&target_id, plan)
        && !p.plan().targets.iter().any(|x| &x.id == t)
    {
        return Err(AppError::BadRequest(format!(
            "Kế hoạch giai đoạn không có chỉ tiêu «{t}»."
        )));
    }
    let figures = [
        ("số lớp", input.classes),
        ("số lượt người", input.person_times),
        ("kinh phí ngân sách nhà nước", input.cost_state_budget),
        ("kinh phí của đơn vị", input.cost_unit),
        ("kinh phí của người học", input.cost_learner),
        ("kinh phí tài trợ", input.cost_sponsor),
    ];
    if let Some((what, _)) = figures.iter().find(|(_, n)| *n < 0) {
        return Err(AppError::BadRequest(format!(
            "{} không được âm.",
            crate::fmt::capitalise(what)
        )));
    }
    if input.person_times == 0 && input.classes == 0 {
        return Err(AppError::BadRequest(
            "Hãy ghi số lớp hoặc số lượt người.".into(),
        ));
    }
    if (input.people.len() as i64) > input.person_times {
        return Err(AppError::BadRequest(format!(
            "Danh sách dự kiến cử đi học có {} người, nhiều hơn số lượt người đăng ký ({}).",
            input.people.len(),
            input.person_times
        )));
    }
    if !input.people.is_empty() {
        let staff = store.people_in_unit(row.unit_id, &AsOf::date(today), true)?;
        if let Some(p) = input.people.iter().find(|p| !staff.contains(p)) {
            return Err(AppError::BadRequest(format!(
                "Người có mã {p} không công tác tại đơn vị hoặc các đơn vị trực thuộc."
            )));
        }
    }
    let line = NewPlanLine {
        programme,
        target_id,
        classes: input.classes,
        person_times: input.person_times,
        costs: Costs {
            state_budget: input.cost_state_budget,
            unit: input.cost_unit,
            learner: input.cost_learner,
            sponsor: input.cost_sponsor,
        },
        note: input
            .note
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_string),
        people: input.people.clone(),
    };
    store
        .add_plan_line(id, &line, PlanStatus::EDITABLE, &stamp(v, now))
        .map_err(store_err)
}

pub fn remove_line(
    store: &mut Store,
    v: &Viewer,
    id: i64,
    line_id: i64,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    load_plan(store, v, id, crate::fmt::day_in_vietnam(now))?;
    if actor(v) != Some(Actor::UnitOfficer) {
        return Err(AppError::Forbidden);
    }
    store
        .remove_plan_line(id, line_id, PlanStatus::EDITABLE, &stamp(v, now))
        .map_err(store_err)
}

/// Submits, returns (with a comment) or accepts a unit's plan. A submission
/// after 31 August of the year before is recorded late.
pub fn act(
    store: &mut Store,
    v: &Viewer,
    id: i64,
    action: PlanAction,
    comment: Option<&str>,
    now: DateTime<Utc>,
) -> Result<PlanStatus, AppError> {
    let today = crate::fmt::day_in_vietnam(now);
    let row = load_plan(store, v, id, today)?;
    let who = actor(v).ok_or(AppError::Forbidden)?;
    if !matches!(
        action,
        PlanAction::Submit | PlanAction::Return | PlanAction::Accept
    ) {
        return Err(AppError::BadRequest(
            "Tổng hợp và phê duyệt làm cho cả kế hoạch năm của tỉnh.".into(),
        ));
    }
    let from = status_of(&row.status)?;
    let comment = comment.map(str::trim).filter(|c| !c.is_empty());
    let to = rules::transition(from, action, who, comment).map_err(|e| match e {
        rules::TransitionError::NotAllowed { .. } => AppError::Forbidden,
        e => AppError::BadRequest(format!("{}.", crate::fmt::capitalise(&e.to_string()))),
    })?;
    if action == PlanAction::Submit && store.plan_lines(id)?.is_empty() {
        return Err(AppError::BadRequest(
            "Kế hoạch chưa có dòng nào: hãy thêm các lớp đề nghị trước khi gửi.".into(),
        ));
    }
    let event = match action {
        PlanAction::Submit => "submitted",
        PlanAction::Return => "returned",
        _ => "accepted",
    };
    let m = StatusMove {
        from: from.code(),
        to: to.code(),
        action: event,
        comment,
        submission_late: (action == PlanAction::Submit).then(|| rules::is_late(row.year, today)),
    };
    store
        .move_annual_plan(id, &m, &stamp(v, now))
        .map_err(store_err)?;
    Ok(to)
}

/// The Sở Nội vụ sums the accepted unit plans of a year into the province's plan.
pub fn aggregate(
    store: &mut Store,
    v: &Viewer,
    year: i32,
    now: DateTime<Utc>,
) -> Result<ProvinceView, AppError> {
    if v.role != Role::Admin {
        return Err(AppError::Forbidden);
    }
    let accepted: Vec<AnnualPlanRow> = store
        .annual_plans(Some(year))?
        .into_iter()
        .filter(|r| r.status == "accepted")
        .collect();
    // Plans aggregated earlier (before approval) stay in the sum.
    let earlier: Vec<AnnualPlanRow> = store
        .annual_plans(Some(year))?
        .into_iter()
        .filter(|r| r.status == "aggregated")
        .collect();
    if accepted.is_empty() {
        return Err(AppError::BadRequest(format!(
            "Chưa có kế hoạch năm {year} nào được tiếp nhận để tổng hợp."
        )));
    }
    let mut all = Vec::new();
    for r in accepted.iter().chain(&earlier) {
        all.push(
            store
                .plan_lines(r.id)?
                .iter()
                .map(rule_line)
                .collect::<Vec<_>>(),
        );
    }
    let lines: Vec<ProvinceLineRow> = rules::aggregate(&all)
        .into_iter()
        .map(|t| ProvinceLineRow {
            programme: t.programme,
            units: t.units as i64,
            classes: t.classes as i64,
            person_times: t.person_times as i64,
            costs: Costs {
                state_budget: t.costs[0],
                unit: t.costs[1],
                learner: t.costs[2],
                sponsor: t.costs[3],
            },
        })
        .collect();
    let ids: Vec<i64> = accepted.iter().map(|r| r.id).collect();
    store
        .aggregate_province_plan(year, &lines, &ids, &stamp(v, now))
        .map_err(store_err)?;
    province_view(store, year)?.ok_or_else(|| {
        AppError::Internal("kế hoạch của tỉnh vừa tổng hợp không đọc lại được".into())
    })
}

/// The province's plan approved (on the chair's decision, whose number is kept).
pub fn approve(
    store: &mut Store,
    v: &Viewer,
    year: i32,
    decision: Option<&str>,
    now: DateTime<Utc>,
) -> Result<ProvinceView, AppError> {
    if v.role != Role::Admin {
        return Err(AppError::Forbidden);
    }
    let decision = decision.map(str::trim).filter(|d| !d.is_empty());
    store
        .approve_province_plan(year, decision, &stamp(v, now))
        .map_err(store_err)?;
    province_view(store, year)?
        .ok_or_else(|| AppError::Internal("kế hoạch của tỉnh không đọc lại được".into()))
}

// ---------------------------------------------------------------- budget

/// What an approved class commits: its estimate, split by funding source
/// (`sources`; empty: all from `source`), each source's amount split over the
/// units sending learners in proportion to their learners.
#[derive(Debug, Clone, Deserialize, Serialize)]
pub struct ClassBudget {
    pub programme: String,
    pub year: i32,
    pub on: NaiveDate,
    /// The source of the whole cost when `sources` is empty (the main one otherwise).
    pub source: FundingSource,
    pub total: i64,
    /// The cost by source; must add up to `total`.
    #[serde(default)]
    pub sources: Vec<SourceAmount>,
    /// (unit id, learners).
    pub learners_by_unit: Vec<(i64, u32)>,
}

/// An amount from one funding source.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
pub struct SourceAmount {
    pub source: FundingSource,
    pub amount: i64,
}

/// Checks a split by source against the class's cost: no amount below 0,
/// the sum equal to the cost.
pub fn check_split(total: i64, sources: &[SourceAmount]) -> Result<(), AppError> {
    if let Some(s) = sources.iter().find(|s| s.amount < 0) {
        return Err(AppError::BadRequest(format!(
            "Kinh phí từ nguồn {}: không được âm.",
            s.source.label().to_lowercase()
        )));
    }
    let sum: i64 = sources.iter().map(|s| s.amount).sum();
    if !sources.is_empty() && sum != total {
        return Err(AppError::BadRequest(format!(
            "Kinh phí theo nguồn: tổng {} phải bằng kinh phí dự kiến của lớp {}.",
            money(sum),
            money(total)
        )));
    }
    Ok(())
}

/// The split of a class's cost by source as its year's accepted unit plans
/// ask for its programme (their lines' cost by source), in proportion; empty
/// when no accepted plan asks for it.
pub fn split_from_plans(store: &mut Store, year: i32, programme: &str, total: i64) -> Result<Vec<SourceAmount>, AppError> {
    let mut w = [0i64; 4];
    for plan in store.annual_plans(Some(year))? {
        let counted = matches!(
            PlanStatus::from_code(&plan.status),
            Some(PlanStatus::Accepted | PlanStatus::Aggregated | PlanStatus::Approved)
        );
        if !counted {
            continue;
        }
        for line in store.plan_lines(plan.id)? {
            if line.programme == programme {
                w[0] += line.costs.state_budget;
                w[1] += line.costs.unit;
                w[2] += line.costs.learner;
                w[3] += line.costs.sponsor;
            }
        }
    }
    if w.iter().all(|x| *x <= 0) {
        return Ok(Vec::new());
    }
    let weights: Vec<(FundingSource, i64)> = [
        FundingSource::StateBudget,
        FundingSource::Unit,
        FundingSource::Learner,
        FundingSource::Sponsor,
    ]
    .into_iter()
    .zip(w)
    .collect();
    Ok(ledger_rules::split_in_proportion(total, &weights)
        .into_iter()
        .filter(|(_, a)| *a > 0)
        .map(|(source, amount)| SourceAmount { source, amount })
        .collect())
}

/// Whether a class falls outside the province's approved annual plan for its
/// year (no approved plan, or its programme not in it): said, not refused —
/// a class may answer a need that arose during the year.
pub fn outside_plan(store: &mut Store, c: &ClassBudget) -> Result<Option<String>, AppError> {
    Ok(match store.province_plan(c.year)? {
        Some(p) if p.status == "approved" && p.lines.iter().any(|l| l.programme == c.programme) => {
            None
        }
        Some(p) if p.status == "approved" => Some(format!(
            "Chương trình {} không có trong kế hoạch năm {} đã phê duyệt.",
            c.programme, c.year
        )),
        _ => Some(format!(
            "Kế hoạch năm {} của tỉnh chưa được phê duyệt.",
            c.year
        )),
    })
}

/// Commits a class's budget when it is approved. The class approval hook
/// calls this with the approving account's name; the API offers it to the
/// Sở Nội vụ and finance until that hook exists.
pub fn commit_class_budget(
    store: &mut Store,
    actor: &str,
    class_id: i64,
    c: &ClassBudget,
    now: DateTime<Utc>,
) -> Result<Vec<LedgerEntry>, AppError> {
    if c.total < 0 {
        return Err(AppError::BadRequest(
            "Kinh phí cam kết không được âm.".into(),
        ));
    }
    if c.learners_by_unit.iter().all(|(_, n)| *n == 0) {
        return Err(AppError::BadRequest(
            "Lớp chưa có học viên của đơn vị nào để phân bổ kinh phí.".into(),
        ));
    }
    check_split(c.total, &c.sources)?;
    let learners: Vec<(String, u32)> = c
        .learners_by_unit
        .iter()
        .map(|(u, n)| (u.to_string(), *n))
        .collect();
    let by_source: Vec<(FundingSource, i64)> = if c.sources.is_empty() {
        vec![(c.source, c.total)]
    } else {
        c.sources.iter().map(|s| (s.source, s.amount)).collect()
    };
    let entries: Vec<LedgerEntry> = ledger_rules::commit_class_by_source(
        &class_id.to_string(),
        &c.programme,
        c.year,
        c.on,
        &by_source,
        &learners,
    )
    .into_iter()
    .map(|x| LedgerEntry {
        class_id,
        programme: x.programme,
        year: x.year,
        unit_id: x.unit.parse().unwrap_or_default(),
        source: x.source.code().to_string(),
        on: x.on,
        amount: x.amount,
        document: None,
    })
    .collect();
    store
        .commit_class(class_id, &entries, &Stamp::new(actor, now))
        .map_err(store_err)?;
    Ok(entries)
}

/// The current version of an entity (latest valid time), if any.
fn current(store: &mut Store, table: Table, id: i64) -> Result<Option<Fact>, AppError> {
    Ok(store
        .history(table, id)?
        .into_iter()
        .filter(|r| r.recording.superseded_at.is_none())
        .max_by_key(|r| r.valid.from)
        .map(|r| r.data))
}

/// The enrolments of a class still believed, with the unit each learner
/// comes for: the unit that nominated them, else where they worked when the
/// class started.
fn class_learners(
    store: &mut Store,
    class_id: i64,
    starts_on: NaiveDate,
) -> Result<Vec<(nangluc_core::training::Enrolment, Option<i64>)>, AppError> {
    let mut out = Vec::new();
    for r in store.current_where(
        Table::Enrolments,
        "class_id",
        nangluc_store::Value::Int(class_id),
    )? {
        let Fact::Enrolment(e) = r.data else { continue };
        let unit = match e.nominated_by {
            Some(u) => Some(u),
            None => store
                .current_where(
                    Table::Employments,
                    "person_id",
                    nangluc_store::Value::Int(e.person_id),
                )?
                .into_iter()
                .find(|x| x.valid.contains(starts_on))
                .and_then(|x| match x.data {
                    Fact::Employment(j) => Some(j.unit_id),
                    _ => None,
                }),
        };
        out.push((e, unit));
    }
    Ok(out)
}

/// What an approved class commits, read from the store: its planned cost,
/// from its learners' funding source, split over the units sending them —
/// what the class approval hook passes to [`commit_class_budget`].
pub fn class_budget(
    store: &mut Store,
    class_id: i64,
    on: NaiveDate,
) -> Result<ClassBudget, AppError> {
    use chrono::Datelike;
    use nangluc_core::training::EnrolmentStatus as E;
    let Some(Fact::Class(class)) = current(store, Table::Classes, class_id)? else {
        return Err(AppError::NotFound(format!("lớp số {class_id}")));
    };
    let programme = match current(store, Table::Programmes, class.programme_id)? {
        Some(Fact::Programme(p)) => p.code,
        _ => {
            return Err(AppError::NotFound(format!(
                "chương trình số {}",
                class.programme_id
            )));
        }
    };
    let learners: Vec<_> = class_learners(store, class_id, class.starts_on)?
        .into_iter()
        .filter(|(e, _)| !matches!(e.status, E::Waitlisted | E::Withdrawn))
        .collect();
    let mut by_unit: BTreeMap<i64, u32> = BTreeMap::new();
    for (_, unit) in &learners {
        if let Some(u) = unit {
            *by_unit.entry(*u).or_default() += 1;
        }
    }
    let (year, total) = (class.starts_on.year(), class.planned_cost);
    // By source: as the year's accepted plans ask for the programme; else as
    // the learners are funded (by head); else the state budget.
    let mut sources = split_from_plans(store, year, &programme, total)?;
    if sources.is_empty() && !learners.is_empty() {
        let weights: Vec<(FundingSource, i64)> = FundingSource::ALL
            .iter()
            .map(|f| (*f, learners.iter().filter(|(e, _)| e.funding == *f).count() as i64))
            .collect();
        sources = ledger_rules::split_in_proportion(total, &weights)
            .into_iter()
            .filter(|(_, a)| *a > 0)
            .map(|(source, amount)| SourceAmount { source, amount })
            .collect();
    }
    Ok(ClassBudget {
        programme,
        year,
        on,
        source: sources
            .iter()
            .max_by_key(|s| s.amount)
            .map_or(FundingSource::StateBudget, |s| s.source),
        total,
        sources,
        learners_by_unit: by_unit.into_iter().collect(),
    })
}

/// What a finished class spent, read from its learners' records: each
/// learner's cost, by unit and funding source — what the class finish hook
/// passes to [`settle_class_budget`].
pub fn class_payments(store: &mut Store, class_id: i64) -> Result<Vec<Payment>, AppError> {
    use nangluc_core::training::EnrolmentStatus as E;
    let Some(Fact::Class(class)) = current(store, Table::Classes, class_id)? else {
        return Err(AppError::NotFound(format!("lớp số {class_id}")));
    };
    let mut sums: BTreeMap<(i64, &'static str), (FundingSource, i64)> = BTreeMap::new();
    for (e, unit) in class_learners(store, class_id, class.starts_on)? {
        if matches!(e.status, E::Waitlisted | E::Nominated) {
            continue;
        }
        let Some(unit) = unit else { continue };
        sums.entry((unit, e.funding.code()))
            .or_insert((e.funding, 0))
            .1 += e.cost;
    }
    Ok(sums
        .into_iter()
        .map(|((unit_id, _), (source, amount))| Payment {
            unit_id,
            source,
            amount,
            document: None,
        })
        .collect())
}

/// One payment of a finished class.
#[derive(Debug, Clone, Deserialize, Serialize)]
pub struct Payment {
    pub unit_id: i64,
    pub source: FundingSource,
    pub amount: i64,
    #[serde(default)]
    pub document: Option<String>,
}

/// Settles a finished class: records what was paid and the settlement
/// (released or overrun against the commitments), in one transaction.
pub fn settle_class_budget(
    store: &mut Store,
    actor: &str,
    class_id: i64,
    settled_on: NaiveDate,
    actual: &[Payment],
    now: DateTime<Utc>,
) -> Result<ledger_rules::Settlement, AppError> {
    let committed = store.class_commitments(class_id)?;
    let Some(first) = committed.first() else {
        return Err(AppError::BadRequest(format!(
            "Lớp {class_id} chưa được cam kết kinh phí, chưa quyết toán được."
        )));
    };
    if actual.iter().any(|p| p.amount < 0) {
        return Err(AppError::BadRequest("Số tiền đã chi không được âm.".into()));
    }
    let (programme, year) = (first.entry.programme.clone(), first.entry.year);
    let code = class_id.to_string();
    let commitments: Vec<ledger_rules::Commitment> =
        committed.iter().map(|c| to_commitment(&c.entry)).collect();
    let spendings: Vec<LedgerEntry> = actual
        .iter()
        .map(|p| LedgerEntry {
            class_id,
            programme: programme.clone(),
            year,
            unit_id: p.unit_id,
            source: p.source.code().to_string(),
            on: settled_on,
            amount: p.amount,
            document: p.document.clone(),
        })
        .collect();
    let as_rules: Vec<ledger_rules::Spending> = spendings.iter().map(to_spending).collect();
    let s = ledger_rules::settle(&code, settled_on, &commitments, &as_rules);
    let row = SettlementRow {
        class_id,
        year,
        settled_on,
        committed: s.committed,
        spent: s.spent,
        released: s.released,
        overrun: s.overrun,
        message: s.message.clone(),
    };
    store
        .settle_class(&spendings, &row, &Stamp::new(actor, now))
        .map_err(store_err)?;
    Ok(s)
}

/// A class's settlement by funding source, from its ledger rows.
pub fn class_settlement_by_source(store: &mut Store, class_id: i64) -> Result<Vec<SourceSettlementLine>, AppError> {
    let Some(first) = store.class_commitments(class_id)?.into_iter().next() else {
        return Ok(Vec::new());
    };
    let l = ledger(store, first.entry.year)?;
    Ok(source_settlement_lines(&l, class_id))
}

fn source_of(code: &str) -> FundingSource {
    FundingSource::from_code(code).unwrap_or(FundingSource::StateBudget)
}

fn to_commitment(e: &LedgerEntry) -> ledger_rules::Commitment {
    ledger_rules::Commitment {
        class_code: e.class_id.to_string(),
        programme: e.programme.clone(),
        year: e.year,
        unit: e.unit_id.to_string(),
        source: source_of(&e.source),
        on: e.on,
        amount: e.amount,
    }
}

fn to_spending(e: &LedgerEntry) -> ledger_rules::Spending {
    ledger_rules::Spending {
        class_code: e.class_id.to_string(),
        programme: e.programme.clone(),
        year: e.year,
        unit: e.unit_id.to_string(),
        source: source_of(&e.source),
        on: e.on,
        amount: e.amount,
        document: e.document.clone(),
    }
}

/// The persisted ledger of a year as the planning crate reads it (units and
/// classes by id).
pub fn ledger(store: &mut Store, year: i32) -> Result<Ledger, AppError> {
    let rows = store.ledger(Some(year))?;
    Ok(Ledger {
        allocations: rows
            .allocations
            .iter()
            .map(|a| ledger_rules::Allocation {
                year: a.year,
                unit: a.unit_id.to_string(),
                source: source_of(&a.source),
                programme: a.programme.clone(),
                amount: a.amount,
            })
            .collect(),
        commitments: rows
            .commitments
            .iter()
            .map(|c| to_commitment(&c.entry))
            .collect(),
        spendings: rows
            .spendings
            .iter()
            .map(|s| to_spending(&s.entry))
            .collect(),
        settlements: rows
            .settlements
            .iter()
            .map(|(s, _)| ledger_rules::Settlement {
                class_code: s.class_id.to_string(),
                settled_on: s.settled_on,
                committed: s.committed,
                spent: s.spent,
                released: s.released,
                overrun: s.overrun,
                message: s.message.clone(),
            })
            .collect(),
    })
}

#[derive(Debug, Clone, Serialize)]
pub struct VarianceLine {
    /// The unit, source or programme, named.
    pub label: String,
    pub allocated: i64,
    pub committed: i64,
    pub spent: i64,
    pub released: i64,
    pub open_commitments: i64,
    pub available: i64,
    pub variance: i64,
}

#[derive(Debug, Clone, Serialize)]
pub struct AllocationLine {
    pub unit: String,
    pub source: Coded,
    pub programme: Option<String>,
    pub amount: i64,
    pub note: Option<String>,
    pub recorded_by: String,
    pub recorded_at: Moment,
}

#[derive(Debug, Clone, Serialize)]
pub struct SettlementLine {
    pub class_id: i64,
    pub settled_on: Day,
    pub committed: i64,
    pub spent: i64,
    pub released: i64,
    pub overrun: i64,
    pub message: String,
    pub recorded_by: String,
    /// The same by funding source (one line for a class committed from one).
    pub by_source: Vec<SourceSettlementLine>,
}

#[derive(Debug, Clone, Serialize)]
pub struct SourceSettlementLine {
    pub source: Coded,
    pub committed: i64,
    pub spent: i64,
    pub released: i64,
    pub overrun: i64,
}

fn source_settlement_lines(l: &Ledger, class_id: i64) -> Vec<SourceSettlementLine> {
    ledger_rules::settle_by_source(&class_id.to_string(), &l.commitments, &l.spendings)
        .into_iter()
        .map(|x| SourceSettlementLine {
            source: Coded::new(x.source.code(), x.source.label()),
            committed: x.committed,
            spent: x.spent,
            released: x.released,
            overrun: x.overrun,
        })
        .collect()
}

/// A committed class not yet settled: what each unit committed, from which source.
#[derive(Debug, Clone, Serialize)]
pub struct OpenClass {
    pub class_id: i64,
    pub class_code: String,
    pub programme: String,
    pub parts: Vec<OpenPart>,
}

#[derive(Debug, Clone, Serialize)]
pub struct OpenPart {
    pub unit_id: i64,
    pub unit: String,
    pub source: Coded,
    pub committed: i64,
}

impl OpenPart {
    /// The settlement form's field for this part.
    pub fn field(&self) -> String {
        format!("paid_{}_{}", self.unit_id, self.source.code)
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct BudgetView {
    pub year: i32,
    pub allocations: Vec<AllocationLine>,
    pub by_unit: Vec<VarianceLine>,
    pub by_source: Vec<VarianceLine>,
    pub by_programme: Vec<VarianceLine>,
    pub settlements: Vec<SettlementLine>,
    /// Classes committed and not yet settled.
    pub open_classes: Vec<OpenClass>,
    /// The province's annual plan's cost by source against what is allocated
    /// (empty before the plan is aggregated).
    pub plan_by_source: Vec<PlannedSource>,
    pub can_edit: bool,
    /// Units to allocate to.
    pub units: Vec<UnitRef>,
}

#[derive(Debug, Clone, Serialize)]
pub struct PlannedSource {
    pub source: Coded,
    /// In the province's annual plan (aggregated or approved).
    pub planned: i64,
    pub allocated: i64,
    /// allocated − planned: below 0, the plan is not yet funded.
    pub difference: i64,
}

fn variance_lines(
    rows: Vec<VarianceRow>,
    label: impl Fn(&ledger_rules::VarianceKey) -> String,
) -> Vec<VarianceLine> {
    rows.into_iter()
        .map(|r| VarianceLine {
            label: label(&r.key),
            allocated: r.allocated,
            committed: r.committed,
            spent: r.spent,
            released: r.released,
            open_commitments: r.open_commitments,
            available: r.available,
            variance: r.variance,
        })
        .collect()
}

pub fn budget_view(
    store: &mut Store,
    v: &Viewer,
    year: i32,
    today: NaiveDate,
) -> Result<BudgetView, AppError> {
    if !reads_budget(v.role) {
        return Err(AppError::Forbidden);
    }
    let units = units_on(store, today)?;
    let names = programme_names(store)?;
    let l = ledger(store, year)?;
    let unit_name = |s: &str| {
        s.parse::<i64>()
            .ok()
            .map(|id| unit_ref(&units, id).name)
            .unwrap_or_else(|| s.to_string())
    };
    let rows = store.ledger(Some(year))?;
    let mut open_classes: Vec<OpenClass> = Vec::new();
    for c in &rows.commitments {
        let e = &c.entry;
        if rows
            .settlements
            .iter()
            .any(|(s, _)| s.class_id == e.class_id)
        {
            continue;
        }
        if !open_classes.iter().any(|o| o.class_id == e.class_id) {
            let class_code = store
                .history(Table::Classes, e.class_id)?
                .into_iter()
                .rev()
                .find_map(|r| match r.data {
                    Fact::Class(k) if r.recording.superseded_at.is_none() => Some(k.code),
                    _ => None,
                })
                .unwrap_or_else(|| format!("Lớp {}", e.class_id));
            open_classes.push(OpenClass {
                class_id: e.class_id,
                class_code,
                programme: names
                    .get(&e.programme)
                    .cloned()
                    .unwrap_or_else(|| e.programme.clone()),
                parts: Vec::new(),
            });
        }
        let o = open_classes
            .iter_mut()
            .find(|o| o.class_id == e.class_id)
            .expect("pushed above");
        let source = source_of(&e.source);
        match o
            .parts
            .iter_mut()
            .find(|p| p.unit_id == e.unit_id && p.source.code == source.code())
        {
            Some(p) => p.committed += e.amount,
            None => o.parts.push(OpenPart {
                unit_id: e.unit_id,
                unit: unit_ref(&units, e.unit_id).name,
                source: Coded::new(source.code(), source.label()),
                committed: e.amount,
            }),
        }
    }
    let plan_by_source = match store.province_plan(year)? {
        None => Vec::new(),
        Some(p) => FundingSource::ALL
            .iter()
            .map(|src| {
                let planned: i64 = p
                    .lines
                    .iter()
                    .map(|l| match src {
                        FundingSource::StateBudget => l.costs.state_budget,
                        FundingSource::Unit => l.costs.unit,
                        FundingSource::Learner => l.costs.learner,
                        FundingSource::Sponsor => l.costs.sponsor,
                    })
                    .sum();
                let allocated: i64 = rows
                    .allocations
                    .iter()
                    .filter(|a| a.source == src.code())
                    .map(|a| a.amount)
                    .sum();
                PlannedSource {
                    source: Coded::new(src.code(), src.label()),
                    planned,
                    allocated,
                    difference: allocated - planned,
                }
            })
            .collect(),
    };
    let mut sorted_units: Vec<UnitRef> = units.values().cloned().collect();
    sorted_units.sort_by(|a, b| nangluc_core::text::compare(&a.name, &b.name));
    Ok(BudgetView {
        year,
        allocations: rows
            .allocations
            .iter()
            .map(|a| AllocationLine {
                unit: unit_ref(&units, a.unit_id).name,
                source: Coded::new(a.source.clone(), source_of(&a.source).label()),
                programme: a.programme.clone(),
                amount: a.amount,
                note: a.note.clone(),
                recorded_by: a.stamp.actor.clone(),
                recorded_at: Moment(a.stamp.at),
            })
            .collect(),
        by_unit: variance_lines(ledger_rules::variance(&l, VarianceBy::UNIT), |k| {
            k.unit.as_deref().map(unit_name).unwrap_or_default()
        }),
        by_source: variance_lines(ledger_rules::variance(&l, VarianceBy::SOURCE), |k| {
            k.source.map(|s| s.label().to_string()).unwrap_or_default()
        }),
        by_programme: variance_lines(
            ledger_rules::variance(&l, VarianceBy::PROGRAMME),
            |k| match &k.programme {
                Some(p) => names.get(p).cloned().unwrap_or_else(|| p.clone()),
                None => "Chưa gắn chương trình".to_string(),
            },
        ),
        settlements: rows
            .settlements
            .iter()
            .map(|(s, st)| SettlementLine {
                class_id: s.class_id,
                settled_on: Day(s.settled_on),
                committed: s.committed,
                spent: s.spent,
                released: s.released,
                overrun: s.overrun,
                message: s.message.clone(),
                recorded_by: st.actor.clone(),
                by_source: source_settlement_lines(&l, s.class_id),
            })
            .collect(),
        open_classes,
        plan_by_source,
        can_edit: v.role == Role::Finance,
        units: sorted_units,
    })
}

#[derive(Debug, Clone, Deserialize, Serialize)]
pub struct AllocationInput {
    pub year: i32,
    pub unit_id: i64,
    pub source: FundingSource,
    #[serde(default)]
    pub programme: Option<String>,
    pub amount: i64,
    #[serde(default)]
    pub note: Option<String>,
}

/// Finance records an allocation (phân bổ dự toán).
pub fn add_allocation(
    store: &mut Store,
    v: &Viewer,
    a: &AllocationInput,
    now: DateTime<Utc>,
) -> Result<i64, AppError> {
    if v.role != Role::Finance {
        return Err(AppError::Forbidden);
    }
    if a.amount <= 0 {
        return Err(AppError::BadRequest(
            "Số tiền phân bổ phải lớn hơn 0.".into(),
        ));
    }
    if !units_on(store, crate::fmt::day_in_vietnam(now))?.contains_key(&a.unit_id) {
        return Err(AppError::NotFound(format!("đơn vị có mã số {}", a.unit_id)));
    }
    let programme = a
        .programme
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string);
    if let Some(p) = &programme
        && !programme_names(store)?.contains_key(p)
    {
        return Err(AppError::BadRequest(format!(
            "Không có chương trình mã «{p}» trong danh mục."
        )));
    }
    Ok(store.add_allocation(
        &NewAllocation {
            year: a.year,
            unit_id: a.unit_id,
            source: a.source.code().to_string(),
            programme,
            amount: a.amount,
            note: a.note.clone().filter(|n| !n.trim().is_empty()),
        },
        &stamp(v, now),
    )?)
}

/// Who may record a class's commitment or settlement through the API: the
/// Sở Nội vụ (approving classes) and finance (settling them).
pub fn keeps_class_budget(v: &Viewer) -> Result<(), AppError> {
    match v.role {
        Role::Admin | Role::Finance => Ok(()),
        _ => Err(AppError::Forbidden),
    }
}

// ---------------------------------------------------------------- duties

#[derive(Debug, Clone, Serialize)]
pub struct DutyLine {
    pub id: i64,
    pub code: String,
    pub task: String,
    pub lead: String,
    pub partners: Vec<String>,
    pub products: Option<String>,
    pub when: String,
    pub next_due: Option<Day>,
    /// The state for the next deadline (or of the whole duty when it has none).
    pub state: Coded,
}

#[derive(Debug, Clone, Serialize)]
pub struct DutiesView {
    pub today: Day,
    pub duties: Vec<DutyLine>,
    pub overdue: Vec<Overdue>,
    pub reminders: Vec<Reminder>,
    pub can_update: bool,
    pub can_import: bool,
}

/// Days before a deadline that a reminder shows.
pub const REMIND_DAYS: u32 = 30;

struct Loaded {
    rows: Vec<nangluc_store::DutyRow>,
    duties: Vec<Duty>,
    updates: Vec<StatusUpdate>,
}

fn load_duties(store: &mut Store) -> Result<Loaded, AppError> {
    let rows = store.duties()?;
    let mut duties = Vec::with_capacity(rows.len());
    for r in &rows {
        let due: Vec<DueRule> = serde_json::from_str(&r.duty.due_rules).map_err(|e| {
            AppError::Store(format!(
                "thời hạn của nhiệm vụ {} không đọc được: {e}",
                r.duty.code
            ))
        })?;
        duties.push(Duty {
            id: r.id.to_string(),
            task: r.duty.task.clone(),
            lead: r.duty.lead.clone(),
            partners: r.duty.partners.clone(),
            products: r.duty.products.clone(),
            when: r.duty.when_text.clone(),
            due,
        });
    }
    let updates = store
        .duty_updates(None)?
        .into_iter()
        .map(|u| StatusUpdate {
            duty_id: u.duty_id.to_string(),
            deadline: u.deadline,
            state: DutyState::from_code(&u.state).unwrap_or(DutyState::InProgress),
            on: u.on,
            by: Some(u.stamp.actor),
            note: u.note,
        })
        .collect();
    Ok(Loaded {
        rows,
        duties,
        updates,
    })
}

/// What is overdue (since each duty was entered) and what is coming.
fn alerts(l: &Loaded, today: NaiveDate) -> (Vec<Overdue>, Vec<Reminder>) {
    let mut overdue = Vec::new();
    for (r, d) in l.rows.iter().zip(&l.duties) {
        let since = crate::fmt::day_in_vietnam(r.stamp.at);
        overdue.extend(duty_rules::overdue(
            std::slice::from_ref(d),
            &l.updates,
            since,
            today,
        ));
    }
    overdue.sort_by(|a, b| {
        a.deadline
            .cmp(&b.deadline)
            .then_with(|| a.duty_id.cmp(&b.duty_id))
    });
    (
        overdue,
        duty_rules::reminders(&l.duties, &l.updates, today, REMIND_DAYS),
    )
}

pub fn duties_view(
    store: &mut Store,
    v: &Viewer,
    today: NaiveDate,
) -> Result<DutiesView, AppError> {
    if !reads_duties(v.role) {
        return Err(AppError::Forbidden);
    }
    let l = load_duties(store)?;
    let (overdue, reminders) = alerts(&l, today);
    Ok(DutiesView {
        today: Day(today),
        duties: l
            .rows
            .iter()
            .zip(&l.duties)
            .map(|(r, d)| duty_line(r, d, &l.updates, today))
            .collect(),
        overdue,
        reminders,
        can_update: updates_duties(v.role),
        can_import: v.role == Role::Admin,
    })
}

/// A duty with its next deadline and where it stands for it (or, without
/// one, its latest state).
fn duty_line(
    r: &nangluc_store::DutyRow,
    d: &Duty,
    updates: &[StatusUpdate],
    today: NaiveDate,
) -> DutyLine {
    let next = d.next_due(today);
    let state = match next {
        Some(n) => duty_rules::state_of(&d.id, n, updates, today),
        None => updates
            .iter()
            .filter(|u| u.duty_id == d.id && u.on <= today)
            .max_by_key(|u| u.on)
            .map_or(DutyState::NotStarted, |u| u.state),
    };
    DutyLine {
        id: r.id,
        code: r.duty.code.clone(),
        task: d.task.clone(),
        lead: d.lead.clone(),
        partners: d.partners.clone(),
        products: d.products.clone(),
        when: d.when.clone(),
        next_due: next.map(Day),
        state: Coded::new(state.code(), state.label()),
    }
}

/// Who may record progress on duties at all (the list page's wording): the
/// Sở Nội vụ, finance and the units' HR officers. Each duty then limits it
/// to its lead agency ([`duty_right`]).
pub fn updates_duties(role: Role) -> bool {
    matches!(role, Role::Admin | Role::Finance | Role::UnitHr)
}

/// What a viewer may post on one duty.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DutyRight {
    /// Status updates and files: the Sở Nội vụ, and the lead agency's officers.
    Update,
    /// A comment only: the partners' officers, and every unit named
    /// collectively ("Các sở, ban, ngành"), whose rows the Sở Nội vụ follows.
    Comment,
    /// Nothing, and why (Vietnamese).
    Refused(String),
}

/// Which units the viewer answers for on duties: a unit HR officer their
/// subtree, finance their own unit (the Sở Tài chính leads budget rows).
fn duty_units(store: &mut Store, v: &Viewer, today: NaiveDate) -> Result<Vec<String>, AppError> {
    let ids = match (v.role, v.unit_id) {
        (Role::UnitHr, Some(u)) => store.unit_subtree(u, &AsOf::date(today))?,
        (Role::Finance, Some(u)) => vec![u],
        _ => return Ok(Vec::new()),
    };
    let units = units_on(store, today)?;
    Ok(ids
        .into_iter()
        .filter_map(|id| units.get(&id).map(|u| u.name.clone()))
        .collect())
}

/// What the viewer may post on this duty: the lead agency is matched to the
/// viewer's units by name ("Sở Nội vụ" is the unit "Sở Nội vụ tỉnh …").
pub fn duty_right(
    store: &mut Store,
    v: &Viewer,
    duty: &NewDuty,
    today: NaiveDate,
) -> Result<DutyRight, AppError> {
    if v.role == Role::Admin {
        return Ok(DutyRight::Update);
    }
    let mine = duty_units(store, v, today)?;
    let names = |text: &str| -> bool {
        duty_rules::agency_names(text)
            .iter()
            .any(|a| mine.iter().any(|u| duty_rules::is_agency(a, u)))
    };
    if names(&duty.lead) {
        return Ok(DutyRight::Update);
    }
    let collective = duty_rules::agency_names(&duty.lead)
        .iter()
        .chain(duty.partners.iter())
        .any(|a| duty_rules::is_collective(a));
    if !mine.is_empty() && (duty.partners.iter().any(|p| names(p)) || collective) {
        return Ok(DutyRight::Comment);
    }
    Ok(DutyRight::Refused(format!(
        "Chỉ cơ quan chủ trì nhiệm vụ {} ({}) và Sở Nội vụ được cập nhật tiến độ, đính kèm tệp; cơ quan phối hợp được ghi ý kiến. Đơn vị của tài khoản này không chủ trì, không phối hợp nhiệm vụ này.",
        duty.code, duty.lead
    )))
}

fn duty_row(store: &mut Store, id: i64) -> Result<nangluc_store::DutyRow, AppError> {
    store
        .duty(id)?
        .ok_or_else(|| AppError::NotFound(format!("nhiệm vụ số {id}")))
}

/// A partner's comment (or anyone's who may update): never changes the state.
pub fn add_duty_comment(
    store: &mut Store,
    v: &Viewer,
    id: i64,
    note: &str,
    now: DateTime<Utc>,
) -> Result<i64, AppError> {
    let row = duty_row(store, id)?;
    if let DutyRight::Refused(why) = duty_right(store, v, &row.duty, crate::fmt::day_in_vietnam(now))? {
        return Err(AppError::Refused(why));
    }
    let note = note.trim();
    if note.is_empty() {
        return Err(AppError::BadRequest("Ý kiến: chưa nhập nội dung.".into()));
    }
    store
        .add_duty_comment(id, note, &stamp(v, now))
        .map_err(store_err)
}

#[derive(Debug, Clone, Serialize)]
pub struct DutyUpdateView {
    pub deadline: Option<Day>,
    pub state: Coded,
    pub on: Day,
    pub note: Option<String>,
    pub by: String,
    pub at: Moment,
}

#[derive(Debug, Clone, Serialize)]
pub struct DutyCommentView {
    pub note: String,
    pub by: String,
    pub at: Moment,
}

#[derive(Debug, Clone, Serialize)]
pub struct DutyFileView {
    pub id: i64,
    pub file_name: String,
    pub size: i64,
    pub by: String,
    pub at: Moment,
}

#[derive(Debug, Clone, Serialize)]
pub struct DutyView {
    pub duty: DutyLine,
    /// Partners' comments.
    pub comments: Vec<DutyCommentView>,
    /// May add a comment (partners; those who may update too).
    pub can_comment: bool,
    /// Why the viewer may post nothing, if so.
    pub refused: Option<String>,
    /// Deadlines of this year and the next.
    pub deadlines: Vec<Day>,
    pub updates: Vec<DutyUpdateView>,
    pub files: Vec<DutyFileView>,
    pub can_update: bool,
    pub states: Vec<Coded>,
}

pub fn duty_view(
    store: &mut Store,
    v: &Viewer,
    id: i64,
    today: NaiveDate,
) -> Result<DutyView, AppError> {
    if !reads_duties(v.role) {
        return Err(AppError::Forbidden);
    }
    let l = load_duties(store)?;
    let (r, d) = l
        .rows
        .iter()
        .zip(&l.duties)
        .find(|(r, _)| r.id == id)
        .ok_or_else(|| AppError::NotFound(format!("nhiệm vụ số {id}")))?;
    let duty = duty_line(r, d, &l.updates, today);
    use chrono::Datelike;
    let from = NaiveDate::from_ymd_opt(today.year(), 1, 1).expect("1 January");
    let to = NaiveDate::from_ymd_opt(today.year() + 1, 12, 31).expect("31 December");
    let updates = store
        .duty_updates(Some(id))?
        .into_iter()
        .map(|u| {
            let s = DutyState::from_code(&u.state).unwrap_or(DutyState::InProgress);
            DutyUpdateView {
                deadline: u.deadline.map(Day),
                state: Coded::new(s.code(), s.label()),
                on: Day(u.on),
                note: u.note,
                by: u.stamp.actor,
                at: Moment(u.stamp.at),
            }
        })
        .collect();
    let files = store
        .duty_files(id)?
        .into_iter()
        .map(|f| DutyFileView {
            id: f.id,
            file_name: f.file_name,
            size: f.size,
            by: f.stamp.actor,
            at: Moment(f.stamp.at),
        })
        .collect();
    let right = duty_right(store, v, &r.duty, today)?;
    let comments = store
        .duty_comments(id)?
        .into_iter()
        .map(|c| DutyCommentView {
            note: c.note,
            by: c.stamp.actor,
            at: Moment(c.stamp.at),
        })
        .collect();
    Ok(DutyView {
        duty,
        comments,
        can_comment: matches!(right, DutyRight::Comment),
        refused: match &right {
            DutyRight::Refused(why) => Some(why.clone()),
            _ => None,
        },
        deadlines: d.deadlines_between(from, to).into_iter().map(Day).collect(),
        updates,
        files,
        can_update: right == DutyRight::Update,
        states: DutyState::ALL
            .iter()
            .map(|s| Coded::new(s.code(), s.label()))
            .collect(),
    })
}

/// A status update as the API and the form give it.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
pub struct DutyUpdateInput {
    /// The occurrence it is about (`None`: the whole duty).
    #[serde(default)]
    pub deadline: Option<NaiveDate>,
    pub state: String,
    #[serde(default)]
    pub note: Option<String>,
}

/// An attached file: name, content type, bytes.
pub type Upload = (String, String, Vec<u8>);

/// Files larger than this are refused (office documents and scans).
pub const MAX_FILE_BYTES: usize = 10 * 1024 * 1024;

pub fn add_duty_update(
    store: &mut Store,
    v: &Viewer,
    id: i64,
    input: &DutyUpdateInput,
    file: Option<Upload>,
    now: DateTime<Utc>,
) -> Result<i64, AppError> {
    let row = duty_row(store, id)?;
    match duty_right(store, v, &row.duty, crate::fmt::day_in_vietnam(now))? {
        DutyRight::Update => {}
        DutyRight::Comment => {
            return Err(AppError::Refused(format!(
                "Cơ quan phối hợp chỉ được ghi ý kiến về nhiệm vụ {}; cập nhật tiến độ và đính kèm tệp là việc của cơ quan chủ trì ({}) và Sở Nội vụ.",
                row.duty.code, row.duty.lead
            )));
        }
        DutyRight::Refused(why) => return Err(AppError::Refused(why)),
    }
    let state = DutyState::from_code(input.state.trim())
        .ok_or_else(|| AppError::BadRequest(format!("Không có trạng thái «{}».", input.state)))?;
    if let Some((name, _, bytes)) = &file {
        if bytes.len() > MAX_FILE_BYTES {
            return Err(AppError::BadRequest(format!("Tệp «{name}» lớn hơn 10 MB.")));
        }
        if name.trim().is_empty() {
            return Err(AppError::BadRequest("Tệp đính kèm cần có tên.".into()));
        }
    }
    let note = input
        .note
        .as_deref()
        .map(str::trim)
        .filter(|n| !n.is_empty());
    store
        .add_duty_update(
            id,
            &NewDutyUpdate {
                deadline: input.deadline,
                state: state.code(),
                on: crate::fmt::day_in_vietnam(now),
                note,
                file: file
                    .as_ref()
                    .map(|(n, t, b)| (n.as_str(), t.as_str(), b.as_slice())),
            },
            &stamp(v, now),
        )
        .map_err(store_err)
}

/// A file of a duty, for download.
pub fn duty_file(
    store: &mut Store,
    v: &Viewer,
    duty_id: i64,
    file_id: i64,
) -> Result<Upload, AppError> {
    if !reads_duties(v.role) {
        return Err(AppError::Forbidden);
    }
    match store.duty_file(file_id)? {
        Some((f, bytes)) if f.duty_id == duty_id => Ok((f.file_name, f.content_type, bytes)),
        _ => Err(AppError::NotFound(format!("tệp số {file_id}"))),
    }
}

/// Enters the period plan's responsibility matrix (`[[duties]]` of the plan
/// file) as duties; rows already entered (same number) are left alone.
pub fn import_duties(
    store: &mut Store,
    v: &Viewer,
    plan: &nangluc_engine::Plan,
    now: DateTime<Utc>,
) -> Result<usize, AppError> {
    if v.role != Role::Admin {
        return Err(AppError::Forbidden);
    }
    import_plan_duties(store, &v.username, plan, now)
}

/// A row of the matrix as the API and the form give it; the deadline is
/// read from its Vietnamese wording ("Trước ngày 31/8 hằng năm", "Quý IV
/// hằng năm", "02 lần/năm", "Năm 2023", "Thường xuyên").
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
pub struct DutyInput {
    pub code: String,
    pub task: String,
    pub lead: String,
    #[serde(default)]
    pub partners: Vec<String>,
    #[serde(default)]
    pub products: Option<String>,
    pub when: String,
}

/// The Sở Nội vụ adds a row to the matrix.
pub fn create_duty(
    store: &mut Store,
    v: &Viewer,
    d: &DutyInput,
    now: DateTime<Utc>,
) -> Result<i64, AppError> {
    if v.role != Role::Admin {
        return Err(AppError::Forbidden);
    }
    let trimmed = |s: &str| s.trim().to_string();
    if d.code.trim().is_empty() || d.task.trim().is_empty() || d.lead.trim().is_empty() {
        return Err(AppError::BadRequest(
            "Cần ghi số thứ tự, nội dung nhiệm vụ và cơ quan chủ trì.".into(),
        ));
    }
    let duty = Duty::from_text(
        trimmed(&d.code),
        trimmed(&d.task),
        trimmed(&d.lead),
        d.partners
            .iter()
            .map(|p| trimmed(p))
            .filter(|p| !p.is_empty())
            .collect(),
        d.products.clone().filter(|p| !p.trim().is_empty()),
        &d.when,
    )
    .map_err(|e| AppError::BadRequest(format!("{}.", crate::fmt::capitalise(&e.to_string()))))?;
    let row = NewDuty {
        code: duty.id,
        task: duty.task,
        lead: duty.lead,
        partners: duty.partners,
        products: duty.products,
        when_text: duty.when,
        due_rules: serde_json::to_string(&duty.due)
            .map_err(|e| AppError::Internal(e.to_string()))?,
    };
    Ok(store
        .create_duties(&[row], &stamp(v, now))
        .map_err(store_err)?[0])
}

/// The same, for the demo loader and the CLI (no account).
pub fn import_plan_duties(
    store: &mut Store,
    actor: &str,
    plan: &nangluc_engine::Plan,
    now: DateTime<Utc>,
) -> Result<usize, AppError> {
    let present: Vec<String> = store.duties()?.into_iter().map(|d| d.duty.code).collect();
    let new: Vec<NewDuty> = plan
        .duties
        .iter()
        .filter(|d| !present.contains(&d.id))
        .map(|d| {
            let duty = Duty::from_plan(d);
            Ok(NewDuty {
                code: duty.id.clone(),
                task: duty.task,
                lead: duty.lead,
                partners: duty.partners,
                products: duty.products,
                when_text: duty.when,
                due_rules: serde_json::to_string(&duty.due)
                    .map_err(|e| AppError::Internal(e.to_string()))?,
            })
        })
        .collect::<Result<_, AppError>>()?;
    if new.is_empty() {
        return Ok(0);
    }
    store
        .create_duties(&new, &Stamp::new(actor, now))
        .map_err(store_err)?;
    Ok(new.len())
}

/// What a unit's HR officer sees first: next year's plan of their unit and
/// its deadline (`None` for other roles).
pub fn unit_home(
    store: &mut Store,
    v: &Viewer,
    today: NaiveDate,
) -> Result<Option<String>, AppError> {
    use chrono::Datelike;
    let (Role::UnitHr, Some(unit)) = (v.role, v.unit_id) else {
        return Ok(None);
    };
    let year = today.year() + 1;
    let deadline = rules::submission_deadline(year);
    let days = (deadline - today).num_days();
    let when = if days >= 0 {
        format!("hạn gửi Sở Nội vụ {} (còn {days} ngày)", Day(deadline))
    } else {
        format!("hạn gửi Sở Nội vụ {} đã qua {} ngày", Day(deadline), -days)
    };
    Ok(Some(match store.annual_plan_for(unit, year)? {
        None => format!("Kế hoạch đào tạo, bồi dưỡng năm {year} của đơn vị: chưa lập — {when}."),
        Some(p) => {
            let late = if p.late { " (gửi trễ hạn)" } else { "" };
            format!(
                "Kế hoạch đào tạo, bồi dưỡng năm {year} của đơn vị: {}{late} — {when}.",
                coded_status(&p.status).label
            )
        }
    }))
}

/// The home page's alerts for the Sở Nội vụ: overdue duties and deadlines
/// within [`REMIND_DAYS`].
pub fn home_alerts(
    store: &mut Store,
    v: &Viewer,
    today: NaiveDate,
) -> Result<(Vec<Overdue>, Vec<Reminder>), AppError> {
    if v.role != Role::Admin {
        return Ok((Vec::new(), Vec::new()));
    }
    let l = load_duties(store)?;
    Ok(alerts(&l, today))
}

// ---------------------------------------------------------------- class hooks

/// The units a class's cost is committed to when it is approved: its
/// learners' units if it has learners already; else the units whose
/// accepted annual plans for the class's year ask for its programme, by the
/// person-times they ask for (the class answers those plans); else the
/// approving agency's own unit.
fn commitment_units(store: &mut Store, v: &Viewer, c: &ClassBudget) -> Result<Vec<(i64, u32)>, AppError> {
    if c.learners_by_unit.iter().any(|(_, n)| *n > 0) {
        return Ok(c.learners_by_unit.clone());
    }
    let mut by_unit: BTreeMap<i64, u32> = BTreeMap::new();
    for plan in store.annual_plans(Some(c.year))? {
        let counted = matches!(
            PlanStatus::from_code(&plan.status),
            Some(PlanStatus::Accepted | PlanStatus::Aggregated | PlanStatus::Approved)
        );
        if !counted {
            continue;
        }
        for line in store.plan_lines(plan.id)? {
            if line.programme == c.programme && line.person_times > 0 {
                *by_unit.entry(plan.unit_id).or_default() += u32::try_from(line.person_times).unwrap_or(u32::MAX);
            }
        }
    }
    if by_unit.is_empty()
        && let Some(u) = v.unit_id
    {
        by_unit.insert(u, 1);
    }
    Ok(by_unit.into_iter().collect())
}

/// The class approval hook's side of the ledger: commits the class's planned
/// cost (see [`commitment_units`] for whom to). A class without a planned
/// cost, or already committed, commits nothing.
/// `split`: the cost by source as the approver gave it (empty: as
/// [`class_budget`] reads it).
pub fn commit_approved_class(
    store: &mut Store,
    v: &Viewer,
    class_id: i64,
    split: &[SourceAmount],
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    let mut c = class_budget(store, class_id, crate::fmt::day_in_vietnam(now))?;
    if !split.is_empty() {
        check_split(c.total, split)?;
        c.sources = split.to_vec();
    }
    if c.total <= 0 || !store.class_commitments(class_id)?.is_empty() {
        return Ok(());
    }
    c.learners_by_unit = commitment_units(store, v, &c)?;
    if c.learners_by_unit.is_empty() {
        return Ok(());
    }
    commit_class_budget(store, &v.username, class_id, &c, now).map(|_| ())
}

/// The class finish hook's side of the ledger: settles what the learners'
/// records say was spent, if the class was committed (classes approved
/// before the ledger have nothing to settle).
pub fn settle_finished_class(store: &mut Store, v: &Viewer, class_id: i64, now: DateTime<Utc>) -> Result<(), AppError> {
    if store.class_commitments(class_id)?.is_empty() {
        return Ok(());
    }
    let payments = class_payments(store, class_id)?;
    settle_class_budget(store, &v.username, class_id, crate::fmt::day_in_vietnam(now), &payments, now).map(|_| ())
}
