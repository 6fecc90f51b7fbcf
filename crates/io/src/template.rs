//! Blank workbooks to fill in, one per kind: Vietnamese headers, a notes row
//! under them, frozen panes, widths and drop-downs for every coded column (long
//! lists live on a hidden 'Danh mục' sheet). Also the markdown of the docs.

use std::path::Path;

use rust_xlsxwriter::utility::column_number_to_name;
use rust_xlsxwriter::{DataValidation, DataValidationErrorStyle, Format, FormatAlign, FormatBorder, Formula, Workbook};

use crate::error::WriteError;
use crate::kinds::{ColType, List, Need, SheetKind};

/// The name of the hidden sheet holding long lists.
pub const LISTS_SHEET: &str = "Danh mục";
/// Rows offered for data (drop-downs and formats reach this far).
pub const DATA_ROWS: u32 = 1000;
/// Excel limits an inline list to 255 characters.
const INLINE_LIMIT: usize = 255;

/// The province's own lists, read from its database, that templates offer as
/// drop-downs besides the fixed lists of the law.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Catalogue {
    /// Names of the job positions (vị trí việc làm) in force.
    pub job_positions: Vec<String>,
}

/// Writes the blank template of a kind.
pub fn write(kind: SheetKind, path: impl AsRef<Path>) -> Result<(), WriteError> {
    write_with(kind, &Catalogue::default(), path)
}

/// Writes the blank template of a kind, with the catalogue's drop-downs.
pub fn write_with(kind: SheetKind, catalogue: &Catalogue, path: impl AsRef<Path>) -> Result<(), WriteError> {
    workbook_with(kind, catalogue)?.save(path)?;
    Ok(())
}

/// The template as bytes (a download).
pub fn to_buffer(kind: SheetKind) -> Result<Vec<u8>, WriteError> {
    Ok(workbook(kind)?.save_to_buffer()?)
}

pub fn workbook(kind: SheetKind) -> Result<Workbook, WriteError> {
    workbook_with(kind, &Catalogue::default())
}

/// The drop-down of a column: the list's name and its values.
fn drop_down(ty: ColType, catalogue: &Catalogue) -> Option<(&'static str, Vec<String>)> {
    match ty {
        ColType::List(list) => Some((list.name(), list.values())),
        ColType::JobPosition if !catalogue.job_positions.is_empty() => Some(("Vị trí việc làm", catalogue.job_positions.clone())),
        _ => None,
    }
}

