//! The responsibility matrix as data: duties, their status updates and the
//! files attached. Deadline rules are kept as the planning crate's JSON and
//! states as its codes; the store does not interpret them.

use chrono::NaiveDate;

use crate::annual::Stamp;
use crate::value::Row;
use crate::{Result, Store, StoreError};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewDuty {
    /// The row's number in the matrix ("1.2").
    pub code: String,
    pub task: String,
    pub lead: String,
    pub partners: Vec<String>,
    pub products: Option<String>,
    /// The deadline as worded.
    pub when_text: String,
    /// The deadline rules, as JSON.
    pub due_rules: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DutyRow {
    pub id: i64,
    pub duty: NewDuty,
    pub stamp: Stamp,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DutyUpdateRow {
    pub id: i64,
    pub duty_id: i64,
    /// The occurrence the update is about; `None`: the whole duty.
    pub deadline: Option<NaiveDate>,
    /// DutyState code.
    pub state: String,
    pub on: NaiveDate,
    pub note: Option<String>,
    pub stamp: Stamp,
}

/// A status update to record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewDutyUpdate<'a> {
    pub deadline: Option<NaiveDate>,
    /// DutyState code.
    pub state: &'a str,
    pub on: NaiveDate,
    pub note: Option<&'a str>,
    /// A file sent with it: name, content type, bytes.
    pub file: Option<(&'a str, &'a str, &'a [u8])>,
}

/// A file attached to a duty (without its bytes).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DutyFileRow {
    pub id: i64,
    pub duty_id: i64,
    pub update_id: Option<i64>,
    pub file_name: String,
    pub content_type: String,
    pub size: i64,
    pub stamp: Stamp,
}

const DUTY_COLUMNS: &str = "id, code, task, lead, partners, products, when_text, due_rules, created_at, created_by";

fn duty_row(r: &Row) -> Result<DutyRow> {
    Ok(DutyRow {
        id: r.get_i64(0)?,
        duty: NewDuty {
            code: r.get_str(1)?.to_owned(),
            task: r.get_str(2)?.to_owned(),
            lead: r.get_str(3)?.to_owned(),
            partners: r.get_str(4)?.lines().filter(|l| !l.trim().is_empty()).map(str::to_owned).collect(),
            products: r.opt_str(5)?.map(str::to_owned),
            when_text: r.get_str(6)?.to_owned(),
            due_rules: r.get_str(7)?.to_owned(),
        },
        stamp: Stamp { at: r.get_ts(8)?, actor: r.get_str(9)?.to_owned() },
    })
}

fn file_row(r: &Row) -> Result<DutyFileRow> {
    Ok(DutyFileRow {
        id: r.get_i64(0)?,
        duty_id: r.get_i64(1)?,
        update_id: r.opt_i64(2)?,
        file_name: r.get_str(3)?.to_owned(),
        content_type: r.get_str(4)?.to_owned(),
        size: r.get_i64(5)?,
        stamp: Stamp { at: r.get_ts(6)?, actor: r.get_str(7)?.to_owned() },
    })
}

impl Store {
    /// Adds duties, all or none; a code already present is refused.
    pub fn create_duties(&mut self, duties: &[NewDuty], stamp: &Stamp) -> Result<Vec<i64>> {
        self.transaction(|db| {
            let mut ids = Vec::with_capacity(duties.len());
            for d in duties {
                if db.query_opt("SELECT id FROM duties WHERE code = $1", &[d.code.as_str().into()])?.is_some() {
                    return Err(StoreError::Conflict(format!("đã có nhiệm vụ số {}", d.code)));
                }
                ids.push(
                    db.query_one(
                        "INSERT INTO duties (code, task, lead, partners, products, when_text, due_rules, created_at, created_by)
                         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
                        &[
                            d.code.as_str().into(),
                            d.task.as_str().into(),
                            d.lead.as_str().into(),
                            d.partners.join("\n").into(),
                            d.products.clone().into(),
                            d.when_text.as_str().into(),
                            d.due_rules.as_str().into(),
                            stamp.at.into(),
                            stamp.actor.as_str().into(),
                        ],
                    )?
                    .get_i64(0)?,
                );
            }
            Ok(ids)
        })
    }

    /// Every duty, by id.
    pub fn duties(&mut self) -> Result<Vec<DutyRow>> {
        let sql = format!("SELECT {DUTY_COLUMNS} FROM duties ORDER BY id");
        self.db.query(&sql, &[])?.iter().map(duty_row).collect()
    }

    pub fn duty(&mut self, id: i64) -> Result<Option<DutyRow>> {
        let sql = format!("SELECT {DUTY_COLUMNS} FROM duties WHERE id = $1");
        self.db.query_opt(&sql, &[id.into()])?.map(|r| duty_row(&r)).transpose()
    }

    /// Records a status update, with a file if given, in one transaction; gives the update's id.
    pub fn add_duty_update(&mut self, duty_id: i64, u: &NewDutyUpdate<'_>, stamp: &Stamp) -> Result<i64> {
        let NewDutyUpdate { deadline, state, on, note, file } = *u;
        self.transaction(|db| {
            if db.query_opt("SELECT id FROM duties WHERE id = $1", &[duty_id.into()])?.is_none() {
                return Err(StoreError::EntityNotFound { table: "duties", id: duty_id });
            }
            let id = db
                .query_one(
                    "INSERT INTO duty_updates (duty_id, deadline, state, on_day, note, recorded_at, recorded_by)
                     VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
                    &[
                        duty_id.into(),
                        deadline.into(),
                        state.into(),
                        on.into(),
                        note.into(),
                        stamp.at.into(),
                        stamp.actor.as_str().into(),
                    ],
                )?
                .get_i64(0)?;
            if let Some((name, content_type, bytes)) = file {
                db.execute(
                    "INSERT INTO duty_files (duty_id, update_id, file_name, content_type, size, content, uploaded_at, uploaded_by)
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
                    &[
                        duty_id.into(),
                        id.into(),
                        name.into(),
                        content_type.into(),
                        (bytes.len() as i64).into(),
                        bytes.to_vec().into(),
                        stamp.at.into(),
                        stamp.actor.as_str().into(),
                    ],
                )?;
            }
            Ok(id)
        })
    }

    /// Status updates of one duty, or of every duty, oldest first.
    pub fn duty_updates(&mut self, duty_id: Option<i64>) -> Result<Vec<DutyUpdateRow>> {
        let base = "SELECT id, duty_id, deadline, state, on_day, note, recorded_at, recorded_by FROM duty_updates";
        let rows = match duty_id {
            Some(id) => self.db.query(&format!("{base} WHERE duty_id = $1 ORDER BY id"), &[id.into()])?,
            None => self.db.query(&format!("{base} ORDER BY id"), &[])?,
        };
        rows.iter()
            .map(|r| {
                Ok(DutyUpdateRow {
                    id: r.get_i64(0)?,
                    duty_id: r.get_i64(1)?,
                    deadline: r.opt_date(2)?,
                    state: r.get_str(3)?.to_owned(),
                    on: r.get_date(4)?,
                    note: r.opt_str(5)?.map(str::to_owned),
                    stamp: Stamp { at: r.get_ts(6)?, actor: r.get_str(7)?.to_owned() },
                })
            })
            .collect()
    }

    /// The files of a duty, oldest first, without their bytes.
    pub fn duty_files(&mut self, duty_id: i64) -> Result<Vec<DutyFileRow>> {
        self.db
            .query(
                "SELECT id, duty_id, update_id, file_name, content_type, size, uploaded_at, uploaded_by
                 FROM duty_files WHERE duty_id = $1 ORDER BY id",
                &[duty_id.into()],
            )?
            .iter()
            .map(file_row)
            .collect()
    }

    /// A file with its bytes.
    pub fn duty_file(&mut self, file_id: i64) -> Result<Option<(DutyFileRow, Vec<u8>)>> {
        let Some(r) = self.db.query_opt(
            "SELECT id, duty_id, update_id, file_name, content_type, size, uploaded_at, uploaded_by, content
             FROM duty_files WHERE id = $1",
            &[file_id.into()],
        )?
        else {
            return Ok(None);
        };
        let bytes = r.get_bytes(8)?;
        Ok(Some((file_row(&r)?, bytes)))
    }
}

/// A partner's comment on a duty.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DutyCommentRow {
    pub id: i64,
    pub duty_id: i64,
    pub note: String,
    pub stamp: Stamp,
}

