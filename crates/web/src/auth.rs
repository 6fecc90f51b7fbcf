//! Accounts, roles, sessions, CSRF and login throttling.
//!
//! Passwords are hashed with Argon2id. A session is a random 256-bit token,
//! given to the browser in an HttpOnly, SameSite=Lax cookie (Secure when the
//! site is served over https) or to an API client as a bearer token; the
//! database keeps only its BLAKE2 hash, with an expiry. Every session has its
//! own CSRF token, which every form posts back.

use std::net::SocketAddr;

use argon2::Argon2;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use axum::extract::{ConnectInfo, FromRequestParts, Request};
use axum::http::request::Parts;
use axum::http::{HeaderMap, Method, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use blake2::{Blake2s256, Digest};
use chrono::{Duration, Utc};
use nangluc_store::{Account, NewAccount, Session, Store};
use rand::RngCore;
use serde::Serialize;

use crate::AppState;
use crate::error::AppError;

pub const SESSION_COOKIE: &str = "nangluc_session";
pub const LOGIN_COOKIE: &str = "nangluc_login";
/// A browser session lasts a working day.
pub const SESSION_HOURS: i64 = 10;
/// An API token lasts 30 days.
pub const API_TOKEN_DAYS: i64 = 30;
/// Failed logins allowed per account name and address in the window.
pub const MAX_FAILURES: i64 = 5;
/// Failed logins allowed per address, whatever the account name.
pub const MAX_FAILURES_PER_IP: i64 = 50;
pub const FAILURE_WINDOW_MINUTES: i64 = 15;

macro_rules! roles {
    ($($v:ident => ($code:literal, $label:literal)),+ $(,)?) => {
        /// What an account is for. What each role may do is decided in
        /// [`Role::allows`] and in the scopes of [`crate::service`].
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
        #[serde(rename_all = "snake_case")]
        pub enum Role { $($v),+ }
        impl Role {
            pub const ALL: &'static [Role] = &[$(Role::$v),+];
            pub fn code(self) -> &'static str { match self { $(Role::$v => $code),+ } }
            pub fn label(self) -> &'static str { match self { $(Role::$v => $label),+ } }
            pub fn from_code(s: &str) -> Option<Role> { match s { $($code => Some(Role::$v),)+ _ => None } }
        }
    };
}

roles! {
    Admin => ("admin", "Quản trị (Sở Nội vụ)"),
    UnitHr => ("unit_hr", "Cán bộ tổ chức của đơn vị"),
    Institution => ("institution", "Cơ sở đào tạo, bồi dưỡng"),
    Finance => ("finance", "Tài chính"),
    Leader => ("leader", "Lãnh đạo"),
    Employee => ("employee", "Cán bộ, công chức, viên chức"),
}

/// What a page or reading needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Perm {
    /// The registry of people (within the reader's scope).
    People,
    Units,
    Programmes,
    Classes,
    Dashboard,
    Audit,
    /// Uploading workbooks (what each role may import: [`crate::imports::kinds_for`]).
    Import,
    /// Managing accounts.
    Accounts,
    /// Annual plans (a unit HR officer: their subtree's).
    AnnualPlans,
    /// The budget ledger.
    Budget,
    /// The responsibility matrix.
    Duties,
    /// Reading the province's period plan (its targets, versions, history).
    PeriodPlan,
    /// Saving a new version of it (the Sở Nội vụ).
    EditPeriodPlan,
    /// Service commitments after postgraduate training and compensations
    /// (a unit HR officer: their subtree's; finance: every one, to collect).
    Commitments,
    /// The proposed training plan (drafts made by the Sở Nội vụ; finance and
    /// the leadership read them) and its configuration (cost norms, offers).
    Proposals,
}

impl Role {
    pub fn allows(self, p: Perm) -> bool {
        use Perm::*;
        match self {
            Role::Admin => true,
            Role::UnitHr => {
                matches!(p, People | Units | Programmes | Classes | Dashboard | Import | AnnualPlans | Duties | PeriodPlan | Commitments)
            }
            Role::Finance => {
                matches!(p, People | Units | Programmes | Classes | Dashboard | AnnualPlans | Budget | Duties | PeriodPlan | Commitments | Proposals)
            }
            Role::Leader => {
                matches!(p, Units | Programmes | Classes | Dashboard | AnnualPlans | Budget | Duties | PeriodPlan | Proposals)
            }
            Role::Institution => matches!(p, Programmes | Classes),
            Role::Employee => matches!(p, People | Programmes),
        }
    }
}

