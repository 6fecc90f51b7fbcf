//! Service commitments after state-funded postgraduate training, through the
//! router: recorded from the person's page under the rule of the person and
//! posting day, left early with the compensation computed by hand, paid by
//! finance; refused to whoever does not keep the person.

mod common;

use axum::http::StatusCode;
use nangluc_core::qualification::QualificationKind;
use nangluc_core::training::{
    Class, ClassStatus, Enrolment, EnrolmentStatus, FundingSource, Grant, Programme, StudyForm,
    Topic, TrainingKind,
};
use nangluc_core::{ChangeSet, Entity, Fact, Validity};
use nangluc_store::{NewAccount, Store};

use common::app::{App, app, csrf_of};
use common::d;

fn enc(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

fn form(fields: &[(&str, &str)]) -> String {
    fields
        .iter()
        .map(|(k, v)| format!("{k}={}", enc(v)))
        .collect::<Vec<_>>()
        .join("&")
}

/// An HR officer of the Sở Tài chính (unit 3), who does not keep the people
/// of the Sở Nội vụ.
fn add_hr3(db: &common::TempDb) {
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
}

async fn page_csrf(app: &App, cookie: &str, path: &str) -> (String, String) {
    let r = app.get(path, Some(cookie)).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let csrf = csrf_of(&r.body);
    (r.body, csrf)
}

async fn record(
    app: &App,
    cookie: &str,
    person: i64,
    fields: &[(&str, &str)],
) -> common::app::Reply {
    let (_, csrf) = page_csrf(app, cookie, &format!("/people/{person}")).await;
    let mut all = vec![("csrf", csrf.as_str())];
    all.extend_from_slice(fields);
    app.post_form(
        &format!("/people/{person}/commitments"),
        Some(cookie),
        &form(&all),
    )
    .await
}

fn id_from(location: &str) -> i64 {
    location.rsplit('-').next().unwrap().parse().unwrap()
}

const MASTER_2024: &[(&str, &str)] = &[
    ("degree_level", "thac_si"),
    ("course", "Thạc sĩ Quản lý công"),
    ("institution", "Học viện Hành chính Quốc gia"),
    ("decision", "125/QĐ-SNV"),
    ("posted_on", "15/08/2024"),
    ("course_starts_on", "01/09/2024"),
    ("course_ends_on", "31/08/2026"),
    ("cost", "120.000.000"),
];

/// Nguyễn Văn An, a civil servant of the Sở Nội vụ's subtree since 1/1/2015,
/// male, Kinh, sent on 15/8/2024 to a master's course of 24 months
/// (1/9/2024 – 31/8/2026) costing F = 120.000.000 đ: Decree 101/2017,
/// T1 = 2 × 24 = 48 months, to 31/8/2030. He resigns on 10/3/2028: T2 = 18
/// whole months from 1/9/2026 (1/3/2028 ≤ 10/3/2028 < 1/4/2028).
/// S = 120.000.000 / 48 × (48 − 18) = 75.000.000; 9 years of earlier service
/// (1/1/2015 – 15/8/2024) at 1 % → 75.000.000 × 0,91 = 68.250.000 đ.
#[tokio::test]
async fn a_masters_degree_of_2024_left_early_owes_the_hand_computed_amount() {
    let app = app();
    let hr = app.login("hr").await;
    let r = record(&app, &hr, 1, MASTER_2024).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let id = id_from(&r.location());
    let c = app
        .get(&format!("/api/v1/commitments/{id}"), Some(&hr))
        .await
        .json();
    assert_eq!(c["rule"]["code"], "nd_101_2017");
    assert_eq!(
        (
            c["training_months"].as_i64(),
            c["multiplier"].as_i64(),
            c["months_committed"].as_i64()
        ),
        (Some(24), Some(2), Some(48))
    );
    assert_eq!(
        (c["serve_until"].as_str(), c["prior_service_years"].as_i64()),
        (Some("2030-08-31"), Some(9))
    );
    let page = app.get("/people/1", Some(&hr)).await.body;
    assert!(page.contains("2 × 24 = 48 tháng"), "{page}");
    assert!(
        page.contains("chưa đối chiếu văn bản"),
        "the unverified reductions are said"
    );

    // Leaving early, from the person's page.
    let (_, csrf) = page_csrf(&app, &hr, "/people/1").await;
    let r = app
        .post_form(
            &format!("/commitments/{id}/departure"),
            Some(&hr),
            &form(&[
                ("csrf", &csrf),
                ("left_on", "10/03/2028"),
                ("reason", "xin_thoi_viec"),
                ("note", "Đơn xin thôi việc"),
            ]),
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert_eq!(r.location(), format!("/people/1#cam-ket-{id}"));
    let c = app
        .get(&format!("/api/v1/commitments/{id}"), Some(&hr))
        .await
        .json();
    let k = &c["compensation"];
    assert_eq!(
        (
            k["months_served"].as_i64(),
            k["amount_dong"].as_i64(),
            k["reduction"].as_str()
        ),
        (Some(18), Some(68_250_000), Some("9 %"))
    );
    assert_eq!(c["status"]["code"], "phai_den_bu");
    let page = app.get("/people/1", Some(&hr)).await.body;
    for line in [
        "Áp dụng Nghị định 101/2017/NĐ-CP (sửa đổi bởi Nghị định 89/2021/NĐ-CP) (đối tượng: Công chức, cử đi học ngày 15/08/2024)",
        "F (chi phí đào tạo do Nhà nước chi trả) = 120.000.000 đồng",
        "T1 (thời gian cam kết phục vụ) = 2 × 24 tháng đào tạo = 48 tháng, đến hết ngày 31/08/2030",
        "T2 (thời gian đã phục vụ sau khi học xong, tính tròn tháng từ ngày 01/09/2026 đến ngày 10/03/2028) = 18 tháng",
        "S = F / T1 × (T1 − T2) = 120.000.000 / 48 × (48 − 18) = 75.000.000 đồng",
        "Giảm 9,00% cho 9 năm công tác trước khi được cử đi học",
        "Số tiền phải đền bù: 68.250.000 đồng",
    ] {
        assert!(page.contains(line), "missing «{line}» in the working");
    }
    // Once only.
    let r = app
        .post_form(
            &format!("/commitments/{id}/departure"),
            Some(&hr),
            &form(&[
                ("csrf", &csrf),
                ("left_on", "11/03/2028"),
                ("reason", "xin_thoi_viec"),
            ]),
        )
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.body);
    assert!(r.body.contains("đã được tính đền bù"));

    // Finance sees it owed, may not record one, marks it paid.
    let finance = app.login("finance").await;
    let list = app
        .get("/api/v1/commitments?owed=1", Some(&finance))
        .await
        .json();
    assert_eq!(
        (list["owed_count"].as_u64(), list["owed_total"].as_str()),
        (Some(1), Some("68.250.000 đ"))
    );
    assert_eq!(list["items"][0]["person_name"], "Nguyễn Văn An");
    let page = app.get("/commitments?owed=1", Some(&finance)).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        page.body.contains("68.250.000 đ") && page.body.contains("Ghi đã nộp"),
        "{}",
        page.body
    );
    let r = record(&app, &finance, 2, MASTER_2024).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let csrf = csrf_of(&page.body);
    let r = app
        .post_form(
            &format!("/commitments/{id}/paid"),
            Some(&finance),
            &form(&[
                ("csrf", &csrf),
                ("paid_on", "15/04/2028"),
                ("document", "Phiếu thu số 12"),
            ]),
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let c = app
        .get(&format!("/api/v1/commitments/{id}"), Some(&finance))
        .await
        .json();
    assert_eq!(
        (
            c["status"]["code"].as_str(),
            c["compensation"]["paid_on"].as_str(),
            c["compensation"]["paid_by"].as_str()
        ),
        (Some("da_nop"), Some("2028-04-15"), Some("finance"))
    );
    let list = app.get("/api/v1/commitments", Some(&finance)).await.json();
    assert_eq!(
        (list["owed_count"].as_u64(), list["paid_total"].as_str()),
        (Some(0), Some("68.250.000 đ"))
    );
    // The HR officer may not mark payments.
    let r = app
        .post_form(
            &format!("/commitments/{id}/paid"),
            Some(&hr),
            &form(&[
                (
                    "csrf",
                    &csrf_of(&app.get("/people/1", Some(&hr)).await.body),
                ),
                ("paid_on", "16/04/2028"),
            ]),
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
}

/// Đặng Thị Ánh, a civil servant, sent on 1/8/2025 (after 1 July 2025) to an
/// 18-month course (1/9/2025 – 28/2/2027), F = 90.000.000 đ: Decree 171/2025,
/// T1 = 3 × 18 = 54 months, to 28/8/2031. She moves out of the public sector
/// on 20/1/2028: T2 = 10 (1/3/2027 + 10 months = 1/1/2028 ≤ 20/1/2028 <
/// 1/2/2028). S = 90.000.000 × 44 / 54 = 73.333.333,33 → 73.333.333 đ; no
/// reduction under 171 by default.
#[tokio::test]
async fn a_civil_servant_sent_after_1_july_2025_commits_three_times_the_course() {
    let app = app();
    let admin = app.login("admin").await;
    let r = record(
        &app,
        &admin,
        2,
        &[
            ("degree_level", "thac_si"),
            ("course", "Thạc sĩ Luật hiến pháp và luật hành chính"),
            ("institution", "Trường Đại học Luật Hà Nội"),
            ("posted_on", "01/08/2025"),
            ("course_starts_on", "01/09/2025"),
            ("course_ends_on", "28/02/2027"),
            ("cost", "90000000"),
        ],
    )
    .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let id = id_from(&r.location());
    let (_, csrf) = page_csrf(&app, &admin, "/people/2").await;
    let r = app
        .post_form(
            &format!("/commitments/{id}/departure"),
            Some(&admin),
            &form(&[
                ("csrf", &csrf),
                ("left_on", "20/01/2028"),
                ("reason", "chuyen_ra_ngoai"),
            ]),
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let c = app
        .get(&format!("/api/v1/commitments/{id}"), Some(&admin))
        .await
        .json();
    assert_eq!(c["rule"]["code"], "nd_171_2025");
    assert_eq!(
        (c["months_committed"].as_i64(), c["serve_until"].as_str()),
        (Some(54), Some("2031-08-28"))
    );
    assert_eq!(
        (
            c["compensation"]["months_served"].as_i64(),
            c["compensation"]["amount_dong"].as_i64()
        ),
        (Some(10), Some(73_333_333))
    );
    assert!(c["compensation"]["reduction"].is_null());
    let page = app.get("/people/2", Some(&admin)).await.body;
    assert!(
        page.contains("S = F / T1 × (T1 − T2) = 90.000.000 / 54 × (54 − 10) = 73.333.333 đồng"),
        "{page}"
    );
    assert!(page.contains("quy định không giảm theo năm công tác"));
}

#[tokio::test]
async fn only_who_keeps_the_person_records_and_bad_input_writes_nothing() {
    let app = app();
    add_hr3(&app._db);
    // HR of another unit: 403 with the reason.
    let hr3 = app.login("hr3").await;
    let r = record(&app, &hr3, 3, MASTER_2024).await; // a person of their own unit: allowed
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let (_, csrf) = page_csrf(&app, &hr3, "/commitments").await;
    let mut fields = vec![("csrf", csrf.as_str())];
    fields.extend_from_slice(MASTER_2024);
    let r = app
        .post_form("/people/1/commitments", Some(&hr3), &form(&fields))
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert!(
        r.body
            .contains("Chỉ cán bộ tổ chức của đơn vị đang quản lý người này"),
        "{}",
        r.body
    );
    // HR of the Sở Nội vụ cannot leave early the Sở Tài chính's commitment.
    let hr = app.login("hr").await;
    let theirs = app.get("/api/v1/commitments", Some(&hr3)).await.json()["items"][0]["id"]
        .as_i64()
        .unwrap();
    let (_, csrf) = page_csrf(&app, &hr, "/people/1").await;
    let r = app
        .post_form(
            &format!("/commitments/{theirs}/departure"),
            Some(&hr),
            &form(&[
                ("csrf", &csrf),
                ("left_on", "10/03/2028"),
                ("reason", "xin_thoi_viec"),
            ]),
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    // …nor read it in the list.
    assert_eq!(
        app.get("/api/v1/commitments", Some(&hr)).await.json()["items"],
        serde_json::json!([])
    );
    // The leader reads no commitments; the employee only their own.
    let leader = app.login("leader").await;
    assert_eq!(
        app.get("/commitments", Some(&leader)).await.status,
        StatusCode::FORBIDDEN
    );
    let binh = app.login("binh").await;
    let own = app.get("/people/3", Some(&binh)).await.body;
    assert!(
        own.contains("Cam kết phục vụ sau đào tạo sau đại học")
            && !own.contains("Ghi cam kết phục vụ mới")
    );

    // Every problem named, nothing written.
    let r = record(
        &app,
        &hr,
        1,
        &[
            ("degree_level", "dai_hoc"),
            ("course", "Thạc sĩ"),
            ("institution", ""),
            ("posted_on", "31/02/2024"),
            ("course_starts_on", "01/09/2024"),
            ("course_ends_on", "31/08/2026"),
            ("cost", "một trăm triệu"),
        ],
    )
    .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    for what in [
        "Ngày cử đi học: «31/02/2024» không phải ngày",
        "Cơ sở đào tạo: chưa nhập",
        "Trình độ đào tạo: «dai_hoc» không phải đào tạo sau đại học",
        "Chi phí đào tạo do Nhà nước chi trả (F): «một trăm triệu» không phải số tiền",
    ] {
        assert!(r.body.contains(what), "missing «{what}»: {}", r.body);
    }
    // A departure that does not fit: quitting the course after it ended.
    let r = record(&app, &hr, 1, MASTER_2024).await;
    let id = id_from(&r.location());
    let (_, csrf) = page_csrf(&app, &hr, "/people/1").await;
    let r = app
        .post_form(
            &format!("/commitments/{id}/departure"),
            Some(&hr),
            &form(&[
                ("csrf", &csrf),
                ("left_on", "10/03/2028"),
                ("reason", "bo_hoc"),
            ]),
        )
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert!(
        r.body
            .contains("bỏ học chỉ áp dụng khi nghỉ trong thời gian đào tạo (đến ngày 31/08/2026)"),
        "{}",
        r.body
    );
    let list = app.get("/api/v1/commitments", Some(&hr)).await.json();
    let items = list["items"].as_array().unwrap();
    assert_eq!(items.len(), 1, "only the good commitment was written");
    assert!(items[0]["compensation"].is_null());
}

/// A finished master's class, state funded: its page offers the commitments,
/// which are recorded for its learners with each one's cost.
#[tokio::test]
async fn a_finished_postgraduate_class_records_its_learners_commitments() {
    let app = app();
    {
        let mut store = Store::open(&app._db.url()).unwrap();
        let since = Validity::since(d(2015, 1, 1));
        let mut c = ChangeSet::new("test", "Lớp thạc sĩ");
        c.record(
            Entity::Given(2),
            since,
            Fact::Programme(Programme {
                code: "THS-QLC".into(),
                name: "Thạc sĩ Quản lý công".into(),
                kind: TrainingKind::Training,
                topic: Topic::StateManagement,
                legal_basis: "Đề án đào tạo sau đại học của tỉnh".into(),
                duration_periods: 1200,
                grants: Some(Grant {
                    kind: QualificationKind::Education,
                    level: "thac_si".into(),
                    field: Some("quan_ly_cong".into()),
                    language: None,
                }),
            }),
        );
        c.record(
            Entity::Given(2),
            Validity::since(d(2024, 9, 1)),
            Fact::Class(Class {
                code: "THS-2024-01".into(),
                programme_id: 2,
                institution_id: 1,
                starts_on: d(2024, 9, 1),
                ends_on: d(2026, 8, 31),
                place: "Đà Lạt".into(),
                form: StudyForm::PartTime,
                min_size: 1,
                max_size: 30,
                status: ClassStatus::Finished,
                planned_cost: 240_000_000,
                target_group: None,
                unit_quotas: Vec::new(),
            }),
        );
        for (person_id, funding) in [(1, FundingSource::StateBudget), (2, FundingSource::Learner)] {
            c.record(
                Entity::New,
                Validity::since(d(2024, 9, 1)),
                Fact::Enrolment(Enrolment {
                    person_id,
                    programme_id: 2,
                    class_id: Some(2),
                    nominated_by: Some(2),
                    status: EnrolmentStatus::Completed,
                    starts_on: d(2024, 9, 1),
                    ends_on: d(2026, 8, 31),
                    attendance_pct: Some(100),
                    result: Some("Khá".into()),
                    certificate: None,
                    cost: 120_000_000,
                    funding,
                    note: None,
                }),
            );
        }
        store.apply(&c).unwrap();
    }
    let admin = app.login("admin").await;
    let page = app.get("/classes/2", Some(&admin)).await.body;
    assert!(
        page.contains("Ghi cam kết phục vụ cho 1 học viên"),
        "{page}"
    );
    // The seed's class (no degree) offers nothing.
    assert!(
        !app.get("/classes/1", Some(&admin))
            .await
            .body
            .contains("Ghi cam kết phục vụ cho")
    );
    let r = app
        .post_form(
            "/classes/2/service-commitments",
            Some(&admin),
            &form(&[
                ("csrf", &csrf_of(&page)),
                ("posted_on", "15/08/2024"),
                ("decision", "125/QĐ-SNV"),
            ]),
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let list = app.get("/api/v1/commitments", Some(&admin)).await.json();
    let items = list["items"].as_array().unwrap();
    // Only the state-funded learner: An, F = his 120.000.000 đ, T1 = 48.
    assert_eq!(items.len(), 1);
    assert_eq!(
        (
            items[0]["person_id"].as_i64(),
            items[0]["cost"].as_str(),
            items[0]["months_committed"].as_i64(),
            items[0]["class_id"].as_i64(),
            items[0]["degree_obtained"].as_bool()
        ),
        (
            Some(1),
            Some("120.000.000 đ"),
            Some(48),
            Some(2),
            Some(true)
        )
    );
    let page = app.get("/classes/2", Some(&admin)).await.body;
    assert!(
        page.contains("Đã ghi cam kết cho 1 học viên")
            && !page.contains("Ghi cam kết phục vụ cho 1")
    );
    let r = app
        .post_form(
            "/classes/2/service-commitments",
            Some(&admin),
            &form(&[("csrf", &csrf_of(&page))]),
        )
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT);
}
