//! Pages of annual plans, the budget ledger and duties: thin handlers that
//! parse the form, call [`crate::annual`] and render or redirect back.

use askama::Template;
use axum::Form;
use axum::extract::{Multipart, Path, Query, State};
use axum::http::header::{CONTENT_DISPOSITION, CONTENT_TYPE};
use axum::response::{Html, IntoResponse, Redirect, Response};
use nangluc_core::training::FundingSource;
use nangluc_planning::annual::PlanAction;
use serde::Deserialize;

use crate::AppState;
use crate::annual::{self, AllocationInput, DutyUpdateInput, LineInput};
use crate::annual_api::{YearQuery, year_or_next};
use crate::auth::{Role, Viewer};
use crate::error::AppError;
use crate::fmt::{money, number, parse_day};
use crate::pages::Chrome;

fn render<T: Template>(t: &T) -> Result<Response, AppError> {
    Ok(Html(t.render()?).into_response())
}

/// A whole number from a form field (empty: 0); dots and spaces between
/// thousands are accepted, as people write amounts (1.500.000).
fn whole(field: &str, s: &Option<String>) -> Result<i64, AppError> {
    let t: String = s
        .as_deref()
        .unwrap_or("")
        .chars()
        .filter(|c| !matches!(c, '.' | ' ' | '\u{a0}'))
        .collect();
    if t.is_empty() {
        return Ok(0);
    }
    t.parse().map_err(|_| {
        AppError::BadRequest(format!(
            "{field}: «{}» không phải số nguyên.",
            s.as_deref().unwrap_or("")
        ))
    })
}

/// Money in templates.
pub fn dong(n: &i64) -> String {
    money(*n)
}

/// Counts in templates.
pub fn count(n: &i64) -> String {
    number(*n)
}

// ---------------------------------------------------------------- annual plans

#[derive(Template)]
#[template(path = "annual_plans.html")]
struct PlansPage {
    chrome: Chrome,
    o: annual::Overview,
    /// The period plan the year's plans serve.
    period: Option<String>,
    is_hr: bool,
    is_admin: bool,
    docs: bool,
}

pub async fn plans(
    State(state): State<AppState>,
    v: Viewer,
    Query(q): Query<YearQuery>,
) -> Result<Response, AppError> {
    let today = state.clock.today();
    let year = year_or_next(&q, today);
    let viewer = v.clone();
    let o = state
        .pool
        .run(move |s| annual::overview(s, &viewer, year, today))
        .await?;
    render(&PlansPage {
        chrome: Chrome::new(
            &v,
            format!("Kế hoạch đào tạo, bồi dưỡng năm {year}"),
            "/annual-plans",
        ),
        period: state.plan.as_ref().map(|p| p.plan().name.clone()),
        is_hr: v.role == Role::UnitHr,
        is_admin: v.role == Role::Admin,
        docs: matches!(v.role, Role::Admin | Role::Finance | Role::Leader) && state.plan.is_some(),
        o,
    })
}

#[derive(Debug, Deserialize)]
pub struct CreateForm {
    csrf: Option<String>,
    unit_id: Option<i64>,
    year: i32,
}

pub async fn create_plan(
    State(state): State<AppState>,
    v: Viewer,
    Form(f): Form<CreateForm>,
) -> Result<Response, AppError> {
    v.check_csrf(f.csrf.as_deref())?;
    let now = state.clock.now();
    let id = state
        .pool
        .run(move |s| annual::create_plan(s, &v, f.unit_id, f.year, now))
        .await?;
    Ok(Redirect::to(&format!("/annual-plans/{id}")).into_response())
}

#[derive(Template)]
#[template(path = "annual_plan.html")]
struct PlanPage {
    chrome: Chrome,
    p: annual::PlanView,
}

