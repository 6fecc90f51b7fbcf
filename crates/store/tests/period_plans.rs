//! Period plans as versioned documents, on both engines (same harness rules
//! as `store.rs`: PostgreSQL unreachable fails the `postgres::` tests).

use std::sync::atomic::{AtomicUsize, Ordering};

use chrono::{DateTime, Utc};
use nangluc_store::{NewPeriodPlanVersion, Stamp, Store, StoreError};

static COUNTER: AtomicUsize = AtomicUsize::new(0);

fn unique() -> String {
    format!(
        "{}_{}",
        std::process::id(),
        COUNTER.fetch_add(1, Ordering::Relaxed)
    )
}

/// A test body gets a store and a way to open a second connection to the
/// same database (two officers' requests).
type Body = fn(&mut Store, &dyn Fn() -> Store);

fn on_sqlite(body: Body) {
    let path = std::env::temp_dir().join(format!("nangluc-period-test-{}.db", unique()));
    let url = path.to_str().unwrap().to_string();
    let mut store = Store::open(&url).unwrap();
    body(&mut store, &|| Store::open(&url).unwrap());
    drop(store);
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
    }
}

fn on_postgres(body: Body) {
    let url = std::env::var("NANGLUC_TEST_PG")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/test".into());
    let schema = format!("pp_{}", unique());
    let mut store = Store::open_pg_in_schema(&url, &schema)
        .unwrap_or_else(|e| panic!("PostgreSQL is needed for the postgres:: tests: {e}"));
    body(&mut store, &|| {
        Store::open_pg_in_schema(&url, &schema).unwrap()
    });
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
    versions_are_kept_and_the_newest_is_in_force,
    a_save_from_a_stale_version_is_a_conflict,
    concurrent_saves_from_the_same_version_let_one_through,
    one_plan_is_followed_at_a_time,
);

fn t(s: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
}

fn stamp(actor: &str, at: &str) -> Stamp {
    Stamp::new(actor, t(at))
}

fn version<'a>(
    key: &'a str,
    text: &'a str,
    action: &'a str,
    expected: Option<i64>,
) -> NewPeriodPlanVersion<'a> {
    NewPeriodPlanVersion {
        key,
        text,
        action,
        expected,
        based_on: None,
        comment: None,
        follow: false,
    }
}

fn versions_are_kept_and_the_newest_is_in_force(store: &mut Store, _: &dyn Fn() -> Store) {
    assert!(store.followed_period_plan().unwrap().is_none());
    let first = NewPeriodPlanVersion {
        follow: true,
        ..version("tn", "min = 80", "imported", None)
    };
    assert_eq!(
        store
            .save_period_plan_version(&first, &stamp("nangluc serve", "2025-01-02T08:00:00Z"))
            .unwrap(),
        1
    );
    let second = NewPeriodPlanVersion {
        comment: Some("  Nâng ngưỡng chỉ tiêu 1  "),
        ..version("tn", "min = 90", "edited", Some(1))
    };
    assert_eq!(
        store
            .save_period_plan_version(&second, &stamp("admin", "2025-02-03T09:30:00Z"))
            .unwrap(),
        2
    );
    // A restore of version 1 is version 3, based on 1; nothing is rewritten.
    let restore = NewPeriodPlanVersion {
        based_on: Some(1),
        ..version("tn", "min = 80", "restored", Some(2))
    };
    assert_eq!(
        store
            .save_period_plan_version(&restore, &stamp("admin", "2025-02-04T10:00:00Z"))
            .unwrap(),
        3
    );

    let (plan, in_force) = store.followed_period_plan().unwrap().expect("followed");
    assert_eq!(
        (plan.key.as_str(), plan.in_force, plan.followed),
        ("tn", 3, true)
    );
    assert_eq!(plan.created_by, "nangluc serve");
    assert_eq!(
        (
            in_force.version,
            in_force.text.as_str(),
            in_force.action.as_str()
        ),
        (3, "min = 80", "restored")
    );
    assert_eq!(in_force.based_on, Some(1));

    let all = store.period_plan_versions("tn").unwrap();
    let summary: Vec<(i64, &str, &str, Option<i64>)> = all
        .iter()
        .map(|v| (v.version, v.text.as_str(), v.saved_by.as_str(), v.based_on))
        .collect();
    assert_eq!(
        summary,
        vec![
            (3, "min = 80", "admin", Some(1)),
            (2, "min = 90", "admin", Some(1)),
            (1, "min = 80", "nangluc serve", None)
        ]
    );
    let v2 = store.period_plan_version("tn", 2).unwrap().unwrap();
    assert_eq!(
        v2.comment.as_deref(),
        Some("Nâng ngưỡng chỉ tiêu 1"),
        "trimmed"
    );
    assert_eq!(v2.saved_at, t("2025-02-03T09:30:00Z"));
    assert_eq!(v2.action, "edited");
    assert!(store.period_plan_version("tn", 4).unwrap().is_none());
    assert!(store.period_plan_version("khac", 1).unwrap().is_none());
    // A blank comment is no comment.
    let blank = NewPeriodPlanVersion {
        comment: Some("   "),
        ..version("tn", "min = 95", "edited", Some(3))
    };
    store
        .save_period_plan_version(&blank, &stamp("admin", "2025-02-05T10:00:00Z"))
        .unwrap();
    assert_eq!(
        store.period_plan_version("tn", 4).unwrap().unwrap().comment,
        None
    );
}

