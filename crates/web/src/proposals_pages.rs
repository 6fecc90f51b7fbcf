//! Pages and JSON API of the proposed training plan: thin handlers that
//! parse, call [`crate::proposals`] and render, redirect or answer.

use std::collections::BTreeMap;

use askama::Template;
use axum::extract::{Path, State};
use axum::http::header::{CONTENT_DISPOSITION, CONTENT_TYPE};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::{Form, Json};
use serde::Deserialize;
use serde_json::{Value, json};

use crate::AppState;
use crate::auth::Viewer;
use crate::error::AppError;
use crate::fmt::{money, number, parse_day};
use crate::pages::Chrome;
use crate::proposals::{
    self, CapacityInput, FundingRequest, NormInput, OfferInput, ProposalRequest,
};

fn render<T: Template>(t: &T) -> Result<Response, AppError> {
    Ok(Html(t.render()?).into_response())
}

/// Money in templates.
pub fn dong(n: &i64) -> String {
    money(*n)
}

/// Counts in templates.
pub fn count(n: &u32) -> String {
    number(i64::from(*n))
}

fn active(state: &AppState) -> Result<std::sync::Arc<crate::targets::ActivePlan>, AppError> {
    state.plan.clone().ok_or_else(|| {
        AppError::Conflict(
            "Máy chủ chạy không có kế hoạch giai đoạn: không tính được nhu cầu đào tạo.".into(),
        )
    })
}

/// An amount from a form field: empty is none; dots and spaces between
/// thousands are accepted (2.000.000.000).
fn amount(field: &str, s: Option<&str>) -> Result<Option<i64>, AppError> {
    let t: String = s
        .unwrap_or("")
        .chars()
        .filter(|c| !matches!(c, '.' | ' ' | '\u{a0}'))
        .collect();
    if t.is_empty() {
        return Ok(None);
    }
    t.parse().map(Some).map_err(|_| {
        AppError::BadRequest(format!(
            "{field}: «{}» không phải số tiền (đồng).",
            s.unwrap_or("")
        ))
    })
}

fn small(field: &str, s: Option<&str>) -> Result<Option<i64>, AppError> {
    amount(field, s).map_err(|_| {
        AppError::BadRequest(format!(
            "{field}: «{}» không phải số nguyên.",
            s.unwrap_or("")
        ))
    })
}

/// "2027: 1.500.000.000; 2028: 2.000.000.000" (one per line or `;`).
fn per_year(s: Option<&str>) -> Result<Option<BTreeMap<i32, i64>>, AppError> {
    let mut out = BTreeMap::new();
    for part in s.unwrap_or("").split([';', '\n']) {
        let part = part.trim();
        if part.is_empty() {
            continue;
        }
        let bad = || {
            AppError::BadRequest(format!(
                "Trần kinh phí theo năm: «{part}» phải viết dạng «2027: 1.500.000.000»."
            ))
        };
        let (y, a) = part.split_once(':').ok_or_else(bad)?;
        let y: i32 = y.trim().parse().map_err(|_| bad())?;
        let a = amount("Trần kinh phí theo năm", Some(a))?.ok_or_else(bad)?;
        if out.insert(y, a).is_some() {
            return Err(AppError::BadRequest(format!(
                "Trần kinh phí theo năm: năm {y} được ghi hai lần."
            )));
        }
    }
    Ok((!out.is_empty()).then_some(out))
}

// ---------------------------------------------------------------- pages

#[derive(Template)]
#[template(path = "proposals.html")]
struct ListPage {
    chrome: Chrome,
    o: proposals::Overview,
}

pub async fn list(State(state): State<AppState>, v: Viewer) -> Result<Response, AppError> {
    let today = state.clock.today();
    let plan = state.plan.clone();
    let viewer = v.clone();
    let o = state
        .pool
        .run(move |s| proposals::overview(s, plan.as_deref(), &viewer, today))
        .await?;
    render(&ListPage {
        chrome: Chrome::new(&v, "Đề xuất lớp đào tạo, bồi dưỡng", "/proposals"),
        o,
    })
}

