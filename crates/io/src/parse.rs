//! Cells to typed values, accepting what real files contain; every failure is a
//! Vietnamese reason quoting the value as the user wrote it.

use chrono::{Datelike, NaiveDate};
use nangluc_core::employment::{Category, POSTS, PostRank, RANKS};
use nangluc_core::person::{Ethnicity, Sex, check_identity_number};
use nangluc_core::qualification::{Level, QualificationKind};
use nangluc_core::text::nfc;
use nangluc_core::training::{ClassStatus, EnrolmentStatus, FundingSource, StudyForm, Topic, TrainingKind};
use nangluc_core::unit::{Sector, UnitKind, UnitLevel};

use std::collections::HashMap;
use std::sync::LazyLock;

use crate::header::{norm, norm_static};
use crate::sheet::Cell;

/// The coded enums of the core, seen through one interface.
pub trait Coded: Copy + PartialEq + 'static {
    fn all() -> &'static [Self];
    fn code(self) -> &'static str;
    fn label(self) -> &'static str;
}

macro_rules! coded {
    ($($t:ty),* $(,)?) => {$(
        impl Coded for $t {
            fn all() -> &'static [Self] { <$t>::ALL }
            fn code(self) -> &'static str { <$t>::code(self) }
            fn label(self) -> &'static str { <$t>::label(self) }
        }
    )*};
}

coded!(
    Sex, Category, PostRank, UnitLevel, UnitKind, Sector, QualificationKind, TrainingKind, Topic, StudyForm,
    ClassStatus, EnrolmentStatus, FundingSource,
);

/// Languages: code stored, Vietnamese name written. Foreign languages first,
/// then ethnic-minority languages.
pub const LANGUAGES: &[(&str, &str)] = &[
    ("en", "Tiếng Anh"),
    ("fr", "Tiếng Pháp"),
    ("zh", "Tiếng Trung"),
    ("ru", "Tiếng Nga"),
    ("ja", "Tiếng Nhật"),
    ("ko", "Tiếng Hàn"),
    ("de", "Tiếng Đức"),
    ("lo", "Tiếng Lào"),
    ("th", "Tiếng Thái Lan"),
    ("khmer", "Tiếng Khmer"),
    ("hmong", "Tiếng H'Mông"),
    ("ede", "Tiếng Ê Đê"),
    ("jrai", "Tiếng Gia Rai"),
    ("bahnar", "Tiếng Ba Na"),
    ("thai", "Tiếng Thái"),
    ("tay", "Tiếng Tày"),
    ("nung", "Tiếng Nùng"),
    ("cham", "Tiếng Chăm"),
    ("koho", "Tiếng Cơ Ho"),
    ("mnong", "Tiếng Mnông"),
];

/// A list's normalised codes and names → the first entry that has it (what a
/// scan of the list in order would find), built once rather than per cell.
fn index<'a>(entries: impl Iterator<Item = (&'a str, &'a str)>) -> HashMap<String, usize> {
    let mut out = HashMap::new();
    for (i, (code, name)) in entries.enumerate() {
        out.entry(norm(code)).or_insert(i);
        out.entry(norm(name)).or_insert(i);
    }
    out
}

/// Text as stored: NFC, trimmed, inner runs of spaces made one.
pub fn text(cell: &Cell) -> String {
    clean(&cell.as_text())
}

pub fn clean(s: &str) -> String {
    let s = nfc(s);
    // Most cells are clean already: keep them without rebuilding.
    let clean = !s.starts_with(char::is_whitespace)
        && !s.ends_with(char::is_whitespace)
        && !s.chars().zip(s.chars().skip(1)).any(|(a, b)| a.is_whitespace() && (b.is_whitespace() || a != ' '));
    if clean { s } else { s.split_whitespace().collect::<Vec<_>>().join(" ") }
}

fn quoted(cell: &Cell) -> String {
    cell.as_text().trim().to_string()
}

/// Excel's serial day 0 is 30 December 1899 (it counts a 29 February 1900 that
/// never was, so serials from 61 on are right from this origin).
fn excel_origin() -> NaiveDate {
    NaiveDate::from_ymd_opt(1899, 12, 30).expect("valid date")
}

