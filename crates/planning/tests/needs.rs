//! Who needs what, from a plan's evaluation.

mod common;

use std::collections::BTreeSet;

use common::{d, missing, plan_result, target};
use nangluc_engine::plan::Kind;
use nangluc_engine::result::{EventStatus, Status};
use nangluc_planning::needs::{Priority, ProgrammeMap, compute_needs};

#[test]
fn priorities_and_gap_within_the_need() {
    let e = vec![
        missing(1, "S01", Some(d(2025, 3, 1)), Some(EventStatus::Pending)),
        missing(2, "S01", Some(d(2024, 10, 1)), Some(EventStatus::Overdue)),
        missing(3, "S02", None, Some(EventStatus::NoEvent)),
    ];
    // An at-risk ratio target needing 2 of 4; person 12 is in succession
    // planning, person 1 is also an E person: both go first.
    let r = vec![
        missing(10, "X01", None, None),
        missing(11, "X01", None, None),
        missing(12, "X02", None, None),
        missing(1, "S01", None, None),
    ];
    let on_track = vec![missing(20, "X03", None, None)];
    let result = plan_result(
        d(2025, 1, 1),
        vec![
            target("E1", Kind::AfterEvent, Status::Met, 0, e),
            target("R2", Kind::Ratio, Status::AtRisk, 2, r),
            target("R3", Kind::Ratio, Status::OnTrack, 1, on_track),
            target(
                "R4",
                Kind::Ratio,
                Status::Met,
                0,
                vec![missing(30, "X03", None, None)],
            ),
            target("Q5", Kind::Quota, Status::AtRisk, 20, vec![]),
            target(
                "R6",
                Kind::Ratio,
                Status::AtRisk,
                1,
                vec![missing(40, "X03", None, None)],
            ),
        ],
    );
    let map = ProgrammeMap::new([
        ("E1", "LDQL"),
        ("R2", "LDQL"),
        ("R3", "QLNN"),
        ("R4", "QLNN"),
        ("Q5", "QLNN"),
    ]);
    let succession: BTreeSet<i64> = [12].into_iter().collect();
    let needs = compute_needs(&result, &map, &succession);

    let ldql: Vec<(i64, Priority, u32)> = needs
        .for_programme("LDQL")
        .map(|p| (p.person_id, p.priority, p.gap_units))
        .collect();
    assert_eq!(
        ldql,
        vec![
            (2, Priority::EOverdue, 1),
            (1, Priority::EPending, 2), // E1 and R2: two gaps closed by one seat
            (12, Priority::Succession, 1),
            (10, Priority::AtRisk, 0), // beyond R2's need of 2
            (11, Priority::AtRisk, 0),
            (3, Priority::Other, 0), // no event recorded (and E1 holds): listed, not counted
        ]
    );
    let p1 = needs.people.iter().find(|p| p.person_id == 1).unwrap();
    assert_eq!(p1.deadline, Some(d(2025, 3, 1)));
    assert_eq!(p1.reasons.len(), 2);
    assert_eq!(needs.gap_by_target["E1"], 2);
    assert_eq!(needs.gap_by_target["R2"], 2);

    let qlnn: Vec<(i64, Priority, u32)> = needs
        .for_programme("QLNN")
        .map(|p| (p.person_id, p.priority, p.gap_units))
        .collect();
    assert_eq!(qlnn, vec![(20, Priority::Other, 1)]);

    let skipped: Vec<&str> = needs.skipped.iter().map(|s| s.target_id.as_str()).collect();
    assert_eq!(skipped, vec!["R4", "Q5", "R6"]);
    assert!(needs.skipped[2].reason.contains("chưa gắn chương trình"));

    let ldql_sum = needs
        .by_programme
        .iter()
        .find(|p| p.programme == "LDQL")
        .unwrap();
    assert_eq!(
        (
            ldql_sum.people,
            ldql_sum.e_overdue,
            ldql_sum.e_pending,
            ldql_sum.succession,
            ldql_sum.at_risk,
            ldql_sum.other
        ),
        (6, 1, 1, 1, 2, 1)
    );
    assert_eq!(ldql_sum.gap_units, 4);
    assert_eq!(
        Priority::EOverdue.label(),
        "Quá hạn bồi dưỡng sau sự kiện (bổ nhiệm, bầu cử…)"
    );
    let json = serde_json::to_string(&needs).unwrap();
    assert!(json.contains("\"priority\":\"e_qua_han\""));
}
