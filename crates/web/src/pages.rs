//! Server-rendered pages: thin handlers that parse, call the service and
//! render an askama template. They work without JavaScript.

use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::header::{CACHE_CONTROL, CONTENT_TYPE, SET_COOKIE};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{AppendHeaders, Html, IntoResponse, Redirect, Response};
use nangluc_core::employment::{Category, POSTS};
use serde::Deserialize;

use crate::AppState;
use crate::auth::{self, LOGIN_COOKIE, LoginError, Perm, Role, SESSION_COOKIE, Viewer};
use crate::error::AppError;
use crate::fmt::{Day, parse_day, today};
use crate::service::{self, AuditFilter, ClassFilter, RegistryFilter};

pub const STYLE: &str = include_str!("../assets/style.css");

// ---------------------------------------------------------------- chrome

pub struct NavItem {
    pub href: String,
    pub label: &'static str,
    pub active: bool,
}

/// What every page shows around its content: title, menu, the account.
pub struct Chrome {
    pub title: String,
    pub user: Option<(String, &'static str)>,
    pub csrf: String,
    pub nav: Vec<NavItem>,
}

impl Chrome {
    /// For pages without a signed-in account (login, errors).
    pub fn bare(title: &str) -> Chrome {
        Chrome {
            title: title.to_string(),
            user: None,
            csrf: String::new(),
            nav: Vec::new(),
        }
    }

