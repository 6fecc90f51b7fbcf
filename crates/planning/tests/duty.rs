//! The responsibility matrix: deadlines read from the annex's words, next
//! deadlines, reminders and overdue lists on fixed dates.

mod common;

use common::d;
use nangluc_planning::duty::{
    DueRule, Duty, DutyState, StatusUpdate, overdue, parse_due, parse_due_lenient, reminders,
};

#[test]
fn reads_the_annex_wording() {
    let cases: Vec<(&str, Vec<DueRule>)> = vec![
        (
            "Trước ngày 31/8 hằng năm",
            vec![DueRule::Yearly { month: 8, day: 31 }],
        ),
        (
            "Quý IV hằng năm",
            vec![DueRule::YearlyInQuarter { quarter: 4 }],
        ),
        (
            "Trong quý IV hàng năm",
            vec![DueRule::YearlyInQuarter { quarter: 4 }],
        ),
        ("6 tháng một lần", vec![DueRule::HalfYearly]),
        ("hai lần một năm", vec![DueRule::HalfYearly]),
        ("02 lần/năm", vec![DueRule::HalfYearly]),
        ("Hai lần mỗi năm", vec![DueRule::HalfYearly]),
        (
            "trước 31/3/2021",
            vec![DueRule::Date {
                date: d(2021, 3, 31),
            }],
        ),
        (
            "Trước ngày 31/3/2021.",
            vec![DueRule::Date {
                date: d(2021, 3, 31),
            }],
        ),
        ("năm 2023", vec![DueRule::InYear { year: 2023 }]),
        ("Năm 2021", vec![DueRule::InYear { year: 2021 }]),
        ("Thường xuyên", vec![DueRule::Continuous]),
        ("Hàng năm", vec![DueRule::Yearly { month: 12, day: 31 }]),
        (
            "a) Trước 31/3/2021 b) Trước 31/8 hàng năm cho kế hoạch năm sau liền kề",
            vec![
                DueRule::Date {
                    date: d(2021, 3, 31),
                },
                DueRule::Yearly { month: 8, day: 31 },
            ],
        ),
        (
            "Sơ kết trong năm 2023 và tổng kết trong quý IV/2025",
            vec![
                DueRule::InYear { year: 2023 },
                DueRule::InQuarter {
                    year: 2025,
                    quarter: 4,
                },
            ],
        ),
    ];
    for (text, want) in cases {
        assert_eq!(parse_due(text).unwrap(), want, "{text}");
    }
    let err = parse_due("Theo quy định, hướng dẫn của Bộ ngành có liên quan").unwrap_err();
    assert!(
        err.to_string().starts_with(
            "không hiểu thời hạn «Theo quy định, hướng dẫn của Bộ ngành có liên quan»"
        ),
        "{err}"
    );
    assert!(
        parse_due("trước 31/2/2021")
            .unwrap_err()
            .to_string()
            .contains("ngày không hợp lệ")
    );
    assert!(parse_due("quý V hằng năm").is_err());
    assert!(parse_due("  ").is_err());
    let (rules, rest) = parse_due_lenient("Thường xuyên trong năm và định kỳ theo quy định");
    assert_eq!(rules, vec![DueRule::Continuous]);
    assert_eq!(rest, vec!["định kỳ theo quy định".to_string()]);
    assert_eq!(
        DueRule::YearlyInQuarter { quarter: 4 }.label(),
        "Trong quý IV hằng năm"
    );
    assert_eq!(
        DueRule::Yearly { month: 8, day: 31 }.label(),
        "Trước ngày 31/8 hằng năm"
    );
}

