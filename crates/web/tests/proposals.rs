//! The proposed plan over HTTP on a small province, checked by hand.
//!
//! Besides the seeded four, twelve civil servants of the Sở Tài chính:
//! six (10–15) appointed heads of division on the 1st of March…August 2022,
//! who with Nguyễn Văn An (appointed 1 March 2022) must take the leadership
//! programme within 60 months of their appointment (an E target: deadlines
//! March…August 2027); and every civil servant should have the state
//! management programme (a ratio target: 16 civil servants, 2 have it, 14 to go).
//!
//! Classes of 3–4 (the test's bounds), one institution with 6 classes a year
//! from 1 January 2027: 1/1, 1/3, 1/5, 1/7, 1/9, 1/11.
//! Norms: lecturer 1.000.000 đ/buổi, materials 100.000 đ/learner,
//! organisation 2.000.000 đ/class.
//! * LD-PHONG (10 sessions, 14 days): 7 people → classes of 4 and 3, costing
//!   12.000.000 + 100.000 × n: 12.400.000 and 12.300.000; the class of the four
//!   earliest deadlines on 1/1/2027, the other on 1/3/2027.
//! * QLNN-CVC (20 sessions, 30 days): 14 people → 4, 4, 3, 3, costing
//!   22.000.000 + 100.000 × n: 22.400.000 ×2, 22.300.000 ×2; spread over
//!   2027 (1/5, 1/7) and 2028 (1/1, 1/3).
//! * Under 60.000.000 the most gap is 12: the first leadership class and the
//!   two classes of 4 (4 + 4 + 4, 57.200.000); the rest (3 classes, 9 gap,
//!   56.900.000) is unfunded. Everything costs 114.100.000 and closes 21.

mod common;

use axum::http::{StatusCode, header};
use nangluc_store::Store;
use serde_json::{Value, json};

use common::api::{App, at};
use common::app::csrf_of;
use common::seeded_db;

fn app() -> App {
    let db = seeded_db();
    let mut store = Store::open(&db.url()).unwrap();
    common::proposals::seed(&mut store);
    drop(store);
    let plan = nangluc_web::targets::ActivePlan::new(
        nangluc_engine::Plan::parse(common::proposals::PLAN, "thu-nghiem.toml").unwrap(),
        "thu-nghiem.toml".into(),
    );
    let state = nangluc_web::AppState::open(&db.url(), 4, false)
        .unwrap()
        .with_plan(plan);
    // Drafts are made on 20 November 2026, for 2027.
    state.clock.set(Some(at("2026-11-20T03:00:00Z")));
    App::new(db, state)
}

/// Every class of the view, year by year.
fn classes(p: &Value) -> Vec<Value> {
    p["years"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|y| y["classes"].as_array().unwrap().clone())
        .collect()
}

fn class<'a>(all: &'a [Value], code: &str) -> &'a Value {
    all.iter()
        .find(|c| c["code"] == code)
        .unwrap_or_else(|| panic!("no class {code}"))
}

fn codes(v: &Value) -> Vec<String> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|x| {
            x.as_str()
                .unwrap_or_else(|| x["code"].as_str().unwrap())
                .to_string()
        })
        .collect()
}

