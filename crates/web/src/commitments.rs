//! Service commitments (cam kết phục vụ) after state-funded postgraduate
//! training, and the compensation owed by those who leave early.
//!
//! Who does what: a unit's HR officer records the commitments of the people
//! of their subtree and, when one leaves early, the departure, which computes
//! the compensation under the rule frozen with the commitment; the Sở Nội vụ
//! (admin) does the same for everyone; finance reads every compensation and
//! marks it paid; the person reads their own. The rule itself (which decree,
//! T1, the amount) is `nangluc_planning::commitment`'s.

use std::collections::HashMap;

use chrono::{DateTime, NaiveDate, Utc};
use nangluc_core::employment::Category;
use nangluc_core::person::Sex;
use nangluc_core::training::{EnrolmentStatus, FundingSource};
use nangluc_core::{AsOf, Fact, Table};
use nangluc_planning::commitment::{
    self as rules, CompensationRule, DepartureReason, RuleBook, RuleParams, ServiceCommitment,
};
use nangluc_store::{
    NewCompensation, NewServiceCommitment, ServiceCommitmentRow, Stamp, Store, StoreError,
};
use serde::{Deserialize, Serialize};

use crate::auth::{Perm, Role, Viewer};
use crate::error::AppError;
use crate::fmt::{Coded, Day, Moment, money, parse_day};
use crate::service::can_see_person;


fn store_err(e: StoreError) -> AppError {
    match e {
        StoreError::Conflict(m) => AppError::Conflict(crate::fmt::capitalise(&m) + "."),
        StoreError::EntityNotFound { id, .. } => AppError::NotFound(format!("cam kết số {id}")),
        e => AppError::Store(e.to_string()),
    }
}


// ---------------------------------------------------------------- who may

/// Whether the viewer keeps this person's commitments: the Sở Nội vụ, or an
/// HR officer whose subtree the person works in today.
fn keeps_person(store: &mut Store, v: &Viewer, person_id: i64) -> Result<bool, AppError> {
    Ok(match v.role {
        Role::Admin => true,
        Role::UnitHr => can_see_person(store, v, person_id)?,
        _ => false,
    })
}

/// Whether the viewer reads this person's commitments: those who keep them,
/// finance, and the person.
fn reads_person(store: &mut Store, v: &Viewer, person_id: i64) -> Result<bool, AppError> {
    Ok(match v.role {
        Role::Admin | Role::Finance => true,
        Role::UnitHr => can_see_person(store, v, person_id)?,
        Role::Employee => v.person_id == Some(person_id),
        _ => false,
    })
}

fn refuse_keeping() -> AppError {
    AppError::Refused(
        "Chỉ cán bộ tổ chức của đơn vị đang quản lý người này (hoặc Sở Nội vụ) được ghi cam kết phục vụ và đền bù chi phí đào tạo."
            .into(),
    )
}

/// Finance (and the Sở Nội vụ) record payments.
fn records_payments(v: &Viewer) -> bool {
    matches!(v.role, Role::Admin | Role::Finance)
}

// ---------------------------------------------------------------- views