    pub fn new(v: &Viewer, title: impl Into<String>, active: &str) -> Chrome {
        let mut nav: Vec<(String, &'static str)> = vec![("/".into(), "Trang chủ")];
        if v.role == Role::Employee {
            if let Some(p) = v.person_id {
                nav.push((format!("/people/{p}"), "Hồ sơ của tôi"));
            }
            nav.push(("/signups".into(), "Đăng ký học"));
        } else if v.role.allows(Perm::People) {
            nav.push(("/people".into(), "Hồ sơ nhân sự"));
        }
        let items = [
            (Perm::Units, "/units", "Đơn vị"),
            (Perm::Programmes, "/programmes", "Chương trình"),
            (Perm::Classes, "/classes", "Lớp học"),
            (Perm::Dashboard, "/dashboard", "Chỉ tiêu"),
            (Perm::PeriodPlan, "/period-plan", "Kế hoạch giai đoạn"),
            (Perm::AnnualPlans, "/annual-plans", "Kế hoạch năm"),
            (Perm::Budget, "/budget", "Kinh phí"),
            (Perm::Proposals, "/proposals", "Đề xuất lớp"),
            (Perm::Duties, "/duties", "Nhiệm vụ"),
            (Perm::Commitments, "/commitments", "Cam kết, đền bù"),
            (Perm::Audit, "/audit", "Nhật ký"),
            (Perm::Import, "/imports", "Nhập dữ liệu"),
            (Perm::Accounts, "/accounts", "Tài khoản"),
        ];
        for (perm, href, label) in items {
            if v.role.allows(perm) {
                nav.push((href.into(), label));
            }
        }
        Chrome {
            title: title.into(),
            user: Some((v.display_name.clone(), v.role.label())),
            csrf: v.csrf.clone(),
            nav: nav
                .into_iter()
                .map(|(href, label)| NavItem {
                    active: if href == "/" {
                        active == "/"
                    } else {
                        active.starts_with(href.as_str())
                    },
                    href,
                    label,
                })
                .collect(),
        }
    }
}

fn render<T: Template>(t: &T) -> Result<Response, AppError> {
    Ok(Html(t.render()?).into_response())
}

/// Percent-encodes a query value.
pub fn encode_query(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' | b'/' => {
                out.push(b as char)
            }
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

/// `?a=1&b=2` from the non-empty pairs.
fn query(pairs: &[(&str, String)]) -> String {
    let parts: Vec<String> = pairs
        .iter()
        .filter(|(_, v)| !v.is_empty())
        .map(|(k, v)| format!("{k}={}", encode_query(v)))
        .collect();
    if parts.is_empty() {
        String::new()
    } else {
        format!("?{}", parts.join("&"))
    }
}

/// An option of a `<select>`.
pub struct Opt {
    pub value: String,
    pub label: String,
    pub selected: bool,
}

fn opts(current: Option<&str>, items: impl IntoIterator<Item = (String, String)>) -> Vec<Opt> {
    items
        .into_iter()
        .map(|(value, label)| Opt {
            selected: current == Some(value.as_str()),
            value,
            label,
        })
        .collect()
}

/// Links to the previous and next pages.
pub struct Pager {
    pub page: usize,
    pub prev: Option<String>,
    pub next: Option<String>,
}

fn pager(page: usize, more: bool, base: &str, pairs: &[(&str, String)]) -> Pager {
    let link = |p: usize| {
        let mut all: Vec<(&str, String)> = pairs.to_vec();
        if p > 1 {
            all.push(("page", p.to_string()));
        }
        format!("{base}{}", query(&all))
    };
    Pager {
        page,
        prev: (page > 1).then(|| link(page - 1)),
        next: more.then(|| link(page + 1)),
    }
}

// ---------------------------------------------------------------- static

pub async fn style() -> Response {
    (
        [
            (CONTENT_TYPE, "text/css; charset=utf-8"),
            (CACHE_CONTROL, "public, max-age=3600"),
        ],
        STYLE,
    )
        .into_response()
}

// ---------------------------------------------------------------- login

#[derive(Template)]
#[template(path = "login.html")]
struct LoginPage {
    chrome: Chrome,
    csrf: String,
    next: String,
    username: String,
    message: Option<String>,
}

#[derive(Debug, Deserialize)]
pub struct NextQuery {
    next: Option<String>,
}

/// Only local paths: a login link must not send the user to another site.
fn safe_next(next: Option<&str>) -> String {
    match next {
        Some(n) if n.starts_with('/') && !n.starts_with("//") && !n.contains('\\') => n.to_string(),
        _ => "/".to_string(),
    }
}

fn login_page(
    state: &AppState,
    next: String,
    username: String,
    message: Option<String>,
    status: StatusCode,
) -> Result<Response, AppError> {
    // Login CSRF: a double-submit token, in a cookie and in the form.
    let csrf = auth::random_token();
    let cookie = auth::set_cookie(
        LOGIN_COOKIE,
        &csrf,
        3600,
        state.secure_cookies,
        "/login",
        "Strict",
    );
    let page = LoginPage {
        chrome: Chrome::bare("Đăng nhập"),
        csrf,
        next,
        username,
        message,
    };
    Ok((
        status,
        AppendHeaders([(SET_COOKIE, cookie)]),
        Html(page.render()?),
    )
        .into_response())
}

pub async fn login_form(
    State(state): State<AppState>,
    Query(q): Query<NextQuery>,
) -> Result<Response, AppError> {
    login_page(
        &state,
        safe_next(q.next.as_deref()),
        String::new(),
        None,
        StatusCode::OK,
    )
}

#[derive(Debug, Deserialize)]
pub struct LoginForm {
    #[serde(default)]
    username: String,
    #[serde(default)]
    password: String,
    csrf: Option<String>,
    next: Option<String>,
}

pub async fn login_submit(
    State(state): State<AppState>,
    auth::ClientIp(ip): auth::ClientIp,
    headers: HeaderMap,
    Form(form): Form<LoginForm>,
) -> Result<Response, AppError> {
    let expected = auth::cookie(&headers, LOGIN_COOKIE).unwrap_or("");
    let posted = form.csrf.as_deref().unwrap_or("");
    if expected.is_empty() || !auth::constant_time_eq(expected.as_bytes(), posted.as_bytes()) {
        return Err(AppError::Csrf);
    }
    let next = safe_next(form.next.as_deref());
    let (username, password) = (form.username.clone(), form.password.clone());
    let outcome = state
        .pool
        .run(move |s| auth::login(s, &username, &password, &ip, "browser"))
        .await?;
    match outcome {
        Ok((token, _)) => {
            let cookie = auth::set_cookie(
                SESSION_COOKIE,
                &token,
                auth::SESSION_HOURS * 3600,
                state.secure_cookies,
                "/",
                "Lax",
            );
            let clear = auth::set_cookie(
                LOGIN_COOKIE,
                "",
                0,
                state.secure_cookies,
                "/login",
                "Strict",
            );
            Ok((
                AppendHeaders([(SET_COOKIE, cookie), (SET_COOKIE, clear)]),
                Redirect::to(&next),
            )
                .into_response())
        }
        Err(LoginError::Wrong) => login_page(
            &state,
            next,
            form.username,
            Some("Tên đăng nhập hoặc mật khẩu không đúng.".into()),
            StatusCode::UNAUTHORIZED,
        ),
        Err(LoginError::Throttled) => login_page(
            &state,
            next,
            form.username,
            Some(AppError::Throttled.to_string()),
            StatusCode::TOO_MANY_REQUESTS,
        ),
    }
}

#[derive(Debug, Deserialize)]
pub struct CsrfForm {
    pub csrf: Option<String>,
}

pub async fn logout(
    State(state): State<AppState>,
    v: Viewer,
    Form(form): Form<CsrfForm>,
) -> Result<Response, AppError> {
    v.check_csrf(form.csrf.as_deref())?;
    let hash = v.token_hash.clone();
    state
        .pool
        .run(move |s| Ok(s.delete_session(&hash)?))
        .await?;
    let clear = auth::set_cookie(SESSION_COOKIE, "", 0, state.secure_cookies, "/", "Lax");
    Ok((AppendHeaders([(SET_COOKIE, clear)]), Redirect::to("/login")).into_response())
}

// ---------------------------------------------------------------- home

#[derive(Template)]
#[template(path = "home.html")]
struct HomePage {
    chrome: Chrome,
    name: String,
    role: &'static str,
    today: Day,
    links: Vec<(String, &'static str, &'static str)>,
    /// The Sở Nội vụ's alerts from the responsibility matrix.
    overdue: Vec<nangluc_planning::duty::Overdue>,
    reminders: Vec<nangluc_planning::duty::Reminder>,
    /// A unit HR officer's plan for next year and its deadline.
    unit_plan: Option<String>,
}

pub async fn home(State(state): State<AppState>, v: Viewer) -> Result<Response, AppError> {
    let viewer = v.clone();
    let day = state.clock.today();
    let ((overdue, reminders), unit_plan) = state
        .pool
        .run(move |s| Ok((crate::annual::home_alerts(s, &viewer, day)?, crate::annual::unit_home(s, &viewer, day)?)))
        .await?;
    let mut links = Vec::new();
    if v.role == Role::Employee {
        if let Some(p) = v.person_id {
            links.push((
                format!("/people/{p}"),
                "Hồ sơ của tôi",
                "Quá trình công tác, trình độ, các khóa đào tạo, bồi dưỡng đã học.",
            ));
        }
        links.push((
            "/signups".into(),
            "Đăng ký học",
            "Các lớp đang chiêu sinh; đăng ký và chờ đơn vị duyệt.",
        ));
    } else if v.role.allows(Perm::People) {
        links.push(("/people".into(), "Hồ sơ nhân sự", "Tìm cán bộ, công chức, viên chức theo tên hoặc số định danh; lọc theo đơn vị, loại, chức vụ."));
    }
    let all = [
        (
            Perm::Units,
            "/units",
            "Đơn vị",
            "Cây tổ chức các cơ quan, đơn vị tại một ngày.",
        ),
        (
            Perm::Programmes,
            "/programmes",
            "Chương trình",
            "Danh mục chương trình đào tạo, bồi dưỡng.",
        ),
        (
            Perm::Classes,
            "/classes",
            "Lớp học",
            "Các lớp đã và đang mở; đề xuất, phê duyệt, cử học viên, kết quả.",
        ),
        (
            Perm::Dashboard,
            "/dashboard",
            "Chỉ tiêu",
            "Theo dõi thực hiện chỉ tiêu kế hoạch đào tạo, bồi dưỡng.",
        ),
        (
            Perm::PeriodPlan,
            "/period-plan",
            "Kế hoạch giai đoạn",
            "Kế hoạch ĐTBD 5 năm của tỉnh: các chỉ tiêu, ngưỡng, thời hạn; các phiên bản và lịch sử sửa đổi.",
        ),
        (
            Perm::AnnualPlans,
            "/annual-plans",
            "Kế hoạch năm",
            "Kế hoạch đào tạo, bồi dưỡng hằng năm của các đơn vị (gửi trước 31/8) và của tỉnh.",
        ),
        (
            Perm::Budget,
            "/budget",
            "Kinh phí",
            "Phân bổ, cam kết, quyết toán kinh phí; chênh lệch theo đơn vị, nguồn, chương trình.",
        ),
        (
            Perm::Proposals,
            "/proposals",
            "Đề xuất lớp",
            "Ai cần học gì, các lớp đề xuất đến hết kỳ kế hoạch, giá dự toán và lựa chọn trong trần kinh phí.",
        ),
        (
            Perm::Duties,
            "/duties",
            "Nhiệm vụ",
            "Phân công trách nhiệm: thời hạn, tiến độ, hồ sơ, việc quá hạn.",
        ),
        (
            Perm::Audit,
            "/audit",
            "Nhật ký thay đổi",
            "Ai đã thay đổi gì, khi nào, vì sao.",
        ),
        (
            Perm::Import,
            "/imports",
            "Nhập dữ liệu",
            "Tải lên tệp Excel theo mẫu: kiểm tra mọi lỗi trước, rồi ghi tất cả một lần.",
        ),
        (
            Perm::Accounts,
            "/accounts",
            "Tài khoản",
            "Tạo tài khoản, phân quyền, khóa và đặt lại mật khẩu.",
        ),
    ];
    for (perm, href, title, text) in all {
        if v.role.allows(perm) {
            links.push((href.to_string(), title, text));
        }
    }
    render(&HomePage {
        chrome: Chrome::new(&v, "Trang chủ", "/"),
        name: v.display_name.clone(),
        role: v.role.label(),
        today: Day(day),
        links,
        overdue,
        reminders,
        unit_plan,
    })
}

// ---------------------------------------------------------------- registry

#[derive(Template)]
#[template(path = "people.html")]
struct PeoplePage {
    chrome: Chrome,
    q: String,
    units: Vec<Opt>,
    categories: Vec<Opt>,
    posts: Vec<Opt>,
    result: service::PeopleResult,
    pager: Pager,
    searched: bool,
}

pub async fn people(
    State(state): State<AppState>,
    v: Viewer,
    Query(f): Query<RegistryFilter>,
) -> Result<Response, AppError> {
    let viewer = v.clone();
    let filter = f.clone();
    let (result, units) = state
        .pool
        .run(move |s| {
            let result = service::search_people(s, &viewer, &filter)?;
            let units = if viewer.role == Role::Employee {
                Vec::new()
            } else {
                service::unit_choices(s, &viewer)?
            };
            Ok((result, units))
        })
        .await?;
    let pairs = [
        ("q", f.q.clone()),
        ("unit", f.unit.clone().unwrap_or_default()),
        ("category", f.category.clone().unwrap_or_default()),
        ("post", f.post.clone().unwrap_or_default()),
    ];
    let pager = pager(result.page, result.more, "/people", &pairs);
    let mut posts = vec![("*".to_string(), "Mọi chức vụ lãnh đạo".to_string())];
    posts.extend(
        POSTS
            .iter()
            .map(|(code, name, _)| (code.to_string(), name.to_string())),
    );
    render(&PeoplePage {
        chrome: Chrome::new(&v, "Hồ sơ nhân sự", "/people"),
        searched: pairs.iter().any(|(_, v)| !v.is_empty()),
        q: f.q.clone(),
        units: opts(
            f.unit.as_deref(),
            units.into_iter().map(|u| (u.id.to_string(), u.indented())),
        ),
        categories: opts(
            f.category.as_deref(),
            Category::ALL
                .iter()
                .map(|c| (c.code().to_string(), c.label().to_string())),
        ),
        posts: opts(f.post.as_deref(), posts),
        result,
        pager,
    })
}

#[derive(Debug, Deserialize)]
pub struct AsOfQuery {
    as_of: Option<String>,
}

fn as_of_date(q: &AsOfQuery) -> Result<Option<chrono::NaiveDate>, AppError> {
    match q.as_of.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        None => Ok(None),
        Some(s) => parse_day(s).map(Some).ok_or_else(|| {
            AppError::BadRequest(format!("'{s}' không phải ngày hợp lệ (dd/mm/yyyy)."))
        }),
    }
}

#[derive(Template)]
#[template(path = "person.html")]
struct PersonPage {
    chrome: Chrome,
    p: service::PersonView,
    is_today: bool,
    /// The service commitments section (`None`: not for this viewer).
    commitments: Option<crate::commitments::PersonCommitments>,
}

pub async fn person(
    State(state): State<AppState>,
    v: Viewer,
    Path(id): Path<i64>,
    Query(q): Query<AsOfQuery>,
) -> Result<Response, AppError> {
    let date = as_of_date(&q)?;
    let viewer = v.clone();
    let day = state.clock.today();
    let (p, commitments) = state
        .pool
        .run(move |s| {
            let p = service::person(s, &viewer, id, date)?;
            let c = crate::commitments::person_commitments(s, &viewer, id, day)?;
            Ok((p, c))
        })
        .await?;
    let active = if v.role == Role::Employee {
        format!("/people/{id}")
    } else {
        "/people".to_string()
    };
    render(&PersonPage {
        chrome: Chrome::new(&v, p.full_name.clone(), &active),
        is_today: p.as_of.0 == today(),
        p,
        commitments,
    })
}

// ---------------------------------------------------------------- units, training

#[derive(Template)]
#[template(path = "units.html")]
struct UnitsPage {
    chrome: Chrome,
    view: service::UnitsView,
}

pub async fn units(
    State(state): State<AppState>,
    v: Viewer,
    Query(q): Query<AsOfQuery>,
) -> Result<Response, AppError> {
    v.require(Perm::Units)?;
    let date = as_of_date(&q)?.unwrap_or_else(today);
    let viewer = v.clone();
    let view = state
        .pool
        .run(move |s| service::units_tree(s, &viewer, date))
        .await?;
    render(&UnitsPage {
        chrome: Chrome::new(&v, "Đơn vị", "/units"),
        view,
    })
}

#[derive(Template)]
#[template(path = "programmes.html")]
struct ProgrammesPage {
    chrome: Chrome,
    items: Vec<service::ProgrammeLine>,
}

pub async fn programmes(State(state): State<AppState>, v: Viewer) -> Result<Response, AppError> {
    let viewer = v.clone();
    let items = state
        .pool
        .run(move |s| service::programmes(s, &viewer))
        .await?;
    render(&ProgrammesPage {
        chrome: Chrome::new(&v, "Chương trình đào tạo, bồi dưỡng", "/programmes"),
        items,
    })
}

#[derive(Template)]
#[template(path = "classes.html")]
struct ClassesPage {
    chrome: Chrome,
    q: String,
    year: String,
    statuses: Vec<Opt>,
    result: service::ClassesResult,
    total: String,
    pager: Pager,
    /// The administrator and institutions propose classes.
    can_propose: bool,
}

pub async fn classes(
    State(state): State<AppState>,
    v: Viewer,
    Query(f): Query<ClassFilter>,
) -> Result<Response, AppError> {
    let viewer = v.clone();
    let filter = f.clone();
    let result = state
        .pool
        .run(move |s| service::classes(s, &viewer, &filter))
        .await?;
    let pairs = [
        ("q", f.q.clone()),
        ("year", f.year.clone().unwrap_or_default()),
        ("status", f.status.clone().unwrap_or_default()),
    ];
    render(&ClassesPage {
        chrome: Chrome::new(&v, "Lớp học", "/classes"),
        q: f.q.clone(),
        year: f.year.clone().unwrap_or_default(),
        statuses: opts(
            f.status.as_deref(),
            nangluc_core::training::ClassStatus::ALL
                .iter()
                .map(|s| (s.code().to_string(), s.label().to_string())),
        ),
        total: crate::fmt::number(result.total as i64),
        pager: pager(result.page, result.more, "/classes", &pairs),
        can_propose: matches!(v.role, Role::Admin | Role::Institution),
        result,
    })
}

// ---------------------------------------------------------------- audit

#[derive(Template)]
#[template(path = "audit.html")]
struct AuditPage {
    chrome: Chrome,
    actor: String,
    reason: String,
    from: String,
    to: String,
    result: service::ChangesResult,
    pager: Pager,
}

pub async fn audit(
    State(state): State<AppState>,
    v: Viewer,
    Query(f): Query<AuditFilter>,
) -> Result<Response, AppError> {
    let viewer = v.clone();
    let filter = f.clone();
    let result = state
        .pool
        .run(move |s| service::changes(s, &viewer, &filter))
        .await?;
    let get = |o: &Option<String>| o.clone().unwrap_or_default();
    let pairs = [
        ("actor", get(&f.actor)),
        ("reason", get(&f.reason)),
        ("from", get(&f.from)),
        ("to", get(&f.to)),
    ];
    render(&AuditPage {
        chrome: Chrome::new(&v, "Nhật ký thay đổi", "/audit"),
        actor: get(&f.actor),
        reason: get(&f.reason),
        from: get(&f.from),
        to: get(&f.to),
        pager: pager(result.page, result.more, "/audit", &pairs),
        result,
    })
}

#[derive(Template)]
#[template(path = "change.html")]
struct ChangePage {
    chrome: Chrome,
    c: service::ChangeView,
    shown: usize,
}

pub async fn change(
    State(state): State<AppState>,
    v: Viewer,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let viewer = v.clone();
    let c = state
        .pool
        .run(move |s| service::change(s, &viewer, id))
        .await?;
    render(&ChangePage {
        chrome: Chrome::new(&v, format!("Lượt thay đổi số {id}"), "/audit"),
        shown: c.rows.len(),
        c,
    })
}

// ---------------------------------------------------------------- dashboard

/// The `?as_of=…&unit=…` carried by the dashboard's links.
fn dashboard_query(as_of: &Day, unit: Option<&str>, is_today: bool) -> Vec<(&'static str, String)> {
    let mut pairs = Vec::new();
    if !is_today {
        pairs.push(("as_of", as_of.to_string()));
    }
    if let Some(u) = unit {
        pairs.push(("unit", u.to_string()));
    }
    pairs
}

#[derive(Template)]
#[template(path = "dashboard.html")]
struct DashboardPage {
    chrome: Chrome,
    d: std::sync::Arc<service::DashboardView>,
    /// The query string to keep the date (and the unit) in links.
    keep_date: String,
    keep_all: String,
}

impl DashboardPage {
    fn unit_link(&self, code: &str) -> String {
        let mut pairs: Vec<(&str, String)> = Vec::new();
        if !self.keep_date.is_empty() {
            pairs.push(("as_of", self.d.as_of.to_string()));
        }
        pairs.push(("unit", code.to_string()));
        format!("/dashboard{}", query(&pairs))
    }
}

pub async fn dashboard(
    State(state): State<AppState>,
    v: Viewer,
    Query(q): Query<service::DashboardQuery>,
) -> Result<Response, AppError> {
    let viewer = v.clone();
    let plan = state.plan.clone();
    let d = state
        .pool
        .run(move |s| service::dashboard(s, plan.as_deref(), &viewer, &q))
        .await?;
    let is_today = d.as_of.0 == today();
    let unit = d.unit.as_ref().map(|u| u.code.clone());
    let keep_date = query(&dashboard_query(&d.as_of, None, is_today));
    let keep_all = query(&dashboard_query(&d.as_of, unit.as_deref(), is_today));
    render(&DashboardPage {
        chrome: Chrome::new(&v, "Theo dõi chỉ tiêu", "/dashboard"),
        keep_date,
        keep_all,
        d,
    })
}

#[derive(Template)]
#[template(path = "need_list.html")]
struct NeedListPage {
    chrome: Chrome,
    n: service::NeedListView,
    keep_all: String,
    keep_date: String,
    export: String,
    pager: Pager,
}

impl NeedListPage {
    fn unit_link(&self, code: &str) -> String {
        let mut pairs: Vec<(&str, String)> = Vec::new();
        if !self.keep_date.is_empty() {
            pairs.push(("as_of", self.n.as_of.to_string()));
        }
        pairs.push(("unit", code.to_string()));
        format!(
            "/dashboard/targets/{}{}",
            encode_query(&self.n.target.id),
            query(&pairs)
        )
    }
}

pub async fn dashboard_target(
    State(state): State<AppState>,
    v: Viewer,
    Path(id): Path<String>,
    Query(q): Query<service::DashboardQuery>,
) -> Result<Response, AppError> {
    let viewer = v.clone();
    let plan = state.plan.clone();
    let target = id.clone();
    let n = state
        .pool
        .run(move |s| service::need_list(s, plan.as_deref(), &viewer, &target, &q))
        .await?;
    let is_today = n.as_of.0 == today();
    let unit = n.unit.as_ref().map(|u| u.code.clone());
    let pairs = dashboard_query(&n.as_of, unit.as_deref(), is_today);
    let base = format!("/dashboard/targets/{}", encode_query(&id));
    render(&NeedListPage {
        chrome: Chrome::new(&v, format!("Chỉ tiêu {id}"), "/dashboard"),
        keep_all: query(&pairs),
        keep_date: query(&dashboard_query(&n.as_of, None, is_today)),
        export: format!("{base}/export.xlsx{}", query(&pairs)),
        pager: pager(n.page, n.more, &base, &pairs),
        n,
    })
}

pub async fn dashboard_export(
    State(state): State<AppState>,
    v: Viewer,
    Path(id): Path<String>,
    Query(q): Query<service::DashboardQuery>,
) -> Result<Response, AppError> {
    let plan = state.plan.clone();
    let (bytes, name) = state
        .pool
        .run(move |s| service::need_workbook(s, plan.as_deref(), &v, &id, &q))
        .await?;
    Ok((
        [
            (
                CONTENT_TYPE,
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet".to_string(),
            ),
            (
                axum::http::header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{name}\""),
            ),
        ],
        bytes,
    )
        .into_response())
}

pub async fn not_found() -> AppError {
    AppError::NotFound("trang này".into())
}
