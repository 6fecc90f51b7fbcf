//! Handlers of account management: parse the form, call
//! [`crate::accounts`], render.

use askama::Template;
use axum::Form;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use serde::Deserialize;

use crate::AppState;
use crate::accounts::{self, AccountForm, AccountsView, FormErrors, MIN_PASSWORD_CHARS};
use crate::auth::{Perm, Role, Viewer};
use crate::error::AppError;
use crate::pages::{Chrome, Opt};

#[derive(Template)]
#[template(path = "accounts.html")]
struct AccountsPage {
    chrome: Chrome,
    view: AccountsView,
    roles: Vec<Opt>,
    form: AccountForm,
    errors: FormErrors,
    /// The account whose password reset failed, with why.
    password_error: Option<(i64, String)>,
    notice: Option<String>,
    min_password: usize,
}

impl AccountsPage {
    fn error_of(&self, field: &str) -> Option<&str> {
        self.errors.0.iter().find(|(f, _)| f == field).map(|(_, m)| m.as_str())
    }
}

async fn page(
    state: &AppState,
    v: &Viewer,
    form: AccountForm,
    errors: FormErrors,
    password_error: Option<(i64, String)>,
    notice: Option<String>,
) -> Result<Response, AppError> {
    let viewer = v.clone();
    let view = state.pool.run(move |s| accounts::list(s, &viewer)).await?;
    let roles = Role::ALL
        .iter()
        .map(|r| Opt { value: r.code().into(), label: r.label().into(), selected: form.role == r.code() })
        .collect();
    let status = if errors.0.is_empty() && password_error.is_none() { StatusCode::OK } else { StatusCode::UNPROCESSABLE_ENTITY };
    let html = AccountsPage {
        chrome: Chrome::new(v, "Tài khoản", "/accounts"),
        view,
        roles,
        form,
        errors,
        password_error,
        notice,
        min_password: MIN_PASSWORD_CHARS,
    }
    .render()?;
    Ok((status, Html(html)).into_response())
}

pub async fn list(State(state): State<AppState>, v: Viewer) -> Result<Response, AppError> {
    v.require(Perm::Accounts)?;
    page(&state, &v, AccountForm::default(), FormErrors::default(), None, None).await
}

#[derive(Debug, Deserialize)]
pub struct CreateForm {
    csrf: Option<String>,
    #[serde(flatten)]
    account: AccountForm,
}

pub async fn create(State(state): State<AppState>, v: Viewer, Form(f): Form<CreateForm>) -> Result<Response, AppError> {
    v.check_csrf(f.csrf.as_deref())?;
    let viewer = v.clone();
    let form = f.account.clone();
    let created = state.pool.run(move |s| accounts::create(s, &viewer, &form)).await?;
    match created {
        Ok(_) => {
            let notice = format!("Đã tạo tài khoản '{}'.", f.account.username.trim().to_lowercase());
            page(&state, &v, AccountForm::default(), FormErrors::default(), None, Some(notice)).await
        }
        Err(errors) => {
            // The password is not sent back into the page.
            let form = AccountForm { password: String::new(), ..f.account };
            page(&state, &v, form, errors, None, None).await
        }
    }
}

#[derive(Debug, Deserialize)]
pub struct ActiveForm {
    csrf: Option<String>,
    active: bool,
}

pub async fn set_active(
    State(state): State<AppState>,
    v: Viewer,
    Path(id): Path<i64>,
    Form(f): Form<ActiveForm>,
) -> Result<Response, AppError> {
    v.check_csrf(f.csrf.as_deref())?;
    let viewer = v.clone();
    state.pool.run(move |s| accounts::set_active(s, &viewer, id, f.active)).await?;
    Ok(Redirect::to("/accounts").into_response())
}

#[derive(Debug, Deserialize)]
pub struct PasswordForm {
    csrf: Option<String>,
    #[serde(default)]
    password: String,
}

pub async fn reset_password(
    State(state): State<AppState>,
    v: Viewer,
    Path(id): Path<i64>,
    Form(f): Form<PasswordForm>,
) -> Result<Response, AppError> {
    v.check_csrf(f.csrf.as_deref())?;
    let viewer = v.clone();
    let outcome = state.pool.run(move |s| accounts::reset_password(s, &viewer, id, &f.password)).await?;
    match outcome {
        Ok(()) => page(&state, &v, AccountForm::default(), FormErrors::default(), None, Some("Đã đặt lại mật khẩu; các phiên đăng nhập cũ của tài khoản đã kết thúc.".into())).await,
        Err(e) => {
            let message = e.0.into_iter().map(|(_, m)| m).collect::<Vec<_>>().join(" ");
            page(&state, &v, AccountForm::default(), FormErrors::default(), Some((id, message)), None).await
        }
    }
}