#[derive(Debug, Deserialize)]
pub struct CreateForm {
    csrf: Option<String>,
    year: Option<String>,
    horizon: Option<String>,
    ceiling: Option<String>,
    ceiling_per_year: Option<String>,
    class_min: Option<String>,
    class_max: Option<String>,
}

impl CreateForm {
    fn request(&self) -> Result<ProposalRequest, AppError> {
        let year = small("Năm kế hoạch", self.year.as_deref())?
            .ok_or_else(|| AppError::BadRequest("Năm kế hoạch: chưa ghi.".into()))?;
        let as_u32 = |field: &str, s: Option<&str>| -> Result<Option<u32>, AppError> {
            small(field, s)?
                .map(|n| {
                    u32::try_from(n)
                        .map_err(|_| AppError::BadRequest(format!("{field}: phải là số không âm.")))
                })
                .transpose()
        };
        Ok(ProposalRequest {
            year: year as i32,
            horizon: small("Năm cuối kỳ", self.horizon.as_deref())?.map(|h| h as i32),
            ceiling: amount("Trần kinh phí", self.ceiling.as_deref())?,
            ceiling_per_year: per_year(self.ceiling_per_year.as_deref())?,
            class_min: as_u32("Sĩ số tối thiểu", self.class_min.as_deref())?,
            class_max: as_u32("Sĩ số tối đa", self.class_max.as_deref())?,
        })
    }
}

pub async fn create(
    State(state): State<AppState>,
    v: Viewer,
    Form(f): Form<CreateForm>,
) -> Result<Response, AppError> {
    v.check_csrf(f.csrf.as_deref())?;
    let req = f.request()?;
    let plan = active(&state)?;
    let now = state.clock.now();
    let id = state
        .pool
        .run(move |s| proposals::create(s, &plan, &v, &req, now))
        .await?;
    Ok(Redirect::to(&format!("/proposals/{id}")).into_response())
}

#[derive(Template)]
#[template(path = "proposal.html")]
struct DraftPage {
    chrome: Chrome,
    p: proposals::ProposalView,
}

pub async fn page(
    State(state): State<AppState>,
    v: Viewer,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let viewer = v.clone();
    let p = state
        .pool
        .run(move |s| proposals::view(s, &viewer, id))
        .await?;
    render(&DraftPage {
        chrome: Chrome::new(
            &v,
            format!("Dự thảo đề xuất số {} — năm {}", p.id, p.year),
            "/proposals",
        ),
        p,
    })
}

#[derive(Debug, Deserialize)]
pub struct MoveForm {
    csrf: Option<String>,
    version: Option<i64>,
    person_id: Option<String>,
    from: String,
    to: String,
}

pub async fn move_submit(
    State(state): State<AppState>,
    v: Viewer,
    Path(id): Path<i64>,
    Form(f): Form<MoveForm>,
) -> Result<Response, AppError> {
    v.check_csrf(f.csrf.as_deref())?;
    let person = small("Mã số người", f.person_id.as_deref())?
        .ok_or_else(|| AppError::BadRequest("Mã số người: chưa ghi.".into()))?;
    let now = state.clock.now();
    state
        .pool
        .run(move |s| proposals::move_seat(s, &v, id, f.version, person, &f.from, &f.to, now))
        .await?;
    Ok(Redirect::to(&format!("/proposals/{id}")).into_response())
}

#[derive(Debug, Deserialize)]
pub struct VersionForm {
    csrf: Option<String>,
    version: Option<i64>,
}

pub async fn drop_submit(
    State(state): State<AppState>,
    v: Viewer,
    Path((id, code)): Path<(i64, String)>,
    Form(f): Form<VersionForm>,
) -> Result<Response, AppError> {
    v.check_csrf(f.csrf.as_deref())?;
    let now = state.clock.now();
    state
        .pool
        .run(move |s| proposals::drop_class(s, &v, id, f.version, &code, now))
        .await?;
    Ok(Redirect::to(&format!("/proposals/{id}")).into_response())
}

