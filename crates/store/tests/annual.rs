//! Annual plans, the budget ledger and duties on both engines (same harness
//! rules as `store.rs`: PostgreSQL unreachable fails the `postgres::` tests).

use std::sync::atomic::{AtomicUsize, Ordering};

use chrono::{DateTime, NaiveDate, Utc};
use nangluc_store::{
    NewCompensation, NewServiceCommitment,
    Costs, LedgerEntry, NewAllocation, NewDuty, NewDutyUpdate, NewPlanLine, ProvinceLineRow, SettlementRow, Stamp, StatusMove, Store,
    StoreError,
};

static COUNTER: AtomicUsize = AtomicUsize::new(0);

fn unique() -> String {
    format!("{}_{}", std::process::id(), COUNTER.fetch_add(1, Ordering::Relaxed))
}

type Body = fn(&mut Store);

fn on_sqlite(body: Body) {
    let path = std::env::temp_dir().join(format!("nangluc-annual-test-{}.db", unique()));
    let mut store = Store::open(path.to_str().unwrap()).unwrap();
    body(&mut store);
    drop(store);
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
    }
}

fn on_postgres(body: Body) {
    let url = std::env::var("NANGLUC_TEST_PG").unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/test".into());
    let schema = format!("an_{}", unique());
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
    every_migration_is_applied,
    a_plan_moves_with_its_history,
    aggregation_and_approval_move_every_plan_at_once,
    the_ledger_commits_and_settles_once,
    duties_keep_updates_and_files,
    reset_forgets_the_workflow,
    service_commitments_are_compensated_and_paid_once,
    duty_comments_are_kept_apart_from_updates,
);

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

fn t(s: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
}

fn stamp(actor: &str, at: &str) -> Stamp {
    Stamp::new(actor, t(at))
}

fn line(programme: &str, classes: i64, person_times: i64, state: i64, people: Vec<i64>) -> NewPlanLine {
    NewPlanLine {
        programme: programme.into(),
        target_id: Some("1".into()),
        classes,
        person_times,
        costs: Costs { state_budget: state, unit: 1_000_000, learner: 0, sponsor: 0 },
        note: None,
        people,
    }
}

const EDITABLE: &[&str] = &["draft", "returned"];

fn every_migration_is_applied(store: &mut Store) {
    // The workflow tables (version 4) and the later versions are all there.
    assert!(Store::latest_schema_version() >= 4);
    assert_eq!(store.schema_version().unwrap(), Store::latest_schema_version());
    assert!(store.annual_plans(None).unwrap().is_empty());
}

