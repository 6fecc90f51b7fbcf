//! Handlers of service commitments and compensations, pages and JSON API:
//! parse, call [`crate::commitments`], render or redirect back.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::{Form, Json};
use serde::Deserialize;
use serde_json::json;

use crate::AppState;
use crate::auth::Viewer;
use crate::commitments::{self, CommitmentInput, CommitmentsList, DepartureInput, PaymentInput};
use crate::error::AppError;
use crate::pages::Chrome;

fn render<T: Template>(t: &T) -> Result<Response, AppError> {
    Ok(Html(t.render()?).into_response())
}

fn see_other(to: String) -> Response {
    Redirect::to(&to).into_response()
}

#[derive(Template)]
#[template(path = "commitments.html")]
struct ListPage {
    chrome: Chrome,
    l: CommitmentsList,
}

#[derive(Debug, Default, Deserialize)]
pub struct ListQuery {
    /// "1": only the compensations owed and not paid.
    #[serde(default)]
    owed: Option<String>,
}

/// `GET /commitments`: HR (their subtree), finance and the Sở Nội vụ.
pub async fn list(
    State(state): State<AppState>,
    v: Viewer,
    Query(q): Query<ListQuery>,
) -> Result<Response, AppError> {
    let today = state.clock.today();
    let only_owed = q.owed.as_deref() == Some("1");
    let viewer = v.clone();
    let l = state
        .pool
        .run(move |s| commitments::list(s, &viewer, only_owed, today))
        .await?;
    render(&ListPage {
        chrome: Chrome::new(
            &v,
            "Cam kết phục vụ và đền bù chi phí đào tạo",
            "/commitments",
        ),
        l,
    })
}

#[derive(Debug, Deserialize)]
pub struct RecordForm {
    csrf: Option<String>,
    #[serde(flatten)]
    input: CommitmentInput,
}

/// `POST /people/{id}/commitments`: the form of the person's page.
pub async fn record(
    State(state): State<AppState>,
    v: Viewer,
    Path(person_id): Path<i64>,
    Form(f): Form<RecordForm>,
) -> Result<Response, AppError> {
    v.check_csrf(f.csrf.as_deref())?;
    let now = state.clock.now();
    let id = state
        .pool
        .run(move |s| commitments::record(s, &v, person_id, &f.input, now))
        .await?;
    Ok(see_other(format!("/people/{person_id}#cam-ket-{id}")))
}

#[derive(Debug, Deserialize)]
pub struct DepartureForm {
    csrf: Option<String>,
    #[serde(flatten)]
    input: DepartureInput,
}

/// `POST /commitments/{id}/departure`: leaving early, from the person's page.
pub async fn departure(
    State(state): State<AppState>,
    v: Viewer,
    Path(id): Path<i64>,
    Form(f): Form<DepartureForm>,
) -> Result<Response, AppError> {
    v.check_csrf(f.csrf.as_deref())?;
    let now = state.clock.now();
    let person = state
        .pool
        .run(move |s| {
            commitments::record_departure(s, &v, id, &f.input, now)?;
            Ok(s.service_commitment(id)?.map(|r| r.commitment.person_id))
        })
        .await?;
    Ok(see_other(match person {
        Some(p) => format!("/people/{p}#cam-ket-{id}"),
        None => "/commitments".into(),
    }))
}

#[derive(Debug, Deserialize)]
pub struct PaidForm {
    csrf: Option<String>,
    #[serde(flatten)]
    input: PaymentInput,
    /// Where to go back: "person" (the person's page) or the list.
    #[serde(default)]
    back: Option<String>,
}

/// `POST /commitments/{id}/paid`: finance records the payment.
pub async fn paid(
    State(state): State<AppState>,
    v: Viewer,
    Path(id): Path<i64>,
    Form(f): Form<PaidForm>,
) -> Result<Response, AppError> {
    v.check_csrf(f.csrf.as_deref())?;
    let now = state.clock.now();
    let input = f.input;
    let person = state
        .pool
        .run(move |s| commitments::mark_paid(s, &v, id, &input, now))
        .await?;
    Ok(see_other(if f.back.as_deref() == Some("person") {
        format!("/people/{person}#cam-ket-{id}")
    } else {
        "/commitments".into()
    }))
}

#[derive(Debug, Deserialize)]
pub struct ClassForm {
    csrf: Option<String>,
    #[serde(default)]
    posted_on: Option<String>,
    #[serde(default)]
    decision: Option<String>,
}