#[derive(Debug, Deserialize)]
pub struct FundForm {
    csrf: Option<String>,
    version: Option<i64>,
    ceiling: Option<String>,
    ceiling_per_year: Option<String>,
}

pub async fn fund_submit(
    State(state): State<AppState>,
    v: Viewer,
    Path(id): Path<i64>,
    Form(f): Form<FundForm>,
) -> Result<Response, AppError> {
    v.check_csrf(f.csrf.as_deref())?;
    let req = FundingRequest {
        version: f.version,
        ceiling: amount("Trần kinh phí", f.ceiling.as_deref())?,
        ceiling_per_year: per_year(f.ceiling_per_year.as_deref())?,
    };
    let now = state.clock.now();
    state
        .pool
        .run(move |s| proposals::refund(s, &v, id, &req, now))
        .await?;
    Ok(Redirect::to(&format!("/proposals/{id}")).into_response())
}

#[derive(Debug, Deserialize)]
pub struct AdoptForm {
    csrf: Option<String>,
    version: Option<i64>,
    year: i32,
}

pub async fn adopt_submit(
    State(state): State<AppState>,
    v: Viewer,
    Path(id): Path<i64>,
    Form(f): Form<AdoptForm>,
) -> Result<Response, AppError> {
    v.check_csrf(f.csrf.as_deref())?;
    let now = state.clock.now();
    let plan = state.plan.clone();
    state
        .pool
        .run(move |s| proposals::adopt(s, plan.as_deref(), &v, id, f.version, f.year, now))
        .await?;
    Ok(Redirect::to(&format!("/proposals/{id}")).into_response())
}

pub async fn export(
    State(state): State<AppState>,
    v: Viewer,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let (bytes, name) = state
        .pool
        .run(move |s| proposals::export(s, &v, id))
        .await?;
    Ok((
        [
            (
                CONTENT_TYPE,
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet".to_string(),
            ),
            (
                CONTENT_DISPOSITION,
                format!("attachment; filename=\"{name}\""),
            ),
        ],
        bytes,
    )
        .into_response())
}

// ---------------------------------------------------------------- configuration

#[derive(Template)]
#[template(path = "proposal_config.html")]
struct ConfigPage {
    chrome: Chrome,
    c: proposals::ConfigView,
}

pub async fn config(State(state): State<AppState>, v: Viewer) -> Result<Response, AppError> {
    let plan = state.plan.clone();
    let viewer = v.clone();
    let c = state
        .pool
        .run(move |s| proposals::config_view(s, plan.as_deref(), &viewer))
        .await?;
    render(&ConfigPage {
        chrome: Chrome::new(&v, "Định mức chi và năng lực tổ chức lớp", "/proposals"),
        c,
    })
}

#[derive(Debug, Deserialize)]
pub struct NormForm {
    csrf: Option<String>,
    issuer: Option<String>,
    form: Option<String>,
    item: String,
    basis: String,
    amount: Option<String>,
    valid_from: Option<String>,
    valid_to: Option<String>,
    source: Option<String>,
    unverified: Option<String>,
}

fn date_field(field: &str, s: Option<&str>) -> Result<Option<chrono::NaiveDate>, AppError> {
    match s.map(str::trim).filter(|s| !s.is_empty()) {
        None => Ok(None),
        Some(t) => parse_day(t).map(Some).ok_or_else(|| {
            AppError::BadRequest(format!(
                "{field}: «{t}» không phải ngày hợp lệ (viết dd/mm/yyyy)."
            ))
        }),
    }
}

