//! The training side: programmes, institutions, lecturers, classes, enrolments.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::code_enum;
use crate::qualification::QualificationKind;

code_enum! {
    /// Đào tạo grants a degree; bồi dưỡng is in-service retraining.
    pub enum TrainingKind {
        Training => ("dao_tao", "Đào tạo"),
        Retraining => ("boi_duong", "Bồi dưỡng"),
    }
}

code_enum! {
    /// What a programme is about; targets select training by topic.
    pub enum Topic {
        StateManagement => ("state_management", "Quản lý nhà nước"),
        Leadership => ("leadership", "Lãnh đạo, quản lý"),
        PoliticalTheory => ("political_theory", "Lý luận chính trị"),
        ForeignLanguage => ("foreign_language", "Ngoại ngữ"),
        It => ("it", "Tin học"),
        MinorityLanguage => ("minority_language", "Tiếng dân tộc thiểu số"),
        DefenceSecurity => ("defence_security", "Quốc phòng và an ninh"),
        ProfessionalEthics => ("professional_ethics", "Đạo đức nghề nghiệp"),
        LawUpdate => ("law_update", "Cập nhật kiến thức pháp luật"),
        PublicServiceSkills => ("public_service_skills", "Kỹ năng, phương pháp thực thi công vụ"),
        ProfessionalUpdate => ("professional_update", "Cập nhật kiến thức chuyên môn"),
        DigitalTransformation => ("digital_transformation", "Chuyển đổi số"),
        CouncilSkills => ("council_skills", "Kỹ năng hoạt động HĐND"),
        TitleStandard => ("title_standard", "Tiêu chuẩn chức danh nghề nghiệp"),
        Postgraduate => ("postgraduate", "Sau đại học"),
        Undergraduate => ("undergraduate", "Đại học"),
        MedicalSpecialist => ("medical_specialist", "Chuyên khoa y"),
        Abroad => ("abroad", "Bồi dưỡng ở nước ngoài"),
    }
}

code_enum! {
    pub enum StudyForm {
        FullTime => ("full_time", "Tập trung"),
        PartTime => ("part_time", "Bán tập trung"),
        WorkStudy => ("work_study", "Vừa làm vừa học"),
        Distance => ("distance", "Từ xa"),
        Online => ("online", "Trực tuyến"),
    }
}

code_enum! {
    /// A class's life.
    pub enum ClassStatus {
        Proposed => ("proposed", "Đề xuất"),
        Approved => ("approved", "Đã phê duyệt"),
        Open => ("open", "Đang chiêu sinh"),
        InProgress => ("in_progress", "Đang học"),
        Finished => ("finished", "Đã kết thúc"),
        Cancelled => ("cancelled", "Đã hủy"),
    }
}

code_enum! {
    pub enum EnrolmentStatus {
        /// An employee signed up; their unit has not yet decided.
        Requested => ("requested", "Đăng ký, chờ đơn vị duyệt"),
        Nominated => ("nominated", "Được cử"),
        Waitlisted => ("waitlisted", "Danh sách chờ"),
        Enrolled => ("enrolled", "Đang học"),
        Completed => ("completed", "Hoàn thành"),
        Failed => ("failed", "Không đạt"),
        Withdrawn => ("withdrawn", "Rút khỏi lớp"),
        /// The unit refused an employee's sign-up.
        Declined => ("declined", "Đơn vị không duyệt"),
    }
}

code_enum! {
    pub enum FundingSource {
        StateBudget => ("state_budget", "Ngân sách nhà nước"),
        Unit => ("unit", "Đơn vị"),
        Learner => ("learner", "Cá nhân"),
        Sponsor => ("sponsor", "Tài trợ"),
    }
}

code_enum! {
    pub enum InstitutionKind {
        PoliticalSchool => ("political_school", "Trường Chính trị tỉnh"),
        Academy => ("academy", "Học viện"),
        University => ("university", "Trường đại học"),
        College => ("college", "Trường cao đẳng"),
        Centre => ("centre", "Trung tâm"),
        Department => ("department", "Cơ quan tổ chức lớp"),
        Abroad => ("abroad", "Cơ sở ở nước ngoài"),
    }
}

