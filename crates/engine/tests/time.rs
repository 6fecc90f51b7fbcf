//! Forecasts, reproduction of past readings, diffs, need split, properties.

mod common;

use common::*;
use nangluc_core::employment::Category;
use nangluc_core::knowledge::Knowledge;
use nangluc_core::person::{Ethnicity, Sex};
use nangluc_core::qualification::QualificationKind as QK;
use nangluc_core::time::Validity;
use nangluc_core::training::*;
use nangluc_core::unit::{Sector, UnitKind, UnitLevel};
use nangluc_engine::result::TargetResult;
use nangluc_engine::{Plan, Snapshot, SnapshotBuilder, diff, evaluate};

#[test]
fn forecast_ages_people_and_counts_enrolled_courses() {
    let mut f = Fx::province();
    f.programme(100, "TH", Topic::It, TrainingKind::Retraining, None);
    for (p, born) in [(90, d(1986, 3, 1)), (91, d(1990, 1, 1)), (92, d(1986, 9, 1)), (93, d(1980, 1, 1))] {
        f.man(p, born);
        f.emp(p, 2, Category::CivilServant, Validity::since(d(2010, 1, 1)));
    }
    f.enrol(1, 91, 100, None, EnrolmentStatus::Enrolled, d(2025, 4, 1), d(2025, 5, 1));
    f.man(94, d(1964, 1, 1)); // past retirement age, row not yet closed
    f.emp(94, 2, Category::CivilServant, Validity::since(d(2010, 1, 1)));
    let plan = plan_with(
        r#"
[[groups.targets]]
id = "u40"
wording = "Dưới 40 tuổi được bồi dưỡng tin học"
kind = "ratio"
population = "category == civil_servant and age < 40"
criterion = "completed(topic: it)"
min = 50

[[groups.targets]]
id = "all"
wording = "Tất cả công chức"
kind = "ratio"
population = "category == civil_servant"
criterion = "true"
min = 100
"#,
    );
    let today = d(2025, 1, 1);
    let snap = Snapshot::build(&f.k, today);
    let at = |date| evaluate(&plan, &snap, date, None);
    let now = at(today);
    assert!(!now.forecast);
    assert_eq!((now.targets[0].population, now.targets[0].met), (3, 0));
    assert_eq!(now.targets[1].population, 5, "today's figure keeps the recorded employment");
    let june = at(d(2025, 6, 1));
    assert!(june.forecast);
    assert_eq!((june.targets[0].population, june.targets[0].met), (3, 1), "the enrolled course counts in the forecast");
    assert_eq!(june.targets[1].population, 4, "the forecast retires person 94");
    // Exactly those who turn 40 leave.
    assert_eq!(at(d(2026, 2, 28)).targets[0].population, 3);
    assert_eq!(at(d(2026, 3, 1)).targets[0].population, 2);
    assert_eq!(at(d(2026, 9, 1)).targets[0].population, 1);
    // Today's figure, read later with the course still "enrolled", does not count it.
    let later_snap = Snapshot::build(&f.k, d(2025, 6, 1));
    assert_eq!(evaluate(&plan, &later_snap, d(2025, 6, 1), None).targets[0].met, 0);
}

#[test]
fn a_reading_as_known_earlier_does_not_see_later_records() {
    let mut f = Fx::province();
    f.man(1, d(1990, 1, 1));
    f.emp(1, 2, Category::CivilServant, Validity::since(d(2015, 1, 1)));
    f.recorded = t(2025, 3, 1);
    f.qual(1, QK::Education, "dai_hoc", d(2014, 1, 1)); // true since 2014, recorded in March 2025
    let plan = plan_with(
        "[[groups.targets]]\nid = \"9\"\nwording = \"Đại học\"\nkind = \"ratio\"\ncriterion = \"education >= dai_hoc\"\nmin = 100\n",
    );
    let as_of = d(2024, 12, 31);
    let mut early = f.k.clone();
    early.known_at = Some(t(2025, 2, 1));
    assert_eq!(evaluate(&plan, &Snapshot::build(&early, as_of), as_of, None).targets[0].met, 0);
    assert_eq!(evaluate(&plan, &Snapshot::build(&f.k, as_of), as_of, None).targets[0].met, 1);
    // Streaming the rows through the sink gives the same snapshot.
    let mut b = SnapshotBuilder::new(Some(t(2025, 2, 1)));
    for r in f.k.qualifications.iter().cloned() {
        nangluc_core::KnowledgeSink::row(&mut b, nangluc_core::Versioned { row_id: r.row_id, id: r.id, valid: r.valid, recording: r.recording, data: nangluc_core::Fact::Qualification(r.data) });
    }
    assert_eq!(b.finish(as_of).qualifications.len(), 0);
}

