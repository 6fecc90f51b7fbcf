//! The kinds of sheet. Each kind describes its columns once (a table of
//! [`Column`]s); templates, header matching, validation, docs and exports are
//! all derived from that table.

pub mod classes;
pub mod programmes;
pub mod qualifications;
pub mod staff;
pub mod training;
pub mod units;

use nangluc_core::qualification::QualificationKind;

use nangluc_core::Table;

use crate::directory::Wanted;
use crate::error::ImportError;
use crate::header::Layout;
use crate::parse::{self, Coded, LANGUAGES};
use crate::sheet::{Cell, Row};

/// The kinds of data a file can hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SheetKind {
    Units,
    Staff,
    Qualifications,
    Training,
    Programmes,
    Classes,
}

impl SheetKind {
    pub const ALL: [SheetKind; 6] = [
        SheetKind::Units,
        SheetKind::Staff,
        SheetKind::Qualifications,
        SheetKind::Training,
        SheetKind::Programmes,
        SheetKind::Classes,
    ];

    /// A stable code (file names, command-line arguments).
    pub fn code(self) -> &'static str {
        match self {
            SheetKind::Units => "units",
            SheetKind::Staff => "staff",
            SheetKind::Qualifications => "qualifications",
            SheetKind::Training => "training",
            SheetKind::Programmes => "programmes",
            SheetKind::Classes => "classes",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.code() == code)
    }

    /// The sheet name used in templates and exports.
    pub fn sheet_name(self) -> &'static str {
        match self {
            SheetKind::Units => "Đơn vị",
            SheetKind::Staff => "Nhân sự",
            SheetKind::Qualifications => "Trình độ",
            SheetKind::Training => "Đào tạo, bồi dưỡng",
            SheetKind::Programmes => "Chương trình",
            SheetKind::Classes => "Lớp học",
        }
    }

    /// The title written above exports.
    pub fn title(self) -> &'static str {
        match self {
            SheetKind::Units => "DANH SÁCH CƠ QUAN, ĐƠN VỊ",
            SheetKind::Staff => "DANH SÁCH CÁN BỘ, CÔNG CHỨC, VIÊN CHỨC",
            SheetKind::Qualifications => "TRÌNH ĐỘ, VĂN BẰNG, CHỨNG CHỈ",
            SheetKind::Training => "QUÁ TRÌNH ĐÀO TẠO, BỒI DƯỠNG",
            SheetKind::Programmes => "DANH MỤC CHƯƠNG TRÌNH ĐÀO TẠO, BỒI DƯỠNG",
            SheetKind::Classes => "DANH SÁCH LỚP ĐÀO TẠO, BỒI DƯỠNG",
        }
    }

    pub fn columns(self) -> &'static [Column] {
        match self {
            SheetKind::Units => units::COLUMNS,
            SheetKind::Staff => staff::COLUMNS,
            SheetKind::Qualifications => qualifications::COLUMNS,
            SheetKind::Training => training::COLUMNS,
            SheetKind::Programmes => programmes::COLUMNS,
            SheetKind::Classes => classes::COLUMNS,
        }
    }

    pub fn column(self, key: &str) -> &'static Column {
        self.columns().iter().find(|c| c.key == key).unwrap_or_else(|| panic!("no column {key} in {self:?}"))
    }
}

/// Whether a column must be there, and where it appears.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Need {
    /// The column must be in the file and every row must fill it.
    Required,
    /// Required unless the file has the named column instead (a full name in
    /// place of family and given names).
    RequiredUnless(&'static str),
    Optional,
    /// Accepted on import but not written in templates and exports.
    ImportOnly,
    /// Written for people to read (a name beside an identity number); ignored on import.
    Info,
}

/// What a column holds: drives parsing notes, drop-downs and cell formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ColType {
    Text,
    Date,
    Integer,
    /// A 12-digit personal identification number (kept as text).
    Identity,
    /// "Có" or empty.
    YesNo,
    /// A term such as "2021-2026".
    Term,
    List(List),
    /// A job position (vị trí việc làm) recorded in the system, by code or
    /// name: the list is the province's own, so templates offer it only when
    /// written from a database that has one.
    JobPosition,
}

/// A closed list of values offered as a drop-down.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum List {
    Sex,
    Ethnicity,
    Category,
    Rank,
    Post,
    UnitLevel,
    UnitKind,
    Sector,
    QualificationKind,
    Level,
    Language,
    TrainingKind,
    Topic,
    StudyForm,
    ClassStatus,
    EnrolmentStatus,
    Funding,
}