/// The signed-in account behind a request.
#[derive(Debug, Clone, Serialize)]
pub struct Viewer {
    pub account_id: i64,
    pub username: String,
    pub display_name: String,
    pub role: Role,
    pub unit_id: Option<i64>,
    pub person_id: Option<i64>,
    pub institution_id: Option<i64>,
    #[serde(skip)]
    pub csrf: String,
    #[serde(skip)]
    pub token_hash: String,
}

impl Viewer {
    fn from_session(session: Session, a: Account) -> Result<Viewer, AppError> {
        // A locked account's sessions are ended when it is locked; this also
        // refuses one that slipped through.
        if !a.active {
            return Err(AppError::Unauthenticated);
        }
        let role = Role::from_code(&a.role).ok_or(AppError::Forbidden)?;
        Ok(Viewer {
            account_id: a.id,
            username: a.username,
            display_name: a.display_name,
            role,
            unit_id: a.unit_id,
            person_id: a.person_id,
            institution_id: a.institution_id,
            csrf: session.csrf_token,
            token_hash: session.token_hash,
        })
    }

    pub fn require(&self, p: Perm) -> Result<(), AppError> {
        if self.role.allows(p) {
            Ok(())
        } else {
            Err(AppError::Forbidden)
        }
    }

    /// A write through the API: a bearer token carries no ambient authority,
    /// a browser's cookie session must send its CSRF token in `X-CSRF-Token`.
    /// (The viewer came from the `Authorization` header whenever one is sent.)
    pub fn check_api_write(&self, headers: &HeaderMap) -> Result<(), AppError> {
        if headers.contains_key(header::AUTHORIZATION) {
            return Ok(());
        }
        self.check_csrf(headers.get("x-csrf-token").and_then(|v| v.to_str().ok()))
    }

    /// Checks the CSRF token a form posted (constant time).
    pub fn check_csrf(&self, posted: Option<&str>) -> Result<(), AppError> {
        match posted {
            Some(t) if constant_time_eq(t.as_bytes(), self.csrf.as_bytes()) => Ok(()),
            _ => Err(AppError::Csrf),
        }
    }
}

pub fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// A new random token: 32 bytes, hex.
pub fn random_token() -> String {
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    hex(&bytes)
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// What the database keeps of a session token.
pub fn token_hash(token: &str) -> String {
    hex(&Blake2s256::digest(token.as_bytes()))
}

pub fn hash_password(password: &str) -> Result<String, AppError> {
    let mut salt = [0u8; 16];
    rand::rng().fill_bytes(&mut salt);
    let salt = SaltString::encode_b64(&salt).map_err(|e| AppError::Internal(e.to_string()))?;
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| AppError::Internal(format!("không băm được mật khẩu: {e}")))
}

pub fn verify_password(password: &str, phc: &str) -> bool {
    PasswordHash::new(phc).is_ok_and(|h| {
        Argon2::default()
            .verify_password(password.as_bytes(), &h)
            .is_ok()
    })
}

/// A hash to verify against when the account does not exist, so that an
/// unknown name takes as long as a wrong password.
static DUMMY_HASH: std::sync::LazyLock<String> =
    std::sync::LazyLock::new(|| hash_password("không có tài khoản này").unwrap_or_default());

/// Why a login failed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LoginError {
    Wrong,
    Throttled,
}

