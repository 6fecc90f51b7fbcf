//! A class's commitment split by funding source on approval, settled per
//! source, and the variance by unit and source, through the router; every
//! figure by hand.

mod common;

use axum::http::StatusCode;
use nangluc_core::training::{
    Class, ClassStatus, Enrolment, EnrolmentStatus, FundingSource, StudyForm,
};
use nangluc_core::{ChangeSet, Entity, Fact, Validity};
use nangluc_store::{NewAllocation, Stamp, Store};
use serde_json::Value;

use common::app::{App, app, csrf_of};
use common::d;

/// Class 2 of programme 1, proposed for 2026 at 100.000.000 đ, with three
/// nominated learners: An and Ánh sent by the Sở Nội vụ (unit 2), Bình by
/// the Sở Tài chính (unit 3). Allocations of 2026 from the state budget:
/// 100.000.000 to unit 2, 50.000.000 to unit 3.
fn setup(app: &App) {
    let mut store = Store::open(&app._db.url()).unwrap();
    let mut c = ChangeSet::new("test", "Lớp năm 2026");
    c.record(
        Entity::Given(2),
        Validity::since(d(2026, 1, 5)),
        Fact::Class(Class {
            code: "CVC-2026-01".into(),
            programme_id: 1,
            institution_id: 1,
            starts_on: d(2026, 3, 2),
            ends_on: d(2026, 5, 29),
            place: "Đà Lạt".into(),
            form: StudyForm::FullTime,
            min_size: 1,
            max_size: 50,
            status: ClassStatus::Proposed,
            planned_cost: 100_000_000,
            target_group: None,
            unit_quotas: Vec::new(),
        }),
    );
    for (person_id, unit) in [(1, 2), (2, 2), (3, 3)] {
        c.record(
            Entity::New,
            Validity::since(d(2026, 1, 10)),
            Fact::Enrolment(Enrolment {
                person_id,
                programme_id: 1,
                class_id: Some(2),
                nominated_by: Some(unit),
                status: EnrolmentStatus::Nominated,
                starts_on: d(2026, 3, 2),
                ends_on: d(2026, 5, 29),
                attendance_pct: None,
                result: None,
                certificate: None,
                cost: 0,
                funding: FundingSource::StateBudget,
                note: None,
            }),
        );
    }
    store.apply(&c).unwrap();
    let s = Stamp::new("finance", chrono::Utc::now());
    for (unit_id, amount) in [(2, 100_000_000), (3, 50_000_000)] {
        store
            .add_allocation(
                &NewAllocation {
                    year: 2026,
                    unit_id,
                    source: "state_budget".into(),
                    programme: None,
                    amount,
                    note: None,
                },
                &s,
            )
            .unwrap();
    }
}

fn form(fields: &[(&str, &str)]) -> String {
    fields
        .iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect::<Vec<_>>()
        .join("&")
}

fn rows(v: &Value) -> Vec<(String, i64, i64, i64, i64, i64, i64)> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|r| {
            let n = |k: &str| r[k].as_i64().unwrap();
            (
                r["label"].as_str().unwrap().to_string(),
                n("allocated"),
                n("committed"),
                n("spent"),
                n("released"),
                n("available"),
                n("variance"),
            )
        })
        .collect()
}

