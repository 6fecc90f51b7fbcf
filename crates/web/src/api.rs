//! The JSON API under `/api/v1`: the same readings as the pages, with the same
//! authorisation (session cookie, or a bearer token of the same account).
//! Errors are JSON (see [`crate::error::render_errors`]).

use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use serde_json::{Value, json};

use crate::AppState;
use crate::auth::{self, LoginError, Perm, Viewer};
use crate::error::AppError;
use crate::fmt::{Moment, parse_day, today};
use crate::service::{self, AuditFilter, ClassFilter, RegistryFilter};

#[derive(Debug, Deserialize)]
pub struct TokenRequest {
    username: String,
    password: String,
}

/// `POST /api/v1/tokens`: a bearer token for an account (throttled like the login page).
pub async fn create_token(
    State(state): State<AppState>,
    auth::ClientIp(ip): auth::ClientIp,
    Json(body): Json<TokenRequest>,
) -> Result<Response, AppError> {
    let outcome = state
        .pool
        .run(move |s| auth::login(s, &body.username, &body.password, &ip, "api"))
        .await?;
    match outcome {
        Ok((token, session)) => Ok((
            StatusCode::CREATED,
            Json(json!({ "token": token, "token_type": "Bearer", "expires_at": Moment(session.expires_at) })),
        )
            .into_response()),
        Err(LoginError::Wrong) => Err(AppError::Unauthenticated),
        Err(LoginError::Throttled) => Err(AppError::Throttled),
    }
}