impl Store {
    /// Adds a comment to a duty; gives its id.
    pub fn add_duty_comment(&mut self, duty_id: i64, note: &str, stamp: &Stamp) -> Result<i64> {
        self.transaction(|db| {
            if db.query_opt("SELECT id FROM duties WHERE id = $1", &[duty_id.into()])?.is_none() {
                return Err(StoreError::EntityNotFound { table: "duties", id: duty_id });
            }
            db.query_one(
                "INSERT INTO duty_comments (duty_id, note, recorded_at, recorded_by) VALUES ($1, $2, $3, $4) RETURNING id",
                &[duty_id.into(), note.into(), stamp.at.into(), stamp.actor.as_str().into()],
            )?
            .get_i64(0)
        })
    }

    /// A duty's comments, in the order written.
    pub fn duty_comments(&mut self, duty_id: i64) -> Result<Vec<DutyCommentRow>> {
        self.db
            .query(
                "SELECT id, duty_id, note, recorded_at, recorded_by FROM duty_comments WHERE duty_id = $1 ORDER BY id",
                &[duty_id.into()],
            )?
            .iter()
            .map(|r| {
                Ok(DutyCommentRow {
                    id: r.get_i64(0)?,
                    duty_id: r.get_i64(1)?,
                    note: r.get_str(2)?.to_owned(),
                    stamp: Stamp { at: r.get_ts(3)?, actor: r.get_str(4)?.to_owned() },
                })
            })
            .collect()
    }
}
