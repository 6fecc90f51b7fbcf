//! What the importer needs to know about the data already recorded. The store
//! implements [`Directory`]; [`MemoryDirectory`] serves tests and small tools.

use chrono::{DateTime, NaiveDate, Utc};
use nangluc_core::employment::Employment;
use nangluc_core::person::PersonDetails;
use nangluc_core::position::JobPosition;
use nangluc_core::qualification::Qualification;
use nangluc_core::role::Role;
use nangluc_core::training::{Class, Enrolment, Institution, Programme};
use nangluc_core::unit::UnitVersion;
use nangluc_core::{ChangeSet, Entity, Fact, Knowledge, KnowledgeSink, Op, Recording, Table, Validity, Versioned};

/// One current row: entity id, row id, validity and the fact.
#[derive(Debug, Clone, PartialEq)]
pub struct Current<T> {
    pub id: i64,
    pub row_id: i64,
    pub valid: Validity,
    pub data: T,
}

/// The keys a file's rows will look up, gathered before the rows are read, so
/// that a directory over a database can load them in a few queries instead of
/// a few per row.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Wanted {
    pub identity_numbers: Vec<String>,
    pub unit_codes: Vec<String>,
    pub programme_codes: Vec<String>,
    pub class_codes: Vec<String>,
    pub institution_codes: Vec<String>,
    /// Rows about the people found to load too (employments, roles,
    /// qualifications, enrolments).
    pub of_people: Vec<Table>,
}

/// Lookups over the current knowledge (rows not superseded). Errors are the
/// store's messages.
pub trait Directory {
    /// Loads ahead what the lookups of `wanted` will ask. Answers stay the same
    /// with or without it; a directory in memory has nothing to do.
    fn prefetch(&mut self, _wanted: &Wanted) -> Result<(), String> {
        Ok(())
    }

    /// The person with this identity number, as of the date.
    fn person_by_identity(&mut self, identity_number: &str, on: NaiveDate) -> Result<Option<Current<PersonDetails>>, String>;
    fn unit_by_code(&mut self, code: &str, on: NaiveDate) -> Result<Option<Current<UnitVersion>>, String>;
    /// The latest version of a programme.
    fn programme_by_code(&mut self, code: &str) -> Result<Option<Current<Programme>>, String>;
    /// The latest version of a class.
    fn class_by_code(&mut self, code: &str) -> Result<Option<Current<Class>>, String>;
    fn institution_by_code(&mut self, code: &str) -> Result<Option<Current<Institution>>, String>;
    /// Employment periods that hold on the date.
    fn employment_of(&mut self, person_id: i64, on: NaiveDate) -> Result<Vec<Current<Employment>>, String>;
    /// Roles that hold on the date.
    fn roles_of(&mut self, person_id: i64, on: NaiveDate) -> Result<Vec<Current<Role>>, String>;
    /// Every qualification of the person, whatever its validity.
    fn qualifications_of(&mut self, person_id: i64) -> Result<Vec<Current<Qualification>>, String>;
    /// Every enrolment of the person, whatever its validity.
    fn enrolments_of(&mut self, person_id: i64) -> Result<Vec<Current<Enrolment>>, String>;
    /// Every version of the job positions (vị trí việc làm), whatever its validity.
    fn job_positions(&mut self) -> Result<Vec<Current<JobPosition>>, String>;
    /// Reserves a new entity id, for an entity that other rows of the same
    /// change set refer to (a new person and their employment). The plan records
    /// it with `Entity::Given(id)`. An unused reservation leaves a gap, as
    /// database sequences do.
    fn reserve_id(&mut self, table: Table) -> Result<i64, String>;
}

/// A directory over a [`Knowledge`], which can also apply change sets as the
/// store would (for tests and dry runs over exported data).
#[derive(Debug, Clone, Default)]
pub struct MemoryDirectory {
    pub knowledge: Knowledge,
    next_id: i64,
    next_row: i64,
    changes: i64,
}

fn current<T: Clone>(v: &Versioned<T>) -> Current<T> {
    Current { id: v.id, row_id: v.row_id, valid: v.valid, data: v.data.clone() }
}

fn live<T>(v: &Versioned<T>) -> bool {
    v.recording.superseded_at.is_none()
}

/// The live version with the latest start, among those matching.
fn latest<'a, T: Clone + 'a>(rows: impl Iterator<Item = &'a Versioned<T>>) -> Option<Current<T>> {
    rows.filter(|v| live(v)).max_by_key(|v| v.valid.from).map(current)
}

impl MemoryDirectory {
    pub fn new(knowledge: Knowledge) -> Self {
        let mut ids = vec![0i64];
        let mut rows = vec![0i64];
        macro_rules! scan {
            ($($f:ident),*) => {$(
                ids.extend(knowledge.$f.iter().map(|v| v.id));
                rows.extend(knowledge.$f.iter().map(|v| v.row_id));
            )*};
        }
        scan!(units, unit_changes, people, employments, roles, qualifications, job_positions, position_requirements, programmes, institutions, lecturers, classes, enrolments);
        // One id sequence for all tables keeps test data easy to read.
        let next_id = ids.into_iter().max().unwrap_or(0) + 1;
        let next_row = rows.into_iter().max().unwrap_or(0) + 1;
        Self { knowledge, next_id, next_row, changes: 0 }
    }

