//! The Word documents: a small province evaluated by the engine, the annual
//! plan and a review report written, then read back (the XML parts) and
//! converted to PDF with LibreOffice (page count, page numbers from page 2).
//!
//! LibreOffice is required: `scripts/test.sh` installs it
//! (`libreoffice-writer-nogui fonts-liberation poppler-utils`).

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::Command;

use chrono::{DateTime, NaiveDate, Utc};
use nangluc_core::employment::{Category, Employment};
use nangluc_core::knowledge::Knowledge;
use nangluc_core::person::{Ethnicity, PersonDetails, Sex};
use nangluc_core::qualification::{Qualification, QualificationKind};
use nangluc_core::time::{Recording, Validity, Versioned};
use nangluc_core::unit::{Sector, UnitKind, UnitLevel, UnitVersion};
use nangluc_engine::{Plan, PlanResult, Snapshot, evaluate};
use nangluc_io::docx::{
    AnnualPlanDoc, BudgetLine, DocumentHeader, InclusionRow, InclusionTable, ProgrammeClasses, ReviewDoc, ReviewKind,
    Signer, TextSection,
};

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

fn at(y: i32, m: u32, day: u32) -> DateTime<Utc> {
    d(y, m, day).and_hms_opt(12, 0, 0).unwrap().and_utc()
}

/// A small province: the department of home affairs, a hospital and a commune.
struct Fx {
    k: Knowledge,
    row: i64,
}

impl Fx {
    fn v<T>(&mut self, id: i64, valid: Validity, data: T) -> Versioned<T> {
        self.row += 1;
        Versioned {
            row_id: self.row,
            id,
            valid,
            recording: Recording { recorded_at: at(2020, 1, 1), superseded_at: None, change_id: 1 },
            data,
        }
    }

    fn unit(&mut self, id: i64, code: &str, name: &str, level: UnitLevel, kind: UnitKind, parent: Option<i64>) {
        let u = UnitVersion {
            code: code.into(),
            name: name.into(),
            level,
            kind,
            sector: Sector::General,
            parent_id: parent,
            minority_area: false,
        };
        let v = self.v(id, Validity::since(d(2000, 1, 1)), u);
        self.k.units.push(v);
    }

    /// A person working in `unit` since 2015, with a foreign-language level if any.
    fn staff(&mut self, id: i64, unit: i64, category: Category, language: Option<&str>) {
        let p = PersonDetails {
            identity_number: format!("{id:012}"),
            family_name: "Nguyễn".into(),
            middle_name: "Văn".into(),
            given_name: format!("Người {id}"),
            birth_date: d(1985, 1, 1),
            sex: if id % 2 == 0 { Sex::Female } else { Sex::Male },
            ethnicity: Ethnicity::KINH,
        };
        let v = self.v(id, Validity::since(d(1985, 1, 1)), p);
        self.k.people.push(v);
        let e = Employment {
            person_id: id,
            unit_id: unit,
            category,
            rank: None,
            job_position_id: None,
            post: None,
            minority_area: false,
        };
        let v = self.v(1000 + id, Validity::since(d(2015, 1, 1)), e);
        self.k.employments.push(v);
        if let Some(level) = language {
            let q = Qualification {
                person_id: id,
                kind: QualificationKind::ForeignLanguage,
                level: level.into(),
                field: None,
                language: None,
                obtained_on: d(2020, 1, 1),
                evidence: None,
                enrolment_id: None,
            };
            let v = self.v(2000 + id, Validity::since(d(2020, 1, 1)), q);
            self.k.qualifications.push(v);
        }
    }
}

const PLAN: &str = r#"
[plan]
id = "tn-2026"
name = "Kế hoạch đào tạo, bồi dưỡng cán bộ, công chức, viên chức giai đoạn 2026 - 2030"
issuer = "UBND tỉnh Tây Ninh"
period = [2026, 2030]

[[groups]]
id = "ccvc"
name = "Cán bộ, công chức"

[[groups.targets]]
id = "1a"
wording = "Cán bộ, công chức đạt trình độ ngoại ngữ bậc 4 trở lên"
kind = "ratio"
population = "category in [civil_servant, cadre]"
criterion = "language_level >= 4"
horizons = [ { by = 2027, min = 50 }, { by = 2030, min = 80 } ]

[[groups]]
id = "vc"
name = "Viên chức"

