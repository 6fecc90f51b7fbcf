//! The budget ledger: allocations per unit, source and year; commitments when
//! a class is approved; spendings and the settlement when it ends. Amounts
//! are whole đồng. The arithmetic (splits, settlement, variance) is the
//! planning crate's; the store keeps the rows, once each: a class is
//! committed once and settled once.

use chrono::NaiveDate;

use crate::annual::{Stamp, year_of};
use crate::value::{Row, Value};
use crate::{Result, Store, StoreError};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AllocationRow {
    pub id: i64,
    pub year: i32,
    pub unit_id: i64,
    /// FundingSource code.
    pub source: String,
    pub programme: Option<String>,
    pub amount: i64,
    pub note: Option<String>,
    pub stamp: Stamp,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewAllocation {
    pub year: i32,
    pub unit_id: i64,
    pub source: String,
    pub programme: Option<String>,
    pub amount: i64,
    pub note: Option<String>,
}

/// A commitment or a spending: money of a unit from a source for a class.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LedgerEntry {
    pub class_id: i64,
    pub programme: String,
    pub year: i32,
    pub unit_id: i64,
    pub source: String,
    pub on: NaiveDate,
    pub amount: i64,
    /// Spendings: the voucher paid against.
    pub document: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LedgerEntryRow {
    pub id: i64,
    pub entry: LedgerEntry,
    pub stamp: Stamp,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SettlementRow {
    pub class_id: i64,
    pub year: i32,
    pub settled_on: NaiveDate,
    pub committed: i64,
    pub spent: i64,
    pub released: i64,
    pub overrun: i64,
    pub message: String,
}

/// The ledger's rows for a year (every year when `None`).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct LedgerRows {
    pub allocations: Vec<AllocationRow>,
    pub commitments: Vec<LedgerEntryRow>,
    pub spendings: Vec<LedgerEntryRow>,
    pub settlements: Vec<(SettlementRow, Stamp)>,
}

fn entry_row(r: &Row) -> Result<LedgerEntryRow> {
    Ok(LedgerEntryRow {
        id: r.get_i64(0)?,
        entry: LedgerEntry {
            class_id: r.get_i64(1)?,
            programme: r.get_str(2)?.to_owned(),
            year: year_of(r.get_i64(3)?)?,
            unit_id: r.get_i64(4)?,
            source: r.get_str(5)?.to_owned(),
            on: r.get_date(6)?,
            amount: r.get_i64(7)?,
            document: r.opt_str(8)?.map(str::to_owned),
        },
        stamp: Stamp { at: r.get_ts(9)?, actor: r.get_str(10)?.to_owned() },
    })
}

fn year_filter(year: Option<i32>) -> (&'static str, Vec<Value>) {
    match year {
        Some(y) => (" WHERE year = $1", vec![i64::from(y).into()]),
        None => ("", vec![]),
    }
}

impl Store {
    pub fn add_allocation(&mut self, a: &NewAllocation, stamp: &Stamp) -> Result<i64> {
        self.db
            .query_one(
                "INSERT INTO budget_allocations (year, unit_id, source, programme, amount, note, recorded_at, recorded_by)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
                &[
                    i64::from(a.year).into(),
                    a.unit_id.into(),
                    a.source.as_str().into(),
                    a.programme.clone().into(),
                    a.amount.into(),
                    a.note.clone().into(),
                    stamp.at.into(),
                    stamp.actor.as_str().into(),
                ],
            )?
            .get_i64(0)
    }

    /// Records the commitments of an approved class, all or none. A class
    /// already committed is refused.
    pub fn commit_class(&mut self, class_id: i64, entries: &[LedgerEntry], stamp: &Stamp) -> Result<()> {
        self.transaction(|db| {
            if db.query_opt("SELECT id FROM budget_commitments WHERE class_id = $1", &[class_id.into()])?.is_some() {
                return Err(StoreError::Conflict(format!("kinh phí của lớp {class_id} đã được cam kết")));
            }
            for e in entries {
                db.execute(
                    "INSERT INTO budget_commitments (class_id, programme, year, unit_id, source, on_day, amount, recorded_at, recorded_by)
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
                    &[
                        class_id.into(),
                        e.programme.as_str().into(),
                        i64::from(e.year).into(),
                        e.unit_id.into(),
                        e.source.as_str().into(),
                        e.on.into(),
                        e.amount.into(),
                        stamp.at.into(),
                        stamp.actor.as_str().into(),
                    ],
                )?;
            }
            Ok(())
        })
    }

    /// The commitments of a class.
    pub fn class_commitments(&mut self, class_id: i64) -> Result<Vec<LedgerEntryRow>> {
        self.db
            .query(
                "SELECT id, class_id, programme, year, unit_id, source, on_day, amount, CAST(NULL AS TEXT), recorded_at, recorded_by
                 FROM budget_commitments WHERE class_id = $1 ORDER BY id",
                &[class_id.into()],
            )?
            .iter()
            .map(entry_row)
            .collect()
    }

    /// Records what a finished class spent and its settlement, all or none.
    /// A class is settled once.
    pub fn settle_class(&mut self, spendings: &[LedgerEntry], s: &SettlementRow, stamp: &Stamp) -> Result<()> {
        self.transaction(|db| {
            if db.query_opt("SELECT class_id FROM budget_settlements WHERE class_id = $1", &[s.class_id.into()])?.is_some() {
                return Err(StoreError::Conflict(format!("lớp {} đã được quyết toán", s.class_id)));
            }
            for e in spendings {
                db.execute(
                    "INSERT INTO budget_spendings (class_id, programme, year, unit_id, source, on_day, amount, document, recorded_at, recorded_by)
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
                    &[
                        e.class_id.into(),
                        e.programme.as_str().into(),
                        i64::from(e.year).into(),
                        e.unit_id.into(),
                        e.source.as_str().into(),
                        e.on.into(),
                        e.amount.into(),
                        e.document.clone().into(),
                        stamp.at.into(),
                        stamp.actor.as_str().into(),
                    ],
                )?;
            }
            db.execute(
                "INSERT INTO budget_settlements (class_id, year, settled_on, committed, spent, released, overrun, message, recorded_at, recorded_by)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
                &[
                    s.class_id.into(),
                    i64::from(s.year).into(),
                    s.settled_on.into(),
                    s.committed.into(),
                    s.spent.into(),
                    s.released.into(),
                    s.overrun.into(),
                    s.message.as_str().into(),
                    stamp.at.into(),
                    stamp.actor.as_str().into(),
                ],
            )?;
            Ok(())
        })
    }

    /// Every row of the ledger for a year (every year when `None`).
    pub fn ledger(&mut self, year: Option<i32>) -> Result<LedgerRows> {
        let (filter, params) = year_filter(year);
        let mut out = LedgerRows::default();
        for r in self.db.query(
            &format!(
                "SELECT id, year, unit_id, source, programme, amount, note, recorded_at, recorded_by
                 FROM budget_allocations{filter} ORDER BY id"
            ),
            &params,
        )? {
            out.allocations.push(AllocationRow {
                id: r.get_i64(0)?,
                year: year_of(r.get_i64(1)?)?,
                unit_id: r.get_i64(2)?,
                source: r.get_str(3)?.to_owned(),
                programme: r.opt_str(4)?.map(str::to_owned),
                amount: r.get_i64(5)?,
                note: r.opt_str(6)?.map(str::to_owned),
                stamp: Stamp { at: r.get_ts(7)?, actor: r.get_str(8)?.to_owned() },
            });
        }
        out.commitments = self
            .db
            .query(
                &format!(
                    "SELECT id, class_id, programme, year, unit_id, source, on_day, amount, CAST(NULL AS TEXT), recorded_at, recorded_by
                     FROM budget_commitments{filter} ORDER BY id"
                ),
                &params,
            )?
            .iter()
            .map(entry_row)
            .collect::<Result<_>>()?;
        out.spendings = self
            .db
            .query(
                &format!(
                    "SELECT id, class_id, programme, year, unit_id, source, on_day, amount, document, recorded_at, recorded_by
                     FROM budget_spendings{filter} ORDER BY id"
                ),
                &params,
            )?
            .iter()
            .map(entry_row)
            .collect::<Result<_>>()?;
        for r in self.db.query(
            &format!(
                "SELECT class_id, year, settled_on, committed, spent, released, overrun, message, recorded_at, recorded_by
                 FROM budget_settlements{filter} ORDER BY class_id"
            ),
            &params,
        )? {
            out.settlements.push((
                SettlementRow {
                    class_id: r.get_i64(0)?,
                    year: year_of(r.get_i64(1)?)?,
                    settled_on: r.get_date(2)?,
                    committed: r.get_i64(3)?,
                    spent: r.get_i64(4)?,
                    released: r.get_i64(5)?,
                    overrun: r.get_i64(6)?,
                    message: r.get_str(7)?.to_owned(),
                },
                Stamp { at: r.get_ts(8)?, actor: r.get_str(9)?.to_owned() },
            ));
        }
        Ok(out)
    }
}
