//! One behaviour suite, run on both engines: every test body below is a
//! `fn(&mut Store, &Engine)` and runs once as `sqlite::<name>` (a fresh file
//! in the temp directory) and once as `postgres::<name>` (a fresh schema in the
//! database named by `NANGLUC_TEST_PG`, default
//! `postgres://postgres@127.0.0.1:5432/test`). PostgreSQL being unreachable
//! fails the `postgres::` tests; it never skips them.

use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};

use chrono::{DateTime, Duration, NaiveDate, Utc};
use nangluc_core::employment::{Category, Employment, Post, PostRank};
use nangluc_core::person::{Ethnicity, PersonDetails, Sex};
use nangluc_core::position::{JobPosition, PositionGroup, PositionRequirement};
use nangluc_core::qualification::{Qualification, QualificationKind};
use nangluc_core::role::{Role, RoleKind};
use nangluc_core::training::{
    Class, ClassStatus, Enrolment, EnrolmentStatus, FundingSource, Grant, Institution, InstitutionKind, Lecturer,
    Programme, StudyForm, Topic, TrainingKind, UnitQuota,
};
use nangluc_core::unit::{Sector, UnitChange, UnitChangeKind, UnitKind, UnitLevel, UnitVersion};
use nangluc_core::{AsOf, ChangeSet, Entity, Fact, KnowledgeSink, Table, Validity, Versioned};
use nangluc_store::{BulkRow, Store, StoreError, Value};

// ---------------------------------------------------------------- harness

static COUNTER: AtomicUsize = AtomicUsize::new(0);

fn unique() -> String {
    format!("{}_{}", std::process::id(), COUNTER.fetch_add(1, Ordering::Relaxed))
}

/// Where a test's store lives, so that a test can open it again.
pub enum Engine {
    Sqlite(PathBuf),
    Postgres { url: String, schema: String },
}

impl Engine {
    fn reopen(&self) -> Store {
        match self {
            Engine::Sqlite(path) => Store::open(path.to_str().unwrap()).expect("reopen SQLite"),
            // Through the URL this time: the schema comes in the `options` parameter.
            Engine::Postgres { url, schema } => {
                let sep = if url.contains('?') { '&' } else { '?' };
                Store::open(&format!("{url}{sep}options=-csearch_path%3D{schema}")).expect("reopen PostgreSQL")
            }
        }
    }
}

impl Drop for Engine {
    fn drop(&mut self) {
        match self {
            Engine::Sqlite(path) => {
                for suffix in ["", "-wal", "-shm"] {
                    let mut p = path.clone().into_os_string();
                    p.push(suffix);
                    let _ = std::fs::remove_file(p);
                }
            }
            Engine::Postgres { url, schema } => {
                if let Ok(mut c) = ::postgres::Client::connect(url, ::postgres::NoTls) {
                    let _ = c.batch_execute(&format!("DROP SCHEMA IF EXISTS {schema} CASCADE"));
                }
            }
        }
    }
}

type Body = fn(&mut Store, &Engine);

pub fn on_sqlite(body: Body) {
    let engine = Engine::Sqlite(std::env::temp_dir().join(format!("nangluc-store-test-{}.db", unique())));
    let mut store = engine.reopen();
    assert_eq!(store.backend_name(), "SQLite");
    body(&mut store, &engine);
}

pub fn on_postgres(body: Body) {
    let url = std::env::var("NANGLUC_TEST_PG").unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/test".into());
    let engine = Engine::Postgres { url, schema: format!("t_{}", unique()) };
    let Engine::Postgres { url, schema } = &engine else { unreachable!() };
    let mut store = Store::open_pg_in_schema(url, schema)
        .unwrap_or_else(|e| panic!("PostgreSQL is needed for the postgres:: tests: {e}"));
    assert_eq!(store.backend_name(), "PostgreSQL");
    body(&mut store, &engine);
}

