//! One descriptor per fact kind: its table, its columns and how a fact turns
//! into column values and back. Inserts, selects and bulk loads all use these,
//! so a fact's columns are listed in exactly one place (besides the DDL of the
//! migrations, which the round-trip tests check against).

use nangluc_core::employment::Post;
use nangluc_core::person::{Ethnicity, PersonDetails};
use nangluc_core::training::Grant;
use nangluc_core::{Fact, Table, employment, position, qualification, role, training, unit};

use crate::StoreError;
use crate::value::{ColType, Cols, Value};

#[derive(Debug, Clone, Copy)]
pub(crate) struct Col {
    pub name: &'static str,
    pub ty: ColType,
}

const fn c(name: &'static str, ty: ColType) -> Col {
    Col { name, ty }
}

use ColType::{Bool as B, Bytes as Y, Date as D, Int as I, Text as T};

/// Columns every row is read with, before the fact's own (see [`read_versioned`]).
pub(crate) const SELECT_BASE: &[&str] = &["row_id", "id", "valid_from", "valid_to", "recorded_at", "superseded_at", "change_id"];

/// Columns every row is written with, before the fact's own.
pub(crate) const INSERT_BASE: &[Col] = &[
    c("id", I),
    c("valid_from", D),
    c("valid_to", D),
    c("recorded_at", ColType::Ts),
    c("superseded_at", ColType::Ts),
    c("change_id", I),
    c("superseded_change_id", I),
];

pub(crate) struct FactDesc {
    pub table: Table,
    /// The fact's fields, written and read.
    pub columns: &'static [Col],
    /// Kept by the store from the fact (search and sort keys), written only.
    pub derived: &'static [Col],
    /// Values of `columns` then `derived`, in order.
    pub values: fn(&Fact) -> Vec<Value>,
    /// Reads `columns` in order.
    pub read: fn(&mut Cols) -> Result<Fact, StoreError>,
}

impl FactDesc {
    pub(crate) fn name(&self) -> &'static str {
        self.table.name()
    }

    /// Whether `name` is a column rows are read with (guards names put in SQL).
    pub(crate) fn has_column(&self, name: &str) -> bool {
        SELECT_BASE.contains(&name) || self.columns.iter().any(|c| c.name == name)
    }

    /// `a.row_id, a.id, …, a.<fact columns>` for a SELECT.
    pub(crate) fn select_list(&self, alias: &str) -> String {
        let prefix = if alias.is_empty() { String::new() } else { format!("{alias}.") };
        SELECT_BASE
            .iter()
            .copied()
            .chain(self.columns.iter().map(|c| c.name))
            .map(|n| format!("{prefix}{n}"))
            .collect::<Vec<_>>()
            .join(", ")
    }

    /// Every written column, in the order of [`FactDesc::row_values`].
    pub(crate) fn insert_columns(&self) -> impl Iterator<Item = &'static Col> + '_ {
        INSERT_BASE.iter().chain(self.columns).chain(self.derived)
    }

    /// The INSERT of one row, parameters in [`FactDesc::insert_columns`] order.
    pub(crate) fn insert_sql(&self, returning_row_id: bool) -> String {
        let cols: Vec<&str> = self.insert_columns().map(|c| c.name).collect();
        let params: Vec<String> = (1..=cols.len()).map(|i| format!("${i}")).collect();
        let returning = if returning_row_id { " RETURNING row_id" } else { "" };
        format!("INSERT INTO {} ({}) VALUES ({}){returning}", self.name(), cols.join(", "), params.join(", "))
    }

    /// The values of a row to insert, matching [`FactDesc::insert_columns`].
    pub(crate) fn row_values(&self, base: [Value; 7], fact: &Fact) -> Vec<Value> {
        let mut values = Vec::with_capacity(7 + self.columns.len() + self.derived.len());
        values.extend(base);
        values.extend((self.values)(fact));
        values
    }
}

