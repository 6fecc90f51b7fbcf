//! Pages and `/api/v1` handlers of the period plan (see [`crate::period_plan`]):
//! thin handlers that parse, call the service and render.

use askama::Template;
use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{Html, IntoResponse, Redirect, Response};
use nangluc_engine::PlanError;
use nangluc_engine::plan::Kind;
use serde::Deserialize;
use serde_json::{Value, json};

use crate::AppState;
use crate::auth::Viewer;
use crate::error::AppError;
use crate::fmt::Moment;
use crate::pages::{Chrome, Opt, encode_query};
use crate::period_plan::{
    self as service, ApiError, FormOutcome, PlanView, Posted, Preview, PreviewPage, SaveError,
    SaveRequest, TargetForm, VersionLine, VersionView,
};

fn render<T: Template>(t: &T) -> Result<Response, AppError> {
    Ok(Html(t.render()?).into_response())
}

fn render_status<T: Template>(status: StatusCode, t: &T) -> Result<Response, AppError> {
    Ok((status, Html(t.render()?)).into_response())
}

#[derive(Template)]
#[template(path = "period_plan.html")]
struct PlanPage {
    chrome: Chrome,
    view: Option<PlanView>,
    saved: Option<i64>,
}

#[derive(Debug, Deserialize)]
pub struct SavedQuery {
    saved: Option<i64>,
}

/// `GET /period-plan`: the plan followed, its groups and targets.
pub async fn page(
    State(state): State<AppState>,
    v: Viewer,
    Query(q): Query<SavedQuery>,
) -> Result<Response, AppError> {
    let viewer = v.clone();
    let view = state
        .pool
        .run(move |s| service::plan_view(s, &viewer))
        .await?
        .map(|(view, _)| view);
    render(&PlanPage {
        chrome: Chrome::new(&v, "Kế hoạch giai đoạn", "/period-plan"),
        view,
        saved: q.saved,
    })
}

// ---------------------------------------------------------------- a target's form

#[derive(Template)]
#[template(path = "period_plan_target.html")]
struct TargetPage {
    chrome: Chrome,
    f: TargetForm,
    kinds: Vec<Opt>,
    action: String,
    has_field_errors: bool,
}

fn target_page(v: &Viewer, f: TargetForm, status: StatusCode) -> Result<Response, AppError> {
    let title = match &f.editing {
        Some(id) => format!("Sửa chỉ tiêu {id}"),
        None => "Thêm chỉ tiêu".to_string(),
    };
    let action = match &f.editing {
        Some(id) => format!("/period-plan/targets/{}", encode_query(id)),
        None => "/period-plan/targets/new".to_string(),
    };
    let kinds = Kind::NAMES
        .iter()
        .map(|(name, _, k)| Opt {
            value: name.to_string(),
            label: service::kind_label(*k).to_string(),
            selected: *k == f.kind,
        })
        .collect();
    let has_field_errors = !f.id_errors.is_empty() || f.fields.iter().any(|x| !x.errors.is_empty());
    render_status(
        status,
        &TargetPage {
            chrome: Chrome::new(v, title, "/period-plan"),
            f,
            kinds,
            action,
            has_field_errors,
        },
    )
}

#[derive(Debug, Deserialize)]
pub struct KindQuery {
    kind: Option<String>,
}

/// `GET /period-plan/targets/new`.
pub async fn new_target(
    State(state): State<AppState>,
    v: Viewer,
    Query(q): Query<KindQuery>,
) -> Result<Response, AppError> {
    let viewer = v.clone();
    let f = state
        .pool
        .run(move |s| service::new_form(s, &viewer, q.kind.as_deref()))
        .await?;
    target_page(&v, f, StatusCode::OK)
}

/// `GET /period-plan/targets/{id}`.
pub async fn edit_target(
    State(state): State<AppState>,
    v: Viewer,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    let viewer = v.clone();
    let f = state
        .pool
        .run(move |s| service::edit_form(s, &viewer, &id))
        .await?;
    target_page(&v, f, StatusCode::OK)
}

fn csrf_of(form: &Posted) -> Option<&str> {
    form.iter()
        .find(|(k, _)| k == "csrf")
        .map(|(_, v)| v.as_str())
}