#[test]
fn next_deadlines() {
    let yearly = DueRule::Yearly { month: 8, day: 31 };
    assert_eq!(yearly.next_due(d(2024, 8, 31)), Some(d(2024, 8, 31)));
    assert_eq!(yearly.next_due(d(2024, 9, 1)), Some(d(2025, 8, 31)));
    assert_eq!(
        DueRule::YearlyInQuarter { quarter: 4 }.next_due(d(2024, 5, 1)),
        Some(d(2024, 12, 31))
    );
    assert_eq!(
        DueRule::YearlyInQuarter { quarter: 1 }.next_due(d(2024, 5, 1)),
        Some(d(2025, 3, 31))
    );
    assert_eq!(
        DueRule::HalfYearly.next_due(d(2024, 1, 10)),
        Some(d(2024, 6, 30))
    );
    assert_eq!(
        DueRule::HalfYearly.next_due(d(2024, 7, 1)),
        Some(d(2024, 12, 31))
    );
    assert_eq!(
        DueRule::HalfYearly.next_due(d(2025, 1, 1)),
        Some(d(2025, 6, 30))
    );
    assert_eq!(
        DueRule::Date {
            date: d(2021, 3, 31)
        }
        .next_due(d(2021, 4, 1)),
        None
    );
    assert_eq!(
        DueRule::InYear { year: 2023 }.next_due(d(2023, 5, 5)),
        Some(d(2023, 12, 31))
    );
    assert_eq!(
        DueRule::InQuarter {
            year: 2025,
            quarter: 4
        }
        .next_due(d(2025, 1, 1)),
        Some(d(2025, 12, 31))
    );
    assert_eq!(DueRule::Continuous.next_due(d(2025, 1, 1)), None);
    // 29/2 in a common year falls on 28/2.
    assert_eq!(
        DueRule::Yearly { month: 2, day: 29 }.next_due(d(2025, 1, 1)),
        Some(d(2025, 2, 28))
    );
    let review = Duty::from_text(
        "9",
        "Sơ kết, tổng kết",
        "Sở Nội vụ",
        vec![],
        None,
        "Sơ kết trong năm 2023 và tổng kết trong quý IV/2025",
    )
    .unwrap();
    assert_eq!(review.next_due(d(2023, 6, 1)), Some(d(2023, 12, 31)));
    assert_eq!(review.next_due(d(2024, 1, 1)), Some(d(2025, 12, 31)));
    assert_eq!(review.next_due(d(2026, 1, 1)), None);
}

fn matrix() -> Vec<Duty> {
    let duty = |id: &str, task: &str, lead: &str, when: &str| {
        Duty::from_text(id, task, lead, vec!["Sở Nội vụ".into()], None, when).unwrap()
    };
    vec![
        duty(
            "1.2a",
            "Xây dựng kế hoạch giai đoạn 2021-2025",
            "Các Sở, Ban ngành",
            "Trước 31/3/2021",
        ),
        duty(
            "1.2b",
            "Xây dựng kế hoạch đào tạo, bồi dưỡng năm sau",
            "Các Sở, Ban ngành",
            "Trước ngày 31/8 hằng năm",
        ),
        duty(
            "5.6",
            "Rà soát, đánh giá công tác đào tạo, bồi dưỡng",
            "Sở Nội vụ",
            "Trong quý IV hàng năm",
        ),
        duty(
            "1.1",
            "Phổ biến, quán triệt trách nhiệm",
            "Các cơ quan hành chính",
            "02 lần/năm",
        ),
        duty(
            "2.1",
            "Cử đi học theo quy hoạch",
            "Các cơ quan hành chính",
            "Thường xuyên",
        ),
    ]
}