/// `DELETE /api/v1/session`: ends the session or token used.
pub async fn delete_session(
    State(state): State<AppState>,
    v: Viewer,
) -> Result<StatusCode, AppError> {
    let hash = v.token_hash.clone();
    state
        .pool
        .run(move |s| Ok(s.delete_session(&hash)?))
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

pub async fn me(v: Viewer) -> Json<Value> {
    let perms: Vec<&str> = [
        (Perm::People, "people"),
        (Perm::Units, "units"),
        (Perm::Programmes, "programmes"),
        (Perm::Classes, "classes"),
        (Perm::Dashboard, "dashboard"),
        (Perm::Audit, "changes"),
        (Perm::AnnualPlans, "annual-plans"),
        (Perm::Budget, "budget"),
        (Perm::Duties, "duties"),
        (Perm::PeriodPlan, "period-plan"),
        (Perm::Proposals, "proposals"),
    ]
    .into_iter()
    .filter(|(p, _)| v.role.allows(*p))
    .map(|(_, n)| n)
    .collect();
    Json(json!({
        "username": v.username,
        "display_name": v.display_name,
        "role": { "code": v.role.code(), "label": v.role.label() },
        "unit_id": v.unit_id,
        "person_id": v.person_id,
        "institution_id": v.institution_id,
        "can_read": perms,
    }))
}

pub async fn people(
    State(state): State<AppState>,
    v: Viewer,
    Query(f): Query<RegistryFilter>,
) -> Result<Json<service::PeopleResult>, AppError> {
    Ok(Json(
        state
            .pool
            .run(move |s| service::search_people(s, &v, &f))
            .await?,
    ))
}

#[derive(Debug, Deserialize)]
pub struct AsOf {
    as_of: Option<String>,
}

fn date(q: &AsOf) -> Result<Option<chrono::NaiveDate>, AppError> {
    match q.as_of.as_deref().filter(|s| !s.is_empty()) {
        None => Ok(None),
        Some(s) => parse_day(s)
            .map(Some)
            .ok_or_else(|| AppError::BadRequest(format!("'{s}' không phải ngày hợp lệ."))),
    }
}

pub async fn person(
    State(state): State<AppState>,
    v: Viewer,
    Path(id): Path<i64>,
    Query(q): Query<AsOf>,
) -> Result<Json<service::PersonView>, AppError> {
    let d = date(&q)?;
    Ok(Json(
        state
            .pool
            .run(move |s| service::person(s, &v, id, d))
            .await?,
    ))
}

pub async fn units(
    State(state): State<AppState>,
    v: Viewer,
    Query(q): Query<AsOf>,
) -> Result<Json<service::UnitsView>, AppError> {
    v.require(Perm::Units)?;
    let d = date(&q)?.unwrap_or_else(today);
    Ok(Json(
        state
            .pool
            .run(move |s| service::units_tree(s, &v, d))
            .await?,
    ))
}

pub async fn programmes(
    State(state): State<AppState>,
    v: Viewer,
) -> Result<Json<Vec<service::ProgrammeLine>>, AppError> {
    Ok(Json(
        state.pool.run(move |s| service::programmes(s, &v)).await?,
    ))
}

pub async fn classes(
    State(state): State<AppState>,
    v: Viewer,
    Query(f): Query<ClassFilter>,
) -> Result<Json<service::ClassesResult>, AppError> {
    Ok(Json(
        state.pool.run(move |s| service::classes(s, &v, &f)).await?,
    ))
}

pub async fn class(
    State(state): State<AppState>,
    v: Viewer,
    Path(id): Path<i64>,
) -> Result<Json<service::ClassView>, AppError> {
    Ok(Json(
        state.pool.run(move |s| service::class(s, &v, id)).await?,
    ))
}

pub async fn changes(
    State(state): State<AppState>,
    v: Viewer,
    Query(f): Query<AuditFilter>,
) -> Result<Json<service::ChangesResult>, AppError> {
    Ok(Json(
        state.pool.run(move |s| service::changes(s, &v, &f)).await?,
    ))
}

pub async fn change(
    State(state): State<AppState>,
    v: Viewer,
    Path(id): Path<i64>,
) -> Result<Json<service::ChangeView>, AppError> {
    Ok(Json(
        state.pool.run(move |s| service::change(s, &v, id)).await?,
    ))
}

pub async fn not_found() -> AppError {
    AppError::NotFound("đường dẫn API này".into())
}

// ---------------------------------------------------------------- OpenAPI

fn param(name: &str, location: &str, description: &str, schema: Value) -> Value {
    json!({ "name": name, "in": location, "required": location == "path", "description": description, "schema": schema })
}

fn get(summary: &str, tag: &str, params: Vec<Value>, schema: &str) -> Value {
    json!({ "get": {
        "summary": summary,
        "tags": [tag],
        "parameters": params,
        "responses": {
            "200": { "description": "Thành công", "content": { "application/json": { "schema": { "$ref": format!("#/components/schemas/{schema}") } } } },
            "401": { "$ref": "#/components/responses/Unauthenticated" },
            "403": { "$ref": "#/components/responses/Forbidden" }
        }
    }})
}

fn obj(props: Value, required: &[&str]) -> Value {
    json!({ "type": "object", "properties": props, "required": required })
}

/// The OpenAPI 3.0 description of the API, written by hand.
/// The active plan's results as of a date, for the viewer's scope.
pub async fn dashboard(
    State(state): State<AppState>,
    v: Viewer,
    Query(q): Query<service::DashboardQuery>,
) -> Result<Json<nangluc_engine::PlanResult>, AppError> {
    let plan = state.plan.clone();
    Ok(Json(
        state
            .pool
            .run(move |s| service::dashboard_result(s, plan.as_deref(), &v, &q))
            .await?,
    ))
}

pub fn openapi_document() -> Value {
    let s = |t: &str| json!({ "type": t });
    let date = json!({ "type": "string", "format": "date" });
    let opt_date = json!({ "type": "string", "format": "date", "nullable": true });
    let opt_s = json!({ "type": "string", "nullable": true });
    let r = |name: &str| json!({ "$ref": format!("#/components/schemas/{name}") });
    let arr = |name: &str| json!({ "type": "array", "items": { "$ref": format!("#/components/schemas/{name}") } });
    let id_path = |what: &str| {
        param(
            "id",
            "path",
            what,
            json!({ "type": "integer", "format": "int64" }),
        )
    };
    let as_of = param(
        "as_of",
        "query",
        "Ngày xem (yyyy-mm-dd hoặc dd/mm/yyyy); mặc định hôm nay.",
        json!({ "type": "string" }),
    );
    let page = param(
        "page",
        "query",
        "Trang (từ 1), mỗi trang 50 dòng.",
        json!({ "type": "integer", "minimum": 1 }),
    );
    let mut doc = json!({
        "openapi": "3.0.3",
        "info": {
            "title": "NăngLực API",
            "version": "1",
            "description": "Đọc dữ liệu đào tạo, bồi dưỡng cán bộ, công chức, viên chức với cùng quyền như giao diện web. Xác thực bằng cookie phiên hoặc `Authorization: Bearer <token>` lấy từ POST /api/v1/tokens. Ngày theo ISO 8601."
        },
        "servers": [{ "url": "/" }],
        "security": [{ "bearer": [] }, { "cookie": [] }],
        "paths": {
            "/api/v1/tokens": { "post": {
                "summary": "Lấy mã truy cập (bearer token) cho một tài khoản",
                "tags": ["Xác thực"],
                "security": [],
                "requestBody": { "required": true, "content": { "application/json": { "schema": obj(json!({ "username": s("string"), "password": s("string") }), &["username", "password"]) } } },
                "responses": {
                    "201": { "description": "Mã truy cập", "content": { "application/json": { "schema": r("Token") } } },
                    "401": { "$ref": "#/components/responses/Unauthenticated" },
                    "429": { "description": "Đăng nhập sai quá 5 lần trong 15 phút", "content": { "application/json": { "schema": r("Error") } } }
                }
            }},
            "/api/v1/session": { "delete": {
                "summary": "Kết thúc phiên hoặc thu hồi mã truy cập đang dùng",
                "tags": ["Xác thực"],
                "responses": { "204": { "description": "Đã kết thúc" }, "401": { "$ref": "#/components/responses/Unauthenticated" } }
            }},
            "/api/v1/me": get("Tài khoản đang dùng và quyền đọc", "Xác thực", vec![], "Me"),
            "/api/v1/people": get("Tìm hồ sơ nhân sự (trong phạm vi của tài khoản)", "Nhân sự", vec![
                param("q", "query", "Họ tên (không phân biệt hoa thường, có dấu hay không) hoặc số định danh", json!({ "type": "string" })),
                param("unit", "query", "Mã số đơn vị: chỉ người công tác trong đơn vị và các đơn vị trực thuộc", json!({ "type": "integer" })),
                param("category", "query", "Loại: cadre, civil_servant, public_employee, …", json!({ "type": "string" })),
                param("post", "query", "Mã chức vụ lãnh đạo, hoặc * cho mọi chức vụ", json!({ "type": "string" })),
                page.clone(),
            ], "PeopleResult"),
            "/api/v1/people/{id}": get("Hồ sơ một người và quá trình của họ tại một ngày", "Nhân sự", vec![id_path("Mã số người"), as_of.clone()], "Person"),
            "/api/v1/units": get("Cây đơn vị tại một ngày", "Đơn vị", vec![as_of], "Units"),
            "/api/v1/programmes": get("Danh mục chương trình", "Đào tạo", vec![], "Programmes"),
            "/api/v1/classes": get("Các lớp (cơ sở đào tạo chỉ thấy lớp của mình)", "Đào tạo", vec![
                param("q", "query", "Mã lớp chứa chuỗi này", json!({ "type": "string" })),
                param("year", "query", "Năm khai giảng", json!({ "type": "integer" })),
                param("status", "query", "Trạng thái lớp", json!({ "type": "string" })),
                page.clone(),
            ], "ClassesResult"),
            "/api/v1/classes/{id}": get("Một lớp và danh sách học viên", "Đào tạo", vec![id_path("Mã số lớp")], "ClassView"),
            "/api/v1/changes": get("Nhật ký thay đổi (chỉ quản trị)", "Nhật ký", vec![
                param("actor", "query", "Tài khoản thực hiện", json!({ "type": "string" })),
                param("reason", "query", "Lý do chứa chuỗi này", json!({ "type": "string" })),
                param("from", "query", "Từ ngày", json!({ "type": "string" })),
                param("to", "query", "Đến hết ngày", json!({ "type": "string" })),
                page,
            ], "ChangesResult"),
            "/api/v1/dashboard": get("Kết quả thực hiện các chỉ tiêu của kế hoạch đang áp dụng tại một ngày (quản trị, lãnh đạo, tài chính, cán bộ tổ chức — chỉ đơn vị mình). Danh sách người chưa đạt chỉ có khi tài khoản được xem họ tên", "Chỉ tiêu", vec![
                param("as_of", "query", "Ngày đánh giá (yyyy-mm-dd hoặc dd/mm/yyyy); mặc định hôm nay; sau hôm nay là dự báo.", json!({ "type": "string" })),
                param("unit", "query", "Mã đơn vị: đơn vị đó và các đơn vị trực thuộc (cán bộ tổ chức: mặc định và tối đa là đơn vị của mình)", json!({ "type": "string" })),
            ], "PlanResult"),
            "/api/v1/changes/{id}": get("Một lượt thay đổi và các bản ghi nó ghi nhận hoặc thay thế", "Nhật ký", vec![id_path("Mã số lượt thay đổi")], "ChangeView")
        },
        "components": {
            "securitySchemes": {
                "bearer": { "type": "http", "scheme": "bearer" },
                "cookie": { "type": "apiKey", "in": "cookie", "name": auth::SESSION_COOKIE }
            },
            "responses": {
                "Unauthenticated": { "description": "Chưa đăng nhập hoặc mã không hợp lệ", "content": { "application/json": { "schema": r("Error") } } },
                "Forbidden": { "description": "Tài khoản không có quyền", "content": { "application/json": { "schema": r("Error") } } }
            },
            "schemas": {
                "Error": obj(json!({ "error": s("string"), "message": s("string") }), &["error", "message"]),
                "Coded": obj(json!({ "code": s("string"), "label": s("string") }), &["code", "label"]),
                "Token": obj(json!({ "token": s("string"), "token_type": s("string"), "expires_at": { "type": "string", "format": "date-time" } }), &["token", "token_type", "expires_at"]),
                "Me": obj(json!({ "username": s("string"), "display_name": s("string"), "role": r("Coded"), "unit_id": { "type": "integer", "nullable": true }, "person_id": { "type": "integer", "nullable": true }, "institution_id": { "type": "integer", "nullable": true }, "can_read": { "type": "array", "items": s("string") } }), &["username", "role", "can_read"]),
                "Job": obj(json!({ "unit_id": s("integer"), "unit_name": s("string"), "category": r("Coded"), "rank": opt_s, "post": opt_s, "from": date, "to": opt_date, "current": s("boolean") }), &["unit_id", "unit_name", "category", "from", "current"]),
                "PersonRow": obj(json!({ "id": s("integer"), "full_name": s("string"), "identity_number": s("string"), "birth_date": date, "sex": r("Coded"), "jobs": arr("Job") }), &["id", "full_name", "identity_number", "birth_date", "sex", "jobs"]),
                "PeopleResult": obj(json!({ "as_of": date, "items": arr("PersonRow"), "page": s("integer"), "more": s("boolean") }), &["as_of", "items", "page", "more"]),
                "Person": obj(json!({
                    "id": s("integer"), "as_of": date, "full_name": s("string"), "identity_number": s("string"), "birth_date": date,
                    "age": s("integer"), "sex": r("Coded"), "ethnicity": s("string"), "details_in_force": s("boolean"),
                    "jobs": arr("Job"),
                    "roles": { "type": "array", "items": obj(json!({ "kind": r("Coded"), "term": opt_s, "post": opt_s, "approved_on": opt_date, "from": date, "to": opt_date, "current": s("boolean") }), &["kind", "from", "current"]) },
                    "qualifications": { "type": "array", "items": obj(json!({ "kind": r("Coded"), "level": r("Coded"), "field": opt_s, "language": opt_s, "obtained_on": date, "evidence": opt_s, "held": s("boolean") }), &["kind", "level", "obtained_on", "held"]) },
                    "training": { "type": "array", "items": obj(json!({ "programme_id": s("integer"), "programme": s("string"), "class_id": { "type": "integer", "nullable": true }, "class_code": opt_s, "status": r("Coded"), "starts_on": date, "ends_on": date, "attendance": opt_s, "result": opt_s, "certificate": opt_s, "cost": s("string"), "funding": r("Coded") }), &["programme_id", "programme", "status", "starts_on", "ends_on"]) }
                }), &["id", "as_of", "full_name", "jobs", "roles", "qualifications", "training"]),
                "Units": obj(json!({ "as_of": date, "units": { "type": "array", "items": obj(json!({ "id": s("integer"), "code": s("string"), "name": s("string"), "level": r("Coded"), "kind": r("Coded"), "sector": r("Coded"), "parent_id": { "type": "integer", "nullable": true }, "minority_area": s("boolean"), "depth": s("integer") }), &["id", "code", "name", "depth"]) } }), &["as_of", "units"]),
                "Programmes": { "type": "array", "items": obj(json!({ "id": s("integer"), "code": s("string"), "name": s("string"), "kind": r("Coded"), "topic": r("Coded"), "legal_basis": s("string"), "duration_periods": s("integer"), "grants": opt_s }), &["id", "code", "name", "kind", "topic"]) },
                "Class": obj(json!({ "id": s("integer"), "code": s("string"), "programme_id": s("integer"), "programme": s("string"), "institution_id": s("integer"), "institution": s("string"), "starts_on": date, "ends_on": date, "place": s("string"), "form": r("Coded"), "status": r("Coded"), "min_size": s("integer"), "max_size": s("integer"), "planned_cost": s("string") }), &["id", "code", "programme", "starts_on", "ends_on", "status"]),
                "ClassesResult": obj(json!({ "items": arr("Class"), "total": s("integer"), "page": s("integer"), "more": s("boolean") }), &["items", "total", "page", "more"]),
                "ClassView": obj(json!({ "class": r("Class"), "roster": { "type": "array", "items": obj(json!({ "person_id": s("integer"), "full_name": s("string"), "status": r("Coded"), "attendance": opt_s, "result": opt_s, "certificate": opt_s }), &["person_id", "full_name", "status"]) }, "enrolled": s("integer"), "hidden": s("integer") }), &["class", "roster", "enrolled", "hidden"]),
                "Change": obj(json!({ "id": s("integer"), "at": { "type": "string", "format": "date-time" }, "actor": s("string"), "reason": s("string") }), &["id", "at", "actor", "reason"]),
                "Ratio": obj(json!({ "num": s("integer"), "den": s("integer"), "percent": s("number") }), &["num", "den", "percent"]),
                "UnitBreakdown": obj(json!({ "unit_id": { "type": "integer", "nullable": true }, "code": s("string"), "name": s("string"), "parent_id": { "type": "integer", "nullable": true }, "own_population": s("integer"), "own_met": s("integer"), "population": s("integer"), "met": s("integer"), "share": { "allOf": [r("Ratio")], "nullable": true }, "needed": s("integer"), "overdue": s("integer"), "pending": s("integer") }), &["code", "name", "population", "met", "needed"]),
                "Missing": obj(json!({ "person_id": s("integer"), "name": s("string"), "unit_code": opt_s, "unit": opt_s, "reason": s("string"), "deadline": opt_date, "status": { "type": "string", "nullable": true, "enum": ["met", "overdue", "pending", "no_event", null] } }), &["person_id", "name", "reason"]),
                "TargetResult": obj(json!({
                    "id": s("string"), "group": s("string"), "wording": s("string"), "kind": s("string"), "letter": s("string"),
                    "threshold": { "type": "object", "nullable": true, "properties": { "by": s("integer"), "min": s("integer"), "stretch": { "type": "integer", "nullable": true } }, "description": "Ngưỡng đang áp dụng; phần trăm tính bằng phần vạn (8000 = 80%)" },
                    "horizons": { "type": "array", "items": { "type": "object" } },
                    "population": s("integer"), "met": s("integer"), "share": { "allOf": [r("Ratio")], "nullable": true },
                    "holds": { "type": "boolean", "nullable": true }, "needed": s("integer"),
                    "need_by_year": { "type": "array", "items": obj(json!({ "year": s("integer"), "count": s("integer") }), &["year", "count"]) },
                    "by_unit": arr("UnitBreakdown"), "missing": arr("Missing"),
                    "status": { "type": "string", "enum": ["met", "on_track", "at_risk", "not_applicable"] },
                    "forecast_year": { "type": "integer", "nullable": true }
                }), &["id", "wording", "kind", "letter", "population", "met", "needed", "by_unit", "missing", "status"]),
                "PlanResult": obj(json!({ "plan_id": s("string"), "plan_name": s("string"), "as_of": date, "today": date, "known_at": { "type": "string", "format": "date-time", "nullable": true }, "forecast": s("boolean"), "unit": opt_s, "targets": arr("TargetResult"), "duties": s("integer"), "warnings": { "type": "array", "items": s("string") } }), &["plan_id", "plan_name", "as_of", "today", "forecast", "targets"]),
                "ChangesResult": obj(json!({ "items": arr("Change"), "page": s("integer"), "more": s("boolean") }), &["items", "page", "more"]),
                "ChangeView": obj(json!({
                    "change": r("Change"),
                    "counts": { "type": "array", "items": obj(json!({ "table": s("string"), "table_label": s("string"), "recorded": s("string"), "superseded": s("string") }), &["table"]) },
                    "rows": { "type": "array", "items": obj(json!({ "table": s("string"), "table_label": s("string"), "action": r("Coded"), "entity_id": s("integer"), "row_id": s("integer"), "valid_from": date, "valid_to": opt_date, "summary": s("string") }), &["table", "action", "entity_id", "row_id"]) },
                    "truncated": s("boolean")
                }), &["change", "counts", "rows", "truncated"])
            }
        }
    });
    // Modules that own their routes describe them too.
    add_paths(&mut doc, crate::imports_pages::openapi_paths());
    add_paths(&mut doc, crate::commitments_pages::openapi_paths());
    add_training(&mut doc);
    crate::annual_api::extend_openapi(&mut doc);
    add_paths(&mut doc, crate::period_plan_pages::openapi_paths());
    add_paths(&mut doc, crate::proposals_pages::openapi_paths());
    doc
}

/// Adds `{ "paths": …, "schemas": … }` to the document.
fn add_paths(doc: &mut Value, part: Value) {
    for (key, at) in [("paths", "/paths"), ("schemas", "/components/schemas")] {
        if let (Some(to), Some(Value::Object(from))) = (doc.pointer_mut(at).and_then(Value::as_object_mut), part.get(key)) {
            to.extend(from.clone());
        }
    }
}

/// The writes of classes and nominations, and their readings.
fn add_training(doc: &mut Value) {
    let s = |t: &str| json!({ "type": t });
    let r = |name: &str| json!({ "$ref": format!("#/components/schemas/{name}") });
    let id = |what: &str| param("id", "path", what, json!({ "type": "integer", "format": "int64" }));
    let body = |schema: Value, required: bool| json!({ "required": required, "content": { "application/json": { "schema": schema } } });
    let errors = json!({
        "400": { "description": "Dữ liệu không hợp lệ (thông báo tiếng Việt liệt kê mọi lỗi)", "content": { "application/json": { "schema": r("Error") } } },
        "401": { "$ref": "#/components/responses/Unauthenticated" },
        "403": { "$ref": "#/components/responses/Forbidden" },
        "404": { "description": "Không tìm thấy", "content": { "application/json": { "schema": r("Error") } } },
        "409": { "description": "Trạng thái không cho phép (lớp chưa mở chiêu sinh, đã có trong lớp…)", "content": { "application/json": { "schema": r("Error") } } }
    });
    let write = |summary: &str, params: Vec<Value>, req: Value, ok: &str, ok_desc: &str, schema: Option<Value>| {
        let mut responses = errors.clone();
        responses[ok] = match schema {
            Some(sch) => json!({ "description": ok_desc, "content": { "application/json": { "schema": sch } } }),
            None => json!({ "description": ok_desc }),
        };
        json!({
            "summary": summary,
            "tags": ["Lớp và cử học"],
            "description": "Ghi dữ liệu: dùng mã bearer, hoặc cookie phiên kèm tiêu đề X-CSRF-Token là mã CSRF của phiên.",
            "parameters": params,
            "requestBody": req,
            "responses": responses
        })
    };
    let paths = &mut doc["paths"];
    paths["/api/v1/classes"]["post"] = write(
        "Đề xuất lớp (Sở Nội vụ cho mọi cơ sở; cơ sở đào tạo cho chính mình)",
        vec![],
        body(r("ProposeClass"), true),
        "201",
        "Đã đề xuất",
        Some(json!({ "type": "object", "properties": { "id": s("integer") } })),
    );
    paths["/api/v1/classes/{id}/actions/{action}"]["post"] = write(
        "Phê duyệt, mở chiêu sinh, hủy (Sở Nội vụ); khai giảng, kết thúc (Sở Nội vụ hoặc cơ sở của lớp). Kết thúc ghi kết quả hoàn thành và văn bằng, chứng chỉ được cấp.",
        vec![id("Mã số lớp"), param("action", "path", "approve, open, start, finish, cancel", json!({ "type": "string", "enum": ["approve", "open", "start", "finish", "cancel"] }))],
        body(json!({ "type": "object", "properties": { "reason": s("string") }, "description": "Lý do (bắt buộc khi hủy)" }), false),
        "200",
        "Trạng thái mới",
        Some(json!({ "type": "object", "properties": { "class_id": s("integer"), "status": r("Coded"), "change_id": s("integer") } })),
    );
    paths["/api/v1/classes/{id}/roster"] = json!({ "get": {
        "summary": "Lớp, danh sách học viên (tình trạng, thứ tự chờ, nhu cầu, cảnh báo, chuyên cần, kết quả, chứng chỉ), chỉ tiêu chỗ theo đơn vị và thao tác được phép",
        "tags": ["Lớp và cử học"],
        "parameters": [id("Mã số lớp")],
        "responses": { "200": { "description": "Thành công", "content": { "application/json": { "schema": r("ClassDetail") } } }, "401": { "$ref": "#/components/responses/Unauthenticated" }, "403": { "$ref": "#/components/responses/Forbidden" } }
    }});
    paths["/api/v1/classes/{id}/candidates"] = json!({ "get": {
        "summary": "Người có thể cử vào lớp đang chiêu sinh (cán bộ tổ chức: trong đơn vị mình), kèm cảnh báo: không đúng đối tượng, đã có trình độ, trùng lịch",
        "tags": ["Lớp và cử học"],
        "parameters": [id("Mã số lớp"), param("q", "query", "Họ tên hoặc số định danh", json!({ "type": "string" }))],
        "responses": { "200": { "description": "Thành công", "content": { "application/json": { "schema": { "type": "object", "properties": { "candidates": { "type": "array", "items": r("Candidate") } } } } } }, "401": { "$ref": "#/components/responses/Unauthenticated" }, "403": { "$ref": "#/components/responses/Forbidden" } }
    }});
    paths["/api/v1/classes/{id}/nominations"]["post"] = write(
        "Cử người đi học (cán bộ tổ chức: người trong đơn vị mình; Sở Nội vụ: mọi người). Có cảnh báo thì phải ghi lý do (note). Chỗ được chia lại: chỉ tiêu theo đơn vị khi vượt số chỗ, danh sách chờ theo nhu cầu.",
        vec![id("Mã số lớp")],
        body(json!({ "type": "object", "required": ["person_ids"], "properties": { "person_ids": { "type": "array", "items": s("integer") }, "note": s("string") } }), true),
        "201",
        "Đã cử",
        Some(json!({ "type": "array", "items": r("Nominated") })),
    );
    paths["/api/v1/classes/{id}/quotas"]["put"] = write(
        "Sở Nội vụ phân bổ chỉ tiêu chỗ học cho từng đơn vị (trước khi khai giảng); danh sách rỗng: chia theo tỷ lệ số người được cử khi vượt số chỗ",
        vec![id("Mã số lớp")],
        body(json!({ "type": "object", "required": ["quotas"], "properties": { "quotas": { "type": "array", "items": { "type": "object", "required": ["unit", "seats"], "properties": { "unit": { "type": "string", "description": "Mã đơn vị" }, "seats": { "type": "integer", "minimum": 1 } } } } } }), true),
        "200",
        "Lớp sau khi phân bổ",
        Some(r("ClassDetail")),
    );
    paths["/api/v1/classes/{id}/signups"]["post"] = write(
        "Cán bộ, công chức, viên chức đăng ký học lớp đang chiêu sinh; đơn vị duyệt sau",
        vec![id("Mã số lớp")],
        body(json!({ "type": "object", "properties": { "note": s("string") } }), false),
        "201",
        "Đã đăng ký",
        Some(json!({ "type": "object", "properties": { "enrolment_id": s("integer") } })),
    );
    paths["/api/v1/enrolments/{id}/{decision}"]["post"] = write(
        "Đơn vị duyệt (approve) hoặc không duyệt (decline, cần lý do) đăng ký, hoặc rút người khỏi lớp (withdraw) trước khi khai giảng",
        vec![id("Mã số lượt cử"), param("decision", "path", "approve, decline, withdraw", json!({ "type": "string", "enum": ["approve", "decline", "withdraw"] }))],
        body(json!({ "type": "object", "properties": { "note": s("string") } }), false),
        "200",
        "Tình trạng mới",
        Some(json!({ "type": "object", "properties": { "enrolment_id": s("integer"), "status": r("Coded") } })),
    );
    paths["/api/v1/enrolments/{id}/result"]["put"] = write(
        "Ghi chuyên cần, kết quả, số chứng chỉ của học viên khi lớp đang học (Sở Nội vụ hoặc cơ sở của lớp)",
        vec![id("Mã số lượt cử")],
        body(json!({ "type": "object", "properties": { "attendance_pct": { "type": "integer", "minimum": 0, "maximum": 100 }, "result": { "type": "string", "enum": ["Xuất sắc", "Giỏi", "Khá", "Đạt", "Không đạt"] }, "certificate": s("string") } }), true),
        "204",
        "Đã ghi",
        None,
    );
    paths["/api/v1/open-classes"] = json!({ "get": {
        "summary": "Các lớp đang chiêu sinh (và tình trạng của chính mình với cán bộ, công chức, viên chức)",
        "tags": ["Lớp và cử học"],
        "responses": { "200": { "description": "Thành công", "content": { "application/json": { "schema": { "type": "array", "items": { "type": "object", "properties": { "class": r("Class"), "target_group": { "type": "string", "nullable": true }, "mine": { "allOf": [r("Coded")], "nullable": true } } } } } } }, "401": { "$ref": "#/components/responses/Unauthenticated" } }
    }});
    let flag = json!({ "type": "object", "properties": { "code": { "type": "string", "enum": ["not_in_target_group", "not_in_workforce", "holds_qualification", "completed_programme", "double_booked"] }, "message": s("string") } });
    let schemas = &mut doc["components"]["schemas"];
    schemas["Flag"] = flag;
    schemas["ProposeClass"] = json!({ "type": "object", "required": ["code", "programme_id", "starts_on", "ends_on", "place", "form", "min_size", "max_size", "planned_cost"], "properties": {
        "code": s("string"), "programme_id": s("integer"), "institution_id": { "type": "integer", "description": "Bắt buộc với Sở Nội vụ; cơ sở đào tạo đề xuất cho chính mình" },
        "starts_on": { "type": "string", "format": "date" }, "ends_on": { "type": "string", "format": "date" }, "place": s("string"),
        "form": { "type": "string", "enum": ["full_time", "part_time", "work_study", "distance", "online"] },
        "min_size": s("integer"), "max_size": s("integer"), "planned_cost": { "type": "integer", "description": "Đồng" },
        "target_group": { "type": "string", "description": "Đối tượng, biểu thức như trong tệp kế hoạch (docs/plan-format.md), ví dụ `category == civil_servant and post_rank >= department`" }
    }});
    schemas["Nominated"] = json!({ "type": "object", "properties": { "enrolment_id": s("integer"), "person_id": s("integer"), "full_name": s("string"), "status": r("Coded"), "flags": { "type": "array", "items": r("Flag") } } });
    schemas["Candidate"] = json!({ "type": "object", "properties": { "person_id": s("integer"), "full_name": s("string"), "unit": s("string"), "flags": { "type": "array", "items": r("Flag") }, "in_class": { "allOf": [r("Coded")], "nullable": true } } });
    schemas["ClassDetail"] = json!({ "type": "object", "properties": {
        "class": r("Class"), "target_group": { "type": "string", "nullable": true }, "actions": { "type": "array", "items": r("Coded") },
        "can_nominate": s("boolean"), "can_sign_up": s("boolean"), "quotas_assigned": s("boolean"), "can_set_quotas": s("boolean"), "hidden": s("integer"), "seated": s("integer"), "waiting": s("integer"), "requested": s("integer"),
        "quotas": { "type": "array", "items": { "type": "object", "properties": { "unit_id": s("integer"), "unit": s("string"), "demand": s("integer"), "seats": s("integer") } } },
        "learners": { "type": "array", "items": { "type": "object", "properties": {
            "enrolment_id": s("integer"), "person_id": s("integer"), "full_name": s("string"), "unit": { "type": "string", "nullable": true }, "status": r("Coded"),
            "waiting": { "type": "integer", "nullable": true, "description": "Thứ tự trong danh sách chờ" }, "need": { "allOf": [r("Coded")], "nullable": true },
            "flags": { "type": "array", "items": r("Flag") }, "note": { "type": "string", "nullable": true },
            "attendance_pct": { "type": "integer", "nullable": true }, "result": { "type": "string", "nullable": true }, "certificate": { "type": "string", "nullable": true }
        } } }
    }});
}

pub async fn openapi() -> Json<Value> {
    Json(openapi_document())
}
