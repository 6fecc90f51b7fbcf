//! The JSON API of annual plans, the budget ledger and duties (under
//! `/api/v1`), and the document downloads shared with the pages. Thin: parse,
//! call [`crate::annual`], answer. Writes need a bearer token or, from a
//! browser session, the `X-CSRF-Token` header.

use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::header::{CONTENT_DISPOSITION, CONTENT_TYPE};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use chrono::{Datelike, NaiveDate};
use nangluc_io::docx::ReviewKind;
use nangluc_planning::annual::PlanAction;
use serde::Deserialize;
use serde_json::{Value, json};

use crate::AppState;
use crate::annual::{self, AllocationInput, ClassBudget, DutyUpdateInput, LineInput, Payment};
use crate::auth::{Role, Viewer};
use crate::error::AppError;
use crate::fmt::parse_day;

#[derive(Debug, Default, Deserialize)]
pub struct YearQuery {
    pub year: Option<i32>,
}

/// The year asked for, or the next one (the plan being prepared).
pub fn year_or_next(q: &YearQuery, today: NaiveDate) -> i32 {
    q.year.unwrap_or(today.year() + 1)
}

pub async fn plans(
    State(state): State<AppState>,
    v: Viewer,
    Query(q): Query<YearQuery>,
) -> Result<Json<annual::Overview>, AppError> {
    let today = state.clock.today();
    let year = year_or_next(&q, today);
    Ok(Json(
        state
            .pool
            .run(move |s| annual::overview(s, &v, year, today))
            .await?,
    ))
}

#[derive(Debug, Deserialize)]
pub struct CreatePlan {
    pub unit_id: Option<i64>,
    pub year: i32,
}

pub async fn create_plan(
    State(state): State<AppState>,
    v: Viewer,
    headers: HeaderMap,
    Json(body): Json<CreatePlan>,
) -> Result<Response, AppError> {
    v.check_api_write(&headers)?;
    let now = state.clock.now();
    let id = state
        .pool
        .run(move |s| annual::create_plan(s, &v, body.unit_id, body.year, now))
        .await?;
    Ok((StatusCode::CREATED, Json(json!({ "id": id }))).into_response())
}

pub async fn plan(
    State(state): State<AppState>,
    v: Viewer,
    Path(id): Path<i64>,
) -> Result<Json<annual::PlanView>, AppError> {
    let today = state.clock.today();
    let plan = state.plan.clone();
    Ok(Json(
        state
            .pool
            .run(move |s| annual::plan_view(s, plan.as_deref(), &v, id, today))
            .await?,
    ))
}

pub async fn add_line(
    State(state): State<AppState>,
    v: Viewer,
    headers: HeaderMap,
    Path(id): Path<i64>,
    Json(body): Json<LineInput>,
) -> Result<Response, AppError> {
    v.check_api_write(&headers)?;
    let now = state.clock.now();
    let plan = state.plan.clone();
    let line = state
        .pool
        .run(move |s| annual::add_line(s, plan.as_deref(), &v, id, &body, now))
        .await?;
    Ok((StatusCode::CREATED, Json(json!({ "id": line }))).into_response())
}

pub async fn remove_line(
    State(state): State<AppState>,
    v: Viewer,
    headers: HeaderMap,
    Path((id, line)): Path<(i64, i64)>,
) -> Result<StatusCode, AppError> {
    v.check_api_write(&headers)?;
    let now = state.clock.now();
    state
        .pool
        .run(move |s| annual::remove_line(s, &v, id, line, now))
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Debug, Default, Deserialize)]
pub struct ActBody {
    pub comment: Option<String>,
}

/// `POST /api/v1/annual-plans/{id}/{submit|return|accept}`.
pub async fn act(
    State(state): State<AppState>,
    v: Viewer,
    headers: HeaderMap,
    Path((id, action)): Path<(i64, String)>,
    body: Option<Json<ActBody>>,
) -> Result<Json<Value>, AppError> {
    v.check_api_write(&headers)?;
    let action = PlanAction::from_code(&action)
        .filter(|a| {
            matches!(
                a,
                PlanAction::Submit | PlanAction::Return | PlanAction::Accept
            )
        })
        .ok_or_else(|| AppError::NotFound(format!("thao tác «{action}»")))?;
    let comment = body.and_then(|b| b.0.comment);
    let now = state.clock.now();
    let to = state
        .pool
        .run(move |s| annual::act(s, &v, id, action, comment.as_deref(), now))
        .await?;
    Ok(Json(
        json!({ "id": id, "status": { "code": to.code(), "label": to.label() } }),
    ))
}

