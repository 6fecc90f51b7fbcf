//! Properties of the generated province.

use std::collections::{HashMap, HashSet};

use chrono::NaiveDate;
use nangluc_core::employment::{Category, REFORM_2025};
use nangluc_core::person::Sex;
use nangluc_core::{Fact, Table};

use crate::{generate, BulkRow, DemoConfig, Generator};

fn config(people: u64, seed: u64) -> DemoConfig {
    DemoConfig { people, seed, ..DemoConfig::default() }
}

fn rows(people: u64, seed: u64) -> Vec<BulkRow> {
    generate(&config(people, seed)).collect()
}

#[test]
fn same_seed_same_rows_other_seed_other_rows() {
    let a = rows(300, 7);
    assert_eq!(a, rows(300, 7));
    assert_ne!(a, rows(300, 8));
}

#[test]
fn as_many_people_as_asked() {
    for n in [100, 2_000] {
        let people: HashSet<i64> = rows(n, 1).iter().filter(|r| matches!(r.fact, Fact::Person(_))).map(|r| r.id).collect();
        let diff = (people.len() as f64 - n as f64).abs() / n as f64;
        assert!(diff <= 0.05, "{} people for {n}", people.len());
        assert_eq!(people.iter().min(), Some(&1));
    }
}

#[test]
fn rows_are_well_formed_and_refer_to_earlier_rows() {
    let rows = rows(3_000, 3);
    let mut seen: HashMap<Table, HashSet<i64>> = HashMap::new();
    let mut identities: HashMap<String, i64> = HashMap::new();
    // Current rows of one entity never overlap in valid time.
    let mut current: HashMap<(Table, i64), Vec<(NaiveDate, Option<NaiveDate>)>> = HashMap::new();
    let has = |seen: &HashMap<Table, HashSet<i64>>, t: Table, id: i64| seen.get(&t).is_some_and(|s| s.contains(&id));
    for r in &rows {
        assert!(!r.valid.is_empty(), "empty validity: {r:?}");
        if let Some(s) = r.superseded_at {
            assert!(s > r.recorded_at, "superseded before recorded: {r:?}");
        }
        match &r.fact {
            Fact::Employment(e) => {
                assert!(has(&seen, Table::Units, e.unit_id), "employment in unknown unit {r:?}");
                assert!(has(&seen, Table::People, e.person_id));
                assert!(has(&seen, Table::JobPositions, e.job_position_id.unwrap()));
                // Categories only while they exist in law.
                assert!(e.category.in_force_on(r.valid.from), "{r:?}");
                if matches!(e.category, Category::CommuneCadre | Category::CommuneCivilServant) {
                    assert!(r.valid.to.is_some_and(|t| t <= REFORM_2025), "commune category after the reform: {r:?}");
                }
            }
            Fact::Enrolment(e) => {
                assert!(has(&seen, Table::Programmes, e.programme_id));
                assert!(has(&seen, Table::People, e.person_id));
                if let Some(c) = e.class_id {
                    assert!(has(&seen, Table::Classes, c), "enrolment before its class {r:?}");
                }
                assert!(has(&seen, Table::Units, e.nominated_by.unwrap()));
                assert!(e.starts_on <= e.ends_on);
            }
            Fact::Qualification(q) => {
                if let Some(e) = q.enrolment_id {
                    assert!(has(&seen, Table::Enrolments, e));
                }
                assert_eq!(r.valid.from, q.obtained_on);
            }
            Fact::Class(c) => {
                assert!(has(&seen, Table::Programmes, c.programme_id));
                assert!(has(&seen, Table::Institutions, c.institution_id));
            }
            Fact::Role(role) => assert!(has(&seen, Table::People, role.person_id)),
            Fact::UnitChange(c) => {
                assert!(has(&seen, Table::Units, c.unit_id));
                if let Some(s) = c.successor_id {
                    assert!(has(&seen, Table::Units, s));
                }
            }
            Fact::Unit(u) => {
                if let Some(p) = u.parent_id {
                    assert!(has(&seen, Table::Units, p) || p > r.id, "parent {p} of {}", r.id);
                }
                // Numeric codes are administrative codes; others are internal.
                if u.code.bytes().all(|b| b.is_ascii_digit()) {
                    nangluc_core::unit::check_admin_code(u.level, &u.code).unwrap();
                }
            }
            Fact::Person(p) => {
                nangluc_core::person::check_identity_number(&p.identity_number).unwrap();
                let other = identities.insert(p.identity_number.clone(), r.id);
                assert!(other.is_none_or(|o| o == r.id), "identity {} used twice", p.identity_number);
            }
            Fact::PositionRequirement(q) => assert!(has(&seen, Table::JobPositions, q.position_id)),
            Fact::Lecturer(l) => assert!(has(&seen, Table::Institutions, l.institution_id)),
            _ => {}
        }
        seen.entry(r.fact.table()).or_default().insert(r.id);
        if r.superseded_at.is_none() {
            let spans = current.entry((r.fact.table(), r.id)).or_default();
            for (from, to) in spans.iter() {
                assert!(!r.valid.overlaps(*from, *to), "overlapping current rows of {:?} {}", r.fact.table(), r.id);
            }
            spans.push((r.valid.from, r.valid.to));
        }
    }
    // Ids start at 1 and are dense for entities with one table each.
    for t in [Table::People, Table::Enrolments, Table::Classes, Table::Units] {
        let ids = &seen[&t];
        assert_eq!(ids.len() as i64, *ids.iter().max().unwrap(), "{t:?} ids are 1..n");
    }
    // Superseded rows have their replacement.
    for r in rows.iter().filter(|r| r.superseded_at.is_some()) {
        assert!(current.contains_key(&(r.fact.table(), r.id)));
    }
}

