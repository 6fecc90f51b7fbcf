//! Classes and nominations, the writing side: proposing a class, moving it
//! along its life, nominating people, sign-ups and their approval, results,
//! finishing. Every function checks the viewer's role and scope here, then
//! writes one all-or-nothing change set through [`service::apply`] (which
//! names the account in the audit trail and drops the dashboard's snapshot).
//! The rules themselves are in `nangluc_planning::nomination`.

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use chrono::NaiveDate;
use nangluc_core::training::{
    Class, ClassStatus, Enrolment, EnrolmentStatus, FundingSource, Programme, StudyForm,
};
use nangluc_core::{ChangeSet, Entity, Fact, Table, Validity, Versioned};
use nangluc_engine::expr::Expr;
use nangluc_engine::{Snapshot, SnapshotBuilder};
use nangluc_planning::nomination::{
    self as rules, Actor, Booking, Candidate, ClassAction, ClassDates, ClassError, Flag,
    GroupCheck, NeedKey,
};
use nangluc_store::{PeopleQuery, Store, Value};
use serde::{Deserialize, Serialize};

use crate::auth::{Perm, Role, Viewer};
use crate::error::AppError;
use crate::fmt::{Coded, Day, number, today};
use crate::service::{self, ClassLine, Names, can_see_person, class_line};
use crate::targets::ActivePlan;

// ---------------------------------------------------------------- hooks

/// Called once a class's approval is stored: the budget ledger commits its
/// planned cost. It runs after the approval's change set: a ledger refusal is
/// reported, and finance can commit by hand from the budget page.
pub fn on_class_approved(
    store: &mut Store,
    v: &Viewer,
    class_id: i64,
    split: &[crate::annual::SourceAmount],
) -> Result<(), AppError> {
    crate::annual::commit_approved_class(store, v, class_id, split, chrono::Utc::now())
}

/// Called once a class's finishing (its completions and the qualifications
/// they grant) is stored: the ledger settles what its learners' records say
/// was spent.
pub fn on_class_finished(store: &mut Store, v: &Viewer, class_id: i64) -> Result<(), AppError> {
    crate::annual::settle_finished_class(store, v, class_id, chrono::Utc::now())
}

// ---------------------------------------------------------------- one writer

/// Writes of classes read the roster, decide (seats, waiting list, a unique
/// code) and write: two at once could both give the last seat. They take
/// turns within the server. Several servers over one PostgreSQL database
/// would need a lock in the database instead.
static CLASS_WRITES: std::sync::Mutex<()> = std::sync::Mutex::new(());

fn one_writer() -> std::sync::MutexGuard<'static, ()> {
    CLASS_WRITES.lock().unwrap_or_else(|e| e.into_inner())
}

// ---------------------------------------------------------------- reading helpers

/// The version of an entity currently believed (the latest in valid time).
struct Current<T> {
    id: i64,
    row_id: i64,
    valid: Validity,
    data: T,
}

fn latest(rows: Vec<Versioned<Fact>>) -> Vec<Versioned<Fact>> {
    let mut out: Vec<Versioned<Fact>> = Vec::new();
    for r in rows
        .into_iter()
        .filter(|r| r.recording.superseded_at.is_none())
    {
        match out.iter_mut().find(|o| o.id == r.id) {
            Some(o) if (o.valid.from, o.row_id) <= (r.valid.from, r.row_id) => *o = r,
            Some(_) => {}
            None => out.push(r),
        }
    }
    out
}

fn current_class(store: &mut Store, id: i64) -> Result<Current<Class>, AppError> {
    match latest(store.history(Table::Classes, id)?).pop() {
        Some(Versioned {
            row_id,
            valid,
            data: Fact::Class(c),
            ..
        }) => Ok(Current {
            id,
            row_id,
            valid,
            data: c,
        }),
        _ => Err(AppError::NotFound(format!("lớp có mã số {id}"))),
    }
}

fn current_programme(store: &mut Store, id: i64) -> Result<Programme, AppError> {
    match latest(store.history(Table::Programmes, id)?).pop() {
        Some(Versioned {
            data: Fact::Programme(p),
            ..
        }) => Ok(p),
        _ => Err(AppError::NotFound(format!("chương trình có mã số {id}"))),
    }
}

fn current_enrolment(store: &mut Store, id: i64) -> Result<Current<Enrolment>, AppError> {
    match latest(store.history(Table::Enrolments, id)?).pop() {
        Some(Versioned {
            row_id,
            valid,
            data: Fact::Enrolment(e),
            ..
        }) => Ok(Current {
            id,
            row_id,
            valid,
            data: e,
        }),
        _ => Err(AppError::NotFound(format!("lượt cử có mã số {id}"))),
    }
}

fn enrolments_of_class(
    store: &mut Store,
    class_id: i64,
) -> Result<Vec<Current<Enrolment>>, AppError> {
    Ok(latest(store.class_enrolments(class_id, None)?)
        .into_iter()
        .filter_map(|r| match r.data {
            Fact::Enrolment(e) => Some(Current {
                id: r.id,
                row_id: r.row_id,
                valid: r.valid,
                data: e,
            }),
            _ => None,
        })
        .collect())
}

/// The person's unit today (their current employment), if any.
fn unit_of(store: &mut Store, person_id: i64) -> Result<Option<i64>, AppError> {
    let on = today();
    Ok(store
        .current_where(Table::Employments, "person_id", Value::Int(person_id))?
        .into_iter()
        .filter(|r| r.valid.contains(on))
        .find_map(|r| match r.data {
            Fact::Employment(e) => Some(e.unit_id),
            _ => None,
        }))
}

/// The person's enrolments in classes, with the classes' codes.
fn bookings(store: &mut Store, person_id: i64) -> Result<Vec<Booking>, AppError> {
    let rows =
        latest(store.current_where(Table::Enrolments, "person_id", Value::Int(person_id))?);
    let mut names = Names::new(store);
    let mut out = Vec::new();
    for r in rows {
        if let Fact::Enrolment(e) = r.data {
            let class_code = match e.class_id {
                Some(c) => names
                    .class_code(c, e.starts_on)?
                    .unwrap_or_else(|| format!("số {c}")),
                None => "ngoài lớp".to_string(),
            };
            out.push(Booking {
                enrolment_id: r.id,
                class_id: e.class_id,
                class_code,
                programme_id: e.programme_id,
                status: e.status,
                starts_on: e.starts_on,
                ends_on: e.ends_on,
            });
        }
    }
    Ok(out)
}

/// The engine's image of the store: the dashboard's (cached), or one built
/// now when the server follows no plan.
fn snapshot(store: &mut Store, plan: Option<&ActivePlan>) -> Result<Arc<Snapshot>, AppError> {
    if let Some(p) = plan {
        return Ok(p.snapshot(store)?.0);
    }
    let mut b = SnapshotBuilder::new(None);
    store.visit_knowledge(None, &mut b)?;
    Ok(Arc::new(b.finish(today())))
}

