//! A small province in a temp SQLite store, with one account per role.

#![allow(dead_code)]

use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};

use chrono::NaiveDate;
use nangluc_core::employment::{Category, Employment, Post, PostRank};
use nangluc_core::person::{Ethnicity, PersonDetails, Sex};
use nangluc_core::qualification::{Qualification, QualificationKind};
use nangluc_core::training::{
    Class, ClassStatus, Enrolment, EnrolmentStatus, FundingSource, Institution, InstitutionKind,
    Programme, StudyForm, Topic, TrainingKind,
};
use nangluc_core::unit::{Sector, UnitKind, UnitLevel, UnitVersion};
use nangluc_core::{ChangeSet, Entity, Fact, Validity};
use nangluc_store::{NewAccount, Store};

pub mod api;
pub mod app;
pub mod proposals;

static COUNTER: AtomicUsize = AtomicUsize::new(0);

/// A temp database file, removed on drop.
pub struct TempDb(pub PathBuf);

impl TempDb {
    pub fn new() -> TempDb {
        let n = COUNTER.fetch_add(1, Ordering::Relaxed);
        TempDb(std::env::temp_dir().join(format!("nangluc-web-test-{}-{n}.db", std::process::id())))
    }

    pub fn url(&self) -> String {
        self.0.to_str().unwrap().to_string()
    }
}

impl Drop for TempDb {
    fn drop(&mut self) {
        for suffix in ["", "-wal", "-shm"] {
            let _ = std::fs::remove_file(format!("{}{suffix}", self.0.display()));
        }
    }
}

pub fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

fn unit(code: &str, name: &str, parent: Option<i64>) -> Fact {
    Fact::Unit(UnitVersion {
        code: code.into(),
        name: name.into(),
        level: UnitLevel::Province,
        kind: UnitKind::State,
        sector: Sector::General,
        parent_id: parent,
        minority_area: false,
    })
}

fn person(number: &str, family: &str, middle: &str, given: &str, sex: Sex) -> Fact {
    Fact::Person(PersonDetails {
        identity_number: number.into(),
        family_name: family.into(),
        middle_name: middle.into(),
        given_name: given.into(),
        birth_date: d(1985, 4, 12),
        sex,
        ethnicity: Ethnicity::KINH,
    })
}

fn job(person_id: i64, unit_id: i64, post: Option<&str>) -> Fact {
    Fact::Employment(Employment {
        person_id,
        unit_id,
        category: Category::CivilServant,
        rank: Some("01.003".into()),
        job_position_id: None,
        post: post.map(|code| Post {
            code: code.into(),
            rank: PostRank::Division,
            appointed_on: Some(d(2022, 3, 1)),
            elected_on: None,
        }),
        minority_area: false,
    })
}