pub(crate) fn desc(table: Table) -> &'static FactDesc {
    match table {
        Table::Units => &UNITS,
        Table::UnitChanges => &UNIT_CHANGES,
        Table::People => &PEOPLE,
        Table::Employments => &EMPLOYMENTS,
        Table::Roles => &ROLES,
        Table::Qualifications => &QUALIFICATIONS,
        Table::JobPositions => &JOB_POSITIONS,
        Table::PositionRequirements => &POSITION_REQUIREMENTS,
        Table::Programmes => &PROGRAMMES,
        Table::Institutions => &INSTITUTIONS,
        Table::Lecturers => &LECTURERS,
        Table::Classes => &CLASSES,
        Table::Enrolments => &ENROLMENTS,
    }
}

/// Reads a row selected with [`FactDesc::select_list`].
pub(crate) fn read_versioned(
    desc: &FactDesc,
    row: &crate::value::Row,
) -> Result<nangluc_core::Versioned<Fact>, StoreError> {
    use nangluc_core::{Recording, Validity, Versioned};
    let data = (desc.read)(&mut Cols::new(row, SELECT_BASE.len()))?;
    Ok(Versioned {
        row_id: row.get_i64(0)?,
        id: row.get_i64(1)?,
        valid: Validity { from: row.get_date(2)?, to: row.opt_date(3)? },
        recording: Recording { recorded_at: row.get_ts(4)?, superseded_at: row.opt_ts(5)?, change_id: row.get_i64(6)? },
        data,
    })
}

fn code<T: Copy>(code: impl Fn(T) -> &'static str, v: T) -> Value {
    Value::Text(code(v).to_string())
}

// Each `values` is only called with its own kind of fact (the descriptor is
// chosen by `Fact::table`).
macro_rules! expect {
    ($fact:expr, $variant:ident) => {
        match $fact {
            Fact::$variant(x) => x,
            other => unreachable!("{:?} given to the {} descriptor", other.table(), stringify!($variant)),
        }
    };
}

static UNITS: FactDesc = FactDesc {
    table: Table::Units,
    columns: &[c("code", T), c("name", T), c("level", T), c("kind", T), c("sector", T), c("parent_id", I), c("minority_area", B)],
    derived: &[],
    values: |f| {
        let u = expect!(f, Unit);
        vec![
            u.code.as_str().into(),
            u.name.as_str().into(),
            code(unit::UnitLevel::code, u.level),
            code(unit::UnitKind::code, u.kind),
            code(unit::Sector::code, u.sector),
            u.parent_id.into(),
            u.minority_area.into(),
        ]
    },
    read: |r| {
        Ok(Fact::Unit(unit::UnitVersion {
            code: r.text()?,
            name: r.text()?,
            level: r.code()?,
            kind: r.code()?,
            sector: r.code()?,
            parent_id: r.opt_int()?,
            minority_area: r.boolean()?,
        }))
    },
};

static UNIT_CHANGES: FactDesc = FactDesc {
    table: Table::UnitChanges,
    columns: &[c("unit_id", I), c("kind", T), c("successor_id", I), c("changed_on", D), c("decision", T)],
    derived: &[],
    values: |f| {
        let u = expect!(f, UnitChange);
        vec![
            u.unit_id.into(),
            code(unit::UnitChangeKind::code, u.kind),
            u.successor_id.into(),
            u.date.into(),
            u.decision.as_str().into(),
        ]
    },
    read: |r| {
        Ok(Fact::UnitChange(unit::UnitChange {
            unit_id: r.int()?,
            kind: r.code()?,
            successor_id: r.opt_int()?,
            date: r.date()?,
            decision: r.text()?,
        }))
    },
};

/// The search key of a person's full name (no case, no diacritics).
pub(crate) fn person_search_key(p: &PersonDetails) -> String {
    nangluc_core::text::search_key(&p.full_name())
}

