//! What the proposed training plan needs as configuration — cost norms,
//! programme offers, institutions' capacity, which programme closes which
//! target — and the drafts people edit (migration 7).
//!
//! The store keeps codes and amounts as given and knows nothing of their
//! meaning (planning's `CostItem`, `StudyForm`… are the web's to check). A
//! draft is JSON the store does not read; an edit names the version it saw.

use chrono::{DateTime, NaiveDate, Utc};

use crate::annual::{Stamp, year_of};
use crate::backend::Backend;
use crate::value::{Row, Value};
use crate::{Result, Store, StoreError};

/// Every table of migration 7, children before parents (for `reset`).
pub(crate) const PLANNING_TABLES: &[&str] =
    &["proposal_events", "proposals", "target_programmes", "institution_capacity", "programme_offers", "cost_norms"];

/// A cost norm to record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewCostNorm {
    /// The province whose resolution sets it; `None`: the national norm.
    pub issuer: Option<String>,
    /// A StudyForm code; `None`: every form.
    pub form: Option<String>,
    /// A CostItem code.
    pub item: String,
    /// A CostBasis code.
    pub basis: String,
    /// Đồng per unit of the basis.
    pub amount: i64,
    pub valid_from: NaiveDate,
    pub valid_to: Option<NaiveDate>,
    pub source: String,
    pub unverified: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CostNormRow {
    pub id: i64,
    pub norm: NewCostNorm,
    pub stamp: Stamp,
}

/// How a programme is run when proposed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OfferRow {
    pub programme: String,
    /// A StudyForm code.
    pub form: String,
    pub sessions: i64,
    pub study_days: i64,
    pub duration_days: i64,
    /// Institution codes, preferred first.
    pub institutions: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CapacityRow {
    pub institution: String,
    pub classes_per_year: i64,
    /// The province whose cost norms apply.
    pub province: Option<String>,
}

/// A saved draft.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProposalRow {
    pub id: i64,
    pub plan_id: String,
    pub year: i32,
    pub horizon: i32,
    /// The web's JSON.
    pub draft: String,
    pub version: i64,
    pub created_at: DateTime<Utc>,
    pub created_by: String,
    pub updated_at: DateTime<Utc>,
    pub updated_by: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProposalEventRow {
    pub id: i64,
    pub at: DateTime<Utc>,
    pub actor: String,
    /// created, moved, dropped, funded, adopted.
    pub action: String,
    pub detail: String,
}

const NORM_COLUMNS: &str =
    "id, issuer, form, item, basis, amount, valid_from, valid_to, source, unverified, recorded_at, recorded_by";

fn norm_row(r: &Row) -> Result<CostNormRow> {
    Ok(CostNormRow {
        id: r.get_i64(0)?,
        norm: NewCostNorm {
            issuer: r.opt_str(1)?.map(str::to_owned),
            form: r.opt_str(2)?.map(str::to_owned),
            item: r.get_str(3)?.to_owned(),
            basis: r.get_str(4)?.to_owned(),
            amount: r.get_i64(5)?,
            valid_from: r.get_date(6)?,
            valid_to: r.opt_date(7)?,
            source: r.get_str(8)?.to_owned(),
            unverified: r.get_bool(9)?,
        },
        stamp: Stamp { at: r.get_ts(10)?, actor: r.get_str(11)?.to_owned() },
    })
}

const PROPOSAL_COLUMNS: &str =
    "id, plan_id, year, horizon, draft, version, created_at, created_by, updated_at, updated_by";

fn proposal_row(r: &Row) -> Result<ProposalRow> {
    Ok(ProposalRow {
        id: r.get_i64(0)?,
        plan_id: r.get_str(1)?.to_owned(),
        year: year_of(r.get_i64(2)?)?,
        horizon: year_of(r.get_i64(3)?)?,
        draft: r.get_str(4)?.to_owned(),
        version: r.get_i64(5)?,
        created_at: r.get_ts(6)?,
        created_by: r.get_str(7)?.to_owned(),
        updated_at: r.get_ts(8)?,
        updated_by: r.get_str(9)?.to_owned(),
    })
}

fn insert_event(db: &mut dyn Backend, id: i64, stamp: &Stamp, action: &str, detail: &str) -> Result<()> {
    db.execute(
        "INSERT INTO proposal_events (proposal_id, at, actor, action, detail) VALUES ($1, $2, $3, $4, $5)",
        &[id.into(), stamp.at.into(), stamp.actor.as_str().into(), action.into(), detail.into()],
    )?;
    Ok(())
}

impl Store {
    // ------------------------------------------------------------ cost norms

    /// Every cost norm, by item, issuer, form and start.
    pub fn cost_norms(&mut self) -> Result<Vec<CostNormRow>> {
        self.db
            .query(&format!("SELECT {NORM_COLUMNS} FROM cost_norms ORDER BY item, issuer, form, valid_from, id"), &[])?
            .iter()
            .map(norm_row)
            .collect()
    }

