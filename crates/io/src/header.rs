//! Finding the header row and matching its cells to a kind's columns, whatever
//! their order, case, diacritics, spacing or a note in parentheses.

use std::collections::HashMap;
use std::sync::{LazyLock, Mutex};

use nangluc_core::text::{nfc, search_key};

use crate::error::ImportError;
use crate::kinds::{Need, SheetKind};
use crate::sheet::{Row, Sheet, Workbook};

/// How many rows from the top may hold titles before the header.
pub const HEADER_SEARCH_ROWS: usize = 15;

/// Where a kind's columns are in one sheet.
#[derive(Debug, Clone)]
pub struct Layout {
    pub sheet: String,
    /// The header's row number as Excel shows it.
    pub header_row: u32,
    /// Column key → (column index, header as written in the file).
    pub columns: HashMap<&'static str, (usize, String)>,
    /// Index in `Sheet::rows` of the first row after the header.
    pub first_data: usize,
}

/// A header as compared: search key (no case, no diacritics, đ → d), every run
/// of non-alphanumeric characters turned into one space.
pub fn norm(s: &str) -> String {
    let key = search_key(&nfc(s));
    key.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).collect::<Vec<_>>().join(" ")
}

/// [`norm`] of a fixed text (a header, a label, a code), computed once per
/// text: every cell is compared with whole lists of these.
pub fn norm_static(s: &'static str) -> &'static str {
    static SEEN: LazyLock<Mutex<HashMap<&'static str, &'static str>>> = LazyLock::new(Default::default);
    let mut seen = SEEN.lock().unwrap_or_else(|e| e.into_inner());
    // The texts are the program's own constants, so what is kept is bounded.
    seen.entry(s).or_insert_with(|| Box::leak(norm(s).into_boxed_str()))
}

/// The text with parenthesised parts removed: "Ngày sinh (ngày/tháng/năm)" → "Ngày sinh".
fn without_parentheses(s: &str) -> String {
    let mut out = String::new();
    let mut depth = 0;
    for c in s.chars() {
        match c {
            '(' | '[' => depth += 1,
            ')' | ']' => depth = (depth - 1).max(0),
            c if depth == 0 => out.push(c),
            _ => {}
        }
    }
    out
}

/// The column key a header cell names, if any.
pub fn match_header(kind: SheetKind, text: &str) -> Option<&'static str> {
    let candidates = [norm(text), norm(&without_parentheses(text))];
    for key in candidates.iter().filter(|k| !k.is_empty()) {
        for col in kind.columns() {
            if norm_static(col.header) == *key || col.aliases.iter().any(|a| norm_static(a) == *key) {
                return Some(col.key);
            }
        }
    }
    None
}