/// Checks a name and password, with throttling, and opens a session of the
/// given kind (`browser` or `api`). Gives the token (to hand to the client,
/// never stored) and the session.
pub fn login(
    store: &mut Store,
    username: &str,
    password: &str,
    ip: &str,
    kind: &str,
) -> Result<Result<(String, Session), LoginError>, AppError> {
    let now = Utc::now();
    let username = username.trim();
    let since = now - Duration::minutes(FAILURE_WINDOW_MINUTES);
    let failures = store.login_failures(username, ip, since)?;
    if failures.user_from_ip >= MAX_FAILURES || failures.ip >= MAX_FAILURES_PER_IP {
        return Ok(Err(LoginError::Throttled));
    }
    let account = store.account_by_username(username)?;
    let ok = match &account {
        Some(a) => verify_password(password, &a.password_hash) && a.active,
        None => {
            let _ = verify_password(password, &DUMMY_HASH);
            false
        }
    };
    let Some(account) = account.filter(|_| ok) else {
        store.record_login_failure(username, ip, now)?;
        return Ok(Err(LoginError::Wrong));
    };
    store.clear_login_failures(username, ip)?;
    let token = random_token();
    let lifetime = if kind == "api" {
        Duration::days(API_TOKEN_DAYS)
    } else {
        Duration::hours(SESSION_HOURS)
    };
    let session = Session {
        token_hash: token_hash(&token),
        account_id: account.id,
        kind: kind.to_string(),
        csrf_token: random_token(),
        created_at: now,
        expires_at: now + lifetime,
    };
    store.create_session(&session)?;
    // Now and then, forget what has expired.
    if rand::random::<u8>() < 8 {
        store.purge_sessions(now, since)?;
    }
    Ok(Ok((token, session)))
}

/// The value of a cookie in the request.
pub fn cookie<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|kv| kv.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v)
}

/// A `Set-Cookie` value.
pub fn set_cookie(
    name: &str,
    value: &str,
    max_age_secs: i64,
    secure: bool,
    path: &str,
    same_site: &str,
) -> String {
    let secure = if secure { "; Secure" } else { "" };
    format!(
        "{name}={value}; Path={path}; Max-Age={max_age_secs}; HttpOnly; SameSite={same_site}{secure}"
    )
}

fn session_token(headers: &HeaderMap) -> Option<String> {
    if let Some(auth) = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
    {
        let (scheme, token) = auth.split_once(' ')?;
        return scheme
            .eq_ignore_ascii_case("bearer")
            .then(|| token.trim().to_string());
    }
    cookie(headers, SESSION_COOKIE).map(str::to_string)
}

impl FromRequestParts<AppState> for Viewer {
    type Rejection = AppError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        if let Some(v) = parts.extensions.get::<Viewer>() {
            return Ok(v.clone());
        }
        let token = session_token(&parts.headers).ok_or(AppError::Unauthenticated)?;
        if token.len() != 64 {
            return Err(AppError::Unauthenticated);
        }
        let hash = token_hash(&token);
        let found = state
            .pool
            .run(move |s| Ok(s.session(&hash, Utc::now())?))
            .await?;
        let (session, account) = found.ok_or(AppError::Unauthenticated)?;
        let viewer = Viewer::from_session(session, account)?;
        parts.extensions.insert(viewer.clone());
        Ok(viewer)
    }
}

/// The client's address, for throttling.
pub struct ClientIp(pub String);

impl<S: Send + Sync> FromRequestParts<S> for ClientIp {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        let ip = parts
            .extensions
            .get::<ConnectInfo<SocketAddr>>()
            .map(|c| c.0.ip().to_string())
            .unwrap_or_else(|| "không rõ".to_string());
        Ok(ClientIp(ip))
    }
}

/// Refuses state-changing requests sent by another site: a browser says where
/// a request comes from in `Sec-Fetch-Site` and `Origin`. Requests without
/// either (API clients, old browsers) still need their CSRF token or bearer
/// token.
pub async fn same_origin_only(req: Request, next: Next) -> Response {
    if matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS) {
        return next.run(req).await;
    }
    let h = req.headers();
    if let Some(site) = h.get("sec-fetch-site").and_then(|v| v.to_str().ok())
        && !matches!(site, "same-origin" | "none")
    {
        return AppError::Csrf.into_response();
    }
    if let Some(origin) = h.get(header::ORIGIN).and_then(|v| v.to_str().ok()) {
        let host = h
            .get(header::HOST)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("");
        let origin_host = origin.split_once("://").map(|(_, rest)| rest).unwrap_or("");
        if origin == "null" || origin_host != host {
            return AppError::Csrf.into_response();
        }
    }
    next.run(req).await
}

/// The demo accounts: one per role, password `demo-<name>`.
pub struct DemoAccount {
    pub username: &'static str,
    pub role: Role,
    pub password: String,
    pub display_name: String,
    pub note: String,
}

