//! Prints what a demo generation contains: `cargo run --release -p nangluc-demo --example stats -- 40000`.

use std::collections::{BTreeMap, HashMap};
use std::time::Instant;

use nangluc_core::employment::Category;
use nangluc_core::person::Sex;
use nangluc_core::Fact;
use nangluc_demo::{generate, DemoConfig};

fn main() {
    let people: u64 = std::env::args().nth(1).and_then(|s| s.parse().ok()).unwrap_or(40_000);
    let config = DemoConfig { people, ..DemoConfig::default() };
    let today = config.today;
    let start = Instant::now();
    let mut rows = 0u64;
    let mut tables: BTreeMap<&str, u64> = BTreeMap::new();
    let mut women = 0u64;
    let mut minority = 0u64;
    let mut persons = 0u64;
    let mut cat_today: HashMap<i64, Category> = HashMap::new();
    let mut cat_before: HashMap<i64, Category> = HashMap::new();
    let mut posts_today = 0u64;
    let mut enrolments = 0u64;
    let mut superseded = 0u64;
    let mut roles: BTreeMap<String, u64> = BTreeMap::new();
    // Leaders (head of division and up) today, with birth date and best language level.
    let mut birth: HashMap<i64, chrono::NaiveDate> = HashMap::new();
    let mut leaders: HashMap<i64, bool> = HashMap::new();
    let mut language: HashMap<i64, u8> = HashMap::new();
    let mut llct: HashMap<i64, u8> = HashMap::new();
    let before = nangluc_core::employment::REFORM_2025 - chrono::Duration::days(1);
    for r in generate(&config) {
        rows += 1;
        *tables.entry(r.fact.table().name()).or_default() += 1;
        if r.superseded_at.is_some() {
            superseded += 1;
            continue;
        }
        match &r.fact {
            Fact::Person(p) => {
                persons += 1;
                women += u64::from(p.sex == Sex::Female);
                minority += u64::from(p.ethnicity.is_minority());
                birth.insert(r.id, p.birth_date);
            }
            Fact::Employment(e) => {
                if r.valid.contains(today) {
                    cat_today.insert(e.person_id, e.category);
                    posts_today += u64::from(e.post.is_some());
                    if let Some(p) = &e.post {
                        leaders.insert(e.person_id, p.rank >= nangluc_core::employment::PostRank::Department);
                    }
                }
                if r.valid.contains(before) {
                    cat_before.insert(e.person_id, e.category);
                }
            }
            Fact::Enrolment(_) => enrolments += 1,
            Fact::Qualification(q) if q.obtained_on <= today => {
                let rank = q.level().map_or(0, |l| l.rank);
                let m = match q.kind {
                    nangluc_core::qualification::QualificationKind::ForeignLanguage => &mut language,
                    nangluc_core::qualification::QualificationKind::PoliticalTheory => &mut llct,
                    _ => continue,
                };
                let e = m.entry(q.person_id).or_default();
                *e = (*e).max(rank);
            }
            Fact::Role(role) if r.valid.contains(today) => *roles.entry(format!("{:?} {:?}", role.kind, role.term)).or_default() += 1,
            _ => {}
        }
    }
    let secs = start.elapsed().as_secs_f64();
    println!("{people} people: {rows} rows in {secs:.1} s ({:.0} rows/s)", rows as f64 / secs);
    println!("tables: {tables:?}  superseded rows: {superseded}");
    println!("persons {persons}, women {:.1} %, minority {:.1} %", 100.0 * women as f64 / persons as f64, 100.0 * minority as f64 / persons as f64);
    println!("enrolments per person {:.2}", enrolments as f64 / persons as f64);
    for (label, m) in [("on 30/06/2025", &cat_before), ("today", &cat_today)] {
        let mut c: BTreeMap<String, u64> = BTreeMap::new();
        for v in m.values() {
            *c.entry(v.code().to_string()).or_default() += 1;
        }
        let n = m.len() as f64;
        println!("employed {label}: {} — {}", m.len(), c.iter().map(|(k, v)| format!("{k} {v} ({:.1} %)", 100.0 * *v as f64 / n)).collect::<Vec<_>>().join(", "));
    }
    println!("post holders today: {posts_today} ({:.1} % of employed)", 100.0 * posts_today as f64 / cat_today.len() as f64);
    println!("roles today: {roles:?}");
    for (label, dept) in [("division", false), ("department and up", true)] {
        let group: Vec<i64> = leaders.iter().filter(|(_, d)| **d == dept).map(|(p, _)| *p).collect();
        let young: Vec<i64> = group.iter().copied().filter(|p| nangluc_core::time::age_on(birth[p], today) < 40).collect();
        let l4 = |ps: &[i64]| ps.iter().filter(|p| language.get(p).copied().unwrap_or(0) >= 4).count();
        let cc = group.iter().filter(|p| llct.get(p).copied().unwrap_or(0) >= 3).count();
        println!(
            "leaders at {label} rank: {} (under 40: {}); language level >= 4: {:.1} % (under 40: {:.1} %); political theory cao cấp: {:.1} %",
            group.len(), young.len(),
            100.0 * l4(&group) as f64 / group.len().max(1) as f64,
            100.0 * l4(&young) as f64 / young.len().max(1) as f64,
            100.0 * cc as f64 / group.len().max(1) as f64,
        );
    }
}