async fn submit(
    state: AppState,
    v: Viewer,
    editing: Option<String>,
    form: Posted,
) -> Result<Response, AppError> {
    v.check_csrf(csrf_of(&form))?;
    let viewer = v.clone();
    let plan = state.plan.clone();
    let outcome = state
        .pool
        .run(move |s| service::submit_form(s, plan.as_deref(), &viewer, editing.as_deref(), &form))
        .await?;
    match outcome {
        FormOutcome::Preview(p) => preview_page(&v, *p),
        FormOutcome::Invalid(f) => target_page(&v, *f, StatusCode::UNPROCESSABLE_ENTITY),
    }
}

/// `POST /period-plan/targets/new`: checks the new target, shows what it moves.
pub async fn new_target_submit(
    State(state): State<AppState>,
    v: Viewer,
    axum::Form(form): axum::Form<Posted>,
) -> Result<Response, AppError> {
    submit(state, v, None, form).await
}

/// `POST /period-plan/targets/{id}`: checks the edited target, shows what it moves.
pub async fn edit_target_submit(
    State(state): State<AppState>,
    v: Viewer,
    Path(id): Path<String>,
    axum::Form(form): axum::Form<Posted>,
) -> Result<Response, AppError> {
    submit(state, v, Some(id), form).await
}

/// `POST /period-plan/targets/{id}/remove`: shows what removing it moves.
pub async fn remove_target(
    State(state): State<AppState>,
    v: Viewer,
    Path(id): Path<String>,
    axum::Form(form): axum::Form<crate::pages::CsrfForm>,
) -> Result<Response, AppError> {
    v.check_csrf(form.csrf.as_deref())?;
    let viewer = v.clone();
    let plan = state.plan.clone();
    let p = state
        .pool
        .run(move |s| service::removal(s, plan.as_deref(), &viewer, &id))
        .await?;
    preview_page(&v, p)
}

// ---------------------------------------------------------------- the whole text

#[derive(Template)]
#[template(path = "period_plan_text.html")]
struct TextPage {
    chrome: Chrome,
    text: String,
    base: i64,
    errors: Vec<PlanError>,
}

/// `GET /period-plan/text`: the advanced editor.
pub async fn text_page(State(state): State<AppState>, v: Viewer) -> Result<Response, AppError> {
    let viewer = v.clone();
    let (text, base) = state
        .pool
        .run(move |s| service::text_form(s, &viewer))
        .await?;
    render(&TextPage {
        chrome: Chrome::new(&v, "Sửa toàn văn kế hoạch", "/period-plan"),
        text,
        base,
        errors: Vec::new(),
    })
}

#[derive(Debug, Deserialize)]
pub struct TextForm {
    csrf: Option<String>,
    #[serde(default)]
    text: String,
    base: Option<i64>,
}

/// `POST /period-plan/text`: every error of the text, or what it moves.
pub async fn text_submit(
    State(state): State<AppState>,
    v: Viewer,
    axum::Form(form): axum::Form<TextForm>,
) -> Result<Response, AppError> {
    v.check_csrf(form.csrf.as_deref())?;
    let viewer = v.clone();
    let plan = state.plan.clone();
    let text = form.text.clone();
    let base = form.base.unwrap_or_default();
    let outcome = state
        .pool
        .run(move |s| service::submit_text(s, plan.as_deref(), &viewer, &text, base))
        .await?;
    match outcome {
        Ok(p) => preview_page(&v, p),
        Err(errors) => render_status(
            StatusCode::UNPROCESSABLE_ENTITY,
            &TextPage {
                chrome: Chrome::new(&v, "Sửa toàn văn kế hoạch", "/period-plan"),
                text: form.text,
                base,
                errors,
            },
        ),
    }
}

// ---------------------------------------------------------------- preview and save

#[derive(Template)]
#[template(path = "period_plan_preview.html")]
struct PreviewTemplate {
    chrome: Chrome,
    title: String,
    p: Preview,
    text: String,
    base: i64,
    action: &'static str,
    comment: String,
}

fn preview_page(v: &Viewer, p: PreviewPage) -> Result<Response, AppError> {
    render(&PreviewTemplate {
        chrome: Chrome::new(v, p.title.clone(), "/period-plan"),
        title: p.title,
        p: p.preview,
        text: p.text,
        base: p.base,
        action: p.action,
        comment: p.comment,
    })
}

#[derive(Debug, Deserialize)]
pub struct SaveForm {
    csrf: Option<String>,
    #[serde(default)]
    text: String,
    base: Option<i64>,
    #[serde(default)]
    comment: String,
}

