//! The `nangluc` binary as a user runs it: demo, stats, plans, files — on
//! SQLite and on PostgreSQL.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn nangluc(db: &str, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_nangluc"))
        .arg("--db")
        .arg(db)
        .args(args)
        .env_remove("NANGLUC_DB")
        .output()
        .expect("the nangluc binary runs")
}

fn ok(db: &str, args: &[&str]) -> String {
    let out = nangluc(db, args);
    assert!(
        out.status.success(),
        "nangluc {args:?} failed:\n{}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("UTF-8 output")
}

fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("nangluc-cli-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn plan(name: &str) -> String {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../plans").join(name).to_string_lossy().into_owned()
}

/// The count printed on the line of a stats section that starts with `label`.
fn stat(stats: &str, label: &str) -> i64 {
    let line = stats.lines().find(|l| l.trim_start().starts_with(label)).unwrap_or_else(|| panic!("no line '{label}' in:\n{stats}"));
    line.split_whitespace().last().unwrap().replace('.', "").parse().unwrap()
}

fn demo_then_read(db: &str) {
    let out = ok(db, &["demo", "--people", "1500", "--seed", "7"]);
    assert!(out.contains("Đội ngũ tại ngày"), "{out}");
    let stats = ok(db, &["stats"]);
    let employed = stat(&stats, "Người đang công tác");
    // Some of the 1,500 have retired or left by today.
    assert!((1100..=1600).contains(&employed), "about 1,500 people, most employed today:\n{stats}");

    // A second demo into the same database is refused, with the way out.
    let again = nangluc(db, &["demo", "--people", "100"]);
    assert!(!again.status.success());
    assert!(String::from_utf8_lossy(&again.stderr).contains("--replace"));

    // Before the 2025 reform the province had district-level units.
    let old = ok(db, &["stats", "--as-of", "31/12/2024"]);
    assert!(stat(&old, "Cấp huyện") > 0, "district level in 2024:\n{old}");
    let new = ok(db, &["stats"]);
    assert!(!new.lines().any(|l| l.trim_start().starts_with("Cấp huyện") && stat(l, "Cấp huyện") > 0), "no district level today:\n{new}");

    // The Tây Ninh plan evaluates over the demo province with every target in the table.
    let table = ok(db, &["evaluate", &plan("tay-ninh-2021-2025.toml"), "--as-of", "31/12/2024"]);
    assert!(table.contains("Ngưỡng") && table.contains("Còn thiếu"), "{table}");
    let json = ok(db, &["evaluate", &plan("tay-ninh-2021-2025.toml"), "--as-of", "31/12/2024", "--format", "json"]);
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    let targets = v["targets"].as_array().unwrap();
    for t in targets {
        assert!(table.contains(t["id"].as_str().unwrap()), "target {} in the table", t["id"]);
        if let Some(share) = t["share"].as_object() {
            let (num, den) = (share["num"].as_u64().unwrap(), share["den"].as_u64().unwrap());
            assert!(num <= den && den == t["population"].as_u64().unwrap());
        }
    }
}

#[test]
fn sqlite_demo_stats_and_evaluate() {
    let dir = temp_dir("sqlite");
    demo_then_read(dir.join("demo.db").to_str().unwrap());
}

#[test]
fn postgres_demo_stats_and_evaluate() {
    let base = std::env::var("NANGLUC_TEST_PG").unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/test".into());
    let schema = format!("cli_{}", std::process::id());
    let mut admin = postgres::Client::connect(&base, postgres::NoTls).expect("PostgreSQL at 127.0.0.1:5432 (run scripts/test.sh)");
    admin.batch_execute(&format!("DROP SCHEMA IF EXISTS {schema} CASCADE; CREATE SCHEMA {schema}")).unwrap();
    let sep = if base.contains('?') { '&' } else { '?' };
    demo_then_read(&format!("{base}{sep}options=-csearch_path%3D{schema}"));
    admin.batch_execute(&format!("DROP SCHEMA {schema} CASCADE")).unwrap();
}

#[test]
fn a_broken_plan_is_reported_with_line_and_column() {
    let dir = temp_dir("plan");
    let good = std::fs::read_to_string(plan("tay-ninh-2021-2025.toml")).unwrap();
    let line = good.lines().position(|l| l.contains("population")).expect("a population line") + 1;
    let broken = good.replacen("population = \"", "population = \"langauge_level >= 4 and ", 1);
    let path = dir.join("broken.toml");
    std::fs::write(&path, broken).unwrap();
    let out = nangluc(":memory:", &["check", path.to_str().unwrap()]);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains(&format!("broken.toml:{line}:")), "line {line} named:\n{err}");
    assert!(err.contains("language_level"), "suggests the right name:\n{err}");
    assert!(ok(":memory:", &["check", &plan("tay-ninh-2021-2025.toml")]).contains("hợp lệ"));
}

