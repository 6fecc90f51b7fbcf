//! Reading any supported file into sheets of rows of cells, each row with the
//! number a user sees in Excel. Formats: xlsx, xlsm, xls, ods (calamine) and csv
//! (UTF-8 with or without BOM, or Windows-1258; TCVN3 is detected and refused).

use std::io::Cursor;
use std::path::Path;

use calamine::{Data, Reader};
use chrono::NaiveDate;

use crate::error::ImportError;

/// One cell's value as the file holds it.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Empty,
    Text(String),
    Number(f64),
    /// A cell that the spreadsheet itself typed as a date.
    Date(NaiveDate),
    Bool(bool),
}

impl Cell {
    pub fn is_empty(&self) -> bool {
        match self {
            Cell::Empty => true,
            Cell::Text(s) => s.trim().is_empty(),
            _ => false,
        }
    }

    /// The cell as a user would read it (numbers without a trailing ".0").
    pub fn as_text(&self) -> String {
        match self {
            Cell::Empty => String::new(),
            Cell::Text(s) => s.clone(),
            Cell::Number(n) if n.fract() == 0.0 && n.abs() < 1e15 => format!("{}", *n as i64),
            Cell::Number(n) => n.to_string(),
            Cell::Date(d) => crate::format::date_vi(*d),
            Cell::Bool(b) => if *b { "TRUE" } else { "FALSE" }.to_string(),
        }
    }
}

/// A row of cells; `cells[i]` is column i (0 = A).
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    /// The row number Excel shows (1-based).
    pub number: u32,
    pub cells: Vec<Cell>,
}

impl Row {
    pub fn cell(&self, col: usize) -> &Cell {
        self.cells.get(col).unwrap_or(&Cell::Empty)
    }

