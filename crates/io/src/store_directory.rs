//! [`Directory`] over the real store. [`Directory::prefetch`] loads the rows
//! of every key a file names in a few `IN (…)` queries; lookups are then
//! answered from memory, and only keys not loaded ahead cost one indexed query
//! each. Either way the rows are those currently believed, filtered by date here.

use std::collections::HashMap;

use chrono::NaiveDate;
use nangluc_core::employment::Employment;
use nangluc_core::person::PersonDetails;
use nangluc_core::position::JobPosition;
use nangluc_core::qualification::Qualification;
use nangluc_core::role::Role;
use nangluc_core::training::{Class, Enrolment, Institution, Programme};
use nangluc_core::unit::UnitVersion;
use nangluc_core::{Fact, Table, Versioned};
use nangluc_store::{Store, Value};

use crate::directory::{Current, Directory, Wanted};

/// Largest block of entity ids reserved at once.
const MAX_ID_BLOCK: i64 = 4096;

/// Current rows by key.
type Loaded<K> = HashMap<K, Vec<Versioned<Fact>>>;

/// The store, seen as the importer's directory.
pub struct StoreDirectory<'a> {
    store: &'a mut Store,
    /// Rows loaded ahead, by table and key column, then by key. A key loaded
    /// with no rows has an empty list: known to be absent, no query needed.
    by_text: HashMap<(Table, &'static str), Loaded<String>>,
    /// Rows about people loaded ahead, by table, then by person id.
    by_person: HashMap<Table, Loaded<i64>>,
    /// Entity ids reserved and not yet handed out, per table: (next, end).
    reserved: HashMap<Table, (i64, i64)>,
    /// The size of the next block to reserve, per table. It doubles, so a
    /// file of three people wastes few ids and a file of 100,000 makes few
    /// reservations; an unused reservation leaves a gap, as sequences do.
    block: HashMap<Table, i64>,
}

/// A lookup key: a code or identity number, or a person's entity id.
#[derive(Clone, Copy)]
enum Key<'k> {
    Text(&'k str),
    Person(i64),
}

impl Key<'_> {
    fn value(self) -> Value {
        match self {
            Key::Text(s) => s.into(),
            Key::Person(id) => id.into(),
        }
    }
}

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

/// The code or identity number a row is looked up by.
fn text_key(fact: &Fact) -> Option<&str> {
    match fact {
        Fact::Person(p) => Some(&p.identity_number),
        Fact::Unit(u) => Some(&u.code),
        Fact::Programme(p) => Some(&p.code),
        Fact::Class(c) => Some(&c.code),
        Fact::Institution(i) => Some(&i.code),
        _ => None,
    }
}

/// The person a row is about.
fn person_key(fact: &Fact) -> Option<i64> {
    match fact {
        Fact::Employment(e) => Some(e.person_id),
        Fact::Role(r) => Some(r.person_id),
        Fact::Qualification(q) => Some(q.person_id),
        Fact::Enrolment(e) => Some(e.person_id),
        _ => None,
    }
}

/// The order of [`Store::current_where`], so that answers do not depend on
/// whether the rows were loaded ahead.
fn sort_rows(rows: &mut [Versioned<Fact>]) {
    rows.sort_by_key(|v| (v.id, v.valid.from, v.row_id));
}

impl<'a> StoreDirectory<'a> {
    pub fn new(store: &'a mut Store) -> Self {
        Self { store, by_text: HashMap::new(), by_person: HashMap::new(), reserved: HashMap::new(), block: HashMap::new() }
    }

    /// The current rows of the key that `keep` accepts. Loaded rows are
    /// copied whole, then filtered: measured, copying only the kept ones
    /// (an iterator collected into a new vector) raised a 100,000-row import's
    /// peak by 50 MiB.
    fn rows_where<T: FromFact>(
        &mut self,
        column: &'static str,
        key: Key,
        keep: impl Fn(&Versioned<Fact>) -> bool,
    ) -> Result<Vec<Current<T>>, String> {
        let loaded = match key {
            Key::Text(s) => self.by_text.get(&(T::TABLE, column)).and_then(|m| m.get(s)),
            Key::Person(id) => self.by_person.get(&T::TABLE).and_then(|m| m.get(&id)),
        };
        let rows: Vec<Versioned<Fact>> = match loaded {
            Some(rows) => {
                let mut rows = rows.clone();
                rows.retain(|r| keep(r));
                rows
            }
            None => {
                let mut rows = self.store.current_where(T::TABLE, column, key.value()).map_err(|e| e.to_string())?;
                rows.retain(|r| keep(r));
                rows
            }
        };
        Ok(rows
            .into_iter()
            .filter_map(|Versioned { row_id, id, valid, data, .. }| {
                T::from_fact(data).map(|data| Current { id, row_id, valid, data })
            })
            .collect())
    }

    fn rows<T: FromFact>(&mut self, column: &'static str, key: Key) -> Result<Vec<Current<T>>, String> {
        self.rows_where(column, key, |_| true)
    }

    fn on<T: FromFact>(&mut self, column: &'static str, key: Key, on: NaiveDate) -> Result<Vec<Current<T>>, String> {
        self.rows_where(column, key, |r| r.valid.contains(on))
    }

    fn latest<T: FromFact>(&mut self, column: &'static str, key: Key) -> Result<Option<Current<T>>, String> {
        Ok(self.rows::<T>(column, key)?.into_iter().max_by_key(|r| r.valid.from))
    }

