//! Each kind of target on a small workforce, with answers computed by hand.

mod common;

use common::*;
use nangluc_core::employment::{Category, PostRank};
use nangluc_core::person::{Ethnicity, Sex};
use nangluc_core::qualification::QualificationKind as QK;
use nangluc_core::role::RoleKind;
use nangluc_core::time::Validity;
use nangluc_core::training::*;
use nangluc_engine::result::{EventStatus, Status};
use nangluc_engine::{Ratio, Snapshot, evaluate};

fn since(y: i32) -> Validity {
    Validity::since(d(y, 1, 1))
}

#[test]
fn ratio_with_age_edge_qualification_on_the_day_and_unit_breakdown() {
    let mut f = Fx::province();
    let cs = Category::CivilServant;
    f.man(1, d(1990, 1, 1));
    f.emp(1, 2, cs, since(2015));
    f.qual(1, QK::ForeignLanguage, "4", d(2020, 1, 1));
    f.man(2, d(1985, 6, 30)); // turns 40 on the evaluation date: no longer under 40
    f.emp(2, 2, cs, since(2015));
    f.qual(2, QK::ForeignLanguage, "5", d(2020, 1, 1));
    f.man(3, d(1990, 5, 5));
    f.emp(3, 4, cs, since(2015));
    f.qual(3, QK::ForeignLanguage, "4", d(2025, 6, 30)); // obtained on the evaluation date: counts
    f.man(4, d(1995, 1, 1));
    f.emp(4, 2, cs, since(2018));
    f.qual(4, QK::ForeignLanguage, "3", d(2020, 1, 1));
    f.man(5, d(1992, 1, 1));
    f.emp(5, 5, Category::CommuneCivilServant, since(2015)); // commune: not in the population
    f.man(6, d(1993, 1, 1));
    f.emp(6, 4, cs, since(2016));
    f.qual(6, QK::ForeignLanguage, "4", d(2025, 7, 1)); // the day after: not yet
    f.man(7, d(1991, 1, 1));
    f.emp(7, 2, cs, Validity::between(d(2015, 1, 1), d(2025, 1, 1))); // left before
    let plan = plan_with(
        r#"
[[groups.targets]]
id = "16a"
wording = "Ngoại ngữ bậc 4"
kind = "ratio"
population = "category in [civil_servant, cadre] and level in [province, district] and age < 40"
criterion = "language_level >= 4"
horizons = [ { by = 2025, min = 25 }, { by = 2030, min = 75 } ]
"#,
    );
    let as_of = d(2025, 6, 30);
    let snap = Snapshot::build(&f.k, as_of);
    let r = &evaluate(&plan, &snap, as_of, None).targets[0];
    assert_eq!((r.population, r.met), (4, 2));
    assert_eq!(r.share, Some(Ratio { num: 2, den: 4 }));
    assert_eq!(r.holds, Some(true));
    assert_eq!(r.needed, 0);
    assert_eq!(r.status, Status::Met);
    assert_eq!(r.threshold.unwrap().by, 2025);
    let h2030 = &r.horizons[1];
    assert_eq!((h2030.required, h2030.needed, h2030.holds), (3, 1, false));
    let split: Vec<u64> = h2030.need_by_year.iter().map(|y| y.count).collect();
    assert_eq!(split, vec![0, 0, 0, 0, 0, 1]);
    let mut missing: Vec<i64> = r.missing.iter().map(|m| m.person_id).collect();
    missing.sort();
    assert_eq!(missing, vec![4, 6]);
    let m4 = r.missing.iter().find(|m| m.person_id == 4).unwrap();
    assert!(m4.reason.contains("language_level >= 4") && m4.reason.contains("Bậc 3"), "{}", m4.reason);
    assert_eq!(m4.unit_code.as_deref(), Some("80-SNV"));
    let row = |code: &str| r.by_unit.iter().find(|u| u.code == code).unwrap();
    assert_eq!((row("80-SNV").population, row("80-SNV").met), (2, 1));
    assert_eq!((row("80-H1").population, row("80-H1").met), (2, 1));
    assert_eq!((row("80").population, row("80").met, row("80").own_population), (4, 2, 0));
    assert!(r.by_unit.iter().all(|u| u.code != "80001"));
    // One unit's subtree.
    let sub = &evaluate(&plan, &snap, as_of, Some("80-H1")).targets[0];
    assert_eq!((sub.population, sub.met), (2, 1));
}

