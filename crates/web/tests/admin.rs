//! Imports in the browser and account management, over HTTP through the router.

mod common;

use axum::body::Body;
use axum::http::{Request, StatusCode, header};

use common::app::{App, Reply, app, csrf_of};

const HEADER: &str = "Số định danh cá nhân,Họ và tên,Ngày sinh,Giới tính,Dân tộc,Mã đơn vị,Loại cán bộ\n";

/// A multipart form as a browser sends it: the CSRF field, the kind, the file.
async fn upload(app: &App, cookie: &str, csrf: &str, kind: &str, name: &str, file: &str) -> Reply {
    let boundary = "----nangluc-test-boundary";
    let mut body = String::new();
    for (field, value) in [("csrf", csrf), ("kind", kind)] {
        body.push_str(&format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{field}\"\r\n\r\n{value}\r\n"));
    }
    body.push_str(&format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{name}\"\r\nContent-Type: text/csv\r\n\r\n{file}\r\n--{boundary}--\r\n"
    ));
    let req = Request::post("/imports")
        .header(header::COOKIE, cookie)
        .header(header::CONTENT_TYPE, format!("multipart/form-data; boundary={boundary}"))
        .body(Body::from(body))
        .unwrap();
    app.send(req).await
}

/// The apply form's action, from a dry-run page.
fn apply_path(body: &str) -> String {
    let at = body.find("action=\"/imports/").expect("an apply form") + "action=\"".len();
    let end = body[at..].find('"').unwrap();
    body[at..at + end].to_string()
}

async fn count_hits(app: &App, cookie: &str, q: &str) -> usize {
    let r = app.get(&format!("/api/v1/people?q={}", q.replace(' ', "+")), Some(cookie)).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    r.json()["items"].as_array().unwrap().len()
}

#[tokio::test]
async fn a_file_with_errors_is_reported_row_by_row_and_changes_nothing() {
    let app = app();
    let admin = app.login("admin").await;
    let csrf = csrf_of(&app.get("/imports", Some(&admin)).await.body);
    let file = format!(
        "{HEADER}068090000010,Trần Thị Cúc,15/08/1990,Nữ,Kinh,SNV-CC,Công chức\n068090000011,Phạm Văn Dũng,31/02/1980,Nam,Kinh,KHONG-CO,Công chức\n"
    );
    let r = upload(&app, &admin, &csrf, "staff", "can-bo.csv", &file).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(r.body.contains("chưa có dữ liệu nào được ghi"), "{}", r.body);
    // Row 3 of the file (the header is row 1): both of its problems, by column.
    let table = &r.body[r.body.find("id=\"import-errors\"").unwrap()..];
    assert!(table.contains("<td data-label=\"Dòng\" class=\"num\">3</td>"), "{table}");
    assert!(table.contains("Ngày sinh") && table.contains("31/02/1980"), "{table}");
    assert!(table.contains("Mã đơn vị") && table.contains("KHONG-CO"), "{table}");
    assert!(!r.body.contains("id=\"import-apply\""), "no apply button for a file with errors");
    assert_eq!(count_hits(&app, &admin, "cuc").await, 0, "the good row was not written either");
}

#[tokio::test]
async fn a_clean_file_is_checked_then_applied_once() {
    let app = app();
    let admin = app.login("admin").await;
    let csrf = csrf_of(&app.get("/imports", Some(&admin)).await.body);
    let file = format!("{HEADER}068090000010,Trần Thị Cúc,15/08/1990,Nữ,Kinh,SNV-CC,Công chức\n");

    // The dry run: what would be created, and nothing written yet.
    let r = upload(&app, &admin, &csrf, "", "can-bo.csv", &file).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert!(r.body.contains("Cán bộ, công chức"), "the kind was recognised from the header: {}", r.body);
    assert!(r.body.contains("id=\"import-apply\""), "{}", r.body);
    assert_eq!(count_hits(&app, &admin, "tran thi cuc").await, 0);

    // Applied: written in one change, which the audit log opens.
    let action = apply_path(&r.body);
    let done = app.post_form(&action, Some(&admin), &format!("csrf={csrf}")).await;
    assert_eq!(done.status, StatusCode::OK, "{}", done.body);
    assert!(done.body.contains("id=\"import-applied\""), "{}", done.body);
    assert_eq!(count_hits(&app, &admin, "tran thi cuc").await, 1);
    let at = done.body.find("href=\"/audit/").unwrap() + "href=\"".len();
    let link = &done.body[at..at + done.body[at..].find('"').unwrap()];
    let change = app.get(link, Some(&admin)).await;
    assert_eq!(change.status, StatusCode::OK);
    assert!(change.body.contains("admin") && change.body.contains("can-bo.csv"), "{}", change.body);

    // The same upload cannot be applied twice, and the same file again changes nothing.
    let again = app.post_form(&action, Some(&admin), &format!("csrf={csrf}")).await;
    assert_eq!(again.status, StatusCode::NOT_FOUND);
    let second = upload(&app, &admin, &csrf, "staff", "can-bo.csv", &file).await;
    assert_eq!(second.status, StatusCode::OK);
    assert!(second.body.contains("id=\"import-nothing\""), "{}", second.body);
    assert_eq!(count_hits(&app, &admin, "tran thi cuc").await, 1);
}

