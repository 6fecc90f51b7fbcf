//! `nangluc report`: the annual plan and the review report as Word files from
//! a demo province with an aggregated annual plan, converted to PDF by
//! LibreOffice (installed by scripts/test.sh).

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use chrono::Utc;
use nangluc_core::{AsOf, Fact, Table};
use nangluc_store::{Costs, NewPlanLine, ProvinceLineRow, Stamp, StatusMove, Store};

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
    String::from_utf8_lossy(&out.stderr).into_owned()
}

fn plan(name: &str) -> String {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../plans")
        .join(name)
        .to_string_lossy()
        .into_owned()
}

/// Converts with LibreOffice (its own profile) and gives the PDF's text.
fn pdf_text(docx: &Path) -> String {
    let dir = docx.parent().unwrap();
    let stem = docx.file_stem().unwrap().to_str().unwrap();
    let profile = dir.join(format!("lo-profile-{stem}"));
    let out = Command::new("libreoffice")
        .arg(format!(
            "-env:UserInstallation=file://{}",
            profile.display()
        ))
        .args(["--headless", "--convert-to", "pdf", "--outdir"])
        .arg(dir)
        .arg(docx)
        .output()
        .expect("LibreOffice is needed (scripts/test.sh installs it)");
    let pdf: PathBuf = dir.join(format!("{stem}.pdf"));
    assert!(
        out.status.success() && pdf.exists(),
        "LibreOffice did not convert {}: {}",
        docx.display(),
        String::from_utf8_lossy(&out.stderr)
    );
    let text = Command::new("pdftotext")
        .args(["-layout"])
        .arg(&pdf)
        .arg("-")
        .output()
        .expect("pdftotext (poppler-utils)");
    String::from_utf8_lossy(&text.stdout).into_owned()
}

