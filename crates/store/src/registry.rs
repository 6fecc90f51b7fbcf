//! Readings for the registry and the audit log: people searched with filters
//! and paging (within a reader's scope), the audit trail filtered, and the rows
//! one change recorded or superseded.

use chrono::{DateTime, Utc};
use nangluc_core::employment::{Category, Employment};
use nangluc_core::person::PersonDetails;
use nangluc_core::{AsOf, Fact, Table, Versioned};

use crate::schema::desc;
use crate::value::Value;
use crate::{ChangeInfo, Params, Result, Store, escape_like, known_filter, seen_filter};

/// A search of the registry.
#[derive(Debug, Clone, PartialEq)]
pub struct PeopleQuery {
    /// Words of the name (any case, with or without diacritics) or an identity
    /// number; empty lists everyone in scope.
    pub text: String,
    pub as_of: AsOf,
    /// The reader's scope: only people employed, as of the reading, in the
    /// subtree of this unit.
    pub scope_unit: Option<i64>,
    /// The reader's scope: only this person.
    pub only_person: Option<i64>,
    /// Filter: employed in the subtree of this unit.
    pub unit: Option<i64>,
    /// Filter: employed in this category.
    pub category: Option<Category>,
    /// Filter: holding this leadership post (a post code, or `*` for any post).
    pub post: Option<String>,
    pub offset: usize,
    pub limit: usize,
}

impl PeopleQuery {
    pub fn new(text: impl Into<String>, as_of: AsOf) -> Self {
        Self {
            text: text.into(),
            as_of,
            scope_unit: None,
            only_person: None,
            unit: None,
            category: None,
            post: None,
            offset: 0,
            limit: 50,
        }
    }
}

/// A person found, with their employments as of the reading and the names of
/// those units.
#[derive(Debug, Clone, PartialEq)]
pub struct PersonHit {
    pub id: i64,
    pub person: PersonDetails,
    pub employments: Vec<(Employment, String)>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct PeoplePage {
    pub hits: Vec<PersonHit>,
    /// Whether another page follows.
    pub more: bool,
}

/// A filter of the audit trail.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ChangeFilter {
    /// Exactly this actor.
    pub actor: Option<String>,
    /// The reason contains this text (case-insensitive for ASCII letters).
    pub reason: Option<String>,
    pub from: Option<DateTime<Utc>>,
    /// Exclusive.
    pub to: Option<DateTime<Utc>>,
    pub offset: usize,
    pub limit: usize,
}

/// A row a change recorded, or superseded.
#[derive(Debug, Clone, PartialEq)]
pub struct ChangeRow {
    pub table: Table,
    /// `true`: the change superseded this row; `false`: it recorded it.
    pub superseded: bool,
    pub row: Versioned<Fact>,
}

/// How many rows of a table a change recorded and superseded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ChangeCount {
    pub table: Table,
    pub recorded: i64,
    pub superseded: i64,
}

fn int(n: usize) -> Value {
    Value::Int(i64::try_from(n).unwrap_or(i64::MAX))
}

/// `name (id) AS (…)`: the units of a subtree as of the reading.
fn subtree(p: &mut Params, name: &str, unit_id: i64, as_of: &AsOf) -> String {
    let root = p.push(unit_id);
    let seen = seen_filter(p, "u", as_of);
    format!(
        "{name} (id) AS (
            SELECT CAST({root} AS BIGINT)
            UNION
            SELECT u.id FROM units u JOIN {name} ON u.parent_id = {name}.id WHERE {seen}
        )"
    )
}