/// Creates the demo accounts when the database has none, linked to units,
/// an institution and a person of the data present. Gives what it created.
pub fn ensure_demo_accounts(store: &mut Store) -> Result<Vec<DemoAccount>, AppError> {
    if store.account_count()? > 0 {
        return Ok(Vec::new());
    }
    let links = crate::service::demo_links(store)?;
    type Plan = (
        &'static str,
        Role,
        String,
        Option<i64>,
        Option<i64>,
        Option<i64>,
        String,
    );
    let plan: [Plan; 6] = [
        (
            "admin",
            Role::Admin,
            "Quản trị Sở Nội vụ".into(),
            links.home_affairs,
            None,
            None,
            format!("toàn tỉnh; đơn vị: {}", links.home_affairs_name),
        ),
        (
            "nhansu",
            Role::UnitHr,
            "Cán bộ tổ chức".into(),
            links.hr_unit,
            None,
            None,
            format!(
                "chỉ người thuộc {} và các đơn vị trực thuộc",
                links.hr_unit_name
            ),
        ),
        (
            "daotao",
            Role::Institution,
            "Cán bộ đào tạo".into(),
            None,
            None,
            links.institution,
            format!("các lớp của {}", links.institution_name),
        ),
        (
            "taichinh",
            Role::Finance,
            "Cán bộ Sở Tài chính".into(),
            links.finance,
            None,
            None,
            "đọc hồ sơ; ghi phân bổ và quyết toán kinh phí".into(),
        ),
        (
            "lanhdao",
            Role::Leader,
            "Lãnh đạo UBND tỉnh".into(),
            None,
            None,
            None,
            "xem bảng theo dõi".into(),
        ),
        (
            "canbo",
            Role::Employee,
            links.employee_name.clone(),
            None,
            links.employee,
            None,
            "chỉ hồ sơ của chính mình".into(),
        ),
    ];
    let mut out = Vec::new();
    for (username, role, display_name, unit_id, person_id, institution_id, note) in plan {
        let password = format!("demo-{username}");
        store.create_account(&NewAccount {
            username: username.into(),
            display_name: display_name.clone(),
            password_hash: hash_password(&password)?,
            role: role.code().into(),
            unit_id,
            person_id,
            institution_id,
        })?;
        out.push(DemoAccount {
            username,
            role,
            password,
            display_name,
            note,
        });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_and_tokens() {
        let h = hash_password("demo-admin").unwrap();
        assert!(h.starts_with("$argon2id$"));
        assert!(verify_password("demo-admin", &h));
        assert!(!verify_password("demo-Admin", &h));
        let t = random_token();
        assert_eq!(t.len(), 64);
        assert_ne!(t, random_token());
        assert_eq!(token_hash(&t).len(), 64);
        assert_ne!(token_hash(&t), t);
    }

    #[test]
    fn cookies_are_read_from_any_header() {
        let mut h = HeaderMap::new();
        h.append(header::COOKIE, "a=1; nangluc_session=abc".parse().unwrap());
        assert_eq!(cookie(&h, SESSION_COOKIE), Some("abc"));
        assert_eq!(cookie(&h, "b"), None);
        let c = set_cookie("x", "y", 60, true, "/", "Lax");
        assert!(c.contains("HttpOnly") && c.contains("SameSite=Lax") && c.contains("Secure"));
    }

    #[test]
    fn roles_allow_by_matrix() {
        assert!(Role::Admin.allows(Perm::Audit));
        assert!(!Role::UnitHr.allows(Perm::Audit));
        assert!(!Role::Leader.allows(Perm::People));
        assert!(!Role::Institution.allows(Perm::People));
        assert!(Role::Employee.allows(Perm::People));
        assert!(Role::Admin.allows(Perm::EditPeriodPlan));
        for r in [Role::UnitHr, Role::Finance, Role::Leader] {
            assert!(r.allows(Perm::PeriodPlan) && !r.allows(Perm::EditPeriodPlan), "{r:?}");
        }
        assert!(!Role::Employee.allows(Perm::PeriodPlan) && !Role::Institution.allows(Perm::PeriodPlan));
        for r in Role::ALL {
            assert_eq!(Role::from_code(r.code()), Some(*r));
        }
    }
}
