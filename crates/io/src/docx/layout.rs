//! The frame of an administrative document under Decree 30/2020/NĐ-CP
//! (Appendix I): A4, margins 20/20/30/15 mm, Times New Roman, the two-column
//! header (issuing body | national motto), number and symbol, place and date
//! in italics, the title, justified body paragraphs with a first-line indent,
//! the "Nơi nhận:" block and the signature block, and page numbers centred at
//! the top from page 2 (a first page without a header).
//!
//! Everything here builds docx-rs elements; the documents put them together.

use chrono::{Datelike, NaiveDate};
use docx_rs::{
    AlignmentType, Docx, Header, LineSpacing, LineSpacingType, PageMargin, PageNum, PageOrientationType,
    PageSize, Paragraph, ParagraphBorder, ParagraphBorderPosition, ParagraphBorders, Run, RunFonts, SectionProperty,
    SpecialIndentType, Table, TableAlignmentType, TableBorders, TableCellMargins, TableCell, TableLayoutType, TableRow, VAlignType,
    VMergeType, WidthType,
};

use super::DocumentHeader;

pub(crate) const FONT: &str = "Times New Roman";

/// Font sizes in points.
pub(crate) const BODY_PT: usize = 14;
pub(crate) const HEADER_PT: usize = 13;
pub(crate) const TABLE_PT: usize = 12;
pub(crate) const RECIPIENTS_PT: usize = 12;

/// Millimetres to twips the way Word does it (567 twips a centimetre):
/// 20 mm → 1134, 30 mm → 1701, 15 mm → 851.
pub(crate) const fn mm(v: u32) -> i32 {
    ((v * 567 + 5) / 10) as i32
}

pub(crate) const A4_W: u32 = 11906;
pub(crate) const A4_H: u32 = 16838;
pub(crate) const MARGIN_TOP: u32 = 20;
pub(crate) const MARGIN_BOTTOM: u32 = 20;
pub(crate) const MARGIN_LEFT: u32 = 30;
pub(crate) const MARGIN_RIGHT: u32 = 15;

/// The text width of a portrait page, in twips (165 mm).
pub(crate) const PORTRAIT_TEXT: usize = (A4_W as i32 - mm(MARGIN_LEFT) - mm(MARGIN_RIGHT)) as usize;
/// The text width of a landscape annex page: the binding edge goes to the top
/// (30 mm), 15 mm at the bottom, 20 mm left and right.
pub(crate) const LANDSCAPE_TEXT: usize = (A4_H as i32 - 2 * mm(20)) as usize;

/// First-line indent of body paragraphs (1 cm).
const FIRST_LINE: i32 = 567;

fn half_points(pt: usize) -> usize {
    pt * 2
}

fn fonts() -> RunFonts {
    RunFonts::new().ascii(FONT).hi_ansi(FONT).cs(FONT).east_asia(FONT)
}

/// A run of text in the document font.
pub(crate) fn run(text: impl Into<String>, pt: usize) -> Run {
    Run::new().add_text(text).fonts(fonts()).size(half_points(pt))
}

pub(crate) fn spacing(before: u32, after: u32) -> LineSpacing {
    LineSpacing::new().before(before).after(after).line(264).line_rule(LineSpacingType::Auto)
}

/// A paragraph of one run with the given alignment, size and spacing.
pub(crate) fn para(text: impl Into<String>, pt: usize, align: AlignmentType) -> Paragraph {
    Paragraph::new()
        .add_run(run(text, pt))
        .align(align)
        .size(half_points(pt))
        .fonts(fonts())
        .line_spacing(spacing(0, 0))
}

/// A body paragraph: justified, first-line indent, 6 pt after.
pub(crate) fn body(text: impl Into<String>) -> Paragraph {
    para(text, BODY_PT, AlignmentType::Both)
        .indent(None, Some(SpecialIndentType::FirstLine(FIRST_LINE)), None, None)
        .line_spacing(spacing(0, 120))
}

/// A heading inside the body ("I. CHỈ TIÊU", "1. Cán bộ, công chức cấp tỉnh"):
/// bold, at the paragraph indent, kept with what follows.
pub(crate) fn heading(text: impl Into<String>) -> Paragraph {
    Paragraph::new()
        .add_run(run(text, BODY_PT).bold())
        .align(AlignmentType::Both)
        .size(half_points(BODY_PT))
        .bold()
        .fonts(fonts())
        .indent(None, Some(SpecialIndentType::FirstLine(FIRST_LINE)), None, None)
        .line_spacing(spacing(120, 120))
        .keep_next(true)
}