impl Store {
    /// People matching a query, in Vietnamese name order, one page at a time.
    pub fn search_people(&mut self, q: &PeopleQuery) -> Result<PeoplePage> {
        let mut p = Params::default();
        let mut ctes = Vec::new();
        if let Some(u) = q.scope_unit {
            ctes.push(subtree(&mut p, "scope_units", u, &q.as_of));
        }
        if let Some(u) = q.unit {
            ctes.push(subtree(&mut p, "filter_units", u, &q.as_of));
        }
        let mut conds = vec![seen_filter(&mut p, "p", &q.as_of)];
        let text = q.text.trim();
        let key = nangluc_core::text::search_key(text);
        if key.split_whitespace().next().is_some() {
            let words: Vec<String> = key
                .split_whitespace()
                .map(|w| {
                    format!(
                        "(' ' || p.search_key) LIKE {} ESCAPE '\\'",
                        p.push(format!("% {}%", escape_like(w)))
                    )
                })
                .collect();
            let number = p.push(text);
            conds.push(format!(
                "(({}) OR p.identity_number = {number})",
                words.join(" AND ")
            ));
        }
        if let Some(id) = q.only_person {
            conds.push(format!("p.id = {}", p.push(id)));
        }
        let mut emp = Vec::new();
        if q.scope_unit.is_some() {
            emp.push("e.unit_id IN (SELECT id FROM scope_units)".to_string());
        }
        if q.unit.is_some() {
            emp.push("e.unit_id IN (SELECT id FROM filter_units)".to_string());
        }
        if let Some(c) = q.category {
            emp.push(format!("e.category = {}", p.push(c.code())));
        }
        match q.post.as_deref() {
            Some("*") => emp.push("e.post_code IS NOT NULL".to_string()),
            Some(code) => emp.push(format!("e.post_code = {}", p.push(code))),
            None => {}
        }
        if !emp.is_empty() {
            let seen_e = seen_filter(&mut p, "e", &q.as_of);
            conds.push(format!(
                "EXISTS (SELECT 1 FROM employments e WHERE e.person_id = p.id AND {seen_e} AND {})",
                emp.join(" AND ")
            ));
        }
        let limit = p.push(int(q.limit + 1));
        let offset = p.push(int(q.offset));
        let with = if ctes.is_empty() {
            String::new()
        } else {
            format!("WITH RECURSIVE {} ", ctes.join(", "))
        };
        let sql = format!(
            "{with}SELECT {} FROM people p WHERE {} ORDER BY p.sort_key, p.id LIMIT {limit} OFFSET {offset}",
            desc(Table::People).select_list("p"),
            conds.join(" AND ")
        );
        let mut rows = self.read_rows(Table::People, &sql, &p.0)?;
        let more = rows.len() > q.limit;
        rows.truncate(q.limit);
        let mut hits: Vec<PersonHit> = rows
            .into_iter()
            .filter_map(|v| match v.data {
                Fact::Person(person) => Some(PersonHit {
                    id: v.id,
                    person,
                    employments: Vec::new(),
                }),
                _ => None,
            })
            .collect();
        if hits.is_empty() {
            return Ok(PeoplePage { hits, more });
        }

        // Their employments and units as of the reading.
        let mut p = Params::default();
        let ids: Vec<String> = hits.iter().map(|h| p.push(h.id)).collect();
        let seen_e = seen_filter(&mut p, "e", &q.as_of);
        let sql = format!(
            "SELECT {} FROM employments e WHERE e.person_id IN ({}) AND {seen_e} ORDER BY e.person_id, e.valid_from, e.row_id",
            desc(Table::Employments).select_list("e"),
            ids.join(", ")
        );
        let employments: Vec<Employment> = self
            .read_rows(Table::Employments, &sql, &p.0)?
            .into_iter()
            .filter_map(|v| match v.data {
                Fact::Employment(e) => Some(e),
                _ => None,
            })
            .collect();
        let names = self.unit_names(employments.iter().map(|e| e.unit_id), &q.as_of)?;
        for e in employments {
            if let Some(h) = hits.iter_mut().find(|h| h.id == e.person_id) {
                let name = names
                    .get(&e.unit_id)
                    .cloned()
                    .unwrap_or_else(|| format!("Đơn vị số {}", e.unit_id));
                h.employments.push((e, name));
            }
        }
        Ok(PeoplePage { hits, more })
    }

    /// The names of units as of a reading (units not seen then are left out).
    pub fn unit_names(
        &mut self,
        ids: impl IntoIterator<Item = i64>,
        as_of: &AsOf,
    ) -> Result<std::collections::HashMap<i64, String>> {
        let mut ids: Vec<i64> = ids.into_iter().collect();
        ids.sort_unstable();
        ids.dedup();
        let mut out = std::collections::HashMap::new();
        for chunk in ids.chunks(500) {
            let mut p = Params::default();
            let list: Vec<String> = chunk.iter().map(|id| p.push(*id)).collect();
            let seen = seen_filter(&mut p, "u", as_of);
            let sql = format!(
                "SELECT u.id, u.name FROM units u WHERE u.id IN ({}) AND {seen}",
                list.join(", ")
            );
            for r in self.db.query(&sql, &p.0)? {
                out.insert(r.get_i64(0)?, r.get_str(1)?.to_owned());
            }
        }
        Ok(out)
    }

    /// The audit trail, newest first, filtered.
    pub fn changes_filtered(&mut self, f: &ChangeFilter) -> Result<Vec<ChangeInfo>> {
        let mut p = Params::default();
        let mut conds = vec!["1 = 1".to_string()];
        if let Some(a) = &f.actor {
            conds.push(format!("actor = {}", p.push(a.as_str())));
        }
        if let Some(r) = f.reason.as_deref().filter(|r| !r.trim().is_empty()) {
            let pat = p.push(format!("%{}%", escape_like(&r.trim().to_lowercase())));
            conds.push(format!("LOWER(reason) LIKE {pat} ESCAPE '\\'"));
        }
        if let Some(t) = f.from {
            conds.push(format!("at >= {}", p.push(crate::truncate_micros(t))));
        }
        if let Some(t) = f.to {
            conds.push(format!("at < {}", p.push(crate::truncate_micros(t))));
        }
        let limit = p.push(int(f.limit));
        let offset = p.push(int(f.offset));
        let sql = format!(
            "SELECT id, at, actor, reason FROM changes WHERE {} ORDER BY id DESC LIMIT {limit} OFFSET {offset}",
            conds.join(" AND ")
        );
        self.db
            .query(&sql, &p.0)?
            .iter()
            .map(|r| {
                Ok(ChangeInfo {
                    id: r.get_i64(0)?,
                    at: r.get_ts(1)?,
                    actor: r.get_str(2)?.into(),
                    reason: r.get_str(3)?.into(),
                })
            })
            .collect()
    }

