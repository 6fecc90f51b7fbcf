//! Schema migrations: one set of SQL files for both engines, applied in order
//! when a store is opened, each in its own transaction.

use chrono::Utc;

use crate::StoreError;
use crate::backend::{Backend, Result};
use crate::value::{Value, truncate_micros};

pub(crate) struct Migration {
    pub version: i64,
    pub name: &'static str,
    pub sql: &'static str,
}

/// Append only: a released migration never changes, the next one fixes it.
pub(crate) const MIGRATIONS: &[Migration] = &[
    Migration { version: 1, name: "init", sql: include_str!("../migrations/0001_init.sql") },
    Migration { version: 2, name: "accounts", sql: include_str!("../migrations/0002_accounts.sql") },
    Migration { version: 3, name: "classes", sql: include_str!("../migrations/0003_classes.sql") },
    Migration { version: 4, name: "annual_plans", sql: include_str!("../migrations/0004_annual_plans.sql") },
    Migration { version: 5, name: "account_events", sql: include_str!("../migrations/0005_account_events.sql") },
    Migration { version: 6, name: "people_search_index", sql: include_str!("../migrations/0006_people_search_index.sql") },
    Migration { version: 7, name: "planning_config", sql: include_str!("../migrations/0007_planning_config.sql") },
    Migration { version: 8, name: "period_plans", sql: include_str!("../migrations/0008_period_plans.sql") },
    Migration { version: 9, name: "service_commitments", sql: include_str!("../migrations/0009_service_commitments.sql") },
];

pub(crate) fn run(db: &mut dyn Backend) -> Result<()> {
    db.lock_migrations(true)?;
    let result = apply_pending(db);
    let unlocked = db.lock_migrations(false);
    result.and(unlocked)
}

fn apply_pending(db: &mut dyn Backend) -> Result<()> {
    let dialect = db.dialect();
    db.batch(&dialect.expand(
        "CREATE TABLE IF NOT EXISTS schema_migrations (
            version BIGINT PRIMARY KEY,
            name TEXT NOT NULL,
            applied_at {ts} NOT NULL
        )",
    ))?;
    let mut applied = Vec::new();
    for row in db.query("SELECT version FROM schema_migrations", &[])? {
        applied.push(row.get_i64(0)?);
    }
    for m in MIGRATIONS.iter().filter(|m| !applied.contains(&m.version)) {
        db.begin()?;
        let step = db.batch(&dialect.expand(m.sql)).and_then(|()| {
            db.execute(
                "INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)",
                &[Value::Int(m.version), m.name.into(), truncate_micros(Utc::now()).into()],
            )
        });
        match step {
            Ok(_) => db.commit()?,
            Err(e) => {
                let _ = db.rollback();
                return Err(StoreError::Migration { version: m.version, name: m.name, source: Box::new(e) });
            }
        }
    }
    Ok(())
}
