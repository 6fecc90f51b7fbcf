//! Small workforces built in code from core types.
#![allow(clippy::too_many_arguments)]
#![allow(dead_code)]

use chrono::{DateTime, NaiveDate, Utc};
use nangluc_core::employment::{Category, Employment, Post, PostRank};
use nangluc_core::knowledge::Knowledge;
use nangluc_core::person::{Ethnicity, PersonDetails, Sex};
use nangluc_core::qualification::{Qualification, QualificationKind};
use nangluc_core::role::{Role, RoleKind};
use nangluc_core::time::{Recording, Validity, Versioned};
use nangluc_core::training::*;
use nangluc_core::unit::{Sector, UnitKind, UnitLevel, UnitVersion};

pub fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

pub fn t(y: i32, m: u32, day: u32) -> DateTime<Utc> {
    d(y, m, day).and_hms_opt(12, 0, 0).unwrap().and_utc()
}

pub struct Fx {
    pub k: Knowledge,
    row: i64,
    /// When the next rows are recorded.
    pub recorded: DateTime<Utc>,
}

impl Default for Fx {
    fn default() -> Self {
        Fx { k: Knowledge::default(), row: 0, recorded: t(2020, 1, 1) }
    }
}

impl Fx {
    fn v<T>(&mut self, id: i64, valid: Validity, data: T) -> Versioned<T> {
        self.row += 1;
        Versioned { row_id: self.row, id, valid, recording: Recording { recorded_at: self.recorded, superseded_at: None, change_id: 1 }, data }
    }

    /// Province 80 → department 80-SNV, hospital 80-BV, district 80-H1 → commune 80001 (minority area).
    pub fn province() -> Fx {
        let mut f = Fx::default();
        f.unit(1, "80", UnitLevel::Province, UnitKind::State, Sector::General, None, false);
        f.unit(2, "80-SNV", UnitLevel::Province, UnitKind::State, Sector::HomeAffairs, Some(1), false);
        f.unit(3, "80-BV", UnitLevel::Province, UnitKind::PublicService, Sector::Health, Some(1), false);
        f.unit(4, "80-H1", UnitLevel::District, UnitKind::State, Sector::General, Some(1), false);
        f.unit(5, "80001", UnitLevel::Commune, UnitKind::State, Sector::General, Some(4), true);
        f
    }

    pub fn unit(&mut self, id: i64, code: &str, level: UnitLevel, kind: UnitKind, sector: Sector, parent: Option<i64>, minority: bool) {
        let u = UnitVersion { code: code.into(), name: format!("Đơn vị {code}"), level, kind, sector, parent_id: parent, minority_area: minority };
        let v = self.v(id, Validity::since(d(2000, 1, 1)), u);
        self.k.units.push(v);
    }

    pub fn person(&mut self, id: i64, name: &str, birth: NaiveDate, sex: Sex, ethnicity: Ethnicity) {
        let p = PersonDetails {
            identity_number: format!("{id:012}"),
            family_name: "Nguyễn".into(),
            middle_name: String::new(),
            given_name: name.into(),
            birth_date: birth,
            sex,
            ethnicity,
        };
        let v = self.v(id, Validity::since(birth), p);
        self.k.people.push(v);
    }

    /// A man, Kinh, born on `birth`.
    pub fn man(&mut self, id: i64, birth: NaiveDate) {
        self.person(id, &format!("Người {id}"), birth, Sex::Male, Ethnicity::KINH);
    }

    pub fn emp(&mut self, person: i64, unit: i64, category: Category, valid: Validity) {
        self.emp_full(person, unit, category, valid, None, None);
    }

    pub fn emp_full(&mut self, person: i64, unit: i64, category: Category, valid: Validity, rank: Option<&str>, post: Option<Post>) {
        let e = Employment { person_id: person, unit_id: unit, category, rank: rank.map(Into::into), job_position_id: None, post, minority_area: false };
        let v = self.v(1000 + self.row, valid, e);
        self.k.employments.push(v);
    }

    pub fn post(code: &str, rank: PostRank, appointed: Option<NaiveDate>) -> Post {
        Post { code: code.into(), rank, appointed_on: appointed, elected_on: None }
    }

