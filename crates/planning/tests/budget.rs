//! Cost norms by date, form and province; estimates; the ledger and its variance.

mod common;

use common::d;
use nangluc_core::training::{FundingSource, StudyForm};
use nangluc_planning::budget::{
    Allocation, CostBasis, CostInput, CostItem, CostNorms, CostRate, Ledger, Spending, VarianceBy,
    commit_class, estimate, format_dong, settle, split_by_learners, variance,
};

fn input(on: chrono::NaiveDate, form: StudyForm, province: Option<&str>) -> CostInput {
    CostInput {
        form,
        province: province.map(str::to_string),
        on,
        learners: 45,
        sessions: 40,
        study_days: 20,
    }
}

#[test]
fn norms_change_by_date() {
    let norms = CostNorms::placeholder();
    // Lecturer pay: 1.000.000 đ/buổi under 36/2018, 1.500.000 from 17/3/2023.
    let before = estimate(&norms, &input(d(2023, 3, 16), StudyForm::FullTime, None));
    let after = estimate(&norms, &input(d(2023, 3, 17), StudyForm::FullTime, None));
    let lecturer = |e: &nangluc_planning::Estimate| {
        e.lines
            .iter()
            .find(|l| l.item == CostItem::LecturerPay)
            .unwrap()
            .amount
    };
    assert_eq!(lecturer(&before), 40_000_000);
    assert_eq!(lecturer(&after), 60_000_000);
    assert_eq!(after.total - before.total, 20_000_000);
    // By hand, full time, 45 learners, 40 sessions, 20 days, before 17/3/2023:
    // 40.000.000 + 45×200.000 + 5.000.000 + 45×20×50.000 + 45×20×150.000 + 45×200.000 + 45×20.000
    assert_eq!(
        before.total,
        40_000_000 + 9_000_000 + 5_000_000 + 45_000_000 + 135_000_000 + 9_000_000 + 900_000
    );
    assert!(before.unverified);
    // Before the circular: no rate, nothing priced.
    assert_eq!(
        estimate(&norms, &input(d(2017, 1, 1), StudyForm::FullTime, None)).total,
        0
    );
}

#[test]
fn forms_and_provincial_overrides() {
    let mut norms = CostNorms::placeholder();
    // Online: no meals, lodging or travel.
    let online = estimate(&norms, &input(d(2024, 1, 1), StudyForm::Online, None));
    for item in [CostItem::Meals, CostItem::Accommodation, CostItem::Travel] {
        assert_eq!(
            online.lines.iter().find(|l| l.item == item).unwrap().amount,
            0
        );
    }
    // A province sets lecturer pay at 1.200.000 from 2024 (its own resolution).
    norms.rates.push(CostRate {
        item: CostItem::LecturerPay,
        basis: CostBasis::PerSession,
        amount: 1_200_000,
        form: None,
        province: Some("94".into()),
        from: d(2024, 1, 1),
        to: None,
        source: "Nghị quyết của HĐND tỉnh".into(),
        unverified: false,
    });
    let line = |p: Option<&str>, on| {
        let e = estimate(&norms, &input(on, StudyForm::FullTime, p));
        e.lines
            .into_iter()
            .find(|l| l.item == CostItem::LecturerPay)
            .unwrap()
    };
    assert_eq!(line(Some("94"), d(2024, 6, 1)).rate, 1_200_000);
    assert!(line(Some("94"), d(2024, 6, 1)).province_override);
    assert_eq!(line(Some("80"), d(2024, 6, 1)).rate, 1_500_000);
    assert_eq!(line(Some("94"), d(2023, 12, 31)).rate, 1_500_000);
    assert_eq!(line(None, d(2024, 6, 1)).rate, 1_500_000);
    assert_eq!(
        CostItem::LecturerPay.label(),
        "Thù lao giảng viên, báo cáo viên"
    );
}