#[test]
fn the_annex_need_of_46_splits_15_15_16() {
    let mut f = Fx::province();
    for p in 1..=272 {
        f.man(p, d(1975, 1, 1));
        f.emp(p, 2, Category::CivilServant, Validity::since(d(2010, 1, 1)));
        if p <= 22 {
            f.qual(p, QK::ForeignLanguage, "4", d(2020, 1, 1));
        }
    }
    let plan = plan_with(
        "[[groups.targets]]\nid = \"30a\"\nwording = \"Nhóm a\"\nkind = \"ratio\"\ncriterion = \"language_level >= 4\"\nmin = 25\nby = 2025\n",
    );
    let as_of = d(2023, 6, 5);
    let r = &evaluate(&plan, &Snapshot::build(&f.k, as_of), as_of, None).targets[0];
    assert_eq!((r.population, r.met, r.needed), (272, 22, 46));
    let split: Vec<(i32, u64)> = r.need_by_year.iter().map(|y| (y.year, y.count)).collect();
    assert_eq!(split, vec![(2023, 15), (2024, 15), (2025, 16)]);
}

#[test]
fn diff_lists_who_enters_and_leaves() {
    let mut f = Fx::province();
    for (p, born) in [(1, 1981), (2, 1987), (3, 1992)] {
        f.man(p, d(born, 1, 1));
        f.emp(p, 2, Category::CivilServant, Validity::since(d(2010, 1, 1)));
    }
    f.qual(3, QK::ForeignLanguage, "4", d(2020, 1, 1));
    let t = |age: u32| {
        format!("[[groups.targets]]\nid = \"16\"\nwording = \"NN\"\nkind = \"ratio\"\npopulation = \"age < {age}\"\ncriterion = \"language_level >= 4\"\nmin = 25\n")
    };
    let (old, new) = (plan_with(&t(40)), plan_with(&t(45)));
    let snap = Snapshot::build(&f.k, d(2025, 1, 1));
    let df = diff(&old, &new, &snap, d(2025, 1, 1));
    assert_eq!(df.changed.len(), 1);
    let c = &df.changed[0];
    assert_eq!(c.changed, vec!["population"]);
    assert_eq!(c.entered.iter().map(|p| p.person_id).collect::<Vec<_>>(), vec![1]);
    assert!(c.left.is_empty());
    assert_eq!((c.before.population, c.after.population), (2, 3));
    assert!(df.added.is_empty() && df.removed.is_empty());
}

#[test]
fn errors_point_at_the_line_and_column_in_vietnamese() {
    let src = "[plan]\nid = \"x\"\nname = \"K\"\nissuer = \"U\"\nperiod = [2021, 2025]\n\n[[groups]]\nid = \"g\"\nname = \"N\"\n\n[[groups.targets]]\nid = \"1\"\nwording = \"w\"\nkind = \"ratoi\"\n\n[[groups.targets]]\nid = \"2\"\nwording = \"w\"\nkind = \"ratio\"\ncriterion = \"langauge_level >= 4\"\nmin = 25\nthreshhold = 3\n";
    let errs = Plan::parse(src, "x.toml").unwrap_err();
    let msgs: Vec<String> = errs.iter().map(|e| e.to_string()).collect();
    assert!(msgs.iter().any(|m| m.starts_with("x.toml:14:8:") && m.contains("có phải 'ratio'")), "{msgs:#?}");
    assert!(
        msgs.iter().any(|m| m.starts_with("x.toml:20:14:") && m.contains("không biết thuộc tính 'langauge_level' — có phải 'language_level'?")),
        "{msgs:#?}"
    );
    assert!(msgs.iter().any(|m| m.starts_with("x.toml:22:1:") && m.contains("không biết khóa 'threshhold'")), "{msgs:#?}");
    assert_eq!(errs.len(), 3, "{msgs:#?}");
}

