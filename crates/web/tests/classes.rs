//! Classes and nominations over HTTP: a class's whole life through the JSON
//! API and the pages, and every refusal of a role or scope.

mod common;

use axum::Router;
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use chrono::Duration;
use nangluc_core::qualification::QualificationKind;
use nangluc_core::training::{Grant, Institution, InstitutionKind, Programme, Topic, TrainingKind};
use nangluc_core::{ChangeSet, Entity, Fact, Table, Validity};
use nangluc_store::{NewAccount, Store};
use serde_json::{Value, json};
use tower::ServiceExt;

/// Target 1: political theory (held by Nguyễn Văn An only: 1 of 4);
/// target 2: the state-management course (An and Lê Văn Bình: 2 of 4).
const PLAN: &str = r#"
[plan]
id = "thu-nghiem"
name = "Kế hoạch thử nghiệm của tỉnh"
issuer = "UBND tỉnh"
period = [2021, 2026]

[[groups]]
id = "cong-chuc"
name = "Công chức"

[[groups.targets]]
id = "1"
wording = "100% công chức có trình độ lý luận chính trị trung cấp trở lên"
kind = "ratio"
population = "category == civil_servant"
criterion = "political_theory >= trung_cap"
min = 100
by = 2026

[[groups.targets]]
id = "2"
wording = "Ít nhất 50% công chức được bồi dưỡng kiến thức quản lý nhà nước"
kind = "ratio"
population = "category == civil_servant"
criterion = "completed(topic: state_management)"
min = 50
by = 2026
"#;

struct App {
    router: Router,
    db: common::TempDb,
}

/// The seeded province, plus: programme 2 (trung cấp lý luận chính trị,
/// granting it), institution 2 with its account `school2`, and `hr3`, the HR
/// officer of the Sở Tài chính (unit 3: Lê Văn Bình, Nguyễn Thị An).
fn app() -> App {
    let db = common::seeded_db();
    let mut store = Store::open(&db.url()).unwrap();
    let since = Validity::since(common::d(2015, 1, 1));
    let mut c = ChangeSet::new("test", "Thêm chương trình và cơ sở đào tạo");
    c.record(
        Entity::Given(2),
        since,
        Fact::Programme(Programme {
            code: "LLCT-TC".into(),
            name: "Trung cấp lý luận chính trị".into(),
            kind: TrainingKind::Training,
            topic: Topic::PoliticalTheory,
            legal_basis: "Quy định 57-QĐ/TW".into(),
            duration_periods: 800,
            grants: Some(Grant {
                kind: QualificationKind::PoliticalTheory,
                level: "trung_cap".into(),
                field: None,
                language: None,
            }),
        }),
    );
    c.record(
        Entity::Given(2),
        since,
        Fact::Institution(Institution {
            code: "HV".into(),
            name: "Học viện Hành chính".into(),
            kind: InstitutionKind::Academy,
        }),
    );
    store.apply(&c).unwrap();
    for (name, role, unit_id, institution_id) in [
        ("hr3", "unit_hr", Some(3), None),
        ("school2", "institution", None, Some(2)),
    ] {
        store
            .create_account(&NewAccount {
                username: name.into(),
                display_name: format!("Tài khoản {name}"),
                password_hash: nangluc_web::auth::hash_password(&format!("pw-{name}")).unwrap(),
                role: role.into(),
                unit_id,
                person_id: None,
                institution_id,
            })
            .unwrap();
    }
    let path = std::env::temp_dir().join(format!(
        "nangluc-classes-plan-{}-{}.toml",
        std::process::id(),
        db.0.file_name().unwrap().to_string_lossy()
    ));
    std::fs::write(&path, PLAN).unwrap();
    let plan = nangluc_web::targets::ActivePlan::load(&path).unwrap();
    let _ = std::fs::remove_file(&path);
    let state = nangluc_web::AppState::open(&db.url(), 2, false)
        .unwrap()
        .with_plan(plan);
    App {
        router: nangluc_web::router(state),
        db,
    }
}

struct Reply {
    status: StatusCode,
    headers: axum::http::HeaderMap,
    body: String,
}

impl Reply {
    fn json(&self) -> Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.body))
    }

    fn cookie(&self, name: &str) -> Option<String> {
        self.headers
            .get_all(header::SET_COOKIE)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .find(|v| v.starts_with(&format!("{name}=")))
            .map(|v| v.split(';').next().unwrap().to_string())
    }
}