    pub fn is_empty(&self) -> bool {
        self.cells.iter().all(Cell::is_empty)
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Sheet {
    pub name: String,
    pub rows: Vec<Row>,
}

/// A file read into sheets. A CSV file is one sheet named after the file.
#[derive(Debug, Clone, PartialEq)]
pub struct Workbook {
    /// The file name without its folder (the import's actor is `import:<file_name>`).
    pub file_name: String,
    pub sheets: Vec<Sheet>,
    /// The text encoding a CSV file was read in, if not UTF-8.
    pub encoding: Option<&'static str>,
}

/// Reads a file by its extension.
pub fn read(path: impl AsRef<Path>) -> Result<Workbook, ImportError> {
    let path = path.as_ref();
    let file_name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let bytes = std::fs::read(path)
        .map_err(|e| ImportError::file(&file_name, format!("không đọc được tệp: {e}")))?;
    read_bytes(&file_name, &bytes)
}

/// Reads a file's content (an upload), choosing the format by the name's extension.
pub fn read_bytes(file_name: &str, bytes: &[u8]) -> Result<Workbook, ImportError> {
    let ext = file_name.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase()).unwrap_or_default();
    match ext.as_str() {
        "csv" | "txt" => read_csv(file_name, bytes),
        "xlsx" | "xlsm" | "xls" | "ods" | "xlsb" => read_spreadsheet(file_name, bytes),
        _ => Err(ImportError::file(
            file_name,
            "định dạng tệp không được hỗ trợ: chỉ nhận .xlsx, .xls, .ods hoặc .csv",
        )),
    }
}

fn read_spreadsheet(file_name: &str, bytes: &[u8]) -> Result<Workbook, ImportError> {
    let mut book = calamine::open_workbook_auto_from_rs(Cursor::new(bytes))
        .map_err(|e| ImportError::file(file_name, format!("không mở được bảng tính: {e}")))?;
    let mut sheets = Vec::new();
    for name in book.sheet_names() {
        let range = book
            .worksheet_range(&name)
            .map_err(|e| ImportError::file(file_name, format!("không đọc được sheet '{name}': {e}")))?;
        let (row0, col0) = range.start().unwrap_or((0, 0));
        let rows = range
            .rows()
            .enumerate()
            .map(|(i, cells)| {
                // Keep absolute column positions: pad the columns left of the used range.
                let mut out = vec![Cell::Empty; col0 as usize];
                out.extend(cells.iter().map(from_calamine));
                Row { number: row0 + i as u32 + 1, cells: out }
            })
            .collect();
        sheets.push(Sheet { name, rows });
    }
    Ok(Workbook { file_name: file_name.to_string(), sheets, encoding: None })
}

fn from_calamine(d: &Data) -> Cell {
    match d {
        Data::Empty => Cell::Empty,
        Data::String(s) => Cell::Text(s.clone()),
        Data::Int(i) => Cell::Number(*i as f64),
        Data::Float(f) => Cell::Number(*f),
        Data::Bool(b) => Cell::Bool(*b),
        Data::DateTime(dt) if dt.is_datetime() => {
            let (y, m, day, ..) = dt.to_ymd_hms_milli();
            NaiveDate::from_ymd_opt(y as i32, m as u32, day as u32)
                .map(Cell::Date)
                .unwrap_or(Cell::Number(dt.as_f64()))
        }
        Data::DateTime(dt) => Cell::Number(dt.as_f64()),
        Data::DateTimeIso(s) => s
            .get(..10)
            .and_then(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").ok())
            .map(Cell::Date)
            .unwrap_or_else(|| Cell::Text(s.clone())),
        Data::DurationIso(s) => Cell::Text(s.clone()),
        Data::Error(e) => Cell::Text(format!("#{e:?}")),
    }
}

/// The encodings a CSV file can be in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TextEncoding {
    Utf8,
    Windows1258,
    Tcvn3,
    Unknown,
}

/// Guesses the encoding of text bytes. Valid UTF-8 is UTF-8. Otherwise the
/// legacy Vietnamese encodings differ in shape: Windows-1258 writes a tone as a
/// combining byte after the vowel (a + 0xEC = á), TCVN3 (ABC) writes each toned
/// letter as one byte, many of them in 0xA1–0xBF, a range that Windows-1258 text
/// uses only for rare symbols (µ, ª, ©).
pub fn detect_encoding(bytes: &[u8]) -> TextEncoding {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    if std::str::from_utf8(bytes).is_ok() {
        return TextEncoding::Utf8;
    }
    const TONES_1258: [u8; 5] = [0xCC, 0xEC, 0xD2, 0xDE, 0xF2];
    const VOWELS_1258: [u8; 12] = [0xC2, 0xC3, 0xCA, 0xD4, 0xD5, 0xDD, 0xE2, 0xE3, 0xEA, 0xF4, 0xF5, 0xFD];
    let is_vowel = |b: u8| b"aeiouyAEIOUY".contains(&b) || VOWELS_1258.contains(&b);
    let (mut w1258, mut tcvn3) = (0usize, 0usize);
    for (i, &b) in bytes.iter().enumerate() {
        let prev = if i > 0 { bytes[i - 1] } else { b' ' };
        if TONES_1258.contains(&b) && is_vowel(prev) {
            w1258 += 1;
        }
        if (0xA1..=0xBF).contains(&b) && (prev.is_ascii_alphabetic() || prev == b' ') {
            tcvn3 += 1;
        }
    }
    if tcvn3 > w1258 {
        TextEncoding::Tcvn3
    } else if w1258 > 0 {
        TextEncoding::Windows1258
    } else {
        TextEncoding::Unknown
    }
}

fn read_csv(file_name: &str, bytes: &[u8]) -> Result<Workbook, ImportError> {
    let (text, encoding) = match detect_encoding(bytes) {
        TextEncoding::Utf8 => {
            let b = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
            (String::from_utf8_lossy(b).into_owned(), None)
        }
        TextEncoding::Windows1258 => {
            // encoding_rs gives base letters with combining tones; NFC composes them.
            let (s, _, _) = encoding_rs::WINDOWS_1258.decode(bytes);
            (nangluc_core::text::nfc(&s), Some("Windows-1258"))
        }
        TextEncoding::Tcvn3 => {
            return Err(ImportError::file(
                file_name,
                "tệp CSV dùng bảng mã TCVN3 (ABC) cũ, không đọc được chính xác. Hãy chuyển sang Unicode \
                 (ví dụ bằng công cụ chuyển mã của Unikey) rồi lưu lại dạng \"CSV UTF-8\"",
            ));
        }
        TextEncoding::Unknown => {
            return Err(ImportError::file(
                file_name,
                "không nhận ra bảng mã của tệp CSV. Hãy lưu lại dạng \"CSV UTF-8\"",
            ));
        }
    };
    let delimiter = guess_delimiter(&text);
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter)
        .from_reader(text.as_bytes());
    let mut rows = Vec::new();
    // Line ends counted so far, up to `counted`: each record counts only the
    // bytes since the previous one (counting from the start each time made
    // reading a 100,000-line file quadratic).
    let (mut counted, mut line_ends) = (0usize, 0u32);
    for record in reader.records() {
        let record = record.map_err(|e| ImportError::file(file_name, format!("tệp CSV không hợp lệ: {e}")))?;
        // The line a text editor shows; a quoted field may span several lines.
        let number = record
            .position()
            .map(|p| {
                // The reported start can lie on the line ends before the record
                // (CRLF, blank lines): move past them to the record itself.
                let bytes = text.as_bytes();
                let mut start = (p.byte() as usize).min(bytes.len());
                while start < bytes.len() && matches!(bytes[start], b'\r' | b'\n') {
                    start += 1;
                }
                if start >= counted {
                    line_ends += bytes[counted..start].iter().filter(|b| **b == b'\n').count() as u32;
                    counted = start;
                }
                line_ends + 1
            })
            .unwrap_or(rows.len() as u32 + 1);
        let cells = record
            .iter()
            .map(|s| if s.trim().is_empty() { Cell::Empty } else { Cell::Text(s.to_string()) })
            .collect();
        rows.push(Row { number, cells });
    }
    let name = file_name.rsplit_once('.').map(|(stem, _)| stem).unwrap_or(file_name).to_string();
    Ok(Workbook { file_name: file_name.to_string(), sheets: vec![Sheet { name, rows }], encoding })
}