fn a_plan_moves_with_its_history(store: &mut Store) {
    let id = store.create_annual_plan(7, 2027, &stamp("hr", "2026-08-01T02:00:00Z")).unwrap();
    assert!(
        matches!(store.create_annual_plan(7, 2027, &stamp("hr", "2026-08-01T02:00:00Z")), Err(StoreError::Conflict(_))),
        "one plan per unit and year"
    );
    let l1 = store.add_plan_line(id, &line("QLNN-CVC", 1, 40, 200_000_000, vec![3, 1, 3]), EDITABLE, &stamp("hr", "2026-08-02T02:00:00Z")).unwrap();
    store.add_plan_line(id, &line("LLCT-TC", 2, 90, 300_000_000, vec![]), EDITABLE, &stamp("hr", "2026-08-02T03:00:00Z")).unwrap();
    let lines = store.plan_lines(id).unwrap();
    assert_eq!(lines.len(), 2);
    assert_eq!((lines[0].id, lines[0].people.clone(), lines[0].costs.total()), (l1, vec![1, 3], 201_000_000));
    assert_eq!(lines[1].person_times, 90);

    let submit = StatusMove { from: "draft", to: "submitted", action: "submitted", comment: None, submission_late: Some(true) };
    store.move_annual_plan(id, &submit, &stamp("hr", "2026-09-02T02:00:00Z")).unwrap();
    // Someone who saw it as a draft cannot submit it again, nor edit it.
    assert!(matches!(store.move_annual_plan(id, &submit, &stamp("hr", "2026-09-02T02:00:01Z")), Err(StoreError::Conflict(_))));
    assert!(store.add_plan_line(id, &line("X", 1, 1, 1, vec![]), EDITABLE, &stamp("hr", "2026-09-02T03:00:00Z")).is_err());
    assert_eq!(store.plan_lines(id).unwrap().len(), 2, "a refused edit adds nothing");
    let back = StatusMove { from: "submitted", to: "returned", action: "returned", comment: Some("Thiếu kinh phí tài trợ"), submission_late: None };
    store.move_annual_plan(id, &back, &stamp("admin", "2026-09-03T02:00:00Z")).unwrap();
    store.remove_plan_line(id, l1, EDITABLE, &stamp("hr", "2026-09-04T02:00:00Z")).unwrap();
    // Resubmitted on time would not clear the flag: a late plan stays late.
    let again = StatusMove { from: "returned", to: "submitted", action: "submitted", comment: None, submission_late: Some(false) };
    store.move_annual_plan(id, &again, &stamp("hr", "2026-09-05T02:00:00Z")).unwrap();

    let p = store.annual_plan(id).unwrap().unwrap();
    assert_eq!((p.status.as_str(), p.late, p.submitted_at), ("submitted", true, Some(t("2026-09-05T02:00:00Z"))));
    assert_eq!(store.annual_plan_for(7, 2027).unwrap().unwrap().id, id);
    assert!(store.annual_plan_for(7, 2028).unwrap().is_none());
    assert_eq!(store.plan_lines(id).unwrap().len(), 1);

    let events = store.plan_events(id).unwrap();
    let seen: Vec<(&str, &str, &str)> = events.iter().map(|e| (e.action.as_str(), e.actor.as_str(), e.to_status.as_str())).collect();
    assert_eq!(
        seen,
        vec![
            ("created", "hr", "draft"),
            ("line_added", "hr", "draft"),
            ("line_added", "hr", "draft"),
            ("submitted", "hr", "submitted"),
            ("returned", "admin", "returned"),
            ("line_removed", "hr", "returned"),
            ("submitted", "hr", "submitted"),
        ]
    );
    assert_eq!(events[4].comment.as_deref(), Some("Thiếu kinh phí tài trợ"));
    assert_eq!(events[4].at, t("2026-09-03T02:00:00Z"));
}

fn aggregation_and_approval_move_every_plan_at_once(store: &mut Store) {
    let s = stamp("hr", "2026-08-01T02:00:00Z");
    let a = store.create_annual_plan(7, 2027, &s).unwrap();
    let b = store.create_annual_plan(8, 2027, &s).unwrap();
    for id in [a, b] {
        for (from, to) in [("draft", "submitted"), ("submitted", "accepted")] {
            let m = StatusMove { from, to, action: to, comment: None, submission_late: (to == "submitted").then_some(false) };
            store.move_annual_plan(id, &m, &s).unwrap();
        }
    }
    let lines = vec![ProvinceLineRow {
        programme: "QLNN-CVC".into(),
        units: 2,
        classes: 2,
        person_times: 80,
        costs: Costs { state_budget: 400_000_000, unit: 2_000_000, learner: 0, sponsor: 0 },
    }];
    // A plan not accepted cannot be aggregated, and the failure leaves nothing behind.
    let c = store.create_annual_plan(9, 2027, &s).unwrap();
    assert!(store.aggregate_province_plan(2027, &lines, &[a, c], &stamp("admin", "2026-10-01T02:00:00Z")).is_err());
    assert!(store.province_plan(2027).unwrap().is_none());
    assert_eq!(store.annual_plan(a).unwrap().unwrap().status, "accepted");

    let pid = store.aggregate_province_plan(2027, &lines, &[a, b], &stamp("admin", "2026-10-01T02:00:00Z")).unwrap();
    let p = store.province_plan(2027).unwrap().unwrap();
    assert_eq!((p.id, p.status.as_str(), p.lines.clone()), (pid, "aggregated", lines.clone()));
    assert_eq!(store.annual_plan(b).unwrap().unwrap().province_plan_id, Some(pid));

    store.approve_province_plan(2027, Some("125/QĐ-UBND"), &stamp("admin", "2026-11-01T02:00:00Z")).unwrap();
    let p = store.province_plan(2027).unwrap().unwrap();
    assert_eq!((p.status.as_str(), p.decision.as_deref(), p.approved_by.as_deref()), ("approved", Some("125/QĐ-UBND"), Some("admin")));
    for id in [a, b] {
        assert_eq!(store.annual_plan(id).unwrap().unwrap().status, "approved");
        assert_eq!(store.plan_events(id).unwrap().last().unwrap().comment.as_deref(), Some("125/QĐ-UBND"));
    }
    assert_eq!(store.annual_plan(c).unwrap().unwrap().status, "draft");
    assert!(store.approve_province_plan(2027, None, &s).is_err(), "approved once");
    assert!(store.aggregate_province_plan(2027, &lines, &[], &s).is_err(), "an approved plan is final");
}

