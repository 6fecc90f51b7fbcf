//! `.xls` and `.ods` files import exactly as the `.xlsx` they were made from:
//! the tests build a workbook, have LibreOffice convert it, and compare.
//! LibreOffice is required (scripts/test.sh installs it): without it these
//! tests fail, they do not skip.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use common::*;
use nangluc_io::{ImportPlan, SheetKind, plan_file};

fn libreoffice() {
    let ok = Command::new("libreoffice").arg("--version").output().map(|o| o.status.success()).unwrap_or(false);
    assert!(
        ok,
        "LibreOffice is not installed (no `libreoffice` on PATH): run scripts/test.sh, or \
         `apt-get install -y libreoffice-calc-nogui`"
    );
}

/// Converts a workbook with LibreOffice (its own profile, so tests can run at
/// the same time) into `format` ("xls" or "ods") beside it.
fn convert(xlsx: &Path, format: &str) -> PathBuf {
    libreoffice();
    let stem = xlsx.file_stem().unwrap().to_str().unwrap();
    let dir = xlsx.parent().unwrap().join(format!("{stem}-{format}"));
    std::fs::create_dir_all(&dir).unwrap();
    let out = Command::new("libreoffice")
        .arg(format!("-env:UserInstallation=file://{}", dir.join("profile").display()))
        .args(["--headless", "--convert-to", format, "--outdir"])
        .arg(&dir)
        .arg(xlsx)
        .output()
        .expect("run libreoffice");
    let converted = dir.join(format!("{stem}.{format}"));
    assert!(
        out.status.success() && converted.exists(),
        "LibreOffice did not convert {} to {format} (is LibreOffice Calc installed? scripts/test.sh installs \
         libreoffice-calc-nogui): {}\n{}",
        xlsx.display(),
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    converted
}

/// A plan over a fresh copy of the test province (so reserved ids match).
fn plan(path: &Path) -> Result<ImportPlan, Vec<nangluc_io::ImportError>> {
    let (mut dir, _) = province();
    plan_file(path, SheetKind::Staff, &mut dir, today())
}

#[test]
fn xls_and_ods_staff_files_import_as_the_xlsx_does() {
    let xlsx = messy_staff_file();
    let expected = plan(&xlsx).unwrap_or_else(|e| panic!("{e:#?}"));
    // The file has people to create: the comparison is not between two empty plans.
    assert_eq!(expected.report.rows, 3);
    assert_eq!(expected.change_set.ops.len(), 6);
    for format in ["xls", "ods"] {
        let other = convert(&xlsx, format);
        let got = plan(&other).unwrap_or_else(|e| panic!("{format}: {e:#?}"));
        assert_eq!(got.change_set.ops, expected.change_set.ops, "{format}: the same facts");
        assert_eq!(got.report.sheet, expected.report.sheet, "{format}");
        assert_eq!(got.report.rows, expected.report.rows, "{format}");
        assert_eq!(got.report.tables, expected.report.tables, "{format}: the same rows created");
    }
}

#[test]
fn xls_and_ods_files_report_the_same_errors_at_the_same_places() {
    let header: Vec<C> =
        ["STT", "Số định danh cá nhân", "Họ", "Tên đệm", "Tên", "Ngày sinh", "Giới tính", "Dân tộc", "Mã đơn vị", "Loại cán bộ"]
            .iter()
            .map(|h| s(h))
            .collect();
    let row = |n: f64, v: [&str; 9]| {
        let mut r = vec![C::N(n)];
        r.extend(v.iter().map(|x| if x.is_empty() { C::E } else { s(x) }));
        r
    };
    let xlsx = common::xlsx(
        "loi.xlsx",
        "Nhân sự",
        &["DANH SÁCH CÁN BỘ"],
        &[
            header,
            row(1.0, ["079085000111", "Lê", "Văn", "Bình", "05/03/1980", "Nam", "Kinh", "SNV", "Công chức"]),
            row(2.0, ["12345", "Phạm", "", "Cường", "31/02/1980", "X", "Kinhh", "SNV", "Hợp đồng"]),
            row(3.0, ["079085000111", "Lê", "", "", "01/01/1990", "Nữ", "Kinh", "KHONG-CO", "Viên chức"]),
        ],
    );
    let expected = messages(&plan(&xlsx).unwrap_err());
    assert_eq!(
        expected,
        [
            "Sheet 'Nhân sự', dòng 4, cột 'Số định danh cá nhân': số định danh cá nhân '12345' phải gồm đúng 12 chữ số",
            "Sheet 'Nhân sự', dòng 4, cột 'Ngày sinh': '31/02/1980' không phải ngày hợp lệ",
            "Sheet 'Nhân sự', dòng 4, cột 'Giới tính': 'X' không có trong danh mục giới tính (Nam, Nữ)",
            "Sheet 'Nhân sự', dòng 4, cột 'Dân tộc': 'Kinhh' không có trong danh mục 54 dân tộc",
            "Sheet 'Nhân sự', dòng 4, cột 'Loại cán bộ': 'Hợp đồng' không có trong danh mục loại cán bộ \
             (Cán bộ, Công chức, Cán bộ cấp xã, Công chức cấp xã, Viên chức, Người hoạt động không chuyên trách cấp xã)",
            "Sheet 'Nhân sự', dòng 5, cột 'Tên': không được để trống",
            "Sheet 'Nhân sự', dòng 5, cột 'Mã đơn vị': mã đơn vị 'KHONG-CO' không có trong hệ thống",
        ]
    );
    for format in ["xls", "ods"] {
        let other = convert(&xlsx, format);
        assert_eq!(messages(&plan(&other).unwrap_err()), expected, "{format}");
    }
}