    pub fn qual(&mut self, person: i64, kind: QualificationKind, level: &str, obtained: NaiveDate) {
        let q = Qualification { person_id: person, kind, level: level.into(), field: None, language: None, obtained_on: obtained, evidence: None, enrolment_id: None };
        let v = self.v(2000 + self.row, Validity::since(obtained), q);
        self.k.qualifications.push(v);
    }

    pub fn role(&mut self, person: i64, kind: RoleKind, term: Option<&str>, post: Option<&str>, approved: Option<NaiveDate>, valid: Validity) {
        let r = Role { person_id: person, kind, term: term.map(Into::into), level: None, post: post.map(Into::into), approved_on: approved };
        let v = self.v(3000 + self.row, valid, r);
        self.k.roles.push(v);
    }

    pub fn programme(&mut self, id: i64, code: &str, topic: Topic, kind: TrainingKind, grants: Option<Grant>) {
        let p = Programme { code: code.into(), name: format!("Chương trình {code}"), kind, topic, legal_basis: String::new(), duration_periods: 40, grants };
        let v = self.v(id, Validity::since(d(2000, 1, 1)), p);
        self.k.programmes.push(v);
    }

    pub fn institution(&mut self, id: i64, code: &str, kind: InstitutionKind) {
        let i = Institution { code: code.into(), name: format!("Cơ sở {code}"), kind };
        let v = self.v(id, Validity::since(d(2000, 1, 1)), i);
        self.k.institutions.push(v);
    }

    pub fn class(&mut self, id: i64, code: &str, programme: i64, institution: i64, starts: NaiveDate, ends: NaiveDate, status: ClassStatus) {
        let c = Class {
            code: code.into(),
            programme_id: programme,
            institution_id: institution,
            starts_on: starts,
            ends_on: ends,
            place: "Tây Ninh".into(),
            form: StudyForm::FullTime,
            min_size: 40,
            max_size: 50,
            status,
            planned_cost: 0,
            target_group: None,
            unit_quotas: Vec::new(),
        };
        // A class is on record from its planning, before it starts.
        let v = self.v(id, Validity::since(d(2020, 1, 1)), c);
        self.k.classes.push(v);
    }

    /// A training record: valid from its start, status as given.
    pub fn enrol(&mut self, id: i64, person: i64, programme: i64, class: Option<i64>, status: EnrolmentStatus, starts: NaiveDate, ends: NaiveDate) {
        let e = Enrolment {
            person_id: person,
            programme_id: programme,
            class_id: class,
            nominated_by: None,
            status,
            starts_on: starts,
            ends_on: ends,
            attendance_pct: None,
            result: None,
            certificate: None,
            cost: 0,
            funding: FundingSource::StateBudget,
            note: None,
        };
        let v = self.v(id, Validity::since(starts), e);
        self.k.enrolments.push(v);
    }

    pub fn lecturer(&mut self, id: i64, institution: i64, guest: bool, years: i64) {
        let l = Lecturer { institution_id: institution, full_name: format!("Giảng viên {id}"), guest, management_years: years };
        let v = self.v(id, Validity::since(d(2015, 1, 1)), l);
        self.k.lecturers.push(v);
    }
}

/// A plan file around some targets.
/// A deterministic generator, so that failures reproduce.
pub struct Lcg(pub u64);

impl Lcg {
    pub fn next(&mut self, n: u64) -> u64 {
        self.0 = self.0.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        (self.0 >> 33) % n
    }
    pub fn date(&mut self, from: i32, to: i32) -> NaiveDate {
        d(from + self.next((to - from + 1) as u64) as i32, 1 + self.next(12) as u32, 1 + self.next(28) as u32)
    }
}

pub fn plan_with(targets: &str) -> nangluc_engine::Plan {
    let src = format!(
        "[plan]\nid = \"test\"\nname = \"Kế hoạch thử\"\nissuer = \"UBND tỉnh\"\nperiod = [2021, 2025]\n\n[[groups]]\nid = \"g\"\nname = \"Nhóm\"\n\n{targets}"
    );
    match nangluc_engine::Plan::parse(&src, "test.toml") {
        Ok(p) => p,
        Err(e) => panic!("{}", e.iter().map(|e| e.to_string()).collect::<Vec<_>>().join("\n")),
    }
}