    /// Records cost norms, all or none. Gives their ids.
    pub fn add_cost_norms(&mut self, norms: &[NewCostNorm], stamp: &Stamp) -> Result<Vec<i64>> {
        self.transaction(|db| {
            let mut ids = Vec::with_capacity(norms.len());
            for n in norms {
                let id = db
                    .query_one(
                        "INSERT INTO cost_norms (issuer, form, item, basis, amount, valid_from, valid_to, source, unverified, recorded_at, recorded_by)
                         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id",
                        &[
                            n.issuer.clone().into(),
                            n.form.clone().into(),
                            n.item.as_str().into(),
                            n.basis.as_str().into(),
                            n.amount.into(),
                            n.valid_from.into(),
                            n.valid_to.into(),
                            n.source.as_str().into(),
                            n.unverified.into(),
                            stamp.at.into(),
                            stamp.actor.as_str().into(),
                        ],
                    )?
                    .get_i64(0)?;
                ids.push(id);
            }
            Ok(ids)
        })
    }

    /// Removes a cost norm entered by mistake (a norm that changed is a new
    /// dated row instead).
    pub fn remove_cost_norm(&mut self, id: i64) -> Result<()> {
        if self.db.execute("DELETE FROM cost_norms WHERE id = $1", &[id.into()])? == 0 {
            return Err(StoreError::EntityNotFound { table: "cost_norms", id });
        }
        Ok(())
    }

    // ------------------------------------------------------------ offers and capacity

    pub fn programme_offers(&mut self) -> Result<Vec<OfferRow>> {
        self.db
            .query(
                "SELECT programme, form, sessions, study_days, duration_days, institutions FROM programme_offers ORDER BY programme",
                &[],
            )?
            .iter()
            .map(|r| {
                Ok(OfferRow {
                    programme: r.get_str(0)?.to_owned(),
                    form: r.get_str(1)?.to_owned(),
                    sessions: r.get_i64(2)?,
                    study_days: r.get_i64(3)?,
                    duration_days: r.get_i64(4)?,
                    institutions: r
                        .get_str(5)?
                        .split(',')
                        .map(str::trim)
                        .filter(|s| !s.is_empty())
                        .map(str::to_owned)
                        .collect(),
                })
            })
            .collect()
    }

    /// Records (or replaces) how programmes are run, all or none.
    pub fn set_programme_offers(&mut self, offers: &[OfferRow], stamp: &Stamp) -> Result<()> {
        self.transaction(|db| {
            for o in offers {
                db.execute("DELETE FROM programme_offers WHERE programme = $1", &[o.programme.as_str().into()])?;
                db.execute(
                    "INSERT INTO programme_offers (programme, form, sessions, study_days, duration_days, institutions, recorded_at, recorded_by)
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
                    &[
                        o.programme.as_str().into(),
                        o.form.as_str().into(),
                        o.sessions.into(),
                        o.study_days.into(),
                        o.duration_days.into(),
                        o.institutions.join(",").into(),
                        stamp.at.into(),
                        stamp.actor.as_str().into(),
                    ],
                )?;
            }
            Ok(())
        })
    }

    pub fn remove_programme_offer(&mut self, programme: &str) -> Result<bool> {
        Ok(self.db.execute("DELETE FROM programme_offers WHERE programme = $1", &[programme.into()])? > 0)
    }

    pub fn institution_capacities(&mut self) -> Result<Vec<CapacityRow>> {
        self.db
            .query(
                "SELECT institution, classes_per_year, province FROM institution_capacity ORDER BY institution",
                &[],
            )?
            .iter()
            .map(|r| {
                Ok(CapacityRow {
                    institution: r.get_str(0)?.to_owned(),
                    classes_per_year: r.get_i64(1)?,
                    province: r.opt_str(2)?.map(str::to_owned),
                })
            })
            .collect()
    }

    /// Records (or replaces) institutions' capacity, all or none.
    pub fn set_institution_capacities(&mut self, rows: &[CapacityRow], stamp: &Stamp) -> Result<()> {
        self.transaction(|db| {
            for c in rows {
                db.execute("DELETE FROM institution_capacity WHERE institution = $1", &[c.institution.as_str().into()])?;
                db.execute(
                    "INSERT INTO institution_capacity (institution, classes_per_year, province, recorded_at, recorded_by)
                     VALUES ($1, $2, $3, $4, $5)",
                    &[
                        c.institution.as_str().into(),
                        c.classes_per_year.into(),
                        c.province.clone().into(),
                        stamp.at.into(),
                        stamp.actor.as_str().into(),
                    ],
                )?;
            }
            Ok(())
        })
    }

    // ------------------------------------------------------------ target → programme

