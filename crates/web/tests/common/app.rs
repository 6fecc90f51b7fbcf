//! The application driven through its router (no socket), for the HTTP tests.

use axum::Router;
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use tower::ServiceExt;

pub struct App {
    pub router: Router,
    pub _db: super::TempDb,
}

pub fn app() -> App {
    let db = super::seeded_db();
    let state = nangluc_web::AppState::open(&db.url(), 4, false).unwrap();
    App {
        router: nangluc_web::router(state),
        _db: db,
    }
}

pub struct Reply {
    pub status: StatusCode,
    pub headers: axum::http::HeaderMap,
    pub body: String,
}

impl Reply {
    pub fn set_cookie(&self, name: &str) -> Option<String> {
        self.headers
            .get_all(header::SET_COOKIE)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .find(|v| v.starts_with(&format!("{name}=")))
            .map(|v| v.split(';').next().unwrap().to_string())
    }

    pub fn location(&self) -> String {
        self.headers
            .get(header::LOCATION)
            .map(|v| v.to_str().unwrap().to_string())
            .unwrap_or_default()
    }

    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.body))
    }
}

impl App {
    pub async fn send(&self, req: Request<Body>) -> Reply {
        let r = self.router.clone().oneshot(req).await.unwrap();
        let status = r.status();
        let headers = r.headers().clone();
        let bytes = axum::body::to_bytes(r.into_body(), usize::MAX)
            .await
            .unwrap();
        Reply {
            status,
            headers,
            body: String::from_utf8(bytes.to_vec()).unwrap(),
        }
    }

    /// A GET whose body is not text (a workbook).
    pub async fn get_bytes(
        &self,
        path: &str,
        cookie: &str,
    ) -> (StatusCode, axum::http::HeaderMap, Vec<u8>) {
        let req = Request::get(path)
            .header(header::COOKIE, cookie)
            .body(Body::empty())
            .unwrap();
        let r = self.router.clone().oneshot(req).await.unwrap();
        let (status, headers) = (r.status(), r.headers().clone());
        let bytes = axum::body::to_bytes(r.into_body(), usize::MAX)
            .await
            .unwrap();
        (status, headers, bytes.to_vec())
    }

    pub async fn get(&self, path: &str, cookie: Option<&str>) -> Reply {
        let mut b = Request::get(path);
        if let Some(c) = cookie {
            b = b.header(header::COOKIE, c);
        }
        self.send(b.body(Body::empty()).unwrap()).await
    }

    pub async fn post_form(&self, path: &str, cookie: Option<&str>, form: &str) -> Reply {
        let mut b =
            Request::post(path).header(header::CONTENT_TYPE, "application/x-www-form-urlencoded");
        if let Some(c) = cookie {
            b = b.header(header::COOKIE, c);
        }
        self.send(b.body(Body::from(form.to_string())).unwrap())
            .await
    }

    /// Opens the login page, then posts the form with its CSRF token.
    pub async fn try_login(&self, user: &str, password: &str) -> Reply {
        let page = self.get("/login", None).await;
        assert_eq!(page.status, StatusCode::OK);
        let cookie = page.set_cookie("nangluc_login").expect("login CSRF cookie");
        let token = cookie.split_once('=').unwrap().1.to_string();
        assert!(page.body.contains(&token), "the form carries the token");
        self.post_form(
            "/login",
            Some(&cookie),
            &format!("username={user}&password={password}&csrf={token}&next=/"),
        )
        .await
    }

    /// Logs in; gives the session cookie.
    pub async fn login(&self, user: &str) -> String {
        let r = self.try_login(user, &format!("pw-{user}")).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        r.set_cookie("nangluc_session").expect("session cookie")
    }
}

pub fn csrf_of(body: &str) -> String {
    let at =
        body.find("name=\"csrf\" value=\"").expect("a CSRF field") + "name=\"csrf\" value=\"".len();
    body[at..at + 64].to_string()
}