#[derive(Debug, Clone, Serialize)]
pub struct CompensationView {
    pub left_on: Day,
    pub reason: Coded,
    pub months_served: i64,
    pub gross: String,
    pub reduction: Option<String>,
    pub amount: String,
    pub amount_dong: i64,
    pub working: Vec<String>,
    pub note: Option<String>,
    pub by: String,
    pub at: Moment,
    pub paid_on: Option<Day>,
    pub paid_document: Option<String>,
    pub paid_by: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct CommitmentView {
    pub id: i64,
    pub person_id: i64,
    pub person_name: String,
    pub unit_name: String,
    pub category: String,
    pub class_id: Option<i64>,
    pub course: String,
    pub institution: String,
    pub degree: String,
    pub decision: Option<String>,
    pub posted_on: Day,
    pub course_starts_on: Day,
    pub course_ends_on: Day,
    pub training_months: i64,
    pub cost: String,
    pub degree_obtained: Option<bool>,
    pub rule: Coded,
    pub multiplier: u32,
    pub months_committed: i64,
    pub serve_until: Day,
    pub prior_service_years: i64,
    /// "1 %/năm" or "1,5 %/năm (nữ)", or none under the rule.
    pub reduction_rate: Option<String>,
    /// Figures of the rule not checked against the text.
    pub unverified: Vec<String>,
    /// dang_phuc_vu, hoan_thanh, phai_den_bu, da_nop.
    pub status: Coded,
    pub compensation: Option<CompensationView>,
    pub by: String,
    pub at: Moment,
}

impl CommitmentView {
    pub fn owes(&self) -> bool {
        self.status.code == "phai_den_bu"
    }
}

fn bp(n: u32) -> String {
    if n.is_multiple_of(100) {
        format!("{} %", n / 100)
    } else {
        format!(
            "{},{} %",
            n / 100,
            format!("{:02}", n % 100).trim_end_matches('0')
        )
    }
}

fn params_of(row: &ServiceCommitmentRow) -> Result<RuleParams, AppError> {
    serde_json::from_str(&row.commitment.params).map_err(|e| {
        AppError::Store(format!(
            "tham số của cam kết số {} không đọc được: {e}",
            row.id
        ))
    })
}

/// The planning crate's commitment, rebuilt from the row with its frozen parameters.
fn rule_commitment(row: &ServiceCommitmentRow) -> Result<ServiceCommitment, AppError> {
    let c = &row.commitment;
    Ok(ServiceCommitment {
        person_id: c.person_id,
        category: Category::from_code(&c.category).unwrap_or(Category::CivilServant),
        rule: CompensationRule::from_code(&c.rule).unwrap_or(CompensationRule::Decree101),
        params: params_of(row)?,
        posted_on: c.posted_on,
        training_months: u32::try_from(c.training_months).unwrap_or(0),
        course_ends_on: c.course_ends_on,
        months_committed: u32::try_from(c.months_committed).unwrap_or(0),
        serve_until: c.serve_until,
        cost: c.cost,
        prior_service_years: u32::try_from(c.prior_service_years).unwrap_or(0),
        female: c.female,
        ethnic_minority: c.ethnic_minority,
    })
}

struct Names {
    people: HashMap<i64, String>,
    units: HashMap<i64, String>,
}

impl Names {
    fn new(store: &mut Store) -> Result<Names, AppError> {
        let units = store
            .latest(Table::Units)?
            .into_iter()
            .filter_map(|r| match r.data {
                Fact::Unit(u) => Some((r.id, u.name)),
                _ => None,
            })
            .collect();
        Ok(Names {
            people: HashMap::new(),
            units,
        })
    }