/// `POST /classes/{id}/service-commitments`: the commitments of a finished
/// postgraduate class's state-funded learners.
pub async fn record_for_class(
    State(state): State<AppState>,
    v: Viewer,
    Path(class_id): Path<i64>,
    Form(f): Form<ClassForm>,
) -> Result<Response, AppError> {
    v.check_csrf(f.csrf.as_deref())?;
    let now = state.clock.now();
    state
        .pool
        .run(move |s| {
            commitments::record_for_class(
                s,
                &v,
                class_id,
                f.posted_on.as_deref(),
                f.decision.as_deref(),
                now,
            )
        })
        .await?;
    Ok(see_other(format!("/classes/{class_id}")))
}

// ---------------------------------------------------------------- API

/// `GET /api/v1/commitments`.
pub async fn api_list(
    State(state): State<AppState>,
    v: Viewer,
    Query(q): Query<ListQuery>,
) -> Result<Json<CommitmentsList>, AppError> {
    let today = state.clock.today();
    let only_owed = q.owed.as_deref() == Some("1");
    Ok(Json(
        state
            .pool
            .run(move |s| commitments::list(s, &v, only_owed, today))
            .await?,
    ))
}

/// `GET /api/v1/commitments/{id}`.
pub async fn api_one(
    State(state): State<AppState>,
    v: Viewer,
    Path(id): Path<i64>,
) -> Result<Json<commitments::CommitmentView>, AppError> {
    let today = state.clock.today();
    Ok(Json(
        state
            .pool
            .run(move |s| commitments::one(s, &v, id, today))
            .await?,
    ))
}

/// `GET /api/v1/people/{id}/commitments`.
pub async fn api_person(
    State(state): State<AppState>,
    v: Viewer,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let today = state.clock.today();
    let found = state
        .pool
        .run(move |s| commitments::person_commitments(s, &v, id, today))
        .await?;
    match found {
        Some(p) => Ok(Json(p).into_response()),
        None => Err(AppError::Forbidden),
    }
}

/// `POST /api/v1/people/{id}/commitments`.
pub async fn api_record(
    State(state): State<AppState>,
    v: Viewer,
    headers: HeaderMap,
    Path(person_id): Path<i64>,
    Json(input): Json<CommitmentInput>,
) -> Result<Response, AppError> {
    v.check_api_write(&headers)?;
    let now = state.clock.now();
    let today = state.clock.today();
    let view = state
        .pool
        .run(move |s| {
            let id = commitments::record(s, &v, person_id, &input, now)?;
            commitments::one(s, &v, id, today)
        })
        .await?;
    Ok((StatusCode::CREATED, Json(view)).into_response())
}

/// `POST /api/v1/commitments/{id}/departure`.
pub async fn api_departure(
    State(state): State<AppState>,
    v: Viewer,
    headers: HeaderMap,
    Path(id): Path<i64>,
    Json(input): Json<DepartureInput>,
) -> Result<Response, AppError> {
    v.check_api_write(&headers)?;
    let now = state.clock.now();
    let today = state.clock.today();
    let view = state
        .pool
        .run(move |s| {
            commitments::record_departure(s, &v, id, &input, now)?;
            commitments::one(s, &v, id, today)
        })
        .await?;
    Ok((StatusCode::CREATED, Json(view)).into_response())
}

/// `POST /api/v1/commitments/{id}/payment`.
pub async fn api_paid(
    State(state): State<AppState>,
    v: Viewer,
    headers: HeaderMap,
    Path(id): Path<i64>,
    Json(input): Json<PaymentInput>,
) -> Result<Response, AppError> {
    v.check_api_write(&headers)?;
    let now = state.clock.now();
    let today = state.clock.today();
    let view = state
        .pool
        .run(move |s| {
            commitments::mark_paid(s, &v, id, &input, now)?;
            commitments::one(s, &v, id, today)
        })
        .await?;
    Ok((StatusCode::OK, Json(json!({ "commitment": view }))).into_response())
}

