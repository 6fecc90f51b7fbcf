//! Units (cơ quan, đơn vị): a tree that changes over time.
//!
//! A unit's name, code, level, kind and parent are a versioned fact
//! ([`UnitVersion`]); renaming or moving a unit ends one version and starts the
//! next. Mergers, splits and dissolutions are [`UnitChange`]s that link a unit to
//! its successors, so that old → new mappings can be followed.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::code_enum;

code_enum! {
    /// The administrative level of a unit.
    pub enum UnitLevel {
        Central => ("central", "Trung ương"),
        Province => ("province", "Cấp tỉnh"),
        /// Abolished on 1 July 2025; historical data keeps it.
        District => ("district", "Cấp huyện"),
        Commune => ("commune", "Cấp xã"),
    }
}

code_enum! {
    /// What kind of body a unit is.
    pub enum UnitKind {
        /// Party committees and their boards (Tỉnh ủy, Ban Tổ chức…).
        Party => ("party", "Cơ quan Đảng"),
        /// State administration: People's Committees and their departments.
        State => ("state", "Cơ quan hành chính nhà nước"),
        /// People's Council offices.
        Council => ("council", "Hội đồng nhân dân"),
        /// Fatherland Front and mass organisations.
        MassOrganisation => ("mass_org", "Mặt trận, đoàn thể"),
        /// Public service units: schools, hospitals, centres (employ viên chức).
        PublicService => ("public_service", "Đơn vị sự nghiệp công lập"),
    }
}

code_enum! {
    /// The sector of a unit, used by targets such as "health and science sectors".
    pub enum Sector {
        General => ("general", "Quản lý chung"),
        Education => ("education", "Giáo dục"),
        Health => ("health", "Y tế"),
        Culture => ("culture", "Văn hóa, thể thao, du lịch"),
        Science => ("science", "Khoa học và công nghệ"),
        Agriculture => ("agriculture", "Nông nghiệp và môi trường"),
        Construction => ("construction", "Xây dựng"),
        Finance => ("finance", "Tài chính"),
        Justice => ("justice", "Tư pháp"),
        HomeAffairs => ("home_affairs", "Nội vụ"),
        Industry => ("industry", "Công thương"),
        Information => ("information", "Thông tin, truyền thông"),
        EthnicAffairs => ("ethnic_affairs", "Dân tộc, tôn giáo"),
        Politics => ("politics", "Chính trị"),
    }
}

code_enum! {
    /// How a unit ended or changed shape.
    pub enum UnitChangeKind {
        /// The unit was merged into its successor and ends.
        MergedInto => ("merged_into", "Sáp nhập vào"),
        /// The unit was split; each successor takes part of it.
        SplitInto => ("split_into", "Chia tách thành"),
        /// The unit ends without successor.
        Dissolved => ("dissolved", "Giải thể"),
        /// The unit continues as another unit (for example renamed and re-coded
        /// by a reorganisation), one to one.
        SucceededBy => ("succeeded_by", "Được kế thừa bởi"),
    }
}

/// One version of a unit: true over the validity of its row.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UnitVersion {
    /// Administrative or internal code, kept as a zero-padded string
    /// (Decision 19/2025/QĐ-TTg: 2-digit province, 5-digit commune).
    pub code: String,
    pub name: String,
    pub level: UnitLevel,
    pub kind: UnitKind,
    pub sector: Sector,
    /// The parent unit; `None` for the root (the province itself).
    pub parent_id: Option<i64>,
    /// The unit is in an area with many ethnic-minority people.
    pub minority_area: bool,
}

/// A structural change: `unit_id` ends on `date` and (except for dissolution)
/// passes to `successor_id`. A split has one row per successor.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UnitChange {
    pub unit_id: i64,
    pub kind: UnitChangeKind,
    pub successor_id: Option<i64>,
    pub date: NaiveDate,
    /// The decision or resolution behind the change.
    pub decision: String,
}

/// Administrative codes: a province has two digits, a commune five.
pub fn check_admin_code(level: UnitLevel, code: &str) -> Result<(), String> {
    let digits = match level {
        UnitLevel::Province => 2,
        UnitLevel::Commune => 5,
        _ => return Ok(()),
    };
    if code.len() == digits && code.bytes().all(|b| b.is_ascii_digit()) {
        Ok(())
    } else {
        Err(format!("mã đơn vị hành chính {} phải gồm đúng {digits} chữ số", level.label().to_lowercase()))
    }
}