pub fn workbook_with(kind: SheetKind, catalogue: &Catalogue) -> Result<Workbook, WriteError> {
    let mut book = Workbook::new();
    let columns: Vec<_> = kind.columns().iter().filter(|c| c.in_template()).collect();

    // Long lists first, so that the data sheet can refer to them.
    let mut long_lists: Vec<(&'static str, Vec<String>, String)> = Vec::new();
    for col in &columns {
        if let Some((name, values)) = drop_down(col.ty, catalogue)
            && values.join(",").chars().count() > INLINE_LIMIT
            && !long_lists.iter().any(|(l, ..)| *l == name)
        {
            let letter = column_number_to_name(long_lists.len() as u16);
            let range = format!("='{LISTS_SHEET}'!${letter}$2:${letter}${}", values.len() + 1);
            long_lists.push((name, values, range));
        }
    }

    let header = Format::new()
        .set_bold()
        .set_text_wrap()
        .set_align(FormatAlign::Center)
        .set_align(FormatAlign::VerticalCenter)
        .set_border(FormatBorder::Thin);
    let required = header.clone().set_background_color(0xFCE4D6);
    let optional = header.clone().set_background_color(0xDDEBF7);
    let info = header.clone().set_background_color(0xEDEDED);
    let note = Format::new()
        .set_italic()
        .set_text_wrap()
        .set_font_size(9)
        .set_font_color(0x595959)
        .set_align(FormatAlign::Top)
        .set_border(FormatBorder::Thin);
    let text = Format::new().set_num_format("@");
    let date = Format::new().set_num_format("dd/mm/yyyy");

    let ws = book.add_worksheet();
    ws.set_name(kind.sheet_name())?;
    for (c, col) in columns.iter().enumerate() {
        let c = c as u16;
        let fmt = match col.need {
            Need::Required | Need::RequiredUnless(_) => &required,
            Need::Info => &info,
            _ => &optional,
        };
        ws.write_string_with_format(0, c, col.header, fmt)?;
        ws.write_string_with_format(1, c, col.full_note(), &note)?;
        ws.set_column_width(c, col.width.max(10.0))?;
        match col.ty {
            // Identity numbers and codes as text, so Excel keeps leading zeros.
            ColType::Identity | ColType::Text | ColType::JobPosition => {
                ws.set_column_format(c, &text)?;
            }
            ColType::Date => {
                ws.set_column_format(c, &date)?;
            }
            _ => {}
        }
        let validation = match (col.ty, drop_down(col.ty, catalogue)) {
            (_, Some((name, values))) => {
                let dv = DataValidation::new();
                let dv = match long_lists.iter().find(|(l, ..)| *l == name) {
                    Some((.., range)) => dv.allow_list_formula(Formula::new(range)),
                    None => dv.allow_list_strings(&values)?,
                };
                Some(dv.set_input_title(col.header)?.set_input_message(truncate(&col.full_note(), 250))?)
            }
            (ColType::YesNo, None) => Some(DataValidation::new().allow_list_strings(&["Có"])?),
            _ => None,
        };
        if let Some(dv) = validation {
            // A warning, not a stop: the importer accepts other spellings (ThS, B2, NU…).
            let dv = dv
                .set_error_title("Giá trị không có trong danh sách")?
                .set_error_message("Nên chọn một giá trị trong danh sách. Hệ thống vẫn nhận các cách viết thông dụng khác.")?
                .set_error_style(DataValidationErrorStyle::Warning);
            ws.add_data_validation(2, c, DATA_ROWS + 1, c, &dv)?;
        }
    }
    ws.set_row_height(0, 32)?;
    ws.set_row_height(1, 75)?;
    ws.set_freeze_panes(2, 0)?;
    ws.set_active(true);

    if !long_lists.is_empty() {
        let lists = book.add_worksheet();
        lists.set_name(LISTS_SHEET)?;
        let bold = Format::new().set_bold();
        for (c, (name, values, _)) in long_lists.iter().enumerate() {
            let c = c as u16;
            lists.write_string_with_format(0, c, *name, &bold)?;
            for (r, v) in values.iter().enumerate() {
                lists.write_string(r as u32 + 1, c, v)?;
            }
            lists.set_column_width(c, 30)?;
        }
        lists.set_hidden(true);
    }
    Ok(book)
}

fn truncate(s: &str, n: usize) -> String {
    if s.chars().count() <= n { s.to_string() } else { s.chars().take(n - 1).collect::<String>() + "…" }
}

fn type_label(ty: ColType) -> String {
    match ty {
        ColType::Text => "Văn bản".into(),
        ColType::Date => "Ngày".into(),
        ColType::Integer => "Số nguyên".into(),
        ColType::Identity => "Số định danh (12 chữ số)".into(),
        ColType::YesNo => "Có/trống".into(),
        ColType::Term => "Nhiệm kỳ".into(),
        ColType::List(l) => format!("Danh mục: {}", l.name()),
        ColType::JobPosition => "Danh mục vị trí việc làm của tỉnh (trong hệ thống)".into(),
    }
}

/// The column tables of every kind, in markdown (the body of docs/templates.md).
pub fn markdown() -> String {
    let mut out = String::new();
    for kind in SheetKind::ALL {
        out.push_str(&format!("### {} (`{}`)\n\n", kind.sheet_name(), kind.code()));
        out.push_str("| Cột | Bắt buộc | Kiểu | Tên khác được nhận | Ghi chú |\n|---|---|---|---|---|\n");
        for col in kind.columns() {
            let need = match col.need {
                Need::Required => "có".to_string(),
                Need::RequiredUnless(other) => format!("có, trừ khi có cột '{}'", kind.column(other).header),
                Need::Optional => "không".into(),
                Need::ImportOnly => "không (chỉ khi nhập)".into(),
                Need::Info => "không (chỉ để đọc, bỏ qua khi nhập)".into(),
            };
            let aliases = col.aliases.join("; ");
            out.push_str(&format!(
                "| {} | {} | {} | {} | {} |\n",
                col.header,
                need,
                type_label(col.ty),
                aliases,
                col.format_note().replace('|', "/")
            ));
        }
        out.push('\n');
    }
    out.push_str("### Danh mục\n\n");
    for list in List::ALL {
        let values = list.values();
        out.push_str(&format!("- **{}** ({} giá trị): {}\n", list.name(), values.len(), values.join("; ")));
    }
    out
}
