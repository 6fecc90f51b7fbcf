//! The province's period plan (kế hoạch ĐTBD 5 năm) kept in the database as
//! versions of its TOML text, and edited in the browser.
//!
//! The engine's format stays the one source of truth: a text is checked by
//! [`Plan::parse`] before it is saved and again when it is loaded; a target's
//! form is turned into the same text by [`nangluc_engine::edit`], so its
//! errors are the engine's (line, column, suggestion), mapped back to the
//! field they came from. Before a save, the engine's [`diff`] shows what the
//! change would move as of today. Saving swaps the plan the application
//! follows ([`ActivePlan::replace`]): the dashboard moves at once. A version
//! is never rewritten; restoring an old one saves it again as a new version.
//! Who saved each version, when, how and why is kept with it (the plan's
//! audit trail).
//!
//! Reading: every role with [`Perm::PeriodPlan`]; saving: [`Perm::EditPeriodPlan`]
//! (the Sở Nội vụ).

use std::path::{Path, PathBuf};

use chrono::{DateTime, NaiveDate, Utc};
use nangluc_engine::edit::{self, DiffLine, FieldText};
use nangluc_engine::plan::Kind;
use nangluc_engine::{Options, Plan, PlanError, Target, diff};
use nangluc_store::{
    NewPeriodPlanVersion, PeriodPlanRow, PeriodPlanVersion, Stamp, Store, StoreError,
};
use serde::Serialize;

use crate::auth::{Perm, Viewer};
use crate::error::AppError;
use crate::fmt::{Day, Moment, number, today};
use crate::targets::ActivePlan;

/// Who saves a version imported when the server starts.
pub const SERVE_ACTOR: &str = "nangluc serve";

/// Which period plan the application follows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PlanChoice {
    /// None: no dashboard.
    None,
    /// The plan followed in the database, at its version in force; on the
    /// first run (no plan stored) this file is imported as version 1.
    Stored { first_run: PathBuf },
    /// This file: imported as a new version when its text differs from the
    /// version in force of the plan with its key (or as a new plan), then followed.
    File(PathBuf),
}

/// The name errors are reported under: the plan's key as a file name.
fn file_name(key: &str) -> String {
    format!("{key}.toml")
}

fn errors_text(errors: &[PlanError]) -> String {
    errors.iter().map(|e| format!("\n  {e}")).collect()
}

/// Reads the plan to follow at start; says where it came from. Errors are the
/// messages `serve` prints (every error of a file with its line and column).
pub fn load_at_start(
    store: &mut Store,
    choice: &PlanChoice,
) -> Result<Option<(ActivePlan, String)>, String> {
    let stored =
        |e: StoreError| format!("không đọc/ghi được kế hoạch giai đoạn trong cơ sở dữ liệu: {e}");
    let path = match choice {
        PlanChoice::None => return Ok(None),
        PlanChoice::File(path) => path,
        PlanChoice::Stored { first_run } => match store.followed_period_plan().map_err(stored)? {
            Some((row, version)) => {
                let plan = Plan::parse(&version.text, &file_name(&row.key)).map_err(|errors| {
                    format!(
                        "phiên bản {} của kế hoạch '{}' trong cơ sở dữ liệu có {} lỗi (máy chủ không khởi động; \
                         chạy lại với --plan TỆP để nhập một bản đã sửa):{}",
                        version.version,
                        row.key,
                        errors.len(),
                        errors_text(&errors)
                    )
                })?;
                let note = format!("phiên bản {} trong cơ sở dữ liệu", version.version);
                return Ok(Some((
                    ActivePlan::stored(plan, Some(version.version), PathBuf::new()),
                    note,
                )));
            }
            None => first_run,
        },
    };
    let (text, plan) = read_file(path)?;
    let now = Utc::now();
    let (version, note) = import(store, &text, &plan, path, now).map_err(stored)?;
    Ok(Some((
        ActivePlan::stored(plan, Some(version), path.clone()),
        note,
    )))
}

/// Reads and checks a plan file.
/// The default plan (`targets::DEFAULT_PLAN`) is read from the binary when
/// the file is not there (the server started outside the repository).
pub fn read_file(path: &Path) -> Result<(String, Plan), String> {
    let text = match std::fs::read_to_string(path) {
        Err(e)
            if e.kind() == std::io::ErrorKind::NotFound
                && path == Path::new(crate::targets::DEFAULT_PLAN) =>
        {
            crate::targets::DEFAULT_PLAN_TEXT.to_string()
        }
        r => r.map_err(|e| format!("không đọc được tệp kế hoạch '{}': {e}", path.display()))?,
    };
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let plan = Plan::parse(&text, &name).map_err(|errors| {
        format!(
            "tệp kế hoạch '{}' có {} lỗi, máy chủ không khởi động:{}",
            path.display(),
            errors.len(),
            errors_text(&errors)
        )
    })?;
    Ok((text, plan))
}

/// The import rule of `serve`: a plan not stored becomes version 1; a stored
/// plan gets a new version only when the file's text differs from the version
/// in force. Either way it becomes the plan followed. Gives the version in
/// force and a sentence saying what happened.
fn import(
    store: &mut Store,
    text: &str,
    plan: &Plan,
    path: &Path,
    now: DateTime<Utc>,
) -> Result<(i64, String), StoreError> {
    let stamp = Stamp::new(SERVE_ACTOR, now);
    let comment = format!("Nhập từ tệp {} khi khởi động máy chủ", path.display());
    let existing = store.period_plan(&plan.id)?;
    let in_force = match &existing {
        Some(row) => store.period_plan_version(&plan.id, row.in_force)?,
        None => None,
    };
    match (existing, in_force) {
        (Some(row), Some(v)) if v.text == text => {
            if !row.followed {
                store.follow_period_plan(&plan.id)?;
            }
            Ok((
                row.in_force,
                format!(
                    "phiên bản {} trong cơ sở dữ liệu, trùng với tệp",
                    row.in_force
                ),
            ))
        }
        (row, _) => {
            let expected = row.as_ref().map(|r| r.in_force);
            let new = NewPeriodPlanVersion {
                key: &plan.id,
                text,
                action: "imported",
                expected,
                based_on: None,
                comment: Some(&comment),
                follow: true,
            };
            let version = store.save_period_plan_version(&new, &stamp)?;
            Ok((
                version,
                format!("tệp {} được nhập thành phiên bản {version}", path.display()),
            ))
        }
    }
}