    /// One change set of the audit trail.
    pub fn change(&mut self, id: i64) -> Result<Option<ChangeInfo>> {
        let r = self.db.query_opt(
            "SELECT id, at, actor, reason FROM changes WHERE id = $1",
            &[id.into()],
        )?;
        r.map(|r| {
            Ok(ChangeInfo {
                id: r.get_i64(0)?,
                at: r.get_ts(1)?,
                actor: r.get_str(2)?.into(),
                reason: r.get_str(3)?.into(),
            })
        })
        .transpose()
    }

    /// How many rows of each table a change recorded and superseded (tables
    /// it did not touch are left out).
    pub fn change_counts(&mut self, change_id: i64) -> Result<Vec<ChangeCount>> {
        let mut out = Vec::new();
        for table in Table::ALL {
            let count = |db: &mut Box<dyn crate::backend::Backend>, col: &str| -> Result<i64> {
                db.query_one(
                    &format!("SELECT COUNT(*) FROM {} WHERE {col} = $1", table.name()),
                    &[change_id.into()],
                )?
                .get_i64(0)
            };
            let recorded = count(&mut self.db, "change_id")?;
            let superseded = count(&mut self.db, "superseded_change_id")?;
            if recorded + superseded > 0 {
                out.push(ChangeCount {
                    table,
                    recorded,
                    superseded,
                });
            }
        }
        Ok(out)
    }

    /// The rows a change recorded or superseded, table by table, at most `limit`.
    pub fn change_rows(&mut self, change_id: i64, limit: usize) -> Result<Vec<ChangeRow>> {
        let mut out = Vec::new();
        for table in Table::ALL {
            for (col, superseded) in [("change_id", false), ("superseded_change_id", true)] {
                let left = limit.saturating_sub(out.len());
                if left == 0 {
                    return Ok(out);
                }
                let d = desc(table);
                let sql = format!(
                    "SELECT {} FROM {} WHERE {col} = $1 ORDER BY row_id LIMIT $2",
                    d.select_list(""),
                    d.name()
                );
                for row in self.read_rows(table, &sql, &[change_id.into(), int(left)])? {
                    out.push(ChangeRow {
                        table,
                        superseded,
                        row,
                    });
                }
            }
        }
        Ok(out)
    }

    /// Every row about a person in the employment, role, qualification and
    /// enrolment tables, known at `known_at` (`None`: now), all valid times:
    /// the material of a person's timeline.
    pub fn person_facts(
        &mut self,
        person_id: i64,
        known_at: Option<DateTime<Utc>>,
    ) -> Result<Vec<Versioned<Fact>>> {
        let mut out = Vec::new();
        for table in [
            Table::Employments,
            Table::Roles,
            Table::Qualifications,
            Table::Enrolments,
        ] {
            out.extend(self.rows_where(table, "person_id", person_id, known_at)?);
        }
        Ok(out)
    }

    /// The enrolments of a class known at `known_at` (`None`: now).
    pub fn class_enrolments(
        &mut self,
        class_id: i64,
        known_at: Option<DateTime<Utc>>,
    ) -> Result<Vec<Versioned<Fact>>> {
        self.rows_where(Table::Enrolments, "class_id", class_id, known_at)
    }

    fn rows_where(
        &mut self,
        table: Table,
        column: &str,
        id: i64,
        known_at: Option<DateTime<Utc>>,
    ) -> Result<Vec<Versioned<Fact>>> {
        let d = desc(table);
        let mut p = Params::default();
        let id = p.push(id);
        let known = known_filter(&mut p, "", known_at);
        let sql = format!(
            "SELECT {} FROM {} WHERE {column} = {id} AND {known} ORDER BY valid_from, row_id",
            d.select_list(""),
            d.name()
        );
        self.read_rows(table, &sql, &p.0)
    }

    /// The latest currently believed version of every entity of a table, by
    /// entity id: catalogues (programmes, institutions, classes) whatever
    /// their validity.
    pub fn latest(&mut self, table: Table) -> Result<Vec<Versioned<Fact>>> {
        let d = desc(table);
        let sql = format!(
            "SELECT {} FROM {} WHERE superseded_at IS NULL ORDER BY id, valid_from, row_id",
            d.select_list(""),
            d.name()
        );
        let mut out: Vec<Versioned<Fact>> = Vec::new();
        for row in self.read_rows(table, &sql, &[])? {
            match out.last_mut() {
                Some(last) if last.id == row.id => *last = row,
                _ => out.push(row),
            }
        }
        Ok(out)
    }
}
