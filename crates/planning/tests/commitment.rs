//! Service commitments and compensation, by rule and date, hand-computed.

mod common;

use common::d;
use nangluc_core::employment::Category;
use nangluc_planning::commitment::{
    CompensationRule, DepartureReason, RuleBook, RuleParams, ServiceCommitment, compensation,
    eligibility, whole_months,
};

/// A master's course of 24 months costing 240.000.000 đ, for a civil servant
/// with 5 years of earlier service.
fn master(
    book: &RuleBook,
    category: Category,
    posted_on: chrono::NaiveDate,
    course_ends_on: chrono::NaiveDate,
    female: bool,
) -> ServiceCommitment {
    ServiceCommitment::new(
        book,
        7,
        category,
        posted_on,
        24,
        course_ends_on,
        240_000_000,
        5,
        female,
        false,
    )
    .unwrap()
}

#[test]
fn same_person_either_side_of_1_july_2025() {
    let book = RuleBook::default();

    // Sent on 15/6/2025: Decree 101/2017. T1 = 2 × 24 = 48 months.
    // Course ends 14/6/2027; leaves 20/6/2029: T2 = 24 whole months from 15/6/2027.
    // S = 240.000.000 / 48 × (48 − 24) = 120.000.000; − 5 × 1 % = 114.000.000.
    let a = master(
        &book,
        Category::CivilServant,
        d(2025, 6, 15),
        d(2027, 6, 14),
        false,
    );
    assert_eq!(a.rule, CompensationRule::Decree101);
    assert_eq!(a.months_committed, 48);
    assert_eq!(a.serve_until, d(2031, 6, 14));
    let s = compensation(&a, d(2029, 6, 20), DepartureReason::LeftEarly);
    assert_eq!(
        (
            s.months_committed,
            s.months_served,
            s.gross,
            s.reduction_bp,
            s.amount
        ),
        (48, 24, 120_000_000, 500, 114_000_000)
    );
    assert_eq!(
        s.working[1],
        "S = F / T1 × (T1 − T2) = 240.000.000 / 48 × (48 − 24) = 120.000.000 đồng"
    );
    assert!(!s.unverified.is_empty());

    // Sent on 1/7/2025: Decree 171/2025. T1 = 3 × 24 = 72 months.
    // Course ends 30/6/2027; leaves 5/7/2029: T2 = 24.
    // S = 240.000.000 / 72 × (72 − 24) = 160.000.000; no reduction by default.
    let b = master(
        &book,
        Category::CivilServant,
        d(2025, 7, 1),
        d(2027, 6, 30),
        false,
    );
    assert_eq!(b.rule, CompensationRule::Decree171);
    assert_eq!(b.months_committed, 72);
    let s = compensation(&b, d(2029, 7, 5), DepartureReason::LeftEarly);
    assert_eq!(
        (s.months_served, s.gross, s.reduction_bp, s.amount),
        (24, 160_000_000, 0, 160_000_000)
    );
    assert_eq!(s.working[0], "Áp dụng Nghị định 171/2025/NĐ-CP");

    // A woman under 101/2017: 1,5 % a year × 5 = 7,5 %: 120.000.000 × 0,925 = 111.000.000.
    let w = master(
        &book,
        Category::CivilServant,
        d(2025, 6, 15),
        d(2027, 6, 14),
        true,
    );
    assert_eq!(
        compensation(&w, d(2029, 6, 20), DepartureReason::LeftEarly).amount,
        111_000_000
    );

    // Non-round: leaving after 7 months under 171: 240.000.000 × 65 / 72 = 216.666.666,67 → 216.666.667.
    assert_eq!(
        compensation(&b, d(2028, 2, 1), DepartureReason::LeftEarly).amount,
        216_666_667
    );
    // Served it all: nothing owed.
    assert_eq!(
        compensation(&b, d(2033, 7, 1), DepartureReason::LeftEarly).amount,
        0
    );
    // Quitting during the course or no degree: the whole cost.
    assert_eq!(
        compensation(&b, d(2026, 1, 1), DepartureReason::QuitDuringTraining).amount,
        240_000_000
    );
    assert_eq!(
        compensation(&b, d(2027, 7, 15), DepartureReason::NoDegree).amount,
        240_000_000
    );
    // Dismissal for discipline owes under 171/2025 (pro rata after the course), not under 101 (as configured).
    assert_eq!(
        compensation(&b, d(2029, 7, 5), DepartureReason::DisciplineDismissal).amount,
        160_000_000
    );
    assert_eq!(
        compensation(&a, d(2029, 6, 20), DepartureReason::DisciplineDismissal).amount,
        0
    );
}