impl NormForm {
    /// Every mistake of the form at once, each naming its field.
    fn input(&self) -> Result<NormInput, AppError> {
        let mut errors = Vec::new();
        let amount = match amount("Mức chi", self.amount.as_deref()) {
            Ok(Some(a)) => a,
            Ok(None) => {
                errors.push("Mức chi: chưa ghi.".to_string());
                0
            }
            Err(e) => {
                errors.push(e.to_string());
                0
            }
        };
        let from = match date_field("Hiệu lực từ ngày", self.valid_from.as_deref()) {
            Ok(Some(d)) => Some(d),
            Ok(None) => {
                errors.push("Hiệu lực từ ngày: chưa ghi.".to_string());
                None
            }
            Err(e) => {
                errors.push(e.to_string());
                None
            }
        };
        let to = date_field("Hiệu lực đến ngày", self.valid_to.as_deref()).unwrap_or_else(|e| {
            errors.push(e.to_string());
            None
        });
        let input = NormInput {
            issuer: self.issuer.clone(),
            form: self.form.clone(),
            item: self.item.clone(),
            basis: self.basis.clone(),
            amount,
            valid_from: from.unwrap_or_default(),
            valid_to: to,
            source: self.source.clone().unwrap_or_default(),
            unverified: self.unverified.is_some(),
        };
        // The service's checks too, so that one submission lists everything.
        if let Err(AppError::BadRequest(m)) = proposals::checked_norm(&input) {
            errors.extend(
                m.split(". ")
                    .map(|s| s.trim_end_matches('.').to_string() + ".")
                    .filter(|s| !(from.is_none() && s.starts_with("Hiệu lực đến"))),
            );
        }
        if errors.is_empty() {
            Ok(input)
        } else {
            Err(AppError::BadRequest(errors.join(" ")))
        }
    }
}

pub async fn add_norm(
    State(state): State<AppState>,
    v: Viewer,
    Form(f): Form<NormForm>,
) -> Result<Response, AppError> {
    v.check_csrf(f.csrf.as_deref())?;
    let input = f.input()?;
    let now = state.clock.now();
    state
        .pool
        .run(move |s| proposals::add_norm(s, &v, &input, now))
        .await?;
    Ok(Redirect::to("/proposals/config").into_response())
}

#[derive(Debug, Deserialize)]
pub struct CsrfOnly {
    csrf: Option<String>,
}

pub async fn remove_norm(
    State(state): State<AppState>,
    v: Viewer,
    Path(id): Path<i64>,
    Form(f): Form<CsrfOnly>,
) -> Result<Response, AppError> {
    v.check_csrf(f.csrf.as_deref())?;
    state
        .pool
        .run(move |s| proposals::remove_norm(s, &v, id))
        .await?;
    Ok(Redirect::to("/proposals/config").into_response())
}

#[derive(Debug, Deserialize)]
pub struct OfferForm {
    csrf: Option<String>,
    programme: String,
    form: String,
    sessions: Option<String>,
    study_days: Option<String>,
    duration_days: Option<String>,
    /// Codes separated by commas.
    institutions: Option<String>,
    /// Target ids separated by commas.
    targets: Option<String>,
}

fn list_of(s: Option<&str>) -> Vec<String> {
    s.unwrap_or("")
        .split([',', ';', ' '])
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect()
}

pub async fn set_offer(
    State(state): State<AppState>,
    v: Viewer,
    Form(f): Form<OfferForm>,
) -> Result<Response, AppError> {
    v.check_csrf(f.csrf.as_deref())?;
    let input = OfferInput {
        programme: f.programme.clone(),
        form: f.form.clone(),
        sessions: small("Số buổi giảng", f.sessions.as_deref())?.unwrap_or(0),
        study_days: small("Số ngày học", f.study_days.as_deref())?.unwrap_or(0),
        duration_days: small(
            "Số ngày từ khai giảng đến kết thúc",
            f.duration_days.as_deref(),
        )?
        .unwrap_or(0),
        institutions: list_of(f.institutions.as_deref()),
        targets: Some(list_of(f.targets.as_deref())),
    };
    let now = state.clock.now();
    let plan = state.plan.clone();
    state
        .pool
        .run(move |s| proposals::set_offer(s, plan.as_deref(), &v, &input, now))
        .await?;
    Ok(Redirect::to("/proposals/config").into_response())
}

