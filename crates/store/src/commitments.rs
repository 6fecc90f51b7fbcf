//! Commitments to serve after state-funded postgraduate training, and the
//! compensation owed by those who leave early. The rules (which decree, T1,
//! the amount) are the planning crate's; the store keeps what was decided,
//! with the rule's parameters frozen as JSON, once each: a learner commits
//! once for a class, a commitment is compensated once and paid once.

use chrono::NaiveDate;

use crate::annual::Stamp;
use crate::value::{Row, Value};
use crate::{Result, Store, StoreError};

/// A commitment to record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewServiceCommitment {
    pub person_id: i64,
    /// The unit that sent the person.
    pub unit_id: Option<i64>,
    /// Category code on the posting day.
    pub category: String,
    pub class_id: Option<i64>,
    pub course: String,
    pub institution: String,
    /// Education level code of the degree.
    pub degree_level: String,
    pub decision: Option<String>,
    pub posted_on: NaiveDate,
    pub course_starts_on: NaiveDate,
    pub course_ends_on: NaiveDate,
    pub training_months: i64,
    /// F, đồng.
    pub cost: i64,
    /// `None`: not known yet.
    pub degree_obtained: Option<bool>,
    pub prior_service_years: i64,
    pub female: bool,
    pub ethnic_minority: bool,
    /// CompensationRule code and its parameters (JSON), frozen.
    pub rule: String,
    pub params: String,
    /// T1.
    pub months_committed: i64,
    pub serve_until: NaiveDate,
    pub note: Option<String>,
}

/// What a person leaving early owes, as computed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewCompensation {
    pub left_on: NaiveDate,
    /// DepartureReason code.
    pub reason: String,
    /// T2.
    pub months_served: i64,
    pub gross: i64,
    pub reduction_bp: i64,
    pub amount: i64,
    /// The working, one line per step.
    pub working: Vec<String>,
    pub note: Option<String>,
}