/// The plan followed, as stored.
pub struct Current {
    pub row: PeriodPlanRow,
    pub version: PeriodPlanVersion,
    pub plan: Plan,
}

fn current(store: &mut Store) -> Result<Option<Current>, AppError> {
    let Some((row, version)) = store.followed_period_plan()? else {
        return Ok(None);
    };
    let plan = Plan::parse(&version.text, &file_name(&row.key)).map_err(|errors| {
        AppError::Internal(format!(
            "phiên bản {} của kế hoạch '{}' có lỗi:{}",
            version.version,
            row.key,
            errors_text(&errors)
        ))
    })?;
    Ok(Some(Current { row, version, plan }))
}

fn current_or_404(store: &mut Store) -> Result<Current, AppError> {
    current(store)?
        .ok_or_else(|| AppError::NotFound("kế hoạch giai đoạn trong cơ sở dữ liệu".into()))
}

/// The engine's check of a text, and the plan's key: a version keeps the
/// key of its plan (another plan is imported with `serve --plan`).
pub fn check_text(text: &str, key: &str) -> Result<Plan, Vec<PlanError>> {
    let plan = Plan::parse(text, &file_name(key))?;
    if plan.id != key {
        let (line, column) = plan_id_position(text);
        return Err(vec![PlanError {
            file: file_name(key),
            line,
            column,
            message: format!(
                "mã kế hoạch (id) phải giữ là '{key}': mỗi phiên bản thuộc cùng một kế hoạch; \
                 một kế hoạch khác được nhập bằng lệnh nangluc serve --plan TỆP"
            ),
        }]);
    }
    Ok(plan)
}

/// Where `id = …` of `[plan]` is written.
fn plan_id_position(text: &str) -> (usize, usize) {
    let mut in_plan = false;
    for (i, line) in text.lines().enumerate() {
        let t = line.trim_start();
        if t.starts_with('[') {
            in_plan = t.replace(' ', "").starts_with("[plan]");
        } else if in_plan && t.starts_with("id") && t[2..].trim_start().starts_with('=') {
            let col = line.len() - t.len();
            return (i + 1, line[..col].chars().count() + 1);
        }
    }
    (1, 1)
}

// ---------------------------------------------------------------- reading

/// A target as the plan's page lists it.
#[derive(Debug, Clone, Serialize)]
pub struct TargetRow {
    pub id: String,
    /// The id as a path segment.
    pub path: String,
    pub wording: String,
    pub kind: String,
    pub letter: &'static str,
    pub population: String,
    pub criterion: String,
    pub threshold: String,
    pub deadline: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct GroupRows {
    pub id: String,
    pub name: String,
    pub targets: Vec<TargetRow>,
}

/// The plan's page.
#[derive(Debug, Clone, Serialize)]
pub struct PlanView {
    pub key: String,
    pub version: i64,
    pub saved_at: Moment,
    pub saved_by: String,
    pub comment: Option<String>,
    pub name: String,
    pub issuer: String,
    pub decision: Option<String>,
    pub decision_date: Option<Day>,
    pub period: String,
    pub orientation: Option<i32>,
    pub groups: Vec<GroupRows>,
    pub targets: usize,
    pub can_edit: bool,
}

/// Vietnamese names of the kinds, as the form's choice shows them.
pub fn kind_label(k: Kind) -> &'static str {
    match k {
        Kind::Ratio => "Tỷ lệ đạt đến một năm (R)",
        Kind::Yearly => "Tỷ lệ hằng năm (Y)",
        Kind::Window => "Bồi dưỡng lại định kỳ (W)",
        Kind::Term => "Trong nhiệm kỳ (T)",
        Kind::AfterEvent => "Trong thời hạn sau sự kiện (E)",
        Kind::BeforeEvent => "Trước khi bổ nhiệm (B)",
        Kind::Quota => "Số lượt cử đi học (Q)",
        Kind::Classes => "Số lớp (C)",
        Kind::PostHolder => "Người giữ chức vụ (P)",
        Kind::LecturerRatio => "Tỷ lệ giảng viên (L)",
    }
}

fn range_text(r: &nangluc_engine::plan::CountRange) -> String {
    match (r.min, r.max) {
        (Some(a), Some(b)) if a == b => number(a as i64),
        (Some(a), Some(b)) => format!("{}–{}", number(a as i64), number(b as i64)),
        (Some(a), None) => format!("≥ {}", number(a as i64)),
        (None, Some(b)) => format!("≤ {}", number(b as i64)),
        (None, None) => String::new(),
    }
}

fn threshold_text(t: &Target) -> String {
    if let Some(q) = &t.quota {
        let mut parts = Vec::new();
        if let Some(r) = &q.per_year {
            parts.push(format!(
                "{} lượt/năm{}",
                range_text(r),
                if q.average { " (bình quân)" } else { "" }
            ));
        }
        if let Some(r) = &q.total {
            parts.push(format!("tổng {} lượt", range_text(r)));
        }
        if !q.by_year.is_empty() {
            let y: Vec<String> = q
                .by_year
                .iter()
                .map(|(y, n)| format!("{y}: {}", number(*n as i64)))
                .collect();
            parts.push(y.join("; "));
        }
        return parts.join("; ");
    }
    if let Some(c) = &t.classes {
        return format!("{} lớp/năm", range_text(&c.per_year));
    }
    let parts: Vec<String> = t
        .horizons
        .iter()
        .map(|h| match h.stretch {
            Some(s) => format!("≥ {} (phấn đấu {s})", h.min),
            None => format!("≥ {}", h.min),
        })
        .collect();
    parts.join("; ")
}

fn deadline_text(t: &Target, plan: &Plan) -> String {
    let horizons = || {
        t.horizons
            .iter()
            .map(|h| h.by.to_string())
            .collect::<Vec<_>>()
            .join(", ")
    };
    let event = || t.event.map(|e| e.label().to_string()).unwrap_or_default();
    let period = |p: (i32, i32)| format!("{}–{}", p.0, p.1);
    match t.kind {
        Kind::Ratio | Kind::PostHolder | Kind::LecturerRatio => format!("đến năm {}", horizons()),
        Kind::Yearly => format!("hằng năm {}", period(t.years.unwrap_or(plan.period))),
        Kind::Window => format!("mỗi {} tháng", t.months.unwrap_or_default()),
        Kind::Term => t
            .term
            .map(|p| format!("trong nhiệm kỳ {}", period(p)))
            .unwrap_or_default(),
        Kind::AfterEvent => format!(
            "trong {} tháng sau {}",
            t.months.unwrap_or_default(),
            event()
        ),
        Kind::BeforeEvent => format!("trước {}", event()),
        Kind::Quota => t
            .quota
            .as_ref()
            .map(|q| period(q.period))
            .unwrap_or_default(),
        Kind::Classes => t
            .classes
            .as_ref()
            .map(|c| period(c.period))
            .unwrap_or_default(),
    }
}

