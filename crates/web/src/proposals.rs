//! The proposed training plan in the application: the service layer.
//!
//! From the active period plan evaluated as of the plan year, who needs which
//! programme (`nangluc_planning::needs`), grouped into classes within the
//! institutions' capacity over the years to the horizon and priced under the
//! cost norms (`nangluc_planning::proposal`), the classes that close the most
//! gap chosen under a budget ceiling. The result is a saved draft people edit
//! (move a person, drop a class, fund again), each edit checked with
//! `Proposal::check` and kept with who made it.
//!
//! Configuration is data in the store: dated cost norms, how programmes are
//! run (offers), institutions' capacity, which programme closes which target.
//!
//! Who: the Sở Nội vụ (admin) makes and edits drafts and offers; finance and
//! the leadership read drafts; finance also keeps the cost norms.
//!
//! Adopting a year turns its funded classes into classes *proposed* in the
//! class life cycle (`training::propose_all`), not into lines of the
//! province's annual plan: the province's plan is the sum of the units'
//! plans, each drafted by a unit's HR officer for its own people and moved
//! through submit/accept/aggregate/approve, and a province-wide class (people
//! of many units) belongs to no unit's plan. A proposed class instead enters
//! the workflow the Sở Nội vụ already runs — approve (which commits its
//! estimate in the ledger and says whether the approved annual plan covers it),
//! open, nominate, finish, settle.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{DateTime, Datelike, NaiveDate, Utc};
use nangluc_core::training::StudyForm;
use nangluc_core::{AsOf, Fact, Table};
use nangluc_engine::{Plan, PlanResult};
use nangluc_io::export::{Table as Sheet, Value as Cell, write_tables_to_bytes};
use nangluc_planning::budget::{CostBasis, CostItem, CostNorms, CostRate};
use nangluc_planning::needs::{ProgrammeMap, ProgrammeNeed, SkippedTarget, compute_needs};
use nangluc_planning::proposal::{
    Ceiling, Funding, InstitutionCapacity, ProgrammeOffer, Proposal, ProposalSettings,
    ProposedClass, TargetFunding, UnplacedReason, fund, propose,
};
use nangluc_store::{CapacityRow, NewCostNorm, OfferRow, Stamp, Store, StoreError};
use serde::{Deserialize, Serialize};

use crate::auth::{Perm, Role, Viewer};
use crate::error::AppError;
use crate::fmt::{Coded, Day, Moment, money};
use crate::targets::ActivePlan;
use crate::training::{ProposeClass, propose_all};

// ---------------------------------------------------------------- who

fn reads(v: &Viewer) -> Result<(), AppError> {
    v.require(Perm::Proposals)
}

/// Drafts and offers are the Sở Nội vụ's.
fn edits(v: &Viewer) -> Result<(), AppError> {
    if v.role == Role::Admin {
        Ok(())
    } else {
        Err(AppError::Forbidden)
    }
}

/// The configuration is read by the Sở Nội vụ and finance.
fn reads_config(v: &Viewer) -> Result<(), AppError> {
    if matches!(v.role, Role::Admin | Role::Finance) {
        Ok(())
    } else {
        Err(AppError::Forbidden)
    }
}

/// Cost norms are kept by the Sở Nội vụ and finance.
fn edits_norms(v: &Viewer) -> Result<(), AppError> {
    reads_config(v)
}

fn store_err(e: StoreError) -> AppError {
    match e {
        StoreError::Conflict(m) => AppError::Conflict(format!("{}.", crate::fmt::capitalise(&m))),
        StoreError::EntityNotFound {
            table: "proposals",
            id,
        } => AppError::NotFound(format!("dự thảo đề xuất số {id}")),
        StoreError::EntityNotFound { table, id } => {
            AppError::NotFound(format!("bản ghi {id} ({table})"))
        }
        e => e.into(),
    }
}



// ---------------------------------------------------------------- configuration

/// Code → name of the programmes and of the institutions in the catalogue.
#[derive(Debug, Clone, Default)]
pub struct Catalogue {
    pub programmes: BTreeMap<String, (i64, String)>,
    pub institutions: BTreeMap<String, (i64, String)>,
}

pub fn catalogue(store: &mut Store) -> Result<Catalogue, AppError> {
    let mut c = Catalogue::default();
    for r in store.latest(Table::Programmes)? {
        if let Fact::Programme(p) = r.data {
            c.programmes.insert(p.code, (r.id, p.name));
        }
    }
    for r in store.latest(Table::Institutions)? {
        if let Fact::Institution(i) = r.data {
            c.institutions.insert(i.code, (r.id, i.name));
        }
    }
    Ok(c)
}

/// What `propose` needs from the store.
#[derive(Debug, Clone)]
pub struct Config {
    pub norms: CostNorms,
    pub offers: Vec<ProgrammeOffer>,
    pub institutions: Vec<InstitutionCapacity>,
}

fn decode<T>(what: &str, code: &str, v: Option<T>) -> Result<T, AppError> {
    v.ok_or_else(|| AppError::Internal(format!("{what} «{code}» trong cấu hình không hợp lệ")))
}

fn rate_of(r: &NewCostNorm) -> Result<CostRate, AppError> {
    Ok(CostRate {
        item: decode("khoản chi", &r.item, CostItem::from_code(&r.item))?,
        basis: decode("cách tính", &r.basis, CostBasis::from_code(&r.basis))?,
        amount: r.amount,
        form: match &r.form {
            Some(f) => Some(decode("hình thức học", f, StudyForm::from_code(f))?),
            None => None,
        },
        province: r.issuer.clone(),
        from: r.valid_from,
        to: r.valid_to,
        source: r.source.clone(),
        unverified: r.unverified,
    })
}

pub fn load_config(store: &mut Store, cat: &Catalogue) -> Result<Config, AppError> {
    let norms = CostNorms {
        rates: store
            .cost_norms()?
            .iter()
            .map(|r| rate_of(&r.norm))
            .collect::<Result<_, _>>()?,
    };
    let name = |map: &BTreeMap<String, (i64, String)>, code: &str| {
        map.get(code)
            .map(|x| x.1.clone())
            .unwrap_or_else(|| code.to_string())
    };
    let offers = store
        .programme_offers()?
        .into_iter()
        .map(|o| {
            Ok(ProgrammeOffer {
                name: name(&cat.programmes, &o.programme),
                form: decode("hình thức học", &o.form, StudyForm::from_code(&o.form))?,
                sessions: o.sessions.max(0) as u32,
                study_days: o.study_days.max(0) as u32,
                duration_days: o.duration_days.max(1) as u32,
                institutions: o.institutions,
                code: o.programme,
            })
        })
        .collect::<Result<_, AppError>>()?;
    let institutions = store
        .institution_capacities()?
        .into_iter()
        .map(|c| InstitutionCapacity {
            name: name(&cat.institutions, &c.institution),
            code: c.institution,
            province: c.province,
            classes_per_year: c.classes_per_year.max(0) as u32,
        })
        .collect();
    Ok(Config {
        norms,
        offers,
        institutions,
    })
}

/// Which programme closes which target: the plan file's own mapping, with
/// what the Sở Nội vụ recorded for the plan on top.
pub fn programme_map(store: &mut Store, plan: &Plan) -> Result<ProgrammeMap, AppError> {
    let mut map = ProgrammeMap::from_plan(plan);
    for (t, p) in store.target_programmes(&plan.id)? {
        map.by_target.insert(t, p);
    }
    Ok(map)
}