#[derive(Debug, Deserialize)]
pub struct CapacityForm {
    csrf: Option<String>,
    institution: String,
    classes_per_year: Option<String>,
    province: Option<String>,
}

pub async fn set_capacity(
    State(state): State<AppState>,
    v: Viewer,
    Form(f): Form<CapacityForm>,
) -> Result<Response, AppError> {
    v.check_csrf(f.csrf.as_deref())?;
    let input = CapacityInput {
        institution: f.institution.clone(),
        classes_per_year: small("Số lớp mỗi năm", f.classes_per_year.as_deref())?.unwrap_or(0),
        province: f.province.clone(),
    };
    let now = state.clock.now();
    state
        .pool
        .run(move |s| proposals::set_capacity(s, &v, &input, now))
        .await?;
    Ok(Redirect::to("/proposals/config").into_response())
}

// ---------------------------------------------------------------- JSON API

pub async fn api_list(
    State(state): State<AppState>,
    v: Viewer,
) -> Result<Json<proposals::Overview>, AppError> {
    let today = state.clock.today();
    let plan = state.plan.clone();
    Ok(Json(
        state
            .pool
            .run(move |s| proposals::overview(s, plan.as_deref(), &v, today))
            .await?,
    ))
}

pub async fn api_create(
    State(state): State<AppState>,
    v: Viewer,
    headers: HeaderMap,
    Json(req): Json<ProposalRequest>,
) -> Result<Response, AppError> {
    v.check_api_write(&headers)?;
    let plan = active(&state)?;
    let now = state.clock.now();
    let view = state
        .pool
        .run(move |s| {
            let id = proposals::create(s, &plan, &v, &req, now)?;
            proposals::view(s, &v, id)
        })
        .await?;
    Ok((StatusCode::CREATED, Json(view)).into_response())
}

pub async fn api_get(
    State(state): State<AppState>,
    v: Viewer,
    Path(id): Path<i64>,
) -> Result<Json<proposals::ProposalView>, AppError> {
    Ok(Json(
        state.pool.run(move |s| proposals::view(s, &v, id)).await?,
    ))
}

#[derive(Debug, Deserialize)]
pub struct MoveBody {
    #[serde(default)]
    version: Option<i64>,
    person_id: i64,
    from: String,
    to: String,
}

pub async fn api_move(
    State(state): State<AppState>,
    v: Viewer,
    headers: HeaderMap,
    Path(id): Path<i64>,
    Json(b): Json<MoveBody>,
) -> Result<Json<proposals::ProposalView>, AppError> {
    v.check_api_write(&headers)?;
    let now = state.clock.now();
    Ok(Json(
        state
            .pool
            .run(move |s| {
                proposals::move_seat(s, &v, id, b.version, b.person_id, &b.from, &b.to, now)?;
                proposals::view(s, &v, id)
            })
            .await?,
    ))
}

#[derive(Debug, Default, Deserialize)]
pub struct VersionQuery {
    #[serde(default)]
    version: Option<i64>,
}

pub async fn api_drop(
    State(state): State<AppState>,
    v: Viewer,
    headers: HeaderMap,
    Path((id, code)): Path<(i64, String)>,
    axum::extract::Query(q): axum::extract::Query<VersionQuery>,
) -> Result<Json<proposals::ProposalView>, AppError> {
    v.check_api_write(&headers)?;
    let now = state.clock.now();
    Ok(Json(
        state
            .pool
            .run(move |s| {
                proposals::drop_class(s, &v, id, q.version, &code, now)?;
                proposals::view(s, &v, id)
            })
            .await?,
    ))
}