#[tokio::test]
async fn an_upload_is_applied_only_by_the_account_that_checked_it() {
    let app = app();
    let admin = app.login("admin").await;
    let hr = app.login("hr").await;
    let csrf = csrf_of(&app.get("/imports", Some(&hr)).await.body);
    let file = format!("{HEADER}068090000012,Võ Thị Hoa,02/01/1992,Nữ,Kinh,SNV-CC,Công chức\n");
    let r = upload(&app, &hr, &csrf, "staff", "hoa.csv", &file).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let action = apply_path(&r.body);
    let admin_csrf = csrf_of(&app.get("/imports", Some(&admin)).await.body);
    let stolen = app.post_form(&action, Some(&admin), &format!("csrf={admin_csrf}")).await;
    assert_eq!(stolen.status, StatusCode::NOT_FOUND);
    let own = app.post_form(&action, Some(&hr), &format!("csrf={csrf}")).await;
    assert_eq!(own.status, StatusCode::OK, "{}", own.body);
    assert_eq!(count_hits(&app, &admin, "vo thi hoa").await, 1);
}

#[tokio::test]
async fn a_unit_officer_imports_only_within_their_subtree() {
    let app = app();
    let hr = app.login("hr").await;
    let csrf = csrf_of(&app.get("/imports", Some(&hr)).await.body);
    // Sở Tài chính (STC) is outside the Sở Nội vụ's subtree.
    let outside = format!("{HEADER}068090000013,Lý Văn Khoa,02/01/1988,Nam,Kinh,STC,Công chức\n");
    let r = upload(&app, &hr, &csrf, "staff", "khoa.csv", &outside).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(r.body.contains("không thuộc đơn vị của bạn"), "{}", r.body);
    // Lê Văn Bình works in STC: moving him into the officer's own unit is theirs to record.
    let moved = format!("{HEADER}068085000003,Lê Văn Bình,12/04/1985,Nam,Kinh,SNV-CC,Công chức\n");
    let r = upload(&app, &hr, &csrf, "staff", "binh.csv", &moved).await;
    assert_eq!(r.status, StatusCode::OK, "moving a person into one's own unit is the unit's business: {}", r.body);
    // Units are the Sở Nội vụ's: a unit officer may not import them.
    let units = "Mã đơn vị,Tên đơn vị,Cấp,Loại hình,Lĩnh vực,Mã đơn vị cấp trên\nX1,Đơn vị mới,Tỉnh,Cơ quan hành chính,Chung,SNV\n";
    let r = upload(&app, &hr, &csrf, "units", "units.csv", units).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(r.body.contains("không được nhập dữ liệu loại"), "{}", r.body);
    let leader = app.login("leader").await;
    assert_eq!(app.get("/imports", Some(&leader)).await.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn the_api_imports_with_the_same_checks() {
    let app = app();
    let token = {
        let req = Request::post("/api/v1/tokens")
            .header(header::CONTENT_TYPE, "application/json")
            .body(Body::from(r#"{"username":"admin","password":"pw-admin"}"#))
            .unwrap();
        let r = app.send(req).await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
        r.json()["token"].as_str().unwrap().to_string()
    };
    let post = |query: &str, file: String| {
        Request::post(format!("/api/v1/imports?{query}"))
            .header(header::AUTHORIZATION, format!("Bearer {token}"))
            .header(header::CONTENT_TYPE, "application/octet-stream")
            .body(Body::from(file))
            .unwrap()
    };
    let bad = format!("{HEADER}068090000014,Đỗ Văn Lâm,30/13/1990,Nam,Kinh,SNV,Công chức\n");
    let r = app.send(post("file_name=bad.csv&kind=staff&dry_run=false", bad)).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    let errors = r.json()["errors"].as_array().unwrap().clone();
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert_eq!(errors[0]["row"], 2);
    assert_eq!(errors[0]["column"], "Ngày sinh");

    let good = format!("{HEADER}068090000014,Đỗ Văn Lâm,30/12/1990,Nam,Kinh,SNV,Công chức\n");
    let dry = app.send(post("file_name=good.csv&kind=staff", good.clone())).await;
    assert_eq!(dry.status, StatusCode::OK, "{}", dry.body);
    assert!(dry.json()["change_id"].is_null(), "a dry run by default");
    let done = app.send(post("file_name=good.csv&kind=staff&dry_run=false", good)).await;
    assert_eq!(done.status, StatusCode::OK, "{}", done.body);
    assert!(done.json()["change_id"].as_i64().unwrap() > 0);
    let doc = app.get("/api/v1/openapi.json", None).await.json();
    assert!(doc["paths"]["/api/v1/imports"]["post"].is_object());
    assert!(doc["components"]["schemas"]["ImportOutcome"].is_object());
}

// ---------------------------------------------------------------- accounts

#[tokio::test]
async fn an_administrator_creates_locks_and_resets_accounts() {
    let app = app();
    let admin = app.login("admin").await;
    let page = app.get("/accounts", Some(&admin)).await;
    assert_eq!(page.status, StatusCode::OK);
    let csrf = csrf_of(&page.body);

    // Every problem of the form at once.
    let bad = app
        .post_form(
            "/accounts",
            Some(&admin),
            &format!("csrf={csrf}&username=A&display_name=&role=unit_hr&unit_code=KHONG&password=ngan"),
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    for message in ["Tên đăng nhập gồm", "Chưa nhập họ tên", "Không có đơn vị mã", "KHONG", "ít nhất 10 ký tự"] {
        assert!(bad.body.contains(message), "{message}: {}", bad.body);
    }

    // A unit officer of the Sở Tài chính: they sign in and see only its people.
    let ok = app
        .post_form(
            "/accounts",
            Some(&admin),
            &format!("csrf={csrf}&username=hr.stc&display_name=Tổ+chức+STC&role=unit_hr&unit_code=STC&password=mat-khau-dai-1"),
        )
        .await;
    assert_eq!(ok.status, StatusCode::OK, "{}", ok.body);
    assert!(ok.body.contains("Sở Tài chính và các đơn vị trực thuộc"), "{}", ok.body);
    let r = app.try_login("hr.stc", "mat-khau-dai-1").await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let stc = r.set_cookie("nangluc_session").unwrap();
    assert_eq!(app.get("/people/3", Some(&stc)).await.status, StatusCode::OK);
    assert_eq!(app.get("/people/1", Some(&stc)).await.status, StatusCode::FORBIDDEN);
    let dup = app
        .post_form(
            "/accounts",
            Some(&admin),
            &format!("csrf={csrf}&username=hr.stc&display_name=X&role=leader&password=mat-khau-dai-2"),
        )
        .await;
    assert!(dup.body.contains("đã có"), "{}", dup.body);

    // Locking ends the session at once; unlocking lets the user back in.
    let id: i64 = {
        let at = ok.body.find("id=\"account-hr.stc\"").unwrap();
        let rest = &ok.body[at..];
        let a = rest.find("action=\"/accounts/").unwrap() + "action=\"/accounts/".len();
        rest[a..a + rest[a..].find('/').unwrap()].parse().unwrap()
    };
    let lock = app.post_form(&format!("/accounts/{id}/active"), Some(&admin), &format!("csrf={csrf}&active=false")).await;
    assert_eq!(lock.status, StatusCode::SEE_OTHER);
    assert_eq!(app.get("/people/3", Some(&stc)).await.status, StatusCode::SEE_OTHER, "sent to the login page");
    assert_eq!(app.try_login("hr.stc", "mat-khau-dai-1").await.status, StatusCode::UNAUTHORIZED);
    app.post_form(&format!("/accounts/{id}/active"), Some(&admin), &format!("csrf={csrf}&active=true")).await;
    let reset = app.post_form(&format!("/accounts/{id}/password"), Some(&admin), &format!("csrf={csrf}&password=mat-khau-moi-99")).await;
    assert_eq!(reset.status, StatusCode::OK, "{}", reset.body);
    assert_eq!(app.try_login("hr.stc", "mat-khau-dai-1").await.status, StatusCode::UNAUTHORIZED);
    assert_eq!(app.try_login("hr.stc", "mat-khau-moi-99").await.status, StatusCode::SEE_OTHER);

    // Who did what is kept.
    let events = app.get("/accounts", Some(&admin)).await.body;
    let log = &events[events.find("id=\"account-events\"").unwrap()..];
    for action in ["Tạo tài khoản", "Khóa tài khoản", "Mở khóa tài khoản", "Đặt lại mật khẩu"] {
        assert!(log.contains(action), "{action}: {log}");
    }

    // An administrator cannot lock themselves out, and others cannot manage accounts.
    let me_id = {
        let at = events.find("id=\"account-admin\"").unwrap();
        let rest = &events[at..];
        let a = rest.find("action=\"/accounts/").unwrap() + "action=\"/accounts/".len();
        rest[a..a + rest[a..].find('/').unwrap()].parse::<i64>().unwrap()
    };
    let own = app.post_form(&format!("/accounts/{me_id}/active"), Some(&admin), &format!("csrf={csrf}&active=false")).await;
    assert_eq!(own.status, StatusCode::BAD_REQUEST);
    let hr = app.login("hr").await;
    assert_eq!(app.get("/accounts", Some(&hr)).await.status, StatusCode::FORBIDDEN);
    let hr_csrf = csrf_of(&app.get("/", Some(&hr)).await.body);
    let r = app.post_form(&format!("/accounts/{id}/active"), Some(&hr), &format!("csrf={hr_csrf}&active=false")).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
}