#[test]
fn rule_by_category_and_date() {
    let book = RuleBook::default();
    // Public employees stay on 101/2017 after 1 July 2025.
    let v = master(
        &book,
        Category::PublicEmployee,
        d(2025, 9, 1),
        d(2027, 8, 31),
        false,
    );
    assert_eq!(
        (v.rule, v.months_committed),
        (CompensationRule::Decree101, 48)
    );
    // A commune civil servant sent in June 2025: 101; the same post in August: 171.
    assert_eq!(
        book.rule_for(Category::CommuneCivilServant, d(2025, 6, 30))
            .unwrap()
            .rule,
        CompensationRule::Decree101
    );
    assert_eq!(
        book.rule_for(Category::CommuneCivilServant, d(2025, 8, 1))
            .unwrap()
            .rule,
        CompensationRule::Decree171
    );
    // Before Decree 101/2017: no rule configured.
    let err = ServiceCommitment::new(
        &book,
        1,
        Category::CivilServant,
        d(2016, 1, 1),
        24,
        d(2018, 1, 1),
        1,
        0,
        false,
        false,
    )
    .unwrap_err();
    assert_eq!(
        err.to_string(),
        "không có quy định về cam kết phục vụ cho Công chức vào ngày 2016-01-01"
    );

    // Parameters are configuration: a province turning the reductions on under 171.
    let mut book2 = RuleBook::default();
    for r in &mut book2.rules {
        if r.rule == CompensationRule::Decree171 {
            r.params.reductions_apply = true;
        }
    }
    let b = master(
        &book2,
        Category::CivilServant,
        d(2025, 7, 1),
        d(2027, 6, 30),
        false,
    );
    assert_eq!(
        compensation(&b, d(2029, 7, 5), DepartureReason::LeftEarly).amount,
        152_000_000
    );
    // The book serialises.
    let json = serde_json::to_string(&book2).unwrap();
    assert_eq!(serde_json::from_str::<RuleBook>(&json).unwrap(), book2);
}

#[test]
fn eligibility_and_months() {
    // 43 years old: too old under 101/2017 (≤ 40), fine under 171/2025 (≤ 45).
    assert_eq!(
        eligibility(&RuleParams::decree_101(), 43, 5, 2),
        vec!["Quá 40 tuổi khi được cử đi đào tạo sau đại học lần đầu".to_string()]
    );
    assert!(eligibility(&RuleParams::decree_171(), 43, 5, 2).is_empty());
    assert_eq!(eligibility(&RuleParams::decree_171(), 30, 2, 1).len(), 2);
    assert_eq!(whole_months(d(2027, 6, 15), d(2029, 6, 14)), 23);
    assert_eq!(whole_months(d(2027, 6, 15), d(2029, 6, 15)), 24);
    assert_eq!(whole_months(d(2027, 1, 31), d(2027, 2, 28)), 1);
    assert_eq!(whole_months(d(2027, 6, 15), d(2027, 6, 1)), 0);
}