pub fn date_from_serial(serial: f64) -> Option<NaiveDate> {
    if !(61.0..2_958_466.0).contains(&serial) {
        return None;
    }
    excel_origin().checked_add_days(chrono::Days::new(serial.floor() as u64))
}

pub fn serial_from_date(d: NaiveDate) -> f64 {
    (d - excel_origin()).num_days() as f64
}

/// A date written dd/mm/yyyy (also with '-' or '.', one-digit day and month),
/// yyyy-mm-dd, an Excel serial number, or a cell Excel typed as a date.
pub fn date(cell: &Cell) -> Result<NaiveDate, String> {
    let bad = || format!("'{}' không phải ngày hợp lệ", quoted(cell));
    match cell {
        Cell::Date(d) => Ok(*d),
        Cell::Number(n) => date_from_serial(*n).ok_or_else(bad),
        Cell::Text(s) => {
            let s = s.trim();
            // A time part ("1980-03-05 00:00:00") is dropped.
            let s = s.split_whitespace().next().unwrap_or("");
            let parts: Vec<&str> = s.split(['/', '-', '.']).collect();
            let nums: Option<Vec<u32>> = parts.iter().map(|p| p.parse::<u32>().ok()).collect();
            let d = match (parts.as_slice(), nums) {
                ([y, _, _], Some(n)) if y.len() == 4 => NaiveDate::from_ymd_opt(n[0] as i32, n[1], n[2]),
                ([_, _, y], Some(n)) if y.len() == 4 => NaiveDate::from_ymd_opt(n[2] as i32, n[1], n[0]),
                ([_], Some(n)) if s.len() == 5 => date_from_serial(n[0] as f64),
                _ => None,
            };
            d.filter(|d| (1900..=2100).contains(&d.year())).ok_or_else(bad)
        }
        _ => Err(bad()),
    }
}

pub fn integer(cell: &Cell) -> Result<i64, String> {
    let bad = || format!("'{}' không phải số nguyên", quoted(cell));
    match cell {
        Cell::Number(n) if n.fract() == 0.0 => Ok(*n as i64),
        Cell::Text(s) => {
            // Vietnamese thousands separators: "2.800.000" or "2 800 000".
            let digits: String = s.trim().chars().filter(|c| !matches!(c, '.' | ' ' | '\u{a0}')).collect();
            let digits = digits.strip_suffix('đ').or_else(|| digits.strip_suffix("đồng")).unwrap_or(&digits);
            digits.trim().parse().map_err(|_| bad())
        }
        _ => Err(bad()),
    }
}

/// A personal identification number. A number that lost its leading zero in
/// Excel (11 digits) gets it back; anything else malformed is reported.
pub fn identity_number(cell: &Cell) -> Result<String, String> {
    let raw = match cell {
        Cell::Number(n) if n.fract() == 0.0 && *n >= 0.0 => format!("{}", *n as i64),
        other => other.as_text(),
    };
    let s: String = raw.trim().trim_start_matches('\'').chars().filter(|c| !c.is_whitespace()).collect();
    let s = if s.len() == 11 && s.bytes().all(|b| b.is_ascii_digit()) { format!("0{s}") } else { s };
    check_identity_number(&s).map_err(|_| format!("số định danh cá nhân '{}' phải gồm đúng 12 chữ số", raw.trim()))?;
    Ok(s)
}

/// "Có", "x", "1", "yes" are yes; "Không", "0", empty are no.
pub fn yes_no(cell: &Cell) -> Result<bool, String> {
    if let Cell::Bool(b) = cell {
        return Ok(*b);
    }
    match norm(&cell.as_text()).as_str() {
        "co" | "x" | "1" | "yes" | "true" | "dung" => Ok(true),
        "khong" | "0" | "no" | "false" | "" => Ok(false),
        _ => Err(format!("'{}' phải là \"Có\" hoặc để trống", quoted(cell))),
    }
}

/// A term "2021-2026" (also with an en dash or spaces).
pub fn term(cell: &Cell) -> Result<String, String> {
    let s = text(cell);
    match nangluc_core::role::term_years(&s) {
        Some((a, b)) if a < b && (1945..=2100).contains(&a) => Ok(format!("{a}-{b}")),
        _ => Err(format!("'{s}' không phải nhiệm kỳ hợp lệ (ví dụ 2021-2026)")),
    }
}

