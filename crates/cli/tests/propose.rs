//! `nangluc propose` over the demo province, as a user runs it: the table,
//! the JSON and the workbook; the ceiling holds, classes stay in bounds, more
//! money never closes less gap; bad input is refused in Vietnamese.

use std::path::Path;
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

fn plan() -> String {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../plans/tay-ninh-2021-2025.toml").to_string_lossy().into_owned()
}

fn json(db: &str, ceiling: &str) -> serde_json::Value {
    let out =
        ok(db, &["propose", &plan(), "--year", "2027", "--horizon", "2029", "--ceiling", ceiling, "--format", "json"]);
    serde_json::from_str(&out).unwrap()
}

#[test]
fn propose_over_the_demo_province() {
    let dir = std::env::temp_dir().join(format!("nangluc-cli-propose-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let db = dir.join("demo.db").to_string_lossy().into_owned();
    // The demo seeds the configuration too (placeholder norms, offers, capacity).
    let out = nangluc(&db, &["demo", "--people", "1500", "--seed", "7"]);
    assert!(out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("dòng cấu hình đề xuất lớp"));

    // The readable table.
    let table = ok(&db, &["propose", &plan(), "--year", "2027", "--horizon", "2029", "--ceiling", "1.000.000.000"]);
    assert!(table.starts_with("Đề xuất lớp đào tạo, bồi dưỡng năm 2027–2029"), "{table}");
    assert!(table.contains("trần kinh phí tổng 1.000.000.000 đ"), "{table}");
    assert!(table.contains("Năm 2027:") && table.contains("Mã lớp"), "{table}");
    assert!(table.contains("Lớp chưa có kinh phí:"), "{table}");

    // The JSON: in bounds, under the ceiling, each class's cost its estimate.
    let mut last_gap = 0;
    let mut last_classes = None;
    for ceiling in ["0", "500.000.000", "1.000.000.000", "3.000.000.000", "100.000.000.000"] {
        let p = json(&db, ceiling);
        let amount: i64 = ceiling.replace('.', "").parse().unwrap();
        let f = &p["funding"];
        assert!(f["cost_funded"].as_i64().unwrap() <= amount, "{ceiling}: {}", f["cost_funded"]);
        let classes: Vec<&serde_json::Value> =
            p["years"].as_array().unwrap().iter().flat_map(|y| y["classes"].as_array().unwrap()).collect();
        assert!(!classes.is_empty());
        for c in &classes {
            let size = c["size"].as_u64().unwrap();
            assert!((40..=50).contains(&size), "{}: {size}", c["code"]);
            assert_eq!(c["seats"].as_array().unwrap().len() as u64, size);
            let year = c["year"].as_i64().unwrap();
            assert!((2027..=2029).contains(&year));
        }
        // The same classes whatever the ceiling; only the choice changes.
        let codes: Vec<String> = classes.iter().map(|c| c["code"].as_str().unwrap().to_string()).collect();
        if let Some(prev) = &last_classes {
            assert_eq!(&codes, prev);
        }
        last_classes = Some(codes);
        let funded_cost: i64 =
            classes.iter().filter(|c| c["funded"] == true).map(|c| c["cost"].as_i64().unwrap()).sum();
        assert_eq!(funded_cost, f["cost_funded"].as_i64().unwrap());
        let gap = f["gap_closed"].as_u64().unwrap();
        assert!(gap >= last_gap, "{ceiling}: {gap} < {last_gap}");
        last_gap = gap;
        if amount == 0 {
            assert_eq!(gap, 0);
        }
        if amount == 100_000_000_000 {
            assert!(p["unfunded"].as_array().unwrap().is_empty(), "everything funded under 100 billion");
        }
    }

    // The workbook.
    let xlsx = dir.join("de-xuat.xlsx");
    let out =
        nangluc(&db, &["propose", &plan(), "--year", "2027", "--format", "xlsx", "--out", xlsx.to_str().unwrap()]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let bytes = std::fs::read(&xlsx).unwrap();
    assert_eq!(&bytes[..2], b"PK");

    // Bad input: Vietnamese, nothing written.
    let out = nangluc(&db, &["propose", &plan(), "--year", "2027", "--ceiling", "nhiều"]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("không phải số tiền"));
    let out = nangluc(&db, &["propose", &plan(), "--year", "2027", "--horizon", "2026"]);
    assert!(!out.status.success());
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("Năm cuối kỳ đề xuất 2026"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let out = nangluc(&db, &["propose", &plan(), "--year", "2027", "--format", "xlsx"]);
    assert!(String::from_utf8_lossy(&out.stderr).contains("cần tệp ghi"));
    let _ = std::fs::remove_dir_all(&dir);
}
