//! Exports: xlsx files that people read and the importer reads back (a round
//! trip changes nothing). People are sorted the Vietnamese way: by given name,
//! then family and middle name.
//!
//! Target results will be written through [`write_table`], the generic seam: the
//! target engine builds a [`Table`] (title, headers, rows of [`Value`]s) and
//! this module lays it out like every other export.

use std::collections::HashMap;
use std::path::Path;

use chrono::NaiveDate;
use nangluc_core::text::name_sort_key;
use nangluc_core::time::Versioned;
use nangluc_core::Knowledge;
use rust_xlsxwriter::{Format, FormatAlign, FormatBorder, Workbook};

use crate::error::WriteError;
use crate::format::{date_vi, number_vi};
use crate::kinds::{ColType, SheetKind, classes, programmes, qualifications, staff, training, units};
use crate::parse::serial_from_date;

/// One cell of an export.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Empty,
    Text(String),
    /// Written as an Excel date shown dd/mm/yyyy.
    Date(NaiveDate),
    Int(i64),
    /// A share (0.1708), shown as a percentage in the reader's locale (17,08 %).
    Percent(f64),
}

impl Value {
    pub fn text(s: impl Into<String>) -> Value {
        let s = s.into();
        if s.is_empty() { Value::Empty } else { Value::Text(s) }
    }
    pub fn opt_text(s: Option<&str>) -> Value {
        s.map(Value::text).unwrap_or(Value::Empty)
    }
    pub fn opt_date(d: Option<NaiveDate>) -> Value {
        d.map(Value::Date).unwrap_or(Value::Empty)
    }
    pub fn yes(b: bool) -> Value {
        if b { Value::text("Có") } else { Value::Empty }
    }
}

/// A generic export: title and subtitle rows above a header, then rows.
#[derive(Debug, Clone, Default)]
pub struct Table {
    pub sheet: String,
    pub title: String,
    pub subtitle: String,
    /// Header and width in characters.
    pub columns: Vec<(String, f64)>,
    /// Columns whose values are identity numbers or codes (kept as text).
    pub text_columns: Vec<usize>,
    pub rows: Vec<Vec<Value>>,
}

/// The row (0-based) of the header in exports: title, subtitle, a blank row.
pub const HEADER_ROW: u32 = 3;

/// Writes a table to an xlsx file.
pub fn write_table(table: &Table, path: impl AsRef<Path>) -> Result<(), WriteError> {
    write_tables(std::slice::from_ref(table), path)
}

/// Writes tables to one xlsx file, a sheet each.
pub fn write_tables(tables: &[Table], path: impl AsRef<Path>) -> Result<(), WriteError> {
    let mut book = Workbook::new();
    for table in tables {
        add_sheet(&mut book, table)?;
    }
    book.save(path)?;
    Ok(())
}

/// Writes tables to an xlsx workbook in memory, a sheet each (for a download).
pub fn write_tables_to_bytes(tables: &[Table]) -> Result<Vec<u8>, WriteError> {
    let mut book = Workbook::new();
    for table in tables {
        add_sheet(&mut book, table)?;
    }
    Ok(book.save_to_buffer()?)
}

fn add_sheet(book: &mut Workbook, table: &Table) -> Result<(), WriteError> {
    add_sheet_rows(book, table, table.rows.iter().map(|r| std::borrow::Cow::Borrowed(r.as_slice())))
}

/// Lays out a table whose rows come one at a time (`table.rows` is not
/// read): an export of 100,000 people then never holds all its cells twice.
fn add_sheet_rows<'r>(
    book: &mut Workbook,
    table: &Table,
    rows: impl Iterator<Item = std::borrow::Cow<'r, [Value]>>,
) -> Result<(), WriteError> {
    let ws = book.add_worksheet();
    ws.set_name(&table.sheet)?;
    let last = table.columns.len().saturating_sub(1) as u16;
    let title = Format::new().set_bold().set_font_size(14).set_align(FormatAlign::Center);
    let subtitle = Format::new().set_italic().set_align(FormatAlign::Center);
    let header = Format::new()
        .set_bold()
        .set_text_wrap()
        .set_align(FormatAlign::Center)
        .set_align(FormatAlign::VerticalCenter)
        .set_border(FormatBorder::Thin)
        .set_background_color(0xDDEBF7);
    let cell = Format::new().set_border(FormatBorder::Thin);
    let date = Format::new().set_border(FormatBorder::Thin).set_num_format("dd/mm/yyyy");
    let text = Format::new().set_border(FormatBorder::Thin).set_num_format("@");
    let int = Format::new().set_border(FormatBorder::Thin).set_num_format("#,##0");
    let percent = Format::new().set_border(FormatBorder::Thin).set_num_format("0.00%");
    if last > 0 {
        ws.merge_range(0, 0, 0, last, &table.title, &title)?;
        ws.merge_range(1, 0, 1, last, &table.subtitle, &subtitle)?;
    } else {
        ws.write_string_with_format(0, 0, &table.title, &title)?;
        ws.write_string_with_format(1, 0, &table.subtitle, &subtitle)?;
    }
    for (c, (h, width)) in table.columns.iter().enumerate() {
        ws.write_string_with_format(HEADER_ROW, c as u16, h, &header)?;
        ws.set_column_width(c as u16, *width)?;
    }
    ws.set_row_height(HEADER_ROW, 32)?;
    for (r, row) in rows.enumerate() {
        let r = HEADER_ROW + 1 + r as u32;
        for (c, v) in row.iter().enumerate() {
            let c16 = c as u16;
            match v {
                Value::Empty => ws.write_blank(r, c16, &cell)?,
                Value::Text(s) if table.text_columns.contains(&c) => ws.write_string_with_format(r, c16, s, &text)?,
                Value::Text(s) => ws.write_string_with_format(r, c16, s, &cell)?,
                Value::Date(d) => ws.write_number_with_format(r, c16, serial_from_date(*d), &date)?,
                Value::Int(n) => ws.write_number_with_format(r, c16, *n as f64, &int)?,
                Value::Percent(x) => ws.write_number_with_format(r, c16, *x, &percent)?,
            };
        }
    }
    ws.set_freeze_panes(HEADER_ROW + 1, 0)?;
    Ok(())
}

