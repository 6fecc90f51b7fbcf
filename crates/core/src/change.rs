//! Change sets: every write is one change set, recorded with who made it, when
//! and why, and applied in one transaction. Together with the superseded rows
//! they are the audit trail.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::employment::Employment;
use crate::person::PersonDetails;
use crate::position::{JobPosition, PositionRequirement};
use crate::qualification::Qualification;
use crate::role::Role;
use crate::time::Validity;
use crate::training::{Class, Enrolment, Institution, Lecturer, Programme};
use crate::unit::{UnitChange, UnitVersion};

/// Any fact the system records. Each is stored in its own bitemporal table.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "table", content = "data", rename_all = "snake_case")]
pub enum Fact {
    Unit(UnitVersion),
    UnitChange(UnitChange),
    Person(PersonDetails),
    Employment(Employment),
    Role(Role),
    Qualification(Qualification),
    JobPosition(JobPosition),
    PositionRequirement(PositionRequirement),
    Programme(Programme),
    Institution(Institution),
    Lecturer(Lecturer),
    Class(Class),
    Enrolment(Enrolment),
}

/// The table a fact lives in (also names entity-id sequences).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Table {
    Units,
    UnitChanges,
    People,
    Employments,
    Roles,
    Qualifications,
    JobPositions,
    PositionRequirements,
    Programmes,
    Institutions,
    Lecturers,
    Classes,
    Enrolments,
}

impl Table {
    pub const ALL: [Table; 13] = [
        Table::Units,
        Table::UnitChanges,
        Table::People,
        Table::Employments,
        Table::Roles,
        Table::Qualifications,
        Table::JobPositions,
        Table::PositionRequirements,
        Table::Programmes,
        Table::Institutions,
        Table::Lecturers,
        Table::Classes,
        Table::Enrolments,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Table::Units => "units",
            Table::UnitChanges => "unit_changes",
            Table::People => "people",
            Table::Employments => "employments",
            Table::Roles => "roles",
            Table::Qualifications => "qualifications",
            Table::JobPositions => "job_positions",
            Table::PositionRequirements => "position_requirements",
            Table::Programmes => "programmes",
            Table::Institutions => "institutions",
            Table::Lecturers => "lecturers",
            Table::Classes => "classes",
            Table::Enrolments => "enrolments",
        }
    }
}

impl Fact {
    pub fn table(&self) -> Table {
        match self {
            Fact::Unit(_) => Table::Units,
            Fact::UnitChange(_) => Table::UnitChanges,
            Fact::Person(_) => Table::People,
            Fact::Employment(_) => Table::Employments,
            Fact::Role(_) => Table::Roles,
            Fact::Qualification(_) => Table::Qualifications,
            Fact::JobPosition(_) => Table::JobPositions,
            Fact::PositionRequirement(_) => Table::PositionRequirements,
            Fact::Programme(_) => Table::Programmes,
            Fact::Institution(_) => Table::Institutions,
            Fact::Lecturer(_) => Table::Lecturers,
            Fact::Class(_) => Table::Classes,
            Fact::Enrolment(_) => Table::Enrolments,
        }
    }
}

/// Which entity a new row is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Entity {
    /// A new entity: the store allocates its id.
    New,
    /// A new entity whose id the caller chose (bulk loads, tests).
    Given(i64),
    /// Another version of an existing entity.
    Existing(i64),
}

/// One operation of a change set.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "op", rename_all = "snake_case")]
pub enum Op {
    /// Records a fact over a validity.
    Record { entity: Entity, valid: Validity, fact: Fact },
    /// Marks a row as no longer believed (a correction or an ending). The row
    /// stays, readable by any reading known before this change.
    Supersede { table: Table, row_id: i64 },
}

/// A set of operations that belong together, applied all or nothing.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ChangeSet {
    /// Who makes the change (an account name, or `demo`, `import:<file>`).
    pub actor: String,
    /// Why, in words the audit log shows.
    pub reason: String,
    /// The time the change is recorded at; `None` means now.
    pub at: Option<DateTime<Utc>>,
    pub ops: Vec<Op>,
}

impl ChangeSet {
    pub fn new(actor: impl Into<String>, reason: impl Into<String>) -> Self {
        Self { actor: actor.into(), reason: reason.into(), at: None, ops: Vec::new() }
    }

    pub fn at(mut self, at: DateTime<Utc>) -> Self {
        self.at = Some(at);
        self
    }

    pub fn record(&mut self, entity: Entity, valid: Validity, fact: Fact) -> &mut Self {
        self.ops.push(Op::Record { entity, valid, fact });
        self
    }

    pub fn supersede(&mut self, table: Table, row_id: i64) -> &mut Self {
        self.ops.push(Op::Supersede { table, row_id });
        self
    }
}

/// What a store returns for an applied change set: its id and, for each
/// `Record` op in order, the entity id and row id it got.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Applied {
    pub change_id: i64,
    pub recorded_at: DateTime<Utc>,
    pub records: Vec<(i64, i64)>,
}

/// A row given whole to a bulk load (generated or migrated data): the entity id
/// is the caller's, both times are given, row and change ids are the store's.
#[derive(Debug, Clone, PartialEq)]
pub struct BulkRow {
    pub id: i64,
    pub valid: Validity,
    pub fact: Fact,
    pub recorded_at: DateTime<Utc>,
    pub superseded_at: Option<DateTime<Utc>>,
}

impl From<crate::time::Versioned<Fact>> for BulkRow {
    /// Keeps the entity id and both times; the row and change ids are the
    /// store's to assign.
    fn from(v: crate::time::Versioned<Fact>) -> Self {
        BulkRow {
            id: v.id,
            valid: v.valid,
            fact: v.data,
            recorded_at: v.recording.recorded_at,
            superseded_at: v.recording.superseded_at,
        }
    }
}