fn header_matches(kind: SheetKind, row: &Row) -> Vec<(usize, &'static str, String)> {
    let mut out: Vec<(usize, &'static str, String)> = Vec::new();
    for (i, cell) in row.cells.iter().enumerate() {
        let text = cell.as_text();
        if let Some(key) = match_header(kind, &text) {
            out.push((i, key, text.split_whitespace().collect::<Vec<_>>().join(" ")));
        }
    }
    out
}

/// The best header row of a sheet: (row index, distinct columns matched).
fn best_header(kind: SheetKind, sheet: &Sheet) -> Option<(usize, usize)> {
    sheet
        .rows
        .iter()
        .take(HEADER_SEARCH_ROWS)
        .enumerate()
        .map(|(i, row)| {
            let mut keys: Vec<&str> = header_matches(kind, row).into_iter().map(|m| m.1).collect();
            keys.sort_unstable();
            keys.dedup();
            (i, keys.len())
        })
        .filter(|(_, n)| *n >= 2)
        .max_by_key(|(i, n)| (*n, std::cmp::Reverse(*i)))
}

/// The kinds whose header a workbook carries (a file of one kind matches one).
pub fn matching_kinds(workbook: &Workbook) -> Vec<SheetKind> {
    SheetKind::ALL.into_iter().filter(|k| locate(workbook, *k).is_ok()).collect()
}

/// Finds the sheet and header row of a kind: the sheet whose header matches the
/// most columns. Reports missing required columns and columns given twice.
pub fn locate(workbook: &Workbook, kind: SheetKind) -> Result<(usize, Layout), Vec<ImportError>> {
    let best = workbook
        .sheets
        .iter()
        .enumerate()
        .filter_map(|(s, sheet)| best_header(kind, sheet).map(|(row, n)| (s, row, n)))
        .max_by_key(|(s, _, n)| (*n, std::cmp::Reverse(*s)));
    let Some((s, row_index, _)) = best else {
        let wanted: Vec<&str> =
            kind.columns().iter().filter(|c| c.is_required()).map(|c| c.header).collect();
        return Err(vec![ImportError::file(
            &workbook.file_name,
            format!(
                "không tìm thấy dòng tiêu đề của {} trong {HEADER_SEARCH_ROWS} dòng đầu của các sheet; cần các cột: {}",
                kind.sheet_name().to_lowercase(),
                wanted.join(", ")
            ),
        )]);
    };
    let sheet = &workbook.sheets[s];
    let row = &sheet.rows[row_index];
    let mut errors = Vec::new();
    let mut columns: HashMap<&'static str, (usize, String)> = HashMap::new();
    for (col, key, text) in header_matches(kind, row) {
        if let Some((_, first)) = columns.get(key) {
            errors.push(ImportError::at(
                &sheet.name,
                row.number,
                Some(&text),
                format!("cột này trùng nội dung với cột '{first}'"),
            ));
            continue;
        }
        columns.insert(key, (col, text));
    }
    for col in kind.columns() {
        let missing = match col.need {
            Need::Required => !columns.contains_key(col.key),
            Need::RequiredUnless(other) => !columns.contains_key(col.key) && !columns.contains_key(other),
            _ => false,
        };
        if missing {
            errors.push(ImportError::at(&sheet.name, row.number, None, format!("thiếu cột bắt buộc '{}'", col.header)));
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    let layout = Layout { sheet: sheet.name.clone(), header_row: row.number, columns, first_data: row_index + 1 };
    Ok((s, layout))
}

/// The data rows under the header: empty rows, the template's notes row and a
/// row of column numbers ("(1)", "(2)"…) are skipped.
pub fn data_rows<'a>(kind: SheetKind, sheet: &'a Sheet, layout: &Layout) -> Vec<&'a Row> {
    let notes: HashMap<usize, String> = layout
        .columns
        .iter()
        .map(|(key, (col, _))| (*col, norm(&kind.column(key).full_note())))
        .collect();
    sheet.rows[layout.first_data..]
        .iter()
        .enumerate()
        .filter(|(i, row)| {
            if row.is_empty() {
                return false;
            }
            let is_notes = *i < 2
                && row.cells.iter().enumerate().any(|(c, cell)| {
                    !cell.is_empty() && notes.get(&c).is_some_and(|n| *n == norm(&cell.as_text()))
                });
            let is_numbering = row.cells.iter().filter(|c| !c.is_empty()).all(|c| {
                let t = c.as_text();
                let t = t.trim();
                t.starts_with('(') && t.ends_with(')') && t[1..t.len() - 1].bytes().all(|b| b.is_ascii_digit())
            });
            !is_notes && !is_numbering
        })
        .map(|(_, row)| row)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headers_match_whatever_the_spelling() {
        for h in ["Họ và tên", "ho va ten", "HỌ VÀ TÊN", "  Họ  và\ntên ", "Ho\u{323} va\u{300} tên"] {
            assert_eq!(match_header(SheetKind::Staff, h), Some("full_name"), "{h}");
        }
        assert_eq!(match_header(SheetKind::Staff, "Ngày sinh (ngày/tháng/năm)"), Some("birth_date"));
        assert_eq!(match_header(SheetKind::Staff, "Tên"), Some("given_name"));
        assert_eq!(match_header(SheetKind::Staff, "Số CCCD"), Some("identity_number"));
        assert_eq!(match_header(SheetKind::Staff, "Ghi chú lung tung"), None);
    }
}
