//! Qualifications with the date obtained, each on its own ordered scale.
//!
//! A level is stored as a short code (`dai_hoc`, `4`, `cao_cap`); [`Level`]
//! parses what people write ("Thạc sĩ", "ThS", "bậc 4", "B2") and gives the
//! rank used to compare levels (`language_level >= 4`).

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::code_enum;
use crate::text::search_key;

code_enum! {
    pub enum QualificationKind {
        /// Trình độ chuyên môn.
        Education => ("education", "Trình độ chuyên môn"),
        /// Lý luận chính trị.
        PoliticalTheory => ("political_theory", "Lý luận chính trị"),
        /// Quản lý nhà nước, by rank programme.
        StateManagement => ("state_management", "Quản lý nhà nước"),
        /// Ngoại ngữ, level 1–6 per language.
        ForeignLanguage => ("foreign_language", "Ngoại ngữ"),
        /// Tin học.
        It => ("it", "Tin học"),
        /// Tiếng dân tộc thiểu số.
        MinorityLanguage => ("minority_language", "Tiếng dân tộc thiểu số"),
        /// Kiến thức quốc phòng và an ninh, by audience group.
        DefenceSecurity => ("defence_security", "Kiến thức quốc phòng và an ninh"),
        /// Bồi dưỡng theo tiêu chuẩn chức danh nghề nghiệp (field: the title code).
        TitleStandard => ("title_standard", "Tiêu chuẩn chức danh nghề nghiệp"),
        /// Bồi dưỡng lãnh đạo, quản lý by post rank.
        Leadership => ("leadership", "Bồi dưỡng lãnh đạo, quản lý"),
    }
}

/// The levels of each scale, lowest first: (code, Vietnamese name, rank, aliases).
/// Aliases are compared on their search key (no case, no diacritics).
type Scale = &'static [(&'static str, &'static str, u8, &'static [&'static str])];

const EDUCATION: Scale = &[
    ("so_cap", "Sơ cấp", 1, &[]),
    ("trung_cap", "Trung cấp", 2, &["tc"]),
    ("cao_dang", "Cao đẳng", 3, &["cd"]),
    ("dai_hoc", "Đại học", 4, &["dh", "cu nhan", "ky su", "bac si"]),
    ("thac_si", "Thạc sĩ", 5, &["ths", "thac sy"]),
    ("chuyen_khoa_1", "Chuyên khoa cấp I", 5, &["ck1", "cki", "chuyen khoa i", "bsck1", "bs ck1"]),
    ("tien_si", "Tiến sĩ", 6, &["ts", "tien sy"]),
    ("chuyen_khoa_2", "Chuyên khoa cấp II", 6, &["ck2", "ckii", "chuyen khoa ii", "bsck2", "bs ck2"]),
];

const POLITICAL_THEORY: Scale = &[
    ("so_cap", "Sơ cấp", 1, &["sc"]),
    ("trung_cap", "Trung cấp", 2, &["tc"]),
    ("cao_cap", "Cao cấp", 3, &["cc"]),
    ("cu_nhan", "Cử nhân", 3, &["cu nhan chinh tri"]),
];

const STATE_MANAGEMENT: Scale = &[
    ("chuyen_vien", "Chuyên viên", 1, &["cv", "ngach chuyen vien"]),
    ("chuyen_vien_chinh", "Chuyên viên chính", 2, &["cvc", "ngach chuyen vien chinh"]),
    ("chuyen_vien_cao_cap", "Chuyên viên cao cấp", 3, &["cvcc", "ngach chuyen vien cao cap"]),
];

const FOREIGN_LANGUAGE: Scale = &[
    ("1", "Bậc 1 (A1)", 1, &["a1", "bac 1", "bac1"]),
    ("2", "Bậc 2 (A2)", 2, &["a2", "bac 2", "bac2"]),
    ("3", "Bậc 3 (B1)", 3, &["b1", "bac 3", "bac3"]),
    ("4", "Bậc 4 (B2)", 4, &["b2", "bac 4", "bac4"]),
    ("5", "Bậc 5 (C1)", 5, &["c1", "bac 5", "bac5"]),
    ("6", "Bậc 6 (C2)", 6, &["c2", "bac 6", "bac6"]),
];

const IT: Scale = &[
    ("co_ban", "Cơ bản", 1, &["ung dung cntt co ban", "basic"]),
    ("nang_cao", "Nâng cao", 2, &["ung dung cntt nang cao", "advanced"]),
];

/// A certificate in a language: no finer scale in the source plans.
const MINORITY_LANGUAGE: Scale = &[
    ("giao_tiep", "Giao tiếp được", 1, &["co ban", "chung chi"]),
];

const DEFENCE_SECURITY: Scale = &[
    ("doi_tuong_4", "Đối tượng 4", 1, &["dt4", "4"]),
    ("doi_tuong_3", "Đối tượng 3", 2, &["dt3", "3"]),
    ("doi_tuong_2", "Đối tượng 2", 3, &["dt2", "2"]),
    ("doi_tuong_1", "Đối tượng 1", 4, &["dt1", "1"]),
];

const TITLE_STANDARD: Scale = &[("dat", "Đạt chuẩn", 1, &["dat chuan", "co chung chi"])];

const LEADERSHIP: Scale = &[
    ("cap_phong", "Lãnh đạo cấp phòng", 1, &["division", "cap phong"]),
    ("cap_huyen", "Lãnh đạo cấp huyện", 2, &["cap huyen"]),
    ("cap_so", "Lãnh đạo cấp sở", 2, &["department", "cap so"]),
    ("cap_tinh", "Lãnh đạo cấp tỉnh", 3, &["province", "cap tinh"]),
];

impl QualificationKind {
    fn scale(self) -> Scale {
        match self {
            QualificationKind::Education => EDUCATION,
            QualificationKind::PoliticalTheory => POLITICAL_THEORY,
            QualificationKind::StateManagement => STATE_MANAGEMENT,
            QualificationKind::ForeignLanguage => FOREIGN_LANGUAGE,
            QualificationKind::It => IT,
            QualificationKind::MinorityLanguage => MINORITY_LANGUAGE,
            QualificationKind::DefenceSecurity => DEFENCE_SECURITY,
            QualificationKind::TitleStandard => TITLE_STANDARD,
            QualificationKind::Leadership => LEADERSHIP,
        }
    }

    /// The level codes of this kind's scale, lowest first.
    pub fn levels(self) -> impl Iterator<Item = Level> {
        self.scale().iter().map(move |l| Level { kind: self, code: l.0, rank: l.2 })
    }

    /// Whether a qualification of this kind names a language.
    pub fn has_language(self) -> bool {
        matches!(self, QualificationKind::ForeignLanguage | QualificationKind::MinorityLanguage)
    }
}

/// A level on a kind's scale.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Level {
    pub kind: QualificationKind,
    pub code: &'static str,
    /// Position on the scale; equal ranks are equivalent (thạc sĩ, chuyên khoa I).
    pub rank: u8,
}