/// A catalogue entry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Programme {
    pub code: String,
    pub name: String,
    pub kind: TrainingKind,
    pub topic: Topic,
    /// The decision or circular that sets the programme ("421/QĐ-BNV ngày 02/6/2022").
    pub legal_basis: String,
    /// Length in periods (tiết); for degrees, in days of the course.
    pub duration_periods: i64,
    /// The qualification completing it grants, if any.
    pub grants: Option<Grant>,
}

/// A qualification granted on completion.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Grant {
    pub kind: QualificationKind,
    pub level: String,
    pub field: Option<String>,
    pub language: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Institution {
    pub code: String,
    pub name: String,
    pub kind: InstitutionKind,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Lecturer {
    pub institution_id: i64,
    pub full_name: String,
    /// Giảng viên thỉnh giảng.
    pub guest: bool,
    /// Years of practical management experience.
    pub management_years: i64,
}

/// One run of a programme.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Class {
    pub code: String,
    pub programme_id: i64,
    pub institution_id: i64,
    pub starts_on: NaiveDate,
    pub ends_on: NaiveDate,
    pub place: String,
    pub form: StudyForm,
    pub min_size: i64,
    pub max_size: i64,
    pub status: ClassStatus,
    /// Planned cost in đồng.
    pub planned_cost: i64,
    /// Who the class is for, in the target engine's expression language
    /// (`category == civil_servant and post_rank >= department`); `None`: anyone
    /// in the workforce.
    #[serde(default)]
    pub target_group: Option<String>,
    /// Seats the Sở Nội vụ assigned to nominating units (phân bổ chỉ tiêu);
    /// empty: shared in proportion to demand when it exceeds the seats.
    #[serde(default)]
    pub unit_quotas: Vec<UnitQuota>,
}

/// Seats of a class assigned to a unit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct UnitQuota {
    pub unit_id: i64,
    pub seats: i64,
}

impl UnitQuota {
    /// As stored: `unit:seats` pairs separated by `;` ("12:10;15:5").
    pub fn write_all(quotas: &[UnitQuota]) -> String {
        quotas.iter().map(|q| format!("{}:{}", q.unit_id, q.seats)).collect::<Vec<_>>().join(";")
    }

    /// Reads [`UnitQuota::write_all`]'s text; `None` if it is not that.
    pub fn read_all(text: &str) -> Option<Vec<UnitQuota>> {
        text.split(';')
            .filter(|p| !p.trim().is_empty())
            .map(|p| {
                let (u, s) = p.split_once(':')?;
                Some(UnitQuota { unit_id: u.trim().parse().ok()?, seats: s.trim().parse().ok()? })
            })
            .collect()
    }
}

/// A person in a class, or a training record without a class (history
/// imported from a unit's files).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Enrolment {
    pub person_id: i64,
    pub programme_id: i64,
    pub class_id: Option<i64>,
    /// The unit that sent the person (cử đi học).
    pub nominated_by: Option<i64>,
    pub status: EnrolmentStatus,
    pub starts_on: NaiveDate,
    pub ends_on: NaiveDate,
    /// Share of sessions attended, in percent.
    pub attendance_pct: Option<i64>,
    /// Result as written on the certificate ("Giỏi", "Khá", "Đạt"…).
    pub result: Option<String>,
    pub certificate: Option<String>,
    /// Cost for this person, in đồng.
    pub cost: i64,
    pub funding: FundingSource,
    /// Why the person was sent despite a warning (not in the target group,
    /// already qualified, double-booked), as the nominator wrote it.
    #[serde(default)]
    pub note: Option<String>,
}

impl Enrolment {
    /// The day the training counts as done: the last day of the course, for a
    /// completed enrolment.
    pub fn completed_on(&self) -> Option<NaiveDate> {
        (self.status == EnrolmentStatus::Completed).then_some(self.ends_on)
    }
}

/// The qualification a completed enrolment grants, dated the day the course
/// ended. `None` if the enrolment is not completed or the programme grants none.
pub fn granted_qualification(
    enrolment_id: i64,
    enrolment: &Enrolment,
    programme: &Programme,
) -> Option<crate::qualification::Qualification> {
    let on = enrolment.completed_on()?;
    let g = programme.grants.as_ref()?;
    Some(crate::qualification::Qualification {
        person_id: enrolment.person_id,
        kind: g.kind,
        level: g.level.clone(),
        field: g.field.clone(),
        language: g.language.clone(),
        obtained_on: on,
        evidence: enrolment.certificate.clone(),
        enrolment_id: Some(enrolment_id),
    })
}