fn target_row(t: &Target, plan: &Plan) -> TargetRow {
    let expr = |e: &Option<nangluc_engine::expr::Expr>| {
        e.as_ref()
            .map(|e| e.src.split_whitespace().collect::<Vec<_>>().join(" "))
            .unwrap_or_default()
    };
    let mut population = expr(&t.population);
    if population.is_empty() && !t.posts.is_empty() {
        population = format!("chức vụ: {}", t.posts.join(", "));
    }
    TargetRow {
        id: t.id.clone(),
        path: crate::pages::encode_query(&t.id),
        wording: t.wording.clone(),
        kind: kind_label(t.kind).to_string(),
        letter: t.kind.letter(),
        population,
        criterion: expr(&t.criterion),
        threshold: threshold_text(t),
        deadline: deadline_text(t, plan),
    }
}

/// The plan followed, for its page and `GET /api/v1/period-plan`.
pub fn plan_view(store: &mut Store, v: &Viewer) -> Result<Option<(PlanView, Current)>, AppError> {
    v.require(Perm::PeriodPlan)?;
    let Some(c) = current(store)? else {
        return Ok(None);
    };
    let p = &c.plan;
    let groups = p
        .groups
        .iter()
        .map(|g| GroupRows {
            id: g.id.clone(),
            name: g.name.clone(),
            targets: p
                .targets
                .iter()
                .filter(|t| t.group == g.id)
                .map(|t| target_row(t, p))
                .collect(),
        })
        .collect();
    let view = PlanView {
        key: c.row.key.clone(),
        version: c.version.version,
        saved_at: Moment(c.version.saved_at),
        saved_by: c.version.saved_by.clone(),
        comment: c.version.comment.clone(),
        name: p.name.clone(),
        issuer: p.issuer.clone(),
        decision: p.decision.clone(),
        decision_date: p.decision_date.map(Day),
        period: format!("{}–{}", p.period.0, p.period.1),
        orientation: p.orientation,
        groups,
        targets: p.targets.len(),
        can_edit: v.role.allows(Perm::EditPeriodPlan),
    };
    Ok(Some((view, c)))
}

/// One version in the history.
#[derive(Debug, Clone, Serialize)]
pub struct VersionLine {
    pub version: i64,
    pub saved_at: Moment,
    pub saved_by: String,
    pub action: &'static str,
    pub action_code: String,
    pub based_on: Option<i64>,
    pub comment: Option<String>,
    pub in_force: bool,
}

fn action_label(code: &str) -> &'static str {
    match code {
        "imported" => "Nhập từ tệp",
        "edited" => "Sửa trên trình duyệt",
        "restored" => "Khôi phục",
        _ => "Khác",
    }
}

fn version_line(v: &PeriodPlanVersion, in_force: i64) -> VersionLine {
    VersionLine {
        version: v.version,
        saved_at: Moment(v.saved_at),
        saved_by: v.saved_by.clone(),
        action: action_label(&v.action),
        action_code: v.action.clone(),
        based_on: v.based_on,
        comment: v.comment.clone(),
        in_force: v.version == in_force,
    }
}

/// The versions of the plan followed, newest first.
pub fn versions(store: &mut Store, v: &Viewer) -> Result<(String, Vec<VersionLine>), AppError> {
    v.require(Perm::PeriodPlan)?;
    let c = current_or_404(store)?;
    let all = store.period_plan_versions(&c.row.key)?;
    Ok((
        c.plan.name.clone(),
        all.iter()
            .map(|x| version_line(x, c.row.in_force))
            .collect(),
    ))
}

/// A version with its text and what it changed from the version before it.
pub struct VersionView {
    pub key: String,
    pub line: VersionLine,
    pub text: String,
    pub in_force_version: i64,
    /// Against the previous version (none for version 1, or when either
    /// no longer passes the engine's check).
    pub changes: Option<Preview>,
    pub can_restore: bool,
}

pub fn version(
    store: &mut Store,
    active: Option<&ActivePlan>,
    v: &Viewer,
    number: i64,
) -> Result<VersionView, AppError> {
    v.require(Perm::PeriodPlan)?;
    let c = current_or_404(store)?;
    let this = store
        .period_plan_version(&c.row.key, number)?
        .ok_or_else(|| AppError::NotFound(format!("phiên bản {number} của kế hoạch")))?;
    let previous = if number > 1 {
        store.period_plan_version(&c.row.key, number - 1)?
    } else {
        None
    };
    let changes = match (previous, active) {
        (Some(prev), Some(active)) => {
            let name = file_name(&c.row.key);
            match (
                Plan::parse(&prev.text, &name),
                Plan::parse(&this.text, &name),
            ) {
                (Ok(old), Ok(new)) => Some(preview_between(
                    store, active, &old, &prev.text, &new, &this.text,
                )?),
                _ => None,
            }
        }
        _ => None,
    };
    Ok(VersionView {
        key: c.row.key.clone(),
        line: version_line(&this, c.row.in_force),
        text: this.text,
        in_force_version: c.row.in_force,
        changes,
        can_restore: v.role.allows(Perm::EditPeriodPlan) && number != c.row.in_force,
    })
}

// ---------------------------------------------------------------- what a change moves

/// A target's figures as of today.
#[derive(Debug, Clone, Serialize)]
pub struct Figures {
    pub population: String,
    pub met: String,
    pub share: String,
    pub holds: Option<bool>,
}

impl Figures {
    fn of(s: &nangluc_engine::diff::Summary, ratio: bool) -> Figures {
        Figures {
            population: if ratio {
                number(s.population as i64)
            } else {
                "—".into()
            },
            met: number(s.met as i64),
            share: if ratio {
                crate::service::share_text(s.share)
            } else {
                "—".into()
            },
            holds: s.holds,
        }
    }

    pub fn status(&self) -> &'static str {
        match self.holds {
            Some(true) => "Đạt",
            Some(false) => "Chưa đạt",
            None => "—",
        }
    }
}