impl App {
    async fn send(&self, req: Request<Body>) -> Reply {
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

    async fn token(&self, user: &str) -> String {
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
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
        r.json()["token"].as_str().unwrap().to_string()
    }

    async fn call(&self, method: &str, path: &str, token: &str, body: Option<Value>) -> Reply {
        let mut b = Request::builder()
            .method(method)
            .uri(path)
            .header(header::AUTHORIZATION, format!("Bearer {token}"));
        if body.is_some() {
            b = b.header(header::CONTENT_TYPE, "application/json");
        }
        self.send(
            b.body(body.map_or_else(Body::empty, |v| Body::from(v.to_string())))
                .unwrap(),
        )
        .await
    }

    async fn get(&self, path: &str, token: &str) -> Reply {
        self.call("GET", path, token, None).await
    }

    async fn post(&self, path: &str, token: &str, body: Value) -> Reply {
        self.call("POST", path, token, Some(body)).await
    }

    /// Logs in through the form; gives the session cookie.
    async fn login(&self, user: &str) -> String {
        let page = self
            .send(Request::get("/login").body(Body::empty()).unwrap())
            .await;
        let login = page.cookie("nangluc_login").unwrap();
        let token = login.split_once('=').unwrap().1.to_string();
        let r = self
            .send(
                Request::post("/login")
                    .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                    .header(header::COOKIE, &login)
                    .body(Body::from(format!(
                        "username={user}&password=pw-{user}&csrf={token}&next=/"
                    )))
                    .unwrap(),
            )
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        r.cookie("nangluc_session").unwrap()
    }

    async fn page(&self, path: &str, cookie: &str) -> Reply {
        self.send(
            Request::get(path)
                .header(header::COOKIE, cookie)
                .body(Body::empty())
                .unwrap(),
        )
        .await
    }

    async fn form(&self, path: &str, cookie: &str, form: &str) -> Reply {
        self.send(
            Request::post(path)
                .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                .header(header::COOKIE, cookie)
                .body(Body::from(form.to_string()))
                .unwrap(),
        )
        .await
    }
}

fn csrf_of(body: &str) -> String {
    let at =
        body.find("name=\"csrf\" value=\"").expect("a CSRF field") + "name=\"csrf\" value=\"".len();
    body[at..at + 64].to_string()
}

fn today() -> chrono::NaiveDate {
    nangluc_web::fmt::today()
}

/// A class of programme 2 that ended yesterday, for `max` learners.
fn proposal(code: &str, institution_id: Option<i64>, max: i64, group: &str) -> Value {
    json!({
        "code": code,
        "programme_id": 2,
        "institution_id": institution_id,
        "starts_on": (today() - Duration::days(40)).to_string(),
        "ends_on": (today() - Duration::days(1)).to_string(),
        "place": "Đà Lạt",
        "form": "full_time",
        "min_size": 1,
        "max_size": max,
        "planned_cost": 100_000_000,
        "target_group": group,
    })
}

fn learner<'a>(roster: &'a Value, name: &str) -> &'a Value {
    roster["learners"]
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["full_name"] == name)
        .unwrap_or_else(|| panic!("{name} not on the roster: {roster}"))
}

