//! Test helpers: messy workbooks built with rust_xlsxwriter, and a directory
//! holding a small province.
#![allow(dead_code)]

use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};

use chrono::NaiveDate;
use nangluc_core::person::{Ethnicity, PersonDetails, Sex};
use nangluc_core::qualification::QualificationKind;
use nangluc_core::training::{Grant, Institution, InstitutionKind, Programme, Topic, TrainingKind};
use nangluc_core::unit::{Sector, UnitKind, UnitLevel, UnitVersion};
use nangluc_core::{Fact, Validity};
use nangluc_io::MemoryDirectory;
use nangluc_io::parse::serial_from_date;
use rust_xlsxwriter::{Format, Workbook};

pub fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

pub const TODAY: (i32, u32, u32) = (2026, 3, 1);

pub fn today() -> NaiveDate {
    d(TODAY.0, TODAY.1, TODAY.2)
}

/// A fresh path in a per-process temp folder.
pub fn tmp(name: &str) -> PathBuf {
    static N: AtomicUsize = AtomicUsize::new(0);
    let dir = std::env::temp_dir().join(format!("nangluc-io-tests-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let n = N.fetch_add(1, Ordering::SeqCst);
    dir.join(format!("{n}-{name}"))
}

/// A cell to write.
#[derive(Clone, Debug)]
pub enum C {
    S(String),
    N(f64),
    /// A real Excel date cell (number with a date format).
    D(NaiveDate),
    E,
}

pub fn s(v: &str) -> C {
    C::S(v.to_string())
}

/// Writes a sheet: optional title rows merged across the width, then rows.
pub fn xlsx(name: &str, sheet: &str, titles: &[&str], rows: &[Vec<C>]) -> PathBuf {
    let path = tmp(name);
    let mut book = Workbook::new();
    let ws = book.add_worksheet();
    ws.set_name(sheet).unwrap();
    let width = rows.iter().map(|r| r.len()).max().unwrap_or(1) as u16;
    let bold = Format::new().set_bold();
    let date = Format::new().set_num_format("dd/mm/yyyy");
    for (i, t) in titles.iter().enumerate() {
        if t.is_empty() {
            continue;
        }
        ws.merge_range(i as u32, 0, i as u32, width - 1, t, &bold).unwrap();
    }
    let top = titles.len() as u32;
    for (r, row) in rows.iter().enumerate() {
        for (c, cell) in row.iter().enumerate() {
            let (r, c) = (top + r as u32, c as u16);
            match cell {
                C::S(v) => {
                    ws.write_string(r, c, v).unwrap();
                }
                C::N(n) => {
                    ws.write_number(r, c, *n).unwrap();
                }
                C::D(dt) => {
                    ws.write_number_with_format(r, c, serial_from_date(*dt), &date).unwrap();
                }
                C::E => {}
            }
        }
    }
    book.save(&path).unwrap();
    path
}

pub struct Ids {
    pub province: i64,
    pub snv: i64,
    pub hospital: i64,
    pub commune: i64,
    pub qlnn: i64,
    pub english: i64,
    pub school: i64,
}

fn unit(code: &str, name: &str, level: UnitLevel, kind: UnitKind, sector: Sector, parent: Option<i64>, minority: bool) -> Fact {
    Fact::Unit(UnitVersion { code: code.into(), name: name.into(), level, kind, sector, parent_id: parent, minority_area: minority })
}

/// A small province: units, two programmes, an institution.
pub fn province() -> (MemoryDirectory, Ids) {
    let mut dir = MemoryDirectory::default();
    let since = Validity::since(d(2020, 1, 1));
    let province = dir.record(since, unit("75", "Tỉnh Đồng Nai", UnitLevel::Province, UnitKind::State, Sector::General, None, false));
    let snv = dir.record(since, unit("SNV", "Sở Nội vụ", UnitLevel::Province, UnitKind::State, Sector::HomeAffairs, Some(province), false));
    let hospital = dir.record(since, unit("BVT", "Bệnh viện đa khoa tỉnh", UnitLevel::Province, UnitKind::PublicService, Sector::Health, Some(province), false));
    let commune = dir.record(since, unit("26734", "UBND xã Tà Lài", UnitLevel::Commune, UnitKind::State, Sector::General, Some(province), true));
    let qlnn = dir.record(
        since,
        Fact::Programme(Programme {
            code: "QLNN-CV".into(),
            name: "Bồi dưỡng kiến thức QLNN ngạch chuyên viên".into(),
            kind: TrainingKind::Retraining,
            topic: Topic::StateManagement,
            legal_basis: "417/QĐ-BNV".into(),
            duration_periods: 240,
            grants: Some(Grant { kind: QualificationKind::StateManagement, level: "chuyen_vien".into(), field: None, language: None }),
        }),
    );
    let english = dir.record(
        since,
        Fact::Programme(Programme {
            code: "TA-B1".into(),
            name: "Tiếng Anh bậc 3".into(),
            kind: TrainingKind::Retraining,
            topic: Topic::ForeignLanguage,
            legal_basis: String::new(),
            duration_periods: 300,
            grants: None,
        }),
    );
    let school = dir.record(
        since,
        Fact::Institution(Institution { code: "TCT".into(), name: "Trường Chính trị tỉnh".into(), kind: InstitutionKind::PoliticalSchool }),
    );
    (dir, Ids { province, snv, hospital, commune, qlnn, english, school })
}

pub fn person(identity: &str, family: &str, middle: &str, given: &str, birth: NaiveDate, sex: Sex) -> PersonDetails {
    PersonDetails {
        identity_number: identity.into(),
        family_name: family.into(),
        middle_name: middle.into(),
        given_name: given.into(),
        birth_date: birth,
        sex,
        ethnicity: Ethnicity::KINH,
    }
}

/// The messages of a failed plan, as users read them.
pub fn messages(errors: &[nangluc_io::ImportError]) -> Vec<String> {
    errors.iter().map(|e| e.to_string()).collect()
}

/// Title rows merged above the header, headers shuffled and spelled in other
/// ways, a full-name column, serial dates, decomposed diacritics, NU/nữ/M.
pub fn messy_staff_file() -> std::path::PathBuf {
    let header = vec![
        s("STT"),
        s("ho va ten"),
        s("DÂN TỘC"),
        s("Ngày, tháng, năm sinh"),
        s("SỐ CCCD"),
        s("giới tính"),
        s("Đối tượng"),
        s("Mã ĐV"),
        s("Ngạch"),
    ];
    let rows = vec![
        header,
        // Decomposed "Nguyễn Thị Ánh", an identity number that Excel read as a
        // number and so lost its leading zero, a birth date as a serial number.
        vec![C::N(1.0), s("Nguye\u{302}\u{303}n Thi\u{323} A\u{301}nh"), s("Kinh"), C::N(29285.0), C::N(72190001234.0), s("NU"), s("Công chức"), s("SNV"), s("Chuyên viên")],
        vec![C::N(2.0), s("Lê Văn Bình"), s("kinh"), s("5/3/1980"), s("079085000111"), s("M"), s("cc"), s("SNV"), s("01.002")],
        vec![C::N(3.0), s("  Trần   Thị Đào "), s("Tày"), C::D(d(1990, 12, 31)), s("079190000222"), s("nữ"), s("Viên chức"), s("BVT"), C::E],
        vec![C::E, C::E, C::E, C::E, C::E, C::E, C::E, C::E, C::E],
    ];
    xlsx("danh-sach.xlsx", "DS cán bộ", &["UBND TỈNH ĐỒNG NAI", "DANH SÁCH CÁN BỘ, CÔNG CHỨC NĂM 2026", ""], &rows)
}
