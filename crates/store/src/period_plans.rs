//! The province's period plans (kế hoạch ĐTBD 5 năm) as versioned documents:
//! each version is the plan file's whole text, with who saved it, when, how
//! (imported, edited, restored) and why. Versions are only ever added.
//!
//! The store does not read the text: the engine checks it before it is saved
//! and again when it is loaded. It makes saving safe: a save names the
//! version the editor started from, and is refused when another version came
//! into force meanwhile, so two officers editing from the same version cannot
//! silently overwrite each other.

use chrono::{DateTime, Utc};

use crate::annual::Stamp;
use crate::backend::Backend;
use crate::value::Row;
use crate::{Result, Store, StoreError};

/// A stored plan.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PeriodPlanRow {
    pub id: i64,
    /// The `[plan] id` of its text.
    pub key: String,
    /// The version in force.
    pub in_force: i64,
    /// The plan the application follows.
    pub followed: bool,
    pub created_at: DateTime<Utc>,
    pub created_by: String,
}

/// One version of a plan.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PeriodPlanVersion {
    pub key: String,
    pub version: i64,
    pub text: String,
    pub saved_at: DateTime<Utc>,
    pub saved_by: String,
    /// imported, edited, restored.
    pub action: String,
    /// The version the editor started from; for a restore, the version restored.
    pub based_on: Option<i64>,
    pub comment: Option<String>,
}

/// A version to save.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NewPeriodPlanVersion<'a> {
    pub key: &'a str,
    pub text: &'a str,
    /// imported, edited, restored.
    pub action: &'a str,
    /// The version in force when the editor started (`None`: the plan is new).
    /// The save is refused if another version is in force now.
    pub expected: Option<i64>,
    /// Recorded as `based_on` (defaults to `expected`): the version restored.
    pub based_on: Option<i64>,
    pub comment: Option<&'a str>,
    /// Make this plan the one the application follows.
    pub follow: bool,
}

const PLAN_COLUMNS: &str = "id, plan_key, in_force, followed, created_at, created_by";
const VERSION_COLUMNS: &str =
    "p.plan_key, v.version, v.text, v.saved_at, v.saved_by, v.action, v.based_on, v.comment";

fn plan_row(r: &Row) -> Result<PeriodPlanRow> {
    Ok(PeriodPlanRow {
        id: r.get_i64(0)?,
        key: r.get_str(1)?.to_owned(),
        in_force: r.get_i64(2)?,
        followed: r.get_bool(3)?,
        created_at: r.get_ts(4)?,
        created_by: r.get_str(5)?.to_owned(),
    })
}

fn version_row(r: &Row) -> Result<PeriodPlanVersion> {
    Ok(PeriodPlanVersion {
        key: r.get_str(0)?.to_owned(),
        version: r.get_i64(1)?,
        text: r.get_str(2)?.to_owned(),
        saved_at: r.get_ts(3)?,
        saved_by: r.get_str(4)?.to_owned(),
        action: r.get_str(5)?.to_owned(),
        based_on: r.opt_i64(6)?,
        comment: r.opt_str(7)?.map(str::to_owned),
    })
}

fn plan_by_key(db: &mut dyn Backend, key: &str) -> Result<Option<PeriodPlanRow>> {
    let sql = format!("SELECT {PLAN_COLUMNS} FROM period_plans WHERE plan_key = $1");
    db.query_opt(&sql, &[key.into()])?
        .map(|r| plan_row(&r))
        .transpose()
}

fn version_of(db: &mut dyn Backend, key: &str, version: i64) -> Result<Option<PeriodPlanVersion>> {
    let sql = format!(
        "SELECT {VERSION_COLUMNS} FROM period_plan_versions v JOIN period_plans p ON p.id = v.plan_id
         WHERE p.plan_key = $1 AND v.version = $2"
    );
    db.query_opt(&sql, &[key.into(), version.into()])?
        .map(|r| version_row(&r))
        .transpose()
}

/// "phiên bản 3 (admin, 05/06/2025 14:03)": what the refused editor is told.
fn conflict(
    db: &mut dyn Backend,
    key: &str,
    version: i64,
    expected: Option<i64>,
) -> Result<StoreError> {
    let who = version_of(db, key, version)?
        .map(|v| {
            format!(
                " do {} lưu lúc {} (UTC)",
                v.saved_by,
                v.saved_at.format("%d/%m/%Y %H:%M")
            )
        })
        .unwrap_or_default();
    let since = match expected {
        Some(e) => format!("bạn sửa từ phiên bản {e}, nhưng "),
        None => String::new(),
    };
    Ok(StoreError::Conflict(format!(
        "Kế hoạch '{key}' đã thay đổi trong lúc bạn sửa: {since}phiên bản đang áp dụng là phiên bản {version}{who}. \
         Hãy mở lại kế hoạch, xem thay đổi đó và sửa lại; chưa có gì được lưu."
    )))
}

