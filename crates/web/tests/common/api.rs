//! The application driven through its router with bearer tokens and a clock
//! the test sets, for the tests of the annual cycle and of proposals.

use axum::Router;
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use chrono::{DateTime, Utc};
use serde_json::{Value, json};
use tower::ServiceExt;

use super::TempDb;

pub struct App {
    pub router: Router,
    pub state: nangluc_web::AppState,
    pub db: TempDb,
}

pub struct Reply {
    pub status: StatusCode,
    pub headers: axum::http::HeaderMap,
    pub bytes: Vec<u8>,
}

impl Reply {
    pub fn json(&self) -> Value {
        serde_json::from_slice(&self.bytes)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.text()))
    }
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.bytes).into_owned()
    }
}

pub fn at(s: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
}

impl App {
    /// The application over `db` with its state (plan, clock) as given.
    pub fn new(db: TempDb, state: nangluc_web::AppState) -> App {
        App {
            router: nangluc_web::router(state.clone()),
            state,
            db,
        }
    }

    pub async fn send(&self, req: Request<Body>) -> Reply {
        let r = self.router.clone().oneshot(req).await.unwrap();
        let (status, headers) = (r.status(), r.headers().clone());
        let bytes = axum::body::to_bytes(r.into_body(), usize::MAX)
            .await
            .unwrap()
            .to_vec();
        Reply {
            status,
            headers,
            bytes,
        }
    }

    /// A bearer token for `user` (password `pw-<user>`).
    pub async fn token(&self, user: &str) -> String {
        let r = self
            .send(
                Request::post("/api/v1/tokens")
                    .header(header::CONTENT_TYPE, "application/json")
                    .body(Body::from(
                        json!({ "username": user, "password": format!("pw-{user}") }).to_string(),
                    ))
                    .unwrap(),
            )
            .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
        r.json()["token"].as_str().unwrap().to_string()
    }

    pub async fn get(&self, path: &str, token: &str) -> Reply {
        self.send(
            Request::get(path)
                .header(header::AUTHORIZATION, format!("Bearer {token}"))
                .body(Body::empty())
                .unwrap(),
        )
        .await
    }

    pub async fn post(&self, path: &str, token: &str, body: Value) -> Reply {
        self.call("POST", path, token, body).await
    }

    pub async fn call(&self, method: &str, path: &str, token: &str, body: Value) -> Reply {
        self.send(
            Request::builder()
                .method(method)
                .uri(path)
                .header(header::AUTHORIZATION, format!("Bearer {token}"))
                .header(header::CONTENT_TYPE, "application/json")
                .body(Body::from(body.to_string()))
                .unwrap(),
        )
        .await
    }

    /// A form posted as a browser would, with a bearer token.
    pub async fn form(&self, path: &str, token: &str, form: &str) -> Reply {
        self.send(
            Request::post(path)
                .header(header::AUTHORIZATION, format!("Bearer {token}"))
                .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                .body(Body::from(form.to_string()))
                .unwrap(),
        )
        .await
    }

    /// Stops the application's clock at `t` (RFC 3339).
    pub fn clock(&self, t: &str) {
        self.state.clock.set(Some(at(t)));
    }
}