pub async fn plan(
    State(state): State<AppState>,
    v: Viewer,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let today = state.clock.today();
    let plan = state.plan.clone();
    let viewer = v.clone();
    let p = state
        .pool
        .run(move |s| annual::plan_view(s, plan.as_deref(), &viewer, id, today))
        .await?;
    render(&PlanPage {
        chrome: Chrome::new(
            &v,
            format!("Kế hoạch năm {} — {}", p.plan.year, p.plan.unit.name),
            "/annual-plans",
        ),
        p,
    })
}

#[derive(Debug, Deserialize)]
pub struct LineForm {
    csrf: Option<String>,
    programme: String,
    target_id: Option<String>,
    classes: Option<String>,
    person_times: Option<String>,
    cost_state_budget: Option<String>,
    cost_unit: Option<String>,
    cost_learner: Option<String>,
    cost_sponsor: Option<String>,
    note: Option<String>,
    /// Ids of the people, separated by commas or spaces.
    people: Option<String>,
}

impl LineForm {
    fn input(&self) -> Result<LineInput, AppError> {
        let people = self
            .people
            .as_deref()
            .unwrap_or("")
            .split(|c: char| c == ',' || c == ';' || c.is_whitespace())
            .filter(|s| !s.is_empty())
            .map(|s| {
                s.parse::<i64>()
                    .map_err(|_| AppError::BadRequest(format!("«{s}» không phải mã số người.")))
            })
            .collect::<Result<Vec<_>, _>>()?;
        Ok(LineInput {
            programme: self.programme.clone(),
            target_id: self.target_id.clone(),
            classes: whole("Số lớp", &self.classes)?,
            person_times: whole("Số lượt người", &self.person_times)?,
            cost_state_budget: whole("Ngân sách nhà nước", &self.cost_state_budget)?,
            cost_unit: whole("Kinh phí đơn vị", &self.cost_unit)?,
            cost_learner: whole("Người học đóng góp", &self.cost_learner)?,
            cost_sponsor: whole("Tài trợ", &self.cost_sponsor)?,
            note: self.note.clone(),
            people,
        })
    }
}

pub async fn add_line(
    State(state): State<AppState>,
    v: Viewer,
    Path(id): Path<i64>,
    Form(f): Form<LineForm>,
) -> Result<Response, AppError> {
    v.check_csrf(f.csrf.as_deref())?;
    let input = f.input()?;
    let now = state.clock.now();
    let plan = state.plan.clone();
    state
        .pool
        .run(move |s| annual::add_line(s, plan.as_deref(), &v, id, &input, now))
        .await?;
    Ok(Redirect::to(&format!("/annual-plans/{id}")).into_response())
}

#[derive(Debug, Deserialize)]
pub struct CsrfOnly {
    csrf: Option<String>,
}

pub async fn remove_line(
    State(state): State<AppState>,
    v: Viewer,
    Path((id, line)): Path<(i64, i64)>,
    Form(f): Form<CsrfOnly>,
) -> Result<Response, AppError> {
    v.check_csrf(f.csrf.as_deref())?;
    let now = state.clock.now();
    state
        .pool
        .run(move |s| annual::remove_line(s, &v, id, line, now))
        .await?;
    Ok(Redirect::to(&format!("/annual-plans/{id}")).into_response())
}

#[derive(Debug, Deserialize)]
pub struct ActForm {
    csrf: Option<String>,
    action: String,
    comment: Option<String>,
}

pub async fn act(
    State(state): State<AppState>,
    v: Viewer,
    Path(id): Path<i64>,
    Form(f): Form<ActForm>,
) -> Result<Response, AppError> {
    v.check_csrf(f.csrf.as_deref())?;
    let action = PlanAction::from_code(&f.action)
        .ok_or_else(|| AppError::BadRequest(format!("Không có thao tác «{}».", f.action)))?;
    let now = state.clock.now();
    state
        .pool
        .run(move |s| annual::act(s, &v, id, action, f.comment.as_deref(), now))
        .await?;
    Ok(Redirect::to(&format!("/annual-plans/{id}")).into_response())
}

#[derive(Debug, Deserialize)]
pub struct ApproveForm {
    csrf: Option<String>,
    decision: Option<String>,
}

