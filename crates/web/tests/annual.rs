//! One annual cycle end to end, over HTTP through the router: two units
//! submit their 2026 plans (one after 31 August 2025, flagged late), the Sở
//! Nội vụ returns one with a comment, the unit fixes and resubmits, both are
//! accepted, aggregated and approved; a class approved under the plan commits
//! budget, the finished class settles it and moves the target; duties remind
//! and fall overdue; the documents download. Plus the refusals.
//!
//! The class life cycle (approve, finish) is another branch's: where its
//! hooks will run, the test calls the same ledger endpoints and records the
//! class's completions in the store directly.

mod common;

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use nangluc_core::qualification::QualificationKind;
use nangluc_core::training::{
    Class, ClassStatus, Enrolment, EnrolmentStatus, FundingSource, Grant, Programme, StudyForm,
    Topic, TrainingKind,
};
use nangluc_core::{ChangeSet, Entity, Fact, Validity};
use nangluc_store::{NewAccount, Store};
use serde_json::{Value, json};

use common::api::App;
use common::app::csrf_of;
use common::{d, seeded_db};

/// Target 1 asks all four civil servants to hold political theory (only
/// Nguyễn Văn An does) by 2026; target 2 is met by both units. Two rows of
/// the Sóc Trăng responsibility matrix.
const PLAN: &str = r#"
[plan]
id = "thu-nghiem-nam"
name = "Kế hoạch đào tạo, bồi dưỡng thử nghiệm của tỉnh"
issuer = "UBND tỉnh"
period = [2022, 2026]

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

[[duties]]
id = "1.2b"
task = "Xây dựng Kế hoạch đào tạo, bồi dưỡng hàng năm (gửi Sở Nội vụ trình Chủ tịch UBND tỉnh)"
lead = "Các Sở, Ban ngành, đơn vị sự nghiệp trực thuộc UBND tỉnh"
coordinating = ["Sở Nội vụ"]
products = "Kế hoạch năm sau"
deadline = { every = "year", by = "31/8" }
when = "Trước ngày 31/8 hàng năm"

[[duties]]
id = "5.6"
task = "Tổ chức rà soát, đánh giá công tác đào tạo, bồi dưỡng"
lead = "Sở Nội vụ"
coordinating = ["Ban Tổ chức Tỉnh ủy"]
products = "Báo cáo của Sở Nội vụ"
deadline = { every = "year", quarter = 4 }
when = "Trong quý IV hằng năm"
"#;