    fn person(&mut self, store: &mut Store, id: i64) -> Result<String, AppError> {
        if let Some(n) = self.people.get(&id) {
            return Ok(n.clone());
        }
        let name = store
            .history(Table::People, id)?
            .into_iter()
            .rev()
            .find(|r| r.recording.superseded_at.is_none())
            .and_then(|r| match r.data {
                Fact::Person(p) => Some(p.full_name()),
                _ => None,
            })
            .unwrap_or_else(|| format!("Người có mã {id}"));
        self.people.insert(id, name.clone());
        Ok(name)
    }
}

fn degree_label(code: &str) -> String {
    nangluc_core::qualification::Level::parse(
        nangluc_core::qualification::QualificationKind::Education,
        code,
    )
    .map_or_else(|| code.to_string(), |l| l.name().to_string())
}

fn view(
    store: &mut Store,
    names: &mut Names,
    row: &ServiceCommitmentRow,
    today: NaiveDate,
) -> Result<CommitmentView, AppError> {
    let c = &row.commitment;
    let params = params_of(row)?;
    let rule = CompensationRule::from_code(&c.rule).unwrap_or(CompensationRule::Decree101);
    let compensation = row.compensation.as_ref().map(|k| {
        let reason = DepartureReason::from_code(&k.compensation.reason);
        CompensationView {
            left_on: Day(k.compensation.left_on),
            reason: Coded::new(
                k.compensation.reason.clone(),
                reason.map_or(k.compensation.reason.as_str(), |r| r.label()),
            ),
            months_served: k.compensation.months_served,
            gross: money(k.compensation.gross),
            reduction: (k.compensation.reduction_bp > 0)
                .then(|| bp(u32::try_from(k.compensation.reduction_bp).unwrap_or(0))),
            amount: money(k.compensation.amount),
            amount_dong: k.compensation.amount,
            working: k.compensation.working.clone(),
            note: k.compensation.note.clone(),
            by: k.stamp.actor.clone(),
            at: Moment(k.stamp.at),
            paid_on: k.paid.as_ref().map(|p| Day(p.on)),
            paid_document: k.paid.as_ref().and_then(|p| p.document.clone()),
            paid_by: k.paid.as_ref().map(|p| p.stamp.actor.clone()),
        }
    });
    let status = match &compensation {
        Some(k) if k.paid_on.is_some() => Coded::new("da_nop", "Đã nộp tiền đền bù"),
        Some(k) if k.amount_dong > 0 => Coded::new("phai_den_bu", "Phải đền bù, chưa nộp"),
        Some(_) => Coded::new("khong_phai_den_bu", "Đã nghỉ, không phải đền bù"),
        None if today > c.serve_until => {
            Coded::new("hoan_thanh", "Đã phục vụ đủ thời gian cam kết")
        }
        None if today <= c.course_ends_on => Coded::new("dang_hoc", "Đang đi học"),
        None => Coded::new("dang_phuc_vu", "Đang thực hiện cam kết"),
    };
    let reduction_rate = params.reductions_apply.then(|| {
        if c.female || c.ethnic_minority {
            let why = match (c.female, c.ethnic_minority) {
                (true, true) => "nữ, người dân tộc thiểu số",
                (true, false) => "nữ",
                _ => "người dân tộc thiểu số",
            };
            format!(
                "{}/năm công tác ({why})",
                bp(params.reduction_bp_per_year_priority)
            )
        } else {
            format!("{}/năm công tác", bp(params.reduction_bp_per_year))
        }
    });
    Ok(CommitmentView {
        id: row.id,
        person_id: c.person_id,
        person_name: names.person(store, c.person_id)?,
        unit_name: c
            .unit_id
            .map(|u| {
                names
                    .units
                    .get(&u)
                    .cloned()
                    .unwrap_or_else(|| format!("Đơn vị số {u}"))
            })
            .unwrap_or_else(|| "—".into()),
        category: Category::from_code(&c.category)
            .map_or(c.category.clone(), |x| x.label().to_string()),
        class_id: c.class_id,
        course: c.course.clone(),
        institution: c.institution.clone(),
        degree: degree_label(&c.degree_level),
        decision: c.decision.clone(),
        posted_on: Day(c.posted_on),
        course_starts_on: Day(c.course_starts_on),
        course_ends_on: Day(c.course_ends_on),
        training_months: c.training_months,
        cost: money(c.cost),
        degree_obtained: c.degree_obtained,
        rule: Coded::new(rule.code(), rule.label()),
        multiplier: params.commitment_multiplier,
        months_committed: c.months_committed,
        serve_until: Day(c.serve_until),
        prior_service_years: c.prior_service_years,
        reduction_rate,
        unverified: params.unverified.clone(),
        status,
        compensation,
        by: row.stamp.actor.clone(),
        at: Moment(row.stamp.at),
    })
}

/// A person's commitments, for the section of the person's page.
#[derive(Debug, Clone, Serialize)]
pub struct PersonCommitments {
    pub person_id: i64,
    pub items: Vec<CommitmentView>,
    pub can_record: bool,
    pub can_pay: bool,
    pub reasons: Vec<Coded>,
    pub degrees: Vec<Coded>,
    pub today: Day,
}

fn reasons() -> Vec<Coded> {
    DepartureReason::ALL
        .iter()
        .filter(|r| **r != DepartureReason::LeftEarly)
        .map(|r| Coded::new(r.code(), r.label()))
        .collect()
}

fn degrees() -> Vec<Coded> {
    ["thac_si", "tien_si", "chuyen_khoa_1", "chuyen_khoa_2"]
        .iter()
        .map(|c| Coded::new(*c, degree_label(c)))
        .collect()
}

/// The section of a person's page: `None` when the viewer may not read it.
pub fn person_commitments(
    store: &mut Store,
    v: &Viewer,
    person_id: i64,
    today: NaiveDate,
) -> Result<Option<PersonCommitments>, AppError> {
    if !reads_person(store, v, person_id)? {
        return Ok(None);
    }
    let mut names = Names::new(store)?;
    let items = store
        .service_commitments(Some(person_id))?
        .iter()
        .map(|r| view(store, &mut names, r, today))
        .collect::<Result<_, _>>()?;
    Ok(Some(PersonCommitments {
        person_id,
        items,
        can_record: keeps_person(store, v, person_id)?,
        can_pay: records_payments(v),
        reasons: reasons(),
        degrees: degrees(),
        today: Day(today),
    }))
}

/// The list of commitments and compensations for HR (their subtree's),
/// finance and the Sở Nội vụ (everyone's).
#[derive(Debug, Clone, Serialize)]
pub struct CommitmentsList {
    pub items: Vec<CommitmentView>,
    /// Compensations owed and not paid: count and total.
    pub owed_count: usize,
    pub owed_total: String,
    pub paid_total: String,
    pub only_owed: bool,
    pub can_pay: bool,
    pub today: Day,
}

pub fn list(
    store: &mut Store,
    v: &Viewer,
    only_owed: bool,
    today: NaiveDate,
) -> Result<CommitmentsList, AppError> {
    v.require(Perm::Commitments)?;
    let scope = match v.role {
        Role::UnitHr => {
            let root = v.unit_id.ok_or(AppError::Forbidden)?;
            Some(store.unit_subtree(root, &AsOf::date(today))?)
        }
        _ => None,
    };
    let mut names = Names::new(store)?;
    let mut items = Vec::new();
    for r in store.service_commitments(None)? {
        let visible = match &scope {
            None => true,
            Some(units) => {
                r.commitment.unit_id.is_some_and(|u| units.contains(&u))
                    || can_see_person(store, v, r.commitment.person_id)?
            }
        };
        if visible {
            items.push(view(store, &mut names, &r, today)?);
        }
    }
    let owed: Vec<&CommitmentView> = items.iter().filter(|c| c.owes()).collect();
    let owed_count = owed.len();
    let owed_total = money(
        owed.iter()
            .filter_map(|c| c.compensation.as_ref())
            .map(|k| k.amount_dong)
            .sum(),
    );
    let paid_total = money(
        items
            .iter()
            .filter_map(|c| c.compensation.as_ref())
            .filter(|k| k.paid_on.is_some())
            .map(|k| k.amount_dong)
            .sum(),
    );
    if only_owed {
        items.retain(|c| c.owes());
    }
    Ok(CommitmentsList {
        items,
        owed_count,
        owed_total,
        paid_total,
        only_owed,
        can_pay: records_payments(v),
        today: Day(today),
    })
}

/// One commitment, for the API.
pub fn one(
    store: &mut Store,
    v: &Viewer,
    id: i64,
    today: NaiveDate,
) -> Result<CommitmentView, AppError> {
    let row = store
        .service_commitment(id)?
        .ok_or_else(|| AppError::NotFound(format!("cam kết số {id}")))?;
    if !reads_person(store, v, row.commitment.person_id)? {
        return Err(AppError::Forbidden);
    }
    let mut names = Names::new(store)?;
    view(store, &mut names, &row, today)
}

// ---------------------------------------------------------------- recording

/// A commitment as the form and the API give it: dates dd/mm/yyyy or ISO,
/// amounts in đồng with or without dots.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
pub struct CommitmentInput {
    #[serde(default)]
    pub class_id: Option<i64>,
    #[serde(default)]
    pub course: String,
    #[serde(default)]
    pub institution: String,
    #[serde(default)]
    pub degree_level: String,
    #[serde(default)]
    pub decision: Option<String>,
    #[serde(default)]
    pub posted_on: String,
    #[serde(default)]
    pub course_starts_on: String,
    #[serde(default)]
    pub course_ends_on: String,
    /// Empty: counted from the course's days.
    #[serde(default)]
    pub training_months: Option<String>,
    #[serde(default)]
    pub cost: String,
    /// Empty: counted from the person's employment record.
    #[serde(default)]
    pub prior_service_years: Option<String>,
    /// "co" (obtained), "khong" (not), empty: not known yet.
    #[serde(default)]
    pub degree_obtained: Option<String>,
    #[serde(default)]
    pub note: Option<String>,
}

fn blank(s: &Option<String>) -> Option<&str> {
    s.as_deref().map(str::trim).filter(|s| !s.is_empty())
}

/// Reads an amount in đồng: "120.000.000", "120 000 000", "120000000".
pub fn parse_dong(s: &str) -> Option<i64> {
    let digits: String = s
        .trim()
        .trim_end_matches('đ')
        .trim_end_matches("đồng")
        .chars()
        .filter(|c| !matches!(c, '.' | ' ' | ','))
        .collect();
    if digits.is_empty() || !digits.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    digits.parse().ok()
}

struct Facts {
    female: bool,
    ethnic_minority: bool,
    /// (unit, category) on the posting day.
    job: Option<(i64, Category)>,
    /// First day of employment on record.
    first_day: Option<NaiveDate>,
}

fn person_facts(store: &mut Store, person_id: i64, on: NaiveDate) -> Result<Facts, AppError> {
    let details = store
        .history(Table::People, person_id)?
        .into_iter()
        .rev()
        .find(|r| r.recording.superseded_at.is_none())
        .and_then(|r| match r.data {
            Fact::Person(p) => Some(p),
            _ => None,
        })
        .ok_or_else(|| AppError::NotFound(format!("người có mã số {person_id}")))?;
    let mut job = None;
    let mut first_day: Option<NaiveDate> = None;
    for f in store.person_facts(person_id, None)? {
        if f.recording.superseded_at.is_some() {
            continue;
        }
        if let Fact::Employment(e) = &f.data {
            first_day = Some(first_day.map_or(f.valid.from, |d| d.min(f.valid.from)));
            if f.valid.contains(on) {
                job = Some((e.unit_id, e.category));
            }
        }
    }
    Ok(Facts {
        female: details.sex == Sex::Female,
        ethnic_minority: details.ethnicity.is_minority(),
        job,
        first_day,
    })
}

/// Records a commitment for a person; gives its id. Every field is checked
/// and every problem named at once; nothing is written on error.
pub fn record(
    store: &mut Store,
    v: &Viewer,
    person_id: i64,
    input: &CommitmentInput,
    now: DateTime<Utc>,
) -> Result<i64, AppError> {
    let row = prepare(store, v, person_id, input, now)?;
    store
        .add_service_commitment(&row, &Stamp::new(v.username.clone(), now))
        .map_err(store_err)
}

/// The row [`record`] writes, every field checked (nothing is written here).
fn prepare(
    store: &mut Store,
    v: &Viewer,
    person_id: i64,
    input: &CommitmentInput,
    now: DateTime<Utc>,
) -> Result<NewServiceCommitment, AppError> {
    if !keeps_person(store, v, person_id)? {
        return Err(refuse_keeping());
    }
    let mut errors: Vec<String> = Vec::new();
    let mut day = |label: &str, s: &str| -> Option<NaiveDate> {
        if s.trim().is_empty() {
            errors.push(format!("{label}: chưa nhập"));
            return None;
        }
        let d = parse_day(s);
        if d.is_none() {
            errors.push(format!(
                "{label}: «{}» không phải ngày (dd/mm/yyyy)",
                s.trim()
            ));
        }
        d
    };
    let posted_on = day("Ngày cử đi học", &input.posted_on);
    let starts = day("Ngày bắt đầu khóa học", &input.course_starts_on);
    let ends = day("Ngày kết thúc khóa học", &input.course_ends_on);
    if input.course.trim().is_empty() {
        errors.push("Khóa học, chuyên ngành: chưa nhập".into());
    }
    if input.institution.trim().is_empty() {
        errors.push("Cơ sở đào tạo: chưa nhập".into());
    }
    let degree = input.degree_level.trim();
    if !rules::is_postgraduate(degree) {
        errors.push(format!(
            "Trình độ đào tạo: «{degree}» không phải đào tạo sau đại học (thạc sĩ, tiến sĩ, chuyên khoa cấp I, II)"
        ));
    }
    let cost = match parse_dong(&input.cost) {
        Some(c) if c > 0 => Some(c),
        Some(_) => {
            errors.push("Chi phí đào tạo do Nhà nước chi trả (F): phải lớn hơn 0 đồng".into());
            None
        }
        None => {
            errors.push(format!(
                "Chi phí đào tạo do Nhà nước chi trả (F): «{}» không phải số tiền",
                input.cost.trim()
            ));
            None
        }
    };
    if let (Some(s), Some(e)) = (starts, ends)
        && e < s
    {
        errors.push("Ngày kết thúc khóa học: trước ngày bắt đầu".into());
    }
    if let (Some(p), Some(e)) = (posted_on, ends)
        && e < p
    {
        errors.push("Ngày kết thúc khóa học: trước ngày cử đi học".into());
    }
    let months = match blank(&input.training_months) {
        Some(m) => match m.parse::<u32>() {
            Ok(m) if m > 0 => Some(m),
            _ => {
                errors.push(format!(
                    "Thời gian đào tạo (tháng): «{m}» phải là số tháng lớn hơn 0"
                ));
                None
            }
        },
        None => match (starts, ends) {
            (Some(s), Some(e)) if e >= s => Some(rules::course_months(s, e)),
            _ => None,
        },
    };
    let prior = match blank(&input.prior_service_years) {
        Some(y) => match y.parse::<u32>() {
            Ok(y) => Some(Some(y)),
            _ => {
                errors.push(format!(
                    "Số năm công tác trước khi đi học: «{y}» phải là số năm"
                ));
                None
            }
        },
        None => Some(None),
    };
    let obtained = match blank(&input.degree_obtained) {
        None => Some(None),
        Some("co") => Some(Some(true)),
        Some("khong") => Some(Some(false)),
        Some(x) => {
            errors.push(format!("Đã được cấp bằng: «{x}» không hợp lệ"));
            None
        }
    };
    let facts = person_facts(store, person_id, posted_on.unwrap_or_else(|| crate::fmt::day_in_vietnam(now)))?;
    if let Some(p) = posted_on
        && facts.job.is_none()
    {
        errors.push(format!(
            "Ngày cử đi học: ngày {} người này không công tác tại đơn vị nào",
            Day(p)
        ));
    }
    if let Some(class_id) = input.class_id
        && store.history(Table::Classes, class_id)?.is_empty()
    {
        errors.push(format!("Lớp: không có lớp số {class_id}"));
    }
    let (
        Some(posted_on),
        Some(starts),
        Some(ends),
        Some(cost),
        Some(months),
        Some(prior),
        Some(obtained),
        Some((unit, category)),
        true,
    ) = (
        posted_on,
        starts,
        ends,
        cost,
        months,
        prior,
        obtained,
        facts.job,
        errors.is_empty(),
    )
    else {
        return Err(AppError::BadRequest(format!(
            "Chưa ghi được cam kết — {}.",
            errors.join("; ")
        )));
    };
    let prior = prior.unwrap_or_else(|| {
        facts
            .first_day
            .map_or(0, |f| rules::whole_years(f, posted_on))
    });
    let c = ServiceCommitment::new(
        &RuleBook::default(),
        person_id,
        category,
        posted_on,
        months,
        ends,
        cost,
        prior,
        facts.female,
        facts.ethnic_minority,
    )
    .map_err(|e| AppError::BadRequest(format!("Chưa ghi được cam kết — {}.", e)))?;
    let row = NewServiceCommitment {
        person_id,
        unit_id: Some(unit),
        category: category.code().to_string(),
        class_id: input.class_id,
        course: input.course.trim().to_string(),
        institution: input.institution.trim().to_string(),
        degree_level: degree.to_string(),
        decision: blank(&input.decision).map(str::to_string),
        posted_on,
        course_starts_on: starts,
        course_ends_on: ends,
        training_months: i64::from(months),
        cost,
        degree_obtained: obtained,
        prior_service_years: i64::from(prior),
        female: facts.female,
        ethnic_minority: facts.ethnic_minority,
        rule: c.rule.code().to_string(),
        params: serde_json::to_string(&c.params).map_err(|e| AppError::Internal(e.to_string()))?,
        months_committed: i64::from(c.months_committed),
        serve_until: c.serve_until,
        note: blank(&input.note).map(str::to_string),
    };
    Ok(row)
}

/// A departure as the form and the API give it.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
pub struct DepartureInput {
    #[serde(default)]
    pub left_on: String,
    #[serde(default)]
    pub reason: String,
    #[serde(default)]
    pub note: Option<String>,
}

/// Records that a person left before the end of their commitment and what
/// they owe, computed under the commitment's frozen rule; gives the amount.
pub fn record_departure(
    store: &mut Store,
    v: &Viewer,
    commitment_id: i64,
    input: &DepartureInput,
    now: DateTime<Utc>,
) -> Result<rules::Compensation, AppError> {
    let row = store
        .service_commitment(commitment_id)?
        .ok_or_else(|| AppError::NotFound(format!("cam kết số {commitment_id}")))?;
    if !keeps_person(store, v, row.commitment.person_id)? {
        return Err(refuse_keeping());
    }
    let mut errors = Vec::new();
    let left_on = match parse_day(&input.left_on) {
        Some(d) => Some(d),
        None if input.left_on.trim().is_empty() => {
            errors.push("Ngày nghỉ: chưa nhập".to_string());
            None
        }
        None => {
            errors.push(format!(
                "Ngày nghỉ: «{}» không phải ngày (dd/mm/yyyy)",
                input.left_on.trim()
            ));
            None
        }
    };
    let reason = DepartureReason::from_code(input.reason.trim());
    if reason.is_none() {
        errors.push(if input.reason.trim().is_empty() {
            "Lý do: chưa chọn".to_string()
        } else {
            format!("Lý do: không có lý do «{}»", input.reason.trim())
        });
    }
    let c = &row.commitment;
    if let Some(l) = left_on {
        if l < c.posted_on {
            errors.push(format!(
                "Ngày nghỉ: trước ngày cử đi học {}",
                Day(c.posted_on)
            ));
        }
        if reason == Some(DepartureReason::QuitDuringTraining) && l > c.course_ends_on {
            errors.push(format!(
                "Lý do: bỏ học chỉ áp dụng khi nghỉ trong thời gian đào tạo (đến ngày {})",
                Day(c.course_ends_on)
            ));
        }
        if reason.is_some_and(DepartureReason::is_leaving_service) && l > c.serve_until {
            errors.push(format!(
                "Ngày nghỉ: sau ngày {} người này đã phục vụ đủ thời gian cam kết, không phải đền bù",
                Day(c.serve_until)
            ));
        }
    }
    let (Some(left_on), Some(reason), true) = (left_on, reason, errors.is_empty()) else {
        return Err(AppError::BadRequest(format!(
            "Chưa tính được đền bù — {}.",
            errors.join("; ")
        )));
    };
    let rc = rule_commitment(&row)?;
    let k = rules::compensation(&rc, left_on, reason);
    let working = rules::working(&rc, &k, left_on);
    let degree = match reason {
        DepartureReason::NoDegree => Some(false),
        _ => None,
    };
    store
        .record_compensation(
            commitment_id,
            &NewCompensation {
                left_on,
                reason: reason.code().to_string(),
                months_served: i64::from(k.months_served),
                gross: k.gross,
                reduction_bp: i64::from(k.reduction_bp),
                amount: k.amount,
                working,
                note: blank(&input.note).map(str::to_string),
            },
            degree,
            &Stamp::new(v.username.clone(), now),
        )
        .map_err(store_err)?;
    Ok(k)
}

/// A payment as finance records it.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
pub struct PaymentInput {
    #[serde(default)]
    pub paid_on: String,
    #[serde(default)]
    pub document: Option<String>,
}

/// Finance records that a compensation was paid.
pub fn mark_paid(
    store: &mut Store,
    v: &Viewer,
    commitment_id: i64,
    input: &PaymentInput,
    now: DateTime<Utc>,
) -> Result<i64, AppError> {
    if !records_payments(v) {
        return Err(AppError::Refused(
            "Chỉ bộ phận tài chính (hoặc Sở Nội vụ) được ghi nhận đã nộp tiền đền bù.".into(),
        ));
    }
    let row = store
        .service_commitment(commitment_id)?
        .ok_or_else(|| AppError::NotFound(format!("cam kết số {commitment_id}")))?;
    let on = parse_day(&input.paid_on).ok_or_else(|| {
        AppError::BadRequest(format!(
            "Ngày nộp: «{}» không phải ngày (dd/mm/yyyy).",
            input.paid_on.trim()
        ))
    })?;
    if let Some(k) = &row.compensation
        && on < k.compensation.left_on
    {
        return Err(AppError::BadRequest(format!(
            "Ngày nộp: trước ngày nghỉ {}.",
            Day(k.compensation.left_on)
        )));
    }
    store
        .mark_compensation_paid(
            commitment_id,
            on,
            blank(&input.document),
            &Stamp::new(v.username.clone(), now),
        )
        .map_err(store_err)?;
    Ok(row.commitment.person_id)
}

// ---------------------------------------------------------------- classes

/// What a finished class offers: recording the commitments of its
/// state-funded learners, when its programme grants a postgraduate degree.
#[derive(Debug, Clone, Serialize)]
pub struct ClassOffer {
    pub class_id: i64,
    /// Learners who completed, state funded, without a commitment for the class.
    pub pending: Vec<(i64, String)>,
    pub recorded: usize,
}

struct ClassFacts {
    code: String,
    programme: String,
    institution: String,
    degree: String,
    starts_on: NaiveDate,
    ends_on: NaiveDate,
    finished: bool,
    /// (person, cost) of the learners who completed, state funded.
    learners: Vec<(i64, i64)>,
}

fn latest_fact(store: &mut Store, table: Table, id: i64) -> Result<Option<Fact>, AppError> {
    Ok(store
        .history(table, id)?
        .into_iter()
        .filter(|r| r.recording.superseded_at.is_none())
        .max_by_key(|r| r.valid.from)
        .map(|r| r.data))
}

/// `None` when the class does not lead to a postgraduate degree.
fn class_facts(store: &mut Store, class_id: i64) -> Result<Option<ClassFacts>, AppError> {
    let Some(Fact::Class(class)) = latest_fact(store, Table::Classes, class_id)? else {
        return Err(AppError::NotFound(format!("lớp số {class_id}")));
    };
    let Some(Fact::Programme(p)) = latest_fact(store, Table::Programmes, class.programme_id)?
    else {
        return Ok(None);
    };
    let Some(grant) = p.grants.filter(|g| {
        g.kind == nangluc_core::qualification::QualificationKind::Education
            && rules::is_postgraduate(&g.level)
    }) else {
        return Ok(None);
    };
    let institution = match latest_fact(store, Table::Institutions, class.institution_id)? {
        Some(Fact::Institution(i)) => i.name,
        _ => format!("Cơ sở đào tạo số {}", class.institution_id),
    };
    let mut learners = Vec::new();
    for r in store.current_where(
        Table::Enrolments,
        "class_id",
        nangluc_store::Value::Int(class_id),
    )? {
        if let Fact::Enrolment(e) = r.data
            && e.status == EnrolmentStatus::Completed
            && e.funding == FundingSource::StateBudget
        {
            learners.push((e.person_id, e.cost));
        }
    }
    Ok(Some(ClassFacts {
        code: class.code,
        programme: p.name,
        institution,
        degree: grant.level,
        starts_on: class.starts_on,
        ends_on: class.ends_on,
        finished: class.status == nangluc_core::training::ClassStatus::Finished,
        learners,
    }))
}

/// The offer on a class's page (`None`: nothing to offer this viewer).
pub fn class_offer(
    store: &mut Store,
    v: &Viewer,
    class_id: i64,
) -> Result<Option<ClassOffer>, AppError> {
    if !matches!(v.role, Role::Admin | Role::UnitHr) {
        return Ok(None);
    }
    let Some(f) = class_facts(store, class_id)? else {
        return Ok(None);
    };
    if !f.finished || f.learners.is_empty() {
        return Ok(None);
    }
    let done: Vec<i64> = store
        .service_commitments(None)?
        .into_iter()
        .filter(|r| r.commitment.class_id == Some(class_id))
        .map(|r| r.commitment.person_id)
        .collect();
    let mut pending = Vec::new();
    let mut names = Names::new(store)?;
    for (person, _) in &f.learners {
        if !done.contains(person) && keeps_person(store, v, *person)? {
            pending.push((*person, names.person(store, *person)?));
        }
    }
    Ok(Some(ClassOffer {
        class_id,
        pending,
        recorded: done.len(),
    }))
}

/// Records the commitments of a finished class's state-funded learners whom
/// the viewer keeps (cost F: each one's cost on record; the posting day: the
/// decision's day given, else the class's first day). All or none; gives how
/// many were recorded.
pub fn record_for_class(
    store: &mut Store,
    v: &Viewer,
    class_id: i64,
    posted_on: Option<&str>,
    decision: Option<&str>,
    now: DateTime<Utc>,
) -> Result<usize, AppError> {
    if !matches!(v.role, Role::Admin | Role::UnitHr) {
        return Err(refuse_keeping());
    }
    let f = class_facts(store, class_id)?.ok_or_else(|| {
        AppError::Conflict(
            "Chương trình của lớp này không cấp bằng sau đại học, không có cam kết phục vụ.".into(),
        )
    })?;
    if !f.finished {
        return Err(AppError::Conflict(format!("Lớp {} chưa kết thúc.", f.code)));
    }
    let posted = match posted_on.map(str::trim).filter(|s| !s.is_empty()) {
        Some(s) => parse_day(s).ok_or_else(|| {
            AppError::BadRequest(format!(
                "Ngày cử đi học: «{s}» không phải ngày (dd/mm/yyyy)."
            ))
        })?,
        None => f.starts_on,
    };
    let done: Vec<i64> = store
        .service_commitments(None)?
        .into_iter()
        .filter(|r| r.commitment.class_id == Some(class_id))
        .map(|r| r.commitment.person_id)
        .collect();
    let mut inputs = Vec::new();
    for (person, cost) in &f.learners {
        if done.contains(person) || !keeps_person(store, v, *person)? {
            continue;
        }
        inputs.push((
            *person,
            CommitmentInput {
                class_id: Some(class_id),
                course: format!("{} (lớp {})", f.programme, f.code),
                institution: f.institution.clone(),
                degree_level: f.degree.clone(),
                decision: decision.map(str::to_string),
                posted_on: posted.to_string(),
                course_starts_on: f.starts_on.to_string(),
                course_ends_on: f.ends_on.to_string(),
                training_months: None,
                cost: cost.to_string(),
                prior_service_years: None,
                degree_obtained: Some("co".into()),
                note: None,
            },
        ));
    }
    if inputs.is_empty() {
        return Err(AppError::Conflict(
            "Không còn học viên nào của lớp cần ghi cam kết phục vụ.".into(),
        ));
    }
    // Every learner is checked first (the dry check names the learner in its
    // message), then all are written in one transaction: all or none.
    let mut rows = Vec::with_capacity(inputs.len());
    for (person, input) in &inputs {
        dry_check(store, *person, input)?;
        rows.push(prepare(store, v, *person, input, now)?);
    }
    let ids = store
        .add_service_commitments(&rows, &Stamp::new(v.username.clone(), now))
        .map_err(store_err)?;
    Ok(ids.len())
}

/// What [`record`] would refuse for a learner of a class, without writing.
fn dry_check(store: &mut Store, person_id: i64, input: &CommitmentInput) -> Result<(), AppError> {
    let posted = parse_day(&input.posted_on).unwrap_or_default();
    let facts = person_facts(store, person_id, posted)?;
    let name = store
        .history(Table::People, person_id)?
        .last()
        .and_then(|r| match &r.data {
            Fact::Person(p) => Some(p.full_name()),
            _ => None,
        })
        .unwrap_or_default();
    let Some((_, category)) = facts.job else {
        return Err(AppError::BadRequest(format!(
            "Chưa ghi được cam kết — {name}: ngày {} không công tác tại đơn vị nào.",
            Day(posted)
        )));
    };
    if parse_dong(&input.cost).unwrap_or(0) <= 0 {
        return Err(AppError::BadRequest(format!(
            "Chưa ghi được cam kết — {name}: chưa có chi phí đào tạo của học viên (F)."
        )));
    }
    if RuleBook::default().rule_for(category, posted).is_none() {
        return Err(AppError::BadRequest(format!(
            "Chưa ghi được cam kết — {name}: không có quy định về cam kết phục vụ cho {} vào ngày {}.",
            category.label(),
            Day(posted)
        )));
    }
    Ok(())
}