static PEOPLE: FactDesc = FactDesc {
    table: Table::People,
    columns: &[
        c("identity_number", T),
        c("family_name", T),
        c("middle_name", T),
        c("given_name", T),
        c("birth_date", D),
        c("sex", T),
        c("ethnicity", I),
    ],
    derived: &[c("search_key", T), c("sort_key", Y)],
    values: |f| {
        let p = expect!(f, Person);
        vec![
            p.identity_number.as_str().into(),
            p.family_name.as_str().into(),
            p.middle_name.as_str().into(),
            p.given_name.as_str().into(),
            p.birth_date.into(),
            code(nangluc_core::person::Sex::code, p.sex),
            i64::from(p.ethnicity.code()).into(),
            person_search_key(p).into(),
            nangluc_core::text::name_sort_key(&p.family_name, &p.middle_name, &p.given_name).into(),
        ]
    },
    read: |r| {
        Ok(Fact::Person(PersonDetails {
            identity_number: r.text()?,
            family_name: r.text()?,
            middle_name: r.text()?,
            given_name: r.text()?,
            birth_date: r.date()?,
            sex: r.code()?,
            ethnicity: {
                let n = r.int()?;
                u8::try_from(n)
                    .ok()
                    .and_then(Ethnicity::from_code)
                    .ok_or_else(|| StoreError::Decode(format!("mã dân tộc {n} không nằm trong 1–54")))?
            },
        }))
    },
};

static EMPLOYMENTS: FactDesc = FactDesc {
    table: Table::Employments,
    columns: &[
        c("person_id", I),
        c("unit_id", I),
        c("category", T),
        c("rank", T),
        c("job_position_id", I),
        c("post_code", T),
        c("post_rank", T),
        c("appointed_on", D),
        c("elected_on", D),
        c("minority_area", B),
    ],
    derived: &[],
    values: |f| {
        let e = expect!(f, Employment);
        let post = e.post.as_ref();
        vec![
            e.person_id.into(),
            e.unit_id.into(),
            code(employment::Category::code, e.category),
            e.rank.as_deref().into(),
            e.job_position_id.into(),
            post.map(|p| p.code.as_str()).into(),
            post.map(|p| p.rank.code()).into(),
            post.and_then(|p| p.appointed_on).into(),
            post.and_then(|p| p.elected_on).into(),
            e.minority_area.into(),
        ]
    },
    read: |r| {
        let person_id = r.int()?;
        let unit_id = r.int()?;
        let category = r.code()?;
        let rank = r.opt_text()?;
        let job_position_id = r.opt_int()?;
        let post_code = r.opt_text()?;
        let post_rank: Option<employment::PostRank> = r.opt_code()?;
        let appointed_on = r.opt_date()?;
        let elected_on = r.opt_date()?;
        let post = match (post_code, post_rank) {
            (Some(code), Some(rank)) => Some(Post { code, rank, appointed_on, elected_on }),
            (None, _) => None,
            (Some(code), None) => {
                return Err(StoreError::Decode(format!("chức vụ '{code}' thiếu cấp chức vụ (post_rank)")));
            }
        };
        Ok(Fact::Employment(employment::Employment {
            person_id,
            unit_id,
            category,
            rank,
            job_position_id,
            post,
            minority_area: r.boolean()?,
        }))
    },
};

static ROLES: FactDesc = FactDesc {
    table: Table::Roles,
    columns: &[c("person_id", I), c("kind", T), c("term", T), c("level", T), c("post", T), c("approved_on", D)],
    derived: &[],
    values: |f| {
        let x = expect!(f, Role);
        vec![
            x.person_id.into(),
            code(role::RoleKind::code, x.kind),
            x.term.as_deref().into(),
            x.level.map(|l| l.code()).into(),
            x.post.as_deref().into(),
            x.approved_on.into(),
        ]
    },
    read: |r| {
        Ok(Fact::Role(role::Role {
            person_id: r.int()?,
            kind: r.code()?,
            term: r.opt_text()?,
            level: r.opt_code()?,
            post: r.opt_text()?,
            approved_on: r.opt_date()?,
        }))
    },
};

