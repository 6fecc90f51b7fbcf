//! Word documents in the official layout of Decree 30/2020/NĐ-CP: the annual
//! training plan with its annexes, and the mid-term and final review reports.
//!
//! - [`layout`]: the Decree 30 frame (A4, margins 20/20/30/15 mm, Times New
//!   Roman 13–14 pt, the two-column header, title, body, tables, "Nơi nhận:"
//!   and signature blocks, page numbers centred at the top from page 2).
//! - [`annual_plan`]: "KẾ HOẠCH Đào tạo, bồi dưỡng … năm YYYY" and its annexes
//!   (target status and need per year, classes per programme per year, budget
//!   by source).
//! - [`review_report`]: "BÁO CÁO Sơ kết / Tổng kết …": each target against its
//!   threshold, by group and by unit, and the counts of women, ethnic
//!   minorities and people from remote areas.
//!
//! Numbers are written the Vietnamese way (2.800; 17,08%), dates dd/mm/yyyy,
//! the date of issue in words ("ngày 23 tháng 11 năm 2026").

mod annual;
pub(crate) mod layout;
mod review;

use std::io::Cursor;
use std::path::Path;

use chrono::NaiveDate;
use nangluc_engine::PlanResult;
pub use nangluc_engine::plan::Group;

use crate::error::WriteError;

use annual::annual_plan_docx;
use review::review_report_docx;

/// What both documents share.
mod common {
    use nangluc_engine::plan::Group;
    use nangluc_engine::{PlanResult, TargetResult};

    /// The targets by group, groups in order of first appearance, each with
    /// its name from `names` (its id when not there).
    pub(crate) fn groups<'a>(r: &'a PlanResult, names: &'a [Group]) -> Vec<(&'a str, Vec<&'a TargetResult>)> {
        let mut out: Vec<(&str, &str, Vec<&TargetResult>)> = Vec::new();
        for t in &r.targets {
            match out.iter_mut().find(|g| g.0 == t.group) {
                Some(g) => g.2.push(t),
                None => {
                    let name = names.iter().find(|g| g.id == t.group).map_or(t.group.as_str(), |g| g.name.as_str());
                    out.push((&t.group, name, vec![t]))
                }
            }
        }
        out.into_iter().map(|(_, name, ts)| (name, ts)).collect()
    }
}

/// Who issues and signs a document, under which number, where and when.
#[derive(Debug, Clone, PartialEq)]
pub struct DocumentHeader {
    /// The issuing body, one line each as printed at the top left; the last
    /// line is bold, the lines above it (a managing body) are not:
    /// `["ỦY BAN NHÂN DÂN", "TỈNH TÂY NINH"]`.
    pub issuer: Vec<String>,
    /// The issuing body as named in running text: "Ủy ban nhân dân tỉnh Tây Ninh".
    pub issuer_name: String,
    /// What follows "Số: ": "125/KH-UBND", or "      /KH-UBND" before the
    /// number is given.
    pub number: String,
    /// The place in "Tây Ninh, ngày 23 tháng 11 năm 2026".
    pub place: String,
    /// The date of issue.
    pub date: NaiveDate,
    pub signer: Signer,
    /// The "Nơi nhận:" list, one recipient a line, without the leading dash
    /// or the closing ";" (added): `["Bộ Nội vụ", "TT. Tỉnh ủy", …, "Lưu: VT, KGVX"]`.
    pub recipients: Vec<String>,
}

/// The signature block: the capacity lines (bold, centred) and the name.
#[derive(Debug, Clone, PartialEq)]
pub struct Signer {
    /// `["TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"]`.
    pub capacity: Vec<String>,
    pub name: String,
}

impl Signer {
    /// A vice-chair signing for the chair on behalf of the provincial committee.
    pub fn vice_chair(name: impl Into<String>) -> Signer {
        Signer {
            capacity: vec!["TM. ỦY BAN NHÂN DÂN".into(), "KT. CHỦ TỊCH".into(), "PHÓ CHỦ TỊCH".into()],
            name: name.into(),
        }
    }
}

/// A section of text written by people (purpose, organisation, assessment):
/// its heading (numbered I, II, … with the generated sections, so without a
/// number) and its paragraphs. A paragraph starting with "- " or "a) " is
/// written as given.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct TextSection {
    pub heading: String,
    pub paragraphs: Vec<String>,
}

/// One programme's classes in one year, for the annex of classes.
#[derive(Debug, Clone, PartialEq)]
pub struct ProgrammeClasses {
    /// "Bồi dưỡng lãnh đạo, quản lý cấp phòng và tương đương".
    pub programme: String,
    /// Who attends: "Trưởng, phó phòng cấp sở và tương đương" (may be empty).
    pub audience: String,
    pub year: i32,
    pub classes: u64,
    /// Person-times (lượt người).
    pub person_times: u64,
}

/// One source of funds, for the budget annex.
#[derive(Debug, Clone, PartialEq)]
pub struct BudgetLine {
    /// "Ngân sách tỉnh", "Kinh phí của cơ quan, đơn vị", "Tài trợ".
    pub source: String,
    /// In đồng.
    pub amount: u64,
    /// A note (may be empty).
    pub note: String,
}

