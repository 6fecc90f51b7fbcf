//! CSV encodings, templates and the docs.
mod common;

use common::*;
use nangluc_core::Table;
use nangluc_io::kinds::{ColType, SheetKind};
use nangluc_io::sheet::{Cell, TextEncoding, detect_encoding};
use nangluc_io::{plan_file, template};

const CSV_HEADER: &str = "Số định danh cá nhân;Họ và tên;Ngày sinh;Giới tính;Dân tộc;Mã đơn vị;Loại cán bộ";

#[test]
fn utf8_csv_with_bom_and_semicolons() {
    let (mut dir, _) = province();
    let path = tmp("nhan-su.csv");
    let text = format!("\u{feff}{CSV_HEADER}\r\n079085000111;Lê Văn Bình;05/03/1980;Nam;Kinh;SNV;Công chức\r\n\"072190001234\";\"Nguyễn Thị Ánh\";1990-01-02;nu;Kinh;BVT;Viên chức\r\n");
    std::fs::write(&path, text).unwrap();
    let wb = nangluc_io::read(&path).unwrap();
    assert_eq!(wb.encoding, None);
    assert_eq!(wb.sheets[0].rows[0].cells[0], Cell::Text("Số định danh cá nhân".into()), "the BOM is dropped");
    let plan = plan_file(&path, SheetKind::Staff, &mut dir, today()).unwrap_or_else(|e| panic!("{e:#?}"));
    assert_eq!(plan.report.tally(Table::People).created, vec![2, 3]);
}

/// "Nguyễn Thị Ánh" written as Windows-1258 does: base letters (ê, ư…) as one
/// byte, tones as combining bytes after them.
fn windows_1258(text: &str) -> Vec<u8> {
    let (bytes, _, unmappable) = encoding_rs::WINDOWS_1258.encode(text);
    assert!(!unmappable, "test text must be in 1258's decomposed form");
    bytes.into_owned()
}

#[test]
fn windows_1258_csv_is_detected_and_converted() {
    let (mut dir, _) = province();
    // Header and names in 1258's form: tones as combining marks.
    let header = "Sô\u{301} đi\u{323}nh danh ca\u{301} nhân,Ho\u{323} va\u{300} tên,Nga\u{300}y sinh,Giơ\u{301}i ti\u{301}nh,Dân tô\u{323}c,Ma\u{303} đơn vi\u{323},Loa\u{323}i ca\u{301}n bô\u{323}";
    let text = format!("{header}\r\n079085000111,Nguyê\u{303}n Thi\u{323} A\u{301}nh,05/03/1980,Nư\u{303},Kinh,SNV,Công chư\u{301}c\r\n");
    let bytes = windows_1258(&text);
    assert!(std::str::from_utf8(&bytes).is_err());
    assert_eq!(detect_encoding(&bytes), TextEncoding::Windows1258);
    let path = tmp("cu.csv");
    std::fs::write(&path, &bytes).unwrap();
    let wb = nangluc_io::read(&path).unwrap();
    assert_eq!(wb.encoding, Some("Windows-1258"));
    let plan = plan_file(&path, SheetKind::Staff, &mut dir, today()).unwrap_or_else(|e| panic!("{e:#?}"));
    let person = plan.change_set.ops.iter().find_map(|op| match op {
        nangluc_core::Op::Record { fact: nangluc_core::Fact::Person(p), .. } => Some(p.clone()),
        _ => None,
    });
    let person = person.unwrap();
    assert_eq!(person.full_name(), "Nguyễn Thị Ánh");
    // The user is told which encoding was read, and how to avoid it next time.
    assert_eq!(plan.report.encoding, Some("Windows-1258"));
    let report = plan.report.to_string();
    assert!(report.contains("- Tệp dùng bảng mã cũ Windows-1258, đã được chuyển sang Unicode; nên lưu lại tệp dạng \"CSV UTF-8\"."), "{report}");
    assert_eq!(person.sex, nangluc_core::person::Sex::Female);
}

