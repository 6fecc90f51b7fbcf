//! Annual training plans: a unit's plan for a year with its lines and the
//! people it intends to send, its history of events (who moved it, when, with
//! which comment), and the province's plan aggregated from the accepted ones.
//!
//! The store keeps states as codes and knows nothing of which move is allowed
//! (the planning crate's rules, checked by the web's service). It makes each
//! move safe: a status change names the status it expects, so two officers
//! acting on the same plan cannot both succeed; every multi-row change is one
//! transaction.

use chrono::{DateTime, Utc};

use crate::backend::Backend;
use crate::value::{Row, Value, truncate_micros};
use crate::{Result, Store, StoreError};

/// A unit's annual plan as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AnnualPlanRow {
    pub id: i64,
    pub unit_id: i64,
    pub year: i32,
    /// Status code (planning's `PlanStatus`).
    pub status: String,
    pub submitted_at: Option<DateTime<Utc>>,
    pub late: bool,
    pub province_plan_id: Option<i64>,
    pub created_at: DateTime<Utc>,
    pub created_by: String,
    pub updated_at: DateTime<Utc>,
}

/// Costs of a line by funding source, in đồng.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Costs {
    pub state_budget: i64,
    pub unit: i64,
    pub learner: i64,
    pub sponsor: i64,
}

impl Costs {
    pub fn total(&self) -> i64 {
        self.state_budget + self.unit + self.learner + self.sponsor
    }
}

/// A line of a unit's plan.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlanLineRow {
    pub id: i64,
    pub plan_id: i64,
    pub programme: String,
    pub target_id: Option<String>,
    pub classes: i64,
    pub person_times: i64,
    pub costs: Costs,
    pub note: Option<String>,
    /// The people the unit intends to send, by id.
    pub people: Vec<i64>,
}

/// A line to add.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct NewPlanLine {
    pub programme: String,
    pub target_id: Option<String>,
    pub classes: i64,
    pub person_times: i64,
    pub costs: Costs,
    pub note: Option<String>,
    pub people: Vec<i64>,
}

/// One entry of a plan's history.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlanEventRow {
    pub id: i64,
    pub plan_id: i64,
    pub at: DateTime<Utc>,
    pub actor: String,
    /// created, line_added, line_removed, submitted, returned, accepted, aggregated, approved.
    pub action: String,
    pub from_status: Option<String>,
    pub to_status: String,
    pub comment: Option<String>,
}

/// Who makes a change and when.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stamp {
    pub actor: String,
    pub at: DateTime<Utc>,
}

impl Stamp {
    pub fn new(actor: impl Into<String>, at: DateTime<Utc>) -> Stamp {
        Stamp { actor: actor.into(), at: truncate_micros(at) }
    }
}

/// A move of a plan from one status to another.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatusMove<'a> {
    pub from: &'a str,
    pub to: &'a str,
    pub action: &'a str,
    pub comment: Option<&'a str>,
    /// A submission: its lateness is recorded with the time.
    pub submission_late: Option<bool>,
}

/// The province's plan for a year.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProvincePlanRow {
    pub id: i64,
    pub year: i32,
    /// aggregated or approved.
    pub status: String,
    pub aggregated_at: DateTime<Utc>,
    pub aggregated_by: String,
    pub approved_at: Option<DateTime<Utc>>,
    pub approved_by: Option<String>,
    pub decision: Option<String>,
    pub lines: Vec<ProvinceLineRow>,
}

/// A programme's totals in the province's plan.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ProvinceLineRow {
    pub programme: String,
    pub units: i64,
    pub classes: i64,
    pub person_times: i64,
    pub costs: Costs,
}

/// The tables of migration 4, children before parents.
pub(crate) const WORKFLOW_TABLES: &[&str] = &[
    "compensations",
    "service_commitments",
    "duty_comments",
    "duty_files",
    "duty_updates",
    "duties",
    "budget_settlements",
    "budget_spendings",
    "budget_commitments",
    "budget_allocations",
    "annual_plan_people",
    "annual_plan_events",
    "annual_plan_lines",
    "annual_plans",
    "province_plan_lines",
    "province_plans",
];

const PLAN_COLUMNS: &str =
    "id, unit_id, year, status, submitted_at, late, province_plan_id, created_at, created_by, updated_at";