/// The seeded province, plus: an HR officer of the Sở Tài chính (unit 3);
/// programme 2, intermediate political theory (grants the qualification);
/// class 2 of it, approved for 2026.
fn app() -> App {
    let db = seeded_db();
    let mut store = Store::open(&db.url()).unwrap();
    store
        .create_account(&NewAccount {
            username: "hr3".into(),
            display_name: "Cán bộ tổ chức Sở Tài chính".into(),
            password_hash: nangluc_web::auth::hash_password("pw-hr3").unwrap(),
            role: "unit_hr".into(),
            unit_id: Some(3),
            person_id: None,
            institution_id: None,
        })
        .unwrap();
    let since = Validity::since(d(2015, 1, 1));
    let mut c = ChangeSet::new("test", "Chương trình và lớp lý luận chính trị");
    c.record(
        Entity::Given(2),
        since,
        Fact::Programme(Programme {
            code: "LLCT-TC".into(),
            name: "Trung cấp lý luận chính trị".into(),
            kind: TrainingKind::Training,
            topic: Topic::PoliticalTheory,
            legal_basis: "Quy định của Ban Tổ chức Trung ương".into(),
            duration_periods: 600,
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
        Validity::since(d(2026, 1, 1)),
        Fact::Class(Class {
            code: "LLCT-2026-01".into(),
            programme_id: 2,
            institution_id: 1,
            starts_on: d(2026, 3, 2),
            ends_on: d(2026, 5, 29),
            place: "Trường Chính trị tỉnh".into(),
            form: StudyForm::FullTime,
            min_size: 3,
            max_size: 50,
            status: ClassStatus::Proposed,
            planned_cost: 45_000_000,
            target_group: None,
            unit_quotas: Vec::new(),
        }),
    );
    store.apply(&c).unwrap();
    drop(store);
    let path = std::env::temp_dir().join(format!(
        "nangluc-annual-plan-{}.toml",
        db.0.file_name().unwrap().to_string_lossy()
    ));
    std::fs::write(&path, PLAN).unwrap();
    let plan = nangluc_web::targets::ActivePlan::load(&path).unwrap();
    let _ = std::fs::remove_file(&path);
    let state = nangluc_web::AppState::open(&db.url(), 4, false)
        .unwrap()
        .with_plan(plan);
    App::new(db, state)
}

fn target_met(result: &Value, id: &str) -> u64 {
    result["targets"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["id"] == id)
        .unwrap()["met"]
        .as_u64()
        .unwrap()
}

#[tokio::test]
async fn one_annual_cycle_end_to_end() {
    let app = app();
    let (admin, hr, hr3, finance, leader) = (
        app.token("admin").await,
        app.token("hr").await,
        app.token("hr3").await,
        app.token("finance").await,
        app.token("leader").await,
    );

    // The responsibility matrix comes from the period plan.
    app.clock("2025-08-20T03:00:00Z");
    let r = app.post("/api/v1/duties/import", &admin, json!({})).await;
    assert_eq!(
        (r.status, r.json()["imported"].as_u64()),
        (StatusCode::OK, Some(2)),
        "{}",
        r.text()
    );
    let home = app.get("/", &admin).await.text();
    assert!(
        home.contains(
            "Còn 11 ngày (hạn 31/08/2025): Xây dựng Kế hoạch đào tạo, bồi dưỡng hàng năm"
        ),
        "{home}"
    );

    // The Sở Nội vụ's own unit plans on time (20/8/2025).
    let r = app
        .post("/api/v1/annual-plans", &hr, json!({ "year": 2026 }))
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    let snv = r.json()["id"].as_i64().unwrap();
    let r = app
        .post(
            &format!("/api/v1/annual-plans/{snv}/lines"),
            &hr,
            json!({ "programme": "LLCT-TC", "target_id": "1", "classes": 1, "person_times": 1,
                    "cost_state_budget": 15_000_000, "people": [2] }),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    // An HR officer works on their own subtree only.
    assert_eq!(
        app.get(&format!("/api/v1/annual-plans/{snv}"), &hr3)
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    let r = app
        .post(
            &format!("/api/v1/annual-plans/{snv}/lines"),
            &hr3,
            json!({ "programme": "LLCT-TC", "person_times": 1 }),
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert_eq!(
        app.post(
            &format!("/api/v1/annual-plans/{snv}/submit"),
            &hr3,
            json!({})
        )
        .await
        .status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        app.post(
            "/api/v1/annual-plans",
            &hr3,
            json!({ "unit_id": 2, "year": 2026 })
        )
        .await
        .status,
        StatusCode::FORBIDDEN
    );
    // Nor may it send people of another unit.
    let r = app
        .post(
            &format!("/api/v1/annual-plans/{snv}/lines"),
            &hr,
            json!({ "programme": "LLCT-TC", "person_times": 1, "people": [3] }),
        )
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert!(
        r.json()["message"]
            .as_str()
            .unwrap()
            .contains("không công tác tại đơn vị")
    );
    let r = app
        .post(
            &format!("/api/v1/annual-plans/{snv}/submit"),
            &hr,
            json!({}),
        )
        .await;
    assert_eq!(
        (r.status, r.json()["status"]["code"].as_str()),
        (StatusCode::OK, Some("submitted")),
        "{}",
        r.text()
    );
    // The Sở Nội vụ sees who has not sent theirs yet.
    let o = app
        .get("/api/v1/annual-plans?year=2026", &admin)
        .await
        .json();
    assert_eq!(
        (
            o["not_submitted"][0]["name"].as_str(),
            o["not_submitted"].as_array().unwrap().len()
        ),
        (Some("Sở Tài chính"), 1)
    );
    assert_eq!(o["deadline_passed"], false);

    // The Sở Tài chính plans after the deadline (5/9/2025) and forgets target 1.
    app.clock("2025-09-05T03:00:00Z");
    let stc = app
        .post("/api/v1/annual-plans", &hr3, json!({ "year": 2026 }))
        .await
        .json()["id"]
        .as_i64()
        .unwrap();
    let r = app
        .post(
            &format!("/api/v1/annual-plans/{stc}/lines"),
            &hr3,
            json!({ "programme": "QLNN-CVC", "target_id": "2", "classes": 1, "person_times": 1, "cost_unit": 5_000_000, "people": [4] }),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    let view = app
        .get(&format!("/api/v1/annual-plans/{stc}"), &hr3)
        .await
        .json();
    let short = &view["check"]["shortfalls"];
    assert_eq!(short.as_array().unwrap().len(), 1, "{view}");
    // Two of its civil servants lack political theory: one in 2025, one in 2026.
    assert_eq!(
        (
            short[0]["target_id"].as_str(),
            short[0]["needed"].as_u64(),
            short[0]["planned"].as_u64()
        ),
        (Some("1"), Some(1), Some(0))
    );
    let r = app
        .post(
            &format!("/api/v1/annual-plans/{stc}/submit"),
            &hr3,
            json!({}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());

    // The matrix: the 31/8 deadline passed with nothing done.
    let home = app.get("/", &admin).await.text();
    assert!(home.contains("Quá hạn 5 ngày (hạn 31/08/2025)"), "{home}");

    // The Sở Nội vụ sees both, one late; the HR officer of unit 2 sees only its own.
    app.clock("2025-09-10T03:00:00Z");
    let o = app
        .get("/api/v1/annual-plans?year=2026", &admin)
        .await
        .json();
    assert!(o["not_submitted"].as_array().unwrap().is_empty() && o["deadline_passed"] == true);
    let late: Vec<(i64, bool)> = o["plans"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| (p["id"].as_i64().unwrap(), p["late"].as_bool().unwrap()))
        .collect();
    assert_eq!(late.len(), 2);
    assert!(
        late.contains(&(snv, false)) && late.contains(&(stc, true)),
        "{late:?}"
    );
    assert_eq!(o["deadline"], "2025-08-31");
    let mine = app.get("/api/v1/annual-plans?year=2026", &hr).await.json();
    assert_eq!(mine["plans"].as_array().unwrap().len(), 1);
    let page = app.get("/annual-plans?year=2026", &admin).await.text();
    assert!(
        page.contains("Trễ hạn") && page.contains("Sở Tài chính") && page.contains("31/08/2025"),
        "{page}"
    );

    // A unit cannot accept its own plan; a return needs a comment.
    assert_eq!(
        app.post(
            &format!("/api/v1/annual-plans/{stc}/accept"),
            &hr3,
            json!({})
        )
        .await
        .status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        app.post(
            &format!("/api/v1/annual-plans/{stc}/return"),
            &admin,
            json!({ "comment": " " })
        )
        .await
        .status,
        StatusCode::BAD_REQUEST
    );
    // The Sở Nội vụ returns it from the page's form, with its comment.
    let page = app
        .get(&format!("/annual-plans/{stc}"), &admin)
        .await
        .text();
    assert!(page.contains("còn thiếu 1"), "{page}");
    let comment = "Bổ sung lớp trung cấp lý luận chính trị cho công chức còn thiếu (chỉ tiêu 1)";
    let form = format!(
        "csrf={}&action=return&comment={}",
        csrf_of(&page),
        nangluc_web::pages::encode_query(comment)
    );
    let r = app
        .form(&format!("/annual-plans/{stc}/act"), &admin, &form)
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    let r = app
        .post(
            &format!("/api/v1/annual-plans/{snv}/accept"),
            &admin,
            json!({}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK);

    // The unit reads the comment, fixes the plan and resubmits.
    app.clock("2025-09-12T03:00:00Z");
    let view = app
        .get(&format!("/api/v1/annual-plans/{stc}"), &hr3)
        .await
        .json();
    assert_eq!(view["plan"]["status"]["code"], "returned");
    let returned = view["events"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["to_status"]["code"] == "returned")
        .unwrap()
        .clone();
    assert_eq!(
        (returned["comment"].as_str(), returned["actor"].as_str()),
        (Some(comment), Some("admin"))
    );
    let r = app
        .post(
            &format!("/api/v1/annual-plans/{stc}/lines"),
            &hr3,
            json!({ "programme": "LLCT-TC", "target_id": "1", "classes": 1, "person_times": 2, "cost_state_budget": 30_000_000, "people": [3, 4] }),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    let view = app
        .get(&format!("/api/v1/annual-plans/{stc}"), &hr3)
        .await
        .json();
    assert!(
        view["check"]["shortfalls"].as_array().unwrap().is_empty(),
        "{view}"
    );
    assert_eq!(
        app.post(
            &format!("/api/v1/annual-plans/{stc}/submit"),
            &hr3,
            json!({})
        )
        .await
        .status,
        StatusCode::OK
    );
    // Still flagged late: the first submission was.
    let view = app
        .get(&format!("/api/v1/annual-plans/{stc}"), &admin)
        .await
        .json();
    assert_eq!(
        (
            view["plan"]["late"].as_bool(),
            view["plan"]["status"]["code"].as_str()
        ),
        (Some(true), Some("submitted"))
    );
    assert!(
        view["plan"]["submitted_at"]
            .as_str()
            .unwrap()
            .starts_with("2025-09-12")
    );
    // A submitted plan is not edited.
    let r = app
        .post(
            &format!("/api/v1/annual-plans/{stc}/lines"),
            &hr3,
            json!({ "programme": "LLCT-TC", "person_times": 1 }),
        )
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);

    // Accept, aggregate, approve.
    app.clock("2025-09-20T03:00:00Z");
    assert_eq!(
        app.post(
            &format!("/api/v1/annual-plans/{stc}/accept"),
            &admin,
            json!({})
        )
        .await
        .status,
        StatusCode::OK
    );
    assert_eq!(
        app.post("/api/v1/province-plans/2026/aggregate", &hr, json!({}))
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    let r = app
        .post("/api/v1/province-plans/2026/aggregate", &admin, json!({}))
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    let p = r.json();
    let lines: Vec<(String, i64, i64, i64, i64)> = p["lines"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| {
            (
                l["programme"].as_str().unwrap().to_string(),
                l["units"].as_i64().unwrap(),
                l["classes"].as_i64().unwrap(),
                l["person_times"].as_i64().unwrap(),
                l["costs"]["total"].as_i64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        lines,
        vec![
            ("LLCT-TC".into(), 2, 2, 3, 45_000_000),
            ("QLNN-CVC".into(), 1, 1, 1, 5_000_000)
        ]
    );
    assert_eq!(p["totals"]["units"], 2);
    let r = app
        .post(
            "/api/v1/province-plans/2026/approve",
            &admin,
            json!({ "decision": "125/QĐ-UBND" }),
        )
        .await;
    assert_eq!(
        (r.status, r.json()["status"]["code"].as_str()),
        (StatusCode::OK, Some("approved")),
        "{}",
        r.text()
    );
    for id in [snv, stc] {
        let v = app
            .get(&format!("/api/v1/annual-plans/{id}"), &admin)
            .await
            .json();
        assert_eq!(v["plan"]["status"]["code"], "approved");
    }
    assert_eq!(
        app.post("/api/v1/province-plans/2026/approve", &admin, json!({}))
            .await
            .status,
        StatusCode::BAD_REQUEST
    );

    // The documents of the year.
    let r = app
        .get("/reports/annual-plan.docx?year=2026", &leader)
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    assert!(
        r.headers[header::CONTENT_TYPE]
            .to_str()
            .unwrap()
            .contains("wordprocessingml")
    );
    assert_eq!(&r.bytes[..2], b"PK", "a .docx is a zip");
    assert_eq!(
        app.get("/reports/review.docx?kind=mid-term", &admin)
            .await
            .status,
        StatusCode::OK
    );
    let x = app
        .get("/reports/annual-plan.xlsx?year=2026", &finance)
        .await;
    assert_eq!((x.status, &x.bytes[..2]), (StatusCode::OK, &b"PK"[..]));
    assert_eq!(
        app.get("/reports/annual-plan.docx?year=2026", &hr)
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        app.get("/reports/annual-plan.docx?year=2031", &admin)
            .await
            .status,
        StatusCode::BAD_REQUEST
    );

    // Finance allocates; the class approved under the plan commits budget.
    app.clock("2026-01-10T03:00:00Z");
    for (unit, amount) in [(2, 20_000_000), (3, 50_000_000)] {
        let r = app.post("/api/v1/budget/allocations", &finance, json!({ "year": 2026, "unit_id": unit, "source": "state_budget", "amount": amount })).await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    }
    assert_eq!(
        app.post(
            "/api/v1/budget/allocations",
            &admin,
            json!({ "year": 2026, "unit_id": 3, "source": "state_budget", "amount": 1 })
        )
        .await
        .status,
        StatusCode::FORBIDDEN
    );
    // Approving the class under the plan commits its planned cost, split as
    // the accepted plans ask for its programme (1 and 2 person-times).
    assert_eq!(
        app.post("/api/v1/classes/2/actions/approve", &hr, json!({})).await.status,
        StatusCode::FORBIDDEN
    );
    let r = app.post("/api/v1/classes/2/actions/approve", &admin, json!({})).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    let commit = json!({ "programme": "LLCT-TC", "year": 2026, "on": "2026-02-15", "source": "state_budget", "total": 45_000_000,
                         "learners_by_unit": [[2, 1], [3, 2]] });
    assert_eq!(
        app.post("/api/v1/budget/classes/2/commitment", &hr, commit.clone())
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        app.post("/api/v1/budget/classes/2/commitment", &admin, commit)
            .await
            .status,
        StatusCode::BAD_REQUEST,
        "committed once, at approval"
    );
    let b = app.get("/api/v1/budget?year=2026", &finance).await.json();
    let unit_row = |label: &str| {
        b["by_unit"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["label"] == label)
            .unwrap()
            .clone()
    };
    let (snv, stc) = (unit_row("Sở Nội vụ"), unit_row("Sở Tài chính"));
    assert_eq!(
        (snv["committed"].as_i64(), stc["committed"].as_i64(), stc["available"].as_i64()),
        (Some(15_000_000), Some(30_000_000), Some(20_000_000))
    );

    // The class runs: its three learners (nominated and given results on the
    // roster, as crates/web/tests/classes.rs walks through) are enrolled with
    // their results and costs; the class opens, starts and is finished.
    let before = app
        .get("/api/v1/dashboard?as_of=2026-06-30", &admin)
        .await
        .json();
    assert_eq!(target_met(&before, "1"), 1);
    let r = app.post("/api/v1/classes/2/actions/open", &admin, json!({})).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    {
        let mut store = Store::open(&app.db.url()).unwrap();
        let mut c = ChangeSet::new("test", "Học viên lớp LLCT-2026-01");
        for (person, unit, cost) in [(2, 2, 14_000_000), (3, 3, 14_250_000), (4, 3, 14_250_000)] {
            c.record(
                Entity::New,
                Validity::since(d(2026, 3, 2)),
                Fact::Enrolment(Enrolment {
                    person_id: person,
                    programme_id: 2,
                    class_id: Some(2),
                    nominated_by: Some(unit),
                    status: EnrolmentStatus::Nominated,
                    starts_on: d(2026, 3, 2),
                    ends_on: d(2026, 5, 29),
                    attendance_pct: Some(95),
                    result: Some("Khá".into()),
                    certificate: Some(format!("LLCT-2026-{person}")),
                    cost,
                    funding: FundingSource::StateBudget,
                    note: None,
                }),
            );
        }
        store.apply(&c).unwrap();
        app.state.plan.as_ref().unwrap().invalidate();
    }
    let r = app.post("/api/v1/classes/2/actions/start", &admin, json!({})).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    app.clock("2026-06-15T03:00:00Z");
    // Finishing writes the completions and settles what the learners cost.
    let r = app.post("/api/v1/classes/2/actions/finish", &admin, json!({})).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    let settle = json!({ "settled_on": "2026-06-15", "payments": [
        { "unit_id": 2, "source": "state_budget", "amount": 14_000_000, "document": "Chứng từ 12/2026" },
        { "unit_id": 3, "source": "state_budget", "amount": 28_500_000 } ] });
    assert_eq!(
        app.post("/api/v1/budget/classes/2/settlement", &finance, settle)
            .await
            .status,
        StatusCode::BAD_REQUEST,
        "settled once, at the finish"
    );

    // The variance by unit, source and programme.
    let b = app.get("/api/v1/budget?year=2026", &leader).await.json();
    let row = |list: &str, label: &str| {
        b[list]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["label"] == label)
            .unwrap()
            .clone()
    };
    let s = row("by_unit", "Sở Tài chính");
    assert_eq!(
        (
            s["allocated"].as_i64(),
            s["committed"].as_i64(),
            s["spent"].as_i64(),
            s["released"].as_i64(),
            s["available"].as_i64(),
            s["variance"].as_i64()
        ),
        (
            Some(50_000_000),
            Some(30_000_000),
            Some(28_500_000),
            Some(1_500_000),
            Some(21_500_000),
            Some(-1_500_000)
        )
    );
    let src = row("by_source", "Ngân sách nhà nước");
    assert_eq!(
        (
            src["allocated"].as_i64(),
            src["spent"].as_i64(),
            src["available"].as_i64()
        ),
        (Some(70_000_000), Some(42_500_000), Some(27_500_000))
    );
    // The plan's cost by source against the allocations.
    let planned = b["plan_by_source"]
        .as_array()
        .unwrap()
        .iter()
        .find(|x| x["source"]["code"] == "state_budget")
        .unwrap()
        .clone();
    assert_eq!(
        (
            planned["planned"].as_i64(),
            planned["allocated"].as_i64(),
            planned["difference"].as_i64()
        ),
        (Some(45_000_000), Some(70_000_000), Some(25_000_000))
    );
    let prog = row("by_programme", "Trung cấp lý luận chính trị");
    assert_eq!(
        (
            prog["committed"].as_i64(),
            prog["spent"].as_i64(),
            prog["variance"].as_i64()
        ),
        (Some(45_000_000), Some(42_500_000), Some(-2_500_000))
    );
    let page = app.get("/budget?year=2026", &finance).await.text();
    assert!(
        page.contains("28.500.000 đ") && page.contains("hoàn lại 2.500.000 đồng"),
        "{page}"
    );
    assert_eq!(
        app.get("/api/v1/budget?year=2026", &hr).await.status,
        StatusCode::FORBIDDEN
    );

    // …and the target moved: all four civil servants now hold political theory.
    let after = app
        .get("/api/v1/dashboard?as_of=2026-06-30", &admin)
        .await
        .json();
    assert_eq!(target_met(&after, "1"), 4);

    // The review's tables as a workbook: the person-times trained since the
    // period began, counted for the groups to encourage. By hand: the seed's
    // two completions of "chuyên viên chính" (2024, two men) and this class's
    // three (2026; persons 2 and 4 are women): 5 in all, 2 women, 40 %.
    let x = app
        .get("/reports/review.xlsx?kind=mid-term&as_of=30/06/2026", &leader)
        .await;
    assert_eq!(x.status, StatusCode::OK, "{}", x.text());
    let book = nangluc_io::sheet::read_bytes("so-ket.xlsx", &x.bytes).unwrap();
    let names: Vec<&str> = book.sheets.iter().map(|s| s.name.as_str()).collect();
    let groups = book
        .sheets
        .iter()
        .find(|s| s.name == "Nhóm ưu tiên")
        .unwrap_or_else(|| panic!("{names:?}"));
    let line = |label: &str| {
        groups
            .rows
            .iter()
            .find(|r| r.cell(0).as_text() == label)
            .map(|r| (1..=3).map(|c| r.cell(c).as_text()).collect::<Vec<_>>())
            .unwrap_or_else(|| panic!("{label}: {groups:?}"))
    };
    assert_eq!(line("Trung cấp lý luận chính trị")[..2], ["3", "2"]);
    assert_eq!(line("Bồi dưỡng ngạch chuyên viên chính")[..2], ["2", "0"]);
    assert_eq!(line("Tổng cộng"), ["5", "2", "0.4"]);
    assert_eq!(
        app.get("/reports/review.xlsx?kind=final", &hr).await.status,
        StatusCode::FORBIDDEN
    );

    // Duties: the overdue row is done once reported, with its file.
    let duties = app.get("/api/v1/duties", &admin).await.json();
    let annual_duty = duties["duties"]
        .as_array()
        .unwrap()
        .iter()
        .find(|x| x["code"] == "1.2b")
        .unwrap()["id"]
        .as_i64()
        .unwrap();
    assert!(
        duties["overdue"]
            .as_array()
            .unwrap()
            .iter()
            .any(|o| o["deadline"] == "2025-08-31"),
        "{duties}"
    );
    let r = app
        .send(
            Request::post(format!("/api/v1/duties/{annual_duty}/files?name=bao-cao-2025.pdf&state=hoan_thanh&deadline=2025-08-31"))
                .header(header::AUTHORIZATION, format!("Bearer {admin}"))
                .header(header::CONTENT_TYPE, "application/pdf")
                .body(Body::from(&b"%PDF-1.4 ke hoach"[..]))
                .unwrap(),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    let duties = app.get("/api/v1/duties", &admin).await.json();
    assert!(
        !duties["overdue"]
            .as_array()
            .unwrap()
            .iter()
            .any(|o| o["deadline"] == "2025-08-31"),
        "{duties}"
    );
    let one = app
        .get(&format!("/api/v1/duties/{annual_duty}"), &leader)
        .await
        .json();
    let file_id = one["files"][0]["id"].as_i64().unwrap();
    let f = app
        .get(&format!("/duties/{annual_duty}/files/{file_id}"), &leader)
        .await;
    assert_eq!(
        (f.status, f.bytes.as_slice()),
        (StatusCode::OK, &b"%PDF-1.4 ke hoach"[..])
    );
    assert_eq!(
        app.post(
            &format!("/api/v1/duties/{annual_duty}/updates"),
            &leader,
            json!({ "state": "hoan_thanh" })
        )
        .await
        .status,
        StatusCode::FORBIDDEN
    );
    let page = app.get("/duties", &admin).await.text();
    assert!(
        page.contains("Trong quý IV hằng năm") && page.contains("31/08/2026"),
        "{page}"
    );

    // The review duty (Q4) reported in progress from its page, with a file.
    let review_duty = duties["duties"]
        .as_array()
        .unwrap()
        .iter()
        .find(|x| x["code"] == "5.6")
        .unwrap()["id"]
        .as_i64()
        .unwrap();
    let page = app.get(&format!("/duties/{review_duty}"), &hr).await.text();
    assert!(page.contains("enctype=\"multipart/form-data\""));
    let body = format!(
        "--b0undary\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n{}\r\n\
         --b0undary\r\nContent-Disposition: form-data; name=\"deadline\"\r\n\r\n2026-12-31\r\n\
         --b0undary\r\nContent-Disposition: form-data; name=\"state\"\r\n\r\ndang_thuc_hien\r\n\
         --b0undary\r\nContent-Disposition: form-data; name=\"note\"\r\n\r\nĐang tổng hợp số liệu\r\n\
         --b0undary\r\nContent-Disposition: form-data; name=\"file\"; filename=\"đề cương.txt\"\r\nContent-Type: text/plain\r\n\r\nĐề cương rà soát\r\n--b0undary--\r\n",
        csrf_of(&page)
    );
    let r = app
        .send(
            Request::post(format!("/duties/{review_duty}/updates"))
                .header(header::AUTHORIZATION, format!("Bearer {hr}"))
                .header(
                    header::CONTENT_TYPE,
                    "multipart/form-data; boundary=b0undary",
                )
                .body(Body::from(body))
                .unwrap(),
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    let one = app
        .get(&format!("/api/v1/duties/{review_duty}"), &admin)
        .await
        .json();
    assert_eq!(
        (
            one["duty"]["state"]["code"].as_str(),
            one["updates"][0]["by"].as_str()
        ),
        (Some("dang_thuc_hien"), Some("hr"))
    );
    assert_eq!(one["files"][0]["file_name"], "đề cương.txt");
    let f = app
        .get(
            &format!("/duties/{review_duty}/files/{}", one["files"][0]["id"]),
            &admin,
        )
        .await;
    assert_eq!(f.bytes, "Đề cương rà soát".as_bytes());

    // A row added by hand: its deadline is read from the Vietnamese wording.
    let row = json!({ "code": "5.2", "task": "Tập huấn kỹ năng, nghiệp vụ quản lý công tác đào tạo, bồi dưỡng", "lead": "Sở Nội vụ",
                      "partners": ["Các sở, ban, ngành"], "when": "02 lần/năm" });
    assert_eq!(
        app.post("/api/v1/duties", &hr, row.clone()).await.status,
        StatusCode::FORBIDDEN
    );
    let r = app.post("/api/v1/duties", &admin, row).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    let one = app
        .get(&format!("/api/v1/duties/{}", r.json()["id"]), &admin)
        .await
        .json();
    // On 15/6/2026 the next of its two yearly deadlines is 30/6.
    assert_eq!(one["duty"]["next_due"], "2026-06-30");
    let bad = json!({ "code": "9", "task": "x", "lead": "y", "when": "khi nào rảnh" });
    let r = app.post("/api/v1/duties", &admin, bad).await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert!(
        r.json()["message"]
            .as_str()
            .unwrap()
            .contains("Không hiểu thời hạn «khi nào rảnh»"),
        "{}",
        r.text()
    );
}

#[tokio::test]
async fn a_browser_session_needs_its_csrf_token_for_api_writes() {
    let app = app();
    // A browser session (cookie), not a bearer token.
    let login = app
        .send(Request::get("/login").body(Body::empty()).unwrap())
        .await;
    let cookie = login
        .headers
        .get_all(header::SET_COOKIE)
        .iter()
        .map(|v| v.to_str().unwrap().split(';').next().unwrap().to_string())
        .find(|c| c.starts_with("nangluc_login="))
        .unwrap();
    let token = cookie.split_once('=').unwrap().1.to_string();
    let r = app
        .send(
            Request::post("/login")
                .header(header::COOKIE, &cookie)
                .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                .body(Body::from(format!(
                    "username=hr&password=pw-hr&csrf={token}&next=/"
                )))
                .unwrap(),
        )
        .await;
    let session = r
        .headers
        .get_all(header::SET_COOKIE)
        .iter()
        .map(|v| v.to_str().unwrap().split(';').next().unwrap().to_string())
        .find(|c| c.starts_with("nangluc_session="))
        .unwrap();
    let post = |csrf: Option<String>| {
        let mut b = Request::post("/api/v1/annual-plans")
            .header(header::COOKIE, &session)
            .header(header::CONTENT_TYPE, "application/json");
        if let Some(c) = csrf {
            b = b.header("x-csrf-token", c);
        }
        b.body(Body::from(json!({ "year": 2026 }).to_string()))
            .unwrap()
    };
    assert_eq!(app.send(post(None)).await.status, StatusCode::FORBIDDEN);
    let page = app
        .send(
            Request::get("/annual-plans?year=2026")
                .header(header::COOKIE, &session)
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    let csrf = csrf_of(&page.text());
    assert_eq!(app.send(post(Some(csrf))).await.status, StatusCode::CREATED);
}

#[tokio::test]
async fn openapi_lists_the_annual_plan_paths() {
    let doc = nangluc_web::api::openapi_document();
    for p in [
        "/api/v1/annual-plans",
        "/api/v1/annual-plans/{id}/{action}",
        "/api/v1/province-plans/{year}/approve",
        "/api/v1/budget",
        "/api/v1/budget/classes/{id}/settlement",
        "/api/v1/duties/{id}/files",
        "/api/v1/reports/annual-plan.docx",
    ] {
        assert!(doc["paths"][p].is_object(), "{p} missing");
    }
    assert!(doc["components"]["schemas"]["AnnualPlan"].is_object());
    // The older paths are still there.
    assert!(doc["paths"]["/api/v1/dashboard"].is_object());
}

/// The unit's HR officer does it all from the pages (forms with their CSRF
/// token): starts the plan, adds a line, submits; the leadership reads it
/// without any form; another unit's officer is refused.
#[tokio::test]
async fn a_unit_officer_works_from_the_pages() {
    let app = app();
    let (hr3, hr, leader) = (
        app.token("hr3").await,
        app.token("hr").await,
        app.token("leader").await,
    );
    app.clock("2025-08-25T03:00:00Z");
    let home = app.get("/", &hr3).await.text();
    assert!(home.contains("Kế hoạch đào tạo, bồi dưỡng năm 2026 của đơn vị: chưa lập — hạn gửi Sở Nội vụ 31/08/2025 (còn 6 ngày)."), "{home}");
    let page = app.get("/annual-plans?year=2026", &hr3).await.text();
    assert!(
        page.contains("Thực hiện Kế hoạch đào tạo, bồi dưỡng thử nghiệm của tỉnh")
            && page.contains("Lập kế hoạch năm 2026"),
        "{page}"
    );
    let csrf = csrf_of(&page);
    let r = app
        .form(
            "/annual-plans",
            &hr3,
            &format!("csrf={csrf}&unit_id=3&year=2026"),
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    let location = r.headers[header::LOCATION].to_str().unwrap().to_string();
    let id: i64 = location
        .trim_start_matches("/annual-plans/")
        .parse()
        .unwrap();

    // A form without its token changes nothing.
    let r = app
        .form(
            &format!("/annual-plans/{id}/lines"),
            &hr3,
            "programme=LLCT-TC&person_times=2",
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let r = app
        .form(
            &format!("/annual-plans/{id}/lines"),
            &hr3,
            &format!("csrf={csrf}&programme=LLCT-TC&target_id=1&classes=1&person_times=2&cost_state_budget=30.000.000&people=3%2C+4&note=L%E1%BB%9Bp+t%E1%BA%A1i+t%E1%BB%89nh"),
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    let page = app.get(&location, &hr3).await.text();
    assert!(
        page.contains("Trung cấp lý luận chính trị")
            && page.contains("30.000.000 đ")
            && page.contains("Lê Văn Bình"),
        "{page}"
    );
    assert!(page.contains("Kế hoạch đáp ứng nhu cầu năm 2026"), "{page}");
    // Whom to send: the unit's people short of a target, with their numbers.
    assert!(
        page.contains("Người của đơn vị chưa đạt chỉ tiêu")
            && page.contains("Chỉ tiêu 1: Lê Văn Bình — mã số <strong>3</strong>"),
        "{page}"
    );
    // The officer of unit 2 may neither read nor change unit 3's plan.
    assert_eq!(app.get(&location, &hr).await.status, StatusCode::FORBIDDEN);
    let other = csrf_of(&app.get("/annual-plans?year=2026", &hr).await.text());
    assert_eq!(
        app.form(
            &format!("/annual-plans/{id}/act"),
            &hr,
            &format!("csrf={other}&action=submit")
        )
        .await
        .status,
        StatusCode::FORBIDDEN
    );

    let r = app
        .form(
            &format!("/annual-plans/{id}/act"),
            &hr3,
            &format!("csrf={csrf}&action=submit"),
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    let page = app.get(&location, &leader).await.text();
    assert!(
        page.contains("Đã gửi Sở Nội vụ") && !page.contains("Trễ hạn"),
        "{page}"
    );
    assert!(
        !page.contains("name=\"action\""),
        "the leadership reads only"
    );
    let home = app.get("/", &hr3).await.text();
    assert!(
        home.contains("của đơn vị: Đã gửi Sở Nội vụ — hạn gửi"),
        "{home}"
    );
}

/// The ledger read from the class itself, as the class hooks will call it:
/// class 1 of the seed (planned 250.000.000 đ, two learners sent by the Sở
/// Nội vụ, 5.000.000 đ each from the state budget).
#[tokio::test]
async fn a_class_commits_and_settles_from_its_own_records() {
    let app = app();
    let admin = app.token("admin").await;
    let mut store = Store::open(&app.db.url()).unwrap();
    let b = nangluc_web::annual::class_budget(&mut store, 1, d(2024, 2, 1)).unwrap();
    assert_eq!(
        (
            b.programme.as_str(),
            b.year,
            b.total,
            b.source,
            b.learners_by_unit.clone()
        ),
        (
            "QLNN-CVC",
            2024,
            250_000_000,
            FundingSource::StateBudget,
            vec![(2, 2)]
        )
    );
    let paid = nangluc_web::annual::class_payments(&mut store, 1).unwrap();
    assert_eq!(
        paid.iter()
            .map(|p| (p.unit_id, p.source, p.amount))
            .collect::<Vec<_>>(),
        vec![(2, FundingSource::StateBudget, 10_000_000)]
    );
    assert!(nangluc_web::annual::class_budget(&mut store, 99, d(2024, 2, 1)).is_err());

    // Through the API without a body: the same figures.
    let r = app
        .send(
            Request::post("/api/v1/budget/classes/1/commitment")
                .header(header::AUTHORIZATION, format!("Bearer {admin}"))
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    assert_eq!(
        r.json()["warning"],
        "Kế hoạch năm 2024 của tỉnh chưa được phê duyệt."
    );
    assert_eq!(
        r.json()["commitments"],
        json!([{ "unit_id": 2, "source": "state_budget", "amount": 250_000_000 }])
    );
    let r = app
        .post(
            "/api/v1/budget/classes/1/settlement",
            &admin,
            json!({ "settled_on": "2024-06-10" }),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    assert_eq!(
        (r.json()["spent"].as_i64(), r.json()["released"].as_i64()),
        (Some(10_000_000), Some(240_000_000))
    );
    let b = app.get("/api/v1/budget?year=2024", &admin).await.json();
    assert_eq!(b["by_unit"][0]["label"], "Sở Nội vụ");
    assert_eq!(b["by_unit"][0]["spent"], 10_000_000);
}