impl List {
    pub const ALL: [List; 17] = [
        List::Sex,
        List::Ethnicity,
        List::Category,
        List::Rank,
        List::Post,
        List::UnitLevel,
        List::UnitKind,
        List::Sector,
        List::QualificationKind,
        List::Level,
        List::Language,
        List::TrainingKind,
        List::Topic,
        List::StudyForm,
        List::ClassStatus,
        List::EnrolmentStatus,
        List::Funding,
    ];

    /// The list's name (header of its column in the 'Danh mục' sheet).
    pub fn name(self) -> &'static str {
        match self {
            List::Sex => "Giới tính",
            List::Ethnicity => "Dân tộc",
            List::Category => "Loại cán bộ",
            List::Rank => "Ngạch, chức danh nghề nghiệp",
            List::Post => "Chức vụ",
            List::UnitLevel => "Cấp",
            List::UnitKind => "Loại hình đơn vị",
            List::Sector => "Lĩnh vực",
            List::QualificationKind => "Loại trình độ",
            List::Level => "Trình độ",
            List::Language => "Ngôn ngữ",
            List::TrainingKind => "Đào tạo/bồi dưỡng",
            List::Topic => "Chủ đề",
            List::StudyForm => "Hình thức học",
            List::ClassStatus => "Trạng thái lớp",
            List::EnrolmentStatus => "Kết quả, trạng thái học",
            List::Funding => "Nguồn kinh phí",
        }
    }

    /// The values offered, as written in templates and exports.
    pub fn values(self) -> Vec<String> {
        use nangluc_core::{employment, person, training, unit};
        fn labels<T: Coded>() -> Vec<String> {
            T::all().iter().map(|v| v.label().to_string()).collect()
        }
        match self {
            List::Sex => labels::<person::Sex>(),
            List::Ethnicity => person::ETHNIC_GROUPS.iter().map(|s| s.to_string()).collect(),
            List::Category => labels::<employment::Category>(),
            List::Rank => employment::RANKS.iter().map(|r| r.1.to_string()).collect(),
            List::Post => employment::POSTS.iter().map(|p| p.1.to_string()).collect(),
            List::UnitLevel => labels::<unit::UnitLevel>(),
            List::UnitKind => labels::<unit::UnitKind>(),
            List::Sector => labels::<unit::Sector>(),
            List::QualificationKind => labels::<QualificationKind>(),
            List::Level => {
                let mut out: Vec<String> = Vec::new();
                for k in QualificationKind::ALL {
                    for l in k.levels() {
                        if !out.iter().any(|o| o == l.name()) {
                            out.push(l.name().to_string());
                        }
                    }
                }
                out
            }
            List::Language => LANGUAGES.iter().map(|l| l.1.to_string()).collect(),
            List::TrainingKind => labels::<training::TrainingKind>(),
            List::Topic => labels::<training::Topic>(),
            List::StudyForm => labels::<training::StudyForm>(),
            List::ClassStatus => labels::<training::ClassStatus>(),
            List::EnrolmentStatus => labels::<training::EnrolmentStatus>(),
            List::Funding => labels::<training::FundingSource>(),
        }
    }
}

/// One column of a sheet kind.
#[derive(Debug, Clone, Copy)]
pub struct Column {
    /// Stable key used by the code.
    pub key: &'static str,
    /// The header written in templates and exports.
    pub header: &'static str,
    /// Other headers accepted on import (compared without case, diacritics,
    /// punctuation or spacing).
    pub aliases: &'static [&'static str],
    pub need: Need,
    pub ty: ColType,
    /// What to write, shown in the notes row and the docs.
    pub note: &'static str,
    /// Width in characters.
    pub width: f64,
}