pub async fn aggregate(
    State(state): State<AppState>,
    v: Viewer,
    Path(year): Path<i32>,
    Form(f): Form<CsrfOnly>,
) -> Result<Response, AppError> {
    v.check_csrf(f.csrf.as_deref())?;
    let now = state.clock.now();
    state
        .pool
        .run(move |s| annual::aggregate(s, &v, year, now))
        .await?;
    Ok(Redirect::to(&format!("/annual-plans?year={year}")).into_response())
}

pub async fn approve(
    State(state): State<AppState>,
    v: Viewer,
    Path(year): Path<i32>,
    Form(f): Form<ApproveForm>,
) -> Result<Response, AppError> {
    v.check_csrf(f.csrf.as_deref())?;
    let now = state.clock.now();
    state
        .pool
        .run(move |s| annual::approve(s, &v, year, f.decision.as_deref(), now))
        .await?;
    Ok(Redirect::to(&format!("/annual-plans?year={year}")).into_response())
}

// ---------------------------------------------------------------- budget

#[derive(Template)]
#[template(path = "budget.html")]
struct BudgetPage {
    chrome: Chrome,
    b: annual::BudgetView,
    /// The variance three ways: by unit, by source, by programme.
    sections: Vec<(&'static str, Vec<annual::VarianceLine>)>,
    sources: Vec<(&'static str, &'static str)>,
}

pub async fn budget(
    State(state): State<AppState>,
    v: Viewer,
    Query(q): Query<YearQuery>,
) -> Result<Response, AppError> {
    let today = state.clock.today();
    let year = year_or_next(&q, today);
    let viewer = v.clone();
    let b = state
        .pool
        .run(move |s| annual::budget_view(s, &viewer, year, today))
        .await?;
    render(&BudgetPage {
        chrome: Chrome::new(
            &v,
            format!("Kinh phí đào tạo, bồi dưỡng năm {year}"),
            "/budget",
        ),
        sections: vec![
            ("Theo đơn vị", b.by_unit.clone()),
            ("Theo nguồn kinh phí", b.by_source.clone()),
            ("Theo chương trình", b.by_programme.clone()),
        ],
        b,
        sources: FundingSource::ALL
            .iter()
            .map(|s| (s.code(), s.label()))
            .collect(),
    })
}

#[derive(Debug, Deserialize)]
pub struct AllocationForm {
    csrf: Option<String>,
    year: i32,
    unit_id: i64,
    source: String,
    programme: Option<String>,
    amount: Option<String>,
    note: Option<String>,
}

pub async fn add_allocation(
    State(state): State<AppState>,
    v: Viewer,
    Form(f): Form<AllocationForm>,
) -> Result<Response, AppError> {
    v.check_csrf(f.csrf.as_deref())?;
    let input = AllocationInput {
        year: f.year,
        unit_id: f.unit_id,
        source: FundingSource::from_code(&f.source).ok_or_else(|| {
            AppError::BadRequest(format!("Không có nguồn kinh phí «{}».", f.source))
        })?,
        programme: f.programme,
        amount: whole("Số tiền", &f.amount)?,
        note: f.note,
    };
    let year = f.year;
    let now = state.clock.now();
    state
        .pool
        .run(move |s| annual::add_allocation(s, &v, &input, now))
        .await?;
    Ok(Redirect::to(&format!("/budget?year={year}")).into_response())
}

/// Finance settles a finished class from the budget page: one amount paid
/// per unit and source committed (`paid_<unit>_<source>`), and the voucher.
pub async fn settle_class(
    State(state): State<AppState>,
    v: Viewer,
    Path(id): Path<i64>,
    Form(f): Form<std::collections::HashMap<String, String>>,
) -> Result<Response, AppError> {
    v.check_csrf(f.get("csrf").map(String::as_str))?;
    annual::keeps_class_budget(&v)?;
    let settled_on = match f
        .get("settled_on")
        .map(|s| s.trim())
        .filter(|s| !s.is_empty())
    {
        Some(s) => parse_day(s)
            .ok_or_else(|| AppError::BadRequest(format!("'{s}' không phải ngày hợp lệ.")))?,
        None => state.clock.today(),
    };
    let document = f
        .get("document")
        .map(|d| d.trim().to_string())
        .filter(|d| !d.is_empty());
    let mut payments = Vec::new();
    let mut keys: Vec<&String> = f.keys().filter(|k| k.starts_with("paid_")).collect();
    keys.sort();
    for key in keys {
        let mut parts = key["paid_".len()..].splitn(2, '_');
        let (Some(unit), Some(source)) = (parts.next(), parts.next()) else {
            continue;
        };
        let unit_id: i64 = unit
            .parse()
            .map_err(|_| AppError::BadRequest(format!("Trường «{key}» không hợp lệ.")))?;
        let source = FundingSource::from_code(source)
            .ok_or_else(|| AppError::BadRequest(format!("Không có nguồn «{source}».")))?;
        payments.push(annual::Payment {
            unit_id,
            source,
            amount: whole("Số tiền đã chi", &f.get(key).cloned())?,
            document: document.clone(),
        });
    }
    let year = settled_on.format("%Y").to_string();
    let now = state.clock.now();
    let actor = v.username.clone();
    state
        .pool
        .run(move |s| annual::settle_class_budget(s, &actor, id, settled_on, &payments, now))
        .await?;
    Ok(Redirect::to(&format!(
        "/budget?year={}",
        f.get("year").cloned().unwrap_or(year)
    ))
    .into_response())
}

// ---------------------------------------------------------------- duties

#[derive(Template)]
#[template(path = "duties.html")]
struct DutiesPage {
    chrome: Chrome,
    d: annual::DutiesView,
    has_plan: bool,
}

pub async fn duties(State(state): State<AppState>, v: Viewer) -> Result<Response, AppError> {
    let today = state.clock.today();
    let viewer = v.clone();
    let d = state
        .pool
        .run(move |s| annual::duties_view(s, &viewer, today))
        .await?;
    render(&DutiesPage {
        chrome: Chrome::new(&v, "Phân công trách nhiệm", "/duties"),
        d,
        has_plan: state.plan.is_some(),
    })
}

pub async fn import_duties(
    State(state): State<AppState>,
    v: Viewer,
    Form(f): Form<CsrfOnly>,
) -> Result<Response, AppError> {
    v.check_csrf(f.csrf.as_deref())?;
    let plan = state
        .plan
        .clone()
        .ok_or_else(|| AppError::NotFound("kế hoạch giai đoạn đang áp dụng".into()))?;
    let now = state.clock.now();
    state
        .pool
        .run(move |s| annual::import_duties(s, &v, &plan.plan(), now))
        .await?;
    Ok(Redirect::to("/duties").into_response())
}

#[derive(Debug, Deserialize)]
pub struct NewDutyForm {
    csrf: Option<String>,
    code: String,
    task: String,
    lead: String,
    /// One per line or separated by ";".
    partners: Option<String>,
    products: Option<String>,
    when: String,
}

pub async fn create_duty(
    State(state): State<AppState>,
    v: Viewer,
    Form(f): Form<NewDutyForm>,
) -> Result<Response, AppError> {
    v.check_csrf(f.csrf.as_deref())?;
    let input = annual::DutyInput {
        code: f.code,
        task: f.task,
        lead: f.lead,
        partners: f
            .partners
            .unwrap_or_default()
            .split([';', '\n'])
            .map(str::to_string)
            .collect(),
        products: f.products,
        when: f.when,
    };
    let now = state.clock.now();
    let id = state
        .pool
        .run(move |s| annual::create_duty(s, &v, &input, now))
        .await?;
    Ok(Redirect::to(&format!("/duties/{id}")).into_response())
}

#[derive(Template)]
#[template(path = "duty.html")]
struct DutyPage {
    chrome: Chrome,
    d: annual::DutyView,
}

pub async fn duty(
    State(state): State<AppState>,
    v: Viewer,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let today = state.clock.today();
    let viewer = v.clone();
    let d = state
        .pool
        .run(move |s| annual::duty_view(s, &viewer, id, today))
        .await?;
    render(&DutyPage {
        chrome: Chrome::new(&v, format!("Nhiệm vụ {}", d.duty.code), "/duties"),
        d,
    })
}

/// The update form is `multipart/form-data`: it may carry a file (the
/// report, the decision) with the update.
#[derive(Debug, Deserialize)]
pub struct CommentForm {
    csrf: Option<String>,
    #[serde(default)]
    note: String,
}

/// `POST /duties/{id}/comments`: a partner's comment, from the duty's page.
pub async fn add_duty_comment(
    State(state): State<AppState>,
    v: Viewer,
    Path(id): Path<i64>,
    Form(f): Form<CommentForm>,
) -> Result<Response, AppError> {
    v.check_csrf(f.csrf.as_deref())?;
    let now = state.clock.now();
    state
        .pool
        .run(move |s| annual::add_duty_comment(s, &v, id, &f.note, now))
        .await?;
    Ok(Redirect::to(&format!("/duties/{id}")).into_response())
}

pub async fn add_duty_update(
    State(state): State<AppState>,
    v: Viewer,
    Path(id): Path<i64>,
    mut form: Multipart,
) -> Result<Response, AppError> {
    let bad = |e: axum::extract::multipart::MultipartError| {
        AppError::BadRequest(format!("Biểu mẫu gửi lên không hợp lệ: {e}."))
    };
    let mut fields: Vec<(String, String)> = Vec::new();
    let mut file = None;
    while let Some(part) = form.next_field().await.map_err(bad)? {
        let name = part.name().unwrap_or_default().to_string();
        match part.file_name().map(str::to_string) {
            Some(file_name) if name == "file" => {
                let content_type = part.content_type().unwrap_or("application/octet-stream").to_string();
                let data = part.bytes().await.map_err(bad)?;
                if !file_name.is_empty() && !data.is_empty() {
                    file = Some((file_name, content_type, data.to_vec()));
                }
            }
            Some(_) => {}
            None => fields.push((name, part.text().await.map_err(bad)?)),
        }
    }
    let field = |name: &str| fields.iter().find(|(n, _)| n == name).map(|(_, v)| v.clone());
    v.check_csrf(field("csrf").as_deref())?;
    let deadline = match field("deadline")
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
    {
        None => None,
        Some(s) => Some(
            parse_day(s)
                .ok_or_else(|| AppError::BadRequest(format!("'{s}' không phải ngày hợp lệ.")))?,
        ),
    };
    let input = DutyUpdateInput {
        deadline,
        state: field("state").unwrap_or_default(),
        note: field("note"),
    };
    let now = state.clock.now();
    state
        .pool
        .run(move |s| annual::add_duty_update(s, &v, id, &input, file, now))
        .await?;
    Ok(Redirect::to(&format!("/duties/{id}")).into_response())
}

pub async fn duty_file(
    State(state): State<AppState>,
    v: Viewer,
    Path((id, file)): Path<(i64, i64)>,
) -> Result<Response, AppError> {
    let (name, content_type, bytes) = state
        .pool
        .run(move |s| annual::duty_file(s, &v, id, file))
        .await?;
    // The name is the uploader's: keep it printable and quote-free in the header.
    let safe: String = name
        .chars()
        .map(|c| {
            if c.is_control() || c == '"' || c == '\\' {
                '_'
            } else {
                c
            }
        })
        .collect();
    let ascii: String = safe
        .chars()
        .map(|c| if c.is_ascii() { c } else { '_' })
        .collect();
    Ok((
        [
            (CONTENT_TYPE, content_type),
            (
                CONTENT_DISPOSITION,
                format!(
                    "attachment; filename=\"{ascii}\"; filename*=UTF-8''{}",
                    crate::pages::encode_query(&safe)
                ),
            ),
        ],
        bytes,
    )
        .into_response())
}