#[test]
fn ledger_commitments_settlement_and_variance() {
    // Exact split: 100.000.001 over 3 : 2 learners.
    assert_eq!(
        split_by_learners(100_000_001, &[("S01".into(), 3), ("S02".into(), 2)]),
        vec![
            ("S01".to_string(), 60_000_001),
            ("S02".to_string(), 40_000_000)
        ]
    );
    let mut ledger = Ledger::default();
    let alloc = |unit: &str, source, amount| Allocation {
        year: 2025,
        unit: unit.into(),
        source,
        programme: None,
        amount,
    };
    ledger
        .allocations
        .push(alloc("S01", FundingSource::StateBudget, 100_000_000));
    ledger
        .allocations
        .push(alloc("S02", FundingSource::StateBudget, 50_000_000));
    ledger
        .allocations
        .push(alloc("S02", FundingSource::Unit, 10_000_000));
    ledger.commitments.extend(commit_class(
        "LDQL-2025-01",
        "LDQL",
        2025,
        d(2025, 2, 1),
        FundingSource::StateBudget,
        60_000_000,
        &[("S01".into(), 30), ("S02".into(), 15)],
    ));
    ledger.commitments.extend(commit_class(
        "QLNN-2025-01",
        "QLNN",
        2025,
        d(2025, 3, 1),
        FundingSource::StateBudget,
        30_000_000,
        &[("S02".into(), 45)],
    ));
    let spend = |class: &str, prog: &str, unit: &str, amount| Spending {
        class_code: class.into(),
        programme: prog.into(),
        year: 2025,
        unit: unit.into(),
        source: FundingSource::StateBudget,
        on: d(2025, 4, 1),
        amount,
        document: None,
    };
    ledger
        .spendings
        .push(spend("LDQL-2025-01", "LDQL", "S01", 38_000_000));
    ledger
        .spendings
        .push(spend("LDQL-2025-01", "LDQL", "S02", 19_000_000));
    ledger
        .spendings
        .push(spend("QLNN-2025-01", "QLNN", "S02", 12_000_000));
    let s = settle(
        "LDQL-2025-01",
        d(2025, 5, 1),
        &ledger.commitments,
        &ledger.spendings,
    );
    assert_eq!(
        (s.committed, s.spent, s.released, s.overrun),
        (60_000_000, 57_000_000, 3_000_000, 0)
    );
    assert_eq!(
        s.message,
        "Lớp LDQL-2025-01: quyết toán 57.000.000 đồng, hoàn lại 3.000.000 đồng"
    );
    ledger.settlements.push(s);

    // By unit: S01 committed 40M, spent 38M, settled (2M released).
    let by_unit = variance(&ledger, VarianceBy::UNIT);
    assert_eq!(by_unit.len(), 2);
    let s01 = &by_unit[0];
    assert_eq!(s01.key.unit.as_deref(), Some("S01"));
    assert_eq!(
        (
            s01.allocated,
            s01.committed,
            s01.spent,
            s01.released,
            s01.open_commitments
        ),
        (100_000_000, 40_000_000, 38_000_000, 2_000_000, 0)
    );
    assert_eq!((s01.available, s01.variance), (62_000_000, -2_000_000));
    // S02: 60M allocated; committed 20M + 30M; spent 19M + 12M; QLNN still open: 18M.
    let s02 = &by_unit[1];
    assert_eq!(
        (
            s02.allocated,
            s02.committed,
            s02.spent,
            s02.released,
            s02.open_commitments
        ),
        (60_000_000, 50_000_000, 31_000_000, 1_000_000, 18_000_000)
    );
    assert_eq!(s02.available, 60_000_000 - 31_000_000 - 18_000_000);

    // By source: the unit's own money is allocated, untouched.
    let by_source = variance(&ledger, VarianceBy::SOURCE);
    assert_eq!(by_source.len(), 2);
    assert_eq!(by_source[0].key.source, Some(FundingSource::StateBudget));
    assert_eq!(
        (by_source[0].allocated, by_source[0].spent),
        (150_000_000, 69_000_000)
    );
    assert_eq!(
        (by_source[1].allocated, by_source[1].committed),
        (10_000_000, 0)
    );

    // By programme: allocations not earmarked fall under no programme.
    let by_prog = variance(&ledger, VarianceBy::PROGRAMME);
    let keys: Vec<Option<&str>> = by_prog.iter().map(|r| r.key.programme.as_deref()).collect();
    assert_eq!(keys, vec![None, Some("LDQL"), Some("QLNN")]);
    assert_eq!(
        (by_prog[1].committed, by_prog[1].spent, by_prog[1].variance),
        (60_000_000, 57_000_000, -3_000_000)
    );
    assert_eq!(
        (by_prog[2].committed, by_prog[2].spent),
        (30_000_000, 12_000_000)
    );

    // An overrun.
    ledger
        .spendings
        .push(spend("QLNN-2025-01", "QLNN", "S02", 20_000_000));
    let s = settle(
        "QLNN-2025-01",
        d(2025, 6, 1),
        &ledger.commitments,
        &ledger.spendings,
    );
    assert_eq!(s.overrun, 2_000_000);
    assert_eq!(
        s.message,
        "Lớp QLNN-2025-01: chi vượt dự toán 2.000.000 đồng"
    );
    assert_eq!(format_dong(-1_234_567), "-1.234.567");
    assert_eq!(format_dong(999), "999");
    // The ledger serialises.
    let json = serde_json::to_string(&ledger).unwrap();
    assert_eq!(serde_json::from_str::<Ledger>(&json).unwrap(), ledger);
}
