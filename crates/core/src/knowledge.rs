//! What the system knows at one moment: every row of every table that a reading
//! "as known at" that moment sees, across all valid times. Readers as of any
//! date (the target engine, history views) work from this.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::change::{Fact, Table};
use crate::employment::Employment;
use crate::person::PersonDetails;
use crate::position::{JobPosition, PositionRequirement};
use crate::qualification::Qualification;
use crate::role::Role;
use crate::time::Versioned;
use crate::training::{Class, Enrolment, Institution, Lecturer, Programme};
use crate::unit::{UnitChange, UnitVersion};

/// Receives rows one at a time, so that a large database can be read in bounded
/// memory by a consumer that keeps only what it needs.
pub trait KnowledgeSink {
    fn row(&mut self, row: Versioned<Fact>);
}

/// All rows known at `known_at`, by table, each in (entity id, valid from) order.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Knowledge {
    /// `None`: the current knowledge.
    pub known_at: Option<DateTime<Utc>>,
    pub units: Vec<Versioned<UnitVersion>>,
    pub unit_changes: Vec<Versioned<UnitChange>>,
    pub people: Vec<Versioned<PersonDetails>>,
    pub employments: Vec<Versioned<Employment>>,
    pub roles: Vec<Versioned<Role>>,
    pub qualifications: Vec<Versioned<Qualification>>,
    pub job_positions: Vec<Versioned<JobPosition>>,
    pub position_requirements: Vec<Versioned<PositionRequirement>>,
    pub programmes: Vec<Versioned<Programme>>,
    pub institutions: Vec<Versioned<Institution>>,
    pub lecturers: Vec<Versioned<Lecturer>>,
    pub classes: Vec<Versioned<Class>>,
    pub enrolments: Vec<Versioned<Enrolment>>,
}

impl KnowledgeSink for Knowledge {
    fn row(&mut self, row: Versioned<Fact>) {
        let Versioned { row_id, id, valid, recording, data } = row;
        macro_rules! push {
            ($field:ident, $v:expr) => {
                self.$field.push(Versioned { row_id, id, valid, recording, data: $v })
            };
        }
        match data {
            Fact::Unit(v) => push!(units, v),
            Fact::UnitChange(v) => push!(unit_changes, v),
            Fact::Person(v) => push!(people, v),
            Fact::Employment(v) => push!(employments, v),
            Fact::Role(v) => push!(roles, v),
            Fact::Qualification(v) => push!(qualifications, v),
            Fact::JobPosition(v) => push!(job_positions, v),
            Fact::PositionRequirement(v) => push!(position_requirements, v),
            Fact::Programme(v) => push!(programmes, v),
            Fact::Institution(v) => push!(institutions, v),
            Fact::Lecturer(v) => push!(lecturers, v),
            Fact::Class(v) => push!(classes, v),
            Fact::Enrolment(v) => push!(enrolments, v),
        }
    }
}

impl Knowledge {
    pub fn len(&self, table: Table) -> usize {
        match table {
            Table::Units => self.units.len(),
            Table::UnitChanges => self.unit_changes.len(),
            Table::People => self.people.len(),
            Table::Employments => self.employments.len(),
            Table::Roles => self.roles.len(),
            Table::Qualifications => self.qualifications.len(),
            Table::JobPositions => self.job_positions.len(),
            Table::PositionRequirements => self.position_requirements.len(),
            Table::Programmes => self.programmes.len(),
            Table::Institutions => self.institutions.len(),
            Table::Lecturers => self.lecturers.len(),
            Table::Classes => self.classes.len(),
            Table::Enrolments => self.enrolments.len(),
        }
    }
}