impl Column {
    pub const fn new(key: &'static str, header: &'static str, need: Need, ty: ColType) -> Self {
        Self { key, header, aliases: &[], need, ty, note: "", width: 16.0 }
    }
    pub const fn aliases(mut self, aliases: &'static [&'static str]) -> Self {
        self.aliases = aliases;
        self
    }
    pub const fn note(mut self, note: &'static str) -> Self {
        self.note = note;
        self
    }
    pub const fn width(mut self, width: f64) -> Self {
        self.width = width;
        self
    }

    /// Written in templates and exports.
    pub fn in_template(&self) -> bool {
        self.need != Need::ImportOnly
    }

    pub fn is_required(&self) -> bool {
        matches!(self.need, Need::Required | Need::RequiredUnless(_))
    }

    /// The full note of the notes row: requirement, then [`Column::format_note`].
    pub fn full_note(&self) -> String {
        let required = if self.is_required() { "Bắt buộc." } else { "Không bắt buộc." };
        let rest = self.format_note();
        if rest.is_empty() { required.to_string() } else { format!("{required} {rest}") }
    }

    /// The format, the allowed values, then the column's own note.
    pub fn format_note(&self) -> String {
        let mut parts: Vec<String> = Vec::new();
        match self.ty {
            ColType::Date => parts.push("Ngày/tháng/năm, ví dụ 05/03/1980.".into()),
            ColType::Integer => parts.push("Số nguyên.".into()),
            ColType::Identity => parts.push("12 chữ số, nhập dạng văn bản để giữ số 0 đầu.".into()),
            ColType::YesNo => parts.push("Ghi \"Có\" hoặc để trống.".into()),
            ColType::Term => parts.push("Dạng năm-năm, ví dụ 2021-2026.".into()),
            ColType::List(list) => {
                let values = list.values();
                if values.len() <= 6 {
                    parts.push(format!("Chọn: {}.", values.join("; ")));
                } else {
                    parts.push(format!("Chọn trong danh sách ({}).", list.name()));
                }
            }
            ColType::JobPosition => parts.push("Mã hoặc tên vị trí việc làm có trong hệ thống.".into()),
            ColType::Text => {}
        }
        if !self.note.is_empty() {
            parts.push(self.note.to_string());
        }
        parts.join(" ")
    }
}

/// The personal identification number, the key of every person's row.
pub const IDENTITY: Column = Column::new("identity_number", "Số định danh cá nhân", Need::Required, ColType::Identity)
    .aliases(&["Số CCCD", "CCCD", "Số căn cước", "Số căn cước công dân", "Số định danh", "Mã định danh", "Số CMND/CCCD", "CMND/CCCD", "Số ĐDCN"])
    .width(18.0);

/// One data row being read: typed accessors that record every problem with its
/// place, so that a row with five errors reports five.
pub struct RowCtx<'a> {
    pub layout: &'a Layout,
    pub row: &'a Row,
    pub errors: &'a mut Vec<ImportError>,
}

impl<'a> RowCtx<'a> {
    pub fn number(&self) -> u32 {
        self.row.number
    }

    /// Whether the file has this column.
    pub fn has(&self, key: &str) -> bool {
        self.layout.columns.contains_key(key)
    }

    /// The cell of a column, `None` if the column is absent or the cell empty.
    pub fn cell(&self, key: &str) -> Option<&'a Cell> {
        let (col, _) = self.layout.columns.get(key)?;
        let cell = self.row.cell(*col);
        (!cell.is_empty()).then_some(cell)
    }

    pub fn error(&mut self, key: &str, message: impl Into<String>) {
        let column = self.layout.columns.get(key).map(|(_, h)| h.as_str());
        self.errors.push(ImportError::at(&self.layout.sheet, self.row.number, column, message));
    }

    /// The entity id of the person with this identity number; an error on the
    /// row when nobody has it (rows about people need the staff list first).
    pub fn known_person(
        &mut self,
        dir: &mut dyn crate::directory::Directory,
        identity: &str,
        on: chrono::NaiveDate,
    ) -> Result<Option<i64>, String> {
        let id = dir.person_by_identity(identity, on)?.map(|c| c.id);
        if id.is_none() {
            self.error(
                "identity_number",
                format!("không có người có số định danh '{identity}' trong hệ thống; hãy nhập danh sách nhân sự trước"),
            );
        }
        Ok(id)
    }

    pub fn row_error(&mut self, message: impl Into<String>) {
        self.errors.push(ImportError::at(&self.layout.sheet, self.row.number, None, message));
    }

    /// An optional value: `None` when empty (or wrong, the error recorded).
    pub fn opt<T>(&mut self, key: &str, f: impl FnOnce(&Cell) -> Result<T, String>) -> Option<T> {
        let cell = self.cell(key)?;
        match f(cell) {
            Ok(v) => Some(v),
            Err(e) => {
                self.error(key, e);
                None
            }
        }
    }

    /// A required value: an empty cell is an error.
    pub fn req<T>(&mut self, key: &str, f: impl FnOnce(&Cell) -> Result<T, String>) -> Option<T> {
        if self.cell(key).is_none() {
            if self.has(key) {
                self.error(key, "không được để trống");
            }
            return None;
        }
        self.opt(key, f)
    }

    /// An optional value whose column may be missing: `None` when the column is
    /// absent (keep what is recorded), `Some(None)` when the cell is empty.
    pub fn present<T>(&mut self, key: &str, f: impl FnOnce(&Cell) -> Result<T, String>) -> Option<Option<T>> {
        if !self.has(key) {
            return None;
        }
        Some(self.opt(key, f))
    }

    pub fn text(&mut self, key: &str) -> Option<String> {
        self.cell(key).map(parse::text).filter(|s| !s.is_empty())
    }

    pub fn req_text(&mut self, key: &str) -> Option<String> {
        self.req(key, |c| Ok(parse::text(c)))
    }
}

