//! Handlers of classes and nominations, pages and JSON API: parse, call
//! [`crate::training`], render or redirect. Forms post their CSRF token; the
//! API's writes take a bearer token, or the session cookie with the session's
//! CSRF token in an `X-CSRF-Token` header.

use askama::Template;
use axum::Form;
use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{Html, IntoResponse, Redirect, Response};
use nangluc_planning::nomination::ClassAction;
use serde::Deserialize;
use serde_json::json;

use crate::AppState;
use crate::auth::{Role, Viewer};
use crate::error::AppError;
use crate::fmt::{Coded, parse_day};
use crate::pages::{Chrome, encode_query};
use crate::training::{
    self, ActionRequest, CandidatesView, ClassDetail, Decide, Decision, LearnerResult, Nomination,
    OpenClass, ProposalChoices, ProposeClass, QuotaEntry, Quotas, SignUp,
};

fn render<T: Template>(t: &T) -> Result<Response, AppError> {
    Ok(Html(t.render()?).into_response())
}

fn see_other(to: String) -> Response {
    Redirect::to(&to).into_response()
}

fn action_of(code: &str) -> Result<ClassAction, AppError> {
    ClassAction::from_code(code)
        .ok_or_else(|| AppError::NotFound(format!("thao tác '{code}' đối với lớp")))
}

fn decision_of(code: &str) -> Result<Decide, AppError> {
    match code {
        "approve" => Ok(Decide::Approve),
        "decline" => Ok(Decide::Decline),
        "withdraw" => Ok(Decide::Withdraw),
        _ => Err(AppError::NotFound(format!(
            "thao tác '{code}' đối với lượt cử"
        ))),
    }
}

// ---------------------------------------------------------------- pages

#[derive(Template)]
#[template(path = "class.html")]
struct ClassPage {
    chrome: Chrome,
    c: ClassDetail,
    /// Service commitments to record for a finished postgraduate class.
    offer: Option<crate::commitments::ClassOffer>,
}

pub async fn class_page(
    State(state): State<AppState>,
    v: Viewer,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let viewer = v.clone();
    let plan = state.plan.clone();
    let (c, offer) = state
        .pool
        .run(move |s| {
            let c = training::class_detail(s, &viewer, plan.as_deref(), id)?;
            let offer = crate::commitments::class_offer(s, &viewer, id)?;
            Ok((c, offer))
        })
        .await?;
    let active = if v.role == Role::Employee {
        "/signups"
    } else {
        "/classes"
    };
    render(&ClassPage {
        chrome: Chrome::new(&v, format!("Lớp {}", c.class.code), active),
        c,
        offer,
    })
}

#[derive(Template)]
#[template(path = "class_new.html")]
struct NewClassPage {
    chrome: Chrome,
    choices: ProposalChoices,
}

pub async fn new_class(State(state): State<AppState>, v: Viewer) -> Result<Response, AppError> {
    let viewer = v.clone();
    let choices = state
        .pool
        .run(move |s| training::proposal_choices(s, &viewer))
        .await?;
    render(&NewClassPage {
        chrome: Chrome::new(&v, "Đề xuất lớp", "/classes"),
        choices,
    })
}

#[derive(Debug, Deserialize)]
pub struct ProposeForm {
    csrf: Option<String>,
    code: String,
    programme_id: String,
    institution_id: Option<String>,
    starts_on: String,
    ends_on: String,
    #[serde(default)]
    place: String,
    form: String,
    min_size: String,
    max_size: String,
    #[serde(default)]
    planned_cost: String,
    #[serde(default)]
    target_group: Option<String>,
}

fn int(s: &str, what: &str) -> Result<i64, AppError> {
    // People write "250.000.000" for money.
    let digits: String = s
        .trim()
        .chars()
        .filter(|c| !matches!(c, '.' | ' '))
        .collect();
    if digits.is_empty() {
        return Ok(0);
    }
    digits
        .parse()
        .map_err(|_| AppError::BadRequest(format!("{what}: '{}' không phải số nguyên.", s.trim())))
}

