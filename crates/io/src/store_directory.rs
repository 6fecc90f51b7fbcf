//! [`Directory`] over the real store: each lookup is one indexed query for the
//! rows currently believed, filtered by date here.

use chrono::NaiveDate;
use nangluc_core::employment::Employment;
use nangluc_core::person::PersonDetails;
use nangluc_core::qualification::Qualification;
use nangluc_core::role::Role;
use nangluc_core::training::{Class, Enrolment, Institution, Programme};
use nangluc_core::unit::UnitVersion;
use nangluc_core::{Fact, Table, Versioned};
use nangluc_store::{Store, Value};

use crate::directory::{Current, Directory};

/// The store, seen as the importer's directory.
pub struct StoreDirectory<'a>(pub &'a mut Store);

/// Takes the payload of the fact kind a table holds.
trait FromFact: Sized {
    const TABLE: Table;
    fn from_fact(fact: Fact) -> Option<Self>;
}

macro_rules! from_fact {
    ($($t:ty => $table:ident, $variant:ident;)+) => {$(
        impl FromFact for $t {
            const TABLE: Table = Table::$table;
            fn from_fact(fact: Fact) -> Option<Self> {
                match fact { Fact::$variant(v) => Some(v), _ => None }
            }
        }
    )+};
}

from_fact! {
    PersonDetails => People, Person;
    UnitVersion => Units, Unit;
    Programme => Programmes, Programme;
    Class => Classes, Class;
    Institution => Institutions, Institution;
    Employment => Employments, Employment;
    Role => Roles, Role;
    Qualification => Qualifications, Qualification;
    Enrolment => Enrolments, Enrolment;
}

impl StoreDirectory<'_> {
    fn rows<T: FromFact>(&mut self, column: &str, value: Value) -> Result<Vec<Current<T>>, String> {
        let rows = self.0.current_where(T::TABLE, column, value).map_err(|e| e.to_string())?;
        Ok(rows
            .into_iter()
            .filter_map(|Versioned { row_id, id, valid, data, .. }| {
                T::from_fact(data).map(|data| Current { id, row_id, valid, data })
            })
            .collect())
    }

    fn on<T: FromFact>(&mut self, column: &str, value: Value, on: NaiveDate) -> Result<Vec<Current<T>>, String> {
        let mut rows = self.rows::<T>(column, value)?;
        rows.retain(|r| r.valid.contains(on));
        Ok(rows)
    }

    fn latest<T: FromFact>(&mut self, column: &str, value: Value) -> Result<Option<Current<T>>, String> {
        Ok(self.rows::<T>(column, value)?.into_iter().max_by_key(|r| r.valid.from))
    }
}

impl Directory for StoreDirectory<'_> {
    fn person_by_identity(&mut self, identity_number: &str, on: NaiveDate) -> Result<Option<Current<PersonDetails>>, String> {
        Ok(self.on("identity_number", identity_number.into(), on)?.into_iter().max_by_key(|r| r.valid.from))
    }

    fn unit_by_code(&mut self, code: &str, on: NaiveDate) -> Result<Option<Current<UnitVersion>>, String> {
        Ok(self.on("code", code.into(), on)?.into_iter().max_by_key(|r| r.valid.from))
    }

    fn programme_by_code(&mut self, code: &str) -> Result<Option<Current<Programme>>, String> {
        self.latest("code", code.into())
    }

    fn class_by_code(&mut self, code: &str) -> Result<Option<Current<Class>>, String> {
        self.latest("code", code.into())
    }

    fn institution_by_code(&mut self, code: &str) -> Result<Option<Current<Institution>>, String> {
        self.latest("code", code.into())
    }

    fn employment_of(&mut self, person_id: i64, on: NaiveDate) -> Result<Vec<Current<Employment>>, String> {
        self.on("person_id", person_id.into(), on)
    }

    fn roles_of(&mut self, person_id: i64, on: NaiveDate) -> Result<Vec<Current<Role>>, String> {
        self.on("person_id", person_id.into(), on)
    }

    fn qualifications_of(&mut self, person_id: i64) -> Result<Vec<Current<Qualification>>, String> {
        self.rows("person_id", person_id.into())
    }

    fn enrolments_of(&mut self, person_id: i64) -> Result<Vec<Current<Enrolment>>, String> {
        self.rows("person_id", person_id.into())
    }

    fn reserve_id(&mut self, table: Table) -> Result<i64, String> {
        self.0.reserve_id(table).map_err(|e| e.to_string())
    }
}
