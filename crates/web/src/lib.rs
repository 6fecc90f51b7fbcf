//! NăngLực's web application: accounts and roles, server-rendered Vietnamese
//! pages and a JSON API over the store.
//!
//! Layers: handlers ([`pages`], [`api`]) parse the request, call [`service`]
//! (where roles and scopes are enforced) and render; [`error::AppError`] is
//! turned into a response in one place. The synchronous store is reached
//! through a small [`pool::Pool`] on tokio's blocking threads.

#![recursion_limit = "512"]

pub mod accounts;
pub mod accounts_pages;
pub mod annual;
pub mod annual_api;
pub mod annual_pages;
pub mod api;
pub mod auth;
pub mod charts;
pub mod commitments;
pub mod commitments_pages;
pub mod documents;
pub mod error;
pub mod fmt;
pub mod imports;
pub mod imports_pages;
pub mod pages;
pub mod period_plan;
pub mod period_plan_pages;
pub mod pool;
pub mod proposals;
pub mod proposals_pages;
pub mod service;
pub mod targets;
pub mod training;
pub mod training_pages;

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;

use axum::Router;
use axum::extract::{DefaultBodyLimit, Request};
use axum::http::HeaderValue;
use axum::http::header;
use axum::middleware::{self, Next};
use axum::response::Response;
use axum::routing::{delete, get, post, put};

pub use crate::auth::{DemoAccount, Role};
pub use crate::error::AppError;
pub use crate::period_plan::PlanChoice;

/// What `serve` needs.
#[derive(Debug, Clone)]
pub struct ServeConfig {
    /// The database: a SQLite path or a `postgres://` URL.
    pub db: String,
    pub addr: SocketAddr,
    /// Mark cookies `Secure`: set when the site is served over https (behind
    /// a reverse proxy).
    pub secure_cookies: bool,
    /// Stores kept open between requests.
    pub pool_size: usize,
    /// Create the demo accounts when the database has none.
    pub demo_accounts: bool,
    /// The period plan the dashboard follows: the one stored in the database
    /// (imported from a file on the first run) or a file given explicitly.
    /// Checked at start: a broken plan stops the server.
    pub plan: PlanChoice,
}