/// The people in succession planning (quy hoạch) on a day.
pub fn succession(store: &mut Store, on: NaiveDate) -> Result<BTreeSet<i64>, AppError> {
    Ok(store
        .as_of(Table::Roles, &AsOf::date(on))?
        .into_iter()
        .filter_map(|r| match r.data {
            Fact::Role(role) if role.kind == nangluc_core::role::RoleKind::SuccessionPlanning => {
                Some(role.person_id)
            }
            _ => None,
        })
        .collect())
}

// ---------------------------------------------------------------- a request

/// What a proposal is made for.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProposalRequest {
    /// The plan year: classes start from its first day (or today, if later).
    pub year: i32,
    /// The last year classes are spread over; default: the period plan's end
    /// (its orientation year once the period is over).
    #[serde(default)]
    pub horizon: Option<i32>,
    /// One ceiling for every year together, in đồng; none: no ceiling.
    #[serde(default)]
    pub ceiling: Option<i64>,
    /// Or one ceiling per year (a year not listed gets nothing).
    #[serde(default)]
    pub ceiling_per_year: Option<BTreeMap<i32, i64>>,
    /// Class size bounds; default 40–50.
    #[serde(default)]
    pub class_min: Option<u32>,
    #[serde(default)]
    pub class_max: Option<u32>,
}

/// The day the plan is evaluated for a plan year: its first day, or today
/// when the year has begun.
pub fn as_of_for(year: i32, today: NaiveDate) -> NaiveDate {
    NaiveDate::from_ymd_opt(year, 1, 1)
        .expect("valid year")
        .max(today)
}

/// The period plan's last year, or its orientation year once the period is
/// behind the plan year.
pub fn default_horizon(plan: &Plan, year: i32) -> i32 {
    let end = plan.period.1;
    if end >= year {
        end
    } else {
        plan.orientation.filter(|o| *o >= year).unwrap_or(year)
    }
}

/// The ceiling asked for, checked: amounts not negative, years in the horizon.
pub fn ceiling_of(
    total: Option<i64>,
    per_year: Option<&BTreeMap<i32, i64>>,
    years: (i32, i32),
) -> Result<Ceiling, AppError> {
    let mut errors = Vec::new();
    let ceiling = match (total, per_year) {
        (_, Some(m)) if !m.is_empty() => {
            for (y, a) in m {
                if *a < 0 {
                    errors.push(format!("Trần kinh phí năm {y} không được âm."));
                }
                if *y < years.0 || *y > years.1 {
                    errors.push(format!(
                        "Năm {y} của trần kinh phí nằm ngoài kỳ đề xuất {}–{}.",
                        years.0, years.1
                    ));
                }
            }
            Ceiling::PerYear { amounts: m.clone() }
        }
        (Some(a), _) => {
            if a < 0 {
                errors.push("Trần kinh phí không được âm.".into());
            }
            Ceiling::Total { amount: a }
        }
        _ => Ceiling::Unlimited,
    };
    if errors.is_empty() {
        Ok(ceiling)
    } else {
        Err(AppError::BadRequest(errors.join(" ")))
    }
}

fn checked_request(
    plan: &Plan,
    req: &ProposalRequest,
) -> Result<(i32, u32, u32, Ceiling), AppError> {
    let mut errors = Vec::new();
    if !(2000..=2100).contains(&req.year) {
        errors.push(format!("Năm kế hoạch {} không hợp lệ.", req.year));
    }
    let horizon = req
        .horizon
        .unwrap_or_else(|| default_horizon(plan, req.year));
    if horizon < req.year || horizon > req.year + 10 {
        errors.push(format!(
            "Năm cuối kỳ đề xuất {horizon} phải từ năm kế hoạch {} đến {}.",
            req.year,
            req.year + 10
        ));
    }
    let (min, max) = (req.class_min.unwrap_or(40), req.class_max.unwrap_or(50));
    if min < 1 {
        errors.push("Sĩ số tối thiểu phải từ 1 trở lên.".into());
    }
    if max < min {
        errors.push(format!(
            "Sĩ số tối đa ({max}) phải không nhỏ hơn sĩ số tối thiểu ({min})."
        ));
    }
    if max > 500 {
        errors.push(format!("Sĩ số tối đa {max} quá lớn (tối đa 500)."));
    }
    let ceiling = ceiling_of(
        req.ceiling,
        req.ceiling_per_year.as_ref(),
        (req.year, horizon),
    );
    if let Err(AppError::BadRequest(m)) = &ceiling {
        errors.push(m.clone());
    }
    if !errors.is_empty() {
        return Err(AppError::BadRequest(errors.join(" ")));
    }
    Ok((horizon, min, max, ceiling?))
}

// ---------------------------------------------------------------- the draft

/// What is saved: the proposal, its funding, and what was adopted.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Draft {
    pub plan_id: String,
    pub plan_name: String,
    pub request: ProposalRequest,
    pub ceiling: Ceiling,
    pub proposal: Proposal,
    pub funding: Funding,
    /// Needs by programme (people, by priority, gap).
    pub needs: Vec<ProgrammeNeed>,
    /// Targets not turned into needs, and why.
    pub skipped: Vec<SkippedTarget>,
    /// Proposed class code → the class created when it was adopted.
    #[serde(default)]
    pub adopted: BTreeMap<String, i64>,
}

/// Computes a draft from a plan's evaluation (as of [`as_of_for`] the year).
pub fn build_draft(
    store: &mut Store,
    plan: &Plan,
    result: &PlanResult,
    req: &ProposalRequest,
    today: NaiveDate,
) -> Result<Draft, AppError> {
    let (horizon, class_min, class_max, ceiling) = checked_request(plan, req)?;
    let map = programme_map(store, plan)?;
    let people_in_planning = succession(store, result.as_of.min(today))?;
    let needs = compute_needs(result, &map, &people_in_planning);
    let cat = catalogue(store)?;
    let config = load_config(store, &cat)?;
    let settings = ProposalSettings {
        class_min,
        class_max,
        ..ProposalSettings::new(as_of_for(req.year, today), horizon)
    };
    let proposal = propose(
        &needs,
        &config.offers,
        &config.institutions,
        &config.norms,
        &settings,
    );
    let funding = fund(&proposal, &ceiling);
    let mut request = req.clone();
    request.horizon = Some(horizon);
    Ok(Draft {
        plan_id: plan.id.clone(),
        plan_name: plan.name.clone(),
        request,
        ceiling,
        proposal,
        funding,
        needs: needs.by_programme,
        skipped: needs.skipped,
        adopted: BTreeMap::new(),
    })
}

fn to_json(d: &Draft) -> Result<String, AppError> {
    serde_json::to_string(d).map_err(|e| AppError::Internal(format!("không ghi được dự thảo: {e}")))
}

fn from_json(s: &str) -> Result<Draft, AppError> {
    serde_json::from_str(s).map_err(|e| AppError::Internal(format!("không đọc được dự thảo: {e}")))
}

fn ceiling_label(c: &Ceiling) -> String {
    match c {
        Ceiling::Unlimited => "không giới hạn".into(),
        Ceiling::Total { amount } => format!("tổng {}", money(*amount)),
        Ceiling::PerYear { amounts } => amounts
            .iter()
            .map(|(y, a)| format!("năm {y}: {}", money(*a)))
            .collect::<Vec<_>>()
            .join("; "),
    }
}