#[tokio::test]
async fn a_class_committed_by_source_settles_per_source() {
    let app = app();
    setup(&app);
    let admin = app.login("admin").await;
    let page = app.get("/classes/2", Some(&admin)).await.body;
    assert!(
        page.contains("name=\"cost_state_budget\""),
        "the approval asks for the split"
    );
    let csrf = csrf_of(&page);

    // A split that does not add up to the class's cost: refused, nothing written.
    let r = app
        .post_form(
            "/classes/2/actions/approve",
            Some(&admin),
            &form(&[
                ("csrf", &csrf),
                ("cost_state_budget", "60.000.000"),
                ("cost_unit", "30.000.000"),
            ]),
        )
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert!(
        r.body.contains("Kinh phí theo nguồn: tổng 90.000.000 đ phải bằng kinh phí dự kiến của lớp 100.000.000 đ."),
        "{}",
        r.body
    );
    assert!(
        app.get("/classes/2", Some(&admin))
            .await
            .body
            .contains("id=\"action-approve\""),
        "still proposed"
    );
    let finance = app.login("finance").await;
    let b = app
        .get("/api/v1/budget?year=2026", Some(&finance))
        .await
        .json();
    assert!(b["open_classes"].as_array().unwrap().is_empty(), "{b}");

    // 60 M state budget, 30 M the units, 10 M the learners.
    let r = app
        .post_form(
            "/classes/2/actions/approve",
            Some(&admin),
            &form(&[
                ("csrf", &csrf),
                ("cost_state_budget", "60.000.000"),
                ("cost_unit", "30.000.000"),
                ("cost_learner", "10.000.000"),
                ("cost_sponsor", ""),
            ]),
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let b = app
        .get("/api/v1/budget?year=2026", Some(&finance))
        .await
        .json();
    let open = &b["open_classes"][0];
    let parts: Vec<(i64, String, i64)> = open["parts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            (
                p["unit_id"].as_i64().unwrap(),
                p["source"]["code"].as_str().unwrap().to_string(),
                p["committed"].as_i64().unwrap(),
            )
        })
        .collect();
    let mut parts = parts;
    parts.sort();
    // Each source split 2 : 1 over the units; 10 M: 6.666.666 r 2 and 3.333.333 r 1, the đồng left to unit 2.
    assert_eq!(
        parts,
        vec![
            (2, "learner".into(), 6_666_667),
            (2, "state_budget".into(), 40_000_000),
            (2, "unit".into(), 20_000_000),
            (3, "learner".into(), 3_333_333),
            (3, "state_budget".into(), 20_000_000),
            (3, "unit".into(), 10_000_000),
        ]
    );

    // Settled from the budget page: the state budget under, the units' share
    // unspent, the learners' share 1 M over.
    let page = app.get("/budget?year=2026", Some(&finance)).await.body;
    let r = app
        .post_form(
            "/budget/classes/2/settlement",
            Some(&finance),
            &form(&[
                ("csrf", &csrf_of(&page)),
                ("settled_on", "2026-06-10"),
                ("paid_2_state_budget", "38.000.000"),
                ("paid_3_state_budget", "20.000.000"),
                ("paid_2_learner", "9.000.000"),
                ("paid_3_learner", "2.000.000"),
                ("paid_2_unit", "0"),
                ("paid_3_unit", "0"),
                ("year", "2026"),
            ]),
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let b = app
        .get("/api/v1/budget?year=2026", Some(&finance))
        .await
        .json();
    let by_source: Vec<(String, i64, i64, i64, i64)> = b["settlements"][0]["by_source"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| {
            (
                x["source"]["code"].as_str().unwrap().to_string(),
                x["committed"].as_i64().unwrap(),
                x["spent"].as_i64().unwrap(),
                x["released"].as_i64().unwrap(),
                x["overrun"].as_i64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        by_source,
        vec![
            ("state_budget".into(), 60_000_000, 58_000_000, 2_000_000, 0),
            ("unit".into(), 30_000_000, 0, 30_000_000, 0),
            ("learner".into(), 10_000_000, 11_000_000, 0, 1_000_000),
        ]
    );
    assert_eq!(
        (
            b["settlements"][0]["committed"].as_i64(),
            b["settlements"][0]["spent"].as_i64()
        ),
        (Some(100_000_000), Some(69_000_000))
    );
    // Variance by source: state 150 M allocated, 58 M spent, 2 M released → 92 M available.
    assert_eq!(
        rows(&b["by_source"]),
        vec![
            (
                "Ngân sách nhà nước".into(),
                150_000_000,
                60_000_000,
                58_000_000,
                2_000_000,
                92_000_000,
                -2_000_000
            ),
            (
                "Đơn vị".into(),
                0,
                30_000_000,
                0,
                30_000_000,
                0,
                -30_000_000
            ),
            (
                "Cá nhân".into(),
                0,
                10_000_000,
                11_000_000,
                0,
                -11_000_000,
                1_000_000
            ),
        ]
    );
    // By unit: unit 2 committed 40 + 20 + 6,666667 M, spent 47 M.
    assert_eq!(
        rows(&b["by_unit"]),
        vec![
            (
                "Sở Nội vụ".into(),
                100_000_000,
                66_666_667,
                47_000_000,
                19_666_667,
                53_000_000,
                -19_666_667
            ),
            (
                "Sở Tài chính".into(),
                50_000_000,
                33_333_333,
                22_000_000,
                11_333_333,
                28_000_000,
                -11_333_333
            ),
        ]
    );
    let page = app.get("/budget?year=2026", Some(&finance)).await.body;
    assert!(
        page.contains("class=\"list compact by-source\""),
        "the settlement shows its sources"
    );
}

/// Without a split typed, the class is committed as the year's accepted
/// plans fund its programme; before any plan, as its learners are funded.
#[tokio::test]
async fn without_a_split_the_learners_funding_decides() {
    let app = app();
    setup(&app);
    let admin = app.login("admin").await;
    let csrf = csrf_of(&app.get("/classes/2", Some(&admin)).await.body);
    let r = app
        .post_form(
            "/classes/2/actions/approve",
            Some(&admin),
            &form(&[("csrf", &csrf)]),
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let b = app
        .get("/api/v1/budget?year=2026", Some(&admin))
        .await
        .json();
    let mut parts: Vec<(i64, String, i64)> = b["open_classes"][0]["parts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            (
                p["unit_id"].as_i64().unwrap(),
                p["source"]["code"].as_str().unwrap().to_string(),
                p["committed"].as_i64().unwrap(),
            )
        })
        .collect();
    parts.sort();
    // All three state funded: 100 M split 2 : 1 → 66.666.667 and 33.333.333.
    assert_eq!(
        parts,
        vec![
            (2, "state_budget".into(), 66_666_667),
            (3, "state_budget".into(), 33_333_333)
        ]
    );
}
