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

/// A class of 100.000.000 đ shared by three sources, two learners of unit 2
/// and one of unit 3; settled with the state budget under, the unit's share
/// unspent and the learners' share overrun. Every figure by hand.
#[test]
fn a_class_split_by_source_commits_settles_and_varies_by_source() {
    use nangluc_planning::budget::{SourceSettlement, commit_class_by_source, settle_by_source};
    let learners = vec![("2".to_string(), 2), ("3".to_string(), 1)];
    let by_source = [
        (FundingSource::StateBudget, 60_000_000),
        (FundingSource::Unit, 30_000_000),
        (FundingSource::Learner, 10_000_000),
        (FundingSource::Sponsor, 0),
    ];
    let commitments =
        commit_class_by_source("THS-1", "THS", 2026, d(2026, 2, 1), &by_source, &learners);
    let lines: Vec<(&str, FundingSource, i64)> = commitments
        .iter()
        .map(|c| (c.unit.as_str(), c.source, c.amount))
        .collect();
    // 60 M × 2/3 and 1/3; 30 M likewise; 10 M: 6.666.666 r 2 and 3.333.333 r 1,
    // the đồng left goes to the larger remainder (unit 2). No sponsor line.
    assert_eq!(
        lines,
        vec![
            ("2", FundingSource::StateBudget, 40_000_000),
            ("3", FundingSource::StateBudget, 20_000_000),
            ("2", FundingSource::Unit, 20_000_000),
            ("3", FundingSource::Unit, 10_000_000),
            ("2", FundingSource::Learner, 6_666_667),
            ("3", FundingSource::Learner, 3_333_333),
        ]
    );
    let paid = |unit: &str, source, amount| Spending {
        class_code: "THS-1".into(),
        programme: "THS".into(),
        year: 2026,
        unit: unit.into(),
        source,
        on: d(2026, 12, 20),
        amount,
        document: None,
    };
    let spendings = vec![
        paid("2", FundingSource::StateBudget, 38_000_000),
        paid("3", FundingSource::StateBudget, 20_000_000),
        paid("2", FundingSource::Learner, 9_000_000),
        paid("3", FundingSource::Learner, 2_000_000),
    ];
    let per_source = settle_by_source("THS-1", &commitments, &spendings);
    let line = |source, committed, spent, released, overrun| SourceSettlement {
        source,
        committed,
        spent,
        released,
        overrun,
    };
    assert_eq!(
        per_source,
        vec![
            line(
                FundingSource::StateBudget,
                60_000_000,
                58_000_000,
                2_000_000,
                0
            ),
            line(FundingSource::Unit, 30_000_000, 0, 30_000_000, 0),
            line(FundingSource::Learner, 10_000_000, 11_000_000, 0, 1_000_000),
        ]
    );
    // Whole class: 100 M committed, 69 M spent, 31 M given back.
    let s = settle("THS-1", d(2026, 12, 20), &commitments, &spendings);
    assert_eq!(
        (s.committed, s.spent, s.released),
        (100_000_000, 69_000_000, 31_000_000)
    );

    let alloc = |unit: &str, amount| Allocation {
        year: 2026,
        unit: unit.into(),
        source: FundingSource::StateBudget,
        programme: None,
        amount,
    };
    let ledger = Ledger {
        allocations: vec![alloc("2", 100_000_000), alloc("3", 50_000_000)],
        commitments,
        spendings,
        settlements: vec![s],
    };
    let by_source: Vec<_> = variance(&ledger, VarianceBy::SOURCE)
        .into_iter()
        .map(|r| {
            (
                r.key.source.unwrap(),
                r.allocated,
                r.committed,
                r.spent,
                r.released,
                r.open_commitments,
                r.available,
                r.variance,
            )
        })
        .collect();
    assert_eq!(
        by_source,
        vec![
            (
                FundingSource::StateBudget,
                150_000_000,
                60_000_000,
                58_000_000,
                2_000_000,
                0,
                92_000_000,
                -2_000_000
            ),
            (
                FundingSource::Unit,
                0,
                30_000_000,
                0,
                30_000_000,
                0,
                0,
                -30_000_000
            ),
            (
                FundingSource::Learner,
                0,
                10_000_000,
                11_000_000,
                0,
                0,
                -11_000_000,
                1_000_000
            ),
        ]
    );
    let by_unit: Vec<_> = variance(&ledger, VarianceBy::UNIT)
        .into_iter()
        .map(|r| {
            (
                r.key.unit.unwrap(),
                r.allocated,
                r.committed,
                r.spent,
                r.released,
                r.available,
                r.variance,
            )
        })
        .collect();
    assert_eq!(
        by_unit,
        vec![
            (
                "2".to_string(),
                100_000_000,
                66_666_667,
                47_000_000,
                19_666_667,
                53_000_000,
                -19_666_667
            ),
            (
                "3".to_string(),
                50_000_000,
                33_333_333,
                22_000_000,
                11_333_333,
                28_000_000,
                -11_333_333
            ),
        ]
    );
    let by_programme: Vec<_> = variance(&ledger, VarianceBy::PROGRAMME)
        .into_iter()
        .map(|r| {
            (
                r.key.programme,
                r.allocated,
                r.committed,
                r.spent,
                r.released,
            )
        })
        .collect();
    assert_eq!(
        by_programme,
        vec![
            (None, 150_000_000, 0, 0, 0),
            (
                Some("THS".to_string()),
                0,
                100_000_000,
                69_000_000,
                31_000_000
            ),
        ]
    );
}

#[test]
fn a_total_is_split_in_proportion_to_weights_exactly() {
    use nangluc_planning::budget::split_in_proportion;
    // 45.000.000 over plan costs 2:1:0 → 30 M and 15 M.
    assert_eq!(
        split_in_proportion(45_000_000, &[("a", 200), ("b", 100), ("c", 0)]),
        vec![("a", 30_000_000), ("b", 15_000_000), ("c", 0)]
    );
    // 100 over 1:1:1 → 33 r 1 each; the first takes the đồng left.
    assert_eq!(
        split_in_proportion(100, &[("a", 1), ("b", 1), ("c", 1)]),
        vec![("a", 34), ("b", 33), ("c", 33)]
    );
    // No weight: everything to the first.
    assert_eq!(
        split_in_proportion(7, &[("a", 0), ("b", 0)]),
        vec![("a", 7), ("b", 0)]
    );
}