/// Writes the records of a kind, in the given order, laid out by its column
/// table; each row's cells are made as it is written.
fn write_kind<R>(
    kind: SheetKind,
    records: &[&R],
    value: fn(&R, &str) -> Value,
    on: NaiveDate,
    unit: &str,
    path: impl AsRef<Path>,
) -> Result<(), WriteError> {
    let columns: Vec<_> = kind.columns().iter().filter(|c| c.in_template()).collect();
    let table = Table {
        sheet: kind.sheet_name().to_string(),
        title: kind.title().to_string(),
        subtitle: format!("Tính đến ngày {}: {} {unit}", date_vi(on), number_vi(records.len() as i64)),
        columns: columns.iter().map(|c| (c.header.to_string(), c.width)).collect(),
        text_columns: columns.iter().enumerate().filter(|(_, c)| matches!(c.ty, ColType::Identity | ColType::Text | ColType::JobPosition)).map(|(i, _)| i).collect(),
        rows: Vec::new(),
    };
    let mut book = Workbook::new();
    let rows = records.iter().map(|r| std::borrow::Cow::Owned(columns.iter().map(|c| value(r, c.key)).collect()));
    add_sheet_rows(&mut book, &table, rows)?;
    book.save(path)?;
    Ok(())
}

fn by_name(p: &nangluc_core::person::PersonDetails) -> Vec<u8> {
    name_sort_key(&p.family_name, &p.middle_name, &p.given_name)
}

/// Staff, sorted by given name, then family and middle name.
pub fn staff(records: &[staff::Record], on: NaiveDate, path: impl AsRef<Path>) -> Result<(), WriteError> {
    let mut records: Vec<&staff::Record> = records.iter().collect();
    records.sort_by_cached_key(|r| (by_name(&r.person), r.person.identity_number.clone()));
    write_kind(SheetKind::Staff, &records, staff::value, on, "người", path)
}

/// Qualifications, by person (Vietnamese name order), then date obtained.
pub fn qualifications(records: &[qualifications::Record], on: NaiveDate, path: impl AsRef<Path>) -> Result<(), WriteError> {
    let mut records: Vec<&qualifications::Record> = records.iter().collect();
    records.sort_by_cached_key(|r| (by_name(&r.person), r.person.identity_number.clone(), r.qualification.obtained_on));
    write_kind(SheetKind::Qualifications, &records, qualifications::value, on, "văn bằng, chứng chỉ", path)
}

/// Training history, by person, then end date.
pub fn training(records: &[training::Record], on: NaiveDate, path: impl AsRef<Path>) -> Result<(), WriteError> {
    let mut records: Vec<&training::Record> = records.iter().collect();
    records.sort_by_cached_key(|r| (by_name(&r.person), r.person.identity_number.clone(), r.enrolment.ends_on));
    write_kind(SheetKind::Training, &records, training::value, on, "lượt", path)
}

pub fn units(records: &[units::Record], on: NaiveDate, path: impl AsRef<Path>) -> Result<(), WriteError> {
    let mut records: Vec<&units::Record> = records.iter().collect();
    records.sort_by(|a, b| a.unit.code.cmp(&b.unit.code));
    write_kind(SheetKind::Units, &records, units::value, on, "đơn vị", path)
}

pub fn programmes(records: &[programmes::Record], on: NaiveDate, path: impl AsRef<Path>) -> Result<(), WriteError> {
    let mut records: Vec<&programmes::Record> = records.iter().collect();
    records.sort_by(|a, b| a.programme.code.cmp(&b.programme.code));
    write_kind(SheetKind::Programmes, &records, programmes::value, on, "chương trình", path)
}