static QUALIFICATIONS: FactDesc = FactDesc {
    table: Table::Qualifications,
    columns: &[
        c("person_id", I),
        c("kind", T),
        c("level", T),
        c("field", T),
        c("language", T),
        c("obtained_on", D),
        c("evidence", T),
        c("enrolment_id", I),
    ],
    derived: &[],
    values: |f| {
        let q = expect!(f, Qualification);
        vec![
            q.person_id.into(),
            code(qualification::QualificationKind::code, q.kind),
            q.level.as_str().into(),
            q.field.as_deref().into(),
            q.language.as_deref().into(),
            q.obtained_on.into(),
            q.evidence.as_deref().into(),
            q.enrolment_id.into(),
        ]
    },
    read: |r| {
        Ok(Fact::Qualification(qualification::Qualification {
            person_id: r.int()?,
            kind: r.code()?,
            level: r.text()?,
            field: r.opt_text()?,
            language: r.opt_text()?,
            obtained_on: r.date()?,
            evidence: r.opt_text()?,
            enrolment_id: r.opt_int()?,
        }))
    },
};

static JOB_POSITIONS: FactDesc = FactDesc {
    table: Table::JobPositions,
    columns: &[c("code", T), c("name", T), c("position_group", T)],
    derived: &[],
    values: |f| {
        let j = expect!(f, JobPosition);
        vec![j.code.as_str().into(), j.name.as_str().into(), code(position::PositionGroup::code, j.group)]
    },
    read: |r| Ok(Fact::JobPosition(position::JobPosition { code: r.text()?, name: r.text()?, group: r.code()? })),
};

static POSITION_REQUIREMENTS: FactDesc = FactDesc {
    table: Table::PositionRequirements,
    columns: &[c("position_id", I), c("kind", T), c("min_level", T), c("field", T)],
    derived: &[],
    values: |f| {
        let p = expect!(f, PositionRequirement);
        vec![
            p.position_id.into(),
            code(qualification::QualificationKind::code, p.kind),
            p.min_level.as_str().into(),
            p.field.as_deref().into(),
        ]
    },
    read: |r| {
        Ok(Fact::PositionRequirement(position::PositionRequirement {
            position_id: r.int()?,
            kind: r.code()?,
            min_level: r.text()?,
            field: r.opt_text()?,
        }))
    },
};

static PROGRAMMES: FactDesc = FactDesc {
    table: Table::Programmes,
    columns: &[
        c("code", T),
        c("name", T),
        c("kind", T),
        c("topic", T),
        c("legal_basis", T),
        c("duration_periods", I),
        c("grants_kind", T),
        c("grants_level", T),
        c("grants_field", T),
        c("grants_language", T),
    ],
    derived: &[],
    values: |f| {
        let p = expect!(f, Programme);
        let g = p.grants.as_ref();
        vec![
            p.code.as_str().into(),
            p.name.as_str().into(),
            code(training::TrainingKind::code, p.kind),
            code(training::Topic::code, p.topic),
            p.legal_basis.as_str().into(),
            p.duration_periods.into(),
            g.map(|g| g.kind.code()).into(),
            g.map(|g| g.level.as_str()).into(),
            g.and_then(|g| g.field.as_deref()).into(),
            g.and_then(|g| g.language.as_deref()).into(),
        ]
    },
    read: |r| {
        let code = r.text()?;
        let name = r.text()?;
        let kind = r.code()?;
        let topic = r.code()?;
        let legal_basis = r.text()?;
        let duration_periods = r.int()?;
        let grants_kind: Option<qualification::QualificationKind> = r.opt_code()?;
        let level = r.opt_text()?;
        let field = r.opt_text()?;
        let language = r.opt_text()?;
        let grants = grants_kind.map(|kind| Grant { kind, level: level.unwrap_or_default(), field, language });
        Ok(Fact::Programme(training::Programme { code, name, kind, topic, legal_basis, duration_periods, grants }))
    },
};

static INSTITUTIONS: FactDesc = FactDesc {
    table: Table::Institutions,
    columns: &[c("code", T), c("name", T), c("kind", T)],
    derived: &[],
    values: |f| {
        let i = expect!(f, Institution);
        vec![i.code.as_str().into(), i.name.as_str().into(), code(training::InstitutionKind::code, i.kind)]
    },
    read: |r| Ok(Fact::Institution(training::Institution { code: r.text()?, name: r.text()?, kind: r.code()? })),
};