fn target_group(class: &Class) -> Result<Option<Expr>, AppError> {
    rules::check_target_group(class.target_group.as_deref().unwrap_or(""))
        .map_err(AppError::Internal)
}

/// Each person's need for the programme, from the active plan's results today.
fn needs(
    store: &mut Store,
    plan: Option<&ActivePlan>,
    programme: &Programme,
) -> Result<HashMap<i64, NeedKey>, AppError> {
    let Some(p) = plan else {
        return Ok(HashMap::new());
    };
    let result = p.evaluate(store, today(), None, true, true)?;
    Ok(rules::needs_for(&p.plan(), &result, programme))
}

/// What checking people against one class needs, read once.
struct Checker {
    snap: Arc<Snapshot>,
    group: Option<Expr>,
    dates: ClassDates,
    programme: Programme,
}

impl Checker {
    fn new(
        store: &mut Store,
        plan: Option<&ActivePlan>,
        class_id: i64,
        class: &Class,
    ) -> Result<Checker, AppError> {
        Ok(Checker {
            snap: snapshot(store, plan)?,
            group: target_group(class)?,
            dates: ClassDates {
                class_id,
                programme_id: class.programme_id,
                starts_on: class.starts_on,
                ends_on: class.ends_on,
            },
            programme: current_programme(store, class.programme_id)?,
        })
    }

    /// The warnings for a person, as of today (the person as the nominator
    /// sees them now).
    fn flags(&self, store: &mut Store, person_id: i64) -> Result<Vec<Flag>, AppError> {
        let check = GroupCheck::new(&self.snap, self.group.as_ref(), today());
        let b = bookings(store, person_id)?;
        Ok(rules::eligibility(
            self.dates,
            &self.programme,
            check.person(person_id),
            &check,
            person_id,
            &b,
        ))
    }
}

pub fn actor(v: &Viewer, institution_id: i64) -> Actor {
    match v.role {
        Role::Admin => Actor::HomeAffairs,
        Role::Institution => Actor::Institution {
            own: v.institution_id == Some(institution_id),
        },
        Role::UnitHr => Actor::UnitHr,
        Role::Finance => Actor::Finance,
        Role::Leader => Actor::Leader,
        Role::Employee => Actor::Employee,
    }
}

fn class_error(e: ClassError) -> AppError {
    match e {
        ClassError::NotYours { .. } => AppError::Forbidden,
        ClassError::NotAllowedNow { .. } => AppError::Conflict(e.to_string()),
    }
}

fn note(s: &Option<String>) -> Option<String> {
    s.as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
}

fn person_name(store: &mut Store, person_id: i64) -> Result<String, AppError> {
    Ok(Names::new(store)
        .person(person_id, today())?
        .map_or_else(|| format!("Người số {person_id}"), |p| p.full_name()))
}

/// Whether the viewer manages this person's nominations: the administrator
/// anybody, a unit's HR officer the people of their subtree.
fn manages(store: &mut Store, v: &Viewer, person_id: i64) -> Result<bool, AppError> {
    Ok(match v.role {
        Role::Admin => true,
        Role::UnitHr => can_see_person(store, v, person_id)?,
        _ => false,
    })
}

/// Records a new version of an enrolment in place of the current one.
fn restate(change: &mut ChangeSet, cur: &Current<Enrolment>, e: Enrolment) {
    change.supersede(Table::Enrolments, cur.row_id);
    change.record(Entity::Existing(cur.id), cur.valid, Fact::Enrolment(e));
}

fn restate_class(change: &mut ChangeSet, cur: &Current<Class>, c: Class) {
    change.supersede(Table::Classes, cur.row_id);
    change.record(Entity::Existing(cur.id), cur.valid, Fact::Class(c));
}

/// An enrolment being written: an existing one (with its current row) or a
/// new one (with its reserved id).
struct Seat {
    current: Option<Current<Enrolment>>,
    id: i64,
    enrolment: Enrolment,
}

/// The seats the Sở Nội vụ assigned to units.
fn assigned(class: &Class) -> BTreeMap<i64, usize> {
    class
        .unit_quotas
        .iter()
        .map(|q| (q.unit_id, usize::try_from(q.seats).unwrap_or(0)))
        .collect()
}

/// Gives the class's seats again and writes the enrolments whose status
/// changes (or that are new) into the change.
fn seat(change: &mut ChangeSet, class: &Class, seats: Vec<Seat>, needs: &HashMap<i64, NeedKey>) {
    let competing: Vec<Candidate> = seats
        .iter()
        .filter(|s| {
            matches!(
                s.enrolment.status,
                EnrolmentStatus::Nominated | EnrolmentStatus::Waitlisted
            )
        })
        .map(|s| Candidate {
            enrolment_id: s.id,
            unit_id: s.enrolment.nominated_by.unwrap_or(0),
            need: needs
                .get(&s.enrolment.person_id)
                .copied()
                .unwrap_or(NeedKey::NONE),
        })
        .collect();
    let a = rules::allocate(
        usize::try_from(class.max_size).unwrap_or(0),
        &competing,
        &assigned(class),
    );
    for mut s in seats {
        if a.seated.contains(&s.id) {
            s.enrolment.status = EnrolmentStatus::Nominated;
        } else if a.waiting.contains(&s.id) {
            s.enrolment.status = EnrolmentStatus::Waitlisted;
        }
        match &s.current {
            Some(cur) if cur.data == s.enrolment => {}
            Some(cur) => restate(change, cur, s.enrolment),
            None => {
                let valid = Validity::since(today().min(class.starts_on));
                change.record(Entity::Given(s.id), valid, Fact::Enrolment(s.enrolment));
            }
        }
    }
}

fn existing_seats(enrolments: Vec<Current<Enrolment>>) -> Vec<Seat> {
    enrolments
        .into_iter()
        .map(|c| Seat {
            id: c.id,
            enrolment: c.data.clone(),
            current: Some(c),
        })
        .collect()
}

// ---------------------------------------------------------------- propose

/// A class as proposed.
#[derive(Debug, Clone, Deserialize, Serialize)]
pub struct ProposeClass {
    pub code: String,
    pub programme_id: i64,
    /// The institution running it; an institution's account proposes for itself.
    pub institution_id: Option<i64>,
    pub starts_on: NaiveDate,
    pub ends_on: NaiveDate,
    pub place: String,
    /// A study form code: full_time, part_time, work_study, distance, online.
    pub form: String,
    pub min_size: i64,
    pub max_size: i64,
    /// In đồng.
    pub planned_cost: i64,
    /// Who the class is for, in the plan expression language; empty: anyone.
    #[serde(default)]
    pub target_group: Option<String>,
}