impl Level {
    /// Parses a level as people write it: the code, the Vietnamese name or an
    /// alias, ignoring case, diacritics and spacing.
    pub fn parse(kind: QualificationKind, text: &str) -> Option<Level> {
        let key = search_key(text.trim());
        let key = key.split_whitespace().collect::<Vec<_>>().join(" ");
        kind.scale()
            .iter()
            .find(|(code, name, _, aliases)| {
                *code == key
                    || search_key(name) == key
                    || search_key(&code.replace('_', " ")) == key
                    || aliases.contains(&key.as_str())
            })
            .map(|l| Level { kind, code: l.0, rank: l.2 })
    }

    pub fn from_code(kind: QualificationKind, code: &str) -> Option<Level> {
        kind.scale().iter().find(|l| l.0 == code).map(|l| Level { kind, code: l.0, rank: l.2 })
    }

    pub fn name(self) -> &'static str {
        self.kind.scale().iter().find(|l| l.0 == self.code).map(|l| l.1).unwrap_or(self.code)
    }
}

/// A qualification a person holds from `obtained_on` (the start of its validity).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Qualification {
    pub person_id: i64,
    pub kind: QualificationKind,
    /// Level code on the kind's scale (see [`Level`]).
    pub level: String,
    /// Field of study (ngành), or the title code for a title standard.
    pub field: Option<String>,
    /// Language code for languages: `en`, `fr`, `zh`, `khmer`…
    pub language: Option<String>,
    pub obtained_on: NaiveDate,
    /// Certificate or diploma number, or other evidence.
    pub evidence: Option<String>,
    /// The enrolment whose completion granted it, if any.
    pub enrolment_id: Option<i64>,
}

impl Qualification {
    pub fn level(&self) -> Option<Level> {
        Level::from_code(self.kind, &self.level)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use QualificationKind::*;

    #[test]
    fn levels_parse_from_what_people_write() {
        for s in ["Thạc sĩ", "ThS", "thac si", "THẠC SĨ", "thac_si"] {
            assert_eq!(Level::parse(Education, s).map(|l| l.code), Some("thac_si"), "{s}");
        }
        for s in ["bậc 4", "B2", "4", "Bậc 4 (B2)", "b2"] {
            assert_eq!(Level::parse(ForeignLanguage, s).map(|l| l.code), Some("4"), "{s}");
        }
        assert_eq!(Level::parse(PoliticalTheory, "Cử nhân").map(|l| l.rank), Some(3));
        assert_eq!(Level::parse(Education, "kỹ sư").map(|l| l.code), Some("dai_hoc"));
        assert_eq!(Level::parse(ForeignLanguage, "bậc 7"), None);
    }

    #[test]
    fn scales_order_levels() {
        let r = |k, s| Level::parse(k, s).unwrap().rank;
        assert!(r(Education, "Tiến sĩ") > r(Education, "Thạc sĩ"));
        assert_eq!(r(Education, "CK1"), r(Education, "Thạc sĩ"));
        assert_eq!(r(PoliticalTheory, "cử nhân"), r(PoliticalTheory, "cao cấp"));
        assert!(r(StateManagement, "CVC") > r(StateManagement, "CV"));
        for k in QualificationKind::ALL {
            let ranks: Vec<u8> = k.levels().map(|l| l.rank).collect();
            assert!(ranks.windows(2).all(|w| w[0] <= w[1]), "{k:?} is listed lowest first");
        }
    }
}
