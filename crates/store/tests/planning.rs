//! The proposed plan's configuration and drafts on both engines (same
//! harness rules as `store.rs`: PostgreSQL unreachable fails the `postgres::` tests).

use std::sync::atomic::{AtomicUsize, Ordering};

use chrono::{DateTime, NaiveDate, Utc};
use nangluc_store::{CapacityRow, NewCostNorm, OfferRow, Stamp, Store, StoreError};

static COUNTER: AtomicUsize = AtomicUsize::new(0);

fn unique() -> String {
    format!("{}_{}", std::process::id(), COUNTER.fetch_add(1, Ordering::Relaxed))
}

type Body = fn(&mut Store);

fn on_sqlite(body: Body) {
    let path = std::env::temp_dir().join(format!("nangluc-planning-test-{}.db", unique()));
    let mut store = Store::open(path.to_str().unwrap()).unwrap();
    body(&mut store);
    drop(store);
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
    }
}

fn on_postgres(body: Body) {
    let url = std::env::var("NANGLUC_TEST_PG").unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/test".into());
    let schema = format!("pl_{}", unique());
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
    cost_norms_are_dated_and_removable,
    offers_capacity_and_targets_are_replaced_by_key,
    a_draft_is_edited_one_version_at_a_time,
    reset_forgets_configuration_and_drafts,
);

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

fn stamp(actor: &str, at: &str) -> Stamp {
    Stamp::new(actor, DateTime::parse_from_rfc3339(at).unwrap().with_timezone(&Utc))
}

fn norm(issuer: Option<&str>, item: &str, amount: i64, from: NaiveDate, to: Option<NaiveDate>) -> NewCostNorm {
    NewCostNorm {
        issuer: issuer.map(Into::into),
        form: None,
        item: item.into(),
        basis: "buoi".into(),
        amount,
        valid_from: from,
        valid_to: to,
        source: "Thông tư 36/2018/TT-BTC".into(),
        unverified: issuer.is_none(),
    }
}

fn cost_norms_are_dated_and_removable(store: &mut Store) {
    let s = stamp("finance", "2026-01-05T02:00:00Z");
    let national = norm(None, "thu_lao_giang_vien", 1_000_000, d(2018, 5, 14), Some(d(2023, 3, 17)));
    let raised = norm(None, "thu_lao_giang_vien", 1_500_000, d(2023, 3, 17), None);
    let mut province = norm(Some("80"), "thu_lao_giang_vien", 1_800_000, d(2025, 7, 1), None);
    province.form = Some("full_time".into());
    province.source = "Nghị quyết 12/2025/NQ-HĐND".into();
    let ids = store.add_cost_norms(&[national.clone(), raised.clone(), province.clone()], &s).unwrap();
    assert_eq!(ids.len(), 3);
    let rows = store.cost_norms().unwrap();
    // NULL sorts first on SQLite and last on PostgreSQL: compare in one order.
    let mut got: Vec<NewCostNorm> = rows.iter().map(|r| r.norm.clone()).collect();
    got.sort_by_key(|n| (n.issuer.clone(), n.valid_from));
    assert_eq!(got, vec![national, raised, province.clone()]);
    assert!(rows.iter().all(|r| r.stamp == s));

    store.remove_cost_norm(ids[2]).unwrap();
    assert_eq!(store.cost_norms().unwrap().len(), 2);
    assert!(matches!(store.remove_cost_norm(ids[2]), Err(StoreError::EntityNotFound { .. })));
}