/// A caption above a table, centred bold, kept with the table.
pub(crate) fn caption(text: impl Into<String>) -> Paragraph {
    para(text, BODY_PT, AlignmentType::Center).bold().line_spacing(spacing(120, 120)).keep_next(true)
}

/// A short horizontal rule centred under a line of text: an empty paragraph
/// whose top border spans `length` twips in the middle of `width`.
pub(crate) fn rule(width: usize, length: usize) -> Paragraph {
    let side = (width.saturating_sub(length) / 2) as i32;
    let mut p = Paragraph::new()
        .size(4)
        .line_spacing(LineSpacing::new().before(0).after(60).line(80).line_rule(LineSpacingType::Exact))
        .indent(Some(side), None, Some(side), None);
    p.property = p.property.set_borders(
        ParagraphBorders::with_empty().set(ParagraphBorder::new(ParagraphBorderPosition::Top).size(6).space(1)),
    );
    p
}

/// Roman numerals for section and annex numbers.
pub(crate) fn roman(n: usize) -> String {
    const TABLE: [(usize, &str); 13] = [
        (1000, "M"),
        (900, "CM"),
        (500, "D"),
        (400, "CD"),
        (100, "C"),
        (90, "XC"),
        (50, "L"),
        (40, "XL"),
        (10, "X"),
        (9, "IX"),
        (5, "V"),
        (4, "IV"),
        (1, "I"),
    ];
    let mut n = n;
    let mut s = String::new();
    for (v, r) in TABLE {
        while n >= v {
            s.push_str(r);
            n -= v;
        }
    }
    s
}

/// "ngày 05 tháng 02 năm 2026": Decree 30 writes days below 10 and the months
/// January and February with a leading zero.
pub(crate) fn date_words(d: NaiveDate) -> String {
    let month = if d.month() <= 2 { format!("{:02}", d.month()) } else { d.month().to_string() };
    format!("ngày {:02} tháng {month} năm {}", d.day(), d.year())
}

/// A borderless cell of the given width holding paragraphs.
fn plain_cell(width: usize, paragraphs: Vec<Paragraph>) -> TableCell {
    let mut c = TableCell::new().width(width, WidthType::Dxa).clear_all_border();
    for p in paragraphs {
        c = c.add_paragraph(p);
    }
    c
}

fn borderless(rows: Vec<TableRow>, widths: Vec<usize>) -> Table {
    Table::without_borders(rows)
        .margins(TableCellMargins::new().margin(0, 0, 0, 0))
        .set_grid(widths.clone())
        .width(widths.iter().sum(), WidthType::Dxa)
        .layout(TableLayoutType::Fixed)
        .set_borders(TableBorders::with_empty())
        .align(TableAlignmentType::Center)
}

/// The two-column header: the issuing body with a short rule and the number
/// on the left; the national motto with a rule and the place and date in
/// italics on the right. Two rows, so the number and the date line up.
pub(crate) fn header_table(h: &DocumentHeader) -> Table {
    // Wide enough on the right for the motto in 13 pt bold on one line.
    let left = 3200;
    let right = PORTRAIT_TEXT - left;
    let last = h.issuer.len().saturating_sub(1);
    // The issuing body itself is bold; the body above it (if any) is not.
    let mut issuer: Vec<Paragraph> = h
        .issuer
        .iter()
        .enumerate()
        .map(|(i, line)| {
            let r = run(line, HEADER_PT);
            Paragraph::new()
                .add_run(if i == last { r.bold() } else { r })
                .align(AlignmentType::Center)
                .size(half_points(HEADER_PT))
                .fonts(fonts())
                .line_spacing(spacing(0, 0))
        })
        .collect();
    issuer.push(rule(left, 1200));
    let motto = vec![
        Paragraph::new()
            .add_run(run("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", HEADER_PT).bold())
            .align(AlignmentType::Center)
            .size(half_points(HEADER_PT))
            .bold()
            .fonts(fonts())
            .line_spacing(spacing(0, 0)),
        Paragraph::new()
            .add_run(run("Độc lập - Tự do - Hạnh phúc", BODY_PT).bold())
            .align(AlignmentType::Center)
            .size(half_points(BODY_PT))
            .bold()
            .fonts(fonts())
            .line_spacing(spacing(0, 0)),
        rule(right, 3300),
    ];
    let number = vec![para(format!("Số: {}", h.number), HEADER_PT, AlignmentType::Center).line_spacing(spacing(60, 0))];
    let place = vec![
        Paragraph::new()
            .add_run(run(format!("{}, {}", h.place, date_words(h.date)), BODY_PT).italic())
            .align(AlignmentType::Center)
            .size(half_points(BODY_PT))
            .italic()
            .fonts(fonts())
            .line_spacing(spacing(60, 0)),
    ];
    borderless(
        vec![
            TableRow::new(vec![
                plain_cell(left, issuer).vertical_align(VAlignType::Top),
                plain_cell(right, motto).vertical_align(VAlignType::Top),
            ]),
            TableRow::new(vec![plain_cell(left, number), plain_cell(right, place)]),
        ],
        vec![left, right],
    )
}