/// The OpenAPI description of these routes (and of duty comments), added to
/// the document by [`crate::api`].
pub fn openapi_paths() -> serde_json::Value {
    let id = |what: &str| json!({ "name": "id", "in": "path", "required": true, "description": what, "schema": { "type": "integer" } });
    let r = |name: &str| json!({ "$ref": format!("#/components/schemas/{name}") });
    let errors = |ok: &str, schema: serde_json::Value| {
        json!({
            ok: { "description": "Thành công", "content": { "application/json": { "schema": schema } } },
            "400": { "description": "Dữ liệu không hợp lệ: thông báo tiếng Việt nêu từng trường và lý do; không ghi gì", "content": { "application/json": { "schema": r("Error") } } },
            "401": { "$ref": "#/components/responses/Unauthenticated" },
            "403": { "description": "Không có quyền, kèm lý do (ai được làm việc này)", "content": { "application/json": { "schema": r("Error") } } },
            "409": { "description": "Đã ghi rồi (đền bù đã tính, đã nộp)", "content": { "application/json": { "schema": r("Error") } } }
        })
    };
    let body = |schema: serde_json::Value| json!({ "required": true, "content": { "application/json": { "schema": schema } } });
    let tag = ["Cam kết phục vụ, đền bù"];
    let note = "Ghi dữ liệu: dùng mã bearer, hoặc cookie phiên kèm tiêu đề X-CSRF-Token.";
    let text = json!({ "type": "string" });
    json!({
        "paths": {
            "/api/v1/commitments": { "get": {
                "summary": "Cam kết phục vụ và khoản đền bù (cán bộ tổ chức: của đơn vị mình và trực thuộc; tài chính, Sở Nội vụ: tất cả)",
                "tags": tag,
                "parameters": [{ "name": "owed", "in": "query", "required": false, "description": "1: chỉ khoản đền bù chưa nộp", "schema": { "type": "string" } }],
                "responses": errors("200", r("CommitmentsList"))
            }},
            "/api/v1/commitments/{id}": { "get": { "summary": "Một cam kết, kèm cách tính đền bù", "tags": tag, "parameters": [id("Mã số cam kết")], "responses": errors("200", r("ServiceCommitment")) } },
            "/api/v1/people/{id}/commitments": {
                "get": { "summary": "Các cam kết của một người", "tags": tag, "parameters": [id("Mã số người")], "responses": errors("200", json!({ "type": "object" })) },
                "post": { "summary": "Ghi cam kết phục vụ (quy định chọn theo đối tượng và ngày cử đi học, giữ nguyên cùng cam kết)", "tags": tag, "description": note,
                    "parameters": [id("Mã số người")], "requestBody": body(r("CommitmentInput")), "responses": errors("201", r("ServiceCommitment")) }
            },
            "/api/v1/commitments/{id}/departure": { "post": { "summary": "Nghỉ trước thời hạn: tính và ghi khoản đền bù", "tags": tag, "description": note,
                "parameters": [id("Mã số cam kết")],
                "requestBody": body(json!({ "type": "object", "required": ["left_on", "reason"], "properties": {
                    "left_on": { "type": "string", "description": "dd/mm/yyyy hoặc yyyy-mm-dd" },
                    "reason": { "type": "string", "enum": ["bo_hoc", "khong_cap_bang", "buoc_thoi_viec", "thoi_viec_truoc_han", "xin_thoi_viec", "chuyen_ra_ngoai"] },
                    "note": text } })),
                "responses": errors("201", r("ServiceCommitment")) } },
            "/api/v1/commitments/{id}/payment": { "post": { "summary": "Ghi đã nộp tiền đền bù (tài chính, Sở Nội vụ)", "tags": tag, "description": note,
                "parameters": [id("Mã số cam kết")],
                "requestBody": body(json!({ "type": "object", "required": ["paid_on"], "properties": { "paid_on": text, "document": text } })),
                "responses": errors("200", json!({ "type": "object", "properties": { "commitment": r("ServiceCommitment") } })) } },
            "/api/v1/duties/{id}/comments": { "post": { "summary": "Ý kiến của cơ quan phối hợp (không đổi tình trạng nhiệm vụ)", "tags": ["Phân công trách nhiệm"], "description": note,
                "parameters": [id("Mã số nhiệm vụ")],
                "requestBody": body(json!({ "type": "object", "required": ["note"], "properties": { "note": text } })),
                "responses": errors("201", json!({ "type": "object", "properties": { "id": { "type": "integer" } } })) } }
        },
        "schemas": {
            "CommitmentInput": { "type": "object", "required": ["course", "institution", "degree_level", "posted_on", "course_starts_on", "course_ends_on", "cost"], "properties": {
                "class_id": { "type": "integer", "nullable": true }, "course": text, "institution": text,
                "degree_level": { "type": "string", "enum": ["thac_si", "tien_si", "chuyen_khoa_1", "chuyen_khoa_2"] },
                "decision": text, "posted_on": text, "course_starts_on": text, "course_ends_on": text,
                "training_months": { "type": "string", "description": "Để trống: tính từ ngày học (tháng bắt đầu dở tính là 1 tháng)" },
                "cost": { "type": "string", "description": "F, đồng: 120.000.000 hoặc 120000000" },
                "prior_service_years": { "type": "string", "description": "Để trống: tính từ hồ sơ công tác" },
                "degree_obtained": { "type": "string", "enum": ["", "co", "khong"] }, "note": text } },
            "ServiceCommitment": { "type": "object", "description": "Cam kết, quy định áp dụng (rule), T1 (months_committed), tình trạng, khoản đền bù với cách tính (compensation.working)" },
            "CommitmentsList": { "type": "object", "properties": { "items": { "type": "array", "items": r("ServiceCommitment") }, "owed_count": { "type": "integer" }, "owed_total": text, "paid_total": text } }
        }
    })
}