pub async fn aggregate(
    State(state): State<AppState>,
    v: Viewer,
    headers: HeaderMap,
    Path(year): Path<i32>,
) -> Result<Json<annual::ProvinceView>, AppError> {
    v.check_api_write(&headers)?;
    let now = state.clock.now();
    Ok(Json(
        state
            .pool
            .run(move |s| annual::aggregate(s, &v, year, now))
            .await?,
    ))
}

#[derive(Debug, Default, Deserialize)]
pub struct ApproveBody {
    pub decision: Option<String>,
}

pub async fn approve(
    State(state): State<AppState>,
    v: Viewer,
    headers: HeaderMap,
    Path(year): Path<i32>,
    body: Option<Json<ApproveBody>>,
) -> Result<Json<annual::ProvinceView>, AppError> {
    v.check_api_write(&headers)?;
    let decision = body.and_then(|b| b.0.decision);
    let now = state.clock.now();
    Ok(Json(
        state
            .pool
            .run(move |s| annual::approve(s, &v, year, decision.as_deref(), now))
            .await?,
    ))
}

pub async fn budget(
    State(state): State<AppState>,
    v: Viewer,
    Query(q): Query<YearQuery>,
) -> Result<Json<annual::BudgetView>, AppError> {
    let today = state.clock.today();
    let year = year_or_next(&q, today);
    Ok(Json(
        state
            .pool
            .run(move |s| annual::budget_view(s, &v, year, today))
            .await?,
    ))
}

pub async fn add_allocation(
    State(state): State<AppState>,
    v: Viewer,
    headers: HeaderMap,
    Json(body): Json<AllocationInput>,
) -> Result<Response, AppError> {
    v.check_api_write(&headers)?;
    let now = state.clock.now();
    let id = state
        .pool
        .run(move |s| annual::add_allocation(s, &v, &body, now))
        .await?;
    Ok((StatusCode::CREATED, Json(json!({ "id": id }))).into_response())
}

/// `POST /api/v1/budget/classes/{id}/commitment`: what the class approval
/// hook does, offered to the Sở Nội vụ and finance. Without a body, the
/// commitment is read from the class and its learners.
pub async fn commit_class(
    State(state): State<AppState>,
    v: Viewer,
    headers: HeaderMap,
    Path(id): Path<i64>,
    body: Option<Json<ClassBudget>>,
) -> Result<Response, AppError> {
    v.check_api_write(&headers)?;
    annual::keeps_class_budget(&v)?;
    let now = state.clock.now();
    let today = state.clock.today();
    let (entries, warning) = state
        .pool
        .run(move |s| {
            let budget = match body {
                Some(Json(b)) => b,
                None => annual::class_budget(s, id, today)?,
            };
            let warning = annual::outside_plan(s, &budget)?;
            Ok((
                annual::commit_class_budget(s, &v.username, id, &budget, now)?,
                warning,
            ))
        })
        .await?;
    let parts: Vec<Value> = entries
        .iter()
        .map(|e| json!({ "unit_id": e.unit_id, "source": e.source, "amount": e.amount }))
        .collect();
    Ok((
        StatusCode::CREATED,
        Json(json!({ "class_id": id, "commitments": parts, "warning": warning })),
    )
        .into_response())
}

#[derive(Debug, Deserialize)]
pub struct SettleBody {
    pub settled_on: NaiveDate,
    /// Empty: read from the learners' records (each one's cost).
    #[serde(default)]
    pub payments: Vec<Payment>,
}

/// `POST /api/v1/budget/classes/{id}/settlement`: what the class finish hook does.
pub async fn settle_class(
    State(state): State<AppState>,
    v: Viewer,
    headers: HeaderMap,
    Path(id): Path<i64>,
    Json(body): Json<SettleBody>,
) -> Result<Response, AppError> {
    v.check_api_write(&headers)?;
    annual::keeps_class_budget(&v)?;
    let now = state.clock.now();
    let s = state
        .pool
        .run(move |s| {
            let payments = if body.payments.is_empty() {
                annual::class_payments(s, id)?
            } else {
                body.payments
            };
            let settled = annual::settle_class_budget(s, &v.username, id, body.settled_on, &payments, now)?;
            Ok((settled, annual::class_settlement_by_source(s, id)?))
        })
        .await?;
    let (s, by_source) = s;
    let mut body = serde_json::to_value(&s).map_err(|e| AppError::Internal(e.to_string()))?;
    body["by_source"] = serde_json::to_value(&by_source).map_err(|e| AppError::Internal(e.to_string()))?;
    Ok((StatusCode::CREATED, Json(body)).into_response())
}

