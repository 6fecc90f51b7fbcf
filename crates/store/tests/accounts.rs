//! Accounts, sessions, login throttling, the registry search and the audit
//! readings, on both engines (same harness rules as `store.rs`: PostgreSQL
//! unreachable fails the `postgres::` tests).

use std::sync::atomic::{AtomicUsize, Ordering};

use chrono::{DateTime, Duration, NaiveDate, Utc};
use nangluc_core::employment::{Category, Employment, Post, PostRank};
use nangluc_core::person::{Ethnicity, PersonDetails, Sex};
use nangluc_core::unit::{Sector, UnitKind, UnitLevel, UnitVersion};
use nangluc_core::{AsOf, ChangeSet, Entity, Fact, Table, Validity};
use nangluc_store::{AccountChange, ChangeFilter, NewAccount, PeopleQuery, Session, Store};

static COUNTER: AtomicUsize = AtomicUsize::new(0);

fn unique() -> String {
    format!(
        "{}_{}",
        std::process::id(),
        COUNTER.fetch_add(1, Ordering::Relaxed)
    )
}

type Body = fn(&mut Store);

fn on_sqlite(body: Body) {
    let path = std::env::temp_dir().join(format!("nangluc-accounts-test-{}.db", unique()));
    let mut store = Store::open(path.to_str().unwrap()).unwrap();
    body(&mut store);
    drop(store);
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
    }
}

fn on_postgres(body: Body) {
    let url = std::env::var("NANGLUC_TEST_PG")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/test".into());
    let schema = format!("a_{}", unique());
    let mut store = Store::open_pg_in_schema(&url, &schema)
        .unwrap_or_else(|e| panic!("PostgreSQL is needed for the postgres:: tests: {e}"));
    body(&mut store);
    drop(store);
    if let Ok(mut c) = ::postgres::Client::connect(&url, ::postgres::NoTls) {
        let _ = c.batch_execute(&format!("DROP SCHEMA IF EXISTS {schema} CASCADE"));
    }
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
    accounts_and_sessions,
    login_failures_are_counted,
    registry_search_scopes_and_filters,
    audit_readings,
    account_changes_are_recorded_with_their_effect,
    memos_last_until_the_next_change
);

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

fn t(s: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
}

fn new_account(name: &str, role: &str) -> NewAccount {
    NewAccount {
        username: name.into(),
        display_name: format!("Tài khoản {name}"),
        password_hash: "$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA".into(),
        role: role.into(),
        unit_id: Some(2),
        person_id: None,
        institution_id: None,
    }
}

fn accounts_and_sessions(store: &mut Store) {
    assert_eq!(store.account_count().unwrap(), 0);
    let id = store.create_account(&new_account("hr", "unit_hr")).unwrap();
    assert!(
        store.create_account(&new_account("hr", "admin")).is_err(),
        "names are unique"
    );
    let a = store.account_by_username("hr").unwrap().unwrap();
    assert_eq!(
        (a.id, a.role.as_str(), a.unit_id, a.active),
        (id, "unit_hr", Some(2), true)
    );
    assert!(store.account_by_username("nobody").unwrap().is_none());

    let now = Utc::now();
    let s = Session {
        token_hash: "h1".into(),
        account_id: id,
        kind: "browser".into(),
        csrf_token: "c1".into(),
        created_at: now,
        expires_at: now + Duration::hours(8),
    };
    store.create_session(&s).unwrap();
    let (found, acc) = store.session("h1", now).unwrap().unwrap();
    assert_eq!(
        (found.csrf_token.as_str(), acc.username.as_str()),
        ("c1", "hr")
    );
    assert!(
        store
            .session("h1", now + Duration::hours(9))
            .unwrap()
            .is_none(),
        "expired"
    );
    assert!(store.session("other", now).unwrap().is_none());

    store.set_account_active(id, false).unwrap();
    assert!(
        store.session("h1", now).unwrap().is_none(),
        "a disabled account has no session"
    );
    store.set_account_active(id, true).unwrap();
    store.delete_session("h1").unwrap();
    assert!(store.session("h1", now).unwrap().is_none());
    assert_eq!(store.accounts().unwrap().len(), 1);
}