/// A target the change touches.
#[derive(Debug, Clone, Serialize)]
pub struct TargetChange {
    pub id: String,
    pub wording: String,
    /// What changed, in words.
    pub what: Vec<&'static str>,
    /// The threshold as the plan's page writes it, before and after.
    pub threshold: (String, String),
    pub before: Option<Figures>,
    pub after: Option<Figures>,
    pub entered: usize,
    pub left: usize,
}

/// What saving a text would move, as of today, and its lines changed.
#[derive(Debug, Clone, Serialize)]
pub struct Preview {
    pub as_of: Day,
    pub header: Vec<String>,
    pub targets: Vec<TargetChange>,
    /// The lines changed, with two lines of context around each change.
    pub lines: Vec<DiffLine>,
}

impl Preview {
    pub fn is_empty(&self) -> bool {
        self.header.is_empty() && self.targets.is_empty() && self.lines.iter().all(|l| l.tag == ' ')
    }
}

fn key_label(k: &str) -> &'static str {
    match k {
        "kind" => "loại",
        "wording" => "nội dung",
        "population" => "đối tượng",
        "criterion" => "điều kiện",
        "horizons" => "ngưỡng, thời hạn",
        "window" => "thời hạn, sự kiện",
        "quota" => "số lượt",
        "classes" => "số lớp",
        _ => "khác",
    }
}

fn header_changes(old: &Plan, new: &Plan) -> Vec<String> {
    let mut out = Vec::new();
    let mut cmp = |label: &str, a: String, b: String| {
        if a != b {
            out.push(format!("{label}: «{a}» → «{b}»"));
        }
    };
    cmp("Tên", old.name.clone(), new.name.clone());
    cmp("Cơ quan ban hành", old.issuer.clone(), new.issuer.clone());
    cmp(
        "Số văn bản",
        old.decision.clone().unwrap_or_default(),
        new.decision.clone().unwrap_or_default(),
    );
    let day = |d: Option<NaiveDate>| d.map(|d| Day(d).to_string()).unwrap_or_default();
    cmp(
        "Ngày ban hành",
        day(old.decision_date),
        day(new.decision_date),
    );
    cmp(
        "Giai đoạn",
        format!("{}–{}", old.period.0, old.period.1),
        format!("{}–{}", new.period.0, new.period.1),
    );
    let groups = |p: &Plan| {
        p.groups
            .iter()
            .map(|g| format!("{} ({})", g.name, g.id))
            .collect::<Vec<_>>()
            .join("; ")
    };
    cmp("Nhóm chỉ tiêu", groups(old), groups(new));
    out
}

/// Only the changed lines and two lines around each.
fn changed_lines(old: &str, new: &str) -> Vec<DiffLine> {
    let all = edit::line_diff(old, new);
    let near: Vec<bool> = (0..all.len())
        .map(|i| {
            all[i.saturating_sub(2)..(i + 3).min(all.len())]
                .iter()
                .any(|l| l.tag != ' ')
        })
        .collect();
    all.into_iter()
        .zip(near)
        .filter(|(_, n)| *n)
        .map(|(l, _)| l)
        .collect()
}

fn only(plan: &Plan, ids: &[String]) -> Plan {
    let mut p = plan.clone();
    p.targets.retain(|t| ids.contains(&t.id));
    p
}

fn preview_between(
    store: &mut Store,
    active: &ActivePlan,
    old: &Plan,
    old_text: &str,
    new: &Plan,
    new_text: &str,
) -> Result<Preview, AppError> {
    let (snap, _) = active.snapshot(store)?;
    let as_of = today();
    let d = diff(old, new, &snap, as_of);
    let opts = Options {
        unit: None,
        missing: false,
        pace: false,
    };
    let mut targets = Vec::new();
    for c in &d.changed {
        let ratio = |p: &Plan| p.target(&c.id).is_some_and(|t| t.kind.is_ratio());
        let mut what: Vec<&'static str> = c.changed.iter().map(|k| key_label(k)).collect();
        what.dedup();
        targets.push(TargetChange {
            id: c.id.clone(),
            wording: new
                .target(&c.id)
                .map(|t| t.wording.clone())
                .unwrap_or_default(),
            what,
            threshold: (
                old.target(&c.id).map(threshold_text).unwrap_or_default(),
                new.target(&c.id).map(threshold_text).unwrap_or_default(),
            ),
            before: Some(Figures::of(&c.before, ratio(old))),
            after: Some(Figures::of(&c.after, ratio(new))),
            entered: c.entered.len(),
            left: c.left.len(),
        });
    }
    let figures = |p: &Plan, ids: &[String]| {
        nangluc_engine::evaluate_with(&only(p, ids), &snap, as_of, &opts)
            .targets
            .iter()
            .map(|r| {
                (
                    r.id.clone(),
                    r.wording.clone(),
                    Figures::of(&r.into(), r.kind.is_ratio()),
                )
            })
            .collect::<Vec<_>>()
    };
    for (id, wording, f) in figures(new, &d.added) {
        let threshold = (
            String::new(),
            new.target(&id).map(threshold_text).unwrap_or_default(),
        );
        targets.push(TargetChange {
            id,
            wording,
            what: vec!["chỉ tiêu mới"],
            threshold,
            before: None,
            after: Some(f),
            entered: 0,
            left: 0,
        });
    }
    for (id, wording, f) in figures(old, &d.removed) {
        let threshold = (
            old.target(&id).map(threshold_text).unwrap_or_default(),
            String::new(),
        );
        targets.push(TargetChange {
            id,
            wording,
            what: vec!["bỏ chỉ tiêu"],
            threshold,
            before: Some(f),
            after: None,
            entered: 0,
            left: 0,
        });
    }
    Ok(Preview {
        as_of: Day(as_of),
        header: header_changes(old, new),
        targets,
        lines: changed_lines(old_text, new_text),
    })
}

// ---------------------------------------------------------------- editing

/// How a form field is written in the file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shape {
    /// A string.
    Text,
    /// An expression (a string, on several lines if long).
    Expr,
    /// A percentage: `80`, or `"17,08%"`.
    Percent,
    /// A whole number (a year, months).
    Int,
    /// A list of codes, written comma-separated in the form.
    List,
    /// A TOML value as written (`{ min = 30, max = 50 }`, `[2023, 2025]`, a date).
    Raw,
    /// The kind: a choice.
    Kind,
}

/// A field of a target's form: its key in the format, its label, and the
/// kinds of target it belongs to (empty: every kind).
pub struct FieldSpec {
    pub key: &'static str,
    pub label: &'static str,
    pub help: &'static str,
    pub shape: Shape,
    pub kinds: &'static [Kind],
}