fn day(s: &str, what: &str) -> Result<chrono::NaiveDate, AppError> {
    parse_day(s.trim()).ok_or_else(|| {
        AppError::BadRequest(format!(
            "{what}: '{}' không phải ngày hợp lệ (dd/mm/yyyy).",
            s.trim()
        ))
    })
}

pub async fn propose_submit(
    State(state): State<AppState>,
    v: Viewer,
    Form(f): Form<ProposeForm>,
) -> Result<Response, AppError> {
    v.check_csrf(f.csrf.as_deref())?;
    let p = ProposeClass {
        code: f.code,
        programme_id: int(&f.programme_id, "Chương trình")?,
        institution_id: match f
            .institution_id
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
        {
            Some(s) => Some(int(s, "Cơ sở đào tạo")?),
            None => None,
        },
        starts_on: day(&f.starts_on, "Ngày khai giảng")?,
        ends_on: day(&f.ends_on, "Ngày kết thúc")?,
        place: f.place,
        form: f.form,
        min_size: int(&f.min_size, "Số học viên tối thiểu")?,
        max_size: int(&f.max_size, "Số học viên tối đa")?,
        planned_cost: int(&f.planned_cost, "Kinh phí dự kiến")?,
        target_group: f.target_group,
    };
    let plan = state.plan.clone();
    let id = state
        .pool
        .run(move |s| training::propose(s, &v, plan.as_deref(), &p))
        .await?;
    Ok(see_other(format!("/classes/{id}")))
}

#[derive(Debug, Deserialize)]
pub struct ReasonForm {
    csrf: Option<String>,
    #[serde(default)]
    reason: Option<String>,
    /// On approval, the cost by funding source (empty: from the annual plans).
    #[serde(default)]
    cost_state_budget: Option<String>,
    #[serde(default)]
    cost_unit: Option<String>,
    #[serde(default)]
    cost_learner: Option<String>,
    #[serde(default)]
    cost_sponsor: Option<String>,
}

impl ReasonForm {
    /// The split by source as typed; none when every field is empty.
    fn sources(&self) -> Result<Vec<crate::annual::SourceAmount>, AppError> {
        use nangluc_core::training::FundingSource as F;
        let fields = [
            (F::StateBudget, &self.cost_state_budget),
            (F::Unit, &self.cost_unit),
            (F::Learner, &self.cost_learner),
            (F::Sponsor, &self.cost_sponsor),
        ];
        if fields.iter().all(|(_, v)| v.as_deref().is_none_or(|v| v.trim().is_empty())) {
            return Ok(Vec::new());
        }
        let mut out = Vec::new();
        for (source, v) in fields {
            let text = v.as_deref().unwrap_or("").trim();
            let amount = if text.is_empty() {
                0
            } else {
                crate::commitments::parse_dong(text).ok_or_else(|| {
                    AppError::BadRequest(format!("Kinh phí từ nguồn {}: «{text}» không phải số tiền.", source.label().to_lowercase()))
                })?
            };
            out.push(crate::annual::SourceAmount { source, amount });
        }
        Ok(out)
    }
}

pub async fn action_submit(
    State(state): State<AppState>,
    v: Viewer,
    Path((id, action)): Path<(i64, String)>,
    Form(f): Form<ReasonForm>,
) -> Result<Response, AppError> {
    v.check_csrf(f.csrf.as_deref())?;
    let action = action_of(&action)?;
    let req = ActionRequest { sources: f.sources()?, reason: f.reason };
    let plan = state.plan.clone();
    state
        .pool
        .run(move |s| training::class_action(s, &v, plan.as_deref(), id, action, &req))
        .await?;
    Ok(see_other(format!("/classes/{id}")))
}

#[derive(Template)]
#[template(path = "nominate.html")]
struct NominatePage {
    chrome: Chrome,
    c: CandidatesView,
}