#[test]
fn overdue_and_reminders_on_fixed_dates() {
    let duties = matrix();
    let up = |id: &str, deadline: Option<chrono::NaiveDate>, state, on| StatusUpdate {
        duty_id: id.into(),
        deadline,
        state,
        on,
        by: Some("Sở Nội vụ".into()),
        note: None,
    };
    let updates = vec![
        up("1.2a", None, DutyState::Done, d(2021, 4, 5)),
        up(
            "1.2b",
            Some(d(2021, 8, 31)),
            DutyState::Done,
            d(2021, 8, 20),
        ),
        up("1.1", Some(d(2021, 6, 30)), DutyState::Done, d(2021, 6, 1)),
        up(
            "1.1",
            Some(d(2021, 12, 31)),
            DutyState::InProgress,
            d(2021, 11, 1),
        ),
        up(
            "5.6",
            Some(d(2021, 12, 31)),
            DutyState::InProgress,
            d(2021, 10, 1),
        ),
    ];
    let since = d(2021, 1, 1);

    // On 15/1/2022: 1.2a was done late (5/4) but done; 1.2b done; the Q4 review
    // and the second dissemination of 2021 are 15 days late.
    let late = overdue(&duties, &updates, since, d(2022, 1, 15));
    let got: Vec<(&str, chrono::NaiveDate, i64)> = late
        .iter()
        .map(|o| (o.duty_id.as_str(), o.deadline, o.days_late))
        .collect();
    assert_eq!(
        got,
        vec![("1.1", d(2021, 12, 31), 15), ("5.6", d(2021, 12, 31), 15)]
    );
    assert_eq!(late[1].state, DutyState::InProgress);
    assert_eq!(
        late[1].message,
        "Quá hạn 15 ngày (hạn 31/12/2021): Rà soát, đánh giá công tác đào tạo, bồi dưỡng — chủ trì: Sở Nội vụ"
    );

    // On 15/1/2021 nothing is due yet; on 1/4/2021 the period plan is a day late
    // (the update of 5/4 is not known yet).
    assert!(overdue(&duties, &updates, since, d(2021, 1, 15)).is_empty());
    let april = overdue(&duties, &updates, since, d(2021, 4, 1));
    assert_eq!(april.len(), 1);
    assert_eq!((april[0].duty_id.as_str(), april[0].days_late), ("1.2a", 1));

    // On 5/9/2022: next year's plan (31/8/2022) and the first half of 2022 too.
    let sept: Vec<(String, chrono::NaiveDate)> = overdue(&duties, &updates, since, d(2022, 9, 5))
        .into_iter()
        .map(|o| (o.duty_id, o.deadline))
        .collect();
    assert_eq!(
        sept,
        vec![
            ("1.1".to_string(), d(2021, 12, 31)),
            ("5.6".to_string(), d(2021, 12, 31)),
            ("1.1".to_string(), d(2022, 6, 30)),
            ("1.2b".to_string(), d(2022, 8, 31)),
        ]
    );

    // Reminders 14 days ahead on 20/8/2022: next year's plan, 11 days left.
    let soon = reminders(&duties, &updates, d(2022, 8, 20), 14);
    assert_eq!(soon.len(), 1);
    assert_eq!((soon[0].duty_id.as_str(), soon[0].days_left), ("1.2b", 11));
    assert_eq!(
        soon[0].message,
        "Còn 11 ngày (hạn 31/08/2022): Xây dựng kế hoạch đào tạo, bồi dưỡng năm sau — chủ trì: Các Sở, Ban ngành"
    );
    // In progress: still reminded; done: not.
    let mut more = updates.clone();
    more.push(up(
        "1.2b",
        Some(d(2022, 8, 31)),
        DutyState::InProgress,
        d(2022, 8, 10),
    ));
    assert_eq!(reminders(&duties, &more, d(2022, 8, 20), 14).len(), 1);
    more.push(up(
        "1.2b",
        Some(d(2022, 8, 31)),
        DutyState::Done,
        d(2022, 8, 19),
    ));
    assert!(reminders(&duties, &more, d(2022, 8, 20), 14).is_empty());
    // On the day itself.
    assert_eq!(reminders(&duties, &updates, d(2022, 12, 31), 0).len(), 2);
    assert!(
        reminders(&duties, &updates, d(2022, 12, 31), 0)[0]
            .message
            .starts_with("Hôm nay là hạn")
    );
    // Updates serialise with their codes.
    let json = serde_json::to_string(&updates[0]).unwrap();
    assert!(json.contains("\"state\":\"hoan_thanh\""));
}

#[test]
fn duties_from_a_plan_file() {
    let src = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../plans/soc-trang-2021-2025.toml"
    ))
    .unwrap();
    let plan = nangluc_engine::Plan::parse(&src, "soc-trang-2021-2025.toml").unwrap();
    let duties: Vec<Duty> = plan.duties.iter().map(Duty::from_plan).collect();
    assert!(!duties.is_empty());
    // Each plan duty's wording reads to the same rules as the file's structured deadline.
    for d in &duties {
        assert_eq!(parse_due(&d.when).unwrap(), d.due, "{}: {}", d.id, d.when);
    }
}

#[test]
fn agencies_are_read_from_the_matrix_words() {
    use nangluc_planning::duty::{agency_names, is_agency, is_collective};
    assert_eq!(
        agency_names("Sở Nội vụ; Sở Tài chính\nBan Tổ chức Tỉnh ủy"),
        vec!["Sở Nội vụ", "Sở Tài chính", "Ban Tổ chức Tỉnh ủy"]
    );
    assert!(is_collective(
        "Các Sở, Ban ngành, đơn vị sự nghiệp trực thuộc UBND tỉnh"
    ));
    assert!(is_collective("UBND các huyện, thị xã, thành phố"));
    assert!(!is_collective("Sở Nội vụ"));
    assert!(is_agency("Sở Nội vụ", "Sở Nội vụ"));
    assert!(is_agency("Sở Nội vụ", "SỞ NỘI VỤ"));
    assert!(is_agency("Sở Nội vụ", "Sở Nội vụ tỉnh Tây Ninh"));
    assert!(!is_agency("Sở Nội vụ", "Phòng Nội vụ huyện Châu Thành"));
    assert!(!is_agency("Sở Nội vụ", "Sở Nội vụ và Lao động"));
    assert!(!is_agency("Sở Tài chính", "Sở Nội vụ"));
    assert!(!is_agency("Các Sở, Ban ngành", "Sở Nội vụ"));
}