#[tokio::test]
async fn a_proposal_respects_the_ceiling_the_bounds_and_the_deadlines() {
    let app = app();
    let admin = app.token("admin").await;
    let r = app
        .call(
            "POST",
            "/api/v1/proposals",
            &admin,
            json!({ "year": 2027, "horizon": 2028, "ceiling": 60_000_000, "class_min": 3, "class_max": 4 }),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    let p = r.json();
    let id = p["id"].as_i64().unwrap();
    let all = classes(&p);

    // Sizes, codes, dates and costs as computed by hand.
    let got: Vec<(String, String, u64, i64)> = all
        .iter()
        .map(|c| {
            (
                c["code"].as_str().unwrap().to_string(),
                c["starts_on"].as_str().unwrap().to_string(),
                c["size"].as_u64().unwrap(),
                c["cost"].as_i64().unwrap(),
            )
        })
        .collect();
    let want = [
        ("LD-PHONG-2027-01", "2027-01-01", 4, 12_400_000),
        ("LD-PHONG-2027-02", "2027-03-01", 3, 12_300_000),
        ("QLNN-CVC-2027-01", "2027-05-01", 4, 22_400_000),
        ("QLNN-CVC-2027-02", "2027-07-01", 4, 22_400_000),
        ("QLNN-CVC-2028-01", "2028-01-01", 3, 22_300_000),
        ("QLNN-CVC-2028-02", "2028-03-01", 3, 22_300_000),
    ];
    let want: Vec<(String, String, u64, i64)> = want
        .iter()
        .map(|(a, b, c, d)| (a.to_string(), b.to_string(), *c, *d))
        .collect();
    assert_eq!(got, want);
    assert!(
        all.iter()
            .all(|c| (3..=4).contains(&c["size"].as_u64().unwrap()))
    );
    assert_eq!(p["total_cost"], 114_100_000);

    // Every E person (seven) in a class ending on or before their deadline.
    let mut e_people = 0;
    for c in &all {
        for s in c["seats"].as_array().unwrap() {
            if let Some(deadline) = s["deadline"].as_str() {
                e_people += 1;
                assert!(
                    c["ends_on"].as_str().unwrap() <= deadline,
                    "{} in {} ends {} after {deadline}",
                    s["name"],
                    c["code"],
                    c["ends_on"]
                );
            }
        }
    }
    assert_eq!(e_people, 7);
    assert!(
        p["warnings"].as_array().unwrap().is_empty(),
        "{}",
        p["warnings"]
    );

    // Under 60.000.000: 57.200.000 for 12 gap; three classes unfunded, each with why.
    let f = &p["funding"];
    assert_eq!(f["cost_funded"], 57_200_000);
    assert!(f["cost_funded"].as_i64().unwrap() <= 60_000_000);
    assert_eq!(
        (f["gap_closed"].as_u64(), f["gap_unfunded"].as_u64()),
        (Some(12), Some(9))
    );
    assert_eq!(
        codes(&f["funded"]),
        vec!["LD-PHONG-2027-01", "QLNN-CVC-2027-01", "QLNN-CVC-2027-02"]
    );
    let unfunded = p["unfunded"].as_array().unwrap();
    assert_eq!(
        codes(&p["unfunded"]),
        vec!["LD-PHONG-2027-02", "QLNN-CVC-2028-01", "QLNN-CVC-2028-02"]
    );
    assert!(unfunded.iter().all(|u| {
        u["why"]
            .as_str()
            .unwrap()
            .contains("thu hẹp khoảng thiếu nhiều hơn")
    }));
    assert_eq!(p["unplaced_total"], 0);

    // The page shows the same: the summary, the unfunded list with its reasons.
    let page = app.get(&format!("/proposals/{id}"), &admin).await;
    assert_eq!(page.status, StatusCode::OK);
    let html = page.text();
    assert!(html.contains("Lớp chưa có kinh phí"), "{html}");
    assert!(html.contains("còn 3 lớp chưa có kinh phí"), "{html}");
    assert!(html.contains("LD-PHONG-2028") || html.contains("QLNN-CVC-2028-02"));
    assert!(html.contains("57.200.000 đ"));

    // More money never closes less: 0 → nothing, 60M → 12, 80M → 15, 120M → 21.
    let mut last = 0;
    for (ceiling, gap) in [
        (0, 0),
        (60_000_000, 12),
        (80_000_000, 15),
        (120_000_000, 21),
    ] {
        let r = app
            .call(
                "POST",
                &format!("/api/v1/proposals/{id}/funding"),
                &admin,
                json!({ "ceiling": ceiling }),
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text());
        let f = &r.json()["funding"];
        assert!(f["cost_funded"].as_i64().unwrap() <= ceiling);
        let closed = f["gap_closed"].as_u64().unwrap();
        assert_eq!(closed, gap, "ceiling {ceiling}");
        assert!(closed >= last);
        last = closed;
    }
    // A ceiling per year: 2028 given nothing funds nothing that year.
    let r = app
        .call(
            "POST",
            &format!("/api/v1/proposals/{id}/funding"),
            &admin,
            json!({ "ceiling_per_year": { "2027": 100_000_000, "2028": 0 } }),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    let p = r.json();
    assert_eq!(codes(&p["funding"]["funded"]).len(), 4);
    assert!(
        p["unfunded"]
            .as_array()
            .unwrap()
            .iter()
            .all(|u| u["year"] == 2028 && u["why"] == "Năm 2028 không có trần kinh phí")
    );
    // A negative ceiling is refused in Vietnamese, and nothing changes.
    let r = app
        .call(
            "POST",
            &format!("/api/v1/proposals/{id}/funding"),
            &admin,
            json!({ "ceiling": -1 }),
        )
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert!(
        r.json()["message"]
            .as_str()
            .unwrap()
            .contains("Trần kinh phí không được âm")
    );
    let again = app
        .get(&format!("/api/v1/proposals/{id}"), &admin)
        .await
        .json();
    assert_eq!(codes(&again["funding"]["funded"]).len(), 4);
}

#[tokio::test]
async fn editing_is_checked_and_kept_and_adopting_creates_classes() {
    let app = app();
    let admin = app.token("admin").await;
    let r = app
        .call(
            "POST",
            "/api/v1/proposals",
            &admin,
            json!({ "year": 2027, "horizon": 2028, "ceiling": 120_000_000, "class_min": 3, "class_max": 4 }),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    let p = r.json();
    let id = p["id"].as_i64().unwrap();
    let all = classes(&p);
    let first = class(&all, "LD-PHONG-2027-01");
    // The four earliest deadlines: An (1) and 10 on 1/3, 11 on 1/4, 12 on 1/5.
    let mut seated: Vec<i64> = first["seats"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["person_id"].as_i64().unwrap())
        .collect();
    seated.sort();
    assert_eq!(seated, vec![1, 10, 11, 12]);

    // Moving An (deadline 1/3/2027) to the class of 1/3 (ending 14/3) makes
    // him late: refused, nothing kept.
    let moves = format!("/api/v1/proposals/{id}/moves");
    let r = app
        .call(
            "POST",
            &moves,
            &admin,
            json!({ "person_id": 1, "from": "LD-PHONG-2027-01", "to": "LD-PHONG-2027-02" }),
        )
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST, "{}", r.text());
    let msg = r.json()["message"].as_str().unwrap().to_string();
    assert!(msg.starts_with("Không chuyển được"), "{msg}");
    assert!(
        msg.contains("Nguyễn Văn An (lớp LD-PHONG-2027-02) phải hoàn thành trước ngày"),
        "{msg}"
    );
    // Another programme's class: refused.
    let r = app
        .call(
            "POST",
            &moves,
            &admin,
            json!({ "person_id": 12, "from": "LD-PHONG-2027-01", "to": "QLNN-CVC-2027-01" }),
        )
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert!(
        r.json()["message"]
            .as_str()
            .unwrap()
            .contains("thuộc chương trình khác")
    );
    let unchanged = app
        .get(&format!("/api/v1/proposals/{id}"), &admin)
        .await
        .json();
    assert_eq!(unchanged["version"], 1);

    // Person 12 (deadline 1/5/2027) may move to the class of 1/3: kept, both repriced.
    let r = app
        .call("POST", &moves, &admin, json!({ "version": 1, "person_id": 12, "from": "LD-PHONG-2027-01", "to": "LD-PHONG-2027-02" }))
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    let p = r.json();
    assert_eq!(p["version"], 2);
    let all = classes(&p);
    assert_eq!(
        (
            class(&all, "LD-PHONG-2027-01")["size"].as_u64(),
            class(&all, "LD-PHONG-2027-01")["cost"].as_i64()
        ),
        (Some(3), Some(12_300_000))
    );
    assert_eq!(class(&all, "LD-PHONG-2027-02")["cost"], 12_400_000);
    // Someone still looking at version 1 cannot overwrite it.
    let r = app
        .call("POST", &moves, &admin, json!({ "version": 1, "person_id": 11, "from": "LD-PHONG-2027-01", "to": "LD-PHONG-2027-02" }))
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.text());
    // Moving 11 too would leave 2 in one class and 5 in the other: refused.
    let r = app
        .call("POST", &moves, &admin, json!({ "version": 2, "person_id": 11, "from": "LD-PHONG-2027-01", "to": "LD-PHONG-2027-02" }))
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST, "{}", r.text());
    let msg = r.json()["message"].as_str().unwrap().to_string();
    assert!(
        msg.contains("LD-PHONG-2027-01 có 2 học viên, ngoài giới hạn 3–4"),
        "{msg}"
    );
    assert!(
        msg.contains("LD-PHONG-2027-02 có 5 học viên, ngoài giới hạn 3–4"),
        "{msg}"
    );

    // Dropping a class: its people listed unplaced, "dropped", the gap kept visible.
    let r = app
        .call(
            "DELETE",
            &format!("/api/v1/proposals/{id}/classes/QLNN-CVC-2028-02?version=2"),
            &admin,
            json!({}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    let p = r.json();
    assert_eq!(classes(&p).len(), 5);
    assert_eq!(p["unplaced_total"], 3);
    assert_eq!(p["unplaced_by_reason"][0]["reason"]["code"], "lop_da_bo");
    assert_eq!(p["funding"]["gap_unplaced"], 3);
    let r = app
        .call(
            "DELETE",
            &format!("/api/v1/proposals/{id}/classes/KHONG-CO"),
            &admin,
            json!({}),
        )
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    // The history says who did what.
    let actions: Vec<String> = p["events"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["action"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(actions, vec!["Lập dự thảo", "Chuyển học viên", "Bỏ lớp"]);

    // Finance and the leadership read; neither may create or edit; an
    // employee and a unit's HR officer see nothing.
    let finance = app.token("finance").await;
    let leader = app.token("leader").await;
    assert_eq!(
        app.get(&format!("/api/v1/proposals/{id}"), &leader)
            .await
            .status,
        StatusCode::OK
    );
    let page = app.get(&format!("/proposals/{id}"), &finance).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        !page.text().contains("Bỏ lớp</button>"),
        "read-only for finance"
    );
    for who in [&finance, &leader] {
        let r = app
            .call("POST", "/api/v1/proposals", who, json!({ "year": 2027 }))
            .await;
        assert_eq!(r.status, StatusCode::FORBIDDEN);
        let r = app
            .call(
                "POST",
                &moves,
                who,
                json!({ "person_id": 11, "from": "LD-PHONG-2027-01", "to": "LD-PHONG-2027-02" }),
            )
            .await;
        assert_eq!(r.status, StatusCode::FORBIDDEN);
    }
    for user in ["binh", "hr"] {
        let t = app.token(user).await;
        assert_eq!(
            app.get(&format!("/api/v1/proposals/{id}"), &t).await.status,
            StatusCode::FORBIDDEN
        );
        assert_eq!(
            app.get("/proposals", &t).await.status,
            StatusCode::FORBIDDEN
        );
    }

    // Adopting 2027: its four funded classes become proposed classes, in one change.
    let r = app
        .call(
            "POST",
            &format!("/api/v1/proposals/{id}/adopt"),
            &admin,
            json!({ "year": 2027 }),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    let adopted = r.json();
    let made: Vec<(String, i64)> = adopted["classes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| (c[0].as_str().unwrap().to_string(), c[1].as_i64().unwrap()))
        .collect();
    assert_eq!(made.len(), 4);
    for (code, class_id) in &made {
        let c = app
            .get(&format!("/api/v1/classes/{class_id}"), &admin)
            .await;
        assert_eq!(c.status, StatusCode::OK, "{}", c.text());
        let c = c.json();
        let text = c.to_string();
        assert!(text.contains(code.as_str()), "{text}");
        assert!(text.contains("\"proposed\""), "a proposed class: {text}");
    }
    // The draft says which were adopted; those can no longer be edited here;
    // adopting the year again has nothing left to do.
    let p = app
        .get(&format!("/api/v1/proposals/{id}"), &admin)
        .await
        .json();
    let all = classes(&p);
    assert_eq!(class(&all, "LD-PHONG-2027-01")["adopted"], made[0].1);
    assert!(class(&all, "QLNN-CVC-2028-01")["adopted"].is_null());
    let r = app
        .call(
            "DELETE",
            &format!("/api/v1/proposals/{id}/classes/LD-PHONG-2027-01"),
            &admin,
            json!({}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    let r = app
        .call(
            "POST",
            &format!("/api/v1/proposals/{id}/adopt"),
            &admin,
            json!({ "year": 2027 }),
        )
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);

    // The workbook: classes, unfunded, unplaced.
    let x = app
        .get(&format!("/api/v1/proposals/{id}/export.xlsx"), &finance)
        .await;
    assert_eq!(x.status, StatusCode::OK);
    assert!(
        x.headers[header::CONTENT_DISPOSITION]
            .to_str()
            .unwrap()
            .contains(".xlsx")
    );
    assert_eq!(&x.bytes[..2], b"PK");
}

#[tokio::test]
async fn the_browser_forms_create_and_refuse_in_vietnamese() {
    let app = app();
    let admin = app.token("admin").await;
    let list = app.get("/proposals", &admin).await;
    assert_eq!(list.status, StatusCode::OK);
    let csrf = csrf_of(&list.text());
    let r = app
        .form(
            "/proposals",
            &admin,
            &format!(
                "csrf={csrf}&year=2027&horizon=2028&ceiling=60.000.000&class_min=3&class_max=4"
            ),
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    let at = r.headers[header::LOCATION].to_str().unwrap().to_string();
    let page = app.get(&at, &admin).await.text();
    assert!(page.contains("Trần kinh phí: tổng 60.000.000 đ"), "{page}");

    // Bad input names the field, and writes nothing.
    let before = app.get("/api/v1/proposals", &admin).await.json()["drafts"]
        .as_array()
        .unwrap()
        .len();
    let r = app
        .form(
            "/proposals",
            &admin,
            &format!("csrf={csrf}&year=2027&horizon=2026&ceiling=nhieu&class_min=5&class_max=4"),
        )
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert!(
        r.text()
            .contains("Trần kinh phí: «nhieu» không phải số tiền"),
        "{}",
        r.text()
    );
    let r = app
        .form(
            "/proposals",
            &admin,
            &format!("csrf={csrf}&year=2027&horizon=2026&class_min=5&class_max=4"),
        )
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    let text = r.text();
    assert!(
        text.contains("Năm cuối kỳ đề xuất 2026 phải từ năm kế hoạch 2027"),
        "{text}"
    );
    assert!(
        text.contains("Sĩ số tối đa (4) phải không nhỏ hơn sĩ số tối thiểu (5)"),
        "{text}"
    );
    let after = app.get("/api/v1/proposals", &admin).await.json()["drafts"]
        .as_array()
        .unwrap()
        .len();
    assert_eq!(before, after);

    // Cost norms: finance adds one; mistakes are named field by field.
    let finance = app.token("finance").await;
    let config = app.get("/proposals/config", &finance).await;
    assert_eq!(config.status, StatusCode::OK);
    let csrf_f = csrf_of(&config.text());
    let r = app
        .form(
            "/proposals/config/norms",
            &finance,
            &format!("csrf={csrf_f}&item=cho_o&basis=hoc_vien_ngay&form=&issuer=68&amount=abc&valid_from=31/02/2027&source="),
        )
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    let text = r.text();
    assert!(text.contains("Mức chi: «abc» không phải số tiền"), "{text}");
    assert!(
        text.contains("Hiệu lực từ ngày: «31/02/2027» không phải ngày hợp lệ"),
        "{text}"
    );
    assert!(
        text.contains("Văn bản quy định: không được để trống"),
        "{text}"
    );
    let r = app
        .form(
            "/proposals/config/norms",
            &finance,
            &format!("csrf={csrf_f}&item=cho_o&basis=hoc_vien_ngay&form=&issuer=68&amount=250.000&valid_from=01/01/2027&source=Ngh%E1%BB%8B+quy%E1%BA%BFt+12%2F2026%2FNQ-H%C4%90ND"),
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    let norms = app.get("/api/v1/planning-config", &finance).await.json()["norms"].clone();
    assert_eq!(norms.as_array().unwrap().len(), 4);
    assert!(norms.to_string().contains("Nghị quyết 12/2026/NQ-HĐND"));
    // Offers are the Sở Nội vụ's: finance may not change them; the leadership
    // does not see the configuration.
    let r = app
        .form(
            "/proposals/config/capacity",
            &finance,
            &format!("csrf={csrf_f}&institution=TCT&classes_per_year=2"),
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let leader = app.token("leader").await;
    assert_eq!(
        app.get("/proposals/config", &leader).await.status,
        StatusCode::FORBIDDEN
    );
    let list = app.get("/proposals", &leader).await;
    assert_eq!(list.status, StatusCode::OK);
    assert!(
        !list.text().contains("/proposals/config"),
        "no link to a page the leadership cannot open"
    );
    assert!(
        !list.text().contains("id=\"new-proposal\""),
        "no form to make a draft"
    );
    // The API checks a norm the same way, every mistake at once.
    let bad = json!({ "item": "khong", "basis": "lop", "amount": -5, "valid_from": "2027-01-01", "source": " " });
    let r = app
        .call(
            "POST",
            "/api/v1/planning-config/cost-norms",
            &finance,
            bad.clone(),
        )
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    let msg = r.json()["message"].as_str().unwrap().to_string();
    for part in [
        "Khoản chi: không có khoản «khong»",
        "Mức chi: không được âm",
        "Văn bản quy định: không được để trống",
    ] {
        assert!(msg.contains(part), "{part} in {msg}");
    }
    let r = app
        .call("POST", "/api/v1/planning-config/cost-norms", &leader, bad)
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let good = json!({ "item": "di_lai", "basis": "hoc_vien", "form": "online", "amount": 0, "valid_from": "2027-01-01", "source": "Nghị quyết 12/2026/NQ-HĐND" });
    let r = app
        .call("POST", "/api/v1/planning-config/cost-norms", &finance, good)
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    // The administrator's offer form checks codes and figures.
    let r = app
        .form(
            "/proposals/config/offers",
            &admin,
            &format!("csrf={csrf}&programme=LD-PHONG&form=full_time&sessions=10&study_days=20&duration_days=14&institutions=TCT,KHONG&targets=E1"),
        )
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    let text = r.text();
    assert!(
        text.contains("Cơ sở đào tạo: không có mã «KHONG»"),
        "{text}"
    );
    assert!(text.contains("Số ngày học không được nhiều hơn"), "{text}");
    // The API document lists the routes.
    let doc = app.get("/api/v1/openapi.json", &admin).await.json();
    for path in [
        "/api/v1/proposals",
        "/api/v1/proposals/{id}/adopt",
        "/api/v1/planning-config/cost-norms",
    ] {
        assert!(
            doc["paths"][path].is_object(),
            "{path} in the OpenAPI document"
        );
    }
    let _ = &app.state;
}