const RATIO_KINDS: &[Kind] = &[
    Kind::Ratio,
    Kind::Yearly,
    Kind::Window,
    Kind::Term,
    Kind::AfterEvent,
    Kind::BeforeEvent,
    Kind::PostHolder,
    Kind::LecturerRatio,
];
const COUNTS: &[Kind] = &[Kind::Quota, Kind::Classes];

/// The keys of the format a target's form edits (the others — annex,
/// sub-quotas… — are kept as written and edited in the whole text).
pub const FIELDS: &[FieldSpec] = &[
    FieldSpec {
        key: "wording",
        label: "Nội dung chỉ tiêu",
        help: "đúng như câu trong văn bản",
        shape: Shape::Text,
        kinds: &[],
    },
    FieldSpec {
        key: "kind",
        label: "Loại chỉ tiêu",
        help: "",
        shape: Shape::Kind,
        kinds: &[],
    },
    FieldSpec {
        key: "population",
        label: "Đối tượng",
        help: "biểu thức, ví dụ category == civil_servant and level == province; bỏ trống: toàn bộ đội ngũ",
        shape: Shape::Expr,
        kinds: &[],
    },
    FieldSpec {
        key: "criterion",
        label: "Điều kiện cần đạt",
        help: "biểu thức, ví dụ political_theory >= trung_cap",
        shape: Shape::Expr,
        kinds: RATIO_KINDS,
    },
    FieldSpec {
        key: "min",
        label: "Ngưỡng tối thiểu (%)",
        help: "ví dụ 80 hoặc 17,08",
        shape: Shape::Percent,
        kinds: RATIO_KINDS,
    },
    FieldSpec {
        key: "stretch",
        label: "Mức phấn đấu (%)",
        help: "mức trên của khoảng 30–50 %; có thể bỏ trống",
        shape: Shape::Percent,
        kinds: RATIO_KINDS,
    },
    FieldSpec {
        key: "by",
        label: "Đến năm",
        help: "mặc định: năm cuối của giai đoạn",
        shape: Shape::Int,
        kinds: RATIO_KINDS,
    },
    FieldSpec {
        key: "horizons",
        label: "Các mốc (thay cho ngưỡng và năm)",
        help: "ví dụ [ { by = 2025, min = 80 }, { by = 2030, min = 100 } ]",
        shape: Shape::Raw,
        kinds: RATIO_KINDS,
    },
    FieldSpec {
        key: "months",
        label: "Số tháng",
        help: "W: bồi dưỡng lại mỗi N tháng; E: trong N tháng sau sự kiện",
        shape: Shape::Int,
        kinds: &[Kind::Window, Kind::AfterEvent],
    },
    FieldSpec {
        key: "term",
        label: "Nhiệm kỳ",
        help: "ví dụ 2021-2026",
        shape: Shape::Text,
        kinds: &[Kind::Term],
    },
    FieldSpec {
        key: "event",
        label: "Sự kiện",
        help: "appointment, election, appointment_or_election, planning_approval, rank_appointment",
        shape: Shape::Text,
        kinds: &[Kind::AfterEvent, Kind::BeforeEvent],
    },
    FieldSpec {
        key: "events_from",
        label: "Tính sự kiện từ ngày",
        help: "ví dụ 2023-01-01; mặc định: đầu giai đoạn",
        shape: Shape::Raw,
        kinds: &[Kind::AfterEvent, Kind::BeforeEvent],
    },
    FieldSpec {
        key: "years",
        label: "Các năm",
        help: "ví dụ [2023, 2025]; mặc định: giai đoạn",
        shape: Shape::Raw,
        kinds: &[Kind::Yearly, Kind::BeforeEvent],
    },
    FieldSpec {
        key: "posts",
        label: "Chức vụ",
        help: "mã chức vụ, cách nhau bởi dấu phẩy",
        shape: Shape::List,
        kinds: &[Kind::PostHolder],
    },
    FieldSpec {
        key: "per_year",
        label: "Mỗi năm",
        help: "ví dụ { min = 30, max = 50 } hoặc 30",
        shape: Shape::Raw,
        kinds: COUNTS,
    },
    FieldSpec {
        key: "total",
        label: "Tổng cả giai đoạn",
        help: "ví dụ { min = 500 }",
        shape: Shape::Raw,
        kinds: &[Kind::Quota],
    },
    FieldSpec {
        key: "by_year",
        label: "Theo từng năm",
        help: "ví dụ { 2023 = 23, 2024 = 17 }",
        shape: Shape::Raw,
        kinds: &[Kind::Quota],
    },
    FieldSpec {
        key: "period",
        label: "Giai đoạn của chỉ tiêu",
        help: "ví dụ [2023, 2025]; mặc định: giai đoạn của kế hoạch",
        shape: Shape::Raw,
        kinds: COUNTS,
    },
    FieldSpec {
        key: "count",
        label: "Cách đếm",
        help: "lượt: sent hoặc completed; lớp: planned, opened hoặc finished",
        shape: Shape::Text,
        kinds: COUNTS,
    },
    FieldSpec {
        key: "class_size",
        label: "Sĩ số lớp",
        help: "ví dụ { min = 40, max = 50 }",
        shape: Shape::Raw,
        kinds: &[Kind::Classes],
    },
    FieldSpec {
        key: "programmes",
        label: "Chương trình",
        help: "mã chương trình, cách nhau bởi dấu phẩy",
        shape: Shape::List,
        kinds: COUNTS,
    },
    FieldSpec {
        key: "topics",
        label: "Chủ đề",
        help: "mã chủ đề, cách nhau bởi dấu phẩy",
        shape: Shape::List,
        kinds: COUNTS,
    },
    FieldSpec {
        key: "levels",
        label: "Trình độ được cấp",
        help: "ví dụ thac_si, tien_si",
        shape: Shape::List,
        kinds: COUNTS,
    },
    FieldSpec {
        key: "training",
        label: "Hình thức",
        help: "dao_tao hoặc boi_duong",
        shape: Shape::Text,
        kinds: COUNTS,
    },
    FieldSpec {
        key: "note",
        label: "Ghi chú",
        help: "hiện bên cạnh kết quả",
        shape: Shape::Text,
        kinds: &[],
    },
];

/// A field of the form, filled.
#[derive(Debug, Clone)]
pub struct FormField {
    pub key: &'static str,
    pub label: &'static str,
    pub help: &'static str,
    pub shape: Shape,
    pub value: String,
    pub errors: Vec<String>,
}