fn login_failures_are_counted(store: &mut Store) {
    let now = t("2026-01-10T09:00:00Z");
    for i in 0..3 {
        store
            .record_login_failure("an", "10.0.0.1", now - Duration::minutes(i))
            .unwrap();
    }
    store.record_login_failure("binh", "10.0.0.1", now).unwrap();
    store.record_login_failure("an", "10.0.0.2", now).unwrap();
    store
        .record_login_failure("an", "10.0.0.1", now - Duration::minutes(30))
        .unwrap();
    let c = store
        .login_failures("an", "10.0.0.1", now - Duration::minutes(15))
        .unwrap();
    assert_eq!((c.user_from_ip, c.ip), (3, 4));
    store.clear_login_failures("an", "10.0.0.1").unwrap();
    let c = store
        .login_failures("an", "10.0.0.1", now - Duration::minutes(15))
        .unwrap();
    assert_eq!((c.user_from_ip, c.ip), (0, 1));
    store
        .purge_sessions(now, now + Duration::minutes(1))
        .unwrap();
    assert_eq!(
        store
            .login_failures("an", "10.0.0.2", now - Duration::hours(1))
            .unwrap()
            .ip,
        0
    );
}

fn unit(name: &str, parent: Option<i64>) -> Fact {
    Fact::Unit(UnitVersion {
        code: name.to_lowercase().replace(' ', "_"),
        name: name.into(),
        level: UnitLevel::Province,
        kind: UnitKind::State,
        sector: Sector::General,
        parent_id: parent,
        minority_area: false,
    })
}

fn person(number: &str, family: &str, middle: &str, given: &str) -> Fact {
    Fact::Person(PersonDetails {
        identity_number: number.into(),
        family_name: family.into(),
        middle_name: middle.into(),
        given_name: given.into(),
        birth_date: d(1985, 4, 12),
        sex: Sex::Male,
        ethnicity: Ethnicity::KINH,
    })
}

fn job(person_id: i64, unit_id: i64, category: Category, post: Option<&str>) -> Fact {
    Fact::Employment(Employment {
        person_id,
        unit_id,
        category,
        rank: None,
        job_position_id: None,
        post: post.map(|code| Post {
            code: code.into(),
            rank: PostRank::Division,
            appointed_on: None,
            elected_on: None,
        }),
        minority_area: false,
    })
}

/// Province 1 > departments 2 and 3 > division 4 under 2. People 1–4.
fn seed(store: &mut Store) {
    let since = Validity::since(d(2020, 1, 1));
    let mut c = ChangeSet::new("test", "nạp dữ liệu thử").at(t("2025-01-01T08:00:00Z"));
    c.record(Entity::Given(1), since, unit("UBND tỉnh", None));
    c.record(Entity::Given(2), since, unit("Sở Nội vụ", Some(1)));
    c.record(Entity::Given(3), since, unit("Sở Tài chính", Some(1)));
    c.record(Entity::Given(4), since, unit("Phòng Công chức", Some(2)));
    c.record(
        Entity::Given(1),
        since,
        person("001085000001", "Nguyễn", "Văn", "An"),
    );
    c.record(
        Entity::Given(2),
        since,
        person("001085000002", "Đặng", "Thị", "Ánh"),
    );
    c.record(
        Entity::Given(3),
        since,
        person("001085000003", "Lê", "Văn", "Bình"),
    );
    c.record(
        Entity::Given(4),
        since,
        person("001085000004", "Nguyễn", "Thị", "An"),
    );
    c.record(
        Entity::New,
        since,
        job(1, 4, Category::CivilServant, Some("truong_phong")),
    );
    c.record(Entity::New, since, job(2, 2, Category::CivilServant, None));
    c.record(
        Entity::New,
        since,
        job(3, 3, Category::PublicEmployee, None),
    );
    store.apply(&c).unwrap();
}

fn names(store: &mut Store, q: &PeopleQuery) -> Vec<String> {
    store
        .search_people(q)
        .unwrap()
        .hits
        .into_iter()
        .map(|h| h.person.full_name())
        .collect()
}