/// Durations and years counted the way the commitment counts them.
#[test]
fn course_months_and_years_of_service() {
    use nangluc_planning::commitment::{course_months, is_postgraduate, whole_years};
    // 1/9/2024 – 31/8/2026: exactly 24 months.
    assert_eq!(course_months(d(2024, 9, 1), d(2026, 8, 31)), 24);
    // 1/9/2025 – 28/2/2027: 18 months.
    assert_eq!(course_months(d(2025, 9, 1), d(2027, 2, 28)), 18);
    // 5/9/2024 – 20/6/2026: 21 months and 16 days → 22 (a started month counts).
    assert_eq!(course_months(d(2024, 9, 5), d(2026, 6, 20)), 22);
    assert_eq!(course_months(d(2024, 9, 5), d(2024, 9, 4)), 0);
    // 1/1/2015 – 15/8/2024: 9 full years.
    assert_eq!(whole_years(d(2015, 1, 1), d(2024, 8, 15)), 9);
    assert_eq!(whole_years(d(2015, 8, 16), d(2024, 8, 15)), 8);
    assert!(is_postgraduate("thac_si") && is_postgraduate("tien_si"));
    assert!(!is_postgraduate("dai_hoc"));
}

/// Resigning and leaving the public sector count like leaving early: pro rata
/// after the course, in full during it.
#[test]
fn resigning_and_transferring_out_are_leaving_early() {
    let book = RuleBook::default();
    let a = master(
        &book,
        Category::CivilServant,
        d(2025, 6, 15),
        d(2027, 6, 14),
        false,
    );
    for reason in [DepartureReason::Resigned, DepartureReason::TransferredOut] {
        // Same case as above: 114.000.000.
        assert_eq!(compensation(&a, d(2029, 6, 20), reason).amount, 114_000_000);
        // During the course: 240.000.000 − 5 % = 228.000.000.
        assert_eq!(compensation(&a, d(2026, 1, 10), reason).amount, 228_000_000);
    }
}

/// The working shown to the person states every figure of the computation.
#[test]
fn the_working_names_every_figure() {
    use nangluc_planning::commitment::working;
    let book = RuleBook::default();
    let a = master(
        &book,
        Category::CivilServant,
        d(2025, 6, 15),
        d(2027, 6, 14),
        false,
    );
    let k = compensation(&a, d(2029, 6, 20), DepartureReason::Resigned);
    let w = working(&a, &k, d(2029, 6, 20));
    assert_eq!(
        w,
        vec![
            "Áp dụng Nghị định 101/2017/NĐ-CP (sửa đổi bởi Nghị định 89/2021/NĐ-CP) (đối tượng: Công chức, cử đi học ngày 15/06/2025)",
            "Lý do: Tự ý bỏ việc hoặc xin thôi việc khi chưa phục vụ đủ thời gian cam kết (ngày 20/06/2029)",
            "F (chi phí đào tạo do Nhà nước chi trả) = 240.000.000 đồng",
            "T1 (thời gian cam kết phục vụ) = 2 × 24 tháng đào tạo = 48 tháng, đến hết ngày 14/06/2031",
            "T2 (thời gian đã phục vụ sau khi học xong, tính tròn tháng từ ngày 15/06/2027 đến ngày 20/06/2029) = 24 tháng",
            "S = F / T1 × (T1 − T2) = 240.000.000 / 48 × (48 − 24) = 120.000.000 đồng",
            "Giảm 5,00% cho 5 năm công tác trước khi được cử đi học",
            "Số tiền phải đền bù: 114.000.000 đồng",
            "Số tiền tính đến đồng; phần lẻ từ 0,5 đồng trở lên làm tròn lên 1 đồng",
        ]
    );
    // In full during the course: no T2 line.
    let k = compensation(&a, d(2026, 1, 10), DepartureReason::QuitDuringTraining);
    let w = working(&a, &k, d(2026, 1, 10));
    assert!(!w.iter().any(|l| l.starts_with("T2")), "{w:?}");
    assert!(w.contains(&"Đền bù 100% chi phí đào tạo: 240.000.000 đồng".to_string()));
}
