//! The period plan kept in the database and edited in the browser, over HTTP
//! through the router: the administrator edits a threshold and the dashboard
//! moves; a misspelt expression is refused with its line, column and the
//! engine's suggestion, and nothing is saved; other roles read but do not
//! write; the history keeps every version and a restore adds one.

mod common;

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use nangluc_store::Store;
use nangluc_web::PlanChoice;
use nangluc_web::period_plan::load_at_start;
use serde_json::{Value, json};

use common::app::{App, csrf_of};
use common::seeded_db;

/// Over the seeded province's four civil servants: target 1 (political
/// theory) is met by Nguyễn Văn An only, 1 of 4; target 2 (state management
/// completed) by An and Lê Văn Bình, 2 of 4 = 50 %, which meets its 50 %.
const PLAN: &str = r#"[plan]
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

# Chỉ tiêu 2: bồi dưỡng quản lý nhà nước.
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

fn write_plan(name: &str, text: &str) -> std::path::PathBuf {
    let path =
        std::env::temp_dir().join(format!("nangluc-period-{}-{name}.toml", std::process::id()));
    std::fs::write(&path, text).unwrap();
    path
}

/// The application following the plan imported into the database, as
/// `serve --plan` does.
fn plan_app(name: &str) -> App {
    let db = seeded_db();
    let path = write_plan(name, PLAN);
    let mut store = Store::open(&db.url()).unwrap();
    let (plan, _) = load_at_start(&mut store, &PlanChoice::File(path.clone()))
        .unwrap()
        .unwrap();
    drop(store);
    let _ = std::fs::remove_file(&path);
    let state = nangluc_web::AppState::open(&db.url(), 4, false)
        .unwrap()
        .with_plan(plan);
    App {
        router: nangluc_web::router(state),
        _db: db,
    }
}

fn encode(s: &str) -> String {
    let mut out = String::new();
    for b in s.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                out.push(b as char)
            }
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

fn form(pairs: &[(&str, &str)]) -> String {
    pairs
        .iter()
        .map(|(k, v)| format!("{}={}", encode(k), encode(v)))
        .collect::<Vec<_>>()
        .join("&")
}

/// What askama escaped, back.
fn unescape(s: &str) -> String {
    s.replace("&quot;", "\"")
        .replace("&#34;", "\"")
        .replace("&#39;", "'")
        .replace("&#x27;", "'")
        .replace("&lt;", "<")
        .replace("&#60;", "<")
        .replace("&gt;", ">")
        .replace("&#62;", ">")
        .replace("&amp;", "&")
        .replace("&#38;", "&")
}

/// The value of a hidden or text input of a page.
fn input(body: &str, name: &str) -> String {
    let at = body
        .find(&format!("<input name=\"{name}\""))
        .or_else(|| body.find(&format!("name=\"{name}\" value=")));
    let at = at.unwrap_or_else(|| panic!("no input {name} in {body}"));
    let at = at + body[at..].find("value=\"").unwrap() + "value=\"".len();
    let end = body[at..].find('"').unwrap();
    unescape(&body[at..at + end])
}

async fn put_plan(app: &App, cookie: &str, csrf: &str, body: Value) -> common::app::Reply {
    app.send(
        Request::put("/api/v1/period-plan")
            .header(header::COOKIE, cookie)
            .header(header::CONTENT_TYPE, "application/json")
            .header("x-csrf-token", csrf)
            .body(Body::from(body.to_string()))
            .unwrap(),
    )
    .await
}

async fn holds(app: &App, cookie: &str, target: &str) -> Value {
    let j = app.get("/api/v1/dashboard", Some(cookie)).await.json();
    let t = j["targets"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["id"] == target)
        .unwrap_or_else(|| panic!("{j}"));
    json!({ "met": t["met"], "population": t["population"], "holds": t["holds"] })
}