/// Makes and saves a draft for the active plan. Gives its id.
pub fn create(
    store: &mut Store,
    active: &ActivePlan,
    v: &Viewer,
    req: &ProposalRequest,
    now: DateTime<Utc>,
) -> Result<i64, AppError> {
    edits(v)?;
    let today = crate::fmt::day_in_vietnam(now);
    if !(2000..=2100).contains(&req.year) {
        return Err(AppError::BadRequest(format!(
            "Năm kế hoạch {} không hợp lệ.",
            req.year
        )));
    }
    let result = active.evaluate(store, as_of_for(req.year, today), None, true, true)?;
    let period = active.plan();
    let draft = build_draft(store, &period, &result, req, today)?;
    let detail = format!(
        "Lập dự thảo năm {}–{}, trần kinh phí {}: {} lớp. {}",
        req.year,
        draft.proposal.settings.horizon,
        ceiling_label(&draft.ceiling),
        draft.proposal.classes.len(),
        draft.funding.summary
    );
    store
        .create_proposal(
            &draft.plan_id,
            req.year,
            draft.proposal.settings.horizon,
            &to_json(&draft)?,
            &detail,
            &Stamp::new(v.username.clone(), now),
        )
        .map_err(store_err)
}

struct Loaded {
    draft: Draft,
    version: i64,
}

fn load(store: &mut Store, id: i64) -> Result<(nangluc_store::ProposalRow, Draft), AppError> {
    let row = store
        .proposal(id)?
        .ok_or_else(|| AppError::NotFound(format!("dự thảo đề xuất số {id}")))?;
    let draft = from_json(&row.draft)?;
    Ok((row, draft))
}

fn load_for_edit(
    store: &mut Store,
    v: &Viewer,
    id: i64,
    version: Option<i64>,
) -> Result<Loaded, AppError> {
    edits(v)?;
    let (row, draft) = load(store, id)?;
    // An edit made on a version someone has since changed is refused before
    // it is checked against a draft its author has not seen.
    if version.is_some_and(|x| x != row.version) {
        return Err(AppError::Conflict(format!(
            "Dự thảo {id} vừa được người khác sửa (phiên bản {}); hãy tải lại trang và sửa lại.",
            row.version
        )));
    }
    Ok(Loaded {
        draft,
        version: version.unwrap_or(row.version),
    })
}

fn save(
    store: &mut Store,
    v: &Viewer,
    id: i64,
    l: &Loaded,
    action: &str,
    detail: &str,
    now: DateTime<Utc>,
) -> Result<i64, AppError> {
    store
        .update_proposal(
            id,
            l.version,
            &to_json(&l.draft)?,
            action,
            detail,
            &Stamp::new(v.username.clone(), now),
        )
        .map_err(store_err)
}

/// The problems of `after` not already in `before`: an edit may not add any.
fn new_problems(before: &[String], after: &[String]) -> Vec<String> {
    after
        .iter()
        .filter(|p| !before.contains(p))
        .cloned()
        .collect()
}

fn refuse_adopted(d: &Draft, codes: &[&str]) -> Result<(), AppError> {
    if let Some(c) = codes.iter().find(|c| d.adopted.contains_key(**c)) {
        return Err(AppError::Conflict(format!(
            "Lớp {c} đã được chuyển thành lớp đề xuất chính thức: sửa tại trang lớp học."
        )));
    }
    Ok(())
}

/// Moves a person from one proposed class to another of the same programme.
/// Refused when the move breaks a rule the draft kept (a class out of its
/// size bounds, a person after their deadline); both classes are priced
/// again and the funding is chosen again under the same ceiling.
#[allow(clippy::too_many_arguments)]
pub fn move_seat(
    store: &mut Store,
    v: &Viewer,
    id: i64,
    version: Option<i64>,
    person_id: i64,
    from: &str,
    to: &str,
    now: DateTime<Utc>,
) -> Result<i64, AppError> {
    let mut l = load_for_edit(store, v, id, version)?;
    let (from, to) = (from.trim(), to.trim());
    refuse_adopted(&l.draft, &[from, to])?;
    let before = l.draft.proposal.check();
    l.draft
        .proposal
        .move_seat(person_id, from, to)
        .map_err(|e| AppError::BadRequest(format!("{}.", crate::fmt::capitalise(&e.to_string()))))?;
    let added = new_problems(&before, &l.draft.proposal.check());
    if !added.is_empty() {
        return Err(AppError::BadRequest(format!(
            "Không chuyển được: {}.",
            added.join("; ")
        )));
    }
    let name = l
        .draft
        .proposal
        .class(to)
        .and_then(|c| c.seats.iter().find(|s| s.person_id == person_id))
        .map(|s| s.name.clone())
        .unwrap_or_else(|| format!("người số {person_id}"));
    refresh(store, &mut l.draft)?;
    save(
        store,
        v,
        id,
        &l,
        "moved",
        &format!("Chuyển {name} từ lớp {from} sang lớp {to}"),
        now,
    )
}

/// Prices every class again under the current norms and chooses the funded
/// classes again under the draft's ceiling.
fn refresh(store: &mut Store, d: &mut Draft) -> Result<(), AppError> {
    let cat = catalogue(store)?;
    let config = load_config(store, &cat)?;
    d.proposal.reprice(&config.norms);
    d.funding = fund(&d.proposal, &d.ceiling);
    Ok(())
}

/// Drops a proposed class: its people are listed unplaced, "dropped".
pub fn drop_class(
    store: &mut Store,
    v: &Viewer,
    id: i64,
    version: Option<i64>,
    code: &str,
    now: DateTime<Utc>,
) -> Result<i64, AppError> {
    let mut l = load_for_edit(store, v, id, version)?;
    refuse_adopted(&l.draft, &[code])?;
    let class = l
        .draft
        .proposal
        .drop_class(code)
        .map_err(|e| AppError::NotFound(e.to_string().replacen("không có ", "", 1)))?;
    refresh(store, &mut l.draft)?;
    save(
        store,
        v,
        id,
        &l,
        "dropped",
        &format!(
            "Bỏ lớp {} ({} học viên, {})",
            class.code,
            class.size(),
            money(class.cost())
        ),
        now,
    )
}

/// A new ceiling for the draft: the classes are chosen again.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
pub struct FundingRequest {
    #[serde(default)]
    pub version: Option<i64>,
    #[serde(default)]
    pub ceiling: Option<i64>,
    #[serde(default)]
    pub ceiling_per_year: Option<BTreeMap<i32, i64>>,
}

pub fn refund(
    store: &mut Store,
    v: &Viewer,
    id: i64,
    f: &FundingRequest,
    now: DateTime<Utc>,
) -> Result<i64, AppError> {
    let mut l = load_for_edit(store, v, id, f.version)?;
    let s = &l.draft.proposal.settings;
    let first = s.earliest_start.year();
    l.draft.ceiling = ceiling_of(f.ceiling, f.ceiling_per_year.as_ref(), (first, s.horizon))?;
    l.draft.request.ceiling = f.ceiling;
    l.draft.request.ceiling_per_year = f.ceiling_per_year.clone();
    refresh(store, &mut l.draft)?;
    let detail = format!(
        "Chọn lại các lớp với trần kinh phí {}. {}",
        ceiling_label(&l.draft.ceiling),
        l.draft.funding.summary
    );
    save(store, v, id, &l, "funded", &detail, now)
}

/// What adopting a year did.
#[derive(Debug, Clone, Serialize)]
pub struct Adopted {
    pub year: i32,
    /// (proposed class code, class id).
    pub classes: Vec<(String, i64)>,
}

