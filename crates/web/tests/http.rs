//! The application over HTTP, through the router (no socket): logins,
//! throttling, CSRF, roles and scopes, search, pages and the JSON API.

mod common;

use axum::body::Body;
use axum::http::{Request, StatusCode, header};

use common::app::{App, app, csrf_of};
use common::seeded_db;

#[tokio::test]
async fn login_works_and_a_wrong_password_fails() {
    let app = app();
    let wrong = app.try_login("admin", "sai-mat-khau").await;
    assert_eq!(wrong.status, StatusCode::UNAUTHORIZED);
    assert!(
        wrong
            .body
            .contains("Tên đăng nhập hoặc mật khẩu không đúng.")
    );
    assert!(wrong.set_cookie("nangluc_session").is_none());
    let unknown = app.try_login("nobody", "x").await;
    assert_eq!(unknown.status, StatusCode::UNAUTHORIZED);

    let r = app.try_login("admin", "pw-admin").await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(r.location(), "/");
    let raw = r
        .headers
        .get_all(header::SET_COOKIE)
        .iter()
        .map(|v| v.to_str().unwrap().to_string())
        .collect::<Vec<_>>();
    let session = raw
        .iter()
        .find(|c| c.starts_with("nangluc_session="))
        .unwrap();
    assert!(
        session.contains("HttpOnly")
            && session.contains("SameSite=Lax")
            && !session.contains("Secure")
    );
    let cookie = r.set_cookie("nangluc_session").unwrap();
    let home = app.get("/", Some(&cookie)).await;
    assert_eq!(home.status, StatusCode::OK);
    assert!(home.body.contains("Xin chào, Tài khoản admin"));
    assert!(home.body.contains("Nhật ký thay đổi"));

    // Logout ends the session.
    let out = app
        .post_form(
            "/logout",
            Some(&cookie),
            &format!("csrf={}", csrf_of(&home.body)),
        )
        .await;
    assert_eq!(out.status, StatusCode::SEE_OTHER);
    let after = app.get("/", Some(&cookie)).await;
    assert_eq!(after.status, StatusCode::SEE_OTHER);
    assert!(after.location().starts_with("/login?next="));
}

#[tokio::test]
async fn pages_need_a_session() {
    let app = app();
    let r = app.get("/people?q=an", None).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(r.location(), "/login?next=/people%3Fq%3Dan");
    let bogus = app.get("/people", Some("nangluc_session=abc")).await;
    assert_eq!(bogus.status, StatusCode::SEE_OTHER);
    // The next parameter never leaves the site.
    let page = app.get("/login?next=//evil.example/", None).await;
    assert!(page.body.contains("name=\"next\" value=\"/\""));
}

#[tokio::test]
async fn throttling_kicks_in_after_five_failures() {
    let app = app();
    for _ in 0..5 {
        assert_eq!(
            app.try_login("hr", "sai").await.status,
            StatusCode::UNAUTHORIZED
        );
    }
    let blocked = app.try_login("hr", "pw-hr").await;
    assert_eq!(blocked.status, StatusCode::TOO_MANY_REQUESTS);
    assert!(
        blocked.body.contains("đăng nhập sai quá nhiều lần"),
        "{}",
        blocked.body
    );
    // Other accounts are not blocked.
    app.login("admin").await;
}

#[tokio::test]
async fn posts_without_csrf_are_refused() {
    let app = app();
    let cookie = app.login("admin").await;
    let home = app.get("/", Some(&cookie)).await;
    let csrf = csrf_of(&home.body);

    let r = app.post_form("/logout", Some(&cookie), "").await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert!(r.body.contains("Biểu mẫu đã hết hạn hoặc không hợp lệ"));
    let r = app.post_form("/logout", Some(&cookie), "csrf=0000").await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);

    // A cross-site request is refused even with the token.
    let req = Request::post("/logout")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header(header::COOKIE, &cookie)
        .header("sec-fetch-site", "cross-site")
        .body(Body::from(format!("csrf={csrf}")))
        .unwrap();
    assert_eq!(app.send(req).await.status, StatusCode::FORBIDDEN);
    let req = Request::post("/logout")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header(header::COOKIE, &cookie)
        .header(header::HOST, "nangluc.local")
        .header(header::ORIGIN, "https://evil.example")
        .body(Body::from(format!("csrf={csrf}")))
        .unwrap();
    assert_eq!(app.send(req).await.status, StatusCode::FORBIDDEN);

    // The login form needs its own token too.
    let r = app
        .post_form("/login", None, "username=admin&password=pw-admin")
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);

    // Still logged in: none of the refused requests logged out.
    assert_eq!(app.get("/", Some(&cookie)).await.status, StatusCode::OK);
}

