//! Account management, for the Sở Nội vụ's administrators: who may sign in,
//! in which role and over which scope (a unit's subtree, an institution, one
//! person's own record). Every change is recorded with who made it and what
//! it was, next to the audit log of facts.

use nangluc_core::Table;
use nangluc_store::{AccountChange, AccountEvent, NewAccount, Store, Value};
use serde::{Deserialize, Serialize};

use crate::auth::{self, Perm, Role, Viewer};
use crate::error::AppError;
use crate::fmt::{Moment, today};
use crate::service::Names;

/// A password an administrator sets must be at least this long.
pub const MIN_PASSWORD_CHARS: usize = 10;

#[derive(Debug, Clone, Serialize)]
pub struct AccountLine {
    pub id: i64,
    pub username: String,
    pub display_name: String,
    pub role: &'static str,
    pub role_code: &'static str,
    /// What the account reaches: "Sở Y tế và các đơn vị trực thuộc", a person…
    pub scope: String,
    pub active: bool,
    pub created_at: Moment,
}

#[derive(Debug, Clone, Serialize)]
pub struct EventLine {
    pub account_id: i64,
    pub username: String,
    pub actor: String,
    pub at: Moment,
    pub action: &'static str,
    pub detail: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct AccountsView {
    pub accounts: Vec<AccountLine>,
    pub events: Vec<EventLine>,
}

fn action_label(code: &str) -> &'static str {
    match code {
        "created" => "Tạo tài khoản",
        "locked" => "Khóa tài khoản",
        "unlocked" => "Mở khóa tài khoản",
        "password_reset" => "Đặt lại mật khẩu",
        _ => "Thay đổi khác",
    }
}

fn scope_text(names: &mut Names, role: Role, a: &nangluc_store::Account) -> Result<String, AppError> {
    let date = today();
    Ok(match role {
        Role::UnitHr => match a.unit_id {
            Some(u) => format!("{} và các đơn vị trực thuộc", names.unit(u, date)?),
            None => "chưa gắn đơn vị (không xem được ai)".into(),
        },
        Role::Institution => match a.institution_id {
            Some(i) => names.institution(i, date)?,
            None => "chưa gắn cơ sở đào tạo".into(),
        },
        Role::Employee => match a.person_id {
            Some(p) => match names.person(p, date)? {
                Some(d) => format!("hồ sơ của {} ({})", d.full_name(), d.identity_number),
                None => format!("người mã số {p}"),
            },
            None => "chưa gắn hồ sơ".into(),
        },
        Role::Admin => "toàn tỉnh".into(),
        Role::Finance | Role::Leader => "toàn tỉnh, chỉ đọc".into(),
    })
}

/// Every account and the latest changes made to accounts.
pub fn list(store: &mut Store, v: &Viewer) -> Result<AccountsView, AppError> {
    v.require(Perm::Accounts)?;
    let accounts = store.accounts()?;
    let events = store.account_events(None, 50)?;
    let mut names = Names::new(store);
    let mut lines = Vec::with_capacity(accounts.len());
    for a in &accounts {
        let role = Role::from_code(&a.role).unwrap_or(Role::Leader);
        lines.push(AccountLine {
            id: a.id,
            username: a.username.clone(),
            display_name: a.display_name.clone(),
            role: role.label(),
            role_code: role.code(),
            scope: scope_text(&mut names, role, a)?,
            active: a.active,
            created_at: Moment(a.created_at),
        });
    }
    let username = |id: i64| accounts.iter().find(|a| a.id == id).map(|a| a.username.clone()).unwrap_or_default();
    let events = events.into_iter().map(|e: AccountEvent| EventLine {
        account_id: e.account_id,
        username: username(e.account_id),
        actor: e.actor,
        at: Moment(e.at),
        action: action_label(&e.action),
        detail: e.detail,
    });
    Ok(AccountsView { accounts: lines, events: events.collect() })
}

/// A new account as an administrator fills the form: the scope is given by
/// the codes people know (a unit's code, an identity number, an institution's code).
#[derive(Debug, Clone, Default, Deserialize)]
pub struct AccountForm {
    #[serde(default)]
    pub username: String,
    #[serde(default)]
    pub display_name: String,
    #[serde(default)]
    pub role: String,
    #[serde(default)]
    pub unit_code: String,
    #[serde(default)]
    pub identity_number: String,
    #[serde(default)]
    pub institution_code: String,
    #[serde(default)]
    pub password: String,
}

/// Every problem of the form at once, field by field.
#[derive(Debug, Clone, Default, Serialize)]
pub struct FormErrors(pub Vec<(String, String)>);

impl FormErrors {
    fn add(&mut self, field: &str, message: impl Into<String>) {
        self.0.push((field.to_string(), message.into()));
    }
}

fn valid_username(s: &str) -> bool {
    (3..=40).contains(&s.len())
        && s.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || matches!(b, b'.' | b'_' | b'-'))
}

/// The id of the entity whose current row has `column = code`.
fn find_by(store: &mut Store, table: Table, column: &str, code: &str) -> Result<Option<i64>, AppError> {
    Ok(store.current_where(table, column, Value::from(code))?.first().map(|v| v.id))
}

