//! A real browser against a real server: Debian's Chromium driven through
//! chromedriver's WebDriver protocol (a few JSON requests, spoken here over a
//! plain TCP stream rather than through a WebDriver crate and its HTTP stack).
//!
//! Fails — never skips — when Chromium or chromedriver is missing: run
//! `scripts/test.sh`, which installs them.

mod common;

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

const CHROMIUM: &str = "/usr/bin/chromium";
const CHROMEDRIVER: &str = "/usr/bin/chromedriver";
const ELEMENT: &str = "element-6066-11e4-a52e-4f735466cecf";

/// One browser at a time: two Chromiums on a small machine make page loads
/// slow enough for a test to read an element of the page it is leaving.
static ONE_BROWSER: std::sync::Mutex<()> = std::sync::Mutex::new(());

fn one_browser() -> std::sync::MutexGuard<'static, ()> {
    ONE_BROWSER.lock().unwrap_or_else(|e| e.into_inner())
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// One HTTP/1.1 request, `Connection: close`, JSON in and out.
fn http(
    port: u16,
    method: &str,
    path: &str,
    body: Option<&Value>,
) -> std::io::Result<(u16, Value)> {
    let mut s = TcpStream::connect(("127.0.0.1", port))?;
    s.set_read_timeout(Some(Duration::from_secs(60)))?;
    let body = body.map(|b| b.to_string()).unwrap_or_default();
    write!(
        s,
        "{method} {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    )?;
    // chromedriver keeps the connection open whatever the request says: read
    // the head, then exactly the body it announces.
    let mut raw = Vec::new();
    let mut buf = [0u8; 64 * 1024];
    let split = loop {
        if let Some(p) = raw.windows(4).position(|w| w == b"\r\n\r\n") {
            break p;
        }
        let n = s.read(&mut buf)?;
        if n == 0 {
            return Err(std::io::ErrorKind::UnexpectedEof.into());
        }
        raw.extend_from_slice(&buf[..n]);
    };
    let head = String::from_utf8_lossy(&raw[..split]).to_string();
    let lower = head.to_ascii_lowercase();
    let length = lower
        .lines()
        .find_map(|l| l.strip_prefix("content-length:"))
        .and_then(|v| v.trim().parse::<usize>().ok());
    let mut payload = raw[split + 4..].to_vec();
    match length {
        Some(len) => {
            while payload.len() < len {
                let n = s.read(&mut buf)?;
                if n == 0 {
                    break;
                }
                payload.extend_from_slice(&buf[..n]);
            }
        }
        None if lower.contains("transfer-encoding: chunked") => {
            while !payload.ends_with(b"0\r\n\r\n") {
                let n = s.read(&mut buf)?;
                if n == 0 {
                    break;
                }
                payload.extend_from_slice(&buf[..n]);
            }
            payload = dechunk(&payload);
        }
        None => {
            s.read_to_end(&mut payload)?;
        }
    }
    let status = head
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    let value = if payload.is_empty() {
        Value::Null
    } else {
        serde_json::from_slice(&payload).unwrap_or(Value::Null)
    };
    Ok((status, value))
}

fn dechunk(mut b: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    while let Some(eol) = b.windows(2).position(|w| w == b"\r\n") {
        let size =
            usize::from_str_radix(String::from_utf8_lossy(&b[..eol]).trim(), 16).unwrap_or(0);
        if size == 0 {
            break;
        }
        out.extend_from_slice(&b[eol + 2..eol + 2 + size]);
        b = &b[eol + 2 + size + 2..];
    }
    out
}

fn base64_decode(s: &str) -> Vec<u8> {
    let val = |c: u8| match c {
        b'A'..=b'Z' => c - b'A',
        b'a'..=b'z' => c - b'a' + 26,
        b'0'..=b'9' => c - b'0' + 52,
        b'+' => 62,
        b'/' => 63,
        _ => 0,
    };
    let clean: Vec<u8> = s.bytes().filter(|c| !c.is_ascii_whitespace()).collect();
    let mut out = Vec::with_capacity(clean.len() * 3 / 4);
    for chunk in clean.chunks(4) {
        let pad = chunk.iter().filter(|&&c| c == b'=').count();
        let n = chunk
            .iter()
            .fold(0u32, |acc, &c| (acc << 6) | u32::from(val(c)));
        let n = n << (6 * (4 - chunk.len()));
        let bytes = [(n >> 16) as u8, (n >> 8) as u8, n as u8];
        out.extend_from_slice(&bytes[..3 - pad.min(2)]);
    }
    out
}

struct Driver {
    child: Child,
    port: u16,
    session: String,
}

impl Driver {
    fn start() -> Driver {
        for bin in [CHROMIUM, CHROMEDRIVER] {
            assert!(
                Path::new(bin).exists(),
                "{bin} không có: hãy chạy scripts/test.sh (cài chromium và chromium-driver) — {bin} is missing: run scripts/test.sh, which installs chromium and chromium-driver"
            );
        }
        let port = free_port();
        let child = Command::new(CHROMEDRIVER)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("chromedriver starts");
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            if let Ok((200, v)) = http(port, "GET", "/status", None)
                && v["value"]["ready"] == true
            {
                break;
            }
            assert!(
                Instant::now() < deadline,
                "chromedriver did not become ready"
            );
            std::thread::sleep(Duration::from_millis(100));
        }
        let profile =
            std::env::temp_dir().join(format!("nangluc-chromium-{}-{port}", std::process::id()));
        let caps = json!({ "capabilities": { "alwaysMatch": {
            "browserName": "chrome",
            "goog:chromeOptions": {
                "binary": CHROMIUM,
                "args": [
                    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                    "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-dev-shm-usage",
                    "--window-size=1366,768", "--lang=vi-VN",
                    format!("--user-data-dir={}", profile.display()),
                ]
            }
        }}});
        let (status, v) = http(port, "POST", "/session", Some(&caps)).expect("new session");
        assert_eq!(status, 200, "chromedriver refused the session: {v}");
        let session = v["value"]["sessionId"]
            .as_str()
            .expect("session id")
            .to_string();
        let driver = Driver {
            child,
            port,
            session,
        };
        // Finding an element waits for it (up to 10 s), as a page opened by a
        // click may still be loading on a busy machine when the URL has changed.
        driver.cmd("POST", "/timeouts", Some(json!({ "implicit": 10_000 })));
        driver
    }

    fn cmd(&self, method: &str, path: &str, body: Option<Value>) -> Value {
        let full = format!("/session/{}{path}", self.session);
        let (status, v) = http(self.port, method, &full, body.as_ref()).expect("webdriver request");
        assert_eq!(status, 200, "{method} {path}: {v}");
        v["value"].clone()
    }

    fn goto(&self, url: &str) {
        self.cmd("POST", "/url", Some(json!({ "url": url })));
    }

    fn find(&self, using: &str, value: &str) -> String {
        let v = self.cmd(
            "POST",
            "/element",
            Some(json!({ "using": using, "value": value })),
        );
        v[ELEMENT]
            .as_str()
            .unwrap_or_else(|| panic!("no element {value}: {v}"))
            .to_string()
    }

    fn css(&self, selector: &str) -> String {
        self.find("css selector", selector)
    }

    fn type_into(&self, element: &str, text: &str) {
        self.cmd(
            "POST",
            &format!("/element/{element}/value"),
            Some(json!({ "text": text })),
        );
    }

    fn click(&self, element: &str) {
        self.cmd(
            "POST",
            &format!("/element/{element}/click"),
            Some(json!({})),
        );
    }

    fn text(&self, element: &str) -> String {
        self.cmd("GET", &format!("/element/{element}/text"), None)
            .as_str()
            .unwrap_or_default()
            .to_string()
    }

    fn url(&self) -> String {
        self.cmd("GET", "/url", None)
            .as_str()
            .unwrap_or_default()
            .to_string()
    }

    /// Waits (up to 15 s) for the navigation a click started to land on a
    /// URL containing `part`; gives the URL.
    fn wait_url(&self, part: &str) -> String {
        self.wait_url_until(|u| u.contains(part))
    }

    /// The same for a URL ending with `end`.
    fn wait_url_end(&self, end: &str) -> String {
        self.wait_url_until(|u| u.ends_with(end))
    }

    fn wait_url_until(&self, done: impl Fn(&str) -> bool) -> String {
        let deadline = Instant::now() + Duration::from_secs(15);
        loop {
            let url = self.url();
            if done(&url) || Instant::now() > deadline {
                return url;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    fn screenshot(&self, path: &Path) {
        let png = base64_decode(
            self.cmd("GET", "/screenshot", None)
                .as_str()
                .expect("base64 PNG"),
        );
        assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n", "a PNG");
        std::fs::write(path, png).unwrap();
    }
}

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = http(
            self.port,
            "DELETE",
            &format!("/session/{}", self.session),
            None,
        );
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Starts the server on a random port in its own thread; gives the port.
fn start_server(db: &common::TempDb) -> u16 {
    start_server_with(db, None)
}

fn start_server_with(db: &common::TempDb, plan: Option<std::path::PathBuf>) -> u16 {
    let mut config = nangluc_web::ServeConfig::new(db.url(), "127.0.0.1:0".parse().unwrap());
    config.demo_accounts = false;
    config.plan = match plan {
        Some(file) => nangluc_web::PlanChoice::File(file),
        None => nangluc_web::PlanChoice::None,
    };
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let rt = tokio::runtime::Runtime::new().unwrap();
        rt.block_on(async move {
            let server = nangluc_web::bind(&config).await.expect("server binds");
            tx.send(server.local_addr().unwrap().port()).unwrap();
            server.run().await.unwrap();
        });
    });
    rx.recv_timeout(Duration::from_secs(30))
        .expect("server started")
}

#[test]
fn an_administrator_logs_in_searches_and_reads_a_record() {
    let _one = one_browser();
    let db = common::seeded_db();
    let port = start_server(&db);
    let base = format!("http://127.0.0.1:{port}");
    let driver = Driver::start();

    // Asking for a page sends the browser to the login form, then back.
    driver.goto(&format!("{base}/people"));
    assert!(
        driver.url().contains("/login?next=/people"),
        "{}",
        driver.url()
    );
    driver.type_into(&driver.css("input[name=username]"), "admin");
    driver.type_into(&driver.css("input[name=password]"), "pw-admin");
    driver.click(&driver.css("form.stack button[type=submit]"));
    let url = driver.wait_url_end("/people");
    assert!(url.ends_with("/people"), "{url}");

    // Search without diacritics.
    driver.type_into(&driver.css("input[name=q]"), "nguyen van an");
    driver.click(&driver.css("form.filters button[type=submit]"));
    driver.wait_url("q=nguyen");
    let results = driver.text(&driver.css("table.list"));
    assert!(results.contains("Nguyễn Văn An"), "{results}");
    assert!(!results.contains("Nguyễn Thị An"), "{results}");

    // Open the record.
    driver.click(&driver.find("link text", "Nguyễn Văn An"));
    let url = driver.wait_url_end("/people/1");
    assert!(url.ends_with("/people/1"), "{url}");
    let page = driver.text(&driver.css("main"));
    for text in [
        "Nguyễn Văn An",
        "Quá trình công tác",
        "Phòng Công chức, viên chức",
        "Trưởng phòng",
        "Đào tạo, bồi dưỡng",
        "Giỏi",
    ] {
        assert!(page.contains(text), "{text} missing from: {page}");
    }
    let shot = std::env::temp_dir().join(format!("nangluc-person-{}.png", std::process::id()));
    driver.screenshot(&shot);
    assert!(
        std::fs::metadata(&shot).unwrap().len() > 10_000,
        "a real screenshot"
    );
    eprintln!("ảnh chụp trang hồ sơ: {}", shot.display());

    // How the pages look on an office screen and on a phone.
    let dir = std::env::temp_dir().join(format!("nangluc-screens-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    for (w, h) in [(1366, 768), (390, 844)] {
        driver.cmd(
            "POST",
            "/window/rect",
            Some(json!({ "width": w, "height": h })),
        );
        for (name, path) in [
            ("person", "/people/1?as_of=30/06/2020"),
            ("people", "/people"),
            ("class", "/classes/1"),
        ] {
            driver.goto(&format!("{base}{path}"));
            driver.screenshot(&dir.join(format!("{name}-{w}x{h}.png")));
        }
    }
    eprintln!("ảnh chụp các trang: {}", dir.display());
    driver.goto(&format!("{base}/people/1"));

    // Logging out through the form (with its CSRF token) works in the browser.
    driver.click(&driver.css("form.inline button[type=submit]"));
    let url = driver.wait_url_end("/login");
    assert!(url.ends_with("/login"), "{url}");
}

/// A plan over the seeded province (four civil servants).
const PLAN: &str = r#"
[plan]
id = "thu-nghiem"
name = "Kế hoạch đào tạo, bồi dưỡng cán bộ, công chức tỉnh (thử nghiệm) giai đoạn 2021–2026"
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

[[groups.targets]]
id = "3"
wording = "30% công chức giữ chức vụ lãnh đạo, quản lý được bồi dưỡng kiến thức quản lý nhà nước"
kind = "ratio"
population = "category == civil_servant and is_leader"
criterion = "completed(topic: state_management)"
min = 30
by = 2026

[[groups.targets]]
id = "4"
wording = "25% công chức có trình độ đại học trở lên"
kind = "ratio"
population = "category == civil_servant"
criterion = "education >= dai_hoc"
min = 25
by = 2026
"#;

#[test]
fn the_dashboard_opens_a_target_and_its_need_list() {
    let _one = one_browser();
    let db = common::seeded_db();
    let plan =
        std::env::temp_dir().join(format!("nangluc-browser-plan-{}.toml", std::process::id()));
    std::fs::write(&plan, PLAN).unwrap();
    let port = start_server_with(&db, Some(plan.clone()));
    let base = format!("http://127.0.0.1:{port}");
    let driver = Driver::start();
    driver.cmd(
        "POST",
        "/window/rect",
        Some(json!({ "width": 1366, "height": 768 })),
    );
    driver.goto(&format!("{base}/dashboard"));
    driver.type_into(&driver.css("input[name=username]"), "admin");
    driver.type_into(&driver.css("input[name=password]"), "pw-admin");
    driver.click(&driver.css("form.stack button[type=submit]"));
    let url = driver.wait_url_end("/dashboard");
    assert!(url.ends_with("/dashboard"), "{url}");
    let page = driver.text(&driver.css("main"));
    for text in [
        "Theo dõi chỉ tiêu",
        "100% công chức có trình độ lý luận chính trị trung cấp trở lên",
        "25,00 %",
        "50,00 %",
        "Đã đạt",
        "Có nguy cơ không đạt",
        "Sở Nội vụ",
    ] {
        assert!(page.contains(text), "{text} missing from: {page}");
    }
    let shots = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../docs/screenshots");
    std::fs::create_dir_all(&shots).unwrap();
    driver.screenshot(&shots.join("dashboard.png"));

    // Into a target: its need list, by unit then name.
    driver.click(&driver.find("link text", "Chỉ tiêu 1"));
    let url = driver.wait_url("/dashboard/targets/1");
    assert!(url.contains("/dashboard/targets/1"), "{url}");
    let list = driver.text(&driver.css("table.need"));
    for name in ["Đặng Thị Ánh", "Lê Văn Bình", "Nguyễn Thị An"] {
        assert!(list.contains(name), "{name} missing from: {list}");
    }
    assert!(list.find("Đặng Thị Ánh").unwrap() < list.find("Lê Văn Bình").unwrap());
    driver.screenshot(&shots.join("need-list.png"));
    eprintln!("ảnh chụp: {}", shots.display());

    // Drill down to a department.
    driver.goto(&format!("{base}/dashboard"));
    driver.click(&driver.find("link text", "Sở Nội vụ"));
    let url = driver.wait_url_end("unit=SNV");
    assert!(url.ends_with("/dashboard?unit=SNV"), "{url}");
    let _ = std::fs::remove_file(&plan);
}

impl Driver {
    /// Waits (up to 15 s) for an element the page being loaded shows; gives it.
    fn wait_css(&self, selector: &str) -> String {
        let deadline = Instant::now() + Duration::from_secs(15);
        loop {
            let found = self.try_cmd("POST", "/element", Some(json!({ "using": "css selector", "value": selector })));
            if let Some(id) = found.as_ref().and_then(|v| v[ELEMENT].as_str()) {
                return id.to_string();
            }
            assert!(Instant::now() < deadline, "no element {selector} after 15 s");
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    /// A command that may fail while a page is being replaced (no such
    /// element, stale element, script on an unloading page): `None` then.
    fn try_cmd(&self, method: &str, path: &str, body: Option<Value>) -> Option<Value> {
        let full = format!("/session/{}{path}", self.session);
        match http(self.port, method, &full, body.as_ref()) {
            Ok((200, v)) => Some(v["value"].clone()),
            _ => None,
        }
    }

    /// The text of the element a selector finds, or `None` while the page loads.
    fn try_text(&self, selector: &str) -> Option<String> {
        let e = self.try_cmd("POST", "/element", Some(json!({ "using": "css selector", "value": selector })))?;
        let id = e[ELEMENT].as_str()?.to_string();
        self.try_cmd("GET", &format!("/element/{id}/text"), None)?.as_str().map(str::to_string)
    }

    /// Runs a script in the page; gives its value.
    fn script(&self, js: &str) -> Value {
        self.cmd("POST", "/execute/sync", Some(json!({ "script": js, "args": [] })))
    }

    fn resize(&self, width: u32, height: u32) {
        self.cmd("POST", "/window/rect", Some(json!({ "width": width, "height": height })));
    }

    /// Whether the page is wider than the window (a sideways scroll bar).
    fn overflows_sideways(&self) -> bool {
        self.script("return document.documentElement.scrollWidth > window.innerWidth;") == json!(true)
    }

    fn sign_in(&self, base: &str, user: &str) {
        self.goto(&format!("{base}/login"));
        log_in(self, user);
        self.wait_url_end("/");
    }
}

#[test]
fn an_import_with_an_error_names_it_and_a_clean_one_is_applied() {
    let _one = one_browser();
    let db = common::seeded_db();
    let port = start_server(&db);
    let base = format!("http://127.0.0.1:{port}");
    let driver = Driver::start();
    driver.sign_in(&base, "hr");
    driver.goto(&format!("{base}/imports"));

    // A workbook as units keep them: a title above the header; its row 6 has an
    // impossible birth date, and the page names row, column and value.
    let dir = std::env::temp_dir().join(format!("nangluc-browser-import-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let header = "Số định danh cá nhân,Họ và tên,Ngày sinh,Giới tính,Dân tộc,Mã đơn vị,Loại cán bộ\n";
    let bad = dir.join("can-bo-loi.xlsx");
    {
        use nangluc_io::export::{Table, Value, write_table};
        let row = |cells: [&str; 7]| cells.iter().map(|c| Value::text(*c)).collect::<Vec<_>>();
        write_table(
            &Table {
                sheet: "Cán bộ".into(),
                title: "DANH SÁCH CÁN BỘ, CÔNG CHỨC PHÒNG CÔNG CHỨC, VIÊN CHỨC".into(),
                subtitle: "Kèm theo báo cáo tháng 11/2026".into(),
                columns: header.trim().split(',').map(|h| (h.to_string(), 16.0)).collect(),
                text_columns: vec![0],
                rows: vec![
                    row(["068090000020", "Hồ Thị Mai", "01/02/1991", "Nữ", "Kinh", "SNV-CC", "Công chức"]),
                    row(["068090000021", "Tạ Văn Nam", "31/02/1980", "Nam", "Kinh", "SNV-CC", "Công chức"]),
                ],
            },
            &bad,
        )
        .unwrap();
    }
    driver.type_into(&driver.css("#upload-file"), bad.to_str().unwrap());
    driver.click(&driver.css("#upload-check"));
    let errors = driver.text(&driver.wait_css("#import-errors"));
    assert!(errors.contains('6') && errors.contains("Ngày sinh") && errors.contains("31/02/1980"), "{errors}");
    let summary = driver.text(&driver.css("#import-errors-summary"));
    assert!(summary.contains("chưa có dữ liệu nào được ghi"), "{summary}");
    let shots = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../docs/screenshots");
    std::fs::create_dir_all(&shots).unwrap();
    driver.screenshot(&shots.join("import-errors.png"));

    // Fixed: the dry run says what it would create, then it is applied.
    let good = dir.join("can-bo.csv");
    std::fs::write(&good, format!("{header}068090000020,Hồ Thị Mai,01/02/1991,Nữ,Kinh,SNV-CC,Công chức\n068090000021,Tạ Văn Nam,28/02/1980,Nam,Kinh,SNV-CC,Công chức\n")).unwrap();
    driver.goto(&format!("{base}/imports"));
    driver.type_into(&driver.css("#upload-file"), good.to_str().unwrap());
    driver.click(&driver.css("#upload-check"));
    let tally = driver.text(&driver.wait_css("#import-tally"));
    assert!(tally.contains("Người") && tally.contains('2'), "{tally}");
    driver.click(&driver.css("#import-apply"));
    let applied = driver.text(&driver.wait_css("#import-applied"));
    assert!(applied.contains("Đã ghi"), "{applied}");
    driver.goto(&format!("{base}/people?q=ta+van+nam"));
    let found = driver.text(&driver.css("main"));
    assert!(found.contains("Tạ Văn Nam"), "{found}");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn every_role_signs_in_to_its_own_menu_and_a_unit_officer_cannot_reach_another_unit() {
    let _one = one_browser();
    let db = common::seeded_db();
    let port = start_server(&db);
    let base = format!("http://127.0.0.1:{port}");
    let driver = Driver::start();
    // What each role's menu offers, and what it must not.
    let roles: [(&str, &str, &[&str], &[&str]); 6] = [
        ("admin", "Quản trị (Sở Nội vụ)", &["Hồ sơ nhân sự", "Nhật ký", "Tài khoản", "Nhập dữ liệu"], &[]),
        ("hr", "Cán bộ tổ chức của đơn vị", &["Hồ sơ nhân sự", "Nhập dữ liệu"], &["Nhật ký", "Tài khoản"]),
        ("school", "Cơ sở đào tạo, bồi dưỡng", &["Lớp học"], &["Hồ sơ nhân sự", "Nhập dữ liệu"]),
        ("finance", "Tài chính", &["Hồ sơ nhân sự", "Chỉ tiêu"], &["Nhập dữ liệu", "Tài khoản"]),
        ("leader", "Lãnh đạo", &["Chỉ tiêu"], &["Hồ sơ nhân sự", "Nhập dữ liệu"]),
        ("binh", "Cán bộ, công chức, viên chức", &["Hồ sơ của tôi"], &["Hồ sơ nhân sự", "Lớp học"]),
    ];
    for (user, role, has, lacks) in roles {
        driver.sign_in(&base, user);
        let header = driver.text(&driver.css("header.top"));
        assert!(header.contains(role), "{user}: {header}");
        let header = driver.text(&driver.css("nav.menu"));
        for item in has {
            assert!(header.contains(item), "{user} lacks {item}: {header}");
        }
        for item in lacks {
            assert!(!header.contains(item), "{user} should not see {item}: {header}");
        }
        driver.click(&driver.css("form.inline button.link"));
        driver.wait_url("/login");
    }

    // The officer of the Sở Nội vụ types the address of a Sở Tài chính person.
    driver.sign_in(&base, "hr");
    driver.goto(&format!("{base}/people/1"));
    assert!(driver.text(&driver.css("main")).contains("Nguyễn Văn An"));
    driver.goto(&format!("{base}/people/3"));
    let refused = driver.text(&driver.css("main"));
    assert!(refused.contains("không có quyền"), "{refused}");
    assert!(!refused.contains("Lê Văn Bình"), "{refused}");
    driver.goto(&format!("{base}/api/v1/people/3"));
    let api = driver.text(&driver.css("body"));
    assert!(api.contains("\"forbidden\""), "{api}");
    assert!(!api.contains("Bình"), "{api}");

    // The office screen and a phone: no page scrolls sideways.
    for (width, height) in [(1366, 768), (390, 844)] {
        driver.resize(width, height);
        for path in ["/", "/people?q=nguyen", "/people/1", "/imports", "/classes"] {
            driver.goto(&format!("{base}{path}"));
            assert!(!driver.overflows_sideways(), "{path} scrolls sideways at {width}×{height}");
        }
    }
    let shots = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../docs/screenshots");
    driver.goto(&format!("{base}/people/1"));
    driver.screenshot(&shots.join("person-phone.png"));
}

// ---------------------------------------------------------------- classes and nominations

/// Adds programme 2 (trung cấp lý luận chính trị, granting it) and one class
/// of it run by institution 1; gives the class's id.
fn add_class(
    db: &common::TempDb,
    status: nangluc_core::training::ClassStatus,
    starts: chrono::NaiveDate,
    ends: chrono::NaiveDate,
    group: Option<&str>,
    learners: &[(i64, Option<&str>)],
) -> i64 {
    use nangluc_core::training::*;
    use nangluc_core::{ChangeSet, Entity, Fact, Validity};
    let mut store = nangluc_store::Store::open(&db.url()).unwrap();
    let mut c = ChangeSet::new("test", "Lớp cho kiểm thử trình duyệt");
    if store.history(nangluc_core::Table::Programmes, 2).unwrap().is_empty() {
        c.record(
            Entity::Given(2),
            Validity::since(common::d(2015, 1, 1)),
            Fact::Programme(Programme {
                code: "LLCT-TC".into(),
                name: "Trung cấp lý luận chính trị".into(),
                kind: TrainingKind::Training,
                topic: Topic::PoliticalTheory,
                legal_basis: "Quy định 57-QĐ/TW".into(),
                duration_periods: 800,
                grants: Some(Grant {
                    kind: nangluc_core::qualification::QualificationKind::PoliticalTheory,
                    level: "trung_cap".into(),
                    field: None,
                    language: None,
                }),
            }),
        );
    }
    let class_id = store.reserve_id(nangluc_core::Table::Classes).unwrap();
    c.record(
        Entity::Given(class_id),
        Validity::since(starts.min(nangluc_web::fmt::today())),
        Fact::Class(Class {
            code: format!("LLCT-2026-{class_id:02}"),
            programme_id: 2,
            institution_id: 1,
            starts_on: starts,
            ends_on: ends,
            place: "Trường Chính trị tỉnh".into(),
            form: StudyForm::FullTime,
            min_size: 1,
            max_size: 40,
            status,
            planned_cost: 400_000_000,
            target_group: group.map(str::to_string),
            unit_quotas: Vec::new(),
        }),
    );
    for (person_id, result) in learners {
        c.record(
            Entity::New,
            Validity::since(starts),
            Fact::Enrolment(Enrolment {
                person_id: *person_id,
                programme_id: 2,
                class_id: Some(class_id),
                nominated_by: Some(2),
                status: EnrolmentStatus::Enrolled,
                starts_on: starts,
                ends_on: ends,
                attendance_pct: None,
                result: result.map(str::to_string),
                certificate: None,
                cost: 10_000_000,
                funding: FundingSource::StateBudget,
                note: None,
            }),
        );
    }
    store.apply(&c).unwrap();
    class_id
}

fn log_in(driver: &Driver, user: &str) {
    driver.type_into(&driver.css("input[name=username]"), user);
    driver.type_into(&driver.css("input[name=password]"), &format!("pw-{user}"));
    driver.click(&driver.css("form.stack button[type=submit]"));
}

#[test]
fn an_hr_officer_is_warned_when_nominating_someone_who_does_not_fit() {
    let _one = one_browser();
    let db = common::seeded_db();
    let today = nangluc_web::fmt::today();
    let class = add_class(
        &db,
        nangluc_core::training::ClassStatus::Open,
        today + chrono::Duration::days(30),
        today + chrono::Duration::days(90),
        Some("category == civil_servant and post_rank >= division"),
        &[],
    );
    let port = start_server(&db);
    let base = format!("http://127.0.0.1:{port}");
    let driver = Driver::start();
    driver.cmd("POST", "/window/rect", Some(json!({ "width": 1366, "height": 900 })));
    driver.goto(&format!("{base}/classes/{class}/nominate"));
    log_in(&driver, "hr");
    let url = driver.wait_url_end("/nominate");
    assert!(url.ends_with(&format!("/classes/{class}/nominate")), "{url}");
    // Ánh holds no leadership post: not in the class's target group.
    let anh = driver.text(&driver.css("#person-2"));
    assert!(anh.contains("Đặng Thị Ánh") && anh.contains("Không đúng đối tượng"), "{anh}");
    // An heads a division: he fits, but already holds what the programme grants.
    let an = driver.text(&driver.css("#person-1"));
    assert!(!an.contains("Không đúng đối tượng"), "{an}");
    assert!(an.contains("Đã có trình độ mà chương trình cấp"), "{an}");
    let shots = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../docs/screenshots");
    std::fs::create_dir_all(&shots).unwrap();
    driver.screenshot(&shots.join("nominate-warning.png"));
    // Sent anyway, with the reason the form asks for.
    driver.type_into(&driver.css("#person-2 input[name=note]"), "Chuẩn bị bổ nhiệm trưởng phòng");
    driver.click(&driver.css("#person-2 button[type=submit]"));
    driver.wait_url("/nominate?");
    let deadline = Instant::now() + Duration::from_secs(15);
    let mut row = String::new();
    while Instant::now() < deadline {
        row = driver.text(&driver.css("#person-2"));
        if row.contains("Được cử") {
            break;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    assert!(row.contains("Được cử"), "{row}");
    driver.goto(&format!("{base}/classes/{class}"));
    let roster = driver.text(&driver.css("#roster"));
    assert!(roster.contains("Đặng Thị Ánh") && roster.contains("Không đúng đối tượng"), "{roster}");
    assert!(roster.contains("Lý do: Chuẩn bị bổ nhiệm trưởng phòng"), "{roster}");
    driver.screenshot(&shots.join("class-roster.png"));
}

#[test]
fn finishing_a_class_moves_its_target_on_the_dashboard() {
    let _one = one_browser();
    let db = common::seeded_db();
    let today = nangluc_web::fmt::today();
    let class = add_class(
        &db,
        nangluc_core::training::ClassStatus::InProgress,
        today - chrono::Duration::days(60),
        today - chrono::Duration::days(1),
        Some("category == civil_servant"),
        &[(2, Some("Giỏi"))],
    );
    let plan = std::env::temp_dir().join(format!("nangluc-browser-finish-{}.toml", std::process::id()));
    std::fs::write(&plan, PLAN).unwrap();
    let port = start_server_with(&db, Some(plan.clone()));
    let base = format!("http://127.0.0.1:{port}");
    let driver = Driver::start();
    driver.cmd("POST", "/window/rect", Some(json!({ "width": 1366, "height": 900 })));
    driver.goto(&format!("{base}/dashboard"));
    log_in(&driver, "admin");
    driver.wait_url_end("/dashboard");
    // Target 1 (political theory): An alone of four civil servants.
    let share = |d: &Driver| d.text(&d.css("section.targets article:first-of-type .share"));
    assert_eq!(share(&driver), "25,00 %");

    // The class's results: attendance and certificate number, then finish.
    driver.goto(&format!("{base}/classes/{class}"));
    driver.type_into(&driver.css("form.result input[name=attendance_pct]"), "95");
    driver.type_into(&driver.css("form.result input[name=certificate]"), "LLCT-2026-001");
    // The page reloads on the same address: the old page is marked, so that
    // the wait below reads the new one (the old one holds the typed value too).
    driver.script("window.beforeSubmit = true; return 0;");
    driver.click(&driver.css("form.result button[type=submit]"));
    let deadline = Instant::now() + Duration::from_secs(15);
    while Instant::now() < deadline {
        let v = driver.try_cmd(
            "POST",
            "/execute/sync",
            Some(json!({ "script": "if (window.beforeSubmit) return ''; var i = document.querySelector('form.result input[name=certificate]'); return i ? i.value : '';", "args": [] })),
        );
        if v.is_some_and(|v| v == "LLCT-2026-001") {
            break;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    driver.click(&driver.css("#action-finish"));
    let deadline = Instant::now() + Duration::from_secs(15);
    let mut status = String::new();
    while Instant::now() < deadline {
        status = driver.try_text("#class-status").unwrap_or_default();
        if status == "Đã kết thúc" {
            break;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    assert_eq!(status, "Đã kết thúc");
    let roster = driver.text(&driver.css("#roster"));
    assert!(roster.contains("Hoàn thành") && roster.contains("LLCT-2026-001"), "{roster}");
    let shots = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../docs/screenshots");
    driver.screenshot(&shots.join("class-finished.png"));

    // Ánh now holds political theory: two of four.
    driver.goto(&format!("{base}/dashboard"));
    assert_eq!(share(&driver), "50,00 %");
    driver.screenshot(&shots.join("dashboard-after-class.png"));
    let _ = std::fs::remove_file(&plan);
}

/// A unit's HR officer prepares next year's plan in the browser: starts it,
/// adds a line, sends it; the page shows its status and, after 31 August,
/// the late flag.
#[test]
fn a_unit_officer_prepares_and_sends_next_years_plan() {
    let _one = one_browser();
    let db = common::seeded_db();
    let plan = std::env::temp_dir().join(format!("nangluc-browser-annual-{}.toml", std::process::id()));
    std::fs::write(&plan, PLAN).unwrap();
    let port = start_server_with(&db, Some(plan.clone()));
    let base = format!("http://127.0.0.1:{port}");
    let driver = Driver::start();
    driver.cmd("POST", "/window/rect", Some(json!({ "width": 1366, "height": 900 })));
    driver.goto(&format!("{base}/annual-plans"));
    driver.type_into(&driver.css("input[name=username]"), "hr");
    driver.type_into(&driver.css("input[name=password]"), "pw-hr");
    driver.click(&driver.css("form.stack button[type=submit]"));
    driver.wait_url_end("/annual-plans");
    wait_source(&driver, "Kế hoạch của các đơn vị");

    // Next year's plan, for the officer's own unit (the first offered).
    let today = nangluc_web::fmt::today();
    let year = chrono::Datelike::year(&today) + 1;
    let page = driver.text(&driver.css("main"));
    assert!(page.contains(&format!("Kế hoạch đào tạo, bồi dưỡng năm {year}")), "{page}");
    driver.click(&driver.css("form.filters button[type=submit]"));
    let url = driver.wait_url_until(|u| u.contains("/annual-plans/"));
    assert!(url.contains("/annual-plans/"), "{url}");
    wait_source(&driver, "<h2>Thêm dòng</h2>");

    driver.type_into(&driver.css("input[name=classes]"), "1");
    driver.type_into(&driver.css("input[name=person_times]"), "2");
    driver.type_into(&driver.css("input[name=cost_state_budget]"), "12.000.000");
    driver.type_into(&driver.css("input[name=people]"), "2");
    driver.click(&driver.css("form.filters button[type=submit]"));
    // The form posts back to the same page: wait for the new line in its source.
    wait_source(&driver, "12.000.000 đ");
    let lines = driver.text(&driver.css("table.list"));
    assert!(lines.contains("Bồi dưỡng ngạch chuyên viên chính") && lines.contains("12.000.000 đ") && lines.contains("Đặng Thị Ánh"), "{lines}");

    driver.click(&driver.css("form.panel button[type=submit]"));
    let deadline = nangluc_planning::annual::submission_deadline(year);
    wait_source(&driver, "<strong>Đã gửi Sở Nội vụ</strong>");
    let status = driver.text(&driver.css("p.status"));
    assert!(status.contains("Đã gửi Sở Nội vụ"), "{status}");
    assert_eq!(status.contains("Trễ hạn"), today > deadline, "{status}");
    let shots = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../docs/screenshots");
    driver.screenshot(&shots.join("annual-plan.png"));
    let _ = std::fs::remove_file(&plan);
}

/// Waits until the page's source holds `needle` (a click navigates without
/// waiting for the next page).
fn wait_source(driver: &Driver, needle: &str) {
    let started = Instant::now();
    loop {
        let source = driver.cmd("GET", "/source", None).as_str().unwrap_or_default().to_string();
        if source.contains(needle) {
            return;
        }
        assert!(started.elapsed() < Duration::from_secs(30), "«{needle}» never showed: {source}");
        std::thread::sleep(Duration::from_millis(200));
    }
}

/// The class of target `id`'s card on the dashboard (`target met`, `target at_risk`…).
fn target_card(driver: &Driver, id: &str) -> String {
    let js = format!(
        "const a = [...document.querySelectorAll('article.target')].find(a => a.querySelector('.tid').textContent.trim() === 'Chỉ tiêu {id}'); return a ? a.className : '';"
    );
    driver.script(&js).as_str().unwrap_or_default().to_string()
}

#[test]
fn the_administrator_edits_a_threshold_previews_and_the_dashboard_moves() {
    let _one = one_browser();
    let db = common::seeded_db();
    let plan = std::env::temp_dir().join(format!("nangluc-browser-period-{}.toml", std::process::id()));
    std::fs::write(&plan, PLAN).unwrap();
    let port = start_server_with(&db, Some(plan.clone()));
    let base = format!("http://127.0.0.1:{port}");
    let driver = Driver::start();
    driver.resize(1366, 900);
    driver.sign_in(&base, "admin");
    // Target 2: 2 of the 4 civil servants, 50 %: met at 50 %.
    driver.goto(&format!("{base}/dashboard"));
    driver.wait_css("article.target");
    assert_eq!(target_card(&driver, "2"), "target met");

    // The plan's page lists the target; its form opens with the threshold.
    driver.goto(&format!("{base}/period-plan"));
    let row = driver.text(&driver.wait_css("#target-2"));
    assert!(row.contains("≥ 50% (phấn đấu 80%)") && row.contains("đến năm 2026"), "{row}");
    driver.click(&driver.find("css selector", "#target-2 a"));
    let min = driver.wait_css("#field-min");
    driver.cmd("POST", &format!("/element/{min}/clear"), Some(json!({})));
    driver.type_into(&min, "60");
    driver.click(&driver.css("#target-check"));

    // The preview: 60 % of 4 is 3 people, 2 meet it — no longer met.
    let diff = driver.text(&driver.wait_css("#plan-diff"));
    assert!(diff.contains("50,00 % → 50,00 %") && diff.contains("Đạt → Chưa đạt"), "{diff}");
    let comment = driver.css("#save-comment");
    driver.cmd("POST", &format!("/element/{comment}/clear"), Some(json!({})));
    driver.type_into(&comment, "Nâng ngưỡng chỉ tiêu 2 lên 60% theo Kế hoạch sửa đổi");
    let shots = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../docs/screenshots");
    std::fs::create_dir_all(&shots).unwrap();
    driver.screenshot(&shots.join("period-plan.png"));
    driver.click(&driver.css("#save-version"));
    let url = driver.wait_url("saved=2");
    assert!(url.ends_with("/period-plan?saved=2"), "{url}");
    let saved = driver.text(&driver.wait_css("#period-plan-saved"));
    assert!(saved.contains("phiên bản 2"), "{saved}");
    let row = driver.text(&driver.css("#target-2"));
    assert!(row.contains("≥ 60% (phấn đấu 80%)"), "{row}");

    // The dashboard moved at once.
    driver.goto(&format!("{base}/dashboard"));
    driver.wait_css("article.target");
    let card = target_card(&driver, "2");
    assert!(card.starts_with("target ") && card != "target met", "{card}");
    // And the history names who saved it and why.
    driver.goto(&format!("{base}/period-plan/versions"));
    let versions = driver.text(&driver.wait_css("#versions"));
    assert!(versions.contains("Nâng ngưỡng chỉ tiêu 2 lên 60%") && versions.contains("nangluc serve"), "{versions}");
    let _ = std::fs::remove_file(&plan);
}

/// An HR officer records a master's commitment on a person's page and, when
/// the person resigns early, the page computes what is owed with the working
/// (hand-computed in tests/commitments.rs: 68.250.000 đ).
#[test]
fn leaving_early_computes_the_compensation_on_the_person_page() {
    let _one = one_browser();
    let db = common::seeded_db();
    let port = start_server(&db);
    let base = format!("http://127.0.0.1:{port}");
    let driver = Driver::start();
    driver.cmd("POST", "/window/rect", Some(json!({ "width": 1366, "height": 900 })));
    driver.goto(&format!("{base}/people/1"));
    log_in(&driver, "hr");
    driver.wait_url_end("/people/1");
    wait_source(&driver, "Ghi cam kết phục vụ mới");
    let form = "form[action='/people/1/commitments']";
    for (name, value) in [
        ("course", "Thạc sĩ Quản lý công"),
        ("institution", "Học viện Hành chính Quốc gia"),
        ("decision", "125/QĐ-SNV"),
        ("posted_on", "15/08/2024"),
        ("course_starts_on", "01/09/2024"),
        ("course_ends_on", "31/08/2026"),
        ("cost", "120.000.000"),
    ] {
        driver.type_into(&driver.css(&format!("{form} input[name={name}]")), value);
    }
    driver.click(&driver.css(&format!("{form} button[type=submit]")));
    wait_source(&driver, "2 × 24 = 48 tháng");

    driver.click(&driver.css("details.departure summary"));
    let leave = "details.departure form";
    driver.type_into(&driver.css(&format!("{leave} input[name=left_on]")), "10/03/2028");
    driver.click(&driver.css(&format!("{leave} select[name=reason] option[value=xin_thoi_viec]")));
    driver.type_into(&driver.css(&format!("{leave} input[name=note]")), "Đơn xin thôi việc ngày 01/03/2028");
    driver.click(&driver.css(&format!("{leave} button[type=submit]")));
    wait_source(&driver, "class=\"amount\"");
    let owed = driver.text(&driver.css(".compensation"));
    assert!(owed.contains("68.250.000 đ"), "{owed}");
    assert!(owed.contains("T2 (thời gian đã phục vụ sau khi học xong, tính tròn tháng từ ngày 01/09/2026 đến ngày 10/03/2028) = 18 tháng"), "{owed}");
    assert!(owed.contains("Giảm 9,00% cho 9 năm công tác"), "{owed}");
    driver.cmd(
        "POST",
        "/execute/sync",
        Some(json!({ "script": "document.getElementById('cam-ket').scrollIntoView()", "args": [] })),
    );
    let shots = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../docs/screenshots");
    std::fs::create_dir_all(&shots).unwrap();
    driver.screenshot(&shots.join("compensation.png"));
}

/// The Sở Nội vụ proposes next year's classes with a budget ceiling in the
/// browser and sees what is left unfunded, and why.
#[test]
fn the_home_affairs_office_proposes_classes_under_a_ceiling() {
    let _one = one_browser();
    let db = common::seeded_db();
    {
        let mut store = nangluc_store::Store::open(&db.url()).unwrap();
        common::proposals::seed(&mut store);
    }
    let plan = std::env::temp_dir().join(format!("nangluc-browser-proposal-{}.toml", std::process::id()));
    std::fs::write(&plan, common::proposals::PLAN).unwrap();
    let port = start_server_with(&db, Some(plan.clone()));
    let base = format!("http://127.0.0.1:{port}");
    let driver = Driver::start();
    driver.cmd("POST", "/window/rect", Some(json!({ "width": 1366, "height": 1000 })));
    driver.goto(&format!("{base}/proposals"));
    log_in(&driver, "admin");
    driver.wait_url_end("/proposals");
    wait_source(&driver, "Lập dự thảo");

    // Classes of 3–4 in this small province, 60.000.000 đ for every year together.
    for (name, value) in [("class_min", "3"), ("class_max", "4")] {
        let field = driver.css(&format!("#new-proposal input[name={name}]"));
        driver.cmd("POST", &format!("/element/{field}/clear"), Some(json!({})));
        driver.type_into(&field, value);
    }
    driver.type_into(&driver.css("#new-proposal input[name=ceiling]"), "60.000.000");
    driver.click(&driver.css("#new-proposal button[type=submit]"));
    let url = driver.wait_url_until(|u| u.contains("/proposals/") && !u.ends_with("/proposals/"));
    assert!(url.contains("/proposals/"), "{url}");
    wait_source(&driver, "Lớp chưa có kinh phí");
    let summary = driver.text(&driver.css("#summary"));
    assert!(summary.contains("Trần kinh phí: tổng 60.000.000 đ"), "{summary}");
    assert!(summary.contains("chưa có kinh phí"), "{summary}");
    let classes = driver.text(&driver.css("table.classes"));
    assert!(classes.contains("LD-PHONG-"), "{classes}");
    // The unfunded list, each class with its reason.
    let unfunded = driver.script(
        "return Array.from(document.querySelectorAll('#unfunded + .table-wrap tbody tr')).map(r => r.innerText);",
    );
    let rows: Vec<String> = unfunded.as_array().unwrap().iter().map(|r| r.as_str().unwrap().to_string()).collect();
    assert!(!rows.is_empty(), "an unfunded list");
    assert!(rows.iter().all(|r| r.contains("thu hẹp khoảng thiếu nhiều hơn") || r.contains("trần kinh phí")), "{rows:?}");
    let shots = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../docs/screenshots");
    std::fs::create_dir_all(&shots).unwrap();
    driver.screenshot(&shots.join("proposal.png"));
    driver.script("document.getElementById('unfunded').scrollIntoView(); return null;");
    driver.screenshot(&shots.join("proposal-unfunded.png"));
    let _ = std::fs::remove_file(&plan);
}
