//! A larger bulk load, to watch speed and memory: `cargo test -p nangluc-store
//! --release --test bulk_scale -- --ignored --nocapture` (rows from
//! `NANGLUC_BULK_ROWS`, default 1,000,000; PostgreSQL from `NANGLUC_TEST_PG`).

use chrono::{NaiveDate, Utc};
use nangluc_core::employment::{Category, Employment};
use nangluc_core::person::{Ethnicity, PersonDetails, Sex};
use nangluc_core::{AsOf, Fact, Table, Validity};
use nangluc_store::{BulkRow, Store};

fn rows(n: i64) -> impl Iterator<Item = BulkRow> {
    let day = NaiveDate::from_ymd_opt(2020, 1, 1).unwrap();
    let now = Utc::now();
    (0..n).map(move |i| {
        let person = i / 2 + 1;
        let fact = if i % 2 == 0 {
            Fact::Person(PersonDetails {
                identity_number: format!("{:012}", person),
                family_name: "Nguyễn".into(),
                middle_name: "Văn".into(),
                given_name: ["An", "Bình", "Đào", "Ánh"][(person % 4) as usize].into(),
                birth_date: NaiveDate::from_ymd_opt(1980, 1, 1).unwrap(),
                sex: Sex::Female,
                ethnicity: Ethnicity::KINH,
            })
        } else {
            Fact::Employment(Employment {
                person_id: person,
                unit_id: person % 100 + 1,
                category: Category::CivilServant,
                rank: Some("01.003".into()),
                job_position_id: None,
                post: None,
                minority_area: false,
            })
        };
        BulkRow { id: person, valid: Validity::since(day), fact, recorded_at: now, superseded_at: None }
    })
}

fn load(mut store: Store) {
    let n: i64 = std::env::var("NANGLUC_BULK_ROWS").ok().and_then(|s| s.parse().ok()).unwrap_or(1_000_000);
    let started = std::time::Instant::now();
    let loaded = store.bulk_load("bench", "Nạp thử quy mô lớn", rows(n), &mut |_| {}).unwrap();
    let load = started.elapsed();
    let started = std::time::Instant::now();
    let stats = store.stats(&AsOf::date(NaiveDate::from_ymd_opt(2025, 1, 1).unwrap())).unwrap();
    println!(
        "{}: {loaded} rows loaded in {:.1} s ({:.0} rows/s); stats in {:.1} s, {} employed",
        store.backend_name(),
        load.as_secs_f64(),
        loaded as f64 / load.as_secs_f64(),
        started.elapsed().as_secs_f64(),
        stats.employed
    );
    assert_eq!(store.count(Table::People).unwrap(), (n + 1) / 2);
    assert_eq!(stats.employed, n / 2);
}

#[test]
#[ignore = "large: run explicitly"]
fn sqlite_bulk_load_at_scale() {
    let path = std::env::temp_dir().join(format!("nangluc-bulk-{}.db", std::process::id()));
    load(Store::open(path.to_str().unwrap()).unwrap());
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
    }
}

#[test]
#[ignore = "large: run explicitly"]
fn postgres_bulk_load_at_scale() {
    let url = std::env::var("NANGLUC_TEST_PG").unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/test".into());
    let schema = format!("bulk_{}", std::process::id());
    load(Store::open_pg_in_schema(&url, &schema).unwrap());
    let mut c = postgres::Client::connect(&url, postgres::NoTls).unwrap();
    c.batch_execute(&format!("DROP SCHEMA {schema} CASCADE")).unwrap();
}