#[test]
fn an_empty_population_has_no_share() {
    let mut f = Fx::province();
    f.man(1, d(1990, 1, 1));
    f.emp(1, 2, Category::CivilServant, since(2015));
    let plan = plan_with(
        r#"
[[groups.targets]]
id = "x"
wording = "Không ai"
kind = "R"
population = "category == cadre"
criterion = "education >= dai_hoc"
min = 100
"#,
    );
    let snap = Snapshot::build(&f.k, d(2025, 1, 1));
    let r = &evaluate(&plan, &snap, d(2025, 1, 1), None).targets[0];
    assert_eq!((r.population, r.met, r.needed), (0, 0, 0));
    assert_eq!(r.share, None);
    assert_eq!(r.holds, None);
    assert_eq!(r.status, Status::NotApplicable);
    assert_eq!(nangluc_engine::result::show_share(r.share), "không áp dụng");
    assert!(r.by_unit.is_empty());
}

#[test]
fn yearly_ratio_with_a_person_moving_in_mid_year() {
    let mut f = Fx::province();
    f.programme(100, "DD", Topic::ProfessionalEthics, TrainingKind::Retraining, None);
    let pe = Category::PublicEmployee;
    f.man(10, d(1980, 1, 1));
    f.emp(10, 3, pe, since(2020));
    f.enrol(1, 10, 100, None, EnrolmentStatus::Completed, d(2023, 5, 1), d(2023, 5, 10));
    f.enrol(2, 10, 100, None, EnrolmentStatus::Completed, d(2025, 3, 1), d(2025, 3, 10));
    f.man(11, d(1981, 1, 1));
    f.emp(11, 3, pe, since(2020));
    f.enrol(3, 11, 100, None, EnrolmentStatus::Completed, d(2024, 11, 1), d(2024, 11, 5));
    f.man(12, d(1982, 1, 1));
    f.emp(12, 2, Category::Cadre, Validity::between(d(2020, 1, 1), d(2024, 7, 1)));
    f.emp(12, 3, pe, Validity::since(d(2024, 7, 1)));
    let plan = plan_with(
        r#"
[[groups.targets]]
id = "7"
wording = "Hằng năm ít nhất 60% viên chức được bồi dưỡng đạo đức nghề nghiệp"
kind = "yearly"
years = [2023, 2025]
population = "category == public_employee"
criterion = "completed(topic: professional_ethics, within: window)"
min = 60
"#,
    );
    let as_of = d(2025, 6, 30);
    let snap = Snapshot::build(&f.k, as_of);
    let r = &evaluate(&plan, &snap, as_of, None).targets[0];
    let years: Vec<(i32, u64, u64, Option<bool>, u64)> = r.per_year.iter().map(|y| (y.year, y.population, y.met, y.holds, y.needed)).collect();
    assert_eq!(years, vec![(2023, 2, 1, Some(false), 1), (2024, 3, 1, Some(false), 1), (2025, 3, 1, Some(false), 1)]);
    assert_eq!(r.per_year[2].as_of, as_of);
    assert_eq!((r.population, r.met), (3, 1));
    // Half the year gone with 1 of 3: at that pace 2 of 3 by December = 66 % ≥ 60 %.
    assert_eq!(r.status, Status::OnTrack);
}