fn a_save_from_a_stale_version_is_a_conflict(store: &mut Store, _: &dyn Fn() -> Store) {
    store
        .save_period_plan_version(
            &version("tn", "v1", "imported", None),
            &stamp("nangluc serve", "2025-01-02T08:00:00Z"),
        )
        .unwrap();
    // Two officers open version 1; the first saves.
    store
        .save_period_plan_version(
            &version("tn", "v2 của An", "edited", Some(1)),
            &stamp("an", "2025-03-01T08:00:00Z"),
        )
        .unwrap();
    // The second saves from version 1 too: refused, naming who saved what.
    let err = store
        .save_period_plan_version(
            &version("tn", "v2 của Bình", "edited", Some(1)),
            &stamp("binh", "2025-03-01T08:05:00Z"),
        )
        .unwrap_err();
    match &err {
        StoreError::Conflict(m) => {
            assert!(
                m.contains("phiên bản 2") && m.contains("an") && m.contains("phiên bản 1"),
                "{m}"
            );
        }
        other => panic!("expected a conflict, got {other:?}"),
    }
    // Nothing was written: An's text is in force, there are two versions.
    let versions = store.period_plan_versions("tn").unwrap();
    assert_eq!(versions.len(), 2);
    assert_eq!(store.period_plan("tn").unwrap().unwrap().in_force, 2);
    assert_eq!(versions[0].text, "v2 của An");
    // Creating a plan that exists, or saving over one that does not, is refused too.
    assert!(matches!(
        store.save_period_plan_version(
            &version("tn", "x", "imported", None),
            &stamp("a", "2025-03-02T08:00:00Z")
        ),
        Err(StoreError::Conflict(_))
    ));
    assert!(matches!(
        store.save_period_plan_version(
            &version("khac", "x", "edited", Some(1)),
            &stamp("a", "2025-03-02T08:00:00Z")
        ),
        Err(StoreError::Conflict(_))
    ));
    assert!(store.period_plan("khac").unwrap().is_none());
}

fn concurrent_saves_from_the_same_version_let_one_through(
    store: &mut Store,
    open: &dyn Fn() -> Store,
) {
    store
        .save_period_plan_version(
            &version("tn", "v1", "imported", None),
            &stamp("nangluc serve", "2025-01-02T08:00:00Z"),
        )
        .unwrap();
    // Two connections save from version 1 at the same moment, several times.
    for round in 0..4i64 {
        let base = 1 + round;
        let (mut a, mut b) = (open(), open());
        let barrier = std::sync::Barrier::new(2);
        let results: Vec<Result<i64, StoreError>> = std::thread::scope(|s| {
            let ha = s.spawn(|| {
                barrier.wait();
                a.save_period_plan_version(
                    &version("tn", "của An", "edited", Some(base)),
                    &stamp("an", "2025-03-01T08:00:00Z"),
                )
            });
            let hb = s.spawn(|| {
                barrier.wait();
                b.save_period_plan_version(
                    &version("tn", "của Bình", "edited", Some(base)),
                    &stamp("binh", "2025-03-01T08:00:00Z"),
                )
            });
            vec![ha.join().unwrap(), hb.join().unwrap()]
        });
        let ok: Vec<i64> = results
            .iter()
            .filter_map(|r| r.as_ref().ok().copied())
            .collect();
        assert_eq!(
            ok,
            vec![base + 1],
            "exactly one save goes through: {results:?}"
        );
        assert!(
            results
                .iter()
                .any(|r| matches!(r, Err(StoreError::Conflict(_)))),
            "the other is told of the conflict: {results:?}"
        );
    }
    assert_eq!(store.period_plan_versions("tn").unwrap().len(), 5);
    assert_eq!(store.period_plan("tn").unwrap().unwrap().in_force, 5);
}

fn one_plan_is_followed_at_a_time(store: &mut Store, _: &dyn Fn() -> Store) {
    let follow = |key: &'static str| NewPeriodPlanVersion {
        follow: true,
        ..version(key, "x", "imported", None)
    };
    store
        .save_period_plan_version(
            &follow("2021-2025"),
            &stamp("nangluc serve", "2025-01-02T08:00:00Z"),
        )
        .unwrap();
    // A second plan stored without following it leaves the first followed.
    store
        .save_period_plan_version(
            &version("2026-2030", "y", "imported", None),
            &stamp("admin", "2025-06-01T08:00:00Z"),
        )
        .unwrap();
    assert_eq!(
        store.followed_period_plan().unwrap().unwrap().0.key,
        "2021-2025"
    );
    store.follow_period_plan("2026-2030").unwrap();
    let plans = store.period_plans().unwrap();
    let followed: Vec<(&str, bool)> = plans.iter().map(|p| (p.key.as_str(), p.followed)).collect();
    assert_eq!(followed, vec![("2021-2025", false), ("2026-2030", true)]);
    assert_eq!(store.followed_period_plan().unwrap().unwrap().1.text, "y");
    assert!(matches!(
        store.follow_period_plan("khong-co"),
        Err(StoreError::Conflict(_))
    ));
}