macro_rules! on_both_engines {
    ($($name:ident),* $(,)?) => {
        mod sqlite {
            $(#[test] fn $name() { crate::on_sqlite(crate::$name) })*
        }
        mod postgres {
            $(#[test] fn $name() { crate::on_postgres(crate::$name) })*
        }
    };
}

on_both_engines!(
    person_moves_and_is_promoted,
    merged_unit_keeps_its_people_in_the_past,
    backdated_qualification_is_unknown_before_it_was_entered,
    correction_supersedes_never_overwrites,
    failing_change_set_leaves_the_database_unchanged,
    completed_enrolment_grants_its_qualification,
    a_class_keeps_its_target_group_and_a_nomination_its_reason,
    bulk_load_round_trips,
    find_people_ignores_case_and_diacritics,
    migrations_are_idempotent,
    stats_count_the_workforce,
    reset_empties_the_store,
    lookups_in_batches_answer_as_one_by_one,
);

// ---------------------------------------------------------------- builders

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

fn t(s: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
}

fn unit(code: &str, name: &str, level: UnitLevel, parent_id: Option<i64>) -> Fact {
    Fact::Unit(UnitVersion {
        code: code.into(),
        name: name.into(),
        level,
        kind: UnitKind::State,
        sector: Sector::General,
        parent_id,
        minority_area: false,
    })
}

fn person_named(number: &str, family: &str, middle: &str, given: &str) -> PersonDetails {
    PersonDetails {
        identity_number: number.into(),
        family_name: family.into(),
        middle_name: middle.into(),
        given_name: given.into(),
        birth_date: d(1985, 4, 12),
        sex: Sex::Male,
        ethnicity: Ethnicity::KINH,
    }
}

fn person(number: &str, family: &str, middle: &str, given: &str) -> Fact {
    Fact::Person(person_named(number, family, middle, given))
}

fn employment(person_id: i64, unit_id: i64, category: Category, rank: Option<&str>, post: Option<Post>) -> Employment {
    Employment {
        person_id,
        unit_id,
        category,
        rank: rank.map(Into::into),
        job_position_id: None,
        post,
        minority_area: false,
    }
}

fn qualification(person_id: i64, kind: QualificationKind, level: &str, on: NaiveDate) -> Qualification {
    Qualification {
        person_id,
        kind,
        level: level.into(),
        field: None,
        language: (kind == QualificationKind::ForeignLanguage).then(|| "en".into()),
        obtained_on: on,
        evidence: None,
        enrolment_id: None,
    }
}

fn programme(code: &str, grants: Option<Grant>) -> Programme {
    Programme {
        code: code.into(),
        name: format!("Chương trình {code}"),
        kind: TrainingKind::Retraining,
        topic: Topic::StateManagement,
        legal_basis: "421/QĐ-BNV ngày 02/6/2022".into(),
        duration_periods: 160,
        grants,
    }
}

fn enrolment(person_id: i64, programme_id: i64, status: EnrolmentStatus) -> Enrolment {
    Enrolment {
        person_id,
        programme_id,
        class_id: None,
        nominated_by: Some(1),
        status,
        starts_on: d(2025, 3, 3),
        ends_on: d(2025, 5, 30),
        attendance_pct: Some(95),
        result: None,
        certificate: None,
        cost: 4_500_000,
        funding: FundingSource::StateBudget,
        note: None,
    }
}

fn change(at: &str) -> ChangeSet {
    ChangeSet::new("kiem_thu", "Kiểm thử").at(t(at))
}

fn only<T: Clone>(rows: Vec<Versioned<Fact>>, pick: fn(Fact) -> Option<T>) -> Vec<T> {
    rows.into_iter().map(|v| pick(v.data).expect("rows of the asked table")).collect()
}

fn employments(store: &mut Store, as_of: AsOf) -> Vec<Employment> {
    only(store.as_of(Table::Employments, &as_of).unwrap(), |f| match f {
        Fact::Employment(e) => Some(e),
        _ => None,
    })
}

fn total_rows(store: &mut Store) -> Vec<i64> {
    let mut counts: Vec<i64> = Table::ALL.iter().map(|t| store.count(*t).unwrap()).collect();
    counts.push(store.changes(1_000_000).unwrap().len() as i64);
    counts
}

// ---------------------------------------------------------------- tests

/// a. A move and a promotion: the old employment is superseded by two rows,
/// before and after the move; readings on either side see the right one.
fn person_moves_and_is_promoted(store: &mut Store, _: &Engine) {
    let mut c = change("2024-01-05T08:00:00Z");
    c.record(Entity::Given(1), Validity::since(d(2020, 1, 1)), unit("01", "Sở Nội vụ", UnitLevel::Province, None))
        .record(Entity::Given(2), Validity::since(d(2020, 1, 1)), unit("02", "Sở Tài chính", UnitLevel::Province, None))
        .record(Entity::Given(10), Validity::since(d(2008, 1, 1)), person("072190001234", "Nguyễn", "Văn", "An"))
        .record(
            Entity::New,
            Validity::since(d(2020, 3, 1)),
            Fact::Employment(employment(10, 1, Category::CivilServant, Some("01.003"), None)),
        );
    let first = store.apply(&c).unwrap();
    let (emp_id, emp_row) = first.records[3];

    let promoted = Post {
        code: "truong_phong".into(),
        rank: PostRank::Division,
        appointed_on: Some(d(2025, 3, 1)),
        elected_on: None,
    };
    let mut c = change("2025-03-10T08:00:00Z");
    c.supersede(Table::Employments, emp_row)
        .record(
            Entity::Existing(emp_id),
            Validity::between(d(2020, 3, 1), d(2025, 3, 1)),
            Fact::Employment(employment(10, 1, Category::CivilServant, Some("01.003"), None)),
        )
        .record(
            Entity::Existing(emp_id),
            Validity::since(d(2025, 3, 1)),
            Fact::Employment(employment(10, 2, Category::CivilServant, Some("01.002"), Some(promoted.clone()))),
        );
    let second = store.apply(&c).unwrap();
    assert_eq!(second.records.iter().map(|r| r.0).collect::<Vec<_>>(), [emp_id, emp_id]);

    let before = employments(store, AsOf::date(d(2024, 6, 1)));
    assert_eq!(before, [employment(10, 1, Category::CivilServant, Some("01.003"), None)]);
    let after = employments(store, AsOf::date(d(2025, 6, 1)));
    assert_eq!(after, [employment(10, 2, Category::CivilServant, Some("01.002"), Some(promoted))]);

    // Known before the move was entered, the old row was still open-ended.
    let then = employments(store, AsOf::known_at(d(2025, 6, 1), t("2025-03-09T00:00:00Z")));
    assert_eq!(then[0].unit_id, 1);

    let history = store.history(Table::Employments, emp_id).unwrap();
    assert_eq!(history.len(), 3);
    assert_eq!(history[0].row_id, emp_row);
    assert_eq!(history[0].recording.superseded_at, Some(t("2025-03-10T08:00:00Z")));
    assert!(history[1..].iter().all(|v| v.recording.superseded_at.is_none()
        && v.recording.change_id == second.change_id
        && v.recording.recorded_at == second.recorded_at));

    let on = |date| AsOf::date(date);
    assert_eq!(store.people_in_unit(1, &on(d(2024, 6, 1)), false).unwrap(), [10]);
    assert_eq!(store.people_in_unit(2, &on(d(2024, 6, 1)), false).unwrap(), Vec::<i64>::new());
    assert_eq!(store.people_in_unit(1, &on(d(2025, 6, 1)), false).unwrap(), Vec::<i64>::new());
    assert_eq!(store.people_in_unit(2, &on(d(2025, 6, 1)), false).unwrap(), [10]);
}

/// b. A commune merged on 1 July 2025 keeps its 2024 people in readings of
/// 2024; from the merger they are its successor's.
fn merged_unit_keeps_its_people_in_the_past(store: &mut Store, _: &Engine) {
    let reform = d(2025, 7, 1);
    let mut c = change("2024-01-02T08:00:00Z");
    c.record(Entity::Given(1), Validity::since(d(2020, 1, 1)), unit("80", "Tỉnh mẫu", UnitLevel::Province, None))
        .record(Entity::Given(2), Validity::between(d(2020, 1, 1), reform), unit("27001", "Xã Cũ", UnitLevel::Commune, Some(1)))
        .record(Entity::Given(3), Validity::since(d(2020, 1, 1)), unit("27002", "Xã Mới", UnitLevel::Commune, Some(1)))
        .record(Entity::Given(10), Validity::since(d(2000, 1, 1)), person("080190000010", "Lê", "Thị", "Bình"))
        .record(Entity::Given(11), Validity::since(d(2000, 1, 1)), person("080190000011", "Trần", "Văn", "Cường"))
        .record(Entity::Given(12), Validity::since(d(2000, 1, 1)), person("080190000012", "Phạm", "", "Dũng"));
    for p in [10, 11] {
        c.record(
            Entity::New,
            Validity::between(d(2024, 1, 1), reform),
            Fact::Employment(employment(p, 2, Category::CommuneCivilServant, None, None)),
        );
    }
    c.record(Entity::New, Validity::since(d(2020, 1, 1)), Fact::Employment(employment(12, 3, Category::CivilServant, None, None)));
    store.apply(&c).unwrap();

    let mut c = change("2025-06-20T08:00:00Z");
    c.record(
        Entity::New,
        Validity::since(reform),
        Fact::UnitChange(UnitChange {
            unit_id: 2,
            kind: UnitChangeKind::MergedInto,
            successor_id: Some(3),
            date: reform,
            decision: "1656/NQ-UBTVQH15".into(),
        }),
    );
    for p in [10, 11] {
        c.record(Entity::New, Validity::since(reform), Fact::Employment(employment(p, 3, Category::CivilServant, None, None)));
    }
    store.apply(&c).unwrap();

    let in_2024 = AsOf::date(d(2024, 6, 1));
    let after = AsOf::date(d(2025, 8, 1));
    assert_eq!(store.people_in_unit(2, &in_2024, false).unwrap(), [10, 11]);
    assert_eq!(store.people_in_unit(2, &after, false).unwrap(), Vec::<i64>::new());
    assert_eq!(store.people_in_unit(3, &in_2024, false).unwrap(), [12]);
    assert_eq!(store.people_in_unit(3, &after, false).unwrap(), [10, 11, 12]);
    assert_eq!(store.unit_subtree(1, &in_2024).unwrap(), [1, 2, 3]);
    assert_eq!(store.unit_subtree(1, &after).unwrap(), [1, 3]);
    assert_eq!(store.people_in_unit(1, &in_2024, true).unwrap(), [10, 11, 12]);
    assert_eq!(store.people_in_unit(1, &after, true).unwrap(), [10, 11, 12]);
    assert_eq!(store.people_in_unit(1, &after, false).unwrap(), Vec::<i64>::new());

    let merged = store.as_of(Table::UnitChanges, &after).unwrap();
    assert!(matches!(&merged[..], [Versioned { data: Fact::UnitChange(UnitChange { unit_id: 2, successor_id: Some(3), kind: UnitChangeKind::MergedInto, .. }), .. }]));
    assert!(store.as_of(Table::Units, &after).unwrap().iter().all(|v| v.id != 2));

    let stats = store.stats(&in_2024).unwrap();
    assert_eq!(stats.count("unit_level", "Cấp xã"), 3);
    assert_eq!(stats.count("category", "Công chức cấp xã"), 2);
    let stats = store.stats(&after).unwrap();
    assert_eq!(stats.count("category", "Công chức cấp xã"), 0);
    assert_eq!(stats.count("category", "Công chức"), 3);
}

/// c. A qualification entered today, valid from last year: seen as of last
/// year with today's knowledge, not by a reading known before it was entered.
fn backdated_qualification_is_unknown_before_it_was_entered(store: &mut Store, _: &Engine) {
    let entered = "2026-01-10T09:00:00Z";
    let mut c = change("2025-01-01T08:00:00Z");
    c.record(Entity::Given(10), Validity::since(d(2000, 1, 1)), person("072190001234", "Nguyễn", "Văn", "An"));
    store.apply(&c).unwrap();
    let mut c = change(entered);
    c.record(
        Entity::New,
        Validity::since(d(2025, 5, 1)),
        Fact::Qualification(qualification(10, QualificationKind::ForeignLanguage, "4", d(2025, 5, 1))),
    );
    store.apply(&c).unwrap();

    let last_year = d(2025, 6, 1);
    let now = store.as_of(Table::Qualifications, &AsOf::date(last_year)).unwrap();
    assert_eq!(now.len(), 1);
    assert_eq!(now[0].valid, Validity::since(d(2025, 5, 1)));
    assert_eq!(now[0].recording.recorded_at, t(entered));
    let known_before = AsOf::known_at(last_year, t(entered) - Duration::hours(1));
    assert!(store.as_of(Table::Qualifications, &known_before).unwrap().is_empty());
    let known_then = AsOf::known_at(last_year, t(entered));
    assert_eq!(store.as_of(Table::Qualifications, &known_then).unwrap().len(), 1);
    assert!(store.as_of(Table::Qualifications, &AsOf::date(d(2025, 4, 30))).unwrap().is_empty());

    assert!(store.knowledge(Some(t(entered) - Duration::hours(1))).unwrap().qualifications.is_empty());
    assert_eq!(store.knowledge(None).unwrap().qualifications.len(), 1);
    // Statistics reproduce the earlier knowledge too.
    assert_eq!(store.stats(&known_before).unwrap().count("foreign_language", "Bậc 4 (B2) trở lên"), 0);
}

/// d. A correction closes the old row and adds a new one; both stay.
fn correction_supersedes_never_overwrites(store: &mut Store, _: &Engine) {
    let (t1, t2) = ("2025-02-01T08:00:00Z", "2025-09-15T10:30:00.123456Z");
    let mut wrong = person_named("072190001234", "Nguyễn", "Văn", "An");
    wrong.birth_date = d(1980, 1, 1);
    let mut right = wrong.clone();
    right.birth_date = d(1981, 1, 1);

    let mut c = change(t1);
    c.record(Entity::Given(10), Validity::since(d(1998, 1, 1)), Fact::Person(wrong.clone()));
    let first = store.apply(&c).unwrap();
    let mut c = ChangeSet::new("can_bo_to_chuc", "Sửa ngày sinh theo CCCD").at(t(t2));
    c.supersede(Table::People, first.records[0].1)
        .record(Entity::Existing(10), Validity::since(d(1998, 1, 1)), Fact::Person(right.clone()));
    let second = store.apply(&c).unwrap();

    let history = store.history(Table::People, 10).unwrap();
    assert_eq!(history.len(), 2);
    assert_eq!(history[0].data, Fact::Person(wrong.clone()));
    assert_eq!(history[0].recording.recorded_at, t(t1));
    assert_eq!(history[0].recording.superseded_at, Some(t(t2)));
    assert_eq!(history[1].data, Fact::Person(right.clone()));
    assert_eq!(history[1].recording.recorded_at, t(t2));
    assert_eq!(history[1].recording.change_id, second.change_id);

    let people = |store: &mut Store, as_of: AsOf| only(store.as_of(Table::People, &as_of).unwrap(), |f| match f {
        Fact::Person(p) => Some(p),
        _ => None,
    });
    let day = d(2025, 10, 1);
    assert_eq!(people(store, AsOf::known_at(day, t("2025-05-01T00:00:00Z"))), [wrong]);
    assert_eq!(people(store, AsOf::known_at(day, t(t2))), [right.clone()]);
    assert_eq!(people(store, AsOf::date(day)), [right]);
    assert!(people(store, AsOf::known_at(day, t("2025-01-01T00:00:00Z"))).is_empty());

    // A row is superseded once.
    let mut again = change("2025-09-16T08:00:00Z");
    again.supersede(Table::People, first.records[0].1);
    let err = store.apply(&again).unwrap_err();
    assert!(matches!(err, StoreError::RowNotFound { table: "people", .. }), "{err:?}");
    assert_eq!(
        err.to_string(),
        format!("bản ghi {} của bảng people không tồn tại hoặc đã bị thay thế", first.records[0].1)
    );

    let changes = store.changes(10).unwrap();
    assert_eq!(changes.len(), 2);
    assert_eq!(changes[0].actor, "can_bo_to_chuc");
    assert_eq!(changes[0].reason, "Sửa ngày sinh theo CCCD");
    assert_eq!(changes[0].at, t(t2));
}

/// e. A change set with a failing op leaves nothing behind.
fn failing_change_set_leaves_the_database_unchanged(store: &mut Store, _: &Engine) {
    let mut c = change("2025-01-01T08:00:00Z");
    c.record(Entity::Given(10), Validity::since(d(2000, 1, 1)), person("072190001234", "Nguyễn", "Văn", "An"));
    store.apply(&c).unwrap();
    let before = total_rows(store);

    let mut bad = change("2025-02-01T08:00:00Z");
    bad.record(Entity::New, Validity::since(d(2000, 1, 1)), person("072190005678", "Lê", "Thị", "Bình"))
        .record(Entity::New, Validity::since(d(2020, 1, 1)), Fact::Employment(employment(10, 1, Category::CivilServant, None, None)))
        .supersede(Table::Employments, 9999);
    assert!(matches!(store.apply(&bad), Err(StoreError::RowNotFound { row_id: 9999, .. })));
    assert_eq!(total_rows(store), before);

    let mut bad = change("2025-02-01T08:00:00Z");
    bad.record(Entity::New, Validity::since(d(2000, 1, 1)), person("072190005678", "Lê", "Thị", "Bình"))
        .record(Entity::Existing(777), Validity::since(d(2000, 1, 1)), person("072190009999", "Hồ", "", "Xuân"));
    let err = store.apply(&bad).unwrap_err();
    assert_eq!(err.to_string(), "đối tượng 777 của bảng people không tồn tại");
    let mut bad = change("2025-02-01T08:00:00Z");
    bad.record(Entity::Given(10), Validity::since(d(2000, 1, 1)), person("072190009999", "Hồ", "", "Xuân"));
    assert!(matches!(store.apply(&bad), Err(StoreError::EntityExists { id: 10, .. })));
    let mut bad = change("2025-02-01T08:00:00Z");
    bad.record(Entity::New, Validity::between(d(2020, 1, 1), d(2019, 1, 1)), person("072190009999", "Hồ", "", "Xuân"));
    assert!(matches!(store.apply(&bad), Err(StoreError::EmptyValidity { .. })));
    assert_eq!(total_rows(store), before);

    // The id the failed change sets allocated was given back: the next new
    // person gets the id after the given 10.
    let mut good = change("2025-03-01T08:00:00Z");
    good.record(Entity::New, Validity::since(d(2000, 1, 1)), person("072190005678", "Lê", "Thị", "Bình"));
    assert_eq!(store.apply(&good).unwrap().records[0].0, 11);
}

/// f. Completing an enrolment in a programme that grants a qualification
/// adds the qualification, dated at the end of the course.
/// i. A class's target group and the reason of a nomination are kept; a
/// class moving on (a new version) leaves the earlier one readable as known
/// before; rows written without them read back as none.
fn a_class_keeps_its_target_group_and_a_nomination_its_reason(store: &mut Store, _: &Engine) {
    let class = Class {
        code: "LLCT-2026-01".into(),
        programme_id: 1,
        institution_id: 1,
        starts_on: d(2026, 3, 2),
        ends_on: d(2026, 6, 30),
        place: "Trường Chính trị tỉnh".into(),
        form: StudyForm::FullTime,
        min_size: 40,
        max_size: 50,
        status: ClassStatus::Proposed,
        planned_cost: 400_000_000,
        target_group: Some("category == civil_servant and post_rank >= division".into()),
        unit_quotas: vec![UnitQuota { unit_id: 4, seats: 30 }, UnitQuota { unit_id: 7, seats: 20 }],
    };
    let mut c = change("2026-01-05T08:00:00Z");
    c.record(Entity::New, Validity::since(d(2026, 1, 5)), Fact::Class(class.clone()));
    let first = store.apply(&c).unwrap();
    let (class_id, row_id) = first.records[0];
    let open = Class { status: ClassStatus::Open, ..class.clone() };
    let nominated = Enrolment {
        class_id: Some(class_id),
        note: Some("Không đúng đối tượng nhưng chuẩn bị bổ nhiệm trưởng phòng".into()),
        ..enrolment(10, 1, EnrolmentStatus::Nominated)
    };
    let mut c = change("2026-01-20T08:00:00Z");
    c.supersede(Table::Classes, row_id)
        .record(Entity::Existing(class_id), Validity::since(d(2026, 1, 5)), Fact::Class(open.clone()))
        .record(Entity::New, Validity::since(d(2026, 1, 20)), Fact::Enrolment(nominated.clone()))
        .record(Entity::New, Validity::since(d(2026, 1, 20)), Fact::Enrolment(Enrolment { class_id: Some(class_id), ..enrolment(11, 1, EnrolmentStatus::Nominated) }));
    store.apply(&c).unwrap();

    let history = only(store.history(Table::Classes, class_id).unwrap(), |f| match f {
        Fact::Class(c) => Some(c),
        _ => None,
    });
    assert_eq!(history, [class.clone(), open]);
    let before = store.as_of(Table::Classes, &AsOf::known_at(d(2026, 2, 1), t("2026-01-10T00:00:00Z"))).unwrap();
    assert_eq!(before.len(), 1);
    assert_eq!(before[0].data, Fact::Class(class));
    let roster = only(store.class_enrolments(class_id, None).unwrap(), |f| match f {
        Fact::Enrolment(e) => Some(e),
        _ => None,
    });
    assert_eq!(roster.len(), 2);
    assert_eq!(roster[0], nominated);
    assert_eq!(roster[1].note, None);
}

fn completed_enrolment_grants_its_qualification(store: &mut Store, _: &Engine) {
    let grant = Grant { kind: QualificationKind::StateManagement, level: "chuyen_vien_chinh".into(), field: None, language: None };
    let mut c = change("2025-01-10T08:00:00Z");
    c.record(Entity::Given(1), Validity::since(d(2022, 6, 2)), Fact::Programme(programme("QLNN-CVC", Some(grant))))
        .record(Entity::Given(2), Validity::since(d(2022, 6, 2)), Fact::Programme(programme("KN-CV", None)))
        .record(Entity::Given(10), Validity::since(d(2000, 1, 1)), person("072190001234", "Nguyễn", "Văn", "An"))
        .record(Entity::New, Validity::since(d(2025, 3, 3)), Fact::Enrolment(enrolment(10, 1, EnrolmentStatus::Enrolled)))
        .record(Entity::New, Validity::since(d(2025, 3, 3)), Fact::Enrolment(enrolment(10, 2, EnrolmentStatus::Completed)));
    let first = store.apply(&c).unwrap();
    assert!(store.as_of(Table::Qualifications, &AsOf::date(d(2025, 12, 1))).unwrap().is_empty());
    let (enrolment_id, row_id) = first.records[3];

    let mut done = enrolment(10, 1, EnrolmentStatus::Completed);
    done.certificate = Some("CVC-2025-0042".into());
    let mut c = change("2025-06-05T08:00:00Z");
    c.supersede(Table::Enrolments, row_id)
        .record(Entity::Existing(enrolment_id), Validity::since(d(2025, 3, 3)), Fact::Enrolment(done.clone()));
    let second = store.apply(&c).unwrap();

    let granted = store.as_of(Table::Qualifications, &AsOf::date(d(2025, 5, 30))).unwrap();
    assert_eq!(granted.len(), 1);
    assert_eq!(granted[0].valid, Validity::since(d(2025, 5, 30)));
    assert_eq!(granted[0].recording.change_id, second.change_id);
    assert_eq!(
        granted[0].data,
        Fact::Qualification(Qualification {
            person_id: 10,
            kind: QualificationKind::StateManagement,
            level: "chuyen_vien_chinh".into(),
            field: None,
            language: None,
            obtained_on: d(2025, 5, 30),
            evidence: Some("CVC-2025-0042".into()),
            enrolment_id: Some(enrolment_id),
        })
    );
    assert!(store.as_of(Table::Qualifications, &AsOf::date(d(2025, 5, 29))).unwrap().is_empty());

    // Recording the completion again (say, a corrected attendance) does not
    // grant a second qualification.
    let current = store.history(Table::Enrolments, enrolment_id).unwrap().pop().unwrap();
    done.attendance_pct = Some(100);
    let mut c = change("2025-06-06T08:00:00Z");
    c.supersede(Table::Enrolments, current.row_id)
        .record(Entity::Existing(enrolment_id), Validity::since(d(2025, 3, 3)), Fact::Enrolment(done));
    store.apply(&c).unwrap();
    assert_eq!(store.count(Table::Qualifications).unwrap(), 1);
}

/// A sample of every kind of fact, for the bulk round trip.
fn every_kind(id: i64) -> Vec<Fact> {
    vec![
        unit("01", "Sở Nội vụ", UnitLevel::Province, Some(1)),
        Fact::UnitChange(UnitChange { unit_id: id, kind: UnitChangeKind::Dissolved, successor_id: None, date: d(2025, 7, 1), decision: "NQ 1".into() }),
        person("072190001234", "Đặng", "Thị", "Ánh"),
        Fact::Employment(employment(
            id,
            1,
            Category::Cadre,
            Some("01.002"),
            Some(Post { code: "chu_tich_ubnd_xa".into(), rank: PostRank::Division, appointed_on: None, elected_on: Some(d(2021, 6, 1)) }),
        )),
        Fact::Role(Role { person_id: id, kind: RoleKind::CouncilDelegate, term: Some("2021-2026".into()), level: Some(UnitLevel::Commune), post: None, approved_on: Some(d(2021, 5, 23)) }),
        Fact::Qualification(Qualification { field: Some("luat".into()), evidence: Some("B-12".into()), enrolment_id: Some(3), ..qualification(id, QualificationKind::Education, "thac_si", d(2015, 9, 1)) }),
        Fact::JobPosition(JobPosition { code: "CV-TH".into(), name: "Chuyên viên tổng hợp".into(), group: PositionGroup::Professional }),
        Fact::PositionRequirement(PositionRequirement { position_id: id, kind: QualificationKind::Education, min_level: "dai_hoc".into(), field: None }),
        Fact::Programme(programme("P1", Some(Grant { kind: QualificationKind::ForeignLanguage, level: "3".into(), field: None, language: Some("en".into()) }))),
        Fact::Institution(Institution { code: "TCT".into(), name: "Trường Chính trị tỉnh".into(), kind: InstitutionKind::PoliticalSchool }),
        Fact::Lecturer(Lecturer { institution_id: id, full_name: "Võ Thị Sáu".into(), guest: true, management_years: 12 }),
        Fact::Class(Class {
            code: "L-01".into(),
            programme_id: 1,
            institution_id: 1,
            starts_on: d(2025, 3, 3),
            ends_on: d(2025, 5, 30),
            place: "Thành phố".into(),
            form: StudyForm::PartTime,
            min_size: 40,
            max_size: 50,
            status: ClassStatus::Finished,
            planned_cost: 200_000_000,
            target_group: Some("category == civil_servant and post_rank >= department".into()),
            unit_quotas: vec![UnitQuota { unit_id: 3, seats: 25 }],
        }),
        Fact::Enrolment(Enrolment {
            class_id: Some(1),
            result: Some("Giỏi".into()),
            certificate: Some("C-1".into()),
            note: Some("Cử dù đã có chứng chỉ: theo yêu cầu của Tỉnh ủy".into()),
            ..enrolment(id, 1, EnrolmentStatus::Completed)
        }),
    ]
}

/// A row as compared in the round trip: table, entity id, validity, fact,
/// recorded and superseded times.
type Seen = (Table, i64, Validity, Fact, DateTime<Utc>, Option<DateTime<Utc>>);

#[derive(Default)]
struct Collect(Vec<Seen>);

impl KnowledgeSink for Collect {
    fn row(&mut self, v: Versioned<Fact>) {
        self.0.push((v.data.table(), v.id, v.valid, v.data, v.recording.recorded_at, v.recording.superseded_at));
    }
}

/// g. Rows bulk loaded read back equal, superseded ones included, and new
/// ids continue after the loaded ones.
fn bulk_load_round_trips(store: &mut Store, _: &Engine) {
    let t1 = t("2024-01-01T00:00:00Z");
    let t2 = t("2025-01-01T00:00:00.000001Z");
    let mut rows = Vec::new();
    // Every kind of fact, an old superseded version and its correction.
    for (i, fact) in every_kind(7).into_iter().enumerate() {
        let id = 100 + i as i64;
        rows.push(BulkRow { id, valid: Validity::since(d(2020, 1, 1)), fact: fact.clone(), recorded_at: t1, superseded_at: Some(t2) });
        rows.push(BulkRow { id, valid: Validity::between(d(2020, 1, 1), d(2030, 1, 1)), fact, recorded_at: t2, superseded_at: None });
    }
    // Enough people to need several batches.
    let names = ["An", "Bình", "Cường", "Dũng", "Đào", "Giang", "Hà", "Khánh"];
    let many = 60_000;
    for i in 0..many {
        let p = person(&format!("{:012}", 1_000_000 + i), "Nguyễn", "Văn", names[i as usize % names.len()]);
        rows.push(BulkRow { id: 1_000 + i, valid: Validity::since(d(1990, 1, 1)), fact: p, recorded_at: t1, superseded_at: None });
    }
    let expected = rows.clone();

    let mut reported = Vec::new();
    let n = store.bulk_load("demo", "Nạp thử", rows, &mut |n| reported.push(n)).unwrap();
    assert_eq!(n, expected.len() as u64);
    assert_eq!(reported.last(), Some(&n));
    assert!(reported.len() >= 10 && reported.windows(2).all(|w| w[0] <= w[1]));
    assert_eq!(store.changes(10).unwrap().len(), 1);

    let key = |r: &Seen| (r.0 as usize, r.1, r.2.from, r.4);
    let as_tuples = |rows: &[BulkRow], keep: &dyn Fn(&BulkRow) -> bool| {
        let mut v: Vec<_> = rows
            .iter()
            .filter(|r| keep(r))
            .map(|r| (r.fact.table(), r.id, r.valid, r.fact.clone(), r.recorded_at, r.superseded_at))
            .collect();
        v.sort_by_key(key);
        v
    };
    let mut now = Collect::default();
    assert_eq!(store.visit_knowledge(None, &mut now).unwrap(), (expected.len() - 13) as u64);
    assert_eq!(now.0, as_tuples(&expected, &|r| r.superseded_at.is_none()));
    let mut then = Collect::default();
    store.visit_knowledge(Some(t1 + Duration::days(1)), &mut then).unwrap();
    assert_eq!(then.0, as_tuples(&expected, &|r| r.recorded_at == t1));

    // As of a date after 2030, only the superseded open-ended versions would
    // be true, and they are no longer believed.
    let late = AsOf::date(d(2031, 1, 1));
    assert!(store.as_of(Table::Employments, &late).unwrap().is_empty());
    let early = store.as_of(Table::Employments, &AsOf::known_at(d(2031, 1, 1), t1)).unwrap();
    assert_eq!(early.len(), 1);
    assert_eq!(early[0].id, 103);

    let k = store.knowledge(None).unwrap();
    assert_eq!(k.people.len(), many as usize + 1);
    assert_eq!(k.enrolments.len(), 1);

    // Search keys were kept by the load, and ids continue after the bulk ids.
    let found = store.find_people("đặng thị ánh", &AsOf::date(d(2025, 1, 1)), 10).unwrap();
    assert_eq!(found.iter().map(|f| f.0).collect::<Vec<_>>(), [102]);
    let mut c = change("2025-05-01T00:00:00Z");
    c.record(Entity::New, Validity::since(d(2000, 1, 1)), person("999999999999", "Lý", "", "Mai"))
        .record(Entity::New, Validity::since(d(2020, 1, 1)), unit("99", "Mới", UnitLevel::Province, None));
    let applied = store.apply(&c).unwrap();
    assert_eq!(applied.records[0].0, 1_000 + many);
    assert_eq!(applied.records[1].0, 101);
    assert!(applied.records[0].1 > 0);
}

/// h. Search by name, without case or diacritics, in Vietnamese order; or by
/// personal identification number.
fn find_people_ignores_case_and_diacritics(store: &mut Store, _: &Engine) {
    let mut c = change("2025-01-01T08:00:00Z");
    let people = [
        (15, "072190000015", "Phạm", "Thị", "Ân"),
        (12, "072190000012", "Đặng", "Thị", "Ánh"),
        (14, "072190000014", "Dương", "Văn", "Đào"),
        (11, "072190000011", "Nguyễn", "Văn", "Anh"),
        (13, "072190000013", "Lê", "Thị", "Bình"),
        (10, "072190001234", "Nguyễn", "Văn", "An"),
    ];
    for (id, number, family, middle, given) in people {
        c.record(Entity::Given(id), Validity::since(d(2000, 1, 1)), person(number, family, middle, given));
    }
    c.record(Entity::Given(16), Validity::since(d(2026, 1, 1)), person("072190000016", "Nguyễn", "Văn", "Ất"));
    store.apply(&c).unwrap();

    let on = AsOf::date(d(2025, 6, 1));
    let mut ids = |q: &str, limit| store.find_people(q, &on, limit).unwrap().into_iter().map(|(id, _)| id).collect::<Vec<_>>();
    assert_eq!(ids("nguyen van an", 10), [10, 11]);
    assert_eq!(ids("ĐẶNG", 10), [12]);
    assert_eq!(ids("  đặng   THỊ ", 10), [12]);
    assert_eq!(ids("an", 10), [10, 11, 12, 15]);
    assert_eq!(ids("an", 2), [10, 11]);
    assert_eq!(ids("van", 10), [10, 11, 14]);
    assert_eq!(ids("dao", 10), [14]);
    assert_eq!(ids("thi", 10), [12, 15, 13]); // Ánh, Ân, Bình
    assert_eq!(ids("072190001234", 10), [10]);
    assert_eq!(ids("%", 10), Vec::<i64>::new());
    assert_eq!(ids("", 10), Vec::<i64>::new());
    // Not yet valid on the date.
    assert_eq!(ids("at", 10), Vec::<i64>::new());
    let found = store.find_people("Nguyễn Văn An", &on, 1).unwrap();
    assert_eq!(found[0].1.full_name(), "Nguyễn Văn An");
}

/// i. Opening an up-to-date database again applies nothing and loses nothing.
fn migrations_are_idempotent(store: &mut Store, engine: &Engine) {
    assert_eq!(store.schema_version().unwrap(), Store::latest_schema_version());
    assert!(store.is_empty().unwrap());
    let mut c = change("2025-01-01T08:00:00Z");
    c.record(Entity::New, Validity::since(d(2000, 1, 1)), person("072190001234", "Nguyễn", "Văn", "An"));
    store.apply(&c).unwrap();
    for _ in 0..2 {
        let mut again = engine.reopen();
        assert_eq!(again.schema_version().unwrap(), Store::latest_schema_version());
        assert!(!again.is_empty().unwrap());
        assert_eq!(again.as_of(Table::People, &AsOf::date(d(2025, 1, 1))).unwrap().len(), 1);
    }
}

/// The figures of a small workforce.
fn stats_count_the_workforce(store: &mut Store, _: &Engine) {
    let mut c = change("2025-01-01T08:00:00Z");
    c.record(Entity::Given(1), Validity::since(d(2020, 1, 1)), unit("80", "Tỉnh", UnitLevel::Province, None));
    let people = [(10, Sex::Male, 1u8), (11, Sex::Female, 5), (12, Sex::Female, 5), (13, Sex::Male, 2)];
    for (id, sex, ethnicity) in people {
        let mut p = person_named(&format!("0721900000{id}"), "Nguyễn", "Văn", "An");
        p.sex = sex;
        p.ethnicity = Ethnicity::from_code(ethnicity).unwrap();
        c.record(Entity::Given(id), Validity::since(d(2000, 1, 1)), Fact::Person(p));
    }
    // 13 no longer works on the date.
    for (id, category, to) in [(10, Category::CivilServant, None), (11, Category::PublicEmployee, None), (12, Category::CivilServant, None), (13, Category::Cadre, Some(d(2024, 1, 1)))] {
        let valid = Validity { from: d(2020, 1, 1), to };
        c.record(Entity::New, valid, Fact::Employment(employment(id, 1, category, None, None)));
    }
    let q = |id, kind, level, on| Fact::Qualification(qualification(id, kind, level, on));
    use QualificationKind::*;
    for (id, kind, level, on) in [
        (10, Education, "dai_hoc", d(2008, 6, 1)),
        (10, Education, "thac_si", d(2015, 6, 1)),
        (10, Education, "tien_si", d(2026, 6, 1)),
        (11, Education, "dai_hoc", d(2010, 6, 1)),
        (10, PoliticalTheory, "cao_cap", d(2018, 1, 1)),
        (10, ForeignLanguage, "4", d(2019, 1, 1)),
        (11, ForeignLanguage, "3", d(2019, 1, 1)),
        (12, ForeignLanguage, "2", d(2019, 1, 1)),
        (13, Education, "tien_si", d(2010, 1, 1)),
    ] {
        c.record(Entity::New, Validity::since(on), q(id, kind, level, on));
    }
    c.record(Entity::Given(1), Validity::since(d(2022, 1, 1)), Fact::Programme(programme("P", None)));
    for (person, year) in [(10, 2024), (11, 2025), (12, 2025)] {
        let mut e = enrolment(person, 1, EnrolmentStatus::Enrolled);
        e.starts_on = d(year, 3, 1);
        c.record(Entity::New, Validity::since(e.starts_on), Fact::Enrolment(e));
    }
    store.apply(&c).unwrap();

    let s = store.stats(&AsOf::date(d(2025, 6, 1))).unwrap();
    assert_eq!(s.employed, 3);
    assert_eq!(s.count("total", "Người đang công tác"), 3);
    assert_eq!(s.count("unit_level", "Cấp tỉnh"), 3);
    assert_eq!(s.count("unit_kind", "Cơ quan hành chính nhà nước"), 3);
    assert_eq!(s.section("category").unwrap().rows, [("Công chức".to_string(), 2), ("Viên chức".to_string(), 1)]);
    assert_eq!(s.count("sex", "Nam"), 1);
    assert_eq!(s.count("sex", "Nữ"), 2);
    assert_eq!(s.count("ethnicity", "Kinh"), 1);
    assert_eq!(s.count("ethnicity", "Dân tộc thiểu số"), 2);
    assert_eq!(s.section("ethnic_groups").unwrap().rows, [("Khmer".to_string(), 2)]);
    assert_eq!(
        s.section("education").unwrap().rows,
        [("Đại học".to_string(), 1), ("Thạc sĩ".to_string(), 1), ("Chưa có".to_string(), 1)]
    );
    assert_eq!(s.count("political_theory", "Cao cấp"), 1);
    assert_eq!(s.count("political_theory", "Chưa có"), 2);
    assert_eq!(s.count("foreign_language", "Bậc 3 (B1) trở lên"), 2);
    assert_eq!(s.count("foreign_language", "Bậc 4 (B2) trở lên"), 1);
    assert_eq!(s.section("enrolments_by_year").unwrap().rows, [("2024".to_string(), 1), ("2025".to_string(), 2)]);
    assert_eq!(s.count("tables", "Người (people)"), 4);
    assert_eq!(s.count("tables", "Lượt thay đổi (changes)"), 1);
}

fn reset_empties_the_store(store: &mut Store, _: &Engine) {
    let mut c = change("2025-01-01T08:00:00Z");
    c.record(Entity::New, Validity::since(d(2000, 1, 1)), person("072190001234", "Nguyễn", "Văn", "An"))
        .record(Entity::New, Validity::since(d(2000, 1, 1)), person("072190005678", "Lê", "Thị", "Bình"));
    store.apply(&c).unwrap();
    assert!(!store.is_empty().unwrap());
    store.reset().unwrap();
    assert!(store.is_empty().unwrap());
    assert_eq!(store.count(Table::People).unwrap(), 0);
    let mut c = change("2025-01-02T08:00:00Z");
    c.record(Entity::New, Validity::since(d(2000, 1, 1)), person("072190001234", "Nguyễn", "Văn", "An"));
    assert_eq!(store.apply(&c).unwrap().records[0].0, 1);
}

/// The batched lookup an import uses gives, key by key, the rows of the
/// one-key lookup, over more keys than one chunk holds; reserved id blocks and
/// the ids of new entities in a change set never overlap.
fn lookups_in_batches_answer_as_one_by_one(store: &mut Store, _: &Engine) {
    let mut c = change("2025-01-01T08:00:00Z");
    let n = nangluc_store::IN_CHUNK as i64 + 7;
    for i in 0..n {
        c.record(Entity::New, Validity::since(d(1990, 1, 1)), person(&format!("0790850{i:05}"), "Lê", "Văn", "An"));
    }
    // Progress is told at the start, every few thousand ops, and at the end.
    let mut progress = Vec::new();
    let applied = store.apply_with_progress(&c, &mut |done| progress.push(done)).unwrap();
    assert_eq!(progress, [0, n as u64]);
    // A correction: the old row is superseded, only the new one is current.
    let (id, _) = applied.records[3];
    let old_row = applied.records[3].1;
    let mut fix = change("2025-02-01T08:00:00Z");
    fix.supersede(Table::People, old_row).record(Entity::Existing(id), Validity::since(d(1990, 1, 1)), person("079085000003", "Lê", "Văn", "Ân"));
    store.apply(&fix).unwrap();

    // Every key, one unknown key, one key twice in the same chunk.
    let mut keys: Vec<Value> = vec![Value::from("079085000001")];
    keys.extend((0..n).map(|i| Value::from(format!("0790850{i:05}"))));
    keys.push(Value::from("079085099999"));
    let mut batched: Vec<Versioned<Fact>> = Vec::new();
    store.current_where_in(Table::People, "identity_number", &keys, &mut |row| batched.push(row)).unwrap();
    batched.sort_by_key(|v| v.row_id);
    let mut one_by_one: Vec<Versioned<Fact>> = Vec::new();
    for i in 0..n {
        one_by_one.extend(store.current_where(Table::People, "identity_number", Value::from(format!("0790850{i:05}"))).unwrap());
    }
    one_by_one.sort_by_key(|v| v.row_id);
    assert_eq!(batched.len(), n as usize);
    assert_eq!(batched, one_by_one);
    assert!(batched.iter().all(|v| v.row_id != old_row), "superseded rows are not current");

    let first = store.reserve_ids(Table::People, 10).unwrap();
    assert_eq!(first, n + 1, "after the ids the change set took");
    assert_eq!(store.reserve_id(Table::People).unwrap(), first + 10);
    let mut more = change("2025-03-01T08:00:00Z");
    more.record(Entity::New, Validity::since(d(1990, 1, 1)), person("079085088888", "Hồ", "", "Xuân"))
        .record(Entity::Given(first + 3), Validity::since(d(1990, 1, 1)), person("079085077777", "Hồ", "", "Thu"));
    let ids: Vec<i64> = store.apply(&more).unwrap().records.iter().map(|r| r.0).collect();
    assert_eq!(ids, [first + 11, first + 3]);
}
