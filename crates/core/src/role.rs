//! Roles over time, beside employment: People's Council delegate, management by
//! the Provincial Party Standing Committee, succession planning, party posts.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::code_enum;
use crate::unit::UnitLevel;

code_enum! {
    pub enum RoleKind {
        /// Đại biểu HĐND for a term at a level.
        CouncilDelegate => ("council_delegate", "Đại biểu HĐND"),
        /// Cán bộ diện Ban Thường vụ Tỉnh ủy quản lý.
        StandingCommitteeManaged => ("standing_committee_managed", "Diện Ban Thường vụ Tỉnh ủy quản lý"),
        /// Quy hoạch: planned for a post for a term, approved on a date.
        SuccessionPlanning => ("succession_planning", "Quy hoạch chức danh"),
        /// Ủy viên Ban Chấp hành Đảng bộ tỉnh.
        PartyExecutiveMember => ("party_executive_member", "Ủy viên Ban Chấp hành Đảng bộ tỉnh"),
        /// Bí thư chi bộ.
        PartyCellSecretary => ("party_cell_secretary", "Bí thư chi bộ"),
    }
}

/// A role a person holds over the validity of its row.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Role {
    pub person_id: i64,
    pub kind: RoleKind,
    /// Term, written as in the documents: "2021-2026", "2025-2030".
    pub term: Option<String>,
    /// Level of the council, or of the post planned for.
    pub level: Option<UnitLevel>,
    /// For succession planning: the post planned for (post code or a named
    /// group such as `bo_chinh_tri` for Politburo posts).
    pub post: Option<String>,
    /// Approval date of the planning decision, or election date of a delegate.
    pub approved_on: Option<NaiveDate>,
}

/// Start and end years of a term written "2021-2026" (or with an en dash).
pub fn term_years(term: &str) -> Option<(i32, i32)> {
    let (a, b) = term.split_once(['-', '–'])?;
    Some((a.trim().parse().ok()?, b.trim().parse().ok()?))
}