#[tokio::test]
async fn search_ignores_case_and_diacritics() {
    let app = app();
    let cookie = app.login("admin").await;
    let r = app.get("/people?q=nguyen+van+an", Some(&cookie)).await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.body.contains("Nguyễn Văn An"));
    assert!(!r.body.contains("Nguyễn Thị An"));
    assert!(r.body.contains("Phòng Công chức, viên chức"));
    let r = app.get("/people?q=DANG", Some(&cookie)).await;
    assert!(r.body.contains("Đặng Thị Ánh"));
    let r = app.get("/people?q=068085000003", Some(&cookie)).await;
    assert!(r.body.contains("Lê Văn Bình"));
    // Everyone, in Vietnamese order: An (Thị before Văn), Ánh, Bình.
    let all = app.get("/people", Some(&cookie)).await.body;
    let pos = |n: &str| all.find(n).unwrap_or_else(|| panic!("{n} listed"));
    assert!(pos("Nguyễn Thị An") < pos("Nguyễn Văn An"));
    assert!(pos("Nguyễn Văn An") < pos("Đặng Thị Ánh"));
    assert!(pos("Đặng Thị Ánh") < pos("Lê Văn Bình"));
    // Filters: by unit subtree and by post.
    let r = app.get("/people?unit=3", Some(&cookie)).await.body;
    assert!(r.contains("Lê Văn Bình") && !r.contains("Đặng Thị Ánh"));
    let r = app
        .get("/people?post=truong_phong", Some(&cookie))
        .await
        .body;
    assert!(r.contains("Nguyễn Văn An") && !r.contains("Lê Văn Bình"));
}

#[tokio::test]
async fn unit_hr_sees_only_their_subtree() {
    let app = app();
    let cookie = app.login("hr").await;
    assert_eq!(
        app.get("/people/1", Some(&cookie)).await.status,
        StatusCode::OK
    );
    let r = app.get("/people/3", Some(&cookie)).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert!(r.body.contains("không có quyền"));
    let r = app.get("/people?q=binh", Some(&cookie)).await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(!r.body.contains("Lê Văn Bình"));
    let all = app.get("/people", Some(&cookie)).await.body;
    assert!(
        all.contains("Nguyễn Văn An")
            && all.contains("Đặng Thị Ánh")
            && !all.contains("Nguyễn Thị An")
    );
    assert_eq!(
        app.get("/audit", Some(&cookie)).await.status,
        StatusCode::FORBIDDEN
    );
    // The class roster shows their people by name, and counts the others.
    let class = app.get("/classes/1", Some(&cookie)).await.body;
    assert!(class.contains("Nguyễn Văn An") && !class.contains("Lê Văn Bình"));
    assert!(class.contains("1 học viên ngoài phạm vi"));
}

#[tokio::test]
async fn an_employee_sees_only_themselves() {
    let app = app();
    let cookie = app.login("binh").await;
    let me = app.get("/people/3", Some(&cookie)).await;
    assert_eq!(me.status, StatusCode::OK);
    assert!(me.body.contains("Lê Văn Bình"));
    assert_eq!(
        app.get("/people/1", Some(&cookie)).await.status,
        StatusCode::FORBIDDEN
    );
    let list = app.get("/people", Some(&cookie)).await.body;
    assert!(list.contains("Lê Văn Bình") && !list.contains("Nguyễn Văn An"));
    assert!(
        !app.get("/people?q=nguyen", Some(&cookie))
            .await
            .body
            .contains("Nguyễn")
    );
    assert_eq!(
        app.get("/units", Some(&cookie)).await.status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        app.get("/classes", Some(&cookie)).await.status,
        StatusCode::FORBIDDEN
    );
}