/// A value of a coded list, by label or code, or by one of `aliases` (compared
/// as normalised headers are).
pub fn coded<T: Coded>(cell: &Cell, list: &str, aliases: &[(&'static str, T)]) -> Result<T, String> {
    let key = norm(&cell.as_text());
    T::all()
        .iter()
        .copied()
        .find(|v| norm_static(v.label()) == key || norm_static(v.code()) == key)
        .or_else(|| aliases.iter().find(|(a, _)| norm_static(a) == key).map(|(_, v)| *v))
        .ok_or_else(|| not_in_list(cell, list, T::all().iter().map(|v| v.label())))
}

fn not_in_list<'a>(cell: &Cell, list: &str, values: impl Iterator<Item = &'a str>) -> String {
    let values: Vec<&str> = values.collect();
    if values.len() <= 8 {
        format!("'{}' không có trong danh mục {list} ({})", quoted(cell), values.join(", "))
    } else {
        format!("'{}' không có trong danh mục {list}", quoted(cell))
    }
}

pub fn sex(cell: &Cell) -> Result<Sex, String> {
    coded(cell, "giới tính", &[("m", Sex::Male), ("male", Sex::Male), ("f", Sex::Female), ("female", Sex::Female), ("nư", Sex::Female)])
}

/// An ethnic group by name (any spelling `Ethnicity::from_name` accepts) or code 1–54.
pub fn ethnicity(cell: &Cell) -> Result<Ethnicity, String> {
    let s = text(cell);
    let s = s.strip_prefix("Dân tộc ").or_else(|| s.strip_prefix("dân tộc ")).unwrap_or(&s);
    Ethnicity::from_name(s)
        .or_else(|| s.parse::<u8>().ok().and_then(Ethnicity::from_code))
        .or_else(|| match norm(s).as_str() {
            "viet" | "kinh viet" => Some(Ethnicity::KINH),
            "meo" | "mong" => Ethnicity::from_name("H'Mông"),
            _ => None,
        })
        .ok_or_else(|| format!("'{}' không có trong danh mục 54 dân tộc", quoted(cell)))
}

pub fn category(cell: &Cell) -> Result<Category, String> {
    coded(
        cell,
        "loại cán bộ",
        &[
            ("cb", Category::Cadre),
            ("cc", Category::CivilServant),
            ("vc", Category::PublicEmployee),
            ("cong chuc xa", Category::CommuneCivilServant),
            ("can bo xa", Category::CommuneCadre),
            ("khong chuyen trach", Category::NonProfessional),
            ("nguoi hoat dong khong chuyen trach", Category::NonProfessional),
        ],
    )
}

/// A rank (ngạch) or professional title: its code ("01.003") or name.
pub fn rank(cell: &Cell) -> Result<String, String> {
    static INDEX: LazyLock<HashMap<String, usize>> = LazyLock::new(|| index(RANKS.iter().map(|r| (r.0, r.1))));
    INDEX
        .get(&norm(&cell.as_text()))
        .map(|&i| RANKS[i].0.to_string())
        .ok_or_else(|| format!("'{}' không có trong danh mục ngạch, chức danh nghề nghiệp", quoted(cell)))
}

/// A leadership post: its code or name; with its rank.
pub fn post(cell: &Cell) -> Result<(String, PostRank), String> {
    static INDEX: LazyLock<HashMap<String, usize>> = LazyLock::new(|| index(POSTS.iter().map(|p| (p.0, p.1))));
    INDEX
        .get(&norm(&cell.as_text()))
        .map(|&i| (POSTS[i].0.to_string(), POSTS[i].2))
        .ok_or_else(|| format!("'{}' không có trong danh mục chức vụ", quoted(cell)))
}

/// A post planned for: a known post, or a group code such as `bo_chinh_tri`.
pub fn planned_post(cell: &Cell) -> Result<String, String> {
    if let Ok((code, _)) = post(cell) {
        return Ok(code);
    }
    let s = cell.as_text().trim().to_string();
    if !s.is_empty() && s.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_') {
        Ok(s)
    } else {
        Err(format!("'{s}' không có trong danh mục chức vụ"))
    }
}

