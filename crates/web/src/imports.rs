//! Imports from the browser: a workbook is uploaded and checked in a dry run
//! that shows every error or what would change; the same upload is then
//! applied. Between the two steps the upload waits in memory, for its account
//! only and for [`UPLOAD_MINUTES`]; it is checked again when applied, so a
//! change made meanwhile by someone else is seen rather than overwritten.
//!
//! A unit's HR officer may import only about the people of their own subtree:
//! staff, qualifications and training history. The whole file is refused if
//! one row reaches outside it, as an import is all or nothing.

use std::collections::{HashMap, HashSet};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use nangluc_core::{AsOf, ChangeSet, Entity, Fact, Op};
use nangluc_io::plan::{row_ranges, table_label};
use nangluc_io::{ImportError, ImportReport, SheetKind, StoreDirectory};
use nangluc_store::Store;
use serde::Serialize;

use crate::auth::{Perm, Role, Viewer};
use crate::error::AppError;
use crate::fmt::{number, today};
use crate::service::{self, PeopleScope};
use crate::targets::ActivePlan;

/// How long an upload waits for its "apply".
pub const UPLOAD_MINUTES: u64 = 30;
/// Uploads kept at once across all accounts (the oldest go first).
const MAX_UPLOADS: usize = 32;
/// The largest workbook accepted, in bytes.
pub const MAX_UPLOAD_BYTES: usize = 50 * 1024 * 1024;

/// Uploads waiting to be applied, by token.
#[derive(Default)]
pub struct Uploads {
    waiting: Mutex<HashMap<String, Upload>>,
}

struct Upload {
    account_id: i64,
    file_name: String,
    bytes: Vec<u8>,
    kind: SheetKind,
    at: Instant,
}

impl Uploads {
    fn keep(&self, account_id: i64, file_name: String, bytes: Vec<u8>, kind: SheetKind) -> String {
        let token = crate::auth::random_token();
        let mut w = self.waiting.lock().unwrap_or_else(|e| e.into_inner());
        let ttl = Duration::from_secs(UPLOAD_MINUTES * 60);
        w.retain(|_, u| u.at.elapsed() < ttl);
        while w.len() >= MAX_UPLOADS {
            let oldest = w.iter().min_by_key(|(_, u)| u.at).map(|(t, _)| t.clone());
            match oldest {
                Some(t) => w.remove(&t),
                None => break,
            };
        }
        w.insert(token.clone(), Upload { account_id, file_name, bytes, kind, at: Instant::now() });
        token
    }

    /// Takes the upload back for its own account; another account's token is
    /// as unknown as an expired one.
    fn take(&self, token: &str, account_id: i64) -> Option<Upload> {
        let mut w = self.waiting.lock().unwrap_or_else(|e| e.into_inner());
        let ttl = Duration::from_secs(UPLOAD_MINUTES * 60);
        match w.get(token) {
            Some(u) if u.account_id == account_id && u.at.elapsed() < ttl => w.remove(token),
            _ => None,
        }
    }
}

/// One problem of the file, as the page lists it.
#[derive(Debug, Clone, Serialize)]
pub struct ErrorLine {
    pub sheet: String,
    pub row: Option<u32>,
    pub column: String,
    pub message: String,
    /// The whole sentence ("Sheet 'Cán bộ', dòng 17, cột 'Ngày sinh': …").
    pub text: String,
}

impl From<&ImportError> for ErrorLine {
    fn from(e: &ImportError) -> Self {
        ErrorLine {
            sheet: e.sheet.clone().or_else(|| e.file.clone()).unwrap_or_default(),
            row: e.row,
            column: e.column.clone().unwrap_or_default(),
            message: e.message.clone(),
            text: e.to_string(),
        }
    }
}

/// What an import does to one table.
#[derive(Debug, Clone, Serialize)]
pub struct TallyLine {
    pub table: &'static str,
    pub created: String,
    pub updated: String,
    pub unchanged: String,
    /// Rows created and updated, as ranges ("5–9, 12").
    pub created_rows: String,
    pub updated_rows: String,
}

/// The outcome of a check or of an apply.
#[derive(Debug, Clone, Serialize)]
pub struct ImportOutcome {
    pub file: String,
    pub kind: String,
    pub sheet: String,
    pub rows: String,
    pub tables: Vec<TallyLine>,
    pub errors: Vec<ErrorLine>,
    /// Present after a clean dry run: what to post back to apply it.
    pub token: Option<String>,
    /// Present once applied: the audit entry of the change.
    pub change_id: Option<i64>,
    /// Nothing would change (the same file imported again).
    pub no_change: bool,
}