/// The document's name ("KẾ HOẠCH", "BÁO CÁO") and its subject, centred bold,
/// with a short rule under the subject.
pub(crate) fn title(name: &str, subject: &[String]) -> Vec<Paragraph> {
    let mut out = vec![
        Paragraph::new()
            .add_run(run(name, BODY_PT).bold())
            .align(AlignmentType::Center)
            .size(half_points(BODY_PT))
            .bold()
            .fonts(fonts())
            .line_spacing(spacing(360, 0)),
    ];
    for line in subject {
        out.push(
            Paragraph::new()
                .add_run(run(line, BODY_PT).bold())
                .align(AlignmentType::Center)
                .size(half_points(BODY_PT))
                .bold()
                .fonts(fonts())
                .line_spacing(spacing(0, 0)),
        );
    }
    out.push(rule(PORTRAIT_TEXT, 2000).line_spacing(
        LineSpacing::new().before(60).after(240).line(80).line_rule(LineSpacingType::Exact),
    ));
    out
}

/// "Nơi nhận:" bottom-left (bold italic label, 12 pt list) and the signature
/// block bottom-right (capacity lines bold, room for the signature and seal,
/// the name bold).
pub(crate) fn closing_block(h: &DocumentHeader) -> Table {
    let left = 4400;
    let right = PORTRAIT_TEXT - left;
    let mut recipients = vec![
        Paragraph::new()
            .add_run(run("Nơi nhận:", RECIPIENTS_PT).bold().italic())
            .size(half_points(RECIPIENTS_PT))
            .fonts(fonts())
            .line_spacing(spacing(240, 0)),
    ];
    let n = h.recipients.len();
    for (i, r) in h.recipients.iter().enumerate() {
        let end = if i + 1 == n { "." } else { ";" };
        let text = format!("- {}{}", r.trim_end_matches([';', '.']), end);
        recipients.push(
            Paragraph::new()
                .add_run(run(text, RECIPIENTS_PT))
                .size(half_points(RECIPIENTS_PT))
                .fonts(fonts())
                .line_spacing(LineSpacing::new().before(0).after(0).line(240).line_rule(LineSpacingType::Auto)),
        );
    }
    let mut sign: Vec<Paragraph> = h
        .signer
        .capacity
        .iter()
        .enumerate()
        .map(|(i, line)| {
            Paragraph::new()
                .add_run(run(line, BODY_PT).bold())
                .align(AlignmentType::Center)
                .size(half_points(BODY_PT))
                .bold()
                .fonts(fonts())
                .line_spacing(spacing(if i == 0 { 240 } else { 0 }, 0))
        })
        .collect();
    for _ in 0..4 {
        sign.push(para("", BODY_PT, AlignmentType::Center));
    }
    sign.push(
        Paragraph::new()
            .add_run(run(&h.signer.name, BODY_PT).bold())
            .align(AlignmentType::Center)
            .size(half_points(BODY_PT))
            .bold()
            .fonts(fonts())
            .line_spacing(spacing(0, 0)),
    );
    borderless(
        vec![
            TableRow::new(vec![
                plain_cell(left, recipients).vertical_align(VAlignType::Top),
                plain_cell(right, sign).vertical_align(VAlignType::Top),
            ])
            .cant_split(),
        ],
        vec![left, right],
    )
}

