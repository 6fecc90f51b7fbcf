//! Duties limited to their lead agency: status updates and files by the lead
//! agency's officers and the Sở Nội vụ; comments by the partners (and by
//! every unit on rows led collectively); refusals with the reason, by role.

mod common;

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use nangluc_store::{NewAccount, NewDuty, Stamp, Store};
use serde_json::{Value, json};

use common::app::{App, Reply, app};

/// Three rows of a matrix: 5.6 led by the Sở Nội vụ with the Sở Tài chính;
/// 1.2b led by every department collectively; 7.1 led by the Sở Tài chính
/// with the Ban Tổ chức Tỉnh ủy (not a unit of the province's tree). Plus an
/// HR officer of the Sở Tài chính (unit 3).
fn setup(app: &App) -> (i64, i64, i64) {
    let mut store = Store::open(&app._db.url()).unwrap();
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
    let duty = |code: &str, lead: &str, partners: &[&str]| NewDuty {
        code: code.into(),
        task: format!("Nhiệm vụ {code}"),
        lead: lead.into(),
        partners: partners.iter().map(|p| p.to_string()).collect(),
        products: None,
        when_text: "Thường xuyên".into(),
        due_rules: "[]".into(),
    };
    let ids = store
        .create_duties(
            &[
                duty("5.6", "Sở Nội vụ", &["Sở Tài chính"]),
                duty(
                    "1.2b",
                    "Các Sở, Ban ngành, đơn vị sự nghiệp trực thuộc UBND tỉnh",
                    &["Sở Nội vụ"],
                ),
                duty("7.1", "Sở Tài chính", &["Ban Tổ chức Tỉnh ủy"]),
            ],
            &Stamp::new("admin", chrono::Utc::now()),
        )
        .unwrap();
    (ids[0], ids[1], ids[2])
}