    /// (target id, programme code) of a period plan.
    pub fn target_programmes(&mut self, plan_id: &str) -> Result<Vec<(String, String)>> {
        self.db
            .query(
                "SELECT target_id, programme FROM target_programmes WHERE plan_id = $1 ORDER BY target_id",
                &[plan_id.into()],
            )?
            .iter()
            .map(|r| Ok((r.get_str(0)?.to_owned(), r.get_str(1)?.to_owned())))
            .collect()
    }

    /// Sets which programme closes each target (`None`: forget it), all or none.
    pub fn set_target_programmes(
        &mut self,
        plan_id: &str,
        pairs: &[(String, Option<String>)],
        stamp: &Stamp,
    ) -> Result<()> {
        self.transaction(|db| {
            for (target, programme) in pairs {
                db.execute(
                    "DELETE FROM target_programmes WHERE plan_id = $1 AND target_id = $2",
                    &[plan_id.into(), target.as_str().into()],
                )?;
                if let Some(p) = programme {
                    db.execute(
                        "INSERT INTO target_programmes (plan_id, target_id, programme, recorded_at, recorded_by)
                         VALUES ($1, $2, $3, $4, $5)",
                        &[
                            plan_id.into(),
                            target.as_str().into(),
                            p.as_str().into(),
                            stamp.at.into(),
                            stamp.actor.as_str().into(),
                        ],
                    )?;
                }
            }
            Ok(())
        })
    }

    // ------------------------------------------------------------ drafts

    /// Saves a new draft (version 1) with its first event. Gives its id.
    pub fn create_proposal(
        &mut self,
        plan_id: &str,
        year: i32,
        horizon: i32,
        draft: &str,
        detail: &str,
        stamp: &Stamp,
    ) -> Result<i64> {
        self.transaction(|db| {
            let id = db
                .query_one(
                    "INSERT INTO proposals (plan_id, year, horizon, draft, version, created_at, created_by, updated_at, updated_by)
                     VALUES ($1, $2, $3, $4, 1, $5, $6, $5, $6) RETURNING id",
                    &[
                        plan_id.into(),
                        i64::from(year).into(),
                        i64::from(horizon).into(),
                        draft.into(),
                        stamp.at.into(),
                        stamp.actor.as_str().into(),
                    ],
                )?
                .get_i64(0)?;
            insert_event(db, id, stamp, "created", detail)?;
            Ok(id)
        })
    }

    pub fn proposal(&mut self, id: i64) -> Result<Option<ProposalRow>> {
        self.db
            .query_opt(&format!("SELECT {PROPOSAL_COLUMNS} FROM proposals WHERE id = $1"), &[id.into()])?
            .map(|r| proposal_row(&r))
            .transpose()
    }

    /// Every draft, newest first.
    pub fn proposals(&mut self) -> Result<Vec<ProposalRow>> {
        self.db
            .query(&format!("SELECT {PROPOSAL_COLUMNS} FROM proposals ORDER BY id DESC"), &[])?
            .iter()
            .map(proposal_row)
            .collect()
    }

    /// Replaces a draft edited from `version`, with the event saying what
    /// changed. Refused (nothing written) when someone saved another version
    /// meanwhile. Gives the new version.
    pub fn update_proposal(
        &mut self,
        id: i64,
        version: i64,
        draft: &str,
        action: &str,
        detail: &str,
        stamp: &Stamp,
    ) -> Result<i64> {
        self.transaction(|db| {
            let n = db.execute(
                "UPDATE proposals SET draft = $1, version = version + 1, updated_at = $2, updated_by = $3
                 WHERE id = $4 AND version = $5",
                &[draft.into(), stamp.at.into(), stamp.actor.as_str().into(), id.into(), version.into()],
            )?;
            if n == 0 {
                return Err(match db.query_opt("SELECT version FROM proposals WHERE id = $1", &[id.into()])? {
                    None => StoreError::EntityNotFound { table: "proposals", id },
                    Some(_) => StoreError::Conflict(format!(
                        "dự thảo {id} vừa được người khác sửa; hãy tải lại trang và sửa lại"
                    )),
                });
            }
            insert_event(db, id, stamp, action, detail)?;
            Ok(version + 1)
        })
    }

    pub fn proposal_events(&mut self, id: i64) -> Result<Vec<ProposalEventRow>> {
        self.db
            .query(
                "SELECT id, at, actor, action, detail FROM proposal_events WHERE proposal_id = $1 ORDER BY id",
                &[Value::Int(id)],
            )?
            .iter()
            .map(|r| {
                Ok(ProposalEventRow {
                    id: r.get_i64(0)?,
                    at: r.get_ts(1)?,
                    actor: r.get_str(2)?.to_owned(),
                    action: r.get_str(3)?.to_owned(),
                    detail: r.get_str(4)?.to_owned(),
                })
            })
            .collect()
    }
}