#[test]
fn rolling_window_closes_on_the_same_day_24_months_later() {
    let mut f = Fx::province();
    f.programme(100, "CN", Topic::ProfessionalUpdate, TrainingKind::Retraining, None);
    for (p, end) in [(20, d(2023, 6, 30)), (21, d(2023, 6, 29)), (22, d(2025, 1, 10))] {
        f.man(p, d(1980, 1, 1));
        f.emp(p, 5, Category::NonProfessional, since(2019));
        f.enrol(p, p, 100, None, EnrolmentStatus::Completed, end - chrono::Duration::days(3), end);
    }
    let plan = plan_with(
        r#"
[[groups.targets]]
id = "11"
wording = "Người hoạt động không chuyên trách cấp xã được bồi dưỡng ít nhất 02 năm 01 lần"
kind = "window"
months = 24
population = "category == non_professional"
criterion = "completed(within: window)"
"#,
    );
    let as_of = d(2025, 6, 30);
    let r = &evaluate(&plan, &Snapshot::build(&f.k, as_of), as_of, None).targets[0];
    assert_eq!((r.population, r.met, r.needed), (3, 2, 1));
    assert_eq!(r.missing.len(), 1);
    assert_eq!(r.missing[0].person_id, 21);
    assert_eq!(r.threshold.unwrap().min.0, 10_000);
}

#[test]
fn term_counts_delegates_without_employment_outside_units() {
    let mut f = Fx::province();
    f.programme(100, "HDND", Topic::CouncilSkills, TrainingKind::Retraining, None);
    f.man(30, d(1970, 1, 1));
    f.role(30, RoleKind::CouncilDelegate, Some("2021-2026"), None, None, Validity::since(d(2021, 6, 1)));
    f.enrol(1, 30, 100, None, EnrolmentStatus::Completed, d(2022, 3, 1), d(2022, 3, 3));
    f.man(31, d(1975, 1, 1));
    f.emp(31, 2, Category::CivilServant, since(2010));
    f.role(31, RoleKind::CouncilDelegate, Some("2021-2026"), None, None, Validity::since(d(2021, 6, 1)));
    f.enrol(2, 31, 100, None, EnrolmentStatus::Completed, d(2020, 10, 1), d(2020, 10, 3));
    f.man(32, d(1960, 1, 1));
    f.role(32, RoleKind::CouncilDelegate, Some("2016-2021"), None, None, Validity::between(d(2016, 6, 1), d(2021, 6, 1)));
    let plan = plan_with(
        r#"
[[groups.targets]]
id = "8"
wording = "100% đại biểu HĐND nhiệm kỳ 2021-2026 được bồi dưỡng ít nhất 01 lần trong nhiệm kỳ"
kind = "term"
term = "2021-2026"
population = "council_delegate(term: \"2021-2026\")"
criterion = "completed(topic: council_skills, within: window)"
"#,
    );
    let as_of = d(2025, 6, 30);
    let r = &evaluate(&plan, &Snapshot::build(&f.k, as_of), as_of, None).targets[0];
    assert_eq!((r.population, r.met), (2, 1));
    let unplaced = r.by_unit.iter().find(|u| u.unit_id.is_none()).unwrap();
    assert_eq!((unplaced.population, unplaced.met), (1, 1));
    let root = r.by_unit.iter().find(|u| u.code == "80").unwrap();
    assert_eq!(root.population + unplaced.population, r.population);
}