#[derive(Debug, Deserialize)]
pub struct SearchQuery {
    #[serde(default)]
    q: String,
}

pub async fn nominate_page(
    State(state): State<AppState>,
    v: Viewer,
    Path(id): Path<i64>,
    Query(q): Query<SearchQuery>,
) -> Result<Response, AppError> {
    let viewer = v.clone();
    let plan = state.plan.clone();
    let c = state
        .pool
        .run(move |s| training::candidates(s, &viewer, plan.as_deref(), id, &q.q))
        .await?;
    render(&NominatePage {
        chrome: Chrome::new(
            &v,
            format!("Cử học viên — lớp {}", c.class.code),
            "/classes",
        ),
        c,
    })
}

#[derive(Debug, Deserialize)]
pub struct NominateForm {
    csrf: Option<String>,
    person_id: i64,
    #[serde(default)]
    note: Option<String>,
    #[serde(default)]
    q: String,
}

pub async fn nominate_submit(
    State(state): State<AppState>,
    v: Viewer,
    Path(id): Path<i64>,
    Form(f): Form<NominateForm>,
) -> Result<Response, AppError> {
    v.check_csrf(f.csrf.as_deref())?;
    let n = Nomination {
        person_ids: vec![f.person_id],
        note: f.note,
    };
    let plan = state.plan.clone();
    state
        .pool
        .run(move |s| training::nominate(s, &v, plan.as_deref(), id, &n))
        .await?;
    Ok(see_other(format!(
        "/classes/{id}/nominate?q={}",
        encode_query(&f.q)
    )))
}

#[derive(Debug, Deserialize)]
pub struct NoteForm {
    csrf: Option<String>,
    #[serde(default)]
    note: Option<String>,
}

pub async fn sign_up_submit(
    State(state): State<AppState>,
    v: Viewer,
    Path(id): Path<i64>,
    Form(f): Form<NoteForm>,
) -> Result<Response, AppError> {
    v.check_csrf(f.csrf.as_deref())?;
    let s_up = SignUp { note: f.note };
    let plan = state.plan.clone();
    state
        .pool
        .run(move |s| training::sign_up(s, &v, plan.as_deref(), id, &s_up))
        .await?;
    Ok(see_other(format!("/classes/{id}")))
}

#[derive(Debug, Deserialize)]
pub struct DecisionForm {
    csrf: Option<String>,
    #[serde(default)]
    note: Option<String>,
    /// The class page to return to.
    class_id: i64,
}

pub async fn decide_submit(
    State(state): State<AppState>,
    v: Viewer,
    Path((id, what)): Path<(i64, String)>,
    Form(f): Form<DecisionForm>,
) -> Result<Response, AppError> {
    v.check_csrf(f.csrf.as_deref())?;
    let what = decision_of(&what)?;
    let d = Decision { note: f.note };
    let plan = state.plan.clone();
    state
        .pool
        .run(move |s| training::decide(s, &v, plan.as_deref(), id, what, &d))
        .await?;
    Ok(see_other(format!("/classes/{}", f.class_id)))
}

#[derive(Debug, Deserialize)]
pub struct ResultForm {
    csrf: Option<String>,
    #[serde(default)]
    attendance_pct: String,
    #[serde(default)]
    result: Option<String>,
    #[serde(default)]
    certificate: Option<String>,
    class_id: i64,
}

pub async fn result_submit(
    State(state): State<AppState>,
    v: Viewer,
    Path(id): Path<i64>,
    Form(f): Form<ResultForm>,
) -> Result<Response, AppError> {
    v.check_csrf(f.csrf.as_deref())?;
    let attendance = f.attendance_pct.trim().trim_end_matches('%').trim();
    let r = LearnerResult {
        attendance_pct: if attendance.is_empty() {
            None
        } else {
            Some(int(attendance, "Chuyên cần")?)
        },
        result: f.result,
        certificate: f.certificate,
    };
    let plan = state.plan.clone();
    state
        .pool
        .run(move |s| training::record_result(s, &v, plan.as_deref(), id, &r))
        .await?;
    Ok(see_other(format!("/classes/{}", f.class_id)))
}