pub async fn duties(
    State(state): State<AppState>,
    v: Viewer,
) -> Result<Json<annual::DutiesView>, AppError> {
    let today = state.clock.today();
    Ok(Json(
        state
            .pool
            .run(move |s| annual::duties_view(s, &v, today))
            .await?,
    ))
}

pub async fn create_duty(
    State(state): State<AppState>,
    v: Viewer,
    headers: HeaderMap,
    Json(body): Json<annual::DutyInput>,
) -> Result<Response, AppError> {
    v.check_api_write(&headers)?;
    let now = state.clock.now();
    let id = state
        .pool
        .run(move |s| annual::create_duty(s, &v, &body, now))
        .await?;
    Ok((StatusCode::CREATED, Json(json!({ "id": id }))).into_response())
}

pub async fn duty(
    State(state): State<AppState>,
    v: Viewer,
    Path(id): Path<i64>,
) -> Result<Json<annual::DutyView>, AppError> {
    let today = state.clock.today();
    Ok(Json(
        state
            .pool
            .run(move |s| annual::duty_view(s, &v, id, today))
            .await?,
    ))
}

pub async fn add_duty_update(
    State(state): State<AppState>,
    v: Viewer,
    headers: HeaderMap,
    Path(id): Path<i64>,
    Json(body): Json<DutyUpdateInput>,
) -> Result<Response, AppError> {
    v.check_api_write(&headers)?;
    let now = state.clock.now();
    let uid = state
        .pool
        .run(move |s| annual::add_duty_update(s, &v, id, &body, None, now))
        .await?;
    Ok((StatusCode::CREATED, Json(json!({ "id": uid }))).into_response())
}

#[derive(Debug, Deserialize)]
pub struct CommentBody {
    pub note: String,
}

/// `POST /api/v1/duties/{id}/comments`: a partner's comment.
pub async fn add_duty_comment(
    State(state): State<AppState>,
    v: Viewer,
    headers: HeaderMap,
    Path(id): Path<i64>,
    Json(body): Json<CommentBody>,
) -> Result<Response, AppError> {
    v.check_api_write(&headers)?;
    let now = state.clock.now();
    let cid = state
        .pool
        .run(move |s| annual::add_duty_comment(s, &v, id, &body.note, now))
        .await?;
    Ok((StatusCode::CREATED, Json(json!({ "id": cid }))).into_response())
}

#[derive(Debug, Deserialize)]
pub struct FileQuery {
    pub name: String,
    pub state: Option<String>,
    pub deadline: Option<NaiveDate>,
    pub note: Option<String>,
}

/// `POST /api/v1/duties/{id}/files?name=…`: the body is the file; recorded
/// with a status update (in progress unless `state` says otherwise).
pub async fn upload_duty_file(
    State(state): State<AppState>,
    v: Viewer,
    headers: HeaderMap,
    Path(id): Path<i64>,
    Query(q): Query<FileQuery>,
    body: Bytes,
) -> Result<Response, AppError> {
    v.check_api_write(&headers)?;
    let content_type = headers
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("application/octet-stream")
        .to_string();
    let input = DutyUpdateInput {
        deadline: q.deadline,
        state: q.state.unwrap_or_else(|| "dang_thuc_hien".into()),
        note: q.note,
    };
    let now = state.clock.now();
    let uid = state
        .pool
        .run(move |s| {
            annual::add_duty_update(
                s,
                &v,
                id,
                &input,
                Some((q.name, content_type, body.to_vec())),
                now,
            )
        })
        .await?;
    Ok((StatusCode::CREATED, Json(json!({ "id": uid }))).into_response())
}

pub async fn import_duties(
    State(state): State<AppState>,
    v: Viewer,
    headers: HeaderMap,
) -> Result<Json<Value>, AppError> {
    v.check_api_write(&headers)?;
    let plan = state
        .plan
        .clone()
        .ok_or_else(|| AppError::NotFound("kế hoạch giai đoạn đang áp dụng".into()))?;
    let now = state.clock.now();
    let n = state
        .pool
        .run(move |s| annual::import_duties(s, &v, &plan.plan(), now))
        .await?;
    Ok(Json(json!({ "imported": n })))
}