    /// Applies a change set as the store does: all its records get the same
    /// recorded time, superseded rows stop being current.
    pub fn apply(&mut self, cs: &ChangeSet) {
        self.changes += 1;
        let at: DateTime<Utc> = cs.at.unwrap_or_else(Utc::now);
        for op in &cs.ops {
            match op {
                Op::Supersede { table, row_id } => self.supersede(*table, *row_id, at),
                Op::Record { entity, valid, fact } => {
                    let id = match entity {
                        Entity::New => {
                            self.next_id += 1;
                            self.next_id - 1
                        }
                        Entity::Given(id) | Entity::Existing(id) => *id,
                    };
                    self.next_id = self.next_id.max(id + 1);
                    let row_id = self.next_row;
                    self.next_row += 1;
                    let recording = Recording { recorded_at: at, superseded_at: None, change_id: self.changes };
                    self.knowledge.row(Versioned { row_id, id, valid: *valid, recording, data: fact.clone() });
                }
            }
        }
    }

    fn supersede(&mut self, table: Table, row_id: i64, at: DateTime<Utc>) {
        let k = &mut self.knowledge;
        macro_rules! mark {
            ($f:ident) => {
                k.$f.iter_mut().filter(|v| v.row_id == row_id).for_each(|v| v.recording.superseded_at = Some(at))
            };
        }
        match table {
            Table::Units => mark!(units),
            Table::UnitChanges => mark!(unit_changes),
            Table::People => mark!(people),
            Table::Employments => mark!(employments),
            Table::Roles => mark!(roles),
            Table::Qualifications => mark!(qualifications),
            Table::JobPositions => mark!(job_positions),
            Table::PositionRequirements => mark!(position_requirements),
            Table::Programmes => mark!(programmes),
            Table::Institutions => mark!(institutions),
            Table::Lecturers => mark!(lecturers),
            Table::Classes => mark!(classes),
            Table::Enrolments => mark!(enrolments),
        }
    }

    /// Records a fact directly (building test data).
    pub fn record(&mut self, valid: Validity, fact: Fact) -> i64 {
        let mut cs = ChangeSet::new("test", "dữ liệu thử");
        let id = self.next_id;
        cs.record(Entity::Given(id), valid, fact);
        self.apply(&cs);
        id
    }
}

impl Directory for MemoryDirectory {
    fn person_by_identity(&mut self, identity_number: &str, on: NaiveDate) -> Result<Option<Current<PersonDetails>>, String> {
        Ok(latest(self.knowledge.people.iter().filter(|v| v.data.identity_number == identity_number && v.valid.contains(on))))
    }

    fn unit_by_code(&mut self, code: &str, on: NaiveDate) -> Result<Option<Current<UnitVersion>>, String> {
        Ok(latest(self.knowledge.units.iter().filter(|v| v.data.code == code && v.valid.contains(on))))
    }

    fn programme_by_code(&mut self, code: &str) -> Result<Option<Current<Programme>>, String> {
        Ok(latest(self.knowledge.programmes.iter().filter(|v| v.data.code == code)))
    }

    fn class_by_code(&mut self, code: &str) -> Result<Option<Current<Class>>, String> {
        Ok(latest(self.knowledge.classes.iter().filter(|v| v.data.code == code)))
    }

    fn institution_by_code(&mut self, code: &str) -> Result<Option<Current<Institution>>, String> {
        Ok(latest(self.knowledge.institutions.iter().filter(|v| v.data.code == code)))
    }

    fn employment_of(&mut self, person_id: i64, on: NaiveDate) -> Result<Vec<Current<Employment>>, String> {
        Ok(self.knowledge.employments.iter().filter(|v| live(v) && v.data.person_id == person_id && v.valid.contains(on)).map(current).collect())
    }

    fn roles_of(&mut self, person_id: i64, on: NaiveDate) -> Result<Vec<Current<Role>>, String> {
        Ok(self.knowledge.roles.iter().filter(|v| live(v) && v.data.person_id == person_id && v.valid.contains(on)).map(current).collect())
    }

    fn qualifications_of(&mut self, person_id: i64) -> Result<Vec<Current<Qualification>>, String> {
        Ok(self.knowledge.qualifications.iter().filter(|v| live(v) && v.data.person_id == person_id).map(current).collect())
    }

    fn enrolments_of(&mut self, person_id: i64) -> Result<Vec<Current<Enrolment>>, String> {
        Ok(self.knowledge.enrolments.iter().filter(|v| live(v) && v.data.person_id == person_id).map(current).collect())
    }

    fn job_positions(&mut self) -> Result<Vec<Current<JobPosition>>, String> {
        Ok(self.knowledge.job_positions.iter().filter(|v| live(v)).map(current).collect())
    }

    fn reserve_id(&mut self, _table: Table) -> Result<i64, String> {
        self.next_id += 1;
        Ok(self.next_id - 1)
    }
}
