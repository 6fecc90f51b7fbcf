//! Job positions (vị trí việc làm) and their competency frame: the
//! qualifications a position requires. "Qualification fits the position" is
//! computed from these, never typed in.

use serde::{Deserialize, Serialize};

use crate::code_enum;
use crate::qualification::{Level, Qualification, QualificationKind};

code_enum! {
    /// The three groups of positions of the 2025 law (and the same split before).
    pub enum PositionGroup {
        Leadership => ("leadership", "Lãnh đạo, quản lý"),
        Professional => ("professional", "Chuyên môn, nghiệp vụ"),
        Support => ("support", "Hỗ trợ, phục vụ"),
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct JobPosition {
    pub code: String,
    pub name: String,
    pub group: PositionGroup,
}

/// One line of a position's competency frame, valid over its row's validity.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PositionRequirement {
    pub position_id: i64,
    pub kind: QualificationKind,
    /// Lowest level code that satisfies the requirement.
    pub min_level: String,
    /// Required field of study, if the position names one.
    pub field: Option<String>,
}

impl PositionRequirement {
    pub fn is_met_by(&self, q: &Qualification) -> bool {
        let (Some(min), Some(held)) = (Level::from_code(self.kind, &self.min_level), q.level()) else {
            return false;
        };
        q.kind == self.kind
            && held.rank >= min.rank
            && self.field.as_ref().is_none_or(|f| q.field.as_ref() == Some(f))
    }
}

/// The requirements of a frame that none of `held` meets. Empty: the person's
/// qualifications fit the position.
pub fn unmet<'a>(frame: &'a [PositionRequirement], held: &[&Qualification]) -> Vec<&'a PositionRequirement> {
    frame.iter().filter(|r| !held.iter().any(|q| r.is_met_by(q))).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    fn q(kind: QualificationKind, level: &str, field: Option<&str>) -> Qualification {
        Qualification {
            person_id: 1,
            kind,
            level: level.into(),
            field: field.map(Into::into),
            language: None,
            obtained_on: NaiveDate::from_ymd_opt(2020, 1, 1).unwrap(),
            evidence: None,
            enrolment_id: None,
        }
    }

    #[test]
    fn a_frame_is_met_by_level_and_field() {
        let frame = vec![
            PositionRequirement { position_id: 1, kind: QualificationKind::Education, min_level: "dai_hoc".into(), field: Some("luat".into()) },
            PositionRequirement { position_id: 1, kind: QualificationKind::StateManagement, min_level: "chuyen_vien".into(), field: None },
        ];
        let master_law = q(QualificationKind::Education, "thac_si", Some("luat"));
        let bachelor_econ = q(QualificationKind::Education, "dai_hoc", Some("kinh_te"));
        let cv = q(QualificationKind::StateManagement, "chuyen_vien_chinh", None);
        assert!(unmet(&frame, &[&master_law, &cv]).is_empty());
        assert_eq!(unmet(&frame, &[&bachelor_econ, &cv]).len(), 1);
        assert_eq!(unmet(&frame, &[]).len(), 2);
    }
}