[[groups.targets]]
id = "2a"
wording = "Viên chức đạt trình độ ngoại ngữ bậc 3 trở lên"
kind = "ratio"
population = "category in [public_employee]"
criterion = "language_level >= 3"
horizons = [ { by = 2027, min = 70 } ]
"#;

/// 8 civil servants (3 at level 4: 37,50%; 1 more needed by 2027, 4 by 2030)
/// and 4 public employees (2 at level 3 or more: 50%; 1 more needed by 2027).
fn plan() -> Plan {
    match Plan::parse(PLAN, "tn-2026.toml") {
        Ok(p) => p,
        Err(e) => panic!("{}", e.iter().map(|e| e.to_string()).collect::<Vec<_>>().join("\n")),
    }
}

fn result() -> PlanResult {
    let mut f = Fx { k: Knowledge::default(), row: 0 };
    f.unit(1, "80", "Tỉnh Tây Ninh", UnitLevel::Province, UnitKind::State, None);
    f.unit(2, "80-SNV", "Sở Nội vụ", UnitLevel::Province, UnitKind::State, Some(1));
    f.unit(3, "80-BV", "Bệnh viện Đa khoa tỉnh", UnitLevel::Province, UnitKind::PublicService, Some(1));
    f.unit(4, "80001", "Xã Tân Biên", UnitLevel::Commune, UnitKind::State, Some(1));
    let cs = Category::CivilServant;
    for (id, unit, level) in [
        (1, 2, Some("4")),
        (2, 2, Some("5")),
        (3, 2, Some("3")),
        (4, 2, None),
        (5, 2, None),
        (6, 4, Some("4")),
        (7, 4, None),
        (8, 4, Some("2")),
    ] {
        f.staff(id, unit, cs, level);
    }
    for (id, level) in [(9, Some("4")), (10, Some("3")), (11, Some("2")), (12, None)] {
        f.staff(id, 3, Category::PublicEmployee, level);
    }
    let plan = plan();
    let as_of = d(2026, 11, 23);
    let snap = Snapshot::build(&f.k, as_of);
    evaluate(&plan, &snap, as_of, None)
}

fn header(number: &str) -> DocumentHeader {
    DocumentHeader {
        issuer: vec!["ỦY BAN NHÂN DÂN".into(), "TỈNH TÂY NINH".into()],
        issuer_name: "Ủy ban nhân dân tỉnh Tây Ninh".into(),
        number: number.into(),
        place: "Tây Ninh".into(),
        date: d(2026, 11, 23),
        signer: Signer::vice_chair("Nguyễn Văn An"),
        recipients: vec![
            "Bộ Nội vụ".into(),
            "TT. Tỉnh ủy".into(),
            "TT. HĐND tỉnh".into(),
            "Chủ tịch, các Phó Chủ tịch UBND tỉnh".into(),
            "Các sở, ban, ngành tỉnh".into(),
            "UBND các xã, phường".into(),
            "Lưu: VT, KGVX".into(),
        ],
    }
}

fn annual_doc() -> AnnualPlanDoc {
    let prog = |programme: &str, audience: &str, year, classes, person_times| ProgrammeClasses {
        programme: programme.into(),
        audience: audience.into(),
        year,
        classes,
        person_times,
    };
    AnnualPlanDoc {
        header: header("125/KH-UBND"),
        year: 2027,
        legal_basis: vec![
            "Căn cứ Nghị định số 101/2017/NĐ-CP ngày 01/9/2017 của Chính phủ về đào tạo, bồi dưỡng cán bộ, công chức, \
             viên chức;"
                .into(),
            "Căn cứ Kế hoạch đào tạo, bồi dưỡng cán bộ, công chức, viên chức tỉnh Tây Ninh giai đoạn 2026 - 2030;".into(),
        ],
        purpose: vec![
            "Nâng cao trình độ, năng lực thực thi công vụ của đội ngũ cán bộ, công chức, viên chức, đáp ứng yêu cầu \
             của vị trí việc làm."
                .into(),
        ],
        result: result(),
        groups: plan().groups,
        programmes: vec![
            prog("Bồi dưỡng ngoại ngữ bậc 4", "Công chức các sở, ngành", 2027, 3, 135),
            prog("Bồi dưỡng lãnh đạo, quản lý cấp phòng", "Trưởng, phó phòng cấp sở", 2027, 2, 90),
            prog("Bồi dưỡng ngoại ngữ bậc 4", "Công chức các sở, ngành", 2028, 2, 90),
            prog("Bồi dưỡng kỹ năng chuyển đổi số", "Công chức cấp xã", 2027, 40, 2800),
        ],
        budget: vec![
            BudgetLine { source: "Ngân sách tỉnh".into(), amount: 1_250_000_000, note: String::new() },
            BudgetLine { source: "Kinh phí của cơ quan, đơn vị".into(), amount: 250_000_000, note: String::new() },
        ],
        sections: vec![TextSection {
            heading: "Tổ chức thực hiện".into(),
            paragraphs: vec![
                "1. Sở Nội vụ chủ trì, phối hợp với các cơ quan, đơn vị tổ chức thực hiện Kế hoạch này.".into(),
                "2. Sở Tài chính bố trí kinh phí thực hiện Kế hoạch theo quy định.".into(),
            ],
        }],
        closing: None,
    }
}