/// `POST /period-plan/save`: saves the previewed text as a new version.
pub async fn save_submit(
    State(state): State<AppState>,
    v: Viewer,
    axum::Form(form): axum::Form<SaveForm>,
) -> Result<Response, AppError> {
    v.check_csrf(form.csrf.as_deref())?;
    let viewer = v.clone();
    let plan = state.plan.clone();
    let now = state.clock.now();
    let (text, comment, base) = (form.text.clone(), form.comment.clone(), form.base);
    let saved = state
        .pool
        .run(move |s| {
            let req = SaveRequest {
                text: &text,
                base,
                comment: &comment,
                action: "edited",
                based_on: None,
            };
            Ok(service::save(s, plan.as_deref(), &viewer, &req, now))
        })
        .await?;
    match saved {
        Ok(version) => Ok(Redirect::to(&format!("/period-plan?saved={version}")).into_response()),
        Err(SaveError::Other(e)) => Err(e),
        Err(SaveError::Invalid(errors)) => render_status(
            StatusCode::UNPROCESSABLE_ENTITY,
            &TextPage {
                chrome: Chrome::new(&v, "Sửa toàn văn kế hoạch", "/period-plan"),
                text: form.text,
                base: base.unwrap_or_default(),
                errors,
            },
        ),
    }
}

// ---------------------------------------------------------------- history

#[derive(Template)]
#[template(path = "period_plan_history.html")]
struct HistoryPage {
    chrome: Chrome,
    name: String,
    items: Vec<VersionLine>,
}

/// `GET /period-plan/versions`.
pub async fn history(State(state): State<AppState>, v: Viewer) -> Result<Response, AppError> {
    let viewer = v.clone();
    let (name, items) = state
        .pool
        .run(move |s| service::versions(s, &viewer))
        .await?;
    render(&HistoryPage {
        chrome: Chrome::new(&v, "Lịch sử kế hoạch giai đoạn", "/period-plan"),
        name,
        items,
    })
}

#[derive(Template)]
#[template(path = "period_plan_version.html")]
struct VersionPage {
    chrome: Chrome,
    v: VersionView,
}

/// `GET /period-plan/versions/{n}`: its text and its diff to the version before.
pub async fn version_page(
    State(state): State<AppState>,
    v: Viewer,
    Path(n): Path<i64>,
) -> Result<Response, AppError> {
    let viewer = v.clone();
    let plan = state.plan.clone();
    let view = state
        .pool
        .run(move |s| service::version(s, plan.as_deref(), &viewer, n))
        .await?;
    render(&VersionPage {
        chrome: Chrome::new(&v, format!("Phiên bản {n} của kế hoạch"), "/period-plan"),
        v: view,
    })
}

#[derive(Debug, Deserialize)]
pub struct RestoreForm {
    csrf: Option<String>,
    base: Option<i64>,
    #[serde(default)]
    comment: String,
}

/// `POST /period-plan/versions/{n}/restore`: the old text saved as a new version.
pub async fn restore_submit(
    State(state): State<AppState>,
    v: Viewer,
    Path(n): Path<i64>,
    axum::Form(form): axum::Form<RestoreForm>,
) -> Result<Response, AppError> {
    v.check_csrf(form.csrf.as_deref())?;
    let plan = state.plan.clone();
    let now = state.clock.now();
    let saved = state
        .pool
        .run(move |s| {
            Ok(service::restore(
                s,
                plan.as_deref(),
                &v,
                n,
                form.base,
                &form.comment,
                now,
            ))
        })
        .await?;
    match saved {
        Ok(version) => Ok(Redirect::to(&format!("/period-plan?saved={version}")).into_response()),
        Err(SaveError::Other(e)) => Err(e),
        Err(SaveError::Invalid(errors)) => Err(AppError::BadRequest(format!(
            "Phiên bản {n} không còn qua được bước kiểm tra của hệ thống:{}",
            errors
                .iter()
                .map(|e| format!(" dòng {}, cột {}: {};", e.line, e.column, e.message))
                .collect::<String>()
        ))),
    }
}

// ---------------------------------------------------------------- JSON API

fn version_json(line: &VersionLine) -> Value {
    json!({
        "version": line.version, "saved_at": line.saved_at, "saved_by": line.saved_by,
        "action": line.action_code, "based_on": line.based_on, "comment": line.comment, "in_force": line.in_force
    })
}

