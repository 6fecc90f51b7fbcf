//! The readings of the application, each checked against the viewer's role
//! and scope here — never in templates. Pages and the JSON API call the same
//! functions and get the same view models (which print the Vietnamese way and
//! serialise as ISO values).

use std::collections::HashMap;
use std::sync::Arc;

use chrono::{Datelike, NaiveDate, Utc};
use nangluc_core::employment::{Category, Employment, post_name, rank_name};
use nangluc_core::person::PersonDetails;
use nangluc_core::qualification::Level;
use nangluc_core::{AsOf, ChangeSet, Fact, Table, Versioned};
use nangluc_store::{ChangeFilter, PeopleQuery, Store};
use serde::{Deserialize, Serialize};

use crate::auth::{Perm, Role, Viewer};
use crate::error::AppError;
use crate::fmt::{Coded, Day, Moment, money, number, parse_day, today};
use crate::targets::ActivePlan;

pub const PAGE_SIZE: usize = 50;

fn today_as_of() -> AsOf {
    AsOf::date(today())
}

// ---------------------------------------------------------------- scope

/// Which people a viewer may read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PeopleScope {
    All,
    /// People employed today in the subtree of this unit.
    Subtree(i64),
    Only(i64),
    Nobody,
}

pub fn people_scope(v: &Viewer) -> PeopleScope {
    match v.role {
        Role::Admin | Role::Finance => PeopleScope::All,
        Role::UnitHr => v.unit_id.map_or(PeopleScope::Nobody, PeopleScope::Subtree),
        Role::Employee => v.person_id.map_or(PeopleScope::Nobody, PeopleScope::Only),
        Role::Institution | Role::Leader => PeopleScope::Nobody,
    }
}

/// Whether the viewer may read this person's record.
pub fn can_see_person(store: &mut Store, v: &Viewer, person_id: i64) -> Result<bool, AppError> {
    Ok(match people_scope(v) {
        PeopleScope::All => true,
        PeopleScope::Only(id) => id == person_id,
        PeopleScope::Nobody => false,
        PeopleScope::Subtree(unit) => {
            let q = PeopleQuery {
                scope_unit: Some(unit),
                only_person: Some(person_id),
                limit: 1,
                ..PeopleQuery::new("", today_as_of())
            };
            !store.search_people(&q)?.hits.is_empty()
        }
    })
}

/// Applies a change in the viewer's name: every write goes through here, so
/// that the audit trail names the account. The dashboard's snapshot and
/// cached results are dropped once the change is stored.
pub fn apply(
    store: &mut Store,
    v: &Viewer,
    plan: Option<&ActivePlan>,
    mut change: ChangeSet,
) -> Result<nangluc_core::Applied, AppError> {
    change.actor = v.username.clone();
    let applied = store.apply(&change)?;
    if let Some(p) = plan {
        p.invalidate();
    }
    Ok(applied)
}

// ---------------------------------------------------------------- registry

#[derive(Debug, Clone, Default, Deserialize)]
pub struct RegistryFilter {
    #[serde(default)]
    pub q: String,
    pub unit: Option<String>,
    pub category: Option<String>,
    pub post: Option<String>,
    pub page: Option<usize>,
}

#[derive(Debug, Clone, Serialize)]
pub struct JobLine {
    pub unit_id: i64,
    pub unit_name: String,
    pub category: Coded,
    pub rank: Option<String>,
    pub post: Option<String>,
    pub from: Day,
    /// The first day it no longer holds (exclusive); `None` while it holds.
    pub to: Option<Day>,
    /// Held on the date of the reading.
    pub current: bool,
}

impl JobLine {
    /// The last day it held, as people write periods ("01/01/2015 – 28/02/2022").
    pub fn last_day(&self) -> Option<Day> {
        last_day(self.to)
    }
}

/// The last day of a half-open period ending on `to`.
pub fn last_day(to: Option<Day>) -> Option<Day> {
    to.map(|d| Day(d.0.pred_opt().unwrap_or(d.0)))
}

#[derive(Debug, Clone, Serialize)]
pub struct PersonRow {
    pub id: i64,
    pub full_name: String,
    pub identity_number: String,
    pub birth_date: Day,
    pub sex: Coded,
    pub jobs: Vec<JobLine>,
}

#[derive(Debug, Clone, Serialize)]
pub struct PeopleResult {
    pub as_of: Day,
    pub items: Vec<PersonRow>,
    pub page: usize,
    pub more: bool,
}

fn job_line(
    e: &Employment,
    unit_name: String,
    from: NaiveDate,
    to: Option<NaiveDate>,
    current: bool,
) -> JobLine {
    JobLine {
        unit_id: e.unit_id,
        unit_name,
        category: Coded::new(e.category.code(), e.category.label()),
        rank: e
            .rank
            .as_deref()
            .map(|r| rank_name(r).map_or_else(|| r.to_string(), str::to_string)),
        post: e
            .post
            .as_ref()
            .map(|p| post_name(&p.code).map_or_else(|| p.code.clone(), str::to_string)),
        from: Day(from),
        to: to.map(Day),
        current,
    }
}

fn opt_id(s: &Option<String>) -> Result<Option<i64>, AppError> {
    match s.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        None => Ok(None),
        Some(s) => s
            .parse()
            .map(Some)
            .map_err(|_| AppError::BadRequest(format!("'{s}' không phải mã số hợp lệ."))),
    }
}

pub fn search_people(
    store: &mut Store,
    v: &Viewer,
    f: &RegistryFilter,
) -> Result<PeopleResult, AppError> {
    v.require(Perm::People)?;
    let as_of = today_as_of();
    let page = f.page.unwrap_or(1).max(1);
    let mut q = PeopleQuery {
        offset: (page - 1) * PAGE_SIZE,
        limit: PAGE_SIZE,
        ..PeopleQuery::new(f.q.trim(), as_of)
    };
    match people_scope(v) {
        PeopleScope::All => {}
        PeopleScope::Subtree(u) => q.scope_unit = Some(u),
        PeopleScope::Only(id) => q.only_person = Some(id),
        PeopleScope::Nobody => return Err(AppError::Forbidden),
    }
    q.unit = opt_id(&f.unit)?;
    q.category = match f.category.as_deref().filter(|s| !s.is_empty()) {
        None => None,
        Some(c) => Some(
            Category::from_code(c)
                .ok_or_else(|| AppError::BadRequest(format!("Không có loại cán bộ '{c}'.")))?,
        ),
    };
    q.post = f.post.clone().filter(|s| !s.is_empty());
    let found = store.search_people(&q)?;
    let items = found
        .hits
        .into_iter()
        .map(|h| PersonRow {
            id: h.id,
            full_name: h.person.full_name(),
            identity_number: h.person.identity_number.clone(),
            birth_date: Day(h.person.birth_date),
            sex: Coded::new(h.person.sex.code(), h.person.sex.label()),
            jobs: h
                .employments
                .iter()
                .map(|(e, name)| job_line(e, name.clone(), as_of.date, None, true))
                .collect(),
        })
        .collect();
    Ok(PeopleResult {
        as_of: Day(as_of.date),
        items,
        page,
        more: found.more,
    })
}

/// Units for the registry's filter: every unit as of today, in tree order.
pub fn unit_choices(store: &mut Store, v: &Viewer) -> Result<Vec<UnitNode>, AppError> {
    let units = units_tree(store, v, today())?;
    Ok(match people_scope(v) {
        PeopleScope::Subtree(root) => {
            let ids = store.unit_subtree(root, &today_as_of())?;
            units
                .units
                .into_iter()
                .filter(|u| ids.contains(&u.id))
                .collect()
        }
        _ => units.units,
    })
}