fn offers_capacity_and_targets_are_replaced_by_key(store: &mut Store) {
    let s = stamp("admin", "2026-01-05T02:00:00Z");
    let offer = OfferRow {
        programme: "LD_PHONG_171".into(),
        form: "full_time".into(),
        sessions: 40,
        study_days: 20,
        duration_days: 28,
        institutions: vec!["TCT.TN".into(), "HVHC".into()],
    };
    let other = OfferRow { programme: "KHMER".into(), institutions: vec!["DHTV".into()], ..offer.clone() };
    store.set_programme_offers(&[offer.clone(), other.clone()], &s).unwrap();
    assert_eq!(store.programme_offers().unwrap(), vec![other.clone(), offer.clone()]);
    // Recording a programme again replaces its row.
    let longer = OfferRow { sessions: 60, institutions: vec!["HVHC".into()], ..offer.clone() };
    store.set_programme_offers(std::slice::from_ref(&longer), &s).unwrap();
    assert_eq!(store.programme_offers().unwrap(), vec![other, longer]);
    assert!(store.remove_programme_offer("KHMER").unwrap());
    assert!(!store.remove_programme_offer("KHMER").unwrap());
    assert_eq!(store.programme_offers().unwrap().len(), 1);

    let tct = CapacityRow { institution: "TCT.TN".into(), classes_per_year: 12, province: Some("80".into()) };
    let hv = CapacityRow { institution: "HVHC".into(), classes_per_year: 4, province: None };
    store.set_institution_capacities(&[tct.clone(), hv.clone()], &s).unwrap();
    let tct8 = CapacityRow { classes_per_year: 8, ..tct };
    store.set_institution_capacities(std::slice::from_ref(&tct8), &s).unwrap();
    assert_eq!(store.institution_capacities().unwrap(), vec![hv, tct8]);

    let pairs =
        vec![("2b".to_string(), Some("LD_PHONG_171".to_string())), ("3".to_string(), Some("KHMER".to_string()))];
    store.set_target_programmes("tay-ninh", &pairs, &s).unwrap();
    store.set_target_programmes("other-plan", &[("3".into(), Some("X".into()))], &s).unwrap();
    store.set_target_programmes("tay-ninh", &[("3".into(), None), ("8".into(), Some("HDND".into()))], &s).unwrap();
    assert_eq!(
        store.target_programmes("tay-ninh").unwrap(),
        vec![("2b".to_string(), "LD_PHONG_171".to_string()), ("8".to_string(), "HDND".to_string())]
    );
    assert_eq!(store.target_programmes("other-plan").unwrap().len(), 1);
}

fn a_draft_is_edited_one_version_at_a_time(store: &mut Store) {
    let id = store
        .create_proposal(
            "tay-ninh",
            2027,
            2030,
            r#"{"classes":[]}"#,
            "Lập dự thảo",
            &stamp("admin", "2026-11-02T02:00:00Z"),
        )
        .unwrap();
    let p = store.proposal(id).unwrap().unwrap();
    assert_eq!((p.plan_id.as_str(), p.year, p.horizon, p.version), ("tay-ninh", 2027, 2030, 1));
    assert_eq!((p.created_by.as_str(), p.updated_by.as_str()), ("admin", "admin"));

    let v2 = store
        .update_proposal(
            id,
            1,
            r#"{"classes":[1]}"#,
            "moved",
            "Chuyển 1 người",
            &stamp("admin2", "2026-11-03T02:00:00Z"),
        )
        .unwrap();
    assert_eq!(v2, 2);
    // Someone who still saw version 1 cannot overwrite version 2.
    let stale =
        store.update_proposal(id, 1, r#"{"stale":true}"#, "dropped", "Bỏ lớp", &stamp("admin", "2026-11-03T03:00:00Z"));
    assert!(matches!(stale, Err(StoreError::Conflict(_))), "{stale:?}");
    assert!(matches!(
        store.update_proposal(id + 99, 1, "{}", "x", "x", &stamp("admin", "2026-11-03T03:00:00Z")),
        Err(StoreError::EntityNotFound { .. })
    ));
    let p = store.proposal(id).unwrap().unwrap();
    assert_eq!((p.draft.as_str(), p.version, p.updated_by.as_str()), (r#"{"classes":[1]}"#, 2, "admin2"));
    assert_eq!(p.updated_at, stamp("x", "2026-11-03T02:00:00Z").at);

    let events = store.proposal_events(id).unwrap();
    let seen: Vec<(&str, &str, &str)> =
        events.iter().map(|e| (e.action.as_str(), e.actor.as_str(), e.detail.as_str())).collect();
    assert_eq!(seen, vec![("created", "admin", "Lập dự thảo"), ("moved", "admin2", "Chuyển 1 người")]);

    let second =
        store.create_proposal("tay-ninh", 2028, 2030, "{}", "Lập", &stamp("admin", "2026-11-04T02:00:00Z")).unwrap();
    let all: Vec<i64> = store.proposals().unwrap().iter().map(|p| p.id).collect();
    assert_eq!(all, vec![second, id], "newest first");
}

fn reset_forgets_configuration_and_drafts(store: &mut Store) {
    let s = stamp("admin", "2026-01-05T02:00:00Z");
    store.add_cost_norms(&[norm(None, "tai_lieu", 1, d(2020, 1, 1), None)], &s).unwrap();
    store
        .set_institution_capacities(
            &[CapacityRow { institution: "TCT".into(), classes_per_year: 1, province: None }],
            &s,
        )
        .unwrap();
    let id = store.create_proposal("p", 2027, 2027, "{}", "Lập", &s).unwrap();
    store.update_proposal(id, 1, "{}", "funded", "Bố trí lại", &s).unwrap();
    store.reset().unwrap();
    assert!(store.cost_norms().unwrap().is_empty());
    assert!(store.institution_capacities().unwrap().is_empty());
    assert!(store.proposals().unwrap().is_empty());
    assert!(store.proposal_events(id).unwrap().is_empty());
}