/// Proposes a class (the Sở Nội vụ for any institution, an institution for
/// itself). Gives the class's id.
pub fn propose(
    store: &mut Store,
    v: &Viewer,
    plan: Option<&ActivePlan>,
    p: &ProposeClass,
) -> Result<i64, AppError> {
    let _one = one_writer();
    let class = checked_proposal(store, v, p)?;
    let mut change = ChangeSet::new("", format!("Đề xuất lớp {}", class.code));
    change.record(
        Entity::New,
        Validity::since(today().min(class.starts_on)),
        Fact::Class(class),
    );
    let applied = service::apply(store, v, plan, change)?;
    Ok(applied.records[0].0)
}

/// Proposes several classes in one change set, all or none (the funded
/// classes of a year of a proposed plan, adopted together). Every class is
/// checked as [`propose`] checks one; the errors of all are reported.
pub fn propose_all(
    store: &mut Store,
    v: &Viewer,
    plan: Option<&ActivePlan>,
    classes: &[ProposeClass],
    reason: &str,
) -> Result<Vec<i64>, AppError> {
    let _one = one_writer();
    let mut errors = Vec::new();
    let mut checked = Vec::new();
    for p in classes {
        match checked_proposal(store, v, p) {
            Ok(c) if checked.iter().any(|x: &Class| x.code == c.code) => {
                errors.push(format!("Mã lớp '{}' trùng trong đề xuất.", c.code))
            }
            Ok(c) => checked.push(c),
            Err(AppError::BadRequest(m)) => errors.push(format!("Lớp {}: {m}", p.code.trim())),
            Err(e) => return Err(e),
        }
    }
    if !errors.is_empty() {
        return Err(AppError::BadRequest(errors.join(" ")));
    }
    if checked.is_empty() {
        return Ok(Vec::new());
    }
    let mut change = ChangeSet::new("", reason.to_string());
    for class in checked {
        change.record(
            Entity::New,
            Validity::since(today().min(class.starts_on)),
            Fact::Class(class),
        );
    }
    let applied = service::apply(store, v, plan, change)?;
    Ok(applied.records.iter().map(|r| r.0).collect())
}

/// A proposed class checked (role, programme, institution, dates, sizes,
/// cost, form, target group, a code not taken): every error in one message.
fn checked_proposal(store: &mut Store, v: &Viewer, p: &ProposeClass) -> Result<Class, AppError> {
    let institution_id = match v.role {
        Role::Institution => v.institution_id.ok_or(AppError::Forbidden)?,
        Role::Admin => p
            .institution_id
            .ok_or_else(|| AppError::BadRequest("Chưa chọn cơ sở đào tạo tổ chức lớp.".into()))?,
        _ => return Err(AppError::Forbidden),
    };
    if p.institution_id.is_some_and(|i| i != institution_id) {
        return Err(AppError::Forbidden);
    }
    if !rules::may_propose(actor(v, institution_id)) {
        return Err(AppError::Forbidden);
    }
    let mut errors = Vec::new();
    let code = p.code.trim().to_string();
    if code.is_empty() {
        errors.push("Mã lớp không được để trống.".to_string());
    }
    let programme = current_programme(store, p.programme_id);
    if programme.is_err() {
        errors.push(format!("Không có chương trình mã số {}.", p.programme_id));
    }
    if !matches!(
        latest(store.history(Table::Institutions, institution_id)?).pop(),
        Some(Versioned {
            data: Fact::Institution(_),
            ..
        })
    ) {
        errors.push(format!("Không có cơ sở đào tạo mã số {institution_id}."));
    }
    if p.ends_on < p.starts_on {
        errors.push("Ngày kết thúc phải sau ngày khai giảng.".into());
    }
    if p.min_size < 1 {
        errors.push("Số học viên tối thiểu phải từ 1 trở lên.".into());
    }
    if p.max_size < p.min_size {
        errors.push("Số học viên tối đa phải không nhỏ hơn số tối thiểu.".into());
    }
    if p.planned_cost < 0 {
        errors.push("Kinh phí dự kiến không được âm.".into());
    }
    let form = StudyForm::from_code(p.form.trim());
    if form.is_none() {
        errors.push(format!("Không có hình thức học '{}'.", p.form));
    }
    let group = note(&p.target_group);
    if let Err(e) = rules::check_target_group(group.as_deref().unwrap_or("")) {
        errors.push(format!("{e}."));
    }
    if !code.is_empty()
        && store
            .current_where(Table::Classes, "code", Value::Text(code.clone()))?
            .iter()
            .any(|r| r.recording.superseded_at.is_none())
    {
        errors.push(format!("Đã có lớp mã '{code}'."));
    }
    let (Some(form), Ok(_), true) = (form, programme, errors.is_empty()) else {
        return Err(AppError::BadRequest(errors.join(" ")));
    };
    Ok(Class {
        code,
        programme_id: p.programme_id,
        institution_id,
        starts_on: p.starts_on,
        ends_on: p.ends_on,
        place: p.place.trim().to_string(),
        form,
        min_size: p.min_size,
        max_size: p.max_size,
        status: ClassStatus::Proposed,
        planned_cost: p.planned_cost,
        target_group: group,
        unit_quotas: Vec::new(),
    })
}

// ---------------------------------------------------------------- life