#[derive(Debug, Deserialize)]
pub struct QuotaForm {
    csrf: Option<String>,
    #[serde(default)]
    quotas: String,
}

/// Reads "SNV: 10" lines (or "SNV 10"); every mistake at once.
fn quota_lines(text: &str) -> Result<Vec<QuotaEntry>, AppError> {
    let mut out = Vec::new();
    let mut errors = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() {
            continue;
        }
        let (unit, seats) = match line.rsplit_once(':') {
            Some(x) => x,
            None => line.rsplit_once(char::is_whitespace).unwrap_or((line, "")),
        };
        match seats.trim().parse() {
            Ok(seats) => out.push(QuotaEntry {
                unit: unit.trim().to_string(),
                seats,
            }),
            Err(_) => errors.push(format!(
                "Dòng {}: '{line}' không theo dạng 'mã đơn vị: số chỗ'.",
                i + 1
            )),
        }
    }
    if errors.is_empty() {
        Ok(out)
    } else {
        Err(AppError::BadRequest(errors.join(" ")))
    }
}

pub async fn quotas_submit(
    State(state): State<AppState>,
    v: Viewer,
    Path(id): Path<i64>,
    Form(f): Form<QuotaForm>,
) -> Result<Response, AppError> {
    v.check_csrf(f.csrf.as_deref())?;
    let q = Quotas {
        quotas: quota_lines(&f.quotas)?,
    };
    let plan = state.plan.clone();
    state
        .pool
        .run(move |s| training::set_quotas(s, &v, plan.as_deref(), id, &q))
        .await?;
    Ok(see_other(format!("/classes/{id}")))
}

#[derive(Template)]
#[template(path = "signups.html")]
struct SignUpsPage {
    chrome: Chrome,
    classes: Vec<OpenClass>,
    employee: bool,
}

pub async fn signups_page(State(state): State<AppState>, v: Viewer) -> Result<Response, AppError> {
    let viewer = v.clone();
    let classes = state
        .pool
        .run(move |s| training::open_classes(s, &viewer))
        .await?;
    render(&SignUpsPage {
        chrome: Chrome::new(&v, "Lớp đang chiêu sinh", "/signups"),
        employee: v.role == Role::Employee,
        classes,
    })
}

// ---------------------------------------------------------------- API

/// A write through the API with the session cookie must carry the session's
/// CSRF token; a bearer token is not sent by browsers on their own.
fn api_write(headers: &HeaderMap, v: &Viewer) -> Result<(), AppError> {
    if headers.contains_key(header::AUTHORIZATION) {
        return Ok(());
    }
    v.check_csrf(headers.get("x-csrf-token").and_then(|h| h.to_str().ok()))
}

pub async fn api_propose(
    State(state): State<AppState>,
    v: Viewer,
    headers: HeaderMap,
    Json(p): Json<ProposeClass>,
) -> Result<Response, AppError> {
    api_write(&headers, &v)?;
    let plan = state.plan.clone();
    let id = state
        .pool
        .run(move |s| training::propose(s, &v, plan.as_deref(), &p))
        .await?;
    Ok((StatusCode::CREATED, Json(json!({ "id": id }))).into_response())
}

pub async fn api_roster(
    State(state): State<AppState>,
    v: Viewer,
    Path(id): Path<i64>,
) -> Result<Json<ClassDetail>, AppError> {
    let plan = state.plan.clone();
    Ok(Json(
        state
            .pool
            .run(move |s| training::class_detail(s, &v, plan.as_deref(), id))
            .await?,
    ))
}