pub fn classes(records: &[classes::Record], on: NaiveDate, path: impl AsRef<Path>) -> Result<(), WriteError> {
    let mut records: Vec<&classes::Record> = records.iter().collect();
    records.sort_by(|a, b| (a.class.starts_on, &a.class.code).cmp(&(b.class.starts_on, &b.class.code)));
    write_kind(SheetKind::Classes, &records, classes::value, on, "lớp", path)
}

// Building export records from what is known now, as of a date.

fn live<T>(v: &Versioned<T>) -> bool {
    v.recording.superseded_at.is_none()
}

fn on_date<T>(rows: &[Versioned<T>], on: NaiveDate) -> impl Iterator<Item = &Versioned<T>> {
    rows.iter().filter(move |v| live(v) && v.valid.contains(on))
}

/// The current version of each entity: the one holding on `on`, else the latest.
fn latest<T>(rows: &[Versioned<T>], on: NaiveDate) -> HashMap<i64, &Versioned<T>> {
    let mut out: HashMap<i64, &Versioned<T>> = HashMap::new();
    for v in rows.iter().filter(|v| live(v)) {
        let better = match out.get(&v.id) {
            None => true,
            Some(old) => !old.valid.contains(on) && (v.valid.contains(on) || v.valid.from > old.valid.from),
        };
        if better {
            out.insert(v.id, v);
        }
    }
    out
}

/// Staff rows as of a date: every person with an employment holding then.
pub fn staff_records(k: &Knowledge, on: NaiveDate) -> Vec<staff::Record> {
    let units = latest(&k.units, on);
    let positions = latest(&k.job_positions, on);
    // Indexed by person once: a province has tens of thousands of people.
    let mut jobs: HashMap<i64, &Versioned<nangluc_core::employment::Employment>> = HashMap::new();
    for e in on_date(&k.employments, on) {
        jobs.entry(e.data.person_id).or_insert(e);
    }
    let mut roles: HashMap<i64, Vec<nangluc_core::role::Role>> = HashMap::new();
    for r in on_date(&k.roles, on) {
        roles.entry(r.data.person_id).or_default().push(r.data.clone());
    }
    let mut out = Vec::new();
    for person in on_date(&k.people, on) {
        let Some(job) = jobs.get(&person.id) else { continue };
        let Some(unit) = units.get(&job.data.unit_id) else { continue };
        out.push(staff::Record {
            person: person.data.clone(),
            unit: unit.data.clone(),
            job_position: job.data.job_position_id.and_then(|id| positions.get(&id)).map(|p| p.data.name.clone()),
            employment: job.data.clone(),
            since: job.valid.from,
            roles: roles.remove(&person.id).unwrap_or_default(),
        });
    }
    out
}

pub fn qualification_records(k: &Knowledge, on: NaiveDate) -> Vec<qualifications::Record> {
    let people = latest(&k.people, on);
    k.qualifications
        .iter()
        .filter(|q| live(q))
        .filter_map(|q| {
            let person = people.get(&q.data.person_id)?;
            Some(qualifications::Record { person: person.data.clone(), qualification: q.data.clone() })
        })
        .collect()
}

pub fn training_records(k: &Knowledge, on: NaiveDate) -> Vec<training::Record> {
    let people = latest(&k.people, on);
    let programmes = latest(&k.programmes, on);
    let classes = latest(&k.classes, on);
    let units = latest(&k.units, on);
    k.enrolments
        .iter()
        .filter(|e| live(e))
        .filter_map(|e| {
            let d = &e.data;
            Some(training::Record {
                person: people.get(&d.person_id)?.data.clone(),
                programme: programmes.get(&d.programme_id)?.data.clone(),
                class_code: d.class_id.and_then(|c| classes.get(&c)).map(|c| c.data.code.clone()),
                nominated_by_code: d.nominated_by.and_then(|u| units.get(&u)).map(|u| u.data.code.clone()),
                enrolment: d.clone(),
            })
        })
        .collect()
}

pub fn unit_records(k: &Knowledge, on: NaiveDate) -> Vec<units::Record> {
    let units = latest(&k.units, on);
    on_date(&k.units, on)
        .map(|u| units::Record {
            unit: u.data.clone(),
            parent_code: u.data.parent_id.and_then(|p| units.get(&p)).map(|p| p.data.code.clone()),
            valid_from: u.valid.from,
        })
        .collect()
}

pub fn programme_records(k: &Knowledge, on: NaiveDate) -> Vec<programmes::Record> {
    latest(&k.programmes, on).into_values().map(|p| programmes::Record { programme: p.data.clone() }).collect()
}

pub fn class_records(k: &Knowledge, on: NaiveDate) -> Vec<classes::Record> {
    let programmes = latest(&k.programmes, on);
    let institutions = latest(&k.institutions, on);
    latest(&k.classes, on)
        .into_values()
        .filter_map(|c| {
            Some(classes::Record {
                class: c.data.clone(),
                programme_code: programmes.get(&c.data.programme_id)?.data.code.clone(),
                institution_code: institutions.get(&c.data.institution_id)?.data.code.clone(),
            })
        })
        .collect()
}