/// Units: 1 UBND tỉnh > 2 Sở Nội vụ > 4 Phòng Công chức, viên chức; 1 > 3 Sở Tài chính.
/// People: 1 Nguyễn Văn An (unit 4, earlier unit 2), 2 Đặng Thị Ánh (unit 2),
/// 3 Lê Văn Bình (unit 3), 4 Nguyễn Thị An (unit 3).
/// Programme 1, institution 1, class 1 with An and Bình.
pub fn seed(store: &mut Store) {
    let since = Validity::since(d(2015, 1, 1));
    let mut c = ChangeSet::new("test", "Nạp dữ liệu thử nghiệm");
    c.record(
        Entity::Given(1),
        since,
        unit("68", "UBND tỉnh Lâm Đồng", None),
    );
    c.record(Entity::Given(2), since, unit("SNV", "Sở Nội vụ", Some(1)));
    c.record(
        Entity::Given(3),
        since,
        unit("STC", "Sở Tài chính", Some(1)),
    );
    c.record(
        Entity::Given(4),
        since,
        unit("SNV-CC", "Phòng Công chức, viên chức", Some(2)),
    );
    c.record(
        Entity::Given(1),
        since,
        person("068085000001", "Nguyễn", "Văn", "An", Sex::Male),
    );
    c.record(
        Entity::Given(2),
        since,
        person("068085000002", "Đặng", "Thị", "Ánh", Sex::Female),
    );
    c.record(
        Entity::Given(3),
        since,
        person("068085000003", "Lê", "Văn", "Bình", Sex::Male),
    );
    c.record(
        Entity::Given(4),
        since,
        person("068085000004", "Nguyễn", "Thị", "An", Sex::Female),
    );
    c.record(
        Entity::New,
        Validity::between(d(2015, 1, 1), d(2022, 3, 1)),
        job(1, 2, None),
    );
    c.record(
        Entity::New,
        Validity::since(d(2022, 3, 1)),
        job(1, 4, Some("truong_phong")),
    );
    c.record(Entity::New, since, job(2, 2, None));
    c.record(Entity::New, since, job(3, 3, None));
    c.record(Entity::New, since, job(4, 3, None));
    c.record(
        Entity::New,
        Validity::since(d(2018, 6, 1)),
        Fact::Qualification(Qualification {
            person_id: 1,
            kind: QualificationKind::PoliticalTheory,
            level: "trung_cap".into(),
            field: None,
            language: None,
            obtained_on: d(2018, 6, 1),
            evidence: Some("Bằng số 123".into()),
            enrolment_id: None,
        }),
    );
    c.record(
        Entity::Given(1),
        since,
        Fact::Programme(Programme {
            code: "QLNN-CVC".into(),
            name: "Bồi dưỡng ngạch chuyên viên chính".into(),
            kind: TrainingKind::Retraining,
            topic: Topic::StateManagement,
            legal_basis: "422/QĐ-BNV ngày 02/6/2022".into(),
            duration_periods: 280,
            grants: None,
        }),
    );
    c.record(
        Entity::Given(1),
        since,
        Fact::Institution(Institution {
            code: "TCT".into(),
            name: "Trường Chính trị tỉnh".into(),
            kind: InstitutionKind::PoliticalSchool,
        }),
    );
    c.record(
        Entity::Given(1),
        since,
        Fact::Class(Class {
            code: "CVC-2024-01".into(),
            programme_id: 1,
            institution_id: 1,
            starts_on: d(2024, 3, 4),
            ends_on: d(2024, 5, 31),
            place: "Đà Lạt".into(),
            form: StudyForm::FullTime,
            min_size: 40,
            max_size: 50,
            status: ClassStatus::Finished,
            planned_cost: 250_000_000,
            target_group: None,
            unit_quotas: Vec::new(),
        }),
    );
    for person_id in [1, 3] {
        c.record(
            Entity::New,
            Validity::since(d(2024, 3, 4)),
            Fact::Enrolment(Enrolment {
                person_id,
                programme_id: 1,
                class_id: Some(1),
                nominated_by: Some(2),
                status: EnrolmentStatus::Completed,
                starts_on: d(2024, 3, 4),
                ends_on: d(2024, 5, 31),
                attendance_pct: Some(96),
                result: Some("Giỏi".into()),
                certificate: Some("CC-2024-0001".into()),
                cost: 5_000_000,
                funding: FundingSource::StateBudget,
                note: None,
            }),
        );
    }
    store.apply(&c).unwrap();
}

/// One account per role; the password of each is `pw-<name>`.
pub fn accounts(store: &mut Store) {
    type Spec = (
        &'static str,
        &'static str,
        Option<i64>,
        Option<i64>,
        Option<i64>,
    );
    let accounts: [Spec; 6] = [
        ("admin", "admin", Some(2), None, None),
        ("hr", "unit_hr", Some(2), None, None),
        ("school", "institution", None, None, Some(1)),
        ("finance", "finance", Some(3), None, None),
        ("leader", "leader", None, None, None),
        ("binh", "employee", None, Some(3), None),
    ];
    for (name, role, unit_id, person_id, institution_id) in accounts {
        store
            .create_account(&NewAccount {
                username: name.into(),
                display_name: format!("Tài khoản {name}"),
                password_hash: nangluc_web::auth::hash_password(&format!("pw-{name}")).unwrap(),
                role: role.into(),
                unit_id,
                person_id,
                institution_id,
            })
            .unwrap();
    }
}

/// A seeded database with accounts.
pub fn seeded_db() -> TempDb {
    let db = TempDb::new();
    let mut store = Store::open(&db.url()).unwrap();
    seed(&mut store);
    accounts(&mut store);
    db
}
