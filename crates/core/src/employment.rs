//! Employment over time: where a person works, in which category, rank, job
//! position and leadership post. Each row holds for its validity; a move or a
//! promotion ends one row and starts another.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::code_enum;

/// 1 July 2025: the Law on Cadres and Civil Servants 80/2025/QH15 takes effect,
/// the district level is abolished and communes merge.
pub const REFORM_2025: NaiveDate = match NaiveDate::from_ymd_opt(2025, 7, 1) {
    Some(d) => d,
    None => panic!("valid date"),
};

code_enum! {
    /// Staff category. Which categories exist depends on the date.
    pub enum Category {
        /// Cán bộ: elected or appointed for a term.
        Cadre => ("cadre", "Cán bộ"),
        /// Công chức.
        CivilServant => ("civil_servant", "Công chức"),
        /// Cán bộ cấp xã: a separate category until 30 June 2025.
        CommuneCadre => ("commune_cadre", "Cán bộ cấp xã"),
        /// Công chức cấp xã: a separate category until 30 June 2025.
        CommuneCivilServant => ("commune_civil_servant", "Công chức cấp xã"),
        /// Viên chức: works in a public service unit.
        PublicEmployee => ("public_employee", "Viên chức"),
        /// Người hoạt động không chuyên trách ở cấp xã.
        NonProfessional => ("non_professional", "Người hoạt động không chuyên trách cấp xã"),
    }
}

impl Category {
    /// Whether the category exists in law on `date`.
    pub fn in_force_on(self, date: NaiveDate) -> bool {
        match self {
            Category::CommuneCadre | Category::CommuneCivilServant => date < REFORM_2025,
            _ => true,
        }
    }

    /// The category a person of this category holds from 1 July 2025, when
    /// commune cadres and civil servants joined the one civil service.
    pub fn after_reform_2025(self) -> Category {
        match self {
            Category::CommuneCadre => Category::Cadre,
            Category::CommuneCivilServant => Category::CivilServant,
            other => other,
        }
    }

    /// Cán bộ or công chức, at any level and date.
    pub fn is_cadre_or_civil_servant(self) -> bool {
        !matches!(self, Category::PublicEmployee | Category::NonProfessional)
    }
}

code_enum! {
    /// The rank of a leadership post.
    pub enum PostRank {
        /// Cấp phòng: head or deputy of a division.
        Division => ("division", "Cấp phòng"),
        /// Cấp sở, cấp huyện: head or deputy of a department or district.
        Department => ("department", "Cấp sở, cấp huyện"),
        /// Cấp tỉnh: provincial leaders.
        Province => ("province", "Cấp tỉnh"),
    }
}

/// A leadership post held with an employment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Post {
    /// Post code, e.g. `truong_phong`, `chu_tich_ubnd` (see [`POSTS`]).
    pub code: String,
    pub rank: PostRank,
    /// Date of appointment (bổ nhiệm) to this post, if appointed.
    pub appointed_on: Option<NaiveDate>,
    /// Date of election (bầu cử) to this post, if elected.
    pub elected_on: Option<NaiveDate>,
}

impl Post {
    /// The event that starts "within N months of taking up the post" deadlines.
    pub fn taken_up_on(&self) -> Option<NaiveDate> {
        match (self.appointed_on, self.elected_on) {
            (Some(a), Some(e)) => Some(a.max(e)),
            (a, e) => a.or(e),
        }
    }

    pub fn is_head(&self) -> bool {
        !self.code.starts_with("pho_")
    }
}

/// Known leadership posts: code, Vietnamese name, rank.
pub const POSTS: &[(&str, &str, PostRank)] = &[
    ("chu_tich_ubnd_tinh", "Chủ tịch UBND tỉnh", PostRank::Province),
    ("pho_chu_tich_ubnd_tinh", "Phó Chủ tịch UBND tỉnh", PostRank::Province),
    ("bi_thu_tinh_uy", "Bí thư Tỉnh ủy", PostRank::Province),
    ("pho_bi_thu_tinh_uy", "Phó Bí thư Tỉnh ủy", PostRank::Province),
    ("giam_doc_so", "Giám đốc sở", PostRank::Department),
    ("pho_giam_doc_so", "Phó Giám đốc sở", PostRank::Department),
    ("truong_ban", "Trưởng ban", PostRank::Department),
    ("pho_truong_ban", "Phó Trưởng ban", PostRank::Department),
    ("bi_thu_huyen_uy", "Bí thư Huyện ủy", PostRank::Department),
    ("chu_tich_ubnd_huyen", "Chủ tịch UBND huyện", PostRank::Department),
    ("pho_chu_tich_ubnd_huyen", "Phó Chủ tịch UBND huyện", PostRank::Department),
    ("hieu_truong_truong_chinh_tri", "Hiệu trưởng Trường Chính trị tỉnh", PostRank::Department),
    ("hieu_truong_cao_dang", "Hiệu trưởng trường cao đẳng", PostRank::Department),
    ("giam_doc_benh_vien", "Giám đốc bệnh viện", PostRank::Division),
    ("pho_giam_doc_benh_vien", "Phó Giám đốc bệnh viện", PostRank::Division),
    ("truong_phong", "Trưởng phòng", PostRank::Division),
    ("pho_truong_phong", "Phó Trưởng phòng", PostRank::Division),
    ("chi_cuc_truong", "Chi cục trưởng", PostRank::Division),
    ("giam_doc_trung_tam", "Giám đốc trung tâm", PostRank::Division),
    ("hieu_truong", "Hiệu trưởng", PostRank::Division),
    ("pho_hieu_truong", "Phó Hiệu trưởng", PostRank::Division),
    ("bi_thu_dang_uy_xa", "Bí thư Đảng ủy xã", PostRank::Division),
    ("chu_tich_ubnd_xa", "Chủ tịch UBND xã", PostRank::Division),
    ("pho_chu_tich_ubnd_xa", "Phó Chủ tịch UBND xã", PostRank::Division),
    ("chu_tich_hdnd_xa", "Chủ tịch HĐND xã", PostRank::Division),
];