impl ImportOutcome {
    pub fn error_count(&self) -> String {
        number(self.errors.len() as i64)
    }

    fn failed(file: &str, kind: Option<SheetKind>, errors: &[ImportError]) -> Self {
        ImportOutcome {
            file: file.to_string(),
            kind: kind.map(|k| k.sheet_name().to_string()).unwrap_or_default(),
            sheet: String::new(),
            rows: String::new(),
            tables: Vec::new(),
            errors: errors.iter().map(ErrorLine::from).collect(),
            token: None,
            change_id: None,
            no_change: false,
        }
    }

    fn planned(report: &ImportReport, ops: usize) -> Self {
        ImportOutcome {
            file: report.file.clone(),
            kind: report.kind.sheet_name().to_string(),
            sheet: report.sheet.clone(),
            rows: number(report.rows as i64),
            tables: report
                .tables
                .iter()
                .map(|(t, tally)| TallyLine {
                    table: table_label(*t),
                    created: number(tally.created.len() as i64),
                    updated: number(tally.updated.len() as i64),
                    unchanged: number(tally.unchanged.len() as i64),
                    created_rows: row_ranges(&tally.created, 12),
                    updated_rows: row_ranges(&tally.updated, 12),
                })
                .collect(),
            errors: Vec::new(),
            token: None,
            change_id: None,
            no_change: ops == 0,
        }
    }
}

/// The kinds a viewer may import.
pub fn kinds_for(v: &Viewer) -> Vec<SheetKind> {
    match v.role {
        Role::Admin => SheetKind::ALL.to_vec(),
        Role::UnitHr => vec![SheetKind::Staff, SheetKind::Qualifications, SheetKind::Training],
        _ => Vec::new(),
    }
}

/// Reads and checks an upload. A clean file is kept for [`apply`] and its
/// token returned in the outcome; a file with errors is not kept.
pub fn check(
    store: &mut Store,
    uploads: &Uploads,
    v: &Viewer,
    file_name: &str,
    bytes: Vec<u8>,
    kind: Option<SheetKind>,
) -> Result<ImportOutcome, AppError> {
    v.require(Perm::Import)?;
    let (kind, plan) = match plan(store, v, file_name, &bytes, kind) {
        Ok(planned) => planned,
        Err(outcome) => return Ok(*outcome),
    };
    let mut outcome = ImportOutcome::planned(&plan.report, plan.change_set.ops.len());
    if !outcome.no_change {
        outcome.token = Some(uploads.keep(v.account_id, file_name.to_string(), bytes, kind));
    }
    Ok(outcome)
}

/// Applies a checked upload: checked again against today's data, then written
/// in one change set in the viewer's name.
pub fn apply(
    store: &mut Store,
    uploads: &Uploads,
    v: &Viewer,
    plan_cache: Option<&ActivePlan>,
    token: &str,
) -> Result<ImportOutcome, AppError> {
    v.require(Perm::Import)?;
    let upload = uploads.take(token, v.account_id).ok_or_else(|| {
        AppError::NotFound(format!(
            "tệp đã tải lên (tệp chỉ được giữ {UPLOAD_MINUTES} phút và chỉ cho tài khoản đã tải lên); hãy tải lại tệp"
        ))
    })?;
    let (_, planned) = match plan(store, v, &upload.file_name, &upload.bytes, Some(upload.kind)) {
        Ok(planned) => planned,
        Err(outcome) => return Ok(*outcome),
    };
    let mut outcome = ImportOutcome::planned(&planned.report, planned.change_set.ops.len());
    if !outcome.no_change {
        let applied = service::apply(store, v, plan_cache, planned.change_set)?;
        outcome.change_id = Some(applied.change_id);
    }
    Ok(outcome)
}

type Planned = (SheetKind, nangluc_io::ImportPlan);