// ---------------------------------------------------------------- documents

fn docx(bytes: Vec<u8>, name: &str) -> Response {
    (
        [
            (
                CONTENT_TYPE,
                "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
                    .to_string(),
            ),
            (
                CONTENT_DISPOSITION,
                format!("attachment; filename=\"{name}\""),
            ),
        ],
        bytes,
    )
        .into_response()
}

/// Who may download the documents to sign: the Sở Nội vụ, finance, the leadership.
fn reads_documents(v: &Viewer) -> Result<(), AppError> {
    match v.role {
        Role::Admin | Role::Finance | Role::Leader => Ok(()),
        _ => Err(AppError::Forbidden),
    }
}

/// `GET /reports/annual-plan.docx?year=Y` (pages and API).
pub async fn annual_plan_docx(
    State(state): State<AppState>,
    v: Viewer,
    Query(q): Query<YearQuery>,
) -> Result<Response, AppError> {
    reads_documents(&v)?;
    let plan = state
        .plan
        .clone()
        .ok_or_else(|| AppError::NotFound("kế hoạch giai đoạn đang áp dụng".into()))?;
    let today = state.clock.today();
    let year = year_or_next(&q, today);
    let bytes = state
        .pool
        .run(move |s| {
            let result = plan.evaluate(s, today, None, false, false)?;
            crate::documents::annual_plan(s, &plan.plan(), (*result).clone(), year, today)
        })
        .await?;
    Ok(docx(bytes, &format!("ke-hoach-dtbd-{year}.docx")))
}

/// `GET /reports/annual-plan.xlsx?year=Y`: the year's figures as a workbook.
pub async fn annual_plan_xlsx(
    State(state): State<AppState>,
    v: Viewer,
    Query(q): Query<YearQuery>,
) -> Result<Response, AppError> {
    reads_documents(&v)?;
    let plan = state
        .plan
        .clone()
        .ok_or_else(|| AppError::NotFound("kế hoạch giai đoạn đang áp dụng".into()))?;
    let today = state.clock.today();
    let year = year_or_next(&q, today);
    let bytes = state
        .pool
        .run(move |s| {
            let result = plan.evaluate(s, today, None, false, false)?;
            let sheets = crate::documents::annual_plan_sheets(s, &result, year, today)?;
            nangluc_io::export::write_tables_to_bytes(&sheets)
                .map_err(|e| AppError::Internal(e.to_string()))
        })
        .await?;
    Ok(xlsx(bytes, &format!("ke-hoach-dtbd-{year}.xlsx")))
}

#[derive(Debug, Deserialize)]
pub struct ReviewQuery {
    /// mid-term or final.
    pub kind: String,
    pub as_of: Option<String>,
}

/// Reads `mid-term` / `final`.
pub fn review_kind(s: &str) -> Result<ReviewKind, AppError> {
    match s {
        "mid-term" | "so-ket" => Ok(ReviewKind::MidTerm),
        "final" | "tong-ket" => Ok(ReviewKind::Final),
        _ => Err(AppError::BadRequest(format!(
            "Loại báo cáo «{s}» không có: dùng mid-term (sơ kết) hoặc final (tổng kết)."
        ))),
    }
}

/// `GET /reports/review.docx?kind=mid-term|final[&as_of=dd/mm/yyyy]`.
pub async fn review_docx(
    State(state): State<AppState>,
    v: Viewer,
    Query(q): Query<ReviewQuery>,
) -> Result<Response, AppError> {
    reads_documents(&v)?;
    let kind = review_kind(&q.kind)?;
    let plan = state
        .plan
        .clone()
        .ok_or_else(|| AppError::NotFound("kế hoạch giai đoạn đang áp dụng".into()))?;
    let as_of = review_date(&q, state.clock.today())?;
    let bytes = state
        .pool
        .run(move |s| {
            let result = plan.evaluate(s, as_of, None, false, false)?;
            crate::documents::review(s, &plan.plan(), (*result).clone(), kind, as_of)
        })
        .await?;
    Ok(docx(bytes, &format!("{}.docx", review_file_stem(kind))))
}