fn registry_search_scopes_and_filters(store: &mut Store) {
    seed(store);
    let on = AsOf::date(d(2026, 1, 1));
    let q = |text: &str| PeopleQuery::new(text, on);
    // Everyone, in Vietnamese order (given name, then family name).
    assert_eq!(
        names(store, &q("")),
        [
            "Nguyễn Thị An",
            "Nguyễn Văn An",
            "Đặng Thị Ánh",
            "Lê Văn Bình"
        ]
    );
    assert_eq!(names(store, &q("nguyen van an")), ["Nguyễn Văn An"]);
    assert_eq!(names(store, &q("DANG")), ["Đặng Thị Ánh"]);
    assert_eq!(names(store, &q("001085000003")), ["Lê Văn Bình"]);
    // The HR officer of Sở Nội vụ sees its subtree only.
    let scoped = PeopleQuery {
        scope_unit: Some(2),
        ..q("")
    };
    assert_eq!(names(store, &scoped), ["Nguyễn Văn An", "Đặng Thị Ánh"]);
    assert_eq!(
        names(
            store,
            &PeopleQuery {
                scope_unit: Some(2),
                ..q("binh")
            }
        ),
        Vec::<String>::new()
    );
    assert_eq!(
        names(
            store,
            &PeopleQuery {
                only_person: Some(3),
                ..q("")
            }
        ),
        ["Lê Văn Bình"]
    );
    // Filters.
    assert_eq!(
        names(
            store,
            &PeopleQuery {
                unit: Some(4),
                ..q("")
            }
        ),
        ["Nguyễn Văn An"]
    );
    assert_eq!(
        names(
            store,
            &PeopleQuery {
                category: Some(Category::PublicEmployee),
                ..q("")
            }
        ),
        ["Lê Văn Bình"]
    );
    assert_eq!(
        names(
            store,
            &PeopleQuery {
                post: Some("*".into()),
                ..q("")
            }
        ),
        ["Nguyễn Văn An"]
    );
    // Paging.
    let page = store
        .search_people(&PeopleQuery { limit: 3, ..q("") })
        .unwrap();
    assert!(page.more);
    assert_eq!(page.hits.len(), 3);
    let page = store
        .search_people(&PeopleQuery {
            limit: 3,
            offset: 3,
            ..q("")
        })
        .unwrap();
    assert!(!page.more);
    assert_eq!(page.hits[0].person.full_name(), "Lê Văn Bình");
    // Employments come with the unit names.
    let an = store
        .search_people(&q("nguyen van an"))
        .unwrap()
        .hits
        .remove(0);
    assert_eq!(an.employments[0].1, "Phòng Công chức");
}

fn audit_readings(store: &mut Store) {
    seed(store);
    let first = store.changes(1).unwrap().remove(0);
    let people = store
        .as_of(Table::People, &AsOf::date(d(2026, 1, 1)))
        .unwrap();
    let row = people.iter().find(|v| v.id == 3).unwrap().row_id;
    let mut c =
        ChangeSet::new("admin", "Sửa ngày sinh theo căn cước").at(t("2025-02-01T08:00:00Z"));
    c.supersede(Table::People, row);
    c.record(
        Entity::Existing(3),
        Validity::since(d(2020, 1, 1)),
        person("001085000003", "Lê", "Văn", "Bình"),
    );
    let applied = store.apply(&c).unwrap();

    let all = store
        .changes_filtered(&ChangeFilter {
            limit: 10,
            ..Default::default()
        })
        .unwrap();
    assert_eq!(
        all.iter().map(|c| c.id).collect::<Vec<_>>(),
        [applied.change_id, first.id]
    );
    let by_admin = store.changes_filtered(&ChangeFilter {
        actor: Some("admin".into()),
        limit: 10,
        ..Default::default()
    });
    assert_eq!(by_admin.unwrap().len(), 1);
    let by_reason = store.changes_filtered(&ChangeFilter {
        reason: Some("căn cước".into()),
        limit: 10,
        ..Default::default()
    });
    assert_eq!(by_reason.unwrap()[0].id, applied.change_id);
    let since = store
        .changes_filtered(&ChangeFilter {
            from: Some(t("2025-01-15T00:00:00Z")),
            limit: 10,
            ..Default::default()
        })
        .unwrap();
    assert_eq!(since.len(), 1);

    let rows = store.change_rows(applied.change_id, 100).unwrap();
    assert_eq!(rows.len(), 2);
    assert!(rows.iter().any(|r| r.superseded && r.row.row_id == row));
    assert!(rows.iter().any(|r| !r.superseded && r.row.id == 3));
    let counts = store.change_counts(first.id).unwrap();
    let people = counts.iter().find(|c| c.table == Table::People).unwrap();
    assert_eq!((people.recorded, people.superseded), (4, 0));
    assert_eq!(
        store.change_rows(first.id, 5).unwrap().len(),
        5,
        "the limit holds across tables"
    );
    assert_eq!(
        store.change(applied.change_id).unwrap().unwrap().actor,
        "admin"
    );
}