#[test]
fn every_shipped_plan_parses_and_checks() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../plans");
    let mut ids = Vec::new();
    let mut files = 0;
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "toml") {
            let src = std::fs::read_to_string(&path).unwrap();
            let name = path.file_name().unwrap().to_string_lossy().to_string();
            let plan = Plan::parse(&src, &name).unwrap_or_else(|e| panic!("{}", e.iter().map(|e| e.to_string()).collect::<Vec<_>>().join("\n")));
            assert!(plan.check().is_empty());
            files += 1;
            for t in &plan.targets {
                ids.push(t.id.clone());
            }
            // Evaluates without panicking, today and as a forecast.
            let world = random_world(7);
            let snap = Snapshot::build(&world.k, d(2024, 6, 30));
            for as_of in [d(2024, 6, 30), d(2026, 3, 1)] {
                let res = evaluate(&plan, &snap, as_of, None);
                assert_eq!(res.targets.len(), plan.targets.len());
                serde_json::to_string(&res).unwrap();
            }
            if name.starts_with("soc-trang") {
                assert!(!plan.duties.is_empty(), "the responsibility matrix");
            }
        }
    }
    assert_eq!(files, 5);
    // Every target of targets.md appears (46 and 47 as their own kinds; 47 as duties).
    for n in 1..=46 {
        assert!(ids.iter().any(|id| id == &n.to_string() || id.starts_with(&format!("{n}")) && !id[n.to_string().len()..].starts_with(|c: char| c.is_ascii_digit())), "target {n} missing");
    }
}


fn random_world(seed: u64) -> Fx {
    let mut g = Lcg(seed);
    let mut f = Fx::province();
    f.unit(6, "80-H2", UnitLevel::District, UnitKind::State, Sector::General, Some(1), false);
    f.programme(100, "DD", Topic::ProfessionalEthics, TrainingKind::Retraining, None);
    f.programme(101, "TH", Topic::It, TrainingKind::Retraining, None);
    let cats = [Category::CivilServant, Category::PublicEmployee, Category::CommuneCivilServant, Category::NonProfessional];
    for p in 1..=40 {
        f.recorded = t(2019 + g.next(7) as i32, 1 + g.next(12) as u32, 1);
        let sex = if g.next(2) == 0 { Sex::Male } else { Sex::Female };
        f.person(p, &format!("P{p}"), g.date(1965, 2000), sex, Ethnicity::from_code(1 + g.next(6) as u8).unwrap());
        let start = g.date(2015, 2025);
        let unit = 2 + g.next(5) as i64;
        let valid = if g.next(4) == 0 { Validity::between(start, g.date(2025, 2027)) } else { Validity::since(start) };
        if !valid.is_empty() {
            f.emp(p, unit, cats[g.next(4) as usize], valid);
        }
        for _ in 0..g.next(3) {
            f.qual(p, QK::ForeignLanguage, &(1 + g.next(6)).to_string(), g.date(2015, 2026));
        }
        for e in 0..g.next(4) {
            let s = g.date(2019, 2026);
            let status = [EnrolmentStatus::Completed, EnrolmentStatus::Enrolled, EnrolmentStatus::Withdrawn][g.next(3) as usize];
            f.enrol(p * 10 + e as i64, p, 100 + g.next(2) as i64, None, status, s, s + chrono::Duration::days(g.next(60) as i64));
        }
    }
    f
}

const PROPERTY_PLAN: &str = r#"
[[groups.targets]]
id = "r"
wording = "R"
kind = "ratio"
population = "age < 45"
criterion = "language_level >= 3"
min = 40

