//! People: identity and personal details.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::code_enum;

code_enum! {
    pub enum Sex {
        Male => ("male", "Nam"),
        Female => ("female", "Nữ"),
    }
}

/// The 54 official ethnic groups, by the General Statistics Office's code
/// (Decision 121-TCTK/PPCĐ): 1 is Kinh.
pub const ETHNIC_GROUPS: [&str; 54] = [
    "Kinh", "Tày", "Thái", "Hoa", "Khmer", "Mường", "Nùng", "H'Mông", "Dao", "Gia Rai",
    "Ngái", "Ê Đê", "Ba Na", "Xơ Đăng", "Sán Chay", "Cơ Ho", "Chăm", "Sán Dìu", "Hrê", "Mnông",
    "Ra Glai", "Xtiêng", "Bru Vân Kiều", "Thổ", "Giáy", "Cơ Tu", "Gié Triêng", "Mạ", "Khơ Mú", "Co",
    "Tà Ôi", "Chơ Ro", "Kháng", "Xinh Mun", "Hà Nhì", "Chu Ru", "Lào", "La Chí", "La Ha", "Phù Lá",
    "La Hủ", "Lự", "Lô Lô", "Chứt", "Mảng", "Pà Thẻn", "Cơ Lao", "Cống", "Bố Y", "Si La",
    "Pu Péo", "Brâu", "Ơ Đu", "Rơ Măm",
];

/// An official ethnic group, by code 1..=54.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "u8", into = "u8")]
pub struct Ethnicity(u8);

impl Ethnicity {
    pub const KINH: Ethnicity = Ethnicity(1);
    pub const KHMER: Ethnicity = Ethnicity(5);

    pub fn from_code(code: u8) -> Option<Self> {
        (1..=54).contains(&code).then_some(Self(code))
    }

    /// Finds a group by its name, ignoring case, diacritics and spacing
    /// ("hmong", "H'Mông", "Ê-đê").
    pub fn from_name(name: &str) -> Option<Self> {
        fn key(s: &str) -> String {
            crate::text::search_key(s).replace([' ', '\'', '-'], "")
        }
        // The 54 keys once, not per name read (imports read one per row).
        static KEYS: std::sync::LazyLock<Vec<String>> = std::sync::LazyLock::new(|| ETHNIC_GROUPS.iter().map(|g| key(g)).collect());
        let wanted = key(name);
        KEYS.iter().position(|g| *g == wanted).map(|i| Self(i as u8 + 1))
    }

    pub fn code(self) -> u8 {
        self.0
    }

    pub fn name(self) -> &'static str {
        ETHNIC_GROUPS[self.0 as usize - 1]
    }

    /// Every group but Kinh is an ethnic minority.
    pub fn is_minority(self) -> bool {
        self != Self::KINH
    }
}

impl TryFrom<u8> for Ethnicity {
    type Error = String;
    fn try_from(code: u8) -> Result<Self, String> {
        Self::from_code(code).ok_or_else(|| format!("mã dân tộc {code} không nằm trong 1–54"))
    }
}

impl From<Ethnicity> for u8 {
    fn from(e: Ethnicity) -> u8 {
        e.0
    }
}

/// A person's details, versioned like every fact (a corrected birth date is a
/// new version, the old one stays readable as it was known).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PersonDetails {
    /// Số định danh cá nhân: the 12-digit personal identification number that
    /// keys the national CBCCVC database.
    pub identity_number: String,
    /// Họ.
    pub family_name: String,
    /// Tên đệm (may be empty).
    pub middle_name: String,
    /// Tên.
    pub given_name: String,
    pub birth_date: NaiveDate,
    pub sex: Sex,
    pub ethnicity: Ethnicity,
}

impl PersonDetails {
    pub fn full_name(&self) -> String {
        [&self.family_name, &self.middle_name, &self.given_name]
            .iter()
            .filter(|s| !s.is_empty())
            .map(|s| s.as_str())
            .collect::<Vec<_>>()
            .join(" ")
    }
}

/// Checks a personal identification number: 12 digits, the first three a
/// province-of-birth code, the fourth a century-and-sex digit.
pub fn check_identity_number(s: &str) -> Result<(), String> {
    if s.len() != 12 || !s.bytes().all(|b| b.is_ascii_digit()) {
        return Err(format!("số định danh cá nhân '{s}' phải gồm đúng 12 chữ số"));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ethnic_groups_by_name_and_code() {
        assert_eq!(ETHNIC_GROUPS.len(), 54);
        assert_eq!(Ethnicity::from_name("kinh"), Some(Ethnicity::KINH));
        assert_eq!(Ethnicity::from_name("KHMER"), Some(Ethnicity::KHMER));
        assert_eq!(Ethnicity::from_name("hmong").map(|e| e.name()), Some("H'Mông"));
        assert_eq!(Ethnicity::from_name("Ê-đê").map(|e| e.code()), Some(12));
        assert_eq!(Ethnicity::from_code(55), None);
        assert!(!Ethnicity::KINH.is_minority());
        assert!(Ethnicity::KHMER.is_minority());
    }

    #[test]
    fn identity_numbers_have_twelve_digits() {
        assert!(check_identity_number("072190001234").is_ok());
        assert!(check_identity_number("07219000123").is_err());
        assert!(check_identity_number("07219000123a").is_err());
    }
}