    /// Loads the current rows of `table` whose `column` is one of `keys`.
    fn load_text(&mut self, table: Table, column: &'static str, keys: &[String]) -> Result<(), String> {
        if keys.is_empty() {
            return Ok(());
        }
        let map = self.by_text.entry((table, column)).or_default();
        let mut values = Vec::with_capacity(keys.len());
        for k in keys {
            if !map.contains_key(k) {
                map.insert(k.clone(), Vec::new());
                values.push(Value::from(k.as_str()));
            }
        }
        self.store
            .current_where_in(table, column, &values, &mut |row| {
                if let Some(rows) = text_key(&row.data).and_then(|k| map.get_mut(k)) {
                    rows.push(row);
                }
            })
            .map_err(|e| e.to_string())?;
        map.values_mut().for_each(|rows| sort_rows(rows));
        Ok(())
    }

    /// Loads the current rows of `table` about the people `ids`.
    fn load_people(&mut self, table: Table, ids: &[i64]) -> Result<(), String> {
        let map = self.by_person.entry(table).or_default();
        let mut values = Vec::with_capacity(ids.len());
        for &id in ids {
            if let std::collections::hash_map::Entry::Vacant(e) = map.entry(id) {
                e.insert(Vec::new());
                values.push(Value::Int(id));
            }
        }
        self.store
            .current_where_in(table, "person_id", &values, &mut |row| {
                if let Some(rows) = person_key(&row.data).and_then(|k| map.get_mut(&k)) {
                    rows.push(row);
                }
            })
            .map_err(|e| e.to_string())?;
        map.values_mut().for_each(|rows| sort_rows(rows));
        Ok(())
    }
}

impl Directory for StoreDirectory<'_> {
    fn prefetch(&mut self, wanted: &Wanted) -> Result<(), String> {
        self.load_text(Table::People, "identity_number", &wanted.identity_numbers)?;
        self.load_text(Table::Units, "code", &wanted.unit_codes)?;
        self.load_text(Table::Programmes, "code", &wanted.programme_codes)?;
        self.load_text(Table::Classes, "code", &wanted.class_codes)?;
        self.load_text(Table::Institutions, "code", &wanted.institution_codes)?;
        if !wanted.of_people.is_empty() {
            let mut people: Vec<i64> = self
                .by_text
                .get(&(Table::People, "identity_number"))
                .map(|m| m.values().flatten().map(|v| v.id).collect())
                .unwrap_or_default();
            people.sort_unstable();
            people.dedup();
            for table in &wanted.of_people {
                self.load_people(*table, &people)?;
            }
        }
        Ok(())
    }

    fn person_by_identity(&mut self, identity_number: &str, on: NaiveDate) -> Result<Option<Current<PersonDetails>>, String> {
        Ok(self.on("identity_number", Key::Text(identity_number), on)?.into_iter().max_by_key(|r| r.valid.from))
    }

    fn unit_by_code(&mut self, code: &str, on: NaiveDate) -> Result<Option<Current<UnitVersion>>, String> {
        Ok(self.on("code", Key::Text(code), on)?.into_iter().max_by_key(|r| r.valid.from))
    }

    fn programme_by_code(&mut self, code: &str) -> Result<Option<Current<Programme>>, String> {
        self.latest("code", Key::Text(code))
    }

    fn class_by_code(&mut self, code: &str) -> Result<Option<Current<Class>>, String> {
        self.latest("code", Key::Text(code))
    }

    fn institution_by_code(&mut self, code: &str) -> Result<Option<Current<Institution>>, String> {
        self.latest("code", Key::Text(code))
    }

    fn employment_of(&mut self, person_id: i64, on: NaiveDate) -> Result<Vec<Current<Employment>>, String> {
        self.on("person_id", Key::Person(person_id), on)
    }

    fn roles_of(&mut self, person_id: i64, on: NaiveDate) -> Result<Vec<Current<Role>>, String> {
        self.on("person_id", Key::Person(person_id), on)
    }

    fn qualifications_of(&mut self, person_id: i64) -> Result<Vec<Current<Qualification>>, String> {
        self.rows("person_id", Key::Person(person_id))
    }

    fn enrolments_of(&mut self, person_id: i64) -> Result<Vec<Current<Enrolment>>, String> {
        self.rows("person_id", Key::Person(person_id))
    }

    fn job_positions(&mut self) -> Result<Vec<Current<JobPosition>>, String> {
        let rows = self.store.current_rows(Table::JobPositions).map_err(|e| e.to_string())?;
        Ok(rows
            .into_iter()
            .filter_map(|Versioned { row_id, id, valid, data, .. }| match data {
                Fact::JobPosition(data) => Some(Current { id, row_id, valid, data }),
                _ => None,
            })
            .collect())
    }

    fn reserve_id(&mut self, table: Table) -> Result<i64, String> {
        let (next, end) = self.reserved.entry(table).or_insert((0, 0));
        if *next == *end {
            let size = self.block.entry(table).or_insert(1);
            *next = self.store.reserve_ids(table, *size).map_err(|e| e.to_string())?;
            *end = *next + *size;
            *size = (*size * 2).min(MAX_ID_BLOCK);
        }
        *next += 1;
        Ok(*next - 1)
    }
}
