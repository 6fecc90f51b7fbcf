//! Handlers of imports in the browser and over the API: parse the upload,
//! call [`crate::imports`], render.

use askama::Template;
use axum::Json;
use axum::body::Bytes;
use axum::extract::{Multipart, Path, Query, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use axum::Form;
use nangluc_io::SheetKind;
use serde::Deserialize;

use crate::AppState;
use crate::auth::{Perm, Viewer};
use crate::error::AppError;
use crate::imports::{self, ImportOutcome, UPLOAD_MINUTES};
use crate::pages::{Chrome, CsrfForm, Opt};

#[derive(Template)]
#[template(path = "imports.html")]
struct ImportsPage {
    chrome: Chrome,
    kinds: Vec<Opt>,
    minutes: u64,
    outcome: Option<ImportOutcome>,
}

fn page(v: &Viewer, kind: Option<SheetKind>, outcome: Option<ImportOutcome>) -> Result<Response, AppError> {
    let kinds = imports::kinds_for(v)
        .into_iter()
        .map(|k| Opt {
            selected: Some(k) == kind,
            value: k.code().to_string(),
            label: format!("{} — {}", k.sheet_name(), imports::kind_help(k)),
        })
        .collect();
    // A file with errors is answered 422, so that a script sees it failed.
    let status = match &outcome {
        Some(o) if !o.errors.is_empty() => StatusCode::UNPROCESSABLE_ENTITY,
        _ => StatusCode::OK,
    };
    let html = ImportsPage {
        chrome: Chrome::new(v, "Nhập dữ liệu từ tệp", "/imports"),
        kinds,
        minutes: UPLOAD_MINUTES,
        outcome,
    }
    .render()?;
    Ok((status, Html(html)).into_response())
}

pub async fn form(v: Viewer) -> Result<Response, AppError> {
    v.require(Perm::Import)?;
    page(&v, None, None)
}

fn parse_kind(code: &str) -> Result<Option<SheetKind>, AppError> {
    if code.is_empty() {
        return Ok(None);
    }
    SheetKind::from_code(code)
        .map(Some)
        .ok_or_else(|| AppError::BadRequest(format!("loại dữ liệu '{code}' không có")))
}

fn bad_upload(e: impl std::fmt::Display) -> AppError {
    AppError::BadRequest(format!("không đọc được tệp tải lên: {e}"))
}

/// `POST /imports` (multipart: `csrf`, `kind`, `file`): the dry run.
pub async fn upload(
    State(state): State<AppState>,
    v: Viewer,
    mut form: Multipart,
) -> Result<Response, AppError> {
    v.require(Perm::Import)?;
    let (mut csrf, mut kind, mut file) = (None, String::new(), None);
    while let Some(field) = form.next_field().await.map_err(bad_upload)? {
        match field.name() {
            Some("csrf") => csrf = Some(field.text().await.map_err(bad_upload)?),
            Some("kind") => kind = field.text().await.map_err(bad_upload)?,
            Some("file") => {
                let name = field.file_name().unwrap_or("tep-tai-len.xlsx").to_string();
                file = Some((name, field.bytes().await.map_err(bad_upload)?));
            }
            _ => {}
        }
    }
    v.check_csrf(csrf.as_deref())?;
    let kind = parse_kind(&kind)?;
    let (name, bytes) = file
        .filter(|(_, b)| !b.is_empty())
        .ok_or_else(|| AppError::BadRequest("chưa chọn tệp để nhập".into()))?;
    let uploads = state.uploads.clone();
    let viewer = v.clone();
    let outcome = state
        .pool
        .run(move |s| imports::check(s, &uploads, &viewer, &name, bytes.to_vec(), kind))
        .await?;
    page(&v, kind, Some(outcome))
}

/// `POST /imports/{token}/apply`: writes a checked upload.
pub async fn apply(
    State(state): State<AppState>,
    v: Viewer,
    Path(token): Path<String>,
    Form(form): Form<CsrfForm>,
) -> Result<Response, AppError> {
    v.check_csrf(form.csrf.as_deref())?;
    let uploads = state.uploads.clone();
    let plan = state.plan.clone();
    let viewer = v.clone();
    let outcome = state
        .pool
        .run(move |s| imports::apply(s, &uploads, &viewer, plan.as_deref(), &token))
        .await?;
    page(&v, None, Some(outcome))
}

#[derive(Debug, Deserialize)]
pub struct ApiImportQuery {
    /// The file's name: its extension says how to read it (.xlsx, .xls, .ods, .csv).
    file_name: String,
    #[serde(default)]
    kind: String,
    /// Check only (the default); `false` applies a clean file at once.
    dry_run: Option<bool>,
}

/// `POST /api/v1/imports?file_name=…&kind=…&dry_run=…` with the file as the
/// body. 200 with the report when clean (and applied unless a dry run), 422
/// with every error otherwise.
pub async fn api_import(
    State(state): State<AppState>,
    v: Viewer,
    Query(q): Query<ApiImportQuery>,
    body: Bytes,
) -> Result<Response, AppError> {
    v.require(Perm::Import)?;
    let kind = parse_kind(&q.kind)?;
    let uploads = state.uploads.clone();
    let plan = state.plan.clone();
    let dry_run = q.dry_run.unwrap_or(true);
    let outcome = state
        .pool
        .run(move |s| {
            let checked = imports::check(s, &uploads, &v, &q.file_name, body.to_vec(), kind)?;
            match (&checked.token, dry_run) {
                (Some(token), false) => imports::apply(s, &uploads, &v, plan.as_deref(), token),
                _ => Ok(checked),
            }
        })
        .await?;
    let status = if outcome.errors.is_empty() { StatusCode::OK } else { StatusCode::UNPROCESSABLE_ENTITY };
    Ok((status, Json(outcome)).into_response())
}

/// The OpenAPI description of `POST /api/v1/imports`.
pub fn openapi_paths() -> serde_json::Value {
    let s = |t: &str| serde_json::json!({ "type": t });
    serde_json::json!({
        "paths": { "/api/v1/imports": { "post": {
            "summary": "Nhập một tệp (xlsx, xls, ods, csv): chạy thử hoặc ghi",
            "description": "Kiểm tra toàn bộ tệp; nếu có lỗi trả 422 với mọi lỗi (sheet, dòng, cột, lý do) và không ghi gì. Không có lỗi: chạy thử (mặc định) trả báo cáo thêm mới/cập nhật/không đổi; dry_run=false ghi tất cả trong một lần thay đổi. Cán bộ tổ chức chỉ nhập được hồ sơ, trình độ, quá trình đào tạo của người trong đơn vị mình.",
            "tags": ["Nhập dữ liệu"],
            "parameters": [
                { "name": "file_name", "in": "query", "required": true, "description": "Tên tệp; phần mở rộng cho biết cách đọc.", "schema": s("string") },
                { "name": "kind", "in": "query", "required": false, "description": "units, staff, qualifications, training, programmes, classes; bỏ trống để tự nhận biết.", "schema": s("string") },
                { "name": "dry_run", "in": "query", "required": false, "description": "Mặc định true.", "schema": s("boolean") }
            ],
            "requestBody": { "required": true, "content": { "application/octet-stream": { "schema": { "type": "string", "format": "binary" } } } },
            "responses": {
                "200": { "description": "Báo cáo nhập", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/ImportOutcome" } } } },
                "422": { "description": "Tệp có lỗi; không ghi gì", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/ImportOutcome" } } } },
                "403": { "description": "Không có quyền nhập loại dữ liệu này" }
            }
        } } },
        "schemas": {
            "ImportOutcome": { "type": "object", "required": ["file", "kind", "tables", "errors", "no_change"], "properties": {
                "file": s("string"), "kind": s("string"), "sheet": s("string"), "rows": s("string"),
                "tables": { "type": "array", "items": { "type": "object", "properties": { "table": s("string"), "created": s("string"), "updated": s("string"), "unchanged": s("string"), "created_rows": s("string"), "updated_rows": s("string") } } },
                "errors": { "type": "array", "items": { "type": "object", "properties": { "sheet": s("string"), "row": { "type": "integer", "nullable": true }, "column": s("string"), "message": s("string"), "text": s("string") } } },
                "token": { "type": "string", "nullable": true }, "change_id": { "type": "integer", "nullable": true }, "no_change": s("boolean")
            } }
        }
    })
}