// ---------------------------------------------------------------- person

#[derive(Debug, Clone, Serialize)]
pub struct RoleLine {
    pub kind: Coded,
    pub term: Option<String>,
    pub post: Option<String>,
    pub approved_on: Option<Day>,
    pub from: Day,
    pub to: Option<Day>,
    pub current: bool,
}

impl RoleLine {
    pub fn last_day(&self) -> Option<Day> {
        last_day(self.to)
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct QualificationLine {
    pub kind: Coded,
    pub level: Coded,
    pub field: Option<String>,
    pub language: Option<String>,
    pub obtained_on: Day,
    pub evidence: Option<String>,
    /// Obtained by the date of the reading.
    pub held: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct TrainingLine {
    pub programme_id: i64,
    pub programme: String,
    pub class_id: Option<i64>,
    pub class_code: Option<String>,
    pub status: Coded,
    pub starts_on: Day,
    pub ends_on: Day,
    pub attendance: Option<String>,
    pub result: Option<String>,
    pub certificate: Option<String>,
    pub cost: String,
    pub funding: Coded,
}

#[derive(Debug, Clone, Serialize)]
pub struct PersonView {
    pub id: i64,
    pub as_of: Day,
    pub full_name: String,
    pub identity_number: String,
    pub birth_date: Day,
    pub age: i32,
    pub sex: Coded,
    pub ethnicity: String,
    /// The details shown are those in force on the date (or the latest known
    /// when the person was not yet recorded then).
    pub details_in_force: bool,
    pub jobs: Vec<JobLine>,
    pub roles: Vec<RoleLine>,
    pub qualifications: Vec<QualificationLine>,
    pub training: Vec<TrainingLine>,
}

impl PersonView {
    pub fn current_jobs(&self) -> Vec<&JobLine> {
        self.jobs.iter().filter(|j| j.current).collect()
    }
}

/// Names of entities over time, read once per page.
pub(crate) struct Names<'a> {
    store: &'a mut Store,
    versions: HashMap<(Table, i64), Vec<Versioned<Fact>>>,
}

impl<'a> Names<'a> {
    pub(crate) fn new(store: &'a mut Store) -> Self {
        Self {
            store,
            versions: HashMap::new(),
        }
    }

    /// The version of an entity in force on a date (current knowledge), or its latest.
    pub(crate) fn on(&mut self, table: Table, id: i64, date: NaiveDate) -> Result<Option<Fact>, AppError> {
        if !self.versions.contains_key(&(table, id)) {
            let h = self.store.history(table, id)?;
            let current: Vec<_> = h
                .into_iter()
                .filter(|v| v.recording.superseded_at.is_none())
                .collect();
            self.versions.insert((table, id), current);
        }
        let versions = &self.versions[&(table, id)];
        Ok(versions
            .iter()
            .rev()
            .find(|v| v.valid.contains(date))
            .or(versions.last())
            .map(|v| v.data.clone()))
    }

    pub(crate) fn unit(&mut self, id: i64, date: NaiveDate) -> Result<String, AppError> {
        Ok(match self.on(Table::Units, id, date)? {
            Some(Fact::Unit(u)) => u.name,
            _ => format!("Đơn vị số {id}"),
        })
    }

    pub(crate) fn programme(&mut self, id: i64, date: NaiveDate) -> Result<String, AppError> {
        Ok(match self.on(Table::Programmes, id, date)? {
            Some(Fact::Programme(p)) => p.name,
            _ => format!("Chương trình số {id}"),
        })
    }

    pub(crate) fn institution(&mut self, id: i64, date: NaiveDate) -> Result<String, AppError> {
        Ok(match self.on(Table::Institutions, id, date)? {
            Some(Fact::Institution(i)) => i.name,
            _ => format!("Cơ sở số {id}"),
        })
    }

    pub(crate) fn class_code(&mut self, id: i64, date: NaiveDate) -> Result<Option<String>, AppError> {
        Ok(match self.on(Table::Classes, id, date)? {
            Some(Fact::Class(c)) => Some(c.code),
            _ => None,
        })
    }

    pub(crate) fn person(&mut self, id: i64, date: NaiveDate) -> Result<Option<PersonDetails>, AppError> {
        Ok(match self.on(Table::People, id, date)? {
            Some(Fact::Person(p)) => Some(p),
            _ => None,
        })
    }
}

fn level_label(kind: nangluc_core::qualification::QualificationKind, code: &str) -> Coded {
    let name =
        Level::from_code(kind, code).map_or_else(|| code.to_string(), |l| l.name().to_string());
    Coded::new(code, name)
}

pub fn person(
    store: &mut Store,
    v: &Viewer,
    id: i64,
    date: Option<NaiveDate>,
) -> Result<PersonView, AppError> {
    v.require(Perm::People)?;
    if !can_see_person(store, v, id)? {
        return Err(AppError::Forbidden);
    }
    let date = date.unwrap_or_else(today);
    let history = store.history(Table::People, id)?;
    let believed: Vec<_> = history
        .iter()
        .filter(|r| r.recording.superseded_at.is_none())
        .collect();
    let in_force = believed.iter().rev().find(|r| r.valid.contains(date));
    let Some(row) = in_force.or(believed.last()) else {
        return Err(AppError::NotFound(format!("người có mã số {id}")));
    };
    let Fact::Person(p) = &row.data else {
        return Err(AppError::Internal("bản ghi người không hợp lệ".into()));
    };
    let facts = store.person_facts(id, None)?;
    let mut names = Names::new(store);
    let (mut jobs, mut roles, mut qualifications, mut training) =
        (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    for f in &facts {
        let current = f.valid.contains(date);
        match &f.data {
            Fact::Employment(e) => {
                let name = names.unit(e.unit_id, f.valid.from)?;
                jobs.push(job_line(e, name, f.valid.from, f.valid.to, current));
            }
            Fact::Role(r) => roles.push(RoleLine {
                kind: Coded::new(r.kind.code(), r.kind.label()),
                term: r.term.clone(),
                post: r
                    .post
                    .as_deref()
                    .map(|c| post_name(c).map_or_else(|| c.to_string(), str::to_string)),
                approved_on: r.approved_on.map(Day),
                from: Day(f.valid.from),
                to: f.valid.to.map(Day),
                current,
            }),
            Fact::Qualification(q) => qualifications.push(QualificationLine {
                kind: Coded::new(q.kind.code(), q.kind.label()),
                level: level_label(q.kind, &q.level),
                field: q.field.clone(),
                language: q.language.clone(),
                obtained_on: Day(q.obtained_on),
                evidence: q.evidence.clone(),
                held: q.obtained_on <= date && f.valid.contains(date),
            }),
            Fact::Enrolment(e) => training.push(TrainingLine {
                programme_id: e.programme_id,
                programme: names.programme(e.programme_id, e.starts_on)?,
                class_id: e.class_id,
                class_code: match e.class_id {
                    Some(c) => names.class_code(c, e.starts_on)?,
                    None => None,
                },
                status: Coded::new(e.status.code(), e.status.label()),
                starts_on: Day(e.starts_on),
                ends_on: Day(e.ends_on),
                attendance: e.attendance_pct.map(|a| format!("{a} %")),
                result: e.result.clone(),
                certificate: e.certificate.clone(),
                cost: money(e.cost),
                funding: Coded::new(e.funding.code(), e.funding.label()),
            }),
            _ => {}
        }
    }
    jobs.sort_by_key(|j| (j.from, j.to.map(|d| d.0)));
    roles.sort_by_key(|r| r.from);
    qualifications.sort_by_key(|q| q.obtained_on);
    training.sort_by_key(|t| t.starts_on);
    Ok(PersonView {
        id,
        as_of: Day(date),
        full_name: p.full_name(),
        identity_number: p.identity_number.clone(),
        birth_date: Day(p.birth_date),
        age: nangluc_core::time::age_on(p.birth_date, date),
        sex: Coded::new(p.sex.code(), p.sex.label()),
        ethnicity: p.ethnicity.name().to_string(),
        details_in_force: in_force.is_some(),
        jobs,
        roles,
        qualifications,
        training,
    })
}

// ---------------------------------------------------------------- units

#[derive(Debug, Clone, Serialize)]
pub struct UnitNode {
    pub id: i64,
    pub code: String,
    pub name: String,
    pub level: Coded,
    pub kind: Coded,
    pub sector: Coded,
    pub parent_id: Option<i64>,
    pub minority_area: bool,
    /// Depth in the tree (the province is 0).
    pub depth: usize,
}

impl UnitNode {
    /// The name indented for a `<select>`.
    pub fn indented(&self) -> String {
        format!("{}{}", "\u{a0}\u{a0}".repeat(self.depth.min(8)), self.name)
    }

    pub fn depth_class(&self) -> usize {
        self.depth.min(8)
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct UnitsView {
    pub as_of: Day,
    pub units: Vec<UnitNode>,
}

impl UnitsView {
    pub fn count_text(&self) -> String {
        number(self.units.len() as i64)
    }
}

pub fn units_tree(store: &mut Store, v: &Viewer, date: NaiveDate) -> Result<UnitsView, AppError> {
    if !v.role.allows(Perm::Units) && !v.role.allows(Perm::People) {
        return Err(AppError::Forbidden);
    }
    // The same for every viewer: built once per date until the data changes.
    let view = store.memo(&format!("units_tree|{date}"), |store| build_units_tree(store, date))?;
    Ok(UnitsView::clone(&view))
}

fn build_units_tree(store: &mut Store, date: NaiveDate) -> Result<UnitsView, AppError> {
    let rows = store.as_of(Table::Units, &AsOf::date(date))?;
    let units: Vec<(i64, nangluc_core::unit::UnitVersion)> = rows
        .into_iter()
        .filter_map(|r| match r.data {
            Fact::Unit(u) => Some((r.id, u)),
            _ => None,
        })
        .collect();
    let present: std::collections::HashSet<i64> = units.iter().map(|(id, _)| *id).collect();
    let mut children: HashMap<Option<i64>, Vec<usize>> = HashMap::new();
    for (i, (_, u)) in units.iter().enumerate() {
        let parent = u.parent_id.filter(|p| present.contains(p));
        children.entry(parent).or_default().push(i);
    }
    for list in children.values_mut() {
        list.sort_by(|a, b| nangluc_core::text::compare(&units[*a].1.name, &units[*b].1.name));
    }
    let mut out = Vec::with_capacity(units.len());
    let mut stack: Vec<(usize, usize)> = children
        .get(&None)
        .map(|l| l.iter().rev().map(|i| (*i, 0)).collect())
        .unwrap_or_default();
    while let Some((i, depth)) = stack.pop() {
        let (id, u) = &units[i];
        out.push(UnitNode {
            id: *id,
            code: u.code.clone(),
            name: u.name.clone(),
            level: Coded::new(u.level.code(), u.level.label()),
            kind: Coded::new(u.kind.code(), u.kind.label()),
            sector: Coded::new(u.sector.code(), u.sector.label()),
            parent_id: u.parent_id,
            minority_area: u.minority_area,
            depth,
        });
        if let Some(kids) = children.get(&Some(*id)) {
            stack.extend(kids.iter().rev().map(|k| (*k, depth + 1)));
        }
    }
    Ok(UnitsView {
        as_of: Day(date),
        units: out,
    })
}

// ---------------------------------------------------------------- training

#[derive(Debug, Clone, Serialize)]
pub struct ProgrammeLine {
    pub id: i64,
    pub code: String,
    pub name: String,
    pub kind: Coded,
    pub topic: Coded,
    pub legal_basis: String,
    pub duration_periods: i64,
    pub grants: Option<String>,
}

pub fn programmes(store: &mut Store, v: &Viewer) -> Result<Vec<ProgrammeLine>, AppError> {
    v.require(Perm::Programmes)?;
    let mut out: Vec<ProgrammeLine> = store
        .latest(Table::Programmes)?
        .into_iter()
        .filter_map(|r| match r.data {
            Fact::Programme(p) => Some(ProgrammeLine {
                id: r.id,
                code: p.code,
                name: p.name,
                kind: Coded::new(p.kind.code(), p.kind.label()),
                topic: Coded::new(p.topic.code(), p.topic.label()),
                legal_basis: p.legal_basis,
                duration_periods: p.duration_periods,
                grants: p.grants.map(|g| {
                    format!(
                        "{}: {}",
                        g.kind.label(),
                        level_label(g.kind, &g.level).label
                    )
                }),
            }),
            _ => None,
        })
        .collect();
    out.sort_by(|a, b| nangluc_core::text::compare(&a.name, &b.name));
    Ok(out)
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct ClassFilter {
    #[serde(default)]
    pub q: String,
    pub year: Option<String>,
    pub status: Option<String>,
    pub page: Option<usize>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ClassLine {
    pub id: i64,
    pub code: String,
    pub programme_id: i64,
    pub programme: String,
    pub institution_id: i64,
    pub institution: String,
    pub starts_on: Day,
    pub ends_on: Day,
    pub place: String,
    pub form: Coded,
    pub status: Coded,
    pub min_size: i64,
    pub max_size: i64,
    pub planned_cost: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct ClassesResult {
    pub items: Vec<ClassLine>,
    pub total: usize,
    pub page: usize,
    pub more: bool,
}

pub(crate) fn class_line(
    names: &mut Names,
    id: i64,
    c: nangluc_core::training::Class,
) -> Result<ClassLine, AppError> {
    Ok(ClassLine {
        id,
        programme: names.programme(c.programme_id, c.starts_on)?,
        institution: names.institution(c.institution_id, c.starts_on)?,
        programme_id: c.programme_id,
        institution_id: c.institution_id,
        code: c.code,
        starts_on: Day(c.starts_on),
        ends_on: Day(c.ends_on),
        place: c.place,
        form: Coded::new(c.form.code(), c.form.label()),
        status: Coded::new(c.status.code(), c.status.label()),
        min_size: c.min_size,
        max_size: c.max_size,
        planned_cost: money(c.planned_cost),
    })
}

/// Classes the viewer may see: a training institution sees its own.
pub(crate) fn class_visible(v: &Viewer, c: &nangluc_core::training::Class) -> bool {
    match v.role {
        Role::Institution => v.institution_id == Some(c.institution_id),
        _ => v.role.allows(Perm::Classes),
    }
}

pub fn classes(store: &mut Store, v: &Viewer, f: &ClassFilter) -> Result<ClassesResult, AppError> {
    v.require(Perm::Classes)?;
    let key = nangluc_core::text::search_key(f.q.trim());
    let year: Option<i32> = f.year.as_deref().and_then(|y| y.trim().parse().ok());
    let status = f.status.as_deref().filter(|s| !s.is_empty());
    let mut rows: Vec<(i64, nangluc_core::training::Class)> = store
        .latest(Table::Classes)?
        .into_iter()
        .filter_map(|r| match r.data {
            Fact::Class(c) => Some((r.id, c)),
            _ => None,
        })
        .filter(|(_, c)| class_visible(v, c))
        .filter(|(_, c)| year.is_none_or(|y| c.starts_on.year() == y))
        .filter(|(_, c)| status.is_none_or(|s| c.status.code() == s))
        .filter(|(_, c)| key.is_empty() || nangluc_core::text::search_key(&c.code).contains(&key))
        .collect();
    rows.sort_by(|a, b| {
        b.1.starts_on
            .cmp(&a.1.starts_on)
            .then(a.1.code.cmp(&b.1.code))
    });
    let total = rows.len();
    let page = f.page.unwrap_or(1).max(1);
    let start = (page - 1) * PAGE_SIZE;
    let more = total > start + PAGE_SIZE;
    let mut names = Names::new(store);
    let items = rows
        .into_iter()
        .skip(start)
        .take(PAGE_SIZE)
        .map(|(id, c)| class_line(&mut names, id, c))
        .collect::<Result<_, _>>()?;
    Ok(ClassesResult {
        items,
        total,
        page,
        more,
    })
}

#[derive(Debug, Clone, Serialize)]
pub struct RosterLine {
    pub person_id: i64,
    pub full_name: String,
    pub status: Coded,
    pub attendance: Option<String>,
    pub result: Option<String>,
    pub certificate: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ClassView {
    pub class: ClassLine,
    /// The learners the viewer may see by name.
    pub roster: Vec<RosterLine>,
    /// Learners enrolled in all (person-times).
    pub enrolled: usize,
    /// Of them, those the viewer may not see by name.
    pub hidden: usize,
    pub enrolled_text: String,
}

pub fn class(store: &mut Store, v: &Viewer, id: i64) -> Result<ClassView, AppError> {
    v.require(Perm::Classes)?;
    let versions: Vec<_> = store
        .history(Table::Classes, id)?
        .into_iter()
        .filter(|r| r.recording.superseded_at.is_none())
        .collect();
    let Some(Fact::Class(c)) = versions.last().map(|r| r.data.clone()) else {
        return Err(AppError::NotFound(format!("lớp có mã số {id}")));
    };
    if !class_visible(v, &c) {
        return Err(AppError::Forbidden);
    }
    let enrolments: Vec<nangluc_core::training::Enrolment> = store
        .class_enrolments(id, None)?
        .into_iter()
        .filter_map(|r| match r.data {
            Fact::Enrolment(e) => Some(e),
            _ => None,
        })
        .collect();
    let mut roster = Vec::new();
    let mut hidden = 0;
    for e in &enrolments {
        let visible = match v.role {
            Role::Admin | Role::Finance | Role::Institution => true,
            Role::UnitHr => can_see_person(store, v, e.person_id)?,
            _ => false,
        };
        if !visible {
            hidden += 1;
            continue;
        }
        let name = Names::new(store)
            .person(e.person_id, e.starts_on)?
            .map_or_else(|| format!("Người số {}", e.person_id), |p| p.full_name());
        roster.push(RosterLine {
            person_id: e.person_id,
            full_name: name,
            status: Coded::new(e.status.code(), e.status.label()),
            attendance: e.attendance_pct.map(|a| format!("{a} %")),
            result: e.result.clone(),
            certificate: e.certificate.clone(),
        });
    }
    roster.sort_by(|a, b| nangluc_core::text::compare(&a.full_name, &b.full_name));
    let mut names = Names::new(store);
    let class = class_line(&mut names, id, c)?;
    let enrolled = enrolments.len();
    Ok(ClassView {
        class,
        roster,
        enrolled,
        hidden,
        enrolled_text: number(enrolled as i64),
    })
}

// ---------------------------------------------------------------- audit

#[derive(Debug, Clone, Default, Deserialize)]
pub struct AuditFilter {
    pub actor: Option<String>,
    pub reason: Option<String>,
    /// dd/mm/yyyy or yyyy-mm-dd, inclusive.
    pub from: Option<String>,
    pub to: Option<String>,
    pub page: Option<usize>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ChangeLine {
    pub id: i64,
    pub at: Moment,
    pub actor: String,
    pub reason: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct ChangesResult {
    pub items: Vec<ChangeLine>,
    pub page: usize,
    pub more: bool,
}

fn day_start(s: &Option<String>, next: bool) -> Result<Option<chrono::DateTime<Utc>>, AppError> {
    let Some(s) = s.as_deref().map(str::trim).filter(|s| !s.is_empty()) else {
        return Ok(None);
    };
    let d = parse_day(s).ok_or_else(|| {
        AppError::BadRequest(format!("'{s}' không phải ngày hợp lệ (dd/mm/yyyy)."))
    })?;
    let d = if next { d.succ_opt().unwrap_or(d) } else { d };
    let local = d
        .and_hms_opt(0, 0, 0)
        .expect("midnight")
        .and_local_timezone(crate::fmt::vietnam())
        .single();
    Ok(local.map(|t| t.with_timezone(&Utc)))
}

pub fn changes(store: &mut Store, v: &Viewer, f: &AuditFilter) -> Result<ChangesResult, AppError> {
    v.require(Perm::Audit)?;
    let page = f.page.unwrap_or(1).max(1);
    let filter = ChangeFilter {
        actor: f
            .actor
            .clone()
            .map(|a| a.trim().to_string())
            .filter(|a| !a.is_empty()),
        reason: f.reason.clone().filter(|r| !r.trim().is_empty()),
        from: day_start(&f.from, false)?,
        to: day_start(&f.to, true)?,
        offset: (page - 1) * PAGE_SIZE,
        limit: PAGE_SIZE + 1,
    };
    let mut rows = store.changes_filtered(&filter)?;
    let more = rows.len() > PAGE_SIZE;
    rows.truncate(PAGE_SIZE);
    let items = rows
        .into_iter()
        .map(|c| ChangeLine {
            id: c.id,
            at: Moment(c.at),
            actor: c.actor,
            reason: c.reason,
        })
        .collect();
    Ok(ChangesResult { items, page, more })
}

#[derive(Debug, Clone, Serialize)]
pub struct CountLine {
    pub table: String,
    pub table_label: String,
    pub recorded: String,
    pub superseded: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct RowLine {
    pub table: String,
    pub table_label: String,
    /// `recorded` or `superseded`.
    pub action: Coded,
    pub entity_id: i64,
    pub row_id: i64,
    pub valid_from: Day,
    pub valid_to: Option<Day>,
    pub summary: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct ChangeView {
    pub change: ChangeLine,
    pub counts: Vec<CountLine>,
    pub rows: Vec<RowLine>,
    /// Rows were left out (a bulk load records millions).
    pub truncated: bool,
}

pub const CHANGE_ROWS_SHOWN: usize = 200;

pub fn table_label(t: Table) -> &'static str {
    match t {
        Table::Units => "Đơn vị",
        Table::UnitChanges => "Thay đổi đơn vị",
        Table::People => "Người",
        Table::Employments => "Quá trình công tác",
        Table::Roles => "Vai trò",
        Table::Qualifications => "Trình độ, chứng chỉ",
        Table::JobPositions => "Vị trí việc làm",
        Table::PositionRequirements => "Khung năng lực",
        Table::Programmes => "Chương trình",
        Table::Institutions => "Cơ sở đào tạo",
        Table::Lecturers => "Giảng viên",
        Table::Classes => "Lớp",
        Table::Enrolments => "Lượt học",
    }
}

/// One line about a fact, for the audit log.
pub fn describe(f: &Fact) -> String {
    match f {
        Fact::Unit(u) => format!("{} ({}, mã {})", u.name, u.level.label(), u.code),
        Fact::UnitChange(c) => format!(
            "Đơn vị số {} {} ngày {} ({})",
            c.unit_id,
            c.kind.label().to_lowercase(),
            Day(c.date),
            c.decision
        ),
        Fact::Person(p) => format!(
            "{}, sinh {}, số định danh {}",
            p.full_name(),
            Day(p.birth_date),
            p.identity_number
        ),
        Fact::Employment(e) => format!(
            "Người số {} công tác tại đơn vị số {}: {}{}",
            e.person_id,
            e.unit_id,
            e.category.label(),
            e.post
                .as_ref()
                .map(|p| format!(", {}", post_name(&p.code).unwrap_or(&p.code)))
                .unwrap_or_default()
        ),
        Fact::Role(r) => format!(
            "Người số {}: {}{}",
            r.person_id,
            r.kind.label(),
            r.term
                .as_ref()
                .map(|t| format!(" nhiệm kỳ {t}"))
                .unwrap_or_default()
        ),
        Fact::Qualification(q) => {
            format!(
                "Người số {}: {} {} ({})",
                q.person_id,
                q.kind.label(),
                level_label(q.kind, &q.level).label,
                Day(q.obtained_on)
            )
        }
        Fact::JobPosition(j) => format!("{} ({})", j.name, j.group.label()),
        Fact::PositionRequirement(r) => format!(
            "Vị trí số {}: {} từ {}",
            r.position_id,
            r.kind.label(),
            r.min_level
        ),
        Fact::Programme(p) => format!("{} ({}, {})", p.name, p.kind.label(), p.topic.label()),
        Fact::Institution(i) => format!("{} ({})", i.name, i.kind.label()),
        Fact::Lecturer(l) => format!(
            "{}{}",
            l.full_name,
            if l.guest { " (thỉnh giảng)" } else { "" }
        ),
        Fact::Class(c) => format!(
            "Lớp {} từ {} đến {}, {}",
            c.code,
            Day(c.starts_on),
            Day(c.ends_on),
            c.status.label()
        ),
        Fact::Enrolment(e) => format!(
            "Người số {} học chương trình số {}{}: {}",
            e.person_id,
            e.programme_id,
            e.class_id
                .map(|c| format!(", lớp số {c}"))
                .unwrap_or_default(),
            e.status.label()
        ),
    }
}

pub fn change(store: &mut Store, v: &Viewer, id: i64) -> Result<ChangeView, AppError> {
    v.require(Perm::Audit)?;
    let c = store
        .change(id)?
        .ok_or_else(|| AppError::NotFound(format!("lượt thay đổi số {id}")))?;
    let counts = store.change_counts(id)?;
    let total: i64 = counts.iter().map(|c| c.recorded + c.superseded).sum();
    let rows = store.change_rows(id, CHANGE_ROWS_SHOWN)?;
    Ok(ChangeView {
        change: ChangeLine {
            id: c.id,
            at: Moment(c.at),
            actor: c.actor,
            reason: c.reason,
        },
        counts: counts
            .iter()
            .map(|c| CountLine {
                table: c.table.name().into(),
                table_label: table_label(c.table).into(),
                recorded: number(c.recorded),
                superseded: number(c.superseded),
            })
            .collect(),
        truncated: total > rows.len() as i64,
        rows: rows
            .into_iter()
            .map(|r| RowLine {
                table: r.table.name().into(),
                table_label: table_label(r.table).into(),
                action: if r.superseded {
                    Coded::new("superseded", "Thay thế")
                } else {
                    Coded::new("recorded", "Ghi nhận")
                },
                entity_id: r.row.id,
                row_id: r.row.row_id,
                valid_from: Day(r.row.valid.from),
                valid_to: r.row.valid.to.map(Day),
                summary: describe(&r.row.data),
            })
            .collect(),
    })
}

// ---------------------------------------------------------------- demo accounts

/// What the demo accounts are linked to, found in the data present.
#[derive(Debug, Clone, Default)]
pub struct DemoLinks {
    pub home_affairs: Option<i64>,
    pub home_affairs_name: String,
    pub finance: Option<i64>,
    pub hr_unit: Option<i64>,
    pub hr_unit_name: String,
    pub institution: Option<i64>,
    pub institution_name: String,
    pub employee: Option<i64>,
    pub employee_name: String,
}

pub fn demo_links(store: &mut Store) -> Result<DemoLinks, AppError> {
    let as_of = today_as_of();
    let units: Vec<(i64, String, Option<i64>)> = store
        .as_of(Table::Units, &as_of)?
        .into_iter()
        .filter_map(|r| match r.data {
            Fact::Unit(u) => Some((r.id, u.name, u.parent_id)),
            _ => None,
        })
        .collect();
    let key = |s: &str| nangluc_core::text::search_key(s);
    let find = |needle: &str| {
        units
            .iter()
            .find(|(_, n, _)| key(n).contains(needle))
            .cloned()
    };
    let mut links = DemoLinks {
        home_affairs_name: "chưa có dữ liệu đơn vị".into(),
        hr_unit_name: "chưa có dữ liệu đơn vị".into(),
        institution_name: "chưa có cơ sở đào tạo".into(),
        employee_name: "Cán bộ mẫu (chưa gắn hồ sơ)".into(),
        ..DemoLinks::default()
    };
    let root = units.iter().find(|(_, _, p)| p.is_none()).cloned();
    if let Some((id, name, _)) = find("so noi vu").or(root.clone()) {
        links.home_affairs = Some(id);
        links.home_affairs_name = name;
    }
    links.finance = find("so tai chinh").map(|u| u.0);
    // A department (sở) with people, other than Home Affairs and Finance.
    let mut candidates: Vec<&(i64, String, Option<i64>)> = units
        .iter()
        .filter(|(_, n, _)| {
            let k = key(n);
            k.starts_with("so ") && !k.contains("noi vu") && !k.contains("tai chinh")
        })
        .collect();
    candidates.sort_by(|a, b| nangluc_core::text::compare(&a.1, &b.1));
    for (id, name, _) in candidates.into_iter().take(20).chain(root.as_ref()) {
        let people = store.people_in_unit(*id, &as_of, true)?;
        if let Some(first) = people.first() {
            links.hr_unit = Some(*id);
            links.hr_unit_name = name.clone();
            links.employee = Some(*first);
            if let Some(Fact::Person(p)) =
                Names::new(store).on(Table::People, *first, as_of.date)?
            {
                links.employee_name = p.full_name();
            }
            break;
        }
    }
    if let Some(r) = store.latest(Table::Institutions)?.into_iter().next()
        && let Fact::Institution(i) = r.data
    {
        links.institution = Some(r.id);
        links.institution_name = i.name;
    }
    Ok(links)
}

// ---------------------------------------------------------------- targets dashboard

#[derive(Debug, Clone, Default, Deserialize)]
pub struct DashboardQuery {
    /// dd/mm/yyyy or yyyy-mm-dd; today when absent.
    pub as_of: Option<String>,
    /// A unit's code: that unit and the units below it.
    pub unit: Option<String>,
    pub page: Option<usize>,
}

#[derive(Debug, Clone, Serialize)]
pub struct UnitRef {
    pub id: i64,
    pub code: String,
    pub name: String,
}

/// What a viewer may read of the plan's results, settled for one request.
struct TargetScope {
    as_of: NaiveDate,
    /// The unit evaluated (`None`: the whole province).
    unit: Option<UnitRef>,
    /// Its ancestors the viewer may open, from the top.
    breadcrumb: Vec<UnitRef>,
    /// The viewer may see the names of the people missing.
    names: bool,
}

/// Whether the viewer may read who is missing, by name: the administrator
/// everybody, a unit's HR officer the people of their subtree (the only
/// units they may open); the leadership and finance see counts only.
pub fn sees_names(v: &Viewer) -> bool {
    matches!(v.role, Role::Admin | Role::UnitHr)
}

fn active_plan(plan: Option<&ActivePlan>) -> Result<&ActivePlan, AppError> {
    plan.ok_or_else(|| {
        AppError::NotFound("kế hoạch đang áp dụng (máy chủ chạy không có tệp kế hoạch)".into())
    })
}

fn target_scope(
    store: &mut Store,
    v: &Viewer,
    q: &DashboardQuery,
) -> Result<TargetScope, AppError> {
    v.require(Perm::Dashboard)?;
    let as_of = match q.as_of.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        None => today(),
        Some(s) => parse_day(s).ok_or_else(|| {
            AppError::BadRequest(format!("'{s}' không phải ngày hợp lệ (dd/mm/yyyy)."))
        })?,
    };
    let on = AsOf::date(as_of);
    let units = store.memo(&format!("units_on|{as_of}"), |store| {
        Ok::<_, AppError>(
            store
                .as_of(Table::Units, &on)?
                .into_iter()
                .filter_map(|r| match r.data {
                    Fact::Unit(u) => Some((r.id, u)),
                    _ => None,
                })
                .collect::<HashMap<i64, nangluc_core::unit::UnitVersion>>(),
        )
    })?;
    let by_code = |code: &str| {
        units
            .iter()
            .filter(|(_, u)| u.code == code)
            .map(|(id, _)| *id)
            .min()
    };
    let requested = q.unit.as_deref().map(str::trim).filter(|s| !s.is_empty());
    let unit_id = match requested {
        None => None,
        Some(code) => Some(by_code(code).ok_or_else(|| {
            AppError::NotFound(format!("đơn vị có mã '{code}' tại ngày {}", Day(as_of)))
        })?),
    };
    // A unit's HR officer reads their own subtree only.
    let (unit_id, top) = if v.role == Role::UnitHr {
        let root = v.unit_id.ok_or(AppError::Forbidden)?;
        if !units.contains_key(&root) {
            return Err(AppError::Forbidden);
        }
        let subtree = store.unit_subtree(root, &on)?;
        match unit_id {
            Some(id) if !subtree.contains(&id) => return Err(AppError::Forbidden),
            Some(id) => (Some(id), Some(root)),
            None => (Some(root), Some(root)),
        }
    } else {
        (unit_id, None)
    };
    let unit_ref = |id: i64| UnitRef {
        id,
        code: units[&id].code.clone(),
        name: units[&id].name.clone(),
    };
    let mut breadcrumb = Vec::new();
    if let Some(id) = unit_id {
        let mut at = units[&id].parent_id;
        let mut guard = 0;
        while let Some(p) = at.filter(|p| units.contains_key(p)) {
            if Some(id) == top || guard > 64 {
                break;
            }
            breadcrumb.push(unit_ref(p));
            if Some(p) == top {
                break;
            }
            at = units[&p].parent_id;
            guard += 1;
        }
        breadcrumb.reverse();
    }
    Ok(TargetScope {
        as_of,
        unit: unit_id.map(unit_ref),
        breadcrumb,
        names: sees_names(v),
    })
}

#[derive(Debug, Clone, Serialize)]
pub struct TrendPoint {
    pub label: String,
    pub as_of: Day,
    /// A fraction (0.1708) for the chart; `None` when nobody is counted.
    pub share: Option<f64>,
    pub share_text: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct TargetLine {
    pub id: String,
    pub group: String,
    pub wording: String,
    /// R, Y, W, T, E, B, Q, C, P or L.
    pub letter: String,
    /// A share of a population (not a count of person-times or classes).
    pub ratio: bool,
    /// `met`, `on_track`, `at_risk`, `not_applicable`.
    pub status: Coded,
    pub population: String,
    pub met: String,
    /// "17,08 %", or "Không áp dụng".
    pub share: String,
    pub share_value: Option<f64>,
    /// "≥ 80% đến năm 2025"; for counts "≥ 40/năm".
    pub threshold: String,
    pub min_value: Option<f64>,
    pub stretch: Option<String>,
    pub stretch_value: Option<f64>,
    pub needed: String,
    pub forecast_year: Option<i32>,
    pub trend: Vec<TrendPoint>,
    pub notes: Vec<String>,
}

impl TargetLine {
    pub fn bar(&self) -> String {
        let label = format!("Tỉ lệ {} — ngưỡng {}", self.share, self.threshold);
        crate::charts::progress_bar(
            self.share_value,
            self.min_value,
            self.stretch_value,
            &self.status.code,
            &label,
        )
    }

    pub fn sparkline(&self) -> String {
        let points: Vec<(String, Option<f64>)> = self
            .trend
            .iter()
            .map(|p| (p.label.clone(), p.share))
            .collect();
        crate::charts::sparkline(
            &points,
            self.min_value,
            "Tỉ lệ cuối các năm đã qua của giai đoạn",
        )
    }

    /// At least two points to draw.
    pub fn has_trend(&self) -> bool {
        self.ratio && self.trend.iter().filter(|p| p.share.is_some()).count() > 1
    }

    pub fn trend_text(&self) -> String {
        self.trend
            .iter()
            .map(|p| format!("{}: {}", p.label, p.share_text))
            .collect::<Vec<_>>()
            .join("; ")
    }
}

pub(crate) fn share_text(r: Option<nangluc_engine::Ratio>) -> String {
    match r {
        Some(r) => crate::fmt::percent(r.num as i64, r.den as i64),
        None => "Không áp dụng".into(),
    }
}

fn fraction(r: Option<nangluc_engine::Ratio>) -> Option<f64> {
    r.map(|r| r.num as f64 / r.den as f64)
}

fn target_line(
    plan: &ActivePlan,
    t: &nangluc_engine::TargetResult,
    trend: Vec<TrendPoint>,
) -> TargetLine {
    let group = plan
        .plan()
        .groups
        .iter()
        .find(|g| g.id == t.group)
        .map_or_else(|| t.group.clone(), |g| g.name.clone());
    let status = Coded::new(
        match t.status {
            nangluc_engine::Status::Met => "met",
            nangluc_engine::Status::OnTrack => "on_track",
            nangluc_engine::Status::AtRisk => "at_risk",
            nangluc_engine::Status::NotApplicable => "not_applicable",
        },
        t.status.label(),
    );
    let ratio = t.kind.is_ratio();
    let threshold = match t.threshold {
        Some(h) => format!("≥ {} đến năm {}", h.min, h.by),
        None => t
            .per_year
            .last()
            .and_then(|y| y.min)
            .map(|m| format!("≥ {}/năm", number(m as i64)))
            .unwrap_or_default(),
    };
    TargetLine {
        id: t.id.clone(),
        group,
        wording: t.wording.clone(),
        letter: t.letter.to_string(),
        ratio,
        status,
        population: if ratio {
            number(t.population as i64)
        } else {
            "—".into()
        },
        met: number(t.met as i64),
        share: if ratio {
            share_text(t.share)
        } else {
            "—".into()
        },
        share_value: if ratio { fraction(t.share) } else { None },
        threshold,
        min_value: t.threshold.map(|h| h.min.0 as f64 / 10_000.0),
        stretch: t.threshold.and_then(|h| h.stretch).map(|p| p.to_string()),
        stretch_value: t
            .threshold
            .and_then(|h| h.stretch)
            .map(|p| p.0 as f64 / 10_000.0),
        needed: number(t.needed as i64),
        forecast_year: t.forecast_year,
        trend,
        notes: t.notes.clone(),
    }
}

/// The share of every target at the end of each past year of the plan's
/// period, then on the date itself.
fn trends(
    store: &mut Store,
    plan: &ActivePlan,
    scope: &TargetScope,
    result: &PlanResult,
) -> Result<HashMap<String, Vec<TrendPoint>>, AppError> {
    let code = scope.unit.as_ref().map(|u| u.code.as_str());
    let (first, last) = plan.plan().period;
    let mut out: HashMap<String, Vec<TrendPoint>> = HashMap::new();
    for year in first..=last {
        let Some(end) = NaiveDate::from_ymd_opt(year, 12, 31) else {
            continue;
        };
        if end >= scope.as_of {
            break;
        }
        let r = plan.evaluate(store, end, code, false, false)?;
        for t in &r.targets {
            out.entry(t.id.clone()).or_default().push(TrendPoint {
                label: year.to_string(),
                as_of: Day(end),
                share: fraction(t.share),
                share_text: share_text(t.share),
            });
        }
    }
    for t in &result.targets {
        out.entry(t.id.clone()).or_default().push(TrendPoint {
            label: Day(scope.as_of).to_string(),
            as_of: Day(scope.as_of),
            share: fraction(t.share),
            share_text: share_text(t.share),
        });
    }
    Ok(out)
}

use nangluc_engine::PlanResult;

#[derive(Debug, Clone, Serialize)]
pub struct ChildUnit {
    pub code: String,
    pub name: String,
    /// Ratio targets whose threshold this subtree reaches.
    pub reached: usize,
    pub of: usize,
    pub needed: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct DashboardView {
    pub plan_id: String,
    pub plan_name: String,
    pub as_of: Day,
    /// The date is after the data's day: the figures are a forecast.
    pub forecast: bool,
    pub unit: Option<UnitRef>,
    pub breadcrumb: Vec<UnitRef>,
    /// The viewer may go up to the whole province.
    pub province_link: bool,
    pub children: Vec<ChildUnit>,
    pub targets: Vec<TargetLine>,
    pub met_count: usize,
    pub at_risk_count: usize,
    pub warnings: Vec<String>,
    pub names_visible: bool,
}

/// The units just below the one evaluated, with how many targets each
/// reaches, from the results' breakdown by unit.
fn children(result: &PlanResult, unit: Option<&UnitRef>) -> Vec<ChildUnit> {
    let ids: std::collections::HashSet<i64> = result
        .targets
        .iter()
        .flat_map(|t| t.by_unit.iter().filter_map(|u| u.unit_id))
        .collect();
    let is_root = |u: &nangluc_engine::result::UnitBreakdown| {
        u.unit_id.is_some() && u.parent_id.is_none_or(|p| !ids.contains(&p))
    };
    let roots: std::collections::HashSet<i64> = result
        .targets
        .iter()
        .flat_map(|t| {
            t.by_unit
                .iter()
                .filter(|u| is_root(u))
                .filter_map(|u| u.unit_id)
        })
        .collect();
    // The whole province with a single top unit (the UBND tỉnh): its
    // departments are the first level worth opening.
    let parent = match unit {
        Some(p) => Some(p.id),
        None if roots.len() == 1 => roots.iter().next().copied(),
        None => None,
    };
    let is_child = |u: &nangluc_engine::result::UnitBreakdown| match parent {
        Some(p) => u.parent_id == Some(p) && u.unit_id.is_some(),
        None => is_root(u),
    };
    let mut out: Vec<ChildUnit> = Vec::new();
    let mut index: HashMap<String, usize> = HashMap::new();
    for t in &result.targets {
        for u in t.by_unit.iter().filter(|u| is_child(u)) {
            let i = *index.entry(u.code.clone()).or_insert_with(|| {
                out.push(ChildUnit {
                    code: u.code.clone(),
                    name: u.name.clone(),
                    reached: 0,
                    of: 0,
                    needed: String::new(),
                });
                out.len() - 1
            });
            if let (true, Some(h), Some(share)) = (t.kind.is_ratio(), t.threshold, u.share) {
                out[i].of += 1;
                if share.at_least(h.min) {
                    out[i].reached += 1;
                }
            }
        }
    }
    for c in &mut out {
        let needed: u64 = result
            .targets
            .iter()
            .flat_map(|t| {
                t.by_unit
                    .iter()
                    .filter(|u| u.code == c.code)
                    .map(|u| u.needed)
            })
            .sum();
        c.needed = number(needed as i64);
    }
    out.sort_by(|a, b| nangluc_core::text::compare(&a.name, &b.name));
    out
}

pub fn dashboard(
    store: &mut Store,
    plan: Option<&ActivePlan>,
    v: &Viewer,
    q: &DashboardQuery,
) -> Result<Arc<DashboardView>, AppError> {
    v.require(Perm::Dashboard)?;
    let active = active_plan(plan)?;
    // Everything the view depends on: the request, and the viewer's role and
    // unit (which decide the scope, the names shown and the links).
    let key = format!("dashboard|{:?}|{:?}|{}|{:?}", q.as_of, q.unit, v.role.code(), v.unit_id);
    active.view(&key, || build_dashboard(store, active, v, q))
}

fn build_dashboard(
    store: &mut Store,
    plan: &ActivePlan,
    v: &Viewer,
    q: &DashboardQuery,
) -> Result<DashboardView, AppError> {
    let scope = target_scope(store, v, q)?;
    let code = scope.unit.as_ref().map(|u| u.code.clone());
    let result = plan.evaluate(store, scope.as_of, code.as_deref(), false, true)?;
    let mut trend = trends(store, plan, &scope, &result)?;
    let targets: Vec<TargetLine> = result
        .targets
        .iter()
        .map(|t| target_line(plan, t, trend.remove(&t.id).unwrap_or_default()))
        .collect();
    Ok(DashboardView {
        plan_id: result.plan_id.clone(),
        plan_name: result.plan_name.clone(),
        as_of: Day(scope.as_of),
        forecast: result.forecast,
        children: children(&result, scope.unit.as_ref()),
        province_link: v.role != Role::UnitHr && scope.unit.is_some(),
        met_count: targets.iter().filter(|t| t.status.code == "met").count(),
        at_risk_count: targets
            .iter()
            .filter(|t| t.status.code == "at_risk")
            .count(),
        targets,
        unit: scope.unit,
        breadcrumb: scope.breadcrumb,
        warnings: result.warnings.clone(),
        names_visible: scope.names,
    })
}

/// The plan's results as JSON: the lists of people missing only for a
/// viewer who may read their names.
pub fn dashboard_result(
    store: &mut Store,
    plan: Option<&ActivePlan>,
    v: &Viewer,
    q: &DashboardQuery,
) -> Result<PlanResult, AppError> {
    let scope = target_scope(store, v, q)?;
    let plan = active_plan(plan)?;
    let code = scope.unit.as_ref().map(|u| u.code.clone());
    let result = plan.evaluate(store, scope.as_of, code.as_deref(), scope.names, true)?;
    let mut r = PlanResult::clone(&result);
    if !scope.names {
        for t in &mut r.targets {
            t.missing.clear();
            t.holders.clear();
        }
    }
    Ok(r)
}

#[derive(Debug, Clone, Serialize)]
pub struct NeedRow {
    pub person_id: i64,
    pub name: String,
    pub unit: String,
    pub reason: String,
    pub deadline: Option<Day>,
    pub status: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct UnitFigures {
    /// The unit evaluated itself (the others are just below it).
    pub current: bool,
    pub code: String,
    pub name: String,
    pub population: String,
    pub met: String,
    pub share: String,
    pub needed: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct NeedListView {
    pub plan_name: String,
    pub as_of: Day,
    pub forecast: bool,
    pub unit: Option<UnitRef>,
    pub breadcrumb: Vec<UnitRef>,
    pub target: TargetLine,
    /// E and B kinds: the window's deadline (E) or the appointment's day (B)
    /// and the person's standing are shown, under this heading.
    pub event: Option<&'static str>,
    pub names_visible: bool,
    /// People who do not meet the target, in all.
    pub total: usize,
    pub total_text: String,
    /// This page of them (empty when names are hidden).
    pub rows: Vec<NeedRow>,
    pub page: usize,
    pub more: bool,
    pub first_index: usize,
    /// The unit evaluated and the units just below it.
    pub by_unit: Vec<UnitFigures>,
}

fn event_status(s: nangluc_engine::result::EventStatus) -> &'static str {
    use nangluc_engine::result::EventStatus::*;
    match s {
        Met => "Đã đạt",
        Overdue => "Quá hạn",
        Pending => "Còn trong hạn",
        NoEvent => "Chưa có ngày sự kiện",
    }
}

fn name_key(name: &str) -> Vec<u8> {
    let words: Vec<&str> = name.split_whitespace().collect();
    match words.as_slice() {
        [] => Vec::new(),
        [given] => nangluc_core::text::name_sort_key("", "", given),
        [family, middle @ .., given] => {
            nangluc_core::text::name_sort_key(family, &middle.join(" "), given)
        }
    }
}

fn find_target<'r>(
    result: &'r PlanResult,
    id: &str,
) -> Result<&'r nangluc_engine::TargetResult, AppError> {
    result
        .targets
        .iter()
        .find(|t| t.id == id)
        .ok_or_else(|| AppError::NotFound(format!("chỉ tiêu '{id}' trong kế hoạch")))
}

pub fn need_list(
    store: &mut Store,
    plan: Option<&ActivePlan>,
    v: &Viewer,
    id: &str,
    q: &DashboardQuery,
) -> Result<NeedListView, AppError> {
    let scope = target_scope(store, v, q)?;
    let plan = active_plan(plan)?;
    let code = scope.unit.as_ref().map(|u| u.code.clone());
    let result = plan.evaluate(store, scope.as_of, code.as_deref(), true, true)?;
    let t = find_target(&result, id)?;
    let mut trend = trends(store, plan, &scope, &result)?;
    let line = target_line(plan, t, trend.remove(&t.id).unwrap_or_default());
    let total = t.missing.len();
    let page = q.page.unwrap_or(1).max(1);
    let start = (page - 1) * PAGE_SIZE;
    let rows = if scope.names {
        let mut all: Vec<(&nangluc_engine::result::Missing, Vec<u8>)> =
            t.missing.iter().map(|m| (m, name_key(&m.name))).collect();
        // By unit (people placed in no unit last), then the Vietnamese order of names.
        all.sort_by(|a, b| {
            let unit = |m: &nangluc_engine::result::Missing| {
                (m.unit.is_none(), m.unit.clone().unwrap_or_default())
            };
            let (ua, ub) = (unit(a.0), unit(b.0));
            ua.0.cmp(&ub.0)
                .then_with(|| nangluc_core::text::compare(&ua.1, &ub.1))
                .then_with(|| a.1.cmp(&b.1))
                .then(a.0.person_id.cmp(&b.0.person_id))
        });
        all.into_iter()
            .skip(start)
            .take(PAGE_SIZE)
            .map(|(m, _)| NeedRow {
                person_id: m.person_id,
                name: m.name.clone(),
                unit: m.unit.clone().unwrap_or_else(|| "Chưa xếp đơn vị".into()),
                reason: m.reason.clone(),
                deadline: m.deadline.map(Day),
                status: m.status.map(|s| event_status(s).to_string()),
            })
            .collect()
    } else {
        Vec::new()
    };
    let ids: std::collections::HashSet<i64> = t.by_unit.iter().filter_map(|u| u.unit_id).collect();
    let roots: Vec<i64> = t
        .by_unit
        .iter()
        .filter(|u| u.parent_id.is_none_or(|p| !ids.contains(&p)))
        .filter_map(|u| u.unit_id)
        .collect();
    // The whole province with a single top unit: that unit and its departments.
    let this = match (&scope.unit, roots.as_slice()) {
        (Some(u), _) => Some(u.id),
        (None, [root]) => Some(*root),
        (None, _) => None,
    };
    let mut by_unit: Vec<(bool, UnitFigures)> = t
        .by_unit
        .iter()
        .filter(|u| match this {
            Some(id) => u.unit_id == Some(id) || (u.parent_id == Some(id) && u.unit_id.is_some()),
            None => u.unit_id.is_some() && u.parent_id.is_none_or(|p| !ids.contains(&p)),
        })
        .map(|u| {
            (
                u.unit_id == this,
                UnitFigures {
                    current: u.unit_id == this,
                    code: u.code.clone(),
                    name: u.name.clone(),
                    population: number(u.population as i64),
                    met: number(u.met as i64),
                    share: share_text(u.share),
                    needed: number(u.needed as i64),
                },
            )
        })
        .collect();
    by_unit.sort_by(|a, b| {
        b.0.cmp(&a.0)
            .then_with(|| nangluc_core::text::compare(&a.1.name, &b.1.name))
    });
    Ok(NeedListView {
        plan_name: result.plan_name.clone(),
        as_of: Day(scope.as_of),
        forecast: result.forecast,
        unit: scope.unit,
        breadcrumb: scope.breadcrumb,
        event: match t.letter {
            "E" => Some("Hạn"),
            "B" => Some("Ngày bổ nhiệm"),
            _ => None,
        },
        names_visible: scope.names,
        total,
        total_text: number(total as i64),
        more: scope.names && total > start + PAGE_SIZE,
        first_index: start,
        page,
        rows,
        by_unit: by_unit.into_iter().map(|(_, u)| u).collect(),
        target: line,
    })
}

/// The need list of one target as a workbook (the target's line, the people
/// missing when the viewer may read their names, the figures by unit).
pub fn need_workbook(
    store: &mut Store,
    plan: Option<&ActivePlan>,
    v: &Viewer,
    id: &str,
    q: &DashboardQuery,
) -> Result<(Vec<u8>, String), AppError> {
    let scope = target_scope(store, v, q)?;
    let plan = active_plan(plan)?;
    let code = scope.unit.as_ref().map(|u| u.code.clone());
    let result = plan.evaluate(store, scope.as_of, code.as_deref(), scope.names, true)?;
    let t = find_target(&result, id)?.clone();
    let mut one = PlanResult {
        targets: vec![t],
        ..PlanResult::clone(&result)
    };
    use nangluc_io::results::{need_table, targets_table, units_table};
    let tables = if scope.names {
        vec![targets_table(&one), need_table(&one), units_table(&one)]
    } else {
        for t in &mut one.targets {
            t.missing.clear();
        }
        vec![targets_table(&one), units_table(&one)]
    };
    let bytes = nangluc_io::export::write_tables_to_bytes(&tables)
        .map_err(|e| AppError::Internal(format!("không ghi được tệp Excel: {e}")))?;
    let safe_id: String = id
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
        .collect();
    let name = format!(
        "can-dao-tao-chi-tieu-{safe_id}-{}.xlsx",
        scope.as_of.format("%Y-%m-%d")
    );
    Ok((bytes, name))
}