pub fn qualification_kind(cell: &Cell) -> Result<QualificationKind, String> {
    use QualificationKind::*;
    coded(
        cell,
        "loại trình độ",
        &[
            ("chuyen mon", Education),
            ("trinh do chuyen mon", Education),
            ("llct", PoliticalTheory),
            ("chinh tri", PoliticalTheory),
            ("qlnn", StateManagement),
            ("ngoai ngu", ForeignLanguage),
            ("tin hoc", It),
            ("tieng dtts", MinorityLanguage),
            ("qp an", DefenceSecurity),
            ("qpan", DefenceSecurity),
            ("quoc phong an ninh", DefenceSecurity),
            ("cdnn", TitleStandard),
        ],
    )
}

pub fn level(kind: QualificationKind, cell: &Cell) -> Result<Level, String> {
    Level::parse(kind, &text(cell)).ok_or_else(|| {
        let names: Vec<&str> = kind.levels().map(|l| l.name()).collect();
        format!("'{}' không phải trình độ {} ({})", quoted(cell), kind.label().to_lowercase(), names.join(", "))
    })
}

/// A language: its name with or without "Tiếng", or its code.
pub fn language(cell: &Cell) -> Result<String, String> {
    let key = norm(&cell.as_text());
    let key = key.strip_prefix("tieng ").unwrap_or(&key);
    LANGUAGES
        .iter()
        .find(|(code, name)| *code == key || norm(name).strip_prefix("tieng ") == Some(key))
        .map(|(code, _)| code.to_string())
        .ok_or_else(|| format!("'{}' không có trong danh mục ngôn ngữ", quoted(cell)))
}

pub fn language_name(code: &str) -> &str {
    LANGUAGES.iter().find(|l| l.0 == code).map(|l| l.1).unwrap_or(code)
}

/// Splits a full name: the first word is the family name, the last the given
/// name, the rest the middle name. Compound family names need the separate columns.
pub fn split_full_name(full: &str) -> Result<(String, String, String), String> {
    let words: Vec<&str> = full.split_whitespace().collect();
    if words.len() < 2 {
        return Err(format!("'{full}' phải gồm ít nhất họ và tên"));
    }
    Ok((words[0].to_string(), words[1..words.len() - 1].join(" "), words[words.len() - 1].to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(s: &str) -> Cell {
        Cell::Text(s.into())
    }

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn dates_as_people_write_them() {
        for c in [t("05/03/1980"), t("5/3/1980"), t("1980-03-05"), t("05-03-1980"), t("5.3.1980"), Cell::Number(29285.0), t("29285"), Cell::Date(d(1980, 3, 5))] {
            assert_eq!(date(&c), Ok(d(1980, 3, 5)), "{c:?}");
        }
        assert_eq!(date(&t("31/02/1980")), Err("'31/02/1980' không phải ngày hợp lệ".into()));
        assert!(date(&t("5/3/80")).is_err());
        assert_eq!(serial_from_date(d(1980, 3, 5)), 29285.0);
    }

    #[test]
    fn sexes_and_identity_numbers() {
        for s in ["Nữ", "nữ", "NU", "nu", "F", "Nu\u{303}"] {
            assert_eq!(sex(&t(s)), Ok(Sex::Female), "{s}");
        }
        for s in ["Nam", "nam", "M"] {
            assert_eq!(sex(&t(s)), Ok(Sex::Male), "{s}");
        }
        assert_eq!(identity_number(&Cell::Number(72190001234.0)), Ok("072190001234".into()));
        assert_eq!(identity_number(&t("0721 9000 1234")), Ok("072190001234".into()));
        assert!(identity_number(&t("7219000123")).is_err());
    }

    #[test]
    fn languages_and_names() {
        assert_eq!(language(&t("Tiếng Anh")), Ok("en".into()));
        assert_eq!(language(&t("anh")), Ok("en".into()));
        assert_eq!(language(&t("Khmer")), Ok("khmer".into()));
        assert_eq!(split_full_name("Nguyễn Thị Minh Khai").unwrap(), ("Nguyễn".into(), "Thị Minh".into(), "Khai".into()));
        assert_eq!(integer(&t("2.800.000")), Ok(2_800_000));
    }
}