#[tokio::test]
async fn roles_without_the_registry_are_refused() {
    let app = app();
    for user in ["leader", "school"] {
        let cookie = app.login(user).await;
        assert_eq!(
            app.get("/people", Some(&cookie)).await.status,
            StatusCode::FORBIDDEN,
            "{user}"
        );
        assert_eq!(
            app.get("/people/1", Some(&cookie)).await.status,
            StatusCode::FORBIDDEN,
            "{user}"
        );
        assert_eq!(
            app.get("/programmes", Some(&cookie)).await.status,
            StatusCode::OK,
            "{user}"
        );
    }
    let school = app.login("school").await;
    let class = app.get("/classes/1", Some(&school)).await.body;
    assert!(
        class.contains("Lê Văn Bình"),
        "an institution sees the learners of its classes"
    );
    let leader = app.login("leader").await;
    let class = app.get("/classes/1", Some(&leader)).await.body;
    assert!(!class.contains("Lê Văn Bình") && class.contains("2 học viên ngoài phạm vi"));
    let finance = app.login("finance").await;
    assert_eq!(
        app.get("/people/3", Some(&finance)).await.status,
        StatusCode::OK
    );
    assert_eq!(
        app.get("/audit", Some(&finance)).await.status,
        StatusCode::FORBIDDEN
    );
}