#[derive(Debug, Clone, Default, Deserialize)]
pub struct ActionRequest {
    /// Why (required to cancel); goes into the audit trail.
    #[serde(default)]
    pub reason: Option<String>,
    /// On approval: the class's cost by funding source, committed as given
    /// (empty: as the year's annual plans, else the learners, fund it).
    #[serde(default)]
    pub sources: Vec<crate::annual::SourceAmount>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ActionOutcome {
    pub class_id: i64,
    pub status: Coded,
    pub change_id: i64,
}

/// Moves a class along its life: approve, open, start, finish, cancel.
pub fn class_action(
    store: &mut Store,
    v: &Viewer,
    plan: Option<&ActivePlan>,
    class_id: i64,
    action: ClassAction,
    req: &ActionRequest,
) -> Result<ActionOutcome, AppError> {
    let _one = one_writer();
    let cur = current_class(store, class_id)?;
    let to = rules::act(actor(v, cur.data.institution_id), cur.data.status, action)
        .map_err(class_error)?;
    let code = cur.data.code.clone();
    let reason = note(&req.reason);
    // "Phê duyệt lớp X", "Hủy lớp X: lý do" in the audit trail.
    let what = match action {
        ClassAction::Finish | ClassAction::Cancel => format!("{} {code}", action.label()),
        _ => format!("{} lớp {code}", action.label()),
    };
    let mut change = ChangeSet::new(
        "",
        match &reason {
            Some(r) => format!("{what}: {r}"),
            None => what,
        },
    );
    let enrolments = enrolments_of_class(store, class_id)?;
    match action {
        ClassAction::Start => {
            let seated = enrolments
                .iter()
                .filter(|e| e.data.status == EnrolmentStatus::Nominated)
                .count() as i64;
            if seated < cur.data.min_size {
                return Err(AppError::Conflict(format!(
                    "Lớp {code} mới có {seated} học viên được cử, chưa đủ số tối thiểu {}.",
                    cur.data.min_size
                )));
            }
            for e in &enrolments {
                let status = match e.data.status {
                    EnrolmentStatus::Nominated => EnrolmentStatus::Enrolled,
                    // A sign-up nobody decided on lapses when the class starts.
                    EnrolmentStatus::Requested => EnrolmentStatus::Declined,
                    _ => continue,
                };
                restate(
                    &mut change,
                    e,
                    Enrolment {
                        status,
                        ..e.data.clone()
                    },
                );
            }
        }
        ClassAction::Finish => {
            if today() < cur.data.ends_on {
                return Err(AppError::Conflict(format!(
                    "Lớp {code} kết thúc ngày {}; chưa thể kết thúc lớp trước ngày đó.",
                    Day(cur.data.ends_on)
                )));
            }
            let mut problems = Vec::new();
            for e in enrolments
                .iter()
                .filter(|e| e.data.status == EnrolmentStatus::Enrolled)
            {
                match rules::outcome(
                    e.data.attendance_pct,
                    e.data.result.as_deref(),
                    e.data.certificate.as_deref(),
                ) {
                    Ok(status) => restate(
                        &mut change,
                        e,
                        Enrolment {
                            status,
                            ..e.data.clone()
                        },
                    ),
                    Err(why) => {
                        problems.push(format!("{}: {why}", person_name(store, e.data.person_id)?))
                    }
                }
            }
            if !problems.is_empty() {
                return Err(AppError::BadRequest(format!(
                    "Chưa thể kết thúc lớp {code} — {}.",
                    problems.join("; ")
                )));
            }
        }
        ClassAction::Cancel => {
            if reason.is_none() {
                return Err(AppError::BadRequest("Hủy lớp cần ghi lý do.".into()));
            }
            for e in &enrolments {
                if matches!(
                    e.data.status,
                    EnrolmentStatus::Requested
                        | EnrolmentStatus::Nominated
                        | EnrolmentStatus::Waitlisted
                        | EnrolmentStatus::Enrolled
                ) {
                    let status = EnrolmentStatus::Withdrawn;
                    restate(
                        &mut change,
                        e,
                        Enrolment {
                            status,
                            ..e.data.clone()
                        },
                    );
                }
            }
        }
        // A split by source that does not add up is refused before the approval is written.
        ClassAction::Approve => crate::annual::check_split(cur.data.planned_cost, &req.sources)?,
        ClassAction::Open => {}
    }
    let class = Class {
        status: to,
        ..cur.data.clone()
    };
    restate_class(&mut change, &cur, class);
    let applied = service::apply(store, v, plan, change)?;
    match action {
        ClassAction::Approve => on_class_approved(store, v, class_id, &req.sources)?,
        ClassAction::Finish => on_class_finished(store, v, class_id)?,
        _ => {}
    }
    Ok(ActionOutcome {
        class_id,
        status: Coded::new(to.code(), to.label()),
        change_id: applied.change_id,
    })
}

// ---------------------------------------------------------------- nominations

#[derive(Debug, Clone, Default, Deserialize)]
pub struct Nomination {
    pub person_ids: Vec<i64>,
    /// Why the people are sent despite the warnings shown; required when
    /// there is one.
    #[serde(default)]
    pub note: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct FlagLine {
    pub code: &'static str,
    pub message: String,
}

fn flag_lines(flags: &[Flag]) -> Vec<FlagLine> {
    flags
        .iter()
        .map(|f| FlagLine {
            code: f.code(),
            message: f.message(),
        })
        .collect()
}

#[derive(Debug, Clone, Serialize)]
pub struct Nominated {
    pub enrolment_id: i64,
    pub person_id: i64,
    pub full_name: String,
    pub status: Coded,
    pub flags: Vec<FlagLine>,
}

fn open_class(cur: &Current<Class>) -> Result<(), AppError> {
    if cur.data.status != ClassStatus::Open {
        return Err(AppError::Conflict(format!(
            "Lớp {} đang ở trạng thái \"{}\", không nhận cử hoặc đăng ký học.",
            cur.data.code,
            cur.data.status.label()
        )));
    }
    Ok(())
}

/// Whether a status holds (or asks for) a place in the class.
fn active(s: EnrolmentStatus) -> bool {
    matches!(
        s,
        EnrolmentStatus::Requested
            | EnrolmentStatus::Nominated
            | EnrolmentStatus::Waitlisted
            | EnrolmentStatus::Enrolled
    )
}

/// Refuses a nomination with warnings and no reason, saying what they are.
fn require_reason(name: &str, flags: &[Flag], reason: &Option<String>) -> Result<(), AppError> {
    if flags.is_empty() || reason.is_some() {
        return Ok(());
    }
    let msgs: Vec<String> = flags.iter().map(Flag::message).collect();
    Err(AppError::BadRequest(format!(
        "{name}: {}. Nếu vẫn cử, hãy ghi lý do.",
        msgs.join("; ")
    )))
}

/// Nominates people for an open class: a unit's HR officer the people of
/// their subtree, the administrator anybody. Warnings need a reason. Seats
/// are given again (quotas, waiting list) in the same change.
pub fn nominate(
    store: &mut Store,
    v: &Viewer,
    plan: Option<&ActivePlan>,
    class_id: i64,
    n: &Nomination,
) -> Result<Vec<Nominated>, AppError> {
    let _one = one_writer();
    if !matches!(v.role, Role::Admin | Role::UnitHr) {
        return Err(AppError::Forbidden);
    }
    let cur = current_class(store, class_id)?;
    if n.person_ids.is_empty() {
        return Err(AppError::BadRequest("Chưa chọn người để cử.".into()));
    }
    for &p in &n.person_ids {
        if !manages(store, v, p)? {
            return Err(AppError::Forbidden);
        }
    }
    open_class(&cur)?;
    let reason = note(&n.note);
    let existing = enrolments_of_class(store, class_id)?;
    let checker = Checker::new(store, plan, class_id, &cur.data)?;
    let mut new = Vec::new();
    let mut seen = Vec::new();
    for &person_id in &n.person_ids {
        let name = person_name(store, person_id)?;
        if seen.contains(&person_id)
            || existing
                .iter()
                .any(|e| e.data.person_id == person_id && active(e.data.status))
        {
            return Err(AppError::Conflict(format!(
                "{name} đã có trong danh sách lớp {}.",
                cur.data.code
            )));
        }
        seen.push(person_id);
        let flags = checker.flags(store, person_id)?;
        require_reason(&name, &flags, &reason)?;
        let unit = match v.role {
            Role::UnitHr => v.unit_id,
            _ => unit_of(store, person_id)?,
        };
        let id = store.reserve_id(Table::Enrolments)?;
        new.push((id, person_id, name, flags, unit));
    }
    let c = &cur.data;
    let mut seats = existing_seats(existing);
    for (id, person_id, _, _, unit) in &new {
        seats.push(Seat {
            current: None,
            id: *id,
            enrolment: new_enrolment(
                c,
                class_id,
                *person_id,
                *unit,
                EnrolmentStatus::Nominated,
                reason.clone(),
            ),
        });
    }
    let names: Vec<&str> = new.iter().map(|x| x.2.as_str()).collect();
    let mut change = ChangeSet::new(
        "",
        match &reason {
            Some(r) => format!("Cử {} học lớp {} (lý do: {r})", names.join(", "), c.code),
            None => format!("Cử {} học lớp {}", names.join(", "), c.code),
        },
    );
    let needs = needs(store, plan, &checker.programme)?;
    seat(&mut change, c, seats, &needs);
    service::apply(store, v, plan, change)?;
    let mut out = Vec::new();
    for (id, person_id, full_name, flags, _) in new {
        let status = current_enrolment(store, id)?.data.status;
        out.push(Nominated {
            enrolment_id: id,
            person_id,
            full_name,
            status: Coded::new(status.code(), status.label()),
            flags: flag_lines(&flags),
        });
    }
    Ok(out)
}

fn new_enrolment(
    c: &Class,
    class_id: i64,
    person_id: i64,
    unit: Option<i64>,
    status: EnrolmentStatus,
    note: Option<String>,
) -> Enrolment {
    Enrolment {
        person_id,
        programme_id: c.programme_id,
        class_id: Some(class_id),
        nominated_by: unit,
        status,
        starts_on: c.starts_on,
        ends_on: c.ends_on,
        attendance_pct: None,
        result: None,
        certificate: None,
        // The planned cost shared over the full class.
        cost: if c.max_size > 0 {
            c.planned_cost / c.max_size
        } else {
            0
        },
        funding: FundingSource::StateBudget,
        note,
    }
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct SignUp {
    #[serde(default)]
    pub note: Option<String>,
}

/// An employee asks to join an open class; their unit decides.
pub fn sign_up(
    store: &mut Store,
    v: &Viewer,
    plan: Option<&ActivePlan>,
    class_id: i64,
    s: &SignUp,
) -> Result<i64, AppError> {
    let _one = one_writer();
    if v.role != Role::Employee {
        return Err(AppError::Forbidden);
    }
    let person_id = v.person_id.ok_or(AppError::Forbidden)?;
    let cur = current_class(store, class_id)?;
    open_class(&cur)?;
    if enrolments_of_class(store, class_id)?
        .iter()
        .any(|e| e.data.person_id == person_id && active(e.data.status))
    {
        return Err(AppError::Conflict(format!(
            "Bạn đã đăng ký hoặc được cử học lớp {}.",
            cur.data.code
        )));
    }
    let unit = unit_of(store, person_id)?.ok_or_else(|| {
        AppError::Conflict(
            "Hồ sơ của bạn không có đơn vị công tác hiện tại để duyệt đăng ký.".into(),
        )
    })?;
    let name = person_name(store, person_id)?;
    let e = new_enrolment(
        &cur.data,
        class_id,
        person_id,
        Some(unit),
        EnrolmentStatus::Requested,
        note(&s.note),
    );
    let mut change = ChangeSet::new("", format!("{name} đăng ký học lớp {}", cur.data.code));
    change.record(
        Entity::New,
        Validity::since(today().min(cur.data.starts_on)),
        Fact::Enrolment(e),
    );
    Ok(service::apply(store, v, plan, change)?.records[0].0)
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct Decision {
    /// The unit's reason: why a person with warnings is approved, or why a
    /// sign-up is declined.
    #[serde(default)]
    pub note: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decide {
    Approve,
    Decline,
    Withdraw,
}

/// The unit decides on a sign-up (approve, decline), or takes a person off
/// a class before it starts (withdraw); seats are given again.
pub fn decide(
    store: &mut Store,
    v: &Viewer,
    plan: Option<&ActivePlan>,
    enrolment_id: i64,
    what: Decide,
    d: &Decision,
) -> Result<Coded, AppError> {
    let _one = one_writer();
    let e = current_enrolment(store, enrolment_id)?;
    // An employee may take back their own sign-up while the unit has not decided.
    let own_request = v.role == Role::Employee
        && v.person_id == Some(e.data.person_id)
        && what == Decide::Withdraw
        && e.data.status == EnrolmentStatus::Requested;
    if !own_request && !manages(store, v, e.data.person_id)? {
        return Err(AppError::Forbidden);
    }
    let class_id = e
        .data
        .class_id
        .ok_or_else(|| AppError::Conflict("Lượt đào tạo này không thuộc lớp nào.".into()))?;
    let cur = current_class(store, class_id)?;
    open_class(&cur)?;
    let name = person_name(store, e.data.person_id)?;
    let reason = note(&d.note);
    let wrong = |what: &str| {
        AppError::Conflict(format!(
            "Không thể {what}: {name} đang ở tình trạng \"{}\".",
            e.data.status.label()
        ))
    };
    let c = &cur.data;
    let (status, label) = match what {
        Decide::Approve => {
            if e.data.status != EnrolmentStatus::Requested {
                return Err(wrong("duyệt đăng ký"));
            }
            let checker = Checker::new(store, plan, class_id, c)?;
            let flags = checker.flags(store, e.data.person_id)?;
            require_reason(&name, &flags, &reason)?;
            (EnrolmentStatus::Nominated, "Duyệt đăng ký")
        }
        Decide::Decline => {
            if e.data.status != EnrolmentStatus::Requested {
                return Err(wrong("từ chối đăng ký"));
            }
            if reason.is_none() {
                return Err(AppError::BadRequest(
                    "Từ chối đăng ký cần ghi lý do.".into(),
                ));
            }
            (EnrolmentStatus::Declined, "Không duyệt đăng ký")
        }
        Decide::Withdraw => {
            if !matches!(
                e.data.status,
                EnrolmentStatus::Requested
                    | EnrolmentStatus::Nominated
                    | EnrolmentStatus::Waitlisted
            ) {
                return Err(wrong("rút khỏi lớp"));
            }
            (EnrolmentStatus::Withdrawn, "Rút khỏi lớp")
        }
    };
    let mut change = ChangeSet::new(
        "",
        match &reason {
            Some(r) => format!("{label}: {name}, lớp {} (lý do: {r})", c.code),
            None => format!("{label}: {name}, lớp {}", c.code),
        },
    );
    let programme = current_programme(store, c.programme_id)?;
    let needs = needs(store, plan, &programme)?;
    let mut seats = existing_seats(enrolments_of_class(store, class_id)?);
    for s in seats.iter_mut().filter(|s| s.id == enrolment_id) {
        s.enrolment.status = status;
        if what == Decide::Approve && v.role == Role::UnitHr {
            // The approving unit is the one sending the person.
            s.enrolment.nominated_by = v.unit_id;
        }
        if reason.is_some() {
            s.enrolment.note = reason.clone();
        }
    }
    seat(&mut change, c, seats, &needs);
    service::apply(store, v, plan, change)?;
    let now = current_enrolment(store, enrolment_id)?.data.status;
    Ok(Coded::new(now.code(), now.label()))
}

// ---------------------------------------------------------------- results

#[derive(Debug, Clone, Default, Deserialize, Serialize)]
pub struct LearnerResult {
    pub attendance_pct: Option<i64>,
    pub result: Option<String>,
    pub certificate: Option<String>,
}

/// Records a learner's attendance, result and certificate number while the
/// class is in progress (the Sở Nội vụ or the class's institution).
pub fn record_result(
    store: &mut Store,
    v: &Viewer,
    plan: Option<&ActivePlan>,
    enrolment_id: i64,
    r: &LearnerResult,
) -> Result<(), AppError> {
    let _one = one_writer();
    let e = current_enrolment(store, enrolment_id)?;
    let class_id = e
        .data
        .class_id
        .ok_or_else(|| AppError::Conflict("Lượt đào tạo này không thuộc lớp nào.".into()))?;
    let cur = current_class(store, class_id)?;
    if !rules::may_record_results(actor(v, cur.data.institution_id)) {
        return Err(AppError::Forbidden);
    }
    if cur.data.status != ClassStatus::InProgress {
        return Err(AppError::Conflict(format!(
            "Chỉ ghi kết quả khi lớp đang học; lớp {} đang ở trạng thái \"{}\".",
            cur.data.code,
            cur.data.status.label()
        )));
    }
    let name = person_name(store, e.data.person_id)?;
    if e.data.status != EnrolmentStatus::Enrolled {
        return Err(AppError::Conflict(format!(
            "{name} không học lớp này (tình trạng \"{}\").",
            e.data.status.label()
        )));
    }
    if let Some(a) = r.attendance_pct
        && !(0..=100).contains(&a)
    {
        return Err(AppError::BadRequest(format!(
            "Tỷ lệ chuyên cần {a} % phải từ 0 đến 100."
        )));
    }
    let result = note(&r.result);
    if let Some(x) = &result
        && !rules::RESULTS.contains(&x.as_str())
    {
        return Err(AppError::BadRequest(format!(
            "Kết quả \"{x}\" không thuộc: {}.",
            rules::RESULTS.join(", ")
        )));
    }
    let updated = Enrolment {
        attendance_pct: r.attendance_pct,
        result,
        certificate: note(&r.certificate),
        ..e.data.clone()
    };
    if updated == e.data {
        return Ok(());
    }
    let mut change = ChangeSet::new(
        "",
        format!("Ghi kết quả học tập: {name}, lớp {}", cur.data.code),
    );
    restate(&mut change, &e, updated);
    service::apply(store, v, plan, change)?;
    Ok(())
}

// ---------------------------------------------------------------- quotas

/// Seats assigned to a unit, by the unit's code.
#[derive(Debug, Clone, Deserialize, Serialize)]
pub struct QuotaEntry {
    pub unit: String,
    pub seats: i64,
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct Quotas {
    /// Empty: no assigned quotas (seats shared in proportion to demand).
    pub quotas: Vec<QuotaEntry>,
}

/// The Sở Nội vụ assigns a class's seats to units (phân bổ chỉ tiêu) before
/// it starts; the seats are given again at once.
pub fn set_quotas(
    store: &mut Store,
    v: &Viewer,
    plan: Option<&ActivePlan>,
    class_id: i64,
    q: &Quotas,
) -> Result<i64, AppError> {
    let _one = one_writer();
    if v.role != Role::Admin {
        return Err(AppError::Forbidden);
    }
    let cur = current_class(store, class_id)?;
    let c = &cur.data;
    if !matches!(c.status, ClassStatus::Approved | ClassStatus::Open) {
        return Err(AppError::Conflict(format!(
            "Chỉ phân bổ chỉ tiêu khi lớp đã phê duyệt hoặc đang chiêu sinh; lớp {} đang ở trạng thái \"{}\".",
            c.code,
            c.status.label()
        )));
    }
    let on = nangluc_core::AsOf::date(today());
    let mut errors = Vec::new();
    let mut quotas: Vec<nangluc_core::training::UnitQuota> = Vec::new();
    let mut labels = Vec::new();
    for e in &q.quotas {
        let code = e.unit.trim();
        let unit_id = store
            .current_where(Table::Units, "code", Value::Text(code.to_string()))?
            .into_iter()
            .find(|r| r.valid.contains(on.date))
            .map(|r| r.id);
        match unit_id {
            None => errors.push(format!("Không có đơn vị mã '{code}'.")),
            Some(id) if quotas.iter().any(|q| q.unit_id == id) => {
                errors.push(format!("Đơn vị '{code}' được ghi hai lần."))
            }
            Some(_) if e.seats < 1 => {
                errors.push(format!("Số chỗ của đơn vị '{code}' phải từ 1 trở lên."))
            }
            Some(id) => {
                quotas.push(nangluc_core::training::UnitQuota {
                    unit_id: id,
                    seats: e.seats,
                });
                labels.push(format!("{code} {}", e.seats));
            }
        }
    }
    let total: i64 = quotas.iter().map(|q| q.seats).sum();
    if total > c.max_size {
        errors.push(format!(
            "Tổng chỉ tiêu {total} vượt số học viên tối đa {} của lớp.",
            c.max_size
        ));
    }
    if !errors.is_empty() {
        return Err(AppError::BadRequest(errors.join(" ")));
    }
    let class = Class {
        unit_quotas: quotas,
        ..c.clone()
    };
    let mut change = ChangeSet::new(
        "",
        if labels.is_empty() {
            format!("Bỏ phân bổ chỉ tiêu theo đơn vị của lớp {}", c.code)
        } else {
            format!("Phân bổ chỉ tiêu lớp {}: {}", c.code, labels.join(", "))
        },
    );
    restate_class(&mut change, &cur, class.clone());
    if class.status == ClassStatus::Open {
        let programme = current_programme(store, class.programme_id)?;
        let needs = needs(store, plan, &programme)?;
        let seats = existing_seats(enrolments_of_class(store, class_id)?);
        seat(&mut change, &class, seats, &needs);
    }
    Ok(service::apply(store, v, plan, change)?.change_id)
}

// ---------------------------------------------------------------- the class page

#[derive(Debug, Clone, Serialize)]
pub struct Learner {
    pub enrolment_id: i64,
    pub person_id: i64,
    pub full_name: String,
    pub unit: Option<String>,
    pub status: Coded,
    /// Place on the waiting list (1 first).
    pub waiting: Option<usize>,
    pub need: Option<Coded>,
    pub flags: Vec<FlagLine>,
    pub note: Option<String>,
    pub attendance_pct: Option<i64>,
    pub result: Option<String>,
    pub certificate: Option<String>,
    /// What the viewer may do with this learner.
    pub can_decide: bool,
    pub can_withdraw: bool,
    pub can_record: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct QuotaLine {
    pub unit_id: i64,
    pub unit: String,
    pub demand: usize,
    pub seats: usize,
}

#[derive(Debug, Clone, Serialize)]
pub struct ClassDetail {
    pub class: ClassLine,
    pub target_group: Option<String>,
    /// The actions the viewer may take now.
    pub actions: Vec<Coded>,
    pub can_nominate: bool,
    pub can_sign_up: bool,
    pub learners: Vec<Learner>,
    /// Learners the viewer may not see by name.
    pub hidden: usize,
    pub seated: usize,
    pub waiting: usize,
    pub requested: usize,
    /// Seats per nominating unit: those assigned, or when demand exceeds
    /// seats those computed in proportion to demand.
    pub quotas: Vec<QuotaLine>,
    pub quotas_assigned: bool,
    /// The Sở Nội vụ may assign seats to units (before the class starts).
    pub can_set_quotas: bool,
    /// The assigned quotas as the form shows them ("SNV: 10" per line).
    pub quota_text: String,
    pub results: Vec<&'static str>,
    pub seated_text: String,
}

/// A class with its roster as the viewer may see and act on it.
pub fn class_detail(
    store: &mut Store,
    v: &Viewer,
    plan: Option<&ActivePlan>,
    class_id: i64,
) -> Result<ClassDetail, AppError> {
    let cur = current_class(store, class_id)?;
    let c = cur.data.clone();
    let employee_view = v.role == Role::Employee && c.status == ClassStatus::Open;
    if !employee_view {
        v.require(Perm::Classes)?;
        if !service::class_visible(v, &c) {
            return Err(AppError::Forbidden);
        }
    }
    let who = actor(v, c.institution_id);
    let actions = ClassAction::ALL
        .iter()
        .filter(|a| rules::act(who, c.status, **a).is_ok())
        .map(|a| Coded::new(a.code(), a.label()))
        .collect();
    let enrolments = enrolments_of_class(store, class_id)?;
    let open = c.status == ClassStatus::Open;
    let programme = current_programme(store, c.programme_id)?;
    let needs = if open && matches!(v.role, Role::Admin | Role::UnitHr) {
        needs(store, plan, &programme)?
    } else {
        HashMap::new()
    };
    let competing: Vec<Candidate> = enrolments
        .iter()
        .filter(|e| {
            matches!(
                e.data.status,
                EnrolmentStatus::Nominated | EnrolmentStatus::Waitlisted
            )
        })
        .map(|e| Candidate {
            enrolment_id: e.id,
            unit_id: e.data.nominated_by.unwrap_or(0),
            need: needs
                .get(&e.data.person_id)
                .copied()
                .unwrap_or(NeedKey::NONE),
        })
        .collect();
    let allocation = rules::allocate(
        usize::try_from(c.max_size).unwrap_or(0),
        &competing,
        &assigned(&c),
    );
    let checker = if open && matches!(v.role, Role::Admin | Role::UnitHr) {
        Some(Checker::new(store, plan, class_id, &c)?)
    } else {
        None
    };
    let can_record = rules::may_record_results(who) && c.status == ClassStatus::InProgress;
    let mut learners = Vec::new();
    let mut hidden = 0;
    for e in &enrolments {
        let d = &e.data;
        let visible = match v.role {
            Role::Admin | Role::Finance | Role::Institution => true,
            Role::UnitHr => can_see_person(store, v, d.person_id)?,
            Role::Employee => v.person_id == Some(d.person_id),
            Role::Leader => false,
        };
        if !visible {
            hidden += 1;
            continue;
        }
        let mine = matches!(v.role, Role::Admin | Role::UnitHr);
        let flags = match (&checker, d.status) {
            (
                Some(ch),
                EnrolmentStatus::Requested
                | EnrolmentStatus::Nominated
                | EnrolmentStatus::Waitlisted,
            ) => flag_lines(&ch.flags(store, d.person_id)?),
            _ => Vec::new(),
        };
        let mut names = Names::new(store);
        let unit = match d.nominated_by {
            Some(u) => Some(names.unit(u, today())?),
            None => None,
        };
        let need = needs.get(&d.person_id).map(|k| {
            let r = k.label();
            let text = match k.deadline {
                Some(dl) => format!("{} (hạn {})", r.label(), Day(dl)),
                None => r.label().to_string(),
            };
            Coded::new(r.code(), text)
        });
        learners.push(Learner {
            enrolment_id: e.id,
            person_id: d.person_id,
            full_name: names
                .person(d.person_id, today())?
                .map_or_else(|| format!("Người số {}", d.person_id), |p| p.full_name()),
            unit,
            status: Coded::new(d.status.code(), d.status.label()),
            waiting: allocation
                .waiting
                .iter()
                .position(|x| *x == e.id)
                .filter(|_| d.status == EnrolmentStatus::Waitlisted)
                .map(|i| i + 1),
            need,
            flags,
            note: d.note.clone(),
            attendance_pct: d.attendance_pct,
            result: d.result.clone(),
            certificate: d.certificate.clone(),
            can_decide: mine && open && d.status == EnrolmentStatus::Requested,
            can_withdraw: open
                && ((mine
                    && matches!(
                        d.status,
                        EnrolmentStatus::Requested
                            | EnrolmentStatus::Nominated
                            | EnrolmentStatus::Waitlisted
                    ))
                    || (v.role == Role::Employee && d.status == EnrolmentStatus::Requested)),
            can_record: can_record && d.status == EnrolmentStatus::Enrolled,
        });
    }
    // Seated first, then the waiting list in its order, then the rest by name.
    learners.sort_by(|a, b| {
        let rank = |l: &Learner| match l.status.code.as_str() {
            "enrolled" | "completed" | "failed" | "nominated" => 0,
            "waitlisted" => 1,
            "requested" => 2,
            _ => 3,
        };
        (rank(a), a.waiting)
            .cmp(&(rank(b), b.waiting))
            .then_with(|| nangluc_core::text::compare(&a.full_name, &b.full_name))
    });
    let count = |s: EnrolmentStatus| enrolments.iter().filter(|e| e.data.status == s).count();
    let seated = count(EnrolmentStatus::Nominated)
        + count(EnrolmentStatus::Enrolled)
        + count(EnrolmentStatus::Completed)
        + count(EnrolmentStatus::Failed);
    let mut quotas = Vec::new();
    let mut quota_text = Vec::new();
    let mut names = Names::new(store);
    for q in &c.unit_quotas {
        if let Some(Fact::Unit(u)) = names.on(Table::Units, q.unit_id, today())? {
            quota_text.push(format!("{}: {}", u.code, q.seats));
        }
    }
    let shown = if c.unit_quotas.is_empty() {
        allocation.quotas.clone()
    } else {
        assigned(&c)
    };
    for (unit_id, seats) in &shown {
        quotas.push(QuotaLine {
            unit_id: *unit_id,
            unit: names.unit(*unit_id, today())?,
            demand: competing.iter().filter(|x| x.unit_id == *unit_id).count(),
            seats: *seats,
        });
    }
    let can_sign_up = v.role == Role::Employee
        && open
        && v.person_id.is_some_and(|p| {
            !enrolments
                .iter()
                .any(|e| e.data.person_id == p && active(e.data.status))
        });
    let quotas_assigned = !c.unit_quotas.is_empty();
    let can_set_quotas =
        v.role == Role::Admin && matches!(c.status, ClassStatus::Approved | ClassStatus::Open);
    Ok(ClassDetail {
        target_group: c.target_group.clone(),
        can_nominate: open && matches!(v.role, Role::Admin | Role::UnitHr),
        can_sign_up,
        class: class_line(&mut Names::new(store), class_id, c)?,
        actions,
        learners,
        hidden,
        seated,
        waiting: count(EnrolmentStatus::Waitlisted),
        requested: count(EnrolmentStatus::Requested),
        quotas,
        quotas_assigned,
        can_set_quotas,
        quota_text: quota_text.join("\n"),
        results: rules::RESULTS.to_vec(),
        seated_text: number(seated as i64),
    })
}

#[derive(Debug, Clone, Serialize)]
pub struct CandidateLine {
    pub person_id: i64,
    pub full_name: String,
    pub unit: String,
    pub flags: Vec<FlagLine>,
    /// Already in the class: their status.
    pub in_class: Option<Coded>,
}

#[derive(Debug, Clone, Serialize)]
pub struct CandidatesView {
    pub class: ClassLine,
    pub target_group: Option<String>,
    pub q: String,
    pub candidates: Vec<CandidateLine>,
    pub more: bool,
}

/// People the viewer may nominate for an open class, each with the warnings
/// a nomination would carry.
pub fn candidates(
    store: &mut Store,
    v: &Viewer,
    plan: Option<&ActivePlan>,
    class_id: i64,
    q: &str,
) -> Result<CandidatesView, AppError> {
    let mut query = PeopleQuery {
        limit: 30,
        ..PeopleQuery::new(q.trim(), nangluc_core::AsOf::date(today()))
    };
    match v.role {
        Role::Admin => {}
        Role::UnitHr => query.scope_unit = Some(v.unit_id.ok_or(AppError::Forbidden)?),
        _ => return Err(AppError::Forbidden),
    }
    let cur = current_class(store, class_id)?;
    open_class(&cur)?;
    let page = store.search_people(&query)?;
    let checker = Checker::new(store, plan, class_id, &cur.data)?;
    let enrolments = enrolments_of_class(store, class_id)?;
    let mut out = Vec::new();
    for hit in page.hits {
        let in_class = enrolments
            .iter()
            .find(|e| e.data.person_id == hit.id && active(e.data.status))
            .map(|e| Coded::new(e.data.status.code(), e.data.status.label()));
        let flags = if in_class.is_some() {
            Vec::new()
        } else {
            flag_lines(&checker.flags(store, hit.id)?)
        };
        out.push(CandidateLine {
            person_id: hit.id,
            full_name: hit.person.full_name(),
            unit: hit
                .employments
                .iter()
                .map(|(_, n)| n.clone())
                .collect::<Vec<_>>()
                .join(", "),
            flags,
            in_class,
        });
    }
    Ok(CandidatesView {
        target_group: cur.data.target_group.clone(),
        class: class_line(&mut Names::new(store), class_id, cur.data)?,
        q: q.trim().to_string(),
        candidates: out,
        more: page.more,
    })
}

/// The classes open for nominations, for an employee to sign up to, with
/// their own enrolments in them.
#[derive(Debug, Clone, Serialize)]
pub struct OpenClass {
    pub class: ClassLine,
    pub target_group: Option<String>,
    /// The employee's own place in it, if any.
    pub mine: Option<Coded>,
}

pub fn open_classes(store: &mut Store, v: &Viewer) -> Result<Vec<OpenClass>, AppError> {
    if !(v.role == Role::Employee || v.role.allows(Perm::Classes)) {
        return Err(AppError::Forbidden);
    }
    let rows: Vec<(i64, Class)> = store
        .latest(Table::Classes)?
        .into_iter()
        .filter_map(|r| match r.data {
            Fact::Class(c) if c.status == ClassStatus::Open => Some((r.id, c)),
            _ => None,
        })
        .filter(|(_, c)| v.role == Role::Employee || service::class_visible(v, c))
        .collect();
    let mut out = Vec::new();
    for (id, c) in rows {
        let mine = match v.person_id {
            Some(p) if v.role == Role::Employee => enrolments_of_class(store, id)?
                .into_iter()
                .find(|e| e.data.person_id == p)
                .map(|e| Coded::new(e.data.status.code(), e.data.status.label())),
            _ => None,
        };
        out.push(OpenClass {
            target_group: c.target_group.clone(),
            class: class_line(&mut Names::new(store), id, c)?,
            mine,
        });
    }
    out.sort_by_key(|a| a.class.starts_on.0);
    Ok(out)
}

/// What the proposal form offers: programmes, institutions (the
/// administrator chooses; an institution proposes for itself), forms.
#[derive(Debug, Clone, Serialize)]
pub struct ProposalChoices {
    pub programmes: Vec<(i64, String)>,
    pub institutions: Vec<(i64, String)>,
    pub forms: Vec<Coded>,
}

pub fn proposal_choices(store: &mut Store, v: &Viewer) -> Result<ProposalChoices, AppError> {
    if !matches!(v.role, Role::Admin | Role::Institution) {
        return Err(AppError::Forbidden);
    }
    let mut programmes: Vec<(i64, String)> = store
        .latest(Table::Programmes)?
        .into_iter()
        .filter_map(|r| match r.data {
            Fact::Programme(p) => Some((r.id, format!("{} — {}", p.code, p.name))),
            _ => None,
        })
        .collect();
    programmes.sort_by(|a, b| nangluc_core::text::compare(&a.1, &b.1));
    let institutions = store
        .latest(Table::Institutions)?
        .into_iter()
        .filter_map(|r| match r.data {
            Fact::Institution(i) => Some((r.id, i.name)),
            _ => None,
        })
        .filter(|(id, _)| v.role == Role::Admin || v.institution_id == Some(*id))
        .collect();
    Ok(ProposalChoices {
        programmes,
        institutions,
        forms: StudyForm::ALL
            .iter()
            .map(|f| Coded::new(f.code(), f.label()))
            .collect(),
    })
}