/// The id an account's scope names by its code, or the form's error: `missing`
/// when the field is empty, `unknown` followed by the code when nothing has it.
#[allow(clippy::too_many_arguments)]
fn scope_id(
    store: &mut Store,
    errors: &mut FormErrors,
    table: Table,
    column: &str,
    code: &str,
    field: &str,
    missing: &str,
    unknown: &str,
) -> Result<Option<i64>, AppError> {
    let found = find_by(store, table, column, code)?;
    match found {
        Some(_) => {}
        None if code.is_empty() => errors.add(field, missing),
        None => errors.add(field, format!("{unknown} '{code}'.")),
    }
    Ok(found)
}

/// Creates an account; gives its id, or every problem of the form.
pub fn create(store: &mut Store, v: &Viewer, f: &AccountForm) -> Result<Result<i64, FormErrors>, AppError> {
    v.require(Perm::Accounts)?;
    let mut errors = FormErrors::default();
    let username = f.username.trim().to_lowercase();
    if !valid_username(&username) {
        errors.add("username", "Tên đăng nhập gồm 3–40 ký tự: chữ thường không dấu, chữ số, dấu chấm, gạch dưới hoặc gạch ngang.");
    } else if store.account_by_username(&username)?.is_some() {
        errors.add("username", format!("Tên đăng nhập '{username}' đã có."));
    }
    let display_name = f.display_name.trim();
    if display_name.is_empty() {
        errors.add("display_name", "Chưa nhập họ tên hiển thị.");
    }
    let role = Role::from_code(f.role.trim());
    if role.is_none() {
        errors.add("role", "Chưa chọn vai trò.");
    }
    if f.password.chars().count() < MIN_PASSWORD_CHARS {
        errors.add("password", format!("Mật khẩu cần ít nhất {MIN_PASSWORD_CHARS} ký tự."));
    }
    let (mut unit_id, mut person_id, mut institution_id) = (None, None, None);
    // Each role's scope, named by the code people know; a unit is optional
    // for the others (the Sở Nội vụ's own accounts name it).
    let unit_code = f.unit_code.trim();
    if role == Some(Role::UnitHr) || !unit_code.is_empty() {
        unit_id = scope_id(store, &mut errors, Table::Units, "code", unit_code, "unit_code",
            "Cán bộ tổ chức cần mã đơn vị mình quản lý.", "Không có đơn vị mã")?;
    }
    if role == Some(Role::Employee) {
        person_id = scope_id(store, &mut errors, Table::People, "identity_number", f.identity_number.trim(), "identity_number",
            "Tài khoản cá nhân cần số định danh của người đó.", "Không có hồ sơ nào có số định danh")?;
    }
    if role == Some(Role::Institution) {
        institution_id = scope_id(store, &mut errors, Table::Institutions, "code", f.institution_code.trim(), "institution_code",
            "Tài khoản cơ sở đào tạo cần mã cơ sở.", "Không có cơ sở đào tạo mã")?;
    }
    let Some(role) = role.filter(|_| errors.0.is_empty()) else {
        return Ok(Err(errors));
    };
    let account = NewAccount {
        username: username.clone(),
        display_name: display_name.to_string(),
        password_hash: auth::hash_password(&f.password)?,
        role: role.code().to_string(),
        unit_id,
        person_id,
        institution_id,
    };
    let detail = {
        let mut names = Names::new(store);
        let stored = nangluc_store::Account {
            id: 0,
            username: account.username.clone(),
            display_name: account.display_name.clone(),
            password_hash: String::new(),
            role: account.role.clone(),
            unit_id,
            person_id,
            institution_id,
            active: true,
            created_at: chrono::Utc::now(),
        };
        format!("{} — {}; phạm vi: {}", account.display_name, role.label(), scope_text(&mut names, role, &stored)?)
    };
    Ok(Ok(store.change_account(&v.username, &AccountChange::Create(account), &detail)?))
}

fn target(store: &mut Store, id: i64) -> Result<nangluc_store::Account, AppError> {
    store.account(id)?.ok_or_else(|| AppError::NotFound(format!("tài khoản số {id}")))
}

/// Locks or unlocks an account. Locking ends its sessions; an administrator
/// cannot lock their own account (so that one always remains).
pub fn set_active(store: &mut Store, v: &Viewer, id: i64, active: bool) -> Result<(), AppError> {
    v.require(Perm::Accounts)?;
    let a = target(store, id)?;
    if !active && id == v.account_id {
        return Err(AppError::BadRequest("Không thể tự khóa tài khoản của chính mình.".into()));
    }
    let detail = format!(
        "{}: {} → {}",
        a.username,
        if a.active { "đang hoạt động" } else { "đang khóa" },
        if active { "đang hoạt động" } else { "đang khóa" }
    );
    store.change_account(&v.username, &AccountChange::SetActive { id, active }, &detail)?;
    Ok(())
}

/// Sets a new password (the user is told it out of band) and ends the
/// account's sessions.
pub fn reset_password(store: &mut Store, v: &Viewer, id: i64, password: &str) -> Result<Result<(), FormErrors>, AppError> {
    v.require(Perm::Accounts)?;
    let a = target(store, id)?;
    if password.chars().count() < MIN_PASSWORD_CHARS {
        let mut e = FormErrors::default();
        e.add("password", format!("Mật khẩu cần ít nhất {MIN_PASSWORD_CHARS} ký tự."));
        return Ok(Err(e));
    }
    let hash = auth::hash_password(password)?;
    let detail = format!("{}: mật khẩu mới do quản trị đặt; các phiên đăng nhập cũ bị kết thúc", a.username);
    store.change_account(&v.username, &AccountChange::SetPassword { id, hash }, &detail)?;
    Ok(Ok(()))
}