/// The row that first had `key`, or `None` (and `row` is remembered as the first).
pub fn check_duplicate<K: std::hash::Hash + Eq>(seen: &mut std::collections::HashMap<K, u32>, key: K, row: u32) -> Option<u32> {
    match seen.get(&key) {
        Some(first) => Some(*first),
        None => {
            seen.insert(key, row);
            None
        }
    }
}

/// Reads every row of a sheet, collecting every error of every row. A row whose
/// key repeats an earlier row's is reported by `duplicate` with the first row's
/// number. The rows read come back (with their numbers) only if the sheet is clean.
pub fn read_all<T, K: std::hash::Hash + Eq>(
    layout: &Layout,
    rows: &[&Row],
    progress: &dyn Fn(u64),
    mut read: impl FnMut(&mut RowCtx) -> Result<Option<T>, String>,
    key: impl Fn(&T) -> K,
    duplicate: impl Fn(&mut RowCtx, &T, u32),
) -> Result<Vec<(u32, T)>, Vec<ImportError>> {
    let mut errors = Vec::new();
    let mut read_rows = Vec::new();
    let mut seen = std::collections::HashMap::new();
    for (i, row) in rows.iter().enumerate() {
        if i % PROGRESS_ROWS == 0 {
            progress(i as u64);
        }
        let mut ctx = RowCtx { layout, row, errors: &mut errors };
        if let Some(value) = read(&mut ctx).map_err(crate::plan::dir_err)? {
            if let Some(first) = check_duplicate(&mut seen, key(&value), row.number) {
                duplicate(&mut ctx, &value, first);
            }
            read_rows.push((row.number, value));
        }
    }
    progress(rows.len() as u64);
    if errors.is_empty() { Ok(read_rows) } else { Err(errors) }
}

/// How often the row checks report progress, in rows.
pub const PROGRESS_ROWS: usize = 256;

/// The distinct values of a column over the rows, as `parse` reads them; cells
/// it cannot read are left to the row checks.
pub fn keys(layout: &Layout, rows: &[&Row], key: &str, parse: impl Fn(&Cell) -> Result<String, String>) -> Vec<String> {
    let Some((col, _)) = layout.columns.get(key) else { return Vec::new() };
    let mut seen = std::collections::HashSet::new();
    rows.iter()
        .map(|r| r.cell(*col))
        .filter(|c| !c.is_empty())
        .filter_map(|c| parse(c).ok())
        .filter(|k| !k.is_empty() && seen.insert(k.clone()))
        .collect()
}

/// What the rows of a sheet of `kind` will look up in the directory.
pub fn wanted(kind: SheetKind, layout: &Layout, rows: &[&Row]) -> Wanted {
    let text = |key| keys(layout, rows, key, |c| Ok(parse::text(c)));
    let identity_numbers = || keys(layout, rows, "identity_number", parse::identity_number);
    match kind {
        SheetKind::Units => {
            let mut unit_codes = text("code");
            unit_codes.extend(text("parent_code"));
            Wanted { unit_codes, ..Wanted::default() }
        }
        SheetKind::Staff => Wanted {
            identity_numbers: identity_numbers(),
            unit_codes: text("unit_code"),
            of_people: vec![Table::Employments, Table::Roles],
            ..Wanted::default()
        },
        SheetKind::Qualifications => {
            Wanted { identity_numbers: identity_numbers(), of_people: vec![Table::Qualifications], ..Wanted::default() }
        }
        SheetKind::Training => Wanted {
            identity_numbers: identity_numbers(),
            programme_codes: text("programme_code"),
            class_codes: text("class_code"),
            unit_codes: text("nominated_by"),
            of_people: vec![Table::Enrolments],
            ..Wanted::default()
        },
        SheetKind::Programmes => Wanted { programme_codes: text("code"), ..Wanted::default() },
        SheetKind::Classes => Wanted {
            class_codes: text("code"),
            programme_codes: text("programme_code"),
            institution_codes: text("institution_code"),
            ..Wanted::default()
        },
    }
}