/// The heading of an annex: "Phụ lục I", its title, and what it is attached to.
pub(crate) fn annex_heading(number: usize, title_lines: &[String], attached: &str, width: usize) -> Vec<Paragraph> {
    // One centred, unspaced line that stays with the table below it.
    let line = |r: Run| {
        Paragraph::new()
            .add_run(r)
            .align(AlignmentType::Center)
            .size(half_points(BODY_PT))
            .fonts(fonts())
            .line_spacing(spacing(0, 0))
            .keep_next(true)
    };
    let mut out = vec![line(run(format!("Phụ lục {}", roman(number)), BODY_PT).bold()).bold()];
    out.extend(title_lines.iter().map(|l| line(run(l.clone(), BODY_PT).bold()).bold()));
    out.push(line(run(attached, BODY_PT).italic()).italic());
    out.push(
        rule(width, 2000)
            .line_spacing(LineSpacing::new().before(60).after(200).line(80).line_rule(LineSpacingType::Exact))
            .keep_next(true),
    );
    out
}

/// How a data column is aligned.
#[derive(Clone, Copy)]
pub(crate) enum Align {
    Left,
    Center,
    Right,
}

impl Align {
    fn to_docx(self) -> AlignmentType {
        match self {
            Align::Left => AlignmentType::Left,
            Align::Center => AlignmentType::Center,
            Align::Right => AlignmentType::Right,
        }
    }
}

pub(crate) struct Col {
    pub width: usize,
    pub align: Align,
}

pub(crate) fn col(width: usize, align: Align) -> Col {
    Col { width, align }
}

/// A header cell of the top row: its text and how many columns it spans.
/// A one-column cell with no sub-headers spans both header rows.
pub(crate) struct Head {
    pub text: String,
    pub span: usize,
}

pub(crate) fn head(text: impl Into<String>) -> Head {
    Head { text: text.into(), span: 1 }
}

pub(crate) fn group(text: impl Into<String>, span: usize) -> Head {
    Head { text: text.into(), span }
}

/// A data row. `bold` for totals; `indent` indents the given column's text
/// (for units below others).
#[derive(Default)]
pub(crate) struct Row {
    pub cells: Vec<String>,
    pub bold: bool,
    pub indent: Option<(usize, i32)>,
}

pub(crate) fn row(cells: Vec<String>) -> Row {
    Row { cells, ..Default::default() }
}

fn cell_para(text: &str, align: AlignmentType, bold: bool, indent: i32) -> Paragraph {
    let mut r = run(text, TABLE_PT);
    if bold {
        r = r.bold();
    }
    let mut p = Paragraph::new()
        .add_run(r)
        .align(align)
        .size(half_points(TABLE_PT))
        .fonts(fonts())
        .line_spacing(LineSpacing::new().before(30).after(30).line(240).line_rule(LineSpacingType::Auto));
    if indent > 0 {
        p = p.indent(Some(indent), None, None, None);
    }
    if bold {
        p = p.bold();
    }
    p
}

fn data_cell(width: usize, text: &str, align: AlignmentType, bold: bool, indent: i32) -> TableCell {
    TableCell::new().width(width, WidthType::Dxa).vertical_align(VAlignType::Center).add_paragraph(cell_para(
        text, align, bold, indent,
    ))
}

/// A bordered table with a bold header (one row, or two when `sub` is not
/// empty: a top cell with span > 1 takes the next `span` sub-headers).
pub(crate) fn table(cols: &[Col], heads: &[Head], sub: &[&str], rows: &[Row]) -> Table {
    let widths: Vec<usize> = cols.iter().map(|c| c.width).collect();
    let two = !sub.is_empty();
    let mut top = Vec::new();
    let mut bottom = Vec::new();
    let mut at = 0;
    let mut next_sub = sub.iter();
    for h in heads {
        let w: usize = widths[at..at + h.span].iter().sum();
        let mut c = data_cell(w, &h.text, AlignmentType::Center, true, 0);
        if h.span > 1 {
            c = c.grid_span(h.span);
            for i in 0..h.span {
                let text = next_sub.next().copied().unwrap_or("");
                bottom.push(data_cell(widths[at + i], text, AlignmentType::Center, true, 0));
            }
        } else if two {
            c = c.vertical_merge(VMergeType::Restart);
            bottom.push(
                TableCell::new()
                    .width(w, WidthType::Dxa)
                    .vertical_merge(VMergeType::Continue)
                    .add_paragraph(cell_para("", AlignmentType::Center, true, 0)),
            );
        }
        top.push(c);
        at += h.span;
    }
    let mut table_rows = vec![TableRow::new(top).cant_split()];
    if two {
        table_rows.push(TableRow::new(bottom).cant_split());
    }
    // The numbers under the header: (1), (2), … are not used by these plans; go to data.
    for r in rows {
        let cells = cols
            .iter()
            .enumerate()
            .map(|(i, c)| {
                let text = r.cells.get(i).map(String::as_str).unwrap_or("");
                let indent = match r.indent {
                    Some((ci, tw)) if ci == i => tw,
                    _ => 0,
                };
                data_cell(c.width, text, c.align.to_docx(), r.bold, indent)
            })
            .collect();
        table_rows.push(TableRow::new(cells).cant_split());
    }
    Table::new(table_rows)
        .margins(TableCellMargins::new().margin(0, 70, 0, 70))
        .set_grid(widths.clone())
        .width(widths.iter().sum(), WidthType::Dxa)
        .layout(TableLayoutType::Fixed)
        .align(TableAlignmentType::Center)
}

