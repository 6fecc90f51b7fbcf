//! Planning an import: the file's rows, checked, become one change set that
//! creates what is new, supersedes and re-records what changed, and leaves
//! unchanged rows alone (so importing a file twice changes nothing the second
//! time). A file with any error gives no plan at all.

use std::fmt;
use std::path::Path;

use chrono::NaiveDate;
use nangluc_core::{ChangeSet, Entity, Fact, Table, Validity};

use crate::directory::{Current, Directory};
use crate::error::ImportError;
use crate::header;
use crate::kinds::{self, SheetKind};
use crate::sheet::{self, Workbook};

/// What happened to the rows of one table, by the file's row numbers.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Tally {
    pub created: Vec<u32>,
    pub updated: Vec<u32>,
    pub unchanged: Vec<u32>,
}

/// What an import does (or, in a dry run, would do).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportReport {
    pub file: String,
    pub sheet: String,
    pub kind: SheetKind,
    /// Data rows read.
    pub rows: usize,
    /// The legacy encoding a CSV file was converted from, if any.
    pub encoding: Option<&'static str>,
    /// Per table, in the order first touched.
    pub tables: Vec<(Table, Tally)>,
}

impl ImportReport {
    /// The tally of a table (empty if the import does not touch it).
    pub fn tally(&self, table: Table) -> Tally {
        self.tables.iter().find(|(t, _)| *t == table).map(|(_, t)| t.clone()).unwrap_or_default()
    }

    fn entry(&mut self, table: Table) -> &mut Tally {
        if let Some(i) = self.tables.iter().position(|(t, _)| *t == table) {
            return &mut self.tables[i].1;
        }
        self.tables.push((table, Tally::default()));
        &mut self.tables.last_mut().expect("just pushed").1
    }
}

/// Vietnamese names of the tables an import touches.
pub fn table_label(table: Table) -> &'static str {
    match table {
        Table::Units => "Đơn vị",
        Table::UnitChanges => "Thay đổi đơn vị",
        Table::People => "Người",
        Table::Employments => "Quá trình công tác",
        Table::Roles => "Vai trò",
        Table::Qualifications => "Trình độ",
        Table::JobPositions => "Vị trí việc làm",
        Table::PositionRequirements => "Khung năng lực",
        Table::Programmes => "Chương trình",
        Table::Institutions => "Cơ sở đào tạo",
        Table::Lecturers => "Giảng viên",
        Table::Classes => "Lớp học",
        Table::Enrolments => "Đào tạo, bồi dưỡng",
    }
}

/// Row numbers as ranges ("5–9, 12"), at most `max` of them, then how many
/// rows are left out, so that a report on 100,000 rows stays readable.
pub fn row_ranges(rows: &[u32], max: usize) -> String {
    let mut sorted = rows.to_vec();
    sorted.sort_unstable();
    sorted.dedup();
    let mut ranges: Vec<(u32, u32)> = Vec::new();
    for r in sorted {
        match ranges.last_mut() {
            Some((_, end)) if *end + 1 == r => *end = r,
            _ => ranges.push((r, r)),
        }
    }
    let shown: Vec<String> =
        ranges.iter().take(max).map(|&(a, b)| if a == b { a.to_string() } else { format!("{a}–{b}") }).collect();
    let left: usize = ranges.iter().skip(max).map(|&(a, b)| (b - a + 1) as usize).sum();
    if left == 0 {
        shown.join(", ")
    } else {
        format!("{} và {} dòng khác", shown.join(", "), crate::format::number_vi(left as i64))
    }
}

impl fmt::Display for ImportReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fn rows(r: &[u32]) -> String {
            if r.is_empty() { String::new() } else { format!(" (dòng {})", row_ranges(r, 12)) }
        }
        writeln!(f, "Tệp '{}', sheet '{}': {} dòng dữ liệu", self.file, self.sheet, crate::format::number_vi(self.rows as i64))?;
        if let Some(encoding) = self.encoding {
            writeln!(f, "- Tệp dùng bảng mã cũ {encoding}, đã được chuyển sang Unicode; nên lưu lại tệp dạng \"CSV UTF-8\".")?;
        }
        for (table, t) in &self.tables {
            writeln!(
                f,
                "- {}: thêm mới {}{}; cập nhật {}{}; không đổi {}",
                table_label(*table),
                crate::format::number_vi(t.created.len() as i64),
                rows(&t.created),
                crate::format::number_vi(t.updated.len() as i64),
                rows(&t.updated),
                crate::format::number_vi(t.unchanged.len() as i64)
            )?;
        }
        Ok(())
    }
}

/// A checked import: the change set to apply and what it does. A dry run shows
/// the report and applies nothing.
#[derive(Debug, Clone, PartialEq)]
pub struct ImportPlan {
    pub change_set: ChangeSet,
    pub report: ImportReport,
}

/// Builds the change set of an import, row by row.
pub struct Planner<'a> {
    pub cs: ChangeSet,
    pub report: ImportReport,
    pub today: NaiveDate,
    /// Told how many rows have been checked, every few hundred rows.
    pub progress: &'a dyn Fn(u64),
}