pub async fn api_fund(
    State(state): State<AppState>,
    v: Viewer,
    headers: HeaderMap,
    Path(id): Path<i64>,
    Json(b): Json<FundingRequest>,
) -> Result<Json<proposals::ProposalView>, AppError> {
    v.check_api_write(&headers)?;
    let now = state.clock.now();
    Ok(Json(
        state
            .pool
            .run(move |s| {
                proposals::refund(s, &v, id, &b, now)?;
                proposals::view(s, &v, id)
            })
            .await?,
    ))
}

#[derive(Debug, Deserialize)]
pub struct AdoptBody {
    #[serde(default)]
    version: Option<i64>,
    year: i32,
}

pub async fn api_adopt(
    State(state): State<AppState>,
    v: Viewer,
    headers: HeaderMap,
    Path(id): Path<i64>,
    Json(b): Json<AdoptBody>,
) -> Result<Response, AppError> {
    v.check_api_write(&headers)?;
    let now = state.clock.now();
    let plan = state.plan.clone();
    let adopted = state
        .pool
        .run(move |s| proposals::adopt(s, plan.as_deref(), &v, id, b.version, b.year, now))
        .await?;
    Ok((StatusCode::CREATED, Json(adopted)).into_response())
}

pub async fn api_config(
    State(state): State<AppState>,
    v: Viewer,
) -> Result<Json<proposals::ConfigView>, AppError> {
    let plan = state.plan.clone();
    Ok(Json(
        state
            .pool
            .run(move |s| proposals::config_view(s, plan.as_deref(), &v))
            .await?,
    ))
}

pub async fn api_add_norm(
    State(state): State<AppState>,
    v: Viewer,
    headers: HeaderMap,
    Json(n): Json<NormInput>,
) -> Result<Response, AppError> {
    v.check_api_write(&headers)?;
    let now = state.clock.now();
    let id = state
        .pool
        .run(move |s| proposals::add_norm(s, &v, &n, now))
        .await?;
    Ok((StatusCode::CREATED, Json(json!({ "id": id }))).into_response())
}

// ---------------------------------------------------------------- OpenAPI