#[test]
fn old_units_end_at_the_reform_with_a_recorded_change() {
    let rows = rows(100, 1);
    let changed: HashSet<i64> = rows.iter().filter_map(|r| match &r.fact {
        Fact::UnitChange(c) => Some(c.unit_id),
        _ => None,
    }).collect();
    let mut last: HashMap<i64, Option<NaiveDate>> = HashMap::new();
    for r in rows.iter().filter(|r| r.superseded_at.is_none() && matches!(r.fact, Fact::Unit(_))) {
        let e = last.entry(r.id).or_insert(Some(NaiveDate::MIN));
        if e.is_some_and(|d| r.valid.to.is_none_or(|t| t > d)) {
            *e = r.valid.to;
        }
    }
    let ended: Vec<_> = last.iter().filter(|(_, t)| t.is_some()).collect();
    assert!(ended.len() > 800, "{} units ended", ended.len());
    for (id, to) in ended {
        assert_eq!(*to, Some(REFORM_2025));
        assert!(changed.contains(id), "unit {id} ends without a change");
    }
    let new_communes = rows.iter().filter(|r| matches!(&r.fact, Fact::Unit(u) if u.level == nangluc_core::unit::UnitLevel::Commune && u.kind == nangluc_core::unit::UnitKind::State && r.valid.from == REFORM_2025)).count();
    assert!((85..=110).contains(&new_communes), "{new_communes} new communes");
}

#[test]
fn shares_are_realistic() {
    let config = config(10_000, 2025);
    let today = config.today;
    let mut persons = 0;
    let mut women = 0;
    let mut minority = 0;
    let mut enrolments = 0;
    let mut category: HashMap<i64, Category> = HashMap::new();
    for r in generate(&config).filter(|r| r.superseded_at.is_none()) {
        match &r.fact {
            Fact::Person(p) => {
                persons += 1;
                women += usize::from(p.sex == Sex::Female);
                minority += usize::from(p.ethnicity.is_minority());
            }
            Fact::Enrolment(_) => enrolments += 1,
            Fact::Employment(e) if r.valid.contains(today) => {
                category.insert(e.person_id, e.category);
            }
            _ => {}
        }
    }
    let share = |n: usize, of: usize| 100.0 * n as f64 / of as f64;
    let w = share(women, persons);
    assert!((45.0..=65.0).contains(&w), "women {w:.1} %");
    let m = share(minority, persons);
    assert!((2.0..=10.0).contains(&m), "minority {m:.1} %");
    let pe = share(category.values().filter(|c| **c == Category::PublicEmployee).count(), category.len());
    assert!((60.0..=85.0).contains(&pe), "public employees {pe:.1} %");
    let per = enrolments as f64 / persons as f64;
    assert!((8.0..=12.0).contains(&per), "{per:.2} enrolments a person");
}

#[test]
fn state_does_not_grow_with_people() {
    // 200,000 people stream through; what the generator holds stays bounded
    // by the catalogue (class buckets) and birth cohorts (identity serials).
    let mut g = Generator::new(config(200_000, 9));
    let mut people = 0u64;
    let mut enrolments = 0u64;
    for r in g.by_ref() {
        match r.fact {
            Fact::Person(_) if r.superseded_at.is_none() => people += 1,
            Fact::Enrolment(_) => enrolments += 1,
            _ => {}
        }
    }
    assert_eq!(people, 200_000);
    assert!(enrolments > 1_500_000);
    let (buckets, serials) = g.people.held();
    assert!(buckets <= g.world.progs.len() * 10 * 2, "{buckets} class buckets");
    assert!(serials <= 100 * 4 * 100, "{serials} serial counters");
    assert!(g.buffer.is_empty());
}