fn account_changes_are_recorded_with_their_effect(store: &mut Store) {
    let id = store
        .change_account("admin", &AccountChange::Create(new_account("hr", "unit_hr")), "Tổ chức — SNV")
        .unwrap();
    let now = Utc::now();
    let session = |hash: &str| Session {
        token_hash: hash.into(),
        account_id: id,
        kind: "browser".into(),
        csrf_token: "c".into(),
        created_at: now,
        expires_at: now + Duration::hours(8),
    };
    store.create_session(&session("s1")).unwrap();
    store.change_account("admin", &AccountChange::SetActive { id, active: false }, "khóa").unwrap();
    assert!(!store.account(id).unwrap().unwrap().active);
    store.change_account("admin", &AccountChange::SetActive { id, active: true }, "mở").unwrap();
    assert!(store.session("s1", now).unwrap().is_none(), "locking ended the session for good");
    store.create_session(&session("s2")).unwrap();
    store
        .change_account("boss", &AccountChange::SetPassword { id, hash: "$argon2id$new".into() }, "đặt lại")
        .unwrap();
    assert!(store.session("s2", now).unwrap().is_none(), "a reset password ends sessions");
    assert_eq!(store.account(id).unwrap().unwrap().password_hash, "$argon2id$new");

    // A failing change records nothing: a duplicate name, an unknown account.
    assert!(store.change_account("admin", &AccountChange::Create(new_account("hr", "admin")), "x").is_err());
    assert!(store.change_account("admin", &AccountChange::SetActive { id: 999, active: false }, "x").is_err());
    let events = store.account_events(None, 10).unwrap();
    let seen: Vec<(&str, &str, &str)> =
        events.iter().map(|e| (e.actor.as_str(), e.action.as_str(), e.detail.as_str())).collect();
    assert_eq!(
        seen,
        [
            ("boss", "password_reset", "đặt lại"),
            ("admin", "unlocked", "mở"),
            ("admin", "locked", "khóa"),
            ("admin", "created", "Tổ chức — SNV"),
        ]
    );
    assert_eq!(store.account_events(Some(id), 2).unwrap().len(), 2);
    assert_eq!(store.accounts().unwrap().len(), 1);
}

fn memos_last_until_the_next_change(store: &mut Store) {
    let builds = std::cell::Cell::new(0);
    let read = |store: &mut Store, key: &str| {
        *store
            .memo(key, |s| {
                builds.set(builds.get() + 1);
                s.count(Table::Units)
            })
            .unwrap()
    };
    assert_eq!(read(store, "units"), 0);
    assert_eq!(read(store, "units"), 0);
    assert_eq!(builds.get(), 1, "kept");
    read(store, "other");
    assert_eq!(builds.get(), 2, "another key is another value");
    let mut c = ChangeSet::new("test", "một đơn vị");
    c.record(Entity::New, Validity::since(d(2020, 1, 1)), unit("Sở Nội vụ", None));
    store.apply(&c).unwrap();
    assert_eq!(read(store, "units"), 1, "rebuilt after the change");
    assert_eq!(builds.get(), 3);
    assert_eq!(store.last_change_id().unwrap(), c_id(store));
}

fn c_id(store: &mut Store) -> i64 {
    store.changes(10).unwrap().iter().map(|c| c.id).max().unwrap()
}