impl FormField {
    pub fn multiline(&self) -> bool {
        matches!(self.shape, Shape::Expr) || (self.shape == Shape::Text && self.key == "wording")
    }
    pub fn is_kind(&self) -> bool {
        self.shape == Shape::Kind
    }
}

/// The form of a target (to edit, or a new one).
#[derive(Debug, Clone)]
pub struct TargetForm {
    /// `None`: a new target.
    pub editing: Option<String>,
    pub id: String,
    pub group: String,
    pub kind: Kind,
    pub fields: Vec<FormField>,
    /// Errors not tied to one field, with their line and column.
    pub errors: Vec<String>,
    /// The version the form was opened on.
    pub base: i64,
    pub groups: Vec<(String, String)>,
    pub id_errors: Vec<String>,
}

/// What the form posts: the field values by key, plus id/group for a new target.
pub type Posted = Vec<(String, String)>;

fn posted<'a>(p: &'a Posted, key: &str) -> Option<&'a str> {
    p.iter().find(|(k, _)| k == key).map(|(_, v)| v.as_str())
}

fn shown(value: &FieldText) -> String {
    match value {
        FieldText::Str(s) => s.trim_end_matches('\n').to_string(),
        FieldText::List(items) => items.join(", "),
        FieldText::Raw(r) => r.clone(),
    }
}

fn fields_for(kind: Kind, present: &[String]) -> Vec<&'static FieldSpec> {
    FIELDS
        .iter()
        .filter(|f| {
            f.kinds.is_empty() || f.kinds.contains(&kind) || present.iter().any(|k| k == f.key)
        })
        .collect()
}

fn groups_of(plan: &Plan) -> Vec<(String, String)> {
    plan.groups
        .iter()
        .map(|g| (g.id.clone(), g.name.clone()))
        .collect()
}

/// The form of a target of the plan in force, filled with its values.
pub fn edit_form(store: &mut Store, v: &Viewer, id: &str) -> Result<TargetForm, AppError> {
    v.require(Perm::EditPeriodPlan)?;
    let c = current_or_404(store)?;
    let t = c
        .plan
        .target(id)
        .ok_or_else(|| AppError::NotFound(format!("chỉ tiêu '{id}'")))?;
    let values = edit::target_values(&c.version.text, id).map_err(|e| AppError::BadRequest(e.0))?;
    let present: Vec<String> = values.iter().map(|(k, _)| k.clone()).collect();
    let fields = fields_for(t.kind, &present)
        .into_iter()
        .map(|f| FormField {
            key: f.key,
            label: f.label,
            help: f.help,
            shape: f.shape,
            value: values
                .iter()
                .find(|(k, _)| k == f.key)
                .map(|(_, v)| shown(v))
                .unwrap_or_default(),
            errors: Vec::new(),
        })
        .collect();
    Ok(TargetForm {
        editing: Some(id.to_string()),
        id: id.to_string(),
        group: t.group.clone(),
        kind: t.kind,
        fields,
        errors: Vec::new(),
        base: c.version.version,
        groups: groups_of(&c.plan),
        id_errors: Vec::new(),
    })
}

/// An empty form for a new target of a kind (ratio unless chosen).
pub fn new_form(store: &mut Store, v: &Viewer, kind: Option<&str>) -> Result<TargetForm, AppError> {
    v.require(Perm::EditPeriodPlan)?;
    let c = current_or_404(store)?;
    let kind = kind.and_then(Kind::parse).unwrap_or(Kind::Ratio);
    let fields = fields_for(kind, &[])
        .into_iter()
        .map(|f| FormField {
            key: f.key,
            label: f.label,
            help: f.help,
            shape: f.shape,
            value: if f.key == "kind" {
                kind.name().to_string()
            } else {
                String::new()
            },
            errors: Vec::new(),
        })
        .collect();
    Ok(TargetForm {
        editing: None,
        id: String::new(),
        group: c
            .plan
            .groups
            .first()
            .map(|g| g.id.clone())
            .unwrap_or_default(),
        kind,
        fields,
        errors: Vec::new(),
        base: c.version.version,
        groups: groups_of(&c.plan),
        id_errors: Vec::new(),
    })
}

/// A form value as a TOML value; `None` removes the key. A value that does
/// not fit its shape is written as a string, so that the engine's check says
/// what is wrong with it, where.
fn toml_value(shape: Shape, raw: &str) -> Result<Option<String>, String> {
    let s = raw.trim();
    if s.is_empty() {
        return Ok(None);
    }
    Ok(Some(match shape {
        Shape::Text | Shape::Expr | Shape::Kind => edit::toml_string(s),
        Shape::Percent => {
            if s.bytes().all(|b| b.is_ascii_digit()) && s.len() <= 3 {
                s.to_string()
            } else {
                let t = s.trim_end_matches('%').trim();
                edit::toml_string(&format!("{t}%"))
            }
        }
        Shape::Int => {
            if s.parse::<i64>().is_ok() {
                s.to_string()
            } else {
                edit::toml_string(s)
            }
        }
        Shape::List => {
            let items: Vec<String> = s
                .split([',', ';', '\n'])
                .map(str::trim)
                .filter(|x| !x.is_empty())
                .map(str::to_string)
                .collect();
            edit::toml_list(&items)
        }
        Shape::Raw => {
            if s.contains('\n') {
                return Err("viết trên một dòng".into());
            }
            s.to_string()
        }
    }))
}

/// The result of a posted form: the text to preview, or the form again with
/// every error beside its field.
pub enum FormOutcome {
    Preview(Box<PreviewPage>),
    Invalid(Box<TargetForm>),
}

/// A change ready to be saved: what it moves, and what the save form posts.
pub struct PreviewPage {
    pub title: String,
    pub preview: Preview,
    pub text: String,
    pub base: i64,
    pub action: &'static str,
    pub based_on: Option<i64>,
    pub comment: String,
}

fn form_error(e: &PlanError) -> String {
    format!("dòng {}, cột {}: {}", e.line, e.column, e.message)
}