impl Planner<'_> {
    /// A new entity (or a new version of one with `Entity::Existing`).
    pub fn create(&mut self, row: u32, entity: Entity, valid: Validity, fact: Fact) {
        let table = fact.table();
        self.cs.record(entity, valid, fact);
        self.report.entry(table).created.push(row);
    }

    pub fn unchanged(&mut self, table: Table, row: u32) {
        self.report.entry(table).unchanged.push(row);
    }

    /// Replaces the current row by a new version. With a `from` date after the
    /// current row's start, the change happened in the world on that date: the
    /// old version is re-recorded ending then, the new one starts then.
    /// Otherwise it is a correction: the new version takes the row's validity
    /// (starting on `from` if given). The old row is superseded, never overwritten.
    pub fn revise<T>(&mut self, row: u32, current: &Current<T>, old: Fact, new: Fact, from: Option<NaiveDate>) {
        let table = new.table();
        self.cs.supersede(table, current.row_id);
        let cur = current.valid;
        match from {
            Some(d) if d > cur.from && cur.to.is_none_or(|to| d < to) => {
                self.cs.record(Entity::Existing(current.id), cur.ended(d), old);
                self.cs.record(Entity::Existing(current.id), Validity { from: d, to: cur.to }, new);
            }
            _ => {
                let valid = Validity { from: from.unwrap_or(cur.from), to: cur.to };
                self.cs.record(Entity::Existing(current.id), valid, new);
            }
        }
        self.report.entry(table).updated.push(row);
    }

    /// Records `new` against the current row: unchanged, revised, and `from`
    /// as in [`Planner::revise`]. `same_validity` says whether a given `from`
    /// equals the current start (a moved start alone is a correction too).
    pub fn upsert<T: PartialEq + Clone>(
        &mut self,
        row: u32,
        current: &Current<T>,
        new: T,
        wrap: fn(T) -> Fact,
        from: Option<NaiveDate>,
    ) {
        let moved = from.is_some_and(|d| d != current.valid.from);
        if current.data == new && !moved {
            self.unchanged(wrap(new).table(), row);
        } else {
            self.revise(row, current, wrap(current.data.clone()), wrap(new), from);
        }
    }
}

/// Checks a workbook's sheet of `kind` against the model and the directory and
/// plans its change set. Every error of the file is returned, and then no plan.
pub fn plan_import(
    workbook: &Workbook,
    kind: SheetKind,
    dir: &mut dyn Directory,
    today: NaiveDate,
) -> Result<ImportPlan, Vec<ImportError>> {
    plan_import_with_progress(workbook, kind, dir, today, &|_| {})
}

/// The data rows of the sheet an import of `kind` would read (for a progress
/// bar's length); 0 if the sheet is not found.
pub fn data_row_count(workbook: &Workbook, kind: SheetKind) -> usize {
    match header::locate(workbook, kind) {
        Ok((s, layout)) => header::data_rows(kind, &workbook.sheets[s], &layout).len(),
        Err(_) => 0,
    }
}

/// [`plan_import`], telling `progress` how many rows have been checked.
pub fn plan_import_with_progress(
    workbook: &Workbook,
    kind: SheetKind,
    dir: &mut dyn Directory,
    today: NaiveDate,
    progress: &dyn Fn(u64),
) -> Result<ImportPlan, Vec<ImportError>> {
    let (s, layout) = header::locate(workbook, kind)?;
    let sheet = &workbook.sheets[s];
    let rows = header::data_rows(kind, sheet, &layout);
    let actor = format!("import:{}", workbook.file_name);
    let reason = format!("Nhập {} từ tệp '{}'", kind.sheet_name().to_lowercase(), workbook.file_name);
    let mut planner = Planner {
        cs: ChangeSet::new(actor, reason),
        report: ImportReport {
            file: workbook.file_name.clone(),
            sheet: sheet.name.clone(),
            kind,
            rows: rows.len(),
            encoding: workbook.encoding,
            tables: Vec::new(),
        },
        today,
        progress,
    };
    dir.prefetch(&kinds::wanted(kind, &layout, &rows)).map_err(dir_err)?;
    match kind {
        SheetKind::Units => kinds::units::plan(&layout, &rows, dir, &mut planner)?,
        SheetKind::Staff => kinds::staff::plan(&layout, &rows, dir, &mut planner)?,
        SheetKind::Qualifications => kinds::qualifications::plan(&layout, &rows, dir, &mut planner)?,
        SheetKind::Training => kinds::training::plan(&layout, &rows, dir, &mut planner)?,
        SheetKind::Programmes => kinds::programmes::plan(&layout, &rows, dir, &mut planner)?,
        SheetKind::Classes => kinds::classes::plan(&layout, &rows, dir, &mut planner)?,
    }
    Ok(ImportPlan { change_set: planner.cs, report: planner.report })
}

/// Reads a file and plans its import.
pub fn plan_file(
    path: impl AsRef<Path>,
    kind: SheetKind,
    dir: &mut dyn Directory,
    today: NaiveDate,
) -> Result<ImportPlan, Vec<ImportError>> {
    let workbook = sheet::read(path).map_err(|e| vec![e])?;
    plan_import(&workbook, kind, dir, today)
}

/// Turns a directory failure into the import's error list.
pub fn dir_err(e: String) -> Vec<ImportError> {
    vec![ImportError::directory(e)]
}

#[cfg(test)]
mod tests {
    use super::row_ranges;

    #[test]
    fn row_numbers_read_as_ranges() {
        assert_eq!(row_ranges(&[5, 6, 7, 9, 12, 13], 12), "5–7, 9, 12–13");
        assert_eq!(row_ranges(&[1, 3, 5, 7], 2), "1, 3 và 2 dòng khác");
        assert_eq!(row_ranges(&(5..=85190).collect::<Vec<_>>(), 12), "5–85190");
    }
}