fn review_file_stem(kind: ReviewKind) -> &'static str {
    match kind {
        ReviewKind::MidTerm => "bao-cao-so-ket",
        ReviewKind::Final => "bao-cao-tong-ket",
    }
}

/// `GET /reports/review.xlsx?kind=mid-term|final&as_of=D`: the review's tables
/// as a workbook (targets, units, the groups to encourage).
pub async fn review_xlsx(
    State(state): State<AppState>,
    v: Viewer,
    Query(q): Query<ReviewQuery>,
) -> Result<Response, AppError> {
    reads_documents(&v)?;
    let kind = review_kind(&q.kind)?;
    let plan = state
        .plan
        .clone()
        .ok_or_else(|| AppError::NotFound("kế hoạch giai đoạn đang áp dụng".into()))?;
    let as_of = review_date(&q, state.clock.today())?;
    let bytes = state
        .pool
        .run(move |s| {
            let result = plan.evaluate(s, as_of, None, false, false)?;
            let sheets = crate::documents::review_sheets(s, &plan.plan(), &result, as_of)?;
            nangluc_io::export::write_tables_to_bytes(&sheets)
                .map_err(|e| AppError::Internal(e.to_string()))
        })
        .await?;
    Ok(xlsx(bytes, &format!("{}.xlsx", review_file_stem(kind))))
}

fn review_date(q: &ReviewQuery, today: NaiveDate) -> Result<NaiveDate, AppError> {
    match q.as_of.as_deref().filter(|s| !s.is_empty()) {
        None => Ok(today),
        Some(s) => parse_day(s)
            .ok_or_else(|| AppError::BadRequest(format!("'{s}' không phải ngày hợp lệ."))),
    }
}

fn xlsx(bytes: Vec<u8>, name: &str) -> Response {
    (
        [
            (
                CONTENT_TYPE,
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet".to_string(),
            ),
            (CONTENT_DISPOSITION, format!("attachment; filename=\"{name}\"")),
        ],
        bytes,
    )
        .into_response()
}

// ---------------------------------------------------------------- OpenAPI