#[test]
fn the_annual_plan_and_the_review_are_written_and_open_in_libreoffice() {
    let dir = std::env::temp_dir().join(format!("nangluc-cli-report-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let db = dir.join("demo.db");
    let db = db.to_str().unwrap();
    let out = ok(db, &["demo", "--people", "400", "--seed", "11"]);
    assert!(
        out.contains("nhiệm vụ của bảng phân công trách nhiệm"),
        "{out}"
    );

    // Before aggregation there is no province plan to write.
    let docx = dir.join("ke-hoach-2026.docx");
    let refused = nangluc(
        db,
        &[
            "report",
            "annual-plan",
            "--year",
            "2026",
            "--plan",
            &plan("soc-trang-2021-2025.toml"),
            "-o",
            docx.to_str().unwrap(),
        ],
    );
    assert!(!refused.status.success());
    assert!(
        String::from_utf8_lossy(&refused.stderr).contains("Chưa có kế hoạch năm 2026 của tỉnh")
    );

    // Two departments' accepted plans, aggregated.
    {
        let mut store = Store::open(db).unwrap();
        assert_eq!(
            store.duties().unwrap().len(),
            6,
            "the Sóc Trăng matrix's rows"
        );
        let units: Vec<i64> = store
            .as_of(Table::Units, &AsOf::date(Utc::now().date_naive()))
            .unwrap()
            .into_iter()
            .filter(|r| matches!(&r.data, Fact::Unit(u) if u.parent_id.is_some()))
            .map(|r| r.id)
            .take(2)
            .collect();
        let programme = store
            .latest(Table::Programmes)
            .unwrap()
            .into_iter()
            .find_map(|r| match r.data {
                Fact::Programme(p) => Some(p.code),
                _ => None,
            })
            .unwrap();
        let s = Stamp::new("test", Utc::now());
        let mut ids = Vec::new();
        for unit in &units {
            let id = store.create_annual_plan(*unit, 2026, &s).unwrap();
            let line = NewPlanLine {
                programme: programme.clone(),
                target_id: None,
                classes: 1,
                person_times: 45,
                costs: Costs {
                    state_budget: 150_000_000,
                    unit: 20_000_000,
                    learner: 0,
                    sponsor: 0,
                },
                note: None,
                people: vec![],
            };
            store.add_plan_line(id, &line, &["draft"], &s).unwrap();
            for (from, to) in [("draft", "submitted"), ("submitted", "accepted")] {
                let m = StatusMove {
                    from,
                    to,
                    action: to,
                    comment: None,
                    submission_late: (to == "submitted").then_some(false),
                };
                store.move_annual_plan(id, &m, &s).unwrap();
            }
            ids.push(id);
        }
        let lines = [ProvinceLineRow {
            programme: programme.clone(),
            units: 2,
            classes: 2,
            person_times: 90,
            costs: Costs {
                state_budget: 300_000_000,
                unit: 40_000_000,
                learner: 0,
                sponsor: 0,
            },
        }];
        store
            .aggregate_province_plan(2026, &lines, &ids, &s)
            .unwrap();
    }

    let xlsx = dir.join("chi-tieu.xlsx");
    ok(
        db,
        &[
            "report",
            "annual-plan",
            "--year",
            "2026",
            "--plan",
            &plan("soc-trang-2021-2025.toml"),
            "-o",
            docx.to_str().unwrap(),
            "--xlsx",
            xlsx.to_str().unwrap(),
        ],
    );
    let book = nangluc_io::read(&xlsx).unwrap();
    let names: Vec<&str> = book.sheets.iter().map(|s| s.name.as_str()).collect();
    assert!(
        names.contains(&"Kế hoạch của tỉnh")
            && names.contains(&"Kế hoạch các đơn vị")
            && names.contains(&"Kinh phí"),
        "{names:?}"
    );
    let units = book
        .sheets
        .iter()
        .find(|s| s.name == "Kế hoạch các đơn vị")
        .unwrap();
    // Title, subtitle, blank, header, then one row per unit plan.
    assert_eq!(
        units.rows.iter().filter(|r| !r.is_empty()).count(),
        3 + 2,
        "{units:?}"
    );
    let text = pdf_text(&docx);
    assert!(text.contains("KẾ HOẠCH"), "{text}");
    assert!(text.contains("2026"));
    // Annex III: the state budget of the aggregated plan, written the Vietnamese way.
    assert!(text.contains("300.000.000"), "{text}");
    // The matrix's duties under "TỔ CHỨC THỰC HIỆN".
    assert!(
        text.contains("TỔ CHỨC THỰC HIỆN") && text.contains("Trước ngày 31/8"),
        "{text}"
    );

    // Without --plan the review is written for the plan the application
    // follows in the database, as the browser edited it (here: renamed).
    let text = std::fs::read_to_string(plan("soc-trang-2021-2025.toml")).unwrap();
    let edited = text.replacen(
        "tỉnh Sóc Trăng giai đoạn 2021–2025\"",
        "tỉnh Sóc Trăng (bản sửa trên trình duyệt)\"",
        1,
    );
    assert_ne!(text, edited);
    Store::open(db)
        .unwrap()
        .save_period_plan_version(
            &nangluc_store::NewPeriodPlanVersion {
                key: "soc-trang-2021-2025",
                text: &edited,
                action: "edited",
                expected: None,
                based_on: None,
                comment: Some("đổi tên"),
                follow: true,
            },
            &Stamp::new("admin", Utc::now()),
        )
        .unwrap();
    let review = dir.join("so-ket.docx");
    let said = ok(
        db,
        &[
            "report",
            "review",
            "--kind",
            "mid-term",
            "--as-of",
            "31/12/2023",
            "-o",
            review.to_str().unwrap(),
        ],
    );
    assert!(
        said.contains("'soc-trang-2021-2025', phiên bản 1 trong cơ sở dữ liệu"),
        "{said}"
    );
    let text = pdf_text(&review);
    assert!(
        text.contains("BÁO CÁO") && text.contains("Sơ kết"),
        "{text}"
    );
    assert!(text.contains("bản sửa trên trình duyệt"), "{text}");
    // The inclusion table counts the demo's completed training by programme.
    assert!(
        text.contains("hoàn thành đào tạo, bồi dưỡng từ 01/01/2021"),
        "{text}"
    );
    let _ = std::fs::remove_dir_all(&dir);
}