fn entry(class_id: i64, unit_id: i64, source: &str, amount: i64) -> LedgerEntry {
    LedgerEntry {
        class_id,
        programme: "QLNN-CVC".into(),
        year: 2027,
        unit_id,
        source: source.into(),
        on: d(2027, 3, 1),
        amount,
        document: None,
    }
}

fn the_ledger_commits_and_settles_once(store: &mut Store) {
    let s = stamp("finance", "2027-01-05T02:00:00Z");
    store
        .add_allocation(
            &NewAllocation { year: 2027, unit_id: 7, source: "state_budget".into(), programme: None, amount: 500_000_000, note: Some("QĐ 12".into()) },
            &s,
        )
        .unwrap();
    store
        .add_allocation(
            &NewAllocation { year: 2028, unit_id: 7, source: "state_budget".into(), programme: None, amount: 1, note: None },
            &s,
        )
        .unwrap();
    store.commit_class(11, &[entry(11, 7, "state_budget", 120_000_000), entry(11, 8, "state_budget", 80_000_000)], &s).unwrap();
    assert!(matches!(store.commit_class(11, &[entry(11, 7, "state_budget", 1)], &s), Err(StoreError::Conflict(_))));
    assert_eq!(store.class_commitments(11).unwrap().iter().map(|c| c.entry.amount).sum::<i64>(), 200_000_000);

    let mut paid = entry(11, 7, "state_budget", 110_000_000);
    paid.document = Some("Chứng từ 45".into());
    let settlement = SettlementRow {
        class_id: 11,
        year: 2027,
        settled_on: d(2027, 6, 30),
        committed: 200_000_000,
        spent: 190_000_000,
        released: 10_000_000,
        overrun: 0,
        message: "quyết toán".into(),
    };
    store.settle_class(&[paid.clone(), entry(11, 8, "state_budget", 80_000_000)], &settlement, &s).unwrap();
    assert!(store.settle_class(&[paid], &settlement, &s).is_err(), "settled once");

    let l = store.ledger(Some(2027)).unwrap();
    assert_eq!(l.allocations.len(), 1, "the 2028 allocation is another year");
    assert_eq!(l.allocations[0].note.as_deref(), Some("QĐ 12"));
    assert_eq!(l.commitments.len(), 2);
    assert_eq!(l.spendings.iter().map(|x| x.entry.amount).sum::<i64>(), 190_000_000, "the refused settlement added nothing");
    assert_eq!(l.spendings[0].entry.document.as_deref(), Some("Chứng từ 45"));
    assert_eq!(l.settlements.len(), 1);
    assert_eq!((l.settlements[0].0.clone(), l.settlements[0].1.actor.as_str()), (settlement, "finance"));
    assert_eq!(store.ledger(None).unwrap().allocations.len(), 2);
}

