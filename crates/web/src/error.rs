//! Every failure of a request is an [`AppError`]. Handlers return it; the
//! [`render_errors`] middleware turns it into a response in one place: a
//! Vietnamese page for the browser, a JSON body under `/api`.

use askama::Template;
use axum::extract::Request;
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{Html, IntoResponse, Redirect, Response};

use crate::pages::Chrome;

#[derive(Debug, Clone, thiserror::Error)]
pub enum AppError {
    #[error("Bạn cần đăng nhập để xem trang này.")]
    Unauthenticated,
    #[error("Tài khoản của bạn không có quyền xem nội dung này.")]
    Forbidden,
    /// Forbidden, with the reason said (who may do it instead).
    #[error("{0}")]
    Refused(String),
    #[error("Biểu mẫu đã hết hạn hoặc không hợp lệ. Vui lòng tải lại trang và thử lại.")]
    Csrf,
    #[error("Không tìm thấy {0}.")]
    NotFound(String),
    #[error("{0}")]
    BadRequest(String),
    /// The request is valid but the thing is not in a state that allows it
    /// (a class not open for nominations, a person already in the class).
    #[error("{0}")]
    Conflict(String),
    #[error("Bạn đã đăng nhập sai quá nhiều lần. Vui lòng thử lại sau 15 phút.")]
    Throttled,
    #[error("Lỗi cơ sở dữ liệu: {0}")]
    Store(String),
    #[error("Lỗi hệ thống: {0}")]
    Internal(String),
}

impl From<nangluc_store::StoreError> for AppError {
    fn from(e: nangluc_store::StoreError) -> Self {
        AppError::Store(e.to_string())
    }
}

impl From<askama::Error> for AppError {
    fn from(e: askama::Error) -> Self {
        AppError::Internal(format!("không dựng được trang: {e}"))
    }
}

impl AppError {
    pub fn status(&self) -> StatusCode {
        match self {
            AppError::Unauthenticated => StatusCode::UNAUTHORIZED,
            AppError::Forbidden | AppError::Refused(_) | AppError::Csrf => StatusCode::FORBIDDEN,
            AppError::NotFound(_) => StatusCode::NOT_FOUND,
            AppError::BadRequest(_) => StatusCode::BAD_REQUEST,
            AppError::Conflict(_) => StatusCode::CONFLICT,
            AppError::Throttled => StatusCode::TOO_MANY_REQUESTS,
            AppError::Store(_) | AppError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    /// A stable code for API clients.
    pub fn code(&self) -> &'static str {
        match self {
            AppError::Unauthenticated => "unauthenticated",
            AppError::Forbidden | AppError::Refused(_) => "forbidden",
            AppError::Csrf => "csrf",
            AppError::NotFound(_) => "not_found",
            AppError::BadRequest(_) => "bad_request",
            AppError::Conflict(_) => "conflict",
            AppError::Throttled => "throttled",
            AppError::Store(_) => "store",
            AppError::Internal(_) => "internal",
        }
    }

    fn title(&self) -> &'static str {
        match self {
            AppError::Unauthenticated => "Cần đăng nhập",
            AppError::Forbidden | AppError::Refused(_) => "Không có quyền truy cập",
            AppError::Csrf => "Biểu mẫu không hợp lệ",
            AppError::NotFound(_) => "Không tìm thấy",
            AppError::BadRequest(_) => "Yêu cầu không hợp lệ",
            AppError::Conflict(_) => "Không thực hiện được",
            AppError::Throttled => "Tạm khóa đăng nhập",
            AppError::Store(_) | AppError::Internal(_) => "Lỗi hệ thống",
        }
    }
}

/// Handlers hand the error to the middleware in the response's extensions.
impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        let mut r = self.status().into_response();
        r.extensions_mut().insert(self);
        r
    }
}

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage {
    chrome: Chrome,
    title: &'static str,
    message: String,
    status: u16,
}

/// Renders the [`AppError`] a handler or extractor returned.
pub async fn render_errors(req: Request, next: Next) -> Response {
    let path = req.uri().path().to_string();
    let target = req
        .uri()
        .path_and_query()
        .map(|p| p.as_str().to_string())
        .unwrap_or_else(|| path.clone());
    let response = next.run(req).await;
    let Some(err) = response.extensions().get::<AppError>().cloned() else {
        return response;
    };
    if matches!(err, AppError::Store(_) | AppError::Internal(_)) {
        eprintln!("lỗi khi phục vụ {path}: {err}");
    }
    if path.starts_with("/api/") {
        let body = serde_json::json!({ "error": err.code(), "message": err.to_string() });
        let mut r = (err.status(), axum::Json(body)).into_response();
        if matches!(err, AppError::Unauthenticated) {
            r.headers_mut().insert(
                header::WWW_AUTHENTICATE,
                HeaderValue::from_static("Bearer realm=\"nangluc\""),
            );
        }
        return r;
    }
    if matches!(err, AppError::Unauthenticated) {
        let next = crate::pages::encode_query(&target);
        return Redirect::to(&format!("/login?next={next}")).into_response();
    }
    let page = ErrorPage {
        chrome: Chrome::bare(err.title()),
        title: err.title(),
        message: err.to_string(),
        status: err.status().as_u16(),
    };
    match page.render() {
        Ok(html) => (err.status(), Html(html)).into_response(),
        Err(_) => (err.status(), err.to_string()).into_response(),
    }
}