fn plan_row(r: &Row) -> Result<AnnualPlanRow> {
    Ok(AnnualPlanRow {
        id: r.get_i64(0)?,
        unit_id: r.get_i64(1)?,
        year: year_of(r.get_i64(2)?)?,
        status: r.get_str(3)?.to_owned(),
        submitted_at: r.opt_ts(4)?,
        late: r.get_bool(5)?,
        province_plan_id: r.opt_i64(6)?,
        created_at: r.get_ts(7)?,
        created_by: r.get_str(8)?.to_owned(),
        updated_at: r.get_ts(9)?,
    })
}

pub(crate) fn year_of(y: i64) -> Result<i32> {
    i32::try_from(y).map_err(|_| StoreError::Decode(format!("năm không hợp lệ: {y}")))
}

fn costs_at(r: &Row, i: usize) -> Result<Costs> {
    Ok(Costs {
        state_budget: r.get_i64(i)?,
        unit: r.get_i64(i + 1)?,
        learner: r.get_i64(i + 2)?,
        sponsor: r.get_i64(i + 3)?,
    })
}

fn insert_event(
    db: &mut dyn Backend,
    plan_id: i64,
    stamp: &Stamp,
    action: &str,
    from: Option<&str>,
    to: &str,
    comment: Option<&str>,
) -> Result<()> {
    db.execute(
        "INSERT INTO annual_plan_events (plan_id, at, actor, action, from_status, to_status, comment)
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
        &[
            plan_id.into(),
            stamp.at.into(),
            stamp.actor.as_str().into(),
            action.into(),
            from.into(),
            to.into(),
            comment.into(),
        ],
    )?;
    Ok(())
}

fn plan_status(db: &mut dyn Backend, plan_id: i64) -> Result<String> {
    match db.query_opt("SELECT status FROM annual_plans WHERE id = $1", &[plan_id.into()])? {
        Some(r) => Ok(r.get_str(0)?.to_owned()),
        None => Err(StoreError::EntityNotFound { table: "annual_plans", id: plan_id }),
    }
}

impl Store {
    /// Creates a unit's draft plan for a year; gives its id. One plan per
    /// unit and year: a second is refused.
    pub fn create_annual_plan(&mut self, unit_id: i64, year: i32, stamp: &Stamp) -> Result<i64> {
        self.transaction(|db| {
            if db
                .query_opt("SELECT id FROM annual_plans WHERE unit_id = $1 AND year = $2", &[unit_id.into(), i64::from(year).into()])?
                .is_some()
            {
                return Err(StoreError::Conflict(format!(
                    "đơn vị đã có kế hoạch đào tạo, bồi dưỡng năm {year}"
                )));
            }
            let id = db
                .query_one(
                    "INSERT INTO annual_plans (unit_id, year, status, late, created_at, created_by, updated_at)
                     VALUES ($1, $2, 'draft', $3, $4, $5, $4) RETURNING id",
                    &[unit_id.into(), i64::from(year).into(), false.into(), stamp.at.into(), stamp.actor.as_str().into()],
                )?
                .get_i64(0)?;
            insert_event(db, id, stamp, "created", None, "draft", None)?;
            Ok(id)
        })
    }

    pub fn annual_plan(&mut self, id: i64) -> Result<Option<AnnualPlanRow>> {
        let sql = format!("SELECT {PLAN_COLUMNS} FROM annual_plans WHERE id = $1");
        self.db.query_opt(&sql, &[id.into()])?.map(|r| plan_row(&r)).transpose()
    }

    pub fn annual_plan_for(&mut self, unit_id: i64, year: i32) -> Result<Option<AnnualPlanRow>> {
        let sql = format!("SELECT {PLAN_COLUMNS} FROM annual_plans WHERE unit_id = $1 AND year = $2");
        self.db
            .query_opt(&sql, &[unit_id.into(), i64::from(year).into()])?
            .map(|r| plan_row(&r))
            .transpose()
    }

    /// The unit plans of a year (every year when `None`), by year then unit.
    pub fn annual_plans(&mut self, year: Option<i32>) -> Result<Vec<AnnualPlanRow>> {
        let (sql, params): (String, Vec<Value>) = match year {
            Some(y) => (
                format!("SELECT {PLAN_COLUMNS} FROM annual_plans WHERE year = $1 ORDER BY year, unit_id"),
                vec![i64::from(y).into()],
            ),
            None => (format!("SELECT {PLAN_COLUMNS} FROM annual_plans ORDER BY year, unit_id"), vec![]),
        };
        self.db.query(&sql, &params)?.iter().map(plan_row).collect()
    }