fn duties_keep_updates_and_files(store: &mut Store) {
    let duty = |code: &str| NewDuty {
        code: code.into(),
        task: "Xây dựng kế hoạch đào tạo, bồi dưỡng hàng năm".into(),
        lead: "Các sở, ban, ngành".into(),
        partners: vec!["Ban Tổ chức Tỉnh ủy".into(), "Sở Nội vụ".into()],
        products: Some("Kế hoạch".into()),
        when_text: "Trước 31/8 hằng năm".into(),
        due_rules: r#"[{"type":"yearly","month":8,"day":31}]"#.into(),
    };
    let s = stamp("admin", "2026-01-02T02:00:00Z");
    let ids = store.create_duties(&[duty("1.2"), duty("5.1")], &s).unwrap();
    assert!(store.create_duties(&[duty("9"), duty("1.2")], &s).is_err());
    assert_eq!(store.duties().unwrap().len(), 2, "all or none");
    let got = store.duty(ids[0]).unwrap().unwrap();
    assert_eq!(got.duty, duty("1.2"));

    let pdf = b"%PDF-1.4 b\xc3\xa1o c\xc3\xa1o".to_vec();
    let done = NewDutyUpdate {
        deadline: Some(d(2026, 8, 31)),
        state: "hoan_thanh",
        on: d(2026, 8, 20),
        note: Some("Đã gửi"),
        file: Some(("bao-cao.pdf", "application/pdf", &pdf)),
    };
    let u = store.add_duty_update(ids[0], &done, &s).unwrap();
    let going = NewDutyUpdate { deadline: None, state: "dang_thuc_hien", on: d(2026, 3, 1), note: None, file: None };
    store.add_duty_update(ids[1], &going, &s).unwrap();
    assert!(store.add_duty_update(999, &going, &s).is_err());
    let ups = store.duty_updates(Some(ids[0])).unwrap();
    assert_eq!(ups.len(), 1);
    assert_eq!((ups[0].deadline, ups[0].state.as_str(), ups[0].note.as_deref()), (Some(d(2026, 8, 31)), "hoan_thanh", Some("Đã gửi")));
    assert_eq!(store.duty_updates(None).unwrap().len(), 2);
    let files = store.duty_files(ids[0]).unwrap();
    assert_eq!((files.len(), files[0].update_id, files[0].size), (1, Some(u), pdf.len() as i64));
    let (meta, bytes) = store.duty_file(files[0].id).unwrap().unwrap();
    assert_eq!((meta.file_name.as_str(), bytes), ("bao-cao.pdf", pdf));
    assert!(store.duty_file(files[0].id + 100).unwrap().is_none());
}

fn reset_forgets_the_workflow(store: &mut Store) {
    let s = stamp("hr", "2026-08-01T02:00:00Z");
    let id = store.create_annual_plan(7, 2027, &s).unwrap();
    store.add_plan_line(id, &line("QLNN-CVC", 1, 40, 1, vec![3]), EDITABLE, &s).unwrap();
    store.commit_class(11, &[entry(11, 7, "state_budget", 5)], &s).unwrap();
    let duty = NewDuty {
        code: "1".into(),
        task: "Nhiệm vụ".into(),
        lead: "Sở Nội vụ".into(),
        partners: vec![],
        products: None,
        when_text: "Thường xuyên".into(),
        due_rules: "[]".into(),
    };
    let ids = store.create_duties(&[duty], &s).unwrap();
    let with_file = NewDutyUpdate { deadline: None, state: "dang_thuc_hien", on: d(2026, 8, 1), note: None, file: Some(("a.txt", "text/plain", b"x")) };
    store.add_duty_update(ids[0], &with_file, &s).unwrap();
    store.reset().unwrap();
    assert!(store.annual_plans(None).unwrap().is_empty());
    assert!(store.duties().unwrap().is_empty());
    assert!(store.ledger(None).unwrap().commitments.is_empty());
    // The unit can plan again from scratch.
    store.create_annual_plan(7, 2027, &s).unwrap();
}

fn commitment(person_id: i64, class_id: Option<i64>) -> NewServiceCommitment {
    NewServiceCommitment {
        person_id,
        unit_id: Some(7),
        category: "civil_servant".into(),
        class_id,
        course: "Thạc sĩ Quản lý công".into(),
        institution: "Học viện Hành chính Quốc gia".into(),
        degree_level: "thac_si".into(),
        decision: Some("125/QĐ-SNV".into()),
        posted_on: d(2024, 8, 15),
        course_starts_on: d(2024, 9, 1),
        course_ends_on: d(2026, 8, 31),
        training_months: 24,
        cost: 120_000_000,
        degree_obtained: None,
        prior_service_years: 9,
        female: false,
        ethnic_minority: true,
        rule: "nd_101_2017".into(),
        params: "{\"commitment_multiplier\":2}".into(),
        months_committed: 48,
        serve_until: d(2030, 8, 31),
        note: None,
    }
}