async fn token(app: &App, user: &str) -> String {
    let r = app
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

async fn post(app: &App, path: &str, token: &str, body: Value) -> Reply {
    app.send(
        Request::post(path)
            .header(header::AUTHORIZATION, format!("Bearer {token}"))
            .header(header::CONTENT_TYPE, "application/json")
            .body(Body::from(body.to_string()))
            .unwrap(),
    )
    .await
}

async fn update(app: &App, token: &str, duty: i64, state: &str) -> Reply {
    post(
        app,
        &format!("/api/v1/duties/{duty}/updates"),
        token,
        json!({ "state": state, "note": "tiến độ" }),
    )
    .await
}

async fn comment(app: &App, token: &str, duty: i64, note: &str) -> Reply {
    post(
        app,
        &format!("/api/v1/duties/{duty}/comments"),
        token,
        json!({ "note": note }),
    )
    .await
}

async fn state_of(app: &App, token: &str, duty: i64) -> String {
    let r = app
        .send(
            Request::get(format!("/api/v1/duties/{duty}"))
                .header(header::AUTHORIZATION, format!("Bearer {token}"))
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    r.json()["duty"]["state"]["code"]
        .as_str()
        .unwrap()
        .to_string()
}

#[tokio::test]
async fn each_role_posts_what_its_agency_may() {
    let app = app();
    let (a, b, c) = setup(&app);
    let admin = token(&app, "admin").await;
    let hr = token(&app, "hr").await; // Sở Nội vụ's subtree
    let hr3 = token(&app, "hr3").await; // Sở Tài chính
    let finance = token(&app, "finance").await; // Sở Tài chính
    let leader = token(&app, "leader").await;
    let school = token(&app, "school").await;

    // The Sở Nội vụ (admin) updates every row.
    for d in [a, b, c] {
        assert_eq!(
            update(&app, &admin, d, "dang_thuc_hien").await.status,
            StatusCode::CREATED
        );
    }
    // The lead agency's officers update their rows.
    assert_eq!(
        update(&app, &hr, a, "hoan_thanh").await.status,
        StatusCode::CREATED
    );
    assert_eq!(state_of(&app, &admin, a).await, "hoan_thanh");
    assert_eq!(
        update(&app, &hr3, c, "hoan_thanh").await.status,
        StatusCode::CREATED
    );
    assert_eq!(
        update(&app, &finance, c, "hoan_thanh").await.status,
        StatusCode::CREATED
    );

    // A partner may not update, with the reason; it may comment.
    let r = update(&app, &hr3, a, "chua_thuc_hien").await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert_eq!(r.json()["error"], "forbidden");
    assert!(
        r.json()["message"]
            .as_str()
            .unwrap()
            .starts_with("Cơ quan phối hợp chỉ được ghi ý kiến về nhiệm vụ 5.6"),
        "{}",
        r.body
    );
    assert_eq!(
        state_of(&app, &admin, a).await,
        "hoan_thanh",
        "the refusal changed nothing"
    );
    assert_eq!(
        comment(&app, &hr3, a, "Sở Tài chính đã gửi số liệu")
            .await
            .status,
        StatusCode::CREATED
    );
    assert_eq!(
        comment(&app, &finance, a, "Đã bố trí kinh phí")
            .await
            .status,
        StatusCode::CREATED
    );
    assert_eq!(
        update(&app, &finance, a, "chua_thuc_hien").await.status,
        StatusCode::FORBIDDEN
    );
    // Nor attach a file.
    let r = app
        .send(
            Request::post(format!(
                "/api/v1/duties/{a}/files?name=bao-cao.pdf&state=hoan_thanh"
            ))
            .header(header::AUTHORIZATION, format!("Bearer {hr3}"))
            .header(header::CONTENT_TYPE, "application/pdf")
            .body(Body::from(&b"%PDF-1.4"[..]))
            .unwrap(),
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.body);

    // A row led collectively: the Sở Nội vụ follows it; units comment.
    let r = update(&app, &hr, b, "hoan_thanh").await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert_eq!(
        comment(&app, &hr, b, "Đã gửi kế hoạch năm").await.status,
        StatusCode::CREATED
    );
    assert_eq!(
        comment(&app, &hr3, b, "Đã gửi kế hoạch năm").await.status,
        StatusCode::CREATED
    );

    // Neither lead nor partner: refused, with who may.
    let r = update(&app, &hr, c, "chua_thuc_hien").await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let why = r.json()["message"].as_str().unwrap().to_string();
    assert!(
        why.starts_with(
            "Chỉ cơ quan chủ trì nhiệm vụ 7.1 (Sở Tài chính) và Sở Nội vụ được cập nhật tiến độ"
        ),
        "{why}"
    );
    assert_eq!(
        comment(&app, &hr, c, "x").await.status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(state_of(&app, &admin, c).await, "hoan_thanh");
    // Roles without an agency.
    for t in [&leader, &school] {
        assert_eq!(
            update(&app, t, a, "hoan_thanh").await.status,
            StatusCode::FORBIDDEN
        );
        assert_eq!(comment(&app, t, a, "x").await.status, StatusCode::FORBIDDEN);
    }
    // An empty comment names the field.
    let r = comment(&app, &hr3, a, "  ").await;
    assert_eq!(
        (r.status, r.json()["message"].as_str()),
        (StatusCode::BAD_REQUEST, Some("Ý kiến: chưa nhập nội dung."))
    );

    let one = app
        .send(
            Request::get(format!("/api/v1/duties/{a}"))
                .header(header::AUTHORIZATION, format!("Bearer {leader}"))
                .body(Body::empty())
                .unwrap(),
        )
        .await
        .json();
    let comments: Vec<(&str, &str)> = one["comments"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| (c["by"].as_str().unwrap(), c["note"].as_str().unwrap()))
        .collect();
    assert_eq!(
        comments,
        vec![
            ("hr3", "Sở Tài chính đã gửi số liệu"),
            ("finance", "Đã bố trí kinh phí")
        ]
    );
}

/// The page shows each viewer only the form it may use.
#[tokio::test]
async fn the_duty_page_hides_the_forms_a_viewer_cannot_use() {
    let app = app();
    let (a, _, c) = setup(&app);
    let hr = app.login("hr").await;
    let hr3 = app.login("hr3").await;
    let update_form = |d: i64| format!("action=\"/duties/{d}/updates\"");
    let comment_form = |d: i64| format!("action=\"/duties/{d}/comments\"");

    let page = app.get(&format!("/duties/{a}"), Some(&hr)).await.body;
    assert!(page.contains(&update_form(a)) && !page.contains(&comment_form(a)));
    let page = app.get(&format!("/duties/{a}"), Some(&hr3)).await.body;
    assert!(
        !page.contains(&update_form(a)) && page.contains(&comment_form(a)),
        "{page}"
    );
    let page = app.get(&format!("/duties/{c}"), Some(&hr)).await.body;
    assert!(!page.contains(&update_form(c)) && !page.contains(&comment_form(c)));
    assert!(page.contains("Chỉ cơ quan chủ trì nhiệm vụ 7.1 (Sở Tài chính) và Sở Nội vụ"));

    // The partner's comment from the page.
    let page = app.get(&format!("/duties/{a}"), Some(&hr3)).await.body;
    let csrf = common::app::csrf_of(&page);
    let r = app
        .post_form(
            &format!("/duties/{a}/comments"),
            Some(&hr3),
            &format!("csrf={csrf}&note=S%E1%BB%91+li%E1%BB%87u+%C4%91%C3%A3+g%E1%BB%ADi"),
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let page = app.get(&format!("/duties/{a}"), Some(&hr)).await.body;
    assert!(
        page.contains("Số liệu đã gửi") && page.contains("Ý kiến của cơ quan phối hợp"),
        "{page}"
    );
    // A form post refused: the page says why, in Vietnamese.
    let r = app
        .post_form(
            &format!("/duties/{c}/comments"),
            Some(&hr),
            &format!(
                "csrf={}&note=x",
                common::app::csrf_of(&app.get(&format!("/duties/{a}"), Some(&hr)).await.body)
            ),
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert!(
        r.body
            .contains("Đơn vị của tài khoản này không chủ trì, không phối hợp nhiệm vụ này."),
        "{}",
        r.body
    );
}