/// `GET /api/v1/period-plan`: the version in force, as TOML and as the engine reads it.
pub async fn api_get(State(state): State<AppState>, v: Viewer) -> Result<Json<Value>, AppError> {
    let (view, current) = state
        .pool
        .run(move |s| service::plan_view(s, &v))
        .await?
        .ok_or_else(|| AppError::NotFound("kế hoạch giai đoạn trong cơ sở dữ liệu".into()))?;
    Ok(Json(json!({
        "key": view.key,
        "version": view.version,
        "saved_at": Moment(current.version.saved_at),
        "saved_by": current.version.saved_by,
        "comment": current.version.comment,
        "text": current.version.text,
        "plan": current.plan,
    })))
}

/// `GET /api/v1/period-plan/versions`: every version, newest first (without texts).
pub async fn api_versions(
    State(state): State<AppState>,
    v: Viewer,
) -> Result<Json<Value>, AppError> {
    let (_, items) = state.pool.run(move |s| service::versions(s, &v)).await?;
    Ok(Json(
        json!({ "items": items.iter().map(version_json).collect::<Vec<_>>() }),
    ))
}

/// `GET /api/v1/period-plan/versions/{n}`: one version with its text.
pub async fn api_version(
    State(state): State<AppState>,
    v: Viewer,
    Path(n): Path<i64>,
) -> Result<Json<Value>, AppError> {
    let plan = state.plan.clone();
    let view = state
        .pool
        .run(move |s| service::version(s, plan.as_deref(), &v, n))
        .await?;
    let mut out = version_json(&view.line);
    out["text"] = json!(view.text);
    out["changes"] = json!(view.changes);
    Ok(Json(out))
}

#[derive(Debug, Deserialize)]
pub struct PutPlan {
    text: String,
    #[serde(default)]
    comment: String,
    /// The version the text was edited from; a save over a newer one is a conflict.
    base_version: Option<i64>,
}

/// `PUT /api/v1/period-plan`: a new version (422 with every error, line and column, on a bad text).
pub async fn api_put(
    State(state): State<AppState>,
    v: Viewer,
    headers: HeaderMap,
    Json(body): Json<PutPlan>,
) -> Result<Response, AppError> {
    v.check_api_write(&headers)?;
    let plan = state.plan.clone();
    let now = state.clock.now();
    let saved = state
        .pool
        .run(move |s| {
            let req = SaveRequest {
                text: &body.text,
                base: body.base_version,
                comment: &body.comment,
                action: "edited",
                based_on: None,
            };
            Ok(service::save(s, plan.as_deref(), &v, &req, now))
        })
        .await?;
    match saved {
        Ok(version) => Ok(Json(json!({ "version": version })).into_response()),
        Err(SaveError::Other(e)) => Err(e),
        Err(SaveError::Invalid(errors)) => {
            let list: Vec<ApiError> = errors.iter().map(ApiError::from).collect();
            let message = format!("Kế hoạch có {} lỗi; chưa có gì được lưu.", list.len());
            Ok((
                StatusCode::UNPROCESSABLE_ENTITY,
                Json(json!({ "error": "invalid_plan", "message": message, "errors": list })),
            )
                .into_response())
        }
    }
}