    /// The lines of a plan with their intended people, in the order added.
    pub fn plan_lines(&mut self, plan_id: i64) -> Result<Vec<PlanLineRow>> {
        let rows = self.db.query(
            "SELECT id, plan_id, programme, target_id, classes, person_times,
                    cost_state_budget, cost_unit, cost_learner, cost_sponsor, note
             FROM annual_plan_lines WHERE plan_id = $1 ORDER BY id",
            &[plan_id.into()],
        )?;
        let mut lines = Vec::with_capacity(rows.len());
        for r in &rows {
            lines.push(PlanLineRow {
                id: r.get_i64(0)?,
                plan_id: r.get_i64(1)?,
                programme: r.get_str(2)?.to_owned(),
                target_id: r.opt_str(3)?.map(str::to_owned),
                classes: r.get_i64(4)?,
                person_times: r.get_i64(5)?,
                costs: costs_at(r, 6)?,
                note: r.opt_str(10)?.map(str::to_owned),
                people: Vec::new(),
            });
        }
        let people = self.db.query(
            "SELECT p.line_id, p.person_id FROM annual_plan_people p
             JOIN annual_plan_lines l ON l.id = p.line_id
             WHERE l.plan_id = $1 ORDER BY p.line_id, p.person_id",
            &[plan_id.into()],
        )?;
        for r in &people {
            let (line, person) = (r.get_i64(0)?, r.get_i64(1)?);
            if let Some(l) = lines.iter_mut().find(|l| l.id == line) {
                l.people.push(person);
            }
        }
        Ok(lines)
    }