#[test]
fn after_event_met_overdue_pending_and_the_deadline_day() {
    let mut f = Fx::province();
    f.programme(100, "LD", Topic::Leadership, TrainingKind::Retraining, None);
    let cs = Category::CivilServant;
    let lead = |f: &mut Fx, p: i64, appointed: Option<chrono::NaiveDate>| {
        f.man(p, d(1975, 1, 1));
        let post = Fx::post("truong_phong", PostRank::Division, appointed);
        f.emp_full(p, 2, cs, since(2015), Some("01.002"), Some(post));
    };
    lead(&mut f, 40, Some(d(2023, 6, 30))); // window closes today: pending
    lead(&mut f, 41, Some(d(2023, 6, 29))); // closed yesterday: overdue
    lead(&mut f, 42, Some(d(2024, 1, 15)));
    f.enrol(1, 42, 100, None, EnrolmentStatus::Completed, d(2024, 4, 20), d(2024, 5, 1));
    lead(&mut f, 43, Some(d(2022, 1, 1)));
    f.enrol(2, 43, 100, None, EnrolmentStatus::Completed, d(2021, 5, 20), d(2021, 6, 1)); // before: not in the window
    lead(&mut f, 44, Some(d(2019, 5, 1))); // before the plan period: not counted
    lead(&mut f, 45, None); // no date recorded
    lead(&mut f, 46, Some(d(2023, 1, 10)));
    f.enrol(3, 46, 100, None, EnrolmentStatus::Completed, d(2025, 1, 1), d(2025, 1, 10)); // on the deadline day: counts
    let plan = plan_with(
        r#"
[[groups.targets]]
id = "31"
wording = "Bồi dưỡng chức danh trong vòng 2 năm kể từ ngày bổ nhiệm"
kind = "after_event"
event = "appointment"
months = 24
population = "is_leader and category == civil_servant"
criterion = "completed(topic: leadership, within: window)"
"#,
    );
    let as_of = d(2025, 6, 30);
    let r = &evaluate(&plan, &Snapshot::build(&f.k, as_of), as_of, None).targets[0];
    assert_eq!(r.population, 6);
    assert_eq!((r.met, r.overdue, r.pending), (2, Some(2), Some(1)));
    assert_eq!(r.share, Some(Ratio { num: 2, den: 4 }));
    assert_eq!(r.needed, 2);
    let st = |p: i64| r.missing.iter().find(|m| m.person_id == p).map(|m| (m.status, m.deadline));
    assert_eq!(st(40), Some((Some(EventStatus::Pending), Some(d(2025, 6, 30)))));
    assert_eq!(st(41), Some((Some(EventStatus::Overdue), Some(d(2025, 6, 29)))));
    assert_eq!(st(43), Some((Some(EventStatus::Overdue), Some(d(2024, 1, 1)))));
    assert_eq!(st(45).map(|x| x.0), Some(Some(EventStatus::NoEvent)));
    assert_eq!(st(42), None);
    assert_eq!(st(46), None);
    assert_eq!(st(44), None);
}

#[test]
fn before_event_counts_appointments_of_the_period() {
    let mut f = Fx::province();
    f.programme(100, "LD", Topic::Leadership, TrainingKind::Retraining, None);
    let cs = Category::CivilServant;
    let appoint = |f: &mut Fx, p: i64, on: chrono::NaiveDate| {
        f.man(p, d(1975, 1, 1));
        f.emp(p, 2, cs, Validity::between(d(2010, 1, 1), on));
        f.emp_full(p, 2, cs, Validity::since(on), None, Some(Fx::post("pho_truong_phong", PostRank::Division, Some(on))));
    };
    appoint(&mut f, 50, d(2023, 3, 1));
    f.enrol(1, 50, 100, None, EnrolmentStatus::Completed, d(2023, 1, 20), d(2023, 2, 1));
    appoint(&mut f, 51, d(2024, 5, 1));
    f.enrol(2, 51, 100, None, EnrolmentStatus::Completed, d(2024, 5, 20), d(2024, 6, 1));
    appoint(&mut f, 52, d(2020, 1, 1));
    appoint(&mut f, 53, d(2023, 8, 1));
    f.enrol(3, 53, 100, None, EnrolmentStatus::Completed, d(2023, 7, 20), d(2023, 8, 1)); // same day counts
    let plan = plan_with(
        r#"
[[groups.targets]]
id = "6"
wording = "100% viên chức giữ chức vụ quản lý được bồi dưỡng trước khi bổ nhiệm"
kind = "before_event"
event = "appointment"
population = "is_leader"
criterion = "completed(topic: leadership, within: window)"
"#,
    );
    let as_of = d(2025, 6, 30);
    let r = &evaluate(&plan, &Snapshot::build(&f.k, as_of), as_of, None).targets[0];
    assert_eq!((r.population, r.met, r.needed), (3, 2, 1));
    assert_eq!(r.missing.len(), 1);
    assert_eq!((r.missing[0].person_id, r.missing[0].deadline), (51, Some(d(2024, 5, 1))));
    let years: Vec<(i32, u64, u64)> = r.per_year.iter().map(|y| (y.year, y.population, y.met)).collect();
    assert_eq!(years, vec![(2021, 0, 0), (2022, 0, 0), (2023, 2, 2), (2024, 1, 0), (2025, 0, 0)]);
    assert_eq!(r.status, Status::AtRisk);
}