fn review_doc() -> ReviewDoc {
    ReviewDoc {
        header: header("87/BC-UBND"),
        kind: ReviewKind::MidTerm,
        plan_title: "Kế hoạch đào tạo, bồi dưỡng cán bộ, công chức, viên chức giai đoạn 2026 - 2030".into(),
        result: result(),
        groups: plan().groups,
        inclusion: vec![InclusionTable {
            caption: "Số lượt được đào tạo, bồi dưỡng theo chương trình".into(),
            label_heading: "Chương trình".into(),
            rows: vec![
                InclusionRow {
                    label: "Bồi dưỡng ngoại ngữ bậc 4".into(),
                    total: 135,
                    women: 71,
                    ethnic_minority: 12,
                    remote_area: 30,
                },
                InclusionRow {
                    label: "Bồi dưỡng kỹ năng chuyển đổi số".into(),
                    total: 2800,
                    women: 1450,
                    ethnic_minority: 320,
                    remote_area: 640,
                },
            ],
        }],
        sections: vec![
            TextSection {
                heading: "Đánh giá chung".into(),
                paragraphs: vec!["Các chỉ tiêu về ngoại ngữ chưa đạt; cần tập trung bồi dưỡng trong năm 2027.".into()],
            },
            TextSection {
                heading: "Phương hướng, nhiệm vụ".into(),
                paragraphs: vec!["Tiếp tục tổ chức các lớp bồi dưỡng ngoại ngữ cho công chức cấp xã.".into()],
            },
        ],
        unit_depth: None,
        closing: None,
    }
}

fn out_dir() -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("docx");
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// The text of every XML part of a .docx, by name.
fn parts(bytes: &[u8]) -> Vec<(String, String)> {
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("a .docx is a zip");
    let mut out = Vec::new();
    for i in 0..zip.len() {
        let mut f = zip.by_index(i).unwrap();
        let name = f.name().unwrap().to_string();
        let mut s = String::new();
        f.read_to_string(&mut s).unwrap();
        out.push((name, s));
    }
    out
}

fn part<'a>(parts: &'a [(String, String)], name: &str) -> &'a str {
    parts.iter().find(|p| p.0 == name).map(|p| p.1.as_str()).unwrap_or_else(|| {
        panic!("no part {name} in {:?}", parts.iter().map(|p| &p.0).collect::<Vec<_>>())
    })
}

/// The attributes of the first `<w:pgMar …/>`.
fn page_margins(document: &str) -> &str {
    let start = document.find("<w:pgMar").expect("w:pgMar");
    let end = document[start..].find("/>").unwrap();
    &document[start..start + end]
}

fn common_checks(parts: &[(String, String)], number: &str) {
    let doc = part(parts, "word/document.xml");
    for needle in [
        "ỦY BAN NHÂN DÂN",
        "TỈNH TÂY NINH",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "Tây Ninh, ngày 23 tháng 11 năm 2026",
        "Nơi nhận:",
        "- Lưu: VT, KGVX.",
        "TM. ỦY BAN NHÂN DÂN",
        "KT. CHỦ TỊCH",
        "PHÓ CHỦ TỊCH",
        "Nguyễn Văn An",
        "Times New Roman",
        "<w:titlePg",
        "w:w=\"11906\"",
    ] {
        assert!(doc.contains(needle), "document.xml lacks {needle:?}");
    }
    assert!(doc.contains(&format!("Số: {number}")), "document.xml lacks the number {number}");
    let m = page_margins(doc);
    for a in ["w:top=\"1134\"", "w:bottom=\"1134\"", "w:left=\"1701\"", "w:right=\"851\""] {
        assert!(m.contains(a), "page margins {m} lack {a}");
    }
    // Page numbers: a header with the PAGE field, and an empty first-page header.
    let headers: Vec<&(String, String)> = parts.iter().filter(|p| p.0.starts_with("word/header")).collect();
    assert_eq!(headers.len(), 2, "two headers: {:?}", headers.iter().map(|h| &h.0).collect::<Vec<_>>());
    assert!(headers.iter().any(|h| h.1.contains("PAGE")), "no PAGE field in the headers");
    assert!(doc.contains("w:type=\"first\"") && doc.contains("w:type=\"default\""), "header references");
}