    /// Adds a line to a plan while it is in one of `editable` statuses; gives its id.
    pub fn add_plan_line(&mut self, plan_id: i64, line: &NewPlanLine, editable: &[&str], stamp: &Stamp) -> Result<i64> {
        self.transaction(|db| {
            let status = plan_status(db, plan_id)?;
            if !editable.contains(&status.as_str()) {
                return Err(StoreError::Conflict(format!("kế hoạch đang ở trạng thái '{status}', không sửa được")));
            }
            let c = line.costs;
            let id = db
                .query_one(
                    "INSERT INTO annual_plan_lines (plan_id, programme, target_id, classes, person_times,
                        cost_state_budget, cost_unit, cost_learner, cost_sponsor, note)
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id",
                    &[
                        plan_id.into(),
                        line.programme.as_str().into(),
                        line.target_id.clone().into(),
                        line.classes.into(),
                        line.person_times.into(),
                        c.state_budget.into(),
                        c.unit.into(),
                        c.learner.into(),
                        c.sponsor.into(),
                        line.note.clone().into(),
                    ],
                )?
                .get_i64(0)?;
            let mut people = line.people.clone();
            people.sort_unstable();
            people.dedup();
            for p in people {
                db.execute(
                    "INSERT INTO annual_plan_people (line_id, person_id) VALUES ($1, $2)",
                    &[id.into(), p.into()],
                )?;
            }
            db.execute("UPDATE annual_plans SET updated_at = $1 WHERE id = $2", &[stamp.at.into(), plan_id.into()])?;
            let what = format!("{}: {} lớp, {} lượt người", line.programme, line.classes, line.person_times);
            insert_event(db, plan_id, stamp, "line_added", Some(&status), &status, Some(&what))?;
            Ok(id)
        })
    }

    /// Removes a line (and its people) while the plan is in one of `editable` statuses.
    pub fn remove_plan_line(&mut self, plan_id: i64, line_id: i64, editable: &[&str], stamp: &Stamp) -> Result<()> {
        self.transaction(|db| {
            let status = plan_status(db, plan_id)?;
            if !editable.contains(&status.as_str()) {
                return Err(StoreError::Conflict(format!("kế hoạch đang ở trạng thái '{status}', không sửa được")));
            }
            let Some(r) = db.query_opt(
                "SELECT programme FROM annual_plan_lines WHERE id = $1 AND plan_id = $2",
                &[line_id.into(), plan_id.into()],
            )?
            else {
                return Err(StoreError::EntityNotFound { table: "annual_plan_lines", id: line_id });
            };
            let programme = r.get_str(0)?.to_owned();
            db.execute("DELETE FROM annual_plan_people WHERE line_id = $1", &[line_id.into()])?;
            db.execute("DELETE FROM annual_plan_lines WHERE id = $1", &[line_id.into()])?;
            db.execute("UPDATE annual_plans SET updated_at = $1 WHERE id = $2", &[stamp.at.into(), plan_id.into()])?;
            insert_event(db, plan_id, stamp, "line_removed", Some(&status), &status, Some(&programme))?;
            Ok(())
        })
    }

    /// Moves a plan from `m.from` to `m.to`, with its event, in one
    /// transaction. Fails with [`StoreError::Conflict`] when the plan is no
    /// longer in `m.from` (someone else moved it first).
    pub fn move_annual_plan(&mut self, plan_id: i64, m: &StatusMove<'_>, stamp: &Stamp) -> Result<()> {
        self.transaction(|db| {
            let changed = match m.submission_late {
                Some(late) => db.execute(
                    "UPDATE annual_plans SET status = $1, updated_at = $2, submitted_at = $2,
                        late = (late OR $3) WHERE id = $4 AND status = $5",
                    &[m.to.into(), stamp.at.into(), late.into(), plan_id.into(), m.from.into()],
                )?,
                None => db.execute(
                    "UPDATE annual_plans SET status = $1, updated_at = $2 WHERE id = $3 AND status = $4",
                    &[m.to.into(), stamp.at.into(), plan_id.into(), m.from.into()],
                )?,
            };
            if changed == 0 {
                let now = plan_status(db, plan_id)?;
                return Err(StoreError::Conflict(format!(
                    "kế hoạch đang ở trạng thái '{now}', không còn ở trạng thái '{}'",
                    m.from
                )));
            }
            insert_event(db, plan_id, stamp, m.action, Some(m.from), m.to, m.comment)
        })
    }

    /// A plan's history, oldest first.
    pub fn plan_events(&mut self, plan_id: i64) -> Result<Vec<PlanEventRow>> {
        let rows = self.db.query(
            "SELECT id, plan_id, at, actor, action, from_status, to_status, comment
             FROM annual_plan_events WHERE plan_id = $1 ORDER BY id",
            &[plan_id.into()],
        )?;
        rows.iter()
            .map(|r| {
                Ok(PlanEventRow {
                    id: r.get_i64(0)?,
                    plan_id: r.get_i64(1)?,
                    at: r.get_ts(2)?,
                    actor: r.get_str(3)?.to_owned(),
                    action: r.get_str(4)?.to_owned(),
                    from_status: r.opt_str(5)?.map(str::to_owned),
                    to_status: r.get_str(6)?.to_owned(),
                    comment: r.opt_str(7)?.map(str::to_owned),
                })
            })
            .collect()
    }

    /// Stores the province's plan for a year from the accepted unit plans
    /// `included` (each moved from `accepted` to `aggregated`, with its event),
    /// all in one transaction. Aggregating again before approval replaces the
    /// lines and adds the newly accepted plans; an approved plan is final.
    pub fn aggregate_province_plan(
        &mut self,
        year: i32,
        lines: &[ProvinceLineRow],
        included: &[i64],
        stamp: &Stamp,
    ) -> Result<i64> {
        self.transaction(|db| {
            let y: Value = i64::from(year).into();
            let id = match db.query_opt("SELECT id, status FROM province_plans WHERE year = $1", std::slice::from_ref(&y))? {
                Some(r) if r.get_str(1)? == "approved" => {
                    return Err(StoreError::Conflict(format!("kế hoạch năm {year} của tỉnh đã được phê duyệt")));
                }
                Some(r) => {
                    let id = r.get_i64(0)?;
                    db.execute(
                        "UPDATE province_plans SET aggregated_at = $1, aggregated_by = $2 WHERE id = $3",
                        &[stamp.at.into(), stamp.actor.as_str().into(), id.into()],
                    )?;
                    db.execute("DELETE FROM province_plan_lines WHERE province_plan_id = $1", &[id.into()])?;
                    id
                }
                None => db
                    .query_one(
                        "INSERT INTO province_plans (year, status, aggregated_at, aggregated_by)
                         VALUES ($1, 'aggregated', $2, $3) RETURNING id",
                        &[y.clone(), stamp.at.into(), stamp.actor.as_str().into()],
                    )?
                    .get_i64(0)?,
            };
            for l in lines {
                let c = l.costs;
                db.execute(
                    "INSERT INTO province_plan_lines (province_plan_id, programme, units, classes, person_times,
                        cost_state_budget, cost_unit, cost_learner, cost_sponsor)
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
                    &[
                        id.into(),
                        l.programme.as_str().into(),
                        l.units.into(),
                        l.classes.into(),
                        l.person_times.into(),
                        c.state_budget.into(),
                        c.unit.into(),
                        c.learner.into(),
                        c.sponsor.into(),
                    ],
                )?;
            }
            for &plan_id in included {
                let changed = db.execute(
                    "UPDATE annual_plans SET status = 'aggregated', province_plan_id = $1, updated_at = $2
                     WHERE id = $3 AND year = $4 AND status = 'accepted'",
                    &[id.into(), stamp.at.into(), plan_id.into(), y.clone()],
                )?;
                if changed == 0 {
                    return Err(StoreError::Conflict(format!(
                        "kế hoạch số {plan_id} không còn ở trạng thái đã tiếp nhận của năm {year}"
                    )));
                }
                insert_event(db, plan_id, stamp, "aggregated", Some("accepted"), "aggregated", None)?;
            }
            Ok(id)
        })
    }

    /// The province's plan for a year, with its lines by programme.
    pub fn province_plan(&mut self, year: i32) -> Result<Option<ProvincePlanRow>> {
        let Some(r) = self.db.query_opt(
            "SELECT id, year, status, aggregated_at, aggregated_by, approved_at, approved_by, decision
             FROM province_plans WHERE year = $1",
            &[i64::from(year).into()],
        )?
        else {
            return Ok(None);
        };
        let mut p = ProvincePlanRow {
            id: r.get_i64(0)?,
            year: year_of(r.get_i64(1)?)?,
            status: r.get_str(2)?.to_owned(),
            aggregated_at: r.get_ts(3)?,
            aggregated_by: r.get_str(4)?.to_owned(),
            approved_at: r.opt_ts(5)?,
            approved_by: r.opt_str(6)?.map(str::to_owned),
            decision: r.opt_str(7)?.map(str::to_owned),
            lines: Vec::new(),
        };
        for r in self.db.query(
            "SELECT programme, units, classes, person_times, cost_state_budget, cost_unit, cost_learner, cost_sponsor
             FROM province_plan_lines WHERE province_plan_id = $1 ORDER BY programme",
            &[p.id.into()],
        )? {
            p.lines.push(ProvinceLineRow {
                programme: r.get_str(0)?.to_owned(),
                units: r.get_i64(1)?,
                classes: r.get_i64(2)?,
                person_times: r.get_i64(3)?,
                costs: costs_at(&r, 4)?,
            });
        }
        Ok(Some(p))
    }

    /// Approves the province's plan and every unit plan aggregated into it,
    /// in one transaction.
    pub fn approve_province_plan(&mut self, year: i32, decision: Option<&str>, stamp: &Stamp) -> Result<()> {
        self.transaction(|db| {
            let Some(r) = db.query_opt("SELECT id, status FROM province_plans WHERE year = $1", &[i64::from(year).into()])?
            else {
                return Err(StoreError::Conflict(format!("chưa tổng hợp kế hoạch năm {year} của tỉnh")));
            };
            let (id, status) = (r.get_i64(0)?, r.get_str(1)?.to_owned());
            if status != "aggregated" {
                return Err(StoreError::Conflict(format!("kế hoạch năm {year} của tỉnh đã được phê duyệt")));
            }
            db.execute(
                "UPDATE province_plans SET status = 'approved', approved_at = $1, approved_by = $2, decision = $3 WHERE id = $4",
                &[stamp.at.into(), stamp.actor.as_str().into(), decision.into(), id.into()],
            )?;
            let plans: Vec<i64> = db
                .query(
                    "SELECT id FROM annual_plans WHERE province_plan_id = $1 AND status = 'aggregated' ORDER BY id",
                    &[id.into()],
                )?
                .iter()
                .map(|r| r.get_i64(0))
                .collect::<Result<_>>()?;
            for plan_id in plans {
                db.execute(
                    "UPDATE annual_plans SET status = 'approved', updated_at = $1 WHERE id = $2",
                    &[stamp.at.into(), plan_id.into()],
                )?;
                insert_event(db, plan_id, stamp, "approved", Some("aggregated"), "approved", decision)?;
            }
            Ok(())
        })
    }
}