static LECTURERS: FactDesc = FactDesc {
    table: Table::Lecturers,
    columns: &[c("institution_id", I), c("full_name", T), c("guest", B), c("management_years", I)],
    derived: &[],
    values: |f| {
        let l = expect!(f, Lecturer);
        vec![l.institution_id.into(), l.full_name.as_str().into(), l.guest.into(), l.management_years.into()]
    },
    read: |r| {
        Ok(Fact::Lecturer(training::Lecturer {
            institution_id: r.int()?,
            full_name: r.text()?,
            guest: r.boolean()?,
            management_years: r.int()?,
        }))
    },
};

static CLASSES: FactDesc = FactDesc {
    table: Table::Classes,
    columns: &[
        c("code", T),
        c("programme_id", I),
        c("institution_id", I),
        c("starts_on", D),
        c("ends_on", D),
        c("place", T),
        c("form", T),
        c("min_size", I),
        c("max_size", I),
        c("status", T),
        c("planned_cost", I),
        c("target_group", T),
        c("unit_quotas", T),
    ],
    derived: &[],
    values: |f| {
        let k = expect!(f, Class);
        vec![
            k.code.as_str().into(),
            k.programme_id.into(),
            k.institution_id.into(),
            k.starts_on.into(),
            k.ends_on.into(),
            k.place.as_str().into(),
            code(training::StudyForm::code, k.form),
            k.min_size.into(),
            k.max_size.into(),
            code(training::ClassStatus::code, k.status),
            k.planned_cost.into(),
            k.target_group.as_deref().into(),
            (!k.unit_quotas.is_empty()).then(|| training::UnitQuota::write_all(&k.unit_quotas)).into(),
        ]
    },
    read: |r| {
        Ok(Fact::Class(training::Class {
            code: r.text()?,
            programme_id: r.int()?,
            institution_id: r.int()?,
            starts_on: r.date()?,
            ends_on: r.date()?,
            place: r.text()?,
            form: r.code()?,
            min_size: r.int()?,
            max_size: r.int()?,
            status: r.code()?,
            planned_cost: r.int()?,
            target_group: r.opt_text()?,
            unit_quotas: match r.opt_text()? {
                None => Vec::new(),
                Some(t) => training::UnitQuota::read_all(&t)
                    .ok_or_else(|| StoreError::Decode(format!("chỉ tiêu theo đơn vị '{t}' không đúng dạng 'đơn vị:số chỗ;…'")))?,
            },
        }))
    },
};

static ENROLMENTS: FactDesc = FactDesc {
    table: Table::Enrolments,
    columns: &[
        c("person_id", I),
        c("programme_id", I),
        c("class_id", I),
        c("nominated_by", I),
        c("status", T),
        c("starts_on", D),
        c("ends_on", D),
        c("attendance_pct", I),
        c("result", T),
        c("certificate", T),
        c("cost", I),
        c("funding", T),
        c("note", T),
    ],
    derived: &[],
    values: |f| {
        let e = expect!(f, Enrolment);
        vec![
            e.person_id.into(),
            e.programme_id.into(),
            e.class_id.into(),
            e.nominated_by.into(),
            code(training::EnrolmentStatus::code, e.status),
            e.starts_on.into(),
            e.ends_on.into(),
            e.attendance_pct.into(),
            e.result.as_deref().into(),
            e.certificate.as_deref().into(),
            e.cost.into(),
            code(training::FundingSource::code, e.funding),
            e.note.as_deref().into(),
        ]
    },
    read: |r| {
        Ok(Fact::Enrolment(training::Enrolment {
            person_id: r.int()?,
            programme_id: r.int()?,
            class_id: r.opt_int()?,
            nominated_by: r.opt_int()?,
            status: r.code()?,
            starts_on: r.date()?,
            ends_on: r.date()?,
            attendance_pct: r.opt_int()?,
            result: r.opt_text()?,
            certificate: r.opt_text()?,
            cost: r.int()?,
            funding: r.code()?,
            note: r.opt_text()?,
        }))
    },
};
