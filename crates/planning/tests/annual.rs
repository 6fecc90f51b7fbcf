//! The annual plan's rules: its life, its deadline, its check against the
//! targets and the province's aggregation.

mod common;

use common::{d, missing, plan_result, target};
use nangluc_engine::plan::Kind;
use nangluc_engine::result::{Status, YearNeed};
use nangluc_planning::annual::{
    Actor, Line, PlanAction, PlanStatus, TransitionError, aggregate, check_against_targets,
    is_late, submission_deadline, transition,
};
use nangluc_planning::needs::ProgrammeMap;

#[test]
fn the_life_of_a_plan_and_who_moves_it() {
    use Actor::*;
    use PlanAction as A;
    use PlanStatus as S;
    assert_eq!(
        transition(S::Draft, A::Submit, UnitOfficer, None),
        Ok(S::Submitted)
    );
    assert_eq!(
        transition(S::Returned, A::Submit, UnitOfficer, None),
        Ok(S::Submitted)
    );
    assert_eq!(
        transition(
            S::Submitted,
            A::Return,
            HomeAffairs,
            Some("Bổ sung kinh phí")
        ),
        Ok(S::Returned)
    );
    assert_eq!(
        transition(S::Submitted, A::Return, HomeAffairs, Some("  ")),
        Err(TransitionError::CommentRequired)
    );
    assert_eq!(
        transition(S::Submitted, A::Accept, HomeAffairs, None),
        Ok(S::Accepted)
    );
    assert_eq!(
        transition(S::Accepted, A::Aggregate, HomeAffairs, None),
        Ok(S::Aggregated)
    );
    assert_eq!(
        transition(S::Aggregated, A::Approve, HomeAffairs, None),
        Ok(S::Approved)
    );
    // A unit cannot accept its own plan; nothing skips a step.
    assert!(matches!(
        transition(S::Submitted, A::Accept, UnitOfficer, None),
        Err(TransitionError::NotAllowed { .. })
    ));
    assert!(matches!(
        transition(S::Draft, A::Accept, HomeAffairs, None),
        Err(TransitionError::NotFrom { .. })
    ));
    assert!(matches!(
        transition(S::Accepted, A::Submit, UnitOfficer, None),
        Err(TransitionError::NotFrom { .. })
    ));
    assert!(matches!(
        transition(S::Submitted, A::Approve, HomeAffairs, None),
        Err(TransitionError::NotFrom { .. })
    ));
    assert!(
        S::Draft.editable()
            && S::Returned.editable()
            && !S::Submitted.editable()
            && !S::Approved.editable()
    );
    let msg = transition(S::Approved, A::Return, HomeAffairs, Some("x"))
        .unwrap_err()
        .to_string();
    assert!(msg.contains("Đã phê duyệt"), "{msg}");
}

#[test]
fn the_deadline_is_31_august_of_the_year_before() {
    assert_eq!(submission_deadline(2027), d(2026, 8, 31));
    assert!(!is_late(2027, d(2026, 8, 31)));
    assert!(is_late(2027, d(2026, 9, 1)));
    assert!(!is_late(2027, d(2026, 1, 15)));
}

fn line(programme: &str, target: Option<&str>, person_times: u64, people: Vec<i64>) -> Line {
    Line {
        programme: programme.into(),
        target_id: target.map(str::to_string),
        classes: 1,
        person_times,
        costs: [100, 20, 3, 0],
        people,
    }
}

#[test]
fn a_unit_plan_is_checked_against_its_own_need() {
    let mut r1 = target(
        "R1",
        Kind::Ratio,
        Status::AtRisk,
        5,
        vec![missing(1, "U", None, None), missing(2, "U", None, None)],
    );
    r1.need_by_year = vec![
        YearNeed {
            year: 2026,
            count: 2,
        },
        YearNeed {
            year: 2027,
            count: 3,
        },
    ];
    // A target whose horizon has passed: all of its need falls on the next year.
    let mut r2 = target("R2", Kind::Ratio, Status::AtRisk, 4, vec![]);
    r2.need_by_year = vec![YearNeed {
        year: 2025,
        count: 4,
    }];
    let mut r3 = target("R3", Kind::Ratio, Status::Met, 0, vec![]);
    r3.need_by_year = vec![];
    // A province-wide quota of person-times is not a unit's shortfall.
    let mut q4 = target("Q4", Kind::Quota, Status::AtRisk, 100, vec![]);
    q4.need_by_year = vec![YearNeed {
        year: 2027,
        count: 100,
    }];
    let result = plan_result(d(2026, 9, 1), vec![r1, r2, r3, q4]);
    let map = ProgrammeMap::new([("R2", "LLCT")]);

    // Two person-times for R1 (explicit), one for R2 (by programme): short 1 and 3.
    let lines = vec![
        line("QLNN", Some("R1"), 2, vec![1, 7]),
        line("LLCT", None, 1, vec![]),
    ];
    let c = check_against_targets(&result, &map, 2027, &lines);
    let short: Vec<(&str, u64, u64, u64)> = c
        .shortfalls
        .iter()
        .map(|s| (s.target_id.as_str(), s.needed, s.planned, s.short))
        .collect();
    assert_eq!(short, vec![("R1", 3, 2, 1), ("R2", 4, 1, 3)]);
    assert!(
        c.shortfalls[0].message.contains("còn thiếu 1"),
        "{}",
        c.shortfalls[0].message
    );
    // Person 7 is not among those missing R1.
    assert_eq!(
        c.not_needed.iter().map(|n| n.person_id).collect::<Vec<_>>(),
        vec![7]
    );
    assert_eq!(c.covered, vec!["R1".to_string(), "R2".to_string()]);

    // Enough asked: no shortfall.
    let enough = vec![
        line("QLNN", Some("R1"), 3, vec![]),
        line("LLCT", None, 4, vec![]),
    ];
    assert!(
        check_against_targets(&result, &map, 2027, &enough)
            .shortfalls
            .is_empty()
    );
}

#[test]
fn aggregation_sums_by_programme_and_source() {
    let a = vec![
        line("QLNN", None, 40, vec![]),
        line("LLCT", None, 10, vec![]),
    ];
    let b = vec![
        line("QLNN", None, 5, vec![]),
        line("QLNN", Some("R1"), 5, vec![]),
    ];
    let t = aggregate(&[a, b]);
    assert_eq!(t.len(), 2);
    assert_eq!(
        (
            t[0].programme.as_str(),
            t[0].units,
            t[0].classes,
            t[0].person_times,
            t[0].costs
        ),
        ("LLCT", 1, 1, 10, [100, 20, 3, 0])
    );
    assert_eq!(
        (
            t[1].programme.as_str(),
            t[1].units,
            t[1].classes,
            t[1].person_times,
            t[1].costs
        ),
        ("QLNN", 2, 3, 50, [300, 60, 9, 0])
    );
}