[[groups.targets]]
id = "y"
wording = "Y"
kind = "yearly"
population = "category in [civil_servant, public_employee]"
criterion = "completed(topic: professional_ethics, within: window)"
min = 60

[[groups.targets]]
id = "w"
wording = "W"
kind = "window"
months = 24
criterion = "completed(within: window)"

[[groups.targets]]
id = "q"
wording = "Q"
kind = "quota"
per_year = { min = 3 }
topics = ["it"]
"#;

fn figures(rs: &[TargetResult]) -> Vec<(u64, u64, Vec<(i32, u64, u64)>)> {
    rs.iter().map(|r| (r.population, r.met, r.per_year.iter().map(|y| (y.year, y.population, y.met)).collect())).collect()
}

#[test]
fn properties_over_random_workforces() {
    let plan = plan_with(PROPERTY_PLAN);
    for seed in 0..40u64 {
        let f = random_world(seed);
        let mut g = Lcg(seed ^ 0xabcdef);
        let as_of = g.date(2021, 2026);
        let snap = Snapshot::build(&f.k, d(2026, 12, 31));
        let res = evaluate(&plan, &snap, as_of, None);
        for r in &res.targets {
            if let Some(s) = r.share {
                assert!(s.num <= s.den, "share in [0, 1]");
            }
            if r.kind.is_ratio() && r.kind != nangluc_engine::Kind::Quota {
                // The top rows (roots and the unplaced row) sum to the whole.
                let ids: Vec<Option<i64>> = r.by_unit.iter().map(|u| u.unit_id).collect();
                let top: u64 = r.by_unit.iter().filter(|u| u.parent_id.is_none_or(|p| !ids.contains(&Some(p)))).map(|u| u.population).sum();
                assert_eq!(top, r.population, "seed {seed}: units sum to the province");
                let top_met: u64 = r.by_unit.iter().filter(|u| u.parent_id.is_none_or(|p| !ids.contains(&Some(p)))).map(|u| u.met).sum();
                assert_eq!(top_met, r.met);
                // Each unit = its own + its children.
                for u in &r.by_unit {
                    let kids: u64 = r.by_unit.iter().filter(|c| c.parent_id.is_some() && c.parent_id == u.unit_id).map(|c| c.population).sum();
                    assert_eq!(u.population, u.own_population + kids);
                }
            }
        }
        // Records valid only after the date change nothing.
        let cut = |k: &Knowledge| {
            let mut k = k.clone();
            k.qualifications.retain(|r| r.valid.from <= as_of);
            k.employments.retain(|r| r.valid.from <= as_of);
            k.enrolments.retain(|r| r.valid.from <= as_of);
            k.people.retain(|r| r.valid.from <= as_of);
            k
        };
        let snap_cut = Snapshot::build(&cut(&f.k), d(2026, 12, 31));
        assert_eq!(figures(&res.targets), figures(&evaluate(&plan, &snap_cut, as_of, None).targets), "seed {seed}");
        // A reading as known at a moment equals the rows recorded by then.
        let known = t(2022, 6, 1);
        let mut k1 = f.k.clone();
        k1.known_at = Some(known);
        let mut k2 = f.k.clone();
        k2.people.retain(|r| r.recording.recorded_at <= known);
        k2.employments.retain(|r| r.recording.recorded_at <= known);
        k2.qualifications.retain(|r| r.recording.recorded_at <= known);
        k2.enrolments.retain(|r| r.recording.recorded_at <= known);
        let a = evaluate(&plan, &Snapshot::build(&k1, d(2026, 12, 31)), as_of, None);
        let b = evaluate(&plan, &Snapshot::build(&k2, d(2026, 12, 31)), as_of, None);
        assert_eq!(figures(&a.targets), figures(&b.targets), "seed {seed}");
        let people_known: Vec<i64> = k2.people.iter().map(|r| r.id).collect();
        for r in &a.targets {
            assert!(r.missing.iter().all(|m| people_known.contains(&m.person_id)), "no later-recorded person appears");
        }
    }
}