/// Checks a target's form: builds the new text (the target's keys set or
/// removed; or a new target added to its group), checks it with the engine
/// and gives what it would move, or the form with the errors.
pub fn submit_form(
    store: &mut Store,
    active: Option<&ActivePlan>,
    v: &Viewer,
    editing: Option<&str>,
    form: &Posted,
) -> Result<FormOutcome, AppError> {
    v.require(Perm::EditPeriodPlan)?;
    let c = current_or_404(store)?;
    let base: i64 = posted(form, "base")
        .and_then(|b| b.parse().ok())
        .unwrap_or(c.version.version);
    let kind_text = posted(form, "kind").unwrap_or("ratio");
    let kind = Kind::parse(kind_text.trim()).unwrap_or(Kind::Ratio);
    let (id, group) = match editing {
        Some(id) => {
            let t = c
                .plan
                .target(id)
                .ok_or_else(|| AppError::NotFound(format!("chỉ tiêu '{id}'")))?;
            (id.to_string(), t.group.clone())
        }
        None => (
            posted(form, "id").unwrap_or_default().trim().to_string(),
            posted(form, "group").unwrap_or_default().trim().to_string(),
        ),
    };
    let present: Vec<String> = match editing {
        Some(id) => edit::target_values(&c.version.text, id)
            .map_err(|e| AppError::BadRequest(e.0))?
            .into_iter()
            .map(|(k, _)| k)
            .collect(),
        None => Vec::new(),
    };
    let specs = fields_for(kind, &present);
    let mut fields: Vec<FormField> = specs
        .iter()
        .map(|f| FormField {
            key: f.key,
            label: f.label,
            help: f.help,
            shape: f.shape,
            value: posted(form, f.key).unwrap_or_default().to_string(),
            errors: Vec::new(),
        })
        .collect();
    let mut form_out = TargetForm {
        editing: editing.map(str::to_string),
        id: id.clone(),
        group: group.clone(),
        kind,
        fields: Vec::new(),
        errors: Vec::new(),
        base,
        groups: groups_of(&c.plan),
        id_errors: Vec::new(),
    };
    // Values into TOML; a field of another kind (the kind changed) is removed.
    let mut values: Vec<(&str, Option<String>)> = Vec::new();
    for f in fields.iter_mut() {
        match toml_value(f.shape, &f.value) {
            Ok(v) => values.push((f.key, v)),
            Err(e) => f.errors.push(e),
        }
    }
    for k in &present {
        if !fields.iter().any(|f| f.key == k.as_str()) && FIELDS.iter().any(|f| f.key == k.as_str())
        {
            values.push((
                FIELDS
                    .iter()
                    .find(|f| f.key == k.as_str())
                    .map(|f| f.key)
                    .unwrap_or("note"),
                None,
            ));
        }
    }
    if editing.is_none() {
        if id.is_empty() {
            form_out
                .id_errors
                .push("Hãy ghi mã chỉ tiêu (ví dụ 16c).".into());
        } else if c.plan.target(&id).is_some() {
            form_out.id_errors.push(format!(
                "Mã chỉ tiêu '{id}' đã có trong kế hoạch; hãy chọn mã khác."
            ));
        }
        if !c.plan.groups.iter().any(|g| g.id == group) {
            form_out
                .errors
                .push(format!("Không có nhóm chỉ tiêu '{group}'."));
        }
    }
    if fields.iter().any(|f| !f.errors.is_empty())
        || !form_out.id_errors.is_empty()
        || !form_out.errors.is_empty()
    {
        form_out.fields = fields;
        return Ok(FormOutcome::Invalid(Box::new(form_out)));
    }
    let text = match editing {
        Some(id) => edit::set_target_fields(&c.version.text, id, &values),
        None => {
            let mut new_fields: Vec<(&str, String)> = vec![("id", edit::toml_string(&id))];
            new_fields.extend(
                values
                    .iter()
                    .filter_map(|(k, v)| v.clone().map(|v| (*k, v))),
            );
            edit::add_target(&c.version.text, &group, &new_fields)
        }
    }
    .map_err(|e| AppError::BadRequest(e.0))?;
    match check_text(&text, &c.row.key) {
        Ok(plan) => {
            let active = active.ok_or_else(no_dashboard)?;
            let preview = preview_between(store, active, &c.plan, &c.version.text, &plan, &text)?;
            let title = match editing {
                Some(id) => format!("Sửa chỉ tiêu {id}"),
                None => format!("Thêm chỉ tiêu {id}"),
            };
            Ok(FormOutcome::Preview(Box::new(PreviewPage {
                comment: title.clone(),
                title,
                preview,
                text,
                base,
                action: "edited",
                based_on: None,
            })))
        }
        Err(errors) => {
            for e in &errors {
                match edit::field_at(&text, &id, e.line) {
                    Some(key) if key == "id" => form_out.id_errors.push(form_error(e)),
                    Some(key) => match fields.iter_mut().find(|f| f.key == key) {
                        Some(f) => f.errors.push(form_error(e)),
                        None => form_out.errors.push(form_error(e)),
                    },
                    None => form_out.errors.push(form_error(e)),
                }
            }
            form_out.fields = fields;
            Ok(FormOutcome::Invalid(Box::new(form_out)))
        }
    }
}

fn no_dashboard() -> AppError {
    AppError::NotFound("kế hoạch đang áp dụng (máy chủ chạy không có kế hoạch)".into())
}

/// The change that removes a target, ready to be saved.
pub fn removal(
    store: &mut Store,
    active: Option<&ActivePlan>,
    v: &Viewer,
    id: &str,
) -> Result<PreviewPage, AppError> {
    v.require(Perm::EditPeriodPlan)?;
    let c = current_or_404(store)?;
    c.plan
        .target(id)
        .ok_or_else(|| AppError::NotFound(format!("chỉ tiêu '{id}'")))?;
    let text = edit::remove_target(&c.version.text, id).map_err(|e| AppError::BadRequest(e.0))?;
    let plan = check_text(&text, &c.row.key).map_err(|errors| {
        AppError::BadRequest(format!(
            "Bỏ chỉ tiêu '{id}' làm kế hoạch có lỗi:{}",
            errors_text(&errors)
        ))
    })?;
    let active = active.ok_or_else(no_dashboard)?;
    let preview = preview_between(store, active, &c.plan, &c.version.text, &plan, &text)?;
    Ok(PreviewPage {
        title: format!("Bỏ chỉ tiêu {id}"),
        comment: format!("Bỏ chỉ tiêu {id}"),
        preview,
        text,
        base: c.version.version,
        action: "edited",
        based_on: None,
    })
}

/// The whole text of the version in force, for the advanced editor.
pub fn text_form(store: &mut Store, v: &Viewer) -> Result<(String, i64), AppError> {
    v.require(Perm::EditPeriodPlan)?;
    let c = current_or_404(store)?;
    Ok((c.version.text, c.version.version))
}