#[test]
fn quota_counts_person_times_with_a_sub_quota_and_an_age_filter() {
    let mut f = Fx::province();
    let grant = |level: &str| Some(Grant { kind: QK::Education, level: level.into(), field: None, language: None });
    f.programme(60, "THS", Topic::Postgraduate, TrainingKind::Training, grant("thac_si"));
    f.programme(61, "TS", Topic::Postgraduate, TrainingKind::Training, grant("tien_si"));
    f.programme(62, "CV", Topic::StateManagement, TrainingKind::Retraining, None);
    for (p, born) in [(60, 1985), (61, 1988), (62, 1990), (63, 1975)] {
        f.man(p, d(born, 1, 1));
        f.emp(p, 2, Category::CivilServant, since(2010));
    }
    use EnrolmentStatus::*;
    f.enrol(1, 60, 60, None, Completed, d(2023, 9, 1), d(2025, 6, 1));
    f.enrol(2, 60, 61, None, Enrolled, d(2025, 2, 1), d(2028, 2, 1));
    f.enrol(3, 61, 60, None, Enrolled, d(2023, 10, 1), d(2025, 10, 1));
    f.enrol(4, 61, 60, None, Withdrawn, d(2024, 3, 1), d(2026, 3, 1));
    f.enrol(5, 62, 60, None, Nominated, d(2024, 9, 1), d(2026, 9, 1));
    f.enrol(6, 62, 60, None, Enrolled, d(2024, 10, 1), d(2026, 10, 1));
    f.enrol(7, 63, 60, None, Enrolled, d(2024, 11, 1), d(2026, 11, 1)); // 49 years old: not counted
    f.enrol(8, 60, 62, None, Completed, d(2024, 1, 1), d(2024, 2, 1)); // another topic
    let plan = plan_with(
        r#"
[[groups.targets]]
id = "26"
wording = "Mỗi năm cử từ 2 đến 3 người đi đào tạo sau đại học, trong đó có ít nhất 1 tiến sĩ"
kind = "quota"
period = [2023, 2025]
per_year = { min = 2, max = 3 }
topics = ["postgraduate"]
population = "age < 45"

[[groups.targets.sub_quotas]]
name = "tiến sĩ"
min = 1
levels = ["tien_si"]
"#,
    );
    let as_of = d(2025, 6, 30);
    let r = &evaluate(&plan, &Snapshot::build(&f.k, as_of), as_of, None).targets[0];
    let years: Vec<(i32, u64, Option<bool>)> = r.per_year.iter().map(|y| (y.year, y.met, y.holds)).collect();
    assert_eq!(years, vec![(2023, 2, Some(true)), (2024, 2, Some(true)), (2025, 1, Some(false))]);
    assert_eq!((r.met, r.needed), (5, 1));
    assert_eq!(r.sub_quotas[0].total, 1);
    assert!(!r.sub_quotas[0].holds);
    assert_eq!(r.by_unit.iter().find(|u| u.code == "80-SNV").unwrap().met, 5);
}