impl Store {
    /// Saves a new version of a plan (creating the plan at its first
    /// version); it comes into force at once. Gives its number. Refused with
    /// [`StoreError::Conflict`] when the version in force is not the one the
    /// editor started from.
    pub fn save_period_plan_version(
        &mut self,
        new: &NewPeriodPlanVersion<'_>,
        stamp: &Stamp,
    ) -> Result<i64> {
        self.transaction(|db| {
            let (plan_id, version) = match plan_by_key(db, new.key)? {
                None => {
                    if let Some(e) = new.expected {
                        return Err(StoreError::Conflict(format!(
                            "Kế hoạch '{}' không có trong cơ sở dữ liệu (bạn sửa từ phiên bản {e}).",
                            new.key
                        )));
                    }
                    let id = db
                        .query_one(
                            "INSERT INTO period_plans (plan_key, in_force, followed, created_at, created_by)
                             VALUES ($1, 1, $2, $3, $4) RETURNING id",
                            &[new.key.into(), false.into(), stamp.at.into(), stamp.actor.as_str().into()],
                        )?
                        .get_i64(0)?;
                    (id, 1)
                }
                Some(plan) => {
                    if new.expected != Some(plan.in_force) {
                        return Err(conflict(db, new.key, plan.in_force, new.expected)?);
                    }
                    let next = db
                        .query_one(
                            "SELECT COALESCE(MAX(version), 0) + 1 FROM period_plan_versions WHERE plan_id = $1",
                            &[plan.id.into()],
                        )?
                        .get_i64(0)?;
                    // Conditional: of two saves from the same version running
                    // at once, the second finds the row moved and changes nothing.
                    let moved = db.execute(
                        "UPDATE period_plans SET in_force = $1 WHERE id = $2 AND in_force = $3",
                        &[next.into(), plan.id.into(), plan.in_force.into()],
                    )?;
                    if moved != 1 {
                        let now = plan_by_key(db, new.key)?.map(|p| p.in_force).unwrap_or(plan.in_force);
                        return Err(conflict(db, new.key, now, new.expected)?);
                    }
                    (plan.id, next)
                }
            };
            db.execute(
                "INSERT INTO period_plan_versions (plan_id, version, text, saved_at, saved_by, action, based_on, comment)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
                &[
                    plan_id.into(),
                    version.into(),
                    new.text.into(),
                    stamp.at.into(),
                    stamp.actor.as_str().into(),
                    new.action.into(),
                    new.based_on.or(new.expected).into(),
                    new.comment.filter(|c| !c.trim().is_empty()).map(str::trim).into(),
                ],
            )?;
            if new.follow {
                follow(db, plan_id)?;
            }
            Ok(version)
        })
    }

    /// Makes a stored plan the one the application follows.
    pub fn follow_period_plan(&mut self, key: &str) -> Result<()> {
        self.transaction(|db| {
            let plan = plan_by_key(db, key)?.ok_or_else(|| {
                StoreError::Conflict(format!("Kế hoạch '{key}' không có trong cơ sở dữ liệu."))
            })?;
            follow(db, plan.id)
        })
    }

    /// Every stored plan, by key.
    pub fn period_plans(&mut self) -> Result<Vec<PeriodPlanRow>> {
        let sql = format!("SELECT {PLAN_COLUMNS} FROM period_plans ORDER BY plan_key");
        self.db.query(&sql, &[])?.iter().map(plan_row).collect()
    }

    pub fn period_plan(&mut self, key: &str) -> Result<Option<PeriodPlanRow>> {
        plan_by_key(self.db.as_mut(), key)
    }

    /// The plan the application follows and its version in force.
    pub fn followed_period_plan(&mut self) -> Result<Option<(PeriodPlanRow, PeriodPlanVersion)>> {
        let sql = format!("SELECT {PLAN_COLUMNS} FROM period_plans WHERE followed = $1");
        let Some(plan) = self
            .db
            .query_opt(&sql, &[true.into()])?
            .map(|r| plan_row(&r))
            .transpose()?
        else {
            return Ok(None);
        };
        let version = version_of(self.db.as_mut(), &plan.key, plan.in_force)?.ok_or_else(|| {
            StoreError::Decode(format!(
                "kế hoạch '{}' thiếu phiên bản {} đang áp dụng",
                plan.key, plan.in_force
            ))
        })?;
        Ok(Some((plan, version)))
    }

    /// One version of a plan.
    pub fn period_plan_version(
        &mut self,
        key: &str,
        version: i64,
    ) -> Result<Option<PeriodPlanVersion>> {
        version_of(self.db.as_mut(), key, version)
    }

    /// Every version of a plan, newest first.
    pub fn period_plan_versions(&mut self, key: &str) -> Result<Vec<PeriodPlanVersion>> {
        let sql = format!(
            "SELECT {VERSION_COLUMNS} FROM period_plan_versions v JOIN period_plans p ON p.id = v.plan_id
             WHERE p.plan_key = $1 ORDER BY v.version DESC"
        );
        self.db
            .query(&sql, &[key.into()])?
            .iter()
            .map(version_row)
            .collect()
    }
}

fn follow(db: &mut dyn Backend, plan_id: i64) -> Result<()> {
    db.execute(
        "UPDATE period_plans SET followed = $1 WHERE id <> $2",
        &[false.into(), plan_id.into()],
    )?;
    db.execute(
        "UPDATE period_plans SET followed = $1 WHERE id = $2",
        &[true.into(), plan_id.into()],
    )?;
    Ok(())
}