fn plan(
    store: &mut Store,
    v: &Viewer,
    file_name: &str,
    bytes: &[u8],
    kind: Option<SheetKind>,
) -> Result<Planned, Box<ImportOutcome>> {
    let fail = |kind, errors: &[ImportError]| Box::new(ImportOutcome::failed(file_name, kind, errors));
    let workbook = nangluc_io::read_bytes(file_name, bytes).map_err(|e| fail(kind, &[e]))?;
    let kind = match kind {
        Some(k) => k,
        None => match nangluc_io::header::matching_kinds(&workbook).as_slice() {
            [one] => *one,
            [] => {
                return Err(fail(None, &[ImportError::file(
                    file_name,
                    "không nhận ra loại dữ liệu của tệp (không thấy dòng tiêu đề của mẫu nào); hãy chọn loại dữ liệu",
                )]));
            }
            many => {
                let names: Vec<&str> = many.iter().map(|k| k.sheet_name()).collect();
                return Err(fail(None, &[ImportError::file(
                    file_name,
                    format!("tệp khớp nhiều loại dữ liệu ({}); hãy chọn loại dữ liệu", names.join(", ")),
                )]));
            }
        },
    };
    if !kinds_for(v).contains(&kind) {
        return Err(fail(Some(kind), &[ImportError::file(
            file_name,
            format!("tài khoản của bạn không được nhập dữ liệu loại '{}'", kind.sheet_name()),
        )]));
    }
    let planned = nangluc_io::plan_import(&workbook, kind, &mut StoreDirectory::new(store), today())
        .map_err(|errors| fail(Some(kind), &errors))?;
    if let PeopleScope::Subtree(unit) = service::people_scope(v) {
        let outside = outside_subtree(store, unit, &planned.change_set)
            .map_err(|e| fail(Some(kind), &[ImportError::directory(e.to_string())]))?;
        if !outside.is_empty() {
            let errors: Vec<ImportError> = outside
                .into_iter()
                .map(|what| ImportError::file(file_name, format!("{what} không thuộc đơn vị của bạn; tệp không được nhập")))
                .collect();
            return Err(fail(Some(kind), &errors));
        }
    }
    Ok((kind, planned))
}

/// What a change set touches outside the subtree of `unit`: employment in
/// another unit, or a person who neither works in the subtree today nor is
/// placed in it by the same change set.
fn outside_subtree(store: &mut Store, unit: i64, cs: &ChangeSet) -> Result<Vec<String>, AppError> {
    let as_of = AsOf::date(today());
    let units: HashSet<i64> = store.unit_subtree(unit, &as_of)?.into_iter().collect();
    let mut placed: HashSet<i64> = HashSet::new();
    let mut identity: HashMap<i64, String> = HashMap::new();
    let mut ended_elsewhere: Vec<i64> = Vec::new();
    let mut people: Vec<i64> = Vec::new();
    let mut outside = Vec::new();
    for op in &cs.ops {
        let Op::Record { entity, fact, valid } = op else {
            continue;
        };
        let person = match fact {
            Fact::Person(d) => match entity {
                Entity::Given(id) | Entity::Existing(id) => {
                    identity.insert(*id, d.identity_number.clone());
                    Some(*id)
                }
                Entity::New => None,
            },
            Fact::Employment(e) => {
                if units.contains(&e.unit_id) {
                    placed.insert(e.person_id);
                } else if valid.to.is_some() {
                    // A period elsewhere that ends: the history of someone
                    // moving in, allowed only if they are placed in the subtree.
                    ended_elsewhere.push(e.person_id);
                } else {
                    outside.push(format!("Quá trình công tác ở đơn vị mã số {}", e.unit_id));
                }
                Some(e.person_id)
            }
            Fact::Role(r) => Some(r.person_id),
            Fact::Qualification(q) => Some(q.person_id),
            Fact::Enrolment(e) => Some(e.person_id),
            other => {
                outside.push(format!("Dữ liệu '{}'", table_label(other.table())));
                None
            }
        };
        people.extend(person);
    }
    for p in ended_elsewhere {
        if !placed.contains(&p) {
            outside.push(format!("Quá trình công tác ở đơn vị khác của người mã số {p}"));
        }
    }
    people.sort_unstable();
    people.dedup();
    let in_scope: HashSet<i64> = if people.iter().all(|p| placed.contains(p)) {
        HashSet::new()
    } else {
        store.people_in_unit(unit, &as_of, true)?.into_iter().collect()
    };
    for p in people {
        if !placed.contains(&p) && !in_scope.contains(&p) {
            match identity.get(&p) {
                Some(n) => outside.push(format!("Người có số định danh {n}")),
                None => outside.push(format!("Người mã số {p} trong hệ thống")),
            }
        }
    }
    outside.dedup();
    Ok(outside)
}

/// The tables an import of each kind may touch (for the form's help text).
pub fn kind_help(kind: SheetKind) -> &'static str {
    match kind {
        SheetKind::Units => "Đơn vị, mã đơn vị, đơn vị cấp trên",
        SheetKind::Staff => "Cán bộ, công chức, viên chức và quá trình công tác",
        SheetKind::Qualifications => "Trình độ, văn bằng, chứng chỉ",
        SheetKind::Training => "Quá trình đào tạo, bồi dưỡng",
        SheetKind::Programmes => "Danh mục chương trình",
        SheetKind::Classes => "Lớp học",
    }
}