fn libreoffice() {
    let ok = Command::new("libreoffice").arg("--version").output().map(|o| o.status.success()).unwrap_or(false);
    assert!(
        ok,
        "LibreOffice is not installed (no `libreoffice` on PATH): run scripts/test.sh, or \
         `apt-get install -y libreoffice-writer-nogui fonts-liberation poppler-utils`"
    );
}

/// Converts to PDF with LibreOffice (its own profile, so tests can run at the
/// same time), returns the PDF's path.
fn to_pdf(docx: &Path) -> PathBuf {
    libreoffice();
    let dir = docx.parent().unwrap();
    let stem = docx.file_stem().unwrap().to_str().unwrap();
    let profile = dir.join(format!("lo-profile-{stem}"));
    let out = Command::new("libreoffice")
        .arg(format!("-env:UserInstallation=file://{}", profile.display()))
        .args(["--headless", "--convert-to", "pdf", "--outdir"])
        .arg(dir)
        .arg(docx)
        .output()
        .expect("run libreoffice");
    let pdf = dir.join(format!("{stem}.pdf"));
    assert!(
        out.status.success() && pdf.exists(),
        "LibreOffice did not convert {}: {}\n{}",
        docx.display(),
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    pdf
}

fn pages(pdf: &Path) -> usize {
    let out = Command::new("pdfinfo").arg(pdf).output().expect("pdfinfo (poppler-utils) is needed");
    let text = String::from_utf8_lossy(&out.stdout);
    text.lines()
        .find_map(|l| l.strip_prefix("Pages:"))
        .and_then(|n| n.trim().parse().ok())
        .unwrap_or_else(|| panic!("no page count from pdfinfo: {text}"))
}

fn page_text(pdf: &Path, page: usize) -> String {
    let out = Command::new("pdftotext")
        .args(["-layout", "-f", &page.to_string(), "-l", &page.to_string()])
        .arg(pdf)
        .arg("-")
        .output()
        .expect("pdftotext");
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// Page 1 as a PNG at 60 dpi, beside the PDF (kept for looking at).
fn page1_png(pdf: &Path) -> PathBuf {
    let stem = pdf.file_stem().unwrap().to_str().unwrap();
    let prefix = pdf.with_file_name(format!("{stem}-page1"));
    let ok = Command::new("pdftoppm")
        .args(["-png", "-r", "60", "-f", "1", "-l", "1", "-singlefile"])
        .arg(pdf)
        .arg(&prefix)
        .status()
        .map(|s| s.success())
        .unwrap_or(false);
    let png = pdf.with_file_name(format!("{stem}-page1.png"));
    assert!(ok && png.exists(), "pdftoppm did not render {}", pdf.display());
    png
}

/// The first line with text on a page.
fn first_line(text: &str) -> String {
    text.lines().map(str::trim).find(|l| !l.is_empty()).unwrap_or("").to_string()
}

#[test]
fn annual_plan_in_the_decree_30_layout() {
    let doc = annual_doc();
    let r = &doc.result;
    assert_eq!((r.targets[0].population, r.targets[0].met), (8, 3));
    let bytes = nangluc_io::docx::annual_plan_to_bytes(&doc).unwrap();
    let parts = parts(&bytes);
    common_checks(&parts, "125/KH-UBND");
    let xml = part(&parts, "word/document.xml");
    for needle in [
        "KẾ HOẠCH",
        "Đào tạo, bồi dưỡng cán bộ, công chức, viên chức năm 2027",
        "Căn cứ Nghị định số 101/2017/NĐ-CP",
        "Ủy ban nhân dân tỉnh Tây Ninh ban hành Kế hoạch",
        // Section II: the targets, with the need of the year.
        "hiện có 3/8 người đạt (37,50%); cần đào tạo, bồi dưỡng thêm 1 người, trong đó năm 2027: 1 người.",
        // Annex I: threshold, population, met, share, need per year.
        "Phụ lục I",
        "(Kèm theo Kế hoạch số 125/KH-UBND ngày 23/11/2026 của Ủy ban nhân dân tỉnh Tây Ninh)",
        "(Số liệu tính đến ngày 23/11/2026)",
        "1a. Cán bộ, công chức đạt trình độ ngoại ngữ bậc 4 trở lên",
        ">80%<",
        ">37,50%<",
        ">50%<",
        "Năm 2027",
        "Năm 2030",
        // Annex II: classes and person-times per programme and year.
        "Phụ lục II",
        "Bồi dưỡng kỹ năng chuyển đổi số",
        ">2.800<",
        ">3.025<",
        ">3.115<",
        "Năm 2028",
        // Annex III: budget by source.
        "Phụ lục III",
        ">1.250.000.000<",
        ">1.500.000.000<",
        ">83,33%<",
        ">16,67%<",
        "Tổng kinh phí dự kiến: 1.500.000.000 đồng (chi tiết tại Phụ lục III), gồm:",
        "w:orient=\"landscape\"",
    ] {
        assert!(xml.contains(needle), "annual plan lacks {needle:?}");
    }

    let dir = out_dir();
    let path = dir.join("annual-plan.docx");
    nangluc_io::docx::annual_plan(&doc, &path).unwrap();
    assert_eq!(std::fs::read(&path).unwrap().len(), bytes.len());
    let pdf = to_pdf(&path);
    // Main text on 2 pages, then one landscape page per annex.
    let n = pages(&pdf);
    assert_eq!(n, 5, "the annual plan's PDF has {n} pages, expected 5");
    assert!(!first_line(&page_text(&pdf, 1)).starts_with('1'), "no page number on page 1");
    for p in 2..=n {
        assert_eq!(first_line(&page_text(&pdf, p)), p.to_string(), "page number at the top of page {p}");
    }
    let annex1 = page_text(&pdf, 3);
    assert!(annex1.contains("Phụ lục I") && annex1.contains("37,50%"), "annex I on page 3:\n{annex1}");
    page1_png(&pdf);
}

#[test]
fn review_report_in_the_decree_30_layout() {
    let doc = review_doc();
    let bytes = nangluc_io::docx::review_report_to_bytes(&doc).unwrap();
    let parts = parts(&bytes);
    common_checks(&parts, "87/BC-UBND");
    let xml = part(&parts, "word/document.xml");
    for needle in [
        "BÁO CÁO",
        "Sơ kết thực hiện Kế hoạch đào tạo, bồi dưỡng cán bộ, công chức, viên chức giai đoạn 2026 - 2030",
        "Kế hoạch có 2 chỉ tiêu; đến ngày 23/11/2026: 0 chỉ tiêu đã đạt",
        "1. Cán bộ, công chức",
        "2. Viên chức",
        ">50% (2027)<",
        ">70% (2027)<",
        "KẾT QUẢ THEO ĐƠN VỊ",
        "Sở Nội vụ (80-SNV)",
        "Xã Tân Biên (80001)",
        ">40%<",
        // Women, ethnic minorities, remote areas.
        "Dân tộc thiểu số",
        ">2.935<",
        ">1.521<",
        ">51,82%<",
        ">332<",
        ">11,31%<",
        ">670<",
        ">22,83%<",
        "IV. ĐÁNH GIÁ CHUNG",
        "V. PHƯƠNG HƯỚNG, NHIỆM VỤ",
        "Trên đây là báo cáo sơ kết thực hiện Kế hoạch",
    ] {
        assert!(xml.contains(needle), "review report lacks {needle:?}");
    }
    assert!(!xml.contains("w:orient=\"landscape\""), "the report has no landscape annex");

    let dir = out_dir();
    let path = dir.join("review-report.docx");
    nangluc_io::docx::review_report(&doc, &path).unwrap();
    let pdf = to_pdf(&path);
    let n = pages(&pdf);
    assert_eq!(n, 2, "the review report's PDF has {n} pages, expected 2");
    for p in 2..=n {
        assert_eq!(first_line(&page_text(&pdf, p)), p.to_string(), "page number at the top of page {p}");
    }
    page1_png(&pdf);
}