fn service_commitments_are_compensated_and_paid_once(store: &mut Store) {
    let s = stamp("nhansu", "2024-08-20T09:00:00Z");
    let a = store.add_service_commitment(&commitment(1, Some(5)), &s).unwrap();
    let b = store.add_service_commitment(&commitment(2, None), &s).unwrap();
    // The same learner of the same class commits once; without a class, any number.
    assert!(matches!(store.add_service_commitment(&commitment(1, Some(5)), &s), Err(StoreError::Conflict(_))));
    store.add_service_commitment(&commitment(2, None), &s).unwrap();
    let rows = store.service_commitments(Some(1)).unwrap();
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].commitment, commitment(1, Some(5)));
    assert_eq!((rows[0].id, rows[0].stamp.actor.as_str(), rows[0].compensation.is_none()), (a, "nhansu", true));
    assert_eq!(store.service_commitments(None).unwrap().len(), 3);

    let k = NewCompensation {
        left_on: d(2028, 3, 10),
        reason: "xin_thoi_viec".into(),
        months_served: 18,
        gross: 75_000_000,
        reduction_bp: 900,
        amount: 68_250_000,
        working: vec!["Áp dụng Nghị định 101/2017/NĐ-CP".into(), "Số tiền phải đền bù: 68.250.000 đồng".into()],
        note: Some("Đơn xin thôi việc ngày 01/3/2028".into()),
    };
    let paid_too_early = store.mark_compensation_paid(a, d(2028, 4, 1), None, &s);
    assert!(matches!(paid_too_early, Err(StoreError::Conflict(_))));
    store.record_compensation(a, &k, Some(true), &stamp("nhansu", "2028-03-11T09:00:00Z")).unwrap();
    assert!(matches!(store.record_compensation(a, &k, None, &s), Err(StoreError::Conflict(_))));
    assert!(store.record_compensation(999, &k, None, &s).is_err());
    let row = store.service_commitment(a).unwrap().unwrap();
    assert_eq!(row.commitment.degree_obtained, Some(true));
    let c = row.compensation.unwrap();
    assert_eq!((c.compensation.clone(), c.paid.is_none()), (k.clone(), true));

    store.mark_compensation_paid(a, d(2028, 4, 15), Some("Phiếu thu 12"), &stamp("taichinh", "2028-04-15T10:00:00Z")).unwrap();
    assert!(matches!(
        store.mark_compensation_paid(a, d(2028, 4, 16), None, &s),
        Err(StoreError::Conflict(_))
    ));
    let paid = store.service_commitment(a).unwrap().unwrap().compensation.unwrap().paid.unwrap();
    assert_eq!((paid.on, paid.document.as_deref(), paid.stamp.actor.as_str()), (d(2028, 4, 15), Some("Phiếu thu 12"), "taichinh"));
    // The other commitment is untouched.
    let other = store.service_commitment(b).unwrap().unwrap();
    assert_eq!((other.commitment.degree_obtained, other.compensation), (None, None));
    assert!(store.service_commitment(999).unwrap().is_none());
    store.reset().unwrap();
    assert!(store.service_commitments(None).unwrap().is_empty());
}

fn duty_comments_are_kept_apart_from_updates(store: &mut Store) {
    let s = stamp("admin", "2026-01-05T08:00:00Z");
    let ids = store
        .create_duties(
            &[NewDuty {
                code: "5.6".into(),
                task: "Rà soát".into(),
                lead: "Sở Nội vụ".into(),
                partners: vec!["Sở Tài chính".into()],
                products: None,
                when_text: "Quý IV hằng năm".into(),
                due_rules: "[]".into(),
            }],
            &s,
        )
        .unwrap();
    let c = store.add_duty_comment(ids[0], "Sở Tài chính đã gửi số liệu kinh phí", &stamp("taichinh", "2026-02-01T08:00:00Z")).unwrap();
    assert!(store.add_duty_comment(999, "x", &s).is_err());
    let comments = store.duty_comments(ids[0]).unwrap();
    assert_eq!(comments.len(), 1);
    assert_eq!((comments[0].id, comments[0].note.as_str(), comments[0].stamp.actor.as_str()), (c, "Sở Tài chính đã gửi số liệu kinh phí", "taichinh"));
    assert!(store.duty_updates(Some(ids[0])).unwrap().is_empty());
}