/// The OpenAPI description of the period plan's endpoints.
pub fn openapi_paths() -> Value {
    let s = |t: &str| json!({ "type": t });
    let r = |name: &str| json!({ "$ref": format!("#/components/schemas/{name}") });
    let common = json!({
        "401": { "$ref": "#/components/responses/Unauthenticated" },
        "403": { "$ref": "#/components/responses/Forbidden" },
        "404": { "description": "Chưa có kế hoạch giai đoạn trong cơ sở dữ liệu", "content": { "application/json": { "schema": r("Error") } } }
    });
    let with = |mut base: Value, code: &str, desc: &str, schema: Value| {
        base[code] =
            json!({ "description": desc, "content": { "application/json": { "schema": schema } } });
        base
    };
    let mut put_responses = with(
        common.clone(),
        "200",
        "Đã lưu phiên bản mới",
        json!({ "type": "object", "properties": { "version": s("integer") } }),
    );
    put_responses["422"] = json!({ "description": "Kế hoạch có lỗi (mọi lỗi, với dòng, cột và gợi ý); không lưu gì", "content": { "application/json": { "schema": r("PlanErrors") } } });
    put_responses["409"] = json!({ "description": "Đã có phiên bản mới hơn base_version (người khác vừa lưu); không lưu gì", "content": { "application/json": { "schema": r("Error") } } });
    put_responses["400"] = json!({ "description": "Thiếu lý do thay đổi, hoặc nội dung không đổi", "content": { "application/json": { "schema": r("Error") } } });
    json!({
        "paths": {
            "/api/v1/period-plan": {
                "get": {
                    "summary": "Kế hoạch giai đoạn (5 năm) đang áp dụng: phiên bản, toàn văn TOML và nội dung đã đọc (nhóm, chỉ tiêu)",
                    "tags": ["Kế hoạch giai đoạn"],
                    "responses": with(common.clone(), "200", "Thành công", r("PeriodPlan"))
                },
                "put": {
                    "summary": "Lưu phiên bản mới của kế hoạch giai đoạn (Sở Nội vụ)",
                    "description": "Toàn văn TOML theo docs/plan-format.md, được kiểm tra như mọi tệp kế hoạch; mã kế hoạch ([plan] id) giữ nguyên. Phiên bản mới áp dụng ngay. Ghi dữ liệu: dùng mã bearer, hoặc cookie phiên kèm tiêu đề X-CSRF-Token.",
                    "tags": ["Kế hoạch giai đoạn"],
                    "requestBody": { "required": true, "content": { "application/json": { "schema": { "type": "object", "required": ["text", "comment"], "properties": {
                        "text": s("string"), "comment": { "type": "string", "description": "Lý do thay đổi (bắt buộc)" },
                        "base_version": { "type": "integer", "nullable": true, "description": "Phiên bản đã sửa từ đó; bỏ trống: phiên bản đang áp dụng" }
                    } } } } },
                    "responses": put_responses
                }
            },
            "/api/v1/period-plan/versions": { "get": {
                "summary": "Các phiên bản của kế hoạch giai đoạn, mới nhất trước: ai lưu, khi nào, cách lưu, lý do",
                "tags": ["Kế hoạch giai đoạn"],
                "responses": with(common.clone(), "200", "Thành công", json!({ "type": "object", "properties": { "items": { "type": "array", "items": r("PeriodPlanVersion") } } }))
            } },
            "/api/v1/period-plan/versions/{n}": { "get": {
                "summary": "Một phiên bản: toàn văn và thay đổi so với phiên bản trước (kết quả các chỉ tiêu trước và sau, tính đến hôm nay)",
                "tags": ["Kế hoạch giai đoạn"],
                "parameters": [{ "name": "n", "in": "path", "required": true, "schema": s("integer") }],
                "responses": with(common, "200", "Thành công", r("PeriodPlanVersion"))
            } }
        },
        "schemas": {
            "PeriodPlan": { "type": "object", "required": ["key", "version", "text", "plan"], "properties": {
                "key": s("string"), "version": s("integer"), "saved_at": { "type": "string", "format": "date-time" }, "saved_by": s("string"),
                "comment": { "type": "string", "nullable": true }, "text": s("string"),
                "plan": { "type": "object", "description": "Kế hoạch như bộ máy chỉ tiêu đọc: id, name, issuer, decision, decision_date, period, groups, targets, duties" }
            } },
            "PeriodPlanVersion": { "type": "object", "required": ["version", "saved_at", "saved_by", "action", "in_force"], "properties": {
                "version": s("integer"), "saved_at": { "type": "string", "format": "date-time" }, "saved_by": s("string"),
                "action": { "type": "string", "enum": ["imported", "edited", "restored"] }, "based_on": { "type": "integer", "nullable": true },
                "comment": { "type": "string", "nullable": true }, "in_force": s("boolean"), "text": s("string"), "changes": { "type": "object", "nullable": true }
            } },
            "PlanErrors": { "type": "object", "required": ["error", "message", "errors"], "properties": {
                "error": { "type": "string", "enum": ["invalid_plan"] }, "message": s("string"),
                "errors": { "type": "array", "items": { "type": "object", "required": ["line", "column", "message"], "properties": {
                    "line": s("integer"), "column": s("integer"), "message": s("string"), "suggestion": { "type": "string", "nullable": true }
                } } }
            } }
        }
    })
}