#[tokio::test]
async fn the_administrator_raises_a_threshold_and_the_dashboard_moves() {
    let app = plan_app("threshold");
    let admin = app.login("admin").await;
    // Before: 2 of 4 meet target 2; ⌈50 % × 4⌉ = 2, it holds.
    assert_eq!(
        holds(&app, &admin, "2").await,
        json!({ "met": 2, "population": 4, "holds": true })
    );

    let page = app.get("/period-plan", Some(&admin)).await;
    assert_eq!(page.status, StatusCode::OK);
    for text in [
        "Kế hoạch thử nghiệm của tỉnh",
        "Phiên bản 1",
        "nangluc serve",
        "completed(topic: state_management)",
        "≥ 50% (phấn đấu 80%)",
        "đến năm 2026",
    ] {
        assert!(page.body.contains(text), "{text} missing: {}", page.body);
    }
    let edit = app.get("/period-plan/targets/2", Some(&admin)).await;
    assert_eq!(edit.status, StatusCode::OK);
    assert_eq!(input(&edit.body, "min"), "50");
    assert_eq!(input(&edit.body, "base"), "1");
    let csrf = csrf_of(&edit.body);
    let fields = |min: &'static str| {
        form(&[
            ("csrf", csrf.as_str()),
            ("base", "1"),
            (
                "wording",
                "Ít nhất 60%, phấn đấu 80% công chức được bồi dưỡng kiến thức quản lý nhà nước",
            ),
            ("kind", "ratio"),
            ("population", "category == civil_servant"),
            ("criterion", "completed(topic: state_management)"),
            ("min", min),
            ("stretch", "80"),
            ("by", "2026"),
            ("horizons", ""),
            ("note", ""),
        ])
    };
    // 60 %: ⌈60 % × 4⌉ = 3 > 2, it no longer holds — shown before saving.
    let preview = app
        .post_form("/period-plan/targets/2", Some(&admin), &fields("60"))
        .await;
    assert_eq!(preview.status, StatusCode::OK, "{}", preview.body);
    assert!(preview.body.contains("Lưu phiên bản mới"));
    let row_at = preview
        .body
        .find("data-target=\"2\"")
        .expect("target 2 in the diff");
    let row = &preview.body[row_at..row_at + preview.body[row_at..].find("</tr>").unwrap()];
    assert!(row.contains("50,00 % → 50,00 %"), "{row}");
    assert!(
        row.contains("≥ 50% (phấn đấu 80%) → ≥ 60% (phấn đấu 80%)"),
        "{row}"
    );
    assert!(row.contains("Đạt → Chưa đạt"), "{row}");
    assert!(
        row.contains("ngưỡng, thời hạn") && row.contains("nội dung"),
        "{row}"
    );
    assert!(
        !preview.body.contains("data-target=\"1\""),
        "target 1 did not change"
    );
    // Nothing is saved by the preview.
    assert_eq!(holds(&app, &admin, "2").await["holds"], true);

    let text = input(&preview.body, "text");
    assert!(
        text.contains("min = 60\nstretch = 80")
            && text.contains("# Chỉ tiêu 2: bồi dưỡng quản lý nhà nước."),
        "{text}"
    );
    let save = app
        .post_form(
            "/period-plan/save",
            Some(&admin),
            &form(&[
                ("csrf", &csrf),
                ("base", "1"),
                ("action", "edited"),
                ("text", &text),
                ("comment", "Nâng ngưỡng chỉ tiêu 2 lên 60%"),
            ]),
        )
        .await;
    assert_eq!(save.status, StatusCode::SEE_OTHER, "{}", save.body);
    assert_eq!(save.location(), "/period-plan?saved=2");
    // The dashboard moved at once.
    assert_eq!(
        holds(&app, &admin, "2").await,
        json!({ "met": 2, "population": 4, "holds": false })
    );
    let page = app.get("/period-plan?saved=2", Some(&admin)).await.body;
    assert!(
        page.contains("Đã lưu phiên bản 2") && page.contains("≥ 60% (phấn đấu 80%)"),
        "{page}"
    );
    let api = app.get("/api/v1/period-plan", Some(&admin)).await.json();
    assert_eq!(api["version"], 2);
    assert_eq!(api["comment"], "Nâng ngưỡng chỉ tiêu 2 lên 60%");
    assert_eq!(api["saved_by"], "admin");
    assert_eq!(api["text"].as_str().unwrap(), text);
    assert_eq!(api["plan"]["targets"][1]["horizons"][0]["min"], 6000);
    // The same save again, from version 1: a conflict, not an overwrite.
    let again = app
        .post_form(
            "/period-plan/save",
            Some(&admin),
            &form(&[
                ("csrf", &csrf),
                ("base", "1"),
                ("text", &text.replace("min = 60", "min = 70")),
                ("comment", "x"),
            ]),
        )
        .await;
    assert_eq!(again.status, StatusCode::CONFLICT, "{}", again.body);
    assert!(again.body.contains("phiên bản 2"), "{}", again.body);
    assert_eq!(
        app.get("/api/v1/period-plan", Some(&admin)).await.json()["version"],
        2
    );
}