/// Civil-service ranks (ngạch) and professional titles (chức danh nghề nghiệp):
/// code, name, tier (higher is senior; comparable within a family).
pub const RANKS: &[(&str, &str, u8)] = &[
    ("01.001", "Chuyên viên cao cấp", 4),
    ("01.002", "Chuyên viên chính", 3),
    ("01.003", "Chuyên viên", 2),
    ("01.004", "Cán sự", 1),
    ("01.005", "Nhân viên", 0),
    ("V.07.05.13", "Giáo viên THCS hạng I", 3),
    ("V.07.05.14", "Giáo viên THCS hạng II", 2),
    ("V.07.05.15", "Giáo viên THCS hạng III", 1),
    ("V.07.03.27", "Giáo viên tiểu học hạng I", 3),
    ("V.07.03.28", "Giáo viên tiểu học hạng II", 2),
    ("V.07.03.29", "Giáo viên tiểu học hạng III", 1),
    ("V.07.02.24", "Giáo viên mầm non hạng I", 3),
    ("V.07.02.25", "Giáo viên mầm non hạng II", 2),
    ("V.07.02.26", "Giáo viên mầm non hạng III", 1),
    ("V.07.05.16", "Giáo viên THPT hạng I", 3),
    ("V.07.05.17", "Giáo viên THPT hạng II", 2),
    ("V.07.05.18", "Giáo viên THPT hạng III", 1),
    ("V.08.01.01", "Bác sĩ cao cấp (hạng I)", 3),
    ("V.08.01.02", "Bác sĩ chính (hạng II)", 2),
    ("V.08.01.03", "Bác sĩ (hạng III)", 1),
    ("V.08.05.12", "Điều dưỡng hạng II", 2),
    ("V.08.05.13", "Điều dưỡng hạng III", 1),
    ("V.08.05.14", "Điều dưỡng hạng IV", 0),
    ("V.10.03.08", "Thư viện viên hạng III", 1),
    ("V.05.02.07", "Kỹ sư hạng III", 1),
];

pub fn post_name(code: &str) -> Option<&'static str> {
    POSTS.iter().find(|p| p.0 == code).map(|p| p.1)
}

pub fn rank_name(code: &str) -> Option<&'static str> {
    RANKS.iter().find(|r| r.0 == code).map(|r| r.1)
}

/// One period of a person's employment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Employment {
    pub person_id: i64,
    pub unit_id: i64,
    pub category: Category,
    /// Ngạch or chức danh nghề nghiệp code (see [`RANKS`]).
    pub rank: Option<String>,
    /// Vị trí việc làm.
    pub job_position_id: Option<i64>,
    pub post: Option<Post>,
    /// Works in an ethnic-minority area (usually that of the unit).
    pub minority_area: bool,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn commune_categories_end_with_the_2025_reform() {
        let before = NaiveDate::from_ymd_opt(2025, 6, 30).unwrap();
        assert!(Category::CommuneCivilServant.in_force_on(before));
        assert!(!Category::CommuneCivilServant.in_force_on(REFORM_2025));
        assert_eq!(Category::CommuneCadre.after_reform_2025(), Category::Cadre);
        assert_eq!(Category::PublicEmployee.after_reform_2025(), Category::PublicEmployee);
    }

    #[test]
    fn a_post_is_taken_up_on_its_latest_event() {
        let d = |m| NaiveDate::from_ymd_opt(2021, m, 1);
        let p = Post { code: "chu_tich_ubnd_xa".into(), rank: PostRank::Division, appointed_on: None, elected_on: d(6) };
        assert_eq!(p.taken_up_on(), d(6));
        assert!(p.is_head());
    }
}