#[tokio::test]
async fn a_person_page_shows_the_timeline_as_of_a_date() {
    let app = app();
    let cookie = app.login("admin").await;
    let r = app.get("/people/1", Some(&cookie)).await;
    assert_eq!(r.status, StatusCode::OK);
    let b = &r.body;
    for text in [
        "Nguyễn Văn An",
        "Quá trình công tác",
        "Sở Nội vụ",
        "Phòng Công chức, viên chức",
        "Trưởng phòng",
        "Chuyên viên",
        "Lý luận chính trị",
        "Trung cấp",
        "Bồi dưỡng ngạch chuyên viên chính",
        "CVC-2024-01",
        "Giỏi",
        "01/03/2022 – nay",
        "01/01/2015 – 28/02/2022",
        "5.000.000 đ",
    ] {
        assert!(b.contains(text), "{text} missing");
    }
    // As of 2020 he worked in the department itself, without a post.
    let past = app
        .get("/people/1?as_of=30/06/2020", Some(&cookie))
        .await
        .body;
    assert!(past.contains("Tại ngày 30/06/2020"));
    let now_section =
        &past[past.find("Tại ngày 30/06/2020").unwrap()..past.find("Quá trình công tác").unwrap()];
    assert!(now_section.contains("Sở Nội vụ") && !now_section.contains("Trưởng phòng"));
    assert_eq!(
        app.get("/people/1?as_of=31/02/2020", Some(&cookie))
            .await
            .status,
        StatusCode::BAD_REQUEST
    );
    assert_eq!(
        app.get("/people/99", Some(&cookie)).await.status,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn other_pages_render() {
    let app = app();
    let cookie = app.login("admin").await;
    let units = app.get("/units", Some(&cookie)).await;
    assert_eq!(units.status, StatusCode::OK);
    assert!(
        units.body.find("UBND tỉnh Lâm Đồng").unwrap()
            < units.body.find("Phòng Công chức, viên chức").unwrap()
    );
    let prog = app.get("/programmes", Some(&cookie)).await.body;
    assert!(prog.contains("Bồi dưỡng ngạch chuyên viên chính") && prog.contains("280 tiết"));
    let classes = app.get("/classes?year=2024", Some(&cookie)).await.body;
    assert!(classes.contains("CVC-2024-01") && classes.contains("Trường Chính trị tỉnh"));
    let class = app.get("/classes/1", Some(&cookie)).await.body;
    assert!(
        class.contains("Nguyễn Văn An")
            && class.contains("Lê Văn Bình")
            && class.contains("250.000.000 đ")
    );
    // Without a plan file there is no dashboard to show.
    let dash = app.get("/dashboard", Some(&cookie)).await;
    assert_eq!(dash.status, StatusCode::NOT_FOUND);
    assert!(dash.body.contains("kế hoạch đang áp dụng"), "{}", dash.body);
    let missing = app.get("/khong-co", Some(&cookie)).await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
    assert!(missing.body.contains("Không tìm thấy"));
    let css = app.get("/static/style.css", None).await;
    assert_eq!(css.status, StatusCode::OK);
    assert!(
        css.headers[header::CONTENT_TYPE]
            .to_str()
            .unwrap()
            .starts_with("text/css")
    );
}

#[tokio::test]
async fn the_audit_log_lists_and_opens_changes() {
    let app = app();
    let cookie = app.login("admin").await;
    let r = app.get("/audit", Some(&cookie)).await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.body.contains("Nạp dữ liệu thử nghiệm"));
    assert!(
        app.get("/audit?actor=test", Some(&cookie))
            .await
            .body
            .contains("Nạp dữ liệu thử nghiệm")
    );
    assert!(
        !app.get("/audit?actor=someone", Some(&cookie))
            .await
            .body
            .contains("Nạp dữ liệu thử nghiệm")
    );
    let one = app.get("/audit/1", Some(&cookie)).await;
    assert_eq!(one.status, StatusCode::OK);
    assert!(one.body.contains("Ghi nhận") && one.body.contains("Nguyễn Văn An, sinh 12/04/1985"));
    assert_eq!(
        app.get("/audit/999", Some(&cookie)).await.status,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn the_api_needs_auth_and_returns_json() {
    let app = app();
    let r = app.get("/api/v1/people?q=an", None).await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    assert_eq!(r.json()["error"], "unauthenticated");

    let token_req = |user: &str, pw: &str| {
        Request::post("/api/v1/tokens")
            .header(header::CONTENT_TYPE, "application/json")
            .body(Body::from(
                serde_json::json!({ "username": user, "password": pw }).to_string(),
            ))
            .unwrap()
    };
    assert_eq!(
        app.send(token_req("hr", "sai")).await.status,
        StatusCode::UNAUTHORIZED
    );
    let t = app.send(token_req("hr", "pw-hr")).await;
    assert_eq!(t.status, StatusCode::CREATED, "{}", t.body);
    let token = t.json()["token"].as_str().unwrap().to_string();
    let bearer = |path: &str| {
        Request::get(path)
            .header(header::AUTHORIZATION, format!("Bearer {token}"))
            .body(Body::empty())
            .unwrap()
    };

    let r = app.send(bearer("/api/v1/people?q=nguyen+van+an")).await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(
        r.headers[header::CONTENT_TYPE]
            .to_str()
            .unwrap()
            .starts_with("application/json")
    );
    let j = r.json();
    assert_eq!(j["items"][0]["full_name"], "Nguyễn Văn An");
    assert_eq!(j["items"][0]["birth_date"], "1985-04-12");
    let r = app.send(bearer("/api/v1/people/3")).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert_eq!(r.json()["error"], "forbidden");
    let p = app
        .send(bearer("/api/v1/people/1?as_of=2020-01-01"))
        .await
        .json();
    assert_eq!(p["jobs"][0]["unit_name"], "Sở Nội vụ");
    assert_eq!(p["jobs"][0]["current"], true);
    assert_eq!(
        app.send(bearer("/api/v1/changes")).await.status,
        StatusCode::FORBIDDEN
    );
    let me = app.send(bearer("/api/v1/me")).await.json();
    assert_eq!(me["role"]["code"], "unit_hr");
    assert_eq!(
        app.send(bearer("/api/v1/nope")).await.json()["error"],
        "not_found"
    );

    // The session cookie works for the API too.
    let cookie = app.login("admin").await;
    let changes = app.get("/api/v1/changes", Some(&cookie)).await.json();
    assert_eq!(changes["items"][0]["actor"], "test");
    let units = app.get("/api/v1/units", Some(&cookie)).await.json();
    assert_eq!(units["units"].as_array().unwrap().len(), 4);
    let class = app.get("/api/v1/classes/1", Some(&cookie)).await.json();
    assert_eq!(class["roster"].as_array().unwrap().len(), 2);
    assert_eq!(
        app.get("/api/v1/programmes", Some(&cookie)).await.json()[0]["code"],
        "QLNN-CVC"
    );

    // Revoking the token.
    let del = Request::delete("/api/v1/session")
        .header(header::AUTHORIZATION, format!("Bearer {token}"))
        .body(Body::empty())
        .unwrap();
    assert_eq!(app.send(del).await.status, StatusCode::NO_CONTENT);
    assert_eq!(
        app.send(bearer("/api/v1/me")).await.status,
        StatusCode::UNAUTHORIZED
    );
}

#[tokio::test]
async fn openapi_describes_the_paths() {
    let app = app();
    let r = app.get("/api/v1/openapi.json", None).await;
    assert_eq!(r.status, StatusCode::OK);
    let doc = r.json();
    assert!(doc["openapi"].as_str().unwrap().starts_with("3."));
    let paths = doc["paths"].as_object().unwrap();
    for p in [
        "/api/v1/tokens",
        "/api/v1/people",
        "/api/v1/people/{id}",
        "/api/v1/units",
        "/api/v1/programmes",
        "/api/v1/classes",
        "/api/v1/classes/{id}",
        "/api/v1/changes",
        "/api/v1/changes/{id}",
        "/api/v1/dashboard",
    ] {
        assert!(paths.contains_key(p), "{p} documented");
    }
    // Every schema reference resolves.
    let text = r.body;
    let schemas = doc["components"]["schemas"].as_object().unwrap();
    for part in text.split("\"#/components/schemas/").skip(1) {
        let name = &part[..part.find('"').unwrap()];
        assert!(schemas.contains_key(name), "schema {name} defined");
    }
}

#[tokio::test]
async fn responses_carry_security_headers() {
    let app = app();
    let r = app.get("/login", None).await;
    assert!(
        r.headers[header::CONTENT_SECURITY_POLICY]
            .to_str()
            .unwrap()
            .contains("frame-ancestors 'none'")
    );
    assert_eq!(r.headers[header::X_FRAME_OPTIONS], "DENY");
    let login = r
        .headers
        .get_all(header::SET_COOKIE)
        .iter()
        .next()
        .unwrap()
        .to_str()
        .unwrap()
        .to_string();
    assert!(login.contains("HttpOnly") && login.contains("SameSite=Strict"));
}

#[tokio::test]
async fn demo_accounts_are_created_once_and_linked_to_the_data() {
    let db = common::TempDb::new();
    {
        let mut store = nangluc_store::Store::open(&db.url()).unwrap();
        common::seed(&mut store);
        let created = nangluc_web::auth::ensure_demo_accounts(&mut store).unwrap();
        assert_eq!(created.len(), nangluc_web::Role::ALL.len());
        assert!(
            created
                .iter()
                .all(|a| a.password == format!("demo-{}", a.username))
        );
        assert!(
            nangluc_web::auth::ensure_demo_accounts(&mut store)
                .unwrap()
                .is_empty(),
            "only when there are none"
        );
        let admin = store.account_by_username("admin").unwrap().unwrap();
        assert_eq!(admin.unit_id, Some(2), "the Sở Nội vụ");
        let hr = store.account_by_username("nhansu").unwrap().unwrap();
        let employee = store.account_by_username("canbo").unwrap().unwrap();
        assert!(hr.unit_id.is_some() && employee.person_id.is_some());
        assert_eq!(
            store
                .account_by_username("daotao")
                .unwrap()
                .unwrap()
                .institution_id,
            Some(1)
        );
    }
    let app = App {
        router: nangluc_web::router(nangluc_web::AppState::open(&db.url(), 2, false).unwrap()),
        _db: db,
    };
    let r = app.try_login("canbo", "demo-canbo").await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let cookie = r.set_cookie("nangluc_session").unwrap();
    let home = app.get("/", Some(&cookie)).await.body;
    assert!(home.contains("Hồ sơ của tôi"));
}

// ---------------------------------------------------------------- targets dashboard

/// A small plan over the seeded province: four civil servants, one with
/// political theory (Nguyễn Văn An), two who completed the state-management
/// course (An and Lê Văn Bình).
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
wording = "Ít nhất 50%, phấn đấu 80% công chức được bồi dưỡng kiến thức quản lý nhà nước"
kind = "ratio"
population = "category == civil_servant"
criterion = "completed(topic: state_management)"
min = 50
stretch = 80
by = 2026
"#;

fn plan_app() -> App {
    let db = seeded_db();
    let path = std::env::temp_dir().join(format!(
        "nangluc-plan-{}-{}.toml",
        std::process::id(),
        db.0.file_name().unwrap().to_string_lossy()
    ));
    std::fs::write(&path, PLAN).unwrap();
    let plan = nangluc_web::targets::ActivePlan::load(&path).unwrap();
    let _ = std::fs::remove_file(&path);
    let state = nangluc_web::AppState::open(&db.url(), 4, false)
        .unwrap()
        .with_plan(plan);
    App {
        router: nangluc_web::router(state),
        _db: db,
    }
}

/// The share as pages print it, computed by hand: two decimals, comma, " %".
fn share(num: u64, den: u64) -> String {
    let hundredths = (num * 10_000 + den / 2) / den;
    format!("{},{:02} %", hundredths / 100, hundredths % 100)
}

#[tokio::test]
async fn the_dashboard_shows_each_target_with_its_share() {
    let app = plan_app();
    let cookie = app.login("admin").await;
    let r = app.get("/dashboard", Some(&cookie)).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let body = &r.body;
    assert!(body.contains("Kế hoạch thử nghiệm của tỉnh"));
    assert!(body.contains("100% công chức có trình độ lý luận chính trị trung cấp trở lên"));
    // Target 1: An of the four civil servants; target 2: An and Bình.
    assert_eq!(share(1, 4), "25,00 %");
    assert!(body.contains(&share(1, 4)), "{body}");
    assert!(body.contains(&share(2, 4)));
    assert!(body.contains("Đã đạt") && body.contains("<svg class=\"meter\""));
    assert!(body.contains("/dashboard/targets/1"));
    // Drill down: the province's departments are links.
    assert!(body.contains("/dashboard?unit=SNV"), "{body}");
    let snv = app.get("/dashboard?unit=SNV", Some(&cookie)).await;
    assert_eq!(snv.status, StatusCode::OK);
    // In the Sở Nội vụ subtree: An and Ánh; An has political theory.
    assert!(snv.body.contains(&share(1, 2)));
    assert!(snv.body.contains("/dashboard?unit=SNV-CC"));
    // A date in the past, and the trend at the ends of past years.
    let past = app
        .get("/dashboard?as_of=01/06/2023&unit=SNV", Some(&cookie))
        .await;
    assert_eq!(past.status, StatusCode::OK);
    assert!(past.body.contains("01/06/2023"));
    assert!(past.body.contains("class=\"spark\""), "{}", past.body);
    assert_eq!(
        app.get("/dashboard?unit=KHONG-CO", Some(&cookie))
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        app.get("/dashboard?as_of=31/02/2025", Some(&cookie))
            .await
            .status,
        StatusCode::BAD_REQUEST
    );
    // The JSON: exact shares.
    let j = app
        .get("/api/v1/dashboard?unit=SNV", Some(&cookie))
        .await
        .json();
    assert_eq!(j["targets"][0]["share"]["num"], 1);
    assert_eq!(j["targets"][0]["share"]["den"], 2);
    assert_eq!(j["targets"][0]["missing"][0]["name"], "Đặng Thị Ánh");
}

#[tokio::test]
async fn a_unit_hr_officer_sees_only_their_subtree() {
    let app = plan_app();
    let cookie = app.login("hr").await;
    let r = app.get("/dashboard", Some(&cookie)).await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.body.contains("Sở Nội vụ") && r.body.contains(&share(1, 2)));
    assert!(
        !r.body.contains("Toàn tỉnh</a>"),
        "no way up to the province"
    );
    assert_eq!(
        app.get("/dashboard?unit=SNV-CC", Some(&cookie))
            .await
            .status,
        StatusCode::OK
    );
    for path in [
        "/dashboard?unit=STC",
        "/dashboard?unit=68",
        "/dashboard/targets/1?unit=STC",
        "/api/v1/dashboard?unit=STC",
    ] {
        assert_eq!(
            app.get(path, Some(&cookie)).await.status,
            StatusCode::FORBIDDEN,
            "{path}"
        );
    }
    let list = app.get("/dashboard/targets/1", Some(&cookie)).await.body;
    assert!(list.contains("Đặng Thị Ánh"), "{list}");
    assert!(!list.contains("Lê Văn Bình") && !list.contains("Nguyễn Thị An"));
}

#[tokio::test]
async fn the_leadership_sees_counts_but_no_names() {
    let app = plan_app();
    let cookie = app.login("leader").await;
    let list = app.get("/dashboard/targets/1", Some(&cookie)).await;
    assert_eq!(list.status, StatusCode::OK);
    assert!(
        list.body.contains("Danh sách chưa đạt (3 người)"),
        "{}",
        list.body
    );
    assert!(list.body.contains("Họ tên không được hiển thị"));
    for name in ["Đặng Thị Ánh", "Lê Văn Bình", "Nguyễn Thị An"] {
        assert!(!list.body.contains(name), "{name} shown to the leadership");
    }
    let j = app.get("/api/v1/dashboard", Some(&cookie)).await.json();
    assert_eq!(j["targets"][0]["missing"].as_array().unwrap().len(), 0);
    assert_eq!(j["targets"][0]["met"], 1);
    let finance = app.login("finance").await;
    let f = app.get("/dashboard/targets/1", Some(&finance)).await.body;
    assert!(!f.contains("Lê Văn Bình"));
    // The administrator sees them, by unit then name.
    let admin = app.login("admin").await;
    let a = app.get("/dashboard/targets/1", Some(&admin)).await.body;
    let (anh, binh) = (
        a.find("Đặng Thị Ánh").unwrap(),
        a.find("Lê Văn Bình").unwrap(),
    );
    assert!(anh < binh, "Sở Nội vụ before Sở Tài chính");
    assert!(
        a.find("Nguyễn Thị An").unwrap() < binh,
        "An before Bình in Sở Tài chính"
    );
    assert_eq!(
        app.get("/dashboard/targets/99", Some(&admin)).await.status,
        StatusCode::NOT_FOUND
    );
    // Employees and training institutions have no dashboard.
    for user in ["binh", "school"] {
        let c = app.login(user).await;
        assert_eq!(
            app.get("/dashboard", Some(&c)).await.status,
            StatusCode::FORBIDDEN
        );
        assert_eq!(
            app.get("/api/v1/dashboard", Some(&c)).await.status,
            StatusCode::FORBIDDEN
        );
        assert_eq!(
            app.get("/dashboard/targets/1/export.xlsx", Some(&c))
                .await
                .status,
            StatusCode::FORBIDDEN
        );
    }
}

#[tokio::test]
async fn the_need_list_exports_to_xlsx() {
    let app = plan_app();
    let cookie = app.login("admin").await;
    let page = app
        .get("/dashboard/targets/1?unit=SNV", Some(&cookie))
        .await
        .body;
    assert!(
        page.contains("/dashboard/targets/1/export.xlsx?unit=SNV"),
        "{page}"
    );
    let (status, headers, bytes) = app
        .get_bytes("/dashboard/targets/1/export.xlsx?unit=SNV", &cookie)
        .await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        headers[header::CONTENT_TYPE]
            .to_str()
            .unwrap()
            .contains("spreadsheetml")
    );
    assert!(
        headers[header::CONTENT_DISPOSITION]
            .to_str()
            .unwrap()
            .contains(".xlsx")
    );
    assert_eq!(&bytes[..2], b"PK");
    let leader = app.login("leader").await;
    let (status, _, bytes) = app
        .get_bytes("/dashboard/targets/1/export.xlsx", &leader)
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(&bytes[..2], b"PK");
}

#[tokio::test]
async fn a_broken_plan_stops_the_server() {
    let db = seeded_db();
    let path = std::env::temp_dir().join(format!("nangluc-broken-{}.toml", std::process::id()));
    std::fs::write(&path, PLAN.replace("kind = \"ratio\"", "kind = \"ratoi\"")).unwrap();
    let mut config = nangluc_web::ServeConfig::new(db.url(), "127.0.0.1:0".parse().unwrap());
    config.plan = nangluc_web::PlanChoice::File(path.clone());
    config.demo_accounts = false;
    let err = match nangluc_web::bind(&config).await {
        Ok(_) => panic!("a broken plan must stop the server"),
        Err(e) => e.to_string(),
    };
    let _ = std::fs::remove_file(&path);
    assert!(err.contains("tệp kế hoạch") && err.contains("lỗi"), "{err}");
    assert!(err.contains("dòng") || err.contains(":"), "{err}");
}

#[tokio::test]
async fn an_applied_change_refreshes_the_dashboard() {
    let db = seeded_db();
    let path =
        std::env::temp_dir().join(format!("nangluc-plan-refresh-{}.toml", std::process::id()));
    std::fs::write(&path, PLAN).unwrap();
    let plan = nangluc_web::targets::ActivePlan::load(&path).unwrap();
    let _ = std::fs::remove_file(&path);
    let state = nangluc_web::AppState::open(&db.url(), 2, false)
        .unwrap()
        .with_plan(plan);
    let active = state.plan.clone().unwrap();
    let app = App {
        router: nangluc_web::router(state),
        _db: db,
    };
    let cookie = app.login("admin").await;
    let before = app.get("/api/v1/dashboard", Some(&cookie)).await.json();
    assert_eq!(before["targets"][0]["met"], 1);
    // Đặng Thị Ánh obtains political theory, through the service's write path.
    let mut store = nangluc_store::Store::open(&app._db.url()).unwrap();
    let mut change = nangluc_core::ChangeSet::new("", "Bổ sung bằng lý luận chính trị");
    change.record(
        nangluc_core::Entity::New,
        nangluc_core::Validity::since(common::d(2020, 1, 1)),
        nangluc_core::Fact::Qualification(nangluc_core::qualification::Qualification {
            person_id: 2,
            kind: nangluc_core::qualification::QualificationKind::PoliticalTheory,
            level: "trung_cap".into(),
            field: None,
            language: None,
            obtained_on: common::d(2020, 1, 1),
            evidence: None,
            enrolment_id: None,
        }),
    );
    let viewer = nangluc_web::auth::Viewer {
        account_id: 1,
        username: "admin".into(),
        display_name: "Tài khoản admin".into(),
        role: nangluc_web::Role::Admin,
        unit_id: Some(2),
        person_id: None,
        institution_id: None,
        csrf: String::new(),
        token_hash: String::new(),
    };
    nangluc_web::service::apply(&mut store, &viewer, Some(&active), change).unwrap();
    let after = app.get("/api/v1/dashboard", Some(&cookie)).await.json();
    assert_eq!(after["targets"][0]["met"], 2, "the snapshot was rebuilt");
    let page = app.get("/dashboard", Some(&cookie)).await.body;
    assert!(page.contains(&share(2, 4)));
}