#[tokio::test]
async fn a_misspelt_expression_is_refused_with_its_place_and_a_suggestion() {
    let app = plan_app("typo");
    let admin = app.login("admin").await;
    let csrf = csrf_of(&app.get("/period-plan", Some(&admin)).await.body);
    // Through the API: 422 with every error, its line and column.
    let bad = PLAN.replace(
        "criterion = \"political_theory",
        "criterion = \"politcal_theory",
    );
    let line = bad
        .lines()
        .position(|l| l.contains("politcal_theory"))
        .unwrap()
        + 1;
    let r = put_plan(
        &app,
        &admin,
        &csrf,
        json!({ "text": bad, "comment": "sửa" }),
    )
    .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    let j = r.json();
    assert_eq!(j["error"], "invalid_plan");
    assert_eq!(j["errors"].as_array().unwrap().len(), 1, "{j}");
    let e = &j["errors"][0];
    // `criterion = "` is 13 characters: the name starts in column 14.
    assert_eq!(
        (
            e["line"].as_u64().unwrap() as usize,
            e["column"].as_u64().unwrap()
        ),
        (line, 14)
    );
    assert_eq!(e["suggestion"], "political_theory");
    assert!(
        e["message"].as_str().unwrap().contains("politcal_theory"),
        "{e}"
    );

    // Through the target's form: the error is shown beside the criterion.
    let r = app
        .post_form(
            "/period-plan/targets/1",
            Some(&admin),
            &form(&[
                ("csrf", &csrf),
                ("base", "1"),
                (
                    "wording",
                    "100% công chức có trình độ lý luận chính trị trung cấp trở lên",
                ),
                ("kind", "ratio"),
                ("population", "category == civil_servant"),
                ("criterion", "politcal_theory >= trung_cap"),
                ("min", "100"),
                ("by", "2026"),
            ]),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    let at = r
        .body
        .find("data-field=\"criterion\"")
        .expect("the error is beside the criterion");
    let msg = &r.body[at..at + r.body[at..].find("</p>").unwrap()];
    assert!(msg.contains(&format!("dòng {line}, cột 14")), "{msg}");
    assert!(
        unescape(msg).contains("có phải 'political_theory'"),
        "{msg}"
    );
    assert!(
        unescape(&r.body).contains("politcal_theory >= trung_cap"),
        "the value typed stays"
    );
    // A threshold that is no percentage: beside its field too.
    let r = app
        .post_form(
            "/period-plan/targets/1",
            Some(&admin),
            &form(&[
                ("csrf", &csrf),
                ("base", "1"),
                ("wording", "x"),
                ("kind", "ratio"),
                ("criterion", "political_theory >= trung_cap"),
                ("min", "tám mươi"),
                ("by", "2026"),
            ]),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("data-field=\"min\""), "{}", r.body);
    // The whole-text editor lists the errors with line and column.
    let r = app
        .post_form(
            "/period-plan/text",
            Some(&admin),
            &form(&[("csrf", &csrf), ("base", "1"), ("text", &bad)]),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        r.body.contains(&format!("Dòng {line}, cột 14")),
        "{}",
        r.body
    );
    // Nothing was saved, and a plan with another key is refused.
    let other = PLAN.replace("id = \"thu-nghiem\"", "id = \"khac\"");
    let r = put_plan(
        &app,
        &admin,
        &csrf,
        json!({ "text": other, "comment": "đổi mã" }),
    )
    .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(r.json()["errors"][0]["line"], 2);
    let versions = app
        .get("/api/v1/period-plan/versions", Some(&admin))
        .await
        .json();
    assert_eq!(versions["items"].as_array().unwrap().len(), 1, "{versions}");
    // No comment, or the same text: refused too.
    let r = put_plan(
        &app,
        &admin,
        &csrf,
        json!({ "text": PLAN.replace("min = 50", "min = 40"), "comment": " " }),
    )
    .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    let r = put_plan(
        &app,
        &admin,
        &csrf,
        json!({ "text": PLAN, "comment": "không đổi" }),
    )
    .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert_eq!(
        app.get("/api/v1/period-plan/versions", Some(&admin))
            .await
            .json()["items"]
            .as_array()
            .unwrap()
            .len(),
        1
    );
}

#[tokio::test]
async fn other_roles_read_the_plan_but_do_not_change_it() {
    let app = plan_app("roles");
    for user in ["leader", "hr", "finance"] {
        let cookie = app.login(user).await;
        let page = app.get("/period-plan", Some(&cookie)).await;
        assert_eq!(page.status, StatusCode::OK, "{user}");
        assert!(page.body.contains("Kế hoạch thử nghiệm của tỉnh"));
        assert!(
            !page.body.contains("/period-plan/targets/new"),
            "{user} is offered no editing"
        );
        assert!(
            page.body.contains("href=\"/period-plan\""),
            "{user} has the menu entry"
        );
        assert_eq!(
            app.get("/period-plan/versions", Some(&cookie)).await.status,
            StatusCode::OK
        );
        let csrf = csrf_of(&page.body);
        for path in [
            "/period-plan/targets/1",
            "/period-plan/targets/new",
            "/period-plan/text",
        ] {
            assert_eq!(
                app.get(path, Some(&cookie)).await.status,
                StatusCode::FORBIDDEN,
                "{user} {path}"
            );
        }
        let r = app
            .post_form(
                "/period-plan/save",
                Some(&cookie),
                &form(&[
                    ("csrf", &csrf),
                    ("base", "1"),
                    ("text", &PLAN.replace("min = 50", "min = 10")),
                    ("comment", "x"),
                ]),
            )
            .await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{user}");
        let r = app
            .post_form(
                "/period-plan/versions/1/restore",
                Some(&cookie),
                &form(&[("csrf", &csrf), ("base", "1")]),
            )
            .await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{user}");
        let r = put_plan(
            &app,
            &cookie,
            &csrf,
            json!({ "text": PLAN.replace("min = 50", "min = 10"), "comment": "x" }),
        )
        .await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{user}");
        assert_eq!(
            app.get("/api/v1/period-plan", Some(&cookie)).await.status,
            StatusCode::OK
        );
    }
    for user in ["binh", "school"] {
        let cookie = app.login(user).await;
        assert_eq!(
            app.get("/period-plan", Some(&cookie)).await.status,
            StatusCode::FORBIDDEN,
            "{user}"
        );
        assert_eq!(
            app.get("/api/v1/period-plan", Some(&cookie)).await.status,
            StatusCode::FORBIDDEN,
            "{user}"
        );
        assert!(
            !app.get("/", Some(&cookie))
                .await
                .body
                .contains("/period-plan")
        );
    }
    let admin = app.login("admin").await;
    assert_eq!(
        app.get("/api/v1/period-plan", Some(&admin)).await.json()["version"],
        1,
        "nothing changed"
    );
}

#[tokio::test]
async fn the_history_keeps_every_version_and_a_restore_adds_one() {
    let app = plan_app("history");
    let admin = app.login("admin").await;
    let csrf = csrf_of(&app.get("/period-plan", Some(&admin)).await.body);
    // Version 2 raises target 2 to 60 % (no longer met).
    let v2 = PLAN.replace("min = 50", "min = 60");
    let r = put_plan(
        &app,
        &admin,
        &csrf,
        json!({ "text": v2, "comment": "Nâng ngưỡng", "base_version": 1 }),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.json()["version"], 2);
    assert_eq!(holds(&app, &admin, "2").await["holds"], false);
    // A save from version 1 now is a conflict.
    let r = put_plan(
        &app,
        &admin,
        &csrf,
        json!({ "text": PLAN.replace("min = 50", "min = 55"), "comment": "x", "base_version": 1 }),
    )
    .await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.body);

    // Version 2's page: its text and what it changed from version 1.
    let page = app.get("/period-plan/versions/2", Some(&admin)).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        page.body.contains("So với phiên bản 1") && page.body.contains("data-target=\"2\""),
        "{}",
        page.body
    );
    assert!(page.body.contains("Đạt → Chưa đạt"));
    let line = PLAN.lines().position(|l| l == "min = 50").unwrap() + 1;
    assert_eq!(line, 27);
    assert!(
        page.body.contains(&format!("+ {line}: min = 60"))
            && page.body.contains(&format!("- {line}: min = 50")),
        "{}",
        page.body
    );
    let v1 = app
        .get("/api/v1/period-plan/versions/1", Some(&admin))
        .await
        .json();
    assert_eq!(v1["text"], PLAN);
    assert_eq!(v1["action"], "imported");

    // Restore version 1: it becomes version 3; 1 and 2 stay as they were.
    let form_page = app.get("/period-plan/versions/1", Some(&admin)).await.body;
    assert!(form_page.contains("Khôi phục thành phiên bản mới"));
    assert_eq!(input(&form_page, "base"), "2");
    let r = app
        .post_form(
            "/period-plan/versions/1/restore",
            Some(&admin),
            &form(&[
                ("csrf", &csrf),
                ("base", "2"),
                ("comment", "Trở lại ngưỡng 50%"),
            ]),
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert_eq!(r.location(), "/period-plan?saved=3");
    assert_eq!(
        holds(&app, &admin, "2").await["holds"],
        true,
        "the dashboard follows the restored text"
    );
    let items = app
        .get("/api/v1/period-plan/versions", Some(&admin))
        .await
        .json()["items"]
        .clone();
    let summary: Vec<(i64, String, String, Option<i64>, bool)> = items
        .as_array()
        .unwrap()
        .iter()
        .map(|x| {
            (
                x["version"].as_i64().unwrap(),
                x["action"].as_str().unwrap().to_string(),
                x["saved_by"].as_str().unwrap().to_string(),
                x["based_on"].as_i64(),
                x["in_force"].as_bool().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        summary,
        vec![
            (3, "restored".into(), "admin".into(), Some(1), true),
            (2, "edited".into(), "admin".into(), Some(1), false),
            (1, "imported".into(), "nangluc serve".into(), None, false),
        ]
    );
    assert_eq!(
        app.get("/api/v1/period-plan/versions/3", Some(&admin))
            .await
            .json()["text"],
        PLAN
    );
    assert_eq!(
        app.get("/api/v1/period-plan/versions/2", Some(&admin))
            .await
            .json()["text"],
        v2.as_str()
    );
    let history = app.get("/period-plan/versions", Some(&admin)).await.body;
    for text in [
        "Khôi phục phiên bản 1",
        "Trở lại ngưỡng 50%",
        "Nâng ngưỡng",
        "Nhập từ tệp",
        "đang áp dụng",
    ] {
        assert!(history.contains(text), "{text} missing: {history}");
    }
    // The version in force offers no restore of itself.
    assert!(
        !app.get("/period-plan/versions/3", Some(&admin))
            .await
            .body
            .contains("Khôi phục thành phiên bản mới")
    );
    assert_eq!(
        app.get("/period-plan/versions/9", Some(&admin))
            .await
            .status,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn a_target_is_added_and_removed_through_its_form() {
    let app = plan_app("add");
    let admin = app.login("admin").await;
    let csrf = csrf_of(&app.get("/period-plan/targets/new", Some(&admin)).await.body);
    let new = form(&[
        ("csrf", &csrf),
        ("base", "1"),
        ("id", "3"),
        ("group", "cong-chuc"),
        ("wording", "25% công chức có trình độ đại học trở lên"),
        ("kind", "ratio"),
        ("population", "category == civil_servant"),
        ("criterion", "education >= dai_hoc"),
        ("min", "25"),
    ]);
    let preview = app
        .post_form("/period-plan/targets/new", Some(&admin), &new)
        .await;
    assert_eq!(preview.status, StatusCode::OK, "{}", preview.body);
    assert!(preview.body.contains("chỉ tiêu mới") && preview.body.contains("data-target=\"3\""));
    let text = input(&preview.body, "text");
    let r = app
        .post_form(
            "/period-plan/save",
            Some(&admin),
            &form(&[
                ("csrf", &csrf),
                ("base", "1"),
                ("text", &text),
                ("comment", "Thêm chỉ tiêu 3"),
            ]),
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let dash = app.get("/api/v1/dashboard", Some(&admin)).await.json();
    assert_eq!(dash["targets"].as_array().unwrap().len(), 3);
    // The same id again is refused beside the id.
    let again = app
        .post_form(
            "/period-plan/targets/new",
            Some(&admin),
            &new.replace("base=1", "base=2"),
        )
        .await;
    assert_eq!(again.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(again.body.contains("data-field=\"id\""));
    // Removing target 1 shows it leaving, then saves.
    let r = app
        .post_form(
            "/period-plan/targets/1/remove",
            Some(&admin),
            &form(&[("csrf", &csrf)]),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert!(r.body.contains("bỏ chỉ tiêu") && r.body.contains("data-target=\"1\""));
    let text = input(&r.body, "text");
    assert!(!text.contains("political_theory"));
    let r = app
        .post_form(
            "/period-plan/save",
            Some(&admin),
            &form(&[
                ("csrf", &csrf),
                ("base", "2"),
                ("text", &text),
                ("comment", "Bỏ chỉ tiêu 1"),
            ]),
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let ids: Vec<String> = app.get("/api/v1/dashboard", Some(&admin)).await.json()["targets"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["id"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(ids, vec!["2", "3"]);
}

#[test]
fn serve_imports_a_file_once_and_then_follows_the_database() {
    let db = seeded_db();
    let mut store = Store::open(&db.url()).unwrap();
    let path = write_plan("serve", PLAN);
    let choice = PlanChoice::File(path.clone());
    let (_, note) = load_at_start(&mut store, &choice).unwrap().unwrap();
    assert!(note.contains("phiên bản 1"), "{note}");
    // The same file again: no new version.
    let (plan, note) = load_at_start(&mut store, &choice).unwrap().unwrap();
    assert_eq!(plan.version(), Some(1));
    assert!(note.contains("trùng với tệp"), "{note}");
    // A changed file: a new version.
    std::fs::write(&path, PLAN.replace("min = 50", "min = 45")).unwrap();
    let (plan, _) = load_at_start(&mut store, &choice).unwrap().unwrap();
    assert_eq!(plan.version(), Some(2));
    assert_eq!(plan.plan().target("2").unwrap().horizons[0].min.0, 4500);
    // Without --plan: the version in force, whatever the first-run file holds.
    let stored = PlanChoice::Stored {
        first_run: std::path::PathBuf::from("/khong-co/tep.toml"),
    };
    let (plan, note) = load_at_start(&mut store, &stored).unwrap().unwrap();
    assert_eq!(plan.version(), Some(2));
    assert!(note.contains("phiên bản 2"), "{note}");
    // A broken file stops the start with its errors, and saves nothing.
    std::fs::write(&path, PLAN.replace("kind = \"ratio\"", "kind = \"ratoi\"")).unwrap();
    let err = load_at_start(&mut store, &choice).err().unwrap();
    assert!(
        err.contains("ratoi") && err.contains("có phải 'ratio'"),
        "{err}"
    );
    assert_eq!(store.period_plan_versions("thu-nghiem").unwrap().len(), 2);
    let _ = std::fs::remove_file(&path);
    // An empty database and the first-run file: imported as version 1.
    let fresh = seeded_db();
    let mut store = Store::open(&fresh.url()).unwrap();
    let first = write_plan("first-run", PLAN);
    let (plan, _) = load_at_start(
        &mut store,
        &PlanChoice::Stored {
            first_run: first.clone(),
        },
    )
    .unwrap()
    .unwrap();
    assert_eq!(plan.version(), Some(1));
    assert_eq!(store.followed_period_plan().unwrap().unwrap().1.text, PLAN);
    let _ = std::fs::remove_file(&first);
    // Started outside the repository (tests run in crates/web, where
    // plans/… is not): the default plan comes from the binary.
    assert!(!std::path::Path::new(nangluc_web::targets::DEFAULT_PLAN).exists());
    let elsewhere = seeded_db();
    let mut store = Store::open(&elsewhere.url()).unwrap();
    let (plan, _) = load_at_start(
        &mut store,
        &PlanChoice::Stored {
            first_run: nangluc_web::targets::DEFAULT_PLAN.into(),
        },
    )
    .unwrap()
    .unwrap();
    assert_eq!(plan.plan().id, "tay-ninh-2021-2025");
    let (_, stored) = store.followed_period_plan().unwrap().unwrap();
    assert_eq!(stored.text, nangluc_web::targets::DEFAULT_PLAN_TEXT);
    // Any other missing file is an error that names it.
    let err = load_at_start(
        &mut store,
        &PlanChoice::File("/khong-co/tep.toml".into()),
    )
    .err()
    .unwrap();
    assert!(err.contains("không đọc được tệp kế hoạch '/khong-co/tep.toml'"), "{err}");
}

#[tokio::test]
async fn openapi_lists_the_period_plan_paths() {
    let doc = nangluc_web::api::openapi_document();
    assert!(doc["paths"]["/api/v1/period-plan"]["get"].is_object());
    assert!(doc["paths"]["/api/v1/period-plan"]["put"]["responses"]["422"].is_object());
    assert!(doc["paths"]["/api/v1/period-plan/versions"]["get"].is_object());
    assert!(doc["components"]["schemas"]["PlanErrors"].is_object());
}