/// The proposal's paths for the OpenAPI document.
pub fn openapi_paths() -> Value {
    let s = |t: &str| json!({ "type": t });
    let int = json!({ "type": "integer", "format": "int64" });
    let r = |name: &str| json!({ "$ref": format!("#/components/schemas/{name}") });
    let id = json!({ "name": "id", "in": "path", "required": true, "description": "Mã số dự thảo", "schema": int });
    let ok = |schema: Value| json!({ "description": "Thành công", "content": { "application/json": { "schema": schema } } });
    let body = |schema: Value| json!({ "required": true, "content": { "application/json": { "schema": schema } } });
    let errors = |mut responses: Value| {
        responses["400"] = json!({ "description": "Dữ liệu không hợp lệ (thông báo tiếng Việt nêu từng trường)", "content": { "application/json": { "schema": r("Error") } } });
        responses["401"] = json!({ "$ref": "#/components/responses/Unauthenticated" });
        responses["403"] = json!({ "$ref": "#/components/responses/Forbidden" });
        responses["404"] = json!({ "description": "Không tìm thấy", "content": { "application/json": { "schema": r("Error") } } });
        responses["409"] = json!({ "description": "Dự thảo vừa được người khác sửa, hoặc lớp đã được chuyển thành lớp đề xuất", "content": { "application/json": { "schema": r("Error") } } });
        responses
    };
    let tag = "Đề xuất lớp";
    let write_note = "Chỉ Sở Nội vụ (quản trị). Với phiên trình duyệt (cookie) cần gửi kèm tiêu đề X-CSRF-Token. `version` (tùy chọn): phiên bản dự thảo đã xem; sửa trên phiên bản cũ bị từ chối (409).";
    let ceiling = json!({ "ceiling": { "type": "integer", "format": "int64", "description": "Trần kinh phí chung (đồng); bỏ trống: không giới hạn" }, "ceiling_per_year": { "type": "object", "additionalProperties": int, "description": "Hoặc trần theo từng năm: {\"2027\": 1500000000}" } });
    let mut request = json!({ "year": s("integer"), "horizon": { "type": "integer", "description": "Năm cuối; mặc định năm cuối của kế hoạch giai đoạn" }, "class_min": { "type": "integer", "description": "Mặc định 40" }, "class_max": { "type": "integer", "description": "Mặc định 50" } });
    request
        .as_object_mut()
        .unwrap()
        .extend(ceiling.as_object().unwrap().clone());
    let mut funding = json!({ "version": int });
    funding
        .as_object_mut()
        .unwrap()
        .extend(ceiling.as_object().unwrap().clone());
    json!({
        "paths": {
            "/api/v1/proposals": {
                "get": { "summary": "Các dự thảo đề xuất lớp (Sở Nội vụ, tài chính, lãnh đạo)", "tags": [tag], "responses": errors(json!({ "200": ok(json!({ "type": "object" })) })) },
                "post": { "summary": "Lập dự thảo: nhu cầu từ kế hoạch giai đoạn đang áp dụng, các lớp 40–50 người theo năng lực cơ sở đến năm cuối, dự toán theo định mức, chọn lớp trong trần kinh phí", "tags": [tag], "description": write_note,
                    "requestBody": body(json!({ "type": "object", "properties": request, "required": ["year"] })),
                    "responses": errors(json!({ "201": ok(r("Proposal")) })) }
            },
            "/api/v1/proposals/{id}": {
                "get": { "summary": "Một dự thảo: lớp theo năm và chương trình, tổng, lớp chưa có kinh phí và lý do, người chưa xếp lớp và lý do, cảnh báo, lịch sử", "tags": [tag], "parameters": [id.clone()], "responses": errors(json!({ "200": ok(r("Proposal")) })) }
            },
            "/api/v1/proposals/{id}/moves": {
                "post": { "summary": "Chuyển một người sang lớp khác cùng chương trình (bị từ chối nếu làm lớp ngoài sĩ số hoặc người học trễ hạn)", "tags": [tag], "description": write_note, "parameters": [id.clone()],
                    "requestBody": body(json!({ "type": "object", "properties": { "version": int, "person_id": int, "from": s("string"), "to": s("string") }, "required": ["person_id", "from", "to"] })),
                    "responses": errors(json!({ "200": ok(r("Proposal")) })) }
            },
            "/api/v1/proposals/{id}/classes/{code}": {
                "delete": { "summary": "Bỏ một lớp khỏi dự thảo (học viên chuyển sang danh sách chưa xếp lớp)", "tags": [tag], "description": write_note,
                    "parameters": [id.clone(), { "name": "code", "in": "path", "required": true, "schema": s("string") }, { "name": "version", "in": "query", "required": false, "schema": int }],
                    "responses": errors(json!({ "200": ok(r("Proposal")) })) }
            },
            "/api/v1/proposals/{id}/funding": {
                "post": { "summary": "Chọn lại các lớp với trần kinh phí mới", "tags": [tag], "description": write_note, "parameters": [id.clone()],
                    "requestBody": body(json!({ "type": "object", "properties": funding })),
                    "responses": errors(json!({ "200": ok(r("Proposal")) })) }
            },
            "/api/v1/proposals/{id}/adopt": {
                "post": { "summary": "Chuyển các lớp có kinh phí của một năm thành lớp đề xuất (trạng thái «đề xuất», chờ phê duyệt)", "tags": [tag], "description": write_note, "parameters": [id.clone()],
                    "requestBody": body(json!({ "type": "object", "properties": { "version": int, "year": s("integer") }, "required": ["year"] })),
                    "responses": errors(json!({ "201": ok(json!({ "type": "object", "properties": { "year": s("integer"), "classes": { "type": "array", "items": { "type": "array", "items": {}, "minItems": 2, "maxItems": 2 } } } })) })) }
            },
            "/api/v1/proposals/{id}/export.xlsx": {
                "get": { "summary": "Tải dự thảo (Excel): lớp đề xuất, lớp chưa có kinh phí, người chưa xếp lớp", "tags": [tag], "parameters": [id],
                    "responses": errors(json!({ "200": { "description": "Tệp Excel", "content": { "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": { "schema": { "type": "string", "format": "binary" } } } } })) }
            },
            "/api/v1/planning-config": {
                "get": { "summary": "Định mức chi theo ngày hiệu lực, cách tổ chức chương trình, năng lực cơ sở đào tạo (Sở Nội vụ, tài chính)", "tags": [tag], "responses": errors(json!({ "200": ok(json!({ "type": "object" })) })) }
            },
            "/api/v1/planning-config/cost-norms": {
                "post": { "summary": "Thêm một định mức chi (Sở Nội vụ, tài chính)", "tags": [tag], "description": "Với phiên trình duyệt (cookie) cần gửi kèm tiêu đề X-CSRF-Token.",
                    "requestBody": body(json!({ "type": "object", "properties": {
                        "issuer": { "type": "string", "description": "Mã tỉnh ban hành; bỏ trống: định mức chung" },
                        "form": { "type": "string", "enum": ["full_time", "part_time", "work_study", "distance", "online"] },
                        "item": { "type": "string", "enum": ["thu_lao_giang_vien", "tai_lieu", "ho_tro_tien_an", "cho_o", "di_lai", "to_chuc_lop", "hoc_phi", "chung_chi"] },
                        "basis": { "type": "string", "enum": ["buoi", "hoc_vien", "hoc_vien_ngay", "lop", "lop_ngay"] },
                        "amount": int, "valid_from": { "type": "string", "format": "date" }, "valid_to": { "type": "string", "format": "date" },
                        "source": s("string"), "unverified": s("boolean") }, "required": ["item", "basis", "amount", "valid_from", "source"] })),
                    "responses": errors(json!({ "201": ok(json!({ "type": "object", "properties": { "id": int } })) })) }
            }
        },
        "schemas": {
            "Proposal": { "type": "object", "properties": {
                "id": int, "plan_id": s("string"), "year": s("integer"), "horizon": s("integer"), "version": int,
                "class_min": s("integer"), "class_max": s("integer"), "ceiling_label": s("string"), "total_cost": int,
                "funding": { "type": "object", "properties": { "funded": { "type": "array", "items": s("string") }, "cost_funded": int, "cost_unfunded": int, "gap_closed": s("integer"), "gap_unfunded": s("integer"), "gap_unplaced": s("integer"), "summary": s("string") } },
                "years": { "type": "array", "items": { "type": "object", "properties": { "year": s("integer"), "ceiling": { "type": "integer", "nullable": true }, "classes": { "type": "array", "items": { "type": "object", "properties": {
                    "code": s("string"), "programme": s("string"), "institution": s("string"), "starts_on": { "type": "string", "format": "date" }, "ends_on": { "type": "string", "format": "date" },
                    "size": s("integer"), "cost": int, "gap_units": s("integer"), "e_people": s("integer"), "deadline": { "type": "string", "format": "date", "nullable": true }, "late_seats": s("integer"), "funded": s("boolean"), "adopted": { "type": "integer", "nullable": true },
                    "seats": { "type": "array", "items": { "type": "object", "properties": { "person_id": int, "name": s("string"), "deadline": { "type": "string", "format": "date", "nullable": true } } } } } } } } } },
                "unfunded": { "type": "array", "items": { "type": "object", "properties": { "code": s("string"), "year": s("integer"), "size": s("integer"), "cost": int, "gap_units": s("integer"), "why": s("string") } } },
                "unplaced_by_reason": { "type": "array", "items": { "type": "object" } },
                "unplaced": { "type": "array", "items": { "type": "object" } },
                "warnings": { "type": "array", "items": s("string") },
                "events": { "type": "array", "items": { "type": "object" } },
                "can_edit": s("boolean")
            } }
        }
    })
}