/// A payment of a compensation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CompensationPaid {
    pub on: NaiveDate,
    pub document: Option<String>,
    pub stamp: Stamp,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CompensationRow {
    pub id: i64,
    pub compensation: NewCompensation,
    pub stamp: Stamp,
    pub paid: Option<CompensationPaid>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServiceCommitmentRow {
    pub id: i64,
    pub commitment: NewServiceCommitment,
    pub stamp: Stamp,
    pub compensation: Option<CompensationRow>,
}

const COLUMNS: &str = "c.id, c.person_id, c.unit_id, c.category, c.class_id, c.course, c.institution, c.degree_level,
    c.decision, c.posted_on, c.course_starts_on, c.course_ends_on, c.training_months, c.cost, c.degree_obtained,
    c.prior_service_years, c.female, c.ethnic_minority, c.rule, c.params, c.months_committed, c.serve_until, c.note,
    c.recorded_at, c.recorded_by,
    k.id, k.left_on, k.reason, k.months_served, k.gross, k.reduction_bp, k.amount, k.working, k.note,
    k.recorded_at, k.recorded_by, k.paid_on, k.paid_document, k.paid_recorded_at, k.paid_by";

fn opt_bool(r: &Row, i: usize) -> Result<Option<bool>> {
    match r.get(i) {
        Value::Null => Ok(None),
        _ => r.get_bool(i).map(Some),
    }
}

fn commitment_row(r: &Row) -> Result<ServiceCommitmentRow> {
    let compensation = match r.opt_i64(25)? {
        None => None,
        Some(id) => Some(CompensationRow {
            id,
            compensation: NewCompensation {
                left_on: r.get_date(26)?,
                reason: r.get_str(27)?.to_owned(),
                months_served: r.get_i64(28)?,
                gross: r.get_i64(29)?,
                reduction_bp: r.get_i64(30)?,
                amount: r.get_i64(31)?,
                working: r.get_str(32)?.lines().map(str::to_owned).collect(),
                note: r.opt_str(33)?.map(str::to_owned),
            },
            stamp: Stamp {
                at: r.get_ts(34)?,
                actor: r.get_str(35)?.to_owned(),
            },
            paid: match r.opt_date(36)? {
                None => None,
                Some(on) => Some(CompensationPaid {
                    on,
                    document: r.opt_str(37)?.map(str::to_owned),
                    stamp: Stamp {
                        at: r.get_ts(38)?,
                        actor: r.get_str(39)?.to_owned(),
                    },
                }),
            },
        }),
    };
    Ok(ServiceCommitmentRow {
        id: r.get_i64(0)?,
        commitment: NewServiceCommitment {
            person_id: r.get_i64(1)?,
            unit_id: r.opt_i64(2)?,
            category: r.get_str(3)?.to_owned(),
            class_id: r.opt_i64(4)?,
            course: r.get_str(5)?.to_owned(),
            institution: r.get_str(6)?.to_owned(),
            degree_level: r.get_str(7)?.to_owned(),
            decision: r.opt_str(8)?.map(str::to_owned),
            posted_on: r.get_date(9)?,
            course_starts_on: r.get_date(10)?,
            course_ends_on: r.get_date(11)?,
            training_months: r.get_i64(12)?,
            cost: r.get_i64(13)?,
            degree_obtained: opt_bool(r, 14)?,
            prior_service_years: r.get_i64(15)?,
            female: r.get_bool(16)?,
            ethnic_minority: r.get_bool(17)?,
            rule: r.get_str(18)?.to_owned(),
            params: r.get_str(19)?.to_owned(),
            months_committed: r.get_i64(20)?,
            serve_until: r.get_date(21)?,
            note: r.opt_str(22)?.map(str::to_owned),
        },
        stamp: Stamp {
            at: r.get_ts(23)?,
            actor: r.get_str(24)?.to_owned(),
        },
        compensation,
    })
}

impl Store {
    /// Records a commitment; gives its id. A learner already committed for
    /// the same class is refused.
    pub fn add_service_commitment(
        &mut self,
        c: &NewServiceCommitment,
        stamp: &Stamp,
    ) -> Result<i64> {
        self.transaction(|db| {
            if let Some(class_id) = c.class_id
                && db
                    .query_opt(
                        "SELECT id FROM service_commitments WHERE class_id = $1 AND person_id = $2",
                        &[class_id.into(), c.person_id.into()],
                    )?
                    .is_some()
            {
                return Err(StoreError::Conflict(format!(
                    "người số {} đã có cam kết phục vụ cho lớp số {class_id}",
                    c.person_id
                )));
            }
            db.query_one(
                "INSERT INTO service_commitments (person_id, unit_id, category, class_id, course, institution, degree_level,
                    decision, posted_on, course_starts_on, course_ends_on, training_months, cost, degree_obtained,
                    prior_service_years, female, ethnic_minority, rule, params, months_committed, serve_until, note,
                    recorded_at, recorded_by)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $23, $24)
                 RETURNING id",
                &[
                    c.person_id.into(),
                    c.unit_id.into(),
                    c.category.as_str().into(),
                    c.class_id.into(),
                    c.course.as_str().into(),
                    c.institution.as_str().into(),
                    c.degree_level.as_str().into(),
                    c.decision.clone().into(),
                    c.posted_on.into(),
                    c.course_starts_on.into(),
                    c.course_ends_on.into(),
                    c.training_months.into(),
                    c.cost.into(),
                    c.degree_obtained.into(),
                    c.prior_service_years.into(),
                    c.female.into(),
                    c.ethnic_minority.into(),
                    c.rule.as_str().into(),
                    c.params.as_str().into(),
                    c.months_committed.into(),
                    c.serve_until.into(),
                    c.note.clone().into(),
                    stamp.at.into(),
                    stamp.actor.as_str().into(),
                ],
            )?
            .get_i64(0)
        })
    }

    /// Commitments with their compensation, if any: a person's, or everyone's
    /// (`None`), in the order recorded.
    pub fn service_commitments(
        &mut self,
        person_id: Option<i64>,
    ) -> Result<Vec<ServiceCommitmentRow>> {
        let (filter, params): (&str, Vec<Value>) = match person_id {
            Some(p) => (" WHERE c.person_id = $1", vec![p.into()]),
            None => ("", vec![]),
        };
        let sql = format!(
            "SELECT {COLUMNS} FROM service_commitments c LEFT JOIN compensations k ON k.commitment_id = c.id{filter} ORDER BY c.id"
        );
        self.db
            .query(&sql, &params)?
            .iter()
            .map(commitment_row)
            .collect()
    }

    pub fn service_commitment(&mut self, id: i64) -> Result<Option<ServiceCommitmentRow>> {
        let sql = format!(
            "SELECT {COLUMNS} FROM service_commitments c LEFT JOIN compensations k ON k.commitment_id = c.id WHERE c.id = $1"
        );
        self.db
            .query_opt(&sql, &[id.into()])?
            .map(|r| commitment_row(&r))
            .transpose()
    }

    /// Records what a person leaving early owes, once per commitment, and
    /// whether the degree was obtained when the departure says so.
    pub fn record_compensation(
        &mut self,
        commitment_id: i64,
        k: &NewCompensation,
        degree_obtained: Option<bool>,
        stamp: &Stamp,
    ) -> Result<i64> {
        self.transaction(|db| {
            if db.query_opt("SELECT id FROM service_commitments WHERE id = $1", &[commitment_id.into()])?.is_none() {
                return Err(StoreError::EntityNotFound { table: "service_commitments", id: commitment_id });
            }
            if db.query_opt("SELECT id FROM compensations WHERE commitment_id = $1", &[commitment_id.into()])?.is_some() {
                return Err(StoreError::Conflict(format!(
                    "cam kết số {commitment_id} đã được tính đền bù"
                )));
            }
            if let Some(obtained) = degree_obtained {
                db.execute(
                    "UPDATE service_commitments SET degree_obtained = $1 WHERE id = $2",
                    &[obtained.into(), commitment_id.into()],
                )?;
            }
            db.query_one(
                "INSERT INTO compensations (commitment_id, left_on, reason, months_served, gross, reduction_bp, amount, working,
                    note, recorded_at, recorded_by)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id",
                &[
                    commitment_id.into(),
                    k.left_on.into(),
                    k.reason.as_str().into(),
                    k.months_served.into(),
                    k.gross.into(),
                    k.reduction_bp.into(),
                    k.amount.into(),
                    k.working.join("\n").into(),
                    k.note.clone().into(),
                    stamp.at.into(),
                    stamp.actor.as_str().into(),
                ],
            )?
            .get_i64(0)
        })
    }

    /// Records that a compensation was paid; once.
    pub fn mark_compensation_paid(
        &mut self,
        commitment_id: i64,
        on: NaiveDate,
        document: Option<&str>,
        stamp: &Stamp,
    ) -> Result<()> {
        self.transaction(|db| {
            let Some(r) =
                db.query_opt("SELECT id, paid_on FROM compensations WHERE commitment_id = $1", &[commitment_id.into()])?
            else {
                return Err(StoreError::Conflict(format!(
                    "cam kết số {commitment_id} chưa có khoản đền bù"
                )));
            };
            if r.opt_date(1)?.is_some() {
                return Err(StoreError::Conflict(format!(
                    "khoản đền bù của cam kết số {commitment_id} đã được ghi nộp"
                )));
            }
            db.execute(
                "UPDATE compensations SET paid_on = $1, paid_document = $2, paid_recorded_at = $3, paid_by = $4
                 WHERE commitment_id = $5",
                &[on.into(), document.into(), stamp.at.into(), stamp.actor.as_str().into(), commitment_id.into()],
            )?;
            Ok(())
        })
    }
}