#[test]
fn exported_staff_imports_back_unchanged_and_bad_files_change_nothing() {
    let dir = temp_dir("files");
    let db = dir.join("files.db");
    let db = db.to_str().unwrap();
    ok(db, &["demo", "--people", "300", "--seed", "3"]);
    let staff = dir.join("staff.xlsx");
    ok(db, &["export", "staff", staff.to_str().unwrap()]);
    let report = ok(db, &["import", staff.to_str().unwrap(), "--kind", "staff"]);
    assert!(report.contains("Không có gì thay đổi"), "round trip changes nothing:\n{report}");

    let before = ok(db, &["stats"]);
    let template = dir.join("template.xlsx");
    ok(db, &["template", "staff", template.to_str().unwrap()]);
    let csv = dir.join("bad.csv");
    std::fs::write(&csv, "Số định danh cá nhân,Họ và tên,Ngày sinh,Giới tính,Dân tộc,Mã đơn vị,Loại cán bộ\n123,Nguyễn Văn An,31/02/1980,Nam,Kinh,KHONG-CO,Công chức\n").unwrap();
    let out = nangluc(db, &["import", csv.to_str().unwrap(), "--kind", "staff"]);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("dòng 2") && err.contains("'31/02/1980' không phải ngày hợp lệ"), "{err}");
    assert!(err.contains("KHONG-CO"), "the unknown unit is reported too:\n{err}");
    assert!(err.contains("không có dữ liệu nào được ghi"), "{err}");
    assert_eq!(ok(db, &["stats"]), before, "an erroneous file changes nothing");

    let results = dir.join("results.xlsx");
    ok(db, &["evaluate", &plan("tay-ninh-2021-2025.toml"), "--format", "xlsx", "--output", results.to_str().unwrap()]);
    assert!(std::fs::metadata(&results).unwrap().len() > 5_000);
}

/// Copies a SQLite database with its WAL files.
fn copy_db(from: &Path, to: &Path) {
    for suffix in ["", "-wal", "-shm"] {
        let (f, t) = (format!("{}{suffix}", from.display()), format!("{}{suffix}", to.display()));
        let _ = std::fs::remove_file(&t);
        if Path::new(&f).exists() {
            std::fs::copy(&f, &t).unwrap();
        }
    }
}

/// Rows of the people table (every version), from `nangluc stats`.
fn people_rows(db: &str) -> i64 {
    stat(&ok(db, &["stats"]), "Người (people)")
}

#[test]
fn an_import_killed_midway_leaves_the_database_as_it_was() {
    let dir = temp_dir("kill");
    let source = dir.join("source.db");
    ok(source.to_str().unwrap(), &["demo", "--people", "6000", "--seed", "11"]);
    let staff = dir.join("staff.xlsx");
    ok(source.to_str().unwrap(), &["export", "staff", staff.to_str().unwrap()]);
    // The same units (the geography does not depend on the seed), one person.
    let empty = dir.join("empty.db");
    ok(empty.to_str().unwrap(), &["demo", "--people", "1", "--seed", "11"]);
    let before = people_rows(empty.to_str().unwrap());

    // A complete import, to know how long one takes and what it leaves.
    let full = dir.join("full.db");
    copy_db(&empty, &full);
    let started = std::time::Instant::now();
    ok(full.to_str().unwrap(), &["import", staff.to_str().unwrap(), "--kind", "staff"]);
    let duration = started.elapsed();
    let after = people_rows(full.to_str().unwrap());
    assert!(after > before + 4000, "the import creates people: {before} → {after}");

    let mut killed_midway = 0;
    for tenth in [2, 4, 6, 8, 9] {
        let db = dir.join(format!("killed-{tenth}.db"));
        copy_db(&empty, &db);
        let mut child = Command::new(env!("CARGO_BIN_EXE_nangluc"))
            .args(["--db", db.to_str().unwrap(), "import", staff.to_str().unwrap(), "--kind", "staff"])
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(duration * tenth / 10);
        let still_running = child.try_wait().unwrap().is_none();
        child.kill().unwrap(); // SIGKILL: no chance to clean up
        child.wait().unwrap();
        let rows = people_rows(db.to_str().unwrap());
        // All or nothing, whenever the kill came.
        assert!(rows == before || rows == after, "after a kill at {tenth}/10: {rows} rows, expected {before} or {after}");
        // A process still running may already have committed (it then prints
        // the report and frees the workbook): all of it is there. A kill
        // before the commit left nothing; at least one kill must land there.
        if still_running && rows == before {
            killed_midway += 1;
        }
        let check = rusqlite::Connection::open(&db).unwrap().query_row("PRAGMA integrity_check", [], |r| r.get::<_, String>(0)).unwrap();
        assert_eq!(check, "ok");
    }
    assert!(killed_midway > 0, "at least one kill landed while the import ran, before it committed");
}