/// The empty first-page header and the page-number header of later pages.
fn headers() -> (Header, Header) {
    let first = Header::new().add_paragraph(Paragraph::new());
    let numbered = Header::new().add_paragraph(
        Paragraph::new()
            .add_page_num(PageNum::new())
            .align(AlignmentType::Center)
            .size(half_points(BODY_PT))
            .fonts(fonts())
            .run_property(docx_rs::RunProperty::new().fonts(fonts()).size(half_points(BODY_PT))),
    );
    (first, numbered)
}

fn portrait_margin() -> PageMargin {
    PageMargin::new()
        .top(mm(MARGIN_TOP))
        .bottom(mm(MARGIN_BOTTOM))
        .left(mm(MARGIN_LEFT))
        .right(mm(MARGIN_RIGHT))
        .header(mm(10))
        .footer(mm(10))
        .gutter(0)
}

fn landscape_margin() -> PageMargin {
    PageMargin::new().top(mm(30)).bottom(mm(15)).left(mm(20)).right(mm(20)).header(mm(10)).footer(mm(10)).gutter(0)
}

/// What goes into a document: the main text (portrait, first page without a
/// header) and, after it, annexes on landscape pages.
pub(crate) enum Block {
    P(Box<Paragraph>),
    T(Box<Table>),
}

impl From<Paragraph> for Block {
    fn from(p: Paragraph) -> Self {
        Block::P(Box::new(p))
    }
}

impl From<Table> for Block {
    fn from(t: Table) -> Self {
        Block::T(Box::new(t))
    }
}

/// Assembles the document: the main text in a portrait section with the
/// title-page setting (no header on page 1, the page number from page 2), then
/// the annexes, if any, in a landscape section numbered on.
///
/// Both sections share the two header parts: the document-level section (the
/// last one) registers them, and the portrait section, closed by a paragraph's
/// section properties, refers to the same parts.
pub(crate) fn assemble(main: Vec<Block>, annexes: Vec<Block>) -> Docx {
    let (first, numbered) = headers();
    let mut d = Docx::new().default_fonts(fonts()).default_size(half_points(BODY_PT)).default_tab_stop(720);
    let has_annexes = !annexes.is_empty();
    for b in main {
        d = match b {
            Block::P(p) => d.add_paragraph(*p),
            Block::T(t) => d.add_table(*t),
        };
    }
    // Registered first, so their relationship ids are rIdHeader1 and rIdHeader2.
    d = d.header(numbered.clone()).first_header(first.clone());
    if !has_annexes {
        return d.page_size(A4_W, A4_H).page_margin(portrait_margin()).title_pg();
    }
    let portrait = SectionProperty::new()
        .page_size(PageSize::new().size(A4_W, A4_H))
        .page_margin(portrait_margin())
        .header(numbered, "rIdHeader1")
        .first_header(first, "rIdHeader2");
    d = d.add_paragraph(Paragraph::new().size(2).section_property(portrait));
    for b in annexes {
        d = match b {
            Block::P(p) => d.add_paragraph(*p),
            Block::T(t) => d.add_table(*t),
        };
    }
    d = d.page_size(A4_H, A4_W).page_orient(PageOrientationType::Landscape).page_margin(landscape_margin());
    // The annexes are numbered on every page, their first included.
    d.document.section_property.title_pg = false;
    d
}