/// A whole text posted by the advanced editor: what it would move, or every
/// error the engine found.
pub fn submit_text(
    store: &mut Store,
    active: Option<&ActivePlan>,
    v: &Viewer,
    text: &str,
    base: i64,
) -> Result<Result<PreviewPage, Vec<PlanError>>, AppError> {
    v.require(Perm::EditPeriodPlan)?;
    let c = current_or_404(store)?;
    let text = text.replace("\r\n", "\n");
    let plan = match check_text(&text, &c.row.key) {
        Ok(p) => p,
        Err(errors) => return Ok(Err(errors)),
    };
    let active = active.ok_or_else(no_dashboard)?;
    let preview = preview_between(store, active, &c.plan, &c.version.text, &plan, &text)?;
    Ok(Ok(PreviewPage {
        title: "Sửa toàn văn kế hoạch".into(),
        comment: String::new(),
        preview,
        text,
        base,
        action: "edited",
        based_on: None,
    }))
}

/// Why a save was refused.
pub enum SaveError {
    /// The engine's errors: nothing saved.
    Invalid(Vec<PlanError>),
    Other(AppError),
}

impl From<AppError> for SaveError {
    fn from(e: AppError) -> Self {
        SaveError::Other(e)
    }
}

impl From<StoreError> for SaveError {
    fn from(e: StoreError) -> Self {
        SaveError::Other(match e {
            StoreError::Conflict(m) => AppError::Conflict(m),
            e => e.into(),
        })
    }
}

/// What a save needs.
pub struct SaveRequest<'a> {
    pub text: &'a str,
    /// The version the editor started from (`None`: whatever is in force now).
    pub base: Option<i64>,
    pub comment: &'a str,
    /// edited or restored.
    pub action: &'a str,
    pub based_on: Option<i64>,
}

/// Saves a new version of the plan followed: checked by the engine (nothing
/// saved on error), refused if another version came into force since `base`,
/// and followed at once by the application.
pub fn save(
    store: &mut Store,
    active: Option<&ActivePlan>,
    v: &Viewer,
    req: &SaveRequest<'_>,
    now: DateTime<Utc>,
) -> Result<i64, SaveError> {
    v.require(Perm::EditPeriodPlan)?;
    let c = current_or_404(store)?;
    let text = req.text.replace("\r\n", "\n");
    let plan = check_text(&text, &c.row.key).map_err(SaveError::Invalid)?;
    let comment = req.comment.trim();
    if comment.is_empty() {
        return Err(AppError::BadRequest(
            "Hãy ghi lý do thay đổi (nội dung ghi chú của phiên bản mới).".into(),
        )
        .into());
    }
    let base = req.base.unwrap_or(c.row.in_force);
    if text == c.version.text && base == c.row.in_force {
        return Err(AppError::BadRequest(format!(
            "Nội dung giống hệt phiên bản {} đang áp dụng; không có gì để lưu.",
            c.row.in_force
        ))
        .into());
    }
    let new = NewPeriodPlanVersion {
        key: &c.row.key,
        text: &text,
        action: req.action,
        expected: Some(base),
        based_on: req.based_on,
        comment: Some(comment),
        follow: true,
    };
    let version = store.save_period_plan_version(&new, &Stamp::new(v.username.clone(), now))?;
    if let Some(active) = active {
        active.replace(plan, Some(version));
    }
    Ok(version)
}

/// Restores an old version: saved again as a new version.
pub fn restore(
    store: &mut Store,
    active: Option<&ActivePlan>,
    v: &Viewer,
    number: i64,
    base: Option<i64>,
    comment: &str,
    now: DateTime<Utc>,
) -> Result<i64, SaveError> {
    v.require(Perm::EditPeriodPlan)?;
    let c = current_or_404(store)?;
    let old = store
        .period_plan_version(&c.row.key, number)?
        .ok_or_else(|| AppError::NotFound(format!("phiên bản {number} của kế hoạch")))?;
    let comment = if comment.trim().is_empty() {
        format!("Khôi phục phiên bản {number}")
    } else {
        comment.trim().to_string()
    };
    save(
        store,
        active,
        v,
        &SaveRequest {
            text: &old.text,
            base,
            comment: &comment,
            action: "restored",
            based_on: Some(number),
        },
        now,
    )
}

/// An engine error as the API gives it.
#[derive(Debug, Clone, Serialize)]
pub struct ApiError {
    pub line: usize,
    pub column: usize,
    pub message: String,
    /// The name the engine suggests for a misspelt one, if any.
    pub suggestion: Option<String>,
}

impl From<&PlanError> for ApiError {
    fn from(e: &PlanError) -> Self {
        let suggestion = e
            .message
            .split_once("có phải '")
            .and_then(|(_, rest)| rest.split_once('\''))
            .map(|(s, _)| s.to_string());
        ApiError {
            line: e.line,
            column: e.column,
            message: e.message.clone(),
            suggestion,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn form_values_become_toml_values() {
        assert_eq!(
            toml_value(Shape::Percent, "80").unwrap().as_deref(),
            Some("80")
        );
        assert_eq!(
            toml_value(Shape::Percent, "17,08").unwrap().as_deref(),
            Some("\"17,08%\"")
        );
        assert_eq!(
            toml_value(Shape::Percent, "17,08 %").unwrap().as_deref(),
            Some("\"17,08%\"")
        );
        assert_eq!(
            toml_value(Shape::Int, "2025").unwrap().as_deref(),
            Some("2025")
        );
        assert_eq!(
            toml_value(Shape::Int, "hai").unwrap().as_deref(),
            Some("\"hai\"")
        );
        assert_eq!(
            toml_value(Shape::List, "a, b ,,c").unwrap().as_deref(),
            Some("[\"a\", \"b\", \"c\"]")
        );
        assert_eq!(toml_value(Shape::Text, "  ").unwrap(), None);
        assert!(toml_value(Shape::Raw, "{ min = 1,\n max = 2 }").is_err());
    }

    #[test]
    fn the_plan_id_is_found_in_its_table() {
        let text = "# id = \"x\"\n[plan]\nname = \"a\"\n  id = \"k\"\n[[groups]]\nid = \"g\"\n";
        assert_eq!(plan_id_position(text), (4, 3));
    }

    #[test]
    fn suggestions_are_taken_from_the_message() {
        let e = PlanError {
            file: "k.toml".into(),
            line: 3,
            column: 14,
            message:
                "criterion: không biết thuộc tính 'langauge_level' — có phải 'language_level'?"
                    .into(),
        };
        assert_eq!(
            ApiError::from(&e).suggestion.as_deref(),
            Some("language_level")
        );
    }
}