/// The annual plan: "KẾ HOẠCH Đào tạo, bồi dưỡng cán bộ, công chức, viên
/// chức năm YYYY" and its annexes.
#[derive(Debug, Clone, PartialEq)]
pub struct AnnualPlanDoc {
    pub header: DocumentHeader,
    /// The year the plan is for.
    pub year: i32,
    /// "Căn cứ …" lines, each one paragraph, in order.
    pub legal_basis: Vec<String>,
    /// "I. MỤC ĐÍCH, YÊU CẦU" paragraphs (left out when empty).
    pub purpose: Vec<String>,
    /// The engine's evaluation of the period plan the annual plan serves: it
    /// gives section "CHỈ TIÊU" and Annex I (threshold, population, met,
    /// share, need and need per year of each target).
    pub result: PlanResult,
    /// The plan's groups (`plan.groups`), to name the groups of the targets
    /// (a result knows only their ids; an id not listed is shown as it is).
    pub groups: Vec<Group>,
    /// Annex II: classes and person-times per programme per year.
    pub programmes: Vec<ProgrammeClasses>,
    /// Annex III: the budget by source.
    pub budget: Vec<BudgetLine>,
    /// Sections after the generated ones ("TỔ CHỨC THỰC HIỆN" with each
    /// body's duties).
    pub sections: Vec<TextSection>,
    /// The last paragraph; a standard one ("Trên đây là Kế hoạch …") when `None`.
    pub closing: Option<String>,
}

/// Which review of a period plan.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReviewKind {
    /// Sơ kết: after the first half of the period.
    MidTerm,
    /// Tổng kết: at the end.
    Final,
}

impl ReviewKind {
    pub fn label(self) -> &'static str {
        match self {
            ReviewKind::MidTerm => "Sơ kết",
            ReviewKind::Final => "Tổng kết",
        }
    }
}

/// One line of an inclusion table: how many of the people trained (or of a
/// population) are women, from ethnic minorities, working in remote areas.
#[derive(Debug, Clone, PartialEq)]
pub struct InclusionRow {
    /// A programme, a kind of training or a unit.
    pub label: String,
    pub total: u64,
    pub women: u64,
    pub ethnic_minority: u64,
    /// Working in remote, mountainous or especially disadvantaged areas
    /// (vùng sâu, vùng xa, vùng có điều kiện kinh tế - xã hội đặc biệt khó khăn).
    pub remote_area: u64,
}

/// The groups the plans ask to encourage, counted by the caller: a caption
/// ("Số lượt cán bộ, công chức, viên chức được đào tạo, bồi dưỡng theo chương
/// trình") and its rows; a total row is added.
#[derive(Debug, Clone, PartialEq)]
pub struct InclusionTable {
    pub caption: String,
    /// What the first column lists: "Chương trình", "Đơn vị".
    pub label_heading: String,
    pub rows: Vec<InclusionRow>,
}

/// A mid-term or final review report.
#[derive(Debug, Clone, PartialEq)]
pub struct ReviewDoc {
    pub header: DocumentHeader,
    pub kind: ReviewKind,
    /// The plan reviewed, as named in the title: "Kế hoạch đào tạo, bồi dưỡng
    /// cán bộ, công chức, viên chức giai đoạn 2021 - 2025".
    pub plan_title: String,
    /// The engine's evaluation at the review date.
    pub result: PlanResult,
    /// The plan's groups (`plan.groups`), to name the groups of the targets.
    pub groups: Vec<Group>,
    /// Women, ethnic minorities and remote areas, one table each way of counting.
    pub inclusion: Vec<InclusionTable>,
    /// The sections written by people after the figures ("ĐÁNH GIÁ CHUNG",
    /// "PHƯƠNG HƯỚNG, NHIỆM VỤ", "KIẾN NGHỊ, ĐỀ XUẤT").
    pub sections: Vec<TextSection>,
    /// Whether to list every unit in section "KẾT QUẢ THEO ĐƠN VỊ" (`None`:
    /// all units), or only units down to this depth (0: the top units).
    pub unit_depth: Option<usize>,
    /// The last paragraph; a standard one when `None`.
    pub closing: Option<String>,
}

fn pack(doc: docx_rs::Docx) -> Result<Vec<u8>, WriteError> {
    let mut out = Cursor::new(Vec::new());
    doc.pack(&mut out).map_err(|e| WriteError::Docx(e.to_string()))?;
    Ok(out.into_inner())
}

/// The annual plan as the bytes of a .docx file.
pub fn annual_plan_to_bytes(doc: &AnnualPlanDoc) -> Result<Vec<u8>, WriteError> {
    pack(annual_plan_docx(doc))
}

/// Writes the annual plan to `path` (.docx).
pub fn annual_plan(doc: &AnnualPlanDoc, path: impl AsRef<Path>) -> Result<(), WriteError> {
    std::fs::write(path, annual_plan_to_bytes(doc)?)?;
    Ok(())
}

/// The review report as the bytes of a .docx file.
pub fn review_report_to_bytes(doc: &ReviewDoc) -> Result<Vec<u8>, WriteError> {
    pack(review_report_docx(doc))
}

/// Writes the review report to `path` (.docx).
pub fn review_report(doc: &ReviewDoc, path: impl AsRef<Path>) -> Result<(), WriteError> {
    std::fs::write(path, review_report_to_bytes(doc)?)?;
    Ok(())
}