#[tokio::test]
async fn a_class_lives_from_proposal_to_finish_and_the_dashboard_moves() {
    let app = app();
    let [admin, school, school2, hr, hr3, binh, finance, leader] = [
        "admin", "school", "school2", "hr", "hr3", "binh", "finance", "leader",
    ];
    let admin = app.token(admin).await;
    let school = app.token(school).await;
    let school2 = app.token(school2).await;
    let hr = app.token(hr).await;
    let hr3 = app.token(hr3).await;
    let binh = app.token(binh).await;
    let finance = app.token(finance).await;
    let leader = app.token(leader).await;

    // The institution proposes for itself; a broken target group is refused in Vietnamese.
    let bad = app
        .post(
            "/api/v1/classes",
            &school,
            proposal("LLCT-X", None, 2, "category == civil_servent"),
        )
        .await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    let msg = bad.json()["message"].as_str().unwrap().to_string();
    assert!(
        msg.contains("Đối tượng của lớp không hợp lệ") && msg.contains("có phải 'civil_servant'"),
        "{msg}"
    );
    let r = app
        .post(
            "/api/v1/classes",
            &school2,
            proposal("LLCT-Y", Some(1), 2, ""),
        )
        .await;
    assert_eq!(
        r.status,
        StatusCode::FORBIDDEN,
        "an institution proposes only for itself"
    );
    assert_eq!(
        app.post("/api/v1/classes", &hr, proposal("LLCT-Z", Some(1), 2, ""))
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    let r = app
        .post(
            "/api/v1/classes",
            &school,
            proposal("LLCT-2026-01", None, 2, "category == civil_servant"),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let id = r.json()["id"].as_i64().unwrap();
    let again = app
        .post(
            "/api/v1/classes",
            &admin,
            proposal("LLCT-2026-01", Some(1), 2, ""),
        )
        .await;
    assert_eq!(again.status, StatusCode::BAD_REQUEST);
    assert!(
        again.json()["message"]
            .as_str()
            .unwrap()
            .contains("Đã có lớp mã 'LLCT-2026-01'")
    );

    // Only the Sở Nội vụ approves and opens.
    let act = |a: &'static str| format!("/api/v1/classes/{id}/actions/{a}");
    for who in [&school, &binh, &hr, &finance, &leader] {
        assert_eq!(
            app.post(&act("approve"), who, json!({})).await.status,
            StatusCode::FORBIDDEN
        );
    }
    assert_eq!(
        app.post(&act("open"), &admin, json!({})).await.status,
        StatusCode::CONFLICT,
        "not approved yet"
    );
    let r = app.post(&act("approve"), &admin, json!({})).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.json()["status"]["code"], "approved");
    let nominate = format!("/api/v1/classes/{id}/nominations");
    assert_eq!(
        app.post(&nominate, &hr, json!({ "person_ids": [2] }))
            .await
            .status,
        StatusCode::CONFLICT,
        "not open for nominations yet"
    );
    assert_eq!(
        app.post(&act("open"), &admin, json!({})).await.json()["status"]["code"],
        "open"
    );

    // The HR officer of the Sở Nội vụ nominates their own people, not those of the Sở Tài chính.
    assert_eq!(
        app.post(&nominate, &hr, json!({ "person_ids": [3] }))
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        app.post(&nominate, &binh, json!({ "person_ids": [3] }))
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        app.post(&nominate, &school, json!({ "person_ids": [2] }))
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    // An already holds trung cấp: a warning, so a reason is needed.
    let r = app.post(&nominate, &hr, json!({ "person_ids": [1] })).await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    let msg = r.json()["message"].as_str().unwrap().to_string();
    assert!(
        msg.contains(
            "Nguyễn Văn An: Đã có trình độ mà chương trình cấp: Lý luận chính trị Trung cấp"
        ),
        "{msg}"
    );
    assert!(msg.contains("hãy ghi lý do"), "{msg}");
    let r = app
        .post(
            &nominate,
            &hr,
            json!({ "person_ids": [1], "note": "Bồi dưỡng lại theo yêu cầu của Tỉnh ủy" }),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    assert_eq!(r.json()[0]["flags"][0]["code"], "holds_qualification");
    assert_eq!(r.json()[0]["status"]["code"], "nominated");
    let r = app.post(&nominate, &hr, json!({ "person_ids": [2] })).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    assert_eq!(r.json()[0]["status"]["code"], "nominated");
    assert_eq!(r.json()[0]["flags"], json!([]));
    assert_eq!(
        app.post(&nominate, &hr, json!({ "person_ids": [2] }))
            .await
            .status,
        StatusCode::CONFLICT,
        "already in"
    );

    // Bình signs up; his unit (not the Sở Nội vụ's officer) approves.
    let r = app
        .post(
            &format!("/api/v1/classes/{id}/signups"),
            &binh,
            json!({ "note": "Xin đi học" }),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let request = r.json()["enrolment_id"].as_i64().unwrap();
    assert_eq!(
        app.post(&format!("/api/v1/classes/{id}/signups"), &hr, json!({}))
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    let approve = format!("/api/v1/enrolments/{request}/approve");
    assert_eq!(
        app.post(&approve, &hr, json!({})).await.status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        app.post(&approve, &binh, json!({})).await.status,
        StatusCode::FORBIDDEN
    );
    let r = app.post(&approve, &hr3, json!({})).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.json()["status"]["code"], "nominated");

    // Three nominated for two seats: the Sở Nội vụ nominated 2, the Sở Tài chính 1.
    // Quotas 2·2/3 = 1 rem 1 and 2·1/3 = 0 rem 2: one seat each. Ánh, who misses
    // political theory (a target at risk), takes the Sở Nội vụ's seat although
    // An was nominated first; An (already qualified) waits.
    let roster = app
        .get(&format!("/api/v1/classes/{id}/roster"), &admin)
        .await
        .json();
    assert_eq!(
        learner(&roster, "Đặng Thị Ánh")["need"]["code"],
        "chi_tieu_nguy_co",
        "{roster}"
    );
    assert_eq!(learner(&roster, "Nguyễn Văn An")["need"], Value::Null);
    assert_eq!(
        learner(&roster, "Đặng Thị Ánh")["status"]["code"],
        "nominated"
    );
    assert_eq!(
        learner(&roster, "Lê Văn Bình")["status"]["code"],
        "nominated"
    );
    assert_eq!(
        learner(&roster, "Nguyễn Văn An")["status"]["code"],
        "waitlisted"
    );
    assert_eq!(learner(&roster, "Nguyễn Văn An")["waiting"], 1);
    assert_eq!(
        learner(&roster, "Nguyễn Văn An")["note"],
        "Bồi dưỡng lại theo yêu cầu của Tỉnh ủy"
    );
    let quotas: Vec<(i64, i64, i64)> = roster["quotas"]
        .as_array()
        .unwrap()
        .iter()
        .map(|q| {
            (
                q["unit_id"].as_i64().unwrap(),
                q["demand"].as_i64().unwrap(),
                q["seats"].as_i64().unwrap(),
            )
        })
        .collect();
    assert_eq!(quotas, [(2, 2, 1), (3, 1, 1)]);
    // The HR officer sees only their own people on the roster; the leadership none by name.
    let mine = app
        .get(&format!("/api/v1/classes/{id}/roster"), &hr)
        .await
        .json();
    assert_eq!(mine["learners"].as_array().unwrap().len(), 2);
    assert_eq!(mine["hidden"], 1);
    let lead = app
        .get(&format!("/api/v1/classes/{id}/roster"), &leader)
        .await
        .json();
    assert_eq!(lead["learners"], json!([]));
    assert_eq!(lead["hidden"], 3);

    // Starting: another institution may not; the class's own may.
    assert_eq!(
        app.post(&act("start"), &school2, json!({})).await.status,
        StatusCode::FORBIDDEN
    );
    let r = app.post(&act("start"), &school, json!({})).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let roster = app
        .get(&format!("/api/v1/classes/{id}/roster"), &school)
        .await
        .json();
    let anh = learner(&roster, "Đặng Thị Ánh")["enrolment_id"]
        .as_i64()
        .unwrap();
    let binh_e = learner(&roster, "Lê Văn Bình")["enrolment_id"]
        .as_i64()
        .unwrap();
    assert_eq!(
        learner(&roster, "Đặng Thị Ánh")["status"]["code"],
        "enrolled"
    );
    assert_eq!(
        learner(&roster, "Nguyễn Văn An")["status"]["code"],
        "waitlisted"
    );

    // Finishing needs every learner's result.
    let r = app.post(&act("finish"), &school, json!({})).await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    let msg = r.json()["message"].as_str().unwrap().to_string();
    assert!(
        msg.contains("Đặng Thị Ánh: chưa có kết quả")
            && msg.contains("Lê Văn Bình: chưa có kết quả"),
        "{msg}"
    );
    let result = |e: i64| format!("/api/v1/enrolments/{e}/result");
    let ok = json!({ "attendance_pct": 95, "result": "Giỏi", "certificate": "LLCT-2026-001" });
    assert_eq!(
        app.call("PUT", &result(anh), &school2, Some(ok.clone()))
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        app.call("PUT", &result(anh), &hr, Some(ok.clone()))
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        app.call(
            "PUT",
            &result(anh),
            &school,
            Some(json!({ "attendance_pct": 120 }))
        )
        .await
        .status,
        StatusCode::BAD_REQUEST
    );
    assert_eq!(
        app.call("PUT", &result(anh), &school, Some(ok))
            .await
            .status,
        StatusCode::NO_CONTENT
    );
    // Bình attended too little to pass: "Đạt" is refused at the finish, "Không đạt" taken.
    let short = json!({ "attendance_pct": 60, "result": "Đạt", "certificate": "LLCT-2026-002" });
    assert_eq!(
        app.call("PUT", &result(binh_e), &school, Some(short))
            .await
            .status,
        StatusCode::NO_CONTENT
    );
    let r = app.post(&act("finish"), &school, json!({})).await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert!(
        r.json()["message"]
            .as_str()
            .unwrap()
            .contains("Lê Văn Bình: tham dự 60 % thời gian, dưới 80 %")
    );
    let failed = json!({ "attendance_pct": 60, "result": "Không đạt" });
    assert_eq!(
        app.call("PUT", &result(binh_e), &school, Some(failed))
            .await
            .status,
        StatusCode::NO_CONTENT
    );

    // Before: An alone holds political theory (1 of 4).
    let before = app.get("/api/v1/dashboard", &admin).await.json();
    assert_eq!(before["targets"][0]["met"], 1);
    assert_eq!(
        app.post(&act("finish"), &school2, json!({})).await.status,
        StatusCode::FORBIDDEN
    );
    let r = app.post(&act("finish"), &school, json!({})).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.json()["status"]["code"], "finished");
    // After: Ánh completed and holds it (2 of 4); Bình failed.
    let after = app.get("/api/v1/dashboard", &admin).await.json();
    assert_eq!(after["targets"][0]["met"], 2, "{after}");
    let roster = app
        .get(&format!("/api/v1/classes/{id}/roster"), &finance)
        .await
        .json();
    assert_eq!(
        learner(&roster, "Đặng Thị Ánh")["status"]["code"],
        "completed"
    );
    assert_eq!(learner(&roster, "Lê Văn Bình")["status"]["code"], "failed");
    let anh_page = app.get("/api/v1/people/2", &admin).await.json();
    let q = &anh_page["qualifications"][0];
    assert_eq!(q["kind"]["code"], "political_theory");
    assert_eq!(q["evidence"], "LLCT-2026-001");
    // One change wrote the completions and the qualification.
    let mut store = Store::open(&app.db.url()).unwrap();
    let change_id = r.json()["change_id"].as_i64().unwrap();
    let counts = store.change_counts(change_id).unwrap();
    let recorded = |t: Table| {
        counts
            .iter()
            .find(|c| c.table == t)
            .map_or(0, |c| c.recorded)
    };
    assert_eq!(recorded(Table::Qualifications), 1);
    assert_eq!(recorded(Table::Enrolments), 2);
    assert_eq!(recorded(Table::Classes), 1);
    // A finished class is finished.
    assert_eq!(
        app.post(&act("cancel"), &admin, json!({ "reason": "x" }))
            .await
            .status,
        StatusCode::CONFLICT
    );
}

#[tokio::test]
async fn cancelling_needs_a_reason_and_withdraws_everyone() {
    let app = app();
    let admin = app.token("admin").await;
    let hr = app.token("hr").await;
    let r = app
        .post(
            "/api/v1/classes",
            &admin,
            proposal("LLCT-H", Some(1), 5, ""),
        )
        .await;
    let id = r.json()["id"].as_i64().unwrap();
    for a in ["approve", "open"] {
        assert_eq!(
            app.post(
                &format!("/api/v1/classes/{id}/actions/{a}"),
                &admin,
                json!({})
            )
            .await
            .status,
            StatusCode::OK
        );
    }
    let r = app
        .post(
            &format!("/api/v1/classes/{id}/nominations"),
            &hr,
            json!({ "person_ids": [2] }),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let cancel = format!("/api/v1/classes/{id}/actions/cancel");
    assert_eq!(
        app.post(&cancel, &hr, json!({ "reason": "Không đủ kinh phí" }))
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        app.post(&cancel, &admin, json!({})).await.status,
        StatusCode::BAD_REQUEST
    );
    let r = app
        .post(&cancel, &admin, json!({ "reason": "Không đủ kinh phí" }))
        .await;
    assert_eq!(r.json()["status"]["code"], "cancelled");
    let roster = app
        .get(&format!("/api/v1/classes/{id}/roster"), &admin)
        .await
        .json();
    assert_eq!(
        learner(&roster, "Đặng Thị Ánh")["status"]["code"],
        "withdrawn"
    );
    let audit = app
        .get("/api/v1/changes?reason=H%E1%BB%A7y", &admin)
        .await
        .json();
    assert!(
        audit["items"][0]["reason"]
            .as_str()
            .unwrap()
            .contains("Hủy lớp LLCT-H: Không đủ kinh phí"),
        "{audit}"
    );
}

#[tokio::test]
async fn a_withdrawal_gives_the_seat_to_the_first_on_the_waiting_list() {
    let app = app();
    let admin = app.token("admin").await;
    let hr = app.token("hr").await;
    let hr3 = app.token("hr3").await;
    let r = app
        .post(
            "/api/v1/classes",
            &admin,
            proposal("LLCT-W", Some(1), 1, ""),
        )
        .await;
    let id = r.json()["id"].as_i64().unwrap();
    for a in ["approve", "open"] {
        app.post(
            &format!("/api/v1/classes/{id}/actions/{a}"),
            &admin,
            json!({}),
        )
        .await;
    }
    let nominate = format!("/api/v1/classes/{id}/nominations");
    let first = app
        .post(&nominate, &hr3, json!({ "person_ids": [4] }))
        .await
        .json();
    assert_eq!(first[0]["status"]["code"], "nominated");
    // Ánh of the Sở Nội vụ: one seat, two units, one person each → the seat goes
    // by need; neither has a deadline, so the earlier nomination keeps it.
    let second = app
        .post(&nominate, &hr, json!({ "person_ids": [2] }))
        .await
        .json();
    assert_eq!(second[0]["status"]["code"], "waitlisted", "{second}");
    // The HR officer of the Sở Nội vụ cannot withdraw the Sở Tài chính's person.
    let first_id = first[0]["enrolment_id"].as_i64().unwrap();
    assert_eq!(
        app.post(
            &format!("/api/v1/enrolments/{first_id}/withdraw"),
            &hr,
            json!({})
        )
        .await
        .status,
        StatusCode::FORBIDDEN
    );
    let r = app
        .post(
            &format!("/api/v1/enrolments/{first_id}/withdraw"),
            &hr3,
            json!({}),
        )
        .await;
    assert_eq!(r.json()["status"]["code"], "withdrawn", "{}", r.body);
    let roster = app
        .get(&format!("/api/v1/classes/{id}/roster"), &admin)
        .await
        .json();
    assert_eq!(
        learner(&roster, "Đặng Thị Ánh")["status"]["code"],
        "nominated"
    );
}

#[tokio::test]
async fn pages_nominate_with_the_warning_and_forms_need_their_token() {
    let app = app();
    let admin = app.token("admin").await;
    // For division heads and above: only Nguyễn Văn An fits.
    let r = app
        .post(
            "/api/v1/classes",
            &admin,
            proposal(
                "LLCT-P",
                Some(1),
                5,
                "category == civil_servant and post_rank >= division",
            ),
        )
        .await;
    let id = r.json()["id"].as_i64().unwrap();
    for a in ["approve", "open"] {
        app.post(
            &format!("/api/v1/classes/{id}/actions/{a}"),
            &admin,
            json!({}),
        )
        .await;
    }
    let hr = app.login("hr").await;
    let page = app.page(&format!("/classes/{id}/nominate"), &hr).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    // Ánh does not fit; Bình (another unit) is not offered.
    assert!(page.body.contains("Đặng Thị Ánh"));
    assert!(page.body.contains("Không đúng đối tượng"), "{}", page.body);
    assert!(!page.body.contains("Lê Văn Bình"));
    let csrf = csrf_of(&page.body);
    let r = app
        .form(&format!("/classes/{id}/nominate"), &hr, "person_id=2")
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "no CSRF token");
    let r = app
        .form(
            &format!("/classes/{id}/nominate"),
            &hr,
            &format!("csrf={csrf}&person_id=2"),
        )
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert!(
        r.body.contains("Không đúng đối tượng") && r.body.contains("hãy ghi lý do"),
        "{}",
        r.body
    );
    let r = app
        .form(
            &format!("/classes/{id}/nominate"),
            &hr,
            &format!(
                "csrf={csrf}&person_id=2&note=Chu%E1%BA%A9n+b%E1%BB%8B+b%E1%BB%95+nhi%E1%BB%87m"
            ),
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let r = app
        .form(
            &format!("/classes/{id}/nominate"),
            &hr,
            &format!("csrf={csrf}&person_id=3"),
        )
        .await;
    assert_eq!(
        r.status,
        StatusCode::FORBIDDEN,
        "Bình is not of the officer's unit"
    );
    let class = app.page(&format!("/classes/{id}"), &hr).await;
    assert!(
        class.body.contains("Chuẩn bị bổ nhiệm") && class.body.contains("Không đúng đối tượng"),
        "{}",
        class.body
    );
    assert!(
        class.body.contains("/withdraw\""),
        "the officer may take Ánh off the class"
    );
    // The employee signs up on the page; the page of an open class is theirs to read.
    let binh = app.login("binh").await;
    let open = app.page("/signups", &binh).await;
    assert!(open.body.contains("LLCT-P"), "{}", open.body);
    let page = app.page(&format!("/classes/{id}"), &binh).await;
    assert_eq!(page.status, StatusCode::OK);
    let r = app
        .form(
            &format!("/classes/{id}/signup"),
            &binh,
            &format!("csrf={}", csrf_of(&page.body)),
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let page = app.page(&format!("/classes/{id}"), &binh).await;
    assert!(
        page.body.contains("Đăng ký, chờ đơn vị duyệt"),
        "{}",
        page.body
    );
    // The employee may not move the class, even with their own token.
    let token = csrf_of(&page.body);
    let r = app
        .form(
            &format!("/classes/{id}/actions/start"),
            &binh,
            &format!("csrf={token}"),
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    // The institution starts it from its page: Ánh enrolled, Bình's pending sign-up lapses.
    let school = app.login("school").await;
    let page = app.page(&format!("/classes/{id}"), &school).await;
    assert!(page.body.contains("id=\"action-start\""), "{}", page.body);
    assert!(!page.body.contains("id=\"action-approve\""));
    let r = app
        .form(
            &format!("/classes/{id}/actions/start"),
            &school,
            &format!("csrf={}", csrf_of(&page.body)),
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let roster = app
        .get(&format!("/api/v1/classes/{id}/roster"), &admin)
        .await
        .json();
    assert_eq!(
        learner(&roster, "Đặng Thị Ánh")["status"]["code"],
        "enrolled"
    );
    assert_eq!(
        learner(&roster, "Lê Văn Bình")["status"]["code"],
        "declined"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn nominations_at_the_same_moment_do_not_overfill_the_class() {
    let app = app();
    let admin = app.token("admin").await;
    let r = app
        .post(
            "/api/v1/classes",
            &admin,
            proposal("LLCT-C", Some(1), 1, ""),
        )
        .await;
    let id = r.json()["id"].as_i64().unwrap();
    for a in ["approve", "open"] {
        app.post(
            &format!("/api/v1/classes/{id}/actions/{a}"),
            &admin,
            json!({}),
        )
        .await;
    }
    let path = format!("/api/v1/classes/{id}/nominations");
    let body = |p: i64| json!({ "person_ids": [p], "note": "Cử cùng lúc" });
    let (a, b, c, d) = tokio::join!(
        app.post(&path, &admin, body(1)),
        app.post(&path, &admin, body(2)),
        app.post(&path, &admin, body(3)),
        app.post(&path, &admin, body(4)),
    );
    for r in [&a, &b, &c, &d] {
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    }
    let roster = app
        .get(&format!("/api/v1/classes/{id}/roster"), &admin)
        .await
        .json();
    let statuses: Vec<&str> = roster["learners"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["status"]["code"].as_str().unwrap())
        .collect();
    assert_eq!(statuses.len(), 4);
    assert_eq!(
        statuses.iter().filter(|s| **s == "nominated").count(),
        1,
        "{statuses:?}"
    );
    assert_eq!(
        statuses.iter().filter(|s| **s == "waitlisted").count(),
        3,
        "{statuses:?}"
    );
}

#[tokio::test]
async fn the_openapi_document_describes_the_class_writes() {
    let app = app();
    let admin = app.token("admin").await;
    let doc = app.get("/api/v1/openapi.json", &admin).await.json();
    let paths = &doc["paths"];
    assert!(paths["/api/v1/classes"]["post"]["requestBody"].is_object());
    assert!(
        paths["/api/v1/classes"]["get"].is_object(),
        "the reading stays"
    );
    for (path, method) in [
        ("/api/v1/classes/{id}/actions/{action}", "post"),
        ("/api/v1/classes/{id}/nominations", "post"),
        ("/api/v1/classes/{id}/signups", "post"),
        ("/api/v1/enrolments/{id}/{decision}", "post"),
        ("/api/v1/enrolments/{id}/result", "put"),
        ("/api/v1/classes/{id}/quotas", "put"),
        ("/api/v1/classes/{id}/roster", "get"),
        ("/api/v1/classes/{id}/candidates", "get"),
        ("/api/v1/open-classes", "get"),
    ] {
        assert!(
            paths[path][method]["summary"].is_string(),
            "{path} {method}"
        );
    }
    // Every reference resolves.
    let text = doc.to_string();
    for part in text.split("#/components/schemas/").skip(1) {
        let name: String = part.chars().take_while(|c| c.is_alphanumeric()).collect();
        assert!(doc["components"]["schemas"][&name].is_object(), "{name}");
    }
}

#[tokio::test]
async fn a_class_is_proposed_through_the_form_with_vietnamese_dates_and_amounts() {
    let app = app();
    let hr = app.login("hr").await;
    assert_eq!(
        app.page("/classes/new", &hr).await.status,
        StatusCode::FORBIDDEN
    );
    let school = app.login("school").await;
    let page = app.page("/classes/new", &school).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    // The institution proposes for itself: only its own name is offered.
    assert!(
        page.body.contains("Trường Chính trị tỉnh") && !page.body.contains("Học viện Hành chính")
    );
    assert!(page.body.contains("Trung cấp lý luận chính trị"));
    let csrf = csrf_of(&page.body);
    let form = |dates: &str| {
        format!(
            "csrf={csrf}&code=LLCT-F&programme_id=2&institution_id=1&{dates}&place=T%C3%A2y+Ninh&form=full_time&min_size=30&max_size=45&planned_cost=250.000.000&target_group=category+%3D%3D+civil_servant"
        )
    };
    let r = app
        .form(
            "/classes",
            &school,
            &form("starts_on=31%2F02%2F2027&ends_on=30%2F04%2F2027"),
        )
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert!(
        r.body
            .contains("Ngày khai giảng: &#39;31/02/2027&#39; không phải ngày hợp lệ (dd/mm/yyyy)."),
        "{}",
        r.body
    );
    let r = app
        .form(
            "/classes",
            &school,
            &form("starts_on=01%2F03%2F2027&ends_on=30%2F04%2F2027"),
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let to = r.headers[header::LOCATION].to_str().unwrap().to_string();
    let class = app.page(&to, &school).await;
    assert!(
        class.body.contains("LLCT-F") && class.body.contains("Đề xuất"),
        "{}",
        class.body
    );
    assert!(class.body.contains("250.000.000"), "{}", class.body);
    assert!(class.body.contains("01/03/2027 – 30/04/2027"));
    assert!(class.body.contains("30–45 học viên"));
    // Not yet approved: the institution has nothing to do with it yet.
    assert!(!class.body.contains("id=\"action-"), "{}", class.body);
    let admin = app.login("admin").await;
    let class = app.page(&to, &admin).await;
    assert!(
        class.body.contains("id=\"action-approve\"") && class.body.contains("id=\"action-cancel\"")
    );
}

#[tokio::test]
async fn the_home_affairs_department_assigns_seats_to_units() {
    let app = app();
    let admin = app.token("admin").await;
    let hr = app.token("hr").await;
    let hr3 = app.token("hr3").await;
    let r = app
        .post(
            "/api/v1/classes",
            &admin,
            proposal("LLCT-Q", Some(1), 2, ""),
        )
        .await;
    let id = r.json()["id"].as_i64().unwrap();
    let quotas = format!("/api/v1/classes/{id}/quotas");
    let both = json!({ "quotas": [{ "unit": "STC", "seats": 2 }] });
    assert_eq!(
        app.call("PUT", &quotas, &admin, Some(both.clone()))
            .await
            .status,
        StatusCode::CONFLICT,
        "proposed, not approved"
    );
    app.post(
        &format!("/api/v1/classes/{id}/actions/approve"),
        &admin,
        json!({}),
    )
    .await;
    assert_eq!(
        app.call("PUT", &quotas, &hr, Some(both.clone()))
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    let r = app.call("PUT", &quotas, &admin, Some(json!({ "quotas": [{ "unit": "STC", "seats": 2 }, { "unit": "SNV", "seats": 1 }, { "unit": "KHONG", "seats": 1 }] }))).await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    let msg = r.json()["message"].as_str().unwrap().to_string();
    assert!(
        msg.contains("Không có đơn vị mã 'KHONG'")
            && msg.contains("Tổng chỉ tiêu 3 vượt số học viên tối đa 2"),
        "{msg}"
    );
    let r = app.call("PUT", &quotas, &admin, Some(both)).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.json()["quotas_assigned"], true);
    app.post(
        &format!("/api/v1/classes/{id}/actions/open"),
        &admin,
        json!({}),
    )
    .await;
    // Two of each unit for two seats: in proportion it would be one each; the
    // Sở Tài chính was given both.
    let nominate = format!("/api/v1/classes/{id}/nominations");
    let note = "Theo phân bổ";
    assert_eq!(
        app.post(
            &nominate,
            &hr,
            json!({ "person_ids": [1, 2], "note": note })
        )
        .await
        .status,
        StatusCode::CREATED
    );
    assert_eq!(
        app.post(
            &nominate,
            &hr3,
            json!({ "person_ids": [3, 4], "note": note })
        )
        .await
        .status,
        StatusCode::CREATED
    );
    let roster = app
        .get(&format!("/api/v1/classes/{id}/roster"), &admin)
        .await
        .json();
    for (name, status) in [
        ("Lê Văn Bình", "nominated"),
        ("Nguyễn Thị An", "nominated"),
        ("Đặng Thị Ánh", "waitlisted"),
        ("Nguyễn Văn An", "waitlisted"),
    ] {
        assert_eq!(
            learner(&roster, name)["status"]["code"],
            status,
            "{name}: {roster}"
        );
    }
    // Clearing the quotas gives the seats in proportion again: one each, by need.
    let r = app
        .call("PUT", &quotas, &admin, Some(json!({ "quotas": [] })))
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let roster = r.json();
    assert_eq!(roster["quotas_assigned"], false);
    assert_eq!(
        learner(&roster, "Đặng Thị Ánh")["status"]["code"],
        "nominated",
        "{roster}"
    );
    assert_eq!(
        learner(&roster, "Nguyễn Văn An")["status"]["code"],
        "waitlisted"
    );
    let audit = app
        .get("/api/v1/changes?reason=Ph%C3%A2n+b%E1%BB%95", &admin)
        .await
        .json();
    let reasons: Vec<&str> = audit["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["reason"].as_str().unwrap())
        .collect();
    assert_eq!(reasons[0], "Bỏ phân bổ chỉ tiêu theo đơn vị của lớp LLCT-Q");
    assert!(
        reasons.contains(&"Phân bổ chỉ tiêu lớp LLCT-Q: STC 2"),
        "{reasons:?}"
    );
}

#[tokio::test]
async fn a_class_starts_with_its_minimum_and_finishes_on_its_last_day() {
    let app = app();
    let admin = app.token("admin").await;
    let hr = app.token("hr").await;
    let mut p = proposal("LLCT-D", Some(1), 5, "");
    p["starts_on"] = json!((today() + Duration::days(10)).to_string());
    p["ends_on"] = json!((today() + Duration::days(20)).to_string());
    p["min_size"] = json!(2);
    let id = app.post("/api/v1/classes", &admin, p).await.json()["id"]
        .as_i64()
        .unwrap();
    let act = |a: &str| format!("/api/v1/classes/{id}/actions/{a}");
    for a in ["approve", "open"] {
        app.post(&act(a), &admin, json!({})).await;
    }
    app.post(
        &format!("/api/v1/classes/{id}/nominations"),
        &hr,
        json!({ "person_ids": [2] }),
    )
    .await;
    let r = app.post(&act("start"), &admin, json!({})).await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    assert_eq!(
        r.json()["message"],
        "Lớp LLCT-D mới có 1 học viên được cử, chưa đủ số tối thiểu 2."
    );
    app.post(
        &format!("/api/v1/classes/{id}/nominations"),
        &hr,
        json!({ "person_ids": [1], "note": "Bồi dưỡng lại" }),
    )
    .await;
    assert_eq!(
        app.post(&act("start"), &admin, json!({})).await.status,
        StatusCode::OK
    );
    let r = app.post(&act("finish"), &admin, json!({})).await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    let msg = r.json()["message"].as_str().unwrap().to_string();
    assert!(msg.contains("chưa thể kết thúc lớp trước ngày đó"), "{msg}");
}

#[tokio::test]
async fn an_employee_takes_back_their_own_sign_up_and_nothing_else() {
    let app = app();
    let admin = app.token("admin").await;
    let hr = app.token("hr").await;
    let hr3 = app.token("hr3").await;
    let binh = app.token("binh").await;
    let id = app
        .post(
            "/api/v1/classes",
            &admin,
            proposal("LLCT-R", Some(1), 5, ""),
        )
        .await
        .json()["id"]
        .as_i64()
        .unwrap();
    for a in ["approve", "open"] {
        app.post(
            &format!("/api/v1/classes/{id}/actions/{a}"),
            &admin,
            json!({}),
        )
        .await;
    }
    let anh = app
        .post(
            &format!("/api/v1/classes/{id}/nominations"),
            &hr,
            json!({ "person_ids": [2] }),
        )
        .await
        .json()[0]["enrolment_id"]
        .as_i64()
        .unwrap();
    let mine = app
        .post(&format!("/api/v1/classes/{id}/signups"), &binh, json!({}))
        .await
        .json()["enrolment_id"]
        .as_i64()
        .unwrap();
    let roster = app
        .get(&format!("/api/v1/classes/{id}/roster"), &binh)
        .await
        .json();
    assert_eq!(roster["hidden"], 1, "the employee sees only themselves");
    assert_eq!(learner(&roster, "Lê Văn Bình")["can_withdraw"], true);
    let withdraw = |e: i64| format!("/api/v1/enrolments/{e}/withdraw");
    assert_eq!(
        app.post(&withdraw(anh), &binh, json!({})).await.status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        app.post(
            &format!("/api/v1/enrolments/{mine}/approve"),
            &binh,
            json!({})
        )
        .await
        .status,
        StatusCode::FORBIDDEN,
        "nobody approves their own sign-up"
    );
    let r = app.post(&withdraw(mine), &binh, json!({})).await;
    assert_eq!(r.json()["status"]["code"], "withdrawn", "{}", r.body);
    let r = app
        .post(
            &format!("/api/v1/enrolments/{mine}/approve"),
            &hr3,
            json!({}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    // Signing up again is allowed once the first is withdrawn.
    assert_eq!(
        app.post(&format!("/api/v1/classes/{id}/signups"), &binh, json!({}))
            .await
            .status,
        StatusCode::CREATED
    );
}