pub async fn api_action(
    State(state): State<AppState>,
    v: Viewer,
    headers: HeaderMap,
    Path((id, action)): Path<(i64, String)>,
    body: Option<Json<ActionRequest>>,
) -> Result<Json<training::ActionOutcome>, AppError> {
    api_write(&headers, &v)?;
    let action = action_of(&action)?;
    let req = body.map(|b| b.0).unwrap_or_default();
    let plan = state.plan.clone();
    Ok(Json(
        state
            .pool
            .run(move |s| training::class_action(s, &v, plan.as_deref(), id, action, &req))
            .await?,
    ))
}

pub async fn api_quotas(
    State(state): State<AppState>,
    v: Viewer,
    headers: HeaderMap,
    Path(id): Path<i64>,
    Json(q): Json<Quotas>,
) -> Result<Json<ClassDetail>, AppError> {
    api_write(&headers, &v)?;
    let plan = state.plan.clone();
    Ok(Json(
        state
            .pool
            .run(move |s| {
                training::set_quotas(s, &v, plan.as_deref(), id, &q)?;
                training::class_detail(s, &v, plan.as_deref(), id)
            })
            .await?,
    ))
}

pub async fn api_candidates(
    State(state): State<AppState>,
    v: Viewer,
    Path(id): Path<i64>,
    Query(q): Query<SearchQuery>,
) -> Result<Json<CandidatesView>, AppError> {
    let plan = state.plan.clone();
    Ok(Json(
        state
            .pool
            .run(move |s| training::candidates(s, &v, plan.as_deref(), id, &q.q))
            .await?,
    ))
}

pub async fn api_nominate(
    State(state): State<AppState>,
    v: Viewer,
    headers: HeaderMap,
    Path(id): Path<i64>,
    Json(n): Json<Nomination>,
) -> Result<Response, AppError> {
    api_write(&headers, &v)?;
    let plan = state.plan.clone();
    let out = state
        .pool
        .run(move |s| training::nominate(s, &v, plan.as_deref(), id, &n))
        .await?;
    Ok((StatusCode::CREATED, Json(out)).into_response())
}

pub async fn api_sign_up(
    State(state): State<AppState>,
    v: Viewer,
    headers: HeaderMap,
    Path(id): Path<i64>,
    body: Option<Json<SignUp>>,
) -> Result<Response, AppError> {
    api_write(&headers, &v)?;
    let s_up = body.map(|b| b.0).unwrap_or_default();
    let plan = state.plan.clone();
    let enrolment_id = state
        .pool
        .run(move |s| training::sign_up(s, &v, plan.as_deref(), id, &s_up))
        .await?;
    Ok((
        StatusCode::CREATED,
        Json(json!({ "enrolment_id": enrolment_id })),
    )
        .into_response())
}

pub async fn api_decide(
    State(state): State<AppState>,
    v: Viewer,
    headers: HeaderMap,
    Path((id, what)): Path<(i64, String)>,
    body: Option<Json<Decision>>,
) -> Result<Json<serde_json::Value>, AppError> {
    api_write(&headers, &v)?;
    let what = decision_of(&what)?;
    let d = body.map(|b| b.0).unwrap_or_default();
    let plan = state.plan.clone();
    let status: Coded = state
        .pool
        .run(move |s| training::decide(s, &v, plan.as_deref(), id, what, &d))
        .await?;
    Ok(Json(json!({ "enrolment_id": id, "status": status })))
}

pub async fn api_result(
    State(state): State<AppState>,
    v: Viewer,
    headers: HeaderMap,
    Path(id): Path<i64>,
    Json(r): Json<LearnerResult>,
) -> Result<StatusCode, AppError> {
    api_write(&headers, &v)?;
    let plan = state.plan.clone();
    state
        .pool
        .run(move |s| training::record_result(s, &v, plan.as_deref(), id, &r))
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

pub async fn api_open_classes(
    State(state): State<AppState>,
    v: Viewer,
) -> Result<Json<Vec<OpenClass>>, AppError> {
    Ok(Json(
        state
            .pool
            .run(move |s| training::open_classes(s, &v))
            .await?,
    ))
}