#[test]
fn classes_per_year_and_their_sizes() {
    let mut f = Fx::province();
    f.programme(62, "CV", Topic::StateManagement, TrainingKind::Retraining, None);
    f.programme(63, "KH", Topic::MinorityLanguage, TrainingKind::Retraining, None);
    f.institution(9, "TCT", InstitutionKind::PoliticalSchool);
    f.class(70, "CV-2024-1", 62, 9, d(2024, 3, 1), d(2024, 4, 1), ClassStatus::Finished);
    f.class(71, "CV-2024-2", 62, 9, d(2024, 9, 1), d(2024, 10, 1), ClassStatus::Cancelled);
    f.class(72, "CV-2025-1", 62, 9, d(2025, 9, 1), d(2025, 10, 1), ClassStatus::Approved);
    f.class(73, "KH-2025-1", 63, 9, d(2025, 3, 1), d(2025, 4, 1), ClassStatus::InProgress);
    for p in 1..=3 {
        f.man(p, d(1980, 1, 1));
        f.emp(p, 2, Category::CivilServant, since(2010));
        f.enrol(p, p, 62, Some(70), EnrolmentStatus::Completed, d(2024, 3, 1), d(2024, 4, 1));
    }
    let plan = plan_with(
        r#"
[[groups.targets]]
id = "15c"
wording = "Chương trình chuyên viên: mỗi năm từ 02 đến 04 lớp"
kind = "classes"
period = [2024, 2025]
per_year = { min = 2, max = 4 }
class_size = { min = 40, max = 50 }
programmes = ["CV"]
"#,
    );
    let as_of = d(2025, 6, 30);
    let r = &evaluate(&plan, &Snapshot::build(&f.k, as_of), as_of, None).targets[0];
    let years: Vec<(i32, u64, Option<bool>)> = r.per_year.iter().map(|y| (y.year, y.met, y.holds)).collect();
    assert_eq!(years, vec![(2024, 1, Some(false)), (2025, 1, Some(false))]);
    assert_eq!(r.classes.len(), 2);
    assert_eq!((r.classes[0].size, r.classes[0].size_ok), (3, false));
    assert_eq!(r.status, Status::AtRisk);
}

#[test]
fn post_holders_and_lecturers() {
    let mut f = Fx::province();
    for (p, level) in [(80, "tien_si"), (81, "thac_si"), (82, "tien_si")] {
        f.man(p, d(1970, 1, 1));
        let post = if p == 82 { None } else { Some(Fx::post("hieu_truong_cao_dang", PostRank::Department, Some(d(2020, 1, 1)))) };
        f.emp_full(p, 3, Category::PublicEmployee, since(2010), None, post);
        f.qual(p, QK::Education, level, d(2015, 1, 1));
    }
    f.institution(9, "TCT", InstitutionKind::PoliticalSchool);
    f.lecturer(1, 9, false, 6);
    f.lecturer(2, 9, true, 5);
    f.lecturer(3, 9, false, 2);
    let plan = plan_with(
        r#"
[[groups.targets]]
id = "29"
wording = "Người đứng đầu trường cao đẳng có trình độ tiến sĩ"
kind = "post_holder"
posts = ["hieu_truong_cao_dang"]
criterion = "education >= tien_si"
min = 100
by = 2026

[[groups.targets]]
id = "46a"
wording = "Giảng viên có ít nhất 05 năm kinh nghiệm thực tiễn quản lý"
kind = "lecturer_ratio"
criterion = "management_years >= 5"
min = 100
"#,
    );
    let as_of = d(2025, 6, 30);
    let res = evaluate(&plan, &Snapshot::build(&f.k, as_of), as_of, None);
    let p = &res.targets[0];
    assert_eq!((p.population, p.met, p.needed), (2, 1, 1));
    assert_eq!(p.holders.len(), 2);
    assert!(p.holders.iter().any(|h| h.person_id == 81 && !h.meets && h.post == "hieu_truong_cao_dang"));
    let l = &res.targets[1];
    assert_eq!((l.population, l.met), (3, 2));
    assert_eq!(l.missing[0].person_id, 3);
}

#[test]
fn results_serialise_to_json() {
    let mut f = Fx::province();
    f.person(1, "Lan", d(1990, 1, 1), Sex::Female, Ethnicity::KHMER);
    f.emp(1, 5, Category::CommuneCivilServant, since(2015));
    let plan = plan_with(
        r#"
[[groups.targets]]
id = "12"
wording = "Tiếng dân tộc"
kind = "ratio"
population = "level == commune and minority_area and ethnicity != kinh"
criterion = "has(minority_language)"
min = 80
"#,
    );
    let snap = Snapshot::build(&f.k, d(2024, 1, 1));
    let res = evaluate(&plan, &snap, d(2024, 1, 1), None);
    assert_eq!(res.targets[0].population, 1);
    let json = serde_json::to_value(&res).unwrap();
    assert_eq!(json["targets"][0]["kind"], "ratio");
    assert_eq!(json["targets"][0]["letter"], "R");
    assert_eq!(json["targets"][0]["share"]["den"], 1);
    assert_eq!(json["targets"][0]["threshold"]["min"], 8000);
}