impl ServeConfig {
    pub fn new(db: impl Into<String>, addr: SocketAddr) -> Self {
        Self {
            db: db.into(),
            addr,
            secure_cookies: false,
            pool_size: 8,
            demo_accounts: true,
            plan: PlanChoice::Stored {
                first_run: PathBuf::from(targets::DEFAULT_PLAN),
            },
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ServeError {
    #[error("{0}")]
    Store(#[from] nangluc_store::StoreError),
    #[error("{0}")]
    App(#[from] AppError),
    #[error("không mở được cổng {addr}: {source}")]
    Bind {
        addr: SocketAddr,
        source: std::io::Error,
    },
    #[error("{0}")]
    Plan(String),
    #[error("máy chủ dừng vì lỗi: {0}")]
    Io(#[from] std::io::Error),
}

/// Shared by every request.
#[derive(Clone)]
pub struct AppState {
    pub pool: Arc<pool::Pool>,
    pub secure_cookies: bool,
    /// The plan the dashboard follows, with the cached snapshot and results.
    pub plan: Option<Arc<targets::ActivePlan>>,
    /// Workbooks checked in a dry run, waiting to be applied.
    pub uploads: Arc<imports::Uploads>,
    /// The clock of workflow records (submission dates, deadlines).
    pub clock: Arc<annual::Clock>,
}

impl AppState {
    pub fn open(db: &str, pool_size: usize, secure_cookies: bool) -> Result<AppState, ServeError> {
        Ok(AppState {
            pool: pool::Pool::open(db, pool_size)?,
            secure_cookies,
            plan: None,
            uploads: Arc::default(),
            clock: Arc::new(annual::Clock::default()),
        })
    }

    /// Follows this plan on the dashboard.
    pub fn with_plan(mut self, plan: targets::ActivePlan) -> AppState {
        self.plan = Some(Arc::new(plan));
        self
    }
}

/// Headers every response carries: no framing, no sniffing, only our own
/// styles (the pages have no script).
async fn security_headers(req: Request, next: Next) -> Response {
    let mut r = next.run(req).await;
    let h = r.headers_mut();
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static("default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"),
    );
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("same-origin"),
    );
    if !h.contains_key(header::CACHE_CONTROL) {
        h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    r
}

/// Every route of the application.
pub fn router(state: AppState) -> Router {
    let api = Router::new()
        .route("/openapi.json", get(api::openapi))
        .route("/tokens", post(api::create_token))
        .route("/session", delete(api::delete_session))
        .route("/me", get(api::me))
        .route("/people", get(api::people))
        .route("/people/{id}", get(api::person))
        .route("/units", get(api::units))
        .route("/programmes", get(api::programmes))
        .route("/classes", get(api::classes).post(training_pages::api_propose))
        .route("/classes/{id}", get(api::class))
        .route("/classes/{id}/roster", get(training_pages::api_roster))
        .route("/classes/{id}/quotas", put(training_pages::api_quotas))
        .route("/classes/{id}/actions/{action}", post(training_pages::api_action))
        .route("/classes/{id}/candidates", get(training_pages::api_candidates))
        .route("/classes/{id}/nominations", post(training_pages::api_nominate))
        .route("/classes/{id}/signups", post(training_pages::api_sign_up))
        .route("/open-classes", get(training_pages::api_open_classes))
        .route("/enrolments/{id}/result", put(training_pages::api_result))
        .route("/enrolments/{id}/{decision}", post(training_pages::api_decide))
        .route("/changes", get(api::changes))
        .route("/changes/{id}", get(api::change))
        .route("/dashboard", get(api::dashboard))
        .route(
            "/imports",
            post(imports_pages::api_import).layer(DefaultBodyLimit::max(imports::MAX_UPLOAD_BYTES)),
        )
        .route("/annual-plans", get(annual_api::plans).post(annual_api::create_plan))
        .route("/annual-plans/{id}", get(annual_api::plan))
        .route("/annual-plans/{id}/lines", post(annual_api::add_line))
        .route("/annual-plans/{id}/lines/{line}", delete(annual_api::remove_line))
        .route("/annual-plans/{id}/{action}", post(annual_api::act))
        .route("/province-plans/{year}/aggregate", post(annual_api::aggregate))
        .route("/province-plans/{year}/approve", post(annual_api::approve))
        .route("/budget", get(annual_api::budget))
        .route("/budget/allocations", post(annual_api::add_allocation))
        .route("/budget/classes/{id}/commitment", post(annual_api::commit_class))
        .route("/budget/classes/{id}/settlement", post(annual_api::settle_class))
        .route("/duties", get(annual_api::duties).post(annual_api::create_duty))
        .route("/duties/import", post(annual_api::import_duties))
        .route("/duties/{id}", get(annual_api::duty))
        .route("/duties/{id}/updates", post(annual_api::add_duty_update))
        .route("/duties/{id}/comments", post(annual_api::add_duty_comment))
        .route(
            "/duties/{id}/files",
            post(annual_api::upload_duty_file).layer(DefaultBodyLimit::max(annual::MAX_FILE_BYTES + 64 * 1024)),
        )
        .route("/reports/annual-plan.docx", get(annual_api::annual_plan_docx))
        .route("/reports/review.docx", get(annual_api::review_docx))
        .route("/reports/review.xlsx", get(annual_api::review_xlsx))
        .route("/period-plan", get(period_plan_pages::api_get).put(period_plan_pages::api_put))
        .route("/period-plan/versions", get(period_plan_pages::api_versions))
        .route("/period-plan/versions/{n}", get(period_plan_pages::api_version))
        .route("/commitments", get(commitments_pages::api_list))
        .route("/commitments/{id}", get(commitments_pages::api_one))
        .route("/commitments/{id}/departure", post(commitments_pages::api_departure))
        .route("/commitments/{id}/payment", post(commitments_pages::api_paid))
        .route(
            "/people/{id}/commitments",
            get(commitments_pages::api_person).post(commitments_pages::api_record),
        )
        .route("/proposals", get(proposals_pages::api_list).post(proposals_pages::api_create))
        .route("/proposals/{id}", get(proposals_pages::api_get))
        .route("/proposals/{id}/moves", post(proposals_pages::api_move))
        .route("/proposals/{id}/classes/{code}", delete(proposals_pages::api_drop))
        .route("/proposals/{id}/funding", post(proposals_pages::api_fund))
        .route("/proposals/{id}/adopt", post(proposals_pages::api_adopt))
        .route("/proposals/{id}/export.xlsx", get(proposals_pages::export))
        .route("/planning-config", get(proposals_pages::api_config))
        .route("/planning-config/cost-norms", post(proposals_pages::api_add_norm))
        .fallback(api::not_found);
    Router::new()
        .route("/", get(pages::home))
        .route("/static/style.css", get(pages::style))
        .route("/login", get(pages::login_form).post(pages::login_submit))
        .route("/logout", post(pages::logout))
        .route("/people", get(pages::people))
        .route("/people/{id}", get(pages::person))
        .route("/units", get(pages::units))
        .route("/programmes", get(pages::programmes))
        .route("/classes", get(pages::classes).post(training_pages::propose_submit))
        .route("/classes/new", get(training_pages::new_class))
        .route("/classes/{id}", get(training_pages::class_page))
        .route("/classes/{id}/actions/{action}", post(training_pages::action_submit))
        .route(
            "/classes/{id}/nominate",
            get(training_pages::nominate_page).post(training_pages::nominate_submit),
        )
        .route("/classes/{id}/signup", post(training_pages::sign_up_submit))
        .route("/classes/{id}/quotas", post(training_pages::quotas_submit))
        .route("/enrolments/{id}/result", post(training_pages::result_submit))
        .route("/enrolments/{id}/{decision}", post(training_pages::decide_submit))
        .route("/signups", get(training_pages::signups_page))
        .route("/audit", get(pages::audit))
        .route("/audit/{id}", get(pages::change))
        .route("/dashboard", get(pages::dashboard))
        .route("/dashboard/targets/{id}", get(pages::dashboard_target))
        .route(
            "/dashboard/targets/{id}/export.xlsx",
            get(pages::dashboard_export),
        )
        .route(
            "/imports",
            get(imports_pages::form)
                .post(imports_pages::upload)
                .layer(DefaultBodyLimit::max(imports::MAX_UPLOAD_BYTES)),
        )
        .route("/imports/{token}/apply", post(imports_pages::apply))
        .route("/accounts", get(accounts_pages::list).post(accounts_pages::create))
        .route("/accounts/{id}/active", post(accounts_pages::set_active))
        .route("/accounts/{id}/password", post(accounts_pages::reset_password))
        .route("/annual-plans", get(annual_pages::plans).post(annual_pages::create_plan))
        .route("/annual-plans/{id}", get(annual_pages::plan))
        .route("/annual-plans/{id}/lines", post(annual_pages::add_line))
        .route("/annual-plans/{id}/lines/{line}/delete", post(annual_pages::remove_line))
        .route("/annual-plans/{id}/act", post(annual_pages::act))
        .route("/province-plans/{year}/aggregate", post(annual_pages::aggregate))
        .route("/province-plans/{year}/approve", post(annual_pages::approve))
        .route("/budget", get(annual_pages::budget))
        .route("/budget/allocations", post(annual_pages::add_allocation))
        .route("/budget/classes/{id}/settlement", post(annual_pages::settle_class))
        .route("/duties", get(annual_pages::duties).post(annual_pages::create_duty))
        .route("/duties/import", post(annual_pages::import_duties))
        .route("/duties/{id}", get(annual_pages::duty))
        .route(
            "/duties/{id}/updates",
            post(annual_pages::add_duty_update).layer(DefaultBodyLimit::max(annual::MAX_FILE_BYTES + 64 * 1024)),
        )
        .route("/duties/{id}/files/{file}", get(annual_pages::duty_file))
        .route("/duties/{id}/comments", post(annual_pages::add_duty_comment))
        .route("/commitments", get(commitments_pages::list))
        .route("/commitments/{id}/departure", post(commitments_pages::departure))
        .route("/commitments/{id}/paid", post(commitments_pages::paid))
        .route("/people/{id}/commitments", post(commitments_pages::record))
        .route("/classes/{id}/service-commitments", post(commitments_pages::record_for_class))
        .route("/reports/annual-plan.docx", get(annual_api::annual_plan_docx))
        .route("/reports/annual-plan.xlsx", get(annual_api::annual_plan_xlsx))
        .route("/reports/review.docx", get(annual_api::review_docx))
        .route("/reports/review.xlsx", get(annual_api::review_xlsx))
        .route("/period-plan", get(period_plan_pages::page))
        .route(
            "/period-plan/targets/new",
            get(period_plan_pages::new_target).post(period_plan_pages::new_target_submit),
        )
        .route(
            "/period-plan/targets/{id}",
            get(period_plan_pages::edit_target).post(period_plan_pages::edit_target_submit),
        )
        .route("/period-plan/targets/{id}/remove", post(period_plan_pages::remove_target))
        .route(
            "/period-plan/text",
            get(period_plan_pages::text_page).post(period_plan_pages::text_submit),
        )
        .route("/period-plan/save", post(period_plan_pages::save_submit))
        .route("/period-plan/versions", get(period_plan_pages::history))
        .route("/period-plan/versions/{n}", get(period_plan_pages::version_page))
        .route("/period-plan/versions/{n}/restore", post(period_plan_pages::restore_submit))
        .route("/proposals", get(proposals_pages::list).post(proposals_pages::create))
        .route("/proposals/config", get(proposals_pages::config))
        .route("/proposals/config/norms", post(proposals_pages::add_norm))
        .route("/proposals/config/norms/{id}/delete", post(proposals_pages::remove_norm))
        .route("/proposals/config/offers", post(proposals_pages::set_offer))
        .route("/proposals/config/capacity", post(proposals_pages::set_capacity))
        .route("/proposals/{id}", get(proposals_pages::page))
        .route("/proposals/{id}/moves", post(proposals_pages::move_submit))
        .route("/proposals/{id}/classes/{code}/drop", post(proposals_pages::drop_submit))
        .route("/proposals/{id}/funding", post(proposals_pages::fund_submit))
        .route("/proposals/{id}/adopt", post(proposals_pages::adopt_submit))
        .route("/proposals/{id}/export.xlsx", get(proposals_pages::export))
        .nest("/api/v1", api)
        .fallback(pages::not_found)
        .layer(middleware::from_fn(auth::same_origin_only))
        .layer(middleware::from_fn(error::render_errors))
        .layer(middleware::from_fn(security_headers))
        .with_state(state)
}

/// A server bound to its address, not yet serving.
pub struct Server {
    listener: tokio::net::TcpListener,
    state: AppState,
    /// The demo accounts created at start (empty when accounts existed).
    pub demo_accounts: Vec<DemoAccount>,
    /// Where the period plan followed came from (a version in the database,
    /// a file imported).
    pub plan_note: Option<String>,
}

impl Server {
    pub fn local_addr(&self) -> std::io::Result<SocketAddr> {
        self.listener.local_addr()
    }

    /// Serves until Ctrl-C (or SIGTERM).
    pub async fn run(self) -> Result<(), ServeError> {
        let app = router(self.state).into_make_service_with_connect_info::<SocketAddr>();
        axum::serve(self.listener, app)
            .with_graceful_shutdown(shutdown())
            .await?;
        Ok(())
    }
}

async fn shutdown() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        if let Ok(mut s) = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
        {
            s.recv().await;
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! { _ = ctrl_c => {}, _ = term => {} }
}

/// Opens the database (applying migrations), creates the demo accounts if
/// there are no accounts, and binds the address.
pub async fn bind(config: &ServeConfig) -> Result<Server, ServeError> {
    let mut state = AppState::open(&config.db, config.pool_size, config.secure_cookies)?;
    let mut plan_note = None;
    if config.plan != PlanChoice::None {
        let pool = Arc::clone(&state.pool);
        let choice = config.plan.clone();
        let loaded = tokio::task::spawn_blocking(move || {
            pool.run_now(|s| Ok(period_plan::load_at_start(s, &choice)))
        })
        .await
        .map_err(|e| AppError::Internal(e.to_string()))??
        .map_err(ServeError::Plan)?;
        if let Some((plan, note)) = loaded {
            state = state.with_plan(plan);
            plan_note = Some(note);
        }
    }
    if let Some(plan) = state.plan.clone() {
        // The engine's image of the store, built once before serving.
        let pool = Arc::clone(&state.pool);
        tokio::task::spawn_blocking(move || pool.run_now(|s| plan.snapshot(s).map(|_| ())))
            .await
            .map_err(|e| AppError::Internal(e.to_string()))??;
    }
    let demo_accounts = if config.demo_accounts {
        let pool = Arc::clone(&state.pool);
        tokio::task::spawn_blocking(move || pool.run_now(auth::ensure_demo_accounts))
            .await
            .map_err(|e| AppError::Internal(e.to_string()))??
    } else {
        Vec::new()
    };
    let listener = tokio::net::TcpListener::bind(config.addr)
        .await
        .map_err(|source| ServeError::Bind {
            addr: config.addr,
            source,
        })?;
    Ok(Server {
        listener,
        state,
        demo_accounts,
        plan_note,
    })
}

/// Serves the application: prints the address and any demo accounts created,
/// then serves until Ctrl-C.
pub async fn serve(config: ServeConfig) -> Result<(), ServeError> {
    let server = bind(&config).await?;
    let addr = server.local_addr()?;
    let scheme = if config.secure_cookies {
        "https"
    } else {
        "http"
    };
    println!("NăngLực đang phục vụ tại {scheme}://{addr}/ (Ctrl-C để dừng)");
    if let Some(p) = &server.state.plan {
        let plan = p.plan();
        println!(
            "Theo dõi chỉ tiêu theo kế hoạch '{}' ({} chỉ tiêu; {}). Sửa tại /period-plan.",
            plan.name,
            plan.targets.len(),
            server.plan_note.as_deref().unwrap_or("tệp")
        );
    }
    if !server.demo_accounts.is_empty() {
        println!("\nĐã tạo các tài khoản mẫu (đổi mật khẩu trước khi dùng thật):");
        for a in &server.demo_accounts {
            println!(
                "  {:<9} mật khẩu {:<15} {} — {} ({})",
                a.username,
                a.password,
                a.role.label(),
                a.display_name,
                a.note
            );
        }
    }
    server.run().await
}
