//! Errors. An import error names where a user finds the problem: the sheet, the
//! row number Excel shows, the column header as written in the file.

use std::fmt;

/// One problem found in an imported file, in Vietnamese.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportError {
    /// The file, when the problem is with the whole file (encoding, format).
    pub file: Option<String>,
    pub sheet: Option<String>,
    /// The row number as Excel shows it (1-based).
    pub row: Option<u32>,
    /// The column header as written in the file.
    pub column: Option<String>,
    pub message: String,
}

impl ImportError {
    pub fn file(file: impl Into<String>, message: impl Into<String>) -> Self {
        Self { file: Some(file.into()), sheet: None, row: None, column: None, message: message.into() }
    }

    pub fn sheet(sheet: impl Into<String>, message: impl Into<String>) -> Self {
        Self { file: None, sheet: Some(sheet.into()), row: None, column: None, message: message.into() }
    }

    pub fn at(sheet: &str, row: u32, column: Option<&str>, message: impl Into<String>) -> Self {
        Self {
            file: None,
            sheet: Some(sheet.to_string()),
            row: Some(row),
            column: column.map(str::to_string),
            message: message.into(),
        }
    }

    /// A failure of the directory (the database) while checking the file.
    pub fn directory(message: String) -> Self {
        Self { file: None, sheet: None, row: None, column: None, message: format!("lỗi khi đọc dữ liệu hiện có: {message}") }
    }
}

impl fmt::Display for ImportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut parts = Vec::new();
        if let Some(file) = &self.file {
            parts.push(format!("Tệp '{file}'"));
        }
        if let Some(sheet) = &self.sheet {
            parts.push(format!("Sheet '{sheet}'"));
        }
        if let Some(row) = self.row {
            parts.push(format!("dòng {row}"));
        }
        if let Some(column) = &self.column {
            parts.push(format!("cột '{column}'"));
        }
        if parts.is_empty() {
            f.write_str(&self.message)
        } else {
            write!(f, "{}: {}", parts.join(", "), self.message)
        }
    }
}

impl std::error::Error for ImportError {}

/// A failure while writing a template or an export.
#[derive(Debug, thiserror::Error)]
pub enum WriteError {
    #[error("không ghi được tệp Excel: {0}")]
    Xlsx(#[from] rust_xlsxwriter::XlsxError),
    #[error("không ghi được tệp: {0}")]
    Io(#[from] std::io::Error),
    #[error("không ghi được tệp Word: {0}")]
    Docx(String),
}