#[test]
fn tcvn3_csv_is_refused_with_a_clear_message() {
    let (mut dir, _) = province();
    // "Họ và tên,Ngày sinh" in TCVN3 (ABC): "Hä vµ tªn,Ngµy sinh".
    let bytes = b"H\xE4 v\xB5 t\xAAn,Ng\xB5y sinh\r\nL\xAA V\xA8n B\xDDnh,05/03/1980\r\n".to_vec();
    assert_eq!(detect_encoding(&bytes), TextEncoding::Tcvn3);
    let path = tmp("abc.csv");
    std::fs::write(&path, &bytes).unwrap();
    let errors = plan_file(&path, SheetKind::Staff, &mut dir, today()).unwrap_err();
    let message = errors[0].to_string();
    assert!(message.ends_with("abc.csv': tệp CSV dùng bảng mã TCVN3 (ABC) cũ, không đọc được chính xác. Hãy chuyển sang Unicode (ví dụ bằng công cụ chuyển mã của Unikey) rồi lưu lại dạng \"CSV UTF-8\""), "{message}");
}

#[test]
fn every_template_reads_back_as_an_empty_import() {
    for kind in SheetKind::ALL {
        let (mut dir, _) = province();
        let path = tmp(&format!("mau-{}.xlsx", kind.code()));
        template::write(kind, &path).unwrap();
        let wb = nangluc_io::read(&path).unwrap();
        let sheet = &wb.sheets[0];
        assert_eq!(sheet.name, kind.sheet_name());
        let headers: Vec<String> = sheet.rows[0].cells.iter().map(|c| c.as_text()).collect();
        let expected: Vec<&str> = kind.columns().iter().filter(|c| c.in_template()).map(|c| c.header).collect();
        assert_eq!(headers, expected);
        // The notes row says what to write.
        assert!(sheet.rows[1].cells[0].as_text().starts_with("Bắt buộc."), "{kind:?}");
        let plan = nangluc_io::plan_import(&wb, kind, &mut dir, today()).unwrap_or_else(|e| panic!("{kind:?}: {e:#?}"));
        assert_eq!(plan.report.rows, 0, "{kind:?}: the notes row is not data");
        assert!(plan.change_set.ops.is_empty());
    }
}

#[test]
fn the_staff_template_offers_the_54_ethnic_groups_on_a_hidden_sheet() {
    let path = tmp("mau-nhan-su.xlsx");
    template::write(SheetKind::Staff, &path).unwrap();
    let wb = nangluc_io::read(&path).unwrap();
    let lists = wb.sheets.iter().find(|s| s.name == template::LISTS_SHEET).expect("a 'Danh mục' sheet");
    let col = lists.rows[0].cells.iter().position(|c| c.as_text() == "Dân tộc").expect("an ethnic-group list");
    let groups: Vec<String> = lists.rows[1..].iter().map(|r| r.cell(col).as_text()).filter(|s| !s.is_empty()).collect();
    assert_eq!(groups.len(), 54);
    assert_eq!((groups[0].as_str(), groups[53].as_str()), ("Kinh", "Rơ Măm"));
    // The sheet is hidden and the drop-down refers to it.
    let bytes = std::fs::read(&path).unwrap();
    let mut zip = zip_entry(&bytes, "xl/workbook.xml");
    assert!(zip.contains("state=\"hidden\""), "{zip}");
    zip = zip_entry(&bytes, "xl/worksheets/sheet1.xml");
    assert!(zip.contains("'Danh mục'!$"), "drop-down refers to the lists sheet");
    assert!(zip.contains("<pane ySplit=\"2\""), "header and notes are frozen");
}

/// One XML part of an xlsx (a zip).
fn zip_entry(bytes: &[u8], name: &str) -> String {
    use std::io::Read;
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let mut out = String::new();
    archive.by_name(name).unwrap().read_to_string(&mut out).unwrap();
    out
}

#[test]
fn every_coded_column_has_a_drop_down_list() {
    for kind in SheetKind::ALL {
        for col in kind.columns() {
            if let ColType::List(list) = col.ty {
                assert!(!list.values().is_empty(), "{kind:?} {}", col.key);
            }
        }
    }
}

#[test]
fn the_docs_describe_every_column() {
    let docs = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../../docs/templates.md")).unwrap();
    let generated = template::markdown();
    assert!(
        docs.contains(&generated),
        "docs/templates.md is out of date: regenerate its column tables with `cargo run -p nangluc-io --example templates-doc`"
    );
}