/// Adds the annual plans, budget, duties and documents to the OpenAPI document.
pub fn extend_openapi(doc: &mut Value) {
    let s = |t: &str| json!({ "type": t });
    let int = json!({ "type": "integer", "format": "int64" });
    let r = |name: &str| json!({ "$ref": format!("#/components/schemas/{name}") });
    let ok = |schema: Value| json!({ "description": "Thành công", "content": { "application/json": { "schema": schema } } });
    let refused = json!({ "$ref": "#/components/responses/Forbidden" });
    let bad = json!({ "description": "Yêu cầu không hợp lệ (thao tác không được phép ở trạng thái hiện tại, số liệu sai…)", "content": { "application/json": { "schema": r("Error") } } });
    let path_param = |name: &str, what: &str| json!({ "name": name, "in": "path", "required": true, "description": what, "schema": int });
    let query = |name: &str, what: &str, schema: Value| json!({ "name": name, "in": "query", "required": false, "description": what, "schema": schema });
    let body = |schema: Value| json!({ "required": true, "content": { "application/json": { "schema": schema } } });
    let write = |summary: &str,
                 tag: &str,
                 params: Value,
                 request: Option<Value>,
                 response: Value| {
        let mut op = json!({
            "summary": summary, "tags": [tag], "parameters": params,
            "description": "Với phiên trình duyệt (cookie) cần gửi kèm tiêu đề X-CSRF-Token.",
            "responses": { "200": response.clone(), "201": response, "400": bad.clone(), "401": { "$ref": "#/components/responses/Unauthenticated" }, "403": refused.clone() }
        });
        if let Some(b) = request {
            op["requestBody"] = b;
        }
        op
    };
    let read = |summary: &str, tag: &str, params: Value, response: Value| {
        json!({ "summary": summary, "tags": [tag], "parameters": params,
            "responses": { "200": response, "401": { "$ref": "#/components/responses/Unauthenticated" }, "403": refused.clone() } })
    };
    let year = query("year", "Năm kế hoạch; mặc định năm sau", s("integer"));
    let docx_ok = json!({ "description": "Tệp Word", "content": { "application/vnd.openxmlformats-officedocument.wordprocessingml.document": { "schema": { "type": "string", "format": "binary" } } } });
    let paths = json!({
        "/api/v1/annual-plans": {
            "get": read("Kế hoạch năm của các đơn vị (cán bộ tổ chức: đơn vị mình) và kế hoạch của tỉnh", "Kế hoạch năm", json!([year.clone()]), ok(r("AnnualOverview"))),
            "post": write("Lập kế hoạch năm (bản nháp) cho một đơn vị", "Kế hoạch năm", json!([]), Some(body(json!({ "type": "object", "properties": { "unit_id": int, "year": s("integer") }, "required": ["year"] }))), ok(json!({ "type": "object", "properties": { "id": int } })))
        },
        "/api/v1/annual-plans/{id}": {
            "get": read("Một kế hoạch năm: các dòng, lịch sử, đối chiếu với chỉ tiêu", "Kế hoạch năm", json!([path_param("id", "Mã số kế hoạch")]), ok(r("AnnualPlan")))
        },
        "/api/v1/annual-plans/{id}/lines": {
            "post": write("Thêm một dòng (chương trình, số lớp, lượt người, người dự kiến cử, kinh phí theo nguồn)", "Kế hoạch năm", json!([path_param("id", "Mã số kế hoạch")]), Some(body(r("PlanLineInput"))), ok(json!({ "type": "object", "properties": { "id": int } })))
        },
        "/api/v1/annual-plans/{id}/lines/{line}": {
            "delete": write("Bỏ một dòng", "Kế hoạch năm", json!([path_param("id", "Mã số kế hoạch"), path_param("line", "Mã số dòng")]), None, json!({ "description": "Đã bỏ" }))
        },
        "/api/v1/annual-plans/{id}/{action}": {
            "post": write("Gửi (submit, đơn vị), trả lại kèm ý kiến (return) hoặc tiếp nhận (accept) — Sở Nội vụ. Gửi sau 31/8 năm trước bị đánh dấu trễ hạn", "Kế hoạch năm",
                json!([path_param("id", "Mã số kế hoạch"), { "name": "action", "in": "path", "required": true, "schema": { "type": "string", "enum": ["submit", "return", "accept"] } }]),
                Some(json!({ "required": false, "content": { "application/json": { "schema": { "type": "object", "properties": { "comment": s("string") } } } } })),
                ok(json!({ "type": "object", "properties": { "id": int, "status": r("Coded") } })))
        },
        "/api/v1/province-plans/{year}/aggregate": {
            "post": write("Tổng hợp các kế hoạch đã tiếp nhận thành kế hoạch năm của tỉnh (Sở Nội vụ)", "Kế hoạch năm", json!([{ "name": "year", "in": "path", "required": true, "schema": s("integer") }]), None, ok(r("ProvincePlan")))
        },
        "/api/v1/province-plans/{year}/approve": {
            "post": write("Phê duyệt kế hoạch năm của tỉnh (Sở Nội vụ ghi số quyết định)", "Kế hoạch năm", json!([{ "name": "year", "in": "path", "required": true, "schema": s("integer") }]),
                Some(json!({ "required": false, "content": { "application/json": { "schema": { "type": "object", "properties": { "decision": s("string") } } } } })), ok(r("ProvincePlan")))
        },
        "/api/v1/budget": {
            "get": read("Sổ kinh phí của một năm: phân bổ, cam kết, đã chi, quyết toán; chênh lệch theo đơn vị, nguồn, chương trình", "Kinh phí", json!([year]), ok(r("Budget")))
        },
        "/api/v1/budget/allocations": {
            "post": write("Ghi phân bổ dự toán cho một đơn vị, một nguồn, một năm (tài chính)", "Kinh phí", json!([]), Some(body(json!({ "type": "object", "properties": { "year": s("integer"), "unit_id": int, "source": { "type": "string", "enum": ["state_budget", "unit", "learner", "sponsor"] }, "programme": s("string"), "amount": int, "note": s("string") }, "required": ["year", "unit_id", "source", "amount"] }))), ok(json!({ "type": "object", "properties": { "id": int } })))
        },
        "/api/v1/budget/classes/{id}/commitment": {
            "post": write("Cam kết kinh phí khi lớp được duyệt: chia theo số học viên của từng đơn vị", "Kinh phí", json!([path_param("id", "Mã số lớp")]),
                Some(body(json!({ "type": "object", "properties": { "programme": s("string"), "year": s("integer"), "on": { "type": "string", "format": "date" }, "source": s("string"), "total": int, "learners_by_unit": { "type": "array", "items": { "type": "array", "items": int, "minItems": 2, "maxItems": 2 } } }, "required": ["programme", "year", "on", "source", "total", "learners_by_unit"] }))),
                ok(json!({ "type": "object" })))
        },
        "/api/v1/budget/classes/{id}/settlement": {
            "post": write("Quyết toán lớp khi kết thúc: các khoản đã chi, phần hoàn lại hoặc chi vượt", "Kinh phí", json!([path_param("id", "Mã số lớp")]),
                Some(body(json!({ "type": "object", "properties": { "settled_on": { "type": "string", "format": "date" }, "payments": { "type": "array", "items": { "type": "object", "properties": { "unit_id": int, "source": s("string"), "amount": int, "document": s("string") }, "required": ["unit_id", "source", "amount"] } } }, "required": ["settled_on", "payments"] }))),
                ok(json!({ "type": "object" })))
        },
        "/api/v1/duties": {
            "get": read("Phân công trách nhiệm: thời hạn tới, tình trạng, việc quá hạn, nhắc việc", "Nhiệm vụ", json!([]), ok(r("Duties"))),
            "post": write("Thêm một nhiệm vụ (quản trị); thời hạn ghi bằng lời: «Trước ngày 31/8 hằng năm», «Quý IV hằng năm», «02 lần/năm», «Năm 2023», «Thường xuyên»", "Nhiệm vụ", json!([]),
                Some(body(json!({ "type": "object", "properties": { "code": s("string"), "task": s("string"), "lead": s("string"), "partners": { "type": "array", "items": s("string") }, "products": s("string"), "when": s("string") }, "required": ["code", "task", "lead", "when"] }))),
                ok(json!({ "type": "object", "properties": { "id": int } })))
        },
        "/api/v1/duties/import": {
            "post": write("Nạp bảng phân công trách nhiệm từ kế hoạch giai đoạn đang áp dụng (quản trị)", "Nhiệm vụ", json!([]), None, ok(json!({ "type": "object", "properties": { "imported": s("integer") } })))
        },
        "/api/v1/duties/{id}": {
            "get": read("Một nhiệm vụ: các hạn, cập nhật tiến độ, tệp đính kèm", "Nhiệm vụ", json!([path_param("id", "Mã số nhiệm vụ")]), ok(json!({ "type": "object" })))
        },
        "/api/v1/duties/{id}/updates": {
            "post": write("Cập nhật tiến độ một nhiệm vụ (cho một hạn hoặc cả nhiệm vụ)", "Nhiệm vụ", json!([path_param("id", "Mã số nhiệm vụ")]),
                Some(body(json!({ "type": "object", "properties": { "deadline": { "type": "string", "format": "date" }, "state": { "type": "string", "enum": ["chua_thuc_hien", "dang_thuc_hien", "hoan_thanh", "khong_thuc_hien"] }, "note": s("string") }, "required": ["state"] }))),
                ok(json!({ "type": "object", "properties": { "id": int } })))
        },
        "/api/v1/duties/{id}/files": {
            "post": write("Đính kèm tệp (thân yêu cầu là nội dung tệp, tối đa 10 MB) cùng một cập nhật tiến độ", "Nhiệm vụ",
                json!([path_param("id", "Mã số nhiệm vụ"), { "name": "name", "in": "query", "required": true, "schema": s("string") }, { "name": "state", "in": "query", "required": false, "schema": s("string") }]),
                Some(json!({ "required": true, "content": { "application/octet-stream": { "schema": { "type": "string", "format": "binary" } } } })),
                ok(json!({ "type": "object", "properties": { "id": int } })))
        },
        "/api/v1/reports/annual-plan.docx": {
            "get": { "summary": "Kế hoạch đào tạo, bồi dưỡng năm của tỉnh kèm các phụ lục (Word, thể thức Nghị định 30/2020)", "tags": ["Văn bản"], "parameters": [year_param()], "responses": { "200": docx_ok.clone(), "403": refused.clone() } }
        },
        "/api/v1/reports/review.docx": {
            "get": { "summary": "Báo cáo sơ kết hoặc tổng kết kế hoạch giai đoạn (Word)", "tags": ["Văn bản"], "parameters": [
                { "name": "kind", "in": "query", "required": true, "schema": { "type": "string", "enum": ["mid-term", "final"] } },
                { "name": "as_of", "in": "query", "required": false, "schema": s("string") }
            ], "responses": { "200": docx_ok, "403": refused.clone() } }
        },
        "/api/v1/reports/review.xlsx": {
            "get": { "summary": "Số liệu sơ kết, tổng kết (Excel): chỉ tiêu so với ngưỡng, theo đơn vị, lượt người được đào tạo là nữ, dân tộc thiểu số, ở vùng khó khăn", "tags": ["Văn bản"], "parameters": [
                { "name": "kind", "in": "query", "required": true, "schema": { "type": "string", "enum": ["mid-term", "final"] } },
                { "name": "as_of", "in": "query", "required": false, "schema": s("string") }
            ], "responses": { "200": { "description": "Tệp Excel", "content": { "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": { "schema": { "type": "string", "format": "binary" } } } }, "403": refused } }
        }
    });
    let costs = json!({ "type": "object", "properties": { "state_budget": int, "unit": int, "learner": int, "sponsor": int, "total": int } });
    let schemas = json!({
        "PlanSummary": { "type": "object", "properties": { "id": int, "unit": { "type": "object" }, "year": s("integer"), "status": r("Coded"), "submitted_at": { "type": "string", "format": "date-time", "nullable": true }, "late": s("boolean"), "classes": int, "person_times": int, "costs": costs }, "required": ["id", "unit", "year", "status", "late"] },
        "AnnualOverview": { "type": "object", "properties": { "year": s("integer"), "deadline": { "type": "string", "format": "date" }, "plans": { "type": "array", "items": r("PlanSummary") }, "province": { "allOf": [r("ProvincePlan")], "nullable": true }, "accepted": s("integer"), "can_aggregate": s("boolean"), "can_approve": s("boolean") } },
        "PlanLineInput": { "type": "object", "properties": { "programme": s("string"), "target_id": s("string"), "classes": int, "person_times": int, "cost_state_budget": int, "cost_unit": int, "cost_learner": int, "cost_sponsor": int, "note": s("string"), "people": { "type": "array", "items": int } }, "required": ["programme"] },
        "AnnualPlan": { "type": "object", "properties": {
            "plan": r("PlanSummary"), "deadline": { "type": "string", "format": "date" },
            "lines": { "type": "array", "items": { "type": "object" } },
            "events": { "type": "array", "items": { "type": "object", "properties": { "at": { "type": "string", "format": "date-time" }, "actor": s("string"), "action": s("string"), "to_status": r("Coded"), "comment": { "type": "string", "nullable": true } } } },
            "check": { "type": "object", "nullable": true, "properties": { "shortfalls": { "type": "array", "items": { "type": "object", "properties": { "target_id": s("string"), "needed": int, "planned": int, "short": int, "message": s("string") } } }, "not_needed": { "type": "array", "items": { "type": "object" } } } },
            "can_edit": s("boolean"), "can_submit": s("boolean"), "can_review": s("boolean")
        } },
        "ProvincePlan": { "type": "object", "properties": { "year": s("integer"), "status": r("Coded"), "aggregated_by": s("string"), "approved_by": { "type": "string", "nullable": true }, "decision": { "type": "string", "nullable": true }, "lines": { "type": "array", "items": { "type": "object" } }, "totals": { "type": "object" } } },
        "Budget": { "type": "object", "properties": { "year": s("integer"), "allocations": { "type": "array", "items": { "type": "object" } }, "by_unit": { "type": "array", "items": r("Variance") }, "by_source": { "type": "array", "items": r("Variance") }, "by_programme": { "type": "array", "items": r("Variance") }, "settlements": { "type": "array", "items": { "type": "object" } } } },
        "Variance": { "type": "object", "properties": { "label": s("string"), "allocated": int, "committed": int, "spent": int, "released": int, "open_commitments": int, "available": int, "variance": int } },
        "Duties": { "type": "object", "properties": { "today": { "type": "string", "format": "date" }, "duties": { "type": "array", "items": { "type": "object" } }, "overdue": { "type": "array", "items": { "type": "object" } }, "reminders": { "type": "array", "items": { "type": "object" } } } }
    });
    if let (Some(p), Value::Object(add)) = (doc["paths"].as_object_mut(), paths) {
        p.extend(add);
    }
    if let (Some(c), Value::Object(add)) = (doc["components"]["schemas"].as_object_mut(), schemas) {
        c.extend(add);
    }
}

fn year_param() -> Value {
    json!({ "name": "year", "in": "query", "required": false, "description": "Năm kế hoạch; mặc định năm sau", "schema": { "type": "integer" } })
}