/// Turns the funded classes of a year, not yet adopted, into proposed
/// classes of the class life cycle, in one change set.
pub fn adopt(
    store: &mut Store,
    plan: Option<&ActivePlan>,
    v: &Viewer,
    id: i64,
    version: Option<i64>,
    year: i32,
    now: DateTime<Utc>,
) -> Result<Adopted, AppError> {
    let mut l = load_for_edit(store, v, id, version)?;
    let funded: BTreeSet<&str> = l.draft.funding.funded.iter().map(String::as_str).collect();
    let chosen: Vec<&ProposedClass> = l
        .draft
        .proposal
        .classes
        .iter()
        .filter(|c| c.year == year && funded.contains(c.code.as_str()))
        .filter(|c| !l.draft.adopted.contains_key(&c.code))
        .collect();
    if chosen.is_empty() {
        return Err(AppError::BadRequest(format!(
            "Năm {year} không còn lớp nào được bố trí kinh phí mà chưa chuyển thành lớp đề xuất."
        )));
    }
    let cat = catalogue(store)?;
    let s = &l.draft.proposal.settings;
    let mut input = Vec::with_capacity(chosen.len());
    let mut errors = Vec::new();
    for c in &chosen {
        let (Some(p), Some(i)) = (
            cat.programmes.get(&c.programme),
            cat.institutions.get(&c.institution),
        ) else {
            errors.push(format!(
                "Lớp {}: chương trình «{}» hoặc cơ sở «{}» không có trong danh mục.",
                c.code, c.programme, c.institution
            ));
            continue;
        };
        input.push(ProposeClass {
            code: c.code.clone(),
            programme_id: p.0,
            institution_id: Some(i.0),
            starts_on: c.starts_on,
            ends_on: c.ends_on,
            place: i.1.clone(),
            form: c.form.code().to_string(),
            min_size: i64::from(s.class_min),
            max_size: i64::from(s.class_max),
            planned_cost: c.cost(),
            target_group: None,
        });
    }
    if !errors.is_empty() {
        return Err(AppError::BadRequest(errors.join(" ")));
    }
    let ids = propose_all(
        store,
        v,
        plan,
        &input,
        &format!("Đề xuất các lớp năm {year} theo dự thảo số {id}"),
    )?;
    let classes: Vec<(String, i64)> = input.iter().map(|p| p.code.clone()).zip(ids).collect();
    for (code, class_id) in &classes {
        l.draft.adopted.insert(code.clone(), *class_id);
    }
    let detail = format!(
        "Chuyển {} lớp năm {year} thành lớp đề xuất: {}",
        classes.len(),
        classes
            .iter()
            .map(|c| c.0.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    );
    // The classes are written; a concurrent edit of the draft meanwhile only
    // loses the note of which were adopted, so record it on the latest version.
    l.version = store.proposal(id)?.map(|r| r.version).unwrap_or(l.version);
    save(store, v, id, &l, "adopted", &detail, now)?;
    Ok(Adopted { year, classes })
}

// ---------------------------------------------------------------- reading

#[derive(Debug, Clone, Serialize)]
pub struct SeatView {
    pub person_id: i64,
    pub name: String,
    pub unit: Option<String>,
    pub priority: Coded,
    pub deadline: Option<Day>,
    pub late: bool,
    pub targets: Vec<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ClassView {
    pub code: String,
    pub programme: String,
    pub programme_name: String,
    pub institution: String,
    pub institution_name: String,
    pub year: i32,
    pub starts_on: Day,
    pub ends_on: Day,
    pub form: Coded,
    pub size: u32,
    pub cost: i64,
    pub gap_units: u32,
    pub e_people: u32,
    /// The earliest E deadline of its people.
    pub deadline: Option<Day>,
    pub late_seats: u32,
    pub funded: bool,
    /// The class created when adopted.
    pub adopted: Option<i64>,
    pub unverified_norms: bool,
    pub seats: Vec<SeatView>,
}

#[derive(Debug, Clone, Serialize)]
pub struct YearView {
    pub year: i32,
    pub ceiling: Option<i64>,
    pub cost: i64,
    pub funded_cost: i64,
    pub funded_classes: u32,
    pub classes: Vec<ClassView>,
    /// Funded classes not yet adopted.
    pub adoptable: u32,
}

#[derive(Debug, Clone, Serialize)]
pub struct UnfundedView {
    pub code: String,
    pub programme: String,
    pub year: i32,
    pub size: u32,
    pub cost: i64,
    pub gap_units: u32,
    pub e_people: u32,
    /// Why it was left out (Vietnamese).
    pub why: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct UnplacedView {
    pub person_id: i64,
    pub name: String,
    pub unit_code: Option<String>,
    pub programme: String,
    pub priority: Coded,
    pub deadline: Option<Day>,
    pub gap_units: u32,
    pub reason: Coded,
}

#[derive(Debug, Clone, Serialize)]
pub struct ReasonCount {
    pub reason: Coded,
    pub people: u32,
    pub gap_units: u32,
}

#[derive(Debug, Clone, Serialize)]
pub struct EventView {
    pub at: Moment,
    pub actor: String,
    pub action: String,
    pub detail: String,
}

/// Unplaced people shown on the page; the workbook has them all.
pub const UNPLACED_SHOWN: usize = 200;

#[derive(Debug, Clone, Serialize)]
pub struct ProposalView {
    pub id: i64,
    pub plan_id: String,
    pub plan_name: String,
    pub year: i32,
    pub horizon: i32,
    pub version: i64,
    pub created_at: Moment,
    pub created_by: String,
    pub updated_at: Moment,
    pub updated_by: String,
    pub class_min: u32,
    pub class_max: u32,
    pub ceiling: Ceiling,
    pub ceiling_label: String,
    pub funding: Funding,
    pub total_cost: i64,
    pub years: Vec<YearView>,
    pub unfunded: Vec<UnfundedView>,
    pub unplaced_by_reason: Vec<ReasonCount>,
    pub unplaced: Vec<UnplacedView>,
    pub unplaced_total: usize,
    /// What the draft breaks (sizes, deadlines, capacity).
    pub warnings: Vec<String>,
    pub needs: Vec<ProgrammeNeed>,
    pub skipped: Vec<SkippedTarget>,
    pub by_target: Vec<TargetFunding>,
    pub events: Vec<EventView>,
    pub can_edit: bool,
    pub can_read_config: bool,
    /// Some rate used is a placeholder not checked against its text.
    pub unverified_norms: bool,
}

fn action_label(a: &str) -> &'static str {
    match a {
        "created" => "Lập dự thảo",
        "moved" => "Chuyển học viên",
        "dropped" => "Bỏ lớp",
        "funded" => "Chọn lại theo trần kinh phí",
        "adopted" => "Chuyển thành lớp đề xuất",
        _ => "Sửa dự thảo",
    }
}

/// Why a class was not funded.
fn why_unfunded(c: &ProposedClass, ceiling: &Ceiling) -> String {
    if c.gap_units() == 0 {
        return "Không thu hẹp khoảng thiếu của chỉ tiêu nào".into();
    }
    let cap = match ceiling {
        Ceiling::Unlimited => None,
        Ceiling::Total { amount } => Some(*amount),
        Ceiling::PerYear { amounts } => Some(amounts.get(&c.year).copied().unwrap_or(0)),
    };
    match cap {
        Some(0) if matches!(ceiling, Ceiling::PerYear { .. }) => {
            format!("Năm {} không có trần kinh phí", c.year)
        }
        Some(a) if c.cost() > a => format!(
            "Dự toán {} vượt cả trần kinh phí {}",
            money(c.cost()),
            money(a)
        ),
        _ => "Trong trần kinh phí, các lớp được chọn thu hẹp khoảng thiếu nhiều hơn".into(),
    }
}

pub fn view_of(
    draft: &Draft,
    row: &nangluc_store::ProposalRow,
    events: Vec<EventView>,
    can_edit: bool,
    can_read_config: bool,
) -> ProposalView {
    let p = &draft.proposal;
    let f = &draft.funding;
    let funded: BTreeSet<&str> = f.funded.iter().map(String::as_str).collect();
    let mut years: BTreeMap<i32, YearView> = BTreeMap::new();
    for y in &f.by_year {
        years.insert(
            y.year,
            YearView {
                year: y.year,
                ceiling: y.ceiling,
                cost: y.cost,
                funded_cost: y.funded_cost,
                funded_classes: y.funded_classes,
                classes: Vec::new(),
                adoptable: 0,
            },
        );
    }
    for c in &p.classes {
        let is_funded = funded.contains(c.code.as_str());
        let adopted = draft.adopted.get(&c.code).copied();
        let y = years.entry(c.year).or_insert_with(|| YearView {
            year: c.year,
            ceiling: None,
            cost: 0,
            funded_cost: 0,
            funded_classes: 0,
            classes: Vec::new(),
            adoptable: 0,
        });
        if is_funded && adopted.is_none() {
            y.adoptable += 1;
        }
        y.classes.push(ClassView {
            code: c.code.clone(),
            programme: c.programme.clone(),
            programme_name: c.programme_name.clone(),
            institution: c.institution.clone(),
            institution_name: c.institution_name.clone(),
            year: c.year,
            starts_on: Day(c.starts_on),
            ends_on: Day(c.ends_on),
            form: Coded::new(c.form.code(), c.form.label()),
            size: c.size(),
            cost: c.cost(),
            gap_units: c.gap_units(),
            e_people: c.e_people(),
            deadline: c.deadline().map(Day),
            late_seats: c.late_seats().count() as u32,
            funded: is_funded,
            adopted,
            unverified_norms: c.estimate.unverified,
            seats: c
                .seats
                .iter()
                .map(|s| SeatView {
                    person_id: s.person_id,
                    name: s.name.clone(),
                    unit: s.unit.clone(),
                    priority: Coded::new(s.priority.code(), s.priority.label()),
                    deadline: s.deadline.map(Day),
                    late: s.deadline.is_some_and(|d| c.ends_on > d),
                    targets: s.targets.clone(),
                })
                .collect(),
        });
    }
    for y in years.values_mut() {
        y.classes
            .sort_by(|a, b| (&a.programme, a.starts_on).cmp(&(&b.programme, b.starts_on)));
    }
    let unfunded = p
        .classes
        .iter()
        .filter(|c| !funded.contains(c.code.as_str()))
        .map(|c| UnfundedView {
            code: c.code.clone(),
            programme: c.programme.clone(),
            year: c.year,
            size: c.size(),
            cost: c.cost(),
            gap_units: c.gap_units(),
            e_people: c.e_people(),
            why: why_unfunded(c, &draft.ceiling),
        })
        .collect();
    let mut by_reason: BTreeMap<&str, ReasonCount> = BTreeMap::new();
    for u in &p.unplaced {
        let r = by_reason
            .entry(u.reason.code())
            .or_insert_with(|| ReasonCount {
                reason: Coded::new(u.reason.code(), u.reason.label()),
                people: 0,
                gap_units: 0,
            });
        r.people += 1;
        r.gap_units += u.gap_units;
    }
    // Those who count towards a target first, then the rest.
    let mut unplaced: Vec<&nangluc_planning::proposal::Unplaced> = p.unplaced.iter().collect();
    unplaced.sort_by_key(|u| {
        (
            u.reason == UnplacedReason::BeyondNeed,
            u.priority,
            u.deadline,
        )
    });
    ProposalView {
        id: row.id,
        plan_id: draft.plan_id.clone(),
        plan_name: draft.plan_name.clone(),
        year: row.year,
        horizon: row.horizon,
        version: row.version,
        created_at: Moment(row.created_at),
        created_by: row.created_by.clone(),
        updated_at: Moment(row.updated_at),
        updated_by: row.updated_by.clone(),
        class_min: p.settings.class_min,
        class_max: p.settings.class_max,
        ceiling: draft.ceiling.clone(),
        ceiling_label: ceiling_label(&draft.ceiling),
        funding: f.clone(),
        total_cost: p.total_cost(),
        years: years.into_values().collect(),
        unfunded,
        unplaced_by_reason: by_reason.into_values().collect(),
        unplaced_total: unplaced.len(),
        unplaced: unplaced
            .into_iter()
            .take(UNPLACED_SHOWN)
            .map(|u| UnplacedView {
                person_id: u.person_id,
                name: u.name.clone(),
                unit_code: u.unit_code.clone(),
                programme: u.programme.clone(),
                priority: Coded::new(u.priority.code(), u.priority.label()),
                deadline: u.deadline.map(Day),
                gap_units: u.gap_units,
                reason: Coded::new(u.reason.code(), u.reason.label()),
            })
            .collect(),
        warnings: p.check(),
        needs: draft.needs.clone(),
        skipped: draft.skipped.clone(),
        by_target: f.by_target.clone(),
        events,
        can_edit,
        can_read_config,
        unverified_norms: p.classes.iter().any(|c| c.estimate.unverified),
    }
}

pub fn view(store: &mut Store, v: &Viewer, id: i64) -> Result<ProposalView, AppError> {
    reads(v)?;
    let (row, draft) = load(store, id)?;
    let events = store
        .proposal_events(id)?
        .into_iter()
        .map(|e| EventView {
            at: Moment(e.at),
            actor: e.actor,
            action: action_label(&e.action).to_string(),
            detail: e.detail,
        })
        .collect();
    Ok(view_of(
        &draft,
        &row,
        events,
        v.role == Role::Admin,
        reads_config(v).is_ok(),
    ))
}

#[derive(Debug, Clone, Serialize)]
pub struct DraftSummary {
    pub id: i64,
    pub plan_id: String,
    pub year: i32,
    pub horizon: i32,
    pub created_at: Moment,
    pub created_by: String,
    pub updated_at: Moment,
    pub updated_by: String,
    pub classes: usize,
    pub funded: usize,
    pub cost_funded: i64,
    pub gap_closed: u32,
    pub ceiling: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct Overview {
    pub drafts: Vec<DraftSummary>,
    pub can_create: bool,
    /// The configuration page is the Sở Nội vụ's and finance's.
    pub can_read_config: bool,
    pub plan_name: Option<String>,
    /// The form's defaults.
    pub year: i32,
    pub horizon: Option<i32>,
}

pub fn overview(
    store: &mut Store,
    plan: Option<&ActivePlan>,
    v: &Viewer,
    today: NaiveDate,
) -> Result<Overview, AppError> {
    reads(v)?;
    let mut drafts = Vec::new();
    for row in store.proposals()? {
        let d = from_json(&row.draft)?;
        drafts.push(DraftSummary {
            id: row.id,
            plan_id: row.plan_id.clone(),
            year: row.year,
            horizon: row.horizon,
            created_at: Moment(row.created_at),
            created_by: row.created_by,
            updated_at: Moment(row.updated_at),
            updated_by: row.updated_by,
            classes: d.proposal.classes.len(),
            funded: d.funding.funded.len(),
            cost_funded: d.funding.cost_funded,
            gap_closed: d.funding.gap_closed,
            ceiling: ceiling_label(&d.ceiling),
        });
    }
    let year = today.year() + 1;
    Ok(Overview {
        drafts,
        can_create: v.role == Role::Admin && plan.is_some(),
        can_read_config: reads_config(v).is_ok(),
        plan_name: plan.map(|p| p.plan().name.clone()),
        year,
        horizon: plan.map(|p| default_horizon(&p.plan(), year)),
    })
}

// ---------------------------------------------------------------- the workbook

/// The draft as a workbook: the classes, the unfunded classes, the people
/// not placed.
pub fn workbook(view: &ProposalView, draft: &Draft) -> Result<Vec<u8>, AppError> {
    let subtitle = format!(
        "{} — năm {}–{}, trần kinh phí {}. {}",
        view.plan_name, view.year, view.horizon, view.ceiling_label, view.funding.summary
    );
    let classes = Sheet {
        sheet: "Lớp đề xuất".into(),
        title: format!("Dự thảo đề xuất lớp đào tạo, bồi dưỡng số {}", view.id),
        subtitle: subtitle.clone(),
        columns: [
            ("Năm", 7.0),
            ("Mã lớp", 24.0),
            ("Chương trình", 40.0),
            ("Cơ sở đào tạo", 36.0),
            ("Khai giảng", 12.0),
            ("Kết thúc", 12.0),
            ("Hình thức", 16.0),
            ("Sĩ số", 8.0),
            ("Dự toán (đồng)", 16.0),
            ("Khoảng thiếu thu hẹp", 12.0),
            ("Người có hạn (loại E)", 12.0),
            ("Hạn sớm nhất", 12.0),
            ("Học viên trễ hạn", 10.0),
            ("Có kinh phí", 10.0),
        ]
        .iter()
        .map(|(h, w)| (h.to_string(), *w))
        .collect(),
        text_columns: vec![1],
        rows: view
            .years
            .iter()
            .flat_map(|y| &y.classes)
            .map(|c| {
                vec![
                    Cell::Int(i64::from(c.year)),
                    Cell::text(&c.code),
                    Cell::text(&c.programme_name),
                    Cell::text(&c.institution_name),
                    Cell::Date(c.starts_on.0),
                    Cell::Date(c.ends_on.0),
                    Cell::text(&c.form.label),
                    Cell::Int(i64::from(c.size)),
                    Cell::Int(c.cost),
                    Cell::Int(i64::from(c.gap_units)),
                    Cell::Int(i64::from(c.e_people)),
                    Cell::opt_date(c.deadline.map(|d| d.0)),
                    Cell::Int(i64::from(c.late_seats)),
                    Cell::yes(c.funded),
                ]
            })
            .collect(),
    };
    let unfunded = Sheet {
        sheet: "Chưa có kinh phí".into(),
        title: "Các lớp chưa được bố trí kinh phí".into(),
        subtitle: subtitle.clone(),
        columns: [
            ("Năm", 7.0),
            ("Mã lớp", 24.0),
            ("Chương trình", 16.0),
            ("Sĩ số", 8.0),
            ("Dự toán (đồng)", 16.0),
            ("Khoảng thiếu", 12.0),
            ("Người có hạn (loại E)", 12.0),
            ("Lý do", 60.0),
        ]
        .iter()
        .map(|(h, w)| (h.to_string(), *w))
        .collect(),
        text_columns: vec![1, 2],
        rows: view
            .unfunded
            .iter()
            .map(|u| {
                vec![
                    Cell::Int(i64::from(u.year)),
                    Cell::text(&u.code),
                    Cell::text(&u.programme),
                    Cell::Int(i64::from(u.size)),
                    Cell::Int(u.cost),
                    Cell::Int(i64::from(u.gap_units)),
                    Cell::Int(i64::from(u.e_people)),
                    Cell::text(&u.why),
                ]
            })
            .collect(),
    };
    let unplaced = Sheet {
        sheet: "Chưa xếp lớp".into(),
        title: "Người cần đào tạo, bồi dưỡng chưa được xếp lớp".into(),
        subtitle,
        columns: [
            ("Mã số", 10.0),
            ("Họ và tên", 28.0),
            ("Đơn vị", 12.0),
            ("Chương trình", 16.0),
            ("Ưu tiên", 40.0),
            ("Hạn", 12.0),
            ("Khoảng thiếu", 10.0),
            ("Lý do", 50.0),
        ]
        .iter()
        .map(|(h, w)| (h.to_string(), *w))
        .collect(),
        text_columns: vec![2, 3],
        rows: draft
            .proposal
            .unplaced
            .iter()
            .map(|u| {
                vec![
                    Cell::Int(u.person_id),
                    Cell::text(&u.name),
                    Cell::opt_text(u.unit_code.as_deref()),
                    Cell::text(&u.programme),
                    Cell::text(u.priority.label()),
                    Cell::opt_date(u.deadline),
                    Cell::Int(i64::from(u.gap_units)),
                    Cell::text(u.reason.label()),
                ]
            })
            .collect(),
    };
    write_tables_to_bytes(&[classes, unfunded, unplaced])
        .map_err(|e| AppError::Internal(format!("không ghi được tệp Excel: {e}")))
}

pub fn export(store: &mut Store, v: &Viewer, id: i64) -> Result<(Vec<u8>, String), AppError> {
    let view = view(store, v, id)?;
    let (_, draft) = load(store, id)?;
    Ok((
        workbook(&view, &draft)?,
        format!("de-xuat-lop-{}-{}.xlsx", view.id, view.year),
    ))
}

// ---------------------------------------------------------------- configuration pages

#[derive(Debug, Clone, Serialize)]
pub struct NormView {
    pub id: i64,
    pub issuer: Option<String>,
    pub form: Option<Coded>,
    pub item: Coded,
    pub basis: Coded,
    pub amount: i64,
    pub valid_from: Day,
    pub valid_to: Option<Day>,
    pub source: String,
    pub unverified: bool,
    pub recorded_by: String,
    pub recorded_at: Moment,
}

#[derive(Debug, Clone, Serialize)]
pub struct OfferView {
    pub programme: String,
    pub programme_name: String,
    pub form: Coded,
    pub sessions: i64,
    pub study_days: i64,
    pub duration_days: i64,
    pub institutions: Vec<String>,
    /// Targets of the active plan it closes.
    pub targets: Vec<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct CapacityView {
    pub institution: String,
    pub institution_name: String,
    pub classes_per_year: i64,
    pub province: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ConfigView {
    pub norms: Vec<NormView>,
    pub offers: Vec<OfferView>,
    pub capacity: Vec<CapacityView>,
    /// (target id, wording, programme) of the active plan's person targets.
    pub targets: Vec<(String, String, Option<String>)>,
    pub can_edit_norms: bool,
    pub can_edit_offers: bool,
    pub items: Vec<Coded>,
    pub bases: Vec<Coded>,
    pub forms: Vec<Coded>,
    pub programmes: Vec<(String, String)>,
    pub institutions: Vec<(String, String)>,
}

fn coded<T: Copy>(x: T, code: fn(T) -> &'static str, label: fn(T) -> &'static str) -> Coded {
    Coded::new(code(x), label(x))
}

pub fn config_view(
    store: &mut Store,
    plan: Option<&ActivePlan>,
    v: &Viewer,
) -> Result<ConfigView, AppError> {
    reads_config(v)?;
    let cat = catalogue(store)?;
    let norms = store
        .cost_norms()?
        .into_iter()
        .map(|r| {
            let rate = rate_of(&r.norm)?;
            Ok(NormView {
                id: r.id,
                issuer: r.norm.issuer,
                form: rate
                    .form
                    .map(|f| coded(f, StudyForm::code, StudyForm::label)),
                item: coded(rate.item, CostItem::code, CostItem::label),
                basis: coded(rate.basis, CostBasis::code, CostBasis::label),
                amount: r.norm.amount,
                valid_from: Day(r.norm.valid_from),
                valid_to: r.norm.valid_to.map(Day),
                source: r.norm.source,
                unverified: r.norm.unverified,
                recorded_by: r.stamp.actor,
                recorded_at: Moment(r.stamp.at),
            })
        })
        .collect::<Result<_, AppError>>()?;
    let map = match plan {
        Some(p) => programme_map(store, &p.plan())?,
        None => ProgrammeMap::default(),
    };
    let offers = store
        .programme_offers()?
        .into_iter()
        .map(|o| {
            let form = StudyForm::from_code(&o.form);
            OfferView {
                programme_name: cat
                    .programmes
                    .get(&o.programme)
                    .map(|x| x.1.clone())
                    .unwrap_or_default(),
                targets: map
                    .by_target
                    .iter()
                    .filter(|(_, p)| **p == o.programme)
                    .map(|(t, _)| t.clone())
                    .collect(),
                form: form
                    .map(|f| coded(f, StudyForm::code, StudyForm::label))
                    .unwrap_or_else(|| Coded::new(o.form.clone(), o.form.clone())),
                programme: o.programme,
                sessions: o.sessions,
                study_days: o.study_days,
                duration_days: o.duration_days,
                institutions: o.institutions,
            }
        })
        .collect();
    let capacity = store
        .institution_capacities()?
        .into_iter()
        .map(|c| CapacityView {
            institution_name: cat
                .institutions
                .get(&c.institution)
                .map(|x| x.1.clone())
                .unwrap_or_default(),
            institution: c.institution,
            classes_per_year: c.classes_per_year,
            province: c.province,
        })
        .collect();
    let targets = plan
        .map(|p| {
            p.plan()
                .targets
                .iter()
                .filter(|t| {
                    !matches!(
                        t.kind,
                        nangluc_engine::plan::Kind::Quota
                            | nangluc_engine::plan::Kind::Classes
                            | nangluc_engine::plan::Kind::LecturerRatio
                    )
                })
                .map(|t| {
                    (
                        t.id.clone(),
                        t.wording.clone(),
                        map.by_target.get(&t.id).cloned(),
                    )
                })
                .collect()
        })
        .unwrap_or_default();
    Ok(ConfigView {
        norms,
        offers,
        capacity,
        targets,
        can_edit_norms: edits_norms(v).is_ok(),
        can_edit_offers: edits(v).is_ok(),
        items: CostItem::ALL
            .iter()
            .map(|x| coded(*x, CostItem::code, CostItem::label))
            .collect(),
        bases: CostBasis::ALL
            .iter()
            .map(|x| coded(*x, CostBasis::code, CostBasis::label))
            .collect(),
        forms: StudyForm::ALL
            .iter()
            .map(|x| coded(*x, StudyForm::code, StudyForm::label))
            .collect(),
        programmes: cat
            .programmes
            .iter()
            .map(|(c, (_, n))| (c.clone(), n.clone()))
            .collect(),
        institutions: cat
            .institutions
            .iter()
            .map(|(c, (_, n))| (c.clone(), n.clone()))
            .collect(),
    })
}

/// A cost norm as a form or the API gives it (codes as text, checked here).
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
pub struct NormInput {
    #[serde(default)]
    pub issuer: Option<String>,
    #[serde(default)]
    pub form: Option<String>,
    pub item: String,
    pub basis: String,
    pub amount: i64,
    pub valid_from: NaiveDate,
    #[serde(default)]
    pub valid_to: Option<NaiveDate>,
    pub source: String,
    #[serde(default)]
    pub unverified: bool,
}

fn trimmed(s: &Option<String>) -> Option<String> {
    s.as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
}

/// Checks a cost norm: every mistake named with its field, in Vietnamese.
pub fn checked_norm(n: &NormInput) -> Result<NewCostNorm, AppError> {
    let mut errors = Vec::new();
    let item = n.item.trim();
    if CostItem::from_code(item).is_none() {
        errors.push(format!("Khoản chi: không có khoản «{item}»."));
    }
    let basis = n.basis.trim();
    if CostBasis::from_code(basis).is_none() {
        errors.push(format!("Cách tính: không có cách tính «{basis}»."));
    }
    let form = trimmed(&n.form);
    if let Some(f) = &form
        && StudyForm::from_code(f).is_none()
    {
        errors.push(format!("Hình thức học: không có hình thức «{f}»."));
    }
    if n.amount < 0 {
        errors.push("Mức chi: không được âm.".into());
    }
    if n.amount > 1_000_000_000_000 {
        errors.push("Mức chi: quá lớn (tối đa 1.000 tỷ đồng).".into());
    }
    if let Some(to) = n.valid_to
        && to <= n.valid_from
    {
        errors.push(format!(
            "Hiệu lực đến: ngày {} phải sau ngày bắt đầu hiệu lực {}.",
            Day(to),
            Day(n.valid_from)
        ));
    }
    let source = n.source.trim();
    if source.is_empty() {
        errors.push("Văn bản quy định: không được để trống (số nghị quyết, thông tư…).".into());
    }
    if !errors.is_empty() {
        return Err(AppError::BadRequest(errors.join(" ")));
    }
    Ok(NewCostNorm {
        issuer: trimmed(&n.issuer),
        form,
        item: item.to_string(),
        basis: basis.to_string(),
        amount: n.amount,
        valid_from: n.valid_from,
        valid_to: n.valid_to,
        source: source.to_string(),
        unverified: n.unverified,
    })
}

pub fn add_norm(
    store: &mut Store,
    v: &Viewer,
    n: &NormInput,
    now: DateTime<Utc>,
) -> Result<i64, AppError> {
    edits_norms(v)?;
    let norm = checked_norm(n)?;
    let ids = store.add_cost_norms(&[norm], &Stamp::new(v.username.clone(), now))?;
    Ok(ids[0])
}

pub fn remove_norm(store: &mut Store, v: &Viewer, id: i64) -> Result<(), AppError> {
    edits_norms(v)?;
    store.remove_cost_norm(id).map_err(|e| match e {
        StoreError::EntityNotFound { .. } => AppError::NotFound(format!("định mức số {id}")),
        e => e.into(),
    })
}

/// How a programme is run, as the form gives it.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
pub struct OfferInput {
    pub programme: String,
    pub form: String,
    pub sessions: i64,
    pub study_days: i64,
    pub duration_days: i64,
    /// Institution codes, preferred first.
    pub institutions: Vec<String>,
    /// Targets of the active plan this programme closes (replacing those
    /// recorded for it); `None`: leave them.
    #[serde(default)]
    pub targets: Option<Vec<String>>,
}

pub fn set_offer(
    store: &mut Store,
    plan: Option<&ActivePlan>,
    v: &Viewer,
    o: &OfferInput,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    edits(v)?;
    let cat = catalogue(store)?;
    let mut errors = Vec::new();
    let programme = o.programme.trim().to_string();
    if !cat.programmes.contains_key(&programme) {
        errors.push(format!(
            "Chương trình: không có mã «{programme}» trong danh mục."
        ));
    }
    if StudyForm::from_code(o.form.trim()).is_none() {
        errors.push(format!("Hình thức học: không có hình thức «{}».", o.form));
    }
    for (what, n, min) in [
        ("Số buổi giảng", o.sessions, 0),
        ("Số ngày học", o.study_days, 0),
        ("Số ngày từ khai giảng đến kết thúc", o.duration_days, 1),
    ] {
        if n < min || n > 3650 {
            errors.push(format!("{what}: phải từ {min} đến 3.650 (đã ghi {n})."));
        }
    }
    if o.study_days > o.duration_days {
        errors.push("Số ngày học không được nhiều hơn số ngày từ khai giảng đến kết thúc.".into());
    }
    let institutions: Vec<String> = o
        .institutions
        .iter()
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
        .collect();
    if institutions.is_empty() {
        errors.push("Cơ sở đào tạo: ghi ít nhất một mã cơ sở.".into());
    }
    for i in &institutions {
        if !cat.institutions.contains_key(i) {
            errors.push(format!("Cơ sở đào tạo: không có mã «{i}» trong danh mục."));
        }
    }
    let mut pairs = Vec::new();
    if let (Some(targets), Some(p)) = (&o.targets, plan) {
        let period = p.plan();
        let map = programme_map(store, &period)?;
        let wanted: BTreeSet<String> = targets
            .iter()
            .map(|t| t.trim().to_string())
            .filter(|t| !t.is_empty())
            .collect();
        for t in &wanted {
            if !period.targets.iter().any(|x| &x.id == t) {
                errors.push(format!(
                    "Chỉ tiêu: kế hoạch giai đoạn không có chỉ tiêu «{t}»."
                ));
            }
            pairs.push((t.clone(), Some(programme.clone())));
        }
        for (t, prog) in &map.by_target {
            if *prog == programme && !wanted.contains(t) {
                pairs.push((t.clone(), None));
            }
        }
    }
    if !errors.is_empty() {
        return Err(AppError::BadRequest(errors.join(" ")));
    }
    let stamp = Stamp::new(v.username.clone(), now);
    store.set_programme_offers(
        &[OfferRow {
            programme,
            form: o.form.trim().to_string(),
            sessions: o.sessions,
            study_days: o.study_days,
            duration_days: o.duration_days,
            institutions,
        }],
        &stamp,
    )?;
    if let Some(p) = plan
        && !pairs.is_empty()
    {
        store.set_target_programmes(&p.plan().id, &pairs, &stamp)?;
    }
    Ok(())
}

#[derive(Debug, Clone, Default, Deserialize, Serialize)]
pub struct CapacityInput {
    pub institution: String,
    pub classes_per_year: i64,
    #[serde(default)]
    pub province: Option<String>,
}

pub fn set_capacity(
    store: &mut Store,
    v: &Viewer,
    c: &CapacityInput,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    edits(v)?;
    let cat = catalogue(store)?;
    let mut errors = Vec::new();
    let institution = c.institution.trim().to_string();
    if !cat.institutions.contains_key(&institution) {
        errors.push(format!(
            "Cơ sở đào tạo: không có mã «{institution}» trong danh mục."
        ));
    }
    if !(0..=1000).contains(&c.classes_per_year) {
        errors.push(format!(
            "Số lớp mỗi năm: phải từ 0 đến 1.000 (đã ghi {}).",
            c.classes_per_year
        ));
    }
    if !errors.is_empty() {
        return Err(AppError::BadRequest(errors.join(" ")));
    }
    store.set_institution_capacities(
        &[CapacityRow {
            institution,
            classes_per_year: c.classes_per_year,
            province: trimmed(&c.province),
        }],
        &Stamp::new(v.username.clone(), now),
    )?;
    Ok(())
}

// ---------------------------------------------------------------- the demo

/// The demo province's configuration: the placeholder national norms, how
/// its classed programmes are run and by whom, each institution's capacity,
/// and which programme closes which target of the Tây Ninh plan. Written
/// only when no cost norm is recorded yet. Gives the number of rows written.
pub fn seed_demo_config(store: &mut Store, now: DateTime<Utc>) -> Result<usize, AppError> {
    if !store.cost_norms()?.is_empty() {
        return Ok(0);
    }
    let stamp = Stamp::new("demo", now);
    let norms: Vec<NewCostNorm> = CostNorms::placeholder()
        .rates
        .iter()
        .map(|r| NewCostNorm {
            issuer: r.province.clone(),
            form: r.form.map(|f| f.code().to_string()),
            item: r.item.code().to_string(),
            basis: r.basis.code().to_string(),
            amount: r.amount,
            valid_from: r.from,
            valid_to: r.to,
            source: r.source.clone(),
            unverified: r.unverified,
        })
        .collect();
    let mut written = store.add_cost_norms(&norms, &stamp)?.len();
    let cat = catalogue(store)?;
    // (programme, form, sessions, study days, calendar days, institutions).
    type Offer = (
        &'static str,
        StudyForm,
        i64,
        i64,
        i64,
        &'static [&'static str],
    );
    let offers: &[Offer] = &[
        (
            "LD_PHONG_171",
            StudyForm::FullTime,
            40,
            20,
            28,
            &["TCT.TN", "HVHC"],
        ),
        ("QLNN_CV", StudyForm::PartTime, 50, 25, 70, &["TCT.TN"]),
        (
            "QLNN_CVC",
            StudyForm::PartTime,
            40,
            20,
            56,
            &["TCT.TN", "HVHC"],
        ),
        ("KHMER", StudyForm::PartTime, 50, 25, 70, &["DHTV"]),
        ("TH_CB", StudyForm::PartTime, 30, 15, 42, &["CDTN"]),
        ("CDNN_THPT", StudyForm::PartTime, 30, 15, 42, &["DHSP"]),
        ("DD_VC", StudyForm::Online, 4, 2, 7, &["SNV.TN"]),
        ("HDND", StudyForm::FullTime, 10, 5, 5, &["TCT.TN"]),
        ("KCT", StudyForm::FullTime, 6, 3, 3, &["SNV.TN"]),
        ("PL_CN", StudyForm::FullTime, 4, 2, 2, &["SNV.TN"]),
    ];
    let rows: Vec<OfferRow> = offers
        .iter()
        .filter(|o| cat.programmes.contains_key(o.0))
        .map(|(p, f, s, d, c, i)| OfferRow {
            programme: p.to_string(),
            form: f.code().to_string(),
            sessions: *s,
            study_days: *d,
            duration_days: *c,
            institutions: i
                .iter()
                .filter(|x| cat.institutions.contains_key(**x))
                .map(|x| x.to_string())
                .collect(),
        })
        .filter(|o| !o.institutions.is_empty())
        .collect();
    written += rows.len();
    store.set_programme_offers(&rows, &stamp)?;
    // Classes a year; the province's schools apply its norms ("80": Tây Ninh
    // after the merger).
    let capacity: &[(&str, i64, Option<&str>)] = &[
        ("TCT.TN", 24, Some("80")),
        ("SNV.TN", 30, Some("80")),
        ("HVHC", 4, None),
        ("DHTV", 6, None),
        ("CDTN", 12, Some("80")),
        ("DHSP", 10, None),
    ];
    let rows: Vec<CapacityRow> = capacity
        .iter()
        .filter(|c| cat.institutions.contains_key(c.0))
        .map(|(i, n, p)| CapacityRow {
            institution: i.to_string(),
            classes_per_year: *n,
            province: p.map(str::to_string),
        })
        .collect();
    written += rows.len();
    store.set_institution_capacities(&rows, &stamp)?;
    // The Tây Ninh plan's person targets.
    let targets: &[(&str, &str)] = &[
        ("2b", "LD_PHONG_171"),
        ("2a", "QLNN_CV"),
        ("3", "KHMER"),
        ("4", "TH_CB"),
        ("5", "CDNN_THPT"),
        ("7", "DD_VC"),
        ("8", "HDND"),
        ("11", "KCT"),
    ];
    let pairs: Vec<(String, Option<String>)> = targets
        .iter()
        .map(|(t, p)| (t.to_string(), Some(p.to_string())))
        .collect();
    written += pairs.len();
    store.set_target_programmes("tay-ninh-2021-2025", &pairs, &stamp)?;
    Ok(written)
}