/// Vietnamese Excel writes ';' between fields (the decimal separator is ',').
fn guess_delimiter(text: &str) -> u8 {
    let first = text.lines().take(20).collect::<Vec<_>>().join("\n");
    [b',', b';', b'\t']
        .into_iter()
        .max_by_key(|d| first.bytes().filter(|b| b == d).count())
        .unwrap_or(b',')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encodings_are_told_apart() {
        assert_eq!(detect_encoding("Họ và tên".as_bytes()), TextEncoding::Utf8);
        // "Họ và tên" in Windows-1258: tones as combining bytes.
        assert_eq!(detect_encoding(b"Ho\xF2 va\xCC t\xEAn"), TextEncoding::Windows1258);
        // "Họ và tên" in TCVN3: "Hä vµ tªn".
        assert_eq!(detect_encoding(b"H\xE4 v\xB5 t\xAAn"), TextEncoding::Tcvn3);
    }

    #[test]
    fn csv_rows_have_their_line_numbers() {
        let wb = read_bytes("x.csv", "\u{feff}a;b\r\n1;2\r\n\r\n\"3\nx\";4\r\n5;6\n".as_bytes()).unwrap();
        let numbers: Vec<u32> = wb.sheets[0].rows.iter().map(|r| r.number).collect();
        assert_eq!(numbers, [1, 2, 4, 6]);
    }

    #[test]
    fn delimiter_is_guessed() {
        assert_eq!(guess_delimiter("a;b;c\n1;2;3"), b';');
        assert_eq!(guess_delimiter("a,b,c"), b',');
    }
}
