//! The evaluation takes the people a block of 1,024 at a time and runs the
//! tests as bit sets (`and` narrowing the set, `or` leaving out those already
//! in, completed courses listed once per block). Its counts must equal a plain
//! reading of the same expressions person by person, on dates in the past, the
//! present and a forecast, across block boundaries.

mod common;

use std::sync::Arc;

use common::*;
use nangluc_core::employment::{Category, PostRank};
use nangluc_core::person::{Ethnicity, Sex};
use nangluc_core::qualification::QualificationKind as QK;
use nangluc_core::role::RoleKind;
use nangluc_core::time::Validity;
use nangluc_core::training::*;
use nangluc_core::unit::{Sector, UnitKind, UnitLevel};
use nangluc_engine::expr::compile::{Frame, compile};
use nangluc_engine::{Kind, Snapshot, evaluate};

/// `n` people over five units: some leave, some hold posts (appointed on a
/// date, or with the date missing), some are planned for a post; language
/// levels; courses of three topics in several states, some enrolments in two
/// versions (enrolled, then completed or withdrawn).
fn world(seed: u64, n: i64) -> Fx {
    let mut g = Lcg(seed);
    let mut f = Fx::province();
    f.unit(6, "80-H2", UnitLevel::District, UnitKind::State, Sector::General, Some(1), false);
    f.programme(100, "DD", Topic::ProfessionalEthics, TrainingKind::Retraining, None);
    f.programme(101, "TH", Topic::It, TrainingKind::Retraining, None);
    f.programme(102, "QL", Topic::Leadership, TrainingKind::Retraining, None);
    let cats = [Category::CivilServant, Category::PublicEmployee, Category::CommuneCivilServant, Category::Cadre];
    for p in 1..=n {
        let sex = if g.next(2) == 0 { Sex::Male } else { Sex::Female };
        f.person(p, &format!("P{p}"), g.date(1962, 2001), sex, Ethnicity::from_code(1 + g.next(3) as u8).unwrap());
        let start = g.date(2012, 2025);
        let unit = 2 + g.next(5) as i64;
        let valid = if g.next(5) == 0 { Validity::between(start, g.date(2024, 2027)) } else { Validity::since(start) };
        if valid.is_empty() {
            continue;
        }
        let post = match g.next(4) {
            0 => Some(Fx::post("truong_phong", PostRank::Division, Some(g.date(2019, 2026)))),
            1 if g.next(3) == 0 => Some(Fx::post("pho_truong_phong", PostRank::Division, None)),
            _ => None,
        };
        f.emp_full(p, unit, cats[g.next(4) as usize], valid, None, post);
        if g.next(6) == 0 {
            let approved = g.date(2020, 2025);
            f.role(p, RoleKind::SuccessionPlanning, None, Some("truong_phong"), Some(approved), Validity::since(approved));
        }
        for _ in 0..g.next(3) {
            f.qual(p, QK::ForeignLanguage, &(1 + g.next(6)).to_string(), g.date(2015, 2026));
        }
        for e in 0..g.next(6) {
            let id = p * 10 + e as i64;
            let s = g.date(2019, 2027);
            let ends = s + chrono::Duration::days(g.next(90) as i64);
            let prog = 100 + g.next(3) as i64;
            match g.next(4) {
                0 => f.enrol(id, p, prog, None, EnrolmentStatus::Enrolled, s, ends),
                1 => f.enrol(id, p, prog, None, EnrolmentStatus::Withdrawn, s, ends),
                _ => f.enrol(id, p, prog, None, EnrolmentStatus::Completed, s, ends),
            }
            if g.next(5) == 0 {
                // A later version of the same enrolment: the course was undone or redone.
                let status = if g.next(2) == 0 { EnrolmentStatus::Withdrawn } else { EnrolmentStatus::Completed };
                f.enrol(id, p, prog, None, status, s, ends + chrono::Duration::days(30));
            }
        }
    }
    f
}

const PLAN: &str = r#"
[[groups.targets]]
id = "age-language-or-it"
wording = "R"
kind = "ratio"
population = "age < 45 and not category in [public_employee]"
criterion = "language_level >= 3 or completed(topic: it, within: last_months(18))"
min = 40

[[groups.targets]]
id = "leaders-ethics-or-planned"
wording = "R"
kind = "ratio"
population = "is_leader or planned_for"
criterion = "completed(topic: [professional_ethics, leadership], within: this_year) or (sex == female and not completed(topic: it))"
min = 50

[[groups.targets]]
id = "after-appointment"
wording = "E"
kind = "after_event"
event = "appointment"
months = 24
events_from = "2018-01-01"
population = "is_leader"
criterion = "completed(topic: leadership, within: window)"
min = 100

[[groups.targets]]
id = "rolling"
wording = "W"
kind = "window"
months = 24
population = "level in [province, district] or category in [commune_civil_servant]"
criterion = "completed(within: window) and not completed(topic: leadership, within: between(\"2021-01-01\", \"2022-06-30\"))"
min = 30

[[groups.targets]]
id = "yearly"
wording = "Y"
kind = "yearly"
population = "category in [civil_servant, cadre]"
criterion = "completed(topic: professional_ethics, within: window)"
min = 60
"#;

#[test]
fn block_evaluation_counts_as_person_by_person() {
    let plan = plan_with(PLAN);
    for (seed, n) in [(1u64, 2_500i64), (7, 1_030)] {
        let f = world(seed, n);
        let snap = Snapshot::build(&f.k, d(2026, 6, 30));
        for as_of in [d(2022, 3, 15), d(2024, 12, 31), d(2026, 6, 30), d(2027, 9, 1)] {
            let res = evaluate(&plan, &snap, as_of, None);
            let frame = Frame::new(&snap, as_of, Arc::new(snap.tree_at(nangluc_engine::snapshot::day(as_of))));
            for (t, r) in plan.targets.iter().zip(&res.targets) {
                if !matches!(t.kind, Kind::Ratio | Kind::Window) {
                    continue;
                }
                let pop = compile(&t.population.as_ref().unwrap().node, &snap);
                let crit = compile(&t.criterion.as_ref().unwrap().node, &snap);
                let (mut population, mut met) = (0u64, 0u64);
                for p in 0..snap.people() as u32 {
                    let pa = frame.person(p);
                    if frame.in_base(&pa) && pop(&frame, &pa) {
                        population += 1;
                        met += crit(&frame, &pa) as u64;
                    }
                }
                assert!(population > 100, "{}: a population worth comparing ({population})", t.id);
                assert_eq!((r.population, r.met), (population, met), "seed {seed}, {} as of {as_of}", t.id);
                let missing = if r.missing.is_empty() { 0 } else { r.missing.len() as u64 };
                assert_eq!(missing, population - met, "one missing row per person not meeting {}", t.id);
            }
            // The yearly target and the event target are checked on the same
            // people through their totals: every person counted once.
            let e = &res.targets[2];
            assert_eq!(e.population, e.by_unit.iter().filter(|u| u.parent_id.is_none()).map(|u| u.population).sum::<u64>());
        }
    }
}
